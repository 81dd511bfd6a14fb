"""Export the notebooks to reveal.js slide decks that open without internet.

`make slides` runs this script from the repository root::

    .venv/bin/python tools/build_slides.py [notebooks/NN_topic.ipynb ...] [--out DIR]

1. Fetch reveal.js, MathJax 2, require.js and jQuery once into ``DIR/lib/`` (default
   ``slides/lib/``) with ``npm pack`` (the npm registry, at build time only) and keep only the
   files a deck loads. MathJax must be version 2: nbconvert's slides template calls the
   MathJax 2 API (``MathJax.Hub``).
2. Export every ``notebooks/NN_*.ipynb`` (or the notebooks given) with
   ``jupyter nbconvert --to slides``, every library URL pointing at ``lib/...``.
3. Check each deck: no script, stylesheet, image or inline-script import may come from
   ``http://`` or ``https://``. A deck that would need the network fails the build.

Accessibility (issue 10). Every figure gets the text alternative its notebook gives it: a
code cell whose outputs hold images carries ``metadata["bpcourse"]["alt"]``, a string or a
list with one string per image output in order (the convention of tools/build_site.py; extra
strings after the images belong to the widget's figures, which a deck does not show).
nbconvert has no option for it and writes the placeholder "No description has been provided
for this image" on every image, so each deck's ``<img>`` is matched to its output by the
image data and given that alt text. A figure without one fails the build, with the list of
notebooks and cells (``--allow-missing-alt`` makes that a warning and keeps the
placeholder). Each deck also gets a page title from the notebook's first heading, ``lang``
on ``<html>``, a stylesheet (:data:`ACCESSIBLE_CSS`) that brings the slide number, the cell
prompts and the code colours to a contrast of 4.5:1 (WCAG AA), and a script
(:data:`FOCUS_JS`) that keeps keyboard focus out of the slides not on screen. The browser
test tests/browser/test_accessibility.py checks the decks with axe-core.

Interactive widgets need a running kernel, so a deck replaces them with a short note; the
notebooks show a static figure of the default setting next to each widget.
"""

from __future__ import annotations

import argparse
import html as htmllib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "slides"

# npm package -> (where it goes under lib/, which files of the tarball to keep).
# Paths are relative to the tarball's "package/" folder; a trailing "/" keeps a folder.
LIBRARIES = {
    "reveal.js@4.0.2": (
        "reveal.js",
        [
            "LICENSE",
            "dist/reveal.js",
            "dist/reveal.css",
            "dist/reset.css",
            "dist/theme/",
            "plugin/",
        ],
    ),
    "mathjax@2.7.7": (
        "mathjax",
        [
            "LICENSE",
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/TeX-AMS_CHTML.js",
            "config/Safe.js",
            "config/local/",
            "extensions/",
            "jax/input/",
            "jax/element/",
            "jax/output/CommonHTML/",
            "jax/output/PreviewHTML/",
            "jax/output/NativeMML/",
            "jax/output/PlainSource/",
            "fonts/HTML-CSS/TeX/woff/",
            "localization/en/",
        ],
    ),
    "requirejs@2.1.10": ("requirejs", ["README.md", "require.js"]),
    "jquery@2": ("jquery", ["LICENSE.txt", "dist/jquery.min.js"]),
}

# Files written here rather than fetched: font-awesome (the slides template does not use it;
# an empty local file keeps nbconvert from pointing at a CDN) and the widget stand-in.
FONT_AWESOME_CSS = "/* bpcourse slides: no icon font is needed; kept local so nothing loads. */\n"
WIDGETS_JS = """\
// bpcourse slides: interactive widgets need a running kernel. Replace each one with a note.
(function () {
  function note() {
    var views = document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]');
    for (var i = 0; i < views.length; i++) {
      var p = document.createElement("p");
      p.className = "bpcourse-widget-note";
      p.style.cssText = "font-size: 60%; font-style: italic; color: #555;";
      p.textContent = "[Interactive widget: it needs a running kernel. Open the notebook in "
        + "JupyterLab, or present it live with RISE, to use it.]";
      views[i].parentNode.insertBefore(p, views[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", note);
  } else {
    note();
  }
})();
"""
LOCAL_FILES = {
    "font-awesome/font-awesome.css": FONT_AWESOME_CSS,
    "widgets-offline.js": WIDGETS_JS,
}
MANIFEST = ".complete.json"

