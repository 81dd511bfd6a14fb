"""The exercises of notebook 03 (the multi-layer perceptron), declared.

- Exercise 3.1, `mlp_forward`: x^(l) = sigma(w^(l) x^(l-1) + b^(l)) for l = 1..L on a batch
  whose samples are rows (``s = x @ w.T + b``), the last layer with its own activation
  `sigma_out`. Reference: `bpcourse.mlp.layer_forward`, layer after layer.
- Exercise 3.2, `affine_collapse`: with sigma(z) = alpha z + beta on every layer the network is
  one affine map x -> A(L) x + B(L). Reference: the closed form A(L) = alpha^L w(L)...w(1),
  B(L) = sum_l alpha^(L-l) w(L)...w(l+1) (alpha b(l) + beta 1), which does not share the
  recursion a student writes.

Each known mistake is the reference with one thing changed, as a switch of the exercise's
`variant` where it can be. A product written the wrong way round (``x @ w``, ``A @ w``) raises
as soon as a layer is not square; such an answer is then tried on square layers
(`retry_cases`), where it runs, to name the mistake.

Exercise 3.2's prompt asks for the recursion, not the network's outputs: the course's forward
passes are forbidden there, and one case has biases near 1000 and weights near 0.001, where
A(L) read off the outputs, f(e_j) - f(0), loses about seven digits to cancellation while the
recursion stays exact; that answer is named ("probes_outputs").
"""

import functools

import numpy as np

from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises.reading import NotAResult, entry_errors
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check
from bpcourse.mlp import MLP, layer_forward


def _network(sizes, rng, weight_scale=1.0, bias_scale=1.0):
    """Random w^(l) of shape (D_l, D_(l-1)) from N(0, scale^2 / D_(l-1)), biases N(0, scale^2)."""
    weights = [
        rng.normal(0.0, weight_scale / np.sqrt(d_in), size=(d_out, d_in))
        for d_in, d_out in zip(sizes[:-1], sizes[1:])
    ]
    biases = [rng.normal(0.0, bias_scale, size=d_out) for d_out in sizes[1:]]
    return weights, biases


def _layers(sizes):
    return f"{len(sizes) - 1} layer{'s' * (len(sizes) > 2)} " + "->".join(map(str, sizes))


# --------------------------------------------------------------- Exercise 3.1: the forward pass
def mlp_forward_reference(X, weights, biases, sigma, sigma_out):
    """x^(L) by `layer_forward`: sigma on layers 1..L-1, sigma_out on layer L."""
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
    samples_in_columns=False,
):
    """The forward loop with switches that each make one known mistake.

    bias : add b^(l) (False forgets it); transpose : x @ w.T (False: x @ w)
    hidden : the hidden layers apply "f" (sigma.f, right), "df" (sigma.df) or "out" (sigma_out.f)
    last : the output layer applies "sigma_out" (right), "sigma", "none", "df" (sigma_out.df)
        or "sigma_df" (sigma.df)
    bias_after : the bias added after the activation instead of before
    layers : run only the first layers (-1: stop one layer early)
    samples_in_columns : return the output transposed, one column per sample
    """
    x, L = np.asarray(X, dtype=np.float64), len(weights)
    for l, (w, b) in list(enumerate(zip(weights, biases), start=1))[:layers]:
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
    return x.T if samples_in_columns else x


# (sizes, N, sigma, sigma_out, scale of X, what the case is for)
_FORWARD = [
    ([3, 5, 4, 2], 6, tanh, identity, 2.0, ""),
    ([2, 4, 1], 5, relu, identity, 2.0, "ReLU units on both sides of 0, some off for every sample"),
    ([4, 3, 2, 2], 1, relu, tanh, 2.0, "a batch of one sample"),
    ([3, 2], 4, sigmoid, identity, 2.0, "one layer, the output layer alone"),
    ([2, 6, 3], 7, sigmoid, sigmoid, 2.0, ""),
    ([5, 3, 4, 6], 9, tanh, sigmoid, 2.0, ""),
    ([2, 3, 2], 3, relu, identity, 1000.0, "inputs near +-1000"),
    ([3, 4, 2], 4, tanh, tanh, 1e-3, "inputs near 0.001"),
]
_FORWARD_SQUARE = [([3, 3, 3, 3], 5, tanh, tanh, 2.0, ""), ([4, 4, 4], 6, relu, sigmoid, 2.0, "")]


