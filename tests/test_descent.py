import warnings

import numpy as np
import pytest

from bpcourse.descent import gradient_descent


def test_quadratic_iterates_follow_the_closed_form():
    # L(w) = lam/2 w^2: w_t = (1 - eta lam)^t w0
    lam, eta, w0 = 3.0, 0.1, 2.0
    t = gradient_descent(lambda w: lam * w, w0, eta, 20, loss=lambda w: lam / 2 * w**2)
    assert t.w.shape == (21,) and t.loss.shape == (21,)
    assert np.allclose(t.w, w0 * (1 - eta * lam) ** np.arange(21))
    assert not t.diverged and t.diverged_at is None


@pytest.mark.parametrize("eta", [0.05, 0.3, 0.6, 0.66, 0.7, 1.0, 2.0])
def test_stability_threshold_two_over_curvature(eta):
    lam = 3.0  # converges iff 0 < eta < 2 / lam = 0.667
    t = gradient_descent(lambda w: lam * w, 1.0, eta, 2000, loss=lambda w: lam / 2 * w**2)
    if eta < 2 / lam:
        assert not t.diverged and abs(t.w[-1]) < 1e-3
    else:
        assert t.diverged and 1 <= t.diverged_at <= 2000


def test_divergence_stops_without_warnings_and_without_keeping_the_bad_iterate():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # L = w^4 / 4 from w0 = 10 with eta = 1: w jumps to -990, then to ~1e9, then overflows
        t = gradient_descent(
            lambda w: w**3, np.array([10.0]), 1.0, 100, loss=lambda w: float(w[0] ** 4 / 4)
        )
    assert t.diverged and len(t.w) == t.diverged_at
    assert np.all(np.isfinite(t.w)) and np.all(np.isfinite(t.loss))


def test_vector_iterates_and_no_loss():
    A = np.diag([1.0, 10.0])
    t = gradient_descent(lambda w: A @ w, np.array([1.0, 1.0]), 0.05, 50)
    assert t.w.shape == (51, 2) and t.loss is None
    assert np.allclose(t.w[-1], [(1 - 0.05) ** 50, (1 - 0.5) ** 50])


def test_exploding_norm_without_loss_is_divergence():
    t = gradient_descent(lambda w: -w, np.array([1.0]), 1.0, 100)  # doubles every step
    assert t.diverged and t.diverged_at == 40  # 2^40 > 1e12 >= 2^39


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lr": 0.0}, ValueError, "lr must be a positive finite number, got 0.0"),
        ({"lr": float("nan")}, ValueError, "lr must be a positive finite number, got nan"),
        ({"steps": -1}, ValueError, "steps must be at least 0, got -1"),
        ({"w0": [[1.0]]}, ValueError, r"w0 must be 0-D or 1-D, got an array of shape \(1, 1\)"),
        ({"grad": None}, TypeError, "grad must be a callable"),
    ],
)
def test_bad_input_is_named(kwargs, error, message):
    args = {"grad": lambda w: w, "w0": 1.0, "lr": 0.1, "steps": 3} | kwargs
    with pytest.raises(error, match=message):
        gradient_descent(**args)


def test_grad_returning_the_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"grad returned shape \(3,\), expected the shape of w"):
        gradient_descent(lambda w: np.zeros(3), np.zeros(2), 0.1, 2)