# nbconvert options: every URL relative to the deck, so slides/ can be copied anywhere.
MATHJAX_URL = "lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
NBCONVERT_OPTIONS = {
    "reveal_url_prefix": "lib/reveal.js",
    "mathjax_url": MATHJAX_URL,
    "require_js_url": "lib/requirejs/require.js",
    "jquery_url": "lib/jquery/dist/jquery.min.js",
    "font_awesome_url": "lib/font-awesome/font-awesome.css",
    "widget_renderer_url": "lib/widgets-offline.js",
    "jupyter_widgets_base_url": "lib/",
    "reveal_theme": "simple",
    "reveal_scroll": "True",
    "reveal_number": "c/t",
}


# ----------------------------------------------------------------------------- libraries
def _keep(name: str, wanted: list[str]) -> bool:
    """Whether the tarball member ``name`` (relative to package/) is one of ``wanted``."""
    return any(name == w or (w.endswith("/") and name.startswith(w)) for w in wanted)


REMOTE_IMPORT = re.compile(rb"@import\s+url\(\s*['\"]?https?:[^)]*\)\s*;?[ \t]*\n?")


def offline_css(path: str, data: bytes) -> bytes:
    """Drop ``@import url(https://fonts.googleapis.com/...)`` lines from a stylesheet.

    Several reveal.js themes (nbconvert's default "simple" among them) import web fonts from
    Google; without the import the theme falls back to its next, local font family.
    """
    return REMOTE_IMPORT.sub(b"", data) if path.endswith(".css") else data


def extract_package(tarball: Path, dest: Path, wanted: list[str]) -> list[str]:
    """Copy the ``wanted`` files of an npm tarball into ``dest``; return their relative paths.

    Members are read one by one and written under ``dest`` (no ``tarfile.extractall``), so
    nothing outside ``dest`` can be written, whatever the tarball holds.
    """
    written = []
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            parts = Path(member.name).parts
            if len(parts) < 2 or ".." in parts or Path(member.name).is_absolute():
                continue
            name = "/".join(parts[1:])  # strip the top folder ("package/")
            if not _keep(name, wanted):
                continue
            data = offline_css(name, tar.extractfile(member).read())
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(name)
    missing = [w for w in wanted if not w.endswith("/") and w not in written]
    if missing:
        raise RuntimeError(f"{tarball.name} lacks {', '.join(missing)}")
    return written


def lib_complete(lib: Path) -> bool:
    """Whether ``lib`` holds every library and every file its manifest lists."""
    manifest = lib / MANIFEST
    if not manifest.is_file():
        return False
    try:
        listed = json.loads(manifest.read_text())
    except ValueError:
        return False
    if listed.get("libraries") != json.loads(json.dumps(LIBRARIES)):
        return False  # fetched for another list of packages or files
    return all((lib / f).is_file() for f in listed.get("files", []))


def npm_pack(spec: str, workdir: Path) -> Path:
    """Download the npm tarball of ``spec`` (e.g. ``mathjax@2.7.7``) into ``workdir``."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("build_slides: npm is needed once to fetch reveal.js and MathJax")
    workdir.mkdir(parents=True)
    subprocess.run(
        [npm, "pack", spec, "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = list(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RuntimeError(f"npm pack {spec} gave {len(tarballs)} tarballs in {workdir}")
    return tarballs[0]


def fetch_libraries(lib: Path, reuse: Path | None = DEFAULT_OUT / "lib") -> str:
    """Fill ``lib`` with the slide libraries unless it is already complete.

    Copies ``reuse`` when that is a complete library folder (the usual slides/lib), else runs
    ``npm pack`` once per package. Writes into a temporary folder and renames it at the end,
    so an interrupted build never leaves a half-filled lib/ that looks complete.
    The two small files this script writes itself (:data:`LOCAL_FILES`) are rewritten on
    every call, so a change to them reaches an existing lib/.
    Returns what was done: "present", "copied" or "fetched".
    """
    if lib_complete(lib):
        write_local_files(lib)
        return "present"
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lib-", dir=lib.parent))
    try:
        if reuse is not None and reuse.resolve() != lib.resolve() and lib_complete(reuse):
            shutil.rmtree(staging)
            shutil.copytree(reuse, staging)
            how = "copied"
        else:
            files, packages = [], {}
            with tempfile.TemporaryDirectory() as tmp:
                for i, (spec, (folder, wanted)) in enumerate(LIBRARIES.items()):
                    tarball = npm_pack(spec, Path(tmp) / str(i))
                    packages[spec] = tarball.name
                    names = extract_package(tarball, staging / folder, wanted)
                    files += [f"{folder}/{n}" for n in names]
            manifest = {"libraries": LIBRARIES, "tarballs": packages, "files": sorted(files)}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
            how = "fetched"
        if lib.exists():
            shutil.rmtree(lib)
        staging.rename(lib)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    write_local_files(lib)
    return how


def write_local_files(lib: Path) -> None:
    """Write the files of :data:`LOCAL_FILES` into ``lib``."""
    for name, text in LOCAL_FILES.items():
        (lib / name).parent.mkdir(parents=True, exist_ok=True)
        (lib / name).write_text(text, encoding="utf-8")


def dir_size(path: Path) -> int:
    """Total size in bytes of the files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ----------------------------------------------------------------------------- export
