"""Answers to notebook 06's exercises, written the way students write them.

One battery per notebook: the team's answers and the cold students' (who wrote theirs from the
student edition and the checks' public docstrings, never the checks' code) merged, duplicates
dropped, then answers written for the cases and keys added when the checks became specs (the
interval [1, 2.5] of 6.2, two points in 6.1, K = 1 and D = 1 in 6.3, calls of the course's
own answer). Right answers in other styles must be accepted; each wrong answer must be rejected
and, where a key is given, named with it (None: rejected, the message says where it differs).
tests/test_exercise_batteries.py runs them; tools/exercise_battery.py reports on them.
"""

import math

import numpy as np

from bpcourse import approximation
from bpcourse.approximation import relu_interpolant


# ------------------------------------------------------------------ the team's answers
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


# ---------------------------------------------------------- the cold students' answers
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


def rst_no_constant(t, y):
    slopes = np.diff(y) / np.diff(t)
    return 0.0, np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


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


def run_plus_one(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps))) + 1


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


def cwa_negated(w, b, v, c):
    return -np.outer(w, v), -(w * c + b)


def cwa_extra(w, b, v, c):
    return np.outer(w, v), w * c + b, len(w)


def cwa_bias_in_w(w, b, v, c):
    return np.outer(w, v) + b[:, None], w * c


def cwa_column_b(w, b, v, c):
    return np.outer(w, v), (w * c + b)[:, None]  # shape (K, 1)


# ------------------------------------------- answers written for the spec's new cases and keys
def rst_first_unit_off_any_n(t, y):
    """rst_first_unit_off written for any n: with two points the one unit is relu(t_1 - x)."""
    slopes = np.diff(y) / np.diff(t)
    w = np.ones(len(slopes))
    b = -t[:-1].copy()
    omega = np.diff(slopes, prepend=0.0)
    w[0], b[0], omega[0] = -1.0, t[1], -slopes[0]
    if len(slopes) > 1:
        omega[1] = slopes[1]  # right of t_1 the unit at t_1 carries the whole slope
    return y[1], w, b, omega


def sum_polyfit_per_cell(t, y):
    """Each cell's line by np.polyfit, then the changes of slope."""
    slopes = np.array([np.polyfit(t[k : k + 2], y[k : k + 2], 1)[0] for k in range(len(t) - 1)])
    return float(y[0]), [1.0] * len(slopes), list(-t[:-1]), list(np.diff(slopes, prepend=0.0))


def sum_half_units(t, y):
    """Units relu(x / 2 - t_k / 2) (w = 1/2) carrying twice the weight."""
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.full(len(slopes), 0.5), -t[:-1] / 2, 2 * np.diff(slopes, prepend=0.0)


def sum_first_width(t, y):
    h = t[1] - t[0]  # every cell as wide as the first
    slopes = np.diff(y) / h
    return y[0], np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def sum_c_mean(t, y):
    slopes = np.diff(y) / np.diff(t)
    return np.mean(y), np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def sum_knots_from_t0(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -(t[:-1] - t[0]), np.diff(slopes, prepend=0.0)


def sum_guarded_width(t, y):
    width = np.maximum(np.diff(t), 0.01)  # "to avoid dividing by zero": wrong on narrow cells
    slopes = np.diff(y) / width
    return y[0], np.ones(len(slopes)), -t[:-1], np.diff(slopes, prepend=0.0)


def sum_second_differences(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(slopes)), -t[:-1], np.gradient(slopes)  # needs 2 slopes: raises


def sum_via_package(t, y):
    c, w, b, omega = approximation.relu_sum_through(t, y)
    return c, list(w), list(b), list(omega)


def units_abs_length(eps, a, b, max_d2):
    return math.ceil((abs(a) + abs(b)) * math.sqrt(max_d2 / (8 * eps)))


def units_from_zero(eps, a, b, max_d2):
    return math.ceil(b * math.sqrt(max_d2 / (8 * eps)))  # as if the interval started at 0


def units_round_half(eps, a, b, max_d2):
    return round((b - a) * math.sqrt(max_d2 / (8 * eps)) + 0.5)


def units_search_from_zero(eps, a, b, max_d2):
    n = 0
    while ((b - a) / n) ** 2 / 8 * max_d2 > eps:  # n = 0 first: division by zero
        n += 1
    return n


def units_symmetric(eps, a, b, max_d2):
    return math.ceil(2 * max(abs(a), abs(b)) * math.sqrt(max_d2 / (8 * eps)))


def units_via_package(eps, a, b, max_d2):
    return int(approximation.units_needed(eps, a, b, max_d2))


def units_ceil_with_margin(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)) - 1e-9)  # guards against noise


