"""The training path (bpcourse.training) computes what the plain equations (MLP.gradients) do."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bpcourse import MLP, training
from bpcourse.activations import Activation

ACTIVATIONS = ["relu", "tanh", "sigmoid", "identity"]


def rel_err(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-300)


def plain_step(net, X, Y, lr, loss, reduction):
    """The reference: a gradient step written with MLP.gradients, the plain backward pass."""
    value, grad_w, grad_b = net.gradients(X, Y, loss=loss, reduction=reduction)
    for param, grad in zip(net.parameters(), grad_w + grad_b):
        param -= lr * grad
    return value


def data(rng, n, sizes, loss):
    X = rng.normal(size=(n, sizes[0]))
    if loss == "mse":
        return X, rng.normal(size=(n, sizes[-1]))
    return X, rng.integers(0, sizes[-1], size=n)


@settings(max_examples=300)
@given(
    depth=st.integers(1, 4),
    widths=st.lists(st.integers(1, 8), min_size=5, max_size=5),
    batches=st.lists(st.integers(1, 10), min_size=2, max_size=4),
    activation=st.sampled_from(ACTIVATIONS),
    output_activation=st.sampled_from(ACTIVATIONS),
    loss=st.sampled_from(["mse", "cross_entropy"]),
    reduction=st.sampled_from(["mean", "sum"]),
    lr=st.floats(1e-3, 0.2),
    seed=st.integers(0, 2**16),
)
def test_step_equals_the_plain_equations_over_several_steps(
    depth, widths, batches, activation, output_activation, loss, reduction, lr, seed
):
    sizes = widths[: depth + 1]
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    rng = np.random.default_rng(seed)
    fast = MLP(sizes, activation=activation, output_activation=output_activation, seed=seed)
    for b in fast.biases:  # random biases keep s away from ReLU's kink at exactly 0
        b[:] = rng.normal(size=b.shape)
    plain = MLP.from_params(fast.weights, fast.biases, activation, output_activation)
    # batch sizes change between steps, and come back: buffers are made, then reused
    for n in batches + batches[:1]:
        X, Y = data(rng, n, sizes, loss)
        X_before, Y_before = X.copy(), Y.copy()
        with np.errstate(over="ignore", invalid="ignore"):  # a deep linear net may blow up
            value = fast.step(X, Y, lr, loss=loss, reduction=reduction)
            expected = plain_step(plain, X, Y, lr, loss, reduction)
            big = max(np.max(np.abs(p)) for p in plain.parameters())
        assume(np.isfinite(expected) and big < 1e100)  # such examples say nothing
        assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)
        for p, q in zip(fast.parameters(), plain.parameters()):
            assert rel_err(p, q) <= 1e-12
        assert np.array_equal(X, X_before) and np.array_equal(Y, Y_before)  # inputs untouched


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_fit_with_a_smaller_last_batch_equals_plain_steps(loss, reduction):
    rng = np.random.default_rng(3)
    sizes, n, batch_size, lr, epochs, seed = [3, 6, 5, 4], 23, 5, 0.05, 4, 11
    X, Y = data(rng, n, sizes, loss)
    fast = MLP(sizes, activation="tanh", seed=2)
    plain = MLP(sizes, activation="tanh", seed=2)
    history = fast.fit(X, Y, lr, epochs, batch_size, loss=loss, seed=seed, reduction=reduction)
    order_rng, expected = np.random.default_rng(seed), [plain.loss(X, Y, loss, reduction)]
    for _ in range(epochs):  # as fit's docstring says: shuffle, then one step per batch
        order = order_rng.permutation(n)
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            plain_step(plain, X[rows], Y[rows], lr, loss, reduction)
        expected.append(plain.loss(X, Y, loss, reduction))
    assert np.allclose(history, expected, rtol=1e-12, atol=0)
    for p, q in zip(fast.parameters(), plain.parameters()):
        assert rel_err(p, q) <= 1e-12


def test_buffers_are_made_once_per_batch_size_and_reused():
    rng = np.random.default_rng(0)
    net = MLP([2, 4, 1], seed=0)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    net.step(X, Y, 0.1)
    first = net._training[6]
    arrays = [id(a) for a in first.s[1:] + first.dl_dx[1:] + first.lr_dw + first.lr_db]
    net.step(X, Y, 0.1)
    net.step(X[:4], Y[:4], 0.1)  # a smaller batch gets its own buffers
    net.step(X, Y, 0.1)
    assert net._training[6] is first and set(net._training) == {6, 4}
    assert [id(a) for a in first.s[1:] + first.dl_dx[1:] + first.lr_dw + first.lr_db] == arrays


def test_an_activation_defined_outside_the_package_trains_like_the_plain_path():
    # notebook 03 builds its own affine activation, whose f takes no out= argument
    affine = Activation("affine", lambda z: 0.5 * z + 0.1, lambda z: np.full_like(z, 0.5))
    rng = np.random.default_rng(1)
    fast = MLP([3, 4, 2], activation=affine, seed=1)
    plain = MLP([3, 4, 2], activation=affine, seed=1)
    for _ in range(3):
        X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
        assert fast.step(X, Y, 0.1) == pytest.approx(plain_step(plain, X, Y, 0.1, "mse", "mean"))
    for p, q in zip(fast.parameters(), plain.parameters()):
        assert rel_err(p, q) <= 1e-12


def test_step_sees_parameters_changed_between_steps():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    fast, plain = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], seed=0)
    fast.step(X, Y, 0.1), plain_step(plain, X, Y, 0.1, "mse", "mean")
    for net in (fast, plain):  # in place, and a whole new array
        net.biases[0][:] = 0.5
        net.weights[1] = np.ones((1, 3))
    fast.step(X, Y, 0.1), plain_step(plain, X, Y, 0.1, "mse", "mean")
    for p, q in zip(fast.parameters(), plain.parameters()):
        assert rel_err(p, q) <= 1e-12


def test_a_copied_network_trains_on_its_own():
    import copy

    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    net = MLP([2, 3, 1], seed=0)
    net.step(X, Y, 0.1)
    twin = copy.deepcopy(net)
    twin.step(X, Y, 0.1)
    assert twin._training[4] is not net._training[4]
    assert not np.array_equal(twin.weights[0], net.weights[0])


def test_the_module_says_it_is_the_same_equations():
    doc = training.__doc__
    assert "layer_backward" in doc and "dl_ds = dl_dx * sigma'(s)" in doc
