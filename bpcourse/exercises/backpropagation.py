"""Checks of notebook 04's exercises: the backward pass, one layer and then the whole network.

- Exercise 4.1, `check_layer_backward`: one layer's backward pass on a batch (samples in rows),
  from [dl/dx^(l)] to ([dl/dx^(l-1)], [dl/dw^(l)], [dl/db^(l)]):
  dl/ds = dl/dx * sigma'(s), dl/dw = dl/ds^T x_prev, dl/db = sum over samples of dl/ds,
  dl/dx_prev = dl/ds w.
- Exercise 4.2, `check_backward_pass`: the whole backward pass of an MLP with the same sigma in
  every layer and the loss L = (1/N) sum_n ||x^(L)_n - y_n||^2, layer L down to layer 1.
- Exercise 4.3, `check_dC_dW2_12`: CSC311's dC/dW_12^(2), written with scalars only.
- Exercise 4.4, `check_dC_dW1_23`: CSC311's dC/dW_23^(1), written with scalars only.

Some mistakes (``dl_ds @ w.T``, ``x[l]`` for ``x[l-1]``) raise a shape error as soon as a layer
is not square; the checks of 4.1 and 4.2 then run the function on square layers, where it runs,
to name the mistake instead of only reporting the error.
"""

from dataclasses import replace

import numpy as np

from bpcourse.activations import sigmoid, tanh
from bpcourse.exercises._core import Mistake, _as_arrays, _call, _compare, check

LAYER = "Exercise 4.1 (backward pass of one layer)"
FULL = "Exercise 4.2 (backward pass of the whole network)"
W2_12 = "Exercise 4.3 (CSC311's dC/dW_12^(2), non-vectorised)"
W1_23 = "Exercise 4.4 (CSC311's dC/dW_23^(1), non-vectorised)"


def _network(sizes, rng, bias_scale=0.5):
    """Random w^(l) of shape (D_l, D_{l-1}) drawn from N(0, 1/D_{l-1}), and biases b^(l)."""
    weights = [
        rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in))
        for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    biases = [rng.normal(0.0, bias_scale, size=d_out) for d_out in sizes[1:]]
    return weights, biases


def _forward(X, weights, biases, sigma):
    """Lists s, x with s[0] = None, x[0] = X and s[l] = x[l-1] w^T + b, x[l] = sigma(s[l])."""
    s, x = [None], [X]
    for w, b in zip(weights, biases, strict=True):
        s.append(x[-1] @ w.T + b)
        x.append(sigma.f(s[-1]))
    return s, x


def _after(result, note):
    """The square-layer diagnosis, saying that the function fails on other layers too."""
    return replace(
        result, message=f"{result.message} (with layers that are not square, your function {note})"
    )


def _which_parts(result, student, reference, cases, names):
    """For a 'wrong' result, say which of the returned values are already right."""
    if result.status != "wrong":
        return result
    right = []
    for i, name in enumerate(names):
        try:
            agree = all(
                _compare(
                    _as_arrays(_call(student, args))[i], _as_arrays(_call(reference, args))[i]
                )[0]
                for args in cases
            )
        except Exception:  # a student's function may return anything: then say nothing more
            return result
        if agree:
            right.append(name)
    if not right or len(right) == len(names):
        return result
    return replace(
        result,
        message=f"{result.message}; {' and '.join(right)} "
        f"{'is' if len(right) == 1 else 'are'} right already",
    )


# ----- Exercise 4.1: one layer ----------------------------------------------------------------
def _layer_reference(dl_dx, s, x_prev, w, sigma):
    dl_ds = dl_dx * sigma.df(s)  # [dl/ds] = [dl/dx] * sigma'(s)
    return dl_ds @ w, dl_ds.T @ x_prev, dl_ds.sum(axis=0)


