"""The cases of notebook 09's checks do what their descriptions say (bpcourse.exercises.digits).

The answers themselves are in tests/exercises/battery_09.py; these tests hold the cases and the
references: the domain the cases cover, that the scores near +-1000 are where a softmax
computed as written breaks (and only there), and that the references agree with independent
formulas and with the variants the mistakes are built from.
"""

import numpy as np

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
