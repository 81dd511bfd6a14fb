"""Tests of notebook 06's exercise checks, on answers written the way students write them.

BATTERY lists, per check, right answers in several styles (they must pass) and wrong ones of
every kind the check claims to name (each must be rejected with that diagnosis). They are
written here from the prompts, independently of the mistakes inside the checks.
"""

import math
import re

import numpy as np
import pytest

from bpcourse import approximation
from bpcourse.exercises import (
    check_compose_with_affine,
    check_relu_sum_through,
    check_relu_units_needed,
)

CHECKS = {
    "check_relu_sum_through": check_relu_sum_through,
    "check_relu_units_needed": check_relu_units_needed,
    "check_compose_with_affine": check_compose_with_affine,
}


def stub(*args):
    raise NotImplementedError("Exercise 6.x: not written yet")


# ---------------------------------------------------------------- Exercise 6.1: right answers
def sum_vectorised(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def sum_loop_lists(t, y):
    """A loop that builds plain lists, one unit per cell."""
    c, w, b, omega = y[0], [], [], []
    previous = 0.0
    for k in range(len(t) - 1):
        slope = (y[k + 1] - y[k]) / (t[k + 1] - t[k])
        w.append(1.0)
        b.append(-t[k])
        omega.append(slope - previous)
        previous = slope
    return c, w, b, omega


def sum_mirrored(t, y):
    """Another parametrisation: f(x) = y_n + sum_k d_k relu(t_k - x), k = 1..n."""
    slopes = np.diff(y) / np.diff(t)
    d = np.concatenate([slopes[1:], [0.0]]) - slopes
    return y[-1], -np.ones(len(slopes)), t[1:].copy(), d


def sum_scaled_units(t, y):
    """Units relu(2 x - 2 t_k) with half the weight: the same function."""
    c, w, b, omega = sum_vectorised(t, y)
    return np.array([c]), 2 * w, 2 * b, omega / 2


def sum_from_package(t, y):
    return approximation.relu_sum_through(t, y)  # a ReluSum unpacks as (c, w, b, omega)


# ---------------------------------------------------------------- Exercise 6.1: wrong answers
def sum_slopes_not_changes(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], slopes


def sum_plus_t(t, y):
    c, w, _, omega = sum_vectorised(t, y)
    return c, w, t[:-1], omega


def sum_no_constant(t, y):
    _, w, b, omega = sum_vectorised(t, y)
    return 0, w, b, omega


def sum_rises(t, y):
    rises = np.diff(y)
    return y[0], np.ones(len(rises)), -t[:-1], np.diff(rises, prepend=0.0)


def sum_knots_late(t, y):
    c, w, _, omega = sum_vectorised(t, y)
    return c, w, -t[1:], omega


def sum_first_slope_lost(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=slopes[0])


def sum_b_omega_swapped(t, y):
    c, w, b, omega = sum_vectorised(t, y)
    return c, w, omega, b


def sum_one_unit_short(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], np.diff(slopes)  # forgot the first slope


def sum_forgot_return(t, y):
    slopes = np.diff(y) / np.diff(t)  # noqa: F841
    (y[0], np.ones(len(t) - 1), -t[:-1])


def sum_generator(t, y):
    return (v for v in sum_vectorised(t, y))


def sum_in_place(t, y):
    c, w, b, omega = sum_vectorised(t, y)
    t -= t[0]  # shifts the caller's knots
    return c, w, b, omega


def sum_values_not_params(t, y):
    return np.interp(t, t, y)


def sum_three_values(t, y):
    c, w, b, omega = sum_vectorised(t, y)
    return c, b, omega


def sum_raises(t, y):
    return y[0], np.ones(len(t)), -t, np.diff(y) / np.diff(t)[None, :, None].sum(axis=(0, 2, 3))


# ---------------------------------------------------------------- Exercise 6.2
def units_math_ceil(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))


def units_search(eps, a, b, max_d2):
    n = 1
    while ((b - a) / n) ** 2 / 8 * max_d2 > eps:
        n += 1
    return n


def units_numpy_int(eps, a, b, max_d2):
    return np.ceil((b - a) / np.sqrt(8 * eps / max_d2)).astype(np.int64)


def units_float(eps, a, b, max_d2):
    return np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps)))  # 71.0, not 71


def units_no_eighth(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / eps))


def units_linear_h(eps, a, b, max_d2):
    return math.ceil((b - a) * max_d2 / (8 * eps))


def units_no_sqrt(eps, a, b, max_d2):
    return math.ceil((b - a) ** 2 * max_d2 / (8 * eps))


def units_truncated(eps, a, b, max_d2):
    return int((b - a) * math.sqrt(max_d2 / (8 * eps)))


def units_rounded(eps, a, b, max_d2):
    return round((b - a) * math.sqrt(max_d2 / (8 * eps)))


