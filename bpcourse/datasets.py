"""Small seeded data sets shared by the notebooks and the tests (nothing is downloaded).

Sizes are ints (more points than memory holds are refused), distances and spreads finite
numbers (a bool is not one); points too large for float64 are refused.
"""

import numpy as np

from bpcourse._validate import fits_in_memory, positive_int, real_number


def _finite_points(X, arguments):
    """`X`, checked finite: `arguments` names what made it too large."""
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{arguments} are so large that the points overflow float64 (1.8e308)")
    return X


def two_gaussians(n=100, seed=0, distance=2.0, spread=1.0):
    """Two Gaussian clouds in the plane, labels -1 and +1 (for logistic regression).

    Class +1 is centred at +mu and class -1 at -mu, mu = distance / (2 sqrt 2) * (1, 1), so
    the centres are `distance` apart; each cloud has the covariance spread^2 I. Only the ratio
    distance / spread decides how much the clouds overlap; `spread` sets the scale.

    Parameters
    ----------
    n : int, number of points (the first n // 2 have label -1, the rest +1, then shuffled)
    seed : int
    distance : float, distance between the two centres
    spread : float > 0, standard deviation of each coordinate within a cloud

    Returns
    -------
    X : array, shape (n, 2)
    y : array, shape (n,), values -1.0 and +1.0
    """
    n = positive_int(n, "n", minimum=2)
    fits_in_memory(4 * n, "n", n)
    distance = real_number(distance, "distance")
    if distance < 0:
        raise ValueError(f"distance must be a distance >= 0 between the centres, got {distance}")
    spread = real_number(spread, "spread")
    if spread <= 0:
        raise ValueError(f"spread must be a standard deviation > 0, got {spread}")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    y = np.where(np.arange(n) < n // 2, -1.0, 1.0)
    mu = distance / (2 * np.sqrt(2)) * np.ones(2)
    with np.errstate(over="ignore", invalid="ignore"):
        X = y[:, None] * mu + spread * rng.normal(size=(n, 2))
    order = rng.permutation(n)
    return _finite_points(X, "distance and spread")[order], y[order]


def small_separable(n=100, seed=10):
    """Two tight clouds a unit apart (`two_gaussians` with distance 1, spread 0.2), separable.

    With seed 10 and n = 100 these are the points of notebook 08's experiment: a
    reconstruction on which descent with the summed loss and eta = 0.1 still turns and
    sharpens the boundary between 10, 100, 1000 and 10000 steps.
    """
    return two_gaussians(n=n, seed=seed, distance=1.0, spread=0.2)


def xor():
    """The four corners of the unit square with their XOR labels, the classic non-linear task.

    Returns
    -------
    X : array, shape (4, 2), the points (0,0), (0,1), (1,0), (1,1)
    y : array, shape (4,), 0.0, 1.0, 1.0, 0.0
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0.0, 1.0, 1.0, 0.0])


def sine(n=50, noise=0.1, seed=0):
    """Noisy samples of sin on [-pi, pi], for regression with an MLP.

    Parameters
    ----------
    n : int, number of samples (x drawn uniformly, then sorted)
    noise : float >= 0, standard deviation of the Gaussian noise added to sin(x)
    seed : int

    Returns
    -------
    X : array, shape (n, 1)
    Y : array, shape (n, 1)
    """
    n = positive_int(n, "n")
    fits_in_memory(3 * n, "n", n)
    noise = real_number(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise}")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    x = np.sort(rng.uniform(-np.pi, np.pi, size=n))
    with np.errstate(over="ignore", invalid="ignore"):
        y = np.sin(x) + noise * rng.normal(size=n)
    return x[:, None], _finite_points(y, "noise")[:, None]
