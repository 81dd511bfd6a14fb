"""BackwardStepsExplorer and draw_layer_graph (notebook 04): what each step highlights, per step,
what the figures say (and do not say: no formula of Exercise 4.1), and that they read when
projected."""

import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.colors import to_rgba  # noqa: E402

from bpcourse.widgets.backprop import (  # noqa: E402
    GRAPH_BACKWARD,  # noqa: E402
    STYLES,
    BackwardStepsExplorer,
    cell_roles,
    cell_shapes,
    draw_all_steps,
    draw_layer_graph,
    shapes_of_a_run,
    step_options,
)

SIZES, N = (3, 5, 4, 2), 6
L = len(SIZES) - 1
LAYER_KEYS = ("x_prev", "s", "w", "dx", "ds", "dw", "db", "dx_prev")


@pytest.fixture(scope="module")
def explorer():
    return BackwardStepsExplorer(SIZES, N)


def style_of(explorer, cell):
    """The name of the style a cell's box is drawn in, read off the artists."""
    box = explorer.boxes[cell]
    found = [
        name
        for name, st in STYLES.items()
        if np.allclose(box.get_facecolor(), to_rgba(st["fc"]))
        and box.get_hatch() in (st["hatch"], None if not st["hatch"] else st["hatch"])
        and box.get_linewidth() == pytest.approx(st["lw"])
    ]
    assert len(found) == 1, f"{cell}: no single style matches its box"
    return found[0]


def cells_in(explorer, style):
    return {cell for cell in explorer.boxes if style_of(explorer, cell) == style}


def test_the_steps_go_from_the_loss_down_to_layer_1():
    assert step_options(3) == ["start", 3, 2, 1, "done"]
    with pytest.raises(ValueError, match="step must be one of"):
        cell_roles(4, 3)


def test_start_computes_only_the_loss_gradient_from_the_output_and_the_targets(explorer):
    explorer.update(step="start")
    assert cells_in(explorer, "computed") == {(0, "dx_prev")}
    assert cells_in(explorer, "forward") == {(0, "x_prev")}  # x^(L), from the forward pass
    assert cells_in(explorer, "given") == {(0, "w")}  # the targets Y, given
    assert explorer.labels[0, "w"].get_text().startswith("$Y$")
    assert cells_in(explorer, "reused") == set()
    assert cells_in(explorer, "earlier") == set()
    text = explorer._sentence.get_text()
    assert "dL_dx (6, 2)" in text and "x[3]" in text and "targets Y" in text


@pytest.mark.parametrize("l", [3, 2, 1])
def test_step_l_computes_its_four_gradients_from_what_it_reuses(explorer, l):
    explorer.update(step=l)
    assert cells_in(explorer, "computed") == {(l, k) for k in ("ds", "dw", "db", "dx_prev")}
    assert cells_in(explorer, "reused") == {(l, "dx")}  # from the step before
    assert cells_in(explorer, "forward") == {(l, "x_prev"), (l, "s")}  # kept by the forward pass
    assert cells_in(explorer, "given") == {(l, "w")}  # a parameter, not a result of it
    # the steps before this one (the loss, layers L..l+1) are done, the later ones not yet
    earlier_rows = {row for row, _ in cells_in(explorer, "earlier")}
    assert earlier_rows == {0, *range(l + 1, L + 1)}
    for row in range(1, l):
        assert all(style_of(explorer, (row, k)) == "idle" for k in LAYER_KEYS)
    # the arrow into this row is the highlighted one
    widths = {row: a.arrow_patch.get_linewidth() for row, a in explorer.arrows.items()}
    assert max(widths, key=widths.get) == l and sorted(widths.values())[-2] < widths[l]
    text = explorer._sentence.get_text()
    assert f"step l = {l}: computes dL_ds" in text
    assert f"s[{l}] and x[{l - 1}] (forward pass) and w[{l}]" in text
    before = "the loss's row" if l == L else f"step l = {l + 1}"
    assert before in text


def test_done_shows_every_gradient_as_computed_earlier(explorer):
    explorer.update(step="done")
    assert cells_in(explorer, "computed") == set()
    for l in range(1, L + 1):
        assert {(l, k) for k in ("dw", "db")} <= cells_in(explorer, "earlier")


def test_moving_the_slider_back_restores_the_earlier_picture(explorer):
    explorer.update(step=2)
    first = {cell: style_of(explorer, cell) for cell in explorer.boxes}
    explorer.update(step=1)
    explorer.update(step="start")
    explorer.update(step=2)
    assert {cell: style_of(explorer, cell) for cell in explorer.boxes} == first


def test_the_static_figure_shows_every_row_as_during_its_own_step():
    fig = draw_all_steps(SIZES, N)
    roles = cell_roles("all", L)
    assert {cell for cell, r in roles.items() if r == "computed"} == {(0, "dx_prev")} | {
        (l, k) for l in range(1, L + 1) for k in ("ds", "dw", "db", "dx_prev")
    }
    assert {cell for cell, r in roles.items() if r == "reused"} == {
        (l, "dx") for l in range(1, L + 1)
    }
    assert fig.get_size_inches()[0] == 10


