"""Interactive figures of notebook 07: gradient descent w_{t+1} = w_t - eta L'(w_t).

- `DescentExplorer`: a function of one variable; sliders for the learning rate eta (log scale)
  and the starting point w0, a menu of functions. Left, the iterates drawn on the curve L(w);
  right, the loss above its minimum, L(w_t) - min L, against the step t (log scale).
- `QuadraticExplorer`: the quadratic L(w) = 1/2 (w_1^2 / kappa + w_2^2), whose Hessian has
  the eigenvalues 1/kappa (flat direction w_1) and 1 (steep direction w_2): condition number
  kappa. Sliders for kappa and eta. Left, its level sets (ellipses) with the zig-zag of the
  iterates; right, |w_1,t| (solid) and |w_2,t| (dashed) against the step t (log scale).
  Descent converges iff eta < 2 / 1 = 2, whatever kappa: the largest curvature caps eta, the
  smallest sets the speed.

Both build one matplotlib Figure and its artists once; `update(...)` moves the artists' data.
A legend in a row under the panels names every line and marker (`_legend_below`); the lines of
a panel differ by line style or marker, not by colour alone.
A run that diverges stops at the step where it explodes (`bpcourse.descent.gradient_descent`)
and says "diverged at step k" on the plot; the axes keep finite limits. The explorer of one
variable also says how a longer run (1000 steps, not drawn) ends: it settles, hops between two
points, cycles, blows up, or is still moving.
"""

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from bpcourse._validate import as_array, choice, positive_int, positive_number
from bpcourse.descent import EXPLODING, Trajectory, gradient_descent, outcome

FLOOR = 1e-16  # smallest value shown on a logarithmic loss axis


@dataclass(frozen=True)
class Function1D:
    """A loss of one variable for the explorer: L, its derivative dL, and the view [lo, hi].

    `label` names it in the menu, `short` in the figure's title (short: text is slow to draw).
    """

    label: str
    short: str
    L: Callable
    dL: Callable
    lo: float
    hi: float


def _bowl_dip_L(w):
    return w**2 / 2 - np.exp(-5 * (w - 2) ** 2)


def _bowl_dip_dL(w):
    return w + 10 * (w - 2) * np.exp(-5 * (w - 2) ** 2)


FUNCTIONS = {
    "bowl_dip": Function1D(
        "dip: w²/2 − exp(−5(w−2)²)", "bowl + dip", _bowl_dip_L, _bowl_dip_dL, -1.5, 3.5
    ),
    "quadratic": Function1D(
        "quadratic: 2w² (curvature 4)", "2w²", lambda w: 2 * w**2, lambda w: 4 * w, -2.0, 2.0
    ),
    "double_well": Function1D(
        "double well: (w² − 1)²",
        "(w² − 1)²",
        lambda w: (w**2 - 1) ** 2,
        lambda w: 4 * w * (w**2 - 1),
        -1.8,
        1.8,
    ),
    "quartic": Function1D("quartic: w⁴/4", "w⁴/4", lambda w: w**4 / 4, lambda w: w**3, -2.0, 2.0),
    "smooth_abs": Function1D(
        "smooth |w|: √(1 + w²) − 1",
        "√(1 + w²) − 1",
        lambda w: np.sqrt(1 + w**2) - 1,
        lambda w: w / np.sqrt(1 + w**2),
        -3.0,
        3.0,
    ),
}
"""The functions of the menu, by key. "bowl_dip" is notebook 07's reconstruction of Fleuret's
two-learning-rate experiment: a wide bowl with a narrow dip near w = 2 (a local minimum of
curvature about 4.57)."""


def _minimum(fn):
    """min L over the view: the best point of a fine grid, refined by small descent steps."""
    grid = np.linspace(fn.lo, fn.hi, 4001)
    w = grid[np.argmin(fn.L(grid))]
    for _ in range(200):
        w = w - 0.05 * fn.dL(w)
    return float(min(fn.L(w), np.min(fn.L(grid))))


TAIL = 25  # iterates `outcome` needs to find a cycle of up to 8 points (3 * 8 + 1)


def _long_run(dL, w0, eta, steps):
    """The last `TAIL` iterates of `gradient_descent(dL, w0, eta, steps)` (no loss), fast.

    The same steps and the same divergence rule (|w| beyond 1e12 max(|w0|, 1), or not
    finite), on plain floats and keeping only the tail: a widget update runs it each time.
    Returns a `bpcourse.descent.Trajectory` of those iterates, for `outcome`.
    """
    w = float(w0)
    tail, limit = [w], EXPLODING * max(abs(w), 1.0)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            w = w - eta * float(dL(w))
            if not math.isfinite(w) or abs(w) > limit:
                return Trajectory(np.array(tail), None, True, t)
            tail.append(w)
            if len(tail) > TAIL:
                del tail[0]
    return Trajectory(np.array(tail), None, False, None)


