"""Checks of notebook 04's exercises: the backward pass, one layer and then the whole network.

- Exercise 4.1, `check_layer_backward`: one layer's backward pass on a batch (samples in rows),
  from [dl/dx^(l)] to ([dl/dx^(l-1)], [dl/dw^(l)], [dl/db^(l)]). Reference:
  `bpcourse.mlp.layer_backward`.
- Exercise 4.2, `check_backward_pass`: the whole backward pass of an MLP with the same sigma in
  every layer and the loss L = (1/N) sum_n ||x^(L)_n - y_n||^2, layer L down to layer 1.
  Reference: the package's backward loop, `bpcourse.losses.mse` for [dl/dx^(L)] then
  `bpcourse.mlp.layer_backward` from layer L down to 1 (what `MLP._backprop` runs).
- Exercise 4.3, `check_dC_dW2_12`: CSC311's dC/dW_12^(2), written with scalars only.
- Exercise 4.4, `check_dC_dW1_23`: CSC311's dC/dW_23^(1), written with scalars only.
  Reference of both: the same package loop on a batch of one sample, one entry of grad_w.

The cases reach the places where mistakes hide: layers that are not square (a transpose cannot
pass by accident), batch sizes N other than 1 and other than the layer widths, a ReLU layer
with a dead unit (its sigma' is 0 for every sample), inputs of different scales.

Each known mistake below is the package's reference with one thing changed (sigma.f where
sigma.df belongs, sigma' taken at the wrong point, ...). Some mistakes (``dl_ds @ w.T``,
``x[l]`` for ``x[l-1]``) raise a shape error as soon as a layer is not square; the checks then
run the function on square layers, where it runs, to name the mistake.
"""

import copy
import itertools
from dataclasses import replace

import numpy as np

from bpcourse import losses, mlp
from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises import _core
from bpcourse.exercises._core import (
    Mistake,
    check,
    forward_lists,
    random_network,
    with_square_retry,
)

LAYER = "Exercise 4.1 (backward pass of one layer)"
FULL = "Exercise 4.2 (backward pass of the whole network)"
W2_12 = "Exercise 4.3 (CSC311's dC/dW_12^(2), non-vectorised)"
W1_23 = "Exercise 4.4 (CSC311's dC/dW_23^(1), non-vectorised)"

LAYER_NAMES = ("dl_dx_prev", "dl_dw", "dl_db")
FULL_NAMES = ("grad_w", "grad_b")

#: sigma' written as a function of the output x = sigma(s): given s by mistake, it is wrong
_FROM_OUTPUT = {
    "tanh": lambda x: 1.0 - x**2,
    "sigmoid": lambda x: x * (1.0 - x),
    "relu": lambda x: (np.asarray(x) > 0).astype(np.float64),
    "identity": lambda x: np.ones_like(x),
}


def _with_df(sigma, df):
    """The activation `sigma` whose derivative is replaced by `df` (one mistake, nothing else)."""
    return replace(sigma, df=df, df_from_output=None)


def _f_for_df(sigma):
    return _with_df(sigma, sigma.f)


def _s_for_output(sigma):
    return _with_df(sigma, _FROM_OUTPUT[sigma.name])


def _df_at_output(sigma):
    return _with_df(sigma, lambda s: sigma.df(sigma.f(s)))


_ONE_MINUS_S_SQUARED = (
    "your sigma' is 1 - s**2, which is not tanh'(s): 1 - (.)**2 is tanh' in terms of the "
    "layer's output, and you gave it the pre-activation s; besides, the activation is the "
    "argument `sigma`, which need not be tanh"
)
_HARD_CODED_TANH = (
    "your derivative is tanh's in every case, but the activation is the argument `sigma` "
    "(here also a sigmoid or a ReLU), whose derivative depends on which one it is"
)
_F_FOR_DF = "you multiply by sigma(s), the activation itself, where its derivative belongs"
_S_FOR_OUTPUT = (
    "your sigma' is written for the layer's output x = sigma(s) (like 1 - x**2 for tanh), "
    "but what you give it is the pre-activation s"
)
_AT_OUTPUT = (
    "sigma' is evaluated at the layer's output sigma(s), so sigma is applied twice: at which "
    "point does the chain rule take the derivative of x = sigma(s)?"
)
_AT_INPUT = (
    "sigma' is evaluated at the layer's input x_prev: at which point does the chain rule "
    "take the derivative of x = sigma(s)?"
)


# ----- Exercise 4.1: one layer ----------------------------------------------------------------
def layer_backward(dl_dx, s, x_prev, w, sigma):
    """The reference of Exercise 4.1: `bpcourse.mlp.layer_backward`, the course's one layer."""
    return mlp.layer_backward(dl_dx, s, x_prev, w, sigma)


