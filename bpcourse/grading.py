"""Grade a folder of submitted notebooks with the course's own checks.

    python -m bpcourse grade SUBMISSIONS [--out grades] [--notebooks notebooks]
    make grade SUBMISSIONS=DIR

SUBMISSIONS is laid out as nbgrader's ``collect`` leaves it,
``SUBMISSIONS/<student>/<assignment>/NN_topic.ipynb`` (the assignment folder named after the
notebook or anything else), or flat, ``SUBMISSIONS/<student>/NN_topic.ipynb``. For every
submitted notebook that has exercises:

1. **Run, apart.** The notebook runs in a process of its own (`bpcourse.grading_sandbox`): with
   no network (a network namespace of its own), as the unprivileged user ``nobody`` when the
   grader runs as root, with the submissions, the grades, the instructor notebooks and the
   tests out of its sight (empty folders mounted over them), its own empty /tmp, a limit on
   memory, on the size of the files it writes and on the time it runs (`TIME_LIMIT`). There the
   student's functions are called on each exercise's cases and their results written down as
   plain numbers and arrays.
2. **Judge, here.** Those values are judged in the grader's own process, by the same engine as
   the notebook's check cells (`bpcourse.exercises.engine.judge`), against references computed
   here: whatever the notebook did to NumPy, the checks or bpcourse inside its process changes
   nothing. An answer that calls the course's own answer for that exercise, seen when it ran
   or named in its source, scores nothing for it, and the feedback says why.
3. **Write** ``OUT/grades.csv`` (one row per student, notebook and exercise: student,
   notebook, exercise, points, max_points, verdict, diagnosis), ``OUT/totals.csv`` (one row per
   student: student, points, max_points, percent: what a learning platform imports) and
   ``OUT/feedback/<student>/NN_topic.html`` (each exercise's verdict in the check's own words;
   never the answer).

Points are declared next to each exercise in the instructor notebook, in the exercise cell's
metadata ``bpcourse.points`` (default 1), and read from there, never from a submission. A
submission that crashes, loops, prints megabytes or deletes files gets the verdicts it earned;
the other submissions are graded as if it were not there (one at a time, each in a fresh
sandbox).
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

TIME_LIMIT = 600  # seconds for one notebook, everything included
MEMORY_LIMIT = 4 << 30  # bytes of address space for the sandbox's process
FILE_LIMIT = 64 << 20  # bytes: the largest file the sandbox may write
RESULT_LIMIT = 32 << 20  # bytes of results read back
NOBODY = 65534
NOTEBOOK_NAME = re.compile(r"^(\d\d)_\w+\.ipynb$")


@dataclass
class Verdict:
    exercise: str  # "4.1"
    name: str  # "layer_backward"
    points: float
    max_points: float
    status: str  # correct, todo, mistake, wrong, error, missing
    diagnosis: str | None
    message: str


@dataclass
class Graded:
    student: str
    notebook: str
    verdicts: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # cells that raised, a time limit, isolation
    seconds: float = 0.0


# ----- what is graded --------------------------------------------------------------------------
def exercises_of(notebook_stem: str):
    """The `Exercise` specs of the notebook ``NN_topic`` (by their numbers' first part)."""
    from bpcourse.exercises import EXERCISES

    number = notebook_stem.split("_")[0].lstrip("0")
    return [ex for ex in EXERCISES.values() if ex.number.split(".")[0] == number]


def declared_points(instructor_notebook: Path) -> dict[str, float]:
    """{function name: points} from the exercise cells' ``bpcourse.points`` (default 1)."""
    nb = json.loads(instructor_notebook.read_text(encoding="utf-8"))
    points = {}
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "BEGIN SOLUTION" not in source:
            continue
        value = cell.get("metadata", {}).get("bpcourse", {}).get("points", 1)
        for name in re.findall(r"^def (\w+)\(", source, re.M):
            points[name] = float(value)
    return points


def submissions(folder: Path) -> list[tuple[str, str, Path]]:
    """(student, notebook stem, path) for every ``NN_topic.ipynb`` one or two folders below a
    student's folder; a checkpoint copy or a hidden folder is never a submission."""
    found = []
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if student_dir.name.startswith("."):
            continue
        for path in sorted(student_dir.glob("*.ipynb")) + sorted(student_dir.glob("*/*.ipynb")):
            if any(part.startswith(".") for part in path.relative_to(student_dir).parts):
                continue
            if NOTEBOOK_NAME.match(path.name):
                found.append((student_dir.name, path.stem, path))
    return found


# ----- running a submission apart --------------------------------------------------------------
def isolation() -> str:
    """'root' (namespaces, the user nobody), 'user' (namespaces as this user) or 'none'."""
    if shutil.which("unshare") is None:
        return "none"
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return "root"
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--net", "--mount", "true"],
        capture_output=True,
        timeout=20,
    )
    return "user" if probe.returncode == 0 else "none"


