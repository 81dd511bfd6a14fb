"""Argument checks shared by the public functions.

Every public function of the package checks what it is given at the boundary, so that a
student meets a sentence naming the argument ("X has 3 features but the network's first
layer expects 2") instead of a NumPy broadcasting traceback or a silent NaN.
"""

import math
from numbers import Real

import numpy as np


def as_array(value, name, ndim=None, allow_nonfinite=False):
    """Return `value` as a float64 array, checking its dimensions and that it is finite.

    Parameters
    ----------
    value : array_like
    name : str
        The argument's name, used in the error message.
    ndim : int or tuple of int, optional
        The allowed numbers of dimensions.
    allow_nonfinite : bool
        Accept NaN and inf (default: refuse them).

    A float64 array is returned as it is (no copy), so the check costs little on a training
    step's batch.
    """
    if type(value) is np.ndarray and value.dtype == np.float64:
        array = value  # already what we want: skip the conversion
    else:
        array = _to_float64(value, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {wanted}, got an array of shape {array.shape}")
    if not allow_nonfinite and not all_finite(array):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); expected finite numbers")
    return array


def _to_float64(value, name):
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of numbers, got {type(value).__name__} "
            f"that cannot be converted to float64"
        ) from None


def all_finite(array):
    """True if every entry of the float64 `array` is finite (no NaN, no inf).

    A finite sum of squares means every entry is finite (a NaN or an inf would make it NaN or
    inf), and ``np.vdot`` computes it without a temporary array, faster than
    ``np.all(np.isfinite(array))``. Only when it is not finite (a NaN, an inf, or entries so
    large that their squares overflow) is every entry looked at.
    """
    return math.isfinite(np.vdot(array, array)) or bool(np.isfinite(array).all())


def positive_number(value, name):
    """Return `value` as a float, checking it is a positive finite number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def positive_int(value, name, minimum=1):
    """Return `value` as an int, checking it is an integer of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def choice(value, name, options):
    """Return `value`, checking it is one of `options` (strings)."""
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value
