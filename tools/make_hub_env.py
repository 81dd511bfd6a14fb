"""Build the JupyterHub of tests/browser/test_hub.py in build/hub/ (make browser-deps runs it).

- ``build/hub/python``: a Python installation of its own, made by copying this Python's
  interpreter and standard library (not its site-packages), with requirements.lock and
  deploy/hub-requirements.txt installed into it. It is deliberately not a virtual
  environment: on The Littlest JupyterHub and in a repo2docker image the users' environment is
  a conda installation, where each user's ``~/.local`` site-packages comes before the shared
  one, so ``pip install --user`` (what ``python -m bpcourse update`` does there) gives one
  student a newer package without touching the others'. In a virtual environment the shared
  site-packages comes first and pip refuses such an install.
- ``build/hub/proxy``: configurable-http-proxy from the npm registry.

Everything is downloaded here, once; the test downloads nothing. Usage:
python tools/make_hub_env.py [build/hub]
"""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROXY_VERSION = "5.3.0"  # configurable-http-proxy, as JupyterHub 6.1's documentation uses


def copy_python(target: Path):
    """Copy this Python's interpreter and standard library to `target` (a new prefix)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys.base_prefix)
    stdlib = Path(sysconfig.get_paths()["stdlib"])  # always the base installation's
    (target / "bin").mkdir(parents=True)
    executable = Path(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)
    shutil.copy2(executable.resolve(), target / "bin" / f"python{version}")
    for name in ("python3", "python"):
        (target / "bin" / name).symlink_to(f"python{version}")
    shutil.copytree(
        stdlib,
        target / "lib" / f"python{version}",
        symlinks=True,
        ignore=shutil.ignore_patterns("site-packages", "dist-packages", "test", "__pycache__"),
    )
    (target / "lib" / f"python{version}" / "site-packages").mkdir()
    python = target / "bin" / "python3"
    check = subprocess.run(
        [python, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True
    )
    if check.returncode or Path(check.stdout.strip()) != target.resolve():
        raise SystemExit(
            f"the copy of {base} in {target} does not run as a Python of its own: {check}"
        )
    return python


def main(argv):
    hub = Path(argv[0] if argv else ROOT / "build" / "hub").resolve()
    shutil.rmtree(hub / "python", ignore_errors=True)
    shutil.rmtree(hub / "proxy", ignore_errors=True)
    python = copy_python(hub / "python")
    run = lambda *args: subprocess.run(args, check=True)  # noqa: E731
    run(python, "-m", "ensurepip", "--upgrade")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-r", ROOT / "requirements.lock", "-r", ROOT / "deploy" / "hub-requirements.txt",
        "-c", ROOT / "requirements.lock")  # fmt: skip
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: install Node.js and npm (Debian: apt-get install npm)")
    run(npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", hub / "proxy",
        f"configurable-http-proxy@{PROXY_VERSION}")  # fmt: skip
    print(f"hub environment ready in {hub}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
