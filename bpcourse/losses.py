"""Losses, each returning ``(value, gradient with respect to the prediction)``.

The gradient is the quantity that starts the backward pass: [dl/dx^(L)] = nabla_1 l(x^(L)).
Predictions ``f`` have samples in rows, shape ``(N, D_L)``.

Predictions and targets must be finite, with at least one sample (a loss over no sample is
undefined). A loss too large for float64 (predictions and targets of order 1e154 and beyond)
is inf, as IEEE arithmetic makes it, without a warning: that is how training recognises
divergence.
"""

import operator

import numpy as np

from bpcourse._validate import NotFinite, as_array, choice, describe, positive_int

REDUCTIONS = ("mean", "sum")


def _predictions(f):
    f = as_array(f, "prediction f", ndim=(1, 2))
    if f.shape[0] == 0:
        raise ValueError(
            f"prediction f holds no sample (shape {f.shape}): a loss needs at least one"
        )
    return f


def mse(f, y, reduction="mean"):
    """Squared error: L = (1/N) sum_n ||f_n - y_n||^2, and dL/df = 2 (f - y) / N.

    Parameters
    ----------
    f : array, shape (N, D) or (N,)
        Predictions.
    y : array, same shape as f, or (N,) when D == 1
        Targets.
    reduction : {"mean", "sum"}
        Average over the N samples (default) or sum (then there is no 1/N).

    Returns
    -------
    value : float
    gradient : array, shape of f
    """
    choice(reduction, "reduction", REDUCTIONS)
    f = _predictions(f)
    shape = f.shape
    f = f.reshape(-1, 1) if f.ndim == 1 else f
    y = as_array(y, "targets y", ndim=(1, 2))
    if y.ndim == 1 and f.shape[1] == 1:
        y = y.reshape(-1, 1)
    if y.shape != f.shape:
        raise ValueError(f"targets y have shape {y.shape} but the predictions have shape {shape}")
    with np.errstate(over="ignore"):  # a value too large for float64 is inf
        value, grad = _mse(f, y, reduction_scale(reduction, f.shape[0]))
    return value, grad.reshape(shape)


def _mse(f, y, scale, out=None):
    """`mse` on checked arrays of equal shape (N, D): scale * sum ||f - y||^2 and its gradient.

    `out`, an array of shape (N, D), receives the gradient (the training path reuses one).
    """
    diff = np.subtract(f, y, out=out)
    value = scale * float(np.vdot(diff, diff))  # vdot: the sum of squares
    return value, np.multiply(diff, 2.0 * scale, out=diff)


def softmax(s):
    """Row-wise softmax exp(s_k) / sum_j exp(s_j), shifted by the row maximum (no overflow).

    Parameters
    ----------
    s : array, shape (N, K)

    Returns
    -------
    array, shape (N, K), rows summing to 1

    A score of -inf gets probability 0 (a masked class), as long as its row has a finite
    score. NaN and +inf are refused: a row with +inf has no softmax (its limit depends on how
    the scores grow).
    """
    s = as_array(s, "s", allow_nonfinite=True)
    if s.ndim == 0 or s.shape[-1] == 0:
        raise ValueError(f"s must hold at least one score per row, got an array of shape {s.shape}")
    bad = np.isnan(s) | (s == np.inf)
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise NotFinite(
            f"s contains {np.count_nonzero(bad)} NaN or +inf value(s), the first at index "
            f"{first}; expected finite scores (or -inf for a masked one)"
        )
    top = np.max(s, axis=-1, keepdims=True)
    if np.any(top == -np.inf):
        raise NotFinite(
            f"s has {np.count_nonzero(top == -np.inf)} row(s) whose scores are all -inf: such a "
            "row has no softmax"
        )
    with np.errstate(over="ignore"):  # scores 1e308 apart: the lower one's exp is 0
        e = np.exp(s - top)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy(f, y, reduction="mean"):
    """Softmax cross-entropy with integer labels: L = -(1/N) sum_n log softmax(f_n)[y_n].

    Its gradient with respect to the scores is (softmax(f) - onehot(y)) / N.

    Parameters
    ----------
    f : array, shape (N, K)
        Scores (pre-softmax outputs of the network), K >= 2 classes.
    y : array of int, shape (N,)
        Class labels in 0 .. K-1.
    reduction : {"mean", "sum"}

    Returns
    -------
    value : float
    gradient : array, shape (N, K)
    """
    choice(reduction, "reduction", REDUCTIONS)
    f = as_array(f, "scores f", ndim=2)
    if f.shape[0] == 0:
        raise ValueError(f"scores f hold no sample (shape {f.shape}): a loss needs at least one")
    labels = check_labels(y, *f.shape)
    with np.errstate(over="ignore"):  # a value too large for float64 is inf
        return _cross_entropy(f, labels, reduction_scale(reduction, f.shape[0]))


