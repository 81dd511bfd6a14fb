"""The machinery behind every `check_<name>` of the exercises.

A check runs the student's function and the course's reference (a `bpcourse` function) on the
same few seeded cases and says one of these, never the answer itself:

- ``todo``: the function still raises NotImplementedError ("not done yet");
- ``correct``: with the evidence (largest entry-wise relative error over the cases);
- ``mistake``: the output matches a known kind of mistake, which is named (a missing transpose,
  a normalisation that differs, outputs in the wrong order, an input changed in place, ...);
- ``wrong``: it differs in a way no detector recognises; the message says which value, which
  case and how many entries are off, and which values are already right;
- ``error``: the function raised, returned something that is not a result (None, a generator,
  a sympy expression, the wrong number of values, ...), or was not a function at all.

A check never raises and never changes anything outside itself: running it again on the same
code gives the same verdict. The student's function is never replaced under its own name;
a later cell that needs a working version asks the result for one::

    result = check_layer_backward(layer_backward)   # the check cell: shows the verdict
    layer_step = result.usable                       # yours once correct, else the reference
    layer_step                                       # says which one it is

Comparison is entry by entry: entry i agrees when |got_i - want_i| <= rtol (|want_i| + floor),
where floor = floor_rel * max|want| over that value, so that a small entry is judged against
its own size, not against the largest entry of the output.
"""

import copy
import html
import inspect
import itertools
import re
import types
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

TOLERANCE = 1e-9  # entry-wise relative error under which two float64 results agree
FLOOR_REL = 1e-6  # entries smaller than this fraction of a value's largest entry: absolute
MATCH = 1e-6  # a student's output "is" a known mistake when it agrees with it to this

