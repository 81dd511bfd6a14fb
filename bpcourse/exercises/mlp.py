"""Checks of notebook 03's exercises: the MLP's forward pass and the affine collapse.

- Exercise 3.1, `check_mlp_forward`: x^(l) = sigma(w^(l) x^(l-1) + b^(l)) on a batch whose
  samples are rows, that is ``s = x @ w.T + b``, with the output layer's own activation.
- Exercise 3.2, `check_affine_collapse`: with sigma(s) = alpha s + beta the network is the affine
  map A^(L) x + B^(L), where A^(0) = I, B^(0) = 0 and, for l = 1..L,
  A^(l) = alpha w^(l) A^(l-1) and B^(l) = alpha w^(l) B^(l-1) + alpha b^(l) + beta 1.

Some mistakes (``x @ w`` instead of ``x @ w.T``, a product in the wrong order) raise a shape
error as soon as a layer is not square; the checks then try the function on square layers, where
it runs, to name the mistake instead of only reporting the error.
"""

from dataclasses import replace

import numpy as np

from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises._core import Mistake, check

FORWARD = "Exercise 3.1 (forward pass of an MLP)"
COLLAPSE = "Exercise 3.2 (the affine collapse A(L), B(L))"


def _network(sizes, rng):
    """Random weights w^(l) (D_l, D_{l-1}) and biases b^(l) (D_l,), biases far from zero."""
    weights = [
        rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in))
        for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    biases = [rng.normal(0.0, 1.0, size=d_out) for d_out in sizes[1:]]
    return weights, biases


def _after(result, note):
    """The square-layer diagnosis, saying that the function fails on other layers too."""
    return replace(
        result,
        message=f"{result.message} (with layers that are not square, your function {note})",
    )


# ----- Exercise 3.1: the forward pass -------------------------------------------------------
def _forward_reference(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
        s = x @ w.T + b  # s^(l) = w^(l) x^(l-1) + b^(l), one sample per row
        x = sigma_out(s) if l == L else sigma(s)
    return x


def _forward_cases(sizes_and_sigmas, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, n, sigma, sigma_out in sizes_and_sigmas:
        weights, biases = _network(sizes, rng)
        X = rng.normal(size=(n, sizes[0]))
        cases.append((X, weights, biases, sigma.f, sigma_out.f))
    return cases


def _forward_mistakes():
    def missing_bias(X, weights, biases, sigma, sigma_out):
        zeros = [np.zeros_like(b) for b in biases]
        return _forward_reference(X, weights, zeros, sigma, sigma_out)

    def w_not_transposed(X, weights, biases, sigma, sigma_out):
        x, L = X, len(weights)
        for l, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
            s = x @ w + b
            x = sigma_out(s) if l == L else sigma(s)
        return x

    def activation_on_output(X, weights, biases, sigma, sigma_out):
        return _forward_reference(X, weights, biases, sigma, sigma)

    def samples_in_columns(X, weights, biases, sigma, sigma_out):
        return _forward_reference(X, weights, biases, sigma, sigma_out).T

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
            missing_bias,
        ),
        Mistake(
            "transpose",
            "the layers multiply by w^(l) where the row-sample form of s = w x + b needs the "
            "transpose of w^(l): compare the shapes (N, D_(l-1)) and (D_l, D_(l-1))",
            w_not_transposed,
        ),
        Mistake(
            "activation_on_output",
            "the last layer uses the hidden activation sigma; the output layer has its own "
            "activation (sigma_out)",
            activation_on_output,
        ),
    ]


def check_mlp_forward(mlp_forward):
    """Check Exercise 3.1: the forward pass of an MLP on a batch, written from its parameters.

    The function computes, for l = 1..L, s^(l) = w^(l) x^(l-1) + b^(l) and x^(l) = sigma(s^(l))
    (sigma_out for l = L) on a batch with samples in rows, i.e. ``s = x @ w.T + b``.

    Parameters
    ----------
    mlp_forward : callable
        ``mlp_forward(X, weights, biases, sigma, sigma_out)`` with ``X`` of shape (N, D0),
        ``weights[l-1]`` = w^(l) of shape (D_l, D_{l-1}), ``biases[l-1]`` = b^(l) of shape
        (D_l,), and ``sigma``, ``sigma_out`` element-wise functions; returns x^(L), (N, D_L).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_bias"``, ``"transpose"`` (w where
        w^T is needed), ``"activation_on_output"``, ``"shapes_swapped"`` (samples in
        columns), or the generic ones of `bpcourse.exercises.check`. ``.function`` is the
        student's function once correct, the reference until then.
    """
    cases = _forward_cases(
        [
            ([3, 5, 4, 2], 6, tanh, identity),
            ([2, 4, 1], 5, relu, identity),
            ([4, 3, 2, 2], 3, relu, tanh),
            ([3, 2], 4, sigmoid, identity),
            ([2, 6, 3], 7, sigmoid, sigmoid),
        ],
        seed=31,
    )
    mistakes = _forward_mistakes()
    result = check(FORWARD, mlp_forward, _forward_reference, cases, mistakes)
    if result.status == "error":
        square = _forward_cases(
            [([3, 3, 3, 3], 5, tanh, identity), ([4, 4, 4], 6, relu, identity)], seed=32
        )
        on_square = check(FORWARD, mlp_forward, _forward_reference, square, mistakes)
        if on_square.status == "mistake":
            return _after(on_square, "raises an error")
    return result


