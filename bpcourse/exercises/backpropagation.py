"""The exercises of notebook 04 (back-propagation), declared.

- Exercise 4.1, `layer_backward`: one layer's backward pass on a batch (samples in rows), from
  [dL/dx^(l)] of the mean loss L to ([dL/dx^(l-1)], [dL/dw^(l)], [dL/db^(l)]). Reference:
  `bpcourse.mlp.layer_backward`.
- Exercise 4.2, `backward_pass`: the whole backward pass of an MLP with the same sigma in every
  layer and the loss L = (1/N) sum_n ||x^(L)_n - y_n||^2, layer L down to layer 1. Reference:
  what `MLP._backprop` runs, `losses.mse` for [dL/dx^(L)] then `mlp.layer_backward` for
  l = L..1.
- Exercises 4.3 and 4.4, `dC_dW2_12` and `dC_dW1_23`: CSC311's dC/dW_12^(2) and dC/dW_23^(1),
  written with scalars. Reference: the same loop on a batch of one sample, one entry of grad_w.

Each known mistake is the reference with one thing changed, declared as data: a switch of the
exercise's `variant` (the reference written with switches). A mistake whose index changes from
case to case (another unit, some of the paths) is a small function listing the candidates
(``any_of``). Some mistakes (``dL_ds @ w.T``, ``x[l]`` for ``x[l-1]``) raise a shape error as
soon as a layer is not square: the engine then runs the answer on square layers
(``retry_cases``), where it runs, to name the mistake. Every prompt asks for a derivation, so
finite differences are named (``derive=True``), and a call of the package's own answer is
named ("uses_reference"), never correct.
"""

import functools
import itertools

import numpy as np

from bpcourse import losses, mlp
from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check
from bpcourse.mlp import MLP


def _network(sizes, rng, bias_scale=0.5):
    """Random w^(l) of shape (D_l, D_(l-1)) from N(0, 1/D_(l-1)), biases from N(0, bias_scale)."""
    weights = [
        rng.normal(0.0, d_in**-0.5, size=(d_out, d_in)) for d_in, d_out in zip(sizes, sizes[1:])
    ]
    return weights, [rng.normal(0.0, bias_scale, size=d_out) for d_out in sizes[1:]]


def _forward(X, weights, biases, sigma):
    """Lists s, x indexed by the layer, s[0] = None, x[0] = X (`mlp.layer_forward`)."""
    s, x = [None], [X]
    for w, b in zip(weights, biases):
        s_l, x_l = mlp.layer_forward(x[-1], w, b, sigma)
        s.append(s_l)
        x.append(x_l)
    return s, x


#: sigma' as students write it wrongly: a function of (sigma, the point it is evaluated at)
_PRIMES = {
    "df": lambda sigma, v: sigma.df(v),  # right
    "one": lambda sigma, v: np.ones_like(v),  # sigma' forgotten
    "f": lambda sigma, v: sigma.f(v),  # sigma for sigma'
    "from_output": lambda sigma, v: {  # sigma' written for the output, given s
        "tanh": lambda u: 1.0 - u**2,
        "sigmoid": lambda u: u * (1.0 - u),
        "relu": lambda u: (u > 0).astype(np.float64),
        "identity": np.ones_like,
    }[sigma.name](v),
    "one_minus_square": lambda sigma, v: 1.0 - v**2,  # "tanh' = 1 - s**2", whatever sigma is
    "tanh": lambda sigma, v: tanh.df(v),  # tanh's derivative whatever sigma is
    "relu": lambda sigma, v: relu.df(v),  # ReLU's derivative whatever sigma is
}
_POINTS = {"s": lambda s, x_prev, sigma: s, "x": lambda s, x_prev, sigma: sigma.f(s)}
_POINTS["x_prev"] = lambda s, x_prev, sigma: x_prev  # runs on square layers only

