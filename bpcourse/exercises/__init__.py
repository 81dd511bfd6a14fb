"""Checks for the notebooks' exercises: `check_<name>(your_function)` returns a `Result`.

One module per notebook holds its checks (``chain_rule`` for 01_chain_rule, ...); they are
listed here so that a notebook writes ``from bpcourse.exercises import check_<name>``. See
`_core.check` for what a check says, and `Result.usable` for the cells after a check.
"""

from bpcourse.exercises._core import Mistake, Result, Usable, check
from bpcourse.exercises.backpropagation import (
    check_backward_pass,
    check_dC_dW1_23,
    check_dC_dW2_12,
    check_layer_backward,
)
from bpcourse.exercises import chain_rule
from bpcourse.exercises.chain_rule import check_df_dt, check_grad_h, check_toy_partials
from bpcourse.exercises.digits import (
    check_confusion_matrix,
    check_predict_labels,
    check_sgd_step,
    check_softmax_cross_entropy_gradient,
)
from bpcourse.exercises.gradient_descent import check_batch_gradient, check_descend, check_stable_lr
from bpcourse.exercises.jacobians import (
    check_jacobian_ax_wrt_a,
    check_layer_jacobian,
    check_least_squares_gradient,
)
from bpcourse.exercises.logistic_regression import check_log_sigmoid, check_logistic_gradient
from bpcourse.exercises.mlp import check_affine_collapse, check_mlp_forward
from bpcourse.exercises.universal_approximation import (
    check_compose_with_affine,
    check_relu_sum_through,
    check_relu_units_needed,
)

#: every exercise declared with the new engine, by the name of the function the student writes
EXERCISES = {ex.name: ex for ex in chain_rule.EXERCISES}

__all__ = [
    "EXERCISES",
    "Mistake",
    "Result",
    "Usable",
    "check",
    # 01_chain_rule
    "check_grad_h",
    "check_df_dt",
    "check_toy_partials",
    # 02_jacobians
    "check_least_squares_gradient",
    "check_jacobian_ax_wrt_a",
    "check_layer_jacobian",
    # 03_mlp
    "check_mlp_forward",
    "check_affine_collapse",
    # 04_backpropagation
    "check_layer_backward",
    "check_backward_pass",
    "check_dC_dW2_12",
    "check_dC_dW1_23",
    # 06_universal_approximation
    "check_relu_sum_through",
    "check_relu_units_needed",
    "check_compose_with_affine",
    # 07_gradient_descent
    "check_descend",
    "check_stable_lr",
    "check_batch_gradient",
    # 08_logistic_regression
    "check_logistic_gradient",
    "check_log_sigmoid",
    # 09_digits
    "check_softmax_cross_entropy_gradient",
    "check_predict_labels",
    "check_confusion_matrix",
    "check_sgd_step",
]
