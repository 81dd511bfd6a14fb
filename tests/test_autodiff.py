import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from bpcourse.autodiff import Value, draw, nodes_and_edges

UNARY = ["tanh", "sigmoid", "exp", "relu", "square", "neg", "sin", "cos"]
BINARY = ["+", "-", "*", "/"]


def build(tree, leaves_v, leaves_s):
    """Evaluate one random expression tree twice: with Value and with sympy."""
    kind = tree[0]
    if kind == "leaf":
        return leaves_v[tree[1]], leaves_s[tree[1]]
    if kind == "const":
        return Value(tree[1]), sympy.Float(tree[1])
    if kind in UNARY:
        v, s = build(tree[1], leaves_v, leaves_s)
        return {
            "tanh": (v.tanh(), sympy.tanh(s)),
            "sigmoid": (v.sigmoid(), 1 / (1 + sympy.exp(-s))),
            "exp": (v.exp(), sympy.exp(s)),
            "relu": (v.relu(), sympy.Max(s, 0)),
            "square": (v**2, s**2),
            "neg": (-v, -s),
            "sin": (v.sin(), sympy.sin(s)),
            "cos": (v.cos(), sympy.cos(s)),
        }[kind]
    (va, sa), (vb, sb) = build(tree[1], leaves_v, leaves_s), build(tree[2], leaves_v, leaves_s)
    if kind == "/":
        return va / (vb * vb + 1), sa / (sb * sb + 1)  # keep the denominator away from 0
    return {"+": (va + vb, sa + sb), "-": (va - vb, sa - sb), "*": (va * vb, sa * sb)}[kind]


leaf = st.one_of(
    st.tuples(st.just("leaf"), st.integers(0, 2)),
    st.tuples(st.just("const"), st.floats(-2, 2).map(lambda c: round(c, 3))),
)
trees = st.recursive(
    leaf,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(UNARY), sub),
        st.tuples(st.sampled_from(BINARY), sub, sub),
    ),
    max_leaves=6,
)


@given(tree=trees, point=st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_gradients_agree_with_sympy_on_random_expressions(tree, point):
    symbols = sympy.symbols("a b c")
    values = [Value(p) for p in point]
    out, expr = build(tree, values, symbols)
    if any(isinstance(a, sympy.Max) for a in sympy.preorder_traversal(expr)):
        # relu: stay away from its kink, where the derivative is a convention
        inner = [a.args for a in sympy.preorder_traversal(expr) if isinstance(a, sympy.Max)]
        subs = dict(zip(symbols, point))
        if any(abs(float(arg.subs(subs))) < 1e-6 for args in inner for arg in args):
            return
    out.backward()
    subs = dict(zip(symbols, point))
    assert out.data == pytest.approx(float(expr.subs(subs)), rel=1e-9, abs=1e-12)
    for v, sym in zip(values, symbols):
        exact = float(sympy.diff(expr, sym).subs(subs).evalf())
        assert v.grad == pytest.approx(exact, rel=1e-8, abs=1e-10)


def test_udlbook_toy_network_needs_one_backward_call():
    # udlbook's toy network f = beta3 + omega3 cos(beta2 + omega2 exp(beta1 + omega1 sin(beta0
    # + omega0 x))), at its published parameters, differentiated once against sympy.
    names = "beta0 omega0 beta1 omega1 beta2 omega2 beta3 omega3"
    point = dict(zip(names.split(), [1.0, 1.0, 2.0, -1.0, 0.0, 1.0, 0.5, 2.0]))
    x_data = 2.3
    b0, w0, b1, w1, b2, w2, b3, w3 = syms = sympy.symbols(names)
    expr = b3 + w3 * sympy.cos(b2 + w2 * sympy.exp(b1 + w1 * sympy.sin(b0 + w0 * x_data)))
    v = {name: Value(value, label=name) for name, value in point.items()}
    f = (
        v["beta3"]
        + v["omega3"]
        * (
            v["beta2"]
            + v["omega2"]
            * (v["beta1"] + v["omega1"] * (v["beta0"] + v["omega0"] * x_data).sin()).exp()
        ).cos()
    )
    f.backward()
    subs = {sym: point[str(sym)] for sym in syms}
    assert f.data == pytest.approx(float(expr.subs(subs)), rel=1e-12)
    for sym in syms:
        exact = float(sympy.diff(expr, sym).subs(subs))
        assert v[str(sym)].grad == pytest.approx(exact, rel=1e-12, abs=1e-14)


def test_shared_subexpressions_accumulate_gradients():
    x = Value(3.0)
    y = x * x + x  # x is used three times
    y.backward()
    assert x.grad == 2 * 3.0 + 1


def test_numbers_on_either_side():
    x = Value(2.0)
    y = 1 + x * 3 - 4 / x + (x - 1) / 2 + 5 - x
    y.backward()
    assert y.data == pytest.approx(1 + 6 - 2 + 0.5 + 5 - 2)
    assert x.grad == pytest.approx(3 + 4 / 4 + 0.5 - 1)


def test_backward_twice_gives_the_same_gradients():
    x = Value(0.7)
    y = (x * x).tanh()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first == pytest.approx(2 * 0.7 * (1 - math.tanh(0.49) ** 2))


def test_log_and_sigmoid_and_relu_kink_convention():
    x = Value(2.0)
    y = x.log() + x.sigmoid()
    y.backward()
    s = 1 / (1 + math.exp(-2))
    assert x.grad == pytest.approx(0.5 + s * (1 - s))
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0


def test_bad_operands_are_refused_with_a_message():
    with pytest.raises(TypeError, match="a Value combines with numbers or Values, got str"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="the exponent must be a number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="log needs a positive number, got -1"):
        Value(-1.0).log()
    with pytest.raises(TypeError, match="data must be a number, got list"):
        Value([1.0])


def test_graph_has_every_node_and_edge_and_draws():
    import matplotlib

    matplotlib.use("Agg")
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    d.backward()
    nodes, edges = nodes_and_edges(d)
    assert {id(n) for n in nodes} == {id(a), id(b), id(c), id(d)}
    assert len(edges) == 4
    ax = draw(d)
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("a\n1") and "grad 3" in t for t in texts)  # dd/da = b + 1 = 3
    assert np.isclose(a.grad, 3.0)
