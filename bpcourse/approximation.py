"""Universal approximation in 1-D: a sum of ReLUs through the points of a function.

The piecewise-linear interpolant of psi at the n + 1 knots t_k = a + k (b - a) / n is a sum
of n ReLUs (deck 001). With the slopes m_k = (psi(t_{k+1}) - psi(t_k)) / h between knots:

    f(x) = c + omega_0 relu(t_1 - x) + sum_{k=1}^{n-1} omega_k relu(x - t_k)

with c = psi(t_1), omega_0 = -m_0, omega_1 = m_1 and omega_k = m_k - m_{k-1} for k >= 2: each
unit switches on at a knot and changes the slope by omega_k there. In the network's form
relu(w_k x + b_k), unit 0 has w_0 = -1, b_0 = t_1 and unit k >= 1 has w_k = 1, b_k = -t_k.
For a psi with a bounded second derivative, |f - psi| <= h^2 / 8 max|psi''| on [a, b]: the
error falls like 1/n^2.
"""

import numpy as np

from bpcourse._validate import as_array, positive_int


class ReluSum:
    """f(x) = c + sum_k omega_k relu(w_k x + b_k): a one-hidden-layer ReLU network in 1-D.

    Attributes
    ----------
    c : float
    w, b, omega : arrays, shape (n,)
    knots : array, shape (n + 1,), where the interpolant meets psi (for `relu_interpolant`)
    """

    def __init__(self, c, w, b, omega, knots=None):
        self.c = float(c)
        self.w = as_array(w, "w", ndim=1)
        self.b = as_array(b, "b", ndim=1)
        self.omega = as_array(omega, "omega", ndim=1)
        if not self.w.shape == self.b.shape == self.omega.shape:
            raise ValueError(
                f"w, b and omega must have one entry per unit, got shapes "
                f"{self.w.shape}, {self.b.shape}, {self.omega.shape}"
            )
        self.knots = knots

    @property
    def n_units(self):
        return len(self.w)

    def __call__(self, x):
        """Evaluate at x: a number or an array of any shape (the result has the same shape)."""
        x = as_array(x, "x")
        hidden = np.maximum(np.multiply.outer(x, self.w) + self.b, 0.0)  # (..., n)
        return self.c + hidden @ self.omega

    def __repr__(self):
        return f"ReluSum({self.n_units} units)"


def relu_interpolant(psi, a, b, n):
    """The sum of `n` ReLUs equal to `psi` at the n + 1 evenly spaced knots of [a, b].

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
    if not callable(psi):
        raise TypeError(f"psi must be a callable taking an array, got {type(psi).__name__}")
    a = float(as_array(a, "a", ndim=0))
    b = float(as_array(b, "b", ndim=0))
    if not a < b:
        raise ValueError(f"the interval [a, b] must have a < b, got a={a}, b={b}")
    n = positive_int(n, "n")
    knots = np.linspace(a, b, n + 1)
    values = as_array(psi(knots), "psi(knots)")
    if values.shape != knots.shape:
        raise ValueError(
            f"psi must return one value per knot: shape {knots.shape}, got {values.shape}"
        )
    h = (b - a) / n
    m = np.diff(values) / h  # slope on [t_k, t_{k+1}], k = 0..n-1
    omega = np.concatenate([[-m[0]], m[1:2], np.diff(m[1:])])[:n] if n > 1 else -m[:1]
    w = np.concatenate([[-1.0], np.ones(n - 1)])
    bias = np.concatenate([[knots[1]], -knots[1:n]])
    return ReluSum(values[1], w, bias, omega, knots=knots)
