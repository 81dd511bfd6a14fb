import numpy as np
import pytest

from bpcourse.gradcheck import numerical_gradient, relative_error
from bpcourse.losses import cross_entropy, mse, softmax

rng = np.random.default_rng(0)


def test_mse_value_is_mean_of_squared_norms():
    f, y = np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [3.0, 4.0]])
    value, grad = mse(f, y)
    assert value == pytest.approx((5.0 + 25.0) / 2)
    assert np.allclose(grad, 2 * (f - y) / 2)


def test_mse_sum_reduction_has_no_one_over_n():
    f, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    assert mse(f, y, reduction="sum")[0] == pytest.approx(5 * mse(f, y)[0])


def test_mse_accepts_flat_targets_for_one_output():
    f, y = rng.normal(size=(4, 1)), rng.normal(size=4)
    assert mse(f, y)[0] == pytest.approx(np.mean((f[:, 0] - y) ** 2))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradients_match_finite_differences(reduction):
    f, y = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    for loss, target in [(mse, y), (cross_entropy, labels)]:
        numeric = numerical_gradient(
            lambda g, loss=loss, target=target: loss(g, target, reduction)[0], f.copy()
        )
        assert relative_error(loss(f, target, reduction)[1], numeric) < 1e-7


def test_cross_entropy_value_against_a_direct_formula():
    f, labels = rng.normal(size=(3, 5)), np.array([4, 0, 2])
    p = np.exp(f) / np.exp(f).sum(axis=1, keepdims=True)
    assert cross_entropy(f, labels)[0] == pytest.approx(-np.mean(np.log(p[[0, 1, 2], labels])))


def test_cross_entropy_is_stable_for_huge_scores():
    f = np.array([[1e4, 0.0, -1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grad = cross_entropy(f, np.array([2]))
    assert value == pytest.approx(2e4) and np.all(np.isfinite(grad))
    assert np.allclose(softmax(f).sum(axis=1), 1)


def test_bad_labels_are_named():
    with pytest.raises(ValueError, match=r"labels y must lie in 0\.\.2"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(TypeError, match="labels y must be integers"):
        cross_entropy(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"labels y must have shape \(2,\)"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_mismatched_targets_are_named():
    with pytest.raises(ValueError, match=r"targets y have shape \(3, 2\) but the predictions "):
        mse(np.zeros((3, 1)), np.zeros((3, 2)))


def test_unknown_reduction_is_named():
    with pytest.raises(ValueError, match=r"reduction must be one of 'mean', 'sum', got 'avg'"):
        mse(np.zeros((1, 1)), np.zeros((1, 1)), reduction="avg")


def test_unchecked_losses_write_the_gradient_into_out():
    from bpcourse.losses import UNCHECKED

    f, y, labels = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    for name, target in [("mse", y), ("cross_entropy", labels)]:
        value, grad = UNCHECKED[name](f, target, 0.2)
        out = np.empty_like(f)
        value_out, grad_out = UNCHECKED[name](f, target, 0.2, out=out)
        assert grad_out is out and np.array_equal(grad_out, grad) and value_out == value
    assert np.array_equal(f, f.copy())


def test_reduction_scale():
    from bpcourse.losses import reduction_scale

    assert reduction_scale("mean", 4) == 0.25 and reduction_scale("sum", 4) == 1.0
