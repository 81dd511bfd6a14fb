"""LogisticExplorer (notebook 08): update() moves the artists as the maths says, on one figure."""

import math

import numpy as np
import pytest

from bpcourse import logistic
from bpcourse.datasets import small_separable, two_gaussians
from bpcourse.widgets.logistic import (
    DECADES,
    LogisticExplorer,
    boundary_segment,
    data_box,
    draw_classifier,
    slider_steps,
)


@pytest.fixture(scope="module")
def explorer():
    return LogisticExplorer()  # the lecture's experiment: 100 points, eta = 0.1, 10000 steps


@pytest.fixture(scope="module")
def deck_run():
    X, y = small_separable()
    return X, y, logistic.fit(X, y, lr=0.1, steps=10000, seed=0)


def line_values(line, w, b):
    """w . p + b at the points p of a Line2D."""
    x1, x2 = (np.asarray(v, dtype=float) for v in line.get_data())
    return w[0] * x1 + w[1] * x2 + b


def test_the_trajectory_is_the_deck_experiment_computed_once(explorer, deck_run):
    X, y, run = deck_run
    assert np.array_equal(explorer.X, X) and np.array_equal(explorer.y, y)
    assert explorer.trajectory.w.shape == (10001, 2)
    assert np.array_equal(explorer.trajectory.w, run.w)
    assert np.array_equal(explorer.trajectory.b, run.b)


@pytest.mark.parametrize("step", [0, 1, 2, 10, 100, 1000, 10000])
def test_the_boundary_is_the_line_w_x_plus_b_equals_zero_at_that_step(explorer, deck_run, step):
    _, _, run = deck_run
    explorer.update(step=step)
    w, b = run.w[step], run.b[step]
    assert np.allclose(line_values(explorer.lines["boundary"], w, b), 0.0, atol=1e-9)
    # P(Y = 1 | x) = 0.9 where w . x + b = log 9, and 0.1 where it is -log 9
    assert np.allclose(line_values(explorer.lines["P = 0.9"], w, b), math.log(9))
    assert np.allclose(line_values(explorer.lines["P = 0.1"], w, b), -math.log(9))
    assert explorer.step == step
    assert explorer._title.get_text().startswith(f"n = {step}: ")


@pytest.mark.parametrize("step", [0, 5, 100, 10000])
def test_the_loss_so_far_ends_at_the_loss_of_that_step(explorer, deck_run, step):
    X, y, run = deck_run
    explorer.update(step=step)
    n, L = explorer._so_far.get_data()
    expected = -np.sum(np.log(1 / (1 + np.exp(-y * (X @ run.w[step] + run.b[step])))))
    assert n[-1] == step and np.all(np.diff(n) > 0)
    assert L[-1] == pytest.approx(expected, rel=1e-12)
    assert list(explorer._now.get_data()[1]) == pytest.approx([expected], rel=1e-12)
    title = explorer._title.get_text()
    assert f"L = {expected:.3f}" in title
    assert f"||w|| = {np.linalg.norm(run.w[step]):.3f}" in title


def test_update_reuses_one_figure_and_its_artists(explorer):
    fig = explorer.fig
    lines_before = [len(ax.lines) for ax in fig.axes]
    boundary = explorer.lines["boundary"]
    for step in (3, 300, 3000):
        assert explorer.update(step=step) is fig
    assert explorer.fig is fig and explorer.lines["boundary"] is boundary
    assert [len(ax.lines) for ax in fig.axes] == lines_before
    assert len(fig.axes) == 2


def test_the_boundary_moves_between_the_lecture_steps(explorer):
    """On the default points the boundary turns and the band narrows at every decade."""
    shown = []
    for step in DECADES:
        explorer.update(step=step)
        x1, x2 = (np.asarray(v, dtype=float) for v in explorer.lines["boundary"].get_data())
        band = np.asarray(explorer.lines["P = 0.9"].get_data(), dtype=float)
        shown.append((np.degrees(np.arctan2(x2[1] - x2[0], x1[1] - x1[0])) % 180, band))
    for (angle_a, _), (angle_b, _) in zip(shown[1:], shown[2:]):
        assert abs(angle_b - angle_a) > 2  # degrees, from 10 to 100, 100 to 1000, 1000 to 10000
    widths = [math.log(9) / np.linalg.norm(explorer.trajectory.w[n]) for n in DECADES[1:]]
    assert all(a > 1.5 * b for a, b in zip(widths, widths[1:]))


@pytest.mark.parametrize(
    "step, error, words",
    [
        (-1, ValueError, "step must be at least 0"),
        (10001, ValueError, "between 0 and 10000"),
        (2.5, TypeError, "step must be an integer"),
        ("ten", TypeError, "step must be an integer"),
        (None, TypeError, "step must be an integer"),
    ],
)
def test_bad_steps_raise_a_clear_error(explorer, step, error, words):
    with pytest.raises(error, match=words):
        explorer.update(step=step)


