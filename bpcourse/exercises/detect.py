"""Diagnoses that apply to any exercise: order, transpose, sign, precision, a factor.

Each detector takes the student's outputs (plain values, one per case), the reference's, and
returns (key, message) or None. They run after an exercise's own mistakes, in the order of
`generic`. None of them shows an expected value.
"""

from __future__ import annotations

import itertools

import numpy as np

from bpcourse.exercises.reading import (
    entry_errors,
    flatten,
    is_container,
    is_sequence,
    leaves_agree,
    leaves_of,
    transform,
)

MATCH = 1e-6  # a student's output "is" a known mistake when it agrees with it to this

SIZE_LEGEND = {
    "N": "N the number of samples",
    "D": "D the input size",
    "D_L": "D_L the output size",
    "K": "K the number of classes",
    "B": "B the batch size",
    "n": "n the number of points",
}


def reordered(outputs, expected, names, integer, lists, floor_rel) -> bool:
    """True when another order of the returned values reads as the right answer."""
    if not is_container(expected[0], names) or not all(is_sequence(o) for o in outputs):
        return False
    n = len(expected[0])
    if not 1 < n <= 4 or any(len(o) != n for o in outputs):
        return False
    for perm in itertools.permutations(range(n)):
        if perm == tuple(range(n)):
            continue
        try:
            leaves = [
                flatten(type(e)(o[i] for i in perm), e, "your result", names, integer, lists)
                for o, e in zip(outputs, expected)
            ]
        except Exception:  # that order cannot even be read: it is not the answer
            continue
        if all(
            leaves_agree([g for _, g, _ in case], [w for _, _, w in case], MATCH, floor_rel)
            for case in leaves
        ):
            return True
    return False


def order_message(names) -> str:
    order = ", ".join(names) if names else "the order the prompt gives"
    return f"the values are right but returned in another order: return them as ({order})"


def ratio(g, w):
    """c when g == c * w entry by entry (one constant c), else None; exactly 1.0 when g is w
    (a case whose factor is 1, N = 1 say), None when c is merely near 1 (single precision)."""
    g, w = np.asarray(g, dtype=np.float64).ravel(), np.asarray(w, dtype=np.float64).ravel()
    if g.shape != w.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(w)):
        return None
    if not np.any(w):
        return None
    if np.max(entry_errors(g, w, 1e-6)) <= MATCH:
        return 1.0
    c = float(g @ w / (w @ w))
    if abs(c) < 1e-12 or abs(c - 1) < 1e-5:
        return None
    return c if np.max(entry_errors(g, c * w, 1e-6)) <= MATCH else None


def explain_factor(factors, sizes):
    """A product like 'N', '1/N', 'N·D_L' or '2' that equals every case's factor, or None."""
    constants = [(1.0, ""), (2.0, "2"), (0.5, "1/2"), (4.0, "4"), (0.25, "1/4")]
    if not sizes or len(sizes) != len(factors) or not sizes[0]:
        for c, text in constants[1:]:
            if all(abs(f / c - 1) < 1e-6 for f in factors):
                return text
        return None
    names = list(sizes[0])
    best = None
    for powers in itertools.product((0, 1, -1, 2, -2), repeat=len(names)):
        for c, c_text in constants:
            ok = all(
                abs(f / (c * np.prod([case[n] ** p for n, p in zip(names, powers)])) - 1) < 1e-6
                for f, case in zip(factors, sizes)
            )
            complexity = sum(abs(p) for p in powers) + (c != 1.0)
            if ok and complexity and (best is None or complexity < best[0]):
                best = (complexity, powers, c_text)
    if best is None:
        return None
    _, powers, c_text = best
    up = [c_text] if c_text and "/" not in c_text else []
    down = [c_text.split("/")[1]] if "/" in c_text else []  # 1/2 and 1/4 go below the line
    for n, p in zip(names, powers):
        if p > 0:
            up.append(n if p == 1 else f"{n}^{p}")
        elif p < 0:
            down.append(n if p == -1 else f"{n}^{-p}")
    text = "·".join(up) or "1"
    if down:
        text += "/" + ("·".join(down) if len(down) == 1 else "(" + "·".join(down) + ")")
    return text


