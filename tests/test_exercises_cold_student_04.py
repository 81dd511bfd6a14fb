"""A cold student's battery for notebook 04 (back-propagation), Exercises 4.1-4.4.

Written independently of the course's own battery: right answers in styles other than the
obvious one, and wrong answers of the kinds students write, each with the diagnosis key the
student expected from the check's docstring *before* running it (None when no documented key
describes the mistake).
The findings of the first run (answers named otherwise than expected, or accepted) were
fixed in the checks; none is left marked. The harness is tests/battery.py.
"""

import math

import numpy as np
import pytest

from bpcourse import losses
from tests.battery import assert_accepted, assert_rejected, right_params, wrong_params

# ---------------------------------------------------------------------------------------------
# Exercise 4.1: layer_backward(dl_dx, s, x_prev, w, sigma) -> (dl_dx_prev, dl_dw, dl_db)
# ---------------------------------------------------------------------------------------------


def lb_per_sample_loop(dl_dx, s, x_prev, w, sigma):
    N = dl_dx.shape[0]
    dl_dw = np.zeros(w.shape)
    dl_db = np.zeros(w.shape[0])
    dl_dx_prev = np.zeros(x_prev.shape)
    for n in range(N):
        g = dl_dx[n] * sigma.df(s[n])  # (D_l,)
        dl_dw += np.outer(g, x_prev[n])  # (D_l, D_{l-1})
        dl_db += g
        dl_dx_prev[n] = w.T @ g  # (D_{l-1},)
    return dl_dx_prev, dl_dw, dl_db


def lb_einsum(dl_dx, s, x_prev, w, sigma):
    g = np.einsum("nd,nd->nd", dl_dx, sigma.df(s))
    return (
        np.einsum("nd,dk->nk", g, w),
        np.einsum("nd,nk->dk", g, x_prev),
        np.einsum("nd->d", g),
    )


def lb_np_dot(dl_dx, s, x_prev, w, sigma):
    g = np.multiply(dl_dx, sigma.df(s))
    return np.dot(g, w), np.dot(g.T, x_prev), np.dot(np.ones(len(g)), g)


def lb_entry_loops(dl_dx, s, x_prev, w, sigma):
    N, Dl = dl_dx.shape
    Dp = x_prev.shape[1]
    ds = sigma.df(s)
    g = [[dl_dx[n, i] * ds[n, i] for i in range(Dl)] for n in range(N)]
    dw = [[sum(g[n][i] * x_prev[n, j] for n in range(N)) for j in range(Dp)] for i in range(Dl)]
    db = [sum(g[n][i] for n in range(N)) for i in range(Dl)]
    dx = [[sum(g[n][i] * w[i, j] for i in range(Dl)) for j in range(Dp)] for n in range(N)]
    return np.array(dx), np.array(dw), np.array(db)


