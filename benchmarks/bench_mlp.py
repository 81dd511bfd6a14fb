"""Time one training step of bpcourse.MLP against the matrix products it cannot avoid.

For each size, in one run (so that machine noise cancels in the ratio):
- step: forward, backward and update, as `MLP.fit` runs them for a batch of N samples;
- matmul: only that step's matrix products: x @ w.T per layer (forward), dl_ds.T @ x per
  layer and dl_ds @ w for all but the first layer (backward), on arrays of the same shapes.
The ratio step / matmul says how much the rest (activations, loss, allocation, update) costs.
Targets: at most 1.3 for the two larger sizes, 2.5 for the toy size.

Run: python benchmarks/bench_mlp.py   (prints a table; asserts nothing)
"""

import time

import numpy as np

from bpcourse import MLP

SIZES = [
    ([2, 16, 16, 1], 200, "tanh", 2.5),
    ([784, 256, 128, 10], 256, "relu", 1.3),
    ([512, 1024, 1024, 10], 1024, "relu", 1.3),
]


def median_time(fn, repeat):
    fn()  # warm up caches and allocations
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def matmuls_only(net, X, dl_ds):
    """The step's matrix products alone, with the shapes of the real step."""
    xs = [X] + [np.empty((X.shape[0], w.shape[0])) for w in net.weights]
    for l, w in enumerate(net.weights):
        xs[l + 1] = xs[l] @ w.T
    for l in range(len(net.weights) - 1, -1, -1):
        _ = dl_ds[l].T @ xs[l]
        if l > 0:
            _ = dl_ds[l] @ net.weights[l]


def main():
    rng = np.random.default_rng(0)
    print(f"{'sizes':<24}{'N':>6}{'step (ms)':>12}{'matmul (ms)':>13}{'ratio':>8}{'target':>8}")
    for sizes, n, activation, target in SIZES:
        net = MLP(sizes, activation=activation, seed=0)
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.normal(size=(n, sizes[-1]))
        dl_ds = [rng.normal(size=(n, d)) for d in sizes[1:]]
        repeat = 200 if sizes[0] < 10 else 15
        # MLP._step is what fit runs for each batch: the public step() minus argument checks.
        step = median_time(lambda net=net, X=X, Y=Y: net._step(X, Y, 1e-4, "mse"), repeat)
        mat = median_time(lambda net=net, X=X, d=dl_ds: matmuls_only(net, X, d), repeat)
        print(
            f"{str(sizes):<24}{n:>6}{1e3 * step:>12.3f}{1e3 * mat:>13.3f}"
            f"{step / mat:>8.2f}{target:>8.1f}"
        )
    start = time.perf_counter()
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bpcourse"],
        capture_output=True,
        text=True,
        check=True,
    )
    total_us = sum(
        int(line.split("|")[1])
        for line in out.stderr.splitlines()
        if line.startswith("import time:")
        and line.split("|")[1].strip().isdigit()
        and not line.split("|")[2].startswith("  ")
    )
    print(
        f"import bpcourse: {total_us / 1e6:.3f} s cumulative (target < 0.3 s); "
        f"subprocess wall {time.perf_counter() - start:.3f} s"
    )


if __name__ == "__main__":
    main()
