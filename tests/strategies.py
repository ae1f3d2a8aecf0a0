"""Hypothesis strategies: small random Boolean networks with constants, inputs and fixed nodes."""

from __future__ import annotations

from hypothesis import strategies as st

from logicnet import Network
from logicnet.expr import ALGEBRA, FALSE, TRUE, symbol


def _expression(draw, regs):
    """A random expression tree over ``regs`` (each used at least once)."""
    leaves = [symbol(r) for r in regs]
    draw(st.randoms(use_true_random=False)).shuffle(leaves)
    leaves = [ALGEBRA.NOT(x) if draw(st.booleans()) else x for x in leaves]
    while len(leaves) > 1:
        i = draw(st.integers(0, len(leaves) - 2))
        op = ALGEBRA.AND if draw(st.booleans()) else ALGEBRA.OR
        node = op(leaves[i], leaves[i + 1])
        if draw(st.integers(0, 4)) == 0:
            node = ALGEBRA.NOT(node)
        leaves[i:i + 2] = [node]
    return leaves[0]


#: Names as published BooleanNet models write them (characters .bnet and SBML ids lack).
ODD_NAMES = ("C-Myc", "Ca2+c", "H+ATPase", "ins-18", "4EBP1", "14-3-3", "a.b", "C_Myc", "_4EBP1", "x-")


@st.composite
def networks(draw, max_nodes: int = 8, min_nodes: int = 1, max_k: int = 4, odd_names: bool = False):
    """Random networks: each node is an input, a constant, or a rule over 1..max_k regulators.

    ``odd_names`` mixes in names with ``- + .`` and leading digits (and the names a
    sanitizer would produce from them, to provoke collisions)."""
    n = draw(st.integers(min_nodes, max_nodes))
    names = [f"x{i}" for i in range(n)]
    if odd_names:
        pool = list(ODD_NAMES)
        draw(st.randoms(use_true_random=False)).shuffle(pool)
        k = draw(st.integers(0, min(n, len(pool))))
        names[:k] = pool[:k]
    rules = {}
    for name in names:
        kind = draw(st.integers(0, 9))
        if kind == 0:
            rules[name] = symbol(name)  # input
        elif kind == 1:
            rules[name] = TRUE if draw(st.booleans()) else FALSE
        else:
            k = draw(st.integers(1, min(max_k, n)))
            regs = draw(st.lists(st.sampled_from(names), min_size=k, max_size=k, unique=True))
            rules[name] = _expression(draw, regs)
    return Network(tuple(names), rules)


@st.composite
def fixes(draw, net: Network, max_size: int = 3):
    """A random assignment {node: 0/1} for a few nodes of ``net``."""
    nodes = draw(st.lists(st.sampled_from(net.nodes), max_size=max_size, unique=True))
    return {n: draw(st.integers(0, 1)) for n in nodes}


def random_bnet_lines(n: int, k: int, seed: int) -> list[str]:
    """A random network as .bnet lines: K regulators per node, random truth tables (DNF)."""
    import random

    r = random.Random(seed)
    names = [f"v{i}" for i in range(n)]
    lines = []
    for name in names:
        regs = r.sample(names, k)
        rows = [i for i in range(1 << k) if r.random() < 0.5] or [0]
        lines.append(f"{name}, " + " | ".join(
            "(" + " & ".join(regs[j] if (row >> j) & 1 else "!" + regs[j] for j in range(k)) + ")" for row in rows))
    return lines
