"""The project's set-up: requirements.txt, requirements.lock and environment.yml agree, the
tested environment is the locked one, and import stays light."""

import re
import subprocess
import sys
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tools import make_lock

ROOT = Path(__file__).resolve().parent.parent


def _requirements():
    """{canonical name: floor} of requirements.txt, every line being `name>=floor`."""
    reqs = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, floor = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*>=\s*([\w.]+)", line).groups()
            reqs[canonicalize_name(name)] = floor
    return reqs


def test_the_lock_pins_every_requirement_at_or_above_its_floor():
    reqs, lock = _requirements(), make_lock.read_lock()
    assert reqs, "requirements.txt lists no package"
    for name, floor in reqs.items():
        assert name in lock, f"{name} is in requirements.txt but not in requirements.lock"
        assert lock[name] in SpecifierSet(f">={floor}"), f"{name}=={lock[name]} < {floor}"


def test_environment_yml_pins_exactly_the_lock_and_its_python():
    python, pins = make_lock.read_environment()
    assert pins == make_lock.read_lock(), "environment.yml and requirements.lock differ: make lock"
    assert python == make_lock.python_version(), (
        f"environment.yml asks for Python {python}; the lock was made on "
        f"{make_lock.python_version()}"
    )
    text = (ROOT / "environment.yml").read_text()
    conda = text.split("dependencies:")[1].split("- pip:")[0]
    assert re.findall(r"^\s+-\s+(?!python=|pip$)(\S+)", conda, re.M) == [], (
        "only Python and pip come from conda-forge; every other package from the lock, via pip"
    )


def test_the_lock_is_the_closure_of_requirements_txt_in_this_environment():
    """The tests run on exactly the versions a class gets: every locked package is installed
    here at its locked version, and nothing requirements.txt needs here is missing from it."""
    lock = make_lock.read_lock()
    closure = make_lock.installed_closure(make_lock.direct_requirements())
    wrong = {
        name: (version, lock.get(name))
        for name, version in closure.items()
        if lock.get(name) != version
    }
    assert not wrong, (
        "installed here vs requirements.lock: "
        + ", ".join(f"{n} {have} (lock: {want})" for n, (have, want) in sorted(wrong.items()))
        + ". Reinstall from the lock (make setup after touching requirements.lock), or, to move"
        " the class to these versions, make lock."
    )
    extra = set(lock) - set(closure)
    assert not extra, f"locked but not needed by requirements.txt here: {sorted(extra)}"


def test_make_setup_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "requirements.lock" in recipe.splitlines()[0], "the venv's stamp must depend on it"
    assert "-c requirements.lock" in recipe


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