def _three_decimals(value):
    """'1.769', '0.000' (never '-0.000')."""
    return f"{round(float(value), 3) + 0.0:.3f}"


def _finite_real(value, name):
    return float(as_array(value, name, ndim=0))


@functools.cache
def _figure_class():
    """A matplotlib Figure that draws its text without font hinting.

    Drawing text dominates a redraw of these small figures, and unhinted glyphs cost about half
    as much (measured here); at 12 points the difference is hard to see.
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    class ExplorerFigure(Figure):
        def draw(self, renderer):
            with mpl.rc_context({"text.hinting": "no_hinting"}):
                super().draw(renderer)

    return ExplorerFigure


def _new_figure():
    """The explorers' figure: 900 x 360 pixels, built once and redrawn by `update`.

    It gets an Agg canvas of its own, so that every PNG reuses one renderer (a bare Figure
    gets a fresh canvas, and lays its text out again, at each savefig).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=(9, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _legend_below(fig, lines):
    """One legend in a row under both panels, naming every line and marker of the figure.

    Below the axes, it never hides a curve, whatever the function or the learning rate; it
    is laid out once (a fixed place, not loc="best", which searches at each draw).
    """
    return fig.legend(
        handles=lines,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=len(lines),
        fontsize=12,
        frameon=False,
        handlelength=1.8,
        columnspacing=1.2,
    )


def _fast_axes(ax, log_y=False):
    """Settings that keep redraws cheap: fixed title position, no mathtext tick labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

    ax.set_title(" ", y=1.01)  # a fixed y skips the title's automatic placement on each draw
    ax.xaxis.set_major_locator(MaxNLocator(4))
    if log_y:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(numticks=5))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(4))


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _power_of_ten(value, _position=None):
    """Tick label 10^k in plain text (10⁻⁶): cheaper to draw than matplotlib's mathtext."""
    exponent = int(np.round(np.log10(value)))
    return "10" + str(exponent).translate(SUPERSCRIPTS)


def _growth(factor):
    """A growth factor for the status line: '117' below 1000, else '1e+04'."""
    return f"{factor:.0f}" if factor < 1000 else f"{factor:.0e}"


def _show_status(text, traj, growth, what, steps, converged_text):
    """Write on the plot how the run ended: exploded, growing, or where it stopped.

    `growth` is the factor by which the quantity `what` (named as the panel beside it shows
    it) grew over the steps drawn; above 10 the run is said to be diverging.
    """
    if traj.diverged:
        text.set_text(f"diverged at step {traj.diverged_at}")
        text.set_color("C3")
    elif growth > 10:
        text.set_text(f"diverging: {what} ×{_growth(growth)} in {steps} steps")
        text.set_color("C3")
    else:
        text.set_text(converged_text)
        text.set_color("black")


def _log_limits(values):
    """Finite limits of a log axis holding `values` (all >= FLOOR), with a margin."""
    low, high = float(np.min(values)), float(np.max(values))
    return low / 3, max(high * 3, low * 10)


class DescentExplorer:
    """Gradient descent on a function of one variable, with eta, w0 and the function as controls.

    Parameters
    ----------
    steps : int
        Number of gradient steps drawn.
    eta, w0 : float
        Initial learning rate and starting point.
    function : str
        A key of `FUNCTIONS` ("bowl_dip", "quadratic", "double_well", "quartic",
        "smooth_abs").

    Attributes
    ----------
    fig : matplotlib.figure.Figure, the one figure every `update` redraws
    trajectory : bpcourse.descent.Trajectory of the last update
    curve, path, start, loss_line : Line2D, the curve L(w), the iterates (w_t, L(w_t)) (orange
        dots), the start (green square), and (t, L(w_t) - min L)
    status : Text, "diverged at step k" or "diverging: L − min L ×1e+04 in 40 steps" for the
        steps drawn; otherwise how
        a run of `LONG_RUN` steps ends (`bpcourse.descent.outcome`): "settles at w = 1.769",
        "hops between 1.741 and 1.791", "cycles through 4 points", "diverges at step k" or
        "still moving after 1000 steps"
    """

    ETA_RANGE = (1e-3, 10**0.5)  # the slider's range (log scale)
    LONG_RUN = 1000  # steps run (not drawn) to say how the run ends
    W0_RANGE = (-4.0, 4.0)

    def __init__(self, steps=40, eta=0.125, w0=3.0, function="bowl_dip"):
        self.steps = positive_int(steps, "steps")
        self._minima = {key: _minimum(fn) for key, fn in FUNCTIONS.items()}
        self.fig = _new_figure()
        self.ax_curve, self.ax_loss = self.fig.subplots(1, 2)
        ax = self.ax_curve
        (self.curve,) = ax.plot([], [], color="C0", lw=2, label="L(w)")
        (self.path,) = ax.plot([], [], "o-", color="C1", ms=4, lw=1, label="iterates (w_t, L(w_t))")
        (self.start,) = ax.plot([], [], "s", color="C2", ms=8, label="start w₀")
        self.status = ax.text(
            0.5, 0.95, "", transform=ax.transAxes, ha="center", va="top", fontsize=12
        )
        _fast_axes(ax)
        ax.set_xlabel("w")
        ax.set_ylabel("L(w)")
        ax = self.ax_loss
        (self.loss_line,) = ax.plot(
            [], [], "o-", color="C1", ms=3, lw=1, label="L(w_t) − min L, by step"
        )
        _fast_axes(ax, log_y=True)
        ax.set_xlabel("step t")
        ax.set_ylabel("L(w_t) − min L")
        self.legend = _legend_below(self.fig, [self.curve, self.path, self.start, self.loss_line])
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.27, top=0.9, wspace=0.3)
        self.eta, self.w0, self.function = None, None, None
        self.update(eta=eta, w0=w0, function=function)

    def update(self, eta=None, w0=None, function=None):
        """Run descent for the given values (the others unchanged) and redraw; return the figure.

        Raises
        ------
        ValueError, TypeError
            eta not a positive finite number, w0 not a finite number, an unknown function.
        """
        eta = self.eta if eta is None else positive_number(eta, "eta")
        w0 = self.w0 if w0 is None else _finite_real(w0, "w0")
        function = (
            self.function if function is None else choice(function, "function", list(FUNCTIONS))
        )
        self.eta, self.w0, self.function = eta, w0, function
        fn = FUNCTIONS[function]
        self.trajectory = traj = gradient_descent(fn.dL, w0, eta, self.steps, loss=fn.L)
        w, L = traj.w, traj.loss

        # The view: the function's own window, widened to the iterates (at most 3 widths).
        span = fn.hi - fn.lo
        lo = max(min(fn.lo, w.min() - 0.05 * span), fn.lo - 3 * span)
        hi = min(max(fn.hi, w.max() + 0.05 * span), fn.hi + 3 * span)
        x = np.linspace(lo, hi, 400)
        y = fn.L(x)
        self.curve.set_data(x, y)
        self.path.set_data(w, L)
        self.start.set_data([w[0]], [L[0]])
        ax = self.ax_curve
        ax.set_xlim(lo, hi)
        pad = 0.06 * (y.max() - y.min())
        ax.set_ylim(y.min() - pad, y.max() + 3 * pad)  # room for the status
        ax.title.set_text(f"{fn.short},  η = {eta:.3g}")
        excess = np.maximum(L - self._minima[function], FLOOR)
        growth = excess[-1] / max(excess[0], FLOOR)
        _show_status(self.status, traj, growth, "L − min L", self.steps, self._ending(fn))

        t = np.arange(len(w))
        self.loss_line.set_data(t, excess)
        self.ax_loss.set_xlim(-0.5, self.steps + 0.5)
        self.ax_loss.set_ylim(*_log_limits(excess))
        return self.fig

    def _ending(self, fn):
        """How the run ends in the long run (`LONG_RUN` steps): settles, hops, cycles, blows up."""
        long_run = _long_run(fn.dL, self.w0, self.eta, self.LONG_RUN)
        end = outcome(long_run, tol=1e-6)
        if end.kind == "converged":
            return f"settles at w = {_three_decimals(end.points[0])}"
        if end.kind == "cycle" and end.period == 2:
            low, high = sorted(end.points)
            return f"hops between {_three_decimals(low)} and {_three_decimals(high)}"
        if end.kind == "cycle":
            return f"cycles through {end.period} points"
        if end.kind == "diverged":
            return f"diverges at step {long_run.diverged_at}"
        return f"still moving after {self.LONG_RUN} steps"

    def widget(self):
        """The controls (eta, w0, function) above the live figure (`bpcourse.widgets.live`).

        Returns
        -------
        ipywidgets.VBox
            Its children: an HBox of the three controls, in this order: the FloatLogSlider
            "eta", the FloatSlider "w0", the Dropdown "function"; then the `ipywidgets.Image`
            of the figure, redrawn on every change. ``self.controls`` maps "eta", "w0",
            "function" to them, ``self.image`` is the Image.
        """
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        # The slider moves on a grid min + k * step of exponents; start the grid from the
        # current eta so that the readout shows it as it is (0.125, not 0.126).
        step, exponent = 0.02, np.log10(self.eta)
        lowest = exponent - step * np.floor((exponent - np.log10(self.ETA_RANGE[0])) / step + 1e-9)
        eta = widgets.FloatLogSlider(
            value=self.eta,
            base=10,
            min=lowest,
            max=np.log10(self.ETA_RANGE[1]),
            step=step,
            description="eta",
            readout_format=".3g",
        )
        w0 = widgets.FloatSlider(
            value=self.w0, min=self.W0_RANGE[0], max=self.W0_RANGE[1], step=0.05, description="w0"
        )
        function = widgets.Dropdown(
            options=[(fn.label, key) for key, fn in FUNCTIONS.items()],
            value=self.function,
            description="function",
        )
        return live_figure(
            self,
            {"eta": eta, "w0": w0, "function": function},
            "<DescentExplorer: run this cell to get its sliders and figure>",
        )


