"""`python -m bpcourse update`: every fix of the course reaches a student, every answer stays.

Issue 21. The merge rules are tested on small notebooks first (bpcourse.update.merge_notebook),
then on real student repositories: the course is copied to a temporary instructor checkout,
published with tools/make_student_repo.py, cloned as a student would (a shallow clone, as
nbgitpuller makes), run and answered, fixed by the instructor, published again and updated.
Nothing here touches the repository's own files or the network.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from bpcourse import update as up
from tools.make_student_repo import publish

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = sorted((ROOT / "notebooks").glob("04_*.ipynb"))[0].name  # the issue's notebook
CONFLICT = up.CONFLICT_TAG


# ---------------------------------------------------------------------------- small notebooks
def nb(*cells, **metadata):
    return {"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def code(cid, source, outputs=None, count=None, **metadata):
    return {
        "cell_type": "code",
        "id": cid,
        "metadata": metadata,
        "source": source,
        "outputs": outputs or [],
        "execution_count": count,
    }


def md(cid, source, **metadata):
    return {"cell_type": "markdown", "id": cid, "metadata": metadata, "source": source}


def out(text):
    return [{"output_type": "stream", "name": "stdout", "text": text}]


def ran(cell, text="ran\n", count=1):
    """The cell as JupyterLab saves it after running it: outputs and a prompt number."""
    return {**cell, "outputs": out(text), "execution_count": count}


def ids(notebook):
    return [c["id"] for c in notebook["cells"]]


def by_id(notebook, cid):
    return next(c for c in notebook["cells"] if c["id"] == cid)


BASE = nb(
    md("title", "# Title"),
    code("imports", "import numpy as np"),
    code("ex", "def f(x):\n    raise NotImplementedError('Exercise 1.1')", tags=["exercise"]),
    code("check", "check_f(f)", tags=["check"]),
    md("text", "Some text."),
    code("plot", "plot(1)"),
)


def test_a_cell_you_only_ran_takes_the_course_fix_and_drops_its_stale_outputs():
    theirs = nb(*[ran(c) if c["cell_type"] == "code" else c for c in BASE["cells"]])
    new = json.loads(json.dumps(BASE))
    by_id(new, "plot")["source"] = "plot(2)  # fixed"
    by_id(new, "text")["source"] = "Some fixed text."
    merged, report = up.merge_notebook(BASE, theirs, new)
    assert by_id(merged, "plot")["source"] == "plot(2)  # fixed"
    assert (
        by_id(merged, "plot")["outputs"] == [] and by_id(merged, "plot")["execution_count"] is None
    )
    assert by_id(merged, "text")["source"] == "Some fixed text."
    assert by_id(merged, "imports")["outputs"] == out("ran\n"), "an unchanged cell keeps outputs"
    assert report.updated == 2 and not report.conflicts
    assert ids(merged) == ids(BASE)


def test_your_answer_stays_with_its_outputs_and_the_course_metadata_change_applies():
    answer = "def f(x):\n    return 2 * x"
    theirs = nb(*BASE["cells"])
    theirs["cells"][2] = ran({**BASE["cells"][2], "source": answer}, "", 3)
    theirs["cells"][2]["metadata"] = {"tags": ["exercise"], "scrolled": True}  # yours (a UI key)
    new = json.loads(json.dumps(BASE))
    by_id(new, "ex")["metadata"] = {"tags": ["exercise", "new-tag"]}
    merged, report = up.merge_notebook(BASE, theirs, new)
    cell = by_id(merged, "ex")
    assert cell["source"] == answer and cell["execution_count"] == 3
    assert cell["metadata"] == {"tags": ["exercise", "new-tag"], "scrolled": True}
    assert report.kept == 1 and not report.conflicts and not report.changed


def test_a_cell_both_changed_keeps_yours_and_shows_the_course_version_right_after_it():
    answer = "def f(x):\n    return 2 * x"
    theirs = nb(*BASE["cells"])
    theirs["cells"][2] = {**BASE["cells"][2], "source": answer}
    new = json.loads(json.dumps(BASE))
    fixed = "def f(x):\n    '''Exercise 1.1: ``double`` x'''\n    raise NotImplementedError('1.1')"
    by_id(new, "ex")["source"] = fixed
    merged, report = up.merge_notebook(BASE, theirs, new, label="edition abc1234")
    at = ids(merged).index("ex")
    assert merged["cells"][at]["source"] == answer
    shown = merged["cells"][at + 1]
    assert shown["cell_type"] == "markdown", "the course's version must not run over your answer"
    assert shown["metadata"]["tags"] == [CONFLICT]
    assert "Course update (edition abc1234)" in shown["source"]
    assert fixed in shown["source"] and "```python\n" in shown["source"]
    assert len(report.conflicts) == 1 and "you had edited it" in report.conflicts[0]
    assert len(set(ids(merged))) == len(merged["cells"]), "cell ids stay unique"
    nbformat.validate(nbformat.from_dict(merged))


def test_a_markdown_cell_both_changed_shows_the_new_text_after_yours():
    theirs = nb(*BASE["cells"])
    theirs["cells"][4] = {**BASE["cells"][4], "source": "Some text. My note: see 02."}
    new = json.loads(json.dumps(BASE))
    by_id(new, "text")["source"] = "Some corrected text."
    merged, report = up.merge_notebook(BASE, theirs, new)
    at = ids(merged).index("text")
    assert merged["cells"][at]["source"] == "Some text. My note: see 02."
    assert merged["cells"][at + 1]["source"].endswith("---\n\nSome corrected text.")
    assert len(report.conflicts) == 1


def test_new_course_cells_arrive_in_order_and_your_own_cells_stay_where_you_put_them():
    mine = code("my-cell", "print('trying something')")
    theirs = nb(*BASE["cells"][:2], mine, *BASE["cells"][2:], md("my-end", "my notes"))
    new = nb(*BASE["cells"][:1], md("intro", "New intro."), *BASE["cells"][1:])
    new["cells"].append(code("extra", "extra()"))
    merged, report = up.merge_notebook(BASE, theirs, new)
    assert ids(merged) == [
        "title", "intro", "imports", "my-cell", "ex", "check", "text", "plot", "my-end", "extra"
    ]  # fmt: skip
    assert report.added == 2 and report.kept == 2


def test_a_cell_the_course_removed_goes_unless_you_edited_it():
    theirs = nb(*BASE["cells"])
    theirs["cells"][5] = ran(BASE["cells"][5])  # only ran: goes
    theirs["cells"][4] = {**BASE["cells"][4], "source": "Some text, annotated."}  # edited: stays
    new = nb(*[c for c in BASE["cells"] if c["id"] not in ("text", "plot")])
    merged, report = up.merge_notebook(BASE, theirs, new)
    assert "plot" not in ids(merged) and "text" in ids(merged)
    assert report.removed == 1
    assert any("kept: the course removed it" in note for note in report.notes)


def test_a_cell_you_deleted_stays_deleted_unless_the_course_changed_it():
    theirs = nb(*[c for c in BASE["cells"] if c["id"] not in ("text", "plot")])
    new = json.loads(json.dumps(BASE))
    by_id(new, "plot")["source"] = "plot(3)"
    merged, report = up.merge_notebook(BASE, theirs, new)
    assert "text" not in ids(merged)
    assert "plot" in ids(merged) and ids(merged)[-1] == "plot"
    assert any("came back" in note for note in report.notes)


def test_text_the_course_published_in_between_is_not_yours():
    """nbgitpuller may have merged an intermediate edition's text: that text is the course's,
    so the newest edition replaces it without a conflict."""
    theirs = nb(*BASE["cells"])
    theirs["cells"][4] = {**BASE["cells"][4], "source": "Edition 2 text."}
    new = json.loads(json.dumps(BASE))
    by_id(new, "text")["source"] = "Edition 3 text."
    editions = {"text": {("markdown", "Some text."), ("markdown", "Edition 2 text.")}}
    merged, report = up.merge_notebook(BASE, theirs, new, editions)
    assert by_id(merged, "text")["source"] == "Edition 3 text." and not report.conflicts
    merged, report = up.merge_notebook(BASE, theirs, new)  # without that knowledge: a conflict
    assert len(report.conflicts) == 1


def test_a_pasted_copy_of_a_cell_is_yours_and_gets_its_own_id():
    copy_of_plot = {**BASE["cells"][5], "source": "plot(1)  # my copy"}
    theirs = nb(*BASE["cells"], copy_of_plot, dict(BASE["cells"][5]))
    merged, _ = up.merge_notebook(BASE, theirs, BASE)
    assert len(merged["cells"]) == len(BASE["cells"]) + 2
    assert len(set(ids(merged))) == len(merged["cells"])


def test_the_conflict_fence_is_longer_than_any_backticks_in_the_code():
    cell = code("x", 's = """```python\nno```"""')
    shown = up.conflict_cell(cell, "edition x", "x-course")
    assert "````python\n" in shown["source"] and shown["source"].endswith("\n````")


def test_a_file_that_is_not_a_notebook_with_cell_ids_is_not_merged():
    assert up.read_notebook(b"{not json") is None
    old = nb(md("a", "x"))
    old["nbformat_minor"] = 4
    assert up.read_notebook(json.dumps(old).encode()) is None
    assert (
        up.read_notebook(json.dumps(nb(md("a", ["x\n", "y"]))).encode())["cells"][0]["source"]
        == "x\ny"
    )


# ---------------------------------------------------------------------------- real repositories
def git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def copy_instructor(target):
    """A temporary instructor checkout: what make_student_repo reads."""
    for name in ["notebooks", "bpcourse", "jupyter"]:
        shutil.copytree(
            ROOT / name,
            target / name,
            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
        )
    for name in ["pyproject.toml", "requirements.lock", "environment.yml"]:
        shutil.copy2(ROOT / name, target / name)
    return target


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def save_as_jupyter(path, notebook):
    path.write_text(nbformat.writes(nbformat.from_dict(notebook)) + "\n", encoding="utf-8")


def roles(notebook):
    """The first cell of each kind the scenario touches: {role: cell id}."""
    found = {}
    for cell in notebook["cells"]:
        tags = set(cell["metadata"].get("tags", []))
        text = "".join(cell["source"])
        if "exercise" in tags:
            found.setdefault("exercise", cell["id"])
        elif cell["cell_type"] == "markdown" and not tags and text.startswith("## "):
            found.setdefault("markdown", cell["id"])
        elif cell["cell_type"] == "code" and not tags and "import" not in text:
            if not cell["metadata"].get("jupyter", {}).get("source_hidden"):
                found.setdefault("code", cell["id"])
    assert set(found) == {"exercise", "markdown", "code"}, found
    return found


def answer_for(instructor_nb, cid):
    """The instructor's solution of exercise `cid`, written as a student would (no markers)."""
    text = "".join(by_id(instructor_nb, cid)["source"])
    return "\n".join(line for line in text.splitlines() if "SOLUTION" not in line) + "\n"


