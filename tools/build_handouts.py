"""Print every lecture deck to PDF handouts: one slide per page, and two slides per A4 page.

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
   the slides while MathJax was still working. A slide taller than the page (a slide the
   browser test reports as too tall for the screen) is laid out wider (up to 2.4 times, so its
   text takes fewer lines) and scaled down to fit the page, at the width that needs the least
   shrinking (reveal would otherwise cut it off, or give it a second page);
3. print with ``page.pdf`` at reveal's page size (the slide plus its margins), backgrounds on:
   ``DIR/NN_topic.pdf``, one slide per page (about 28 x 16 cm: "fit to page" on A4 landscape);
4. impose those pages two to an A4 portrait sheet, one above the other, each in a thin frame
   (pypdf; the pages are placed as they are, text stays text): ``DIR/NN_topic-2up.pdf``.

Lecture slides use 20 px text and 17 px code; printed 2-up that is about 10 and 8.6 pt. Each
handout's smallest text (outside formulas, which set their sub- and superscripts smaller) is
measured in the PDF and printed; below :data:`MIN_PRINTED_PT` the build says which pages.

``DIR`` defaults to ``handouts/`` (git-ignored). Each widget shows as the deck's note next to
the static figure the notebook shows beside it.
"""

from __future__ import annotations

import argparse
import math
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


# ----------------------------------------------------------------------------- n-up
A4 = (595.276, 841.89)  # points, portrait
NUP = 2  # slides per A4 sheet
NUP_MARGIN = 28.35  # points around the sheet (1 cm): more than a printer's unprintable edge
NUP_GAP = 28.35  # points between two slides (1 cm)
MIN_PRINTED_PT = 8.0  # smallest text a handout may print, outside formulas


def nup_path(pdf: Path, per_sheet: int = NUP) -> Path:
    """``handouts/NN_topic.pdf`` -> ``handouts/NN_topic-2up.pdf``."""
    return pdf.with_name(f"{pdf.stem}-{per_sheet}up.pdf")


def nup_layout(page_size, per_sheet: int = NUP, sheet=A4):
    """Where each of ``per_sheet`` pages of ``page_size`` goes on a sheet: (scale, [(x, y)]).

    The pages are stacked in one column, each scaled (the same for all) to fill the sheet's
    width or its share of the height inside the margins, centred in its slot.
    """
    width, height = page_size
    slot_w = sheet[0] - 2 * NUP_MARGIN
    slot_h = (sheet[1] - 2 * NUP_MARGIN - (per_sheet - 1) * NUP_GAP) / per_sheet
    scale = min(slot_w / width, slot_h / height)
    places = []
    for k in range(per_sheet):
        top = sheet[1] - NUP_MARGIN - k * (slot_h + NUP_GAP)
        x = (sheet[0] - width * scale) / 2
        y = top - (slot_h + height * scale) / 2
        places.append((x, y))
    return scale, places


def impose(pdf: Path, out: Path, per_sheet: int = NUP) -> int:
    """Write ``out``: the pages of ``pdf`` ``per_sheet`` to an A4 sheet, framed; return sheets.

    Every page is placed as it is (``merge_transformed_page``): text stays text and fonts stay
    embedded, only scaled. A thin grey frame marks each slide's edge.
    """
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation
    from pypdf.generic import ContentStream, FloatObject

    reader = PdfReader(pdf)
    writer = PdfWriter()
    pages = list(reader.pages)
    for first in range(0, len(pages), per_sheet):
        group = pages[first : first + per_sheet]
        size = (float(group[0].mediabox.width), float(group[0].mediabox.height))
        scale, places = nup_layout(size, per_sheet)
        sheet = PageObject.create_blank_page(width=A4[0], height=A4[1])
        for page, (x, y) in zip(group, places):
            sheet.merge_transformed_page(page, Transformation().scale(scale).translate(x, y))
        contents = sheet.get_contents()
        if contents is None:
            contents = ContentStream(None, reader)
        ops = contents.operations
        ops.append(([], b"q"))
        ops.append(([FloatObject(0.6)], b"G"))
        ops.append(([FloatObject(0.5)], b"w"))
        for page, (x, y) in zip(group, places):
            w = float(page.mediabox.width) * scale
            h = float(page.mediabox.height) * scale
            ops.append(([FloatObject(v) for v in (x, y, w, h)], b"re"))
            ops.append(([], b"S"))
        ops.append(([], b"Q"))
        sheet.replace_contents(contents)
        writer.add_page(sheet)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def _font_name(font) -> str:
    """A font's name without its subset prefix (BaseFont, or the descriptor's FontName)."""
    if font is None:
        return ""
    font = font.get_object()
    name = font.get("/BaseFont")
    if name is None and font.get("/FontDescriptor") is not None:
        name = font["/FontDescriptor"].get_object().get("/FontName")
    return str(name or "").lstrip("/").split("+")[-1]


