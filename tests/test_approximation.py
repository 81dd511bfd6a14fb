import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpcourse import approximation
from bpcourse.approximation import relu_interpolant


@given(n=st.integers(1, 40), a=st.floats(-5, 0), width=st.floats(0.5, 6))
def test_interpolant_hits_every_knot_with_n_units(n, a, width):
    b = a + width
    f = relu_interpolant(np.cos, a, b, n)
    knots = np.linspace(a, b, n + 1)
    assert f.n_units == n == len(f.w) == len(f.b) == len(f.omega)
    assert np.allclose(f(knots), np.cos(knots), atol=1e-12)


def test_it_is_the_network_c_plus_omega_relu_w_x_plus_b():
    f = relu_interpolant(np.sin, -1, 2, 7)
    x = np.linspace(-3, 4, 50)
    by_hand = f.c + np.maximum(np.outer(x, f.w) + f.b, 0) @ f.omega
    assert np.allclose(f(x), by_hand)


def test_linear_between_knots_and_outside():
    f = relu_interpolant(np.exp, 0, 1, 4)
    knots = np.linspace(0, 1, 5)
    mid = (knots[1:] + knots[:-1]) / 2
    assert np.allclose(f(mid), (np.exp(knots[1:]) + np.exp(knots[:-1])) / 2)
    left_slope = (np.exp(knots[1]) - 1) / 0.25
    right_slope = (np.e - np.exp(knots[3])) / 0.25
    assert f(-1.0) == pytest.approx(1 - left_slope)
    assert f(2.0) == pytest.approx(np.e + right_slope)


@pytest.mark.parametrize("psi", [np.sin, np.exp, lambda x: 1 / (1 + x**2)])
def test_error_falls_like_one_over_n_squared(psi):
    x = np.linspace(-1, 2, 20001)
    errors = [np.max(np.abs(relu_interpolant(psi, -1, 2, n)(x) - psi(x))) for n in (16, 32, 64)]
    ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    assert all(3.6 < r < 4.4 for r in ratios), ratios


def test_psi_is_called_once_on_the_array_of_knots():
    calls = []

    def psi(x):
        calls.append(np.array(x))
        return x**2

    relu_interpolant(psi, 0, 1, 5)
    assert len(calls) == 1 and np.allclose(calls[0], np.linspace(0, 1, 6))


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((np.sin, 1, 0, 3), ValueError, "must have a < b, got a=1.0, b=0.0"),
        ((np.sin, 0, 1, 0), ValueError, "n must be at least 1, got 0"),
        ((np.sin, 0, 1, 2.5), TypeError, "n must be an integer, got 2.5"),
        (("sin", 0, 1, 3), TypeError, "psi must be a callable"),
        ((lambda x: 1.0, 0, 1, 3), ValueError, "psi must return one value per knot"),
    ],
)
def test_bad_input_is_named(args, error, message):
    with pytest.raises(error, match=message):
        relu_interpolant(*args)


# ----- relu_sum_through, units_needed, compose_with_affine --------------------------------------
@given(
    widths=st.lists(st.floats(0.05, 3.0), min_size=1, max_size=12),
    start=st.floats(-5, 5),
    seed=st.integers(0, 2**31 - 1),
)
def test_relu_sum_through_is_np_interp_on_the_knots_span(widths, start, seed):
    t = start + np.concatenate([[0.0], np.cumsum(widths)])
    y = np.random.default_rng(seed).normal(size=len(t))
    f = approximation.relu_sum_through(t, y)
    x = np.linspace(t[0], t[-1], 301)
    assert f.n_units == len(t) - 1
    np.testing.assert_allclose(f(x), np.interp(x, t, y), atol=1e-9 * (1 + np.abs(y).max()))


def test_relu_sum_through_is_constant_left_of_the_first_knot_and_unpacks():
    t, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 0.0])
    c, w, b, omega = approximation.relu_sum_through(t, y)
    assert c == 1.0 and np.all(w == 1.0) and np.all(b == -t[:-1])
    np.testing.assert_allclose(omega, [1.0, -2.0])  # slopes 1 then -1
    assert approximation.relu_sum_through(t, y)(-5.0) == 1.0


def test_relu_interpolant_equals_relu_sum_through_on_its_interval():
    f = approximation.relu_interpolant(np.sin, -1.0, 2.0, 9)
    g = approximation.relu_sum_through(f.knots, np.sin(f.knots))
    x = np.linspace(-1.0, 2.0, 501)
    np.testing.assert_allclose(f(x), g(x), atol=1e-13)


@pytest.mark.parametrize(
    "t, y, message",
    [
        ([0.0, 2.0, 1.0], [0, 1, 2], "strictly increasing"),
        ([0.0, 1.0, 1.0], [0, 1, 2], "strictly increasing"),
        ([0.0], [1.0], "at least 2 knots"),
        ([0.0, 1.0], [1.0, 2.0, 3.0], "same shape"),
    ],
)
def test_relu_sum_through_names_bad_knots(t, y, message):
    with pytest.raises(ValueError, match=message):
        approximation.relu_sum_through(t, y)


@given(
    eps=st.floats(1e-6, 1.0),
    a=st.floats(-5, 5),
    width=st.floats(0.1, 10),
    max_d2=st.floats(0.01, 100),
)
def test_units_needed_is_the_smallest_n_that_keeps_the_bound(eps, a, width, max_d2):
    b = a + width
    n = approximation.units_needed(eps, a, b, max_d2)
    assert isinstance(n, int) and n >= 1
    assert approximation.chord_error_bound(a, b, n, max_d2) <= eps
    if n > 1:
        assert approximation.chord_error_bound(a, b, n - 1, max_d2) > eps


def test_units_needed_for_sin_within_1e_3_and_the_bound_holds():
    n = approximation.units_needed(1e-3, -np.pi, np.pi, 1.0)
    assert n == 71  # (2 pi) sqrt(1 / 0.008) = 70.25
    f = approximation.relu_interpolant(np.sin, -np.pi, np.pi, n)
    x = np.linspace(-np.pi, np.pi, 20001)
    assert np.max(np.abs(f(x) - np.sin(x))) <= 1e-3


def test_compose_with_affine_gives_the_same_units_on_any_x():
    rng = np.random.default_rng(3)
    w, b, v, c = rng.normal(size=5), rng.normal(size=5), rng.normal(size=3), 0.7
    W, B = approximation.compose_with_affine(w, b, v, c)
    assert W.shape == (5, 3) and B.shape == (5,)
    X = rng.normal(size=(40, 3))
    u = X @ v + c
    np.testing.assert_allclose(
        np.maximum(X @ W.T + B, 0), np.maximum(np.outer(u, w) + b, 0), atol=1e-12
    )
