"""A quiet first start (issue 13): JupyterLab from the course's venv asks nothing.

JupyterLab 4 asks "Would you like to get notified about official Jupyter news?" in a toast
unless its notification setting ``fetchNews`` says otherwise. The course ships that setting
(jupyter/lab/settings/overrides.d/bpcourse.json, installed into the venv by `make setup` or
`python -m bpcourse setup-lab`). The server here is started WITHOUT any news-disabling flag
and without user settings for notifications (the ``scratch_lab`` fixture), so only the
installed file can keep it quiet. A control run sets the user setting back to "ask" and must
see the toast, so the check cannot pass by missing it.
"""

import json
import urllib.request

import nbformat
import pytest

from bpcourse.environment import lab_settings_problem

pytestmark = pytest.mark.browser

PLUGIN = "@jupyterlab/apputils-extension:notification"
NEWS_TEXT = "official Jupyter news"
TOAST = ".Toastify__toast"
QUIET_FOR = 6_000  # ms to watch an opened notebook for a toast


@pytest.fixture(scope="module")
def notebook(scratch_lab):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A first look"),
        nbformat.v4.new_code_cell("1 + 1"),
    ]
    name = "first_start.ipynb"
    nbformat.write(nb, scratch_lab.root_dir / name)
    return name


def _put_user_settings(lab, raw):
    request = urllib.request.Request(
        f"{lab.url}/lab/api/settings/{PLUGIN}?token={lab.token}",
        data=json.dumps({"raw": raw}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()


def _open(browser, lab, name, workspace):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(lab.lab_url(name, workspace))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
    return context, page


def test_the_venv_has_the_course_settings_installed():
    assert lab_settings_problem() is None, "run `make setup` (or python -m bpcourse setup-lab)"


def test_server_serves_the_course_defaults(scratch_lab):
    answer = scratch_lab.api(f"/lab/api/settings/{PLUGIN}")
    properties = answer["schema"]["properties"]
    assert properties["fetchNews"]["default"] == "false"
    assert properties["checkForUpdates"]["default"] is False


def test_opening_a_notebook_shows_no_news_toast(browser, scratch_lab, notebook, artifacts):
    context, page = _open(browser, scratch_lab, notebook, "quiet")
    try:
        page.wait_for_timeout(QUIET_FOR)
        page.screenshot(path=str(artifacts / "quiet_start.png"))
        toasts = page.locator(TOAST)
        texts = [toasts.nth(i).inner_text() for i in range(toasts.count())]
        assert texts == [], f"toasts on a first start: {texts}"
        assert NEWS_TEXT not in page.locator("body").inner_text()
    finally:
        context.close()
        scratch_lab.stop_kernels()


def test_control_with_news_set_to_ask_the_toast_appears(browser, scratch_lab, notebook, artifacts):
    _put_user_settings(scratch_lab, json.dumps({"fetchNews": "none"}))
    context, page = _open(browser, scratch_lab, notebook, "asks")
    try:
        page.wait_for_selector(f"{TOAST} >> text={NEWS_TEXT}", timeout=30_000)
        page.screenshot(path=str(artifacts / "quiet_start_control.png"))
    finally:
        context.close()
        _put_user_settings(scratch_lab, "{}")
        scratch_lab.stop_kernels()
