"""Answers to notebook 08's exercises (8.1 logistic_gradient, 8.2 log_sigmoid), written the way
students write them.

One battery per notebook: the team's answers (formerly tests/test_exercises_logistic_regression.py)
and a cold student's (formerly tests/test_exercises_cold_student_08.py, written from the student
edition and the checks' public docstrings, never the checks' code) merged, duplicates dropped;
then answers added with the spec port for its new cases (N = 1, D = 1, margins near 10 of both
signs; log sigma at margins between 15 and 20, around 709.8 and out to 1e150) and its new
verdicts (a call of the course's function, finite differences, a series cut off too early, a
float32 computation cast back to float64). Right answers in other styles must be accepted; each
wrong answer must be rejected and, where a key is given, named with it (None: rejected, the
message says where it differs). tests/test_exercise_batteries.py runs them;
tools/exercise_battery.py reports on them.
"""

import math
import warnings

import numpy as np

from bpcourse import logistic
from bpcourse.activations import sigmoid


def sig(s):
    """A student's own stable sigmoid, for loops over single numbers."""
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


def grad_vector(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * np.exp(-np.logaddexp(0.0, m))  # y_n sigma(-m_n)
    dw, db = -(X.T @ u), -np.sum(u)
    if reduction == "mean":
        return dw / len(y), db / len(y)
    return dw, db


def grad_loop(w, b, X, y, reduction="sum"):
    N, D = X.shape
    dw, db = [0.0] * D, 0.0
    for n in range(N):
        m = y[n] * (sum(w[d] * X[n, d] for d in range(D)) + b)
        weight = y[n] * sig(-m)
        db -= weight
        for d in range(D):
            dw[d] -= weight * X[n, d]
    if reduction == "mean":
        dw, db = [v / N for v in dw], db / N
    return np.array(dw), float(db)


def grad_einsum(w, b, X, y, reduction="sum"):
    s = np.einsum("nd,d->n", X, w) + b
    u = y / (1.0 + np.exp(np.clip(y * s, -700, 700)))
    dw = -np.einsum("n,nd->d", u, X)
    scale = 1.0 / len(y) if reduction == "mean" else 1.0
    return dw * scale, -u.sum() * scale


def grad_via_zero_one_labels(w, b, X, y, reduction="sum"):
    """Right: convert to t in {0, 1}; the binary cross-entropy's gradient is X^T (p - t)."""
    t = (y + 1) / 2
    p = 1 / (1 + np.exp(-np.dot(X, w) - b))
    dw, db = np.dot(X.T, p - t), np.sum(p - t)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def knobs(weight=None, label=True, bias=True, sign=-1.0, divide=None, dtype=np.float64):
    """A vectorised gradient with one slip: weight(m) for sigma(-m), no y_n, no b, + sign, a
    forced normalisation (divide: "never", "always", "twice" for mean), a precision."""

    def student(w, b, X, y, reduction="sum"):
        Xc, wc = X.astype(dtype), w.astype(dtype)
        m = y * (Xc @ wc + (b if bias else 0.0))
        weight_m = weight(m) if weight else 1 / (1 + np.exp(m))
        u = (y if label else 1.0) * weight_m
        dw, db = sign * (u @ Xc), sign * u.sum()
        n = len(y)
        if divide == "never":
            pass
        elif divide == "always":
            dw, db = dw / n, db / n
        elif divide == "twice":
            if reduction == "mean":
                dw, db = dw / n / n, db / n / n
        elif reduction == "mean":
            dw, db = dw / n, db / n
        return dw, db

    return student


def grad_p_minus_y(w, b, X, y, reduction="sum"):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    dw, db = X.T @ (p - y), np.sum(p - y)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def grad_y_minus_p(w, b, X, y, reduction="sum"):
    dw, db = grad_p_minus_y(w, b, X, y, reduction)
    return -dw, -db


def grad_forgot_return(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)  # noqa: F841 (the slip under test)


def grad_in_place(w, b, X, y, reduction="sum"):
    X *= y[:, None]  # rows y_n x_n, computed into the caller's X
    u = 1 / (1 + np.exp(X @ w + y * b))
    dw, db = -(u @ X), -np.sum(u * y)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def grad_swapped(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return db, dw


def grad_db_as_array(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw, np.array([db])


def grad_dw_as_list(w, b, X, y, reduction="sum"):
    dw, db = grad_loop(w, b, X, y, reduction)
    return list(dw), db


def grad_db_sign(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw, -db


def grad_no_default(w, b, X, y, reduction):
    return grad_vector(w, b, X, y, reduction)


def grad_half(w, b, X, y, reduction="sum"):
    dw, db = grad_vector(w, b, X, y, reduction)
    return dw / 2, db / 2


def grad_generator(w, b, X, y, reduction="sum"):
    return (v for v in grad_vector(w, b, X, y, reduction))


def grad_no_x_factor(w, b, X, y, reduction="sum"):
    """dw without the x_n factor: every entry gets the same number (a slip no detector names:
    the message must say which value is wrong and that db is right)."""
    dw, db = grad_vector(w, b, X, y, reduction)
    return np.full_like(dw, db), db


def grad_broadcast(w, b, X, y, reduction="sum"):
    u = y / (1 + np.exp(y * (X @ w + b)))
    dw = -(u * X).sum(axis=0)  # (N,) * (N, D) fails to broadcast unless N == D
    return dw, -u.sum()


def grad_reduction_swapped(w, b, X, y, reduction="sum"):
    return grad_vector(w, b, X, y, "sum" if reduction == "mean" else "mean")


def ls_masks(m):
    m = np.asarray(m, dtype=np.float64)
    out = np.empty_like(m)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    out[~pos] = m[~pos] - np.log1p(np.exp(m[~pos]))
    return out


def ls_min_abs(m):
    return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_vectorize(m):
    def one(v):
        return -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))

    return np.vectorize(one)(m)


def ls_logaddexp(m):
    return -np.logaddexp(0, -m)


def ls_safe_where(m):
    e = np.exp(-np.abs(m))  # never overflows
    return np.where(m >= 0, -np.log1p(e), m - np.log1p(e))


def ls_nested_list(m):
    """Right, as nested lists built by a loop (the prompt allows a list)."""
    m = np.asarray(m)

    def one(v):
        return -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))

    if m.ndim == 1:
        return [one(v) for v in m]
    return [[one(v) for v in row] for row in m]


def ls_exact_asymptote(m):
    """Right: -exp(-m) for m > 40 differs from log sigma(m) by exp(-2m)/2, far below 1e-9."""
    m = np.asarray(m, dtype=np.float64)
    out = ls_masks(m)
    big = m > 40
    out[big] = -np.exp(-m[big])
    return out


def ls_naive(m):
    return -np.log(1 + np.exp(-m))


def ls_log_of_sigmoid(m):
    return np.log(1 / (1 + np.exp(-m)))


def ls_where_both_branches(m):
    return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_where_silenced(m):
    """Both branches again, with NumPy's warnings switched off around them."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_filterwarnings(m):
    import warnings

    warnings.filterwarnings("ignore")
    return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_seterr(m):
    """Both branches, NumPy's overflow warnings switched off with np.seterr and restored."""
    old = np.seterr(over="ignore")
    try:
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))
    finally:
        np.seterr(**old)


