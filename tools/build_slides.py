"""Export the notebooks to reveal.js lecture decks that open without internet.

`make slides` runs this script from the repository root::

    .venv/bin/python tools/build_slides.py [notebooks/NN_topic.ipynb ...] [--out DIR]
                                           [--solutions]

1. Fetch reveal.js, MathJax 2, require.js and jQuery once into ``DIR/lib/`` (default
   ``slides/lib/``) with ``npm pack`` (the npm registry, at build time only) and keep only the
   files a deck loads. MathJax must be version 2: nbconvert's slides template calls the
   MathJax 2 API (``MathJax.Hub``).
2. Make each notebook's lecture (:func:`deck_notebook`): tools/editions.py's rule for the
   "deck" edition (solutions, checks, verification cells and answers left out, instructor notes
   as speaker notes, an exercise as its stub, code as its output unless tagged ``slide-code``),
   plus what a slide needs (no skipped cells, no cell that shows nothing, a widget as a note).
3. Export it with nbconvert's slides exporter and our template (:data:`TEMPLATE_INDEX`):
   reveal.js configured for a lecture (:data:`REVEAL_CONFIG`: a 16:9 slide scaled to the
   screen, every key and a clicker going through every slide in order, slide numbers, the
   notes plugin for the speaker view), every library URL pointing at ``lib/...``, no prompts,
   and the lecture's stylesheet (:data:`DECK_CSS`: sizes for a hall, lines wrapped rather than
   cut, nothing that scrolls).
4. Check each deck: no script, stylesheet, image or inline-script import may come from
   ``http://`` or ``https://``, and every local file it loads exists. A deck that would need
   the network fails the build. Every file written is made readable by every user (a web
   server runs as another user).

``--solutions`` also writes the instructor's decks (edition "deck-solutions": plus the
solutions, the checks' verdicts and the answers) to ``DIR/solutions/`` (their libraries are
``../lib``), and ``DIR/solutions/live/``: each notebook prepared for presenting live with
jupyterlab-rise (:func:`live_notebook`), with a ``rise.css``. A build without it removes
``DIR/solutions/``, so a plain ``make slides`` leaves nothing a student should not see.

Figure text. ``bpcourse.notebook.plot_style()`` records in each figure's output metadata the
size of its smallest text (image pixels); each deck's ``<img>`` gets it as
``data-min-text-px`` (:func:`add_text_sizes`), and tests/browser/test_slide_decks.py checks
it on screen.

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
import copy
import html as htmllib
import json
import logging
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import editions  # noqa: E402

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


# ----------------------------------------------------------------------------- the lecture
#: what each deck edition is (tools/editions.py decides what its cells show)
DECK_EDITIONS = {"deck": "lecture", "deck-solutions": "instructor's deck with the solutions"}
SOLUTIONS_DIR = "solutions"  # under the output folder: the instructor's decks (--solutions)
SLIDE_CODE = editions.SLIDE_CODE
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: the speaker note that takes the place of an interactive widget on a deck
WIDGET_NOTE = (
    "**Live demo.** The notebook has an interactive explorer here: open it in JupyterLab, or "
    "present the notebook live with RISE (`Alt+R`), to move its controls. The slide shows its "
    "figure at the default setting."
)


def _hidden_source(cell) -> bool:
    return bool(cell.get("metadata", {}).get("transient", {}).get("remove_source"))


def _set_slide_type(cell, kind: str) -> None:
    cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind


def deck_notebook(nb, which: str = "deck", name: str = "notebook"):
    """The notebook a deck of edition ``which`` ("deck" or "deck-solutions") shows.

    What each cell is for, and what the deck does with it, is tools/editions.py's rule
    (:func:`editions.edition`): on the lecture deck solutions, checks, verification cells and
    answers are left out, instructor notes become speaker notes, an exercise shows its stub,
    and other code shows its output only (unless tagged ``slide-code``). On top of that rule,
    what a slide needs:

    - ``skip`` cells never show on a deck, so they are left out first (editions hands a
      dropped cell's slide start to the next cell kept, which must not be a skipped one);
    - stderr output is not shown; a stubbed exercise shows no output (the stub would raise);
    - a code cell that shows nothing (its source hidden, no output left) is left out and
      hands its slide start to the next cell shown;
    - an interactive widget (it needs a kernel) is not shown: a speaker note
      (:data:`WIDGET_NOTE`) takes its place, and the static figure the notebook shows beside
      every widget is what the slide shows;
    - the saved widget state goes when no widget is left, so the deck loads no widget code.
    """
    if which not in DECK_EDITIONS:
        raise ValueError(f"which must be one of {', '.join(DECK_EDITIONS)}; got {which!r}")
    source = copy.deepcopy(nb)
    source["cells"] = [c for c in source["cells"] if editions.slide_type(c) != "skip"]
    nb, _ = editions.edition(source, which, name)
    cells, pending = [], None
    for cell in nb["cells"]:
        kind = editions.slide_type(cell)
        if cell.get("cell_type") == "code":
            outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            if which == "deck" and editions.role(cell) == "exercise":
                outputs = []
            shown = [o for o in outputs if WIDGET_VIEW not in o.get("data", {})]
            note = None
            if len(shown) < len(outputs):  # a widget: its note goes to the speaker view
                note = nbformat.v4.new_markdown_cell(WIDGET_NOTE)
                note["metadata"] = {"slideshow": {"slide_type": "notes"}}
                note["id"] = f"{cell.get('id') or len(cells)}-widget"[:64]
            cell["outputs"] = shown
            if _hidden_source(cell) and not shown:
                if kind in ("slide", "subslide") and pending is None:
                    pending = kind
                cells += [note] if note else []
                continue
            if note:
                if pending and kind in ("-", "fragment"):
                    _set_slide_type(cell, pending)
                pending = None
                cells += [cell, note]
                continue
        if kind == "notes":
            cells.append(cell)  # a speaker note keeps the slide start for the next cell shown
            continue
        if pending and kind in ("-", "fragment"):
            _set_slide_type(cell, pending)
        pending = None
        cells.append(cell)
    nb["cells"] = cells
    if not any(WIDGET_VIEW in o.get("data", {}) for c in cells for o in c.get("outputs", [])):
        nb.get("metadata", {}).pop("widgets", None)
    return nb


# ----------------------------------------------------------------------------- live, RISE
LIVE_DIR = "live"  # under solutions/: the notebooks prepared for presenting live with RISE
#: jupyterlab-rise loads ``rise.css`` from the notebook's folder: a code cell whose source is
#: folded (``jupyter.source_hidden``) shows its output only, as on the exported decks
RISE_CSS = """\
/* bpcourse: written by tools/build_slides.py for presenting live with jupyterlab-rise. */
.rise-enabled .reveal .jp-InputPlaceholder { display: none; }
.rise-enabled .reveal .jp-InputPrompt, .rise-enabled .reveal .jp-OutputPrompt { display: none; }
"""
RISE_METADATA = {"slideNumber": "c/t", "start_slideshow_at": "beginning", "transition": "none"}


def live_notebook(nb, name: str = "notebook"):
    """The instructor's notebook prepared for presenting live with jupyterlab-rise (``Alt+R``).

    Every cell stays, so that Run All works as in the instructor's notebook; the lecture deck's
    rule (tools/editions.py, edition "deck") decides what RISE shows: a cell the deck leaves
    out (solution, check, verification, answer) becomes ``skip``; an instructor note becomes a
    speaker note; an exercise shows its stub in a Markdown copy on the slide while the cell
    itself, with the solution, is skipped (it still runs); a code cell not tagged
    ``slide-code`` has its source folded (``jupyter.source_hidden``, which :data:`RISE_CSS`
    hides) and, when it stores no output, is skipped. RISE moves right only across slides (its
    down arrow is off), so subslides become slides.
    """
    nb = copy.deepcopy(nb)
    rules = editions.RULES["deck"]
    cells, pending = [], None
    for index, cell in enumerate(nb["cells"]):
        kind = editions.slide_type(cell)
        kind = "slide" if kind == "subslide" else kind
        what = rules[editions.role(cell)]
        code = cell.get("cell_type") == "code"
        if kind != "skip":
            _set_slide_type(cell, kind)
        if kind in ("skip", "notes"):
            cells.append(cell)
            continue
        if what == "notes":
            _set_slide_type(cell, "notes")
            cells.append(cell)
            continue
        quiet = code and SLIDE_CODE not in editions.tags(cell) and not cell.get("outputs")
        if what == "drop" or (quiet and what != "stub"):
            if kind == "slide" and pending is None:
                pending = kind
            _set_slide_type(cell, "skip")
            cells.append(cell)
            continue
        if pending and kind in ("-", "fragment"):
            kind = pending
            _set_slide_type(cell, kind)
        pending = None
        if what == "stub":
            stub, _ = editions.strip_solutions(editions.source(cell), f"{name}, cell {index}")
            shown = nbformat.v4.new_markdown_cell(f"```python\n{stub.rstrip()}\n```")
            shown["metadata"] = {"slideshow": {"slide_type": kind}}
            shown["id"] = f"{cell.get('id') or index}-stub"[:64]
            _set_slide_type(cell, "skip")
            cells += [shown, cell]
            continue
        if code and SLIDE_CODE not in editions.tags(cell):
            cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
        cells.append(cell)
    nb["cells"] = cells
    nb.setdefault("metadata", {})["rise"] = dict(RISE_METADATA)
    return nb


def write_live(notebooks: list[Path], out: Path) -> list[Path]:
    """Write :func:`live_notebook` of each notebook, and :data:`RISE_CSS`, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "rise.css").write_text(RISE_CSS, encoding="utf-8")
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        target = out / path.name
        nbformat.write(live_notebook(nb, _shown(path)), target)
        written.append(target)
    world_readable(out)
    return written


