"""The machinery behind every `check_<name>` of the exercises.

A check runs the student's function and a reference on the same few seeded inputs and says
one of four things, never the answer itself:

- ``todo``: the function still raises NotImplementedError ("not done yet");
- ``correct``: with the evidence (largest relative error over the cases);
- ``mistake``: the output matches a known wrong implementation, so the likely mistake is
  named (a missing transpose, a missing 1/N, a sign error, sigma' forgotten, ...);
- ``wrong`` or ``error``: it differs in an unrecognised way, or it raised.

The returned `Result` also carries `.function`: the student's function once it is correct,
the reference until then, so that later cells of a notebook keep running.
"""

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from bpcourse.gradcheck import relative_error

TOLERANCE = 1e-7  # relative error under which two results agree (cs231n's float64 policy)

SYMBOLS = {"todo": "…", "correct": "✔", "mistake": "✘", "wrong": "✘", "error": "✘"}


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


@dataclass
class Result:
    """What a check found. Shown in a notebook by its text; `.ok` is True when correct."""

    exercise: str
    status: str
    message: str
    function: Callable
    diagnosis: str | None = None
    evidence: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status == "correct"

    def __repr__(self):
        return f"{SYMBOLS[self.status]} {self.exercise}: {self.message}"

    __str__ = __repr__


def _as_arrays(output):
    """Flatten a function's output (number, array, or tuple/list of them) to a list of arrays."""
    if isinstance(output, (tuple, list)):
        return [a for item in output for a in _as_arrays(item)]
    return [np.asarray(output, dtype=np.float64)]


def _compare(got, expected, tolerance=TOLERANCE):
    """Return (agrees, largest relative error, note) for two outputs."""
    got, expected = _as_arrays(got), _as_arrays(expected)
    if len(got) != len(expected):
        return False, np.inf, f"returned {len(got)} value(s), expected {len(expected)}"
    worst = 0.0
    for i, (g, e) in enumerate(zip(got, expected)):
        if g.shape != e.shape:
            which = f"value {i + 1} " if len(expected) > 1 else ""
            return False, np.inf, f"{which}has shape {g.shape}, expected shape {e.shape}"
        if not np.all(np.isfinite(g)):
            return False, np.inf, "contains NaN or inf"
        worst = max(worst, relative_error(g, e))
    return worst <= tolerance, worst, ""


def _call(function, args):
    """Call `function` on a deep copy of `args`, so that no call can change the cases."""
    return function(*copy.deepcopy(args))


def _generic_mistakes(reference):
    """Mistakes any numeric exercise can show: the transpose, a sign error, a constant factor."""

    def transposed(*args):
        out = reference(*args)
        if isinstance(out, (tuple, list)):
            return type(out)(np.asarray(o).T for o in out)
        return np.asarray(out).T

    def negated(*args):
        out = reference(*args)
        if isinstance(out, (tuple, list)):
            return type(out)(-np.asarray(o) for o in out)
        return -np.asarray(out)

    return [
        Mistake(
            "transpose",
            "the values are right but transposed: check the shapes, and where a transpose "
            "belongs (an m x n Jacobian has one row per output)",
            transposed,
        ),
        Mistake("sign", "the magnitude is right but the sign is flipped somewhere", negated),
    ]


def _constant_factor(student_out, reference_out):
    """Return c if student_out == c * reference_out for one constant c != 1, else None."""
    g, e = _as_arrays(student_out), _as_arrays(reference_out)
    if len(g) != len(e) or any(a.shape != b.shape for a, b in zip(g, e)):
        return None
    g, e = np.concatenate([a.ravel() for a in g]), np.concatenate([b.ravel() for b in e])
    if not np.all(np.isfinite(g)) or np.max(np.abs(e)) == 0:
        return None
    c = float(g @ e / (e @ e))
    if abs(c - 1) < 1e-6 or abs(c) < 1e-12:
        return None
    return c if relative_error(g, c * e) <= 1e-6 else None


def check(exercise, student, reference, cases, mistakes=(), tolerance=TOLERANCE):
    """Compare `student` with `reference` on `cases` and diagnose the difference.

    Parameters
    ----------
    exercise : str
        Its name as the notebook gives it, e.g. ``"Exercise 4.2 (backward pass of one layer)"``.
    student, reference : callable
        The student's function and the correct one, taking the same arguments.
    cases : list of tuple
        Argument tuples to call both on (seeded, a few of them).
    mistakes : list of Mistake
        Known wrong implementations to recognise, tried in order before the generic ones
        (transpose, sign, constant factor).
    tolerance : float
        Largest relative error accepted as correct.

    Returns
    -------
    Result
    """
    if not callable(student):
        raise TypeError(
            f"{exercise}: the check takes your function itself (without calling it), "
            f"got {type(student).__name__}"
        )
    outputs = []
    for args in cases:
        try:
            outputs.append(_call(student, args))
        except NotImplementedError:
            return Result(
                exercise,
                "todo",
                "not done yet: fill in the function, then run this cell again",
                reference,
            )
        except Exception as exc:  # the student's code may raise anything; report it plainly
            first = str(exc).splitlines()[0] if str(exc) else ""
            return Result(
                exercise,
                "error",
                f"your function raised {type(exc).__name__}: {first}",
                reference,
                diagnosis="raised",
            )
    expected = [_call(reference, args) for args in cases]

    worst, notes = 0.0, []
    for got, want in zip(outputs, expected):
        agrees, err, note = _compare(got, want, tolerance)
        worst = max(worst, err)
        if note:
            notes.append(note)
    if worst <= tolerance:
        return Result(
            exercise,
            "correct",
            f"correct (largest relative error {worst:.1e} over {len(cases)} cases)",
            student,
            evidence={"max_error": worst},
        )

    for mistake in list(mistakes) + _generic_mistakes(reference):
        try:
            wrong = [_call(mistake.function, args) for args in cases]
        except Exception:  # a mistake that cannot apply to these shapes is simply skipped
            continue
        if all(_compare(got, w, 1e-6)[0] for got, w in zip(outputs, wrong)):
            return Result(
                exercise,
                "mistake",
                f"not yet: {mistake.message}",
                reference,
                diagnosis=mistake.key,
                evidence={"max_error": worst},
            )

    factors = [_constant_factor(got, want) for got, want in zip(outputs, expected)]
    if factors[0] is not None and all(
        f is not None and abs(f - factors[0]) < 1e-6 for f in factors
    ):
        return Result(
            exercise,
            "mistake",
            f"not yet: every value is {factors[0]:.4g} times "
            "the right one; look for a missing or extra constant (a 1/N, a 2, a 1/2)",
            reference,
            diagnosis="scale",
            evidence={"factor": factors[0]},
        )
    detail = notes[0] if notes else f"largest relative error {worst:.1e}"
    return Result(
        exercise,
        "wrong",
        f"not yet: your result differs ({detail})",
        reference,
        diagnosis="unknown",
        evidence={"max_error": worst},
    )
