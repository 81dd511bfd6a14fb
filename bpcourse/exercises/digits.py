"""Checks of notebook 09's exercises (handwritten digits, softmax cross-entropy).

- Exercise 9.1, `check_softmax_cross_entropy_gradient`: [dL/dS] of the mean softmax
  cross-entropy, for scores of shape (N, K); its reference is `bpcourse.losses.cross_entropy`.
- Exercise 9.2, `check_predict_labels`: the predicted label of each row of scores.
- Exercise 9.4, `check_confusion_matrix`: the (K, K) matrix of (true, predicted) counts.

Each `check_<name>(your_function)` returns a `bpcourse.exercises.Result`; see `_core.check`.
"""

from dataclasses import replace

import numpy as np

from bpcourse.exercises._core import Mistake, check
from bpcourse.losses import cross_entropy, softmax

GRADIENT = "Exercise 9.1 (softmax cross-entropy gradient)"
PREDICT = "Exercise 9.2 (predicted labels)"
CONFUSION = "Exercise 9.4 (confusion matrix)"


# ----- Exercise 9.1: dL/dS ---------------------------------------------------------------------
def _gradient(s, y):
    """The reference: the gradient half of `bpcourse.losses.cross_entropy` (mean loss)."""
    return cross_entropy(s, y)[1]


def _onehot(y, K):
    return (np.asarray(y)[:, None] == np.arange(K)[None, :]).astype(np.float64)


def _gradient_cases(seed=81):
    """(scores, labels) with N != K, repeated labels, one sample alone, several scales."""
    rng = np.random.default_rng(seed)
    cases, describe, sizes = [], [], []
    for N, K, scale in [(5, 3, 2.0), (4, 10, 0.1), (7, 4, 8.0), (1, 5, 1.0)]:
        s = rng.normal(scale=scale, size=(N, K))
        y = rng.integers(0, K, size=N)
        if N > 2:
            y[1] = y[0]  # a repeated label, as in any real batch
        cases.append((s, y))
        describe.append(f"N = {N} samples, K = {K} classes, scores of size about {scale:g}")
        sizes.append({"N": N, "K": K})
    return cases, describe, sizes


def _large_cases(seed=82):
    """Scores near +1000 and -1000: an exponential taken as it comes overflows."""
    rng = np.random.default_rng(seed)
    s = rng.normal(scale=5.0, size=(4, 3))
    s[:2] += 1000.0
    s[2:] -= 1000.0
    return [(s, np.array([0, 2, 1, 1]))]


def _gradient_mistakes():
    def forgot_onehot(s, y):
        return softmax(s) / len(s)

    def softmax_over_samples(s, y):
        e = np.exp(s - s.max(axis=0, keepdims=True))
        return (e / e.sum(axis=0, keepdims=True) - _onehot(y, s.shape[1])) / len(s)

    def onehot_in_every_row(s, y):
        g = softmax(s)
        g[:, np.unique(y)] -= 1.0
        return g / len(s)

    def log_softmax(s, y):
        return (np.log(softmax(s)) - _onehot(y, s.shape[1])) / len(s)

    def probabilities_minus_one_everywhere(s, y):
        return (softmax(s) - 1.0) / len(s)

    return [
        Mistake(
            "forgot_onehot",
            "you return the probabilities alone: the -log p_y term also depends on the scores "
            "through the label's own score, so each row changes at its label's column",
            forgot_onehot,
        ),
        Mistake(
            "wrong_axis",
            "your softmax normalises each column (over the samples) instead of each row (over "
            "the classes of one sample): check the axis of your max and your sum",
            softmax_over_samples,
        ),
        Mistake(
            "onehot_indexing",
            "you subtract 1 at every label's column in every row: each row needs it only at "
            "its own label (index rows and labels together, e.g. with np.arange(N))",
            onehot_in_every_row,
        ),
        Mistake(
            "log_probabilities",
            "you use log-probabilities where the derivative of log-sum-exp is the probability "
            "itself: differentiate log sum_j exp(s_j) once more",
            log_softmax,
        ),
        Mistake(
            "onehot_everywhere",
            "you subtract 1 from every entry: the -1 belongs only at each row's label",
            probabilities_minus_one_everywhere,
        ),
    ]


