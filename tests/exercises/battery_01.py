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

import bpcourse.exercises as ex
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


def df_dt_by_value(t):
    """With the course's Value engine, which the prompt says the check refuses."""
    t_node = Value(t)
    f = t_node.cos() ** 2 * t_node**2
    f.backward()
    return t_node.grad


def toy_numerical_gradient(x, y, beta, omega):
    def loss(theta):
        h = x
        for k in range(4):
            f = theta[k] + theta[4 + k] * h
            h = max(f, 0.0) if k < 3 else f
        return (h - y) ** 2

    grad = numerical_gradient(loss, np.concatenate([beta, omega]).astype(float))
    return grad[:4], grad[4:]


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def toy_forward(x, beta, omega):
    """The forward table: pre-activations f_0..f_3 and step inputs h_0 = x, h_1..h_3, shape (4,)."""
    f, h = np.zeros(4), np.zeros(4)
    h[0] = x
    for k in range(4):
        f[k] = beta[k] + omega[k] * h[k]
        if k < 3:
            h[k + 1] = max(f[k], 0.0)
    return f, h


def _reference(check, nargs):
    return check(lambda *args: None).usable


def gh_r1(x, a, c):
    f = x @ x
    g = a @ x + c
    grad_f = 2 * x
    grad_g = a
    return g * grad_f + f * grad_g + grad_g


def gh_r2(x, a, c):
    n = len(x)
    f = sum(x[j] ** 2 for j in range(n))
    g = sum(a[j] * x[j] for j in range(n)) + c
    return [g * 2 * x[i] + f * a[i] + a[i] for i in range(n)]


def gh_r3(x, a, c):
    # factored: 2 g x + (f + 1) a
    return 2 * (np.dot(a, x) + c) * x + (np.dot(x, x) + 1) * a


def gh_r4(x, a, c):
    # sympy derives, then evaluated to floats
    n = len(x)
    X = sp.symbols(f"x0:{n}", real=True)
    f = sum(xi**2 for xi in X)
    g = sum(float(a[i]) * X[i] for i in range(n)) + float(c)
    h = f * g + g
    point = {X[i]: float(x[i]) for i in range(n)}
    return [float(sp.diff(h, X[i]).subs(point)) for i in range(n)]


def gh_r5(x, a, c):
    grad = np.zeros(len(x))
    f = float(np.sum(x**2))
    g = float(np.sum(a * x)) + c
    for i in range(len(x)):
        df_dxi = 2 * x[i]
        dg_dxi = a[i]
        grad[i] = df_dxi * g + f * dg_dxi + dg_dxi
    return grad


def gh_r6(x, a, c):
    f, g = np.einsum("i,i->", x, x), np.einsum("i,i->", a, x) + c
    return (g * 2 * x + (f + 1) * a).tolist()


def gh_w_prod_deriv(x, a, c):  # grad(fg) = grad f * grad g
    return 2 * x * a + a


def gh_w_prod_deriv_nosum(x, a, c):  # grad(fg) = grad f * grad g, and the +g forgotten too
    return 2 * x * a


def gh_w_prod_deriv_dot(x, a, c):  # the same mistake again, as a dot product this time
    return (2 * x) @ a + a


def gh_w_term_fgradg(x, a, c):  # only g grad f
    g = a @ x + c
    return g * 2 * x + a


def gh_w_term_ggradf(x, a, c):  # only f grad g
    f = x @ x
    return f * a + a


def gh_w_swapped(x, a, c):  # each gradient times its own function
    f, g = x @ x, a @ x + c
    return f * 2 * x + g * a + a


def gh_w_sum_term(x, a, c):  # the "+ g" term's gradient forgotten
    f, g = x @ x, a @ x + c
    return g * 2 * x + f * a


def gh_w_no_c(x, a, c):  # g without its constant
    f, g = x @ x, a @ x
    return g * 2 * x + f * a + a


def gh_w_grad_square(x, a, c):  # d(x_i^2)/dx_i = x_i
    f, g = x @ x, a @ x + c
    return g * x + f * a + a


def gh_w_value(x, a, c):  # returns h itself
    f, g = x @ x, a @ x + c
    return f * g + g


def gh_w_summed(x, a, c):  # sums the gradient
    f, g = x @ x, a @ x + c
    return np.sum(g * 2 * x + f * a + a)


