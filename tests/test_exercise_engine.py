"""The engine every check stands on (bpcourse/exercises/engine.py), on small made-up exercises:
reading outputs, named non-results, the generic detectors, the guard, the verdict's display."""

import math

import numpy as np
import pytest
import sympy

from bpcourse.exercises import spec
from bpcourse.exercises.engine import attempt, judge
from bpcourse.exercises.reading import Opaque, plain
from bpcourse.exercises.result import error_bound
from bpcourse.exercises.spec import Case, Exercise, Mistake

rng = np.random.default_rng(0)
CASES = [Case((rng.normal(size=(3, 2)), rng.normal(size=2)), f"case {i}") for i in range(3)]


def multiply(A, x):
    return A @ x


def exercise(reference=multiply, cases=CASES, **kwargs):
    kwargs.setdefault("name", "multiply")
    return Exercise("0.1", "multiply", reference=reference, cases=lambda: cases, **kwargs)


def check(student, **kwargs):
    return exercise(**kwargs).check(student)


def test_a_stub_is_not_done_yet_and_falls_back_to_the_reference():
    def stub(A, x):
        raise NotImplementedError("Exercise 0.1: multiply")

    result = check(stub)
    assert result.status == "todo" and not result.ok
    assert result.function is multiply
    assert "not done yet" in repr(result)


def test_a_correct_answer_is_accepted_with_a_bound_that_does_not_depend_on_the_machine():
    def mine(A, x):
        return np.array([row @ x for row in A])

    result = check(mine)
    assert result.ok and result.function is mine
    assert repr(result) == (
        "✔ Exercise 0.1 (multiply): correct (largest relative error below 1e-12 on 3 cases)"
    )
    assert [error_bound(e) for e in (0.0, 3e-16, 2e-10, 5e-10)] == [
        "below 1e-12",
        "below 1e-12",
        "below 1e-9",
        "below 1e-9",
    ]


def test_whole_number_results_read_as_exact():
    cases = [Case((n,)) for n in (3, 5)]
    result = check(lambda n: n + 1, reference=lambda n: n + 1, cases=cases, integer=True)
    assert "every value exact on 2 cases" in repr(result)


def test_a_listed_mistake_is_named_without_the_answer():
    def forgot_a_row(A, x):
        return np.concatenate([A[:-1] @ x, [0.0]])

    hint = "look at the last row again"
    mistake = Mistake("last_row", hint, lambda A, x: np.concatenate([A[:-1] @ x, [0.0]]))
    result = check(forgot_a_row, mistakes=(mistake,))
    assert result.status == "mistake" and result.diagnosis == "last_row"
    assert hint in result.message and result.function is multiply


def test_a_mistake_declared_as_data_switches_the_variant():
    def variant(A, x, *, scale=1.0):
        return scale * (A @ x)

    mistake = Mistake("doubled", "twice the value", changes={"scale": 2.0})
    result = check(lambda A, x: 2 * A @ x, variant=variant, mistakes=(mistake,))
    assert result.diagnosis == "doubled"


def test_a_mistake_whose_index_changes_from_case_to_case_is_named():
    def one_row(A, x):  # the student kept one row, not always the same one
        return A[len(A) % 2] @ x

    mistake = Mistake("one_row", "one row only", lambda A, x: [r @ x for r in A], any_of=True)
    result = check(one_row, reference=lambda A, x: np.sum(A @ x), mistakes=(mistake,))
    assert result.diagnosis == "one_row"


def test_generic_sign_transpose_shape_and_constant_factor_are_recognised():
    cases = [Case((rng.normal(size=3), rng.normal(size=2))) for _ in range(3)]
    outer = exercise(reference=lambda a, b: np.outer(a, b), cases=cases)
    verdicts = [
        outer.check(answer).diagnosis
        for answer in (
            lambda a, b: -np.outer(a, b),
            lambda a, b: np.outer(b, a),
            lambda a, b: np.outer(a, b) / 2,
            lambda a, b: np.outer(a, b)[None],
        )
    ]
    assert verdicts == ["sign", "transpose", "scale", "shape"]


def test_an_unrecognised_difference_is_wrong_and_an_exception_is_reported():
    wrong = check(lambda A, x: A @ x + 1.0)
    assert wrong.status == "wrong" and "differs" in wrong.message

    def crashes(A, x):
        return A @ np.ones(5)

    error = check(crashes)
    assert error.status == "error" and "ValueError" in error.message and "case 1" in error.message


