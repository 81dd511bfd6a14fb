"""Checks for the exercises of notebook 01 (the chain rule).

- Exercise 1.1, `check_df_dt`: the multivariate chain rule (MML 5.49) for
  f(x1, x2) = x1^2 x2 with x1(t) = cos t and x2(t) = t^2.
- Exercise 1.2, `check_toy_partials`: the eight partial derivatives of the squared loss of
  DL4DS's toy network f = beta3 + omega3 a[beta2 + omega2 a[beta1 + omega1 a[beta0 + omega0 x]]]
  with a = ReLU, computed backwards.

Each check compares the student's function with a reference on a few fixed inputs and names
the likely mistake when the output matches a known wrong implementation.
"""

import numpy as np

from bpcourse.exercises._core import Mistake, check

# ---------------------------------------------------------------- Exercise 1.1: df/dt


def _x_of_t(t):
    """The inner functions x1(t) = cos t, x2(t) = t^2 and their derivatives."""
    return np.cos(t), t**2, -np.sin(t), 2 * t


def _df_dt_reference(t):
    """df/dt = df/dx1 dx1/dt + df/dx2 dx2/dt, the partials taken at (x1(t), x2(t))."""
    x1, x2, dx1_dt, dx2_dt = _x_of_t(t)
    df_dx1, df_dx2 = 2 * x1 * x2, x1**2
    return df_dx1 * dx1_dt + df_dx2 * dx2_dt


def _df_dt_mistakes():
    def only_x1_path(t):
        x1, x2, dx1_dt, _ = _x_of_t(t)
        return 2 * x1 * x2 * dx1_dt

    def only_x2_path(t):
        x1, _, _, dx2_dt = _x_of_t(t)
        return x1**2 * dx2_dt

    def no_inner_derivatives(t):
        x1, x2, _, _ = _x_of_t(t)
        return 2 * x1 * x2 + x1**2

    def cos_derivative_sign(t):
        x1, x2, dx1_dt, dx2_dt = _x_of_t(t)
        return 2 * x1 * x2 * (-dx1_dt) + x1**2 * dx2_dt

    def partials_at_t(t):
        _, _, dx1_dt, dx2_dt = _x_of_t(t)
        return 2 * t * t * dx1_dt + t**2 * dx2_dt

    one_path = (
        "only one of the two routes from t to f is counted: t changes f through x1 and "
        "through x2, and the chain rule adds one term per route"
    )
    return [
        Mistake("missing_path", one_path, only_x1_path),
        Mistake("missing_path", one_path, only_x2_path),
        Mistake(
            "forgot_inner_derivative",
            "each partial derivative of f must be multiplied by how fast its variable "
            "moves with t: an inner derivative is missing",
            no_inner_derivatives,
        ),
        Mistake(
            "sign",
            "a sign is off in one of the inner derivatives: differentiate x1(t) again",
            cos_derivative_sign,
        ),
        Mistake(
            "wrong_point",
            "the partial derivatives of f are taken at the wrong point: they belong at "
            "(x1(t), x2(t)), not at (t, t)",
            partials_at_t,
        ),
    ]


def check_df_dt(df_dt):
    """Check Exercise 1.1: df/dt for f(x1, x2) = x1^2 x2, x1(t) = cos t, x2(t) = t^2.

    The multivariate chain rule (MML 5.49) says
    df/dt = df/dx1 * dx1/dt + df/dx2 * dx2/dt, the partials evaluated at (x1(t), x2(t)).

    Parameters
    ----------
    df_dt : callable
        The student's function: takes a float `t` and returns df/dt at t as a float.

    Returns
    -------
    Result
        Status ``"correct"``, ``"todo"``, ``"mistake"`` (diagnosis ``"missing_path"``,
        ``"forgot_inner_derivative"``, ``"sign"``, ``"wrong_point"``, ...), ``"wrong"`` or
        ``"error"``; ``.function`` is the student's function once correct, the reference
        until then.
    """
    cases = [(float(t),) for t in (0.4, 0.9, 1.7, 2.6, -1.2)]
    return check(
        "Exercise 1.1 (df/dt by the multivariate chain rule)",
        df_dt,
        _df_dt_reference,
        cases,
        _df_dt_mistakes(),
    )


# ---------------------------------------------------------------- Exercise 1.2: toy network


def _relu(z):
    return max(z, 0.0)


def _toy_forward(x, beta, omega):
    """Forward pass of the toy network: f_k = beta_k + omega_k h_k, h_(k+1) = ReLU(f_k).

    Returns the pre-activations f_0..f_3 and the inputs h_0 = x, h_1, h_2, h_3 of each
    linear step, both of shape (4,).
    """
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = _relu(f[k])
    return f, h


def _toy_backward(f, omega, dl_df3, step):
    """Backward loop: dl/df_3 is given, then dl/df_(k-1) = step(k, f, omega, dl_df), k = 3..1."""
    dl_df = np.zeros(4)
    dl_df[3] = dl_df3
    for k in range(3, 0, -1):
        dl_df[k - 1] = step(k, f, omega, dl_df)
    return dl_df


def _chained_step(k, f, omega, dl_df):
    """dl/df_(k-1) = ReLU'(f_(k-1)) omega_k dl/df_k (through h_k = ReLU(f_(k-1)))."""
    return float(f[k - 1] > 0) * omega[k] * dl_df[k]


def _toy_partials_reference(x, y, beta, omega):
    """dl/dbeta_k = dl/df_k and dl/domega_k = h_k dl/df_k for l = (f_3 - y)^2, k = 0..3."""
    f, h = _toy_forward(x, beta, omega)
    dl_df = _toy_backward(f, omega, 2 * (f[3] - y), _chained_step)
    return dl_df, h * dl_df


