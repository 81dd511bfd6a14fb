"""The training step behind `MLP.step` and `MLP.fit`: the equations of `layer_backward`, made fast.

`bpcourse.mlp` writes the forward and backward passes as the syllabus does (`layer_forward`,
`layer_backward`, `MLP._backprop`), and `MLP.gradients` runs them. A training step computes the
same thing, the forward pass, the loss's gradient [dl/dx^(L)], then for l = L, ..., 1

    dl_ds = dl_dx * sigma'(s)        dl_dw = dl_ds.T @ x_prev        dl_db = dl_ds.sum(axis=0)
    dl_dx_prev = dl_ds @ w           w -= lr * dl_dw                 b -= lr * dl_db

but it runs thousands of times, so here the same arithmetic is arranged to cost little more
than its matrix products (``benchmarks/bench_mlp.py`` measures the ratio). The tricks:

1. Buffers reused from step to step. Every array of a step (x^(l), [dl/dx^(l)], sigma'(s^(l)),
   the gradients) is allocated once per batch size, kept on the network, and written with
   NumPy's ``out=`` arguments. A fresh large array each step costs page faults (the operating
   system hands over zeroed memory page by page), which the matrix products alone do not pay.
2. x overwrites s. sigma'(s) is computed from the output x = sigma(s) with
   ``sigma.df_from_output`` (1 - x^2 for tanh, 1 where x > 0 for relu), so s need not be kept
   and sigma is applied in place. (An activation defined outside the package keeps s and uses
   ``sigma.df``.) For the identity, sigma(s) = s and sigma'(s) = 1 cost nothing.
3. lr folded into the start of the backward pass. The backward pass is linear in
   [dl/dx^(L)], so back-propagating lr * [dl/dx^(L)] yields lr * [dl/dw^(l)] and
   lr * [dl/db^(l)] directly: the update is a single subtraction per parameter.
4. [dl/db] = 1^T [dl/ds]: the bias is a weight on a constant input 1, so its gradient is a
   matrix-vector product, several times faster than ``dl_ds.sum(axis=0)`` on small batches.
5. No [dl/dx^(0)]: the first layer's input is the data, whose derivative is never used.

A step is all or nothing: the parameters change only after the whole backward pass, and only
if the loss and every gradient are finite. When they are not (they overflowed float64: a
learning rate too large), no parameter changes and the step returns inf, so that divergence
is reported (``MLP.fit`` sets ``diverged_at``) and the network stays usable. NumPy's overflow
warnings are silenced inside the step: the value returned says it all.

``tests/test_training.py`` proves that `step` gives the parameters and loss of a step written
with `MLP.gradients`, to 1e-12, over random depths, widths, batch sizes, activations, losses
and reductions, for several steps in a row with a change of batch size.
"""

import math

import numpy as np

from bpcourse._validate import all_finite
from bpcourse.activations import checked_output, is_builtin
from bpcourse.losses import UNCHECKED


class Buffers:
    """The arrays of one training step on a batch of n samples, reused by the next steps.

    For the layers l = 1..L (index 0 unused): ``s[l]``, shape (n, D_l), holds s^(l), then
    x^(l) written over it; ``dl_dx[l]``, shape (n, D_l), holds [dl/dx^(l)], then [dl/ds^(l)]
    written over it; ``df[l]``, shape (n, D_l), holds sigma'(s^(l)). For the parameters,
    index l - 1 as in ``net.weights``: ``lr_dw[l-1]`` (D_l, D_{l-1}) and ``lr_db[l-1]`` (D_l,),
    all of them views into one array ``lr_all``, so that one call checks that they are finite.
    ``ones`` is the vector 1 of n entries.
    """

    def __init__(self, sizes, n):
        per_unit = [None] + list(sizes[1:])
        self.s = [None if d is None else np.empty((n, d)) for d in per_unit]
        self.dl_dx = [None if d is None else np.empty((n, d)) for d in per_unit]
        self.df = [None if d is None else np.empty((n, d)) for d in per_unit]
        shapes = [(d_out, d_in) for d_in, d_out in zip(sizes[:-1], sizes[1:])]
        shapes += [(d_out,) for d_out in sizes[1:]]
        self.lr_all = np.empty(sum(int(np.prod(shape)) for shape in shapes))
        views, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            views.append(self.lr_all[start : start + size].reshape(shape))
            start += size
        self.lr_dw, self.lr_db = views[: len(sizes) - 1], views[len(sizes) - 1 :]
        self.ones = np.ones(n)


