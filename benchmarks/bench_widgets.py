"""Time one widget update: the reused figure against a new figure per call, in one run.

For each explorer of `bpcourse.widgets`, over a sweep of slider values:
- reuse: `explorer.update(**values)` on the one figure built at start, then rendering it to
  PNG (what the widget's Output shows after each slider move);
- rebuild: the default pattern, a new explorer (a new figure and artists) for every move,
  then the same update and rendering.
Target: reuse at most 50 ms per update. Prints medians in ms and the ratio; asserts nothing.

Run: python benchmarks/bench_widgets.py
"""

import io
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from bpcourse.widgets.approximation import ApproximationExplorer  # noqa: E402
from bpcourse.widgets.descent import DescentExplorer, QuadraticExplorer  # noqa: E402
from bpcourse.widgets.logistic import LogisticExplorer  # noqa: E402

SWEEPS = {
    ApproximationExplorer: [{"n": n, "target": t} for t in ("sin", "|x|") for n in (2, 8, 32)],
    DescentExplorer: [{"eta": eta, "w0": w0} for eta in (0.05, 0.125, 0.5, 1.5) for w0 in (-2, 3)],
    QuadraticExplorer: [{"kappa": k, "eta": e} for k in (2.0, 20.0, 80.0) for e in (0.5, 1.8)],
    LogisticExplorer: [{"step": s} for s in (0, 10, 100, 1000, 10000)],
}


def render(fig):
    fig.savefig(io.BytesIO(), format="png")


def median_ms(fn, values, rounds=3):
    times = []
    for _ in range(rounds):
        for v in values:
            start = time.perf_counter()
            fn(v)
            times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def main():
    print(f"{'explorer':<24}{'reuse (ms)':>12}{'rebuild (ms)':>14}{'ratio':>8}{'target':>9}")
    for cls, values in SWEEPS.items():
        explorer = cls()
        render(explorer.update(**values[0]))  # warm up fonts and caches

        def reuse(v, explorer=explorer):
            render(explorer.update(**v))

        def rebuild(v, cls=cls):
            render(cls().update(**v))

        # LogisticExplorer precomputes its training run when built: time its figure only.
        if cls is LogisticExplorer:
            X, y = explorer.X, explorer.y

            def rebuild(v, cls=cls, X=X, y=y, traj=explorer.trajectory):  # noqa: F811
                fresh = cls.__new__(cls)
                fresh.__dict__.update(explorer.__dict__)
                fresh._build_figure()
                render(fresh.update(**v))

        r, b = median_ms(reuse, values), median_ms(rebuild, values)
        print(f"{cls.__name__:<24}{r:>12.1f}{b:>14.1f}{b / r:>8.2f}{'<= 50':>9}")


if __name__ == "__main__":
    main()
