"""The exported decks are lectures an instructor can present: every slide reached, fits, reads.

Every deck of ``notebooks/NN_*.ipynb`` is exported now with tools/build_slides.py into a
temporary folder (or taken from ``$BPCOURSE_DECKS``, a folder of decks already built, for
instance an older build to compare), opened from ``file://`` in headless Chromium with every
other request aborted, at 1280x720 and at 1920x1080. Then, as an instructor would:

- **ArrowRight from the first slide to the end.** Each key press must move (to a fragment or
  a slide); the test records every slide (``<section>`` without child sections) on screen and
  fails unless every slide of the deck was reached, in document order. Space and PageDown
  (what a presentation clicker sends) must walk the same path.
- **Each slide is measured** the first time it is on screen, all its fragments laid out:
  the union of its text, images, formulas and tables must lie inside the viewport (no
  vertical or horizontal overflow), nothing in it may scroll or be clipped, and no line of
  code (``<pre>``) may be cut at the right.
- **No plumbing on a slide**: ``assert``, ``save_figure``, ``BEGIN SOLUTION`` / ``END
  SOLUTION``, ``.usable`` and ``check_...(`` calls are searched in the text a reader sees
  (speaker notes excluded).
- **Text that reads from the back of a hall**: every figure's smallest text, on screen, is at
  least :data:`MIN_FIGURE_TEXT_PX`. A figure's smallest text in image pixels is recorded by
  ``bpcourse.notebook.plot_style()`` in the output's metadata when the notebook runs and copied
  onto the ``<img>`` as ``data-min-text-px`` by the builder; the test multiplies it by the
  image's on-screen scale. A figure without the number (a notebook not re-executed since) fails
  as "unmeasured". The smallest text of the slide itself (outside formulas and figures) must
  be at least :data:`MIN_TEXT_PX` on screen.

Everything measured is written to ``test-artifacts/browser/decks_<WxH>.json`` (per deck, per
slide: its cell ids, what failed and by how much) and a readable summary to
``test-artifacts/browser/decks_<WxH>.txt``; a screenshot of each failing slide goes to
``test-artifacts/browser/decks/``. The notebook owners fix content from those lists.

Further tests: the decks load nothing from the network and typeset their maths; the slide
number shows ``i/n``; the speaker view (``S``) opens offline with the notes of the slide;
and the decks, served by ``python -m http.server`` running as the unprivileged user
``nobody`` (``setpriv``), load every file and typeset their maths (a web server of another
user can read them).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STEMS = [nb.stem for nb in NOTEBOOKS]
VIEWPORTS = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
MIN_FIGURE_TEXT_PX = 18.0
MIN_TEXT_PX = 18.0
# What a lecture slide must never show: the notebook's plumbing.
# Searched in the code and output blocks (<pre>) of a slide; the text of the slide as a whole
# is searched for the ones marked "anywhere" (prose may say "checked by an assert").
PLUMBING = {
    "assert": r"(^|\n)\s*assert\s",
    "save_figure": r"\bsave_figure\(",
    "BEGIN/END SOLUTION": r"\b(BEGIN|END) SOLUTION\b",
    ".usable": r"\.usable\b",
    "check_...(": r"(^|\n)\s*(\w+\s*=\s*)?check_\w+\(",
}
ANYWHERE = ("save_figure", "BEGIN/END SOLUTION", ".usable")
SCREENSHOT_LIMIT = 40  # failing slides photographed per deck and viewport

pytestmark = pytest.mark.browser


# ----------------------------------------------------------------------------- the decks
@pytest.fixture(scope="module")
def build_slides():
    from tools import build_slides

    return build_slides


@pytest.fixture(scope="module")
def decks(build_slides, tmp_path_factory):
    """Folder of the decks under test: ``$BPCOURSE_DECKS``, or every deck exported now."""
    given = os.environ.get("BPCOURSE_DECKS")
    if given:
        return Path(given).resolve()
    lib = build_slides.DEFAULT_OUT / "lib"
    build_slides.fetch_libraries(lib)  # npm once, if slides/lib is not there yet
    out = tmp_path_factory.mktemp("decks")
    (out / "lib").symlink_to(lib, target_is_directory=True)
    build_slides.main([*map(str, NOTEBOOKS), "--out", str(out), "--allow-missing-alt"])
    return out


def _deck(decks, stem):
    deck = decks / f"{stem}.slides.html"
    assert deck.is_file(), f"no deck {deck}"
    return deck


def open_offline(browser, deck, viewport):
    """The deck opened from file:// at ``viewport``, every other request aborted.

    Returns (context, page, log); reveal.js is started, MathJax has typeset every formula,
    and ``window.Reveal`` is the deck's reveal.js.
    """
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(60_000)
    log = {"blocked": [], "errors": [], "failed": []}

    def only_local(route):
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            log["blocked"].append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_offline(True)
    page = context.new_page()
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    page.on("requestfailed", lambda req: log["failed"].append(req.url))
    page.goto(deck.as_uri(), wait_until="load")
    ready(page)
    return context, page, log


def ready(page):
    """Wait for reveal.js and MathJax; expose reveal.js as ``window.Reveal``."""
    page.wait_for_selector(".reveal.ready .slides section.present", timeout=60_000)
    page.wait_for_function("window.MathJax && MathJax.isReady === true", timeout=60_000)
    settle(page)
    page.evaluate(
        "() => new Promise(done => require(['lib/reveal.js/dist/reveal.js'],"
        " R => { window.Reveal = R; done(true); }))"
    )


def settle(page):
    """Wait until MathJax's queue is empty and the browser has painted twice."""
    page.evaluate(
        "() => new Promise(done => MathJax.Hub.Queue("
        "() => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"
    )


