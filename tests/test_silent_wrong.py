"""Odd input that used to give a wrong value, a hang, a crash or a screen of warnings.

Each test computes the right answer independently (by hand, or with plain NumPy) and compares,
or checks that what cannot be answered is refused before anything changes. pyproject's
``filterwarnings`` turns a RuntimeWarning (NumPy's overflow, ComplexWarning) into a failure.
"""

import math
import warnings

import numpy as np
import pytest

from bpcourse import MLP, activations, losses
from bpcourse.activations import Activation
from bpcourse.autodiff import Value, draw, nodes_and_edges
from bpcourse.descent import gradient_descent, outcome
from bpcourse.gradcheck import check_mlp, numerical_gradient, numerical_jacobian, relative_error
from bpcourse.mlp import layer_backward, layer_forward

rng = np.random.default_rng(16)


@pytest.fixture(autouse=True)
def no_warning_at_all():
    """Every warning is an error here, not only RuntimeWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def data(n=6, d_in=2, d_out=1):
    return rng.normal(size=(n, d_in)), rng.normal(size=(n, d_out))


# ----- gradcheck --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_numerical_gradient_refuses_an_array_it_cannot_perturb_instead_of_returning_zeros(dtype):
    w = np.array([1, 2], dtype=dtype)
    with pytest.raises(TypeError, match=rf"w must be a float64 array, got an? {dtype.__name__}"):
        numerical_gradient(lambda _: float(np.sum(w.astype(float) ** 2)), w)  # f reads w
    w64 = w.astype(np.float64)  # the fix the message gives: f reads the float64 array
    grad = numerical_gradient(lambda _: float(np.sum(w64**2)), w64)
    np.testing.assert_allclose(grad, 2 * w64, rtol=1e-8)


def test_numerical_gradient_refuses_an_eps_that_does_not_move_w_instead_of_returning_zeros():
    w = np.array([1e3, 2.0])
    with pytest.raises(ValueError, match=r"eps=1e-14 is too small for w\[0\] = 1000.0: w \+ eps"):
        numerical_gradient(lambda v: float(np.sum(v**2)), w, eps=1e-14)
    assert np.array_equal(w, [1e3, 2.0])


def test_numerical_gradient_of_a_transposed_array_is_right():
    w = rng.normal(size=(2, 3)).T  # not contiguous: it used to be refused
    grad = numerical_gradient(lambda v: float(np.sum(np.sin(v))), w)
    np.testing.assert_allclose(grad, np.cos(w), rtol=1e-7)


def test_numerical_gradient_of_no_variable_is_empty():
    assert numerical_gradient(lambda v: 1.0, np.zeros(0)).shape == (0,)


def test_numerical_jacobian_refuses_a_function_whose_output_size_changes():
    with pytest.raises(ValueError, match="f\\(x\\) must return the same number of values"):
        numerical_jacobian(lambda v: np.ones(1 + int(v[0] > 1)), np.ones(2))


def test_numerical_jacobian_of_no_variable_has_no_column():
    assert numerical_jacobian(lambda v: np.ones(3), np.zeros(0)).shape == (3, 0)


def test_relative_error_of_huge_entries_is_a_number_not_nan():
    a, b = np.array([1e308, 1.0]), np.array([-1e308, 1.0])
    assert relative_error(a, b) == pytest.approx(1.0)  # |a - b| = |a| + |b|: unrelated
    assert relative_error(1e308 * np.ones(2), 1e308 * np.ones(2)) == 0.0


def test_check_mlp_names_a_read_only_parameter():
    net = MLP([2, 3, 1], seed=0)
    w = net.weights[0].copy()
    w.flags.writeable = False
    net.weights[0] = w
    with pytest.raises(ValueError, match=r"net.weights\[0\] is a read-only array"):
        check_mlp(net, *data())


# ----- training ---------------------------------------------------------------------------------
def test_step_at_a_diverging_learning_rate_reports_inf_and_keeps_the_last_finite_weights():
    X, Y = data(20)
    net = MLP([2, 8, 1], activation="relu", seed=0)
    values = []
    for _ in range(40):
        before = [p.copy() for p in net.parameters()]
        values.append(net.step(X, Y, lr=1e3))
        if math.isinf(values[-1]):
            break
    assert math.isinf(values[-1]) and all(np.isfinite(values[:-1]))
    # the refused step changed nothing: the parameters are those before it, all finite
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before))
    assert all(np.all(np.isfinite(p)) for p in net.parameters())


def test_step_refuses_a_nan_written_in_place_instead_of_spreading_it():
    X, Y = data()
    net = MLP([2, 3, 1], seed=0)
    net.weights[0][1, 0] = np.nan
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) contains 1 NaN"):
        net.step(X, Y, 0.1)
    assert np.all(np.isfinite(net.weights[1])) and np.all(np.isfinite(net.biases[0]))


def test_a_read_only_weight_stops_the_step_before_any_layer_changes():
    X, Y = data()
    net = MLP([2, 3, 1], seed=0)
    w = net.weights[0].copy()
    w.flags.writeable = False
    net.weights[0] = w  # layer 1 read-only: layer 2 used to be updated before the failure
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) is a read-only array"):
        net.step(X, Y, 0.1)
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before))


def test_a_step_is_all_or_nothing_when_the_backward_pass_fails():
    calls = []

    def flaky_df(s):
        calls.append(1)
        raise RuntimeError("sigma' failed")

    flaky = Activation("flaky", lambda s: np.tanh(s), flaky_df)
    X, Y = data()
    net = MLP([2, 3, 1], activation=flaky, seed=0)
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(RuntimeError, match="sigma' failed"):
        net.step(X, Y, 0.1)  # layer 2's update came before layer 1's sigma', which fails
    assert calls and all(np.array_equal(p, q) for p, q in zip(net.parameters(), before))


def test_fit_stops_on_divergence_with_finite_weights_and_no_warning():
    X, Y = data(20)
    net = MLP([2, 8, 1], activation="relu", seed=0)
    history = net.fit(X, Y, lr=1e306, epochs=50, batch_size=5)  # the first step overflows
    assert net.diverged_at is not None and len(history) == net.diverged_at
    assert all(np.all(np.isfinite(p)) for p in net.parameters())
    assert net.loss(X, Y) >= 0  # the network stays usable: no NaN, no error


def test_step_refuses_a_learning_rate_below_float64s_normal_range():
    X, Y = data(5)
    net = MLP([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"lr=1e-320 is too small: lr / N = 2e-321"):
        net.step(X, Y, 1e-320)  # used to return a loss wrong in its fourth digit


def test_fit_checks_the_callback_before_training():
    X, Y = data()
    net = MLP([2, 3, 1], seed=0)
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(TypeError, match=r"callback must take three arguments"):
        net.fit(X, Y, 0.1, 3, callback=lambda epoch: None)
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before))


def test_an_activation_whose_derivative_has_the_wrong_shape_is_refused_not_broadcast():
    # sigma'(s) of shape (N, 1) broadcasts into dl_ds (N, D) without a word: wrong gradients
    bad = Activation("bad", np.tanh, lambda s: (1 - np.tanh(s) ** 2)[:, :1])
    X, Y = data()
    net = MLP([2, 3, 1], activation=bad, seed=0)
    before = [p.copy() for p in net.parameters()]
    for call in (lambda: net.step(X, Y, 0.1), lambda: net.gradients(X, Y)):
        with pytest.raises(ValueError, match=r"'bad': sigma.df\(s\) must return an array of the"):
            call()
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), before))
    summed = Activation("summed", lambda s: np.tanh(s).sum(axis=1, keepdims=True), bad.df)
    with pytest.raises(ValueError, match=r"sigma.f\(s\) must return an array of the shape"):
        MLP([2, 3, 1], activation=summed).forward(X)


def test_fit_refuses_a_nan_set_by_its_callback_instead_of_calling_it_divergence():
    X, Y = data()
    net = MLP([2, 3, 1], seed=0)

    def sabotage(epoch, net, loss):
        net.biases[0][0] = np.nan

    with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\) contains 1 NaN"):
        net.fit(X, Y, 0.1, 5, callback=sabotage)


def test_sigma_refuses_a_layer_that_does_not_exist():
    net = MLP([2, 3, 1], activation="relu")
    assert net.sigma(1).name == "relu" and net.sigma(2).name == "identity"
    for l in (0, 3, -1):
        with pytest.raises(ValueError, match="l must be"):
            net.sigma(l)


def test_the_layer_functions_take_lists_and_activation_names():
    x_prev, w, b = [[1.0, -2.0], [0.5, 0.0]], [[0.3, -0.1], [1.0, 2.0]], [0.1, -0.2]
    s, x = layer_forward(x_prev, w, b, "tanh")
    expected_s = np.array(x_prev) @ np.array(w).T + np.array(b)
    np.testing.assert_allclose(s, expected_s) and np.testing.assert_allclose(x, np.tanh(s))
    dl_dx = [[1.0, 0.0], [0.0, 1.0]]
    _, dl_dw, dl_db = layer_backward(dl_dx, s, x_prev, w, "tanh")
    dl_ds = np.array(dl_dx) * (1 - np.tanh(expected_s) ** 2)
    np.testing.assert_allclose(dl_dw, dl_ds.T @ np.array(x_prev))
    np.testing.assert_allclose(dl_db, dl_ds.sum(axis=0))


# ----- losses and activations ---------------------------------------------------------------------
def test_a_loss_too_large_for_float64_is_inf_without_a_warning():
    value, grad = losses.cross_entropy(np.array([[1e308, -1e308]]), np.array([1]))
    assert value == math.inf  # -log softmax = 2e308 > 1.8e308
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])


def test_softmax_of_scores_1e308_apart_is_one_hot_without_a_warning():
    np.testing.assert_array_equal(losses.softmax([[1e308, -1e308]]), [[1.0, 0.0]])


def test_relu_derivative_of_nan_is_nan_not_zero():
    got = activations.relu.df(np.array([-1.0, 0.0, 2.0, np.nan]))
    np.testing.assert_array_equal(got, [0.0, 0.0, 1.0, np.nan])


def test_activations_of_a_bool_array_are_float64_values_of_0_and_1():
    for sigma in activations.ACTIVATIONS.values():
        got = sigma.f(np.array([True, False]))
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, sigma.f(np.array([1.0, 0.0])))


def test_cross_entropy_takes_bool_labels_as_0_and_1():
    scores = rng.normal(size=(3, 2))
    by_bool = losses.cross_entropy(scores, np.array([True, False, True]))
    by_int = losses.cross_entropy(scores, np.array([1, 0, 1]))
    assert by_bool[0] == by_int[0] and np.array_equal(by_bool[1], by_int[1])


# ----- autodiff -----------------------------------------------------------------------------------
def test_backward_through_a_graph_1000_nodes_deep():
    x = Value(0.5)
    total = Value(0.0)
    for _ in range(1000):
        total = total + x * x  # a sum of 1,000 squares: 3,000 nodes in a chain
    total.backward()
    assert total.data == pytest.approx(250.0) and x.grad == pytest.approx(1000.0)


def test_a_deep_graph_is_listed_and_drawn():
    import matplotlib

    matplotlib.use("Agg")
    y = Value(1.0, label="x")
    for _ in range(2000):
        y = y * 1.0
    nodes, edges = nodes_and_edges(y)
    assert len(nodes) == 4001 and len(edges) == 4000
    y = Value(1.0, label="x")
    for _ in range(400):  # drawing sorted the graph recursively: 400 was too deep already
        y = y * 1.0
    ax = draw(y, show_grad=False)
    assert len(ax.texts) == 801 + 800  # a box per node, an arrow (annotation) per edge


def test_x_to_the_power_0_is_the_constant_1_even_at_0():
    x = Value(0.0)
    y = x**0 + x**2
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)


@pytest.mark.parametrize("scalar", [np.int64(3), np.float32(3.0)])
def test_numpy_scalars_combine_with_a_value_on_either_side(scalar):
    x = Value(2.0)
    y = x * scalar + scalar * x - x / scalar + x**scalar
    y.backward()
    assert isinstance(y, Value)
    assert y.data == pytest.approx(6 + 6 - 2 / 3 + 8)
    assert x.grad == pytest.approx(3 + 3 - 1 / 3 + 3 * 4)


# ----- descent ------------------------------------------------------------------------------------
def test_a_run_creeping_at_a_tiny_learning_rate_is_not_converged():
    creeping = gradient_descent(lambda w: 2 * w, 1.0, 1e-10, 200)  # w_t = (1 - 2e-10)^t
    assert outcome(creeping).kind == "unsettled"
    assert outcome(gradient_descent(lambda w: 2 * w, 1.0, 0.1, 200)).kind == "converged"


def test_a_learning_rate_that_cannot_move_w0_is_refused():
    with pytest.raises(ValueError, match=r"lr=1e-300 is too small to move w0"):
        gradient_descent(lambda w: 2 * w, 1.0, 1e-300, 5)


def test_descent_from_a_huge_start_without_a_loss_runs():
    w0 = np.array([1e200, 1e200])  # its norm's square overflows: it used to be refused
    t = gradient_descent(lambda w: 2 * w, w0, 0.1, 10)
    np.testing.assert_allclose(t.w, np.outer(0.8 ** np.arange(11), w0))
    assert not t.diverged


# ----- found by the independent battery ----------------------------------------------------------
def test_an_activation_assigned_by_name_trains_like_a_network_built_with_it():
    X, Y = data()
    renamed, built = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], activation="relu", seed=0)
    renamed.activation = "relu"  # the training step used to crash on the str
    assert renamed.activation is activations.relu
    assert renamed.step(X, Y, 0.1) == built.step(X, Y, 0.1)
    assert all(np.array_equal(p, q) for p, q in zip(renamed.parameters(), built.parameters()))


def test_a_callback_that_makes_a_weight_read_only_stops_fit_before_a_half_step():
    X, Y = data()
    net = MLP([2, 3, 1], seed=0)
    after_callback = []

    def freeze(epoch, net, loss):
        net.weights[1].flags.writeable = False
        after_callback[:] = [p.copy() for p in net.parameters()]

    with pytest.raises(ValueError, match=r"after callback\(epoch=1.*weights\[1\] \(layer 2\) is a"):
        net.fit(X, Y, 0.1, 3, callback=freeze)
    # layer 1 used to be updated before NumPy's "output array is read-only"
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), after_callback))


def test_fit_refuses_more_epochs_than_memory_holds_before_training():
    X, Y = data()

    def trained(epoch, net, loss):
        raise RuntimeError("fit ran an epoch of 10**12")  # it used to run until memory ran out

    with pytest.raises(ValueError, match=r"epochs=1000000000000 needs .* more than this machine"):
        MLP([2, 3, 1]).fit(X, Y, 0.1, 10**12, callback=trained)


def test_logistic_fit_whose_scores_overflow_mid_run_reports_divergence():
    from bpcourse import datasets, logistic

    X, y = datasets.small_separable(20)
    run = logistic.fit(X * 1e150, y, lr=1e10, steps=5)  # used to raise "X @ w + b overflows"
    assert run.diverged and run.diverged_at == 1 and len(run) == 1
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.loss))


def test_chord_error_bound_of_no_count_and_of_counts_beyond_int64():
    from bpcourse.approximation import chord_error_bound

    assert chord_error_bound(0.0, 1.0, [], 1.0).shape == (0,)
    bound = chord_error_bound(0.0, 1.0, [2**70, 4], 8.0)  # 2**70 alone was already taken
    np.testing.assert_allclose(bound, [(1 / 2**70) ** 2, 1 / 16], rtol=1e-15)
    assert bound.dtype == np.float64


def test_show_source_of_an_activation_shows_its_function_and_derivative(capsys):
    from bpcourse.mlp import MLP as Network
    from bpcourse.notebook import show_source

    show_source(activations.tanh, Network.weights)  # used to raise inspect's TypeError
    shown = capsys.readouterr().out
    assert "def _tanh(s" in shown and "def _tanh_prime(s" in shown
    assert "def weights(self)" in shown


def test_sympy_integers_are_class_labels():
    import sympy as sp

    scores = rng.normal(size=(3, 4))
    expected = losses.cross_entropy(scores, [0, 3, 2])
    got = losses.cross_entropy(scores, [sp.Integer(0), sp.Integer(3), sp.Integer(2)])
    assert got[0] == expected[0] and np.array_equal(got[1], expected[1])


def test_outcome_of_a_run_with_no_coordinate_is_converged():
    run = gradient_descent(lambda w: w, np.zeros(0), 0.1, 10)  # outcome used to crash in NumPy
    result = outcome(run)
    assert result.kind == "converged" and result.period == 1 and result.points.shape == (1, 0)


def test_a_grad_that_changes_its_argument_in_place_cannot_change_the_run():
    def doubling_in_place(w):  # the gradient of w^2, written into w itself
        w *= 2
        return w

    run = gradient_descent(doubling_in_place, np.array([1.0]), 0.25, 3)
    np.testing.assert_array_equal(run.w.ravel(), [1.0, 0.5, 0.25, 0.125])  # was 1, 1.5, 2.25...


def test_a_psi_that_changes_its_argument_in_place_cannot_move_the_knots():
    from bpcourse.approximation import relu_interpolant

    def sin_of_double(x):
        x *= 2  # the knots used to be doubled with it
        return np.sin(x)

    relu_sum = relu_interpolant(sin_of_double, 0.0, 1.0, 4)
    knots = np.linspace(0.0, 1.0, 5)
    np.testing.assert_array_equal(relu_sum.knots, knots)
    np.testing.assert_allclose(relu_sum(knots), np.sin(2 * knots), rtol=1e-15, atol=1e-16)


def test_a_loss_returning_an_int_beyond_float64_mid_run_is_divergence():
    def exact_loss(w):  # exact integer arithmetic: 10**400 once w leaves [0.9, inf)
        return 1 if w[0] > 0.9 else 10**400

    run = gradient_descent(lambda w: 2 * w, np.array([1.0]), 0.1, 3, loss=exact_loss)
    assert run.diverged and run.diverged_at == 1  # used to raise "too large for float64"
    np.testing.assert_array_equal(run.w, [[1.0]])
