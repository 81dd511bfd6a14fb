"""Print every slide deck to a PDF handout: one page per slide, fragments shown, math typeset.

`make handouts` runs this script after `make slides`::

    .venv/bin/python tools/build_handouts.py [slides/NN_topic.slides.html ...] [--out DIR]

Each deck of ``slides/`` (built by tools/build_slides.py, offline) is opened from ``file://``
in Debian's headless Chromium (Playwright drives it; no browser is downloaded, every request
that is not a local file is refused) in reveal.js's print view with reveal's own settings
given in the URL (reveal.js reads its configuration from the query string)::

    deck.slides.html?print-pdf&pdfSeparateFragments=false&pdfMaxPagesPerSlide=1
                    &showSlideNumber=print

so every fragment of a slide is shown on the slide's one page, with its slide number. Then:

1. wait until MathJax has typeset every formula (its ``MathJax.Hub.Queue`` has run dry) and
   the web fonts and images have loaded;
2. lay each page out again, now that the formulas have their final size: reveal.js measured
   the slides while MathJax was still working. A slide taller than the page is laid out
   wider (up to 2.4 times, so its text takes fewer lines) and scaled down to fit the page,
   at the width that needs the least shrinking (reveal would otherwise cut it off, or give it
   a second page);
3. print with ``page.pdf`` at reveal's page size (the slide plus its margins), backgrounds on.

Writes ``DIR/NN_topic.pdf`` (default ``handouts/``, git-ignored). Each widget shows as the
deck's note ("Interactive widget: it needs a running kernel ..."), next to the static figure
the notebook shows beside it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "slides"
DEFAULT_OUT = ROOT / "handouts"
CHROMIUM = os.environ.get("BPCOURSE_CHROMIUM", "/usr/bin/chromium")
# CONVENTIONS.md section 6: Debian's Chromium, headless, no background connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# reveal.js 4 takes any configuration key from the query string ("false" -> false, "1" -> 1).
PRINT_QUERY = "print-pdf&pdfSeparateFragments=false&pdfMaxPagesPerSlide=1&showSlideNumber=print"
TIMEOUT = 120_000  # ms for a deck's MathJax; 250 formulas take ~10 s on a loaded 2-core box

# Runs after MathJax is done. Reveal's print layout (one .pdf-page per slide) was made when
# the slides were measured, possibly before the formulas were typeset; measure again, scale a
# slide that is taller than the page down to fit, and centre the others as reveal does.
# The decks load reveal.js with require.js, so it is a module, not a global.
REVEAL = "(window.Reveal || require('lib/reveal.js/dist/reveal.js'))"
RELAYOUT_JS = r"""
() => {
  const config = REVEAL.getConfig();
  const pageWidth = parseFloat(document.body.style.width);
  const pageHeight = parseFloat(document.body.style.height);
  // A slide must end a little above the page's end: Chromium moves a figure that crosses the
  // page's bottom edge (by a rounding pixel) to the next page, over the next slide.
  const room = pageHeight + config.pdfPageHeightOffset - 8;
  const WIDER = [1.2, 1.4, 1.6, 1.8, 2.0, 2.4];
  const pages = [...document.querySelectorAll('.reveal .slides .pdf-page')];
  const scales = [];
  for (const page of pages) {
    const slide = page.querySelector(':scope > section');
    if (!slide) { scales.push(null); continue; }
    slide.style.removeProperty('zoom');
    page.style.height = (pageHeight + config.pdfPageHeightOffset) + 'px';
    const height = slide.scrollHeight;
    let scale = 1;
    if (height > room) {
      // Too tall: try the slide wider (text reflows into fewer lines, long code lines show
      // more), and keep the width that needs the least shrinking to fit the page both ways.
      // `zoom` shrinks the layout box too (a transform would not, and Chromium would carry
      // the rest of the slide over to the next page); a zoomed element's own `left` is zoomed.
      const width = parseFloat(slide.style.width);
      let best = {scale: room / height, width};
      for (const factor of WIDER) {
        slide.style.width = width * factor + 'px';
        const fit = Math.min(pageWidth / (width * factor), room / slide.scrollHeight);
        if (fit > best.scale) best = {scale: fit, width: width * factor};
      }
      scale = best.scale;
      slide.style.width = best.width + 'px';
      slide.style.zoom = scale;
      slide.style.left = (pageWidth - best.width * scale) / 2 / scale + 'px';
      slide.style.top = '0px';
    } else if (config.center || slide.classList.contains('center')) {
      slide.style.top = Math.max((pageHeight - height) / 2, 0) + 'px';
    }
    scales.push(scale);
  }
  // Every page breaks after itself; the last one would leave a blank page behind.
  if (pages.length) pages[pages.length - 1].style.setProperty('break-after', 'avoid', 'important');
  return scales;
}
""".replace("REVEAL", REVEAL)

# What the printed page holds, for the build's log and the checks below.
SUMMARY_JS = r"""
() => ({
  pages: document.querySelectorAll('.reveal .slides .pdf-page').length,
  slides: REVEAL.getTotalSlides(),
  formulas: document.querySelectorAll('.reveal .slides .MathJax_CHTML').length,
  errors: document.querySelectorAll('.reveal .slides .MathJax_CHTML .merror').length,
  widgetNotes: document.querySelectorAll('.reveal .slides .bpcourse-widget-note').length,
  images: [...document.querySelectorAll('.reveal .slides img')]
    .filter(img => !(img.complete && img.naturalWidth > 0)).length,
})
""".replace("REVEAL", REVEAL)


class _SlideCounter(HTMLParser):
    """Counts what reveal.js shows as pages: each top-level ``<section>`` is one slide, or,
    when it holds ``<section>`` children (a vertical stack), each child is one."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.children = []  # number of child sections of each top-level section

    def handle_starttag(self, tag, attrs):
        if tag != "section":
            return
        self.depth += 1
        if self.depth == 1:
            self.children.append(0)
        elif self.depth == 2:
            self.children[-1] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth = max(0, self.depth - 1)


