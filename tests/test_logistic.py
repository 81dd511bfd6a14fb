import numpy as np
import pytest
import sympy

from bpcourse import logistic
from bpcourse.datasets import two_gaussians
from bpcourse.gradcheck import numerical_gradient, relative_error

X, y = two_gaussians(n=40, seed=1)
rng = np.random.default_rng(0)
w, b = rng.normal(size=2), 0.3


def test_loss_against_a_direct_formula():
    m = y * (X @ w + b)
    assert logistic.loss(w, b, X, y) == pytest.approx(-np.sum(np.log(1 / (1 + np.exp(-m)))))
    assert logistic.loss(w, b, X, y, reduction="mean") == pytest.approx(
        logistic.loss(w, b, X, y) / len(y)
    )


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_gradient_matches_finite_differences(reduction):
    dw, db = logistic.gradient(w, b, X, y, reduction)
    num_w = numerical_gradient(lambda v: logistic.loss(v, b, X, y, reduction), w.copy())
    num_b = numerical_gradient(lambda v: logistic.loss(w, v[0], X, y, reduction), np.array([b]))
    assert relative_error(dw, num_w) < 1e-7 and relative_error(np.array([db]), num_b) < 1e-7


def test_gradient_matches_the_syllabus_closed_form_derived_by_sympy():
    w1, w2, bb, x1, x2, yy = sympy.symbols("w1 w2 b x1 x2 y", real=True)
    per_sample = -sympy.log(1 / (1 + sympy.exp(-yy * (w1 * x1 + w2 * x2 + bb))))
    dw_sym = [
        sympy.lambdify((w1, w2, bb, x1, x2, yy), sympy.diff(per_sample, v)) for v in (w1, w2, bb)
    ]
    expected = np.zeros(3)
    for xn, yn in zip(X, y):
        expected += [f(w[0], w[1], b, xn[0], xn[1], yn) for f in dw_sym]
    dw, db = logistic.gradient(w, b, X, y)
    assert relative_error(np.append(dw, db), expected) < 1e-10


def test_huge_margins_give_no_overflow_no_warning_no_inf():
    big = np.array([1e4, -1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = logistic.loss(big, 0.0, X, y)
        dw, db = logistic.gradient(big, 0.0, X, y)
    assert np.isfinite(value) and np.all(np.isfinite(dw)) and np.isfinite(db)
    m = y * (X @ big)
    assert value == pytest.approx(np.sum(np.where(m < 0, -m, 0.0)), rel=1e-6)


def test_fit_lowers_the_loss_and_keeps_every_step():
    t = logistic.fit(X, y, lr=0.01, steps=200, seed=0)
    assert t.w.shape == (201, 2) and t.b.shape == (201,) and len(t.loss) == 201
    assert t.loss[-1] < t.loss[0]
    assert t.loss[5] == pytest.approx(logistic.loss(t.w[5], t.b[5], X, y))


def test_separable_data_drive_the_loss_to_zero_while_w_grows():
    Xs = np.array([[-2.0, 0.0], [-1.0, 0.5], [1.0, -0.5], [2.0, 0.0]])
    ys = np.array([-1.0, -1.0, 1.0, 1.0])
    t = logistic.fit(Xs, ys, lr=0.5, steps=3000, seed=0)
    norms = np.linalg.norm(t.w, axis=1)
    assert t.loss[-1] < 1e-2 and norms[-1] > norms[100] > norms[10]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: logistic.loss(np.zeros(3), 0, X, y), "w has 3 entries but X has 2 features"),
        (lambda: logistic.loss(w, 0, X, np.zeros(40)), "labels y must be -1 or \\+1"),
        (lambda: logistic.loss(w, 0, X, y[:5]), "y has 5 labels but X has 40 rows"),
        (lambda: logistic.fit(X, y, lr=-0.1), "lr must be a positive finite number"),
        (lambda: logistic.loss(w, 0, X, y, reduction="avg"), "reduction must be one of"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_log_sigmoid_is_exact_for_margins_of_any_size():
    import mpmath

    m = np.array([-1e4, -800.0, -50.0, -1.0, -1e-4, 0.0, 1e-4, 1.0, 50.0, 700.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        got = logistic.log_sigmoid(m)
    for value, mv in zip(got, m):
        with mpmath.workdps(400):  # 400 digits: 1 + exp(-700) keeps its tiny part
            exact = -mpmath.log(1 + mpmath.exp(-mpmath.mpf(mv)))
        assert abs(value - float(exact)) <= 1e-15 * abs(float(exact)) + 1e-320
    assert got.shape == m.shape and logistic.log_sigmoid(2.0).shape == ()
    grid = np.arange(6.0).reshape(2, 3) - 3
    assert np.array_equal(
        logistic.log_sigmoid(grid), logistic.log_sigmoid(grid.ravel()).reshape(2, 3)
    )


def test_the_loss_is_minus_the_sum_of_log_sigmoids():
    m = logistic.margins(w, b, X, y)
    assert logistic.loss(w, b, X, y) == pytest.approx(-np.sum(logistic.log_sigmoid(m)), rel=1e-14)


def test_max_margin_meets_the_kkt_conditions():
    Xs, ys = two_gaussians(n=60, seed=2, distance=6.0)
    w_hat, b_hat, alpha = logistic.max_margin(Xs, ys)
    Z = ys[:, None] * np.column_stack([Xs, np.ones(len(ys))])
    theta = np.append(w_hat, b_hat)
    margins = Z @ theta
    assert margins.min() == pytest.approx(1.0, abs=1e-9)  # feasible, with margin 1 reached
    assert np.all(alpha >= 0) and np.allclose(theta, alpha @ Z, atol=1e-12)  # stationarity
    assert np.all(np.abs(margins[alpha > 0] - 1) < 1e-9)  # complementary slackness
    # no other unit direction has a wider margin: random directions all do worse
    dirs = rng.normal(size=(2000, 3))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    assert np.max(np.min(dirs @ Z.T, axis=1)) < 1 / np.linalg.norm(theta)


def test_max_margin_refuses_data_that_overlap():
    with pytest.raises(ValueError, match="not be linearly separable|not linearly separable"):
        logistic.max_margin(*two_gaussians(n=40, seed=0, distance=1.0), sweeps=200)
