"""Bring the course's newest edition into your copy of it, keeping your answers and notes.

Run it inside your copy of the course (the folder with ``notebooks/`` and ``bpcourse/``):

    python -m bpcourse update                # from the repository your copy came from
    python -m bpcourse update --from PATH    # from another clone (a folder or a git URL)
    python -m bpcourse update --dry-run      # only say what it would do

or in a notebook cell: ``%run -m bpcourse update``. It needs ``git`` on the PATH; without git it
stops before changing anything and says how to get it.

What it does, in order:

1. **Fetch** the newest edition (a git commit) from the course's repository.
2. **Find your base**: the edition your copy started from, or was last updated to by this
   command. It is the first commit of the course on your copy's first-parent history, so the
   automatic commits and merges nbgitpuller makes do not move it.
3. **Merge every notebook the course changed, cell by cell**, matching cells by their ``id``.
   A cell is *yours* when its text (source and type) is not a text the course ever published
   for that cell: your answers and notes. Running a cell changes its outputs, not its text,
   so a cell you only ran is not yours.

   - a cell that is not yours takes the course's newest version (its outputs are kept when
     its text did not change, and cleared when it did);
   - a cell that is yours is kept as it is; if the course also changed that cell since your
     base, the course's new version is inserted right after yours, in a markdown cell marked
     "Course update" and tagged ``bpcourse-update-conflict``, and the report names it;
   - new cells of the course are inserted where the course puts them; a cell the course
     removed goes, unless it is yours; your own new cells stay after the cell they followed;
   - a cell you deleted stays deleted, unless the course changed it since your base: then
     it comes back and the report says so;
   - a notebook you deleted is not brought back; the report says how to get it back.

4. **Other files** (the ``bpcourse`` package, the README, ...): a file you did not change
   takes the course's version; a file you changed is merged line by line with ``git
   merge-file``, and if your changes and the course's overlap, the course's version wins and
   yours is saved beside it as ``<name>.mine`` (the report says where).
5. **Write everything at once**: every new file is first written under
   ``.git/bpcourse-update/`` with a plan of what goes where, then moved into place; an update
   that is interrupted is finished by the next ``python -m bpcourse update``. Before anything
   moves, the state of your files is saved as a git commit in ``refs/bpcourse/before-update``
   (see "Getting something back" below). Then your copy's ``HEAD`` moves to the new edition
   (``git reset --mixed``: your files are not touched; ``git status`` shows what is yours).
6. **Install the package** from your copy when the ``bpcourse`` that Python imports differs
   from your copy's ``bpcourse/``: the update makes a wheel of it with the standard library
   (no build tool, no network) and installs that with pip, with ``--user`` when the
   environment is not yours to change (a shared JupyterHub's). A running kernel keeps the
   package it imported: restart it (Kernel > Restart Kernel) to use the new one.

Getting something back: ``git show refs/bpcourse/before-update:notebooks/04_backpropagation.ipynb
> before.ipynb`` gives a notebook as it was just before the last update.

If a notebook the update changed is open in JupyterLab, reload it (File > Reload Notebook from
Disk); if JupyterLab says "File Changed", choose "Revert", not "Overwrite".
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

CONFLICT_TAG = "bpcourse-update-conflict"
BACKUP_REF = "refs/bpcourse/before-update"
WORK_DIR = "bpcourse-update"  # inside .git/
PLAN = "plan.json"
MINE = "mine"  # a file of yours that the course's version replaced is saved as <name>.mine
COURSE = "course"  # a notebook that cannot be merged gets the course's version beside it
GIT_HELP = (
    "git was not found. The update needs git: on Windows install Git for Windows "
    "(https://git-scm.com/download/win) and open a new terminal; on macOS run "
    "`xcode-select --install`; on Linux install the `git` package; on a JupyterHub, ask the "
    "hub's administrator. Nothing was changed."
)
# Who the backup commit is by (so that it also works where git knows no name for you).
IDENTITY = {
    "GIT_AUTHOR_NAME": "bpcourse update",
    "GIT_AUTHOR_EMAIL": "bpcourse-update@localhost",
    "GIT_COMMITTER_NAME": "bpcourse update",
    "GIT_COMMITTER_EMAIL": "bpcourse-update@localhost",
}


class UpdateError(Exception):
    """The update cannot go on; the message says why and what to do. Nothing was changed,
    unless the message says otherwise."""


# ---------------------------------------------------------------------------- git
class Git:
    """Runs git in one repository and returns what it printed."""

    def __init__(self, repo: Path):
        self.repo = Path(repo)
        self.exe = shutil.which("git")
        if self.exe is None:
            raise UpdateError(GIT_HELP)

    def run(self, *args, check=True, env=None, binary=False):
        result = subprocess.run(
            [self.exe, "-c", "core.quotepath=off", *args],
            cwd=self.repo,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C", **(env or {})},
        )
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise UpdateError(f"`git {' '.join(args)}` failed: {message}")
        return result.stdout if binary else result.stdout.decode("utf-8", "replace").strip()

    def ok(self, *args):
        """True when git exits with status 0."""
        return subprocess.run([self.exe, *args], cwd=self.repo, capture_output=True).returncode == 0

    def blob(self, commit, path):
        """The bytes of `path` at `commit`, or None when it is not there."""
        if not self.ok("cat-file", "-e", f"{commit}:{path}"):
            return None
        return self.run("cat-file", "blob", f"{commit}:{path}", binary=True)

    def blob_id(self, commit, path):
        out = self.run("rev-parse", "--verify", "--quiet", f"{commit}:{path}", check=False)
        return out or None

    def mode(self, commit, path):
        """The git file mode of `path` at `commit` ("100644", "100755", ...)."""
        out = self.run("ls-tree", commit, "--", path)
        return out.split()[0] if out else "100644"

    def commits_touching(self, base, new, path):
        """The commits after `base` up to `new` that changed `path`, newest first."""
        out = self.run("rev-list", f"{base}..{new}", "--", path)
        return out.split()

    def working_blob_id(self, path):
        """The blob id your file would have if added (git's filters applied)."""
        return self.run("hash-object", "--", path)


def find_repository(start=None) -> Path:
    """The top folder of the copy of the course that contains `start` (default: here)."""
    start = Path(start or Path.cwd()).expanduser().resolve()
    if not start.exists():
        raise UpdateError(f"{start} does not exist")
    git = Git(start if start.is_dir() else start.parent)
    top = git.run("rev-parse", "--show-toplevel", check=False)
    if not top:
        raise UpdateError(
            f"{start} is not inside a copy of the course (a git repository). Go to your copy "
            "(in a terminal: cd ~/bpcourse-student, or where you cloned it) or pass --repo."
        )
    repo = Path(top)
    if not (repo / "bpcourse" / "__init__.py").is_file() or not (repo / "notebooks").is_dir():
        raise UpdateError(f"{repo} has no bpcourse/ and notebooks/: it is not the course.")
    if (repo / "tools" / "make_student.py").is_file():
        raise UpdateError(
            f"{repo} is the instructor's checkout; `update` is for a student's copy "
            "(made with `make student-repo`)."
        )
    return repo


def fetch(git: Git, source=None):
    """Fetch the newest edition; return (its commit, where it came from)."""
    if source is None:
        upstream = git.run(
            "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", check=False
        )
        if upstream and "/" in upstream:
            remote, branch = upstream.split("/", 1)
        elif git.run("remote", check=False).split().count("origin"):
            remote, branch = "origin", "HEAD"
        else:
            raise UpdateError(
                "this copy does not say where the course comes from (no remote 'origin'): "
                "pass --from PATH_OR_URL"
            )
        where = git.run("remote", "get-url", remote, check=False) or remote
    else:
        path = Path(source).expanduser()
        remote = str(path.resolve()) if path.exists() else source
        branch, where = "HEAD", source
    try:
        git.run("fetch", "--quiet", "--no-tags", remote, branch)
    except UpdateError as error:
        raise UpdateError(
            f"could not fetch the course from {where}: {error}. Nothing was changed."
        ) from None
    return git.run("rev-parse", "FETCH_HEAD^{commit}"), where


def find_base(git: Git, new: str):
    """The first commit on HEAD's first-parent history that is part of the course's history
    (an ancestor of `new`): the edition this copy started from or was last updated to."""
    course = set(git.run("rev-list", new).split())
    for commit in git.run("rev-list", "--first-parent", "HEAD").split():
        if commit in course:
            return commit
    return None


# ---------------------------------------------------------------------------- notebooks
def _source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def cell_text(cell):
    """What makes a cell's text: its type and its source (not its outputs or metadata)."""
    return (cell.get("cell_type"), _source(cell))


def _merge_dict(base, theirs, new):
    """Three-way merge of two metadata dicts, key by key: a key the course changed (since
    `base`) takes the course's value; every other key keeps yours."""
    merged = dict(theirs)
    for key in set(base) | set(new):
        if base.get(key) != new.get(key):
            if key in new:
                merged[key] = copy.deepcopy(new[key])
            else:
                merged.pop(key, None)
    return merged


@dataclass
class NotebookReport:
    """What a merge did to one notebook, as counts and sentences."""

    updated: int = 0  # cells that took the course's new text
    added: int = 0  # new cells of the course
    removed: int = 0  # cells the course removed
    kept: int = 0  # your cells (answers, notes), kept as they are
    conflicts: list = field(default_factory=list)  # sentences, one per conflict
    notes: list = field(default_factory=list)  # other things worth saying

    @property
    def changed(self):
        return bool(self.updated or self.added or self.removed or self.conflicts or self.notes)

    def summary(self):
        parts = []
        for count, what in [
            (self.updated, "updated"),
            (self.added, "added"),
            (self.removed, "removed"),
        ]:
            if count:
                parts.append(f"{count} cell{'s' * (count != 1)} {what}")
        if self.kept:
            parts.append(f"{self.kept} cell{'s' * (self.kept != 1)} of yours kept")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflict{'s' * (len(self.conflicts) != 1)}")
        return ", ".join(parts) or "nothing to change"


def _first_line(cell, width=50):
    for line in _source(cell).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[: width - 3] + "..."
    return "(empty)"


def _fence(text):
    """A code fence longer than any run of backticks in `text`."""
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def conflict_cell(new_cell, label, new_id):
    """A markdown cell that shows the course's new version of a cell you had edited."""
    kind = "text" if new_cell["cell_type"] == "markdown" else "code"
    banner = (
        f"**Course update ({label}):** the course changed the {kind} cell above, which you had "
        "edited. Yours is kept above, unchanged"
        + (" (it runs as before)" if kind == "code" else "")
        + "; the course's new version is below. Take what you need from it, then delete this "
        "cell."
    )
    text = _source(new_cell)
    if kind == "text":
        body = "\n\n---\n\n" + text
    else:
        fence = _fence(text)
        body = f"\n\n{fence}python\n{text}\n{fence}"
    return {
        "cell_type": "markdown",
        "id": new_id,
        "metadata": {"tags": [CONFLICT_TAG]},
        "source": banner + body,
    }


def _unique_id(wanted, taken):
    base = "".join(c if c.isalnum() or c in "-_" else "-" for c in wanted)[:56] or "cell"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def merge_notebook(base, theirs, new, editions=None, label="new edition"):
    """Merge the course's `new` notebook into yours (`theirs`), given the `base` edition yours
    came from. Return (merged notebook dict, NotebookReport).

    `base`, `theirs`, `new` are notebook dicts (nbformat 4.5, cells with ids); `base` may be
    None (the course added this notebook). `editions` maps a cell id to the set of
    ``cell_text`` values the course published for it (at least those of `base` and `new`); a
    cell of yours whose text is among them is not yours (you did not write it).
    """
    base_cells = {c["id"]: c for c in (base or {}).get("cells", [])}
    new_cells = [c for c in new.get("cells", [])]
    new_by_id = {c["id"]: c for c in new_cells}
    published = {}
    for source in (base_cells, new_by_id):
        for cid, cell in source.items():
            published.setdefault(cid, set()).add(cell_text(cell))
    for cid, texts in (editions or {}).items():
        published.setdefault(cid, set()).update(texts)

    # Your cells by id; a repeated id (a pasted copy) counts as a new cell of yours.
    theirs_cells, seen = [], set()
    for cell in theirs.get("cells", []):
        cell = copy.deepcopy(cell)
        cid = cell.get("id")
        if not cid or cid in seen:
            cell["id"] = None
        else:
            seen.add(cid)
        theirs_cells.append(cell)
    theirs_by_id = {c["id"]: c for c in theirs_cells if c["id"]}

    def is_yours(cell):
        return cell["id"] is None or cell_text(cell) not in published.get(cell["id"], set())

    report = NotebookReport()
    taken = {c["id"] for c in theirs_cells if c["id"]} | set(new_by_id)
    groups, group_of = [], {}  # [(id, [cells])] in the course's order

    for n in new_cells:
        cid, t, b = n["id"], theirs_by_id.get(n["id"]), base_cells.get(n["id"])
        b_meta = b.get("metadata", {}) if b else {}
        if t is None:
            if b is not None and cell_text(n) == cell_text(b) and n.get("metadata") == b_meta:
                continue  # you deleted it and the course did not change it: stays deleted
            cell = copy.deepcopy(n)
            if b is not None:
                report.notes.append(
                    f"cell '{_first_line(n)}' came back: you had deleted it, and the course "
                    "changed it"
                )
            report.added += b is None
            group = [cell]
        elif is_yours(t):
            report.kept += 1
            cell = copy.deepcopy(t)
            cell["metadata"] = _merge_dict(b_meta, t.get("metadata", {}), n.get("metadata", {}))
            group = [cell]
            course_changed = b is None or cell_text(n) != cell_text(b)
            if cell_text(n) != cell_text(t) and course_changed:
                copy_id = _unique_id(f"{cid}-course", taken)
                group.append(conflict_cell(n, label, copy_id))
                report.conflicts.append(
                    f"cell '{_first_line(t)}': you had edited it and the course changed it; "
                    "yours is kept, the course's version is in the cell after it"
                )
        else:
            cell = copy.deepcopy(n)
            cell["metadata"] = _merge_dict(b_meta, t.get("metadata", {}), n.get("metadata", {}))
            if cell["cell_type"] == "code":
                same = cell_text(t) == cell_text(n)
                cell["outputs"] = copy.deepcopy(t.get("outputs", [])) if same else []
                cell["execution_count"] = t.get("execution_count") if same else None
            if cell_text(t) != cell_text(n):
                report.updated += 1
            group = [cell]
        group_of[cid] = len(groups)
        groups.append((cid, group))

    # Your cells the course does not have (your own, or course cells it removed), placed
    # after the cell they followed in your notebook.
    after = {}  # group id (None: the top) -> your cells placed after it
    anchor = None
    for t in theirs_cells:
        if t["id"] in group_of:
            anchor = t["id"]
            continue
        was_course_cell = t["id"] is not None and t["id"] in published
        if was_course_cell and not is_yours(t):
            report.removed += 1  # the course removed it, and it was not yours
            continue
        report.kept += 1
        if was_course_cell:
            report.notes.append(
                f"cell '{_first_line(t)}' kept: the course removed it, but you had edited it"
            )
        if t["id"] is None:
            t["id"] = _unique_id(uuid.uuid4().hex[:8], taken)
        after.setdefault(anchor, []).append(t)

    cells = list(after.get(None, []))
    for cid, group in groups:
        cells += group + after.get(cid, [])

    merged = copy.deepcopy(theirs)
    merged["cells"] = cells
    merged["metadata"] = _merge_dict(
        (base or {}).get("metadata", {}), theirs.get("metadata", {}), new.get("metadata", {})
    )
    merged["nbformat"] = new.get("nbformat", 4)
    merged["nbformat_minor"] = max(new.get("nbformat_minor", 5), theirs.get("nbformat_minor", 5))
    return merged, report


def read_notebook(data: bytes):
    """A notebook dict from the bytes of a file, or None when it is not a notebook with cell
    ids (then it cannot be merged cell by cell)."""
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        return None
    if any(not isinstance(c, dict) or "cell_type" not in c for c in nb["cells"]):
        return None
    if nb.get("nbformat_minor", 0) < 5 or any("id" not in c for c in nb["cells"]):
        return None
    for cell in nb["cells"]:
        cell["source"] = _source(cell)
    return nb


def write_notebook(nb) -> bytes:
    """The notebook as Jupyter saves it (nbformat's JSON: sorted keys, one space of indent)."""
    import nbformat  # comes with JupyterLab; imported here so `import bpcourse` stays light

    return (nbformat.writes(nbformat.from_dict(nb)) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    """What the update will do: file actions, then move HEAD to `new`. Every new content is
    already written under the work folder when the plan is saved."""

    new: str
    old_head: str
    actions: list = field(default_factory=list)  # dicts: op, path, tmp / to, mode
    lines: list = field(default_factory=list)  # the report, one line per file


class Updater:
    """One update of one repository: plan, then apply."""

    def __init__(self, repo: Path, git: Git):
        self.repo, self.git = repo, git
        self.work = Path(git.run("rev-parse", "--absolute-git-dir")) / WORK_DIR
        self.files = self.work / "files"
        self.counter = 0

    # -- helpers
    def _stage(self, data: bytes) -> str:
        """Write `data` under the work folder; return its name there."""
        self.counter += 1
        name = f"{self.counter:04d}"
        (self.files / name).write_bytes(data)
        return name

    def _beside(self, path: str, label: str, taken) -> str:
        """A free path next to `path`: name.label.ext, then name.label-2.ext, ..."""
        p = Path(path)
        stem, suffix = (p.stem, p.suffix) if p.suffix == ".ipynb" else (p.name, "")
        number = 1
        while True:
            tail = label if number == 1 else f"{label}-{number}"
            candidate = str(p.with_name(f"{stem}.{tail}{suffix}"))
            if candidate not in taken and not (self.repo / candidate).exists():
                taken.add(candidate)
                return candidate
            number += 1

    def _editions(self, base, new, path):
        """{cell id: set of cell texts} over every edition of notebook `path` from `base` to
        `new`: what the course published, so that a cell holding one of them is not yours."""
        editions = {}
        for commit in [base, *self.git.commits_touching(base, new, path)]:
            data = self.git.blob(commit, path)
            nb = read_notebook(data) if data is not None else None
            for cell in (nb or {}).get("cells", []):
                editions.setdefault(cell["id"], set()).add(cell_text(cell))
        return editions

    def _file_editions(self, base, new, path):
        ids = {
            self.git.blob_id(c, path) for c in [base, *self.git.commits_touching(base, new, path)]
        }
        return ids - {None}

    # -- planning
    def plan(self, base: str, new: str, label: str) -> Plan:
        plan = Plan(new=new, old_head=self.git.run("rev-parse", "HEAD"))
        taken = set()
        listing = self.git.run("diff", "--name-status", "--no-renames", "-z", base, new)
        fields = [f for f in listing.split("\0") if f]
        changes = list(zip(fields[0::2], fields[1::2]))
        for status, path in changes:
            if path.endswith(".ipynb"):
                self._plan_notebook(plan, status[0], path, base, new, label, taken)
            else:
                self._plan_file(plan, status[0], path, base, new, taken)
        if "requirements.lock" in [path for _, path in changes]:
            plan.lines.append(
                "the course now uses other versions of its packages: run "
                "`python -m pip install -r requirements.lock` (on a hub, the administrator "
                "updates the image)"
            )
        return plan

    def _write(self, plan, path, data, new):
        plan.actions.append(
            {
                "op": "write",
                "path": path,
                "tmp": self._stage(data),
                "mode": self.git.mode(new, path),
            }
        )

    def _plan_notebook(self, plan, status, path, base, new, label, taken):
        target = self.repo / path
        new_data = self.git.blob(new, path)
        name = path
        if status == "A" and not target.exists():
            self._write(plan, path, new_data, new)
            plan.lines.append(f"{name}: new notebook")
            return
        if status == "A":
            if read_notebook(target.read_bytes()) == read_notebook(new_data):
                return
            aside = self._beside(path, MINE, taken)
            plan.actions.append({"op": "move", "path": path, "to": aside})
            self._write(plan, path, new_data, new)
            plan.lines.append(
                f"{name}: new notebook of the course; your own file of that name is now {aside}"
            )
            return
        if not target.exists():
            if status == "M":
                plan.lines.append(
                    f"{name}: the course changed it, but you had deleted it, so it stays deleted. "
                    f"To get the newest version: git checkout -- {path}"
                )
            return
        theirs = read_notebook(target.read_bytes())
        base_nb = read_notebook(self.git.blob(base, path))
        new_nb = read_notebook(new_data) if status != "D" else {"cells": [], "metadata": {}}
        if theirs is None or base_nb is None or new_nb is None:
            if status == "D":
                plan.lines.append(f"{name}: the course removed it; yours is kept as it is")
                return
            aside = self._beside(path, COURSE, taken)
            self._write(plan, aside, new_data, new)
            plan.lines.append(
                f"{name}: could not be merged cell by cell (it is not a notebook with cell ids "
                f"any more); yours is kept, the course's new version is in {aside}"
            )
            return
        editions = self._editions(base, new, path)
        merged, report = merge_notebook(base_nb, theirs, new_nb, editions, label)
        if status == "D":
            yours = merged["cells"]  # the course's cells that were not yours are gone
            if not yours:
                plan.actions.append({"op": "delete", "path": path})
                plan.lines.append(f"{name}: removed by the course (you had not written in it)")
            else:
                plan.lines.append(
                    f"{name}: the course removed it; kept, because it has {len(yours)} cell(s) "
                    "of yours"
                )
            return
        if merged == theirs:
            return
        self._write(plan, path, write_notebook(merged), new)
        plan.lines.append(f"{name}: {report.summary()}")
        plan.lines += [f"    - {line}" for line in report.conflicts + report.notes]

    def _plan_file(self, plan, status, path, base, new, taken):
        target = self.repo / path
        new_data = self.git.blob(new, path)
        if status == "A":
            if not target.exists():
                self._write(plan, path, new_data, new)
                plan.lines.append(f"{path}: new file")
            elif target.read_bytes() != new_data:
                aside = self._beside(path, MINE, taken)
                plan.actions.append({"op": "move", "path": path, "to": aside})
                self._write(plan, path, new_data, new)
                plan.lines.append(f"{path}: new file of the course; your own file is now {aside}")
            return
        if not target.exists():
            if status == "M":
                plan.lines.append(
                    f"{path}: the course changed it, but you had deleted it, so it stays "
                    f"deleted. To get it: git checkout -- {path}"
                )
            return
        have = self.git.working_blob_id(path)
        if status == "M" and have == self.git.blob_id(new, path):
            return  # you have the new version already (a click on the course link brought it)
        unchanged = have in self._file_editions(base, new, path)
        if status == "D":
            if unchanged:
                plan.actions.append({"op": "delete", "path": path})
                plan.lines.append(f"{path}: removed by the course")
            else:
                plan.lines.append(f"{path}: the course removed it; kept, because you changed it")
            return
        if unchanged:
            self._write(plan, path, new_data, new)
            plan.lines.append(f"{path}: updated")
            return
        merged = self._merge_text(target.read_bytes(), self.git.blob(base, path), new_data)
        if merged is not None:
            self._write(plan, path, merged, new)
            plan.lines.append(f"{path}: updated; your changes to it merged in")
        else:
            aside = self._beside(path, MINE, taken)
            plan.actions.append({"op": "copy", "path": path, "to": aside})
            self._write(plan, path, new_data, new)
            plan.lines.append(
                f"{path}: your changes and the course's overlap; the course's version is in "
                f"place, yours is saved as {aside}"
            )

    def _merge_text(self, theirs: bytes, base: bytes, new: bytes):
        """git merge-file of three versions; the merged bytes, or None on a conflict."""
        with tempfile.TemporaryDirectory(dir=self.work) as tmp:
            paths = []
            for name, data in [("theirs", theirs), ("base", base), ("new", new)]:
                p = Path(tmp) / name
                p.write_bytes(data)
                paths.append(str(p))
            result = subprocess.run([self.git.exe, "merge-file", "-p", *paths], capture_output=True)
        return result.stdout if result.returncode == 0 else None

    # -- applying
    def save_plan(self, plan: Plan):
        data = {"new": plan.new, "old_head": plan.old_head, "actions": plan.actions}
        tmp = self.work / (PLAN + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, self.work / PLAN)

    def backup(self):
        """Save the state of your tracked files as a commit in refs/bpcourse/before-update."""
        stash = self.git.run("stash", "create", "state before bpcourse update", env=IDENTITY)
        commit = stash or self.git.run("rev-parse", "HEAD")
        self.git.run("update-ref", "--create-reflog", "-m", "bpcourse update", BACKUP_REF, commit)

    def apply(self):
        """Carry out the saved plan (again, if it was interrupted): move, write, delete, then
        move HEAD to the new edition. Each step can be repeated safely."""
        data = json.loads((self.work / PLAN).read_text(encoding="utf-8"))
        for action in data["actions"]:
            path = self.repo / action["path"]
            if action["op"] in ("move", "copy"):
                to = self.repo / action["to"]
                if path.exists() and not to.exists():
                    tmp = to.with_name(to.name + ".bpcourse-tmp")
                    shutil.copy2(path, tmp)
                    os.replace(tmp, to)
                    if action["op"] == "move":
                        path.unlink()
            elif action["op"] == "write":
                staged = self.files / action["tmp"]
                if staged.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.replace(staged, path)
                    except OSError:  # another drive or file system: copy beside, then move
                        tmp = path.with_name(path.name + ".bpcourse-tmp")
                        shutil.copyfile(staged, tmp)
                        os.replace(tmp, path)
                        staged.unlink()
                    if action["mode"] == "100755" and os.name != "nt":
                        path.chmod(path.stat().st_mode | 0o111)
            elif action["op"] == "delete":
                if path.exists():
                    path.unlink()
        self.git.run("reset", "--quiet", "--mixed", data["new"])
        shutil.rmtree(self.work)
        return data


# ---------------------------------------------------------------------------- the package
PACKAGE_PROBE = r"""
import hashlib, importlib.util, json, pathlib, sys
spec = importlib.util.find_spec("bpcourse")
if spec is None or not spec.submodule_search_locations:
    print(json.dumps(None))
    sys.exit()
root = pathlib.Path(list(spec.submodule_search_locations)[0])
files = {}
for p in root.rglob("*"):
    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
        files[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
print(json.dumps({"location": str(root), "files": files}))
"""


def imported_package(python=None):
    """Where `python` imports bpcourse from and the hash of each of its files, as a kernel
    started in a notebook folder would import it; None when it has no bpcourse."""
    with tempfile.TemporaryDirectory() as neutral:  # so that no bpcourse/ is in the cwd
        out = subprocess.run(
            [python or sys.executable, "-c", PACKAGE_PROBE],
            cwd=neutral,
            capture_output=True,
            text=True,
        )
    if out.returncode != 0:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def package_files(repo: Path):
    """{path inside bpcourse/: sha256} of the package in your copy (files git tracks)."""
    git = Git(repo)
    listed = git.run("ls-files", "-z", "--", "bpcourse").split("\0")
    files = {}
    for name in filter(None, listed):
        path = repo / name
        if path.is_file():
            files[name[len("bpcourse/") :]] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def package_is_current(repo: Path, python=None):
    """(True or False, what Python imports): does it import exactly your copy's package?"""
    found = imported_package(python)
    if found is None:
        return False, None
    if Path(found["location"]).resolve() == (repo / "bpcourse").resolve():
        return True, found  # an editable install of this very copy
    return found["files"] == package_files(repo), found


def _writable(folder):
    folder = Path(folder)
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def project_metadata(text):
    """(name, version, requires-python, dependencies) of the [project] table of a
    pyproject.toml's `text`."""
    try:
        import tomllib  # Python 3.11+

        project = tomllib.loads(text)["project"]
    except ImportError:  # Python 3.10: the few plain keys the course's pyproject.toml uses
        import ast
        import re

        table = text.split("[project]", 1)[1].split("\n[", 1)[0]
        project = {}
        for key, value in re.findall(r"^([\w-]+)\s*=\s*(.+)$", table, re.M):
            project[key] = ast.literal_eval(value.strip())
    return (
        project["name"],
        project["version"],
        project.get("requires-python"),
        list(project.get("dependencies", [])),
    )


def build_wheel(repo: Path, folder: Path) -> Path:
    """A wheel of your copy's package, written into `folder` with the standard library only.

    A wheel is a zip file of the package's files plus a ``.dist-info`` folder saying what it
    is (PEP 427). Making it here means the update needs no build tool and no network: pip
    installs it like any wheel (and removes the version installed before).
    """
    import base64
    import zipfile

    name, version, python, dependencies = project_metadata(
        (repo / "pyproject.toml").read_text(encoding="utf-8")
    )
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += f"Requires-Python: {python}\n" if python else ""
    metadata += "".join(f"Requires-Dist: {dep}\n" for dep in dependencies)
    entries = [
        ("bpcourse/" + rel, (repo / "bpcourse" / rel).read_bytes()) for rel in package_files(repo)
    ]
    entries += [
        (f"{info}/METADATA", metadata.encode()),
        (
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: bpcourse update\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        ),
    ]
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel = folder / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            archive.writestr(path, data)
    return wheel


def pip_command(wheel: Path, found):
    """The pip command that installs `wheel` where this Python imports bpcourse from."""
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet"]
    command += ["--force-reinstall", "--disable-pip-version-check"]
    # --user when this Python reads a user site-packages (not a plain virtual environment)
    # and either bpcourse already comes from there or the environment is not yours to change
    # (a shared hub's). PIP_USER=1 in the environment makes pip do it anyway.
    if site.ENABLE_USER_SITE and not os.environ.get("PIP_USER"):
        user_site = Path(site.getusersitepackages()).resolve()
        here = Path(found["location"]).resolve() if found else None
        from_user_site = here is not None and user_site in here.parents
        if from_user_site or not _writable(sysconfig.get_paths()["purelib"]):
            command.append("--user")
    command.append(str(wheel))
    return command


def install_package(repo: Path):
    """Install your copy's package if Python imports another one; return report lines and
    whether all went well."""
    current, found = package_is_current(repo)
    if current:
        return ["package: bpcourse is up to date"], True
    with tempfile.TemporaryDirectory() as folder:
        command = pip_command(build_wheel(repo, Path(folder)), found)
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
        return [
            "package: installing bpcourse failed; your notebooks are updated. Fix what pip "
            f"says, then run `python -m bpcourse update` again.\n    {' '.join(command)}\n"
            + "\n".join(f"    {line}" for line in tail.splitlines())
        ], False
    current, found = package_is_current(repo)
    if not current:
        where = found["location"] if found else "nowhere"
        return [
            f"package: installed, but Python still imports bpcourse from {where}, which is not "
            "your copy's. Remove that copy, or ask for help (run `python -m bpcourse doctor`)."
        ], False
    return [
        f"package: bpcourse installed from your copy into {Path(found['location']).parent}. "
        "Restart running kernels (Kernel > Restart Kernel) to use it."
    ], True


# ---------------------------------------------------------------------------- the command
@dataclass
class Report:
    """What an update did: lines to print; ok is False when something needs your action."""

    lines: list = field(default_factory=list)
    ok: bool = True

    def __str__(self):
        return "\n".join(self.lines)


def _apply(updater):
    """Carry out the saved plan; a file that cannot be written stops it, to be finished by
    the next run."""
    try:
        return updater.apply()
    except OSError as error:
        raise UpdateError(
            f"could not write a file ({error}); is it open in another program? Close it and "
            "run `python -m bpcourse update` again: it finishes this update."
        ) from None


def update(repo=None, source=None, dry_run=False, install=True) -> Report:
    """Bring the newest edition of the course into the copy at `repo` (default: the copy
    that contains the current folder). See the module's docstring for what it keeps."""
    report = Report()
    repo = find_repository(repo)
    git = Git(repo)
    updater = Updater(repo, git)
    if (updater.work / PLAN).is_file():
        if dry_run:
            report.lines.append(
                "an interrupted update is waiting to be finished (run without --dry-run)"
            )
            return report
        data = _apply(updater)
        report.lines.append(
            f"finished an update that had been interrupted: now at {data['new'][:7]}"
        )
        if install:
            lines, ok = install_package(repo)
            report.lines += lines
            report.ok = ok
        return report
    new, where = fetch(git, source)
    base = find_base(git, new)
    if base is None:
        raise UpdateError(
            f"your copy does not come from {where} (no common edition): nothing was changed. "
            "Ask your instructor which repository to use, then pass it with --from."
        )
    label = f"edition {new[:7]}"
    report.lines.append(f"course: {where}")
    if base == new:
        report.lines.append(f"notebooks: already at the newest edition ({new[:7]})")
    else:
        shutil.rmtree(updater.work, ignore_errors=True)
        updater.files.mkdir(parents=True)
        plan = updater.plan(base, new, label)
        report.lines.append(f"from edition {base[:7]} to {new[:7]}:")
        lines = plan.lines or ["nothing to change in your files"]
        report.lines += [f"  {line}" for line in lines]
        if dry_run:
            shutil.rmtree(updater.work, ignore_errors=True)
            report.lines.append("dry run: nothing was changed")
            return report
        updater.save_plan(plan)
        updater.backup()
        _apply(updater)
        changed = [
            a["path"] for a in plan.actions if a["op"] == "write" and a["path"].endswith(".ipynb")
        ]
        if changed:
            report.lines.append(
                "If one of these notebooks is open in JupyterLab, reload it (File > Reload "
                'Notebook from Disk); if JupyterLab says "File Changed", choose "Revert".'
            )
        report.lines.append(
            f"your files as they were before: {BACKUP_REF} (git show {BACKUP_REF}:PATH)"
        )
    if install and not dry_run:
        lines, ok = install_package(repo)
        report.lines += lines
        report.ok = ok
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bpcourse update",
        description="Bring the course's newest edition into your copy, keeping your answers.",
    )
    parser.add_argument("--from", dest="source", help="a clone or git URL of the course")
    parser.add_argument("--repo", help="your copy of the course (default: the one you are in)")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")
    parser.add_argument(
        "--no-install", action="store_true", help="do not install the package afterwards"
    )
    args = parser.parse_args(argv)
    try:
        report = update(args.repo, args.source, args.dry_run, install=not args.no_install)
    except UpdateError as error:
        print(f"update: {error}", file=sys.stderr)
        return 1
    print(report)
    return 0 if report.ok else 1
