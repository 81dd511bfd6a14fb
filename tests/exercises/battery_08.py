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

import numpy as np

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