# ----------------------------------------------------------------------------- export
#: the logical slide: 16:9, scaled by reveal.js to the screen (x1.2 at 1280x720, x1.8 at
#: 1920x1080), so 20 px text shows at 24 px on a 720p projector
DECK_WIDTH, DECK_HEIGHT = 1024, 576
#: reveal.js's configuration (https://revealjs.com/config/): every key, the space bar,
#: PageDown and a presentation clicker go through every slide in order ("linear"), the slide
#: number shows "i/n", and the handouts print one page per slide with its fragments shown
REVEAL_CONFIG = {
    "controls": True,
    "progress": True,
    "history": True,
    "center": True,
    "transition": "slide",
    "navigationMode": "linear",
    "slideNumber": "c/t",
    "showSlideNumber": "all",
    "width": DECK_WIDTH,
    "height": DECK_HEIGHT,
    "margin": 0.04,
    "minScale": 0.2,
    "maxScale": 3.0,
    "pdfSeparateFragments": False,
    "pdfMaxPagesPerSlide": 1,
}
TEMPLATE_NAME = "bpcourse-reveal"
# nbconvert's reveal template with our reveal.js configuration and without the mermaid.js
# loader (a page opened from file:// cannot import an ES module, and no notebook draws one).
# After MathJax re-renders a slide it has just shown (it typesets hidden slides without their
# widths), reveal.js lays the slide out again.
TEMPLATE_INDEX = """{%- extends 'reveal/index.html.j2' -%}
{#- bpcourse lecture decks, written by tools/build_slides.py -#}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block footer_js %}
<script>
require(
    {waitSeconds: 15},
    ["{{ resources.reveal.url_prefix }}/dist/reveal.js",
     "{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"],
    function (Reveal, RevealNotes) {
        var config = CONFIG;
        config.plugins = [RevealNotes];
        Reveal.initialize(config);
        Reveal.addEventListener('slidechanged', function () {
            var slide = Reveal.getCurrentSlide();
            if (window.MathJax && MathJax.Hub.getAllJax(slide).length) {
                MathJax.Hub.Queue(["Rerender", MathJax.Hub, slide], function () {
                    Reveal.layout();
                });
            }
        });
    }
);
</script>
{% endblock footer_js %}
"""
TEMPLATE_CONF = {"base_template": "reveal", "mimetypes": {"text/html": True}}

