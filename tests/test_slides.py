"""tools/build_slides.py: decks that load nothing from the network (no browser, no npm).

The HTML checks run on hand-written pages. The export test runs nbconvert on two tiny
notebooks and needs slides/lib/ (fetched once by `make slides`); it is skipped without it.
The browser tests (tests/browser/test_slide_decks.py, test_accessibility.py) open real decks
offline. The last test checks the course itself: every figure in every notebook has a text
alternative (cell metadata bpcourse.alt), so `make slides` can build.
"""

import base64
import io
import json
import re
import tarfile
from pathlib import Path

import nbformat
import pytest

from tools import build_slides as bs

ROOT = Path(__file__).resolve().parents[1]


PAGE = """<!DOCTYPE html><html><head>
<script src="{script}"></script>
<link rel="stylesheet" href="{css}">
<script>
// reveal.js configuration: https://github.com/hakimel/reveal.js#configuration
require(["lib/reveal.js/dist/reveal.js"], function (Reveal) {{ Reveal.initialize(); }});
</script>
<script type="application/vnd.jupyter.widget-state+json">
{{"state": {{"model": {{"url": "https://example.org/data.json"}}}}}}
</script>
</head><body><div class="reveal"><div class="slides">
<section><section><p>See <a href="https://en.wikipedia.org/wiki/Backpropagation">the
article</a>.</p></section><section>two</section></section>
<section><section>three</section></section>
</div></div></body></html>"""


def page(script="lib/jquery/dist/jquery.min.js", css="lib/reveal.js/dist/reveal.css"):
    return PAGE.format(script=script, css=css)


# ----------------------------------------------------------------------------- checks
def test_local_page_with_hyperlinks_comments_and_widget_state_is_offline_safe():
    assert bs.remote_resources(page()) == []


@pytest.mark.parametrize(
    "script, css, expected",
    [
        ("https://cdn.example.org/jquery.js", "lib/x.css", "<script src>: https://cdn"),
        ("lib/x.js", "http://cdn.example.org/reveal.css", "href>: http://cdn"),
        ("//cdn.example.org/require.js", "lib/x.css", "<script src>: //cdn"),
    ],
)
def test_remote_script_or_stylesheet_is_reported(script, css, expected):
    found = bs.remote_resources(page(script=script, css=css))
    assert len(found) == 1
    assert expected in found[0]


@pytest.mark.parametrize(
    "inline",
    [
        "<script type=\"module\">import mermaid from 'https://cdn.example.org/m.mjs';</script>",
        "<script>var s = document.createElement('script');"
        " s.src = 'https://unpkg.com/@jupyter-widgets/html-manager/dist/embed-amd.js';</script>",
        '<script>require(["https://unpkg.com/reveal.js@4.0.2/dist/reveal.js"]);</script>',
        "<style>@import url(https://fonts.googleapis.com/css?family=Lato);</style>",
        '<img src="https://example.org/figure.png" alt="a figure">',
    ],
)
def test_what_a_page_would_fetch_from_inline_code_is_reported(inline):
    html = page().replace("</head>", inline + "</head>")
    found = bs.remote_resources(html)
    assert len(found) == 1, found
    assert "//" in found[0]


def test_missing_local_files_lists_urls_absent_from_the_deck_folder(tmp_path):
    (tmp_path / "lib" / "jquery" / "dist").mkdir(parents=True)
    (tmp_path / "lib" / "jquery" / "dist" / "jquery.min.js").write_text("")
    missing = bs.missing_local_files(page(), tmp_path)
    assert missing == [
        "<link rel=stylesheet href>: lib/reveal.js/dist/reveal.css",
        "inline <script> string: lib/reveal.js/dist/reveal.js",
    ]


def test_count_slides_counts_top_sections_and_their_subsections():
    assert bs.count_slides(page()) == (2, 3)


MERMAID = """<script type="module">
  import mermaid from 'https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs';
  mermaid.initialize({ startOnLoad: true });
</script>
"""


def test_rewrite_drops_the_mermaid_loader_of_a_deck_without_diagrams():
    html = page().replace("</head>", MERMAID + "</head>")
    assert bs.remote_resources(html) != []
    rewritten = bs.rewrite_html(html)
    assert "mermaid" not in rewritten
    assert bs.remote_resources(rewritten) == []
    assert rewritten.replace(MERMAID, "") == rewritten  # nothing else changed
    assert len(rewritten) == len(html) - len(MERMAID)


