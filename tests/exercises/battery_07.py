"""Answers to notebook 07's exercises (7.1 descend, 7.2 stable_lr, 7.3 batch_gradient), written
the way students write them.

One battery per notebook: the team's answers (formerly tests/test_exercises_gradient_descent.py)
and a cold student's (formerly tests/test_exercises_cold_student_07.py, written from the student
edition and the checks' public docstrings, never the checks' code) merged, duplicates dropped;
then answers added with the spec port for its new cases (D = 1 and a single step; a 1 x 1 and a
diagonal Hessian, curvatures from 1e-4 to 1e3; a batch with B < D and |x| near 1000) and its new
verdicts (a call of the course's function, finite differences). Right answers in other styles must
be accepted; each wrong answer must be rejected and, where a key is given, named with it (None:
rejected, the message says where it differs). tests/test_exercise_batteries.py runs them;
tools/exercise_battery.py reports on them.
"""

import functools
import itertools

import numpy as np


def descend_list_then_array(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.array(ws)


def descend_preallocated(grad, w0, lr, steps):
    out = np.empty((steps + 1, len(w0)))
    out[0] = w0
    for t in range(steps):
        out[t + 1] = out[t] - lr * grad(out[t])
    return out


def descend_vstack(grad, w0, lr, steps):
    path = np.atleast_2d(w0).astype(float)
    for _ in range(steps):
        path = np.vstack([path, path[-1] - lr * grad(path[-1])])
    return path


def descend_accumulate(grad, w0, lr, steps):
    iterates = itertools.accumulate(range(steps), lambda w, _: w - lr * grad(w), initial=w0)
    return np.stack(list(iterates))


def descend_copy_in_place(grad, w0, lr, steps):
    w = np.copy(w0)
    ws = [w.copy()]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w.copy())
    return np.asarray(ws)


def descend_ascent(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] + lr * grad(ws[-1]))
    return np.stack(ws)