def nbconvert_command(notebooks: list[Path], out: Path) -> list[str]:
    """The ``jupyter nbconvert --to slides`` command that writes the decks into ``out``."""
    options = [f"--SlidesExporter.{k}={v}" for k, v in NBCONVERT_OPTIONS.items()]
    return [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "slides",
        "--log-level=ERROR",
        f"--output-dir={out}",
        *options,
        *map(str, notebooks),
    ]


def deck_path(notebook: Path, out: Path) -> Path:
    """Where nbconvert writes the deck of ``notebook``: ``out/NN_topic.slides.html``."""
    return out / f"{notebook.stem}.slides.html"


MERMAID_LOADER = re.compile(
    r"<script type=\"module\">\s*import mermaid from '[^']*';\s*"
    r"mermaid\.initialize\(\{[^}]*\}\);\s*</script>\s*"
)


def rewrite_html(html: str) -> str:
    """Remove what a deck would try to load but never needs.

    nbconvert's slides template always imports mermaid.js as an ES module, which a page opened
    from ``file://`` cannot load (and which would come from a CDN by default). The notebooks
    draw no mermaid diagrams, so the loader goes; a deck that has one keeps it, and then fails
    the offline check only if the URL is remote.
    """
    if 'class="mermaid"' in html:
        return html
    return MERMAID_LOADER.sub("", html)


# ----------------------------------------------------------------------------- accessibility
PLACEHOLDER_ALT = "No description has been provided for this image"  # nbconvert's
IMAGE_TYPES = ("image/png", "image/jpeg")
# Colours of nbconvert's JupyterLab light theme that fail WCAG AA contrast (4.5:1) on the
# code background (#f5f5f5) or the page, replaced by darker shades of the same hue; the
# slide number (white on reveal.js's 40% black, 2.8:1) gets a darker backing (10:1); the
# "In [n]:" prompts are drawn at full opacity (#616161 on white, 6.2:1).
ACCESSIBLE_CSS = """\
:root {
  --jp-mirror-editor-comment-color: #2f6767;
  --jp-mirror-editor-number-color: #006e00;
  --jp-mirror-editor-quote-color: #006e00;
  --jp-mirror-editor-atom-color: #3333cc;
  --jp-mirror-editor-bracket-color: #6e6e50;
  --jp-mirror-editor-meta-color: #8a14d6;
  --jp-mirror-editor-operator-color: #8a14d6;
  --jp-mirror-editor-error-color: #b00000;
  --jp-cell-prompt-not-active-opacity: 1;
}
.reveal .slide-number { background-color: rgba(0, 0, 0, 0.75); color: #ffffff; }
.reveal .slide-number a { color: #ffffff; }
"""
# reveal.js marks every slide but the present one aria-hidden, yet nbconvert makes each cell
# focusable (tabindex="0"), so Tab would move the focus into slides that are not on screen.
# Making those slides inert keeps keyboard focus on the slide shown; an observer follows
# reveal.js as it moves aria-hidden from slide to slide.
FOCUS_JS = """\
// bpcourse slides: keyboard focus stays on the slide on screen.
(function () {
  function sync() {
    var sections = document.querySelectorAll(".reveal .slides section");
    for (var i = 0; i < sections.length; i++) {
      var s = sections[i];
      var hidden = s.getAttribute("aria-hidden") === "true" || s.hasAttribute("hidden");
      if (s.inert !== hidden) {
        s.inert = hidden;
      }
    }
  }
  function start() {
    var slides = document.querySelector(".reveal .slides");
    if (!slides) {
      return;
    }
    sync();
    new MutationObserver(sync).observe(slides, {
      subtree: true, attributes: true, attributeFilter: ["aria-hidden", "hidden"]
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
"""
ACCESSIBLE_STYLE = (
    f'<style type="text/css" id="bpcourse-accessible">\n{ACCESSIBLE_CSS}</style>\n'
    f'<script id="bpcourse-focus">\n{FOCUS_JS}</script>\n'
)


