"""Time one widget redraw: the reused figure against a new figure per call, in one run.

For each explorer of `bpcourse.widgets`, over a sweep of slider values:
- reuse: what the widget does on a slider move (`bpcourse.widgets.live.live_figure`):
  `explorer.update(**values)` on the one figure built at start, then `png(explorer.fig)`,
  the bytes the `ipywidgets.Image` receives;
- rebuild: a new explorer (a new figure and its artists) for every move, then the same
  update and PNG. LogisticExplorer gets the training run it already holds (its `trajectory=`
  argument), so that only the figure is rebuilt, not the 10000 steps of gradient descent.
Target: reuse at most 50 ms per move. Prints medians in ms and the ratio; asserts nothing.

Run: python benchmarks/bench_widgets.py
"""

import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from bpcourse.widgets.approximation import ApproximationExplorer  # noqa: E402
from bpcourse.widgets.descent import DescentExplorer, QuadraticExplorer  # noqa: E402
from bpcourse.widgets.live import png  # noqa: E402
from bpcourse.widgets.logistic import LogisticExplorer  # noqa: E402

SWEEPS = {
    ApproximationExplorer: [{"n": n, "target": t} for t in ("sin", "|x|") for n in (2, 8, 32)],
    DescentExplorer: [{"eta": eta, "w0": w0} for eta in (0.05, 0.125, 0.5, 1.5) for w0 in (-2, 3)],
    QuadraticExplorer: [{"kappa": k, "eta": e} for k in (2.0, 20.0, 80.0) for e in (0.5, 1.8)],
    LogisticExplorer: [{"step": s} for s in (0, 10, 100, 1000, 10000)],
}


def factory(explorer):
    """A function building a new explorer like `explorer` (same data, a new figure)."""
    if isinstance(explorer, LogisticExplorer):
        return lambda: LogisticExplorer(
            explorer.X, explorer.y, lr=explorer.lr, steps=explorer.steps,
            trajectory=explorer.trajectory,
        )  # fmt: skip
    return type(explorer)


def median_ms(fn, values, rounds=3):
    times = []
    for _ in range(rounds):
        for v in values:
            start = time.perf_counter()
            fn(v)
            times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def main():
    print(f"{'explorer':<24}{'reuse (ms)':>12}{'rebuild (ms)':>14}{'ratio':>8}{'PNG (kB)':>10}")
    for cls, values in SWEEPS.items():
        explorer = cls()
        make = factory(explorer)
        size = len(png(explorer.update(**values[0])))  # warm up fonts and caches
        png(make().update(**values[0]))

        def reuse(v, explorer=explorer):
            return png(explorer.update(**v))

        def rebuild(v, make=make):
            return png(make().update(**v))

        r, b = median_ms(reuse, values), median_ms(rebuild, values)
        print(f"{cls.__name__:<24}{r:>12.1f}{b:>14.1f}{b / r:>8.2f}{size / 1e3:>10.0f}")
    print("target: reuse <= 50 ms per slider move")


if __name__ == "__main__":
    main()
