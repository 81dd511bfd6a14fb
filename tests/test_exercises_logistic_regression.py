"""Exercises 8.1 and 8.2: the checks accept right answers in several styles and name the
mistakes students make.

Every answer here is written the way a student might write it (loops, `np.dot`, `einsum`,
`np.vectorize`, the {0, 1} habit, a forgotten return, float32), independently of the Mistake
functions inside bpcourse.exercises.logistic_regression.
"""

import math
import re

import numpy as np
import pytest

from bpcourse import logistic
from bpcourse.exercises import check_log_sigmoid, check_logistic_gradient
from bpcourse.exercises.logistic_regression import _gradient_cases, _log_sigmoid_cases


def sig(s):
    """A student's own stable sigmoid, for loops over single numbers."""
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


# ----- Exercise 8.1: right answers -------------------------------------------------------------
def grad_vector(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * np.exp(-np.logaddexp(0.0, m))  # y_n sigma(-m_n)
    dw, db = -(X.T @ u), -np.sum(u)
    if reduction == "mean":
        return dw / len(y), db / len(y)
    return dw, db


def grad_loop(w, b, X, y, reduction="sum"):
    N, D = X.shape
    dw, db = [0.0] * D, 0.0
    for n in range(N):
        m = y[n] * (sum(w[d] * X[n, d] for d in range(D)) + b)
        weight = y[n] * sig(-m)
        db -= weight
        for d in range(D):
            dw[d] -= weight * X[n, d]
    if reduction == "mean":
        dw, db = [v / N for v in dw], db / N
    return np.array(dw), float(db)


def grad_einsum(w, b, X, y, reduction="sum"):
    s = np.einsum("nd,d->n", X, w) + b
    u = y / (1.0 + np.exp(np.clip(y * s, -700, 700)))
    dw = -np.einsum("n,nd->d", u, X)
    scale = 1.0 / len(y) if reduction == "mean" else 1.0
    return dw * scale, -u.sum() * scale


def grad_via_zero_one_labels(w, b, X, y, reduction="sum"):
    """Right: convert to t in {0, 1}; the binary cross-entropy's gradient is X^T (p - t)."""
    t = (y + 1) / 2
    p = 1 / (1 + np.exp(-np.dot(X, w) - b))
    dw, db = np.dot(X.T, p - t), np.sum(p - t)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


# ----- Exercise 8.1: wrong answers -------------------------------------------------------------
def knobs(weight=None, label=True, bias=True, sign=-1.0, divide=None, dtype=np.float64):
    """A vectorised gradient with one slip: weight(m) for sigma(-m), no y_n, no b, + sign, a
    forced normalisation (divide: "never", "always", "twice" for mean), a precision."""

    def student(w, b, X, y, reduction="sum"):
        Xc, wc = X.astype(dtype), w.astype(dtype)
        m = y * (Xc @ wc + (b if bias else 0.0))
        weight_m = weight(m) if weight else 1 / (1 + np.exp(m))
        u = (y if label else 1.0) * weight_m
        dw, db = sign * (u @ Xc), sign * u.sum()
        n = len(y)
        if divide == "never":
            pass
        elif divide == "always":
            dw, db = dw / n, db / n
        elif divide == "twice":
            if reduction == "mean":
                dw, db = dw / n / n, db / n / n
        elif reduction == "mean":
            dw, db = dw / n, db / n
        return dw, db

    return student


def grad_p_minus_y(w, b, X, y, reduction="sum"):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    dw, db = X.T @ (p - y), np.sum(p - y)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def grad_y_minus_p(w, b, X, y, reduction="sum"):
    dw, db = grad_p_minus_y(w, b, X, y, reduction)
    return -dw, -db


def grad_forgot_return(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)  # noqa: F841 (the slip under test)


def grad_in_place(w, b, X, y, reduction="sum"):
    X *= y[:, None]  # rows y_n x_n, computed into the caller's X
    u = 1 / (1 + np.exp(X @ w + y * b))
    dw, db = -(u @ X), -np.sum(u * y)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def grad_swapped(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return db, dw


def grad_db_as_array(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw, np.array([db])


def grad_dw_as_list(w, b, X, y, reduction="sum"):
    dw, db = grad_loop(w, b, X, y, reduction)
    return list(dw), db


def grad_db_sign(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw, -db


def grad_no_default(w, b, X, y, reduction):
    return grad_vector(w, b, X, y, reduction)


def grad_half(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw / 2, db / 2


def grad_generator(w, b, X, y, reduction="sum"):
    return (v for v in grad_vector(w, b, X, y, reduction))


def grad_no_x_factor(w, b, X, y, reduction="sum"):
    """dw without the x_n factor: every entry gets the same number (a slip no detector names:
    the message must say which value is wrong and that db is right)."""
    dw, db = grad_vector(w, b, X, y, reduction)
    return np.full_like(dw, db), db


def grad_broadcast(w, b, X, y, reduction="sum"):
    u = y / (1 + np.exp(y * (X @ w + b)))
    dw = -(u * X).sum(axis=0)  # (N,) * (N, D) fails to broadcast unless N == D
    return dw, -u.sum()


def grad_reduction_swapped(w, b, X, y, reduction="sum"):
    return grad_vector(w, b, X, y, "sum" if reduction == "mean" else "mean")


# ----- Exercise 8.2: right answers -------------------------------------------------------------
def ls_masks(m):
    m = np.asarray(m, dtype=np.float64)
    out = np.empty_like(m)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    out[~pos] = m[~pos] - np.log1p(np.exp(m[~pos]))
    return out


def ls_min_abs(m):
    return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_vectorize(m):
    def one(v):
        return -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))

    return np.vectorize(one)(m)


def ls_logaddexp(m):
    return -np.logaddexp(0, -m)


def ls_safe_where(m):
    e = np.exp(-np.abs(m))  # never overflows
    return np.where(m >= 0, -np.log1p(e), m - np.log1p(e))


def ls_nested_list(m):
    """Right, as nested lists built by a loop (the prompt allows a list)."""
    m = np.asarray(m)

    def one(v):
        return -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))

    if m.ndim == 1:
        return [one(v) for v in m]
    return [[one(v) for v in row] for row in m]


def ls_exact_asymptote(m):
    """Right: -exp(-m) for m > 40 differs from log sigma(m) by exp(-2m)/2, far below 1e-9."""
    m = np.asarray(m, dtype=np.float64)
    out = ls_masks(m)
    big = m > 40
    out[big] = -np.exp(-m[big])
    return out


# ----- Exercise 8.2: wrong answers -------------------------------------------------------------
def ls_naive(m):
    return -np.log(1 + np.exp(-m))


def ls_log_of_sigmoid(m):
    return np.log(1 / (1 + np.exp(-m)))


def ls_where_both_branches(m):
    return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_float32(m):
    m = np.asarray(m, dtype=np.float32)
    return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_float32_back(m):
    return ls_float32(m).astype(np.float64)


def ls_cut_off(m):
    """The crude asymptote: m below -30, 0 above 30, the formula in between."""
    m = np.asarray(m, dtype=np.float64)
    out = np.minimum(m, 0.0)
    mid = np.abs(m) <= 30
    out[mid] = -np.log1p(np.exp(-m[mid]))
    return out


def ls_cut_off_10(m):
    m = np.asarray(m, dtype=np.float64)
    out = np.minimum(m, 0.0)
    mid = np.abs(m) <= 10
    out[mid] = -np.log1p(np.exp(-m[mid]))
    return out


def ls_log_not_log1p(m):
    return np.minimum(m, 0) - np.log(1 + np.exp(-np.abs(m)))


def ls_log_of_stable_sigmoid(m):
    e = np.exp(-np.abs(m))
    s = np.where(m >= 0, 1 / (1 + e), e / (1 + e))
    return np.log(s)


def ls_clipped(m):
    return -np.log1p(np.exp(-np.clip(m, -30, 30)))


def ls_loss_term(m):
    return np.logaddexp(0, -m)


def ls_of_minus_m(m):
    return ls_min_abs(-np.asarray(m))


def ls_taylor_near_zero(m):
    m = np.asarray(m, dtype=np.float64)
    out = ls_masks(m)
    small = np.abs(m) < 0.05
    out[small] = -math.log(2) + m[small] / 2
    return out


def ls_ratio_of_exps(m):
    return np.log(np.exp(m) / (1 + np.exp(m)))


def ls_log1p_one_branch(m):
    return -np.log1p(np.exp(-m))  # fine for m >= 0, exp(-m) overflows for m < -709


def ls_forgot_return(m):
    np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_scalar_math(m):
    return -math.log1p(math.exp(-m)) if m >= 0 else m - math.log1p(math.exp(m))


def ls_in_place(m):
    np.abs(m, out=m)  # the caller's margins lose their signs
    return ls_min_abs(m)


def ls_map(m):
    return map(float, ls_min_abs(m).ravel())


BATTERY = {
    "check_logistic_gradient": {
        "right": [grad_vector, grad_loop, grad_einsum, grad_via_zero_one_labels],
        "wrong": [
            (knobs(sign=+1.0), "sign"),
            (knobs(weight=lambda m: 1 / (1 + np.exp(-m))), "sigma_plus_margin"),
            (knobs(weight=lambda m: np.exp(-m) / (1 + np.exp(-m)) ** 2), "sigma_prime"),
            (knobs(label=False), "forgot_y"),
            (knobs(bias=False), "forgot_b"),
            (grad_p_minus_y, "labels_0_1"),
            (grad_y_minus_p, "labels_0_1"),
            (knobs(divide="never"), "missing_1_over_n"),
            (knobs(divide="always"), "extra_1_over_n"),
            (knobs(divide="twice"), "normalisation"),
            (grad_reduction_swapped, "normalisation"),
            (knobs(dtype=np.float32), "precision"),
            (grad_forgot_return, "not_a_result"),
            (grad_in_place, "modified_input"),
            (grad_swapped, "output_order"),
            (grad_db_as_array, "not_a_result"),
            (grad_dw_as_list, "not_a_result"),
            (grad_db_sign, "sign"),
            (grad_no_default, "raised"),
            (grad_half, "scale"),
            (grad_generator, "not_a_result"),
            (grad_no_x_factor, "unknown"),
            (grad_broadcast, "raised"),
        ],
    },
    "check_log_sigmoid": {
        "right": [
            ls_masks,
            ls_min_abs,
            ls_vectorize,
            ls_logaddexp,
            ls_safe_where,
            ls_nested_list,
            ls_exact_asymptote,
        ],
        "wrong": [
            (ls_naive, "overflow"),
            (ls_log_of_sigmoid, "overflow"),
            (ls_where_both_branches, "overflow_warning"),
            (ls_float32, "precision"),
            (ls_float32_back, "precision"),
            (ls_cut_off, "asymptotic_shortcut"),
            (ls_cut_off_10, "asymptotic_shortcut"),
            (ls_log_not_log1p, "tiny_values_lost"),
            (ls_log_of_stable_sigmoid, "overflow"),  # log(0) = -inf for m = -1e4
            (ls_clipped, "large_margin"),
            (ls_loss_term, "sign"),
            (ls_of_minus_m, "sigma_minus_margin"),
            (ls_taylor_near_zero, "near_zero"),
            (ls_forgot_return, "not_a_result"),
            (ls_scalar_math, "raised"),
            (ls_in_place, "modified_input"),
            (ls_map, "not_a_result"),
            (ls_ratio_of_exps, "overflow"),
            (ls_log1p_one_branch, "overflow"),
        ],
    },
}

CHECKS = {
    "check_logistic_gradient": check_logistic_gradient,
    "check_log_sigmoid": check_log_sigmoid,
}
RIGHT = [(name, fn) for name, b in BATTERY.items() for fn in b["right"]]
WRONG = [(name, fn, key) for name, b in BATTERY.items() for fn, key in b["wrong"]]


def label(value):
    return getattr(value, "__name__", None) or getattr(value, "__qualname__", "")


def expected_numbers(name):
    """The reference's values on the check's cases, printed as a message might print them."""
    if name == "check_logistic_gradient":
        cases = _gradient_cases()[0]
        values = [np.append(*logistic.gradient(*args)) for args in cases]
    else:
        values = [logistic.log_sigmoid(m).ravel() for (m,) in _log_sigmoid_cases()]
    shown = set()
    for v in np.concatenate(values):
        if abs(v) > 1e-3 and not float(v).is_integer():
            shown |= {f"{v:.3g}", f"{v:.4g}", f"{v:.6f}", f"{v:.3f}"}
    return shown


@pytest.mark.parametrize("name, fn", RIGHT, ids=[f"{n}-{label(f)}" for n, f in RIGHT])
def test_right_answers_in_every_style_are_correct(name, fn):
    result = CHECKS[name](fn)
    assert result.status == "correct", result
    assert result.function is fn and result.usable.is_yours
    assert "using your" in repr(result.usable)


@pytest.mark.parametrize("name, fn, key", WRONG, ids=[f"{n}-{label(f)}-{k}" for n, f, k in WRONG])
def test_wrong_answers_are_rejected_and_named(name, fn, key):
    result = CHECKS[name](fn)
    assert result.status != "correct", result
    assert result.diagnosis == key, result
    assert result.function is not fn and not result.usable.is_yours
    if key == "unknown":  # no detector names it: the message still says what is wrong
        assert "differs in" in result.message and "right in every case" in result.message
    assert "using the reference" in repr(result.usable)
    again = CHECKS[name](fn)  # re-running never changes the verdict
    assert (again.status, again.diagnosis, again.message) == (
        result.status,
        result.diagnosis,
        result.message,
    )


@pytest.mark.parametrize("name, fn, key", WRONG, ids=[f"{n}-{label(f)}-{k}" for n, f, k in WRONG])
def test_messages_never_give_the_expected_numbers(name, fn, key):
    message = CHECKS[name](fn).message
    printed = set(re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", message))
    assert not printed & expected_numbers(name), message


def test_battery_figures():
    for name, b in BATTERY.items():
        assert len(b["right"]) >= 3 and len(b["wrong"]) >= 8, name
        assert len({key for _, key in b["wrong"]}) >= 6, name


def test_a_stub_is_not_done_yet_and_the_reference_stands_in():
    def stub(w, b, X, y, reduction="sum"):
        raise NotImplementedError("Exercise 8.1: ...")

    result = check_logistic_gradient(stub)
    assert result.status == "todo" and "not done yet" in repr(result)
    used = result.usable
    assert repr(used) == "using the reference logistic_gradient until Exercise 8.1 passes"
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1.0, -1.0])
    dw, db = used(np.zeros(2), 0.0, X, y)  # reduction="sum" by default; sigma(0) = 1/2
    assert np.allclose(dw, [-0.25, -1.5]) and np.isclose(db, 0.0)
    dw, _ = used(np.zeros(2), 0.0, X, y, "mean")
    assert np.allclose(dw, [-0.125, -0.75])