def units_bound_search(eps, a, b, max_d2):
    n = 1
    while approximation.chord_error_bound(a, b, n, max_d2) > eps:  # the package's bound
        n += 1
    return n


def compose_squeezed(w, b, v, c):
    return np.outer(w, v).squeeze(), w * c + b  # K = 1: W loses its row axis


def compose_via_package(w, b, v, c):
    W, B = approximation.compose_with_affine(w, b, v, c)
    return W.copy(), B.copy()


def compose_broadcast_d1(w, b, v, c):
    return w[:, None] @ v[None, :], np.add(w * c, b)


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def rst_r_vector(t, y):
    slopes = np.diff(y) / np.diff(t)
    omega = np.diff(slopes, prepend=0.0)
    return y[0], np.ones(len(t) - 1), -t[:-1], omega


def rst_r_loop_lists(t, y):
    n = len(t) - 1
    w, b, omega = [], [], []
    prev = 0.0
    for k in range(n):
        slope = (y[k + 1] - y[k]) / (t[k + 1] - t[k])
        w.append(1.0)
        b.append(-t[k])
        omega.append(slope - prev)
        prev = slope
    return y[0], w, b, omega


def rst_r_scaled_units(t, y):
    # units relu(2 x - 2 t_k): each twice as steep, so half the weight
    slopes = np.diff(y) / np.diff(t)
    omega = np.concatenate([[slopes[0]], slopes[1:] - slopes[:-1]]) / 2
    return float(y[0]), 2 * np.ones(len(slopes)), -2 * t[:-1], omega


def rst_r_falling_units(t, y):
    # every unit relu(t_(k+1) - x), switching off at t_(k+1); the constant is y_n
    slopes = np.diff(y) / np.diff(t)
    n = len(slopes)
    omega = np.empty(n)
    omega[n - 1] = -slopes[n - 1]
    omega[: n - 1] = slopes[1:] - slopes[:-1]
    return y[-1], -np.ones(n), t[1:].copy(), omega


def rst_r_interpolant_style(t, y):
    # like relu_interpolant: the first unit falls, relu(t_1 - x); the others rise from t_1, t_2...
    slopes = np.diff(y) / np.diff(t)
    n = len(slopes)
    w = np.ones(n)
    w[0] = -1.0
    b = -t[:-1].copy()
    b[0] = t[1]
    omega = np.empty(n)
    omega[0] = -slopes[0]
    omega[1:] = np.diff(slopes)
    if n > 1:
        omega[1] = slopes[1]  # unit 1 starts at t_1, where unit 0 has just switched off
    c = y[1]
    return c, w, b, omega


def rst_w_slopes(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), -t[:-1], slopes


def rst_w_knot_sign(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_no_constant(t, y):
    slopes = np.diff(y) / np.diff(t)
    return 0.0, np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_rise(t, y):
    rises = np.diff(y)
    return y[0], np.ones(len(t) - 1), -t[:-1], np.diff(rises, prepend=0.0)


def rst_w_even(t, y):
    h = (t[-1] - t[0]) / (len(t) - 1)
    slopes = np.diff(y) / h
    return y[0], np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_knots_shifted(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), -t[1:], np.diff(slopes, prepend=0.0)


def rst_w_first_slope_missing(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), -t[:-1], np.concatenate([[0.0], np.diff(slopes)])


def rst_w_order_c_last(t, y):
    slopes = np.diff(y) / np.diff(t)
    return np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0), y[0]


