"""The wiring every explorer shares: controls -> `explorer.update(...)` -> a PNG in an Image.

`live_figure(explorer, controls, sentence)` returns a box of the controls above an
`ipywidgets.Image` of `explorer.fig`; every change of a control calls
``explorer.update(**values)`` and replaces the Image's bytes by `png(explorer.fig)`.

Why an Image and not an `ipywidgets.Output` with ``display(fig)``: nbclient (which executes
the notebooks) answers a write into an Output widget on the kernel's shell channel while it
waits there for the cell's reply, and can miss that reply until a timeout
(jupyter/nbclient#312). An Image is only a value: no display message, no hang; its PNG is kept
in the saved widget state, so the figure shows when the notebook is opened fresh; and the
figure is rendered once per change, without the second, tight-bbox render of ``display``.
"""

import functools


def png(fig):
    """Return `fig` rendered as PNG bytes, as the widget's Image shows it.

    zlib level 1 instead of matplotlib's 6: a slightly larger file, encoded in about a third
    of the time. The figure is drawn at its own size (no tight bounding box), so the
    explorers lay their axes out to fit it.
    """
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


@functools.cache
def _sentence_box_class():
    import ipywidgets as widgets

    class SentenceBox(widgets.VBox):
        """A VBox whose text form is a sentence saying what it is.

        A front-end without the widget state (a git host, a notebook not trusted yet) shows
        this text in place of the widget, rather than ``VBox(children=(HBox(...``.
        """

        def __repr__(self):
            return self.sentence

    return SentenceBox


def sentence_box(children, sentence):
    """An `ipywidgets.VBox` of `children` whose ``repr`` is `sentence`."""
    box = _sentence_box_class()(children)
    box.sentence = str(sentence)
    return box


def live_figure(explorer, controls, sentence):
    """Wire `controls` to `explorer` and return them in a row above an Image of its figure.

    Parameters
    ----------
    explorer : object with a ``fig`` (matplotlib Figure) and ``update(**values)``
    controls : dict of str -> ipywidgets control
        Keyword of `explorer.update` -> the control whose ``.value`` it receives, in the
        order they appear in the row.
    sentence : str, the box's text form (see `sentence_box`)

    Returns
    -------
    ipywidgets.VBox
        ``children == (HBox(controls), Image)``. The Image is drawn once here, then after
        every change of a control. The explorer gets the attributes ``controls`` (the dict)
        and ``image`` (the Image), so that code and tests can drive and read them.
    """
    import ipywidgets as widgets

    width, height = (explorer.fig.get_size_inches() * explorer.fig.dpi).round().astype(int)
    image = widgets.Image(format="png", width=str(width), height=str(height))

    def redraw(_change=None):
        explorer.update(**{name: control.value for name, control in controls.items()})
        image.value = png(explorer.fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    explorer.controls, explorer.image = dict(controls), image
    redraw()
    return sentence_box([widgets.HBox(list(controls.values())), image], sentence)
