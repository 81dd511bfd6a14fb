"""Tests of notebook 06's ApproximationExplorer: the plotted data follow the maths."""

import io

import numpy as np
import pytest

from bpcourse.approximation import relu_interpolant
from bpcourse.widgets.approximation import TARGETS, ApproximationExplorer, KnotExplorer
from bpcourse.widgets.live import png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return ApproximationExplorer(n=8, target="sin")


def piecewise_linear(psi, a, b, n, x):
    """The interpolant at n + 1 evenly spaced knots, written independently with np.interp."""
    knots = np.linspace(a, b, n + 1)
    return np.interp(x, knots, psi(knots))


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("n", [1, 3, 8, 21])
def test_plotted_approximation_is_the_piecewise_linear_interpolant(explorer, target, n):
    explorer.update(n=n, target=target)
    psi, a, b, _ = TARGETS[target]
    x, y = explorer.approx_line.get_data()
    np.testing.assert_allclose(y, piecewise_linear(psi, a, b, n, x), atol=1e-12)
    x_target, y_target = explorer.target_line.get_data()
    np.testing.assert_allclose(y_target, psi(x_target))
    assert x[0] == a and x[-1] == b


@pytest.mark.parametrize("n", [2, 5, 13])
def test_knots_are_evenly_spaced_on_the_target(explorer, n):
    explorer.update(n=n, target="bumpy")
    psi, a, b, _ = TARGETS["bumpy"]
    knots, values = explorer.knot_marks.get_data()
    assert len(knots) == n + 1
    np.testing.assert_allclose(np.diff(knots), (b - a) / n)
    np.testing.assert_allclose(values, psi(knots))


def test_largest_error_is_measured_and_written_on_the_plot(explorer):
    explorer.update(n=6, target="sin")
    x, error = explorer.error_line.get_data()
    expected = np.max(np.abs(np.sin(x) - piecewise_linear(np.sin, -np.pi, np.pi, 6, x)))
    assert explorer.max_error == pytest.approx(expected, rel=1e-9)
    assert f"{expected:.2e}" in explorer.text.get_text()
    assert "n = 6 units" in explorer.text.get_text()
    (x_worst,), (e_worst,) = explorer.worst_mark.get_data()
    assert abs(e_worst) == pytest.approx(expected, rel=1e-9)


def test_error_of_sin_falls_fourfold_when_n_doubles(explorer):
    explorer.update(n=16, target="sin")
    coarse = explorer.max_error
    explorer.update(n=32, target="sin")
    assert coarse / explorer.max_error == pytest.approx(4.0, rel=0.05)


def test_abs_is_exact_when_a_knot_sits_on_the_kink_and_off_by_h_over_2_otherwise(explorer):
    explorer.update(n=4, target="|x|")
    assert explorer.max_error < 1e-12
    explorer.update(n=5, target="|x|")  # the kink is the middle of a cell of width 2/5
    assert explorer.max_error == pytest.approx(1 / 5, rel=1e-9)


def test_the_same_figure_is_reused(explorer):
    fig = explorer.fig
    lines = list(fig.axes[0].lines)
    assert explorer.update(n=3, target="step-like") is fig
    assert explorer.update(n=40) is fig
    assert list(fig.axes[0].lines) == lines
    assert len(fig.axes) == 2


def test_unchanged_values_are_kept_when_omitted(explorer):
    explorer.update(n=7, target="bumpy")
    explorer.update(n=9)
    assert explorer.target == "bumpy"
    explorer.update(target="sin")
    assert explorer.n == 9


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n": 0}, ValueError, "n must be at least 1"),
        ({"n": 2.5}, TypeError, "n must be an integer"),
        ({"n": 1000}, ValueError, "n must be at most n_max"),
        ({"target": "cos"}, ValueError, "target must be one of"),
    ],
)
def test_bad_values_raise_a_clear_error(explorer, kwargs, error, words):
    with pytest.raises(error, match=words):
        explorer.update(**kwargs)


def test_renders_to_png_of_the_figure_size():
    import matplotlib.image

    explorer = ApproximationExplorer(n=5, target="|x|")
    data = png(explorer.fig)
    assert data[:8] == PNG_SIGNATURE
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (450, 700)  # 4.5 x 7 inches at 100 dpi, no bbox cropping


def test_png_uses_the_fastest_zlib_level():
    data = png(ApproximationExplorer(n=3).fig)
    idat = data.index(b"IDAT") + 4  # the zlib stream starts after the chunk type
    cmf, flg = data[idat], data[idat + 1]
    assert cmf & 0x0F == 8 and (cmf * 256 + flg) % 31 == 0  # a deflate stream header (RFC 1950)
    assert flg >> 6 == 0  # FLEVEL 0: "fastest" (level 1); matplotlib's default 6 writes 2


