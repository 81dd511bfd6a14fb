"""The exercises of notebook 01 (the chain rule), declared.

- Exercise 1.1, `grad_h`: the product and sum rules (MML 5.46-5.47) for a gradient:
  h(x) = f(x) g(x) + g(x) with f(x) = x.x and g(x) = a.x + c, x in R^n.
- Exercise 1.2, `df_dt`: the multivariate chain rule (MML 5.49) for f(x1, x2) = x1^2 x2 with
  x1(t) = cos t and x2(t) = t^2. Reference: reverse mode (`bpcourse.autodiff.Value`).
- Exercise 1.3, `toy_partials`: the eight partials of the toy network's squared loss,
  f = beta3 + omega3 a[beta2 + omega2 a[beta1 + omega1 a[beta0 + omega0 x]]] (a = ReLU),
  computed backwards. Reference: `bpcourse.mlp.layer_forward` and `layer_backward` on four
  layers of one unit (ReLU, ReLU, ReLU, identity).

Each known mistake is the reference with one thing changed: for 1.1 and 1.3 a switch of the
exercise's `variant` (declared as data), for 1.2 a small function. All three ask for the
derivative worked out by hand, so finite differences are named (`derive=True`), and so is
`Value.backward`, which 01 introduces afterwards as the machine that does it for you.
"""

import math

import numpy as np

from bpcourse.activations import identity, relu
from bpcourse.autodiff import Value
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check
from bpcourse.mlp import MLP, layer_backward, layer_forward


# ----------------------------------------------------------- Exercise 1.1: product and sum rules
def _grad_h_variant(
    x, a, c, *, product="rule", grad_f_factor=2.0, sum_term="gradient", constant=True
):
    """grad h for h = f g + g, f = x.x, g = a.x + c, with switches that each make one mistake.

    product : "rule" (grad f g + f grad g, right), "grads" (grad f * grad g: the derivatives
        multiplied), "first" (grad f g only), "second" (f grad g only), "own" (grad f f +
        g grad g: each gradient times its own function)
    grad_f_factor : grad f = factor * x (2 is right; 1 forgets the 2 of x.x)
    sum_term : what the "+ g" contributes: "gradient" (grad g, right), "none" (nothing), "value"
        (g's value where its gradient belongs)
    constant : whether g's value includes c (False: g = a.x, the constant dropped)
    """
    x, a = np.asarray(x, dtype=float), np.asarray(a, dtype=float)
    f, g = x @ x, a @ x + (c if constant else 0.0)
    grad_f, grad_g = grad_f_factor * x, a
    first, second = grad_f * g, f * grad_g
    term = {
        "rule": first + second,
        "grads": grad_f * grad_g,
        "first": first,
        "second": second,
        "own": grad_f * f + g * grad_g,
    }[product]
    return term + {"gradient": grad_g, "none": 0.0, "value": g}[sum_term]


def grad_h_reference(x, a, c):
    """grad h(x) = grad f(x) g(x) + f(x) grad g(x) + grad g(x), shape (n,)."""
    return _grad_h_variant(x, a, c)


def _grad_h_cases():
    rng = np.random.default_rng(11)
    cases = []
    for n, scale in [(3, 1.0), (1, 1.0), (2, 0.3), (5, 1.0), (4, 1000.0)]:
        x = rng.normal(scale=scale, size=n)
        a = rng.normal(size=n)
        c = float(rng.normal()) * scale
        cases.append(Case((x, a, c), f"n = {n}" + (", |x| near 1000" if scale > 1 else "")))
    x, a = np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, 2.0])
    cases.append(Case((x, a, 1.0), "n = 3, g(x) = 0 at this x"))  # only f grad g + grad g
    return cases


