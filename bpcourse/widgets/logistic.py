"""Notebook 08: scrub through the gradient-descent steps of logistic regression.

`LogisticExplorer` runs the lecture's experiment once (labels -1/+1, eta = 0.1, 10000 steps of
gradient descent on L(w, b) = -sum_n log sigma(y_n (w . x_n + b)), on the reconstructed points
of `bpcourse.datasets.small_separable`), keeps every iterate, and
shows for a chosen step n: the data, the decision boundary w . x + b = 0 with the lines where
P(Y = 1 | X = x) = sigma(w . x + b) is 0.1 and 0.9, and the loss curve up to step n.
`draw_classifier` draws the left panel on any axes (the notebook's grid of steps uses it).
"""

import numpy as np

from bpcourse import logistic
from bpcourse._validate import as_array, positive_int, positive_number

DECADES = (0, 10, 100, 1000, 10000)  # the steps the lecture shows


def data_box(X, pad=0.5):
    """(x1_min, x1_max, x2_min, x2_max) around the 2-D points X (N, 2), padded by `pad`."""
    X = as_array(X, "X", ndim=2)
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def boundary_segment(w, b, box, level=0.0):
    """Two points of the line w . x + b = level spanning `box`, as (x1 values, x2 values).

    The line is solved for the coordinate with the larger weight, so it never divides by
    zero. For w = 0 there is no line and both arrays are empty.

    Parameters
    ----------
    w : array, shape (2,)
    b : number
    box : (x1_min, x1_max, x2_min, x2_max)
    level : number, the value of w . x + b on the line (0 for the decision boundary)
    """
    w1, w2 = (float(v) for v in w)
    c = float(b) - float(level)
    x1_min, x1_max, x2_min, x2_max = box
    if w1 == 0 and w2 == 0:
        return np.empty(0), np.empty(0)
    if abs(w2) >= abs(w1):
        x1 = np.array([x1_min, x1_max])
        return x1, -(c + w1 * x1) / w2
    x2 = np.array([x2_min, x2_max])
    return -(c + w2 * x2) / w1, x2


# P(Y = 1 | x) = sigma(w . x + b) equals 0.9 where w . x + b = log 9, and 0.1 at -log 9
CONFIDENT = {"P = 0.9": np.log(9.0), "P = 0.1": -np.log(9.0)}


