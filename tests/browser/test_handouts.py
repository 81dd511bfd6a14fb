"""PDF handouts (`make handouts`): one slide per page, and two per A4 sheet, that print.

`make test-browser` builds slides/ and handouts/ first; when a handout is missing or older
than its deck, this module prints the decks again with tools/build_handouts.py (Debian's
Chromium through Playwright, network off). Every check reads the PDFs with pypdf, not the
builder's own numbers:

- the page count of ``NN_topic.pdf`` equals the number of slides in the deck's HTML
  (horizontal plus vertical ``<section>`` slides; fragments are not slides), so no fragment
  got a page of its own and no slide spilled onto a second page; ``NN_topic-2up.pdf`` has
  half as many A4 sheets (rounded up);
- the PDF embeds MathJax's fonts (``MathJax_Main``, ``MathJax_Math``, ...), so the formulas
  were typeset before printing, and its text holds no ``$$`` or ``\\frac`` left over;
- each page ends with its slide number ``i / n``; every figure of the deck is in the PDF;
  every widget is replaced by the deck's note;
- nothing is cut: every run of text starts inside its page;
- on the A4 sheets no text is smaller than 8 pt (formulas' sub- and superscripts, set smaller
  by design, no smaller than 6 pt). A slide too tall for the screen is shrunk to fit its page
  and fails here: the deck test lists it too.

Page images (``pdftoppm``, 50 dpi) are kept in ``test-artifacts/handouts/`` for a look, and
each handout's smallest text per page in ``test-artifacts/handouts/text_sizes.txt``.
"""

import math
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLIDES = ROOT / "slides"
HANDOUTS = ROOT / "handouts"
ARTIFACTS = ROOT / "test-artifacts" / "handouts"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_NOTE = "Interactive widget: it needs a running kernel"
A4 = (595.276, 841.89)
MIN_PT = 8.0
MIN_MATH_PT = 6.0

pytestmark = pytest.mark.browser


class _Deck(HTMLParser):
    """What a deck's HTML holds: slides per top-level section, images, widget views."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.stacks = []  # for each top-level <section>, how many <section> it holds
        self.images = set()
        self.widgets = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.depth += 1
            if self.depth == 1:
                self.stacks.append(0)
            elif self.depth == 2:
                self.stacks[-1] += 1
        elif tag == "img" and a.get("src"):
            self.images.add(a["src"])
        elif tag == "script" and a.get("type") == "application/vnd.jupyter.widget-view+json":
            self.widgets += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1

    @property
    def slides(self):
        """A top-level section is one slide, or a stack of its child sections."""
        return sum(n or 1 for n in self.stacks)


def _deck(path):
    parser = _Deck()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def built():
    """{stem: (deck path, pdf path)} for every notebook; (re)builds what is missing or stale."""
    from tools import build_handouts, build_slides

    decks = [build_slides.deck_path(nb, SLIDES) for nb in NOTEBOOKS]
    if not NOTEBOOKS:
        pytest.skip("no notebooks/NN_*.ipynb")
    if not (all(d.is_file() for d in decks) and build_slides.lib_complete(SLIDES / "lib")):
        build_slides.main([str(nb) for nb in NOTEBOOKS])
    pdfs = [build_handouts.handout_path(d, HANDOUTS) for d in decks]
    stale = [
        d
        for d, p in zip(decks, pdfs)
        if not (p.is_file() and build_handouts.nup_path(p).is_file())
        or min(p.stat().st_mtime, build_handouts.nup_path(p).stat().st_mtime) < d.stat().st_mtime
    ]
    if stale:
        build_handouts.build(stale, HANDOUTS)
    return {d.name.removesuffix(".slides.html"): (d, p) for d, p in zip(decks, pdfs)}


def _nup(pdf):
    from tools.build_handouts import nup_path

    return nup_path(pdf)


@pytest.fixture(scope="module")
def read():
    """pypdf's reader of a handout, cached per file."""
    from pypdf import PdfReader

    cache = {}

    def reader(pdf):
        if pdf not in cache:
            cache[pdf] = PdfReader(pdf)
        return cache[pdf]

    return reader


STEMS = [nb.stem for nb in NOTEBOOKS]


def _fonts(reader):
    """Names of the fonts the PDF's pages use (BaseFont, or the descriptor's FontName for the
    Type 3 fonts Chromium makes of web fonts), without the subset prefix ``ABCDEF+``."""
    names = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            name = font.get("/BaseFont")
            if name is None and font.get("/FontDescriptor") is not None:
                name = font["/FontDescriptor"].get_object().get("/FontName")
            if name is not None:
                names.add(str(name).lstrip("/").split("+")[-1])
    return names


MARKDOWN = re.compile(r'<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>(.*?)</div>', re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)


def _display_formulas(deck):
    """The TeX of the deck's display formulas (``$$...$$`` in its markdown), first 30
    characters, whitespace collapsed: text that shows only where MathJax did not typeset."""
    html = deck.read_text(encoding="utf-8")
    formulas = set()
    for cell in MARKDOWN.findall(html):
        for tex in DISPLAY.findall(unescape(cell)):
            formulas.add(" ".join(f"$${tex}".split())[:30])
    return sorted(formulas)


def _image_count(reader):
    count = 0
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            count += ref.get_object().get("/Subtype") == "/Image"
    return count


