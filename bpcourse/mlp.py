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

`MLP.gradients` runs these equations as written. `MLP.step` and `MLP.fit` run the same
equations through `bpcourse.training`, arranged for speed.

What the network is given is checked where it is given (`bpcourse._validate`): data and
parameters must be finite, and a parameter set to NaN or inf in place is refused where it is
used, like one reshaped in place. Results that overflow float64 (inputs or weights far too
large, as after training with too large a learning rate) are handled without a warning:
`forward` and `trace` refuse outputs they cannot give, `loss` and `gradients` give a loss of
inf, and training reports it as divergence (`step` returns inf and leaves the parameters
unchanged, `fit` sets `diverged_at`). An activation of the user's that gives NaN or inf for
finite pre-activations is refused by name rather than taken for an overflow or divergence.
"""

import functools
import inspect
import math
import operator
from collections.abc import Sequence

import numpy as np

from bpcourse import training
from bpcourse._validate import (
    NotFinite,
    all_finite,
    as_array,
    choice,
    describe,
    fits_in_memory,
    function,
    layer_sizes,
    positive_int,
    positive_number,
)
from bpcourse.activations import checked_output, get_activation, identity, is_builtin
from bpcourse.losses import REDUCTIONS, UNCHECKED, check_labels, get_loss, reduction_scale

_SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)  # 2.2e-308


def _layer_arguments(w, x_prev, sigma, b=None, dl_dx=None, s=None):
    """The arguments of `layer_forward` (b given) or `layer_backward` (dl_dx and s given) as
    arrays, their shapes checked.

    NaN and inf pass (the layer's equations propagate them entry by entry); what is not an
    array of numbers, or has a shape that does not fit, is refused, naming the argument.
    """
    backward = dl_dx is not None or s is not None
    sigma = get_activation(sigma, "sigma")
    w = as_array(w, "w", ndim=2, allow_nonfinite=True)
    x_prev = as_array(x_prev, "x_prev", ndim=2 if backward else (1, 2), allow_nonfinite=True)
    if x_prev.shape[-1] != w.shape[1]:
        raise ValueError(
            f"x_prev has {x_prev.shape[-1]} features (shape {x_prev.shape}) but w has "
            f"{w.shape[1]} columns (shape {w.shape}): w^(l) has shape (D_l, D_{{l-1}})"
        )
    if not backward:  # b is an array of the layer's biases, never None
        b = as_array(b, "b", ndim=1, allow_nonfinite=True)
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"b must have shape ({w.shape[0]},), one entry per row of w (shape {w.shape}), "
                f"got shape {b.shape}"
            )
    if backward:
        dl_dx = as_array(dl_dx, "dl_dx", ndim=2, allow_nonfinite=True)
        s = as_array(s, "s", ndim=2, allow_nonfinite=True)
        expected = (x_prev.shape[0], w.shape[0])
        for name, array in (("dl_dx", dl_dx), ("s", s)):
            if array.shape != expected:
                raise ValueError(
                    f"{name} must have shape (N, D_l) = {expected} for x_prev of shape "
                    f"{x_prev.shape} and w of shape {w.shape}, got shape {array.shape}"
                )
    return w, x_prev, sigma, b, dl_dx, s


def _checks_layer_forward(plain):
    """`layer_forward` with its arguments checked first (the equations stay as written)."""

    @functools.wraps(plain)
    def layer_forward(x_prev, w, b, sigma):
        w, x_prev, sigma, b, _, _ = _layer_arguments(w, x_prev, sigma, b=b)
        s, x = plain(x_prev, w, b, sigma)
        return s, x if is_builtin(sigma) else checked_output(sigma, "f", s, x)

    return layer_forward


def _checks_layer_backward(plain):
    """`layer_backward` with its arguments checked first (the equations stay as written)."""

    @functools.wraps(plain)
    def layer_backward(dl_dx, s, x_prev, w, sigma):
        w, x_prev, sigma, _, dl_dx, s = _layer_arguments(w, x_prev, sigma, dl_dx=dl_dx, s=s)
        if not is_builtin(sigma):  # an activation of the user's: its sigma' is checked first
            checked_output(sigma, "df", s, sigma.df(s))
        return plain(dl_dx, s, x_prev, w, sigma)

    return layer_backward


@_checks_layer_forward
def layer_forward(x_prev, w, b, sigma):
    """One layer's forward pass: s = w x_prev + b, x = sigma(s), for a batch in rows.

    Parameters
    ----------
    x_prev : array, shape (N, D_{l-1})
        The layer's input x^(l-1), one sample per row.
    w : array, shape (D_l, D_{l-1})
    b : array, shape (D_l,)
    sigma : Activation (or its name)

    Returns
    -------
    s, x : arrays, shape (N, D_l): the pre-activations (kept for the backward pass) and the
        activations.
    """
    s = x_prev @ w.T + b  # s^(l) = w^(l) x^(l-1) + b^(l), one row per sample
    x = sigma.f(s)  # x^(l) = sigma(s^(l))
    return s, x


@_checks_layer_backward
def layer_backward(dl_dx, s, x_prev, w, sigma):
    """One layer's backward pass, from [dl/dx^(l)] to the layer's gradients and [dl/dx^(l-1)].

    [dl/ds] = [dl/dx] * sigma'(s),  [dl/dw] = [dl/ds] x_prev^T,  [dl/db] = [dl/ds],
    [dl/dx_prev] = w^T [dl/ds], with the gradients summed over the N samples of the batch.

    Parameters
    ----------
    dl_dx : array, shape (N, D_l)
        Derivative of the loss with respect to this layer's output x^(l).
    s : array, shape (N, D_l)
        This layer's pre-activations, kept by the forward pass.
    x_prev : array, shape (N, D_{l-1})
        This layer's input x^(l-1), kept by the forward pass.
    w : array, shape (D_l, D_{l-1})
    sigma : Activation (or its name)

    Returns
    -------
    dl_dx_prev : array, shape (N, D_{l-1})
    dl_dw : array, shape (D_l, D_{l-1}), summed over the N samples
    dl_db : array, shape (D_l,), summed over the N samples
    """
    dl_ds = dl_dx * sigma.df(s)  # [dl/ds] = [dl/dx] * sigma'(s), element-wise
    dl_dw = dl_ds.T @ x_prev  # [dl/dw] = [dl/ds] x_prev^T, summed over the samples
    dl_db = dl_ds.sum(axis=0)  # [dl/db] = [dl/ds], summed over the samples
    dl_dx_prev = dl_ds @ w  # [dl/dx_prev] = w^T [dl/ds]
    return dl_dx_prev, dl_dw, dl_db


class Trace:
    """The forward quantities of one pass: ``s[l]`` and ``x[l]`` for l = 0..L (``s[0]`` is None)."""

    def __init__(self, s, x):
        self.s = s
        self.x = x

    def __repr__(self):
        shapes = ", ".join(f"x[{l}]{np.shape(x)}" for l, x in enumerate(self.x))
        return f"Trace({shapes})"


class ParameterList(Sequence):
    """A network's weights or biases: one array per layer, in a list that checks shapes.

    It reads like a list of arrays: ``net.weights[0]`` is the array w^(1) itself, which can be
    changed in place (``net.biases[0][:] = 0``). Putting in an array of the wrong shape, such as
    a bias column of shape (D, 1) or a transposed weight, raises an error naming the layer,
    the shape expected and the shape given: NumPy would broadcast the first into wrong outputs
    without a word.
    """

    def __init__(self, kind, shapes, arrays):
        self._kind = kind  # "weights" or "biases"
        self._shapes = tuple(shapes)
        arrays = layer_list(arrays, kind, len(self._shapes))
        if len(arrays) != len(self._shapes):
            raise ValueError(
                f"{kind} must be a list of {len(self._shapes)} arrays, one per layer, "
                f"got {len(arrays)}"
            )
        self._arrays = [self._checked(l, a) for l, a in enumerate(arrays)]

    def _checked(self, l, value):
        """`value` as the float64 array of layer l + 1, or an error saying what is wrong."""
        array = as_array(value, f"{self._kind}[{l}] (layer {l + 1})")
        expected = self._shapes[l]
        if array.shape != expected:
            raise ValueError(shape_message(self._kind, l, expected, array.shape))
        return array

    def check_shapes(self):
        """Raise an error if an array was reshaped or resized in place since it was put in."""
        for l, (array, expected) in enumerate(zip(self._arrays, self._shapes)):
            if array.shape != expected:
                raise ValueError(shape_message(self._kind, l, expected, array.shape, True))

    def check_finite(self):
        """Raise an error if an array holds NaN or inf (set in place since it was put in)."""
        for l, array in enumerate(self._arrays):
            if not all_finite(array):
                bad = int(array.size - np.count_nonzero(np.isfinite(array)))
                raise ValueError(
                    f"{self._kind}[{l}] (layer {l + 1}) contains {bad} NaN or infinite "
                    "value(s), set in place after it was put in; expected finite numbers"
                )

    def check_writeable(self):
        """Raise an error if an array is read-only: training changes the arrays in place."""
        for l, array in enumerate(self._arrays):
            if not array.flags.writeable:
                raise ValueError(
                    f"{self._kind}[{l}] (layer {l + 1}) is a read-only array, which a training "
                    f"step cannot update in place; put in a writeable copy: "
                    f"net.{self._kind}[{l}] = net.{self._kind}[{l}].copy()"
                )

    def _index(self, i):
        """Layer index `i` (negative counts from the end) as 0..L-1, or an error naming it."""
        if isinstance(i, (bool, np.bool_)):
            raise TypeError(f"{self._kind} takes an integer layer index or a slice, got {i!r}")
        try:
            l = operator.index(i)
        except TypeError:
            raise TypeError(
                f"{self._kind} takes an integer layer index or a slice, got {describe(i)}"
            ) from None
        if not -len(self) <= l < len(self):
            raise IndexError(
                f"{self._kind}[{l}] does not exist: the network has {len(self)} layer(s), "
                f"indices 0 to {len(self) - 1} (or -1 to -{len(self)})"
            )
        return l % len(self)

    def __len__(self):
        return len(self._arrays)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._arrays[i]
        return self._arrays[self._index(i)]

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            layers, values = range(len(self))[i], layer_list(value, f"{self._kind}[...]")
            if len(values) != len(layers):
                raise ValueError(
                    f"{self._kind}[{i.start}:{i.stop}] holds {len(layers)} arrays, "
                    f"got {len(values)}: a network's number of layers is fixed"
                )
            checked = [self._checked(l, v) for l, v in zip(layers, values)]
            for l, array in zip(layers, checked):
                self._arrays[l] = array
            return
        l = self._index(i)
        self._arrays[l] = self._checked(l, value)

    def __iter__(self):
        return iter(self._arrays)

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)

    def __repr__(self):
        return repr(self._arrays)


def layer_list(arrays, name, count=None):
    """`arrays` as a list, one entry per layer: a list, a tuple or a ParameterList.

    A dict, a set, a generator, a str or a single NumPy array is refused, naming `name`.
    """
    if isinstance(arrays, (str, bytes, np.ndarray)) or not isinstance(arrays, Sequence):
        many = f"{count} " if count is not None else ""
        raise TypeError(
            f"{name} must be a list of {many}arrays, one per layer, got {describe(arrays)}"
        )
    return list(arrays)


def shape_message(kind, l, expected, given, changed_in_place=False):
    """The error for an array of shape `given` as weights[l] or biases[l] (layer l + 1)."""
    symbol = "w" if kind == "weights" else "b"
    message = (
        f"{kind}[{l}], the {symbol}^({l + 1}) of layer {l + 1}, must have shape {expected}, "
        f"got shape {tuple(given)}"
    )
    if changed_in_place:
        message += " (its shape was changed in place after it was set)"
    if kind == "biases" and tuple(given) == (*expected, 1):
        message += (
            ": a bias is a 1-D array of shape (D_l,), not a column (D_l, 1), which NumPy "
            "would broadcast against the batch; use b.ravel()"
        )
    elif kind == "weights" and tuple(given) == expected[::-1] and not changed_in_place:
        message += ": w^(l) has one row per unit of layer l, shape (D_l, D_{l-1}); use w.T"
    return message


class MLP:
    """A fully connected network x^(l) = sigma(w^(l) x^(l-1) + b^(l)), l = 1..L.

    Parameters
    ----------
    sizes : sequence of int
        [D0, D1, ..., DL]: the input size, then each layer's number of units.
    activation : str or Activation
        sigma of the hidden layers: "tanh" (default), "relu", "sigmoid" or "identity".
    output_activation : str or Activation
        sigma of the last layer, "identity" by default (regression, or scores for softmax).
    seed : int
        Seed of the initial weights, drawn from N(0, 1/D_{l-1}) (biases start at 0).

    `MLP.from_params(weights, biases)` builds a network from given arrays instead.

    Attributes
    ----------
    weights : list of arrays, weights[l-1] is w^(l) of shape (D_l, D_{l-1})
    biases : list of arrays, biases[l-1] is b^(l) of shape (D_l,)
        Both can be changed in place or assigned, one array or the whole list; an array of
        another shape is refused with an error naming the layer.
    activation, output_activation : Activation
        Can be assigned an Activation or its name; anything else is refused.
    """

    def __init__(self, sizes, activation="tanh", output_activation="identity", seed=0):
        sizes = layer_sizes(sizes)
        rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
        count = sum((d_in + 1) * d_out for d_in, d_out in zip(sizes[:-1], sizes[1:]))
        fits_in_memory(count, "sizes", sizes)
        try:
            weights = [
                rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in))
                for d_in, d_out in zip(sizes[:-1], sizes[1:])
            ]
            biases = [np.zeros(d_out) for d_out in sizes[1:]]
        except MemoryError:
            raise ValueError(
                f"sizes={sizes} needs {count:.3g} parameters, more than NumPy could allocate"
            ) from None
        self._build(sizes, activation, output_activation, weights, biases)

    @classmethod
    def from_params(cls, weights, biases, activation="tanh", output_activation="identity"):
        """A network with the given parameters, such as the weights a worked example publishes.

        Parameters
        ----------
        weights : list of L arrays, weights[l-1] = w^(l) of shape (D_l, D_{l-1})
        biases : list of L arrays, biases[l-1] = b^(l) of shape (D_l,)
        activation, output_activation : as for `MLP`

        The arrays are copied (as float64), so the network does not change the caller's. Every
        shape is checked, and that each layer's input size is the previous layer's output size.
        """
        weights, biases = layer_list(weights, "weights"), layer_list(biases, "biases")
        if len(weights) == 0 or len(weights) != len(biases):
            raise ValueError(
                f"weights and biases must hold one array per layer, at least one, "
                f"got {len(weights)} weights and {len(biases)} biases"
            )
        weights = [
            np.array(as_array(w, f"weights[{l}] (layer {l + 1})", ndim=2), copy=True)
            for l, w in enumerate(weights)
        ]
        for l, w in enumerate(weights):
            if w.size == 0:
                raise ValueError(
                    f"weights[{l}], the w^({l + 1}) of layer {l + 1}, has shape {w.shape}: "
                    f"a layer needs at least one input and one unit"
                )
        for l in range(1, len(weights)):
            if weights[l].shape[1] != weights[l - 1].shape[0]:
                raise ValueError(
                    f"weights[{l}], the w^({l + 1}) of layer {l + 1}, has shape "
                    f"{weights[l].shape}: its {weights[l].shape[1]} columns must match the "
                    f"{weights[l - 1].shape[0]} units of layer {l} (weights[{l - 1}] has shape "
                    f"{weights[l - 1].shape}); w^(l) has shape (D_l, D_{{l-1}})"
                )
        sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
        biases = [np.array(as_array(b, f"biases[{l}]"), copy=True) for l, b in enumerate(biases)]
        net = cls.__new__(cls)
        net._build(sizes, activation, output_activation, weights, biases)
        return net

    def _build(self, sizes, activation, output_activation, weights, biases):
        self._sizes = tuple(sizes)
        self.activation = activation
        self.output_activation = output_activation
        self.weights = weights
        self.biases = biases
        self.diverged_at = None
        self._training = {}  # the training path's buffers, by batch size (see bpcourse.training)

    def __repr__(self):
        return (
            f"MLP({self.sizes}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r})"
        )

    def __getstate__(self):  # a copy (copy.deepcopy, pickle) makes its own training buffers
        return {**self.__dict__, "_training": {}}

    @property
    def activation(self):
        """sigma of the hidden layers, an `Activation`; a name ("relu") may be assigned."""
        return self._activation

    @activation.setter
    def activation(self, value):
        self._activation = get_activation(value, "activation")

    @property
    def output_activation(self):
        """sigma of the last layer, an `Activation`; a name ("identity") may be assigned."""
        return self._output_activation

    @output_activation.setter
    def output_activation(self, value):
        self._output_activation = get_activation(value, "output_activation")

    @property
    def sizes(self):
        """[D0, D1, ..., DL], fixed when the network is built."""
        return list(self._sizes)

    @property
    def n_layers(self):
        """L, the number of layers (of weights)."""
        return len(self._sizes) - 1

    @property
    def weights(self):
        """w^(1..L): weights[l-1] is w^(l), of shape (D_l, D_{l-1})."""
        return self._weights

    @weights.setter
    def weights(self, arrays):
        shapes = [(d_out, d_in) for d_in, d_out in zip(self._sizes[:-1], self._sizes[1:])]
        self._weights = ParameterList("weights", shapes, arrays)

    @property
    def biases(self):
        """b^(1..L): biases[l-1] is b^(l), of shape (D_l,)."""
        return self._biases

    @biases.setter
    def biases(self, arrays):
        self._biases = ParameterList("biases", [(d,) for d in self._sizes[1:]], arrays)

    def sigma(self, l):
        """The activation of layer l (1-based): the hidden one, or the output one for l = L."""
        if positive_int(l, "l") > self.n_layers:
            raise ValueError(f"l must be a layer number from 1 to L = {self.n_layers}, got {l}")
        return self.output_activation if l == self.n_layers else self.activation

    def parameters(self):
        """The parameter arrays themselves (not copies): w^(1..L), then b^(1..L)."""
        return list(self.weights) + list(self.biases)

    # ----- forward ---------------------------------------------------------------------------
    def _inputs(self, X):
        """X checked as a batch (N, D0), and whether it was one sample (D0,).

        It also checks that no parameter was reshaped in place since it was set.
        """
        X = as_array(X, "X", ndim=(1, 2))
        single = X.ndim == 1
        batch = X.reshape(1, -1) if single else X
        if batch.shape[1] != self._sizes[0]:
            raise ValueError(
                f"X has {batch.shape[1]} features but the network's first layer "
                f"expects {self._sizes[0]}"
            )
        self._weights.check_shapes()
        self._biases.check_shapes()
        return batch, single

    def _check_finite_parameters(self):
        """Refuse parameters set to NaN or inf in place (assigning them is refused already)."""
        self._weights.check_finite()
        self._biases.check_finite()

    def _check_activations(self, X):
        """Refuse an activation of the user's whose f(s) or df(s) is NaN or inf for finite s.

        Called where a result is not finite, to tell such an activation (a NaN made by the
        function, not by the data or the weights) from an overflow. The package's own
        activations are finite wherever s is.
        """
        if is_builtin(self.activation) and is_builtin(self.output_activation):
            return
        x = X
        with np.errstate(all="ignore"):
            for l in range(1, self.n_layers + 1):
                s = x @ self.weights[l - 1].T + self.biases[l - 1]
                if not all_finite(s):
                    return  # an overflow (or a NaN from before): not the activation's doing
                sigma = self.sigma(l)
                x = _checked_activation_values(sigma, "f", sigma.f(s), l)
                if not is_builtin(sigma):
                    _checked_activation_values(sigma, "df", sigma.df(s), l)

    def _overflow_message(self, where):
        return (
            f"{where} overflow float64 (above 1.8e308) on this X: the inputs or the weights are "
            "too large (weights grow like this when training with too large a learning rate)"
        )

    def trace(self, X):
        """Run the forward pass and keep every s^(l) and x^(l).

        Parameters
        ----------
        X : array, shape (N, D0), or (D0,) for one sample

        Returns
        -------
        Trace with lists ``s`` and ``x`` indexed by the layer l = 0..L: ``x[0]`` is X,
        ``s[0]`` is None, ``s[l]`` and ``x[l]`` have shape (N, D_l) (or (D_l,) for one sample).
        Pre-activations or outputs that overflow float64 are refused with a ValueError.
        """
        batch, single = self._inputs(X)
        with np.errstate(over="ignore", invalid="ignore"):
            s, x = self._forward(batch)
        for l in range(1, self.n_layers + 1):
            if not all_finite(s[l]) or (l == self.n_layers and not all_finite(x[l])):
                self._check_finite_parameters()  # a NaN set in place spreads from there
                self._check_activations(batch)  # or an activation of the user's gave one
                raise ValueError(self._overflow_message(f"the pre-activations s[{l}] of layer {l}"))
        if single:
            s = [None] + [a[0] for a in s[1:]]
            x = [a[0] for a in x]
        return Trace(s, x)

    def _forward(self, X):
        """The forward pass on a checked batch: lists s and x indexed by the layer l = 0..L."""
        L = self.n_layers
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
        if n == 0:
            raise ValueError(
                f"X holds no sample (shape (0, {self._sizes[0]})): a loss needs at least one"
            )
        if loss == "cross_entropy":
            if self._sizes[-1] < 2:
                raise ValueError(
                    f"loss 'cross_entropy' needs one score per class, at least 2 outputs, but "
                    f"this network has {self._sizes[-1]} (sizes {self.sizes})"
                )
            return check_labels(Y, n, self._sizes[-1], name="Y")
        Y = as_array(Y, "Y", ndim=(1, 2))
        d_out = self._sizes[-1]
        if Y.ndim == 1 and d_out == 1:
            Y = Y.reshape(-1, 1)
        elif Y.ndim == 1 and n == 1:
            Y = Y.reshape(1, -1)
        if Y.shape != (n, d_out):
            raise ValueError(
                f"Y has shape {Y.shape} but the network gives outputs of shape ({n}, {d_out})"
            )
        return Y

    def loss(self, X, Y, loss="mse", reduction="mean"):
        """The training loss L(f(X), Y): the mean over the samples, or the sum.

        Parameters are as for `gradients`. A network whose outputs overflowed gives inf.
        """
        choice(reduction, "reduction", REDUCTIONS)
        batch, _ = self._inputs(X)
        Y = self._targets(Y, batch.shape[0], loss)
        self._check_finite_parameters()
        value = self._loss_value(batch, Y, loss, reduction)
        if value == math.inf:
            self._check_activations(batch)  # a NaN from an activation of the user's
        return value

    def _loss_value(self, X, Y, loss, reduction):
        """The loss on checked arrays, inf when the outputs or the loss overflow float64."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = self._forward(X)[1][-1]
            if not all_finite(out):
                return math.inf
            value = UNCHECKED[loss](out, Y, reduction_scale(reduction, len(out)))[0]
        return value if math.isfinite(value) else math.inf

    def gradients(self, X, Y, loss="mse", reduction="mean"):
        """Loss and its gradients with respect to every parameter, by back-propagation.

        Parameters
        ----------
        X : array, shape (N, D0), or (D0,) for one sample
        Y : targets: shape (N, D_L) (or (N,) when D_L == 1) for "mse";
            integer labels of shape (N,) for "cross_entropy"
        loss : "mse" or "cross_entropy"
        reduction : "mean" (default, the loss averaged over the batch) or "sum"

        Returns
        -------
        loss : float
        grad_w : list of arrays, grad_w[l-1] = [dL/dw^(l)], shape (D_l, D_{l-1})
        grad_b : list of arrays, grad_b[l-1] = [dL/db^(l)], shape (D_l,)

        A loss too large for float64 is inf (a sign of divergence), and gradients too large
        are inf as well; outputs that overflow are refused with a ValueError.
        """
        choice(reduction, "reduction", REDUCTIONS)
        batch, _ = self._inputs(X)
        Y = self._targets(Y, batch.shape[0], loss)
        self._check_finite_parameters()
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                value, grad_w, grad_b = self._backprop(batch, Y, loss, reduction)
            except NotFinite:  # the loss refuses predictions beyond float64
                self._check_activations(batch)  # or an activation of the user's made a NaN
                raise ValueError(self._overflow_message("the network's outputs")) from None
        if not all(all_finite(g) for g in grad_w + grad_b):
            self._check_activations(batch)  # a NaN from sigma.df, rather than an overflow
        return value, grad_w, grad_b

    def _backprop(self, X, Y, loss, reduction):
        """The backward pass on checked arrays: the loss, [dL/dw^(l)] and [dL/db^(l)]."""
        L = self.n_layers
        s, x = self._forward(X)  # forward pass, keeping s^(l) and x^(l)
        value, dl_dx = get_loss(loss)(x[L], Y, reduction)  # [dl/dx^(L)] = nabla_1 l(x^(L))
        grad_w, grad_b = [None] * L, [None] * L
        for l in range(L, 0, -1):  # backward pass, l = L, ..., 1
            dl_dx, grad_w[l - 1], grad_b[l - 1] = layer_backward(
                dl_dx, s[l], x[l - 1], self.weights[l - 1], self.sigma(l)
            )
        return value, grad_w, grad_b

    # ----- training --------------------------------------------------------------------------
    def step(self, X, Y, lr, loss="mse", reduction="mean"):
        """One gradient step w^(l) <- w^(l) - lr [dL/dw^(l)], b^(l) <- b^(l) - lr [dL/db^(l)].

        Parameters are as for `gradients`, and lr is the learning rate eta > 0. Returns the loss
        before the step. The step runs `bpcourse.training.step`: the equations of `gradients`,
        arranged to cost little more than their matrix products.

        A step is all or nothing. When the loss or a gradient is not finite (they overflow
        float64: a learning rate too large has made the weights explode, or the data are too
        large), no parameter changes and the value returned is inf: divergence is a result,
        not an error, and no warning is printed. Parameters set to NaN or inf in place, or
        read-only, are refused with a ValueError naming them, before anything changes.
        """
        lr = positive_number(lr, "lr")
        choice(reduction, "reduction", REDUCTIONS)
        batch, _ = self._inputs(X)
        Y = self._targets(Y, batch.shape[0], loss)
        self._check_trainable(lr, batch.shape[0], reduction)
        value = training.step(self, batch, Y, lr, loss, reduction)
        if not math.isfinite(value):
            self._check_finite_parameters()  # a NaN set in place, rather than divergence
            self._check_activations(batch)  # or a NaN from an activation of the user's
        return value

    def _check_trainable(self, lr, batch_size, reduction):
        """Refuse parameters set to NaN or inf in place, read-only ones, and a learning rate too
        small for float64 to apply.

        An inf set in place can hide behind an activation that saturates (tanh(inf) = 1, with a
        derivative of 0): the loss and the gradients stay finite, and the step would keep it.
        So the parameters of every layer before a linear output layer are checked; the output
        layer's would make the loss itself NaN or inf, which `step` then looks into.
        """
        weights, biases = self._weights._arrays, self._biases._arrays
        checked = len(weights) - (self.output_activation is identity)
        if not (
            all(p.flags.writeable for p in weights + biases)
            and all(all_finite(weights[l]) and all_finite(biases[l]) for l in range(checked))
        ):
            self._check_finite_parameters()  # the errors name the array
            self._weights.check_writeable()
            self._biases.check_writeable()
        scale = lr / batch_size if reduction == "mean" else lr  # lr times the loss's factor
        if scale < _SMALLEST_NORMAL:
            per = f" / N = {scale:.3g}" if reduction == "mean" else ""
            raise ValueError(
                f"lr={lr!r} is too small: lr{per} is below float64's normal range (2.2e-308), "
                "where a step changes no parameter and its arithmetic loses precision"
            )

    def fit(
        self,
        X,
        Y,
        lr,
        epochs,
        batch_size=None,
        loss="mse",
        seed=0,
        callback=None,
        reduction="mean",
    ):
        """(Mini-batch) gradient descent on the loss.

        Each epoch shuffles the samples (seeded) and takes one step per batch of
        `batch_size` samples (all N at once when None: plain gradient descent), with
        `bpcourse.training.step`, as `step` does.

        Parameters
        ----------
        X, Y, loss, reduction : as for `gradients` (a "sum" loss sums over each batch)
        lr : float, the learning rate eta > 0
        epochs : int
        batch_size : int or None
        seed : int, seed of the shuffling
        callback : callable(epoch, net, loss) or None, called after each epoch; what it does
            to the parameters (a shape changed, NaN or inf, a read-only array) is refused
            before the next step

        Returns
        -------
        history : array of the full-data loss, one entry per epoch, the first before any step.
            Training stops early if a step or the loss becomes non-finite or the loss grows
            beyond 1e12 times its start (a learning rate too large); then ``self.diverged_at``
            is that epoch, the history ends at the last finite loss, and the parameters are
            finite (a step that would overflow is not taken). No warning is printed.
        """
        lr = positive_number(lr, "lr")
        epochs = positive_int(epochs, "epochs", minimum=0)
        fits_in_memory(4 * (epochs + 1), "epochs", epochs)  # the history: a Python float each
        choice(reduction, "reduction", REDUCTIONS)
        batch, _ = self._inputs(X)
        n = batch.shape[0]
        Y = self._targets(Y, n, loss)
        batch_size = n if batch_size is None else positive_int(batch_size, "batch_size")
        if callback is not None:
            _check_callback(callback, self)
        rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
        self._check_finite_parameters()
        self._check_trainable(lr, min(batch_size, n), reduction)
        history = [self._loss_value(batch, Y, loss, reduction)]
        if not math.isfinite(history[0]):
            self._check_activations(batch)  # a NaN from an activation of the user's
            raise ValueError(self._infinite_start_message())
        self.diverged_at = None
        for epoch in range(1, epochs + 1):
            if batch_size >= n:
                finite = math.isfinite(training.step(self, batch, Y, lr, loss, reduction))
            else:
                order = rng.permutation(n)
                for start in range(0, n, batch_size):
                    rows = order[start : start + batch_size]
                    finite = math.isfinite(
                        training.step(self, batch[rows], Y[rows], lr, loss, reduction)
                    )
                    if not finite:
                        break  # the step was not taken: the parameters stay finite
            current = self._loss_value(batch, Y, loss, reduction)
            if not finite or not math.isfinite(current) or current > 1e12 * max(history[0], 1e-12):
                self._check_finite_parameters()  # a NaN set in place, rather than divergence
                self._check_activations(batch)  # or a NaN from an activation of the user's
                self.diverged_at = epoch
                break
            history.append(current)
            if callback is not None:
                callback(epoch, self, current)
                self._check_after_callback(epoch, lr, min(batch_size, n), reduction)
        return np.array(history)

    def _check_after_callback(self, epoch, lr, batch_size, reduction):
        """Refuse what a callback did to the parameters that the next step cannot take (a shape
        changed in place, NaN or inf, a read-only array), before any step uses them."""
        try:
            self._weights.check_shapes()
            self._biases.check_shapes()
            self._check_trainable(lr, batch_size, reduction)
        except ValueError as error:
            raise ValueError(f"after callback(epoch={epoch}, net, loss): {error}") from None

    def _infinite_start_message(self):
        """Why fit cannot start: the loss is inf before any step."""
        largest = max(float(np.max(np.abs(p), initial=0.0)) for p in self.parameters())
        diverged = (
            f"; this network diverged at epoch {self.diverged_at} of its last fit"
            if self.diverged_at is not None
            else ""
        )
        return (
            "the loss before training is inf: the network's outputs on X, or their loss against "
            "Y, are too large for float64 (above 1.8e308); rescale X and Y, or, if the weights "
            f"are too large (the largest is {largest:.3g}{diverged}), start from a new network "
            "or smaller weights"
        )


def _checked_activation_values(sigma, which, value, l):
    """`value`, computed by ``sigma.f`` or ``sigma.df`` (`which`) on finite pre-activations of
    layer l, as a float64 array, or an error naming the activation if it is not finite."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or not all_finite(array):
        bad = (
            f"{describe(value)}, not numbers"
            if array is None
            else f"{array.size - np.count_nonzero(np.isfinite(array))} NaN or infinite value(s)"
        )
        raise ValueError(
            f"the activation {sigma.name!r} of layer {l}: sigma.{which}(s) gives {bad} for "
            "finite pre-activations s; an activation must be finite wherever s is (is s "
            "outside its domain?)"
        )
    return array


def _check_callback(callback, net):
    """Refuse a callback that is not a function of (epoch, net, loss)."""
    function(callback, "callback", "(epoch, net, loss)")
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):  # some builtins do not say: let the call tell
        return
    try:
        signature.bind(1, net, 0.0)
    except TypeError:
        raise TypeError(
            f"callback must take three arguments (epoch, net, loss), got {describe(callback)} "
            f"with parameters {signature}"
        ) from None
