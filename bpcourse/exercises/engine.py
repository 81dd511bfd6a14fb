"""The one engine behind every check: call the student's function, then judge what came back.

A check runs in two steps that never share more than plain data:

1. `attempt` calls the student's function on each case of the exercise, each call on its own
   deep copy of the arguments, under a guard: a time budget (`spec.TIME_BUDGET` seconds),
   fixed floating-point settings (whatever ``np.seterr`` the notebook set before), every
   exception caught (``SystemExit`` included; only ``KeyboardInterrupt`` passes), and a
   record of the course functions it called. It returns `Call` records: the output as plain
   data (`reading.plain`), what the arguments became, what was raised.
2. `judge` compares those records with the reference's outputs on the same cases and names
   what it finds, in this order: not done yet; stopped, exited or raised; a call of the
   course's own answer (or of finite differences where the prompt asks for a derivation);
   not a result (None, a generator, the wrong number of values, ...); correct; an argument
   changed in place; digits dropped (rounded); the exercise's own mistakes; its extra
   diagnoses; single precision; the generic detectors (order, transpose, sign, a factor); and
   otherwise where it differs.

The grader (`bpcourse.grading`) runs step 1 in a sandboxed process and step 2 outside it.
A check never raises and never changes anything outside itself: re-running it on the same code
gives the same verdict. It never shows an expected value.
"""

from __future__ import annotations

import copy
import inspect
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from bpcourse.exercises import detect, spec
from bpcourse.exercises.reading import (
    FloatForInt,
    ManyForOne,
    NotAResult,
    entry_errors,
    flatten,
    is_sequence,
    leaves_agree,
    leaves_of,
    plain,
    same_value,
)
from bpcourse.exercises.result import Result

#: names of finite-difference helpers: calling one where the prompt asks for the derivation
#: is named (the package's, and the one notebook 01 defines)
FD_NAMES = frozenset(
    {"numerical_gradient", "numerical_jacobian", "fd_derivative", "numerical_derivative"}
)


def _silencers():
    """The code of what silences NumPy's floating-point warnings or Python's warnings."""
    import warnings

    found = [np.seterr, np.errstate.__enter__, warnings.filterwarnings, warnings.simplefilter]
    found.append(warnings.catch_warnings.__enter__)
    return {code for code in (_code_of(f) for f in found) if code is not None}


EXACT = 1e-11  # a derived answer agrees to this (entries under 1e-3 of the largest: absolutely)


def GENERIC_KEYS(exercise):
    """The diagnoses every check may give, besides the exercise's own."""
    keys = ["uses_reference"]
    if exercise.derive:
        keys.append("finite_differences")
    if exercise.warning_free:
        keys.append("warnings")
    keys += ["modified_input", "output_order", "shape", "transpose", "sign", "scale", "precision"]
    keys.append("rounded")
    return keys + ["not_a_result", "raised", "timeout", "exited", "not_callable", "unknown"]


class TimeUp(BaseException):
    """Raised inside the student's function when its time budget is spent."""


@dataclass
class Call:
    """What one call of the student's function did, as plain data."""

    output: object = None
    todo: bool = False
    raised: tuple | None = None  # (exception type's name, first line of its message)
    timed_out: bool = False
    exited: bool = False
    changed: list = field(default_factory=list)  # names of the arguments changed in place
    returned: list = field(default_factory=list)  # arguments returned as they were passed
    shares_with: list = field(default_factory=list)  # arguments whose arrays the output holds
    called: list = field(default_factory=list)  # course functions called (forbidden, fd)
    warnings: list = field(default_factory=list)  # floating-point problems met on the way