GRAD_H = Exercise(
    number="1.1",
    title="the product and sum rules for a gradient",
    name="grad_h",
    reference=grad_h_reference,
    cases=_grad_h_cases,
    accepts="a NumPy array of shape (n,) (or a list of n numbers); x and a arrays of shape "
    "(n,), c a float",
    variant=_grad_h_variant,
    forbidden=(Value.backward,),  # reverse mode does for you what the exercise asks
    derive=True,
    mistakes=(
        Mistake(
            "product_of_derivatives",
            "the derivative of the product f g is not the product of the derivatives: the "
            "product rule keeps one factor as it is and differentiates the other, twice",
            changes={"product": "grads"},
        ),
        Mistake(
            "product_rule_term",
            "the product rule has two terms, one per factor, and one is missing: while one "
            "factor is differentiated, the other stays as it is",
            changes={"product": "first"},
        ),
        Mistake(
            "product_rule_term",
            "the product rule has two terms, one per factor, and one is missing: while one "
            "factor is differentiated, the other stays as it is",
            changes={"product": "second"},
        ),
        Mistake(
            "product_rule_swapped",
            "each gradient is multiplied by its own function: in the product rule each "
            "gradient is multiplied by the *other* factor",
            changes={"product": "own"},
        ),
        Mistake(
            "sum_rule_term",
            "the term of the sum h = f g + g that comes from its second summand is missing: "
            "by the sum rule, the gradient of a sum is the sum of the gradients",
            changes={"sum_term": "none"},
        ),
        Mistake(
            "value_for_gradient",
            "the second summand of h = f g + g contributes the value g(x) where its gradient "
            "belongs: by the sum rule, each summand contributes its gradient",
            changes={"sum_term": "value"},
        ),
        Mistake(
            "forgot_constant",
            "g(x) is computed without its constant c: where the product rule multiplies by the "
            "factor g(x), it is the whole value of g at x, c included",
            changes={"constant": False},
        ),
        Mistake(
            "gradient_of_square",
            "the gradient of f(x) = x.x is off by a factor: differentiate x_1^2 + ... + x_n^2 "
            "with respect to x_i again",
            changes={"grad_f_factor": 1.0},
        ),
        Mistake(
            "summed",
            "you return one number: the gradient has one entry per x_i, the partial "
            "derivative of h with respect to that x_i",
            function=lambda x, a, c: float(np.sum(_grad_h_variant(x, a, c))),
        ),
    ),
)


# ---------------------------------------------------------------- Exercise 1.2: df/dt
def _df_dt_by_value(t, through_x1=True, through_x2=True):
    """df/dt by `Value.backward`; a path switched off makes x1 or x2 a constant (no route to t)."""
    t_node = Value(t)
    x1 = t_node.cos() if through_x1 else Value(math.cos(t))
    x2 = t_node**2 if through_x2 else Value(t * t)
    f = x1**2 * x2
    f.backward()
    return t_node.grad


def df_dt_reference(t):
    """df/dt = df/dx1 dx1/dt + df/dx2 dx2/dt, by reverse mode on t -> (x1, x2) -> f."""
    return _df_dt_by_value(t)


def _terms(t):
    """The partials of f at (x1(t), x2(t)) and the inner derivatives, for the mistakes."""
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2, x1 * x1, -math.sin(t), 2 * t


def _no_inner_derivatives(t):
    df_dx1, df_dx2, _, _ = _terms(t)
    return df_dx1 + df_dx2


def _cos_derivative_sign(t):
    df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
    return -df_dx1 * dx1_dt + df_dx2 * dx2_dt


def _partials_at_t(t):
    _, _, dx1_dt, dx2_dt = _terms(t)
    return 2 * t * t * dx1_dt + t * t * dx2_dt  # df/dx1, df/dx2 at (t, t)


def _partials_at_inner_derivatives(t):
    _, _, dx1_dt, dx2_dt = _terms(t)
    return 2 * dx1_dt * dx2_dt * dx1_dt + dx1_dt**2 * dx2_dt


def _terms_not_added(t):
    df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
    return df_dx1 * dx1_dt, df_dx2 * dx2_dt


def _terms_multiplied(t):
    df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
    return (df_dx1 * dx1_dt) * (df_dx2 * dx2_dt)


def _sums_multiplied(t):  # (df/dx1 + df/dx2)(dx1/dt + dx2/dt): cross terms mixed in
    df_dx1, df_dx2, dx1_dt, dx2_dt = _terms(t)
    return (df_dx1 + df_dx2) * (dx1_dt + dx2_dt)


_ONE_PATH = (
    "only one of the two routes from t to f is counted: t changes f through x1 and "
    "through x2, and the chain rule adds one term per route"
)
_WRONG_POINT = (
    "the partial derivatives of f are taken at the wrong point: they belong at "
    "(x1(t), x2(t)) = (cos t, t^2)"
)
_T_VALUES = (0.4, 0.9, 1.7, 2.6, -1.2, 7.5, -31.0)

