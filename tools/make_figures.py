"""Regenerate every figure of figures/ by executing the notebooks that draw them.

Each notebook saves its figures with `bpcourse.plotting.save_figure`, which writes into
$BPCOURSE_FIGURES_DIR and does nothing when that is unset (so running a notebook anywhere else
writes no tracked file). This script is the one writer of figures/: it points that variable at
the target folder and runs each notebook headlessly (its stored outputs are not touched).
PNGs carry no date or software metadata, so an unchanged figure is rewritten byte for byte.

Usage: python tools/make_figures.py [TARGET_DIR] [NOTEBOOK ...]   (default: figures, all)
"""

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def regenerate(target, notebooks=None):
    """Execute `notebooks` (default: all), figures going to `target`; return the files written."""
    target = Path(target).resolve()
    target.mkdir(parents=True, exist_ok=True)
    paths = (
        [Path(p) for p in notebooks]
        if notebooks
        else sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    )
    before = {p: p.stat().st_mtime_ns for p in target.glob("*.png")}
    old = os.environ.get("BPCOURSE_FIGURES_DIR")
    os.environ["BPCOURSE_FIGURES_DIR"] = str(target)
    try:
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            with tempfile.TemporaryDirectory() as work:  # run beside nothing it could overwrite
                NotebookClient(
                    nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": work}}
                ).execute()
            print(f"executed {path.name}")
    finally:
        if old is None:
            os.environ.pop("BPCOURSE_FIGURES_DIR", None)
        else:
            os.environ["BPCOURSE_FIGURES_DIR"] = old
    return sorted(p for p in target.glob("*.png") if before.get(p) != p.stat().st_mtime_ns)


def main(argv):
    target = argv[0] if argv else ROOT / "figures"
    written = regenerate(target, argv[1:])
    for p in written:
        print(f"wrote {p.name}")
    print(f"{len(written)} figure(s) in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