def check_softmax_cross_entropy_gradient(softmax_cross_entropy_gradient):
    """Check Exercise 9.1: the gradient of the mean softmax cross-entropy w.r.t. the scores.

    The loss is L = (1/N) sum_n -log softmax(s_n)[y_n] for scores `s` of shape (N, K) and
    integer labels `y` of shape (N,); the answer is [dL/dS], shape (N, K). The function is
    tried on moderate scores first, then on scores near +1000 and -1000.

    Parameters
    ----------
    softmax_cross_entropy_gradient : callable
        ``(s, y) -> array (N, K)``; a nested list of numbers is accepted too.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``forgot_onehot``, ``wrong_axis``,
        ``onehot_indexing``, ``log_probabilities``, ``onehot_everywhere``, ``overflow``, or a
        generic one (``scale`` for a normalisation in N or K, ``sign``, ``transpose``,
        ``modified_input``, ``precision``, ``not_a_result``, ``raised``).
    """
    cases, describe, sizes = _gradient_cases()
    result = check(
        GRADIENT,
        softmax_cross_entropy_gradient,
        _gradient,
        cases,
        _gradient_mistakes(),
        describe=describe,
        sizes=sizes,
        name="softmax_cross_entropy_gradient",
    )
    if not result.ok:
        return result
    with np.errstate(all="ignore"):  # an unstable softmax is diagnosed, not warned about
        large = check(
            GRADIENT,
            softmax_cross_entropy_gradient,
            _gradient,
            _large_cases(),
            describe=["scores near +1000 and -1000"],
            name="softmax_cross_entropy_gradient",
        )
    if large.ok:
        worst = max(result.evidence["max_error"], large.evidence["max_error"])
        return replace(
            result,
            message="correct, also for scores near ±1000",
            evidence={"max_error": worst, "cases": len(cases) + 1},
        )
    return replace(large, **_overflow_fields(large))


def _overflow_fields(large):
    return {
        "status": "mistake",
        "function": large.reference,
        "diagnosis": "overflow",
        "message": "not yet: right for moderate scores, but for scores near ±1000 "
        f"{large.message.removeprefix('not yet: ')}. exp(1000) overflows a float64 (and "
        "exp(-1000) is 0): compute the same softmax without exponentiating such numbers",
    }


# ----- Exercise 9.2: predicted labels ----------------------------------------------------------
def _predict(s):
    """The reference: the class of the largest score in each row, shape (N,)."""
    return np.argmax(s, axis=1)


def _predict_cases(seed=83):
    rng = np.random.default_rng(seed)
    shapes = [(6, 10), (9, 3), (4, 5), (1, 4)]
    return [(rng.normal(size=shape),) for shape in shapes], [
        f"N = {n} samples, K = {k} classes" for n, k in shapes
    ]


def _predict_mistakes():
    return [
        Mistake(
            "wrong_axis",
            "you get one label per class instead of one per sample: the argmax runs over the "
            "wrong axis",
            lambda s: np.argmax(s, axis=0),
        ),
        Mistake(
            "no_axis",
            "you return a single number: an argmax without an axis searches the whole "
            "flattened array",
            lambda s: np.argmax(s),
        ),
        Mistake(
            "max_not_argmax",
            "you return the largest scores themselves: the label is where the largest score sits",
            lambda s: np.max(s, axis=1),
        ),
        Mistake(
            "argmin",
            "you return the class of the smallest score in each row",
            lambda s: np.argmin(s, axis=1),
        ),
        Mistake(
            "off_by_one",
            "your labels are shifted by one: the classes are numbered from 0, like the digits",
            lambda s: np.argmax(s, axis=1) + 1,
        ),
        Mistake(
            "probabilities",
            "you return the probabilities of every class: the prediction is one label per "
            "sample, the class the network ranks first",
            softmax,
        ),
    ]


def check_predict_labels(predict_labels):
    """Check Exercise 9.2: predicted labels from a batch of scores.

    Parameters
    ----------
    predict_labels : callable
        ``(s) -> labels``: scores of shape (N, K) to the integer label (0..K-1) of the largest
        score of each row, shape (N,). An array or a list of ints; floats are refused, since
        later cells index with the labels.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``wrong_axis``, ``no_axis``,
        ``max_not_argmax``, ``argmin``, ``off_by_one``, ``probabilities``, or a generic one.
    """
    cases, describe = _predict_cases()
    return check(
        PREDICT,
        predict_labels,
        _predict,
        cases,
        _predict_mistakes(),
        describe=describe,
        integer=True,
        name="predict_labels",
    )


