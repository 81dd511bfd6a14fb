"""The cases of notebook 09's checks do what their descriptions say (bpcourse.exercises.digits).

The answers themselves are in tests/exercises/battery_09.py; these tests hold the cases and the
references: the domain the cases cover, that the scores near +-1000 are where a softmax
computed as written breaks (and only there), and that the references agree with independent
formulas and with the variants the mistakes are built from. The last ones hold what the
notebook tells of the pieces (what layer_forward returns, where layer_backward's 1/N lives,
what 9.4's check refuses) and that the training figure calls the network the student's only
when every piece that trained and measured it is.
"""

import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from bpcourse import MLP
from bpcourse.activations import identity, tanh
from bpcourse.exercises import check_confusion_matrix
from bpcourse.exercises.digits import (
    LARGE,
    _confusion_cases,
    _gradient_cases,
    _predict_cases,
    _step_cases,
    _step_variant,
    check_sgd_step,
    confusion_matrix_reference,
    predict_labels_reference,
    sgd_step_reference,
    softmax_cross_entropy_gradient_reference,
)
from bpcourse.losses import cross_entropy
from bpcourse.mlp import layer_backward, layer_forward
from tools import make_student
from tools.editions import strip_solutions


def naive_softmax(s):
    with np.errstate(all="ignore"):
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)


def test_the_large_scores_and_only_they_break_a_softmax_computed_as_written():
    for cases in (_gradient_cases(), _predict_cases()):
        for case in cases:
            broken = not np.all(np.isfinite(naive_softmax(case.args[0])))
            assert broken == (LARGE in case.describe), case.describe
    assert sum(LARGE in c.describe for c in _gradient_cases()) == 2


def test_the_gradient_cases_cover_one_sample_two_classes_repeated_labels_and_scales():
    cases = [c.args for c in _gradient_cases()]
    assert any(s.shape[0] == 1 for s, _ in cases) and any(s.shape[1] == 2 for s, _ in cases)
    assert any(len(set(y)) < len(y) for _, y in cases)
    assert all(s.shape[0] != s.shape[1] for s, _ in cases)  # a transpose cannot pass
    scales = [np.abs(s).max() for s, _ in cases]
    assert min(scales) < 0.01 and max(scales) > 999


def test_the_gradient_reference_is_softmax_minus_onehot_over_n():
    for case in _gradient_cases():
        s, y = case.args
        z = s - s.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        want = (p - np.eye(s.shape[1])[y]) / len(y)
        got = softmax_cross_entropy_gradient_reference(s, y)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_the_predict_reference_is_the_largest_score_and_no_row_has_a_tie():
    for case in _predict_cases():
        (s,) = case.args
        assert all(len(set(row)) == len(row) for row in s.tolist())
        want = [max(range(len(row)), key=row.__getitem__) for row in s.tolist()]
        assert predict_labels_reference(s).tolist() == want


def test_the_step_cases_cover_one_layer_one_sample_and_saturated_units():
    cases = [c.args for c in _step_cases()]
    assert any(len(w) == 1 for w, *_ in cases) and any(len(w) == 3 for w, *_ in cases)
    assert any(X.shape[0] == 1 for _, _, X, _, _ in cases)
    saturated = 0
    for weights, biases, X, _, _ in cases:
        if len(weights) > 1:
            saturated += int(np.sum(np.abs(np.tanh(X @ weights[0].T + biases[0])) > 0.95))
    assert saturated > 0


def test_the_step_reference_is_the_plain_backward_pass_and_leaves_its_arguments():
    for case in _step_cases():
        before = [a.copy() for a in case.args[0] + case.args[1]]
        got, want = sgd_step_reference(*case.args), _step_variant(*case.args)
        for g, w in zip(got[0] + got[1], want[0] + want[1]):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)
        assert all(np.array_equal(a, b) for a, b in zip(before, case.args[0] + case.args[1]))


def test_the_confusion_cases_cover_one_sample_an_absent_class_and_repeated_pairs():
    cases = [c.args for c in _confusion_cases()]
    assert any(len(y) == 1 for y, _, _ in cases)
    assert any(len(set(y) | set(p)) < K for y, p, K in cases)
    for y_true, y_pred, K in cases:
        C = np.zeros((K, K), dtype=int)
        for t, p in zip(y_true, y_pred):
            C[t, p] += 1
        assert np.array_equal(confusion_matrix_reference(y_true, y_pred, K), C)
    assert any(confusion_matrix_reference(*c).max() > 1 for c in cases)


def test_an_in_place_step_is_told_apart_from_a_shallow_copy():
    def in_place(weights, biases, X, y, lr):
        new = _step_variant(weights, biases, X, y, lr)
        for old, updated in zip(weights + biases, new[0] + new[1]):
            old -= old - updated
        return weights, biases

    def shallow(weights, biases, X, y, lr):
        new_w, new_b = list(weights), list(biases)
        updated = _step_variant(weights, biases, X, y, lr)
        for old, new in zip(new_w + new_b, updated[0] + updated[1]):
            old -= old - new
        return new_w, new_b

    first, second = check_sgd_step(in_place), check_sgd_step(shallow)
    assert first.diagnosis == second.diagnosis == "modified_input"
    assert "shallow copy" in second.message
    assert "shallow copy" not in first.message and "returns it" in first.message


