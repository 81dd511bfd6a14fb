"""A cold student's battery for the checks of notebook 03.

Written without reading the instructor notebooks or the check modules' code, from the student
edition's prompts, the package code the cells call, and the checks' public docstrings only.
Every "right" answer must be accepted as correct; every "wrong" one must be rejected, and,
where an expected diagnosis key is given, named with that key. The expected keys were chosen
before the checks were run. The findings of the first run (answers named otherwise than
expected, or accepted) were fixed in the checks; none is left marked. The harness is
tests/battery.py.
"""

import numpy as np
import pytest

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


# ======================================================================= the battery
BATTERY = {
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
}


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
