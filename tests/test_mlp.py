import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpcourse import MLP
from bpcourse.activations import relu, tanh


def central_differences(f, w, eps=1e-6):
    """Independent of bpcourse.gradcheck: perturb each entry of w in place, then restore it."""
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        up = f()
        w[i] = old - eps
        down = f()
        w[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def rel_err(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-12)


@given(
    depth=st.integers(1, 4),
    widths=st.lists(st.integers(1, 8), min_size=5, max_size=5),
    n=st.integers(1, 10),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "identity"]),
    output_activation=st.sampled_from(["identity", "tanh", "sigmoid"]),
    loss=st.sampled_from(["mse", "cross_entropy"]),
    seed=st.integers(0, 2**16),
)
def test_backward_pass_matches_central_differences(
    depth, widths, n, activation, output_activation, loss, seed
):
    sizes = widths[: depth + 1]
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
        output_activation = "identity"
    net = MLP(sizes, activation=activation, output_activation=output_activation, seed=seed)
    rng = np.random.default_rng(seed)
    for b in net.biases:  # random biases keep every s away from ReLU's kink at exactly 0
        b[:] = rng.normal(size=b.shape)
    X = rng.normal(size=(n, sizes[0]))
    if loss == "mse":
        Y = rng.normal(size=(n, sizes[-1]))

        def value():
            return np.mean(np.sum((net.forward(X) - Y) ** 2, axis=1))
    else:
        Y = rng.integers(0, sizes[-1], size=n)

        def value():
            s = net.forward(X)
            log_p = s - s.max(axis=1, keepdims=True)
            log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
            return -np.mean(log_p[np.arange(n), Y])

    loss_value, grad_w, grad_b = net.gradients(X, Y, loss=loss)
    assert loss_value == pytest.approx(value(), rel=1e-12, abs=1e-14)
    for param, analytic in zip(net.parameters(), grad_w + grad_b):
        assert analytic.shape == param.shape
        assert rel_err(analytic, central_differences(value, param)) <= 1e-6


def test_forward_is_the_syllabus_recursion_written_out():
    net = MLP([3, 4, 2], activation="relu", seed=3)
    x = np.array([0.5, -1.0, 2.0])
    (w1, w2), (b1, b2) = net.weights, net.biases
    expected = w2 @ relu.f(w1 @ x + b1) + b2  # one sample as a column vector, as in deck 000
    assert np.allclose(net.forward(x), expected)
    assert net.forward(x).shape == (2,)


def test_trace_keeps_layer_indices_and_shapes():
    net = MLP([3, 5, 4, 2], seed=0)
    X = np.ones((7, 3))
    t = net.trace(X)
    assert t.s[0] is None and t.x[0] is X or np.array_equal(t.x[0], X)
    assert [x.shape for x in t.x] == [(7, 3), (7, 5), (7, 4), (7, 2)]
    assert [s.shape for s in t.s[1:]] == [(7, 5), (7, 4), (7, 2)]
    assert np.allclose(t.x[1], tanh.f(t.s[1]))
    one = net.trace(X[0])
    assert [x.shape for x in one.x] == [(3,), (5,), (4,), (2,)]


def test_weights_shapes_follow_the_syllabus():
    net = MLP([2, 16, 16, 1])
    assert [w.shape for w in net.weights] == [(16, 2), (16, 16), (1, 16)]
    assert [b.shape for b in net.biases] == [(16,), (16,), (1,)]
    assert all(w.dtype == np.float64 for w in net.parameters())


def test_parameters_are_the_arrays_in_place():
    net = MLP([2, 3, 1])
    net.parameters()[0][0, 0] = 42.0
    assert net.weights[0][0, 0] == 42.0


def test_same_seed_same_network_and_other_seed_other_network():
    assert np.array_equal(MLP([2, 3, 1], seed=5).weights[0], MLP([2, 3, 1], seed=5).weights[0])
    assert not np.array_equal(MLP([2, 3, 1], seed=5).weights[0], MLP([2, 3, 1], seed=6).weights[0])


def test_fit_decreases_the_loss_and_calls_back_each_epoch():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(64, 1))
    Y = np.sin(X)
    net, seen = MLP([1, 16, 1], seed=0), []
    history = net.fit(
        X, Y, lr=0.1, epochs=30, batch_size=16, callback=lambda e, n, l: seen.append(e)
    )
    assert len(history) == 31 and seen == list(range(1, 31))
    assert history[0] == pytest.approx(MLP([1, 16, 1], seed=0).loss(X, Y))
    assert history[-1] < 0.5 * history[0]


