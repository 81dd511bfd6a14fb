"""What every check must do, tested once for all of them (one parametrized test per property).

Each exercise is declared as an `Exercise` spec (bpcourse/exercises/spec.py) and run by one
engine; these tests hold every spec to the same promises: the reference passes, a stub is "not
done yet", every declared mistake is caught and named, a re-run keeps its verdict, no message
shows an expected value, a call of the course's answer is named, an endless loop is stopped,
and earlier floating-point settings or exits do not leak into the verdict.
"""

import inspect
import re

import numpy as np
import pytest

import bpcourse.exercises as exercises
from bpcourse.exercises import EXERCISES, spec
from bpcourse.exercises.reading import leaves_of, plain, transform

SPECS = [pytest.param(ex, id=name) for name, ex in EXERCISES.items()]
MISTAKES = [  # a mistake seen in what a function raises or warns is held by the batteries
    pytest.param(ex, mistake, id=f"{name}-{mistake.key}-{i}")
    for name, ex in EXERCISES.items()
    for i, mistake in enumerate(ex.mistakes)
    if mistake.raised is None and not mistake.warned
]


def as_student(function, name="student"):
    def student(*args):
        return function(*args)

    student.__name__ = name
    return student


@pytest.fixture
def unwatched(monkeypatch):
    """The reference judged on its values alone: the engine's watch for calls of the course's
    own answer (the reference itself, or a function it calls) switched off."""
    from contextlib import nullcontext

    from bpcourse.exercises import engine

    monkeypatch.setattr(engine, "watch_calls", lambda *args: nullcontext())


def numbers_in(text):
    return [float(m) for m in re.findall(r"-?\d+\.\d{2,}(?:e[-+]?\d+)?|-?\d{3,}", text)]


def expected_numbers(exercise):
    """The distinctive numbers a right answer produces (3 or more significant digits)."""
    values = []
    with np.errstate(all="ignore"):
        for case in exercise.cases():
            output = plain(exercise.reference(*case.args))
            for leaf in leaves_of(output, exercise.returns):
                values += [float(v) for v in np.ravel(leaf) if np.isfinite(v)]
    return [v for v in values if abs(v) >= 1e-3 and round(v, 1) != v]


@pytest.mark.parametrize("exercise", SPECS)
def test_the_reference_passes_its_own_check(exercise, unwatched):
    result = exercise.check(exercise.reference)
    assert result.status == "correct", result.message
    assert "largest relative error" in repr(result) or "exact" in repr(result)


@pytest.mark.parametrize("exercise", SPECS)
def test_every_exercise_has_a_public_check_with_its_keys_in_the_docstring(exercise):
    check = getattr(exercises, f"check_{exercise.name}")
    assert check.exercise is exercise
    for key in exercise.diagnosis_keys():
        assert f'"{key}"' in check.__doc__


@pytest.mark.parametrize("exercise", SPECS)
def test_a_stub_is_not_done_yet_and_later_cells_use_the_reference(exercise):
    def stub(*args):
        raise NotImplementedError("Exercise: your code here")

    result = exercise.check(stub)
    assert result.status == "todo" and "not done yet" in result.message
    assert result.usable.function is exercise.reference
    assert "using the reference" in repr(result.usable)


@pytest.mark.parametrize(("exercise", "mistake"), MISTAKES)
def test_every_declared_mistake_is_caught_named_and_keeps_its_verdict(exercise, mistake, unwatched):
    wrong = as_student(exercise.mistake_function(mistake), f"wrong_{mistake.key}")
    if mistake.any_of:  # a family of answers: try the first candidate of each case
        candidates = exercise.mistake_function(mistake)

        def wrong(*args):
            return candidates(*args)[0]

    first, second = exercise.check(wrong), exercise.check(wrong)
    assert first.status != "correct", f"{mistake.key} passes: it coincides with the answer"
    if not mistake.any_of:
        assert first.diagnosis == mistake.key, first.message
    assert (first.status, first.diagnosis, first.message) == (
        second.status,
        second.diagnosis,
        second.message,
    )
    assert first.function is exercise.reference


@pytest.mark.parametrize(("exercise", "mistake"), MISTAKES)
def test_no_verdict_shows_a_value_the_answer_produces(exercise, mistake, unwatched):
    result = exercise.check(as_student(exercise.mistake_function(mistake)))
    if mistake.any_of:
        return  # the candidates' lists are not answers: covered by the battery
    shown = numbers_in(result.message)
    for value in expected_numbers(exercise):
        for number in shown:
            assert abs(number - value) > 1e-3 * abs(value), (value, result.message)


@pytest.mark.parametrize("exercise", SPECS)
def test_an_endless_loop_is_stopped_and_said(exercise, monkeypatch):
    monkeypatch.setattr(spec, "TIME_BUDGET", 0.2)

    def endless(*args):
        while True:
            try:
                pass
            except BaseException:  # a student's bare except must not keep it running
                pass

    result = exercise.check(endless)
    assert result.status == "error" and result.diagnosis == "timeout"
    assert "0.2 seconds" in result.message


@pytest.mark.parametrize("exercise", SPECS)
def test_an_exit_is_a_verdict_and_floating_point_settings_do_not_leak(exercise, unwatched):
    def exits(*args):
        raise SystemExit(1)

    assert exercise.check(exits).diagnosis == "exited"
    old = np.seterr(all="raise")
    try:
        assert exercise.check(exercise.reference).status == "correct"
    finally:
        np.seterr(**old)


@pytest.mark.parametrize("exercise", SPECS)
def test_an_answer_that_calls_the_course_reference_is_named_not_correct(exercise):
    result = exercise.check(as_student(exercise.reference))
    assert result.status == "mistake" and result.diagnosis == "uses_reference"
    assert "rules out" in result.message


@pytest.mark.parametrize("exercise", [p for p in SPECS if p.values[0].derive])
def test_a_derived_answer_agreeing_only_to_ten_digits_is_named_finite_differences(
    exercise, unwatched
):
    def nearly(*args):
        output = plain(exercise.reference(*args))
        return transform(output, lambda a: a * (1 + 1e-9), exercise.returns)

    result = exercise.check(nearly)
    assert result.diagnosis == "finite_differences", result.message


def test_every_check_is_exported_from_the_package():
    names = [n for n in dir(exercises) if n.startswith("check_")]
    for exercise in EXERCISES.values():
        assert f"check_{exercise.name}" in names


@pytest.mark.parametrize("exercise", SPECS)
def test_help_names_the_parameter_as_the_docstring_does(exercise):
    check = getattr(exercises, f"check_{exercise.name}")
    assert list(inspect.signature(check).parameters) == [exercise.name]
    assert f"\n{exercise.name} : callable\n" in check.__doc__