def test_rewrite_keeps_the_mermaid_loader_when_a_diagram_needs_it():
    html = page().replace("</head>", MERMAID + "</head>")
    html = html.replace("three", '<pre class="mermaid">graph LR; x --> s</pre>')
    assert bs.rewrite_html(html) == html


def test_offline_css_drops_web_font_imports_and_keeps_local_ones():
    css = (
        b"@import url(fonts/league-gothic/league-gothic.css);\n"
        b"@import url(https://fonts.googleapis.com/css?family=News+Cycle:400,700);\n"
        b"@import url('http://fonts.googleapis.com/css?family=Lato');\n"
        b".reveal { font-family: 'Lato', sans-serif; }\n"
    )
    out = bs.offline_css("dist/theme/simple.css", css)
    assert out == (
        b"@import url(fonts/league-gothic/league-gothic.css);\n"
        b".reveal { font-family: 'Lato', sans-serif; }\n"
    )
    assert bs.offline_css("dist/reveal.js", css) == css  # only stylesheets are touched


# ----------------------------------------------------------------------------- libraries
def _tarball(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_extract_package_keeps_only_wanted_files_inside_dest(tmp_path):
    tgz = _tarball(
        tmp_path / "pkg-1.0.0.tgz",
        {
            "package/LICENSE": b"MIT",
            "package/dist/lib.js": b"var x;",
            "package/dist/theme/a.css": b"@import url(https://fonts.example.org/a);\nb{}",
            "package/src/big.js": b"not wanted",
            "package/../escape.js": b"outside",
        },
    )
    dest = tmp_path / "out"
    written = bs.extract_package(tgz, dest, ["LICENSE", "dist/lib.js", "dist/theme/"])
    assert sorted(written) == ["LICENSE", "dist/lib.js", "dist/theme/a.css"]
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == [
        "LICENSE",
        "dist/lib.js",
        "dist/theme/a.css",
    ]
    assert (dest / "dist/theme/a.css").read_bytes() == b"b{}"
    assert not (tmp_path / "escape.js").exists()


def test_extract_package_fails_when_a_wanted_file_is_missing(tmp_path):
    tgz = _tarball(tmp_path / "pkg.tgz", {"package/a.js": b""})
    with pytest.raises(RuntimeError, match="lacks b.js"):
        bs.extract_package(tgz, tmp_path / "out", ["a.js", "b.js"])


def test_lib_complete_needs_the_manifest_and_every_file_it_lists(tmp_path):
    lib = tmp_path / "lib"
    assert not bs.lib_complete(lib)
    (lib / "reveal.js").mkdir(parents=True)
    (lib / "reveal.js" / "reveal.css").write_text("")
    manifest = {"libraries": bs.LIBRARIES, "files": ["reveal.js/reveal.css"]}
    (lib / bs.MANIFEST).write_text(json.dumps(manifest))
    assert bs.lib_complete(lib)
    (lib / "reveal.js" / "reveal.css").unlink()
    assert not bs.lib_complete(lib)
    (lib / "reveal.js" / "reveal.css").write_text("")
    manifest["libraries"] = {"reveal.js@3.0.0": ["reveal.js", ["LICENSE"]]}
    (lib / bs.MANIFEST).write_text(json.dumps(manifest))
    assert not bs.lib_complete(lib)


def test_nbconvert_options_point_every_library_at_lib_or_one_folder_up():
    for lib, prefix in [("lib", "lib/"), ("../lib", "../lib/")]:
        options = bs.nbconvert_options(lib)
        for option in ["reveal_url_prefix", "mathjax_url", "require_js_url", "jquery_url"]:
            assert options[option].startswith(prefix), (lib, option)
        assert "MathJax.js?config=TeX-AMS_CHTML" in options["mathjax_url"]
        assert not [v for v in options.values() if "http" in v]


def test_the_template_configures_reveal_for_a_lecture(tmp_path):
    folder = bs.write_template(tmp_path)
    index = (folder / "index.html.j2").read_text()
    config = json.loads(re.search(r"var config = (\{.*?\});", index).group(1))
    assert config["navigationMode"] == "linear"  # ArrowRight goes through every slide
    assert config["slideNumber"] == "c/t"
    assert (config["width"], config["height"]) == (bs.DECK_WIDTH, bs.DECK_HEIGHT)
    assert bs.DECK_WIDTH * 9 == bs.DECK_HEIGHT * 16  # 16:9, as projectors are
    assert "mermaid" not in index.replace("html_head_js_mermaidjs", "")
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "reveal"


def test_every_deck_url_names_a_file_that_the_library_list_fetches():
    fetched = set()
    for folder, wanted in bs.LIBRARIES.values():
        fetched |= {f"lib/{folder}/{w}" for w in wanted}
    fetched |= {f"lib/{name}" for name in bs.LOCAL_FILES}
    for option in ["mathjax_url", "require_js_url", "jquery_url", "font_awesome_url"]:
        url = bs.NBCONVERT_OPTIONS[option].split("?")[0]
        assert url in fetched, option
    prefix = bs.NBCONVERT_OPTIONS["reveal_url_prefix"]
    assert {f"{prefix}/dist/reveal.js", f"{prefix}/dist/reveal.css"} <= fetched
    assert f"{prefix}/plugin/" in fetched  # the notes plugin the template requires


# ----------------------------------------------------------------------------- export
def _notebook(path, extra_output=None, alt=None):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    title = nbformat.v4.new_markdown_cell("# Chain rule\n\n$$\\frac{dl}{dx} = w\\,\\sigma'(s)$$")
    code = nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    if extra_output:
        code.outputs.append(nbformat.v4.new_output("display_data", data=extra_output))
    if alt is not None:
        code.metadata["bpcourse"] = {"alt": alt}
    title.metadata["slideshow"] = {"slide_type": "slide"}
    code.metadata["slideshow"] = {"slide_type": "subslide"}
    nb.cells = [title, code]
    nbformat.write(nb, path)
    return path


def test_export_writes_offline_decks_and_fails_naming_a_deck_that_needs_the_web(tmp_path):
    lib = bs.DEFAULT_OUT / "lib"
    if not bs.lib_complete(lib):
        pytest.skip("slides/lib/ is not fetched yet: run `make slides` once (needs npm)")
    good = _notebook(tmp_path / "01_good.ipynb")
    bad = _notebook(
        tmp_path / "02_bad.ipynb",
        {"text/html": '<script src="https://cdn.example.org/plot.js"></script>'},
    )
    out = tmp_path / "slides"
    out.mkdir()
    (out / "lib").symlink_to(lib, target_is_directory=True)

    with pytest.raises(SystemExit) as failure:
        bs.export([good, bad], out)
    message = str(failure.value)
    assert "02_bad.slides.html" in message
    assert "https://cdn.example.org/plot.js" in message
    assert "01_good" not in message

    html = (out / "01_good.slides.html").read_text(encoding="utf-8")
    assert bs.remote_resources(html) == []
    assert bs.missing_local_files(html, out) == []
    assert 'src="lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"' in html
    assert "mermaid" not in html
    assert bs.count_slides(html) == (1, 2)
    assert '<html lang="en"' in html
    assert "<title>Chain rule (slides)</title>" in html
    assert 'id="bpcourse-accessible"' in html
    assert 'id="bpcourse-focus"' in html


def _lib_or_skip():
    lib = bs.DEFAULT_OUT / "lib"
    if not bs.lib_complete(lib):
        pytest.skip("slides/lib/ is not fetched yet: run `make slides` once (needs npm)")
    return lib


def _slides_dir(tmp_path, lib):
    out = tmp_path / "slides"
    out.mkdir()
    (out / "lib").symlink_to(lib, target_is_directory=True)
    return out


def test_export_gives_each_figure_its_alt_text(tmp_path):
    out = _slides_dir(tmp_path, _lib_or_skip())
    nb = _notebook(
        tmp_path / "01_figure.ipynb",
        {"image/png": PNG_A, "text/plain": "<Figure>"},
        alt='The loss against the epoch: it falls from 2.3 to 0.1 & "stays".',
    )
    bs.export([nb], out)
    html = (out / "01_figure.slides.html").read_text(encoding="utf-8")
    (tag,) = re.findall(r"<img\b[^>]*>", html)
    assert (
        'alt="The loss against the epoch: it falls from 2.3 to 0.1 &amp; &quot;stays&quot;."' in tag
    )
    assert bs.PLACEHOLDER_ALT not in html
    assert bs.images_without_alt(html) == 0


def test_export_fails_listing_every_figure_without_alt_text(tmp_path, capsys):
    out = _slides_dir(tmp_path, _lib_or_skip())
    with_alt = _notebook(tmp_path / "01_ok.ipynb", {"image/png": PNG_A}, alt="A described figure.")
    without = _notebook(tmp_path / "02_no_alt.ipynb", {"image/png": PNG_B})
    with pytest.raises(SystemExit) as failure:
        bs.export([with_alt, without], out)
    message = str(failure.value)
    assert "02_no_alt.ipynb, cell 1: an image without a text alternative" in message
    assert "01_ok" not in message
    assert not (out / "02_no_alt.slides.html").exists()  # it fails before exporting

    bs.export([with_alt, without], out, allow_missing_alt=True)
    assert "02_no_alt.ipynb, cell 1" in capsys.readouterr().err
    html = (out / "02_no_alt.slides.html").read_text(encoding="utf-8")
    assert bs.images_without_alt(html) == 1  # nbconvert's placeholder stays, and is counted


# ----------------------------------------------------------------------------- alt texts
# Two different 1x1 PNGs (their bytes differ in the pixel data); only their base64 matters.
PNG_A = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e5273fa80000000049454e44ae426082"
    )
).decode()
PNG_B = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
    )
).decode()


