"""bpcourse: the helper package of the back-propagation workbook.

The core (activations, losses, the MLP and its backward pass, gradient checks) needs only
NumPy and is imported here. The other modules are imported when first used
(``bpcourse.autodiff``, ``bpcourse.descent``, ...), and the ones that draw or compute
symbolically import matplotlib or sympy inside their functions, so ``import bpcourse`` stays
light.
"""

import importlib

from bpcourse import activations, gradcheck, losses
from bpcourse.mlp import MLP

__version__ = "0.1.0"

__all__ = ["MLP", "activations", "losses", "gradcheck", "doctor", "__version__"]

_LAZY = {
    "approximation",
    "autodiff",
    "datasets",
    "descent",
    "exercises",
    "logistic",
    "mlp",
    "plotting",
    "widgets",
}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"bpcourse.{name}")
    raise AttributeError(f"module 'bpcourse' has no attribute {name!r}")


def doctor():
    """Report the environment and what to fix: see ``python -m bpcourse doctor``."""
    from bpcourse.environment import report

    return report()
