"""The checks of notebook 07's exercises, against answers written the way students write them.

BATTERY holds, per check, right answers in several styles (each must pass) and wrong ones
with the diagnosis the check must give. They are written here, independently of the
mistakes the checks build from the package's references.
"""

import functools
import itertools
import re

import numpy as np
import pytest

from bpcourse.exercises import check_batch_gradient, check_descend, check_stable_lr


def stub(*args):
    raise NotImplementedError("Exercise 7.x: write it")


# ----- Exercise 7.1: descend(grad, w0, lr, steps) -> array (steps + 1, D) ---------------------
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


# ----- Exercise 7.2: stable_lr(H) -> one number -----------------------------------------------
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


# ----- Exercise 7.3: batch_gradient(X, y, w) -> array (D,) ------------------------------------
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


BATTERY = {
    "check_descend": {
        "right": [
            descend_list_then_array,
            descend_preallocated,
            descend_vstack,
            descend_accumulate,
            descend_copy_in_place,
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
            (descend_recomputes_from_start, None),  # no detector: each step restarts at w0
        ],
    },
    "check_stable_lr": {
        "right": [
            stable_eigvalsh,
            stable_eigvals_max,
            stable_spectral_norm,
            stable_svd,
            stable_0d_array,
        ],
        "wrong": [
            (lambda H: 2 / min(np.linalg.eigvals(H).real), "smallest_eigenvalue"),
            (stable_unsorted_first, "not_largest_eigenvalue"),
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
            (lambda H: 2 / np.linalg.det(H), None),  # no detector: the determinant
        ],
    },
    "check_batch_gradient": {
        "right": [batch_vector, batch_loop, batch_einsum, batch_dot_mean, batch_double_loop],
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
        ],
    },
}

CHECKS = {
    "check_descend": check_descend,
    "check_stable_lr": check_stable_lr,
    "check_batch_gradient": check_batch_gradient,
}

RIGHT = [(name, fn) for name, entry in BATTERY.items() for fn in entry["right"]]
WRONG = [(name, fn, key) for name, entry in BATTERY.items() for fn, key in entry["wrong"]]


def label(fn):
    return getattr(fn, "__name__", "fn")


@pytest.mark.parametrize(("name", "fn"), RIGHT, ids=[f"{n}-{label(f)}" for n, f in RIGHT])
def test_every_right_answer_is_accepted(name, fn):
    result = CHECKS[name](fn)
    assert result.status == "correct", result.message
    assert result.usable.is_yours and result.usable.function is fn
    assert "using your" in repr(result.usable)


@pytest.mark.parametrize(
    ("name", "fn", "key"), WRONG, ids=[f"{n}-{k}-{i}" for i, (n, _, k) in enumerate(WRONG)]
)
def test_every_wrong_answer_is_rejected_and_named(name, fn, key):
    result = CHECKS[name](fn)
    assert result.status != "correct"
    assert result.status in ("mistake", "wrong", "error")
    if key is not None:
        assert result.diagnosis == key, (result.diagnosis, result.message)
    else:  # no detector: the message still says what is wrong, and where
        assert result.status == "wrong" and "case" in result.message, result.message
    usable = result.usable
    assert not usable.is_yours and usable.function is not fn
    assert "using the reference" in repr(usable)


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_stub_is_not_done_yet_and_falls_back_to_the_reference(name):
    result = CHECKS[name](stub)
    assert result.status == "todo" and "not done yet" in result.message
    assert "until Exercise 7." in repr(result.usable)


@pytest.mark.parametrize("name", list(CHECKS))
def test_no_check_raises_on_hostile_answers(name):
    def raises(*args):
        raise ZeroDivisionError("boom")

    for fn in (raises, lambda *a: "text", lambda *a: {1: 2}, 3.0, lambda *a: np.nan):
        result = CHECKS[name](fn)
        assert result.status in ("error", "wrong", "mistake")


@pytest.mark.parametrize(
    ("name", "fn", "key"), WRONG, ids=[f"{n}-msg-{i}" for i, (n, _, _) in enumerate(WRONG)]
)
def test_messages_never_contain_the_expected_numbers(name, fn, key):
    result = CHECKS[name](fn)
    # the cases' values have many digits; a message may name sizes (B = 5, lr = 0.45) only
    assert re.findall(r"\d+\.\d{3,}", result.message) == [], result.message


def test_verdict_is_the_same_on_every_rerun():
    for name, fn, _ in WRONG[:5] + [(n, f, None) for n, f in RIGHT[:3]]:
        first = CHECKS[name](fn)
        again = [CHECKS[name](fn) for _ in range(2)]
        assert all((r.status, r.diagnosis) == (first.status, first.diagnosis) for r in again)


def test_square_retry_names_a_missing_transpose_and_says_so():
    result = check_batch_gradient(batch_no_x_transpose)
    assert result.diagnosis == "x_not_transposed"
    assert "B = D" in result.message and "raised" in result.message


def test_battery_counts():
    for name, entry in BATTERY.items():
        assert len(entry["right"]) >= 3, name
        kinds = {key for _, key in entry["wrong"]}
        assert len(entry["wrong"]) >= 8 and len(kinds) >= 6, name


def test_stable_lr_check_does_not_depend_on_a_copy_of_its_cases():
    calls = []

    @functools.wraps(stable_eigvalsh)
    def spy(H):
        calls.append(H.copy())
        H[0, 0] += 1.0  # a student who changes H in place is told so
        return stable_eigvalsh(H)

    result = check_stable_lr(spy)
    assert result.diagnosis == "modified_input"
    assert calls
