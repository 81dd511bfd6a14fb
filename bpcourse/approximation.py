"""Universal approximation in 1-D: a sum of ReLUs through the points of a function.

A one-hidden-layer ReLU network on a number x computes

    f(x) = c + sum_k omega_k relu(w_k x + b_k).

Through the points (t_0, y_0), ..., (t_n, y_n) with t_0 < ... < t_n, the slopes of the cells
are m_k = (y_{k+1} - y_k) / (t_{k+1} - t_k), and n units do it (`relu_sum_through`):

    c = y_0,  w_k = 1,  b_k = -t_k,  omega_0 = m_0,  omega_k = m_k - m_{k-1} (k >= 1):

unit k switches on at knot t_k and changes the slope there by omega_k. `relu_interpolant`
takes the n + 1 evenly spaced knots of [a, b] and a target psi. On a cell of width h the
chord of psi is within h^2 / 8 max|psi''| of psi (`chord_error_bound`), so the error falls
like 1/n^2 for a psi with a bounded second derivative; `units_needed` solves that bound for n.
`compose_with_affine` feeds a 1-D sum with u = v . x + c, which turns it into a hidden layer
on R^D (the step from 1-D to [0, 1]^D).
"""

import math

import numpy as np

from bpcourse._validate import (
    as_array,
    describe,
    fits_in_memory,
    function,
    nonnegative_number,
    positive_int,
    positive_number,
    real_number,
)


def _interval(a, b):
    """a and b as floats with a < b, or an error naming them."""
    a, b = real_number(a, "a"), real_number(b, "b")
    if not a < b:
        raise ValueError(f"the interval [a, b] must have a < b, got a={a}, b={b}")
    return a, b


class ReluSum:
    """f(x) = c + sum_k omega_k relu(w_k x + b_k): a one-hidden-layer ReLU network in 1-D.

    Attributes
    ----------
    c : float
    w, b, omega : arrays, shape (n,)
    knots : array, shape (n + 1,), where the sum meets the target (None if not built from one)

    It unpacks as ``c, w, b, omega = relu_sum``.
    """

    def __init__(self, c, w, b, omega, knots=None):
        self.c = real_number(c, "c")
        self.w = as_array(w, "w", ndim=1)
        self.b = as_array(b, "b", ndim=1)
        self.omega = as_array(omega, "omega", ndim=1)
        if not self.w.shape == self.b.shape == self.omega.shape:
            raise ValueError(
                f"w, b and omega must have one entry per unit, got shapes "
                f"{self.w.shape}, {self.b.shape}, {self.omega.shape}"
            )
        self.knots = None if knots is None else as_array(knots, "knots", ndim=1)
        if self.knots is not None and self.knots.shape != (len(self.w) + 1,):
            raise ValueError(
                f"knots must hold n + 1 = {len(self.w) + 1} entries for n = {len(self.w)} units "
                f"(the points where the sum meets its target), got shape {self.knots.shape}"
            )

    @property
    def n_units(self):
        return len(self.w)

    def __call__(self, x):
        """Evaluate at x: a number or an array of any shape (the result has the same shape).

        Values too large for float64 are refused (x far outside the knots' scale).
        """
        x = as_array(x, "x")
        with np.errstate(over="ignore", invalid="ignore"):
            hidden = np.maximum(np.multiply.outer(x, self.w) + self.b, 0.0)  # (..., n)
            value = self.c + hidden @ self.omega
        if not np.all(np.isfinite(value)):
            raise ValueError(
                f"the sum overflows float64 (above 1.8e308) for x with |x| up to "
                f"{np.max(np.abs(x)):.3g}: x is too large for these weights"
            )
        return value

    def __iter__(self):
        """Unpack as ``c, w, b, omega = relu_sum``."""
        return iter((self.c, self.w, self.b, self.omega))

    def __repr__(self):
        return f"ReluSum({self.n_units} units)"


