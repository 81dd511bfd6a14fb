"""Answers to notebook 01's exercises, written the way students write them.

One battery per notebook: the team's answers and the cold students' (who wrote theirs from the
student edition and the checks' public docstrings, never the checks' code) merged, duplicates
dropped. Right answers in other styles must be accepted; each wrong answer must be rejected
and, where a key is given, named with it (None: rejected, the message says where it differs).
tests/test_exercise_batteries.py runs them; tools/exercise_battery.py reports on them.
"""

import math

import numpy as np
import sympy as sp

from bpcourse.autodiff import Value
from bpcourse.gradcheck import numerical_gradient


def df_dt_by_paths(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t


def df_dt_expanded(t):
    """Substitute first, f(t) = cos(t)^2 t^2, then the product rule."""
    return -2 * math.cos(t) * math.sin(t) * t**2 + 2 * t * math.cos(t) ** 2


def df_dt_numpy_vector(t):
    grad_f = np.array([2 * np.cos(t) * t**2, np.cos(t) ** 2])  # at (x1(t), x2(t))
    dx_dt = np.array([-np.sin(t), 2 * t])
    return grad_f @ dx_dt  # a NumPy float


def df_dt_sympy_then_float(t):
    tau = sp.Symbol("tau")
    return float(sp.diff(sp.cos(tau) ** 2 * tau**2, tau).subs(tau, t))


def df_dt_zero_d_array(t):
    return np.asarray(np.dot([2 * np.cos(t) * t * t, np.cos(t) ** 2], [-np.sin(t), 2 * t]))


def df_dt_only_x1(t):
    return 2 * math.cos(t) * t**2 * -math.sin(t)


def df_dt_only_x2(t):
    return math.cos(t) ** 2 * 2 * t


def df_dt_no_inner(t):
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2 + x1 * x1


def df_dt_sin_sign(t):
    x1, x2 = math.cos(t), t * t
    return 2 * x1 * x2 * math.sin(t) + x1 * x1 * 2 * t


def df_dt_at_t(t):
    return 2 * t * t * -math.sin(t) + t * t * 2 * t


def df_dt_no_return(t):
    x1, x2 = math.cos(t), t**2
    2 * x1 * x2 * -math.sin(t) + x1**2 * 2 * t  # noqa: B018


def df_dt_sympy_expression(t):
    tau = sp.Symbol("tau")
    return sp.diff(sp.cos(tau) ** 2 * tau**2, tau)


def df_dt_two_terms(t):
    x1, x2 = math.cos(t), t**2
    return [2 * x1 * x2 * -math.sin(t), x1**2 * 2 * t]


def df_dt_float32(t):
    t = np.float32(t)
    return np.float32(2) * np.cos(t) * t * t * -np.sin(t) + np.cos(t) ** 2 * np.float32(2) * t


def df_dt_all_negated(t):
    return -df_dt_by_paths(t)


def df_dt_raises(t):
    return 2 * x1 * t  # noqa: F821 (a name the student never defined)


def df_dt_terms_product(t):
    grad_f = np.array([2 * np.cos(t) * t**2, np.cos(t) ** 2])
    dx_dt = np.array([-np.sin(t), 2 * t])
    return np.prod(grad_f * dx_dt)  # the two route terms, multiplied


def df_dt_terms_array(t):
    x1, x2 = math.cos(t), t * t
    return np.array([2 * x1 * x2 * -math.sin(t), x1 * x1 * 2 * t])  # not summed


def df_dt_sums_multiplied(t):
    x1, x2 = math.cos(t), t * t
    df_dx = 2 * x1 * x2 + x1**2
    dx_dt = -math.sin(t) + 2 * t
    return df_dx * dx_dt


def df_dt_with_partials(t):
    x1, x2 = math.cos(t), t * t
    df_dx1, df_dx2 = 2 * x1 * x2, x1 * x1
    return df_dx1 * -math.sin(t) + df_dx2 * 2 * t, df_dx1, df_dx2  # extra values kept


def df_dt_dx2_as_t(t):
    x1 = math.cos(t)
    return 2 * x1 * t * t * -math.sin(t) + x1**2 * t  # dx2/dt written t


def toy_loop(x, y, beta, omega):
    """As the notebook's solution: forward table, then dl/df backwards."""
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    dl_df = np.zeros(4)
    dl_df[3] = 2 * (f[3] - y)
    for k in range(3, 0, -1):
        dl_df[k - 1] = (f[k - 1] > 0) * omega[k] * dl_df[k]
    return dl_df, h * dl_df


def toy_unrolled_lists(x, y, beta, omega):
    """Every line written out, lists returned."""
    b0, b1, b2, b3 = beta
    w0, w1, w2, w3 = omega
    f0 = b0 + w0 * x
    h1 = max(f0, 0)
    f1 = b1 + w1 * h1
    h2 = max(f1, 0)
    f2 = b2 + w2 * h2
    h3 = max(f2, 0)
    f3 = b3 + w3 * h3
    d3 = 2 * (f3 - y)
    d2 = (1 if f2 > 0 else 0) * w3 * d3
    d1 = (1 if f1 > 0 else 0) * w2 * d2
    d0 = (1 if f0 > 0 else 0) * w1 * d1
    return [d0, d1, d2, d3], [x * d0, h1 * d1, h2 * d2, h3 * d3]


def toy_indicator_from_h(x, y, beta, omega):
    """a'(f_(k-1)) read from h_k > 0, the partials built with np.where, a list of two arrays."""
    h, f = [x], []
    for k in range(4):
        f.append(beta[k] + omega[k] * h[-1])
        h.append(np.maximum(f[-1], 0.0))
    h = np.array(h[:4], dtype=float)
    dl_df = [0.0] * 4
    dl_df[3] = 2.0 * (f[3] - y)
    for k in (3, 2, 1):
        dl_df[k - 1] = np.where(h[k] > 0, omega[k] * dl_df[k], 0.0)
    dl_df = np.array(dl_df, dtype=float)
    return [dl_df, h * dl_df]


def toy_by_value(x, y, beta, omega):
    """With the course's own autodiff engine."""
    B = [Value(b) for b in beta]
    W = [Value(w) for w in omega]
    h = Value(x)
    for k in range(4):
        f = W[k] * h + B[k]
        h = f.relu() if k < 3 else f
    loss = (h - y) ** 2
    loss.backward()
    return np.array([b.grad for b in B]), np.array([w.grad for w in W])


def _toy_student(x, y, beta, omega, slip=None):
    """A student's loop, written here with one slip at a time."""
    f, h = np.zeros(4), np.zeros(5)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0) if k < 3 else f[k]
    dl_df = np.zeros(4)
    dl_df[3] = {"sign": 2 * (y - f[3]), "half": f[3] - y}.get(slip, 2 * (f[3] - y))
    stop = 1 if slip == "early" else 0
    for k in range(3, stop, -1):
        if slip == "no_prime":
            prime = 1.0
        elif slip == "relu_for_prime":
            prime = max(f[k - 1], 0.0)
        elif slip == "prime_at_f_k":
            prime = 1.0 if f[k] > 0 else 0.0
        elif slip == "h_ge_0":
            prime = 1.0 if h[k] >= 0 else 0.0
        else:
            prime = 1.0 if f[k - 1] > 0 else 0.0
        upstream = dl_df[3] if slip == "restart" else dl_df[k]
        dl_df[k - 1] = prime * omega[k] * upstream
    if slip == "omega_times_output":
        return dl_df, h[1:] * dl_df
    if slip == "omega_times_f":
        return dl_df, f * dl_df
    return dl_df, h[:4] * dl_df


