"""The symbolic engine: fixed points and asynchronous attractors on BDDs.

Works on :class:`~logicnet.engine.bdd.SymbolicNetwork` state sets, so the size of
the state space does not matter, only the size of the BDDs.

* :func:`count_fixed_points`: bucket elimination over the conditions ``x <-> f_x``
  (exact integer count, any size).
* :func:`async_attractors`: the terminal strongly connected components of the
  general asynchronous state graph, after :func:`logicnet.reduce.reduce_network`:
  the set of all fixed points first (their basins removed at once), then a pivot
  search (Xie and Beerel, 2000, as in AEON: Beneš et al., CAV 2021) with
  reachability by saturation (:func:`forward`, :func:`backward`) and pivots found by
  a short walk (:func:`_stable_pivot`), one combination of free inputs at a time.
  A :class:`Budget` bounds the wall-clock time and receives progress lines.

Examples
--------
>>> from logicnet import Network
>>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = A or B"))
4
"""

from __future__ import annotations

import heapq

from .. import _log
from .. import expr as _expr
from ..network import Network


__all__ = ["count_fixed_points"]


def _AND():
    from .bdd import oxidd_core

    return oxidd_core().BooleanOperator.AND


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
    # Indexes that keep each step proportional to the buckets it touches: the
    # buckets that mention a node, and the nodes whose definition reads a node.
    where: dict[str, set[int]] = {x: set() for x in rnet.nodes}
    for k, sup in supports.items():
        for y in sup:
            where[y].add(k)
    users: dict[str, set[str]] = {x: set() for x in rnet.nodes}
    for z in rnet.nodes:
        for y in defined[z]:
            users[y].add(z)

    def cost(y: str) -> int:
        return len(frozenset().union(*(supports[k] for k in where[y])))

    # Cheapest node first, ties to the first in node order; entries whose cost has
    # changed since they were pushed are skipped when they come up.
    order = {x: i for i, x in enumerate(rnet.nodes)}
    heap = [(cost(x), order[x], x) for x in left]
    heapq.heapify(heap)
    eliminated = 0
    while left:
        c, _, x = heapq.heappop(heap)
        if x not in left or c != cost(x):
            continue
        ids = sorted(where[x])
        union = frozenset().union(*(supports[k] for k in ids))
        parts = sorted((bdds.pop(k) for k in ids), key=lambda b: b.node_count())
        for k in ids:
            for y in supports.pop(k):
                where[y].discard(k)
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
        for y in supports[next_id]:
            where[y].add(next_id)
        next_id += 1
        eliminated += 1
        left.discard(x)
        for z in users[x] & left:
            if x in defined[z]:
                defined[z] = (defined[z] - {x}) | defined[x]
                for y in defined[x]:
                    users[y].add(z)
                if z in defined[z]:
                    left.discard(z)
        for y in union - {x}:
            if y in left:
                heapq.heappush(heap, (cost(y), order[y], y))
    acc = sn.true
    for p in sorted(bdds.values(), key=lambda b: b.node_count()):
        acc = acc & p
    return acc.sat_count(2 * sn.n) >> (sn.n + eliminated)


# -- asynchronous attractors ----------------------------------------------------------


#: Share of the budget (or seconds, without a budget) the set of all fixed points may take
#: before the search goes on without it.
FIXED_POINTS_SHARE = 0.2
FIXED_POINTS_SECONDS = 10.0


