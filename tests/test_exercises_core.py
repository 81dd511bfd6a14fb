"""The machinery every exercise check stands on: todo, correct, named mistakes, fallback."""

import numpy as np
import pytest
import sympy

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


def test_passing_a_call_instead_of_the_function_is_explained_not_raised():
    result = check("E", reference(*CASES[0]), reference, CASES)
    assert result.status == "error" and result.diagnosis == "not_callable"
    assert "function itself" in result.message


def test_every_topic_check_is_exported_from_the_package():
    names = [n for n in dir(exercises) if n.startswith("check_")]
    assert len(names) >= 8
    assert all(callable(getattr(exercises, n)) for n in names)


# ----- answers that are not results: each named exactly -------------------------------------
def _gen(A, x):
    return (v for v in A @ x)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda A, x: None, "forget a `return`"),
        (_gen, "a generator"),
        (lambda A, x: map(float, A @ x), "a map object"),
        (lambda A, x: sympy.Symbol("x") + 1, "sympy expression"),
        (lambda A, x: "A @ x", "a string"),
        (lambda A, x: {"y": A @ x}, "a dict"),
        (lambda A, x: reference, "a function"),
    ],
)
def test_a_non_result_is_named_and_never_blamed_as_raised(answer, words):
    result = check("E", answer, reference, CASES)
    assert result.status == "error" and result.diagnosis == "not_a_result"
    assert words in result.message and "raised" not in result.message


def test_the_wrong_number_of_values_is_named_with_their_names():
    def two(A, x):
        return A @ x, A

    def three(A, x):
        return A @ x, A.T @ (A @ x), x.sum()

    result = check("E", three, two, CASES, names=("y", "A"))
    assert result.diagnosis == "not_a_result"
    assert "3 value(s), expected 2 (y, A)" in result.message


def test_a_float_where_an_int_is_asked_is_named():
    def count(n):
        return n + 1

    cases = [(3,), (5,)]
    result = check("E", lambda n: float(n + 1), count, cases, integer=True)
    assert result.diagnosis == "not_a_result" and "float" in result.message
    assert check("E", lambda n: np.int64(n + 1), count, cases, integer=True).ok


def test_lists_pass_where_allowed_and_are_named_where_not():
    as_list = check("E", lambda A, x: list(A @ x), reference, CASES)
    assert as_list.ok
    strict = check("E", lambda A, x: list(A @ x), reference, CASES, allow_lists=False)
    assert strict.diagnosis == "not_a_result" and "NumPy array" in strict.message


def test_right_answers_in_other_styles_pass():
    styles = [
        lambda A, x: np.dot(A, x),
        lambda A, x: np.einsum("ij,j->i", A, x),
        lambda A, x: np.array([sum(a * b for a, b in zip(row, x)) for row in A]),
        lambda A, x: (A.astype(np.float64) * x).sum(axis=1),
    ]
    for style in styles:
        assert check("E", style, reference, CASES).ok


# ----- entry by entry, each entry against its own scale ----------------------------------------
def test_a_small_entry_is_judged_against_its_own_size():
    def spread(v):
        return v * np.array([1e4, 1.0, 1e-4])

    cases = [(np.array([1.0, 2.0, 3.0]),), (np.array([-1.0, 0.5, 2.0]),)]

    def small_entry_off(v):
        out = spread(v)
        out[2] *= 1.001  # 0.1 % off: invisible relative to the largest entry
        return out

    assert check("E", small_entry_off, spread, cases).status == "wrong"
    assert "1 of 3 entries" in check("E", small_entry_off, spread, cases).message


def test_float32_is_named_as_single_precision():
    result = check("E", lambda A, x: A.astype(np.float32) @ x.astype(np.float32), reference, CASES)
    assert result.diagnosis == "precision" and "float32" in result.message


# ----- generic detectors ---------------------------------------------------------------------
def test_an_input_changed_in_place_is_named_even_when_the_values_are_right():
    def in_place(A, x):
        A *= 1.0
        x += 0.0
        y = A @ x
        x *= 2  # changes the caller's x
        return y

    result = check("E", in_place, reference, CASES)
    assert result.diagnosis == "modified_input" and "`x`" in result.message


