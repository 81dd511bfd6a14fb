"""Argument checks shared by the public functions.

Every public function of the package checks what it is given at the boundary, so that a
student meets a sentence naming the argument ("X has 3 features but the network's first
layer expects 2") instead of a NumPy broadcasting traceback or a silent NaN. Each message
names the argument as the caller passed it, says what was expected and what came.

The rules, the same in every module:

- Numbers are real: a str, None, a complex number, a dict, a set or a date is refused, never
  converted or cut to its real part. Integers, bools in an array, float32 and other real
  dtypes are converted to float64 (a bool array is 0 and 1); results are float64.
- A bool where one number is expected (``lr=True``, ``Value(True)``) is refused: it is a
  mistake far more often than the number 1. So is a float where an integer is expected
  (``epochs=10.0``); NumPy integers, 0-d arrays, Fractions and sympy numbers are numbers.
- An array the function changes in place (the point of ``numerical_gradient``, a network's
  parameters in a training step) must be a writeable float64 array, or it is refused before
  anything changes.
- NaN and inf are refused in data and hyper-parameters. Element-wise functions (the
  activations and their derivatives, ``log_sigmoid``, a layer's equations) propagate them
  entry by entry, as NumPy's ufuncs do, without a warning.
- A loss or a sum over samples of no sample is refused; a map of no sample is empty.
- A loss too large for float64 is inf, without a warning (training reads it as divergence,
  which is a result: ``diverged_at``, a step that returns inf), and so are gradients and
  bounds that large, as IEEE arithmetic makes them. Where an overflow inside a computation
  would make the answer NaN or meaningless (a network's outputs, scores X w + b, a batch
  gradient, a sum of ReLUs, a Value), the function refuses, naming the inputs too large.
- Sizes whose arrays cannot fit in the machine's memory are refused by name (so are step and
  epoch counts whose histories cannot).
- A function passed as an argument (a gradient, a loss, psi, an activation, a callback) gets
  its return value checked like an argument, and is given copies of what it must not change.
  Where a run starts (w0, the loss before training) a NaN or inf it returns is refused; later
  it is divergence. An activation of the user's that gives NaN or inf for finite
  pre-activations is refused by name, never taken for an overflow.
"""

import math
import operator
import os
import reprlib
from collections.abc import Iterator, Mapping, Set

import numpy as np

_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist = 40, 40, 4


def describe(value):
    """A short description of `value` for an error message ("None", "'abc'", "list [1, 2]",
    "a complex128 array of shape (2,)")."""
    if value is None or isinstance(value, (str, bytes, bool, int, float, complex, np.generic)):
        return _REPR.repr(value)
    if isinstance(value, np.ndarray):
        article = "an" if str(value.dtype)[0] in "aeiou" else "a"
        if value.ndim == 0:
            return f"{article} 0-d {value.dtype} array {_REPR.repr(value[()])}"
        return f"{article} {value.dtype} array of shape {value.shape}"
    kind = type(value).__name__
    if isinstance(value, (list, tuple, dict, set, frozenset, range)):
        return f"{kind} {_REPR.repr(value)}"
    text = repr(value)
    if " at 0x" in text or len(text) > 60:  # a function, a generator, a large object
        return f"a {kind}" + (f" {value.__name__}" if hasattr(value, "__name__") else "")
    return text if text.startswith(kind) else f"{kind} {text}"


def _free_symbols_hint(value):
    symbols = getattr(value, "free_symbols", None)
    if symbols:
        names = ", ".join(sorted(str(s) for s in symbols))
        return f" (a sympy expression in {names}: substitute numbers for them first)"
    return ""


# ----- arrays --------------------------------------------------------------------------------
class NotFinite(ValueError):
    """A NaN or an infinity where finite numbers are expected (a ValueError)."""


