"""A cold student's battery for Exercise 4.1 (layer_backward), as notebook 09 asks for it again.

Written without reading the instructor notebooks or the check modules' code, from the student
edition's prompts, the package code the cells call, and the checks' public docstrings only.
Every "right" answer must be accepted as correct; every "wrong" one must be rejected, and,
where an expected diagnosis key is given, named with that key. The expected keys were chosen
before the checks were run. The findings of the first run (answers named otherwise than
expected, or accepted) were fixed in the checks; none is left marked. The harness is
tests/battery.py.
"""

import numpy as np
import pytest

from tests.battery import assert_accepted, assert_rejected, right_params, wrong_params


# ======================================================================= 09 (04's Exercise 4.1)
def lb_package_like(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def lb_sample_loop(dl_dx, s, x_prev, w, sigma):
    dl_dw, dl_db = np.zeros_like(w), np.zeros(w.shape[0])
    dl_dx_prev = np.zeros_like(x_prev)
    for n in range(s.shape[0]):
        g = dl_dx[n] * sigma.df(s[n])
        dl_dw += np.outer(g, x_prev[n])
        dl_db += g
        dl_dx_prev[n] = w.T @ g
    return dl_dx_prev, dl_dw, dl_db


def lb_einsum(dl_dx, s, x_prev, w, sigma):
    g = np.einsum("nd,nd->nd", dl_dx, sigma.df(s))
    return np.einsum("nd,dk->nk", g, w), np.einsum("nd,nk->dk", g, x_prev), np.einsum("nd->d", g)


def lb_dot(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return np.dot(g, w), np.dot(g.T, x_prev), np.dot(np.ones(len(g)), g)


def lb_no_prime(dl_dx, s, x_prev, w, sigma):
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_f_for_df(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.f(s)
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_from_output_of_s(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df_from_output(s)  # the "from the output" formula, fed s
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_prime_at_x(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(sigma.f(s))
    return g @ w, g.T @ x_prev, g.sum(axis=0)


def lb_dw_swapped(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, x_prev.T @ g, g.sum(axis=0)


def lb_w_transposed(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w.T, g.T @ x_prev, g.sum(axis=0)


def lb_averaged(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, g.T @ x_prev / len(g), g.mean(axis=0)


def lb_order(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g.T @ x_prev, g.sum(axis=0), g @ w


def lb_in_place(dl_dx, s, x_prev, w, sigma):
    dl_dx *= sigma.df(s)
    return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)


def lb_db_not_summed(dl_dx, s, x_prev, w, sigma):
    g = dl_dx * sigma.df(s)
    return g @ w, g.T @ x_prev, g


# ======================================================================= 09, Exercise 9.1

BATTERY = {
    "check_layer_backward": {
        "right": [lb_package_like, lb_sample_loop, lb_einsum, lb_dot],
        "wrong": [
            (lb_no_prime, "forgot_sigma_prime"),
            (lb_f_for_df, "f_for_df"),
            (lb_from_output_of_s, "s_for_output"),
            (lb_prime_at_x, "wrong_point"),
            (lb_dw_swapped, "shapes_swapped"),
            (lb_w_transposed, "transpose"),
            (lb_averaged, "averaged_not_summed"),
            (lb_order, "output_order"),
            (lb_in_place, "modified_input"),
            (lb_db_not_summed, None),
        ],
    },
}


@pytest.mark.parametrize(("check_name", "fn"), right_params(BATTERY))
def test_right_answers_are_accepted(check_name, fn):
    assert_accepted(check_name, fn)


@pytest.mark.parametrize(("check_name", "fn", "key"), wrong_params(BATTERY))
def test_wrong_answers_are_rejected_and_named(check_name, fn, key):
    assert_rejected(check_name, fn, key)