class Budget:
    """A wall-clock budget for a symbolic search, and where it reports progress.

    Attributes
    ----------
    seconds : float or None
        Wall-clock seconds the search may take (``None``: no limit).
    progress : callable or None
        Called with one line of text per phase (the CLI prints it on stderr).

    Examples
    --------
    >>> Budget(None).left() is None
    True
    """

    def __init__(self, seconds: float | None = None, progress=None) -> None:
        import time

        self.seconds = seconds
        self.start = time.perf_counter()
        self.progress = progress

    def left(self) -> float | None:
        """Seconds left, or ``None`` without a limit.

        Examples
        --------
        >>> Budget(10).left() > 9
        True
        """
        import time

        if self.seconds is None:
            return None
        return self.seconds - (time.perf_counter() - self.start)

    def fixed_points_give_up(self) -> bool:
        """True once the set of all fixed points has taken :data:`FIXED_POINTS_SHARE` of
        the budget (or :data:`FIXED_POINTS_SECONDS` without one).

        Examples
        --------
        >>> Budget(100).fixed_points_give_up()
        False
        """
        import time

        spent = time.perf_counter() - self.start
        limit = FIXED_POINTS_SECONDS if self.seconds is None else self.seconds * FIXED_POINTS_SHARE
        return spent > limit

    def check(self) -> None:
        """Raise :class:`_OutOfTime` when the budget is spent."""
        left = self.left()
        if left is not None and left < 0:
            raise _OutOfTime()

    def say(self, text: str) -> None:
        """Report one line of progress.

        Examples
        --------
        >>> Budget(None, progress=print).say("phase")
        phase
        """
        _log.info(__name__, text)
        if self.progress is not None:
            self.progress(text)


class _OutOfTime(Exception):
    """The budget ran out inside a symbolic search."""


def forward(sn, init, budget: Budget, within=None, nodes=None, top_first: bool = False, until=None):
    """All states reachable from ``init`` (asynchronous), by saturation.

    Variables are tried from the bottom of the BDD order up; after a step that adds
    states, the search starts again at the bottom (the order AEON's reachability
    uses): cheap steps low in the diagram run to saturation before expensive ones.
    ``nodes`` (default: every node that can change) are the nodes stepped through; with
    ``within``, :func:`movers` of ``within`` (or of a superset) is enough.  ``within``
    must be a trap set (no transition leaves it: a trap space, or a set the pivot search
    keeps forward-closed), since a node is stepped again only after a neighbour's step
    added states (:func:`_saturate`); so no step leaves it, and the steps are not
    intersected with it (only ``init`` is).
    ``top_first`` tries them from the top down instead: the faster order for the
    attractor that fills most of a large minimal trap space (bbm210: 2.9 CPU s against
    10.2; from a random state of a whole network it is the slower one).  With ``until``
    (a set of states), the search stops as soon as it reaches one of them: the set
    returned then holds one, and is part of the reachable set.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.bdd import SymbolicNetwork
    >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
    >>> sn.count(forward(sn, sn.state("00"), Budget()))
    4
    """
    start = init if within is None else init & within
    return _saturate(sn, start, budget, sn.post, nodes, top_first, until, local=True)


def backward(sn, init, budget: Budget, within=None, nodes=None):
    """All states that can reach ``init`` (asynchronous), by saturation.

    ``within``, when given, must be a trap set (every caller's is forward-closed): the
    saturation skips steps by locality as :func:`forward`'s does (see :func:`_saturate`).

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.bdd import SymbolicNetwork
    >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = A"))
    >>> sn.strings(backward(sn, sn.state("11"), Budget()))
    ['10', '11']
    """
    if within is None:
        return _saturate(sn, init, budget, sn.pre, nodes, local=True)
    inside: dict = {}  # per node: the states of within where it can change (one AND per
    # node instead of one per step)

    def step(states, x):
        if x not in inside:
            inside[x] = sn.can_change(x) & within
        return sn.pre(states, x, inside[x])

    return _saturate(sn, init & within, budget, step, nodes, local=True)


def movers(sn, within) -> tuple[str, ...]:
    """The nodes that can change somewhere in ``within``, bottom of the BDD order first:
    the only ones that give steps inside it (inside a small trap space of a large
    network, far fewer than all).

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.bdd import SymbolicNetwork
    >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = not B"))
    >>> movers(sn, sn.true)
    ('B',)
    """
    return tuple(x for x in reversed(sn.order) if (within & sn.can_change(x)) != sn.false)


