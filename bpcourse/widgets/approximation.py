"""Notebook 05's explorer: a target psi and its ReLU interpolant with n units.

`ApproximationExplorer` draws psi, the sum of n ReLUs that interpolates it at n + 1 evenly
spaced knots (`bpcourse.approximation.relu_interpolant`), the knots, and the error
psi - f below, with the largest error written on the plot. `update(n=..., target=...)`
changes the artists' data; `widget()` wires a slider and a menu to it
(`bpcourse.widgets.live`).
"""

import numpy as np

from bpcourse._validate import choice, positive_int
from bpcourse.approximation import relu_interpolant


def _bumpy(x):
    """A smooth function with several bumps: sin x + 0.3 sin 5x + 0.1 sin 13x."""
    return np.sin(x) + 0.3 * np.sin(5 * x) + 0.1 * np.sin(13 * x)


def _step_like(x):
    """A continuous but steep step: tanh(12 x)."""
    return np.tanh(12 * x)


#: The targets of the menu: name -> (psi, a, b, label); psi takes and returns arrays.
TARGETS = {
    "sin": (np.sin, -np.pi, np.pi, "sin x"),
    "|x|": (np.abs, -1.0, 1.0, "|x|"),
    "bumpy": (_bumpy, -np.pi, np.pi, "sin x + 0.3 sin 5x + 0.1 sin 13x"),
    "step-like": (_step_like, -1.0, 1.0, "tanh 12x"),
}


class ApproximationExplorer:
    """A target psi, its ReLU interpolant with n units, the knots and the error, in one figure.

    Parameters
    ----------
    n : int
        Number of ReLU units (n + 1 evenly spaced knots on [a, b]), 1 to `n_max`.
    target : str
        One of `TARGETS`: ``"sin"``, ``"|x|"``, ``"bumpy"``, ``"step-like"``.
    n_max : int
        Largest n the slider offers and `update` accepts.
    points : int
        Number of x values where psi, f and the error are drawn and the largest error is
        measured (the knots are added to them).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The one figure, reused by every `update`.
    x, approx, error : ndarray
        The plotted x values, f(x) and psi(x) - f(x) of the current setting.
    max_error : float
        max |psi(x) - f(x)| over the plotted x values.
    """

    def __init__(self, n=8, target="sin", n_max=64, points=801):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self.n_max = positive_int(n_max, "n_max")
        self.points = positive_int(points, "points", minimum=2)
        # Speed (<= 50 ms per update plus PNG): a fixed layout, since a layout engine measures
        # every text again at each redraw; an Agg canvas attached once, so that every PNG
        # reuses one renderer; plain-text labels, since mathtext is slow to lay out.
        self.fig = Figure(figsize=(7, 4.5), dpi=100)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.12, right=0.97, bottom=0.12, top=0.92, hspace=0.08)
        self.ax, self.ax_err = self.fig.subplots(
            2, 1, sharex=True, gridspec_kw={"height_ratios": (2, 1)}
        )
        for axis in (self.ax.yaxis, self.ax_err.xaxis, self.ax_err.yaxis):
            axis.set_major_locator(MaxNLocator(4))
        (self.target_line,) = self.ax.plot([], [], lw=2.5, label="target ψ")
        (self.approx_line,) = self.ax.plot([], [], lw=1.5, label="sum of n ReLUs")
        (self.knot_marks,) = self.ax.plot([], [], "o", ms=4, color="k", label="knots")
        self.text = self.ax.text(
            0.02, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=12,
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.85},
        )  # fmt: skip
        self.ax.set_ylabel("ψ(x), f(x)")
        self.ax.legend(loc="lower right", fontsize=12)
        (self.error_line,) = self.ax_err.plot([], [], color="C3")
        (self.worst_mark,) = self.ax_err.plot([], [], "v", color="C3", ms=7)
        self.ax_err.axhline(0.0, color="0.6", lw=0.8)
        self.ax_err.set_xlabel("x")
        self.ax_err.set_ylabel("ψ − f")
        self.n, self.target = None, None
        self.update(n=n, target=target)

    def update(self, n=None, target=None):
        """Redraw for `n` units and the named `target` (unchanged when None); return the figure.

        Raises
        ------
        TypeError, ValueError
            When n is not an integer from 1 to n_max, or the target is unknown.
        """
        n = self.n if n is None else positive_int(n, "n")
        if n > self.n_max:
            raise ValueError(f"n must be at most n_max = {self.n_max}, got {n}")
        target = self.target if target is None else choice(target, "target", list(TARGETS))
        psi, a, b, label = TARGETS[target]
        f = relu_interpolant(psi, a, b, n)
        knots = np.linspace(a, b, n + 1)
        self.x = np.union1d(np.linspace(a, b, self.points), knots)
        target_y = psi(self.x)
        self.approx = f(self.x)
        self.error = target_y - self.approx
        worst = int(np.argmax(np.abs(self.error)))
        self.max_error = float(abs(self.error[worst]))
        self.n, self.target = n, target

        self.target_line.set_data(self.x, target_y)
        self.approx_line.set_data(self.x, self.approx)
        self.knot_marks.set_data(knots, psi(knots))
        self.text.set_text(f"n = {n} units\nlargest error {self.max_error:.2e}")
        self.error_line.set_data(self.x, self.error)
        self.worst_mark.set_data([self.x[worst]], [self.error[worst]])
        low, high = float(target_y.min()), float(target_y.max())
        pad = 0.1 * (high - low)
        self.ax.set_xlim(a, b)
        self.ax.set_ylim(low - pad, high + 4 * pad)  # room for the text box
        limit = 1.15 * max(self.max_error, 1e-12)
        self.ax_err.set_ylim(-limit, limit)
        self.ax.set_title(f"ReLU interpolant of ψ(x) = {label} on [{a:.3g}, {b:.3g}]")
        return self.fig

    def widget(self):
        """Return an ipywidgets box: a slider for n and a menu of targets above the live figure.

        Built by `bpcourse.widgets.live.live_figure`: the figure is an `ipywidgets.Image`
        whose PNG is redrawn on every change; ``self.controls`` holds the slider ("n") and
        the menu ("target"), ``self.image`` the Image.
        """
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        slider = widgets.IntSlider(
            value=self.n, min=1, max=self.n_max, description="n units", continuous_update=True
        )
        menu = widgets.Dropdown(options=list(TARGETS), value=self.target, description="target")
        return live_figure(
            self,
            {"n": slider, "target": menu},
            "ApproximationExplorer: a slider for n and a menu of targets (run the cell)",
        )
