"""Checks for the exercises of notebook 02 (Jacobians).

The course's one convention (notebook 02, section 1): a Jacobian is in numerator layout, one
row per output (f: R^n -> R^m has an m x n Jacobian); the gradient of a scalar with respect to
a vector or a matrix has that variable's shape (for a vector, the transpose of its 1 x n
Jacobian).

- `check_least_squares_gradient`: Exercise 2.1, the gradient of MML's least-squares loss
  L(theta) = ||y - Phi theta||^2 (example 5.11), shape (D,) like theta.
- `check_jacobian_ax_wrt_a`: Exercise 2.2, the Jacobian of f = A x with respect to A
  flattened row by row (MML example 5.12, second approach), an M x (M N) matrix.
- `check_layer_jacobian`: Exercise 2.3, the Jacobian of one layer x -> sigma(w x + b),
  shape (D_out, D_in).

The references are the package's own functions: `losses.mse` gives the gradient with respect
to the predictions Phi theta (2.1), and `mlp.layer_backward` gives the rows of a Jacobian, each
row being the backward pass of one unit vector (2.2, 2.3). Every check accepts NumPy arrays of
any float type and (nested) lists of numbers.
"""

from dataclasses import replace

import numpy as np

from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises._core import Mistake, check, with_square_retry
from bpcourse.losses import mse
from bpcourse.mlp import layer_backward, layer_forward

CONVENTION = (
    "The course's convention (notebook 02, section 1) is that the gradient of a scalar has the "
    "shape of its variable"
)

# ---------------------------------------------------------------- Exercise 2.1


def least_squares_gradient(phi, y, theta):
    """[dL/dtheta] for L(theta) = ||y - Phi theta||^2, shape (D,) like theta.

    L is the package's squared error summed over the N observations, with predictions
    f = Phi theta: `mse(f, y, "sum")` gives [dL/df], shape (N,), and the chain rule through
    f = Phi theta turns it into a gradient with theta's shape.
    """
    _, dl_df = mse(phi @ theta, y, reduction="sum")
    return dl_df @ phi


def _least_squares_loss(phi, y, theta):
    return mse(phi @ theta, y, reduction="sum")[0]


