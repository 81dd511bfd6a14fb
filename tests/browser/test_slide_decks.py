"""An exported slide deck works in Chromium with the network cut off.

`make test-browser` builds slides/ first (`make slides`); when slides/ is missing this module
builds the deck it needs with tools/build_slides.py. The deck is opened from file:// in
headless Chromium with every non-file request aborted and recorded, then we check that
reveal.js started and MathJax typeset the formulas, and save a screenshot to
test-artifacts/slides_<name>.png.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLIDES = ROOT / "slides"
ARTIFACTS = ROOT / "test-artifacts"
# Decks with the most display maths first; any other deck with "$$" will do.
PREFERRED = ["04_backpropagation", "02_jacobians", "01_chain_rule", "03_mlp"]

pytestmark = pytest.mark.browser


def _math_notebook():
    """The notebook whose deck we open: a preferred one if present, else any with $$."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    by_stem = {nb.stem: nb for nb in notebooks}
    for stem in PREFERRED:
        if stem in by_stem:
            return by_stem[stem]
    for nb in notebooks:
        if "$$" in nb.read_text(encoding="utf-8"):
            return nb
    pytest.skip("no notebook with display maths in notebooks/")


@pytest.fixture(scope="module")
def build_slides():
    from tools import build_slides

    return build_slides


@pytest.fixture(scope="module")
def deck(build_slides):
    """Path of an exported deck with maths; exported now if `make slides` has not made it."""
    notebook = _math_notebook()
    path = build_slides.deck_path(notebook, SLIDES)
    if not (path.is_file() and build_slides.lib_complete(SLIDES / "lib")):
        # Fetches slides/lib once with npm if needed. Alt texts are checked by
        # tests/test_slides.py and tests/browser/test_accessibility.py, not here.
        build_slides.main([str(notebook), "--allow-missing-alt"])
    return path


@pytest.fixture(scope="module")
def offline_page(browser, deck):
    """The deck opened from file:// with every other request aborted; yields (page, log)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    log = {"blocked": [], "errors": [], "failed": []}

    def only_local(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            log["blocked"].append(url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_offline(True)
    page = context.new_page()
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    page.on("requestfailed", lambda req: log["failed"].append(req.url))
    page.goto(deck.as_uri(), wait_until="load")
    # reveal.js is loaded by require.js after the page's load event; MathJax typesets
    # every slide once it has started. Wait for both, then for MathJax's queue to drain.
    page.wait_for_selector(".reveal.ready .slides section.present", timeout=30_000)
    page.wait_for_function("window.MathJax && MathJax.isReady === true", timeout=60_000)
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
    yield page, log
    context.close()


def test_deck_html_loads_no_script_or_stylesheet_from_the_web(build_slides, deck):
    html = deck.read_text(encoding="utf-8")
    assert build_slides.remote_resources(html) == []
    assert 'src="lib/mathjax/MathJax.js' in html
    assert 'href="lib/reveal.js/dist/reveal.css"' in html


def test_deck_requests_nothing_but_local_files(offline_page):
    page, log = offline_page
    assert log["blocked"] == [], f"the deck tried the network: {log['blocked']}"
    assert log["failed"] == [], f"local files failed to load: {log['failed']}"
    assert log["errors"] == [], f"JavaScript errors: {log['errors']}"


def test_revealjs_initialised_with_one_present_slide(offline_page):
    page, _ = offline_page
    sections = page.locator(".reveal .slides section")
    assert sections.count() > 3
    assert page.locator(".reveal .slides > section.present").count() == 1
    # reveal.js laid the deck out: controls and progress bar are its own elements.
    assert page.locator(".reveal .controls").count() == 1
    assert page.locator(".reveal .progress").count() == 1


def test_mathjax_typeset_every_formula(offline_page):
    page, _ = offline_page
    rendered = page.locator(".reveal .slides .MathJax_CHTML, .reveal .slides mjx-chtml")
    assert rendered.count() > 5
    # Text a reader sees on the slides: everything but code, scripts (MathJax keeps each
    # formula's TeX in a <script type="math/tex">) and styles.
    leftover = page.evaluate(
        """() => {
            const slides = document.querySelector('.reveal .slides').cloneNode(true);
            slides.querySelectorAll('script, style, pre, code, .MJX_Assistive_MathML')
                  .forEach(e => e.remove());
            const text = slides.textContent;
            const at = [];
            for (const token of ['$$', '\\\\begin{', '\\\\frac']) {
                const i = text.indexOf(token);
                if (i >= 0) at.push(text.slice(Math.max(0, i - 40), i + 40));
            }
            return at;
        }"""
    )
    assert leftover == [], f"raw LaTeX left on the slides: {leftover}"
    errors = page.locator(".reveal .slides .MathJax_CHTML .merror, .reveal .mjx-merror")
    assert errors.count() == 0, "MathJax reported a TeX error"


def test_screenshot_of_a_slide_with_typeset_maths(offline_page, deck):
    page, _ = offline_page
    # Go to the first (sub)slide that holds display maths and photograph it.
    h, v = page.evaluate(
        """() => {
            const slides = [...document.querySelectorAll('.reveal .slides > section')];
            for (let h = 0; h < slides.length; h++) {
                const subs = slides[h].querySelectorAll(':scope > section');
                const list = subs.length ? [...subs] : [slides[h]];
                for (let v = 0; v < list.length; v++) {
                    if (list[v].querySelector('.MathJax_Display, .MJXc-display')) return [h, v];
                }
            }
            return [0, 0];
        }"""
    )
    page.evaluate(f"() => {{ location.hash = '#/{h}/{v}'; }}")
    page.wait_for_function(
        "document.querySelector('.reveal .slides section.present .MathJax_CHTML') !== null",
        timeout=10_000,
    )
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
    page.wait_for_timeout(800)  # the slide transition
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"slides_{deck.name.split('.')[0]}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    present = page.locator(".reveal .slides section.present .MathJax_CHTML")
    assert present.count() > 0
