"""The checks of notebook 06's exercises accept a right answer, say "todo" for a stub, and name
each mistake they claim to diagnose when fed an independent, student-like wrong function."""

import numpy as np
import pytest

from bpcourse.exercises import check_batch_gradient, check_descend, check_stable_lr


def stub(*args):
    raise NotImplementedError("Exercise 6.x: write it")


# ----- Exercise 6.1 ---------------------------------------------------------------------------
def descend_right(grad, w0, lr, steps):
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return np.stack(ws)


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


def descend_in_place(grad, w0, lr, steps):
    w = np.array(w0, dtype=float)
    ws = [w]
    for _ in range(steps):
        w -= lr * grad(w)  # updates the array already stored
        ws.append(w)
    return np.array(ws)


def descend_stale_gradient(grad, w0, lr, steps):
    g = grad(w0)
    ws = [np.array(w0, dtype=float)]
    for _ in range(steps):
        ws.append(ws[-1] - lr * g)
    return np.array(ws)


def test_descend_check_accepts_a_right_loop_returning_a_list():
    def as_list(grad, w0, lr, steps):
        return list(descend_right(grad, w0, lr, steps))

    result = check_descend(as_list)
    assert result.status == "correct" and result.ok
    assert result.function is as_list


def test_descend_check_says_todo_for_the_stub():
    assert check_descend(stub).status == "todo"


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (descend_ascent, "sign"),
        (descend_lr_twice, "lr_twice"),
        (descend_no_lr, "missing_lr"),
        (descend_last_only, "last_only"),
        (descend_no_start, "missing_start"),
        (descend_one_short, "off_by_one"),
        (descend_in_place, "aliasing"),
        (descend_stale_gradient, "stale_gradient"),
    ],
)
def test_descend_check_names_the_mistake(wrong, key):
    result = check_descend(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
    assert result.function is not wrong  # later cells fall back to the reference


# ----- Exercise 6.2 ---------------------------------------------------------------------------
def test_stable_lr_check_accepts_two_over_the_largest_eigenvalue():
    def right(H):
        return 2 / max(np.linalg.eigvals(H).real)

    assert check_stable_lr(right).ok


def test_stable_lr_check_says_todo_for_the_stub():
    assert check_stable_lr(stub).status == "todo"


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (lambda H: 2 / min(np.linalg.eigvals(H).real), "smallest_eigenvalue"),
        (lambda H: 1 / max(np.linalg.eigvals(H).real), "one_over_lambda"),
        (lambda H: max(np.linalg.eigvals(H).real) / 2, "inverted"),
        (lambda H: 2 / H.diagonal().max(), "diagonal"),
        (lambda H: 2 / sum(np.linalg.eigvals(H).real), "trace"),
        (lambda H: 1 / min(np.linalg.eigvals(H).real), "smallest_and_one_over"),
    ],
)
def test_stable_lr_check_names_the_mistake(wrong, key):
    result = check_stable_lr(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key


# ----- Exercise 6.3 ---------------------------------------------------------------------------
def test_batch_gradient_check_accepts_the_per_sample_sum():
    def right(X, y, w):
        total = np.zeros(X.shape[1])
        for x_n, y_n in zip(X, y):
            total += 2 * (x_n @ w - y_n) * x_n
        return total / len(y)

    assert check_batch_gradient(right).ok


def test_batch_gradient_check_says_todo_for_the_stub():
    assert check_batch_gradient(stub).status == "todo"


@pytest.mark.parametrize(
    ("wrong", "key"),
    [
        (lambda X, y, w: 2 * (X @ w - y) @ X, "missing_1_over_n"),
        (lambda X, y, w: 2 * (y - X @ w) @ X / len(y), "sign"),
        (lambda X, y, w: (X @ w - y) @ X / len(y), "missing_2"),
        (lambda X, y, w: 2 * np.mean(X @ w - y) * np.ones_like(w), "forgot_x"),
    ],
)
def test_batch_gradient_check_names_the_mistake(wrong, key):
    result = check_batch_gradient(wrong)
    assert result.status == "mistake"
    assert result.diagnosis == key
