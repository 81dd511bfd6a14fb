"""figures/ is reproducible: regenerating it from the notebooks gives the committed images."""

from pathlib import Path

import numpy as np
import pytest

from tools import make_figures

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = sorted((ROOT / "figures").glob("*.png"))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    target = tmp_path_factory.mktemp("figures")
    make_figures.regenerate(target)
    return target


def test_every_committed_figure_is_regenerated_and_no_other(regenerated):
    assert COMMITTED, "figures/ is empty"
    assert sorted(p.name for p in regenerated.glob("*.png")) == [p.name for p in COMMITTED]


@pytest.mark.parametrize("committed", COMMITTED, ids=lambda p: p.stem)
def test_regenerated_figure_matches_the_committed_one(regenerated, committed):
    import matplotlib.image

    new = regenerated / committed.name
    if new.read_bytes() == committed.read_bytes():
        return
    # Not byte-identical (another FreeType or libpng): the pixels must still agree closely.
    a, b = matplotlib.image.imread(committed), matplotlib.image.imread(new)
    assert a.shape == b.shape, f"{committed.name}: size {a.shape} became {b.shape}"
    assert np.mean(np.abs(a - b)) < 2e-3, f"{committed.name} changed: run `make figures`"


def test_save_figure_writes_reproducible_pngs(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from bpcourse.plotting import save_figure

    monkeypatch.setenv("BPCOURSE_FIGURES_DIR", str(tmp_path))
    paths = []
    for name in ("a", "b"):
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1], [1, 0])
        paths.append(save_figure(fig, name))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert b"Software" not in paths[0].read_bytes() and b"Date" not in paths[0].read_bytes()
    with pytest.raises(ValueError, match="bare file name"):
        save_figure(fig, "../escape")
