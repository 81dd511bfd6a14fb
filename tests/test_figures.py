"""figures/ is reproducible, and only `make figures` writes it (issue 10).

Regenerating figures/ from the notebooks gives the committed images (CI fails on a stale
figure); running a notebook anywhere else writes no file into the repository.
"""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tools import make_figures

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = sorted((ROOT / "figures").glob("*.png"))
# Run in a clean copy of the working tree: a quick notebook that calls save_figure.
CLEAN_RUN_NOTEBOOK = "01_chain_rule.ipynb"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    target = tmp_path_factory.mktemp("figures")
    make_figures.regenerate(target)
    return target


def test_every_committed_figure_is_regenerated_and_no_other(regenerated):
    assert COMMITTED, "figures/ is empty"
    assert sorted(p.name for p in regenerated.glob("*.png")) == [p.name for p in COMMITTED]


@pytest.mark.parametrize("committed", COMMITTED, ids=lambda p: p.stem)
def test_regenerated_figure_matches_the_committed_one(regenerated, committed):
    import matplotlib.image

    new = regenerated / committed.name
    if new.read_bytes() == committed.read_bytes():
        return
    # Not byte-identical (another FreeType or libpng): the pixels must still agree closely.
    a, b = matplotlib.image.imread(committed), matplotlib.image.imread(new)
    assert a.shape == b.shape, f"{committed.name}: size {a.shape} became {b.shape}"
    assert np.mean(np.abs(a - b)) < 2e-3, f"{committed.name} changed: run `make figures`"


def test_save_figure_writes_reproducible_pngs(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from bpcourse.plotting import save_figure

    monkeypatch.setenv("BPCOURSE_FIGURES_DIR", str(tmp_path))
    paths = []
    for name in ("a", "b"):
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1], [1, 0])
        paths.append(save_figure(fig, name))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert b"Software" not in paths[0].read_bytes() and b"Date" not in paths[0].read_bytes()
    with pytest.raises(ValueError, match="bare file name"):
        save_figure(fig, "../escape")


def test_save_figure_without_a_figures_folder_writes_nothing(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from bpcourse import plotting

    monkeypatch.delenv("BPCOURSE_FIGURES_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    before = sorted((ROOT / "figures").iterdir())
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    assert plotting.figures_dir() is None
    assert plotting.save_figure(fig, "03_activations") is None
    monkeypatch.setenv("BPCOURSE_FIGURES_DIR", "")
    assert plotting.save_figure(fig, "03_activations") is None
    assert list(tmp_path.iterdir()) == [] and sorted((ROOT / "figures").iterdir()) == before


def _git(*args, cwd):
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def _clean_copy(dest):
    """A fresh repository holding the working tree's tracked files, committed."""
    for name in _git("ls-files", "-z", cwd=ROOT).split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "clean copy", cwd=dest)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_running_a_notebook_in_a_clean_copy_changes_no_file(tmp_path, monkeypatch):
    """A student's run: their own clone, their matplotlib, no $BPCOURSE_FIGURES_DIR.

    The kernel imports the copy's bpcourse (PYTHONPATH), runs the notebook in the copy's
    notebooks/ folder, and `git status` there must stay clean: no tracked file changed and no
    new file outside what .gitignore covers. The cells around the notebook check that
    save_figure was called and wrote nothing.
    """
    import nbformat
    from nbclient import NotebookClient

    copy = tmp_path / "clone"
    copy.mkdir()
    _clean_copy(copy)
    nb = nbformat.read(copy / "notebooks" / CLEAN_RUN_NOTEBOOK, as_version=4)
    probe = (
        "import os, bpcourse, bpcourse.plotting as _plotting\n"
        f"assert os.path.realpath(bpcourse.__file__).startswith({str(copy.resolve())!r})\n"
        "_saved = []\n"
        "_save_figure = _plotting.save_figure\n"
        "def _counting(*args, **kwargs):\n"
        "    _saved.append(_save_figure(*args, **kwargs))\n"
        "    return _saved[-1]\n"
        "_plotting.save_figure = _counting\n"
    )
    nb.cells.insert(0, nbformat.v4.new_code_cell(probe))
    nb.cells.append(
        nbformat.v4.new_code_cell("assert _saved and all(p is None for p in _saved), _saved")
    )
    monkeypatch.setenv("PYTHONPATH", str(copy) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.delenv("BPCOURSE_FIGURES_DIR", raising=False)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(copy / "notebooks")}},
    ).execute()
    status = _git("status", "--porcelain", cwd=copy)
    assert status == "", f"running {CLEAN_RUN_NOTEBOOK} changed the clone:\n{status}"