def _layer_cases(specs, seed):
    """(dl_dx, s, x_prev, w, sigma) for layers of given (N, D_{l-1}, D_l, sigma, options).

    options: ``dead`` (unit 0 gets a bias so negative that its ReLU is off for every sample)
    and ``scales`` (one scale per input column, so the inputs differ in size).
    """
    rng = np.random.default_rng(seed)
    cases, sizes, describe = [], [], []
    for n, d_in, d_out, sigma, options in specs:
        (w,), (b,) = random_network([d_in, d_out], rng)
        x_prev = rng.normal(size=(n, d_in)) * np.asarray(options.get("scales", 1.0))
        if options.get("dead"):
            b[0] = -10.0 - np.max(np.abs(x_prev @ w[0]))  # s[:, 0] < 0: a dead unit
        s = x_prev @ w.T + b
        dl_dx = rng.normal(size=(n, d_out)) / n  # the batch loss is a mean: a 1/N inside
        cases.append((dl_dx, s, x_prev, w, sigma))
        sizes.append({"N": n, "D_l": d_out, "D_(l-1)": d_in})
        extra = ", unit 1 dead" if options.get("dead") else ""
        extra += ", inputs of different scales" if "scales" in options else ""
        describe.append(f"a {sigma.name} layer {d_in} -> {d_out}, N = {n}{extra}")
    return cases, sizes, describe


