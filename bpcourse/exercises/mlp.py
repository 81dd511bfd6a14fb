"""Checks of notebook 03's exercises: the MLP's forward pass and the affine collapse.

- Exercise 3.1, `check_mlp_forward`: x^(l) = sigma(w^(l) x^(l-1) + b^(l)) on a batch whose
  samples are rows (``s = x @ w.T + b``), the output layer with its own activation.
  `sigma` and `sigma_out` are `Activation` objects (``sigma.f``, ``sigma.df``), as in every
  exercise. Reference: `bpcourse.mlp.layer_forward`, layer after layer.
- Exercise 3.2, `check_affine_collapse`: with sigma(s) = alpha s + beta on every layer the
  network is one affine map x -> A x + B. Reference: the same `layer_forward` pass run on the
  input 0 (which gives B) and on the unit vectors e_j (which give the columns of A, plus B), so
  the check does not share the recursion a student writes.

Some mistakes (``x @ w`` instead of ``x @ w.T``, a product in the wrong order) raise a shape
error as soon as a layer is not square; the checks then run the function on square layers,
where it runs, to name the mistake (`with_square_retry`).
"""

import copy
from dataclasses import replace

import numpy as np

from bpcourse.activations import Activation, identity, relu, sigmoid, tanh
from bpcourse.exercises._core import (
    Mistake,
    check,
    entry_errors,
    random_network,
    with_square_retry,
)

FORWARD = "Exercise 3.1 (forward pass of an MLP)"
COLLAPSE = "Exercise 3.2 (the affine collapse A(L), B(L))"


# ----- Exercise 3.1: the forward pass -------------------------------------------------------
def _forward_reference(X, weights, biases, sigma, sigma_out):
    """x^(L) by `layer_forward`: sigma on layers 1..L-1, sigma_out on layer L."""
    from bpcourse.mlp import layer_forward

    x, L = np.asarray(X, dtype=np.float64), len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        _, x = layer_forward(x, w, b, sigma_out if l == L else sigma)
    return x


def _forward_variant(
    X,
    weights,
    biases,
    sigma,
    sigma_out,
    *,
    bias=True,
    transpose=True,
    hidden="f",
    last="sigma_out",
    bias_after=False,
    layers=None,
):
    """The forward loop with switches that each make one known mistake.

    bias : add b^(l) (False forgets it); transpose : x @ w.T (False: x @ w)
    hidden : "f" applies sigma.f on hidden layers ("df" applies sigma.df, "out" sigma_out.f)
    last : the output layer's activation: "sigma_out" (right), "sigma", "none", "df"
        (sigma_out.df) or "sigma_df" (sigma.df)
    bias_after : add b after the activation instead of before
    layers : how many layers to run (None: all of them)
    """
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        if layers is not None and l > layers:
            break
        s = x @ (w.T if transpose else w)
        if bias and not bias_after:
            s = s + b
        if l < L:
            act = {"f": sigma.f, "df": sigma.df, "out": sigma_out.f}[hidden]
        else:
            act = {
                "sigma_out": sigma_out.f,
                "sigma": sigma.f,
                "none": lambda z: z,
                "df": sigma_out.df,
                "sigma_df": sigma.df,
            }[last]
        x = act(s)
        if bias and bias_after:
            x = x + b
    return x


