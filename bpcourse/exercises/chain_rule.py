"""Checks for the exercises of notebook 01 (the chain rule).

- Exercise 1.1, `check_df_dt`: the multivariate chain rule for f(x1, x2) = x1^2 x2 with
  x1(t) = cos t and x2(t) = t^2. Reference: `bpcourse.autodiff.Value`, reverse mode on the
  graph t -> (x1, x2) -> f.
- Exercise 1.2, `check_toy_partials`: the eight partial derivatives of the squared loss of the
  toy network f = beta3 + omega3 a[beta2 + omega2 a[beta1 + omega1 a[beta0 + omega0 x]]]
  (a = ReLU), computed backwards. Reference: `bpcourse.mlp.layer_forward` and
  `bpcourse.mlp.layer_backward` on four layers of one unit (ReLU, ReLU, ReLU, identity).

The known mistakes are the same computations with one thing changed (a path left out, the
activation's derivative missing or taken at the wrong point, a loop that stops one step
early, ...). `_toy_variant` holds the toy network's mistakes as switches on one loop; with no
switch set it is the reference, which the tests assert.
"""

import copy
import math
from dataclasses import replace

import numpy as np

from bpcourse.activations import identity, relu
from bpcourse.autodiff import Value
from bpcourse.exercises._core import Mistake, _leaves, check, entry_errors

DF_DT = "Exercise 1.1 (df/dt by the multivariate chain rule)"
TOY = "Exercise 1.2 (the toy network's eight partials, backwards)"


def float32_not_scale(result, cases, names=None):
    """Name a float32 answer "precision" where the core calls it "scale".

    Works around `_core._generic`: its per-value factor test (`_ratio`) runs before the
    precision test and accepts a factor c with |c - 1| >= 1e-6, so an answer computed in
    float32 whose entries are all off by about the same 1e-6 is called "a multiple of the
    right value". Here: a "scale" verdict whose values all agree with the reference to 1e-5,
    entry by entry, is a precision mistake.
    """
    if result.diagnosis != "scale":
        return result
    try:
        for args in cases:
            got = _leaves(result.student(*copy.deepcopy(args)), names)
            want = _leaves(result.reference(*copy.deepcopy(args)), names)
            if len(got) != len(want) or any(
                g.shape != w.shape or np.max(entry_errors(g, w), initial=0.0) > 1e-5
                for g, w in zip(got, want)
            ):
                return result
    except Exception:
        return result
    return replace(
        result,
        diagnosis="precision",
        message="not yet: your values agree only to about 7 significant digits, the precision "
        "of float32: look for a conversion to np.float32 (or a computation in single "
        "precision)",
    )


# ---------------------------------------------------------------- Exercise 1.1: df/dt


def _df_dt_by_value(t, through_x1=True, through_x2=True):
    """df/dt by `Value.backward`; a path switched off makes x1 or x2 a constant (no route to t)."""
    t_node = Value(t)
    x1 = t_node.cos() if through_x1 else Value(math.cos(t))
    x2 = t_node**2 if through_x2 else Value(t * t)
    f = x1**2 * x2
    f.backward()
    return t_node.grad


def _df_dt_reference(t):
    """df/dt = df/dx1 dx1/dt + df/dx2 dx2/dt, by reverse mode on t -> (x1, x2) -> f."""
    return _df_dt_by_value(t)


def _terms(t):
    """The partials of f at (x1(t), x2(t)) and the inner derivatives, for the mistakes."""
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2, x1 * x1, -math.sin(t), 2 * t


