"""The exercises of notebook 09 (handwritten digits), declared.

- Exercise 9.1, `softmax_cross_entropy_gradient`: [dL/dS] of the mean softmax cross-entropy
  for scores of shape (N, K), finite and right for scores near +-1000. Reference:
  `bpcourse.losses.cross_entropy`, whose gradient half is the answer (so calling it, or the
  package's `softmax`, is named).
- Exercise 9.2, `predict_labels`: the class of the largest score of each row, as ints.
- Exercise 9.3, `sgd_step`: one SGD step of a tanh network with an identity output and the
  mean softmax cross-entropy, new lists returned, the given ones unchanged. Reference:
  `MLP.step`.
- Exercise 9.4, `confusion_matrix`: the (K, K) matrix of (true, predicted) counts.

Each known mistake is the reference with one thing changed, as a switch of the exercise's
`variant` where it can be. Scores near +-1000 are among the cases of 9.1 and 9.2: an answer
right on moderate scores that breaks there is named, "overflow" (no shift at all) or
"global_max" (one shift for the whole batch, which leaves the rows far below it at 0/0) for
9.1, "unstable_softmax" for 9.2; the moderate cases alone then name any other mistake.
"""

import numpy as np

from bpcourse.activations import identity, tanh
from bpcourse.exercises.reading import entry_errors
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check
from bpcourse.losses import cross_entropy, softmax
from bpcourse.mlp import MLP, layer_backward, layer_forward
from bpcourse.training import step as training_step

LARGE = "near +-1000"  # in the description of a case whose scores are near +-1000


def _agree(got, want, tol=1e-6):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    return got.shape == want.shape and bool(np.max(entry_errors(got, want, 1e-6), initial=0) <= tol)


def _moderate_then_large(judgement, right_tol):
    """(moderate cases all right, indices of the large cases that are wrong)."""
    moderate_ok, wrong_large = True, []
    for index, (case, leaves) in enumerate(zip(judgement.cases, judgement.leaves)):
        ok = all(_agree(got, want, right_tol) for _, got, want in leaves)
        if LARGE in case.describe:
            if not ok:
                wrong_large.append(index)
        else:
            moderate_ok = moderate_ok and ok
    return moderate_ok, wrong_large


def _on_moderate_cases(judgement):
    """The first declared mistake the outputs match on the moderate cases (where an unstable
    softmax is still right), or None: the mistake a student made besides the overflow."""
    exercise = judgement.exercise
    moderate = [i for i, c in enumerate(judgement.cases) if LARGE not in c.describe]
    for mistake in exercise.mistakes:
        function = exercise.mistake_function(mistake)
        try:
            with np.errstate(all="ignore"):
                wrong = [function(*judgement.cases[i].args) for i in moderate]
        except Exception:  # a mistake that cannot apply to these cases says nothing
            continue
        got = [judgement.leaves[i][0][1] for i in moderate]
        want = [judgement.leaves[i][0][2] for i in moderate]
        if all(_agree(g, w) for g, w in zip(got, wrong)) and not all(
            _agree(g, w) for g, w in zip(got, want)
        ):
            return mistake
    return None


# ----------------------------------------------------------------- Exercise 9.1: dL/dS
def softmax_cross_entropy_gradient_reference(s, y):
    """[dL/dS] = (softmax(S) - onehot(y)) / N: the gradient half of `losses.cross_entropy`."""
    _, gradient = cross_entropy(s, y)
    return gradient


def _onehot(y, K):
    return (np.asarray(y)[:, None] == np.arange(K)[None, :]).astype(np.float64)


def _gradient_variant(s, y, *, axis=1, onehot="rows", log=False, mean=True):
    """(softmax(S) - onehot(y)) / N with switches, each one known mistake.

    axis : the softmax normalises each row (1, right) or each column (0: over the samples)
    onehot : "rows" (each row at its own label, right), "none" (forgotten), "columns" (every
        label's column in every row), "everywhere" (1 subtracted from every entry)
    log : log-probabilities where the probabilities belong
    mean : divide by N (False: the gradient of the summed loss)
    """
    s = np.asarray(s, dtype=np.float64)
    z = s - s.max(axis=axis, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))  # log-softmax, no overflow
    p = log_p if log else np.exp(log_p)
    N, K = s.shape
    if onehot == "rows":
        p = p - _onehot(y, K)
    elif onehot == "columns":
        p = p.copy()
        p[:, np.unique(y)] -= 1.0
    elif onehot == "everywhere":
        p = p - 1.0
    return p / N if mean else p


