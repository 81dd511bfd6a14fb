"""A cold student's battery for notebook 06 (universal approximation), Exercises 6.1-6.3.

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

from tests.battery import assert_accepted, assert_rejected, right_params, wrong_params

# ---------------------------------------------------------------------------------------------
# Exercise 6.1: relu_sum_through(t, y) -> (c, w, b, omega)
# ---------------------------------------------------------------------------------------------


def rst_loop(t, y):
    n = len(t) - 1
    c = float(y[0])
    w, b, omega = np.zeros(n), np.zeros(n), np.zeros(n)
    previous = 0.0
    for k in range(n):
        slope = (y[k + 1] - y[k]) / (t[k + 1] - t[k])
        w[k], b[k], omega[k] = 1.0, -t[k], slope - previous
        previous = slope
    return c, w, b, omega


def rst_lists(t, y):
    n = len(t) - 1
    slopes = [(y[k + 1] - y[k]) / (t[k + 1] - t[k]) for k in range(n)]
    omega = [slopes[0]] + [slopes[k] - slopes[k - 1] for k in range(1, n)]
    return y[0], [1.0] * n, [-t[k] for k in range(n)], omega


def rst_scaled_units(t, y):
    # relu(2 (x - t_k)) = 2 relu(x - t_k): the same sum with w = 2, b = -2 t, omega halved
    slopes = np.diff(y) / np.diff(t)
    omega = np.diff(slopes, prepend=0.0)
    return y[0], np.full(len(slopes), 2.0), -2.0 * t[:-1], omega / 2


def rst_first_unit_off(t, y):
    # like relu_interpolant: the first unit relu(t_1 - x) switches off at t_1, c = y_1
    slopes = np.diff(y) / np.diff(t)
    w = np.concatenate([[-1.0], np.ones(len(slopes) - 1)])
    b = np.concatenate([[t[1]], -t[1:-1]])
    # right of t_1 only units 1.. count, so the unit at t_1 carries the whole slope s_1
    omega = np.concatenate([[-slopes[0]], [slopes[1]], np.diff(slopes)[1:]])
    return y[1], w, b, omega


def rst_first_unit_off_wrong(t, y):
    # my own first try at the above: the unit at t_1 given s_1 - s_0, as if unit 0 still ran
    slopes = np.diff(y) / np.diff(t)
    w = np.concatenate([[-1.0], np.ones(len(slopes) - 1)])
    b = np.concatenate([[t[1]], -t[1:-1]])
    omega = np.concatenate([[-slopes[0]], np.diff(slopes)])
    return y[1], w, b, omega


def rst_einsum_cumsum(t, y):
    # solve for omega: slope of cell k = sum_{j <= k} omega_j, a lower-triangular system
    slopes = np.diff(y) / np.diff(t)
    L = np.tril(np.ones((len(slopes), len(slopes))))
    omega = np.linalg.solve(L, slopes)
    return np.float64(y[0]), np.ones_like(slopes), -t[:-1].copy(), omega


def rst_units_reversed(t, y):
    # the units in any order: the sum does not care
    slopes = np.diff(y) / np.diff(t)
    omega = np.diff(slopes, prepend=0.0)
    order = np.arange(len(slopes))[::-1]
    return y[:1], np.ones(len(slopes))[order], (-t[:-1])[order], omega[order]


# wrong ones
def rst_forgot_return(t, y):
    slopes = np.diff(y) / np.diff(t)
    omega = np.diff(slopes, prepend=0.0)  # noqa: F841


def rst_not_differenced(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], slopes


def rst_knot_sign(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), t[:-1], np.diff(slopes, prepend=0.0)


def rst_no_constant(t, y):
    slopes = np.diff(y) / np.diff(t)
    return 0.0, np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_rises(t, y):
    rises = np.diff(y)  # forgot to divide by the cell widths
    return y[0], np.ones(len(rises)), -t[:-1], np.diff(rises, prepend=0.0)


def rst_knots_shifted(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[1:], np.diff(slopes, prepend=0.0)


def rst_first_slope_missing(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], np.concatenate([[0.0], np.diff(slopes)])


def rst_order(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), np.diff(slopes, prepend=0.0), -t[:-1]


def rst_n_plus_1_units(t, y):
    # one unit per knot, the last with weight 0: the right function, n + 1 units
    slopes = np.diff(y) / np.diff(t)
    omega = np.append(np.diff(slopes, prepend=0.0), 0.0)
    return y[0], np.ones(len(t)), -t, omega


def rst_modifies_y(t, y):
    c = float(y[0])
    y -= c  # in place: the caller's y changes
    slopes = np.diff(y) / np.diff(t)
    return c, np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_float32(t, y):
    t, y = t.astype(np.float32), y.astype(np.float32)
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes), np.float32), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_negated(t, y):
    slopes = np.diff(y) / np.diff(t)
    return -y[0], np.ones(len(slopes)), -t[:-1], -np.diff(slopes, prepend=0.0)


def rst_loop_off_by_one(t, y):
    n = len(t) - 1
    omega = np.zeros(n)
    previous = 0.0
    for k in range(n - 1):  # one cell short: the last unit keeps weight 0
        slope = (y[k + 1] - y[k]) / (t[k + 1] - t[k])
        omega[k], previous = slope - previous, slope
    return y[0], np.ones(n), -t[:-1], omega


def rst_even_spacing(t, y):
    h = (t[-1] - t[0]) / (len(t) - 1)  # assumes evenly spaced knots
    slopes = np.diff(y) / h
    return y[0], np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_np_gradient(t, y):
    s = np.gradient(y, t)[:-1]  # np.gradient's central differences, not the cell slopes
    return y[0], np.ones(len(s)), -t[:-1], np.diff(s, prepend=0.0)


def rst_diff_wrong_way(t, y):
    s = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(s)), -t[:-1], np.diff(s, append=0.0)  # s_(k+1) - s_k


def rst_c_last(t, y):
    s = np.diff(y) / np.diff(t)
    return y[-1], np.ones(len(s)), -t[:-1], np.diff(s, prepend=0.0)  # the curve shifted


# ---------------------------------------------------------------------------------------------
# Exercise 6.2: relu_units_needed(eps, a, b, max_d2) -> int
# ---------------------------------------------------------------------------------------------


def run_search(eps, a, b, max_d2):
    # start a little below the estimate and walk up, testing the bound itself
    n = max(1, int((b - a) * math.sqrt(max_d2 / (8 * eps))) - 2)
    while ((b - a) / n) ** 2 / 8 * max_d2 > eps:
        n += 1
    return n


def run_np_int(eps, a, b, max_d2):
    return np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps))).astype(np.int64)


def run_floor_div(eps, a, b, max_d2):
    x = (b - a) * (max_d2 / (8 * eps)) ** 0.5
    return int(-(-x // 1))


def run_bisection(eps, a, b, max_d2):
    lo, hi = 0, 1
    while ((b - a) / hi) ** 2 * max_d2 / 8 > eps:
        hi *= 2
    while hi - lo > 1:  # smallest hi that satisfies the bound
        mid = (lo + hi) // 2
        if ((b - a) / mid) ** 2 * max_d2 / 8 <= eps:
            hi = mid
        else:
            lo = mid
    return hi


# wrong ones
def run_no_eighth(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / eps))


def run_h_not_squared(eps, a, b, max_d2):
    return math.ceil((b - a) * max_d2 / (8 * eps))


def run_no_sqrt(eps, a, b, max_d2):
    return math.ceil((b - a) ** 2 * max_d2 / (8 * eps))


def run_int(eps, a, b, max_d2):
    return int((b - a) * math.sqrt(max_d2 / (8 * eps)))


def run_round(eps, a, b, max_d2):
    return round((b - a) * math.sqrt(max_d2 / (8 * eps)))


def run_plus_one(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps))) + 1


def run_no_max_d2(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(1 / (8 * eps)))


def run_np_ceil_float(eps, a, b, max_d2):
    return np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps)))


def run_forgot_return(eps, a, b, max_d2):
    n = math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))  # noqa: F841


def run_no_interval(eps, a, b, max_d2):
    return math.ceil(math.sqrt(max_d2 / (8 * eps)))  # h = 1 / n, forgetting b - a


def run_with_h(eps, a, b, max_d2):
    n = math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))
    return n, (b - a) / n


def run_upside_down(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(8 * eps / max_d2))


def run_floor_plus_one(eps, a, b, max_d2):
    # "the next integer up" as int(x) + 1: one too many when x is a whole number, e.g.
    # eps = 1/8 on [0, 4] with max_d2 = 1, where n = 4 gives exactly h^2/8 = eps
    return int((b - a) * math.sqrt(max_d2 / (8 * eps))) + 1


# ---------------------------------------------------------------------------------------------
# Exercise 6.3: compose_with_affine(w, b, v, c) -> (W, B)
# ---------------------------------------------------------------------------------------------


def cwa_loops(w, b, v, c):
    K, D = len(w), len(v)
    W = np.zeros((K, D))
    B = np.zeros(K)
    for k in range(K):
        for d in range(D):
            W[k, d] = w[k] * v[d]
        B[k] = w[k] * c + b[k]
    return W, B


def cwa_einsum(w, b, v, c):
    return np.einsum("k,d->kd", w, v), np.einsum("k,->k", w, c) + b


def cwa_lists(w, b, v, c):
    return [[wk * vd for vd in v] for wk in w], [wk * c + bk for wk, bk in zip(w, b)]


def cwa_dot(w, b, v, c):
    return np.dot(w[:, None], v[None, :]), np.dot(np.column_stack([w, b]), [c, 1.0])


# wrong ones
def cwa_missing_offset(w, b, v, c):
    return np.outer(w, v), b.copy()


def cwa_offset_not_scaled(w, b, v, c):
    return np.outer(w, v), b + c


def cwa_weights_not_scaled(w, b, v, c):
    return np.tile(v, (len(w), 1)), w * c + b


def cwa_bias_sign(w, b, v, c):
    return np.outer(w, v), w * c - b


def cwa_transpose(w, b, v, c):
    return np.outer(v, w), w * c + b


def cwa_order(w, b, v, c):
    return w * c + b, np.outer(w, v)


def cwa_forgot_return(w, b, v, c):
    W = np.outer(w, v)  # noqa: F841
    B = w * c + b  # noqa: F841


def cwa_in_place(w, b, v, c):
    b += w * c  # changes the caller's b
    return np.outer(w, v), b


def cwa_float32(w, b, v, c):
    return np.outer(w, v).astype(np.float32), (w * c + b).astype(np.float32)


def cwa_elementwise(w, b, v, c):
    return w * v, w * c + b  # broadcasting (K,) * (D,): fails unless K == D


def cwa_negated(w, b, v, c):
    return -np.outer(w, v), -(w * c + b)


def cwa_extra(w, b, v, c):
    return np.outer(w, v), w * c + b, len(w)


def cwa_bias_in_w(w, b, v, c):
    return np.outer(w, v) + b[:, None], w * c


def cwa_column_b(w, b, v, c):
    return np.outer(w, v), (w * c + b)[:, None]  # shape (K, 1)


BATTERY = {
    "check_relu_sum_through": {
        "right": [
            rst_loop,
            rst_lists,
            rst_scaled_units,
            rst_first_unit_off,
            rst_einsum_cumsum,
            rst_units_reversed,
        ],
        "wrong": [
            (rst_forgot_return, "not_a_result"),
            (rst_not_differenced, "slopes_not_differenced"),
            (rst_knot_sign, "knot_sign"),
            (rst_no_constant, "missing_constant"),
            (rst_rises, "rise_not_slope"),
            (rst_knots_shifted, "knots_shifted"),
            (rst_first_slope_missing, "first_slope_missing"),
            (rst_order, "output_order"),
            (rst_n_plus_1_units, "unit_count"),
            (rst_modifies_y, "modified_input"),
            (rst_float32, "precision"),
            (rst_negated, "sign"),
            (rst_loop_off_by_one, None),
            (rst_even_spacing, None),
            (rst_first_unit_off_wrong, None),
            (rst_np_gradient, None),
            (rst_diff_wrong_way, None),
            (rst_c_last, None),
        ],
    },
    "check_relu_units_needed": {
        "right": [run_search, run_np_int, run_floor_div, run_bisection],
        "wrong": [
            (run_no_eighth, "missing_1_over_8"),
            (run_h_not_squared, "h_not_squared"),
            (run_no_sqrt, "no_square_root"),
            (run_int, "rounded_down"),
            (run_round, "rounded_nearest"),
            (run_plus_one, "one_too_many"),
            (run_no_max_d2, "ignores_max_d2"),
            (run_np_ceil_float, "not_a_result"),
            (run_forgot_return, "not_a_result"),
            (run_no_interval, None),
            (run_with_h, "not_a_result"),
            (run_upside_down, None),
            (run_floor_plus_one, "one_too_many"),
        ],
    },
    "check_compose_with_affine": {
        "right": [cwa_loops, cwa_einsum, cwa_lists, cwa_dot],
        "wrong": [
            (cwa_missing_offset, "missing_offset"),
            (cwa_offset_not_scaled, "offset_not_scaled"),
            (cwa_weights_not_scaled, "weights_not_scaled"),
            (cwa_bias_sign, "bias_sign"),
            (cwa_transpose, "transpose"),
            (cwa_order, "output_order"),
            (cwa_forgot_return, "not_a_result"),
            (cwa_in_place, "modified_input"),
            (cwa_float32, "precision"),
            (cwa_elementwise, "raised"),
            (cwa_negated, "sign"),
            (cwa_extra, "not_a_result"),
            (cwa_bias_in_w, None),
            (cwa_column_b, None),
        ],
    },
}

# The one finding of the cold run (int(x) + 1 accepted, as no case landed on a whole number)
# was fixed in the check: its cases now include eps = 1/8 on [0, 4], max_d2 = 1 (exactly 4).


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
