"""The student edition: solutions stubbed, nothing of them left, and it still runs top to bottom."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.student_runs import executed_student_notebook
from tools import make_student

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

CHECK_CALL = re.compile(r"\bcheck_\w+\(")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def solution_blocks(text):
    """The lines strictly between BEGIN and END SOLUTION markers, one string per block."""
    return re.findall(r"BEGIN SOLUTION[^\n]*\n(.*?)\n[ \t]*#+ *END SOLUTION", text, re.S)


def test_a_solution_becomes_a_stub_at_the_same_indentation():
    text = (
        "def f(x):\n"
        '    """Exercise 9.9: double x."""\n'
        "    # BEGIN SOLUTION Exercise 9.9: one line will do\n"
        "    y = 2 * x\n"
        "    return y\n"
        "    # END SOLUTION\n"
        "print(f)\n"
    )
    stub, count = make_student.strip_solutions(text)
    assert count == 1
    assert stub == (
        "def f(x):\n"
        '    """Exercise 9.9: double x."""\n'
        "    raise NotImplementedError('Exercise 9.9: one line will do')\n"
        "print(f)\n"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("# BEGIN SOLUTION\nx = 1\n", "BEGIN SOLUTION without END SOLUTION"),
        ("x = 1\n# END SOLUTION\n", "END SOLUTION without BEGIN SOLUTION"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n", "BEGIN SOLUTION inside a solution"),
    ],
)
def test_unbalanced_markers_are_reported_with_their_place(text, message):
    with pytest.raises(ValueError, match=message):
        make_student.strip_solutions(text, "nb.ipynb, cell 3")


def test_there_are_at_least_16_exercises_across_the_notebooks():
    counts = {p.name: make_student.student_notebook(load(p), p.name)[1] for p in NOTEBOOKS}
    assert sum(counts.values()) >= 16, counts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nothing_of_a_solution_is_left(path):
    instructor = load(path)
    student, count = make_student.student_notebook(instructor, path.name)
    text = json.dumps(student)
    assert "SOLUTION" not in text
    assert "widgets" not in student["metadata"]
    for cell in student["cells"]:
        assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
    stubs = sum(source(c).count("raise NotImplementedError(") for c in student["cells"])
    originals = sum(source(c).count("raise NotImplementedError(") for c in instructor["cells"])
    assert stubs - originals == count
    for cell in instructor["cells"]:
        for block in solution_blocks(source(cell)):
            body = "\n".join(line for line in block.splitlines() if line.strip())
            assert body not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_edition_passes_every_check(path):
    nb = load(path)
    checked = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and CHECK_CALL.search(source(cell)):
            shown = json.dumps(cell.get("outputs", []), ensure_ascii=False)
            if ".usable" in source(cell):  # a later cell: it must use the student's function
                assert "using your" in shown and "passed" in shown, source(cell)
            elif "Exercise" in shown:
                checked += 1
                assert "✔" in shown and "correct" in shown, source(cell)
    if make_student.student_notebook(nb, path.name)[1]:
        assert checked >= 1, "a notebook with exercises shows no check result"


WITH_EXERCISES = [p for p in NOTEBOOKS if "BEGIN SOLUTION" in p.read_text(encoding="utf-8")]


def test_a_notebook_without_exercises_is_its_own_student_edition_less_its_outputs():
    without = [p for p in NOTEBOOKS if p not in WITH_EXERCISES]
    for path in without:  # (05_checking_and_cost): the same cells, outputs cleared
        instructor = load(path)
        student, count = make_student.student_notebook(instructor, path.name)
        assert count == 0
        kept = [
            c
            for c in instructor["cells"]
            if not {"solution", "instructor"} & set(c.get("metadata", {}).get("tags", []))
        ]
        assert [source(c) for c in student["cells"]] == [source(c) for c in kept]


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_student_edition_runs_top_to_bottom(path):
    nb, count = executed_student_notebook(path.stem)  # raises on any uncaught exception
    assert count > 0
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert outputs.count("not done yet") >= count


# ----- re-running never turns a wrong answer into "correct" -------------------------------------
# One wrong answer per notebook, of a kind students write, written here independently of the
# checks' lists of mistakes: (notebook, function, lines that replace the stub).
WRONG_ANSWERS = [
    ("01_chain_rule", "df_dt", ["return float(t)"]),
    (
        "04_backpropagation",
        "layer_backward",
        ["return dL_dx @ w, dL_dx.T @ x_prev, dL_dx.sum(axis=0)"],  # sigma' forgotten
    ),
    ("07_gradient_descent", "descend", ["return [w0] * (steps + 1)"]),  # never moves
    ("08_logistic_regression", "log_sigmoid", ["return -np.log(1 + np.exp(-m))"]),  # overflows
    ("09_digits", "predict_labels", ["return np.argmax(s, axis=0)"]),  # the wrong axis
]


def _fill_in(cell_source, function, lines):
    """Replace the stub of `function` by `lines`, at the stub's indentation."""
    out, done = [], False
    for line in cell_source.splitlines():
        if "raise NotImplementedError(" in line and not done:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + body for body in lines]
            done = True
        else:
            out.append(line)
    assert done, f"no stub found for {function}"
    return "\n".join(out) + "\n"


