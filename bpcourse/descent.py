"""Gradient descent, w_{t+1} = w_t - eta grad L(w_t), with divergence detected, not crashed on.

Deck 001 derives the step from the quadratic approximation of L around w_t,

    L~(w) = L(w_t) + grad L(w_t) . (w - w_t) + 1/(2 eta) ||w - w_t||^2,

whose minimiser is exactly w_t - eta grad L(w_t).
"""

from dataclasses import dataclass

import numpy as np

from bpcourse._validate import as_array, positive_int, positive_number

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
    """
    if not callable(grad):
        raise TypeError(f"grad must be a callable w -> gradient, got {type(grad).__name__}")
    if loss is not None and not callable(loss):
        raise TypeError(f"loss must be a callable w -> number or None, got {type(loss).__name__}")
    lr = positive_number(lr, "lr")
    steps = positive_int(steps, "steps", minimum=0)
    w = as_array(w0, "w0", ndim=(0, 1)).copy()

    def size(w):
        return float(loss(w)) if loss is not None else float(np.linalg.norm(w))

    start = size(w)
    if not np.isfinite(start):
        raise ValueError(f"the loss at w0 is {start}; expected a finite number")
    limit = EXPLODING * max(abs(start), 1.0)
    ws, losses, diverged_at = [w.copy()], [start], None
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = np.asarray(grad(w), dtype=np.float64)
            if g.shape != w.shape:
                raise ValueError(
                    f"grad returned shape {g.shape}, expected the shape of w, {w.shape}"
                )
            w = w - lr * g
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