# ----------------------------------------------------------------------------- the walk
# Numbers every slide (a <section> without child sections) in document order.
NUMBER_SLIDES = """() => {
    const leaves = [...document.querySelectorAll('.reveal .slides section')]
        .filter(s => !s.querySelector('section'));
    leaves.forEach((s, i) => s.setAttribute('data-walk-index', i));
    return leaves.length;
}"""

WHERE = """() => {
    const s = Reveal.getCurrentSlide();
    const i = Reveal.getIndices();
    return {slide: s ? Number(s.getAttribute('data-walk-index')) : -1,
            h: i.h, v: i.v || 0, f: (i.f === undefined ? null : i.f),
            visible: s ? s.querySelectorAll('.fragment.visible').length : 0};
}"""

# Measures the slide on screen: what sticks out of the viewport, what scrolls or is clipped,
# which code lines are cut, the plumbing in its text, the smallest text and figure text.
MEASURE = r"""(plumbing) => {
    const slide = Reveal.getCurrentSlide();
    const vw = window.innerWidth, vh = window.innerHeight;
    const slides = document.querySelector('.reveal .slides');
    const scale = slides.getBoundingClientRect().width / Reveal.getConfig().width;
    const HIDDEN = 'aside.notes, script, style, noscript, .MJX_Assistive_MathML, '
        + '.MathJax_Preview, .bpcourse-ignore-measure';
    const MATH = '.MathJax_CHTML, .MathJax_Display, .MathJax, mjx-container';
    const rendered = el => el.getClientRects().length > 0;
    let box = {top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity};
    const grow = r => {
        if (r.width <= 0 || r.height <= 0) return;
        box.top = Math.min(box.top, r.top); box.bottom = Math.max(box.bottom, r.bottom);
        box.left = Math.min(box.left, r.left); box.right = Math.max(box.right, r.right);
    };
    let smallestText = Infinity, smallestTextSample = '';
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const parent = node.parentElement;
        if (!parent || parent.closest(HIDDEN)) continue;
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()];
        if (!rects.length) continue;
        rects.forEach(grow);
        if (!parent.closest(MATH)) {
            const px = parseFloat(getComputedStyle(parent).fontSize) * scale;
            if (px < smallestText) {
                smallestText = px; smallestTextSample = node.textContent.trim().slice(0, 60);
            }
        }
    }
    for (const el of slide.querySelectorAll('img, svg, canvas, video, iframe, table')) {
        if (el.closest(HIDDEN) || !rendered(el)) continue;
        if (el.tagName.toLowerCase() === 'svg' && el.closest(MATH)) continue;
        grow(el.getBoundingClientRect());
    }
    // Elements that scroll or clip their content.
    const clipped = [];
    for (const el of [slide, ...slide.querySelectorAll('*')]) {
        if (el.closest(HIDDEN) || !rendered(el)) continue;
        if (el.closest('.MathJax_CHTML') && !el.matches('.MathJax_CHTML')) continue;
        const style = getComputedStyle(el);
        const tall = el.scrollHeight > el.clientHeight + 2
            && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowY);
        const wide = el.scrollWidth > el.clientWidth + 2
            && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
        if ((tall || wide) && el.tagName.toLowerCase() !== 'pre') {
            clipped.push({tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 60),
                          tall, wide, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
                          scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
        }
    }
    // Code lines cut at the right: past the <pre>'s box when it clips, or past the viewport.
    let cutLines = 0, codeLines = 0;
    const cutSamples = [];
    for (const pre of slide.querySelectorAll('pre')) {
        if (pre.closest(HIDDEN) || !rendered(pre)) continue;
        const style = getComputedStyle(pre);
        const preBox = pre.getBoundingClientRect();
        const clips = style.overflowX !== 'visible';
        const limit = Math.min(vw, clips ? preBox.right - (parseFloat(style.paddingRight) || 0) * 0
                                               : Infinity);
        const lines = new Map();
        const tw = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        for (let node = tw.nextNode(); node; node = tw.nextNode()) {
            if (!node.textContent.trim()) continue;
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
                if (r.width <= 0) continue;
                const key = Math.round(r.top);
                lines.set(key, Math.max(lines.get(key) || -Infinity, r.right));
            }
        }
        codeLines += lines.size;
        const text = pre.textContent.split('\n');
        for (const [top, right] of lines) {
            if (right > limit + 1) {
                cutLines += 1;
                if (cutSamples.length < 3) cutSamples.push(
                    text.find(t => t.length > 60) || text[0]);
            }
        }
    }
    // The text a reader sees (speaker notes, scripts and MathJax's hidden copies left out).
    const copy = slide.cloneNode(true);
    copy.querySelectorAll(HIDDEN).forEach(e => e.remove());
    const text = copy.textContent;
    const code = [...copy.querySelectorAll('pre')].map(p => p.textContent).join('\n');
    const found = {};
    for (const [name, pattern] of Object.entries(plumbing.patterns)) {
        const where = plumbing.anywhere.includes(name) ? text : code;
        const m = where.match(new RegExp(pattern));
        if (m) found[name] = where.slice(Math.max(0, m.index - 30), m.index + 50)
            .replace(/\s+/g, ' ');
    }
    // Figures: the smallest text on screen, from the text height the notebook recorded.
    const figures = [];
    for (const img of slide.querySelectorAll('img')) {
        if (img.closest(HIDDEN) || !rendered(img)) continue;
        const r = img.getBoundingClientRect();
        const attr = img.getAttribute('data-min-text-px');
        const onScreen = r.width / (img.naturalWidth || r.width);
        figures.push({width: Math.round(r.width), height: Math.round(r.height),
                      natural: [img.naturalWidth, img.naturalHeight],
                      min_text_image_px: attr === null ? null : parseFloat(attr),
                      min_text_screen_px: attr === null ? null : parseFloat(attr) * onScreen,
                      alt: (img.getAttribute('alt') || '').slice(0, 60)});
    }
    const cells = [...slide.querySelectorAll('.jp-Cell')].map(c => c.id.replace(/^cell-id=/, ''));
    const heading = slide.querySelector('h1, h2, h3, h4');
    return {
        scale, cells, heading: heading ? heading.textContent.replace('¶', '').trim() : '',
        content: box.top === Infinity ? null : {top: box.top, bottom: box.bottom,
                                                left: box.left, right: box.right},
        overflow_bottom: box.bottom === -Infinity ? 0 : Math.max(0, box.bottom - vh),
        overflow_top: box.top === Infinity ? 0 : Math.max(0, -box.top),
        overflow_right: box.right === -Infinity ? 0 : Math.max(0, box.right - vw),
        overflow_left: box.left === Infinity ? 0 : Math.max(0, -box.left),
        clipped, code_lines: codeLines, cut_lines: cutLines, cut_samples: cutSamples,
        plumbing: found, figures,
        smallest_text_px: smallestText === Infinity ? null : smallestText,
        smallest_text_sample: smallestTextSample,
    };
}"""