def _df_dt_mistakes():
    one_path = (
        "only one of the two routes from t to f is counted: t changes f through x1 and "
        "through x2, and the chain rule adds one term per route"
    )

    def no_inner_derivatives(t):
        df_dx1, df_dx2, _, _ = _terms(t)
        return df_dx1 + df_dx2

    def cos_derivative_sign(t):
        df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
        return -df_dx1 * dx1_dt + df_dx2 * dx2_dt

    def partials_at_t(t):
        _, _, dx1_dt, dx2_dt = _terms(t)
        return 2 * t * t * dx1_dt + t * t * dx2_dt  # df/dx1, df/dx2 at (t, t)

    def partials_at_inner_derivatives(t):
        _, _, dx1_dt, dx2_dt = _terms(t)
        return 2 * dx1_dt * dx2_dt * dx1_dt + dx1_dt**2 * dx2_dt

    def terms_not_added(t):
        df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
        return df_dx1 * dx1_dt, df_dx2 * dx2_dt

    def terms_multiplied(t):
        df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
        return (df_dx1 * dx1_dt) * (df_dx2 * dx2_dt)

    def sums_multiplied(t):  # (df/dx1 + df/dx2)(dx1/dt + dx2/dt): cross terms mixed in
        df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
        return (df_dx1 + df_dx2) * (dx1_dt + dx2_dt)

    wrong_point = (
        "the partial derivatives of f are taken at the wrong point: they belong at "
        "(x1(t), x2(t)) = (cos t, t^2)"
    )
    return [
        Mistake("missing_path", one_path, lambda t: _df_dt_by_value(t, through_x2=False)),
        Mistake("missing_path", one_path, lambda t: _df_dt_by_value(t, through_x1=False)),
        Mistake(
            "forgot_inner_derivative",
            "each partial derivative of f must be multiplied by how fast its variable "
            "moves with t: an inner derivative is missing",
            no_inner_derivatives,
        ),
        Mistake(
            "sign",
            "a sign is off in one of the inner derivatives: differentiate x1(t) = cos t again",
            cos_derivative_sign,
        ),
        Mistake("wrong_point", wrong_point, partials_at_t),
        Mistake("wrong_point", wrong_point, partials_at_inner_derivatives),
        Mistake(
            "terms_not_added",
            "you return the two route terms separately: the chain rule adds them into one number",
            terms_not_added,
        ),
        Mistake(
            "terms_not_added",
            "the two route terms (one through x1, one through x2) are multiplied together: "
            "the chain rule adds one term per route",
            terms_multiplied,
        ),
        Mistake(
            "terms_not_added",
            "the partials of f and the inner derivatives are each summed first and then "
            "multiplied, which mixes the routes (x1's partial times x2's inner derivative): "
            "the chain rule adds one term per route, each a partial times its own variable's "
            "inner derivative",
            sums_multiplied,
        ),
    ]


_T_VALUES = (0.4, 0.9, 1.7, 2.6, -1.2, 7.5)


def check_df_dt(df_dt):
    """Check Exercise 1.1: df/dt for f(x1, x2) = x1^2 x2, x1(t) = cos t, x2(t) = t^2.

    The multivariate chain rule says df/dt = df/dx1 dx1/dt + df/dx2 dx2/dt, the partials
    evaluated at (x1(t), x2(t)).

    Parameters
    ----------
    df_dt : callable
        The student's function: takes a Python float `t`, returns df/dt at t as one number
        (a Python float, a NumPy float or a 0-d array; `math` or `np` functions alike).

    Returns
    -------
    Result
        Status ``"correct"``, ``"todo"``, ``"mistake"`` (diagnosis ``"missing_path"``,
        ``"forgot_inner_derivative"``, ``"sign"``, ``"wrong_point"``, ``"terms_not_added"``
        (the two route terms returned apart, multiplied, or mixed), or a generic one:
        ``"scale"``, ``"precision"``), ``"wrong"`` or ``"error"`` (``"not_a_result"``,
        ``"raised"``, ...).
    """
    cases = [(t,) for t in _T_VALUES]
    result = check(
        DF_DT,
        df_dt,
        _df_dt_reference,
        cases,
        _df_dt_mistakes(),
        describe=[f"t = {t}" for t in _T_VALUES],
        name="df_dt",
    )
    return float32_not_scale(result, cases)


# ---------------------------------------------------------------- Exercise 1.2: toy network

#: the activations after the toy network's steps f_0..f_3: ReLU, ReLU, ReLU, none
TOY_SIGMAS = (relu, relu, relu, identity)


