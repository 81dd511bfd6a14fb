"""A cold student's battery for the checks of notebooks 01, 02, 03 and 09.

Written without reading the instructor notebooks or the check modules' code, from the student
edition's prompts, the package code the cells call, and the checks' public docstrings only.
Every "right" answer must be accepted as correct; every "wrong" one must be rejected, and,
where an expected diagnosis key is given, named with that key. The expected keys were chosen
before the checks were run. The findings of the first run (answers named otherwise than
expected, or accepted) were fixed in the checks; none is left marked. The harness is
tests/battery.py.
"""

import math

import numpy as np
import pytest
import sympy as sp
from scipy.special import logsumexp

from bpcourse.activations import identity, tanh
from bpcourse.autodiff import Value
from bpcourse.exercises import (
    check_affine_collapse,
    check_confusion_matrix,
    check_df_dt,
    check_jacobian_ax_wrt_a,
    check_layer_backward,
    check_layer_jacobian,
    check_least_squares_gradient,
    check_mlp_forward,
    check_predict_labels,
    check_sgd_step,
    check_softmax_cross_entropy_gradient,
    check_toy_partials,
)
from bpcourse.losses import cross_entropy
from bpcourse.mlp import MLP, layer_backward, layer_forward
from tests.battery import assert_accepted, assert_rejected, right_params, wrong_params

CHECKS = {
    "check_df_dt": check_df_dt,
    "check_toy_partials": check_toy_partials,
    "check_least_squares_gradient": check_least_squares_gradient,
    "check_jacobian_ax_wrt_a": check_jacobian_ax_wrt_a,
    "check_layer_jacobian": check_layer_jacobian,
    "check_mlp_forward": check_mlp_forward,
    "check_affine_collapse": check_affine_collapse,
    "check_layer_backward": check_layer_backward,
    "check_softmax_cross_entropy_gradient": check_softmax_cross_entropy_gradient,
    "check_predict_labels": check_predict_labels,
    "check_sgd_step": check_sgd_step,
    "check_confusion_matrix": check_confusion_matrix,
}