def walk(page, key="ArrowRight", measure=True):
    """Press ``key`` from the first slide to the end; return (number of slides, visits).

    ``visits`` lists, in order, each slide index the first time it is on screen, with its
    measurements when ``measure``. The walk stops when a key press changes nothing.
    """
    total = page.evaluate(NUMBER_SLIDES)
    page.evaluate(
        "() => { Reveal.configure({transition: 'none', backgroundTransition: 'none'});"
        " Reveal.slide(0, 0, -1); document.activeElement && document.activeElement.blur(); }"
    )
    settle(page)
    visits, seen = [], set()
    where = page.evaluate(WHERE)
    for _ in range(10 * total + 20):
        if where["slide"] not in seen:
            seen.add(where["slide"])
            entry = {"slide": where["slide"], "h": where["h"], "v": where["v"]}
            if measure:
                settle(page)
                entry.update(page.evaluate(MEASURE, {"patterns": PLUMBING, "anywhere": ANYWHERE}))
            visits.append(entry)
        page.keyboard.press(key)
        settle(page)
        after = page.evaluate(WHERE)
        if after == where:
            break
        where = after
    for entry in visits:
        entry["reached"] = True
    if measure:  # slides the key never reached are still measured, for the other tests
        for index in sorted(set(range(total)) - seen):
            h, v = page.evaluate(GO_TO_SLIDE, index)
            settle(page)
            entry = {"slide": index, "h": h, "v": v, "reached": False}
            entry.update(page.evaluate(MEASURE, {"patterns": PLUMBING, "anywhere": ANYWHERE}))
            visits.append(entry)
    return total, visits


