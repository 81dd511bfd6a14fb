"""Notebook 07: scrub through the gradient-descent steps of logistic regression.

`LogisticExplorer` runs deck 001's experiment once (labels -1/+1, eta = 0.1, 10000 steps of
gradient descent on L(w, b) = -sum_n log sigma(y_n (w . x_n + b))), keeps every iterate, and
shows for a chosen step n: the data, P(Y = 1 | X = x) = sigma(w . x + b) as a shaded
background, the decision boundary w . x + b = 0, and the loss curve up to step n.
`draw_classifier` draws the left panel on any axes (the notebook's grid of steps uses it).
"""

import numpy as np

from bpcourse import logistic
from bpcourse._validate import as_array, positive_int, positive_number

DECADES = (0, 10, 100, 1000, 10000)  # the steps deck 001 shows


def data_box(X, pad=0.5):
    """(x1_min, x1_max, x2_min, x2_max) around the 2-D points X (N, 2), padded by `pad`."""
    X = as_array(X, "X", ndim=2)
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def boundary_segment(w, b, box):
    """Two points of the line w . x + b = 0 spanning `box`, as (x1 values, x2 values).

    The line is solved for the coordinate with the larger weight, so it is never steeper
    than 45 degrees in that parametrisation and never divides by zero. For w = 0 there is
    no boundary and both arrays are empty.

    Parameters
    ----------
    w : array, shape (2,)
    b : number
    box : (x1_min, x1_max, x2_min, x2_max)
    """
    w1, w2 = (float(v) for v in w)
    x1_min, x1_max, x2_min, x2_max = box
    if w1 == 0 and w2 == 0:
        return np.empty(0), np.empty(0)
    if abs(w2) >= abs(w1):
        x1 = np.array([x1_min, x1_max])
        return x1, -(b + w1 * x1) / w2
    x2 = np.array([x2_min, x2_max])
    return -(b + w2 * x2) / w1, x2


def _grid(box, size):
    """The (size*size, 2) points of a regular grid over `box`, rows running along x1."""
    x1 = np.linspace(box[0], box[1], size)
    x2 = np.linspace(box[2], box[3], size)
    g1, g2 = np.meshgrid(x1, x2)
    return np.column_stack([g1.ravel(), g2.ravel()])


