"""Write the student edition of the notebooks: solutions replaced by stubs, outputs cleared.

In the instructor notebooks every exercise's solution sits inside a function body between
two marker lines (nbgrader's convention)::

    def toy_partials(x, y):
        # BEGIN SOLUTION Exercise 1.2: compute the partials in reverse order
        ...
        # END SOLUTION

Here both markers and everything between them become one line at the same indentation,
``raise NotImplementedError("Exercise 1.2: compute the partials in reverse order")``.
Every output, execution count and saved widget state is dropped, so nothing of a solution
is left. Cells tagged ``solution`` (a derivation, a listing or a proof that gives an answer
away; in the instructor edition they come after the exercise's check cell) and ``instructor``
(notes for the instructor) are left out of the student edition altogether.
Usage: python tools/make_student.py [SOURCE_DIR [TARGET_DIR]] (notebooks student).
"""

import json
import re
import sys
from pathlib import Path

BEGIN = re.compile(r"^(?P<indent>\s*)#+\s*BEGIN SOLUTION\b(?P<prompt>.*)$")
END = re.compile(r"^\s*#+\s*END SOLUTION\b")
DEFAULT_PROMPT = "Exercise: replace this line with your code"


def strip_solutions(source, where="cell"):
    """Return (source with each solution replaced by a stub, number of solutions replaced)."""
    out, count, inside = [], 0, False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        begin, end = BEGIN.match(line.rstrip("\n")), END.match(line)
        if begin:
            if inside:
                raise ValueError(f"{where}, line {number}: BEGIN SOLUTION inside a solution")
            inside, count = True, count + 1
            prompt = begin.group("prompt").strip(" :-") or DEFAULT_PROMPT
            out.append(f"{begin.group('indent')}raise NotImplementedError({prompt!r})\n")
        elif end:
            if not inside:
                raise ValueError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "".join(out), count


#: cells with one of these tags are not part of the student edition
DROPPED_TAGS = {"solution", "instructor"}


def student_notebook(nb, name="notebook"):
    """Return (student copy of the notebook dict `nb`, number of exercises stubbed)."""
    nb = json.loads(json.dumps(nb))  # a deep copy
    nb["cells"] = [
        cell
        for cell in nb["cells"]
        if not DROPPED_TAGS & set(cell.get("metadata", {}).get("tags", []))
    ]
    total = 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"], count = strip_solutions(source, f"{name}, cell {i}")
        total += count
        cell["outputs"], cell["execution_count"] = [], None
    nb["metadata"].pop("widgets", None)
    return nb, total


def main(argv):
    source = Path(argv[0] if argv else "notebooks")
    target = Path(argv[1] if len(argv) > 1 else "student")
    target.mkdir(parents=True, exist_ok=True)
    grand_total = 0
    for path in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        nb, count = student_notebook(json.loads(path.read_text(encoding="utf-8")), path.name)
        (target / path.name).write_text(
            json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        grand_total += count
        print(f"{target / path.name}: {count} exercise(s)")
    print(f"student edition: {grand_total} exercises in {target}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
