"""What each cell of a notebook is for, and what every edition does with it.

The instructor notebooks in ``notebooks/`` are the one source of four editions: the student
edition (``make student``), the website (``make site``), the lecture decks and their handouts
(``make slides``, ``make handouts``) and the instructor's deck with the solutions
(``make slides SOLUTIONS=1``). Every builder asks this module, and only this module, what to do
with a cell, so that one rule decides what a reader sees.

Each cell has one **role**, declared in the notebook by a cell tag (a cell without one of these
tags is ``lecture``):

============== ==========================================================================
role           what the cell is
============== ==========================================================================
lecture        the course itself: text, formulas, code that is shown and run, figures
exercise       the code cell a student fills in: its solution sits between
               ``# BEGIN SOLUTION <prompt>`` and ``# END SOLUTION`` inside a function body
check          a cell that runs an exercise's check (``check_<name>(<name>)``)
solution       a derivation, listing or proof that gives an exercise's answer away; it comes
               after that exercise's check cell
verification   asserts that keep the notebook honest (its source collapsed in JupyterLab);
               it prints one line of evidence at most, never an answer
answer         the answer to a "predict, then check" question, after the question
instructor     a note for the instructor
============== ==========================================================================

Speaker notes are cells whose slide type is ``notes`` (any role). A code cell tagged
``slide-code`` shows its source on the decks, where code is otherwise replaced by its output
(a lecture shows the figure or the one line of result, not the computation behind it).

What each edition does (see :data:`RULES`):

- **student**: solutions, instructor notes and speaker notes are left out; an exercise's
  solution becomes ``raise NotImplementedError("<prompt>")``; an answer is folded in
  ``<details>``; verification cells stay, their source collapsed; every output, execution
  count, execution time stamp and saved widget state is dropped, so that publishing a fix
  changes only the cells that changed.
- **site**: instructor and speaker notes are left out; solutions (code and text), an
  exercise's code and verification cells are folded behind a toggle; answers are folded;
  the stored outputs of everything else are shown.
- **deck** (the lecture): solutions, checks, verification cells and answers are left out;
  instructor notes become speaker notes; an exercise shows its stub (the prompt, not the
  solution); other code shows its output only, unless tagged ``slide-code``.
- **deck-solutions** (the instructor's deck): the lecture deck plus the solutions, the
  checks' verdicts and the answers.
"""

from __future__ import annotations

import copy
import re

ROLES = ("lecture", "exercise", "check", "solution", "verification", "answer", "instructor")
ROLE_TAGS = frozenset(ROLES[1:])
EDITIONS = ("instructor", "student", "site", "deck", "deck-solutions")
SLIDE_CODE = "slide-code"  # a code cell whose source a deck shows

BEGIN = re.compile(r"^(?P<indent>\s*)#+\s*BEGIN SOLUTION\b(?P<prompt>.*)$")
END = re.compile(r"^\s*#+\s*END SOLUTION\b")
DEFAULT_PROMPT = "Exercise: replace this line with your code"
CHECK_CALL = re.compile(r"^\s*(display\()?check_\w+\(", re.M)

#: what an edition does with a cell of each role: "keep", "drop", "stub" (solution replaced by
#: a NotImplementedError), "fold" (behind a toggle or <details>), "output" (the output only).
RULES = {
    "student": {
        "lecture": "keep",
        "exercise": "stub",
        "check": "keep",
        "solution": "drop",
        "verification": "keep",
        "answer": "fold",
        "instructor": "drop",
    },
    "site": {
        "lecture": "keep",
        "exercise": "fold",
        "check": "keep",
        "solution": "fold",
        "verification": "fold",
        "answer": "fold",
        "instructor": "drop",
    },
    "deck": {
        "lecture": "output",
        "exercise": "stub",
        "check": "drop",
        "solution": "drop",
        "verification": "drop",
        "answer": "drop",
        "instructor": "notes",
    },
    "deck-solutions": {
        "lecture": "output",
        "exercise": "keep",
        "check": "output",
        "solution": "output",
        "verification": "drop",
        "answer": "keep",
        "instructor": "notes",
    },
}

ANSWER_SUMMARY = "Answer (open after predicting)"
SOLUTION_SUMMARY = "Show the solution"


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def is_notes(cell) -> bool:
    return slide_type(cell) == "notes"


def role(cell) -> str:
    """The role the cell declares by its tag; ``lecture`` when it declares none."""
    declared = sorted(tags(cell) & ROLE_TAGS)
    return declared[0] if declared else "lecture"


def inferred_role(cell) -> str | None:
    """The role the cell's content implies, or None: used to find undeclared roles."""
    text = source(cell)
    if cell.get("cell_type") == "code":
        if BEGIN.search(text) or any(BEGIN.match(line) for line in text.splitlines()):
            return "exercise"
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            return "verification"
        first = next((line for line in text.splitlines() if line.strip()), "")
        if CHECK_CALL.match(first) and ".usable" not in text:
            return "check"
    return None


