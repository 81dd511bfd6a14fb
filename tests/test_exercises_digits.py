"""The checks of notebook 08's exercises accept a right answer and name each known mistake.

Every wrong implementation below is written the way a student would write it, independently
of the Mistake functions inside `bpcourse.exercises.digits`.
"""

import numpy as np
import pytest

from bpcourse.exercises import (
    check_confusion_matrix,
    check_predict_labels,
    check_softmax_cross_entropy_gradient,
)


def stub(*args):
    raise NotImplementedError("Exercise 8.x: not written yet")


# ------------------------------------------------------------------ Exercise 8.1


def ce_gradient_right(s, y):
    N = s.shape[0]
    shifted = s - np.max(s, axis=1)[:, None]
    p = np.exp(shifted)
    p = p / np.sum(p, axis=1)[:, None]
    p[np.arange(N), y] -= 1
    return p / N


def ce_gradient_right_logsumexp(s, y):
    N, K = s.shape
    m = s.max(axis=1, keepdims=True)
    log_p = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))
    return (np.exp(log_p) - np.eye(K)[y]) / N


def ce_gradient_no_mean(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p


def ce_gradient_no_onehot(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True) / len(y)


def ce_gradient_sign(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return (np.eye(s.shape[1])[y] - p) / len(y)


def ce_gradient_naive_exp(s, y):
    p = np.exp(s)
    p = p / p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_gradient_global_max(s, y):
    p = np.exp(s - s.max())  # one shift for the whole batch: rows far below it underflow
    p = p / p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_gradient_transposed(s, y):
    p = np.exp(s.T - s.max(axis=1))
    p = p / p.sum(axis=0)
    p[y, np.arange(len(y))] -= 1
    return p / len(y)


def ce_gradient_column_softmax(s, y):
    p = np.exp(s) / np.exp(s).sum(axis=0)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def ce_gradient_column_indexing(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[:, y] -= 1
    return p / len(y)


@pytest.mark.parametrize("right", [ce_gradient_right, ce_gradient_right_logsumexp])
def test_ce_gradient_check_accepts_right_answers(right):
    result = check_softmax_cross_entropy_gradient(right)
    assert result.status == "correct", result
    assert result.function is right
    assert "±1000" in str(result)


def test_ce_gradient_check_says_todo_for_a_stub_and_falls_back_to_a_working_reference():
    result = check_softmax_cross_entropy_gradient(stub)
    assert result.status == "todo"
    s = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 0])
    np.testing.assert_allclose(result.function(s, y), ce_gradient_right(s, y), rtol=1e-12)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (ce_gradient_no_mean, "missing_1_over_n"),
        (ce_gradient_no_onehot, "forgot_onehot"),
        (ce_gradient_sign, "sign"),
        (ce_gradient_naive_exp, "overflow"),
        (ce_gradient_global_max, "overflow"),
        (ce_gradient_transposed, "transpose"),
        (ce_gradient_column_softmax, "wrong_axis"),
        (ce_gradient_column_indexing, "onehot_indexing"),
    ],
)
def test_ce_gradient_check_names_the_mistake(wrong, key):
    result = check_softmax_cross_entropy_gradient(wrong)
    assert result.status == "mistake", result
    assert result.diagnosis == key, result
    assert result.function is not wrong


def test_ce_gradient_check_lets_no_overflow_warning_out():
    with np.errstate(all="warn"):
        # pytest turns RuntimeWarning into errors: the check must silence the student's overflow
        result = check_softmax_cross_entropy_gradient(ce_gradient_naive_exp)
    assert result.diagnosis == "overflow"


# ------------------------------------------------------------------ Exercise 8.2


def predict_right(s):
    return np.array([int(np.argmax(row)) for row in s])


def predict_columns(s):
    return s.argmax(0)


def predict_flat(s):
    return s.argmax()


def predict_values(s):
    return s.max(axis=-1)


def predict_one_based(s):
    return np.argmax(s, axis=1) + 1


def test_predict_check_accepts_a_right_answer():
    result = check_predict_labels(predict_right)
    assert result.status == "correct", result


def test_predict_check_says_todo_for_a_stub():
    result = check_predict_labels(stub)
    assert result.status == "todo"
    np.testing.assert_array_equal(result.function(np.array([[0.0, 1.0], [2.0, -1.0]])), [1, 0])


@pytest.mark.parametrize(
    "wrong, key",
    [
        (predict_columns, "wrong_axis"),
        (predict_flat, "no_axis"),
        (predict_values, "max_not_argmax"),
        (predict_one_based, "off_by_one"),
    ],
)
def test_predict_check_names_the_mistake(wrong, key):
    result = check_predict_labels(wrong)
    assert result.status == "mistake", result
    assert result.diagnosis == key, result


# ------------------------------------------------------------------ Exercise 8.3


def confusion_right(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def confusion_swapped(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    np.add.at(C, (y_pred, y_true), 1)
    return C


def confusion_fancy_plus_equals(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_true, y_pred] += 1
    return C


def confusion_rates(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred, strict=True):
        C[t, p] += 1
    return C / C.sum(axis=1, keepdims=True).clip(min=1)


def confusion_sized_by_labels(y_true, y_pred, K):
    n = max(y_true.max(), y_pred.max()) + 1
    C = np.zeros((n, n), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        C[t, p] += 1
    return C


def test_confusion_check_accepts_a_right_answer():
    result = check_confusion_matrix(confusion_right)
    assert result.status == "correct", result


def test_confusion_check_says_todo_for_a_stub():
    result = check_confusion_matrix(stub)
    assert result.status == "todo"
    C = result.function(np.array([0, 0, 1, 2]), np.array([0, 0, 2, 2]), 3)
    np.testing.assert_array_equal(C, [[2, 0, 0], [0, 0, 1], [0, 0, 1]])


@pytest.mark.parametrize(
    "wrong, key",
    [
        (confusion_swapped, "transpose"),
        (confusion_fancy_plus_equals, "overwrite_not_accumulate"),
        (confusion_rates, "normalised"),
        (confusion_sized_by_labels, "size_from_data"),
    ],
)
def test_confusion_check_names_the_mistake(wrong, key):
    result = check_confusion_matrix(wrong)
    assert result.status == "mistake", result
    assert result.diagnosis == key, result


def test_checks_refuse_a_value_instead_of_a_function():
    with pytest.raises(TypeError, match="function itself"):
        check_predict_labels(np.zeros(3))