def _verdict(cell):
    texts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        texts.append(str(data.get("text/plain", output.get("text", ""))))
    return "".join(texts)


@pytest.mark.parametrize(
    "notebook, function, lines", WRONG_ANSWERS, ids=[f"{n}-{f}" for n, f, _ in WRONG_ANSWERS]
)
def test_rerunning_the_check_never_turns_a_wrong_answer_correct(
    notebook, function, lines, tmp_path, monkeypatch
):
    path = ROOT / "notebooks" / f"{notebook}.ipynb"
    student, _ = make_student.student_notebook(load(path), path.name)
    nb = nbformat.from_dict(student)
    answer = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and f"def {function}(" in c.source
        and "NotImplementedError" in c.source
    )
    check_cell = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source.strip() == f"check_{function}({function})"
    )
    nb.cells[answer].source = _fill_in(nb.cells[answer].source, function, lines)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.setenv("BPCOURSE_FIGURES_DIR", str(tmp_path / "figures"))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    verdicts = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):  # Restart & Run All, with the wrong answer
            client.execute_cell(cell, index)
            if index == check_cell:
                verdicts.append(_verdict(cell))
        for order in ([check_cell], [check_cell], [answer, check_cell], [check_cell]):
            for index in order:  # the check again, then the answer and the check again
                client.execute_cell(nb.cells[index], index)
            verdicts.append(_verdict(nb.cells[check_cell]))
    assert len(verdicts) == 5
    assert len(set(verdicts)) == 1, verdicts  # the same verdict every time
    assert "✘" in verdicts[0] and "✔" not in verdicts[0], verdicts[0]
    later = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    if notebook == "04_backpropagation":  # 4.2 builds on 4.1 and says what it uses
        assert f"using the reference {function} until Exercise 4.1 passes" in later


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_student_edition_imports_only_what_it_uses(path):
    """An import only a dropped cell (a solution) uses would stay in the student edition,
    unused, pointing at the answer (`bpcourse.mlp` for `mlp.layer_backward`): such an import
    goes in the cell that uses it."""
    import ast

    nb = make_student.student_notebook(load(path), path.name)[0]
    code = "\n".join(
        line
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for line in source(c).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    )
    tree = ast.parse(code)
    imported = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not imported - used, f"imported, unused in the student edition: {imported - used}"


def test_the_command_explains_itself_and_refuses_a_folder_without_notebooks(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        make_student.main(["--help"])
    assert stop.value.code == 0 and "student edition" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:
        make_student.main([str(tmp_path / "empty"), str(tmp_path / "out")])
    assert stop.value.code == 2 and "holds no notebook" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
