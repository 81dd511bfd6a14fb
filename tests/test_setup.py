"""The project's set-up: requirements.txt and environment.yml agree; import stays light."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements():
    reqs = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, floor = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*>=\s*([\w.]+)", line).groups()
            reqs[_norm(name)] = floor
    return reqs


def _environment():
    deps = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        line = line.split("#")[0].rstrip()
        m = re.fullmatch(r"\s+-\s+([A-Za-z0-9_.\-]+)\s*>=\s*([\w.]+)", line)
        if m and _norm(m.group(1)) != "python":
            deps[_norm(m.group(1))] = m.group(2)
    return deps


def test_requirements_and_environment_name_the_same_packages_and_floors():
    reqs, env = _requirements(), _environment()
    assert reqs, "requirements.txt lists no package"
    assert reqs == env


def test_core_packages_are_required():
    reqs = _requirements()
    for name in ["jupyterlab", "ipywidgets", "numpy", "matplotlib", "sympy", "nbval", "pytest"]:
        assert name in reqs, f"{name} missing from requirements.txt"
    assert reqs["jupyterlab"].startswith("4") and reqs["ipywidgets"].startswith("8")


def test_import_bpcourse_does_not_import_heavy_libraries():
    code = (
        "import sys, bpcourse; heavy = [m for m in ('matplotlib', 'sympy', 'ipywidgets', "
        "'sklearn', 'IPython') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_submodules_are_reachable_as_attributes():
    import bpcourse

    for name in ["autodiff", "descent", "logistic", "approximation", "datasets"]:
        assert getattr(bpcourse, name).__name__ == f"bpcourse.{name}"


def test_every_way_in_installs_the_course_lab_settings():
    """make setup, Binder's postBuild and the conda instructions all run `setup-lab`."""
    assert "-m bpcourse setup-lab" in (ROOT / "Makefile").read_text()
    post_build = ROOT / "postBuild"
    assert "python -m bpcourse setup-lab" in post_build.read_text()
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable for Binder"
    assert "python -m bpcourse setup-lab" in (ROOT / "environment.yml").read_text()
    assert not (ROOT / "binder").exists(), "a binder/ folder makes Binder ignore environment.yml"