SYMBOLS = {"todo": "…", "correct": "✔", "mistake": "✘", "wrong": "✘", "error": "✘"}
WORDS = {
    "todo": "not done yet",
    "correct": "correct",
    "mistake": "not yet",
    "wrong": "not yet",
    "error": "not yet",
}
COLOURS = {"todo": "#57606a", "correct": "#1a7f37", "mistake": "#b42318", "wrong": "#b42318"}
COLOURS["error"] = COLOURS["wrong"]


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation and what to tell a student whose output matches it.

    Parameters
    ----------
    key : str
        Short name of the mistake, e.g. ``"transpose"``, ``"missing_1_over_n"``, ``"sign"``,
        ``"forgot_sigma_prime"``, ``"overwrite_not_accumulate"``, ``"shapes_swapped"``.
    message : str
        The hint shown to the student: names the mistake, never gives the answer.
    function : callable
        Takes the same arguments as the exercise and returns what the mistake computes.
    """

    key: str
    message: str
    function: Callable


class Usable:
    """The function later cells should call: the student's once its check passes, else the
    reference. Calling it calls that function; its display says which one it is."""

    def __init__(self, result):
        self.result = result
        self.function = result.function
        self.is_yours = result.ok
        self.name = result.name

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __repr__(self):
        short = self.result.exercise.split(" (")[0]
        if self.is_yours:
            return f"using your {self.name} ({short} passed)"
        return f"using the reference {self.name} until {short} passes"

    __str__ = __repr__


@dataclass
class Result:
    """What a check found.

    Attributes
    ----------
    exercise : str, e.g. "Exercise 4.1 (backward pass of one layer)"
    status : "todo", "correct", "mistake", "wrong" or "error"; `ok` is status == "correct"
    message : str, what to tell the student
    diagnosis : str or None, the key of the mistake found ("sign", "scale", "raised", ...)
    evidence : dict, e.g. {"max_error": 2e-16, "cases": 4}
    function : the student's function once correct, the reference until then (never assign it
        to the student's own name: use `usable` in the cells that need a working version)
    reference, student : the two functions compared
    name : str, the name of the function the exercise asks for
    """

    exercise: str
    status: str
    message: str
    function: Callable = None
    diagnosis: str | None = None
    evidence: dict = field(default_factory=dict)
    reference: Callable = None
    student: Callable = None
    name: str = "function"

    def __post_init__(self):
        if self.function is None:  # the student's function once correct, the reference until then
            self.function = self.student if self.ok else self.reference

    @property
    def ok(self):
        return self.status == "correct"

    @property
    def usable(self):
        """A `Usable`: the function later cells should call, saying which one it is."""
        return Usable(self)

    def evidence_text(self):
        if self.ok and "max_error" in self.evidence:
            return (
                f"largest relative error {self.evidence['max_error']:.1e} over "
                f"{self.evidence.get('cases', '?')} cases"
            )
        return ""

    def __repr__(self):
        extra = self.evidence_text()
        extra = f" ({extra})" if extra else ""
        return f"{SYMBOLS[self.status]} {self.exercise}: {self.message}{extra}"

    __str__ = __repr__

    def _repr_html_(self):
        colour = COLOURS[self.status]
        word = WORDS[self.status]
        evidence = self.evidence_text()
        parts = [
            f'<div class="bpcourse-verdict bpcourse-verdict-{self.status}" role="status" '
            'style="font-family: var(--jp-ui-font-family, sans-serif); line-height: 1.45; '
            "white-space: normal; overflow-wrap: break-word; word-break: normal; "
            f'border-left: 4px solid {colour}; padding: 2px 0 2px 8px; margin: 2px 0">',
            f'<span style="color: {colour}; font-weight: bold">'
            f'<span aria-hidden="true">{SYMBOLS[self.status]}</span> {html.escape(word)}</span>'
            f" &middot; <b>{html.escape(self.exercise)}</b>",
        ]
        message = self.message.removeprefix("not yet: ")
        if message != word:
            parts.append(f'<div class="bpcourse-verdict-message">{html.escape(message)}</div>')
        if evidence:
            parts.append(
                f'<div class="bpcourse-verdict-evidence" style="font-size: 85%; '
                f'color: #57606a">{html.escape(evidence)}</div>'
            )
        parts.append("</div>")
        return "".join(parts)


# ----- reading what a function returned --------------------------------------------------------
class NotAResult(Exception):
    """The student's output cannot be compared: the message says why, in the student's terms."""


class FloatForInt(NotAResult):
    """Floats where integers are asked: known mistakes are tried on them before this is said."""


class ManyForOne(NotAResult):
    """Several numbers where one is asked: known mistakes (two terms returned apart, say) are
    tried on them before this is said."""


def _kind_of(value):
    """A student-facing name for a value that is not a number or an array."""
    if value is None:
        return "None"
    if isinstance(value, types.GeneratorType):
        return "a generator"
    if isinstance(value, map):
        return "a map object"
    if isinstance(value, filter):
        return "a filter object"
    if isinstance(value, zip):
        return "a zip object"
    if isinstance(value, (str, bytes)):
        return f"a string ({value[:30]!r})"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (set, frozenset)):
        return "a set"
    module = type(value).__module__ or ""
    if module.startswith("sympy"):
        return "a sympy expression"
    if callable(value):
        return "a function"
    if isinstance(value, types.ModuleType):
        return "a module"
    return None


def _not_a_result(value, label):
    kind = _kind_of(value)
    if kind is None:
        return None
    if kind == "None":
        return f"{label} is None: did you forget a `return`?"
    if kind in ("a generator", "a map object", "a filter object", "a zip object"):
        return (
            f"{label} is {kind}, which yields its values only once: build a list or an "
            "array from it (list(...) or np.array(...)) before returning"
        )
    if kind == "a sympy expression":
        return (
            f"{label} is a sympy expression where a number is asked: evaluate it with "
            "float(...) or write the computation with NumPy"
        )
    if kind == "a function":
        return f"{label} is a function: call it and return its result"
    return f"{label} is {kind}, where a number or an array is asked"


def _is_sequence(value):
    return isinstance(value, (tuple, list))


def _leaf_array(value, want, label, integer, allow_lists, relaxed=False):
    """The student's leaf value as an array comparable with `want`, or NotAResult."""
    problem = _not_a_result(value, label)
    if problem:
        raise NotAResult(problem)
    if isinstance(value, tuple) and any(isinstance(v, (np.ndarray, list, tuple)) for v in value):
        raise NotAResult(
            f"{label} is a tuple of {len(value)} values where one array is asked: return only "
            "what the prompt asks for"
        )
    if _is_sequence(value):
        if not allow_lists and np.ndim(want) > 0:
            raise NotAResult(
                f"{label} is a {type(value).__name__}; this exercise asks for a NumPy array "
                "(np.array(...) turns a list into one)"
            )
        for item in value:
            problem = _not_a_result(item, f"an entry of {label}")
            if problem:
                raise NotAResult(problem)
    try:
        got = np.asarray(value)
    except Exception:  # ragged lists and the like
        shapes = sorted({str(np.shape(v)) for v in value}) if _is_sequence(value) else []
        detail = f": its entries have different shapes, {', '.join(shapes)}" if shapes else ""
        raise NotAResult(f"{label} cannot be read as one array of numbers{detail}") from None
    if got.dtype == object or got.dtype.kind not in "biuf":
        raise NotAResult(f"{label} cannot be read as numbers (it holds {got.dtype} entries)")
    if integer and got.dtype.kind == "f" and not relaxed:
        if got.ndim == 0:
            what = f"is a float ({float(got):g}) where a whole number (an int) is asked"
        else:
            what = "holds floats where whole numbers (ints) are asked"
        raise FloatForInt(
            f"{label} {what}: later cells use it to count or to index, so return ints "
            "(int(...), math.ceil, .astype(int))"
        )
    if np.shape(want) == () and got.shape == (1,):
        raise NotAResult(f"{label} is an array of one entry where a single number is asked")
    if np.shape(want) == () and got.ndim == 1 and not relaxed:
        raise ManyForOne(
            f"{label} holds {got.size} values where a single number is asked: return only "
            "the number the prompt asks for"
        )
    return got


