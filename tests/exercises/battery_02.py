"""Answers to notebook 02's exercises, written the way students write them.

One battery per notebook: the team's answers (tests/test_exercises_jacobians.py) and a cold
student's (tests/test_exercises_cold_student_02.py, written from the student edition and the
checks' public docstrings, never the checks' code) merged, duplicates dropped, and answers
written for the cases and diagnoses added when the checks became declared specs (at the end).
Right answers in other styles must be accepted; each wrong answer must be rejected and, where a
key is given, named with it (None: rejected, the message says where it differs).
tests/test_exercise_batteries.py runs them; tools/exercise_battery.py reports on them. The
course's convention: a Jacobian has one row per output; the gradient of a scalar has the shape
of its variable.
"""

import numpy as np
import sympy as sp

import bpcourse.exercises as ex
from bpcourse.activations import identity, relu, sigmoid
from bpcourse.gradcheck import numerical_gradient, numerical_jacobian
from bpcourse.losses import mse
from bpcourse.mlp import layer_backward, layer_forward

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


def lsq_matrix(phi, y, theta):
    return 2 * phi.T @ (phi @ theta - y)


def lsq_loops(phi, y, theta):
    N, D = phi.shape
    e = [y[n] - sum(phi[n, d] * theta[d] for d in range(D)) for n in range(N)]
    return [sum(-2 * e[n] * phi[n, d] for n in range(N)) for d in range(D)]


def lsq_jacobians(phi, y, theta):
    e = y - phi @ theta
    dL_de = 2 * e[None, :]  # 1 x N
    de_dtheta = -phi  # N x D
    return (dL_de @ de_dtheta).ravel()


def lsq_float32_converted(phi, y, theta):
    phi, y, theta = (np.asarray(v, dtype=np.float64) for v in (phi, y, theta))
    return -2 * np.dot(phi.T, y - np.dot(phi, theta))


def lsq_loss(phi, y, theta):
    return np.sum((y - phi @ theta) ** 2)


def lsq_mean(phi, y, theta):
    return -2 * phi.T @ (y - phi @ theta) / len(y)


def lsq_phi_not_transposed(phi, y, theta):
    return -2 * phi @ (y - phi @ theta)