def _forward_mistakes():
    def variant(**switch):
        return lambda *args: _forward_variant(*args, **switch)

    def samples_in_columns(*args):
        return _forward_reference(*args).T

    def stops_early(X, weights, biases, sigma, sigma_out):
        return _forward_variant(X, weights, biases, sigma, sigma_out, layers=len(weights) - 1)

    return [
        Mistake(
            "shapes_swapped",
            "your output has one column per sample; with samples in rows the output has "
            "shape (N, D_L), one row per sample",
            samples_in_columns,
        ),
        Mistake(
            "missing_bias",
            "the result is what the layers give without their biases b^(l): check that "
            "every pre-activation s^(l) includes its bias",
            variant(bias=False),
        ),
        Mistake(
            "bias_after_activation",
            "the bias is added after the activation: it belongs inside, "
            "s^(l) = w^(l) x^(l-1) + b^(l), and sigma acts on the whole of s^(l)",
            variant(bias_after=True),
        ),
        Mistake(
            "transpose",
            "the layers multiply by w^(l) where the row-sample form of s = w x + b needs the "
            "transpose of w^(l): compare the shapes (N, D_(l-1)) and (D_l, D_(l-1))",
            variant(transpose=False),
        ),
        Mistake(
            "activation_on_output",
            "the last layer uses the hidden activation sigma; the output layer has its own "
            "activation, sigma_out",
            variant(last="sigma"),
        ),
        Mistake(
            "no_output_activation",
            "the last layer returns its pre-activation s^(L): apply sigma_out.f to it",
            variant(last="none"),
        ),
        Mistake(
            "sigma_out_everywhere",
            "the hidden layers use sigma_out; sigma_out is for the last layer only, the "
            "hidden layers use sigma",
            variant(hidden="out"),
        ),
        Mistake(
            "df_for_f",
            "the hidden layers apply sigma.df, the derivative; the forward pass applies the "
            "activation itself, sigma.f",
            variant(hidden="df"),
        ),
        Mistake(
            "df_for_f",
            "every layer, the output layer included, applies the derivative .df; the forward "
            "pass applies the activations themselves, sigma.f and sigma_out.f",
            variant(hidden="df", last="df"),
        ),
        Mistake(
            "df_for_f",
            "every layer applies sigma.df, the derivative of the hidden activation; the "
            "forward pass applies the activations themselves, sigma.f on the hidden layers "
            "and sigma_out.f on the last",
            variant(hidden="df", last="sigma_df"),
        ),
        Mistake(
            "df_for_f",
            "the output layer applies sigma_out.df, the derivative; the forward pass applies "
            "the activation itself, sigma_out.f",
            variant(last="df"),
        ),
        Mistake(
            "stops_early",
            "the result is x^(L-1): the loop stops one layer early (every layer, the last one "
            "included, computes s^(l) and x^(l))",
            stops_early,
        ),
    ]


def _forward_cases(specs, seed):
    """(X, weights, biases, sigma, sigma_out) per spec (sizes, N, sigma, sigma_out)."""
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, n, sigma, sigma_out in specs:
        weights, biases = random_network(sizes, rng, bias_scale=1.0)
        X = rng.normal(size=(n, sizes[0])) * 2.0
        cases.append((X, weights, biases, sigma, sigma_out))
    return cases


def _describe_forward(cases):
    return [
        f"{len(w)} layers {X.shape[1]}->"
        + "->".join(str(wl.shape[0]) for wl in w)
        + f", N = {X.shape[0]}, sigma = {sg.name}, sigma_out = {so.name}"
        for X, w, _, sg, so in cases
    ]


_FORWARD_SPECS = [
    ([3, 5, 4, 2], 6, tanh, identity),
    ([2, 4, 1], 5, relu, identity),  # relu with X of scale 2: several units are dead
    ([4, 3, 2, 2], 1, relu, tanh),  # a batch of one sample
    ([3, 2], 4, sigmoid, identity),  # one layer: the output layer is the only one
    ([2, 6, 3], 7, sigmoid, sigmoid),
    ([5, 3, 4, 6], 9, tanh, sigmoid),
]
_FORWARD_SQUARE = [([3, 3, 3, 3], 5, tanh, tanh), ([4, 4, 4], 6, relu, sigmoid)]


