"""Build or update the student repository: what a class clones, and how a fix reaches it.

    python tools/make_student_repo.py DEST [--source CHECKOUT]      (make student-repo DEST=...)

writes into the git repository DEST (created on the first run) and commits:

- ``notebooks/``: the student edition of the instructor's notebooks (tools/make_student.py:
  no solutions, no outputs, no execution time stamps, cell ids kept), never the notebooks
  themselves;
- ``bpcourse/`` and a ``pyproject.toml`` with only the package's sections: the package,
  installed as a normal package (``pip install --no-deps .``);
- ``requirements.lock`` and an ``environment.yml`` pinned to the same versions;
- ``postBuild`` (Binder, repo2docker: installs the package and JupyterLab's settings),
  ``jupyter/lab/settings/overrides.d/bpcourse.json`` (``python -m bpcourse setup-lab``),
  a README for students (tools/student_repo/README.md), a Makefile, a .gitignore.

Run it again on the same DEST to publish a fix: it rewrites the files, removes those that are
no longer produced, and adds one commit with what changed (nothing when nothing did). The
edition is deterministic, so fixing one cell changes one cell. Students then run
``python -m bpcourse update`` (bpcourse/update.py). Never delete and re-create DEST during a
term: a student's copy finds its place in the course's history, which must go on.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.make_lock import environment_text, read_environment, read_lock  # noqa: E402
from tools.make_student import write_edition  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "student_repo"
SETTINGS = Path("jupyter/lab/settings/overrides.d/bpcourse.json")
# Sections of the instructor's pyproject.toml that make the package; the rest (pytest, ruff)
# is for the instructor's tests.
PACKAGE_SECTIONS = ("[build-system]", "[project]", "[tool.setuptools.packages.find]")
STUDENT_ENVIRONMENT_HEADER = (
    "# conda env create -f environment.yml && conda activate bpcourse, then in this folder:\n"
    "# python -m pip install --no-deps .   and   python -m bpcourse setup-lab\n"
    "# (Binder and repo2docker build from this file and run postBuild, which does both.)\n"
)
IDENTITY = ["-c", "user.name=bpcourse instructor", "-c", "user.email=bpcourse@localhost"]


def git(cwd, *args, check=True):
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed in {cwd}: {result.stderr.strip()}")
    return result.stdout.strip()


def package_pyproject(text):
    """The package's sections of a pyproject.toml (build system, project, package finding)."""
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("["):
            current = line.strip()
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    kept = ["\n".join(sections[name]).strip() for name in PACKAGE_SECTIONS if name in sections]
    return (
        "# The bpcourse package (written by the instructor's `make student-repo`).\n"
        + "\n\n".join(kept)
        + "\n"
    )


def package_files(source):
    """The package's files that git sees in the instructor's checkout (tracked or new, not
    ignored), or every .py file when `source` is not a git checkout."""
    if (source / ".git").exists():
        listed = git(
            source, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "bpcourse"
        )
        names = sorted({n for n in listed.split("\0") if n and (source / n).is_file()})
        return [Path(n) for n in names]
    return sorted(
        p.relative_to(source)
        for p in (source / "bpcourse").rglob("*.py")
        if "__pycache__" not in p.parts
    )


def stage(source, target):
    """Write every file of the student repository for checkout `source` into `target`."""
    write_edition(source / "notebooks", target / "notebooks", quiet=True)
    for name in package_files(source):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    (target / "pyproject.toml").write_text(
        package_pyproject((source / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    lock = source / "requirements.lock"
    shutil.copyfile(lock, target / "requirements.lock")
    python, _ = read_environment(source / "environment.yml")
    (target / "environment.yml").write_text(
        environment_text(read_lock(lock), python, comment=STUDENT_ENVIRONMENT_HEADER),
        encoding="utf-8",
    )
    (target / SETTINGS).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / SETTINGS, target / SETTINGS)
    for name, to in [
        ("README.md", "README.md"),
        ("Makefile", "Makefile"),
        ("gitignore", ".gitignore"),
        ("postBuild", "postBuild"),
    ]:
        shutil.copyfile(TEMPLATES / name, target / to)
    (target / "postBuild").chmod(0o755)


def files_under(folder):
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def describe(source):
    """Which instructor commit the edition was built from, for the commit message."""
    if not (source / ".git").exists():
        return f"built from {source}"
    head = git(source, "log", "-1", "--format=%h %s", check=False) or "no commit"
    dirty = git(source, "status", "--porcelain", "--", "notebooks", "bpcourse", check=False)
    return f"built from {head}" + (" (with uncommitted changes)" if dirty else "")


def publish(source, dest, message=None, quiet=False):
    """Write the student repository for `source` into git repository `dest` and commit.

    Returns the new commit's id, or None when nothing changed.
    """
    source, dest = Path(source).resolve(), Path(dest).resolve()
    if dest.exists() and any(dest.iterdir()) and not (dest / ".git").exists():
        raise SystemExit(f"{dest} exists and is not a git repository: choose another DEST")
    if (dest / "tools" / "make_student.py").exists():
        raise SystemExit(f"{dest} is an instructor's checkout, not a student repository")
    if not (dest / ".git").exists():
        dest.mkdir(parents=True, exist_ok=True)
        git(dest, "init", "--quiet")
        git(dest, "symbolic-ref", "HEAD", "refs/heads/main")
    elif git(dest, "status", "--porcelain"):
        raise SystemExit(f"{dest} has uncommitted changes; commit or discard them first")

    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp)
        stage(source, staged)
        new_files = files_under(staged)
        tracked = set(filter(None, git(dest, "ls-files", "-z").split("\0")))
        for name in sorted(tracked - new_files):
            (dest / name).unlink(missing_ok=True)
        for name in sorted(new_files):
            target = dest / name
            data = (staged / name).read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            shutil.copymode(staged / name, target)

    git(dest, "add", "--all")
    if not git(dest, "status", "--porcelain"):
        if not quiet:
            print(f"{dest}: nothing changed, nothing to publish")
        return None
    named = git(dest, "config", "user.name", check=False)
    identity = [] if named else IDENTITY
    first = not git(dest, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    subject = message or ("Course edition" if first else "Course update")
    git(dest, *identity, "commit", "--quiet", "-m", subject, "-m", describe(source))
    commit = git(dest, "rev-parse", "HEAD")
    if not quiet:
        stat = git(dest, "show", "--stat", "--format=", "HEAD").splitlines()
        print(f"{dest}: committed {commit[:7]} ({subject}): {stat[-1].strip() if stat else ''}")
        print("students get it with: python -m bpcourse update")
    return commit


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", help="the student repository (a git repository; made if absent)")
    parser.add_argument("--source", default=str(ROOT), help="the instructor's checkout")
    parser.add_argument("-m", "--message", help="the commit's subject (say what you fixed)")
    args = parser.parse_args(argv)
    publish(Path(args.source), Path(args.dest), args.message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
