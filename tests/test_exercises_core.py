"""The machinery every exercise check stands on: todo, correct, named mistakes, fallback."""

import numpy as np
import pytest

import bpcourse.exercises as exercises
from bpcourse.exercises import Mistake, check

rng = np.random.default_rng(0)
CASES = [(rng.normal(size=(3, 2)), rng.normal(size=2)) for _ in range(3)]


def reference(A, x):
    return A @ x


def test_a_stub_is_not_done_yet_and_falls_back_to_the_reference():
    def stub(A, x):
        raise NotImplementedError("Exercise 0.1: multiply")

    result = check("Exercise 0.1", stub, reference, CASES)
    assert result.status == "todo" and not result.ok
    assert result.function is reference
    assert "not done yet" in repr(result)


def test_a_correct_answer_is_accepted_with_its_evidence():
    def mine(A, x):
        return np.array([row @ x for row in A])

    result = check("Exercise 0.1", mine, reference, CASES)
    assert result.ok and result.function is mine
    assert result.evidence["max_error"] < 1e-12
    assert repr(result).startswith("✔ Exercise 0.1: correct (largest relative error")


def test_a_listed_mistake_is_named_without_the_answer():
    def forgot_a_row(A, x):
        return np.concatenate([A[:-1] @ x, [0.0]])

    hint = "look at the last row again"
    mistake = Mistake("last_row", hint, lambda A, x: np.concatenate([A[:-1] @ x, [0.0]]))
    result = check("Exercise 0.1", forgot_a_row, reference, CASES, mistakes=[mistake])
    assert result.status == "mistake" and result.diagnosis == "last_row"
    assert hint in result.message and result.function is reference


def test_generic_sign_transpose_and_constant_factor_are_recognised():
    def outer(a, b):
        return np.outer(a, b)

    cases = [(rng.normal(size=3), rng.normal(size=2)) for _ in range(3)]
    sign = check("E", lambda a, b: -np.outer(a, b), outer, cases)
    transposed = check("E", lambda a, b: np.outer(b, a), outer, cases)
    halved = check("E", lambda a, b: np.outer(a, b) / 2, outer, cases)
    assert (sign.diagnosis, transposed.diagnosis, halved.diagnosis) == (
        "sign",
        "transpose",
        "scale",
    )
    assert halved.evidence["factor"] == pytest.approx(0.5)


def test_an_unrecognised_difference_is_wrong_and_an_exception_is_reported():
    wrong = check("E", lambda A, x: A @ x + 1.0, reference, CASES)
    assert wrong.status == "wrong" and "differs" in wrong.message

    def crashes(A, x):
        return A @ np.ones(5)

    error = check("E", crashes, reference, CASES)
    assert error.status == "error" and "ValueError" in error.message


def test_wrong_shape_and_nan_are_reported_as_such():
    assert "shape" in check("E", lambda A, x: np.zeros(4), reference, CASES).message
    assert "NaN" in check("E", lambda A, x: np.full(3, np.nan), reference, CASES).message


def test_the_student_function_cannot_change_the_cases():
    def vandal(A, x):
        x[:] = 0
        raise NotImplementedError

    before = [c[1].copy() for c in CASES]
    check("E", vandal, reference, CASES)
    assert all(np.array_equal(b, c[1]) for b, c in zip(before, CASES))


def test_passing_a_call_instead_of_the_function_is_explained():
    with pytest.raises(TypeError, match="takes your function itself"):
        check("E", reference(*CASES[0]), reference, CASES)


def test_every_topic_check_is_exported_from_the_package():
    names = [n for n in dir(exercises) if n.startswith("check_")]
    assert len(names) >= 8
    assert all(callable(getattr(exercises, n)) for n in names)