# The lecture's look: no prompts or collapsers (the whole width for the content), text and
# code sizes for a hall, code and output lines wrapped rather than cut or scrolled, nothing
# that scrolls, figures centred and never wider than the slide, tables sized to their text.
DECK_CSS = """\
:root {
  --jp-content-font-size1: 20px;
  --jp-ui-font-size1: 20px;
  --jp-code-font-size: 17px;
  --jp-cell-prompt-width: 0px;
  --jp-cell-padding: 2px;
}
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt, .reveal .jp-Collapser { display: none; }
.reveal .jp-Cell-inputWrapper, .reveal .jp-Cell-outputWrapper, .reveal .jp-OutputArea,
.reveal .jp-OutputArea-output, .reveal .jp-OutputArea-child { overflow: visible; }
.reveal pre, .reveal .jp-OutputArea-output pre, .reveal div.highlight > pre {
  white-space: pre-wrap;
  word-break: normal;
  overflow-wrap: break-word;
  overflow: visible;
  box-shadow: none;
  width: auto;
  max-width: 100%;
  font-size: var(--jp-code-font-size);
  line-height: 1.3;
  margin: 0;
}
.reveal .jp-RenderedHTMLCommon h1 { font-size: 36px; margin: 0 0 0.4em 0; text-transform: none; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 30px; margin: 0 0 0.4em 0; text-transform: none; }
.reveal .jp-RenderedHTMLCommon h3 { font-size: 25px; margin: 0 0 0.3em 0; text-transform: none; }
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon ul,
.reveal .jp-RenderedHTMLCommon ol { margin-top: 0; margin-bottom: 0.5em; line-height: 1.4; }
.reveal .jp-RenderedImage { text-align: center; }
.reveal .jp-RenderedImage img { max-width: 100%; height: auto; margin: 0 auto; }
.reveal .jp-RenderedHTMLCommon table { table-layout: auto; max-width: 100%; margin: 0 auto; }
.reveal .jp-RenderedHTMLCommon td, .reveal .jp-RenderedHTMLCommon th { padding: 0.2em 0.45em; }
.reveal .slide-number { font-size: 16px; }
html.print-pdf .reveal .slide-number-pdf { font-size: 18px; }
"""
DECK_STYLE = f'<style type="text/css" id="bpcourse-deck">\n{DECK_CSS}</style>\n'