_F_FOR_DF = "you multiply by sigma(s), the activation itself, where its derivative belongs"
_S_FOR_OUTPUT = (
    "your sigma' is written for the layer's output x = sigma(s) (like 1 - x**2 for tanh), "
    "but what you give it is the pre-activation s"
)
_ONE_MINUS_S_SQUARED = (
    "your sigma' is 1 - s**2, which is not tanh'(s): 1 - (.)**2 is tanh' in terms of the "
    "layer's output, and you gave it the pre-activation s; besides, the activation is the "
    "argument `sigma`, which need not be tanh"
)
_HARD_CODED_TANH = (
    "your derivative is tanh's in every case, but the activation is the argument `sigma` "
    "(here also a sigmoid, a ReLU or the identity), whose derivative depends on which one it is"
)
_HARD_CODED_RELU = (
    "your derivative is ReLU's (0 or 1) in every case, but the activation is the argument "
    "`sigma` (here also a tanh, a sigmoid or the identity), whose derivative depends on which "
    "one it is: call its own derivative"
)
_AT_OUTPUT = (
    "sigma' is evaluated at the layer's output sigma(s), so sigma is applied twice: at which "
    "point does the chain rule take the derivative of x = sigma(s)?"
)
_AT_INPUT = (
    "sigma' is evaluated at the layer's input x_prev: at which point does the chain rule "
    "take the derivative of x = sigma(s)?"
)
_OVERWRITE = (
    "{what} those of the last sample alone: each sample adds its contribution to the "
    "parameters' gradients, so look for an `=` that should accumulate"
)


# ----------------------------------------------------------------- Exercise 4.1: one layer
def layer_backward_reference(dL_dx, s, x_prev, w, sigma):
    """The course's `bpcourse.mlp.layer_backward`, its first argument named for what it holds:
    [dL/dx^(l)] of the mean loss L, shape (N, D_l). Returns (dL_dx_prev, dL_dw, dL_db)."""
    return mlp.layer_backward(dL_dx, s, x_prev, w, sigma)


def _layer_variant(
    dL_dx,
    s,
    x_prev,
    w,
    sigma,
    *,
    prime="df",
    at="s",
    prime_in_dx_prev=True,
    w_transposed=False,
    dw_transposed=False,
    reduce="sum",
    bias_axis=0,
    extra_1_over_n=False,
    last_sample=False,
):
    """One layer's backward pass, with switches that each make one known mistake.

    prime : which sigma' (a key of `_PRIMES`; "df" is right); at : where it is evaluated, "s"
        (right), "x" (the output) or "x_prev" (the input; square layers only)
    prime_in_dx_prev : False sends dL_dx (not dL_ds) back through w
    w_transposed : w.T where w belongs (square layers only); dw_transposed : dL_dw transposed
    reduce : "sum" over the samples (right), "mean" (dL_dw and dL_db), "mean_bias" (dL_db)
    bias_axis : the axis dL_ds is summed along for dL_db (0 is right)
    extra_1_over_n : the 1/N of the mean applied again; last_sample : an `=` for a `+=` in a
        loop over the samples (dL_dw, dL_db of the last sample only)
    """
    N = len(s)
    dL_dx = dL_dx / N if extra_1_over_n else dL_dx
    dL_ds = dL_dx * _PRIMES[prime](sigma, _POINTS[at](s, x_prev, sigma))
    dL_dx_prev = (dL_ds if prime_in_dx_prev else dL_dx) @ (w.T if w_transposed else w)
    rows = slice(N - 1, N) if last_sample else slice(None)
    dL_dw = dL_ds[rows].T @ x_prev[rows]
    dL_db = dL_ds[rows].sum(axis=bias_axis)
    if reduce != "sum":
        dL_dw, dL_db = (dL_dw / N if reduce == "mean" else dL_dw), dL_db / N
    return dL_dx_prev, dL_dw.T if dw_transposed else dL_dw, dL_db


