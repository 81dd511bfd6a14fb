"""The harness shared by the exercise batteries of the cold students' test files.

A battery is ``BATTERY = {"check_<name>": {"right": [fn, ...], "wrong": [(fn, key), ...]}}``:
answers written the way students write them, each wrong one with the diagnosis expected of
its check (or None when no documented diagnosis fits; the answer must still be rejected).
`tools/exercise_battery.py` reports on the same batteries.
"""

import pytest

import bpcourse.exercises as exercises


def right_params(battery):
    """(check name, answer) parameters for every right answer of `battery`."""
    return [
        pytest.param(check, fn, id=f"{check}-{fn.__name__}")
        for check, entry in battery.items()
        for fn in entry["right"]
    ]


def wrong_params(battery):
    """(check name, answer, expected diagnosis) parameters for every wrong answer."""
    return [
        pytest.param(check, fn, key, id=f"{check}-{fn.__name__}")
        for check, entry in battery.items()
        for fn, key in entry["wrong"]
    ]


def assert_accepted(check, fn):
    result = getattr(exercises, check)(fn)
    assert result.status == "correct", f"{result.status} {result.diagnosis}: {result.message}"


def assert_rejected(check, fn, key):
    result = getattr(exercises, check)(fn)
    assert result.status != "correct", result.message
    if key is not None:
        assert result.diagnosis == key, f"{result.status} {result.diagnosis}: {result.message}"
