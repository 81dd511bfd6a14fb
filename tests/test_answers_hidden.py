"""No exercise's answer is in sight before the student has tried, in any edition.

From the instructor notebooks, each notebook's *answer material* is collected: the lines of its
exercises' solutions (between ``# BEGIN SOLUTION`` and ``# END SOLUTION``), the lines of its
cells tagged ``solution``, and the source lines of each exercise's reference and of the course
functions whose call is the answer (`Exercise.reference`, `Exercise.forbidden`). Then what each
edition shows a student without a click is read:

- the student edition: every cell's source and every output Run All produces;
- the website: the text of every cell that is not folded (a folded cell, a ``<details>`` block
  and a folded input are left out), with its stored outputs;
- the lecture deck: the markdown, the code a slide shows, the outputs.

A line of a notebook's answer material must not appear in what any edition shows of that
notebook or of an earlier one (later notebooks may use what an earlier one asked for). Lines
are compared with every blank removed; a line counts when it is at least `MIN_LENGTH`
characters long that way, so that ``return x`` or ``N = len(X)`` do not. `SHARED` lists the few
longer lines that an answer shares with the lecture by necessity (a signature, a setup line),
each with the reason.
"""

import ast
import html
import inspect
import json
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

from bpcourse.exercises import EXERCISES
from tests.student_runs import executed_student_notebook
from tools import build_site, editions

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
MIN_LENGTH = 18

#: forbidden functions that are a machine doing the work, not the answer's text: 01 rules out
#: `Value.backward` for its hand-derived exercises, and then shows its source on purpose
WAYS_AROUND = {"bpcourse.autodiff.Value.backward"}

#: normalised lines that answers share with the lecture by necessity, and why
SHARED = {
    "importnumpyasnp": "an import",
}


def normalise(text: str) -> str:
    """Blanks removed and one kind of quote, so that formatting never hides a line."""
    return re.sub(r"\s+", "", text).replace('"', "'")


SETUP_CALLS = {"symbols", "Symbol", "Function", "symbol_matrix", "symbol_vector"}


def _statements(source: str) -> list[str]:
    """The simple statements of some code, each as written (a multi-line call is one), without
    what no answer is made of: imports, asserts, `pass`, docstrings, compound statements'
    headers, `return` of bare names, sympy symbols being made."""
    source = textwrap.dedent(source)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assert, ast.Pass)):
            continue
        if not isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)):
            continue
        value = getattr(node, "value", None)
        if isinstance(node, ast.Expr) and isinstance(value, ast.Constant):
            continue  # a docstring
        if isinstance(node, ast.Return) and (
            value is None
            or isinstance(value, ast.Name)
            or isinstance(value, ast.Tuple)
            and all(isinstance(e, ast.Name) for e in value.elts)
        ):
            continue
        if isinstance(value, ast.Call):
            called = (
                value.func.attr
                if isinstance(value.func, ast.Attribute)
                else getattr(value.func, "id", "")
            )
            if called in SETUP_CALLS:
                continue
        found.append(ast.get_source_segment(source, node) or "")
    return found


def _significant(lines) -> set[str]:
    found = set()
    for line in lines:
        text = normalise(line)
        if len(text) >= MIN_LENGTH and text not in SHARED:
            found.add(text)
    return found


def _source_of(function) -> str:
    if isinstance(function, str):  # a library's function, named by its dotted name
        import importlib

        module, _, name = function.rpartition(".")
        function = getattr(importlib.import_module(module), name)
    function = inspect.unwrap(getattr(function, "__func__", function))
    return inspect.getsource(function)


@lru_cache(maxsize=None)
def answer_material(name: str) -> dict[str, str]:
    """{normalised line: where it comes from} for the notebook `name`."""
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    material = {}
    for index, cell in enumerate(nb["cells"]):
        text = editions.source(cell)
        role = editions.role(cell)
        if role == "exercise":
            blocks = re.findall(r"BEGIN SOLUTION[^\n]*\n(.*?)\n[ \t]*#+ *END SOLUTION", text, re.S)
            for line in _significant(s for b in blocks for s in _statements(b)):
                material.setdefault(line, f"the solution in cell {index}")
        elif role == "solution":
            lines = _statements(text) if cell["cell_type"] == "code" else text.splitlines()
            for line in _significant(lines):
                material.setdefault(line, f"the solution cell {index}")
    number = name.split("_")[0].lstrip("0")
    for exercise in EXERCISES.values():
        if exercise.number.split(".")[0] != number:
            continue
        for function in (exercise.reference, *exercise.forbidden):
            qualified = (
                f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
            )
            if qualified in WAYS_AROUND:
                continue
            for line in _significant(_statements(_source_of(function))):
                where = f"the source of {getattr(function, '__qualname__', function)}"
                material.setdefault(line, f"{where} (Exercise {exercise.number})")
    return material


