"""The exercises of notebook 07 (gradient descent), declared.

- Exercise 7.1, `descend`: the iterates w_0, ..., w_steps of w_{t+1} = w_t - eta grad L(w_t),
  one NumPy array of shape (steps + 1, D). Reference: `bpcourse.descent.gradient_descent`.
- Exercise 7.2, `stable_lr`: the bound 2 / lambda_max(H) on a quadratic with Hessian H, one
  number. Reference: `bpcourse.descent.stable_lr`.
- Exercise 7.3, `batch_gradient`: the gradient (2/B) X^T (X w - y) of the batch loss
  (1/B) sum_n (x_n . w - y_n)^2, a NumPy array of shape (D,). Reference:
  `bpcourse.descent.linear_mse_gradient`.

Each known mistake is the reference with one thing changed: for 7.1 and 7.3 a switch of the
exercise's `variant`, for 7.2 a small function of the eigenvalues. An answer that calls the
course's function is named ("uses_reference"), and so are finite differences where the prompt
asks for the derivative (7.3). 7.1 names a step scaled by one constant in its `diagnose` hook
("lr_factor"); 7.3 retries square batches (B = D), where a product with X in place of X^T still
runs (the first of them has B = 1, so that an answer that fails for one sample fails there too
and keeps its own verdict).
"""

import itertools

import numpy as np

from bpcourse.descent import gradient_descent, linear_mse_gradient, stable_lr
from bpcourse.exercises.detect import MATCH
from bpcourse.exercises.reading import leaves_agree
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check


def _spd(rng, eigenvalues):
    """A random symmetric positive-definite matrix with the given eigenvalues (rotated)."""
    D = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    return Q @ np.diag(eigenvalues) @ Q.T


class QuadraticGradient:
    """grad L(w) = A w - c for L(w) = 1/2 w^T A w - c^T w (a class, so that a case deep-copies
    and compares: the check sees whether an answer changed it)."""

    def __init__(self, A, c):
        self.A, self.c = A, c

    def __call__(self, w):
        return self.A @ w - self.c

    def __eq__(self, other):
        return (
            isinstance(other, QuadraticGradient)
            and np.array_equal(self.A, other.A)
            and np.array_equal(self.c, other.c)
        )

    __hash__ = None


# --------------------------------------------------------------- Exercise 7.1: the descent loop
def descend_reference(grad, w0, lr, steps):
    """The iterates of `bpcourse.descent.gradient_descent`, shape (steps + 1, D), w_0 first."""
    return gradient_descent(grad, w0, lr, steps).w


def _descend_variant(
    grad,
    w0,
    lr,
    steps,
    *,
    direction=-1.0,
    lr_used="lr",
    start=True,
    extra=0,
    rows="all",
    stale=False,
    squeeze=False,
):
    """The descent loop, with switches that each make one known mistake.

    direction : -1 (against the gradient, right) or +1 (ascent)
    lr_used : "lr" (right), "lr^2" (applied twice) or "none" (missing: a step of 1)
    start : whether w_0 is the first row
    extra : updates run beyond `steps` (-1: one too few, +1: one too many)
    rows : "all" (right), "last" (only the final iterate), "same" (every row the final
        iterate: one array stored again and again while it is updated in place),
        "same_after_first" (w_0 stored as a copy, then one array again and again)
    stale : the gradient computed once, at w_0
    squeeze : the result squeezed (for D = 1 its rows lose their axis)
    """
    eta = {"lr": lr, "lr^2": lr * lr, "none": 1.0}[lr_used]
    w = np.array(w0, dtype=np.float64)
    g0 = grad(w)
    iterates = [w]
    for _ in range(steps + extra):
        w = w + direction * eta * (g0 if stale else grad(w))
        iterates.append(w)
    path = np.array(iterates if start else iterates[1:])
    if rows == "last":
        return path[-1]
    if rows == "same":
        return np.tile(path[-1], (len(path), 1))
    if rows == "same_after_first":
        return np.vstack([path[:1], np.tile(path[-1], (len(path) - 1, 1))])
    return path.squeeze() if squeeze else path


