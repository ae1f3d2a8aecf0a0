"""The signed interaction graph of a network (networkx), and what is read from it.

An edge ``u -> v`` exists when ``u`` has an effect on ``v``'s rule.  Its ``sign`` is
read from the rule's truth table: ``"+"`` (raising ``u`` never lowers ``v``), ``"-"``
(never raises it) or ``"±"`` (both happen).  Rules too wide for a truth table
fall back to the syntactic sign (under an even or odd number of negations).

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = A")
>>> feedback_loops(net)
[FeedbackLoop(nodes=('A', 'B'), sign='-')]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import NamedTuple

import networkx as nx
import numpy as np

from . import expr as _expr
from .network import Network

__all__ = [
    "interaction_graph",
    "signed_edges",
    "feedback_loops",
    "number_of_feedback_loops",
    "FeedbackLoop",
    "SignedPath",
    "signed_paths",
    "path_sign",
]

_MAX_FUNCTIONAL_K = 16


def _syntactic_signs(expression) -> dict[str, set[str]]:
    signs: dict[str, set[str]] = {}

    def walk(e, negated: bool) -> None:
        k = _expr._kind(e)
        if k == "ATOM":
            if _expr.constant_value(e) is None:
                signs.setdefault(str(e.obj), set()).add("-" if negated else "+")
            return
        if k == "NOT":
            walk(e.args[0], not negated)
            return
        for a in e.args:
            walk(a, negated)

    walk(expression, False)
    return signs


def signed_edges(net: Network) -> list[tuple[str, str, str]]:
    """All edges ``(source, target, sign)`` in target order, then source order.

    A regulator that appears in a rule but cannot change its value gives no edge.

    Examples
    --------
    >>> signed_edges(Network.from_rules("A* = A\\nB* = (A and not B) or (not A and B)"))
    [('A', 'A', '+'), ('A', 'B', '±'), ('B', 'B', '±')]
    """
    edges = []
    for target in net.nodes:
        regs = net.regulators(target)
        if not regs:
            continue
        if len(regs) <= _MAX_FUNCTIONAL_K:
            table = _expr.truth_table(net.rules[target], regs)
            idx = np.arange(table.size)
            for j, reg in enumerate(regs):
                low = table[idx[(idx >> j) & 1 == 0]]
                high = table[idx[(idx >> j) & 1 == 1]]
                up = bool(np.any(high & ~low))
                down = bool(np.any(low & ~high))
                if up and down:
                    edges.append((reg, target, "±"))
                elif up:
                    edges.append((reg, target, "+"))
                elif down:
                    edges.append((reg, target, "-"))
        else:
            signs = _syntactic_signs(net.rules[target])
            for reg in regs:
                s = signs[reg]
                edges.append((reg, target, "±" if len(s) == 2 else next(iter(s))))
    return edges


def interaction_graph(net: Network) -> nx.DiGraph:
    """The signed interaction graph as a :class:`networkx.DiGraph`.

    Nodes carry ``description`` and ``evidence``; edges carry ``sign``.

    Examples
    --------
    >>> g = interaction_graph(Network.from_rules("A* = not B\\nB* = A"))
    >>> g.edges["B", "A"]["sign"]
    '-'
    """
    g = nx.DiGraph(name=net.name)
    for n in net.nodes:
        g.add_node(n, description=net.annotation(n, "description"), evidence=net.annotation(n, "evidence"))
    for u, v, s in signed_edges(net):
        g.add_edge(u, v, sign=s)
    return g


def path_sign(signs: Iterable[str]) -> str:
    """The sign of a path or loop: the product of its edge signs (``"±"`` if any is).

    Examples
    --------
    >>> path_sign(["+", "-", "-"]), path_sign(["+", "±"])
    ('+', '±')
    """
    negative = False
    for s in signs:
        if s == "±":
            return "±"
        negative ^= s == "-"
    return "-" if negative else "+"


class FeedbackLoop(NamedTuple):
    """A directed cycle of the interaction graph and its sign.

    ``nodes`` starts at the loop's earliest node in the network's order.

    Examples
    --------
    >>> FeedbackLoop(("A",), "+").sign
    '+'
    """

    nodes: tuple[str, ...]
    sign: str


def feedback_loops(net: Network, *, limit: int | None = 10_000, graph: nx.DiGraph | None = None,
                   max_length: int | None = None) -> list[FeedbackLoop]:
    """Elementary feedback loops with their signs, shortest first.

    An input's rule ``X* = X`` only says that it keeps its value: its self-loop is
    not a feedback loop and is not listed.

    Parameters
    ----------
    limit : int or None
        Stop after this many loops (large models have millions).
    max_length : int or None
        Only loops with at most this many nodes.

    Examples
    --------
    >>> feedback_loops(Network.from_rules("A* = A or B\\nB* = not A"))
    [FeedbackLoop(nodes=('A',), sign='+'), FeedbackLoop(nodes=('A', 'B'), sign='-')]
    >>> feedback_loops(Network.from_rules("X* = X\\nB* = X"))
    []
    """
    g = graph if graph is not None else interaction_graph(net)
    order = {n: i for i, n in enumerate(net.nodes)}
    cycles = nx.simple_cycles(g, length_bound=max_length)
    if limit is not None:
        cycles = itertools.islice(cycles, limit)
    loops = []
    inputs = set(net.inputs)
    for cyc in cycles:
        if len(cyc) == 1 and cyc[0] in inputs:
            continue
        k = min(range(len(cyc)), key=lambda i: order[cyc[i]])
        nodes = tuple(cyc[k:] + cyc[:k])
        signs = [g.edges[nodes[i], nodes[(i + 1) % len(nodes)]]["sign"] for i in range(len(nodes))]
        loops.append(FeedbackLoop(nodes, path_sign(signs)))
    loops.sort(key=lambda lp: (len(lp.nodes), [order[n] for n in lp.nodes]))
    return loops


def number_of_feedback_loops(net: Network, *, limit: int | None = 10_000) -> int:
    """How many elementary feedback loops (at most ``limit``).

    Examples
    --------
    >>> number_of_feedback_loops(Network.from_rules("A* = B\\nB* = A"))
    1
    """
    return len(feedback_loops(net, limit=limit))


class SignedPath(NamedTuple):
    """A simple path of the interaction graph and its sign.

    Examples
    --------
    >>> SignedPath(("A", "B"), "-").nodes
    ('A', 'B')
    """

    nodes: tuple[str, ...]
    sign: str


def signed_paths(net: Network, source: str, target: str, *, limit: int = 20, max_length: int = 8,
                 graph: nx.DiGraph | None = None) -> list[SignedPath]:
    """Simple paths from ``source`` to ``target`` with their signs, shortest first.

    Examples
    --------
    >>> signed_paths(Network.from_rules("A* = A\\nB* = not A\\nC* = B"), "A", "C")
    [SignedPath(nodes=('A', 'B', 'C'), sign='-')]
    """
    net.check_node(source)
    net.check_node(target)
    g = graph if graph is not None else interaction_graph(net)
    if source == target:
        return []
    out = []
    for p in itertools.islice(nx.shortest_simple_paths(g, source, target), limit) if nx.has_path(g, source, target) else ():
        if len(p) - 1 > max_length:
            break
        signs = [g.edges[p[i], p[i + 1]]["sign"] for i in range(len(p) - 1)]
        out.append(SignedPath(tuple(p), path_sign(signs)))
    return out