# ----- calling the student's function ----------------------------------------------------------
@contextmanager
def time_limit(seconds):
    """Raise `TimeUp` in the code running inside once it has used `seconds` of processor time,
    or six times that in wall-clock time (a call that waits, for input or in a sleep), so that
    a busy machine does not stop a correct answer. A timer signal where there is one, in the
    main thread; else a trace function that looks at the clock on every line."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

        def handler(signum, frame):
            signal.setitimer(signal.ITIMER_PROF, 0.5)  # again, should a bare except swallow it
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            raise TimeUp()

        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGPROF, signal.SIGALRM)}
        signal.setitimer(signal.ITIMER_PROF, seconds)
        signal.setitimer(signal.ITIMER_REAL, 6 * seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            for sig, old in previous.items():
                signal.signal(sig, old)
    else:
        deadline = time.monotonic() + seconds

        def tracer(frame, event, arg):
            if time.monotonic() > deadline:
                raise TimeUp()
            return tracer

        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            yield
        finally:
            sys.settrace(previous)


def _code_of(function):
    function = inspect.unwrap(getattr(function, "__func__", function))
    return getattr(function, "__code__", None)


def _qualified(function) -> str:
    function = getattr(function, "__func__", function)
    module = getattr(function, "__module__", "") or ""
    return f"{module}.{getattr(function, '__qualname__', getattr(function, '__name__', '?'))}"


@contextmanager
def watch_calls(forbidden, watch_fd, seen, silenced=None):
    """Append to the list `seen` the name of every forbidden function (and finite-difference
    helper, when `watch_fd`) called inside, in the order of their first call (so the outermost
    comes first: MLP.gradients before the losses.mse it calls); add "silenced" to the set
    `silenced`, when given, if warnings are silenced inside."""
    quieting = _silencers() if silenced is not None else set()
    codes = {}
    for function in forbidden:
        if isinstance(function, str):  # "module.name", watched once the module is imported
            module, _, name = function.rpartition(".")
            function = getattr(sys.modules.get(module), name, None)
            if function is None:
                continue
        code = _code_of(function)
        if code is not None:
            codes[code] = _qualified(function)

    def profiler(frame, event, arg):
        if event == "call":
            code = frame.f_code
            if code in codes:
                if codes[code] not in seen:
                    seen.append(codes[code])
            elif code in quieting:
                silenced.add("silenced")
            elif watch_fd and code.co_name in FD_NAMES:
                if f"finite differences ({code.co_name})" not in seen:
                    seen.append(f"finite differences ({code.co_name})")

    previous = sys.getprofile()
    sys.setprofile(profiler)
    try:
        yield
    finally:
        sys.setprofile(previous)


def argument_names(function, count):
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(count)]


def _arrays(value):
    if isinstance(value, np.ndarray):
        return [value]
    if is_sequence(value):
        return [a for item in value for a in _arrays(item)]
    return []


def _parts(value, depth=0):
    """`value` and every list, tuple and array inside it."""
    yield value
    if is_sequence(value) and depth < 4:
        for item in value:
            yield from _parts(item, depth + 1)


def call_student(exercise, function, case, budget=None, keep=plain) -> Call:
    """Call `function` on a deep copy of the case's arguments, guarded (see the module doc).
    `budget` is in seconds, `spec.TIME_BUDGET` by default; `keep` turns the output into what is
    recorded (`plain`; the grader's sandbox records it with its own encoder)."""
    budget = spec.TIME_BUDGET if budget is None else budget
    given = copy.deepcopy(case.args)
    before = [plain(a) for a in case.args]
    names = argument_names(exercise.reference, len(case.args))
    record, seen, problems = Call(), [], set()

    def note(kind, flag):
        problems.add(kind)

    watched = (exercise.reference, *exercise.forbidden)
    silenced = problems if exercise.warning_free else None
    try:  # the watch goes inside the guard's own errstate, so that it sees only the student's
        with np.errstate(all="call", under="ignore", call=note), time_limit(budget):
            with watch_calls(watched, exercise.derive, seen, silenced):
                output = function(*given)
    except NotImplementedError:
        return Call(todo=True)
    except TimeUp:
        return Call(timed_out=True)
    except KeyboardInterrupt:
        raise
    except SystemExit:
        return Call(exited=True)
    except BaseException as exc:  # the student's code may raise anything: report it plainly
        text = str(exc).splitlines()[0] if str(exc) else ""
        return Call(raised=(type(exc).__name__, text[:300]))
    if exercise.unpack is not None:
        try:
            output = exercise.unpack(output)
        except Exception:  # an object that does not unpack is recorded as it is
            pass
    record.output = keep(output)
    record.called = list(seen)
    record.warnings = sorted(problems)
    for name, was, now in zip(names, before, given):
        if not same_value(was, plain(now)):
            record.changed.append(name)
        returned = any(part is now for part in _parts(output))
        if returned and (isinstance(now, np.ndarray) or is_sequence(now)):
            record.returned.append(name)
        if any(np.shares_memory(o, a) for o in _arrays(output) for a in _arrays(now)):
            record.shares_with.append(name)
    return record


def attempt(exercise, function, cases, budget=None, keep=plain) -> list[Call]:
    """One `Call` per case, stopping at the first call that did not return."""
    calls = []
    for case in cases:
        calls.append(call_student(exercise, function, case, budget, keep))
        last = calls[-1]
        if last.todo or last.timed_out or last.exited or last.raised:
            break
    return calls


def reference_outputs(exercise, cases, function=None):
    """What the reference (or a mistake's `function`) gives on each case, under fixed
    floating-point settings, as the exercise compares it (`Exercise.compare`)."""
    function = function or exercise.reference
    outputs = []
    with np.errstate(all="ignore"):
        for case in cases:
            output = function(*copy.deepcopy(case.args))
            if exercise.compare is not None:
                output = exercise.compare(case.args, output)
            outputs.append(output)
    return outputs


# ----- judging ---------------------------------------------------------------------------------
@dataclass
class Judgement:
    """What the judge knows of an attempt; `Exercise.diagnose` hooks receive it."""

    exercise: object
    cases: list
    calls: list
    expected: list
    outputs: list  # the student's plain outputs
    leaves: list | None = None  # per case [(label, got, want)], when the outputs could be read

    @property
    def describe(self):
        return [c.describe for c in self.cases]

    @property
    def sizes(self):
        return [c.sizes for c in self.cases]


def _read(judgement, relaxed=False):
    ex = judgement.exercise
    return [
        flatten(o, e, ex.compared, ex.returns, ex.integer, ex.lists, relaxed=relaxed)
        for o, e in zip(judgement.outputs, judgement.expected)
    ]


def _matches(judgement, mistake, leaves) -> bool:
    ex = judgement.exercise
    function = ex.mistake_function(mistake)
    try:
        wrong = reference_outputs(ex, judgement.cases, function)
    except Exception:  # a mistake that cannot apply to these cases is skipped
        return False
    floor = ex.floor_rel
    differs = False  # a mistake that gives the right answer on every case says nothing
    for case_leaves, w, e in zip(leaves, wrong, judgement.expected):
        got = [g for _, g, _ in case_leaves]
        options = w if mistake.any_of else [w]
        if not any(
            leaves_agree(got, leaves_of(o, ex.returns), detect.MATCH, floor) for o in options
        ):
            return False
        differs = differs or not leaves_agree(got, leaves_of(e, ex.returns), detect.MATCH, floor)
    return differs


def known_mistake(judgement, leaves):
    """The first declared mistake the student's outputs match on every case, or None."""
    for mistake in judgement.exercise.mistakes:
        if mistake.raised is not None or mistake.warned:  # not seen in what was returned
            continue
        try:
            if _matches(judgement, mistake, leaves):
                return mistake
        except Exception:  # a mistake whose output cannot be compared is skipped
            continue
    return None


def _worst(leaves, floor_rel):
    """(largest entry-wise error, whether every value is a whole number matched exactly)."""
    worst, exact = 0.0, True
    for case_leaves in leaves:
        for _, got, want in case_leaves:
            if got.shape != want.shape:
                return np.inf, False
            if got.size:
                errors = entry_errors(got, want, floor_rel)
                errors = np.where(np.isfinite(got), errors, np.inf)
                worst = max(worst, float(np.max(errors)))
                whole = np.all(np.isfinite(want)) and np.all(want == np.round(want))
                exact = exact and bool(whole and np.all(got == want))
    return worst, exact


def _like_differences(leaves) -> bool:
    """True when a wrong derived answer is what finite differences give: right to 5 digits of
    each value's largest entry in every case, or right to 2 digits everywhere and to 6 on most
    cases (differences lose digits at extreme scales; a wrong formula is off everywhere)."""
    errors = []
    for case_leaves in leaves:
        worst = 0.0
        for _, got, want in case_leaves:
            if got.shape != want.shape:
                return False
            if got.size:
                worst = max(worst, float(np.max(entry_errors(got, want, 1.0))))
        errors.append(worst)
    return max(errors) <= 1e-5 or (max(errors) <= 1e-2 and float(np.median(errors)) <= 1e-6)


def _inexact(leaves) -> bool:
    """True when a derived answer agrees only as far as finite differences do."""
    for case_leaves in leaves:
        for _, got, want in case_leaves:
            if got.size and np.max(entry_errors(got, want, 1e-3)) > EXACT:
                return True
    return False


def _modified(call, names) -> str:
    arg = call.changed[0]
    if arg in call.returned:
        return (
            f"your function changes its argument `{arg}` in place and returns it: the caller's "
            f"`{arg}` is changed too; compute into a new array or list and return that"
        )
    if arg in call.shares_with:
        return (
            f"your function returns a new container, but the arrays in it are `{arg}`'s own, "
            "changed in place: a shallow copy (list(...), .copy() of a list, [:]) copies the "
            "list, not the arrays in it; build new arrays instead (w - lr * g, not w -= ...)"
        )
    return (
        f"your function changes its argument `{arg}` in place (an `=` into it, `+=`, `*=` or a "
        "slice assignment); the caller still needs it unchanged, so compute into a new array"
    )


def judge(exercise, cases, calls):
    """(status, message, diagnosis, evidence) for the `calls` the student's function made."""
    with np.errstate(all="ignore"):  # the comparisons meet 1e300s and NaNs: never a warning
        return _judge(exercise, cases, calls)


def _judge(exercise, cases, calls):
    for index, call in enumerate(calls):
        described = f" ({cases[index].describe})" if cases[index].describe else ""
        where = f" on case {index + 1}{described}"
        if call.todo:
            return "todo", "not done yet: fill in the function, then run this cell again", None, {}
        if call.timed_out:
            return (
                "error",
                f"not yet: your function ran for more than {spec.TIME_BUDGET:g} seconds{where} "
                "and was stopped: a loop that never ends (a while whose condition stays true, a "
                "counter that is never updated)?",
                "timeout",
                {},
            )
        if call.exited:
            return (
                "error",
                f"not yet: your function called exit() or sys.exit(){where}: return the result "
                "instead",
                "exited",
                {},
            )
        if call.raised:
            name, text = call.raised
            for mistake in exercise.mistakes:
                if mistake.raised and re.search(mistake.raised, f"{name}: {text}"):
                    return "mistake", f"not yet: {mistake.message}", mistake.key, {}
            return "error", f"your function raised {name}{where}: {text}", "raised", {}
    called = list(dict.fromkeys(name for call in calls for name in call.called))
    fd = [n for n in called if n.startswith("finite differences")]
    answers = [n for n in called if not n.startswith("finite differences")]
    if answers:
        if answers[0].startswith("bpcourse.exercises."):  # the check's own: never say where
            answers[0] = "the check's own reference"
        return (
            "mistake",
            f"not yet: your function uses {answers[0]} (directly or through another function), "
            "which this exercise rules out (the course's own answer, or a way around the work "
            "it asks for), so the check cannot see your work: write the computation yourself",
            "uses_reference",
            {},
        )
    if fd:
        return (
            "mistake",
            f"not yet: your function uses {fd[0]}: this exercise asks for the derivative "
            "derived by hand (with the rules this section teaches); finite differences are how "
            "you check it afterwards",
            "finite_differences",
            {},
        )
    expected = reference_outputs(exercise, cases)
    outputs = [c.output for c in calls]
    if exercise.compare is not None:  # judged by what the output stands for (a sum's values)
        try:
            with np.errstate(all="ignore"):
                outputs = [exercise.compare(c.args, o) for c, o in zip(cases, outputs)]
        except NotAResult as problem:
            return "error", f"not yet: {problem}", problem.key, {}
    j = Judgement(exercise, cases, calls, expected, outputs)
    names = exercise.returns
    try:
        leaves = _read(j)
    except (FloatForInt, ManyForOne) as problem:
        if detect.reordered(
            j.outputs, expected, names, exercise.integer, exercise.lists, exercise.floor_rel
        ):
            return "mistake", f"not yet: {detect.order_message(names)}", "output_order", {}
        try:
            found = known_mistake(j, _read(j, relaxed=True))
        except Exception:  # still unreadable: say why
            found = None
        if found is not None:
            return "mistake", f"not yet: {found.message}", found.key, {}
        return "error", f"not yet: {problem}", "not_a_result", {}
    except NotAResult as problem:
        if detect.reordered(
            j.outputs, expected, names, exercise.integer, exercise.lists, exercise.floor_rel
        ):
            return "mistake", f"not yet: {detect.order_message(names)}", "output_order", {}
        try:
            found = known_mistake(j, _read(j, relaxed=True))
        except Exception:  # still unreadable: say why
            found = None
        if found is not None:
            return "mistake", f"not yet: {found.message}", found.key, {}
        return "error", f"not yet: {problem}", "not_a_result", {}
    j.leaves = leaves
    worst, exact = _worst(leaves, exercise.floor_rel)
    agrees = worst <= exercise.tolerance
    changed = next((c for c in calls if c.changed), None)
    if changed is not None:
        extra = "" if agrees else ", and the values differ too"
        return "mistake", f"not yet: {_modified(changed, names)}{extra}", "modified_input", {}
    if agrees:
        warned = sorted({w for c in calls for w in c.warnings})
        if exercise.warning_free and warned:
            declared = next((m for m in exercise.mistakes if m.warned), None)
            if declared is not None:
                return "mistake", f"not yet: {declared.message}", declared.key, {}
            if warned == ["silenced"]:
                met = "warnings silenced (np.errstate, np.seterr or the warnings module)"
            else:
                met = " and ".join(w for w in warned if w != "silenced")
            return (
                "mistake",
                f"not yet: the values are right, but computing them met {met} on the way: the "
                "prompt asks for a computation that never overflows or divides by zero, even "
                "where the result does not use that part (silencing a warning hides the "
                "overflow, it does not avoid it)",
                "warnings",
                {},
            )
        if exercise.derive and _inexact(leaves):
            return (
                "mistake",
                "not yet: your values agree with the right ones only to about 10 significant "
                "digits, as finite differences do: this exercise asks for the derivative derived "
                "by hand (with the rules this section teaches), which agrees to rounding",
                "finite_differences",
                {},
            )
        return "correct", "correct", None, {"max_error": worst, "cases": len(cases), "exact": exact}
    grid = None if exercise.integer else detect.rounding([(g, w) for c in leaves for _, g, w in c])
    if grid is not None:
        return "mistake", f"not yet: {detect.rounding_message(grid)}", "rounded", {}
    found = known_mistake(j, leaves)
    if found is not None:
        return "mistake", f"not yet: {found.message}", found.key, {}
    if exercise.diagnose is not None:
        try:
            extra = exercise.diagnose(j)
        except Exception:  # an extra diagnosis that cannot apply says nothing
            extra = None
        if extra:
            return "mistake", f"not yet: {extra[1]}", extra[0], {}
    low = sorted({str(g.dtype) for case in leaves for _, g, _ in case if g.dtype.kind == "f"})
    single = [d for d in low if d in ("float16", "float32")]
    if single:
        which = "your result is" if single == low else "part of your result is"
        return (
            "mistake",
            f"not yet: {which} {single[0]}, single precision, which keeps about 7 significant "
            "digits; compute in float64 (NumPy's default), e.g. without np.float32 or "
            ".astype(np.float32)",
            "precision",
            {},
        )
    if exercise.derive and _like_differences(leaves):
        return (
            "mistake",
            "not yet: your values agree with the right ones only to a few significant digits "
            "(fewer where the numbers are large or small), as finite differences do: this "
            "exercise asks for the derivative derived by hand, which agrees to rounding",
            "finite_differences",
            {},
        )
    try:
        shaped = [_reshape_like([g for _, g, _ in c], e, names) for c, e in zip(leaves, expected)]
        found = detect.generic(
            shaped, expected, names, j.sizes, exercise.floor_rel, exercise.legend
        )
    except Exception:  # a detector that cannot read these shapes says nothing
        found = None
    if found is not None:
        key, message = found
        if key == "precision" and exercise.derive:
            key, message = (
                "finite_differences",
                "your values agree with the right ones only to a few significant digits, as "
                "finite differences (or a computation in float32) give: this exercise asks for "
                "the derivative derived by hand, computed in float64",
            )
        return "mistake", f"not yet: {message}", key, {}
    text = detect.where(leaves, j.describe, exercise.floor_rel, exercise.tolerance)
    if any(np.shape(g) != np.shape(w) for case in leaves for _, g, w in case):
        return "mistake", f"not yet: {text}", "shape", {}  # where() says which and how
    return "wrong", f"not yet: {text}", "unknown", {"max_error": worst}


def _reshape_like(arrays, expected, names):
    """Rebuild the nesting of `expected` from a flat list of the student's arrays."""
    from bpcourse.exercises.reading import is_container

    arrays = list(arrays)

    def build(e, depth):
        if is_container(e, names, depth):
            return type(e)(build(v, depth + 1) for v in e)
        return arrays.pop(0)

    return build(expected, 0)


def run(exercise, function) -> Result:
    """Check `function` against `exercise`: the whole check, as a notebook's check cell runs
    it. Never raises; a bug in the check itself is reported as the check's own failure."""

    def result(status, message, diagnosis=None, evidence=None):
        return Result(
            exercise.label,
            status,
            message,
            diagnosis=diagnosis,
            evidence=evidence or {},
            reference=exercise.reference,
            student=function,
            name=exercise.name,
        )

    if not callable(function):
        return result(
            "error",
            f"the check takes your function itself, without calling it: "
            f"check_{exercise.name}({exercise.name}), not check_{exercise.name}"
            f"({exercise.name}(...)) (it was given a {type(function).__name__})",
            "not_callable",
        )
    try:
        cases = exercise.cases()
        calls = attempt(exercise, function, cases)
        verdict = judge(exercise, cases, calls)
        if verdict[2] == "raised" and exercise.retry_cases is not None:
            square = exercise.retry_cases()
            retried = judge(exercise, square, attempt(exercise, function, square))
            if retried[0] == "mistake":
                first = verdict[1].removeprefix("not yet: ").split(": ")[0]  # without NumPy's words
                verdict = (
                    retried[0],
                    f"{retried[1]} (found {exercise.retry_note}; on the general cases {first})",
                    retried[2],
                    retried[3],
                )
        status, message, diagnosis, evidence = verdict
        if status == "error" and not message.startswith("not yet: "):
            message = message if diagnosis == "raised" else f"not yet: {message}"
        return result(status, message, diagnosis, evidence)
    except Exception as exc:  # the check's own machinery: never blame the student for it
        return result(
            "error",
            f"the check itself could not judge this answer ({type(exc).__name__}: {exc}); "
            "please tell your instructor",
            "check_failed",
        )
