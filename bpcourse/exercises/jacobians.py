"""The exercises of notebook 02 (Jacobians), declared.

The course's one convention (notebook 02, section 1): a Jacobian is in numerator layout, one
row per output (f: R^n -> R^m has an m x n Jacobian); the gradient of a scalar with respect to
a vector or a matrix has that variable's shape (for a vector, the transpose of its 1 x n
Jacobian).

- Exercise 2.1, `least_squares_gradient`: the gradient of MML's least-squares loss
  L(theta) = ||y - Phi theta||^2 (example 5.11), shape (D,) like theta. Reference:
  `losses.mse` (summed) gives [dL/df] at the predictions f = Phi theta, and the chain rule
  through f = Phi theta turns it into a gradient with theta's shape.
- Exercise 2.2, `jacobian_ax_wrt_a`: the Jacobian of f = A x with respect to A flattened row by
  row (MML example 5.12, second approach), an m x (m n) matrix. Reference: `mlp.layer_backward`
  of the affine map s = A x with [dl/ds] = e_i gives row i, in A's shape.
- Exercise 2.3, `layer_jacobian`: the Jacobian of one layer x -> sigma(w x + b), shape
  (D_out, D_in). Reference: `mlp.layer_backward` of D_out copies of x with [dl/dx] = the
  identity: row i is the gradient of output i.

Each known mistake is the reference with one thing changed, declared as data: a switch of the
exercise's `variant` (the computation written with switches). Products with Phi (2.1) or w
(2.3) in the wrong order raise on the general cases, which are not square; the engine then runs
the answer on square ones (`retry_cases`) to name the mistake. A Jacobian with x in another
row's block (2.2) is named by the exercise's `diagnose` hook, the block depending on the row.
Every prompt asks for a derivation, so finite differences are named (``derive=True``), and a
call of the package function that computes the answer is named ("uses_reference").
"""

import numpy as np

from bpcourse.activations import identity, relu, sigmoid, tanh
from bpcourse.exercises.spec import Case, Exercise, Mistake, make_check
from bpcourse.losses import mse
from bpcourse.mlp import MLP, layer_backward, layer_forward

CONVENTION = (
    "The course's convention (notebook 02, section 1) is that the gradient of a scalar has the "
    "shape of its variable"
)


# ------------------------------------------------------- Exercise 2.1: the least-squares gradient
def least_squares_gradient(phi, y, theta):
    """[dL/dtheta] for L(theta) = ||y - Phi theta||^2, shape (D,) like theta.

    L is the package's squared error summed over the N observations, with predictions
    f = Phi theta: `mse(f, y, "sum")` gives [dL/df], shape (N,), and the chain rule through
    f = Phi theta turns it into a gradient with theta's shape.
    """
    _, dl_df = mse(phi @ theta, y, reduction="sum")
    return dl_df @ phi


def _ls_variant(
    phi,
    y,
    theta,
    *,
    factor=2.0,
    shape="flat",
    stop_at_e=None,
    loss=False,
    residual_phi="phi",
    last_phi="phi_t",
    mean=False,
):
    """[dL/dtheta] = -(Phi^T) dL/de with dL/de = 2 e, with switches that each make one mistake.

    factor : dL/de = factor * e (2 is right; 1 forgets the 2 of the square; -2 flips the sign)
    shape : "flat" (D,) (right), "row" (the 1 x D Jacobian), "column" (D, 1)
    stop_at_e : None (right), or return dL/de itself, "flat" (N,) or "row" (1, N)
    loss : return the loss L instead of its gradient
    residual_phi : "phi" (e = y - Phi theta, right) or "phi_t" (Phi^T theta; square Phi only)
    last_phi : "phi_t" (Phi^T dL/de, right) or "phi" (Phi dL/de; square Phi only)
    mean : the gradient of the mean (1/N) ||e||^2, where the loss is the sum
    """
    phi, y, theta = (np.asarray(v, dtype=np.float64) for v in (phi, y, theta))
    e = y - (phi.T if residual_phi == "phi_t" else phi) @ theta
    if loss:
        return float(e @ e)
    dl_de = factor * e / (len(e) if mean else 1)
    if stop_at_e is not None:
        return dl_de if stop_at_e == "flat" else dl_de[np.newaxis, :]
    grad = -((phi if last_phi == "phi" else phi.T) @ dl_de)
    return {"flat": grad, "row": grad[np.newaxis, :], "column": grad[:, np.newaxis]}[shape]