# ----- Exercise 9.4: the confusion matrix ------------------------------------------------------
def _confusion(y_true, y_pred, K):
    """The reference: C[i, j] = number of samples of true class i predicted as class j."""
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


def _confusion_cases(seed=84):
    rng = np.random.default_rng(seed)
    cases, describe = [], []
    for n, K, present in [(20, 4, 4), (30, 3, 3), (25, 5, 4), (1, 3, 3)]:
        y_true = rng.integers(0, present, size=n)  # in the third case class 4 never occurs
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, present, size=n))
        cases.append((y_true, y_pred, K))
        describe.append(f"{n} samples, K = {K}" + (", one class absent" if present < K else ""))
    return cases, describe


def _confusion_mistakes():
    def counted_once(y_true, y_pred, K):
        C = np.zeros((K, K), dtype=np.int64)
        C[y_true, y_pred] = 1
        return C

    def normalised(y_true, y_pred, K):
        C = _confusion(y_true, y_pred, K).astype(np.float64)
        return C / np.maximum(C.sum(axis=1, keepdims=True), 1)

    def size_from_data(y_true, y_pred, K):
        return _confusion(y_true, y_pred, int(max(np.max(y_true), np.max(y_pred))) + 1)

    def diagonal_only(y_true, y_pred, K):
        return np.diag(np.diag(_confusion(y_true, y_pred, K)))

    return [
        Mistake(
            "transpose",
            "rows and columns are swapped: row i is the true class i, column j the predicted "
            "class j",
            lambda y_true, y_pred, K: _confusion(y_true, y_pred, K).T,
        ),
        Mistake(
            "overwrite_not_accumulate",
            "a (true, predicted) pair that occurs several times is counted once: repeated "
            "pairs must add up (NumPy's fancy-indexed `+=` does not accumulate repeats)",
            counted_once,
        ),
        Mistake(
            "normalised",
            "each row sums to 1: the exercise asks for counts, not fractions",
            normalised,
        ),
        Mistake(
            "size_from_data",
            "the size of your matrix comes from the labels that occur: use K, since a class "
            "may be missing from a sample",
            size_from_data,
        ),
        Mistake(
            "diagonal_only",
            "only the correct predictions are counted: the mistakes (true i, predicted j != i) "
            "belong off the diagonal",
            diagonal_only,
        ),
    ]


def check_confusion_matrix(confusion_matrix):
    """Check Exercise 9.4: the confusion matrix of a classifier.

    Parameters
    ----------
    confusion_matrix : callable
        ``(y_true, y_pred, K) -> C``: integer labels of shape (N,) each, to the (K, K) matrix
        of counts, ``C[i, j]`` = number of samples of true class i predicted as j. An array
        (of ints, or of floats holding whole counts) or a list of lists.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``overwrite_not_accumulate``, ``normalised``,
        ``size_from_data``, ``diagonal_only``, or a generic one (``transpose`` for rows and
        columns swapped, ...).
    """
    cases, describe = _confusion_cases()
    return check(
        CONFUSION,
        confusion_matrix,
        _confusion,
        cases,
        _confusion_mistakes(),
        describe=describe,
        name="confusion_matrix",
    )


# ----- Exercise 9.3: one SGD step of the digits network, from your own pieces -----------------
STEP = "Exercise 9.3 (one SGD step, from your own pieces)"


def _sgd_step(weights, biases, X, y, lr):
    """The reference: `MLP.step` of a tanh network with an identity output and the mean
    softmax cross-entropy. Returns new lists (weights, biases); the arguments are not changed."""
    from bpcourse.mlp import MLP

    net = MLP.from_params(weights, biases, activation="tanh", output_activation="identity")
    net.step(X, y, lr, loss="cross_entropy")
    return [np.array(w) for w in net.weights], [np.array(b) for b in net.biases]