def check_least_squares_gradient(student_fn):
    """Check Exercise 2.1: the gradient of L(theta) = ||y - Phi theta||^2 (MML example 5.11).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(phi, y, theta)`` with `phi` of shape (N, D), `y` of shape (N,) and
        `theta` of shape (D,), returning the gradient as an array of shape (D,) (a list of D
        numbers is accepted too).

    Returns
    -------
    Result
        Diagnoses of its own: ``"jacobian_row"`` (the 1 x D Jacobian returned instead of the
        gradient), ``"column_not_flat"``, ``"sign"``, ``"missing_factor_2"``,
        ``"stopped_at_dl_de"``, ``"returned_loss"``, ``"transpose"`` (Phi where Phi^T
        belongs, named on square Phi when the function raises on the general cases); the
        core's generic ones besides (a factor N for a mean, float32, an input changed in
        place, None, ...).
    """

    def dl_de_flat(phi, y, theta):
        return 2.0 * (y - phi @ theta)

    mistakes = [
        Mistake(
            "jacobian_row",
            "your result has shape (1, D): that is the 1 x D Jacobian of L (MML's row). "
            f"{CONVENTION}; theta has shape (D,), so return a 1-D array of shape (D,) "
            "(your numbers are right)",
            lambda phi, y, theta: least_squares_gradient(phi, y, theta)[np.newaxis, :],
        ),
        Mistake(
            "column_not_flat",
            "your result is a D x 1 column (a 2-D array). "
            f"{CONVENTION}; theta has shape (D,), so return a 1-D array of shape (D,) "
            "(your numbers are right)",
            lambda phi, y, theta: least_squares_gradient(phi, y, theta)[:, np.newaxis],
        ),
        Mistake(
            "sign",
            "every entry has the right size but the opposite sign: in which direction does "
            "increasing theta move the residual e = y - Phi theta?",
            lambda phi, y, theta: -least_squares_gradient(phi, y, theta),
        ),
        Mistake(
            "missing_factor_2",
            "every entry is half the right value: look again at the derivative of the squared "
            "norm ||e||^2 with respect to e",
            lambda phi, y, theta: 0.5 * least_squares_gradient(phi, y, theta),
        ),
        Mistake(
            "stopped_at_dl_de",
            "your result has one entry per observation (N of them): it is dL/de, and the chain "
            "rule needs one more factor, de/dtheta, to reach one entry per parameter",
            dl_de_flat,
        ),
        Mistake(
            "stopped_at_dl_de",
            "your result has one entry per observation (N of them): it is dL/de, and the chain "
            "rule needs one more factor, de/dtheta, to reach one entry per parameter",
            lambda phi, y, theta: dl_de_flat(phi, y, theta)[np.newaxis, :],
        ),
        Mistake(
            "returned_loss",
            "your result is one number, the loss L itself: the exercise asks for its "
            "derivatives, one per entry of theta",
            _least_squares_loss,
        ),
        # found on square Phi (N = D), where these products run
        Mistake(
            "transpose",
            "the last product multiplies by Phi where its transpose belongs: dL/de has one "
            "entry per observation (N) and the result one per parameter (D), so compare the "
            "shapes (N, D) of Phi and (D,) of theta",
            lambda phi, y, theta: phi @ mse(phi @ theta, y, reduction="sum")[1],
        ),
        Mistake(
            "transpose",
            "the residual e = y - Phi theta is computed with the transpose of Phi: Phi has "
            "shape (N, D), one row per observation, and theta shape (D,)",
            lambda phi, y, theta: mse(phi.T @ theta, y, reduction="sum")[1] @ phi,
        ),
        Mistake(
            "transpose",
            "both products use Phi where its transpose belongs (and the reverse): Phi has "
            "shape (N, D), one row per observation, and theta shape (D,)",
            lambda phi, y, theta: least_squares_gradient(phi.T, y, theta),
        ),
    ]

    def run(shapes, scales, seed):
        rng = np.random.default_rng(seed)
        cases = [
            (c * rng.normal(size=(n, d)), c * rng.normal(size=n), rng.normal(size=d))
            for (n, d), c in zip(shapes, scales)
        ]
        return check(
            "Exercise 2.1 (least-squares gradient)",
            student_fn,
            least_squares_gradient,
            cases,
            mistakes,
            describe=[f"N = {n} observations, D = {d} parameters" for n, d in shapes],
            sizes=[{"N": n, "D": d} for n, d in shapes],
            name="least_squares_gradient",
        )

    result = with_square_retry(
        lambda: run(((5, 3), (4, 2), (7, 4)), (1.0, 10.0, 0.1), 21),
        lambda: run(((3, 3), (4, 4), (2, 2)), (1.0, 10.0, 0.1), 25),
        note="raises an error, as a product with Phi where its transpose belongs does",
    )
    # the core's retry note speaks of layers; here the square retry is on Phi (N = D)
    message = result.message.replace("(with layers that are not square,", "(when N != D,")
    return replace(result, message=message)


# ---------------------------------------------------------------- Exercise 2.2


def jacobian_ax_wrt_a(a, x):
    """d(A x)/d vec(A), A flattened row by row (A.ravel()): shape (M, M N).

    Row i is the gradient of f_i = (A x)_i with respect to A, flattened: `layer_backward` of the
    affine layer s = A x with [dl/ds] = e_i gives it in A's shape (it is e_i x^T).
    """
    a = np.asarray(a, dtype=np.float64)
    x_prev = np.asarray(x, dtype=np.float64)[np.newaxis, :]  # one sample, (1, N)
    s, _ = layer_forward(x_prev, a, np.zeros(a.shape[0]), identity)
    unit = np.eye(a.shape[0])
    rows = [
        layer_backward(unit[i : i + 1], s, x_prev, a, identity)[1].ravel() for i in range(len(unit))
    ]
    return np.array(rows)


