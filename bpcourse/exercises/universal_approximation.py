"""The exercises of notebook 06 (universal approximation with sums of ReLUs), declared.

- Exercise 6.1, `relu_sum_through`: the parameters (c, w, b, omega) of a sum of ReLUs through
  given points. Reference: `bpcourse.approximation.relu_sum_through`. Many parameters give the
  same sum (units scaled, mirrored or reordered), so the check compares the *values* of the
  sums, at the knots and inside every cell, not the parameters (`Exercise.compare`).
- Exercise 6.2, `relu_units_needed`: the smallest n for which the interpolation bound
  h^2 / 8 max|psi''| (h = (b - a) / n) is at most eps. Reference:
  `bpcourse.approximation.units_needed`.
- Exercise 6.3, `compose_with_affine`: 1-D units relu(w_k u + b_k) fed with u = v . x + phi,
  written as a hidden layer relu(W x + B) on R^D. Reference:
  `bpcourse.approximation.compose_with_affine`.

Each known mistake is the reference with one thing changed: for 6.1 and 6.3 a switch of the
exercise's `variant` (declared as data), for 6.2 a small function. A call of the package
function that is the answer is named ("uses_reference").
"""

import math

import numpy as np

from bpcourse import approximation
from bpcourse.exercises.reading import NotAResult, not_a_result
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check


# ------------------------------------------------------- Exercise 6.1: a ReLU sum through points
def relu_sum_reference(t, y):
    """(c, w, b, omega) of `approximation.relu_sum_through`, as a tuple (c a float)."""
    return tuple(approximation.relu_sum_through(t, y))


def _sum_variant(
    t,
    y,
    *,
    constant="y_0",
    widths="own",
    divided=True,
    differenced=True,
    first_slope=True,
    knot_sign=-1.0,
    knots="left",
    swap_b_omega=False,
):
    """(c, w, b, omega) with units relu(x - t_k), with switches that each make one mistake.

    constant : "y_0" (right) or "zero": c
    widths : "own" (right: each cell's width), "mean" (every cell as wide as the average) or
        "first" (every cell as wide as the first)
    divided : slopes are rises / widths (True) or the rises alone (False)
    differenced : omega_k is the change of slope at t_k (True) or the slope of cell k (False)
    first_slope : omega_0 is the first cell's slope (True) or 0 (False)
    knot_sign : b_k = knot_sign * t_k (-1 is right: unit k switches on at t_k)
    knots : "left" (right: unit k at t_k, k = 0..n-1) or "right" (at t_(k+1))
    swap_b_omega : b and omega returned in each other's place
    """
    t, y = np.asarray(t, dtype=float), np.asarray(y, dtype=float)
    rises = np.diff(y)
    width = {
        "own": np.diff(t),
        "mean": np.full(len(rises), (t[-1] - t[0]) / len(rises)),
        "first": np.full(len(rises), t[1] - t[0]),
    }[widths]
    slopes = rises / width if divided else rises
    omega = np.concatenate([slopes[:1], np.diff(slopes)]) if differenced else slopes
    if not first_slope:
        omega = np.concatenate([[0.0], omega[1:]])
    b = knot_sign * (t[:-1] if knots == "left" else t[1:])
    c = float(y[0]) if constant == "y_0" else 0.0
    w = np.ones(len(rises))
    return (c, w, omega, b) if swap_b_omega else (c, w, b, omega)


def _sample_x(t):
    """Where two sums are compared: the knots and 7 points inside each cell."""
    t = np.asarray(t, dtype=np.float64)
    inside = t[:-1, None] + np.diff(t)[:, None] * np.linspace(0.1, 0.9, 7)
    return np.sort(np.concatenate([t, inside.ravel()]))