def _flatten(value, want, label, names, integer, allow_lists, depth=0, relaxed=False):
    """Pair the student's output with the reference's: a list of (label, got, want) leaves."""
    if _is_container(want, names, depth):
        problem = _not_a_result(value, label)
        if problem:
            raise NotAResult(problem)
        if isinstance(value, np.ndarray) and value.dtype != object and depth > 0:
            value = list(value)
        if not _is_sequence(value):
            what = (
                f"{len(want)} values ({', '.join(names)})"
                if names and depth == 0
                else f"a list of {len(want)}"
            )
            raise NotAResult(f"{label} is one {type(value).__name__}; expected {what}")
        nested = [_is_sequence(w) for w in want]
        if depth == 0 and names and any(nested) and not any(_is_sequence(v) for v in value):
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
            leaves += _flatten(v, w, sub, None, integer, allow_lists, depth + 1, relaxed)
        return leaves
    got = _leaf_array(value, want, label, integer, allow_lists, relaxed)
    return [(label, got, np.asarray(want))]


def entry_errors(got, want, floor_rel=FLOOR_REL):
    """Entry-wise relative errors |got - want| / (|want| + floor_rel * max|want|)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    floor = floor_rel * (np.max(np.abs(want)) if want.size else 0.0) + 1e-300
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(got - want) / (np.abs(want) + floor)


def _is_container(value, names=None, depth=0):
    """True when `value` is a sequence of separate values (not one array written as a list)."""
    if not _is_sequence(value):
        return False
    if names is not None and depth == 0 and len(names) > 1 and len(names) == len(value):
        return True
    return any(_is_sequence(v) or isinstance(v, np.ndarray) for v in value)


def _leaves_agree(leaves_got, leaves_want, tol, floor_rel):
    if len(leaves_got) != len(leaves_want):
        return False
    for g, w in zip(leaves_got, leaves_want):
        if np.shape(g) != np.shape(w):
            return False
        g = np.asarray(g, dtype=np.float64)
        if not np.all(np.isfinite(g)):
            return False
        if g.size and np.max(entry_errors(g, w, floor_rel)) > tol:
            return False
    return True


def _leaves(value, names=None, depth=0):
    """Flatten a nested output into a list of float arrays, one per returned value."""
    if _is_container(value, names, depth):
        return [a for item in value for a in _leaves(item, None, depth + 1)]
    return [np.asarray(value, dtype=np.float64)]


# kept for the topic modules that still use the older helpers
def _as_arrays(output):
    return _leaves(output)


def _compare(got, expected, tolerance=TOLERANCE):
    """(agrees, largest entry-wise error, note) for two outputs of any nesting."""
    try:
        g, e = _leaves(got), _leaves(expected)
    except Exception as exc:
        return False, np.inf, f"cannot be read as numbers ({exc})"
    if len(g) != len(e):
        return False, np.inf, f"returned {len(g)} value(s), expected {len(e)}"
    worst = 0.0
    for a, b in zip(g, e):
        if a.shape != b.shape:
            return False, np.inf, f"has shape {a.shape}, expected shape {b.shape}"
        if not np.all(np.isfinite(a)):
            return False, np.inf, "contains NaN or inf"
        if a.size:
            worst = max(worst, float(np.max(entry_errors(a, b))))
    return worst <= tolerance, worst, ""


def _call(function, args):
    """Call `function` on a deep copy of `args`, so that no call can change the cases."""
    return function(*copy.deepcopy(args))


def _same(a, b):
    """True when two arguments hold the same values (arrays, numbers, lists, objects)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if _is_sequence(a) and _is_sequence(b):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is type(b) and type(a).__eq__ is object.__eq__:  # no == of its own: compare
        if hasattr(a, "__dict__") and hasattr(b, "__dict__"):  # what it holds, not identity
            return vars(a).keys() == vars(b).keys() and all(
                _same(vars(a)[k], vars(b)[k]) for k in vars(a)
            )
        return True  # a function, or an object we cannot look into: not an input one changes
    try:
        return bool(a == b)
    except Exception:
        return True  # objects that cannot be compared are not inputs a student changes