def check_jacobian_ax_wrt_a(student_fn):
    """Check Exercise 2.2: the Jacobian of f = A x with respect to A, A flattened row by row.

    With A of shape (M, N) flattened as ``A.ravel()`` (row by row, NumPy's default), f = A x
    is a map from R^(M N) to R^M, so its Jacobian has shape (M, M N): entry (i, k N + l) is
    d f_i / d A_kl (MML example 5.12, second approach).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(a, x)`` with `a` of shape (M, N) and `x` of shape (N,), returning an
        array of shape (M, M * N) (a list of M lists is accepted too).

    Returns
    -------
    Result
        Diagnoses of its own: ``"column_major"``, ``"forgot_kronecker_delta"``,
        ``"tensor_not_flat"``, ``"transpose"``, ``"wrt_x"``, ``"own_row_only"``,
        ``"a_for_x"`` (entries of A where those of x belong), ``"wrong_block"`` (x in the
        block of another row of A); the core's generic ones besides.
    """
    rng = np.random.default_rng(22)
    shapes = ((2, 3), (3, 4), (4, 2))
    cases = [
        (rng.normal(size=(m, n)), c * rng.normal(size=n))
        for (m, n), c in zip(shapes, (1.0, 10.0, 0.1))
    ]
    describe = [f"A of shape ({m}, {n})" for m, n in shapes]

    def column_major(a, x):
        return np.kron(x[np.newaxis, :], np.eye(a.shape[0]))

    def x_everywhere(a, x):
        return np.tile(x, (a.shape[0], a.shape[0]))

    def tensor(a, x):
        return jacobian_ax_wrt_a(a, x).reshape(a.shape[0], *a.shape)

    def rows_of_a(a, x):
        a = np.asarray(a, dtype=np.float64)
        m, n = a.shape
        return np.kron(np.eye(m), np.ones(n)) * np.tile(a.ravel(), (m, 1))

    mistakes = [
        Mistake(
            "a_for_x",
            "the blocks hold the entries of A where the derivatives belong: d f_i / d A_il is "
            "what A_il is multiplied by in f_i = sum_l A_il x_l",
            rows_of_a,
        ),
        Mistake(
            "a_for_x",
            "every row holds the entries of A where the derivatives belong: d f_i / d A_kl is "
            "what A_kl is multiplied by in f_i (and zero when A_kl does not appear in f_i)",
            lambda a, x: np.tile(np.asarray(a, dtype=np.float64).ravel(), (len(a), 1)),
        ),
        Mistake(
            "column_major",
            "the entries are right but in the wrong columns: A is flattened row by row here "
            "(A.ravel(), NumPy's default), and you ordered its entries column by column",
            column_major,
        ),
        Mistake(
            "forgot_kronecker_delta",
            "f_i depends on one row of A only: the derivatives of f_i with respect to the "
            "entries of the other rows must be zero",
            x_everywhere,
        ),
        Mistake(
            "tensor_not_flat",
            "this is the M x M x N tensor of the first approach: the exercise asks for the "
            "M x (M N) matrix, with A flattened",
            tensor,
        ),
        Mistake(
            "transpose",
            "the values are right but transposed: the Jacobian has one row per output f_i and "
            "one column per entry of A",
            lambda a, x: jacobian_ax_wrt_a(a, x).T,
        ),
        Mistake(
            "wrt_x",
            "this is d(Ax)/dx = A, the derivative with respect to x (example 5.9): here x is "
            "fixed and the variables are the M N entries of A",
            lambda a, x: np.array(a, dtype=np.float64),
        ),
        Mistake(
            "own_row_only",
            "this M x N array holds, for each f_i, its derivatives with respect to row i of A "
            "only: the Jacobian has one column per entry of A (M N columns), and the "
            "derivatives with respect to the other rows belong in it too",
            lambda a, x: np.tile(x, (a.shape[0], 1)),
        ),
    ]
    result = check(
        "Exercise 2.2 (Jacobian of A x with respect to A)",
        student_fn,
        jacobian_ax_wrt_a,
        cases,
        mistakes,
        describe=describe,
        name="jacobian_ax_wrt_a",
    )
    if result.status == "wrong":
        found = _rows_in_other_blocks(student_fn, cases)
        if found:
            index, rows = found
            return replace(
                result,
                status="mistake",
                diagnosis="wrong_block",
                message="not yet: each row holds x in one block of N columns, but in row(s) "
                f"{', '.join(map(str, rows))} of case {index + 1} ({describe[index]}) it is "
                "the block of another row of A: f_i = sum_l A_il x_l depends on row i of A "
                "only (A flattened row by row, so row k of A fills columns k N to k N + N - 1)",
            )
    return result