def _ls_cases(shapes, seed):
    """(phi, y, theta) per (N, D, scale): Phi and y of that scale, theta of order 1."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, d, scale in shapes:
        phi, y, theta = (
            scale * rng.normal(size=(n, d)),
            scale * rng.normal(size=n),
            rng.normal(size=d),
        )
        size = f", Phi and y of order {scale:g}" if scale != 1 else ""
        cases.append(
            Case(
                (phi, y, theta), f"N = {n} observations, D = {d} parameters{size}", {"N": n, "D": d}
            )
        )
    return cases


#: N > D, N < D, N = 1, D = 1, scales from 1e-3 to 1000; none square, so that a product with
#: Phi where its transpose belongs raises (the square ones are the retry)
_LS = [(5, 3, 1.0), (4, 2, 10.0), (7, 4, 0.1), (1, 3, 1.0), (3, 5, 1000.0), (4, 1, 1e-3)]
_LS_SQUARE = [(3, 3, 1.0), (4, 4, 10.0), (2, 2, 0.1)]
_STOPPED = (
    "your result has one entry per observation (N of them): it is dL/de, and the chain rule "
    "needs one more factor, de/dtheta, to reach one entry per parameter"
)

LEAST_SQUARES = Exercise(
    number="2.1",
    title="least-squares gradient",
    name="least_squares_gradient",
    reference=least_squares_gradient,
    cases=lambda: _ls_cases(_LS, 21),
    retry_cases=lambda: _ls_cases(_LS_SQUARE, 25),
    retry_note="with a square phi (N = D), where a transposed product still runs",
    accepts="a NumPy array of shape (D,), or a list of D numbers; phi (N, D), y (N,) and theta "
    "(D,) arrays",
    variant=_ls_variant,
    derive=True,
    forbidden=(mse, layer_backward, MLP.gradients),
    legend={"N": "N the number of observations", "D": "D the number of parameters"},
    mistakes=(
        Mistake(
            "jacobian_row",
            "your result has shape (1, D): that is the 1 x D Jacobian of L (MML's row). "
            f"{CONVENTION}; theta has shape (D,), so return a 1-D array of shape (D,) "
            "(your numbers are right)",
            changes={"shape": "row"},
        ),
        Mistake(
            "column_not_flat",
            "your result is a D x 1 column (a 2-D array). "
            f"{CONVENTION}; theta has shape (D,), so return a 1-D array of shape (D,) "
            "(your numbers are right)",
            changes={"shape": "column"},
        ),
        Mistake(
            "sign",
            "every entry has the right size but the opposite sign: in which direction does "
            "increasing theta move the residual e = y - Phi theta?",
            changes={"factor": -2.0},
        ),
        Mistake(
            "missing_factor_2",
            "every entry is half the right value: look again at the derivative of the squared "
            "norm ||e||^2 with respect to e",
            changes={"factor": 1.0},
        ),
        Mistake("stopped_at_dl_de", _STOPPED, changes={"stop_at_e": "flat"}),
        Mistake("stopped_at_dl_de", _STOPPED, changes={"stop_at_e": "row"}),
        Mistake(
            "returned_loss",
            "your result is one number, the loss L itself: the exercise asks for its "
            "derivatives, one per entry of theta",
            changes={"loss": True},
        ),
        Mistake(
            "scale",
            "every entry is 1/N times the right value (with N the number of observations): L "
            "is the sum ||e||^2 over the observations, and your result is the gradient of its "
            "mean",
            changes={"mean": True},
        ),
        # found on square Phi (N = D), where these products run
        Mistake(
            "transpose",
            "the last product multiplies by Phi where its transpose belongs: dL/de has one "
            "entry per observation (N) and the result one per parameter (D), so compare the "
            "shapes (N, D) of Phi and (D,) of theta",
            changes={"last_phi": "phi"},
        ),
        Mistake(
            "transpose",
            "the residual e = y - Phi theta is computed with the transpose of Phi: Phi has "
            "shape (N, D), one row per observation, and theta shape (D,)",
            changes={"residual_phi": "phi_t"},
        ),
        Mistake(
            "transpose",
            "both products use Phi where its transpose belongs (and the reverse): Phi has "
            "shape (N, D), one row per observation, and theta shape (D,)",
            changes={"residual_phi": "phi_t", "last_phi": "phi"},
        ),
    ),
)


# ---------------------------------------------------- Exercise 2.2: d(A x)/dA, A flattened
def jacobian_ax_wrt_a(a, x):
    """d(A x)/d vec(A), A flattened row by row (A.ravel()): shape (m, m n).

    Row i is the gradient of f_i = (A x)_i with respect to A, flattened: `layer_backward` of the
    affine layer s = A x with [dl/ds] = e_i gives it in A's shape (it is e_i x^T).
    """
    a = np.asarray(a, dtype=np.float64)
    x_prev = np.asarray(x, dtype=np.float64)[np.newaxis, :]  # one sample, (1, n)
    s, _ = layer_forward(x_prev, a, np.zeros(a.shape[0]), identity)
    unit = np.eye(a.shape[0])
    rows = [
        layer_backward(unit[i : i + 1], s, x_prev, a, identity)[1].ravel() for i in range(len(unit))
    ]
    return np.array(rows)


def _ax_variant(a, x, *, order="rows", delta=True, values="x", layout="flat", transpose=False):
    """d(A x)/dA built from the tensor T[i, k, :] = d f_i / d (row k of A), with switches.

    order : A flattened "rows" (row by row, A.ravel(), right) or "columns" (column by column)
    delta : True (d f_i / d (row k) = 0 for k != i, right); False puts it in every block
    values : "x" (d f_i / d A_il = x_l, right) or "a" (the entries of A where x belongs)
    layout : "flat" (m, m n) (right), "tensor" (m, m, n), "own_row" (m, n: each f_i's
        derivatives with respect to its own row of A only), "wrt_x" (A: d(Ax)/dx)
    transpose : the flat Jacobian transposed
    """
    a, x = np.asarray(a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    m, n = a.shape
    if layout == "wrt_x":
        return a.copy()
    tensor = np.zeros((m, m, n))
    for i in range(m):
        for k in range(m):
            if k == i or not delta:
                tensor[i, k] = x if values == "x" else a[k]
    if layout == "tensor":
        return tensor
    if layout == "own_row":
        return np.array([tensor[i, i] for i in range(m)])
    flat = np.array([tensor[i].ravel(order="C" if order == "rows" else "F") for i in range(m)])
    return flat.T if transpose else flat


def _ax_cases():
    """(a, x) per (m, n, scale of x): m = 1, n = 1, scales from 1e-3 to 1000, none square."""
    rng = np.random.default_rng(22)
    cases = []
    for m, n, scale in [(2, 3, 1.0), (3, 4, 10.0), (4, 2, 0.1), (1, 5, 1000.0), (3, 1, 1e-3)]:
        a, x = rng.normal(size=(m, n)), scale * rng.normal(size=n)
        size = f", x of order {scale:g}" if scale != 1 else ""
        cases.append(Case((a, x), f"A of shape ({m}, {n}){size}", {"m": m, "n": n}))
    return cases


def _wrong_block(judgement):
    """("wrong_block", message) when every row holds x in exactly one block of n columns and
    zeros elsewhere, but in some row that block is another row's; None otherwise."""
    found = None
    for index, (case, leaves) in enumerate(zip(judgement.cases, judgement.leaves)):
        a, x = case.args
        m, n = np.shape(a)
        got = leaves[0][1]
        if got.shape != (m, m * n):
            return None
        wrong = []
        for i in range(m):
            blocks = got[i].reshape(m, n)
            tiny = 1e-12 * np.max(np.abs(x))
            nonzero = [k for k in range(m) if np.any(np.abs(blocks[k]) > tiny)]
            if len(nonzero) != 1 or not np.allclose(blocks[nonzero[0]], x, rtol=1e-6, atol=0):
                return None
            if nonzero[0] != i:
                wrong.append(i + 1)
        if wrong and found is None:
            found = (index, wrong)
    if found is None:
        return None
    index, rows = found
    return (
        "wrong_block",
        f"each row holds x in one block of n columns, but in row(s) {', '.join(map(str, rows))} "
        f"of case {index + 1} ({judgement.describe[index]}) x sits in the wrong block of the row: "
        "look again at which entries of A the output f_i depends on, and at the columns A.ravel() "
        "gives them",
    )


