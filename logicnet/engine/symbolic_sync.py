"""Synchronous attractors of large networks (SAT), with exact basins on BDDs.

Under synchronous update every state has exactly one successor, so the attractors
are cycles and the state space splits into their basins.  Nothing here enumerates
the state space and nothing builds a truth table, so neither the number of
variables nor the width of a rule is limited.

Attractors: with at most :data:`MAX_INPUT_SPLIT` free inputs, each combination of
their values is searched apart (an input keeps its value, and fixing it lets the
constants propagate; inputs the reduction leaves are split in turn).  Over a time
limit, the search refuses as soon as the fastest combination so far, repeated for
every one left, would end past it.  Each search is the SAT-based one of Dubrova and
Teslenko ("A SAT-based algorithm for finding attractors in synchronous Boolean
networks", IEEE/ACM TCBB 8(5), 2011; BoolNet's ``sat.exhaustive``), on the network
reduced with constant propagation:

0. follow trajectories from pseudo-random states (fixed seed), a cheap way to find
   most cycles, until many in a row (:data:`HARVEST`, or twice the number of cycles
   found) find nothing new; then add every fixed point (SAT,
   :func:`~logicnet.engine.fixedpoints.sat_fixed_points`): fixed points with small
   basins are what the walks miss, and step 1 finds each only after ``k`` has grown;
1. unroll ``k`` synchronous steps into clauses (``s[t+1] = F(s[t])``, Tseitin
   variables for the rules) and forbid every state of the cycles found so far at
   every step; solve them with clasp (clingo's solver, as a SAT solver, multi-shot:
   a new cycle is forbidden in the same solver, which keeps what it learnt; 3x
   faster than picosat on bbm277, and stopped at the time limit);
2. unsatisfiable: every ``k``-step path meets a known cycle, so there is no other
   cycle (a cycle not yet found would give such a path) and the search is complete;
3. satisfiable: follow the trajectory of the first state concretely (closures over
   the rules, no truth tables) until a state repeats, which closes a new cycle, or
   the trajectory enters a known cycle, which means transients are longer than
   ``k``: double ``k``.

Basins: the basin of a cycle is its backward closure under the synchronous
preimage, ``B = C`` then ``B |= preimage(frontier)`` until nothing is added, on BDDs
(:class:`~logicnet.engine.bdd.SymbolicNetwork`; the preimage is a functional
composition, no transition relation), counted exactly.  They are computed on the
network reduced without constant propagation, so they count states where every
fixed node holds its value (as the explicit engine does), scaled back by the
pruned outputs.  The closures advance one step at a time, the smallest BDD first,
and the basin left unfinished last is what the others leave (:func:`sync_basins`;
the screen's synchronous scores use the same function).  The closures run
within a budget (seconds, BDD nodes); over it, basins are ``None`` with a note.

Measured on the published models with 35-247 variables, inputs fixed
(``bench/bench_sync_symbolic.py``, see bench/README.md): a first version found the
attractors by the same backward closures (peeling the state space basin by basin)
and was 2-40x slower than this search, and never finished on AGS cell fate
(bbm148, 83 variables) where this answers in seconds; an image computation needs
a transition relation of 7.8 million BDD nodes already for T-LGL (bbm014).

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

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import _log
from .. import expr as _expr
from .._bits import codes_to_matrix, matrix_to_codes
from ..errors import ResourceLimitError
from ..network import Network


__all__ = ["SyncCycle", "SymbolicSyncResult", "symbolic_sync_attractors", "sync_basins", "DEFAULT_MAX_STATES"]

#: Cycles with more states than this are described by size and subspace only.
DEFAULT_MAX_STATES = 1000
#: A trajectory longer than this without a repeated state stops the search.
MAX_WALK = 1_000_000
#: Trajectories from random states before the SAT calls: stop after this many (or twice
#: the number of cycles found) in a row find no new cycle, or after MAX_HARVEST in all.
HARVEST = 32
MAX_HARVEST = 200_000
#: Capacity (BDD nodes) of the node table for the basins: beyond it, no basins.
BASIN_TABLE = 1 << 24
#: With at most this many free inputs (after reduction), search each combination apart.
MAX_INPUT_SPLIT = 10


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


def _unroll(net: Network, k: int):
    """CNF of ``k`` synchronous steps: variable ``t * n + i + 1`` is node ``i`` at step ``t``."""
    from .fixedpoints import _CNF, _tseitin

    n = net.n_nodes
    cnf = _CNF(n * (k + 1))
    for t in range(k):
        var_of = {x: t * n + i + 1 for i, x in enumerate(net.nodes)}
        for i, x in enumerate(net.nodes):
            lit = _tseitin(net.rules[x], var_of, cnf)
            y = (t + 1) * n + i + 1
            cnf.clauses.append((-y, lit))
            cnf.clauses.append((y, -lit))
    return cnf


class _Unrolled:
    """``k`` synchronous steps unrolled into clauses for clasp (clingo's solver, used as
    a SAT solver: one choice atom per variable, one integrity constraint per clause),
    with every state of the known cycles forbidden at every step.  New cycles are
    forbidden in the same solver (multi-shot), which keeps what it learnt."""

    def __init__(self, net: Network, k: int, known) -> None:
        import clingo

        self.n, self.k = net.n_nodes, k
        cnf = _unroll(net, k)
        self.ctl = clingo.Control(["--models=1", "-W", "none"])
        with self.ctl.backend() as b:
            self.atoms = [b.add_atom() for _ in range(cnf.n_vars)]
            b.add_rule(self.atoms, choice=True)
            for clause in cnf.clauses:
                b.add_rule([], self._body(clause))
        self.block(known)

    def _body(self, clause) -> list[int]:
        return [-self.atoms[v - 1] if v > 0 else self.atoms[-v - 1] for v in clause]

    def block(self, states) -> None:
        with self.ctl.backend() as b:
            for a in states:
                for t in range(self.k + 1):
                    b.add_rule([], self._body(_block(a, t, self.n)))

    def first_state(self, stop: float | None, found: int) -> int | None:
        """The first state of a ``k``-step path avoiding every known cycle, or ``None``
        if there is none; stopped at ``stop`` (a ``time.perf_counter`` time)."""
        out: list[int] = []
        first = self.atoms[:self.n]

        def on_model(model) -> None:
            out.append(sum(1 << i for i, a in enumerate(first) if model.is_true(a)))

        with self.ctl.solve(on_model=on_model, async_=True) as handle:
            # Short waits: the solver runs in its own thread, and the caller's
            # interruption (Ctrl-C, SIGTERM) is handled between them.
            while not handle.wait(0.5):
                if stop is not None and time.perf_counter() > stop:
                    handle.cancel()
                    raise ResourceLimitError(
                        f"the synchronous search stopped at its time limit with {found} attractor(s) found "
                        f"(while proving that no path of {self.k} steps avoids them); raise the timeout",
                        advice=("more time", "fix inputs"))
            handle.get()
        return out[0] if out else None


def _sat_cycles(net: Network, *, max_walk: int, limit: int | None, stop: float | None,
                progress=None) -> tuple[list[list[int]], bool]:
    """Every cycle of ``net`` (codes in trajectory order): walks, fixed points by SAT,
    then the unrolled search."""
    from .fixedpoints import sat_fixed_points

    n = net.n_nodes
    step = _compile_step(net)
    if n == 0:
        return [[0]], True
    known: set[int] = set()
    cycles: list[list[int]] = []
    # Cheap first: trajectories from pseudo-random states (fixed seed) until HARVEST
    # of them, and twice as many as cycles found, in a row find nothing new; the SAT
    # calls then find the rest.
    rng = random.Random(0)
    idle = walks = 0
    if progress is not None:
        progress("walking from random states to collect attractors")
    while (idle < max(HARVEST, 2 * len(cycles)) and walks < MAX_HARVEST
           and (limit is None or len(cycles) < limit)):
        walks += 1
        cycle = _walk(rng.getrandbits(n), step, known, max_walk)
        if cycle is None:
            idle += 1
            continue
        idle = 0
        cycles.append(cycle)
        known.update(cycle)
        if progress is not None:
            progress(f"walking from random states: {len(cycles)} attractor(s) found")
    # Fixed points with small basins are what walks miss most, and the unrolled search
    # finds each only after k has grown; they are all found at once by SAT.
    if limit is None or len(cycles) < limit:
        fixed, _ = sat_fixed_points(net, limit=None if limit is None else limit + len(known))
        for code in matrix_to_codes(fixed) if len(fixed) else ():
            if code not in known and (limit is None or len(cycles) < limit):
                cycles.append([code])
                known.add(code)
    if progress is not None:
        progress(f"SAT search for attractors the walks missed ({len(cycles)} found so far)")
    k = 1
    solver = _Unrolled(net, k, sorted(known))
    while limit is None or len(cycles) < limit:
        first = solver.first_state(stop, len(cycles))
        if first is None:
            return cycles, True
        cycle = _walk(first, step, known, max_walk)
        if cycle is None:  # the trajectory ends in a known cycle: transients are longer than k
            k *= 2
            solver = _Unrolled(net, k, sorted(known))
            continue
        cycles.append(cycle)
        known.update(cycle)
        solver.block(cycle)
        _log.info(__name__, "synchronous attractor %d: %d states", len(cycles), len(cycle))
        if progress is not None:
            progress(f"synchronous attractor {len(cycles)} ({len(cycle)} states)")
    return cycles, False


def _by_inputs(net: Network, *, reduce: bool, max_walk: int, limit: int | None, stop: float | None,
               progress=None) -> tuple[list[list[int]], bool]:
    """Cycles of ``net``, one input combination at a time when it has few free inputs.

    A free input keeps its value, so every cycle lies in one combination; fixing it
    lets the reduction propagate constants and leaves a much smaller search.
    """
    from ..reduce import reduce_network

    inputs = net.inputs
    if not reduce or not inputs or len(inputs) > MAX_INPUT_SPLIT:
        return _sat_cycles(net, max_walk=max_walk, limit=limit, stop=stop, progress=progress)
    from ..progress import task

    # the solver loads before the first combination is timed
    import clingo  # noqa: F401

    found: list[list[int]] = []
    n = net.n_nodes
    total = 1 << len(inputs)
    fastest = None
    with task(f"synchronous search: {total:,} input combinations", total=total) as t:
        for combo in range(total):
            left = None if limit is None else limit - len(found)
            if left == 0:
                return found, False
            now = time.perf_counter()
            if combo:
                fastest = now - began if fastest is None else min(fastest, now - began)
                if limit is None:
                    _check_pace(fastest, combo, total, now, stop, len(found))
            began = now
            if progress is not None:
                progress(f"input combination {combo + 1:,} of {total:,}: {len(found)} attractors so far")
            sub = net.fix({x: (combo >> j) & 1 for j, x in enumerate(inputs)})
            red = reduce_network(sub, propagate=True, prune_outputs=True)
            # fixing inputs may leave new ones (nodes whose rule became their own value)
            cycles, complete = _by_inputs(red.network, reduce=True, max_walk=max_walk, limit=left, stop=stop)
            for c in cycles:
                mat = red.lift.lift_matrix(codes_to_matrix(c, red.network.n_nodes), update="synchronous")
                found.append(matrix_to_codes(mat) if n else [0] * mat.shape[0])
            t.advance()
            if not complete:
                return found, False
    return found, True


def _check_pace(fastest: float, done: int, total: int, now: float, stop: float | None, found: int) -> None:
    """Refuse to go on when even the fastest input combination so far, repeated for
    every one left, would end past ``stop``: the estimate is stated, with what helps."""
    if stop is None:
        return
    need = fastest * (total - done)
    if now + need > stop:
        raise ResourceLimitError(
            f"the synchronous search covers {total:,} input combinations; at the pace of the {done:,} searched so "
            f"far (the fastest took {fastest:.1f} s, {found} attractor(s) found), the {total - done:,} left would "
            f"take at least {need:,.0f} s, past its time limit ({max(0.0, stop - now):,.0f} s left); fix inputs to "
            "search fewer combinations, give it more time, or ask for the first attractors",
            advice=("fix inputs", "more time", "first ones"))


def _walk(s: int, step: Callable[[int], int], known: set[int], max_walk: int) -> list[int] | None:
    """The new cycle the trajectory of ``s`` closes, or ``None`` if it enters a known one."""
    seen: dict[int, int] = {}
    path: list[int] = []
    while s not in seen and s not in known:
        if len(path) >= max_walk:
            raise ResourceLimitError(
                f"a synchronous trajectory ran {max_walk:,} steps without repeating a state; "
                "the symbolic engine does not resolve cycles that long")
        seen[s] = len(path)
        path.append(s)
        s = step(s)
    return None if s in known else path[seen[s]:]


def _block(state: int, t: int, n: int) -> tuple[int, ...]:
    """Clause: the state at step ``t`` is not ``state``."""
    return tuple(-(t * n + i + 1) if (state >> i) & 1 else t * n + i + 1 for i in range(n))


def _basins(net: Network, cycles: list[np.ndarray], red, *, deadline: float | None,
            max_nodes: int | None, stop: float | None) -> list[int]:
    """Exact basin sizes of the lifted cycles (full-network matrices), by backward closures on
    ``red``, the network reduced without constant propagation."""
    from .bdd import SymbolicNetwork, node_capacity

    try:
        return _closures(SymbolicNetwork(red.network, max_nodes=min(BASIN_TABLE, node_capacity())), red, net, cycles,
                         deadline=deadline, max_nodes=max_nodes, stop=stop)
    except ResourceLimitError as err:
        if "node table" not in str(err):
            raise
        raise _OverBudget("table") from None


def _closures(sn, red, net: Network, cycles: list[np.ndarray], *, deadline: float | None,
              max_nodes: int | None, stop: float | None) -> list[int]:
    if deadline is not None and time.perf_counter() > deadline:
        raise _OverBudget("time")
    cols = [net.index(x) for x in red.network.nodes]
    seeds = []
    for mat in cycles:
        seed = sn.false
        for code in matrix_to_codes(mat[:, cols]):
            seed = seed | sn.state(code)
        seeds.append(seed)

    def check(basin, done: int) -> None:
        now = time.perf_counter()
        if stop is not None and now > stop:
            raise ResourceLimitError("the synchronous search stopped at its time limit while computing "
                                     f"basins ({done} of {len(cycles)} done); raise the timeout")
        if deadline is not None and now > deadline:
            raise _OverBudget("time")
        if max_nodes is not None and sn.size(basin) > max_nodes:
            raise _OverBudget("nodes")

    return [sn.count(b) * red.lift.basin_factor for b in sync_basins(sn, seeds, check=check)]


def sync_basins(sn, seeds: list, *, check: Callable | None = None) -> list:
    """Basins of disjoint sets of cycles under the synchronous map (BDDs in, BDDs out).

    Each seed must be a union of whole cycles, the seeds disjoint and, together,
    holding every cycle of ``sn``'s network: the basins then partition the state
    space.  Each basin is a backward closure that takes the preimage of the states
    added last only (``B |= pre(frontier) - B``); the closures advance one step at a
    time, the one whose basin has the fewest BDD nodes first, and the one left
    unfinished when all others are is the complement of their union, never computed.
    So a large basin with a large BDD (often the one of the phenotype's main
    attractor) costs nothing when the others are small.

    Parameters
    ----------
    sn : SymbolicNetwork
    seeds : list of BDD
    check : callable, optional
        ``check(basin, n_done)`` after every step, to stop over a budget by raising.

    Returns
    -------
    list of BDD
        One basin per seed, in the seeds' order.

    Examples
    --------
    >>> from .bdd import SymbolicNetwork
    >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = A and not C\\nC* = B"))
    >>> [sn.count(b) for b in sync_basins(sn, [sn.state(0), sn.state(1) | sn.state(3) | sn.state(7) | sn.state(5)])]
    [4, 4]
    """
    basins = list(seeds)
    frontier = list(seeds)
    todo = set(range(len(seeds)))
    while len(todo) > 1:
        i = min(todo, key=lambda j: (sn.size(basins[j]), j))
        new = sn.preimage(frontier[i]) & ~basins[i]
        if sn.is_empty(new):
            todo.discard(i)
            continue
        basins[i] = basins[i] | new
        frontier[i] = new
        if check is not None:
            check(basins[i], len(seeds) - len(todo))
    if todo:
        last = todo.pop()
        rest = sn.true
        for j, b in enumerate(basins):
            if j != last:
                rest = rest & ~b
        basins[last] = rest
    return basins


def symbolic_sync_attractors(net: Network, *, basins: bool = True, max_states: int = DEFAULT_MAX_STATES,
                             max_seconds: float | None = None, max_nodes: int | None = None,
                             reduce: bool = True, max_walk: int = MAX_WALK, limit: int | None = None,
                             timeout: float | None = None, progress=None, reduced=None) -> SymbolicSyncResult:
    """All synchronous attractors (cycles), by SAT, with exact basins on BDDs.

    Parameters
    ----------
    net : Network
        Fixed nodes (constant rules: inputs fixed, knockouts) hold their value; free
        inputs are ordinary variables that keep their value.
    basins : bool
        Compute basin sizes (``False``: ``basin`` is ``None``).
    max_states : int
        Cycles of more states are given by ``size`` and ``space``, ``states=None``.
    max_seconds, max_nodes : float or int, optional
        Budget for the basins (wall seconds from the call, and BDD nodes of one
        basin); over budget, the attractors come without basins and a note says so.
    reduce : bool
        Reduce the network first (constants propagated for the attractors, outputs
        pruned; basins are scaled back exactly).
    reduced : callable, optional
        ``reduced(propagate=..., prune_outputs=...)``: the caller's reductions of ``net``
        (:meth:`logicnet.engine.Question.reduced`), when it has them.
    max_walk : int
        Longest trajectory followed before giving up.
    limit : int, optional
        Stop after this many attractors (``complete`` is then False; which ones are
        found first is deterministic but not otherwise specified).
    timeout : float, optional
        Seconds the whole search may take (basins included); the SAT step is
        stopped at it, and a search over input combinations refuses as soon as
        its pace shows it cannot end within it.
    progress : callable, optional
        Called with one line of text after each attractor.

    Returns
    -------
    SymbolicSyncResult

    Raises
    ------
    ResourceLimitError
        A trajectory longer than ``max_walk`` without a repeated state, BDDs
        outgrowing the engine's node table, or the search over ``timeout`` (or
        bound to go over it, at its pace over the input combinations).

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A and not C\\nC* = B")
    >>> [(r.states, r.basin) for r in symbolic_sync_attractors(net).cycles]
    [((0,), 4), ((1, 3, 7, 5), 4)]
    """
    from ..reduce import reduce_network

    t0 = time.perf_counter()
    n_free = net.n_nodes - len(net.constants)
    notes: list[str] = []
    deadline = None if max_seconds is None else t0 + max_seconds
    stop = None if timeout is None else t0 + timeout
    if reduced is None:
        def reduced(propagate: bool, prune_outputs: bool):
            return reduce_network(net, propagate=propagate and reduce, prune_outputs=prune_outputs and reduce)
    red = reduced(propagate=True, prune_outputs=True)
    found, complete = _by_inputs(red.network, reduce=reduce, max_walk=max_walk, limit=limit, stop=stop,
                                 progress=progress)
    m = red.network.n_nodes
    mats = [red.lift.lift_matrix(codes_to_matrix(c, m), update="synchronous") for c in found]
    t1 = time.perf_counter()
    sizes: list[int | None] = [None] * len(mats)
    if basins and not complete:
        notes.append("basins not computed: the search stopped at its limit, so they would not be exact")
    elif basins:
        try:
            sizes = list(_basins(net, mats, reduced(propagate=False, prune_outputs=True), deadline=deadline,
                                 max_nodes=max_nodes, stop=stop))
        except _OverBudget as why:
            if str(why) == "time":
                what = f"{max_seconds:g} s"
            elif str(why) == "nodes":
                what = f"{max_nodes:,} BDD nodes per basin"
            else:
                from .bdd import node_capacity

                what = f"{min(BASIN_TABLE, node_capacity()):,} BDD nodes in all"
            notes.append(f"basins not computed: the backward closures did not fit in the budget ({what}); "
                         "attractors are exact")
    cycles = [_cycle(mat, b, max_states) for mat, b in zip(mats, sizes)]
    cycles.sort(key=lambda c: c[0])
    _log.info(__name__, "symbolic synchronous search: %d attractors in %.3f s, basins %.3f s", len(cycles), t1 - t0,
                time.perf_counter() - t1)
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