def _rows_in_other_blocks(student_fn, cases):
    """(case index, 1-based rows) of the first case where a row holds x in another row's
    block, provided every row of every case holds x in exactly one block of N columns and
    zeros elsewhere; None otherwise."""
    found = None
    for index, (a, x) in enumerate(cases):
        m, n = np.shape(a)
        try:
            got = np.asarray(student_fn(np.array(a), np.array(x)), dtype=np.float64)
        except Exception:
            return None
        if got.shape != (m, m * n):
            return None
        wrong = []
        for i in range(m):
            blocks = got[i].reshape(m, n)
            tiny = 1e-12 * np.max(np.abs(x))
            nonzero = [k for k in range(m) if np.any(np.abs(blocks[k]) > tiny)]
            if len(nonzero) != 1 or not np.allclose(blocks[nonzero[0]], x, rtol=1e-6, atol=0):
                return None
            if nonzero[0] != i:
                wrong.append(i + 1)
        if wrong and found is None:
            found = (index, wrong)
    return found


# ---------------------------------------------------------------- Exercise 2.3


def layer_jacobian(w, b, x, sigma):
    """Jacobian of one layer x -> sigma(w x + b) at x, shape (D_out, D_in).

    Row i is the backward pass of the unit vector e_i: `layer_backward` with [dl/dx^(l)] = e_i
    returns [dl/dx^(l-1)] = the gradient of output i with respect to the input. The D_out rows
    are computed as one batch of D_out copies of x.
    """
    w = np.asarray(w, dtype=np.float64)
    x_prev = np.tile(np.asarray(x, dtype=np.float64), (w.shape[0], 1))  # (D_out, D_in)
    s, _ = layer_forward(x_prev, w, np.asarray(b, dtype=np.float64), sigma)
    dl_dx_prev, _, _ = layer_backward(np.eye(w.shape[0]), s, x_prev, w, sigma)
    return dl_dx_prev


def _layer_cases(rng, layers):
    """(w, b, x, sigma) per layer; for ReLU, b puts two units off and the others on."""
    cases = []
    for (d_out, d_in), sigma, scale in layers:
        w = scale * rng.normal(size=(d_out, d_in))
        x = rng.normal(size=d_in)
        b = rng.normal(size=d_out)
        if sigma is relu:  # s = w x + b at chosen values: units 2 and 4 off, none near 0
            target = np.array([1.2, -0.8, 0.5, -1.5, 2.0, 0.9][:d_out])
            b = target - w @ x
        cases.append((w, b, x, sigma))
    return cases