def gh_w_fd(x, a, c):
    return numerical_gradient(lambda v: (v @ v) * (a @ v + c) + a @ v + c, x.copy())


def gh_w_inplace(x, a, c):  # builds the result in x
    f, g = x @ x, a @ x + c
    x *= 2 * g
    x += (f + 1) * a
    return x


def gh_w_sign(x, a, c):  # gradient of -h (sign flipped everywhere)
    f, g = x @ x, a @ x + c
    return -(g * 2 * x + f * a + a)


def gh_w_float32(x, a, c):
    x32, a32 = x.astype(np.float32), a.astype(np.float32)
    f, g = x32 @ x32, a32 @ x32 + np.float32(c)
    return g * 2 * x32 + f * a32 + a32


def gh_w_noreturn(x, a, c):
    f, g = x @ x, a @ x + c
    grad = g * 2 * x + f * a + a  # noqa: F841


def gh_w_column(x, a, c):  # a column, (n, 1)
    f, g = x @ x, a @ x + c
    return (g * 2 * x + f * a + a).reshape(-1, 1)


def gh_w_row(x, a, c):  # MML's 1 x n row
    f, g = x @ x, a @ x + c
    return np.atleast_2d(g * 2 * x + f * a + a)


def gh_w_sympy_matrix(x, a, c):  # a sympy Matrix returned
    n = len(x)
    X = sp.Matrix(sp.symbols(f"x0:{n}", real=True))
    f = (X.T * X)[0]
    g = (sp.Matrix(a).T * X)[0] + c
    grad = sp.Matrix([sp.diff(f * g + g, xi) for xi in X])
    return grad.subs(dict(zip(X, x)))


_ref_grad_h = _reference(ex.check_grad_h, 3)


def gh_w_reference(x, a, c):
    return _ref_grad_h(x, a, c)


def gh_w_grad_g_is_x(x, a, c):  # grad (a.x) taken as x
    f, g = x @ x, a @ x + c
    return g * 2 * x + f * x + x


def gh_w_elementwise_g(x, a, c):  # g = a * x + c element-wise, not a dot product
    f, g = x @ x, a * x + c
    return g * 2 * x + f * a + a


def gh_w_value_engine(x, a, c):  # the Value engine does the work, entry by entry
    xs = [Value(float(v)) for v in x]
    f = sum((v * v for v in xs), Value(0.0))
    g = sum((float(ai) * v for ai, v in zip(a, xs)), Value(0.0)) + c
    h = f * g + g
    h.backward()
    return [v.grad for v in xs]


