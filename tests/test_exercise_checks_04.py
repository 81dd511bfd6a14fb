"""Notebook 04's checks (bpcourse/exercises/backpropagation.py), beyond what every spec and the
battery hold: the references against finite differences and the package, the mistakes' variants
without a switch against the references, the cases against the domain they must cover, and
the few verdicts that need more than a key."""

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.activations import relu, sigmoid, tanh
from bpcourse.exercises import backpropagation as bp
from bpcourse.exercises import check_backward_pass, check_layer_backward
from bpcourse.exercises.reading import leaves_of
from bpcourse.gradcheck import numerical_gradient, relative_error


def stub(*args):
    raise NotImplementedError("not done yet")


def layer_no_sigma_prime(dL_dx, s, x_prev, w, sigma):
    return dL_dx @ w, dL_dx.T @ x_prev, dL_dx.sum(axis=0)


# ----- the references, tested independently ----------------------------------------------------
@pytest.mark.parametrize("sigma", [tanh, sigmoid, relu], ids=lambda a: a.name)
def test_the_layer_reference_matches_finite_differences(sigma):
    # l = sum(G * sigma(x_prev w^T + b)) has dl/dx = G: an independent test of the answer
    rng = np.random.default_rng(7)
    x_prev, w, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    G = rng.normal(size=(5, 4))
    s = x_prev @ w.T + b
    assert np.min(np.abs(s)) > 1e-3  # away from ReLU's kink
    dL_dx_prev, dL_dw, dL_db = check_layer_backward(stub).usable(G, s, x_prev, w, sigma)

    def loss(x_prev=x_prev, w=w, b=b):
        return float(np.sum(G * sigma.f(x_prev @ w.T + b)))

    assert relative_error(dL_dw, numerical_gradient(lambda v: loss(w=v), w.copy())) < 1e-7
    assert relative_error(dL_db, numerical_gradient(lambda v: loss(b=v), b.copy())) < 1e-7
    numeric = numerical_gradient(lambda v: loss(x_prev=v), x_prev.copy())
    assert relative_error(dL_dx_prev, numeric) < 1e-7


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_the_backward_reference_matches_mlp_gradients(activation):
    net = MLP([3, 5, 4, 2], activation=activation, output_activation=activation, seed=3)
    rng = np.random.default_rng(3)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    t = net.trace(X)
    sigma = {"tanh": tanh, "sigmoid": sigmoid, "relu": relu}[activation]
    grad_w, grad_b = check_backward_pass(stub).usable(net.weights, t.s, t.x, Y, sigma)
    _, expected_w, expected_b = net.gradients(X, Y, loss="mse")
    for got, want in zip(grad_w + grad_b, expected_w + expected_b, strict=True):
        assert relative_error(got, want) < 1e-12


@pytest.mark.parametrize("seed", [0, 1])
def test_the_csc311_references_match_mlp_gradients_and_the_scalar_path(seed):
    net = MLP([4, 3, 3, 1], activation="tanh", output_activation="tanh", seed=seed)
    rng = np.random.default_rng(seed)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    x, target = rng.normal(size=4), float(rng.normal())
    tr = net.trace(x)
    args = ([None, *net.weights], tr.s, tr.x, target)
    _, grad_w, _ = net.gradients(x[None, :], np.array([[target]]), loss="mse")
    w2, w1 = bp.dC_dW2_12_reference(*args), bp.dC_dW1_23_reference(*args)
    assert abs(w2 - grad_w[1][0, 1]) <= 1e-12 * max(1.0, abs(w2))
    assert abs(w1 - grad_w[0][1, 2]) <= 1e-12 * max(1.0, abs(w1))


# ----- each mistake is the reference with one thing changed --------------------------------------
@pytest.mark.parametrize("exercise", bp.EXERCISES, ids=lambda e: e.name)
def test_the_variant_without_a_switch_is_the_reference(exercise):
    for case in [*exercise.cases(), *(exercise.retry_cases() if exercise.retry_cases else [])]:
        got = leaves_of(exercise.variant(*case.args), exercise.returns)
        want = leaves_of(exercise.reference(*case.args), exercise.returns)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert relative_error(g, w) < 1e-12, case.describe


