"""Tests of the checks of notebook 01's exercises (bpcourse.exercises.chain_rule).

Every wrong implementation below is written here, the way a student might write it, and is
independent of the Mistake functions the checks hold.
"""

import math

import numpy as np
import pytest

from bpcourse.exercises import check_df_dt, check_toy_partials
from bpcourse.exercises.chain_rule import toy_cases

# ---------------------------------------------------------------- Exercise 1.1: df/dt


def df_dt_expanded(t):
    """Correct, by substituting first: f(t) = cos(t)^2 t^2, then the product rule."""
    return -2 * math.cos(t) * math.sin(t) * t**2 + 2 * t * math.cos(t) ** 2


def central_difference(g, t, eps=1e-6):
    return (g(t + eps) - g(t - eps)) / (2 * eps)


def test_df_dt_expanded_matches_finite_differences():
    f = lambda t: math.cos(t) ** 2 * t**2  # noqa: E731
    for t in (-1.2, 0.4, 2.6):
        assert df_dt_expanded(t) == pytest.approx(central_difference(f, t), rel=1e-7)


def test_df_dt_correct_function_passes():
    result = check_df_dt(df_dt_expanded)
    assert result.status == "correct"
    assert result.ok
    assert result.function is df_dt_expanded
    assert "correct" in repr(result)


def test_df_dt_stub_is_todo_and_falls_back_to_a_correct_reference():
    def stub(t):
        raise NotImplementedError("Exercise 1.1")

    result = check_df_dt(stub)
    assert result.status == "todo"
    assert result.function(0.9) == pytest.approx(df_dt_expanded(0.9), rel=1e-12)


@pytest.mark.parametrize(
    "student",
    [
        lambda t: 2 * math.cos(t) * t**2 * -math.sin(t),
        lambda t: math.cos(t) ** 2 * 2 * t,
    ],
    ids=["only_through_x1", "only_through_x2"],
)
def test_df_dt_one_route_only_is_diagnosed(student):
    result = check_df_dt(student)
    assert (result.status, result.diagnosis) == ("mistake", "missing_path")


def test_df_dt_without_inner_derivatives_is_diagnosed():
    def student(t):
        x1, x2 = math.cos(t), t * t
        return 2 * x1 * x2 + x1 * x1

    result = check_df_dt(student)
    assert (result.status, result.diagnosis) == ("mistake", "forgot_inner_derivative")


def test_df_dt_wrong_sign_of_cos_derivative_is_diagnosed():
    def student(t):
        x1, x2 = math.cos(t), t * t
        return 2 * x1 * x2 * math.sin(t) + x1 * x1 * 2 * t

    result = check_df_dt(student)
    assert (result.status, result.diagnosis) == ("mistake", "sign")


def test_df_dt_partials_at_t_instead_of_x_of_t_is_diagnosed():
    def student(t):
        return 2 * t * t * -math.sin(t) + t * t * 2 * t

    result = check_df_dt(student)
    assert (result.status, result.diagnosis) == ("mistake", "wrong_point")


def test_df_dt_unrecognised_error_is_wrong_not_a_named_mistake():
    result = check_df_dt(lambda t: math.sin(t) + 3.0)
    assert result.status == "wrong"


# ---------------------------------------------------------------- Exercise 1.2: toy network


def toy_student(x, y, beta, omega, mistake=None):
    """The eight partials written out step by step; `mistake` injects one slip."""
    b0, b1, b2, b3 = beta
    w0, w1, w2, w3 = omega
    f0 = b0 + w0 * x
    h1 = max(f0, 0.0)
    f1 = b1 + w1 * h1
    h2 = max(f1, 0.0)
    f2 = b2 + w2 * h2
    h3 = max(f2, 0.0)
    f3 = b3 + w3 * h3

    def relu_prime(z):
        if mistake == "forgot_sigma_prime":
            return 1.0
        return 1.0 if z > 0 else 0.0

    if mistake == "sign":
        dl_df3 = 2 * (y - f3)
    elif mistake == "missing_factor_2":
        dl_df3 = f3 - y
    else:
        dl_df3 = 2 * (f3 - y)
    dl_df2 = relu_prime(f2) * w3 * dl_df3
    if mistake == "not_chained":
        dl_df1 = relu_prime(f1) * w2 * dl_df3
        dl_df0 = relu_prime(f0) * w1 * dl_df3
    else:
        dl_df1 = relu_prime(f1) * w2 * dl_df2
        dl_df0 = relu_prime(f0) * w1 * dl_df1
    if mistake == "wrong_activation":
        inputs = [h1, h2, h3, f3]  # each step's own output instead of its input
    else:
        inputs = [x, h1, h2, h3]
    dl_dbeta = np.array([dl_df0, dl_df1, dl_df2, dl_df3])
    dl_domega = np.array(inputs) * dl_dbeta
    return dl_dbeta, dl_domega


