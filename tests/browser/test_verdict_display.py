"""An exercise check's verdict as a student sees it in JupyterLab.

`bpcourse.exercises.Result` has a rich HTML display: a coloured line with the symbol and the
verdict word, the message below it (wrapped between words, never inside one) and the
evidence in smaller type. A small generated notebook (in the scratch server's temporary
folder, not notebooks/) displays a correct and a wrong `Result`, runs in JupyterLab, and the
rendered output is measured in Chromium. Screenshot: test-artifacts/browser/verdict.png.
"""

import re

import nbformat
import pytest

pytestmark = pytest.mark.browser

EXERCISE = "Exercise 4.1 (backward pass of one layer)"
LONG_MESSAGE = (
    "not yet: your dl_dw has the shape of the transpose of the expected gradient; the "
    "gradient of a scalar with respect to a matrix has the matrix's shape, so compare the "
    "order of the factors in dl_ds.T @ x_prev with the shapes (D_l, D_(l-1)) of w^(l), and "
    "remember that the batch has samples in rows: every sample contributes one outer "
    "product, and the mean over the batch divides their sum by N, interdependently"
)
CELL = f"""\
from IPython.display import display
from bpcourse.exercises import Result

right = Result({EXERCISE!r}, "correct", "correct", evidence={{"max_error": 3.1e-16, "cases": 4}})
wrong = Result({EXERCISE!r}, "mistake", {LONG_MESSAGE!r}, diagnosis="transpose")
display(right, wrong)
"""

# For each verdict: the colour of its headline, the message's wrapping, the evidence's size.
MEASURE_JS = r"""
() => [...document.querySelectorAll('.jp-OutputArea-output .bpcourse-verdict')].map(box => {
  const headline = box.querySelector(':scope > span');
  const message = box.querySelector('.bpcourse-verdict-message');
  const evidence = box.querySelector('.bpcourse-verdict-evidence');
  const style = getComputedStyle(message || box);
  // A word broken across lines has client rects on two different lines.
  const split = [];
  let lines = 0;
  if (message) {
    const text = message.firstChild;
    const whole = document.createRange();
    whole.selectNodeContents(message);
    lines = new Set([...whole.getClientRects()].map(r => Math.round(r.top))).size;
    const re = /\S+/g;
    let m;
    while ((m = re.exec(text.data)) !== null) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return {
    classes: box.className,
    headline: headline ? headline.innerText : '',
    colour: headline ? getComputedStyle(headline).color : '',
    border: getComputedStyle(box).borderLeftColor,
    wordBreak: style.wordBreak,
    overflowWrap: style.overflowWrap,
    whiteSpace: style.whiteSpace,
    lines,
    split,
    messageSize: parseFloat(getComputedStyle(message || box).fontSize),
    evidenceSize: evidence ? parseFloat(getComputedStyle(evidence).fontSize) : null,
    evidence: evidence ? evidence.innerText : null,
  };
})
"""


def _rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


@pytest.fixture(scope="module")
def verdicts(browser, scratch_lab, artifacts):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nbformat.write(nb, scratch_lab.root_dir / "verdict.ipynb")
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(scratch_lab.lab_url("verdict.ipynb", "verdict"))
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-StatusBar-Item')].some(item =>
              /^(?!No Kernel).+\\|\\s*Idle$/.test(item.innerText.trim()))""",
            timeout=90_000,
            polling=200,
        )
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        page.wait_for_function(
            "document.querySelectorAll('.jp-OutputArea-output .bpcourse-verdict').length == 2",
            timeout=90_000,
        )
        page.wait_for_timeout(300)
        page.locator(".jp-Cell-outputArea").first.screenshot(path=str(artifacts / "verdict.png"))
        page.screenshot(path=str(artifacts / "verdict_page.png"))
        measured = page.evaluate(MEASURE_JS)
        # Control: the same output forced to break anywhere must show split words, so the
        # measurement above can see a mid-word break when there is one.
        page.evaluate(
            """() => document.querySelectorAll('.bpcourse-verdict-message')
                .forEach(m => { m.style.wordBreak = 'break-all'; })"""
        )
        measured.append({"control": page.evaluate(MEASURE_JS)[1]})
        yield measured
    finally:
        context.close()
        scratch_lab.stop_kernels()


def test_each_verdict_renders_as_html_not_text(verdicts):
    verdicts = verdicts[:2]
    assert [v["classes"].split()[-1] for v in verdicts] == [
        "bpcourse-verdict-correct",
        "bpcourse-verdict-mistake",
    ]
    assert verdicts[0]["headline"].startswith("✔") and "correct" in verdicts[0]["headline"]
    assert verdicts[1]["headline"].startswith("✘")


def test_correct_is_green_and_wrong_is_red(verdicts):
    (r1, g1, b1), (r2, g2, b2) = (_rgb(v["colour"]) for v in verdicts[:2])
    assert g1 > r1 + 40 and g1 > b1 + 40, f"correct verdict is not green: {verdicts[0]['colour']}"
    assert r2 > g2 + 60 and r2 > b2 + 60, f"wrong verdict is not red: {verdicts[1]['colour']}"
    assert verdicts[0]["border"] == verdicts[0]["colour"]


def test_message_wraps_between_words_only(verdicts):
    wrong = verdicts[1]
    assert wrong["lines"] >= 2, "the long message should wrap at this width"
    assert wrong["wordBreak"] not in ("break-all", "break-word"), wrong["wordBreak"]
    assert wrong["whiteSpace"] in ("normal", "pre-wrap"), wrong["whiteSpace"]
    assert wrong["split"] == [], f"words broken across lines: {wrong['split']}"
    control = verdicts[2]["control"]
    assert control["wordBreak"] == "break-all" and control["split"], "the detector saw nothing"


def test_evidence_is_in_smaller_type(verdicts):
    right = verdicts[0]
    # 3.1e-16 is at rounding level: the evidence states a bound, not the BLAS's last digits.
    assert right["evidence"] == "largest relative error below 1e-12 on 4 cases", right["evidence"]
    assert right["evidenceSize"] < right["messageSize"]


@pytest.fixture(scope="module")
def stored_verdicts(browser, scratch_lab, artifacts):
    """The same cell executed headlessly (nbclient) and opened, never run, never trusted: what
    a student sees in a notebook fetched with nbgitpuller before running anything."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nbformat.write(nb, scratch_lab.root_dir / "verdict_stored.ipynb")
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(scratch_lab.lab_url("verdict_stored.ipynb", "verdict-stored"))
        page.wait_for_selector(".jp-OutputArea-output .bpcourse-verdict", timeout=90_000)
        page.wait_for_timeout(300)
        page.locator(".jp-Cell-outputArea").first.screenshot(
            path=str(artifacts / "verdict_stored_untrusted.png")
        )
        yield page.evaluate(MEASURE_JS)
    finally:
        context.close()
        scratch_lab.stop_kernels()


def test_stored_verdict_in_an_untrusted_notebook_keeps_its_colour(stored_verdicts):
    assert len(stored_verdicts) == 2
    (r1, g1, b1), (r2, g2, b2) = (_rgb(v["colour"]) for v in stored_verdicts)
    assert g1 > r1 + 40 and r2 > g2 + 60, [v["colour"] for v in stored_verdicts]
    assert stored_verdicts[1]["split"] == []
