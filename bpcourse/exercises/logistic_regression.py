"""Checks for the exercises of notebook 07 (logistic regression).

- Exercise 7.1, `check_logistic_gradient`: the gradient of the logistic loss
  L(w, b) = -sum_n log sigma(y_n (w . x_n + b)), summed or averaged over the samples.
- Exercise 7.2, `check_log_sigmoid`: log sigma(m) evaluated without overflow, even for
  margins m of size 1e4.
"""

import dataclasses
import warnings

import numpy as np

from bpcourse.exercises._core import Mistake, Result, check

LARGE = 30.0  # |m| above this counts as a "large margin" for exercise 7.2's diagnosis


def _sigma(s):
    """The logistic function 1 / (1 + exp(-s)), without overflow: exp(-log(1 + exp(-s)))."""
    return np.exp(-np.logaddexp(0.0, -s))


def _gradient(w, b, X, y, reduction, weight, label_factor=True):
    """The closed form with the per-sample weight sigma(-m_n) replaced by `weight(m)`."""
    m = y * (X @ w + b)
    u = (y if label_factor else 1.0) * weight(m)
    dw, db = -(u @ X), -float(np.sum(u))
    if reduction == "mean":
        dw, db = dw / len(y), db / len(y)
    return dw, db


def _gradient_cases():
    """Seeded (w, b, X, y, reduction) cases: both reductions, several N and D."""
    rng = np.random.default_rng(7)
    cases = []
    for N, D, reduction in [(5, 2, "sum"), (8, 3, "mean"), (13, 2, "sum"), (6, 1, "mean")]:
        X = rng.normal(size=(N, D))
        y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
        rng.shuffle(y)
        w, b = rng.normal(size=D), float(rng.normal())
        cases.append((w, b, X, y, reduction))
    return cases


def check_logistic_gradient(student_fn):
    """Check Exercise 7.1: the gradient of the logistic loss with respect to w and b.

    The loss is L(w, b) = -sum_n log sigma(m_n) with margins m_n = y_n (w . x_n + b) and
    labels y_n in {-1, +1}; its gradient is

        dL/db = -sum_n y_n sigma(-m_n),    dL/dw = -sum_n y_n sigma(-m_n) x_n,

    each divided by N when ``reduction == "mean"``.

    Parameters
    ----------
    student_fn : callable
        ``student_fn(w, b, X, y, reduction)`` with `w` of shape (D,), `b` a number, `X` of
        shape (N, D), `y` of shape (N,) in {-1, +1} and `reduction` "sum" or "mean";
        returns ``(dw, db)``, `dw` of shape (D,) and `db` a number.

    Returns
    -------
    Result
        "correct" with the largest relative error, "todo" for a stub, or the likely
        mistake: "sign", "sigma_plus_margin", "forgot_y", "missing_1_over_n",
        "extra_1_over_n".
    """

    def reference(w, b, X, y, reduction="sum"):  # later cells call it without `reduction`
        return _gradient(w, b, X, y, reduction, lambda m: _sigma(-m))

    def flipped(w, b, X, y, reduction):
        dw, db = reference(w, b, X, y, reduction)
        return -dw, -db

    mistakes = [
        Mistake(
            "sign",
            "the size is right but the gradient points the wrong way: L is minus a sum of "
            "log-probabilities, follow that minus through",
            flipped,
        ),
        Mistake(
            "sigma_plus_margin",
            "each sample is weighted by sigma(m_n) where the derivative of log sigma gives a "
            "different factor: recompute d/dm log sigma(m) = sigma'(m) / sigma(m)",
            lambda w, b, X, y, r: _gradient(w, b, X, y, r, _sigma),
        ),
        Mistake(
            "forgot_y",
            "each sample's term lacks the label factor that the chain rule brings from "
            "m_n = y_n (w . x_n + b)",
            lambda w, b, X, y, r: _gradient(w, b, X, y, r, lambda m: _sigma(-m), False),
        ),
        Mistake(
            "missing_1_over_n",
            'right with reduction="sum", but with reduction="mean" your gradient is N times '
            "too large: the mean loss is the sum divided by N",
            lambda w, b, X, y, r: reference(w, b, X, y, "sum"),
        ),
        Mistake(
            "extra_1_over_n",
            'right with reduction="mean", but with reduction="sum" your gradient is N times '
            "too small: the summed loss has no 1/N",
            lambda w, b, X, y, r: reference(w, b, X, y, "mean"),
        ),
    ]
    return check(
        "Exercise 7.1 (the logistic gradient)",
        student_fn,
        reference,
        _gradient_cases(),
        mistakes,
    )


