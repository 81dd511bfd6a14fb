"""Build the course website, ``site/``, from the notebooks and their stored outputs.

`make site` runs this script from the repository root::

    .venv/bin/python tools/build_site.py [--out DIR]

Nothing is executed: each page shows the outputs stored in ``notebooks/``, the ones nbval
checks. The site is built with Sphinx, myst-nb and sphinx-book-theme (what Jupyter Book 1
wraps; they build offline) and works offline: the theme's own files come with the Python
packages, and MathJax 3 is fetched once from the npm registry into the build (``npm pack``,
as for the slides), so ``site/`` opens from any static server or a copied folder.

Before Sphinx sees them, the notebooks are prepared for reading (`prepare`), by the rule every
edition follows (`tools/editions.py`, its "site" column):

- an exercise's code, a solution (code or text, tagged ``solution``) and a verification cell
  are folded behind "Show solution" or "Show the check", their printed output with them; the
  check's verdict shows under the exercise as stored;
- an answer to a "predict, then check" question (tagged ``answer``) is folded in ``<details>``;
- cells tagged ``instructor`` and speaker notes are left out;
- a widget is drawn from its saved state: the figure of the stored setting with its controls
  shown (disabled), and a line saying that the controls move in JupyterLab;
- every image gets the text alternative the notebook gives it in the cell metadata
  ``bpcourse.alt`` (a string, or a list with one string per image). A figure without one
  fails the build: a reader who cannot see it must still learn what it shows.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.build_slides import extract_package, npm_pack, remote_resources  # noqa: E402
from tools.editions import RULES, edition, role, strip_solutions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "site"
BUILD = ROOT / "build" / "site_src"
MATHJAX = "mathjax@3.2.2"
MATHJAX_FILES = ["LICENSE", "es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2/"]
WIDGET_NOTE = (
    "This explorer is interactive in JupyterLab: run the notebook there and the controls move "
    "the figure. Here it shows the setting stored with the notebook."
)

CONF = """\
# Sphinx configuration of the bpcourse website, written by tools/build_site.py.
project = "bpcourse"
author = "the bpcourse authors"
html_title = "bpcourse: back-propagation, derived, checked and run"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # the stored outputs are the ones nbval checks
nb_ipywidgets_js = {}  # widgets are drawn from their saved state by build_site.py
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]
html_theme = "sphinx_book_theme"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
}
html_static_path = ["_static"]
mathjax_path = "mathjax/es5/tex-chtml.js"  # served from the site itself, never a CDN
mathjax3_config = {"tex": {"inlineMath": [["\\\\(", "\\\\)"]], "displayMath": [["\\\\[", "\\\\]"]]}}
html_copy_source = False
html_show_sourcelink = False
"""


# ----- the front page: the README's notebook map -----------------------------------------------
def notebook_map(readme: str) -> str:
    """The README's "## The notebooks" section (its table and the paragraph after it)."""
    match = re.search(r"^## The notebooks\n(.*?)(?=^## )", readme, re.S | re.M)
    if not match:
        raise SystemExit("build_site: README.md has no '## The notebooks' section")
    section = match.group(1)
    section = re.sub(r"^\|[^\n]*\]\(figures/[^\n]*\n", "", section, flags=re.M)  # README images
    section = re.sub(r"^\| \| \|\n\| --- \| --- \|\n", "", section, flags=re.M)
    return section.strip()


def index_page(readme: str, notebooks: list[Path]) -> str:
    title = readme.splitlines()[0].lstrip("# ").strip()
    intro = readme.split("\n\n")[1].strip()
    pages = "\n".join(p.stem for p in notebooks)
    return (
        f"# {title}\n\n{intro}\n\n## The notebooks\n\n{notebook_map(readme)}\n\n"
        "Each page shows the notebook with the outputs it stores. Exercise solutions are "
        "folded away behind **Show solution**: try first. To run the code, the checks and "
        "the explorers, open the notebooks in JupyterLab (see the README).\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Notebooks\n:hidden:\n\n{pages}\n```\n"
    )


# ----- widgets, drawn from their saved state ---------------------------------------------------
def _image_src(model: dict) -> str | None:
    for buffer in model.get("buffers", []):
        if buffer.get("path") == ["value"] and buffer.get("encoding", "base64") == "base64":
            fmt = model["state"].get("format", "png")
            return f"data:image/{fmt};base64,{buffer['data']}"
    return None


