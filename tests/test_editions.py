"""The one rule of what each cell is for (tools/editions.py), applied by every edition."""

import json
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import editions
from tools.make_student import dumps, student_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

EXERCISE = (
    "def double(x):\n"
    '    """Exercise 9.9: return 2 x."""\n'
    "    # BEGIN SOLUTION Exercise 9.9: one line\n"
    "    return 2 * x\n"
    "    # END SOLUTION\n"
)


def cell(kind, text, tag=None, slide="-", **metadata):
    made = new_code_cell(text) if kind == "code" else new_markdown_cell(text)
    if tag:
        made.metadata["tags"] = [tag]
    made.metadata["slideshow"] = {"slide_type": slide}
    made.metadata.update(metadata)
    return made


def course():
    """A small notebook with one cell of every role."""
    hidden = {"jupyter": {"source_hidden": True}}
    cells = [
        cell("markdown", "## Exercise 9.9", slide="slide"),
        cell("code", EXERCISE, "exercise", slide="subslide"),
        cell("code", "check_double(double)", "check", slide="fragment"),
        cell("markdown", "The solution: $2x$.", "solution", slide="slide"),
        cell("code", "print(2 * 3)", "solution"),
        cell("code", "assert double(3) == 6", "verification", slide="skip", **hidden),
        cell("markdown", "Predict: what is double(2)?"),
        cell("markdown", "4.", "answer"),
        cell("markdown", "Instructor: ask first.", "instructor", slide="notes"),
        cell("markdown", "Say: doubling is linear.", slide="notes"),
        cell("code", "plt.plot([1, 2])", slide="slide"),
        cell("code", "x = double_used(2)", "slide-code"),
    ]
    for index, made in enumerate(cells):
        made.id = f"cell-{index}"  # as in the notebooks: every cell keeps its id
    cells[4].outputs = [{"output_type": "stream", "name": "stdout", "text": "6\n"}]
    cells[4].execution_count = 3
    cells[4].metadata["execution"] = {"iopub.execute_input": "2026-12-07T10:00:00"}
    return new_notebook(cells=cells)


def sources(nb):
    return [editions.source(c) for c in nb["cells"]]


def test_every_role_is_read_from_its_tag_and_an_untagged_cell_is_lecture():
    roles = [editions.role(c) for c in course().cells]
    assert roles == [
        "lecture",
        "exercise",
        "check",
        "solution",
        "solution",
        "verification",
        "lecture",
        "answer",
        "instructor",
        "lecture",
        "lecture",
        "lecture",
    ]


def test_the_student_edition_stubs_drops_folds_and_clears():
    nb, stubbed = student_notebook(course())
    text = "\n".join(sources(nb))
    assert stubbed == 1
    assert "raise NotImplementedError('Exercise 9.9: one line')" in text
    assert "return 2 * x" not in text and "SOLUTION" not in text
    assert "The solution" not in text and "print(2 * 3)" not in text  # solutions left out
    assert "Instructor" not in text and "Say:" not in text  # notes left out
    answer = next(c for c in nb.cells if editions.role(c) == "answer")
    assert answer.source.startswith("<details><summary>Answer") and "4." in answer.source
    check = next(c for c in nb.cells if editions.role(c) == "verification")
    assert check.metadata["jupyter"]["source_hidden"] is True
    for c in nb.cells:
        assert c.get("outputs", []) == [] and c.get("execution_count") is None
        assert "execution" not in c.metadata


def test_the_student_edition_is_deterministic_and_a_fix_changes_one_cell():
    before = dumps(student_notebook(course())[0])
    assert dumps(student_notebook(course())[0]) == before
    fixed = course()
    fixed.cells[6].source = "Predict: what is double(5)?"
    after = dumps(student_notebook(fixed)[0])
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ['    "Predict: what is double(5)?"']