def _layer_cases(specs, seed):
    """(dl_dx, s, x_prev, w, sigma) for layers of given (N, D_{l-1}, D_l, sigma)."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, d_in, d_out, sigma in specs:
        (w,), (b,) = _network([d_in, d_out], rng)
        x_prev = rng.normal(size=(n, d_in))
        s = x_prev @ w.T + b
        dl_dx = rng.normal(size=(n, d_out)) / n  # the batch loss is a mean: a 1/N inside
        cases.append((dl_dx, s, x_prev, w, sigma))
    return cases


def _layer_mistakes():
    def forgot_sigma_prime(dl_dx, s, x_prev, w, sigma):
        return dl_dx @ w, dl_dx.T @ x_prev, dl_dx.sum(axis=0)

    def dw_transposed(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = _layer_reference(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw.T, dl_db

    def w_transposed(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = _layer_reference(dl_dx, s, x_prev, w, sigma)
        return (dl_dx * sigma.df(s)) @ w.T, dl_dw, dl_db

    def averaged(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = _layer_reference(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw / len(s), dl_db / len(s)

    def bias_averaged(dl_dx, s, x_prev, w, sigma):
        dl_dx_prev, dl_dw, dl_db = _layer_reference(dl_dx, s, x_prev, w, sigma)
        return dl_dx_prev, dl_dw, dl_db / len(s)

    averaging = (
        "the batch's derivatives are averaged over the samples, but dl_dx already "
        "comes from the mean loss (its 1/N is inside): the parameters' gradients are "
        "the sum of the samples' contributions"
    )
    return [
        Mistake(
            "forgot_sigma_prime",
            "the result is what you would get if the activation "
            "were the identity: the path from x^(l) back to s^(l) goes through sigma",
            forgot_sigma_prime,
        ),
        Mistake(
            "shapes_swapped",
            "dl_dw must have the shape of w, (D_l, D_(l-1)); yours has "
            "the two dimensions swapped: which factor comes first in [dl/ds] x^T?",
            dw_transposed,
        ),
        Mistake(
            "transpose",
            "dl_dx_prev multiplies by the transpose of what it needs: with "
            "samples in rows, compare the shapes of dl_ds (N, D_l), w (D_l, D_(l-1)) and "
            "the result (N, D_(l-1))",
            w_transposed,
        ),
        Mistake("averaged_not_summed", averaging, averaged),
        Mistake("averaged_not_summed", averaging.replace("parameters'", "bias's"), bias_averaged),
    ]


def check_layer_backward(layer_backward):
    """Check Exercise 4.1: one layer's backward pass on a batch whose samples are rows.

    With s = x_prev w^T + b and x = sigma(s), and dl_dx the derivative of the batch loss with
    respect to x, the answer is dl/ds = dl/dx * sigma'(s) (element-wise), then
    dl_dx_prev = dl/ds w, dl_dw = dl/ds^T x_prev and dl_db = dl/ds summed over the samples.

    Parameters
    ----------
    layer_backward : callable
        ``layer_backward(dl_dx, s, x_prev, w, sigma)`` with `dl_dx` and `s` of shape (N, D_l),
        `x_prev` of shape (N, D_{l-1}), `w` of shape (D_l, D_{l-1}) and `sigma` an activation
        (``sigma.f``, ``sigma.df``); returns ``(dl_dx_prev, dl_dw, dl_db)`` of shapes
        (N, D_{l-1}), (D_l, D_{l-1}) and (D_l,), as `bpcourse.mlp.layer_backward` does.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"forgot_sigma_prime"``, ``"shapes_swapped"``
        (dl_dw with the shape of w^T), ``"transpose"`` (w^T where w belongs, found on square
        layers), ``"averaged_not_summed"`` (a 1/N too many), or a generic one (sign, scale).
        A result that is only partly right says which values are right. ``.function`` is the
        student's function once correct, the reference until then.
    """
    cases = _layer_cases(
        [(5, 3, 4, tanh), (4, 4, 2, sigmoid), (6, 2, 3, tanh), (3, 5, 1, sigmoid)], seed=41
    )
    mistakes = _layer_mistakes()
    result = check(LAYER, layer_backward, _layer_reference, cases, mistakes)
    if result.status == "error":
        square = _layer_cases([(5, 3, 3, tanh), (4, 4, 4, sigmoid)], seed=42)
        on_square = check(LAYER, layer_backward, _layer_reference, square, mistakes)
        if on_square.status == "mistake":
            return _after(on_square, "raises an error")
    return _which_parts(
        result, layer_backward, _layer_reference, cases, ["dl_dx_prev", "dl_dw", "dl_db"]
    )


# ----- Exercise 4.2: the whole backward pass ----------------------------------------------------
def _backward(weights, s, x, Y, sigma, dl_dx=None, sigma_prime=None, x_for_dw=None, w_for_dx=None):
    """The backward pass, with hooks that the mistakes below use to go wrong in one place."""
    L, N = len(weights), len(Y)
    dl_dx = 2.0 * (x[L] - Y) / N if dl_dx is None else dl_dx  # [dl/dx^(L)] for the mean loss
    grad_w, grad_b = [None] * L, [None] * L
    for l in range(L, 0, -1):
        df = sigma.df(s[l]) if sigma_prime is None else sigma_prime(l)
        dl_ds = dl_dx * df
        grad_w[l - 1] = dl_ds.T @ (x[l - 1] if x_for_dw is None else x_for_dw(l))
        grad_b[l - 1] = dl_ds.sum(axis=0)
        dl_dx = dl_ds @ (weights[l - 1] if w_for_dx is None else w_for_dx(l))
    return grad_w, grad_b


def _backward_reference(weights, s, x, Y, sigma):
    return _backward(weights, s, x, Y, sigma)


def _backward_cases(specs, seed):
    """(weights, s, x, Y, sigma) for networks of given (sizes, N, sigma)."""
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, n, sigma in specs:
        weights, biases = _network(sizes, rng)
        X = rng.normal(size=(n, sizes[0]))
        Y = rng.normal(size=(n, sizes[-1]))
        s, x = _forward(X, weights, biases, sigma)
        cases.append((weights, s, x, Y, sigma))
    return cases


def _backward_mistakes():
    def without_1_over_n(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, dl_dx=2.0 * (x[-1] - Y))

    def no_sigma_prime(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, sigma_prime=lambda l: 1.0)

    def no_sigma_prime_on_output(weights, s, x, Y, sigma):
        L = len(weights)
        return _backward(
            weights, s, x, Y, sigma, sigma_prime=lambda l: 1.0 if l == L else sigma.df(s[l])
        )

    def no_sigma_prime_on_hidden(weights, s, x, Y, sigma):
        L = len(weights)
        return _backward(
            weights, s, x, Y, sigma, sigma_prime=lambda l: sigma.df(s[l]) if l == L else 1.0
        )

    def last_sample_only(weights, s, x, Y, sigma):
        # the per-sample loop that writes grad_w[l-1] = ... instead of adding to it
        N = len(Y)
        last = _backward(
            weights,
            [None] + [a[-1:] for a in s[1:]],
            [a[-1:] for a in x],
            Y[-1:],
            sigma,
            dl_dx=2.0 * (x[-1][-1:] - Y[-1:]) / N,
        )
        return last

    def output_for_input(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, x_for_dw=lambda l: x[l])

    def reversed_lists(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return grad_w[::-1], grad_b[::-1]

    def w_transposed(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, w_for_dx=lambda l: weights[l - 1].T)

    def dw_transposed(weights, s, x, Y, sigma):
        grad_w, grad_b = _backward(weights, s, x, Y, sigma)
        return [g.T for g in grad_w], grad_b

    def negated(weights, s, x, Y, sigma):
        return _backward(weights, s, x, Y, sigma, dl_dx=2.0 * (Y - x[-1]) / len(Y))

    forgot = (
        "the result is what you would get if sigma were the identity {where}: every "
        "layer's pre-activations s^(l) reach the loss through sigma, the output layer's "
        "included"
    )
    return [
        Mistake(
            "missing_1_over_n",
            "every gradient is N times too large: the loss is the "
            "mean over the N samples, so [dl/dx^(L)] carries a 1/N",
            without_1_over_n,
        ),
        Mistake("forgot_sigma_prime", forgot.format(where="in every layer"), no_sigma_prime),
        Mistake(
            "forgot_sigma_prime",
            forgot.format(where="in the output layer"),
            no_sigma_prime_on_output,
        ),
        Mistake(
            "forgot_sigma_prime",
            forgot.format(where="in the hidden layers"),
            no_sigma_prime_on_hidden,
        ),
        Mistake(
            "overwrite_not_accumulate",
            "the gradients are those of the last sample "
            "alone: each sample adds its contribution to the parameters' gradients, so "
            "look for an `=` that should accumulate",
            last_sample_only,
        ),
        Mistake(
            "off_by_one",
            "dl_dw of layer l uses the layer's own output x^(l) where "
            "the layer's input belongs: check the layer index of x",
            output_for_input,
        ),
        Mistake(
            "layer_order",
            "the gradients are right but listed from the last layer to "
            "the first: grad_w[0] must belong to layer 1, like weights[0]",
            reversed_lists,
        ),
        Mistake(
            "transpose",
            "the gradient passed back to x^(l-1) multiplies by the transpose "
            "of what it needs: compare the shapes of dl_ds (N, D_l), w (D_l, D_(l-1)) "
            "and dl_dx_prev (N, D_(l-1))",
            w_transposed,
        ),
        Mistake(
            "shapes_swapped",
            "each grad_w[l-1] must have the shape of weights[l-1]; "
            "yours have the two dimensions swapped",
            dw_transposed,
        ),
        Mistake(
            "sign",
            "the magnitude is right but the sign is flipped: the gradient points "
            "uphill, so check the difference in the loss's derivative",
            negated,
        ),
    ]


def check_backward_pass(backward_pass):
    """Check Exercise 4.2: the backward pass of a whole MLP for the mean squared error.

    The network has the same activation sigma in every layer, the output layer's included,
    and the loss L = (1/N) sum_n ||x^(L)_n - y_n||^2, so [dl/dx^(L)] = 2 (x^(L) - Y) / N. From
    l = L down to 1: dl/ds = dl/dx * sigma'(s^(l)), grad_w[l-1] = dl/ds^T x^(l-1),
    grad_b[l-1] = dl/ds summed over the samples, and dl/dx^(l-1) = dl/ds w^(l).

    Parameters
    ----------
    backward_pass : callable
        ``backward_pass(weights, s, x, Y, sigma)`` with ``weights[l-1]`` = w^(l) of shape
        (D_l, D_{l-1}), ``s`` and ``x`` the forward pass's lists indexed by the layer l = 0..L
        (``s[0]`` is None, ``x[0]`` is the batch X of shape (N, D0), ``s[l]`` and ``x[l]``
        of shape (N, D_l)), ``Y`` of shape (N, D_L) and ``sigma`` an activation
        (``sigma.f``, ``sigma.df``); returns ``(grad_w, grad_b)``, lists with
        ``grad_w[l-1]`` of the shape of w^(l) and ``grad_b[l-1]`` of shape (D_l,).

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"missing_1_over_n"``,
        ``"forgot_sigma_prime"``, ``"overwrite_not_accumulate"`` (only the last sample's
        contribution kept), ``"off_by_one"`` (x^(l) where x^(l-1) belongs, found on square
        layers), ``"layer_order"`` (lists reversed), ``"transpose"`` (w^T where w belongs,
        found on square layers), ``"shapes_swapped"`` (grad_w with the shapes of w^T),
        ``"sign"``, or the generic ``"scale"``. ``.function`` is the student's function once
        correct, the reference until then.
    """
    cases = _backward_cases(
        [
            ([3, 5, 4, 2], 6, tanh),
            ([2, 4, 3], 5, sigmoid),
            ([4, 3, 1], 4, tanh),
            ([3, 6, 2, 2, 3], 3, sigmoid),
        ],
        seed=43,
    )
    mistakes = _backward_mistakes()
    result = check(FULL, backward_pass, _backward_reference, cases, mistakes)
    if result.status == "error":
        square = _backward_cases([([3, 3, 3, 3], 5, tanh), ([4, 4, 4], 4, sigmoid)], seed=44)
        on_square = check(FULL, backward_pass, _backward_reference, square, mistakes)
        if on_square.status == "mistake":
            return _after(on_square, "raises an error")
    return result


# ----- Exercises 4.3 and 4.4: CSC311's two derivatives, with scalars --------------------------
def _csc311_cases(seed):
    """(W, z, a, t) for CSC311's 3-layer network with tanh in every layer, one sample.

    ``W[m]`` is W^(m) of shape (D_m, D_{m-1}) and ``z[m]``, ``a[m]`` are 1-D arrays, indexed
    by the layer m = 0..3 (``W[0]`` and ``z[0]`` are None, ``a[0]`` is the input x).
    """
    rng = np.random.default_rng(seed)
    cases = []
    for sizes in ([4, 4, 4, 1], [5, 4, 3, 1], [4, 5, 4, 1], [6, 3, 2, 1]):
        weights, biases = _network(sizes, rng)
        x = rng.normal(size=sizes[0])
        s, a = _forward(x, weights, biases, tanh)
        cases.append(([None, *weights], s, a, float(rng.normal())))
    return cases


def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def _dC_dz3(W, z, a, t, sigma3=True):
    """dC/dz^(3) = C'(a^(3)) sigma^(3)'(z^(3)) with C = (a^(3) - t)^2."""
    return 2.0 * (a[3][0] - t) * (_tanh_prime(z[3][0]) if sigma3 else 1.0)


def _dC_dz2(W, z, a, t, i, sigma2=True, sigma3=True):
    """dC/dz_i^(2) (0-based i) = dC/dz^(3) w_i^(3) sigma^(2)'(z_i^(2))."""
    return _dC_dz3(W, z, a, t, sigma3) * W[3][0, i] * (_tanh_prime(z[2][i]) if sigma2 else 1.0)