@pytest.mark.parametrize("stem", STEMS)
def test_one_page_per_slide(built, read, stem):
    deck, pdf = built[stem]
    slides = _deck(deck).slides
    assert slides > 3
    pages = len(read(pdf).pages)
    assert pages == slides, f"{pdf.name}: {pages} pages for the deck's {slides} slides"


@pytest.mark.parametrize("stem", STEMS)
def test_two_slides_per_a4_sheet(built, read, stem):
    deck, pdf = built[stem]
    slides = len(read(pdf).pages)
    sheets = read(_nup(pdf)).pages
    assert len(sheets) == math.ceil(slides / 2), f"{_nup(pdf).name}: {len(sheets)} sheets"
    for sheet in sheets:
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert size == pytest.approx(A4, abs=1), f"{_nup(pdf).name}: a sheet of {size} pt"
    text = " ".join(page.extract_text() for page in sheets)
    assert all(str(i) in text for i in range(1, slides + 1))


@pytest.mark.parametrize("stem", STEMS)
def test_no_text_is_cut_off_a_page(built, stem):
    from pypdf import PdfReader

    from tools.build_handouts import printed_text_sizes

    _, pdf = built[stem]
    box = PdfReader(pdf).pages[0].mediabox
    width, height = float(box.width), float(box.height)
    outside = [
        (r["page"], r["text"], r["x"], r["y"])
        for r in printed_text_sizes(pdf)
        if not (-1 <= r["x"] <= width - 2 and 0 <= r["y"] <= height)
    ]
    assert outside == [], f"{pdf.name}: text starting off its page: {outside[:5]}"


@pytest.mark.parametrize("stem", STEMS)
def test_the_a4_sheets_print_no_text_under_8_pt(built, stem, artifacts_dir):
    from tools.build_handouts import printed_text_sizes

    _, pdf = built[stem]
    runs = printed_text_sizes(_nup(pdf))
    by_sheet = {}
    for r in runs:
        key = (r["page"], r["math"])
        if key not in by_sheet or r["pt"] < by_sheet[key]["pt"]:
            by_sheet[key] = r
    with open(artifacts_dir / "text_sizes.txt", "a") as log:
        for (sheet, maths), r in sorted(by_sheet.items()):
            kind = "formula" if maths else "text"
            log.write(f"{_nup(pdf).name} sheet {sheet}: {kind} {r['pt']:.1f} pt {r['text']!r}\n")
    small = [
        f"sheet {r['page']} (slides {2 * r['page'] - 1}-{2 * r['page']}): {r['pt']:.1f} pt "
        f"{r['text']!r}"
        for (_, maths), r in sorted(by_sheet.items())
        if r["pt"] < (MIN_MATH_PT if maths else MIN_PT) - 0.05
    ]
    assert small == [], f"{_nup(pdf).name}: text smaller than {MIN_PT:g} pt:\n" + "\n".join(small)


@pytest.fixture(scope="module")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "text_sizes.txt").write_text("")
    return ARTIFACTS


@pytest.mark.parametrize("stem", STEMS)
def test_math_is_typeset_with_mathjax_fonts(built, read, stem):
    deck, pdf = built[stem]
    reader = read(pdf)
    mathjax = sorted(f for f in _fonts(reader) if f.startswith("MathJax_"))
    assert "MathJax_Main-Regular" in mathjax and "MathJax_Math-Italic" in mathjax, (
        f"{pdf.name} embeds no MathJax fonts (formulas printed untypeset?): "
        f"{sorted(_fonts(reader))}"
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    formulas = _display_formulas(deck)
    assert formulas, f"{deck.name} has no display formula to check"
    raw = [tex for tex in formulas if tex in text]
    assert raw == [], f"{pdf.name}: formulas printed as TeX source: {raw[:3]}"


@pytest.mark.parametrize("stem", STEMS)
def test_every_page_carries_its_slide_number(built, read, stem):
    _, pdf = built[stem]
    pages = read(pdf).pages
    n = len(pages)
    missing = [
        i
        for i, page in enumerate(pages, start=1)
        if not re.search(rf"(^|\s){i}\s*/\s*{n}\s*$", page.extract_text())
    ]
    assert missing == [], f"{pdf.name}: pages without their number 'i / {n}': {missing}"


@pytest.mark.parametrize("stem", STEMS)
def test_figures_and_widget_notes_are_printed(built, read, stem):
    deck, pdf = built[stem]
    html = _deck(deck)
    reader = read(pdf)
    assert _image_count(reader) >= len(html.images), f"{pdf.name} lost figures"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count(WIDGET_NOTE) == html.widgets, (
        f"{pdf.name}: {text.count(WIDGET_NOTE)} widget notes for {html.widgets} widgets"
    )


def test_page_images_are_kept_for_a_look(built, read):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    for stem, (_, pdf) in built.items():
        subprocess.run(
            [pdftoppm, "-r", "50", "-png", str(pdf), str(ARTIFACTS / stem)],
            check=True,
            timeout=300,
        )
        images = sorted(ARTIFACTS.glob(f"{stem}-[0-9]*.png"))
        assert len(images) == len(read(pdf).pages)
        subprocess.run(
            [pdftoppm, "-r", "50", "-png", str(_nup(pdf)), str(ARTIFACTS / f"{stem}-2up")],
            check=True,
            timeout=300,
        )
        assert len(list(ARTIFACTS.glob(f"{stem}-2up-*.png"))) == len(read(_nup(pdf)).pages)
        assert all(image.stat().st_size > 2_000 for image in images), f"{stem}: a blank page"
