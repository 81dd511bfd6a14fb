"""The environment doctor: what this Python has, what is wrong, and the command that fixes it.

Run ``python -m bpcourse doctor`` in a terminal, or ``bpcourse.doctor()`` in a notebook's
first cell (it then describes the running kernel). Students paste its output when they ask
for help.
"""

import json
import shutil
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import bpcourse

CHECKOUT = Path(__file__).resolve().parent.parent
# (distribution, needed to run the notebooks); the optional ones are reported, not required.
PACKAGES = [
    ("numpy", True),
    ("matplotlib", True),
    ("sympy", True),
    ("ipywidgets", True),
    ("jupyterlab_widgets", True),
    ("jupyterlab", True),
    ("ipykernel", True),
    ("nbval", True),
    ("pytest", True),
    ("scikit-learn", True),
    ("jupyterlab-rise", False),
]
INSTALL = "python -m pip install -r requirements.txt"

# The course's JupyterLab settings: no "Would you like to get notified about official Jupyter
# news?" question and no update check. JupyterLab reads setting defaults from every
# ``<prefix>/share/jupyter/lab/settings/overrides.d/*.json`` of the environment it runs in, so
# `install_lab_settings` copies the file there (``make setup`` and Binder's postBuild do).
LAB_SETTINGS = CHECKOUT / "jupyter" / "lab" / "settings" / "overrides.d" / "bpcourse.json"
SETUP_LAB = "python -m bpcourse setup-lab"


@dataclass
class Report:
    """What the doctor found: ``lines`` to read, ``problems`` each with its fix."""

    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def __str__(self):
        text = ["bpcourse doctor", *[f"  {line}" for line in self.lines]]
        if self.problems:
            text.append(f"{len(self.problems)} problem(s):")
            text += [f"  - {problem}\n    fix: {fix}" for problem, fix in self.problems]
        else:
            text.append("no problem found")
        return "\n".join(text)

    __repr__ = __str__


def version_of(name):
    """The installed version of distribution `name`, or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _release(version):
    return tuple(int(p) for p in version.split(".")[:3] if p.isdigit())


def widgets_frontend_problem(ipywidgets, frontend, requirement):
    """Say what is wrong between ipywidgets and its JupyterLab front-end, or return None.

    `requirement` is ipywidgets' own pin of jupyterlab_widgets (e.g. "~=3.0.15").
    """
    if ipywidgets is None:
        return None
    if frontend is None:
        return "jupyterlab_widgets (the widget front-end) is missing: widgets show as text"
    if requirement and "~=" in requirement:
        wanted = _release(requirement.split("~=")[1].strip())
        have = _release(frontend)
        if have[: len(wanted) - 1] != wanted[:-1] or have < wanted:
            return (
                f"jupyterlab_widgets {frontend} does not match ipywidgets {ipywidgets} "
                f"(it needs {requirement.strip()}): sliders will not show"
            )
    elif _release(ipywidgets)[:1] == (8,) and _release(frontend)[:1] != (3,):
        return f"jupyterlab_widgets {frontend} does not go with ipywidgets {ipywidgets}"
    return None


def lab_settings_target(prefix=None):
    """Where JupyterLab running from `prefix` (default: this Python's) reads the course's
    setting defaults: ``<prefix>/share/jupyter/lab/settings/overrides.d/bpcourse.json``."""
    base = Path(prefix or sys.prefix)
    return base / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / LAB_SETTINGS.name


def install_lab_settings(prefix=None):
    """Copy the course's JupyterLab settings (news and update checks off) into `prefix`.

    Overwrites only the course's own file in ``overrides.d/``; a user's or an administrator's
    ``overrides.json`` is left alone. Returns the path written.
    """
    if not LAB_SETTINGS.is_file():
        raise FileNotFoundError(
            f"{LAB_SETTINGS} is missing: run this from a checkout of the course "
            "(pip install --no-deps -e .)"
        )
    json.loads(LAB_SETTINGS.read_text(encoding="utf-8"))  # never install a broken file
    target = lab_settings_target(prefix)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LAB_SETTINGS, target)
    return target


def lab_settings_problem(prefix=None):
    """Say why JupyterLab from `prefix` would show the news question, or return None."""
    target = lab_settings_target(prefix)
    if not target.is_file():
        return f"the course's JupyterLab settings are not installed in {target.parent}"
    try:
        installed = json.loads(target.read_text(encoding="utf-8"))
    except ValueError:
        return f"{target} is not valid JSON"
    if LAB_SETTINGS.is_file() and installed != json.loads(LAB_SETTINGS.read_text("utf-8")):
        return f"{target} differs from the course's {LAB_SETTINGS.name}"
    return None


def report(executable=None, prefix=None):
    """Check this environment; return a `Report` (printed, it reads as a short text)."""
    executable = executable or sys.executable
    prefix = Path(prefix or sys.prefix).resolve()
    rep = Report()
    rep.lines.append(f"python {sys.version.split()[0]} at {executable}")
    if sys.version_info < (3, 10):
        rep.problems.append(
            (
                f"Python {sys.version.split()[0]} is too old (3.10+ needed)",
                "install Python 3.10 or newer, then `make lab` again",
            )
        )
    for name, required in PACKAGES:
        v = version_of(name)
        rep.lines.append(f"{name} {v or 'not installed'}")
        if v is None and required:
            rep.problems.append((f"{name} is not installed", INSTALL))
    pin = (
        next(
            (
                r.split(";")[0][len("jupyterlab_widgets") :]
                for r in metadata.requires("ipywidgets") or []
                if r.startswith("jupyterlab_widgets")
            ),
            "",
        )
        if version_of("ipywidgets")
        else ""
    )
    problem = widgets_frontend_problem(
        version_of("ipywidgets"), version_of("jupyterlab_widgets"), pin
    )
    if problem:
        rep.problems.append(
            (
                problem,
                'python -m pip install --upgrade "ipywidgets>=8" '
                "jupyterlab_widgets, then restart JupyterLab and reload the page",
            )
        )
    if version_of("jupyterlab"):
        problem = lab_settings_problem(prefix)
        rep.lines.append(
            "JupyterLab settings: news and update checks off"
            if problem is None
            else "JupyterLab settings: not the course's"
        )
        if problem:
            rep.problems.append(
                (f"{problem}: JupyterLab will ask about Jupyter news on first start", SETUP_LAB)
            )
    venv = (CHECKOUT / ".venv").resolve()
    in_venv = prefix == venv
    rep.lines.append(f"environment {prefix} ({'the project venv' if in_venv else 'not .venv'})")
    if not in_venv and (CHECKOUT / ".venv").exists():
        rep.problems.append(
            (
                "this kernel is not the project's .venv, so its packages may differ",
                "start JupyterLab with `make lab` (or .venv/bin/jupyter lab), or "
                "choose the kernel of .venv",
            )
        )
    source = Path(bpcourse.__file__).resolve().parent
    rep.lines.append(f"bpcourse {bpcourse.__version__} imported from {source}")
    if (CHECKOUT / "pyproject.toml").exists() and source != CHECKOUT / "bpcourse":
        rep.problems.append(
            (
                "bpcourse is imported from elsewhere, not from this checkout",
                "python -m pip install --no-deps -e .   (from the checkout)",
            )
        )
    elif not (CHECKOUT / "pyproject.toml").exists():
        rep.lines.append("bpcourse is installed, not imported from a checkout")
    return rep