def _w2(W, z, a, t, i, j, sigma2=True, sigma3=True):
    """dC/dW^(2) at the 0-based entry (i, j): dC/dz_i^(2) a_j^(1)."""
    return _dC_dz2(W, z, a, t, i, sigma2, sigma3) * a[1][j]


def _w2_12(W, z, a, t):
    return _w2(W, z, a, t, 0, 1)  # W_12^(2) is row 1, column 2: entry [0, 1]


def _w1(W, z, a, t, i, j, paths=None, column=True, sigma1=True, sigma2=True, sigma3=True):
    """dC/dW^(1) at the 0-based entry (i, j), summing over the units of layer 2."""
    paths = range(len(z[2])) if paths is None else paths
    total = sum(
        _dC_dz2(W, z, a, t, k, sigma2, sigma3) * (W[2][k, i] if column else W[2][i, k])
        for k in paths
    )
    return total * (_tanh_prime(z[1][i]) if sigma1 else 1.0) * a[0][j]


def _w1_23(W, z, a, t):
    return _w1(W, z, a, t, 1, 2)  # W_23^(1) is row 2, column 3: entry [1, 2]


_ONE_BASED = (
    "the value is that of another entry of W: the course and CSC311 count rows and "
    "columns from 1, Python from 0"
)
_FORGOT = (
    "the result is what you would get without the factor sigma^({m})'(z^({m})): each "
    "unit's pre-activation reaches the cost through its activation"
)