def _sum_values(params, x):
    """f(x) = c + sum_k omega_k relu(w_k x + b_k), in single precision where a part is."""
    c, w, b, omega = params
    single = any(np.asarray(p).dtype in (np.float16, np.float32) for p in (c, w, b, omega))
    dtype = np.float32 if single else np.float64
    c, w, b, omega = (np.asarray(p, dtype=dtype) for p in (c, w, b, omega))
    return float(c.ravel()[0]) + np.maximum(np.outer(x.astype(dtype), w) + b, 0) @ omega


def NotASum(key, text):
    """What a 6.1 answer returned cannot be read as (c, w, b, omega); `key` says why."""
    return NotAResult(text, key)


def unpack_relu_sum(output):
    """The four values of an `approximation.ReluSum` (the package's own type only)."""
    if type(output) is approximation.ReluSum:
        return (output.c, output.w, output.b, output.omega)
    return output


def read_sum(output, n):
    """(c, w, b, omega) as float arrays from an answer's output, or raise `NotAResult`."""
    output = unpack_relu_sum(output)
    problem = not_a_result(output, "your result")
    if problem:
        raise NotASum("not_a_result", problem)
    if not isinstance(output, (tuple, list)):
        raise NotASum(
            "not_a_result",
            f"your result is one {type(output).__name__}; return the four values (c, w, b, omega)",
        )
    if len(output) != 4:
        raise NotASum(
            "not_a_result",
            f"your result holds {len(output)} value(s); return four: (c, w, b, omega)",
        )
    read = []
    for name, value in zip(("c", "w", "b", "omega"), output):
        problem = not_a_result(value, name)
        for item in value if isinstance(value, (tuple, list)) else ():
            problem = problem or not_a_result(item, f"an entry of {name}")
        if problem:
            raise NotASum("not_a_result", problem)
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise NotASum("not_a_result", f"{name} cannot be read as real numbers")
        read.append(array)
    c, w, b, omega = read
    if c.size != 1:
        raise NotASum(
            "not_a_result", f"c is an array of shape {c.shape}; it is one number (the constant)"
        )
    for name, array in (("w", w), ("b", b), ("omega", omega)):
        if array.ndim != 1:
            raise NotASum(
                "not_a_result", f"{name} has shape {array.shape}; it is 1-D, one entry per unit"
            )
    sizes = (len(w), len(b), len(omega))
    if sizes != (n, n, n):
        raise NotASum(
            "unit_count",
            f"w, b and omega have {sizes[0]}, {sizes[1]} and {sizes[2]} entries; with "
            f"{n + 1} points there are n = {n} cells, so n units, one entry each",
        )
    return c, w, b, omega


def sum_values(args, output):
    """What 6.1 compares: the values of the sum that `output` describes, at the knots and 7
    points inside each cell (`Exercise.compare`; the knots are the case's, not a copy a
    function may have changed)."""
    knots = np.asarray(args[0], dtype=np.float64)
    return _sum_values(read_sum(output, len(knots) - 1), _sample_x(knots))


def _sum_diagnose(judgement):
    """A sum shifted by a constant: every slope right, the level wrong."""
    shifted = []
    for case_leaves in judgement.leaves:
        (_, got, want) = case_leaves[0]
        gap = got.astype(np.float64) - want
        scale = np.max(np.abs(want)) + 1e-300
        if not np.all(np.isfinite(gap)) or np.ptp(gap) > 1e-9 * scale:
            return None
        shifted.append(abs(np.mean(gap)) > 1e-6 * scale)
    if any(shifted):
        return "missing_constant", _SHIFTED
    return None


_SHIFTED = (
    "the shape is right but the whole curve is shifted: every slope is right and the level "
    "is not; which value does your sum take at t_0?"
)