def dt_r1(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * (-math.sin(t)) + x1**2 * (2 * t)


def dt_r2(t):
    x1, x2 = np.cos(t), t**2
    df_dx1, df_dx2 = 2 * x1 * x2, x1**2
    dx1_dt, dx2_dt = -np.sin(t), 2 * t
    return df_dx1 * dx1_dt + df_dx2 * dx2_dt


def dt_r3(t):
    T, X1, X2 = sp.symbols("t x1 x2", real=True)
    f = X1**2 * X2
    inner = {X1: sp.cos(T), X2: T**2}
    total = sum(sp.diff(f, Xi).subs(inner) * sp.diff(inner[Xi], T) for Xi in (X1, X2))
    return float(total.subs(T, t))


def dt_r4(t):
    x1, x2 = np.cos(t), t**2
    row = np.array([[2 * x1 * x2, x1**2]])  # 1 x 2
    col = np.array([[-np.sin(t)], [2 * t]])  # 2 x 1
    return (row @ col).item()


def dt_r5(t):
    return 2 * t * math.cos(t) ** 2 - 2 * t**2 * math.cos(t) * math.sin(t)


def dt_r6(t):
    return 2 * t * np.cos(t) ** 2 - t**2 * np.sin(2 * t)


def dt_w_path1(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * (-math.sin(t))


def dt_w_path2(t):
    x1 = math.cos(t)
    return x1**2 * 2 * t


def dt_w_no_inner(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 + x1**2


def dt_w_no_inner2(t):  # dx2/dt forgotten only
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * (-math.sin(t)) + x1**2


def dt_w_dcos(t):  # d cos / dt = sin
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * math.sin(t) + x1**2 * 2 * t


def dt_w_negated(t):
    x1, x2 = math.cos(t), t**2
    return -(2 * x1 * x2 * (-math.sin(t)) + x1**2 * 2 * t)


def dt_w_point_t(t):  # partials of f at (t, t) instead of (cos t, t^2)
    return 2 * t * t * (-math.sin(t)) + t**2 * 2 * t


def dt_w_inner_at_x1(t):  # dx1/dt evaluated at x1
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * (-math.sin(x1)) + x1**2 * 2 * t


def dt_w_multiplied(t):
    x1, x2 = math.cos(t), t**2
    return (2 * x1 * x2 * (-math.sin(t))) * (x1**2 * 2 * t)


def dt_w_tuple(t):
    x1, x2 = math.cos(t), t**2
    return 2 * x1 * x2 * (-math.sin(t)), x1**2 * 2 * t


def dt_w_sympy(t):  # a sympy number, not evaluated with float
    T = sp.Symbol("t")
    return sp.diff(sp.cos(T) ** 2 * T**2, T).subs(T, t)


def dt_w_sympy_expr(t):  # a sympy expression in t, never substituted
    T = sp.Symbol("t")
    return sp.diff(sp.cos(T) ** 2 * T**2, T)


def dt_w_fd(t):
    return numerical_gradient(lambda v: np.cos(v[0]) ** 2 * v[0] ** 2, np.array([float(t)]))[0]


_ref_df_dt = _reference(ex.check_df_dt, 1)


def dt_w_reference(t):
    return _ref_df_dt(t)


def dt_w_float32(t):
    t32 = np.float32(t)
    x1, x2 = np.cos(t32), t32**2
    return 2 * x1 * x2 * (-np.sin(t32)) + x1**2 * 2 * t32


def dt_w_noreturn(t):
    x1, x2 = math.cos(t), t**2
    result = 2 * x1 * x2 * (-math.sin(t)) + x1**2 * 2 * t  # noqa: F841


def dt_w_no2_power(t):  # d(x1^2)/dx1 = x1
    x1, x2 = math.cos(t), t**2
    return x1 * x2 * (-math.sin(t)) + x1**2 * 2 * t


def dt_w_prod_of_derivs(t):  # the product rule as a product of derivatives, in one line
    return (2 * math.cos(t) * -math.sin(t)) * (2 * t)


def dt_w_matrix(t):  # row @ column left as a 1 x 1 array
    x1, x2 = np.cos(t), t**2
    return np.array([[2 * x1 * x2, x1**2]]) @ np.array([[-np.sin(t)], [2 * t]])


def dt_w_value_engine(t):  # the Value engine
    tv = Value(float(t))
    f = tv.cos() ** 2 * tv**2
    f.backward()
    return tv.grad


def tp_r1(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    dl_df = np.zeros(4)
    dl_df[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        dl_df[k] = dl_df[k + 1] * omega[k + 1] * (f[k] > 0)
    return dl_df, dl_df * h


def tp_r2(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    dl_df3 = 2 * (f[3] - y)
    dl_dh3 = omega[3] * dl_df3
    dl_df2 = dl_dh3 * (1.0 if f[2] > 0 else 0.0)
    dl_dh2 = omega[2] * dl_df2
    dl_df1 = dl_dh2 * (1.0 if f[1] > 0 else 0.0)
    dl_dh1 = omega[1] * dl_df1
    dl_df0 = dl_dh1 * (1.0 if f[0] > 0 else 0.0)
    dl_dbeta = [dl_df0, dl_df1, dl_df2, dl_df3]
    dl_domega = [dl_df0 * h[0], dl_df1 * h[1], dl_df2 * h[2], dl_df3 * h[3]]
    return dl_dbeta, dl_domega


def tp_r3(x, y, beta, omega):  # relu' read from the stored h_{k+1} (notebook: same thing)
    f, h = toy_forward(x, beta, omega)
    dl_dbeta, dl_domega = [0.0] * 4, [0.0] * 4
    delta = 2 * (f[3] - y)
    for k in range(3, -1, -1):
        dl_dbeta[k] = delta
        dl_domega[k] = delta * h[k]
        if k > 0:
            delta = delta * omega[k] * (h[k] > 0)
    return (np.array(dl_dbeta), np.array(dl_domega))


def tp_r4(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    g = np.empty(4)
    g[3] = 2.0 * (f[3] - y)
    for k in reversed(range(3)):
        g[k] = np.heaviside(f[k], 0.0) * omega[k + 1] * g[k + 1]
    return [g.copy(), g * h]


def tp_r5(x, y, beta, omega):  # forward pass written out again, not toy_forward
    hs, fs = [x], []
    for k in range(4):
        fs.append(beta[k] + omega[k] * hs[k])
        if k < 3:
            hs.append(max(fs[k], 0.0))
    grads = [0.0] * 4
    grads[3] = 2 * (fs[3] - y)
    for k in (2, 1, 0):
        relu_prime = 1.0 if fs[k] > 0 else 0.0
        grads[k] = grads[k + 1] * omega[k + 1] * relu_prime
    return grads, [grads[k] * hs[k] for k in range(4)]


def tp_w_no2(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = f[3] - y
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def tp_w_sign(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (y - f[3])
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def tp_w_no_relu_prime(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1]
    return d, d * h


def tp_w_relu_for_prime(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * max(f[k], 0.0)
    return d, d * h


def tp_w_relu_on_output(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y) * (f[3] > 0)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def tp_w_prime_next(x, y, beta, omega):  # relu' taken at f_{k+1} instead of f_k
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k + 1] > 0)
    return d, d * h


def tp_w_prime_h_k(x, y, beta, omega):  # relu' read from h_k, one index too early (h_0 = x)
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (h[k] > 0)
    return d, d * h


def tp_w_not_chained(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    g = 2 * (f[3] - y)
    d = np.array([g * omega[k + 1] * (f[k] > 0) for k in range(3)] + [g])
    return d, d * h


def tp_w_stops_early(x, y, beta, omega):  # range(2, 0, -1) never reaches k = 0
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in range(2, 0, -1):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def tp_w_output_for_input(x, y, beta, omega):  # dl/domega_k = dl/df_k * h_{k+1} (its output)
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    outputs = np.array([h[1], h[2], h[3], f[3]])
    return d, d * outputs


def tp_w_reversed(x, y, beta, omega):  # stored in the order computed: index 0 holds k = 3
    f, h = toy_forward(x, beta, omega)
    db, dw = [], []
    g = 2 * (f[3] - y)
    for k in (3, 2, 1, 0):
        db.append(g)
        dw.append(g * h[k])
        if k > 0:
            g = g * omega[k] * (f[k - 1] > 0)
    return db, dw


def tp_w_pair_swapped(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d * h, d


def tp_w_fd(x, y, beta, omega):
    def loss(theta):
        b, w = theta[:4], theta[4:]
        f, _ = toy_forward(x, b, w)
        return (f[3] - y) ** 2

    g = numerical_gradient(loss, np.concatenate([beta, omega]).astype(float))
    return g[:4], g[4:]


def tp_w_inplace(x, y, beta, omega):  # beta used as the buffer for dl/df
    f, h = toy_forward(x, beta, omega)
    d = beta
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * h


def tp_w_omega_k(x, y, beta, omega):  # multiplies by omega_k instead of omega_{k+1}
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k] * (f[k] > 0)
    return d, d * h


def tp_w_concat(x, y, beta, omega):  # one array of 8
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return np.concatenate([d, d * h])


def tp_w_float32(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    f, h = f.astype(np.float32), h.astype(np.float32)
    d = np.zeros(4, dtype=np.float32)
    d[3] = 2 * (f[3] - np.float32(y))
    for k in (2, 1, 0):
        d[k] = d[k + 1] * np.float32(omega[k + 1]) * (f[k] > 0)
    return d, d * h


def tp_w_noreturn(x, y, beta, omega):
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    dl_dbeta, dl_domega = d, d * h  # noqa: F841


_ref_toy = _reference(ex.check_toy_partials, 4)


def tp_w_reference(x, y, beta, omega):
    return _ref_toy(x, y, beta, omega)


def tp_w_value_engine(x, y, beta, omega):  # the Value engine does the backward pass
    B = [Value(float(b)) for b in beta]
    W = [Value(float(w)) for w in omega]
    h = Value(float(x))
    for k in range(4):
        f = W[k] * h + B[k]
        h = f.relu() if k < 3 else f
    loss = (h - y) ** 2
    loss.backward()
    return [b.grad for b in B], [w.grad for w in W]


def tp_w_weight_for_input(x, y, beta, omega):  # dl/domega_k = dl/df_k * omega_k
    f, h = toy_forward(x, beta, omega)
    d = np.zeros(4)
    d[3] = 2 * (f[3] - y)
    for k in (2, 1, 0):
        d[k] = d[k + 1] * omega[k + 1] * (f[k] > 0)
    return d, d * omega


BATTERY = {
    "grad_h": {
        "right": [
            grad_h_by_rules,
            grad_h_loop,
            grad_h_factored,
            grad_h_sympy,
            gh_r1,
            gh_r2,
            gh_r3,
            gh_r4,
            gh_r5,
            gh_r6,
        ],
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
            (grad_h_value, "uses_reference"),  # Value does the chain rule for you
            (grad_h_in_place, "modified_input"),
            (gh_w_prod_deriv, "product_of_derivatives"),
            (gh_w_prod_deriv_nosum, None),
            (gh_w_prod_deriv_dot, None),
            (gh_w_term_fgradg, "product_rule_term"),
            (gh_w_term_ggradf, "product_rule_term"),
            (gh_w_swapped, "product_rule_swapped"),
            (gh_w_sum_term, "sum_rule_term"),
            (gh_w_no_c, "forgot_constant"),
            (gh_w_grad_square, "gradient_of_square"),
            (gh_w_value, None),
            (gh_w_summed, "summed"),
            (gh_w_fd, "finite_differences"),
            (gh_w_inplace, "modified_input"),
            (gh_w_sign, "sign"),
            (gh_w_float32, "precision"),
            (gh_w_noreturn, "not_a_result"),
            (gh_w_column, "shape"),
            (gh_w_row, "shape"),
            (gh_w_sympy_matrix, "not_a_result"),
            (gh_w_reference, "uses_reference"),
            (gh_w_grad_g_is_x, None),
            (gh_w_elementwise_g, None),
            (gh_w_value_engine, None),
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
            dt_r1,
            dt_r2,
            dt_r3,
            dt_r4,
            dt_r5,
            dt_r6,
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
            (df_dt_by_value, "uses_reference"),  # Value does the chain rule for you
            (dt_w_path1, "missing_path"),
            (dt_w_path2, "missing_path"),
            (dt_w_no_inner, "forgot_inner_derivative"),
            (dt_w_no_inner2, None),
            (dt_w_dcos, "sign"),
            (dt_w_negated, "sign"),
            (dt_w_point_t, "wrong_point"),
            (dt_w_inner_at_x1, None),
            (dt_w_multiplied, "terms_not_added"),
            (dt_w_tuple, "terms_not_added"),
            (dt_w_sympy, "not_a_result"),
            (dt_w_sympy_expr, "not_a_result"),
            (dt_w_fd, "finite_differences"),
            (dt_w_reference, "uses_reference"),
            (dt_w_float32, "precision"),
            (dt_w_noreturn, "not_a_result"),
            (dt_w_no2_power, None),
            (dt_w_prod_of_derivs, None),
            (dt_w_matrix, "shape"),
            (dt_w_value_engine, None),
        ],
    },
    "toy_partials": {
        "right": [
            toy_loop,
            toy_unrolled_lists,
            toy_indicator_from_h,
            toy_loop_2,
            toy_unrolled_lists_2,
            toy_indicator_from_h_2,
            tp_r1,
            tp_r2,
            tp_r3,
            tp_r4,
            tp_r5,
        ],
        "wrong": [
            (toy_by_value, "uses_reference"),
            (toy_with_value, "uses_reference"),
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
            (tp_w_no2, "missing_factor_2"),
            (tp_w_sign, "sign"),
            (tp_w_no_relu_prime, "forgot_sigma_prime"),
            (tp_w_relu_for_prime, "f_for_df"),
            (tp_w_relu_on_output, "relu_on_output"),
            (tp_w_prime_next, "wrong_point"),
            (tp_w_prime_h_k, None),
            (tp_w_not_chained, "not_chained"),
            (tp_w_stops_early, "stops_early"),
            (tp_w_output_for_input, "output_for_input"),
            (tp_w_reversed, "reversed_order"),
            (tp_w_pair_swapped, "output_order"),
            (tp_w_fd, "finite_differences"),
            (tp_w_inplace, "modified_input"),
            (tp_w_omega_k, None),
            (tp_w_concat, "not_a_result"),
            (tp_w_float32, "precision"),
            (tp_w_noreturn, "not_a_result"),
            (tp_w_reference, "uses_reference"),
            (tp_w_value_engine, None),
            (tp_w_weight_for_input, None),
        ],
    },
}