# (N, K, scale of the scores, what the case is for); the last two: scores near +-1000
_GRADIENT = [
    (5, 3, 2.0, ""),
    (4, 10, 0.1, ""),
    (7, 4, 8.0, ""),
    (1, 5, 1.0, "one sample"),
    (3, 2, 1e-3, "two classes, scores near 0.001"),
]


def _gradient_cases():
    rng = np.random.default_rng(81)
    cases = []
    for N, K, scale, note in _GRADIENT:
        s = rng.normal(scale=scale, size=(N, K))
        y = rng.integers(0, K, size=N)
        if N > 2:
            y[1] = y[0]  # a repeated label, as in any real batch
        describe = f"N = {N} samples, K = {K} classes, scores of size about {scale:g}"
        cases.append(Case((s, y), describe + (f", {note}" * bool(note)), {"N": N, "K": K}))
    s = rng.normal(scale=5.0, size=(4, 3))
    s[:2] += 1000.0  # two rows near +1000, two near -1000
    s[2:] -= 1000.0
    cases.append(Case((s, np.array([0, 2, 1, 1])), f"rows of scores {LARGE}", {"N": 4, "K": 3}))
    s = np.array(
        [[1000.0, -1000.0, 3.0, 999.0], [-998.0, 2.0, 1001.0, -5.0], [4.0, -1000.0, -999.0, 0.5]]
    )
    cases.append(
        Case((s, np.array([1, 2, 0])), f"scores {LARGE} within each row", {"N": 3, "K": 4})
    )
    return cases


def _gradient_diagnose(judgement):
    """Right on moderate scores, wrong near +-1000: the shift per row, missing or global."""
    got_want = [(got, want) for leaves in judgement.leaves for _, got, want in leaves]
    close = all(  # to about 1e-5 of each value's largest entry, in float64: finite differences
        got.dtype == np.float64
        and got.shape == want.shape
        and np.max(entry_errors(got, want, 1e-3), initial=0) <= 1e-4
        for got, want in got_want
    )
    if close:
        return (
            "finite_differences",
            "your values agree with the right ones only to a few significant digits, as finite "
            "differences give: this exercise asks for the derivative derived by hand (with the "
            "rules this section teaches)",
        )
    moderate_ok, wrong_large = _moderate_then_large(judgement, 1e-9)
    if not wrong_large:
        return None
    if not moderate_ok:
        found = _on_moderate_cases(judgement)
        if found is None:
            return None
        broken = any(not np.all(np.isfinite(judgement.leaves[i][0][1])) for i in wrong_large)
        extra = " (and for scores near ±1000 it gives NaN or inf as well)" if broken else ""
        return found.key, found.message + extra
    # one shift for the whole batch: right in the rows that hold the largest score of all
    for index in wrong_large:
        (_, got, want), (s, _) = judgement.leaves[index][0], judgement.cases[index].args
        top = s.max(axis=1) >= s.max() - 50.0  # rows whose own maximum is near the global one
        if not (_agree(got[top], want[top], 1e-9) and not _agree(got[~top], want[~top])):
            break
    else:
        return (
            "global_max",
            "right for moderate scores and for the rows that hold the largest score of the "
            "batch, but the other rows come out as NaN: one shift for the whole batch leaves a "
            "row far below it at exp(-2000) = 0 in every entry, so its softmax is 0/0. The "
            "shift that keeps every row finite is each row's own",
        )
    broken = any(not np.all(np.isfinite(judgement.leaves[i][0][1])) for i in wrong_large)
    what = (
        "the softmax as written gives inf/inf or 0/0 there (NaN in your result)"
        if broken
        else "whatever keeps exp from overflowing must leave each row's softmax unchanged"
    )
    return (
        "overflow",
        "right for moderate scores, but not for scores near ±1000: exp(1000) overflows a "
        f"float64 (and exp(-1000) is 0), so {what}. Compute the same softmax without "
        "exponentiating such numbers",
    )


