"""Checks for the exercises of notebook 08 (logistic regression).

- Exercise 8.1, `check_logistic_gradient`: the gradient of the logistic loss
  L(w, b) = -sum_n log sigma(y_n (w . x_n + b)), summed or averaged over the samples; the
  reference is `bpcourse.logistic.gradient`.
- Exercise 8.2, `check_log_sigmoid`: log sigma(m) exact and without overflow for margins from
  1e-4 to 1e4 in size; the reference is `bpcourse.logistic.log_sigmoid`.

Each known mistake is the reference with one thing changed (the weight of a sample, the
label convention, the normalisation, the precision, the formula used for large margins).
"""

import dataclasses
import itertools
import warnings

import numpy as np

from bpcourse import logistic
from bpcourse.activations import sigmoid
from bpcourse.exercises._core import Mistake, check

GRADIENT = "Exercise 8.1 (the logistic gradient)"
LOG_SIGMOID = "Exercise 8.2 (a stable log sigma)"


# ----- Exercise 8.1 ------------------------------------------------------------------------------
def _weighted(w, b, X, y, reduction, weight, label=True, with_b=True):
    """The reference's closed form with the per-sample weight sigma(-m_n) replaced by weight(m),
    the label factor y_n dropped (label=False) or b left out of the margin (with_b=False)."""
    m = y * (X @ w + (b if with_b else 0.0))
    u = (y if label else 1.0) * weight(m)
    dw, db = -(u @ X), -float(np.sum(u))
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def _labels_0_1(w, b, X, y, reduction, sign=1.0):
    """The gradient of the {0, 1} convention, X^T (sigma(s) - y), fed labels -1 and +1."""
    r = sign * (sigmoid.f(X @ w + b) - y)
    dw, db = r @ X, float(np.sum(r))
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def _gradient_cases():
    """Seeded (w, b, X, y[, reduction]) cases: both reductions, several N and D, small and
    large margins, and one call without `reduction` (its default, "sum", is used later)."""
    rng = np.random.default_rng(7)
    cases, describe, sizes = [], [], []
    plan = [
        (5, 2, "sum", 1.0),
        (8, 3, "mean", 1.0),
        (13, 2, "sum", 6.0),  # margins up to about 30: many weights sigma(-m_n) are tiny
        (6, 5, "mean", 0.1),  # margins near 0: every weight is close to 1/2
        (9, 4, None, 1.0),
    ]
    for N, D, reduction, scale in plan:
        X = rng.normal(size=(N, D))
        y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
        rng.shuffle(y)
        w, b = scale * rng.normal(size=D), float(scale * rng.normal())
        args = (w, b, X, y) if reduction is None else (w, b, X, y, reduction)
        cases.append(args)
        how = "without reduction (the default)" if reduction is None else f'reduction="{reduction}"'
        describe.append(f"N = {N} samples, D = {D} features, {how}")
        sizes.append({"N": N})
    return cases, describe, sizes


def _factor_text(power):
    return {0: "", 1: "N times", -1: "1/N times", 2: "N^2 times", -2: "1/N^2 times"}[power]


def _normalisation_mistakes():
    """One Mistake per pair of factors (N^p with "sum", N^q with "mean") other than the right
    (0, 0): a forgotten or extra 1/N, a 1/N applied twice, "sum" and "mean" swapped."""
    mistakes = []
    for p, q in itertools.product((0, -1, 1, -2), (0, 1, -1, -2)):
        if (p, q) == (0, 0) or (p == q and p != -1):
            continue  # the same factor in every case is the core's generic "scale"

        def wrong(w, b, X, y, reduction="sum", p=p, q=q):
            dw, db = logistic.gradient(w, b, X, y, reduction)
            f = float(len(y)) ** (p if reduction == "sum" else q)
            return dw * f, db * f

        if (p, q) == (0, 1):
            key = "missing_1_over_n"
            text = 'right with reduction="sum", but N times too large with reduction="mean"'
            text += " (N the number of samples): the mean loss is the sum divided by N"
        elif (p, q) == (-1, 0):
            key = "extra_1_over_n"
            text = 'right with reduction="mean", but N times too small with reduction="sum"'
            text += " (N the number of samples): the summed loss has no 1/N"
        elif (p, q) == (-1, -1):
            key, text = (
                "extra_1_over_n",
                (
                    "your gradient is 1/N times the right one with either reduction (N the number "
                    'of samples): the summed loss has no 1/N, and "mean" divides by N once'
                ),
            )
        else:
            key = "normalisation"
            parts = [
                f'with reduction="{r}" your gradient is '
                + (_factor_text(k) or "right")
                + (" the right one" if k else "")
                for r, k in (("sum", p), ("mean", q))
            ]
            text = "; ".join(parts) + (
                " (N the number of samples): look for a 1/N (or a mean) that is missing, extra "
                "or applied twice"
            )
        mistakes.append(Mistake(key, text, wrong))
    return mistakes