def _points_cases():
    rng = np.random.default_rng(51)
    points = []
    for n, start in ((3, 0.5), (5, 0.5), (8, 0.5), (4, -2.5)):
        t = np.cumsum(rng.uniform(0.3, 1.2, n + 1)) + start  # increasing, uneven
        points.append((t, rng.normal(size=n + 1)))
    points.append((np.array([-0.7, 1.9]), np.array([0.4, -1.1])))  # n = 1: one cell
    t = 1000.0 + np.cumsum(rng.uniform(5.0, 40.0, 6))  # knots near 1000, values near +-1000
    points.append((t, 1000.0 * rng.normal(size=6)))
    t = -0.02 + np.cumsum(rng.uniform(1e-3, 4e-3, 7))  # cells a few thousandths wide
    points.append((t, 1e-3 * rng.normal(size=7)))
    return [Case((t, y), f"{len(t)} points from t = {t[0]:.4g} to {t[-1]:.4g}") for t, y in points]


_EVEN = (
    "right where the cells have the same width, wrong elsewhere: the knots are not evenly "
    "spaced, so every cell has its own width"
)
_SUM_MISTAKES = (
    Mistake(
        "slopes_not_differenced",
        "each unit adds its weight to the slope of every cell right of its knot, so the slopes "
        "pile up: omega_k should be how much the slope changes at knot k, not the slope of "
        "cell k itself",
        changes={"differenced": False},
    ),
    Mistake(
        "knot_sign",
        "your units switch on at the wrong place: relu(w x + b) with w > 0 starts rising where "
        "w x + b = 0; check the sign of b",
        changes={"knot_sign": 1.0},
    ),
    Mistake(
        "missing_constant",
        "the shape is right but the whole curve is shifted: left of every knot all units are "
        "0, so what gives f(t_0)?",
        changes={"constant": "zero"},
    ),
    Mistake(
        "rise_not_slope",
        "a slope is a rise divided by a run: the knots are not one unit apart",
        changes={"divided": False},
    ),
    Mistake("even_spacing", _EVEN, changes={"widths": "mean"}),
    Mistake("even_spacing", _EVEN, changes={"widths": "first"}),
    Mistake(
        "knots_shifted",
        "your units switch on one knot too late: unit k must start at t_k, the left end of "
        "cell k, so that cell 0 has a slope too",
        changes={"knots": "right"},
    ),
    Mistake(
        "first_slope_missing",
        "every change of slope is right except the first: on cell 0 only unit 0 is on, so its "
        "weight is the whole slope there",
        changes={"first_slope": False},
    ),
    Mistake(
        "output_order",
        "b and omega are swapped: return the four values as (c, w, b, omega)",
        changes={"swap_b_omega": True},
    ),
)


RELU_SUM = Exercise(
    number="6.1",
    title="a ReLU sum through given points",
    name="relu_sum_through",
    reference=relu_sum_reference,
    cases=_points_cases,
    accepts="(c, w, b, omega): c a number, w, b, omega NumPy arrays or lists of n entries "
    "(n + 1 points); any parameters that give the sum through the points",
    variant=_sum_variant,
    forbidden=(approximation.relu_sum_through,),
    mistakes=_SUM_MISTAKES,
    diagnose=_sum_diagnose,
    keys=("unit_count",),
    compare=sum_values,
    unpack=unpack_relu_sum,
    compared="your sum (its values at the knots and 7 points inside each cell)",
)


# ------------------------------------------------------- Exercise 6.2: units for a given error
def _solved(eps, a, b, max_d2, length=None):
    """n solved from h^2 / 8 max_d2 = eps with h = length / n (length b - a if not given)."""
    length = b - a if length is None else length
    return length * math.sqrt(max_d2 / (8 * eps))


# (eps, a, b, max_d2): intervals around 0, starting at 0, and on one side of it ([1, 2], where
# |a| + |b| is not the length; [-5, -3.5]); a bound met by one unit (where int() and round()
# give 0); whole-number solutions (powers of two, exact in any order of operations: 4 and 3,
# where int(x) + 1 is one too many, and 3, where round(x + 0.5) is); n in the thousands; ints
# for a, b, max_d2. No mistake below lands within 0.008 of an integer where the answer is not
# whole, so the order of a student's operations cannot move a ceil.
_UNITS = (
    (1e-3, 0.0, math.pi, 1.0),
    (1.3e-2, -1.0, 2.0, 4.0),
    (2.2e-4, -math.pi, math.pi, 1.0),
    (0.07, 0, 2, 3),
    (3e-3, -2.0, 0.5, 2.5),
    (0.125, 0.0, 4.0, 1.0),
    (0.125, -1.0, 2.0, 1.0),
    (1e-3, 1.0, 2.5, 1.0),
    (4e-4, -5.0, -3.5, 0.6),
    (0.5, 0.25, 1.0, 2.0),
    (1.3e-6, 990.0, 1000.0, 0.3),
)


