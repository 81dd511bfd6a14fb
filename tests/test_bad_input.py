"""Bad input to the public API is refused with an error that names the argument as the caller
passed it, says what was expected and what came, and leaks no warning.

Each row is (call, error type, fragments that must all be in the message): the argument's name,
the expectation, and the value or type given. Every row used to give a NumPy or Python error
naming something else (or nothing), a warning, a crash deep inside, or no error at all.
"""

import math
import sys
import warnings

import numpy as np
import pytest

from bpcourse import MLP, activations, approximation, datasets, descent, logistic, losses, plotting
from bpcourse.autodiff import Value, draw, nodes_and_edges
from bpcourse.gradcheck import check_mlp, numerical_gradient, numerical_jacobian, relative_error
from bpcourse.mlp import layer_backward, layer_forward

X, Y = np.ones((4, 2)), np.ones((4, 1))
Xl, yl = np.array([[1.0, 2.0], [-1.0, -0.5], [0.5, -1.0]]), np.array([1.0, -1.0, 1.0])
wl = np.array([0.3, -0.2])


def net():
    return MLP([2, 3, 1], seed=0)


def grad2(w):
    return 2 * w


CASES = {
    # ----- types: what is not real numbers ---------------------------------------------------
    "complex X": (
        lambda: net().forward(np.array([[1 + 1j, 2.0]])),
        TypeError,
        ["X must be real numbers", "complex", ".real"],
    ),
    "complex targets": (
        lambda: losses.mse(np.ones(2), np.ones(2) * 1j),
        TypeError,
        ["targets y must be real numbers", "complex128"],
    ),
    "complex list": (lambda: relative_error([1j], [1.0]), TypeError, ["a must be real numbers"]),
    "str array": (
        lambda: losses.mse(np.array(["1.5"]), np.ones(1)),
        TypeError,
        ["prediction f must be an array of numbers", "<U3 array"],
    ),
    "None in a list": (
        lambda: activations.sigmoid.f([1.0, None]),
        TypeError,
        ["s must be an array of numbers", "None at index 1"],
    ),
    "set of numbers": (
        lambda: net().forward({1.0, 2.0}),
        TypeError,
        ["X must be an array of numbers", "set", "no order"],
    ),
    "dict of numbers": (lambda: losses.softmax({0: 1.0}), TypeError, ["s must be", "dict"]),
    "ragged list": (
        lambda: losses.mse([[1, 2], [3]], [[1, 2], [3]]),
        ValueError,
        ["prediction f must be an array of numbers with rows of equal length", "ragged"],
    ),
    "sympy symbol": (
        lambda: net().forward([[__import__("sympy").Symbol("x"), 1.0]]),
        TypeError,
        ["X must be an array of numbers", "Symbol x", "substitute numbers"],
    ),
    "masked entries": (
        lambda: relative_error(np.ma.array([1.0, 2.0], mask=[0, 1]), np.ones(2)),
        TypeError,
        ["a must be an array of numbers", "masked entries"],
    ),
    "datetime": (
        lambda: descent.linear_mse_gradient(np.array([["2020-01-01"]], "datetime64[D]"), [1], [1]),
        TypeError,
        ["X must be an array of numbers", "datetime64"],
    ),
    "int too large": (
        lambda: relative_error([10**400], [1.0]),
        ValueError,
        ["a has an entry too large for float64"],
    ),
    "tanh of a str": (
        lambda: activations.tanh.f("1"),
        TypeError,
        ["s must be an array of numbers", "'1'"],
    ),
    "relu' of None": (
        lambda: activations.relu.df(None),
        TypeError,
        ["s must be an array of numbers", "None"],
    ),
    "df_from_output of a str": (
        lambda: activations.sigmoid.df_from_output("x"),
        TypeError,
        ["x must be an array of numbers"],
    ),
    "Activation without a function": (
        lambda: activations.Activation("mine", np.tanh, None),
        TypeError,
        ["df must be a function", "None"],
    ),
    "activation None": (
        lambda: MLP([2, 1], activation=None),
        TypeError,
        ["activation must be one of 'relu'", "got None"],
    ),
    "output activation named": (
        lambda: MLP([2, 1], output_activation=3),
        TypeError,
        ["output_activation must be one of", "got 3"],
    ),
    "reduction None": (
        lambda: losses.mse([1.0], [1.0], reduction=None),
        TypeError,
        ["reduction must be one of 'mean', 'sum'", "got None"],
    ),
    # ----- a bool where one number is expected -----------------------------------------------
    "Value(True)": (lambda: Value(True), TypeError, ["data must be a number", "True"]),
    "bool b": (lambda: logistic.loss(wl, True, Xl, yl), TypeError, ["b must be a number", "True"]),
    "bool spread": (
        lambda: datasets.two_gaussians(spread=True),
        TypeError,
        ["spread must be a number", "True"],
    ),
    "bool a": (
        lambda: approximation.relu_interpolant(np.sin, True, 2, 3),
        TypeError,
        ["a must be a number", "True"],
    ),
    "bool w0": (
        lambda: descent.gradient_descent(grad2, True, 0.1, 3),
        TypeError,
        ["w0 must be an array of numbers", "bool True"],
    ),
    "Value to the power True": (lambda: Value(2.0) ** True, TypeError, ["exponent", "True"]),
    # ----- strings where a number is expected ------------------------------------------------
    "b as a str": (lambda: logistic.predict_proba(wl, "0", Xl), TypeError, ["b must be a number"]),
    "Value('3')": (lambda: Value("3"), TypeError, ["data must be a number", "'3'"]),
    "max_d2 as a str": (
        lambda: approximation.chord_error_bound(0, 1, 4, "1"),
        TypeError,
        ["max_d2 must be a number >= 0", "'1'"],
    ),
    "a as a str": (
        lambda: approximation.units_needed(1e-3, "0", 1, 1.0),
        TypeError,
        ["a must be a number", "'0'"],
    ),
    "c as a str": (lambda: approximation.ReluSum("c", [1], [1], [1]), TypeError, ["c must be"]),
    "tol as a str": (
        lambda: logistic.max_margin(Xl, yl, tol="x"),
        TypeError,
        ["tol must be a number >= 0", "'x'"],
    ),
    "fontsize as a str": (
        lambda: draw(Value(1.0), fontsize="big"),
        TypeError,
        ["fontsize must be a positive number", "'big'"],
    ),
    "labels as a str": (
        lambda: losses.cross_entropy(np.zeros((2, 3)), "ab"),
        TypeError,
        ["labels y must be an array of integer class labels", "'ab'"],
    ),
    "network labels named Y": (
        lambda: MLP([2, 3]).loss(X, "ab", loss="cross_entropy"),
        TypeError,
        ["Y must be an array of integer class labels", "'ab'"],
    ),
    # ----- NumPy types, arrays and sizes -----------------------------------------------------
    "Value and an array": (
        lambda: Value(1.0) * np.ones(2),
        TypeError,
        ["a Value combines with numbers or Values", "array of shape (2,)"],
    ),
    "array and a Value": (
        lambda: np.ones(2) * Value(1.0),
        TypeError,
        ["a Value combines with numbers or Values", "array of shape (2,)"],
    ),
    "number to the power of a Value": (
        lambda: 2 ** Value(1.0),
        TypeError,
        ["power of a Value is not supported", "math.log"],
    ),
    "Value label": (lambda: Value(1.0, label=3), TypeError, ["label must be a str", "3"]),
    "sizes as a set": (lambda: MLP({3, 8}), TypeError, ["sizes must be a list", "set", "no order"]),
    "sizes of floats": (
        lambda: MLP([2, 3.0, 1]),
        TypeError,
        ["sizes[1] must be an integer", "3.0", "write 3"],
    ),
    "draw_mlp sizes as a set": (
        lambda: plotting.draw_mlp({3, 8}),
        TypeError,
        ["sizes must be a list", "no order"],
    ),
    "sizes too large": (
        lambda: MLP([2, 10**14, 1]),
        ValueError,
        ["sizes=[2, 100000000000000, 1] needs", "GiB", "memory"],
    ),
    "n too large": (
        lambda: approximation.relu_interpolant(np.sin, 0, 1, 10**13),
        ValueError,
        ["n=10000000000000 needs", "memory"],
    ),
    "n of points too large": (
        lambda: datasets.sine(n=10**13),
        ValueError,
        ["n=10000000000000 needs", "memory"],
    ),
    "weights as a dict": (
        lambda: MLP.from_params({0: np.ones((1, 2))}, {0: np.ones(1)}),
        TypeError,
        ["weights must be a list of arrays, one per layer", "dict"],
    ),
    "layer index as a str": (
        lambda: net().weights["a"],
        TypeError,
        ["weights takes an integer layer index or a slice", "'a'"],
    ),
    "layer index out of range": (
        lambda: net().biases[5],
        IndexError,
        ["biases[5] does not exist", "2 layer(s)", "indices 0 to 1"],
    ),
    "layer_forward's x_prev": (
        lambda: layer_forward(np.ones((2, 3)), np.ones((1, 2)), np.zeros(1), "tanh"),
        ValueError,
        ["x_prev has 3 features", "w has 2 columns", "(D_l, D_{l-1})"],
    ),
    "layer_forward's b": (
        lambda: layer_forward(np.ones((2, 2)), np.ones((3, 2)), np.zeros((3, 1)), "tanh"),
        ValueError,
        ["b must be 1-D", "(3, 1)"],
    ),
    "layer_forward's sigma": (
        lambda: layer_forward(np.ones((2, 2)), np.ones((1, 2)), np.zeros(1), "softplus"),
        ValueError,
        ["sigma must be one of", "'softplus'"],
    ),
    "layer_backward's s": (
        lambda: layer_backward(
            np.ones((2, 1)), np.ones((2, 3)), np.ones((2, 2)), np.ones((1, 2)), "tanh"
        ),
        ValueError,
        ["s must have shape (N, D_l) = (2, 1)", "got shape (2, 3)"],
    ),
    "layer_backward of one sample": (
        lambda: layer_backward(np.ones(1), np.ones(1), np.ones(2), np.ones((1, 2)), "tanh"),
        ValueError,
        ["x_prev must be 2-D", "shape (2,)"],
    ),
    "network with one output and cross_entropy": (
        lambda: MLP([2, 1]).loss(X, np.zeros(4), loss="cross_entropy"),
        ValueError,
        ["loss 'cross_entropy' needs one score per class", "this network has 1"],
    ),
    "outputs that overflow": (
        lambda: MLP.from_params([[[10.0, 10.0]]], [[0.0]]).forward(np.full((1, 2), 1e308)),
        ValueError,
        ["the pre-activations s[1] of layer 1 overflow float64", "on this X"],
    ),
    "gradients of outputs that overflow": (
        lambda: MLP.from_params([[[10.0, 10.0]]], [[0.0]]).gradients(np.full((1, 2), 1e308), [1.0]),
        ValueError,
        ["the network's outputs overflow float64", "on this X"],
    ),
    "steps beyond memory": (
        lambda: descent.gradient_descent(grad2, 1.0, 0.1, 10**9),
        ValueError,
        ["steps=1000000000 needs", "memory"],
    ),
    "layer number": (lambda: net().sigma("a"), TypeError, ["l must be an integer", "'a'"]),
    # ----- empty data ------------------------------------------------------------------------
    "mse of no sample": (
        lambda: losses.mse(np.zeros((0, 1)), np.zeros((0, 1))),
        ValueError,
        ["prediction f holds no sample", "(0, 1)", "at least one"],
    ),
    "cross_entropy of no sample": (
        lambda: losses.cross_entropy(np.zeros((0, 3)), np.zeros(0, int)),
        ValueError,
        ["scores f hold no sample", "(0, 3)"],
    ),
    "logistic loss of no sample": (
        lambda: logistic.loss(np.zeros(2), 0.0, np.zeros((0, 2)), np.zeros(0), reduction="mean"),
        ValueError,
        ["X holds no sample", "(0, 2)"],
    ),
    "summed logistic loss of no sample": (
        lambda: logistic.gradient(np.zeros(2), 0.0, np.zeros((0, 2)), np.zeros(0)),
        ValueError,
        ["X holds no sample"],
    ),
    "batch gradient of no sample": (
        lambda: descent.linear_mse_gradient(np.zeros((0, 2)), np.zeros(0), np.zeros(2)),
        ValueError,
        ["X holds no sample", "(0, 2)"],
    ),
    "max margin of no sample": (
        lambda: logistic.max_margin(np.zeros((0, 2)), np.zeros(0)),
        ValueError,
        ["X holds no sample"],
    ),
    "an empty Hessian": (
        lambda: descent.stable_lr(np.zeros((0, 0))),
        ValueError,
        ["H must be a non-empty square matrix", "(0, 0)"],
    ),
    "softmax of no class": (
        lambda: losses.softmax(np.zeros((2, 0))),
        ValueError,
        ["s must hold at least one score per row", "(2, 0)"],
    ),
    "reduction_scale of no sample": (
        lambda: losses.reduction_scale("mean", 0),
        ValueError,
        ["n must be at least 1", "got 0"],
    ),
    # ----- NaN, inf, values out of range -----------------------------------------------------
    "softmax with +inf": (
        lambda: losses.softmax([[np.inf, 1.0]]),
        ValueError,
        ["s contains 1 NaN or +inf value(s), the first at index (0, 0)", "finite scores"],
    ),
    "softmax of a row of -inf": (
        lambda: losses.softmax([[-np.inf, -np.inf]]),
        ValueError,
        ["s has 1 row(s) whose scores are all -inf", "no softmax"],
    ),
    "negative bound on psi''": (
        lambda: approximation.chord_error_bound(0, 1, 4, -1.0),
        ValueError,
        ["max_d2 must be a number >= 0", "-1.0"],
    ),
    "interval reversed": (
        lambda: approximation.chord_error_bound(1, 0, 4, 1.0),
        ValueError,
        ["[a, b] must have a < b", "a=1.0, b=0.0"],
    ),
    "n = 0 cells": (
        lambda: approximation.chord_error_bound(0, 1, 0, 1.0),
        ValueError,
        ["n must be at least 1", "got 0"],
    ),
    "units beyond counting": (
        lambda: approximation.units_needed(1e-300, 0, 1, 1.0),
        ValueError,
        ["eps=1e-300 asks for about 3.54e+149 units", "take a larger eps"],
    ),
    "infinite max_d2": (
        lambda: approximation.units_needed(1e-3, 0, 1, np.inf),
        ValueError,
        ["max_d2 must be a finite number", "inf"],
    ),
    "knots too close": (
        lambda: approximation.relu_interpolant(lambda x: x, 1.0, 1.0 + 1e-15, 10),
        ValueError,
        ["the interval [a, b]", "too narrow for n=10", "knots are equal"],
    ),
    "psi not finite": (
        lambda: approximation.relu_interpolant(lambda x: 1 / x, 0, 1, 3),
        ValueError,
        ["psi(knots) is not finite at 1 knot(s), the first at 0.0"],
    ),
    "knots out of order": (
        lambda: approximation.relu_sum_through([0.0, 2.0, 1.0], [0, 1, 2]),
        ValueError,
        ["t must be strictly increasing", "got t[1] = 2 then t[2] = 1"],
    ),
    "Hessian not symmetric": (
        lambda: descent.stable_lr([[1.0, 2.0], [0.0, 1.0]]),
        ValueError,
        ["H must be symmetric", "got H[0, 1] = 2 and H[1, 0] = 0"],
    ),
    "slopes overflow": (
        lambda: approximation.relu_sum_through([0, 1e-300], [-1e300, 1e300]),
        ValueError,
        ["slopes", "overflow float64", "y varies too much"],
    ),
    "negative distance": (
        lambda: datasets.two_gaussians(distance=-2.0),
        ValueError,
        ["distance must be a distance >= 0", "-2.0"],
    ),
    "Value of inf": (lambda: Value(float("inf")), ValueError, ["data must be a finite number"]),
    "Value of 10**400": (lambda: Value(10**400), ValueError, ["data is too large for float64"]),
    "exp overflows": (
        lambda: Value(1000.0).exp(),
        ValueError,
        ["the result of 'exp' on 1000", "too large for float64"],
    ),
    "product overflows": (
        lambda: Value(1e200) * 1e200,
        ValueError,
        ["the result of '*' on 1e+200, 1e+200", "too large"],
    ),
    "power overflows": (
        lambda: Value(10.0) ** 1000,
        ValueError,
        ["the result of '**1000' on 10", "too large"],
    ),
    "0 to a negative power": (lambda: Value(0.0) ** -1, ValueError, ["0 ** -1 is not defined"]),
    "nan in a Value sum": (
        lambda: Value(1.0) + float("nan"),
        ValueError,
        ["a Value combines with finite numbers", "nan"],
    ),
    "tiny eps in a Jacobian": (
        lambda: numerical_jacobian(lambda v: v**2, np.array([1e3]), eps=1e-14),
        ValueError,
        ["eps=1e-14 is too small for x[0] = 1000.0", "x + eps == x"],
    ),
    "f's value not finite": (
        lambda: numerical_gradient(lambda v: float(np.sum(v**2)), np.ones(1), eps=1e300),
        ValueError,
        ["f(w) is inf at w[0] + eps", "finite number"],
    ),
    "read-only w": (
        lambda: numerical_gradient(lambda v: 0.0, np.frombuffer(np.ones(2).tobytes())),
        ValueError,
        ["w is a read-only array", "w.copy()"],
    ),
    "eps too small for a parameter": (
        lambda: check_mlp(net(), X, Y, eps=1e-30),
        ValueError,
        ["eps=1e-30 is too small for net.weights[0][0, 0]"],
    ),
    "not a network": (lambda: check_mlp(None, X, Y), TypeError, ["net must be a bpcourse.MLP"]),
    "huge labels": (
        lambda: losses.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1e20])),
        ValueError,
        ["labels y must lie in 0..2", "1e+20"],
    ),
    "loss too large at the start of fit": (
        lambda: net().fit(X, np.full((4, 1), 1e300), 0.1, 3),
        ValueError,
        ["the loss before training is inf", "rescale X and Y"],
    ),
    "logistic start too large": (
        lambda: logistic.fit(np.tile([[1e308, 0.0]], (100, 1)), -np.ones(100), steps=2),
        ValueError,
        ["the loss at the random start is inf", "X is too large", "1e+308"],
    ),
    "scores overflow (NumPy's sum of 1e309 - 1e309 is not 0)": (
        lambda: logistic.predict_proba(np.full(4, 10.0), 0.0, [[1e308, 1e308, -1e308, -1e308]]),
        ValueError,
        ["X @ w + b overflows float64", "too large"],
    ),
    "negative tol": (
        lambda: logistic.max_margin(Xl, yl, tol=-1),
        ValueError,
        ["tol must be a number >= 0", "-1"],
    ),
    "ReluSum far from its knots": (
        lambda: approximation.relu_sum_through([0, 1], [0, 1e300])(1e300),
        ValueError,
        ["the sum overflows float64", "|x| up to 1e+300"],
    ),
    # ----- functions passed as arguments that return the wrong thing -------------------------
    "f returns None": (
        lambda: numerical_gradient(lambda v: None, np.ones(1)),
        TypeError,
        ["f(w) must return a number", "got None", "return statement"],
    ),
    "f returns an array": (
        lambda: numerical_gradient(lambda v: v, np.ones(2)),
        TypeError,
        ["f(w) must return a number", "array of shape (2,)"],
    ),
    "f returns a str": (
        lambda: numerical_gradient(lambda v: "1", np.ones(1)),
        TypeError,
        ["f(w) must return a number", "'1'"],
    ),
    "Jacobian's f returns None": (
        lambda: numerical_jacobian(lambda v: None, np.ones(2)),
        TypeError,
        ["f(x) must be an array of numbers", "None"],
    ),
    "grad returns None": (
        lambda: descent.gradient_descent(lambda w: None, 1.0, 0.1, 3),
        TypeError,
        ["grad(w) must be an array of numbers", "None"],
    ),
    "grad returns complex": (
        lambda: descent.gradient_descent(lambda w: w * 1j, 1.0, 0.1, 3),
        TypeError,
        ["grad(w) must be real numbers", "complex"],
    ),
    "loss returns an array": (
        lambda: descent.gradient_descent(grad2, np.ones(2), 0.1, 3, loss=lambda w: w),
        TypeError,
        ["loss(w) must return a number", "array of shape (2,)"],
    ),
    "loss returns None": (
        lambda: descent.gradient_descent(grad2, 1.0, 0.1, 3, loss=lambda w: None),
        TypeError,
        ["loss(w) must return a number", "None"],
    ),
    "trajectory holding NaN": (
        lambda: descent.outcome(descent.Trajectory(np.array([1.0, np.nan]), None, False, None)),
        ValueError,
        ["trajectory.w contains 1 NaN"],
    ),
    # ----- objects that are not what the function draws or checks ----------------------------
    "draw on a str": (lambda: draw(Value(1.0), ax="x"), TypeError, ["ax must be matplotlib Axes"]),
    "nodes of None": (lambda: nodes_and_edges(None), TypeError, ["root must be a Value", "None"]),
    "draw_mlp activation": (
        lambda: plotting.draw_mlp([2, 3], activation=None),
        TypeError,
        ["activation must be one of", "None"],
    ),
    "draw_mlp title": (
        lambda: plotting.draw_mlp([2, 3], title=3),
        TypeError,
        ["title must be a str or None", "3"],
    ),
    "draw_mlp ax": (
        lambda: plotting.draw_mlp([2, 3], ax="x"),
        TypeError,
        ["ax must be matplotlib Axes or None", "'x'"],
    ),
    "save_figure of None": (
        lambda: plotting.save_figure(None, "name"),
        TypeError,
        ["fig must be a matplotlib Figure", "None"],
    ),
    "save_figure name": (
        lambda: plotting.save_figure(None, 3),
        TypeError,
        ["name must be a str", "3"],
    ),
    "diagram_shapes of a str": (
        lambda: plotting.diagram_shapes("fig"),
        TypeError,
        ["fig must be a matplotlib Figure", "'fig'"],
    ),
    # ----- found by the independent battery: what still came through --------------------------
    "activation assigned a NumPy function": (
        lambda: setattr(net(), "activation", np.tanh),
        TypeError,
        ["activation must be one of", "or an Activation", "ufunc 'tanh'"],
    ),
    "output_activation assigned None": (
        lambda: setattr(net(), "output_activation", None),
        TypeError,
        ["output_activation must be one of", "None"],
    ),
    "inf set in place behind a saturated tanh, then step": (
        lambda: in_place(net(), "biases", 0, np.inf).step(X, Y, 0.1),
        ValueError,
        ["biases[0] (layer 1) contains 1 NaN or infinite value(s)", "set in place"],
    ),
    "inf set in place by fit's callback": (
        lambda: net().fit(X, Y, 0.1, 3, callback=lambda e, n, l: in_place(n, "biases", 0, np.inf)),
        ValueError,
        ["after callback(epoch=1", "biases[0] (layer 1) contains 1 NaN or infinite"],
    ),
    "weight reshaped in place by fit's callback": (
        lambda: net().fit(X, Y, 0.1, 3, callback=reshape_first_weight),
        ValueError,
        ["after callback(epoch=1", "weights[0]", "must have shape (3, 2)", "got shape (2, 3)"],
    ),
    "fit after a diverged fit": (
        lambda: diverged().fit(X, Y, 0.1, 3),
        ValueError,
        ["the loss before training is inf", "the weights are too large", "diverged at epoch 1"],
    ),
    "layer_forward without b": (
        lambda: layer_forward(X, np.ones((3, 2)), None, "tanh"),
        TypeError,
        ["b must be an array of numbers", "None"],
    ),
    "an activation of the user's gives NaN: forward": (
        lambda: MLP([2, 3, 1], activation=sqrt_activation, seed=0).forward(-X),
        ValueError,
        ["the activation 'sqrt' of layer 1", "sigma.f(s) gives", "NaN", "finite pre-activations"],
    ),
    "an activation of the user's gives NaN: loss": (
        lambda: MLP([2, 3, 1], activation=sqrt_activation, seed=0).loss(-X, Y),
        ValueError,
        ["the activation 'sqrt' of layer 1", "sigma.f(s) gives", "NaN"],
    ),
    "an activation of the user's gives NaN: step": (
        lambda: MLP([2, 3, 1], activation=sqrt_activation, seed=0).step(-X, Y, 0.1),
        ValueError,
        ["the activation 'sqrt' of layer 1", "sigma.f(s) gives", "NaN"],
    ),
    "an activation of the user's gives NaN: fit": (
        lambda: MLP([2, 3, 1], activation=sqrt_activation, seed=0).fit(-X, Y, 0.1, 2),
        ValueError,
        ["the activation 'sqrt' of layer 1", "sigma.f(s) gives", "NaN"],
    ),
    "an activation's derivative gives NaN: gradients": (
        lambda: MLP([2, 3, 1], activation=log_derivative, seed=0).gradients(-X, Y),
        ValueError,
        ["the activation 'logd' of layer 1", "sigma.df(s) gives", "NaN"],
    ),
    "eps so large that 2 eps overflows": (
        lambda: numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), eps=1e308),
        ValueError,
        ["eps=1e+308 is too large", "2 eps", "overflows float64"],
    ),
    "eps that moves w beyond float64": (
        lambda: numerical_gradient(lambda v: float(np.tanh(v[0])), np.array([1.7e308]), eps=5e307),
        ValueError,
        ["eps=5e+307 is too large for w[0] = 1.7e+308", "overflows float64"],
    ),
    "Jacobian's eps so large that 2 eps overflows": (
        lambda: numerical_jacobian(lambda v: v, np.ones(2), eps=1e308),
        ValueError,
        ["eps=1e+308 is too large", "overflows float64"],
    ),
    "complex Value": (
        lambda: Value(1 + 2j),
        TypeError,
        ["data must be a number (real)", "complex", ".real"],
    ),
    "complex b": (
        lambda: logistic.loss(wl, 1j, Xl, yl),
        TypeError,
        ["b must be a number (real)", "complex", ".real"],
    ),
    "draw of a number": (lambda: draw(3), TypeError, ["root must be a Value", "3"]),
    "draw's show_grad a str": (
        lambda: draw(Value(1.0), show_grad="no"),
        TypeError,
        ["show_grad must be True or False", "'no'"],
    ),
    "grad NaN at w0": (
        lambda: descent.gradient_descent(lambda w: np.sqrt(w), -1.0, 0.1, 3),
        ValueError,
        ["grad(w0) contains 1 NaN or infinite value(s)", "expected finite numbers"],
    ),
    # at 100 sweeps the last change is about 3e-9, far from rounding: no BLAS kernel reaches
    # tol=0 there (at 200 sweeps one kernel lands on an exact fixed point and another does not)
    "max_margin with tol=0": (
        lambda: logistic.max_margin(*datasets.small_separable(20), sweeps=100, tol=0),
        ValueError,
        ["no convergence to tol=0.0 in 100 sweeps", "separates the data", "larger tol"],
    ),
    "knots of the wrong length": (
        lambda: approximation.ReluSum(0.0, [1.0], [0.0], [1.0], knots=[0.0, 1.0, 2.0]),
        ValueError,
        ["knots must hold n + 1 = 2 entries", "got shape (3,)"],
    ),
    "save_figure name with a NUL": (
        lambda: plotting.save_figure(figure(), "a\x00b"),
        ValueError,
        ["name must be a bare file name", "'a\\x00b'", "control character"],
    ),
    "label 0.5": (
        lambda: losses.cross_entropy(np.ones((2, 3)), [0.5, 2]),
        TypeError,
        ["labels y must be integers 0..2", "got 0.5 at index 0"],
    ),
    "label NaN": (
        lambda: losses.cross_entropy(np.ones((2, 3)), [1, np.nan]),
        TypeError,
        ["labels y must be integers 0..2", "got nan at index 1"],
    ),
    "complex labels": (
        lambda: losses.cross_entropy(np.ones((2, 3)), np.array([0j, 1])),
        TypeError,
        ["labels y must be integers 0..2", "complex", ".real"],
    ),
    "mse of (3,) against (1, 3)": (
        lambda: losses.mse([1.0, 2.0, 3.0], [[0.0, 0.0, 0.0]]),
        ValueError,
        ["targets y have shape (1, 3)", "the predictions have shape (3,)"],
    ),
    "show_error of a negative number": (
        lambda: show_error(-0.5),
        ValueError,
        ["err must be an error >= 0", "-0.5"],
    ),
    "show_error of None": (
        lambda: show_error(None),
        TypeError,
        ["err must be an error >= 0, one number", "None"],
    ),
    "show_error of a str": (
        lambda: show_error("1e-3"),
        TypeError,
        ["err must be an error >= 0, one number", "'1e-3'"],
    ),
    "show_error of a bool": (lambda: show_error(True), TypeError, ["err must be", "True"]),
    "show_error of an array": (
        lambda: show_error(np.array([1e-3])),
        TypeError,
        ["err must be an error >= 0, one number", "array of shape (1,)"],
    ),
    "show_error of a dict": (
        lambda: show_error({"w1": 1e-9}),
        TypeError,
        ["err must be an error >= 0, one number", "dict"],
    ),
    "show_error's floor None": (
        lambda: show_error(1e-3, floor=None),
        TypeError,
        ["floor must be a positive number", "None"],
    ),
    "show_error's floor 0": (
        lambda: show_error(0.0, floor=0),
        ValueError,
        ["floor must be a positive finite number", "0"],
    ),
    "show_source of a number": (
        lambda: show_source(3),
        TypeError,
        ["show_source takes functions, methods, classes or modules", "3", "argument 1"],
    ),
}