def _cell(images, alt=None, widget=False):
    outputs = [nbformat.v4.new_output("stream", name="stdout", text="checked\n")]
    for data in images:
        outputs.append(nbformat.v4.new_output("display_data", data={"image/png": data}))
    if widget:
        view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
        outputs.append(
            nbformat.v4.new_output(
                "display_data", data={"application/vnd.jupyter.widget-view+json": view}
            )
        )
    cell = nbformat.v4.new_code_cell("plot()", outputs=outputs)
    if alt is not None:
        cell.metadata["bpcourse"] = {"alt": alt}
    return cell


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), *cells]
    return nb


def test_figure_alts_pairs_each_image_with_its_alt_and_names_the_cells_without():
    nb = _nb(
        _cell([PNG_A], alt="One string for one image."),
        _cell([PNG_A, PNG_B], alt=["First.", "Second."]),
        _cell([PNG_B]),
        _cell([PNG_A, PNG_B], alt=["Only the first."]),
        _cell([PNG_A], alt="   "),
        _cell([PNG_B], alt=["The figure beside the widget.", "The widget's figure."], widget=True),
        nbformat.v4.new_code_cell("print(1)"),
    )
    figures, missing = bs.figure_alts(nb, "nb.ipynb")
    assert [alt for _, _, alt in figures] == [
        "One string for one image.",
        "First.",
        "Second.",
        "",
        "Only the first.",
        "",
        "",
        "The figure beside the widget.",
    ]
    assert [data for _, data, _ in figures][:3] == [PNG_A, PNG_A, PNG_B]
    assert missing == [
        "nb.ipynb, cell 3: an image without a text alternative (cell metadata bpcourse.alt)",
        "nb.ipynb, cell 4: image 2 of 2 without a text alternative (cell metadata bpcourse.alt)",
        "nb.ipynb, cell 5: an image without a text alternative (cell metadata bpcourse.alt)",
    ]