def check_logistic_gradient(student_fn):
    """Check Exercise 8.1: the gradient of the logistic loss with respect to w and b.

    The reference is `bpcourse.logistic.gradient`. The loss is L(w, b) = -sum_n log sigma(m_n)
    with margins m_n = y_n (w . x_n + b) and labels y_n in {-1, +1}; with ``reduction="mean"``
    it is L / N.

    Parameters
    ----------
    student_fn : callable
        ``student_fn(w, b, X, y, reduction="sum")`` with `w` of shape (D,), `b` a number, `X`
        of shape (N, D), `y` of shape (N,) in {-1, +1} and `reduction` "sum" or "mean";
        returns ``(dw, db)``: `dw` a NumPy array of shape (D,), `db` a number.

    Returns
    -------
    Result
        "correct" with the largest entry-wise relative error, "todo" for a stub, else the
        mistake, among them: "sign", "sigma_plus_margin" (sigma(m_n) where sigma(-m_n) is
        meant), "sigma_prime" (the derivative of sigma where that of log sigma is meant),
        "forgot_y", "forgot_b", "labels_0_1" (the formula of labels in {0, 1}),
        "missing_1_over_n", "extra_1_over_n", "normalisation", "scale", "precision",
        "modified_input", "not_a_result", "raised".
    """
    cases, describe, sizes = _gradient_cases()

    def sigma_of(f):
        return lambda w, b, X, y, reduction="sum": _weighted(w, b, X, y, reduction, f)

    mistakes = [
        Mistake(
            "sign",
            "your gradient has the right size but points the wrong way: L is minus a sum of "
            "log-probabilities; follow that minus through",
            lambda w, b, X, y, reduction="sum": tuple(
                -v for v in logistic.gradient(w, b, X, y, reduction)
            ),
        ),
        Mistake(
            "sigma_plus_margin",
            "each sample is weighted by sigma(m_n), with m_n its margin, where the derivative of "
            "log sigma gives another factor: recompute d/dm log sigma(m) = sigma'(m) / sigma(m) "
            "and simplify it with 1 - sigma(m) = sigma(-m)",
            sigma_of(sigmoid.f),
        ),
        Mistake(
            "sigma_prime",
            "each sample is weighted by sigma'(m_n) = sigma(m_n) sigma(-m_n), the derivative of "
            "sigma; the loss has log sigma, whose derivative divides sigma'(m) by sigma(m)",
            sigma_of(lambda m: sigmoid.f(m) * sigmoid.f(-m)),
        ),
        Mistake(
            "forgot_y",
            "each sample's term lacks the label factor y_n that the chain rule brings from "
            "m_n = y_n (w . x_n + b)",
            lambda w, b, X, y, reduction="sum": _weighted(
                w, b, X, y, reduction, lambda m: sigmoid.f(-m), label=False
            ),
        ),
        Mistake(
            "forgot_b",
            "your margins leave out b: m_n = y_n (w . x_n + b), and b moves every margin",
            lambda w, b, X, y, reduction="sum": _weighted(
                w, b, X, y, reduction, lambda m: sigmoid.f(-m), with_b=False
            ),
        ),
        Mistake(
            "labels_0_1",
            "your gradient is the formula of the {0, 1} label convention (the predicted "
            "probability minus the label); here the labels y_n are -1 and +1 and the loss is "
            "-sum_n log sigma(y_n (w . x_n + b)): derive it for these labels, or convert the "
            "labels to {0, 1} before using a {0, 1} formula",
            lambda w, b, X, y, reduction="sum": _labels_0_1(w, b, X, y, reduction),
        ),
        Mistake(
            "labels_0_1",
            "your gradient is minus the formula of the {0, 1} label convention (the label minus "
            "the predicted probability); here the labels y_n are -1 and +1 and the loss is "
            "-sum_n log sigma(y_n (w . x_n + b)): derive it for these labels, and mind the sign",
            lambda w, b, X, y, reduction="sum": _labels_0_1(w, b, X, y, reduction, -1.0),
        ),
        *_normalisation_mistakes(),
    ]
    return check(
        GRADIENT,
        student_fn,
        logistic.gradient,
        cases,
        mistakes,
        names=("dw", "db"),
        describe=describe,
        sizes=sizes,
        allow_lists=False,
        name="logistic_gradient",
    )