def relu_sum_through(t, y):
    """The sum of n ReLUs through the n + 1 points (t_i, y_i), linear between knots.

    c = y_0 and unit k is relu(x - t_k) (w_k = 1, b_k = -t_k) with weight omega_k, the change
    of slope at t_k: omega_0 = m_0 and omega_k = m_k - m_{k-1}, where
    m_k = (y_{k+1} - y_k) / (t_{k+1} - t_k) is the slope of cell k.
    Left of t_0 every unit is off, so the sum is the constant y_0 there; right of t_n it
    continues the last cell's line.

    Parameters
    ----------
    t : array_like, shape (n + 1,), strictly increasing, n >= 1 (the knots)
    y : array_like, shape (n + 1,) (the values at the knots)

    Returns
    -------
    ReluSum with n units and ``knots = t``.
    """
    t = as_array(t, "t", ndim=1)
    y = as_array(y, "y", ndim=1)
    if t.shape != y.shape:
        raise ValueError(f"t and y must have the same shape, got {t.shape} and {y.shape}")
    if len(t) < 2:
        raise ValueError(f"t must hold at least 2 knots, got {len(t)}")
    if not np.all(np.diff(t) > 0):
        k = int(np.argmin(np.diff(t) > 0))
        raise ValueError(
            f"t must be strictly increasing (knots in order, no two equal), got "
            f"t[{k}] = {t[k]:g} then t[{k + 1}] = {t[k + 1]:g}"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        slopes = np.diff(y) / np.diff(t)  # m_k on [t_k, t_{k+1}]
        omega = np.concatenate([slopes[:1], np.diff(slopes)])
    if not np.all(np.isfinite(omega)):
        raise ValueError(
            "the slopes (y[k+1] - y[k]) / (t[k+1] - t[k]) overflow float64: y varies too much "
            "between knots that close"
        )
    return ReluSum(y[0], np.ones(len(slopes)), -t[:-1], omega, knots=t.copy())


def relu_interpolant(psi, a, b, n):
    """The sum of `n` ReLUs equal to `psi` at the n + 1 evenly spaced knots of [a, b].

    It is `relu_sum_through` at the knots t_k = a + k (b - a) / n, with one change: its first
    unit is written relu(t_1 - x) (w_0 = -1, b_0 = t_1) and c = psi(t_1), so that the sum
    continues the first cell's line left of a instead of staying constant there. On [a, b]
    both are the same function: relu(x - t_0) m_0 + y_0 and y_1 - m_0 relu(t_1 - x) +
    m_0 relu(x - t_1) are equal for x >= t_0.

    Parameters
    ----------
    psi : callable, called once on the array of knots, returning an array of the same shape
    a, b : numbers, a < b
    n : int >= 1, the number of units

    Returns
    -------
    ReluSum, linear between knots and continued linearly outside [a, b] (for n = 1 the single
    unit is linear on [a, b] and to its left, constant to its right).
    """
    function(psi, "psi", "taking an array")
    a, b = _interval(a, b)
    n = positive_int(n, "n")
    fits_in_memory(4 * (n + 1), "n", n)
    if not np.isfinite(b - a):
        raise ValueError(
            f"the interval [a, b] = [{a!r}, {b!r}] is too wide: b - a overflows float64"
        )
    knots = np.linspace(a, b, n + 1)
    if not np.all(np.diff(knots) > 0):
        raise ValueError(
            f"the interval [a, b] = [{a!r}, {b!r}] is too narrow for n={n} evenly spaced cells "
            "in float64: some of its knots are equal"
        )
    try:
        with np.errstate(all="ignore"):  # values that are not finite are refused just below
            values = psi(knots.copy())  # a psi that changes its argument keeps our knots
    except TypeError as error:  # such as math.sin, which takes one number
        if hasattr(error, "add_note"):
            error.add_note(
                "psi is called once, on the NumPy array of the n + 1 knots: it must take an "
                "array (np.sin, not math.sin)"
            )
        raise
    values = as_array(values, "psi(knots)", allow_nonfinite=True)
    if values.shape != knots.shape:
        raise ValueError(
            f"psi must return one value per knot: shape {knots.shape}, got {values.shape}"
        )
    if not np.all(np.isfinite(values)):
        bad = knots[~np.isfinite(values)]
        raise ValueError(
            f"psi(knots) is not finite at {len(bad)} knot(s), the first at {float(bad[0])!r}; "
            "psi must be finite on [a, b]"
        )
    try:
        through = relu_sum_through(knots, values)
    except ValueError:  # slopes that overflow: say it with the caller's names
        raise ValueError(
            f"psi varies too fast on [a, b] for n={n}: the slopes between its knots overflow "
            "float64 (above 1.8e308)"
        ) from None
    w, bias, omega = through.w.copy(), through.b.copy(), through.omega.copy()
    w[0], bias[0], omega[0] = -1.0, knots[1], -through.omega[0]  # m_0 relu(t_1 - x) switched
    if n > 1:
        omega[1] += through.omega[0]  # ... and m_0 relu(x - t_1) merged into unit 1
    return ReluSum(values[1], w, bias, omega, knots=knots)


def chord_error_bound(a, b, n, max_d2):
    """The bound h^2 / 8 * max_d2 on |psi - f| for n evenly spaced cells of [a, b].

    With h = (b - a) / n and |psi''| <= max_d2 on [a, b], the chord of psi on every cell is
    within h^2 / 8 * max_d2 of psi; a parabola reaches it.

    Parameters
    ----------
    a, b : numbers, a < b
    n : int >= 1, or an array of them (the bound is then an array of the same shape)
    max_d2 : number >= 0, a bound on |psi''| over [a, b]

    A bound too large for float64 is inf.
    """
    a, b = _interval(a, b)
    max_d2 = nonnegative_number(max_d2, "max_d2")
    if np.ndim(n) == 0:
        counts = positive_int(n, "n")  # a Python int: any size
    else:
        counts = _unit_counts(n)
    with np.errstate(over="ignore"):
        h = (b - a) / counts
        bound = h * h / 8 * max_d2
    return float(bound) if np.ndim(counts) == 0 else np.asarray(bound, dtype=np.float64)


def _unit_counts(n):
    """The array of unit counts `n` (ints >= 1; an empty list is an empty array), as integers:
    an int dtype, or Python ints too large for int64 in an object array."""
    counts = np.asarray(n)
    if counts.size == 0:
        return counts.astype(np.int64)
    if counts.dtype.kind == "O":  # Python ints beyond int64 (or something that is no int)
        for entry in counts.flat:
            positive_int(entry, "n")
        return counts
    if counts.dtype.kind not in "iu":
        raise TypeError(f"n must be an integer >= 1 or an array of them, got {describe(n)}")
    if np.any(counts < 1):
        raise ValueError(f"n must be at least 1, got {int(np.min(counts))}")
    return counts


def units_needed(eps, a, b, max_d2):
    """The smallest number of units n with ``chord_error_bound(a, b, n, max_d2) <= eps``.

    Solving h^2 / 8 * max_d2 <= eps with h = (b - a) / n gives
    n >= (b - a) sqrt(max_d2 / (8 eps)); the next integer up, corrected by one where
    rounding of the square root puts it on the wrong side.

    Returns
    -------
    int >= 1; a count above 2**53, which float64 cannot check unit by unit, is refused
    """
    eps = positive_number(eps, "eps")
    a, b = _interval(a, b)
    max_d2 = nonnegative_number(max_d2, "max_d2")
    with np.errstate(over="ignore"):
        estimate = (b - a) * math.sqrt(max_d2 / (8 * eps)) if max_d2 else 0.0
    if not estimate < 2**53:
        raise ValueError(
            f"eps={eps!r} asks for about {estimate:.3g} units on [{a!r}, {b!r}] with "
            f"max_d2={max_d2!r}, more than float64 can count (2**53): take a larger eps"
        )
    n = max(1, math.ceil(estimate))
    while chord_error_bound(a, b, n, max_d2) > eps:
        n += 1
    while n > 1 and chord_error_bound(a, b, n - 1, max_d2) <= eps:
        n -= 1
    return n


def compose_with_affine(w, b, v, c):
    """Units relu(w_k u + b_k) of u = v . x + c, written as one hidden layer relu(W x + B).

    w_k (v . x + c) + b_k = (w_k v) . x + (w_k c + b_k), so W = w v^T and B = w c + b.

    Parameters
    ----------
    w, b : array_like, shape (K,), the units of a 1-D sum
    v : array_like, shape (D,); c : number

    Returns
    -------
    W : ndarray, shape (K, D); B : ndarray, shape (K,)
    """
    w = as_array(w, "w", ndim=1)
    b = as_array(b, "b", ndim=1)
    v = as_array(v, "v", ndim=1)
    c = real_number(c, "c")
    if w.shape != b.shape:
        raise ValueError(f"w and b must have one entry per unit, got {w.shape} and {b.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        W, B = np.outer(w, v), w * c + b
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(B))):
        raise ValueError(
            "w v^T or w c + b overflows float64 (above 1.8e308): w, v or c is too large"
        )
    return W, B
