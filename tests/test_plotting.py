"""bpcourse.plotting.draw_mlp: the MLP diagram draws what the network is (issue 10).

The tests read the artists the function adds (circles, edge collections, texts and their
gids), never a picture of its own output.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from bpcourse import MLP
from bpcourse.plotting import diagram_shapes, draw_mlp


def _circles(ax, layer):
    return [p for p in ax.patches if isinstance(p, Circle) and p.get_gid() == f"unit x({layer})"]


def _text(ax, gid):
    found = [t.get_text() for t in ax.texts if t.get_gid() == gid]
    assert len(found) == 1, f"expected one text with gid {gid!r}, found {found}"
    return found[0]


@pytest.fixture
def small():
    fig = draw_mlp([3, 4, 2], activation="relu", output_activation="sigmoid")
    yield fig.axes[0]
    plt.close(fig)


def test_one_circle_per_unit(small):
    assert [len(_circles(small, l)) for l in range(3)] == [3, 4, 2]
    assert sum(isinstance(p, Circle) for p in small.patches) == 9
    assert not [t for t in small.texts if (t.get_gid() or "").startswith("ellipsis")]


def test_every_layer_has_an_edge_bundle_with_its_shapes(small):
    bundles = {c.get_gid(): c for c in small.collections if isinstance(c, LineCollection)}
    assert sorted(bundles) == ["edges w(1)", "edges w(2)"]
    assert len(bundles["edges w(1)"].get_segments()) == 3 * 4  # every input to every unit
    assert len(bundles["edges w(2)"].get_segments()) == 4 * 2
    assert _text(small, "shape w(1)").splitlines() == ["w(1): 4 × 3", "b(1): 4"]
    assert _text(small, "shape w(2)").splitlines() == ["w(2): 2 × 4", "b(2): 2"]


def test_layers_are_labelled_with_their_size_and_activation(small):
    assert _text(small, "layer x(0)").splitlines() == ["x(0) = input", "3 inputs"]
    assert _text(small, "layer x(1)").splitlines() == ["x(1)", "4 units", "σ = relu"]
    assert _text(small, "layer x(2)").splitlines() == [
        "x(2) = output",
        "2 units",
        "output: sigmoid",
    ]


def test_text_is_readable_when_projected(small):
    assert all(t.get_fontsize() >= 12 for t in small.texts)
    assert small.title.get_fontsize() >= 12 and "[3, 4, 2]" in small.title.get_text()


def test_hidden_and_output_units_differ_by_more_than_colour(small):
    hidden, output = _circles(small, 1)[0], _circles(small, 2)[0]
    assert hidden.get_hatch() != output.get_hatch()
    assert hidden.get_linewidth() != output.get_linewidth()


def test_a_big_layer_is_drawn_compactly_with_its_true_size():
    fig = draw_mlp([784, 100, 30, 10], max_units=8)
    ax = fig.axes[0]
    assert [len(_circles(ax, l)) for l in range(4)] == [8, 8, 8, 8]
    assert [
        (t.get_gid(), t.get_text()) for t in ax.texts if t.get_gid().startswith("ellipsis")
    ] == [
        ("ellipsis x(0)", "⋮"),
        ("ellipsis x(1)", "⋮"),
        ("ellipsis x(2)", "⋮"),
        ("ellipsis x(3)", "⋮"),
    ]
    assert _text(ax, "layer x(0)").splitlines()[1] == "784 inputs"
    assert _text(ax, "shape w(1)").splitlines()[0] == "w(1): 100 × 784"
    assert len(_circles(draw_mlp([9, 8], max_units=8).axes[0], 1)) == 8  # 8 fit: no ellipsis
    plt.close("all")


def test_shapes_drawn_agree_with_an_mlp():
    net = MLP([2, 7, 5, 3, 1], activation="tanh", seed=0)
    ax = draw_mlp(net.sizes, net.activation, net.output_activation).axes[0]
    drawn = [_text(ax, f"shape w({l})").splitlines()[0] for l in range(1, len(net.weights) + 1)]
    assert drawn == [
        f"w({l}): {r} × {c}" for l, (r, c) in enumerate((w.shape for w in net.weights), 1)
    ]
    assert _text(ax, "layer x(2)").splitlines()[2] == "σ = tanh"
    assert _text(ax, "layer x(4)").splitlines()[2] == "output: identity"
    plt.close("all")


def test_draws_into_a_given_axes():
    fig, ax = plt.subplots()
    assert draw_mlp([2, 1], ax=ax) is fig
    assert len(_circles(ax, 0)) == 2 and len(_circles(ax, 1)) == 1
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"sizes": [3]}, ValueError, "at least an input and an output"),
        ({"sizes": "3, 2"}, TypeError, "list of layer sizes"),
        ({"sizes": [3, 0]}, ValueError, r"sizes\[1\]"),
        ({"sizes": [3, 2.5]}, TypeError, r"sizes\[1\]"),
        ({"sizes": [3, 2], "max_units": 2}, ValueError, "max_units"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_mlp(**kwargs)


@pytest.mark.parametrize("sizes", [[3, 5, 4, 2], [784, 100, 30, 10], [2, 16, 16, 16, 1], [1, 1]])
def test_no_text_overlaps_another_text_or_a_unit(sizes):
    fig = draw_mlp(sizes)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {}  # a shape label's extent includes its arrow
    for t in [*ax.texts, ax.title]:
        patch = t.get_bbox_patch()
        box = (patch or t).get_window_extent(renderer)
        boxes[t.get_gid() or "title"] = box
    units = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Circle)]
    names = sorted(boxes)
    for i, a in enumerate(names):
        assert fig.bbox.contains(boxes[a].x0, boxes[a].y0), f"{a} leaves the figure"
        assert fig.bbox.contains(boxes[a].x1, boxes[a].y1), f"{a} leaves the figure"
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), f"{a!r} overlaps {b!r}"
        if not a.startswith("ellipsis"):
            assert not any(boxes[a].overlaps(u) for u in units), f"{a!r} covers a unit"
    plt.close(fig)


def test_diagram_shapes_reads_the_labels_drawn():
    fig = draw_mlp([4, 6, 3])
    assert diagram_shapes(fig) == [(6, 4), (3, 6)]
    label = next(t for t in fig.axes[0].texts if t.get_gid() == "shape w(2)")
    label.set_text("w(2): 6 × 3\nb(2): 3")  # a transposed label is read as such
    assert diagram_shapes(fig) == [(6, 4), (6, 3)]
    plt.close(fig)
