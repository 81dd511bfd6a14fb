"""The explorers of notebook 07 draw what gradient descent does, reuse one figure, report
divergence on the plot with finite axes, and refuse bad slider values."""

import io
import math
import warnings

import numpy as np
import pytest

from bpcourse.widgets.descent import FUNCTIONS, DescentExplorer, QuadraticExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return DescentExplorer(steps=40)


@pytest.fixture(scope="module")
def quadratic():
    return QuadraticExplorer(steps=50)


def limits_are_finite(ax):
    return all(math.isfinite(v) for v in (*ax.get_xlim(), *ax.get_ylim()))


# ----- DescentExplorer ------------------------------------------------------------------------
def test_bowl_dip_function_path_follows_the_update_rule(explorer):
    explorer.update(eta=0.125, w0=3.0, function="bowl_dip")
    w = [3.0]
    for _ in range(40):  # L(w) = w^2/2 - exp(-5 (w - 2)^2), written out here
        v = w[-1]
        w.append(v - 0.125 * (v + 10 * (v - 2) * math.exp(-5 * (v - 2) ** 2)))
    x, y = explorer.path.get_data()
    np.testing.assert_allclose(x, w, rtol=1e-12)
    np.testing.assert_allclose(y, [v**2 / 2 - math.exp(-5 * (v - 2) ** 2) for v in w], rtol=1e-12)


@pytest.mark.parametrize("eta", [0.01, 0.125, 0.3, 0.45])
def test_quadratic_path_is_geometric_with_ratio_one_minus_eta_lambda(explorer, eta):
    explorer.update(eta=eta, w0=1.5, function="quadratic")  # L = 2 w^2, curvature 4
    x, _ = explorer.path.get_data()
    np.testing.assert_allclose(x, 1.5 * (1 - 4 * eta) ** np.arange(41), rtol=1e-10, atol=1e-300)
    # |1 - 4 eta| < 1: in the long run (1000 steps) the run settles at the minimum
    assert explorer.status.get_text() == "settles at w = 0.000"


@pytest.mark.parametrize(
    ("function", "eta", "w0"),
    [
        ("bowl_dip", 0.45, 3.0),
        ("bowl_dip", 2.2, 3.0),
        ("quartic", 0.3, 2.6),
        ("smooth_abs", 3.0, 3.0),
    ],
)
def test_the_long_run_is_the_tail_of_gradient_descent(function, eta, w0):
    from bpcourse.descent import gradient_descent
    from bpcourse.widgets.descent import _long_run

    fn = FUNCTIONS[function]
    full = gradient_descent(fn.dL, w0, eta, 1000)
    tail = _long_run(fn.dL, w0, eta, 1000)
    assert (tail.diverged, tail.diverged_at) == (full.diverged, full.diverged_at)
    np.testing.assert_allclose(tail.w, full.w[-len(tail.w) :], rtol=1e-12)


def test_status_says_how_the_run_ends(explorer):
    # the dip of L = w^2/2 - exp(-5 (w - 2)^2): curvature 4.57 at w = 1.769, so eta = 0.125
    # converges there, and eta = 0.45 > 2/4.57 hops around it (from w0 = 3)
    explorer.update(eta=0.125, w0=3.0, function="bowl_dip")
    assert explorer.status.get_text() == "settles at w = 1.769"
    explorer.update(eta=0.45)
    w = [3.0]
    for _ in range(1000):  # the long run, written out
        w.append(w[-1] - 0.45 * (w[-1] + 10 * (w[-1] - 2) * math.exp(-5 * (w[-1] - 2) ** 2)))
    low, high = sorted(w[-2:])
    assert abs(w[-1] - w[-3]) < 1e-9 and low < 1.769 < high
    assert explorer.status.get_text() == f"hops between {low:.3f} and {high:.3f}"
    explorer.update(eta=3.0, w0=3.0, function="smooth_abs")  # hops between +-sqrt(5)/2
    assert explorer.status.get_text() == "hops between -1.118 and 1.118"
    explorer.update(eta=0.3, w0=1.0, function="quartic")  # w_t ~ 1/sqrt(2 eta t): slow
    assert explorer.status.get_text() == "still moving after 1000 steps"
    explorer.update(eta=0.6, w0=1.5, function="quadratic")  # the drawn steps say it first
    growth = 1.4 ** (2 * 40)  # L = 2 w^2 and w grows by |1 - 4 eta| = 1.4 per step
    assert explorer.status.get_text() == f"diverging: L − min L ×{growth:.0e} in 40 steps"


def test_loss_panel_shows_the_loss_above_its_minimum(explorer):
    explorer.update(eta=0.1, w0=-1.0, function="quadratic")
    t, excess = explorer.loss_line.get_data()
    np.testing.assert_array_equal(t, np.arange(41))
    np.testing.assert_allclose(excess, np.maximum(2 * 0.36 ** np.arange(41), 1e-16), rtol=1e-9)


