"""Reading what a student's function returned: plain values, named non-results, comparison.

Every output is first turned into a *plain* value (`plain`): numbers, NumPy arrays of numbers,
and lists and tuples of them, copied; anything else becomes an `Opaque` that only says what it
was ("a generator", "a sympy expression", "an object of type Foo"). The check judges plain
values only, so an object that pretends to be a number (a custom ``__abs__``, ``__eq__`` or
``__array__``) judges nothing, and the grader can judge the same values outside the process
that ran the student's code.

Comparison is entry by entry: entry i agrees when |got_i - want_i| <= tol (|want_i| + floor),
floor = floor_rel * max|want| over that value, so a small entry is judged against its own size.
"""

from __future__ import annotations

import types

import numpy as np

MAX_DEPTH = 6  # nesting deeper than this is not an answer to any exercise
MAX_ITEMS = 100_000  # nor is a list this long


class Opaque:
    """What a value was, when it is not a number, an array of numbers or a list of them."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self):
        return f"Opaque({self.kind!r})"

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.kind == self.kind

    __hash__ = None


def kind_of(value) -> str | None:
    """A student-facing name for a value that is not a number or an array, or None."""
    if isinstance(value, Opaque):
        return value.kind
    if value is None:
        return "None"
    if isinstance(value, types.GeneratorType):
        return "a generator"
    for kind in (map, filter, zip, range):
        if isinstance(value, kind):
            return f"a {kind.__name__} object"
    if isinstance(value, (str, bytes)):
        return f"a string ({value[:30]!r})"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if (type(value).__module__ or "").startswith("sympy"):
        return "a sympy expression"
    if isinstance(value, types.ModuleType):
        return "a module"
    if callable(value) and not isinstance(value, np.ndarray):
        return "a function"
    return None


def plain(value, depth: int = 0):
    """`value` as plain data: None, bool, int, float, complex, str, a NumPy array of numbers
    (a copy, never a subclass), lists and tuples of those; anything else an `Opaque`."""
    if value is None or type(value) in (bool, int, float, complex):
        return value
    if type(value) is str:
        return value[:200]
    if isinstance(value, np.generic):
        array = np.array(value)
        return array if array.dtype.kind in "biufc" else Opaque(f"a NumPy {array.dtype} value")
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            return Opaque(f"an array of {value.dtype} entries")
        return np.array(value, copy=True, subok=False)
    if isinstance(value, (list, tuple)):  # a named tuple too, read by the base type's own loop
        base = list if isinstance(value, list) else tuple
        if depth >= MAX_DEPTH or base.__len__(value) > MAX_ITEMS:
            return Opaque(f"a {base.__name__} nested too deeply or too long to be a result")
        return base(plain(item, depth + 1) for item in base.__iter__(value))
    kind = kind_of(value)
    return Opaque(kind or f"an object of type {type(value).__name__}")


# ----- naming what is not a result -----------------------------------------------------------
class NotAResult(Exception):
    """The student's output cannot be compared: the message says why, in the student's terms;
    `key` is the diagnosis it gives ("not_a_result", or a reading's own, e.g. "unit_count")."""

    def __init__(self, message, key="not_a_result"):
        super().__init__(message)
        self.key = key


class FloatForInt(NotAResult):
    """Floats where integers are asked: known mistakes are tried on them before this is said."""


class ManyForOne(NotAResult):
    """Several numbers where one is asked: known mistakes are tried before this is said."""


def not_a_result(value, label: str) -> str | None:
    """Why `value` (plain) is not a result, in the student's terms, or None when it may be."""
    kind = kind_of(value)
    if kind is None:
        return None
    if kind == "None":
        return f"{label} is None: did you forget a `return`?"
    if kind in ("a generator", "a map object", "a filter object", "a zip object"):
        return (
            f"{label} is {kind}, which yields its values only once: build a list or an "
            "array from it (list(...) or np.array(...)) before returning"
        )
    if kind == "a range object":
        return f"{label} is a range: turn it into a list or an array first"
    if kind == "a sympy expression":
        return (
            f"{label} is a sympy expression where a number is asked: evaluate it with "
            "float(...) or write the computation with NumPy"
        )
    if kind == "a function":
        return f"{label} is a function: call it and return its result"
    return f"{label} is {kind}, where a number or an array is asked"


def is_sequence(value) -> bool:
    return isinstance(value, (tuple, list))


def is_container(value, names=None, depth: int = 0) -> bool:
    """True when `value` is a sequence of separate values (not one array written as a list)."""
    if not is_sequence(value):
        return False
    if names is not None and depth == 0 and len(names) > 1 and len(names) == len(value):
        return True
    return any(is_sequence(v) or isinstance(v, np.ndarray) for v in value)


def leaf_array(value, want, label, integer=False, lists=True, relaxed=False):
    """The student's leaf value as an array comparable with `want`, or raise NotAResult."""
    problem = not_a_result(value, label)
    if problem:
        raise NotAResult(problem)
    if isinstance(value, tuple) and any(isinstance(v, (np.ndarray, list, tuple)) for v in value):
        raise NotAResult(
            f"{label} is a tuple of {len(value)} values where one array is asked: return only "
            "what the prompt asks for"
        )
    if is_sequence(value):
        if not lists and np.ndim(want) > 0:
            raise NotAResult(
                f"{label} is a {type(value).__name__}; this exercise asks for a NumPy array "
                "(np.array(...) turns a list into one)"
            )
        for item in value:
            problem = not_a_result(item, f"an entry of {label}")
            if problem:
                raise NotAResult(problem)
    try:
        got = np.asarray(value)
    except (TypeError, ValueError):  # ragged lists and the like
        shapes = sorted({str(np.shape(v)) for v in value}) if is_sequence(value) else []
        detail = f": its entries have different shapes, {', '.join(shapes)}" if shapes else ""
        raise NotAResult(f"{label} cannot be read as one array of numbers{detail}") from None
    if got.dtype.kind == "c":
        raise NotAResult(f"{label} holds complex numbers where real ones are asked")
    if got.dtype == object or got.dtype.kind not in "biuf":
        raise NotAResult(f"{label} cannot be read as numbers (it holds {got.dtype} entries)")
    if integer and got.dtype.kind == "f" and got.size and not relaxed:  # [] reads as floats
        if got.ndim == 0:
            what = "is a float where a whole number (an int) is asked"
        else:
            what = "holds floats where whole numbers (ints) are asked"
        raise FloatForInt(
            f"{label} {what}: later cells use it to count or to index, so return ints (a "
            "Python int, or an array of an integer dtype)"
        )
    if np.shape(want) == () and got.shape == (1,) and not relaxed:
        what = "a list" if isinstance(value, list) else "an array"
        raise ManyForOne(f"{label} is {what} of one entry where a single number is asked")
    if np.shape(want) == () and got.ndim == 1 and not relaxed:
        raise ManyForOne(
            f"{label} holds {got.size} values where a single number is asked: return only "
            "the number the prompt asks for"
        )
    return got


def flatten(value, want, label, names, integer=False, lists=True, depth=0, relaxed=False):
    """Pair the student's output with the reference's: a list of (label, got, want) leaves.

    ``relaxed`` reads floats for ints, a one-entry array for a number, and a None inside a
    list as zeros of the expected shape, so that known mistakes can still be tried on them.
    """
    if is_container(want, names, depth):
        problem = not_a_result(value, label)
        if problem:
            raise NotAResult(problem)
        if isinstance(value, np.ndarray) and depth > 0:
            value = list(value)
        if not is_sequence(value):
            what = (
                f"{len(want)} values ({', '.join(names)})"
                if names and depth == 0
                else f"a list of {len(want)}"
            )
            raise NotAResult(f"{label} is one {type(value).__name__}; expected {what}")
        if depth == 0 and names and len(value) == len(want):
            empty = [n for n, v in zip(names, value) if v is None]
            if empty:
                raise NotAResult(
                    f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} None: a list "
                    "method such as .reverse(), .sort() or .append() changes the list itself "
                    "and returns None, so return the list, not what the method gave back"
                    if all(is_sequence(w) for w in want)
                    else f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} None: did "
                    "you forget to compute or to return it?"
                )
        nested = [is_sequence(w) for w in want]
        if depth == 0 and names and any(nested) and not any(is_sequence(v) for v in value):
            kinds = " and ".join(
                f"{n} (a list)" if is_list else n for n, is_list in zip(names, nested)
            )
            raise NotAResult(
                f"{label} is one list of {len(value)} arrays; expected {len(want)} values, {kinds}"
            )
        if len(value) != len(want):
            what = f" ({', '.join(names)})" if names and depth == 0 else ""
            raise NotAResult(f"{label} holds {len(value)} value(s), expected {len(want)}{what}")
        leaves = []
        for i, (v, w) in enumerate(zip(value, want)):
            sub = names[i] if names and depth == 0 else f"{label}[{i}]"
            if relaxed and v is None and depth > 0:
                v = np.zeros(np.shape(w))
            leaves += flatten(v, w, sub, None, integer, lists, depth + 1, relaxed)
        return leaves
    got = leaf_array(value, want, label, integer, lists, relaxed)
    return [(label, got, np.asarray(want))]