def draw_classifier(ax, X, y, w, b, box=None, grid_size=80, legend=True):
    """Draw on `ax` the points, sigma(w . x + b) as a background, and the boundary.

    Class +1 is drawn as red triangles over the red end of the background (P(Y = 1) near 1),
    class -1 as blue circles over the blue end.

    Parameters
    ----------
    ax : matplotlib Axes
    X : array, shape (N, 2)
    y : array, shape (N,), labels -1 or +1
    w : array, shape (2,)
    b : number
    box : (x1_min, x1_max, x2_min, x2_max), default `data_box(X)`
    grid_size : int, points per side of the background grid

    Returns
    -------
    dict of the artists: "image" (AxesImage), "boundary" (Line2D)
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 features to be drawn in the plane, got {X.shape[1]}")
    box = data_box(X) if box is None else box
    grid_size = positive_int(grid_size, "grid_size", minimum=2)
    p = logistic.predict_proba(w, b, _grid(box, grid_size)).reshape(grid_size, grid_size)
    image = ax.imshow(p, origin="lower", extent=box, cmap="RdBu_r", vmin=0.0, vmax=1.0,
                      alpha=0.45, aspect="auto", interpolation="bilinear")
    ax.plot(X[y < 0, 0], X[y < 0, 1], "o", color="C0", ms=5, label="y = -1")
    ax.plot(X[y > 0, 0], X[y > 0, 1], "^", color="C3", ms=5, label="y = +1")
    (boundary,) = ax.plot(*boundary_segment(w, b, box), "k-", lw=2, label="w . x + b = 0")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        ax.legend(loc="lower right", fontsize=10, framealpha=0.9)
    return {"image": image, "boundary": boundary}


def slider_steps(steps, per_decade=12):
    """Step numbers for a slider: 0, then about `per_decade` log-spaced steps per decade.

    Always contains 0, every power of ten up to `steps` (deck 001's n = 10, 100, ...) and
    `steps` itself; sorted, without repeats.
    """
    steps = positive_int(steps, "steps", minimum=1)
    per_decade = positive_int(per_decade, "per_decade")
    top = np.log10(steps)
    spaced = np.round(np.logspace(0, top, int(np.ceil(top * per_decade)) + 1)).astype(int)
    powers = 10 ** np.arange(int(np.floor(top)) + 1)
    return [int(k) for k in np.unique(np.concatenate([[0, steps], powers, spaced]))]


class LogisticExplorer:
    """Scrub through `steps` steps of gradient descent on the logistic loss.

    The whole trajectory (w_n, b_n) and the loss L(w_n, b_n) are computed once, at
    construction, by `bpcourse.logistic.fit`; `update(step)` only moves the artists.

    Parameters
    ----------
    X : array, shape (N, 2), optional
        Default: `bpcourse.datasets.two_gaussians(n=100, seed=0)`, deck 001's 100 points.
    y : array, shape (N,), labels -1 or +1 (given together with X)
    lr : float, eta (0.1 as in the deck)
    steps : int, number of gradient steps (10000 as in the deck)
    seed : int, seed of the random starting point w_0 ~ N(0, I), b_0 = 0
    reduction : "sum" (the deck's loss) or "mean"

    Attributes
    ----------
    fig : matplotlib Figure, the one figure every update redraws
    trajectory : the `LogisticTrajectory` (w (k, 2), b (k,), loss (k,), diverged, diverged_at)
    step : the step shown
    """

    def __init__(self, X=None, y=None, lr=0.1, steps=10000, seed=0, reduction="sum"):
        from matplotlib.figure import Figure

        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither (for deck 001's 100 points)")
        if X is None:
            from bpcourse.datasets import two_gaussians

            X, y = two_gaussians(n=100, seed=0)
        self.X = as_array(X, "X", ndim=2)
        self.y = as_array(y, "y", ndim=1)
        self.lr = positive_number(lr, "lr")
        self.steps = positive_int(steps, "steps")
        self.trajectory = logistic.fit(self.X, self.y, lr=self.lr, steps=self.steps, seed=seed,
                                       reduction=reduction)
        self.box = data_box(self.X)
        self.grid_size = 80
        self._grid = _grid(self.box, self.grid_size)
        self.slider_steps = slider_steps(self.steps)

        self.fig = Figure(figsize=(10, 4.2), dpi=100)
        self.ax_data, self.ax_loss = self.fig.subplots(1, 2)
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.88, wspace=0.28)
        t = self.trajectory
        artists = draw_classifier(self.ax_data, self.X, self.y, t.w[0], t.b[0], self.box,
                                  self.grid_size)
        self._image, self._boundary = artists["image"], artists["boundary"]
        self._title = self.ax_data.set_title("")
        self._diverged = self.ax_data.text(
            0.5, 0.5, "", transform=self.ax_data.transAxes, ha="center", va="center",
            fontsize=14, color="C3", bbox={"facecolor": "white", "alpha": 0.9})

        n = np.arange(len(t.loss))
        self.ax_loss.plot(n, t.loss, color="0.75", lw=1.5, label="the whole run")
        (self._so_far,) = self.ax_loss.plot([], [], color="C0", lw=2, label="so far")
        (self._now,) = self.ax_loss.plot([], [], "o", color="C0", ms=7)
        self.ax_loss.set_xscale("symlog", linthresh=1.0, linscale=0.4)
        self.ax_loss.set_xlim(0, self.steps)
        if np.all(t.loss > 0):
            self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("gradient steps n")
        self.ax_loss.set_ylabel("training loss L(w, b)")
        self.ax_loss.set_title(f"loss, eta = {self.lr:g}")
        self.ax_loss.legend(loc="lower left", fontsize=10)
        self._info = self.ax_loss.text(0.97, 0.95, "", transform=self.ax_loss.transAxes,
                                       ha="right", va="top", fontsize=12)
        self.step = None
        self.update(step=0)

    def _check_step(self, step):
        step = positive_int(step, "step", minimum=0)
        if step > self.steps:
            raise ValueError(f"step must be between 0 and {self.steps} (the precomputed "
                             f"steps), got {step}")
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
        p = logistic.predict_proba(w, b, self._grid)  # sigma(w . x + b) on the grid
        self._image.set_data(p.reshape(self.grid_size, self.grid_size))
        self._boundary.set_data(*boundary_segment(w, b, self.box))
        self._title.set_text(f"after n = {step} steps")
        self._so_far.set_data(np.arange(k + 1), t.loss[: k + 1])
        self._now.set_data([k], [t.loss[k]])
        self._info.set_text(f"L = {t.loss[k]:.3f}\n||w|| = {np.linalg.norm(w):.3f}")
        gone = t.diverged and step >= t.diverged_at
        self._diverged.set_text(f"diverged at step {t.diverged_at}" if gone else "")
        self._diverged.set_visible(gone)
        self.step = step
        return self.fig

    def widget(self):
        """A step slider (log-spaced `slider_steps`) above the figure, wired to `update`."""
        import ipywidgets as widgets
        from IPython.display import clear_output, display

        start = self.step if self.step in self.slider_steps else 0
        self.slider = widgets.SelectionSlider(
            options=self.slider_steps, value=start, description="step",
            continuous_update=True, layout=widgets.Layout(width="70%"))
        out = widgets.Output()

        def show(change=None):
            self.update(step=self.slider.value)
            with out:
                clear_output(wait=True)
                display(self.fig)

        self.slider.observe(show, names="value")
        show()
        return widgets.VBox([self.slider, out])