def printed_text_sizes(pdf: Path) -> list[dict]:
    """Every run of text a PDF prints, with its size on paper in points: a list of
    ``{"page", "pt", "font", "math", "text", "x", "y"}`` (``math``: a MathJax font; ``x``,
    ``y``: where the run starts, in points from the page's lower left corner).

    The size is the font size scaled by the text and graphics matrices in force (pypdf's
    ``extract_text`` visitor), so a page shrunk to fit or imposed 2-up counts at its printed
    size. Chromium writes web fonts as Type 3 fonts, whose glyphs are scaled by their
    FontMatrix; that scale (relative to the usual 1/1000) is part of the size.
    """
    from pypdf import PdfReader

    runs = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or not size:
                return
            a = tm[0] * cm[0] + tm[1] * cm[2]
            b = tm[0] * cm[1] + tm[1] * cm[3]
            c = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            scale = math.sqrt(abs(a * d - b * c))
            matrix = font.get_object().get("/FontMatrix") if font is not None else None
            if matrix is not None:
                scale *= math.sqrt(abs(float(matrix[0]) * float(matrix[3]))) * 1000
            name = _font_name(font)
            runs.append(
                {
                    "page": number,
                    "pt": round(float(size) * scale, 2),
                    "font": name,
                    "math": name.startswith("MathJax"),
                    "text": text.strip()[:40],
                    # where the run starts on the page, in points from its lower left corner
                    "x": round(tm[4] * cm[0] + tm[5] * cm[2] + cm[4], 1),
                    "y": round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1),
                }
            )

        page.extract_text(visitor_text=visit)
    return runs


def smallest_text(pdf: Path) -> dict:
    """The smallest printed text of ``pdf`` outside formulas, and inside them (points)."""
    runs = printed_text_sizes(pdf)
    plain = [r for r in runs if not r["math"]]
    maths = [r for r in runs if r["math"]]
    return {
        "text": min(plain, key=lambda r: r["pt"], default=None),
        "math": min(maths, key=lambda r: r["pt"], default=None),
        "small_pages": sorted({r["page"] for r in plain if r["pt"] < MIN_PRINTED_PT - 0.05}),
    }


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
                summary["sheets"] = impose(pdf, nup_path(pdf))
                summary["smallest"] = smallest_text(pdf)
                summary["smallest_nup"] = smallest_text(nup_path(pdf))
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


def _pt(run) -> str:
    return "-" if run is None else f"{run['pt']:.1f} pt"


def report_line(pdf: Path, s: dict) -> None:
    scaled = (
        f", {s['scaled']} scaled to fit (smallest {s['smallest_scale']:.2f}, "
        f"page {s['smallest_page']})"
    )
    small = s["smallest_nup"]["small_pages"]
    print(
        f"{_shown(pdf)}: {s['pages']} pages for {s['slides']} slides, {s['formulas']} formulas, "
        f"{s['widgetNotes']} widget notes{scaled if s['scaled'] else ''}, "
        f"smallest text {_pt(s['smallest']['text'])}; "
        f"{nup_path(pdf).name}: {s['sheets']} A4 sheets, smallest text "
        f"{_pt(s['smallest_nup']['text'])} (formulas {_pt(s['smallest_nup']['math'])})"
        + (f", under {MIN_PRINTED_PT:g} pt on sheets {small}" if small else "")
        + f", {s['seconds']:.1f} s",
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
