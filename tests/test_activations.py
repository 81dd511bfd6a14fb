import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpcourse import activations
from bpcourse.gradcheck import relative_error

NAMES = ["relu", "tanh", "sigmoid", "identity"]


@pytest.mark.parametrize("name", NAMES)
@given(s=st.lists(st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3), min_size=1, max_size=8))
def test_derivative_matches_central_differences(name, s):
    sigma, s, eps = activations.get_activation(name), np.array(s), 1e-6
    numeric = (sigma.f(s + eps) - sigma.f(s - eps)) / (2 * eps)
    assert relative_error(sigma.df(s), numeric) < 1e-7


def test_known_values():
    s = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(activations.relu.f(s), [0.0, 0.0, 3.0])
    assert np.array_equal(activations.relu.df(s), [0.0, 0.0, 1.0])  # relu'(0) = 0
    assert np.allclose(activations.sigmoid.f(s), 1 / (1 + np.exp(-s)))
    assert np.allclose(activations.tanh.df(s), 1 / np.cosh(s) ** 2)
    assert np.array_equal(activations.identity.df(s), np.ones(3))


def test_sigmoid_is_finite_and_silent_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = activations.sigmoid.f(np.array([-1e4, 1e4]))
    assert p[0] == 0.0 and p[1] == 1.0


def test_unknown_activation_names_the_argument_and_the_choices():
    with pytest.raises(ValueError, match=r"activation must be one of 'relu'.*got 'softplus'"):
        activations.get_activation("softplus")


@pytest.mark.parametrize("name", NAMES)
@given(s=st.lists(st.floats(-30, 30), min_size=1, max_size=8))
def test_derivative_from_the_output_equals_the_derivative(name, s):
    sigma, s = activations.get_activation(name), np.array(s)
    assert np.allclose(sigma.df_from_output(sigma.f(s)), sigma.df(s), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_out_argument_writes_the_same_values_in_place(name):
    sigma = activations.get_activation(name)
    s = np.random.default_rng(0).normal(size=(4, 3))
    expected, expected_df = sigma.f(s), sigma.df_from_output(sigma.f(s))
    x = s.copy()
    assert sigma.f(x, out=x) is x and np.array_equal(x, expected)
    buffer = np.empty_like(s)
    assert sigma.df_from_output(x, out=buffer) is buffer and np.array_equal(buffer, expected_df)