GRADIENT = Exercise(
    number="9.1",
    title="softmax cross-entropy gradient",
    name="softmax_cross_entropy_gradient",
    reference=softmax_cross_entropy_gradient_reference,
    cases=_gradient_cases,
    accepts="an array of shape (N, K), or a list of N lists of K numbers; s a float64 array "
    "(N, K), y an int array (N,)",
    variant=_gradient_variant,
    forbidden=(cross_entropy, softmax),
    derive=True,
    diagnose=_gradient_diagnose,
    keys=("overflow", "global_max"),
    mistakes=(
        Mistake(
            "forgot_onehot",
            "you return the probabilities alone: the -log p_y term also depends on the scores "
            "through the label's own score, so each row changes at its label's column",
            changes={"onehot": "none"},
        ),
        Mistake(
            "wrong_axis",
            "your softmax normalises each column (over the samples) instead of each row (over "
            "the classes of one sample): check the axis of your max and your sum",
            changes={"axis": 0},
        ),
        Mistake(
            "onehot_indexing",
            "you subtract 1 at every label's column in every row: each row needs it only at "
            "its own label (index rows and labels together, e.g. with np.arange(N))",
            changes={"onehot": "columns"},
        ),
        Mistake(
            "log_probabilities",
            "you use log-probabilities where the derivative of log-sum-exp is the probability "
            "itself: differentiate log sum_j exp(s_j) once more",
            changes={"log": True},
        ),
        Mistake(
            "onehot_everywhere",
            "you subtract 1 from every entry: the -1 belongs only at each row's label",
            changes={"onehot": "everywhere"},
        ),
    ),
)


# ----------------------------------------------------------------- Exercise 9.2: predicted labels
def predict_labels_reference(s):
    """The class of the largest score in each row, shape (N,): what the network predicts."""
    return np.asarray(s).argmax(axis=1)


def _unstable_softmax_argmax(s):
    """The argmax of the softmax computed as written: NaN rows (inf/inf, 0/0) give index 0."""
    e = np.exp(np.asarray(s, dtype=np.float64))
    return np.argmax(e / e.sum(axis=1, keepdims=True), axis=1)


def _predict_cases():
    rng = np.random.default_rng(83)
    cases = []
    for N, K in [(6, 10), (9, 3), (4, 5), (1, 4), (5, 2)]:
        cases.append(Case((rng.normal(size=(N, K)),), f"N = {N} samples, K = {K} classes"))
    s = np.array([[800.0, 900.0, 1.0], [-1000.0, -998.0, -999.5], [3.0, -2.0, 950.0]])
    cases.append(Case((s,), f"scores in the hundreds, {LARGE}"))
    return cases


_UNSTABLE = (
    "right for moderate scores, but not for scores in the hundreds or near -1000: a softmax "
    "computed as written overflows there (exp(800) is inf in float64, exp(-1000) is 0) and "
    "the argmax of inf/inf or 0/0 is that of NaN: whatever you compute from the scores must "
    "stay finite for every float64 score"
)


def _predict_diagnose(judgement):
    moderate_ok, wrong_large = _moderate_then_large(judgement, 0.0)
    if moderate_ok and wrong_large:
        return "unstable_softmax", _UNSTABLE
    return None


PREDICT = Exercise(
    number="9.2",
    title="predicted labels",
    name="predict_labels",
    reference=predict_labels_reference,
    cases=_predict_cases,
    accepts="an array of ints of shape (N,), or a list of N ints (not floats); s a float64 "
    "array (N, K)",
    integer=True,
    diagnose=_predict_diagnose,
    keys=("unstable_softmax",),
    mistakes=(
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
        Mistake("unstable_softmax", _UNSTABLE, _unstable_softmax_argmax),
    ),
)