GO_TO_SLIDE = """(index) => {
    const s = document.querySelector(`.reveal .slides section[data-walk-index="${index}"]`);
    const i = Reveal.getIndices(s);
    Reveal.slide(i.h, i.v || 0, -1);
    return [i.h, i.v || 0];
}"""


RESULTS = {}  # (stem, viewport) -> (total, visits)


@pytest.fixture(scope="module")
def walked(browser, decks, artifacts):
    """The walk of one deck at one viewport, done once and written to the artifacts."""

    def get(stem, viewport):
        key = (stem, viewport)
        if key not in RESULTS:
            context, page, log = open_offline(browser, _deck(decks, stem), VIEWPORTS[viewport])
            try:
                total, visits = walk(page)
                failing = [v for v in visits if problems(v)]
                shots = artifacts / "decks"
                shots.mkdir(exist_ok=True)
                for v in failing[:SCREENSHOT_LIMIT]:
                    page.evaluate(f"() => Reveal.slide({v['h']}, {v['v']}, -1)")
                    settle(page)
                    page.screenshot(path=str(shots / f"{stem}_{viewport}_{v['slide'] + 1:02d}.png"))
            finally:
                context.close()
            RESULTS[key] = (total, visits, log)
            write_report(artifacts, viewport)
        return RESULTS[key]

    return get


def problems(v):
    """What fails on one measured slide, as short phrases (empty when it passes)."""
    found = []
    tall = v["overflow_bottom"] + v["overflow_top"]
    wide = v["overflow_right"] + v["overflow_left"]
    if tall > 1:
        found.append(f"taller than the screen by {tall:.0f} px")
    if wide > 1:
        found.append(f"wider than the screen by {wide:.0f} px")
    for c in v["clipped"]:
        found.append(
            f"a <{c['tag']} class='{c['cls'][:30]}'> scrolls/clips "
            f"({c['scrollWidth']}x{c['scrollHeight']} in {c['clientWidth']}x{c['clientHeight']})"
        )
    if v["cut_lines"]:
        found.append(f"{v['cut_lines']} code line(s) cut")
    for name in v["plumbing"]:
        found.append(f"plumbing: {name}")
    for f in v["figures"]:
        if f["min_text_screen_px"] is None:
            found.append("figure text size unmeasured (re-execute the notebook)")
        elif f["min_text_screen_px"] < MIN_FIGURE_TEXT_PX - 0.05:
            found.append(f"figure text {f['min_text_screen_px']:.1f} px")
    if v["smallest_text_px"] is not None and v["smallest_text_px"] < MIN_TEXT_PX - 0.05:
        found.append(f"text {v['smallest_text_px']:.1f} px ('{v['smallest_text_sample'][:30]}')")
    return found


