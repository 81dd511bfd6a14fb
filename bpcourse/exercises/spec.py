"""An exercise, declared: what it asks, its reference, its cases, its known mistakes.

One `Exercise` per exercise of the notebooks; `bpcourse.exercises.engine` runs every one the
same way (`Exercise.check`). A topic module (``chain_rule.py`` for notebook 01, ...) declares
its exercises and nothing else: the reference is the package function the course teaches, the
cases cover the input domain, and each `Mistake` is the reference with one thing changed.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Callable

TOLERANCE = 1e-9  # entry-wise relative error under which two float64 results agree
FLOOR_REL = 1e-6  # entries under this fraction of a value's largest entry: compared absolutely
TIME_BUDGET = 5.0  # seconds for one call of the student's function


@dataclass(frozen=True)
class Case:
    """One call of the exercise's function.

    args : tuple, the arguments (the check passes each call its own deep copy)
    describe : str, a phrase for messages, e.g. "a tanh layer 3 -> 4, N = 5"
    sizes : dict, the sizes a wrong normalisation could involve, e.g. {"N": 5, "D_L": 2}
    """

    args: tuple
    describe: str = ""
    sizes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what to tell a student whose output matches it.

    key : short name, e.g. "transpose", "missing_1_over_n", "forgot_sigma_prime"
    message : the hint: it names the mistake, never the answer
    function : takes the exercise's arguments and returns what the mistake computes; or None
        when ``changes`` is given
    changes : the mistake as data: keyword switches of the exercise's ``variant`` (the
        reference written with switches, each one a thing a student may get wrong)
    any_of : True when ``function`` returns a list of candidate outputs for a case (a
        mistake whose index may change from case to case: another unit, a subset of paths);
        the student's output must match one of them in every case
    raised : a mistake seen in what the student's function raised, not in what it returned:
        a regular expression matched against "ExceptionName: message" (e.g. r"TypeError:
        'Activation' object is not callable" for sigma(s) where sigma.f(s) is meant)
    warned : a mistake seen in the floating-point problems met on the way to right values
        (an exercise with ``warning_free``): its key and message replace the generic
        "warnings" verdict
    """

    key: str
    message: str
    function: Callable | None = None
    changes: dict | None = None
    any_of: bool = False
    raised: str | None = None
    warned: bool = False


@dataclass(frozen=True)
class Exercise:
    """An exercise of a notebook, and everything its check needs.

    Parameters
    ----------
    number, title : "4.1", "the backward pass of one layer"
    name : the name of the function the student writes, e.g. "layer_backward"
    reference : the course's implementation (a `bpcourse` function), same arguments
    cases : a function returning the list of `Case`s (seeded, covering the domain)
    accepts : what the prompt accepts, in words, for the docs ("an array or a list of 4
        numbers")
    returns : the names of the returned values, e.g. ("dl_dx_prev", "dl_dw", "dl_db"), or
        None for one value
    mistakes : the known mistakes, tried in order after the exact comparison
    variant : the reference with switches (keyword arguments); `Mistake.changes` names them
    integer : the result must be whole numbers (counts, labels): a float is named
    lists : whether a list is accepted where an array is asked
    forbidden : the course's functions whose call gives the answer away; an answer that
        calls one is named ("uses_reference") and is not correct. A "module.name" string
        names a function of a library the package does not import (watched once it is)
    derive : the prompt asks for the derivation: finite differences (the package's helpers,
        or values that agree only to the ~10 digits differences give) are named
    warning_free : the prompt asks for a computation without overflow or NaN on the way (a
        function that silences NumPy's warnings, with np.errstate, np.seterr or the warnings
        module, is named too: silencing hides the overflow, it does not avoid it)
    retry_cases : cases on which a transposed product still runs (square layers): tried
        when the student's function raised on the general cases, to name the mistake
    retry_note : how a verdict found on `retry_cases` says where it was found
    diagnose : one place for diagnoses that are not a single wrong function; called as
        ``diagnose(judgement)`` after the mistakes, returns (key, message) or None
    keys : the diagnosis keys `diagnose` may return, for the docs
    compare : what an output is judged by, when it is not the output itself:
        ``compare(args, output)`` returns the values compared (e.g. the values of the ReLU sum
        that a function's parameters describe, so that any parameters of the right sum pass),
        applied alike to the student's output, the reference's and every mistake's; it raises
        `reading.NotAResult` (with its own `key`) for an output that describes nothing
    compared : what a located message calls the compared values ("your sum's values")
    unpack : turns an output that is one of the package's own objects into plain values before
        it is recorded (6.1 accepts an `approximation.ReluSum` as its four values); it is given
        every raw output and returns it unchanged when it has nothing to unpack
    tolerance, floor_rel : the comparison (see `bpcourse.exercises.reading.entry_errors`)
    legend : what each name in a case's ``sizes`` means, for messages
    """

    number: str
    title: str
    name: str
    reference: Callable
    cases: Callable
    accepts: str = ""
    returns: tuple | None = None
    mistakes: tuple = ()
    variant: Callable | None = None
    integer: bool = False
    lists: bool = True
    forbidden: tuple = ()
    derive: bool = False
    warning_free: bool = False
    retry_cases: Callable | None = None
    retry_note: str = "with square layers, where a transposed product still runs"
    diagnose: Callable | None = None
    keys: tuple = ()
    compare: Callable | None = None
    compared: str = "your result"
    unpack: Callable | None = None
    tolerance: float = TOLERANCE
    floor_rel: float = FLOOR_REL
    legend: dict | None = None

    @property
    def label(self) -> str:
        """'Exercise 4.1 (the backward pass of one layer)', as verdicts name it."""
        return f"Exercise {self.number} ({self.title})"

    def mistake_function(self, mistake: Mistake) -> Callable:
        if mistake.changes is not None:
            if self.variant is None:
                raise ValueError(f"{self.label}: mistake {mistake.key!r} needs a variant")
            return functools.partial(self.variant, **mistake.changes)
        return mistake.function

    def check(self, function):
        """Check the student's `function`; returns a `Result` (never raises)."""
        from bpcourse.exercises.engine import run

        return run(self, function)

    def diagnosis_keys(self) -> list[str]:
        """Every diagnosis this check can give, its own first: the docs list these."""
        from bpcourse.exercises.engine import GENERIC_KEYS

        own = []
        for key in [m.key for m in self.mistakes] + list(self.keys):
            if key not in own:
                own.append(key)
        return own + [k for k in GENERIC_KEYS(self) if k not in own]


def make_check(exercise: Exercise) -> Callable:
    """The public ``check_<name>`` function of an exercise, with its docstring generated."""

    def check(function):
        return exercise.check(function)

    keys = ", ".join(f'"{k}"' for k in exercise.diagnosis_keys())
    returns = f", returning ({', '.join(exercise.returns)})" if exercise.returns else ""
    check.__name__ = check.__qualname__ = f"check_{exercise.name}"
    check.__doc__ = (
        f"Check {exercise.label}.\n\n"
        f"Parameters\n----------\n{exercise.name} : callable\n"
        f"    Your function{returns}. Accepted: {exercise.accepts or 'see the prompt'}.\n\n"
        "Returns\n-------\nResult\n"
        '    Status "correct", "todo" (not done yet), "mistake" (a named diagnosis), "wrong"\n'
        '    (located, diagnosis "unknown") or "error". Diagnoses this check names:\n'
        f"    {keys}.\n"
    )
    parameter = inspect.Parameter(exercise.name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    check.__signature__ = inspect.Signature([parameter])  # help() shows check_x(x)
    check.exercise = exercise
    return check