_A_FOR_X = (
    "the blocks hold the entries of A where the derivatives belong: d f_i / d A_il is what "
    "A_il is multiplied by in f_i = sum_l A_il x_l"
)

JACOBIAN_AX = Exercise(
    number="2.2",
    title="Jacobian of A x with respect to A",
    name="jacobian_ax_wrt_a",
    reference=jacobian_ax_wrt_a,
    cases=_ax_cases,
    accepts="a NumPy array of shape (m, m * n), or a list of m lists of m n numbers; a (m, n) "
    "and x (n,) arrays",
    variant=_ax_variant,
    derive=True,
    forbidden=(layer_backward,),
    diagnose=_wrong_block,
    keys=("wrong_block",),
    legend={"m": "m the number of rows of A", "n": "n its number of columns"},
    mistakes=(
        Mistake("a_for_x", _A_FOR_X, changes={"values": "a"}),
        Mistake(
            "a_for_x",
            "every row holds the entries of A where the derivatives belong: d f_i / d A_kl is "
            "what A_kl is multiplied by in f_i (and zero when A_kl does not appear in f_i)",
            changes={"values": "a", "delta": False},
        ),
        Mistake(
            "column_major",
            "the entries are right but in the wrong columns: A is flattened row by row here "
            "(A.ravel(), NumPy's default), and you ordered its entries column by column",
            changes={"order": "columns"},
        ),
        Mistake(
            "forgot_kronecker_delta",
            "f_i depends on one row of A only: the derivatives of f_i with respect to the "
            "entries of the other rows must be zero",
            changes={"delta": False},
        ),
        Mistake(
            "tensor_not_flat",
            "this is the m x m x n tensor of the first approach: the exercise asks for the "
            "m x (m n) matrix, with A flattened",
            changes={"layout": "tensor"},
        ),
        Mistake(
            "transpose",
            "the values are right but transposed: the Jacobian has one row per output f_i and "
            "one column per entry of A",
            changes={"transpose": True},
        ),
        Mistake(
            "wrt_x",
            "this is d(Ax)/dx = A, the derivative with respect to x (example 5.9): here x is "
            "fixed and the variables are the m n entries of A",
            changes={"layout": "wrt_x"},
        ),
        Mistake(
            "own_row_only",
            "this m x n array holds, for each f_i, its derivatives with respect to row i of A "
            "only: the Jacobian has one column per entry of A (m n columns), and the "
            "derivatives with respect to the other rows belong in it too",
            changes={"layout": "own_row"},
        ),
    ),
)


