"""Asynchronous attractors of small networks, with state sets as Python integers.

A set of states of an ``n``-variable network is one integer of ``2**n`` bits (bit
``s`` set: state ``s`` is in the set; bit ``i`` of ``s`` is the value of the
``i``-th node).  The update functions become such sets through their truth tables
(:func:`logicnet.expr.evaluate_bits`), a transition of node ``i`` is a shift by
``2**i`` bits, and the terminal strongly connected components are found as the
symbolic engine finds them (:mod:`logicnet.engine.symbolic`: the fixed points and
their basins first, then the pivot search of Xie and Beerel, 2000, as in AEON:
Beneš et al., CAV 2021), with the sets as bit vectors instead of BDDs.

Every state is represented, so this is an explicit-state search; it needs neither
numpy, numba nor a BDD library, which makes it the fastest way to answer for a
few variables, where loading those libraries takes longer than the search
(:data:`MAX_VARIABLES`).

Examples
--------
>>> from logicnet import Network
>>> bn = BitsetNetwork(Network.from_rules("A* = not B\\nB* = A\\nC* = C"))
>>> [bn.strings(a) for a in async_attractors(bn)]
[['000', '010', '100', '110'], ['001', '011', '101', '111']]
"""

from __future__ import annotations

from .. import expr as _expr
from ..network import Network

__all__ = ["BitsetNetwork", "async_attractors", "attractors_within", "MAX_VARIABLES"]

#: Variables up to which this engine searches (sets of 2^19 bits: 64 KB): at most a few
#: tens of milliseconds on the published models with inputs fixed.  ``"auto"`` takes it
#: up to a smaller size, where it is faster than the BDD search
#: (:data:`logicnet.engine.AUTO_MAX_VARIABLES`).
MAX_VARIABLES = 19


class BitsetNetwork:
    """The asynchronous dynamics of a network, over sets of states stored as integers.

    Parameters
    ----------
    net : Network
        Every symbol of every rule is a node of ``net`` (fixed nodes are constant
        rules); at most a few tens of nodes (a set takes ``2**n_nodes`` bits).

    Examples
    --------
    >>> bn = BitsetNetwork(Network.from_rules("A* = A\\nB* = A"))
    >>> bn.strings(bn.fixed_points())
    ['00', '11']
    """

    def __init__(self, net: Network) -> None:
        n = net.n_nodes
        self.network = net
        self.nodes = net.nodes
        self.n = n
        self.full = (1 << (1 << n)) - 1
        self.columns = [_expr.column_bits(n, j) for j in range(n)]
        cols = dict(zip(net.nodes, self.columns))
        #: States where node i can go up (is 0, its rule says 1), and down.
        self.up: list[int] = []
        self.down: list[int] = []
        for j, x in enumerate(net.nodes):
            f = _expr.evaluate_bits(net.rules[x], cols, self.full)
            self.up.append(f & ~self.columns[j])
            self.down.append(self.columns[j] & ~f & self.full)
        self.moving = [j for j in range(n) if self.up[j] | self.down[j]]

    def expression(self, e) -> int:
        """The states where expression ``e`` (over the network's nodes) holds."""
        return _expr.evaluate_bits(e, dict(zip(self.nodes, self.columns)), self.full)

    def fixed_points(self) -> int:
        """The states no node can leave."""
        moves = 0
        for j in self.moving:
            moves |= self.up[j] | self.down[j]
        return self.full & ~moves

    def post(self, states: int, j: int) -> int:
        """The states reached from ``states`` by one change of node ``j``."""
        d = 1 << j
        return ((states & self.up[j]) << d) | ((states & self.down[j]) >> d)

    def pre(self, states: int, j: int) -> int:
        """The states that reach ``states`` by one change of node ``j``."""
        d = 1 << j
        return ((states >> d) & self.up[j]) | ((states << d) & self.down[j])

    def forward(self, init: int, within: int) -> int:
        """Every state of ``within`` reachable from ``init`` (saturation, node by node)."""
        return self._saturate(init, within, self.post)

    def backward(self, init: int, within: int) -> int:
        """Every state of ``within`` that can reach ``init``."""
        return self._saturate(init, within, self.pre)

    def _saturate(self, reached: int, within: int, step) -> int:
        # Each node in turn, until a round over all of them adds nothing (measured
        # faster here than restarting from the first node after each step that adds).
        moving = self.moving
        while True:
            before = reached
            for j in moving:
                reached |= step(reached, j) & within
            if reached == before:
                return reached

    def space(self, states: int) -> str:
        """The smallest subspace holding the (non-empty) set: '0', '1' or '*' per node."""
        return "".join("0" if not states & c else ("1" if not states & ~c else "*") for c in self.columns)

    def codes(self, states: int) -> list[int]:
        """The states of a set, as codes (bit ``i`` = ``i``-th node), in increasing order."""
        out = []
        while states:
            low = states & -states
            out.append(low.bit_length() - 1)
            states ^= low
        return out

    def strings(self, states: int) -> list[str]:
        """The states of a set as '0'/'1' strings (node order), sorted."""
        n = self.n
        return sorted("".join("1" if (s >> i) & 1 else "0" for i in range(n)) for s in self.codes(states))


