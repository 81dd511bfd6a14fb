"""Tests of the checks of notebook 04's exercises (bpcourse.exercises.backpropagation).

The answers below are written the way students write them (loops, np.dot, einsum, float32,
lists, a forgotten return, an off-by-one loop, ...), independently of the module's own
`Mistake` functions. BATTERY lists, per check, right answers in several styles (they must pass)
and wrong ones with the diagnosis they must get. The references are compared with finite
differences and with `MLP.gradients`, never with values they produced themselves.
"""

import re

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.activations import relu, sigmoid, tanh
from bpcourse.exercises import backpropagation as module
from bpcourse.exercises import (
    check_backward_pass,
    check_dC_dW1_23,
    check_dC_dW2_12,
    check_layer_backward,
)
from bpcourse.gradcheck import numerical_gradient, relative_error
from bpcourse.mlp import layer_backward as package_layer_backward


# ----- Exercise 4.1: one layer: right answers -------------------------------------------------
def layer_matrix(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def layer_one_sample_at_a_time(dl_dx, s, x_prev, w, sigma):
    """The column-vector equations, one sample at a time, summed."""
    dl_dw, dl_db = np.zeros_like(w), np.zeros(w.shape[0])
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(len(s)):
        dl_ds = dl_dx[n] * sigma.df(s[n])
        dl_dw += np.outer(dl_ds, x_prev[n])
        dl_db += dl_ds
        dl_dx_prev[n] = w.T @ dl_ds
    return dl_dx_prev, dl_dw, dl_db


def layer_einsum(dl_dx, s, x_prev, w, sigma):
    delta = np.multiply(dl_dx, sigma.df(s))
    return (
        np.einsum("nk,kj->nj", delta, w),
        np.einsum("nk,nj->kj", delta, x_prev),
        np.einsum("nk->k", delta),
    )


def layer_np_dot(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return np.dot(g, w), np.dot(np.transpose(g), x_prev), np.sum(g, 0)


def layer_triple_loop(dl_dx, s, x_prev, w, sigma):
    N, D_out, D_in = len(s), w.shape[0], w.shape[1]
    ds = sigma.df(s)
    dl_dx_prev, dl_dw, dl_db = np.zeros((N, D_in)), np.zeros((D_out, D_in)), np.zeros(D_out)
    for n in range(N):
        for i in range(D_out):
            g = dl_dx[n, i] * ds[n, i]
            dl_db[i] += g
            for j in range(D_in):
                dl_dw[i, j] += g * x_prev[n, j]
                dl_dx_prev[n, j] += g * w[i, j]
    return dl_dx_prev, dl_dw, dl_db


def layer_tuple_of_package(dl_dx, s, x_prev, w, sigma):
    return tuple(package_layer_backward(dl_dx, s, x_prev, w, sigma))


# ----- Exercise 4.1: wrong answers -------------------------------------------------------------
def layer_stub(dl_dx, s, x_prev, w, sigma):
    raise NotImplementedError("Exercise 4.1: ...")


def layer_no_sigma_prime(dl_dx, s, x_prev, w, sigma):
    return np.dot(dl_dx, w), np.dot(dl_dx.T, x_prev), np.sum(dl_dx, axis=0)


def layer_f_for_df(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.f(s)
    return d @ w, d.T @ x_prev, d.sum(0)


def layer_one_minus_s_squared(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * (1 - s**2)
    return d @ w, d.T @ x_prev, d.sum(0)


def layer_hard_coded_tanh(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * (1 - np.tanh(s) ** 2)
    return d @ w, d.T @ x_prev, d.sum(0)


def layer_df_at_output(dl_dx, s, x_prev, w, sigma):
    x = sigma.f(s)
    d = dl_dx * sigma.df(x)
    return d @ w, d.T @ x_prev, d.sum(0)


def layer_df_at_input(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(x_prev)
    return d @ w, d.T @ x_prev, d.sum(0)


def layer_dw_upside_down(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w, x_prev.T @ delta, delta.sum(0)


def layer_w_transposed(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w.T, delta.T @ x_prev, delta.sum(0)


def layer_means(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    n = delta.shape[0]
    return delta @ w, delta.T @ x_prev / n, delta.mean(axis=0)


def layer_bias_mean(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w, delta.T @ x_prev, np.mean(delta, axis=0)


def layer_divides_by_n(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s) / len(s)
    return delta @ w, delta.T @ x_prev, delta.sum(0)


def layer_sign(dl_dx, s, x_prev, w, sigma):
    delta = -dl_dx * sigma.df(s)
    return delta @ w, delta.T @ x_prev, delta.sum(0)


def layer_in_place(dl_dx, s, x_prev, w, sigma):
    dl_dx *= sigma.df(s)  # changes the caller's array
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(0)


def layer_wrong_order(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    return d.T @ x_prev, d.sum(0), d @ w


def layer_overwrites(dl_dx, s, x_prev, w, sigma):
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(len(s)):
        d = dl_dx[n] * sigma.df(s[n])
        dl_dw = np.outer(d, x_prev[n])  # = where += belongs
        dl_db = d
        dl_dx_prev[n] = w.T @ d
    return dl_dx_prev, dl_dw, dl_db


def layer_no_return(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    d @ w, d.T @ x_prev, d.sum(0)  # noqa: B018  (the forgotten return)


def layer_float32(dl_dx, s, x_prev, w, sigma):
    d = (dl_dx * sigma.df(s)).astype(np.float32)
    return d @ w.astype(np.float32), d.T @ x_prev.astype(np.float32), d.sum(0)


def layer_lists(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    return (d @ w).tolist(), (d.T @ x_prev).tolist(), d.sum(0).tolist()


def layer_prev_without_sigma_prime(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return dl_dx @ w, delta.T @ x_prev, delta.sum(0)


def layer_generator(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    return (v for v in (d @ w, d.T @ x_prev, d.sum(0)))


def layer_two_values(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    return d.T @ x_prev, d.sum(0)


def layer_bias_keepdims(dl_dx, s, x_prev, w, sigma):
    d = dl_dx * sigma.df(s)
    return d @ w, d.T @ x_prev, d.sum(axis=0, keepdims=True)


# ----- Exercise 4.2: the whole backward pass: right answers -----------------------------------
def backward_with_layers(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    dl_dx = 2.0 * (x[L] - Y) / N
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dl_dx, grad_w[l - 1], grad_b[l - 1] = package_layer_backward(
            dl_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return grad_w, grad_b


def backward_per_sample(weights, s, x, Y, sigma):
    """One sample at a time, accumulating with +=."""
    L, N = len(weights), len(Y)
    grad_w = [np.zeros_like(w) for w in weights]
    grad_b = [np.zeros(w.shape[0]) for w in weights]
    for n in range(N):
        dl_dx = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            dl_ds = dl_dx * sigma.df(s[l][n])
            grad_w[l - 1] += np.outer(dl_ds, x[l - 1][n])
            grad_b[l - 1] += dl_ds
            dl_dx = weights[l - 1].T @ dl_ds
    return grad_w, grad_b


def backward_insert_einsum(weights, s, x, Y, sigma):
    gw, gb = [], []
    d = 2 * (x[-1] - Y) / Y.shape[0]
    for l in reversed(range(1, len(x))):
        d = d * sigma.df(s[l])
        gw.insert(0, np.einsum("ni,nj->ij", d, x[l - 1]))
        gb.insert(0, d.sum(axis=0))
        d = np.dot(d, weights[l - 1])
    return tuple(gw), tuple(gb)


# ----- Exercise 4.2: wrong answers ---------------------------------------------------------
def backward_stub(weights, s, x, Y, sigma):
    raise NotImplementedError("Exercise 4.2: ...")


def _batch_backward(weights, s, x, dl_dx, sigma, use_sigma_prime, use_x, use_w):
    grad_w, grad_b = [], []
    for l in range(len(weights), 0, -1):
        dl_ds = dl_dx * sigma.df(s[l]) if use_sigma_prime(l) else dl_dx
        grad_w.insert(0, dl_ds.T @ use_x(l))
        grad_b.insert(0, dl_ds.sum(axis=0))
        dl_dx = dl_ds @ use_w(l)
    return grad_w, grad_b


def _usual(weights, s, x, dl_dx, sigma, **changes):
    use = {
        "use_sigma_prime": lambda l: True,
        "use_x": lambda l: x[l - 1],
        "use_w": lambda l: weights[l - 1],
    }
    use.update(changes)
    return _batch_backward(weights, s, x, dl_dx, sigma, **use)


def backward_sum_not_mean(weights, s, x, Y, sigma):
    return _usual(weights, s, x, 2 * (x[-1] - Y), sigma)


def backward_mean_over_entries(weights, s, x, Y, sigma):
    # np.mean((x - Y)**2) differentiated: a 1/(N D_L) where the course has 1/N
    return _usual(weights, s, x, 2 * (x[-1] - Y) / Y.size, sigma)


def backward_one_over_n_twice(weights, s, x, Y, sigma):
    N = len(Y)
    grad_w, grad_b = _usual(weights, s, x, 2 * (x[-1] - Y) / N, sigma)
    return [g / N for g in grad_w], [g / N for g in grad_b]


def backward_no_sigma_prime(weights, s, x, Y, sigma):
    return _usual(weights, s, x, 2 * (x[-1] - Y) / len(Y), sigma, use_sigma_prime=lambda l: False)


def backward_output_is_linear(weights, s, x, Y, sigma):
    L = len(weights)
    return _usual(weights, s, x, 2 * (x[-1] - Y) / len(Y), sigma, use_sigma_prime=lambda l: l < L)


def backward_overwrites(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    grad_w, grad_b = [None] * L, [None] * L
    for n in range(N):
        dl_dx = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            dl_ds = dl_dx * sigma.df(s[l][n])
            grad_w[l - 1] = np.outer(dl_ds, x[l - 1][n])  # = where += belongs
            grad_b[l - 1] = dl_ds
            dl_dx = weights[l - 1].T @ dl_ds
    return grad_w, grad_b


def backward_off_by_one(weights, s, x, Y, sigma):
    return _usual(weights, s, x, 2 * (x[-1] - Y) / len(Y), sigma, use_x=lambda l: x[l])


def backward_appended(weights, s, x, Y, sigma):
    grad_w, grad_b = [], []
    dl_dx = 2 * (x[-1] - Y) / len(Y)
    for l in reversed(range(1, len(weights) + 1)):
        dl_ds = dl_dx * sigma.df(s[l])
        grad_w.append(dl_ds.T @ x[l - 1])
        grad_b.append(dl_ds.sum(axis=0))
        dl_dx = dl_ds @ weights[l - 1]
    return grad_w, grad_b


def backward_w_transposed(weights, s, x, Y, sigma):
    return _usual(weights, s, x, 2 * (x[-1] - Y) / len(Y), sigma, use_w=lambda l: weights[l - 1].T)


def backward_dw_upside_down(weights, s, x, Y, sigma):
    grad_w, grad_b = [], []
    dl_dx = 2 * (x[-1] - Y) / len(Y)
    for l in range(len(weights), 0, -1):
        dl_ds = dl_dx * sigma.df(s[l])
        grad_w.insert(0, x[l - 1].T @ dl_ds)
        grad_b.insert(0, dl_ds.sum(axis=0))
        dl_dx = dl_ds @ weights[l - 1]
    return grad_w, grad_b


def backward_target_minus_output(weights, s, x, Y, sigma):
    return _usual(weights, s, x, 2 * (Y - x[-1]) / len(Y), sigma)


def backward_stops_early_none(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    dl_dx = 2.0 * (x[L] - Y) / N
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 1, -1):  # never reaches layer 1
        dl_dx, grad_w[l - 1], grad_b[l - 1] = package_layer_backward(
            dl_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return grad_w, grad_b


def backward_stops_early_zeros(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    grad_w = [np.zeros_like(w) for w in weights]
    grad_b = [np.zeros(len(w)) for w in weights]
    dl_dx = 2.0 * (x[L] - Y) / N
    for l in range(L, 1, -1):
        d = dl_dx * sigma.df(s[l])
        grad_w[l - 1], grad_b[l - 1] = d.T @ x[l - 1], d.sum(0)
        dl_dx = d @ weights[l - 1]
    return grad_w, grad_b


def backward_f_for_df(weights, s, x, Y, sigma):
    L = len(weights)
    d = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = d * sigma.f(s[l])
        gw[l - 1], gb[l - 1] = d.T @ x[l - 1], d.sum(0)
        d = d @ weights[l - 1]
    return gw, gb


def backward_df_at_x(weights, s, x, Y, sigma):
    L = len(weights)
    d = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = d * sigma.df(x[l])
        gw[l - 1], gb[l - 1] = d.T @ x[l - 1], d.sum(0)
        d = d @ weights[l - 1]
    return gw, gb


def backward_one_minus_s_squared(weights, s, x, Y, sigma):
    L = len(weights)
    d = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = d * (1 - s[l] ** 2)
        gw[l - 1], gb[l - 1] = d.T @ x[l - 1], d.sum(0)
        d = d @ weights[l - 1]
    return gw, gb


def backward_in_place(weights, s, x, Y, sigma):
    L = len(weights)
    x[L] -= Y  # changes the caller's forward pass
    d = 2 * x[L] / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = d * sigma.df(s[l])
        gw[l - 1], gb[l - 1] = d.T @ x[l - 1], d.sum(0)
        d = d @ weights[l - 1]
    return gw, gb


def backward_swapped(weights, s, x, Y, sigma):
    grad_w, grad_b = backward_with_layers(weights, s, x, Y, sigma)
    return grad_b, grad_w


def backward_no_return(weights, s, x, Y, sigma):
    backward_with_layers(weights, s, x, Y, sigma)


# ----- Exercises 4.3 and 4.4: CSC311 ---------------------------------------------------------
def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def w2_12_scalar(W, z, a, t):
    """Written as on CSC311's slide, with 0-based Python indices."""
    dC_da3 = 2 * (a[3][0] - t)
    dC_dz3 = dC_da3 * tanh_prime(z[3][0])
    dC_dz2_1 = dC_dz3 * W[3][0, 0] * tanh_prime(z[2][0])
    return dC_dz2_1 * a[1][1]


def w2_12_math(W, z, a, t):
    import math

    d3 = 2.0 * (float(a[3][0]) - t) * (1 - math.tanh(float(z[3][0])) ** 2)
    return float(d3 * W[3][0][0] * (1 - math.tanh(float(z[2][0])) ** 2) * a[1][1])


def w2_12_from_a(W, z, a, t):
    # tanh' written with the outputs a = tanh(z)
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w2_stub(W, z, a, t):
    raise NotImplementedError("Exercise 4.3: ...")


def w2_21(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return dC_dz3 * W[3][0, 1] * tanh_prime(z[2][1]) * a[1][0]


def w2_literal_indices(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return dC_dz3 * W[3][0, 1] * tanh_prime(z[2][1]) * a[1][2]


def w2_no_output_derivative(W, z, a, t):
    return 2 * (a[3][0] - t) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def w2_no_hidden_derivative(W, z, a, t):
    return 2 * (a[3][0] - t) * tanh_prime(z[3][0]) * W[3][0, 0] * a[1][1]


def w2_t_minus_a(W, z, a, t):
    return 2 * (t - a[3][0]) * tanh_prime(z[3][0]) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def w2_half(W, z, a, t):
    return (a[3][0] - t) * tanh_prime(z[3][0]) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def w2_no_return(W, z, a, t):
    w2_12_scalar(W, z, a, t)


def w2_one_entry_array(W, z, a, t):
    return np.array([w2_12_scalar(W, z, a, t)])


def _dC_dz2(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return [dC_dz3 * W[3][0, i] * tanh_prime(z[2][i]) for i in range(len(z[2]))]


def w1_23_scalar(W, z, a, t):
    """Sum over the units i of layer 2, then sigma^(1)' and a_3^(0)."""
    d2 = _dC_dz2(W, z, a, t)
    total = 0.0
    for i in range(len(d2)):
        total += d2[i] * W[2][i, 1]
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_23_dot(W, z, a, t):
    d2 = np.array(_dC_dz2(W, z, a, t))
    return float(np.dot(d2, W[2][:, 1]) * (1 - a[1][1] ** 2) * a[0][2])


def w1_23_sum_generator(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i][1] for i in range(len(d2))) * tanh_prime(z[1][1]) * a[0][2]


def w1_32(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 2] for i in range(len(d2))) * tanh_prime(z[1][2]) * a[0][1]


def w1_literal_indices(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 2] for i in range(len(d2))) * tanh_prime(z[1][2]) * a[0][3]


def w1_single_chain(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return d2[1] * W[2][1, 1] * tanh_prime(z[1][1]) * a[0][2]


def w1_row_of_W2(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][1, i] for i in range(len(d2))) * tanh_prime(z[1][1]) * a[0][2]


def w1_no_first_layer_derivative(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 1] for i in range(len(d2))) * a[0][2]


def w1_no_middle_derivative(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    total = sum(d3 * W[3][0, i] * W[2][i, 1] for i in range(len(z[2])))
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_sign(W, z, a, t):
    return -w1_23_scalar(W, z, a, t)


def w1_generator(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return (d2[i] * W[2][i, 1] * tanh_prime(z[1][1]) * a[0][2] for i in range(len(d2)))


def w1_no_return(W, z, a, t):
    w1_23_scalar(W, z, a, t)


# more wrong answers for 4.3, one slip each, as a student writes them
def _w2_path(W, z, a, t, d3=None, d2=None, weight=None, last=None):
    """2 (a3 - t) tanh3' w3 tanh2' a1_2, with any one factor replaced."""
    d3 = tanh_prime(z[3][0]) if d3 is None else d3
    d2 = tanh_prime(z[2][0]) if d2 is None else d2
    weight = W[3][0, 0] if weight is None else weight
    last = a[1][1] if last is None else last
    return 2 * (a[3][0] - t) * d3 * weight * d2 * last


def w2_output_prime_from_z(W, z, a, t):
    return _w2_path(W, z, a, t, d3=1 - z[3][0] ** 2)  # 1 - z^2 in layer 3 only


def w2_tanh_for_prime(W, z, a, t):
    return _w2_path(W, z, a, t, d3=np.tanh(z[3][0]), d2=np.tanh(z[2][0]))


def w2_prime_of_a(W, z, a, t):
    return _w2_path(W, z, a, t, d3=tanh_prime(a[3][0]), d2=tanh_prime(a[2][0]))


def w2_prime_at_column_index(W, z, a, t):
    return _w2_path(W, z, a, t, d2=tanh_prime(z[2][1]))  # index 2 of W_12, 0-based


def w2_weight_of_unit_2(W, z, a, t):
    return _w2_path(W, z, a, t, weight=W[3][0, 1])


def w2_z_for_a(W, z, a, t):
    return _w2_path(W, z, a, t, last=z[1][1])


def w2_a_of_layer_2(W, z, a, t):
    return _w2_path(W, z, a, t, last=a[2][1])


def w2_input_unit_1(W, z, a, t):
    return _w2_path(W, z, a, t, last=a[1][0])


def w2_no_square(W, z, a, t):
    return _w2_path(W, z, a, t, d3=1 - np.tanh(z[3][0]), d2=1 - np.tanh(z[2][0]))


# more wrong answers for 4.4
def w1_overwrite(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    total = 0.0
    for i in range(len(d2)):
        total = d2[i] * W[2][i, 1]  # = where += belongs: the last path only
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_loop_from_1(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    total = sum(d2[i] * W[2][i, 1] for i in range(1, len(d2)))  # units counted from 1
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_loop_stops_early(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    total = sum(d2[i] * W[2][i, 1] for i in range(len(d2) - 1))
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_mean_of_paths(W, z, a, t):
    d2 = np.array(_dC_dz2(W, z, a, t))
    return float(np.mean(d2 * W[2][:, 1]) * tanh_prime(z[1][1]) * a[0][2])


def w1_prime_of_a(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * tanh_prime(a[3][0])
    total = sum(d3 * W[3][0, i] * tanh_prime(a[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return total * tanh_prime(a[1][1]) * a[0][2]


def w1_one_minus_z_squared(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * (1 - z[3][0] ** 2)
    total = sum(d3 * W[3][0, i] * (1 - z[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return total * (1 - z[1][1] ** 2) * a[0][2]


def w1_first_prime_at_column_index(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 1] for i in range(len(d2))) * tanh_prime(z[1][2]) * a[0][2]


def w1_wrong_entry_of_x(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 1] for i in range(len(d2))) * tanh_prime(z[1][1]) * a[0][1]


def w1_a1_for_x(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 1] for i in range(len(d2))) * tanh_prime(z[1][1]) * a[1][2]


def w1_list_of_terms(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return [d2[i] * W[2][i, 1] * tanh_prime(z[1][1]) * a[0][2] for i in range(len(d2))]


def layer_bias_other_axis(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, np.sum(dl_ds, axis=1)  # one entry per sample


def test_the_scalar_mistake_helper_without_changes_is_the_reference():
    for seed, (layer, i, j, ref) in [
        (45, (2, 0, 1, module.dC_dW2_12)),
        (46, (1, 1, 2, module.dC_dW1_23)),
    ]:
        for args in module._csc311_cases(seed)[0]:
            want = ref(*args)
            assert abs(module._csc311(*args, layer, i, j) - want) <= 1e-12 * abs(want)


BATTERY = {
    "check_layer_backward": {
        "right": [
            layer_matrix,
            layer_one_sample_at_a_time,
            layer_einsum,
            layer_np_dot,
            layer_triple_loop,
            layer_tuple_of_package,
        ],
        "wrong": [
            (layer_no_sigma_prime, "forgot_sigma_prime"),
            (layer_prev_without_sigma_prime, "forgot_sigma_prime"),
            (layer_f_for_df, "f_for_df"),
            (layer_one_minus_s_squared, "s_for_output"),
            (layer_hard_coded_tanh, "hard_coded_tanh"),
            (layer_df_at_output, "wrong_point"),
            (layer_df_at_input, "wrong_point"),
            (layer_dw_upside_down, "shapes_swapped"),
            (layer_w_transposed, "transpose"),
            (layer_means, "averaged_not_summed"),
            (layer_bias_mean, "averaged_not_summed"),
            (layer_divides_by_n, "extra_1_over_n"),
            (layer_sign, "sign"),
            (layer_in_place, "modified_input"),
            (layer_wrong_order, "output_order"),
            (layer_overwrites, "overwrite_not_accumulate"),
            (layer_no_return, "not_a_result"),
            (layer_float32, "precision"),
            (layer_lists, "not_a_result"),
            (layer_generator, "not_a_result"),
            (layer_two_values, "not_a_result"),
            # (N, 1)-shaped... a (1, D_l) bias: no detector; rejected with the value named
            (layer_bias_keepdims, "unknown"),
            (layer_bias_other_axis, "wrong_axis"),
        ],
    },
    "check_backward_pass": {
        "right": [backward_with_layers, backward_per_sample, backward_insert_einsum],
        "wrong": [
            (backward_sum_not_mean, "missing_1_over_n"),
            (backward_mean_over_entries, "scale"),
            (backward_one_over_n_twice, "scale"),
            (backward_no_sigma_prime, "forgot_sigma_prime"),
            (backward_output_is_linear, "forgot_sigma_prime"),
            (backward_f_for_df, "f_for_df"),
            (backward_df_at_x, "wrong_point"),
            (backward_one_minus_s_squared, "s_for_output"),
            (backward_overwrites, "overwrite_not_accumulate"),
            (backward_off_by_one, "off_by_one"),
            (backward_appended, "layer_order"),
            (backward_w_transposed, "transpose"),
            (backward_dw_upside_down, "shapes_swapped"),
            (backward_target_minus_output, "sign"),
            (backward_stops_early_none, "stops_early"),
            (backward_stops_early_zeros, "stops_early"),
            (backward_in_place, "modified_input"),
            (backward_swapped, "output_order"),
            (backward_no_return, "not_a_result"),
        ],
    },
    "check_dC_dW2_12": {
        "right": [w2_12_scalar, w2_12_math, w2_12_from_a],
        "wrong": [
            (w2_21, "index_order"),
            (w2_literal_indices, "one_based_indices"),
            (w2_no_output_derivative, "forgot_sigma_prime"),
            (w2_no_hidden_derivative, "forgot_sigma_prime"),
            (w2_t_minus_a, "sign"),
            (w2_half, "scale"),
            (w2_no_return, "not_a_result"),
            (w2_one_entry_array, "not_a_result"),
            (w2_output_prime_from_z, "s_for_output"),
            (w2_tanh_for_prime, "f_for_df"),
            (w2_prime_of_a, "wrong_point"),
            (w2_prime_at_column_index, "wrong_point"),
            (w2_weight_of_unit_2, "wrong_weight"),
            (w2_z_for_a, "z_for_a"),
            (w2_a_of_layer_2, "off_by_one"),
            (w2_input_unit_1, "wrong_input"),
            (w2_no_square, "wrong_derivative"),
        ],
    },
    "check_dC_dW1_23": {
        "right": [w1_23_scalar, w1_23_dot, w1_23_sum_generator],
        "wrong": [
            (w1_32, "index_order"),
            (w1_literal_indices, "one_based_indices"),
            (w1_single_chain, "one_path_only"),
            (w1_row_of_W2, "transpose"),
            (w1_no_first_layer_derivative, "forgot_sigma_prime"),
            (w1_no_middle_derivative, "forgot_sigma_prime"),
            (w1_sign, "sign"),
            (w1_generator, "not_a_result"),
            (w1_no_return, "not_a_result"),
            (w1_overwrite, "one_path_only"),
            (w1_loop_from_1, "missing_paths"),
            (w1_loop_stops_early, "missing_paths"),
            (w1_mean_of_paths, "scale"),
            (w1_prime_of_a, "wrong_point"),
            (w1_one_minus_z_squared, "s_for_output"),
            (w1_first_prime_at_column_index, "wrong_point"),
            (w1_wrong_entry_of_x, "wrong_input"),
            (w1_a1_for_x, "off_by_one"),
            (w1_list_of_terms, "not_a_result"),
        ],
    },
}

CHECKS = {
    "check_layer_backward": check_layer_backward,
    "check_backward_pass": check_backward_pass,
    "check_dC_dW2_12": check_dC_dW2_12,
    "check_dC_dW1_23": check_dC_dW1_23,
}
RIGHT = [(name, f) for name, entry in BATTERY.items() for f in entry["right"]]
WRONG = [(name, f, key) for name, entry in BATTERY.items() for f, key in entry["wrong"]]


def _id(value):
    return getattr(value, "__name__", str(value))


# ----- the battery --------------------------------------------------------------------------
def test_the_battery_is_large_enough():
    for entry in BATTERY.values():
        assert len(entry["right"]) >= 3
        assert len(entry["wrong"]) >= 8
        assert len({key for _, key in entry["wrong"]}) >= 6


@pytest.mark.parametrize(("name", "right"), RIGHT, ids=[f"{n}-{_id(f)}" for n, f in RIGHT])
def test_every_right_answer_passes(name, right):
    result = CHECKS[name](right)
    assert result.status == "correct", result.message
    assert result.function is right
    assert "using your" in repr(result.usable)


@pytest.mark.parametrize(
    ("name", "wrong", "key"), WRONG, ids=[f"{n}-{_id(f)}" for n, f, _ in WRONG]
)
def test_every_wrong_answer_is_rejected_and_named(name, wrong, key):
    result = CHECKS[name](wrong)
    assert result.status not in ("correct", "todo")
    assert result.diagnosis == key, result.message
    assert result.function is not wrong
    assert "using the reference" in repr(result.usable)
    # never the answer: no long decimal numbers, no arrays in the message
    assert not re.search(r"\d\.\d{3}", result.message), result.message
    assert "array([" not in result.message and "[[" not in result.message


@pytest.mark.parametrize(("name", "wrong", "key"), WRONG[::3], ids=lambda v: _id(v))
def test_a_verdict_never_changes_on_a_rerun(name, wrong, key):
    first, second = CHECKS[name](wrong), CHECKS[name](wrong)
    assert (first.status, first.diagnosis, first.message) == (
        second.status,
        second.diagnosis,
        second.message,
    )


def test_unnamed_mistakes_say_which_value_and_case():
    result = check_layer_backward(layer_bias_keepdims)
    assert result.status == "wrong"
    assert "dl_db" in result.message and "case 1" in result.message


def test_the_transpose_found_on_square_layers_says_so():
    result = check_layer_backward(layer_w_transposed)
    assert "not square" in result.message


def test_stubs_are_todo():
    assert check_layer_backward(layer_stub).status == "todo"
    assert check_backward_pass(backward_stub).status == "todo"
    assert check_dC_dW2_12(w2_stub).status == "todo"
    assert check_dC_dW1_23(w2_stub).status == "todo"


@pytest.mark.parametrize("check", list(CHECKS.values()), ids=list(CHECKS))
@pytest.mark.parametrize("value", [0.5, None, "layer_backward"])
def test_a_value_instead_of_a_function_is_named_not_raised(check, value):
    result = check(value)
    assert result.status == "error"
    assert result.diagnosis == "not_callable"


def test_backward_pass_that_calls_a_usable_layer_passes_while_4_1_is_wrong():
    used = check_layer_backward(layer_no_sigma_prime).usable  # the reference, 4.1 being wrong

    def backward_pass(weights, s, x, Y, sigma):
        L = len(weights)
        dl_dx = 2 * (x[L] - Y) / len(Y)
        grad_w, grad_b = [None] * L, [None] * L
        for l in range(L, 0, -1):
            dl_dx, grad_w[l - 1], grad_b[l - 1] = used(dl_dx, s[l], x[l - 1], weights[l - 1], sigma)
        return grad_w, grad_b

    assert not used.is_yours
    assert check_backward_pass(backward_pass).status == "correct"


# ----- the references, tested independently ----------------------------------------------------
@pytest.mark.parametrize("sigma", [tanh, sigmoid, relu], ids=lambda a: a.name)
def test_layer_reference_matches_finite_differences(sigma):
    # l = sum(G * sigma(x_prev w^T + b)) has dl/dx = G: an independent test of the answer
    rng = np.random.default_rng(7)
    x_prev, w, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    G = rng.normal(size=(5, 4))
    s = x_prev @ w.T + b
    assert np.min(np.abs(s)) > 1e-3  # away from ReLU's kink
    dl_dx_prev, dl_dw, dl_db = check_layer_backward(layer_stub).usable(G, s, x_prev, w, sigma)

    def loss(x_prev=x_prev, w=w, b=b):
        return float(np.sum(G * sigma.f(x_prev @ w.T + b)))

    assert relative_error(dl_dw, numerical_gradient(lambda v: loss(w=v), w.copy())) < 1e-7
    assert relative_error(dl_db, numerical_gradient(lambda v: loss(b=v), b.copy())) < 1e-7
    numeric = numerical_gradient(lambda v: loss(x_prev=v), x_prev.copy())
    assert relative_error(dl_dx_prev, numeric) < 1e-7


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_backward_reference_matches_the_package(activation):
    net = MLP([3, 5, 4, 2], activation=activation, output_activation=activation, seed=3)
    rng = np.random.default_rng(3)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    t = net.trace(X)
    sigma = {"tanh": tanh, "sigmoid": sigmoid, "relu": relu}[activation]
    grad_w, grad_b = check_backward_pass(backward_stub).usable(net.weights, t.s, t.x, Y, sigma)
    _, expected_w, expected_b = net.gradients(X, Y, loss="mse")
    for got, want in zip(grad_w + grad_b, expected_w + expected_b, strict=True):
        assert relative_error(got, want) < 1e-12


def test_the_cases_hold_a_dead_unit_non_square_layers_and_odd_batch_sizes():
    cases, sizes, _ = module._layer_cases([(6, 2, 3, relu, {"dead": True})], seed=0)
    s, size = cases[0][1], sizes[0]
    assert np.all(s[:, 0] < 0) and np.any(s[:, 1:] > 0)
    assert size["N"] not in (1, size["D_l"], size["D_(l-1)"])


@pytest.mark.parametrize("seed", [0, 1])
def test_csc311_references_match_the_package_gradients(seed):
    net = MLP([4, 3, 3, 1], activation="tanh", output_activation="tanh", seed=seed)
    rng = np.random.default_rng(seed)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    x, target = rng.normal(size=4), float(rng.normal())
    tr = net.trace(x)
    args = ([None, *net.weights], tr.s, tr.x, target)
    _, grad_w, _ = net.gradients(x[None, :], np.array([[target]]), loss="mse")
    w2 = check_dC_dW2_12(w2_stub).usable(*args)
    w1 = check_dC_dW1_23(w2_stub).usable(*args)
    assert abs(w2 - grad_w[1][0, 1]) <= 1e-12 * max(1.0, abs(w2))
    assert abs(w1 - grad_w[0][1, 2]) <= 1e-12 * max(1.0, abs(w1))
    assert abs(w2 - w2_12_scalar(*args)) <= 1e-12 * max(1.0, abs(w2))
