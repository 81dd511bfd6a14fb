"""Finite-difference checks of analytic derivatives.

Central differences: df/dw_i ~ (f(w + eps e_i) - f(w - eps e_i)) / (2 eps), with an error of
order eps^2. In float64 with eps = 1e-6, a relative error under 1e-7 means the analytic
gradient is right, over 1e-4 that it has a bug (cs231n's policy).
"""

import math

import numpy as np

from bpcourse._validate import as_array, describe, function, positive_number, returned_number


def numerical_gradient(f, w, eps=1e-6):
    """Gradient of the scalar function `f` at the array `w` by central differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like `w` and returns a (finite) number.
    w : array, any shape
        The point. A writeable float64 NumPy array is changed in place during the computation
        and restored exactly, so `f` may also read it as a shared parameter (e.g. a network's
        weight array). A list or a number is copied to a float64 array, which `f` receives.
        A NumPy array of another dtype (int, float32) or a read-only one cannot hold the
        perturbed points w +- eps, so it is refused: pass ``w.astype(np.float64)``.
    eps : float > 0
        The step; it must change every entry of w (w + eps != w in float64).

    Returns
    -------
    array, shape of w (empty for an empty w)
    """
    function(f, "f", "returning a number")
    eps = _step(eps)
    return _central_differences(f, w, eps, "w", "f(w)")


def _step(eps):
    """`eps` as a float, positive and small enough that 2 eps is finite in float64."""
    eps = positive_number(eps, "eps")
    if not math.isfinite(2 * eps):
        raise ValueError(
            f"eps={eps!r} is too large: the central difference divides by 2 eps, which overflows "
            "float64 (above 1.8e308); eps is a small step (1e-6 times |w| is usual)"
        )
    return eps


def _check_step(eps, name, value, symbol="w"):
    """Refuse an `eps` that does not move `value` (the entry `name` of `symbol`), or moves it
    beyond float64."""
    if not (math.isfinite(value + eps) and math.isfinite(value - eps)):
        raise ValueError(
            f"eps={eps!r} is too large for {name} = {value!r}: {symbol} +- eps overflows float64 "
            f"(above 1.8e308); eps is a small step (1e-6 times |{symbol}| is usual)"
        )
    if value + eps == value or value - eps == value:
        raise ValueError(
            f"eps={eps!r} is too small for {name} = {value!r}: {symbol} + eps == {symbol} in "
            f"float64, whose numbers are {float(np.spacing(abs(value))):.2g} apart there; eps "
            f"must be well above that (1e-6 times |{symbol}| is usual)"
        )


