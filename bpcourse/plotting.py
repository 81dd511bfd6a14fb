"""Plot helpers shared by the notebooks: saving figures reproducibly, and only when asked.

Running a notebook writes no file into the repository: `save_figure` writes only when
``$BPCOURSE_FIGURES_DIR`` names a folder, which ``make figures`` (tools/make_figures.py) sets
to ``figures/``. A student's run, nbval and the browser tests leave ``figures/`` untouched, so
a different matplotlib never dirties the working tree or conflicts with the next pull.

`draw_mlp` draws a network as a diagram: its layers, units, and the shapes of w(l) and b(l)
on the arrows between them (notebook 03).
"""

import math
import os
from pathlib import Path

FIGURES_ENV = "BPCOURSE_FIGURES_DIR"


def figures_dir():
    """Where `save_figure` writes: the folder named by $BPCOURSE_FIGURES_DIR, or None when the
    variable is unset or empty (then `save_figure` writes nothing)."""
    folder = os.environ.get(FIGURES_ENV, "")
    return Path(folder) if folder else None


def save_figure(fig, name, dpi=100):
    """Save `fig` as ``<figures_dir()>/<name>.png`` when a figures folder is set; else nothing.

    Notebooks call ``save_figure(fig, "03_activations")`` before ``plt.show()``; the figure
    is shown either way. With ``$BPCOURSE_FIGURES_DIR`` unset (a student's run, the tests)
    nothing is written and None is returned; ``make figures`` sets it to ``figures/``.
    The PNG carries no software or date metadata, so regenerating an unchanged figure
    leaves the file unchanged and a diff shows only real changes.

    Returns
    -------
    pathlib.Path of the file written, or None when no figures folder is set

    The arguments are checked whether or not a folder is set, so that a mistake shows in a
    student's run, not only under ``make figures``.
    """
    from bpcourse._validate import describe, positive_number

    if not isinstance(name, str):
        raise TypeError(f"name must be a str, a bare file name without .png, got {describe(name)}")
    if not name or "/" in name or "\\" in name or name.endswith(".png") or name in (".", ".."):
        raise ValueError(f"name must be a bare file name without .png, got {name!r}")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):  # NUL and the like: no file has them
        raise ValueError(
            f"name must be a bare file name without .png, got {name!r}, which holds a control "
            "character"
        )
    _check_figure(fig, "fig")
    dpi = positive_number(dpi, "dpi")
    folder = figures_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    return path


