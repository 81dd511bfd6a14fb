"""Write requirements.lock and pin environment.yml to the versions installed in this Python.

``requirements.txt`` says what the course needs (floors); ``requirements.lock`` says exactly what
a class gets: every package ``requirements.txt`` names and everything those need, at the version
installed in the environment that runs this script (``make lock`` runs it from ``.venv``, after
upgrading it to the newest versions ``requirements.txt`` allows). ``make setup`` installs with
the lock as constraints, so the tests run on exactly these versions; the student repository
(``make student-repo``) ships the lock, and its ``environment.yml`` installs the same list.

Only packages needed on this platform and Python are found (the walk evaluates each
requirement's environment marker here). Packages that only Windows or macOS need (pywinpty,
appnope, colorama, pywin32, ...) are not in the lock; pip chooses them on those systems.

Usage: python tools/make_lock.py [--check]   (--check: exit 1 if the files are out of date)
"""

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
ENVIRONMENT = ROOT / "environment.yml"
# environment.yml: the pinned packages come from PyPI through pip, the very files the lock
# names; conda (conda-forge) provides only Python and pip. See the header below for why.
PIN_BEGIN = "      # BEGIN PINS (written by `make lock` from requirements.lock; do not edit)"
PIN_END = "      # END PINS"


def direct_requirements(path=REQUIREMENTS):
    """The requirements listed in requirements.txt, as `packaging` Requirements."""
    reqs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            reqs.append(Requirement(line))
    return reqs


def installed_closure(roots):
    """{canonical name: installed version} of `roots` and everything they need, here.

    Follows each distribution's ``Requires-Dist`` with its markers evaluated for this Python
    and platform (and for the extras asked for). Raises LookupError naming a package that is
    needed but not installed.
    """
    installed = {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()}
    versions, done = {}, set()
    todo = [(canonicalize_name(r.name), frozenset(r.extras), "requirements.txt") for r in roots]
    while todo:
        name, extras, wanted_by = todo.pop()
        if (name, extras) in done:
            continue
        done.add((name, extras))
        if name not in installed:
            raise LookupError(f"{name} (needed by {wanted_by}) is not installed in {sys.prefix}")
        dist = installed[name]
        versions[name] = dist.version
        environments = [{"extra": ""}] + [{"extra": extra} for extra in sorted(extras)]
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate(env) for env in environments):
                todo.append((canonicalize_name(req.name), frozenset(req.extras), name))
    return versions


def python_version():
    return "{}.{}".format(*sys.version_info[:2])


def python_floor(versions):
    """(lowest Python every locked package accepts, the package that sets it), read from
    each installed distribution's Requires-Python."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    floor, by = Version("3.0"), "nothing"
    for name in versions:
        spec = metadata.metadata(name).get("Requires-Python") or ""
        for item in SpecifierSet(spec.replace(" ", "")):
            if item.operator == ">=" and Version(item.version) > floor:
                floor, by = Version(item.version), f"{name} {versions[name]}"
    return str(floor), by


def lock_text(versions):
    """The text of requirements.lock for {name: version}."""
    floor, by = python_floor(versions)
    tested = "{}.{}.{}".format(*sys.version_info[:3])
    head = f"""\
# requirements.lock: the exact versions a class gets, and the versions the course's tests run on.
# Written by `make lock` (tools/make_lock.py) from the instructor's tested .venv: every package
# requirements.txt names and everything they need, on Python {tested} ({sys.platform}).
# Do not edit by hand: raise a floor in requirements.txt, then `make lock`, then `make test`.
# Install:  python -m pip install -r requirements.lock   then   python -m pip install --no-deps .
# Needs Python {floor} or newer ({by} does); tested on {tested}.
# Packages only Windows or macOS need (pywinpty, appnope, colorama, ...) are not listed:
# pip chooses their versions on those systems.
"""
    return head + "".join(f"{name}=={versions[name]}\n" for name in sorted(versions))


def read_lock(path=LOCK):
    """{canonical name: version} pinned in a lock file."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
            pins[canonicalize_name(name)] = version
    return pins


def environment_text(versions, python, extra_pip=(), comment=None):
    """An environment.yml: conda-forge's Python and pip, then every locked package via pip.

    `extra_pip` lines (e.g. ``-e .``) follow the pins; `comment` replaces the header.
    """
    header = comment or (
        "# conda env create -f environment.yml && conda activate bpcourse   (installs bpcourse\n"
        "# editable too); then, once: python -m bpcourse setup-lab (the course's JupyterLab\n"
        "# settings: no news question). Hubs and Binder use the student repository instead\n"
        "# (make student-repo), which installs the package as a normal package.\n"
    )
    why = (
        "# Pinned: exactly requirements.lock, installed by pip from PyPI: the very files the\n"
        "# course's tests ran on. conda-forge provides only Python and\n"
        "# pip: its builds of the same versions are other builds (another BLAS, other\n"
        "# dependencies), and conda would choose the dependencies' versions itself.\n"
    )
    lines = [
        header + why,
        "name: bpcourse",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
        PIN_BEGIN,
        *[f"      - {name}=={versions[name]}" for name in sorted(versions)],
        PIN_END,
        *[f"      - {line}" for line in extra_pip],
    ]
    return "\n".join(lines) + "\n"


def read_environment(path=ENVIRONMENT):
    """(python pin, {canonical name: version} of the pip pins) of an environment.yml."""
    text = path.read_text(encoding="utf-8")
    python = re.search(r"^\s+-\s+python=(\S+)\s*$", text, re.M)
    pins = {}
    for name, version in re.findall(r"^\s+-\s+([A-Za-z0-9_.\-]+)==(\S+)\s*$", text, re.M):
        pins[canonicalize_name(name)] = version
    return (python.group(1) if python else None), pins


def instructor_environment(versions):
    return environment_text(versions, python_version(), extra_pip=["-e ."])


def main(argv):
    versions = installed_closure(direct_requirements())
    lock, environment = lock_text(versions), instructor_environment(versions)
    if argv == ["--check"]:
        stale = [
            p.name
            for p, text in [(LOCK, lock), (ENVIRONMENT, environment)]
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"out of date with this environment: {', '.join(stale)} (make lock)")
            return 1
        print(f"{LOCK.name} and {ENVIRONMENT.name} match this environment")
        return 0
    if argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    LOCK.write_text(lock, encoding="utf-8")
    ENVIRONMENT.write_text(environment, encoding="utf-8")
    print(f"{LOCK.name}: {len(versions)} packages pinned; {ENVIRONMENT.name} pinned the same")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
