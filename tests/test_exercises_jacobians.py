"""The checks of notebook 02's exercises accept right answers and name each known mistake.

Every wrong implementation below is written the way a student might write it, independently
of the Mistake functions inside `bpcourse.exercises.jacobians`.
"""

import numpy as np
import pytest

from bpcourse.exercises import (
    check_jacobian_ax_wrt_a,
    check_layer_jacobian,
    check_least_squares_gradient,
)


def not_done(*args):
    raise NotImplementedError("Exercise 2.x: write it")


# ---------------------------------------------------------------- Exercise 2.1
# L(theta) = ||y - Phi theta||^2, dL/dtheta = -2 e^T Phi as a (1, D) row vector.


def least_squares_by_loops(phi, y, theta):
    n, d = phi.shape
    grad = np.zeros((1, d))
    for k in range(n):
        e_k = y[k] - sum(phi[k, j] * theta[j] for j in range(d))
        for j in range(d):
            grad[0, j] += 2 * e_k * (-phi[k, j])
    return grad


def least_squares_expanded(phi, y, theta):
    # From the expanded form L = y^T y - 2 theta^T Phi^T y + theta^T Phi^T Phi theta.
    return (2 * theta @ phi.T @ phi - 2 * y @ phi).reshape(1, -1)


def least_squares_sign_error(phi, y, theta):
    e = y - phi @ theta
    return np.atleast_2d(2 * e @ phi)  # de/dtheta taken as +Phi


def least_squares_no_factor_2(phi, y, theta):
    residual = phi @ theta - y
    return np.atleast_2d(phi.T @ residual)  # d||e||^2/de taken as e^T


def least_squares_column(phi, y, theta):
    return -2 * phi.T @ (y - phi @ theta).reshape(-1, 1)  # denominator layout: (D, 1)


def least_squares_flat(phi, y, theta):
    return -2 * (y - phi @ theta) @ phi  # shape (D,)


def least_squares_dl_de(phi, y, theta):
    return np.atleast_2d(2 * (y - phi @ theta))  # stops at dL/de, (1, N)


def test_least_squares_accepts_right_answers():
    assert check_least_squares_gradient(least_squares_by_loops).status == "correct"
    assert check_least_squares_gradient(least_squares_expanded).status == "correct"


def test_least_squares_reference_passes_its_own_check():
    reference = check_least_squares_gradient(not_done).function
    assert check_least_squares_gradient(reference).ok