def test_wrong_shape_and_nan_are_reported_as_such():
    assert "shape" in check(lambda A, x: np.zeros(4)).message
    assert "NaN" in check(lambda A, x: np.full(3, np.nan)).message


def test_the_student_function_cannot_change_the_cases():
    def vandal(A, x):
        x[:] = 0
        raise NotImplementedError

    before = [c.args[1].copy() for c in CASES]
    check(vandal)
    assert all(np.array_equal(b, c.args[1]) for b, c in zip(before, CASES))


def test_passing_a_call_instead_of_the_function_is_explained_not_raised():
    result = check(multiply(*CASES[0].args))
    assert result.status == "error" and result.diagnosis == "not_callable"
    assert "function itself" in result.message


# ----- answers that are not results: each named exactly -------------------------------------
def _gen(A, x):
    return (v for v in A @ x)


class Cheat:
    """An object that claims to be close to anything."""

    def __abs__(self):
        return 0.0

    def __sub__(self, other):
        return self

    __rsub__ = __sub__

    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda A, x: None, "forget a `return`"),
        (_gen, "a generator"),
        (lambda A, x: map(float, A @ x), "a map object"),
        (lambda A, x: sympy.Symbol("x") + 1, "sympy expression"),
        (lambda A, x: "A @ x", "a string"),
        (lambda A, x: {"y": A @ x}, "a dict"),
        (lambda A, x: multiply, "a function"),
        (lambda A, x: Cheat(), "an object of type Cheat"),
        (lambda A, x: (A @ x).astype(complex), "complex"),
    ],
)
def test_a_non_result_is_named_and_never_blamed_as_raised(answer, words):
    result = check(answer)
    assert result.status == "error" and result.diagnosis == "not_a_result"
    assert words in result.message and "raised" not in result.message


def test_plain_copies_numbers_and_arrays_and_names_everything_else():
    array = np.arange(3.0)
    copied = plain([array, (1, 2.5)])
    assert copied[0] is not array and type(copied[0]) is np.ndarray
    assert plain(np.float32(1.5)).dtype == np.float32
    assert plain(np.ma.masked_array([1.0, 2.0])).__class__ is np.ndarray
    assert plain(Cheat()) == Opaque("an object of type Cheat")
    assert plain(iter([1])).kind.startswith("an object of type")


def test_the_wrong_number_of_values_is_named_with_their_names():
    def two(A, x):
        return A @ x, A

    def three(A, x):
        return A @ x, A.T @ (A @ x), x.sum()

    result = check(three, reference=two, returns=("y", "A"))
    assert result.diagnosis == "not_a_result"
    assert "3 value(s), expected 2 (y, A)" in result.message


def test_a_float_where_an_int_is_asked_is_named():
    cases = [Case((3,)), Case((5,))]
    count = exercise(reference=lambda n: n + 1, cases=cases, integer=True)
    result = count.check(lambda n: float(n + 1))
    assert result.diagnosis == "not_a_result" and "float" in result.message
    assert count.check(lambda n: np.int64(n + 1)).ok


def test_lists_pass_where_allowed_and_are_named_where_not():
    assert check(lambda A, x: list(A @ x)).ok
    strict = check(lambda A, x: list(A @ x), lists=False)
    assert strict.diagnosis == "not_a_result" and "NumPy array" in strict.message


def test_right_answers_in_other_styles_pass():
    styles = [
        lambda A, x: np.dot(A, x),
        lambda A, x: np.einsum("ij,j->i", A, x),
        lambda A, x: np.array([sum(a * b for a, b in zip(row, x)) for row in A]),
        lambda A, x: (A.astype(np.float64) * x).sum(axis=1),
    ]
    for style in styles:
        assert check(style).ok


def test_a_small_entry_is_judged_against_its_own_size():
    def spread(v):
        return v * np.array([1e4, 1.0, 1e-4])

    cases = [Case((np.array([1.0, 2.0, 3.0]),)), Case((np.array([-1.0, 0.5, 2.0]),))]

    def small_entry_off(v):
        out = spread(v)
        out[2] *= 1.001  # 0.1 % off: invisible relative to the largest entry
        return out

    result = check(small_entry_off, reference=lambda v: spread(v), cases=cases)
    assert result.status == "wrong" and "1 of 3 entries" in result.message


def test_float32_is_named_as_single_precision():
    result = check(lambda A, x: A.astype(np.float32) @ x.astype(np.float32))
    assert result.diagnosis == "precision" and "float32" in result.message