DF_DT = Exercise(
    number="1.2",
    title="df/dt by the multivariate chain rule",
    name="df_dt",
    reference=df_dt_reference,
    cases=lambda: [Case((t,), f"t = {t}") for t in _T_VALUES],
    accepts="one number: a Python float, a NumPy float or a 0-d array (math or np functions)",
    forbidden=(Value.backward,),  # reverse mode does for you what the exercise asks
    derive=True,
    mistakes=(
        Mistake("missing_path", _ONE_PATH, lambda t: _df_dt_by_value(t, through_x2=False)),
        Mistake("missing_path", _ONE_PATH, lambda t: _df_dt_by_value(t, through_x1=False)),
        Mistake(
            "forgot_inner_derivative",
            "each partial derivative of f must be multiplied by how fast its variable moves "
            "with t: an inner derivative is missing",
            _no_inner_derivatives,
        ),
        Mistake(
            "sign",
            "a sign is off in one of the inner derivatives: differentiate x1(t) = cos t again",
            _cos_derivative_sign,
        ),
        Mistake("wrong_point", _WRONG_POINT, _partials_at_t),
        Mistake("wrong_point", _WRONG_POINT, _partials_at_inner_derivatives),
        Mistake(
            "terms_not_added",
            "you return the two route terms separately: the chain rule adds them into one number",
            _terms_not_added,
        ),
        Mistake(
            "terms_not_added",
            "the two route terms (one through x1, one through x2) are multiplied together: "
            "the chain rule adds one term per route",
            _terms_multiplied,
        ),
        Mistake(
            "terms_not_added",
            "the partials of f and the inner derivatives are each summed first and then "
            "multiplied, which mixes the routes (x1's partial times x2's inner derivative): "
            "the chain rule adds one term per route, each a partial times its own variable's "
            "inner derivative",
            _sums_multiplied,
        ),
    ),
)


# ---------------------------------------------------------------- Exercise 1.3: toy network
#: the activations after the toy network's steps f_0..f_3: ReLU, ReLU, ReLU, none
TOY_SIGMAS = (relu, relu, relu, identity)


def toy_reference(x, y, beta, omega):
    """The eight partials by `layer_forward` / `layer_backward` on four layers of one unit.

    Layer k + 1 of the package is step f_k: w = [[omega_k]], b = [beta_k], its input is h_k.
    The loss l = (f_3 - y)^2 starts the backward pass with dl/df_3 = 2 (f_3 - y).
    """
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
    a_prime="indicator",
    output_prime=False,
    prime_shift=0,
    restart=False,
    first_k=1,
    omega_factor="h_k",
    reverse=False,
):
    """The backward loop of the toy network, with switches that each make one known mistake.

    loss_factor : dl/df_3 = loss_factor (f_3 - y) (2 is right; 1 forgets the 2, -2 flips it)
    a_prime : the ReLU's derivative used: "indicator" (1 where f > 0, right), "one" (1
        everywhere: a' forgotten), "relu" (max(f, 0): the ReLU for its derivative)
    output_prime : a ReLU's derivative applied at the linear output f_3 too
    prime_shift : a' taken at f_(k-1+shift) instead of f_(k-1)
    restart : every step starts again from dl/df_3 instead of the step just before
    first_k : the loop runs k = 3..first_k (1 is right; 2 stops one step early)
    omega_factor : "h_k" (right), "h_(k+1)", "relu h_(k+1)" or "f_k" multiplies dl/df_k for
        dl/domega_k
    reverse : the two arrays returned in reverse order (entry 0 for step 3)
    """
    prime = {
        "indicator": lambda f: float(f > 0),
        "one": lambda f: 1.0,
        "relu": lambda f: max(f, 0.0),
    }[a_prime]
    f, h = np.zeros(4), np.zeros(5)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0) if k < 3 else f[k]
    dl_df = np.zeros(4)
    dl_df[3] = loss_factor * (f[3] - y) * (float(f[3] > 0) if output_prime else 1.0)
    for k in range(3, first_k - 1, -1):
        upstream = dl_df[3] if restart else dl_df[k]
        dl_df[k - 1] = prime(f[k - 1 + prime_shift]) * omega[k] * upstream
    after = np.append(h[1:4], max(f[3], 0.0))  # h_(k+1), with a ReLU after f_3 as well
    factor = {"h_k": h[:4], "h_(k+1)": h[1:], "relu h_(k+1)": after, "f_k": f}[omega_factor]
    if reverse:
        return dl_df[::-1], (factor * dl_df)[::-1]
    return dl_df, factor * dl_df