def test_the_lecture_deck_shows_prompts_outputs_and_notes_not_answers():
    nb, _ = editions.edition(course(), "deck")
    kept = {editions.source(c): c for c in nb.cells}
    text = "\n".join(kept)
    for gone in ("return 2 * x", "check_double", "The solution", "print(2 * 3)", "assert", "4."):
        assert gone not in text
    stub = next(c for c in nb.cells if "def double" in editions.source(c))
    assert "raise NotImplementedError" in stub.source and "slide-code" in stub.metadata["tags"]
    plot = kept["plt.plot([1, 2])"]
    assert plot.metadata["transient"]["remove_source"] is True  # the figure, not its code
    assert "remove_source" not in kept["x = double_used(2)"].metadata.get("transient", {})
    notes = [c for c in nb.cells if editions.slide_type(c) == "notes"]
    assert [c.source for c in notes] == ["Instructor: ask first.", "Say: doubling is linear."]


def test_a_dropped_cell_hands_its_slide_start_to_the_next_cell():
    nb, _ = editions.edition(course(), "deck")
    after_solution = next(c for c in nb.cells if "Predict" in editions.source(c))
    assert editions.slide_type(after_solution) == "slide"  # the dropped solution began a slide


def test_the_instructor_deck_adds_solutions_verdicts_and_answers():
    nb, _ = editions.edition(course(), "deck-solutions")
    text = "\n".join(sources(nb))
    assert "return 2 * x" in text and "SOLUTION" not in text
    assert "The solution" in text and "4." in text and "check_double" in text
    assert "assert double" not in text


def test_the_site_folds_solution_texts_and_answers_and_drops_notes():
    nb, _ = editions.edition(course(), "site")
    text = "\n".join(sources(nb))
    assert "Instructor" not in text and "Say:" not in text
    folded = [s for s in sources(nb) if s.startswith("<details>")]
    assert len(folded) == 2 and "The solution" in folded[0] and "4." in folded[1]


def test_declaration_problems_name_an_undeclared_exercise_check_and_verification():
    nb = new_notebook(
        cells=[
            cell("code", EXERCISE),
            cell("code", "check_double(double)"),
            cell("code", "assert True", jupyter={"source_hidden": True}),
            cell("code", "x = 1", "verification"),
            cell("code", "y = 1", tag=None),
        ]
    )
    nb.cells[4].metadata["tags"] = ["solution", "answer"]
    problems = editions.declaration_problems(nb, "nb")
    assert len(problems) == 5, problems
    assert "cell 0" in problems[0] and "'exercise'" in problems[0]
    assert "'check'" in problems[1] and "'verification'" in problems[2]
    assert "cell 3" in problems[3] and "more than one role tag" in problems[4]


def test_an_unknown_edition_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="which must be one of instructor, student"):
        editions.edition(course(), "students")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_declares_the_role_of_its_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert editions.declaration_problems(nb, path.name) == []


def test_a_dropped_slide_start_waits_past_skip_and_notes_cells():
    cells = [
        cell("markdown", "Intro", slide="slide"),
        cell("code", "print(1)", "solution", slide="slide"),
        cell("code", "import os", slide="skip"),
        cell("markdown", "Say this.", slide="notes"),
        cell("markdown", "Next idea", slide="-"),
    ]
    cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    nb, _ = editions.edition(new_notebook(cells=cells), "deck")
    kinds = {editions.source(c): editions.slide_type(c) for c in nb["cells"]}
    assert kinds == {
        "Intro": "slide",
        "import os": "skip",
        "Say this.": "notes",
        "Next idea": "slide",
    }


def test_a_stubbed_exercise_shows_no_output_on_the_lecture_deck():
    made = cell("code", EXERCISE, "exercise")
    made.outputs = [{"output_type": "stream", "name": "stdout", "text": "6"}]
    nb, _ = editions.edition(new_notebook(cells=[made]), "deck")
    assert nb["cells"][0]["outputs"] == []