# ======================================================================= 01, Exercise 1.1
# f = x1^2 x2, x1 = cos t, x2 = t^2
def dfdt_paths(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t


def dfdt_row_times_column(t):
    x1, x2 = np.cos(t), t**2
    grad_f = np.array([2 * x1 * x2, x1**2])
    dx_dt = np.array([-np.sin(t), 2 * t])
    return np.dot(grad_f, dx_dt)


def dfdt_sympy(t):
    T = sp.symbols("T")
    return float(sp.diff(sp.cos(T) ** 2 * T**2, T).subs(T, t))


def dfdt_factored(t):
    return 2 * t * math.cos(t) * (math.cos(t) - t * math.sin(t))


def dfdt_0d_array(t):
    return np.array(2 * np.cos(t) * t**2 * -np.sin(t) + np.cos(t) ** 2 * 2 * t)


def dfdt_sign(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * math.sin(t) + x1**2 * 2 * t


def dfdt_one_path(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * -math.sin(t)


def dfdt_no_inner(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 + x1**2


def dfdt_partials_at_t(t):
    # partials evaluated at t instead of (x1(t), x2(t))
    return 2 * t * t * -math.sin(t) + t**2 * 2 * t


def dfdt_multiplied(t):
    x1, x2 = math.cos(t), t**2
    return (2 * x1 * x2 * -math.sin(t)) * (x1**2 * 2 * t)


def dfdt_no_return(t):
    x1, x2 = math.cos(t), t**2
    result = 2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t
    print(result)


def dfdt_extra_values(t):
    x1, x2 = math.cos(t), t**2
    a, b = 2 * x1 * x2 * -math.sin(t), x1**2 * 2 * t
    return a + b, a, b


def dfdt_float32(t):
    t = np.float32(t)
    return 2 * np.cos(t) * t**2 * -np.sin(t) + np.cos(t) ** 2 * 2 * t


def dfdt_forgot_2_of_t2(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * -math.sin(t) + x1**2 * t


def dfdt_sympy_expr(t):
    T = sp.symbols("T")
    return sp.diff(sp.cos(T) ** 2 * T**2, T).subs(T, sp.Float(t))


# ======================================================================= 01, Exercise 1.2
def _toy_fwd(x, beta, omega):
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    return f, h


def toy_loop(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (1.0 if f[k] > 0 else 0.0)
    return d, d * h


def toy_unrolled_lists(x, y, beta, omega):
    f0 = beta[0] + omega[0] * x
    h1 = max(f0, 0.0)
    f1 = beta[1] + omega[1] * h1
    h2 = max(f1, 0.0)
    f2 = beta[2] + omega[2] * h2
    h3 = max(f2, 0.0)
    f3 = beta[3] + omega[3] * h3
    d3 = 2 * (f3 - y)
    d2 = d3 * omega[3] * (f2 > 0)
    d1 = d2 * omega[2] * (f1 > 0)
    d0 = d1 * omega[1] * (f0 > 0)
    return [float(d0), float(d1), float(d2), float(d3)], [
        float(d0 * x),
        float(d1 * h1),
        float(d2 * h2),
        float(d3 * h3),
    ]


def toy_with_value(x, y, beta, omega):
    B = [Value(float(b)) for b in beta]
    W = [Value(float(w)) for w in omega]
    h = Value(x)
    for k in range(4):
        f = W[k] * h + B[k]
        h = f.relu() if k < 3 else f
    loss = (h + Value(-y)) ** 2
    loss.backward()
    return np.array([b.grad for b in B]), np.array([w.grad for w in W])


def toy_indicator_from_h(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = [0.0] * 4
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * float(h[k + 1] > 0)  # a'(f_k) read from h_(k+1)
    d = np.array(d)
    return (d, d * h)


def toy_forgot_relu_prime(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1]
    return d, d * h


def toy_no_factor_2(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = f[3] - y
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def toy_sign(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (y - f[3])
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def toy_relu_for_prime(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * max(f[k], 0.0)  # a instead of a'
    return d, d * h


def toy_prime_at_next(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k + 1] > 0)  # a' at the wrong line's f
    return d, d * h


def toy_not_chained(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[3] * omega[k + 1] * (f[k] > 0)  # from dl/df_3 each time, not the one before
    return d, d * h


def toy_stops_early(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, 0, -1):  # off by one: never reaches k = 0
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def toy_output_for_input(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    out = np.append(h[1:], max(f[3], 0.0))  # h_(k+1) where h_k belongs
    return d, d * out


def toy_swapped(x, y, beta, omega):
    d_beta, d_omega = toy_loop(x, y, beta, omega)
    return d_omega, d_beta


def toy_descends_in_place(x, y, beta, omega):
    d_beta, d_omega = toy_loop(x, y, beta, omega)
    beta -= 0.1 * d_beta  # "one step of descent", on the caller's array
    omega -= 0.1 * d_omega
    return d_beta, d_omega


def toy_reversed(x, y, beta, omega):
    d_beta, d_omega = toy_loop(x, y, beta, omega)
    return d_beta[::-1], d_omega[::-1]  # "backwards" order kept in the result


# ======================================================================= 02, Exercise 2.1
def lsq_matrix(phi, y, theta):
    return 2 * phi.T @ (phi @ theta - y)


def lsq_loops(phi, y, theta):
    N, D = phi.shape
    e = [y[n] - sum(phi[n, d] * theta[d] for d in range(D)) for n in range(N)]
    return [sum(-2 * e[n] * phi[n, d] for n in range(N)) for d in range(D)]


def lsq_einsum(phi, y, theta):
    e = y - np.einsum("nd,d->n", phi, theta)
    return -2 * np.einsum("n,nd->d", e, phi)


def lsq_jacobians(phi, y, theta):
    e = y - phi @ theta
    dL_de = 2 * e[None, :]  # 1 x N
    de_dtheta = -phi  # N x D
    return (dL_de @ de_dtheta).ravel()


def lsq_float32_converted(phi, y, theta):
    phi, y, theta = (np.asarray(v, dtype=np.float64) for v in (phi, y, theta))
    return -2 * np.dot(phi.T, y - np.dot(phi, theta))


def lsq_sign(phi, y, theta):
    return 2 * phi.T @ (y - phi @ theta)


def lsq_no_2(phi, y, theta):
    return -phi.T @ (y - phi @ theta)


def lsq_row(phi, y, theta):
    e = y - phi @ theta
    return (2 * e[None, :]) @ (-phi)


def lsq_column(phi, y, theta):
    return (-2 * phi.T @ (y - phi @ theta)).reshape(-1, 1)


def lsq_stopped_at_e(phi, y, theta):
    return 2 * (y - phi @ theta)


def lsq_loss(phi, y, theta):
    return np.sum((y - phi @ theta) ** 2)


def lsq_mean(phi, y, theta):
    return -2 * phi.T @ (y - phi @ theta) / len(y)


def lsq_float32(phi, y, theta):
    phi, y, theta = (np.asarray(v, dtype=np.float32) for v in (phi, y, theta))
    return -2 * phi.T @ (y - phi @ theta)


def lsq_in_place(phi, y, theta):
    y -= phi @ theta  # e, computed in the caller's y
    return -2 * phi.T @ y


def lsq_no_return(phi, y, theta):
    grad = -2 * phi.T @ (y - phi @ theta)  # noqa: F841


def lsq_phi_not_transposed(phi, y, theta):
    return -2 * phi @ (y - phi @ theta)


# ======================================================================= 02, Exercise 2.2
def jax_loops(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        for k in range(M):
            for l in range(N):
                J[i, k * N + l] = x[l] if i == k else 0.0
    return J


def jax_kron(a, x):
    return np.kron(np.eye(a.shape[0]), x)


def jax_lists(a, x):
    M, N = a.shape
    return [[0.0] * (i * N) + list(x) + [0.0] * ((M - 1 - i) * N) for i in range(M)]


def jax_einsum(a, x):
    M, N = a.shape
    return np.einsum("ik,l->ikl", np.eye(M), x).reshape(M, M * N)


def jax_column_major(a, x):
    return np.kron(x, np.eye(a.shape[0]))


def jax_no_delta(a, x):
    return np.tile(x, (a.shape[0], a.shape[0]))


def jax_tensor(a, x):
    M, N = a.shape
    T = np.zeros((M, M, N))
    for i in range(M):
        T[i, i] = x
    return T


def jax_transposed(a, x):
    return np.kron(np.eye(a.shape[0]), x).T


def jax_wrt_x(a, x):
    return a


def jax_own_row(a, x):
    return np.tile(x, (a.shape[0], 1))


def jax_block_off_by_one(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        k = (i + 1) % M  # the block one further
        J[i, k * N : (k + 1) * N] = x
    return J


def jax_float32(a, x):
    return np.kron(np.eye(a.shape[0]), x).astype(np.float32)


def jax_no_return(a, x):
    J = np.kron(np.eye(a.shape[0]), x)  # noqa: F841


def jax_rows_of_a(a, x):
    M, N = a.shape
    J = np.zeros((M, M * N))
    for i in range(M):
        J[i, i * N : (i + 1) * N] = a[i]
    return J


# ======================================================================= 02, Exercise 2.3
def lj_diag(w, b, x, sigma):
    return np.diag(sigma.df(w @ x + b)) @ w


def lj_broadcast(w, b, x, sigma):
    return sigma.df(w @ x + b)[:, None] * w


def lj_loops(w, b, x, sigma):
    D_out, D_in = w.shape
    s = [sum(w[i, j] * x[j] for j in range(D_in)) + b[i] for i in range(D_out)]
    d = sigma.df(np.array(s))
    return [[float(d[i] * w[i, j]) for j in range(D_in)] for i in range(D_out)]


def lj_einsum(w, b, x, sigma):
    return np.einsum("i,ij->ij", sigma.df(np.dot(w, x) + b), w)


def lj_wrong_order(w, b, x, sigma):
    return w @ np.diag(sigma.df(w @ x + b))


def lj_transposed(w, b, x, sigma):
    return (np.diag(sigma.df(w @ x + b)) @ w).T


def lj_no_prime(w, b, x, sigma):
    return w.copy()


def lj_f_for_df(w, b, x, sigma):
    return np.diag(sigma.f(w @ x + b)) @ w


def lj_prime_at_output(w, b, x, sigma):
    return np.diag(sigma.df(sigma.f(w @ x + b))) @ w


def lj_row_vector(w, b, x, sigma):
    return sigma.df(w @ x + b) @ w


def lj_always_tanh(w, b, x, sigma):
    return np.diag(1 - np.tanh(w @ x + b) ** 2) @ w


def lj_one_minus_s2(w, b, x, sigma):
    s = w @ x + b
    return np.diag(1 - s**2) @ w


def lj_float32(w, b, x, sigma):
    return (np.diag(sigma.df(w @ x + b)) @ w).astype(np.float32)


def lj_no_return(w, b, x, sigma):
    J = np.diag(sigma.df(w @ x + b)) @ w  # noqa: F841


# ======================================================================= 03, Exercise 3.1
def fw_loop(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        s = x @ w.T + b
        x = sigma.f(s) if l < L else sigma_out.f(s)
    return x


def fw_per_sample(X, weights, biases, sigma, sigma_out):
    rows = []
    for x_n in X:
        v = x_n
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            v = (sigma_out if l == len(weights) else sigma).f(w @ v + b)
        rows.append(list(v))
    return rows


def fw_einsum(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(np.einsum("nj,ij->ni", x, w) + b)
    return sigma_out.f(np.einsum("nj,ij->ni", x, weights[-1]) + biases[-1])


def fw_dot_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # samples in columns inside, as in the maths
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        act = sigma_out if l == len(weights) else sigma
        x = act.f(np.dot(w, x) + b[:, None])
    return x.T


def fw_sigma_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma.f(x @ w.T + b)
    return x


def fw_no_last_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(x @ w.T + b)
    return x @ weights[-1].T + biases[-1]


def fw_sigma_out_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma_out.f(x @ w.T + b)
    return x


def fw_no_bias(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, w in enumerate(weights, start=1):
        x = (sigma if l < L else sigma_out).f(x @ w.T)
    return x


def fw_bias_after(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).f(x @ w.T) + b
    return x


def fw_no_transpose(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).f(x @ w + b)
    return x


def fw_df(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).df(x @ w.T + b)
    return x


def fw_off_by_one(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l in range(1, L):  # stops one layer short
        x = (sigma if l < L else sigma_out).f(x @ weights[l - 1].T + biases[l - 1])
    return x


def fw_samples_in_columns(X, weights, biases, sigma, sigma_out):
    x, L = X.T, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).f(w @ x + b[:, None])
    return x


def fw_sigma_called(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out)(x @ w.T + b)
    return x


def fw_no_return(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).f(x @ w.T + b)


def fw_returns_all(X, weights, biases, sigma, sigma_out):
    xs, L = [X], len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        xs.append((sigma if l < L else sigma_out).f(xs[-1] @ w.T + b))
    return xs


# ======================================================================= 03, Exercise 3.2
def ac_loop(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_dot_list(weights, biases, alpha, beta):
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * np.dot(w, B) + alpha * b + beta * np.ones(len(b))
        A = alpha * np.dot(w, A)
    return [A, B]


def ac_homogeneous(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    T = np.eye(D0 + 1)
    for w, b in zip(weights, biases):
        layer = np.zeros((w.shape[0] + 1, w.shape[1] + 1))
        layer[:-1, :-1] = alpha * w
        layer[:-1, -1] = alpha * b + beta
        layer[-1, -1] = 1.0
        T = layer @ T
    return T[:-1, :-1], T[:-1, -1]


def ac_probe(weights, biases, alpha, beta):
    # by the recursion, but applied to the D0 basis vectors and to 0 (columns of A, then B)
    D0 = weights[0].shape[1]
    P = np.vstack([np.zeros(D0), np.eye(D0)])  # rows: 0, e_1, ..., e_D0
    for w, b in zip(weights, biases):
        P = alpha * (P @ w.T + b) + beta
    B = P[0]
    return (P[1:] - B).T, B


def ac_swapped(weights, biases, alpha, beta):
    A, B = ac_loop(weights, biases, alpha, beta)
    return B, A


def ac_no_alpha(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_alpha_once(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = w @ A, alpha * (w @ B + b) + beta
    return alpha * A, B


def ac_no_beta(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b)
    return A, B


def ac_bias_no_alpha(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * w @ B + b + beta
    return A, B


def ac_prev_no_alpha(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, w @ B + alpha * b + beta
    return A, B


def ac_beta_times_alpha(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b + beta)
    return A, B


def ac_transposed(weights, biases, alpha, beta):
    A, B = ac_loop(weights, biases, alpha, beta)
    return A.T, B


def ac_skips_last(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights[:-1], biases[:-1]):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_no_return(weights, biases, alpha, beta):
    A, B = ac_loop(weights, biases, alpha, beta)  # noqa: F841


def ac_scales_weights_in_place(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        w *= alpha  # alpha w, in the caller's arrays
        A, B = w @ A, w @ B + alpha * b + beta
    return A, B


# ======================================================================= 09 (04's Exercise 4.1)
def lb_package_like(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_sample_loop(dl_dx, s, x_prev, w, sigma):
    dl_dw, dl_db = np.zeros_like(w), np.zeros(w.shape[0])
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(s.shape[0]):
        g = dl_dx[n] * sigma.df(s[n])
        dl_dw += np.outer(g, x_prev[n])
        dl_db += g
        dl_dx_prev[n] = w.T @ g
    return dl_dx_prev, dl_dw, dl_db


def lb_einsum(dl_dx, s, x_prev, w, sigma):
    g = np.einsum("nd,nd->nd", dl_dx, sigma.df(s))
    return np.einsum("nd,dk->nk", g, w), np.einsum("nd,nk->dk", g, x_prev), np.einsum("nd->d", g)


def lb_dot(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return np.dot(g, w), np.dot(g.T, x_prev), np.dot(np.ones(len(g)), g)


def lb_no_prime(dl_dx, s, x_prev, w, sigma):
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_f_for_df(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.f(s)
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_from_output_of_s(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df_from_output(s)  # the "from the output" formula, fed s
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_prime_at_x(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(sigma.f(s))
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_dw_swapped(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, x_prev.T @ g, g.sum(axis=0)


def lb_w_transposed(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w.T, g.T @ x_prev, g.sum(axis=0)


def lb_averaged(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, g.T @ x_prev / len(g), g.mean(axis=0)


def lb_order(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g.T @ x_prev, g.sum(axis=0), g @ w


def lb_in_place(dl_dx, s, x_prev, w, sigma):
    dl_dx *= sigma.df(s)
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_db_not_summed(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, g.T @ x_prev, g


# ======================================================================= 09, Exercise 9.1
def sm_shifted(s, y):
    s = np.asarray(s, dtype=np.float64)
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sm_loops(s, y):
    N, K = len(s), len(s[0])
    out = []
    for n in range(N):
        m = max(s[n])
        e = [math.exp(s[n][k] - m) for k in range(K)]
        total = sum(e)
        out.append([(e[k] / total - (1.0 if k == y[n] else 0.0)) / N for k in range(K)])
    return out


def sm_logsumexp(s, y):
    p = np.exp(s - logsumexp(s, axis=1, keepdims=True))
    return (p - np.eye(s.shape[1])[y]) / s.shape[0]


def sm_package(s, y):
    return cross_entropy(s, y)[1]  # the loss the notebook names, gradient included


def sm_no_mean(s, y):
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p


def sm_overflow(s, y):
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sm_no_onehot(s, y):
    z = s - s.max(axis=1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) / len(y)


def sm_axis0(s, y):
    z = s - s.max(axis=0, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sm_column_indexing(s, y):
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[:, y] -= 1.0
    return p / len(y)


def sm_log_probs(s, y):
    logp = s - logsumexp(s, axis=1, keepdims=True)
    return (logp - np.eye(s.shape[1])[y]) / len(y)


def sm_minus_one_everywhere(s, y):
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p - 1.0) / len(y)


def sm_sign(s, y):
    return -sm_shifted(s, y)


def sm_shift_in_place(s, y):
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sm_float32(s, y):
    return sm_shifted(np.asarray(s, dtype=np.float32), y).astype(np.float32)


def sm_no_return(s, y):
    g = sm_shifted(s, y)  # noqa: F841


def sm_over_K(s, y):
    return sm_shifted(s, y) * len(y) / s.shape[1]


# ======================================================================= 09, Exercise 9.2
def pl_argmax(s):
    return np.argmax(s, axis=1)


def pl_list(s):
    return [int(max(range(len(row)), key=lambda k: row[k])) for row in np.asarray(s)]


def pl_softmax_first(s):
    z = np.exp(s - s.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).argmax(axis=1)


def pl_argmin_negated(s):
    return np.argmin(-np.asarray(s), axis=1)


def pl_argsort(s):
    return np.argsort(s, axis=1, kind="stable")[:, -1]


def pl_axis0(s):
    return np.argmax(s, axis=0)


def pl_no_axis(s):
    return np.argmax(s)


def pl_max(s):
    return np.max(s, axis=1)


def pl_argmin(s):
    return np.argmin(s, axis=1)


def pl_plus_one(s):
    return np.argmax(s, axis=1) + 1  # "digits 1..10"


def pl_probabilities(s):
    z = np.exp(s - s.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def pl_floats(s):
    return np.argmax(s, axis=1).astype(float)


def pl_no_return(s):
    labels = np.argmax(s, axis=1)  # noqa: F841


# ======================================================================= 09, Exercise 9.3
def _sm_grad(s, y):
    return sm_shifted(s, y)


def _forward_keep(weights, biases, X, out_sigma=identity):
    L = len(weights)
    xs, ss = [X], [None]
    for l in range(1, L + 1):
        s, x = layer_forward(xs[-1], weights[l - 1], biases[l - 1], tanh if l < L else out_sigma)
        ss.append(s)
        xs.append(x)
    return ss, xs


def sgd_loop(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_package(weights, biases, X, y, lr):
    net = MLP.from_params(
        [np.array(w) for w in weights],
        [np.array(b) for b in biases],
        activation="tanh",
        output_activation="identity",
    )
    _, gw, gb = net.gradients(X, y, loss="cross_entropy")
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_per_sample(weights, biases, X, y, lr):
    L, N = len(weights), len(X)
    gw = [np.zeros_like(w) for w in weights]
    gb = [np.zeros_like(b) for b in biases]
    for n in range(N):
        ss, xs = _forward_keep(weights, biases, X[n : n + 1])
        dl_dx = _sm_grad(xs[-1], y[n : n + 1]) / N
        for l in range(L, 0, -1):
            dl_dx, dw, db = layer_backward(
                dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
            )
            gw[l - 1] += dw
            gb[l - 1] += db
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_copies_then_update(weights, biases, X, y, lr):
    new_w = [w.copy() for w in weights]
    new_b = [b.copy() for b in biases]
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    grads = []
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        grads.append((l, dw, db))
    for l, dw, db in grads:
        new_w[l - 1] -= lr * dw
        new_b[l - 1] -= lr * db
    return new_w, new_b


def sgd_in_place(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        weights[l - 1] -= lr * dw
        biases[l - 1] -= lr * db
    return weights, biases


def _sgd_variant(
    weights, biases, X, y, lr, *, sign=-1.0, use_lr=True, update_b=True, hidden=tanh,
    early=False, grad_scale=1.0, last=1, out_sigma=identity,
):  # fmt: skip
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X, out_sigma)
    dl_dx = _sm_grad(xs[-1], y) * grad_scale
    new_w, new_b = [np.array(w) for w in weights], [np.array(b) for b in biases]
    step = lr if use_lr else 1.0
    for l in range(L, last - 1, -1):
        w_used = weights[l - 1]
        sig = hidden if l < L else out_sigma
        _, dw, db = layer_backward(dl_dx, ss[l], xs[l - 1], w_used, sig)
        new_w[l - 1] = weights[l - 1] + sign * step * dw
        if update_b:
            new_b[l - 1] = biases[l - 1] + sign * step * db
        if early:
            w_used = new_w[l - 1]  # the updated weights carry the gradient further down
        dl_dx = layer_backward(dl_dx, ss[l], xs[l - 1], w_used, sig)[0]
    return new_w, new_b


def sgd_uphill(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, sign=+1.0)


def sgd_no_lr(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, use_lr=False)


def sgd_biases_kept(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, update_b=False)


def sgd_identity_hidden_backward(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, hidden=identity)


def sgd_updated_early(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, early=True)


def sgd_summed(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, grad_scale=float(len(X)))


def sgd_stops_early(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, last=2)  # off by one: layer 1 left out


def sgd_tanh_output(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, out_sigma=tanh)


def sgd_weights_only(weights, biases, X, y, lr):
    return sgd_loop(weights, biases, X, y, lr)[0]


def sgd_layers_reversed(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    new_w, new_b = [], []
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        new_w.append(weights[l - 1] - lr * dw)  # appended from layer L down: reversed lists
        new_b.append(biases[l - 1] - lr * db)
    return new_w, new_b


# ======================================================================= 09, Exercise 9.4
def cm_loop(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def cm_add_at(y_true, y_pred, K):
    C = np.zeros((K, K))
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


def cm_bincount(y_true, y_pred, K):
    idx = np.asarray(y_true) * K + np.asarray(y_pred)
    return np.bincount(idx, minlength=K * K).reshape(K, K)


def cm_lists(y_true, y_pred, K):
    pairs = list(zip(list(y_true), list(y_pred)))
    return [[pairs.count((i, j)) for j in range(K)] for i in range(K)]


def cm_histogram2d(y_true, y_pred, K):
    C, _, _ = np.histogram2d(y_true, y_pred, bins=[np.arange(K + 1)] * 2)
    return C


def cm_transposed(y_true, y_pred, K):
    return cm_loop(y_true, y_pred, K).T


def cm_overwrite(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] = 1
    return C


def cm_normalised(y_true, y_pred, K):
    C = cm_loop(y_true, y_pred, K).astype(float)
    return C / np.maximum(C.sum(axis=1, keepdims=True), 1)


def cm_size_from_data(y_true, y_pred, K):
    k = int(max(np.max(y_true), np.max(y_pred))) + 1
    return cm_loop(y_true, y_pred, k)


def cm_diagonal_only(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, t] += 1
    return C


def cm_shifted(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t - 1, p - 1] += 1  # "labels start at 1"
    return C


def cm_no_return(y_true, y_pred, K):
    C = cm_loop(y_true, y_pred, K)  # noqa: F841


def cm_fancy_index(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[np.asarray(y_true), np.asarray(y_pred)] += 1  # repeated pairs count once
    return C


def cm_one_too_big(y_true, y_pred, K):
    C = np.zeros((K + 1, K + 1), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


# ======================================================================= the battery
BATTERY = {
    "check_df_dt": {
        "right": [dfdt_paths, dfdt_row_times_column, dfdt_sympy, dfdt_factored, dfdt_0d_array],
        "wrong": [
            (dfdt_sign, "sign"),
            (dfdt_one_path, "missing_path"),
            (dfdt_no_inner, "forgot_inner_derivative"),
            (dfdt_partials_at_t, "wrong_point"),
            (dfdt_multiplied, "terms_not_added"),
            (dfdt_no_return, "not_a_result"),
            (dfdt_extra_values, "not_a_result"),
            (dfdt_float32, "precision"),
            (dfdt_forgot_2_of_t2, None),
            (dfdt_sympy_expr, "not_a_result"),
        ],
    },
    "check_toy_partials": {
        "right": [toy_loop, toy_unrolled_lists, toy_with_value, toy_indicator_from_h],
        "wrong": [
            (toy_forgot_relu_prime, "forgot_sigma_prime"),
            (toy_no_factor_2, "missing_factor_2"),
            (toy_sign, "sign"),
            (toy_relu_for_prime, "f_for_df"),
            (toy_prime_at_next, "wrong_point"),
            (toy_not_chained, "not_chained"),
            (toy_stops_early, "stops_early"),
            (toy_output_for_input, "output_for_input"),
            (toy_swapped, "output_order"),
            (toy_descends_in_place, "modified_input"),
            (toy_reversed, "reversed_order"),
        ],
    },
    "check_least_squares_gradient": {
        "right": [lsq_matrix, lsq_loops, lsq_einsum, lsq_jacobians, lsq_float32_converted],
        "wrong": [
            (lsq_sign, "sign"),
            (lsq_no_2, "missing_factor_2"),
            (lsq_row, "jacobian_row"),
            (lsq_column, "column_not_flat"),
            (lsq_stopped_at_e, "stopped_at_dl_de"),
            (lsq_loss, "returned_loss"),
            (lsq_mean, "scale"),
            (lsq_float32, "precision"),
            (lsq_in_place, "modified_input"),
            (lsq_no_return, "not_a_result"),
            (lsq_phi_not_transposed, "transpose"),
        ],
    },
    "check_jacobian_ax_wrt_a": {
        "right": [jax_loops, jax_kron, jax_lists, jax_einsum],
        "wrong": [
            (jax_column_major, "column_major"),
            (jax_no_delta, "forgot_kronecker_delta"),
            (jax_tensor, "tensor_not_flat"),
            (jax_transposed, "transpose"),
            (jax_wrt_x, "wrt_x"),
            (jax_own_row, "own_row_only"),
            (jax_block_off_by_one, None),
            (jax_float32, "precision"),
            (jax_no_return, "not_a_result"),
            (jax_rows_of_a, None),
        ],
    },
    "check_layer_jacobian": {
        "right": [lj_diag, lj_broadcast, lj_loops, lj_einsum],
        "wrong": [
            (lj_wrong_order, "wrong_order"),
            (lj_transposed, "transpose"),
            (lj_no_prime, "forgot_sigma_prime"),
            (lj_f_for_df, "f_for_df"),
            (lj_prime_at_output, "wrong_point"),
            (lj_row_vector, "row_vector_not_diagonal"),
            (lj_always_tanh, "ignores_sigma"),
            (lj_one_minus_s2, "tanh_prime_of_s"),
            (lj_float32, "precision"),
            (lj_no_return, "not_a_result"),
        ],
    },
    "check_mlp_forward": {
        "right": [fw_loop, fw_per_sample, fw_einsum, fw_dot_columns],
        "wrong": [
            (fw_sigma_everywhere, "activation_on_output"),
            (fw_no_last_activation, "no_output_activation"),
            (fw_sigma_out_everywhere, "sigma_out_everywhere"),
            (fw_no_bias, "missing_bias"),
            (fw_bias_after, "bias_after_activation"),
            (fw_no_transpose, "transpose"),
            (fw_df, "df_for_f"),
            (fw_off_by_one, "stops_early"),
            (fw_samples_in_columns, "shapes_swapped"),
            (fw_sigma_called, "activation_not_callable"),
            (fw_no_return, "not_a_result"),
            (fw_returns_all, None),
        ],
    },
    "check_affine_collapse": {
        "right": [ac_loop, ac_dot_list, ac_homogeneous, ac_probe],
        "wrong": [
            (ac_swapped, "output_order"),
            (ac_no_alpha, "missing_alpha"),
            (ac_alpha_once, "alpha_once"),
            (ac_no_beta, "missing_beta"),
            (ac_bias_no_alpha, "bias_without_alpha"),
            (ac_prev_no_alpha, "b_prev_without_alpha"),
            (ac_beta_times_alpha, "beta_times_alpha"),
            (ac_transposed, "transpose"),
            (ac_skips_last, None),
            (ac_no_return, "not_a_result"),
            (ac_scales_weights_in_place, "modified_input"),
        ],
    },
    "check_layer_backward": {
        "right": [lb_package_like, lb_sample_loop, lb_einsum, lb_dot],
        "wrong": [
            (lb_no_prime, "forgot_sigma_prime"),
            (lb_f_for_df, "f_for_df"),
            (lb_from_output_of_s, "s_for_output"),
            (lb_prime_at_x, "wrong_point"),
            (lb_dw_swapped, "shapes_swapped"),
            (lb_w_transposed, "transpose"),
            (lb_averaged, "averaged_not_summed"),
            (lb_order, "output_order"),
            (lb_in_place, "modified_input"),
            (lb_db_not_summed, None),
        ],
    },
    "check_softmax_cross_entropy_gradient": {
        "right": [sm_shifted, sm_loops, sm_logsumexp, sm_package],
        "wrong": [
            (sm_no_mean, "scale"),
            (sm_overflow, "overflow"),
            (sm_no_onehot, "forgot_onehot"),
            (sm_axis0, "wrong_axis"),
            (sm_column_indexing, "onehot_indexing"),
            (sm_log_probs, "log_probabilities"),
            (sm_minus_one_everywhere, "onehot_everywhere"),
            (sm_sign, "sign"),
            (sm_shift_in_place, "modified_input"),
            (sm_float32, "precision"),
            (sm_no_return, "not_a_result"),
            (sm_over_K, "scale"),
        ],
    },
    "check_predict_labels": {
        "right": [pl_argmax, pl_list, pl_softmax_first, pl_argmin_negated, pl_argsort],
        "wrong": [
            (pl_axis0, "wrong_axis"),
            (pl_no_axis, "no_axis"),
            (pl_max, "max_not_argmax"),
            (pl_argmin, "argmin"),
            (pl_plus_one, "off_by_one"),
            (pl_probabilities, "probabilities"),
            (pl_floats, None),
            (pl_no_return, "not_a_result"),
        ],
    },
    "check_sgd_step": {
        "right": [sgd_loop, sgd_package, sgd_per_sample, sgd_copies_then_update],
        "wrong": [
            (sgd_in_place, "modified_input"),
            (sgd_uphill, "uphill"),
            (sgd_no_lr, "no_learning_rate"),
            (sgd_biases_kept, "biases_not_updated"),
            (sgd_identity_hidden_backward, "forgot_sigma_prime"),
            (sgd_updated_early, "updated_too_early"),
            (sgd_summed, "summed_loss"),
            (sgd_stops_early, "stops_early"),
            (sgd_tanh_output, "tanh_on_output"),
            (sgd_weights_only, None),
            (sgd_layers_reversed, None),
        ],
    },
    "check_confusion_matrix": {
        "right": [cm_loop, cm_add_at, cm_bincount, cm_lists, cm_histogram2d],
        "wrong": [
            (cm_transposed, "transpose"),
            (cm_overwrite, "overwrite_not_accumulate"),
            (cm_normalised, "normalised"),
            (cm_size_from_data, "size_from_data"),
            (cm_diagonal_only, "diagonal_only"),
            (cm_shifted, None),
            (cm_no_return, "not_a_result"),
            (cm_fancy_index, "overwrite_not_accumulate"),
            (cm_one_too_big, None),
        ],
    },
}


def test_battery_sizes():
    for check, entry in BATTERY.items():
        assert check in CHECKS
        assert len(entry["right"]) >= 3, check
        assert len(entry["wrong"]) >= 6, check


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
