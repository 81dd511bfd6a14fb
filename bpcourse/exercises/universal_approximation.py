"""Checks for the exercises of notebook 06 (universal approximation with sums of ReLUs).

- Exercise 6.1, `check_relu_sum_through`: a sum of ReLUs through given points; the reference
  is `bpcourse.approximation.relu_sum_through`.
- Exercise 6.2, `check_relu_units_needed`: how many units the interpolation bound asks for;
  the reference is `bpcourse.approximation.units_needed`.
- Exercise 6.3, `check_compose_with_affine`: a 1-D ReLU sum fed with v . x + c, written as
  the hidden layer of a network on R^D; the reference is
  `bpcourse.approximation.compose_with_affine`.

Every mistake below is the reference with one thing changed, built from the package's
functions.
"""

import copy
from dataclasses import replace

import numpy as np

from bpcourse import approximation
from bpcourse.exercises._core import Mistake, NotAResult, Result, _not_a_result, check

# ---------------------------------------------------------------- Exercise 6.1
EXERCISE_6_1 = "Exercise 6.1 (a ReLU sum through given points)"


def _params(t, y):
    """The reference's (c, w, b, omega) as a tuple of arrays."""
    return tuple(approximation.relu_sum_through(t, y))


def _slopes(t, y):
    return np.diff(y) / np.diff(t)


def _read(output, n):
    """(c, w, b, omega) as float arrays from a student's output, or NotAResult saying why."""
    if isinstance(output, approximation.ReluSum):
        output = tuple(output)
    problem = _not_a_result(output, "your result")
    if problem:
        raise NotAResult(problem)
    if isinstance(output, np.ndarray) or not isinstance(output, (tuple, list)):
        raise NotAResult(
            f"your result is one {type(output).__name__}; return the four values (c, w, b, omega)"
        )
    if len(output) != 4:
        raise NotAResult(f"your result holds {len(output)} value(s); return four: (c, w, b, omega)")
    read = []
    for name, value in zip(("c", "w", "b", "omega"), output):
        problem = _not_a_result(value, name)
        if problem:
            raise NotAResult(problem)
        if isinstance(value, (tuple, list)):
            for item in value:
                problem = _not_a_result(item, f"an entry of {name}")
                if problem:
                    raise NotAResult(problem)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise NotAResult(f"{name} cannot be read as numbers") from None
        read.append(array)
    c, w, b, omega = read
    if c.size != 1:
        raise NotAResult(f"c is an array of shape {c.shape}; it is one number (the constant)")
    for name, array in (("w", w), ("b", b), ("omega", omega)):
        if array.ndim != 1:
            raise NotAResult(f"{name} has shape {array.shape}; it is 1-D, one entry per unit")
    sizes = (len(w), len(b), len(omega))
    if sizes != (n, n, n):
        raise NotAResult(
            f"w, b and omega have {sizes[0]}, {sizes[1]} and {sizes[2]} entries; with "
            f"{n + 1} points there are n = {n} cells, so n units, one entry each"
        )
    return float(c.ravel()[0]), w, b, omega


def _values(params, x):
    """f(x) = c + sum_k omega_k relu(w_k x + b_k)."""
    c, w, b, omega = params
    return c + np.maximum(np.outer(x, w) + b, 0.0) @ omega


def _sample_x(t):
    """Where two sums are compared: the knots and 7 points inside each cell."""
    t = np.asarray(t, dtype=np.float64)
    inside = t[:-1, None] + np.diff(t)[:, None] * np.linspace(0.1, 0.9, 7)
    return np.sort(np.concatenate([t, inside.ravel()]))


def _as_values(function, reader=None):
    """A function of (t, y) returning the sum's values at `_sample_x(t)`."""

    def values(t, y):
        out = function(t, y)
        params = reader(out, len(t) - 1) if reader else out
        return _values(params, _sample_x(t))

    return values


def _points_cases():
    rng = np.random.default_rng(51)
    cases = []
    for n, start in ((3, 0.5), (5, 0.5), (8, 0.5), (4, -2.5)):
        t = np.cumsum(rng.uniform(0.3, 1.2, n + 1)) + start  # increasing, uneven
        cases.append((t, rng.normal(size=n + 1)))
    return cases