def rst_w_order_omega_first(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.diff(slopes, prepend=0.0), np.ones(len(t) - 1), -t[:-1]


def rst_w_n_plus_1_units(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t)), -t, np.append(np.diff(slopes, prepend=0.0), 0.0)


def rst_w_loop_forgot_prev(t, y):
    w, b, omega = [], [], []
    prev = 0.0
    for k in range(len(t) - 1):
        slope = (y[k + 1] - y[k]) / (t[k + 1] - t[k])
        w.append(1.0)
        b.append(-t[k])
        omega.append(slope - prev)
    return y[0], w, b, omega


def rst_w_uses_interpolant(t, y):
    f = relu_interpolant(lambda x: np.interp(x, t, y), t[0], t[-1], len(t) - 1)
    return f.c, f.w, f.b, f.omega


def rst_w_uses_package(t, y):
    return approximation.relu_sum_through(t, y)


def rst_w_modifies_y(t, y):
    c = y[0]
    y -= c  # "work relative to y_0"
    slopes = np.diff(y) / np.diff(t)
    return c, np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_sign(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[0], np.ones(len(t) - 1), -t[:-1], -np.diff(slopes, prepend=0.0)


def rst_w_c_last_value(t, y):
    slopes = np.diff(y) / np.diff(t)
    return y[-1], np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_float32(t, y):
    slopes = (np.diff(y) / np.diff(t)).astype(np.float32)
    return (
        np.float32(y[0]),
        np.ones(len(t) - 1, np.float32),
        (-t[:-1]).astype(np.float32),
        np.diff(slopes, prepend=0.0),
    )


def rst_w_no_return(t, y):
    slopes = np.diff(y) / np.diff(t)
    c, w, b, omega = y[0], np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)  # noqa: F841


def rst_w_run_over_rise(t, y):
    slopes = np.diff(t) / np.diff(y)
    return y[0], np.ones(len(t) - 1), -t[:-1], np.diff(slopes, prepend=0.0)


def rst_w_column_vectors(t, y):
    slopes = np.diff(y) / np.diff(t)
    n = len(slopes)
    return y[0], np.ones((n, 1)), -t[:-1].reshape(n, 1), np.diff(slopes, prepend=0.0).reshape(n, 1)


def rst_w_falling_units_wrong_sign(t, y):
    # a second try at falling units that keeps the rising units' weights
    slopes = np.diff(y) / np.diff(t)
    return y[0], -np.ones(len(slopes)), t[:-1], np.diff(slopes, prepend=0.0)


def run_r_ceil(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))


def run_r_while(eps, a, b, max_d2):
    n = 1
    while ((b - a) / n) ** 2 / 8 * max_d2 > eps:
        n += 1
    return n


def run_r_divide_sqrt(eps, a, b, max_d2):
    return math.ceil((b - a) / math.sqrt(8 * eps / max_d2))


def run_r_np_astype(eps, a, b, max_d2):
    return np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps))).astype(int)


def run_r_int_np_ceil(eps, a, b, max_d2):
    n_real = np.sqrt((b - a) ** 2 * max_d2 / (8 * eps))
    return int(np.ceil(n_real))


def run_r_floor_div(eps, a, b, max_d2):
    x = (b - a) * (max_d2 / (8 * eps)) ** 0.5
    return int(-(-x // 1))


def run_w_np_ceil_float(eps, a, b, max_d2):
    return np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps)))


def run_w_int_truncates(eps, a, b, max_d2):
    return int((b - a) * math.sqrt(max_d2 / (8 * eps)))


def run_w_round(eps, a, b, max_d2):
    return round((b - a) * math.sqrt(max_d2 / (8 * eps)))


def run_w_int_plus_1(eps, a, b, max_d2):
    return int((b - a) * math.sqrt(max_d2 / (8 * eps))) + 1


def run_w_no_8(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / eps))