# ----------------------------------------------------------- Exercise 2.3: a layer's Jacobian
def layer_jacobian(w, b, x, sigma):
    """Jacobian of one layer x -> sigma(w x + b) at x, shape (D_out, D_in).

    Row i is the backward pass of the unit vector e_i: `layer_backward` with [dl/dx^(l)] = e_i
    returns [dl/dx^(l-1)] = the gradient of output i with respect to the input. The D_out rows
    are computed as one batch of D_out copies of x.
    """
    w = np.asarray(w, dtype=np.float64)
    x_prev = np.tile(np.asarray(x, dtype=np.float64), (w.shape[0], 1))  # (D_out, D_in)
    s, _ = layer_forward(x_prev, w, np.asarray(b, dtype=np.float64), sigma)
    dl_dx_prev, _, _ = layer_backward(np.eye(w.shape[0]), s, x_prev, w, sigma)
    return dl_dx_prev


#: the slope a student may use for sigma'(point): right, or one thing changed
_SLOPES = {
    "df": lambda sigma, v: sigma.df(v),  # right
    "none": lambda sigma, v: np.ones_like(v),  # sigma' forgotten
    "f": lambda sigma, v: sigma.f(v),  # sigma for sigma'
    "tanh": lambda sigma, v: tanh.df(v),  # tanh's whatever sigma is
    "sigmoid": lambda sigma, v: sigmoid.df(v),  # the sigmoid's whatever sigma is
    "relu": lambda sigma, v: relu.df(v),  # ReLU's whatever sigma is
    "one_minus_square": lambda sigma, v: 1.0 - v**2,  # "tanh' = 1 - s**2"
}
_AT = {
    "s": lambda w, b, x, sigma: w @ x + b,  # right
    "wx": lambda w, b, x, sigma: w @ x,  # the bias forgotten
    "output": lambda w, b, x, sigma: sigma.f(w @ x + b),  # at sigma(s)
    "input": lambda w, b, x, sigma: x,  # at x (square layers only)
}


