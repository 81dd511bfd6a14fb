"""The exercises of notebook 08 (logistic regression), declared.

- Exercise 8.1, `logistic_gradient`: the gradient of L(w, b) = -sum_n log sigma(y_n (w . x_n + b))
  with labels in {-1, +1}, summed (the default) or averaged over the samples. Reference:
  `bpcourse.logistic.gradient`.
- Exercise 8.2, `log_sigmoid`: log sigma(m) elementwise, exact to float64 rounding and free of
  floating-point warnings for margins of any size. Reference: `bpcourse.logistic.log_sigmoid`.

Each known mistake of 8.1 is the reference with one thing changed (the weight of a sample, the
label convention, the bias, the normalisation), a switch of its `variant`. 8.2's mistakes are
read from where the answer goes wrong (`_diagnose_log_sigmoid`): near 0 only, for large margins
only (an overflow, a cut-off at the limit or at a truncated series, digits lost), on the
negative half, or everywhere at float32's precision. An answer that calls the course's
function is named ("uses_reference"); one that overflows on the way to right values is named
("warnings").
"""

import itertools

import numpy as np

from bpcourse import logistic
from bpcourse.activations import sigmoid
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check

FLOAT32_TINY = float(np.finfo(np.float32).tiny)
FLOAT32_MAX = float(np.finfo(np.float32).max)


# --------------------------------------------------------- Exercise 8.1: the logistic gradient
def _gradient_variant(
    w,
    b,
    X,
    y,
    reduction="sum",
    *,
    weight="sigma(-m)",
    label=True,
    label_in_margin=True,
    with_b=True,
    with_db=True,
    mean_db=True,
    sign=1.0,
    labels_0_1=None,
    sum_power=0,
    mean_power=0,
    mean_over="N",
):
    """The gradient of the logistic loss, with switches that each make one known mistake.

    weight : each sample's weight, "sigma(-m)" (right), "sigma(m)" or "sigma'(m)"
    label : whether the label factor y_n multiplies each sample's term
    label_in_margin : whether y_n is in the margins m_n = y_n (w . x_n + b)
    with_b : whether b is in the margins m_n = y_n (w . x_n + b)
    with_db : False: db is 0
    mean_db : False: reduction "mean" divides dw and not db
    sign : +1 (right) or -1 (the whole gradient flipped)
    labels_0_1 : None (right), or +1 / -1: the {0, 1} convention's X^T (sigma(s) - y) (or its
        negative) fed the labels -1 and +1
    sum_power, mean_power : an extra factor N^p with reduction "sum", N^q with "mean"
    mean_over : "N" (right) or "D": what reduction "mean" divides by
    """
    N, D = X.shape
    if labels_0_1 is not None:
        r = labels_0_1 * (sigmoid.f(X @ w + b) - y)
        dw, db = r @ X, float(np.sum(r))
    else:
        m = (y if label_in_margin else 1.0) * (X @ w + (b if with_b else 0.0))
        u = {
            "sigma(-m)": sigmoid.f(-m),
            "sigma(m)": sigmoid.f(m),
            "sigma'(m)": sigmoid.f(m) * sigmoid.f(-m),
        }[weight]
        u = (y if label else 1.0) * u
        dw, db = -sign * (u @ X), -sign * float(np.sum(u))
    if reduction == "mean":
        dw = dw / {"N": N, "D": D}[mean_over]
        db = db / {"N": N, "D": D}[mean_over] if mean_db else db
    db = db if with_db else 0.0
    factor = float(N) ** (sum_power if reduction == "sum" else mean_power)
    return dw * factor, db * factor


def _gradient_cases():
    """Seeded (w, b, X, y[, reduction]) cases: both reductions and the default (no argument),
    N from 1 to 13, D from 1 to 5, margins near 0, of order 1 and up to about 10, of both signs."""
    rng = np.random.default_rng(7)
    plan = [  # N, D, reduction, scale of (w, b)
        (5, 2, "sum", 1.0),
        (8, 3, "mean", 1.0),
        (13, 2, "sum", 6.0),  # margins up to about 8: some weights sigma(-m_n) are small
        (6, 5, "mean", 0.1),  # margins near 0: every weight is close to 1/2
        (9, 4, None, 1.0),  # the default reduction, "sum", which later cells rely on
        (1, 3, "mean", 1.0),  # a single sample
        (7, 1, "sum", 8.0),  # one feature; margins up to about 10, some confidently wrong
    ]
    cases = []
    for N, D, reduction, scale in plan:
        X = rng.normal(size=(N, D))
        y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
        rng.shuffle(y)
        w, b = scale * rng.normal(size=D), float(scale * rng.normal())
        args = (w, b, X, y) if reduction is None else (w, b, X, y, reduction)
        how = "without reduction (the default)" if reduction is None else f'reduction="{reduction}"'
        samples = f"N = {N} sample{'s' if N > 1 else ''}"
        features = f"D = {D} feature{'s' if D > 1 else ''}"
        cases.append(Case(args, f"{samples}, {features}, {how}", {"N": N}))
    return cases