# ----------------------------------------------------------------- Exercise 9.3: one SGD step
def sgd_step_reference(weights, biases, X, y, lr):
    """One step of `MLP.step` (tanh hidden layers, identity output, mean cross-entropy) on a
    copy of the parameters: returns new lists (weights, biases), the given ones unchanged."""
    net = MLP.from_params(weights, biases, "tanh", "identity")  # copies the arrays
    net.step(X, y, lr, loss="cross_entropy")
    return list(net.weights), list(net.biases)


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
    reverse=False,
):
    """One SGD step from `layer_forward` and `layer_backward`, with one switch per mistake.

    sign : +1 steps uphill; rate : False leaves lr out; update_biases : False keeps the biases;
    hidden_sigma_prime : False goes back through the hidden layers as if tanh were the
    identity; stale : the gradient passed down through the weights just updated; summed : the
    gradient of the summed loss; first : the lowest layer updated (2 stops early);
    output_tanh : tanh on the output scores too; reverse : the lists returned layer L first
    """
    L = len(weights)
    out = tanh if output_tanh else identity
    s, x = [None], [np.asarray(X, dtype=np.float64)]
    for l in range(1, L + 1):
        s_l, x_l = layer_forward(x[l - 1], weights[l - 1], biases[l - 1], out if l == L else tanh)
        s.append(s_l)
        x.append(x_l)
    dl_dx = softmax_cross_entropy_gradient_reference(x[L], y) * (len(X) if summed else 1.0)
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
    return (new_w[::-1], new_b[::-1]) if reverse else (new_w, new_b)


# (sizes, N, lr, scale of the weights)
_STEP = [
    ([5, 4, 3], 6, 0.1, 1.0),
    ([8, 6, 10], 7, 0.5, 1.0),
    ([3, 6, 4, 2], 5, 0.05, 1.0),
    ([4, 3], 1, 1.0, 1.0),
    ([6, 5, 5, 3], 4, 2.0, 3.0),
]


def _step_cases():
    rng = np.random.default_rng(85)
    cases = []
    for sizes, n, lr, scale in _STEP:
        weights = [
            rng.normal(0.0, scale / np.sqrt(d_in), size=(d_out, d_in))
            for d_in, d_out in zip(sizes[:-1], sizes[1:])
        ]
        biases = [rng.normal(0.0, 0.5, size=d_out) for d_out in sizes[1:]]
        X = rng.normal(size=(n, sizes[0]))
        y = rng.integers(0, sizes[-1], size=n)
        note = ", large weights (tanh units near their flat tails)" if scale > 1 else ""
        describe = f"a network {sizes}, N = {n}, lr = {lr:g}{note}"
        cases.append(Case((weights, biases, X, y, lr), describe, {"N": n}))
    return cases


STEP = Exercise(
    number="9.3",
    title="one SGD step, from your own pieces",
    name="sgd_step",
    reference=sgd_step_reference,
    cases=_step_cases,
    accepts="the pair (new_weights, new_biases), each a list (or tuple) of arrays of the "
    "shapes of the given ones; the given lists and arrays left unchanged",
    returns=("new_weights", "new_biases"),
    variant=_step_variant,
    forbidden=(sgd_step_reference, MLP.step, MLP.gradients, MLP.fit, training_step),
    mistakes=(
        Mistake(
            "uphill",
            "your step goes uphill: the update must move against the gradient",
            changes={"sign": +1.0},
        ),
        Mistake(
            "no_learning_rate",
            "the learning rate is missing from your update: each step is -lr times the gradient",
            changes={"rate": False},
        ),
        Mistake(
            "biases_not_updated",
            "the weights move but the biases come back unchanged: they are parameters too",
            changes={"update_biases": False},
        ),
        Mistake(
            "forgot_sigma_prime",
            "the hidden layers' update is what you would get if tanh were the identity: the "
            "gradient goes back through tanh' on its way to the hidden weights",
            changes={"hidden_sigma_prime": False},
        ),
        Mistake(
            "updated_too_early",
            "a layer's weights are updated before the gradient has passed back through them: "
            "the layers below must see the weights of the forward pass",
            changes={"stale": True},
        ),
        Mistake(
            "summed_loss",
            "your step is N times too large: the loss is the mean over the batch, whose "
            "gradient carries a 1/N",
            changes={"summed": True},
        ),
        Mistake(
            "stops_early",
            "the first layer comes back unchanged: the backward loop must go down to layer 1",
            changes={"first": 2},
        ),
        Mistake(
            "tanh_on_output",
            "your network applies tanh to its output scores: here the output layer is the "
            "identity, and the softmax comes in the loss",
            changes={"output_tanh": True},
        ),
        Mistake(
            "reversed_layers",
            "each list holds the right arrays but from layer L down to layer 1 (a backward "
            "loop that appends as it goes): entry l - 1 must be layer l's, as in the given lists",
            changes={"reverse": True},
        ),
    ),
)