def _relu_sum_mistakes():
    def changed(edit):
        def params(t, y):
            c, w, b, omega = _params(t, y)
            return edit(t, y, c, w, b, omega)

        return _as_values(params)

    return [
        Mistake(
            "slopes_not_differenced",
            "each unit adds its weight to the slope of every cell right of its knot, so the "
            "slopes pile up: omega_k should be how much the slope changes at knot k, not the "
            "slope of cell k itself",
            changed(lambda t, y, c, w, b, o: (c, w, b, _slopes(t, y))),
        ),
        Mistake(
            "knot_sign",
            "your units switch on at the wrong place: relu(w x + b) with w > 0 starts "
            "rising where w x + b = 0; check the sign of b",
            changed(lambda t, y, c, w, b, o: (c, w, -b, o)),
        ),
        Mistake(
            "missing_constant",
            "the shape is right but the whole curve is shifted: left of every knot all "
            "units are 0, so what gives f(t_0)?",
            changed(lambda t, y, c, w, b, o: (0.0, w, b, o)),
        ),
        Mistake(
            "rise_not_slope",
            "a slope is a rise divided by a run: the knots are not one unit apart",
            changed(
                lambda t, y, c, w, b, o: (
                    c,
                    w,
                    b,
                    np.concatenate([np.diff(y)[:1], np.diff(np.diff(y))]),
                )
            ),
        ),
        Mistake(
            "knots_shifted",
            "your units switch on one knot too late: unit k must start at t_k, the left end "
            "of cell k, so that cell 0 has a slope too",
            changed(lambda t, y, c, w, b, o: (c, w, -np.asarray(t)[1:], o)),
        ),
        Mistake(
            "first_slope_missing",
            "every change of slope is right except the first: on cell 0 only unit 0 is on, "
            "so its weight is the whole slope there",
            changed(lambda t, y, c, w, b, o: (c, w, b, np.concatenate([[0.0], o[1:]]))),
        ),
        Mistake(
            "output_order",
            "b and omega are swapped: return the four values as (c, w, b, omega)",
            changed(lambda t, y, c, w, b, o: (c, w, o, b)),
        ),
    ]


def check_relu_sum_through(relu_sum_through):
    """Check Exercise 6.1: the parameters of a sum of ReLUs through given points.

    The student's function takes knots `t` (float array of shape (n+1,), increasing, unevenly
    spaced) and values `y` (shape (n+1,)) and returns ``(c, w, b, omega)``: c a number, w, b,
    omega arrays (or lists) of n entries, so that f(x) = c + sum_k omega_k relu(w_k x + b_k)
    has f(t_i) = y_i and is linear between knots. The sums are compared by their values at
    the knots and inside every cell, so any correct parametrisation passes.

    Parameters
    ----------
    relu_sum_through : callable
        ``relu_sum_through(t, y) -> (c, w, b, omega)``.

    Returns
    -------
    Result
        Diagnoses: ``"slopes_not_differenced"``, ``"knot_sign"``, ``"missing_constant"``,
        ``"rise_not_slope"``, ``"knots_shifted"``, ``"first_slope_missing"``,
        ``"output_order"`` (b and omega swapped), ``"unit_count"`` (w, b, omega not of n
        entries), plus the generic ones (``"not_a_result"``, ``"raised"``,
        ``"modified_input"``, ...).
    """
    reference = approximation.relu_sum_through

    def finish(result):
        return replace(
            result, student=relu_sum_through, reference=reference, function=None,
            name="relu_sum_through",
        )  # fmt: skip

    try:
        cases = _points_cases()
        if callable(relu_sum_through):
            for args in cases:
                try:
                    output = relu_sum_through(*copy.deepcopy(args))
                except Exception:  # raised: the core's check names it on its own run
                    break
                try:
                    _read(output, len(args[0]) - 1)
                except NotAResult as problem:
                    text = str(problem)
                    key = "unit_count" if text.startswith("w, b and omega have") else "not_a_result"
                    return finish(Result(EXERCISE_6_1, "error", f"not yet: {text}", diagnosis=key))
                low = [  # single precision: the sum's values are compared, where it would hide
                    part
                    for part, value in zip(("c", "w", "b", "omega"), tuple(output))
                    if np.asarray(value).dtype in (np.float16, np.float32)
                ]
                if low:
                    return finish(
                        Result(
                            EXERCISE_6_1,
                            "mistake",
                            f"not yet: {', '.join(low)} {'is' if len(low) == 1 else 'are'} "
                            "float32, single precision, which keeps about 7 significant "
                            "digits; compute in float64 (NumPy's default)",
                            diagnosis="precision",
                        )
                    )
        student = (
            _as_values(relu_sum_through, _read) if callable(relu_sum_through) else relu_sum_through
        )
        result = check(
            EXERCISE_6_1,
            student,
            _as_values(_params),
            cases,
            _relu_sum_mistakes(),
            describe=[f"{len(t)} points from t = {t[0]:.2f} to {t[-1]:.2f}" for t, _ in cases],
            name="relu_sum_through",
        )
        return finish(result)
    except Exception as exc:  # this module's own machinery: never blame the student for it
        return finish(
            Result(
                EXERCISE_6_1,
                "error",
                f"the check itself could not judge this answer ({type(exc).__name__}: {exc}); "
                "please tell your instructor",
                diagnosis="check_failed",
            )
        )