def run_w_no_sqrt(eps, a, b, max_d2):
    return math.ceil((b - a) ** 2 * max_d2 / (8 * eps))


def run_w_h_not_squared(eps, a, b, max_d2):
    return math.ceil((b - a) * max_d2 / (8 * eps))


def run_w_b_not_length(eps, a, b, max_d2):
    return math.ceil(b * math.sqrt(max_d2 / (8 * eps)))


def run_w_ignores_max_d2(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(1 / (8 * eps)))


def run_w_while_ge(eps, a, b, max_d2):
    n = 1
    while ((b - a) / n) ** 2 / 8 * max_d2 >= eps:
        n += 1
    return n


def run_w_half_up(eps, a, b, max_d2):
    return math.floor((b - a) * math.sqrt(max_d2 / (8 * eps)) + 0.5)


def run_w_float_counter(eps, a, b, max_d2):
    n = 1.0
    while ((b - a) / n) ** 2 / 8 * max_d2 > eps:
        n += 1
    return n


def run_w_uses_bound(eps, a, b, max_d2):
    n = 1
    while approximation.chord_error_bound(a, b, n, max_d2) > eps:
        n += 1
    return n


def run_w_uses_package(eps, a, b, max_d2):
    return approximation.units_needed(eps, a, b, max_d2)


def run_w_over_4(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (4 * eps)))  # h^2/4: the parabola's peak


def run_w_over_16(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2 / (16 * eps)))


def run_w_no_return(eps, a, b, max_d2):
    n = math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))  # noqa: F841


def run_w_list(eps, a, b, max_d2):
    return [math.ceil((b - a) * math.sqrt(max_d2 / (8 * eps)))]


def run_w_sqrt_max_d2_only(eps, a, b, max_d2):
    return math.ceil((b - a) * math.sqrt(max_d2) / (8 * eps))


def run_w_float32(eps, a, b, max_d2):
    x = np.float32(b - a) * np.sqrt(np.float32(max_d2) / np.float32(8 * eps))
    return int(np.ceil(x))


def cwa_r_outer(w, b, v, phi):
    return np.outer(w, v), w * phi + b


def cwa_r_nested_lists(w, b, v, phi):
    W = [[w[k] * v[d] for d in range(len(v))] for k in range(len(w))]
    B = [w[k] * phi + b[k] for k in range(len(w))]
    return W, B


def cwa_r_broadcast(w, b, v, phi):
    W = w[:, None] * v[None, :]  # (K, D)
    B = b + phi * w  # (K,)
    return W, B


def cwa_r_einsum(w, b, v, phi):
    return np.einsum("k,d->kd", w, v), np.add(b, np.multiply(w, phi))


def cwa_r_loop_fill(w, b, v, phi):
    K, D = len(w), len(v)
    W = np.zeros((K, D))
    B = np.zeros(K)
    for k in range(K):
        W[k, :] = w[k] * v
        B[k] = w[k] * phi + b[k]
    return W, B


def cwa_r_multiply_outer(w, b, v, phi):
    B = b.copy()
    B += w * phi  # on a copy: the argument stays as it was
    return np.multiply.outer(w, v), B


def cwa_w_no_phi(w, b, v, phi):
    return np.outer(w, v), b


def cwa_w_phi_not_scaled(w, b, v, phi):
    return np.outer(w, v), b + phi


def cwa_w_v_repeated(w, b, v, phi):
    return np.tile(v, (len(w), 1)), w * phi + b


def cwa_w_bias_sign(w, b, v, phi):
    return np.outer(w, v), w * phi - b


def cwa_w_transposed(w, b, v, phi):
    return np.outer(v, w), w * phi + b


def cwa_w_b_in_place(w, b, v, phi):
    b += w * phi
    return np.outer(w, v), b


def cwa_w_order(w, b, v, phi):
    return w * phi + b, np.outer(w, v)


def cwa_w_elementwise(w, b, v, phi):
    return w * v, w * phi + b


def cwa_w_float32(w, b, v, phi):
    return np.outer(w, v).astype(np.float32), (w * phi + b).astype(np.float32)


