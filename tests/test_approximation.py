import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
