"""Checks of notebook 06's exercises: the descent loop, a stable learning rate, a batch gradient.

- Exercise 6.1, `check_descend`: w_{t+1} = w_t - eta grad L(w_t) for t = 0 .. steps - 1,
  returning every iterate w_0, ..., w_steps as the rows of an array of shape (steps + 1, D).
- Exercise 6.2, `check_stable_lr`: for a quadratic with symmetric positive-definite Hessian H,
  descent converges iff 0 < eta < 2 / lambda_max(H); the function returns that bound.
- Exercise 6.3, `check_batch_gradient`: the gradient of the mean squared error of a linear
  model on a (mini-)batch, (1/B) sum_n (x_n . w - y_n)^2, which is (2/B) X^T (X w - y).
"""

import functools

import numpy as np

from bpcourse.exercises._core import Mistake, check

DESCEND = "Exercise 6.1 (the gradient-descent loop)"
STABLE_LR = "Exercise 6.2 (the largest stable learning rate)"
BATCH_GRADIENT = "Exercise 6.3 (the gradient of a mini-batch loss)"


def _as_float_array(function):
    """Wrap `function` so that a list of iterates is compared as one array."""

    @functools.wraps(function)
    def wrapped(*args):
        return np.asarray(function(*args), dtype=np.float64)

    return wrapped


def _spd(rng, D, low, high):
    """A random symmetric positive-definite D x D matrix with eigenvalues in [low, high]."""
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    return Q @ np.diag(rng.uniform(low, high, size=D)) @ Q.T


def _quadratic_gradient(A, c):
    """grad L for L(w) = 1/2 w^T A w - c^T w."""

    def grad(w):
        return A @ w - c

    return grad


# ----- Exercise 6.1: the descent loop --------------------------------------------------------
def _descend_reference(grad, w0, lr, steps):
    w = np.array(w0, dtype=np.float64)
    iterates = [w.copy()]
    for _ in range(steps):
        w = w - lr * grad(w)
        iterates.append(w.copy())
    return np.array(iterates)


def _descend_mistakes():
    def ascent(grad, w0, lr, steps):
        return _descend_reference(lambda w: -grad(w), w0, lr, steps)

    def lr_squared(grad, w0, lr, steps):
        return _descend_reference(grad, w0, lr * lr, steps)

    def without_lr(grad, w0, lr, steps):
        return _descend_reference(grad, w0, 1.0, steps)

    def last_only(grad, w0, lr, steps):
        return _descend_reference(grad, w0, lr, steps)[-1]

    def without_start(grad, w0, lr, steps):
        return _descend_reference(grad, w0, lr, steps)[1:]

    def one_short(grad, w0, lr, steps):
        return _descend_reference(grad, w0, lr, steps - 1)

    def same_array(grad, w0, lr, steps):
        last = _descend_reference(grad, w0, lr, steps)[-1]
        return np.tile(last, (steps + 1, 1))

    def gradient_at_start(grad, w0, lr, steps):
        g0 = grad(np.array(w0, dtype=np.float64))
        return np.array([w0 - t * lr * g0 for t in range(steps + 1)])

    return [
        Mistake(
            "sign",
            "the loss goes up along your iterates: the step moves along the "
            "gradient instead of against it",
            ascent,
        ),
        Mistake(
            "lr_twice",
            "your steps are eta times too short: the learning rate is applied twice",
            lr_squared,
        ),
        Mistake(
            "missing_lr",
            "your steps do not depend on eta: the learning rate is missing from the update",
            without_lr,
        ),
        Mistake(
            "last_only",
            "you return only the final iterate; the exercise asks for every "
            "iterate w_0, ..., w_steps, one per row",
            last_only,
        ),
        Mistake(
            "missing_start",
            "your first row is already w_1: the starting point w_0 belongs in the first row",
            without_start,
        ),
        Mistake(
            "off_by_one",
            "you return one iterate too few: `steps` updates give steps + 1 iterates, w_0 included",
            one_short,
        ),
        Mistake(
            "aliasing",
            "every row equals the last iterate: you store the same array "
            "again and again while updating it in place; store a copy of each iterate",
            same_array,
        ),
        Mistake(
            "stale_gradient",
            "your iterates move along a straight line: the gradient is "
            "computed once, at w_0, instead of at the current iterate at every step",
            gradient_at_start,
        ),
    ]


def check_descend(descend):
    """Check Exercise 6.1: gradient descent from w0, returning every iterate.

    The function computes w_{t+1} = w_t - lr * grad(w_t) for t = 0 .. steps - 1 and returns
    the iterates w_0, w_1, ..., w_steps, one per row.

    Parameters
    ----------
    descend : callable
        ``descend(grad, w0, lr, steps)`` with ``grad`` a function from an array of shape (D,)
        to its gradient (D,), ``w0`` of shape (D,), ``lr`` > 0 and ``steps`` >= 1; returns an
        array (or a list of arrays) of shape (steps + 1, D).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"sign"`` (ascent), ``"lr_twice"``,
        ``"missing_lr"``, ``"last_only"``, ``"missing_start"``, ``"off_by_one"``,
        ``"aliasing"`` (the same array stored at every step), ``"stale_gradient"`` (the
        gradient taken at w0 only), or the generic ones of `bpcourse.exercises.check`.
        ``.function`` is the student's function once correct, the reference until then.
    """
    rng = np.random.default_rng(61)
    cases = []
    for D, lr, steps in [(2, 0.1, 6), (3, 0.3, 5), (2, 0.45, 8), (4, 0.2, 4)]:
        A = _spd(rng, D, 0.5, 2.0)
        c = rng.normal(size=D)
        cases.append((_quadratic_gradient(A, c), rng.normal(size=D), lr, steps))
    result = check(
        DESCEND, _as_float_array(descend), _descend_reference, cases, _descend_mistakes()
    )
    if result.ok:
        result.function = descend
    return result


