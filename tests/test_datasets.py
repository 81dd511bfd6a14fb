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


def test_spread_scales_the_clouds_around_their_centres():
    X1, y1 = two_gaussians(n=200, seed=4, distance=3.0)
    X2, y2 = two_gaussians(n=200, seed=4, distance=3.0, spread=0.1)
    assert np.array_equal(y1, y2)
    mu = 3.0 / (2 * np.sqrt(2)) * np.ones(2)
    assert np.allclose(X2 - y2[:, None] * mu, 0.1 * (X1 - y1[:, None] * mu))
    with pytest.raises(ValueError, match="spread must be a standard deviation > 0"):
        two_gaussians(n=10, spread=0.0)


def test_small_separable_is_separable():
    from bpcourse import logistic
    from bpcourse.datasets import small_separable

    X, y = small_separable()
    assert X.shape == (100, 2) and np.array_equal(X, two_gaussians(100, 10, 1.0, 0.2)[0])
    w, b, _ = logistic.max_margin(X, y)
    assert np.min(y * (X @ w + b)) > 1 - 1e-9
