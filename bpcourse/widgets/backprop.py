"""Notebook 04: the computation graph of one layer, and a step-through of the backward pass.

`draw_layer_graph` draws layer l as a graph whose nodes are vector quantities (x^(l-1),
w^(l), b^(l), s^(l), x^(l) and the loss l): solid arrows are the forward pass, labelled nodes
say what it computes; dashed arrows go back, each labelled by what flows along it
([dl/dx^(l)], [dl/ds^(l)], ...) and the formula that computes it.

`BackwardStepsExplorer` draws the backward pass of an MLP on a batch, one row per step: the
loss's gradient at the top, then layers L down to 1. In every row, the quantities a step reads
from the forward pass (x^(l-1), s^(l), and the weights w^(l)), the one it receives from the
step before ([dl/dx^(l)]) and the four it computes ([dl/ds^(l)], [dl/dw^(l)], [dl/db^(l)],
[dl/dx^(l-1)]), each with its shape for the batch. `update(step)` restyles the cells for one
step: "start" (the loss's gradient), l = L, ..., 1, or "done". `draw_all_steps` is the static
picture: every row styled as during its own step.
"""

import functools

import numpy as np

from bpcourse._validate import positive_int

# The styles of a cell: fill, edge colour, edge line style, edge width, hatch. An "idle" cell
# (not reached yet) is also shown through a white veil.
# Colour is never the only carrier: each style also has its own edge and hatch.
STYLES = {
    "computed": {"fc": "#f6b26b", "ec": "black", "ls": "-", "lw": 3.0, "hatch": ""},
    "reused": {
        "fc": "#9fc5e8",
        "ec": "#1f4e79",
        "ls": "--",
        "lw": 2.5,
        "hatch": "//",
    },
    "forward": {
        "fc": "#b6d7a8",
        "ec": "#274e13",
        "ls": ":",
        "lw": 2.5,
        "hatch": "..",
    },
    "earlier": {"fc": "0.88", "ec": "0.45", "ls": "-", "lw": 1.0, "hatch": ""},
    "idle": {"fc": "white", "ec": "0.75", "ls": "-", "lw": 1.0, "hatch": ""},
}
LEGEND = {
    "computed": "computed at this step",
    "reused": "reused from the step before",
    "forward": "read from the forward pass",
    "earlier": "computed at an earlier step",
}

# The columns of a row: key -> x position. Forward values left, backward right.
COLUMNS = {
    "x_prev": 2.25,
    "s": 3.55,
    "w": 4.85,
    "dx": 6.55,
    "ds": 7.85,
    "dw": 9.15,
    "db": 10.45,
    "dx_prev": 11.75,
}
CELL_W, CELL_H = 1.2, 0.74


def _d(q, l):
    """Mathtext of [dl/dq^(l)]."""
    return rf"$[\partial\ell/\partial {q}^{{({l})}}]$"


def _fmt_shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def step_options(L):
    """The steps of the backward pass in order: "start", L, L - 1, ..., 1, "done"."""
    L = positive_int(L, "L", minimum=1)
    return ["start", *range(L, 0, -1), "done"]


