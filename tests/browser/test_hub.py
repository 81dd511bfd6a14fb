"""A class on JupyterHub, for real: three students, the course link, widgets, an update, memory.

Issue 21. The module starts JupyterHub (PyPI) with configurable-http-proxy (npm) on
127.0.0.1, from the environment `make browser-deps` builds in build/hub/ (the course's
requirements.lock plus deploy/hub-requirements.txt), configured by deploy/jupyterhub_config.py
(DummyAuthenticator, SimpleLocalProcessSpawner, a home per user in a temporary folder). The
course is published from a temporary copy of the instructor checkout with
tools/make_student_repo.py, and its package installed into the hub's environment as an image
build would (postBuild). Then, in Debian's Chromium:

1. three students log in and their servers start together;
2. each follows the nbgitpuller link (a file:// URL of the student repository) and lands in
   notebook 04 with an idle kernel;
3. alice writes an answer; each student runs all cells; every widget renders live; each saves;
4. the memory of each student's server and kernel is read from /proc (RSS, and PSS, which
   shares the common libraries out) and must fit the limit of deploy/z2jh-values.yaml;
5. the instructor publishes fixes (a markdown cell, a code cell, a check, an exercise's
   prompt, the last line of every code cell); alice runs `%run -m bpcourse update` in a
   notebook; bob clicks the link again (nbgitpuller merges), then updates too; carol does
   nothing. Everyone's work is kept, every fix arrives, and nobody else's package changes.

Measurements go to test-artifacts/browser/hub-measurements.json (the README and
deploy/README.md quote them). A missing build/hub/ fails the test: run `make browser-deps`.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from test_jupyterlab import (
    INSPECT_JS,
    open_notebook,
    problems,
    run_all_cells,
    stored_widget_count,
    wait_for_widgets,
)

from bpcourse.update import CONFLICT_TAG, build_wheel
from tests.test_update import answer_for, by_id, copy_instructor, fix_course, load, roles
from tools.make_student_repo import publish

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "build" / "hub"
HUB_ENV = HUB / "python"
PROXY = HUB / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "z2jh-values.yaml"
USERS = ["alice", "bob", "carol"]
REPO = "bpcourse-student"  # nbgitpuller clones into ~/<last part of the URL>
NOTEBOOK = sorted((ROOT / "notebooks").glob("04_*.ipynb"))[0].name
START_TIMEOUT = 120  # s, for the hub and for the three servers together on two cores
PROBE = "import bpcourse.exercises.backpropagation as m; print(getattr(m, 'CHECK_FIX', 'v1'))"


# The run of the visible notebook is over: no prompt says "[*]" (running or queued), and
# some prompt has a number (a cell after an error keeps "[ ]"; problems() reports the error).
RUN_FINISHED_JS = r"""
() => {
  const panel = [...document.querySelectorAll('.jp-NotebookPanel')]
    .find(p => !p.classList.contains('lm-mod-hidden'));
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent);
  return prompts.some(t => /\[\d+\]/.test(t)) && !prompts.some(t => t.includes('*'));
}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- /proc
def _proc_text(pid, name):
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def processes_of(user, api_url):
    """{"server": pid, "kernels": [pids]} of `user`'s single-user server on our hub."""
    found = {"server": None, "kernels": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        environ = _proc_text(entry.name, "environ").split("\0")
        if (
            f"JUPYTERHUB_USER={user}" not in environ
            or f"JUPYTERHUB_API_URL={api_url}" not in environ
        ):
            continue
        cmdline = _proc_text(entry.name, "cmdline").replace("\0", " ")
        if "jupyterhub-singleuser" in cmdline:
            found["server"] = int(entry.name)
        elif "ipykernel_launcher" in cmdline:
            found["kernels"].append(int(entry.name))
    return found


def memory_mib(pid):
    """RSS, peak RSS and PSS of a process in MiB, and its CPU time in seconds."""
    status = _proc_text(pid, "status")
    rollup = _proc_text(pid, "smaps_rollup")

    def kib(text, key):
        match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        return int(match.group(1)) / 1024 if match else float("nan")

    fields = _proc_text(pid, "stat").rsplit(")", 1)[-1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks if len(fields) > 12 else float("nan")
    return {
        "rss": round(kib(status, "VmRSS"), 1),
        "peak_rss": round(kib(status, "VmHWM"), 1),
        "pss": round(kib(rollup, "Pss"), 1),
        "cpu_s": round(cpu, 2),
    }


def _kill_leftovers(api_url):
    """End the processes of our hub's users that outlived it (by pid, ours only)."""
    for user in USERS:
        procs = processes_of(user, api_url)
        for pid in [procs["server"], *procs["kernels"]]:
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


# ---------------------------------------------------------------------------- the hub
class Hub:
    """The running hub: URLs, its API token, where things are, and its log."""

    def __init__(self, base, port, api_port, token, process, log_path):
        self.base, self.token, self.process, self.log_path = base, token, process, log_path
        self.url = f"http://127.0.0.1:{port}"
        self.api_url = f"http://127.0.0.1:{api_port}/hub/api"
        self.instructor = base / "instructor"
        self.course = base / REPO
        self.homes = base / "state" / "home"

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def spawn_seconds(self, user):
        """What the hub itself measured: 'User alice took 6.1 seconds to start'."""
        match = re.search(rf"User {user} took ([\d.]+) seconds to start", self.log())
        return float(match.group(1)) if match else None

    def home(self, user):
        return self.homes / user

    def link(self, workspace):
        """The nbgitpuller link a student clicks (opens notebook 04 in `workspace`)."""
        query = urllib.parse.urlencode(
            {
                "repo": f"file://{self.course}",
                "branch": "main",
                "urlpath": f"lab/workspaces/{workspace}/tree/{REPO}/notebooks/{NOTEBOOK}",
            }
        )
        return f"{self.url}/hub/user-redirect/git-pull?{query}"


class Opener:
    """What test_jupyterlab.open_notebook needs of a server: a URL for a notebook."""

    def __init__(self, url):
        self.url = url

    def lab_url(self, name, workspace):
        return self.url


def hub_python(*args, cwd=None, env=None):
    return subprocess.run(
        [str(HUB_ENV / "bin" / "python"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def hub(tmp_path_factory, artifacts):
    missing = [str(p) for p in (HUB_ENV / "bin" / "jupyterhub", PROXY) if not p.exists()]
    if missing:
        pytest.fail(f"the hub's dependencies are missing ({', '.join(missing)}): make browser-deps")
    base = tmp_path_factory.mktemp("hub")
    copy_instructor(base / "instructor")
    publish(base / "instructor", base / REPO, quiet=True)
    # The image build: the course's package and JupyterLab settings into the hub's environment.
    wheel = build_wheel(base / REPO, base)
    for args in (
        [
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        ["-m", "bpcourse", "setup-lab"],
    ):
        result = hub_python(*args, cwd=base / REPO)
        assert result.returncode == 0, result.stderr
    (base / "state").mkdir()
    port, api_port, proxy_api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(24)
    env = {
        **os.environ,
        "PATH": f"{HUB_ENV / 'bin'}:{os.environ['PATH']}",
        "BPCOURSE_HUB_DIR": str(base / "state"),
        "BPCOURSE_HUB_PORT": str(port),
        "BPCOURSE_HUB_API_PORT": str(api_port),
        "BPCOURSE_PROXY_API_PORT": str(proxy_api_port),
        "BPCOURSE_HUB_PROXY": str(PROXY),
        "BPCOURSE_HUB_ENV": str(HUB_ENV),
        "BPCOURSE_HUB_TOKEN": token,
    }
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"):
        env.pop(name, None)
    log_path = artifacts / "jupyterhub.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(HUB_ENV / "bin" / "jupyterhub"), "-f", str(CONFIG)],
            cwd=base / "state",
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    running = Hub(base, port, api_port, token, process, log_path)
    try:
        started = time.monotonic()
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"JupyterHub exited with {process.returncode}:\n{running.log()[-3000:]}"
                )
            try:
                running.api("/")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() - started > START_TIMEOUT:
                    pytest.fail(f"JupyterHub did not answer:\n{running.log()[-3000:]}")
                time.sleep(0.5)
        running.start_seconds = time.monotonic() - started
        yield running
    finally:
        for user in USERS:
            try:
                running.api(f"/users/{user}/server", method="DELETE")
            except (OSError, urllib.error.URLError):
                pass
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # the hub stops the servers it started
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        _kill_leftovers(f"http://127.0.0.1:{api_port}/hub/api")


# ---------------------------------------------------------------------------- the class
class Classroom:
    """The students' story, one step at a time; each step runs once and is shared."""

    def __init__(self, hub, browser, artifacts):
        self.hub, self.browser, self.artifacts = hub, browser, artifacts
        self.contexts, self.pages, self.done, self.failed = {}, {}, {}, {}
        self.figures = {"hub_start_s": round(hub.start_seconds, 1), "users": {}}
        self.cells = roles(load(hub.course / "notebooks" / NOTEBOOK))

    def step(self, name):
        if name in self.failed:
            pytest.fail(f"an earlier step failed ({name}): {self.failed[name]}")
        if name not in self.done:
            try:
                self.done[name] = getattr(self, f"_{name}")()
            except BaseException as error:
                self.failed[name] = error
                raise
        return self.done[name]

    def page(self, user, log_name):
        if user not in self.contexts:
            context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(60_000)
            self.contexts[user] = context
        page = self.contexts[user].new_page()
        page.messages = []
        page.on("console", lambda m: page.messages.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.messages.append(f"pageerror: {e}"))
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((self.hub.url, "data:", "blob:"))
                else page.messages.append(f"request outside the hub: {r.url}")
            ),
        )
        page.log_name = log_name
        return page

    def close(self):
        for context in self.contexts.values():
            for page in context.pages:
                (self.artifacts / f"hub-{page.log_name}.log").write_text(
                    "\n".join(page.messages) + "\n"
                )
            context.close()

    def notebook(self, user):
        return self.hub.home(user) / REPO / "notebooks" / NOTEBOOK

    # -- 1. log in, servers start together
    def _login(self):
        for user in USERS:
            page = self.page(user, f"{user}-login")
            page.goto(f"{self.hub.url}/hub/login?next=%2Fhub%2Fhome")
            page.fill("#username_input", user)
            page.fill("#password_input", "any password")
            page.click("#login_submit")
            page.wait_for_url(re.compile(r".*/hub/home.*"))
            page.close()
        started = time.monotonic()
        for user in USERS:
            self.hub.api(f"/users/{user}/server", method="POST")
        waiting = set(USERS)
        while waiting:
            for user in list(waiting):
                server = self.hub.api(f"/users/{user}")["servers"].get("")
                if server and server["ready"]:
                    waiting.discard(user)
                    self.figures["users"].setdefault(user, {})["ready_after_s"] = round(
                        time.monotonic() - started, 1
                    )
            if time.monotonic() - started > START_TIMEOUT:
                pytest.fail(f"servers of {sorted(waiting)} not ready:\n{self.hub.log()[-3000:]}")
            time.sleep(0.5)
        for user in USERS:
            self.figures["users"][user]["spawn_s"] = self.hub.spawn_seconds(user)

    # -- 2. the nbgitpuller link, to an idle kernel
    def _linked(self):
        self.step("login")
        for user in USERS:
            page = self.page(user, f"{user}-04")
            started = time.monotonic()
            open_notebook(page, Opener(self.hub.link(f"{user}-04")), NOTEBOOK, None)
            self.figures["users"][user]["link_to_idle_kernel_s"] = round(
                time.monotonic() - started, 1
            )
            self.pages[user] = page
            self.figures["users"][user]["idle"] = self.measure(user)
        return self.pages

    # -- 3. an answer, Run All, save
    def _ran(self):
        pages = self.step("linked")
        instructor_nb = load(self.hub.instructor / "notebooks" / NOTEBOOK)
        self.answer = answer_for(instructor_nb, self.cells["exercise"])
        typed = pages["alice"].evaluate(
            """([id, text]) => {
              const panel = window.jupyterapp.shell.currentWidget;
              const cell = panel.content.widgets.find(w => w.model.id === id);
              if (!cell) return false;
              cell.model.sharedModel.setSource(text);
              return true;
            }""",
            [self.cells["exercise"], self.answer],
        )
        assert typed, "could not type alice's answer into the exercise cell"
        expected = stored_widget_count(ROOT / "notebooks" / NOTEBOOK)
        found = {}
        # The class runs together: bob and carol start Run All, alice's run is watched by
        # test_jupyterlab's helper, then bob's and carol's ends are awaited.
        started = time.monotonic()
        for user in USERS[1:]:
            pages[user].evaluate(
                "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
            )
        run_all_cells(pages["alice"], self.artifacts)
        for user in USERS:
            pages[user].wait_for_function(RUN_FINISHED_JS, timeout=300_000, polling=250)
            self.figures["users"][user]["run_all_s"] = round(time.monotonic() - started, 1)
        for user in USERS:
            page = pages[user]
            wait_for_widgets(page, expected)
            state = page.evaluate(INSPECT_JS)
            page.screenshot(path=str(self.artifacts / f"hub-{user}-after-run-all.png"))
            found[user] = problems(state, expected, live=True)
            before = self.notebook(user).stat().st_mtime
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            deadline = time.monotonic() + 30
            while self.notebook(user).stat().st_mtime == before:
                assert time.monotonic() < deadline, f"{user}'s notebook was not saved"
                time.sleep(0.2)
            self.figures["users"][user]["after_run_all"] = self.measure(user)
        self.saved = {user: load(self.notebook(user)) for user in USERS}
        return found

    def measure(self, user):
        procs = processes_of(user, self.hub.api_url)
        assert procs["server"], f"no server process of {user} found in /proc"
        assert procs["kernels"], f"no kernel process of {user} found in /proc"
        return {
            "server": memory_mib(procs["server"]),
            "kernels": [memory_mib(pid) for pid in procs["kernels"]],
        }

    # -- 5. fixes published; alice updates, bob clicks then updates, carol waits
    def _updated(self):
        self.step("ran")
        for user in ("alice", "bob"):
            self.pages[user].close()  # a student closes the notebook before updating
        instructor = self.hub.instructor
        fix_course(instructor, self.cells)
        path = instructor / "notebooks" / NOTEBOOK
        notebook = load(path)
        self.fixed_lines = []
        for cell in notebook["cells"]:
            text = "".join(cell["source"])
            if cell["id"] == self.cells["exercise"]:
                cell["source"] = text.replace('"""', '"""Fixed prompt. ', 1)
            elif cell["cell_type"] == "code" and cell["id"] != self.cells["code"]:
                cell["source"] = text.rstrip("\n") + f"  # last-line fix {cell['id']}\n"
                self.fixed_lines.append(cell["id"])
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
        publish(instructor, self.hub.course, quiet=True)
        self.course_nb = load(self.hub.course / "notebooks" / NOTEBOOK)
        in_edition = {c["id"] for c in self.course_nb["cells"]}
        self.fixed_lines = [cid for cid in self.fixed_lines if cid in in_edition]

        # bob clicks the course link again: nbgitpuller merges the new edition. The link's page
        # only streams nbgitpuller's API and then opens JupyterLab; the API is called here
        # with bob's cookies, which is the same pull without loading JupyterLab again.
        query = urllib.parse.urlencode({"repo": f"file://{self.hub.course}", "branch": "main"})
        response = self.contexts["bob"].request.get(
            f"{self.hub.url}/user/bob/git-pull/api?{query}", timeout=120_000
        )
        stream = response.text()
        (self.artifacts / "hub-bob-second-click.txt").write_text(stream)
        assert response.ok and '"phase": "finished"' in stream, stream[-2000:]
        clicked = load(self.notebook("bob"))
        self.lost_by_click = [
            c["id"]
            for c in self.course_nb["cells"]
            if c["id"] in {x["id"] for x in clicked["cells"]}
            and by_id(clicked, c["id"])["source"] != c["source"]
        ]
        self.figures["nbgitpuller_second_click"] = {
            "cells_the_course_changed": len(self.fixed_lines) + 3,
            "cells_still_old_after_the_click": len(self.lost_by_click),
        }
        self.bob_after_click = self.probe("bob")  # the click updates files, not the package
        outputs = {}
        # alice updates from a notebook cell in JupyterLab (a scratch notebook of hers)
        update_nb = {
            "cells": [
                {
                    "cell_type": "code",
                    "id": "update",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": f"%run -m bpcourse update --repo {REPO}",
                },
                {
                    "cell_type": "code",
                    "id": "probe",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": "import subprocess, sys\n"
                    f"probe = {PROBE!r}\n"
                    "print('a new kernel imports:', subprocess.run([sys.executable, '-c', "
                    "probe], capture_output=True, text=True).stdout.strip())",
                },
            ],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (self.hub.home("alice") / "update.ipynb").write_text(json.dumps(update_nb))
        page = self.page("alice", "alice-update")
        url = f"{self.hub.url}/user/alice/lab/workspaces/alice-update/tree/update.ipynb"
        started = time.monotonic()
        open_notebook(page, Opener(url), "update.ipynb", None)
        run_all_cells(page, self.artifacts)
        self.figures["users"]["alice"]["update_s"] = round(time.monotonic() - started, 1)
        outputs["alice"] = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
        page.screenshot(path=str(self.artifacts / "hub-alice-update.png"))
        (self.artifacts / "hub-alice-update.txt").write_text(outputs["alice"])
        page.close()
        # bob updates from a terminal: the same command, with his environment
        started = time.monotonic()
        result = hub_python(
            "-m", "bpcourse", "update", cwd=self.hub.home("bob") / REPO, env=self.user_env("bob")
        )
        self.figures["users"]["bob"]["update_s"] = round(time.monotonic() - started, 1)
        outputs["bob"] = result.stdout + result.stderr + f"\nexit status {result.returncode}\n"
        outputs["bob"] += f"a new kernel imports: {self.probe('bob')}\n"
        (self.artifacts / "hub-bob-update.txt").write_text(outputs["bob"])
        return outputs

    def user_env(self, user):
        """What the hub gives a user's processes (deploy/jupyterhub_config.py)."""
        return {
            "HOME": str(self.hub.home(user)),
            "PATH": f"{HUB_ENV / 'bin'}:{os.environ['PATH']}",
            "PIP_USER": "1",
            "JUPYTERHUB_USER": user,
        }

    def probe(self, user):
        """Which check module a new kernel of `user` imports: "v1" or the fixed one."""
        result = hub_python("-c", PROBE, cwd=self.hub.home(user), env=self.user_env(user))
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture(scope="module")
def classroom(hub, browser, artifacts):
    room = Classroom(hub, browser, artifacts)
    yield room
    room.close()
    room.figures["load_average_at_end"] = os.getloadavg()
    room.figures["cores"] = os.cpu_count()
    (artifacts / "hub-measurements.json").write_text(json.dumps(room.figures, indent=1) + "\n")


def test_three_students_log_in_and_the_link_gives_each_the_course_and_a_kernel(classroom):
    classroom.step("linked")
    for user in USERS:
        home = classroom.hub.home(user)
        assert (home / REPO / ".git").is_dir(), f"nbgitpuller made no clone in {user}'s home"
        assert classroom.notebook(user).is_file()
        figures = classroom.figures["users"][user]
        assert figures["spawn_s"] is not None, f"the hub logged no start time for {user}"
        assert figures["idle"]["kernels"], f"{user} has no kernel"


def test_every_student_runs_the_notebook_and_sees_live_widgets(classroom):
    found = classroom.step("ran")
    assert not any(found.values()), "\n".join(
        f"{user}: {line}" for user, lines in found.items() for line in lines
    )
    for user in USERS:
        saved = classroom.saved[user]
        counts = [c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"]
        assert all(counts), f"{user}'s saved notebook has cells that did not run: {counts}"
    answer = by_id(classroom.saved["alice"], classroom.cells["exercise"])
    assert "".join(answer["source"]) == classroom.answer


def test_memory_per_student_fits_the_limit_of_the_deployment(classroom):
    classroom.step("ran")
    limits = yaml.safe_load(VALUES.read_text())["singleuser"]["memory"]
    limit_mib = _mib(limits["limit"])
    lines = []
    for user in USERS:
        after = classroom.figures["users"][user]["after_run_all"]
        rss = after["server"]["rss"] + sum(k["rss"] for k in after["kernels"])
        peak = after["server"]["peak_rss"] + sum(k["peak_rss"] for k in after["kernels"])
        lines.append(f"{user}: {rss:.0f} MiB now, {peak:.0f} MiB at peak (limit {limit_mib:.0f})")
        assert peak < limit_mib, "; ".join(lines)
    print("\n".join(lines))


def _mib(quantity):
    """A JupyterHub memory size ("512M", "1G": K, M, G, T are powers of 1024) in MiB."""
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]?)", str(quantity)).groups()
    return float(number) * {"": 2**-20, "K": 2**-10, "M": 1, "G": 2**10, "T": 2**20}[unit]


def test_an_update_reaches_every_student_without_losing_work(classroom):
    outputs = classroom.step("updated")
    course = classroom.course_nb
    cells = classroom.cells
    for user in ("alice", "bob"):
        text = outputs[user]
        home = classroom.hub.home(user)
        assert f"package: bpcourse installed from your copy into {home}/.local/" in text, text
        assert "a new kernel imports: a fixed check" in text, text
        merged = load(classroom.notebook(user))
        for cid in [cells["markdown"], cells["code"], *classroom.fixed_lines]:
            assert by_id(merged, cid)["source"] == by_id(course, cid)["source"], (user, cid)
    alice = load(classroom.notebook("alice"))
    at = [c["id"] for c in alice["cells"]].index(cells["exercise"])
    assert "".join(alice["cells"][at]["source"]) == classroom.answer
    assert CONFLICT_TAG in alice["cells"][at + 1]["metadata"]["tags"]
    assert "Fixed prompt." in "".join(alice["cells"][at + 1]["source"])
    bob = load(classroom.notebook("bob"))
    assert by_id(bob, cells["exercise"])["source"] == by_id(course, cells["exercise"])["source"]
    assert not [c for c in bob["cells"] if CONFLICT_TAG in c["metadata"].get("tags", [])]
    for user in ("alice", "bob"):  # outputs of the cells the course did not change: kept
        merged, saved = load(classroom.notebook(user)), classroom.saved[user]
        unchanged = [
            c["id"]
            for c in saved["cells"]
            if c["cell_type"] == "code"
            and c["id"] not in classroom.fixed_lines
            and c["id"] not in (cells["code"], cells["exercise"])
        ]
        for cid in unchanged:
            assert by_id(merged, cid)["outputs"] == by_id(saved, cid)["outputs"], (user, cid)

    # bob's click brought the new files, but his kernels kept importing the old package
    assert classroom.bob_after_click == "v1"
    # carol did nothing: her notebook and her package are as they were
    assert load(classroom.notebook("carol")) == classroom.saved["carol"]
    assert classroom.probe("carol") == "v1"
