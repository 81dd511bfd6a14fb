"""Plot helpers shared by the notebooks: saving figures reproducibly."""

import os
from pathlib import Path

FIGURES = Path(__file__).resolve().parent.parent / "figures"


def figures_dir():
    """Where `save_figure` writes: $BPCOURSE_FIGURES_DIR if set, else the repository's figures/."""
    return Path(os.environ.get("BPCOURSE_FIGURES_DIR", FIGURES))


def save_figure(fig, name, dpi=100):
    """Save `fig` as ``<figures_dir()>/<name>.png``, byte-for-byte reproducible.

    The PNG carries no software or date metadata, so regenerating an unchanged figure
    leaves the file unchanged and a diff shows only real changes.

    Returns
    -------
    pathlib.Path of the file written
    """
    if not name or "/" in name or "\\" in name or name.endswith(".png"):
        raise ValueError(f"name must be a bare file name without .png, got {name!r}")
    folder = figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    return path