def size_legend(sizes, legend=None, used=""):
    """' (with N the number of samples, ...)' for the sizes that appear in `used`."""
    import re

    legends = {**SIZE_LEGEND, **(legend or {})}
    if not sizes or not sizes[0]:
        return ""
    words = set(re.findall(r"[A-Za-z_]\w*", used))
    known = [legends.get(n, n) for n in sizes[0] if n in words]
    return f" (with {', '.join(known)})" if known else ""


def leaf_labels(example, names):
    labels = []

    def walk(value, label, depth):
        if is_container(value, names, depth):
            for i, v in enumerate(value):
                walk(v, names[i] if names and depth == 0 else f"{label}[{i}]", depth + 1)
        else:
            labels.append(label)

    walk(example, "your result", 0)
    return labels


def groups(value, names):
    """One flat array per returned value (all its layers together), for cases of any depth."""
    if is_container(value, names):
        return [np.concatenate([a.ravel() for a in leaves_of(v, None, 1)]) for v in value]
    return [np.concatenate([a.ravel() for a in leaves_of(value, names)])]


def _transposed(got, want, floor_rel) -> bool:
    """True when every case's value is the transpose of the right one (and that differs)."""
    differs = False
    for g, w in zip(got, want):
        if np.ndim(w) != 2 or np.shape(g) != np.shape(w)[::-1]:
            return False
        if not leaves_agree([g], [np.transpose(w)], MATCH, floor_rel):
            return False
        differs = differs or np.shape(w)[0] != np.shape(w)[1] or not np.allclose(w, w.T)
    return differs


def _factor(what, factors, sizes, legend, scope, per_value):
    """(key, message) for a factor found on `what`, or None when it says nothing."""
    if all(abs(f + 1) < 1e-6 for f in factors):
        return "sign", f"{what} has the right magnitude but the opposite sign{scope}"
    explained = explain_factor(factors, sizes)
    if explained is not None:
        where = "a 1/N, a mean or a sum, a 2, a 1/2"
        return (
            "scale",
            f"{what} is {explained} times the right value{scope}"
            f"{size_legend(sizes, legend, explained)}: look for a normalisation ({where}) that "
            "differs from the one the prompt asks for",
        )
    if len({round(f, 6) for f in factors}) == 1 and len(factors) > 1:
        return (
            "scale",
            f"{what} is {factors[0]:.4g} times the right value{scope}: look for a missing "
            "or extra constant",
        )
    if not per_value:
        return None
    hint = (
        "a normalisation (a 1/N, a mean or a sum, a count) that differs from the one the "
        "prompt asks for"
        if sizes and sizes[0]
        else "a factor applied too often, too rarely or in the wrong place"
    )
    return (
        "scale",
        f"{what} is a multiple of the right value, by a factor that changes from case to "
        f"case: look for {hint}",
    )


def _reshaped(got_leaves, want_leaves, floor_rel):
    """A message when the values are right in another shape ((1, n) for (n,), say), else ''."""
    found = None
    for got, want in zip(got_leaves, want_leaves):
        if len(got) != len(want):
            return ""
        for g, w in zip(got, want):
            if g.size != w.size:
                return ""
            if g.ndim == w.ndim and np.squeeze(g).shape != np.squeeze(w).shape:
                return ""  # another arrangement of the entries (a transpose, say), not a shape
            if not leaves_agree([g.reshape(w.shape)], [w], MATCH, floor_rel):
                return ""
            if g.shape != w.shape and found is None:
                found = (g.shape, w.shape)
    if found is None:
        return ""
    return (
        f"the values are right but your result has shape {found[0]} where {found[1]} is asked "
        "(np.ravel or .reshape turn one into the other)"
    )


