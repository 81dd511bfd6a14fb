"""What the checks of notebooks 07 and 08 promise beyond their batteries.

The batteries (tests/exercises/battery_07.py, battery_08.py) hold the answers; here: the
retry on square batches speaks to a transposed product only, the cases cover the domain the
prompts name, no verdict on a battery answer shows a value the right answer produces, and the
reference that stands in until an exercise passes is the course's own, and 8.2's prompt says
what its check does with silenced warnings.
"""

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from bpcourse import logistic
from bpcourse.exercises import EXERCISES
from tests.exercises import battery_07, battery_08

ROOT = Path(__file__).resolve().parents[1]

WRONG = [
    pytest.param(name, fn, id=f"{name}-{fn.__name__}")
    for battery in (battery_07.BATTERY, battery_08.BATTERY)
    for name, entry in battery.items()
    for fn, _ in entry["wrong"]
]


def values_of_the_answer(name):
    """Every value the reference produces on the cases, as a message could print it."""
    exercise, shown = EXERCISES[name], set()
    with np.errstate(all="ignore"):
        outputs = [exercise.reference(*case.args) for case in exercise.cases()]
    for output in outputs:
        parts = output if isinstance(output, tuple) else (output,)
        for v in np.concatenate([np.ravel(p) for p in parts]):
            if np.isfinite(v) and abs(v) > 1e-3 and not float(v).is_integer():
                shown |= {f"{v:.3g}", f"{v:.4g}", f"{v:.6f}", f"{v:.3f}"}
    return shown


@pytest.mark.parametrize(("name", "answer"), WRONG)
def test_no_verdict_on_a_battery_answer_shows_a_value_of_the_answer(name, answer):
    message = EXERCISES[name].check(answer).message
    printed = set(re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", message))
    assert not printed & values_of_the_answer(name), message


def test_the_square_batch_retry_names_a_missing_transpose_and_quotes_the_error():
    result = EXERCISES["batch_gradient"].check(battery_07.batch_no_x_transpose)
    assert result.diagnosis == "x_not_transposed"
    assert "raised ValueError" in result.message


def test_an_answer_that_fails_for_one_sample_keeps_its_own_verdict():
    result = EXERCISES["batch_gradient"].check(battery_07.b_over_B_minus_1)
    assert result.diagnosis == "raised" and "ZeroDivisionError" in result.message
    assert "square" not in result.message and "transposed" not in result.message


def test_the_cases_cover_the_domains_the_prompts_name():
    descend = EXERCISES["descend"].cases()
    assert {len(c.args[1]) for c in descend} >= {1, 2, 4} and min(c.args[3] for c in descend) == 1
    hessians = [np.linalg.eigvalsh(c.args[0]) for c in EXERCISES["stable_lr"].cases()]
    assert {len(h) for h in hessians} >= {1, 2, 5}
    # eigvalsh rounds by kernel (999.9999999999995 under OpenBLAS Haswell): bounds, not digits
    assert min(h[0] for h in hessians) < 1.001e-4 and max(h[-1] for h in hessians) > 0.999e3
    batches = [c.args[0].shape for c in EXERCISES["batch_gradient"].cases()]
    assert any(B == 1 for B, _ in batches) and any(B < D for B, D in batches)
    assert any(B > D for B, D in batches) and not any(B == D for B, D in batches)
    gradient = EXERCISES["logistic_gradient"].cases()
    assert {c.args[4] for c in gradient if len(c.args) == 5} == {"sum", "mean"}
    assert any(len(c.args) == 4 for c in gradient)  # the default reduction, as later cells call it
    assert {c.args[2].shape[0] for c in gradient} >= {1, 13} and any(
        c.args[2].shape[1] == 1 for c in gradient
    )
    margins = np.concatenate([logistic.margins(*c.args[:4]) for c in gradient])
    assert margins.min() < -9 and margins.max() > 9
    m = np.concatenate([c.args[0].ravel() for c in EXERCISES["log_sigmoid"].cases()])
    size = np.abs(m[m != 0])
    assert np.any(m == 0) and size.min() <= 1e-4 and size.max() >= 1e150
    assert np.any((15 < m) & (m < 20)) and np.any((-20 < m) & (m < -15))  # a series cut-off
    assert np.any(np.abs(m) > 745) and {
        np.ndim(c.args[0]) for c in EXERCISES["log_sigmoid"].cases()
    } == {1, 2}


def test_until_an_exercise_passes_the_course_reference_stands_in():
    def stub(*args):
        raise NotImplementedError("Exercise: your code here")

    used = EXERCISES["logistic_gradient"].check(stub).usable
    assert repr(used) == "using the reference logistic_gradient until Exercise 8.1 passes"
    X, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([1.0, -1.0])
    dw, db = used(np.zeros(2), 0.0, X, y)  # reduction="sum" by default; sigma(0) = 1/2
    assert np.allclose(dw, [-0.25, -1.5]) and np.isclose(db, 0.0)
    used = EXERCISES["log_sigmoid"].check(stub).usable
    assert np.allclose(used(np.array([0.0, -1e4])), [-math.log(2), -1e4])
    used = EXERCISES["descend"].check(stub).usable
    assert used(lambda w: 2 * w, np.array([1.0]), 0.25, 2).tolist() == [[1.0], [0.5], [0.25]]


def test_the_log_sigmoid_prompt_says_the_check_names_silenced_warnings_and_it_does():
    """8.2's prompt once said the check cannot hear warnings an answer silences; it names them,
    by every way the prompt lists."""
    nb = nbformat.read(ROOT / "notebooks" / "08_logistic_regression.ipynb", 4)
    prompt = next(c.source for c in nb.cells if c.source.startswith("### Exercise 8.2"))
    prompt = " ".join(prompt.split())
    assert "names an answer that silences them" in prompt and "cannot hear" not in prompt
    for way, answer in (
        ("`np.errstate`", battery_08.ls_where_silenced),
        ("`np.seterr`", battery_08.ls_seterr),
        ("the `warnings` module", battery_08.ls_filterwarnings),
        ("the `warnings` module", battery_08.ls_catch_warnings),
    ):
        assert way in prompt
        assert EXERCISES["log_sigmoid"].check(answer).diagnosis == "overflow_warning", way
