"""Tests of the checks of notebook 04's exercises (bpcourse.exercises.backprop).

Each wrong implementation below is written the way a student might write it, independently of
the `Mistake` functions inside the module, and must be rejected with the right diagnosis. The
references are compared with finite differences and with `MLP.gradients`, never with values
they produced themselves.
"""

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.activations import sigmoid, tanh
from bpcourse.exercises import (
    check_backward_pass,
    check_dC_dW1_23,
    check_dC_dW2_12,
    check_layer_backward,
)
from bpcourse.gradcheck import numerical_gradient, relative_error
from bpcourse.mlp import layer_backward as package_layer_backward


# ----- Exercise 4.1: one layer ----------------------------------------------------------------
def layer_one_sample_at_a_time(dl_dx, s, x_prev, w, sigma):
    """Correct: the syllabus's column-vector equations, one sample at a time, summed."""
    dl_dw, dl_db = np.zeros_like(w), np.zeros(w.shape[0])
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(len(s)):
        dl_ds = dl_dx[n] * sigma.df(s[n])
        dl_dw += np.outer(dl_ds, x_prev[n])
        dl_db += dl_ds
        dl_dx_prev[n] = w.T @ dl_ds
    return dl_dx_prev, dl_dw, dl_db


def layer_stub(dl_dx, s, x_prev, w, sigma):
    raise NotImplementedError("Exercise 4.1: ...")


def layer_no_sigma_prime(dl_dx, s, x_prev, w, sigma):
    return np.dot(dl_dx, w), np.dot(dl_dx.T, x_prev), np.sum(dl_dx, axis=0)


