"""What the notebooks' first cells share: the plot style, printing errors, showing source.

A notebook starts with ``from bpcourse.notebook import plot_style, show_error, show_source``
and ``plot_style()``. This module imports matplotlib and IPython only inside its functions,
so ``import bpcourse`` stays light.
"""

import base64
import inspect

#: the figure size, resolution and font size every notebook uses (readable when projected)
STYLE = {"figure.figsize": (7, 4), "figure.dpi": 100, "font.size": 12}

#: where :func:`plot_style`'s PNG formatter puts its measurement in an output's metadata:
#: ``output.metadata["image/png"]["bpcourse"]["min_text_px"]``
TEXT_SIZE_KEY = "bpcourse"


def plot_style():
    """Set matplotlib's figure size, dpi and font size to `STYLE` (fixed, so that the stored
    text ``<Figure size 700x400 with 1 Axes>`` is the same on every machine).

    Inside IPython it also makes every figure's PNG output carry, in its metadata, the size of
    the smallest text the figure draws, in pixels of that PNG (:func:`record_text_size`): the
    slide decks' test multiplies it by the image's scale on screen to check that a figure reads
    from the back of a lecture hall. The PNG itself is the inline backend's, unchanged.
    """
    import matplotlib.pyplot as plt

    plt.rcParams.update(STYLE)
    record_text_size()


def smallest_text_pt(fig):
    """The font size, in points, of the smallest text that drawing ``fig`` puts on it.

    Every text matplotlib draws goes through its renderer's ``draw_text`` (titles, labels,
    tick labels, legends, annotations; a formula counts at its base size), so the figure is
    drawn once with a renderer that only records those sizes. None when it draws no text.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    sizes = []

    class _Recorder(RendererAgg):
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if str(s).strip():
                sizes.append(prop.get_size_in_points())

    renderer = _Recorder(max(1, int(fig.bbox.width)), max(1, int(fig.bbox.height)), fig.dpi)
    fig.draw(renderer)
    return min(sizes) if sizes else None


def _png_width(data):
    """Width in pixels of a PNG given as bytes or base64 text (from its IHDR chunk)."""
    raw = base64.b64decode(data[:64]) if isinstance(data, str) else data
    return int.from_bytes(raw[16:20], "big")


def _with_text_size(format_png):
    """A PNG formatter for figures that returns what ``format_png`` returns, plus metadata."""

    def formatter(fig):
        out = format_png(fig)
        if out is None:
            return None
        data, metadata = out if isinstance(out, tuple) else (out, None)
        metadata = dict(metadata or {})
        size = smallest_text_pt(fig)
        if size is not None:
            # Pixels of the PNG per point: its dpi over 72. A retina PNG is drawn at twice the
            # figure's dpi and says so by a display width (in metadata) half its pixel width.
            dpi = fig.dpi
            if metadata.get("width"):
                dpi = fig.dpi * _png_width(data) / float(metadata["width"])
            metadata[TEXT_SIZE_KEY] = {"min_text_px": round(size * dpi / 72, 2)}
        return data, metadata

    formatter.bpcourse_wraps = format_png
    return formatter


def record_text_size():
    """Make the current IPython's PNG output of matplotlib figures record their smallest text.

    Wraps the PNG formatter the inline backend registered for ``Figure`` (so the image is the
    one it makes) and adds ``{"bpcourse": {"min_text_px": ...}}`` to the output's ``image/png``
    metadata. Does nothing outside IPython or with another backend; calling it again wraps
    the formatter only once. nbval compares text outputs, not metadata, so stored outputs stay
    valid.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    import matplotlib
    from matplotlib.figure import Figure

    if "inline" not in str(matplotlib.get_backend()).lower():
        return False
    # Importing the inline backend registers its formatters (once); wrap them afterwards.
    import matplotlib_inline.backend_inline  # noqa: F401

    png = shell.display_formatter.formatters["image/png"]
    try:
        current = png.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(current, "bpcourse_wraps", None) is None:
        png.for_type(Figure, _with_text_size(current))
    return True


def show_error(err, floor=1e-13):
    """A relative error for printing: '< 1e-13' at rounding level, else two digits ('3.1e-09').

    Errors at rounding level depend on the last bits of a CPU's arithmetic, so they are shown
    as a bound and a stored output stays the same on every machine.

    `err` is one number >= 0 (NaN prints as 'nan', inf as 'inf'); `floor` a positive number.
    A negative err (a signed difference rather than an error), a str or an array is refused.
    """
    from bpcourse._validate import positive_number, real_number

    err = real_number(err, "err", "an error >= 0, one number", allow_nonfinite=True)
    floor = positive_number(floor, "floor")
    if err != err:  # NaN
        return "nan"
    if err < 0:
        raise ValueError(
            f"err must be an error >= 0, got {err!r}: a signed difference? pass abs(...) of it"
        )
    return f"< {floor:.0e}".replace("e-0", "e-") if err < floor else f"{err:.1e}"


def show_source(*objects):
    """Display the source code of functions or classes, highlighted (tag the cell
    ``nbval-ignore-output``: the listing changes whenever the package does).

    Functions, methods, classes and modules are shown; an `Activation` shows its ``f`` and
    ``df``, a property its getter (and setter). Anything else (a number, a str, NumPy's
    compiled functions) is refused, naming it, before anything is displayed.
    """
    from IPython.display import Code, display

    sources = [_source(obj, k) for k, obj in enumerate(objects, 1)]
    for source in sources:
        display(Code(source, language="python"))


def _source(obj, k):
    """The source code of `obj`, the k-th argument of `show_source`, or an error naming it."""
    import types

    import numpy as np

    from bpcourse._validate import describe
    from bpcourse.activations import Activation

    if isinstance(obj, Activation):
        parts = [obj.f, obj.df]
    elif isinstance(obj, property):
        parts = [part for part in (obj.fget, obj.fset) if part is not None]
    else:
        parts = [obj]
    try:
        return "\n\n".join(inspect.getsource(part) for part in parts)
    except TypeError:
        compiled = isinstance(obj, (types.BuiltinFunctionType, np.ufunc))
        raise TypeError(
            f"show_source takes functions, methods, classes or modules, got {describe(obj)} "
            f"(argument {k}){' (compiled code has no Python source)' if compiled else ''}"
        ) from None
    except OSError:
        raise ValueError(
            f"the source of {describe(obj)} (argument {k}) cannot be found: it was not defined "
            "in a file Python can read back (a lambda typed at a prompt, or eval'd code)"
        ) from None