# ----------------------------------------------------------------- Exercise 9.4: confusion matrix
def confusion_matrix_reference(y_true, y_pred, K):
    """C[i, j] = the number of samples of true class i predicted as class j, shape (K, K)."""
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


def _confusion_variant(y_true, y_pred, K, *, transpose=False, accumulate=True, shift=0):
    """The counts with switches: rows and columns swapped; a repeated pair counted once;
    labels shifted by `shift` (Python's negative indices wrap them round)."""
    C = np.zeros((K, K), dtype=np.int64)
    rows, cols = np.asarray(y_true) + shift, np.asarray(y_pred) + shift
    if accumulate:
        np.add.at(C, (rows, cols), 1)
    else:
        C[rows, cols] = 1
    return C.T if transpose else C


def _normalised(y_true, y_pred, K):
    C = confusion_matrix_reference(y_true, y_pred, K).astype(np.float64)
    return C / np.maximum(C.sum(axis=1, keepdims=True), 1)


def _size_from_data(y_true, y_pred, K):
    return confusion_matrix_reference(y_true, y_pred, int(max(np.max(y_true), np.max(y_pred))) + 1)


def _diagonal_only(y_true, y_pred, K):
    return np.diag(np.diag(confusion_matrix_reference(y_true, y_pred, K)))


def _confusion_cases():
    rng = np.random.default_rng(84)
    cases = []
    for n, K, present in [(20, 4, 4), (30, 3, 3), (25, 5, 4), (1, 3, 3), (40, 2, 2)]:
        y_true = rng.integers(0, present, size=n)  # in the third case class 4 never occurs
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, present, size=n))
        note = ", one class absent" if present < K else ""
        cases.append(Case((y_true, y_pred, K), f"{n} samples, K = {K}{note}", {"N": n, "K": K}))
    return cases


CONFUSION = Exercise(
    number="9.4",
    title="confusion matrix",
    name="confusion_matrix",
    reference=confusion_matrix_reference,
    cases=_confusion_cases,
    accepts="a (K, K) array of ints, or of floats holding whole counts, or a list of K lists; "
    "y_true and y_pred int arrays (N,), K an int",
    variant=_confusion_variant,
    forbidden=("sklearn.metrics.confusion_matrix",),
    mistakes=(
        Mistake(
            "transpose",
            "rows and columns are swapped: row i is the true class i, column j the predicted "
            "class j",
            changes={"transpose": True},
        ),
        Mistake(
            "overwrite_not_accumulate",
            "a (true, predicted) pair that occurs several times is counted once: repeated "
            "pairs must add up (NumPy's fancy-indexed `+=` does not accumulate repeats)",
            changes={"accumulate": False},
        ),
        Mistake(
            "normalised",
            "each row sums to 1: the exercise asks for counts, not fractions",
            _normalised,
        ),
        Mistake(
            "size_from_data",
            "the size of your matrix comes from the labels that occur: use K, since a class "
            "may be missing from a sample",
            _size_from_data,
        ),
        Mistake(
            "diagonal_only",
            "only the correct predictions are counted: the mistakes (true i, predicted j != i) "
            "belong off the diagonal",
            _diagonal_only,
        ),
        Mistake(
            "shifted_labels",
            "the counts are right but shifted by one row and one column: the labels count from "
            "0, so label k belongs in row k and column k",
            changes={"shift": -1},
        ),
    ),
)

EXERCISES = (GRADIENT, PREDICT, STEP, CONFUSION)

check_softmax_cross_entropy_gradient = make_check(GRADIENT)
check_predict_labels = make_check(PREDICT)
check_sgd_step = make_check(STEP)
check_confusion_matrix = make_check(CONFUSION)
