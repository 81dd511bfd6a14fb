import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.gradcheck import check_mlp, numerical_gradient, numerical_jacobian, relative_error

rng = np.random.default_rng(0)


def test_numerical_gradient_of_a_known_function_any_shape():
    A = rng.normal(size=(3, 4))
    W = rng.normal(size=(3, 4))
    # f(W) = sum(A * W^3) has gradient 3 A W^2, written here by hand.
    numeric = numerical_gradient(lambda w: np.sum(A * w**3), W)
    assert relative_error(numeric, 3 * A * W**2) < 1e-8


def test_numerical_gradient_leaves_its_input_unchanged():
    w = rng.normal(size=(2, 3, 2))
    before = w.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), w)
    assert np.array_equal(w, before)


def test_numerical_gradient_restores_input_when_f_raises():
    w = np.array([1.0, 2.0])

    def f(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(f, w)
    assert np.array_equal(w, [1.0, 2.0])


def test_numerical_jacobian_is_m_by_n_in_numerator_layout():
    A = rng.normal(size=(2, 3))
    x = rng.normal(size=3)
    J = numerical_jacobian(lambda v: A @ v + np.array([v[0] ** 2, 0.0]), x)
    expected = A + np.array([[2 * x[0], 0, 0], [0, 0, 0]])
    assert J.shape == (2, 3)
    assert relative_error(J, expected) < 1e-8


def test_relative_error_definition():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    # max|a-b| / max(|a|+|b|) = 1 / 5
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(0.2)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_mlp_is_small_for_a_correct_network_and_large_for_a_broken_one():
    net = MLP([3, 4, 2], activation="tanh", seed=0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    assert check_mlp(net, X, Y) < 1e-7

    class Broken(MLP):
        def gradients(self, X, Y, loss="mse"):
            value, gw, gb = super().gradients(X, Y, loss)
            return value, [2 * g for g in gw], gb

    broken = Broken([3, 4, 2], seed=0)
    assert check_mlp(broken, X, Y) > 0.1


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="f must be a callable"):
        numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        numerical_gradient(np.sum, np.zeros(2), eps=0)
    with pytest.raises(ValueError, match=r"x must be 1-D, got an array of shape \(2, 2\)"):
        numerical_jacobian(lambda v: v, np.zeros((2, 2)))


def test_check_mlp_by_group_finds_a_wrong_small_bias_gradient_that_one_error_hides():
    from bpcourse.gradcheck import check_mlp_by_group

    net = MLP([3, 4, 2], activation="tanh", seed=0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    errors = check_mlp_by_group(net, X, Y)
    assert list(errors) == ["w1", "b1", "w2", "b2"] and max(errors.values()) < 1e-7
    assert max(errors.values()) == check_mlp(net, X, Y)
    assert check_mlp_by_group(net, X, Y, reduction="sum")["b2"] < 1e-7

    class BiasBug(MLP):  # b2's gradient doubled: a wrong backward pass
        def gradients(self, X, Y, loss="mse", reduction="mean"):
            value, gw, gb = super().gradients(X, Y, loss, reduction)
            return value, gw, gb[:-1] + [2 * gb[-1]]

    # inputs of size 1e4 make [dL/dw] = [dL/ds]^T x some 1e4 times [dL/db] = 1^T [dL/ds]
    broken = BiasBug([3, 4, 2], activation="identity", seed=0)
    X_big = 1e4 * X
    _, gw, gb = broken.gradients(X_big, Y)
    _, gw_true, gb_true = MLP.gradients(broken, X_big, Y)  # the right ones
    everything = relative_error(
        np.concatenate([g.ravel() for g in gw + gb]),
        np.concatenate([g.ravel() for g in gw_true + gb_true]),
    )
    assert everything < 1e-4  # one error over all the parameters passes the wrong gradient
    errors = check_mlp_by_group(broken, X_big, Y, eps=1e-3)
    assert errors["b2"] > 0.3 and max(errors[k] for k in ("w1", "b1", "w2")) < 1e-6
