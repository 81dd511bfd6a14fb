"""A scalar reverse-mode automatic differentiation engine, small enough to read in one sitting.

Every arithmetic operation on `Value` objects builds a node of a computation graph that
remembers its inputs and how to pass a gradient back to them (the local chain rule).
``out.backward()`` then visits the nodes from the output back to the inputs in reverse
topological order, so that each node's gradient is complete before it is passed on:

    d out / d input = sum over the node's users of (d out / d user) * (d user / d input)

Gradients accumulate (``+=``) because a value used twice receives a contribution from each use.

A Value holds a finite real number. A number is an int, a float, a NumPy real scalar (on
either side of an operator), a Fraction, a Decimal or a sympy number; a bool, a str, a complex
number or an array is refused with a TypeError. An operation whose result is not a finite
real number (exp(1000) is too large for float64, log(0), 0 ** -1) is refused with a
ValueError naming it. ``x ** 0`` is the constant 1 for every x, 0 ** 0 included.
"""

import math

import numpy as np

from bpcourse._validate import describe, positive_number, real_number

_FLOAT_MAX = "1.8e308"


def _number(x, name):
    """`x` as a finite float, or a TypeError (not a real number) / ValueError (not finite)."""
    if isinstance(x, Value):
        raise TypeError(f"{name} must be a number, got a Value (use the Value itself)")
    return real_number(x, name)


def _result(data, op, children):
    """The float `data` computed by the operation `op` on `children`, checked finite."""
    if not math.isfinite(data):
        inputs = ", ".join(f"{child.data:.6g}" for child in children)
        raise ValueError(
            f"the result of {op!r} on {inputs} is too large for float64 (beyond +-{_FLOAT_MAX})"
        )
    return float(data)


def _power(x, k):
    """x ** k as a float, inf where it overflows (Python raises OverflowError there)."""
    try:
        return x**k
    except OverflowError:
        return math.inf