def _units_cases():
    return [
        Case(args, f"eps = {args[0]:g} on [{args[1]:.3g}, {args[2]:.3g}], max_d2 = {args[3]:g}")
        for args in _UNITS
    ]


_LENGTH = " (the cells' width is h = (b - a) / n)"


def _units_diagnose(judgement):
    """No known mistake: say which way the count is off, and in which case."""
    for case, case_leaves in zip(judgement.cases, judgement.leaves):
        (_, got, want) = case_leaves[0]
        if got.shape == want.shape and np.all(np.isfinite(got)) and not np.array_equal(got, want):
            key, text = (
                ("too_many", "more units than needed: fewer already keep the bound")
                if float(np.ravel(got)[0]) > float(np.ravel(want)[0])
                else ("too_few", "too few units: the bound is still above eps")
            )
            return key, f"in the case {case.describe}, {text}: solve the bound for n again"
    return None


UNITS = Exercise(
    number="6.2",
    title="units needed for a given error",
    name="relu_units_needed",
    reference=approximation.units_needed,
    cases=_units_cases,
    accepts="an int (a Python int or a NumPy integer; a float is named, even a whole one)",
    integer=True,
    forbidden=(approximation.units_needed,),
    diagnose=_units_diagnose,
    keys=("too_many", "too_few"),
    mistakes=(
        Mistake(
            "missing_1_over_8",
            "too many units: the bound has a constant in it; where is the largest gap between "
            "a parabola and its chord?",
            lambda eps, a, b, m: math.ceil((b - a) * math.sqrt(m / eps)),
        ),
        Mistake(
            "h_not_squared",
            "for a smooth function the bound falls like h^2, not like h: solve the bound for n "
            "again",
            lambda eps, a, b, m: math.ceil((b - a) * m / (8 * eps)),
        ),
        Mistake(
            "no_square_root",
            "n appears squared in the bound: solving for n takes a square root at the end",
            lambda eps, a, b, m: math.ceil((b - a) ** 2 * m / (8 * eps)),
        ),
        Mistake(
            "interval_length",
            "right where a <= 0 <= b, wrong elsewhere: how long is [a, b] when both ends have "
            "the same sign?" + _LENGTH,
            lambda eps, a, b, m: math.ceil(_solved(eps, a, b, m, abs(a) + abs(b))),
        ),
        Mistake(
            "interval_length",
            "right where a = 0, wrong elsewhere: [a, b] need not start at 0" + _LENGTH,
            lambda eps, a, b, m: math.ceil(_solved(eps, a, b, m, b)),
        ),
        Mistake(
            "interval_length",
            "the count must grow with the length of [a, b], which is not always 1" + _LENGTH,
            lambda eps, a, b, m: math.ceil(_solved(eps, a, b, m, 1.0)),
        ),
        Mistake(
            "rounded_down",
            "one unit short: rounding down (floor, or int(), which truncates) gives a bound just "
            "above eps",
            lambda eps, a, b, m: int(math.floor(_solved(eps, a, b, m))),
        ),
        Mistake(
            "rounded_nearest",
            "round() goes down when the fraction is under a half, and then the bound is above "
            "eps: take the next integer up",
            lambda eps, a, b, m: int(round(_solved(eps, a, b, m))),
        ),
        Mistake(
            "one_too_many",
            "one unit more than needed: n - 1 units already keep the bound under eps",
            lambda eps, a, b, m: math.ceil(_solved(eps, a, b, m)) + 1,
        ),
        Mistake(
            "one_too_many",
            "one unit too many where the bound's solution is a whole number: there that many "
            "units meet the bound exactly, and 'at most eps' includes equality (int(x) + 1, or "
            "a search with a strict <, goes one past it; math.ceil rounds up exactly)",
            lambda eps, a, b, m: int(_solved(eps, a, b, m)) + 1,
        ),
        Mistake(
            "rounded_half_up",
            "round(x + 0.5) is the next integer up except where x is whole: there x + 0.5 is a "
            "half, and Python's round() takes halves to the even neighbour, one up when x is "
            "odd (math.ceil rounds up exactly)",
            lambda eps, a, b, m: int(round(_solved(eps, a, b, m) + 0.5)),
        ),
        Mistake(
            "ignores_max_d2",
            "right when max|psi''| = 1, wrong otherwise: the bound grows with max_d2",
            lambda eps, a, b, m: math.ceil(_solved(eps, a, b, 1.0)),
        ),
    ),
)