def jax_loops(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        for k in range(M):
            for l in range(N):
                J[i, k * N + l] = x[l] if i == k else 0.0
    return J


def jax_lists(a, x):
    M, N = a.shape
    return [[0.0] * (i * N) + list(x) + [0.0] * ((M - 1 - i) * N) for i in range(M)]


def jax_einsum(a, x):
    M, N = a.shape
    return np.einsum("ik,l->ikl", np.eye(M), x).reshape(M, M * N)


def jax_block_off_by_one(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        k = (i + 1) % M  # the block one further
        J[i, k * N : (k + 1) * N] = x
    return J


def jax_float32(a, x):
    return np.kron(np.eye(a.shape[0]), x).astype(np.float32)


def jax_rows_of_a(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        J[i, i * N : (i + 1) * N] = a[i]
    return J


def lj_broadcast(w, b, x, sigma):
    return sigma.df(w @ x + b)[:, None] * w


def lj_loops(w, b, x, sigma):
    D_out, D_in = w.shape
    s = [sum(w[i, j] * x[j] for j in range(D_in)) + b[i] for i in range(D_out)]
    d = sigma.df(np.array(s))
    return [[float(d[i] * w[i, j]) for j in range(D_in)] for i in range(D_out)]


def lj_einsum(w, b, x, sigma):
    return np.einsum("i,ij->ij", sigma.df(np.dot(w, x) + b), w)


def lj_float32(w, b, x, sigma):
    return (np.diag(sigma.df(w @ x + b)) @ w).astype(np.float32)


# ------------------------------------------- answers for the cases and keys of the specs
def ls_sums_multiplied(phi, y, theta):
    """The residuals summed, times the column sums of Phi: right only when N = 1."""
    e = y - phi @ theta
    return -2 * np.sum(e) * np.sum(phi, axis=0)


def ls_through_mse(phi, y, theta):
    _, dl_df = mse(phi @ theta, y, reduction="sum")
    return dl_df @ phi


def ls_numerically(phi, y, theta):
    return numerical_gradient(lambda t: np.sum((y - phi @ t) ** 2), theta.copy())


def ax_numerically(a, x):
    return numerical_jacobian(lambda v: v.reshape(a.shape) @ x, a.ravel().copy())


def ax_through_layer_backward(a, x):
    x_row = x[np.newaxis, :]
    s, _ = layer_forward(x_row, a, np.zeros(len(a)), relu)
    rows = []
    for i in range(len(a)):
        unit = np.zeros((1, len(a)))
        unit[0, i] = 1.0
        rows.append(layer_backward(unit, np.ones_like(s), x_row, a, relu)[1].ravel())
    return np.array(rows)


def ax_outer_products(a, x):
    """Row i: e_i x^T flattened, with the blocks taken from np.outer(x, e_i) (a transpose)."""
    m = a.shape[0]
    return np.array([np.outer(x, np.eye(m)[i]).ravel() for i in range(m)])


def layer_relu_slope_one(w, b, x, sigma):
    """sigma' = 1 for a ReLU layer (the indicator dropped), right for the others."""
    s = w @ x + b
    slope = np.ones_like(s) if sigma.name == "relu" else sigma.df(s)
    return slope[:, None] * w


def layer_hardcoded_sigmoid(w, b, x, sigma):
    s = w @ x + b
    sig = 1 / (1 + np.exp(-s))
    return (sig * (1 - sig))[:, None] * w


def layer_numerically(w, b, x, sigma):
    return numerical_jacobian(lambda v: sigma.f(w @ v + b), x.copy())


def layer_through_layer_backward(w, b, x, sigma):
    x_rows = np.tile(x, (len(b), 1))
    s, _ = layer_forward(x_rows, w, b, sigma)
    return layer_backward(np.eye(len(b)), s, x_rows, w, sigma)[0]


def layer_sigmoid_from_module(w, b, x, sigma):
    """The activation's derivative always from bpcourse's sigmoid."""
    return sigmoid.df(w @ x + b)[:, None] * w


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def _reference(check, nargs):
    return check(lambda *args: None).usable


def ls_r1(phi, y, theta):
    e = y - phi @ theta
    return -2 * phi.T @ e


def ls_r2(phi, y, theta):
    return 2 * (phi.T @ phi @ theta - phi.T @ y)


def ls_r3(phi, y, theta):  # row (1 x N) times Jacobian (N x D), then flattened
    e = y - phi @ theta
    dL_de = 2 * e.reshape(1, -1)
    de_dtheta = -phi
    return (dL_de @ de_dtheta).ravel()


def ls_r4(phi, y, theta):
    N, D = phi.shape
    grad = []
    for d in range(D):
        total = 0.0
        for i in range(N):
            e_i = y[i] - sum(phi[i, j] * theta[j] for j in range(D))
            total += 2 * e_i * (-phi[i, d])
        grad.append(total)
    return grad


def ls_r5(phi, y, theta):
    r = np.einsum("nd,d->n", phi, theta) - y
    return 2 * np.einsum("nd,n->d", phi, r)


def ls_r6(phi, y, theta):
    e = y - np.dot(phi, theta)
    return (-2 * e @ phi).tolist()


def ls_w_sign(phi, y, theta):  # de/dtheta taken as +phi
    return 2 * phi.T @ (y - phi @ theta)


def ls_w_no2(phi, y, theta):
    return -phi.T @ (y - phi @ theta)


def ls_w_row(phi, y, theta):  # the 1 x D Jacobian
    e = y - phi @ theta
    return (2 * e.reshape(1, -1)) @ (-phi)


def ls_w_row_again(phi, y, theta):  # the same mistake in a new form
    return np.atleast_2d(-2 * phi.T @ (y - phi @ theta))


def ls_w_column(phi, y, theta):
    e = (y - phi @ theta).reshape(-1, 1)
    return -2 * phi.T @ e


def ls_w_dl_de(phi, y, theta):
    return 2 * (y - phi @ theta)


def ls_w_loss(phi, y, theta):
    e = y - phi @ theta
    return e @ e


def ls_w_mean(phi, y, theta):
    return -2 * phi.T @ (y - phi @ theta) / len(y)


def ls_w_phi_not_T(phi, y, theta):  # phi where phi^T belongs (runs only when N == D)
    return -2 * phi @ (y - phi @ theta)


def ls_w_fd(phi, y, theta):
    return numerical_gradient(lambda t: np.sum((y - phi @ t) ** 2), theta.copy())


def ls_w_float32(phi, y, theta):
    p = phi.astype(np.float32)
    return -2 * p.T @ (y.astype(np.float32) - p @ theta.astype(np.float32))


def ls_w_noreturn(phi, y, theta):
    grad = -2 * phi.T @ (y - phi @ theta)  # noqa: F841


def ls_w_inplace_y(phi, y, theta):
    y -= phi @ theta
    return -2 * phi.T @ y


def ls_w_inplace_phi(phi, y, theta):
    phi *= -1  # de/dtheta = -phi, "in place to save memory"
    return 2 * phi.T @ (y + phi @ theta)


_ref_ls = _reference(ex.check_least_squares_gradient, 3)


def ls_w_reference(phi, y, theta):
    return _ref_ls(phi, y, theta)


def ls_w_half_both(phi, y, theta):  # neither the 2 nor the minus
    return phi.T @ (y - phi @ theta)


def ls_w_no_y(phi, y, theta):
    return 2 * phi.T @ phi @ theta


def ls_w_sympy(phi, y, theta):  # a sympy Matrix
    N, D = phi.shape
    T = sp.Matrix(sp.symbols(f"t0:{D}", real=True))
    e = sp.Matrix(y) - sp.Matrix(phi) * T
    L = (e.T * e)[0]
    return sp.Matrix([sp.diff(L, t) for t in T]).subs(dict(zip(T, theta)))


def ls_w_residual_flipped(phi, y, theta):  # e written as phi theta - y, minus sign kept
    e = phi @ theta - y
    return -2 * phi.T @ e


def ls_w_layer_backward(phi, y, theta):  # the package's layer backward pass does it
    f = phi @ theta
    dl_df = (2 * (f - y)).reshape(-1, 1)
    _, dl_dw, _ = layer_backward(dl_df, f.reshape(-1, 1), phi, theta.reshape(1, -1), identity)
    return dl_dw.ravel()


def ja_r1(a, x):
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * n : (i + 1) * n] = x
    return J


def ja_r2(a, x):
    m, _ = a.shape
    return np.kron(np.eye(m), x)


def ja_r3(a, x):
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        for k in range(m):
            for l in range(n):
                J[i, k * n + l] = x[l] if i == k else 0.0
    return J


def ja_r4(a, x):  # the tensor first, then flattened row by row
    m, n = a.shape
    T = np.zeros((m, m, n))
    for i in range(m):
        T[i, i, :] = x
    return T.reshape(m, m * n)


def ja_r5(a, x):
    m, n = a.shape
    return np.einsum("ik,l->ikl", np.eye(m), x).reshape(m, m * n)


def ja_r6(a, x):
    m, n = a.shape
    return [[0.0] * (i * n) + list(x) + [0.0] * ((m - 1 - i) * n) for i in range(m)]


def ja_w_a_for_x(a, x):
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * n : (i + 1) * n] = a[i]
    return J


def ja_w_column_major(a, x):
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        for l in range(n):
            J[i, l * m + i] = x[l]
    return J


def ja_w_kron_swapped(a, x):  # kron(x, I): the same column-major order in a new form
    m, _ = a.shape
    return np.kron(x, np.eye(m))


def ja_w_reshape_F(a, x):
    m, n = a.shape
    T = np.zeros((m, m, n))
    for i in range(m):
        T[i, i, :] = x
    return T.reshape(m, m * n, order="F")


def ja_w_tile(a, x):  # x in every block of every row
    m, _ = a.shape
    return np.tile(x, (m, m))


def ja_w_kron_ones(a, x):  # the same, written with kron
    m, _ = a.shape
    return np.kron(np.ones((m, m)), x)


def ja_w_tensor(a, x):
    m, n = a.shape
    T = np.zeros((m, m, n))
    for i in range(m):
        T[i, i] = x
    return T


def ja_w_transpose(a, x):
    m, _ = a.shape
    return np.kron(np.eye(m), x).T


def ja_w_wrt_x(a, x):
    return a


def ja_w_own_row(a, x):
    m, _ = a.shape
    return np.tile(x, (m, 1))


def ja_w_own_row_list(a, x):  # the same, as a list of rows
    return [list(x) for _ in range(a.shape[0])]


def ja_w_shifted_block(a, x):
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        k = (i + 1) % m
        J[i, k * n : (k + 1) * n] = x
    return J


def ja_w_fd(a, x):
    m, n = a.shape
    return numerical_jacobian(lambda v: v.reshape(m, n) @ x, a.ravel().copy())


def ja_w_sign(a, x):
    m, _ = a.shape
    return -np.kron(np.eye(m), x)


def ja_w_float32(a, x):
    m, _ = a.shape
    return np.kron(np.eye(m, dtype=np.float32), x.astype(np.float32))


def ja_w_noreturn(a, x):
    m, _ = a.shape
    J = np.kron(np.eye(m), x)  # noqa: F841


_ref_ja = _reference(ex.check_jacobian_ax_wrt_a, 2)


def ja_w_reference(a, x):
    return _ref_ja(a, x)


def ja_w_m_n_confused(a, x):  # block offset i * m instead of i * n, width from x
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * m : i * m + n] = x
    return J