def _layer_mistakes():
    ref = layer_backward

    def forgot_sigma_prime(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, identity)

    def f_for_df(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, _f_for_df(sigma))

    def s_for_output(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, _s_for_output(sigma))

    def df_at_output(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, _df_at_output(sigma))

    def df_at_input(dl_dx, s, x_prev, w, sigma):  # runs on square layers only
        dl_ds = dl_dx * sigma.df(x_prev)
        return ref(dl_ds, s, x_prev, w, identity)

    def dw_transposed(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = ref(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw.T, dl_db

    def w_transposed(dl_dx, s, x_prev, w, sigma):  # runs on square layers only
        _, dl_dw, dl_db = ref(dl_dx, s, x_prev, w, sigma)
        return (dl_dx * sigma.df(s)) @ w.T, dl_dw, dl_db

    def averaged(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = ref(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw / len(s), dl_db / len(s)

    def bias_averaged(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = ref(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw, dl_db / len(s)

    def bias_wrong_axis(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, _ = ref(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw, (dl_dx * sigma.df(s)).sum(axis=1)

    def one_over_n_again(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx / len(s), s, x_prev, w, sigma)

    def last_sample_only(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, _, _ = ref(dl_dx, s, x_prev, w, sigma)
        _, dl_dw, dl_db = ref(dl_dx[-1:], s[-1:], x_prev[-1:], w, sigma)
        return dl_dx_prev, dl_dw, dl_db

    def one_minus_s_squared(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, _with_df(sigma, lambda v: 1.0 - v**2))

    def hard_coded_tanh(dl_dx, s, x_prev, w, sigma):
        return ref(dl_dx, s, x_prev, w, tanh)

    def dx_prev_without_sigma_prime(dl_dx, s, x_prev, w, sigma):
        _, dl_dw, dl_db = ref(dl_dx, s, x_prev, w, sigma)
        return dl_dx @ w, dl_dw, dl_db

    averaging = (
        "dl_dw and dl_db are averaged over the samples, but dl_dx comes from the mean loss and "
        "already holds its 1/N: your result divides by N a second time"
    )
    return [
        Mistake(
            "forgot_sigma_prime",
            "the result is what you would get if the activation were the identity: the "
            "path from x^(l) back to s^(l) goes through sigma, so its derivative is a factor",
            forgot_sigma_prime,
        ),
        Mistake("f_for_df", _F_FOR_DF, f_for_df),
        Mistake("s_for_output", _S_FOR_OUTPUT, s_for_output),
        Mistake("s_for_output", _ONE_MINUS_S_SQUARED, one_minus_s_squared),
        Mistake("hard_coded_tanh", _HARD_CODED_TANH, hard_coded_tanh),
        Mistake("wrong_point", _AT_OUTPUT, df_at_output),
        Mistake("wrong_point", _AT_INPUT, df_at_input),
        Mistake(
            "shapes_swapped",
            "dl_dw must have the shape of w, (D_l, D_(l-1)); yours has the two dimensions "
            "swapped: which factor comes first, dl_ds or x_prev?",
            dw_transposed,
        ),
        Mistake(
            "transpose",
            "dl_dx_prev multiplies by the transpose of what it needs: with samples in rows, "
            "compare the shapes of dl_ds (N, D_l), w (D_l, D_(l-1)) and the result "
            "(N, D_(l-1))",
            w_transposed,
        ),
        Mistake("averaged_not_summed", averaging, averaged),
        Mistake(
            "averaged_not_summed",
            averaging.replace("dl_dw and dl_db are", "dl_db is (dl_dw is right)"),
            bias_averaged,
        ),
        Mistake(
            "wrong_axis",
            "dl_db has one entry per sample, where it needs one per unit of the layer: your "
            "sum over dl_ds runs along the other axis",
            bias_wrong_axis,
        ),
        Mistake(
            "extra_1_over_n",
            "every value is 1/N times the right one: dl_dx already holds the 1/N of the mean "
            "loss, and your result divides by N once more",
            one_over_n_again,
        ),
        Mistake(
            "overwrite_not_accumulate",
            "dl_dw and dl_db are those of the last sample alone: each sample adds its "
            "contribution to the parameters' gradients, so look for an `=` that should "
            "accumulate",
            last_sample_only,
        ),
        Mistake(
            "forgot_sigma_prime",
            "dl_dw and dl_db are right, but dl_dx_prev is what you would get if the "
            "activation were the identity: x_prev reaches the loss through s, then sigma",
            dx_prev_without_sigma_prime,
        ),
    ]


def check_layer_backward(layer_backward_function):
    """Check Exercise 4.1: one layer's backward pass on a batch whose samples are rows.

    Parameters
    ----------
    layer_backward_function : callable
        ``layer_backward(dl_dx, s, x_prev, w, sigma)`` with `dl_dx` and `s` of shape (N, D_l),
        `x_prev` of shape (N, D_{l-1}), `w` of shape (D_l, D_{l-1}) and `sigma` an activation
        (``sigma.f``, ``sigma.df``); returns NumPy arrays ``(dl_dx_prev, dl_dw, dl_db)`` of
        shapes (N, D_{l-1}), (D_l, D_{l-1}) and (D_l,), as `bpcourse.mlp.layer_backward` does.
        Loops, ``np.dot``, ``einsum`` and float64 arrays of any memory layout are fine; lists
        are not (the next exercise computes with the arrays).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"forgot_sigma_prime"``, ``"f_for_df"``,
        ``"s_for_output"`` (1 - s**2 for tanh'), ``"wrong_point"`` (sigma' at x or x_prev),
        ``"shapes_swapped"``, ``"transpose"`` (w^T where w belongs, found on square layers),
        ``"averaged_not_summed"``, ``"extra_1_over_n"``, ``"overwrite_not_accumulate"``,
        ``"wrong_axis"`` (dl_db summed over the units, one entry per sample), or a
        generic one (``"output_order"``, ``"modified_input"``, ``"sign"``, ``"scale"``,
        ``"precision"``, ``"not_a_result"``, ``"raised"``). A result that is not named says
        which value, which case and how many entries are off. ``.usable`` is what later cells
        call: the student's function once correct, the reference until then.
    """
    mistakes = _layer_mistakes()

    def run(specs, seed):
        cases, sizes, describe = _layer_cases(specs, seed)
        return check(
            LAYER, layer_backward_function, layer_backward, cases, mistakes,
            names=LAYER_NAMES, describe=describe, sizes=sizes, allow_lists=False,
            name="layer_backward",
        )  # fmt: skip

    general = [
        (5, 3, 4, tanh, {}),
        (7, 4, 2, sigmoid, {"scales": [0.01, 1.0, 3.0, 0.3]}),
        (6, 2, 3, relu, {"dead": True, "scales": [0.1, 10.0]}),
        (3, 5, 1, tanh, {"scales": [2.0, 0.05, 1.0, 0.5, 1.5]}),
    ]
    square = [(5, 3, 3, tanh, {}), (6, 4, 4, sigmoid, {}), (7, 2, 2, relu, {"dead": True})]
    return with_square_retry(lambda: run(general, 41), lambda: run(square, 42))


# ----- Exercise 4.2: the whole backward pass ----------------------------------------------------
def _backward(weights, s, x, Y, sigma, *, top=None, sigma_of=None, x_in=None, w_of=None):
    """The package's backward loop, with hooks that the mistakes below use to change one thing.

    top(x_L, Y) gives [dl/dx^(L)]; sigma_of(l), x_in(l) and w_of(l) give layer l's activation,
    input and weights. Without hooks: `losses.mse` then `mlp.layer_backward` for l = L..1.
    """
    L = len(weights)
    dl_dx = losses.mse(x[L], Y)[1] if top is None else top(x[L], Y)
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dl_dx, grad_w[l - 1], grad_b[l - 1] = mlp.layer_backward(
            dl_dx,
            s[l],
            x[l - 1] if x_in is None else x_in(l),
            weights[l - 1] if w_of is None else w_of(l),
            sigma if sigma_of is None else sigma_of(l),
        )
    return grad_w, grad_b


def backward_pass(weights, s, x, Y, sigma):
    """The reference of Exercise 4.2: `losses.mse`, then `mlp.layer_backward` for l = L..1."""
    return _backward(weights, s, x, Y, sigma)


def _backward_cases(specs, seed):
    """(weights, s, x, Y, sigma) for networks of given (sizes, N, sigma, options)."""
    rng = np.random.default_rng(seed)
    cases, sizes, describe = [], [], []
    for layer_sizes, n, sigma, options in specs:
        weights, biases = random_network(layer_sizes, rng)
        X = rng.normal(size=(n, layer_sizes[0])) * np.asarray(options.get("scales", 1.0))
        if options.get("dead"):
            biases[0][0] = -10.0 - np.max(np.abs(X @ weights[0][0]))  # unit 1 of layer 1 off
        Y = rng.normal(size=(n, layer_sizes[-1]))
        s, x = forward_lists(X, weights, biases, sigma)
        cases.append((weights, s, x, Y, sigma))
        sizes.append({"N": n, "D_L": layer_sizes[-1]})
        extra = ", a dead unit in layer 1" if options.get("dead") else ""
        extra += ", inputs of different scales" if "scales" in options else ""
        describe.append(f"{sigma.name} network {layer_sizes}, N = {n}{extra}")
    return cases, sizes, describe


def _backward_mistakes():
    def sum_not_mean(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, top=lambda f, y: 2.0 * (f - y))

    def no_sigma_prime(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: identity)

    def no_sigma_prime_on_output(weights, s, x, Y, sigma):
        L = len(weights)
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: identity if l == L else sigma)

    def no_sigma_prime_on_hidden(weights, s, x, Y, sigma):
        L = len(weights)
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: sigma if l == L else identity)

    def f_for_df(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: _f_for_df(sigma))

    def s_for_output(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: _s_for_output(sigma))

    def df_at_output(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: _df_at_output(sigma))

    def one_minus_s_squared(weights, s, x, Y, sigma):
        tanh_of_x = _with_df(sigma, lambda v: 1.0 - v**2)
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: tanh_of_x)

    def hard_coded_tanh(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_of=lambda l: tanh)

    def df_at_input(weights, s, x, Y, sigma):  # runs on square layers only
        L = len(weights)
        dl_dx = losses.mse(x[L], Y)[1]
        grad_w, grad_b = [None] * L, [None] * L
        for l in range(L, 0, -1):
            dl_ds = dl_dx * sigma.df(x[l - 1])
            dl_dx, grad_w[l - 1], grad_b[l - 1] = mlp.layer_backward(
                dl_ds, s[l], x[l - 1], weights[l - 1], identity
            )
        return grad_w, grad_b

    def layer_1_missing(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return [np.zeros_like(grad_w[0]), *grad_w[1:]], [np.zeros_like(grad_b[0]), *grad_b[1:]]

    def last_sample_only(weights, s, x, Y, sigma):
        # the per-sample loop that writes grad_w[l-1] = ... instead of adding to it
        N = len(Y)
        return _backward(
            weights,
            [None] + [a[-1:] for a in s[1:]],
            [a[-1:] for a in x],
            Y[-1:],
            sigma,
            top=lambda f, y: 2.0 * (f - y) / N,
        )

    def output_for_input(weights, s, x, Y, sigma):  # runs on square layers only
        return _backward(weights, s, x, Y, sigma, x_in=lambda l: x[l])

    def reversed_lists(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return grad_w[::-1], grad_b[::-1]

    def swapped_outputs(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return grad_b, grad_w

    def w_transposed(weights, s, x, Y, sigma):  # runs on square layers only
        return _backward(weights, s, x, Y, sigma, w_of=lambda l: weights[l - 1].T)

    def dw_transposed(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return [g.T for g in grad_w], grad_b

    def negated(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, top=lambda f, y: 2.0 * (y - f) / len(y))

    forgot = (
        "the result is what you would get if sigma were the identity {where}: every "
        "layer's pre-activations s^(l) reach the loss through sigma, the output layer's "
        "included"
    )
    return [
        Mistake(
            "missing_1_over_n",
            "every gradient is N times too large: the loss is the mean over the N samples, "
            "not their sum",
            sum_not_mean,
        ),
        Mistake("forgot_sigma_prime", forgot.format(where="in every layer"), no_sigma_prime),
        Mistake(
            "forgot_sigma_prime",
            forgot.format(where="in the output layer"),
            no_sigma_prime_on_output,
        ),
        Mistake(
            "forgot_sigma_prime",
            forgot.format(where="in the hidden layers"),
            no_sigma_prime_on_hidden,
        ),
        Mistake("f_for_df", _F_FOR_DF, f_for_df),
        Mistake(
            "s_for_output",
            _S_FOR_OUTPUT.replace("pre-activation s", "pre-activation s[l]"),
            s_for_output,
        ),
        Mistake("s_for_output", _ONE_MINUS_S_SQUARED, one_minus_s_squared),
        Mistake("hard_coded_tanh", _HARD_CODED_TANH, hard_coded_tanh),
        Mistake(
            "wrong_point",
            "sigma' is evaluated at the layer's output x[l], so sigma is applied twice: at "
            "which point does the chain rule take the derivative of x[l] = sigma(s[l])?",
            df_at_output,
        ),
        Mistake(
            "wrong_point",
            "sigma' is evaluated at the layer's input x[l-1]: at which point does the chain "
            "rule take the derivative of x[l] = sigma(s[l])?",
            df_at_input,
        ),
        Mistake(
            "stops_early",
            "the gradients of layers 2 to L are right, but layer 1's are missing: the loop "
            "over the layers stops one layer early (check where your range ends)",
            layer_1_missing,
        ),
        Mistake(
            "overwrite_not_accumulate",
            "the gradients are those of the last sample alone: each sample adds its "
            "contribution to the parameters' gradients, so look for an `=` that should "
            "accumulate",
            last_sample_only,
        ),
        Mistake(
            "off_by_one",
            "grad_w of layer l uses the layer's own output x[l]: which activations does w^(l) "
            "multiply in the forward pass?",
            output_for_input,
        ),
        Mistake(
            "layer_order",
            "the gradients are right but listed from the last layer to the first: grad_w[0] "
            "must belong to layer 1, like weights[0]",
            reversed_lists,
        ),
        Mistake(
            "output_order",
            "the values are right but returned in another order: return (grad_w, grad_b)",
            swapped_outputs,
        ),
        Mistake(
            "transpose",
            "the gradient passed back to x^(l-1) multiplies by the transpose of what it "
            "needs: compare the shapes of dl_ds (N, D_l), w (D_l, D_(l-1)) and dl_dx_prev "
            "(N, D_(l-1))",
            w_transposed,
        ),
        Mistake(
            "shapes_swapped",
            "each grad_w[l-1] must have the shape of weights[l-1]; yours have the two "
            "dimensions swapped",
            dw_transposed,
        ),
        Mistake(
            "sign",
            "the magnitude is right but the sign is flipped: the gradient points uphill, so "
            "check the difference in the loss's derivative",
            negated,
        ),
    ]


def _none_to_zeros(function):
    """`function` with None entries of its two returned lists read as zeros (for stops_early)."""

    def wrapped(weights, s, x, Y, sigma):
        out = function(weights, s, x, Y, sigma)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            return out
        grads = []
        for values, like in zip(out, ([w for w in weights], [w[:, 0] for w in weights])):
            if isinstance(values, (tuple, list)) and len(values) == len(like):
                values = [np.zeros_like(k) if v is None else v for v, k in zip(values, like)]
            grads.append(values)
        return tuple(grads)

    return wrapped


def check_backward_pass(backward_pass_function):
    """Check Exercise 4.2: the backward pass of a whole MLP for the mean squared error.

    The network has the same activation sigma in every layer, the output layer's included,
    and the loss L = (1/N) sum_n ||x^(L)_n - y_n||^2.

    Parameters
    ----------
    backward_pass_function : callable
        ``backward_pass(weights, s, x, Y, sigma)`` with ``weights[l-1]`` = w^(l) of shape
        (D_l, D_{l-1}), ``s`` and ``x`` the forward pass's lists indexed by the layer l = 0..L
        (``s[0]`` is None, ``x[0]`` is the batch X of shape (N, D0), ``s[l]`` and ``x[l]``
        of shape (N, D_l)), ``Y`` of shape (N, D_L) and ``sigma`` an activation
        (``sigma.f``, ``sigma.df``); returns ``(grad_w, grad_b)``, two lists (or tuples) of
        NumPy arrays, ``grad_w[l-1]`` of the shape of w^(l) and ``grad_b[l-1]`` of shape
        (D_l,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_1_over_n"``,
        ``"forgot_sigma_prime"``, ``"f_for_df"``, ``"s_for_output"``, ``"wrong_point"``,
        ``"stops_early"`` (layer 1's gradients missing: zeros or None),
        ``"overwrite_not_accumulate"`` (the last sample's contribution only), ``"off_by_one"``
        (x^(l) where x^(l-1) belongs, found on square layers), ``"layer_order"``,
        ``"output_order"``, ``"transpose"`` (found on square layers), ``"shapes_swapped"``,
        ``"sign"``, or a generic one (``"scale"`` names a factor like 1/N or 1/(N·D_L),
        ``"modified_input"``, ``"precision"``, ``"not_a_result"``, ``"raised"``).
        ``.usable`` is what later cells call.
    """
    mistakes = _backward_mistakes()

    def run(function, specs, seed):
        cases, sizes, describe = _backward_cases(specs, seed)
        return check(
            FULL, function, backward_pass, cases, mistakes, names=FULL_NAMES,
            describe=describe, sizes=sizes, allow_lists=False, name="backward_pass",
        )  # fmt: skip

    general = [
        ([3, 5, 4, 2], 6, tanh, {}),
        ([2, 4, 3], 5, sigmoid, {"scales": [0.05, 2.0]}),
        ([4, 5, 3, 2], 7, relu, {"dead": True, "scales": [0.1, 1.0, 10.0, 0.5]}),
        ([3, 6, 2, 2, 3], 4, sigmoid, {}),
        ([4, 3, 1], 8, tanh, {"scales": [2.0, 0.05, 1.0, 0.5]}),
    ]
    square = [([3, 3, 3, 3], 5, tanh, {}), ([4, 4, 4], 6, sigmoid, {})]
    result = with_square_retry(
        lambda: run(backward_pass_function, general, 43),
        lambda: run(backward_pass_function, square, 44),
    )
    if result.diagnosis == "not_a_result":  # a None in the lists: is it layer 1's?
        filled = run(_none_to_zeros(backward_pass_function), general, 43)
        if filled.diagnosis == "stops_early":
            return replace(filled, student=backward_pass_function, function=backward_pass)
    if result.diagnosis == "unknown":
        return _common_factor(result, backward_pass_function, *_backward_cases(general, 43)[:2])
    return result


def _common_factor(result, function, cases, sizes):
    """Name one factor shared by every gradient (1/N, 1/(N·D_L), ...), or return `result`.

    The core's per-value factor detector needs the same number of returned arrays in every
    case, and these cases are networks of different depths, so this one runs here.
    """
    factors = []
    for args in cases:
        try:
            got = _core._leaves(function(*copy.deepcopy(args)), FULL_NAMES)
            want = _core._leaves(backward_pass(*args), FULL_NAMES)
            factor = _core._ratio(np.concatenate([g.ravel() for g in got]),
                                  np.concatenate([w.ravel() for w in want]))  # fmt: skip
        except Exception:  # a shape that differs, a value that is not numbers: say nothing more
            return result
        if factor is None:
            return result
        factors.append(factor)
    explained = _core._explain_factor(factors, sizes)
    if explained is None:
        return result
    return replace(
        result,
        status="mistake",
        diagnosis="scale",
        message=f"not yet: every gradient is {explained} times the right value"
        f"{_core._size_legend(sizes)}: look for a normalisation (a 1/N, a mean over every "
        "entry or a sum, a 2, a 1/2) that differs from the mean over the N samples",
    )


# ----- Exercises 4.3 and 4.4: CSC311's two derivatives, with scalars --------------------------
_CSC311_SIZES = ([4, 4, 4, 1], [5, 4, 3, 1], [4, 5, 4, 1], [6, 3, 2, 1])
_CSC311_LEGEND = {"D_2": "D_2 the number of units in layer 2"}


def _csc311_cases(seed):
    """(W, z, a, t) for CSC311's 3-layer network with tanh in every layer, one sample.

    ``W[m]`` is W^(m) of shape (D_m, D_{m-1}) and ``z[m]``, ``a[m]`` are 1-D arrays, indexed
    by the layer m = 0..3 (``W[0]`` and ``z[0]`` are None, ``a[0]`` is the input x). Returns
    the cases, one phrase per case for messages, and the sizes a wrong factor may involve.
    """
    rng = np.random.default_rng(seed)
    cases, describe, sizes = [], [], []
    for layer_sizes in _CSC311_SIZES:
        weights, biases = random_network(layer_sizes, rng)
        x = rng.normal(size=layer_sizes[0])
        z, a = forward_lists(x, weights, biases, tanh)
        cases.append(([None, *weights], z, a, float(rng.normal())))
        describe.append("a tanh network with layer sizes " + " -> ".join(map(str, layer_sizes)))
        sizes.append({"D_2": layer_sizes[2]})
    return cases, describe, sizes


def _package_grad_w(W, z, a, t):
    """grad_w of C = (a^(3) - t)^2 by the package's backward loop, on a batch of one sample."""
    s = [None] + [np.atleast_1d(v)[None, :] for v in z[1:]]
    x = [np.atleast_1d(v)[None, :] for v in a]
    return _backward(list(W[1:]), s, x, np.array([[t]], dtype=np.float64), tanh)[0]


def dC_dW2_12(W, z, a, t):
    """The reference of Exercise 4.3: entry (1, 2) of the package's [dC/dW^(2)]."""
    return float(_package_grad_w(W, z, a, t)[1][0, 1])


def dC_dW1_23(W, z, a, t):
    """The reference of Exercise 4.4: entry (2, 3) of the package's [dC/dW^(1)]."""
    return float(_package_grad_w(W, z, a, t)[0][1, 2])


def _tanh_prime(v):
    return 1.0 - np.tanh(v) ** 2


def _csc311(W, z, a, t, layer, i, j, *, prime=None, units=None, column=True, w3=None, source=None):
    """A mistake's dC/dW_ij^(layer) (0-based i, j; layer 2 or 1): the package's backward loop
    written with scalars (tested equal to it), with hooks that change one thing.

    prime(m, k) is the factor tanh'(z_k^(m)) (default the right one); units are the units k of
    layer 2 whose paths are added (layer 1 only; default all); column=False reads W_ik^(2)
    where W_ki^(2) belongs; w3 is the unit of w^(3) read (layer 2 only; default i); source is
    the activation that multiplies at the end (default a_j^(layer-1)).
    """
    prime = prime or (lambda m, k: _tanh_prime(z[m][k]))
    dC_dz3 = 2.0 * (a[3][0] - t) * prime(3, 0)
    source = a[layer - 1][j] if source is None else source
    if layer == 2:
        return float(dC_dz3 * W[3][0, i if w3 is None else w3] * prime(2, i) * source)
    units = range(len(z[2])) if units is None else units
    total = sum(
        dC_dz3 * W[3][0, k] * prime(2, k) * (W[2][k, i] if column else W[2][i, k]) for k in units
    )
    return float(total * prime(1, i) * source)


#: tanh' written wrongly, as a function of the pre-activation z and the activation a = tanh(z)
_WRONG_PRIMES = [
    (
        "forgot_sigma_prime",
        "the result is what you would get without the factor tanh'(z) {where}: each unit's "
        "pre-activation z reaches the cost through its activation a = tanh(z)",
        lambda z, a: 1.0,
    ),
    (
        "f_for_df",
        "you multiply by tanh(z) {where}, the activation itself, where its derivative belongs",
        lambda z, a: np.tanh(z),
    ),
    (
        "s_for_output",
        "your tanh' {where} is 1 - z**2, and that is not tanh'(z): look at what the square "
        "applies to in the sigma' the prompt gives",
        lambda z, a: 1.0 - z**2,
    ),
    (
        "wrong_derivative",
        "your tanh' {where} is 1 - tanh(z) (or 1 - a), which is not the derivative of tanh: "
        "compare it with the sigma' the prompt gives",
        lambda z, a: 1.0 - np.tanh(z),
    ),
    (
        "wrong_point",
        "tanh' {where} is evaluated at the activation a = tanh(z), so tanh is applied twice: "
        "at which point does the chain rule take the derivative of a = tanh(z)?",
        lambda z, a: _tanh_prime(a),
    ),
]


def _where_layers(layers, every):
    names = [str(m) for m in sorted(layers)]
    if len(names) == 1:
        return f"in layer {names[0]}"
    return f"in layers {', '.join(names[:-1])} and {names[-1]}"


def _prime_mistakes(layer, i, j, layers):
    """One Mistake per wrong tanh' and per non-empty set of layers where it is written."""
    mistakes = []
    for key, message, wrong in _WRONG_PRIMES:
        for count in range(1, len(layers) + 1):
            for chosen in itertools.combinations(layers, count):

                def function(W, z, a, t, wrong=wrong, chosen=chosen):
                    def prime(m, k):
                        if m in chosen:
                            return wrong(z[m][k], a[m][k])
                        return _tanh_prime(z[m][k])

                    return _csc311(W, z, a, t, layer, i, j, prime=prime)

                where = _where_layers(chosen, layers)
                mistakes.append(Mistake(key, message.format(where=where), function))
    return mistakes


def _other_unit_prime(m, unit):
    """prime(m, k) that evaluates layer m's tanh' at `unit` instead of the unit on the path."""

    def hook(z):
        return lambda mm, k: _tanh_prime(z[mm][unit if mm == m else k])

    return hook


def _name_per_case(result, function, cases, detectors):
    """Name a mistake whose index may change from case to case (another unit, some of the
    paths), or return `result` unchanged.

    detectors: (key, message, candidates) with candidates(W, z, a, t) the values that mistake
    gives on that case, one per choice of the index; the student's value must be one of them
    in every case (a candidate equal to the right value says nothing and is dropped).
    """
    if result.diagnosis != "unknown":
        return result
    try:
        got = [float(function(*copy.deepcopy(args))) for args in cases]
        want = [float(result.reference(*args)) for args in cases]
    except Exception:  # the core already said what it could; say nothing more
        return result

    def same(u, v):
        return abs(u - v) <= _core.MATCH * abs(v) + 1e-300

    for key, message, candidates in detectors:
        try:
            if all(
                any(same(g, c) and not same(w, c) for c in candidates(*args))
                for g, w, args in zip(got, want, cases)
            ):
                message = f"not yet: {message}"
                return replace(result, status="mistake", diagnosis=key, message=message)
        except Exception:  # a detector that does not apply to these shapes is skipped
            continue
    return result


_ONE_BASED = (
    "the value is that of another entry of W: the course and CSC311 count rows and "
    "columns from 1, Python from 0"
)
_ONE_NUMBER = "a number (a float, or a NumPy scalar)"


def check_dC_dW2_12(dC_dW2_12_function):
    """Check Exercise 4.3: CSC311's dC/dW_12^(2) for one sample, written with scalars.

    The network has layers z^(m) = W^(m) a^(m-1) + b^(m), a^(m) = tanh(z^(m)) for m = 1, 2, 3,
    one output unit, and the cost C = (a^(3) - t)^2.

    Parameters
    ----------
    dC_dW2_12_function : callable
        ``dC_dW2_12(W, z, a, t)`` with ``W[m]`` = W^(m) of shape (D_m, D_{m-1}) (so w^(3) is
        ``W[3][0]``), ``z[m]`` and ``a[m]`` 1-D arrays of the forward pass (``a[0]`` is x;
        ``W[0]`` and ``z[0]`` are None; ``a[3][0]`` is the output), ``t`` the target; returns
        a plain number (a float or a NumPy scalar; an array of one entry is refused).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"index_order"`` (W_21 computed),
        ``"one_based_indices"``, ``"forgot_sigma_prime"``, ``"f_for_df"`` (tanh for tanh'),
        ``"s_for_output"`` (1 - z**2), ``"wrong_derivative"`` (1 - tanh(z)), ``"wrong_point"``
        (tanh' at a, or at another unit of layer 2), ``"wrong_weight"`` (another entry of
        w^(3)), ``"wrong_input"`` (another unit of a^(1)), ``"off_by_one"`` (a^(2) where a^(1)
        belongs), ``"z_for_a"`` (z^(1) where a^(1) belongs), or a generic one (sign, scale,
        not_a_result, raised). ``.usable`` is what later cells call.
    """
    cases, describe, sizes = _csc311_cases(seed=45)

    def path(W, z, a, t, **changes):
        return _csc311(W, z, a, t, 2, 0, 1, **changes)

    mistakes = [
        Mistake(
            "index_order",
            "that is the derivative with respect to W_21^(2): the first index of W_ij is the "
            "unit the weight feeds (row i), the second the unit it reads from (column j)",
            lambda W, z, a, t: _csc311(W, z, a, t, 2, 1, 0),
        ),
        Mistake("one_based_indices", _ONE_BASED, lambda W, z, a, t: _csc311(W, z, a, t, 2, 1, 2)),
        *_prime_mistakes(2, 0, 1, (2, 3)),
        Mistake(
            "off_by_one",
            "the last factor is an activation of layer 2, the layer W^(2) computes: which "
            "layer's activations does W^(2) multiply?",
            lambda W, z, a, t: path(W, z, a, t, source=a[2][1]),
        ),
        Mistake(
            "z_for_a",
            "the last factor is a pre-activation z^(1); z^(2) is computed from the "
            "activations of the layer below, not from its pre-activations",
            lambda W, z, a, t: path(W, z, a, t, source=z[1][1]),
        ),
    ]
    detectors = [
        (
            "wrong_point",
            "tanh' of layer 2 is evaluated at a unit other than the one W_12^(2) feeds: the "
            "path from W_12^(2) to C goes through one unit of layer 2 only",
            lambda W, z, a, t: [
                path(W, z, a, t, prime=_other_unit_prime(2, k)(z)) for k in range(len(z[2]))
            ],
        ),
        (
            "wrong_weight",
            "the weight of w^(3) in your product belongs to another unit of layer 2 than the "
            "one W_12^(2) feeds",
            lambda W, z, a, t: [path(W, z, a, t, w3=k) for k in range(len(z[2]))],
        ),
        (
            "wrong_input",
            "the last factor is the activation of another unit of layer 1 than the one "
            "W_12^(2) reads from (CSC311 counts from 1, Python from 0)",
            lambda W, z, a, t: [path(W, z, a, t, source=a[1][k]) for k in range(len(a[1]))],
        ),
    ]
    result = check(
        W2_12, dC_dW2_12_function, dC_dW2_12, cases, mistakes, describe=describe,
        sizes=sizes, legend=_CSC311_LEGEND, name="dC_dW2_12",
    )  # fmt: skip
    return _name_per_case(result, dC_dW2_12_function, cases, detectors)


def check_dC_dW1_23(dC_dW1_23_function):
    """Check Exercise 4.4: CSC311's dC/dW_23^(1) for one sample, written with scalars.

    Same network as Exercise 4.3. The unit a_2^(1) reaches the cost through every unit of
    layer 2, so the answer sums one term per unit of layer 2.

    Parameters
    ----------
    dC_dW1_23_function : callable
        ``dC_dW1_23(W, z, a, t)``, arguments as for Exercise 4.3; returns a plain number.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"index_order"`` (W_32 computed),
        ``"one_based_indices"``, ``"one_path_only"`` (one term of the sum over layer 2, e.g.
        an ``=`` where ``+=`` belongs), ``"missing_paths"`` (some terms left out),
        ``"transpose"`` (row 2 of W^(2) where column 2 belongs), ``"forgot_sigma_prime"``,
        ``"f_for_df"``, ``"s_for_output"``, ``"wrong_derivative"``, ``"wrong_point"`` (tanh' at
        a, or layer 1's tanh' at another unit), ``"wrong_input"`` (another entry of x),
        ``"off_by_one"`` (a^(1) where a^(0) = x belongs), or a generic one (sign, ``"scale"``
        (e.g. 1/D_2: a mean of the paths), not_a_result, raised). ``.usable`` is what later
        cells call.
    """
    cases, describe, sizes = _csc311_cases(seed=46)

    def path(W, z, a, t, **changes):
        return _csc311(W, z, a, t, 1, 1, 2, **changes)

    mistakes = [
        Mistake(
            "index_order",
            "that is the derivative with respect to W_32^(1): the first index of W_ij is the "
            "unit the weight feeds (row i), the second the unit it reads from (column j)",
            lambda W, z, a, t: _csc311(W, z, a, t, 1, 2, 1),
        ),
        Mistake("one_based_indices", _ONE_BASED, lambda W, z, a, t: _csc311(W, z, a, t, 1, 2, 3)),
        Mistake(
            "transpose",
            "the sum over layer 2 reads the weights W_2i^(2), those that feed unit 2 of layer "
            "2, and these do not carry a_2^(1) forward: which index of W_ij names the unit "
            "the weight reads from?",
            lambda W, z, a, t: path(W, z, a, t, column=False),
        ),
        *_prime_mistakes(1, 1, 2, (1, 2, 3)),
        Mistake(
            "off_by_one",
            "the last factor is an activation of layer 1, the layer W^(1) computes: which "
            "layer's activations does W^(1) multiply?",
            lambda W, z, a, t: path(W, z, a, t, source=a[1][2]),
        ),
    ]

    def subsets(W, z, a, t, sizes_of):
        units = range(len(z[2]))
        return [
            path(W, z, a, t, units=chosen)
            for count in sizes_of(len(z[2]))
            for chosen in itertools.combinations(units, count)
        ]

    detectors = [
        (
            "one_path_only",
            "only one path is counted: a_2^(1) feeds every unit of layer 2, and by the "
            "multivariate chain rule the cost's derivative adds the contributions of all of "
            "them (in a loop, check that each term is added, not assigned)",
            lambda W, z, a, t: subsets(W, z, a, t, lambda n: [1]),
        ),
        (
            "missing_paths",
            "the sum over the units of layer 2 leaves some of them out: a_2^(1) feeds every "
            "unit of layer 2 (check where your loop starts and stops: Python counts from 0, "
            "and range stops before its end)",
            lambda W, z, a, t: subsets(W, z, a, t, lambda n: range(1, n)),
        ),
        (
            "wrong_point",
            "tanh' of layer 1 is evaluated at a unit other than the one W_23^(1) feeds",
            lambda W, z, a, t: [
                path(W, z, a, t, prime=_other_unit_prime(1, k)(z)) for k in range(len(z[1]))
            ],
        ),
        (
            "wrong_input",
            "the last factor is another entry of the input x than the one W_23^(1) reads "
            "from (CSC311 counts from 1, Python from 0)",
            lambda W, z, a, t: [path(W, z, a, t, source=a[0][k]) for k in range(len(a[0]))],
        ),
    ]
    result = check(
        W1_23, dC_dW1_23_function, dC_dW1_23, cases, mistakes, describe=describe,
        sizes=sizes, legend=_CSC311_LEGEND, name="dC_dW1_23",
    )  # fmt: skip
    return _name_per_case(result, dC_dW1_23_function, cases, detectors)


__all__ = ["check_backward_pass", "check_dC_dW1_23", "check_dC_dW2_12", "check_layer_backward"]