def check_dC_dW2_12(dC_dW2_12):
    """Check Exercise 4.3: CSC311's dC/dW_12^(2) for one sample, written with scalars.

    The network has layers z^(m) = W^(m) a^(m-1) + b^(m), a^(m) = tanh(z^(m)) for m = 1, 2, 3,
    one output unit, and the cost C = (a^(3) - t)^2. The answer is
    dC/dW_12^(2) = C'(a^(3)) sigma^(3)'(z^(3)) w_1^(3) sigma^(2)'(z_1^(2)) a_2^(1), with
    C'(a) = 2 (a - t) and sigma' = 1 - tanh^2.

    Parameters
    ----------
    dC_dW2_12 : callable
        ``dC_dW2_12(W, z, a, t)`` with ``W[m]`` = W^(m) of shape (D_m, D_{m-1}) (so w^(3) is
        ``W[3][0]``), ``z[m]`` and ``a[m]`` 1-D arrays of the forward pass (``a[0]`` is x;
        ``W[0]`` and ``z[0]`` are None), ``t`` the target; returns a number.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"index_order"`` (W_21 computed),
        ``"one_based_indices"``, ``"forgot_sigma_prime"``, or a generic one (sign, scale).
        ``.function`` is the student's function once correct, the reference until then.
    """
    mistakes = [
        Mistake(
            "index_order",
            "that is the derivative with respect to W_21^(2): the first "
            "index of W_ij is the unit the weight feeds (row i), the second the unit it "
            "reads from (column j)",
            lambda W, z, a, t: _w2(W, z, a, t, 1, 0),
        ),
        Mistake("one_based_indices", _ONE_BASED, lambda W, z, a, t: _w2(W, z, a, t, 1, 2)),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m=3),
            lambda W, z, a, t: _w2(W, z, a, t, 0, 1, sigma3=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m=2),
            lambda W, z, a, t: _w2(W, z, a, t, 0, 1, sigma2=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m="2") + " (and likewise for layer 3)",
            lambda W, z, a, t: _w2(W, z, a, t, 0, 1, sigma2=False, sigma3=False),
        ),
    ]
    return check(W2_12, dC_dW2_12, _w2_12, _csc311_cases(seed=45), mistakes)


