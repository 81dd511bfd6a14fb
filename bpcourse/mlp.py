"""The multi-layer perceptron, its forward pass and its backward pass, as in the syllabus.

Forward pass (deck 000), for l = 1, ..., L:

    s^(l) = w^(l) x^(l-1) + b^(l)        x^(l) = sigma(s^(l))        x^(0) = x

Backward pass, from l = L down to 1:

    [dl/dx^(L)] = nabla_1 l(x^(L))                       (the loss's gradient)
    [dl/ds^(l)] = [dl/dx^(l)] * sigma'(s^(l))            (element-wise)
    [dl/dw^(l)] = [dl/ds^(l)] (x^(l-1))^T
    [dl/db^(l)] = [dl/ds^(l)]
    [dl/dx^(l-1)] = (w^(l))^T [dl/ds^(l)]

The syllabus writes one sample as a column vector. Here a batch ``X`` has one sample per row,
shape (N, D0), so the same equations read ``s = x @ w.T + b``, ``dl_dw = dl_ds.T @ x`` (the sum
over samples of the outer products dl/ds x^T) and ``dl_dx = dl_ds @ w``.
"""

import numpy as np

from bpcourse._validate import as_array, positive_int, positive_number
from bpcourse.activations import get_activation
from bpcourse.losses import UNCHECKED, check_labels, get_loss


def layer_forward(x_prev, w, b, sigma):
    """One layer's forward pass: s = x_prev w^T + b, x = sigma(s).

    Parameters
    ----------
    x_prev : array, shape (N, D_{l-1})
    w : array, shape (D_l, D_{l-1})
    b : array, shape (D_l,)
    sigma : Activation

    Returns
    -------
    s, x : arrays, shape (N, D_l): the pre-activations (kept for the backward pass) and the
        activations.
    """
    s = x_prev @ w.T  # s = x_prev w^T + b, the bias added in place (no second (N, D_l) array)
    s += b
    return s, sigma.f(s)


def layer_backward(dl_dx, s, x_prev, w, sigma, x=None, need_dl_dx_prev=True):
    """One layer's backward pass, from [dl/dx^(l)] to the layer's gradients and [dl/dx^(l-1)].

    Parameters
    ----------
    dl_dx : array, shape (N, D_l)
        Derivative of the loss with respect to this layer's output x^(l).
    s : array, shape (N, D_l)
        This layer's pre-activations, kept by the forward pass.
    x_prev : array, shape (N, D_{l-1})
        This layer's input x^(l-1), kept by the forward pass.
    w : array, shape (D_l, D_{l-1})
    sigma : Activation
    x : array, shape (N, D_l), optional
        This layer's output sigma(s). Only a shortcut: when given, sigma'(s) is computed from
        it (1 - x^2 for tanh) instead of evaluating sigma(s) again; the result is the same.
    need_dl_dx_prev : bool
        False for the first layer, whose input is the data: then dl_dx_prev is None.

    Returns
    -------
    dl_dx_prev : array, shape (N, D_{l-1}), or None
    dl_dw : array, shape (D_l, D_{l-1}), summed over the N samples
    dl_db : array, shape (D_l,), summed over the N samples
    """
    # [dl/ds] = [dl/dx] * sigma'(s), element-wise. Where the activation allows it, sigma'(s)
    # is read off the stored output x (tanh: 1 - x^2) instead of computing sigma(s) again.
    if sigma.name == "identity":
        dl_ds = dl_dx  # sigma'(s) = 1
    elif x is not None and sigma.df_from_output is not None:
        dl_ds = dl_dx * sigma.df_from_output(x)
    else:
        dl_ds = dl_dx * sigma.df(s)
    dl_dw = dl_ds.T @ x_prev  # [dl/dw] = [dl/ds] x^T, summed over samples
    # [dl/db] = [dl/ds], summed over samples: written as 1^T dl_ds (the bias is a weight on a
    # constant input 1), a matrix product that is faster than dl_ds.sum(axis=0) on small batches
    dl_db = np.ones(len(dl_ds)) @ dl_ds
    dl_dx_prev = dl_ds @ w if need_dl_dx_prev else None  # [dl/dx^(l-1)] = w^T [dl/ds]
    return dl_dx_prev, dl_dw, dl_db


class Trace:
    """The forward quantities of one pass: ``s[l]`` and ``x[l]`` for l = 0..L (``s[0]`` is None)."""

    def __init__(self, s, x):
        self.s = s
        self.x = x

    def __repr__(self):
        shapes = ", ".join(f"x[{l}]{np.shape(x)}" for l, x in enumerate(self.x))
        return f"Trace({shapes})"


