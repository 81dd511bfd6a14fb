import warnings

import numpy as np
import pytest

from bpcourse.descent import best_lr, gradient_descent, linear_mse_gradient, outcome, stable_lr


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


# ----- learning rates from a Hessian ----------------------------------------------------------
def rotated(eigenvalues, seed=0):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigenvalues),) * 2))
    return Q @ np.diag(eigenvalues) @ Q.T


def test_stable_lr_is_the_boundary_between_convergence_and_divergence():
    H = rotated([0.3, 2.0, 5.0])  # 2 / 5 = 0.4
    assert stable_lr(H) == pytest.approx(0.4, rel=1e-12)
    w0 = np.ones(3)
    assert not gradient_descent(lambda w: H @ w, w0, 0.99 * 0.4, 3000).diverged
    assert gradient_descent(lambda w: H @ w, w0, 1.01 * 0.4, 3000).diverged


def test_best_lr_makes_the_extreme_factors_equal_and_opposite():
    H = rotated([0.5, 1.0, 4.0], seed=1)
    eta = best_lr(H)
    assert eta == pytest.approx(2 / 4.5, rel=1e-12)
    assert 1 - eta * 0.5 == pytest.approx(-(1 - eta * 4.0), rel=1e-12)
    etas = np.linspace(0.01, 0.49, 481)  # it minimises the slowest factor
    slowest = np.max(np.abs(1 - np.outer(etas, [0.5, 1.0, 4.0])), axis=1)
    assert abs(etas[np.argmin(slowest)] - eta) < 1e-3


@pytest.mark.parametrize(
    "H, message",
    [
        (np.ones((2, 3)), "square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (np.diag([1.0, -1.0]), "positive definite"),
        (np.diag([1.0, 0.0]), "positive definite"),
        (np.ones(3), "2-D"),
    ],
)
def test_learning_rates_refuse_a_matrix_that_is_not_a_hessian_of_a_bowl(H, message):
    for function in (stable_lr, best_lr):
        with pytest.raises(ValueError, match=message):
            function(H)


# ----- how a run ended -------------------------------------------------------------------------
def test_outcome_names_convergence_cycles_divergence_and_no_settling():
    converged = outcome(gradient_descent(lambda w: 4 * w, 1.0, 0.1, 200))
    assert converged.kind == "converged" and converged.period == 1
    assert abs(converged.points[0]) < 1e-12
    # L = sqrt(1 + w^2) - 1 with eta = 3: hops between +-sqrt(5)/2 for ever
    hop = outcome(gradient_descent(lambda w: w / np.sqrt(1 + w**2), 3.0, 3.0, 200))
    assert hop.kind == "cycle" and hop.period == 2
    assert np.allclose(sorted(hop.points), [-np.sqrt(5) / 2, np.sqrt(5) / 2])
    assert outcome(gradient_descent(lambda w: 4 * w, 1.0, 0.6, 200)).kind == "diverged"
    # w -> w + 1 every step: bounded in 50 steps, never repeating
    moving = outcome(gradient_descent(lambda w: -np.ones_like(w), np.zeros(2), 1.0, 50))
    assert moving.kind == "unsettled" and moving.points is None


def test_outcome_finds_a_cycle_of_period_three():
    # a gradient that sends 0 -> 1 -> 2 -> 0 with lr = 1: grad(w) = w - next(w)
    def grad(w):
        nxt = {0.0: 1.0, 1.0: 2.0, 2.0: 0.0}[float(np.round(w, 9))]
        return w - nxt

    end = outcome(gradient_descent(grad, 0.0, 1.0, 30))
    assert end.kind == "cycle" and end.period == 3
    assert sorted(end.points) == [0.0, 1.0, 2.0]


def test_outcome_refuses_what_is_not_a_trajectory():
    with pytest.raises(TypeError, match="Trajectory"):
        outcome(np.zeros(3))


# ----- the mini-batch loss's gradient ---------------------------------------------------------
def test_linear_mse_gradient_matches_finite_differences():
    rng = np.random.default_rng(3)
    X, y, w = rng.normal(size=(7, 3)), rng.normal(size=7), rng.normal(size=3)

    def loss(v):
        return np.mean((X @ v - y) ** 2)

    h = 1e-6
    numeric = [(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(linear_mse_gradient(X, y, w), numeric, rtol=1e-7)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.ones((3, 2)), np.ones(2), np.ones(2)), "3 rows but y has 2"),
        ((np.ones((3, 2)), np.ones(3), np.ones(3)), "2 columns but w has 3"),
        ((np.ones(3), np.ones(3), np.ones(1)), "X must be 2-D"),
    ],
)
def test_linear_mse_gradient_names_bad_shapes(args, message):
    with pytest.raises(ValueError, match=message):
        linear_mse_gradient(*args)
