"""The student edition of each notebook, run once per test session (Restart & Run All).

tests/test_student_edition.py checks that it runs; tests/test_answers_hidden.py reads what it
shows. Running a notebook takes seconds, so each one is run once and the result kept.
"""

import functools
import json
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import make_student

ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=None)
def executed_student_notebook(name: str):
    """(the executed student edition of notebooks/<name>.ipynb as an nbformat node, the number
    of exercises stubbed). Raises CellExecutionError on any uncaught exception."""
    path = ROOT / "notebooks" / f"{name}.ipynb"
    student, count = make_student.student_notebook(
        json.loads(path.read_text(encoding="utf-8")), path.name
    )
    nb = nbformat.from_dict(student)
    with tempfile.TemporaryDirectory() as work:
        old = os.environ.pop("BPCOURSE_FIGURES_DIR", None)  # a run must write no tracked file
        try:
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": work}}
            ).execute()
        finally:
            if old is not None:
                os.environ["BPCOURSE_FIGURES_DIR"] = old
    return nb, count
