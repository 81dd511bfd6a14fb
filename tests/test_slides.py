"""tools/build_slides.py: decks that load nothing from the network (no browser, no npm).

The HTML checks run on hand-written pages. The export test runs nbconvert on two tiny
notebooks and needs slides/lib/ (fetched once by `make slides`); it is skipped without it.
The browser test (tests/browser/test_slides.py) opens a real deck offline.
"""

import io
import json
import sys
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


def test_nbconvert_command_points_every_library_at_lib(tmp_path):
    command = bs.nbconvert_command([tmp_path / "01_x.ipynb"], tmp_path)
    assert command[:6] == [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides"]
    options = dict(a.split("=", 1) for a in command if a.startswith("--SlidesExporter."))
    for option in ["reveal_url_prefix", "mathjax_url", "require_js_url", "jquery_url"]:
        assert options[f"--SlidesExporter.{option}"].startswith("lib/")
    assert "MathJax.js?config=TeX-AMS_CHTML" in options["--SlidesExporter.mathjax_url"]
    assert not [a for a in command if "http" in a]


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
def _notebook(path, extra_output=None):
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
