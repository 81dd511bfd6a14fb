"""Interactive figures of notebooks 04 and 06-08: one module per notebook; `live` does the wiring.

Each explorer builds one matplotlib figure once, and its `update(...)` changes the artists'
data for new slider values instead of drawing a new figure; `widget()` wires ipywidgets
controls to `update` through `live.live_figure`, which shows the figure as PNG bytes in an
`ipywidgets.Image`. Tests call `update` directly; `benchmarks/bench_widgets.py` times it.
Importing this package imports neither matplotlib nor ipywidgets: the modules do, when used.
"""
