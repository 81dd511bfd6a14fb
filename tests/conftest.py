"""Shared test settings: deterministic hypothesis, and the browser tests' skip rule."""

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

# Same examples on every run, so CI cannot fail by luck; no deadline on a loaded 2-core machine.
settings.register_profile(
    "course", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("course")


def pytest_configure(config):
    """Notebooks executed by the tests (nbval, the student edition) save their figures into a
    temporary folder, never over the committed figures/ (tests/test_figures.py compares them)."""
    if "BPCOURSE_FIGURES_DIR" not in os.environ:
        import tempfile

        os.environ["BPCOURSE_FIGURES_DIR"] = tempfile.mkdtemp(prefix="bpcourse-figures-")


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