def ls_catch_warnings(m):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def ls_mask_product_silenced(m):
    """Branches picked by multiplying with masks, warnings silenced: inf * 0 is NaN."""
    with np.errstate(over="ignore", invalid="ignore"):
        return -np.log1p(np.exp(-m)) * (m >= 0) + (m - np.log1p(np.exp(m))) * (m < 0)


def ls_stable_but_silenced(m):
    """The stable formula, wrapped in np.errstate "to be safe": nothing overflows, but the
    prompt asks for warnings left on."""
    with np.errstate(all="ignore"):
        m = np.asarray(m, dtype=np.float64)
        return np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))


def ls_float32(m):
    m = np.asarray(m, dtype=np.float32)
    return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_cut_off(m):
    """The crude asymptote: m below -30, 0 above 30, the formula in between."""
    m = np.asarray(m, dtype=np.float64)
    out = np.minimum(m, 0.0)
    mid = np.abs(m) <= 30
    out[mid] = -np.log1p(np.exp(-m[mid]))
    return out


def ls_cut_off_10(m):
    m = np.asarray(m, dtype=np.float64)
    out = np.minimum(m, 0.0)
    mid = np.abs(m) <= 10
    out[mid] = -np.log1p(np.exp(-m[mid]))
    return out


def ls_log_not_log1p(m):
    return np.minimum(m, 0) - np.log(1 + np.exp(-np.abs(m)))


def ls_log_of_stable_sigmoid(m):
    e = np.exp(-np.abs(m))
    s = np.where(m >= 0, 1 / (1 + e), e / (1 + e))
    return np.log(s)


def ls_clipped(m):
    return -np.log1p(np.exp(-np.clip(m, -30, 30)))


def ls_loss_term(m):
    return np.logaddexp(0, -m)


def ls_of_minus_m(m):
    return ls_min_abs(-np.asarray(m))


def ls_taylor_near_zero(m):
    m = np.asarray(m, dtype=np.float64)
    out = ls_masks(m)
    small = np.abs(m) < 0.05
    out[small] = -math.log(2) + m[small] / 2
    return out


def ls_ratio_of_exps(m):
    return np.log(np.exp(m) / (1 + np.exp(m)))


def ls_log1p_one_branch(m):
    return -np.log1p(np.exp(-m))  # fine for m >= 0, exp(-m) overflows for m < -709


def ls_forgot_return(m):
    np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def ls_scalar_math(m):
    return -math.log1p(math.exp(-m)) if m >= 0 else m - math.log1p(math.exp(m))


def ls_in_place(m):
    np.abs(m, out=m)  # the caller's margins lose their signs
    return ls_min_abs(m)


def ls_map(m):
    return map(float, ls_min_abs(m).ravel())


def label(value):
    return getattr(value, "__name__", None) or getattr(value, "__qualname__", "")


def lg_sample_loop(w, b, X, y, reduction="sum"):
    dw, db = np.zeros(len(w)), 0.0
    for x_n, y_n in zip(X, y):
        m_n = y_n * (float(np.dot(w, x_n)) + b)
        weight = 1.0 / (1.0 + math.exp(m_n)) if m_n > -700 else 1.0  # sigma(-m_n)
        dw -= y_n * weight * x_n
        db -= y_n * weight
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def lg_einsum(w, b, X, y, reduction="sum"):
    m = y * (np.einsum("nd,d->n", X, w) + b)
    u = y * sigmoid.f(-m)
    scale = 1.0 / len(y) if reduction == "mean" else 1.0
    return -scale * np.einsum("n,nd->d", u, X), -scale * float(np.einsum("n->", u))


def lg_tanh_dot(w, b, X, y, reduction="sum"):
    m = y * (np.dot(X, w) + b)
    weight = 0.5 * (1.0 - np.tanh(m / 2.0))  # sigma(-m) = (1 - tanh(m / 2)) / 2
    dw = -np.dot(X.T, y * weight)
    db = -np.sum(y * weight)
    if reduction == "mean":
        return dw / X.shape[0], db / X.shape[0]
    return dw, db


def lg_via_01_targets(w, b, X, y, reduction="sum"):
    # the {0, 1} formula done right: targets t = (y + 1) / 2, gradient X^T (p - t)
    p = sigmoid.f(X @ w + b)
    t = (y + 1) / 2
    dw, db = X.T @ (p - t), np.sum(p - t)
    n = len(y) if reduction == "mean" else 1
    return dw / n, db / n


def lg_python_lists_inside(w, b, X, y, reduction="sum"):
    N, D = X.shape
    rows = X.tolist()
    u = [y[n] * sigmoid.f(-y[n] * (sum(w[d] * rows[n][d] for d in range(D)) + b)) for n in range(N)]
    dw = np.array([-sum(u[n] * rows[n][d] for n in range(N)) for d in range(D)])
    db = -sum(u)
    if reduction == "mean":
        dw, db = dw / N, db / N
    return dw, db


