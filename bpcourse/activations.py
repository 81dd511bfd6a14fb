"""Activation functions sigma and their derivatives sigma'.

Each activation is an object with ``.f(s)``, the function applied element-wise to the
pre-activations ``s``, and ``.df(s)``, its derivative sigma'(s), also element-wise. Both take
and return arrays of any shape.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Activation:
    """An element-wise activation: ``f(s)`` is sigma(s), ``df(s)`` is sigma'(s).

    ``df_from_output(x)``, when given, is the same sigma'(s) written with the output
    x = sigma(s) (for tanh, 1 - x^2): the backward pass uses it to avoid computing sigma(s)
    a second time.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    df_from_output: Callable[[np.ndarray], np.ndarray] | None = None

    def __repr__(self):
        return f"Activation({self.name!r})"


def _relu(s):
    return np.maximum(s, 0.0)


def _relu_prime(s):
    # relu'(0) is taken to be 0 (the course's convention).
    return (np.asarray(s) > 0).astype(np.float64)


def _tanh_prime(s):
    t = np.tanh(s)
    return 1.0 - t * t


def _sigmoid(s):
    # 1 / (1 + exp(-s)), written so that exp never overflows: for s < 0 use exp(s) / (1 + exp(s)).
    s = np.asarray(s, dtype=np.float64)
    e = np.exp(-np.abs(s))
    return np.where(s >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(s):
    p = _sigmoid(s)
    return p * (1.0 - p)


# relu'(s) from x = relu(s): the mask x > 0 (True counts as 1 in products), no float copy.
relu = Activation("relu", _relu, _relu_prime, df_from_output=lambda x: x > 0)


def _tanh_prime_from_output(x):
    # 1 - x^2 with x = tanh(s), computed in one new array
    t = x * x
    return np.subtract(1.0, t, out=t)


tanh = Activation("tanh", np.tanh, _tanh_prime, df_from_output=_tanh_prime_from_output)
sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime, df_from_output=lambda x: x * (1.0 - x))
identity = Activation(
    "identity",
    lambda s: np.asarray(s, dtype=np.float64),
    lambda s: np.ones_like(s, dtype=np.float64),
)

ACTIVATIONS = {a.name: a for a in (relu, tanh, sigmoid, identity)}


def get_activation(name):
    """Return the activation called `name` ("relu", "tanh", "sigmoid" or "identity").

    An `Activation` object is returned unchanged, so functions can take either.
    """
    if isinstance(name, Activation):
        return name
    if name not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"activation must be one of {known}, got {name!r}")
    return ACTIVATIONS[name]