def as_array(value, name, ndim=None, allow_nonfinite=False):
    """Return `value` as a float64 array, checking its dimensions and that it is finite.

    Parameters
    ----------
    value : array_like of real numbers (a number, a list, an array of any real dtype)
    name : str
        The argument's name, used in the error message.
    ndim : int or tuple of int, optional
        The allowed numbers of dimensions.
    allow_nonfinite : bool
        Accept NaN and inf (default: refuse them).

    A float64 array is returned as it is (no copy), so the check costs little on a training
    step's batch. Anything else is converted (a copy), or refused with a TypeError naming
    `name`: strings, None, complex numbers, sets and dicts, dates, a bool where one number is
    expected, ragged lists.
    """
    if type(value) is np.ndarray and value.dtype == np.float64:
        array = value  # already what we want: skip the conversion
    else:
        array = _to_float64(value, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            got = (
                f"the number {array.item()!r}"
                if array.ndim == 0 and np.ndim(value) == 0
                else f"an array of shape {array.shape}"
            )
            raise ValueError(f"{name} must be {wanted}, got {got}")
    if not allow_nonfinite and not all_finite(array):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise NotFinite(f"{name} contains {bad} NaN or infinite value(s); expected finite numbers")
    return array


def _to_float64(value, name):
    """`value` converted to a float64 array, or a TypeError saying why it cannot be."""
    expected = f"{name} must be an array of numbers"
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{expected}, got {describe(value)}")
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype == bool
    ):
        raise TypeError(f"{expected}, got the bool {bool(value)} where a number is expected")
    if isinstance(value, (Mapping, Set, Iterator)):
        why = ": a set has no order" if isinstance(value, Set) else ""
        raise TypeError(f"{expected} (a list or an array), got {describe(value)}{why}")
    if isinstance(value, np.ndarray) and np.any(getattr(value, "mask", False)):
        raise TypeError(
            f"{expected}, got a masked array with masked entries: fill them first (.filled())"
        )
    try:
        raw = np.asarray(value)
    except ValueError:  # NumPy cannot make one array of it: rows of different lengths
        raise ValueError(
            f"{expected} with rows of equal length, got a ragged {type(value).__name__}"
        ) from None
    kind = raw.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must be real numbers, got complex numbers ({describe(value)}); take the "
            "real part (.real) yourself if the imaginary parts are zero"
        )
    if kind == "O":
        _check_objects(raw, expected)
    elif kind not in "biuf":
        raise TypeError(f"{expected}, got {describe(raw)}")
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            array = raw.astype(np.float64)
        except OverflowError:
            array = None
        except (TypeError, ValueError):
            raise TypeError(
                f"{expected}, got {describe(value)}{_free_symbols_hint(value)}"
            ) from None
    if array is None or (kind in "Of" and _overflowed(raw, array)):
        raise ValueError(f"{name} has an entry too large for float64 (above 1.8e308)")
    return array


def _check_objects(raw, expected):
    """Refuse an object array holding something that is not a real number (None, a str, ...)."""
    for index in np.ndindex(raw.shape):
        entry = raw[index]
        if entry is None or isinstance(entry, (str, bytes, complex, np.complexfloating)):
            where = f" at index {index if len(index) != 1 else index[0]}" if raw.ndim else ""
            raise TypeError(f"{expected}, got {describe(entry)}{where}")
        try:
            float(entry)
        except OverflowError:
            return  # an int too large for float64: said below
        except (TypeError, ValueError):
            where = f" at index {index if len(index) != 1 else index[0]}" if raw.ndim else ""
            raise TypeError(
                f"{expected}, got {describe(entry)}{where}{_free_symbols_hint(entry)}"
            ) from None


def _overflowed(raw, array):
    """True if a finite entry of `raw` became infinite in float64."""
    if all_finite(array):
        return False
    with np.errstate(invalid="ignore"):
        try:
            source_finite = np.isfinite(raw.astype(np.longdouble))
        except (TypeError, ValueError, OverflowError):
            return True
    return bool(np.any(source_finite & ~np.isfinite(array)))


def all_finite(array):
    """True if every entry of the float64 `array` is finite (no NaN, no inf).

    A finite sum of squares means every entry is finite (a NaN or an inf would make it NaN or
    inf), and ``np.vdot`` computes it without a temporary array, faster than
    ``np.all(np.isfinite(array))``. Only when it is not finite (a NaN, an inf, or entries so
    large that their squares overflow) is every entry looked at.
    """
    return math.isfinite(np.vdot(array, array)) or bool(np.isfinite(array).all())