def _argument_names(function, count):
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(count)]


# ----- detectors that apply to any exercise ----------------------------------------------------
def _transform(value, leaf_function, names=None, depth=0):
    if _is_container(value, names, depth):
        return type(value)(_transform(v, leaf_function, None, depth + 1) for v in value)
    return leaf_function(np.asarray(value, dtype=np.float64))


def _ratio(g, w):
    """c when g == c * w entry by entry (one constant c != 1), else None."""
    g, w = np.asarray(g, dtype=np.float64).ravel(), np.asarray(w, dtype=np.float64).ravel()
    if g.shape != w.shape or not np.all(np.isfinite(g)) or not np.any(w):
        return None
    c = float(g @ w / (w @ w))
    if abs(c) < 1e-12:
        return None
    return c if np.max(entry_errors(g, c * w)) <= MATCH else None


def _explain_factor(factors, sizes):
    """A product like 'N', '1/N', 'N·D_L' or '2' that equals every case's factor, or None."""
    if not sizes or len(sizes) != len(factors):
        constants = {1.0: "", 2.0: "2", 0.5: "1/2", 4.0: "4", 0.25: "1/4"}
        for c, text in constants.items():
            if text and all(abs(f / c - 1) < 1e-6 for f in factors):
                return text
        return None
    names = list(sizes[0])
    constants = [(1.0, ""), (2.0, "2"), (0.5, "1/2"), (4.0, "4"), (0.25, "1/4")]
    best = None
    for powers in itertools.product((0, 1, -1, 2, -2), repeat=len(names)):
        for c, c_text in constants:
            ok = all(
                abs(f / (c * np.prod([case[n] ** p for n, p in zip(names, powers)])) - 1) < 1e-6
                for f, case in zip(factors, sizes)
            )
            if ok:
                complexity = sum(abs(p) for p in powers) + (c != 1.0)
                if complexity == 0:
                    continue
                if best is None or complexity < best[0]:
                    best = (complexity, powers, c_text)
    if best is None:
        return None
    _, powers, c_text = best
    up = [c_text] if c_text else []
    down = []
    for n, p in zip(names, powers):
        if p > 0:
            up.append(n if p == 1 else f"{n}^{p}")
        elif p < 0:
            down.append(n if p == -1 else f"{n}^{-p}")
    text = "·".join(up) or "1"
    if down:
        text += "/" + ("·".join(down) if len(down) == 1 else "(" + "·".join(down) + ")")
    return text