def _control(model: dict) -> str:
    """A disabled stand-in for one slider, menu or checkbox, with its stored value."""
    state, name = model["state"], model["model_name"]
    label = html.escape(str(state.get("description", "")))
    if name in ("FloatSliderModel", "IntSliderModel", "FloatLogSliderModel"):
        value = state.get("value")
        slider_min, slider_max, position = state.get("min"), state.get("max"), value
        if name == "FloatLogSliderModel":  # min and max are exponents; value is the value
            position = math.log(value, state.get("base", 10.0))
        fmt = state.get("readout_format", ".3g")
        fmt = re.sub(r"[^0-9.a-z]", "", fmt) or ".3g"
        try:
            text = format(float(value), fmt)
        except (TypeError, ValueError):
            text = str(value)
        return (
            f'<label class="bp-widget-control">{label} '
            f'<input type="range" disabled min="{slider_min}" max="{slider_max}" '
            f'step="any" value="{position}" aria-label="{label} = {html.escape(text)}"> '
            f"<output>{html.escape(text)}</output></label>"
        )
    if name == "SelectionSliderModel":
        labels = state.get("_options_labels", [])
        index = state.get("index", 0)
        chosen = labels[index] if isinstance(index, int) and index < len(labels) else ""
        return (
            f'<label class="bp-widget-control">{label} '
            f'<input type="range" disabled min="0" max="{max(len(labels) - 1, 0)}" step="1" '
            f'value="{index}" aria-label="{label} = {html.escape(str(chosen))}"> '
            f"<output>{html.escape(str(chosen))}</output></label>"
        )
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel"):
        labels = state.get("_options_labels", [])
        index = state.get("index")
        chosen = labels[index] if isinstance(index, int) and index < len(labels) else ""
        options = "".join(
            f"<option{' selected' if i == index else ''}>{html.escape(str(o))}</option>"
            for i, o in enumerate(labels)
        )
        return (
            f'<label class="bp-widget-control">{label} <select disabled '
            f'aria-label="{label} = {html.escape(str(chosen))}">{options}</select></label>'
        )
    if name in ("CheckboxModel", "ToggleButtonModel"):
        checked = " checked" if state.get("value") else ""
        box = f'<input type="checkbox" disabled{checked}>'
        return f'<label class="bp-widget-control">{box} {label}</label>'
    if name in ("LabelModel", "HTMLModel", "HTMLMathModel"):
        value = str(state.get("value", ""))
        text = html.escape(value) if name == "LabelModel" else value
        return f'<span class="bp-widget-text">{text}</span>'
    return ""


def widget_html(model_id: str, state: dict, alts: list[str]) -> str:
    """HTML for the widget tree under ``model_id``: boxes as flex rows/columns, images from
    their stored PNG, controls disabled with their stored values. ``alts`` is consumed."""
    model = state.get(model_id)
    if model is None:
        return ""
    name = model["model_name"]
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
        direction = "row" if name == "HBoxModel" else "column"
        children = [
            widget_html(child.removeprefix("IPY_MODEL_"), state, alts)
            for child in model["state"].get("children", [])
        ]
        style = f"display:flex;flex-direction:{direction};gap:0.3em;flex-wrap:wrap"
        return f'<div style="{style}">{"".join(children)}</div>'
    if name == "ImageModel":
        src = _image_src(model)
        if src is None:
            return ""
        alt = alts.pop(0) if alts else ""
        return f'<img src="{src}" alt="{html.escape(alt)}" style="max-width:100%">'
    return _control(model)


def _alts(cell) -> list[str]:
    alt = cell.metadata.get("bpcourse", {}).get("alt")
    if alt is None:
        return []
    return [alt] if isinstance(alt, str) else list(alt)


def _controls_summary(model_id: str, state: dict) -> str:
    """ "eta = 0.125, w0 = 3" for the controls under a widget, for a default alt text."""
    parts = []

    def walk(mid):
        model = state.get(mid)
        if model is None:
            return
        s = model["state"]
        for child in s.get("children", []):
            walk(child.removeprefix("IPY_MODEL_"))
        if model["model_name"] == "SelectionSliderModel":
            labels, index = s.get("_options_labels", []), s.get("index", 0)
            if isinstance(index, int) and index < len(labels):
                parts.append(f"{s.get('description', '')} = {labels[index]}")
        elif "description" in s and "value" in s and model["model_name"].endswith("SliderModel"):
            parts.append(f"{s['description']} = {s['value']:g}")

    walk(model_id)
    return ", ".join(parts)


