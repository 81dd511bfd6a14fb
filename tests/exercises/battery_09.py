"""Answers to notebook 09's exercises (9.1 softmax_cross_entropy_gradient, 9.2 predict_labels,
9.3 sgd_step, 9.4 confusion_matrix), written the way students write them.

One battery per notebook: the team's answers and the cold students' (who wrote theirs from the
student edition and the checks' public docstrings, never the checks' code) merged, duplicates
dropped, and answers added for the cases and keys that came with the declared specs: scores
near +-1000 in 9.1 and 9.2 (no shift, one shift for the whole batch, a clip, the softmax's
argmax), the course's own functions called (`cross_entropy`, `MLP.gradients`, `MLP.step`), a
shallow copy after an in-place update, lists built from layer L down, labels shifted by one.
Right answers in other styles must be accepted; each wrong answer must be rejected and, where
a key is given, named with it (None: rejected, the message says where it differs).
tests/test_exercise_batteries.py runs them; tools/exercise_battery.py reports on them.
Exercise 4.1's answers, which notebook 09 asks for again, are in battery_04.
"""

import copy
import math

import numpy as np
from scipy.special import logsumexp
from scipy.special import softmax as scipy_softmax
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from bpcourse.activations import identity, tanh
from bpcourse.gradcheck import numerical_gradient
from bpcourse.losses import cross_entropy
from bpcourse.mlp import MLP, layer_backward, layer_forward


def grad_shifted(s, y):
    N = s.shape[0]
    p = np.exp(s - np.max(s, axis=1)[:, None])
    p = p / np.sum(p, axis=1)[:, None]
    p[np.arange(N), y] -= 1
    return p / N


def grad_logsumexp(s, y):
    N, K = s.shape
    m = s.max(axis=1, keepdims=True)
    log_p = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))
    return (np.exp(log_p) - np.eye(K)[y]) / N


def grad_loops(s, y):
    N, K = len(s), len(s[0])
    out = []
    for n in range(N):
        top = max(s[n])
        e = [np.exp(v - top) for v in s[n]]
        total = sum(e)
        out.append([(e[k] / total - (1.0 if k == y[n] else 0.0)) / N for k in range(K)])
    return out  # a list of lists: the prompt accepts it


def grad_float32_input_safe(s, y):
    s = np.asarray(s, dtype=np.float64)
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    return np.einsum("nk->nk", p - onehot) / len(y)


def grad_sum_not_mean(s, y):
    return grad_shifted(s, y) * len(s)


def grad_mean_over_everything(s, y):
    return grad_shifted(s, y) / s.shape[1]  # np.mean over N*K entries in the student's head


def grad_naive_exp(s, y):
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_forgot_onehot(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True) / len(s)