def check_labels(y, n, k, name="labels y"):
    """Return `y` as an int array of n labels in 0..k-1, or raise an error saying what is wrong.

    Integers, floats with whole values (2.0) and bools (0 and 1) are labels; `name` is the
    argument's name in the messages.
    """
    if k < 2:
        raise ValueError(f"cross_entropy needs scores for at least 2 classes, got {k}")
    if y is None or isinstance(y, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of integer class labels, got {describe(y)}")
    try:
        labels = np.asarray(y)
    except ValueError:
        raise ValueError(f"{name} must be a 1-D array of class labels, got a ragged list") from None
    if labels.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the scores, got {labels.shape}")
    if labels.dtype == bool:
        labels = labels.astype(np.int64)
    if labels.dtype == object:  # Python ints too large for int64, sympy integers, ...
        labels = _object_labels(labels, name, k)
    if not np.issubdtype(labels.dtype, np.integer):
        if labels.dtype.kind == "c":
            raise TypeError(
                f"{name} must be integers 0..{k - 1}, got complex numbers ({describe(labels)}); "
                "take the real part (.real) yourself if the imaginary parts are zero"
            )
        if not np.issubdtype(labels.dtype, np.floating):
            raise TypeError(
                f"{name} must be integers 0..{k - 1}, got {describe(labels)}"
                + (f" ({describe(y)})" if not isinstance(y, np.ndarray) else "")
            )
        whole = np.isfinite(labels) & (labels == np.round(labels))
        if not np.all(whole):
            first = int(np.argmin(whole))
            raise TypeError(
                f"{name} must be integers 0..{k - 1}, got {float(labels[first])!r} at index {first}"
                f" ({int(np.count_nonzero(~whole))} label(s) not a whole number)"
            )
        if labels.size and (labels.min() < 0 or labels.max() >= k):
            raise ValueError(
                f"{name} must lie in 0..{k - 1}, got values from {labels.min():g} to "
                f"{labels.max():g}"
            )
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(
            f"{name} must lie in 0..{k - 1}, got values from {labels.min()} to {labels.max()}"
        )
    return labels


def _object_labels(labels, name, k):
    """An object array of labels (Python or sympy integers) as int64, or an error naming it."""
    values = []
    for i, entry in enumerate(labels):
        if isinstance(entry, (bool, np.bool_)):
            values.append(int(entry))
            continue
        try:
            values.append(operator.index(entry))
            continue
        except TypeError:
            pass
        try:  # a whole float (2.0), as in an array of floats
            number = None if isinstance(entry, (str, bytes)) else float(entry)
        except (TypeError, ValueError, OverflowError):
            number = None
        if number is None or not number.is_integer():
            raise TypeError(
                f"{name} must be integers 0..{k - 1}, got {describe(entry)} at index {i}"
            )
        values.append(int(number))
    if values and (min(values) < 0 or max(values) >= k):
        raise ValueError(
            f"{name} must lie in 0..{k - 1}, got values from {min(values)} to {max(values)}"
        )
    return np.array(values, dtype=np.int64).reshape(labels.shape)


def _cross_entropy(f, labels, scale, out=None):
    """`cross_entropy` on checked scores (N, K) and int labels (N,), times `scale`.

    `out`, an array of shape (N, K), receives the gradient (the training path reuses one).
    """
    n = f.shape[0]
    shifted = f - np.max(f, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(n)
    value = -scale * float(np.sum(log_p[rows, labels]))
    grad = np.exp(log_p, out=out)  # softmax(f)
    grad[rows, labels] -= 1.0  # minus onehot(y)
    return value, np.multiply(grad, scale, out=grad)


def reduction_scale(reduction, n):
    """The factor of the summed loss: 1/n for reduction "mean", 1 for "sum" (n >= 1 samples)."""
    n = positive_int(n, "n")
    return 1.0 / n if choice(reduction, "reduction", REDUCTIONS) == "mean" else 1.0


LOSSES = {"mse": mse, "cross_entropy": cross_entropy}
UNCHECKED = {"mse": _mse, "cross_entropy": _cross_entropy}  # for callers that checked the inputs
LOSS_NAMES = tuple(LOSSES)


def get_loss(name):
    """Return the loss function called `name` ("mse" or "cross_entropy")."""
    return LOSSES[choice(name, "loss", LOSS_NAMES)]
