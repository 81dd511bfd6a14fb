"""Plot helpers shared by the notebooks: saving figures reproducibly, and only when asked.

Running a notebook writes no file into the repository: `save_figure` writes only when
``$BPCOURSE_FIGURES_DIR`` names a folder, which ``make figures`` (tools/make_figures.py) sets
to ``figures/``. A student's run, nbval and the browser tests leave ``figures/`` untouched, so
a different matplotlib never dirties the working tree or conflicts with the next pull.
"""

import os
from pathlib import Path

FIGURES_ENV = "BPCOURSE_FIGURES_DIR"


def figures_dir():
    """Where `save_figure` writes: the folder named by $BPCOURSE_FIGURES_DIR, or None when the
    variable is unset or empty (then `save_figure` writes nothing)."""
    folder = os.environ.get(FIGURES_ENV, "")
    return Path(folder) if folder else None


def save_figure(fig, name, dpi=100):
    """Save `fig` as ``<figures_dir()>/<name>.png`` when a figures folder is set; else nothing.

    Notebooks call ``save_figure(fig, "03_activations")`` before ``plt.show()``; the figure
    is shown either way. With ``$BPCOURSE_FIGURES_DIR`` unset (a student's run, the tests)
    nothing is written and None is returned; ``make figures`` sets it to ``figures/``.
    The PNG carries no software or date metadata, so regenerating an unchanged figure
    leaves the file unchanged and a diff shows only real changes.

    Returns
    -------
    pathlib.Path of the file written, or None when no figures folder is set
    """
    if not name or "/" in name or "\\" in name or name.endswith(".png"):
        raise ValueError(f"name must be a bare file name without .png, got {name!r}")
    folder = figures_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    return path