def test_the_shapes_shown_are_those_of_the_arrays_the_package_computes(explorer):
    expected = shapes_of_a_run(SIZES, N)
    assert cell_shapes(SIZES, N) == expected
    assert expected[2, "dw"] == (4, 5) and expected[2, "db"] == (4,)  # w^(2) is (D_2, D_1)
    for cell, shape in expected.items():
        assert (
            explorer.labels[cell]
            .get_text()
            .endswith("(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")")
        )


def test_a_non_square_batch_gets_its_own_shapes():
    explorer = BackwardStepsExplorer((7, 2, 3), N=1)
    explorer.update(step=1)
    assert explorer.labels[1, "dw"].get_text().endswith("(2, 7)")
    assert explorer.labels[1, "dx_prev"].get_text().endswith("(1, 7)")
    assert cell_shapes((7, 2, 3), 1) == shapes_of_a_run((7, 2, 3), 1)


def test_the_widget_drives_update_through_its_slider(explorer):
    pytest.importorskip("ipywidgets")
    box = explorer.widget()
    slider = explorer.controls["step"]
    assert [value for _, value in slider.options] == ["start", 3, 2, 1, "done"]
    slider.value = "start"
    before = bytes(explorer.image.value)
    slider.value = 2
    assert explorer.step == 2 and bytes(explorer.image.value) != before
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert repr(box).startswith("<BackwardStepsExplorer")


def test_the_layer_graph_has_the_nodes_and_names_what_flows_back_without_a_formula():
    fig, artists = draw_layer_graph()
    nodes = {k: t.get_text() for k, t in artists["nodes"].items()}
    assert set(nodes) == {"x_prev", "w", "b", "s", "x", "loss"}
    assert nodes["x_prev"].startswith("$x^{(l-1)}$") and nodes["loss"].startswith(r"$\ell$")
    assert nodes["s"].startswith("$s^{(l)} = w^{(l)} x^{(l-1)} + b^{(l)}$")
    assert nodes["x"].startswith(r"$x^{(l)} = \sigma(s^{(l)})$")
    labels = {k: t.get_text() for k, t in artists["backward"].items()}
    # each backward edge carries the gradient of the node it points to, for one sample
    edges = {"dx": "x^{(l)}", "ds": "s^{(l)}", "dw": "w^{(l)}", "db": "b^{(l)}"}
    edges["dx_prev"] = "x^{(l-1)}"
    assert labels == {k: rf"$[\partial\ell/\partial {q}]$" for k, q in edges.items()}
    # and points to it: the arrow of [dl/dq] ends at the node of q
    targets = {k: b for k, (a, b, *_) in GRAPH_BACKWARD.items()}
    assert targets == {"dx": "x", "ds": "s", "dw": "w", "db": "b", "dx_prev": "x_prev"}
    assert set(artists["backward_arrows"]) == set(labels)
    # backward arrows are dashed, the forward ones are not (but the dotted "layers above")
    assert all(a.get_linestyle() == "--" for a in artists["backward_arrows"].values())
    assert len(artists["forward_arrows"]) == 5
    assert all(a.get_linestyle() != "--" for a in artists["forward_arrows"].values())
    fig.canvas.draw()  # renders (the mathtext parses)


@pytest.mark.parametrize("step", ["start", 2, "done"])
def test_only_the_cells_not_reached_are_veiled(explorer, step):
    explorer.update(step=step)
    for cell, veil in explorer.veils.items():
        assert veil.get_visible() == (style_of(explorer, cell) == "idle"), cell


def test_the_widget_figure_with_its_text_drawn_once_looks_like_a_plain_drawing():
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.image import imread

    from bpcourse.widgets.live import png

    fast = BackwardStepsExplorer(SIZES, N)  # its own figure: unchanging text as one image
    plain_fig = Figure(dpi=100)
    FigureCanvasAgg(plain_fig)
    plain = BackwardStepsExplorer(SIZES, N, plain_fig)  # every text drawn as usual
    for step in ("start", 1, "done"):
        a = imread(io.BytesIO(png(fast.update(step=step))))
        b = imread(io.BytesIO(png(plain.update(step=step))))
        assert a.shape == b.shape
        assert np.mean(np.abs(a - b)) < 1e-3, step


def test_the_figures_read_when_projected():
    from bpcourse.notebook import smallest_text_pt

    for fig in (draw_all_steps(SIZES, N), draw_layer_graph()[0]):
        width, height = fig.get_size_inches()
        assert width <= 10 and height <= 5.5  # fits a 16:9 slide at dpi 100
        assert smallest_text_pt(fig) >= 13


def test_no_caption_writes_a_formula_of_exercise_4_1():
    explorer = BackwardStepsExplorer(SIZES, N)
    for step in ["start", *range(L, 0, -1), "done", "all"]:
        explorer.update(step=step)
        text = re.sub(r"step l = \d", "step", explorer._sentence.get_text())
        assert (
            "=" not in text
            and "@" not in text
            and "*" not in text
            and ".T" not in text
            and "sigma" not in text
        ), text
        assert "sum" not in text and "mean" not in text.replace("mean squared", ""), text