def _saturate(sn, init, budget: Budget, step, nodes=None, top_first: bool = False, until=None,
              local: bool = False):
    """Saturation: each node's step in turn, back to the first after a step adds states.

    ``step(states, node)`` gives the states one step of ``node`` adds, inside the set
    searched (the whole space or a trap set: :func:`forward` and :func:`backward`).
    With ``local``, a node whose step added nothing is not tried again until a
    neighbour's step (a node it reads or that reads it) adds states.  Forward: if ``y`` is saturated on ``R`` and ``x``'s step adds ``N``, a
    state of ``N`` is ``flip_x(s)`` for ``s`` in ``R``; when neither node reads the
    other, ``y`` can change in it exactly as in ``s``, and its successor
    ``flip_x(flip_y(s))`` is ``x``'s step from ``flip_y(s)``, a state of ``R`` (inside
    a trap set with ``s``), so it is in ``R`` or ``N`` already.  Backward: a new
    predecessor ``t`` by ``y`` of ``n = flip_x(s)`` in ``N`` (``n`` steps to ``s`` in
    ``R`` by ``x``) steps by ``x`` to ``flip_y(s)`` as ``n`` does (``x`` does not read
    ``y``), a state of the trap set that steps to ``s`` by ``y`` (``y`` does not read
    ``x``), so it is in ``R``, and ``t`` is in ``R`` or ``N`` already.  Either way a
    node's own step after it added states leads back into ``R``.  Steps with and
    without it: bbm210's attractor forward 8,915 and 45,055; the basins of the fixed
    points of bbm014 and bbm025 (inputs at 0) backward 1,532 and 9,106, 1,903 and
    11,255."""
    moving = nodes if nodes is not None else [x for x in reversed(sn.order) if sn.can_change(x) != sn.false]
    if top_first:
        moving = list(reversed(moving))
    near = _neighbours(sn, moving) if local else None
    dirty = [True] * len(moving)
    reached = init
    i = 0
    while i < len(moving):
        if not dirty[i]:
            i += 1
            continue
        x = moving[i]
        new = step(reached, x)
        grown = reached | new  # BDDs are canonical: equal sets are the same node
        if grown != reached:
            reached = grown
            if near is None:
                dirty = [True] * len(moving)
            else:
                for j in near[i]:
                    dirty[j] = True
                dirty[i] = False  # flipping x again leads back into the set
            i = 0
            budget.check()
            if until is not None and (reached & until) != sn.false:
                break
        else:
            dirty[i] = False
            i += 1
    return reached


def _neighbours(sn, moving) -> list[list[int]]:
    """For each node of ``moving``, the positions in ``moving`` of the nodes it reads or
    that read it (itself left out)."""
    pos = {x: i for i, x in enumerate(moving)}
    near: list[set[int]] = [set() for _ in moving]
    for y, j in pos.items():
        for x in _expr.symbols(sn.network.rules[y]):
            i = pos.get(x)
            if i is not None and i != j:
                near[i].add(j)
                near[j].add(i)
    return [sorted(s) for s in near]