# ------------------------------------------------------- Exercise 6.3: a hidden layer on R^D
def _compose_variant(w, b, v, phi, *, offset="scaled", rows="scaled", bias_sign=1.0):
    """(W, B) for units relu(w_k (v . x + phi) + b_k), with switches that each make one mistake.

    offset : "scaled" (right: w_k phi in B_k), "plain" (phi added unscaled) or "none"
    rows : "scaled" (right: row k of W is w_k v) or "v" (every row is v)
    bias_sign : B_k = ... + bias_sign * b_k (1 is right)
    """
    w, b, v = (np.asarray(a, dtype=float) for a in (w, b, v))
    W = np.outer(w, v) if rows == "scaled" else np.tile(v, (len(w), 1))
    shift = {"scaled": w * phi, "plain": np.full(len(w), float(phi)), "none": np.zeros(len(w))}
    return W, shift[offset] + bias_sign * b


def _composition_cases():
    rng = np.random.default_rng(53)
    cases = []
    for k, d in ((4, 2), (6, 3), (5, 2), (1, 4), (3, 1)):
        cases.append(
            Case(
                (rng.normal(size=k), rng.normal(size=k), rng.normal(size=d), float(rng.normal())),
                f"K = {k} unit{'s' * (k > 1)}, D = {d}",
            )
        )
    w, b, v = 1000 * rng.normal(size=3), 1000 * rng.normal(size=3), 1000 * rng.normal(size=2)
    cases.append(Case((w, b, v, 1000 * float(rng.normal())), "K = 3 units, D = 2, sizes ~1000"))
    return cases


COMPOSE = Exercise(
    number="6.3",
    title="a ReLU sum of v . x + phi as a hidden layer",
    name="compose_with_affine",
    reference=approximation.compose_with_affine,
    cases=_composition_cases,
    accepts="(W, B): NumPy arrays of shapes (K, D) and (K,), or nested lists of those shapes",
    returns=("W", "B"),
    variant=_compose_variant,
    forbidden=(approximation.compose_with_affine,),
    mistakes=(
        Mistake(
            "missing_offset",
            "the directions are right but the units switch on in the wrong place: u has a "
            "constant part too",
            changes={"offset": "none"},
        ),
        Mistake(
            "offset_not_scaled",
            "the constant part of u goes through the unit's weight like the rest of u",
            changes={"offset": "plain"},
        ),
        Mistake(
            "weights_not_scaled",
            "every row of W is v: unit k multiplies u by its own w_k, and so every part of u",
            changes={"rows": "v"},
        ),
        Mistake(
            "bias_sign",
            "the unit's own b_k has the wrong sign in B: look at w_k u + b_k again",
            changes={"bias_sign": -1.0},
        ),
    ),
)

EXERCISES = (RELU_SUM, UNITS, COMPOSE)

check_relu_sum_through = make_check(RELU_SUM)
check_relu_units_needed = make_check(UNITS)
check_compose_with_affine = make_check(COMPOSE)
