"""Time one training step of bpcourse.MLP against the matrix products it cannot avoid.

For each size, in one run (so that machine noise cancels in the ratio):
- step: forward, backward and update, as `MLP.fit` runs them for a batch of N samples;
- matmul: only that step's matrix products: x @ w.T per layer (forward), dl_ds.T @ x per
  layer and dl_ds @ w for all but the first layer (backward), on arrays of the same shapes.
The ratio step / matmul says how much the rest (activations, loss, allocation, update) costs.
Targets: at most 1.3 for the two larger sizes, 2.5 for the toy size.

Run: python benchmarks/bench_mlp.py   (prints a table; asserts nothing)
"""

import subprocess
import sys
import time

import numpy as np

from bpcourse import MLP

SIZES = [
    ([2, 16, 16, 1], 200, "tanh", 2.5),
    ([784, 256, 128, 10], 256, "relu", 1.3),
    ([512, 1024, 1024, 10], 1024, "relu", 1.3),
]


def paired_times(step, matmuls, repeat):
    """Time `step` and `matmuls` alternately, `repeat` times each, after one warm-up call.

    Alternating exposes both to the same background load, so the median of the per-pair
    ratios is steadier on a busy machine than a ratio of separately taken medians.
    """
    step(), matmuls()
    pairs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        step()
        t1 = time.perf_counter()
        matmuls()
        t2 = time.perf_counter()
        pairs.append((t1 - t0, t2 - t1))
    pairs = np.array(pairs)
    return np.median(pairs[:, 0]), np.median(pairs[:, 1]), np.median(pairs[:, 0] / pairs[:, 1])


def matmuls_only(net, X, dl_ds):
    """The step's matrix products alone, with the shapes of the real step."""
    xs = [X] + [np.empty((X.shape[0], w.shape[0])) for w in net.weights]
    for l, w in enumerate(net.weights):
        xs[l + 1] = xs[l] @ w.T
    for l in range(len(net.weights) - 1, -1, -1):
        _ = dl_ds[l].T @ xs[l]
        if l > 0:
            _ = dl_ds[l] @ net.weights[l]


def table(threads):
    rng = np.random.default_rng(0)
    print(f"BLAS threads: {threads}")
    print(f"{'sizes':<24}{'N':>6}{'step (ms)':>12}{'matmul (ms)':>13}{'ratio':>8}{'target':>8}")
    for sizes, n, activation, target in SIZES:
        net = MLP(sizes, activation=activation, seed=0)
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.normal(size=(n, sizes[-1]))
        dl_ds = [rng.normal(size=(n, d)) for d in sizes[1:]]
        repeat = 300 if sizes[0] < 10 else 31
        # MLP._step is what fit runs for each batch: the public step() minus argument checks.
        step, mat, ratio = paired_times(
            lambda net=net, X=X, Y=Y: net._step(X, Y, 1e-4, "mse"),
            lambda net=net, X=X, d=dl_ds: matmuls_only(net, X, d),
            repeat,
        )
        print(
            f"{str(sizes):<24}{n:>6}{1e3 * step:>12.3f}{1e3 * mat:>13.3f}{ratio:>8.2f}"
            f"{target:>8.1f}"
        )


def import_time():
    """Seconds `import bpcourse` takes in a fresh interpreter (its own modules and NumPy)."""
    code = "import time; t = time.perf_counter(); import bpcourse; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    return float(np.median(runs))


def main():
    from threadpoolctl import threadpool_info, threadpool_limits

    cores = max(i["num_threads"] for i in threadpool_info()) if threadpool_info() else 1
    with threadpool_limits(limits=1, user_api="blas"):
        table(1)
    print()
    table(cores)
    print(
        f"\nimport bpcourse: {import_time():.3f} s, median of 5 fresh interpreters (target < 0.3 s)"
    )


if __name__ == "__main__":
    main()