def _layer_variant(
    w, b, x, sigma, *, slope="df", at="s", form="diag", order="left", transpose=False
):
    """diag(sigma'(s)) w with s = w x + b, with switches that each make one known mistake.

    slope : a key of `_SLOPES` ("df" is right); at : where it is taken, a key of `_AT`
    form : "diag" (row i of w scaled by sigma'(s_i), right), "full" (a full matrix whose every
        column is sigma'(s), where the diagonal one belongs), "row" (the slopes as a
        row vector times w, shape (D_in,)), "row2d" (the same, (1, D_in))
    order : "left" (diag(sigma') w, right) or "right" (w diag(sigma'): columns scaled; square
        layers only)
    transpose : the Jacobian transposed (denominator layout)
    """
    w, b, x = (np.asarray(v, dtype=np.float64) for v in (w, b, x))
    d = _SLOPES[slope](sigma, _AT[at](w, b, x, sigma))
    if form == "full":
        jac = np.outer(d, np.ones(len(d))) @ w
    elif form in ("row", "row2d"):
        jac = d @ w
        return jac[np.newaxis, :] if form == "row2d" else jac
    elif order == "right":
        jac = w * d[np.newaxis, :]
    else:
        jac = d[:, np.newaxis] * w
    return jac.T if transpose else jac


def _hard_coded(w, b, x, sigma):
    """One activation's derivative whatever `sigma` is: the candidates, one per activation."""
    return [_layer_variant(w, b, x, sigma, slope=name) for name in ("tanh", "sigmoid", "relu")]


def _layer_cases(layers, seed):
    """(w, b, x, sigma) per (D_out, D_in, sigma, scale of w, units off): for a ReLU layer, b
    sets s = w x + b to chosen values, `off` of them negative and none near 0."""
    rng = np.random.default_rng(seed)
    cases = []
    for d_out, d_in, sigma, scale, off in layers:
        w = scale * rng.normal(size=(d_out, d_in))
        x = rng.normal(size=d_in)
        b = rng.normal(size=d_out)
        if off:
            target = np.array([1.2, -0.8, 0.5, -1.5, 2.0, 0.9][:d_out])
            b = target - w @ x
        units = f" with {off} of its units off" if off else ""
        cases.append(
            Case(
                (w, b, x, sigma),
                f"a {sigma.name} layer {d_in} -> {d_out}{units}",
                {"D_out": d_out, "D_in": d_in},
            )
        )
    return cases


#: none square (a product in the wrong order raises); D_out = 1 and D_in = 1; a ReLU layer with
#: units off, and one with weights of order 1000; the identity
_LAYERS = [
    (3, 4, tanh, 1.0, 0),
    (4, 2, sigmoid, 1.0, 0),
    (5, 3, relu, 3.0, 2),
    (1, 3, sigmoid, 1.0, 0),
    (3, 1, tanh, 0.5, 0),
    (2, 5, relu, 1000.0, 1),
    (2, 3, identity, 1.0, 0),
]
_LAYERS_SQUARE = [(3, 3, tanh, 1.0, 0), (4, 4, sigmoid, 1.0, 0), (5, 5, relu, 3.0, 2)]
_ROW_VECTOR = (
    "multiplying by sigma'(s) as a row vector sums over the outputs; the activation's Jacobian "
    "is a D_out x D_out matrix"
)
_WRONG_POINT = (
    "sigma' is taken at {where}: the layer applies sigma to s = w x + b, so its derivative is "
    "taken there"
)