def _limits():
    import resource

    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _visible_python() -> list[str]:
    """Folders of this Python the sandbox must read although they sit under a hidden one."""
    return sorted({str(Path(p).resolve()) for p in (sys.base_prefix, sys.prefix)})


def sandbox_command(box: Path, hidden: list[Path], argv: list[str], mode: str) -> list[str]:
    """The command that runs `argv` inside the sandbox (see the module docstring)."""
    if mode == "none":
        return argv
    script = ["set -e"]
    temporary = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]  # emptied, writable
    hidden = [h for h in hidden if not any(h != o and h.is_relative_to(o) for o in hidden)]
    hidden = [h for h in hidden if not any(h.is_relative_to(t) for t in temporary)]
    package = str(Path(__file__).resolve().parent)
    covered = [*hidden, *temporary]
    keep = [
        p for p in [*_visible_python(), package] if any(Path(p).is_relative_to(h) for h in covered)
    ]
    # 1. set aside what must stay readable (Python, bpcourse) and the box, before anything is
    # covered; 2. cover the temporary folders and the hidden ones; 3. put the kept ones back
    for index, path in enumerate(keep):
        script += [f"mkdir -p /run/bp-keep{index}", f"mount --bind '{path}' /run/bp-keep{index}"]
    script += [f"mkdir -p /run/bp-box && mount --bind '{box}' /run/bp-box"]
    for tmp in temporary:
        script.append(f"mount -t tmpfs -o mode=1777,size=256m tmpfs {tmp}")
    for path in hidden:
        if path.exists():
            script.append(f"mount -t tmpfs -o mode=755,size=16m tmpfs '{path}'")
    for index, path in enumerate(keep):
        script += [f"mkdir -p '{path}'", f"mount --bind /run/bp-keep{index} '{path}'"]
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)
    if mode == "root":
        drop = f"setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --no-new-privs"
        # not exec'd: the shell stays the namespace's process 1, which the kernel shields from
        # signals, so the notebook's own process can crash and be killed like any other
        script.append(f"cd /run/bp-box && {drop} {quoted}")
        return ["unshare", "--net", "--mount", "--pid", "--fork", "sh", "-c", "\n".join(script)]
    script.append(f"cd /run/bp-box && {quoted}")
    return [
        "unshare",
        "--user",
        "--map-root-user",
        "--net",
        "--mount",
        "--pid",
        "--fork",
        "sh",
        "-c",
        "\n".join(script),
    ]


def run_sandboxed(notebook: Path, numbers: set[str], hidden: list[Path], mode: str):
    """(results dict or None, notes) of running `notebook` in a fresh sandbox."""
    notes = []
    with tempfile.TemporaryDirectory(prefix="bpcourse-grade-") as work:
        box = Path(work) / "box"
        box.mkdir()
        shutil.copy(notebook, box / "submission.ipynb")
        if mode == "root":
            os.chown(box, NOBODY, NOBODY)
            os.chown(box / "submission.ipynb", NOBODY, NOBODY)
            box.chmod(0o700)
        inside = "/run/bp-box" if mode != "none" else str(box)
        argv = [
            sys.executable,
            "-m",
            "bpcourse.grading_sandbox",
            f"{inside}/submission.ipynb",
            f"{inside}/result.json",
            *sorted(numbers),
        ]
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": inside,
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": f"{inside}/.matplotlib",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            "BPCOURSE_CELL_BUDGET": os.environ.get("BPCOURSE_CELL_BUDGET", "60"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
        process = subprocess.Popen(
            sandbox_command(box, hidden, argv, mode),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=_limits,
        )
        try:
            _, err = process.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            notes.append(f"stopped after {TIME_LIMIT} s: the notebook did not finish running")
            err = b""
        result = box / "result.json"
        if not result.is_file() or result.stat().st_size > RESULT_LIMIT:
            tail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
            if process.returncode not in (0, None) and not notes:
                notes.append(
                    "the notebook's process ended before its functions could be called"
                    + (f" ({tail[0][:200]})" if tail else "")
                )
            return None, notes
        try:
            return json.loads(result.read_text(encoding="utf-8")), notes
        except (ValueError, UnicodeDecodeError):
            notes.append("the results of this notebook could not be read")
            return None, notes