def test_full_batch_fit_is_plain_gradient_descent():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    a, b = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], seed=0)
    a.fit(X, Y, lr=0.05, epochs=3)
    for _ in range(3):
        _, gw, gb = b.gradients(X, Y)
        for p, g in zip(b.parameters(), gw + gb):
            p -= 0.05 * g
    assert all(np.allclose(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_too_large_a_learning_rate_diverges_quietly():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
    net = MLP([2, 8, 1], activation="relu")
    with np.errstate(
        over="raise", invalid="raise", divide="raise"
    ):  # any overflow warning would raise here
        history = net.fit(X, Y, lr=50.0, epochs=100)
    assert net.diverged_at is not None and len(history) == net.diverged_at
    assert np.all(np.isfinite(history))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: MLP([2, 3, 1]).forward(np.ones((4, 3))),
            ValueError,
            "X has 3 features but the network's first layer expects 2",
        ),
        (
            lambda: MLP([2, 3, 1]).gradients(np.ones((4, 2)), np.ones((4, 2))),
            ValueError,
            r"Y has shape \(4, 2\) but the network gives outputs of shape \(4, 1\)",
        ),
        (
            lambda: MLP([2, 3, 1]).forward(np.array([[1.0, np.nan]])),
            ValueError,
            "X contains 1 NaN or infinite value",
        ),
        (
            lambda: MLP([2, 3, 1]).fit(np.ones((4, 2)), np.ones(4), lr=-1, epochs=1),
            ValueError,
            "lr must be a positive finite number, got -1",
        ),
        (
            lambda: MLP([2, 3, 1]).fit(np.ones((4, 2)), np.ones(4), lr="0.1", epochs=1),
            TypeError,
            "lr must be a positive number, got '0.1'",
        ),
        (lambda: MLP([2, 0, 1]), ValueError, r"sizes\[1\] must be at least 1, got 0"),
        (lambda: MLP([2]), ValueError, "sizes must hold at least an input and an output"),
        (lambda: MLP([2, 3, 1], activation="Relu"), ValueError, "activation must be one of"),
        (
            lambda: MLP([2, 3, 1]).gradients(np.ones((4, 2)), np.ones(4), loss="l1"),
            ValueError,
            "loss must be one of 'mse', 'cross_entropy', got 'l1'",
        ),
        (
            lambda: MLP([2, 3, 1]).fit(np.ones((4, 2)), np.ones(4), 0.1, 1, batch_size=0),
            ValueError,
            "batch_size must be at least 1",
        ),
        (lambda: MLP([2, 3, 1]).forward("abc"), TypeError, "X must be an array of numbers"),
        (
            lambda: MLP([2, 3, 1]).step(np.ones((0, 2)), np.ones(0), 0.1),
            ValueError,
            "X holds no sample",
        ),
    ],
)
def test_bad_input_gets_a_message_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ----- the code students read is the equations --------------------------------------------------
def test_layer_backward_is_the_four_lines_of_the_syllabus():
    import inspect

    from bpcourse import mlp

    assert list(inspect.signature(mlp.layer_backward).parameters) == [
        "dl_dx",
        "s",
        "x_prev",
        "w",
        "sigma",
    ]
    body = inspect.getsource(mlp.layer_backward).split('"""')[-1]
    code = [line.split("#")[0].strip() for line in body.splitlines() if line.split("#")[0].strip()]
    assert code == [
        "dl_ds = dl_dx * sigma.df(s)",
        "dl_dw = dl_ds.T @ x_prev",
        "dl_db = dl_ds.sum(axis=0)",
        "dl_dx_prev = dl_ds @ w",
        "return dl_dx_prev, dl_dw, dl_db",
    ]
    assert list(inspect.signature(mlp.layer_forward).parameters) == ["x_prev", "w", "b", "sigma"]
    for function in (mlp.layer_forward, mlp.layer_backward):
        assert "shape (N, D_l)" in function.__doc__ and "shape (D_l, D_{l-1})" in function.__doc__


def test_the_backward_loop_shown_to_students_has_no_shortcuts():
    import inspect

    source = inspect.getsource(MLP._backprop)
    assert "for l in range(L, 0, -1):" in source and "layer_backward(" in source
    for shortcut in ("scale", "need_dl_dx_prev", "df_from_output", "out="):
        assert shortcut not in source
    assert len(source.splitlines()) <= 12


def test_layer_backward_matches_a_per_sample_loop():
    # the batch equations are the column-vector ones of the syllabus, one sample at a time
    rng = np.random.default_rng(5)
    from bpcourse.mlp import layer_backward

    n, d_prev, d = 4, 3, 2
    dl_dx, s, x_prev = (
        rng.normal(size=(n, d)),
        rng.normal(size=(n, d)),
        rng.normal(size=(n, d_prev)),
    )
    w = rng.normal(size=(d, d_prev))
    dl_dx_prev, dl_dw, dl_db = layer_backward(dl_dx, s, x_prev, w, tanh)
    expected_w, expected_b = np.zeros((d, d_prev)), np.zeros(d)
    for k in range(n):
        dl_ds = dl_dx[k] * (1 - np.tanh(s[k]) ** 2)
        expected_w += np.outer(dl_ds, x_prev[k])
        expected_b += dl_ds
        assert np.allclose(dl_dx_prev[k], w.T @ dl_ds)
    assert np.allclose(dl_dw, expected_w) and np.allclose(dl_db, expected_b)