def _descend_cases():
    """Quadratics with rotated Hessians (eigenvalues 0.5 to 2), D from 1 to 4, 1 to 8 steps."""
    rng = np.random.default_rng(61)
    cases = []
    for D, lr, steps in [(2, 0.1, 6), (3, 0.3, 5), (2, 0.45, 8), (4, 0.2, 4), (1, 0.7, 1)]:
        A = _spd(rng, rng.uniform(0.5, 2.0, size=D))
        grad = QuadraticGradient(A, rng.normal(size=D))
        cases.append(
            Case((grad, rng.normal(size=D), lr, steps), f"D = {D}, lr = {lr}, steps = {steps}")
        )
    return cases


def _lr_factor(judgement):
    """'lr_factor' when every case's iterates are the reference's with lr replaced by c lr,
    one constant c != 1 (read from the first step)."""
    factors = []
    for case, leaves in zip(judgement.cases, judgement.leaves):
        grad, w0, lr, steps = case.args
        got = leaves[0][1]
        if got.dtype != np.float64 or got.shape != (steps + 1, len(w0)):
            return None
        step = -lr * grad(np.array(w0, dtype=np.float64))
        c = float((got[1] - got[0]) @ step / (step @ step))
        if not leaves_agree([got], [descend_reference(grad, w0, c * lr, steps)], MATCH, 0.0):
            return None
        factors.append(c)
    if abs(factors[0] - 1) > 1e-6 and np.allclose(factors, factors[0], rtol=1e-6):
        return (
            "lr_factor",
            f"your steps point the right way but are {factors[0]:.3g} times the length "
            "lr * grad(w_t): look for an extra factor in the update",
        )
    return None


DESCEND = Exercise(
    number="7.1",
    title="the gradient-descent loop",
    name="descend",
    reference=descend_reference,
    cases=_descend_cases,
    accepts="a NumPy array of shape (steps + 1, D), w_0 in the first row (a list is refused: "
    "later cells slice its columns); w0 an array of shape (D,), grad a function of w",
    variant=_descend_variant,
    lists=False,
    forbidden=(gradient_descent,),
    diagnose=lambda judgement: _lr_factor(judgement),
    keys=("lr_factor",),
    mistakes=(
        Mistake(
            "sign",
            "the loss goes up along your iterates: the step moves along the gradient instead "
            "of against it",
            changes={"direction": 1.0},
        ),
        Mistake(
            "lr_twice",
            "your steps are eta times too short: the learning rate is applied twice",
            changes={"lr_used": "lr^2"},
        ),
        Mistake(
            "missing_lr",
            "your steps do not depend on eta: the learning rate is missing from the update",
            changes={"lr_used": "none"},
        ),
        Mistake(
            "last_only",
            "you return only the final iterate; the exercise asks for every iterate "
            "w_0, ..., w_steps, one per row",
            changes={"rows": "last"},
        ),
        Mistake(
            "missing_start",
            "your first row is already w_1: the starting point w_0 belongs in the first row",
            changes={"start": False},
        ),
        Mistake(
            "off_by_one",
            "you return one iterate too few: `steps` updates give steps + 1 iterates, w_0 included",
            changes={"extra": -1},
        ),
        Mistake(
            "off_by_one",
            "you return one iterate too many: `steps` updates give steps + 1 iterates, w_0 "
            "included, so the loop runs `steps` times",
            changes={"extra": 1},
        ),
        Mistake(
            "aliasing",
            "every row equals the last iterate: one array is stored again and again while it "
            "is updated in place (w -= ...), and copying the list (list(ws), ws[:]) still "
            "holds that one array; store a copy of each iterate (w.copy()), or write "
            "w = w - ..., which makes a new array",
            changes={"rows": "same"},
        ),
        Mistake(
            "aliasing",
            "every row after the first equals the last iterate: one array is stored again and "
            "again while it is updated in place (w -= ...), even if w_0 was copied first; store "
            "a copy of each iterate (w.copy()), or write w = w - ..., which makes a new array",
            changes={"rows": "same_after_first"},
        ),
        Mistake(
            "stale_gradient",
            "your iterates move along a straight line: the gradient is computed once, at "
            "w_0, instead of at the current iterate at every step",
            changes={"stale": True},
        ),
        Mistake(
            "shape",
            "the values are right, but for D = 1 your result has lost its second axis: return "
            "shape (steps + 1, D) whatever D (np.squeeze, or an array built from numbers "
            "rather than arrays of shape (D,), drops it)",
            changes={"squeeze": True},
        ),
    ),
)


