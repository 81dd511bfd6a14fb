"""Gradient descent, w_{t+1} = w_t - eta grad L(w_t), with divergence detected, not crashed on.

Deck 001 derives the step from the quadratic approximation of L around w_t,

    L~(w) = L(w_t) + grad L(w_t) . (w - w_t) + 1/(2 eta) ||w - w_t||^2,

whose minimiser is exactly w_t - eta grad L(w_t).

Also here: the learning rates a quadratic allows (`stable_lr`, `best_lr`), how a run ended
(`outcome`: converged, a cycle, diverged, or still moving), and the gradient of a linear
model's mean squared error on a batch (`linear_mse_gradient`), the loss of notebook 07's
mini-batch experiment.
"""

import math
from dataclasses import dataclass

import numpy as np

from bpcourse._validate import (
    as_array,
    fits_in_memory,
    function,
    positive_int,
    positive_number,
    returned_number,
)

EXPLODING = 1e12  # an iterate whose loss (or norm) grows beyond this factor has diverged


@dataclass
class Trajectory:
    """The iterates of gradient descent.

    Attributes
    ----------
    w : array, shape (k, D), or (k,) when w0 is a number: w0 first, k <= steps + 1 rows
    loss : array of shape (k,), or None when no loss function was given
    diverged : bool
    diverged_at : int or None, the step whose iterate was non-finite or exploding (not kept)
    """

    w: np.ndarray
    loss: np.ndarray | None
    diverged: bool
    diverged_at: int | None

    def __len__(self):
        return len(self.w)


def gradient_descent(grad, w0, lr, steps, loss=None):
    """Run `steps` steps of w <- w - lr * grad(w) from w0, stopping early on divergence.

    Parameters
    ----------
    grad : callable, w -> gradient of the same shape as w
    w0 : number or array of shape (D,)
    lr : float, the learning rate eta > 0
    steps : int >= 0
    loss : callable, w -> number, optional; recorded at every kept iterate

    Returns
    -------
    Trajectory
        An iterate "explodes" when it (or its loss) is not finite, or when its loss (or its
        norm, without a loss) exceeds 1e12 times the starting one (at least 1e12): that step is
        `diverged_at`, and the iterate is not kept. No RuntimeWarning escapes.

    `grad` and `loss` receive a copy of the iterate, so one that changes its argument in place
    (``w *= 2; return w``) cannot change the run. What they return is checked: an array of
    numbers shaped like w, a number; at w0, both must be finite (later, a value that is not
    finite is divergence). An lr so small that the first step leaves w0 unchanged in float64
    although grad(w0) is not zero is refused (the run would stand still and look converged).
    """
    function(grad, "grad", "w -> gradient")
    if loss is not None:
        function(loss, "loss", "w -> number, or None")
    lr = positive_number(lr, "lr")
    steps = positive_int(steps, "steps", minimum=0)
    w = as_array(w0, "w0", ndim=(0, 1)).copy()
    fits_in_memory((steps + 1) * (w.size + 20), "steps", steps)  # + an array object per step

    def size(w):
        if loss is not None:  # a copy: a loss that changes its argument cannot change w
            return returned_number(loss(w.copy()), "loss(w)", allow_nonfinite=True)
        return _norm(w)

    with np.errstate(all="ignore"):  # a loss that is not finite is refused or reported below
        start = size(w)
    if not math.isfinite(start):
        raise ValueError(f"the loss at w0 is {start}; expected a finite number")
    limit = EXPLODING * max(abs(start), 1.0)
    ws, losses, diverged_at = [w.copy()], [start], None
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = as_array(grad(w.copy()), "grad(w)", allow_nonfinite=True)  # w stays ours
            if g.shape != w.shape:
                raise ValueError(
                    f"grad returned shape {g.shape}, expected the shape of w, {w.shape}"
                )
            if t == 1 and not np.all(np.isfinite(g)):  # later, an overflow is divergence
                bad = int(g.size - np.count_nonzero(np.isfinite(g)))
                raise ValueError(
                    f"grad(w0) contains {bad} NaN or infinite value(s); expected finite numbers "
                    "at the start (is w0 outside grad's domain, or too large for it?)"
                )
            moved = w - lr * g
            if t == 1 and np.array_equal(moved, w) and np.any(g != 0) and np.all(np.isfinite(g)):
                raise ValueError(
                    f"lr={lr!r} is too small to move w0: w0 - lr * grad(w0) == w0 in float64 "
                    "although grad(w0) is not zero; take a larger lr"
                )
            w = moved
            current = size(w) if np.all(np.isfinite(w)) else np.inf
            if not np.isfinite(current) or abs(current) > limit:
                diverged_at = t
                break
            ws.append(w.copy())
            losses.append(current)
    return Trajectory(
        w=np.array(ws),
        loss=np.array(losses) if loss is not None else None,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
    )