def test_widget_builds_and_its_controls_drive_update():
    import ipywidgets as widgets

    explorer = ApproximationExplorer(n=8, target="sin")
    box = explorer.widget()
    assert isinstance(box, widgets.VBox)
    row, image = box.children
    slider, menu = explorer.controls["n"], explorer.controls["target"]
    assert list(row.children) == [slider, menu] and image is explorer.image
    assert isinstance(image, widgets.Image)  # not an Output: no display message to hang on
    assert (slider.description, menu.description) == ("n units", "target")
    assert image.value == png(explorer.fig)  # drawn once when built
    assert (slider.min, slider.max, slider.value) == (1, explorer.n_max, 8)
    assert list(menu.options) == list(TARGETS)
    slider.value = 3
    assert explorer.n == 3
    assert len(explorer.knot_marks.get_data()[0]) == 4
    shown = explorer.image.value
    assert shown[:8] == PNG_SIGNATURE
    menu.value = "|x|"
    assert explorer.target == "|x|"
    assert explorer.ax.get_xlim() == (-1.0, 1.0)
    assert explorer.image.value != shown  # the picture follows the controls
    assert "ApproximationExplorer" in repr(box)  # a sentence, not VBox(children=...)


# ----- KnotExplorer ------------------------------------------------------------------------------
def small_trained():
    """A 'trained network' written by hand: 4 ReLU units, knots at -2, -0.5, 1 and 2.5."""
    from bpcourse.approximation import ReluSum

    return ReluSum(0.1, [1.0, 1.0, -1.0, 1.0], [2.0, 0.5, 1.0, -2.5], [0.3, -0.6, 0.2, 0.4])


@pytest.fixture()
def knots_explorer():
    return KnotExplorer(trained=small_trained())


def test_knot_explorer_draws_the_chords_through_the_chosen_knots(knots_explorer):
    inner = [-2.0, -1.2, -0.1, 0.4, 1.0, 1.9, 2.8]
    knots_explorer.update(knots=inner)
    x, y = knots_explorer.sum_line.get_data()
    knots = np.concatenate([[-np.pi], inner, [np.pi]])
    np.testing.assert_allclose(y, np.interp(x, knots, np.sin(knots)), atol=1e-12)
    assert knots_explorer.n_units == 8
    marks_x, marks_y = knots_explorer.knot_marks.get_data()
    np.testing.assert_allclose(marks_x, knots)
    np.testing.assert_allclose(marks_y, np.sin(knots))


def test_knot_explorer_measures_both_errors_independently(knots_explorer):
    knots_explorer.update(t1=-2.5, t4=0.3)
    knots = np.sort(np.concatenate([[-np.pi, np.pi], knots_explorer.inner]))
    x = knots_explorer.x
    chord = np.interp(x, knots, np.sin(knots))
    assert knots_explorer.max_error == pytest.approx(np.max(np.abs(chord - np.sin(x))), rel=1e-9)
    train = np.linspace(-np.pi, np.pi, 200)
    mse = np.mean((np.interp(train, knots, np.sin(knots)) - np.sin(train)) ** 2)
    assert knots_explorer.mse == pytest.approx(mse, rel=1e-9)
    net = small_trained()
    net_by_hand = 0.1 + np.maximum(np.outer(x, net.w) + net.b, 0) @ net.omega
    assert knots_explorer.trained_max_error == pytest.approx(
        np.max(np.abs(net_by_hand - np.sin(x))), rel=1e-9
    )
    text = knots_explorer.text.get_text()
    assert f"{knots_explorer.max_error:.2e}" in text and f"{knots_explorer.trained_mse:.2e}" in text


def test_knot_explorer_marks_the_trained_networks_knots():
    explorer = KnotExplorer(trained=small_trained())
    np.testing.assert_allclose(explorer.trained_knots, [-2.0, -0.5, 1.0, 2.5])


def test_knot_explorer_takes_a_bpcourse_mlp():
    from bpcourse import MLP

    net = MLP([1, 5, 1], activation="relu", seed=4)
    explorer = KnotExplorer(trained=net)
    x = explorer.x
    expected = np.max(np.abs(net.forward(x[:, None])[:, 0] - np.sin(x)))
    assert explorer.trained_max_error == pytest.approx(expected, rel=1e-12)
    w, b = net.weights[0][:, 0], net.biases[0]
    np.testing.assert_allclose(explorer.trained_knots, np.sort(-b / w))


def test_evenly_spaced_knots_give_relu_interpolant(knots_explorer):
    knots_explorer.update(knots=np.linspace(-np.pi, np.pi, 9)[1:-1])
    f = relu_interpolant(np.sin, -np.pi, np.pi, 8)
    np.testing.assert_allclose(knots_explorer.approx, f(knots_explorer.x), atol=1e-12)


def test_knots_moved_toward_the_bends_of_sin_lower_the_largest_error(knots_explorer):
    even = np.linspace(-np.pi, np.pi, 9)[1:-1]
    knots_explorer.update(knots=even)
    before = knots_explorer.max_error
    knots_explorer.update(knots=even + 0.2 * (np.sign(even) * np.pi / 2 - even))
    assert knots_explorer.max_error < 0.75 * before


