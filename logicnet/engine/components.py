"""Connected and strongly connected components for the engines' inner loops.

The engines split networks into components (fixed points and attractor counts multiply
over weakly connected components) and look for negative cycles strongly connected
component by component, hundreds of times per run on the succession diagram's
networks.  They work on plain adjacency mappings: importing networkx alone takes
about 0.2 s of CPU, more than most engine runs on the published models, and its
graphs cost more per call than these loops.  :mod:`logicnet.graph` (user-facing graph
analysis: loops, paths, layouts) uses networkx.

Examples
--------
>>> strongly_connected({"A": ["B"], "B": ["A"], "C": ["A"]})
[['A', 'B'], ['C']]
>>> weakly_connected(["A", "B", "C", "D"], [("A", "B"), ("C", "C")])
[['A', 'B'], ['C'], ['D']]
>>> feedback_vertex_set({"A": ["B"], "B": ["A", "C"], "C": []})
(['A'], ['B', 'C'])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from heapq import heappop, heappush

__all__ = ["strongly_connected", "weakly_connected", "network_components", "feedback_vertex_set"]


def strongly_connected(succ: Mapping[Hashable, Iterable[Hashable]]) -> list[list]:
    """The strongly connected components of the digraph ``succ`` (``{node: successors}``;
    every successor is a key), by Tarjan's algorithm without recursion (Tarjan 1972,
    SIAM J. Comput. 1:146).

    Returns
    -------
    list of list
        Each component in the order its nodes come in ``succ``; components ordered by
        their first node in ``succ``.

    Examples
    --------
    >>> strongly_connected({1: [2], 2: [3], 3: [1, 4], 4: []})
    [[1, 2, 3], [4]]
    """
    order = {v: i for i, v in enumerate(succ)}
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found: list[list] = []
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    found.append(sorted(comp, key=order.__getitem__))
    found.sort(key=lambda c: order[c[0]])
    return found


def weakly_connected(nodes: Sequence[Hashable], edges: Iterable[tuple[Hashable, Hashable]]) -> list[list]:
    """The connected components of the graph on ``nodes`` with ``edges`` (directions
    ignored; every end a node), by union-find.

    Returns
    -------
    list of list
        Each component in the order of ``nodes``; components ordered by their first node.

    Examples
    --------
    >>> weakly_connected("ABC", [("C", "A")])
    [['A', 'C'], ['B']]
    """
    parent = {v: v for v in nodes}

    def root(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for u, v in edges:
        ru, rv = root(u), root(v)
        if ru != rv:
            parent[rv] = ru
    groups: dict = {}
    for v in nodes:
        groups.setdefault(root(v), []).append(v)
    return list(groups.values())


def network_components(net) -> list[list[str]]:
    """The weakly connected components of the interaction graph of ``net`` (a
    :class:`~logicnet.network.Network`: an edge from every node a rule reads to its
    node), as :func:`weakly_connected` gives them.

    Examples
    --------
    >>> from logicnet import Network
    >>> network_components(Network.from_rules("A* = B\\nB* = A\\nC* = not C"))
    [['A', 'B'], ['C']]
    """
    from .. import expr as _expr

    return weakly_connected(net.nodes, [(x, y) for y in net.nodes for x in _expr.symbols(net.rules[y])])


def feedback_vertex_set(succ: Mapping[Hashable, Iterable[Hashable]]) -> tuple[list, list]:
    """A feedback vertex set of the digraph ``succ`` (``{node: successors}``; every
    successor is a key), and the other nodes in topological order.

    Greedy, as in Levy and Low ("A contraction algorithm for finding small cycle
    cutsets", J. Algorithms 9, 1988) without the merging step: nodes with no
    predecessor or no successor left are removed (they lie on no cycle); when none is
    left, the node with the most predecessors times successors (a self-loop first; ties
    by the order of ``succ``) joins the set and is removed.  Small, not always
    minimum (that is NP-hard).  Every cycle, self-loops included, meets the set.

    Returns
    -------
    (list, list)
        The set, in the order the nodes were chosen; the rest, each after every node
        of the rest it has an edge from.

    Examples
    --------
    >>> feedback_vertex_set({1: [1], 2: [3], 3: [2, 4], 4: []})
    ([1, 2], [3, 4])
    """
    order = {v: i for i, v in enumerate(succ)}
    out = {v: set(ws) for v, ws in succ.items()}
    pred: dict = {v: set() for v in succ}
    for v, ws in out.items():
        for w in ws:
            pred[w].add(v)
    alive = set(succ)
    touched = list(succ)
    heap: list = []

    def score(v):
        return (-(v in out[v]), -len(pred[v]) * len(out[v]), order[v], v)

    def remove(v) -> None:
        alive.discard(v)
        for w in out[v] - {v}:
            pred[w].discard(v)
            touched.append(w)
        for u in pred[v] - {v}:
            out[u].discard(v)
            touched.append(u)

    chosen: list = []
    while alive:
        while touched:
            v = touched.pop()
            if v in alive and (not pred[v] or not out[v]):
                remove(v)
            elif v in alive:
                heappush(heap, score(v))
        if not alive:
            break
        entry = heappop(heap)
        v = entry[-1]
        if v in alive and entry == score(v):  # not stale: degrees unchanged since pushed
            chosen.append(v)
            remove(v)
    keep = set(succ).difference(chosen)
    rest = [v for v in succ if v in keep]
    waiting = dict.fromkeys(rest, 0)
    for v in rest:
        for w in set(succ[v]):
            if w in keep:
                waiting[w] += 1
    ready = [v for v in reversed(rest) if not waiting[v]]
    ordered: list = []
    while ready:
        v = ready.pop()
        ordered.append(v)
        for w in set(succ[v]):
            if w in keep:
                waiting[w] -= 1
                if not waiting[w]:
                    ready.append(w)
    return chosen, ordered
