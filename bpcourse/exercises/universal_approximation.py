"""Checks for the exercises of notebook 05 (universal approximation with sums of ReLUs).

- Exercise 5.1, `check_relu_sum_through`: a sum of ReLUs through given points.
- Exercise 5.2, `check_relu_units_needed`: how many units the interpolation bound asks for.
- Exercise 5.3, `check_compose_with_affine`: a 1-D ReLU sum fed with v . x + c, written as
  the hidden layer of a network on R^D.
"""

import numpy as np

from bpcourse._validate import as_array
from bpcourse.exercises._core import Mistake, check


def _relu(s):
    return np.maximum(s, 0.0)


# ---------------------------------------------------------------- Exercise 5.1
def _relu_sum_through(t, y):
    """Reference: c = y_0, unit k is relu(x - t_k), omega_k the change of slope at t_k."""
    slopes = np.diff(y) / np.diff(t)
    omega = np.concatenate([slopes[:1], np.diff(slopes)])
    return y[0], np.ones(len(t) - 1), -t[:-1], omega


def _absolute_slopes(t, y):
    c, w, b, _ = _relu_sum_through(t, y)
    return c, w, b, np.diff(y) / np.diff(t)


def _knot_sign(t, y):
    c, w, b, omega = _relu_sum_through(t, y)
    return c, w, -b, omega


def _no_constant(t, y):
    _, w, b, omega = _relu_sum_through(t, y)
    return 0.0, w, b, omega


def _rise_not_slope(t, y):
    c, w, b, _ = _relu_sum_through(t, y)
    rises = np.diff(y)
    return c, w, b, np.concatenate([rises[:1], np.diff(rises)])


def _network_values(params, x):
    """Evaluate f(x) = c + sum_k omega_k relu(w_k x + b_k) from params = (c, w, b, omega)."""
    if not isinstance(params, (tuple, list)) or len(params) != 4:
        raise ValueError("return a tuple (c, w, b, omega) of four items")
    c, w, b, omega = params
    c = as_array(c, "c")
    if c.size != 1:
        raise ValueError(f"c must be one number, got an array of shape {c.shape}")
    w, b, omega = (as_array(v, name, ndim=1) for v, name in ((w, "w"), (b, "b"), (omega, "omega")))
    if not w.shape == b.shape == omega.shape:
        raise ValueError(
            f"w, b and omega must have one entry per unit, got shapes {w.shape}, {b.shape} "
            f"and {omega.shape}"
        )
    return float(c.ravel()[0]) + _relu(np.outer(x, w) + b) @ omega


def _sample_x(t):
    """Where a ReLU sum is compared: the knots and 7 points inside each cell."""
    inside = t[:-1, None] + np.diff(t)[:, None] * np.linspace(0.1, 0.9, 7)
    return np.sort(np.concatenate([t, inside.ravel()]))


def _as_values(function):
    """Turn a function returning (c, w, b, omega) into one returning the sum's values."""
    return lambda t, y: _network_values(function(t, y), _sample_x(t))


def _points_cases():
    rng = np.random.default_rng(51)
    cases = []
    for n in (3, 5, 8):
        t = np.cumsum(rng.uniform(0.3, 1.2, n + 1)) + 0.5  # increasing, uneven, positive
        cases.append((t, rng.normal(size=n + 1)))
    return cases


def check_relu_sum_through(relu_sum_through):
    """Check Exercise 5.1: the parameters of a sum of ReLUs through given points.

    The student's function takes knots `t` (shape (n+1,), increasing, unevenly spaced) and
    values `y` (shape (n+1,)) and returns ``(c, w, b, omega)`` (a number and three arrays
    of shape (n,)) of f(x) = c + sum_k omega_k relu(w_k x + b_k) with f(t_i) = y_i and f
    linear between knots. The sums are compared by their values at the knots and inside
    every cell, so any correct parametrisation passes.

    Parameters
    ----------
    relu_sum_through : callable
        ``relu_sum_through(t, y) -> (c, w, b, omega)``.

    Returns
    -------
    Result
        Diagnoses: ``"slopes_not_differenced"`` (omega_k set to the slope of cell k instead
        of the change of slope), ``"knot_sign"`` (relu(x + t_k) instead of a unit that
        switches on at t_k), ``"missing_constant"`` (c left out), ``"rise_not_slope"``
        (differences of y not divided by the cell widths), plus the generic ones.
    """
    mistakes = [
        Mistake(
            "slopes_not_differenced",
            "each unit adds its slope to all the units before it: omega_k should be how "
            "much the slope changes at knot k, not the slope of cell k itself",
            _as_values(_absolute_slopes),
        ),
        Mistake(
            "knot_sign",
            "your units switch on at the wrong place: relu(w x + b) with w > 0 starts "
            "rising where w x + b = 0; check the sign of b",
            _as_values(_knot_sign),
        ),
        Mistake(
            "missing_constant",
            "the shape is right but the whole curve is shifted: left of every knot all "
            "units are 0, so what gives f(t_0)?",
            _as_values(_no_constant),
        ),
        Mistake(
            "rise_not_slope",
            "a slope is a rise divided by a run: the knots are not one unit apart",
            _as_values(_rise_not_slope),
        ),
    ]
    result = check(
        "Exercise 5.1 (a ReLU sum through given points)",
        _as_values(relu_sum_through),
        _as_values(_relu_sum_through),
        _points_cases(),
        mistakes,
    )
    result.function = relu_sum_through if result.ok else _relu_sum_through
    return result


