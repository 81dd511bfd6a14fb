"""The cases of notebook 03's checks do what their descriptions say (bpcourse.exercises.mlp).

The answers themselves are in tests/exercises/battery_03.py; these tests hold the cases and the
references: the domain the cases cover, and that the references agree with `MLP` and with the
variants the mistakes are built from.
"""

import numpy as np

from bpcourse import MLP
from bpcourse.activations import Activation, relu
from bpcourse.exercises.mlp import (
    _collapse_cases,
    _collapse_variant,
    _forward_cases,
    _forward_variant,
    affine_collapse_reference,
    mlp_forward_reference,
)


def test_the_forward_cases_cover_dead_units_one_sample_non_square_layers_and_scales():
    cases = [c.args for c in _forward_cases()]
    assert any(X.shape[0] == 1 for X, *_ in cases)
    assert any(X.shape[0] not in {1, *[w.shape[0] for w in ws]} for X, ws, *_ in cases)
    assert any(w.shape[0] != w.shape[1] for _, ws, *_ in cases for w in ws)
    assert any(len(ws) == 1 for _, ws, *_ in cases)
    on = off = 0
    for X, weights, biases, sigma, _ in cases:
        if sigma is relu:
            s = X @ weights[0].T + biases[0]
            on, off = on + int(np.sum(s > 0)), off + int(np.sum(s < 0))
    assert on > 0 and off > 0  # both sides of the ReLU's kink
    scales = [np.abs(X).max() for X, *_ in cases]
    assert max(scales) > 500 and min(scales) < 0.01
    assert {(sg.name, so.name) for _, _, _, sg, so in cases} >= {
        ("tanh", "identity"),
        ("relu", "tanh"),
        ("sigmoid", "sigmoid"),
        ("tanh", "sigmoid"),
    }


def test_the_forward_reference_is_mlp_forward_and_the_variant_without_switches_is_the_reference():
    for case in _forward_cases():
        X, weights, biases, sigma, sigma_out = case.args
        net = MLP.from_params(weights, biases, activation=sigma, output_activation=sigma_out)
        want = mlp_forward_reference(*case.args)
        np.testing.assert_allclose(want, net.forward(X), rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(_forward_variant(*case.args), want, rtol=1e-12, atol=1e-300)


def test_the_collapse_reference_is_the_network_and_the_recursion():
    for case in _collapse_cases():
        weights, biases, alpha, beta = case.args
        affine = Activation(
            "affine", lambda z, a=alpha, c=beta: a * z + c, lambda z, a=alpha: np.full_like(z, a)
        )
        net = MLP.from_params(weights, biases, activation=affine, output_activation=affine)
        A, B = affine_collapse_reference(*case.args)
        X = np.random.default_rng(2).normal(size=(20, A.shape[1]))
        np.testing.assert_allclose(X @ A.T + B, net.forward(X), rtol=1e-9, atol=1e-9 * abs(B).max())
        for got, want in zip(_collapse_variant(*case.args), (A, B)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14 * abs(want).max())


def test_only_the_case_with_large_biases_makes_a_read_off_a_lose_digits():
    """f(e_j) - f(0) against the closed form: exact to ~1e-14 on the moderate cases, off by far
    more than the check's tolerance (1e-9) where the biases are near 1000."""
    for case in _collapse_cases():
        weights, biases, alpha, beta = case.args
        d0 = weights[0].shape[1]
        P = np.vstack([np.zeros(d0), np.eye(d0)])
        for w, b in zip(weights, biases):
            P = alpha * (P @ w.T + b) + beta
        A, _ = affine_collapse_reference(*case.args)
        error = np.max(np.abs((P[1:] - P[0]).T - A)) / np.max(np.abs(A))
        if "biases near 1000" in case.describe:
            assert 1e-8 < error < 1e-4, error
        else:
            assert error < 1e-12, error


def test_every_layer_returned_is_named():
    from bpcourse.exercises import check_mlp_forward

    def every_layer(X, weights, biases, sigma, sigma_out):
        xs = [X]
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            xs.append((sigma_out if l == len(weights) else sigma).f(xs[-1] @ w.T + b))
        return xs

    def rows(X, weights, biases, sigma, sigma_out):  # a list of N rows is an accepted answer
        x = X
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            x = (sigma_out if l == len(weights) else sigma).f(x @ w.T + b)
        return [list(row) for row in x]

    assert check_mlp_forward(every_layer).diagnosis == "every_layer_returned"
    assert check_mlp_forward(rows).status == "correct"


def test_an_activation_called_as_a_function_is_named():
    from bpcourse.exercises import check_mlp_forward

    def called(X, weights, biases, sigma, sigma_out):
        x = X
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            x = (sigma_out if l == len(weights) else sigma)(x @ w.T + b)
        return x

    assert check_mlp_forward(called).diagnosis == "activation_not_callable"
