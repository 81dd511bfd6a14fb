"""Notebook 04: the computation graph of one layer, and a step-through of the backward pass.

`draw_layer_graph` draws layer l for one sample as a graph whose nodes are vector quantities
(x^(l-1), w^(l), b^(l), s^(l), x^(l) and the loss l): solid arrows are the forward pass,
labelled nodes say what it computes; dashed arrows go back, each labelled by what flows along
it ([dl/dx^(l)], [dl/ds^(l)], ...), never by how it is computed (that is Exercise 4.1).

`BackwardStepsExplorer` draws the backward pass of an MLP on a batch, one row per step: the
loss's gradient at the top, then layers L down to 1. In every row, what a step reads from the
forward pass (x^(l-1), s^(l)), what is given to it (the weights w^(l); the targets Y at the
top), the gradient it receives from the step before ([dL/dx^(l)] of the mean loss L) and the
four it computes ([dL/ds^(l)], [dL/dw^(l)], [dL/db^(l)], [dL/dx^(l-1)]), each with its shape
for the batch; its caption names the arrays, never a formula. `update(step)` restyles the cells
for one step: "start" (the loss's gradient), l = L, ..., 1, or "done". `draw_all_steps` is the
static picture: every row styled as during its own step.
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
    "given": {
        "fc": "#d9d2e9",
        "ec": "#351c75",
        "ls": "-.",
        "lw": 2.5,
        "hatch": "\\\\",
    },
    "earlier": {"fc": "0.88", "ec": "0.45", "ls": "-", "lw": 1.0, "hatch": ""},
    "idle": {"fc": "white", "ec": "0.75", "ls": "-", "lw": 1.0, "hatch": ""},
}
LEGEND = {
    "computed": "computed at this step",
    "reused": "reused from the step before",
    "forward": "read from the forward pass",
    "given": "given: the weights, the targets",
    "earlier": "computed at an earlier step",
}

# The columns of a row: key -> x position (inches). The forward pass's values, then what is
# given (the weights; the targets in the loss's row), then the backward pass.
COLUMNS = {
    "x_prev": 1.45,
    "s": 2.55,
    "w": 3.65,
    "dx": 4.95,
    "ds": 6.05,
    "dw": 7.15,
    "db": 8.25,
    "dx_prev": 9.35,
}
CELL_W, CELL_H = 1.02, 0.58
ROW_KEYS_LOSS = ("x_prev", "w", "dx_prev")  # x^(L), Y, [dL/dx^(L)]


def _d(q, l, loss=r"\mathcal{L}"):
    """Mathtext of [dL/dq^(l)] (of the mean loss L; `loss=r"\\ell"` for one sample's)."""
    return rf"$[\partial{loss}/\partial {q}^{{({l})}}]$"


def _fmt_shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def step_options(L):
    """The steps of the backward pass in order: "start", L, L - 1, ..., 1, "done"."""
    L = positive_int(L, "L", minimum=1)
    return ["start", *range(L, 0, -1), "done"]


def cell_shapes(sizes, N):
    """{(row, key): shape} of every quantity of the step-through, for a batch of N samples.

    Row 0 is the loss's gradient ("x_prev" is x^(L), "w" is the targets Y, "dx_prev" is
    [dL/dx^(L)]); row l = 1..L is layer l's step: x^(l-1) (N, D_(l-1)), s^(l) (N, D_l), w^(l)
    (D_l, D_(l-1)), [dL/dx^(l)] (N, D_l), [dL/ds^(l)] (N, D_l), [dL/dw^(l)] (D_l, D_(l-1)),
    [dL/db^(l)] (D_l,), [dL/dx^(l-1)] (N, D_(l-1)).
    """
    sizes = [positive_int(d, "sizes") for d in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {sizes}")
    N = positive_int(N, "N")
    L = len(sizes) - 1
    shapes = {(0, "x_prev"): (N, sizes[L]), (0, "w"): (N, sizes[L]), (0, "dx_prev"): (N, sizes[L])}
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
        return {"x_prev": f"$x^{{({L})}}$", "w": "$Y$", "dx_prev": _d("x", L)}
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


FORWARD_READ = ("x_prev", "s")
GIVEN = ("w",)
COMPUTED = ("ds", "dw", "db", "dx_prev")


def cell_roles(step, L):
    """{(row, key): style name} at `step` ("start", an int l in 1..L, "done", or "all").

    At step l the row l computes [dL/ds], [dL/dw], [dL/db], [dL/dx^(l-1)], reuses [dL/dx^(l)]
    (computed by the step before: row l + 1, or the loss's gradient for l = L), reads x^(l-1)
    and s^(l) from the forward pass and is given w^(l) (the loss's row: reads x^(L), is given
    Y). Rows of steps already done are "earlier" (what they computed) and "idle" (what they
    read), rows still to come "idle". "all" styles every row as during its own step.
    """
    order = step_options(L)
    if step not in order and step != "all":
        raise ValueError(f"step must be one of {order} (or 'all'), got {step!r}")
    rows = {0: "start", **{l: l for l in range(1, L + 1)}}
    position = {s: i for i, s in enumerate(order)}
    roles = {}
    for row, own in rows.items():
        keys = ROW_KEYS_LOSS if row == 0 else tuple(COLUMNS)
        now = step == "all" or own == step
        done = not now and position[own] < position.get(step, -1)
        for key in keys:
            if now:
                if key in FORWARD_READ:
                    role = "forward"
                elif key in GIVEN:
                    role = "given"
                elif key == "dx":
                    role = "reused"
                else:
                    role = "computed"
            elif done:
                role = "idle" if key in FORWARD_READ + GIVEN else "earlier"
            else:
                role = "idle"
            roles[row, key] = role
    return roles


def step_sentence(step, sizes, N):
    """What `step` computes, from what, in the exercises' names with shapes (3 lines).

    It names the arrays a step reads and computes, never a formula: the formulas are
    Exercise 4.1's answer.
    """
    L = len(sizes) - 1
    sh = cell_shapes(sizes, N)
    if step == "start":
        return (
            f"start: the mean squared error's gradient dL_dx {_fmt_shape(sh[0, 'dx_prev'])}, "
            f"from the output x[{L}]\n"
            "and the targets Y.\n"
            f"Next: layer {L} receives it."
        )
    if step == "done":
        return (
            f"done: dL_dw and dL_db of every layer ({L} of each), shaped like w and b.\n"
            "Each dL_ds was computed once and used three times (dL_dw, dL_db, dL_dx_prev).\n"
            "Layer 1's dL_dx_prev, for the input x[0], is used by nothing."
        )
    if step == "all":
        return (
            "Each row is one step, from the loss down to layer 1. A step computes four\n"
            "gradients from the dL_dx handed down by the step above (dashed arrow), from s[l]\n"
            "and x[l-1], kept by the forward pass, and from the weights w[l]."
        )
    l = step
    before = "the loss's row" if l == L else f"step l = {l + 1}"
    after = f"layer {l - 1} receives dL_dx_prev" if l > 1 else "done"
    return (
        f"step l = {l}: computes dL_ds {_fmt_shape(sh[l, 'ds'])}, dL_dw "
        f"{_fmt_shape(sh[l, 'dw'])}, dL_db {_fmt_shape(sh[l, 'db'])}, dL_dx_prev "
        f"{_fmt_shape(sh[l, 'dx_prev'])}\n"
        f"from dL_dx {_fmt_shape(sh[l, 'dx'])} (from {before}), s[{l}] and x[{l - 1}] "
        f"(forward pass) and w[{l}].\n"
        f"Next: {after}."
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
    arrows : dict l -> the arrow carrying [dL/dx^(l)] down into layer l's row
    step : the step shown ("start", l, "done" or "all")
    """

    def __init__(self, sizes=(3, 5, 4, 2), N=6, fig=None):
        self.shapes = cell_shapes(sizes, N)
        self.sizes, self.N = [int(d) for d in sizes], int(N)
        self.L = len(self.sizes) - 1
        self.steps = step_options(self.L)
        self._build_figure(fig)

    # The figure's geometry, in inches (one data unit is one inch): 10 inches wide, every text
    # at least 13 points, so that it reads on a projected slide.
    WIDTH, ROW_PITCH, TOP, BOTTOM = 10.0, 0.76, 1.1, 1.95

    def _row_y(self, row):
        """The centre of a row: the loss's row on top, then layers L, ..., 1."""
        k = 0 if row == 0 else self.L - row + 1
        return self.height - self.TOP - k * self.ROW_PITCH

    def _build_figure(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyBboxPatch, Patch, Rectangle

        L = self.L
        self.height = self.TOP + L * self.ROW_PITCH + self.BOTTOM
        size = (self.WIDTH, self.height)
        own = fig is None
        if own:  # a figure of its own, outside pyplot, with its own canvas
            fig = Figure(figsize=size, dpi=100)
            FigureCanvasAgg(fig)
        else:
            fig.set_size_inches(*size)
        self.fig = fig
        ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0.0, self.WIDTH)
        ax.set_ylim(0.0, self.height)
        ax.set_axis_off()
        self.ax = ax
        # cells not reached yet are shown through a white veil, on axes above everything else
        veil_ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0), zorder=2)
        veil_ax.set_xlim(ax.get_xlim())
        veil_ax.set_ylim(ax.get_ylim())
        veil_ax.set_axis_off()
        top = self.height
        self._title = ax.text(0.12, top - 0.24, "", fontsize=14, weight="bold", va="center")
        heads = [
            ((COLUMNS["x_prev"] + COLUMNS["s"]) / 2, "forward pass"),
            (COLUMNS["w"], "given"),
            ((COLUMNS["dx"] + COLUMNS["dx_prev"]) / 2, "backward pass"),
        ]
        static = [
            ax.text(x, top - 0.62, text, ha="center", va="center", fontsize=13, style="italic")
            for x, text in heads
        ]
        self.boxes, self.labels, self.arrows, self.veils = {}, {}, {}, {}
        for row in range(L + 1):
            y = self._row_y(row)
            name = "loss" if row == 0 else f"layer {row}"
            static.append(ax.text(0.12, y, name, fontsize=13, weight="bold", va="center"))
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
                    fontsize=13,
                    linespacing=1.25,
                    zorder=4,
                )
                pad = 0.04
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
            if row != 1:  # [dL/dx] flows down into the "dx" cell of the row below
                below = L if row == 0 else row - 1
                self.arrows[below] = ax.annotate(
                    "",
                    xy=(COLUMNS["dx"] + 0.2, self._row_y(below) + CELL_H / 2),
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
            ncols=3,
            frameon=False,
            fontsize=13,
            bbox_to_anchor=(0.5, 0.0),
            handlelength=2.0,
            handleheight=1.1,
            columnspacing=1.2,
        )
        self._sentence = ax.text(
            0.12,
            self._row_y(1) - CELL_H / 2 - 0.12,
            "",
            fontsize=13,
            va="top",
            family="monospace",
            linespacing=1.25,
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
        widths = " \u2192 ".join(map(str, self.sizes))
        if step == "all":
            title = f"The backward pass of an MLP {widths} on N = {self.N} samples, all steps"
        elif step in ("start", "done"):
            title = f"Backward pass, MLP {widths}, N = {self.N}: {step}"
        else:
            title = f"Backward pass, MLP {widths}, N = {self.N}: step l = {step}"
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


# The layer's computation graph, in inches (10 x 4.4): node -> (x, y, text)
GRAPH_NODES = {
    "x_prev": (0.95, 2.05, "$x^{(l-1)}$\ninput, $D_{l-1}$"),
    "w": (1.45, 3.4, "$w^{(l)}$, parameter\n$D_l \\times D_{l-1}$"),
    "b": (1.45, 0.6, "$b^{(l)}$, parameter\n$D_l$"),
    "s": (4.55, 2.05, "$s^{(l)} = w^{(l)} x^{(l-1)} + b^{(l)}$\n$D_l$"),
    "x": (7.45, 2.05, "$x^{(l)} = \\sigma(s^{(l)})$\n$D_l$"),
    "loss": (9.35, 2.05, "$\\ell$\nloss"),
}
# backward edge: key -> (from, to, label, label position, side of the forward arrow). Each label
# says what flows back along its edge, for one sample: how it is computed is Exercise 4.1.
GRAPH_BACKWARD = {
    "dx": ("loss", "x", _d("x", "l", r"\ell"), (8.45, 1.62), +1),
    "ds": ("x", "s", _d("s", "l", r"\ell"), (6.0, 1.62), +1),
    "dw": ("s", "w", _d("w", "l", r"\ell"), (3.9, 3.0), -1),
    "db": ("s", "b", _d("b", "l", r"\ell"), (3.9, 1.05), +1),
    "dx_prev": ("s", "x_prev", _d("x", "l-1", r"\ell"), (2.05, 1.62), +1),
}
GRAPH_FORWARD = [("x_prev", "s"), ("w", "s"), ("b", "s"), ("s", "x"), ("x", "loss")]
_OFFSET = 0.09  # forward and backward arrows of one edge run side by side, this far apart


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
            "mutation_scale": 18,
            **style,
        },
    ).arrow_patch


