"""Answers to notebook 03's exercises (3.1 mlp_forward, 3.2 affine_collapse), written the way
students write them.

One battery per notebook: the team's answers and the cold students' (who wrote theirs from the
student edition and the checks' public docstrings, never the checks' code) merged, duplicates
dropped, and answers added for the cases and keys that came with the declared specs (inputs
near +-1000 and near 0.001; the course's forward passes called; A(L) read off the network's
outputs, which the prompt of 3.2 rules out). Right answers in other styles must be accepted;
each wrong answer must be rejected and, where a key is given, named with it (None: rejected,
the message says where it differs). tests/test_exercise_batteries.py runs them;
tools/exercise_battery.py reports on them.
"""

import functools

import numpy as np

from bpcourse.activations import Activation
from bpcourse.mlp import MLP, layer_forward


def forward_loop(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l in range(L):
        s = x @ weights[l].T + biases[l]
        x = sigma_out.f(s) if l == L - 1 else sigma.f(s)
    return x


def forward_per_sample_per_unit(X, weights, biases, sigma, sigma_out):
    """One sample at a time and one unit at a time, as the column-vector equations read."""
    rows = []
    for x in X:
        for l in range(len(weights)):
            s = np.array([weights[l][i] @ x + biases[l][i] for i in range(len(biases[l]))])
            x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
        rows.append(x)
    return np.array(rows)


def forward_einsum(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(np.einsum("nj,ij->ni", x, w) + b)
    return x


def forward_column_form_list(X, weights, biases, sigma, sigma_out):
    """Samples turned into columns for the maths, turned back, returned as a list of rows."""
    x = X.T
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(np.dot(w, x) + b[:, None])
    return x.T.tolist()


def forward_without_bias(X, weights, biases, sigma, sigma_out):
    x = X
    for l, w in enumerate(weights):
        x = np.dot(x, w.T)
        x = sigma_out.f(x) if l == len(weights) - 1 else sigma.f(x)
    return x


def forward_w_not_transposed(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = np.matmul(x, weights[l]) + biases[l]
        x = sigma_out.f(x) if l == len(weights) - 1 else sigma.f(x)
    return x


def forward_sigma_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        x = sigma.f(x @ weights[l].T + biases[l])
    return x


def forward_no_output_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma.f(s) if l < len(weights) - 1 else s
    return x


def forward_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # one sample per column, as on the slides, and left that way
    for l in range(len(weights)):
        s = weights[l] @ x + biases[l][:, None]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x


def forward_bias_after(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ weights[l].T) + biases[l]
    return x


def forward_df(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.df(s)
    return x


def forward_calls_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights)):
        s = x @ weights[l].T + biases[l]
        x = sigma_out(s) if l == len(weights) - 1 else sigma(s)
    return x


def forward_one_layer_short(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights) - 1):
        x = sigma.f(x @ weights[l].T + biases[l])
    return x


def forward_out_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma_out.f(x @ w.T + b)
    return x


def forward_no_return(X, weights, biases, sigma, sigma_out):
    forward_loop(X, weights, biases, sigma, sigma_out)


def forward_all_layers(X, weights, biases, sigma, sigma_out):
    xs = [X]
    for l in range(len(weights)):
        s = xs[-1] @ weights[l].T + biases[l]
        xs.append(sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s))
    return xs


def forward_df_on_every_layer(X, weights, biases, sigma, sigma_out):
    rows = []
    for x_n in X:  # one sample at a time, the derivative applied on every layer
        v = x_n
        for l, (w, b) in enumerate(zip(weights, biases)):
            act = sigma_out if l == len(weights) - 1 else sigma
            v = act.df(np.dot(w, v) + b)
        rows.append(v)
    return np.array(rows)


def forward_sigma_df_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma.df(x @ w.T + b)
    return x