def lg_sign(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return (u @ X) / n, u.sum() / n


def lg_sigma_plus_margin(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_forgot_y(w, b, X, y, reduction="sum"):
    u = sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_forgot_b(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_always_mean(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    return -(u @ X) / len(y), -u.sum() / len(y)


def lg_ignores_reduction(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    return -(u @ X), -u.sum()


def lg_mean_twice(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    if reduction == "mean":
        u = u / len(y)
        return -(u @ X) / len(y), -u.sum() / len(y)
    return -(u @ X), -u.sum()


def lg_labels_01(w, b, X, y, reduction="sum"):
    p = sigmoid.f(X @ w + b)  # X^T (p - y), the {0, 1} formula with y in {-1, +1}
    n = len(y) if reduction == "mean" else 1
    return X.T @ (p - y) / n, np.sum(p - y) / n


def lg_sigma_prime(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * sigmoid.df(m)
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def lg_float32(w, b, X, y, reduction="sum"):
    X32, w32, y32 = X.astype(np.float32), w.astype(np.float32), y.astype(np.float32)
    u = y32 * (1 / (1 + np.exp(y32 * (X32 @ w32 + np.float32(b)))))
    n = np.float32(len(y) if reduction == "mean" else 1)
    return -(u @ X32) / n, -u.sum() / n


def lg_in_place(w, b, X, y, reduction="sum"):
    X *= y[:, None]  # rows y_n x_n, "saves a multiplication"
    u = sigmoid.f(-(X @ w + y * b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -(u * y).sum() / n


def lg_db_then_dw(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -u.sum() / n, -(u @ X) / n


def lg_db_array(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -np.sum(u, keepdims=True) / n


def lg_dw_list(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return list(-(u @ X) / n), -u.sum() / n


def lg_mean_over_d(w, b, X, y, reduction="sum"):
    u = y * sigmoid.f(-y * (X @ w + b))
    n = X.shape[1] if reduction == "mean" else 1  # divides by D, the wrong axis
    return -(u @ X) / n, -u.sum() / n


def lg_returns_loss_too(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = y * sigmoid.f(-m)
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n, np.sum(np.logaddexp(0, -m)) / n


def ls_where(m):
    t = np.log1p(np.exp(-np.abs(m)))
    return np.where(m >= 0, -t, m - t)


def ls_scalar_loop(m):
    out = np.empty_like(m)
    for idx, v in np.ndenumerate(m):
        out[idx] = -math.log1p(math.exp(-v)) if v >= 0 else v - math.log1p(math.exp(v))
    return out


def ls_masks_2(m):
    out = np.empty(m.shape)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    out[~pos] = m[~pos] - np.log1p(np.exp(m[~pos]))
    return out


def ls_nested_lists(m):
    return (np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))).tolist()


def ls_vectorize_2(m):
    f = np.vectorize(lambda v: -np.logaddexp(0.0, -v))
    return f(m)


def ls_sigma_minus_margin(m):
    return -np.logaddexp(0.0, m)


def ls_in_place_2(m):
    m *= -1  # m is now -m
    return -np.logaddexp(0.0, m)


def ls_taylor_near_zero_2(m):
    stable = np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))
    return np.where(np.abs(m) < 1e-2, -np.log(2) + m / 2, stable)


def ls_flattened(m):
    m = np.ravel(m)
    return np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))


def ls_wrong_half(m):
    # the m < 0 branch forgets the "m +": -log1p(exp(m)) is log sigma(-m) there
    t = np.log1p(np.exp(-np.abs(m)))
    return np.where(m >= 0, -t, -t)


# ----- added with the spec port: the new cases and verdicts -------------------------------------
def grad_augmented(w, b, X, y, reduction="sum"):
    """Right: b as a weight on a column of ones, theta = (w, b)."""
    X_tilde = np.column_stack([X, np.ones(len(y))])
    m = y * (X_tilde @ np.append(w, b))
    g = -X_tilde.T @ (y * np.exp(-np.logaddexp(0.0, m)))  # y_n sigma(-m_n) = y_n e^{-softplus}
    if reduction == "mean":
        g = g / len(y)
    return g[:-1], float(g[-1])


def grad_by_package(w, b, X, y, reduction="sum"):
    from bpcourse import logistic

    return logistic.gradient(w, b, X, y, reduction)


def grad_finite_differences(w, b, X, y, reduction="sum"):
    """Central differences of the loss, by hand."""

    def loss(t):
        value = np.sum(np.logaddexp(0.0, -y * (X @ t[:-1] + t[-1])))
        return value / len(y) if reduction == "mean" else value

    theta, h = np.append(w, b), 1e-6
    g = np.array(
        [(loss(theta + h * e) - loss(theta - h * e)) / (2 * h) for e in np.eye(len(theta))]
    )
    return g[:-1], float(g[-1])


def grad_score_not_margin(w, b, X, y, reduction="sum"):
    """sigma(-s_n) of the score s_n = w . x_n + b where sigma(-m_n) of the margin is meant."""
    u = y * sigmoid.f(-(X @ w + b))
    n = len(y) if reduction == "mean" else 1
    return -(u @ X) / n, -u.sum() / n


def ls_series_cut_at_15(m):
    """The issue's example: exact up to |m| = 15, the first term of the series beyond."""
    m = np.asarray(m, dtype=np.float64)
    e = np.exp(-np.abs(m))
    exact = np.minimum(m, 0.0) - np.log1p(e)
    return np.where(m > 15, -e, np.where(m < -15, m, exact))


def ls_series_beyond_36(m):
    """Right: two terms of the series beyond |m| = 36, where the third is below 1e-31 of them."""
    m = np.asarray(m, dtype=np.float64)
    e = np.exp(-np.abs(m))
    exact = np.minimum(m, 0.0) - np.log1p(e)
    series = np.minimum(m, 0.0) - e + e * e / 2
    return np.where(np.abs(m) > 36, series, exact)


def ls_float32_cast_back(m):
    m32 = np.asarray(m).astype(np.float32)
    return (np.minimum(m32, 0) - np.log1p(np.exp(-np.abs(m32)))).astype(np.float64)


def ls_tanh(m):
    """log sigma(m) = log((1 + tanh(m / 2)) / 2): 1 + tanh rounds to 0 for large negative m."""
    return np.log((1 + np.tanh(np.asarray(m) / 2)) / 2)


def ls_clip_709(m):
    """Second try after "overflow": m clipped where exp stays finite."""
    return -np.log1p(np.exp(-np.clip(m, -709.0, 709.0)))


def ls_by_package(m):
    from bpcourse import logistic

    return logistic.log_sigmoid(m)


BATTERY = {
    "logistic_gradient": {
        "right": [
            grad_vector,
            grad_loop,
            grad_einsum,
            grad_via_zero_one_labels,
            lg_sample_loop,
            lg_einsum,
            lg_tanh_dot,
            lg_via_01_targets,
            lg_python_lists_inside,
            grad_augmented,
        ],
        "wrong": [
            (knobs(sign=+1.0), "sign"),
            (knobs(weight=lambda m: 1 / (1 + np.exp(-m))), "sigma_plus_margin"),
            (knobs(weight=lambda m: np.exp(-m) / (1 + np.exp(-m)) ** 2), "sigma_prime"),
            (knobs(label=False), "forgot_y"),
            (knobs(bias=False), "forgot_b"),
            (grad_p_minus_y, "labels_0_1"),
            (grad_y_minus_p, "labels_0_1"),
            (knobs(divide="never"), "missing_1_over_n"),
            (knobs(divide="always"), "extra_1_over_n"),
            (knobs(divide="twice"), "normalisation"),
            (grad_reduction_swapped, "normalisation"),
            (knobs(dtype=np.float32), "finite_differences"),  # float32 inputs, float64 output
            (grad_forgot_return, "not_a_result"),
            (grad_in_place, "modified_input"),
            (grad_swapped, "output_order"),
            (grad_db_as_array, "not_a_result"),
            (grad_dw_as_list, "not_a_result"),
            (grad_db_sign, "sign"),
            (grad_no_default, "raised"),
            (grad_half, "scale"),
            (grad_generator, "not_a_result"),
            (grad_no_x_factor, "unknown"),
            (grad_broadcast, "raised"),
            (lg_sign, "sign"),
            (lg_sigma_plus_margin, "sigma_plus_margin"),
            (lg_forgot_y, "forgot_y"),
            (lg_forgot_b, "forgot_b"),
            (lg_always_mean, "extra_1_over_n"),
            (lg_ignores_reduction, "missing_1_over_n"),
            (lg_mean_twice, "normalisation"),
            (lg_labels_01, "labels_0_1"),
            (lg_sigma_prime, "sigma_prime"),
            (lg_float32, "precision"),
            (lg_in_place, "modified_input"),
            (lg_db_then_dw, "output_order"),
            (lg_db_array, "not_a_result"),
            (lg_dw_list, "not_a_result"),
            (lg_mean_over_d, "scale"),
            (lg_returns_loss_too, "not_a_result"),
            (grad_by_package, "uses_reference"),
            (grad_finite_differences, "finite_differences"),
            (grad_score_not_margin, None),
        ],
    },
    "log_sigmoid": {
        "right": [
            ls_masks,
            ls_min_abs,
            ls_vectorize,
            ls_logaddexp,
            ls_safe_where,
            ls_nested_list,
            ls_exact_asymptote,
            ls_where,
            ls_scalar_loop,
            ls_masks_2,
            ls_nested_lists,
            ls_vectorize_2,
            ls_series_beyond_36,
        ],
        "wrong": [
            (ls_naive, "overflow"),
            (ls_log_of_sigmoid, "overflow"),
            (ls_where_both_branches, "overflow_warning"),
            (ls_where_silenced, "overflow_warning"),
            (ls_filterwarnings, "overflow_warning"),
            (ls_seterr, "overflow_warning"),
            (ls_catch_warnings, "overflow_warning"),
            (ls_stable_but_silenced, "overflow_warning"),
            (ls_mask_product_silenced, "overflow"),
            (ls_float32, "precision"),
            (ls_cut_off, "asymptotic_shortcut"),
            (ls_cut_off_10, "asymptotic_shortcut"),
            (ls_log_not_log1p, "tiny_values_lost"),
            (ls_log_of_stable_sigmoid, "overflow"),
            (ls_clipped, "large_margin"),
            (ls_loss_term, "sign"),
            (ls_of_minus_m, "sigma_minus_margin"),
            (ls_taylor_near_zero, "near_zero"),
            (ls_forgot_return, "not_a_result"),
            (ls_scalar_math, "raised"),
            (ls_in_place, "modified_input"),
            (ls_map, "not_a_result"),
            (ls_ratio_of_exps, "overflow"),
            (ls_log1p_one_branch, "overflow"),
            (ls_sigma_minus_margin, "sigma_minus_margin"),
            (ls_in_place_2, "modified_input"),
            (ls_taylor_near_zero_2, "near_zero"),
            (ls_flattened, None),
            (ls_wrong_half, "negative_half"),
            (ls_series_cut_at_15, "asymptotic_shortcut"),
            (ls_float32_cast_back, "precision"),
            (ls_tanh, "overflow"),
            (ls_clip_709, "large_margin"),
            (ls_by_package, "uses_reference"),
        ],
    },
}


# -------------------------------------------------------------------------------------------
# A second cold student's answers (written from the student edition of 08 and help() of the two
# checks, each wrong answer's expected key written before it ran). Where the check names an
# answer otherwise than its writer expected and the check is right (a list is not_a_result, a
# (1, D) dw is a shape, overflow_warning is for right values, sigma(s) - 1 is forgot_y), the
# key below is the check's; where no key fits, None.
# -------------------------------------------------------------------------------------------


def _cold_sig(z):
    """A student's own sigmoid (fine for the margins of 8.1, |m| <~ 10)."""
    return 1.0 / (1.0 + np.exp(-z))


# =============================================================================================
# Exercise 8.1: logistic_gradient(w, b, X, y, reduction="sum") -> (dw, db)
# =============================================================================================

# ---------------------------------------------------------------- right answers


def cold_r81_vectorised(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, np.sum(u)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_r81_loops(w, b, X, y, reduction="sum"):
    N, D = X.shape
    dw = np.zeros(D)
    db = 0.0
    for n in range(N):
        s = 0.0
        for d in range(D):
            s += w[d] * X[n, d]
        m = y[n] * (s + b)
        g = -y[n] / (1.0 + math.exp(m))  # -y sigma(-m)
        for d in range(D):
            dw[d] += g * X[n, d]
        db += g
    if reduction == "mean":
        dw /= N
        db /= N
    return dw, db


def cold_r81_einsum(w, b, X, y, reduction="sum"):
    m = y * (np.einsum("nd,d->n", X, w) + b)
    u = -y * sigmoid.f(-m)
    dw = np.einsum("n,nd->d", u, X)
    db = u.sum()
    if reduction == "mean":
        return dw / X.shape[0], db / X.shape[0]
    return dw, db


def cold_r81_one_minus_sigma(w, b, X, y, reduction="sum"):
    m = y * (np.dot(X, w) + b)
    u = -(1 - _cold_sig(m)) * y
    scale = 1.0 / len(y) if reduction == "mean" else 1.0
    return scale * np.dot(u, X), float(scale * u.sum())


def cold_r81_exp_form(w, b, X, y, reduction="sum"):
    # d/dm log(1 + e^-m) = -e^-m / (1 + e^-m) = -1 / (1 + e^m)
    m = y * (X @ w + b)
    u = -y / (1.0 + np.exp(m))
    agg = np.mean if reduction == "mean" else np.sum
    return agg(u[:, None] * X, axis=0), agg(u)


def cold_r81_augmented(w, b, X, y, reduction="sum"):
    Xt = np.column_stack([X, np.ones(len(y))])
    theta = np.append(w, b)
    m = y * (Xt @ theta)
    g = Xt.T @ (-y * sigmoid.f(-m))
    if reduction == "mean":
        g = g / len(y)
    return g[:-1], g[-1]


def cold_r81_labels_01_converted(w, b, X, y, reduction="sum"):
    # the textbook 0/1 formula, after converting the labels properly: t = (y + 1) / 2
    t = (y + 1) / 2
    r = sigmoid.f(X @ w + b) - t
    dw, db = X.T @ r, r.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_r81_tanh(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    sig_neg = 0.5 * (1 - np.tanh(m / 2))  # sigma(-m)
    u = -y * sig_neg
    n = len(y) if reduction == "mean" else 1
    return (X * u[:, None]).sum(axis=0) / n, u.sum() / n


def cold_r81_expit(w, b, X, y, reduction="sum"):
    from scipy.special import expit

    m = y * (X @ w + b)
    u = -y * expit(-m)
    dw = X.T.dot(u)
    db = float(np.sum(u))
    if reduction == "mean":
        N = X.shape[0]
        return dw / N, db / N
    return dw, db


def cold_r81_pure_python_lists_in(w, b, X, y, reduction="sum"):
    # builds lists, converts at the end (the prompt wants dw an array)
    N = len(y)
    D = len(w)
    dw = [0.0] * D
    db = 0.0
    for xn, yn in zip(X.tolist(), y.tolist()):
        m = yn * (sum(wi * xi for wi, xi in zip(w.tolist(), xn)) + b)
        g = -yn * (1 - 1 / (1 + math.exp(-m)))
        dw = [a + g * xi for a, xi in zip(dw, xn)]
        db += g
    if reduction == "mean":
        dw = [a / N for a in dw]
        db = db / N
    return np.array(dw), db


def cold_r81_sigma_prime_chain(w, b, X, y, reduction="sum"):
    # dl/dm = -sigma'(m)/sigma(m) = -sigma(m) sigma(-m) / sigma(m)
    m = y * (X @ w + b)
    dl_dm = -(sigmoid.f(m) * sigmoid.f(-m)) / sigmoid.f(m)
    u = dl_dm * y
    dw, db = X.T @ u, np.sum(u)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_r81_mean_flag_elif(w, b, X, y, reduction="sum"):
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    if reduction == "sum":
        return u @ X, u.sum()
    elif reduction == "mean":
        return u @ X / len(u), u.mean()
    raise ValueError(reduction)


# ---------------------------------------------------------------- wrong answers


def cold_w81_sign(w, b, X, y, reduction="sum"):
    # expect: sign
    m = y * (X @ w + b)
    u = y * sigmoid.f(-m)  # forgot the minus of -log
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_sigma_plus_margin(w, b, X, y, reduction="sum"):
    # expect: sigma_plus_margin
    m = y * (X @ w + b)
    u = -y * sigmoid.f(m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_sigma_prime(w, b, X, y, reduction="sum"):
    # expect: sigma_prime
    m = y * (X @ w + b)
    u = -y * sigmoid.f(m) * sigmoid.f(-m)  # differentiated sigma, not log sigma
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_forgot_y_weight(w, b, X, y, reduction="sum"):
    # expect: forgot_y
    m = y * (X @ w + b)
    u = -sigmoid.f(-m)  # forgot dm/dw = y x
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_forgot_y_margin(w, b, X, y, reduction="sum"):
    # expect: forgot_y
    s = X @ w + b  # margin without the label
    u = -y * sigmoid.f(-s)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_forgot_b(w, b, X, y, reduction="sum"):
    # expect: forgot_b
    m = y * (X @ w)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_db_zero(w, b, X, y, reduction="sum"):
    # expect: forgot_b
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw = X.T @ u
    if reduction == "mean":
        dw = dw / len(y)
    return dw, 0.0


def cold_w81_labels_01(w, b, X, y, reduction="sum"):
    # expect: labels_0_1
    p = sigmoid.f(X @ w + b)
    r = p - y  # the formula for labels in {0, 1}
    dw, db = X.T @ r, r.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_labels_01_ascent(w, b, X, y, reduction="sum"):
    # expect: labels_0_1
    p = sigmoid.f(X @ w + b)
    r = y - p  # 0/1 formula, written as the ascent direction
    dw, db = X.T @ r, r.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_scale_two(w, b, X, y, reduction="sum"):
    # expect: scale
    m = y * (X @ w + b)
    u = -2 * y * sigmoid.f(-m)  # thought d log(1+e^-m) carries a 2
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_scale_half(w, b, X, y, reduction="sum"):
    # expect: scale
    m = y * (X @ w + b)
    u = -0.5 * y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_ignores_reduction(w, b, X, y, reduction="sum"):
    # expect: missing_1_over_n
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    return X.T @ u, u.sum()


def cold_w81_always_mean(w, b, X, y, reduction="sum"):
    # expect: extra_1_over_n
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    return X.T @ u / len(y), u.mean()


def cold_w81_mean_twice(w, b, X, y, reduction="sum"):
    # expect: normalisation
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = np.mean(u[:, None] * X, axis=0), np.mean(u)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)  # np.mean already divided
    else:
        dw, db = X.T @ u, u.sum()
    return dw, db


def cold_w81_mean_by_D(w, b, X, y, reduction="sum"):
    # expect: normalisation
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / X.shape[1], db / X.shape[1]  # wrong axis for N
    return dw, db


def cold_w81_mean_only_dw(w, b, X, y, reduction="sum"):
    # expect: normalisation
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw = dw / len(y)  # forgot db
    return dw, db


def cold_w81_swapped_reductions(w, b, X, y, reduction="sum"):
    # expect: None
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    if reduction == "sum":
        return X.T @ u / len(y), u.mean()
    return X.T @ u, u.sum()


def cold_w81_uses_reference(w, b, X, y, reduction="sum"):
    # expect: uses_reference
    return logistic.gradient(w, b, X, y, reduction=reduction)


def cold_w81_finite_differences(w, b, X, y, reduction="sum"):
    # expect: finite_differences
    h = 1e-6
    dw = np.zeros_like(w, dtype=float)
    for i in range(len(w)):
        e = np.zeros_like(w, dtype=float)
        e[i] = h
        dw[i] = (logistic.loss(w + e, b, X, y) - logistic.loss(w - e, b, X, y)) / (2 * h)
    db = (logistic.loss(w, b + h, X, y) - logistic.loss(w, b - h, X, y)) / (2 * h)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_finite_diff_own_loss(w, b, X, y, reduction="sum"):
    # expect: finite_differences
    def L(wv, bv):
        return np.sum(np.log1p(np.exp(-y * (X @ wv + bv))))

    h = 1e-5
    dw = np.array([(L(w + h * e, b) - L(w - h * e, b)) / (2 * h) for e in np.eye(len(w))])
    db = (L(w, b + h) - L(w, b - h)) / (2 * h)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_modifies_X(w, b, X, y, reduction="sum"):
    # expect: modified_input
    X *= y[:, None]  # rows y_n x_n, in place
    m = X @ w + y * b
    u = -sigmoid.f(-m)
    dw, db = X.T @ u, np.sum(u * y)
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_modifies_w(w, b, X, y, reduction="sum"):
    # expect: modified_input
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    w -= w  # "reuse the buffer" for dw
    w += X.T @ u
    dw, db = w, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_output_order(w, b, X, y, reduction="sum"):
    # expect: output_order
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return db, dw


def cold_w81_dw_list(w, b, X, y, reduction="sum"):
    # expect: shape
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return list(dw), db


def cold_w81_db_array1(w, b, X, y, reduction="sum"):
    # expect: shape
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, np.array([u.sum()])
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_dw_column(w, b, X, y, reduction="sum"):
    # expect: shape
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw = X.T @ u[:, None]  # (D, 1)
    db = u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_dw_row(w, b, X, y, reduction="sum"):
    # expect: transpose
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw = u[None, :] @ X  # (1, D)
    db = u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_sum_wrong_axis(w, b, X, y, reduction="sum"):
    # expect: shape
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw = (u[:, None] * X).sum(axis=1)  # per sample, not per weight: shape (N,)
    db = u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_missing_return(w, b, X, y, reduction="sum"):
    # expect: not_a_result
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)


def cold_w81_float32(w, b, X, y, reduction="sum"):
    # expect: precision
    X32, y32, w32 = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32)
    m = y32 * (X32 @ w32 + np.float32(b))
    u = -y32 / (np.float32(1) + np.exp(m))
    dw, db = X32.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / np.float32(len(y)), db / np.float32(len(y))
    return dw, db


def cold_w81_rounded(w, b, X, y, reduction="sum"):
    # expect: rounded
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return np.round(dw, 4), round(float(db), 4)


def cold_w81_no_reduction_arg(w, b, X, y):
    # expect: raised
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    return X.T @ u, u.sum()


def cold_w81_forgot_chain_one_over_sigma(w, b, X, y, reduction="sum"):
    # expect: None
    m = y * (X @ w + b)
    u = -y / sigmoid.f(m)  # d(-log s)/ds = -1/s, forgot sigma'
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_clipped_margins(w, b, X, y, reduction="sum"):
    # expect: None
    m = np.clip(y * (X @ w + b), -3, 3)  # "to avoid overflow"
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_outer_loop_bug(w, b, X, y, reduction="sum"):
    # expect: None
    # uses the last sample's margin for all samples (indentation / variable reuse bug)
    N, D = X.shape
    for n in range(N):
        m = y[n] * (X[n] @ w + b)
    dw = np.zeros(D)
    db = 0.0
    for n in range(N):
        g = -y[n] * sigmoid.f(-m)
        dw += g * X[n]
        db += g
    if reduction == "mean":
        dw, db = dw / N, db / N
    return dw, db


def cold_w81_loss_not_gradient(w, b, X, y, reduction="sum"):
    # expect: None
    m = y * (X @ w + b)
    loss = np.sum(np.log1p(np.exp(-m)))
    return np.full(len(w), loss), loss


def cold_w81_sigma_of_score_times_y(w, b, X, y, reduction="sum"):
    # expect: labels_0_1
    # half-converted: sigma(s) - 1 weights the positives, but never uses sigma(-s) for negatives
    s = X @ w + b
    u = (sigmoid.f(s) - 1) * y
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_returns_dict(w, b, X, y, reduction="sum"):
    # expect: not_a_result
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return {"dw": dw, "db": db}


# =============================================================================================
# Exercise 8.2: log_sigmoid(m) elementwise, exact and warning-free
# =============================================================================================

# ---------------------------------------------------------------- right answers


def cold_r82_where_abs(m):
    return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def cold_r82_logaddexp(m):
    return -np.logaddexp(0, -m)


def cold_r82_masks(m):
    m = np.asarray(m, dtype=float)
    out = np.empty_like(m)
    pos = m >= 0
    out[pos] = -np.log1p(np.exp(-m[pos]))
    neg = ~pos
    out[neg] = m[neg] - np.log1p(np.exp(m[neg]))
    return out


def cold_r82_loops(m):
    out = np.empty(m.shape)
    for idx, v in np.ndenumerate(m):
        if v >= 0:
            out[idx] = -math.log1p(math.exp(-v))
        else:
            out[idx] = v - math.log1p(math.exp(v))
    return out


def _cold_ls_scalar(v):
    if v >= 0:
        return -math.log1p(math.exp(-v))
    return v - math.log1p(math.exp(v))


def cold_r82_vectorize(m):
    return np.vectorize(_cold_ls_scalar, otypes=[float])(m)


def cold_r82_nested_lists(m):
    return (np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))).tolist()


def cold_r82_scipy(m):
    from scipy.special import log_expit

    return log_expit(m)


def cold_r82_where_safe_both(m):
    e = np.exp(-np.abs(m))  # never overflows
    return np.where(m >= 0, -np.log1p(e), m - np.log1p(e))


def cold_r82_softplus_form(m):
    # log sigma(m) = -softplus(-m), softplus(z) = max(z, 0) + log1p(exp(-|z|))
    z = -m
    return -(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))))


def cold_r82_asymptotics_kept(m):
    # beyond |m| = 40, log1p(e^-|m|) = e^-|m| to float64 rounding
    m = np.asarray(m, dtype=float)
    out = np.empty_like(m)
    big = m > 40
    small = m < -40
    mid = ~(big | small)
    out[big] = -np.exp(-m[big])
    out[small] = m[small] - np.exp(m[small])
    out[mid] = np.minimum(m[mid], 0) - np.log1p(np.exp(-np.abs(m[mid])))
    return out


def cold_r82_piecewise(m):
    return np.piecewise(
        m,
        [m >= 0, m < 0],
        [lambda v: -np.log1p(np.exp(-v)), lambda v: v - np.log1p(np.exp(v))],
    )


def cold_r82_log_of_stable_sigmoid_ratio(m):
    # log sigma(m) = log(e^min(m,0) / (e^min(m,0) + e^min(-m,0)))... written via logaddexp
    a = np.minimum(m, 0)
    return a - np.logaddexp(a, np.minimum(-m, 0))


# ---------------------------------------------------------------- wrong answers


def cold_w82_naive(m):
    # expect: overflow_warning
    return -np.log(1 + np.exp(-m))


def cold_w82_log_of_sigmoid(m):
    # expect: overflow_warning
    return np.log(sigmoid.f(m))


def cold_w82_log_one_over(m):
    # expect: overflow_warning
    return np.log(1 / (1 + np.exp(-m)))


def cold_w82_log1p_only(m):
    # expect: overflow_warning
    return -np.log1p(np.exp(-m))


def cold_w82_where_both_branches_unsafe(m):
    # expect: overflow_warning
    return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def cold_w82_errstate(m):
    # expect: warnings
    with np.errstate(all="ignore"):
        return -np.log1p(np.exp(-m))


def cold_w82_warnings_module(m):
    # expect: warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def cold_w82_seterr(m):
    # expect: warnings
    old = np.seterr(all="ignore")
    out = -np.log(1 + np.exp(-m))
    np.seterr(**old)
    return out


def cold_w82_sign(m):
    # expect: sign
    return np.logaddexp(0, -m)  # the loss -log sigma(m), not log sigma(m)


def cold_w82_sigma_minus_margin(m):
    # expect: sigma_minus_margin
    return -np.logaddexp(0, m)  # log sigma(-m)


def cold_w82_float32(m):
    # expect: precision
    m32 = m.astype(np.float32)
    return np.minimum(m32, 0) - np.log1p(np.exp(-np.abs(m32)))


def cold_w82_asymptotic_shortcut(m):
    # expect: asymptotic_shortcut
    mid = np.clip(m, -30, 30)
    inner = np.minimum(mid, 0) - np.log1p(np.exp(-np.abs(mid)))
    return np.where(m > 30, 0.0, np.where(m < -30, m, inner))


def cold_w82_shortcut_only_positive(m):
    # expect: asymptotic_shortcut
    out = np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))
    out[m > 35] = 0.0  # "it is 0 anyway"
    return out


