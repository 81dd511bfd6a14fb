"""The checks of notebook 09's exercises, tried the way students answer them.

Right answers in several styles must pass; wrong answers of the kinds students write must be
rejected and named. Every answer here is written independently of the Mistake functions in
`bpcourse.exercises.digits`.
"""

import json

import numpy as np
import pytest

from bpcourse.exercises import (
    check_confusion_matrix,
    check_predict_labels,
    check_sgd_step,
    check_softmax_cross_entropy_gradient,
)

CHECKS = {
    "check_softmax_cross_entropy_gradient": check_softmax_cross_entropy_gradient,
    "check_predict_labels": check_predict_labels,
    "check_confusion_matrix": check_confusion_matrix,
    "check_sgd_step": check_sgd_step,
}


# ----- Exercise 9.1: right answers -------------------------------------------------------------
def grad_shifted(s, y):
    N = s.shape[0]
    p = np.exp(s - np.max(s, axis=1)[:, None])
    p = p / np.sum(p, axis=1)[:, None]
    p[np.arange(N), y] -= 1
    return p / N


def grad_logsumexp(s, y):
    N, K = s.shape
    m = s.max(axis=1, keepdims=True)
    log_p = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))
    return (np.exp(log_p) - np.eye(K)[y]) / N


def grad_loops(s, y):
    N, K = len(s), len(s[0])
    out = []
    for n in range(N):
        top = max(s[n])
        e = [np.exp(v - top) for v in s[n]]
        total = sum(e)
        out.append([(e[k] / total - (1.0 if k == y[n] else 0.0)) / N for k in range(K)])
    return out  # a list of lists: the prompt accepts it


def grad_float32_input_safe(s, y):
    s = np.asarray(s, dtype=np.float64)
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    return np.einsum("nk->nk", p - onehot) / len(y)


# ----- Exercise 9.1: wrong answers -------------------------------------------------------------
def grad_sum_not_mean(s, y):
    return grad_shifted(s, y) * len(s)


def grad_mean_over_everything(s, y):
    return grad_shifted(s, y) / s.shape[1]  # np.mean over N*K entries in the student's head


def grad_naive_exp(s, y):
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_forgot_onehot(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True) / len(s)