def nbconvert_options(lib: str = "lib") -> dict[str, str]:
    """:data:`NBCONVERT_OPTIONS` for a deck whose libraries are at ``lib`` (a relative URL:
    ``lib`` for the lecture decks, ``../lib`` for the instructor's decks in solutions/)."""
    return {
        key: f"{lib}/{value[4:]}" if value.startswith("lib/") else value
        for key, value in NBCONVERT_OPTIONS.items()
    }


def exporter(template_dir: Path, lib: str = "lib"):
    """nbconvert's SlidesExporter with our template, libraries at ``lib`` and no prompts."""
    from nbconvert.exporters import SlidesExporter
    from traitlets.config import Config

    write_template(template_dir)
    config = Config()
    for key, value in nbconvert_options(lib).items():
        setattr(config.SlidesExporter, key, value)
    config.SlidesExporter.reveal_scroll = False
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    # the kernel sends printed lines in timing-dependent pieces: one box per stream, not per piece
    config.CoalesceStreamsPreprocessor.enabled = True
    log = logging.getLogger("build_slides.nbconvert")
    log.setLevel(logging.ERROR)  # nbconvert's own alt-text warning: we add the alt texts after
    return SlidesExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(template_dir)],
        log=log,
    )


def write_template(folder: Path) -> Path:
    """Write our nbconvert template (:data:`TEMPLATE_INDEX`) into ``folder``; return its path."""
    target = folder / TEMPLATE_NAME
    target.mkdir(parents=True, exist_ok=True)
    (target / "conf.json").write_text(json.dumps(TEMPLATE_CONF, indent=1) + "\n")
    index = TEMPLATE_INDEX.replace("CONFIG", json.dumps(REVEAL_CONFIG))
    (target / "index.html.j2").write_text(index, encoding="utf-8")
    return target


def deck_path(notebook: Path, out: Path) -> Path:
    """Where the deck of ``notebook`` goes: ``out/NN_topic.slides.html``."""
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
    the offline check only if the URL is remote. (Our template leaves the loader out already.)
    """
    if 'class="mermaid"' in html:
        return html
    return MERMAID_LOADER.sub("", html)


def world_readable(path: Path) -> None:
    """Let every user read ``path`` and everything under it (folders: read and enter).

    A department web server runs as another user; files made through ``tempfile`` are private
    (mode 700/600), and a deck whose lib/ the server cannot read shows as one raw page.
    """
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        if item.is_symlink():
            continue
        mode = item.stat().st_mode
        item.chmod(mode | (0o755 if item.is_dir() else 0o644))


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


TEXT_SIZE_ATTR = "data-min-text-px"


def figure_text_sizes(nb) -> list[tuple[str, str, float]]:
    """``(mime, base64 data, smallest text in image pixels)`` of each image output that records
    it: ``bpcourse.notebook.plot_style()`` puts ``{"bpcourse": {"min_text_px": ...}}`` in the
    metadata of every figure's PNG output when the notebook runs."""
    sizes = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            image = _image_data(output)
            if not image:
                continue
            meta = output.get("metadata", {}).get(image[0], {})
            size = meta.get("bpcourse", {}).get("min_text_px") if isinstance(meta, dict) else None
            if isinstance(size, (int, float)) and size > 0:
                sizes.append((image[0], image[1], float(size)))
    return sizes