def check_layer_jacobian(student_fn):
    """Check Exercise 2.3: the Jacobian of one layer x -> sigma(w x + b) at x.

    Parameters
    ----------
    student_fn : callable
        ``student_fn(w, b, x, sigma)`` with `w` of shape (D_out, D_in), `b` of shape
        (D_out,), `x` of shape (D_in,) and `sigma` an activation of `bpcourse.activations`
        (with ``.f`` and ``.df``), returning an array of shape (D_out, D_in) (a list of
        D_out lists is accepted too).

    The cases are layers that are not square (so that a product in the wrong order raises
    rather than passes), with tanh, sigmoid and ReLU, the ReLU layer with two units off. When
    the function raises on them, it is run on square layers to name the mistake.

    Returns
    -------
    Result
        Diagnoses of its own: ``"transpose"``, ``"forgot_sigma_prime"``, ``"f_for_df"``,
        ``"full_not_diagonal"``, ``"row_vector_not_diagonal"``, ``"wrong_point"``,
        ``"ignores_sigma"``, ``"tanh_prime_of_s"``, ``"precision"`` (float32, where the
        core's band is too narrow for tanh' near saturation), ``"wrong_order"`` (found on
        square layers); the core's generic ones besides.
    """
    general = [((3, 4), tanh, 1.0), ((4, 2), sigmoid, 1.0), ((5, 3), relu, 3.0)]
    square = [((3, 3), tanh, 1.0), ((4, 4), sigmoid, 1.0), ((5, 5), relu, 3.0)]

    def describe(layers):
        return [
            f"a {sigma.name} layer {d_in} -> {d_out}"
            + (" with 2 of its units off" if sigma is relu else "")
            for (d_out, d_in), sigma, _ in layers
        ]

    def slopes_times_w(slopes, w):
        return slopes[:, np.newaxis] * w

    def pre(w, b, x):
        return w @ x + b

    mistakes = [
        Mistake(
            "transpose",
            "the values are right but transposed, shape (D_in, D_out): that is the denominator "
            "layout (DL4DS); in the course's numerator layout a Jacobian has one row per "
            "output, shape (D_out, D_in)",
            lambda w, b, x, sigma: layer_jacobian(w, b, x, sigma).T,
        ),
        Mistake(
            "forgot_sigma_prime",
            "this is the Jacobian of the affine part alone: sigma' is missing (the chain rule "
            "has a factor for the activation too)",
            lambda w, b, x, sigma: np.array(w, dtype=np.float64),
        ),
        Mistake(
            "f_for_df",
            "you used sigma.f(s), the activation itself, where the chain rule needs its "
            "derivative sigma.df(s)",
            lambda w, b, x, sigma: slopes_times_w(sigma.f(pre(w, b, x)), w),
        ),
        Mistake(
            "full_not_diagonal",
            "every row mixes all the units: x_i depends on s_i only, so the activation's "
            "Jacobian is diagonal, not a full matrix",
            lambda w, b, x, sigma: np.outer(sigma.df(pre(w, b, x)), np.ones(len(b))) @ w,
        ),
        Mistake(
            "row_vector_not_diagonal",
            "this is one vector, not a D_out x D_in matrix: multiplying by sigma'(s) as a row "
            "vector sums over the outputs; the activation's Jacobian is a D_out x D_out matrix",
            lambda w, b, x, sigma: sigma.df(pre(w, b, x)) @ w,
        ),
        Mistake(
            "row_vector_not_diagonal",
            "this is a single row, not a D_out x D_in matrix: multiplying by sigma'(s) as a row "
            "vector sums over the outputs; the activation's Jacobian is a D_out x D_out matrix",
            lambda w, b, x, sigma: (sigma.df(pre(w, b, x)) @ w)[np.newaxis, :],
        ),
        Mistake(
            "wrong_point",
            "sigma' is taken at w x, without the bias: the layer applies sigma to "
            "s = w x + b, so its derivative is taken there",
            lambda w, b, x, sigma: slopes_times_w(sigma.df(w @ x), w),
        ),
        Mistake(
            "wrong_point",
            "sigma' is taken at the output sigma(s): sigma.df expects the pre-activation s itself",
            lambda w, b, x, sigma: slopes_times_w(sigma.df(sigma.f(pre(w, b, x))), w),
        ),
        Mistake(
            "wrong_point",
            "sigma' is taken at the input x: the layer applies sigma to s = w x + b, so its "
            "derivative is taken there",
            lambda w, b, x, sigma: slopes_times_w(sigma.df(x), w),
        ),
        Mistake(
            "ignores_sigma",
            "your function computes tanh's derivative whatever activation it is given: use "
            "sigma.df, so that it works for ReLU and sigmoid too",
            lambda w, b, x, sigma: slopes_times_w(tanh.df(pre(w, b, x)), w),
        ),
        Mistake(
            "tanh_prime_of_s",
            "your slope is 1 - s^2: that is tanh' written with s where tanh(s) belongs, and "
            "it ignores the activation given; use sigma.df(s)",
            lambda w, b, x, sigma: slopes_times_w(1.0 - pre(w, b, x) ** 2, w),
        ),
        Mistake(
            "precision",
            "your values agree only to the precision of float32 (about 7 digits, fewer where "
            "sigma' is small): look for a conversion to np.float32; compute in float64",
            lambda w, b, x, sigma: slopes_times_w(
                sigma.df(np.float32(w) @ np.float32(x) + np.float32(b)), np.float32(w)
            ),
        ),
        Mistake(
            "wrong_order",
            "on square layers your Jacobian scales the columns of w, not its rows: the two "
            "Jacobians are multiplied in the wrong order (the map applied last comes first, "
            "on the left)",
            lambda w, b, x, sigma: w * sigma.df(pre(w, b, x))[np.newaxis, :],
        ),
    ]

    def run(layers, seed):
        return check(
            "Exercise 2.3 (Jacobian of a layer)",
            student_fn,
            layer_jacobian,
            _layer_cases(np.random.default_rng(seed), layers),
            mistakes,
            describe=describe(layers),
            name="layer_jacobian",
        )

    return with_square_retry(
        lambda: run(general, 23),
        lambda: run(square, 24),
        note="raises an error, as a product of matrices in the wrong order does",
    )