def _toy_reference(x, y, beta, omega):
    """The eight partials by `layer_forward` / `layer_backward` on four layers of one unit.

    Layer k + 1 of the package is step f_k: w = [[omega_k]], b = [beta_k], its input is h_k.
    The loss l = (f_3 - y)^2 starts the backward pass with dl/df_3 = 2 (f_3 - y).
    """
    from bpcourse.mlp import layer_backward, layer_forward

    w = [np.array([[float(v)]]) for v in omega]  # w^(k+1) = [[omega_k]]: one unit per layer
    b = [np.array([float(v)]) for v in beta]
    h, s = [np.array([[float(x)]])], []
    for k in range(4):
        s_k, h_next = layer_forward(h[k], w[k], b[k], TOY_SIGMAS[k])
        s.append(s_k)
        h.append(h_next)
    dl_dx = 2.0 * (h[4] - float(y))
    dl_dbeta, dl_domega = np.zeros(4), np.zeros(4)
    for k in range(3, -1, -1):
        dl_dx, dl_dw, dl_db = layer_backward(dl_dx, s[k], h[k], w[k], TOY_SIGMAS[k])
        dl_dbeta[k], dl_domega[k] = dl_db[0], dl_dw[0, 0]
    return dl_dbeta, dl_domega


def _toy_variant(
    x,
    y,
    beta,
    omega,
    *,
    loss_factor=2.0,
    a_prime=lambda f: float(f > 0),
    prime_shift=0,
    restart=False,
    first_k=1,
    omega_factor="h_k",
):
    """The backward loop of the toy network, with switches that each make one known mistake.

    loss_factor : dl/df_3 = loss_factor (f_3 - y) (2 is right; 1 forgets the 2, -2 flips it)
    a_prime : the ReLU's derivative used (right: 1 where f > 0; wrong: 1 everywhere, max(f, 0))
    prime_shift : a' taken at f_(k-1+shift) instead of f_(k-1)
    restart : every step starts again from dl/df_3 instead of the step just before
    first_k : the loop runs k = 3..first_k (1 is right; 2 stops one step early)
    omega_factor : "h_k" (right), "h_(k+1)" or "f_k" multiplies dl/df_k for dl/domega_k
    """
    f, h = np.zeros(4), np.zeros(5)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0) if k < 3 else f[k]
    dl_df = np.zeros(4)
    dl_df[3] = loss_factor * (f[3] - y)
    for k in range(3, first_k - 1, -1):
        upstream = dl_df[3] if restart else dl_df[k]
        dl_df[k - 1] = a_prime(f[k - 1 + prime_shift]) * omega[k] * upstream
    factor = {"h_k": h[:4], "h_(k+1)": h[1:], "f_k": f}[omega_factor]
    return dl_df, factor * dl_df


def _toy_mistakes():
    def variant(**switch):
        return lambda x, y, beta, omega: _toy_variant(x, y, beta, omega, **switch)

    def reversed_entries(x, y, beta, omega):
        dl_dbeta, dl_domega = _toy_reference(x, y, beta, omega)
        return dl_dbeta[::-1], dl_domega[::-1]

    omega_factor = (
        "the omega partials use the wrong factor: omega_k multiplies what flows into step k "
        "(h_k, with h_0 = x), so dl/domega_k is that input times dl/df_k"
    )
    return [
        Mistake(
            "sign",
            "the magnitudes are right but every sign is flipped: look again at the first "
            "backward step, the derivative of the loss with respect to f_3",
            variant(loss_factor=-2.0),
        ),
        Mistake(
            "missing_factor_2",
            "every partial is half the right value: differentiate the squared loss "
            "(f_3 - y)^2 again",
            variant(loss_factor=1.0),
        ),
        Mistake(
            "forgot_sigma_prime",
            "gradient flows back through a ReLU that is switched off (negative input f): the "
            "ReLU's derivative a' is missing from a backward step",
            variant(a_prime=lambda f: 1.0),
        ),
        Mistake(
            "f_for_df",
            "a backward step multiplies by the ReLU itself, a(f) = max(0, f), where its "
            "derivative a'(f) (1 where f > 0, else 0) belongs",
            variant(a_prime=lambda f: max(f, 0.0)),
        ),
        Mistake(
            "wrong_point",
            "the ReLU's derivative is taken at the wrong step: dl/df_(k-1) needs a' at "
            "f_(k-1), the input of the ReLU that produced h_k",
            variant(prime_shift=1),
        ),
        Mistake(
            "not_chained",
            "the backward steps do not build on each other: each one must reuse the "
            "derivative computed just before it, not restart from dl/df_3",
            variant(restart=True),
        ),
        Mistake(
            "stops_early",
            "the partials of beta_0 and omega_0 are zero: the backward loop stops one step "
            "early and never reaches dl/df_0",
            variant(first_k=2),
        ),
        Mistake("output_for_input", omega_factor, variant(omega_factor="h_(k+1)")),
        Mistake("output_for_input", omega_factor, variant(omega_factor="f_k")),
        Mistake(
            "reversed_order",
            "the values are right but each array is in reverse order: entry k must hold the "
            "partial for beta_k (or omega_k), k = 0 being the step that sees x",
            reversed_entries,
        ),
    ]


