"""Checks for the exercises of notebook 02 (Jacobians).

- `check_least_squares_gradient`: Exercise 2.1, the gradient of MML's least-squares loss
  (example 5.11) as a 1 x D row vector.
- `check_jacobian_ax_wrt_a`: Exercise 2.2, the Jacobian of f = A x with respect to A
  flattened row by row (MML example 5.12, second approach), an M x (M N) matrix.
- `check_layer_jacobian`: Exercise 2.3, the Jacobian of one layer x -> sigma(w x + b), in
  numerator layout (one row per output).

Each check runs the student's function on a few seeded cases, compares it with a reference
and names the likely mistake when the output matches a known wrong implementation.
"""

import numpy as np

from bpcourse.activations import relu, sigmoid, tanh
from bpcourse.exercises._core import Mistake, check

# ---------------------------------------------------------------- Exercise 2.1


def _least_squares_gradient(phi, y, theta):
    """dL/dtheta = -2 e^T Phi with e = y - Phi theta, as a (1, D) row vector."""
    e = y - phi @ theta
    return (-2.0 * e @ phi)[np.newaxis, :]


def check_least_squares_gradient(student_fn):
    """Check Exercise 2.1: the gradient of L(theta) = ||y - Phi theta||^2 (MML example 5.11).

    The expected answer is MML's row vector dL/dtheta = -2 e^T Phi, with e = y - Phi theta,
    of shape (1, D).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(phi, y, theta)`` with `phi` of shape (N, D), `y` of shape (N,) and
        `theta` of shape (D,), returning an array of shape (1, D).

    Returns
    -------
    Result
        ``todo``, ``correct``, or ``mistake`` with one of the diagnoses ``"sign"``,
        ``"missing_factor_2"``, ``"transpose"``, ``"flat_not_row"``, ``"stopped_at_dl_de"``;
        ``.function`` is the student's function once correct, the reference until then.
    """
    rng = np.random.default_rng(21)
    cases = [
        (rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d))
        for n, d in ((5, 3), (4, 2), (7, 4))
    ]

    def dl_de(phi, y, theta):
        return (2.0 * (y - phi @ theta))[np.newaxis, :]

    mistakes = [
        Mistake(
            "sign",
            "the size of every entry is right but the sign is flipped: in which direction does "
            "increasing theta move the residual e = y - Phi theta?",
            lambda phi, y, theta: -_least_squares_gradient(phi, y, theta),
        ),
        Mistake(
            "missing_factor_2",
            "every entry is half the right value: look again at the derivative of the squared "
            "norm ||e||^2 with respect to e",
            lambda phi, y, theta: 0.5 * _least_squares_gradient(phi, y, theta),
        ),
        Mistake(
            "transpose",
            "the values are right but you return a D x 1 column: that is the denominator "
            "layout; MML's gradient of a scalar is a 1 x D row vector",
            lambda phi, y, theta: _least_squares_gradient(phi, y, theta).T,
        ),
        Mistake(
            "flat_not_row",
            "the values are right but the shape is (D,): return MML's 1 x D row vector, a "
            "2-D array with one row",
            lambda phi, y, theta: _least_squares_gradient(phi, y, theta).ravel(),
        ),
        Mistake(
            "stopped_at_dl_de",
            "this has one entry per observation: it is dL/de, and the chain rule needs one more "
            "factor to reach dL/dtheta",
            dl_de,
        ),
    ]
    return check(
        "Exercise 2.1 (least-squares gradient)",
        student_fn,
        _least_squares_gradient,
        cases,
        mistakes,
    )


# ---------------------------------------------------------------- Exercise 2.2


def _jacobian_ax_wrt_a(a, x):
    """d(A x)/d vec(A) with vec row by row: entry (i, k N + l) is delta_ik x_l, shape (M, M N)."""
    return np.kron(np.eye(a.shape[0]), x[np.newaxis, :])


def check_jacobian_ax_wrt_a(student_fn):
    """Check Exercise 2.2: the Jacobian of f = A x with respect to A, A flattened row by row.

    With A of shape (M, N) flattened as ``A.ravel()`` (row by row, NumPy's default), f = A x
    is a map from R^(M N) to R^M, so its Jacobian has shape (M, M N): entry (i, k N + l) is
    d f_i / d A_kl (MML example 5.12, second approach).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(a, x)`` with `a` of shape (M, N) and `x` of shape (N,), returning an
        array of shape (M, M * N).

    Returns
    -------
    Result
        ``todo``, ``correct``, or ``mistake`` with one of the diagnoses ``"column_major"``,
        ``"forgot_kronecker_delta"``, ``"tensor_not_flat"``, ``"transpose"``.
    """
    rng = np.random.default_rng(22)
    cases = [(rng.normal(size=(m, n)), rng.normal(size=n)) for m, n in ((2, 3), (3, 4), (4, 2))]

    def column_major(a, x):
        return np.kron(x[np.newaxis, :], np.eye(a.shape[0]))

    def forgot_delta(a, x):
        return np.tile(x, (a.shape[0], a.shape[0]))

    def tensor(a, x):
        return _jacobian_ax_wrt_a(a, x).reshape(a.shape[0], *a.shape)

    mistakes = [
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
            forgot_delta,
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
            lambda a, x: _jacobian_ax_wrt_a(a, x).T,
        ),
    ]
    return check(
        "Exercise 2.2 (Jacobian of A x with respect to A)",
        student_fn,
        _jacobian_ax_wrt_a,
        cases,
        mistakes,
    )


