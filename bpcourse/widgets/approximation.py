"""Notebook 06's explorers: a ReLU sum against its target, by number of units or by knots.

Both draw the target psi thick, grey and dotted and the ReLU sums solid, with markers at the
knots, so that no line is told from another by its colour alone.

`ApproximationExplorer` draws psi, the sum of n ReLUs that interpolates it at n + 1 evenly
spaced knots (`bpcourse.approximation.relu_interpolant`), the knots, and the error
psi - f below, with the largest error written on the plot. `update(n=..., target=...)`
changes the artists' data; `widget()` wires a slider and a menu to it
(`bpcourse.widgets.live`).

`KnotExplorer` lets the knots move: the sum through psi at knots of your choice (built by
`bpcourse.approximation.relu_sum_through`, or by the function passed as ``through``, such as
a student's answer to Exercise 6.1), drawn against a trained network of the same size, with
the largest error and the mean squared error of both. `update(t1=..., ...)` redraws;
`widget()` gives one slider per knot.
"""

import numpy as np

from bpcourse._validate import choice, positive_int
from bpcourse.approximation import relu_interpolant, relu_sum_through


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
    target_line, approx_line, knot_marks : Line2D
        psi (thick grey, dotted), the sum (solid) and the knots (black dots).
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
        # Told apart without colour: the target thick, grey and dotted, the sum solid.
        (self.target_line,) = self.ax.plot([], [], ":", lw=3, color="0.45", label="target ψ")
        (self.approx_line,) = self.ax.plot([], [], "-", lw=1.8, color="C0", label="sum of n ReLUs")
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