def grad_columns(s, y):
    p = np.exp(s - s.max(axis=0))
    p = p / p.sum(axis=0)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_every_row_every_label(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    p[:, y] -= 1
    return p / len(s)


def grad_sign(s, y):
    return -grad_shifted(s, y)


def grad_transposed(s, y):
    return grad_shifted(s, y).T


def grad_in_place(s, y):
    s -= s.max(axis=1, keepdims=True)  # changes the caller's scores
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_forgot_return(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p / len(y)  # noqa: B018 (the student forgot the return)


def grad_returns_loss_too(s, y):
    return 0.0, grad_shifted(s, y)


def grad_single_precision(s, y):
    return grad_shifted(s.astype(np.float32), y)


def grad_log_probabilities(s, y):
    z = s - s.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    log_p[np.arange(len(y)), y] -= 1
    return log_p / len(y)


def grad_generator(s, y):
    return (row for row in grad_shifted(s, y))


# ----- Exercise 9.2 ----------------------------------------------------------------------------
def predict_argmax(s):
    return np.argmax(s, axis=1)


def predict_loop(s):
    return [max(range(len(row)), key=lambda k: row[k]) for row in s]


def predict_softmax_first(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return (p / p.sum(axis=1, keepdims=True)).argmax(axis=-1)


def predict_axis0(s):
    return np.argmax(s, axis=0)


def predict_no_axis(s):
    return np.argmax(s)


def predict_max(s):
    return np.max(s, axis=1)


def predict_float_labels(s):
    return np.argmax(s, axis=1).astype(float)


def predict_one_based(s):
    return np.argmax(s, axis=1) + 1


def predict_argmin(s):
    return np.argmin(s, axis=1)


def predict_map(s):
    return map(np.argmax, s)


def predict_probabilities(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def predict_reversed(s):
    return np.argmax(s, axis=1)[::-1]


# ----- Exercise 9.4 ----------------------------------------------------------------------------
def confusion_loop(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def confusion_lists(y_true, y_pred, K):
    C = [[0] * K for _ in range(K)]
    for t, p in zip(y_true, y_pred):
        C[t][p] += 1
    return C


def confusion_bincount(y_true, y_pred, K):
    return np.bincount(np.asarray(y_true) * K + np.asarray(y_pred), minlength=K * K).reshape(K, K)


def confusion_float_counts(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1.0
    return C


def confusion_transposed(y_true, y_pred, K):
    return confusion_loop(y_pred, y_true, K)


def confusion_fancy_index(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_true, y_pred] += 1  # repeats are not accumulated
    return C


def confusion_fractions(y_true, y_pred, K):
    C = confusion_loop(y_true, y_pred, K).astype(float)
    return C / np.maximum(C.sum(axis=1, keepdims=True), 1)


def confusion_size_from_labels(y_true, y_pred, K):
    size = max(max(y_true), max(y_pred)) + 1
    return confusion_loop(y_true, y_pred, size)


def confusion_diagonal(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, p] += 1
    return C


def confusion_overwrite(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] = 1
    return C


def confusion_forgot_return(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1


def confusion_one_based(y_true, y_pred, K):
    C = np.zeros((K + 1, K + 1), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t + 1, p + 1] += 1
    return C


# ----- Exercise 9.3: one SGD step from the pieces ----------------------------------------------
def _scores_grad(scores, y):
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def _forward(weights, biases, X):
    """tanh hidden layers, identity output: lists s and x indexed by the layer."""
    ss, xs = [None], [X]
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        ss.append(xs[-1] @ w.T + b)
        xs.append(ss[-1] if l == len(weights) else np.tanh(ss[-1]))
    return ss, xs


def step_loops(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        if l < L:
            g = g * (1 - np.tanh(ss[l]) ** 2)
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ weights[l - 1]
    return new_w, new_b


def step_einsum_copies(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    new_w = [w.copy() for w in weights]
    new_b = [b.copy() for b in biases]
    g = _scores_grad(xs[L], y)
    for l in reversed(range(1, L + 1)):
        if l != L:
            g = g * (1 - xs[l] ** 2)  # tanh' from the output: 1 - tanh(s)^2
        back = np.einsum("nj,jk->nk", g, weights[l - 1])
        new_w[l - 1] -= lr * np.einsum("nj,nk->jk", g, xs[l - 1])
        new_b[l - 1] -= lr * np.einsum("nj->j", g)
        g = back
    return new_w, new_b


def step_tuple_result(weights, biases, X, y, lr):
    w, b = step_loops(weights, biases, X, y, lr)
    return tuple(w), tuple(b)


def step_in_place(weights, biases, X, y, lr):
    new_w, new_b = step_loops(weights, biases, X, y, lr)
    for w, nw in zip(weights, new_w):
        w[...] = nw  # changes the caller's arrays
    return weights, biases


def step_uphill(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, -lr)


def step_no_lr(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, 1.0)


def step_biases_kept(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr)[0], [b.copy() for b in biases]


def step_no_tanh_prime(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ weights[l - 1]
    return new_w, new_b


def step_updates_first(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        if l < L:
            g = g * (1 - np.tanh(ss[l]) ** 2)
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ new_w[l - 1]  # the weights it just changed
    return new_w, new_b


def step_summed(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr * len(X))


def step_skips_layer_1(weights, biases, X, y, lr):
    new_w, new_b = step_loops(weights, biases, X, y, lr)
    new_w[0], new_b[0] = weights[0].copy(), biases[0].copy()
    return new_w, new_b


def step_forgot_return(weights, biases, X, y, lr):
    step_loops(weights, biases, X, y, lr)


def step_weights_only(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr)[0]


def step_swapped(weights, biases, X, y, lr):
    w, b = step_loops(weights, biases, X, y, lr)
    return b, w


BATTERY = {
    "check_softmax_cross_entropy_gradient": {
        "right": [grad_shifted, grad_logsumexp, grad_loops, grad_float32_input_safe],
        "wrong": [
            (grad_sum_not_mean, "scale"),
            (grad_mean_over_everything, "scale"),
            (grad_naive_exp, "overflow"),
            (grad_forgot_onehot, "forgot_onehot"),
            (grad_columns, "wrong_axis"),
            (grad_every_row_every_label, "onehot_indexing"),
            (grad_sign, "sign"),
            (grad_transposed, "transpose"),
            (grad_in_place, "modified_input"),
            (grad_forgot_return, "not_a_result"),
            (grad_returns_loss_too, "not_a_result"),
            (grad_single_precision, "precision"),
            (grad_log_probabilities, "log_probabilities"),
            (grad_generator, "not_a_result"),
        ],
    },
    "check_predict_labels": {
        "right": [predict_argmax, predict_loop, predict_softmax_first],
        "wrong": [
            (predict_axis0, "wrong_axis"),
            (predict_no_axis, "no_axis"),
            (predict_max, "max_not_argmax"),
            (predict_float_labels, "not_a_result"),
            (predict_one_based, "off_by_one"),
            (predict_argmin, "argmin"),
            (predict_map, "not_a_result"),
            (predict_probabilities, "probabilities"),
            (predict_reversed, None),  # named nowhere, but must say which entries differ
        ],
    },
    "check_confusion_matrix": {
        "right": [confusion_loop, confusion_lists, confusion_bincount, confusion_float_counts],
        "wrong": [
            (confusion_transposed, "transpose"),
            (confusion_fancy_index, "overwrite_not_accumulate"),
            (confusion_fractions, "normalised"),
            (confusion_size_from_labels, "size_from_data"),
            (confusion_diagonal, "diagonal_only"),
            (confusion_overwrite, "overwrite_not_accumulate"),
            (confusion_forgot_return, "not_a_result"),
            (confusion_one_based, None),
        ],
    },
    "check_sgd_step": {
        "right": [step_loops, step_einsum_copies, step_tuple_result],
        "wrong": [
            (step_in_place, "modified_input"),
            (step_uphill, "uphill"),
            (step_no_lr, "no_learning_rate"),
            (step_biases_kept, "biases_not_updated"),
            (step_no_tanh_prime, "forgot_sigma_prime"),
            (step_updates_first, "updated_too_early"),
            (step_summed, "summed_loss"),
            (step_skips_layer_1, "stops_early"),
            (step_forgot_return, "not_a_result"),
            (step_weights_only, "not_a_result"),
            (step_swapped, "output_order"),
        ],
    },
}

RIGHT = [(name, f) for name, b in BATTERY.items() for f in b["right"]]
WRONG = [(name, f, key) for name, b in BATTERY.items() for f, key in b["wrong"]]


@pytest.mark.parametrize("name, answer", RIGHT, ids=[f.__name__ for _, f in RIGHT])
def test_right_answers_in_other_styles_pass(name, answer):
    result = CHECKS[name](answer)
    assert result.status == "correct", result.message


@pytest.mark.parametrize("name, answer, key", WRONG, ids=[f.__name__ for _, f, _ in WRONG])
def test_wrong_answers_are_rejected_and_named(name, answer, key):
    with np.errstate(all="ignore"):
        result = CHECKS[name](answer)
    assert result.status != "correct"
    assert result.diagnosis != "check_failed", result.message
    if key is not None:
        assert result.diagnosis == key, result.message
    else:  # not named: then the message says where the answer is wrong
        assert "differs in" in result.message or "shape" in result.message, result.message


@pytest.mark.parametrize("name", list(CHECKS))
def test_a_stub_is_not_done_yet(name):
    def stub(*args):
        raise NotImplementedError("Exercise 9.x")

    result = CHECKS[name](stub)
    assert result.status == "todo" and "not done yet" in result.message


@pytest.mark.parametrize("name", list(CHECKS))
def test_a_value_instead_of_a_function_is_explained_not_raised(name):
    result = CHECKS[name](np.zeros(3))
    assert result.status == "error" and result.diagnosis == "not_callable"


def test_messages_never_show_the_expected_numbers():
    from bpcourse.exercises.digits import _gradient, _gradient_cases

    (s, y), *_ = _gradient_cases()[0]
    expected = _gradient(s, y)
    for _, answer, _ in WRONG:
        result = (CHECKS["check_softmax_cross_entropy_gradient"])(answer)
        for value in expected.ravel()[:5]:
            assert f"{value:.4f}" not in result.message


def test_checking_twice_gives_the_same_verdict():
    for name, answer, _ in WRONG:
        with np.errstate(all="ignore"):
            first, second = CHECKS[name](answer), CHECKS[name](answer)
        assert (first.status, first.diagnosis, first.message) == (
            second.status,
            second.diagnosis,
            second.message,
        )


def test_the_battery_is_reported():
    """Not a check of quality: prints the battery's figures for the maintainer's note."""
    named = sum(1 for _, _, key in WRONG if key is not None)
    print(json.dumps({"right": len(RIGHT), "wrong": len(WRONG), "named": named}))
    assert len(RIGHT) >= 12 and len(WRONG) >= 35