# ----- what the notebook says of the pieces, and whose network it trained -----------------------
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "09_digits.ipynb"


def _cell(nb, starts):
    return next(c for c in nb.cells if c.source.startswith(starts))


def test_the_prompts_say_what_the_pieces_return_and_what_the_checks_refuse():
    nb = nbformat.read(NOTEBOOK, 4)
    # 9.3: layer_forward returns (s, x), as the prompt says
    assert "it returns `(s, x)`" in _cell(nb, "### Exercise 9.3").source
    rng = np.random.default_rng(3)
    x_prev, w, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    s, x = layer_forward(x_prev, w, b, tanh)
    np.testing.assert_allclose(s, x_prev @ w.T + b, rtol=1e-12)
    np.testing.assert_allclose(x, np.tanh(s), rtol=1e-12)
    # 9.4: scikit-learn's confusion_matrix is refused, as the prompt says
    assert (
        "scikit-learn's `confusion_matrix` is not an answer" in _cell(nb, "### Exercise 9.4").source
    )

    def by_sklearn(y_true, y_pred, K):
        return sklearn_confusion_matrix(y_true, y_pred, labels=list(range(K)))

    assert check_confusion_matrix(by_sklearn).diagnosis == "uses_reference"


def test_the_pasted_layer_backward_says_where_the_1_over_n_lives_and_it_does():
    """The stub a student sees says, in 04's words, that dL_dx carries the mean's 1/N and that
    the gradients returned are of that same loss; the package's pieces agree."""
    student, _ = make_student.student_notebook(json.loads(NOTEBOOK.read_text()), NOTEBOOK.name)
    stub = next(
        "".join(c["source"])
        for c in student["cells"]
        if "def layer_backward(" in "".join(c["source"])
    )
    doc = " ".join(stub.split("def layer_backward(")[1].split('"""')[1].split())
    assert "of the mean loss" in doc and "the mean's 1/N already in them" in doc
    assert "gradients of that same mean loss" in doc and "no further 1/N" in doc
    net = MLP([3, 4], activation="tanh", output_activation="identity", seed=1)
    X, y = np.random.default_rng(2).normal(size=(5, 3)), np.array([0, 3, 1, 1, 2])
    s = X @ net.weights[0].T + net.biases[0]
    dL_dx = cross_entropy(s, y)[1]  # of the mean loss: its rows carry the 1/N
    _, dL_dw, dL_db = layer_backward(dL_dx, s, X, net.weights[0], identity)
    _, grad_w, grad_b = net.gradients(X, y, loss="cross_entropy")  # of the mean loss
    np.testing.assert_allclose(dL_dw, grad_w[0], rtol=1e-12)
    np.testing.assert_allclose(dL_db, grad_b[0], rtol=1e-12)


def _stubbed(source, function):
    """`source` with the solution of `function` (one of the functions of the cell) stubbed."""
    head, tail = source.split(f"def {function}(", 1)
    body, rest = tail.split("# END SOLUTION", 1)
    stubbed, count = strip_solutions(f"def {function}({body}# END SOLUTION")
    assert count == 1
    return head + stubbed + rest


@pytest.mark.parametrize("function", ["layer_backward", "mlp_forward"])
def test_the_training_figure_says_which_reference_stands_in(function, tmp_path, monkeypatch):
    """With the student's sgd_step right but one pasted piece still the reference, the training
    figure and the line after it do not call the network the student's: they name the stand-in."""
    nb = nbformat.read(NOTEBOOK, 4)
    pieces = next(i for i, c in enumerate(nb.cells) if "def layer_backward(" in c.source)
    nb.cells[pieces].source = _stubbed(nb.cells[pieces].source, function)
    last = next(i for i, c in enumerate(nb.cells) if "vs MLP.fit with the same seeds" in c.source)
    probe = nbformat.v4.new_code_cell("print(repr(fig.get_suptitle()))")
    nb.cells = nb.cells[: last + 1] + [probe]
    monkeypatch.delenv("BPCOURSE_FIGURES_DIR", raising=False)  # write no figure
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    def printed(cell):
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")

    training = next(c for c in nb.cells if "print(sgd_step_used)" in c.source)
    assert "using your sgd_step" in printed(training)  # the case of the finding
    title, line = printed(probe), printed(nb.cells[last])
    stand_in = f"the reference {function} standing in for yours"
    assert "Your network" not in title and stand_in in title, title
    assert line.startswith(f"The network ({stand_in}) vs MLP.fit"), line


def test_the_test_set_is_read_once_at_the_end():
    """09 says the test set is used once, at the very end: X_test and y_test appear in the
    cell that splits the data and in the last code cell only."""
    code = [c for c in json.loads(NOTEBOOK.read_text())["cells"] if c["cell_type"] == "code"]
    readers = [
        index
        for index, cell in enumerate(code)
        if re.search(r"\b[Xy]_test\b", "".join(cell["source"]))
    ]
    splits = [i for i in readers if "train_test_split" in "".join(code[i]["source"])]
    assert len(splits) == 1 and readers == [splits[0], len(code) - 1], readers