def test_numpy_integer_steps_are_accepted(explorer):
    explorer.update(step=np.int64(42))
    assert explorer.step == 42


def test_a_given_trajectory_is_shown_instead_of_a_new_run(deck_run):
    X, y, run = deck_run
    explorer = LogisticExplorer(X, y, lr=0.1, steps=10000, trajectory=run)
    assert explorer.trajectory is run
    explorer.update(step=7)
    assert np.allclose(line_values(explorer.lines["boundary"], run.w[7], run.b[7]), 0, atol=1e-9)


def test_a_trajectory_that_does_not_fit_is_refused(deck_run):
    X, y, run = deck_run
    with pytest.raises(ValueError, match="at most steps \\+ 1 = 101 iterates"):
        LogisticExplorer(X, y, steps=100, trajectory=run)
    with pytest.raises(TypeError, match="result of bpcourse.logistic.fit"):
        LogisticExplorer(X, y, steps=100, trajectory=run.w)


def test_x_without_y_is_refused():
    X, _ = two_gaussians(n=10, seed=1)
    with pytest.raises(ValueError, match="both X and y"):
        LogisticExplorer(X=X)


def test_a_divergence_is_written_on_the_plot(monkeypatch):
    X, y = two_gaussians(n=20, seed=3)
    real_fit = logistic.fit

    def diverging_fit(X, y, lr, steps, seed, reduction):
        run = real_fit(X, y, lr=lr, steps=4, seed=seed, reduction=reduction)
        return logistic.LogisticTrajectory(run.w, run.b, run.loss, True, 5)

    monkeypatch.setattr(logistic, "fit", diverging_fit)
    explorer = LogisticExplorer(X, y, lr=0.1, steps=50)
    explorer.update(step=7)
    assert explorer._diverged.get_visible()
    assert explorer._diverged.get_text() == "diverged at step 5"
    w, b = explorer.trajectory.w[4], explorer.trajectory.b[4]  # the last kept iterate
    assert np.allclose(line_values(explorer.lines["boundary"], w, b), 0.0, atol=1e-9)
    assert np.all(np.isfinite(explorer._so_far.get_data()[1]))
    explorer.update(step=3)
    assert not explorer._diverged.get_visible()


def test_the_widget_builds_and_its_slider_drives_update():
    import ipywidgets as widgets

    explorer = LogisticExplorer(steps=200)
    explorer.update(step=10)
    box = explorer.widget()
    assert isinstance(box, widgets.VBox)
    row, image = box.children
    (slider,) = row.children
    assert explorer.controls == {"step": slider} and explorer.image is image
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(image, widgets.Image)
    assert slider.description == "step" and slider.value == 10
    assert list(slider.options) == slider_steps(200)
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"  # the step shown when built
    shown = image.value
    slider.value = 100
    assert explorer.step == 100
    assert explorer._title.get_text().startswith("n = 100: ")
    assert image.value != shown  # the picture follows the slider
    assert "VBox(children" not in repr(box) and "LogisticExplorer" in repr(box)


def test_slider_steps_are_log_spaced_and_hold_the_deck_steps():
    steps = slider_steps(10000)
    assert steps[:11] == list(range(11))  # every step up to 10
    assert set(DECADES) <= set(steps)
    assert steps == sorted(set(steps)) and steps[-1] == 10000
    per_decade = [sum(10**k < s <= 10 ** (k + 1) for s in steps) for k in range(1, 4)]
    assert all(10 <= c <= 14 for c in per_decade)
    assert slider_steps(7) == list(range(8))


@pytest.mark.parametrize("w", [(0.3, 2.0), (2.0, 0.3), (1.0, -1.0), (0.0, 1.0), (-1.0, 0.0)])
def test_boundary_segment_lies_on_the_line_and_spans_the_box(w):
    box = (-2.0, 3.0, -1.0, 4.0)
    for level in (0.0, 1.5):
        x1, x2 = boundary_segment(np.array(w), 0.5, box, level)
        assert np.allclose(w[0] * x1 + w[1] * x2 + 0.5, level)
        spans_x1 = np.allclose(sorted(x1), box[:2])
        spans_x2 = np.allclose(sorted(x2), box[2:])
        assert spans_x1 or spans_x2


def test_without_weights_there_is_no_boundary():
    x1, x2 = boundary_segment(np.zeros(2), 1.0, (0.0, 1.0, 0.0, 1.0))
    assert x1.size == 0 and x2.size == 0


def test_draw_classifier_needs_points_in_the_plane():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    X3 = np.ones((4, 3))
    with pytest.raises(ValueError, match="2 features"):
        draw_classifier(ax, X3, np.array([1.0, -1, 1, -1]), np.zeros(2), 0.0)
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    lines = draw_classifier(ax, X, np.array([-1.0, 1.0]), np.array([1.0, 1.0]), -1.5)
    assert np.allclose(line_values(lines["boundary"], (1.0, 1.0), -1.5), 0.0)
    assert ax.get_xlim() == pytest.approx(data_box(X)[:2])