def _img(data, alt=bs.PLACEHOLDER_ALT, mime="image/png"):
    return f'<img alt="{alt}" class="" src="data:{mime};base64,{data}"/>'


def test_add_alt_texts_matches_images_by_their_data_not_their_order():
    figures = [
        ("image/png", PNG_A, "Figure A."),
        ("image/png", PNG_B, "Figure B, <first>."),
        ("image/png", PNG_B, "Figure B again."),
        ("image/png", PNG_A.replace("A", "Q"), ""),  # no alt text: left as it is
    ]
    html = (
        "<section>"
        + _img(PNG_B)
        + "<p>text</p>"
        + _img(PNG_A)
        + _img(PNG_B)
        + '<img src="figures/local.png" alt="From Markdown.">'
        + _img(PNG_A.replace("A", "Q"))
        + "</section>"
    )
    out = bs.add_alt_texts(html, figures)
    alts = re.findall(r'alt="([^"]*)"', out)
    assert alts == [
        "Figure B, &lt;first&gt;.",
        "Figure A.",
        "Figure B again.",
        "From Markdown.",
        bs.PLACEHOLDER_ALT,
    ]
    assert out.replace(alts[0], bs.PLACEHOLDER_ALT).count("<img") == 5
    assert bs.images_without_alt(out) == 1


