import numpy as np
import pytest

from bpcourse.datasets import sine, two_gaussians, xor


def test_two_gaussians_shapes_labels_and_seed():
    X, y = two_gaussians(n=100, seed=0)
    assert X.shape == (100, 2) and y.shape == (100,)
    assert set(np.unique(y)) == {-1.0, 1.0} and np.sum(y == 1) == 50
    assert np.array_equal(X, two_gaussians(n=100, seed=0)[0])
    assert not np.array_equal(X, two_gaussians(n=100, seed=1)[0])
    # the class means sit on either side of the origin along (1, 1)
    assert X[y == 1].mean(axis=0) @ [1, 1] > 0 > X[y == -1].mean(axis=0) @ [1, 1]


def test_xor_truth_table():
    X, y = xor()
    assert np.array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(float))


def test_sine_shapes_noise_and_order():
    X, Y = sine(30, noise=0.0, seed=2)
    assert X.shape == Y.shape == (30, 1)
    assert np.allclose(Y, np.sin(X)) and np.all(np.diff(X[:, 0]) >= 0)
    Xn, Yn = sine(30, noise=0.5, seed=2)
    assert 0.2 < np.std(Yn - np.sin(Xn)) < 0.9


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="noise must be a standard deviation >= 0, got -1"):
        sine(10, noise=-1.0)
    with pytest.raises(ValueError, match="n must be at least 2, got 1"):
        two_gaussians(n=1)