def fix_course(instructor, cells):
    """The instructor's three fixes: a markdown cell, a code cell, a check module."""
    path = instructor / "notebooks" / NOTEBOOK
    notebook = load(path)
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["id"] == cells["markdown"]:
            cell["source"] = text.replace("\n", " (fixed text)\n", 1)
        if cell["id"] == cells["code"]:
            cell["source"] = "# fixed code\n" + text.rstrip("\n") + "  # fixed too\n"
    save_as_jupyter(path, notebook)
    check = instructor / "bpcourse" / "exercises" / "backpropagation.py"
    check.write_text(check.read_text() + '\nCHECK_FIX = "a fixed check"\n')


def run_update(clone, *args, python=None, env=None):
    return subprocess.run(
        [python or sys.executable, "-m", "bpcourse", "update", *args],
        cwd=clone,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The course published once: (instructor checkout, student repository)."""
    base = tmp_path_factory.mktemp("published")
    instructor = copy_instructor(base / "instructor")
    publish(instructor, base / "course", quiet=True)
    return instructor, base / "course"


@pytest.fixture
def course(published, tmp_path):
    """A fresh (instructor, student repository, student clone) for one test."""
    instructor = tmp_path / "instructor"
    shutil.copytree(published[0], instructor)
    repo = tmp_path / "course"
    git(tmp_path, "clone", "--quiet", str(published[1]), str(repo))
    clone = tmp_path / "student"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(clone))
    return instructor, repo, clone


@pytest.fixture(scope="module")
def executed(published, tmp_path_factory):
    """The student's notebook after answering the first exercise and running every cell
    (nbclient, the kernel of this environment): (notebook dict, the answer, role cell ids)."""
    instructor, repo = published
    work = tmp_path_factory.mktemp("executed")
    clone = work / "student"
    git(work, "clone", "--quiet", str(repo), str(clone))
    path = clone / "notebooks" / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    cells = roles(load(path))
    answer = answer_for(load(instructor / "notebooks" / NOTEBOOK), cells["exercise"])
    by_id(notebook, cells["exercise"])["source"] = answer
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return json.loads(nbformat.writes(notebook)), answer, cells


def test_a_fix_publishes_as_a_small_diff_and_republishing_nothing_adds_nothing(course):
    instructor, repo, _ = course
    head = git(repo, "rev-parse", "HEAD")
    assert publish(instructor, repo, quiet=True) is None
    assert git(repo, "rev-parse", "HEAD") == head
    cells = roles(load(repo / "notebooks" / NOTEBOOK))
    fix_course(instructor, cells)
    assert publish(instructor, repo, quiet=True) is not None
    numstat = git(repo, "show", "--numstat", "--format=", "HEAD").splitlines()
    changed = {line.split("\t")[2]: line.split("\t")[:2] for line in numstat}
    assert set(changed) == {f"notebooks/{NOTEBOOK}", "bpcourse/exercises/backpropagation.py"}
    added, deleted = map(int, changed[f"notebooks/{NOTEBOOK}"])
    assert added <= 4 and deleted <= 3, f"a two-cell fix published as +{added} -{deleted} lines"


def test_the_issue_scenario_every_fix_arrives_and_the_answer_stays(course, executed):
    """A student ran the notebook and answered an exercise; the instructor fixes a markdown
    cell, a code cell and a check; after `python -m bpcourse update` the student has all
    three fixes, their answer with its outputs, and the outputs of every cell still valid."""
    instructor, repo, clone = course
    theirs, answer, cells = executed
    path = clone / "notebooks" / NOTEBOOK
    save_as_jupyter(path, theirs)
    fix_course(instructor, cells)
    new_commit = publish(instructor, repo, quiet=True)

    result = run_update(clone, "--no-install")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "1 cell of yours kept" in result.stdout and "2 cells updated" in result.stdout

    merged = load(path)
    fixed = load(repo / "notebooks" / NOTEBOOK)
    assert by_id(merged, cells["markdown"])["source"] == by_id(fixed, cells["markdown"])["source"]
    code_cell = by_id(merged, cells["code"])
    assert code_cell["source"] == by_id(fixed, cells["code"])["source"]
    assert code_cell["outputs"] == [] and code_cell["execution_count"] is None
    mine = by_id(merged, cells["exercise"])
    assert "".join(mine["source"]) == answer
    assert mine["execution_count"] == by_id(theirs, cells["exercise"])["execution_count"]
    for cell in merged["cells"]:  # every other cell: as the student's run left it
        if cell["id"] not in (cells["code"], cells["markdown"]):
            assert cell == by_id(theirs, cell["id"]), cell["id"]
    assert not [c for c in merged["cells"] if CONFLICT in c["metadata"].get("tags", [])]
    assert merged["metadata"].get("widgets") == theirs["metadata"].get("widgets")
    check = clone / "bpcourse" / "exercises" / "backpropagation.py"
    assert 'CHECK_FIX = "a fixed check"' in check.read_text()
    assert git(clone, "rev-parse", "HEAD") == new_commit
    assert git(clone, "status", "--porcelain") == f"M notebooks/{NOTEBOOK}"
    before = git(clone, "show", f"{up.BACKUP_REF}:notebooks/{NOTEBOOK}")
    assert (
        json.loads(before)["cells"]
        == json.loads(nbformat.writes(nbformat.from_dict(theirs)))["cells"]
    ), "the state before the update is kept in refs/bpcourse/before-update"
    again = run_update(clone, "--no-install")
    assert "already at the newest edition" in again.stdout and load(path) == merged


def nbgitpuller_update(clone):
    """What a second click on an nbgitpuller link does (nbgitpuller 1.3, pull.py
    GitPuller.update): fetch, restore deleted files, unstage, commit everything, then merge
    with -Xours (on overlapping changes, the student's lines win)."""
    git(clone, "fetch", "--quiet")
    git(clone, "reset", "--mixed", "--quiet")
    identity = ["-c", "user.email=nbgitpuller@nbgitpuller.link", "-c", "user.name=nbgitpuller"]
    if subprocess.run(["git", "diff-files", "--quiet"], cwd=clone).returncode:
        git(clone, *identity, "commit", "-am", "Automatic commit by nbgitpuller", "--allow-empty")
    git(clone, *identity, "merge", "-Xours", "origin/main", "-m", "merge")


def test_after_an_nbgitpuller_click_the_update_delivers_the_fixes_the_click_dropped(
    course, executed
):
    """The instructor fixes the last line of every code cell and the prompt of the exercise
    the student answered. A click on the nbgitpuller link (git merge -Xours) drops the prompt
    fix without a word, since the student changed the line next to it (and may drop others,
    next to lines the run rewrote); `update` then delivers every fix and shows the prompt fix
    beside the student's answer."""
    instructor, repo, clone = course
    theirs, answer, cells = executed
    save_as_jupyter(clone / "notebooks" / NOTEBOOK, theirs)
    path = instructor / "notebooks" / NOTEBOOK
    notebook = load(path)
    fixed_ids = []
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["id"] == cells["exercise"]:
            cell["source"] = text.replace('"""', '"""Fixed prompt. ', 1)
        elif cell["cell_type"] == "code":
            cell["source"] = text.rstrip("\n") + f"  # last-line fix {cell['id']}\n"
            fixed_ids.append(cell["id"])
    save_as_jupyter(path, notebook)
    publish(instructor, repo, quiet=True)
    course_nb = load(repo / "notebooks" / NOTEBOOK)
    fixed_ids = [cid for cid in fixed_ids if cid in ids(course_nb)]  # the student edition's

    nbgitpuller_update(clone)
    clicked = load(clone / "notebooks" / NOTEBOOK)
    lost = [
        cid
        for cid in [cells["exercise"], *fixed_ids]
        if "".join(by_id(clicked, cid)["source"]) != "".join(by_id(course_nb, cid)["source"])
    ]
    assert cells["exercise"] in lost, "nbgitpuller kept the prompt fix: the README would be wrong"
    assert "Fixed prompt." not in json.dumps(clicked), "the click dropped it without a trace"
    assert "".join(by_id(clicked, cells["exercise"])["source"]) == answer

    result = run_update(clone, "--no-install")
    assert result.returncode == 0, result.stderr + result.stdout
    merged = load(clone / "notebooks" / NOTEBOOK)
    for cid in fixed_ids:
        assert by_id(merged, cid)["source"] == by_id(course_nb, cid)["source"], cid
    at = ids(merged).index(cells["exercise"])
    assert "".join(merged["cells"][at]["source"]) == answer
    shown = merged["cells"][at + 1]
    assert CONFLICT in shown["metadata"]["tags"] and "Fixed prompt." in "".join(shown["source"])
    assert len([c for c in merged["cells"] if CONFLICT in c["metadata"].get("tags", [])]) == 1


def test_an_edited_exercise_the_course_changed_is_kept_and_the_new_version_shown(course):
    instructor, repo, clone = course
    path = clone / "notebooks" / NOTEBOOK
    cells = roles(load(path))
    notebook = load(path)
    by_id(notebook, cells["exercise"])["source"] = "def my_answer():\n    return 42\n"
    save_as_jupyter(path, notebook)
    inst_path = instructor / "notebooks" / NOTEBOOK
    inst = load(inst_path)
    cell = by_id(inst, cells["exercise"])
    cell["source"] = "".join(cell["source"]).replace('"""', '"""Fixed prompt. ', 1)
    save_as_jupyter(inst_path, inst)
    publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install")
    assert result.returncode == 0 and "1 conflict" in result.stdout, result.stdout
    merged = load(path)
    at = ids(merged).index(cells["exercise"])
    assert "".join(merged["cells"][at]["source"]) == "def my_answer():\n    return 42\n"
    assert CONFLICT in merged["cells"][at + 1]["metadata"]["tags"]
    assert "Fixed prompt." in "".join(merged["cells"][at + 1]["source"])


def test_a_dry_run_changes_nothing(course):
    instructor, repo, clone = course
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    publish(instructor, repo, quiet=True)
    head = git(clone, "rev-parse", "HEAD")
    result = run_update(clone, "--dry-run", "--no-install")
    assert result.returncode == 0 and "dry run: nothing was changed" in result.stdout
    assert f"notebooks/{NOTEBOOK}: 2 cells updated" in result.stdout
    assert git(clone, "rev-parse", "HEAD") == head and git(clone, "status", "--porcelain") == ""
    assert not (clone / ".git" / up.WORK_DIR).exists()


def test_an_interrupted_update_is_finished_by_the_next_run(course, monkeypatch):
    instructor, repo, clone = course
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    new = publish(instructor, repo, quiet=True)

    def crash(self):  # the power goes after the plan and the backup, before any file moved
        raise KeyboardInterrupt

    monkeypatch.setattr(up.Updater, "apply", crash)
    with pytest.raises(KeyboardInterrupt):
        up.update(clone, install=False)
    monkeypatch.undo()
    assert (clone / ".git" / up.WORK_DIR / up.PLAN).is_file()
    assert git(clone, "rev-parse", "HEAD") != new
    report = up.update(clone, install=False)
    assert "finished an update that had been interrupted" in str(report)
    assert git(clone, "rev-parse", "HEAD") == new and git(clone, "status", "--porcelain") == ""
    assert (
        'CHECK_FIX = "a fixed check"'
        in (clone / "bpcourse/exercises/backpropagation.py").read_text()
    )


def test_a_deleted_notebook_is_not_brought_back_and_the_report_says_how(course):
    instructor, repo, clone = course
    (clone / "notebooks" / NOTEBOOK).unlink()
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install")
    assert result.returncode == 0
    assert not (clone / "notebooks" / NOTEBOOK).exists()
    assert f"git checkout -- notebooks/{NOTEBOOK}" in result.stdout
    git(clone, "checkout", "--", f"notebooks/{NOTEBOOK}")
    assert load(clone / "notebooks" / NOTEBOOK) == load(repo / "notebooks" / NOTEBOOK)


def test_new_notebooks_arrive_and_your_file_of_the_same_name_is_moved_aside(course):
    instructor, repo, clone = course
    extra = "10_extra.ipynb"
    shutil.copy2(instructor / "notebooks" / NOTEBOOK, instructor / "notebooks" / extra)
    (clone / "notebooks" / extra).write_text('{"mine": true}')
    publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install")
    assert result.returncode == 0, result.stderr
    assert load(clone / "notebooks" / extra) == load(repo / "notebooks" / extra)
    assert load(clone / "notebooks" / "10_extra.mine.ipynb") == {"mine": True}
    assert "10_extra.mine.ipynb" in result.stdout


def test_a_package_file_you_changed_is_merged_or_saved_beside_the_course_version(course):
    instructor, repo, clone = course
    module = "bpcourse/exercises/backpropagation.py"
    text = (clone / module).read_text()
    (clone / module).write_text("# my note at the top\n" + text)  # far from the fix: merged
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install")
    merged = (clone / module).read_text()
    assert merged.startswith("# my note at the top\n") and "CHECK_FIX" in merged, result.stdout
    # Now an overlapping change: the course's version wins, yours is saved as .mine
    (clone / module).write_text(merged.replace('"a fixed check"', '"my own"'))
    (instructor / module).write_text(
        (instructor / module).read_text().replace('"a fixed check"', '"fixed twice"')
    )
    publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install")
    assert '"fixed twice"' in (clone / module).read_text()
    assert '"my own"' in (clone / (module + ".mine")).read_text()
    assert f"{module}.mine" in result.stdout


def test_update_needs_git_and_changes_nothing_without_it(course):
    _, _, clone = course
    env = {"PATH": str(Path(sys.executable).parent)}  # python, but no git
    result = run_update(clone, "--no-install", env=env)
    assert result.returncode == 1 and "git was not found" in result.stderr
    assert "Nothing was changed" in result.stderr


def test_update_says_where_to_run_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bpcourse", "update", "--repo", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "not inside a copy of the course" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "bpcourse", "update", "--repo", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "instructor's checkout" in result.stderr


def test_update_from_another_clone(course, tmp_path):
    instructor, repo, clone = course
    git(clone, "remote", "remove", "origin")
    result = run_update(clone, "--no-install")
    assert result.returncode == 1 and "--from" in result.stderr
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    new = publish(instructor, repo, quiet=True)
    result = run_update(clone, "--no-install", "--from", str(repo))
    assert result.returncode == 0, result.stderr
    assert git(clone, "rev-parse", "HEAD") == new


# ---------------------------------------------------------------------------- the package
def test_pip_installs_with_user_only_where_the_environment_is_not_yours(monkeypatch, tmp_path):
    monkeypatch.delenv("PIP_USER", raising=False)
    monkeypatch.setattr(up.site, "ENABLE_USER_SITE", True)
    monkeypatch.setattr(up.site, "getusersitepackages", lambda: str(tmp_path / "user"))
    found = {"location": str(tmp_path / "env" / "bpcourse")}
    monkeypatch.setattr(up, "_writable", lambda folder: True)
    assert "--user" not in up.pip_command(tmp_path, found)  # your own conda env or Python
    monkeypatch.setattr(up, "_writable", lambda folder: False)
    assert "--user" in up.pip_command(tmp_path, found)  # a shared hub's environment
    monkeypatch.setattr(up, "_writable", lambda folder: True)
    assert "--user" in up.pip_command(tmp_path, {"location": str(tmp_path / "user/bpcourse")})
    monkeypatch.setattr(up.site, "ENABLE_USER_SITE", False)  # a virtual environment
    assert "--user" not in up.pip_command(tmp_path, {"location": str(tmp_path / "user/x")})
    assert up.pip_command(tmp_path, found)[-1] == str(tmp_path)


@pytest.fixture
def fresh_venv(tmp_path):
    """A new virtual environment that sees this environment's packages (numpy, nbformat) but
    not its bpcourse: a .pth file names this site-packages, whose own .pth files (the
    editable install of the instructor's checkout) are then not read."""
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")][0]
    (Path(purelib) / "course-deps.pth").write_text(here + "\n")
    return python


def test_update_installs_the_new_package_where_python_imports_it(course, fresh_venv):
    instructor, repo, clone = course
    assert up.imported_package(fresh_venv) is None
    fix_course(instructor, roles(load(repo / "notebooks" / NOTEBOOK)))
    publish(instructor, repo, quiet=True)
    result = run_update(clone, python=fresh_venv)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "package: bpcourse installed from your copy" in result.stdout
    assert "Restart running kernels" in result.stdout
    current, found = up.package_is_current(clone, fresh_venv)
    assert current and "site-packages" in found["location"]
    assert not Path(found["location"]).is_relative_to(clone), "a normal install, not editable"
    probe = subprocess.run(
        [fresh_venv, "-c", "import bpcourse.exercises.backpropagation as m; print(m.CHECK_FIX)"],
        cwd=clone / "notebooks",
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == "a fixed check", probe.stderr
    assert not (clone / "build").exists() and git(clone, "status", "--porcelain") == ""
    again = run_update(clone, python=fresh_venv)
    assert "package: bpcourse is up to date" in again.stdout
