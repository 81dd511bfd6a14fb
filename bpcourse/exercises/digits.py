"""Checks for the exercises of notebook 08 (handwritten digits, softmax cross-entropy).

- Exercise 8.1: the gradient of the mean softmax cross-entropy with respect to the scores.
- Exercise 8.2: predicted labels from a batch of scores.
- Exercise 8.3: the confusion matrix of a classifier.

Each `check_<name>(your_function)` returns a `bpcourse.exercises.Result`; see `_core.check`.
"""

import numpy as np

from bpcourse.exercises._core import Mistake, Result, check

# ---------------------------------------------------------------- Exercise 8.1: dl/ds


def _softmax(s):
    """Row-wise softmax of scores `s` (N, K), stable for any finite scores."""
    z = s - s.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _onehot(y, K):
    """One-hot rows (N, K) for integer labels `y` (N,)."""
    return (np.asarray(y)[:, None] == np.arange(K)[None, :]).astype(np.float64)


def _ce_gradient(s, y):
    """Reference: dL/ds = (softmax(s) - onehot(y)) / N for L the mean cross-entropy."""
    N, K = s.shape
    return (_softmax(s) - _onehot(y, K)) / N


def _ce_cases(seed=0):
    """Seeded (scores, labels) pairs of moderate size, N != K so that a transpose shows."""
    rng = np.random.default_rng(seed)
    cases = []
    for N, K in [(5, 3), (4, 10), (7, 4)]:
        s = rng.normal(scale=2.0, size=(N, K))
        y = rng.integers(0, K, size=N)
        y[:2] = y[0]  # a repeated label, as in any real batch
        cases.append((s, y))
    return cases


def _ce_large_cases(seed=1):
    """Scores around +1000 and -1000: exp overflows (or underflows) without care."""
    rng = np.random.default_rng(seed)
    s = rng.normal(scale=5.0, size=(4, 3))
    s[:2] += 1000.0
    s[2:] -= 1000.0
    y = np.array([0, 2, 1, 1])
    return [(s, y)]


def _ce_mistakes():
    def missing_1_over_n(s, y):
        return _softmax(s) - _onehot(y, s.shape[1])

    def forgot_onehot(s, y):
        return _softmax(s) / s.shape[0]

    def sign(s, y):
        return -_ce_gradient(s, y)

    def transpose(s, y):
        return _ce_gradient(s, y).T

    def softmax_over_samples(s, y):
        e = np.exp(s - s.max(axis=0, keepdims=True))
        return (e / e.sum(axis=0, keepdims=True) - _onehot(y, s.shape[1])) / s.shape[0]

    def onehot_indexing(s, y):
        g = _softmax(s)
        g[:, np.unique(y)] -= 1.0
        return g / s.shape[0]

    return [
        Mistake(
            "missing_1_over_n",
            "every row is N times too large: the loss is a mean over the N samples of the "
            "batch, and its gradient keeps that factor",
            missing_1_over_n,
        ),
        Mistake(
            "forgot_onehot",
            "you return the softmax probabilities (scaled) only: the -log p_y term also "
            "depends on the scores, through the label's own score",
            forgot_onehot,
        ),
        Mistake(
            "sign",
            "the magnitude is right but the sign is flipped: L is the NEGATIVE log-likelihood; "
            "raising the true class's score must lower the loss",
            sign,
        ),
        Mistake(
            "transpose",
            "the values are right but transposed: dl_ds has the shape of the scores, one row "
            "per sample and one column per class",
            transpose,
        ),
        Mistake(
            "wrong_axis",
            "your softmax normalises each column (over the samples) instead of each row "
            "(over the classes of one sample): check the axis of your sum",
            softmax_over_samples,
        ),
        Mistake(
            "onehot_indexing",
            "you subtract 1 at every label's column in every row: each row needs it only at "
            "its own label (check how your indexing pairs rows with labels)",
            onehot_indexing,
        ),
    ]


