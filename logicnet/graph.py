"""The signed interaction graph of a network (networkx), and what is read from it.

An edge ``u -> v`` exists when ``u`` has an effect on ``v``'s rule.  Its ``sign`` is
read from the rule's truth table: ``"+"`` (raising ``u`` never lowers ``v``), ``"-"``
(never raises it) or ``"±"`` (both happen).  Rules too wide for a truth table
fall back to the syntactic sign (under an even or odd number of negations).

Signs and feedback loops are computed without networkx or numpy (truth tables as
Python integers, loops by Johnson's algorithm), so that ``logicnet info`` starts
fast; :func:`interaction_graph` and :func:`signed_paths` load networkx.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = A")
>>> feedback_loops(net)
[FeedbackLoop(nodes=('A', 'B'), sign='-')]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from . import expr as _expr

if TYPE_CHECKING:
    import networkx as nx

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
    "Explanations",
    "candidate_targets",
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
    order = {n: i for i, n in enumerate(net.nodes)}
    for target in net.nodes:
        regs = sorted(_expr.symbols(net.rules[target]), key=order.__getitem__)  # net.regulators(target)
        if not regs:
            continue
        if len(regs) <= _MAX_FUNCTIONAL_K:
            k = len(regs)
            full = (1 << (1 << k)) - 1
            columns = [_expr.column_bits(k, j) for j in range(k)]
            table = _expr.evaluate_bits(net.rules[target], dict(zip(regs, columns)), full)
            for j, reg in enumerate(regs):
                high = table & columns[j]  # rows with reg = 1 where the rule holds
                low = (table & ~columns[j]) << (1 << j)  # rows with reg = 0, moved onto their reg = 1 twin
                up = bool(high & ~low & columns[j])
                down = bool(low & ~high & columns[j])
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
    import networkx as nx

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
    signs = list(signs)
    if "±" in signs:
        return "±"
    return "-" if signs.count("-") % 2 else "+"


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
                   max_length: int | None = None,
                   edges: list[tuple[str, str, str]] | None = None) -> list[FeedbackLoop]:
    """Elementary feedback loops with their signs, shortest first.

    An input's rule ``X* = X`` only says that it keeps its value: its self-loop is
    not a feedback loop and is not listed.

    Loops are enumerated by Johnson's algorithm (Johnson, SIAM J. Comput. 4(1), 1975;
    with ``max_length``, by depth-first search without blocking): self-loops first,
    then, for each node in network order, the loops whose earliest node it is, each
    node's regulated nodes taken in network order.  The enumeration is deterministic,
    so a ``limit`` always keeps the same loops.

    Parameters
    ----------
    limit : int or None
        Stop after this many loops (large models have millions).
    graph : networkx.DiGraph, optional
        The interaction graph, if already built (edges with a ``sign``).
    edges : list of (source, target, sign), optional
        Or its edges, as :func:`signed_edges` gives them.
    max_length : int or None
        Only loops with at most this many nodes.

    Examples
    --------
    >>> feedback_loops(Network.from_rules("A* = A or B\\nB* = not A"))
    [FeedbackLoop(nodes=('A',), sign='+'), FeedbackLoop(nodes=('A', 'B'), sign='-')]
    >>> feedback_loops(Network.from_rules("X* = X\\nB* = X"))
    []
    """
    order = {n: i for i, n in enumerate(net.nodes)}
    if edges is None:
        edges = list(graph.edges(data="sign")) if graph is not None else signed_edges(net)
    sign: list[dict[int, str]] = [{} for _ in net.nodes]  # sign[u][v]: the edge u -> v
    for u, v, sg in edges:
        sign[order[u]][order[v]] = sg
    succ = [sorted(out) for out in sign]
    inputs = set(net.inputs)
    selfloops = (
        [i] for i, n in enumerate(net.nodes) if i in succ[i] and n not in inputs
    )
    longer = _cycles(succ, max_length) if max_length is None or max_length > 1 else iter(())
    cycles: Iterator[list[int]] = itertools.chain(selfloops, longer)
    if limit is not None:
        cycles = itertools.islice(cycles, limit)
    found = sorted(cycles, key=lambda c: (len(c), c))  # each starts at its earliest node
    loops = []
    for cyc in found:
        signs = [sign[u][v] for u, v in zip(cyc, cyc[1:] + cyc[:1])]
        loops.append(FeedbackLoop(tuple(map(net.nodes.__getitem__, cyc)), path_sign(signs)))
    return loops


def _cycles(succ: list[list[int]], max_length: int | None) -> Iterator[list[int]]:
    """Elementary cycles of two or more nodes, each starting at its smallest node.

    For each start ``s`` in increasing order, the cycles through ``s`` among the
    nodes above it, within the strongly connected component of ``s`` there:
    Johnson's algorithm (iterative, with its blocking sets), or with
    ``max_length`` a depth-first search bounded in depth.
    """
    n = len(succ)
    scc = _scc_ids(succ)
    size: dict[int, int] = {}
    for c in scc:
        size[c] = size.get(c, 0) + 1
    for s in range(n):
        if size[scc[s]] < 2:  # on no cycle of two or more nodes
            continue
        comp = _component(succ, s, scc)
        if len(comp) < 2:
            continue
        adj = [[w for w in succ[v] if w in comp and w != v] if v in comp else [] for v in range(n)]
        if max_length is None:
            yield from _johnson(adj, s)
        else:
            yield from _bounded(adj, s, max_length)


def _scc_ids(succ: list[list[int]]) -> list[int]:
    """For each node, the id of its strongly connected component (Kosaraju's two passes)."""
    n = len(succ)
    pred: list[list[int]] = [[] for _ in range(n)]
    for v in range(n):
        for w in succ[v]:
            pred[w].append(v)
    finished = []  # nodes by finishing time of a depth-first search
    seen = [False] * n
    for root in range(n):
        if seen[root]:
            continue
        seen[root] = True
        stack = [(root, iter(succ[root]))]
        while stack:
            v, it = stack[-1]
            w = next(it, -1)
            if w < 0:
                stack.pop()
                finished.append(v)
            elif not seen[w]:
                seen[w] = True
                stack.append((w, iter(succ[w])))
    ids = [-1] * n
    for root in reversed(finished):
        if ids[root] >= 0:
            continue
        ids[root] = root
        todo = [root]
        while todo:
            v = todo.pop()
            for w in pred[v]:
                if ids[w] < 0:
                    ids[w] = root
                    todo.append(w)
    return ids


def _component(succ: list[list[int]], s: int, scc: list[int]) -> set[int]:
    """The strongly connected component of ``s`` among the nodes ``>= s`` (inside the
    component ``scc`` gives it in the whole graph)."""
    own = scc[s]

    def reach(start, nbrs):
        seen = {start}
        todo = [start]
        while todo:
            v = todo.pop()
            for w in nbrs[v]:
                if w >= s and scc[w] == own and w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen

    fwd = reach(s, succ)
    pred: dict[int, list[int]] = {v: [] for v in fwd}
    for v in fwd:
        for w in succ[v]:
            if w in pred:
                pred[w].append(v)
    return fwd & reach(s, pred)


def _johnson(adj: list[list[int]], s: int) -> Iterator[list[int]]:
    n = len(adj)
    path = [s]
    blocked = [False] * n
    blocked[s] = True
    closed = [False] * n  # a cycle was found through the node since it joined the path
    waiting: list[set[int]] = [set() for _ in range(n)]  # unblock these when the node is
    stack = [iter(adj[s])]
    while stack:
        w = next(stack[-1], -1)
        if w == s:
            yield path.copy()
            for v in path:
                closed[v] = True
        elif w >= 0:
            if not blocked[w]:
                path.append(w)
                stack.append(iter(adj[w]))
                closed[w] = False
                blocked[w] = True
        else:  # done with the node on top
            stack.pop()
            v = path.pop()
            if closed[v]:
                free = [v]
                while free:
                    u = free.pop()
                    if blocked[u]:
                        blocked[u] = False
                        free.extend(waiting[u])
                        waiting[u].clear()
            else:
                for w in adj[v]:
                    waiting[w].add(v)


def _bounded(adj: list[list[int]], s: int, max_length: int) -> Iterator[list[int]]:
    path = [s]
    on_path = {s}
    stack = [iter(adj[s])]
    while stack:
        w = next(stack[-1], None)
        if w is None:
            stack.pop()
            on_path.discard(path.pop())
        elif w == s:
            yield list(path)
        elif w not in on_path and len(path) < max_length:
            path.append(w)
            on_path.add(w)
            stack.append(iter(adj[w]))


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
    import networkx as nx

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


#: Feedback loops listed per explanation (``n_loops_cut`` gives how many are cut).
_MAX_LOOPS_SHOWN = 10


class Explanations:
    """Why an intervention acts on a phenotype: signed paths from its targets to the phenotype's
    nodes and the feedback loops it cuts, computed once per screen (paths once per node)."""

    def __init__(self, net: Network, phen_nodes):
        self.net = net
        self.graph = interaction_graph(net)
        self.phen_nodes = sorted(phen_nodes, key=net.nodes.index)
        self.loops = feedback_loops(net, graph=self.graph, limit=20000)
        self._paths: dict[str, list[dict]] = {}
        self._loops: dict[str, list[int]] = {}
        for i, lp in enumerate(self.loops):
            for n in lp.nodes:
                self._loops.setdefault(n, []).append(i)

    def _paths_from(self, src: str) -> list[dict]:
        if src not in self._paths:
            out = []
            for dst in self.phen_nodes:
                for p in signed_paths(self.net, src, dst, limit=3, graph=self.graph):
                    out.append({"from": src, "to": dst, "nodes": list(p.nodes), "sign": p.sign})
            self._paths[src] = out
        return self._paths[src]

    def explain(self, iv, study) -> dict:
        """The explanation of intervention ``iv`` (its ``fix`` and ``drugs``) within ``study``."""
        nodes = [n for n, _ in iv.fix]
        for d in iv.drugs:
            nodes += list(study.drug(d).targets)
        paths = [p for src in nodes for p in self._paths_from(src)]
        idx = sorted({i for n in nodes for i in self._loops.get(n, ())})
        cut = [{"nodes": list(self.loops[i].nodes), "sign": self.loops[i].sign} for i in idx[:_MAX_LOOPS_SHOWN]]
        short = [p for p in paths if p["nodes"]]
        shortest = min(short, key=lambda p: len(p["nodes"])) if short else None
        summary = ""
        if shortest:
            arrows = "".join((" -> " if i else "") + n for i, n in enumerate(shortest["nodes"]))
            summary = f"{arrows} ({shortest['sign']})"
        if cut:
            summary += f"; cuts {len(idx)} loop(s)" + (f", e.g. {'-'.join(cut[0]['nodes'])}" if cut else "")
        return {"summary": summary.strip("; "), "targets": nodes, "paths": paths, "loops_cut": cut,
                "n_loops_cut": len(idx)}


def candidate_targets(net: Network, fixed, phenotype, *, mode: str = "actionable", drugs=None) -> list[str]:
    """Candidate nodes of a screen, in network order.

    Parameters
    ----------
    mode : {"actionable", "all", "druggable"}
        ``actionable`` (the default of :func:`screen`): nodes one could act on to
        change the phenotype: not fixed by the condition, rule not constant, not a
        node of the phenotype (a pure readout), and with a path in the interaction
        graph to a node of the phenotype (others cannot change the score).
        ``all``: every node not fixed, not constant, not in the phenotype.
        ``druggable``: the drug library's targets not fixed by the condition.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A\\nC* = B\\nP* = B\\nX* = C")
    >>> candidate_targets(net, {"A": 1}, Phenotype.parse("s", "not P"))
    ['B']
    >>> candidate_targets(net, {"A": 1}, Phenotype.parse("s", "not P"), mode="all")
    ['B', 'C', 'X']
    """
    phen_nodes = _expr.symbols(phenotype.expression)
    if mode == "druggable":
        lib = {t for d in (drugs or {}).values() for t in d.targets}
        return [n for n in net.nodes if n in lib and n not in fixed]
    if mode not in ("all", "actionable"):
        from .errors import LogicnetError

        raise LogicnetError(f"unknown target set {mode!r}: use all, actionable, druggable or a list of nodes")
    cand = [n for n in net.nodes if n not in fixed and _expr.constant_value(net.rules[n]) is None
            and n not in phen_nodes]
    if mode == "all":
        return cand
    # nodes with a path to the phenotype: backward search from its nodes
    readers_of: dict[str, list[str]] = {n: [] for n in net.nodes}
    for n in net.nodes:
        for r in _expr.symbols(net.rules[n]):
            readers_of[n].append(r)  # r regulates n
    reach = set(phen_nodes)
    todo = list(phen_nodes)
    while todo:
        x = todo.pop()
        if x in fixed:
            continue  # a fixed node passes nothing on
        for r in readers_of.get(x, ()):
            if r not in reach:
                reach.add(r)
                todo.append(r)
    return [n for n in cand if n in reach]