def test_a_log_sigmoid_stub_is_not_done_yet():
    def stub(m):
        raise NotImplementedError("Exercise 8.2: ...")

    result = check_log_sigmoid(stub)
    assert result.status == "todo"
    assert repr(result.usable) == "using the reference log_sigmoid until Exercise 8.2 passes"
    assert np.allclose(result.usable(np.array([0.0, -1e4])), [-math.log(2), -1e4])


def test_a_value_instead_of_a_function_is_named_not_raised():
    for check in CHECKS.values():
        result = check(3.0)
        assert result.status == "error" and result.diagnosis == "not_callable"


def test_the_cases_span_margins_from_1e_minus_4_to_1e4():
    sizes = np.abs(np.concatenate([m.ravel() for (m,) in _log_sigmoid_cases()]))
    assert sizes[sizes > 0].min() <= 1e-4 and sizes.max() >= 1e4
    assert np.any(sizes == 0)
    # and each entry is judged by its own size: log sigma(50) is about -2e-22
    assert ls_cut_off(np.array([50.0]))[0] == 0.0 != logistic.log_sigmoid(np.array([50.0]))[0]


def test_the_gradient_cases_reach_both_reductions_and_the_default():
    cases = _gradient_cases()[0]
    assert {args[4] for args in cases if len(args) == 5} == {"sum", "mean"}
    assert any(len(args) == 4 for args in cases)
    assert len({args[2].shape for args in cases}) == len(cases)  # N and D differ
    labels = np.concatenate([args[3] for args in cases])
    assert set(labels) == {-1.0, 1.0}