def check_mlp_forward(mlp_forward):
    """Check Exercise 3.1: the forward pass of an MLP on a batch, written from its parameters.

    For l = 1..L, s^(l) = w^(l) x^(l-1) + b^(l) and x^(l) = sigma(s^(l)) (sigma_out for
    l = L), on a batch with samples in rows: ``s = x @ w.T + b``.

    Parameters
    ----------
    mlp_forward : callable
        ``mlp_forward(X, weights, biases, sigma, sigma_out)`` with ``X`` a float64 array of
        shape (N, D0), ``weights[l-1]`` = w^(l) of shape (D_l, D_{l-1}), ``biases[l-1]`` =
        b^(l) of shape (D_l,), and ``sigma``, ``sigma_out`` `Activation` objects (call
        ``sigma.f(s)``); returns x^(L) of shape (N, D_L): an array, or a list of N rows.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_bias"``, ``"bias_after_activation"``,
        ``"transpose"`` (w where w^T is needed), ``"activation_on_output"``,
        ``"no_output_activation"``, ``"sigma_out_everywhere"``, ``"df_for_f"``,
        ``"stops_early"``, ``"shapes_swapped"`` (samples in columns),
        ``"activation_not_callable"`` (sigma(s) where sigma.f(s) is meant),
        ``"every_layer_returned"`` (the list of every layer's output), or a generic one
        of `bpcourse.exercises.check`.
    """
    mistakes = _forward_mistakes()

    def run(specs, seed):
        cases = _forward_cases(specs, seed)
        return check(
            FORWARD,
            mlp_forward,
            _forward_reference,
            cases,
            mistakes,
            describe=_describe_forward(cases),
            name="mlp_forward",
        )

    result = with_square_retry(lambda: run(_FORWARD_SPECS, 31), lambda: run(_FORWARD_SQUARE, 32))
    if result.status in ("wrong", "error") and _returns_every_layer(mlp_forward):
        return replace(
            result,
            status="mistake",
            diagnosis="every_layer_returned",
            message="not yet: you return a list with the output of every layer (and perhaps "
            "the input X); its last entry is right: return x^(L) alone, shape (N, D_L)",
        )
    if result.diagnosis == "raised" and "'Activation' object is not callable" in result.message:
        return replace(
            result,
            status="mistake",
            diagnosis="activation_not_callable",
            message="not yet: sigma and sigma_out are Activation objects, not functions: "
            "apply the activation with sigma.f(s) (and sigma_out.f(s))",
        )
    return result


def _returns_every_layer(mlp_forward):
    """True when, on every case, the function returns a list or tuple of L or L + 1 arrays
    whose last one is x^(L) (the forward pass kept layer by layer, returned whole)."""
    cases = _forward_cases(_FORWARD_SPECS, 31)
    try:
        for X, weights, biases, sigma, sigma_out in cases:
            L = len(weights)
            args = (X.copy(), [w.copy() for w in weights], [b.copy() for b in biases])
            out = mlp_forward(*args, sigma, sigma_out)
            if not isinstance(out, (list, tuple)) or len(out) not in (L, L + 1):
                return False
            want = _forward_reference(X, weights, biases, sigma, sigma_out)
            last = np.asarray(out[-1], dtype=np.float64)
            if last.shape != want.shape or not np.allclose(last, want, rtol=1e-9, atol=1e-12):
                return False
    except Exception:
        return False
    return True


# ----- Exercise 3.2: the affine collapse ----------------------------------------------------
def _collapse_reference(weights, biases, alpha, beta):
    """(A, B) read off the network itself: B = f(0), and column j of A is f(e_j) - f(0).

    f is the forward pass of `layer_forward` with sigma(s) = alpha s + beta on every layer.
    """
    affine = Activation("affine", lambda s: alpha * s + beta, lambda s: np.full_like(s, alpha))
    d0 = np.shape(weights[0])[1]
    inputs = np.vstack([np.zeros((1, d0)), np.eye(d0)])  # the input 0, then e_1 .. e_D0
    out = _forward_reference(inputs, weights, biases, affine, affine)
    B = out[0]
    return (out[1:] - B).T, B


def _collapse_variant(
    weights,
    biases,
    alpha,
    beta,
    *,
    order="left",
    a_alpha=True,
    b_prev_alpha=True,
    bias_alpha=True,
    add_beta=True,
    beta_alpha=False,
    alpha_once=False,
    layers=None,
):
    """A <- alpha w A, B <- alpha w B + alpha b + beta, with one switch per mistake.

    layers : how many layers the recursion runs over (None: all of them)
    """
    d0 = np.shape(weights[0])[1]
    A, B = np.eye(d0), np.zeros(d0)
    for w, b in list(zip(weights, biases))[:layers]:
        step = alpha if a_alpha and not alpha_once else 1.0
        A = step * (w @ A if order == "left" else A @ w)
        B_new = (alpha if b_prev_alpha and not alpha_once else 1.0) * (w @ B)
        B_new = B_new + (alpha if bias_alpha and not alpha_once else 1.0) * b
        if add_beta:
            B_new = B_new + (alpha * beta if beta_alpha else beta)
        B = B_new
    if alpha_once:
        A, B = alpha * A, alpha * B
    return A, B


