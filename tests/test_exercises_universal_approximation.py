"""Tests of notebook 05's exercise checks: right answers pass, stubs are "todo", and each
mistake a check claims to diagnose is recognised from an independent wrong implementation."""

import math

import numpy as np
import pytest

from bpcourse.exercises import (
    check_compose_with_affine,
    check_relu_sum_through,
    check_relu_units_needed,
)


def stub(*args):
    raise NotImplementedError("Exercise 5.x: not written yet")


# ---------------------------------------------------------------- Exercise 5.1
def student_relu_sum(t, y, slope_changes=True, knot_sign=-1, constant=True, divide=True):
    """A student's loop: unit k is relu(x - t_k) with the slope change at t_k."""
    n = len(t) - 1
    c = y[0] if constant else 0.0
    w, b, omega = [], [], []
    previous = 0.0
    for k in range(n):
        run = (t[k + 1] - t[k]) if divide else 1.0
        slope = (y[k + 1] - y[k]) / run
        w.append(1.0)
        b.append(knot_sign * t[k])
        omega.append(slope - previous if slope_changes else slope)
        previous = slope
    return c, np.array(w), np.array(b), np.array(omega)


def mirrored_relu_sum(t, y):
    """Right in another parametrisation: f(x) = y_n + sum_k d_k relu(t_k - x), k = 1..n.

    On the cell [t_(k-1), t_k] the units j >= k are on, so the slope there is -sum_(j>=k) d_j;
    matching the slopes m_0..m_(n-1) gives d_k = m_k - m_(k-1) with m_n = 0.
    """
    slopes = np.diff(y) / np.diff(t)
    d = np.concatenate([slopes[1:], [0.0]]) - slopes
    return y[-1], -np.ones(len(slopes)), t[1:].copy(), d


def test_relu_sum_reference_like_student_passes():
    result = check_relu_sum_through(student_relu_sum)
    assert result.status == "correct", result
    assert result.function is student_relu_sum
    assert "✔ Exercise 5.1" in repr(result)


def test_relu_sum_another_parametrisation_passes():
    assert check_relu_sum_through(mirrored_relu_sum).status == "correct"


def test_relu_sum_stub_is_todo():
    result = check_relu_sum_through(stub)
    assert result.status == "todo"
    t, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 0.0])
    c, w, b, omega = result.function(t, y)  # the reference, so later cells still run
    x = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    f = c + np.maximum(np.outer(x, w) + b, 0) @ omega
    np.testing.assert_allclose(f, np.interp(x, t, y))


@pytest.mark.parametrize(
    "options, key",
    [
        ({"slope_changes": False}, "slopes_not_differenced"),
        ({"knot_sign": +1}, "knot_sign"),
        ({"constant": False}, "missing_constant"),
        ({"divide": False}, "rise_not_slope"),
    ],
)
def test_relu_sum_mistakes_are_diagnosed(options, key):
    result = check_relu_sum_through(lambda t, y: student_relu_sum(t, y, **options))
    assert result.status == "mistake", result
    assert result.diagnosis == key
    assert result.function is not None  # the reference, so later cells still run


def test_relu_sum_with_mismatched_shapes_reports_an_error():
    def wrong_shapes(t, y):
        c, w, b, omega = student_relu_sum(t, y)
        return c, w, b, omega[:-1]

    result = check_relu_sum_through(wrong_shapes)
    assert result.status == "error"
    assert "one entry per unit" in result.message


# ---------------------------------------------------------------- Exercise 5.2
def student_units(eps, a, b, max_d2):
    """A student's search: the first n whose bound is at most eps."""
    n = 1
    while (b - a) ** 2 * max_d2 / (8 * n**2) > eps:
        n += 1
    return n


def test_units_needed_loop_passes():
    result = check_relu_units_needed(student_units)
    assert result.status == "correct", result


def test_units_needed_closed_form_passes():
    def closed_form(eps, a, b, max_d2):
        return math.ceil((b - a) / math.sqrt(8 * eps / max_d2))

    assert check_relu_units_needed(closed_form).status == "correct"


def test_units_needed_stub_is_todo():
    result = check_relu_units_needed(stub)
    assert result.status == "todo"
    assert result.function(1e-2, 0.0, 1.0, 8.0) == 10  # the reference: 1 / n^2 <= 1e-2


@pytest.mark.parametrize(
    "wrong, key",
    [
        (
            lambda eps, a, b, m: math.ceil((b - a) * math.sqrt(m) / math.sqrt(eps)),
            "missing_1_over_8",
        ),
        (lambda eps, a, b, m: math.ceil((b - a) * m / eps / 8), "h_not_squared"),
        (lambda eps, a, b, m: int((b - a) * math.sqrt(m / eps / 8)), "rounded_down"),
    ],
)
def test_units_needed_mistakes_are_diagnosed(wrong, key):
    result = check_relu_units_needed(wrong)
    assert result.status == "mistake", result
    assert result.diagnosis == key


# ---------------------------------------------------------------- Exercise 5.3
def student_compose(w, b, v, c):
    """A student's loop over units: relu(w_k (v . x + c) + b_k)."""
    W = np.zeros((len(w), len(v)))
    B = np.zeros(len(w))
    for k in range(len(w)):
        W[k] = w[k] * v
        B[k] = w[k] * c + b[k]
    return W, B


def test_compose_loop_passes():
    assert check_compose_with_affine(student_compose).status == "correct"


def test_compose_gives_the_same_units_as_the_1d_sum():
    rng = np.random.default_rng(0)
    w, b, v, c = rng.normal(size=5), rng.normal(size=5), rng.normal(size=2), 0.7
    W, B = check_compose_with_affine(stub).function(w, b, v, c)  # the reference
    X = rng.normal(size=(10, 2))
    u = X @ v + c
    np.testing.assert_allclose(
        np.maximum(X @ W.T + B, 0), np.maximum(np.outer(u, w) + b, 0), atol=1e-12
    )


def test_compose_stub_is_todo():
    assert check_compose_with_affine(stub).status == "todo"


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda w, b, v, c: (w[:, None] * v[None, :], b.copy()), "missing_offset"),
        (lambda w, b, v, c: (w[:, None] * v[None, :], b + c), "offset_not_scaled"),
        (lambda w, b, v, c: (v[:, None] * w[None, :], w * c + b), "transpose"),
    ],
)
def test_compose_mistakes_are_diagnosed(wrong, key):
    result = check_compose_with_affine(wrong)
    assert result.status == "mistake", result
    assert result.diagnosis == key