def async_attractors_symbolic(sn, universe, budget: Budget, *, limit: int | None = None,
                              split: tuple[str, ...] = (), status: dict | None = None, fixed_points=None,
                              nodes=None):
    """Terminal SCCs (asynchronous attractors) inside a forward-closed ``universe``.

    Pivot search (Xie and Beerel; as in AEON, Beneš et al.): pick a state, take its
    forward set F; the backward set of the pivot within F is its SCC; if that is
    all of F, F is an attractor, else repeat from a state of F outside the pivot's
    backward set (its forward set is strictly smaller).  After each attractor, its
    basin (backward set) is removed from the universe, which stays forward-closed.
    Fixed points are found first, all at once, and their basins removed.  Nodes in
    ``split`` must never change (free inputs): the search then takes one
    combination of their values at a time, which keeps the sets simple.  ``status``
    (a dict) is kept up to date with what is established so far: ``fixed_points``
    (all of them, once counted), ``attractors`` (found so far) and ``left`` (states
    not yet searched), for a report when the budget runs out.  ``fixed_points``, when
    given, is the set of fixed points inside ``universe`` (not computed again); ``nodes``,
    when given, the nodes that can change inside it (:func:`movers`).

    Returns
    -------
    (list of BDD, bool)
        The attractors, and whether the search was complete (``False`` when cut by
        ``limit``).

    Raises
    ------
    _OutOfTime
        When ``budget`` runs out (the caller reports what was established).

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.bdd import SymbolicNetwork
    >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = not B"))
    >>> atts, done = async_attractors_symbolic(sn, sn.true, Budget())
    >>> sorted(sn.space(a) for a in atts), done
    (['0*', '1*'], True)
    """
    found: list = []
    status = status if status is not None else {}
    fixed = fixed_points if fixed_points is not None else sn.fixed_points(give_up=budget.fixed_points_give_up)
    if fixed is None:  # too costly as one set: the pivot search finds them one by one
        budget.say("fixed points skipped as a set (too large a BDD); searching attractors one by one")
        fixed = sn.false
    else:
        fixed = fixed & universe
        status["fixed_points"] = sn.count(fixed)
    if fixed != sn.false:
        n_fixed = status["fixed_points"]
        budget.say(f"{n_fixed} fixed point(s); removing their basins")
        for code in sn.states(fixed, None if limit is None else limit + 1):
            found.append(sn.state(code))
            if limit is not None and len(found) > limit:
                return found[:limit], False
        universe = universe & ~backward(sn, fixed, budget, universe, nodes)
    while universe != sn.false:
        part = universe
        if split:  # one combination of the split nodes (they never change) at a time
            code = sn.pick(universe)
            part = universe & sn.subspace({x: (code >> sn.nodes.index(x)) & 1 for x in split})
            universe = universe & ~part
        else:
            universe = sn.false
        while part != sn.false:
            status["attractors"] = len(found)
            status["left"] = sn.count(part) + sn.count(universe)
            budget.say(f"{len(found)} attractor(s) so far; {status['left']} states left to search")
            pivot = _stable_pivot(sn, part)
            fwd = forward(sn, pivot, budget, part, nodes)
            while True:
                bwd = backward(sn, pivot, budget, fwd, nodes)
                rest = fwd & ~bwd
                if rest == sn.false:
                    break
                pivot = _stable_pivot(sn, rest)
                fwd = forward(sn, pivot, budget, rest, nodes)
            found.append(fwd)
            part = part & ~backward(sn, fwd, budget, part, nodes)
            if limit is not None and len(found) >= limit:
                return found, part == sn.false and universe == sn.false
    return found, True


def _stable_pivot(sn, states):
    """A state of the forward-closed set ``states`` reached by walking from one of its
    states: each step changes one node that can change (taken in turn), for at most
    ``2 n`` steps or until a fixed point.  A state found that way lies in an
    attractor far more often than an arbitrary one, which saves pivot rounds."""
    readers = _readers(sn)
    single = sn.state(sn.pick(states))
    movers = [x for x in sn.order if (single & sn.can_change(x)) != sn.false]
    for step in range(2 * sn.n):
        if not movers:
            break
        x = movers[step % len(movers)]
        single = sn.flip(single, x)
        moving = set(movers)
        for y in readers[x]:
            if (single & sn.can_change(y)) != sn.false:
                moving.add(y)
            else:
                moving.discard(y)
        movers = [y for y in sn.order if y in moving]
    return single


def _readers(sn) -> dict[str, tuple[str, ...]]:
    """For each node, the nodes whose rule reads it (itself included), cached on ``sn``."""
    cached = getattr(sn, "_readers_cache", None)
    if cached is None:
        out: dict[str, set[str]] = {x: {x} for x in sn.nodes}
        for y in sn.nodes:
            for x in _expr.symbols(sn.network.rules[y]):
                out[x].add(y)
        cached = {x: tuple(v) for x, v in out.items()}
        sn._readers_cache = cached
    return cached