def in_place(network, kind, layer, value):
    """`network` with entry [0] of its `kind` array of `layer` set to `value`, in place."""
    getattr(network, kind)[layer].flat[0] = value
    return network


def reshape_first_weight(epoch, network, loss):
    network.weights[0].shape = (2, 3)


def diverged():
    """A network whose fit diverged: its weights finite but far too large for X."""
    network = net()
    network.fit(X, Y, 1e300, 3)
    assert network.diverged_at == 1
    return network


sqrt_activation = activations.Activation("sqrt", np.sqrt, lambda s: 0.5 / np.sqrt(s))
log_derivative = activations.Activation("logd", np.tanh, np.log)


def figure():
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    plt.close(fig)
    return fig


def show_error(*args, **kwargs):
    from bpcourse.notebook import show_error

    return show_error(*args, **kwargs)


def show_source(*objects):
    from bpcourse.notebook import show_source

    return show_source(*objects)


@pytest.mark.parametrize("call, error, fragments", CASES.values(), ids=list(CASES))
def test_refusal_names_the_argument_the_expectation_and_what_came(call, error, fragments):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning may come out with (or instead of) it
        with pytest.raises(error) as raised:
            call()
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes came in Python 3.11")
def test_psi_that_takes_one_number_gets_a_note_saying_it_is_called_on_an_array():
    with pytest.raises(TypeError) as raised:
        approximation.relu_interpolant(math.sin, 0, 1, 3)
    assert any("np.sin, not math.sin" in note for note in raised.value.__notes__)


def test_fractions_and_numpy_scalars_are_numbers_for_hyper_parameters():
    from fractions import Fraction

    a, b = MLP([2, 3, 1], seed=0), MLP([2, 3, 1], seed=0)
    assert a.step(X, Y, np.array(0.1)) == b.step(X, Y, Fraction(1, 10))  # a 0-d array is one
    assert np.array_equal(a.weights[0], b.weights[0])