# ----- Exercise 6.2: the largest stable learning rate ----------------------------------------
def _stable_lr_reference(H):
    return 2.0 / np.linalg.eigvalsh(H)[-1]


def _stable_lr_mistakes():
    return [
        Mistake(
            "smallest_eigenvalue",
            "your bound uses the flattest direction (the smallest "
            "eigenvalue); the direction that overshoots first is the steepest one",
            lambda H: 2.0 / np.linalg.eigvalsh(H)[0],
        ),
        Mistake(
            "one_over_lambda",
            "your eta is a stable choice but not the boundary: "
            "1/lambda lands exactly on the minimum along one direction, stability holds "
            "up to a larger eta; write |1 - eta lambda| < 1 and solve for eta",
            lambda H: 1.0 / np.linalg.eigvalsh(H)[-1],
        ),
        Mistake(
            "inverted",
            "your result grows with the curvature; a steeper quadratic needs "
            "a smaller learning rate",
            lambda H: np.linalg.eigvalsh(H)[-1] / 2.0,
        ),
        Mistake(
            "diagonal",
            "your bound reads the curvature off the diagonal of H; with "
            "off-diagonal entries the curvatures along the principal directions are the "
            "eigenvalues",
            lambda H: 2.0 / np.max(np.diag(H)),
        ),
        Mistake(
            "trace",
            "your bound adds up the curvatures of all directions (the trace): "
            "safe, but smaller than needed; one direction sets the limit",
            lambda H: 2.0 / np.trace(H),
        ),
        Mistake(
            "smallest_and_one_over",
            "your bound uses the flattest direction (the "
            "smallest eigenvalue), and the boundary of |1 - eta lambda| < 1 is not at "
            "1/lambda",
            lambda H: 1.0 / np.linalg.eigvalsh(H)[0],
        ),
    ]


def check_stable_lr(stable_lr):
    """Check Exercise 6.2: the largest learning rate for which descent converges on a quadratic.

    For L(w) = 1/2 w^T H w - c^T w with H symmetric positive definite, each eigen-direction of
    H with eigenvalue lambda evolves as e_{t+1} = (1 - eta lambda) e_t, so descent converges
    iff |1 - eta lambda| < 1 for every lambda, that is iff 0 < eta < 2 / lambda_max.

    Parameters
    ----------
    stable_lr : callable
        ``stable_lr(H)`` with ``H`` a symmetric positive-definite array of shape (D, D);
        returns the bound 2 / lambda_max(H), a number.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"smallest_eigenvalue"``,
        ``"one_over_lambda"`` (the boundary taken at 1/lambda), ``"inverted"`` (lambda / 2),
        ``"diagonal"`` (the largest diagonal entry instead of the largest eigenvalue),
        ``"trace"``, ``"smallest_and_one_over"``, or the generic ones.
    """
    rng = np.random.default_rng(62)
    cases = [
        (_spd(rng, D, low, high),)
        for D, low, high in [
            (2, 0.5, 4.0),
            (3, 0.1, 10.0),
            (4, 1.0, 3.0),
            (2, 0.01, 1.0),
            (5, 0.2, 50.0),
        ]
    ]
    return check(STABLE_LR, stable_lr, _stable_lr_reference, cases, _stable_lr_mistakes())


# ----- Exercise 6.3: the gradient of a mini-batch loss ---------------------------------------
def _batch_gradient_reference(X, y, w):
    return 2.0 / len(y) * X.T @ (X @ w - y)


def _batch_gradient_mistakes():
    return [
        Mistake(
            "missing_1_over_n",
            "your gradient grows with the batch size: the loss is a "
            "mean over the B samples of the batch, and so is its gradient",
            lambda X, y, w: 2.0 * X.T @ (X @ w - y),
        ),
        Mistake(
            "sign",
            "your gradient has the wrong sign: it points downhill; check the "
            "order of the residual, f(x_n) - y_n",
            lambda X, y, w: 2.0 / len(y) * X.T @ (y - X @ w),
        ),
        Mistake(
            "missing_2",
            "every value is half the right one: the derivative of the square r^2 is 2 r",
            lambda X, y, w: 1.0 / len(y) * X.T @ (X @ w - y),
        ),
        Mistake(
            "forgot_x",
            "your gradient does not weight each residual by its input x_n "
            "(the inner derivative of x_n . w with respect to w)",
            lambda X, y, w: np.full(X.shape[1], 2.0 / len(y) * np.sum(X @ w - y)),
        ),
    ]


def check_batch_gradient(batch_gradient):
    """Check Exercise 6.3: the gradient of the mini-batch mean squared error of a linear model.

    The loss of a batch X (B, D), y (B,) at w (D,) is (1/B) sum_n (x_n . w - y_n)^2, and its
    gradient with respect to w is (2/B) sum_n (x_n . w - y_n) x_n = (2/B) X^T (X w - y).

    Parameters
    ----------
    batch_gradient : callable
        ``batch_gradient(X, y, w)`` returning an array of shape (D,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_1_over_n"`` (a sum instead of a
        mean), ``"sign"``, ``"missing_2"``, ``"forgot_x"``, or the generic ones.
    """
    rng = np.random.default_rng(63)
    cases = []
    for B, D in [(5, 3), (1, 2), (8, 4), (3, 1)]:
        cases.append((rng.normal(size=(B, D)), rng.normal(size=B), rng.normal(size=D)))
    return check(
        BATCH_GRADIENT, batch_gradient, _batch_gradient_reference, cases, _batch_gradient_mistakes()
    )
