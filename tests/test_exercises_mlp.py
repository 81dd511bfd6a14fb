"""Tests of the checks of notebook 03's exercises (bpcourse.exercises.mlp).

`BATTERY` holds answers written here the way students write them (loops over samples and
units, `np.dot`, `einsum`, the column form, lists, a forgotten return, an off-by-one loop, ...),
independently of the Mistake functions inside the module: every right one must pass, every
wrong one must be rejected with the diagnosis given.
"""

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.activations import Activation, relu
from bpcourse.exercises import check_affine_collapse, check_mlp_forward
from bpcourse.exercises.mlp import (
    _COLLAPSE_SPECS,
    _FORWARD_SPECS,
    _collapse_cases,
    _collapse_reference,
    _collapse_variant,
    _forward_cases,
    _forward_reference,
    _forward_variant,
)


# ----- Exercise 3.1: forward pass -----------------------------------------------------------
def forward_loop(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l in range(L):
        s = x @ weights[l].T + biases[l]
        x = sigma_out.f(s) if l == L - 1 else sigma.f(s)
    return x


def forward_per_sample_per_unit(X, weights, biases, sigma, sigma_out):
    """One sample at a time and one unit at a time, as the column-vector equations read."""
    rows = []
    for x in X:
        for l in range(len(weights)):
            s = np.array([weights[l][i] @ x + biases[l][i] for i in range(len(biases[l]))])
            x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
        rows.append(x)
    return np.array(rows)


def forward_einsum(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(np.einsum("nj,ij->ni", x, w) + b)
    return x


def forward_column_form_list(X, weights, biases, sigma, sigma_out):
    """Samples turned into columns for the maths, turned back, returned as a list of rows."""
    x = X.T
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(np.dot(w, x) + b[:, None])
    return x.T.tolist()


def forward_without_bias(X, weights, biases, sigma, sigma_out):
    x = X
    for l, w in enumerate(weights):
        x = np.dot(x, w.T)
        x = sigma_out.f(x) if l == len(weights) - 1 else sigma.f(x)
    return x


def forward_w_not_transposed(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = np.matmul(x, weights[l]) + biases[l]
        x = sigma_out.f(x) if l == len(weights) - 1 else sigma.f(x)
    return x


def forward_sigma_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = sigma.f(x @ weights[l].T + biases[l])
    return x


def forward_no_output_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma.f(s) if l < len(weights) - 1 else s
    return x


def forward_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # one sample per column, as on the slides, and left that way
    for l in range(len(weights)):
        s = weights[l] @ x + biases[l][:, None]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x


def forward_bias_after(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ weights[l].T) + biases[l]
    return x


def forward_df(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.df(s)
    return x


def forward_calls_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma_out(s) if l == len(weights) - 1 else sigma(s)
    return x


def forward_one_layer_short(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights) - 1):
        x = sigma.f(x @ weights[l].T + biases[l])
    return x


def forward_out_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma_out.f(x @ w.T + b)
    return x


def forward_no_return(X, weights, biases, sigma, sigma_out):
    forward_loop(X, weights, biases, sigma, sigma_out)


def forward_all_layers(X, weights, biases, sigma, sigma_out):
    xs = [X]
    for l in range(len(weights)):
        s = xs[-1] @ weights[l].T + biases[l]
        xs.append(sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s))
    return xs


def forward_df_on_every_layer(X, weights, biases, sigma, sigma_out):
    rows = []
    for x_n in X:  # one sample at a time, the derivative applied on every layer
        v = x_n
        for l, (w, b) in enumerate(zip(weights, biases)):
            act = sigma_out if l == len(weights) - 1 else sigma
            v = act.df(np.dot(w, v) + b)
        rows.append(v)
    return np.array(rows)


def forward_sigma_df_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma.df(x @ w.T + b)
    return x


def forward_df_on_output(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(x @ w.T + b)
    return sigma_out.df(x @ weights[-1].T + biases[-1])


def forward_hidden_and_output(X, weights, biases, sigma, sigma_out):
    outputs, x = [], X
    for l in range(len(weights)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ weights[l].T + biases[l])
        outputs.append(x)  # every x^(l), l = 1..L
    return outputs


def forward_generator(X, weights, biases, sigma, sigma_out):
    return (row for row in forward_loop(X, weights, biases, sigma, sigma_out))


# ----- Exercise 3.2: affine collapse --------------------------------------------------------
def collapse_recursion(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * w @ B + alpha * b + beta
    return A, B


def collapse_by_probing(weights, biases, alpha, beta):
    """Found independently: x^(L) is affine in x, so probe it at 0 and at each e_j."""

    def net(x):
        for l in range(len(weights)):
            x = alpha * (weights[l] @ x + biases[l]) + beta
        return x

    d0 = weights[0].shape[1]
    B = net(np.zeros(d0))
    A = np.column_stack([net(e) - B for e in np.eye(d0)])
    return A, B


def collapse_closed_form(weights, biases, alpha, beta):
    """The unrolled sums, as a list [A, B]."""
    L = len(weights)
    A = alpha**L * np.linalg.multi_dot(weights[::-1] + [np.eye(weights[0].shape[1])])
    B = np.zeros(weights[-1].shape[0])
    for l in range(L):
        product = np.eye(weights[-1].shape[0])
        for w in reversed(weights[l + 1 :]):
            product = product @ w
        B = B + alpha ** (L - 1 - l) * product @ (alpha * biases[l] + beta)
    return [A, B]


def collapse_einsum(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * np.einsum("ij,jk->ik", w, A)
        B = alpha * (np.einsum("ij,j->i", w, B) + b) + beta * np.ones(len(b))
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


def collapse_no_alpha_at_all(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
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


def collapse_b_prev_not_scaled(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = w @ B + alpha * b + beta
    return A, B


def collapse_beta_inside(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = alpha * (w @ B + b + beta)
    return A, B


def collapse_alpha_at_the_end(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
    return alpha * A, alpha * B


def collapse_alpha_once_on_a(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    for w in weights:
        A = w @ A
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * (w @ B + b) + beta
    return alpha * A, B  # "the activation's alpha", applied to the product once


def collapse_alpha_too_often(weights, biases, alpha, beta):
    A = alpha * np.identity(weights[0].shape[1])  # started from alpha I
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = alpha * (w @ B + b) + beta
    return A, B


def collapse_alpha_from_layer_2(weights, biases, alpha, beta):
    A = weights[0].copy()  # layer 1 taken as is
    for w in weights[1:]:
        A = alpha * w @ A
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * (w @ B + b) + beta
    return [A, B]


def collapse_one_layer_short(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights) - 1):  # off by one: the last layer is left out
        A = alpha * weights[l] @ A
        B = alpha * (weights[l] @ B + biases[l]) + beta
    return A, B


def collapse_b_then_a(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return B, A


def collapse_a_transposed(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return A.T, B


def collapse_only_a(weights, biases, alpha, beta):
    return collapse_recursion(weights, biases, alpha, beta)[0]


def collapse_no_return(weights, biases, alpha, beta):
    collapse_recursion(weights, biases, alpha, beta)


def collapse_b_sign(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return A, -B


def collapse_changes_weights(weights, biases, alpha, beta):
    for w in weights:
        w *= alpha  # folds alpha into the caller's weights
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + alpha * b + beta
    return A, B


BATTERY = {
    "check_mlp_forward": {
        "right": [
            forward_loop,
            forward_per_sample_per_unit,
            forward_einsum,
            forward_column_form_list,
        ],
        "wrong": [
            (forward_without_bias, "missing_bias"),
            (forward_w_not_transposed, "transpose"),
            (forward_sigma_everywhere, "activation_on_output"),
            (forward_no_output_activation, "no_output_activation"),
            (forward_columns, "shapes_swapped"),
            (forward_bias_after, "bias_after_activation"),
            (forward_df, "df_for_f"),
            (forward_calls_activation, "activation_not_callable"),
            (forward_one_layer_short, "stops_early"),
            (forward_out_everywhere, "sigma_out_everywhere"),
            (forward_no_return, "not_a_result"),
            (forward_all_layers, "every_layer_returned"),
            (forward_df_on_every_layer, "df_for_f"),
            (forward_sigma_df_everywhere, "df_for_f"),
            (forward_df_on_output, "df_for_f"),
            (forward_hidden_and_output, "every_layer_returned"),
            (forward_generator, "not_a_result"),
        ],
    },
    "check_affine_collapse": {
        "right": [collapse_recursion, collapse_by_probing, collapse_closed_form, collapse_einsum],
        "wrong": [
            (collapse_reversed, "order_reversed"),
            (collapse_without_alpha_in_A, "missing_alpha"),
            (collapse_no_alpha_at_all, "missing_alpha"),
            (collapse_without_beta, "missing_beta"),
            (collapse_bias_not_scaled, "bias_without_alpha"),
            (collapse_b_prev_not_scaled, "b_prev_without_alpha"),
            (collapse_beta_inside, "beta_times_alpha"),
            (collapse_alpha_at_the_end, "alpha_once"),
            (collapse_alpha_once_on_a, "alpha_once"),
            (collapse_alpha_too_often, "alpha_power"),
            (collapse_alpha_from_layer_2, "alpha_power"),
            (collapse_one_layer_short, "stops_early"),
            (collapse_b_then_a, "output_order"),
            (collapse_a_transposed, "transpose"),
            (collapse_only_a, "not_a_result"),
            (collapse_no_return, "not_a_result"),
            (collapse_b_sign, "sign"),
            (collapse_changes_weights, "modified_input"),
        ],
    },
}
CHECKS = {"check_mlp_forward": check_mlp_forward, "check_affine_collapse": check_affine_collapse}
RIGHT = [(name, fn) for name, kinds in BATTERY.items() for fn in kinds["right"]]
WRONG = [(name, fn, key) for name, kinds in BATTERY.items() for fn, key in kinds["wrong"]]


@pytest.mark.parametrize("name, student", RIGHT, ids=lambda v: getattr(v, "__name__", v))
def test_every_right_answer_is_accepted(name, student):
    result = CHECKS[name](student)
    assert result.status == "correct", result.message
    assert result.usable.is_yours and result.usable.function is student


@pytest.mark.parametrize("name, student, key", WRONG, ids=lambda v: getattr(v, "__name__", v))
def test_every_wrong_answer_is_rejected_and_named(name, student, key):
    result = CHECKS[name](student)
    assert result.status != "correct"
    assert result.diagnosis == key, (result.diagnosis, result.message)
    assert result.usable.function is result.reference
    assert result.student is student


def _expected_numbers(name):
    if name == "check_mlp_forward":
        outs = [_forward_reference(*c) for c in _forward_cases(_FORWARD_SPECS, 31)]
    else:
        outs = [a for c in _collapse_cases(_COLLAPSE_SPECS, 33) for a in _collapse_reference(*c)]
    return [float(v) for out in outs for v in np.ravel(out)]


@pytest.mark.parametrize("name, student, key", WRONG, ids=lambda v: getattr(v, "__name__", v))
def test_no_message_gives_the_expected_numbers(name, student, key):
    message = CHECKS[name](student).message
    for v in _expected_numbers(name):
        if abs(v) > 1e-9 and abs(v - round(v)) > 1e-6:
            for text in (f"{v:.3f}", f"{v:.4g}"):
                assert text not in message, (text, message)


def test_the_verdict_is_the_same_every_run_and_usable_says_whose_function_it_is():
    for name, student, _ in WRONG:
        first, second = CHECKS[name](student), CHECKS[name](student)
        assert (first.status, first.diagnosis) == (second.status, second.diagnosis)
    assert "until Exercise 3.1 passes" in repr(check_mlp_forward(forward_columns).usable)
    assert "using your affine_collapse (Exercise 3.2 passed)" in repr(
        check_affine_collapse(collapse_einsum).usable
    )


def test_a_stub_is_todo_and_usable_is_the_reference():
    def stub(*args):
        raise NotImplementedError("Exercise 3.x")

    for check in CHECKS.values():
        result = check(stub)
        assert result.status == "todo"
        assert not result.usable.is_yours


def test_the_forward_cases_reach_dead_units_batches_of_one_and_non_square_layers():
    cases = _forward_cases(_FORWARD_SPECS, 31)
    assert any(X.shape[0] == 1 for X, *_ in cases)
    assert any(X.shape[0] not in {1, *[w.shape[0] for w in ws]} for X, ws, *_ in cases)
    dead = 0
    for X, weights, biases, sigma, _ in cases:
        if sigma is relu:
            s = X @ weights[0].T + biases[0]
            dead += int(np.sum(np.all(s < 0, axis=0)) + np.sum(s < 0))
    assert dead > 0
    assert any(w.shape[0] != w.shape[1] for _, ws, *_ in cases for w in ws)


def test_the_references_agree_with_the_mlp_class_and_the_variants_with_the_references():
    net = MLP([3, 5, 4, 2], activation="relu", output_activation="tanh", seed=3)
    rng = np.random.default_rng(1)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    X = rng.normal(size=(6, 3))
    out = _forward_reference(X, net.weights, net.biases, net.sigma(1), net.sigma(3))
    np.testing.assert_allclose(out, net.forward(X), rtol=1e-12, atol=1e-14)
    for case in _forward_cases(_FORWARD_SPECS, 31):
        np.testing.assert_allclose(_forward_variant(*case), _forward_reference(*case), rtol=1e-12)
    for case in _collapse_cases(_COLLAPSE_SPECS, 33):
        for got, want in zip(_collapse_variant(*case), _collapse_reference(*case)):
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_the_collapse_reference_reproduces_an_mlp_with_an_affine_activation():
    alpha, beta = 0.8, 0.3
    affine = Activation("affine", lambda z: alpha * z + beta, lambda z: np.full_like(z, alpha))
    net = MLP([3, 6, 5, 2], activation=affine, output_activation=affine, seed=4)
    rng = np.random.default_rng(2)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    X = rng.normal(size=(20, 3))
    A, B = _collapse_reference(net.weights, net.biases, alpha, beta)
    np.testing.assert_allclose(X @ A.T + B, net.forward(X), rtol=1e-10, atol=1e-12)
