"""Tests of the checks of notebook 01's exercises (bpcourse.exercises.chain_rule).

`BATTERY` holds answers written here the way students write them (math or NumPy, loops or
unrolled lines, lists or arrays, a forgotten return, an off-by-one loop, ...), independently
of the Mistake functions inside the module: every right one must pass, every wrong one must be
rejected with the diagnosis given (None: rejected, and the message says where it is wrong).
"""

import math

import numpy as np
import pytest
import sympy as sp

from bpcourse.autodiff import Value
from bpcourse.exercises import check_df_dt, check_toy_partials
from bpcourse.exercises.chain_rule import (
    _df_dt_reference,
    _toy_reference,
    _toy_variant,
    toy_cases,
)


# ---------------------------------------------------------------- Exercise 1.1: df/dt
def df_dt_by_paths(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t


def df_dt_expanded(t):
    """Substitute first, f(t) = cos(t)^2 t^2, then the product rule."""
    return -2 * math.cos(t) * math.sin(t) * t**2 + 2 * t * math.cos(t) ** 2


def df_dt_numpy_vector(t):
    grad_f = np.array([2 * np.cos(t) * t**2, np.cos(t) ** 2])  # at (x1(t), x2(t))
    dx_dt = np.array([-np.sin(t), 2 * t])
    return grad_f @ dx_dt  # a NumPy float


def df_dt_sympy_then_float(t):
    tau = sp.Symbol("tau")
    return float(sp.diff(sp.cos(tau) ** 2 * tau**2, tau).subs(tau, t))


def df_dt_zero_d_array(t):
    return np.asarray(np.dot([2 * np.cos(t) * t * t, np.cos(t) ** 2], [-np.sin(t), 2 * t]))


def df_dt_only_x1(t):
    return 2 * math.cos(t) * t**2 * -math.sin(t)


def df_dt_only_x2(t):
    return math.cos(t) ** 2 * 2 * t


def df_dt_no_inner(t):
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2 + x1 * x1


def df_dt_sin_sign(t):
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2 * math.sin(t) + x1 * x1 * 2 * t


def df_dt_at_t(t):
    return 2 * t * t * -math.sin(t) + t * t * 2 * t


def df_dt_no_return(t):
    x1, x2 = math.cos(t), t**2
    2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t  # noqa: B018


def df_dt_sympy_expression(t):
    tau = sp.Symbol("tau")
    return sp.diff(sp.cos(tau) ** 2 * tau**2, tau)


def df_dt_two_terms(t):
    x1, x2 = math.cos(t), t**2
    return [2 * x1 * x2 * -math.sin(t), x1**2 * 2 * t]


def df_dt_float32(t):
    t = np.float32(t)
    return np.float32(2) * np.cos(t) * t * t * -np.sin(t) + np.cos(t) ** 2 * np.float32(2) * t


def df_dt_all_negated(t):
    return -df_dt_by_paths(t)


def df_dt_raises(t):
    return 2 * x1 * t  # noqa: F821 (a name the student never defined)


def df_dt_terms_product(t):
    grad_f = np.array([2 * np.cos(t) * t**2, np.cos(t) ** 2])
    dx_dt = np.array([-np.sin(t), 2 * t])
    return np.prod(grad_f * dx_dt)  # the two route terms, multiplied


def df_dt_terms_array(t):
    x1, x2 = math.cos(t), t * t
    return np.array([2 * x1 * x2 * -math.sin(t), x1 * x1 * 2 * t])  # not summed


def df_dt_sums_multiplied(t):
    x1, x2 = math.cos(t), t * t
    df_dx = 2 * x1 * x2 + x1**2
    dx_dt = -math.sin(t) + 2 * t
    return df_dx * dx_dt


def df_dt_with_partials(t):
    x1, x2 = math.cos(t), t * t
    df_dx1, df_dx2 = 2 * x1 * x2, x1 * x1
    return df_dx1 * -math.sin(t) + df_dx2 * 2 * t, df_dx1, df_dx2  # extra values kept


def df_dt_dx2_as_t(t):
    x1 = math.cos(t)
    return 2 * x1 * t * t * -math.sin(t) + x1**2 * t  # dx2/dt written t


# ---------------------------------------------------------------- Exercise 1.2: toy network
def toy_loop(x, y, beta, omega):
    """As the notebook's solution: forward table, then dl/df backwards."""
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    dl_df = np.zeros(4)
    dl_df[3] = 2 * (f[3] - y)
    for k in range(3, 0, -1):
        dl_df[k - 1] = (f[k - 1] > 0) * omega[k] * dl_df[k]
    return dl_df, h * dl_df


def toy_unrolled_lists(x, y, beta, omega):
    """Every line written out, lists returned."""
    b0, b1, b2, b3 = beta
    w0, w1, w2, w3 = omega
    f0 = b0 + w0 * x
    h1 = max(f0, 0)
    f1 = b1 + w1 * h1
    h2 = max(f1, 0)
    f2 = b2 + w2 * h2
    h3 = max(f2, 0)
    f3 = b3 + w3 * h3
    d3 = 2 * (f3 - y)
    d2 = (1 if f2 > 0 else 0) * w3 * d3
    d1 = (1 if f1 > 0 else 0) * w2 * d2
    d0 = (1 if f0 > 0 else 0) * w1 * d1
    return [d0, d1, d2, d3], [x * d0, h1 * d1, h2 * d2, h3 * d3]


def toy_indicator_from_h(x, y, beta, omega):
    """a'(f_(k-1)) read from h_k > 0, the partials built with np.where, a list of two arrays."""
    h, f = [x], []
    for k in range(4):
        f.append(beta[k] + omega[k] * h[-1])
        h.append(np.maximum(f[-1], 0.0))
    h = np.array(h[:4], dtype=float)
    dl_df = [0.0] * 4
    dl_df[3] = 2.0 * (f[3] - y)
    for k in (3, 2, 1):
        dl_df[k - 1] = np.where(h[k] > 0, omega[k] * dl_df[k], 0.0)
    dl_df = np.array(dl_df, dtype=float)
    return [dl_df, h * dl_df]


def toy_by_value(x, y, beta, omega):
    """With the course's own autodiff engine."""
    B = [Value(b) for b in beta]
    W = [Value(w) for w in omega]
    h = Value(x)
    for k in range(4):
        f = W[k] * h + B[k]
        h = f.relu() if k < 3 else f
    loss = (h - y) ** 2
    loss.backward()
    return np.array([b.grad for b in B]), np.array([w.grad for w in W])


def _toy_student(x, y, beta, omega, slip=None):
    """A student's loop, written here with one slip at a time."""
    f, h = np.zeros(4), np.zeros(5)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0) if k < 3 else f[k]
    dl_df = np.zeros(4)
    dl_df[3] = {"sign": 2 * (y - f[3]), "half": f[3] - y}.get(slip, 2 * (f[3] - y))
    stop = 1 if slip == "early" else 0
    for k in range(3, stop, -1):
        if slip == "no_prime":
            prime = 1.0
        elif slip == "relu_for_prime":
            prime = max(f[k - 1], 0.0)
        elif slip == "prime_at_f_k":
            prime = 1.0 if f[k] > 0 else 0.0
        elif slip == "h_ge_0":
            prime = 1.0 if h[k] >= 0 else 0.0
        else:
            prime = 1.0 if f[k - 1] > 0 else 0.0
        upstream = dl_df[3] if slip == "restart" else dl_df[k]
        dl_df[k - 1] = prime * omega[k] * upstream
    if slip == "omega_times_output":
        return dl_df, h[1:] * dl_df
    if slip == "omega_times_f":
        return dl_df, f * dl_df
    return dl_df, h[:4] * dl_df