def _log_sigmoid_cases():
    """Seeded margins, from moderate to huge (|m| up to 1e4), in a 1-D and a 2-D array."""
    rng = np.random.default_rng(71)
    extremes = np.array([-1e4, -1e3, -750.0, -50.0, -1.0, 0.0, 1.0, 50.0, 750.0, 1e3, 1e4])
    moderate = rng.normal(scale=3.0, size=9)
    grid = np.concatenate([rng.normal(scale=2.0, size=3), [-800.0, 40.0, 5e3]]).reshape(2, 3)
    return [(np.concatenate([extremes, moderate]),), (grid,)]


def check_log_sigmoid(student_fn):
    """Check Exercise 7.2: log sigma(m) for any margin m, without overflow.

    log sigma(m) = -log(1 + exp(-m)) is about m for m << 0 and about -exp(-m) for m >> 0.
    The cases include margins of size 1e4, where exp(-m) or exp(m) overflows float64 (it
    does from about 710 on).

    Parameters
    ----------
    student_fn : callable
        ``student_fn(m)`` with `m` an array of any shape; returns log sigma(m) elementwise,
        an array of the same shape.

    Returns
    -------
    Result
        "correct" with the largest relative error, "todo" for a stub, or the likely
        mistake: "overflow" (inf or NaN for large |m|), "overflow_warning" (right values but
        NumPy warned of an overflow on the way), "large_margin" (right for moderate m, wrong
        for large |m|), "sign", "sigma_minus_margin".
    """
    exercise = "Exercise 7.2 (a stable log sigma)"
    cases = _log_sigmoid_cases()
    seen = {"warned": False, "outputs": []}

    def reference(m):
        return -np.logaddexp(0.0, -m)

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
            "(a negative number)",
            lambda m: np.logaddexp(0.0, -m),
        ),
        Mistake(
            "sigma_minus_margin",
            "your values are log sigma(-m): check the sign of m inside the exponential",
            lambda m: -np.logaddexp(0.0, m),
        ),
    ]
    result = check(
        exercise, quiet if callable(student_fn) else student_fn, reference, cases, mistakes
    )
    if result.status == "correct" and not seen["warned"]:
        return dataclasses.replace(result, function=student_fn)
    if result.status == "correct":
        return Result(
            exercise,
            "mistake",
            "not yet: the values are right, but an exponential "
            "overflowed on the way (NumPy warned): compute exp only of numbers that "
            "cannot be large and positive (np.where evaluates both of its branches)",
            reference,
            diagnosis="overflow_warning",
            evidence=result.evidence,
        )
    if result.status in ("wrong", "mistake") and len(seen["outputs"]) == len(cases):
        return _diagnose_large_margins(exercise, seen["outputs"], cases, reference) or result
    return result


def _diagnose_large_margins(exercise, outputs, cases, reference):
    """Name the mistake when the function is right for moderate m and fails only for large |m|."""
    nonfinite, moderate_ok = False, True
    for out, (m,) in zip(outputs, cases):
        out = np.asarray(out, dtype=np.float64)
        if out.shape != m.shape:
            return None
        small = np.abs(m) <= LARGE
        nonfinite |= not np.all(np.isfinite(out))
        want = reference(m[small])
        err = np.max(np.abs(out[small] - want)) / max(np.max(np.abs(want)), 1e-12)
        moderate_ok &= bool(np.isfinite(err) and err <= 1e-7)
    if not moderate_ok:
        return None
    if nonfinite:
        return Result(
            exercise,
            "mistake",
            "not yet: right for moderate m, but inf or NaN for "
            "large |m|: exp overflows float64 beyond about 709; rewrite the formula "
            "so that no exponential of a large positive number is computed",
            reference,
            diagnosis="overflow",
        )
    return Result(
        exercise,
        "mistake",
        "not yet: right for moderate m, but wrong for large |m| "
        "(|m| > 30): think about what log sigma(m) tends to at both ends, and keep "
        "the formula exact there rather than cutting m off",
        reference,
        diagnosis="large_margin",
    )
