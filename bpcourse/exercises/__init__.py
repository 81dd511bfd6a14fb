"""Checks for the notebooks' exercises: `check_<name>(your_function)` returns a `Result`.

Each exercise is declared once, as an `Exercise` (see `spec`), in the module named after its
notebook (``chain_rule`` for 01_chain_rule, ...), and run by one engine (`engine`). This package
collects them: `EXERCISES` maps the name of the function a student writes to its exercise, in
course order, and every ``check_<name>`` is importable from here, so a notebook writes
``from bpcourse.exercises import check_<name>``. See `Result.usable` for the cells after a
check.
"""

from bpcourse.exercises import (
    backpropagation,
    chain_rule,
    digits,
    gradient_descent,
    jacobians,
    logistic_regression,
    mlp,
    universal_approximation,
)
from bpcourse.exercises.result import Result, Usable
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check

#: the notebooks' check modules, in course order
MODULES = (
    chain_rule,  # 01
    jacobians,  # 02
    mlp,  # 03
    backpropagation,  # 04
    universal_approximation,  # 06
    gradient_descent,  # 07
    logistic_regression,  # 08
    digits,  # 09
)

#: every exercise, by the name of the function the student writes, in course order
EXERCISES = {ex.name: ex for module in MODULES for ex in getattr(module, "EXERCISES", ())}

_CHECKS = {
    name: getattr(module, name)
    for module in MODULES
    for name in dir(module)
    if name.startswith("check_") and callable(getattr(module, name))
}
globals().update(_CHECKS)

__all__ = ["EXERCISES", "Case", "Exercise", "Mistake", "Result", "Usable", "make_check", *_CHECKS]