def cell_alts(cell) -> list[str]:
    """The text alternatives a cell gives its images (``metadata.bpcourse.alt``), in order."""
    alt = cell.get("metadata", {}).get("bpcourse", {}).get("alt")
    if alt is None:
        return []
    return [alt] if isinstance(alt, str) else [str(a) for a in alt]


def _image_data(output) -> tuple[str, str] | None:
    """(MIME type, base64 data without whitespace) of an image output, else None."""
    data = output.get("data", {})
    for mime in IMAGE_TYPES:
        if mime in data:
            value = data[mime]
            value = "".join(value) if isinstance(value, list) else value
            return mime, re.sub(r"\s+", "", value)
    return None


def figure_alts(nb, name: str = "notebook") -> tuple[list[tuple[str, str, str]], list[str]]:
    """The images of a notebook's stored outputs with their alt texts, and what is missing.

    Returns ``(figures, missing)``: ``figures`` lists ``(mime, base64 data, alt)`` for every
    image output, in order (``alt`` is "" when the cell gives none); ``missing`` has one line
    per image without a text alternative, naming the notebook and the cell index.
    """
    figures, missing = [], []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        images = [d for d in map(_image_data, cell.get("outputs", [])) if d]
        alts = [a.strip() for a in cell_alts(cell)]
        for k, (mime, data) in enumerate(images):
            alt = alts[k] if k < len(alts) else ""
            if not alt:
                which = f"image {k + 1} of {len(images)}" if len(images) > 1 else "an image"
                missing.append(
                    f"{name}, cell {index}: {which} without a text alternative "
                    "(cell metadata bpcourse.alt)"
                )
            figures.append((mime, data, alt))
    return figures, missing


IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_ATTR = re.compile(r"""\salt\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)
SRC_ATTR = re.compile(r"""\ssrc\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
DATA_URL = re.compile(r"^data:(image/[a-z+.-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


def _with_alt(tag: str, alt: str) -> str:
    """``tag`` (an ``<img ...>``) with its alt attribute set to ``alt``."""
    attr = f' alt="{htmllib.escape(alt, quote=True)}"'
    if ALT_ATTR.search(tag):
        return ALT_ATTR.sub(lambda _: attr, tag, count=1)
    return re.sub(r"^<img\b", lambda m: m.group(0) + attr, tag, flags=re.IGNORECASE)


def add_alt_texts(html: str, figures: list[tuple[str, str, str]]) -> str:
    """Give each embedded image of a deck the alt text of the output it comes from.

    An ``<img src="data:image/...;base64,...">`` is matched to an output of ``figures`` (see
    :func:`figure_alts`) by its data, so the order of the deck's images does not matter;
    two outputs with the same image take their alt texts in notebook order. Images without
    a match or without an alt text in the notebook are left as they are.
    """
    by_data: dict[tuple[str, str], list[str]] = {}
    for mime, data, alt in figures:
        by_data.setdefault((mime.lower(), data), []).append(alt)

    def replace(match: re.Match) -> str:
        tag = match.group(0)
        src = SRC_ATTR.search(tag)
        url = DATA_URL.match(htmllib.unescape(src.group(1)[1:-1])) if src else None
        if not url:
            return tag
        alts = by_data.get((url.group(1).lower(), re.sub(r"\s+", "", url.group(2))))
        if not alts:
            return tag
        alt = alts.pop(0)
        return _with_alt(tag, alt) if alt else tag

    return IMG_TAG.sub(replace, html)


def images_without_alt(html: str) -> int:
    """How many ``<img>`` of a page have no alt text, or nbconvert's placeholder."""
    count = 0
    for tag in IMG_TAG.findall(html):
        alt = ALT_ATTR.search(tag)
        value = htmllib.unescape(alt.group(1).strip("\"'")) if alt else None
        count += value is None or value == PLACEHOLDER_ALT
    return count


def notebook_title(nb, fallback: str) -> str:
    """Plain text of the notebook's first Markdown heading, else ``fallback``."""
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.get("source", ""), re.MULTILINE)
        if match:
            text = re.sub(r"[*_`]|\$", "", match.group(1))  # emphasis, code and maths marks
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their text
            return " ".join(text.split())
    return fallback


def accessible_html(html: str, title: str) -> str:
    """The deck with a page language, the title ``title``, :data:`ACCESSIBLE_CSS` and
    :data:`FOCUS_JS`.

    The stylesheet goes last in ``<head>``, after the reveal.js theme, so it wins over the
    rules it replaces; a deck that has it already is left as it is.
    """
    if not re.search(r"<html\b[^>]*\slang=", html, re.IGNORECASE):
        html = re.sub(r"<html\b", '<html lang="en"', html, count=1, flags=re.IGNORECASE)
    escaped = htmllib.escape(f"{title} (slides)", quote=False)
    html, titled = re.subn(
        r"<title>.*?</title>", lambda _: f"<title>{escaped}</title>", html, count=1, flags=re.S
    )
    if not titled:
        html = re.sub(r"</head>", lambda _: f"<title>{escaped}</title>\n</head>", html, count=1)
    if 'id="bpcourse-accessible"' not in html:
        html = re.sub(r"</head>", lambda _: ACCESSIBLE_STYLE + "</head>", html, count=1)
    return html


class _Resources(HTMLParser):
    """Collects the URLs a page loads and counts its slide sections."""

    LOADS = {"script": "src", "img": "src", "iframe": "src", "audio": "src", "video": "src"}
    JS_TYPES = {"", "text/javascript", "module", "application/javascript"}
    # A quoted URL in code is something the script may fetch (import '...', require([...]),
    # script.src = '...'); URLs in comments are not quoted and are ignored.
    QUOTED = re.compile(r"""(['"`])((?:https?:)?//[^'"`\s]+|lib/[^'"`\s]+)\1""")
    CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?((?:https?:)?//[^'\")\s]+)")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (what, url)
        self.depth = 0
        self.slides = 0
        self.subslides = 0
        self._in = None  # "script" (executable) or "style" while inside one

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.LOADS and a.get(self.LOADS[tag]):
            self.urls.append((f"<{tag} {self.LOADS[tag]}>", a[self.LOADS[tag]]))
        if tag == "link" and a.get("href"):
            self.urls.append((f"<link rel={a.get('rel', '')} href>", a["href"]))
        if tag == "script" and (a.get("type") or "").lower() in self.JS_TYPES:
            self._in = "script"
        if tag == "style":
            self._in = "style"
        if tag == "section":
            self.depth += 1
            self.slides += self.depth == 1
            self.subslides += self.depth == 2

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None
        if tag == "section":
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self._in == "script":
            for m in self.QUOTED.finditer(data):
                self.urls.append(("inline <script> string", m.group(2)))
        if self._in in ("script", "style"):
            for m in self.CSS_IMPORT.finditer(data):
                self.urls.append((f"inline {self._in} @import", m.group(1)))


def _parse(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    parser.close()
    return parser


REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def remote_resources(html: str) -> list[str]:
    """The remote things a page would load, as "what: url" lines (empty when offline-safe).

    Looks at ``<script src>``, ``<link href>``, ``<img>``/``<iframe>``/media ``src``, quoted
    http(s) URLs inside executable inline scripts (module imports, ``require``, dynamic
    ``script.src``), and ``@import`` in inline scripts and styles. Hyperlinks (``<a href>``)
    are fine: following one is the reader's choice, not something the page loads.
    """
    return [f"{what}: {url}" for what, url in _parse(html).urls if REMOTE.match(url)]


def missing_local_files(html: str, base: Path) -> list[str]:
    """Relative URLs the page loads that do not exist under ``base`` (the deck's folder)."""
    missing = []
    for what, url in _parse(html).urls:
        if REMOTE.match(url) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            continue  # remote, data:, blob:, file:, ...
        path = url.split("#")[0].split("?")[0]
        if path and not (base / path).is_file():
            missing.append(f"{what}: {url}")
    return missing


def count_slides(html: str) -> tuple[int, int]:
    """Number of slides (top-level sections) and subslides (sections inside them)."""
    parser = _parse(html)
    return parser.slides, parser.subslides


def missing_alt_texts(notebooks: list[Path]) -> list[str]:
    """One line per image in the notebooks' stored outputs that has no text alternative."""
    missing = []
    for nb in notebooks:
        missing += figure_alts(nbformat.read(nb, as_version=4), _shown(nb))[1]
    return missing


def export(notebooks: list[Path], out: Path, allow_missing_alt: bool = False) -> list[Path]:
    """Export ``notebooks`` into ``out`` (one nbconvert run), rewrite and check each deck.

    Raises SystemExit before exporting when a figure has no text alternative, listing every
    notebook and cell (unless ``allow_missing_alt``: then the list is printed as a warning and
    those images keep nbconvert's placeholder). Raises SystemExit naming the deck and the URLs
    when a deck would load anything remote, or refers to a local file that is not there (run
    :func:`fetch_libraries` first).
    """
    missing = missing_alt_texts(notebooks)
    if missing:
        report = f"{len(missing)} figure(s) without a text alternative:\n    " + "\n    ".join(
            missing
        )
        if not allow_missing_alt:
            raise SystemExit(
                f"build_slides: {report}\nGive each a one- or two-sentence description of what "
                "it shows in the cell metadata bpcourse.alt (a string, or a list with one "
                "string per image), or build with --allow-missing-alt."
            )
        print(f"build_slides: warning: {report}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(nbconvert_command(notebooks, out), check=True)
    decks, problems = [], []
    for nb in notebooks:
        deck = deck_path(nb, out)
        notebook = nbformat.read(nb, as_version=4)
        html = rewrite_html(deck.read_text(encoding="utf-8"))
        html = add_alt_texts(html, figure_alts(notebook)[0])
        html = accessible_html(html, notebook_title(notebook, nb.stem))
        deck.write_text(html, encoding="utf-8")
        remote = remote_resources(html)
        if remote:
            problems.append(f"{deck}: loads from the network:\n    " + "\n    ".join(remote))
        missing = missing_local_files(html, out)
        if missing:
            problems.append(f"{deck}: refers to missing files:\n    " + "\n    ".join(missing))
        unlabelled = images_without_alt(html)
        if unlabelled and not allow_missing_alt:
            problems.append(f"{deck}: {unlabelled} image(s) without a text alternative")
        decks.append(deck)
    if problems:
        raise SystemExit("build_slides: cannot build the decks\n" + "\n".join(problems))
    return decks


def default_notebooks() -> list[Path]:
    """Every ``notebooks/NN_*.ipynb`` of the repository, in teaching order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: slides/")
    parser.add_argument(
        "--allow-missing-alt",
        action="store_true",
        help="warn about figures without a text alternative instead of failing",
    )
    args = parser.parse_args(argv)
    notebooks = args.notebooks or default_notebooks()
    if not notebooks:
        raise SystemExit("build_slides: no notebooks/NN_*.ipynb to export")
    for nb in notebooks:
        if not nb.is_file():
            raise SystemExit(f"build_slides: no such notebook: {nb}")
    lib = args.out / "lib"
    how = fetch_libraries(lib)
    print(f"{_shown(lib)}/: {how}, {dir_size(lib) / 1e6:.1f} MB")
    for deck in export(notebooks, args.out, allow_missing_alt=args.allow_missing_alt):
        html = deck.read_text(encoding="utf-8")
        slides, subslides = count_slides(html)
        images = len(IMG_TAG.findall(html))
        described = images - images_without_alt(html)
        print(
            f"{_shown(deck)}: {slides} slides, {subslides} subslides, "
            f"{deck.stat().st_size / 1e3:.0f} kB, offline, {described}/{images} images described"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