# ------------------------------------------------------ Exercise 7.2: the largest stable eta
def _eigenvalues(H):
    return np.linalg.eigvalsh(H)


def _every_order(values):
    """Every ordering of `values` (an answer's array of per-direction bounds may come in any)."""
    return [np.array(p) for p in itertools.permutations(values)]


def _stable_lr_cases():
    """Rotated SPD Hessians, D from 1 to 5, curvatures from 1e-4 to 1e3; one diagonal."""
    rng = np.random.default_rng(62)
    spectra = [  # described without their eigenvalues, which would give the answer away
        ((0.5, 1.7, 4.0), "a rotated 3 x 3 Hessian"),
        ((0.1, 2.0, 6.0, 10.0), "a rotated 4 x 4 Hessian"),
        ((1.0, 3.0), "a rotated 2 x 2 Hessian"),
        ((1e-4, 3e-4, 1e-3), "a rotated 3 x 3 Hessian with tiny curvatures"),
        ((0.2, 5.0, 20.0, 35.0, 1000.0), "a rotated 5 x 5 Hessian, curvatures far apart"),
        ((2.5,), "a 1 x 1 Hessian"),
    ]
    cases = [Case((_spd(rng, np.array(lams)),), text) for lams, text in spectra]
    diagonal = np.diag([3.0, 0.5, 7.0])  # the steepest direction is an axis here
    return cases + [Case((diagonal,), "a diagonal 3 x 3 Hessian")]


STABLE_LR = Exercise(
    number="7.2",
    title="the largest stable learning rate",
    name="stable_lr",
    reference=stable_lr,
    cases=_stable_lr_cases,
    accepts="one number: a Python float, a NumPy scalar or a 0-d array (an array of one entry "
    "is refused); H a symmetric positive-definite array of shape (D, D)",
    forbidden=(stable_lr,),
    mistakes=(
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
            lambda H: 1.0 / _eigenvalues(H)[-1],
        ),
        Mistake(
            "inverted",
            "your result grows with the curvature; a steeper quadratic needs a smaller "
            "learning rate",
            lambda H: _eigenvalues(H)[-1] / 2.0,
        ),
        Mistake(
            "curvature_not_lr",
            "you return the largest curvature lambda_max itself; the exercise asks for the "
            "learning rate at which that direction stops converging",
            lambda H: _eigenvalues(H)[-1],
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
        Mistake(
            "one_per_direction",
            "you return one bound per eigen-direction (an array); the exercise asks for one "
            "number, the eta below which every direction converges",
            lambda H: _every_order(2.0 / _eigenvalues(H)),
            any_of=True,
        ),
        Mistake(
            "not_largest_eigenvalue",
            "your bound is 2/lambda for an eigenvalue that is not always the largest one (is "
            "your list of eigenvalues sorted the way you think? np.linalg.eigvals does not "
            "sort); the steepest direction overshoots first",
            lambda H: list(2.0 / _eigenvalues(H)),
            any_of=True,
        ),
    ),
)


# ------------------------------------------------ Exercise 7.3: the gradient of a batch loss
def _batch_gradient_variant(
    X, y, w, *, divide="B", factor=2.0, residual=1.0, inputs="X^T", column=False
):
    """(factor/divide) X^T (residual (X w - y)), with switches that each make one mistake.

    divide : "B" (the mean over the batch, right), "1" (a sum), "D" (a mean over features),
        "B^2" (the mean taken twice), "BD" (a mean over every entry of X)
    factor : the derivative of the square (2 is right; 1 forgets it)
    residual : +1 (x_n . w - y_n, right) or -1 (y_n - x_n . w)
    inputs : "X^T" (right), "X" (X in place of X^T: runs only when B = D), "none" (the
        residuals summed without their inputs x_n: one number in every entry)
    column : the result as a column (D, 1)
    """
    B, D = X.shape
    r = residual * (X @ w - y)
    scale = factor / {"B": B, "1": 1, "D": D, "B^2": B * B, "BD": B * D}[divide]
    if inputs == "X^T":
        g = scale * X.T @ r
    elif inputs == "X":
        g = scale * X @ r
    else:
        g = np.full(D, scale * np.sum(r))
    return g.reshape(-1, 1) if column else g