def _part(function, i):
    """The i-th item of the pair that `function` returns (an error if it is not a pair)."""

    def part(*args):
        out = function(*args)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError(f"return the pair (A, B), got {type(out).__name__}")
        return out[i]

    return part


def _collapse_mistakes():
    def variant(i=None, **switch):
        full = lambda *args: _collapse_variant(*args, **switch)  # noqa: E731
        return full if i is None else _part(full, i)

    def swapped(*args):
        A, B = _collapse_reference(*args)
        return B, A

    def skips_last(weights, biases, alpha, beta):
        return _collapse_variant(weights, biases, alpha, beta, layers=len(weights) - 1)

    pair = [
        Mistake(
            "stops_early",
            "A(L) and B(L) are those of the network without its last layer: the recursion "
            "stops one layer early (it runs over every layer, l = 1 .. L)",
            skips_last,
        ),
        Mistake(
            "output_order",
            "A and B are right but returned as (B, A): return the pair (A, B)",
            swapped,
        ),
        Mistake(
            "missing_alpha",
            "A(L) and B(L) lack the factor alpha that each layer's activation contributes",
            variant(a_alpha=False, b_prev_alpha=False, bias_alpha=False),
        ),
        Mistake(
            "alpha_once",
            "alpha is applied once, at the end; every layer's activation multiplies by alpha, "
            "so it enters once per layer",
            variant(alpha_once=True),
        ),
    ]
    in_A = [
        Mistake(
            "order_reversed",
            "A(L) multiplies the weight matrices in the reverse order: which layer's matrix "
            "acts first on x, and which side of the product is that?",
            variant(0, order="right"),
        ),
        Mistake(
            "missing_alpha",
            "A(L) lacks the factor alpha that each layer's activation contributes",
            variant(0, a_alpha=False),
        ),
    ]
    in_B = [
        Mistake(
            "missing_beta",
            "A(L) is right, but B(L) lacks the constant beta that each activation adds (beta "
            "times a vector of ones, at every layer)",
            variant(1, add_beta=False),
        ),
        Mistake(
            "bias_without_alpha",
            "A(L) is right, but in B(L) each bias b^(l) also goes through the activation, so "
            "it is scaled by alpha like the rest of s^(l)",
            variant(1, bias_alpha=False),
        ),
        Mistake(
            "b_prev_without_alpha",
            "A(L) is right, but in B(L) the previous B(l-1) is multiplied by w^(l) only: it "
            "goes through the activation too, so alpha multiplies it as well",
            variant(1, b_prev_alpha=False),
        ),
        Mistake(
            "beta_times_alpha",
            "A(L) is right, but B(L) multiplies beta by alpha: the activation is alpha s + "
            "beta, so beta is added after the multiplication",
            variant(1, beta_alpha=True),
        ),
    ]
    return pair, in_A, in_B


def _alpha_power_of_a(affine_collapse, cases):
    """(key, message) when the student's A(L) is the right one times a power of alpha other
    than 1 on some case (alpha applied once, never, once too often, ...); else None.

    Per case the power p with A_student = alpha^p A_reference is read off the largest entry
    and then required of every entry (to 1e-6, entry by entry), alpha being far from +-1 in
    every case.
    """
    powers = []
    try:
        for args in cases:
            out = affine_collapse(*copy.deepcopy(args))
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                return None
            got = np.asarray(out[0], dtype=np.float64)
            want, _ = _collapse_reference(*copy.deepcopy(args))
            alpha = args[2]
            if got.shape != want.shape or abs(abs(alpha) - 1.0) < 0.1:
                return None
            j = np.unravel_index(np.argmax(np.abs(want)), want.shape)
            if got[j] == 0.0:
                return None
            p = int(round(np.log(abs(got[j] / want[j])) / np.log(abs(alpha))))
            if np.max(entry_errors(got, alpha**p * want)) > 1e-6:
                return None
            powers.append((p, len(args[0])))
    except Exception:
        return None
    if all(p == 0 for p, _ in powers):
        return None
    if all(p == 1 - depth for p, depth in powers):
        return (
            "alpha_once",
            "A(L) is right up to a power of alpha: alpha multiplies it once, but each "
            "layer's activation multiplies by alpha, so it enters once per layer",
        )
    if all(p == -depth for p, depth in powers):
        return (
            "missing_alpha",
            "A(L) lacks the factor alpha that each layer's activation contributes",
        )
    return (
        "alpha_power",
        "A(L) is right up to a power of alpha that is not the right one: count how often "
        "alpha multiplies it, once per layer's activation (the last layer's included)",
    )


