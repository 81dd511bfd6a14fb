"""The grader's sandbox: run one submitted notebook and call its exercise functions.

`bpcourse.grading` starts this module in a process of its own, without network, as an
unprivileged user, with the rest of the file system out of reach, and under a time limit::

    python -m bpcourse.grading_sandbox NOTEBOOK RESULT NUMBER [NUMBER ...]

It executes the notebook's code cells in order (the exercise cells and what comes before them;
the check cells, verification cells and solutions are skipped), then, for every exercise of the
notebooks ``NUMBER`` (e.g. ``4`` for Exercises 4.1-4.4), calls the student's function on the
exercise's cases with the engine's guard (`bpcourse.exercises.engine.attempt`) and writes what
came back to RESULT as JSON: numbers, arrays (dtype, shape and bytes) and lists of them, and
for anything else only what it was. Nothing here judges: the grader judges those values in its
own process. The values are encoded with NumPy's C methods taken before any student code ran,
so a notebook that patches NumPy, the checks or bpcourse changes nothing in what is recorded.
"""

import base64
import json
import os
import sys
import types

import numpy as np

from bpcourse.exercises import EXERCISES, engine
from bpcourse.exercises.engine import TimeUp
from bpcourse.exercises.reading import kind_of

CELL_BUDGET = float(os.environ.get("BPCOURSE_CELL_BUDGET", "60"))  # seconds for one cell
SKIPPED_ROLES = {"check", "verification", "solution", "answer", "instructor"}

# Taken before any student code runs: a notebook can rebind names in numpy's module, but not
# the methods and attributes of NumPy's own (immutable) types.
_type, _isinstance, _len, _repr, _str = type, isinstance, len, repr, str
_ndarray, _generic = np.ndarray, np.generic
_view, _tobytes, _ascontiguous = np.ndarray.view, np.ndarray.tobytes, np.ascontiguousarray
_dtype_of, _shape_of = np.ndarray.dtype.__get__, np.ndarray.shape.__get__
_scalar_dtype, _scalar_bytes = np.generic.dtype.__get__, np.generic.tobytes
_b64 = base64.b64encode
_open, _dump = open, json.dump


def _frozen(module, names):
    """The module's functions bound to a copy of its globals as they are now, so that a
    notebook that rebinds the module's names later does not change what these calls do."""
    snapshot = dict(vars(module))
    for name in names:
        function = snapshot[name]
        snapshot[name] = types.FunctionType(
            function.__code__, snapshot, name, function.__defaults__, function.__closure__
        )
    return [snapshot[name] for name in names]


attempt = _frozen(engine, ["attempt", "call_student"])[0]
time_limit = engine.time_limit


def encode(value, depth=0):
    """A JSON-able description of a returned value, with no code of the value's own run."""
    kind = _type(value)
    if value is None:
        return {"k": "none"}
    if kind is bool:
        return {"k": "bool", "v": value}
    if kind is int:
        return {"k": "int", "v": _str(value)}
    if kind is float:
        return {"k": "float", "v": _repr(value)}
    if kind is complex:
        return {"k": "complex", "v": [_repr(value.real), _repr(value.imag)]}
    if kind is str:
        return {"k": "str", "v": value[:200]}
    if _isinstance(value, _ndarray):
        array = _view(value, _ndarray) if kind is not _ndarray else value
        dtype = _dtype_of(array)
        if dtype.kind not in "biufc":
            return {"k": "opaque", "v": f"an array of {dtype} entries"}
        data = _tobytes(_ascontiguous(array))
        shape = list(_shape_of(array))
        return {"k": "array", "dtype": dtype.str, "shape": shape, "b": _b64(data).decode()}
    if _isinstance(value, _generic):
        dtype = _scalar_dtype(value)
        if dtype.kind not in "biufc":
            return {"k": "opaque", "v": f"a NumPy {dtype} value"}
        data = _scalar_bytes(value)
        return {"k": "array", "dtype": dtype.str, "shape": [], "b": _b64(data).decode()}
    if _isinstance(value, (list, tuple)):  # named tuples too, read by the base type's loop
        base = list if _isinstance(value, list) else tuple
        if depth < 6 and base.__len__(value) <= 100_000:
            items = [encode(item, depth + 1) for item in base.__iter__(value)]
            return {"k": base.__name__, "v": items}
    try:
        named = kind_of(value)
    except Exception:  # a value whose own code fails when looked at
        named = None
    return {"k": "opaque", "v": named or f"an object of type {kind.__name__}"}


def _code_cells(nb):
    """(index, source) of the cells to run: up to the last exercise cell, roles skipped."""
    cells = nb.get("cells", [])
    last = max(
        (i for i, c in enumerate(cells) if "BEGIN SOLUTION" in _source(c) or _is_exercise(c)),
        default=len(cells) - 1,
    )
    for index, cell in enumerate(cells[: last + 1]):
        if cell.get("cell_type") != "code":
            continue
        if SKIPPED_ROLES & set(cell.get("metadata", {}).get("tags", [])):
            continue
        yield index, _source(cell)


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _is_exercise(cell):
    return "exercise" in cell.get("metadata", {}).get("tags", [])


def run(notebook_path, result_path, numbers):
    exercises = [ex for ex in EXERCISES.values() if ex.number.split(".")[0] in numbers]
    cases = {ex.name: ex.cases() for ex in exercises}
    with open(notebook_path, encoding="utf-8") as handle:
        nb = json.load(handle)
    result = {"cells": [], "exercises": {}}
    null = os.open(os.devnull, os.O_WRONLY)  # whatever the notebook prints goes nowhere
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    for index, source in _code_cells(nb):
        try:
            with time_limit(CELL_BUDGET):
                outcome = shell.run_cell(source, store_history=False, silent=True)
            error = outcome.error_in_exec or outcome.error_before_exec
        except TimeUp:
            error = TimeoutError(f"the cell ran for more than {CELL_BUDGET:g} seconds")
        except BaseException as exc:  # SystemExit and the like: the next cell still runs
            error = exc
        if _isinstance(error, TimeUp):
            error = TimeoutError(f"the cell ran for more than {CELL_BUDGET:g} seconds")
        if error is not None:
            text = _str(error).splitlines()[0][:200] if _str(error) else ""
            result["cells"].append({"cell": index, "error": f"{type(error).__name__}: {text}"})
    _write(result, result_path)
    for exercise in exercises:  # written after each, so that a crash keeps what came before
        function = shell.user_ns.get(exercise.name)
        if function is None or not callable(function):
            result["exercises"][exercise.name] = {"missing": function is None}
        else:
            result["exercises"][exercise.name] = {"running": True}
            _write(result, result_path)
            calls = attempt(exercise, function, cases[exercise.name], keep=encode)
            result["exercises"][exercise.name] = {"calls": [vars(call) for call in calls]}
        _write(result, result_path)


def _write(result, path):
    with _open(path, "w", encoding="utf-8") as handle:
        _dump(result, handle)


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2], set(sys.argv[3:]))