def test_add_alt_texts_sets_an_alt_on_an_image_that_has_none():
    out = bs.add_alt_texts(
        f'<img src="data:image/png;base64,{PNG_A}">', [("image/png", PNG_A, "A.")]
    )
    assert out == f'<img alt="A." src="data:image/png;base64,{PNG_A}">'


def test_images_without_alt_counts_missing_and_placeholder_alts_not_empty_ones():
    html = '<img src="a.png"><img alt="" src="b.png">' + _img(PNG_A) + '<img alt="C." src="c">'
    assert bs.images_without_alt(html) == 2


def test_notebook_title_is_the_first_heading_in_plain_text():
    nb = _nb()
    nb.cells = [
        nbformat.v4.new_code_cell("# a comment, not a heading"),
        nbformat.v4.new_markdown_cell(
            "Intro.\n\n# 01 · The *chain* rule, `grad` and $x$ [link](u)"
        ),
    ]
    assert bs.notebook_title(nb, "01_x") == "01 · The chain rule, grad and x link"
    assert bs.notebook_title(nbformat.v4.new_notebook(), "01_x") == "01_x"


def test_accessible_html_sets_language_title_and_stylesheet_once():
    html = "<!DOCTYPE html>\n<html>\n<head><title>01_x slides</title></head><body></body></html>"
    out = bs.accessible_html(html, "01 · Chain rule & <friends>")
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>01 · Chain rule &amp; &lt;friends&gt; (slides)</title>" in out
    assert out.index('id="bpcourse-accessible"') < out.index("</head>")
    assert bs.accessible_html(out, "01 · Chain rule & <friends>") == out
    kept = bs.accessible_html('<html lang="fr"><head></head></html>', "T")
    assert kept.startswith(
        '<html lang="fr">'
    ) and "<title>T (slides)</title>\n</head>" in kept.replace(bs.ACCESSIBLE_STYLE, "")