def ja_w_diagonal_only(a, x):  # one entry per row
    m, n = a.shape
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * n + i % n] = x[i % n]
    return J


def ja_w_inplace(a, x):  # a reused as scratch space
    m, n = a.shape
    a[:] = x
    J = np.zeros((m, m * n))
    for i in range(m):
        J[i, i * n : (i + 1) * n] = a[i]
    return J


def lj_r1(w, b, x, sigma):
    s = w @ x + b
    return np.diag(sigma.df(s)) @ w


def lj_r2(w, b, x, sigma):
    return sigma.df(w @ x + b)[:, None] * w


def lj_r3(w, b, x, sigma):
    D_out, D_in = w.shape
    s = w @ x + b
    d = sigma.df(s)
    J = np.zeros((D_out, D_in))
    for i in range(D_out):
        for j in range(D_in):
            J[i, j] = d[i] * w[i, j]
    return J


def lj_r4(w, b, x, sigma):
    return np.einsum("i,ij->ij", sigma.df(np.dot(w, x) + b), w)


def lj_r5(w, b, x, sigma):
    d = sigma.df(w @ x + b)
    return (w.T * d).T


def lj_r6(w, b, x, sigma):
    s = w @ x + b
    d = sigma.df(s)
    return [[float(d[i] * w[i, j]) for j in range(w.shape[1])] for i in range(w.shape[0])]