def cwa_w_uses_package(w, b, v, phi):
    return approximation.compose_with_affine(w, b, v, phi)


def cwa_w_forgot_b(w, b, v, phi):
    return np.outer(w, v), w * phi


def cwa_w_no_return(w, b, v, phi):
    W, B = np.outer(w, v), w * phi + b  # noqa: F841


def cwa_w_flattened(w, b, v, phi):
    return np.outer(w, v).ravel(), w * phi + b


def cwa_w_bias_column(w, b, v, phi):
    return np.outer(w, v), (w * phi + b)[:, None]


def cwa_w_sign(w, b, v, phi):
    return -np.outer(w, v), w * phi + b


def cwa_w_w_in_place(w, b, v, phi):
    scaled = w  # an alias, not a copy
    scaled *= phi  # changes the caller's w, and the w used below
    B = scaled + b
    return np.outer(w, v), B


def cwa_w_phi_times_b(w, b, v, phi):
    return np.outer(w, v), (w + b) * phi


def cwa_w_W_plus_b(w, b, v, phi):
    return np.outer(w, v) + b[:, None], w * phi + b


def cwa_w_dot_not_outer(w, b, v, phi):
    # second try after the broadcast error: one row per entry of v
    return np.vstack([w * vi for vi in v]), w * phi + b