# ----- the cases cover the domain ---------------------------------------------------------------
def test_the_layer_cases_cover_the_domain():
    cases = bp.LAYER.cases()
    sizes = [c.sizes for c in cases]
    assert {1} < {z["N"] for z in sizes}  # a batch of one sample, and larger ones
    assert all(z["N"] not in (z["D_l"], z["D_(l-1)"]) for z in sizes)  # never square by chance
    assert all(z["D_l"] != z["D_(l-1)"] for z in sizes)  # a transposed w cannot run
    assert {c.args[4].name for c in cases} == {"tanh", "sigmoid", "relu", "identity"}
    relus = [c.args[1] for c in cases if c.args[4] is relu]
    assert any(np.all(s[:, 0] < 0) for s in relus)  # a unit off for every sample
    assert all(np.any(s > 0) and np.any(s < 0) for s in relus)  # both sides of the kink
    assert min(np.abs(s).min() for s in relus) > 1e-3  # and away from it
    scales = [np.max(np.abs(c.args[0])) for c in cases] + [np.max(np.abs(c.args[2])) for c in cases]
    assert min(scales) < 1e-5 and max(scales) > 500  # from tiny to +-1000


def test_the_network_cases_cover_the_domain():
    cases = bp.FULL.cases()
    assert {c.sizes["N"] for c in cases} >= {1, 8}
    assert any(c.sizes["D_L"] == 1 for c in cases) and any(c.sizes["N"] == 1 for c in cases)
    assert any(c.sizes["N"] != c.sizes["D_L"] != len(c.args[0]) for c in cases)
    assert {c.args[4].name for c in cases} == {"tanh", "sigmoid", "relu"}
    assert max(np.max(np.abs(c.args[3])) for c in cases) > 500  # targets far from the output
    assert any(all(w.shape[0] != w.shape[1] for w in c.args[0]) for c in cases)


def test_the_csc311_cases_hold_every_index_a_mistake_reads():
    for exercise in (bp.W2_12, bp.W1_23):
        for case in exercise.cases():
            W, z, a, t = case.args
            d0, d1, d2 = len(a[0]), len(a[1]), len(a[2])
            assert d0 >= 4 and d1 >= 3 and 2 <= d2 <= d1  # one-based and transposed indices run
        assert {abs(c.args[3]) >= 1000 for c in exercise.cases()} == {True, False}


# ----- verdicts that need more than a key ------------------------------------------------------
def test_a_transpose_found_on_square_layers_says_so():
    def w_transposed(dL_dx, s, x_prev, w, sigma):
        dL_ds = dL_dx * sigma.df(s)
        return dL_ds @ w.T, dL_ds.T @ x_prev, dL_ds.sum(axis=0)

    result = check_layer_backward(w_transposed)
    assert result.diagnosis == "transpose" and "square layers" in result.message


def test_a_value_of_another_shape_says_which_value_and_which_case():
    def db_per_sample(dL_dx, s, x_prev, w, sigma):
        dL_ds = dL_dx * sigma.df(s)
        return dL_ds @ w, dL_ds.T @ x_prev, dL_ds

    result = check_layer_backward(db_per_sample)
    assert result.diagnosis == "shape" and "dL_db has shape" in result.message
    assert "case 1" in result.message
    assert "dL_dx_prev, dL_dw are right in every case" in result.message


def test_the_whole_pass_may_call_the_usable_layer_while_4_1_is_wrong():
    used = check_layer_backward(layer_no_sigma_prime).usable  # the reference, 4.1 being wrong
    assert not used.is_yours

    def backward_pass(weights, s, x, Y, sigma):
        L = len(weights)
        dL_dx = 2 * (x[L] - Y) / len(Y)
        grad_w, grad_b = [None] * L, [None] * L
        for l in range(L, 0, -1):
            dL_dx, grad_w[l - 1], grad_b[l - 1] = used(dL_dx, s[l], x[l - 1], weights[l - 1], sigma)
        return grad_w, grad_b

    assert check_backward_pass(backward_pass).status == "correct"


@pytest.mark.parametrize("value", [0.5, None, "layer_backward"])
def test_a_value_instead_of_a_function_is_named(value):
    for exercise in bp.EXERCISES:
        result = exercise.check(value)
        assert result.status == "error" and result.diagnosis == "not_callable"
