"""Answers to notebook 04's exercises (4.1-4.4), written the way students write them.

One battery for the notebook: the team's answers (tests/test_exercises_backpropagation.py), the
cold students' of 04 and of 09 (which asks for Exercise 4.1 again), who wrote theirs from the
student edition and the checks' public docstrings, never the checks' code, merged with
duplicates dropped; then answers written for the port, for its new cases (a batch of one sample,
inputs and gradients from 1e-6 to 1000, an identity layer, targets of +-1000), its new rules (a
call of the package's answer, finite differences) and its new diagnoses (one list reversed). The
older answers keep the argument name `dl_dx` their authors wrote; the prompt now says `dL_dx`.
Right answers in other styles must be accepted; each wrong answer must be rejected and, where a
key is given, named with it (None: rejected, the message says where it differs).
tests/test_exercise_batteries.py runs them; tools/exercise_battery.py reports on them.
"""

import math

import numpy as np

import bpcourse.exercises as _e
from bpcourse import MLP, losses
from bpcourse import mlp as bp_mlp
from bpcourse.activations import tanh
from bpcourse.gradcheck import numerical_gradient
from bpcourse.losses import mse

package_layer_backward = bp_mlp.layer_backward


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


def lb_bias_wrong_axis(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=1)


def lb_uses_dl_dx_for_prev(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_dx @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)  # sigma' forgotten in dl_dx_prev only


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


def _bp_generic(weights, s, x, Y, sigma, top, layer=_layer, stop=0):
    L = len(weights)
    g = top
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, stop, -1):
        g, grad_w[l - 1], grad_b[l - 1] = layer(g, s[l], x[l - 1], weights[l - 1], sigma)
    return grad_w, grad_b


def bp_one_over_n_twice(weights, s, x, Y, sigma):
    _, g = losses.mse(x[-1], Y)
    return _bp_generic(weights, s, x, Y, sigma, g / len(Y))


def bp_half_mse(weights, s, x, Y, sigma):
    return _bp_generic(weights, s, x, Y, sigma, (x[-1] - Y) / len(Y))  # the 1/2 convention


def bp_in_place_output(weights, s, x, Y, sigma):
    g = x[-1]
    g -= Y  # changes x[L] in the caller's list
    g *= 2 / len(Y)
    return _bp_generic(weights, s, x, Y, sigma, g)


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


def w23_mean_of_paths(W, z, a, t):
    return _w23(W, z, a, t) / len(z[2])


def w23_no_factor_2(W, z, a, t):
    return _w23(W, z, a, t, factor=1.0)