def cell_shapes(sizes, N):
    """{(row, key): shape} of every quantity of the step-through, for a batch of N samples.

    Row 0 is the loss's gradient ("x_prev" is x^(L), "s" is Y, "dx_prev" is [dl/dx^(L)]);
    row l = 1..L is layer l's step: x^(l-1) (N, D_(l-1)), s^(l) (N, D_l), w^(l)
    (D_l, D_(l-1)), [dl/dx^(l)] (N, D_l), [dl/ds^(l)] (N, D_l), [dl/dw^(l)] (D_l, D_(l-1)),
    [dl/db^(l)] (D_l,), [dl/dx^(l-1)] (N, D_(l-1)).
    """
    sizes = [positive_int(d, "sizes") for d in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {sizes}")
    N = positive_int(N, "N")
    L = len(sizes) - 1
    shapes = {(0, "x_prev"): (N, sizes[L]), (0, "s"): (N, sizes[L]), (0, "dx_prev"): (N, sizes[L])}
    for l in range(1, L + 1):
        d_in, d_out = sizes[l - 1], sizes[l]
        shapes.update(
            {
                (l, "x_prev"): (N, d_in),
                (l, "s"): (N, d_out),
                (l, "w"): (d_out, d_in),
                (l, "dx"): (N, d_out),
                (l, "ds"): (N, d_out),
                (l, "dw"): (d_out, d_in),
                (l, "db"): (d_out,),
                (l, "dx_prev"): (N, d_in),
            }
        )
    return shapes


def _names(row, L):
    """Mathtext name of each cell of a row."""
    if row == 0:
        return {"x_prev": f"$x^{{({L})}}$", "s": "$Y$", "dx_prev": _d("x", L)}
    l = row
    return {
        "x_prev": f"$x^{{({l - 1})}}$",
        "s": f"$s^{{({l})}}$",
        "w": f"$w^{{({l})}}$",
        "dx": _d("x", l),
        "ds": _d("s", l),
        "dw": _d("w", l),
        "db": _d("b", l),
        "dx_prev": _d("x", l - 1),
    }


FORWARD_READ = ("x_prev", "s", "w")
COMPUTED = ("ds", "dw", "db", "dx_prev")


def cell_roles(step, L):
    """{(row, key): style name} at `step` ("start", an int l in 1..L, "done", or "all").

    At step l the row l computes [dl/ds], [dl/dw], [dl/db], [dl/dx^(l-1)], reuses [dl/dx^(l)]
    (computed by the step before: row l + 1, or the loss's gradient for l = L) and reads
    x^(l-1), s^(l), w^(l) from the forward pass. Rows of steps already done are "earlier",
    rows still to come "idle". "all" styles every row as during its own step.
    """
    order = step_options(L)
    if step not in order and step != "all":
        raise ValueError(f"step must be one of {order} (or 'all'), got {step!r}")
    rows = {0: "start", **{l: l for l in range(1, L + 1)}}
    position = {s: i for i, s in enumerate(order)}
    roles = {}
    for row, own in rows.items():
        keys = ("x_prev", "s", "dx_prev") if row == 0 else tuple(COLUMNS)
        now = step == "all" or own == step
        done = not now and position[own] < position.get(step, -1)
        for key in keys:
            if now:
                if key in ("x_prev", "s", "w"):
                    role = "forward"
                elif key == "dx":
                    role = "reused"
                else:
                    role = "computed"
            elif done:
                role = "earlier" if key not in FORWARD_READ else "idle"
            else:
                role = "idle"
            roles[row, key] = role
    return roles


def step_sentence(step, sizes, N):
    """What `step` computes and what it reuses, in the code's names with shapes (3 lines)."""
    L = len(sizes) - 1
    sh = cell_shapes(sizes, N)
    if step == "start":
        return (
            f"start: dl_dx = 2 * (x[{L}] - Y) / N {_fmt_shape(sh[0, 'dx_prev'])}, "
            "the gradient of the mean squared error,\n"
            f"from the forward pass's output x[{L}] and the targets Y.\n"
            f"Next: layer {L} receives it."
        )
    if step == "done":
        return (
            f"done: dl_dw and dl_db of every layer ({L} of each), shaped like w and b.\n"
            "Each dl_ds was computed once and used three times (dl_dw, dl_db, dl_dx_prev);\n"
            "dl_dx of layer 0 is not needed (the plain layer_backward computes it anyway)."
        )
    if step == "all":
        return (
            "Each row is one step of the backward pass, from the top (start) down to layer 1.\n"
            "Every step computes its four gradients from the dl_dx the step above handed down\n"
            "(dashed arrows) and from two arrays the forward pass kept, s[l] and x[l-1]."
        )
    l = step
    before = "the loss's gradient (start)" if l == L else f"step l = {l + 1}"
    return (
        f"step l = {l}: dl_ds = dl_dx * sigma.df(s[{l}]) {_fmt_shape(sh[l, 'ds'])}, then "
        f"dl_dw = dl_ds.T @ x[{l - 1}] {_fmt_shape(sh[l, 'dw'])},\n"
        f"  dl_db = dl_ds.sum(axis=0) {_fmt_shape(sh[l, 'db'])}, "
        f"dl_dx_prev = dl_ds @ w[{l}] {_fmt_shape(sh[l, 'dx_prev'])}.\n"
        f"Reuses dl_dx {_fmt_shape(sh[l, 'dx'])} from {before}; reads s[{l}] and x[{l - 1}] "
        f"from the forward pass, and the weights w[{l}]."
    )


@functools.cache
def _overlay_class():
    from matplotlib.artist import Artist

    class Overlay(Artist):
        """An RGBA image of the figure's size, drawn pixel for pixel (no resampling)."""

        def __init__(self, image):
            super().__init__()
            self.image = image
            self.set_zorder(1)  # above the cells' axes (0), under the veils' axes (2)

        def draw(self, renderer):
            gc = renderer.new_gc()
            renderer.draw_image(gc, 0, 0, self.image[::-1])  # rows from the bottom
            gc.restore()

    return Overlay


class BackwardStepsExplorer:
    """Step through the backward pass of an MLP with widths `sizes` on a batch of `N` samples.

    Parameters
    ----------
    sizes : sequence of int, the widths D_0, ..., D_L (default (3, 5, 4, 2))
    N : int, the batch size (default 6)
    fig : matplotlib Figure to draw on (a pyplot one, to be shown by plt.show()); default a
        new Figure outside pyplot, as the widget needs

    Attributes
    ----------
    fig : matplotlib Figure, the one figure every update restyles
    boxes : dict (row, key) -> FancyBboxPatch; row 0 is the loss's gradient, row l layer l
    labels : dict (row, key) -> Text, the cell's name and shape
    roles : dict (row, key) -> style name shown now (a key of `STYLES`)
    veils : dict (row, key) -> the white veil over a cell, visible while it is "idle"
    arrows : dict l -> the arrow carrying [dl/dx^(l)] down into layer l's row
    step : the step shown ("start", l, "done" or "all")
    """

    def __init__(self, sizes=(3, 5, 4, 2), N=6, fig=None):
        self.shapes = cell_shapes(sizes, N)
        self.sizes, self.N = [int(d) for d in sizes], int(N)
        self.L = len(self.sizes) - 1
        self.steps = step_options(self.L)
        self._build_figure(fig)

    def _build_figure(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

        L = self.L
        size = (12.5, 2.0 + 0.95 * (L + 1))
        own = fig is None
        if own:  # a figure of its own, outside pyplot, with its own canvas
            fig = Figure(figsize=size, dpi=100)
            FigureCanvasAgg(fig)
        else:
            fig.set_size_inches(*size)
        self.fig = fig
        ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0.4, 12.5)
        top = L + 1.25
        ax.set_ylim(-2.05, top + 0.35)
        ax.set_axis_off()
        self.ax = ax
        # cells not reached yet are shown through a white veil, on axes above everything else
        veil_ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0), zorder=2)
        veil_ax.set_xlim(ax.get_xlim())
        veil_ax.set_ylim(ax.get_ylim())
        veil_ax.set_axis_off()
        self._title = ax.text(0.55, top + 0.12, "", fontsize=14, weight="bold", va="center")
        static = [
            ax.text(
                3.55, top - 0.42, "from the forward pass", ha="center", fontsize=12, style="italic"
            ),
            ax.text(9.15, top - 0.42, "backward pass", ha="center", fontsize=12, style="italic"),
        ]
        self.boxes, self.labels, self.arrows, self.veils = {}, {}, {}, {}
        for row in range(L + 1):
            y = L if row == 0 else row - 1  # the loss's row on top, then L, ..., 1
            name = "loss" if row == 0 else f"layer {row}"
            static.append(ax.text(0.55, y, name, fontsize=13, weight="bold", va="center"))
            for key, text in _names(row, L).items():
                x = COLUMNS[key]
                box = FancyBboxPatch(
                    (x - CELL_W / 2, y - CELL_H / 2),
                    CELL_W,
                    CELL_H,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    mutation_aspect=1,
                )
                ax.add_patch(box)
                self.boxes[row, key] = box
                self.labels[row, key] = ax.text(
                    x,
                    y,
                    f"{text}\n{_fmt_shape(self.shapes[row, key])}",
                    ha="center",
                    va="center",
                    fontsize=12,
                    linespacing=1.3,
                    zorder=4,
                )
                pad = 0.05
                self.veils[row, key] = veil_ax.add_patch(
                    Rectangle(
                        (x - CELL_W / 2 - pad, y - CELL_H / 2 - pad),
                        CELL_W + 2 * pad,
                        CELL_H + 2 * pad,
                        facecolor="white",
                        edgecolor="none",
                        alpha=0.6,
                    )
                )
            if row != 1:  # [dl/dx] flows down into the "dx" cell of the row below
                below = L if row == 0 else row - 1
                self.arrows[below] = ax.annotate(
                    "",
                    xy=(COLUMNS["dx"] + 0.25, y - 1 + CELL_H / 2),
                    xytext=(COLUMNS["dx_prev"] - 0.3, y - CELL_H / 2),
                    arrowprops={"arrowstyle": "-|>", "lw": 1.5, "color": "0.5", "ls": "--"},
                )
        handles = [
            Patch(
                facecolor=STYLES[k]["fc"],
                edgecolor=STYLES[k]["ec"],
                linestyle=STYLES[k]["ls"],
                linewidth=STYLES[k]["lw"] * 0.7,
                hatch=STYLES[k]["hatch"],
                label=label,
            )
            for k, label in LEGEND.items()
        ]
        legend = self.fig.legend(
            handles=handles,
            loc="lower center",
            ncols=4,
            frameon=False,
            fontsize=12,
            bbox_to_anchor=(0.5, 0.0),
            handlelength=2.2,
            handleheight=1.2,
        )
        self._sentence = ax.text(
            0.55, -0.95, "", fontsize=12, va="center", family="monospace", linespacing=1.35
        )
        self._shields = self._add_shields()
        self.step, self.roles = None, {}
        self.update(step="start")
        if own:  # the widget's figure: its unchanging text drawn once, as an image
            self._freeze([*self.labels.values(), *static, legend])

    def _add_shields(self):
        """A plain rectangle behind each label, in its cell's fill: keeps the hatch off the text."""
        from matplotlib.patches import Rectangle

        renderer = self.fig.canvas.get_renderer()
        to_data = self.ax.transData.inverted()
        shields = {}
        for cell, label in self.labels.items():
            (x0, y0), (x1, y1) = to_data.transform(label.get_window_extent(renderer).get_points())
            shields[cell] = self.ax.add_patch(
                Rectangle((x0 - 0.03, y0 - 0.02), x1 - x0 + 0.06, y1 - y0 + 0.04, lw=0, zorder=3)
            )
        return shields

    def _freeze(self, texts):
        """Draw `texts` once into a transparent image laid over the cells, and hide them.

        Text is most of the cost of a redraw (each glyph is rendered again on every draw); the
        labels, headers and legend never change, so a move redraws only the boxes, the arrows,
        the title and the sentence. The image is at the figure's dpi, as `live.png` saves it.
        """
        others = [*self.ax.get_children(), *self.fig.axes[1].get_children()]
        shown = {a: a.get_visible() for a in others}
        for a in others:
            a.set_visible(a in texts)
        self.fig.patch.set_alpha(0.0)  # a transparent background
        self.fig.canvas.draw()
        image = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        self.fig.patch.set_alpha(None)
        for a, visible in shown.items():
            a.set_visible(visible)
        for text in texts:
            text.set_visible(False)
        self._overlay = self.fig.add_artist(_overlay_class()(image))

    def _style(self, role, box, shield, veil):
        st = STYLES[role]
        box.set_facecolor(st["fc"])
        box.set_edgecolor(st["ec"])
        box.set_linestyle(st["ls"])
        box.set_linewidth(st["lw"])
        box.set_hatch(st["hatch"])
        shield.set_facecolor(st["fc"])
        veil.set_visible(role == "idle")

    def update(self, step="start"):
        """Show `step` ("start", l = L..1, "done", or "all"); return the (same) figure."""
        roles = cell_roles(step, self.L)
        for cell, role in roles.items():
            if self.roles.get(cell) != role:
                self._style(role, self.boxes[cell], self._shields[cell], self.veils[cell])
        self.roles = roles
        for row, arrow in self.arrows.items():  # the arrow into the row of this step
            active = step == "all" or step == row
            arrow.arrow_patch.set_color("#1f4e79" if active else "0.6")
            arrow.arrow_patch.set_linewidth(2.5 if active else 1.2)
        if step == "all":
            title = f"The backward pass of an MLP {self.sizes} on N = {self.N} samples, all steps"
        elif step in ("start", "done"):
            title = f"Backward pass, MLP {self.sizes}, N = {self.N}: {step}"
        else:
            title = f"Backward pass, MLP {self.sizes}, N = {self.N}: step l = {step}"
        self._title.set_text(title)
        self._sentence.set_text(step_sentence(step, self.sizes, self.N))
        self.step = step
        return self.fig

    def widget(self):
        """A "step" slider (start, l = L..1, done) above the live figure, wired to `update`."""
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        options = [(s if isinstance(s, str) else f"l = {s}", s) for s in self.steps]
        slider = widgets.SelectionSlider(
            options=options,
            value=self.step if self.step in self.steps else "start",
            description="step",
            continuous_update=True,
            layout=widgets.Layout(width="60%"),
        )
        return live_figure(
            self,
            {"step": slider},
            "<BackwardStepsExplorer: run this cell to get its step slider and figure>",
        )