class KnotExplorer:
    """Move the knots of a ReLU sum through psi and compare it with a trained network.

    The sum is ``through(knots, psi(knots))`` at the knots a, t_1, ..., t_m, b (it meets psi
    at every knot and is linear between them), so it has m + 1 units. The
    inner knots t_1 < ... < t_m are the explorer's controls; a trained network, if given, is
    drawn beside it with its own knots (where a unit switches, w_k x + b_k = 0). Below, both
    errors; in the box, each one's largest error and mean squared error on `train_x`.

    Parameters
    ----------
    trained : bpcourse.MLP of sizes [1, K, 1], a `ReluSum`, or None
        The network to compare with.
    knots : array_like of shape (m,), optional
        The inner knots to start from, inside (a, b); default m = 7 evenly spaced ones.
    psi, a, b : the target and its interval (default sin on [-pi, pi])
    train_x : array_like, optional
        Where the mean squared errors are measured (default 200 evenly spaced points of [a, b],
        the training inputs of notebook 06).
    points : int
        Number of x values where the curves and the largest errors are computed.
    through : callable or None
        ``through(t, y) -> (c, w, b, omega)``, the parameters of a sum of ReLUs through the
        points (t_i, y_i) (Exercise 6.1); default `bpcourse.approximation.relu_sum_through`.
        Any parameters of that sum will do: the explorer draws its values.

    Attributes
    ----------
    fig : matplotlib.figure.Figure, reused by every `update`
    target_line, sum_line : Line2D, psi (thick grey, dotted) and your sum (solid)
    knots : ndarray, all knots in use (a and b included; equal inner knots merged)
    max_error, mse : float, the ReLU sum's largest error on the plotted x and MSE on train_x
    trained_max_error, trained_mse : float or None, the same for the trained network
    """

    def __init__(self, trained=None, knots=None, psi=np.sin, a=-np.pi, b=np.pi, train_x=None,
                 points=801, through=None):  # fmt: skip
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        from bpcourse._validate import as_array

        if not callable(psi):
            raise TypeError(f"psi must be a callable taking an array, got {type(psi).__name__}")
        through = relu_sum_through if through is None else through
        if not callable(through):
            raise TypeError(
                f"through must be a function (t, y) -> (c, w, b, omega), got "
                f"{type(through).__name__}"
            )
        self.through = through
        self.psi, self.a, self.b = psi, float(a), float(b)
        if not self.a < self.b:
            raise ValueError(f"the interval [a, b] must have a < b, got a={a}, b={b}")
        if knots is None:
            knots = np.linspace(self.a, self.b, 9)[1:-1]
        self.inner = np.sort(as_array(knots, "knots", ndim=1)).copy()
        if len(self.inner) == 0:
            raise ValueError("knots must hold at least one inner knot")
        self.names = [f"t{i}" for i in range(1, len(self.inner) + 1)]
        points = positive_int(points, "points", minimum=2)
        self.x = np.linspace(self.a, self.b, points)
        self.train_x = (
            np.linspace(self.a, self.b, 200) if train_x is None else as_array(train_x, "train_x")
        )
        self.trained = self._trained_function(trained)
        self.trained_knots = self._trained_knots(trained)

        self.fig = Figure(figsize=(7, 4.5), dpi=100)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.12, right=0.97, bottom=0.12, top=0.92, hspace=0.08)
        self.ax, self.ax_err = self.fig.subplots(
            2, 1, sharex=True, gridspec_kw={"height_ratios": (2, 1)}
        )
        for axis in (self.ax.yaxis, self.ax_err.xaxis, self.ax_err.yaxis):
            axis.set_major_locator(MaxNLocator(4))
        psi_x = psi(self.x)
        # Told apart without colour: the target thick, grey and dotted, your sum solid with dots
        # at its knots, the trained network dashed with crosses at its knots.
        (self.target_line,) = self.ax.plot(self.x, psi_x, ":", lw=3, color="0.45", label="target ψ")
        (self.sum_line,) = self.ax.plot(
            [], [], "-", lw=1.8, color="C0", label="ReLU sum, your knots"
        )
        (self.knot_marks,) = self.ax.plot([], [], "o", ms=5, color="C0")
        (self.sum_error,) = self.ax_err.plot([], [], lw=1.5, color="C0")
        if self.trained is not None:
            net_x = self.trained(self.x)
            self.ax.plot(self.x, net_x, "--", lw=1.8, color="C1", label="trained network")
            inside = self.trained_knots[
                (self.trained_knots >= self.a) & (self.trained_knots <= self.b)
            ]
            self.ax.plot(inside, self.trained(inside), "x", ms=7, mew=2, color="C1")
            self.ax_err.plot(self.x, psi_x - net_x, "--", lw=1.5, color="C1")
            self.trained_max_error = float(np.max(np.abs(psi_x - net_x)))
            self.trained_mse = float(np.mean((self.trained(self.train_x) - psi(self.train_x)) ** 2))
        else:
            self.trained_max_error = self.trained_mse = None
        self.text = self.ax.text(
            0.02, 0.96, "", transform=self.ax.transAxes, va="top", fontsize=12, family="monospace",
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.85},
        )  # fmt: skip
        self.ax_err.axhline(0.0, color="0.6", lw=0.8)
        low, high = float(psi_x.min()), float(psi_x.max())
        pad = 0.1 * (high - low)
        self.ax.set_xlim(self.a, self.b)
        self.ax.set_ylim(low - pad, high + 5 * pad)  # room for the text box
        self.ax.set_ylabel("ψ(x), f(x)")
        self.ax.set_title("Your knots (o) and the trained network's (×)")
        self.ax.legend(loc="lower right", fontsize=12)
        self.ax_err.set_xlabel("x")
        self.ax_err.set_ylabel("ψ − f")
        self.update()

    @staticmethod
    def _trained_function(trained):
        if trained is None:
            return None
        if hasattr(trained, "forward"):  # a bpcourse MLP on one input
            return lambda x: trained.forward(np.asarray(x, dtype=float).reshape(-1, 1))[:, 0]
        if callable(trained):
            return lambda x: np.asarray(trained(np.asarray(x, dtype=float)), dtype=float)
        raise TypeError(f"trained must be an MLP, a ReluSum or None, got {type(trained).__name__}")

    @staticmethod
    def _trained_knots(trained):
        if trained is None:
            return np.array([])
        if hasattr(trained, "forward"):
            weight, bias = trained.weights[0][:, 0], trained.biases[0]
        else:
            weight, bias = np.asarray(trained.w), np.asarray(trained.b)
        on = weight != 0
        return np.sort(-bias[on] / weight[on])

    def update(self, knots=None, **moved):
        """Set the inner knots (all of them with `knots`, or some by name: ``t1=0.5``), redraw.

        Knots are sorted; a knot outside (a, b), or two closer than 1e-6, count once, so the
        sum may have fewer units than sliders. Returns the figure.

        Raises
        ------
        TypeError, ValueError
            For an unknown knot name or a knot that is not a finite number.
        """
        from bpcourse._validate import as_array

        inner = self.inner.copy()
        if knots is not None:
            inner = as_array(knots, "knots", ndim=1).copy()
            if len(inner) != len(self.names):
                raise ValueError(f"knots must hold {len(self.names)} inner knots, got {len(inner)}")
        for name, value in moved.items():
            if name not in self.names:
                raise TypeError(f"unknown knot {name!r}: the knots are {', '.join(self.names)}")
            inner[self.names.index(name)] = float(as_array(value, name, ndim=0))
        self.inner = inner
        all_knots = np.sort(np.concatenate([[self.a, self.b], np.clip(inner, self.a, self.b)]))
        all_knots = all_knots[np.concatenate([[True], np.diff(all_knots) > 1e-6])]
        all_knots[-1] = self.b  # the last cluster of knots is b itself
        self.knots = all_knots
        c, w, bias, omega = (
            np.asarray(p, dtype=float) for p in self.through(self.knots, self.psi(self.knots))
        )

        def f(x):  # c + sum_k omega_k relu(w_k x + b_k)
            return float(np.ravel(c)[0]) + np.maximum(np.multiply.outer(x, w) + bias, 0) @ omega

        self.approx = f(self.x)
        error = self.psi(self.x) - self.approx
        self.max_error = float(np.max(np.abs(error)))
        self.mse = float(np.mean((f(self.train_x) - self.psi(self.train_x)) ** 2))
        self.n_units = len(w)

        self.sum_line.set_data(self.x, self.approx)
        self.knot_marks.set_data(self.knots, self.psi(self.knots))
        self.sum_error.set_data(self.x, error)
        label = f"your sum, {self.n_units} units:"
        lines = [f"{label:<20} largest {self.max_error:.2e}, MSE {self.mse:.2e}"]
        worst = self.max_error
        if self.trained is not None:
            lines.append(
                f"{'trained network:':<20} largest {self.trained_max_error:.2e}, "
                f"MSE {self.trained_mse:.2e}"
            )
            worst = max(worst, self.trained_max_error)
        self.text.set_text("\n".join(lines))
        limit = 1.15 * max(worst, 1e-12)
        self.ax_err.set_ylim(-limit, limit)
        return self.fig

    def widget(self):
        """Return an ipywidgets box: one slider per inner knot above the live figure.

        Built by `bpcourse.widgets.live.live_figure`; ``self.controls`` maps "t1", "t2", ...
        to the sliders, ``self.image`` is the Image.
        """
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        sliders = {
            name: widgets.FloatSlider(
                value=float(value),
                min=round(self.a, 2),
                max=round(self.b, 2),
                step=0.001,
                readout_format=".2f",
                description=name,
                continuous_update=False,
                layout=widgets.Layout(width="330px"),
            )
            for name, value in zip(self.names, self.inner)
        }
        box = live_figure(
            self, sliders, "KnotExplorer: one slider per knot of the ReLU sum (run the cell)"
        )
        box.children[0].layout.flex_flow = "row wrap"
        return box
