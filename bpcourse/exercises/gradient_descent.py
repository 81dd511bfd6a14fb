"""Checks of notebook 07's exercises: the descent loop, a stable learning rate, a batch gradient.

Each reference is the package function the notebook teaches:

- Exercise 7.1, `check_descend`: `bpcourse.descent.gradient_descent`'s iterates,
  w_{t+1} = w_t - eta grad L(w_t), returned as one NumPy array of shape (steps + 1, D)
  (w_0 first). A list is refused with a message: later cells slice the array's columns.
- Exercise 7.2, `check_stable_lr`: `bpcourse.descent.stable_lr`, the bound 2 / lambda_max(H),
  one number (a Python float, a NumPy scalar or a 0-d array).
- Exercise 7.3, `check_batch_gradient`: `bpcourse.descent.linear_mse_gradient`, the gradient
  (2/B) X^T (X w - y) of (1/B) sum_n (x_n . w - y_n)^2, a NumPy array of shape (D,).

The wrong answers named are built from those references with one thing changed.
"""

import copy
from dataclasses import replace

import numpy as np

from bpcourse.descent import gradient_descent, linear_mse_gradient, stable_lr
from bpcourse.exercises._core import Mistake, check

DESCEND = "Exercise 7.1 (the gradient-descent loop)"
STABLE_LR = "Exercise 7.2 (the largest stable learning rate)"
BATCH_GRADIENT = "Exercise 7.3 (the gradient of a mini-batch loss)"


def _spd(rng, D, low, high):
    """A random symmetric positive-definite D x D matrix with eigenvalues in [low, high]."""
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    return Q @ np.diag(rng.uniform(low, high, size=D)) @ Q.T


class _QuadraticGradient:
    """grad L for L(w) = 1/2 w^T A w - c^T w; a class, so that a deep copy of a case works."""

    def __init__(self, A, c):
        self.A, self.c = A, c

    def __call__(self, w):
        return self.A @ w - self.c

    def __eq__(self, other):  # the check compares each argument before and after the call
        return (
            isinstance(other, _QuadraticGradient)
            and np.array_equal(self.A, other.A)
            and np.array_equal(self.c, other.c)
        )

    __hash__ = None


# ----- Exercise 7.1: the descent loop --------------------------------------------------------
def _descend_reference(grad, w0, lr, steps):
    """The iterates of `bpcourse.descent.gradient_descent`, shape (steps + 1, D)."""
    return gradient_descent(grad, w0, lr, steps).w


def _descend_mistakes():
    ref = _descend_reference

    def same_array(grad, w0, lr, steps):
        return np.tile(ref(grad, w0, lr, steps)[-1], (steps + 1, 1))

    def gradient_at_start(grad, w0, lr, steps):
        g0 = grad(np.array(w0, dtype=np.float64))
        return np.array([w0 - t * lr * g0 for t in range(steps + 1)])

    return [
        Mistake(
            "sign",
            "the loss goes up along your iterates: the step moves along the gradient instead "
            "of against it",
            lambda grad, w0, lr, steps: ref(lambda w: -grad(w), w0, lr, steps),
        ),
        Mistake(
            "lr_twice",
            "your steps are eta times too short: the learning rate is applied twice",
            lambda grad, w0, lr, steps: ref(grad, w0, lr * lr, steps),
        ),
        Mistake(
            "missing_lr",
            "your steps do not depend on eta: the learning rate is missing from the update",
            lambda grad, w0, lr, steps: ref(grad, w0, 1.0, steps),
        ),
        Mistake(
            "last_only",
            "you return only the final iterate; the exercise asks for every iterate "
            "w_0, ..., w_steps, one per row",
            lambda grad, w0, lr, steps: ref(grad, w0, lr, steps)[-1],
        ),
        Mistake(
            "missing_start",
            "your first row is already w_1: the starting point w_0 belongs in the first row",
            lambda grad, w0, lr, steps: ref(grad, w0, lr, steps)[1:],
        ),
        Mistake(
            "off_by_one",
            "you return one iterate too few: `steps` updates give steps + 1 iterates, w_0 included",
            lambda grad, w0, lr, steps: ref(grad, w0, lr, steps - 1),
        ),
        Mistake(
            "off_by_one",
            "you return one iterate too many: `steps` updates give steps + 1 iterates, w_0 "
            "included, so the loop runs `steps` times",
            lambda grad, w0, lr, steps: ref(grad, w0, lr, steps + 1),
        ),
        Mistake(
            "aliasing",
            "every row equals the last iterate: you store the same array again and again "
            "while updating it in place (w -= ...); store a copy of each iterate, or write "
            "w = w - ... which makes a new array",
            same_array,
        ),
        Mistake(
            "stale_gradient",
            "your iterates move along a straight line: the gradient is computed once, at "
            "w_0, instead of at the current iterate at every step",
            gradient_at_start,
        ),
    ]