def test_a_slider_move_changes_the_path_and_keeps_the_same_figure(explorer):
    fig = explorer.update(eta=0.125, w0=3.0, function="bowl_dip")
    before = np.array(explorer.path.get_xdata())
    n_lines = [len(ax.lines) for ax in fig.axes]
    again = explorer.update(eta=0.5)
    assert again is fig is explorer.fig
    assert [len(ax.lines) for ax in fig.axes] == n_lines
    assert not np.allclose(explorer.path.get_xdata(), before)
    # eta = 0.125 settles in the narrow dip near w = 1.77, eta = 0.5 in the wide bowl at 0
    assert abs(explorer.path.get_xdata()[-1]) < 1e-3
    assert abs(before[-1] - 1.77) < 0.01


def test_divergence_is_written_on_the_plot_with_finite_axes(explorer):
    # L = 2 w^2 with eta = 1: w_t = (-3)^t, so L(w_t) / L(w_0) = 9^t first exceeds 1e12 at
    # t = 13, the step gradient_descent reports.
    first = next(t for t in range(100) if 9.0**t > 1e12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.update(eta=1.0, w0=1.0, function="quadratic")
    assert explorer.status.get_text() == f"diverged at step {first}"
    assert len(explorer.path.get_xdata()) == first
    assert all(limits_are_finite(ax) for ax in explorer.fig.axes)


@pytest.mark.parametrize("function", list(FUNCTIONS))
def test_every_function_at_the_largest_eta_keeps_finite_axes(explorer, function):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.update(
            eta=DescentExplorer.ETA_RANGE[1], w0=DescentExplorer.W0_RANGE[1], function=function
        )
        explorer.fig.savefig(io.BytesIO(), format="png")  # render: no warning either
    assert all(limits_are_finite(ax) for ax in explorer.fig.axes)
    assert all(np.all(np.isfinite(line.get_ydata())) for line in explorer.fig.axes[0].lines)


@pytest.mark.parametrize(
    ("values", "error", "names"),
    [
        ({"eta": 0.0}, ValueError, "eta"),
        ({"eta": -0.1}, ValueError, "eta"),
        ({"eta": float("nan")}, ValueError, "eta"),
        ({"eta": "fast"}, TypeError, "eta"),
        ({"w0": float("inf")}, ValueError, "w0"),
        ({"w0": [1.0, 2.0]}, ValueError, "w0"),
        ({"function": "cubic"}, ValueError, "function"),
    ],
)
def test_bad_values_raise_an_error_naming_the_control(explorer, values, error, names):
    with pytest.raises(error, match=names):
        explorer.update(**values)


def test_widget_has_eta_log_slider_first_and_redraws_on_change():
    import ipywidgets as widgets

    explorer = DescentExplorer(steps=20)
    box = explorer.widget()
    controls, image = box.children
    eta, w0, function = controls.children
    assert isinstance(eta, widgets.FloatLogSlider) and eta.description == "eta"
    assert isinstance(w0, widgets.FloatSlider) and w0.description == "w0"
    assert isinstance(function, widgets.Dropdown) and function.description == "function"
    assert set(function.options) == {(fn.label, key) for key, fn in FUNCTIONS.items()}
    assert explorer.controls == {"eta": eta, "w0": w0, "function": function}
    assert isinstance(image, widgets.Image) and image is explorer.image
    assert image.value[:8] == PNG_SIGNATURE  # drawn once when built
    before, shown = np.array(explorer.path.get_xdata()), image.value
    eta.value = 0.3
    assert explorer.eta == pytest.approx(0.3)
    assert not np.allclose(explorer.path.get_xdata(), before)
    assert image.value != shown  # the picture follows the slider
    shown = image.value
    function.value = "quartic"
    assert explorer.function == "quartic"
    assert image.value != shown
    assert repr(box) == "<DescentExplorer: run this cell to get its sliders and figure>"


# ----- QuadraticExplorer ----------------------------------------------------------------------
@pytest.mark.parametrize(("kappa", "eta"), [(1.0, 0.5), (10.0, 1.0), (20.0, 1.8), (100.0, 1.95)])
def test_each_coordinate_shrinks_by_its_own_factor(quadratic, kappa, eta):
    quadratic.update(kappa=kappa, eta=eta)
    x, y = quadratic.path.get_data()
    t = np.arange(51)
    np.testing.assert_allclose(x, -4.5 * (1 - eta / kappa) ** t, rtol=1e-10)
    np.testing.assert_allclose(y, 2.0 * (1 - eta) ** t, rtol=1e-10, atol=1e-300)
    if eta > 1:  # the steep coordinate changes sign at every step: the zig-zag
        assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))