def _check_figure(fig, name):
    """Refuse what is not a matplotlib Figure (matplotlib is imported only then)."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        from bpcourse._validate import describe

        raise TypeError(f"{name} must be a matplotlib Figure, got {describe(fig)}")


def _shown_units(size, max_units):
    """Vertical slots of a layer's drawn units: all of them, or the first and last few around
    an ellipsis when the layer has more than `max_units` units. Returns (unit_slots,
    ellipsis_slot or None, number of slots)."""
    if size <= max_units:
        return list(range(size)), None, size
    top = max_units // 2  # the first units, then the ellipsis, then the last ones
    return list(range(top)) + list(range(top + 1, max_units + 1)), top, max_units + 1


def draw_mlp(
    sizes,
    activation="tanh",
    output_activation="identity",
    ax=None,
    max_units=8,
    title=None,
    fontsize=13,
):
    """Draw an MLP as a diagram: one circle per unit, an edge bundle per layer with its shapes.

    Layer l (l = 1..L) maps x(l-1) to x(l) = sigma(w(l) x(l-1) + b(l)); the bundle of edges
    between the columns x(l-1) and x(l) carries the label ``"w(l): D_l × D_(l-1)"`` and
    ``"b(l): D_l"`` in an arrow pointing towards x(l). Under each column a label names the
    layer (``x(0) = input``, ``x(1)``, ..., ``x(L) = output``), its size and the activation
    it applies: sigma for the hidden layers, the output activation for layer L. The input,
    hidden and output units differ by fill and hatching as well as by colour.

    A layer with more than `max_units` units is drawn with `max_units` circles around a
    vertical ellipsis; its label gives the true size.

    Parameters
    ----------
    sizes : list of int
        [D_0, D_1, ..., D_L], at least an input and an output size (as for `MLP`).
    activation, output_activation : str or Activation
        The hidden layers' sigma and the last layer's activation (only their names are shown).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when None.
    max_units : int
        The most circles drawn in one column (at least 3).
    title : str, optional
        The axes' title (default: "An MLP with sizes [...]").
    fontsize : float
        Size of every text (12 or more stays readable when projected).

    Returns
    -------
    matplotlib.figure.Figure holding the diagram. Its artists carry gids: the circles of
    layer l ``"unit x(l)"``, the edges ``"edges w(l)"`` (a LineCollection), the shape labels
    ``"shape w(l)"``, the column labels ``"layer x(l)"``, an ellipsis ``"ellipsis x(l)"``.
    """
    from bpcourse._validate import describe, layer_sizes, positive_int, positive_number
    from bpcourse.activations import get_activation

    sizes = layer_sizes(sizes)
    max_units = positive_int(max_units, "max_units", minimum=3)
    hidden_name = get_activation(activation).name
    output_name = get_activation(output_activation, "output_activation").name
    fontsize = positive_number(fontsize, "fontsize")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {describe(title)}")

    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes or None, got {describe(ax)}")
    L = len(sizes) - 1
    # lengths in inches when the figure is made here (aspect 1): columns `gap` apart, units
    # `slot` apart; room above for the shape arrows and below for the layer labels
    gap, slot, radius = 2.7, 0.5, 0.17
    tallest = max(_shown_units(d, max_units)[2] for d in sizes)
    top, bottom = tallest * slot / 2, -tallest * slot / 2
    x_lim = (-0.5 * gap, (L + 0.5) * gap)
    y_lim = (bottom - 0.45 - 3.6 * fontsize / 72, top + 0.55 + 2.6 * fontsize / 72)
    if ax is None:  # a figure of whole tenths of an inch (whole pixels), 0.5 in for the title
        width, height = x_lim[1] - x_lim[0], math.ceil(10 * (y_lim[1] - y_lim[0])) / 10
        y_lim = (y_lim[1] - height, y_lim[1])
        fig, ax = plt.subplots(figsize=(width, height + 0.5))
        fig.subplots_adjust(left=0, right=1, bottom=0, top=height / (height + 0.5))  # 1:1
    else:
        fig = ax.figure

    styles = {  # fill, hatch and edge: the kinds of layer differ by more than colour
        "input": {"facecolor": "white", "hatch": None, "linewidth": 1.5},
        "hidden": {"facecolor": "#a6cee3", "hatch": None, "linewidth": 1.5},
        "output": {"facecolor": "#fdbf6f", "hatch": "///", "linewidth": 2.5},
    }
    columns = []  # per layer: the (x, y) centres of its drawn units
    for l, size in enumerate(sizes):
        kind = "input" if l == 0 else "output" if l == L else "hidden"
        units, ellipsis, n_slots = _shown_units(size, max_units)
        x = l * gap
        centres = [(x, ((n_slots - 1) / 2 - k) * slot) for k in units]
        for centre in centres:
            ax.add_patch(
                Circle(
                    centre, radius, edgecolor="black", zorder=3, gid=f"unit x({l})", **styles[kind]
                )
            )
        if ellipsis is not None:
            y = ((n_slots - 1) / 2 - ellipsis) * slot
            ax.text(
                x, y, "⋮", ha="center", va="center", fontsize=fontsize + 4, gid=f"ellipsis x({l})"
            )
        columns.append(centres)
        if kind == "input":
            lines = ["x(0) = input", f"{size} input{'s' if size > 1 else ''}"]
        else:
            lines = [
                f"x({l}) = output" if kind == "output" else f"x({l})",
                f"{size} unit{'s' if size > 1 else ''}",
                f"σ = {hidden_name}" if kind == "hidden" else f"output: {output_name}",
            ]
        ax.text(
            x,
            bottom - 0.2,
            "\n".join(lines),
            ha="center",
            va="top",
            fontsize=fontsize,
            linespacing=1.3,
            gid=f"layer x({l})",
        )

    for l in range(1, L + 1):
        edges = [[a, b] for a in columns[l - 1] for b in columns[l]]
        ax.add_collection(
            LineCollection(edges, colors="0.6", linewidths=0.8, zorder=1, gid=f"edges w({l})")
        )
        label = f"w({l}): {sizes[l]} × {sizes[l - 1]}\nb({l}): {sizes[l]}"
        ax.text(
            (l - 0.5) * gap,
            top + 0.25,
            label,
            ha="center",
            va="bottom",
            fontsize=fontsize,
            linespacing=1.3,
            zorder=4,
            gid=f"shape w({l})",
            bbox={"boxstyle": "rarrow,pad=0.4", "facecolor": "white", "edgecolor": "black"},
        )

    ax.set(xlim=x_lim, ylim=y_lim, aspect="equal")
    ax.axis("off")
    ax.set_title(
        title if title is not None else f"An MLP with sizes {sizes}", fontsize=fontsize + 1
    )
    return fig


def diagram_shapes(fig):
    """The shape (D_l, D_(l-1)) of each w(l), in layer order, as written on the arrows of a
    `draw_mlp` diagram: read back from the labels drawn, so that a notebook can compare what
    the picture says with ``[w.shape for w in net.weights]``."""
    import re

    _check_figure(fig, "fig")
    shapes = {}
    for ax in fig.axes:
        for text in ax.texts:
            match = re.fullmatch(r"shape w\((\d+)\)", text.get_gid() or "")
            if match:
                layer, first_line = int(match.group(1)), text.get_text().splitlines()[0]
                rows, cols = re.fullmatch(rf"w\({layer}\): (\d+) × (\d+)", first_line).groups()
                shapes[layer] = (int(rows), int(cols))
    return [shapes[l] for l in sorted(shapes)]
