"""Logistic regression with labels in {-1, +1}, as in deck 001.

Model: P(Y = 1 | X = x) = sigma(w . x + b), so that P(Y = y | x) = sigma(y (w . x + b)).
With the margins m_n = y_n (w . x_n + b), the loss and its gradient are

    L(w, b)  = - sum_n log sigma(m_n)
    dL/dw    = - sum_n y_n sigma(-m_n) x_n
    dL/db    = - sum_n y_n sigma(-m_n)

-log sigma(m) = log(1 + exp(-m)) is computed as logaddexp(0, -m), so margins of any size
(1e4 and beyond) give neither overflow nor a warning.
"""

from dataclasses import dataclass

import numpy as np

from bpcourse._validate import as_array, choice, positive_int, positive_number
from bpcourse.activations import sigmoid
from bpcourse.descent import gradient_descent

REDUCTIONS = ("sum", "mean")


def _check(w, b, X, y):
    X = as_array(X, "X", ndim=2)
    w = as_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w has {w.shape[0]} entries but X has {X.shape[1]} features")
    b = as_array(b, "b", ndim=0)
    y = as_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    if not np.all(np.abs(y) == 1):
        raise ValueError(f"labels y must be -1 or +1, got values {np.unique(y)[:5]}")
    return w, float(b), X, y


def margins(w, b, X, y):
    """m_n = y_n (w . x_n + b), shape (N,): positive when sample n is classified right."""
    w, b, X, y = _check(w, b, X, y)
    return y * (X @ w + b)


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
    """`loss` on checked arguments."""
    m = y * (X @ w + b)
    total = float(np.sum(np.logaddexp(0.0, -m)))  # -log sigma(m) = log(1 + exp(-m))
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
    """`gradient` on checked arguments."""
    u = y * sigmoid.f(-y * (X @ w + b))  # u_n = y_n sigma(-m_n)
    dw, db = -(u @ X), -float(np.sum(u))
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def predict_proba(w, b, X):
    """P(Y = 1 | X = x_n) = sigma(w . x_n + b), shape (N,)."""
    X = as_array(X, "X", ndim=2)
    w = as_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w has {w.shape[0]} entries but X has {X.shape[1]} features")
    return sigmoid.f(X @ w + float(b))


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
    lr : float, eta (0.1 in the deck's experiment)
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

    def theta_loss(theta):  # theta = (w_1, ..., w_D, b)
        return _loss(theta[:d], theta[d], X, y, reduction)

    def theta_grad(theta):
        dw, db = _gradient(theta[:d], theta[d], X, y, reduction)
        return np.append(dw, db)

    t = gradient_descent(theta_grad, np.append(w0, 0.0), lr, steps, loss=theta_loss)
    return LogisticTrajectory(t.w[:, :d], t.w[:, d], t.loss, t.diverged, t.diverged_at)