def lj_w_transpose(w, b, x, sigma):
    return (np.diag(sigma.df(w @ x + b)) @ w).T


def lj_w_transpose_wT(w, b, x, sigma):  # DL4DS's order and transposes
    return w.T @ np.diag(sigma.df(w @ x + b))


def lj_w_no_prime(w, b, x, sigma):
    return w


def lj_w_f_for_df(w, b, x, sigma):
    return np.diag(sigma.f(w @ x + b)) @ w


def lj_w_full(w, b, x, sigma):
    d = sigma.df(w @ x + b)
    return np.outer(d, np.ones(len(d))) @ w


def lj_w_row_vector(w, b, x, sigma):
    return sigma.df(w @ x + b) @ w


def lj_w_row_vector_sum(w, b, x, sigma):  # the same mistake in a new form
    return (sigma.df(w @ x + b)[:, None] * w).sum(axis=0)


def lj_w_no_bias(w, b, x, sigma):
    return np.diag(sigma.df(w @ x)) @ w


def lj_w_bias_sign(w, b, x, sigma):
    return np.diag(sigma.df(w @ x - b)) @ w


def lj_w_at_x(w, b, x, sigma):  # sigma' at the input x
    return np.diag(sigma.df(x)) @ w.T


def lj_w_hard_tanh(w, b, x, sigma):
    s = w @ x + b
    return np.diag(1 - np.tanh(s) ** 2) @ w