def check_dC_dW1_23(dC_dW1_23):
    """Check Exercise 4.4: CSC311's dC/dW_23^(1) for one sample, written with scalars.

    Same network as Exercise 4.3. The unit a_2^(1) reaches the cost through every unit of
    layer 2, so dC/dz_2^(1) = (sum_i dC/dz_i^(2) W_i2^(2)) sigma^(1)'(z_2^(1)) with
    dC/dz_i^(2) = dC/dz^(3) w_i^(3) sigma^(2)'(z_i^(2)), and
    dC/dW_23^(1) = dC/dz_2^(1) a_3^(0).

    Parameters
    ----------
    dC_dW1_23 : callable
        ``dC_dW1_23(W, z, a, t)``, arguments as for Exercise 4.3; returns a number.

    Returns
    -------
    Result
        ``correct``, ``todo``, or a diagnosis: ``"index_order"`` (W_32 computed),
        ``"one_based_indices"``, ``"one_path_only"`` (one term of the sum over layer 2),
        ``"transpose"`` (row 2 of W^(2) where column 2 belongs), ``"forgot_sigma_prime"``, or
        a generic one (sign, scale). ``.function`` is the student's function once correct,
        the reference until then.
    """
    one_path = (
        "only one path is counted: a_2^(1) feeds every unit of layer 2, and by the "
        "multivariate chain rule the cost's derivative adds the contributions of all "
        "of them"
    )
    mistakes = [
        Mistake(
            "index_order",
            "that is the derivative with respect to W_32^(1): the first "
            "index of W_ij is the unit the weight feeds (row i), the second the unit it "
            "reads from (column j)",
            lambda W, z, a, t: _w1(W, z, a, t, 2, 1),
        ),
        Mistake("one_based_indices", _ONE_BASED, lambda W, z, a, t: _w1(W, z, a, t, 2, 3)),
        Mistake("one_path_only", one_path, lambda W, z, a, t: _w1(W, z, a, t, 1, 2, paths=[0])),
        Mistake("one_path_only", one_path, lambda W, z, a, t: _w1(W, z, a, t, 1, 2, paths=[1])),
        Mistake(
            "transpose",
            "the sum over layer 2 reads the weights W_2i^(2) leaving unit 2 "
            "of layer 2; the weights that carry a_2^(1) forward are W_i2^(2), a column "
            "of W^(2)",
            lambda W, z, a, t: _w1(W, z, a, t, 1, 2, column=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m=1),
            lambda W, z, a, t: _w1(W, z, a, t, 1, 2, sigma1=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m=2),
            lambda W, z, a, t: _w1(W, z, a, t, 1, 2, sigma2=False),
        ),
        Mistake(
            "forgot_sigma_prime",
            _FORGOT.format(m=3),
            lambda W, z, a, t: _w1(W, z, a, t, 1, 2, sigma3=False),
        ),
    ]
    return check(W1_23, dC_dW1_23, _w1_23, _csc311_cases(seed=46), mistakes)