# Each case is (x, y, beta, omega), every pre-activation f_0..f_2 at least 0.15 away from the
# ReLU's kink. The first keeps every unit on; the others switch a unit off (f_0 < 0 in case 2,
# f_1 < 0 in case 3, f_2 < 0 in case 4), so that a missing or misplaced a' shows; case 5 has an
# input and a target of another scale.
_TOY_CASES = [
    (0.8, 1.5, [0.2, -0.1, 0.3, 0.1], [1.5, 0.8, 1.2, 0.9]),
    (-0.5, -0.4, [0.4, 0.3, -0.2, 0.5], [1.1, -0.7, 1.3, -1.4]),
    (1.3, 0.7, [-0.3, 0.6, 0.25, -0.2], [0.9, -1.2, 0.8, 1.6]),
    (0.4, 2.0, [0.1, 0.5, -0.6, 0.3], [1.3, 0.9, -1.7, 1.2]),
    (12.0, -30.0, [0.5, -2.0, 1.0, 4.0], [0.3, 1.5, 0.4, 2.5]),
]
_TOY_DESCRIBE = [
    "x = 0.8, every unit on",
    "x = -0.5, the first unit off (f_0 < 0)",
    "x = 1.3, the second unit off (f_1 < 0)",
    "x = 0.4, the third unit off (f_2 < 0)",
    "x = 12, y = -30, every unit on",
]


def toy_cases():
    """The inputs `check_toy_partials` uses: a list of (x, y, beta, omega) tuples.

    x and y are Python floats; beta and omega are float64 arrays of shape (4,), index k
    belonging to the step f_k.
    """
    return [(x, y, np.array(b, dtype=float), np.array(w, dtype=float)) for x, y, b, w in _TOY_CASES]


def check_toy_partials(toy_partials):
    """Check Exercise 1.2: the eight partials of the toy network's squared loss, backwards.

    The network is f_k = beta_k + omega_k h_k (k = 0..3) with h_0 = x and h_(k+1) = ReLU(f_k);
    the loss is l = (f_3 - y)^2.

    Parameters
    ----------
    toy_partials : callable
        The student's function ``toy_partials(x, y, beta, omega)`` with Python floats x, y and
        float64 arrays beta, omega of shape (4,); returns the pair ``(dl_dbeta, dl_domega)``
        (a tuple or a list), each a NumPy array or a list of 4 numbers, entry k belonging
        to beta_k and omega_k.

    Returns
    -------
    Result
        Status ``"correct"``, ``"todo"``, ``"mistake"`` (diagnosis ``"sign"``,
        ``"missing_factor_2"``, ``"forgot_sigma_prime"``, ``"f_for_df"``, ``"wrong_point"``,
        ``"not_chained"``, ``"stops_early"``, ``"output_for_input"``, ``"reversed_order"``,
        or a generic one: ``"output_order"``, ``"modified_input"``, ``"scale"``, ...),
        ``"wrong"`` (the message names the value, the case and the entries) or ``"error"``.
    """
    names = ("dl_dbeta", "dl_domega")
    result = check(
        TOY,
        toy_partials,
        _toy_reference,
        toy_cases(),
        _toy_mistakes(),
        names=names,
        describe=_TOY_DESCRIBE,
        name="toy_partials",
    )
    return float32_not_scale(result, toy_cases(), names)