BATTERY = {
    "relu_sum_through": {
        "right": [
            sum_vectorised,
            sum_loop_lists,
            sum_mirrored,
            sum_scaled_units,
            rst_loop,
            rst_lists,
            rst_scaled_units,
            rst_einsum_cumsum,
            rst_units_reversed,
            rst_first_unit_off_any_n,
            sum_polyfit_per_cell,
            sum_half_units,
            rst_r_vector,
            rst_r_loop_lists,
            rst_r_scaled_units,
            rst_r_falling_units,
            rst_r_interpolant_style,
        ],
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
            (rst_no_constant, "missing_constant"),
            (rst_n_plus_1_units, "unit_count"),
            (rst_modifies_y, "modified_input"),
            (rst_float32, "precision"),
            (rst_negated, "sign"),
            (rst_loop_off_by_one, None),
            (rst_even_spacing, "even_spacing"),
            (rst_first_unit_off_wrong, None),
            (rst_np_gradient, None),
            (rst_diff_wrong_way, None),
            (rst_c_last, "missing_constant"),
            (sum_from_package, "uses_reference"),
            (sum_via_package, "uses_reference"),
            (rst_first_unit_off, "raised"),  # indexes a second slope: fails on two points
            (sum_first_width, "even_spacing"),
            (sum_c_mean, "missing_constant"),
            (sum_knots_from_t0, None),
            (sum_guarded_width, None),
            (sum_second_differences, "raised"),
            (rst_w_slopes, "slopes_not_differenced"),
            (rst_w_knot_sign, "knot_sign"),
            (rst_w_no_constant, "missing_constant"),
            (rst_w_rise, "rise_not_slope"),
            (rst_w_even, "even_spacing"),
            (rst_w_knots_shifted, "knots_shifted"),
            (rst_w_first_slope_missing, "first_slope_missing"),
            (rst_w_order_c_last, "not_a_result"),
            (rst_w_order_omega_first, None),
            (rst_w_n_plus_1_units, "unit_count"),
            (rst_w_loop_forgot_prev, "slopes_not_differenced"),
            (rst_w_uses_interpolant, "uses_reference"),
            (rst_w_uses_package, "uses_reference"),
            (rst_w_modifies_y, "modified_input"),
            (rst_w_sign, None),
            (rst_w_c_last_value, "missing_constant"),
            (rst_w_float32, "precision"),
            (rst_w_no_return, "not_a_result"),
            (rst_w_run_over_rise, None),
            (rst_w_column_vectors, "not_a_result"),
            (rst_w_falling_units_wrong_sign, None),
        ],
    },
    "relu_units_needed": {
        "right": [
            units_math_ceil,
            units_search,
            units_numpy_int,
            run_search,
            run_np_int,
            run_floor_div,
            run_bisection,
            units_ceil_with_margin,
            units_bound_search,
            run_r_ceil,
            run_r_while,
            run_r_divide_sqrt,
            run_r_np_astype,
            run_r_int_np_ceil,
            run_r_floor_div,
        ],
        "wrong": [
            (units_float, "not_a_result"),
            (units_no_eighth, "missing_1_over_8"),
            (units_linear_h, "h_not_squared"),
            (units_no_sqrt, "no_square_root"),
            (units_truncated, "rounded_down"),
            (units_rounded, "rounded_nearest"),
            (units_plus_one, "too_many"),
            (units_no_max_d2, "ignores_max_d2"),
            (units_forgot_return, "not_a_result"),
            (units_sympy, "not_a_result"),
            (units_quarter, "too_many"),
            (units_no_max_d2_squared, "too_few"),
            (run_plus_one, "one_too_many"),
            (run_no_interval, "interval_length"),
            (run_with_h, "not_a_result"),
            (run_upside_down, "too_few"),
            (run_floor_plus_one, "one_too_many"),
            (units_abs_length, "interval_length"),
            (units_from_zero, "interval_length"),
            (units_round_half, "rounded_half_up"),
            (units_search_from_zero, "raised"),
            (units_symmetric, None),
            (units_via_package, "uses_reference"),
            (run_w_np_ceil_float, "not_a_result"),
            (run_w_int_truncates, "rounded_down"),
            (run_w_round, "rounded_nearest"),
            (run_w_int_plus_1, "one_too_many"),
            (run_w_no_8, "missing_1_over_8"),
            (run_w_no_sqrt, "no_square_root"),
            (run_w_h_not_squared, "h_not_squared"),
            (run_w_b_not_length, "interval_length"),
            (run_w_ignores_max_d2, "ignores_max_d2"),
            (run_w_while_ge, "one_too_many"),
            (run_w_half_up, "rounded_nearest"),
            (run_w_float_counter, "not_a_result"),
            (run_w_uses_package, "uses_reference"),
            (run_w_over_4, "too_many"),
            (run_w_over_16, "too_few"),
            (run_w_no_return, "not_a_result"),
            (run_w_list, "not_a_result"),
            (run_w_sqrt_max_d2_only, None),
        ],
    },
    "compose_with_affine": {
        "right": [
            compose_outer,
            compose_loops,
            compose_einsum_broadcast,
            compose_column,
            cwa_loops,
            cwa_einsum,
            cwa_lists,
            cwa_dot,
            compose_broadcast_d1,
            cwa_r_outer,
            cwa_r_nested_lists,
            cwa_r_broadcast,
            cwa_r_einsum,
            cwa_r_loop_fill,
            cwa_r_multiply_outer,
        ],
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
            (cwa_negated, "sign"),
            (cwa_extra, "not_a_result"),
            (cwa_bias_in_w, None),
            (cwa_column_b, "shape"),
            (compose_squeezed, "shape"),
            (compose_via_package, "uses_reference"),
            (cwa_w_no_phi, "missing_offset"),
            (cwa_w_phi_not_scaled, "offset_not_scaled"),
            (cwa_w_v_repeated, "weights_not_scaled"),
            (cwa_w_bias_sign, "bias_sign"),
            (cwa_w_transposed, "transpose"),
            (cwa_w_b_in_place, "modified_input"),
            (cwa_w_order, "output_order"),
            (cwa_w_elementwise, "raised"),
            (cwa_w_float32, "precision"),
            (cwa_w_uses_package, "uses_reference"),
            (cwa_w_forgot_b, None),
            (cwa_w_no_return, "not_a_result"),
            (cwa_w_flattened, None),
            (cwa_w_bias_column, "shape"),
            (cwa_w_sign, "sign"),
            (cwa_w_w_in_place, "modified_input"),
            (cwa_w_phi_times_b, None),
            (cwa_w_W_plus_b, None),
            (cwa_w_dot_not_outer, "transpose"),
        ],
    },
}