def check_descend(descend):
    """Check Exercise 7.1: gradient descent from w0, returning every iterate.

    Parameters
    ----------
    descend : callable
        ``descend(grad, w0, lr, steps)`` with ``grad`` a function from an array of shape (D,)
        to its gradient (D,), ``w0`` of shape (D,), ``lr`` > 0 and ``steps`` >= 1; returns a
        NumPy array of shape (steps + 1, D), w_0 in the first row (a list is refused: later
        cells slice the array's columns).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"sign"`` (ascent), ``"lr_twice"``,
        ``"missing_lr"``, ``"last_only"``, ``"missing_start"``, ``"off_by_one"`` (one
        iterate too few or too many), ``"aliasing"`` (the same array stored at every step),
        ``"stale_gradient"`` (the gradient taken at w0 only), ``"lr_factor"`` (every step
        scaled by one constant, e.g. lr/2), or the generic ones of
        `bpcourse.exercises.check` (``"modified_input"`` when w0 is changed in place,
        ``"transpose"``, ``"not_a_result"`` for a list, None or a generator, ...).
        ``.usable`` is the student's function once correct, the reference until then.
    """
    rng = np.random.default_rng(61)
    cases, describe = [], []
    for D, lr, steps in [(2, 0.1, 6), (3, 0.3, 5), (2, 0.45, 8), (4, 0.2, 4)]:
        A = _spd(rng, D, 0.5, 2.0)
        cases.append((_QuadraticGradient(A, rng.normal(size=D)), rng.normal(size=D), lr, steps))
        describe.append(f"D = {D}, lr = {lr}, steps = {steps}")
    result = check(
        DESCEND,
        descend,
        _descend_reference,
        cases,
        _descend_mistakes(),
        describe=describe,
        allow_lists=False,
        name="descend",
    )
    if result.status == "wrong":
        factor = _learning_rate_factor(descend, cases)
        where = _first_wrong_row(descend, cases, describe)
        if factor is not None:
            result = replace(
                result,
                status="mistake",
                diagnosis="lr_factor",
                message=f"not yet: your steps point the right way but are {factor:.3g} times "
                "the length lr * grad(w_t): look for an extra factor in the update",
            )
        elif where:
            result = replace(result, message=f"not yet: {where}")
    return result


def _learning_rate_factor(descend, cases):
    """c when the student's iterates are the reference's with lr replaced by c * lr (the same
    c != 1 in every case), else None."""
    factors = []
    for grad, w0, lr, steps in cases:
        try:
            got = np.asarray(descend(*copy.deepcopy((grad, w0, lr, steps))), dtype=np.float64)
            first = got[1] - got[0]
            step = -lr * grad(np.array(w0, dtype=np.float64))
            c = float(first @ step / (step @ step))
            want = _descend_reference(grad, w0, c * lr, steps)
        except Exception:
            return None
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            return None
        factors.append(c)
    if abs(factors[0] - 1) > 1e-6 and np.allclose(factors, factors[0], rtol=1e-6):
        return factors[0]
    return None


def _first_wrong_row(descend, cases, describe):
    """'w_0 is right; the iterates differ from w_k on, in case i (...)', or None."""
    for index, args in enumerate(cases):
        try:
            got = np.asarray(descend(*copy.deepcopy(args)), dtype=np.float64)
        except Exception:
            return None
        want = _descend_reference(*copy.deepcopy(args))
        if got.shape != want.shape:
            return None
        bad = ~np.all(np.isclose(got, want, rtol=1e-9, atol=1e-12), axis=1)
        if np.any(bad):
            k = int(np.argmax(bad))
            start = "w_0 is right; " if k > 0 else "the first row is not w_0; "
            return (
                f"{start}your iterates differ from w_{k} on, in case {index + 1} "
                f"({describe[index]}): compare your update step with the formula of the prompt"
            )
    return None


# ----- Exercise 7.2: the largest stable learning rate ----------------------------------------
def _eigenvalues(H):
    return np.linalg.eigvalsh(H)