def generic(outputs, expected, names, sizes, floor_rel, legend=None):
    """The detectors that need no knowledge of the exercise; (key, message) or None.

    `outputs` are the student's plain outputs already read as numbers (same nesting as the
    reference's `expected`), one per case.
    """
    if is_container(expected[0], names):
        n = len(expected[0])
        for perm in itertools.permutations(range(n)) if 1 < n <= 4 else ():
            if perm != tuple(range(n)) and all(
                leaves_agree(
                    leaves_of(type(e)(o[i] for i in perm), names),
                    leaves_of(e, names),
                    MATCH,
                    floor_rel,
                )
                for o, e in zip(outputs, expected)
            ):
                return "output_order", order_message(names)
    got_leaves = [leaves_of(o, names) for o in outputs]
    want_leaves = [leaves_of(e, names) for e in expected]
    reshaped = _reshaped(got_leaves, want_leaves, floor_rel)
    if reshaped:
        return "shape", reshaped
    what_all = "every value" if names else "your result"
    for key, leaf_function, message in (
        (
            "transpose",
            lambda a: a.T,
            "the values are right but transposed: rows and columns are swapped; check which "
            "dimension comes first",
        ),
        ("sign", lambda a: -a, f"{what_all} has the right magnitude but the opposite sign"),
    ):
        wrong = [transform(e, leaf_function, names) for e in expected]
        if all(  # a transform that changes nothing here (a 1-D transpose) says nothing
            leaves_agree(leaves_of(w, names), leaves_of(e, names), MATCH, floor_rel)
            for w, e in zip(wrong, expected)
        ):
            continue
        if all(
            leaves_agree(leaves_of(o, names), leaves_of(w, names), MATCH, floor_rel)
            for o, w in zip(outputs, wrong)
        ):
            return key, message
    if all(leaves_agree(g, w, 1e-5, floor_rel) for g, w in zip(got_leaves, want_leaves)):
        return (
            "precision",
            "your values agree with the right ones only to about 6 or 7 significant digits, "
            "the precision of float32: look for a conversion to np.float32 somewhere (or a "
            "computation in single precision)",
        )
    labels = leaf_labels(expected[0], names)
    if len({len(w) for w in want_leaves}) > 1:  # cases of different depths: value by value
        got_leaves = [groups(o, names) for o in outputs]
        want_leaves = [groups(e, names) for e in expected]
        labels = list(names) if names and is_container(expected[0], names) else ["your result"]
    n_leaves = len(want_leaves[0])
    if all(len(g) == n_leaves for g in got_leaves) and len(labels) == n_leaves:
        for i in range(n_leaves):
            if n_leaves > 1 and _transposed(
                [g[i] for g in got_leaves], [w[i] for w in want_leaves], floor_rel
            ):
                return (
                    "transpose",
                    f"{labels[i]} has the right values but transposed: rows and columns are "
                    "swapped; check which dimension comes first",
                )
            factors = [ratio(g[i], w[i]) for g, w in zip(got_leaves, want_leaves)]
            if not all(f is not None for f in factors) or all(f == 1.0 for f in factors):
                continue
            others_ok = all(
                leaves_agree(
                    [g[j] for j in range(n_leaves) if j != i],
                    [w[j] for j in range(n_leaves) if j != i],
                    1e-6,
                    floor_rel,
                )
                for g, w in zip(got_leaves, want_leaves)
            )
            what = labels[i] if n_leaves > 1 else "your result"
            scope = "" if others_ok or n_leaves == 1 else " (and not only there)"
            per_value = any(np.size(w[i]) > 1 for w in want_leaves)
            found = _factor(what, factors, sizes, legend, scope, per_value)
            if found:
                return found
    # one factor shared by every value together (networks of different depths, say)
    try:
        whole = [
            ratio(np.concatenate([a.ravel() for a in g]), np.concatenate([a.ravel() for a in w]))
            for g, w in zip(got_leaves, want_leaves)
        ]
    except ValueError:
        whole = [None]
    if (
        any(len(w) > 1 for w in want_leaves)
        and all(f is not None for f in whole)
        and not all(f == 1.0 for f in whole)
    ):
        return _factor("every value", whole, sizes, legend, "", False)
    return None