def units_plus_one(eps, a, b, max_d2):
    return int((b - a) * math.sqrt(max_d2 / (8 * eps))) + 2


def units_no_max_d2(eps, a, b, max_d2):
    return math.ceil((b - a) / math.sqrt(8 * eps))


def units_forgot_return(eps, a, b, max_d2):
    math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))


def units_sympy(eps, a, b, max_d2):
    import sympy as sp

    n = sp.symbols("n", positive=True)
    return sp.solve(sp.Eq(((b - a) / n) ** 2 / 8 * max_d2, eps), n)[0]


def units_no_max_d2_squared(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(math.sqrt(max_d2) / (8 * eps)))  # sqrt taken twice


def units_quarter(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (4 * eps)))  # the parabola's h^2/4


# ---------------------------------------------------------------- Exercise 6.3
def compose_outer(w, b, v, c):
    return np.outer(w, v), w * c + b


def compose_loops(w, b, v, c):
    W = [[w[k] * v[d] for d in range(len(v))] for k in range(len(w))]
    B = [w[k] * c + b[k] for k in range(len(w))]
    return W, B


def compose_einsum_broadcast(w, b, v, c):
    return np.einsum("k,d->kd", w, v), np.dot(np.stack([w, b], axis=1), [c, 1.0])


def compose_column(w, b, v, c):
    return w[:, None] * v[None, :], b + c * w


def compose_no_c(w, b, v, c):
    return np.outer(w, v), b.copy()


def compose_c_plain(w, b, v, c):
    return np.outer(w, v), b + c


def compose_transposed(w, b, v, c):
    return np.outer(v, w), w * c + b


def compose_swapped(w, b, v, c):
    return w * c + b, np.outer(w, v)


def compose_rows_v(w, b, v, c):
    return np.tile(v, (len(w), 1)), w * c + b


def compose_minus_b(w, b, v, c):
    return np.outer(w, v), w * c - b


def compose_in_place(w, b, v, c):
    b += w * c
    return np.outer(w, v), b


def compose_forgot_return(w, b, v, c):
    np.outer(w, v), w * c + b  # noqa: B018


def compose_float32(w, b, v, c):
    return np.outer(w, v).astype(np.float32), (w * c + b).astype(np.float32)


def compose_elementwise(w, b, v, c):
    return w * v, w * c + b  # (K,) * (D,) with K != D: NumPy raises


def compose_negated_bias(w, b, v, c):
    return np.outer(w, v), -(w * c + b)


BATTERY = {
    "check_relu_sum_through": {
        "right": [sum_vectorised, sum_loop_lists, sum_mirrored, sum_scaled_units, sum_from_package],
        "wrong": [
            (sum_slopes_not_changes, "slopes_not_differenced"),
            (sum_plus_t, "knot_sign"),
            (sum_no_constant, "missing_constant"),
            (sum_rises, "rise_not_slope"),
            (sum_knots_late, "knots_shifted"),
            (sum_first_slope_lost, "first_slope_missing"),
            (sum_b_omega_swapped, "output_order"),
            (sum_one_unit_short, "unit_count"),
            (sum_forgot_return, "not_a_result"),
            (sum_generator, "not_a_result"),
            (sum_in_place, "modified_input"),
            (sum_values_not_params, "not_a_result"),
            (sum_three_values, "not_a_result"),
            (sum_raises, "raised"),
        ],
    },
    "check_relu_units_needed": {
        "right": [units_math_ceil, units_search, units_numpy_int],
        "wrong": [
            (units_float, "not_a_result"),
            (units_no_eighth, "missing_1_over_8"),
            (units_linear_h, "h_not_squared"),
            (units_no_sqrt, "no_square_root"),
            (units_truncated, "rounded_down"),
            (units_rounded, "rounded_nearest"),
            (units_plus_one, "too_many"),  # int(x) + 2: two too many where x is whole
            (units_no_max_d2, "ignores_max_d2"),
            (units_forgot_return, "not_a_result"),
            (units_sympy, "not_a_result"),
            # h^2/4 for h^2/8: no detector knows this one; it is named by its direction
            (units_quarter, "too_many"),
            (units_no_max_d2_squared, "too_few"),
        ],
    },
    "check_compose_with_affine": {
        "right": [compose_outer, compose_loops, compose_einsum_broadcast, compose_column],
        "wrong": [
            (compose_no_c, "missing_offset"),
            (compose_c_plain, "offset_not_scaled"),
            (compose_transposed, "transpose"),
            (compose_swapped, "output_order"),
            (compose_rows_v, "weights_not_scaled"),
            (compose_minus_b, "bias_sign"),
            (compose_in_place, "modified_input"),
            (compose_forgot_return, "not_a_result"),
            (compose_float32, "precision"),
            (compose_elementwise, "raised"),
            (compose_negated_bias, "sign"),
        ],
    },
}