def check_softmax_cross_entropy_gradient(student):
    """Check Exercise 8.1: the gradient of the mean softmax cross-entropy w.r.t. the scores.

    The loss is L = (1/N) sum_n [-log softmax(s_n)_{y_n}] for scores `s` of shape (N, K) and
    integer labels `y` of shape (N,); the student returns dL/ds, of shape (N, K). The function
    is tried first on moderate scores, then on scores near +1000 and -1000, where an
    exponential taken as it comes overflows.

    Parameters
    ----------
    student : callable
        ``student(s, y) -> dl_ds``.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a ``mistake`` with diagnosis ``missing_1_over_n``,
        ``forgot_onehot``, ``sign``, ``transpose``, ``wrong_axis``, ``onehot_indexing`` or
        ``overflow``; ``wrong``/``error`` otherwise.
    """
    exercise = "Exercise 8.1 (softmax cross-entropy gradient)"
    result = check(exercise, student, _ce_gradient, _ce_cases(), _ce_mistakes())
    if not result.ok:
        return result
    with np.errstate(all="ignore"):  # an unstable softmax must be diagnosed, not warned about
        large = check(exercise, student, _ce_gradient, _ce_large_cases())
    if large.ok:
        worst = max(result.evidence["max_error"], large.evidence["max_error"])
        return Result(
            exercise,
            "correct",
            f"correct, also for scores near ±1000 (largest relative error {worst:.1e} over "
            f"{len(_ce_cases()) + len(_ce_large_cases())} cases)",
            student,
            evidence={"max_error": worst},
        )
    return Result(
        exercise,
        "mistake",
        "not yet: right for moderate scores, but for scores near ±1000 the result "
        f"{'has NaN or inf' if large.status == 'wrong' else 'fails'}: exp(1000) overflows "
        "float64 (and exp(-1000) underflows to 0); compute the same softmax without "
        "exponentiating such numbers",
        _ce_gradient,
        diagnosis="overflow",
        evidence=large.evidence,
    )


# ---------------------------------------------------------------- Exercise 8.2: labels


def _predict(s):
    """Reference: the class of largest score in each row, shape (N,)."""
    return np.argmax(s, axis=1)


def _predict_cases(seed=2):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(N, K)),) for N, K in [(6, 10), (9, 3), (4, 5)]]


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
            "you return the largest scores themselves: the label is WHERE the largest score sits",
            lambda s: np.max(s, axis=1),
        ),
        Mistake(
            "off_by_one",
            "your labels are shifted by one: the classes are numbered from 0, like the digits",
            lambda s: np.argmax(s, axis=1) + 1,
        ),
    ]


def check_predict_labels(student):
    """Check Exercise 8.2: predicted labels from scores.

    Parameters
    ----------
    student : callable
        ``student(s) -> labels``: scores `s` of shape (N, K) to the integer label of largest
        score in each row, shape (N,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a ``mistake`` with diagnosis ``wrong_axis``, ``no_axis``,
        ``max_not_argmax`` or ``off_by_one``; ``wrong``/``error`` otherwise.
    """
    return check(
        "Exercise 8.2 (predicted labels)",
        student,
        _predict,
        _predict_cases(),
        _predict_mistakes(),
    )


# ---------------------------------------------------------------- Exercise 8.3: confusion


def _confusion(y_true, y_pred, K):
    """Reference: C[i, j] = number of samples of true class i predicted as class j."""
    C = np.zeros((K, K), dtype=np.int64)
    for i, j in zip(y_true, y_pred, strict=True):
        C[i, j] += 1
    return C


def _confusion_cases(seed=3):
    rng = np.random.default_rng(seed)
    cases = []
    for n, K, present in [(20, 4, 4), (30, 3, 3), (25, 5, 4)]:
        y_true = rng.integers(0, present, size=n)  # in the last case class 4 never occurs
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, present, size=n))
        cases.append((y_true, y_pred, K))
    return cases


def _confusion_mistakes():
    def counted_once(y_true, y_pred, K):
        C = np.zeros((K, K))
        C[y_true, y_pred] = 1
        return C

    def normalised(y_true, y_pred, K):
        C = _confusion(y_true, y_pred, K).astype(np.float64)
        return C / np.maximum(C.sum(axis=1, keepdims=True), 1)

    def size_from_data(y_true, y_pred, K):
        return _confusion(y_true, y_pred, int(max(np.max(y_true), np.max(y_pred))) + 1)

    return [
        Mistake(
            "transpose",
            "rows and columns are swapped: row i is the TRUE class i, column j the predicted "
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
            "your matrix's size comes from the labels that occur: use K, since a class may be "
            "missing from a sample",
            size_from_data,
        ),
    ]


def check_confusion_matrix(student):
    """Check Exercise 8.3: the confusion matrix of a classifier.

    Parameters
    ----------
    student : callable
        ``student(y_true, y_pred, K) -> C``: integer labels of shape (N,) each, to the (K, K)
        matrix of counts, ``C[i, j]`` = number of samples of true class i predicted as j.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a ``mistake`` with diagnosis ``transpose``,
        ``overwrite_not_accumulate``, ``normalised`` or ``size_from_data``;
        ``wrong``/``error`` otherwise.
    """
    return check(
        "Exercise 8.3 (confusion matrix)",
        student,
        _confusion,
        _confusion_cases(),
        _confusion_mistakes(),
    )