def test_knot_explorer_draws_any_parameters_of_the_sum_it_is_given():
    """A student's relu_sum_through in other parameters (units relu(t_(k+1) - x), c = y_n)
    draws the same sum; the explorer calls the function it is given, not the package's."""
    calls = []

    def mirrored(t, y):
        calls.append(len(t))
        slopes = np.diff(y) / np.diff(t)
        changes = np.concatenate([slopes[1:], [0.0]]) - slopes
        return [y[-1]], list(-np.ones(len(slopes))), list(t[1:]), list(changes)

    inner = [-2.0, -1.2, -0.1, 0.4, 1.0, 1.9, 2.8]
    theirs = KnotExplorer(trained=small_trained(), through=mirrored)
    ours = KnotExplorer(trained=small_trained())
    theirs.update(knots=inner)
    ours.update(knots=inner)
    assert calls and calls[-1] == 9
    np.testing.assert_allclose(theirs.approx, ours.approx, atol=1e-12)
    assert theirs.n_units == ours.n_units == 8
    assert theirs.mse == pytest.approx(ours.mse, rel=1e-9)


def test_knot_explorer_refuses_a_through_that_is_not_a_function():
    with pytest.raises(TypeError, match="through must be a function"):
        KnotExplorer(through=(0.0, [1.0], [0.0], [1.0]))


def test_equal_knots_and_knots_on_the_ends_count_once(knots_explorer):
    knots_explorer.update(knots=[-1.0, -1.0, 0.0, 0.0, 1.0, np.pi, 5.0])
    np.testing.assert_allclose(knots_explorer.knots, [-np.pi, -1.0, 0.0, 1.0, np.pi])
    assert knots_explorer.n_units == 4
    assert f"{4} units" in knots_explorer.text.get_text()


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"t9": 0.0}, TypeError, "unknown knot 't9'"),
        ({"knots": [0.0, 1.0]}, ValueError, "must hold 7 inner knots"),
        ({"t2": np.nan}, ValueError, "NaN"),
    ],
)
def test_knot_explorer_bad_values_raise_a_clear_error(knots_explorer, kwargs, error, words):
    with pytest.raises(error, match=words):
        knots_explorer.update(**kwargs)


def test_knot_explorer_without_a_trained_network():
    explorer = KnotExplorer(knots=[-1.0, 1.0])
    assert explorer.trained_mse is None and explorer.n_units == 3
    assert "trained" not in explorer.text.get_text()


def test_knot_widget_sliders_drive_update():
    import ipywidgets as widgets

    explorer = KnotExplorer(trained=small_trained())
    before = (explorer.inner.copy(), explorer.max_error)
    box = explorer.widget()
    row, image = box.children
    # the sliders start at the knots themselves, not rounded ones: the live figure is the
    # static one until a slider moves
    assert [s.value for s in row.children] == list(before[0])
    assert explorer.max_error == before[1]
    assert isinstance(image, widgets.Image) and image is explorer.image
    assert [s.description for s in row.children] == [f"t{i}" for i in range(1, 8)]
    assert row.layout.flex_flow == "row wrap"
    shown = image.value
    explorer.controls["t3"].value = 0.25
    assert explorer.inner[2] == 0.25 and 0.25 in explorer.knots
    assert image.value != shown and image.value[:8] == PNG_SIGNATURE
    assert "KnotExplorer" in repr(box)


# ----- told apart without colour ----------------------------------------------------------------
def look(line):
    """What tells a line from another besides its colour: its line style and its marker."""
    return line.get_linestyle(), line.get_marker()


def test_target_and_sum_differ_in_line_style_not_only_in_colour(explorer):
    explorer.update(n=8, target="sin")
    assert explorer.target_line.get_linestyle() != explorer.approx_line.get_linestyle()
    assert look(explorer.target_line) == (":", "None") and look(explorer.approx_line) == (
        "-",
        "None",
    )
    assert look(explorer.knot_marks)[1] == "o" and look(explorer.knot_marks)[0] == "None"
    labels = [t.get_text() for t in explorer.ax.get_legend().get_texts()]
    assert labels == ["target ψ", "sum of n ReLUs", "knots"]


def test_knot_explorer_target_sum_and_trained_network_differ_in_line_style(knots_explorer):
    by_label = {line.get_label(): line for line in knots_explorer.ax.get_lines()}
    target, mine = by_label["target ψ"], by_label["ReLU sum, your knots"]
    trained = by_label["trained network"]
    assert target is knots_explorer.target_line and mine is knots_explorer.sum_line
    styles = [line.get_linestyle() for line in (target, mine, trained)]
    assert len(set(styles)) == 3, styles  # dotted, solid, dashed
    knots_explorer.update(t1=-2.0)  # a move keeps them apart
    assert knots_explorer.target_line.get_linestyle() != knots_explorer.sum_line.get_linestyle()