# ---------------------------------------------------------------- Exercise 5.2
def _relu_units_needed(eps, a, b, max_d2):
    """Reference: the smallest n with (b - a)^2 max|psi''| / (8 n^2) <= eps."""
    return int(np.ceil((b - a) * np.sqrt(max_d2 / (8 * eps))))


def _units_cases():
    # chosen so that (b - a) sqrt(max_d2 / (8 eps)) is far from an integer in every case
    return [(1e-3, 0.0, np.pi, 1.0), (1e-2, -1.0, 2.0, 4.0), (2e-4, -np.pi, np.pi, 1.0)]


def check_relu_units_needed(relu_units_needed):
    """Check Exercise 5.2: the number of units the interpolation error bound asks for.

    On n evenly spaced cells of [a, b] (width h = (b - a) / n) the piecewise-linear
    interpolant of psi is within h^2 / 8 * max|psi''| of psi. The student's function
    returns the smallest integer n for which that bound is at most `eps`.

    Parameters
    ----------
    relu_units_needed : callable
        ``relu_units_needed(eps, a, b, max_d2) -> int``.

    Returns
    -------
    Result
        Diagnoses: ``"missing_1_over_8"`` (the bound without its 1/8), ``"h_not_squared"``
        (an error bound linear in h), ``"rounded_down"`` (floor instead of the next
        integer up), plus the generic ones.
    """
    mistakes = [
        Mistake(
            "missing_1_over_8",
            "too many units: the bound has a constant in it; where is the largest gap "
            "between a parabola and its chord?",
            lambda eps, a, b, m: int(np.ceil((b - a) * np.sqrt(m / eps))),
        ),
        Mistake(
            "h_not_squared",
            "for a smooth function the bound falls like h^2, not like h: solve the bound "
            "for n again",
            lambda eps, a, b, m: int(np.ceil((b - a) * m / (8 * eps))),
        ),
        Mistake(
            "rounded_down",
            "one unit short: rounding down gives a bound just above eps",
            lambda eps, a, b, m: int(np.floor((b - a) * np.sqrt(m / (8 * eps)))),
        ),
    ]
    result = check(
        "Exercise 5.2 (units needed for a given error)",
        relu_units_needed,
        _relu_units_needed,
        _units_cases(),
        mistakes,
    )
    result.function = relu_units_needed if result.ok else _relu_units_needed
    return result


# ---------------------------------------------------------------- Exercise 5.3
def _compose_with_affine(w, b, v, c):
    """Reference: relu(w_k (v . x + c) + b_k) = relu((w_k v) . x + (w_k c + b_k))."""
    return np.outer(w, v), w * c + b


def _composition_cases():
    rng = np.random.default_rng(53)
    return [
        (rng.normal(size=k), rng.normal(size=k), rng.normal(size=d), float(rng.normal()))
        for k, d in ((4, 2), (6, 3), (5, 2))
    ]


def check_compose_with_affine(compose_with_affine):
    """Check Exercise 5.3: 1-D ReLU units fed with v . x + c, as one hidden layer on R^D.

    Given units relu(w_k u + b_k) of a scalar u (w, b of shape (K,)) and u = v . x + c
    (v of shape (D,), c a number), the student returns ``(W, B)`` of shapes (K, D) and
    (K,) with relu(W x + B) equal to those units for every x.

    Parameters
    ----------
    compose_with_affine : callable
        ``compose_with_affine(w, b, v, c) -> (W, B)``.

    Returns
    -------
    Result
        Diagnoses: ``"missing_offset"`` (c left out of B), ``"offset_not_scaled"``
        (c added to B without the unit's weight), ``"transpose"`` (W of shape (D, K)), plus
        the generic ones.
    """
    mistakes = [
        Mistake(
            "missing_offset",
            "the directions are right but the units switch on in the wrong place: u has a "
            "constant part too",
            lambda w, b, v, c: (np.outer(w, v), b),
        ),
        Mistake(
            "offset_not_scaled",
            "the constant part of u goes through the unit's weight like the rest of u",
            lambda w, b, v, c: (np.outer(w, v), c + b),
        ),
    ]
    result = check(
        "Exercise 5.3 (a ReLU sum of v . x + c as a hidden layer)",
        compose_with_affine,
        _compose_with_affine,
        _composition_cases(),
        mistakes,
    )
    result.function = compose_with_affine if result.ok else _compose_with_affine
    return result