# ----- preparing one notebook ------------------------------------------------------------------
def prepare(nb, name: str = "notebook"):
    """The notebook as the website shows it (see the module docstring). Returns (nb, problems)."""
    state = (
        nb.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state", {})
    )
    problems = []
    cells = []
    nb, _ = edition(nb, "site", name)  # the one rule: notes left out, answers and texts folded
    for index, cell in enumerate(nb.cells):
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            what = role(cell)
            if RULES["site"][what] == "fold":
                if what == "exercise":
                    where = f"{name}, cell {index}"
                    cell.source = strip_solutions(cell.source, where, "markers")[0]
                shown = "Show the check" if what == "verification" else "Show solution"
                # an exercise keeps no output worth hiding; a solution or a check folds its
                # printed evidence too, since it may state what the answer produces
                tags.add("hide-input" if what == "exercise" else "hide-cell")
                cell.metadata["mystnb"] = {
                    "code_prompt_show": shown,
                    "code_prompt_hide": shown.replace("Show", "Hide"),
                }
            alts = _alts(cell)
            images = sum(1 for o in cell.get("outputs", []) if "image/png" in o.get("data", {}))
            outputs = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                view = data.get("application/vnd.jupyter.widget-view+json")
                if view:
                    widget_alts = alts[images:] if len(alts) > images else []
                    if not widget_alts:
                        summary = _controls_summary(view["model_id"], state)
                        widget_alts = [
                            f"The explorer's figure at its stored setting ({summary})"
                            if summary
                            else "The explorer's figure at its stored setting"
                        ]
                    body = widget_html(view["model_id"], state, list(widget_alts))
                    if not body:
                        problems.append(f"{name}, cell {index}: widget with no saved state")
                        continue
                    note = f'<p class="bp-widget-note"><em>{html.escape(WIDGET_NOTE)}</em></p>'
                    outputs.append(
                        nbformat.v4.new_output(
                            "display_data",
                            data={"text/html": f'<div class="bp-widget">{body}{note}</div>'},
                        )
                    )
                    continue
                if "image/png" in data:
                    if not alts:
                        problems.append(
                            f"{name}, cell {index}: an image without a text alternative "
                            "(cell metadata bpcourse.alt)"
                        )
                    alt = alts.pop(0) if alts else ""
                    output = nbformat.from_dict(json.loads(json.dumps(output)))
                    output["data"] = {
                        "text/html": f'<img src="data:image/png;base64,{data["image/png"]}" '
                        f'alt="{html.escape(alt)}" style="max-width:100%">'
                    }
                outputs.append(output)
            cell.outputs = outputs
        if tags:
            cell.metadata["tags"] = sorted(tags)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb, problems


# ----- the build ------------------------------------------------------------------------------
def fetch_mathjax(static: Path, cache: Path) -> None:
    """Put MathJax 3 under ``static/mathjax`` (from ``cache`` if it is there already)."""
    target = static / "mathjax"
    if not (cache / "es5" / "tex-chtml.js").is_file():
        staging = Path(tempfile.mkdtemp(prefix=".mathjax-", dir=cache.parent))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                tarball = npm_pack(MATHJAX, Path(tmp) / "pack")
                extract_package(tarball, staging, MATHJAX_FILES)
            if cache.exists():
                shutil.rmtree(cache)
            staging.rename(cache)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(cache, target)


def default_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def build(out: Path, notebooks: list[Path] | None = None, strict_alt: bool = True) -> list[Path]:
    """Write the site into ``out``; return its HTML pages. Raises SystemExit on a problem."""
    notebooks = notebooks or default_notebooks()
    if BUILD.exists():
        shutil.rmtree(BUILD)
    (BUILD / "_static").mkdir(parents=True)
    fetch_mathjax(BUILD / "_static", ROOT / "build" / "mathjax-cache")
    (BUILD / "_static" / "bpcourse.css").write_text(
        ".bp-widget{border:1px solid #d0d7de;border-radius:6px;padding:0.5em;margin:0.5em 0}"
        ".bp-widget-control{margin-right:1em}.bp-widget-note{font-size:90%;color:#57606a}\n"
    )
    (BUILD / "conf.py").write_text(CONF + 'html_css_files = ["bpcourse.css"]\n')
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (BUILD / "index.md").write_text(index_page(readme, notebooks), encoding="utf-8")
    problems = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nb, found = prepare(nb, path.name)
        problems += [p for p in found if strict_alt or "text alternative" not in p]
        nbformat.write(nb, BUILD / path.name)
    if problems:
        raise SystemExit("build_site: " + "\n  ".join(["cannot build the site:", *problems]))
    html_dir = BUILD.parent / "site_html"  # myst-nb writes beside it, so inside build/
    if html_dir.exists():
        shutil.rmtree(html_dir)
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1", str(BUILD), str(html_dir)],
        check=True,
    )
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(html_dir, out, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo"))
    pages = sorted(out.glob("*.html"))
    remote = [
        f"{page.name}: {line}"
        for page in pages
        for line in remote_resources(page.read_text(encoding="utf-8"))
    ]
    if remote:
        raise SystemExit("build_site: pages would load from the network:\n  " + "\n  ".join(remote))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--allow-missing-alt", action="store_true", help="build even if a figure has no alt text"
    )
    args = parser.parse_args(argv)
    pages = build(args.out, strict_alt=not args.allow_missing_alt)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"site: {len(pages)} pages in {args.out}/ ({size / 1e6:.1f} MB), offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