def draw_classifier(ax, X, y, w, b, box=None, legend=True):
    """Draw on `ax` the points, the decision boundary and where P(Y = 1 | x) is 0.1 and 0.9.

    The boundary is the line w . x + b = 0 (P = 1/2); the dashed lines w . x + b = +-log 9
    bound the band where the model hesitates. They lie at distance log 9 / ||w|| from the
    boundary, so the band narrows as ||w|| grows. Class -1: blue circles; class +1: red
    triangles.

    Parameters
    ----------
    ax : matplotlib Axes
    X : array, shape (N, 2)
    y : array, shape (N,), labels -1 or +1
    w : array, shape (2,)
    b : number
    box : (x1_min, x1_max, x2_min, x2_max), default `data_box(X)`
    legend : bool, draw a legend inside the axes (see `legend_below` for one outside)

    Returns
    -------
    dict of Line2D: "boundary", and "P = 0.9", "P = 0.1" for the dashed lines
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 features to be drawn in the plane, got {X.shape[1]}")
    from matplotlib.ticker import MaxNLocator

    box = data_box(X) if box is None else box
    ax.plot(X[y < 0, 0], X[y < 0, 1], "o", color="C0", ms=5, label="y = -1")
    ax.plot(X[y > 0, 0], X[y > 0, 1], "^", color="C3", ms=5, label="y = +1")
    lines = {}
    for i, (name, level) in enumerate(CONFIDENT.items()):
        label = "P(Y=1|x) = 0.9, 0.1" if i == 0 else "_nolegend_"
        (lines[name],) = ax.plot(
            *boundary_segment(w, b, box, level), "--", color="0.35", lw=1.2, label=label
        )
    (lines["boundary"],) = ax.plot(*boundary_segment(w, b, box), "k-", lw=2, label="w . x + b = 0")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        ax.legend(loc="upper left", framealpha=0.85, handlelength=1.5, labelspacing=0.3)
    return lines


def legend_below(fig, ax, bottom=0.0):
    """One legend for the classifier panels, in a row under the axes (it hides no point)."""
    return fig.legend(
        *ax.get_legend_handles_labels(),
        loc="lower center",
        bbox_to_anchor=(0.5, bottom),
        ncols=4,
        frameon=False,
        handlelength=1.5,
    )


def slider_steps(steps, per_decade=12):
    """Step numbers for a slider: every step up to 10, then about `per_decade` per decade.

    Always contains 0 to 10, every power of ten up to `steps` (the lecture's n = 10, 100, ...)
    and `steps` itself; sorted, without repeats, none above `steps`.
    """
    steps = positive_int(steps, "steps", minimum=1)
    per_decade = positive_int(per_decade, "per_decade")
    top = np.log10(steps)
    spaced = np.round(np.logspace(0, top, int(np.ceil(top * per_decade)) + 1)).astype(int)
    powers = 10 ** np.arange(int(np.floor(top)) + 1)
    first = np.arange(min(steps, 10) + 1)  # every step up to 10: the first steps move most
    return [int(k) for k in np.unique(np.concatenate([first, [steps], powers, spaced]))]


def _plain_log_axes(ax, steps, loss):
    """Symlog steps axis (0 included) and, for a loss spanning decades, a log loss axis.

    Tick labels are fixed plain strings ("10", "1000"): matplotlib's default log labels are
    math text ($10^{3}$), whose parsing would cost most of each redraw.
    """
    from matplotlib.ticker import (
        FixedLocator,
        FuncFormatter,
        MaxNLocator,
        NullFormatter,
        NullLocator,
    )

    ax.set_xscale("symlog", linthresh=1.0, linscale=0.4)
    ax.set_xlim(0, steps)
    ticks = [0] + [int(10**k) for k in range(int(np.log10(steps)) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    low, high = float(np.min(loss)), float(np.max(loss))
    if low > 0 and high / low > 30:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
    else:
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))


def _checked_trajectory(trajectory, D, steps):
    """`trajectory` if it has the fields of `logistic.fit`'s result and fits D and steps."""
    for name in ("w", "b", "loss", "diverged", "diverged_at"):
        if not hasattr(trajectory, name):
            raise TypeError(
                f"trajectory must be the result of bpcourse.logistic.fit, "
                f"got {type(trajectory).__name__} without .{name}"
            )
    k = len(trajectory.b)
    if np.shape(trajectory.w) != (k, D) or len(trajectory.loss) != k or not 1 <= k <= steps + 1:
        raise ValueError(
            f"trajectory must hold at most steps + 1 = {steps + 1} iterates of {D} weights, "
            f"got w of shape {np.shape(trajectory.w)} and {len(trajectory.loss)} losses"
        )
    return trajectory


class LogisticExplorer:
    """Scrub through `steps` steps of gradient descent on the logistic loss.

    The whole trajectory (w_n, b_n) and the loss L(w_n, b_n) are computed once, at
    construction, by `bpcourse.logistic.fit`; `update(step)` only moves the artists.

    Parameters
    ----------
    X : array, shape (N, 2), optional
        Default: `bpcourse.datasets.small_separable()`, 100 points reconstructed for the
        lecture's experiment (on them the boundary still moves after 1000 steps).
    y : array, shape (N,), labels -1 or +1 (given together with X)
    lr : float, eta (0.1 as in the lecture)
    steps : int, number of gradient steps (10000 as in the lecture)
    seed : int, seed of the random starting point w_0 ~ N(0, I), b_0 = 0
    reduction : "sum" (the lecture's loss) or "mean"
    trajectory : LogisticTrajectory, optional
        A run of `bpcourse.logistic.fit` on (X, y) with these `lr`, `steps`, `seed` and
        `reduction`, to show instead of running it again (a notebook that already has it).

    Attributes
    ----------
    fig : matplotlib Figure, the one figure every update redraws
    trajectory : the `LogisticTrajectory` (w (k, 2), b (k,), loss (k,), diverged, diverged_at)
    lines : dict of the left panel's Line2D, "boundary", "P = 0.9" and "P = 0.1"
    slider_steps : list of int, the log-spaced steps the slider offers
    step : int, the step shown
    """

    def __init__(
        self, X=None, y=None, lr=0.1, steps=10000, seed=0, reduction="sum", trajectory=None
    ):
        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither (for the lecture's 100 points)")
        if X is None:
            from bpcourse.datasets import small_separable

            X, y = small_separable()
        self.X = as_array(X, "X", ndim=2)
        self.y = as_array(y, "y", ndim=1)
        self.lr = positive_number(lr, "lr")
        self.steps = positive_int(steps, "steps")
        if trajectory is None:
            trajectory = logistic.fit(
                self.X, self.y, lr=self.lr, steps=self.steps, seed=seed, reduction=reduction
            )
        self.trajectory = _checked_trajectory(trajectory, self.X.shape[1], self.steps)
        self.box = data_box(self.X)
        self.slider_steps = slider_steps(self.steps)
        self._build_figure()

    def _build_figure(self):
        """Create the figure and every artist once; `update` only changes their data."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        t = self.trajectory
        self.fig = Figure(figsize=(9, 3.9), dpi=100)
        # a canvas of its own: every savefig then reuses one renderer and its text cache
        # (a bare Figure gets a fresh Agg canvas per savefig, and re-lays out every label)
        FigureCanvasAgg(self.fig)
        self.ax_data, self.ax_loss = self.fig.subplots(1, 2)
        self.fig.subplots_adjust(left=0.08, right=0.96, bottom=0.26, top=0.92, wspace=0.26)
        self.lines = draw_classifier(
            self.ax_data, self.X, self.y, t.w[0], t.b[0], self.box, legend=False
        )
        legend_below(self.fig, self.ax_data)
        # a fixed title height (y=1.01) spares matplotlib measuring the tick labels at each draw
        self._title = self.ax_data.set_title("", y=1.01)
        self._diverged = self.ax_data.text(
            0.5,
            0.5,
            "",
            transform=self.ax_data.transAxes,
            ha="center",
            va="center",
            fontsize=14,
            color="C3",
            bbox={"facecolor": "white", "alpha": 0.9},
        )

        # the loss at every kept step; drawn at log-spaced steps (the axis is logarithmic)
        self._shown = np.array([k for k in slider_steps(self.steps, 60) if k < len(t.loss)])
        self.ax_loss.plot(self._shown, t.loss[self._shown], color="0.6", lw=1.5, ls="--")
        (self._so_far,) = self.ax_loss.plot([], [], color="C0", lw=2)
        (self._now,) = self.ax_loss.plot([], [], "o", color="C0", ms=7)
        _plain_log_axes(self.ax_loss, self.steps, t.loss)
        self.ax_loss.set_xlabel("gradient steps n")
        self.ax_loss.set_ylabel("training loss L(w, b)")
        self.ax_loss.set_title(
            f"loss so far (dashed grey: whole run), eta = {self.lr:g}", fontsize=12, y=1.01
        )
        self.step = None
        self.update(step=0)

    def _check_step(self, step):
        step = positive_int(step, "step", minimum=0)
        if step > self.steps:
            raise ValueError(
                f"step must be between 0 and {self.steps} (the precomputed steps), got {step}"
            )
        return step

    def update(self, step=0):
        """Show the classifier after `step` gradient steps; return the (same) figure.

        Parameters
        ----------
        step : int, 0 <= step <= steps

        Returns
        -------
        matplotlib Figure (always `self.fig`)
        """
        step = self._check_step(step)
        t = self.trajectory
        k = min(step, len(t.b) - 1)  # past a divergence, the last kept iterate
        w, b = t.w[k], float(t.b[k])
        self.lines["boundary"].set_data(*boundary_segment(w, b, self.box))
        for name, level in CONFIDENT.items():
            self.lines[name].set_data(*boundary_segment(w, b, self.box, level))
        self._title.set_text(f"n = {step}: L = {t.loss[k]:.3f}, ||w|| = {np.linalg.norm(w):.3f}")
        shown = np.append(self._shown[self._shown < k], k)
        self._so_far.set_data(shown, t.loss[shown])
        self._now.set_data([k], [t.loss[k]])
        gone = bool(t.diverged and step >= t.diverged_at)
        self._diverged.set_text(f"diverged at step {t.diverged_at}" if gone else "")
        self._diverged.set_visible(gone)
        self.step = step
        return self.fig

    def widget(self):
        """A step slider (log-spaced `slider_steps`) above the live figure, wired to `update`.

        Built by `bpcourse.widgets.live.live_figure`: the box holds an HBox with the
        SelectionSlider "step", then the `ipywidgets.Image` of the figure; ``self.controls``
        maps "step" to the slider, ``self.image`` is the Image.
        """
        import ipywidgets as widgets

        from bpcourse.widgets.live import live_figure

        slider = widgets.SelectionSlider(
            options=self.slider_steps,
            value=self.step if self.step in self.slider_steps else 0,
            description="step",
            continuous_update=True,
            layout=widgets.Layout(width="70%"),
        )
        return live_figure(
            self,
            {"step": slider},
            "<LogisticExplorer: run this cell to get its step slider and figure>",
        )