def _generic(outputs, expected, cases, describe, names, sizes, floor_rel, legend=None):
    """Try the detectors that need no knowledge of the exercise; return (key, message) or None."""
    # outputs in the wrong order
    if _is_container(expected[0], names):
        n = len(expected[0])
        for perm in itertools.permutations(range(n)) if 1 < n <= 4 else ():
            if perm == tuple(range(n)):
                continue
            if all(
                _leaves_agree(
                    _leaves(type(e)(o[i] for i in perm), names),
                    _leaves(e, names),
                    MATCH,
                    floor_rel,
                )
                for o, e in zip(outputs, expected)
            ):
                order = ", ".join(names) if names else "the order the prompt gives"
                return (
                    "output_order",
                    f"the values are right but returned in another order: return them as ({order})",
                )
    transforms = [
        (
            "transpose",
            lambda a: a.T,
            "the values are right but transposed: check which dimension "
            "comes first (a Jacobian has one row per output; a gradient has the shape of "
            "its variable)",
        ),
        ("sign", lambda a: -a, "the values have the right magnitude but the opposite sign"),
    ]
    for key, leaf_function, message in transforms:
        wrong = [_transform(e, leaf_function, names) for e in expected]
        if all(  # a transform that changes nothing here (a 1-D transpose) says nothing
            _leaves_agree(_leaves(w, names), _leaves(e, names), MATCH, floor_rel)
            for w, e in zip(wrong, expected)
        ):
            continue
        if all(
            _leaves_agree(_leaves(o, names), _leaves(w, names), MATCH, floor_rel)
            for o, w in zip(outputs, wrong)
        ):
            return key, message.format(what="every value" if names else "your result")
    got_leaves = [_leaves(o, names) for o in outputs]
    want_leaves = [_leaves(e, names) for e in expected]
    # single precision (before the factors: float32 rounding looks like a factor near 1)
    close = all(_leaves_agree(g, w, 1e-6, floor_rel) for g, w in zip(got_leaves, want_leaves))
    if close:
        return (
            "precision",
            "your values agree with the right ones only to about 6 or 7 significant digits, "
            "the precision of float32: look for a conversion to np.float32 somewhere (or a "
            "computation in single precision)",
        )
    # per value (leaf): a sign, a transpose or a factor in one of them only
    labels = _leaf_labels(expected[0], names)
    if len({len(w) for w in want_leaves}) > 1:
        # cases of different depths: compare each returned value as a whole (all its layers)
        got_leaves = [_groups(o, names) for o in outputs]
        want_leaves = [_groups(e, names) for e in expected]
        labels = list(names) if _is_container(expected[0], names) and names else ["your result"]
    n_leaves = len(want_leaves[0])
    if all(len(g) == n_leaves for g in got_leaves) and len(labels) == n_leaves:
        for i in range(n_leaves):
            factors = [_ratio(g[i], w[i]) for g, w in zip(got_leaves, want_leaves)]
            if all(f is not None for f in factors) and any(abs(f - 1) > 1e-6 for f in factors):
                others_ok = all(
                    _leaves_agree(
                        [g[j] for j in range(n_leaves) if j != i],
                        [w[j] for j in range(n_leaves) if j != i],
                        TOLERANCE * 1e3,
                        floor_rel,
                    )
                    for g, w in zip(got_leaves, want_leaves)
                )
                what = labels[i] if n_leaves > 1 else "your result"
                scope = "" if others_ok or n_leaves == 1 else " (and not only there)"
                if all(abs(f + 1) < 1e-6 for f in factors):
                    return "sign", f"{what} has the right magnitude but the opposite sign{scope}"
                explained = _explain_factor(factors, sizes)
                if explained is not None:
                    legend = _size_legend(sizes, legend, explained)
                    return (
                        "scale",
                        f"{what} is {explained} times the right value{scope}{legend}: look "
                        "for a normalisation (a 1/N, a mean or a sum, a 2, a 1/2) that differs "
                        "from the one the prompt asks for",
                        {"factors": factors, "factor": factors[0]},
                    )
                if len({round(f, 6) for f in factors}) == 1 and len(factors) > 1:
                    return (
                        "scale",
                        f"{what} is {factors[0]:.4g} times the right value{scope}: look for a "
                        "missing or extra constant",
                        {"factor": factors[0]},
                    )
                if all(np.size(w[i]) < 2 for w in want_leaves):
                    continue  # any number is a multiple of another: that says nothing
                hint = (
                    "a normalisation (a 1/N, a mean or a sum, a count) that differs from the "
                    "one the prompt asks for"
                    if sizes
                    else "a factor applied too often, too rarely or in the wrong place"
                )
                return (
                    "scale",
                    f"{what} is a multiple of the right value, by a factor that changes from "
                    f"case to case: look for {hint}",
                )
    return None


def _groups(value, names):
    """One flat array per returned value (all its layers together), for cases of any depth."""
    if _is_container(value, names):
        return [np.concatenate([a.ravel() for a in _leaves(v, None, 1)]) for v in value]
    return [np.concatenate([a.ravel() for a in _leaves(value, names)])]


