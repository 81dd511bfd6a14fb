"""Shared test settings: deterministic hypothesis, a clean-tree guard, the browser skip rule."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# Same examples on every run, so CI cannot fail by luck; no deadline on a loaded 2-core machine.
settings.register_profile(
    "course", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("course")


def pytest_configure(config):
    """Run the notebooks as a student does: `bpcourse.plotting.save_figure` writes nothing
    unless $BPCOURSE_FIGURES_DIR is set, so an exported value is dropped here (tests that want
    figures, like tests/test_figures.py, set it themselves)."""
    os.environ.pop("BPCOURSE_FIGURES_DIR", None)


# ----------------------------------------------------------------- running writes no file
def _tracked_state():
    """{path: blob hash} of the tracked files that differ from HEAD; None outside a checkout."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return None
    try:
        status = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no", "-z"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    entries, paths = status.split("\0"), []
    while entries:
        entry = entries.pop(0)
        if len(entry) > 3:
            paths.append(entry[3:])
            if entry[0] in "RC" and entries:
                entries.pop(0)  # a rename's or copy's source path follows it
    state = {}
    for path in paths:
        full = ROOT / path
        state[path] = (
            subprocess.run(
                [git, "hash-object", "--", path], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            if full.is_file()
            else "deleted"
        )
    return state


def pytest_sessionstart(session):
    session.config._tracked_before = _tracked_state()


def pytest_sessionfinish(session, exitstatus):
    """Fail a run that executed notebooks and changed a tracked file (issue 10): a student's
    run must leave `git status` clean, or their next pull conflicts."""
    before = getattr(session.config, "_tracked_before", None)
    ran_notebooks = any(
        str(getattr(item, "fspath", "")).endswith(".ipynb") or "student_edition" in item.nodeid
        for item in getattr(session, "items", [])
    )
    if before is None or not ran_notebooks:
        return
    after = _tracked_state() or {}
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if not changed:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (
        "running the tests changed tracked files: " + ", ".join(changed) + "\n"
        "Executing a notebook must write no tracked file (figures are written only by "
        "`make figures`). If you edited these files yourself during the run, run again."
    )
    if reporter is not None:
        reporter.write_line(message, red=True, bold=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ----------------------------------------------------------------- browser tests
CHROMIUM = os.environ.get("BPCOURSE_CHROMIUM", "/usr/bin/chromium")


def browser_missing():
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium not found at {CHROMIUM}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed in this environment"
    return None


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"{reason}: run `make test-browser`, which installs both")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