def rounding(pairs) -> str | None:
    """How the student's values are the right ones with digits dropped, or None.

    ``pairs`` are (got, want) arrays of every case. Every value must lie on one grid (whole
    numbers, k decimals for k <= 12, or s significant digits for s <= 12) within one step of
    the right value (rounded, truncated, floor or ceil), where the right values need more
    digits than that grid holds.
    """
    try:
        got = np.concatenate([np.asarray(g, dtype=np.float64).ravel() for g, _ in pairs])
        want = np.concatenate([np.asarray(w, dtype=np.float64).ravel() for _, w in pairs])
    except (TypeError, ValueError):
        return None
    if (
        any(np.shape(g) != np.shape(w) for g, w in pairs)
        or got.size == 0
        or not (np.all(np.isfinite(got)) and np.all(np.isfinite(want)))
    ):
        return None

    # values near the bottom of float64 (subnormal) hold too few digits to sit on a grid
    deep = (np.abs(want) < 1e-290) & (want != 0)
    close = (np.abs(got[deep] - want[deep]) <= 1e-5 * np.abs(want[deep])) | (got[deep] == 0)
    if not np.all(close):
        return None
    got, want = got[~deep], want[~deep]

    def cut(unit):
        steps, right = got / unit, want / unit
        slack = 1e-4 + 8 * np.finfo(np.float64).eps * np.abs(right)  # float64's own spacing
        on_grid = np.all(np.abs(steps - np.round(steps)) <= slack)
        needs_more = np.any(np.abs(right - np.round(right)) > 10 * slack)
        return on_grid and needs_more and np.all(np.abs(steps - right) <= 1 + slack)

    for k in range(13):
        if cut(10.0**-k):
            return "whole numbers" if k == 0 else f"{k} decimal{'s' if k > 1 else ''}"
    nonzero = want != 0
    if got.size == 0 or np.any(got[~nonzero] != 0) or not np.any(nonzero):
        return None
    exponent = np.floor(np.log10(np.abs(np.where(nonzero, want, 1.0))))
    for digits in range(1, 13):
        if cut(10.0 ** (exponent - digits + 1)):
            return f"{digits} significant digit{'s' if digits > 1 else ''}"
    return None


def rounding_message(grid: str) -> str:
    if grid == "whole numbers":
        return (
            "your values are the right ones cut to whole numbers: int(...), round(...), // or "
            "an array of an integer dtype drops the fractions; keep the result a float"
        )
    return (
        f"your values are the right ones rounded to {grid}: np.round, round(...) or a "
        "formatted string drops the digits after them; return the values as computed (the "
        "check compares about 9 significant digits)"
    )


def where(leaves, describe, floor_rel, tol) -> str:
    """Which values differ, in which case, at how many entries; which are right already."""
    wrong_labels, right_labels, first = [], [], None
    by_label = {}
    for case_index, case_leaves in enumerate(leaves):
        for label, got, want in case_leaves:
            ok = True
            if got.shape != want.shape:
                ok, detail = False, f"has shape {got.shape}, expected {want.shape}"
            else:
                g = got.astype(np.float64)
                bad = ~(entry_errors(g, want, floor_rel) <= tol)
                if np.any(bad):
                    ok = False
                    if not np.all(np.isfinite(g)):
                        detail = (
                            f"holds NaN or inf in {int(np.sum(~np.isfinite(g)))} of {g.size} "
                            "entries (an overflow, or a division by zero?)"
                        )
                    elif g.size == 1:
                        detail = "is not the right number"
                    else:
                        detail = f"differs in {int(np.sum(bad))} of {g.size} entries"
            by_label.setdefault(label, []).append(ok)
            if not ok and first is None:
                place = f" in case {case_index + 1}"
                if describe and describe[case_index]:
                    place += f" ({describe[case_index]})"
                first = f"{label} {detail}{place}"
    for label, oks in by_label.items():
        (right_labels if all(oks) else wrong_labels).append(label)
    text = first or "your result differs"
    if right_labels and wrong_labels and len(by_label) > 1:
        verb = "is" if len(right_labels) == 1 else "are"
        text += f"; {', '.join(right_labels)} {verb} right in every case"
    return text
