"""Activation functions sigma and their derivatives sigma'.

Each activation is an object with ``.f(s)``, the function applied element-wise to the
pre-activations ``s``, and ``.df(s)``, its derivative sigma'(s), also element-wise. Both take
and return arrays of any shape.

The training path (`bpcourse.training`) also uses ``.df_from_output(x)``: the same sigma'(s)
written with the output x = sigma(s), and the ``out=`` argument of ``f`` and
``df_from_output``, which writes the result into an existing array instead of a new one.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


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

    def __repr__(self):
        return f"Activation({self.name!r})"


# ----- relu(s) = max(s, 0) -------------------------------------------------------------------
def _relu(s, out=None):
    # max(s, 0) against a row of zeros rather than the number 0: NumPy's vectorised loop for
    # two arrays is several times faster than its loop for an array and a number.
    return np.maximum(s, np.zeros(np.shape(s)[-1:]), out=out)


def _relu_prime(s):
    # relu'(0) is taken to be 0 (the course's convention).
    return (np.asarray(s) > 0).astype(np.float64)


def _relu_prime_from_output(x, out=None):
    # x = relu(s) > 0 exactly where s > 0: 1.0 there, 0.0 elsewhere
    if out is None:
        return (np.asarray(x) > 0).astype(np.float64)
    return np.greater(x, 0.0, out=out)


# ----- tanh, tanh'(s) = 1 - tanh(s)^2 --------------------------------------------------------
def _tanh_prime(s):
    t = np.tanh(s)
    return 1.0 - t * t


def _tanh_prime_from_output(x, out=None):
    t = np.multiply(x, x, out=out)  # 1 - x^2 with x = tanh(s), in one array
    return np.subtract(1.0, t, out=t)


# ----- sigmoid(s) = 1 / (1 + exp(-s)), sigmoid' = sigmoid (1 - sigmoid) ----------------------
def _sigmoid(s, out=None):
    # 1 / (1 + exp(-s)), written so that exp never overflows: for s < 0 use exp(s) / (1 + exp(s)).
    s = np.asarray(s, dtype=np.float64)
    e = np.exp(-np.abs(s))
    return np.divide(np.where(s >= 0, 1.0, e), 1.0 + e, out=out)


def _sigmoid_prime(s):
    p = _sigmoid(s)
    return p * (1.0 - p)


def _sigmoid_prime_from_output(x, out=None):
    t = np.subtract(1.0, x, out=out)  # x (1 - x) with x = sigmoid(s)
    return np.multiply(t, x, out=t)


# ----- identity(s) = s, identity' = 1 --------------------------------------------------------
def _identity(s, out=None):
    s = np.asarray(s, dtype=np.float64)
    if out is None or out is s:
        return s
    np.copyto(out, s)
    return out


def _identity_prime(s):
    return np.ones_like(s, dtype=np.float64)


def _ones(x, out=None):
    if out is None:
        return np.ones_like(x, dtype=np.float64)
    out.fill(1.0)
    return out


relu = Activation("relu", _relu, _relu_prime, _relu_prime_from_output)
tanh = Activation("tanh", np.tanh, _tanh_prime, _tanh_prime_from_output)
sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime, _sigmoid_prime_from_output)
identity = Activation("identity", _identity, _identity_prime, _ones)

ACTIVATIONS = {a.name: a for a in (relu, tanh, sigmoid, identity)}


def get_activation(name):
    """Return the activation called `name` ("relu", "tanh", "sigmoid" or "identity").

    An `Activation` object is returned unchanged, so functions can take either.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"activation must be one of {known}, got {name!r}")
    return ACTIVATIONS[name]