def cold_w82_log_not_log1p(m):
    # expect: tiny_values_lost
    return np.minimum(m, 0) - np.log(1 + np.exp(-np.abs(m)))


def cold_w82_loops_math_log(m):
    # expect: tiny_values_lost
    out = np.empty(m.shape)
    for idx, v in np.ndenumerate(m):
        if v >= 0:
            out[idx] = -math.log(1 + math.exp(-v))
        else:
            out[idx] = v - math.log(1 + math.exp(v))
    return out


def cold_w82_negative_half_sign(m):
    # expect: negative_half
    e = np.exp(-np.abs(m))
    return np.where(m >= 0, -np.log1p(e), -m - np.log1p(e))  # sign of m on the negative side


def cold_w82_forgot_min(m):
    # expect: negative_half
    return -np.log1p(np.exp(-np.abs(m)))


def cold_w82_clip_500(m):
    # expect: large_margin
    mc = np.clip(m, -500, 500)
    return -np.log(1 + np.exp(-mc))


def cold_w82_clip_700_log1p(m):
    # expect: large_margin
    mc = np.clip(m, -700, 700)
    return -np.log1p(np.exp(-mc))


def cold_w82_modifies_input(m):
    # expect: modified_input
    neg = m < 0
    out = -np.log1p(np.exp(-np.abs(m)))
    m[~neg] = 0  # reuse m as min(m, 0)
    out += m
    return out