def _forward_cases(specs=_FORWARD, seed=31):
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, n, sigma, sigma_out, scale, note in specs:
        weights, biases = _network(sizes, rng)
        X = rng.normal(size=(n, sizes[0])) * scale
        describe = f"{_layers(sizes)}, N = {n}, sigma = {sigma.name}, sigma_out = {sigma_out.name}"
        cases.append(
            Case(
                (X, weights, biases, sigma, sigma_out),
                describe + (f": {note}" if note else ""),
                {"N": n, "D_L": sizes[-1]},
            )
        )
    return cases


def _forward_compare(args, output):
    """The output itself, unless it is the list of every layer's output (2-D arrays, L or
    L + 1 of them, the last one x^(L)): that is named, not read as one array."""
    L = len(args[1])
    if not isinstance(output, (list, tuple)) or len(output) not in (L, L + 1):
        return output
    try:
        items = [np.asarray(item, dtype=np.float64) for item in output]
        want = mlp_forward_reference(*args)
        every_layer = all(item.ndim == 2 for item in items) and _close(items[-1], want)
    except (TypeError, ValueError):  # ragged rows and the like: read as they are
        return output
    if every_layer:
        raise NotAResult(
            "you return a list with the output of every layer (and perhaps the input X); its "
            "last entry is right: return x^(L) alone, shape (N, D_L)",
            key="every_layer_returned",
        )
    return output


def _close(got, want):
    return got.shape == want.shape and bool(np.max(entry_errors(got, want, 1e-6)) <= 1e-9)


_DF = "the forward pass applies the activations themselves, sigma.f and sigma_out.f"

FORWARD = Exercise(
    number="3.1",
    title="forward pass of an MLP",
    name="mlp_forward",
    reference=mlp_forward_reference,
    cases=_forward_cases,
    retry_cases=lambda: _forward_cases(_FORWARD_SQUARE, 32),
    accepts="x^(L) of shape (N, D_L): a NumPy array, or a list of N rows; X a float64 array "
    "(N, D_0), weights[l-1] = w^(l) of shape (D_l, D_(l-1)), biases[l-1] = b^(l) of shape "
    "(D_l,), sigma and sigma_out Activation objects (sigma.f(s) applies one)",
    variant=_forward_variant,
    forbidden=(layer_forward, MLP.forward, MLP.trace),
    compare=_forward_compare,
    keys=("every_layer_returned",),
    mistakes=(
        Mistake(
            "activation_not_callable",
            "sigma and sigma_out are Activation objects, not functions: apply the activation "
            "with sigma.f(s) (and sigma_out.f(s))",
            raised=r"^TypeError: 'Activation' object is not callable",
        ),
        Mistake(
            "shapes_swapped",
            "your output has one column per sample; with samples in rows the output has "
            "shape (N, D_L), one row per sample",
            changes={"samples_in_columns": True},
        ),
        Mistake(
            "missing_bias",
            "the result is what the layers give without their biases b^(l): check that "
            "every pre-activation s^(l) includes its bias",
            changes={"bias": False},
        ),
        Mistake(
            "bias_after_activation",
            "the bias is added after the activation: it belongs inside, "
            "s^(l) = w^(l) x^(l-1) + b^(l), and sigma acts on the whole of s^(l)",
            changes={"bias_after": True},
        ),
        Mistake(
            "transpose",
            "the layers multiply by w^(l) where the row-sample form of s = w x + b needs the "
            "transpose of w^(l): compare the shapes (N, D_(l-1)) and (D_l, D_(l-1))",
            changes={"transpose": False},
        ),
        Mistake(
            "activation_on_output",
            "the last layer uses the hidden activation sigma; the output layer has its own "
            "activation, sigma_out",
            changes={"last": "sigma"},
        ),
        Mistake(
            "no_output_activation",
            "the last layer returns its pre-activation s^(L): apply sigma_out.f to it",
            changes={"last": "none"},
        ),
        Mistake(
            "sigma_out_everywhere",
            "the hidden layers use sigma_out; sigma_out is for the last layer only, the "
            "hidden layers use sigma",
            changes={"hidden": "out"},
        ),
        Mistake(
            "df_for_f",
            f"the hidden layers apply sigma.df, the derivative; {_DF}",
            changes={"hidden": "df"},
        ),
        Mistake(
            "df_for_f",
            f"every layer, the output layer included, applies the derivative .df; {_DF}",
            changes={"hidden": "df", "last": "df"},
        ),
        Mistake(
            "df_for_f",
            f"every layer applies sigma.df, the derivative of the hidden activation; {_DF}",
            changes={"hidden": "df", "last": "sigma_df"},
        ),
        Mistake(
            "df_for_f",
            f"the output layer applies sigma_out.df, the derivative; {_DF}",
            changes={"last": "df"},
        ),
        Mistake(
            "stops_early",
            "the result is x^(L-1): the loop stops one layer early (every layer, the last one "
            "included, computes s^(l) and x^(l))",
            changes={"layers": -1},
        ),
    ),
)