# ----- generic detectors ---------------------------------------------------------------------
def test_an_input_changed_in_place_is_named_even_when_the_values_are_right():
    def in_place(A, x):
        y = A @ x
        x *= 2  # changes the caller's x
        return y

    result = check(in_place)
    assert result.diagnosis == "modified_input" and "`x`" in result.message


def test_a_shallow_copy_after_an_in_place_update_is_told_apart():
    def step(weights, lr):
        return [w - lr for w in weights]

    cases = [Case(([np.ones(2), np.zeros(3)], 0.1))]
    stepper = exercise(reference=step, cases=cases, name="step")

    def in_place(weights, lr):
        for w in weights:
            w -= lr
        return weights

    def shallow(weights, lr):
        new = weights.copy()
        for w in new:
            w -= lr
        return new

    first, second = stepper.check(in_place), stepper.check(shallow)
    assert first.diagnosis == second.diagnosis == "modified_input"
    assert "returns it" in first.message
    assert "shallow copy" in second.message and "returns it" not in second.message


def test_outputs_in_another_order_are_named():
    def pair(a, b):
        return np.outer(a, b), a.sum()

    cases = [Case((rng.normal(size=3), rng.normal(size=2))) for _ in range(3)]
    result = check(
        lambda a, b: (a.sum(), np.outer(a, b)), reference=pair, cases=cases, returns=("M", "t")
    )
    assert result.diagnosis == "output_order" and "(M, t)" in result.message


def test_a_factor_that_changes_with_the_case_is_named_as_a_size():
    def mean_rows(X):
        return X.sum(axis=0) / len(X)

    cases = [Case((rng.normal(size=(n, 3)),), sizes={"N": n, "D": 3}) for n in (2, 5, 7)]
    summed = check(lambda X: X.sum(axis=0), reference=mean_rows, cases=cases)
    assert summed.diagnosis == "scale" and "N times" in summed.message
    twice = check(lambda X: X.sum(axis=0) / len(X) ** 2, reference=mean_rows, cases=cases)
    assert twice.diagnosis == "scale" and "1/N times" in twice.message


def test_a_factor_shared_by_values_of_different_depths_is_named():
    def grads(n):
        return [np.arange(1.0, k + 2) for k in range(n)]

    cases = [Case((n,), sizes={"N": n + 1}) for n in (1, 2, 3)]
    result = check(lambda n: [g / 2 for g in grads(n)], reference=lambda n: grads(n), cases=cases)
    assert result.diagnosis == "scale" and "1/2 times" in result.message


def test_one_value_wrong_says_which_and_which_are_right():
    def three(A, x):
        return A @ x, A.T, x * 2

    def last_off(A, x):
        return A @ x, A.T, x * 2 + np.array([0.0, 1.0])

    result = check(last_off, reference=three, returns=("y", "At", "z"))
    assert result.status == "wrong"
    assert "z differs" in result.message and "y, At are right" in result.message


def test_a_bug_in_the_check_itself_is_never_blamed_on_the_student():
    def broken_reference(A, x):
        raise KeyError("the reference's own bug")

    result = check(multiply, reference=broken_reference)
    assert result.status == "error" and result.diagnosis == "check_failed"
    assert "your function raised" not in result.message


# ----- the guard: time, exits, floating-point settings, the course's functions ---------------
def test_an_endless_loop_is_stopped_within_the_budget(monkeypatch):
    monkeypatch.setattr(spec, "TIME_BUDGET", 0.3)

    def sleepy(A, x):
        import time

        time.sleep(60)

    result = check(sleepy)
    assert result.diagnosis == "timeout" and "0.3 seconds" in result.message


def test_a_budget_also_holds_outside_the_main_thread(monkeypatch):
    import threading

    monkeypatch.setattr(spec, "TIME_BUDGET", 0.3)
    found = []

    def endless(A, x):
        while True:
            pass

    thread = threading.Thread(target=lambda: found.append(check(endless)))
    thread.start()
    thread.join(10)
    assert found and found[0].diagnosis == "timeout"


def test_floating_point_settings_of_the_notebook_do_not_change_the_verdict():
    old = np.seterr(all="raise")
    try:
        cases = [Case((np.array([1e300, 2.0]),))]
        assert check(lambda v: v * 10, reference=lambda v: v * 10, cases=cases).ok
    finally:
        np.seterr(**old)