def write_report(artifacts, viewport):
    """decks_<viewport>.json and .txt: every deck walked so far at ``viewport``."""
    data, lines = {}, []
    for (stem, vp), (total, visits, _) in sorted(RESULTS.items()):
        if vp != viewport:
            continue
        data[stem] = {
            "slides": total,
            "reached": sum(v["reached"] for v in visits),
            "visits": sorted(visits, key=lambda v: v["slide"]),
        }
        failing = [v for v in visits if problems(v)]
        lines.append(
            f"{stem}: {sum(v['reached'] for v in visits)}/{total} slides reached by ArrowRight, "
            f"{len(failing)} failing"
        )
        for v in sorted(failing, key=lambda v: v["slide"]):
            cells = ",".join(v["cells"][:4]) + ("..." if len(v["cells"]) > 4 else "")
            lines.append(
                f"  slide {v['slide'] + 1} ({v['h']}/{v['v']}) [{cells}] {v['heading'][:50]!r}: "
                + "; ".join(problems(v))
            )
    (artifacts / f"decks_{viewport}.json").write_text(json.dumps(data, indent=1) + "\n")
    (artifacts / f"decks_{viewport}.txt").write_text("\n".join(lines) + "\n")


def _where(v):
    return f"slide {v['slide'] + 1} ({v['heading'][:40]!r}, cells {', '.join(v['cells'][:3])})"


# ----------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("stem", STEMS)
def test_arrow_right_reaches_every_slide_in_order(walked, stem, viewport):
    total, visits, log = walked(stem, viewport)
    assert log["blocked"] == [], f"the deck tried the network: {log['blocked'][:5]}"
    assert log["errors"] == [], f"JavaScript errors: {log['errors'][:5]}"
    reached = [v["slide"] for v in visits if v["reached"]]
    missed = sorted(set(range(total)) - set(reached))
    assert missed == [], (
        f"{stem}: ArrowRight reached {len(reached)} of {total} slides; never reached: "
        f"{[m + 1 for m in missed]}"
    )
    assert reached == sorted(reached), f"{stem}: slides reached out of order: {reached}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("stem", STEMS)
