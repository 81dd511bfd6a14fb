"""Exercises 7.1 and 7.2: the checks accept right answers and name each mistake they claim to.

Every wrong implementation here is written the way a student might write it (loops, other
formulas), independently of the Mistake functions inside bpcourse.exercises.logistic.
"""

import math

import numpy as np
import pytest

from bpcourse.exercises import check_log_sigmoid, check_logistic_gradient


def student_sigma(s):
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


def loop_gradient(w, b, X, y, reduction="sum", inside=-1, label=True, sign=-1, divide=None):
    """A per-sample loop with knobs for the classic slips.

    inside=-1 uses sigma(-m_n) (right), +1 uses sigma(m_n); label=False drops the y_n factor;
    sign=+1 drops the leading minus; divide=True/False forces dividing by N or not.
    """
    N, D = X.shape
    dw, db = [0.0] * D, 0.0
    for n in range(N):
        m = y[n] * (sum(w[d] * X[n, d] for d in range(D)) + b)
        weight = (y[n] if label else 1.0) * student_sigma(inside * m)
        db += sign * weight
        for d in range(D):
            dw[d] += sign * weight * X[n, d]
    if divide if divide is not None else reduction == "mean":
        dw, db = [v / N for v in dw], db / N
    return np.array(dw), db


def test_a_right_loop_implementation_is_correct():
    result = check_logistic_gradient(loop_gradient)
    assert result.status == "correct", result
    assert result.function is loop_gradient
    assert result.evidence["max_error"] < 1e-12


def test_a_stub_is_not_done_yet():
    def stub(w, b, X, y, reduction="sum"):
        raise NotImplementedError("Exercise 7.1: ...")

    result = check_logistic_gradient(stub)
    assert result.status == "todo"
    assert "not done yet" in repr(result)
    # the reference stands in, so later cells still run
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1.0, -1.0])
    dw, db = result.function(np.zeros(2), 0.0, X, y)  # reduction="sum" by default
    assert np.allclose(dw, [-0.25, -1.5]) and np.isclose(db, 0.0)  # sigma(0) = 1/2
    dw, db = result.function(np.zeros(2), 0.0, X, y, "mean")
    assert np.allclose(dw, [-0.125, -0.75])


@pytest.mark.parametrize(
    "knobs, key",
    [
        ({"sign": +1}, "sign"),
        ({"inside": +1}, "sigma_plus_margin"),
        ({"label": False}, "forgot_y"),
        ({"divide": False}, "missing_1_over_n"),
        ({"divide": True}, "extra_1_over_n"),
    ],
)
def test_each_gradient_slip_is_named(knobs, key):
    def student(w, b, X, y, reduction="sum"):
        return loop_gradient(w, b, X, y, reduction, **knobs)

    result = check_logistic_gradient(student)
    assert result.status == "mistake", result
    assert result.diagnosis == key
    assert result.function is not student


def test_a_vectorised_gradient_that_uses_the_mean_everywhere_is_caught():
    def student(w, b, X, y, reduction="sum"):
        u = y / (1 + np.exp(y * (X @ w + b)))
        return -np.mean(u[:, None] * X, axis=0), -np.mean(u)

    assert check_logistic_gradient(student).diagnosis == "extra_1_over_n"


def test_a_gradient_returning_a_wrong_shape_is_wrong_not_correct():
    def student(w, b, X, y, reduction="sum"):
        dw, db = loop_gradient(w, b, X, y, reduction)
        return np.append(dw, db), 0.0

    result = check_logistic_gradient(student)
    assert result.status == "wrong"
    assert "shape" in result.message


def test_the_gradient_check_refuses_a_value_instead_of_a_function():
    with pytest.raises(TypeError, match="function itself"):
        check_logistic_gradient(3.0)


# ---- Exercise 7.2: log sigma(m) ------------------------------------------------------------


def stable_piecewise(m):
    """Right: log sigma(m) = -log1p(e^-m) for m >= 0 and m - log1p(e^m) for m < 0."""
    m = np.asarray(m, dtype=np.float64)
    out = np.empty_like(m)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    out[~pos] = m[~pos] - np.log1p(np.exp(m[~pos]))
    return out


def test_a_right_piecewise_log_sigmoid_is_correct():
    result = check_log_sigmoid(stable_piecewise)
    assert result.status == "correct", result
    assert result.function is stable_piecewise


def test_a_log_sigmoid_stub_is_not_done_yet():
    def stub(m):
        raise NotImplementedError("Exercise 7.2: ...")

    result = check_log_sigmoid(stub)
    assert result.status == "todo"
    assert np.allclose(result.function(np.array([0.0, -1e4])), [-math.log(2), -1e4])


def test_the_textbook_formula_overflows_and_is_named():
    def naive(m):
        return -np.log(1 + np.exp(-m))

    result = check_log_sigmoid(naive)  # no RuntimeWarning escapes (pytest would turn it red)
    assert result.status == "mistake", result
    assert result.diagnosis == "overflow"


def test_log_of_the_sigmoid_underflows_and_is_named():
    def via_sigmoid(m):
        return np.log(1 / (1 + np.exp(-m)))

    assert check_log_sigmoid(via_sigmoid).diagnosis == "overflow"


def test_right_values_with_an_overflow_inside_np_where_are_named():
    def both_branches(m):
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))

    result = check_log_sigmoid(both_branches)
    assert result.status == "mistake", result
    assert result.diagnosis == "overflow_warning"


def test_clipping_the_margin_is_wrong_for_large_margins():
    def clipped(m):
        m = np.clip(m, -30, 30)
        return -np.log1p(np.exp(-m))

    result = check_log_sigmoid(clipped)
    assert result.status == "mistake", result
    assert result.diagnosis == "large_margin"


def test_returning_the_loss_term_is_a_sign_mistake():
    def loss_term(m):
        return np.logaddexp(0.0, -m)

    assert check_log_sigmoid(loss_term).diagnosis == "sign"


def test_log_sigma_of_minus_m_is_named():
    def flipped(m):
        m = np.asarray(m, dtype=np.float64)
        return -np.maximum(m, 0) - np.log1p(np.exp(-np.abs(m)))

    assert check_log_sigmoid(flipped).diagnosis == "sigma_minus_margin"


def test_a_log_sigmoid_that_raises_is_reported():
    def broken(m):
        return math.log(1 / (1 + math.exp(-m)))  # a scalar formula fed an array

    result = check_log_sigmoid(broken)
    assert result.status == "error"
    assert "TypeError" in result.message
