"""Time the public training step `MLP.step(X, Y, lr)` against two references, one BLAS thread.

For each size, in one run, timed round by round (each round calls the three once, in an
order rotated from round to round), so that background load falls on all three alike:
- step: ``net.step(X, Y, lr)``, the public call with its argument checks: forward, mean squared
  error, backward and update;
- products: that step's matrix products alone, written into preallocated arrays: x @ w.T per
  layer (forward), dl_ds.T @ x per layer, 1^T dl_ds per layer and dl_ds @ w for all but the
  first layer (backward);
- torch: PyTorch CPU autograd doing the same step in float64 with one thread (forward, mean
  loss, backward, SGD update), when torch is installed (it is optional, never a requirement).
The median over rounds of each round's ratio is printed: step / products says what the rest
(checks, activations, loss, update) costs; step / torch compares with a standard library.

Run: python benchmarks/bench_mlp.py   (prints a table; asserts nothing; a few minutes at most)
OpenBLAS picks slower kernels when OPENBLAS_CORETYPE is set; see the README of the machine.
"""

import copy
import subprocess
import sys
import time

import numpy as np

from bpcourse import MLP

# sizes, batch N, hidden activation, targets for step / products and step / torch, rounds
SIZES = [
    ([2, 16, 16, 1], 200, "tanh", 3.0, 1.0, 2000),
    ([784, 256, 128, 10], 256, "relu", 1.15, 1.0, 200),
    ([512, 1024, 1024, 10], 1024, "relu", 1.10, 1.0, 15),
]
LR = 1e-4


def products_only(weights, X, buffers):
    """The step's matrix products alone, with the shapes of the real step, into `buffers`."""
    xs, dl_ds, dws, dbs, dxs, ones = buffers
    x = X
    for w, out in zip(weights, xs):
        x = np.matmul(x, w.T, out=out)
    inputs = [X] + xs[:-1]
    for l in range(len(weights) - 1, -1, -1):
        np.matmul(dl_ds[l].T, inputs[l], out=dws[l])
        np.matmul(ones, dl_ds[l], out=dbs[l])
        if l > 0:
            np.matmul(dl_ds[l], weights[l], out=dxs[l - 1])


def product_buffers(net, X, rng):
    n = X.shape[0]
    xs = [np.empty((n, w.shape[0])) for w in net.weights]
    dl_ds = [rng.normal(size=(n, w.shape[0])) for w in net.weights]
    dws = [np.empty_like(w) for w in net.weights]
    dbs = [np.empty(w.shape[0]) for w in net.weights]
    dxs = [np.empty((n, w.shape[1])) for w in net.weights[1:]]
    return xs, dl_ds, dws, dbs, dxs, np.ones(n)


def torch_step(net, X, Y):
    """A function doing one step of `net`'s architecture in PyTorch, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    acts = {"tanh": torch.tanh, "relu": torch.relu, "identity": lambda s: s}
    hidden, output = acts[net.activation.name], acts[net.output_activation.name]
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    params = ws + bs

    def step():
        x = Xt
        for l, (w, b) in enumerate(zip(ws, bs)):
            x = (output if l == len(ws) - 1 else hidden)(torch.addmm(b, x, w.T))
        loss = ((x - Yt) ** 2).sum() / len(Xt)  # mean over samples of ||f - y||^2, as mse
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        return loss.item()

    step.parameters = lambda: [p.detach().numpy() for p in ws + bs]
    return step


def same_step(net, X, Y, torch_fn):
    """Largest relative difference between one bpcourse step and one torch step, from `net`."""
    twin = copy.deepcopy(net)
    values = twin.step(X, Y, LR), torch_fn()
    diffs = [abs(values[0] - values[1]) / abs(values[1])]
    for ours, theirs in zip(twin.parameters(), torch_fn.parameters()):
        diffs.append(np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-300))
    return max(diffs)


def timed_rounds(functions, rounds):
    """Seconds of each function, call by call, alternating: an array (rounds, len(functions)).

    Each round calls every function once, in an order rotated from round to round: a call
    that follows torch finds the caches full of torch's arrays, so each function follows each
    other one equally often.
    """
    for f in functions:  # warm up: buffers, caches, torch's first-call set-up
        f(), f()
    k = len(functions)
    times = np.empty((rounds, k))
    for r in range(rounds):
        for i in [(r + j) % k for j in range(k)]:
            t0 = time.perf_counter()
            functions[i]()
            times[r, i] = time.perf_counter() - t0
    return times


def table():
    rng = np.random.default_rng(0)
    header = f"{'sizes':<22}{'N':>6}{'step ms':>10}{'prod ms':>10}{'torch ms':>10}"
    print(header + f"{'step/prod':>11}{'target':>8}{'step/torch':>12}{'target':>8}")
    agreement = []
    for sizes, n, activation, target_prod, target_torch, rounds in SIZES:
        net = MLP(sizes, activation=activation, seed=0)
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.normal(size=(n, sizes[-1]))
        buffers = product_buffers(net, X, rng)
        functions = [
            lambda net=net, X=X, Y=Y: net.step(X, Y, LR),
            lambda net=net, X=X, b=buffers: products_only(list(net.weights), X, b),
        ]
        torch_fn = torch_step(net, X, Y)
        if torch_fn is not None:
            agreement.append(same_step(net, X, Y, torch_fn))
            functions.append(torch_fn)
        t = timed_rounds(functions, rounds)
        ms = 1e3 * np.median(t, axis=0)
        ratio_prod = np.median(t[:, 0] / t[:, 1])
        line = f"{str(sizes):<22}{n:>6}{ms[0]:>10.3f}{ms[1]:>10.3f}"
        if torch_fn is None:
            line += f"{'-':>10}{ratio_prod:>11.2f}{target_prod:>8.2f}{'-':>12}{target_torch:>8.2f}"
        else:
            ratio_torch = np.median(t[:, 0] / t[:, 2])
            line += f"{ms[2]:>10.3f}{ratio_prod:>11.2f}{target_prod:>8.2f}"
            line += f"{ratio_torch:>12.2f}{target_torch:>8.2f}"
        print(line, flush=True)
    if agreement:
        print(f"one step agrees with torch's: largest relative difference {max(agreement):.1e}")
    else:
        print("torch is not installed: the step / torch column is skipped (pip install torch)")


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

    with threadpool_limits(limits=1, user_api="blas"):
        kernels = sorted({i.get("architecture", "?") for i in threadpool_info()})
        print(f"one BLAS thread; OpenBLAS kernels: {', '.join(kernels)}")
        table()
    print(
        f"\nimport bpcourse: {import_time():.3f} s, median of 5 fresh interpreters (target < 0.3 s)"
    )


if __name__ == "__main__":
    main()