def draw_all_steps(sizes=(3, 5, 4, 2), N=6, fig=None):
    """The static step-through: every row styled as during its own step; returns the Figure.

    `fig` as in `BackwardStepsExplorer` (resized to fit).
    """
    explorer = BackwardStepsExplorer(sizes, N, fig)
    explorer.update(step="all")
    return explorer.fig


# The layer's computation graph: node -> (x, y, text)
GRAPH_NODES = {
    "x_prev": (1.15, 2.6, "$x^{(l-1)}$\ninput, $D_{l-1}$"),
    "w": (1.5, 5.0, "$w^{(l)}$\nparameter, $D_l \\times D_{l-1}$"),
    "b": (1.5, 0.05, "$b^{(l)}$\nparameter, $D_l$"),
    "s": (6.5, 2.6, "$s^{(l)} = w^{(l)} x^{(l-1)} + b^{(l)}$\n$D_l$"),
    "x": (9.9, 2.6, "$x^{(l)} = \\sigma(s^{(l)})$\n$D_l$"),
    "loss": (12.85, 2.6, "$\\ell$\nloss, a scalar"),
}
# backward edge: key -> (from, to, label, label position, side of the forward arrow)
GRAPH_BACKWARD = {
    "dx": ("loss", "x", _d("x", "l")[:-1] + "$", (11.4, 1.95), +1),
    "ds": (
        "x",
        "s",
        _d("s", "l")[:-1] + r" = " + _d("x", "l")[1:-1] + r" \odot \sigma'(s^{(l)})$",
        (8.2, 1.95),
        +1,
    ),
    "dw": (
        "s",
        "w",
        _d("w", "l")[:-1] + " = " + _d("s", "l")[1:-1] + r"\,(x^{(l-1)})^\top$",
        (6.3, 4.35),
        -1,
    ),
    "db": ("s", "b", _d("b", "l")[:-1] + " = " + _d("s", "l")[1:], (5.6, 0.75), +1),
    "dx_prev": (
        "s",
        "x_prev",
        _d("x", "l-1")[:-1] + r" = (w^{(l)})^\top " + _d("s", "l")[1:],
        (2.95, 1.95),
        +1,
    ),
}
GRAPH_FORWARD = [("x_prev", "s"), ("w", "s"), ("b", "s"), ("s", "x"), ("x", "loss")]
_OFFSET = 0.14  # forward and backward arrows of one edge run side by side, this far apart