def _size_legend(sizes, legends=None, used=None):
    """ " (with N the number of samples, ...)" for the sizes that appear in `used`."""
    legends = legends or {
        "N": "N the number of samples",
        "D": "D the input size",
        "D_L": "D_L the output size",
        "K": "K the number of classes",
        "B": "B the batch size",
        "n": "n the number of points",
    }
    if not sizes:
        return ""
    names = [n for n in sizes[0] if used is None or n in re.findall(r"[A-Za-z_]\w*", used)]
    known = [legends.get(name, name) for name in names]
    return f" (with {', '.join(known)})" if known else ""


def _leaf_labels(example, names):
    labels = []

    def walk(value, label, depth):
        if _is_container(value, names, depth):
            for i, v in enumerate(value):
                walk(v, names[i] if names and depth == 0 else f"{label}[{i}]", depth + 1)
        else:
            labels.append(label)

    walk(example, "your result", 0)
    return labels


def _where(leaves, describe, floor_rel, tol):
    """Which values differ, in which case, at how many entries; which are right already."""
    wrong_labels, right_labels, first = [], [], None
    by_label = {}
    for case_index, case_leaves in enumerate(leaves):
        for label, got, want in case_leaves:
            ok = True
            if got.shape != want.shape:
                ok = False
                detail = f"has shape {got.shape}, expected {want.shape}"
            else:
                g = got.astype(np.float64)
                errors = entry_errors(g, want, floor_rel)
                bad = ~(errors <= tol)
                if np.any(bad):
                    ok = False
                    if not np.all(np.isfinite(g)):
                        detail = (
                            f"holds NaN or inf in {int(np.sum(~np.isfinite(g)))} of {g.size} "
                            "entries (an overflow, or a division by zero?)"
                        )
                    else:
                        detail = (
                            "is not the right number"
                            if g.size == 1
                            else f"differs in {int(np.sum(bad))} of {g.size} entries"
                        )
            by_label.setdefault(label, []).append(ok)
            if not ok and first is None:
                where = f" in case {case_index + 1}"
                if describe:
                    where += f" ({describe[case_index]})"
                first = f"{label} {detail}{where}"
    for label, oks in by_label.items():
        (right_labels if all(oks) else wrong_labels).append(label)
    text = first or "your result differs"
    if right_labels and wrong_labels and len(by_label) > 1:
        verb = "is" if len(right_labels) == 1 else "are"
        text += f"; {', '.join(right_labels)} {verb} right in every case"
    return text


# ----- the check -------------------------------------------------------------------------------
def check(
    exercise,
    student,
    reference,
    cases,
    mistakes=(),
    tolerance=TOLERANCE,
    *,
    names=None,
    describe=None,
    sizes=None,
    integer=False,
    allow_lists=True,
    floor_rel=FLOOR_REL,
    name=None,
    legend=None,
):
    """Compare `student` with `reference` on `cases` and diagnose the difference. Never raises.

    Parameters
    ----------
    exercise : str
        Its name as the notebook gives it, e.g. ``"Exercise 4.1 (backward pass of one layer)"``.
    student, reference : callable
        The student's function and the course's one, taking the same arguments.
    cases : list of tuple
        Argument tuples to call both on (seeded, a few of them).
    mistakes : list of Mistake
        Known wrong implementations to recognise, tried before the generic detectors
        (input changed in place, outputs in another order, transpose, sign, a factor that may
        change with the case's sizes, single precision).
    tolerance : float
        Largest entry-wise relative error accepted as correct.
    names : sequence of str, optional
        Names of the returned values, e.g. ``("dl_dx_prev", "dl_dw", "dl_db")``.
    describe : list of str, optional
        One phrase per case for messages, e.g. ``"a tanh layer 3 -> 4, N = 5"``.
    sizes : list of dict, optional
        Per case, the sizes a wrong normalisation could involve, e.g. ``{"N": 5, "D_L": 2}``.
    integer : bool
        The result must be integers (a count, labels): a float is named as the mistake.
    allow_lists : bool
        Whether a list where an array is asked is accepted.
    floor_rel : float
        Entries under floor_rel times a value's largest entry are compared absolutely.
    name : str, optional
        The function's name, for `Result.usable`; default the reference's name.
    legend : dict, optional
        What each name in `sizes` means, for messages (default: N the number of samples, D the
        input size, D_L the output size, K the number of classes, B the batch size, ...).
    """
    name = name or getattr(reference, "__name__", "function")
    names = tuple(names) if names is not None else None

    def result(status, message, diagnosis=None, **evidence):
        return Result(
            exercise,
            status,
            message,
            diagnosis=diagnosis,
            evidence=evidence,
            reference=reference,
            student=student,
            name=name,
        )

    if not callable(student):
        return result(
            "error",
            f"the check takes your function itself, without calling it: check_{name}({name}), "
            f"not check_{name}({name}(...)) (it was given a {type(student).__name__})",
            "not_callable",
        )
    try:
        return _check(
            result, student, reference, cases, mistakes, tolerance, names, describe, sizes,
            integer, allow_lists, floor_rel, legend,
        )  # fmt: skip
    except Exception as exc:  # the check's own machinery: never blame the student for it
        return result(
            "error",
            f"the check itself could not judge this answer ({type(exc).__name__}: {exc}); "
            "please tell your instructor",
            "check_failed",
        )