# --------------------------------------------------------------- Exercise 3.2: the affine collapse
def _product(matrices, size):
    """matrices[-1] @ ... @ matrices[0] (the first one acts first), the identity if empty."""
    return functools.reduce(lambda acc, w: w @ acc, matrices, np.eye(size))


def affine_collapse_reference(weights, biases, alpha, beta):
    """(A(L), B(L)) in closed form, A(L) = alpha^L w(L)...w(1) and
    B(L) = sum_l alpha^(L-l) w(L)...w(l+1) (alpha b(l) + beta 1), shapes (D_L, D_0), (D_L,)."""
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    L, d_out = len(weights), weights[-1].shape[0]
    A = alpha**L * _product(weights, weights[0].shape[1])
    terms = [
        alpha ** (L - l) * _product(weights[l:], weights[l - 1].shape[0]) @ (alpha * b + beta)
        for l, b in enumerate(biases, start=1)
    ]
    return A, np.sum(terms, axis=0).reshape(d_out)


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
    swapped=False,
):
    """The recursion A <- alpha w A, B <- alpha w B + alpha b + beta, one switch per mistake.

    order : "left" (w A, right) or "right" (A w); the alphas: on A, on the previous B, on the
    bias, once at the end instead of per layer, or multiplying beta; add_beta : add beta at
    all; layers : run over the first layers only (-1: stop one early); swapped : return (B, A)
    """
    d0 = np.shape(weights[0])[1]
    A, B = np.eye(d0), np.zeros(d0)
    per_layer = 1.0 if alpha_once else alpha
    for w, b in list(zip(weights, biases))[:layers]:
        A = (per_layer if a_alpha else 1.0) * (w @ A if order == "left" else A @ w)
        B_new = (per_layer if b_prev_alpha else 1.0) * (w @ B)
        B_new = B_new + (per_layer if bias_alpha else 1.0) * b
        if add_beta:
            B_new = B_new + (alpha * beta if beta_alpha else beta)
        B = B_new
    if alpha_once:
        A, B = alpha * A, alpha * B
    return (B, A) if swapped else (A, B)


