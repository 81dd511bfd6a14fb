"""bpcourse as a library: worked examples published elsewhere, reproduced without workarounds."""

import copy

import numpy as np
import pytest

from bpcourse import MLP
from bpcourse.autodiff import Value
from bpcourse.gradcheck import relative_error

# Matt Mazur, "A Step by Step Backpropagation Example" (2015): a 2-2-2 sigmoid network, one
# sample, E = sum 1/2 (target - out)^2, one gradient step with eta = 0.5. His numbers.
MAZUR_W = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]
MAZUR_B = [[0.35, 0.35], [0.60, 0.60]]
MAZUR_X, MAZUR_Y = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def mazur_net():
    return MLP.from_params(MAZUR_W, MAZUR_B, activation="sigmoid", output_activation="sigmoid")


def test_from_params_reproduces_mazurs_forward_pass_and_error():
    net = mazur_net()
    assert np.allclose(net.forward(MAZUR_X), [[0.75136507, 0.772928465]], rtol=0, atol=1e-8)
    # his E has a 1/2 that bpcourse's squared error has not
    assert net.loss(MAZUR_X, MAZUR_Y, reduction="sum") / 2 == pytest.approx(0.298371109, abs=1e-9)


def test_one_summed_step_reproduces_mazurs_updated_weights():
    net = mazur_net()
    # bpcourse's loss is 2 E, so its step with lr = 0.25 is his step with eta = 0.5
    net.step(MAZUR_X, MAZUR_Y, lr=0.25, reduction="sum")
    w1_to_w4 = [[0.149780716, 0.19956143], [0.24975114, 0.29950229]]
    w5_to_w8 = [[0.35891648, 0.408666186], [0.511301270, 0.561370121]]
    assert np.allclose(net.weights[0], w1_to_w4, rtol=0, atol=1e-8)
    assert np.allclose(net.weights[1], w5_to_w8, rtol=0, atol=1e-8)


def test_micrograd_readme_example_in_one_backward_call():
    # Karpathy's micrograd README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert (round(g.data, 4), round(a.grad, 4), round(b.grad, 4)) == (24.7041, 138.8338, 645.5773)


# ----- from_params -----------------------------------------------------------------------------
def test_from_params_copies_to_float64_and_infers_the_sizes():
    w1, b1 = np.array([[1, 2], [3, 4], [5, 6]]), np.array([1, 0, -1])  # integers
    w2, b2 = np.ones((1, 3)), np.zeros(1)
    net = MLP.from_params([w1, w2], [b1, b2], activation="relu")
    assert net.sizes == [2, 3, 1] and net.activation.name == "relu"
    assert all(p.dtype == np.float64 for p in net.parameters())
    w2[0, 0] = 99.0  # the caller's array is not the network's
    assert net.weights[1][0, 0] == 1.0
    x = np.array([1.0, -1.0])
    assert np.allclose(net.forward(x), np.ones(3) @ np.maximum(w1 @ x + b1, 0))


@pytest.mark.parametrize(
    "weights, biases, error, message",
    [
        (
            [np.zeros((3, 2)), np.zeros((1, 4))],
            [np.zeros(3), np.zeros(1)],
            ValueError,
            r"weights\[1\], the w\^\(2\) of layer 2, has shape \(1, 4\): its 4 columns must "
            r"match the 3 units of layer 1",
        ),
        (
            [np.zeros((3, 2)), np.zeros((1, 3))],
            [np.zeros((3, 1)), np.zeros(1)],
            ValueError,
            r"biases\[0\], the b\^\(1\) of layer 1, must have shape \(3,\), got shape \(3, 1\)",
        ),
        (
            [np.zeros((3, 2)), np.zeros((1, 3))],
            [np.zeros(3), np.zeros(2)],
            ValueError,
            r"biases\[1\], the b\^\(2\) of layer 2, must have shape \(1,\), got shape \(2,\)",
        ),
        (
            [np.zeros((3, 2))],
            [np.zeros(3), np.zeros(1)],
            ValueError,
            "one array per layer, at least one, got 1 weights and 2 biases",
        ),
        ([np.zeros(3)], [np.zeros(3)], ValueError, r"weights\[0\] \(layer 1\) must be 2-D"),
        ([np.zeros((0, 2))], [np.zeros(0)], ValueError, "a layer needs at least one input and one"),
        (np.zeros((1, 3, 2)), [np.zeros(3)], TypeError, "weights must be a list of arrays"),
        ([np.zeros((1, 2))], [[np.nan]], ValueError, r"biases\[0\] contains 1 NaN"),
    ],
)
def test_from_params_names_the_layer_and_the_shapes(weights, biases, error, message):
    with pytest.raises(error, match=message):
        MLP.from_params(weights, biases)


# ----- parameters checked where they are set and where they are used --------------------------
def test_a_column_bias_is_refused_with_the_layer_and_both_shapes():
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"biases\[0\], the b\^\(1\) of layer 1, must have shape "):
        net.biases[0] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"\(3,\), got shape \(3, 1\).*use b.ravel\(\)"):
        net.biases[0] = np.zeros((3, 1))