# ----- Exercise 8.2 ------------------------------------------------------------------------------
def _log_sigmoid_cases():
    """Margins whose sizes span 1e-4 to 1e4, both signs, in a 1-D and a 2-D array."""
    rng = np.random.default_rng(71)
    sizes = np.array([1e-4, 1e-3, 0.01, 0.1, 1.0, 5.0, 12.0, 20.0, 30.0, 40.0, 50.0, 100.0])
    sizes = np.concatenate([sizes, [300.0, 700.0, 1e3, 1e4]])
    line = np.concatenate([-sizes[::-1], [0.0], sizes, rng.normal(scale=3.0, size=7)])
    grid = np.concatenate([rng.normal(scale=2.0, size=6), [-800.0, 25.0, 5e3, -3e-4, 45.0, -15.0]])
    return [(line,), (grid.reshape(3, 4),)]


LOG_SIGMOID_DESCRIBE = [
    "a 1-D array of 40 margins from -1e4 to 1e4, sizes 1e-4 to 1e4",
    "a 3 x 4 array of margins",
]
FLOAT32_TINY = float(np.finfo(np.float32).tiny)


def _wrong_entries(outputs, cases, tol=1e-9):
    """Per case, the margins m and the boolean mask of entries off by more than `tol`."""
    found = []
    for out, (m,) in zip(outputs, cases):
        got = np.asarray(out, dtype=np.float64)
        if got.shape != m.shape:
            return None
        want = logistic.log_sigmoid(m)
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~(np.abs(got - want) <= tol * np.abs(want))
        found.append((m, got, want, bad))
    return found


def _diagnose_log_sigmoid(outputs, cases):
    """(key, message) for an answer that no generic detector named, or None."""
    found = _wrong_entries(outputs, cases)
    if found is None:
        return None
    m = np.concatenate([f[0].ravel() for f in found])
    got = np.concatenate([f[1].ravel() for f in found])
    bad = np.concatenate([f[3].ravel() for f in found])
    single = any(np.asarray(out).dtype in (np.float32, np.float16) for out in outputs)
    if not single and np.all(np.isfinite(got)) and np.all(np.abs(m[bad]) <= 0.01):
        return (
            "near_zero",
            "right except for the margins closest to 0 (|m| <= 0.01): a shortcut such as a "
            "Taylor expansion there is not exact; the same formula can serve every m",
        )
    if single or all(
        np.all(np.abs(got - want) <= 1e-6 * np.abs(want) + FLOAT32_TINY)
        for _, got, want, _ in found
    ):
        return (
            "precision",
            "your values agree with log sigma(m) only to about 7 significant digits, the "
            "precision of float32 (and where log sigma(m) is tinier than float32 can hold, "
            "yours are 0): compute in float64 (no .astype(np.float32), no np.float32(...))",
        )
    if not np.all(np.isfinite(got)):
        where = np.abs(m[~np.isfinite(got)])
        if np.min(where) > 30:
            return (
                "overflow",
                "right for moderate m, but inf or NaN for large |m|: exp overflows float64 "
                "beyond about 709 (and sigma(m) rounds to 0 below about -745, whose log is "
                "-inf); rewrite the formula so that no exponential of a large positive number "
                "is computed and no log of a number that can round to 0 is taken",
            )
        return None
    asymptote = np.minimum(m, 0.0)
    if np.all(np.abs(m[bad]) >= 5) and np.all(got[bad] == asymptote[bad]):
        return (
            "asymptotic_shortcut",
            "right for moderate m, but for large |m| you return the limit (m itself, or 0) "
            "instead of the value: for large positive m, log sigma(m) is a tiny negative "
            "number, not 0, and for large negative m it differs from m by a tiny amount; "
            "keep the formula exact for every m rather than cutting it off",
        )
    if np.all(m[bad] >= 5):
        return (
            "tiny_values_lost",
            "right for negative and moderate m, but for large positive m, where log sigma(m) is "
            "a tiny negative number, your values lose their digits (or become 0): forming "
            "1 + exp(-m), or sigma(m), rounds the tiny part away; np.log1p(x) computes "
            "log(1 + x) without forming 1 + x",
        )
    if np.all(m[bad] < 0) and np.all(m[m < 0] == m[m < 0]) and bad.sum() == (m < 0).sum():
        return (
            "negative_half",
            "right for every m >= 0 but wrong for every negative margin: look again at the "
            "branch (or the rewriting) you use when m < 0",
        )
    if np.all(np.abs(m[bad]) > 30):
        return (
            "large_margin",
            "right for moderate m, but wrong for large |m| (|m| > 30): think about what "
            "log sigma(m) tends to at both ends, and keep the formula exact there rather than "
            "clipping m",
        )
    return None


