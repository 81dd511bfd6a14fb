"""Tests of the checks of notebook 03's exercises (bpcourse.exercises.mlp).

Each wrong implementation below is written the way a student might write it, independently of
the `Mistake` functions inside the module, and must be rejected with the right diagnosis.
"""

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.exercises import check_affine_collapse, check_mlp_forward


# ----- Exercise 3.1: forward pass -----------------------------------------------------------
def forward_one_sample_at_a_time(X, weights, biases, sigma, sigma_out):
    """Correct, written per sample and per unit, as the syllabus writes one sample."""
    rows = []
    for x in X:
        for l in range(len(weights)):
            s = np.array([weights[l][i] @ x + biases[l][i] for i in range(len(biases[l]))])
            x = sigma_out(s) if l == len(weights) - 1 else sigma(s)
        rows.append(x)
    return np.array(rows)


def forward_without_bias(X, weights, biases, sigma, sigma_out):
    x = X
    for l, w in enumerate(weights):
        x = np.dot(x, w.T)
        x = sigma_out(x) if l == len(weights) - 1 else sigma(x)
    return x


def forward_w_not_transposed(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = np.matmul(x, weights[l]) + biases[l]
        x = sigma_out(x) if l == len(weights) - 1 else sigma(x)
    return x


def forward_sigma_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = sigma(x @ weights[l].T + biases[l])
    return x


def forward_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # one sample per column, as on the slides, and left that way
    for l in range(len(weights)):
        s = weights[l] @ x + biases[l][:, None]
        x = sigma_out(s) if l == len(weights) - 1 else sigma(s)
    return x


def forward_stub(X, weights, biases, sigma, sigma_out):
    raise NotImplementedError("Exercise 3.1: ...")


def test_forward_check_accepts_a_correct_per_sample_implementation():
    result = check_mlp_forward(forward_one_sample_at_a_time)
    assert result.status == "correct"
    assert result.function is forward_one_sample_at_a_time
    assert "correct" in repr(result)


def test_forward_check_says_todo_for_a_stub_and_hands_back_a_working_function():
    result = check_mlp_forward(forward_stub)
    assert result.status == "todo"
    net = MLP([3, 4, 2], activation="tanh", seed=1)
    X = np.random.default_rng(0).normal(size=(5, 3))
    out = result.function(X, net.weights, net.biases, np.tanh, lambda s: s)
    expected = forward_one_sample_at_a_time(X, net.weights, net.biases, np.tanh, lambda s: s)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (forward_without_bias, "missing_bias"),
        (forward_w_not_transposed, "transpose"),
        (forward_sigma_everywhere, "activation_on_output"),
        (forward_columns, "shapes_swapped"),
    ],
)
def test_forward_check_names_each_mistake(wrong, key):
    result = check_mlp_forward(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
    assert result.function is not wrong


def test_forward_check_reports_an_unrecognised_error_plainly():
    def broken(X, weights, biases, sigma, sigma_out):
        return X @ weights[0].T @ weights[0]  # wrong and unrelated to any known mistake

    result = check_mlp_forward(broken)
    assert result.status in ("wrong", "error")
    assert result.diagnosis not in ("missing_bias", "transpose", "activation_on_output")


def test_forward_reference_agrees_with_the_mlp_class():
    net = MLP([3, 5, 4, 2], activation="relu", seed=3)
    rng = np.random.default_rng(1)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    X = rng.normal(size=(6, 3))
    reference = check_mlp_forward(forward_stub).function
    out = reference(X, net.weights, net.biases, lambda s: np.maximum(s, 0), lambda s: s)
    np.testing.assert_allclose(out, net.forward(X), rtol=1e-12, atol=1e-14)


# ----- Exercise 3.2: affine collapse --------------------------------------------------------
def collapse_by_probing(weights, biases, alpha, beta):
    """Correct, found independently: x^(L) is affine in x, so probe it at 0 and at each e_j."""

    def net(x):
        for l in range(len(weights)):
            x = alpha * (weights[l] @ x + biases[l]) + beta
        return x

    d0 = weights[0].shape[1]
    B = net(np.zeros(d0))
    A = np.column_stack([net(e) - B for e in np.eye(d0)])
    return A, B


def collapse_reversed(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * np.dot(A, weights[l])
        B = alpha * np.dot(weights[l], B) + alpha * biases[l] + beta
    return A, B


def collapse_without_alpha_in_A(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = weights[l] @ A
        B = alpha * (weights[l] @ B + biases[l]) + beta
    return A, B


def collapse_without_beta(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * (weights[l] @ A)
        B = alpha * (weights[l] @ B + biases[l])
    return A, B


def collapse_bias_not_scaled(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * (weights[l] @ A)
        B = alpha * (weights[l] @ B) + biases[l] + beta
    return A, B


def collapse_stub(weights, biases, alpha, beta):
    raise NotImplementedError("Exercise 3.2: ...")


def test_collapse_check_accepts_a_correct_implementation():
    result = check_affine_collapse(collapse_by_probing)
    assert result.status == "correct"
    assert result.function is collapse_by_probing


def test_collapse_check_says_todo_for_a_stub_and_hands_back_the_reference():
    result = check_affine_collapse(collapse_stub)
    assert result.status == "todo"
    A, B = result.function([np.eye(2)], [np.ones(2)], 2.0, 1.0)  # 2 (x + 1) + 1
    np.testing.assert_allclose(A, 2 * np.eye(2))
    np.testing.assert_allclose(B, [3.0, 3.0])


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (collapse_reversed, "order_reversed"),
        (collapse_without_alpha_in_A, "missing_alpha"),
        (collapse_without_beta, "missing_beta"),
        (collapse_bias_not_scaled, "bias_without_alpha"),
    ],
)
def test_collapse_check_names_each_mistake(wrong, key):
    result = check_affine_collapse(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
    assert result.function is not wrong


def test_collapse_check_says_which_part_has_a_sign_error():
    def negated_B(weights, biases, alpha, beta):
        A, B = collapse_by_probing(weights, biases, alpha, beta)
        return A, -B

    result = check_affine_collapse(negated_B)
    assert result.status == "mistake"
    assert result.diagnosis == "sign"
    assert "B(L)" in result.message


def test_collapse_check_rejects_a_function_that_does_not_return_a_pair():
    def only_A(weights, biases, alpha, beta):
        return collapse_by_probing(weights, biases, alpha, beta)[0]

    result = check_affine_collapse(only_A)
    assert result.status in ("wrong", "error")


def test_collapse_reference_reproduces_an_mlp_with_an_affine_activation():
    rng = np.random.default_rng(2)
    net = MLP([3, 6, 5, 4, 2], seed=4)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    alpha, beta = 0.6, -0.2
    reference = check_affine_collapse(collapse_stub).function
    A, B = reference(net.weights, net.biases, alpha, beta)
    X = rng.normal(size=(7, 3))
    x = X
    for l in range(len(net.weights)):
        x = alpha * (x @ net.weights[l].T + net.biases[l]) + beta
    np.testing.assert_allclose(X @ A.T + B, x, rtol=1e-12, atol=1e-12)