def test_warnings_are_named_where_the_prompt_asks_for_a_computation_without_them():
    cases = [Case((np.array([-800.0, 0.0, 800.0]),))]

    def stable(m):
        return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))

    def both_branches(m):
        return np.where(m > 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))

    def silenced(m):
        with np.errstate(all="ignore"):
            return both_branches(m)

    quiet = exercise(reference=lambda m: stable(m), cases=cases, warning_free=True)
    assert quiet.check(stable).ok
    assert quiet.check(both_branches).diagnosis == "warnings"
    hidden = quiet.check(silenced)
    assert hidden.diagnosis == "warnings" and "silenced" in hidden.message
    named = Mistake("overflow_warning", "exp of a large positive number", warned=True)
    declared = exercise(
        reference=lambda m: stable(m), cases=cases, warning_free=True, mistakes=(named,)
    )
    assert declared.check(silenced).diagnosis == "overflow_warning"


def test_calling_a_forbidden_function_is_named_and_finite_differences_where_derived():
    def derivative(t):
        return -math.sin(t)

    def numerical_derivative(f, t, h=1e-6):
        return (f(t + h) - f(t - h)) / (2 * h)

    cases = [Case((t,)) for t in (0.3, 1.1)]
    forbidding = exercise(reference=derivative, cases=cases, forbidden=(derivative,), derive=True)
    assert forbidding.check(lambda t: derivative(t)).diagnosis == "uses_reference"
    by_fd = forbidding.check(lambda t: numerical_derivative(math.cos, t))
    assert by_fd.diagnosis == "finite_differences"
    assert forbidding.check(lambda t: -math.sin(t)).ok


def test_attempt_and_judge_exchange_only_plain_data():
    calls = attempt(exercise(), lambda A, x: Cheat(), CASES)
    assert isinstance(calls[0].output, Opaque)
    status, message, key, _ = judge(exercise(), CASES, calls)
    assert (status, key) == ("error", "not_a_result")


# ----- re-running, the usable version, the display ---------------------------------------------
def test_rerunning_a_check_gives_the_same_verdict_and_never_swaps_the_function():
    def wrong(A, x):
        return A @ x + 1.0

    assert {check(wrong).status for _ in range(3)} == {"wrong"}
    first = check(wrong)
    assert first.student is wrong and first.function is multiply


def test_usable_says_which_function_it_calls():
    used = check(lambda A, x: -(A @ x)).usable
    assert not used.is_yours
    assert repr(used) == "using the reference multiply until Exercise 0.1 passes"
    A, x = CASES[0].args
    assert np.array_equal(used(A, x), multiply(A, x))

    def mine(A, x):
        return np.dot(A, x)

    right = check(mine)
    assert right.usable.is_yours and right.usable.function is mine
    assert repr(right.usable) == "using your multiply (Exercise 0.1 passed)"


def test_the_html_verdict_has_a_coloured_symbol_a_word_and_the_same_text():
    right = check(lambda A, x: np.dot(A, x))
    wrong = check(lambda A, x: -(A @ x))

    def todo(A, x):
        raise NotImplementedError

    todo_html = check(todo)._repr_html_()
    assert "#1a7f37" in right._repr_html_() and "✔" in right._repr_html_()
    assert 'aria-hidden="true"' in right._repr_html_()
    assert "#b42318" in wrong._repr_html_() and "not yet" in wrong._repr_html_()
    assert "not done yet" in todo_html and "#57606a" in todo_html
    assert "word-break: normal" in wrong._repr_html_()
    assert "largest relative error" in right._repr_html_()
    assert repr(wrong).startswith("✘ Exercise 0.1 (multiply): not yet:")


def test_an_exercise_may_be_judged_by_what_its_output_stands_for():
    from bpcourse.exercises.reading import NotAResult

    def roots(p, q):  # of x^2 + p x + q, in any order
        d = np.sqrt(p * p / 4 - q)
        return [-p / 2 - d, -p / 2 + d]

    def as_set(args, output):
        values = np.asarray(output, dtype=float)
        if values.shape != (2,):
            raise NotAResult(
                f"your result holds {values.size} roots; x^2 + p x + q has two", key="root_count"
            )
        return np.sort(values)

    cases = [Case((p, q)) for p, q in ((-3.0, 2.0), (1.0, -6.0))]
    quadratic = exercise(
        reference=roots,
        cases=cases,
        compare=as_set,
        name="roots",
        mistakes=(Mistake("sign", "p's sign", lambda p, q: roots(-p, q)),),
    )

    def mine(p, q, sign=1):  # the larger root first
        d = np.sqrt(p * p / 4 - q)
        return np.array([-sign * p / 2 + d, -sign * p / 2 - d])

    assert quadratic.check(mine).ok
    assert quadratic.check(lambda p, q: mine(p, q, sign=-1)).diagnosis == "sign"
    assert quadratic.check(lambda p, q: [1.0]).diagnosis == "root_count"