def test_every_slide_fits_the_screen(walked, stem, viewport):
    total, visits, _ = walked(stem, viewport)
    bad = []
    for v in visits:
        found = [p for p in problems(v) if "screen" in p or "scrolls" in p]
        if found:
            bad.append(f"{_where(v)}: {'; '.join(found)}")
    assert bad == [], f"{stem} at {viewport}: {len(bad)} of {total} slides do not fit:\n" + (
        "\n".join(bad)
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("stem", STEMS)
def test_no_code_line_is_cut(walked, stem, viewport):
    total, visits, _ = walked(stem, viewport)
    bad = [
        f"{_where(v)}: {v['cut_lines']} line(s), e.g. {v['cut_samples'][:1]}"
        for v in visits
        if v["cut_lines"]
    ]
    cut = sum(v["cut_lines"] for v in visits)
    assert bad == [], f"{stem} at {viewport}: {cut} code lines cut on {len(bad)} slides:\n" + (
        "\n".join(bad)
    )


@pytest.mark.parametrize("stem", STEMS)
def test_no_plumbing_on_any_slide(walked, stem):
    total, visits, _ = walked(stem, "1280x720")
    bad = [f"{_where(v)}: {v['plumbing']}" for v in visits if v["plumbing"]]
    assert bad == [], f"{stem}: plumbing on {len(bad)} of {total} slides:\n" + "\n".join(bad)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("stem", STEMS)
def test_figure_text_reads_from_the_back_of_the_hall(walked, stem, viewport):
    total, visits, _ = walked(stem, viewport)
    bad = []
    for v in visits:
        for f in v["figures"]:
            size = f["min_text_screen_px"]
            if size is None:
                bad.append(f"{_where(v)}: figure {f['alt']!r}: text size unmeasured")
            elif size < MIN_FIGURE_TEXT_PX - 0.05:
                bad.append(f"{_where(v)}: figure {f['alt']!r}: smallest text {size:.1f} px")
    assert bad == [], (
        f"{stem} at {viewport}: figure text under {MIN_FIGURE_TEXT_PX:.0f} px on screen:\n"
        + "\n".join(bad)
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("stem", STEMS)
def test_slide_text_reads_from_the_back_of_the_hall(walked, stem, viewport):
    total, visits, _ = walked(stem, viewport)
    bad = [
        f"{_where(v)}: {v['smallest_text_px']:.1f} px ({v['smallest_text_sample'][:40]!r})"
        for v in visits
        if v["smallest_text_px"] is not None and v["smallest_text_px"] < MIN_TEXT_PX - 0.05
    ]
    assert bad == [], f"{stem} at {viewport}: text under {MIN_TEXT_PX:.0f} px:\n" + "\n".join(bad)


@pytest.mark.parametrize("key", ["Space", "PageDown"])
@pytest.mark.parametrize("stem", STEMS)
def test_space_and_a_clicker_walk_the_same_path(browser, decks, walked, stem, key):
    total, visits, _ = walked(stem, "1280x720")
    context, page, _ = open_offline(browser, _deck(decks, stem), VIEWPORTS["1280x720"])
    try:
        count, path = walk(page, key=key, measure=False)
    finally:
        context.close()
    assert count == total
    assert [v["slide"] for v in path] == list(range(total)), (
        f"{stem}: {key} reached {len(path)} of {total} slides"
    )


# ----------------------------------------------------------------------------- offline
@pytest.fixture(scope="module")
def maths_deck(decks):
    """The deck with the most display maths (04 if it is there)."""
    for stem in ["04_backpropagation", *STEMS]:
        deck = decks / f"{stem}.slides.html"
        if deck.is_file() and "$$" in deck.read_text(encoding="utf-8"):
            return deck
    pytest.fail("no deck with display maths")


def test_deck_html_loads_no_script_or_stylesheet_from_the_web(build_slides, decks):
    for stem in STEMS:
        html = _deck(decks, stem).read_text(encoding="utf-8")
        assert build_slides.remote_resources(html) == [], stem
        assert 'src="lib/mathjax/MathJax.js' in html
        assert 'href="lib/reveal.js/dist/reveal.css"' in html


def test_mathjax_typesets_every_formula_offline(browser, maths_deck, artifacts):
    context, page, log = open_offline(browser, maths_deck, VIEWPORTS["1280x720"])
    try:
        assert log["blocked"] == [], f"the deck tried the network: {log['blocked']}"
        assert log["failed"] == [], f"local files failed to load: {log['failed']}"
        assert log["errors"] == [], f"JavaScript errors: {log['errors']}"
        assert page.locator(".reveal .controls").count() == 1
        rendered = page.locator(".reveal .slides .MathJax_CHTML")
        assert rendered.count() > 5
        leftover = page.evaluate(RAW_TEX)
        assert leftover == [], f"raw LaTeX left on the slides: {leftover}"
        assert page.locator(".reveal .slides .MathJax_CHTML .merror").count() == 0
        page.evaluate(GO_TO_DISPLAY_MATHS)
        settle(page)
        page.screenshot(path=str(artifacts / f"slides_{maths_deck.name.split('.')[0]}.png"))
    finally:
        context.close()


# Text a reader sees on the slides that is still TeX source.
RAW_TEX = """() => {
    const slides = document.querySelector('.reveal .slides').cloneNode(true);
    slides.querySelectorAll('script, style, pre, code, .MJX_Assistive_MathML, aside.notes')
          .forEach(e => e.remove());
    const text = slides.textContent;
    const at = [];
    for (const token of ['$$', '\\\\begin{', '\\\\frac']) {
        const i = text.indexOf(token);
        if (i >= 0) at.push(text.slice(Math.max(0, i - 40), i + 40));
    }
    return at;
}"""
GO_TO_DISPLAY_MATHS = """() => {
    const slide = [...document.querySelectorAll('.reveal .slides section')]
        .find(s => !s.querySelector('section') && s.querySelector('.MathJax_Display'));
    if (slide) Reveal.slide(...Object.values(Reveal.getIndices(slide)).slice(0, 2));
}"""


# ----------------------------------------------------------------------------- presenting
SLIDE_NUMBER = """() => {
    const el = document.querySelector('.reveal .slide-number');
    if (!el || getComputedStyle(el).display === 'none') return null;
    const r = el.getBoundingClientRect();
    return {text: el.textContent.replace(/\\s+/g, ''), inside: r.bottom <= innerHeight
            && r.right <= innerWidth && r.width > 0, total: Reveal.getTotalSlides()};
}"""


@pytest.mark.parametrize("stem", STEMS[:1] + STEMS[-1:])
def test_the_slide_number_shows_i_of_n(browser, decks, stem):
    context, page, _ = open_offline(browser, _deck(decks, stem), VIEWPORTS["1280x720"])
    try:
        total = page.evaluate(NUMBER_SLIDES)
        page.evaluate("() => Reveal.configure({transition: 'none'})")
        page.keyboard.press("End")
        settle(page)
        for _ in range(3):
            shown = page.evaluate(SLIDE_NUMBER)
            assert shown is not None and shown["inside"], f"no slide number on screen: {shown}"
            current = page.evaluate(
                "() => Number(Reveal.getCurrentSlide().getAttribute('data-walk-index'))"
            )
            assert shown["text"] == f"{current + 1}/{total}", shown
            page.keyboard.press("PageUp")
            settle(page)
    finally:
        context.close()


def _notes_deck(decks):
    """A deck with speaker notes, and the index (h, v) of the first slide that has some."""
    for stem in STEMS:
        html = _deck(decks, stem).read_text(encoding="utf-8")
        if '<aside class="notes">' in html:
            return _deck(decks, stem)
    pytest.fail("no deck has speaker notes (cells with slide type 'notes')")


def test_speaker_view_opens_offline_with_the_notes(browser, decks, artifacts):
    deck = _notes_deck(decks)
    context, page, log = open_offline(browser, deck, VIEWPORTS["1280x720"])
    try:
        notes = page.evaluate(
            """() => {
                const s = [...document.querySelectorAll('.reveal .slides section')]
                    .find(s => !s.querySelector('section') && s.querySelector('aside.notes'));
                const i = Reveal.getIndices(s);
                Reveal.slide(i.h, i.v || 0);
                return s.querySelector('aside.notes').textContent.trim();
            }"""
        )
        settle(page)
        with page.expect_popup() as popup_info:
            page.keyboard.press("s")
        speaker = popup_info.value
        speaker.wait_for_load_state("load")
        speaker.wait_for_selector(".speaker-controls-notes .value", timeout=30_000)
        words = " ".join(notes.split()[:6])
        speaker.wait_for_function(
            "(words) => document.querySelector('.speaker-controls-notes .value')"
            ".textContent.replace(/\\s+/g, ' ').includes(words)",
            arg=words,
            timeout=30_000,
        )
        frame = speaker.frame_locator("#current-slide iframe")
        frame.locator(".reveal.ready").wait_for(state="attached", timeout=30_000)
        speaker.screenshot(path=str(artifacts / "speaker_view.png"))
        assert log["blocked"] == [], f"the speaker view tried the network: {log['blocked']}"
    finally:
        context.close()


# ----------------------------------------------------------------------------- serving
def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served_as_nobody(build_slides, tmp_path_factory):
    """`make slides` into a fresh folder, served by ``python -m http.server`` as ``nobody``.

    The folder is built by the builder itself (libraries copied from slides/lib, not
    symlinked), so the test sees the modes the builder gives its files. Only the folders
    above it are opened to others (a temporary folder is private by default).
    """
    if os.geteuid() != 0:
        pytest.skip("serving as another user needs root (setpriv); CI runs as root")
    setpriv = shutil.which("setpriv")
    python = "/usr/bin/python3"
    if setpriv is None or not Path(python).exists():
        pytest.fail("setpriv and /usr/bin/python3 (Debian's) are needed to serve as nobody")
    base = tmp_path_factory.mktemp("served")
    out = base / "slides"
    build_slides.main(
        [str(NOTEBOOKS[0]), str(NOTEBOOKS[3] if len(NOTEBOOKS) > 3 else NOTEBOOKS[-1])]
        + ["--out", str(out), "--allow-missing-alt"]
    )
    for folder in [base, *base.parents]:
        if folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | 0o005)
    port = _free_port()
    process = subprocess.Popen(
        [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", python]
        + ["-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd="/",
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"http.server as nobody did not start:\n{output}")
            time.sleep(0.2)
    try:
        yield out, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)


def test_decks_render_when_served_by_another_user(browser, served_as_nobody, artifacts):
    out, url = served_as_nobody
    unreadable = [
        str(p.relative_to(out))
        for p in [out, *out.rglob("*")]
        if not p.is_symlink() and (p.stat().st_mode & (0o005 if p.is_dir() else 0o004)) == 0
    ]
    assert unreadable == [], f"not readable by others: {unreadable[:10]}"
    for deck in sorted(out.glob("*.slides.html")):
        context = _served_context(browser)
        failed, statuses = [], []
        page = context.new_page()
        page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
        page.on(
            "response",
            lambda r, statuses=statuses: (
                statuses.append((r.status, r.url)) if r.status >= 400 else None
            ),
        )
        try:
            page.goto(f"{url}/{deck.name}", wait_until="load")
            ready(page)
            assert statuses == [], f"{deck.name}: HTTP errors {statuses[:5]}"
            assert failed == [], f"{deck.name}: requests failed {failed[:5]}"
            assert page.locator(".reveal .slides .MathJax_CHTML").count() > 0
            assert page.evaluate(RAW_TEX) == []
            page.screenshot(path=str(artifacts / f"served_as_nobody_{deck.stem}.png"))
        finally:
            context.close()


def _served_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(60_000)

    def loopback_only(route):
        if re.match(r"^(http://127\.0\.0\.1:\d+/|data:|blob:)", route.request.url):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", loopback_only)
    return context


# ----------------------------------------------------------------------------- live, RISE
RISE_SLIDE = """() => {
    const present = document.querySelector('.reveal .slides section.present section.present')
        || document.querySelector('.reveal .slides section.present');
    if (!present) return null;
    const shown = el => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    return {
        id: present.id,
        code: [...present.querySelectorAll('.jp-InputArea-editor')].filter(shown)
            .map(e => e.textContent).join('\\n'),
        text: present.innerText,
        skipped: [...present.querySelectorAll('.reveal-skip')].filter(shown).length,
        folded: [...present.querySelectorAll('.jp-InputPlaceholder')].filter(shown).length,
    };
}"""


def test_live_presenting_with_rise_shows_the_lecture(browser, scratch_lab, build_slides):
    """The live notebook (``make slides SOLUTIONS=1``) in jupyterlab-rise: the right arrow
    reaches every slide, and no skipped cell, folded source or plumbing shows."""
    from tools import editions

    notebook = next((nb for nb in NOTEBOOKS if nb.stem.startswith("04_")), NOTEBOOKS[0])
    folder = scratch_lab.root_dir / "live-decks"
    (live,) = build_slides.write_live([notebook], folder)
    nb = json.loads(live.read_text(encoding="utf-8"))
    slides = sum(editions.slide_type(c) == "slide" for c in nb["cells"])
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(120_000)
    page = context.new_page()
    try:
        page.goto(f"{scratch_lab.url}/rise/live-decks/{live.name}?token={scratch_lab.token}")
        page.wait_for_selector(".reveal .slides section.present", timeout=120_000)
        page.wait_for_timeout(3000)  # RISE lays the slides out after the notebook renders
        seen, bad = [], []
        for _ in range(4 * slides + 10):
            state = page.evaluate(RISE_SLIDE)
            if not seen or state["id"] != seen[-1]:
                seen.append(state["id"])
                found = [
                    name
                    for name, pattern in PLUMBING.items()
                    if re.search(pattern, state["code"] + "\n" + state["text"])
                ]
                if found or state["skipped"] or state["folded"]:
                    bad.append((state["id"], found, state["skipped"], state["folded"]))
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(400)
            if page.evaluate(RISE_SLIDE)["id"] == state["id"]:
                page.keyboard.press("ArrowRight")  # a fragment, or the end
                page.wait_for_timeout(400)
                if page.evaluate(RISE_SLIDE)["id"] == state["id"] and len(seen) >= slides:
                    break
    finally:
        context.close()
    assert len(seen) == slides, f"RISE reached {len(seen)} of {slides} slides"
    assert bad == [], f"shown in RISE (slide, plumbing, skipped cells, folded sources): {bad}"