class QuadraticExplorer:
    """Gradient descent on L(w) = 1/2 (w_1^2 / kappa + w_2^2): the zig-zag of an ill-conditioned
    quadratic.

    The Hessian is diag(1/kappa, 1); each coordinate evolves on its own,
    w_{i,t} = (1 - eta lambda_i)^t w_{i,0}, so descent converges iff eta < 2 / lambda_max = 2.

    Parameters
    ----------
    steps : int
    kappa : float >= 1, the condition number lambda_max / lambda_min
    eta : float > 0
    w0 : pair of floats, the starting point

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    trajectory : bpcourse.descent.Trajectory of the last update, `.w` of shape (k, 2)
    path : Line2D of the iterates in the plane
    levels : list of Line2D, the level sets L(w) = c for `LEVELS` (ellipses)
    norms : pair of Line2D, |w_1,t| (solid) and |w_2,t| (dashed) against t (log scale)
    status : Text, on the distance panel: "diverged at step k", "diverging: |w₂| ×117 in 50
        steps" (the coordinate that grew most, by how much), or the last loss, "L(w₅₀) = 4.1e-05"
    """

    LEVELS = 0.5 * np.array([0.5, 1.0, 1.5, 2.0, 2.5]) ** 2
    """Values c of the level sets drawn: ellipses with semi-axes sqrt(2 c kappa) and sqrt(2 c)."""
    VIEW = (-5.0, 5.0, -2.5, 2.5)
    KAPPA_RANGE = (1.0, 100.0)
    ETA_RANGE = (0.05, 2.5)

    def __init__(self, steps=50, kappa=20.0, eta=1.8, w0=(-4.5, 2.0)):
        self.steps = positive_int(steps, "steps")
        self.w0 = as_array(w0, "w0", ndim=1)
        if self.w0.shape != (2,):
            raise ValueError(
                f"w0 must be a point (w_1, w_2), got an array of shape {self.w0.shape}"
            )
        self.fig = _new_figure()
        self.ax_plane, self.ax_steps = self.fig.subplots(1, 2, width_ratios=[1.5, 1])
        ax = self.ax_plane
        self._theta = np.linspace(0, 2 * np.pi, 121)
        self.levels = [ax.plot([], [], color="0.6", lw=1)[0] for _ in self.LEVELS]
        self.levels[0].set_label("level sets of L")
        (self.path,) = ax.plot([], [], "o-", color="C1", ms=3, lw=1, label="iterates w_t")
        (self.minimum,) = ax.plot([0], [0], "*", color="C3", ms=12, ls="none", label="minimum")
        _fast_axes(ax)
        ax.set_xlim(self.VIEW[0], self.VIEW[1])
        ax.set_ylim(self.VIEW[2], self.VIEW[3])
        ax.set_aspect("equal")
        ax.set_xlabel("w₁ (flat)")
        ax.set_ylabel("w₂ (steep)")
        ax = self.ax_steps
        self.norms = (
            ax.plot([], [], color="C0", lw=2, label="|w₁,t| (flat)")[0],
            ax.plot([], [], color="C2", lw=2, ls="--", label="|w₂,t| (steep)")[0],
        )
        self.status = ax.text(
            0.03, 0.95, "", transform=ax.transAxes, ha="left", va="top", fontsize=12
        )
        _fast_axes(ax, log_y=True)
        ax.set_title("distance to the minimum", y=1.01)
        ax.set_xlabel("step t")
        ax.set_ylabel("|w₁| solid, |w₂| dashed")
        self.legend = _legend_below(
            self.fig, [self.levels[0], self.path, self.minimum, *self.norms]
        )
        self.fig.subplots_adjust(left=0.09, right=0.98, bottom=0.27, top=0.9, wspace=0.25)
        self.kappa, self.eta = None, None
        self.update(kappa=kappa, eta=eta)

    def loss(self, w):
        """L(w) = 1/2 (w_1^2 / kappa + w_2^2) for the current kappa; w of shape (2,)."""
        return 0.5 * (w[0] ** 2 / self.kappa + w[1] ** 2)

    def gradient(self, w):
        """grad L(w) = (w_1 / kappa, w_2)."""
        return np.array([w[0] / self.kappa, w[1]])

    def update(self, kappa=None, eta=None):
        """Run descent for the given kappa and eta (None keeps the current one); return the figure.

        Raises
        ------
        ValueError, TypeError
            kappa not a finite number >= 1, eta not a positive finite number.
        """
        if kappa is not None:
            kappa = positive_number(kappa, "kappa")
            if kappa < 1:
                raise ValueError(
                    f"kappa is a condition number lambda_max / lambda_min, so at "
                    f"least 1; got {kappa}"
                )
        self.kappa = self.kappa if kappa is None else kappa
        self.eta = self.eta if eta is None else positive_number(eta, "eta")
        self.trajectory = traj = gradient_descent(
            self.gradient, self.w0, self.eta, self.steps, loss=self.loss
        )
        c, s = np.cos(self._theta), np.sin(self._theta)
        for line, level in zip(self.levels, self.LEVELS):
            line.set_data(np.sqrt(2 * level * self.kappa) * c, np.sqrt(2 * level) * s)
        w = traj.w
        self.path.set_data(w[:, 0], w[:, 1])
        self.ax_plane.title.set_text(f"κ = {self.kappa:.3g},  η = {self.eta:.3g}")
        last = f"L(w{str(self.steps).translate(SUBSCRIPTS)}) = {traj.loss[-1]:.1e}"
        t = np.arange(len(w))
        shown = [np.maximum(np.abs(w[:, 0]), FLOOR), np.maximum(np.abs(w[:, 1]), FLOOR)]
        # the status sits on the distance panel: it speaks of the coordinate that grows most
        # (the steep one on a tie, as at kappa = 1)
        growths = [values[-1] / values[0] for values in shown]
        k = 0 if growths[0] > growths[1] * (1 + 1e-9) else 1
        what = f"|w{'₁₂'[k]}|"
        _show_status(self.status, traj, growths[k], what, self.steps, last)
        for line, values in zip(self.norms, shown):
            line.set_data(t, values)
        self.ax_steps.set_xlim(-0.5, self.steps + 0.5)
        low, high = _log_limits(np.concatenate(shown))
        self.ax_steps.set_ylim(low, high * 1e3)  # room for the status
        return self.fig

    def widget(self):
        """The controls (kappa, eta) above the live figure (`bpcourse.widgets.live`).

        Returns
        -------
        ipywidgets.VBox
            Its children: an HBox with the FloatLogSlider "kappa" and the FloatSlider "eta",
            then the `ipywidgets.Image` of the figure. ``self.controls`` maps "kappa" and
            "eta" to the sliders, ``self.image`` is the Image.
        """
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        kappa = widgets.FloatLogSlider(
            value=self.kappa,
            base=10,
            min=np.log10(self.KAPPA_RANGE[0]),
            max=np.log10(self.KAPPA_RANGE[1]),
            step=0.05,
            description="kappa",
            readout_format=".3g",
        )
        eta = widgets.FloatSlider(
            value=self.eta,
            min=self.ETA_RANGE[0],
            max=self.ETA_RANGE[1],
            step=0.05,
            description="eta",
        )
        return live_figure(
            self,
            {"kappa": kappa, "eta": eta},
            "<QuadraticExplorer: run this cell to get its sliders and figure>",
        )