def test_level_sets_are_ellipses_stretched_by_sqrt_kappa(quadratic):
    quadratic.update(kappa=25.0, eta=1.0)
    for line, c in zip(quadratic.levels, QuadraticExplorer.LEVELS):
        x, y = line.get_data()
        np.testing.assert_allclose(0.5 * (x**2 / 25.0 + y**2), c, rtol=1e-12)
        assert np.max(x) == pytest.approx(5 * np.max(y))


def test_eta_above_two_diverges_whatever_kappa(quadratic):
    # w_t = ((1 - eta/kappa)^t w_1, (1 - eta)^t w_2): with eta = 2.5 the steep coordinate grows
    # by 1.5 per step, and the run stops at the first t with L(w_t) > 1e12 L(w_0).
    def loss(t, kappa):
        return 0.5 * ((-4.5 * (1 - 2.5 / kappa) ** t) ** 2 / kappa + (2.0 * (-1.5) ** t) ** 2)

    for kappa in (1.0, 10.0, 100.0):
        first = next(t for t in range(100) if loss(t, kappa) > 1e12 * loss(0, kappa))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = quadratic.update(kappa=kappa, eta=2.5)
        assert fig is quadratic.fig
        assert quadratic.status.get_text() == f"diverged at step {first}"
        assert all(limits_are_finite(ax) for ax in fig.axes)
        quadratic.update(eta=2.1)  # w2 grows by 1.1 per step: not exploded yet in 50 steps
        # the status sits on the distance panel: it names |w2| and its own growth, 1.1^50
        # (the loss grew by about its square)
        assert quadratic.status.get_text() == f"diverging: |w₂| ×{1.1**50:.0f} in 50 steps"
    quadratic.update(kappa=100.0, eta=1.9)
    assert quadratic.status.get_text().startswith("L(w₅₀) = ")


@pytest.mark.parametrize(
    ("values", "error", "names"),
    [
        ({"kappa": 0.5}, ValueError, "kappa"),
        ({"kappa": float("inf")}, ValueError, "kappa"),
        ({"eta": 0}, ValueError, "eta"),
        ({"eta": None, "kappa": "big"}, TypeError, "kappa"),
    ],
)
def test_quadratic_bad_values_raise(quadratic, values, error, names):
    with pytest.raises(error, match=names):
        quadratic.update(**values)


def test_quadratic_widget_builds_with_kappa_then_eta():
    import ipywidgets as widgets

    explorer = QuadraticExplorer(steps=10)
    box = explorer.widget()
    controls, image = box.children
    kappa, eta = controls.children
    assert isinstance(kappa, widgets.FloatLogSlider) and kappa.description == "kappa"
    assert isinstance(eta, widgets.FloatSlider) and eta.description == "eta"
    assert isinstance(image, widgets.Image) and image.value[:8] == PNG_SIGNATURE
    shown = image.value
    kappa.value = 50.0
    assert explorer.kappa == pytest.approx(50.0)
    levels = QuadraticExplorer.LEVELS
    assert np.max(explorer.levels[-1].get_xdata()) == pytest.approx(np.sqrt(2 * levels[-1] * 50))
    assert image.value != shown
    assert "QuadraticExplorer" in repr(box) and "VBox(children" not in repr(box)


# ----- legends: every line named, told apart without colour -------------------------------------
def legend_entries(fig):
    (legend,) = fig.legends
    return [t.get_text() for t in legend.get_texts()], legend.legend_handles


def look(line):
    return line.get_linestyle(), line.get_marker()


def test_descent_explorer_legend_names_the_curve_the_iterates_the_start_and_the_loss(explorer):
    labels, handles = legend_entries(explorer.fig)
    assert labels == ["L(w)", "iterates (w_t, L(w_t))", "start w₀", "L(w_t) − min L, by step"]
    assert [look(h) for h in handles] == [
        look(line) for line in (explorer.curve, explorer.path, explorer.start, explorer.loss_line)
    ]
    # in the left panel, the curve, the iterates and the start differ by line style or marker
    assert len({look(explorer.curve), look(explorer.path), look(explorer.start)}) == 3
    explorer.update(eta=2.5, function="quadratic")  # a move keeps the legend, below the axes
    assert legend_entries(explorer.fig)[0] == labels
    explorer.update(eta=0.125, function="bowl_dip")


def test_quadratic_explorer_legend_names_every_line_and_the_coordinates_differ_in_style(
    quadratic,
):
    labels, handles = legend_entries(quadratic.fig)
    assert labels == [
        "level sets of L",
        "iterates w_t",
        "minimum",
        "|w₁,t| (flat)",
        "|w₂,t| (steep)",
    ]
    flat, steep = quadratic.norms
    assert flat.get_linestyle() != steep.get_linestyle()
    assert len({look(quadratic.levels[0]), look(quadratic.path), look(quadratic.minimum)}) == 3
    assert [look(h) for h in handles][-2:] == [look(flat), look(steep)]
