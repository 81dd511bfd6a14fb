"""A cold student's battery for notebook 08 (logistic regression), Exercises 8.1 and 8.2.

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

from bpcourse.activations import sigmoid
from tests.battery import assert_accepted, assert_rejected, right_params, wrong_params

# ---------------------------------------------------------------------------------------------
# Exercise 8.1: logistic_gradient(w, b, X, y, reduction="sum") -> (dw, db)
# ---------------------------------------------------------------------------------------------


def lg_sample_loop(w, b, X, y, reduction="sum"):
    dw, db = np.zeros(len(w)), 0.0
    for x_n, y_n in zip(X, y):
        m_n = y_n * (float(np.dot(w, x_n)) + b)
        weight = 1.0 / (1.0 + math.exp(m_n)) if m_n > -700 else 1.0  # sigma(-m_n)
        dw -= y_n * weight * x_n
        db -= y_n * weight
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def lg_einsum(w, b, X, y, reduction="sum"):
    m = y * (np.einsum("nd,d->n", X, w) + b)
    u = y * sigmoid.f(-m)
    scale = 1.0 / len(y) if reduction == "mean" else 1.0
    return -scale * np.einsum("n,nd->d", u, X), -scale * float(np.einsum("n->", u))


def lg_tanh_dot(w, b, X, y, reduction="sum"):
    m = y * (np.dot(X, w) + b)
    weight = 0.5 * (1.0 - np.tanh(m / 2.0))  # sigma(-m) = (1 - tanh(m / 2)) / 2
    dw = -np.dot(X.T, y * weight)
    db = -np.sum(y * weight)
    if reduction == "mean":
        return dw / X.shape[0], db / X.shape[0]
    return dw, db


def lg_via_01_targets(w, b, X, y, reduction="sum"):
    # the {0, 1} formula done right: targets t = (y + 1) / 2, gradient X^T (p - t)
    p = sigmoid.f(X @ w + b)
    t = (y + 1) / 2
    dw, db = X.T @ (p - t), np.sum(p - t)
    n = len(y) if reduction == "mean" else 1
    return dw / n, db / n


def lg_python_lists_inside(w, b, X, y, reduction="sum"):
    N, D = X.shape
    rows = X.tolist()
    u = [y[n] * sigmoid.f(-y[n] * (sum(w[d] * rows[n][d] for d in range(D)) + b)) for n in range(N)]
    dw = np.array([-sum(u[n] * rows[n][d] for n in range(N)) for d in range(D)])
    db = -sum(u)
    if reduction == "mean":
        dw, db = dw / N, db / N
    return dw, db


# wrong ones
def lg_forgot_return(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    dw, db = -(u @ X), -u.sum()  # noqa: F841
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)  # noqa: F841


def lg_sign(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return (u @ X) / n, u.sum() / n


def lg_sigma_plus_margin(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_forgot_y(w, b, X, y, reduction="sum"):
    u = sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_forgot_b(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_always_mean(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    return -(u @ X) / len(y), -u.sum() / len(y)


def lg_ignores_reduction(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    return -(u @ X), -u.sum()


def lg_mean_twice(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    if reduction == "mean":
        u = u / len(y)
        return -(u @ X) / len(y), -u.sum() / len(y)
    return -(u @ X), -u.sum()


def lg_labels_01(w, b, X, y, reduction="sum"):
    p = sigmoid.f(X @ w + b)  # X^T (p - y), the {0, 1} formula with y in {-1, +1}
    n = len(y) if reduction == "mean" else 1
    return X.T @ (p - y) / n, np.sum(p - y) / n


def lg_sigma_prime(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * sigmoid.df(m)
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_float32(w, b, X, y, reduction="sum"):
    X32, w32, y32 = X.astype(np.float32), w.astype(np.float32), y.astype(np.float32)
    u = y32 * (1 / (1 + np.exp(y32 * (X32 @ w32 + np.float32(b)))))
    n = np.float32(len(y) if reduction == "mean" else 1)
    return -(u @ X32) / n, -u.sum() / n


def lg_in_place(w, b, X, y, reduction="sum"):
    X *= y[:, None]  # rows y_n x_n, "saves a multiplication"
    u = sigmoid.f(-(X @ w + y * b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -(u * y).sum() / n


def lg_db_then_dw(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -u.sum() / n, -(u @ X) / n


def lg_db_array(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -np.sum(u, keepdims=True) / n


def lg_dw_list(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return list(-(u @ X) / n), -u.sum() / n


def lg_mean_over_d(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = X.shape[1] if reduction == "mean" else 1  # divides by D, the wrong axis
    return -(u @ X) / n, -u.sum() / n


def lg_returns_loss_too(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * sigmoid.f(-m)
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n, np.sum(np.logaddexp(0, -m)) / n


# ---------------------------------------------------------------------------------------------
# Exercise 8.2: log_sigmoid(m) -> log sigma(m) elementwise
# ---------------------------------------------------------------------------------------------


def ls_where(m):
    t = np.log1p(np.exp(-np.abs(m)))
    return np.where(m >= 0, -t, m - t)


def ls_scalar_loop(m):
    out = np.empty_like(m)
    for idx, v in np.ndenumerate(m):
        out[idx] = -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))
    return out


def ls_masks(m):
    out = np.empty(m.shape)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    out[~pos] = m[~pos] - np.log1p(np.exp(m[~pos]))
    return out


def ls_nested_lists(m):
    return (np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))).tolist()


def ls_vectorize(m):
    f = np.vectorize(lambda v: -np.logaddexp(0.0, -v))
    return f(m)


# wrong ones
def ls_naive(m):
    return -np.log(1 + np.exp(-m))


def ls_naive_silenced(m):
    with np.errstate(all="ignore"):
        return -np.log1p(np.exp(-m))


def ls_where_unsafe_branches(m):
    return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_shortcut(m):
    with np.errstate(all="ignore"):
        mid = -np.log1p(np.exp(-m))
    return np.where(m > 30, 0.0, np.where(m < -30, m, mid))


def ls_log_not_log1p(m):
    return np.minimum(m, 0.0) - np.log(1 + np.exp(-np.abs(m)))


def ls_float32(m):
    m32 = m.astype(np.float32)
    return np.minimum(m32, 0) - np.log1p(np.exp(-np.abs(m32)))


def ls_sign(m):
    return np.logaddexp(0.0, -m)


def ls_sigma_minus_margin(m):
    return -np.logaddexp(0.0, m)


def ls_forgot_return(m):
    out = np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))  # noqa: F841


def ls_in_place(m):
    m *= -1  # m is now -m
    return -np.logaddexp(0.0, m)


def ls_log_of_sigmoid(m):
    with np.errstate(all="ignore"):
        return np.log(sigmoid.f(m))


def ls_taylor_near_zero(m):
    stable = np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))
    return np.where(np.abs(m) < 1e-2, -np.log(2) + m / 2, stable)


def ls_flattened(m):
    m = np.ravel(m)
    return np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))


def ls_wrong_half(m):
    # the m < 0 branch forgets the "m +": -log1p(exp(m)) is log sigma(-m) there
    t = np.log1p(np.exp(-np.abs(m)))
    return np.where(m >= 0, -t, -t)


BATTERY = {
    "check_logistic_gradient": {
        "right": [
            lg_sample_loop,
            lg_einsum,
            lg_tanh_dot,
            lg_via_01_targets,
            lg_python_lists_inside,
        ],
        "wrong": [
            (lg_forgot_return, "not_a_result"),
            (lg_sign, "sign"),
            (lg_sigma_plus_margin, "sigma_plus_margin"),
            (lg_forgot_y, "forgot_y"),
            (lg_forgot_b, "forgot_b"),
            (lg_always_mean, "extra_1_over_n"),
            (lg_ignores_reduction, "missing_1_over_n"),
            (lg_mean_twice, "normalisation"),
            (lg_labels_01, "labels_0_1"),
            (lg_sigma_prime, "sigma_prime"),
            (lg_float32, "precision"),
            (lg_in_place, "modified_input"),
            (lg_db_then_dw, "output_order"),
            (lg_db_array, "not_a_result"),
            (lg_dw_list, "not_a_result"),
            (lg_mean_over_d, "scale"),
            (lg_returns_loss_too, "not_a_result"),
        ],
    },
    "check_log_sigmoid": {
        "right": [ls_where, ls_scalar_loop, ls_masks, ls_nested_lists, ls_vectorize],
        "wrong": [
            (ls_naive, "overflow"),
            (ls_naive_silenced, "overflow"),
            (ls_where_unsafe_branches, "overflow_warning"),
            (ls_shortcut, "asymptotic_shortcut"),
            (ls_log_not_log1p, "tiny_values_lost"),
            (ls_float32, "precision"),
            (ls_sign, "sign"),
            (ls_sigma_minus_margin, "sigma_minus_margin"),
            (ls_forgot_return, "not_a_result"),
            (ls_in_place, "modified_input"),
            (ls_log_of_sigmoid, "overflow"),
            (ls_taylor_near_zero, "near_zero"),
            (ls_flattened, None),
            (ls_wrong_half, "negative_half"),
        ],
    },
}

# Findings recorded here during the cold run, and what became of them:
# - lg_mean_over_d: expected "normalisation"; the check says "scale", and the cold student
#   judged its message "right about the code (a normalisation differs from the prompt's, by a
#   factor that changes from case to case)": the key below is the check's, on that judgement.
# - ls_taylor_near_zero: the check said "precision" (wrong about float64 code); fixed in the
#   check, which now names "near_zero" as expected.
# - ls_wrong_half: expected "large_margin"; the check said only "differs in 18 of 40 entries".
#   The check now names "negative_half" (right for m >= 0, wrong for every negative m), which
#   is exactly what the cold student described; the key below is that one.


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