def _factor_text(power):
    return {0: "", 1: "N times", -1: "1/N times", 2: "N^2 times", -2: "1/N^2 times"}[power]


def _normalisation_mistakes():
    """One Mistake per pair of factors (N^p with "sum", N^q with "mean") other than the right
    (0, 0): a forgotten or extra 1/N, a 1/N applied twice, "sum" and "mean" swapped."""
    mistakes = []
    for p, q in itertools.product((0, -1, 1, -2), (0, 1, -1, -2)):
        if (p, q) == (0, 0) or (p == q and p != -1):
            continue  # the same factor in every case is the generic "scale"
        if (p, q) == (0, 1):
            key = "missing_1_over_n"
            text = 'right with reduction="sum", but N times too large with reduction="mean"'
            text += " (N the number of samples): the mean loss is the sum divided by N"
        elif (p, q) == (-1, 0):
            key = "extra_1_over_n"
            text = 'right with reduction="mean", but N times too small with reduction="sum"'
            text += " (N the number of samples): the summed loss has no 1/N"
        elif (p, q) == (-1, -1):
            key = "extra_1_over_n"
            text = (
                "your gradient is 1/N times the right one with either reduction (N the number "
                'of samples): the summed loss has no 1/N, and "mean" divides by N once'
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
        mistakes.append(Mistake(key, text, changes={"sum_power": p, "mean_power": q}))
    return mistakes


_LABELS_0_1 = (
    "here the labels y_n are -1 and +1 and the loss is -sum_n log sigma(y_n (w . x_n + b)): "
    "derive it for these labels, or convert the labels to {0, 1} before using a {0, 1} formula"
)

LOGISTIC_GRADIENT = Exercise(
    number="8.1",
    title="the logistic gradient",
    name="logistic_gradient",
    reference=logistic.gradient,
    cases=_gradient_cases,
    accepts="the pair (dw, db): dw a NumPy array of shape (D,) (not a list), db a number (a "
    'float or a NumPy scalar, not an array of shape (1,)); reduction "sum" (the default) or '
    '"mean"',
    returns=("dw", "db"),
    variant=_gradient_variant,
    lists=False,
    forbidden=(logistic.gradient,),
    derive=True,
    legend={"N": "N the number of samples"},
    mistakes=(
        Mistake(
            "sign",
            "your gradient has the right size but points the wrong way: L is minus a sum of "
            "log-probabilities; follow that minus through",
            changes={"sign": -1.0},
        ),
        Mistake(
            "sigma_plus_margin",
            "each sample is weighted by sigma(m_n), with m_n its margin, where the derivative of "
            "log sigma gives another factor: recompute d/dm log sigma(m) = sigma'(m) / sigma(m) "
            "and simplify it with 1 - sigma(m) = sigma(-m)",
            changes={"weight": "sigma(m)"},
        ),
        Mistake(
            "sigma_prime",
            "each sample is weighted by sigma'(m_n) = sigma(m_n) sigma(-m_n), the derivative of "
            "sigma; the loss has log sigma, whose derivative divides sigma'(m) by sigma(m)",
            changes={"weight": "sigma'(m)"},
        ),
        Mistake(
            "forgot_y",
            "each sample's term lacks the label factor y_n that the chain rule brings from "
            "m_n = y_n (w . x_n + b)",
            changes={"label": False},
        ),
        Mistake(
            "forgot_y",
            "your margins leave out the label: m_n = y_n (w . x_n + b), so each sample's "
            "weight depends on y_n too",
            changes={"label_in_margin": False},
        ),
        Mistake(
            "forgot_y",
            "the label y_n is missing twice: in the margin m_n = y_n (w . x_n + b) and in the "
            "factor the chain rule brings from it",
            changes={"label_in_margin": False, "label": False},
        ),
        Mistake(
            "db_zero",
            "db is 0 in every case, but b moves every margin m_n, so L changes with b: "
            "differentiate with respect to b as you did with respect to w",
            changes={"with_db": False},
        ),
        Mistake(
            "normalisation",
            'with reduction="mean" your dw is divided by N but db is not: the mean divides '
            "the whole loss, so every part of its gradient",
            changes={"mean_db": False},
        ),
        Mistake(
            "forgot_b",
            "your margins leave out b: m_n = y_n (w . x_n + b), and b moves every margin",
            changes={"with_b": False},
        ),
        Mistake(
            "labels_0_1",
            "your gradient is the formula of the {0, 1} label convention (the predicted "
            f"probability minus the label); {_LABELS_0_1}",
            changes={"labels_0_1": 1.0},
        ),
        Mistake(
            "labels_0_1",
            "your gradient is minus the formula of the {0, 1} label convention (the label minus "
            f"the predicted probability), and the sign is off too; {_LABELS_0_1}",
            changes={"labels_0_1": -1.0},
        ),
        Mistake(
            "scale",
            'with reduction="mean" your gradient is divided by D, the number of features: the '
            "mean runs over the N samples (the rows of X)",
            changes={"mean_over": "D"},
        ),
        *_normalisation_mistakes(),
    ),
)


# ---------------------------------------------------------------- Exercise 8.2: log sigma(m)
def _log_sigmoid_cases():
    """Margins of both signs whose sizes span 1e-4 to 1e150, in a 1-D and a 2-D array: 0, the
    neighbourhood of 0, moderate values, the window 15-20 where a truncated series is still off
    by more than 1e-9, around 709.8 (where exp overflows) and far beyond."""
    rng = np.random.default_rng(71)
    sizes = [1e-4, 1e-3, 0.01, 0.1, 1.0, 5.0, 12.0, 17.0, 20.0, 30.0, 40.0, 50.0, 100.0]
    sizes += [300.0, 700.0, 1e3, 1e4, 1e150]
    sizes = np.array(sizes)
    line = np.concatenate([-sizes[::-1], [0.0], sizes, rng.normal(scale=3.0, size=7)])
    grid = np.concatenate(
        [rng.normal(scale=2.0, size=6), [-800.0, 25.0, 5e3, -3e-4, 45.0, -15.5, 709.0, -711.0]]
    )
    return [
        Case((line,), f"a 1-D array of {len(line)} margins, sizes from 1e-4 to 1e150"),
        Case((grid.reshape(2, 7),), "a 2 x 7 array of margins"),
    ]


def _log_sigmoid_by_hand(m):
    """log sigma(m), written out for the mistakes (they must not call the forbidden reference)."""
    m = np.asarray(m, dtype=np.float64)
    return np.minimum(m, 0.0) - np.log1p(np.exp(-np.abs(m)))


def _series_like(m, got):
    """True where `got` is an approximation a cut-off would switch to: the limit (0 or m) or
    the first one or two terms of log sigma(m) = -e^-m + e^-2m / 2 - ... (m > 0), and
    log sigma(m) = m - e^m + e^2m / 2 - ... (m < 0)."""
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(m))
        base = np.minimum(m, 0.0)
        candidates = [base, base - e, base - e + e * e / 2]
        return np.any(
            [np.abs(got - c) <= 1e-12 * np.maximum(np.abs(c), 1e-300) for c in candidates],
            axis=0,
        )


