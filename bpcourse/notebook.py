"""What the notebooks' first cells share: the plot style, printing errors, showing source.

A notebook starts with ``from bpcourse.notebook import plot_style, show_error, show_source``
and ``plot_style()``. This module imports matplotlib and IPython only inside its functions,
so ``import bpcourse`` stays light.
"""

import inspect

#: the figure size, resolution and font size every notebook uses (readable when projected)
STYLE = {"figure.figsize": (7, 4), "figure.dpi": 100, "font.size": 12}


def plot_style():
    """Set matplotlib's figure size, dpi and font size to `STYLE` (fixed, so that the stored
    text ``<Figure size 700x400 with 1 Axes>`` is the same on every machine)."""
    import matplotlib.pyplot as plt

    plt.rcParams.update(STYLE)


def show_error(err, floor=1e-13):
    """A relative error for printing: '< 1e-13' at rounding level, else two digits ('3.1e-09').

    Errors at rounding level depend on the last bits of a CPU's arithmetic, so they are shown
    as a bound and a stored output stays the same on every machine.
    """
    err = float(err)
    if err != err:  # NaN
        return "nan"
    return f"< {floor:.0e}".replace("e-0", "e-") if err < floor else f"{err:.1e}"


def show_source(*objects):
    """Display the source code of functions or classes, highlighted (tag the cell
    ``nbval-ignore-output``: the listing changes whenever the package does)."""
    from IPython.display import Code, display

    for obj in objects:
        display(Code(inspect.getsource(obj), language="python"))