def add_text_sizes(html: str, sizes: list[tuple[str, str, float]]) -> str:
    """Give each embedded image of a deck the smallest text size its output records, as
    ``data-min-text-px`` (image pixels; the browser test scales it to the screen). Images are
    matched to outputs by their data, as in :func:`add_alt_texts`."""
    by_data = {(mime.lower(), data): size for mime, data, size in sizes}

    def replace(match: re.Match) -> str:
        tag = match.group(0)
        src = SRC_ATTR.search(tag)
        url = DATA_URL.match(htmllib.unescape(src.group(1)[1:-1])) if src else None
        if not url or TEXT_SIZE_ATTR in tag:
            return tag
        size = by_data.get((url.group(1).lower(), re.sub(r"\s+", "", url.group(2))))
        if size is None:
            return tag
        return re.sub(r"^<img\b", lambda m: f'{m.group(0)} {TEXT_SIZE_ATTR}="{size:g}"', tag)

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


def export(
    notebooks: list[Path],
    out: Path,
    allow_missing_alt: bool = False,
    which: str = "deck",
    lib: str = "lib",
) -> list[Path]:
    """Export the ``which`` edition of ``notebooks`` into ``out``, rewrite and check each deck.

    ``which`` is "deck" (the lecture) or "deck-solutions" (the instructor's deck, see
    :func:`deck_notebook`); ``lib`` is the libraries' folder relative to ``out``. Raises
    SystemExit before exporting when a figure of a notebook has no text alternative, listing
    every notebook and cell (unless ``allow_missing_alt``: then the list is printed as a
    warning and those images keep nbconvert's placeholder). Raises SystemExit naming the deck
    and the URLs when a deck would load anything remote, or refers to a local file that is not
    there (run :func:`fetch_libraries` first). Every file written is readable by every user.
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
    decks, problems = [], []
    with tempfile.TemporaryDirectory() as templates:
        slides = exporter(Path(templates), lib)
        for path in notebooks:
            notebook = nbformat.read(path, as_version=4)
            shown = deck_notebook(notebook, which, _shown(path))
            html, _ = slides.from_notebook_node(
                shown, resources={"metadata": {"name": path.stem, "path": str(path.parent)}}
            )
            html = rewrite_html(html)
            html = add_alt_texts(html, figure_alts(shown)[0])
            html = add_text_sizes(html, figure_text_sizes(shown))
            html = accessible_html(html, notebook_title(notebook, path.stem))
            html = deck_html(html)
            deck = deck_path(path, out)
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
    world_readable(out)
    if problems:
        raise SystemExit("build_slides: cannot build the decks\n" + "\n".join(problems))
    return decks


def deck_html(html: str) -> str:
    """The deck with the lecture's stylesheet (:data:`DECK_CSS`) last in ``<head>``, once."""
    if 'id="bpcourse-deck"' in html:
        return html
    return re.sub(r"</head>", lambda _: DECK_STYLE + "</head>", html, count=1)


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
        "--solutions",
        action="store_true",
        help=f"also write the instructor's decks, with the solutions, to OUT/{SOLUTIONS_DIR}/",
    )
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
    world_readable(lib)
    print(f"{_shown(lib)}/: {how}, {dir_size(lib) / 1e6:.1f} MB, readable by every user")
    built = export(notebooks, args.out, allow_missing_alt=args.allow_missing_alt)
    solutions = args.out / SOLUTIONS_DIR
    if args.solutions:
        built += export(
            notebooks,
            solutions,
            allow_missing_alt=args.allow_missing_alt,
            which="deck-solutions",
            lib="../lib",
        )
        live = write_live(notebooks, solutions / LIVE_DIR)
        print(f"{_shown(solutions / LIVE_DIR)}/: {len(live)} notebooks to present live with RISE")
    elif solutions.is_dir():
        shutil.rmtree(solutions)  # a lecture build leaves no instructor's deck behind
        print(f"{_shown(solutions)}/: removed (the instructor's decks: build with --solutions)")
    for deck in built:
        html = deck.read_text(encoding="utf-8")
        slides, subslides = count_slides(html)
        images = len(IMG_TAG.findall(html))
        described = images - images_without_alt(html)
        edition = "instructor's deck" if deck.parent == solutions else "lecture"
        print(
            f"{_shown(deck)}: {edition}, {slides} slides, {subslides} subslides, "
            f"{deck.stat().st_size / 1e3:.0f} kB, offline, {described}/{images} images described"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