# wrong ones
def lb_forgot_return(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    dl_dw = dl_ds.T @ x_prev  # noqa: F841
    dl_db = dl_ds.sum(axis=0)  # noqa: F841
    dl_dx_prev = dl_ds @ w  # noqa: F841


def lb_f_for_df(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.f(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_one_minus_s_squared(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * (1 - s**2)  # tanh' "is 1 - x^2"
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_forgot_sigma_prime(dl_dx, s, x_prev, w, sigma):
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_df_at_output(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(sigma.f(s))
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_bias_mean(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.mean(axis=0)


def lb_one_over_n_twice(dl_dx, s, x_prev, w, sigma):
    N = len(s)
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev / N, dl_ds.sum(axis=0) / N


def lb_extra_n_on_ds(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s) / len(s)  # "the loss is a mean": 1/N again
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_overwrite_in_loop(dl_dx, s, x_prev, w, sigma):
    dl_dw = np.zeros(w.shape)
    dl_db = np.zeros(w.shape[0])
    dl_dx_prev = np.zeros(x_prev.shape)
    for n in range(len(s)):
        g = dl_dx[n] * sigma.df(s[n])
        dl_dw = np.outer(g, x_prev[n])  # '=' where '+=' belongs
        dl_db = g
        dl_dx_prev[n] = g @ w
    return dl_dx_prev, dl_dw, dl_db


def lb_wrong_order(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds.T @ x_prev, dl_ds.sum(axis=0), dl_ds @ w


def lb_in_place(dl_dx, s, x_prev, w, sigma):
    dl_dx *= sigma.df(s)  # changes the caller's array
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_w_transposed(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w.T, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_dw_shapes_swapped(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, x_prev.T @ dl_ds, dl_ds.sum(axis=0)


def lb_bias_wrong_axis(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=1)


def lb_uses_dl_dx_for_prev(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_dx @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)  # sigma' forgotten in dl_dx_prev only


# ---------------------------------------------------------------------------------------------
# Exercise 4.2: backward_pass(weights, s, x, Y, sigma) -> (grad_w, grad_b)
# ---------------------------------------------------------------------------------------------


def _layer(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def bp_inline_insert(weights, s, x, Y, sigma):
    L = len(weights)
    g = 2 * (x[-1] - Y) / Y.shape[0]
    grad_w, grad_b = [], []
    for l in reversed(range(1, L + 1)):
        g_s = g * sigma.df(s[l])
        grad_w.insert(0, g_s.T @ x[l - 1])
        grad_b.insert(0, g_s.sum(axis=0))
        g = g_s @ weights[l - 1]
    return grad_w, grad_b


def bp_per_sample(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    grad_w = [np.zeros(w.shape) for w in weights]
    grad_b = [np.zeros(w.shape[0]) for w in weights]
    for n in range(N):
        g = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            g_s = g * sigma.df(s[l][n])
            grad_w[l - 1] += np.outer(g_s, x[l - 1][n])
            grad_b[l - 1] += g_s
            g = weights[l - 1].T @ g_s
    return grad_w, grad_b


def bp_tuples_via_mse(weights, s, x, Y, sigma):
    _, g = losses.mse(x[len(weights)], Y)
    out_w, out_b = [], []
    l = len(weights)
    while l >= 1:
        g, gw, gb = _layer(g, s[l], x[l - 1], weights[l - 1], sigma)
        out_w.append(gw)
        out_b.append(gb)
        l -= 1
    return tuple(out_w[::-1]), tuple(out_b[::-1])


def bp_einsum(weights, s, x, Y, sigma):
    L = len(weights)
    g = np.einsum("nd->nd", 2.0 * (x[L] - Y)) / len(Y)
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        g_s = np.einsum("nd,nd->nd", g, sigma.df(s[l]))
        grad_w[l - 1] = np.einsum("nd,nk->dk", g_s, x[l - 1])
        grad_b[l - 1] = np.einsum("nd->d", g_s)
        g = np.einsum("nd,dk->nk", g_s, weights[l - 1])
    return grad_w, grad_b


# wrong ones
def _bp_generic(weights, s, x, Y, sigma, top, layer=_layer, stop=0):
    L = len(weights)
    g = top
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, stop, -1):
        g, grad_w[l - 1], grad_b[l - 1] = layer(g, s[l], x[l - 1], weights[l - 1], sigma)
    return grad_w, grad_b


def bp_missing_1_over_n(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, 2 * (x[-1] - Y))


def bp_stops_early(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, 2 * (x[-1] - Y) / len(Y), stop=1)


def bp_forgot_sigma_prime(weights, s, x, Y, sigma):
    return _bp_generic(
        weights, s, x, Y, sigma, 2 * (x[-1] - Y) / len(Y), layer=lb_forgot_sigma_prime
    )


def bp_f_for_df(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, 2 * (x[-1] - Y) / len(Y), layer=lb_f_for_df)


def bp_one_minus_s_squared(weights, s, x, Y, sigma):
    return _bp_generic(
        weights, s, x, Y, sigma, 2 * (x[-1] - Y) / len(Y), layer=lb_one_minus_s_squared
    )


def bp_df_at_output(weights, s, x, Y, sigma):
    L = len(weights)
    g = 2 * (x[L] - Y) / len(Y)
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        g_s = g * sigma.df(x[l])  # sigma' at x(l) where s(l) belongs
        grad_w[l - 1], grad_b[l - 1] = g_s.T @ x[l - 1], g_s.sum(axis=0)
        g = g_s @ weights[l - 1]
    return grad_w, grad_b


def bp_off_by_one_x(weights, s, x, Y, sigma):
    L = len(weights)
    g = 2 * (x[L] - Y) / len(Y)
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        g_s = g * sigma.df(s[l])
        grad_w[l - 1] = g_s.T @ x[l]  # x[l] where x[l-1] belongs
        grad_b[l - 1] = g_s.sum(axis=0)
        g = g_s @ weights[l - 1]
    return grad_w, grad_b


def bp_returns_b_then_w(weights, s, x, Y, sigma):
    grad_w, grad_b = _bp_generic(weights, s, x, Y, sigma, 2 * (x[-1] - Y) / len(Y))
    return grad_b, grad_w


def bp_layers_top_first(weights, s, x, Y, sigma):
    L = len(weights)
    g = 2 * (x[L] - Y) / len(Y)
    grad_w, grad_b = [], []
    for l in range(L, 0, -1):
        g, gw, gb = _layer(g, s[l], x[l - 1], weights[l - 1], sigma)
        grad_w.append(gw)  # layer L first, never reversed
        grad_b.append(gb)
    return grad_w, grad_b


def bp_one_over_n_twice(weights, s, x, Y, sigma):
    _, g = losses.mse(x[-1], Y)
    return _bp_generic(weights, s, x, Y, sigma, g / len(Y))


def bp_mean_over_all_entries(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, 2 * (x[-1] - Y) / Y.size)


def bp_half_mse(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, (x[-1] - Y) / len(Y))  # the 1/2 convention


def bp_sign(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, 2 * (Y - x[-1]) / len(Y))


def bp_in_place_output(weights, s, x, Y, sigma):
    g = x[-1]
    g -= Y  # changes x[L] in the caller's list
    g *= 2 / len(Y)
    return _bp_generic(weights, s, x, Y, sigma, g)


def bp_overwrite_per_sample(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    grad_w = [np.zeros(w.shape) for w in weights]
    grad_b = [np.zeros(w.shape[0]) for w in weights]
    for n in range(N):
        g = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            g_s = g * sigma.df(s[l][n])
            grad_w[l - 1] = np.outer(g_s, x[l - 1][n])  # '=' where '+=' belongs
            grad_b[l - 1] = g_s
            g = weights[l - 1].T @ g_s
    return grad_w, grad_b


# ---------------------------------------------------------------------------------------------
# Exercise 4.3: dC/dW_12^(2) (CSC311, scalars), W[m], z[m], a[m], t
# ---------------------------------------------------------------------------------------------


def w12_from_outputs(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)  # tanh' = 1 - a^2
    return float(d3 * W[3][0][0] * (1 - a[2][0] ** 2) * a[1][1])


def w12_math(W, z, a, t):
    out = math.tanh(float(z[3][0]))
    h = math.tanh(float(z[2][0]))
    dC_da3 = 2.0 * (out - float(t))
    return dC_da3 * (1.0 - out * out) * float(W[3][0][0]) * (1.0 - h * h) * float(a[1][1])


def w12_path_product(W, z, a, t):
    factors = [
        2 * (a[3][0] - t),  # dC/da3
        1 - np.tanh(z[3][0]) ** 2,  # da3/dz3
        W[3][0][0],  # dz3/da2_1
        1 - np.tanh(z[2][0]) ** 2,  # da2_1/dz2_1
        a[1][1],  # dz2_1/dW2_12
    ]
    return float(np.prod(factors))


# wrong ones
def _tp(v):
    return 1 - np.tanh(v) ** 2


def w12_index_order(W, z, a, t):  # W_21
    return float(2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][1] * _tp(z[2][1]) * a[1][0])


def w12_one_based(W, z, a, t):
    return float(2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][1] * _tp(z[2][1]) * a[1][2])


def w12_forgot_hidden_sigma_prime(W, z, a, t):
    return float(2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][0] * a[1][1])


def w12_forgot_output_sigma_prime(W, z, a, t):
    return float(2 * (a[3][0] - t) * W[3][0][0] * _tp(z[2][0]) * a[1][1])


def w12_no_factor_2(W, z, a, t):
    return float((a[3][0] - t) * _tp(z[3][0]) * W[3][0][0] * _tp(z[2][0]) * a[1][1])


def w12_sign(W, z, a, t):
    return float(2 * (t - a[3][0]) * _tp(z[3][0]) * W[3][0][0] * _tp(z[2][0]) * a[1][1])


def w12_forgot_return(W, z, a, t):
    result = 2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][0] * _tp(z[2][0]) * a[1][1]  # noqa: F841


def w12_array_of_one(W, z, a, t):
    return 2 * (a[3] - t) * _tp(z[3]) * W[3][0][0] * _tp(z[2][0]) * a[1][1]  # shape (1,)


def w12_one_minus_z_squared(W, z, a, t):
    return float(2 * (a[3][0] - t) * (1 - z[3][0] ** 2) * W[3][0][0] * (1 - z[2][0] ** 2) * a[1][1])


def w12_sigma_prime_wrong_unit(W, z, a, t):
    return float(2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][0] * _tp(z[2][1]) * a[1][1])


def w12_a_of_wrong_layer(W, z, a, t):
    return float(2 * (a[3][0] - t) * _tp(z[3][0]) * W[3][0][0] * _tp(z[2][0]) * a[2][1])


def w12_tanh_prime_no_square(W, z, a, t):
    return float(
        2 * (a[3][0] - t) * (1 - np.tanh(z[3][0])) * W[3][0][0] * (1 - np.tanh(z[2][0])) * a[1][1]
    )


# ---------------------------------------------------------------------------------------------
# Exercise 4.4: dC/dW_23^(1)
# ---------------------------------------------------------------------------------------------


def w23_np_dot(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    d2 = d3 * W[3][0] * (1 - a[2] ** 2)  # every dC/dz2_i, (D_2,)
    return float(np.dot(d2, W[2][:, 1]) * (1 - a[1][1] ** 2) * a[0][2])


def w23_generator(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * _tp(z[3][0])
    dC_da1_2 = sum(d3 * W[3][0][i] * _tp(z[2][i]) * W[2][i][1] for i in range(len(z[2])))
    return float(dC_da1_2 * _tp(z[1][1]) * a[0][2])


def w23_math_loop(W, z, a, t):
    out = math.tanh(float(z[3][0]))
    d3 = 2.0 * (out - float(t)) * (1.0 - out * out)
    total = 0.0
    for i, z2 in enumerate(z[2]):
        h = math.tanh(float(z2))
        total += d3 * float(W[3][0][i]) * (1.0 - h * h) * float(W[2][i, 1])
    h1 = math.tanh(float(z[1][1]))
    return total * (1.0 - h1 * h1) * float(a[0][2])


# wrong ones
def _w23(W, z, a, t, unit=1, inp=2, col=True, hidden_sp=True, first_sp=True, factor=2.0):
    d3 = factor * (a[3][0] - t) * _tp(z[3][0])
    total = 0.0
    for i in range(len(z[2])):
        w = W[2][i, unit] if col else W[2][unit, i]
        total += d3 * W[3][0][i] * (_tp(z[2][i]) if hidden_sp else 1.0) * w
    return float(total * (_tp(z[1][unit]) if first_sp else 1.0) * a[0][inp])


def w23_index_order(W, z, a, t):  # W_32
    return _w23(W, z, a, t, unit=2, inp=1)


def w23_one_based(W, z, a, t):
    return _w23(W, z, a, t, unit=2, inp=3)


def w23_one_path_only(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * _tp(z[3][0])
    return float(d3 * W[3][0][1] * _tp(z[2][1]) * W[2][1, 1] * _tp(z[1][1]) * a[0][2])


def w23_row_not_column(W, z, a, t):
    return _w23(W, z, a, t, col=False)


def w23_forgot_first_sigma_prime(W, z, a, t):
    return _w23(W, z, a, t, first_sp=False)


def w23_forgot_hidden_sigma_prime(W, z, a, t):
    return _w23(W, z, a, t, hidden_sp=False)


def w23_sign(W, z, a, t):
    return -_w23(W, z, a, t)


def w23_overwrite_in_loop(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * _tp(z[3][0])
    total = 0.0
    for i in range(len(z[2])):
        total = d3 * W[3][0][i] * _tp(z[2][i]) * W[2][i, 1]  # '=' where '+=' belongs
    return float(total * _tp(z[1][1]) * a[0][2])


def w23_forgot_return(W, z, a, t):
    _w23(W, z, a, t)


def w23_mean_of_paths(W, z, a, t):
    return _w23(W, z, a, t) / len(z[2])


def w23_no_factor_2(W, z, a, t):
    return _w23(W, z, a, t, factor=1.0)


def w23_input_from_wrong_layer(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * _tp(z[3][0])
    total = sum(d3 * W[3][0][i] * _tp(z[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return float(total * _tp(z[1][1]) * a[1][2])  # a[1] where a[0] belongs


# ---------------------------------------------------------------------------------------------

BATTERY = {
    "check_layer_backward": {
        "right": [lb_per_sample_loop, lb_einsum, lb_np_dot, lb_entry_loops],
        "wrong": [
            (lb_forgot_return, "not_a_result"),
            (lb_f_for_df, "f_for_df"),
            (lb_one_minus_s_squared, "s_for_output"),
            (lb_forgot_sigma_prime, "forgot_sigma_prime"),
            (lb_df_at_output, "wrong_point"),
            (lb_bias_mean, "averaged_not_summed"),
            # expected extra_1_over_n at first; the review judged the check's message right:
            # "the message is correct (dividing the sums by N is averaging)"
            (lb_one_over_n_twice, "averaged_not_summed"),
            (lb_extra_n_on_ds, "extra_1_over_n"),
            (lb_overwrite_in_loop, "overwrite_not_accumulate"),
            (lb_wrong_order, "output_order"),
            (lb_in_place, "modified_input"),
            (lb_w_transposed, "transpose"),
            (lb_dw_shapes_swapped, "shapes_swapped"),
            (lb_bias_wrong_axis, None),
            (lb_uses_dl_dx_for_prev, None),
        ],
    },
    "check_backward_pass": {
        "right": [bp_inline_insert, bp_per_sample, bp_tuples_via_mse, bp_einsum],
        "wrong": [
            (bp_missing_1_over_n, "missing_1_over_n"),
            (bp_stops_early, "stops_early"),
            (bp_forgot_sigma_prime, "forgot_sigma_prime"),
            (bp_f_for_df, "f_for_df"),
            (bp_one_minus_s_squared, "s_for_output"),
            (bp_df_at_output, "wrong_point"),
            (bp_off_by_one_x, "off_by_one"),
            (bp_returns_b_then_w, "output_order"),
            (bp_layers_top_first, "layer_order"),
            (bp_one_over_n_twice, "scale"),
            (bp_mean_over_all_entries, "scale"),
            (bp_half_mse, "scale"),
            (bp_sign, "sign"),
            (bp_in_place_output, "modified_input"),
            (bp_overwrite_per_sample, "overwrite_not_accumulate"),
        ],
    },
    "check_dC_dW2_12": {
        "right": [w12_from_outputs, w12_math, w12_path_product],
        "wrong": [
            (w12_index_order, "index_order"),
            (w12_one_based, "one_based_indices"),
            (w12_forgot_hidden_sigma_prime, "forgot_sigma_prime"),
            (w12_forgot_output_sigma_prime, "forgot_sigma_prime"),
            (w12_no_factor_2, "scale"),
            (w12_sign, "sign"),
            (w12_forgot_return, "not_a_result"),
            (w12_array_of_one, "not_a_result"),
            (w12_one_minus_z_squared, None),
            (w12_sigma_prime_wrong_unit, None),
            (w12_a_of_wrong_layer, None),
            (w12_tanh_prime_no_square, None),
        ],
    },
    "check_dC_dW1_23": {
        "right": [w23_np_dot, w23_generator, w23_math_loop],
        "wrong": [
            (w23_index_order, "index_order"),
            (w23_one_based, "one_based_indices"),
            (w23_one_path_only, "one_path_only"),
            (w23_row_not_column, "transpose"),
            (w23_forgot_first_sigma_prime, "forgot_sigma_prime"),
            (w23_forgot_hidden_sigma_prime, "forgot_sigma_prime"),
            (w23_sign, "sign"),
            (w23_overwrite_in_loop, "one_path_only"),
            (w23_forgot_return, "not_a_result"),
            (w23_mean_of_paths, "scale"),
            (w23_no_factor_2, "scale"),
            (w23_input_from_wrong_layer, None),
        ],
    },
}


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