def _slip(name):
    def student(x, y, beta, omega):
        return _toy_student(x, y, beta, omega, name)

    student.__name__ = f"toy_{name}"
    return student


def toy_swapped(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    return dl_domega, dl_dbeta


def toy_reversed(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    return dl_dbeta[::-1], dl_domega[::-1]


def toy_no_return(x, y, beta, omega):
    toy_loop(x, y, beta, omega)


def toy_one_array(x, y, beta, omega):
    return np.concatenate(toy_loop(x, y, beta, omega))


def toy_changes_beta(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(x, y, beta, omega)
    beta -= 0.1 * dl_dbeta  # a gradient step on the caller's array
    return dl_dbeta, dl_domega


def toy_float32(x, y, beta, omega):
    dl_dbeta, dl_domega = toy_loop(np.float32(x), np.float32(y), beta.astype(np.float32), omega)
    return dl_dbeta.astype(np.float32), dl_domega.astype(np.float32)


def toy_dl_dh_as_dl_df(x, y, beta, omega):
    """dl/domega_k from dl/dh_(k+1) = omega_(k+1) dl/df_(k+1): not a named kind."""
    dl_dbeta, _ = toy_loop(x, y, beta, omega)
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(3):
        f[k] = beta[k] + omega[k] * h[k]
        h[k + 1] = max(f[k], 0.0)
    return dl_dbeta, h * np.append(omega[1:] * dl_dbeta[1:], dl_dbeta[3])


def dfdt_row_times_column(t):
    x1, x2 = np.cos(t), t**2
    grad_f = np.array([2 * x1 * x2, x1**2])
    dx_dt = np.array([-np.sin(t), 2 * t])
    return np.dot(grad_f, dx_dt)


def dfdt_sympy(t):
    T = sp.symbols("T")
    return float(sp.diff(sp.cos(T) ** 2 * T**2, T).subs(T, t))


def dfdt_factored(t):
    return 2 * t * math.cos(t) * (math.cos(t) - t * math.sin(t))


def dfdt_0d_array(t):
    return np.array(2 * np.cos(t) * t**2 * -np.sin(t) + np.cos(t) ** 2 * 2 * t)


def dfdt_multiplied(t):
    x1, x2 = math.cos(t), t**2
    return (2 * x1 * x2 * -math.sin(t)) * (x1**2 * 2 * t)


def dfdt_extra_values(t):
    x1, x2 = math.cos(t), t**2
    a, b = 2 * x1 * x2 * -math.sin(t), x1**2 * 2 * t
    return a + b, a, b


def dfdt_float32(t):
    t = np.float32(t)
    return 2 * np.cos(t) * t**2 * -np.sin(t) + np.cos(t) ** 2 * 2 * t


def _toy_fwd(x, beta, omega):
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    return f, h


def toy_loop_2(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (1.0 if f[k] > 0 else 0.0)
    return d, d * h


def toy_unrolled_lists_2(x, y, beta, omega):
    f0 = beta[0] + omega[0] * x
    h1 = max(f0, 0.0)
    f1 = beta[1] + omega[1] * h1
    h2 = max(f1, 0.0)
    f2 = beta[2] + omega[2] * h2
    h3 = max(f2, 0.0)
    f3 = beta[3] + omega[3] * h3
    d3 = 2 * (f3 - y)
    d2 = d3 * omega[3] * (f2 > 0)
    d1 = d2 * omega[2] * (f1 > 0)
    d0 = d1 * omega[1] * (f0 > 0)
    return [float(d0), float(d1), float(d2), float(d3)], [
        float(d0 * x),
        float(d1 * h1),
        float(d2 * h2),
        float(d3 * h3),
    ]


def toy_with_value(x, y, beta, omega):
    B = [Value(float(b)) for b in beta]
    W = [Value(float(w)) for w in omega]
    h = Value(x)
    for k in range(4):
        f = W[k] * h + B[k]
        h = f.relu() if k < 3 else f
    loss = (h + Value(-y)) ** 2
    loss.backward()
    return np.array([b.grad for b in B]), np.array([w.grad for w in W])


def toy_indicator_from_h_2(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = [0.0] * 4
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * float(h[k + 1] > 0)  # a'(f_k) read from h_(k+1)
    d = np.array(d)
    return (d, d * h)


def toy_relu_for_prime(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * max(f[k], 0.0)  # a instead of a'
    return d, d * h


def toy_output_for_input(x, y, beta, omega):
    f, h = _toy_fwd(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, -1, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    out = np.append(h[1:], max(f[3], 0.0))  # h_(k+1) where h_k belongs
    return d, d * out


def toy_descends_in_place(x, y, beta, omega):
    d_beta, d_omega = toy_loop_2(x, y, beta, omega)
    beta -= 0.1 * d_beta  # "one step of descent", on the caller's array
    omega -= 0.1 * d_omega
    return d_beta, d_omega


# ---------------------------------------------------------------- Exercise 1.1: grad h
def grad_h_by_rules(x, a, c):
    f, g = x @ x, a @ x + c
    return 2 * x * g + f * a + a


def grad_h_loop(x, a, c):
    """One partial derivative at a time, in plain Python."""
    n = len(x)
    f = sum(x[i] ** 2 for i in range(n))
    g = sum(a[i] * x[i] for i in range(n)) + c
    return [2 * x[i] * g + f * a[i] + a[i] for i in range(n)]


def grad_h_factored(x, a, c):
    """(f + 1) grad g + g grad f: the two terms with a grad g collected."""
    return (np.dot(x, x) + 1) * a + 2 * (np.dot(a, x) + c) * x


def grad_h_sympy(x, a, c):
    n = len(x)
    xs = sp.symbols(f"x0:{n}")
    f = sum(v**2 for v in xs)
    g = sum(ai * v for ai, v in zip(a, xs)) + c
    h = f * g + g
    at = dict(zip(xs, x))
    return np.array([float(sp.diff(h, v).subs(at)) for v in xs])


def grad_h_value(x, a, c):
    """With the course's Value engine, one node per x_i."""
    xs = [Value(float(v)) for v in x]
    f = sum((v * v for v in xs), Value(0.0))
    g = sum((float(ai) * v for ai, v in zip(a, xs)), Value(float(c)))
    h = f * g + g
    h.backward()
    return np.array([v.grad for v in xs])


def grad_h_times_grads(x, a, c):
    return 2 * x * a + a  # (f g)' taken as f' g'


def grad_h_only_grad_f_g(x, a, c):
    return 2 * x * (a @ x + c) + a


def grad_h_only_f_grad_g(x, a, c):
    return (x @ x) * a + a


def grad_h_no_plus_g(x, a, c):
    return 2 * x * (a @ x + c) + (x @ x) * a


def grad_h_x_not_2x(x, a, c):
    return x * (a @ x + c) + (x @ x) * a + a


def grad_h_swapped_factors(x, a, c):
    return 2 * x * (x @ x) + (a @ x + c) * a + a


def grad_h_as_number(x, a, c):
    return float(np.sum(2 * x * (a @ x + c) + (x @ x) * a + a))


def grad_h_row(x, a, c):
    return (2 * x * (a @ x + c) + (x @ x) * a + a).reshape(1, -1)


def grad_h_forgot_c(x, a, c):
    return 2 * x * (a @ x) + (x @ x) * a + a


def grad_h_finite_differences(x, a, c):
    def h(v):
        return (v @ v) * (a @ v + c) + a @ v + c

    grad = np.zeros(len(x))
    for i in range(len(x)):
        step = np.zeros(len(x))
        step[i] = 1e-6 * max(1.0, abs(x[i]))
        grad[i] = (h(x + step) - h(x - step)) / (2 * step[i])
    return grad


def grad_h_adds_g_itself(x, a, c):
    """The "+ g" of h differentiated into g itself."""
    g = np.dot(a, x) + c
    return 2 * x * g + np.dot(x, x) * a + g


def grad_h_in_place(x, a, c):
    g = a @ x + c
    f = x @ x
    x *= 2 * g  # reuses x's memory
    return x + f * a + a


# ------------------------------------------------- Exercise 1.3: a ReLU' at the linear output
def toy_relu_prime_at_output(x, y, beta, omega):
    """dl/df_3 multiplied by the ReLU's derivative at f_3, as if the output had a ReLU."""
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    dl_df = np.zeros(4)
    dl_df[3] = 2 * (f[3] - y) * (f[3] > 0)
    for k in range(3, 0, -1):
        dl_df[k - 1] = (f[k - 1] > 0) * omega[k] * dl_df[k]
    return dl_df, h * dl_df


# ------------------------------------------- finite differences where a derivation is asked
def fd_derivative(fun, x0):
    """The notebook's helper: central finite-difference derivative of a function of one number."""
    return numerical_gradient(lambda v: fun(v[0]), np.array([float(x0)]))[0]


def df_dt_with_fd_helper(t):
    return fd_derivative(lambda u: math.cos(u) ** 2 * u**2, t)


def df_dt_central_difference_by_hand(t):
    step = 1e-6
    f = lambda u: math.cos(u) ** 2 * u**2  # noqa: E731
    return (f(t + step) - f(t - step)) / (2 * step)


def toy_numerical_gradient(x, y, beta, omega):
    def loss(theta):
        h = x
        for k in range(4):
            f = theta[k] + theta[4 + k] * h
            h = max(f, 0.0) if k < 3 else f
        return (h - y) ** 2

    grad = numerical_gradient(loss, np.concatenate([beta, omega]).astype(float))
    return grad[:4], grad[4:]


BATTERY = {
    "grad_h": {
        "right": [grad_h_by_rules, grad_h_loop, grad_h_factored, grad_h_sympy, grad_h_value],
        "wrong": [
            (grad_h_times_grads, "product_of_derivatives"),
            (grad_h_only_grad_f_g, "product_rule_term"),
            (grad_h_only_f_grad_g, "product_rule_term"),
            (grad_h_no_plus_g, "sum_rule_term"),
            (grad_h_x_not_2x, "gradient_of_square"),
            (grad_h_swapped_factors, "product_rule_swapped"),
            (grad_h_as_number, "summed"),
            (grad_h_row, "shape"),
            (grad_h_forgot_c, "forgot_constant"),
            (grad_h_adds_g_itself, "value_for_gradient"),
            (grad_h_finite_differences, "finite_differences"),
            (grad_h_in_place, "modified_input"),
        ],
    },
    "df_dt": {
        "right": [
            df_dt_by_paths,
            df_dt_expanded,
            df_dt_numpy_vector,
            df_dt_sympy_then_float,
            df_dt_zero_d_array,
            dfdt_row_times_column,
            dfdt_sympy,
            dfdt_factored,
            dfdt_0d_array,
        ],
        "wrong": [
            (df_dt_only_x1, "missing_path"),
            (df_dt_only_x2, "missing_path"),
            (df_dt_no_inner, "forgot_inner_derivative"),
            (df_dt_sin_sign, "sign"),
            (df_dt_at_t, "wrong_point"),
            (df_dt_no_return, "not_a_result"),
            (df_dt_sympy_expression, "not_a_result"),
            (df_dt_two_terms, "terms_not_added"),
            (df_dt_float32, "precision"),
            (df_dt_all_negated, "sign"),
            (df_dt_raises, "raised"),
            (df_dt_terms_product, "terms_not_added"),
            (df_dt_terms_array, "terms_not_added"),
            (df_dt_sums_multiplied, "terms_not_added"),
            (df_dt_with_partials, "not_a_result"),
            (df_dt_dx2_as_t, None),
            (dfdt_multiplied, "terms_not_added"),
            (dfdt_extra_values, "not_a_result"),
            (dfdt_float32, "precision"),
            (df_dt_with_fd_helper, "finite_differences"),
            (df_dt_central_difference_by_hand, "finite_differences"),
        ],
    },
    "toy_partials": {
        "right": [
            toy_loop,
            toy_unrolled_lists,
            toy_indicator_from_h,
            toy_by_value,
            toy_loop_2,
            toy_unrolled_lists_2,
            toy_with_value,
            toy_indicator_from_h_2,
        ],
        "wrong": [
            (_slip("sign"), "sign"),
            (_slip("half"), "missing_factor_2"),
            (_slip("no_prime"), "forgot_sigma_prime"),
            (_slip("h_ge_0"), "forgot_sigma_prime"),
            (_slip("relu_for_prime"), "f_for_df"),
            (_slip("prime_at_f_k"), "wrong_point"),
            (_slip("restart"), "not_chained"),
            (_slip("early"), "stops_early"),
            (_slip("omega_times_output"), "output_for_input"),
            (_slip("omega_times_f"), "output_for_input"),
            (toy_swapped, "output_order"),
            (toy_reversed, "reversed_order"),
            (toy_no_return, "not_a_result"),
            (toy_one_array, "not_a_result"),
            (toy_changes_beta, "modified_input"),
            (toy_float32, "precision"),
            (toy_relu_prime_at_output, "relu_on_output"),
            (toy_dl_dh_as_dl_df, None),
            (toy_relu_for_prime, "f_for_df"),
            (toy_output_for_input, "output_for_input"),
            (toy_descends_in_place, "modified_input"),
            (toy_numerical_gradient, "finite_differences"),
        ],
    },
}