def _central_differences(f, w, eps, w_name, f_name):
    """`numerical_gradient` with `w_name` and `f_name` naming w and the call in messages."""
    w = _perturbable(w, w_name)
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        _check_step(eps, _entry(w_name, i), float(old))
        try:
            w[i] = old + eps
            f_plus = _finite_value(f, w, f_name, f"{_entry(w_name, i)} + eps")
            w[i] = old - eps
            f_minus = _finite_value(f, w, f_name, f"{_entry(w_name, i)} - eps")
        finally:
            w[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _perturbable(w, name):
    """`w` as a float64 array whose entries can be set: the array itself, or a copy."""
    if not isinstance(w, np.ndarray) or w.dtype.kind not in "biuf":
        return as_array(w, name).copy()  # a list, a number: f receives the copy
    if w.dtype != np.float64:
        raise TypeError(
            f"{name} must be a float64 array, got {describe(w)}: it is changed in place (and "
            f"restored) so that f may read it as a shared parameter, and a {w.dtype} array "
            f"cannot hold w + eps; pass {name}.astype(np.float64), and if f reads the array "
            "itself, have it read that one"
        )
    as_array(w, name)  # finite
    if not w.flags.writeable:
        raise ValueError(
            f"{name} is a read-only array: it must be changed in place (and restored) so that "
            f"f may read it as a shared parameter; pass a writeable copy ({name}.copy())"
        )
    return w


def _entry(name, index):
    """ "w[3]", "w[1, 2]", or "w" for a 0-d array."""
    return f"{name}[{', '.join(str(k) for k in index)}]" if index else name


def _finite_value(f, w, f_name, where):
    """f(w) as a float, or an error naming the call and the point."""
    with np.errstate(all="ignore"):  # a value that is not finite is refused below
        value = returned_number(f(w), f_name, allow_nonfinite=True)
    if not math.isfinite(value):
        raise ValueError(f"{f_name} is {value} at {where}; expected a finite number")
    return value


def numerical_jacobian(f, x, eps=1e-6):
    """Jacobian of `f: R^n -> R^m` at `x` by central differences, in numerator layout.

    Parameters
    ----------
    f : callable
        Takes an array of shape (n,) and returns an array of shape (m,) (or a number, m = 1);
        an array of another shape is flattened. Its values must be finite numbers.
    x : array, shape (n,)
    eps : float > 0, the step; it must change every entry of x

    Returns
    -------
    array, shape (m, n): entry (i, j) is d f_i / d x_j.
    """
    function(f, "f", "from an array of shape (n,) to an array of shape (m,)")
    eps = _step(eps)
    x = as_array(x, "x", ndim=1).copy()
    if x.size == 0:
        return np.zeros((_jacobian_values(f, x, None, "x").size, 0))
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        _check_step(eps, f"x[{j}]", float(x[j]), "x")
        diff = _jacobian_values(f, x + step, columns[0] if columns else None, f"x[{j}] + eps")
        with np.errstate(over="ignore"):  # a difference too large for float64 is inf
            diff = diff - _jacobian_values(f, x - step, diff, f"x[{j}] - eps")
        columns.append(diff.ravel() / (2 * eps))
    return np.stack(columns, axis=1)


def _jacobian_values(f, x, like, where):
    """f(x) as a 1-D float64 array, finite and of the size of `like` (when given)."""
    with np.errstate(all="ignore"):  # values that are not finite are refused below
        value = as_array(f(x), "f(x)", allow_nonfinite=True)
    value = np.atleast_1d(value)
    if like is not None and value.size != like.size:
        raise ValueError(
            f"f(x) must return the same number of values at every point, got {like.size} and "
            f"then {value.size} (at {where})"
        )
    if not np.all(np.isfinite(value)):
        raise ValueError(f"f(x) is not finite at {where} (values {value}); expected finite numbers")
    return value


def relative_error(a, b):
    """max |a - b| / max(max(|a| + |b|), 1e-12): 0 for equal arrays, about 1 for unrelated ones.

    `a` and `b` are arrays of the same shape, with finite entries (a NaN in a gradient is a bug
    to look for, not an error to measure). Entries too large for |a - b| to be computed in
    float64 are scaled down first, so the result is always a number from 0 to 1.
    """
    a = as_array(a, "a")
    b = as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        error = np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-12)
    if not math.isfinite(error):  # |a - b| overflowed: the same ratio, on a / s and b / s
        scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
        a, b = a / scale, b / scale
        error = np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-12)
    return float(error)


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
    from bpcourse.mlp import MLP

    if not isinstance(net, MLP):
        raise TypeError(f"net must be a bpcourse.MLP, got {describe(net)}")
    eps = positive_number(eps, "eps")
    _, grad_w, grad_b = net.gradients(X, Y, **options)
    errors = {}
    for l in range(1, len(grad_w) + 1):
        for name, kind, param, analytic in (
            (f"w{l}", "weights", net.weights[l - 1], grad_w[l - 1]),
            (f"b{l}", "biases", net.biases[l - 1], grad_b[l - 1]),
        ):
            numeric = _central_differences(
                lambda _: net.loss(X, Y, **options),
                param,
                eps,
                f"net.{kind}[{l - 1}]",
                "net.loss(X, Y)",
            )
            errors[name] = relative_error(analytic, numeric)
    return errors