def descend_lr_twice(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        step = lr * grad(ws[-1])
        ws.append(ws[-1] - lr * step)
    return np.stack(ws)


def descend_no_lr(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - grad(ws[-1]))
    return np.stack(ws)


def descend_last_only(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        w = w - lr * grad(w)
    return w


def descend_no_start(grad, w0, lr, steps):
    w, ws = np.array(w0, dtype=float), []
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def descend_one_short(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(1, steps):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def descend_one_extra(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(steps + 1):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def descend_in_place(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(steps):
        w -= lr * grad(w)  # updates the array already stored
        ws.append(w)
    return np.array(ws)


def descend_changes_w0(grad, w0, lr, steps):
    w = w0  # no copy: the caller's array moves too
    ws = [w.copy()]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w.copy())
    return np.array(ws)


def descend_stale_gradient(grad, w0, lr, steps):
    g = grad(w0)
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * g)
    return np.array(ws)


def descend_returns_list(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return ws


def descend_forgot_return(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))


def descend_generator(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    yield w
    for _ in range(steps):
        w = w - lr * grad(w)
        yield w


def descend_columns(grad, w0, lr, steps):
    return descend_list_then_array(grad, w0, lr, steps).T


def descend_recomputes_from_start(grad, w0, lr, steps):
    w0 = np.array(w0, dtype=float)
    return np.array([w0 - t * lr * grad(w0 - (t - 1) * lr * grad(w0)) for t in range(steps + 1)])


def descend_halved_step(grad, w0, lr, steps):  # a factor 1/2 inside the update
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr / 2 * grad(ws[-1]))
    return np.array(ws)


def stable_eigvalsh(H):
    return 2 / np.linalg.eigvalsh(H)[-1]


def stable_eigvals_max(H):
    return 2.0 / max(np.linalg.eigvals(H).real)


def stable_spectral_norm(H):
    return 2 / np.linalg.norm(H, ord=2)


def stable_svd(H):
    return float(2 / np.linalg.svd(H, compute_uv=False).max())


def stable_0d_array(H):
    return np.array(2 / np.linalg.eigvalsh(H).max())


def stable_unsorted_first(H):
    # eigvals is unsorted: [0] is not the largest
    lams = np.linalg.eigvals(H).real
    first = lams[0] if not np.isclose(lams[0], lams.max()) else lams[1]
    return 2 / first


def stable_array_of_one(H):
    return np.array([2 / np.linalg.eigvalsh(H)[-1]])


def batch_vector(X, y, w):
    return 2 * X.T @ (X @ w - y) / len(y)


def batch_loop(X, y, w):
    total = np.zeros(X.shape[1])
    for x_n, y_n in zip(X, y):
        total += 2 * (x_n @ w - y_n) * x_n
    return total / len(y)


def batch_einsum(X, y, w):
    r = np.einsum("bd,d->b", X, w) - y
    return 2 * np.einsum("b,bd->d", r, X) / X.shape[0]


def batch_dot_mean(X, y, w):
    return 2 * np.mean((np.dot(X, w) - y)[:, None] * X, axis=0)


def batch_double_loop(X, y, w):
    B, D = X.shape
    g = np.zeros(D)
    for d in range(D):
        for n in range(B):
            g[d] += 2.0 / B * (sum(X[n, k] * w[k] for k in range(D)) - y[n]) * X[n, d]
    return g


def batch_list(X, y, w):
    r = X @ w - y
    return [2 * np.mean(r * X[:, d]) for d in range(X.shape[1])]


def batch_centre_y_in_place(X, y, w):
    y -= X @ w  # y now holds minus the residual: the caller's targets are gone
    return -2 * X.T @ y / len(y)


def batch_column(X, y, w):
    return (2 * X.T @ (X @ w - y) / len(y)).reshape(-1, 1)


def batch_no_x_transpose(X, y, w):
    return 2 * X @ (X @ w - y) / len(y)


def batch_mean_twice(X, y, w):
    return 2 * X.T @ (X @ w - y) / len(y) ** 2


def batch_squared_residual(X, y, w):  # no detector: the square not differentiated
    return X.T @ (X @ w - y) ** 2 / len(y)


def d_accumulate(grad, w0, lr, steps):
    it = itertools.accumulate(range(steps), lambda w, _: w - lr * grad(w), initial=np.asarray(w0))
    return np.array(list(it))


def d_reduce_vstack(grad, w0, lr, steps):
    def step(ws, _):
        return np.vstack([ws, ws[-1] - lr * np.asarray(grad(ws[-1]))])

    return functools.reduce(step, range(steps), np.atleast_2d(np.array(w0, dtype=float)))


def d_while_subtract(grad, w0, lr, steps):
    ws, w, t = [w0.copy()], w0.copy(), 0
    while t < steps:
        w = np.subtract(w, np.multiply(lr, grad(w)))
        ws.append(w)
        t += 1
    return np.stack(ws)


def d_lr_twice(grad, w0, lr, steps):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * lr * grad(ws[-1]))
    return np.array(ws)


def d_float32(grad, w0, lr, steps):
    ws = [w0.astype(np.float32)]
    for _ in range(steps):
        ws.append((ws[-1] - lr * grad(ws[-1])).astype(np.float32))
    return np.array(ws)


def d_with_final(grad, w0, lr, steps):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.array(ws), ws[-1]


def d_reversed(grad, w0, lr, steps):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.array(ws[::-1])


def s_spectral_norm(H):
    return 2 / np.linalg.norm(H, 2)  # SPD: the largest singular value is lambda_max


def s_svd(H):
    return 2.0 / np.linalg.svd(H, compute_uv=False)[0]


def s_power_iteration(H):
    v = np.ones(len(H)) + np.arange(len(H)) * 0.1
    for _ in range(5000):
        v = H @ v
        v = v / np.linalg.norm(v)
    return 2 / (v @ H @ v)


def s_eig_real_max(H):
    return float(2 / max(np.linalg.eigvals(H).real))


def s_smallest(H):
    return 2 / np.linalg.eigvalsh(H).min()


def s_first_of_eig(H):
    return 2 / np.linalg.eig(H)[0][0]


def s_one_over(H):
    return 1 / np.linalg.eigvalsh(H).max()


def s_inverted(H):
    return np.linalg.eigvalsh(H).max() / 2


def s_trace(H):
    return 2 / np.trace(H)


def s_smallest_one_over(H):
    return 1 / np.linalg.eigvalsh(H).min()


def s_float32(H):
    return np.float32(2 / np.linalg.eigvalsh(H).max())


def s_modifies_H(H):
    H /= 2
    return 1 / np.linalg.eigvalsh(H).max()


def s_frobenius(H):
    return 2 / np.linalg.norm(H)


def s_with_lambda(H):
    lmax = np.linalg.eigvalsh(H).max()
    return 2 / lmax, lmax


def s_truncated_int(H):
    return int(2 / np.linalg.eigvalsh(H).max() * 100) / 100  # "two decimals are enough"


def b_loop(X, y, w):
    g = np.zeros(X.shape[1])
    for xn, yn in zip(X, y):
        g += 2 * (xn @ w - yn) * xn
    return g / len(y)


def b_mean_broadcast(X, y, w):
    return np.mean(2 * (X @ w - y)[:, None] * X, axis=0)


def b_row_times_matrix(X, y, w):
    return 2 / len(X) * np.dot(X.dot(w) - y, X)


def b_sign(X, y, w):
    return 2 / len(y) * X.T @ (y - X @ w)


def b_over_D(X, y, w):
    return 2 / X.shape[1] * X.T @ (X @ w - y)


def b_column(X, y, w):
    return (2 / len(y) * X.T @ (X @ w - y)).reshape(-1, 1)


def b_list(X, y, w):
    return list(2 / len(y) * X.T @ (X @ w - y))


def b_modifies_y(X, y, w):
    y -= X @ w
    return -2 / len(y) * X.T @ y


def b_float32(X, y, w):
    return (2 / len(y) * X.T @ (X @ w - y)).astype(np.float32)


def b_forgot_return(X, y, w):
    r = X @ w - y
    g = 2 / len(y) * X.T @ r  # noqa: F841


def b_with_loss(X, y, w):
    r = X @ w - y
    return 2 / len(y) * X.T @ r, np.mean(r**2)


def b_over_B_times_D(X, y, w):
    return 2 / (len(y) * X.shape[1]) * X.T @ (X @ w - y)


def b_over_B_minus_1(X, y, w):
    return 2 / (len(y) - 1) * X.T @ (X @ w - y)


def b_returns_loss(X, y, w):
    return np.mean((X @ w - y) ** 2)


def b_modifies_w(X, y, w):
    w *= 1.0
    w -= 0.0
    r = X @ w - y
    w[:] = 0  # "reset it for next time"
    return 2 / len(y) * X.T @ r


# ----- added with the spec port: the new cases and verdicts -------------------------------------
def descend_rows_from_w(grad, w0, lr, steps):
    """Right: a preallocated array filled from a running w (each row assignment copies)."""
    w = np.asarray(w0, dtype=float)
    out = np.zeros((steps + 1, w.size))
    out[0] = w
    for t in range(1, steps + 1):
        w = w - lr * grad(w)
        out[t] = w
    return out


def descend_by_package(grad, w0, lr, steps):
    from bpcourse.descent import gradient_descent

    return gradient_descent(grad, w0, lr, steps).w


def descend_list_of_same(grad, w0, lr, steps):
    """Second try after "aliasing": the list is copied, the one array in it is not."""
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w)
    return np.array(list(ws))


def descend_squeezed(grad, w0, lr, steps):
    """Squeezes the result: for D = 1 the rows lose their second axis."""
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.array(ws).squeeze()


def descend_decaying_step(grad, w0, lr, steps):
    """A step that shrinks as 1/(t + 1): not what the prompt asks."""
    ws = [np.array(w0, dtype=float)]
    for t in range(steps):
        ws.append(ws[-1] - lr / (t + 1) * grad(ws[-1]))
    return np.array(ws)


def stable_sorted_eigvals(H):
    return 2.0 / np.sort(np.linalg.eigvals(H).real)[-1]


def stable_by_package(H):
    from bpcourse.descent import stable_lr

    return stable_lr(H)


def stable_gershgorin(H):
    """A safe bound from the rows' absolute sums: below the threshold unless H is diagonal."""
    return 2.0 / np.max(np.sum(np.abs(H), axis=1))


def stable_last_of_eigvals(H):
    return 2.0 / np.linalg.eigvals(H).real[-1]


def stable_strictly_below(H):
    """'Strictly below 2/lambda': 1.99 instead of 2."""
    return 1.99 / np.linalg.eigvalsh(H)[-1]


def batch_reduce_outer(X, y, w):
    """Right: each sample's gradient 2 r_n x_n, added up, divided by B."""
    per_sample = [2.0 * (x_n @ w - y_n) * x_n for x_n, y_n in zip(X, y)]
    return np.add.reduce(per_sample) / len(per_sample)


def batch_by_package(X, y, w):
    from bpcourse.descent import linear_mse_gradient

    return linear_mse_gradient(X, y, w)


def batch_finite_differences(X, y, w):
    """Central differences of the batch loss, by hand."""
    h, g = 1e-6, np.zeros(len(w))
    for d in range(len(w)):
        e = np.zeros(len(w))
        e[d] = h
        g[d] = (np.mean((X @ (w + e) - y) ** 2) - np.mean((X @ (w - e) - y) ** 2)) / (2 * h)
    return g


def batch_over_all_entries(X, y, w):
    return 2.0 * X.T @ (X @ w - y) / X.size


def batch_mean_wrong_axis(X, y, w):
    return np.mean(2.0 * X.T * (X @ w - y), axis=0)


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def d_right_list(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_right_prealloc(grad, w0, lr, steps):
    W = np.empty((steps + 1, len(w0)))
    W[0] = w0
    for t in range(steps):
        W[t + 1] = W[t] - lr * grad(W[t])
    return W


def d_right_vstack(grad, w0, lr, steps):
    W = w0.reshape(1, -1).astype(float)
    for _ in range(steps):
        W = np.vstack([W, W[-1] - lr * grad(W[-1])])
    return W


def d_right_inplace_copy(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w.copy()]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w.copy())
    return np.stack(ws)


def d_right_accumulate(grad, w0, lr, steps):
    it = itertools.accumulate(range(steps), lambda w, _: w - lr * grad(w), initial=w0.copy())
    return np.array(list(it))


def d_right_while(grad, w0, lr, steps):
    W = np.zeros((steps + 1,) + np.shape(w0))
    W[0] = w0
    t = 1
    while t <= steps:
        W[t] = W[t - 1] - lr * grad(W[t - 1])
        t += 1
    return W


def d_wrong_too_few(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps - 1):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_too_many(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps + 1):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_range_1_steps(grad, w0, lr, steps):  # second try at the count, still one short
    W = [w0.copy()]
    for t in range(1, steps):
        W.append(W[t - 1] - lr * grad(W[t - 1]))
    return np.array(W)


def d_wrong_last_only(grad, w0, lr, steps):
    w = w0.copy()
    for _ in range(steps):
        w = w - lr * grad(w)
    return w


def d_wrong_no_start(grad, w0, lr, steps):
    w = w0.copy()
    ws = []
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_sign(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w + lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_lr_twice(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        step = lr * grad(w)
        w = w - lr * step
        ws.append(w)
    return np.array(ws)


def d_wrong_no_lr(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_two_lr(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - 2 * lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_alias(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_alias_start_copied(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w0.copy()]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w)
    return np.array(ws)


def d_wrong_stale(grad, w0, lr, steps):
    g = grad(w0)
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - lr * g
        ws.append(w)
    return np.array(ws)


def d_wrong_stale_again(grad, w0, lr, steps):  # second try: grad inside the loop, but at W[0]
    W = [w0.copy()]
    for _ in range(steps):
        W.append(W[-1] - lr * grad(W[0]))
    return np.array(W)


def d_wrong_list(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return ws


def d_wrong_no_return(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    W = np.array(ws)  # noqa: F841  (forgot to return)


def d_wrong_float32(grad, w0, lr, steps):
    W = np.zeros((steps + 1, len(w0)), dtype=np.float32)
    W[0] = w0
    for t in range(steps):
        W[t + 1] = W[t] - lr * grad(W[t])
    return W


def d_wrong_int_array(grad, w0, lr, steps):
    W = np.zeros((steps + 1, len(w0)), dtype=int)
    W[0] = w0
    for t in range(steps):
        W[t + 1] = W[t] - lr * grad(W[t])
    return W


def d_wrong_modifies_w0(grad, w0, lr, steps):
    w = w0
    ws = [w.copy()]
    for _ in range(steps):
        w -= lr * grad(w)
        ws.append(w.copy())
    return np.array(ws)


def d_wrong_reference(grad, w0, lr, steps):
    from bpcourse.descent import gradient_descent

    return gradient_descent(grad, w0, lr, steps).w


def d_wrong_transposed(grad, w0, lr, steps):
    w = w0.copy()
    ws = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        ws.append(w)
    return np.array(ws).T


def d_wrong_reversed(grad, w0, lr, steps):
    W = [w0.copy()]
    for _ in range(steps):
        W.insert(0, W[0] - lr * grad(W[0]))
    return np.array(W)


def d_wrong_flat_append(grad, w0, lr, steps):
    W = w0.copy()
    w = w0.copy()
    for _ in range(steps):
        w = w - lr * grad(w)
        W = np.append(W, w)
    return W


def d_wrong_list_times(grad, w0, lr, steps):  # "preallocate" a list: the same array repeated
    W = [w0] * (steps + 1)
    for t in range(steps):
        W[t + 1][:] = W[t] - lr * grad(W[t])
    return np.array(W)


def s_right_eigvalsh(H):
    return 2.0 / np.linalg.eigvalsh(H)[-1]


def s_right_eigvals_max(H):
    return 2 / max(np.linalg.eigvals(H).real)


def s_right_spectral_norm(H):
    return float(2 / np.linalg.norm(H, 2))


def s_right_svd(H):
    return 2 / np.linalg.svd(H, compute_uv=False).max()


def s_right_min_over_directions(H):
    return min(2 / lam for lam in np.linalg.eigvalsh(H))


def s_right_rayleigh(H):
    vals, vecs = np.linalg.eigh(H)
    v = vecs[:, np.argmax(vals)]
    return 2 / float(v @ H @ v)


def s_right_0d(H):
    return np.asarray(2 / np.max(np.linalg.eigvalsh(H)))


def s_wrong_smallest(H):
    return 2 / np.linalg.eigvalsh(H)[0]


def s_wrong_smallest_again(H):  # second try: sorted, but descending, then [-1]
    lams = sorted(np.linalg.eigvalsh(H), reverse=True)
    return 2 / lams[-1]


def s_wrong_one_over(H):
    return 1 / np.linalg.eigvalsh(H).max()


def s_wrong_inverted(H):
    return np.linalg.eigvalsh(H).max() / 2


def s_wrong_curvature(H):
    return np.linalg.eigvalsh(H).max()


def s_wrong_diagonal(H):
    return 2 / np.max(np.diag(H))


def s_wrong_max_entry(H):
    return 2 / np.max(H)


def s_wrong_trace(H):
    return 2 / np.trace(H)


def s_wrong_smallest_one_over(H):
    return 1 / np.linalg.eigvalsh(H).min()


def s_wrong_per_direction(H):
    return 2 / np.linalg.eigvalsh(H)


def s_wrong_eig_unsorted(H):
    vals, _ = np.linalg.eig(H)
    return 2 / vals[-1].real


def s_wrong_one_entry(H):
    return 2 / np.linalg.eigvalsh(H)[-1:]


def s_wrong_list(H):
    return [2 / np.linalg.eigvalsh(H)[-1]]


def s_wrong_reference(H):
    from bpcourse.descent import stable_lr

    return stable_lr(H)


def s_wrong_sign(H):
    return -2 / np.linalg.eigvalsh(H)[-1]


def s_wrong_int(H):
    return int(2 / np.linalg.eigvalsh(H)[-1])


def s_wrong_float32(H):
    return np.float32(2 / np.linalg.eigvalsh(H)[-1])


def s_wrong_modifies_H(H):
    H *= 0.5
    return 1 / np.linalg.eigvalsh(H)[-1]


def s_wrong_no_return(H):
    lam = np.linalg.eigvalsh(H)[-1]
    eta = 2 / lam  # noqa: F841


def s_wrong_frobenius(H):
    return 2 / np.linalg.norm(H)


def s_wrong_best_lr(H):  # confuses the stability bound with section 5's best step
    lams = np.linalg.eigvalsh(H)
    return 2 / (lams[0] + lams[-1])


def b_right_matrix(X, y, w):
    return 2 / len(X) * X.T @ (X @ w - y)


def b_right_loop(X, y, w):
    g = np.zeros(len(w))
    for x_n, y_n in zip(X, y):
        g += 2 * (x_n @ w - y_n) * x_n
    return g / len(y)


def b_right_mean_broadcast(X, y, w):
    r = X @ w - y
    return 2 * np.mean(r[:, None] * X, axis=0)


def b_right_einsum(X, y, w):
    r = np.einsum("bd,d->b", X, w) - y
    return 2 * np.einsum("b,bd->d", r, X) / X.shape[0]


def b_right_row_times(X, y, w):
    B = X.shape[0]
    return (2 / B) * ((X @ w - y) @ X)


def b_right_normal_eq(X, y, w):
    return 2 * (X.T @ X @ w - X.T @ y) / len(y)


def b_wrong_sum(X, y, w):
    return 2 * X.T @ (X @ w - y)


def b_wrong_sum_again(X, y, w):  # second try: broadcasting, but still a sum
    r = X @ w - y
    return 2 * np.sum(X * r[:, None], axis=0)


def b_wrong_no_2(X, y, w):
    return X.T @ (X @ w - y) / len(y)


def b_wrong_sign(X, y, w):
    return 2 * X.T @ (y - X @ w) / len(y)


def b_wrong_mean_axis1(X, y, w):
    r = X @ w - y
    return 2 * np.mean(X * r[:, None], axis=1)


def b_wrong_over_D(X, y, w):
    return 2 * X.T @ (X @ w - y) / X.shape[1]


def b_wrong_forgot_x(X, y, w):
    r = X @ w - y
    return 2 * np.mean(r) * np.ones_like(w)


def b_wrong_y_column(X, y, w):
    r = X @ w - y.reshape(-1, 1)
    return 2 * X.T @ r / len(y)


def b_wrong_column_result(X, y, w):
    r = (X @ w - y).reshape(-1, 1)
    return 2 / len(X) * X.T @ r


def b_wrong_X_not_T(X, y, w):
    return 2 * X @ (X @ w - y) / len(y)


def b_wrong_finite_diff(X, y, w):
    eps = 1e-6
    g = np.zeros_like(w)
    for i in range(len(w)):
        e = np.zeros_like(w)
        e[i] = eps
        g[i] = (np.mean((X @ (w + e) - y) ** 2) - np.mean((X @ (w - e) - y) ** 2)) / (2 * eps)
    return g


def b_wrong_reference(X, y, w):
    from bpcourse.descent import linear_mse_gradient

    return linear_mse_gradient(X, y, w)


def b_wrong_modifies_y(X, y, w):
    y -= X @ w
    return -2 * X.T @ y / len(y)


def b_wrong_float32(X, y, w):
    X32, y32, w32 = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32)
    return 2 * X32.T @ (X32 @ w32 - y32) / len(y)


def b_wrong_list(X, y, w):
    return list(2 / len(X) * X.T @ (X @ w - y))


def b_wrong_no_return(X, y, w):
    g = 2 / len(X) * X.T @ (X @ w - y)  # noqa: F841


def b_wrong_scalar(X, y, w):
    return 2 * np.mean(X.T @ (X @ w - y))


def b_wrong_B_squared(X, y, w):
    B = len(y)
    return 2 * X.T @ (X @ w - y) / B**2


def b_wrong_no_2_no_mean(X, y, w):
    return X.T @ (X @ w - y)


def b_wrong_product_of_means(X, y, w):
    return 2 * np.mean(X @ w - y) * np.mean(X, axis=0)


def b_wrong_floor_div(X, y, w):
    return 2 * X.T @ (X @ w - y) // len(y)


BATTERY = {
    "descend": {
        "right": [
            descend_list_then_array,
            descend_preallocated,
            descend_vstack,
            descend_accumulate,
            descend_copy_in_place,
            d_accumulate,
            d_reduce_vstack,
            d_while_subtract,
            descend_rows_from_w,
            d_right_list,
            d_right_prealloc,
            d_right_vstack,
            d_right_inplace_copy,
            d_right_accumulate,
            d_right_while,
        ],
        "wrong": [
            (descend_ascent, "sign"),
            (descend_lr_twice, "lr_twice"),
            (descend_no_lr, "missing_lr"),
            (descend_last_only, "last_only"),
            (descend_no_start, "missing_start"),
            (descend_one_short, "off_by_one"),
            (descend_one_extra, "off_by_one"),
            (descend_in_place, "aliasing"),
            (descend_changes_w0, "modified_input"),
            (descend_stale_gradient, "stale_gradient"),
            (descend_returns_list, "not_a_result"),
            (descend_forgot_return, "not_a_result"),
            (descend_generator, "not_a_result"),
            (descend_columns, "transpose"),
            (descend_halved_step, "lr_factor"),
            (descend_recomputes_from_start, None),
            (d_lr_twice, "lr_twice"),
            (d_float32, "precision"),
            (d_with_final, "not_a_result"),
            (d_reversed, None),
            (descend_by_package, "uses_reference"),
            (descend_list_of_same, "aliasing"),
            (descend_squeezed, "shape"),
            (descend_decaying_step, None),
            (d_wrong_too_few, "off_by_one"),
            (d_wrong_too_many, "off_by_one"),
            (d_wrong_range_1_steps, "off_by_one"),
            (d_wrong_last_only, "last_only"),
            (d_wrong_no_start, "missing_start"),
            (d_wrong_sign, "sign"),
            (d_wrong_lr_twice, "lr_twice"),
            (d_wrong_no_lr, "missing_lr"),
            (d_wrong_two_lr, "lr_factor"),
            (d_wrong_alias, "aliasing"),
            (d_wrong_alias_start_copied, "aliasing"),
            (d_wrong_stale, "stale_gradient"),
            (d_wrong_stale_again, "stale_gradient"),
            (d_wrong_list, "not_a_result"),
            (d_wrong_no_return, "not_a_result"),
            (d_wrong_float32, "precision"),
            (d_wrong_int_array, None),
            (d_wrong_modifies_w0, "modified_input"),
            (d_wrong_reference, "uses_reference"),
            (d_wrong_transposed, "transpose"),
            (d_wrong_reversed, None),
            (d_wrong_flat_append, "shape"),
            (d_wrong_list_times, "modified_input"),
        ],
    },
    "stable_lr": {
        "right": [
            stable_eigvalsh,
            stable_eigvals_max,
            stable_spectral_norm,
            stable_svd,
            stable_0d_array,
            s_spectral_norm,
            s_svd,
            s_power_iteration,
            s_eig_real_max,
            stable_sorted_eigvals,
            s_right_eigvalsh,
            s_right_eigvals_max,
            s_right_spectral_norm,
            s_right_svd,
            s_right_min_over_directions,
            s_right_rayleigh,
            s_right_0d,
        ],
        "wrong": [
            (lambda H: 2 / min(np.linalg.eigvals(H).real), "smallest_eigenvalue"),
            (stable_unsorted_first, "raised"),  # its lams[1] does not exist for a 1 x 1 H
            (lambda H: 2 / np.linalg.eigvalsh(H), "one_per_direction"),
            (lambda H: 1 / max(np.linalg.eigvals(H).real), "one_over_lambda"),
            (lambda H: max(np.linalg.eigvals(H).real) / 2, "inverted"),
            (lambda H: np.linalg.eigvalsh(H).max(), "curvature_not_lr"),
            (lambda H: 2 / H.diagonal().max(), "diagonal"),
            (lambda H: 2 / sum(np.linalg.eigvals(H).real), "trace"),
            (lambda H: 1 / min(np.linalg.eigvals(H).real), "smallest_and_one_over"),
            (lambda H: -2 / np.linalg.eigvalsh(H)[-1], "sign"),
            (stable_array_of_one, "not_a_result"),
            (lambda H: None, "not_a_result"),
            (lambda H: 2 / np.linalg.det(H), None),
            (s_smallest, "smallest_eigenvalue"),
            (s_first_of_eig, "not_largest_eigenvalue"),
            (s_one_over, "one_over_lambda"),
            (s_inverted, "inverted"),
            (s_trace, "trace"),
            (s_smallest_one_over, "smallest_and_one_over"),
            (s_float32, "precision"),
            (s_modifies_H, "modified_input"),
            (s_frobenius, None),
            (s_with_lambda, "not_a_result"),
            (s_truncated_int, None),
            (stable_by_package, "uses_reference"),
            (stable_gershgorin, None),
            (stable_last_of_eigvals, "not_largest_eigenvalue"),
            (stable_strictly_below, "scale"),
            (s_wrong_smallest, "smallest_eigenvalue"),
            (s_wrong_smallest_again, "smallest_eigenvalue"),
            (s_wrong_one_over, "one_over_lambda"),
            (s_wrong_inverted, "inverted"),
            (s_wrong_curvature, "curvature_not_lr"),
            (s_wrong_diagonal, "diagonal"),
            (s_wrong_max_entry, "diagonal"),
            (s_wrong_trace, "trace"),
            (s_wrong_smallest_one_over, "smallest_and_one_over"),
            (s_wrong_per_direction, "one_per_direction"),
            (s_wrong_eig_unsorted, "not_largest_eigenvalue"),
            (s_wrong_one_entry, "not_a_result"),
            (s_wrong_list, "not_a_result"),
            (s_wrong_reference, "uses_reference"),
            (s_wrong_sign, "sign"),
            (s_wrong_int, None),
            (s_wrong_float32, "precision"),
            (s_wrong_modifies_H, "modified_input"),
            (s_wrong_no_return, "not_a_result"),
            (s_wrong_frobenius, None),
            (s_wrong_best_lr, None),
        ],
    },
    "batch_gradient": {
        "right": [
            batch_vector,
            batch_loop,
            batch_einsum,
            batch_dot_mean,
            batch_double_loop,
            b_loop,
            b_mean_broadcast,
            b_row_times_matrix,
            batch_reduce_outer,
            b_right_matrix,
            b_right_loop,
            b_right_mean_broadcast,
            b_right_einsum,
            b_right_row_times,
            b_right_normal_eq,
        ],
        "wrong": [
            (lambda X, y, w: 2 * (X @ w - y) @ X, "missing_1_over_n"),
            (lambda X, y, w: 2 * (y - X @ w) @ X / len(y), "sign"),
            (lambda X, y, w: (X @ w - y) @ X / len(y), "missing_2"),
            (lambda X, y, w: 2 * (X @ w - y) @ X / X.shape[1], "mean_over_features"),
            (lambda X, y, w: 2 * np.mean(X @ w - y) * np.ones_like(w), "forgot_x"),
            (batch_no_x_transpose, "x_not_transposed"),
            (batch_mean_twice, "scale"),
            (batch_list, "not_a_result"),
            (batch_centre_y_in_place, "modified_input"),
            (batch_column, "column_vector"),
            (batch_squared_residual, None),
            (b_sign, "sign"),
            (b_over_D, "mean_over_features"),
            (b_column, "column_vector"),
            (b_list, "not_a_result"),
            (b_modifies_y, "modified_input"),
            (b_float32, "precision"),
            (b_forgot_return, "not_a_result"),
            (b_with_loss, "not_a_result"),
            (b_over_B_times_D, "scale"),
            (b_over_B_minus_1, None),
            (b_returns_loss, None),
            (b_modifies_w, "modified_input"),
            (batch_by_package, "uses_reference"),
            (batch_finite_differences, "finite_differences"),
            (batch_over_all_entries, "scale"),
            (batch_mean_wrong_axis, None),
            (b_wrong_sum, "missing_1_over_n"),
            (b_wrong_sum_again, "missing_1_over_n"),
            (b_wrong_no_2, "missing_2"),
            (b_wrong_sign, "sign"),
            (b_wrong_mean_axis1, None),
            (b_wrong_over_D, "mean_over_features"),
            (b_wrong_forgot_x, "forgot_x"),
            (b_wrong_y_column, None),
            (b_wrong_column_result, "column_vector"),
            (b_wrong_X_not_T, "x_not_transposed"),
            (b_wrong_finite_diff, "finite_differences"),
            (b_wrong_reference, "uses_reference"),
            (b_wrong_modifies_y, "modified_input"),
            (b_wrong_float32, "precision"),
            (b_wrong_list, "not_a_result"),
            (b_wrong_no_return, "not_a_result"),
            (b_wrong_scalar, None),
            (b_wrong_B_squared, "scale"),
            (b_wrong_no_2_no_mean, "scale"),
            (b_wrong_product_of_means, None),
            (b_wrong_floor_div, None),
        ],
    },
}
