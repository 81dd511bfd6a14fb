"""tools/build_site.py prepares each notebook for reading; these tests need no Sphinx."""

import base64
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import build_site

ROOT = Path(__file__).resolve().parents[1]
PNG = base64.b64encode(b"\x89PNG fake").decode()


def _figure_cell(alt=None):
    cell = new_code_cell("plt.plot([1, 2])\nplt.show()")
    cell.outputs = [new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]
    if alt is not None:
        cell.metadata["bpcourse"] = {"alt": alt}
    return cell


def test_the_front_page_is_the_readme_notebook_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    page = build_site.index_page(readme, notebooks)
    for notebook in notebooks:
        assert f"`{notebook.stem}`" in page  # the map's row
        assert f"\n{notebook.stem}\n" in page  # the sidebar's entry, in course order
    assert "figures/" not in page


def test_a_solution_is_folded_behind_show_solution_without_its_markers():
    cell = new_code_cell(
        "def f(x):\n"
        "    # BEGIN SOLUTION Exercise 9.9: double it\n"
        "    return 2 * x\n"
        "    # END SOLUTION"
    )
    cell.metadata["tags"] = ["exercise"]
    nb, problems = build_site.prepare(new_notebook(cells=[cell]))
    (shown,) = nb.cells
    assert "hide-input" in shown.metadata["tags"]
    assert shown.metadata["mystnb"]["code_prompt_show"] == "Show solution"
    assert "SOLUTION" not in shown.source and "return 2 * x" in shown.source
    assert problems == []


def test_instructor_notes_are_left_out_and_checks_folded():
    note = new_markdown_cell("Ask the class first.")
    note.metadata["tags"] = ["instructor"]
    speaker = new_markdown_cell("Say this.")
    speaker.metadata["slideshow"] = {"slide_type": "notes"}
    verification = new_code_cell("assert 1 + 1 == 2")
    verification.metadata["jupyter"] = {"source_hidden": True}
    verification.metadata["tags"] = ["verification"]
    nb, _ = build_site.prepare(new_notebook(cells=[note, speaker, verification]))
    assert [c.source for c in nb.cells] == ["assert 1 + 1 == 2"]
    assert nb.cells[0].metadata["mystnb"]["code_prompt_show"] == "Show the check"
    assert "hide-cell" in nb.cells[0].metadata["tags"]  # its printed evidence is folded too


def test_solution_texts_and_answers_are_folded_and_solution_code_with_its_output():
    derivation = new_markdown_cell("$$[dl/dw] = [dl/ds]^T x$$")
    derivation.metadata["tags"] = ["solution"]
    answer = new_markdown_cell("It diverges.")
    answer.metadata["tags"] = ["answer"]
    listing = new_code_cell("print(42)")
    listing.metadata["tags"] = ["solution"]
    lecture = new_markdown_cell("Plain text.")
    nb, _ = build_site.prepare(new_notebook(cells=[derivation, answer, listing, lecture]))
    folded, answered, code, plain = nb.cells
    assert folded.source.startswith("<details>") and "[dl/dw]" in folded.source
    assert answered.source.startswith("<details><summary>Answer")
    assert "hide-cell" in code.metadata["tags"]
    assert plain.source == "Plain text."


def test_every_image_gets_its_alt_text_and_a_missing_one_is_reported():
    nb, problems = build_site.prepare(
        new_notebook(cells=[_figure_cell("The loss falls with the epoch."), _figure_cell()]),
        "nb.ipynb",
    )
    first, second = (c.outputs[0]["data"]["text/html"] for c in nb.cells)
    assert 'alt="The loss falls with the epoch."' in first and PNG in first
    assert problems == [
        "nb.ipynb, cell 1: an image without a text alternative (cell metadata bpcourse.alt)"
    ]
    assert 'alt=""' in second


def test_a_widget_is_drawn_from_its_saved_state():
    state = {
        "box": {
            "model_name": "VBoxModel",
            "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_image"]},
        },
        "slider": {
            "model_name": "FloatLogSliderModel",
            "state": {"description": "eta", "value": 0.125, "min": -3, "max": 0, "base": 10},
        },
        "image": {
            "model_name": "ImageModel",
            "state": {"format": "png"},
            "buffers": [{"path": ["value"], "data": PNG, "encoding": "base64"}],
        },
    }
    cell = new_code_cell("explorer")
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    cell.outputs = [
        new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "<Explorer>"},
        )
    ]
    nb = new_notebook(cells=[cell])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    nb, problems = build_site.prepare(nb)
    page = nb.cells[0].outputs[0]["data"]["text/html"]
    assert problems == [] and "widgets" not in nb.metadata
    assert f"data:image/png;base64,{PNG}" in page
    assert 'type="range" disabled' in page and "0.125" in page
    assert "eta = 0.125" in page  # the default alt text names the stored setting
    assert "JupyterLab" in page


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_every_notebook_prepares_without_a_widget_problem(path):
    _, problems = build_site.prepare(nbformat.read(path, as_version=4), path.name)
    assert [p for p in problems if "widget" in p] == []