def _batches(shapes, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for B, D, scale in shapes:
        X = scale * rng.normal(size=(B, D))
        text = f"B = {B} sample{'s' if B > 1 else ''}, D = {D} feature{'s' if D > 1 else ''}"
        text += f", |x| near {scale:g}" if scale != 1 else ""
        cases.append(Case((X, rng.normal(size=B), rng.normal(size=D)), text, {"B": B, "D": D}))
    return cases


BATCH_GRADIENT = Exercise(
    number="7.3",
    title="the gradient of a mini-batch loss",
    name="batch_gradient",
    reference=linear_mse_gradient,
    cases=lambda: _batches(
        [(5, 3, 1.0), (1, 2, 2.0), (8, 4, 0.5), (3, 1, 1.0), (6, 2, 10.0), (2, 5, 1000.0)], 63
    ),
    retry_cases=lambda: _batches([(1, 1, 1.0), (3, 3, 1.0), (4, 4, 0.5), (2, 2, 3.0)], 64),
    accepts="a NumPy array of shape (D,) (a list is refused: later cells compute "
    "w - lr * batch_gradient(...)); X of shape (B, D), y of shape (B,), w of shape (D,)",
    variant=_batch_gradient_variant,
    lists=False,
    forbidden=(linear_mse_gradient,),
    derive=True,
    legend={"B": "B the batch size", "D": "D the number of features"},
    mistakes=(
        Mistake(
            "missing_1_over_n",
            "your gradient grows with the batch size: the loss is a mean over the B samples "
            "of the batch, and so is its gradient",
            changes={"divide": "1"},
        ),
        Mistake(
            "sign",
            "your gradient has the wrong sign: it points downhill; check the order of the "
            "residual, x_n . w - y_n",
            changes={"residual": -1.0},
        ),
        Mistake(
            "missing_2",
            "every value is half the right one: the derivative of the square r^2 is 2 r",
            changes={"factor": 1.0},
        ),
        Mistake(
            "mean_over_features",
            "your gradient is divided by D, the number of features, instead of B, the number "
            "of samples: the mean runs over the batch (the rows of X)",
            changes={"divide": "D"},
        ),
        Mistake(  # a factor the generic detector finds too, named here with its cause
            "scale",
            "your gradient is 1/B times the right one (B the batch size): the mean over the "
            "batch is taken twice",
            changes={"divide": "B^2"},
        ),
        Mistake(
            "scale",
            "your gradient is 1/D times the right one (D the number of features): the loss "
            "is a mean over the B samples, not over every entry of X",
            changes={"divide": "BD"},
        ),
        Mistake(
            "forgot_x",
            "your gradient does not weight each residual by its input x_n (the inner "
            "derivative of x_n . w with respect to w)",
            changes={"inputs": "none"},
        ),
        Mistake(
            "column_vector",
            "your gradient is a column of shape (D, 1); return a vector of shape (D,), the "
            "shape of w (a matrix product with a 1-D array gives one)",
            changes={"column": True},
        ),
        Mistake(
            "x_not_transposed",
            "your gradient multiplies the residuals by X where X^T is meant: the residuals "
            "are one per sample (B of them), the gradient one per weight (D)",
            changes={"inputs": "X"},
        ),
    ),
)

EXERCISES = (DESCEND, STABLE_LR, BATCH_GRADIENT)

check_descend = make_check(DESCEND)
check_stable_lr = make_check(STABLE_LR)
check_batch_gradient = make_check(BATCH_GRADIENT)
