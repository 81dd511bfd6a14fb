"""The exported slide decks pass axe-core with no serious or critical violation.

Every deck of ``notebooks/NN_*.ipynb`` is exported now with tools/build_slides.py into a
temporary folder (``--allow-missing-alt``, so a figure without a text alternative keeps
nbconvert's placeholder and the placeholder test below names it), opened from file:// in
headless Chromium with every other request aborted, and checked with axe-core:

- once on the whole page at the first slide (page rules: language, title, landmarks; the
  slide number, controls and progress bar that reveal.js draws on top of every slide);
- then on each (sub)slide, made the present one with ``Reveal.slide(h, v)``, with fragments
  and transitions turned off so everything on the slide is visible when axe looks.

A second test presses Tab through a deck: the focus must never land in a slide that is not
on screen (reveal.js hides those with aria-hidden; nbconvert makes every cell focusable).

axe-core comes from the npm registry at test time (``npm pack``, pinned, into
``build/axe-core/``, git-ignored), never from a CDN. Every violation found, of any impact, is
written to ``test-artifacts/browser/axe_<deck>.json``.

``$BPCOURSE_AXE_DECKS`` points the test at a folder of decks already built (for instance an
older build, to compare) instead of exporting them.
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
AXE = "axe-core@4.14.1"
AXE_DIR = ROOT / "build" / "axe-core"
FAILING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
PLACEHOLDER = "No description has been provided for this image"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_js():
    """Path of axe.min.js, fetched once with ``npm pack`` into build/axe-core/."""
    target = AXE_DIR / AXE / "axe.min.js"
    if not target.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is needed once to fetch axe-core")
        pack = AXE_DIR / "pack"
        if pack.exists():
            shutil.rmtree(pack)
        pack.mkdir(parents=True)
        subprocess.run(
            [npm, "pack", AXE, "--silent"],
            cwd=pack,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = pack.glob("*.tgz")
        with tarfile.open(tarball, "r:gz") as tar:
            data = tar.extractfile("package/axe.min.js").read()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_suffix(".tmp").write_bytes(data)
        target.with_suffix(".tmp").rename(target)
        shutil.rmtree(pack)
    return target


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Folder of the decks under test: exported now, or ``$BPCOURSE_AXE_DECKS``."""
    given = os.environ.get("BPCOURSE_AXE_DECKS")
    if given:
        return Path(given).resolve()
    from tools import build_slides

    lib = build_slides.DEFAULT_OUT / "lib"
    build_slides.fetch_libraries(lib)  # npm once, if slides/lib is not there yet
    out = tmp_path_factory.mktemp("a11y-slides")
    (out / "lib").symlink_to(lib, target_is_directory=True)
    build_slides.main([*map(str, NOTEBOOKS), "--out", str(out), "--allow-missing-alt"])
    return out


def _open_offline(browser, deck):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked = []

    def only_local(route):
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_offline(True)
    page = context.new_page()
    page.goto(deck.as_uri(), wait_until="load")
    page.wait_for_selector(".reveal.ready .slides section.present", timeout=30_000)
    page.wait_for_function("window.MathJax && MathJax.isReady === true", timeout=60_000)
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
    # The deck loads reveal.js through require.js; the module is the same object it started.
    page.evaluate(
        "() => new Promise(done => require(['lib/reveal.js/dist/reveal.js'],"
        " R => { window.Reveal = R; done(true); }))"
    )
    return context, page, blocked


# Runs axe on `context` (a selector, or null for the whole document) and returns the
# violations, each node reduced to what a reader of the report needs.
RUN_AXE = """async (selector) => {
    const context = selector ? document.querySelector(selector) : document;
    const result = await axe.run(context, {resultTypes: ["violations", "incomplete"]});
    const reduce = list => list.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({
            target: n.target.join(" "), impact: n.impact,
            html: n.html.slice(0, 300), summary: n.failureSummary,
        })),
    }));
    return {violations: reduce(result.violations), incomplete: reduce(result.incomplete)};
}"""

SLIDE_SHAPE = """() => [...document.querySelectorAll('.reveal .slides > section')].map(
    s => s.querySelectorAll(':scope > section').length || 1)"""