def _layer_cases(specs, seed):
    """(dL_dx, s, x_prev, w, sigma) for layers (N, D_(l-1), D_l, sigma, options): ``dead``
    (unit 1 off for every sample), ``scales`` (one per input column), ``grad`` (dL_dx's scale).
    dL_dx holds the mean's 1/N, as a mean loss's gradient does."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, d_in, d_out, sigma, options in specs:
        (w,), (b,) = _network([d_in, d_out], rng)
        x_prev = rng.normal(size=(n, d_in)) * np.asarray(options.get("scales", 1.0))
        if options.get("dead"):
            b[0] = -10.0 - np.max(np.abs(x_prev @ w[0]))  # s[:, 0] < 0: a dead unit
        dL_dx = rng.normal(size=(n, d_out)) * options.get("grad", 1.0) / n
        extra = ", unit 1 off" if options.get("dead") else ""
        extra += ", inputs of different scales" if "scales" in options else ""
        extra += f", dL_dx of order {options['grad']:g}" if "grad" in options else ""
        cases.append(
            Case(
                (dL_dx, x_prev @ w.T + b, x_prev, w, sigma),
                f"a {sigma.name} layer {d_in} -> {d_out}, N = {n}{extra}",
                {"N": n, "D_l": d_out, "D_(l-1)": d_in},
            )
        )
    return cases


_LAYERS = [
    (5, 3, 4, tanh, {}),
    (7, 4, 2, sigmoid, {"scales": [0.01, 1.0, 3.0, 0.3]}),
    (6, 2, 3, relu, {"dead": True, "scales": [0.1, 10.0]}),
    (3, 5, 1, tanh, {"scales": [2.0, 0.05, 1.0, 0.5, 1.5]}),
    (1, 4, 3, sigmoid, {}),
    (4, 3, 2, relu, {"scales": [1000.0, -1000.0, 1.0], "grad": 1e-6}),
    (8, 2, 5, identity, {"grad": 1000.0}),
]
_SQUARE_LAYERS = [(5, 3, 3, tanh, {}), (6, 4, 4, sigmoid, {}), (7, 2, 2, relu, {"dead": True})]
_AVERAGED = (
    "{which} averaged over the samples, but dL_dx comes from the mean loss and already holds "
    "its 1/N: your result divides by N a second time"
)

LAYER = Exercise(
    number="4.1",
    title="the backward pass of one layer",
    name="layer_backward",
    reference=layer_backward_reference,
    cases=lambda: _layer_cases(_LAYERS, 41),
    retry_cases=lambda: _layer_cases(_SQUARE_LAYERS, 42),
    accepts="three NumPy arrays (dL_dx_prev, dL_dw, dL_db) of shapes (N, D_(l-1)), "
    "(D_l, D_(l-1)) and (D_l,), in a tuple or a list; loops, np.dot and einsum are fine, "
    "lists of numbers are not",
    returns=("dL_dx_prev", "dL_dw", "dL_db"),
    variant=_layer_variant,
    lists=False,
    derive=True,
    forbidden=(mlp.layer_backward, MLP.gradients, MLP._backprop),
    legend={"D_l": "D_l the layer's width", "D_(l-1)": "D_(l-1) its input's width"},
    mistakes=(
        Mistake(
            "forgot_sigma_prime",
            "the result is what you would get if the activation were the identity: the path "
            "from x^(l) back to s^(l) goes through sigma, so its derivative is a factor",
            changes={"prime": "one"},
        ),
        Mistake("f_for_df", _F_FOR_DF, changes={"prime": "f"}),
        Mistake("s_for_output", _S_FOR_OUTPUT, changes={"prime": "from_output"}),
        Mistake("s_for_output", _ONE_MINUS_S_SQUARED, changes={"prime": "one_minus_square"}),
        Mistake("hard_coded_tanh", _HARD_CODED_TANH, changes={"prime": "tanh"}),
        Mistake("hard_coded_relu", _HARD_CODED_RELU, changes={"prime": "relu"}),
        Mistake("wrong_point", _AT_OUTPUT, changes={"at": "x"}),
        Mistake("wrong_point", _AT_INPUT, changes={"at": "x_prev"}),
        Mistake(
            "shapes_swapped",
            "dL_dw must have the shape of w, (D_l, D_(l-1)); yours has the two dimensions "
            "swapped: which factor comes first, dL_ds or x_prev?",
            changes={"dw_transposed": True},
        ),
        Mistake(
            "transpose",
            "dL_dx_prev multiplies by the transpose of what it needs: with samples in rows, "
            "compare the shapes of dL_ds (N, D_l), w (D_l, D_(l-1)) and the result "
            "(N, D_(l-1))",
            changes={"w_transposed": True},
        ),
        Mistake(
            "averaged_not_summed",
            _AVERAGED.format(which="dL_dw and dL_db are"),
            changes={"reduce": "mean"},
        ),
        Mistake(
            "averaged_not_summed",
            _AVERAGED.format(which="dL_db is (dL_dw is right)"),
            changes={"reduce": "mean_bias"},
        ),
        Mistake(
            "wrong_axis",
            "dL_db has one entry per sample, where it needs one per unit of the layer: your "
            "sum over dL_ds runs along the other axis",
            changes={"bias_axis": 1},
        ),
        Mistake(
            "extra_1_over_n",
            "every value is 1/N times the right one: dL_dx already holds the 1/N of the mean "
            "loss, and your result divides by N once more",
            changes={"extra_1_over_n": True},
        ),
        Mistake(
            "overwrite_not_accumulate",
            _OVERWRITE.format(what="dL_dw and dL_db are"),
            changes={"last_sample": True},
        ),
        Mistake(
            "forgot_sigma_prime",
            "dL_dw and dL_db are right, but dL_dx_prev is what you would get if the activation "
            "were the identity: x_prev reaches the loss through s, then sigma",
            changes={"prime_in_dx_prev": False},
        ),
    ),
)


# ----------------------------------------------------------- Exercise 4.2: the whole network
def backward_pass_reference(weights, s, x, Y, sigma):
    """The backward pass `MLP._backprop` runs: [dL/dx^(L)] by `losses.mse`, then
    `mlp.layer_backward` for l = L..1. Returns (grad_w, grad_b), lists, layer 1 first."""
    L = len(weights)
    dL_dx = losses.mse(x[L], Y)[1]
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dL_dx, grad_w[l - 1], grad_b[l - 1] = mlp.layer_backward(
            dL_dx, s[l], x[l - 1], weights[l - 1], sigma
        )
    return grad_w, grad_b


def _backward_variant(
    weights,
    s,
    x,
    Y,
    sigma,
    *,
    top=2.0,
    per="N",
    no_prime=(),
    prime="df",
    at="s",
    own_output=False,
    w_transposed=False,
    dw_transposed=False,
    first=1,
    last_sample=False,
    order=("w", "b"),
):
    """The backward pass written out, with switches that each make one known mistake.

    top, per : [dL/dx^(L)] = top (x^(L) - Y) / per, per one of "N" (right), "sum" (1, no
        1/N), "entries" (N D_L: a mean over every entry), "N^2" (the 1/N twice); top = -2
        flips the sign
    no_prime : the layers ("output", "hidden") whose sigma' is forgotten; prime, at : as in
        `_layer_variant`
    own_output : x[l] where x[l-1] belongs (square layers only); w_transposed, dw_transposed
    first : the loop runs l = L..first (2 stops one layer early: layer 1's gradients are 0)
    last_sample : the per-sample loop with an `=` for `+=` (the last sample only, with 1/N)
    order : which lists run from layer L to layer 1: "w" and "b" (in order) are layer 1 first,
        "w-reversed" or "b-reversed" reversed; ("b", "w") returns the two lists swapped
    """
    L, N = len(weights), len(Y)
    if last_sample:
        s, x, Y = [None] + [v[-1:] for v in s[1:]], [v[-1:] for v in x], Y[-1:]
    dL_dx = top * (x[L] - Y) / {"N": N, "sum": 1.0, "entries": N * Y.shape[1], "N^2": N * N}[per]
    grad_w, grad_b = [np.zeros_like(w) for w in weights], [np.zeros(len(w)) for w in weights]
    for l in range(L, first - 1, -1):
        skip = "output" if l == L else "hidden"
        point = _POINTS[at](s[l], x[l - 1], sigma)
        factor = np.ones_like(point) if skip in no_prime else _PRIMES[prime](sigma, point)
        dL_ds = dL_dx * factor
        w = weights[l - 1].T if w_transposed else weights[l - 1]
        dL_dw = dL_ds.T @ (x[l] if own_output else x[l - 1])
        grad_w[l - 1], grad_b[l - 1] = dL_dw.T if dw_transposed else dL_dw, dL_ds.sum(axis=0)
        dL_dx = dL_ds @ w
    lists = {"w": grad_w, "b": grad_b, "w-reversed": grad_w[::-1], "b-reversed": grad_b[::-1]}
    return tuple(lists[k] for k in order)


def _backward_cases(specs, seed):
    """(weights, s, x, Y, sigma) for networks (sizes, N, sigma, options): ``dead`` (unit 1 of
    layer 1 off), ``scales`` (one per input column), ``targets`` (Y's scale)."""
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, n, sigma, options in specs:
        weights, biases = _network(sizes, rng)
        X = rng.normal(size=(n, sizes[0])) * np.asarray(options.get("scales", 1.0))
        if options.get("dead"):
            biases[0][0] = -10.0 - np.max(np.abs(X @ weights[0][0]))
        Y = rng.normal(size=(n, sizes[-1])) * options.get("targets", 1.0)
        s, x = _forward(X, weights, biases, sigma)
        extra = ", unit 1 of layer 1 off" if options.get("dead") else ""
        extra += ", inputs of different scales" if "scales" in options else ""
        extra += f", targets of order {options['targets']:g}" if "targets" in options else ""
        describe = f"a {sigma.name} network {' -> '.join(map(str, sizes))}, N = {n}{extra}"
        cases.append(Case((weights, s, x, Y, sigma), describe, {"N": n, "D_L": sizes[-1]}))
    return cases


_NETWORKS = [
    ([3, 5, 4, 2], 6, tanh, {}),
    ([2, 4, 3], 5, sigmoid, {"scales": [0.05, 2.0]}),
    ([4, 5, 3, 2], 7, relu, {"dead": True, "scales": [0.1, 1.0, 10.0, 0.5]}),
    ([3, 6, 2, 2, 3], 4, sigmoid, {}),
    ([4, 3, 1], 8, tanh, {"scales": [2.0, 0.05, 1.0, 0.5]}),
    ([2, 3, 4], 1, tanh, {"targets": 1000.0}),
    ([3, 4, 2], 3, relu, {"scales": [1000.0, -1000.0, 0.001], "targets": 0.001}),
]
_SQUARE_NETWORKS = [([3, 3, 3, 3], 5, tanh, {}), ([4, 4, 4], 6, sigmoid, {})]
_FORGOT = (
    "the result is what you would get if sigma were the identity {where}: every layer's "
    "pre-activations s^(l) reach the loss through sigma, the output layer's included"
)

FULL = Exercise(
    number="4.2",
    title="the backward pass of the whole network",
    name="backward_pass",
    reference=backward_pass_reference,
    cases=lambda: _backward_cases(_NETWORKS, 43),
    retry_cases=lambda: _backward_cases(_SQUARE_NETWORKS, 44),
    accepts="two lists (or tuples) of NumPy arrays (grad_w, grad_b), layer 1 first, "
    "grad_w[l-1] shaped like weights[l-1] and grad_b[l-1] of shape (D_l,)",
    returns=("grad_w", "grad_b"),
    variant=_backward_variant,
    lists=False,
    derive=True,
    # not mlp.layer_backward: the cell passes in `layer_backward_used`, which is the reference
    # until Exercise 4.1 passes
    forbidden=(MLP.gradients, MLP._backprop, losses.mse),
    mistakes=(
        Mistake(
            "missing_1_over_n",
            "every gradient is N times too large: the loss is the mean over the N samples, not "
            "their sum",
            changes={"per": "sum"},
        ),
        Mistake(
            "scale",
            "every gradient is 1/D_L times the right value (with D_L the output size): the loss "
            "averages each sample's squared norm ||x^(L)_n - y_n||^2 over the N samples, not "
            "the squares of every entry of x^(L) - Y",
            changes={"per": "entries"},
        ),
        Mistake(
            "scale",
            "every gradient is 1/N times the right value: the mean's 1/N is in the gradient "
            "you start from, and your answer divides by N once more",
            changes={"per": "N^2"},
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(where="in every layer"),
            changes={"no_prime": ("output", "hidden")},
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(where="in the output layer"),
            changes={"no_prime": ("output",)},
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(where="in the hidden layers"),
            changes={"no_prime": ("hidden",)},
        ),
        Mistake("f_for_df", _F_FOR_DF, changes={"prime": "f"}),
        Mistake(
            "s_for_output",
            _S_FOR_OUTPUT.replace("pre-activation s", "pre-activation s[l]"),
            changes={"prime": "from_output"},
        ),
        Mistake("s_for_output", _ONE_MINUS_S_SQUARED, changes={"prime": "one_minus_square"}),
        Mistake("hard_coded_tanh", _HARD_CODED_TANH, changes={"prime": "tanh"}),
        Mistake("hard_coded_relu", _HARD_CODED_RELU, changes={"prime": "relu"}),
        Mistake(
            "wrong_point",
            "sigma' is evaluated at the layer's output x[l], so sigma is applied twice: at "
            "which point does the chain rule take the derivative of x[l] = sigma(s[l])?",
            changes={"at": "x"},
        ),
        Mistake(
            "wrong_point",
            "sigma' is evaluated at the layer's input x[l-1]: at which point does the chain "
            "rule take the derivative of x[l] = sigma(s[l])?",
            changes={"at": "x_prev"},
        ),
        Mistake(
            "stops_early",
            "the gradients of layers 2 to L are right, but layer 1's are missing: the loop over "
            "the layers stops one layer early (check where your range ends)",
            changes={"first": 2},
        ),
        Mistake(
            "overwrite_not_accumulate",
            _OVERWRITE.format(what="the gradients are"),
            changes={"last_sample": True},
        ),
        Mistake(
            "off_by_one",
            "grad_w of layer l uses the layer's own output x[l]: which activations does w^(l) "
            "multiply in the forward pass?",
            changes={"own_output": True},
        ),
        Mistake(
            "layer_order",
            "the gradients are right but listed from the last layer to the first: grad_w[0] "
            "must belong to layer 1, like weights[0]",
            changes={"order": ("w-reversed", "b-reversed")},
        ),
        Mistake(
            "one_list_reversed",
            "grad_w and grad_b now run in opposite orders: one of the two lists still starts "
            "with the last layer (reversing one list does not reverse the other)",
            changes={"order": ("w-reversed", "b")},
        ),
        Mistake(
            "one_list_reversed",
            "grad_w and grad_b now run in opposite orders: one of the two lists still starts "
            "with the last layer (reversing one list does not reverse the other)",
            changes={"order": ("w", "b-reversed")},
        ),
        Mistake(
            "transpose",
            "the gradient passed back to x^(l-1) multiplies by the transpose of what it needs: "
            "compare the shapes of dL_ds (N, D_l), w (D_l, D_(l-1)) and dL_dx_prev (N, D_(l-1))",
            changes={"w_transposed": True},
        ),
        Mistake(
            "shapes_swapped",
            "each grad_w[l-1] must have the shape of weights[l-1]; yours have the two dimensions "
            "swapped",
            changes={"dw_transposed": True},
        ),
        Mistake(
            "sign",
            "the magnitude is right but the sign is flipped: the gradient points uphill, so "
            "check the difference in the loss's derivative",
            changes={"top": -2.0},
        ),
    ),
)


# ------------------------------------------------- Exercises 4.3 and 4.4: CSC311, with scalars
def _package_grad_w(W, z, a, t):
    """grad_w of C = (a^(3) - t)^2 by `backward_pass_reference` on a batch of one sample."""
    s = [None] + [np.atleast_1d(v)[None, :] for v in z[1:]]
    x = [np.atleast_1d(v)[None, :] for v in a]
    return backward_pass_reference(list(W[1:]), s, x, np.array([[t]], dtype=np.float64), tanh)[0]


def dC_dW2_12_reference(W, z, a, t):
    """Entry (1, 2) of the package's [dC/dW^(2)] (row 0, column 1 in Python)."""
    return float(_package_grad_w(W, z, a, t)[1][0, 1])


def dC_dW1_23_reference(W, z, a, t):
    """Entry (2, 3) of the package's [dC/dW^(1)] (row 1, column 2 in Python)."""
    return float(_package_grad_w(W, z, a, t)[0][1, 2])


def _tanh_prime(v):
    return 1.0 - np.tanh(v) ** 2


#: tanh' written wrongly, as a function of the pre-activation z and the activation a = tanh(z)
_WRONG_PRIMES = {
    "forgot_sigma_prime": (
        "the result is what you would get without the factor tanh'(z) {where}: each unit's "
        "pre-activation z reaches the cost through its activation a = tanh(z)",
        lambda z, a: 1.0,
    ),
    "f_for_df": (
        "you multiply by tanh(z) {where}, the activation itself, where its derivative belongs",
        lambda z, a: np.tanh(z),
    ),
    "s_for_output": (
        "your tanh' {where} is 1 - z**2, and that is not tanh'(z): look at what the square "
        "applies to in the sigma' the prompt gives",
        lambda z, a: 1.0 - z**2,
    ),
    "wrong_derivative": (
        "your tanh' {where} is 1 - tanh(z) (or 1 - a), which is not the derivative of tanh: "
        "compare it with the sigma' the prompt gives",
        lambda z, a: 1.0 - np.tanh(z),
    ),
    "wrong_point": (
        "tanh' {where} is evaluated at the activation a = tanh(z), so tanh is applied twice: "
        "at which point does the chain rule take the derivative of a = tanh(z)?",
        lambda z, a: _tanh_prime(a),
    ),
}


def _path(
    W,
    z,
    a,
    t,
    *,
    layer,
    i,
    j,
    wrong=None,
    wrong_layers=(),
    prime_unit=None,
    units=None,
    column=True,
    w3=None,
    source=None,
    output_weight=True,
):
    """dC/dW_ij^(layer) (0-based i, j; layer 2 or 1) with scalars, with switches that each make
    one known mistake (tested equal to the package's loop without them).

    wrong, wrong_layers : a key of `_WRONG_PRIMES` and the layers m where tanh'(z^(m)) is so
    prime_unit : the unit of layer `layer` whose tanh' is taken (default i)
    units : the units k of layer 2 whose paths are added (layer 1 only; default all)
    column : False reads W_ik^(2) where W_ki^(2) belongs; w3 : the entry of w^(3) read (layer 2
    only; default i); source : (name, m, k) of the last factor (default ("a", layer - 1, j));
    output_weight : False leaves w^(3)'s weight out of every path
    """

    def prime(m, k):
        if m in wrong_layers:
            return _WRONG_PRIMES[wrong][1](z[m][k], a[m][k])
        return _tanh_prime(z[m][k])

    unit = i if prime_unit is None else prime_unit
    name, m, k = source or ("a", layer - 1, j)
    last = {"a": a, "z": z}[name][m][k]
    dC_dz3 = 2.0 * (a[3][0] - t) * prime(3, 0)
    weight = W[3][0] if output_weight else np.ones(len(z[2]))
    if layer == 2:
        return float(dC_dz3 * weight[i if w3 is None else w3] * prime(2, unit) * last)
    total = sum(
        dC_dz3 * weight[k] * prime(2, k) * (W[2][k, i] if column else W[2][i, k])
        for k in (range(len(z[2])) if units is None else units)
    )
    return float(total * prime(1, unit) * last)


def _csc311_cases(seed):
    """(W, z, a, t) for CSC311's network with tanh in every layer, one sample: ``W[m]`` is
    W^(m) of shape (D_m, D_(m-1)), ``z[m]`` and ``a[m]`` 1-D arrays for m = 0..3 (``W[0]`` and
    ``z[0]`` None, ``a[0]`` the input x)."""
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, x_scale, target in [
        ([4, 4, 4, 1], 1.0, None),
        ([5, 4, 3, 1], 0.001, -1000.0),
        ([4, 5, 4, 1], 3.0, None),
        ([6, 3, 2, 1], 1.0, 1000.0),
        ([5, 6, 4, 1], 1.0, None),
    ]:
        weights, biases = _network(sizes, rng)
        x = rng.normal(size=sizes[0]) * x_scale
        z, a = _forward(x, weights, biases, tanh)
        t = float(rng.normal()) if target is None else target
        describe = f"a tanh network {' -> '.join(map(str, sizes))}"
        describe += f", x of order {x_scale:g}" if x_scale != 1 else ""
        describe += f", t = {t:g}" if target is not None else ""
        cases.append(Case(([None, *weights], z, a, t), describe, {"D_2": sizes[2]}))
    return cases


def _where(layers):
    names = [str(m) for m in sorted(layers)]
    if len(names) == 1:
        return f"in layer {names[0]}"
    return f"in layers {', '.join(names[:-1])} and {names[-1]}"


def _prime_mistakes(layers):
    """One Mistake per wrong tanh' and per non-empty set of the `layers` where it is written."""
    return tuple(
        Mistake(
            key,
            message.format(where=_where(chosen)),
            changes={"wrong": key, "wrong_layers": chosen},
        )
        for key, (message, _) in _WRONG_PRIMES.items()
        for count in range(1, len(layers) + 1)
        for chosen in itertools.combinations(layers, count)
    )


def _others(n, right):
    return [k for k in range(n) if k != right]


_ONE_BASED = (
    "the value is that of another entry of W: the course and CSC311 count rows and "
    "columns from 1, Python from 0"
)
_CSC311 = {
    "accepts": "one number: a Python float or a NumPy scalar (an array of one entry is refused)",
    "derive": True,
    "forbidden": (mlp.layer_backward, MLP.gradients, MLP._backprop),
    "legend": {"D_2": "D_2 the number of units in layer 2"},
}
_NO_OUTPUT_WEIGHT = (
    "every path from the weight to C ends with w^(3), the weight that carries layer 2's unit "
    "to the output: a factor of the chain is missing"
)
_W2 = functools.partial(_path, layer=2, i=0, j=1)
_W1 = functools.partial(_path, layer=1, i=1, j=2)

W2_12 = Exercise(
    number="4.3",
    title="CSC311's dC/dW_12^(2), with scalars",
    name="dC_dW2_12",
    reference=dC_dW2_12_reference,
    cases=lambda: _csc311_cases(45),
    variant=_W2,
    mistakes=(
        Mistake(
            "index_order",
            "that is the derivative with respect to W_21^(2): the first index of W_ij is the "
            "unit the weight feeds (row i), the second the unit it reads from (column j)",
            changes={"i": 1, "j": 0},
        ),
        Mistake("one_based_indices", _ONE_BASED, changes={"i": 1, "j": 2}),
        *_prime_mistakes((2, 3)),
        Mistake(
            "off_by_one",
            "the last factor is an activation of layer 2, the layer W^(2) computes: which "
            "layer's activations does W^(2) multiply?",
            changes={"source": ("a", 2, 1)},
        ),
        Mistake(
            "z_for_a",
            "the last factor is a pre-activation z^(1); z^(2) is computed from the activations "
            "of the layer below, not from its pre-activations",
            changes={"source": ("z", 1, 1)},
        ),
        Mistake(
            "wrong_point",
            "tanh' of layer 2 is evaluated at a unit other than the one W_12^(2) feeds: the "
            "path from W_12^(2) to C goes through one unit of layer 2 only",
            lambda W, z, a, t: [_W2(W, z, a, t, prime_unit=k) for k in _others(len(z[2]), 0)],
            any_of=True,
        ),
        Mistake("missing_output_weight", _NO_OUTPUT_WEIGHT, changes={"output_weight": False}),
        Mistake(
            "wrong_weight",
            "the weight of w^(3) in your product belongs to another unit of layer 2 than the "
            "one W_12^(2) feeds",
            lambda W, z, a, t: [_W2(W, z, a, t, w3=k) for k in _others(len(z[2]), 0)],
            any_of=True,
        ),
        Mistake(
            "wrong_input",
            "the last factor is the activation of another unit of layer 1 than the one "
            "W_12^(2) reads from (CSC311 counts from 1, Python from 0)",
            lambda W, z, a, t: [_W2(W, z, a, t, source=("a", 1, k)) for k in _others(len(a[1]), 1)],
            any_of=True,
        ),
    ),
    **_CSC311,
)


def _subsets(W, z, a, t, sizes):
    """dC/dW_23^(1) with the paths through some units of layer 2 only, for subsets of `sizes`."""
    n = len(z[2])
    return [
        _W1(W, z, a, t, units=chosen)
        for count in sizes(n)
        for chosen in itertools.combinations(range(n), count)
    ]


W1_23 = Exercise(
    number="4.4",
    title="CSC311's dC/dW_23^(1), with scalars",
    name="dC_dW1_23",
    reference=dC_dW1_23_reference,
    cases=lambda: _csc311_cases(46),
    variant=_W1,
    mistakes=(
        Mistake(
            "index_order",
            "that is the derivative with respect to W_32^(1): the first index of W_ij is the "
            "unit the weight feeds (row i), the second the unit it reads from (column j)",
            changes={"i": 2, "j": 1},
        ),
        Mistake("one_based_indices", _ONE_BASED, changes={"i": 2, "j": 3}),
        Mistake(
            "transpose",
            "the sum over layer 2 reads the weights W_2i^(2), those that feed unit 2 of layer "
            "2, and these do not carry a_2^(1) forward: which index of W_ij names the unit the "
            "weight reads from?",
            changes={"column": False},
        ),
        Mistake("missing_output_weight", _NO_OUTPUT_WEIGHT, changes={"output_weight": False}),
        *_prime_mistakes((1, 2, 3)),
        Mistake(
            "off_by_one",
            "the last factor is an activation of layer 1, the layer W^(1) computes: which "
            "layer's activations does W^(1) multiply?",
            changes={"source": ("a", 1, 2)},
        ),
        Mistake(
            "one_path_only",
            "only one path is counted: a_2^(1) feeds every unit of layer 2, and by the "
            "multivariate chain rule the cost's derivative adds the contributions of all of "
            "them (in a loop, check that each term is added, not assigned)",
            lambda W, z, a, t: _subsets(W, z, a, t, lambda n: [1]),
            any_of=True,
        ),
        Mistake(
            "missing_paths",
            "the sum over the units of layer 2 leaves some of them out: a_2^(1) feeds every "
            "unit of layer 2 (check where your loop starts and stops: Python counts from 0, "
            "and range stops before its end)",
            lambda W, z, a, t: _subsets(W, z, a, t, lambda n: range(1, n)),
            any_of=True,
        ),
        Mistake(
            "wrong_point",
            "tanh' of layer 1 is evaluated at a unit other than the one W_23^(1) feeds",
            lambda W, z, a, t: [_W1(W, z, a, t, prime_unit=k) for k in _others(len(z[1]), 1)],
            any_of=True,
        ),
        Mistake(
            "wrong_input",
            "the last factor is another entry of the input x than the one W_23^(1) reads from "
            "(CSC311 counts from 1, Python from 0)",
            lambda W, z, a, t: [_W1(W, z, a, t, source=("a", 0, k)) for k in _others(len(a[0]), 2)],
            any_of=True,
        ),
    ),
    **_CSC311,
)

EXERCISES = (LAYER, FULL, W2_12, W1_23)

check_layer_backward = make_check(LAYER)
check_backward_pass = make_check(FULL)
check_dC_dW2_12 = make_check(W2_12)
check_dC_dW1_23 = make_check(W1_23)