RIGHT = [(name, fn) for name, kinds in BATTERY.items() for fn in kinds["right"]]
WRONG = [(name, fn, key) for name, kinds in BATTERY.items() for fn, key in kinds["wrong"]]


def _numbers_in(text):
    return {float(m) for m in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+", text)}


@pytest.mark.parametrize("name, fn", RIGHT, ids=[f"{n}-{f.__name__}" for n, f in RIGHT])
def test_right_answers_pass(name, fn):
    result = CHECKS[name](fn)
    assert result.status == "correct", result
    assert result.usable.is_yours and "using your" in repr(result.usable)


@pytest.mark.parametrize("name, fn, key", WRONG, ids=[f"{n}-{f.__name__}" for n, f, _ in WRONG])
def test_wrong_answers_are_rejected_and_named(name, fn, key):
    result = CHECKS[name](fn)
    assert result.status != "correct", result
    assert result.diagnosis != "check_failed", result
    if key is not None:
        assert result.diagnosis == key, result
    else:
        assert re.search(r"case \d", result.message), result
    assert not result.usable.is_yours and "using the reference" in repr(result.usable)


def test_messages_never_contain_the_expected_numbers():
    from bpcourse.exercises.universal_approximation import _units_cases

    expected = {float(approximation.units_needed(*case)) for case in _units_cases()}
    for fn, _ in BATTERY["check_relu_units_needed"]["wrong"]:
        if fn is units_float:
            continue  # its message quotes the student's own value, 36.0, to say it is a float
        message = check_relu_units_needed(fn).message
        shown = {float(m) for m in re.findall(r"\d+", message)}
        assert not shown & (expected - {1.0, 2.0, 3.0, 4.0, 5.0}), message
    from bpcourse.exercises.universal_approximation import _composition_cases, _points_cases

    wanted = [approximation.compose_with_affine(*case) for case in _composition_cases()]
    wanted += [tuple(approximation.relu_sum_through(*case))[1:] for case in _points_cases()]
    entries = {f"{x:.4f}" for arrays in wanted for a in arrays for x in np.ravel(a)}
    for name, fn, _ in WRONG:
        message = CHECKS[name](fn).message
        assert not {e for e in entries if e in message}, message


@pytest.mark.parametrize("check", list(CHECKS.values()))
def test_a_stub_is_todo_and_the_reference_is_used(check):
    result = check(stub)
    assert result.status == "todo"
    assert "not done yet" in result.message
    assert repr(result.usable).startswith("using the reference")


@pytest.mark.parametrize("check", list(CHECKS.values()))
@pytest.mark.parametrize("thing", [None, 3.0, "relu", np.zeros(3)])
def test_a_check_given_something_else_than_a_function_never_raises(check, thing):
    result = check(thing)
    assert result.status == "error" and result.diagnosis == "not_callable"


def test_rerunning_a_check_never_changes_its_verdict():
    for name, fn, _ in WRONG[:6]:
        verdicts = {(r.status, r.diagnosis) for r in (CHECKS[name](fn) for _ in range(3))}
        assert len(verdicts) == 1


def test_usable_of_5_1_returns_the_same_four_values_as_the_student():
    t, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 0.0])
    x = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    for fn in (stub, sum_vectorised, sum_slopes_not_changes):
        c, w, b, omega = check_relu_sum_through(fn).usable(t, y)
        f = c + np.maximum(np.outer(x, w) + b, 0) @ omega
        np.testing.assert_allclose(f, np.interp(x, t, y))


def test_usable_of_5_2_is_an_int_that_relu_interpolant_accepts():
    for fn in (stub, units_math_ceil, units_float):
        n = check_relu_units_needed(fn).usable(1e-3, -np.pi, np.pi, 1.0)
        assert isinstance(n, (int, np.integer))
        approximation.relu_interpolant(np.sin, -np.pi, np.pi, n)


def test_the_float_message_names_the_int():
    message = check_relu_units_needed(units_float).message
    assert "float" in message and "int" in message


def test_the_unit_count_message_says_how_many_entries():
    message = check_relu_sum_through(sum_one_unit_short).message
    assert "have 3, 3 and 2 entries" in message


def test_battery_figures():
    """The figures the final report quotes: right accepted, wrong rejected and named."""
    right = sum(CHECKS[n](f).status == "correct" for n, f in RIGHT)
    results = [(CHECKS[n](f), key) for n, f, key in WRONG]
    rejected = sum(r.status != "correct" for r, _ in results)
    named = sum(key is not None and r.diagnosis == key for r, key in results)
    assert (right, rejected) == (len(RIGHT), len(WRONG))
    assert named >= 0.8 * len(WRONG)