def cold_w82_abs_in_place(m):
    # expect: modified_input
    lo = np.minimum(m, 0)
    np.abs(m, out=m)
    return lo - np.log1p(np.exp(-m))


def cold_w82_missing_return(m):
    # expect: not_a_result
    out = np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))  # noqa: F841 (the forgotten return is the point)


def cold_w82_sum(m):
    # expect: shape
    return np.sum(np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m))))


def cold_w82_flattened(m):
    # expect: shape
    return (np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))).ravel()


def cold_w82_transposed(m):
    # expect: transpose
    return (np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))).T


def cold_w82_rounded(m):
    # expect: rounded
    return np.round(np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m))), 8)


def cold_w82_log2(m):
    # expect: scale
    return np.minimum(m, 0) / np.log(2) - np.log2(1 + np.exp(-np.abs(m)))  # "log" base 2


def cold_w82_linear_near_zero(m):
    # expect: near_zero
    exact = np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))
    return np.where(np.abs(m) < 1e-2, -np.log(2) + m / 2, exact)  # first-order Taylor near 0


def cold_w82_strict_masks(m):
    # expect: None
    out = np.zeros_like(m)
    out[m > 0] = -np.log1p(np.exp(-m[m > 0]))
    out[m < 0] = m[m < 0] - np.log1p(np.exp(m[m < 0]))  # m == 0 left at 0
    return out


