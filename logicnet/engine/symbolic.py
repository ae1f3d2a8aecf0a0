"""The symbolic engine: fixed points and asynchronous attractors on BDDs.

Works on :class:`~logicnet.engine.bdd.SymbolicNetwork` state sets, so the size of
the state space does not matter, only the size of the BDDs.

Examples
--------
>>> from logicnet import Network
>>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = A or B"))
4
"""

from __future__ import annotations

import logging

from .. import expr as _expr
from ..network import Network

logger = logging.getLogger(__name__)

__all__ = ["count_fixed_points"]


def _AND():
    from oxidd.util import BooleanOperator

    return BooleanOperator.AND


def count_fixed_points(net: Network) -> int:
    """The exact number of fixed points, by BDDs with early quantification.

    The network is reduced (fixed nodes, constants, outputs: each is determined in
    a fixed point, so the count is unchanged).  The conditions ``x <-> f_x`` are
    then conjoined bucket by bucket: a node ``x`` whose rule does not read ``x``
    is determined by the others in every fixed point, so once every condition
    that mentions ``x`` is conjoined, ``x`` is quantified away without changing
    the count (cheapest node first: the one whose bucket mentions the fewest
    nodes).  Substituting ``x`` may make another node depend on itself; that node
    is then kept, as are nodes that read themselves; inputs are free.  This is the
    bucket elimination of constraint satisfaction, on BDDs.

    Returns
    -------
    int
        Exact, of any size.

    Examples
    --------
    >>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = not C"))
    0
    >>> count_fixed_points(Network.from_rules("A* = B\\nB* = A\\nC* = C\\nD* = A and C"))
    4
    """
    from ..reduce import reduce_network
    from .bdd import SymbolicNetwork

    red = reduce_network(net, propagate=True, prune_outputs=True)
    rnet = red.network
    if rnet.n_nodes == 0:
        return 1
    sn = SymbolicNetwork(rnet)
    supports: dict[int, frozenset[str]] = {}
    bdds: dict[int, object] = {}
    for i, x in enumerate(rnet.nodes):
        if rnet.rules[x] == _expr.symbol(x):
            continue  # an input: any value is fixed
        bdds[i] = ~sn.can_change(x)
        supports[i] = _expr.symbols(rnet.rules[x]) | {x}
    next_id = rnet.n_nodes
    # What each node's value is a function of, once the nodes eliminated so far are
    # substituted; a node that comes to depend on itself is no longer determined.
    defined = {x: _expr.symbols(rnet.rules[x]) for x in rnet.nodes}
    left = {x for x in rnet.nodes if x not in defined[x]}
    eliminated = 0
    while left:
        best = None
        for x in sorted(left, key=rnet.index):
            ids = [k for k, s in supports.items() if x in s]
            union = frozenset().union(*(supports[k] for k in ids))
            if best is None or len(union) < best[0]:
                best = (len(union), x, ids, union)
        _, x, ids, union = best
        parts = sorted((bdds.pop(k) for k in ids), key=lambda b: b.node_count())
        for k in ids:
            del supports[k]
        acc = parts[0]
        for p in parts[1:-1]:
            acc = acc & p
        if len(parts) > 1:
            acc = acc.apply_exists(_AND(), parts[-1], sn.literal(x))
        else:
            acc = sn.exists(acc, [x])
        if acc == sn.false:
            return 0
        bdds[next_id] = acc
        supports[next_id] = union - {x}
        next_id += 1
        eliminated += 1
        left.discard(x)
        for z in list(left):
            if x in defined[z]:
                defined[z] = (defined[z] - {x}) | defined[x]
                if z in defined[z]:
                    left.discard(z)
    acc = sn.true
    for p in sorted(bdds.values(), key=lambda b: b.node_count()):
        acc = acc & p
    return acc.sat_count(2 * sn.n) >> (sn.n + eliminated)
