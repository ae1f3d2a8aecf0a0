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
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

__all__ = ["strongly_connected", "weakly_connected", "network_components"]


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