def w23_input_from_wrong_layer(W, z, a, t):
    d3 = 2 * (a[3][0] - t) * _tp(z[3][0])
    total = sum(d3 * W[3][0][i] * _tp(z[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return float(total * _tp(z[1][1]) * a[1][2])  # a[1] where a[0] belongs


def lb_sample_loop(dl_dx, s, x_prev, w, sigma):
    dl_dw, dl_db = np.zeros_like(w), np.zeros(w.shape[0])
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(s.shape[0]):
        g = dl_dx[n] * sigma.df(s[n])
        dl_dw += np.outer(g, x_prev[n])
        dl_db += g
        dl_dx_prev[n] = w.T @ g
    return dl_dx_prev, dl_dw, dl_db


def lb_dot(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return np.dot(g, w), np.dot(g.T, x_prev), np.dot(np.ones(len(g)), g)


def lb_from_output_of_s(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df_from_output(s)  # the "from the output" formula, fed s
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_db_not_summed(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, g.T @ x_prev, g


# ----- answers written for the port (the new cases, keys and rules), independently of the
# check's list of mistakes
def lb_df_from_output(dL_dx, s, x_prev, w, sigma):
    """sigma' read off the output x = sigma(s), as the training path does."""
    dL_ds = dL_dx * sigma.df_from_output(sigma.f(s))
    return dL_ds @ w, dL_ds.T @ x_prev, dL_ds.sum(axis=0)


def lb_matmul_calls(dL_dx, s, x_prev, w, sigma):
    dL_ds = np.multiply(dL_dx, sigma.df(s))
    return np.matmul(dL_ds, w), np.matmul(dL_ds.T, x_prev), np.ones(len(s)) @ dL_ds


def lb_calls_package(dL_dx, s, x_prev, w, sigma):
    return bp_mlp.layer_backward(dL_dx, s, x_prev, w, sigma)


def lb_finite_differences(dL_dx, s, x_prev, w, sigma):
    """A layer's loss sum(dL_dx * sigma(x_prev w^T + b)), differentiated numerically."""
    b = (s - x_prev @ w.T).mean(axis=0)

    def loss(x_prev=x_prev, w=w, b=b):
        return float(np.sum(dL_dx * sigma.f(x_prev @ w.T + b)))

    return (
        numerical_gradient(lambda v: loss(x_prev=v), x_prev.copy()),
        numerical_gradient(lambda v: loss(w=v), w.copy()),
        numerical_gradient(lambda v: loss(b=v), b.copy()),
    )


def lb_relu_prime_by_hand(dL_dx, s, x_prev, w, sigma):
    dL_ds = dL_dx * (s > 0)  # "the derivative is 1 where s > 0"
    return dL_ds @ w, dL_ds.T @ x_prev, dL_ds.sum(axis=0)


def lb_one_sample_outer(dL_dx, s, x_prev, w, sigma):
    """Written for one sample: np.outer flattens the batch."""
    dL_ds = dL_dx * sigma.df(s)
    return dL_ds @ w, np.outer(dL_ds, x_prev), dL_ds.ravel()


def lb_mean_then_times_n(dL_dx, s, x_prev, w, sigma):
    """A second try after 'averaged': the mean of the samples' contributions, times N, but the
    first sample counted twice."""
    N = len(s)
    dL_ds = dL_dx * sigma.df(s)
    contributions = [np.outer(dL_ds[n], x_prev[n]) for n in [0, *range(N)]]
    return dL_ds @ w, np.mean(contributions, axis=0) * N, dL_ds.sum(axis=0)


def bp_df_from_output(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / Y.shape[0]
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_ds = dL_dx * sigma.df_from_output(x[l])
        grad_w[l - 1], grad_b[l - 1] = dL_ds.T @ x[l - 1], dL_ds.sum(axis=0)
        dL_dx = dL_ds @ weights[l - 1]
    return grad_w, grad_b


def bp_while_loop_of_usable(weights, s, x, Y, sigma):
    """The layers through the reference `layer_backward`, as `layer_backward_used` is until
    Exercise 4.1 passes: allowed."""
    used = bp_mlp.layer_backward
    dL_dx, l, gw, gb = 2.0 * (x[-1] - Y) / len(Y), len(weights), [], []
    while l > 0:
        dL_dx, dw, db = used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
        gw, gb, l = [dw, *gw], [db, *gb], l - 1
    return gw, gb


def _bp_appended(weights, s, x, Y, sigma):
    dL_dx, gw, gb = 2 * (x[-1] - Y) / len(Y), [], []
    for l in range(len(weights), 0, -1):
        dL_ds = dL_dx * sigma.df(s[l])
        gw.append(dL_ds.T @ x[l - 1])
        gb.append(dL_ds.sum(axis=0))
        dL_dx = dL_ds @ weights[l - 1]
    return gw, gb


def bp_reversed_w_only(weights, s, x, Y, sigma):
    """A second try after 'layer_order': grad_w reversed, grad_b forgotten."""
    gw, gb = _bp_appended(weights, s, x, Y, sigma)
    return gw[::-1], gb


def bp_reversed_b_only(weights, s, x, Y, sigma):
    gw, gb = _bp_appended(weights, s, x, Y, sigma)
    gb.reverse()
    return gw, gb


def bp_reverse_returns_none(weights, s, x, Y, sigma):
    """A second try after 'layer_order': list.reverse() reverses in place and returns None."""
    gw, gb = _bp_appended(weights, s, x, Y, sigma)
    return gw.reverse(), gb.reverse()


def bp_reversed_iterators(weights, s, x, Y, sigma):
    gw, gb = _bp_appended(weights, s, x, Y, sigma)
    return reversed(gw), reversed(gb)


def bp_calls_mlp_gradients(weights, s, x, Y, sigma):
    """The network rebuilt from the forward pass (b = s - x w^T), then MLP.gradients."""
    biases = [(s[l] - x[l - 1] @ weights[l - 1].T)[0] for l in range(1, len(weights) + 1)]
    net = MLP.from_params(weights, biases, activation=sigma.name, output_activation=sigma.name)
    return net.gradients(x[0], Y)[1:]


def bp_finite_differences(weights, s, x, Y, sigma):
    biases = [(s[l] - x[l - 1] @ weights[l - 1].T)[0] for l in range(1, len(weights) + 1)]
    params = [w.copy() for w in weights] + [b.copy() for b in biases]
    L = len(weights)

    def loss(_):
        out = x[0]
        for l in range(L):
            out = sigma.f(out @ params[l].T + params[L + l])
        return float(np.mean(np.sum((out - Y) ** 2, axis=1)))

    grads = [numerical_gradient(loss, p) for p in params]
    return grads[:L], grads[L:]


def bp_n_from_the_wrong_axis(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / Y.shape[1]  # "N" read from the columns
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_ds = dL_dx * sigma.df(s[l])
        grad_w[l - 1], grad_b[l - 1] = dL_ds.T @ x[l - 1], dL_ds.sum(axis=0)
        dL_dx = dL_ds @ weights[l - 1]
    return grad_w, grad_b


def w2_calls_layer_backward(W, z, a, t):
    dL_dx = 2.0 * (a[3] - t)[None, :]
    for m in (3, 2):
        dL_dx, dw, _ = bp_mlp.layer_backward(dL_dx, z[m][None, :], a[m - 1][None, :], W[m], tanh)
    return float(dw[0, 1])


def w2_finite_differences(W, z, a, t):
    b = {m: z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)}

    def cost(w2):
        a2 = np.tanh(w2 @ a[1] + b[2])
        return float((np.tanh(W[3] @ a2 + b[3])[0] - t) ** 2)

    return float(numerical_gradient(cost, W[2].copy())[0, 1])


def w2_array_output(W, z, a, t):
    """a[3] and z[3] used as arrays: an array of one entry comes back."""
    return 2 * (a[3] - t) * (1 - np.tanh(z[3]) ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w1_via_mlp_gradients(W, z, a, t):
    biases = [z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)]
    net = MLP.from_params(list(W[1:]), biases, activation="tanh", output_activation="tanh")
    return float(net.gradients(a[0][None, :], np.array([[t]]))[1][0][1, 2])


def w1_finite_differences(W, z, a, t):
    b = {m: z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)}

    def cost(w1):
        a1 = np.tanh(w1 @ a[0] + b[1])
        a2 = np.tanh(W[2] @ a1 + b[2])
        return float((np.tanh(W[3] @ a2 + b[3])[0] - t) ** 2)

    return float(numerical_gradient(cost, W[1].copy())[1, 2])


def w1_paths_as_matrix_product(W, z, a, t):
    """Right, with the sum over layer 2 as one dot product of rows."""
    d3 = 2.0 * (a[3][0] - t) * (1.0 - a[3][0] ** 2)
    d2 = d3 * W[3][0] * (1.0 - a[2] ** 2)
    return float((d2 @ W[2])[1] * (1.0 - a[1][1] ** 2) * a[0][2])


def w1_first_index_only(W, z, a, t):
    """The sum over layer 2 reads W^(2) down column 2 but tanh' of layer 1 at unit 3."""
    d3 = 2.0 * (a[3][0] - t) * (1.0 - a[3][0] ** 2)
    total = sum(d3 * W[3][0, k] * (1.0 - a[2][k] ** 2) * W[2][k, 1] for k in range(len(a[2])))
    return float(total * (1.0 - a[1][2] ** 2) * a[0][2])


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def lb_r_matmul(dL_dx, s, x_prev, w, sigma):
    dL_ds = dL_dx * sigma.df(s)  # (N, D_l)
    dL_dw = dL_ds.T @ x_prev  # (D_l, D_(l-1))
    dL_db = dL_ds.sum(axis=0)  # (D_l,)
    dL_dx_prev = dL_ds @ w  # (N, D_(l-1))
    return dL_dx_prev, dL_dw, dL_db


def lb_r_loops(dL_dx, s, x_prev, w, sigma):
    N, D_l = s.shape
    D_prev = x_prev.shape[1]
    dL_dx_prev = np.zeros((N, D_prev))
    dL_dw = np.zeros((D_l, D_prev))
    dL_db = np.zeros(D_l)
    for n in range(N):
        for i in range(D_l):
            g = dL_dx[n, i] * sigma.df(s[n, i])
            dL_db[i] += g
            for j in range(D_prev):
                dL_dw[i, j] += g * x_prev[n, j]
                dL_dx_prev[n, j] += g * w[i, j]
    return dL_dx_prev, dL_dw, dL_db


def lb_r_einsum(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return np.einsum("ni,ij->nj", d, w), np.einsum("ni,nj->ij", d, x_prev), np.einsum("ni->i", d)


def lb_r_outer_per_sample(dL_dx, s, x_prev, w, sigma):
    dL_ds = np.multiply(dL_dx, sigma.df(s))
    dL_dw = np.zeros_like(w, dtype=float)
    dL_db = np.zeros(w.shape[0])
    rows = []
    for n in range(len(s)):
        dL_dw = dL_dw + np.outer(dL_ds[n], x_prev[n])
        dL_db = dL_db + dL_ds[n]
        rows.append(w.T @ dL_ds[n])
    return np.array(rows), dL_dw, dL_db


def lb_r_dot_tensordot(dL_dx, s, x_prev, w, sigma):
    delta = dL_dx * sigma.df(s)
    dL_dw = np.tensordot(delta, x_prev, axes=([0], [0]))
    dL_db = np.sum(delta, axis=0)
    dL_dx_prev = np.dot(delta, w)
    return [dL_dx_prev, dL_dw, dL_db]  # a list of arrays is allowed


def lb_r_comprehensions(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    D_l, D_prev = w.shape
    dL_db = np.array([sum(d[:, i]) for i in range(D_l)])
    dL_dw = np.array([[np.dot(d[:, i], x_prev[:, j]) for j in range(D_prev)] for i in range(D_l)])
    dL_dx_prev = np.array([[np.dot(d[n], w[:, j]) for j in range(D_prev)] for n in range(len(d))])
    return dL_dx_prev, dL_dw, dL_db


def lb_w_averaged(dL_dx, s, x_prev, w, sigma):
    dL_ds = dL_dx * sigma.df(s)
    return dL_ds @ w, dL_ds.T @ x_prev / len(s), dL_ds.mean(axis=0)


def lb_w_averaged_bias_only(dL_dx, s, x_prev, w, sigma):
    # second try after "averaged": fixed dL_dw, left the bias averaged
    dL_ds = dL_dx * sigma.df(s)
    return dL_ds @ w, dL_ds.T @ x_prev, np.mean(dL_ds, axis=0)


def lb_w_no_sigma_prime(dL_dx, s, x_prev, w, sigma):
    return dL_dx @ w, dL_dx.T @ x_prev, dL_dx.sum(axis=0)


def lb_w_f_for_df(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.f(s)
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_wT(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d @ w.T, d.T @ x_prev, d.sum(axis=0)


def lb_w_dw_swapped(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d @ w, x_prev.T @ d, d.sum(axis=0)


def lb_w_bias_axis(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d @ w, d.T @ x_prev, d.sum(axis=1)


def lb_w_inplace(dL_dx, s, x_prev, w, sigma):
    dL_dx *= sigma.df(s)
    return dL_dx @ w, dL_dx.T @ x_prev, dL_dx.sum(axis=0)


def lb_w_tanh(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * (1 - np.tanh(s) ** 2)
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_relu(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * (s > 0)
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_overwrite(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    dL_dw = np.zeros_like(w)
    dL_db = np.zeros(w.shape[0])
    for n in range(len(s)):
        dL_dw = np.outer(d[n], x_prev[n])
        dL_db = d[n]
    return d @ w, dL_dw, dL_db


def lb_w_order(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d.T @ x_prev, d.sum(axis=0), d @ w


def lb_w_extra_1_over_n(dL_dx, s, x_prev, w, sigma):
    N = s.shape[0]
    d = dL_dx * sigma.df(s) / N  # "the loss is a mean"
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_df_at_output(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(sigma.f(s))
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_output_formula_on_s(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * (1 - s**2)  # tanh' = 1 - x^2, written with s
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_reference(dL_dx, s, x_prev, w, sigma):
    return bp_mlp.layer_backward(dL_dx, s, x_prev, w, sigma)


def lb_w_float32(dL_dx, s, x_prev, w, sigma):
    d = (dL_dx * sigma.df(s)).astype(np.float32)
    return d @ w.astype(np.float32), d.T @ x_prev.astype(np.float32), d.sum(axis=0)


def lb_w_no_return(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    dL_dx_prev, dL_dw, dL_db = d @ w, d.T @ x_prev, d.sum(axis=0)  # noqa: F841


def lb_w_lists(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return (d @ w).tolist(), (d.T @ x_prev).tolist(), d.sum(axis=0).tolist()


def lb_w_sign(dL_dx, s, x_prev, w, sigma):
    d = -dL_dx * sigma.df(s)
    return d @ w, d.T @ x_prev, d.sum(axis=0)


def lb_w_bias_keepdims(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d @ w, d.T @ x_prev, d.sum(axis=0, keepdims=True)


def lb_w_dx_prev_transposed(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return w.T @ d.T, d.T @ x_prev, d.sum(axis=0)  # (D_(l-1), N): forgot to transpose back


def lb_w_finite_differences(dL_dx, s, x_prev, w, sigma):
    b = s[0] - x_prev[0] @ w.T  # recover the bias from the first sample

    def L_of_w(w_):
        return float(np.sum(dL_dx * sigma.f(x_prev @ w_.T + b)))

    def L_of_b(b_):
        return float(np.sum(dL_dx * sigma.f(x_prev @ w.T + b_)))

    def L_of_x(x_):
        return float(np.sum(dL_dx * sigma.f(x_ @ w.T + b)))

    return (
        numerical_gradient(L_of_x, x_prev.copy()),
        numerical_gradient(L_of_w, w.copy()),
        numerical_gradient(L_of_b, b.copy()),
    )


layer_backward_used = _e.check_layer_backward(lb_r_matmul).usable


def bp_r_indexed(weights, s, x, Y, sigma):
    L = len(weights)
    N = Y.shape[0]
    dL_dx = 2 * (x[L] - Y) / N  # (N, D_L)
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_dx, grad_w[l - 1], grad_b[l - 1] = layer_backward_used(
            dL_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return grad_w, grad_b


def bp_r_zip_reversed(weights, s, x, Y, sigma):
    g = 2.0 / len(Y) * (x[-1] - Y)
    gw, gb = [], []
    for w, s_l, x_prev in reversed(list(zip(weights, s[1:], x[:-1]))):
        g, dw, db = layer_backward_used(g, s_l, x_prev, w, sigma)
        gw.append(dw)
        gb.append(db)
    return gw[::-1], gb[::-1]


def bp_r_inline(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[-1] - Y) / len(Y)
    grad_w, grad_b = [], []
    for l in range(L, 0, -1):
        dL_ds = dL_dx * sigma.df(s[l])
        grad_w.insert(0, dL_ds.T @ x[l - 1])
        grad_b.insert(0, dL_ds.sum(axis=0))
        dL_dx = dL_ds @ weights[l - 1]
    return grad_w, grad_b


def bp_r_while(weights, s, x, Y, sigma):
    l = len(weights)
    g = (x[l] - Y) * (2 / x[l].shape[0])
    grad_w = [np.zeros_like(w, dtype=float) for w in weights]
    grad_b = [np.zeros(w.shape[0]) for w in weights]
    while l >= 1:
        g, grad_w[l - 1], grad_b[l - 1] = layer_backward_used(
            g, s[l], x[l - 1], weights[l - 1], sigma
        )
        l -= 1
    return grad_w, grad_b


def bp_r_recursive(weights, s, x, Y, sigma):
    def down(l, g):
        if l == 0:
            return [], []
        g_prev, dw, db = layer_backward_used(g, s[l], x[l - 1], weights[l - 1], sigma)
        gw, gb = down(l - 1, g_prev)
        return gw + [dw], gb + [db]

    L = len(weights)
    return down(L, 2 * (x[L] - Y) / len(Y))


def bp_r_tuples(weights, s, x, Y, sigma):
    L = len(weights)
    N = len(x[0])
    dL_dx = np.subtract(x[L], Y) * 2 / N
    pairs = {}
    for l in reversed(range(1, L + 1)):
        dL_dx, dw, db = layer_backward_used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
        pairs[l] = (dw, db)
    return tuple(pairs[l][0] for l in range(1, L + 1)), tuple(pairs[l][1] for l in range(1, L + 1))


def _bp_from(dL_dx, weights, s, x, sigma, lb=None):
    lb = lb or layer_backward_used
    L = len(weights)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_dx, gw[l - 1], gb[l - 1] = lb(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
    return gw, gb


def bp_w_no_1_over_n(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_dx, gw[l - 1], gb[l - 1] = layer_backward_used(
            dL_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return gw, gb


def bp_w_mean_all_entries(weights, s, x, Y, sigma):
    return _bp_from(2 * (x[-1] - Y) / x[-1].size, weights, s, x, sigma)


def bp_w_no_2(weights, s, x, Y, sigma):
    return _bp_from((x[-1] - Y) / len(Y), weights, s, x, sigma)


def bp_w_top_first(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [], []
    for l in range(L, 0, -1):
        dL_dx, dw, db = layer_backward_used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
        gw.append(dw)
        gb.append(db)
    return gw, gb


def bp_w_stops_early(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw = [np.zeros_like(w) for w in weights]
    gb = [np.zeros(w.shape[0]) for w in weights]
    for l in range(L, 1, -1):
        dL_dx, gw[l - 1], gb[l - 1] = layer_backward_used(
            dL_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return gw, gb


def bp_w_sign(weights, s, x, Y, sigma):
    return _bp_from(2 * (Y - x[-1]) / len(Y), weights, s, x, sigma)


def bp_w_x_l_as_input(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_dx, gw[l - 1], gb[l - 1] = layer_backward_used(dL_dx, s[l], x[l], weights[l - 1], sigma)
    return gw, gb


def bp_w_reverse_in_place(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    weights.reverse()
    gw, gb = [], []
    for k, l in enumerate(range(L, 0, -1)):
        dL_dx, dw, db = layer_backward_used(dL_dx, s[l], x[l - 1], weights[k], sigma)
        gw.insert(0, dw)
        gb.insert(0, db)
    return gw, gb


def bp_w_one_list_reversed(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [], []
    for l in range(L, 0, -1):
        dL_dx, dw, db = layer_backward_used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
        gw.append(dw)
        gb.append(db)
    gw.reverse()
    return gw, gb


def bp_w_uses_mse(weights, s, x, Y, sigma):
    _, dL_dx = mse(x[-1], Y)
    return _bp_from(dL_dx, weights, s, x, sigma)


def bp_w_numerical_gradient(weights, s, x, Y, sigma):
    L = len(weights)
    ws = [w.copy() for w in weights]
    bs = [s[l][0] - x[l - 1][0] @ weights[l - 1].T for l in range(1, L + 1)]

    def loss(_):
        a = x[0]
        for w_, b_ in zip(ws, bs):
            a = sigma.f(a @ w_.T + b_)
        return float(np.mean(np.sum((a - Y) ** 2, axis=1)))

    return [numerical_gradient(loss, p) for p in ws], [numerical_gradient(loss, p) for p in bs]


def bp_w_df_at_x(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = dL_dx * sigma.df(x[l])
        gw[l - 1], gb[l - 1], dL_dx = d.T @ x[l - 1], d.sum(axis=0), d @ weights[l - 1]
    return gw, gb


def bp_w_output_layer_linear(weights, s, x, Y, sigma):
    # treats the output layer as linear: no sigma' at the top
    L = len(weights)
    d = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    gw[L - 1], gb[L - 1] = d.T @ x[L - 1], d.sum(axis=0)
    dL_dx = d @ weights[L - 1]
    for l in range(L - 1, 0, -1):
        dL_dx, gw[l - 1], gb[l - 1] = layer_backward_used(
            dL_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return gw, gb


def bp_w_inline_f_for_df(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = dL_dx * sigma.f(s[l])
        gw[l - 1], gb[l - 1], dL_dx = d.T @ x[l - 1], d.sum(axis=0), d @ weights[l - 1]
    return gw, gb


def bp_w_inline_tanh(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = dL_dx * (1 - np.tanh(s[l]) ** 2)
        gw[l - 1], gb[l - 1], dL_dx = d.T @ x[l - 1], d.sum(axis=0), d @ weights[l - 1]
    return gw, gb


def bp_w_inline_overwrite(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = dL_dx * sigma.df(s[l])
        for n in range(len(Y)):
            gw[l - 1] = np.outer(d[n], x[l - 1][n])  # = where += belongs
            gb[l - 1] = d[n]
        dL_dx = d @ weights[l - 1]
    return gw, gb


def bp_w_minus_in_place(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = x[L]
    dL_dx -= Y  # changes x[L]
    dL_dx *= 2 / len(Y)
    return _bp_from(dL_dx, weights, s, x, sigma)


def bp_w_inline_dw_swapped(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        d = dL_dx * sigma.df(s[l])
        gw[l - 1], gb[l - 1], dL_dx = x[l - 1].T @ d, d.sum(axis=0), d @ weights[l - 1]
    return gw, gb


def bp_w_returns_b_w(weights, s, x, Y, sigma):
    gw, gb = bp_r_indexed(weights, s, x, Y, sigma)
    return gb, gw


def bp_w_one_list(weights, s, x, Y, sigma):
    gw, gb = bp_r_indexed(weights, s, x, Y, sigma)
    return gw + gb


def _lb_averaged(dL_dx, s, x_prev, w, sigma):
    d = dL_dx * sigma.df(s)
    return d @ w, d.T @ x_prev / len(s), d.mean(axis=0)


def bp_w_own_averaged_layer(weights, s, x, Y, sigma):
    # calls the student's own (still averaged) layer_backward, not layer_backward_used
    return _bp_from(2 * (x[-1] - Y) / len(Y), weights, s, x, sigma, lb=_lb_averaged)


def bp_w_float32(weights, s, x, Y, sigma):
    gw, gb = bp_r_indexed(weights, s, x, Y, sigma)
    return [g.astype(np.float32) for g in gw], [g.astype(np.float32) for g in gb]


def bp_w_no_return(weights, s, x, Y, sigma):
    grad_w, grad_b = bp_r_indexed(weights, s, x, Y, sigma)  # noqa: F841


def bp_w_dx_not_passed_down(weights, s, x, Y, sigma):
    L = len(weights)
    dL_dx = 2 * (x[L] - Y) / len(Y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        _, gw[l - 1], gb[l - 1] = layer_backward_used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
    return gw, gb


def _dtanh(u):
    return 1 - np.tanh(u) ** 2


def w212_r_steps(W, z, a, t):
    dC_da3 = 2 * (a[3][0] - t)
    dC_dz3 = dC_da3 * (1 - np.tanh(z[3][0]) ** 2)
    dC_da2_1 = dC_dz3 * W[3][0, 0]
    dC_dz2_1 = dC_da2_1 * (1 - np.tanh(z[2][0]) ** 2)
    return dC_dz2_1 * a[1][1]


def w212_r_from_a(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0][0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_r_math(W, z, a, t):
    z3, z2 = float(z[3][0]), float(z[2][0])
    return float(
        2
        * (a[3][0] - t)
        * (1 - math.tanh(z3) ** 2)
        * W[3][0, 0]
        * (1 - math.tanh(z2) ** 2)
        * a[1][1]
    )


def w212_r_cosh(W, z, a, t):
    factors = [
        2 * (a[3][0] - t),
        1 / np.cosh(z[3][0]) ** 2,
        W[3][0, 0],
        1 / np.cosh(z[2][0]) ** 2,
        a[1][1],
    ]
    result = 1.0
    for f in factors:
        result *= f
    return result


def w212_r_named_indices(W, z, a, t):
    i, j = 1, 2  # CSC311's W_12
    i0, j0 = i - 1, j - 1  # Python's
    delta3 = 2 * (a[3][0] - t) * _dtanh(z[3][0])
    delta2 = delta3 * W[3][0, i0] * _dtanh(z[2][i0])
    return delta2 * a[1][j0]


def w212_w_one_based(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 1] * (1 - a[2][1] ** 2) * a[1][2]


def w212_w_index_order(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 1] * (1 - a[2][1] ** 2) * a[1][0]


def w212_w_no_output_sigma_prime(W, z, a, t):
    return 2 * (a[3][0] - t) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_no_layer2_sigma_prime(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * a[1][1]


def w212_w_z_for_a(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * z[1][1]


def w212_w_tanh_prime_at_a(W, z, a, t):
    return 2 * (a[3][0] - t) * _dtanh(a[3][0]) * W[3][0, 0] * _dtanh(a[2][0]) * a[1][1]


def w212_w_array(W, z, a, t):
    return 2 * (a[3] - t) * (1 - a[3] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_no_2(W, z, a, t):
    return (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_sign(W, z, a, t):
    return 2 * (t - a[3][0]) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_a2_input(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[2][1]


def w212_w_other_w3(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 1] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_no_w3(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_no_return(W, z, a, t):
    g = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]  # noqa: F841


def w212_w_one_minus_a(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - a[3][0]) * W[3][0, 0] * (1 - a[2][0]) * a[1][1]


def w212_w_one_minus_z2(W, z, a, t):
    return 2 * (a[3][0] - t) * (1 - z[3][0] ** 2) * W[3][0, 0] * (1 - z[2][0] ** 2) * a[1][1]


def w212_w_tanh_not_prime(W, z, a, t):
    return 2 * (a[3][0] - t) * np.tanh(z[3][0]) * W[3][0, 0] * np.tanh(z[2][0]) * a[1][1]


def w212_w_reference(W, z, a, t):
    sizes = [len(a[0]), len(a[1]), len(a[2]), 1]
    net = MLP(sizes, activation="tanh", output_activation="tanh")
    for m in (1, 2, 3):
        net.weights[m - 1][:] = W[m]
        net.biases[m - 1][:] = z[m] - W[m] @ a[m - 1]
    _, grad_w, _ = net.gradients(np.asarray(a[0])[None, :], np.array([[t]]), loss="mse")
    return grad_w[1][0, 1]


def w212_w_numerical_gradient(W, z, a, t):
    b = {m: z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)}

    def C(W2):
        a2 = np.tanh(W2 @ a[1] + b[2])
        a3 = np.tanh(W[3] @ a2 + b[3])
        return float((a3[0] - t) ** 2)

    return numerical_gradient(C, W[2].copy())[0, 1]


def w212_w_modifies_list(W, z, a, t):
    a[3] = a[3][0]  # "a[3] is an array of one entry, make it a number"
    return 2 * (a[3] - t) * (1 - a[3] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]


def w212_w_float32(W, z, a, t):
    return np.float32(
        2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]
    )


def w212_w_list(W, z, a, t):
    return [2 * (a[3][0] - t) * (1 - a[3][0] ** 2) * W[3][0, 0] * (1 - a[2][0] ** 2) * a[1][1]]


def w123_r_loop(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - np.tanh(z[3][0]) ** 2)
    total = 0.0
    for i in range(len(z[2])):
        dC_dz2_i = dC_dz3 * W[3][0, i] * (1 - np.tanh(z[2][i]) ** 2)
        total += dC_dz2_i * W[2][i, 1]
    return total * (1 - np.tanh(z[1][1]) ** 2) * a[0][2]


def w123_r_vector(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    dC_dz2 = dC_dz3 * W[3][0] * (1 - a[2] ** 2)  # one entry per unit of layer 2
    return dC_dz2 @ W[2][:, 1] * (1 - a[1][1] ** 2) * a[0][2]


def w123_r_generator(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    dC_da1_2 = sum(dC_dz3 * W[3][0][i] * (1 - a[2][i] ** 2) * W[2][i][1] for i in range(len(a[2])))
    return dC_da1_2 * (1 - a[1][1] ** 2) * a[0][2]


def w123_r_list_of_deltas(W, z, a, t):
    delta3 = 2 * (a[3][0] - t) * _dtanh(z[3][0])
    delta2 = [delta3 * W[3][0, i] * _dtanh(z[2][i]) for i in range(W[2].shape[0])]
    dC_da1 = [sum(delta2[i] * W[2][i, j] for i in range(len(delta2))) for j in range(W[2].shape[1])]
    delta1 = [dC_da1[j] * _dtanh(z[1][j]) for j in range(len(dC_da1))]
    return delta1[1] * a[0][2]


def w123_r_math(W, z, a, t):
    d3 = 2.0 * (float(a[3][0]) - t) * (1.0 - math.tanh(float(z[3][0])) ** 2)
    acc = 0.0
    for i, z2i in enumerate(z[2]):
        acc = acc + d3 * float(W[3][0, i]) * (1.0 - math.tanh(float(z2i)) ** 2) * float(W[2][i, 1])
    return acc * (1.0 - math.tanh(float(z[1][1])) ** 2) * float(a[0][2])


def w123_w_one_path(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    return dC_dz3 * W[3][0, 1] * (1 - a[2][1] ** 2) * W[2][1, 1] * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_missing_last(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = 0
    for i in range(len(z[2]) - 1):
        tot += dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1]
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_range_from_1(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = 0
    for i in range(1, len(z[2])):
        tot += dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1]
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_transposed_w2(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][1, i] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_index_order(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 2] for i in range(len(z[2])))
    return tot * (1 - a[1][2] ** 2) * a[0][1]


def w123_w_one_based(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 2] for i in range(len(z[2])))
    return tot * (1 - a[1][2] ** 2) * a[0][3]


def w123_w_no_layer2_sigma_prime(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_a1_as_input(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[1][2]


def w123_w_wrong_input_entry(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][1]


def w123_w_assign_not_add(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    for i in range(len(z[2])):
        tot = dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1]
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_tanh_not_prime(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * np.tanh(z[3][0])
    tot = sum(dC_dz3 * W[3][0, i] * np.tanh(z[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return tot * np.tanh(z[1][1]) * a[0][2]


def w123_w_one_minus_z2(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - z[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - z[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - z[1][1] ** 2) * a[0][2]


def w123_w_one_minus_a(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0])
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1]) * a[0][2]


def w123_w_tanh_prime_at_a(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * _dtanh(a[3][0])
    tot = sum(dC_dz3 * W[3][0, i] * _dtanh(a[2][i]) * W[2][i, 1] for i in range(len(z[2])))
    return tot * _dtanh(a[1][1]) * a[0][2]


def w123_w_array(W, z, a, t):
    dC_dz3 = 2 * (a[3] - t) * (1 - a[3] ** 2)  # a[3] kept as an array
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_no_2(W, z, a, t):
    dC_dz3 = (a[3][0] - t) * (1 - a[3][0] ** 2)  # d/da of (a - t)^2 written as (a - t)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_sign(W, z, a, t):
    dC_dz3 = 2 * (t - a[3][0]) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(len(z[2])))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_numerical_gradient(W, z, a, t):
    b = {m: z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)}

    def C(W1):
        a1 = np.tanh(W1 @ a[0] + b[1])
        a2 = np.tanh(W[2] @ a1 + b[2])
        return float((np.tanh(W[3] @ a2 + b[3])[0] - t) ** 2)

    return numerical_gradient(C, W[1].copy())[1, 2]


def w123_w_no_return(W, z, a, t):
    result = w123_r_loop(W, z, a, t)  # noqa: F841


def w123_w_hard_coded_width(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    tot = sum(dC_dz3 * W[3][0, i] * (1 - a[2][i] ** 2) * W[2][i, 1] for i in range(3))
    return tot * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_sigma_prime_outside_sum(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * (1 - a[3][0] ** 2)
    s = sum(W[3][0, i] * W[2][i, 1] for i in range(len(z[2])))
    return dC_dz3 * s * (1 - a[2][1] ** 2) * (1 - a[1][1] ** 2) * a[0][2]


def w123_w_float32(W, z, a, t):
    return np.float32(w123_r_loop(W, z, a, t))


def lb_w_fd_by_hand(dL_dx, s, x_prev, w, sigma, h=1e-6):
    b = s[0] - x_prev[0] @ w.T

    def L(x_, w_, b_):
        return np.sum(dL_dx * sigma.f(x_ @ w_.T + b_))

    grads = []
    for which, P in enumerate((x_prev, w, b)):
        G = np.zeros(P.shape)
        for idx in np.ndindex(P.shape):
            args_p = [x_prev.copy(), w.copy(), b.copy()]
            args_m = [x_prev.copy(), w.copy(), b.copy()]
            args_p[which][idx] += h
            args_m[which][idx] -= h
            G[idx] = (L(*args_p) - L(*args_m)) / (2 * h)
        grads.append(G)
    return tuple(grads)


def bp_w_fd_by_hand(weights, s, x, Y, sigma, h=1e-6):
    L = len(weights)
    ws = [w.copy() for w in weights]
    bs = [s[l][0] - x[l - 1][0] @ weights[l - 1].T for l in range(1, L + 1)]

    def loss():
        a_ = x[0]
        for w_, b_ in zip(ws, bs):
            a_ = sigma.f(a_ @ w_.T + b_)
        return np.mean(np.sum((a_ - Y) ** 2, axis=1))

    gw = [np.zeros_like(w_) for w_ in ws]
    gb = [np.zeros_like(b_) for b_ in bs]
    for P, G in list(zip(ws, gw)) + list(zip(bs, gb)):
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + h
            up = loss()
            P[idx] = old - h
            down = loss()
            P[idx] = old
            G[idx] = (up - down) / (2 * h)
    return gw, gb


def w212_w_fd_by_hand(W, z, a, t, h=1e-6):
    b2, b3 = z[2] - W[2] @ a[1], z[3] - W[3] @ a[2]

    def C(W2):
        return (np.tanh(W[3] @ np.tanh(W2 @ a[1] + b2) + b3)[0] - t) ** 2

    Wp, Wm = W[2].copy(), W[2].copy()
    Wp[0, 1] += h
    Wm[0, 1] -= h
    return (C(Wp) - C(Wm)) / (2 * h)


def w123_w_fd_by_hand(W, z, a, t, h=1e-6):
    b = [None] + [z[m] - W[m] @ a[m - 1] for m in (1, 2, 3)]

    def C(W1):
        a1 = np.tanh(W1 @ a[0] + b[1])
        a2 = np.tanh(W[2] @ a1 + b[2])
        return (np.tanh(W[3] @ a2 + b[3])[0] - t) ** 2

    Wp, Wm = W[1].copy(), W[1].copy()
    Wp[1, 2] += h
    Wm[1, 2] -= h
    return (C(Wp) - C(Wm)) / (2 * h)


BATTERY = {
    "layer_backward": {
        "right": [
            layer_matrix,
            layer_one_sample_at_a_time,
            layer_einsum,
            layer_np_dot,
            layer_triple_loop,
            lb_per_sample_loop,
            lb_einsum,
            lb_np_dot,
            lb_entry_loops,
            lb_sample_loop,
            lb_dot,
            lb_df_from_output,
            lb_matmul_calls,
            lb_r_matmul,
            lb_r_loops,
            lb_r_einsum,
            lb_r_outer_per_sample,
            lb_r_dot_tensordot,
            lb_r_comprehensions,
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
            (layer_bias_keepdims, "shape"),
            (layer_bias_other_axis, "wrong_axis"),
            (lb_bias_wrong_axis, "wrong_axis"),
            (lb_uses_dl_dx_for_prev, "forgot_sigma_prime"),
            (lb_from_output_of_s, "s_for_output"),
            (lb_db_not_summed, None),
            (layer_tuple_of_package, "uses_reference"),
            (lb_calls_package, "uses_reference"),
            (lb_finite_differences, "finite_differences"),
            (lb_relu_prime_by_hand, "hard_coded_relu"),
            (lb_one_sample_outer, None),
            (lb_mean_then_times_n, None),
            (lb_w_averaged, "averaged_not_summed"),
            (lb_w_averaged_bias_only, "averaged_not_summed"),
            (lb_w_no_sigma_prime, "forgot_sigma_prime"),
            (lb_w_f_for_df, "f_for_df"),
            (lb_w_wT, "transpose"),
            (lb_w_dw_swapped, "shapes_swapped"),
            (lb_w_bias_axis, "wrong_axis"),
            (lb_w_inplace, "modified_input"),
            (lb_w_tanh, "hard_coded_tanh"),
            (lb_w_relu, "hard_coded_relu"),
            (lb_w_overwrite, "overwrite_not_accumulate"),
            (lb_w_order, "output_order"),
            (lb_w_extra_1_over_n, "extra_1_over_n"),
            (lb_w_df_at_output, "wrong_point"),
            (lb_w_output_formula_on_s, "s_for_output"),
            (lb_w_reference, "uses_reference"),
            (lb_w_float32, "precision"),
            (lb_w_no_return, "not_a_result"),
            (lb_w_lists, "not_a_result"),
            (lb_w_sign, "sign"),
            (lb_w_bias_keepdims, "shape"),
            (lb_w_dx_prev_transposed, "transpose"),
            (lb_w_finite_differences, "finite_differences"),
            (lb_w_fd_by_hand, "finite_differences"),
        ],
    },
    "backward_pass": {
        "right": [
            backward_with_layers,
            backward_per_sample,
            backward_insert_einsum,
            bp_inline_insert,
            bp_per_sample,
            bp_einsum,
            bp_df_from_output,
            bp_while_loop_of_usable,
            bp_r_indexed,
            bp_r_zip_reversed,
            bp_r_inline,
            bp_r_while,
            bp_r_recursive,
            bp_r_tuples,
        ],
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
            (bp_one_over_n_twice, "uses_reference"),
            (bp_half_mse, "scale"),
            (bp_in_place_output, "modified_input"),
            (bp_tuples_via_mse, "uses_reference"),
            (bp_calls_mlp_gradients, "uses_reference"),
            (bp_finite_differences, "finite_differences"),
            (bp_reversed_w_only, "one_list_reversed"),
            (bp_reversed_b_only, "one_list_reversed"),
            (bp_reverse_returns_none, "not_a_result"),
            (bp_reversed_iterators, "not_a_result"),
            (bp_n_from_the_wrong_axis, "scale"),
            (bp_w_no_1_over_n, "missing_1_over_n"),
            (bp_w_mean_all_entries, "scale"),
            (bp_w_no_2, "scale"),
            (bp_w_top_first, "layer_order"),
            (bp_w_stops_early, "stops_early"),
            (bp_w_sign, "sign"),
            (bp_w_x_l_as_input, "off_by_one"),
            (bp_w_reverse_in_place, "modified_input"),
            (bp_w_one_list_reversed, "one_list_reversed"),
            (bp_w_uses_mse, "uses_reference"),
            (bp_w_numerical_gradient, "finite_differences"),
            (bp_w_fd_by_hand, "finite_differences"),
            (bp_w_df_at_x, "wrong_point"),
            (bp_w_output_layer_linear, "forgot_sigma_prime"),
            (bp_w_inline_f_for_df, "f_for_df"),
            (bp_w_inline_tanh, "hard_coded_tanh"),
            (bp_w_inline_overwrite, "overwrite_not_accumulate"),
            (bp_w_minus_in_place, "modified_input"),
            (bp_w_inline_dw_swapped, "shapes_swapped"),
            (bp_w_returns_b_w, "output_order"),
            (bp_w_one_list, "not_a_result"),
            (bp_w_own_averaged_layer, "scale"),
            (bp_w_float32, "precision"),
            (bp_w_no_return, "not_a_result"),
            (bp_w_dx_not_passed_down, "raised"),
        ],
    },
    "dC_dW2_12": {
        "right": [
            w2_12_scalar,
            w2_12_math,
            w2_12_from_a,
            w12_from_outputs,
            w12_math,
            w12_path_product,
            w212_r_steps,
            w212_r_from_a,
            w212_r_math,
            w212_r_cosh,
            w212_r_named_indices,
        ],
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
            (w12_index_order, "index_order"),
            (w12_one_based, "one_based_indices"),
            (w12_forgot_hidden_sigma_prime, "forgot_sigma_prime"),
            (w12_forgot_output_sigma_prime, "forgot_sigma_prime"),
            (w12_no_factor_2, "scale"),
            (w12_sign, "sign"),
            (w12_one_minus_z_squared, "s_for_output"),
            (w12_sigma_prime_wrong_unit, "wrong_point"),
            (w12_a_of_wrong_layer, "off_by_one"),
            (w12_tanh_prime_no_square, "wrong_derivative"),
            (w2_calls_layer_backward, "uses_reference"),
            (w2_finite_differences, "finite_differences"),
            (w2_array_output, "not_a_result"),
            (w212_w_one_based, "one_based_indices"),
            (w212_w_index_order, "index_order"),
            (w212_w_no_output_sigma_prime, "forgot_sigma_prime"),
            (w212_w_no_layer2_sigma_prime, "forgot_sigma_prime"),
            (w212_w_z_for_a, "z_for_a"),
            (w212_w_tanh_prime_at_a, "wrong_point"),
            (w212_w_array, "not_a_result"),
            (w212_w_no_2, "scale"),
            (w212_w_sign, "sign"),
            (w212_w_a2_input, "off_by_one"),
            (w212_w_other_w3, "wrong_weight"),
            (w212_w_no_w3, "missing_output_weight"),
            (w212_w_no_return, "not_a_result"),
            (w212_w_one_minus_a, "wrong_derivative"),
            (w212_w_one_minus_z2, "s_for_output"),
            (w212_w_tanh_not_prime, "f_for_df"),
            (w212_w_reference, "uses_reference"),
            (w212_w_numerical_gradient, "finite_differences"),
            (w212_w_fd_by_hand, "finite_differences"),
            (w212_w_modifies_list, "modified_input"),
            (w212_w_float32, "precision"),
            (w212_w_list, "not_a_result"),
        ],
    },
    "dC_dW1_23": {
        "right": [
            w1_23_scalar,
            w1_23_dot,
            w1_23_sum_generator,
            w23_np_dot,
            w23_generator,
            w23_math_loop,
            w1_paths_as_matrix_product,
            w123_r_loop,
            w123_r_vector,
            w123_r_generator,
            w123_r_list_of_deltas,
            w123_r_math,
        ],
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
            (w23_index_order, "index_order"),
            (w23_one_based, "one_based_indices"),
            (w23_one_path_only, "one_path_only"),
            (w23_row_not_column, "transpose"),
            (w23_forgot_first_sigma_prime, "forgot_sigma_prime"),
            (w23_forgot_hidden_sigma_prime, "forgot_sigma_prime"),
            (w23_sign, "sign"),
            (w23_overwrite_in_loop, "one_path_only"),
            (w23_mean_of_paths, "scale"),
            (w23_no_factor_2, "scale"),
            (w23_input_from_wrong_layer, "off_by_one"),
            (w1_via_mlp_gradients, "uses_reference"),
            (w1_finite_differences, "finite_differences"),
            (w1_first_index_only, "wrong_point"),
            (w123_w_one_path, "one_path_only"),
            (w123_w_missing_last, "missing_paths"),
            (w123_w_range_from_1, "missing_paths"),
            (w123_w_transposed_w2, "transpose"),
            (w123_w_index_order, "index_order"),
            (w123_w_one_based, "one_based_indices"),
            (w123_w_no_layer2_sigma_prime, "forgot_sigma_prime"),
            (w123_w_a1_as_input, "off_by_one"),
            (w123_w_wrong_input_entry, "wrong_input"),
            (w123_w_assign_not_add, "one_path_only"),
            (w123_w_tanh_not_prime, "f_for_df"),
            (w123_w_one_minus_z2, "s_for_output"),
            (w123_w_one_minus_a, "wrong_derivative"),
            (w123_w_tanh_prime_at_a, "wrong_point"),
            (w123_w_array, "not_a_result"),
            (w123_w_no_2, "scale"),
            (w123_w_sign, "sign"),
            (w123_w_numerical_gradient, "finite_differences"),
            (w123_w_fd_by_hand, "finite_differences"),
            (w123_w_no_return, "not_a_result"),
            (w123_w_hard_coded_width, "raised"),
            (w123_w_sigma_prime_outside_sum, None),
            (w123_w_float32, "precision"),
        ],
    },
}