def _edge(ax, nodes, a, b, side, **style):
    """An arrow from node a to node b, shifted sideways by `side` * _OFFSET, clipped to both."""
    (xa, ya), (xb, yb) = (np.array(GRAPH_NODES[k][:2]) for k in (a, b))
    d = np.array([xb - xa, yb - ya])
    normal = np.array([-d[1], d[0]]) / np.hypot(*d) * _OFFSET * side
    return ax.annotate(
        "",
        xy=(xb + normal[0], yb + normal[1]),
        xytext=(xa + normal[0], ya + normal[1]),
        arrowprops={
            "arrowstyle": "-|>",
            "lw": 2,
            "shrinkA": 1,
            "shrinkB": 1,
            "patchA": nodes[a].get_bbox_patch(),
            "patchB": nodes[b].get_bbox_patch(),
            "mutation_scale": 20,
            **style,
        },
    ).arrow_patch


def draw_layer_graph(fig=None):
    """Draw the computation graph of layer l on `fig` (resized to fit; a new Figure if None).

    Nodes are the vector quantities with their forward values and sizes. Each edge has two
    arrows side by side: solid black, the forward pass (dotted from x^(l) to the loss: through
    layers l+1..L); dashed red, the backward pass, labelled by what flows back along it and
    how it is computed.

    Returns
    -------
    (fig, artists) with artists = {"nodes": {key: Text}, "backward": {key: Text},
    "backward_arrows": {key: FancyArrowPatch}, "forward_arrows": {(from, to): FancyArrowPatch}}
    """
    if fig is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(dpi=100)
        FigureCanvasAgg(fig)
    fig.set_size_inches(12.5, 5.6)
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
    ax.set_xlim(0.2, 13.7)
    ax.set_ylim(-0.3, 5.5)
    ax.set_axis_off()
    nodes = {
        key: ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=13,
            linespacing=1.4,
            bbox={"boxstyle": "round,pad=0.45", "fc": "#eef3f8", "ec": "black", "lw": 1.5},
        )
        for key, (x, y, text) in GRAPH_NODES.items()
    }
    fig.canvas.draw()  # the boxes' sizes, so that the arrows are clipped to them
    side = {(b, a): s for a, b, _, _, s in GRAPH_BACKWARD.values()}  # the other side
    forward = {
        (a, b): _edge(ax, nodes, a, b, side[a, b], color="black", ls=":" if b == "loss" else "-")
        for a, b in GRAPH_FORWARD
    }
    ax.text(11.4, 3.0, r"layers $l+1, \dots, L$", ha="center", fontsize=12, style="italic")
    backward, arrows = {}, {}
    for key, (a, b, label, (lx, ly), side) in GRAPH_BACKWARD.items():
        arrows[key] = _edge(ax, nodes, a, b, side, color="C3", ls="--")
        backward[key] = ax.text(lx, ly, label, ha="center", va="center", fontsize=15, color="C3")
    fig.suptitle(
        "Layer l as a computation graph: forward pass (solid, black), "
        "backward pass (dashed, red, labelled by what flows back)",
        fontsize=14,
        y=0.98,
    )
    return fig, {
        "nodes": nodes,
        "backward": backward,
        "backward_arrows": arrows,
        "forward_arrows": forward,
    }


