"""Checks for the notebooks' exercises: `check_<name>(your_function)` returns a `Result`.

Each topic module (``chain_rule``, ``jacobians``, ...) holds the checks of one notebook; they
are gathered here so that a notebook writes ``from bpcourse.exercises import check_<name>``.
See `_core.check` for what a check says.
"""

import importlib
import pkgutil

from bpcourse.exercises._core import Mistake, Result, check

__all__ = ["Mistake", "Result", "check"]

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        _topic = importlib.import_module(f"{__name__}.{_module.name}")
        for _name in dir(_topic):
            if _name.startswith("check_"):
                globals()[_name] = getattr(_topic, _name)
                __all__.append(_name)