def lj_w_tanh_formula(w, b, x, sigma):  # 1 - sigma(s)^2 for every sigma
    s = w @ x + b
    return np.diag(1 - sigma.f(s) ** 2) @ w


def lj_w_tanh_of_s(w, b, x, sigma):
    s = w @ x + b
    return np.diag(1 - s**2) @ w


def lj_w_order(w, b, x, sigma):
    return w @ np.diag(sigma.df(w @ x + b))


def lj_w_broadcast(w, b, x, sigma):
    return w * sigma.df(w @ x + b)


def lj_w_fd(w, b, x, sigma):
    return numerical_jacobian(lambda v: sigma.f(w @ v + b), x.copy())


def lj_w_float32(w, b, x, sigma):
    s = (w @ x + b).astype(np.float32)
    return np.diag(sigma.df(s).astype(np.float32)) @ w.astype(np.float32)


def lj_w_noreturn(w, b, x, sigma):
    J = np.diag(sigma.df(w @ x + b)) @ w  # noqa: F841


_ref_lj = _reference(ex.check_layer_jacobian, 4)


def lj_w_reference(w, b, x, sigma):
    return _ref_lj(w, b, x, sigma)


def lj_w_inplace(w, b, x, sigma):
    w *= sigma.df(w @ x + b)[:, None]
    return w


def lj_w_times_x(w, b, x, sigma):  # an extra factor x, as for d/dw
    return np.diag(sigma.df(w @ x + b)) @ w * x


def lj_w_layer_backward(
    w, b, x, sigma
):  # the package's layer backward pass, one unit vector per row
    D_out = w.shape[0]
    s = (w @ x + b).reshape(1, -1)
    rows = [
        layer_backward(np.eye(D_out)[i : i + 1], s, x.reshape(1, -1), w, sigma)[0][0]
        for i in range(D_out)
    ]
    return np.array(rows)