# ---------------------------------------------------------------- Exercise 2.3


def _layer_jacobian(w, b, x, sigma):
    """d sigma(w x + b) / dx = diag(sigma'(s)) w with s = w x + b, shape (D_out, D_in)."""
    s = w @ x + b
    return sigma.df(s)[:, np.newaxis] * w


def check_layer_jacobian(student_fn):
    """Check Exercise 2.3: the Jacobian of one layer x -> sigma(w x + b) at x.

    The expected answer, in numerator layout, is diag(sigma'(s)) w with s = w x + b, of
    shape (D_out, D_in).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(w, b, x, sigma)`` with `w` of shape (D_out, D_in), `b` of shape
        (D_out,), `x` of shape (D_in,) and `sigma` an activation of `bpcourse.activations`
        (with ``.f`` and ``.df``), returning an array of shape (D_out, D_in).

    Returns
    -------
    Result
        ``todo``, ``correct``, or ``mistake`` with one of the diagnoses ``"transpose"``,
        ``"forgot_sigma_prime"``, ``"used_sigma_not_derivative"``, ``"full_not_diagonal"``,
        ``"row_vector_not_diagonal"``, ``"sigma_prime_wrong_point"``.
    """
    rng = np.random.default_rng(23)
    cases = [
        (rng.normal(size=(d_out, d_in)), rng.normal(size=d_out), rng.normal(size=d_in), sigma)
        for (d_out, d_in), sigma in (((3, 4), tanh), ((4, 2), sigmoid), ((3, 3), relu))
    ]

    def used_sigma(w, b, x, sigma):
        return sigma.f(w @ x + b)[:, np.newaxis] * w

    def full_matrix(w, b, x, sigma):
        d = sigma.df(w @ x + b)
        return np.outer(d, np.ones_like(d)) @ w

    def row_vector(w, b, x, sigma):
        return sigma.df(w @ x + b) @ w

    def row_vector_2d(w, b, x, sigma):
        return row_vector(w, b, x, sigma)[np.newaxis, :]

    def wrong_point(w, b, x, sigma):
        return sigma.df(w @ x)[:, np.newaxis] * w

    mistakes = [
        Mistake(
            "transpose",
            "the values are right but transposed, shape (D_in, D_out): that is the denominator "
            "layout (DL4DS); here the Jacobian has one row per output, shape (D_out, D_in)",
            lambda w, b, x, sigma: _layer_jacobian(w, b, x, sigma).T,
        ),
        Mistake(
            "forgot_sigma_prime",
            "this is the Jacobian of the affine part alone: sigma' is missing (the chain rule "
            "has a factor for the activation too)",
            lambda w, b, x, sigma: w.copy(),
        ),
        Mistake(
            "used_sigma_not_derivative",
            "you multiplied by sigma(s), the activation itself; the chain rule needs its "
            "derivative",
            used_sigma,
        ),
        Mistake(
            "full_not_diagonal",
            "every row mixes all the units: x_i depends on s_i only, so the activation's "
            "Jacobian is diagonal, not a full matrix",
            full_matrix,
        ),
        Mistake(
            "row_vector_not_diagonal",
            "this is a vector, not a D_out x D_in matrix: multiplying by sigma'(s) as a row "
            "vector sums over the outputs; the activation's Jacobian is a D_out x D_out matrix",
            row_vector,
        ),
        Mistake(
            "row_vector_not_diagonal",
            "this is a single row, not a D_out x D_in matrix: multiplying by sigma'(s) as a row "
            "vector sums over the outputs; the activation's Jacobian is a D_out x D_out matrix",
            row_vector_2d,
        ),
        Mistake(
            "sigma_prime_wrong_point",
            "sigma' is evaluated at the wrong point: at which vector does the layer apply sigma?",
            wrong_point,
        ),
    ]
    return check(
        "Exercise 2.3 (Jacobian of a layer)",
        student_fn,
        _layer_jacobian,
        cases,
        mistakes,
    )