# (sizes, alpha, beta, scale of the weights, scale of the biases, what the case is for)
_COLLAPSE = [
    ([3, 5, 4, 2], 0.7, 0.3, 1.0, 1.0, ""),
    ([2, 4, 3, 3, 1], -1.3, 0.5, 1.0, 1.0, "alpha < 0"),
    ([4, 2], 2.0, -1.0, 1.0, 1.0, "one layer"),
    ([2, 3, 5], 0.5, 1.5, 1.0, 1.0, ""),
    ([3, 4, 2], -0.6, 400.0, 1e-3, 1000.0, "weights near 0.001, biases near 1000"),
]
_COLLAPSE_SQUARE = [([3, 3, 3, 3], 0.8, 0.2, 1.0, 1.0, ""), ([2, 2, 2], 1.5, -0.4, 1.0, 1.0, "")]
_HUGE_B = "biases near 1000"


def _collapse_cases(specs=_COLLAPSE, seed=33):
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, alpha, beta, w_scale, b_scale, note in specs:
        weights, biases = _network(sizes, rng, w_scale, b_scale)
        describe = f"{_layers(sizes)}, alpha = {alpha:g}, beta = {beta:g}"
        cases.append(Case((weights, biases, alpha, beta), describe + (f", {note}" * bool(note))))
    return cases


def _agree(got, want, tol=1e-9):
    return got.shape == want.shape and bool(np.max(entry_errors(got, want, 1e-6)) <= tol)


def _alpha_power(judgement):
    """(key, message) when the student's A(L) is the right one times a power of alpha other
    than 1 on some case (alpha applied once, never, once too often, ...), else None. The power
    is read off the largest entry and required of every entry."""
    powers = []
    for case, leaves in zip(judgement.cases, judgement.leaves):
        (_, got, want), alpha, depth = leaves[0], case.args[2], len(case.args[0])
        if got.shape != want.shape or abs(abs(alpha) - 1.0) < 0.1:
            return None
        j = np.unravel_index(np.argmax(np.abs(want)), want.shape)
        if got[j] == 0.0 or not np.isfinite(got[j]):
            return None
        p = int(round(np.log(abs(got[j] / want[j])) / np.log(abs(alpha))))
        if not _agree(got, alpha**p * want, 1e-6):
            return None
        powers.append((p, depth))
    if all(p == 0 for p, _ in powers):
        return None
    if all(p == 1 - depth for p, depth in powers):
        return "alpha_once", _ALPHA_ONCE
    if all(p == -depth for p, depth in powers):
        return "missing_alpha", _NO_ALPHA
    return (
        "alpha_power",
        "A(L) is right up to a power of alpha that is not the right one: count how often "
        "alpha multiplies it, once per layer's activation (the last layer's included)",
    )


def _probes_outputs(judgement):
    """True when everything is right but A(L) in the case with large biases, where it is off
    by what the cancellation of f(e_j) - f(0) costs (more than 1e-9, less than 1e-3)."""
    lost = False
    for case, leaves in zip(judgement.cases, judgement.leaves):
        (_, got_a, want_a), (_, got_b, want_b) = leaves
        if not _agree(got_b, want_b) or not _agree(got_a, want_a, 1e-3):
            return False
        if not _agree(got_a, want_a):
            if _HUGE_B not in case.describe:
                return False
            lost = True
    return lost


def _collapse_diagnose(judgement):
    """A(L) off by a power of alpha; A(L) read off the network's outputs; a known mistake in
    A(L) whatever B(L) is, or in B(L) with A(L) right."""
    if judgement.leaves is None or any(len(leaves) != 2 for leaves in judgement.leaves):
        return None
    if _probes_outputs(judgement):
        return (
            "probes_outputs",
            "right where the biases are moderate, but A(L) loses digits in the case with "
            "biases near 1000 and weights near 0.001: an A(L) read off the network's outputs, "
            "f(e_j) - f(0), subtracts two nearly equal large numbers there. Work A(L) out by "
            "your recursion from A(0), as the prompt asks: it never mixes B into A",
        )
    found = _alpha_power(judgement)
    if found is not None:
        return found
    exercise = judgement.exercise
    a_right = all(_agree(leaves[0][1], leaves[0][2]) for leaves in judgement.leaves)
    for key, message, changes, part in _PARTS:
        if part == 1 and not a_right:
            continue
        function = functools.partial(exercise.variant, **changes)
        try:
            wrong = [function(*case.args)[part] for case in judgement.cases]
        except Exception:  # a mistake that cannot apply to these cases says nothing
            continue
        got = [leaves[part][1] for leaves in judgement.leaves]
        if all(_agree(g, np.asarray(w), 1e-6) for g, w in zip(got, wrong)):
            return key, ("A(L) is right, but " if part == 1 else "") + message
    return None