def test_a_transposed_weight_is_refused_with_the_layer_and_both_shapes():
    net = MLP([2, 3, 1])
    with pytest.raises(
        ValueError, match=r"weights\[1\], the w\^\(2\) of layer 2, must have shape "
    ):
        net.weights[1] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"\(1, 3\), got shape \(3, 1\).*use w.T"):
        net.weights[-1] = np.zeros((3, 1))


def test_a_whole_new_list_is_checked_too():
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"biases\[1\], the b\^\(2\) of layer 2"):
        net.biases = [np.zeros(3), np.zeros((1, 1))]
    with pytest.raises(ValueError, match="biases must be a list of 2 arrays, one per layer, got 1"):
        net.biases = [np.zeros(3)]
    with pytest.raises(ValueError, match=r"weights\[0:2\] holds 2 arrays, got 1"):
        net.weights[0:2] = [np.zeros((3, 2))]
    with pytest.raises(TypeError, match=r"weights\[0\] \(layer 1\) must be an array of numbers"):
        net.weights = ["abc", np.zeros((1, 3))]
    net.biases = [np.ones(3), [2.0]]  # a good list is taken, as float64 arrays
    assert net.biases[1].dtype == np.float64 and net.forward(np.zeros(2)).shape == (1,)


def test_parameters_stay_list_like_and_change_in_place():
    net = MLP([2, 3, 1], seed=0)
    assert len(net.weights) == 2 and isinstance(net.weights[0], np.ndarray)
    assert [w.shape for w in net.weights] == [(3, 2), (1, 3)]
    net.biases[0][:] = 1.5  # in place, as notebooks do
    assert np.array_equal(net.biases[0], [1.5, 1.5, 1.5])
    w0 = np.arange(6.0).reshape(3, 2)
    net.weights[0] = w0  # a float64 array of the right shape is kept as it is
    assert net.weights[0] is w0
    assert len(net.weights + net.biases) == 4 and len(net.parameters()) == 4
    assert dict(enumerate(net.biases))[0] is net.biases[0]
    assert "array" in repr(net.weights)
    twin = copy.deepcopy(net)
    assert np.array_equal(twin.weights[0], w0) and twin.weights[0] is not w0
    twin.biases[0] = np.zeros(3)
    assert net.biases[0][0] == 1.5


def test_a_parameter_reshaped_in_place_is_caught_where_it_is_used():
    net = MLP([3, 3, 1], seed=0)
    net.biases[0].shape = (3, 1)  # NumPy would broadcast it into a (3, 3) pre-activation
    X, Y = np.ones((3, 3)), np.ones((3, 1))
    for call in (
        lambda: net.forward(X),
        lambda: net.loss(X, Y),
        lambda: net.gradients(X, Y),
        lambda: net.step(X, Y, 0.1),
        lambda: net.fit(X, Y, 0.1, 1),
    ):
        with pytest.raises(ValueError, match=r"biases\[0\].*\(3,\), got shape \(3, 1\)"):
            call()


# ----- reduction -------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_sum_reduction_is_n_times_the_mean_everywhere(loss):
    rng = np.random.default_rng(0)
    n = 7
    X = rng.normal(size=(n, 3))
    Y = rng.normal(size=(n, 2)) if loss == "mse" else rng.integers(0, 2, size=n)
    net = MLP([3, 4, 2], seed=1)
    assert net.loss(X, Y, loss, reduction="sum") == pytest.approx(n * net.loss(X, Y, loss))
    mean_value, mean_w, mean_b = net.gradients(X, Y, loss)
    sum_value, sum_w, sum_b = net.gradients(X, Y, loss, reduction="sum")
    assert sum_value == pytest.approx(n * mean_value)
    assert all(np.allclose(s, n * m) for s, m in zip(sum_w + sum_b, mean_w + mean_b))
    # a summed step with lr is a mean step with lr * n
    a, b = MLP([3, 4, 2], seed=1), MLP([3, 4, 2], seed=1)
    assert a.step(X, Y, 0.01, loss, reduction="sum") == pytest.approx(n * b.step(X, Y, 0.07, loss))
    assert all(relative_error(p, q) < 1e-12 for p, q in zip(a.parameters(), b.parameters()))
    history_sum = a.fit(X, Y, 0.01, 3, loss=loss, reduction="sum")
    history_mean = b.fit(X, Y, 0.07, 3, loss=loss)
    assert np.allclose(history_sum, n * history_mean, rtol=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda net, X, Y: net.loss(X, Y, reduction="avg"),
        lambda net, X, Y: net.gradients(X, Y, reduction="avg"),
        lambda net, X, Y: net.step(X, Y, 0.1, reduction="avg"),
        lambda net, X, Y: net.fit(X, Y, 0.1, 1, reduction="avg"),
    ],
)
def test_an_unknown_reduction_is_named(call):
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', got 'avg'"):
        call(MLP([2, 3, 1]), np.ones((4, 2)), np.ones(4))


def test_a_network_pickles_and_trains_after_unpickling():
    import pickle

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    for activation in ("relu", "tanh", "sigmoid", "identity"):
        net = MLP([2, 3, 1], activation=activation, seed=0)
        net.step(X, Y, 0.1)
        twin = pickle.loads(pickle.dumps(net))
        assert twin.step(X, Y, 0.1) == net.step(X, Y, 0.1)
        assert all(np.array_equal(p, q) for p, q in zip(twin.parameters(), net.parameters()))