# ----- what each edition shows -----------------------------------------------------------------
def _without_details(markdown: str) -> str:
    return re.sub(r"<details>.*?</details>", " ", markdown, flags=re.S)


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    parts = []
    for kind in ("text/plain", "text/markdown", "text/latex"):
        if kind in data:
            value = data[kind]
            parts.append("".join(value) if isinstance(value, list) else value)
    if "text/html" in data:
        value = data["text/html"]
        value = "".join(value) if isinstance(value, list) else value
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", value)))
    if output.get("output_type") == "error":
        parts.append(" ".join(output.get("traceback", [])))
    return "\n".join(parts)


def shown_by_student_edition(name: str) -> list[tuple[int, str]]:
    nb, _ = executed_student_notebook(name)
    shown = []
    for index, cell in enumerate(nb.cells):
        text = editions.source(cell)
        if cell.cell_type == "markdown":
            text = _without_details(text)
        outputs = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        shown.append((index, f"{text}\n{outputs}"))
    return shown


def _instructor(name):
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def shown_by_site(name: str, nb=None) -> list[tuple[int, str]]:
    import nbformat

    nb = nbformat.reads(json.dumps(nb or _instructor(name)), as_version=4)
    prepared, _ = build_site.prepare(nb, f"{name}.ipynb")
    shown = []
    for index, cell in enumerate(prepared.cells):
        tags = set(cell.metadata.get("tags", []))
        if "hide-cell" in tags or "remove-cell" in tags:
            continue
        text = "" if "hide-input" in tags else cell.source
        if cell.cell_type == "markdown":
            text = _without_details(text)
        outputs = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        shown.append((index, f"{text}\n{outputs}"))
    return shown


def shown_by_deck(name: str, nb=None) -> list[tuple[int, str]]:
    deck, _ = editions.edition(nb or _instructor(name), "deck", name)
    shown = []
    for index, cell in enumerate(deck["cells"]):
        if editions.slide_type(cell) in ("skip", "notes"):
            continue
        text = editions.source(cell)
        if cell["cell_type"] == "markdown":
            text = _without_details(text)
        elif cell.get("metadata", {}).get("transient", {}).get("remove_source"):
            text = ""
        outputs = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        shown.append((index, f"{text}\n{outputs}"))
    return shown


EDITIONS = {
    "student edition": shown_by_student_edition,
    "website": shown_by_site,
    "lecture deck": shown_by_deck,
}


def leaks(edition: str, name: str, shown=None) -> list[str]:
    """Every line of answer material of `name` or a later notebook that `edition` shows in
    notebook `name`, as 'notebook, cell: line (from where)'."""
    later = NAMES[NAMES.index(name) :]
    material = {}
    for owner in later:
        for line, where in answer_material(owner).items():
            material.setdefault(line, f"{owner}: {where}")
    found = []
    for index, text in shown if shown is not None else EDITIONS[edition](name):
        flat = normalise(text)
        for line, where in material.items():
            if line in flat:
                found.append(f"{name}, cell {index}: {line!r} ({where})")
    return found


@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("name", NAMES)
def test_no_answer_is_in_sight(edition, name):
    found = leaks(edition, name)
    assert not found, f"{len(found)} line(s) of answer material in the {edition}:\n" + "\n".join(
        found
    )


def test_answer_material_is_collected_for_every_notebook_with_exercises():
    for name in NAMES:
        numbers = {ex.number.split(".")[0] for ex in EXERCISES.values()}
        if name.split("_")[0].lstrip("0") in numbers:
            assert len(answer_material(name)) >= 3, name


@pytest.mark.parametrize("reader", [shown_by_site, shown_by_deck])
def test_a_leak_is_found_where_one_is_planted(reader):
    """The test can fail: a solution line copied into a lecture cell is found."""
    name = next(
        n for n in NAMES if any("the solution in" in w for w in answer_material(n).values())
    )
    nb = _instructor(name)
    exercise = next(c for c in nb["cells"] if editions.role(c) == "exercise")
    body = re.findall(r"BEGIN SOLUTION[^\n]*\n(.*?)\n[ \t]*#+ *END SOLUTION",
                      editions.source(exercise), re.S)[0]  # fmt: skip
    line = max(body.splitlines(), key=lambda ln: len(normalise(ln)))
    nb["cells"][0]["source"] += f"\n\nAs the code says: `{line.strip()}`"
    found = leaks("planted", name, reader(name, nb))
    assert any("cell 0" in f for f in found), found