def _stable_lr_mistakes():
    return [
        Mistake(
            "smallest_eigenvalue",
            "your bound uses the flattest direction (the smallest eigenvalue); the direction "
            "that overshoots first is the steepest one",
            lambda H: 2.0 / _eigenvalues(H)[0],
        ),
        Mistake(
            "one_over_lambda",
            "your eta is a stable choice but not the boundary: 1/lambda lands exactly on "
            "the minimum along one direction, and stability holds up to a larger eta; write "
            "|1 - eta lambda| < 1 and solve for eta",
            lambda H: 0.5 * stable_lr(H),
        ),
        Mistake(
            "inverted",
            "your result grows with the curvature; a steeper quadratic needs a smaller "
            "learning rate",
            lambda H: 1.0 / stable_lr(H),
        ),
        Mistake(
            "curvature_not_lr",
            "you return the largest curvature lambda_max itself; the exercise asks for the "
            "learning rate at which that direction stops converging",
            lambda H: 2.0 / stable_lr(H),
        ),
        Mistake(
            "diagonal",
            "your bound reads the curvature off the diagonal of H; with off-diagonal entries "
            "the curvatures along the principal directions are the eigenvalues",
            lambda H: 2.0 / np.max(np.diag(H)),
        ),
        Mistake(
            "trace",
            "your bound adds up the curvatures of all directions (the trace): safe, but "
            "smaller than needed; one direction sets the limit",
            lambda H: 2.0 / np.trace(H),
        ),
        Mistake(
            "smallest_and_one_over",
            "your bound uses the flattest direction (the smallest eigenvalue), and the "
            "boundary of |1 - eta lambda| < 1 is not at 1/lambda",
            lambda H: 1.0 / _eigenvalues(H)[0],
        ),
    ]


def _which_eigenvalue(student, cases):
    """A diagnosis for a bound 2/lambda_i (or an array of them) with lambda_i not the largest,
    read from the student's outputs; None when the outputs are not of that kind."""
    per_direction, other_eigenvalue = True, True
    for (H,) in cases:
        try:
            got = np.asarray(student(copy.deepcopy(H)), dtype=np.float64)
        except Exception:
            return None
        bounds = 2.0 / _eigenvalues(H)
        if got.shape == bounds.shape:
            other_eigenvalue = False
            if not np.allclose(np.sort(got), np.sort(bounds), rtol=1e-6):
                per_direction = False
        elif got.shape == ():
            per_direction = False
            if not np.any(np.isclose(got, bounds, rtol=1e-6)):  # 2/lambda_i for some i
                other_eigenvalue = False  # (in a case where it is the largest, that is right)
        else:
            return None
    if per_direction:
        return (
            "one_per_direction",
            "you return one bound per eigen-direction (an array); the exercise asks for one "
            "number, the eta below which every direction converges",
        )
    if other_eigenvalue:
        return (
            "not_largest_eigenvalue",
            "your bound is 2/lambda for an eigenvalue that is not the largest one (is your "
            "list of eigenvalues sorted the way you think?); the steepest direction "
            "overshoots first",
        )
    return None


def check_stable_lr(stable_lr_function):
    """Check Exercise 7.2: the largest learning rate for which descent converges on a quadratic.

    For L(w) = 1/2 w^T H w - c^T w with H symmetric positive definite, each eigen-direction of
    H with eigenvalue lambda evolves as e_{t+1} = (1 - eta lambda) e_t, so descent converges
    iff |1 - eta lambda| < 1 for every lambda, that is iff 0 < eta < 2 / lambda_max.

    Parameters
    ----------
    stable_lr_function : callable
        ``stable_lr(H)`` with ``H`` a symmetric positive-definite array of shape (D, D);
        returns one number (float, NumPy scalar or 0-d array; an array of one entry is
        refused).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"smallest_eigenvalue"``,
        ``"not_largest_eigenvalue"`` (2/lambda_i for another eigenvalue, e.g. the first of
        an unsorted list), ``"one_per_direction"`` (an array of 2/lambda_i),
        ``"one_over_lambda"`` (the boundary taken at 1/lambda), ``"inverted"``
        (lambda / 2), ``"curvature_not_lr"`` (lambda_max), ``"diagonal"`` (the largest
        diagonal entry instead of the largest eigenvalue), ``"trace"``,
        ``"smallest_and_one_over"``, or the generic ones.
    """
    rng = np.random.default_rng(62)
    spectra = [(2, 0.5, 4.0), (3, 0.1, 10.0), (4, 1.0, 3.0), (2, 0.01, 1.0), (5, 0.2, 50.0)]
    cases = [(_spd(rng, D, low, high),) for D, low, high in spectra]
    describe = [f"a {D} x {D} Hessian, eigenvalues in [{lo}, {hi}]" for D, lo, hi in spectra]
    result = check(
        STABLE_LR,
        stable_lr_function,
        stable_lr,
        cases,
        _stable_lr_mistakes(),
        describe=describe,
        name="stable_lr",
    )
    if result.status in ("wrong", "error") and result.diagnosis in ("unknown", "not_a_result"):
        try:
            found = _which_eigenvalue(stable_lr_function, cases)
        except Exception:
            found = None
        if found is not None:
            result = replace(
                result, status="mistake", diagnosis=found[0], message=f"not yet: {found[1]}"
            )
    elif result.status == "wrong":
        result = replace(
            result, message=result.message + _too_large_or_small(stable_lr_function, cases)
        )
    return result


