"""What the checks of notebook 02 say, beyond the battery's diagnosis keys.

tests/exercises/battery_02.py holds the student answers and the key each must be named with;
these tests pin the parts of a verdict a key does not carry: the course's convention named for
a row where the gradient belongs, the case of a ReLU layer with units off located, the case an
error was raised in, the mistakes whose products only run on square matrices found there, and
a block of 2.2 named wrong without the right one given away.
"""

import numpy as np

from bpcourse.exercises import (
    check_jacobian_ax_wrt_a,
    check_layer_jacobian,
    check_least_squares_gradient,
)


def test_a_row_for_the_gradient_is_named_with_the_convention():
    def row(phi, y, theta):
        return -2 * (y - phi @ theta)[np.newaxis, :] @ phi

    result = check_least_squares_gradient(row)
    assert result.diagnosis == "jacobian_row"
    assert "shape of its variable" in result.message and "(1, D)" in result.message


def test_the_relu_case_has_units_off_so_the_indicator_matters():
    def relu_slope_one(w, b, x, sigma):  # sigma' = 1 everywhere for ReLU: the indicator dropped
        s = w @ x + b
        slope = np.ones_like(s) if sigma.name == "relu" else sigma.df(s)
        return slope[:, None] * w

    result = check_layer_jacobian(relu_slope_one)
    assert result.status == "wrong"
    assert "relu" in result.message and "units off" in result.message


def test_a_raising_function_is_reported_with_its_case():
    def broken(phi, y, theta):
        return phi @ y  # shapes do not fit: raises ValueError

    result = check_least_squares_gradient(broken)
    assert result.status == "error" and result.diagnosis == "raised"
    assert "ValueError" in result.message and "N = 5 observations" in result.message


def test_a_product_that_runs_only_on_square_matrices_is_named_there():
    def phi_not_transposed(phi, y, theta):
        return -2 * phi @ (y - phi @ theta)

    def columns_scaled(w, b, x, sigma):
        return w @ np.diag(sigma.df(w @ x + b))

    for check, answer, key in [
        (check_least_squares_gradient, phi_not_transposed, "transpose"),
        (check_layer_jacobian, columns_scaled, "wrong_order"),
    ]:
        result = check(answer)
        assert result.diagnosis == key, result.message
        assert "ValueError" in result.message  # what happened on the general cases, said too


def test_x_in_another_rows_block_is_located():
    def shifted(a, x):
        m, n = a.shape
        jac = np.zeros((m, m * n))
        for i in range(m):
            k = (i + 1) % m
            jac[i, k * n : (k + 1) * n] = x
        return jac

    result = check_jacobian_ax_wrt_a(shifted)
    assert result.diagnosis == "wrong_block"
    assert "row(s) 1, 2 of case 1" in result.message
    assert "wrong block" in result.message


def test_the_wrong_block_is_named_without_saying_which_block_is_right():
    """The verdict names the mistake, not where x belongs: no row of A tied to a row of the
    Jacobian, no columns counted out."""

    def first_block(a, x):
        m, n = a.shape
        jac = np.zeros((m, m * n))
        jac[:, :n] = x
        return jac

    result = check_jacobian_ax_wrt_a(first_block)
    assert result.diagnosis == "wrong_block"
    message = result.message
    for hint in ("row i of A", "row k of A", "k n", "i n", "columns k", "delta"):
        assert hint not in message, hint