class MLP:
    """A fully connected network x^(l) = sigma(w^(l) x^(l-1) + b^(l)), l = 1..L.

    Parameters
    ----------
    sizes : sequence of int
        [D0, D1, ..., DL]: the input size, then each layer's number of units.
    activation : str
        sigma of the hidden layers: "tanh" (default), "relu", "sigmoid" or "identity".
    output_activation : str
        sigma of the last layer, "identity" by default (regression, or scores for softmax).
    seed : int
        Seed of the initial weights, drawn from N(0, 1/D_{l-1}) (biases start at 0).

    Attributes
    ----------
    weights : list of arrays, weights[l-1] is w^(l) of shape (D_l, D_{l-1})
    biases : list of arrays, biases[l-1] is b^(l) of shape (D_l,)
    """

    def __init__(self, sizes, activation="tanh", output_activation="identity", seed=0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer sizes like [2, 16, 1], got {sizes!r}")
        sizes = [positive_int(d, f"sizes[{i}]") for i, d in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must hold at least an input and an output size, got {sizes}")
        self.sizes = sizes
        self.activation = get_activation(activation)
        self.output_activation = get_activation(output_activation)
        rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
        self.weights = [
            rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in))
            for d_in, d_out in zip(sizes[:-1], sizes[1:])
        ]
        self.biases = [np.zeros(d_out) for d_out in sizes[1:]]
        self.diverged_at = None

    def __repr__(self):
        return (
            f"MLP({self.sizes}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r})"
        )

    @property
    def n_layers(self):
        """L, the number of layers (of weights)."""
        return len(self.weights)

    def sigma(self, l):
        """The activation of layer l (1-based): the hidden one, or the output one for l = L."""
        return self.output_activation if l == self.n_layers else self.activation

    def parameters(self):
        """The parameter arrays themselves (not copies): w^(1..L), then b^(1..L)."""
        return self.weights + self.biases

    # ----- forward ---------------------------------------------------------------------------
    def _inputs(self, X):
        X = as_array(X, "X", ndim=(1, 2))
        single = X.ndim == 1
        batch = X.reshape(1, -1) if single else X
        if batch.shape[1] != self.sizes[0]:
            raise ValueError(
                f"X has {batch.shape[1]} features but the network's first layer "
                f"expects {self.sizes[0]}"
            )
        return batch, single

    def trace(self, X):
        """Run the forward pass and keep every s^(l) and x^(l).

        Parameters
        ----------
        X : array, shape (N, D0), or (D0,) for one sample

        Returns
        -------
        Trace with lists ``s`` and ``x`` indexed by the layer l = 0..L: ``x[0]`` is X,
        ``s[0]`` is None, ``s[l]`` and ``x[l]`` have shape (N, D_l) (or (D_l,) for one sample).
        """
        batch, single = self._inputs(X)
        with np.errstate(over="ignore", invalid="ignore"):
            s, x = self._forward(batch)
        if single:
            s = [None] + [a[0] for a in s[1:]]
            x = [a[0] for a in x]
        return Trace(s, x)

    def _forward(self, X):
        """The forward pass on a checked batch: lists s and x indexed by the layer l = 0..L."""
        L = len(self.weights)
        s, x = [None] * (L + 1), [X] + [None] * L
        for l in range(1, L + 1):
            s[l], x[l] = layer_forward(
                x[l - 1], self.weights[l - 1], self.biases[l - 1], self.sigma(l)
            )
        return s, x

    def forward(self, X):
        """The network's output f(X) = x^(L): shape (N, D_L), or (D_L,) for one sample."""
        return self.trace(X).x[-1]

    __call__ = forward

    # ----- loss and backward -----------------------------------------------------------------
    def _targets(self, Y, n, loss):
        get_loss(loss)  # refuses an unknown name
        if loss == "cross_entropy":
            return check_labels(Y, n, self.sizes[-1])
        Y = as_array(Y, "Y", ndim=(1, 2))
        d_out = self.sizes[-1]
        if Y.ndim == 1 and d_out == 1:
            Y = Y.reshape(-1, 1)
        elif Y.ndim == 1 and n == 1:
            Y = Y.reshape(1, -1)
        if Y.shape != (n, d_out):
            raise ValueError(
                f"Y has shape {Y.shape} but the network gives outputs of shape ({n}, {d_out})"
            )
        return Y

    def loss(self, X, Y, loss="mse"):
        """The training loss L(f(X), Y) (mean over the samples)."""
        batch, _ = self._inputs(X)
        Y = self._targets(Y, batch.shape[0], loss)
        with np.errstate(over="ignore", invalid="ignore"):
            out = self.trace(batch).x[-1]
            if not np.all(np.isfinite(out)):
                return float("inf")
            return UNCHECKED[loss](out, Y, 1.0 / len(out))[0]

    def gradients(self, X, Y, loss="mse"):
        """Loss and its gradients with respect to every parameter, by back-propagation.

        Parameters
        ----------
        X : array, shape (N, D0), or (D0,) for one sample
        Y : targets: shape (N, D_L) (or (N,) when D_L == 1) for "mse";
            integer labels of shape (N,) for "cross_entropy"
        loss : "mse" or "cross_entropy" (mean over the batch)

        Returns
        -------
        loss : float
        grad_w : list of arrays, grad_w[l-1] = [dL/dw^(l)], shape (D_l, D_{l-1})
        grad_b : list of arrays, grad_b[l-1] = [dL/db^(l)], shape (D_l,)
        """
        batch, _ = self._inputs(X)
        return self._backprop(batch, self._targets(Y, batch.shape[0], loss), loss)

    def _backprop(self, X, Y, loss, scale=1.0):
        """`gradients` without the argument checks, for callers that made them (`fit`).

        `scale` multiplies the loss, hence every gradient: the backward pass is linear in
        [dl/dx^(L)], so back-propagating scale * L gives scale * [dL/dw^(l)] at no extra cost.
        """
        L = len(self.weights)
        s, x = self._forward(X)  # forward pass, keeping s^(l) and x^(l)
        value, dl_dx = UNCHECKED[loss](x[L], Y, scale / len(X))  # [dl/dx^(L)] = nabla_1 l
        grad_w, grad_b = [None] * L, [None] * L
        for l in range(L, 0, -1):  # backward pass, l = L .. 1
            dl_dx, grad_w[l - 1], grad_b[l - 1] = layer_backward(
                dl_dx,
                s[l],
                x[l - 1],
                self.weights[l - 1],
                self.sigma(l),
                x=x[l],
                need_dl_dx_prev=l > 1,
            )
        return value / scale, grad_w, grad_b

    def _step(self, X, Y, lr, loss):
        """One gradient step on checked arrays: w <- w - lr [dL/dw], b <- b - lr [dL/db].

        It back-propagates lr * L, which yields lr * [dL/dw] directly (see `_backprop`).
        """
        value, lr_grad_w, lr_grad_b = self._backprop(X, Y, loss, scale=lr)
        for w, b, lr_dw, lr_db in zip(self.weights, self.biases, lr_grad_w, lr_grad_b):
            w -= lr_dw
            b -= lr_db
        return value

    def step(self, X, Y, lr, loss="mse"):
        """One gradient step w^(l) <- w^(l) - lr [dL/dw^(l)], b^(l) <- b^(l) - lr [dL/db^(l)].

        Returns the loss before the step.
        """
        lr = positive_number(lr, "lr")
        batch, _ = self._inputs(X)
        return self._step(batch, self._targets(Y, batch.shape[0], loss), lr, loss)

    # ----- training --------------------------------------------------------------------------
    def fit(self, X, Y, lr, epochs, batch_size=None, loss="mse", seed=0, callback=None):
        """(Mini-batch) gradient descent on the mean loss.

        Each epoch shuffles the samples (seeded) and takes one step per batch of
        `batch_size` samples (all N at once when None: plain gradient descent).

        Parameters
        ----------
        X, Y, loss : as for `gradients`
        lr : float, the learning rate eta > 0
        epochs : int
        batch_size : int or None
        seed : int, seed of the shuffling
        callback : callable(epoch, net, loss) or None, called after each epoch

        Returns
        -------
        history : array of the full-data loss, one entry per epoch, the first before any step.
            Training stops early if the loss becomes non-finite or grows beyond 1e12 times its
            start (a learning rate too large); then ``self.diverged_at`` is that epoch and the
            history ends at the last finite loss.
        """
        lr = positive_number(lr, "lr")
        epochs = positive_int(epochs, "epochs", minimum=0)
        batch, _ = self._inputs(X)
        n = batch.shape[0]
        Y = self._targets(Y, n, loss)
        if batch_size is None:
            batch_size = n
        batch_size = positive_int(batch_size, "batch_size")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable(epoch, net, loss), got {callback!r}")
        rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
        self.diverged_at = None
        history = [self.loss(batch, Y, loss)]
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n) if batch_size < n else np.arange(n)
            with np.errstate(over="ignore", invalid="ignore"):
                for start in range(0, n, batch_size):
                    rows = order[start : start + batch_size]
                    self._step(batch[rows], Y[rows], lr, loss)
            current = self.loss(batch, Y, loss)
            if not np.isfinite(current) or current > 1e12 * max(history[0], 1e-12):
                self.diverged_at = epoch
                break
            history.append(current)
            if callback is not None:
                callback(epoch, self, current)
        return np.array(history)