def _too_large_or_small(student, cases):
    """'; your bound is too large in every case' (or too small), else ''."""
    signs = set()
    for (H,) in cases:
        try:
            got = float(np.asarray(student(copy.deepcopy(H)), dtype=np.float64))
        except Exception:
            return ""
        signs.add(np.sign(got - stable_lr(H)))
    if signs == {1.0}:
        return (
            "; your bound is too large in every case: at such an eta some direction "
            "overshoots more than it started, and descent diverges"
        )
    if signs == {-1.0}:
        return "; your bound is too small in every case: descent still converges a little above it"
    return ""


# ----- Exercise 7.3: the gradient of a mini-batch loss ---------------------------------------
def _batch_gradient_mistakes():
    ref = linear_mse_gradient
    return [
        Mistake(
            "missing_1_over_n",
            "your gradient grows with the batch size: the loss is a mean over the B samples "
            "of the batch, and so is its gradient",
            lambda X, y, w: len(y) * ref(X, y, w),
        ),
        Mistake(
            "sign",
            "your gradient has the wrong sign: it points downhill; check the order of the "
            "residual, x_n . w - y_n",
            lambda X, y, w: -ref(X, y, w),
        ),
        Mistake(
            "missing_2",
            "every value is half the right one: the derivative of the square r^2 is 2 r",
            lambda X, y, w: 0.5 * ref(X, y, w),
        ),
        Mistake(
            "mean_over_features",
            "your gradient is divided by D, the number of features, instead of B, the number "
            "of samples: the mean runs over the batch (the rows of X)",
            lambda X, y, w: len(y) / X.shape[1] * ref(X, y, w),
        ),
        Mistake(
            "forgot_x",
            "your gradient does not weight each residual by its input x_n (the inner "
            "derivative of x_n . w with respect to w)",
            lambda X, y, w: np.full(X.shape[1], 2.0 / len(y) * np.sum(X @ w - y)),
        ),
        Mistake(
            "column_vector",
            "your gradient is a column of shape (D, 1); return a vector of shape (D,), the "
            "shape of w (a matrix product with a 1-D array gives one)",
            lambda X, y, w: ref(X, y, w).reshape(-1, 1),
        ),
        Mistake(
            "x_not_transposed",
            "your gradient multiplies the residuals by X where X^T is meant: the residuals "
            "are one per sample (B of them), the gradient one per weight (D)",
            lambda X, y, w: 2.0 / len(y) * X @ (X @ w - y),
        ),
    ]


def _batch_cases(shapes, seed):
    rng = np.random.default_rng(seed)
    cases, describe, sizes = [], [], []
    for B, D, scale in shapes:
        X = scale * rng.normal(size=(B, D))
        cases.append((X, rng.normal(size=B), rng.normal(size=D)))
        describe.append(f"B = {B} samples, D = {D} features")
        sizes.append({"B": B, "D": D})
    return cases, describe, sizes


def check_batch_gradient(batch_gradient):
    """Check Exercise 7.3: the gradient of the mini-batch mean squared error of a linear model.

    The loss of a batch X (B, D), y (B,) at w (D,) is (1/B) sum_n (x_n . w - y_n)^2, and its
    gradient with respect to w is (2/B) sum_n (x_n . w - y_n) x_n = (2/B) X^T (X w - y).

    Parameters
    ----------
    batch_gradient : callable
        ``batch_gradient(X, y, w)`` returning a NumPy array of shape (D,) (a list is
        refused: later cells compute ``w - lr * batch_gradient(...)``).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_1_over_n"`` (a sum instead of a
        mean), ``"sign"``, ``"missing_2"``, ``"mean_over_features"`` (1/D for 1/B),
        ``"forgot_x"``, ``"column_vector"`` (shape (D, 1)), ``"x_not_transposed"`` (named on
        square batches, B = D, where the
        product runs), or the generic ones (``"scale"`` names other factors in B and D).
    """

    def run(shapes, seed):
        cases, describe, sizes = _batch_cases(shapes, seed)
        return check(
            BATCH_GRADIENT,
            batch_gradient,
            linear_mse_gradient,
            cases,
            _batch_gradient_mistakes(),
            describe=describe,
            sizes=sizes,
            allow_lists=False,
            name="batch_gradient",
        )

    general = [(5, 3, 1.0), (1, 2, 2.0), (8, 4, 0.5), (3, 1, 1.0), (6, 2, 10.0)]
    square = [(3, 3, 1.0), (4, 4, 0.5), (2, 2, 3.0)]
    first = run(general, 63)
    if first.status == "error" and first.diagnosis == "raised":
        second = run(square, 64)  # batches with B = D, where a product with X instead of X^T runs
        if second.status == "mistake":
            return replace(
                second,
                message=f"{second.message} (found on batches with B = D; on the others "
                f"{first.message.removeprefix('not yet: ')})",
            )
    return first