def declaration_problems(nb, name: str = "notebook") -> list[str]:
    """Cells whose declared role disagrees with their content, and unbalanced declarations.

    - a cell with ``# BEGIN SOLUTION`` must be tagged ``exercise`` and the reverse;
    - a collapsed code cell must be tagged ``verification`` and the reverse;
    - a cell whose first line runs a check must be tagged ``check`` (and the reverse);
    - a cell carries at most one role tag.
    """
    problems = []
    for index, cell in enumerate(nb["cells"]):
        declared = tags(cell) & ROLE_TAGS
        where = f"{name}, cell {index} ({cell.get('id', '?')})"
        if len(declared) > 1:
            problems.append(f"{where}: more than one role tag: {sorted(declared)}")
            continue
        implied = inferred_role(cell)
        mine = role(cell)
        if implied == "verification" and mine in ("solution", "answer", "instructor"):
            implied = mine  # a collapsed cell that the student edition leaves out anyway
        if implied and implied != mine:
            problems.append(f"{where}: its content makes it '{implied}', but it is tagged '{mine}'")
        elif mine in ("exercise", "check", "verification") and implied != mine:
            need = {
                "exercise": "no # BEGIN SOLUTION",
                "check": "its first line runs no check_<name>(...)",
                "verification": "its source is not collapsed (jupyter.source_hidden)",
            }[mine]
            problems.append(f"{where}: tagged '{mine}', but {need}")
    return problems


# ----- the transformations --------------------------------------------------------------------
def strip_solutions(text: str, where: str = "cell", replacement: str = "raise") -> tuple[str, int]:
    """Return (text with each solution replaced by a stub, number of solutions replaced).

    ``replacement="raise"`` writes ``raise NotImplementedError("<prompt>")`` at the marker's
    indentation; ``"markers"`` keeps the solution and drops only the two marker lines.
    """
    out, count, inside = [], 0, False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        begin, end = BEGIN.match(line.rstrip("\n")), END.match(line)
        if begin:
            if inside:
                raise ValueError(f"{where}, line {number}: BEGIN SOLUTION inside a solution")
            inside, count = True, count + 1
            prompt = begin.group("prompt").strip(" :-") or DEFAULT_PROMPT
            if replacement == "raise":
                out.append(f"{begin.group('indent')}raise NotImplementedError({prompt!r})\n")
        elif end:
            if not inside:
                raise ValueError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside or replacement == "markers":
            out.append(line)
    if inside:
        raise ValueError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "".join(out), count


def fold_markdown(text: str, summary: str) -> str:
    """The markdown folded in ``<details>`` (a folded text stays folded as it is)."""
    if text.lstrip().startswith("<details"):
        return text
    return f"<details><summary>{summary}</summary>\n\n{text.strip()}\n\n</details>"


def _clear_outputs(cell) -> None:
    if cell.get("cell_type") == "code":
        cell["outputs"], cell["execution_count"] = [], None
    cell.get("metadata", {}).pop("execution", None)


def _add_tag(cell, tag: str) -> None:
    cell.setdefault("metadata", {})["tags"] = sorted(tags(cell) | {tag})


def _hide_source(cell) -> None:
    cell.setdefault("metadata", {}).setdefault("transient", {})["remove_source"] = True


def edition(nb, which: str, name: str = "notebook"):
    """Return (the notebook as edition ``which`` shows it, number of exercises stubbed).

    ``nb`` is a notebook dict (``json.load``) or an nbformat node; it is not changed. The
    result is the same kind of object. A dropped cell that starts a slide hands its slide type
    to the next cell kept, so that a deck keeps its slide boundaries.
    """
    if which not in EDITIONS:
        raise ValueError(f"which must be one of {', '.join(EDITIONS)}; got {which!r}")
    nb = copy.deepcopy(nb)
    if which == "instructor":
        return nb, 0
    rules = RULES[which]
    deck = which.startswith("deck")
    cells, stubbed, pending_start = [], 0, None
    for index, cell in enumerate(nb["cells"]):
        where = f"{name}, cell {index}"
        what = rules[role(cell)]
        if not deck and is_notes(cell):
            what = "drop"  # speaker notes belong to the decks
        if deck and is_notes(cell) and what not in ("drop",):
            what = "notes"
        if what == "drop":
            if slide_type(cell) in ("slide", "subslide") and pending_start is None:
                pending_start = slide_type(cell)
            continue
        metadata = cell.setdefault("metadata", {})
        kind = slide_type(cell)
        if pending_start and kind in ("-", "fragment"):  # the next cell a slide shows
            metadata.setdefault("slideshow", {})["slide_type"] = pending_start
            pending_start = None
        elif kind in ("slide", "subslide"):
            pending_start = None  # skip and notes cells keep the handed-over start waiting
        text = cell["source"] = source(cell)  # one string, as nbformat holds it in memory
        if what == "notes":
            metadata.setdefault("slideshow", {})["slide_type"] = "notes"
        elif what == "stub" or (deck and role(cell) == "exercise" and what == "keep"):
            mode = "raise" if what == "stub" else "markers"
            new, count = strip_solutions(text, where, mode)
            cell["source"] = new
            stubbed += count if what == "stub" else 0
            if deck:
                _add_tag(cell, SLIDE_CODE)
                if what == "stub":  # what the solution printed is not the stub's to show
                    _clear_outputs(cell)
        elif what == "fold":
            if cell.get("cell_type") == "markdown":
                summary = ANSWER_SUMMARY if role(cell) == "answer" else SOLUTION_SUMMARY
                cell["source"] = fold_markdown(text, summary)
            elif which == "student":  # code is folded in JupyterLab by collapsing its source
                metadata.setdefault("jupyter", {})["source_hidden"] = True
            # the site folds code cells itself (tools/build_site.py reads role() and RULES)
        if deck and cell.get("cell_type") == "code" and SLIDE_CODE not in tags(cell):
            _hide_source(cell)
        if which == "student":
            _clear_outputs(cell)
            if role(cell) == "verification":
                metadata.setdefault("jupyter", {})["source_hidden"] = True
        cells.append(cell)
    nb["cells"] = cells
    if which == "student":
        nb["metadata"].pop("widgets", None)
    return nb, stubbed