class Value:
    """A number that remembers how it was computed.

    Attributes
    ----------
    data : float, the value
    grad : float, d(output)/d(this value) after ``output.backward()``
    """

    __array_ufunc__ = None  # NumPy hands `np.float64(2) * Value(3)` to Value's own operators

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = _result(data, _op, _children) if _children else _number(data, "data")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {describe(label)}")
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # ----- operations: each builds its output and the closure that back-propagates into it ---
    def __add__(self, other):
        other = _wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError(
                "the exponent must be a number, got a Value: x ** y with y a Value is not "
                "supported; write (y * x.log()).exp() for x > 0"
            )
        k = _number(k, "the exponent")
        if k == 0:  # x ** 0 = 1 for every x, a constant: its derivative is 0
            out = Value(1.0, (self,), "**0")
            return out
        if self.data == 0 and 0 < k < 1:
            raise ValueError(f"0 ** {k:g} has no derivative at 0 (it is infinite there)")
        if self.data == 0 and k < 0:
            raise ValueError(f"0 ** {k:g} is not defined (a division by zero)")
        if self.data < 0 and k != int(k):
            raise ValueError(f"a negative number to the power {k:g} is not a real number")
        out = Value(_power(self.data, k), (self,), f"**{k:g}")

        def _backward():
            self.grad += k * _power(self.data, k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data) if self.data < 710 else math.inf, (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad  # relu'(0) = 0

        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def sin(self):
        out = Value(math.sin(self.data), (self,), "sin")

        def _backward():
            self.grad += math.cos(self.data) * out.grad  # sin' = cos

        out._backward = _backward
        return out

    def cos(self):
        out = Value(math.cos(self.data), (self,), "cos")

        def _backward():
            self.grad += -math.sin(self.data) * out.grad  # cos' = -sin

        out._backward = _backward
        return out

    def sigmoid(self):
        z = self.data
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        out = Value(p, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    # ----- the rest of Python's arithmetic, written with the operations above ----------------
    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-_wrap(other))

    def __truediv__(self, other):
        other = _wrap(other)
        if other.data == 0:
            raise ZeroDivisionError("division of a Value by zero")
        return self * other**-1

    def __rpow__(self, base):
        raise TypeError(
            f"a number to the power of a Value is not supported (got {describe(base)} ** a "
            "Value); write (x * math.log(base)).exp() for base > 0"
        )

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _wrap(other) - self

    def __rtruediv__(self, other):
        return _wrap(other) / self

    # ----- reverse mode ------------------------------------------------------------------------
    def backward(self):
        """Set ``.grad`` of every node the output depends on to d(self)/d(node).

        The graph is walked with an explicit stack, not by recursion, so a graph of any depth
        (a sum of a million terms) works.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
        for node in order:
            if not math.isfinite(node.grad):
                name = f"{node.label}=" if node.label else ""
                raise ValueError(
                    f"the gradient of the output with respect to Value({name}{node.data:.6g}) "
                    f"is too large for float64 (beyond +-{_FLOAT_MAX})"
                )


def topological_order(root):
    """The nodes below `root`, each after all of its inputs (root last).

    A depth-first walk that visits a node's inputs in order, then appends the node. It keeps
    the path from `root` in an explicit stack of (node, its inputs not visited yet) rather
    than recursing, so the depth of a graph is not limited by Python's recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {describe(root)}")
    order, seen, stack = [], {id(root)}, [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        child = next(inputs, None)
        if child is None:  # every input of node is in order: node comes next
            stack.pop()
            order.append(node)
        elif id(child) not in seen:
            seen.add(id(child))
            stack.append((child, iter(child._prev)))
    return order


def _wrap(x):
    """A number becomes a constant Value; a Value passes through."""
    if isinstance(x, Value):
        return x
    try:
        return Value(real_number(x, "x"))
    except TypeError:
        raise TypeError(f"a Value combines with numbers or Values, got {_what(x)}") from None
    except ValueError:
        raise ValueError(f"a Value combines with finite numbers, got {_what(x)}") from None


def _what(x):
    """`x` for a message, its type first: "str '2'", "list [1.0]", "float nan"."""
    text = describe(x)
    if x is None or isinstance(x, np.ndarray) or text.startswith(type(x).__name__):
        return text
    return f"{type(x).__name__} {text}"


def nodes_and_edges(root):
    """The graph below `root`: the list of its nodes and the list of (input, output) edges.

    Nodes come in depth-first order from `root`, each node's inputs in order; an explicit
    stack replaces recursion, so a graph of any depth works.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {describe(root)}")
    nodes, edges, seen, stack = [root], [], {id(root)}, [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        child = next(inputs, None)
        if child is None:
            stack.pop()
            continue
        edges.append((child, node))
        if id(child) not in seen:
            seen.add(id(child))
            nodes.append(child)
            stack.append((child, iter(child._prev)))
    return nodes, edges


def draw(root, ax=None, show_grad=True, fontsize=12):
    """Draw the computation graph of `root` with matplotlib: inputs on the left, output right.

    Each node shows its label (if any), its operation, its value and, with `show_grad`, its
    gradient (call ``root.backward()`` first). An input sits one column before the first
    operation that uses it. No graphviz binary is needed.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value (draw takes the output), got {describe(root)}")
    if ax is not None and not hasattr(ax, "annotate"):
        raise TypeError(f"ax must be matplotlib Axes or None, got {describe(ax)}")
    if not isinstance(show_grad, (bool, np.bool_)):
        raise TypeError(f"show_grad must be True or False, got {describe(show_grad)}")
    fontsize = positive_number(fontsize, "fontsize")
    nodes, edges = nodes_and_edges(root)
    depth = {}  # an operation's column: one more than its deepest input's
    for node in topological_order(root):  # inputs first, so their columns are known
        depth[id(node)] = 1 + max((depth[id(c)] for c in node._prev), default=-1)
    first_use = {}  # inputs move right, next to their first user
    for child, user in edges:
        if not child._prev:
            first_use[id(child)] = min(first_use.get(id(child), math.inf), depth[id(user)])
    for leaf, column in first_use.items():
        depth[leaf] = column - 1
    columns = {}
    for node in nodes:
        columns.setdefault(depth[id(node)], []).append(node)
    position = {}
    for c, members in columns.items():
        for r, node in enumerate(members):
            position[id(node)] = (c, -(r - (len(members) - 1) / 2))
    if ax is None:
        n_cols, n_rows = max(columns) + 1, max(len(m) for m in columns.values())
        _, ax = plt.subplots(figsize=(max(6, 2.2 * n_cols), max(2.5, 1.3 * n_rows)))
    boxes = {}
    for node in nodes:
        x, y = position[id(node)]
        head = " ".join(t for t in (node.label, node._op and f"[{node._op}]") if t)
        text = f"{head}\n{node.data:.4g}" if head else f"{node.data:.4g}"
        if show_grad:
            text += f"\ngrad {node.grad:.4g}"
        boxes[id(node)] = ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            bbox={"boxstyle": "round", "fc": "#e8f0fb" if node._prev else "#fdf1dc", "ec": "0.4"},
        )
    for child, node in edges:  # arrows from box edge to box edge, so every head shows
        ax.annotate(
            "",
            xy=position[id(node)],
            xytext=position[id(child)],
            arrowprops={
                "arrowstyle": "-|>",
                "color": "0.35",
                "shrinkA": 1,
                "shrinkB": 1,
                "patchA": boxes[id(child)].get_bbox_patch(),
                "patchB": boxes[id(node)].get_bbox_patch(),
            },
        )
    ax.set_xlim(-0.6, max(columns) + 0.6)
    rows = [p[1] for p in position.values()]
    ax.set_ylim(min(rows) - 0.7, max(rows) + 0.7)
    ax.axis("off")
    return ax
