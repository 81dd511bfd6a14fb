"""Small seeded data sets shared by the notebooks and the tests (nothing is downloaded)."""

import numpy as np

from bpcourse._validate import as_array, positive_int


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
    distance = float(as_array(distance, "distance", ndim=0))
    spread = float(as_array(spread, "spread", ndim=0))
    if spread <= 0:
        raise ValueError(f"spread must be a standard deviation > 0, got {spread}")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    y = np.where(np.arange(n) < n // 2, -1.0, 1.0)
    mu = distance / (2 * np.sqrt(2)) * np.ones(2)
    X = y[:, None] * mu + spread * rng.normal(size=(n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


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
    noise = float(as_array(noise, "noise", ndim=0))
    if noise < 0:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise}")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    x = np.sort(rng.uniform(-np.pi, np.pi, size=n))
    y = np.sin(x) + noise * rng.normal(size=n)
    return x[:, None], y[:, None]
