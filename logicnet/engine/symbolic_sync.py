"""Synchronous attractors and exact basins on BDDs, for networks too large to enumerate.

Under synchronous update every state has exactly one successor, so the state space
splits into basins: the basin of a cycle is the set of states whose trajectory
enters it, the backward closure of the cycle under the synchronous preimage.
The search peels the state space basin by basin:

1. pick any state not yet in a known basin and follow its trajectory (concrete
   steps, no truth tables) until a state repeats: that closes a new cycle, because
   a trajectory that entered a known basin would have started in it;
2. its basin is the backward closure of the cycle: ``B = C``, then
   ``B |= preimage(frontier)`` until nothing new is added, where the preimage is a
   functional composition of the set with the update functions
   (:meth:`~logicnet.engine.bdd.SymbolicNetwork.preimage`; no transition relation);
3. remove the basin from the states left; stop when none is left.

Every state of the space ends in exactly one basin, so the cycles found are all the
attractors and their basins are exact; sizes are exact integers (model counting).
Basins are computed in the space where every fixed node holds its value (the
network is reduced without constant propagation, as the explicit engine does) and
scaled by the pruned outputs, so they equal the explicit engine's.

Each backward closure runs within a budget (seconds and BDD nodes).  When a
closure does not fit, the search carries on without basins: it starts again on the
network reduced with constant propagation, where the peeled sets are smaller, and
reports ``basin=None`` with a note.  When even that does not fit, the search stops
with :class:`~logicnet.errors.ResourceLimitError`.

BoolNet's ``sat.exhaustive`` (Dubrova and Teslenko, "A SAT-based algorithm for
finding attractors in synchronous Boolean networks", IEEE/ACM TCBB 8(5), 2011)
unrolls the transition relation in a SAT solver instead; it finds the same
attractors but no basins.  A monolithic transition relation (for a BDD image) was
measured too large for the published models (7.8 million BDD nodes for T-LGL,
bbm014, inputs at 0), while the peeling needs only compositions.

Examples
--------
>>> from logicnet import Network
>>> res = symbolic_sync_attractors(Network.from_rules("A* = not B\\nB* = A\\nC* = C"))
>>> [(c.size, c.space, c.basin) for c in res.cycles]
[(4, '**0', 4), (4, '**1', 4)]
>>> res.strings(res.cycles[0])
['000', '100', '110', '010']
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import expr as _expr
from .._bits import codes_to_matrix, matrix_to_codes
from ..errors import ResourceLimitError
from ..network import Network

logger = logging.getLogger(__name__)

__all__ = ["SyncCycle", "SymbolicSyncResult", "symbolic_sync_attractors", "DEFAULT_MAX_STATES"]

#: Cycles with more states than this are described by size and subspace only.
DEFAULT_MAX_STATES = 1000
#: A trajectory longer than this without a repeated state stops the search.
MAX_WALK = 1_000_000


@dataclass(frozen=True)
class SyncCycle:
    """One synchronous attractor (a cycle; a fixed point is a cycle of one state).

    Attributes
    ----------
    states : tuple of int or None
        State codes over the full network's nodes (bit ``i`` = ``nodes[i]``) in
        trajectory order, starting from the smallest state string; ``None`` for a
        cycle of more than ``max_states`` states.
    size : int
        Number of states (exact).
    space : str
        Smallest subspace holding the cycle: ``'0'``, ``'1'`` or ``'*'`` per node.
    basin : int or None
        States (among those where every fixed node holds its value) whose
        trajectory enters the cycle, itself included; ``None`` if not computed.

    Examples
    --------
    >>> SyncCycle((1,), 1, "10", 2).kind
    'fixed'
    """

    states: tuple[int, ...] | None
    size: int
    space: str
    basin: int | None = None

    @property
    def kind(self) -> str:
        """``"fixed"`` for one state, else ``"cycle"``.

        Examples
        --------
        >>> SyncCycle(None, 12, "**1", None).kind
        'cycle'
        """
        return "fixed" if self.size == 1 else "cycle"


@dataclass(frozen=True)
class SymbolicSyncResult:
    """All synchronous attractors of a network (fixed nodes held), from the BDD engine.

    Attributes
    ----------
    nodes : tuple of str
        The network's nodes (state order).
    cycles : tuple of SyncCycle
        Sorted by their smallest state string.
    n_states : int
        States of the basin space: ``2 ** (number of non-fixed nodes)``.
    notes : tuple of str
        Plain sentences: what was not computed, and why.
    complete : bool
        False when the search stopped at ``limit``.
    matrices : tuple
        For each cycle whose states are not listed, its states as a boolean matrix
        (rows in trajectory order, columns = nodes); ``None`` for listed ones.

    Examples
    --------
    >>> res = symbolic_sync_attractors(Network.from_rules("A* = A"))
    >>> len(res), res.n_states
    (2, 2)
    """

    nodes: tuple[str, ...]
    cycles: tuple[SyncCycle, ...]
    n_states: int
    notes: tuple[str, ...] = field(default=())
    complete: bool = True
    matrices: tuple = field(default=(), repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.cycles)

    def strings(self, cycle: SyncCycle) -> list[str] | None:
        """A cycle's states as '0'/'1' strings (node order), or ``None`` if not listed.

        Examples
        --------
        >>> res = symbolic_sync_attractors(Network.from_rules("A* = not A"))
        >>> res.strings(res.cycles[0])
        ['0', '1']
        """
        if cycle.states is None:
            return None
        n = len(self.nodes)
        return ["".join("1" if (c >> i) & 1 else "0" for i in range(n)) for c in cycle.states]


def _compile_step(net: Network) -> Callable[[int], int]:
    """The synchronous successor of one state code, by closures over the rules (no eval)."""

    def build(e) -> Callable[[int], int]:
        k = _expr._kind(e)
        if k == "ATOM":
            c = _expr.constant_value(e)
            if c is not None:
                return (lambda s: 1) if c else (lambda s: 0)
            bit = net.index(str(e.obj))
            return lambda s: (s >> bit) & 1
        if k == "NOT":
            g = build(e.args[0])
            return lambda s: 1 - g(s)
        parts = tuple(build(a) for a in e.args)
        if k == "AND":
            return lambda s: 1 if all(p(s) for p in parts) else 0
        return lambda s: 1 if any(p(s) for p in parts) else 0

    funcs = [(1 << i, build(net.rules[x])) for i, x in enumerate(net.nodes)]

    def step(s: int) -> int:
        out = 0
        for bit, f in funcs:
            if f(s):
                out |= bit
        return out

    return step


class _OverBudget(Exception):
    pass


def _peel(sn, step: Callable[[int], int], *, deadline: float | None, max_nodes: int | None, max_walk: int,
          limit: int | None = None, stop: float | None = None, progress=None):
    """Cycles (codes in trajectory order) and basins (BDDs) of the reduced network ``sn``.

    ``deadline``/``max_nodes`` bound the basins (:class:`_OverBudget`), ``stop`` the
    whole search (:class:`~logicnet.errors.ResourceLimitError`); ``limit`` cuts it.
    """
    rest = sn.true
    found: list[tuple[list[int], object]] = []
    total = 1 << sn.n
    while not sn.is_empty(rest) and (limit is None or len(found) < limit):
        s = sn.pick(rest)
        seen: dict[int, int] = {}
        path: list[int] = []
        while s not in seen:
            if len(path) >= max_walk:
                raise ResourceLimitError(
                    f"a synchronous trajectory ran {max_walk:,} steps without repeating a state; "
                    "the symbolic engine does not resolve cycles that long")
            seen[s] = len(path)
            path.append(s)
            s = step(s)
        cycle = path[seen[s]:]
        basin = sn.false
        for c in cycle:
            basin = basin | sn.state(c)
        frontier = basin
        while True:
            new = sn.preimage(frontier) & ~basin
            if sn.is_empty(new):
                break
            basin = basin | new
            frontier = new
            now = time.perf_counter()
            if stop is not None and now > stop:
                left = sn.count(rest)
                raise ResourceLimitError(
                    f"the synchronous search stopped at its time limit with {len(found)} attractor(s) found and "
                    f"{left:,} of {total:,} reduced states not yet assigned to a basin; raise the timeout")
            if deadline is not None and now > deadline:
                raise _OverBudget("time")
            if max_nodes is not None and sn.size(basin) > max_nodes:
                raise _OverBudget("nodes")
        found.append((cycle, basin))
        rest = rest & ~basin
        logger.info("synchronous attractor %d: %d states", len(found), len(cycle))
        if progress is not None:
            progress(f"synchronous attractor {len(found)} ({len(cycle)} states); "
                     f"{sn.count(rest):,} of {total:,} reduced states left")
    return found, sn.is_empty(rest)


def symbolic_sync_attractors(net: Network, *, basins: bool = True, max_states: int = DEFAULT_MAX_STATES,
                             max_seconds: float | None = None, max_nodes: int | None = None,
                             reduce: bool = True, max_walk: int = MAX_WALK, limit: int | None = None,
                             timeout: float | None = None, progress=None) -> SymbolicSyncResult:
    """All synchronous attractors (cycles) with exact basins, on BDDs.

    Parameters
    ----------
    net : Network
        Fixed nodes (constant rules: inputs fixed, knockouts) hold their value; free
        inputs are ordinary variables that keep their value.
    basins : bool
        Compute basin sizes.  ``False`` searches the network reduced with constant
        propagation (smaller sets, faster) and leaves ``basin`` as ``None``.
    max_states : int
        Cycles of more states are given by ``size`` and ``space``, ``states=None``.
    max_seconds, max_nodes : float or int, optional
        Budget for the basin computation (wall seconds from the call, and BDD nodes
        of one basin); over budget, attractors are still searched, without basins,
        and a note says so.
    reduce : bool
        Prune outputs before the search (basins are scaled back exactly).
    max_walk : int
        Longest trajectory followed before giving up.
    limit : int, optional
        Stop after this many attractors (``complete`` is then False; which ones are
        found first is deterministic but not otherwise specified).
    timeout : float, optional
        Seconds the whole search may take (basins included).
    progress : callable, optional
        Called with one line of text after each attractor.

    Returns
    -------
    SymbolicSyncResult

    Raises
    ------
    ResourceLimitError
        A trajectory longer than ``max_walk`` without a repeated state, BDDs
        outgrowing the engine's node table, or the search over ``timeout``.

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A and not C\\nC* = B")
    >>> [(r.states, r.basin) for r in symbolic_sync_attractors(net).cycles]
    [((0,), 4), ((1, 3, 7, 5), 4)]
    """
    from ..reduce import reduce_network
    from .bdd import SymbolicNetwork

    t0 = time.perf_counter()
    n_free = net.n_nodes - len(net.constants)
    notes: list[str] = []
    deadline = None if max_seconds is None else t0 + max_seconds
    stop = None if timeout is None else t0 + timeout
    kw = dict(max_walk=max_walk, limit=limit, stop=stop, progress=progress)
    found = None
    if basins:
        red = reduce_network(net, propagate=False, prune_outputs=reduce)
        sn = SymbolicNetwork(red.network)
        try:
            found, complete = _peel(sn, _compile_step(red.network), deadline=deadline, max_nodes=max_nodes, **kw)
        except _OverBudget as why:
            what = (f"{max_seconds:g} s" if str(why) == "time" else f"{max_nodes:,} BDD nodes per basin")
            notes.append(f"basins not computed: the backward closures did not fit in the budget ({what}); "
                         "attractors are exact")
            del sn
    if found is None:
        red = reduce_network(net, propagate=reduce, prune_outputs=reduce)
        sn = SymbolicNetwork(red.network)
        found, complete = _peel(sn, _compile_step(red.network), deadline=None, max_nodes=None, **kw)
        keep_basins = False
    else:
        keep_basins = True
    factor = red.lift.basin_factor
    m = red.network.n_nodes
    cycles = []
    for cycle, basin in found:
        mat = red.lift.lift_matrix(codes_to_matrix(cycle, m), update="synchronous")
        cycles.append(_cycle(mat, sn.count(basin) * factor if keep_basins else None, max_states))
    cycles.sort(key=lambda c: c[0])
    logger.info("symbolic synchronous search: %d attractors in %.3f s", len(cycles), time.perf_counter() - t0)
    if not complete:
        notes.append(f"stopped after {len(cycles)} attractors (limit)")
    return SymbolicSyncResult(net.nodes, tuple(c for _, c, _ in cycles), 1 << n_free, tuple(notes), complete,
                              tuple(mat if c.states is None else None for _, c, mat in cycles))


def _cycle(mat: np.ndarray, basin: int | None, max_states: int) -> tuple[str, SyncCycle, np.ndarray]:
    """Rotate a lifted cycle to start at its smallest state string; its subspace and sort key."""
    strings = ["".join("1" if v else "0" for v in row) for row in mat]
    k = min(range(len(strings)), key=strings.__getitem__)
    mat = np.concatenate([mat[k:], mat[:k]])
    space = "".join("1" if col.all() else ("0" if not col.any() else "*") for col in mat.T)
    size = mat.shape[0]
    states = tuple(int(c) for c in matrix_to_codes(mat)) if size <= max_states else None
    return strings[k], SyncCycle(states, size, space, basin), mat