def _slip(name):
    def student(x, y, beta, omega):
        return _toy_student(x, y, beta, omega, name)

    student.__name__ = f"toy_{name}"
    return student


def toy_swapped(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    return dl_domega, dl_dbeta


def toy_reversed(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    return dl_dbeta[::-1], dl_domega[::-1]


def toy_no_return(x, y, beta, omega):
    toy_loop(x, y, beta, omega)


def toy_one_array(x, y, beta, omega):
    return np.concatenate(toy_loop(x, y, beta, omega))


def toy_changes_beta(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    beta -= 0.1 * dl_dbeta  # a gradient step on the caller's array
    return dl_dbeta, dl_domega


def toy_float32(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(np.float32(x), np.float32(y), beta.astype(np.float32), omega)
    return dl_dbeta.astype(np.float32), dl_domega.astype(np.float32)


def toy_dl_dh_as_dl_df(x, y, beta, omega):
    """dl/domega_k from dl/dh_(k+1) = omega_(k+1) dl/df_(k+1): not a named kind."""
    dl_dbeta, _ = toy_loop(x, y, beta, omega)
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(3):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0)
    return dl_dbeta, h * np.append(omega[1:] * dl_dbeta[1:], dl_dbeta[3])


BATTERY = {
    "check_df_dt": {
        "right": [
            df_dt_by_paths,
            df_dt_expanded,
            df_dt_numpy_vector,
            df_dt_sympy_then_float,
            df_dt_zero_d_array,
        ],
        "wrong": [
            (df_dt_only_x1, "missing_path"),
            (df_dt_only_x2, "missing_path"),
            (df_dt_no_inner, "forgot_inner_derivative"),
            (df_dt_sin_sign, "sign"),
            (df_dt_at_t, "wrong_point"),
            (df_dt_no_return, "not_a_result"),
            (df_dt_sympy_expression, "not_a_result"),
            (df_dt_two_terms, "terms_not_added"),
            (df_dt_float32, "precision"),
            (df_dt_all_negated, "sign"),
            (df_dt_raises, "raised"),
            (df_dt_terms_product, "terms_not_added"),
            (df_dt_terms_array, "terms_not_added"),
            (df_dt_sums_multiplied, "terms_not_added"),
            (df_dt_with_partials, "not_a_result"),
            (df_dt_dx2_as_t, None),  # no detector: the message names the case that differs
        ],
    },
    "check_toy_partials": {
        "right": [toy_loop, toy_unrolled_lists, toy_indicator_from_h, toy_by_value],
        "wrong": [
            (_slip("sign"), "sign"),
            (_slip("half"), "missing_factor_2"),
            (_slip("no_prime"), "forgot_sigma_prime"),
            (_slip("h_ge_0"), "forgot_sigma_prime"),
            (_slip("relu_for_prime"), "f_for_df"),
            (_slip("prime_at_f_k"), "wrong_point"),
            (_slip("restart"), "not_chained"),
            (_slip("early"), "stops_early"),
            (_slip("omega_times_output"), "output_for_input"),
            (_slip("omega_times_f"), "output_for_input"),
            (toy_swapped, "output_order"),
            (toy_reversed, "reversed_order"),
            (toy_no_return, "not_a_result"),
            (toy_one_array, "not_a_result"),
            (toy_changes_beta, "modified_input"),
            (toy_float32, "precision"),
            (toy_dl_dh_as_dl_df, None),  # no detector: the message names the value that differs
        ],
    },
}
CHECKS = {"check_df_dt": check_df_dt, "check_toy_partials": check_toy_partials}
RIGHT = [(name, fn) for name, kinds in BATTERY.items() for fn in kinds["right"]]
WRONG = [(name, fn, key) for name, kinds in BATTERY.items() for fn, key in kinds["wrong"]]


@pytest.mark.parametrize("name, student", RIGHT, ids=lambda v: getattr(v, "__name__", v))
def test_every_right_answer_is_accepted(name, student):
    result = CHECKS[name](student)
    assert result.status == "correct", result.message
    assert result.usable.is_yours and result.usable.function is student


@pytest.mark.parametrize("name, student, key", WRONG, ids=lambda v: getattr(v, "__name__", v))
def test_every_wrong_answer_is_rejected_and_named(name, student, key):
    result = CHECKS[name](student)
    assert result.status != "correct"
    if key is None:
        assert result.status == "wrong" and "case" in result.message, result.message
    else:
        assert result.diagnosis == key, (result.diagnosis, result.message)
    assert result.usable.function is result.reference  # later cells get the reference


def _numbers_in(value):
    return [float(v) for v in np.ravel(np.concatenate([np.ravel(a) for a in value]))]


@pytest.mark.parametrize("name, student, key", WRONG, ids=lambda v: getattr(v, "__name__", v))
def test_no_message_gives_the_expected_numbers(name, student, key):
    message = CHECKS[name](student).message
    if name == "check_df_dt":
        expected = [_df_dt_reference(t) for t in (0.4, 0.9, 1.7, 2.6, -1.2, 7.5)]
    else:
        expected = [v for case in toy_cases() for v in _numbers_in(_toy_reference(*case))]
    for v in expected:
        if abs(v) > 1e-9 and abs(v - round(v)) > 1e-6:  # an integer such as -1 gives nothing away
            for text in (f"{v:.3f}", f"{v:.4g}", f"{v:.6g}"):
                assert text not in message, (text, message)


def test_a_check_gives_the_same_verdict_every_time_it_runs():
    for name, student, _ in WRONG[:4] + WRONG[-4:]:
        first, second = CHECKS[name](student), CHECKS[name](student)
        assert (first.status, first.diagnosis) == (second.status, second.diagnosis)
    assert "until Exercise 1.2 passes" in repr(check_toy_partials(_slip("sign")).usable)
    assert "using your toy_partials (Exercise 1.2 passed)" in repr(
        check_toy_partials(toy_loop).usable
    )


def test_a_stub_is_todo_and_usable_falls_back_to_the_reference():
    def stub(x, y, beta, omega):
        raise NotImplementedError("Exercise 1.2")

    result = check_toy_partials(stub)
    assert result.status == "todo"
    np.testing.assert_allclose(
        np.concatenate(result.usable(*toy_cases()[1])), np.concatenate(toy_loop(*toy_cases()[1]))
    )


def test_the_references_agree_with_independent_computations():
    for t in (-2.0, 0.3, 1.1):
        assert _df_dt_reference(t) == pytest.approx(df_dt_expanded(t), rel=1e-12)
    for case in toy_cases():
        want = np.concatenate(toy_by_value(*case))
        np.testing.assert_allclose(np.concatenate(_toy_reference(*case)), want, rtol=1e-12)
        np.testing.assert_allclose(np.concatenate(_toy_variant(*case)), want, rtol=1e-12)


def test_the_cases_switch_off_each_hidden_unit_and_keep_away_from_the_kink():
    off = set()
    for x, _, beta, omega in toy_cases():
        h = x
        for k in range(3):
            f = beta[k] + omega[k] * h
            assert abs(f) >= 0.15
            if f < 0:
                off.add(k)
            h = max(f, 0.0)
    assert off == {0, 1, 2}