def async_attractors(bn: BitsetNetwork) -> list[int]:
    """The asynchronous attractors (terminal strongly connected components), as state sets.

    The fixed points come first (each its own attractor) and their basins are removed;
    in what is left, a pivot's forward set is an attractor when the pivot can be reached
    back from all of it; otherwise the part that cannot reach the pivot back (again
    closed under the dynamics) is searched with a new pivot.  The basin of each
    attractor found is removed before the next pivot.

    Returns
    -------
    list of int
        One set per attractor, sorted by the set's smallest state string.

    Examples
    --------
    >>> bn = BitsetNetwork(Network.from_rules("A* = A or B\\nB* = not A"))
    >>> [bn.strings(a) for a in async_attractors(bn)]
    [['10']]
    """
    found = []
    fixed = bn.fixed_points()
    left = bn.full
    if fixed:
        found += [1 << s for s in bn.codes(fixed)]
        left &= ~bn.backward(fixed, left)
    found += attractors_within(bn, left)
    return sorted(found, key=lambda a: _smallest(bn, a))


def attractors_within(bn: BitsetNetwork, region: int) -> list[int]:
    """The attractors inside a set closed under the dynamics (``region``), by the pivot search
    of :func:`async_attractors`, in the order found.

    Examples
    --------
    >>> bn = BitsetNetwork(Network.from_rules("A* = A or B\\nB* = not A"))
    >>> [bn.strings(a) for a in attractors_within(bn, bn.full)]
    [['10']]
    """
    found = []
    left = region
    while left:
        pivot = left & -left
        fwd = bn.forward(pivot, left)
        while True:
            rest = fwd & ~bn.backward(pivot, fwd)
            if not rest:
                break
            pivot = rest & -rest
            fwd = bn.forward(pivot, rest)
        found.append(fwd)
        left &= ~bn.backward(fwd, left)
    return found


def _smallest(bn: BitsetNetwork, states: int) -> str:
    """The smallest state string ('0' before '1', node 0 first) of a non-empty set."""
    if not states & (states - 1):  # one state
        s = states.bit_length() - 1
        return "".join("1" if (s >> i) & 1 else "0" for i in range(bn.n))
    out = []
    for c in bn.columns:
        if states & ~c:
            states &= ~c
            out.append("0")
        else:
            out.append("1")
    return "".join(out)


class _StateSets:
    """Phenotype shares of attractors whose states are not listed (kept as state sets)."""

    def __init__(self, bn: BitsetNetwork, constants, sets: list[int]):
        self.bn = bn
        self.constants = constants
        self.sets = sets

    def share(self, i: int, expression) -> float:
        from fractions import Fraction

        states = self.sets[i]
        holds = self.bn.expression(_expr.substitute(expression, self.constants))
        return float(Fraction((states & holds).bit_count(), states.bit_count()))


class BitsetEngine:
    """Asynchronous attractors with state sets as Python integers (no numba, numpy or
    BDD library to load).  ``cost``: the variables left after constant propagation
    (outputs are kept, so the answer needs no lift beyond the constants); at most
    :data:`MAX_VARIABLES`.

    Examples
    --------
    >>> from logicnet.engine import Question
    >>> q = Question(Network.from_rules("A* = not B\\nB* = A\\nC* = True"), "asynchronous", max_states=2)
    >>> [(a.size, a.subspace) for a in BitsetEngine().attractors(q).attractors]
    [(4, '**1')]
    """

    def cost(self, q) -> int | None:
        if q.update != "asynchronous" or q.task != "attractors":
            return None
        m = q.reduced(propagate=True, prune_outputs=False).network.n_nodes
        return m if m <= MAX_VARIABLES else None

    def attractors(self, q):
        import time

        from ..progress import task
        from .contract import Attractor, Found

        t0 = time.perf_counter()
        net = q.network
        red = q.reduced(propagate=True, prune_outputs=False)
        with task(f"asynchronous search: terminal components over 2^{red.network.n_nodes} states"):
            bn = BitsetNetwork(red.network)
            sets = async_attractors(bn)
        const = dict(red.lift.constants)
        base = sum(1 << i for i, x in enumerate(net.nodes) if const.get(x))
        where = [net.nodes.index(x) for x in red.network.nodes]
        atts = []
        for a in sets:
            size = a.bit_count()
            if size <= q.max_states:
                codes = []
                for s in bn.codes(a):
                    c = base
                    for j, i in enumerate(where):
                        if (s >> j) & 1:
                            c |= 1 << i
                    codes.append(c)
                codes.sort(key=lambda c: [(c >> i) & 1 for i in range(net.n_nodes)])
                atts.append(Attractor(tuple(codes), "fixed" if size == 1 else "complex", n_nodes=net.n_nodes))
            else:
                sub = dict(zip(red.network.nodes, bn.space(a)))
                sub.update({x: str(v) for x, v in const.items()})
                atts.append(Attractor(None, "complex", n_states=size, subspace="".join(sub[x] for x in net.nodes),
                                      n_nodes=net.n_nodes))
        complete = q.limit is None or len(atts) <= q.limit
        if not complete:
            atts, sets = atts[:q.limit], sets[:q.limit]
        q.add_time("attractors", time.perf_counter() - t0)
        return Found(tuple(atts), complete=complete, shares=_StateSets(bn, const, sets))

    def score(self, q, pt):  # pragma: no cover - cost() is None for scores
        raise NotImplementedError
