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
            confusion_sklearn_labels,
            confusion_dict_counts,
        ],
        "wrong": [
            (confusion_transposed, "transpose"),
            (confusion_fancy_index, "overwrite_not_accumulate"),
            (confusion_fractions, "normalised"),
            (confusion_size_from_labels, "size_from_data"),
            (confusion_diagonal, "diagonal_only"),
            (confusion_forgot_return, "not_a_result"),
            (confusion_one_based, None),
            (cm_shifted, "shifted_labels"),
            (cm_one_too_big, None),
            (confusion_sklearn_no_labels, "size_from_data"),
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
        ],
    },
}