def _check(
    result, student, reference, cases, mistakes, tolerance, names, describe, sizes, integer,
    allow_lists, floor_rel, legend=None,
):  # fmt: skip
    outputs, changed = [], None
    for index, args in enumerate(cases):
        given = copy.deepcopy(args)
        kept = copy.deepcopy(args)
        try:
            outputs.append(student(*given))
        except NotImplementedError:
            return result("todo", "not done yet: fill in the function, then run this cell again")
        except Exception as exc:  # the student's code may raise anything; report it plainly
            first = str(exc).splitlines()[0] if str(exc) else ""
            where = f" on case {index + 1}" + (f" ({describe[index]})" if describe else "")
            return result(
                "error", f"your function raised {type(exc).__name__}{where}: {first}", "raised"
            )
        if changed is None:
            for arg_name, before, after in zip(_argument_names(reference, len(args)), kept, given):
                if not _same(before, after):
                    changed = arg_name
                    break
    expected = [_call(reference, args) for args in cases]

    try:
        leaves = [
            _flatten(o, e, "your result", names, integer, allow_lists)
            for o, e in zip(outputs, expected)
        ]
    except (FloatForInt, ManyForOne) as problem:
        if _reordered(outputs, expected, names, integer, allow_lists, floor_rel):
            order = ", ".join(names) if names else "the order the prompt gives"
            return result(
                "mistake",
                f"not yet: the values are right but returned in another order: return them "
                f"as ({order})",
                "output_order",
            )
        try:  # perhaps a known mistake explains them (a max where an argmax is meant, ...)
            leaves = [
                _flatten(o, e, "your result", names, integer, allow_lists, relaxed=True)
                for o, e in zip(outputs, expected)
            ]
            found = _known_mistake(mistakes, leaves, cases, expected, names, floor_rel)
        except Exception:
            found = None
        if found is not None:
            return result("mistake", f"not yet: {found.message}", found.key)
        return result("error", f"not yet: {problem}", "not_a_result")
    except NotAResult as problem:
        if _reordered(outputs, expected, names, integer, allow_lists, floor_rel):
            order = ", ".join(names) if names else "the order the prompt gives"
            return result(
                "mistake",
                f"not yet: the values are right but returned in another order: return them "
                f"as ({order})",
                "output_order",
            )
        return result("error", f"not yet: {problem}", "not_a_result")

    worst, agrees = 0.0, True
    for case_leaves in leaves:
        for _, got, want in case_leaves:
            if got.shape != want.shape:
                agrees, worst = False, np.inf
                continue
            if got.size:
                errors = entry_errors(got, want, floor_rel)
                e = float(np.max(errors)) if np.all(np.isfinite(errors)) else np.inf
                worst = max(worst, e)
                agrees = agrees and e <= tolerance
    if agrees and changed is None:
        return result("correct", "correct", max_error=worst, cases=len(cases))
    if changed is not None:
        return result(
            "mistake",
            f"not yet: your function changes its argument `{changed}` in place (an `=` into "
            "it, `+=`, `*=` or a slice assignment); the caller still needs it unchanged, so "
            "compute into a new array" + ("" if agrees else ", and the values differ too"),
            "modified_input",
        )

    found = _known_mistake(mistakes, leaves, cases, expected, names, floor_rel)
    if found is not None:
        return result("mistake", f"not yet: {found.message}", found.key)
    single = sorted({str(g.dtype) for case in leaves for _, g, _ in case if g.dtype.kind == "f"})
    low = [d for d in single if d in ("float16", "float32")]
    if low:
        return result(
            "mistake",
            f"not yet: {'your result is' if low == single else 'part of your result is'} "
            f"{low[0]}, single precision, which keeps about 7 "
            "significant digits; compute in float64 (NumPy's default), e.g. without "
            "np.float32 or .astype(np.float32)",
            "precision",
        )
    student_arrays = [[g for _, g, _ in case_leaves] for case_leaves in leaves]

    try:
        shaped_outputs = [_reshape_like(g, e, names) for g, e in zip(student_arrays, expected)]
        found = _generic(shaped_outputs, expected, cases, describe, names, sizes, floor_rel, legend)
    except Exception:
        found = None
    if found is not None:
        key, message = found[:2]
        extra = found[2] if len(found) > 2 else {}
        return result("mistake", f"not yet: {message}", key, **extra)
    return result(
        "wrong",
        f"not yet: {_where(leaves, describe, floor_rel, tolerance)}",
        "unknown",
        max_error=worst,
    )


