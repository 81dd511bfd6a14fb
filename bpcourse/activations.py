"""Activation functions sigma and their derivatives sigma'.

Each activation is an object with ``.f(s)``, the function applied element-wise to the
pre-activations ``s``, and ``.df(s)``, its derivative sigma'(s), also element-wise. Both take
and return arrays of any shape.

The training path (`bpcourse.training`) also uses ``.df_from_output(x)``: the same sigma'(s)
written with the output x = sigma(s), and the ``out=`` argument of ``f`` and
``df_from_output``, which writes the result into an existing float64 array instead of a new one.

Inputs: an array of real numbers of any dtype (ints and bools are converted, float32 too; the
result is always float64), or a number. A str, None or complex numbers are refused with a
TypeError. Like NumPy's ufuncs, the functions work entry by entry and propagate NaN and
infinities without a warning: f(NaN) = NaN, sigma'(NaN) = NaN, and at +-inf each takes its
limit (tanh(inf) = 1, relu(-inf) = 0, sigmoid'(inf) = 0). The training path relies on this: a
step that overflows must be reported as divergence, not stopped half-way.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from bpcourse._validate import as_array, describe


@dataclass(frozen=True)
class Activation:
    """An element-wise activation: ``f(s)`` is sigma(s), ``df(s)`` is sigma'(s).

    ``df_from_output(x)``, when given, is the same sigma'(s) written with the output
    x = sigma(s) (for tanh, 1 - x^2): the training path keeps only x, not s.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    df_from_output: Callable[[np.ndarray], np.ndarray] | None = None

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"an Activation's name must be a str, got {self.name!r}")
        for field in ("f", "df"):
            if not callable(getattr(self, field)):
                raise TypeError(
                    f"{field} must be a function of an array s, got {getattr(self, field)!r}"
                )
        if self.df_from_output is not None and not callable(self.df_from_output):
            raise TypeError(
                f"df_from_output must be a function of an array x or None, "
                f"got {self.df_from_output!r}"
            )

    def __repr__(self):
        return f"Activation({self.name!r})"


def _real(s, name="s"):
    """`s` as a float64 array (it is returned as it is when it is one), NaN and inf kept."""
    if type(s) is np.ndarray and s.dtype == np.float64:
        return s
    return as_array(s, name, allow_nonfinite=True)


# ----- relu(s) = max(s, 0) -------------------------------------------------------------------
def _relu(s, out=None):
    # max(s, 0) against a row of zeros rather than the number 0: NumPy's vectorised loop for
    # two arrays is several times faster than its loop for an array and a number.
    s = _real(s)
    return np.maximum(s, np.zeros(s.shape[-1:]), out=out)


def _relu_prime(s):
    # 1 where s > 0, 0 where s <= 0 (relu'(0) is taken to be 0, the course's convention), and
    # NaN where s is NaN: the sign of relu(s)
    return np.sign(np.maximum(_real(s), 0.0))


def _relu_prime_from_output(x, out=None):
    # x = relu(s) > 0 exactly where s > 0, so relu'(s) is relu'(x)
    if out is None:
        return _relu_prime(_real(x, "x"))
    return np.greater(x, 0.0, out=out)  # the training path's buffer: 1.0 where x > 0, else 0.0


# ----- tanh, tanh'(s) = 1 - tanh(s)^2 --------------------------------------------------------
def _tanh(s, out=None):
    return np.tanh(_real(s), out=out)


def _tanh_prime(s):
    t = np.tanh(_real(s))
    return 1.0 - t * t


def _tanh_prime_from_output(x, out=None):
    x = _real(x, "x")
    t = np.multiply(x, x, out=out)  # 1 - x^2 with x = tanh(s), in one array
    return np.subtract(1.0, t, out=t)


# ----- sigmoid(s) = 1 / (1 + exp(-s)), sigmoid' = sigmoid (1 - sigmoid) ----------------------
def _sigmoid(s, out=None):
    # 1 / (1 + exp(-s)), written so that exp never overflows: for s < 0 use exp(s) / (1 + exp(s)).
    s = _real(s)
    e = np.exp(-np.abs(s))
    return np.divide(np.where(s >= 0, 1.0, e), 1.0 + e, out=out)


def _sigmoid_prime(s):
    p = _sigmoid(s)
    return p * (1.0 - p)


def _sigmoid_prime_from_output(x, out=None):
    x = _real(x, "x")
    t = np.subtract(1.0, x, out=out)  # x (1 - x) with x = sigmoid(s)
    return np.multiply(t, x, out=t)


# ----- identity(s) = s, identity' = 1 --------------------------------------------------------
def _identity(s, out=None):
    s = _real(s)
    if out is None or out is s:
        return s
    np.copyto(out, s)
    return out


def _identity_prime(s):
    s = _real(s)
    return np.where(np.isnan(s), s, 1.0)  # 1 everywhere, NaN where s is NaN


def _ones(x, out=None):
    if out is None:
        return _identity_prime(_real(x, "x"))
    out.fill(1.0)
    return out


relu = Activation("relu", _relu, _relu_prime, _relu_prime_from_output)
tanh = Activation("tanh", _tanh, _tanh_prime, _tanh_prime_from_output)
sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime, _sigmoid_prime_from_output)
identity = Activation("identity", _identity, _identity_prime, _ones)

ACTIVATIONS = {a.name: a for a in (relu, tanh, sigmoid, identity)}


def is_builtin(sigma):
    """True for the package's own activations (relu, tanh, sigmoid, identity)."""
    return ACTIVATIONS.get(sigma.name) is sigma


def checked_output(sigma, which, s, value):
    """`value`, computed by ``sigma.f`` or ``sigma.df`` (`which`) from `s`, checked to have the
    shape of s: an activation defined outside the package could return anything, and NumPy
    would broadcast a wrong shape into wrong numbers without a word."""
    if np.shape(value) != np.shape(s):
        raise ValueError(
            f"the activation {sigma.name!r}: sigma.{which}(s) must return an array of the shape "
            f"of s, {np.shape(s)}, got {describe(value)}"
        )
    return value


def get_activation(name, argument="activation"):
    """Return the activation called `name` ("relu", "tanh", "sigmoid" or "identity").

    An `Activation` object is returned unchanged, so functions can take either. `argument` is
    the name of the caller's argument, for the error message.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        error = ValueError if isinstance(name, str) else TypeError
        raise error(f"{argument} must be one of {known} or an Activation, got {name!r}")
    return ACTIVATIONS[name]