def grad_columns(s, y):
    p = np.exp(s - s.max(axis=0))
    p = p / p.sum(axis=0)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_every_row_every_label(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    p[:, y] -= 1
    return p / len(s)


def grad_sign(s, y):
    return -grad_shifted(s, y)


def grad_transposed(s, y):
    return grad_shifted(s, y).T


def grad_in_place(s, y):
    s -= s.max(axis=1, keepdims=True)  # changes the caller's scores
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_forgot_return(s, y):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    p / len(y)  # noqa: B018 (the student forgot the return)


def grad_returns_loss_too(s, y):
    return 0.0, grad_shifted(s, y)


def grad_single_precision(s, y):
    return grad_shifted(s.astype(np.float32), y)


def grad_log_probabilities(s, y):
    z = s - s.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    log_p[np.arange(len(y)), y] -= 1
    return log_p / len(y)


def grad_generator(s, y):
    return (row for row in grad_shifted(s, y))


def predict_argmax(s):
    return np.argmax(s, axis=1)


def predict_loop(s):
    return [max(range(len(row)), key=lambda k: row[k]) for row in s]


def predict_softmax_first(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return (p / p.sum(axis=1, keepdims=True)).argmax(axis=-1)


def predict_axis0(s):
    return np.argmax(s, axis=0)


def predict_no_axis(s):
    return np.argmax(s)


def predict_max(s):
    return np.max(s, axis=1)


def predict_float_labels(s):
    return np.argmax(s, axis=1).astype(float)


def predict_one_based(s):
    return np.argmax(s, axis=1) + 1


def predict_argmin(s):
    return np.argmin(s, axis=1)


def predict_map(s):
    return map(np.argmax, s)


def predict_probabilities(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def predict_reversed(s):
    return np.argmax(s, axis=1)[::-1]


def confusion_loop(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def confusion_lists(y_true, y_pred, K):
    C = [[0] * K for _ in range(K)]
    for t, p in zip(y_true, y_pred):
        C[t][p] += 1
    return C


def confusion_bincount(y_true, y_pred, K):
    return np.bincount(np.asarray(y_true) * K + np.asarray(y_pred), minlength=K * K).reshape(K, K)


def confusion_float_counts(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1.0
    return C


def confusion_transposed(y_true, y_pred, K):
    return confusion_loop(y_pred, y_true, K)


def confusion_fancy_index(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_true, y_pred] += 1  # repeats are not accumulated
    return C


def confusion_fractions(y_true, y_pred, K):
    C = confusion_loop(y_true, y_pred, K).astype(float)
    return C / np.maximum(C.sum(axis=1, keepdims=True), 1)


def confusion_size_from_labels(y_true, y_pred, K):
    size = max(max(y_true), max(y_pred)) + 1
    return confusion_loop(y_true, y_pred, size)


def confusion_diagonal(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, p] += 1
    return C


def confusion_forgot_return(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1


def confusion_one_based(y_true, y_pred, K):
    C = np.zeros((K + 1, K + 1), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t + 1, p + 1] += 1
    return C


def _scores_grad(scores, y):
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def _forward(weights, biases, X):
    """tanh hidden layers, identity output: lists s and x indexed by the layer."""
    ss, xs = [None], [X]
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        ss.append(xs[-1] @ w.T + b)
        xs.append(ss[-1] if l == len(weights) else np.tanh(ss[-1]))
    return ss, xs


def step_loops(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        if l < L:
            g = g * (1 - np.tanh(ss[l]) ** 2)
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ weights[l - 1]
    return new_w, new_b


def step_einsum_copies(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    new_w = [w.copy() for w in weights]
    new_b = [b.copy() for b in biases]
    g = _scores_grad(xs[L], y)
    for l in reversed(range(1, L + 1)):
        if l != L:
            g = g * (1 - xs[l] ** 2)  # tanh' from the output: 1 - tanh(s)^2
        back = np.einsum("nj,jk->nk", g, weights[l - 1])
        new_w[l - 1] -= lr * np.einsum("nj,nk->jk", g, xs[l - 1])
        new_b[l - 1] -= lr * np.einsum("nj->j", g)
        g = back
    return new_w, new_b


def step_tuple_result(weights, biases, X, y, lr):
    w, b = step_loops(weights, biases, X, y, lr)
    return tuple(w), tuple(b)


def step_in_place(weights, biases, X, y, lr):
    new_w, new_b = step_loops(weights, biases, X, y, lr)
    for w, nw in zip(weights, new_w):
        w[...] = nw  # changes the caller's arrays
    return weights, biases


def step_uphill(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, -lr)


def step_no_lr(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, 1.0)


def step_biases_kept(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr)[0], [b.copy() for b in biases]


def step_no_tanh_prime(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ weights[l - 1]
    return new_w, new_b


def step_updates_first(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    g = _scores_grad(xs[L], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        if l < L:
            g = g * (1 - np.tanh(ss[l]) ** 2)
        new_w[l - 1] = weights[l - 1] - lr * (g.T @ xs[l - 1])
        new_b[l - 1] = biases[l - 1] - lr * g.sum(axis=0)
        g = g @ new_w[l - 1]  # the weights it just changed
    return new_w, new_b


def step_summed(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr * len(X))


def step_skips_layer_1(weights, biases, X, y, lr):
    new_w, new_b = step_loops(weights, biases, X, y, lr)
    new_w[0], new_b[0] = weights[0].copy(), biases[0].copy()
    return new_w, new_b


def step_forgot_return(weights, biases, X, y, lr):
    step_loops(weights, biases, X, y, lr)


def step_weights_only(weights, biases, X, y, lr):
    return step_loops(weights, biases, X, y, lr)[0]


def step_swapped(weights, biases, X, y, lr):
    w, b = step_loops(weights, biases, X, y, lr)
    return b, w


def sm_shifted(s, y):
    s = np.asarray(s, dtype=np.float64)
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sm_loops(s, y):
    N, K = len(s), len(s[0])
    out = []
    for n in range(N):
        m = max(s[n])
        e = [math.exp(s[n][k] - m) for k in range(K)]
        total = sum(e)
        out.append([(e[k] / total - (1.0 if k == y[n] else 0.0)) / N for k in range(K)])
    return out


def sm_logsumexp(s, y):
    p = np.exp(s - logsumexp(s, axis=1, keepdims=True))
    return (p - np.eye(s.shape[1])[y]) / s.shape[0]


def sm_package(s, y):
    return cross_entropy(s, y)[1]  # the loss the notebook names, gradient included


def sm_no_mean(s, y):
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return p


def sm_log_probs(s, y):
    logp = s - logsumexp(s, axis=1, keepdims=True)
    return (logp - np.eye(s.shape[1])[y]) / len(y)


def sm_minus_one_everywhere(s, y):
    z = s - s.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p - 1.0) / len(y)


def sm_float32(s, y):
    return sm_shifted(np.asarray(s, dtype=np.float32), y).astype(np.float32)


def sm_over_K(s, y):
    return sm_shifted(s, y) * len(y) / s.shape[1]


def pl_list(s):
    return [int(max(range(len(row)), key=lambda k: row[k])) for row in np.asarray(s)]


def pl_softmax_first(s):
    z = np.exp(s - s.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).argmax(axis=1)


def pl_argmin_negated(s):
    return np.argmin(-np.asarray(s), axis=1)


def pl_argsort(s):
    return np.argsort(s, axis=1, kind="stable")[:, -1]


def pl_no_return(s):
    labels = np.argmax(s, axis=1)  # noqa: F841


def _sm_grad(s, y):
    return sm_shifted(s, y)


def _forward_keep(weights, biases, X, out_sigma=identity):
    L = len(weights)
    xs, ss = [X], [None]
    for l in range(1, L + 1):
        s, x = layer_forward(xs[-1], weights[l - 1], biases[l - 1], tanh if l < L else out_sigma)
        ss.append(s)
        xs.append(x)
    return ss, xs


def sgd_loop(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    new_w, new_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_package(weights, biases, X, y, lr):
    net = MLP.from_params(
        [np.array(w) for w in weights],
        [np.array(b) for b in biases],
        activation="tanh",
        output_activation="identity",
    )
    _, gw, gb = net.gradients(X, y, loss="cross_entropy")
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_per_sample(weights, biases, X, y, lr):
    L, N = len(weights), len(X)
    gw = [np.zeros_like(w) for w in weights]
    gb = [np.zeros_like(b) for b in biases]
    for n in range(N):
        ss, xs = _forward_keep(weights, biases, X[n : n + 1])
        dl_dx = _sm_grad(xs[-1], y[n : n + 1]) / N
        for l in range(L, 0, -1):
            dl_dx, dw, db = layer_backward(
                dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
            )
            gw[l - 1] += dw
            gb[l - 1] += db
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_copies_then_update(weights, biases, X, y, lr):
    new_w = [w.copy() for w in weights]
    new_b = [b.copy() for b in biases]
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    grads = []
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        grads.append((l, dw, db))
    for l, dw, db in grads:
        new_w[l - 1] -= lr * dw
        new_b[l - 1] -= lr * db
    return new_w, new_b


def sgd_in_place(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        weights[l - 1] -= lr * dw
        biases[l - 1] -= lr * db
    return weights, biases


def _sgd_variant(
    weights, biases, X, y, lr, *, sign=-1.0, use_lr=True, update_b=True, hidden=tanh,
    early=False, grad_scale=1.0, last=1, out_sigma=identity,
):  # fmt: skip
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X, out_sigma)
    dl_dx = _sm_grad(xs[-1], y) * grad_scale
    new_w, new_b = [np.array(w) for w in weights], [np.array(b) for b in biases]
    step = lr if use_lr else 1.0
    for l in range(L, last - 1, -1):
        w_used = weights[l - 1]
        sig = hidden if l < L else out_sigma
        _, dw, db = layer_backward(dl_dx, ss[l], xs[l - 1], w_used, sig)
        new_w[l - 1] = weights[l - 1] + sign * step * dw
        if update_b:
            new_b[l - 1] = biases[l - 1] + sign * step * db
        if early:
            w_used = new_w[l - 1]  # the updated weights carry the gradient further down
        dl_dx = layer_backward(dl_dx, ss[l], xs[l - 1], w_used, sig)[0]
    return new_w, new_b


def sgd_summed(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, grad_scale=float(len(X)))


def sgd_tanh_output(weights, biases, X, y, lr):
    return _sgd_variant(weights, biases, X, y, lr, out_sigma=tanh)


def sgd_layers_reversed(weights, biases, X, y, lr):
    L = len(weights)
    ss, xs = _forward_keep(weights, biases, X)
    dl_dx = _sm_grad(xs[-1], y)
    new_w, new_b = [], []
    for l in range(L, 0, -1):
        dl_dx, dw, db = layer_backward(
            dl_dx, ss[l], xs[l - 1], weights[l - 1], tanh if l < L else identity
        )
        new_w.append(weights[l - 1] - lr * dw)  # appended from layer L down: reversed lists
        new_b.append(biases[l - 1] - lr * db)
    return new_w, new_b


def cm_add_at(y_true, y_pred, K):
    C = np.zeros((K, K))
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


def cm_bincount(y_true, y_pred, K):
    idx = np.asarray(y_true) * K + np.asarray(y_pred)
    return np.bincount(idx, minlength=K * K).reshape(K, K)


def cm_lists(y_true, y_pred, K):
    pairs = list(zip(list(y_true), list(y_pred)))
    return [[pairs.count((i, j)) for j in range(K)] for i in range(K)]


def cm_histogram2d(y_true, y_pred, K):
    C, _, _ = np.histogram2d(y_true, y_pred, bins=[np.arange(K + 1)] * 2)
    return C


def cm_shifted(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t - 1, p - 1] += 1  # "labels start at 1"
    return C


def cm_one_too_big(y_true, y_pred, K):
    C = np.zeros((K + 1, K + 1), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


# ----- added with the declared specs: the new cases and keys ----------------------------------
def grad_global_max(s, y):
    p = np.exp(s - np.max(s))  # one shift for the whole batch
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_clipped(s, y):
    p = np.exp(np.clip(s, -700, 700))  # "exp(709) is the largest that fits"
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_row_min_shift(s, y):
    p = np.exp(s - s.min(axis=1, keepdims=True))  # shifted, but by the wrong end
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def grad_scipy_softmax(s, y):
    p = scipy_softmax(s, axis=1)
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def grad_by_finite_differences(s, y):
    def loss(scores):
        z = scores - scores.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -log_p[np.arange(len(y)), y].mean()

    return numerical_gradient(loss, np.array(s, dtype=float))


def grad_central_differences_by_hand(s, y):
    def loss(scores):
        z = scores - scores.max(axis=1, keepdims=True)
        return np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y])

    g, h = np.zeros_like(s), 1e-5
    for index in np.ndindex(s.shape):
        e = np.zeros_like(s)
        e[index] = h
        g[index] = (loss(s + e) - loss(s - e)) / (2 * h)
    return g


def predict_naive_softmax(s):
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    return np.argmax(p, axis=1)


def predict_exp_only(s):
    return np.argmax(np.exp(s), axis=1)  # exp keeps the order... until it overflows


def predict_global_shift_softmax(s):
    p = np.exp(s - s.max())
    return np.argmax(p / p.sum(axis=1, keepdims=True), axis=1)


def predict_stable_softmax(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return (p / p.sum(axis=1, keepdims=True)).argmax(axis=1).tolist()


def predict_loop_strict(s):
    labels = []
    for row in s:
        best = 0
        for k in range(1, len(row)):
            if row[k] > row[best]:
                best = k
        labels.append(best)
    return np.array(labels)


def step_shallow_copy(weights, biases, X, y, lr):
    ss, xs = _forward(weights, biases, X)
    L = len(weights)
    new_w, new_b = weights.copy(), list(biases)  # copies of the lists, not of the arrays
    g = _scores_grad(xs[L], y)
    for l in range(L, 0, -1):
        if l < L:
            g = g * (1 - xs[l] ** 2)
        back = g @ weights[l - 1]
        new_w[l - 1] -= lr * (g.T @ xs[l - 1])
        new_b[l - 1] -= lr * g.sum(axis=0)
        g = back
    return new_w, new_b


def step_deepcopy(weights, biases, X, y, lr):
    import copy

    new_w, new_b = copy.deepcopy(weights), copy.deepcopy(biases)
    ss, xs = _forward(weights, biases, X)
    g = _scores_grad(xs[-1], y)
    for l in range(len(weights), 0, -1):
        if l < len(weights):
            g = g * (1 - np.tanh(ss[l]) ** 2)
        new_w[l - 1] -= lr * g.T @ xs[l - 1]
        new_b[l - 1] -= lr * g.sum(axis=0)
        g = g @ weights[l - 1]
    return new_w, new_b


def step_mlp_step(weights, biases, X, y, lr):
    net = MLP.from_params(weights, biases, activation="tanh", output_activation="identity")
    net.step(X, y, lr, loss="cross_entropy")
    return list(net.weights), list(net.biases)


def step_lr_on_weights_only(weights, biases, X, y, lr):
    new_w, _ = step_loops(weights, biases, X, y, lr)
    _, unit_b = step_loops(weights, biases, X, y, 1.0)  # the biases' step without lr
    return new_w, unit_b


def confusion_sklearn_labels(y_true, y_pred, K):
    return sklearn_confusion_matrix(y_true, y_pred, labels=list(range(K)))


def confusion_sklearn_no_labels(y_true, y_pred, K):
    return sklearn_confusion_matrix(y_true, y_pred)  # only the labels that occur


def confusion_dict_counts(y_true, y_pred, K):
    counts = {}
    for pair in zip(y_true, y_pred):
        counts[pair] = counts.get(pair, 0) + 1
    return [[counts.get((i, j), 0) for j in range(K)] for i in range(K)]


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def _softmax_rows(s):
    z = s - s.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sg_right_vectorised(s, y):
    p = _softmax_rows(np.asarray(s, dtype=float))
    p[np.arange(len(y)), y] -= 1.0
    return p / len(y)


def sg_right_loops_lists(s, y):
    N = len(s)
    out = []
    for n in range(N):
        m = max(s[n])
        ex = [np.exp(v - m) for v in s[n]]
        Z = sum(ex)
        out.append([(ex[k] / Z - (1.0 if k == y[n] else 0.0)) / N for k in range(len(ex))])
    return out


def sg_right_logsumexp_onehot_eye(s, y):
    N, K = s.shape
    m = s.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(s - m).sum(axis=1, keepdims=True))
    return (np.exp(s - lse) - np.eye(K)[y]) / N


def sg_right_broadcast_onehot(s, y):
    N, K = s.shape
    onehot = (np.arange(K)[None, :] == np.asarray(y)[:, None]).astype(float)
    shifted = s - np.max(s, axis=-1, keepdims=True)
    p = np.exp(shifted)
    p = p / np.sum(p, axis=-1, keepdims=True)
    return (p - onehot) / N


def sg_right_put_along_axis(s, y):
    p = _softmax_rows(s.copy())
    idx = np.asarray(y).reshape(-1, 1)
    np.put_along_axis(p, idx, np.take_along_axis(p, idx, axis=1) - 1, axis=1)
    return p * (1.0 / s.shape[0])


def sg_right_scipy_softmax(s, y):
    from scipy.special import softmax

    p = softmax(s, axis=1)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_forgot_mean(s, y):
    p = _softmax_rows(s)
    p[np.arange(len(y)), y] -= 1
    return p


def sg_unstable(s, y):
    e = np.exp(s)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_global_max(s, y):
    e = np.exp(s - s.max())
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_column_max(s, y):
    e = np.exp(s - s.max(axis=0))  # shift by the wrong maximum
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_onehot_indexing(s, y):
    p = _softmax_rows(s)
    p[:, y] -= 1
    return p / len(y)


def sg_forgot_onehot(s, y):
    return _softmax_rows(s) / len(y)


def sg_sum_axis0(s, y):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_sign(s, y):
    p = _softmax_rows(s)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1
    return (onehot - p) / len(y)


def sg_shift_in_place(s, y):
    s -= s.max(axis=1, keepdims=True)
    e = np.exp(s)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_finite_differences(s, y):
    def loss(S):
        z = S - S.max(axis=1, keepdims=True)
        return np.mean(-z[np.arange(len(y)), y] + np.log(np.exp(z).sum(axis=1)))

    g, h = np.zeros_like(s), 1e-6
    for idx in np.ndindex(s.shape):
        up, down = s.copy(), s.copy()
        up[idx] += h
        down[idx] -= h
        g[idx] = (loss(up) - loss(down)) / (2 * h)
    return g


def sg_uses_cross_entropy(s, y):
    from bpcourse.losses import cross_entropy

    return cross_entropy(s, y)[1]


def sg_uses_course_softmax(s, y):
    from bpcourse.losses import softmax

    p = softmax(s)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_log_probabilities(s, y):
    z = s - s.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    logp[np.arange(len(y)), y] -= 1
    return logp / len(y)


def sg_onehot_everywhere(s, y):
    return (_softmax_rows(s) - 1) / len(y)


def sg_float32(s, y):
    p = _softmax_rows(s.astype(np.float32))
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_no_return(s, y):
    p = _softmax_rows(s)
    p[np.arange(len(y)), y] -= 1
    p /= len(y)


def sg_mean_over_classes(s, y):
    p = _softmax_rows(s)
    p[np.arange(len(y)), y] -= 1
    return p / s.shape[1]


def sg_clipped_scores(s, y):
    # second try after "overflow": clip the scores so that exp cannot overflow
    e = np.exp(np.clip(s, -500, 500))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def sg_transposed(s, y):
    p = _softmax_rows(s)
    p[np.arange(len(y)), y] -= 1
    return (p / len(y)).T


def sg_mean_twice(s, y):
    p = _softmax_rows(s) / len(y)  # the mean ...
    p[np.arange(len(y)), y] -= 1 / len(y)
    return p / len(y)  # ... and the mean again


def pl_right_argmax(s):
    return np.argmax(s, axis=1)


def pl_right_list(s):
    return [int(np.argmax(row)) for row in s]


def pl_right_loop(s):
    out = []
    for row in s:
        best = 0
        for k in range(1, len(row)):
            if row[k] > row[best]:
                best = k
        out.append(best)
    return out


def pl_right_argsort(s):
    return np.argsort(s, axis=1, kind="stable")[:, -1]


def pl_right_index_of_max(s):
    return [list(row).index(max(row)) for row in s]


def pl_right_stable_softmax(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return p.argmax(axis=1)


def pl_axis0(s):
    return np.argmax(s, axis=0)


def pl_no_axis(s):
    return np.argmax(s)


def pl_max(s):
    return np.max(s, axis=1)


def pl_argmin(s):
    return np.argmin(s, axis=1)


def pl_plus_one(s):
    return np.argmax(s, axis=1) + 1


def pl_unstable_softmax(s):
    e = np.exp(s)
    return np.argmax(e / e.sum(axis=1, keepdims=True), axis=1)


def pl_probabilities(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def pl_floats(s):
    return np.argmax(s, axis=1).astype(float)


def pl_drops_last(s):
    labels = [int(np.argmax(s[n])) for n in range(len(s) - 1)]  # off-by-one loop
    return labels


def pl_sorts_in_place(s):
    s.sort(axis=1)
    return np.argmax(s, axis=1)


def pl_argsort_first(s):
    return np.argsort(s, axis=1)[:, 0]


def cold_pl_no_return(s):
    labels = np.argmax(s, axis=1)  # noqa: F841  # noqa: F841


def pl_keepdims(s):
    return np.argmax(s, axis=1, keepdims=True)


def pl_global_max_softmax(s):
    # second try after "unstable_softmax": shifts, but by the batch's maximum
    e = np.exp(s - s.max())
    return np.argmax(e / e.sum(axis=1, keepdims=True), axis=1)


def pl_exp_argmax(s):
    return np.argmax(np.exp(s), axis=1)


def pl_reference(s):
    import bpcourse.exercises as ex

    return ex.check_predict_labels(lambda *a: None).reference(s)


def pl_float_indices_loop(s):
    out = np.zeros(len(s))  # float array filled with the labels
    for n, row in enumerate(s):
        out[n] = np.argmax(row)
    return out


def _sce_grad(s, y):
    p = _softmax_rows(s)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def _layer_backward(dL_dx, s, x_prev, w, sigma):
    dL_ds = dL_dx * sigma.df(s)
    return dL_ds @ w, dL_ds.T @ x_prev, dL_ds.sum(axis=0)


def cold__forward_keep(weights, biases, X, out_sigma=identity):
    L = len(weights)
    s, x = [None], [X]
    for l in range(1, L + 1):
        s_l, x_l = layer_forward(
            x[-1], weights[l - 1], biases[l - 1], out_sigma if l == L else tanh
        )
        s.append(s_l)
        x.append(x_l)
    return s, x


def _grads(weights, biases, X, y, hidden=tanh, out=identity, grad=_sce_grad):
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = grad(x[L], y)
    gw, gb = [None] * L, [None] * L
    for l in range(L, 0, -1):
        g, gw[l - 1], gb[l - 1] = _layer_backward(
            g, s[l], x[l - 1], weights[l - 1], out if l == L else hidden
        )
    return gw, gb


def sgd_right_comprehension(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_right_deepcopy(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    new_w = copy.deepcopy(list(weights))
    new_b = [np.array(b, copy=True) for b in biases]
    for l in range(len(new_w)):
        new_w[l] -= lr * gw[l]
        new_b[l] -= lr * gb[l]
    return new_w, new_b


def sgd_right_inline(weights, biases, X, y, lr):
    L = len(weights)
    xs, ss = [X], [None]
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        s = xs[-1] @ w.T + b
        ss.append(s)
        xs.append(s if l == L else np.tanh(s))
    z = xs[-1] - xs[-1].max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    dx = p / len(y)
    new_w, new_b = list(weights), list(biases)
    for l in range(L, 0, -1):
        ds = dx if l == L else dx * (1 - np.tanh(ss[l]) ** 2)
        dw, db = ds.T @ xs[l - 1], ds.sum(axis=0)
        dx = ds @ weights[l - 1]
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_right_per_sample(weights, biases, X, y, lr):
    L, N = len(weights), len(X)
    gw = [np.zeros_like(w) for w in weights]
    gb = [np.zeros_like(b) for b in biases]
    for n in range(N):
        s, x = cold__forward_keep(weights, biases, X[n : n + 1])
        g = _sce_grad(x[L], y[n : n + 1]) / N  # sample n's loss, weighted 1/N in the mean
        for l in range(L, 0, -1):
            g, dw, db = _layer_backward(
                g, s[l], x[l - 1], weights[l - 1], identity if l == L else tanh
            )
            gw[l - 1] += dw
            gb[l - 1] += db
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_right_tuples_recursive(weights, biases, X, y, lr):
    L = len(weights)

    def back(l, x_prev):  # returns dL/dx_prev and the updated layers l..L
        s, x = layer_forward(x_prev, weights[l - 1], biases[l - 1], identity if l == L else tanh)
        if l == L:
            g = _sce_grad(x, y)
            rest_w, rest_b = (), ()
        else:
            g, rest_w, rest_b = back(l + 1, x)
        dx_prev, dw, db = _layer_backward(
            g, s, x_prev, weights[l - 1], identity if l == L else tanh
        )
        return dx_prev, (weights[l - 1] - lr * dw,) + rest_w, (biases[l - 1] - lr * db,) + rest_b

    _, new_w, new_b = back(1, X)
    return new_w, new_b


def cold_sgd_in_place(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    for w, g in zip(weights, gw):
        w -= lr * g
    for b, g in zip(biases, gb):
        b -= lr * g
    return weights, biases


def sgd_shallow_copy(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    new_w, new_b = list(weights), biases.copy()
    for l in range(len(new_w)):
        new_w[l] -= lr * gw[l]
        new_b[l] -= lr * gb[l]
    return new_w, new_b


def sgd_copy_copy(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    new_w, new_b = copy.copy(weights), biases[:]
    for l in range(len(new_w)):
        new_w[l] -= lr * gw[l]
        new_b[l] -= lr * gb[l]
    return new_w, new_b


def sgd_uphill(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [w + lr * g for w, g in zip(weights, gw)], [b + lr * g for b, g in zip(biases, gb)]


def sgd_no_lr(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [w - g for w, g in zip(weights, gw)], [b - g for b, g in zip(biases, gb)]


def sgd_biases_unchanged(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [w - lr * g for w, g in zip(weights, gw)], [b.copy() for b in biases]


def sgd_no_sigma_prime(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y, hidden=identity)
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_tanh_on_output(weights, biases, X, y, lr):
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X, out_sigma=tanh)
    g = _sce_grad(x[L], y)
    new_w, new_b = list(weights), list(biases)
    for l in range(L, 0, -1):
        g, dw, db = _layer_backward(g, s[l], x[l - 1], weights[l - 1], tanh)
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_tanh_prime_on_output(weights, biases, X, y, lr):
    # forward right, but the backward pass puts tanh' on the output layer as on the others
    gw, gb = _grads(weights, biases, X, y, out=tanh)
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_updated_too_early(weights, biases, X, y, lr):
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = _sce_grad(x[L], y)
    new_w, new_b = [w.copy() for w in weights], [b.copy() for b in biases]
    for l in range(L, 0, -1):
        sigma = identity if l == L else tanh
        _, dw, db = _layer_backward(g, s[l], x[l - 1], new_w[l - 1], sigma)
        new_w[l - 1] = new_w[l - 1] - lr * dw
        new_b[l - 1] = new_b[l - 1] - lr * db
        g = (g * sigma.df(s[l])) @ new_w[l - 1]  # back through the already updated w
    return new_w, new_b


def sgd_summed_loss(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    N = len(y)
    return [w - lr * N * g for w, g in zip(weights, gw)], [
        b - lr * N * g for b, g in zip(biases, gb)
    ]


def sgd_gradient_without_mean(weights, biases, X, y, lr):
    # the same mistake in a new form: the loss gradient without its 1/N
    def grad_no_mean(s, labels):
        p = _softmax_rows(s)
        p[np.arange(len(labels)), labels] -= 1
        return p

    gw, gb = _grads(weights, biases, X, y, grad=grad_no_mean)
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_stops_early(weights, biases, X, y, lr):
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = _sce_grad(x[L], y)
    new_w, new_b = [w.copy() for w in weights], [b.copy() for b in biases]
    for l in range(L, 1, -1):
        g, dw, db = _layer_backward(g, s[l], x[l - 1], weights[l - 1], identity if l == L else tanh)
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_reversed_layers(weights, biases, X, y, lr):
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = _sce_grad(x[L], y)
    gw, gb = [], []
    for l in range(L, 0, -1):
        g, dw, db = _layer_backward(g, s[l], x[l - 1], weights[l - 1], identity if l == L else tanh)
        gw.append(dw)  # appended from layer L down ...
        gb.append(db)
    # ... and zipped with the layers from 1 up
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_uses_step(weights, biases, X, y, lr):
    from bpcourse import MLP

    net = MLP.from_params(
        [w.copy() for w in weights],
        [b.copy() for b in biases],
        activation="tanh",
        output_activation="identity",
    )
    net.step(X, y, lr, loss="cross_entropy")
    return list(net.weights), list(net.biases)


def sgd_uses_gradients(weights, biases, X, y, lr):
    from bpcourse import MLP

    net = MLP.from_params(weights, biases, activation="tanh", output_activation="identity")
    _, gw, gb = net.gradients(X, y, loss="cross_entropy")
    return [w - lr * g for w, g in zip(weights, gw)], [b - lr * g for b, g in zip(biases, gb)]


def sgd_float32(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return (
        [(w - lr * g).astype(np.float32) for w, g in zip(weights, gw)],
        [(b - lr * g).astype(np.float32) for b, g in zip(biases, gb)],
    )


def sgd_no_return(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    new_w = [w - lr * g for w, g in zip(weights, gw)]  # noqa: F841
    new_b = [b - lr * g for b, g in zip(biases, gb)]  # noqa: F841


def sgd_output_order(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [b - lr * g for b, g in zip(biases, gb)], [w - lr * g for w, g in zip(weights, gw)]


def sgd_lr_on_weights_only(weights, biases, X, y, lr):
    gw, gb = _grads(weights, biases, X, y)
    return [w - lr * g for w, g in zip(weights, gw)], [b - g for b, g in zip(biases, gb)]


def sgd_sigma_prime_at_output_x(weights, biases, X, y, lr):
    # tanh'(x) where tanh'(s) is meant: 1 - tanh(x)^2 with x = tanh(s)
    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = _sce_grad(x[L], y)
    new_w, new_b = list(weights), list(biases)
    for l in range(L, 0, -1):
        sigma = identity if l == L else tanh
        g, dw, db = _layer_backward(g, x[l], x[l - 1], weights[l - 1], sigma)
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def sgd_package_layer_backward(weights, biases, X, y, lr):
    # builds the step around the package's layer_backward (the answer of Exercise 4.1)
    from bpcourse.mlp import layer_backward as lb

    L = len(weights)
    s, x = cold__forward_keep(weights, biases, X)
    g = _sce_grad(x[L], y)
    new_w, new_b = list(weights), list(biases)
    for l in range(L, 0, -1):
        g, dw, db = lb(g, s[l], x[l - 1], weights[l - 1], identity if l == L else tanh)
        new_w[l - 1] = weights[l - 1] - lr * dw
        new_b[l - 1] = biases[l - 1] - lr * db
    return new_w, new_b


def cm_right_loop(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def cm_right_add_at(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def cm_right_bincount(y_true, y_pred, K):
    return np.bincount(np.asarray(y_true) * K + np.asarray(y_pred), minlength=K * K).reshape(K, K)


def cm_right_histogram2d(y_true, y_pred, K):
    C, _, _ = np.histogram2d(y_true, y_pred, bins=[np.arange(K + 1)] * 2)
    return C  # floats holding whole counts


def cm_right_lists(y_true, y_pred, K):
    pairs = list(zip(y_true, y_pred))
    return [[sum(1 for t, p in pairs if t == i and p == j) for j in range(K)] for i in range(K)]


def cm_right_onehot_product(y_true, y_pred, K):
    T = (np.asarray(y_true)[:, None] == np.arange(K)).astype(int)
    P = (np.asarray(y_pred)[:, None] == np.arange(K)).astype(int)
    return T.T @ P


def cm_transposed(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[p, t] += 1
    return C


def cm_transposed_zip_order(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_pred, y_true):  # the same swap, in the zip
        C[t][p] += 1
    return C


def cm_fancy_plus_equal(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_true, y_pred] += 1
    return C


def cm_assign_one(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] = 1
    return C


def cm_row_normalised(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C / np.maximum(C.sum(axis=1, keepdims=True), 1)


def cm_row_normalised_naive(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C / C.sum(axis=1, keepdims=True)  # 0/0 for a class absent from y_true


def cm_divided_by_n(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C / len(y_true)


def cm_percent(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return 100 * C / len(y_true)


def cm_size_from_data(y_true, y_pred, K):
    K2 = max(max(y_true), max(y_pred)) + 1
    C = np.zeros((K2, K2), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def cm_bincount_no_minlength(y_true, y_pred, K):
    counts = np.bincount(np.asarray(y_true) * K + np.asarray(y_pred))  # no minlength
    return counts.reshape(K, K)


def cm_diagonal_only(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, t] += 1
    return C


def cm_shifted_labels(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t - 1, p - 1] += 1
    return C


def cm_sklearn(y_true, y_pred, K):
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    return sk_confusion_matrix(y_true, y_pred, labels=list(range(K)))


def cm_aliased_rows(y_true, y_pred, K):
    C = [[0] * K] * K
    for t, p in zip(y_true, y_pred):
        C[t][p] += 1
    return C


def cm_no_return(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1


def cm_sorts_labels(y_true, y_pred, K):
    order = np.argsort(y_true)
    y_true.sort()  # "easier to read sorted"
    y_pred[:] = y_pred[order]
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def cm_k_plus_one(y_true, y_pred, K):
    C = np.zeros((K + 1, K + 1), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def cm_loop_off_by_one(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for n in range(len(y_true) - 1):
        C[y_true[n], y_pred[n]] += 1
    return C


def cm_symmetric(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
        if t != p:
            C[p, t] += 1  # "a confusion goes both ways"
    return C


def cm_reference(y_true, y_pred, K):
    import bpcourse.exercises as ex

    return ex.check_confusion_matrix(lambda *a: None).reference(y_true, y_pred, K)


BATTERY = {
    "softmax_cross_entropy_gradient": {
        "right": [
            grad_shifted,
            grad_logsumexp,
            grad_loops,
            grad_float32_input_safe,
            sm_shifted,
            sm_loops,
            sm_logsumexp,
            grad_scipy_softmax,
            sg_right_vectorised,
            sg_right_loops_lists,
            sg_right_logsumexp_onehot_eye,
            sg_right_broadcast_onehot,
            sg_right_put_along_axis,
            sg_right_scipy_softmax,
        ],
        "wrong": [
            (grad_sum_not_mean, "scale"),
            (grad_mean_over_everything, "scale"),
            (grad_naive_exp, "overflow"),
            (grad_forgot_onehot, "forgot_onehot"),
            (grad_columns, "wrong_axis"),
            (grad_every_row_every_label, "onehot_indexing"),
            (grad_sign, "sign"),
            (grad_transposed, "transpose"),
            (grad_in_place, "modified_input"),
            (grad_forgot_return, "not_a_result"),
            (grad_returns_loss_too, "not_a_result"),
            (grad_single_precision, "precision"),
            (grad_log_probabilities, "log_probabilities"),
            (grad_generator, "not_a_result"),
            (sm_no_mean, "scale"),
            (sm_log_probs, "log_probabilities"),
            (sm_minus_one_everywhere, "onehot_everywhere"),
            (sm_float32, "precision"),
            (sm_over_K, "scale"),
            (sm_package, "uses_reference"),
            (grad_global_max, "global_max"),
            (grad_clipped, "overflow"),
            (grad_row_min_shift, "overflow"),
            (grad_by_finite_differences, "finite_differences"),
            (grad_central_differences_by_hand, "finite_differences"),
            (sg_forgot_mean, "scale"),
            (sg_unstable, "overflow"),
            (sg_global_max, "global_max"),
            (sg_column_max, None),
            (sg_onehot_indexing, "onehot_indexing"),
            (sg_forgot_onehot, "forgot_onehot"),
            (sg_sum_axis0, None),
            (sg_sign, "sign"),
            (sg_shift_in_place, "modified_input"),
            (sg_finite_differences, "finite_differences"),
            (sg_uses_cross_entropy, "uses_reference"),
            (sg_uses_course_softmax, "uses_reference"),
            (sg_log_probabilities, "log_probabilities"),
            (sg_onehot_everywhere, "onehot_everywhere"),
            (sg_float32, "precision"),
            (sg_no_return, "not_a_result"),
            (sg_mean_over_classes, "scale"),
            (sg_clipped_scores, "overflow"),
            (sg_transposed, "transpose"),
            (sg_mean_twice, "scale"),
        ],
    },
    "predict_labels": {
        "right": [
            predict_argmax,
            predict_loop,
            predict_softmax_first,
            pl_list,
            pl_softmax_first,
            pl_argmin_negated,
            pl_argsort,
            predict_stable_softmax,
            predict_loop_strict,
            pl_right_argmax,
            pl_right_list,
            pl_right_loop,
            pl_right_argsort,
            pl_right_index_of_max,
            pl_right_stable_softmax,
        ],
        "wrong": [
            (predict_axis0, "wrong_axis"),
            (predict_no_axis, "no_axis"),
            (predict_max, "max_not_argmax"),
            (predict_float_labels, "not_a_result"),
            (predict_one_based, "off_by_one"),
            (predict_argmin, "argmin"),
            (predict_map, "not_a_result"),
            (predict_probabilities, "probabilities"),
            (predict_reversed, None),
            (pl_no_return, "not_a_result"),
            (predict_naive_softmax, "unstable_softmax"),
            (predict_exp_only, "unstable_softmax"),
            (predict_global_shift_softmax, "unstable_softmax"),
            (pl_axis0, "wrong_axis"),
            (pl_no_axis, "no_axis"),
            (pl_max, "max_not_argmax"),
            (pl_argmin, "argmin"),
            (pl_plus_one, "off_by_one"),
            (pl_unstable_softmax, "unstable_softmax"),
            (pl_probabilities, "probabilities"),
            (pl_floats, "not_a_result"),
            (pl_drops_last, None),
            (pl_sorts_in_place, "modified_input"),
            (pl_argsort_first, "argmin"),
            (cold_pl_no_return, "not_a_result"),
            (pl_keepdims, "shape"),
            (pl_global_max_softmax, "unstable_softmax"),
            (pl_exp_argmax, "unstable_softmax"),
            (pl_reference, "uses_reference"),
            (pl_float_indices_loop, "not_a_result"),
        ],
    },
    "confusion_matrix": {
        "right": [
            confusion_loop,
            confusion_lists,
            confusion_bincount,
            confusion_float_counts,
            cm_add_at,
            cm_bincount,
            cm_lists,
            cm_histogram2d,
            confusion_dict_counts,
            cm_right_loop,
            cm_right_add_at,
            cm_right_bincount,
            cm_right_histogram2d,
            cm_right_lists,
            cm_right_onehot_product,
        ],
        "wrong": [
            (confusion_sklearn_labels, "uses_reference"),
            (confusion_transposed, "transpose"),
            (confusion_fancy_index, "overwrite_not_accumulate"),
            (confusion_fractions, "normalised"),
            (confusion_size_from_labels, "size_from_data"),
            (confusion_diagonal, "diagonal_only"),
            (confusion_forgot_return, "not_a_result"),
            (confusion_one_based, None),
            (cm_shifted, "shifted_labels"),
            (cm_one_too_big, None),
            (confusion_sklearn_no_labels, "uses_reference"),
            (cm_transposed, "transpose"),
            (cm_transposed_zip_order, "transpose"),
            (cm_fancy_plus_equal, "overwrite_not_accumulate"),
            (cm_assign_one, "overwrite_not_accumulate"),
            (cm_row_normalised, "normalised"),
            (cm_row_normalised_naive, None),
            (cm_divided_by_n, "scale"),
            (cm_percent, "scale"),
            (cm_size_from_data, "size_from_data"),
            (cm_bincount_no_minlength, "raised"),
            (cm_diagonal_only, "diagonal_only"),
            (cm_shifted_labels, "shifted_labels"),
            (cm_sklearn, "uses_reference"),
            (cm_aliased_rows, None),
            (cm_no_return, "not_a_result"),
            (cm_sorts_labels, "modified_input"),
            (cm_k_plus_one, None),
            (cm_loop_off_by_one, None),
            (cm_symmetric, None),
            (cm_reference, "uses_reference"),
        ],
    },
    "sgd_step": {
        "right": [
            step_loops,
            step_einsum_copies,
            step_tuple_result,
            sgd_loop,
            sgd_per_sample,
            sgd_copies_then_update,
            step_deepcopy,
            sgd_right_comprehension,
            sgd_right_deepcopy,
            sgd_right_inline,
            sgd_right_per_sample,
            sgd_right_tuples_recursive,
            sgd_package_layer_backward,
        ],
        "wrong": [
            (step_in_place, "modified_input"),
            (step_uphill, "uphill"),
            (step_no_lr, "no_learning_rate"),
            (step_biases_kept, "biases_not_updated"),
            (step_no_tanh_prime, "forgot_sigma_prime"),
            (step_updates_first, "updated_too_early"),
            (step_summed, "summed_loss"),
            (step_skips_layer_1, "stops_early"),
            (step_forgot_return, "not_a_result"),
            (step_weights_only, "not_a_result"),
            (step_swapped, "output_order"),
            (sgd_in_place, "modified_input"),
            (sgd_summed, "summed_loss"),
            (sgd_tanh_output, "tanh_on_output"),
            (sgd_package, "uses_reference"),
            (sgd_layers_reversed, "reversed_layers"),
            (step_shallow_copy, "modified_input"),
            (step_mlp_step, "uses_reference"),
            (step_lr_on_weights_only, None),
            (cold_sgd_in_place, "modified_input"),
            (sgd_shallow_copy, "modified_input"),
            (sgd_copy_copy, "modified_input"),
            (sgd_uphill, "uphill"),
            (sgd_no_lr, "no_learning_rate"),
            (sgd_biases_unchanged, "biases_not_updated"),
            (sgd_no_sigma_prime, "forgot_sigma_prime"),
            (sgd_tanh_on_output, "tanh_on_output"),
            (sgd_tanh_prime_on_output, None),
            (sgd_updated_too_early, "updated_too_early"),
            (sgd_summed_loss, "summed_loss"),
            (sgd_gradient_without_mean, "summed_loss"),
            (sgd_stops_early, "stops_early"),
            (sgd_reversed_layers, "raised"),
            (sgd_uses_step, "uses_reference"),
            (sgd_uses_gradients, "uses_reference"),
            (sgd_float32, "precision"),
            (sgd_no_return, "not_a_result"),
            (sgd_output_order, "output_order"),
            (sgd_lr_on_weights_only, None),
            (sgd_sigma_prime_at_output_x, None),
        ],
    },
}