def test_outputs_in_another_order_are_named():
    def pair(a, b):
        return np.outer(a, b), a.sum()

    cases = [(rng.normal(size=3), rng.normal(size=2)) for _ in range(3)]
    result = check("E", lambda a, b: (a.sum(), np.outer(a, b)), pair, cases, names=("M", "t"))
    assert result.diagnosis == "output_order" and "(M, t)" in result.message


def test_a_factor_that_changes_with_the_case_is_named_as_a_size():
    def mean_rows(X):
        return X.sum(axis=0) / len(X)

    cases = [(rng.normal(size=(n, 3)),) for n in (2, 5, 7)]
    sizes = [{"N": n, "D": 3} for n in (2, 5, 7)]
    summed = check("E", lambda X: X.sum(axis=0), mean_rows, cases, sizes=sizes)
    assert summed.diagnosis == "scale" and "N times" in summed.message
    twice = check("E", lambda X: X.sum(axis=0) / len(X) ** 2, mean_rows, cases, sizes=sizes)
    assert twice.diagnosis == "scale" and "1/N times" in twice.message


def test_one_value_wrong_says_which_and_which_are_right():
    def three(A, x):
        return A @ x, A.T, x * 2

    def last_off(A, x):
        return A @ x, A.T, x * 2 + np.array([0.0, 1.0])

    result = check("E", last_off, three, CASES, names=("y", "At", "z"))
    assert result.status == "wrong"
    assert "z differs" in result.message and "y, At are right" in result.message


def test_a_bug_in_the_check_itself_is_never_blamed_on_the_student():
    def broken_reference(A, x):
        raise KeyError("the reference's own bug")

    result = check("E", reference, broken_reference, CASES)
    assert result.status == "error" and result.diagnosis == "check_failed"
    assert "your function raised" not in result.message


# ----- re-running, the usable version, the display ---------------------------------------------
def test_rerunning_a_check_gives_the_same_verdict_and_never_swaps_the_function():
    def wrong(A, x):
        return A @ x + 1.0

    verdicts = {check("E", wrong, reference, CASES).status for _ in range(3)}
    assert verdicts == {"wrong"}
    first = check("E", wrong, reference, CASES)
    assert first.student is wrong and first.function is reference


def test_usable_says_which_function_it_calls():
    wrong = check("Exercise 0.1 (multiply)", lambda A, x: -(A @ x), reference, CASES)
    used = wrong.usable
    assert not used.is_yours
    assert repr(used) == "using the reference reference until Exercise 0.1 passes"
    A, x = CASES[0]
    assert np.array_equal(used(A, x), reference(A, x))

    def mine(A, x):
        return np.dot(A, x)

    right = check("Exercise 0.1 (multiply)", mine, reference, CASES, name="multiply")
    assert right.usable.is_yours and right.usable.function is mine
    assert repr(right.usable) == "using your multiply (Exercise 0.1 passed)"


def test_the_html_verdict_has_a_coloured_symbol_a_word_and_the_same_text():
    right = check("Exercise 0.1", lambda A, x: np.dot(A, x), reference, CASES)
    wrong = check("Exercise 0.1", lambda A, x: -(A @ x), reference, CASES)
    todo_html = check("Exercise 0.1", _todo, reference, CASES)._repr_html_()
    assert "#1a7f37" in right._repr_html_() and "✔" in right._repr_html_()
    assert ">correct</span>" not in right._repr_html_() or "correct" in right._repr_html_()
    assert 'aria-hidden="true"' in right._repr_html_()
    assert "#b42318" in wrong._repr_html_() and "not yet" in wrong._repr_html_()
    assert "not done yet" in todo_html and "#57606a" in todo_html
    assert "word-break: normal" in wrong._repr_html_()
    assert "largest relative error" in right._repr_html_()
    assert repr(wrong).startswith("✘ Exercise 0.1: not yet:")


def _todo(A, x):
    raise NotImplementedError
