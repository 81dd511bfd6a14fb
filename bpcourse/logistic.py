"""Logistic regression with labels in {-1, +1} (Fleuret, 3b. Multi-Layer Perceptrons).

Model: P(Y = 1 | X = x) = sigma(w . x + b), so that P(Y = y | x) = sigma(y (w . x + b)).
With the margins m_n = y_n (w . x_n + b), the loss and its gradient are

    L(w, b)  = - sum_n log sigma(m_n)
    dL/dw    = - sum_n y_n sigma(-m_n) x_n
    dL/db    = - sum_n y_n sigma(-m_n)

`log_sigmoid` computes log sigma(m) = -log(1 + exp(-m)) as -logaddexp(0, -m), so margins of
any size (1e4 and beyond) give neither overflow nor a warning, and the loss uses it.
`max_margin` finds the separator (w, b) of widest margin of separable data, the direction
in which descent on the logistic loss heads when no minimiser exists.

Data must be finite, with at least one sample; b is one number. Scores w . x_n + b that
overflow float64 (X w of order 1e308) are refused: past that point NumPy's sums are not
reliable. A summed loss too large for float64 is inf, without a warning.
"""

from dataclasses import dataclass

import numpy as np

from bpcourse._validate import (
    as_array,
    choice,
    nonnegative_number,
    positive_int,
    positive_number,
    real_number,
)
from bpcourse.activations import sigmoid
from bpcourse.descent import gradient_descent

REDUCTIONS = ("sum", "mean")


def _check(w, b, X, y):
    X = as_array(X, "X", ndim=2)
    w = as_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w has {w.shape[0]} entries but X has {X.shape[1]} features")
    b = real_number(b, "b")
    y = as_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    if X.shape[0] == 0:
        raise ValueError(f"X holds no sample (shape {X.shape}): a loss needs at least one")
    if not np.all(np.abs(y) == 1):
        raise ValueError(f"labels y must be -1 or +1, got values {np.unique(y)[:5]}")
    return w, b, X, y


class ScoresOverflow(ValueError):
    """Scores X w + b beyond float64 (a ValueError): `fit` reads it as divergence."""


def _scores(w, b, X):
    """w . x_n + b for every row, shape (N,), refused where it overflows float64."""
    with np.errstate(over="ignore", invalid="ignore"):
        scores = X @ w + b
    if not np.all(np.isfinite(scores)):
        raise ScoresOverflow("X @ w + b overflows float64 (above 1.8e308): X, w or b is too large")
    return scores


def margins(w, b, X, y):
    """m_n = y_n (w . x_n + b), shape (N,): positive when sample n is classified right."""
    w, b, X, y = _check(w, b, X, y)
    return y * _scores(w, b, X)


def log_sigmoid(m):
    """log sigma(m) = -log(1 + exp(-m)) elementwise, exact and warning-free for any float64 m.

    Computed as -logaddexp(0, -m) = -(max(0, -m) + log1p(exp(-|m|))): no exponential of a
    large positive number is ever formed. About m for m << 0 and about -exp(-m) for m >> 0.

    Parameters
    ----------
    m : array_like of any shape (a number gives a 0-d result); +-inf give their limits 0 and
        -inf, NaN gives NaN

    Returns
    -------
    array of the shape of `m`, every entry <= 0
    """
    m = as_array(m, "m", allow_nonfinite=True)
    with np.errstate(invalid="ignore"):  # NaN in, NaN out, as for every element-wise function
        return -np.logaddexp(0.0, -m)


def loss(w, b, X, y, reduction="sum"):
    """L(w, b) = -sum_n log sigma(y_n (w . x_n + b)) (divided by N with reduction="mean").

    Parameters
    ----------
    w : array, shape (D,)
    b : number
    X : array, shape (N, D)
    y : array, shape (N,), labels -1 or +1
    reduction : "sum" (default, as in the syllabus) or "mean"
    """
    choice(reduction, "reduction", REDUCTIONS)
    return _loss(*_check(w, b, X, y), reduction)


def _loss(w, b, X, y, reduction):
    """`loss` on checked arguments: inf if it overflows float64."""
    m = y * _scores(w, b, X)
    with np.errstate(over="ignore"):
        total = -float(np.sum(log_sigmoid(m)))
    return total / len(m) if reduction == "mean" else total


def gradient(w, b, X, y, reduction="sum"):
    """(dL/dw, dL/db) = (-sum_n y_n sigma(-m_n) x_n, -sum_n y_n sigma(-m_n)).

    Returns
    -------
    dw : array, shape (D,)
    db : float
    """
    choice(reduction, "reduction", REDUCTIONS)
    return _gradient(*_check(w, b, X, y), reduction)


def _gradient(w, b, X, y, reduction):
    """`gradient` on checked arguments (entries too large for float64 are inf)."""
    u = y * sigmoid.f(-y * _scores(w, b, X))  # u_n = y_n sigma(-m_n)
    with np.errstate(over="ignore"):
        dw, db = -(u @ X), -float(np.sum(u))
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def predict_proba(w, b, X):
    """P(Y = 1 | X = x_n) = sigma(w . x_n + b), shape (N,) (empty for an empty X)."""
    X = as_array(X, "X", ndim=2)
    w = as_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w has {w.shape[0]} entries but X has {X.shape[1]} features")
    return sigmoid.f(_scores(w, real_number(b, "b"), X))