_ALPHA_ONCE = (
    "alpha is applied once, at the end; every layer's activation multiplies by alpha, so it "
    "enters once per layer"
)
_NO_ALPHA = "A(L) lacks the factor alpha that each layer's activation contributes"
_REVERSED = (
    "A(L) multiplies the weight matrices in the reverse order: which layer's matrix acts first "
    "on x, and which side of the product is that?"
)
#: mistakes in one part (0: A, 1: B) whatever the other part is: (key, message, changes, part)
_PARTS = (
    ("order_reversed", _REVERSED, {"order": "right"}, 0),
    ("missing_alpha", _NO_ALPHA, {"a_alpha": False}, 0),
    ("missing_beta", "B(L) lacks the constant beta that each activation adds (beta times a vector "
     "of ones, at every layer)", {"add_beta": False}, 1),
    ("bias_without_alpha", "in B(L) each bias b^(l) also goes through the activation, so it is "
     "scaled by alpha like the rest of s^(l)", {"bias_alpha": False}, 1),
    ("b_prev_without_alpha", "in B(L) the previous B(l-1) is multiplied by w^(l) only: it goes "
     "through the activation too, so alpha multiplies it as well", {"b_prev_alpha": False}, 1),
    ("beta_times_alpha", "B(L) multiplies beta by alpha: the activation is alpha s + beta, so "
     "beta is added after the multiplication", {"beta_alpha": True}, 1),
)  # fmt: skip


def _whole(key, message, changes, part):
    prefix = "A(L) is right, but " if part == 1 else ""
    return Mistake(key, prefix + message, changes=changes)


COLLAPSE = Exercise(
    number="3.2",
    title="the affine collapse A(L), B(L)",
    name="affine_collapse",
    reference=affine_collapse_reference,
    cases=_collapse_cases,
    retry_cases=lambda: _collapse_cases(_COLLAPSE_SQUARE, 34),
    accepts="the pair (A, B), a tuple or a list of NumPy arrays of shapes (D_L, D_0) and "
    "(D_L,); weights and biases as in Exercise 3.1, alpha and beta Python floats",
    returns=("A", "B"),
    variant=_collapse_variant,
    forbidden=(affine_collapse_reference, layer_forward, MLP.forward, MLP.trace),
    diagnose=_collapse_diagnose,
    keys=("probes_outputs", "alpha_once", "missing_alpha", "alpha_power")
    + tuple(key for key, *_ in _PARTS),
    mistakes=(
        Mistake(
            "stops_early",
            "A(L) and B(L) are those of the network without its last layer: the recursion "
            "stops one layer early (it runs over every layer, l = 1 .. L)",
            changes={"layers": -1},
        ),
        Mistake(
            "output_order",
            "A and B are right but returned as (B, A): return the pair (A, B)",
            changes={"swapped": True},
        ),
        Mistake(
            "missing_alpha",
            "A(L) and B(L) lack the factor alpha that each layer's activation contributes",
            changes={"a_alpha": False, "b_prev_alpha": False, "bias_alpha": False},
        ),
        Mistake("alpha_once", _ALPHA_ONCE, changes={"alpha_once": True}),
        *(_whole(*part) for part in _PARTS),
    ),
)

EXERCISES = (FORWARD, COLLAPSE)

check_mlp_forward = make_check(FORWARD)
check_affine_collapse = make_check(COLLAPSE)
