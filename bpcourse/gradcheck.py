"""Finite-difference checks of analytic derivatives.

Central differences: df/dw_i ~ (f(w + eps e_i) - f(w - eps e_i)) / (2 eps), with an error of
order eps^2. In float64 with eps = 1e-6, a relative error under 1e-7 means the analytic
gradient is right, over 1e-4 that it has a bug (cs231n's policy).
"""

import numpy as np

from bpcourse._validate import as_array, positive_number


def numerical_gradient(f, w, eps=1e-6):
    """Gradient of the scalar function `f` at the array `w` by central differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like `w` and returns a number.
    w : array, any shape
        The point. It is changed in place during the computation and restored exactly, so
        `f` may also read it as a shared parameter (e.g. a network's weight array).
    eps : float

    Returns
    -------
    array, shape of w
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a number, got {type(f).__name__}")
    eps = positive_number(eps, "eps")
    if not isinstance(w, np.ndarray) or w.dtype != np.float64:
        w = as_array(w, "w").copy()
    grad = np.zeros_like(w)
    flat, g = w.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, w):
        raise ValueError("w must be a contiguous array so that its entries can be perturbed")
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + eps
            f_plus = float(f(w))
            flat[i] = old - eps
            f_minus = float(f(w))
        finally:
            flat[i] = old
        g[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numerical_jacobian(f, x, eps=1e-6):
    """Jacobian of `f: R^n -> R^m` at `x` by central differences, in numerator layout.

    Parameters
    ----------
    f : callable
        Takes an array of shape (n,) and returns an array of shape (m,) (or a number, m = 1).
    x : array, shape (n,)

    Returns
    -------
    array, shape (m, n): entry (i, j) is d f_i / d x_j.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable, got {type(f).__name__}")
    eps = positive_number(eps, "eps")
    x = as_array(x, "x", ndim=1).copy()
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        diff = np.atleast_1d(np.asarray(f(x + step), dtype=np.float64))
        diff = diff - np.atleast_1d(np.asarray(f(x - step), dtype=np.float64))
        columns.append(diff.ravel() / (2 * eps))
    return np.stack(columns, axis=1)


def relative_error(a, b):
    """max |a - b| / max(max(|a| + |b|), 1e-12): 0 for equal arrays, about 1 for unrelated ones."""
    a = as_array(a, "a", allow_nonfinite=True)
    b = as_array(b, "b", allow_nonfinite=True)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-12))


def check_mlp(net, X, Y, loss="mse", eps=1e-6):
    """Largest relative error between `net.gradients` and central differences, over all parameters.

    The relative error is taken for each parameter array (w^(1), b^(1), w^(2), ...) and the
    largest is returned; `check_mlp_by_group` gives each one.

    Parameters
    ----------
    net : bpcourse.MLP
    X : array, shape (N, D0)
    Y : targets for `loss`
    loss : "mse" or "cross_entropy"

    Returns
    -------
    float
    """
    return max(_errors_by_group(net, X, Y, eps, loss=loss).values())


def check_mlp_by_group(net, X, Y, loss="mse", eps=1e-6, reduction="mean"):
    """Relative error between `net.gradients` and central differences, for each parameter group.

    One relative error over all the parameters at once, max |a - b| / max(|a| + |b|), divides
    by the largest entry of the whole gradient: a bias gradient a thousand times smaller than
    the weight gradients could be entirely wrong and still give an error of 1e-3 or less.
    Comparing each group, w^(1), b^(1), w^(2), ..., with its own scale shows where a backward
    pass is wrong.

    Parameters
    ----------
    net : bpcourse.MLP
    X : array, shape (N, D0)
    Y : targets for `loss`
    loss : "mse" or "cross_entropy"
    eps : float, the step of the central differences
    reduction : "mean" or "sum", as for `net.gradients`

    Returns
    -------
    dict from "w1", "b1", "w2", "b2", ... (layers numbered from 1) to the relative error of
    that group, in that order.
    """
    return _errors_by_group(net, X, Y, eps, loss=loss, reduction=reduction)


def _errors_by_group(net, X, Y, eps, **options):
    """{"w1": error, "b1": error, ...}; `options` go to `net.gradients` and `net.loss`."""
    _, grad_w, grad_b = net.gradients(X, Y, **options)
    errors = {}
    for l in range(1, len(grad_w) + 1):
        for name, param, analytic in (
            (f"w{l}", net.weights[l - 1], grad_w[l - 1]),
            (f"b{l}", net.biases[l - 1], grad_b[l - 1]),
        ):
            numeric = numerical_gradient(lambda _: net.loss(X, Y, **options), param, eps)
            errors[name] = relative_error(analytic, numeric)
    return errors
