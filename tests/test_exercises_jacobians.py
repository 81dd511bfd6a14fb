"""The checks of notebook 02's exercises accept right answers and name each known mistake.

Every answer below is written the way a student might write it (loops, np.dot, einsum, lists,
float32, a forgotten return, ...), independently of the Mistake functions inside
`bpcourse.exercises.jacobians`. The course's convention: a Jacobian has one row per output; the
gradient of a scalar has the shape of its variable.
"""

import re

import numpy as np
import pytest

from bpcourse.exercises import (
    check_jacobian_ax_wrt_a,
    check_layer_jacobian,
    check_least_squares_gradient,
)

CHECKS = {
    "check_least_squares_gradient": check_least_squares_gradient,
    "check_jacobian_ax_wrt_a": check_jacobian_ax_wrt_a,
    "check_layer_jacobian": check_layer_jacobian,
}


def not_done(*args):
    raise NotImplementedError("Exercise 2.x: write it")


# ---------------------------------------------------------------- Exercise 2.1
# L(theta) = ||y - Phi theta||^2; its gradient -2 Phi^T (y - Phi theta) has theta's shape (D,).


def ls_loops(phi, y, theta):
    n, d = phi.shape
    grad = np.zeros(d)
    for k in range(n):
        e_k = y[k] - sum(phi[k, j] * theta[j] for j in range(d))
        for j in range(d):
            grad[j] += 2 * e_k * (-phi[k, j])
    return grad


def ls_expanded(phi, y, theta):
    # from L = y^T y - 2 theta^T Phi^T y + theta^T Phi^T Phi theta
    return 2 * phi.T @ phi @ theta - 2 * phi.T @ y


def ls_np_dot_list(phi, y, theta):
    e = y - np.dot(phi, theta)
    return list(-2 * np.dot(phi.T, e))  # a list of D numbers is accepted


def ls_einsum(phi, y, theta):
    e = y - np.einsum("nd,d->n", phi, theta)
    return -2 * np.einsum("n,nd->d", e, phi)


def ls_row(phi, y, theta):
    e = y - phi @ theta
    return -2 * e.reshape(1, -1) @ phi  # MML's 1 x D row


def ls_column(phi, y, theta):
    return -2 * phi.T @ (y - phi @ theta).reshape(-1, 1)  # (D, 1)


def ls_sign(phi, y, theta):
    e = y - phi @ theta
    return 2 * e @ phi  # de/dtheta taken as +Phi


def ls_no_factor_2(phi, y, theta):
    return phi.T @ (phi @ theta - y)  # d||e||^2/de taken as e^T


def ls_mean(phi, y, theta):
    n = len(y)
    return -2 / n * phi.T @ (y - phi @ theta)  # a mean where the loss is a sum


def ls_dl_de(phi, y, theta):
    return 2 * (y - phi @ theta)  # stops at dL/de, (N,)


def ls_loss(phi, y, theta):
    e = y - phi @ theta
    return float(e @ e)  # the loss, not its gradient


def ls_forgot_return(phi, y, theta):
    grad = -2 * phi.T @ (y - phi @ theta)  # noqa: F841


def ls_generator(phi, y, theta):
    e = y - phi @ theta
    return (-2 * e @ phi[:, j] for j in range(phi.shape[1]))


def ls_float32(phi, y, theta):
    phi32, y32, t32 = (a.astype(np.float32) for a in (phi, y, theta))
    return -2 * phi32.T @ (y32 - phi32 @ t32)


def ls_in_place(phi, y, theta):
    y -= phi @ theta  # the residual written into y
    return -2 * phi.T @ y


def ls_forgot_y(phi, y, theta):
    return 2 * phi.T @ phi @ theta  # dropped the observations


def ls_dot_without_transpose(phi, y, theta):
    e = y - np.dot(phi, theta)
    return -2 * np.dot(phi, e)  # Phi where Phi.T belongs: runs only when N = D


def ls_e_times_phi_t(phi, y, theta):
    e = y - phi @ theta
    return -2 * e @ phi.T  # the row form, with the transpose on the wrong side


def ls_residual_with_phi_t(phi, y, theta):
    return -2 * phi.T @ (y - phi.T @ theta)