def forward_df_on_output(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(x @ w.T + b)
    return sigma_out.df(x @ weights[-1].T + biases[-1])


def forward_hidden_and_output(X, weights, biases, sigma, sigma_out):
    outputs, x = [], X
    for l in range(len(weights)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ weights[l].T + biases[l])
        outputs.append(x)  # every x^(l), l = 1..L
    return outputs


def forward_generator(X, weights, biases, sigma, sigma_out):
    return (row for row in forward_loop(X, weights, biases, sigma, sigma_out))


def collapse_recursion(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * w @ B + alpha * b + beta
    return A, B


def collapse_by_probing(weights, biases, alpha, beta):
    """Found independently: x^(L) is affine in x, so probe it at 0 and at each e_j."""

    def net(x):
        for l in range(len(weights)):
            x = alpha * (weights[l] @ x + biases[l]) + beta
        return x

    d0 = weights[0].shape[1]
    B = net(np.zeros(d0))
    A = np.column_stack([net(e) - B for e in np.eye(d0)])
    return A, B


def collapse_closed_form(weights, biases, alpha, beta):
    """The unrolled sums, as a list [A, B]."""
    L = len(weights)
    A = alpha**L * np.linalg.multi_dot(weights[::-1] + [np.eye(weights[0].shape[1])])
    B = np.zeros(weights[-1].shape[0])
    for l in range(L):
        product = np.eye(weights[-1].shape[0])
        for w in reversed(weights[l + 1 :]):
            product = product @ w
        B = B + alpha ** (L - 1 - l) * product @ (alpha * biases[l] + beta)
    return [A, B]


def collapse_einsum(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * np.einsum("ij,jk->ik", w, A)
        B = alpha * (np.einsum("ij,j->i", w, B) + b) + beta * np.ones(len(b))
    return A, B


def collapse_reversed(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * np.dot(A, weights[l])
        B = alpha * np.dot(weights[l], B) + alpha * biases[l] + beta
    return A, B


def collapse_without_alpha_in_A(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = weights[l] @ A
        B = alpha * (weights[l] @ B + biases[l]) + beta
    return A, B


def collapse_no_alpha_at_all(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
    return A, B


def collapse_without_beta(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * (weights[l] @ A)
        B = alpha * (weights[l] @ B + biases[l])
    return A, B


def collapse_bias_not_scaled(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights)):
        A = alpha * (weights[l] @ A)
        B = alpha * (weights[l] @ B) + biases[l] + beta
    return A, B


def collapse_b_prev_not_scaled(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = w @ B + alpha * b + beta
    return A, B


def collapse_beta_inside(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = alpha * (w @ B + b + beta)
    return A, B


def collapse_alpha_at_the_end(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
    return alpha * A, alpha * B


def collapse_alpha_once_on_a(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    for w in weights:
        A = w @ A
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * (w @ B + b) + beta
    return alpha * A, B  # "the activation's alpha", applied to the product once


def collapse_alpha_too_often(weights, biases, alpha, beta):
    A = alpha * np.identity(weights[0].shape[1])  # started from alpha I
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = alpha * (w @ B + b) + beta
    return A, B


def collapse_alpha_from_layer_2(weights, biases, alpha, beta):
    A = weights[0].copy()  # layer 1 taken as is
    for w in weights[1:]:
        A = alpha * w @ A
    B = np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * (w @ B + b) + beta
    return [A, B]


def collapse_one_layer_short(weights, biases, alpha, beta):
    A = np.identity(weights[0].shape[1])
    B = np.zeros(weights[0].shape[1])
    for l in range(len(weights) - 1):  # off by one: the last layer is left out
        A = alpha * weights[l] @ A
        B = alpha * (weights[l] @ B + biases[l]) + beta
    return A, B


def collapse_b_then_a(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return B, A


def collapse_a_transposed(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return A.T, B


def collapse_only_a(weights, biases, alpha, beta):
    return collapse_recursion(weights, biases, alpha, beta)[0]


def collapse_no_return(weights, biases, alpha, beta):
    collapse_recursion(weights, biases, alpha, beta)


def collapse_b_sign(weights, biases, alpha, beta):
    A, B = collapse_recursion(weights, biases, alpha, beta)
    return A, -B


def collapse_changes_weights(weights, biases, alpha, beta):
    for w in weights:
        w *= alpha  # folds alpha into the caller's weights
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + alpha * b + beta
    return A, B


def fw_loop(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        s = x @ w.T + b
        x = sigma.f(s) if l < L else sigma_out.f(s)
    return x


def fw_per_sample(X, weights, biases, sigma, sigma_out):
    rows = []
    for x_n in X:
        v = x_n
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            v = (sigma_out if l == len(weights) else sigma).f(w @ v + b)
        rows.append(list(v))
    return rows


def fw_einsum(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(np.einsum("nj,ij->ni", x, w) + b)
    return sigma_out.f(np.einsum("nj,ij->ni", x, weights[-1]) + biases[-1])


def fw_dot_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # samples in columns inside, as in the maths
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        act = sigma_out if l == len(weights) else sigma
        x = act.f(np.dot(w, x) + b[:, None])
    return x.T


def fw_df(X, weights, biases, sigma, sigma_out):
    x, L = X, len(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma if l < L else sigma_out).df(x @ w.T + b)
    return x


def ac_loop(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.zeros(D0)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_dot_list(weights, biases, alpha, beta):
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        B = alpha * np.dot(w, B) + alpha * b + beta * np.ones(len(b))
        A = alpha * np.dot(w, A)
    return [A, B]


def ac_homogeneous(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    T = np.eye(D0 + 1)
    for w, b in zip(weights, biases):
        layer = np.zeros((w.shape[0] + 1, w.shape[1] + 1))
        layer[:-1, :-1] = alpha * w
        layer[:-1, -1] = alpha * b + beta
        layer[-1, -1] = 1.0
        T = layer @ T
    return T[:-1, :-1], T[:-1, -1]


def ac_probe(weights, biases, alpha, beta):
    # by the recursion, but applied to the D0 basis vectors and to 0 (columns of A, then B)
    D0 = weights[0].shape[1]
    P = np.vstack([np.zeros(D0), np.eye(D0)])  # rows: 0, e_1, ..., e_D0
    for w, b in zip(weights, biases):
        P = alpha * (P @ w.T + b) + beta
    B = P[0]
    return (P[1:] - B).T, B


# ----- added with the declared specs: the new cases and keys ----------------------------------
def forward_layer_forward(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        _, x = layer_forward(x, w, b, sigma_out if l == len(weights) else sigma)
    return x


def forward_mlp_class(X, weights, biases, sigma, sigma_out):
    net = MLP.from_params(weights, biases, activation=sigma, output_activation=sigma_out)
    return net.forward(X)


def forward_while_loop_lists(X, weights, biases, sigma, sigma_out):
    """A while loop over the layer index, the batch as a list of rows at the end."""
    l, x = 0, np.array(X, dtype=float)
    while l < len(weights):
        s = np.matmul(x, np.transpose(weights[l])) + biases[l]
        l += 1
        x = (sigma_out if l == len(weights) else sigma).f(s)
    return [list(row) for row in x]


def forward_hard_coded_tanh(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights[:-1], biases[:-1]):
        x = np.tanh(x @ w.T + b)  # "the hidden activation is tanh"
    return sigma_out.f(x @ weights[-1].T + biases[-1])


def forward_normalised_input(X, weights, biases, sigma, sigma_out):
    x = X / np.max(np.abs(X))  # "inputs should be in [-1, 1]"
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        x = (sigma_out if l == len(weights) else sigma).f(x @ w.T + b)
    return x


def forward_float32(X, weights, biases, sigma, sigma_out):
    x = np.asarray(X, dtype=np.float32)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        s = x @ w.T.astype(np.float32) + b.astype(np.float32)
        x = (sigma_out if l == len(weights) else sigma).f(s).astype(np.float32)
    return x


def forward_relu_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        s = x @ w.T + b
        x = np.maximum(s, 0) if l < len(weights) else sigma_out.f(s)
    return x


def collapse_probe_with_mlp(weights, biases, alpha, beta):
    affine = Activation("affine", lambda z: alpha * z + beta, lambda z: np.full_like(z, alpha))
    net = MLP.from_params(weights, biases, activation=affine, output_activation=affine)
    d0 = weights[0].shape[1]
    B = net.forward(np.zeros(d0))
    return (net.forward(np.eye(d0)) - B).T, B


def collapse_probe_with_layer_forward(weights, biases, alpha, beta):
    affine = Activation("affine", lambda z: alpha * z + beta, lambda z: np.full_like(z, alpha))
    d0 = weights[0].shape[1]
    x = np.vstack([np.zeros(d0), np.eye(d0)])
    for w, b in zip(weights, biases):
        _, x = layer_forward(x, w, b, affine)
    return (x[1:] - x[0]).T, x[0]


def collapse_least_squares_fit(weights, biases, alpha, beta):
    """A and B fitted to the outputs of random inputs: the network's outputs again."""
    X = np.random.default_rng(0).normal(size=(50, weights[0].shape[1]))
    Y = X
    for w, b in zip(weights, biases):
        Y = alpha * (Y @ w.T + b) + beta
    coef = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), Y, rcond=None)[0]
    return coef[:-1].T, coef[-1]


def collapse_float32(weights, biases, alpha, beta):
    A = np.eye(weights[0].shape[1], dtype=np.float32)
    B = np.zeros(weights[0].shape[1], dtype=np.float32)
    for w, b in zip(weights, biases):
        A = np.float32(alpha) * w.astype(np.float32) @ A
        B = np.float32(alpha) * (w.astype(np.float32) @ B + b.astype(np.float32)) + np.float32(beta)
    return A, B


def collapse_beta_once(weights, biases, alpha, beta):
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b)
    return A, B + beta  # "the last activation adds beta"


def collapse_deck_literally(weights, biases, alpha, beta):
    """The slide's "for all l < L", then A(L) read as the last one computed."""
    A, B = np.eye(weights[0].shape[1]), np.zeros(weights[0].shape[1])
    for l in range(1, len(weights)):  # l < L
        A = alpha * weights[l - 1] @ A
        B = alpha * weights[l - 1] @ B + alpha * biases[l - 1] + beta
    return A, B


# ----- answers written by a cold student (from the student edition and the checks' docstrings)
def mf_right_loop(X, weights, biases, sigma, sigma_out):
    x = X
    L = len(weights)
    for l in range(1, L + 1):
        s = x @ weights[l - 1].T + biases[l - 1]
        x = sigma_out.f(s) if l == L else sigma.f(s)
    return x


def mf_right_per_sample_rows(X, weights, biases, sigma, sigma_out):
    rows = []
    for xn in X:  # the column-vector form of the lecture, one sample at a time
        v = xn
        for l, (w, b) in enumerate(zip(weights, biases)):
            act = sigma_out if l == len(weights) - 1 else sigma
            v = act.f(w @ v + b)
        rows.append(v)
    return rows  # a list of N rows


def mf_right_hidden_then_output(X, weights, biases, sigma, sigma_out):
    x = np.array(X, dtype=float)
    for w, b in zip(weights[:-1], biases[:-1]):
        x = sigma.f(np.dot(x, w.T) + b)
    return sigma_out.f(np.dot(x, weights[-1].T) + biases[-1])


def mf_right_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # samples in columns, as in the equations
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = w @ x + b[:, None]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x.T


def mf_right_einsum_reduce(X, weights, biases, sigma, sigma_out):
    L = len(weights)
    acts = [sigma] * (L - 1) + [sigma_out]

    def layer(x, params):
        w, b, act = params
        return act.f(np.einsum("nj,ij->ni", x, w) + b)

    return functools.reduce(layer, zip(weights, biases, acts), X)


def mf_right_recursive(X, weights, biases, sigma, sigma_out):
    if len(weights) == 1:
        return sigma_out.f(X @ weights[0].T + biases[0])
    return mf_right_recursive(
        sigma.f(X @ weights[0].T + biases[0]), weights[1:], biases[1:], sigma, sigma_out
    )


def mf_no_transpose(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = x @ w + b
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x


def mf_sigma_on_output(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma.f(x @ w.T + b)
    return x


def mf_no_output_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = x @ w.T + b
        if l < len(weights) - 1:
            x = sigma.f(s)
    return s  # "the output layer is linear anyway"


def mf_sigma_out_everywhere(X, weights, biases, sigma, sigma_out):
    x = X
    for w, b in zip(weights, biases):
        x = sigma_out.f(x @ w.T + b)
    return x


def mf_stops_early(X, weights, biases, sigma, sigma_out):
    x = X
    for l in range(len(weights) - 1):
        act = sigma_out if l == len(weights) - 2 else sigma
        x = act.f(x @ weights[l].T + biases[l])
    return x


def mf_activation_called(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = x @ w.T + b
        x = sigma_out(s) if l == len(weights) - 1 else sigma(s)
    return x


def mf_df_for_f(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = x @ w.T + b
        x = sigma_out.df(s) if l == len(weights) - 1 else sigma.df(s)
    return x


def mf_missing_bias(X, weights, biases, sigma, sigma_out):
    x = X
    for l, w in enumerate(weights):
        s = x @ w.T
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x


def mf_bias_after_activation(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ w.T) + b
    return x


def mf_every_layer(X, weights, biases, sigma, sigma_out):
    xs = [X]
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        xs.append(act.f(xs[-1] @ w.T + b))
    return xs


def mf_uses_mlp(X, weights, biases, sigma, sigma_out):
    from bpcourse import MLP

    net = MLP.from_params(weights, biases, activation=sigma, output_activation=sigma_out)
    return net.forward(X)


def mf_uses_layer_forward(X, weights, biases, sigma, sigma_out):
    from bpcourse.mlp import layer_forward as lf

    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        _, x = lf(x, w, b, sigma_out if l == len(weights) - 1 else sigma)
    return x


def mf_float32(X, weights, biases, sigma, sigma_out):
    x = np.asarray(X, dtype=np.float32)  # "saves memory"
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ w.T.astype(np.float32) + b.astype(np.float32)).astype(np.float32)
    return x


def mf_no_return(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ w.T + b)


def mf_clips_input_in_place(X, weights, biases, sigma, sigma_out):
    np.clip(X, -100, 100, out=X)  # "inputs near 1000 would overflow"
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        act = sigma_out if l == len(weights) - 1 else sigma
        x = act.f(x @ w.T + b)
    return x


def mf_output_columns(X, weights, biases, sigma, sigma_out):
    x = X.T  # column form, but forgets to turn the result back into rows
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = w @ x + b[:, None]
        x = sigma_out.f(s) if l == len(weights) - 1 else sigma.f(s)
    return x


def mf_hard_coded_tanh(X, weights, biases, sigma, sigma_out):
    x = X
    for l, (w, b) in enumerate(zip(weights, biases)):
        s = x @ w.T + b
        x = s if l == len(weights) - 1 else np.tanh(s)
    return x


def mf_second_try_overwrites(X, weights, biases, sigma, sigma_out):
    # second try after "activation_on_output": the if has no else, so sigma overwrites
    x = X
    L = len(weights)
    for l in range(1, L + 1):
        s = x @ weights[l - 1].T + biases[l - 1]
        if l == L:
            x = sigma_out.f(s)
        x = sigma.f(s)
    return x


def mf_skips_first_layer(X, weights, biases, sigma, sigma_out):
    x = X
    L = len(weights)
    for l in range(1, L):  # layers "start at 1" ... but weights[l] is w(l+1)
        s = x @ weights[l].T + biases[l]
        x = sigma_out.f(s) if l == L - 1 else sigma.f(s)
    return x


def mf_result_reference(X, weights, biases, sigma, sigma_out):
    import bpcourse.exercises as ex

    return ex.check_mlp_forward(lambda *a: None).reference(X, weights, biases, sigma, sigma_out)


def _start(weights):
    D0 = weights[0].shape[1]
    return np.eye(D0), np.zeros(D0)


def ac_right_tuple(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_right_rows_list(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    At, Bt = np.eye(D0), np.zeros(D0)  # batch form: the rows of I, and the zero input
    for w, b in zip(weights, biases):
        At = alpha * At @ w.T
        Bt = alpha * (Bt @ w.T + b) + beta
    return [At.T, Bt]


def ac_right_homogeneous(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    M = np.eye(D0 + 1)  # [A B; 0 1] acting on (x, 1)
    for w, b in zip(weights, biases):
        layer = np.zeros((w.shape[0] + 1, w.shape[1] + 1))
        layer[:-1, :-1] = alpha * w
        layer[:-1, -1] = alpha * b + beta
        layer[-1, -1] = 1.0
        M = layer @ M
    return M[:-1, :-1], M[:-1, -1]


def ac_right_reduce(weights, biases, alpha, beta):
    def step(AB, wb):
        A, B = AB
        w, b = wb
        return alpha * np.dot(w, A), alpha * np.dot(w, B) + alpha * b + beta * np.ones(len(b))

    return functools.reduce(step, zip(weights, biases), _start(weights))


def ac_right_lists_of_layers(weights, biases, alpha, beta):
    A = [np.eye(weights[0].shape[1])]
    B = [np.zeros(weights[0].shape[1])]
    for l in range(1, len(weights) + 1):
        w, b = weights[l - 1], biases[l - 1]
        A.append(alpha * (w @ A[l - 1]))
        B.append(alpha * (w @ B[l - 1]) + alpha * b + beta)
    return (A[-1], B[-1])


def ac_bias_without_alpha(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * w @ B + b + beta
    return A, B


def ac_missing_beta(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b)
    return A, B


def ac_alpha_once(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
    return alpha * A, alpha * B


def ac_missing_alpha(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = w @ A, w @ B + b + beta
    return A, B


def ac_probes_outputs(weights, biases, alpha, beta):
    def f(X):
        x = X
        for w, b in zip(weights, biases):
            x = alpha * (x @ w.T + b) + beta
        return x

    D0 = weights[0].shape[1]
    B = f(np.zeros((1, D0)))[0]
    A = (f(np.eye(D0)) - B).T
    return A, B


def ac_beta_times_alpha(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b + beta)
    return A, B


def ac_transposed(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A.T, B  # "X @ A" in the batch form


def ac_b_prev_without_alpha(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, w @ B + alpha * b + beta
    return A, B


def ac_order_reversed(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A = alpha * A @ w  # multiplies on the wrong side
        B = alpha * (w @ B + b) + beta
    return A, B


def ac_alpha_power(weights, biases, alpha, beta):
    A, B = _start(weights)
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        A = alpha**l * w @ A  # "alpha enters once per layer"
        B = alpha * (w @ B + b) + beta
    return A, B


def ac_stops_early(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights[:-1], biases[:-1]):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_output_order(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return B, A


def ac_reference(weights, biases, alpha, beta):
    import bpcourse.exercises as ex

    return ex.check_affine_collapse(lambda *a: None).reference(weights, biases, alpha, beta)


def ac_scales_weights_in_place(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        w *= alpha  # fold alpha into the layer once and for all
        b *= alpha
        A, B = w @ A, w @ B + b + beta
    return A, B


def ac_float32(weights, biases, alpha, beta):
    A, B = _start(weights)
    A, B = A.astype(np.float32), B.astype(np.float32)
    for w, b in zip(weights, biases):
        w32, b32 = w.astype(np.float32), b.astype(np.float32)
        A, B = np.float32(alpha) * w32 @ A, np.float32(alpha) * (w32 @ B + b32) + np.float32(beta)
    return A, B


def ac_no_return(weights, biases, alpha, beta):
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta


def ac_B_starts_at_ones(weights, biases, alpha, beta):
    D0 = weights[0].shape[1]
    A, B = np.eye(D0), np.ones(D0)  # "the vector of ones" of the text
    for w, b in zip(weights, biases):
        A, B = alpha * w @ A, alpha * (w @ B + b) + beta
    return A, B


def ac_second_try_drops_beta(weights, biases, alpha, beta):
    # second try after "bias_without_alpha": puts alpha on the bias, loses beta on the way
    A, B = _start(weights)
    for w, b in zip(weights, biases):
        A = alpha * w @ A
        B = alpha * w @ B + alpha * b
    return A, B


BATTERY = {
    "mlp_forward": {
        "right": [
            forward_loop,
            forward_per_sample_per_unit,
            forward_einsum,
            forward_column_form_list,
            fw_loop,
            fw_per_sample,
            fw_einsum,
            fw_dot_columns,
            forward_while_loop_lists,
            mf_right_loop,
            mf_right_per_sample_rows,
            mf_right_hidden_then_output,
            mf_right_columns,
            mf_right_einsum_reduce,
            mf_right_recursive,
        ],
        "wrong": [
            (forward_without_bias, "missing_bias"),
            (forward_w_not_transposed, "transpose"),
            (forward_sigma_everywhere, "activation_on_output"),
            (forward_no_output_activation, "no_output_activation"),
            (forward_columns, "shapes_swapped"),
            (forward_bias_after, "bias_after_activation"),
            (forward_df, "df_for_f"),
            (forward_calls_activation, "activation_not_callable"),
            (forward_one_layer_short, "stops_early"),
            (forward_out_everywhere, "sigma_out_everywhere"),
            (forward_no_return, "not_a_result"),
            (forward_all_layers, "every_layer_returned"),
            (forward_df_on_every_layer, "df_for_f"),
            (forward_sigma_df_everywhere, "df_for_f"),
            (forward_df_on_output, "df_for_f"),
            (forward_hidden_and_output, "every_layer_returned"),
            (forward_generator, "not_a_result"),
            (fw_df, "df_for_f"),
            (forward_layer_forward, "uses_reference"),
            (forward_mlp_class, "uses_reference"),
            (forward_hard_coded_tanh, None),
            (forward_normalised_input, None),
            (forward_float32, "precision"),
            (forward_relu_everywhere, None),
            (mf_no_transpose, "transpose"),
            (mf_sigma_on_output, "activation_on_output"),
            (mf_no_output_activation, "no_output_activation"),
            (mf_sigma_out_everywhere, "sigma_out_everywhere"),
            (mf_stops_early, None),
            (mf_activation_called, "activation_not_callable"),
            (mf_df_for_f, "df_for_f"),
            (mf_missing_bias, "missing_bias"),
            (mf_bias_after_activation, "bias_after_activation"),
            (mf_every_layer, "every_layer_returned"),
            (mf_uses_mlp, "uses_reference"),
            (mf_uses_layer_forward, "uses_reference"),
            (mf_float32, "precision"),
            (mf_no_return, "not_a_result"),
            (mf_clips_input_in_place, "modified_input"),
            (mf_output_columns, "shapes_swapped"),
            (mf_hard_coded_tanh, None),
            (mf_second_try_overwrites, "activation_on_output"),
            (mf_skips_first_layer, "raised"),
            (mf_result_reference, "uses_reference"),
        ],
    },
    "affine_collapse": {
        "right": [
            collapse_recursion,
            collapse_closed_form,
            collapse_einsum,
            ac_loop,
            ac_dot_list,
            ac_homogeneous,
            ac_right_tuple,
            ac_right_rows_list,
            ac_right_homogeneous,
            ac_right_reduce,
            ac_right_lists_of_layers,
        ],
        "wrong": [
            (collapse_reversed, "order_reversed"),
            (collapse_without_alpha_in_A, "missing_alpha"),
            (collapse_no_alpha_at_all, "missing_alpha"),
            (collapse_without_beta, "missing_beta"),
            (collapse_bias_not_scaled, "bias_without_alpha"),
            (collapse_b_prev_not_scaled, "b_prev_without_alpha"),
            (collapse_beta_inside, "beta_times_alpha"),
            (collapse_alpha_at_the_end, "alpha_once"),
            (collapse_alpha_once_on_a, "alpha_once"),
            (collapse_alpha_too_often, "alpha_power"),
            (collapse_alpha_from_layer_2, "alpha_power"),
            (collapse_one_layer_short, "stops_early"),
            (collapse_b_then_a, "output_order"),
            (collapse_a_transposed, "transpose"),
            (collapse_only_a, "not_a_result"),
            (collapse_no_return, "not_a_result"),
            (collapse_b_sign, "sign"),
            (collapse_changes_weights, "modified_input"),
            (collapse_by_probing, "probes_outputs"),
            (ac_probe, "probes_outputs"),
            (collapse_probe_with_mlp, "uses_reference"),
            (collapse_probe_with_layer_forward, "uses_reference"),
            (collapse_least_squares_fit, "probes_outputs"),
            (collapse_float32, "precision"),
            (collapse_beta_once, None),
            (collapse_deck_literally, "stops_early"),
            (ac_bias_without_alpha, "bias_without_alpha"),
            (ac_missing_beta, "missing_beta"),
            (ac_alpha_once, "alpha_once"),
            (ac_missing_alpha, "missing_alpha"),
            (ac_probes_outputs, "probes_outputs"),
            (ac_beta_times_alpha, "beta_times_alpha"),
            (ac_transposed, "transpose"),
            (ac_b_prev_without_alpha, "b_prev_without_alpha"),
            (ac_order_reversed, "order_reversed"),
            (ac_alpha_power, "alpha_power"),
            (ac_stops_early, "stops_early"),
            (ac_output_order, "output_order"),
            (ac_reference, "uses_reference"),
            (ac_scales_weights_in_place, "modified_input"),
            (ac_float32, "precision"),
            (ac_no_return, "not_a_result"),
            (ac_B_starts_at_ones, None),
            (ac_second_try_drops_beta, "missing_beta"),
        ],
    },
}