def _relative_luminance(hex_colour):
    """WCAG 2 relative luminance of "#rrggbb" or "#rgb", written from the definition."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    la, lb = sorted([_relative_luminance(a), _relative_luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_accessible_css_colours_reach_wcag_aa_contrast_on_code_and_page_backgrounds():
    colours = dict(
        re.findall(r"(--jp-mirror-editor-[a-z-]+-color):\s*(#[0-9a-fA-F]{3,6})", bs.ACCESSIBLE_CSS)
    )
    assert len(colours) >= 6
    for name, colour in colours.items():
        for background in ("#f5f5f5", "#ffffff"):  # code cells, page
            assert _contrast(colour, background) >= 4.5, (name, colour, background)
    # The slide number: white on 75% black over a white page.
    alpha = float(
        re.search(
            r"slide-number \{ background-color: rgba\(0, 0, 0, ([0-9.]+)\)", bs.ACCESSIBLE_CSS
        ).group(1)
    )
    grey = round(255 * (1 - alpha))
    assert _contrast("#ffffff", f"#{grey:02x}{grey:02x}{grey:02x}") >= 4.5


# ----------------------------------------------------------------------------- the course
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_every_figure_of_the_notebook_has_a_text_alternative(notebook):
    """Each image output has its alt text in the cell metadata bpcourse.alt (issue 10)."""
    nb = nbformat.read(notebook, as_version=4)
    figures, missing = bs.figure_alts(nb, notebook.name)
    assert missing == [], "\n".join(missing)
    for _, _, alt in figures:
        assert not re.match(r"(?i)(an? )?(figure|plot|image|graph)\.?$", alt), alt


# ----------------------------------------------------------------------------- the lecture
EXERCISE = (
    "def double(x):\n"
    '    """Exercise 9.9: return 2 x."""\n'
    "    # BEGIN SOLUTION Exercise 9.9: one line\n"
    "    return 2 * x\n"
    "    # END SOLUTION\n"
)


def _course():
    """A notebook with a cell of every kind a deck treats on its own."""

    def cell(kind, text, slide="-", tags=(), outputs=(), **metadata):
        made = (
            nbformat.v4.new_code_cell(text, outputs=list(outputs))
            if kind == "code"
            else nbformat.v4.new_markdown_cell(text)
        )
        made.metadata["slideshow"] = {"slide_type": slide}
        if tags:
            made.metadata["tags"] = list(tags)
        made.metadata.update(metadata)
        return made

    stdout = nbformat.v4.new_output("stream", name="stdout", text="loss 0.25\n")
    stderr = nbformat.v4.new_output("stream", name="stderr", text="a warning\n")
    figure = nbformat.v4.new_output("display_data", data={"image/png": PNG_A})
    figure.metadata = {"image/png": {"bpcourse": {"min_text_px": 16.67}}}
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    widget = nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "Image(...)"},
    )
    hidden = {"jupyter": {"source_hidden": True}}
    cells = [
        cell("markdown", "# Title", slide="slide"),
        cell("code", "import numpy as np", slide="skip"),
        cell("markdown", "## Idea", slide="slide"),
        cell("code", "helper = 1", slide="subslide"),  # shows nothing: its start moves on
        cell("code", "print('loss', 0.25)", outputs=[stdout, stderr]),
        cell("code", "plot(); save_figure(fig, 'x')", slide="subslide", outputs=[figure]),
        cell("code", "display(explorer.widget())", slide="subslide", outputs=[widget]),
        cell("markdown", "## Exercise 9.9", slide="slide"),
        cell("code", EXERCISE, tags=["exercise"], outputs=[stdout]),
        cell("code", "check_double(double)", slide="fragment", tags=["check"], outputs=[stdout]),
        cell("code", "assert double(2) == 4", slide="skip", tags=["verification"], **hidden),
        cell("code", "def layer_backward(...):\n    ...", slide="subslide", tags=["slide-code"]),
        cell("markdown", "Ask them first.", slide="notes", tags=["instructor"]),
    ]
    for index, made in enumerate(cells):
        made.id = f"cell-{index}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def _by_id(nb):
    return {c.id: c for c in nb.cells}


def test_the_lecture_shows_outputs_not_plumbing_and_moves_slide_starts_on():
    nb = bs.deck_notebook(_course(), "deck")
    cells = _by_id(nb)
    assert "cell-1" not in cells  # skip
    assert "cell-3" not in cells  # shows nothing
    assert cells["cell-4"].metadata["slideshow"]["slide_type"] == "subslide"  # inherited
    assert cells["cell-4"].metadata["transient"]["remove_source"] is True
    assert [o.get("name") for o in cells["cell-4"].outputs] == ["stdout"]  # no stderr
    assert cells["cell-5"].metadata["transient"]["remove_source"] is True  # the figure only
    assert "cell-6" not in cells  # the widget: a speaker note, its figure is on the slide before
    note = cells["cell-6-widget"]
    assert note.cell_type == "markdown" and note.metadata["slideshow"]["slide_type"] == "notes"
    assert note.source == bs.WIDGET_NOTE
    assert "widgets" not in nb.metadata
    stub = cells["cell-8"]
    assert "raise NotImplementedError" in stub.source and "return 2 * x" not in stub.source
    assert stub.outputs == [] and "slide-code" in stub.metadata["tags"]
    assert "cell-9" not in cells and "cell-10" not in cells  # check, verification
    assert "remove_source" not in cells["cell-11"].metadata.get("transient", {})
    assert cells["cell-12"].metadata["slideshow"]["slide_type"] == "notes"


def test_the_instructors_deck_adds_the_solution_and_the_verdict():
    cells = _by_id(bs.deck_notebook(_course(), "deck-solutions"))
    assert "return 2 * x" in cells["cell-8"].source and "SOLUTION" not in cells["cell-8"].source
    assert cells["cell-9"].metadata["transient"]["remove_source"] is True  # its verdict only
    assert "cell-10" not in cells
    with pytest.raises(ValueError):
        bs.deck_notebook(_course(), "student")


def test_figure_text_sizes_are_copied_onto_the_matching_images():
    nb = bs.deck_notebook(_course(), "deck")
    sizes = bs.figure_text_sizes(nb)
    assert sizes == [("image/png", PNG_A, 16.67)]
    html = "<section>" + _img(PNG_B) + _img(PNG_A) + "</section>"
    out = bs.add_text_sizes(html, sizes)
    tags = re.findall(r"<img\b[^>]*>", out)
    assert bs.TEXT_SIZE_ATTR not in tags[0]
    assert f'{bs.TEXT_SIZE_ATTR}="16.67"' in tags[1]
    assert bs.add_text_sizes(out, sizes) == out  # once


def test_world_readable_opens_private_folders_and_files(tmp_path):
    private = tmp_path / "lib" / "mathjax"
    private.mkdir(parents=True)
    (private / "MathJax.js").write_text("")
    (private / "MathJax.js").chmod(0o600)
    private.chmod(0o700)
    (tmp_path / "lib").chmod(0o700)
    bs.world_readable(tmp_path / "lib")
    assert (tmp_path / "lib").stat().st_mode & 0o777 == 0o755
    assert private.stat().st_mode & 0o777 == 0o755
    assert (private / "MathJax.js").stat().st_mode & 0o777 == 0o644


def test_export_writes_a_lecture_and_with_solutions_an_instructors_deck(tmp_path):
    out = _slides_dir(tmp_path, _lib_or_skip())
    path = tmp_path / "09_course.ipynb"
    nb = _course()
    nb.cells[5].metadata["bpcourse"] = {"alt": "A plot."}
    nbformat.write(nb, path)
    bs.main([str(path), "--out", str(out), "--solutions", "--allow-missing-alt"])
    lecture = (out / "09_course.slides.html").read_text(encoding="utf-8")
    solutions = (out / "solutions" / "09_course.slides.html").read_text(encoding="utf-8")
    assert "NotImplementedError" in _text(lecture) and "return 2 * x" not in _text(lecture)
    assert "save_figure" not in lecture and "check_double" not in lecture
    assert "In&nbsp;[" not in lecture  # no prompts
    assert '"navigationMode": "linear"' in lecture and 'id="bpcourse-deck"' in lecture
    assert f'{bs.TEXT_SIZE_ATTR}="16.67"' in lecture
    assert '<aside class="notes">' in lecture and "Ask them first." in lecture
    assert "widget-state" not in lecture and "widgets-offline.js" not in lecture
    assert 'src="../lib/mathjax/MathJax.js' in solutions
    assert "return 2 * x" in _text(solutions) and "NotImplementedError" not in _text(solutions)
    assert bs.missing_local_files(solutions, out / "solutions") == []
    assert (out / "09_course.slides.html").stat().st_mode & 0o004
    bs.main([str(path), "--out", str(out), "--allow-missing-alt"])
    assert not (out / "solutions").exists()  # a lecture build leaves no solutions behind


def _text(html):
    """What a reader of the page sees as text (tags out, entities decoded)."""
    import html as htmllib

    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


# ----------------------------------------------------------------------------- plot_style
def _figure(**text):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 1], [0, 1], label="line")
    ax.tick_params(labelsize=text.get("ticks", 12))
    ax.set_title("title", fontsize=text.get("title", 14))
    ax.legend(fontsize=text.get("legend", 12))
    return fig, plt


def test_smallest_text_pt_finds_the_smallest_drawn_text():
    from bpcourse.notebook import smallest_text_pt

    fig, plt = _figure(ticks=13, title=20, legend=9)
    assert smallest_text_pt(fig) == pytest.approx(9)
    fig2, _ = _figure(ticks=15, title=16, legend=15)
    fig2.axes[0].text(0.5, 0.5, "$x^2$", fontsize=7)  # a formula counts at its base size
    assert smallest_text_pt(fig2) == pytest.approx(7)
    fig2.axes[0].texts[0].set_visible(False)  # what is not drawn does not count
    assert smallest_text_pt(fig2) == pytest.approx(15)
    plt.close("all")


def test_the_png_formatter_adds_the_text_size_to_the_inline_backends_image():
    from bpcourse.notebook import TEXT_SIZE_KEY, _with_text_size

    fig, plt = _figure(ticks=12, title=14, legend=12)
    png = base64.b64decode(PNG_A)
    plain = _with_text_size(lambda f: PNG_A)
    data, metadata = plain(fig)
    assert data == PNG_A  # the image is the wrapped formatter's, unchanged
    assert metadata == {TEXT_SIZE_KEY: {"min_text_px": round(12 * 100 / 72, 2)}}
    # A retina PNG (drawn at twice the dpi, shown at half its width) says so by its width.
    width = int.from_bytes(png[16:20], "big")
    retina = _with_text_size(lambda f: (PNG_A, {"width": width / 2}))
    _, metadata = retina(fig)
    assert metadata["width"] == width / 2
    assert metadata[TEXT_SIZE_KEY]["min_text_px"] == round(12 * 200 / 72, 2)
    assert _with_text_size(lambda f: None)(fig) is None
    plt.close("all")


# ----------------------------------------------------------------------------- live, RISE
def test_the_live_notebook_keeps_every_cell_and_shows_what_the_lecture_shows():
    course = _course()
    nb = bs.live_notebook(course, "09_course.ipynb")
    kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    ids = [c.get("id") for c in nb.cells]
    assert [i for i in ids if not i.endswith("-stub")] == [c.id for c in course.cells]
    cells = {c.get("id"): c for c in nb.cells if c.get("id")}
    assert cells["cell-3"].metadata["slideshow"]["slide_type"] == "skip"  # no output to show
    assert cells["cell-4"].metadata["slideshow"]["slide_type"] == "slide"  # its start moved on
    assert cells["cell-4"].metadata["jupyter"]["source_hidden"] is True
    assert cells["cell-6"].metadata["jupyter"]["source_hidden"] is True  # the widget runs live
    assert cells["cell-6"].metadata["slideshow"]["slide_type"] == "slide"  # was a subslide
    exercise = cells["cell-8"]
    assert exercise.metadata["slideshow"]["slide_type"] == "skip" and "return 2 * x" in (
        exercise.source
    )
    stub = nb.cells[ids.index("cell-8") - 1]
    assert stub.id == "cell-8-stub" and stub.cell_type == "markdown"
    assert "raise NotImplementedError" in stub.source
    assert "return 2 * x" not in stub.source
    assert cells["cell-9"].metadata["slideshow"]["slide_type"] == "skip"  # check
    assert cells["cell-11"].metadata.get("jupyter", {}).get("source_hidden") is None  # slide-code
    assert cells["cell-12"].metadata["slideshow"]["slide_type"] == "notes"
    assert "subslide" not in kinds
    assert nb.metadata["rise"]["slideNumber"] == "c/t"
    assert course.cells[8].metadata["slideshow"]["slide_type"] == "-"  # the input is unchanged


def test_write_live_adds_rise_css_beside_the_notebooks(tmp_path):
    path = tmp_path / "09_course.ipynb"
    nbformat.write(_course(), path)
    (written,) = bs.write_live([path], tmp_path / "live")
    assert written == tmp_path / "live" / "09_course.ipynb"
    css = (tmp_path / "live" / "rise.css").read_text()
    assert ".jp-InputPlaceholder { display: none; }" in css
    assert nbformat.read(written, as_version=4).metadata["rise"]


def test_a_widget_beside_a_figure_leaves_the_figure_on_the_slide_and_a_note():
    course = _course()
    widget = course.cells[6].outputs[0]
    course.cells[5].outputs.append(widget)  # the static figure and the widget in one cell
    cells = _by_id(bs.deck_notebook(course, "deck"))
    assert [list(o.get("data", {})) for o in cells["cell-5"].outputs] == [["image/png"]]
    assert cells["cell-5-widget"].metadata["slideshow"]["slide_type"] == "notes"
    ids = list(cells)
    assert ids.index("cell-5-widget") == ids.index("cell-5") + 1


def test_pieces_of_one_stream_become_one_output_and_streams_stay_apart(tmp_path):
    pieces = [
        nbformat.v4.new_output("stream", name="stdout", text="sizes   N\n"),
        nbformat.v4.new_output("stream", name="stdout", text="[64, 64]  32\n[2, 1]  200\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "7"}, execution_count=1),
        nbformat.v4.new_output("stream", name="stdout", text="after\n"),
    ]
    code = nbformat.v4.new_code_cell("print(...)", outputs=pieces)
    code.metadata["slideshow"] = {"slide_type": "slide"}
    code.id = "table"
    nb = bs.deck_notebook(nbformat.v4.new_notebook(cells=[code]), "deck")
    html, _ = bs.exporter(tmp_path).from_notebook_node(nb)
    boxes = re.findall(r"<pre>(.*?)</pre>", html, flags=re.S)
    assert [b.strip() for b in boxes] == ["sizes   N\n[64, 64]  32\n[2, 1]  200", "7", "after"]