BATTERY = {
    "least_squares_gradient": {
        "right": [
            ls_loops,
            ls_expanded,
            ls_np_dot_list,
            ls_einsum,
            lsq_matrix,
            lsq_loops,
            lsq_jacobians,
            lsq_float32_converted,
            ls_r1,
            ls_r2,
            ls_r3,
            ls_r4,
            ls_r5,
            ls_r6,
        ],
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
            (ls_forgot_y, None),
            (ls_dot_without_transpose, "transpose"),
            (ls_e_times_phi_t, "transpose"),
            (lsq_loss, "returned_loss"),
            (lsq_mean, "scale"),
            (lsq_phi_not_transposed, "transpose"),
            (ls_sums_multiplied, None),
            (ls_through_mse, "uses_reference"),
            (ls_numerically, "finite_differences"),
            (ls_w_sign, "sign"),
            (ls_w_no2, "missing_factor_2"),
            (ls_w_row, "jacobian_row"),
            (ls_w_row_again, "jacobian_row"),
            (ls_w_column, "column_not_flat"),
            (ls_w_dl_de, "stopped_at_dl_de"),
            (ls_w_loss, "returned_loss"),
            (ls_w_mean, "scale"),
            (ls_w_phi_not_T, "transpose"),
            (ls_w_fd, "finite_differences"),
            (ls_w_float32, "precision"),
            (ls_w_noreturn, "not_a_result"),
            (ls_w_inplace_y, "modified_input"),
            (ls_w_inplace_phi, "modified_input"),
            (ls_w_reference, "uses_reference"),
            (ls_w_half_both, None),
            (ls_w_no_y, None),
            (ls_w_sympy, "not_a_result"),
            (ls_w_residual_flipped, "sign"),
            (ls_w_layer_backward, "uses_reference"),
        ],
    },
    "jacobian_ax_wrt_a": {
        "right": [
            ax_loops,
            ax_kron,
            ax_einsum_lists,
            jax_loops,
            jax_lists,
            jax_einsum,
            ja_r1,
            ja_r2,
            ja_r3,
            ja_r4,
            ja_r5,
            ja_r6,
        ],
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
            (jax_block_off_by_one, "wrong_block"),
            (jax_float32, "precision"),
            (jax_rows_of_a, "a_for_x"),
            (ax_numerically, "finite_differences"),
            (ax_through_layer_backward, "uses_reference"),
            (ax_outer_products, "column_major"),
            (ja_w_a_for_x, "a_for_x"),
            (ja_w_column_major, "column_major"),
            (ja_w_kron_swapped, "column_major"),
            (ja_w_reshape_F, "column_major"),
            (ja_w_tile, "forgot_kronecker_delta"),
            (ja_w_kron_ones, "forgot_kronecker_delta"),
            (ja_w_tensor, "tensor_not_flat"),
            (ja_w_transpose, "transpose"),
            (ja_w_wrt_x, "wrt_x"),
            (ja_w_own_row, "own_row_only"),
            (ja_w_own_row_list, "own_row_only"),
            (ja_w_shifted_block, "wrong_block"),
            (ja_w_fd, "finite_differences"),
            (ja_w_sign, "sign"),
            (ja_w_float32, "precision"),
            (ja_w_noreturn, "not_a_result"),
            (ja_w_reference, "uses_reference"),
            (ja_w_m_n_confused, "raised"),
            (ja_w_diagonal_only, None),
            (ja_w_inplace, "modified_input"),
        ],
    },
    "layer_jacobian": {
        "right": [
            layer_loops,
            layer_diag,
            layer_einsum,
            layer_lists,
            lj_broadcast,
            lj_loops,
            lj_einsum,
            lj_r1,
            lj_r2,
            lj_r3,
            lj_r4,
            lj_r5,
            lj_r6,
        ],
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
            (layer_plus_one, None),
            (lj_float32, "precision"),
            (layer_relu_slope_one, None),
            (layer_hardcoded_sigmoid, "ignores_sigma"),
            (layer_numerically, "finite_differences"),
            (layer_through_layer_backward, "uses_reference"),
            (layer_sigmoid_from_module, "ignores_sigma"),
            (lj_w_transpose, "transpose"),
            (lj_w_transpose_wT, "transpose"),
            (lj_w_no_prime, "forgot_sigma_prime"),
            (lj_w_f_for_df, "f_for_df"),
            (lj_w_full, "full_not_diagonal"),
            (lj_w_row_vector, "row_vector_not_diagonal"),
            (lj_w_row_vector_sum, "row_vector_not_diagonal"),
            (lj_w_no_bias, "wrong_point"),
            (lj_w_bias_sign, None),
            (lj_w_at_x, None),
            (lj_w_hard_tanh, "ignores_sigma"),
            (lj_w_tanh_formula, None),
            (lj_w_tanh_of_s, "tanh_prime_of_s"),
            (lj_w_order, "wrong_order"),
            (lj_w_broadcast, "wrong_order"),
            (lj_w_fd, "finite_differences"),
            (lj_w_float32, "precision"),
            (lj_w_noreturn, "not_a_result"),
            (lj_w_reference, "uses_reference"),
            (lj_w_inplace, "modified_input"),
            (lj_w_times_x, None),
            (lj_w_layer_backward, "uses_reference"),
        ],
    },
}
