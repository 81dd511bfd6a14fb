"""Every battery of student answers (tests/exercises/battery_NN.py) against its check.

A right answer, in whatever style, must be accepted; a wrong one must be rejected and, where
the battery gives a key, named with it. The answers were written the way students write them,
independently of the checks' lists of mistakes (see each battery's docstring).
"""

import importlib
from pathlib import Path

import pytest

from bpcourse.exercises import EXERCISES

BATTERIES = sorted((Path(__file__).parent / "exercises").glob("battery_*.py"))


def answers():
    right, wrong = [], []
    for path in BATTERIES:
        module = importlib.import_module(f"tests.exercises.{path.stem}")
        for name, entry in module.BATTERY.items():
            for fn in entry["right"]:
                right.append(pytest.param(name, fn, id=f"{path.stem}-{name}-{fn.__name__}"))
            for fn, key in entry["wrong"]:
                wrong.append(pytest.param(name, fn, key, id=f"{path.stem}-{name}-{fn.__name__}"))
    return right, wrong


RIGHT, WRONG = answers()


def test_every_battery_answers_only_declared_exercises_and_every_exercise_has_a_battery():
    named = {p.values[0] for p in RIGHT} | {p.values[0] for p in WRONG}
    assert named <= set(EXERCISES), named - set(EXERCISES)
    assert set(EXERCISES) <= named, f"exercises without a battery: {set(EXERCISES) - named}"


@pytest.mark.parametrize(("name", "answer"), RIGHT)
def test_a_right_answer_is_accepted(name, answer):
    result = EXERCISES[name].check(answer)
    assert result.status == "correct", f"{result.status} {result.diagnosis}: {result.message}"
    assert result.usable.is_yours and result.usable.function is answer


@pytest.mark.parametrize(("name", "answer", "key"), WRONG)
def test_a_wrong_answer_is_rejected_and_named(name, answer, key):
    exercise = EXERCISES[name]
    result = exercise.check(answer)
    assert result.status not in ("correct", "todo"), result.message
    assert result.diagnosis != "check_failed", result.message
    if key is not None:
        assert result.diagnosis == key, f"{result.status} {result.diagnosis}: {result.message}"
        assert key in exercise.diagnosis_keys()  # the docs list every key a verdict can carry
    assert not result.usable.is_yours
