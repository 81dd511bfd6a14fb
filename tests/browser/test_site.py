"""The course website works in Chromium served from loopback with every other request cut.

`make test-browser` builds site/ first (`make site`); when site/ is missing, this module builds
it with tools/build_site.py. The pages are served by a static server on 127.0.0.1; every
request to any other address is aborted and recorded. Screenshots go to
test-artifacts/browser/site_*.png.
"""

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PLACEHOLDER = "No description has been provided for this image"
SEARCH_WORD = "tensorial"  # a word of notebook 04's text

pytestmark = pytest.mark.browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    """site/ (built now if missing) served on a free loopback port."""
    if not (SITE / "index.html").is_file():
        from tools import build_site

        build_site.build(SITE)
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(browser, site_url, artifacts):
    """A browser context that may only reach the site; yields (context, blocked requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith((site_url, "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    yield context, blocked
    context.close()


def _open(context, url):
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("load")
    return page


def _typeset(page):
    """Wait for MathJax 3 to finish; return the number of typeset formulas."""
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000
    )
    page.evaluate("() => MathJax.startup.promise")
    return page.locator("mjx-container").count()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_page_loads_with_math_typeset_and_described_images(
    site, site_url, notebook, artifacts
):
    context, blocked = site
    page = _open(context, f"{site_url}/{notebook.stem}.html")
    first = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"]
    title = "".join(first).splitlines()[0].lstrip("# ")
    assert page.locator("h1").first.inner_text().strip().startswith(title[:10])
    formulas = _typeset(page)
    text = page.evaluate(  # the prose and outputs a reader sees, without the code cells' source
        """() => { const main = document.querySelector('main').cloneNode(true);
          main.querySelectorAll('.cell_input, pre, code').forEach(e => e.remove());
          return main.innerText; }"""
    )
    assert formulas > 5, f"{notebook.stem}: only {formulas} typeset formulas"
    assert "$$" not in text and "\\frac" not in text and "\\begin" not in text
    images = page.locator("main img")
    assert images.count() > 0
    for i in range(images.count()):
        alt = images.nth(i).get_attribute("alt") or ""
        assert len(alt) > 15 and PLACEHOLDER not in alt, f"{notebook.stem}, image {i}: {alt!r}"
    # the sidebar lists every notebook, in course order
    links = page.locator("nav.bd-links a").all_inner_texts()
    assert [t[:2] for t in links if t[:2].isdigit()] == [p.stem[:2] for p in NOTEBOOKS]
    page.screenshot(path=str(artifacts / f"site_{notebook.stem}.png"))
    page.close()
    assert blocked == [], blocked


def test_the_front_page_is_the_notebook_map(site, site_url, artifacts):
    context, blocked = site
    page = _open(context, f"{site_url}/index.html")
    text = page.locator("main").inner_text()
    for notebook in NOTEBOOKS:
        assert notebook.stem in text
    page.screenshot(path=str(artifacts / "site_index.png"), full_page=True)
    page.close()
    assert blocked == []


def test_search_finds_a_word_of_notebook_04(site, site_url, artifacts):
    context, blocked = site
    page = _open(context, f"{site_url}/index.html")
    box = page.locator("input[name='q']").first
    if not box.is_visible():  # the theme folds the box behind a button on some widths
        page.keyboard.press("Control+k")
    box.fill(SEARCH_WORD)
    box.press("Enter")
    page.wait_for_url("**/search.html?*")
    results = page.locator("#search-results a")
    results.first.wait_for(timeout=30_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("04_backpropagation" in h for h in hrefs), hrefs
    page.screenshot(path=str(artifacts / "site_search.png"))
    page.close()
    assert blocked == []


def test_a_solution_is_hidden_until_its_toggle_is_clicked(site, site_url, artifacts):
    context, blocked = site
    page = _open(context, f"{site_url}/04_backpropagation.html")
    toggle = page.locator("summary", has_text="Show solution").first
    toggle.wait_for()
    code = toggle.locator("xpath=..").locator("pre").first
    assert not code.is_visible()
    toggle.click()
    assert code.is_visible()
    assert "def " in code.inner_text()
    code.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "site_solution_open.png"))
    page.close()
    assert blocked == []


def test_a_widget_shows_its_stored_figure_and_controls(site, site_url, artifacts):
    context, blocked = site
    page = _open(context, f"{site_url}/07_gradient_descent.html")
    widget = page.locator(".bp-widget").first
    widget.scroll_into_view_if_needed()
    assert widget.locator("img").count() >= 1
    assert widget.locator("input[type=range]").count() >= 1
    assert "JupyterLab" in widget.inner_text()
    assert "interactive(children" not in page.locator("main").inner_text()
    widget.screenshot(path=str(artifacts / "site_widget.png"))
    page.close()
    assert blocked == []
