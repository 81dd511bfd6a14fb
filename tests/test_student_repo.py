"""The student repository (`make student-repo DEST=...`): what a class clones (issue 21).

It holds the student edition, the package (a normal install), the pinned environment, the
JupyterLab settings and a README for students, never the instructor notebooks; it is a git
repository with one commit per publication; its package installs without a network.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from bpcourse.update import build_wheel, project_metadata
from tools import make_lock
from tools.make_student import write_edition
from tools.make_student_repo import package_pyproject, publish

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_TOP = {
    ".gitignore",
    "Makefile",
    "README.md",
    "bpcourse",
    "environment.yml",
    "jupyter",
    "notebooks",
    "postBuild",
    "pyproject.toml",
    "requirements.lock",
}


def git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A student repository made from this checkout, as `make student-repo` makes it."""
    dest = tmp_path_factory.mktemp("student-repo") / "bpcourse-student"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_student_repo.py"), str(dest)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "committed" in result.stdout
    return dest


def test_it_holds_the_student_edition_the_package_and_the_pinned_environment(repo, tmp_path):
    tracked = set(git(repo, "ls-files").splitlines())
    assert {name.split("/")[0] for name in tracked} == EXPECTED_TOP
    write_edition(ROOT / "notebooks", tmp_path, quiet=True)
    for path in sorted(tmp_path.glob("*.ipynb")):
        assert (repo / "notebooks" / path.name).read_bytes() == path.read_bytes(), path.name
    assert {p.name for p in (repo / "notebooks").iterdir()} == {
        p.name for p in tmp_path.glob("*.ipynb")
    }
    package = {n for n in tracked if n.startswith("bpcourse/")}
    seen = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "bpcourse")
    assert package == {n for n in seen.splitlines() if (ROOT / n).is_file()}
    for name in package:
        assert (repo / name).read_bytes() == (ROOT / name).read_bytes(), name
    assert (repo / "requirements.lock").read_bytes() == (ROOT / "requirements.lock").read_bytes()
    settings = "jupyter/lab/settings/overrides.d/bpcourse.json"
    assert (repo / settings).read_bytes() == (ROOT / settings).read_bytes()
    assert (
        git(repo, "status", "--porcelain") == "" and git(repo, "rev-list", "--count", "HEAD") == "1"
    )


def test_no_solution_and_no_instructor_notebook_is_in_it(repo):
    for path in repo.rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, path
        notebook = json.loads(text)
        for cell in notebook["cells"]:
            assert not cell.get("outputs"), f"{path.name}: a stored output"
            assert "execution" not in cell["metadata"], f"{path.name}: execution time stamps"
        assert "widgets" not in notebook["metadata"], f"{path.name}: saved widget state"
    assert not (repo / "tools").exists() and not (repo / "tests").exists()


def test_its_environment_is_pinned_to_the_lock_and_installs_the_package_normally(repo):
    python, pins = make_lock.read_environment(repo / "environment.yml")
    assert pins == make_lock.read_lock(repo / "requirements.lock") and python
    environment = (repo / "environment.yml").read_text()
    assert "-e ." not in environment, "an editable install breaks on a hub that mounts homes"
    post_build = (repo / "postBuild").read_text()
    assert "pip install --no-deps ." in post_build and "-e" not in post_build.split()
    assert "python -m bpcourse setup-lab" in post_build
    assert os.access(repo / "postBuild", os.X_OK)
    pyproject = (repo / "pyproject.toml").read_text()
    assert "[project]" in pyproject and "[tool.pytest" not in pyproject
    assert (
        project_metadata(pyproject)[:2]
        == project_metadata((ROOT / "pyproject.toml").read_text())[:2]
    )
    readme = (repo / "README.md").read_text()
    for needed in ["python -m bpcourse update", "%run -m bpcourse update", "requirements.lock"]:
        assert needed in readme, f"the student README does not say {needed!r}"


def test_the_package_sections_of_pyproject_are_kept_and_the_rest_dropped():
    text = '[build-system]\nrequires = ["x"]\n\n[project]\nname = "p"\n\n[tool.ruff]\nline = 1\n'
    kept = package_pyproject(text)
    assert '[project]\nname = "p"' in kept and "[tool.ruff]" not in kept


def test_publishing_again_adds_one_commit_with_only_what_changed(repo, tmp_path):
    instructor = tmp_path / "instructor"
    for name in ["notebooks", "bpcourse", "jupyter"]:
        shutil.copytree(
            ROOT / name, instructor / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in ["pyproject.toml", "requirements.lock", "environment.yml"]:
        shutil.copy2(ROOT / name, instructor / name)
    dest = tmp_path / "published"
    git(tmp_path, "clone", "--quiet", str(repo), str(dest))
    assert publish(instructor, dest, quiet=True) is None, "nothing changed, nothing published"
    (instructor / "bpcourse" / "extra_module.py").write_text('"""New."""\n')
    (instructor / "bpcourse" / "notebook.py").unlink()
    commit = publish(instructor, dest, "Fix: a new module", quiet=True)
    assert commit and git(dest, "log", "-1", "--format=%s") == "Fix: a new module"
    changed = git(dest, "show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(changed) == ["A\tbpcourse/extra_module.py", "D\tbpcourse/notebook.py"]


def test_publishing_refuses_a_folder_that_is_not_a_student_repository(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "file.txt").write_text("x")
    with pytest.raises(SystemExit, match="not a git repository"):
        publish(ROOT, tmp_path / "other", quiet=True)
    with pytest.raises(SystemExit, match="instructor's checkout"):
        publish(ROOT, ROOT, quiet=True)


def test_its_package_installs_in_a_fresh_venv_without_a_network(repo, tmp_path):
    """`python -m bpcourse update` installs the package from a wheel it makes itself: no
    build tool and no download; here into a new venv, as a normal (not editable) package."""
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    wheel = build_wheel(repo, tmp_path)
    assert re.fullmatch(r"bpcourse-[\d.]+-py3-none-any\.whl", wheel.name)
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import importlib.metadata as m, json; d = m.distribution('bpcourse'); "
        "print(json.dumps([str(d.locate_file('bpcourse/__init__.py')),"
        " d.read_text('direct_url.json')]))"
    )
    located, direct_url = json.loads(
        subprocess.run(
            [python, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout
    )
    assert Path(located).is_file() and str(target) in located
    assert direct_url is None or '"editable": true' not in direct_url
    assert Path(located).read_bytes() == (repo / "bpcourse" / "__init__.py").read_bytes()
    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert "numpy" in check.stdout, "the wheel's metadata names its dependency (numpy)"