# ----- Exercise 3.2: the affine collapse ----------------------------------------------------
def _collapse_reference(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1])  # A^(0) = I, shape (D0, D0)
    B = np.zeros(weights[0].shape[1])  # B^(0) = 0, shape (D0,)
    for w, b in zip(weights, biases, strict=True):
        A, B = alpha * w @ A, alpha * w @ B + alpha * b + beta
    return A, B


def _collapse_cases(specs, seed):
    rng = np.random.default_rng(seed)
    return [(*_network(sizes, rng), alpha, beta) for sizes, alpha, beta in specs]


def _product_reversed(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1])
    for w in weights:
        A = alpha * A @ w
    return A


def _missing_alpha(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1])
    for w in weights:
        A = w @ A
    return A


def _missing_beta(weights, biases, alpha, beta):
    return _collapse_reference(weights, biases, alpha, 0.0)[1]


def _bias_without_alpha(weights, biases, alpha, beta):
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases, strict=True):
        B = alpha * w @ B + b + beta
    return B


_A_MISTAKES = [
    Mistake(
        "order_reversed",
        "A(L) multiplies the weight matrices in the reverse order: which layer's matrix acts "
        "first on x, and which side of the product is that?",
        _product_reversed,
    ),
    Mistake(
        "missing_alpha",
        "A(L) lacks the factor alpha that each layer's activation contributes",
        _missing_alpha,
    ),
]
_B_MISTAKES = [
    Mistake(
        "missing_beta",
        "A(L) is right, but B(L) lacks the constant beta that each activation adds (beta "
        "times a vector of ones, at every layer)",
        _missing_beta,
    ),
    Mistake(
        "bias_without_alpha",
        "A(L) is right, but in B(L) each bias b^(l) also goes through the activation, so it "
        "is scaled by alpha like the rest of s^(l)",
        _bias_without_alpha,
    ),
]


def _part(function, i):
    """The i-th item of the pair that `function` returns (an error if it is not a pair)."""

    def part(*args):
        out = function(*args)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError(f"return the pair (A, B), got {type(out).__name__}")
        return out[i]

    return part


def _diagnose_collapse(affine_collapse, cases):
    """Check A(L) alone, then (if A(L) is right) B(L) alone; return a diagnosis, or None."""
    for i, mistakes in ((0, _A_MISTAKES), (1, _B_MISTAKES)):
        result = check(
            COLLAPSE,
            _part(affine_collapse, i),
            _part(_collapse_reference, i),
            cases,
            mistakes,
        )
        if result.status == "mistake":
            which = "A(L)" if i == 0 else "B(L)"
            if result.diagnosis not in {m.key for m in mistakes}:  # generic: say which one
                message = result.message.replace("not yet: ", f"not yet, in {which}: ", 1)
                result = replace(result, message=message)
            return replace(result, function=_collapse_reference)
        if result.status != "correct":
            return None
    return None


def check_affine_collapse(affine_collapse):
    """Check Exercise 3.2: the matrix A(L) and vector B(L) of an MLP with an affine activation.

    With sigma(s) = alpha s + beta on every layer, x^(L) = A^(L) x + B^(L) where A^(0) = I,
    B^(0) = 0 and, for l = 1..L, A^(l) = alpha w^(l) A^(l-1) and
    B^(l) = alpha w^(l) B^(l-1) + alpha b^(l) + beta 1.

    Parameters
    ----------
    affine_collapse : callable
        ``affine_collapse(weights, biases, alpha, beta)`` with ``weights[l-1]`` = w^(l) of
        shape (D_l, D_{l-1}) and ``biases[l-1]`` = b^(l) of shape (D_l,); returns the pair
        ``(A, B)`` of shapes (D_L, D_0) and (D_L,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"order_reversed"``, ``"missing_alpha"`` (in
        A), ``"missing_beta"``, ``"bias_without_alpha"`` (in B), or a generic one (transpose,
        sign, scale) said of A or B. ``.function`` is the student's function once correct,
        the reference until then.
    """
    cases = _collapse_cases(
        [
            ([3, 5, 4, 2], 0.7, 0.3),
            ([2, 4, 3, 3, 1], -1.3, 0.5),
            ([4, 2], 2.0, -1.0),
            ([2, 3, 5], 0.5, 1.5),
        ],
        seed=33,
    )
    result = check(COLLAPSE, affine_collapse, _collapse_reference, cases)
    if result.status in ("correct", "todo"):
        return result
    diagnosis = _diagnose_collapse(affine_collapse, cases)
    if diagnosis is not None:
        return diagnosis
    if result.status == "error":
        square = _collapse_cases([([3, 3, 3, 3], 0.8, 0.2), ([2, 2, 2], 1.5, -0.4)], seed=34)
        on_square = _diagnose_collapse(affine_collapse, square)
        if on_square is not None:
            return _after(on_square, "raises an error")
    return result
