"""Write the student edition of the notebooks: solutions replaced by stubs, outputs cleared.

In the instructor notebooks every exercise's solution sits inside a function body between
two marker lines (nbgrader's convention)::

    def toy_partials(x, y):
        # BEGIN SOLUTION Exercise 1.2: compute the partials in reverse order
        ...
        # END SOLUTION

Here both markers and everything between them become one line at the same indentation,
``raise NotImplementedError("Exercise 1.2: compute the partials in reverse order")``.
What else the student edition leaves out, folds or clears is decided by one rule for every
edition, `tools/editions.py` (solutions, instructor notes and speaker notes left out, answers
to "predict, then check" questions folded, every output, execution count and time stamp and
the saved widget state dropped). The output is deterministic: the same notebooks give the same
bytes, and a fix to one cell changes only that cell in the edition.
Usage: python tools/make_student.py [SOURCE_DIR [TARGET_DIR]] (notebooks student).
"""

import argparse
import json
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.editions import BEGIN, END, edition, strip_solutions  # noqa: E402

__all__ = ["BEGIN", "END", "strip_solutions", "student_notebook", "write_edition", "main"]


def student_notebook(nb, name="notebook"):
    """Return (student copy of the notebook dict `nb`, number of exercises stubbed)."""
    return edition(nb, "student", name)


def dumps(nb) -> str:
    """The notebook as Jupyter itself saves it (sorted keys, one space of indent, a cell's
    source as a list of lines), so a student's save and a fix both change only what changed."""
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def write_edition(source: Path, target: Path, quiet: bool = False) -> int:
    """Write the student edition of every ``source/NN_*.ipynb`` into ``target``; return the
    number of exercises stubbed."""
    target.mkdir(parents=True, exist_ok=True)
    grand_total = 0
    for path in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        nb, count = student_notebook(json.loads(path.read_text(encoding="utf-8")), path.name)
        (target / path.name).write_text(dumps(nb), encoding="utf-8")
        grand_total += count
        if not quiet:
            print(f"{target / path.name}: {count} exercise(s)")
    return grand_total


def main(argv):
    parser = argparse.ArgumentParser(
        prog="make_student.py",
        description="Write the student edition of the course's notebooks (the instructor "
        "notebooks are not changed).",
    )
    parser.add_argument("source", nargs="?", default="notebooks", help="default: notebooks")
    parser.add_argument("target", nargs="?", default="student", help="default: student")
    args = parser.parse_args(argv)
    source, target = Path(args.source), Path(args.target)
    if not any(source.glob("[0-9][0-9]_*.ipynb")):
        parser.error(f"source {str(source)!r} holds no notebook named NN_topic.ipynb")
    total = write_edition(source, target)
    print(f"student edition: {total} exercises in {target}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