def draw_layer_graph(fig=None):
    """Draw the computation graph of layer l, for one sample, on `fig` (resized to 10 x 4.4
    inches; a new Figure if None).

    Nodes are the vector quantities with their forward values and sizes. Each edge has two
    arrows side by side: solid black, the forward pass (dotted from x^(l) to the loss: through
    layers l+1..L); dashed red, the backward pass, labelled by what flows back along it. Every
    text is 14 points or more.

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
    fig.set_size_inches(10.0, 4.4)
    ax = fig.add_axes((0.0, 0.0, 1.0, 4.0 / 4.4))
    ax.set_xlim(0.0, 10.0)
    ax.set_ylim(0.0, 4.0)
    ax.set_axis_off()
    nodes = {
        key: ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=15,
            linespacing=1.35,
            bbox={"boxstyle": "round,pad=0.35", "fc": "#eef3f8", "ec": "black", "lw": 1.5},
        )
        for key, (x, y, text) in GRAPH_NODES.items()
    }
    fig.canvas.draw()  # the boxes' sizes, so that the arrows are clipped to them
    side = {(b, a): s for a, b, _, _, s in GRAPH_BACKWARD.values()}  # the other side
    forward = {
        (a, b): _edge(ax, nodes, a, b, side[a, b], color="black", ls=":" if b == "loss" else "-")
        for a, b in GRAPH_FORWARD
    }
    ax.text(8.5, 2.62, r"layers $l+1$ to $L$", ha="center", fontsize=14, style="italic")
    backward, arrows = {}, {}
    for key, (a, b, label, (lx, ly), side) in GRAPH_BACKWARD.items():
        arrows[key] = _edge(ax, nodes, a, b, side, color="C3", ls="--")
        backward[key] = ax.text(lx, ly, label, ha="center", va="center", fontsize=16, color="C3")
    fig.suptitle(
        "Layer l, one sample: forward pass (solid, black), backward pass (dashed, red)",
        fontsize=16,
        y=0.97,
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
    shapes = {(0, "x_prev"): t.x[L].shape, (0, "w"): Y.shape, (0, "dx_prev"): dl_dx.shape}
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