def _step_variant(
    weights,
    biases,
    X,
    y,
    lr,
    *,
    sign=-1.0,
    rate=True,
    update_biases=True,
    hidden_sigma_prime=True,
    stale=False,
    summed=False,
    first=1,
    output_tanh=False,
):
    """One SGD step with one thing changed, built from `layer_forward` and `layer_backward`."""
    from bpcourse.activations import identity, tanh
    from bpcourse.mlp import layer_backward, layer_forward

    L = len(weights)
    out = tanh if output_tanh else identity
    s, x = [None], [X]
    for l in range(1, L + 1):
        s_l, x_l = layer_forward(x[l - 1], weights[l - 1], biases[l - 1], out if l == L else tanh)
        s.append(s_l)
        x.append(x_l)
    dl_dx = cross_entropy(x[L], y)[1] * (len(X) if summed else 1.0)
    new_w, new_b = [np.array(w) for w in weights], [np.array(b) for b in biases]
    step = lr if rate else 1.0
    for l in range(L, first - 1, -1):
        sigma = out if l == L else (tanh if hidden_sigma_prime else identity)
        dl_dx_prev, dl_dw, dl_db = layer_backward(dl_dx, s[l], x[l - 1], weights[l - 1], sigma)
        new_w[l - 1] = weights[l - 1] + sign * step * dl_dw
        if update_biases:
            new_b[l - 1] = biases[l - 1] + sign * step * dl_db
        if stale:  # the gradient passed back through the weights just updated
            dl_dx_prev = layer_backward(dl_dx, s[l], x[l - 1], new_w[l - 1], sigma)[0]
        dl_dx = dl_dx_prev
    return new_w, new_b


def _step_cases(seed=85):
    from bpcourse.exercises._core import random_network

    rng = np.random.default_rng(seed)
    cases, describe = [], []
    for sizes, n, lr in [([5, 4, 3], 6, 0.1), ([8, 6, 10], 7, 0.5), ([3, 6, 4, 2], 5, 0.05)]:
        weights, biases = random_network(sizes, rng)
        X = rng.normal(size=(n, sizes[0]))
        y = rng.integers(0, sizes[-1], size=n)
        cases.append((weights, biases, X, y, lr))
        describe.append(f"a network {sizes}, N = {n}, lr = {lr:g}")
    return cases, describe


def _step_mistakes():
    def variant(**change):
        return lambda *args: _step_variant(*args, **change)

    return [
        Mistake(
            "uphill",
            "your step goes uphill: the update must move against the gradient",
            variant(sign=+1.0),
        ),
        Mistake(
            "no_learning_rate",
            "the learning rate is missing from your update: each step is -lr times the gradient",
            variant(rate=False),
        ),
        Mistake(
            "biases_not_updated",
            "the weights move but the biases come back unchanged: they are parameters too",
            variant(update_biases=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            "the hidden layers' update is what you would get if tanh were the identity: the "
            "gradient goes back through tanh' on its way to the hidden weights",
            variant(hidden_sigma_prime=False),
        ),
        Mistake(
            "updated_too_early",
            "a layer's weights are updated before the gradient has passed back through them: "
            "the layers below must see the weights of the forward pass",
            variant(stale=True),
        ),
        Mistake(
            "summed_loss",
            "your step is N times too large: the loss is the mean over the batch, whose "
            "gradient carries a 1/N",
            variant(summed=True),
        ),
        Mistake(
            "stops_early",
            "the first layer comes back unchanged: the backward loop must go down to layer 1",
            variant(first=2),
        ),
        Mistake(
            "tanh_on_output",
            "your network applies tanh to its output scores: here the output layer is the "
            "identity, and the softmax comes in the loss",
            variant(output_tanh=True),
        ),
    ]


def check_sgd_step(sgd_step):
    """Check Exercise 9.3: one SGD step of a tanh network with identity output and the mean
    softmax cross-entropy, assembled from layer_forward, your gradient and your layer_backward.

    Parameters
    ----------
    sgd_step : callable
        ``(weights, biases, X, y, lr) -> (new_weights, new_biases)``: lists of arrays of the
        shapes of the given ones; the given lists and arrays are left unchanged.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``uphill``, ``no_learning_rate``,
        ``biases_not_updated``, ``forgot_sigma_prime``, ``updated_too_early``,
        ``summed_loss``, ``stops_early``, ``tanh_on_output``, or a generic one
        (``modified_input`` when the given weights are changed in place, ...).
    """
    cases, describe = _step_cases()
    return check(
        STEP,
        sgd_step,
        _sgd_step,
        cases,
        _step_mistakes(),
        names=("new_weights", "new_biases"),
        describe=describe,
        name="sgd_step",
    )