def _reordered(outputs, expected, names, integer, allow_lists, floor_rel):
    """True when some other order of the returned values reads as the right answer."""
    if not _is_container(expected[0], names) or not all(_is_sequence(o) for o in outputs):
        return False
    n = len(expected[0])
    if not 1 < n <= 4 or any(len(o) != n for o in outputs):
        return False
    for perm in itertools.permutations(range(n)):
        if perm == tuple(range(n)):
            continue
        try:
            leaves = [
                _flatten(type(e)(o[i] for i in perm), e, "your result", names, integer, allow_lists)
                for o, e in zip(outputs, expected)
            ]
        except NotAResult:
            continue
        if all(
            _leaves_agree([g for _, g, _ in case], [w for _, _, w in case], MATCH, floor_rel)
            for case in leaves
        ):
            return True
    return False


def _known_mistake(mistakes, leaves, cases, expected, names, floor_rel):
    """The first Mistake whose output the student's matches on every case, or None."""
    student_arrays = [[g for _, g, _ in case_leaves] for case_leaves in leaves]
    for mistake in mistakes:
        try:
            wrong = [_call(mistake.function, args) for args in cases]
            if all(  # a mistake that coincides with the answer on these cases says nothing
                _leaves_agree(_leaves(w, names), _leaves(e, names), MATCH, floor_rel)
                for w, e in zip(wrong, expected)
            ):
                continue
            if all(
                _leaves_agree(g, _leaves(w, names), MATCH, floor_rel)
                for g, w in zip(student_arrays, wrong)
            ):
                return mistake
        except Exception:  # a mistake that cannot apply to these shapes is simply skipped
            continue
    return None


def _reshape_like(arrays, expected, names):
    """Rebuild the nesting of `expected` from a flat list of the student's arrays."""
    arrays = list(arrays)

    def build(e, depth):
        if _is_container(e, names, depth):
            return type(e)(build(v, depth + 1) for v in e)
        return arrays.pop(0)

    return build(expected, 0)


# ----- helpers the topic modules share ---------------------------------------------------------
def random_network(sizes, rng, bias_scale=0.5):
    """Random w^(l) of shape (D_l, D_{l-1}) from N(0, 1/D_{l-1}), and biases from N(0, scale)."""
    weights = [
        rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in))
        for d_in, d_out in zip(sizes[:-1], sizes[1:])
    ]
    biases = [rng.normal(0.0, bias_scale, size=d_out) for d_out in sizes[1:]]
    return weights, biases


def forward_lists(X, weights, biases, sigma):
    """Lists s, x with s[0] = None, x[0] = X, from `bpcourse.mlp.layer_forward`."""
    from bpcourse.mlp import layer_forward

    s, x = [None], [X]
    for w, b in zip(weights, biases):
        s_l, x_l = layer_forward(x[-1], w, b, sigma)
        s.append(s_l)
        x.append(x_l)
    return s, x


def with_square_retry(
    run, square_run, note="raises an error", where="with layers that are not square"
):
    """Run a check on general cases; if the student's function raised there, run it on square
    layers (where a transposed product still runs) to name the mistake, and say so: "(`where`,
    your function `note`)"."""
    first = run()
    if first.status == "error" and first.diagnosis == "raised":
        second = square_run()
        if second.status == "mistake":
            return replace(
                second,
                message=f"{second.message} ({where}, {first.message.removeprefix('not yet: ')})",
            )
    return first