# Each case is (x, y, beta, omega), every pre-activation f_0..f_3 at least 0.15 away from 0:
# every unit on; then each ReLU off in turn (f_0, f_1, f_2 < 0), so that a missing or
# misplaced a' shows; the linear output negative (f_3 < 0), so that an a' wrongly applied to it
# shows; and an input and a target of another scale.
_TOY = [
    ((0.8, 1.5, [0.2, -0.1, 0.3, 0.1], [1.5, 0.8, 1.2, 0.9]), "x = 0.8, every unit on"),
    ((-0.5, -0.4, [0.4, 0.3, -0.2, 0.5], [1.1, -0.7, 1.3, -1.4]), "x = -0.5, f_0 < 0"),
    ((1.3, 0.7, [-0.3, 0.6, 0.25, -0.2], [0.9, -1.2, 0.8, 1.6]), "x = 1.3, f_1 < 0"),
    ((0.4, 2.0, [0.1, 0.5, -0.6, 0.3], [1.3, 0.9, -1.7, 1.2]), "x = 0.4, f_2 < 0"),
    ((0.6, 0.5, [0.3, 0.2, 0.4, -0.5], [1.2, 0.7, 0.9, -0.8]), "x = 0.6, the output f_3 < 0"),
    ((12.0, -30.0, [0.5, -2.0, 1.0, 4.0], [0.3, 1.5, 0.4, 2.5]), "x = 12, y = -30"),
]


def toy_cases():
    """The cases `check_toy_partials` uses: x and y floats, beta and omega arrays of shape (4,)."""
    return [
        Case((x, y, np.array(b, dtype=float), np.array(w, dtype=float)), text)
        for (x, y, b, w), text in _TOY
    ]


_OMEGA_FACTOR = (
    "the omega partials use the wrong factor: omega_k multiplies what flows into step k "
    "(h_k, with h_0 = x), so dl/domega_k is that input times dl/df_k"
)

TOY = Exercise(
    number="1.3",
    title="the toy network's eight partials, backwards",
    name="toy_partials",
    reference=toy_reference,
    cases=toy_cases,
    accepts="the pair (dl_dbeta, dl_domega), a tuple or a list, each a NumPy array or a list "
    "of 4 numbers, entry k belonging to beta_k and omega_k",
    returns=("dl_dbeta", "dl_domega"),
    variant=_toy_variant,
    derive=True,
    forbidden=(layer_backward, MLP.gradients, Value.backward),
    mistakes=(
        Mistake(
            "sign",
            "the magnitudes are right but every sign is flipped: look again at the first "
            "backward step, the derivative of the loss with respect to f_3",
            changes={"loss_factor": -2.0},
        ),
        Mistake(
            "missing_factor_2",
            "every partial is half the right value: differentiate the squared loss "
            "(f_3 - y)^2 again",
            changes={"loss_factor": 1.0},
        ),
        Mistake(
            "forgot_sigma_prime",
            "gradient flows back through a ReLU that is switched off (negative input f): the "
            "ReLU's derivative a' is missing from a backward step",
            changes={"a_prime": "one"},
        ),
        Mistake(
            "f_for_df",
            "a backward step multiplies by the ReLU itself, a(f) = max(0, f), where its "
            "derivative a'(f) (1 where f > 0, else 0) belongs",
            changes={"a_prime": "relu"},
        ),
        Mistake(
            "relu_on_output",
            "dl/df_3 carries a ReLU's derivative, but the last step is linear (f_3 is the "
            "output, no ReLU after it): the first backward step is the loss's derivative alone",
            changes={"output_prime": True},
        ),
        Mistake(
            "wrong_point",
            "the ReLU's derivative is taken at the wrong step: dl/df_(k-1) needs a' at "
            "f_(k-1), the input of the ReLU that produced h_k",
            changes={"prime_shift": 1},
        ),
        Mistake(
            "not_chained",
            "the backward steps do not build on each other: each one must reuse the "
            "derivative computed just before it, not restart from dl/df_3",
            changes={"restart": True},
        ),
        Mistake(
            "stops_early",
            "the partials of beta_0 and omega_0 are zero: the backward loop stops one step "
            "early and never reaches dl/df_0",
            changes={"first_k": 2},
        ),
        Mistake("output_for_input", _OMEGA_FACTOR, changes={"omega_factor": "h_(k+1)"}),
        Mistake("output_for_input", _OMEGA_FACTOR, changes={"omega_factor": "relu h_(k+1)"}),
        Mistake("output_for_input", _OMEGA_FACTOR, changes={"omega_factor": "f_k"}),
        Mistake(
            "reversed_order",
            "the values are right but each array is in reverse order: entry k must hold the "
            "partial for beta_k (or omega_k), k = 0 being the step that sees x",
            changes={"reverse": True},
        ),
    ),
)
EXERCISES = (GRAD_H, DF_DT, TOY)

check_grad_h = make_check(GRAD_H)
check_df_dt = make_check(DF_DT)
check_toy_partials = make_check(TOY)