def buffers(net, n):
    """The network's buffers for batches of n samples, made at the first step of that size.

    At most a few batch sizes are kept (fit uses two: the batch size and the last, smaller
    batch of an epoch).
    """
    kept = net._training
    if n not in kept:
        if len(kept) >= 4:
            kept.clear()
        kept[n] = Buffers(net.sizes, n)
    return kept[n]


@np.errstate(over="ignore", invalid="ignore")  # divergence is reported, not warned about
def step(net, X, Y, lr, loss, reduction):
    """One gradient step of `net` on checked arrays; returns the loss before the step.

    Parameters
    ----------
    net : bpcourse.MLP, changed in place: w^(l) -= lr [dL/dw^(l)], b^(l) -= lr [dL/db^(l)]
    X : float64 array, shape (N, D0)
    Y : targets as `MLP._targets` returns them: float64 (N, D_L), or int labels (N,)
    lr : float > 0
    loss : "mse" or "cross_entropy"
    reduction : "mean" or "sum"

    Returns
    -------
    float, the loss before the step; inf when the loss or a gradient is not finite, and then
    no parameter has changed.
    """
    n, L = X.shape[0], net.n_layers
    buf = buffers(net, n)
    weights, biases = list(net.weights), list(net.biases)
    sigmas = [None] + [net.activation] * (L - 1) + [net.output_activation]
    in_place = [None] + [is_builtin(sigma) for sigma in sigmas[1:]]  # f, df_from_output take out=

    # forward pass: s^(l) = x^(l-1) w^T + b, then x^(l) = sigma(s^(l)), in place where possible
    x = [X] + [None] * L
    for l in range(1, L + 1):
        s = np.matmul(x[l - 1], weights[l - 1].T, out=buf.s[l])
        s += biases[l - 1]
        if in_place[l]:
            x[l] = sigmas[l].f(s, out=s)
        else:  # an activation of the user's, whose output is checked
            x[l] = checked_output(sigmas[l], "f", s, sigmas[l].f(s))

    # the loss times lr, and lr * [dl/dx^(L)] = lr * nabla_1 l(x^(L))
    scale = lr / n if reduction == "mean" else lr  # lr times the loss's factor, 1/n or 1
    lr_value, dl_dx = UNCHECKED[loss](x[L], Y, scale, out=buf.dl_dx[L])

    # backward pass, l = L, ..., 1, with lr carried along: every gradient is lr times its value
    for l in range(L, 0, -1):
        sigma, w = sigmas[l], weights[l - 1]
        dl_ds = dl_dx  # [dl/ds] = [dl/dx] * sigma'(s), written over [dl/dx]
        if not in_place[l]:
            dl_ds *= checked_output(sigma, "df", buf.s[l], sigma.df(buf.s[l]))  # s was kept
        elif sigma.name != "identity":  # (for the identity, sigma'(s) = 1)
            dl_ds *= sigma.df_from_output(x[l], out=buf.df[l])
        np.matmul(dl_ds.T, x[l - 1], out=buf.lr_dw[l - 1])  # [dl/dw] = [dl/ds] x^T
        np.matmul(buf.ones, dl_ds, out=buf.lr_db[l - 1])  # [dl/db] = 1^T [dl/ds]
        if l > 1:
            dl_dx = np.matmul(dl_ds, w, out=buf.dl_dx[l - 1])  # [dl/dx_prev] = w^T [dl/ds]

    # the update, all or nothing: taken only if the loss and every gradient are finite
    if not (math.isfinite(lr_value) and all_finite(buf.lr_all)):
        return math.inf
    for w, b, lr_dw, lr_db in zip(weights, biases, buf.lr_dw, buf.lr_db):
        w -= lr_dw
        b -= lr_db
    return lr_value / lr