# ---------------------------------------------------------------- Exercise 6.2
def _units_cases():
    # (b - a) sqrt(max_d2 / (8 eps)) is 35.12, 18.61, 157.08, 4.63, 25.52: fractions below
    # and above a half, so that ceil, floor and round all differ somewhere; no mistake below
    # lands within 0.009 of an integer, so rounding in a student's order of operations
    # cannot move a ceil. The last case lands exactly on 4 (powers of two: exact in any
    # order), where int(x) + 1 is one unit too many and a strict "<" asks for one more.
    return [
        (1e-3, 0.0, np.pi, 1.0),
        (1.3e-2, -1.0, 2.0, 4.0),
        (2e-4, -np.pi, np.pi, 1.0),
        (0.07, 0, 2, 3),
        (3e-3, -2.0, 0.5, 2.5),
        (0.125, 0.0, 4.0, 1.0),
    ]


def _solved(eps, a, b, max_d2):
    return (b - a) * np.sqrt(max_d2 / (8 * eps))


def check_relu_units_needed(relu_units_needed):
    """Check Exercise 6.2: the number of units the interpolation error bound asks for.

    On n evenly spaced cells of [a, b] (width h = (b - a) / n) the piecewise-linear
    interpolant of psi is within h^2 / 8 * max|psi''| of psi. The student's function
    returns the smallest n for which that bound is at most `eps`, as an int (a Python int or
    a NumPy integer; a float such as 71.0 is refused, since later cells count units with it).

    Parameters
    ----------
    relu_units_needed : callable
        ``relu_units_needed(eps, a, b, max_d2) -> int``.

    Returns
    -------
    Result
        Diagnoses: ``"missing_1_over_8"``, ``"h_not_squared"``, ``"no_square_root"``,
        ``"rounded_down"`` (floor or int()), ``"rounded_nearest"`` (round()),
        ``"one_too_many"``, ``"ignores_max_d2"``, and when none of these fits
        ``"too_many"`` or ``"too_few"`` (in which case), plus the generic ones (``"not_a_result"``
        for a float, None, ...).
    """
    ceil = lambda value: int(np.ceil(value))  # noqa: E731
    mistakes = [
        Mistake(
            "missing_1_over_8",
            "too many units: the bound has a constant in it; where is the largest gap "
            "between a parabola and its chord?",
            lambda eps, a, b, m: ceil((b - a) * np.sqrt(m / eps)),
        ),
        Mistake(
            "h_not_squared",
            "for a smooth function the bound falls like h^2, not like h: solve the bound "
            "for n again",
            lambda eps, a, b, m: ceil((b - a) * m / (8 * eps)),
        ),
        Mistake(
            "no_square_root",
            "n appears squared in the bound: solving for n takes a square root at the end",
            lambda eps, a, b, m: ceil((b - a) ** 2 * m / (8 * eps)),
        ),
        Mistake(
            "rounded_down",
            "one unit short: rounding down (floor, or int(), which truncates) gives a bound "
            "just above eps",
            lambda eps, a, b, m: int(np.floor(_solved(eps, a, b, m))),
        ),
        Mistake(
            "rounded_nearest",
            "round() goes down when the fraction is under a half, and then the bound is "
            "above eps: take the next integer up",
            lambda eps, a, b, m: int(round(_solved(eps, a, b, m))),
        ),
        Mistake(
            "one_too_many",
            "one unit more than needed: n - 1 units already keep the bound under eps",
            lambda eps, a, b, m: approximation.units_needed(eps, a, b, m) + 1,
        ),
        Mistake(
            "one_too_many",
            "one unit too many where the bound's solution is a whole number: int(x) + 1 is the "
            "next integer up only when x is not whole (math.ceil rounds up exactly)",
            lambda eps, a, b, m: int(_solved(eps, a, b, m)) + 1,
        ),
        Mistake(
            "ignores_max_d2",
            "right when max|psi''| = 1, wrong otherwise: the bound grows with max_d2",
            lambda eps, a, b, m: ceil(_solved(eps, a, b, 1.0)),
        ),
    ]
    cases = _units_cases()
    describe = [f"eps = {e:g} on [{a:.3g}, {b:.3g}], max_d2 = {m:g}" for e, a, b, m in cases]
    result = check(
        "Exercise 6.2 (units needed for a given error)",
        relu_units_needed,
        approximation.units_needed,
        cases,
        mistakes,
        describe=describe,
        integer=True,
        name="relu_units_needed",
    )
    if result.diagnosis == "unknown":  # no known mistake: say which way it is off, and where
        try:
            for case, words in zip(cases, describe):
                got = int(relu_units_needed(*case))
                want = approximation.units_needed(*case)
                if got != want:
                    key, text = (
                        ("too_many", "more units than needed: fewer already keep the bound")
                        if got > want
                        else ("too_few", "too few units: the bound is still above eps")
                    )
                    message = f"not yet: in the case {words}, {text}: solve the bound for n again"
                    return replace(result, message=message, diagnosis=key)
        except Exception:  # keep the core's verdict when the student's code misbehaves here
            pass
    return result