def test_least_squares_stub_is_todo():
    result = check_least_squares_gradient(not_done)
    assert result.status == "todo"
    assert "not done yet" in repr(result)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (least_squares_sign_error, "sign"),
        (least_squares_no_factor_2, "missing_factor_2"),
        (least_squares_column, "transpose"),
        (least_squares_flat, "flat_not_row"),
        (least_squares_dl_de, "stopped_at_dl_de"),
    ],
)
def test_least_squares_names_the_mistake(wrong, key):
    result = check_least_squares_gradient(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
    assert not result.ok
    assert result.function is not wrong  # later cells fall back to the reference


# ---------------------------------------------------------------- Exercise 2.2
# f = A x, A (M, N) flattened row by row: J[i, k N + l] = delta_ik x_l, shape (M, M N).


def ax_jacobian_by_loops(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        for k in range(m):
            for col in range(n):
                if i == k:
                    jac[i, k * n + col] = x[col]
    return jac


def ax_jacobian_column_major(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        for col in range(n):
            jac[i, col * m + i] = x[col]  # entry A_il stored at position l M + i (order "F")
    return jac


def ax_jacobian_x_everywhere(a, x):
    m = a.shape[0]
    return np.array([np.concatenate([x] * m) for _ in range(m)])


def ax_jacobian_tensor(a, x):
    m, n = a.shape
    tensor = np.zeros((m, m, n))
    for i in range(m):
        tensor[i, i, :] = x
    return tensor


def ax_jacobian_transposed(a, x):
    m, n = a.shape
    jac = np.zeros((m * n, m))
    for i in range(m):
        jac[i * n : (i + 1) * n, i] = x
    return jac


def test_ax_jacobian_accepts_right_answers():
    assert check_jacobian_ax_wrt_a(ax_jacobian_by_loops).status == "correct"


def test_ax_jacobian_reference_passes_its_own_check():
    reference = check_jacobian_ax_wrt_a(not_done).function
    assert check_jacobian_ax_wrt_a(reference).ok


def test_ax_jacobian_stub_is_todo():
    assert check_jacobian_ax_wrt_a(not_done).status == "todo"


@pytest.mark.parametrize(
    "wrong, key",
    [
        (ax_jacobian_column_major, "column_major"),
        (ax_jacobian_x_everywhere, "forgot_kronecker_delta"),
        (ax_jacobian_tensor, "tensor_not_flat"),
        (ax_jacobian_transposed, "transpose"),
    ],
)
def test_ax_jacobian_names_the_mistake(wrong, key):
    result = check_jacobian_ax_wrt_a(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


# ---------------------------------------------------------------- Exercise 2.3
# x -> sigma(w x + b): J = diag(sigma'(s)) w with s = w x + b, shape (D_out, D_in).


def layer_jacobian_by_loops(w, b, x, sigma):
    d_out, d_in = w.shape
    jac = np.zeros((d_out, d_in))
    for i in range(d_out):
        s_i = sum(w[i, j] * x[j] for j in range(d_in)) + b[i]
        slope = sigma.df(np.array([s_i]))[0]
        for j in range(d_in):
            jac[i, j] = slope * w[i, j]
    return jac


def layer_jacobian_with_diag(w, b, x, sigma):
    return np.diag(sigma.df(w @ x + b)) @ w


def layer_jacobian_denominator(w, b, x, sigma):
    return w.T @ np.diag(sigma.df(w @ x + b))  # DL4DS layout: (D_in, D_out)


def layer_jacobian_no_sigma_prime(w, b, x, sigma):
    return np.array(w, copy=True)


def layer_jacobian_sigma_itself(w, b, x, sigma):
    return np.diag(sigma.f(w @ x + b)) @ w


def layer_jacobian_full_matrix(w, b, x, sigma):
    slopes = sigma.df(w @ x + b)
    d_sigma = np.repeat(slopes[:, None], len(slopes), axis=1)  # every column sigma'(s)
    return d_sigma @ w


def layer_jacobian_row_vector(w, b, x, sigma):
    return sigma.df(w @ x + b).reshape(1, -1) @ w  # (1, D_in)


def layer_jacobian_row_vector_flat(w, b, x, sigma):
    return np.dot(sigma.df(w @ x + b), w)  # (D_in,)


def layer_jacobian_forgot_bias(w, b, x, sigma):
    return np.diag(sigma.df(w @ x)) @ w


def test_layer_jacobian_accepts_right_answers():
    assert check_layer_jacobian(layer_jacobian_by_loops).status == "correct"
    assert check_layer_jacobian(layer_jacobian_with_diag).status == "correct"


def test_layer_jacobian_reference_passes_its_own_check():
    reference = check_layer_jacobian(not_done).function
    assert check_layer_jacobian(reference).ok


def test_layer_jacobian_stub_is_todo():
    assert check_layer_jacobian(not_done).status == "todo"


@pytest.mark.parametrize(
    "wrong, key",
    [
        (layer_jacobian_denominator, "transpose"),
        (layer_jacobian_no_sigma_prime, "forgot_sigma_prime"),
        (layer_jacobian_sigma_itself, "used_sigma_not_derivative"),
        (layer_jacobian_full_matrix, "full_not_diagonal"),
        (layer_jacobian_row_vector_flat, "row_vector_not_diagonal"),
        (layer_jacobian_row_vector, "row_vector_not_diagonal"),
        (layer_jacobian_forgot_bias, "sigma_prime_wrong_point"),
    ],
)
def test_layer_jacobian_names_the_mistake(wrong, key):
    result = check_layer_jacobian(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


def test_unrecognised_error_is_reported_as_wrong_without_the_answer():
    def off_by_one(w, b, x, sigma):
        return np.diag(sigma.df(w @ x + b)) @ w + 1.0

    result = check_layer_jacobian(off_by_one)
    assert result.status == "wrong"
    assert "diag" not in result.message


def test_a_function_that_raises_is_reported_as_error():
    def broken(phi, y, theta):
        return phi @ y  # shapes do not fit: raises ValueError

    result = check_least_squares_gradient(broken)
    assert result.status == "error"
    assert "ValueError" in result.message


def test_check_refuses_a_value_instead_of_a_function():
    with pytest.raises(TypeError, match="function"):
        check_layer_jacobian(np.zeros((3, 3)))