# ----- judging, outside the sandbox ------------------------------------------------------------
def decode(value):
    """A value written by the sandbox's `encode`, as plain data (arrays copied, never shared)."""
    from bpcourse.exercises.reading import Opaque

    kind = value.get("k") if isinstance(value, dict) else None
    if value is None or kind == "none":
        return None
    if kind == "bool":
        return bool(value["v"])
    if kind == "int":
        return int(value["v"])
    if kind == "float":
        return float(value["v"])
    if kind == "complex":
        return complex(float(value["v"][0]), float(value["v"][1]))
    if kind == "str":
        return str(value["v"])[:200]
    if kind == "array":
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in "biufc":
            return Opaque(f"an array of {dtype} entries")
        data = base64.b64decode(value["b"])
        count = int(np.prod(value["shape"], dtype=np.int64))
        if len(data) != count * dtype.itemsize:
            return Opaque("an array whose data do not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(value["shape"]).copy()
    if kind in ("list", "tuple"):
        items = [decode(item) for item in value["v"]]
        return items if kind == "list" else tuple(items)
    what = value.get("v") if isinstance(value, dict) else None
    return Opaque(str(what or "something that is not a result")[:200])


def _call(record):
    from bpcourse.exercises.engine import Call

    raised = record.get("raised")
    return Call(
        output=decode(record.get("output", {"k": "none"})),
        todo=bool(record.get("todo")),
        raised=tuple(str(x)[:300] for x in raised[:2]) if raised else None,
        timed_out=bool(record.get("timed_out")),
        exited=bool(record.get("exited")),
        changed=[str(x) for x in record.get("changed", [])],
        returned=[str(x) for x in record.get("returned", [])],
        shares_with=[str(x) for x in record.get("shares_with", [])],
        called=[str(x) for x in record.get("called", [])],
        warnings=[str(x) for x in record.get("warnings", [])],
    )


def names_the_answer(nb: dict, exercise) -> str | None:
    """The course function the student's function names in its source, if it is the answer.

    Looks at every ``def <name>`` of the exercise in the submission: a name imported from
    bpcourse (``from bpcourse.mlp import layer_backward as lb``), an attribute (``mlp.
    layer_backward``, ``net.gradients``) or anything from ``bpcourse.exercises``."""
    answers = {
        f.rpartition(".")[2] if isinstance(f, str) else getattr(f, "__name__", "")
        for f in (exercise.reference, *exercise.forbidden)
    }
    answers.discard("")
    imported, exercise_modules = {}, set()
    trees = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        source = "\n".join(
            line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        trees.append(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bpcourse"):
                for alias in node.names:
                    imported[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("bpcourse.exercises"):
                        exercise_modules.add(alias.asname or alias.name.split(".")[0])
    for tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.FunctionDef) and node.name == exercise.name):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute) and inner.attr in answers:
                    return inner.attr
                if isinstance(inner, ast.Name) and inner.id in imported:
                    module, original = imported[inner.id]
                    if original in answers or module.startswith("bpcourse.exercises"):
                        if not original.startswith("check_"):
                            return original
                if isinstance(inner, ast.Name) and inner.id in exercise_modules:
                    return inner.id
    return None


def judge_submission(stem: str, path: Path, results, notes, points) -> list[Verdict]:
    from bpcourse.exercises.engine import judge

    nb = json.loads(path.read_text(encoding="utf-8"))
    verdicts = []
    for exercise in exercises_of(stem):
        worth = points.get(exercise.name, 1.0)

        def verdict(status, diagnosis, message, exercise=exercise, worth=worth):
            earned = worth if status == "correct" else 0.0
            return Verdict(
                exercise.number, exercise.name, earned, worth, status, diagnosis, message
            )

        record = (results or {}).get("exercises", {}).get(exercise.name)
        if record is None:
            why = notes[0] if notes else "the notebook did not run to this exercise"
            verdicts.append(verdict("error", "not_run", f"not graded: {why}"))
            continue
        if record.get("running"):
            crash = "the notebook's process ended while this exercise's function ran (a crash?)"
            verdicts.append(verdict("error", "crashed", f"not yet: {crash}"))
            continue
        if "calls" not in record:
            missing = f"no function named {exercise.name} is defined in the submitted notebook"
            verdicts.append(verdict("missing", "missing", missing))
            continue
        try:
            calls = [_call(r) for r in record["calls"]]
            status, message, diagnosis, _ = judge(exercise, exercise.cases(), calls)
        except Exception as exc:  # results that do not read as a check's calls: no points
            message = f"not yet: the grader could not read this exercise's results ({exc})"
            verdicts.append(verdict("error", "unreadable", message[:300]))
            continue
        named = names_the_answer(nb, exercise)
        if named and status != "todo":
            status, diagnosis = "mistake", "uses_reference"
            message = (
                f"not yet: your {exercise.name} uses {named}, the course's own answer to this "
                "exercise: no points for it; write the computation yourself"
            )
        verdicts.append(verdict(status, diagnosis, message))
    return verdicts


# ----- the whole folder ------------------------------------------------------------------------
def grade(folder: Path, out: Path, notebooks: Path, progress=print) -> list[Graded]:
    """Grade every submission under `folder`; write the CSVs and feedback into `out`."""
    folder, out, notebooks = folder.resolve(), out.resolve(), notebooks.resolve()
    mode = isolation()
    root = Path(__file__).resolve().parents[1]
    # out of the sandbox's sight: the submissions, the grades, the course's repository (its
    # notebooks, tests and history) and the home folders; Python and bpcourse stay readable
    hidden = [folder, out, notebooks, root, Path("/root"), Path("/home")]
    hidden = [p for p in dict.fromkeys(hidden) if p.exists()]
    if mode != "root":
        progress(
            f"grading without a separate user ({mode} isolation): run as root for the full sandbox"
        )
    graded = []
    for student, stem, path in submissions(folder):
        specs = exercises_of(stem)
        instructor = notebooks / f"{stem}.ipynb"
        if not specs or not instructor.is_file():
            continue
        started = time.monotonic()
        numbers = {stem.split("_")[0].lstrip("0")}
        results, notes = run_sandboxed(path, numbers, hidden, mode)
        for cell in (results or {}).get("cells", [])[:10]:
            notes.append(f"cell {cell['cell']} raised {cell['error']}")
        verdicts = judge_submission(stem, path, results, notes, declared_points(instructor))
        graded.append(Graded(student, stem, verdicts, notes, time.monotonic() - started))
        earned, worth = sum(v.points for v in verdicts), sum(v.max_points for v in verdicts)
        progress(f"{student}/{stem}: {earned:g}/{worth:g} in {graded[-1].seconds:.1f} s")
    write(out, graded)
    return graded


def write(out: Path, graded: list[Graded]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(
            ["student", "notebook", "exercise", "points", "max_points", "verdict", "diagnosis"]
        )
        for g in graded:
            for v in g.verdicts:
                rows.writerow(
                    [
                        g.student,
                        g.notebook,
                        v.exercise,
                        f"{v.points:g}",
                        f"{v.max_points:g}",
                        v.status,
                        v.diagnosis or "",
                    ]
                )
    totals = {}
    for g in graded:
        earned, worth = totals.get(g.student, (0.0, 0.0))
        totals[g.student] = (
            earned + sum(v.points for v in g.verdicts),
            worth + sum(v.max_points for v in g.verdicts),
        )
    with open(out / "totals.csv", "w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["student", "points", "max_points", "percent"])
        for student, (earned, worth) in sorted(totals.items()):
            percent = f"{100 * earned / worth:.1f}" if worth else ""
            rows.writerow([student, f"{earned:g}", f"{worth:g}", percent])
    for g in graded:
        folder = out / "feedback" / g.student
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{g.notebook}.html").write_text(feedback_html(g), encoding="utf-8")


WORDS = {"correct": "correct", "todo": "not done yet", "missing": "missing"}


def feedback_html(g: Graded) -> str:
    earned = sum(v.points for v in g.verdicts)
    worth = sum(v.max_points for v in g.verdicts)
    rows = "".join(
        f"<tr><td>Exercise {html.escape(v.exercise)}<br><code>{html.escape(v.name)}</code></td>"
        f"<td>{v.points:g} / {v.max_points:g}</td>"
        f"<td>{html.escape(WORDS.get(v.status, 'not yet'))}</td>"
        f"<td>{html.escape(v.message.removeprefix('not yet: '))}</td></tr>"
        for v in g.verdicts
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in g.notes)
    notes = f"<h2>While running your notebook</h2><ul>{notes}</ul>" if notes else ""
    title = f"{html.escape(g.notebook)}: feedback for {html.escape(g.student)}"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
        "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.4em .6em;"
        "vertical-align:top;text-align:left}</style></head><body>"
        f"<h1>{title}</h1><p>{earned:g} of {worth:g} points. Each verdict is the check's own, "
        "as your notebook's check cells give it; run them there to try again.</p>"
        "<table><tr><th>exercise</th><th>points</th><th>verdict</th><th>what the check says"
        f"</th></tr>{rows}</table>{notes}</body></html>\n"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bpcourse grade", description=__doc__.splitlines()[0]
    )
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, default=Path("grades"))
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=Path("notebooks"),
        help="the instructor notebooks (points are read from them)",
    )
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"SUBMISSIONS must be a folder of student folders; got {args.submissions}")
    graded = grade(args.submissions, args.out, args.notebooks)
    print(
        f"graded {len(graded)} notebook(s) of {len({g.student for g in graded})} student(s); "
        f"wrote {args.out}/grades.csv, totals.csv and feedback/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
