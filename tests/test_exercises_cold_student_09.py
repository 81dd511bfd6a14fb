"""A cold student's battery for the checks of notebook 09.

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
from scipy.special import logsumexp

from bpcourse.activations import identity, tanh
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


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