def cold_w82_math_overflow_raises(m):
    # expect: raised
    return np.vectorize(lambda v: -math.log1p(math.exp(-v)), otypes=[float])(m)


def cold_w82_overflow_caught_inf(m):
    # expect: overflow
    def one(v):
        try:
            return -math.log1p(math.exp(-v))
        except OverflowError:
            return -math.inf

    return np.vectorize(one, otypes=[float])(m)


def cold_w82_uses_reference(m):
    # expect: uses_reference
    return logistic.log_sigmoid(m)


def cold_w82_longdouble(m):
    # expect: overflow_warning
    ml = m.astype(np.longdouble)
    return (-np.log1p(np.exp(-ml))).astype(float)


def cold_w82_log_sigmoid_tanh(m):
    # expect: overflow_warning
    # sigma(m) = (1 + tanh(m/2)) / 2, no exp at all, "so no overflow"
    return np.log((1 + np.tanh(m / 2)) / 2)


def cold_w82_neg_branch_naive_log(m):
    # expect: large_margin
    # right on m >= 0, but the negative half as log(e^m / (1 + e^m)) loses e^m for m < -745
    e = np.exp(-np.abs(m))
    return np.where(m >= 0, -np.log1p(e), np.log(np.exp(np.maximum(m, -700)) / (1 + e)))