# ----- numbers -------------------------------------------------------------------------------
def real_number(value, name, expected="a number", allow_nonfinite=False):
    """Return `value` as a float, checking it is one real number, finite unless allowed.

    Accepted: int, float, NumPy's real scalars, a 0-d real array, and numbers such as
    ``Fraction``, ``Decimal`` or a sympy number. Refused: a bool, None, a str, a complex
    number, an array with entries, a sympy expression with symbols.
    """
    if value is None or isinstance(value, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be {expected}, got {describe(value)}")
        value = value[()]
    if isinstance(value, (complex, np.complexfloating)):
        raise TypeError(
            f"{name} must be {expected} (real), got the complex number {describe(value)}; take "
            "the real part (.real) yourself if the imaginary part is zero"
        )
    try:
        number = float(value)
    except OverflowError:  # an int or a Fraction beyond float64: inf, where inf is allowed
        if not allow_nonfinite:
            raise ValueError(f"{name} is too large for float64 (above 1.8e308)") from None
        number = math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be {expected}, got {describe(value)}{_free_symbols_hint(value)}"
        ) from None
    if not allow_nonfinite and not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number!r}")
    return number


def positive_number(value, name):
    """Return `value` as a float, checking it is a positive finite number."""
    if type(value) is float and 0 < value < math.inf:  # the common case, at every step
        return value
    number = real_number(value, name, "a positive number", allow_nonfinite=True)
    if not math.isfinite(number) or number <= 0:
        beyond = math.isinf(number) and not isinstance(value, (float, np.floating))
        got = f"{describe(value)}, beyond float64" if beyond else repr(number)
        raise ValueError(f"{name} must be a positive finite number, got {got}")
    return number


def nonnegative_number(value, name, what="a number"):
    """Return `value` as a float, checking it is a finite number >= 0."""
    value = real_number(value, name, f"{what} >= 0")
    if value < 0:
        raise ValueError(f"{name} must be {what} >= 0, got {value!r}")
    return value


def positive_int(value, name, minimum=1):
    """Return `value` as an int, checking it is an integer of at least `minimum`.

    Python ints, NumPy integers, 0-d integer arrays and sympy integers are integers; a bool
    and a float (even 3.0) are not.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        hint = ""
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            hint = f" (a float: write {int(value)})"
        raise TypeError(f"{name} must be an integer, got {describe(value)}{hint}") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}")
    return number


def choice(value, name, options):
    """Return `value`, checking it is one of `options` (strings): a TypeError for what is not a
    str, a ValueError for another str."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        error = ValueError if isinstance(value, str) else TypeError
        raise error(f"{name} must be one of {listed}, got {value!r}")
    return options[options.index(value)]


# ----- functions passed as arguments ---------------------------------------------------------
def function(value, name, takes):
    """Return `value`, checking it is callable; `takes` says what it takes and returns."""
    if not callable(value):
        raise TypeError(f"{name} must be a callable {takes}, got {describe(value)}")
    return value


def returned_number(value, name, allow_nonfinite=False):
    """The number a function returned, as a float: `name` is the call, e.g. "f(w)".

    A number, a NumPy scalar or an array holding exactly one number is accepted; None (a
    function without ``return``), an array of several numbers, a str or a complex number is
    refused with a TypeError naming the call.
    """
    if value is None:
        raise TypeError(f"{name} must return a number, got None (is a return statement missing?)")
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(())
    try:
        return real_number(value, f"{name}'s value", allow_nonfinite=allow_nonfinite)
    except TypeError:
        raise TypeError(f"{name} must return a number, got {describe(value)}") from None


# ----- sizes ---------------------------------------------------------------------------------
def layer_sizes(sizes, name="sizes"):
    """`sizes` [D0, D1, ..., DL] as a list of ints >= 1, at least two of them.

    A list, a tuple, a range or a 1-D integer array is taken; a set (no order), a dict, a
    str or a generator is refused.
    """
    ordered = isinstance(sizes, (list, tuple, range)) or (
        isinstance(sizes, np.ndarray) and sizes.ndim == 1
    )
    if not ordered:
        why = ": a set has no order" if isinstance(sizes, Set) else ""
        raise TypeError(
            f"{name} must be a list of layer sizes like [2, 16, 1], got {describe(sizes)}{why}"
        )
    sizes = [positive_int(d, f"{name}[{i}]") for i, d in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"{name} must hold at least an input and an output size, got {sizes}")
    return sizes


def physical_memory():
    """The machine's memory in bytes, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def fits_in_memory(count, name, value):
    """Check that `count` float64 numbers fit in memory; else a ValueError naming `name`.

    `value` is the argument as given, for the message.
    """
    memory = physical_memory()
    if memory is not None and 8 * count > memory:
        raise ValueError(
            f"{name}={value!r} needs {count:.3g} float64 numbers ({8 * count / 2**30:.3g} GiB), "
            f"more than this machine's memory ({memory / 2**30:.3g} GiB)"
        )