def _step_without_relu_derivative(k, f, omega, dl_df):
    return omega[k] * dl_df[k]


def _step_from_output(k, f, omega, dl_df):
    return float(f[k - 1] > 0) * omega[k] * dl_df[3]


def _toy_partials_mistakes():
    def loss_sign(x, y, beta, omega):
        f, h = _toy_forward(x, beta, omega)
        dl_df = _toy_backward(f, omega, 2 * (y - f[3]), _chained_step)
        return dl_df, h * dl_df

    def no_factor_2(x, y, beta, omega):
        f, h = _toy_forward(x, beta, omega)
        dl_df = _toy_backward(f, omega, f[3] - y, _chained_step)
        return dl_df, h * dl_df

    def no_relu_derivative(x, y, beta, omega):
        f, h = _toy_forward(x, beta, omega)
        dl_df = _toy_backward(f, omega, 2 * (f[3] - y), _step_without_relu_derivative)
        return dl_df, h * dl_df

    def not_chained(x, y, beta, omega):
        f, h = _toy_forward(x, beta, omega)
        dl_df = _toy_backward(f, omega, 2 * (f[3] - y), _step_from_output)
        return dl_df, h * dl_df

    def output_activation(x, y, beta, omega):
        f, _ = _toy_forward(x, beta, omega)
        dl_dbeta, _ = _toy_partials_reference(x, y, beta, omega)
        return dl_dbeta, np.maximum(f, 0.0) * dl_dbeta

    def reversed_order(x, y, beta, omega):
        dl_dbeta, dl_domega = _toy_partials_reference(x, y, beta, omega)
        return dl_dbeta[::-1], dl_domega[::-1]

    def swapped(x, y, beta, omega):
        dl_dbeta, dl_domega = _toy_partials_reference(x, y, beta, omega)
        return dl_domega, dl_dbeta

    return [
        Mistake(
            "sign",
            "the magnitudes are right but every sign is flipped: look again at the first "
            "backward step, the derivative of the loss with respect to the output",
            loss_sign,
        ),
        Mistake(
            "missing_factor_2",
            "every partial is half the right value: differentiate the squared loss again",
            no_factor_2,
        ),
        Mistake(
            "forgot_sigma_prime",
            "gradient flows back through a ReLU that is switched off (negative "
            "pre-activation): the activation's derivative is missing from a backward step",
            no_relu_derivative,
        ),
        Mistake(
            "not_chained",
            "the backward steps do not build on each other: each one must reuse the "
            "derivative computed just before it, not restart from the output",
            not_chained,
        ),
        Mistake(
            "wrong_activation",
            "the omega partials use the wrong activation: omega_k multiplies what flows "
            "into step k (h_k, with h_0 = x), not what comes out of it",
            output_activation,
        ),
        Mistake(
            "reversed_order",
            "the values are right but in reverse order: index k must hold the partials "
            "for beta_k and omega_k (k = 0 is the step that sees x)",
            reversed_order,
        ),
        Mistake(
            "swapped_outputs",
            "the values are right but the two arrays are swapped: return the beta "
            "partials first, then the omega partials",
            swapped,
        ),
    ]


# Each case is (x, y, beta, omega), every pre-activation at least 0.15 away from the ReLU's
# kink. The first keeps every unit on; each of the others switches one unit off, so that a
# forgotten ReLU derivative shows.
_TOY_CASES = [
    (0.8, 1.5, [0.2, -0.1, 0.3, 0.1], [1.5, 0.8, 1.2, 0.9]),
    (-0.5, -0.4, [0.4, 0.3, -0.2, 0.5], [1.1, -0.7, 1.3, -1.4]),
    (1.3, 0.7, [-0.3, 0.6, 0.25, -0.2], [0.9, -1.2, 0.8, 1.6]),
    (0.4, 2.0, [0.1, 0.5, -0.6, 0.3], [-1.3, 0.9, 1.7, 1.2]),
]


def toy_cases():
    """The inputs `check_toy_partials` uses: a list of (x, y, beta, omega) tuples.

    beta and omega are float64 arrays of shape (4,); index k is the step f_k.
    """
    return [(x, y, np.array(b, dtype=float), np.array(w, dtype=float)) for x, y, b, w in _TOY_CASES]


def check_toy_partials(toy_partials):
    """Check Exercise 1.2: the eight partials of the toy network's squared loss, backwards.

    The network is f_k = beta_k + omega_k h_k (k = 0..3) with h_0 = x and
    h_(k+1) = ReLU(f_k); the loss is l = (f_3 - y)^2. Backwards:
    dl/df_3 = 2 (f_3 - y), dl/df_(k-1) = ReLU'(f_(k-1)) omega_k dl/df_k, then
    dl/dbeta_k = dl/df_k and dl/domega_k = h_k dl/df_k.

    Parameters
    ----------
    toy_partials : callable
        The student's function ``toy_partials(x, y, beta, omega)`` with floats x, y and
        arrays beta, omega of shape (4,); returns ``(dl_dbeta, dl_domega)``, two arrays of
        shape (4,) whose index k belongs to beta_k and omega_k.

    Returns
    -------
    Result
        Status ``"correct"``, ``"todo"``, ``"mistake"`` (diagnosis ``"sign"``,
        ``"missing_factor_2"``, ``"forgot_sigma_prime"``, ``"not_chained"``,
        ``"wrong_activation"``, ``"reversed_order"``, ``"swapped_outputs"``, ...),
        ``"wrong"`` or ``"error"``; ``.function`` is the student's function once correct,
        the reference until then.
    """
    return check(
        "Exercise 1.2 (the toy network's eight partials, backwards)",
        toy_partials,
        _toy_partials_reference,
        toy_cases(),
        _toy_partials_mistakes(),
    )