# =============================================================================================
# Second round (written after the first run, expectations still written before running)
# =============================================================================================


def cold_r81_bool_labels(w, b, X, y, reduction="sum"):
    # 0/1 formula with t = (y > 0), a boolean array
    r = sigmoid.f(X @ w + b) - (y > 0)
    dw, db = X.T @ r, r.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_r81_list_pair(w, b, X, y, reduction="sum"):
    # returns [dw, db], a list rather than a tuple (grey zone: the prompt says "Return (dw, db)")
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    k = 1 / len(y) if reduction == "mean" else 1
    return [k * (X.T @ u), k * u.sum()]


def cold_r81_db_0d_array(w, b, X, y, reduction="sum"):
    # db as a 0-d array (np.array(x)), grey zone
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, np.array(u.sum())
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_forgot_y_everywhere(w, b, X, y, reduction="sum"):
    # expect: forgot_y
    s = X @ w + b
    u = -sigmoid.f(-s)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_rounded_2(w, b, X, y, reduction="sum"):
    # expect: rounded
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return np.round(dw, 2), np.round(db, 2)


def cold_w81_rounded_sig(w, b, X, y, reduction="sum"):
    # expect: rounded
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return np.array([float(f"{v:.5g}") for v in dw]), float(f"{db:.5g}")


def cold_w81_X_not_transposed(w, b, X, y, reduction="sum"):
    # expect: raised
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_modifies_y(w, b, X, y, reduction="sum"):
    # expect: modified_input
    y[y == -1] = 0  # convert to {0, 1}, in place
    r = sigmoid.f(X @ w + b) - y
    dw, db = X.T @ r, r.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_mean_n_minus_1(w, b, X, y, reduction="sum"):
    # expect: normalisation
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        n = max(len(y) - 1, 1)  # "unbiased"
        dw, db = dw / n, db / n
    return dw, db


def cold_w81_forgot_x(w, b, X, y, reduction="sum"):
    # expect: None
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = np.full(X.shape[1], u.sum()), u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_w81_db_has_x_mean(w, b, X, y, reduction="sum"):
    # expect: None
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw = X.T @ u
    db = dw.sum()  # "b is like another weight"
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def cold_r82_where_clipped_inside(m):
    return np.where(
        m >= 0,
        -np.log1p(np.exp(np.minimum(-m, 0))),
        m - np.log1p(np.exp(np.minimum(m, 0))),
    )


def cold_r82_longdouble_stable(m):
    # grey zone: exact formula computed in long double and returned as float64
    ml = np.asarray(m, dtype=np.longdouble)
    return (np.minimum(ml, 0) - np.log1p(np.exp(-np.abs(ml)))).astype(np.float64)


def cold_w82_errstate_values_right(m):
    # expect: warnings
    with np.errstate(over="ignore"):
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))


def cold_w82_seterr_values_right(m):
    # expect: warnings
    old = np.seterr(over="ignore")
    try:
        return np.where(m >= 0, -np.log1p(np.exp(-m)), m - np.log1p(np.exp(m)))
    finally:
        np.seterr(**old)


def cold_w82_rounded_3(m):
    # expect: rounded
    return np.round(np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m))), 3)


def cold_w82_rounded_sig(m):
    # expect: rounded
    v = np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))
    return np.array([float(f"{x:.6g}") for x in v.ravel()]).reshape(v.shape)


def cold_w82_negative_formula_everywhere(m):
    # expect: overflow
    return m - np.log1p(np.exp(m))


def cold_w82_exp_instead_of_log1p(m):
    # expect: None
    return np.minimum(m, 0) - np.exp(-np.abs(m))  # "log1p(x) ~ x"


def cold_w82_returns_sigmoid(m):
    # expect: None
    e = np.exp(-np.abs(m))
    return np.where(m >= 0, 1 / (1 + e), e / (1 + e))


def cold_w82_math_on_array(m):
    # expect: raised
    return -math.log1p(math.exp(-m))


def cold_w82_naive_plus_clip_negative_only(m):
    # expect: large_margin
    mc = np.maximum(m, -700)
    return -np.log1p(np.exp(-mc))


# =============================================================================================
# Third round: probes of the "rounded" and "warnings" keys
# =============================================================================================


def cold_w81_int_truncated(w, b, X, y, reduction="sum"):
    # expect: rounded
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw.astype(int), int(db)


def cold_w81_rounded_6(w, b, X, y, reduction="sum"):
    # expect: rounded
    m = y * (X @ w + b)
    u = -y * sigmoid.f(-m)
    dw, db = X.T @ u, u.sum()
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return np.round(dw, 6), round(float(db), 6)


def cold_w82_int_truncated(m):
    # expect: rounded
    return (np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))).astype(int)


def cold_w82_rounded_12(m):
    # expect: rounded
    return np.round(np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m))), 12)


def cold_w82_errstate_harmless(m):
    # expect: warnings
    # a right formula, wrapped "to be safe": the prompt says silencing is named
    with np.errstate(all="ignore"):
        return np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))