def leaves_of(value, names=None, depth=0):
    """Flatten a nested (plain) output into a list of float arrays, one per returned value."""
    if is_container(value, names, depth):
        return [a for item in value for a in leaves_of(item, None, depth + 1)]
    return [np.asarray(value, dtype=np.float64)]


def transform(value, leaf_function, names=None, depth=0):
    """Apply `leaf_function` to every leaf of a nested output, keeping the nesting."""
    if is_container(value, names, depth):
        return type(value)(transform(v, leaf_function, None, depth + 1) for v in value)
    return leaf_function(np.asarray(value, dtype=np.float64))


def entry_errors(got, want, floor_rel):
    """Entry-wise relative errors |got - want| / (|want| + floor_rel * max|want|).

    Entries that are both NaN, or both the same infinity, count as equal (error 0), so that a
    known mistake that overflows can be recognised; a NaN against a number is an infinite error.
    """
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    finite = np.isfinite(want)
    scale = np.max(np.abs(want[finite])) if np.any(finite) else 0.0
    floor = floor_rel * scale + 1e-300
    with np.errstate(all="ignore"):
        errors = np.abs(got - want) / (np.abs(want) + floor)
    same = (np.isnan(got) & np.isnan(want)) | (np.isinf(got) & (got == want))
    errors = np.where(same, 0.0, errors)
    return np.where(np.isnan(errors), np.inf, errors)


def leaves_agree(got, want, tol, floor_rel) -> bool:
    """True when two lists of leaves have the same shapes and agree entry by entry."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if np.shape(g) != np.shape(w):
            return False
        if np.size(g) and np.max(entry_errors(g, w, floor_rel)) > tol:
            return False
    return True


def same_value(a, b) -> bool:
    """True when two plain values hold the same data (used to see an argument changed)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if is_sequence(a) and is_sequence(b):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b