def audit(page):
    """axe's findings on the open deck, one per (rule, element): (violations, incomplete).

    "incomplete" lists what axe could not decide (for instance the contrast of text over an
    image or outside a scrolled area); those are written to the report, not asserted.
    """
    found, unsure = {}, {}

    def merge(found, violations, where):
        for v in violations:
            for node in v["nodes"]:
                key = (v["id"], node["target"])
                if key not in found:
                    found[key] = {
                        "id": v["id"],
                        "impact": node["impact"] or v["impact"],
                        "help": v["help"],
                        "helpUrl": v["helpUrl"],
                        "target": node["target"],
                        "html": node["html"],
                        "summary": node["summary"],
                        "slides": [],
                    }
                found[key]["slides"].append(where)

    def add(results, where):
        merge(found, results["violations"], where)
        merge(unsure, results["incomplete"], where)

    page.evaluate(
        "() => Reveal.configure({fragments: false, transition: 'none',"
        " backgroundTransition: 'none'})"
    )
    page.evaluate("() => Reveal.slide(0, 0)")
    add(page.evaluate(RUN_AXE, None), "page")
    for h, count in enumerate(page.evaluate(SLIDE_SHAPE)):
        for v in range(count):
            page.evaluate(f"() => Reveal.slide({h}, {v})")
            page.evaluate(
                "() => new Promise(done => MathJax.Hub.Queue("
                "() => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"
            )
            present = (
                ".reveal .slides > section.present > section.present"
                if page.evaluate(
                    "() => !!document.querySelector("
                    "'.reveal .slides > section.present > section.present')"
                )
                else ".reveal .slides > section.present"
            )
            add(page.evaluate(RUN_AXE, present), f"{h}/{v}")
    return list(found.values()), list(unsure.values())


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_deck_has_no_serious_or_critical_axe_violation(browser, axe_js, decks, artifacts, notebook):
    deck = decks / f"{notebook.stem}.slides.html"
    assert deck.is_file(), f"no deck {deck}"
    context, page, blocked = _open_offline(browser, deck)
    try:
        page.add_script_tag(content=axe_js.read_text(encoding="utf-8"))
        violations, incomplete = audit(page)
    finally:
        context.close()
    counts = {impact: 0 for impact in IMPACTS}
    for v in violations:
        counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    by_rule = {}
    for v in violations:
        by_rule[f"{v['impact']} {v['id']}"] = by_rule.get(f"{v['impact']} {v['id']}", 0) + 1
    unsure = {}
    for v in incomplete:
        unsure[v["id"]] = unsure.get(v["id"], 0) + 1
    report = {
        "deck": deck.name,
        "axe": AXE,
        "counts": counts,  # elements, per impact of their violation
        "by_rule": by_rule,
        "incomplete_by_rule": unsure,  # elements axe could not decide, per rule
        "blocked_requests": blocked,
        "violations": sorted(violations, key=lambda v: (IMPACTS.index(v["impact"]), v["id"])),
        "incomplete": incomplete,
    }
    name = re.sub(r"\.slides\.html$", "", deck.name)
    (artifacts / f"axe_{name}.json").write_text(json.dumps(report, indent=1) + "\n")
    assert blocked == [], f"the deck tried the network: {blocked}"
    bad = [
        f"{v['impact']} {v['id']} on slide(s) {', '.join(v['slides'][:5])}: {v['target']}"
        f" ({v['help']})"
        for v in violations
        if v["impact"] in FAILING
    ]
    assert bad == [], f"{len(bad)} serious or critical (report: axe_{name}.json):\n" + "\n".join(
        bad[:40]
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_every_deck_image_has_a_text_alternative(decks, notebook):
    """No image keeps nbconvert's placeholder alt text (axe accepts it: it is an alt)."""
    html = (decks / f"{notebook.stem}.slides.html").read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    placeholders = [i for i, tag in enumerate(images) if PLACEHOLDER in tag]
    assert placeholders == [], (
        f"{len(placeholders)} of {len(images)} images of {notebook.stem} have no text "
        "alternative (cell metadata bpcourse.alt)"
    )


FOCUSED = """() => {
    const e = document.activeElement;
    return {
        tag: e.tagName, cls: String(e.className).slice(0, 60),
        hidden: !!e.closest('[aria-hidden="true"], [inert]'),
        slide: !!e.closest('.reveal .slides section'),
        present: !!e.closest('.reveal .slides section.present'),
    };
}"""


def test_tab_keeps_the_focus_on_the_slide_on_screen(browser, decks):
    notebook = NOTEBOOKS[0]
    context, page, _ = _open_offline(browser, decks / f"{notebook.stem}.slides.html")
    try:
        page.evaluate("() => Reveal.configure({transition: 'none'})")
        visited = []
        for h, v in [(0, 0), (2, 0), (3, 1)]:
            page.evaluate(f"() => Reveal.slide({h}, {v})")
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            for _ in range(12):
                page.keyboard.press("Tab")
                focused = page.evaluate(FOCUSED)
                visited.append(focused)
                assert not focused["hidden"], f"slide {h}/{v}: focus in a hidden slide {focused}"
                assert focused["present"] or not focused["slide"], (h, v, focused)
        assert any(f["present"] for f in visited), "Tab never reached a cell of the slide"
    finally:
        context.close()