def _collapse_cases(specs, seed):
    rng = np.random.default_rng(seed)
    return [
        (*random_network(sizes, rng, bias_scale=1.0), alpha, beta) for sizes, alpha, beta in specs
    ]


def _describe_collapse(cases):
    return [
        f"{len(w)} layers {w[0].shape[1]}->"
        + "->".join(str(wl.shape[0]) for wl in w)
        + f", alpha = {a}, beta = {b}"
        for w, _, a, b in cases
    ]


_COLLAPSE_SPECS = [
    ([3, 5, 4, 2], 0.7, 0.3),
    ([2, 4, 3, 3, 1], -1.3, 0.5),
    ([4, 2], 2.0, -1.0),
    ([2, 3, 5], 0.5, 1.5),
]
_COLLAPSE_SQUARE = [([3, 3, 3, 3], 0.8, 0.2), ([2, 2, 2], 1.5, -0.4)]


def _run_collapse(affine_collapse, specs, seed):
    """The whole check on one set of cases: the pair first, then A alone, then B alone."""
    pair, in_A, in_B = _collapse_mistakes()
    cases = _collapse_cases(specs, seed)
    describe = _describe_collapse(cases)
    result = check(
        COLLAPSE, affine_collapse, _collapse_reference, cases, pair,
        names=("A", "B"), describe=describe, name="affine_collapse",
    )  # fmt: skip
    final = {m.key for m in pair} | {"modified_input", "output_order"}
    if result.status in ("correct", "todo", "error") or result.diagnosis in final:
        return result
    power = _alpha_power_of_a(affine_collapse, cases)
    if power is not None:
        key, message = power
        return replace(result, status="mistake", diagnosis=key, message=f"not yet: {message}")
    for i, mistakes in ((0, in_A), (1, in_B)):
        which = "A(L)" if i == 0 else "B(L)"
        part = check(
            COLLAPSE, _part(affine_collapse, i), _part(_collapse_reference, i), cases, mistakes,
            describe=describe, name="affine_collapse",
        )  # fmt: skip
        if part.status == "mistake":
            message = part.message
            if part.diagnosis not in {m.key for m in mistakes}:  # generic: say which one
                message = message.replace("not yet: ", f"not yet, in {which}: ", 1)
            return replace(
                part,
                message=message,
                student=affine_collapse,
                reference=_collapse_reference,
                function=_collapse_reference,
            )
        if part.status != "correct":
            break
    return result


def check_affine_collapse(affine_collapse):
    """Check Exercise 3.2: the matrix A(L) and vector B(L) of an MLP with an affine activation.

    With sigma(s) = alpha s + beta on every layer, the last one included, the network is the
    affine map x -> A(L) x + B(L).

    Parameters
    ----------
    affine_collapse : callable
        ``affine_collapse(weights, biases, alpha, beta)`` with ``weights[l-1]`` = w^(l), a
        float64 array of shape (D_l, D_{l-1}), ``biases[l-1]`` = b^(l) of shape (D_l,), and
        Python floats alpha, beta; returns the pair ``(A, B)`` (a tuple or a list) of NumPy
        arrays of shapes (D_L, D_0) and (D_L,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"output_order"`` ((B, A)), ``"missing_alpha"``,
        ``"alpha_once"``, ``"alpha_power"`` (A(L) off by another power of alpha),
        ``"stops_early"`` (the last layer left out),
        ``"order_reversed"`` (in A), ``"missing_beta"``,
        ``"bias_without_alpha"``, ``"b_prev_without_alpha"``, ``"beta_times_alpha"`` (in B), or
        a generic one (transpose, sign, scale) said of A or B.
    """
    return with_square_retry(
        lambda: _run_collapse(affine_collapse, _COLLAPSE_SPECS, 33),
        lambda: _run_collapse(affine_collapse, _COLLAPSE_SQUARE, 34),
    )