def cold_w82_unused_naive_branch(m):
    # expect: overflow_warning
    naive = np.log(sigmoid.f(m))  # divide-by-zero warning for very negative m, then unused
    exact = np.minimum(m, 0) - np.log1p(np.exp(-np.abs(m)))
    return np.where(np.isfinite(naive) & (np.abs(m) < 1), naive, exact)


BATTERY["logistic_gradient"]["right"] += [
    cold_r81_vectorised,
    cold_r81_loops,
    cold_r81_einsum,
    cold_r81_one_minus_sigma,
    cold_r81_exp_form,
    cold_r81_augmented,
    cold_r81_labels_01_converted,
    cold_r81_tanh,
    cold_r81_expit,
    cold_r81_pure_python_lists_in,
    cold_r81_sigma_prime_chain,
    cold_r81_mean_flag_elif,
    cold_r81_bool_labels,
    cold_r81_list_pair,
    cold_r81_db_0d_array,
]
BATTERY["logistic_gradient"]["wrong"] += [
    (cold_w81_sign, "sign"),
    (cold_w81_sigma_plus_margin, "sigma_plus_margin"),
    (cold_w81_sigma_prime, "sigma_prime"),
    (cold_w81_forgot_y_weight, "forgot_y"),
    (cold_w81_forgot_y_margin, "forgot_y"),
    (cold_w81_forgot_b, "forgot_b"),
    (cold_w81_db_zero, "db_zero"),
    (cold_w81_labels_01, "labels_0_1"),
    (cold_w81_labels_01_ascent, "labels_0_1"),
    (cold_w81_scale_two, "scale"),
    (cold_w81_scale_half, "scale"),
    (cold_w81_ignores_reduction, "missing_1_over_n"),
    (cold_w81_always_mean, "extra_1_over_n"),
    (cold_w81_mean_twice, "normalisation"),
    (cold_w81_mean_by_D, "scale"),
    (cold_w81_mean_only_dw, "normalisation"),
    (cold_w81_swapped_reductions, "normalisation"),
    (cold_w81_uses_reference, "uses_reference"),
    (cold_w81_finite_differences, "finite_differences"),
    (cold_w81_finite_diff_own_loss, "finite_differences"),
    (cold_w81_modifies_X, "modified_input"),
    (cold_w81_modifies_w, "modified_input"),
    (cold_w81_output_order, "output_order"),
    (cold_w81_dw_list, "not_a_result"),
    (cold_w81_db_array1, "not_a_result"),
    (cold_w81_dw_column, "shape"),
    (cold_w81_dw_row, "shape"),
    (cold_w81_sum_wrong_axis, None),
    (cold_w81_missing_return, "not_a_result"),
    (cold_w81_float32, "precision"),
    (cold_w81_rounded, "rounded"),
    (cold_w81_no_reduction_arg, "raised"),
    (cold_w81_forgot_chain_one_over_sigma, None),
    (cold_w81_clipped_margins, None),
    (cold_w81_outer_loop_bug, None),
    (cold_w81_loss_not_gradient, None),
    (cold_w81_sigma_of_score_times_y, "forgot_y"),
    (cold_w81_returns_dict, "not_a_result"),
    (cold_w81_forgot_y_everywhere, "forgot_y"),
    (cold_w81_rounded_2, "rounded"),
    (cold_w81_rounded_sig, "rounded"),
    (cold_w81_X_not_transposed, "raised"),
    (cold_w81_modifies_y, "modified_input"),
    (cold_w81_mean_n_minus_1, "scale"),
    (cold_w81_forgot_x, None),
    (cold_w81_db_has_x_mean, None),
    (cold_w81_int_truncated, "rounded"),
    (cold_w81_rounded_6, "rounded"),
]
BATTERY["log_sigmoid"]["right"] += [
    cold_r82_where_abs,
    cold_r82_logaddexp,
    cold_r82_masks,
    cold_r82_loops,
    cold_r82_vectorize,
    cold_r82_nested_lists,
    cold_r82_scipy,
    cold_r82_where_safe_both,
    cold_r82_softplus_form,
    cold_r82_asymptotics_kept,
    cold_r82_piecewise,
    cold_r82_log_of_stable_sigmoid_ratio,
    cold_r82_where_clipped_inside,
    cold_r82_longdouble_stable,
]
BATTERY["log_sigmoid"]["wrong"] += [
    (cold_w82_naive, "overflow"),
    (cold_w82_log_of_sigmoid, "overflow"),
    (cold_w82_log_one_over, "overflow"),
    (cold_w82_log1p_only, "overflow"),
    (cold_w82_where_both_branches_unsafe, "overflow_warning"),
    (cold_w82_errstate, "overflow"),
    (cold_w82_warnings_module, "overflow_warning"),
    (cold_w82_seterr, "overflow"),
    (cold_w82_sign, "sign"),
    (cold_w82_sigma_minus_margin, "sigma_minus_margin"),
    (cold_w82_float32, "precision"),
    (cold_w82_asymptotic_shortcut, "asymptotic_shortcut"),
    (cold_w82_shortcut_only_positive, "asymptotic_shortcut"),
    (cold_w82_log_not_log1p, "tiny_values_lost"),
    (cold_w82_loops_math_log, "tiny_values_lost"),
    (cold_w82_negative_half_sign, "negative_half"),
    (cold_w82_forgot_min, "negative_half"),
    (cold_w82_clip_500, None),
    (cold_w82_clip_700_log1p, "large_margin"),
    (cold_w82_modifies_input, "modified_input"),
    (cold_w82_abs_in_place, "modified_input"),
    (cold_w82_missing_return, "not_a_result"),
    (cold_w82_sum, None),
    (cold_w82_flattened, "shape"),
    (cold_w82_transposed, "transpose"),
    (cold_w82_rounded, "rounded"),
    (cold_w82_log2, "scale"),
    (cold_w82_linear_near_zero, "near_zero"),
    (cold_w82_strict_masks, "near_zero"),
    (cold_w82_math_overflow_raises, "raised"),
    (cold_w82_overflow_caught_inf, "overflow"),
    (cold_w82_uses_reference, "uses_reference"),
    (cold_w82_longdouble, "overflow"),
    (cold_w82_log_sigmoid_tanh, "overflow"),
    (cold_w82_neg_branch_naive_log, "large_margin"),
    (cold_w82_errstate_values_right, "overflow_warning"),
    (cold_w82_seterr_values_right, "overflow_warning"),
    (cold_w82_rounded_3, "rounded"),
    (cold_w82_rounded_sig, "rounded"),
    (cold_w82_negative_formula_everywhere, "overflow"),
    (cold_w82_exp_instead_of_log1p, "log1p_dropped"),
    (cold_w82_returns_sigmoid, "not_log"),
    (cold_w82_math_on_array, "raised"),
    (cold_w82_naive_plus_clip_negative_only, "large_margin"),
    (cold_w82_int_truncated, None),
    (cold_w82_rounded_12, "rounded"),
    (cold_w82_errstate_harmless, "overflow_warning"),
    (cold_w82_unused_naive_branch, "overflow_warning"),
]