def toy_by_finite_differences(x, y, beta, omega, eps=1e-6):
    """Central differences of l = (f_3 - y)^2 over the 8 parameters, written independently."""

    def loss(theta):
        h = x
        for k in range(4):
            f = theta[k] + theta[4 + k] * h
            h = max(f, 0.0)
        return (f - y) ** 2

    theta = np.concatenate([beta, omega]).astype(float)
    grad = np.zeros(8)
    for i in range(8):
        e = np.zeros(8)
        e[i] = eps
        grad[i] = (loss(theta + e) - loss(theta - e)) / (2 * eps)
    return grad[:4], grad[4:]


def test_toy_cases_stay_away_from_the_kink_and_switch_units_off():
    inactive = 0
    for x, _, beta, omega in toy_cases():
        h = x
        for k in range(3):
            f = beta[k] + omega[k] * h
            assert abs(f) >= 0.1
            inactive += f < 0
            h = max(f, 0.0)
    assert inactive >= 2


def test_toy_student_without_mistake_matches_finite_differences():
    for case in toy_cases():
        got = toy_student(*case)
        want = toy_by_finite_differences(*case)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-8)


def test_toy_correct_functions_pass():
    assert check_toy_partials(toy_student).status == "correct"
    assert check_toy_partials(toy_by_finite_differences).status == "correct"


def test_toy_stub_is_todo_and_reference_is_correct():
    def stub(x, y, beta, omega):
        raise NotImplementedError("Exercise 1.2")

    result = check_toy_partials(stub)
    assert result.status == "todo"
    assert check_toy_partials(result.function).status == "correct"


@pytest.mark.parametrize(
    "mistake",
    ["sign", "missing_factor_2", "forgot_sigma_prime", "not_chained", "wrong_activation"],
)
def test_toy_mistake_is_diagnosed(mistake):
    def student(x, y, beta, omega):
        return toy_student(x, y, beta, omega, mistake=mistake)

    result = check_toy_partials(student)
    assert (result.status, result.diagnosis) == ("mistake", mistake)


def test_toy_partials_appended_while_walking_backwards_is_diagnosed():
    def student(x, y, beta, omega):
        h = [x]
        f = []
        for k in range(4):
            f.append(beta[k] + omega[k] * h[k])
            h.append(max(f[k], 0.0))
        dl_dbeta, dl_domega = [], []
        g = 2 * (f[3] - y)
        for k in (3, 2, 1, 0):
            dl_dbeta.append(g)
            dl_domega.append(g * h[k])
            if k > 0:
                g = g * omega[k] * (1.0 if f[k - 1] > 0 else 0.0)
        return np.array(dl_dbeta), np.array(dl_domega)

    result = check_toy_partials(student)
    assert (result.status, result.diagnosis) == ("mistake", "reversed_order")


def test_toy_omega_partials_returned_first_is_diagnosed():
    def student(x, y, beta, omega):
        dl_dbeta, dl_domega = toy_student(x, y, beta, omega)
        return dl_domega, dl_dbeta

    result = check_toy_partials(student)
    assert (result.status, result.diagnosis) == ("mistake", "swapped_outputs")


def test_toy_wrong_shape_is_reported_without_crashing():
    result = check_toy_partials(lambda x, y, beta, omega: np.zeros(8))
    assert result.status == "wrong"
    assert "value" in result.message or "shape" in result.message