def _single(judgement):
    return any(g.dtype in (np.float32, np.float16) for case in judgement.leaves for _, g, _ in case)


def _diagnose_log_sigmoid(judgement):
    """(key, message) for where the answer goes wrong, or None (then the engine's generic
    detectors, float32 among them, and its locator speak)."""
    if _single(judgement):
        return None  # computed in single precision: the engine names it "precision"
    m, got, want = [], [], []
    for case, leaves in zip(judgement.cases, judgement.leaves):
        (_, g, w) = leaves[0]
        if g.shape != w.shape:
            return None
        m.append(case.args[0].ravel())
        got.append(g.astype(np.float64).ravel())
        want.append(w.ravel())
    m, got, want = np.concatenate(m), np.concatenate(got), np.concatenate(want)
    with np.errstate(all="ignore"):
        error = np.abs(got - want)
        bad = ~(error <= 1e-9 * np.abs(want))
        close = error <= 1e-6 * np.abs(want) + FLOAT32_TINY  # what float32 would keep
    finite = np.isfinite(got)
    size = np.abs(m)
    if not np.any(bad):
        return None
    in_float32 = size < FLOAT32_MAX  # float32 cannot even hold the others
    moderate = (size >= 0.1) & (size <= 12)
    if np.all(close[in_float32]) and np.all(finite[in_float32]) and np.mean(bad[moderate]) > 0.5:
        return (
            "precision",
            "your values agree with log sigma(m) only to about 7 significant digits, the "
            "precision of float32, at every kind of margin (and where log sigma(m) is tinier "
            "than float32 can hold, yours are 0): compute in float64 from start to end (no "
            ".astype(np.float32), no np.float32(...) on the way)",
        )
    if np.all(finite) and np.all(size[bad] < 0.1):
        return (
            "near_zero",
            "right except for the margins closest to 0: a shortcut there (a Taylor expansion, "
            "say) is not exact to float64; the same formula can serve every m",
        )
    if not np.all(finite):
        if np.min(size[~finite]) > 30:
            return (
                "overflow",
                "right for moderate m, but inf or NaN for large |m|: exp overflows float64 "
                "beyond about 709.8 (and sigma(m) rounds to 0 below about -745, whose log is "
                "-inf); rewrite the formula so that no exponential of a large positive number "
                "is computed and no log of a number that can round to 0 is taken",
            )
        return None
    limit = np.minimum(m, 0.0)
    if np.all(size[bad] >= 5):
        if np.all(got[bad] == limit[bad]):
            return (
                "asymptotic_shortcut",
                "right for moderate m, but for large |m| you return the limit (m itself, or 0) "
                "instead of the value: for large positive m, log sigma(m) is a tiny negative "
                "number, not 0, and for large negative m it differs from m by a tiny amount; "
                "keep the formula exact for every m rather than cutting it off",
            )
        if np.all(_series_like(m[bad], got[bad])):
            return (
                "asymptotic_shortcut",
                "right for small |m|, but beyond some size you switch to an approximation (the "
                "limit, or the first terms of a series in exp(-|m|)) that is not exact to "
                "float64 at the margins just past your cut-off: move the cut-off much further "
                "out, or keep one exact formula for every m",
            )
        if np.all(m[bad] > 0):
            return (
                "tiny_values_lost",
                "right for negative and moderate m, but for large positive m, where log "
                "sigma(m) is a tiny negative number, your values lose their digits (or "
                "become 0): forming 1 + exp(-m), or sigma(m), rounds the tiny part away; "
                "np.log1p(x) computes log(1 + x) without forming 1 + x",
            )
    negative = m < 0
    if np.all(negative[bad]) and np.all(bad[negative]):
        return (
            "negative_half",
            "right for every m >= 0 but wrong for every negative margin: look again at the "
            "branch (or the rewriting) you use when m < 0",
        )
    if np.all(size[bad] > 30):
        return (
            "large_margin",
            "right for moderate m, but wrong for large |m| (|m| > 30): think about what "
            "log sigma(m) tends to at both ends, and keep the formula exact there rather than "
            "clipping m",
        )
    return None