def layer_dw_upside_down(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w, x_prev.T @ delta, delta.sum(0)


def layer_w_transposed(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w.T, delta.T @ x_prev, delta.sum(0)


def layer_means(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    n = delta.shape[0]
    return delta @ w, delta.T @ x_prev / n, delta.mean(axis=0)


def layer_bias_mean(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return delta @ w, delta.T @ x_prev, np.mean(delta, axis=0)


def layer_sign(dl_dx, s, x_prev, w, sigma):
    delta = -dl_dx * sigma.df(s)
    return delta @ w, delta.T @ x_prev, delta.sum(0)


def layer_prev_without_sigma_prime(dl_dx, s, x_prev, w, sigma):
    delta = dl_dx * sigma.df(s)
    return dl_dx @ w, delta.T @ x_prev, delta.sum(0)


def test_layer_reference_matches_finite_differences():
    # l = sum(G * sigma(x_prev w^T + b)) has dl/dx = G: an independent test of the answer
    rng = np.random.default_rng(7)
    x_prev, w, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    G = rng.normal(size=(5, 4))
    s = x_prev @ w.T + b
    result = check_layer_backward(layer_stub)
    dl_dx_prev, dl_dw, dl_db = result.function(G, s, x_prev, w, tanh)

    def loss(x_prev=x_prev, w=w, b=b):
        return float(np.sum(G * np.tanh(x_prev @ w.T + b)))

    assert relative_error(dl_dw, numerical_gradient(lambda v: loss(w=v), w.copy())) < 1e-7
    assert relative_error(dl_db, numerical_gradient(lambda v: loss(b=v), b.copy())) < 1e-7
    assert (
        relative_error(dl_dx_prev, numerical_gradient(lambda v: loss(x_prev=v), x_prev.copy()))
        < 1e-7
    )


def test_layer_check_accepts_a_per_sample_implementation_and_the_package_one():
    result = check_layer_backward(layer_one_sample_at_a_time)
    assert result.status == "correct"
    assert result.function is layer_one_sample_at_a_time
    assert check_layer_backward(package_layer_backward).status == "correct"


def test_layer_check_says_todo_for_a_stub():
    result = check_layer_backward(layer_stub)
    assert result.status == "todo"
    assert "not done yet" in repr(result)


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (layer_no_sigma_prime, "forgot_sigma_prime"),
        (layer_dw_upside_down, "shapes_swapped"),
        (layer_w_transposed, "transpose"),
        (layer_means, "averaged_not_summed"),
        (layer_bias_mean, "averaged_not_summed"),
        (layer_sign, "sign"),
    ],
)
def test_layer_check_names_each_mistake(wrong, key):
    result = check_layer_backward(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


def test_layer_check_diagnoses_the_transpose_on_square_layers_and_says_so():
    result = check_layer_backward(layer_w_transposed)
    assert "not square" in result.message


def test_layer_check_says_which_values_are_right_when_it_cannot_name_the_mistake():
    result = check_layer_backward(layer_prev_without_sigma_prime)
    assert result.status == "wrong"
    assert "dl_dw and dl_db are right already" in result.message


# ----- Exercise 4.2: the whole backward pass ----------------------------------------------------
def backward_per_sample(weights, s, x, Y, sigma):
    """Correct: one sample at a time, accumulating with +=."""
    L, N = len(weights), len(Y)
    grad_w = [np.zeros_like(w) for w in weights]
    grad_b = [np.zeros(w.shape[0]) for w in weights]
    for n in range(N):
        dl_dx = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            dl_ds = dl_dx * sigma.df(s[l][n])
            grad_w[l - 1] += np.outer(dl_ds, x[l - 1][n])
            grad_b[l - 1] += dl_ds
            dl_dx = weights[l - 1].T @ dl_ds
    return grad_w, grad_b


def backward_stub(weights, s, x, Y, sigma):
    raise NotImplementedError("Exercise 4.2: ...")


def _batch_backward(weights, s, x, dl_dx, sigma, use_sigma_prime, use_x, use_w):
    grad_w, grad_b = [], []
    for l in range(len(weights), 0, -1):
        dl_ds = dl_dx * sigma.df(s[l]) if use_sigma_prime(l) else dl_dx
        grad_w.insert(0, dl_ds.T @ use_x(l))
        grad_b.insert(0, dl_ds.sum(axis=0))
        dl_dx = dl_ds @ use_w(l)
    return grad_w, grad_b


def backward_sum_not_mean(weights, s, x, Y, sigma):
    return _batch_backward(
        weights,
        s,
        x,
        2 * (x[-1] - Y),
        sigma,
        lambda l: True,
        lambda l: x[l - 1],
        lambda l: weights[l - 1],
    )


def backward_no_sigma_prime(weights, s, x, Y, sigma):
    return _batch_backward(
        weights,
        s,
        x,
        2 * (x[-1] - Y) / len(Y),
        sigma,
        lambda l: False,
        lambda l: x[l - 1],
        lambda l: weights[l - 1],
    )


def backward_output_is_linear(weights, s, x, Y, sigma):
    L = len(weights)
    return _batch_backward(
        weights,
        s,
        x,
        2 * (x[-1] - Y) / len(Y),
        sigma,
        lambda l: l < L,
        lambda l: x[l - 1],
        lambda l: weights[l - 1],
    )


def backward_overwrites(weights, s, x, Y, sigma):
    L, N = len(weights), len(Y)
    grad_w, grad_b = [None] * L, [None] * L
    for n in range(N):
        dl_dx = 2 * (x[L][n] - Y[n]) / N
        for l in range(L, 0, -1):
            dl_ds = dl_dx * sigma.df(s[l][n])
            grad_w[l - 1] = np.outer(dl_ds, x[l - 1][n])  # = where += belongs
            grad_b[l - 1] = dl_ds
            dl_dx = weights[l - 1].T @ dl_ds
    return grad_w, grad_b


def backward_off_by_one(weights, s, x, Y, sigma):
    return _batch_backward(
        weights,
        s,
        x,
        2 * (x[-1] - Y) / len(Y),
        sigma,
        lambda l: True,
        lambda l: x[l],
        lambda l: weights[l - 1],
    )


def backward_appended(weights, s, x, Y, sigma):
    grad_w, grad_b = [], []
    dl_dx = 2 * (x[-1] - Y) / len(Y)
    for l in reversed(range(1, len(weights) + 1)):
        dl_ds = dl_dx * sigma.df(s[l])
        grad_w.append(dl_ds.T @ x[l - 1])
        grad_b.append(dl_ds.sum(axis=0))
        dl_dx = dl_ds @ weights[l - 1]
    return grad_w, grad_b


def backward_w_transposed(weights, s, x, Y, sigma):
    return _batch_backward(
        weights,
        s,
        x,
        2 * (x[-1] - Y) / len(Y),
        sigma,
        lambda l: True,
        lambda l: x[l - 1],
        lambda l: weights[l - 1].T,
    )


def backward_dw_upside_down(weights, s, x, Y, sigma):
    grad_w, grad_b = [], []
    dl_dx = 2 * (x[-1] - Y) / len(Y)
    for l in range(len(weights), 0, -1):
        dl_ds = dl_dx * sigma.df(s[l])
        grad_w.insert(0, x[l - 1].T @ dl_ds)
        grad_b.insert(0, dl_ds.sum(axis=0))
        dl_dx = dl_ds @ weights[l - 1]
    return grad_w, grad_b


def backward_target_minus_output(weights, s, x, Y, sigma):
    return _batch_backward(
        weights,
        s,
        x,
        2 * (Y - x[-1]) / len(Y),
        sigma,
        lambda l: True,
        lambda l: x[l - 1],
        lambda l: weights[l - 1],
    )


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_backward_reference_matches_the_package(activation):
    net = MLP([3, 5, 4, 2], activation=activation, output_activation=activation, seed=3)
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    t = net.trace(X)
    sigma = tanh if activation == "tanh" else sigmoid
    grad_w, grad_b = check_backward_pass(backward_stub).function(net.weights, t.s, t.x, Y, sigma)
    _, expected_w, expected_b = net.gradients(X, Y, loss="mse")
    for got, want in zip(grad_w + grad_b, expected_w + expected_b, strict=True):
        assert relative_error(got, want) < 1e-12


def test_backward_check_accepts_a_per_sample_implementation():
    result = check_backward_pass(backward_per_sample)
    assert result.status == "correct"
    assert result.function is backward_per_sample


def test_backward_check_says_todo_for_a_stub():
    assert check_backward_pass(backward_stub).status == "todo"


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (backward_sum_not_mean, "missing_1_over_n"),
        (backward_no_sigma_prime, "forgot_sigma_prime"),
        (backward_output_is_linear, "forgot_sigma_prime"),
        (backward_overwrites, "overwrite_not_accumulate"),
        (backward_off_by_one, "off_by_one"),
        (backward_appended, "layer_order"),
        (backward_w_transposed, "transpose"),
        (backward_dw_upside_down, "shapes_swapped"),
        (backward_target_minus_output, "sign"),
    ],
)
def test_backward_check_names_each_mistake(wrong, key):
    result = check_backward_pass(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
    assert result.function is not wrong


# ----- Exercises 4.3 and 4.4: CSC311 ---------------------------------------------------------
def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def w2_12_scalar(W, z, a, t):
    """Correct, written as on CSC311's slide, with 0-based Python indices."""
    dC_da3 = 2 * (a[3][0] - t)
    dC_dz3 = dC_da3 * tanh_prime(z[3][0])
    dC_dz2_1 = dC_dz3 * W[3][0, 0] * tanh_prime(z[2][0])
    return dC_dz2_1 * a[1][1]


def w2_stub(W, z, a, t):
    raise NotImplementedError("Exercise 4.3: ...")


def w2_21(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return dC_dz3 * W[3][0, 1] * tanh_prime(z[2][1]) * a[1][0]


def w2_literal_indices(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return dC_dz3 * W[3][0, 1] * tanh_prime(z[2][1]) * a[1][2]


def w2_no_output_derivative(W, z, a, t):
    return 2 * (a[3][0] - t) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def w2_t_minus_a(W, z, a, t):
    return 2 * (t - a[3][0]) * tanh_prime(z[3][0]) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def w2_half(W, z, a, t):
    return (a[3][0] - t) * tanh_prime(z[3][0]) * W[3][0, 0] * tanh_prime(z[2][0]) * a[1][1]


def _dC_dz2(W, z, a, t):
    dC_dz3 = 2 * (a[3][0] - t) * tanh_prime(z[3][0])
    return [dC_dz3 * W[3][0, i] * tanh_prime(z[2][i]) for i in range(len(z[2]))]


def w1_23_scalar(W, z, a, t):
    """Correct: sum over the units i of layer 2, then sigma^(1)' and a_3^(0)."""
    d2 = _dC_dz2(W, z, a, t)
    total = 0.0
    for i in range(len(d2)):
        total += d2[i] * W[2][i, 1]
    return total * tanh_prime(z[1][1]) * a[0][2]


def w1_32(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 2] for i in range(len(d2))) * tanh_prime(z[1][2]) * a[0][1]


def w1_literal_indices(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 2] for i in range(len(d2))) * tanh_prime(z[1][2]) * a[0][3]


def w1_single_chain(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return d2[1] * W[2][1, 1] * tanh_prime(z[1][1]) * a[0][2]


def w1_row_of_W2(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][1, i] for i in range(len(d2))) * tanh_prime(z[1][1]) * a[0][2]


def w1_no_first_layer_derivative(W, z, a, t):
    d2 = _dC_dz2(W, z, a, t)
    return sum(d2[i] * W[2][i, 1] for i in range(len(d2))) * a[0][2]


def w1_sign(W, z, a, t):
    return -w1_23_scalar(W, z, a, t)


def _csc311_network(seed):
    net = MLP([4, 3, 3, 1], activation="tanh", output_activation="tanh", seed=seed)
    rng = np.random.default_rng(seed)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    x, target = rng.normal(size=4), float(rng.normal())
    tr = net.trace(x)
    return net, x, target, ([None, *net.weights], tr.s, tr.x, target)


@pytest.mark.parametrize("seed", [0, 1])
def test_csc311_references_match_the_package_gradients(seed):
    net, x, target, args = _csc311_network(seed)
    _, grad_w, _ = net.gradients(x[None, :], np.array([[target]]), loss="mse")
    w2 = check_dC_dW2_12(w2_stub).function(*args)
    w1 = check_dC_dW1_23(w2_stub).function(*args)
    assert abs(w2 - grad_w[1][0, 1]) <= 1e-12 * max(1.0, abs(w2))
    assert abs(w1 - grad_w[0][1, 2]) <= 1e-12 * max(1.0, abs(w1))


def test_csc311_checks_accept_scalar_implementations():
    assert check_dC_dW2_12(w2_12_scalar).status == "correct"
    assert check_dC_dW1_23(w1_23_scalar).status == "correct"


def test_csc311_checks_say_todo_for_stubs():
    assert check_dC_dW2_12(w2_stub).status == "todo"
    assert check_dC_dW1_23(w2_stub).status == "todo"


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (w2_21, "index_order"),
        (w2_literal_indices, "one_based_indices"),
        (w2_no_output_derivative, "forgot_sigma_prime"),
        (w2_t_minus_a, "sign"),
        (w2_half, "scale"),
    ],
)
def test_dW2_12_check_names_each_mistake(wrong, key):
    result = check_dC_dW2_12(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (w1_32, "index_order"),
        (w1_literal_indices, "one_based_indices"),
        (w1_single_chain, "one_path_only"),
        (w1_row_of_W2, "transpose"),
        (w1_no_first_layer_derivative, "forgot_sigma_prime"),
        (w1_sign, "sign"),
    ],
)
def test_dW1_23_check_names_each_mistake(wrong, key):
    result = check_dC_dW1_23(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


def test_checks_refuse_a_value_instead_of_a_function():
    with pytest.raises(TypeError, match="your function itself"):
        check_dC_dW2_12(0.5)