def shapes_of_a_run(sizes, N, seed=0):
    """{(row, key): shape} of the arrays `bpcourse.mlp` computes for a random network.

    The same cells as `cell_shapes`, filled from a real forward pass (`MLP.trace`) and the
    plain backward steps (`mlp.layer_backward`): the tests compare the two.
    """
    from bpcourse import MLP, losses
    from bpcourse import mlp as bp_mlp

    net = MLP(list(sizes), activation="tanh", seed=seed)
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(N, sizes[0])), rng.normal(size=(N, sizes[-1]))
    t = net.trace(X)
    L = net.n_layers
    _, dl_dx = losses.mse(t.x[L], Y)
    shapes = {(0, "x_prev"): t.x[L].shape, (0, "s"): Y.shape, (0, "dx_prev"): dl_dx.shape}
    for l in range(L, 0, -1):
        w = net.weights[l - 1]
        dl_dx_prev, dl_dw, dl_db = bp_mlp.layer_backward(dl_dx, t.s[l], t.x[l - 1], w, net.sigma(l))
        dl_ds = dl_dx * net.sigma(l).df(t.s[l])
        shapes.update(
            {
                (l, "x_prev"): t.x[l - 1].shape,
                (l, "s"): t.s[l].shape,
                (l, "w"): w.shape,
                (l, "dx"): dl_dx.shape,
                (l, "ds"): dl_ds.shape,
                (l, "dw"): dl_dw.shape,
                (l, "db"): dl_db.shape,
                (l, "dx_prev"): dl_dx_prev.shape,
            }
        )
        dl_dx = dl_dx_prev
    return shapes