LAYER = Exercise(
    number="2.3",
    title="Jacobian of a layer",
    name="layer_jacobian",
    reference=layer_jacobian,
    cases=lambda: _layer_cases(_LAYERS, 23),
    retry_cases=lambda: _layer_cases(_LAYERS_SQUARE, 24),
    accepts="a NumPy array of shape (D_out, D_in), or a list of D_out lists; w (D_out, D_in), "
    "b (D_out,), x (D_in,) arrays and sigma an activation with .f and .df",
    variant=_layer_variant,
    derive=True,
    forbidden=(layer_backward,),
    legend={"D_out": "D_out the layer's width", "D_in": "D_in its input's width"},
    mistakes=(
        Mistake(
            "transpose",
            "the values are right but transposed, shape (D_in, D_out): that is the denominator "
            "layout (DL4DS); in the course's numerator layout a Jacobian has one row per "
            "output, shape (D_out, D_in)",
            changes={"transpose": True},
        ),
        Mistake(
            "forgot_sigma_prime",
            "this is the Jacobian of the affine part alone: sigma' is missing (the chain rule "
            "has a factor for the activation too)",
            changes={"slope": "none"},
        ),
        Mistake(
            "f_for_df",
            "you used sigma.f(s), the activation itself, where the chain rule needs its "
            "derivative sigma.df(s)",
            changes={"slope": "f"},
        ),
        Mistake(
            "full_not_diagonal",
            "every row mixes all the units: x_i depends on s_i only, so the activation's "
            "Jacobian is diagonal, not a full matrix",
            changes={"form": "full"},
        ),
        Mistake(
            "row_vector_not_diagonal",
            f"this is one vector, not a D_out x D_in matrix: {_ROW_VECTOR}",
            changes={"form": "row"},
        ),
        Mistake(
            "row_vector_not_diagonal",
            f"this is a single row, not a D_out x D_in matrix: {_ROW_VECTOR}",
            changes={"form": "row2d"},
        ),
        Mistake(
            "wrong_point",
            _WRONG_POINT.format(where="w x, without the bias"),
            changes={"at": "wx"},
        ),
        Mistake(
            "wrong_point",
            "sigma' is taken at the output sigma(s): sigma.df expects the pre-activation s itself",
            changes={"at": "output"},
        ),
        Mistake("wrong_point", _WRONG_POINT.format(where="the input x"), changes={"at": "input"}),
        Mistake(
            "ignores_sigma",
            "your function computes tanh's derivative whatever activation it is given: use "
            "sigma.df, so that it works for ReLU and sigmoid too",
            changes={"slope": "tanh"},
        ),
        Mistake(
            "ignores_sigma",
            "your function uses the derivative of one activation whatever activation it is "
            "given: use sigma.df, so that it works for every activation",
            function=_hard_coded,
            any_of=True,
        ),
        Mistake(
            "tanh_prime_of_s",
            "your slope is 1 - s^2: that is tanh' written with s where tanh(s) belongs, and "
            "it ignores the activation given; use sigma.df(s)",
            changes={"slope": "one_minus_square"},
        ),
        # found on square layers, where this product runs
        Mistake(
            "wrong_order",
            "on square layers your Jacobian scales the columns of w, not its rows: the two "
            "Jacobians are multiplied in the wrong order (the map applied last comes first, "
            "on the left)",
            changes={"order": "right"},
        ),
    ),
)

EXERCISES = (LEAST_SQUARES, JACOBIAN_AX, LAYER)

check_least_squares_gradient = make_check(LEAST_SQUARES)
check_jacobian_ax_wrt_a = make_check(JACOBIAN_AX)
check_layer_jacobian = make_check(LAYER)