LOG_SIGMOID = Exercise(
    number="8.2",
    title="a stable log sigma",
    name="log_sigmoid",
    reference=logistic.log_sigmoid,
    cases=_log_sigmoid_cases,
    accepts="an array of the shape of m (or nested lists of that shape), float64; m a float64 "
    "array of any shape",
    forbidden=(logistic.log_sigmoid,),
    warning_free=True,
    floor_rel=0.0,  # every entry against its own size: -1.9e-22 at m = 50 as much as -1e4
    diagnose=_diagnose_log_sigmoid,
    keys=(
        "precision",
        "near_zero",
        "overflow",
        "asymptotic_shortcut",
        "tiny_values_lost",
        "negative_half",
        "large_margin",
    ),
    mistakes=(
        Mistake(
            "overflow_warning",
            "the values are right, but NumPy warned on the way, or your function silences its "
            "warnings (which hides an overflow, it does not avoid it): compute exp only of "
            "numbers that cannot be large and positive (np.where evaluates both of its branches "
            "for every entry), and leave the warnings on",
            warned=True,
        ),
        Mistake(
            "sign",
            "you return -log sigma(m), the loss term, where the exercise asks for log sigma(m) "
            "(a number <= 0)",
            lambda m: -_log_sigmoid_by_hand(m),
        ),
        Mistake(
            "sigma_minus_margin",
            "your values are log sigma(-m): check the sign of m inside the exponential",
            lambda m: _log_sigmoid_by_hand(-m),
        ),
        Mistake(
            "not_log",
            "your values are sigma(m), between 0 and 1, where the exercise asks for its "
            "logarithm, log sigma(m) (a number <= 0)",
            lambda m: np.exp(_log_sigmoid_by_hand(m)),
        ),
        Mistake(
            "log1p_dropped",
            "your values take log(1 + x) as x for every margin (x the exponential in your "
            "formula): that holds only where x is tiny, at large |m|; near m = 0 it is far off",
            lambda m: np.minimum(m, 0.0) - np.exp(-np.abs(m)),
        ),
    ),
)

EXERCISES = (LOGISTIC_GRADIENT, LOG_SIGMOID)

check_logistic_gradient = make_check(LOGISTIC_GRADIENT)
check_log_sigmoid = make_check(LOG_SIGMOID)