@dataclass
class LogisticTrajectory:
    """Iterates of `fit`: ``w`` (k, D), ``b`` (k,), ``loss`` (k,), and divergence as in descent."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    diverged: bool
    diverged_at: int | None

    def __len__(self):
        return len(self.b)


def fit(X, y, lr=0.1, steps=1000, seed=0, reduction="sum"):
    """Gradient descent on L(w, b) from a seeded random start w ~ N(0, I), b = 0.

    Parameters
    ----------
    X : array, shape (N, D)
    y : array, shape (N,), labels -1 or +1
    lr : float, eta (0.1 in the lecture's experiment)
    steps : int
    seed : int, seed of the starting point
    reduction : "sum" or "mean", the loss being minimised

    Returns
    -------
    LogisticTrajectory with steps + 1 rows (fewer if it diverged)
    """
    lr = positive_number(lr, "lr")
    steps = positive_int(steps, "steps", minimum=0)
    choice(reduction, "reduction", REDUCTIONS)
    X = as_array(X, "X", ndim=2)
    w0 = np.random.default_rng(positive_int(seed, "seed", minimum=0)).normal(size=X.shape[1])
    _, _, X, y = _check(w0, 0.0, X, y)  # checked once here, not at every step
    d = X.shape[1]

    def theta_loss(theta):  # theta = (w_1, ..., w_D, b); inf where the scores overflow
        try:
            return _loss(theta[:d], theta[d], X, y, reduction)
        except ScoresOverflow:
            return np.inf  # w has grown too large: descent reports it as divergence

    def theta_grad(theta):
        try:
            dw, db = _gradient(theta[:d], theta[d], X, y, reduction)
        except ScoresOverflow:
            return np.full(d + 1, np.inf)
        return np.append(dw, db)

    theta0 = np.append(w0, 0.0)
    start = theta_loss(theta0)
    with np.errstate(over="ignore", invalid="ignore"):
        start_grad = theta_grad(theta0)
    if not (np.isfinite(start) and np.all(np.isfinite(start_grad))):
        cause = (
            f"the loss at the random start is {start}"
            if not np.isfinite(start)
            else "the gradient at the random start overflows float64"
        )
        raise ValueError(
            f"{cause}: X is too large for float64 (entries up to {np.max(np.abs(X)):.3g}); "
            "rescale it"
        )

    t = gradient_descent(theta_grad, theta0, lr, steps, loss=theta_loss)
    return LogisticTrajectory(t.w[:, :d], t.w[:, d], t.loss, t.diverged, t.diverged_at)


def max_margin(X, y, sweeps=5000, tol=1e-12):
    """The separator (w, b) of widest margin through the augmented points (x_n, 1).

    Solves min ||(w, b)||^2 / 2 subject to y_n (w . x_n + b) >= 1 for every n (b counts in the
    norm, as it does for gradient descent on the logistic loss), by coordinate ascent on the
    dual: theta = sum_n alpha_n y_n (x_n, 1) with alpha_n >= 0. The widest margin of unit
    vectors (w, b) is then gamma = 1 / ||(w, b)||. On separable data, descent on the logistic
    loss gives (w_n, b_n) ~ (w, b) log n for large n (Soudry et al., 2018).

    Parameters
    ----------
    X : array, shape (N, D)
    y : array, shape (N,), labels -1 or +1
    sweeps : int, largest number of passes over the samples
    tol : float, stop once a pass changes no alpha_n by more than this

    Returns
    -------
    w : array, shape (D,)
    b : float
    alpha : array, shape (N,), the dual weights (nonzero only for the support vectors)

    Raises
    ------
    ValueError
        If the data are not linearly separable (the dual then grows without bound).
    """
    X = as_array(X, "X", ndim=2)
    _, _, X, y = _check(np.zeros(X.shape[1]), 0.0, X, y)
    sweeps = positive_int(sweeps, "sweeps")
    tol = nonnegative_number(tol, "tol")
    with np.errstate(over="ignore", invalid="ignore"):
        return _max_margin(X, y, sweeps, tol)


def _max_margin(X, y, sweeps, tol):
    """`max_margin` on checked arguments (NumPy's overflow warnings silenced by the caller)."""
    Z = y[:, None] * np.column_stack([X, np.ones(len(y))])  # rows y_n (x_n, 1)
    sq = np.sum(Z * Z, axis=1)
    if not np.all(np.isfinite(sq)):
        raise ValueError("X is too large for float64 (its squared norms overflow); rescale it")
    alpha, theta = np.zeros(len(y)), np.zeros(Z.shape[1])
    for _ in range(sweeps):
        largest = 0.0
        for n in range(len(y)):
            new = max(0.0, alpha[n] + (1.0 - Z[n] @ theta) / sq[n])
            change = new - alpha[n]
            if change:
                theta += change * Z[n]
                alpha[n] = new
                largest = max(largest, abs(change))
        if not float(np.max(alpha)) <= 1e12:  # the dual grows without bound: no separator
            raise ValueError(
                "the data are not linearly separable: no (w, b) puts every point on its side"
            )
        if largest <= tol * max(1.0, float(np.max(alpha))):
            break
    else:
        if float(np.min(Z @ theta)) >= 1.0 - 1e-6:  # separated, but the changes stay above tol
            raise ValueError(
                f"no convergence to tol={tol!r} in {sweeps} sweeps: the (w, b) found separates "
                f"the data, but the last sweep still changed an alpha_n by {largest:.3g}, more "
                f"than tol * max(1, max alpha) = {tol * max(1.0, float(np.max(alpha))):.3g} "
                "(rounding errors alone change it by about 1e-16 times alpha); take a larger "
                "tol (the default is 1e-12) or more sweeps"
            )
        raise ValueError(
            f"no convergence in {sweeps} sweeps: the data may not be linearly separable "
            "(or are nearly not); try more sweeps"
        )
    if float(np.min(Z @ theta)) < 1.0 - 1e-6:
        raise ValueError(
            "the data are not linearly separable: no (w, b) puts every point on its side"
        )
    return theta[:-1], float(theta[-1]), alpha
