"""A scalar reverse-mode automatic differentiation engine, small enough to read in one sitting.

Every arithmetic operation on `Value` objects builds a node of a computation graph that
remembers its inputs and how to pass a gradient back to them (the local chain rule).
``out.backward()`` then visits the nodes from the output back to the inputs in reverse
topological order, so that each node's gradient is complete before it is passed on:

    d out / d input = sum over the node's users of (d out / d user) * (d user / d input)

Gradients accumulate (``+=``) because a value used twice receives a contribution from each use.
"""

import math


class Value:
    """A number that remembers how it was computed.

    Attributes
    ----------
    data : float, the value
    grad : float, d(output)/d(this value) after ``output.backward()``
    """

    def __init__(self, data, _children=(), _op="", label=""):
        if isinstance(data, Value):
            raise TypeError("data must be a number, got a Value (use the Value itself)")
        try:
            self.data = float(data)
        except (TypeError, ValueError):
            raise TypeError(f"data must be a number, got {type(data).__name__}") from None
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
        if isinstance(k, Value) or not isinstance(k, (int, float)):
            raise TypeError(f"the exponent must be a number (int or float), got {type(k).__name__}")
        if self.data == 0 and k < 1:
            raise ValueError(f"0 ** {k} has no derivative at 0")
        if self.data < 0 and k != int(k):
            raise ValueError(f"a negative number to the power {k} is not a real number")
        out = Value(self.data**k, (self,), f"**{k:g}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

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
        """Set ``.grad`` of every node the output depends on to d(self)/d(node)."""
        order, seen = [], set()

        def visit(node):  # topological order: a node comes after all of its inputs
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def _wrap(x):
    """A number becomes a constant Value; a Value passes through."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"a Value combines with numbers or Values, got {type(x).__name__}")
    return Value(x)


def nodes_and_edges(root):
    """The graph below `root`: the list of its nodes and the list of (input, output) edges."""
    nodes, edges, seen = [], [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
            for child in node._prev:
                edges.append((child, node))
                visit(child)

    visit(root)
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
        raise TypeError(f"draw takes a Value, got {type(root).__name__}")
    nodes, edges = nodes_and_edges(root)
    depth = {}  # an operation's column: one more than its deepest input's

    def column(node):
        if id(node) not in depth:
            depth[id(node)] = 1 + max((column(c) for c in node._prev), default=-1)
        return depth[id(node)]

    for node in nodes:
        column(node)
    for leaf in (n for n in nodes if not n._prev):  # inputs move right, next to their first user
        users = [depth[id(user)] for child, user in edges if child is leaf]
        if users:
            depth[id(leaf)] = min(users) - 1
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