# ---------------------------------------------------------------- Exercise 6.3
def _composition_cases():
    rng = np.random.default_rng(53)
    return [
        (rng.normal(size=k), rng.normal(size=k), rng.normal(size=d), float(rng.normal()))
        for k, d in ((4, 2), (6, 3), (5, 2))
    ]


def check_compose_with_affine(compose_with_affine):
    """Check Exercise 6.3: 1-D ReLU units fed with v . x + c, as one hidden layer on R^D.

    Given units relu(w_k u + b_k) of a scalar u (w, b float arrays of shape (K,)) and
    u = v . x + c (v of shape (D,), c a float), the student returns ``(W, B)`` of shapes
    (K, D) and (K,) (arrays, or nested lists of those shapes) with relu(W x + B) equal to
    those units for every x.

    Parameters
    ----------
    compose_with_affine : callable
        ``compose_with_affine(w, b, v, c) -> (W, B)``.

    Returns
    -------
    Result
        Diagnoses: ``"missing_offset"`` (c left out of B), ``"offset_not_scaled"``
        (c added to B without the unit's weight), ``"weights_not_scaled"`` (every row of W
        is v), ``"bias_sign"`` (b subtracted), plus the generic ones (``"transpose"``,
        ``"output_order"``, ``"modified_input"``, ``"not_a_result"``, ...).
    """
    reference = approximation.compose_with_affine
    mistakes = [
        Mistake(
            "missing_offset",
            "the directions are right but the units switch on in the wrong place: u has a "
            "constant part too",
            lambda w, b, v, c: (reference(w, b, v, c)[0], b),
        ),
        Mistake(
            "offset_not_scaled",
            "the constant part of u goes through the unit's weight like the rest of u",
            lambda w, b, v, c: (reference(w, b, v, c)[0], c + b),
        ),
        Mistake(
            "weights_not_scaled",
            "every row of W is v: unit k multiplies u by its own w_k, and so every part of u",
            lambda w, b, v, c: (np.tile(v, (len(w), 1)), reference(w, b, v, c)[1]),
        ),
        Mistake(
            "bias_sign",
            "the unit's own b_k is added, not subtracted",
            lambda w, b, v, c: (reference(w, b, v, c)[0], w * c - b),
        ),
    ]
    cases = _composition_cases()
    return check(
        "Exercise 6.3 (a ReLU sum of v . x + c as a hidden layer)",
        compose_with_affine,
        reference,
        cases,
        mistakes,
        names=("W", "B"),
        describe=[f"K = {len(w)} units, D = {len(v)}" for w, _, v, _ in cases],
        name="compose_with_affine",
    )
