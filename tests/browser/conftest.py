"""Fixtures of the browser tests: JupyterLab servers per session, one Chromium per module.

``lab``, the server of tests/browser/test_jupyterlab.py, runs from the project's venv on a
free loopback port with a random token, on a temporary COPY of ``notebooks/`` (the
repository's stored outputs are never touched), with its own Jupyter config, data, runtime
and settings folders, news and update checks off, and figures redirected to a temporary
folder (``BPCOURSE_FIGURES_DIR``). The copies are marked trusted (``jupyter trust``), as
``make lab`` does, so stored widget outputs render.
``scratch_lab`` serves an empty temporary folder as a student's ``make lab`` would start it:
no news flags and no notification settings of the user, only the course's settings installed
in the venv (tests/browser/test_quiet_start.py, tests/browser/test_verdict_display.py).

Chromium is Debian's (``/usr/bin/chromium``, or ``$BPCOURSE_CHROMIUM``), driven by Playwright
for Python; no browser is downloaded, and every host but 127.0.0.1 is unresolvable.

Screenshots and logs go to ``test-artifacts/browser/`` (git-ignored), or to
``$BPCOURSE_TEST_ARTIFACTS`` when set. ``$BPCOURSE_BROWSER_NOTEBOOKS`` points the tests at
another notebooks folder (used to develop the harness against scratch notebooks).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv that runs pytest also runs JupyterLab
NOTEBOOKS = Path(os.environ.get("BPCOURSE_BROWSER_NOTEBOOKS", ROOT / "notebooks"))
ARTIFACTS = Path(os.environ.get("BPCOURSE_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
CHROMIUM = os.environ.get("BPCOURSE_CHROMIUM", "/usr/bin/chromium")
# CONVENTIONS.md section 6; the resolver rule keeps every request on the loopback interface.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
FRESH = "opened-fresh"  # sub-folder of the served copy with notebooks that are only opened
SERVER_START_TIMEOUT = 90  # seconds; two shared cores can be slow to import JupyterLab

# User settings of the test's JupyterLab: every cell in the DOM (no virtual scrolling), no
# autosave (the "opened fresh" copy must stay as stored), no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A running JupyterLab: its base URL, token, notebook folder and process."""

    def __init__(self, url, token, root_dir, process, log_path):
        self.fresh_dir = root_dir / FRESH
        self.url = url
        self.token = token
        self.root_dir = root_dir
        self.process = process
        self.log_path = log_path

    def api(self, path, method="GET"):
        """Call the REST API with the token; the decoded JSON answer, or None when empty."""
        sep = "&" if "?" in path else "?"
        request = urllib.request.Request(f"{self.url}{path}{sep}token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lab_url(self, name, workspace):
        """URL that opens notebook `name` in a workspace of its own (no restored tabs)."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{name}?token={self.token}"

    def stop_kernels(self):
        """Shut down every session (and its kernel), so idle kernels do not pile up."""
        try:
            for session in self.api("/api/sessions"):
                self.api(f"/api/sessions/{session['id']}", method="DELETE")
        except (OSError, urllib.error.URLError):
            pass

    def log_tail(self, lines=40):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _isolated_env(base, settings=None):
    """Environment of `jupyter trust` and the server: own config, data and settings folders.

    `settings` (default LAB_SETTINGS) are written as the user settings of that JupyterLab.
    """
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
        ("BPCOURSE_FIGURES_DIR", "figures-out"),
    ]:
        folder = base / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    for relative, values in (LAB_SETTINGS if settings is None else settings).items():
        path = base / "lab-settings" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def _stop(process, server=None):
    """Ask the server to shut down (it stops its kernels), then end its process group."""
    if process.poll() is None and server is not None:
        try:
            server.api("/api/shutdown", method="POST")
            process.wait(timeout=15)
        except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="session")
def artifacts():
    """Folder for screenshots and logs of this run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def lab(tmp_path_factory, artifacts):
    """JupyterLab from the venv, serving a trusted temporary copy of the notebooks."""
    base = tmp_path_factory.mktemp("lab")
    root_dir = base / "course" / "notebooks"
    shutil.copytree(NOTEBOOKS, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (base / "course" / "figures").mkdir()  # for notebooks that write ../figures/ themselves
    # Pristine copies for the "opened fresh" test: never run, never saved.
    fresh_dir = root_dir / FRESH
    fresh_dir.mkdir()
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy2(path, fresh_dir / path.name)
    env = _isolated_env(base)
    notebooks = sorted(str(path) for path in root_dir.rglob("*.ipynb"))
    if notebooks:
        subprocess.run(
            [str(BIN / "jupyter"), "trust", *notebooks],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    with launch_lab(root_dir, env, artifacts / "jupyterlab.log") as server:
        yield server


# Flags that turn JupyterLab's news feed and update check off on the command line. The course
# ships the same as settings instead (jupyter/lab/settings/overrides.d/bpcourse.json, installed
# by `make setup`); tests/browser/test_quiet_start.py starts a server without these flags.
NEWS_OFF_FLAGS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]


@contextlib.contextmanager
def launch_lab(root_dir, env, log_path, news_off_flags=True):
    """Start JupyterLab from the venv on `root_dir`, wait until it answers, stop it at exit."""
    port, token = free_port(), secrets.token_hex(24)
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--allow-root",
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        *(NEWS_OFF_FLAGS if news_off_flags else []),
        "--LabApp.extension_manager=readonly",
        "--ServerApp.terminals_enabled=False",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, ended at teardown
        )
    server = LabServer(f"http://127.0.0.1:{port}", token, root_dir, process, log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n"
                        f"{server.log_tail()}"
                    )
                time.sleep(0.5)
        yield server
    finally:
        _stop(process, server)


@pytest.fixture(scope="session")
def scratch_lab(tmp_path_factory, artifacts):
    """JupyterLab as `make lab` starts it for a student: no news flags on the command line and
    no notification settings of the user, so only the course's installed settings
    (``<venv>/share/jupyter/lab/settings/overrides.d/bpcourse.json``) keep it quiet. It serves
    an empty temporary folder (``scratch_lab.root_dir``) where tests write their notebooks."""
    base = tmp_path_factory.mktemp("scratch-lab")
    root_dir = base / "work"
    root_dir.mkdir()
    settings = {k: v for k, v in LAB_SETTINGS.items() if "notification" not in k}
    env = _isolated_env(base, settings)
    with launch_lab(
        root_dir, env, artifacts / "jupyterlab-scratch.log", news_off_flags=False
    ) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser).

    Module-scoped: only one sync Playwright may run at a time in a thread; both browser test
    modules use this fixture.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def new_page(browser, lab, artifacts):
    """Factory of pages, each in a fresh browser context; console errors go to a log file."""
    opened = []

    def make(log_name):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.messages = []
        page.on("console", lambda m: page.messages.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.messages.append(f"pageerror: {e}"))
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((lab.url, "data:", "blob:"))
                else page.messages.append(f"request outside the server: {r.url}")
            ),
        )
        opened.append((log_name, context, page))
        return page

    yield make
    for log_name, context, page in opened:
        (artifacts / f"{log_name}.log").write_text("\n".join(page.messages) + "\n")
        context.close()
    lab.stop_kernels()