def _norm(w):
    """||w||, computed without overflow for entries up to 1.8e308."""
    norm = float(np.linalg.norm(w))
    if math.isinf(norm) and np.all(np.isfinite(w)):  # the squares overflowed, not w
        scale = float(np.max(np.abs(w)))
        norm = scale * float(np.linalg.norm(w / scale))
    return norm


def _symmetric_positive_definite(H):
    H = as_array(H, "H", ndim=2)
    if H.shape[0] != H.shape[1] or H.size == 0:
        raise ValueError(f"H must be a non-empty square matrix, got shape {H.shape}")
    with np.errstate(all="ignore"):  # entries near 1.8e308: checked below
        if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12 * np.max(np.abs(H), initial=0.0)):
            i, j = np.unravel_index(np.argmax(np.abs(H - H.T)), H.shape)
            raise ValueError(
                f"H must be symmetric (a Hessian is), got H[{i}, {j}] = {H[i, j]:.6g} and "
                f"H[{j}, {i}] = {H[j, i]:.6g}"
            )
        lams = np.linalg.eigvalsh(H)
    if not np.all(np.isfinite(lams)):
        raise ValueError("H's eigenvalues overflow float64: its entries are too large")
    if lams[0] <= 0:
        raise ValueError(f"H must be positive definite; its smallest eigenvalue is {lams[0]:.3g}")
    return lams


def stable_lr(H):
    """The largest stable learning rate on the quadratic 1/2 w^T H w - c^T w: 2 / lambda_max(H).

    Along each eigenvector of H (eigenvalue lambda_i) the error w_t - w* is multiplied by
    1 - eta lambda_i at every step, so descent converges from every start iff
    |1 - eta lambda_i| < 1 for all i, that is iff 0 < eta < 2 / lambda_max.

    Parameters
    ----------
    H : array of shape (D, D), symmetric positive definite

    Returns
    -------
    float (inf when lambda_max is so small that 2 / lambda_max overflows float64)
    """
    with np.errstate(over="ignore"):
        return float(2.0 / _symmetric_positive_definite(H)[-1])


def best_lr(H):
    """The fixed learning rate that contracts the slowest direction fastest: 2 / (l_min + l_max).

    It makes the two extreme factors equal and opposite, 1 - eta l_min = -(1 - eta l_max)
    = (kappa - 1) / (kappa + 1), with kappa = l_max / l_min.

    Parameters
    ----------
    H : array of shape (D, D), symmetric positive definite

    Returns
    -------
    float
    """
    lams = _symmetric_positive_definite(H)
    with np.errstate(over="ignore"):  # inf when the eigenvalues are below 1e-308
        return float(2.0 / (lams[0] + lams[-1]))


@dataclass
class Outcome:
    """How a run of descent ended.

    Attributes
    ----------
    kind : "converged", "cycle", "diverged" or "unsettled" (bounded, no cycle found)
    period : int or None, 1 for "converged", p >= 2 for a cycle of p points
    points : array of shape (period,) + w.shape: the limit (converged) or the cycle's points
    """

    kind: str
    period: int | None = None
    points: np.ndarray | None = None