def test_a_none_from_a_list_method_is_explained():
    def two_lists(n):
        return [np.ones(2)] * n, [np.zeros(2)] * n

    def reversed_in_place(n):
        first, second = two_lists(n)
        return first.reverse(), second.reverse()

    result = check(
        reversed_in_place, reference=lambda n: two_lists(n), returns=("a", "b"), cases=[Case((2,))]
    )
    assert result.diagnosis == "not_a_result" and ".reverse()" in result.message


def test_the_outermost_call_of_the_course_answer_is_named():
    def inner(v):
        return 2 * v

    def outer(v):
        return inner(v) + 1

    cases = [Case((np.ones(2),))]
    forbidding = exercise(reference=lambda v: 2 * v + 1, cases=cases, forbidden=(inner, outer))
    assert "outer" in forbidding.check(lambda v: outer(v)).message


def test_a_factor_is_named_when_one_case_has_a_factor_of_one():
    def mean_rows(X):
        return X.sum(axis=0) / len(X)

    cases = [Case((rng.normal(size=(n, 3)),), sizes={"N": n}) for n in (1, 4, 6)]
    summed = check(lambda X: X.sum(axis=0), reference=lambda X: mean_rows(X), cases=cases)
    assert summed.diagnosis == "scale" and "N times" in summed.message


def test_a_mistake_seen_in_what_a_function_raises_is_named():
    called = Mistake(
        "not_callable_hint", "call f.apply(x), not f(x)", raised=r"^TypeError: .*not callable"
    )

    def wrong(A, x):
        return A(x)

    result = check(wrong, mistakes=(called,))
    assert result.diagnosis == "not_callable_hint" and "f.apply" in result.message
    assert check(lambda A, x: A @ x.nope, mistakes=(called,)).diagnosis == "raised"


def test_values_cut_to_whole_numbers_are_named():
    cases = [Case((np.array([1.7, -2.2, 3.5]),)), Case((np.array([0.4, 9.9]),))]
    halved = exercise(reference=lambda v: v * 1.0, cases=cases)
    assert halved.check(lambda v: v.astype(int)).diagnosis == "rounded"
    assert halved.check(lambda v: np.floor(v)).diagnosis == "rounded"


def test_values_rounded_to_decimals_or_significant_digits_are_named_with_the_grid():
    values = np.array([-0.83558932, 17.000000041399375, 1e-22, -1234.56789, 3e-300, 0.0])
    cases = [Case((values,)), Case((values[::-1] * 3.1,))]
    same = exercise(reference=lambda v: v * 1.0, cases=cases)
    for student, grid in (
        (lambda v: np.round(v, 4), "4 decimals"),
        (lambda v: np.round(v, 7), "7 decimals"),
        (lambda v: np.trunc(v * 100) / 100, "2 decimals"),
        (lambda v: np.array([float(f"{x:.6g}") for x in v]), "6 significant digits"),
        (lambda v: np.array([float(f"{x:.3g}") for x in v]), "3 significant digits"),
    ):
        result = same.check(student)
        assert result.diagnosis == "rounded" and f"rounded to {grid}" in result.message
    # close to the right values but not on any grid: not "rounded"
    assert same.check(lambda v: v * (1 + 1e-5)).diagnosis != "rounded"
    assert same.check(lambda v: v + 0.003).diagnosis != "rounded"
    # a whole-number answer where whole numbers are right is not rounding
    counts = exercise(reference=lambda v: np.round(v), cases=cases)
    assert counts.check(lambda v: np.floor(v)).diagnosis != "rounded"


def test_a_factor_below_the_line_reads_as_a_division():
    def mean_rows(X):
        return X.sum(axis=0) / len(X)

    cases = [Case((rng.normal(size=(n, 3)),), sizes={"B": n}) for n in (2, 4, 6)]
    half = check(lambda X: X.sum(axis=0) / 2, reference=lambda X: mean_rows(X), cases=cases)
    assert half.diagnosis == "scale" and "B/2 times" in half.message


def test_a_flattened_result_is_named_a_shape():
    cases = [Case((rng.normal(size=(3, 2)),)) for _ in range(2)]
    flat = exercise(reference=lambda a: a * 2.0, cases=cases)
    assert flat.check(lambda a: (a * 2.0).ravel()).diagnosis == "shape"
    assert flat.check(lambda a: (a * 2.0).T).diagnosis == "transpose"
