"""What notebook 06's checks promise beyond the battery (tests/exercises/battery_06.py).

Exercise 6.1 is judged by the values of the student's sum, not its parameters
(`Exercise.compare`, `sum_values`); these tests hold what that reading adds, and what the
later cells of the notebook rely on: the function `usable` hands them.
"""

import numpy as np
import pytest

from bpcourse import approximation
from bpcourse.exercises import (
    check_compose_with_affine,
    check_relu_sum_through,
    check_relu_units_needed,
)
from bpcourse.exercises.universal_approximation import RELU_SUM
from tests.exercises.battery_06 import (
    sum_one_unit_short,
    sum_slopes_not_changes,
    sum_vectorised,
    units_float,
    units_math_ceil,
)


def stub(*args):
    raise NotImplementedError("Exercise 6.x: not written yet")


def test_usable_of_6_1_returns_four_values_that_later_cells_unpack():
    t, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 0.0])
    x = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    for answer in (stub, sum_vectorised, sum_slopes_not_changes):
        c, w, b, omega = check_relu_sum_through(answer).usable(t, y)
        f = c + np.maximum(np.outer(x, w) + b, 0) @ omega
        np.testing.assert_allclose(f, np.interp(x, t, y))


def test_usable_of_6_2_is_an_int_that_relu_interpolant_accepts():
    for answer in (stub, units_math_ceil, units_float):
        n = check_relu_units_needed(answer).usable(1e-3, -np.pi, np.pi, 1.0)
        assert isinstance(n, (int, np.integer))
        approximation.relu_interpolant(np.sin, -np.pi, np.pi, n)


def test_a_relu_sum_built_by_the_student_is_read_as_its_four_values():
    def through(t, y):
        c, w, b, omega = sum_vectorised(t, y)
        return approximation.ReluSum(c, w, b, omega)

    assert check_relu_sum_through(through).status == "correct"


def test_the_unit_count_and_float_messages_say_what_is_wrong_without_the_answer():
    message = check_relu_sum_through(sum_one_unit_short).message
    assert "have 3, 3 and 2 entries" in message and "raised" not in message
    message = check_relu_units_needed(units_float).message
    assert "float" in message and "int" in message


def test_a_wrong_sum_is_located_in_the_words_of_a_sum():
    def off_by_one(t, y):
        c, w, b, omega = sum_vectorised(t, y)
        return c, w, b, np.append(omega[:-1], 0.0)

    result = check_relu_sum_through(off_by_one)
    assert result.diagnosis == "unknown"
    assert "your sum (its values at the knots and 7 points inside each cell) differs" in (
        result.message
    )


def test_a_failure_of_the_sum_reading_is_the_checks_own_not_the_students(monkeypatch):
    from dataclasses import replace

    broken = replace(RELU_SUM, compare=lambda args, output: 1 / 0)
    result = broken.check(sum_vectorised)
    assert result.diagnosis == "check_failed" and "tell your instructor" in result.message


@pytest.mark.parametrize(
    "check", [check_relu_sum_through, check_relu_units_needed, check_compose_with_affine]
)
@pytest.mark.parametrize("thing", [None, 3.0, "relu", np.zeros(3)])
def test_a_check_given_something_else_than_a_function_never_raises(check, thing):
    result = check(thing)
    assert result.status == "error" and result.diagnosis == "not_callable"


def test_no_verdict_of_6_2_shows_a_count_the_answer_gives():
    """The spec tests skip whole numbers; a count of units is one, so it is checked here."""
    import re

    from bpcourse.exercises.universal_approximation import UNITS
    from tests.exercises.battery_06 import BATTERY

    counts = {approximation.units_needed(*case.args) for case in UNITS.cases()} - set(range(6))
    for answer, _ in BATTERY["relu_units_needed"]["wrong"]:
        if answer is units_float or answer.__name__ == "units_float":
            continue  # it quotes the student's own value, to say that it is a float
        shown = {
            int(m)
            for m in re.findall(
                r"(?<![\d.e-])\d+(?![\d.])", check_relu_units_needed(answer).message
            )
        }
        assert not shown & counts, check_relu_units_needed(answer).message


def test_the_student_edition_imports_only_what_it_uses():
    """An import only a solution cell uses would stay in the student edition, unused, pointing
    at the answer: such imports go in that cell."""
    import ast
    import json
    from pathlib import Path

    from tools import editions

    path = Path(__file__).resolve().parents[1] / "notebooks" / "06_universal_approximation.ipynb"
    nb = editions.edition(json.loads(path.read_text(encoding="utf-8")), "student", path.name)[0]
    tree = ast.parse("\n".join(editions.source(c) for c in nb["cells"] if c["cell_type"] == "code"))
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not imported - used, f"imported, unused in the student edition: {imported - used}"