def outcome(trajectory, tol=1e-8, max_period=8):
    """Classify the end of a `Trajectory`: converged, a cycle of period p, diverged, unsettled.

    The last iterates repeat with period p when |w_{T-k} - w_{T-k-p}| <= tol (1 + |w_{T-k}|)
    for k = 0 .. 2p - 1, and the run is not creeping (below); the smallest such
    p <= max_period is taken (p = 1: converged). A run that creeps has not converged: steps
    below tol that shrink by less than 1 part in 1000 from one to the next, and would still add
    up to more than tol (as with a learning rate far too small), make it "unsettled".

    Parameters
    ----------
    trajectory : Trajectory
    tol : float > 0
    max_period : int >= 1

    Returns
    -------
    Outcome
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be a Trajectory, got {type(trajectory).__name__}")
    tol = positive_number(tol, "tol")
    max_period = positive_int(max_period, "max_period")
    if trajectory.diverged:
        return Outcome("diverged")
    iterates = as_array(trajectory.w, "trajectory.w", ndim=(1, 2))
    w = iterates.reshape(len(iterates), -1)
    for p in range(1, max_period + 1):
        if len(w) < 3 * p + 1:
            break
        recent, earlier = w[-2 * p :], w[-3 * p : -p]
        close = np.abs(recent - earlier) <= tol * (1 + np.abs(recent))
        if np.all(close) and not _creeping(w, p, tol):
            kind = "converged" if p == 1 else "cycle"
            return Outcome(kind, p, iterates[-p:].copy())
    return Outcome("unsettled")


def _creeping(w, p, tol):
    """True if the iterates w (T, D) move by steps below tol that hardly shrink, along period
    p, and so are still far from where they are heading (a learning rate far too small).

    The last two steps of period p, d_0 = w_{T-p} - w_{T-2p} and d_1 = w_T - w_{T-p}, shrink
    by r = (d_1 . d_0) / (d_0 . d_0). Steps shrinking by less than 1 part in 1000 (r > 0.999)
    that would add up to more than tol (1 + |w_T|), |d_1| r / (1 - r), are creeping; steps
    below 1e-6 tol (1 + |w_T|), the size of rounding errors, are not.
    """
    d1, d0 = w[-1] - w[-1 - p], w[-1 - p] - w[-1 - 2 * p]
    if d1.size == 0:  # no coordinate at all (w0 empty): nothing moves
        return False
    size, scale = float(np.max(np.abs(d1))), float(np.max(np.abs(w[-1])))
    if size <= 1e-6 * tol * (1 + scale) or not np.any(d0):  # rounding, or a fixed point
        return False
    d1, d0 = d1 / np.max(np.abs(d0)), d0 / np.max(np.abs(d0))  # no underflow in the products
    r = float(d1 @ d0) / float(d0 @ d0)
    if r <= 1 - 1e-3:
        return False
    return r >= 1 or size * r / (1 - r) > tol * (1 + scale)


def linear_mse_gradient(X, y, w):
    """Gradient in w of a linear model's mean squared error on a batch.

    L_B(w) = 1/B sum_n (x_n . w - y_n)^2, so grad L_B(w) = 2/B X^T (X w - y).

    Parameters
    ----------
    X : array of shape (B, D), one sample per row
    y : array of shape (B,)
    w : array of shape (D,)

    Returns
    -------
    array of shape (D,)
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    w = as_array(w, "w", ndim=1)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} entries")
    if len(w) != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} columns but w has {len(w)} entries")
    if len(X) == 0:
        raise ValueError(f"X holds no sample (shape {X.shape}): a mean over a batch needs one")
    with np.errstate(over="ignore", invalid="ignore"):
        gradient = 2.0 / len(y) * X.T @ (X @ w - y)
    if not np.all(np.isfinite(gradient)):
        raise ValueError(
            "the gradient overflows float64 (above 1.8e308): X, y or w is too large; rescale them"
        )
    return gradient