def check_log_sigmoid(student_fn):
    """Check Exercise 8.2: log sigma(m) for any margin m, exact and without overflow.

    The reference is `bpcourse.logistic.log_sigmoid`. log sigma(m) = -log(1 + exp(-m)) is
    about m for m << 0 and about -exp(-m) for m >> 0. The cases hold margins whose sizes span
    1e-4 to 1e4, where exp(-m) or exp(m) overflows float64 (it does from about 710 on), and
    each entry is compared with its own size (a value of -2e-22 must be right to 1e-9 of
    itself, not of the largest entry).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(m)`` with `m` a float64 array of any shape; returns log sigma(m)
        elementwise, an array (or nested list) of the same shape.

    Returns
    -------
    Result
        "correct" with the largest relative error, "todo" for a stub, else the mistake:
        "overflow" (inf or NaN for large |m|), "overflow_warning" (right values, but NumPy
        warned of an overflow on the way), "precision" (float32), "asymptotic_shortcut"
        (the limit m or 0 returned for large |m|), "tiny_values_lost" (log(1 + x) for tiny x),
        "large_margin", "near_zero", "negative_half" (right for m >= 0, wrong for every m < 0),
        "sign", "sigma_minus_margin", "not_a_result", "raised".
    """
    cases = _log_sigmoid_cases()
    seen = {"warned": False, "outputs": []}

    def quiet(m):
        """Run the student's function recording NumPy's floating-point warnings."""
        with (
            warnings.catch_warnings(record=True) as caught,
            np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
        ):
            warnings.simplefilter("always")
            out = student_fn(m)
        seen["warned"] |= any(issubclass(w.category, RuntimeWarning) for w in caught)
        seen["outputs"].append(out)
        return out

    mistakes = [
        Mistake(
            "sign",
            "you return -log sigma(m), the loss term, where the exercise asks for log sigma(m) "
            "(a number <= 0)",
            lambda m: -logistic.log_sigmoid(m),
        ),
        Mistake(
            "sigma_minus_margin",
            "your values are log sigma(-m): check the sign of m inside the exponential",
            lambda m: logistic.log_sigmoid(-m),
        ),
    ]
    result = check(
        LOG_SIGMOID,
        quiet if callable(student_fn) else student_fn,
        logistic.log_sigmoid,
        cases,
        mistakes,
        describe=LOG_SIGMOID_DESCRIBE,
        floor_rel=0.0,
        name="log_sigmoid",
    )
    result = dataclasses.replace(result, student=student_fn, function=None)
    if result.status == "correct" and seen["warned"]:
        return dataclasses.replace(
            result,
            status="mistake",
            message="not yet: the values are right, but an exponential overflowed on the way "
            "(NumPy warned): compute exp only of numbers that cannot be large and positive "
            "(np.where evaluates both of its branches for every entry)",
            diagnosis="overflow_warning",
            function=None,
        )
    generic = result.diagnosis in ("unknown", "precision", "scale")
    if result.status in ("wrong", "mistake") and generic and len(seen["outputs"]) == len(cases):
        try:
            found = _diagnose_log_sigmoid(seen["outputs"], cases)
        except Exception:  # a value the diagnosis cannot read: keep the core's message
            found = None
        if found is not None:
            return dataclasses.replace(
                result,
                status="mistake",
                message=f"not yet: {found[1]}",
                diagnosis=found[0],
                function=None,
            )
    return result