def ls_all_transposed(phi, y, theta):
    phi_t = phi.T  # "Phi^T Phi theta": a transpose on every Phi
    return 2 * phi @ (phi_t @ theta - y)


# ---------------------------------------------------------------- Exercise 2.2
# f = A x, A (M, N) flattened row by row: J[i, k N + l] = delta_ik x_l, shape (M, M N).


def ax_loops(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        for k in range(m):
            for col in range(n):
                if i == k:
                    jac[i, k * n + col] = x[col]
    return jac


def ax_kron(a, x):
    return np.kron(np.eye(a.shape[0]), x)  # (M, M N): a 1-D x gives one row per block


def ax_einsum_lists(a, x):
    m, n = a.shape
    tensor = np.einsum("ik,l->ikl", np.eye(m), x)
    return [list(row) for row in tensor.reshape(m, m * n)]  # nested lists are accepted


def ax_column_major(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        for col in range(n):
            jac[i, col * m + i] = x[col]  # entry A_il stored at position l M + i (order "F")
    return jac


def ax_x_everywhere(a, x):
    m = a.shape[0]
    return np.array([np.concatenate([x] * m) for _ in range(m)])


def ax_tensor(a, x):
    m, n = a.shape
    tensor = np.zeros((m, m, n))
    for i in range(m):
        tensor[i, i, :] = x
    return tensor


def ax_transposed(a, x):
    m, n = a.shape
    jac = np.zeros((m * n, m))
    for i in range(m):
        jac[i * n : (i + 1) * n, i] = x
    return jac


def ax_returns_a(a, x):
    return a  # d(Ax)/dx


def ax_own_row(a, x):
    return np.array([x for _ in range(a.shape[0])])  # (M, N): df_i/dA_i only


def ax_forgot_return(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        jac[i, i * n : (i + 1) * n] = x


def ax_sign(a, x):
    return -np.kron(np.eye(a.shape[0]), x)


def ax_mixed_m_n(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        jac[i, i * m : i * m + n] = x  # blocks of M columns instead of N
    return jac


def ax_blocks_reversed(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    for i in range(m):
        k = m - 1 - i  # counted the blocks from the other end
        jac[i, k * n : (k + 1) * n] = x
    return jac


def ax_first_block_only(a, x):
    m, n = a.shape
    jac = np.zeros((m, m * n))
    jac[:, :n] = x  # every row in the block of A's first row
    return jac


def ax_rows_of_a(a, x):
    m, n = a.shape
    return np.kron(np.eye(m), np.ones(n)) * a.reshape(1, -1)  # A_il where x_l belongs


def ax_a_in_every_row(a, x):
    return [list(a.ravel()) for _ in range(a.shape[0])]


def ax_map(a, x):
    m, n = a.shape
    return map(lambda i: np.concatenate([x if k == i else np.zeros(n) for k in range(m)]), range(m))


# ---------------------------------------------------------------- Exercise 2.3
# x -> sigma(w x + b): J = diag(sigma'(s)) w with s = w x + b, shape (D_out, D_in).


def layer_loops(w, b, x, sigma):
    d_out, d_in = w.shape
    jac = np.zeros((d_out, d_in))
    for i in range(d_out):
        s_i = sum(w[i, j] * x[j] for j in range(d_in)) + b[i]
        slope = sigma.df(np.array([s_i]))[0]
        for j in range(d_in):
            jac[i, j] = slope * w[i, j]
    return jac


def layer_diag(w, b, x, sigma):
    return np.diag(sigma.df(w @ x + b)) @ w


def layer_einsum(w, b, x, sigma):
    s = np.einsum("ij,j->i", w, x) + b
    return np.einsum("i,ij->ij", sigma.df(s), w)


def layer_lists(w, b, x, sigma):
    s = np.dot(w, x) + b
    return [list(sigma.df(s)[i] * w[i]) for i in range(len(s))]


def layer_denominator(w, b, x, sigma):
    return w.T @ np.diag(sigma.df(w @ x + b))  # DL4DS layout: (D_in, D_out)


def layer_no_sigma_prime(w, b, x, sigma):
    return np.array(w, copy=True)


def layer_sigma_itself(w, b, x, sigma):
    return np.diag(sigma.f(w @ x + b)) @ w


def layer_full_matrix(w, b, x, sigma):
    slopes = sigma.df(w @ x + b)
    d_sigma = np.repeat(slopes[:, None], len(slopes), axis=1)  # every column sigma'(s)
    return d_sigma @ w


def layer_row_vector(w, b, x, sigma):
    return sigma.df(w @ x + b).reshape(1, -1) @ w  # (1, D_in)


def layer_row_vector_flat(w, b, x, sigma):
    return np.dot(sigma.df(w @ x + b), w)  # (D_in,)


def layer_forgot_bias(w, b, x, sigma):
    return np.diag(sigma.df(w @ x)) @ w


def layer_at_output(w, b, x, sigma):
    out = sigma.f(w @ x + b)
    return np.diag(sigma.df(out)) @ w  # derivative at x^(l) rather than s^(l)


def layer_hardcoded_tanh(w, b, x, sigma):
    s = w @ x + b
    return np.diag(1 - np.tanh(s) ** 2) @ w


def layer_one_minus_s_squared(w, b, x, sigma):
    s = w @ x + b
    return (1 - s**2)[:, None] * w


def layer_wrong_order(w, b, x, sigma):
    return w @ np.diag(sigma.df(w @ x + b))  # raises unless the layer is square


def layer_broadcast(w, b, x, sigma):
    return sigma.df(w @ x + b) * w  # scales columns; raises unless the layer is square


def layer_forgot_return(w, b, x, sigma):
    np.diag(sigma.df(w @ x + b)) @ w


def layer_float32(w, b, x, sigma):
    w32 = w.astype(np.float32)
    s = w32 @ x.astype(np.float32) + b.astype(np.float32)
    return (sigma.df(s)[:, None] * w32).astype(np.float32)


def layer_plus_one(w, b, x, sigma):
    return np.diag(sigma.df(w @ x + b)) @ w + 1.0  # no detector: reported as wrong


BATTERY = {
    "check_least_squares_gradient": {
        "right": [ls_loops, ls_expanded, ls_np_dot_list, ls_einsum],
        "wrong": [
            (ls_row, "jacobian_row"),
            (ls_column, "column_not_flat"),
            (ls_sign, "sign"),
            (ls_no_factor_2, "missing_factor_2"),
            (ls_mean, "scale"),
            (ls_dl_de, "stopped_at_dl_de"),
            (ls_loss, "returned_loss"),
            (ls_forgot_return, "not_a_result"),
            (ls_generator, "not_a_result"),
            (ls_float32, "precision"),
            (ls_in_place, "modified_input"),
            (ls_forgot_y, None),  # no detector: the message says which entries differ
            (ls_dot_without_transpose, "transpose"),
            (ls_e_times_phi_t, "transpose"),
            (ls_residual_with_phi_t, "transpose"),
            (ls_all_transposed, "transpose"),
        ],
    },
    "check_jacobian_ax_wrt_a": {
        "right": [ax_loops, ax_kron, ax_einsum_lists],
        "wrong": [
            (ax_column_major, "column_major"),
            (ax_x_everywhere, "forgot_kronecker_delta"),
            (ax_tensor, "tensor_not_flat"),
            (ax_transposed, "transpose"),
            (ax_returns_a, "wrt_x"),
            (ax_own_row, "own_row_only"),
            (ax_forgot_return, "not_a_result"),
            (ax_sign, "sign"),
            (ax_mixed_m_n, "raised"),
            (ax_map, "not_a_result"),
            (ax_blocks_reversed, "wrong_block"),
            (ax_first_block_only, "wrong_block"),
            (ax_rows_of_a, "a_for_x"),
            (ax_a_in_every_row, "a_for_x"),
        ],
    },
    "check_layer_jacobian": {
        "right": [layer_loops, layer_diag, layer_einsum, layer_lists],
        "wrong": [
            (layer_denominator, "transpose"),
            (layer_no_sigma_prime, "forgot_sigma_prime"),
            (layer_sigma_itself, "f_for_df"),
            (layer_full_matrix, "full_not_diagonal"),
            (layer_row_vector, "row_vector_not_diagonal"),
            (layer_row_vector_flat, "row_vector_not_diagonal"),
            (layer_forgot_bias, "wrong_point"),
            (layer_at_output, "wrong_point"),
            (layer_hardcoded_tanh, "ignores_sigma"),
            (layer_one_minus_s_squared, "tanh_prime_of_s"),
            (layer_wrong_order, "wrong_order"),
            (layer_broadcast, "wrong_order"),
            (layer_forgot_return, "not_a_result"),
            (layer_float32, "precision"),
            (layer_plus_one, None),  # no detector: the message says which entries differ
        ],
    },
}

RIGHT = [(name, fn) for name, entry in BATTERY.items() for fn in entry["right"]]
WRONG = [(name, fn, key) for name, entry in BATTERY.items() for fn, key in entry["wrong"]]


def ident(value):
    return getattr(value, "__name__", str(value))


@pytest.mark.parametrize("name, fn", RIGHT, ids=[f"{n}-{ident(f)}" for n, f in RIGHT])
def test_right_answers_pass(name, fn):
    result = CHECKS[name](fn)
    assert result.status == "correct", result.message
    assert result.usable.is_yours


@pytest.mark.parametrize("name, fn, key", WRONG, ids=[f"{n}-{ident(f)}" for n, f, _ in WRONG])
def test_wrong_answers_are_rejected_and_named(name, fn, key):
    result = CHECKS[name](fn)
    assert result.status != "correct"
    assert not result.usable.is_yours  # later cells fall back to the reference
    if key is None:
        assert result.status == "wrong", (result.diagnosis, result.message)
        assert re.search(r"differs in \d+ of \d+ entries in case \d", result.message)
    else:
        assert result.diagnosis == key, result.message


@pytest.mark.parametrize("name, fn, key", WRONG, ids=[f"{n}-{ident(f)}" for n, f, _ in WRONG])
def test_messages_never_show_expected_numbers(name, fn, key):
    message = CHECKS[name](fn).message
    # no array printed and no decimal number of the reference's kind
    assert not re.search(r"array\(\[|\[\s*-?\d", message), message
    assert not re.search(r"\d\.\d{3,}", message), message


@pytest.mark.parametrize("name", CHECKS)
def test_stub_is_todo_and_the_check_never_raises_on_odd_input(name):
    check = CHECKS[name]
    assert check(not_done).status == "todo"
    assert check(np.zeros((3, 3))).diagnosis == "not_callable"
    assert check(lambda *args: "a string").diagnosis == "not_a_result"


@pytest.mark.parametrize("name", CHECKS)
def test_the_verdict_is_the_same_on_every_run(name):
    wrong = BATTERY[name]["wrong"][0][0]
    first = CHECKS[name](wrong)
    for _ in range(2):
        again = CHECKS[name](wrong)
        assert (again.status, again.diagnosis, again.message) == (
            first.status,
            first.diagnosis,
            first.message,
        )
    assert repr(first.usable).startswith("using the reference")


def test_a_row_for_the_gradient_is_named_with_the_convention():
    message = check_least_squares_gradient(ls_row).message
    assert "shape of its variable" in message and "(1, D)" in message


def test_the_relu_case_has_units_off_so_the_indicator_matters():
    def relu_slope_one(w, b, x, sigma):  # sigma' = 1 everywhere for ReLU: the indicator dropped
        s = w @ x + b
        slope = np.ones_like(s) if sigma.name == "relu" else sigma.df(s)
        return slope[:, None] * w

    result = check_layer_jacobian(relu_slope_one)
    assert result.status != "correct"
    assert "relu" in result.message


def test_a_raising_function_is_reported_with_its_case():
    def broken(phi, y, theta):
        return phi @ y  # shapes do not fit: raises ValueError

    result = check_least_squares_gradient(broken)
    assert result.status == "error" and result.diagnosis == "raised"
    assert "ValueError" in result.message and "N = 5 observations" in result.message


def test_battery_size():
    for name, entry in BATTERY.items():
        assert len(entry["right"]) >= 3, name
        assert len(entry["wrong"]) >= 8, name