def count_slide_pages(html: str) -> int:
    """How many slides (horizontal and vertical) a deck's HTML holds; fragments do not count."""
    counter = _SlideCounter()
    counter.feed(html)
    counter.close()
    return sum(max(1, n) for n in counter.children)


def handout_path(deck: Path, out: Path) -> Path:
    """``slides/NN_topic.slides.html`` -> ``out/NN_topic.pdf``."""
    return out / f"{deck.name.removesuffix('.slides.html')}.pdf"


def print_deck(browser, deck: Path, pdf: Path) -> dict:
    """Print ``deck`` to ``pdf`` in ``browser`` (a Playwright Chromium); return what it holds.

    Raises RuntimeError when the deck tried the network, a script failed, MathJax reported a
    TeX error or an image did not load: a handout with holes is worse than none.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT)
    blocked, errors = [], []

    def only_local(route):
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    context.set_offline(True)
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.emulate_media(media="print")
        page.goto(f"{deck.as_uri()}?{PRINT_QUERY}", wait_until="load")
        page.wait_for_selector(".reveal.ready", state="attached")
        page.wait_for_selector(".reveal .slides .pdf-page", state="attached")
        page.wait_for_function("window.MathJax && MathJax.isReady === true")
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        scales = page.evaluate(RELAYOUT_JS)
        summary = page.evaluate(SUMMARY_JS)
        problems = []
        if blocked:
            problems.append(f"tried the network: {blocked[:5]}")
        if errors:
            problems.append(f"JavaScript errors: {errors[:5]}")
        if summary["errors"]:
            problems.append(f"{summary['errors']} formula(s) with a TeX error")
        if summary["images"]:
            problems.append(f"{summary['images']} image(s) did not load")
        if problems:
            raise RuntimeError(f"{deck.name}: " + "; ".join(problems))
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    fitted = [(s, i) for i, s in enumerate(scales, start=1) if s is not None and s < 1]
    summary["scaled"] = len(fitted)
    summary["smallest_scale"], summary["smallest_page"] = min(fitted, default=(1.0, None))
    return summary


def launch(playwright):
    """Debian's Chromium through Playwright, with the flags of CONVENTIONS.md section 6."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(
            f"build_handouts: no Chromium at {CHROMIUM}; `make browser-deps` installs it"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


def build(decks: list[Path], out: Path) -> list[tuple[Path, dict]]:
    """Print each deck to ``out/NN_topic.pdf`` in one Chromium; return (pdf, summary) pairs."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit(
            "build_handouts: Playwright is missing; `make browser-deps` installs it"
        ) from None
    done = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for deck in decks:
                start = time.monotonic()
                pdf = handout_path(deck, out)
                summary = print_deck(browser, deck, pdf)
                summary["seconds"] = time.monotonic() - start
                done.append((pdf, summary))
                report_line(pdf, summary)
        finally:
            browser.close()
    return done


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def report_line(pdf: Path, s: dict) -> None:
    scaled = (
        f", {s['scaled']} scaled to fit (smallest {s['smallest_scale']:.2f}, "
        f"page {s['smallest_page']})"
    )
    print(
        f"{_shown(pdf)}: {s['pages']} pages for {s['slides']} slides, {s['formulas']} formulas, "
        f"{s['widgetNotes']} widget notes{scaled if s['scaled'] else ''}, "
        f"{pdf.stat().st_size / 1e3:.0f} kB, {s['seconds']:.1f} s",
        flush=True,
    )


def default_decks(slides: Path = SLIDES) -> list[Path]:
    """Every ``NN_*.slides.html`` in ``slides``, in teaching order."""
    return sorted(slides.glob("[0-9][0-9]_*.slides.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("decks", nargs="*", type=Path, help="default: slides/NN_*.slides.html")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: handouts/")
    args = parser.parse_args(argv)
    decks = args.decks or default_decks()
    if not decks:
        raise SystemExit("build_handouts: no slides/NN_*.slides.html; run `make slides` first")
    for deck in decks:
        if not deck.is_file():
            raise SystemExit(f"build_handouts: no such deck: {deck}")
    start = time.monotonic()
    done = build([d.resolve() for d in decks], args.out)
    problems = []
    for (pdf, s), deck in zip(done, decks):
        expected = count_slide_pages(deck.read_text(encoding="utf-8"))
        if s["pages"] != expected:
            problems.append(f"{pdf.name}: {s['pages']} pages for {expected} slides")
    print(f"{len(done)} handout(s) in {_shown(args.out)}/ in {time.monotonic() - start:.0f} s")
    if problems:
        raise SystemExit("build_handouts: " + "; ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
