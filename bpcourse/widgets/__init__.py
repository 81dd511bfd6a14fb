"""Interactive figures of notebooks 05-07: one module per notebook.

Each explorer builds one matplotlib figure once, and its `update(...)` changes the artists'
data for new slider values instead of drawing a new figure; `widget()` wires ipywidgets
controls to `update`. Tests call `update` directly; `benchmarks/bench_widgets.py` times it.
Importing this package imports neither matplotlib nor ipywidgets: the modules do, when used.
"""
