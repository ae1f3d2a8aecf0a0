"""The symbolic engines: asynchronous and synchronous attractors, and screen scores, on BDDs.

* asynchronous: :func:`async_attractors`, the pivot search of
  :mod:`logicnet.engine.symbolic` and, when it does not finish, the decomposition by
  minimal trap spaces (:mod:`logicnet.engine.decompose`);
* synchronous: :func:`logicnet.engine.symbolic_sync.symbolic_sync_attractors`;
* screen scores: :func:`logicnet.engine.symscore.symbolic_score`.

Examples
--------
>>> from logicnet import Network
>>> res = async_attractors(Network.from_rules("A* = not B\\nB* = A"))
>>> [res.sn.space(a) for a in res.sets]
['**']
"""

from __future__ import annotations

import time

from .. import expr as _expr
from ..network import Network
from .symbolic import Budget, _OutOfTime, async_attractors_symbolic, count_fixed_points

__all__ = ["async_attractors", "SymbolicResult", "SymbolicAsyncEngine", "SymbolicSyncEngine"]


#: Share of the budget the pivot search gets before the decomposition by minimal trap
#: spaces (:mod:`logicnet.engine.decompose`) takes over; seconds without a budget.
PIVOT_SHARE = 0.2
PIVOT_SECONDS = 10.0
#: Share of the budget kept for lifting and printing a partial result.
RESERVE_SHARE = 0.15

#: Free inputs up to this many are searched one combination at a time.
MAX_SPLIT_INPUTS = 12
#: A network with more variables than this after reduction, free inputs not counted, is
#: decomposed first (its pivot search only when the decomposition is inconclusive); see
#: also :data:`DECOMPOSE_FIRST_SPLIT_VARIABLES`.
#: Measured on the 17 large models of ../shared/models with inputs at 0: decomposing
#: first took 0.3-0.6 CPU s more on those of 14-49 variables (clingo and the feedback
#: vertex set), and less on every one of 55 or more (whole process, with the proof of a
#: trap space's only attractor in :func:`logicnet.engine.decompose.decompose`: bbm092 1.0
#: to 0.6 s, bbm148 0.85 to 0.5 s, bbm210 21 to 1.5 s, bbm211 7.1 to 1.3 s, bbm231 5.3 to
#: 0.7 s, bbm277 8.0 to 2.0 s), where a pivot search builds large BDDs before it can tell
#: an attractor.
DECOMPOSE_FIRST_VARIABLES = 50
#: The same threshold when free inputs (at most :data:`MAX_SPLIT_INPUTS`) are searched one
#: combination at a time: each combination's pivot search is then small.  bbm092 with its
#: 8 inputs free (55 other variables) takes 0.7 s that way and 3.6 s decomposed; bbm014
#: (7 free, 48 others) 6 s either way; bbm231 (7 free, 99 others) 19 s that way, 7 s
#: decomposed with its inputs in the BDDs, and 3.4 s as it is now searched above this
#: threshold: each combination fixed, percolated and searched on its own.
DECOMPOSE_FIRST_SPLIT_VARIABLES = 80


class SymbolicResult:
    """Asynchronous attractors found on BDDs, over the full network's nodes.

    Attributes
    ----------
    sn : SymbolicNetwork
        Its variables are all the nodes of the network searched.
    sets : list of BDD
        One state set per attractor (removed nodes lifted back).
    complete : bool
        False when the listing was cut by ``limit`` or the budget ran out.
    established : dict or None
        When the budget ran out: what was established (see :func:`async_attractors`).
    notes : tuple of str
        How the answer was reached, when not by the plain pivot search.
    """

    def __init__(self, sn, sets, complete: bool, established: dict | None = None, notes: tuple = ()) -> None:
        self.sn = sn
        self.sets = sets
        self.complete = complete
        self.established = established
        self.notes = notes

    def smallest(self, states) -> str:
        """The smallest state string ('0' before '1', node 0 first) of a set."""
        sn = self.sn
        out = []
        cur = states
        for x in sn.nodes:
            low = cur & sn.literal(x, 0)
            if low != sn.false:
                cur = low
                out.append("0")
            else:
                cur = cur & sn.literal(x, 1)
                out.append("1")
        return "".join(out)

    def share(self, states, expression) -> float:
        """Exact share of the set's states where ``expression`` holds."""
        from fractions import Fraction

        sn = self.sn
        return float(Fraction(sn.count(states & sn.expression(expression)), sn.count(states)))


def async_attractors(net: Network, *, reduce: bool = True, budget: Budget | None = None,
                     limit: int | None = None, memory: int | None = None, reduction=None,
                     by_combination: bool = True) -> SymbolicResult:
    """All asynchronous attractors of ``net`` (fixed nodes are constant rules), on BDDs.

    The network is reduced first (:func:`logicnet.reduce.reduce_network`); the BDDs
    have a variable for every node, removed nodes held at their value during the
    search and lifted back after it as :meth:`logicnet.reduce.Lift.lift_matrix`
    does (an output whose rule varies on the attractor takes both values).  Free
    inputs are variables that never change, so each input combination has its own
    attractors.

    ``memory`` (bytes, default: what is available) sizes the BDD node table
    (:func:`~logicnet.engine.bdd.node_capacity`).

    The pivot search gets :data:`PIVOT_SHARE` of the budget (:data:`PIVOT_SECONDS`
    without one); if it does not finish, the search decomposes by minimal trap spaces
    and candidate states (:func:`logicnet.engine.decompose.decompose`), which answers
    many networks the pivot search cannot.  A network of more than
    :data:`DECOMPOSE_FIRST_VARIABLES` variables after reduction, free inputs not counted
    (:data:`DECOMPOSE_FIRST_SPLIT_VARIABLES` when its free inputs are split), is
    decomposed first; one with free inputs of its own (``net.inputs``, at most
    :data:`MAX_SPLIT_INPUTS`) above that threshold is searched one combination of them at
    a time, each combination fixed and percolated (``by_combination``).  Nodes that
    percolation leaves reading only themselves are not split that way: on bbm004 with its
    inputs at 0 (three such nodes, 171 others) decomposing with them in the BDDs proves
    twice the attractors in a budget.  When the search does
    not finish in the budget, the result has ``complete`` False, lists the attractors
    established, and ``established`` says the rest: ``fixed_points`` (exact count, each
    an attractor), ``minimal_trap_spaces`` (each with ``space``, ``attractors``, the
    number it holds or ``None`` if not searched to the end, and ``exactly_one``),
    ``minimal_trap_spaces_complete``, ``outside_minimal_trap_spaces`` (``"excluded"``,
    ``"found"`` or ``"unknown"``), ``candidates_left`` (candidate states of attractors
    outside the minimal trap spaces not yet ruled out, ``None`` if not listed),
    ``negative_feedback_vertex_set``, ``budget_seconds`` and, when searched one input
    combination at a time, ``input_combinations`` (how many were searched to the end, of
    how many).  Without a budget an inconclusive decomposition goes back to the pivot
    search, to the end.

    ``reduction`` is the caller's :func:`~logicnet.reduce.reduce_network` of ``net``
    (constants propagated and outputs pruned when ``reduce``), when it has one.

    Raises
    ------
    ResourceLimitError
        When the BDDs outgrow the node table.

    Examples
    --------
    >>> res = async_attractors(Network.from_rules("A* = not B\\nB* = A\\nC* = A"))
    >>> [res.sn.space(a) for a in res.sets], [res.sn.count(a) for a in res.sets]
    (['***'], [8])
    """
    from ..reduce import reduce_network

    budget = budget or Budget()
    status: dict = {}
    red = reduction if reduction is not None else reduce_network(net, propagate=reduce, prune_outputs=reduce)
    kept = set(red.network.nodes)
    split = red.network.inputs if len(red.network.inputs) <= MAX_SPLIT_INPUTS else ()
    pivot_first = len(kept) - len(red.network.inputs) <= (DECOMPOSE_FIRST_SPLIT_VARIABLES if split
                                                          else DECOMPOSE_FIRST_VARIABLES)
    budget.say(f"symbolic search over {len(kept)} variable(s) after reduction "
               f"({len(red.network.inputs)} free input(s))")
    declared = tuple(x for x in split if x in set(net.inputs))  # not those percolation left
    if declared and not pivot_first and by_combination:
        return _split_result(net, red, declared, budget, limit, memory)
    sn = _network_bdds(net, red, memory)
    held = dict(red.lift.constants)
    held.update({x: 0 for x, _ in red.lift.outputs})
    universe = sn.subspace(held)
    first = Budget(PIVOT_SECONDS if budget.seconds is None else budget.seconds * PIVOT_SHARE, budget.progress)
    established = None
    notes: list[str] = []
    sets = None
    if pivot_first:
        try:
            sets, complete = async_attractors_symbolic(sn, universe, first, limit=limit, split=split, status=status)
        except _OutOfTime:
            budget.say(f"the pivot search did not finish in {first.seconds:g} s; decomposing by minimal trap spaces")
    else:
        budget.say(f"more than {DECOMPOSE_FIRST_VARIABLES} variables besides free inputs: decomposing by minimal "
                   "trap spaces first")
    if sets is None:
        from .decompose import decompose
        from .trapspaces import lift_spaces

        rest = _reserved(budget)
        sets, complete, est = decompose(sn, universe, red.network, rest, fixed_count=status.get("fixed_points"),
                                        limit=limit)
        cut = limit is not None and len(sets) >= limit
        if complete:
            notes.append(f"answered by decomposition: {len(est.trap_spaces)} minimal trap space(s) searched one "
                         f"by one; attractors outside them {est.outside} (candidate states of a negative "
                         f"feedback vertex set of {len(est.nfvs)} node(s))")
        elif not cut:
            left = rest.left()
            if left is None or (not pivot_first and left > 0):  # the pivot search, to the end of the budget
                budget.say("decomposition inconclusive; pivot search"
                           + (" without a time limit" if budget.seconds is None else ""))
                try:
                    sets, complete = async_attractors_symbolic(sn, universe, rest, limit=limit, split=split)
                except _OutOfTime:
                    pass
            if not complete:
                established = {
                    # counted only now, for the report: cheaper than building their set
                    "fixed_points": count_fixed_points(net) if est.fixed_points is None else est.fixed_points,
                    "minimal_trap_spaces": [dict(e, space=sp) for e, sp in
                                            zip(est.trap_spaces,
                                                lift_spaces(net, red.lift, [e["space"] for e in est.trap_spaces]))],
                    "minimal_trap_spaces_complete": est.trap_spaces_complete,
                    "outside_minimal_trap_spaces": est.outside,
                    "candidates_left": est.candidates_left,
                    "negative_feedback_vertex_set": list(est.nfvs),
                    "budget_seconds": budget.seconds,
                }
    lifted = []
    for a in sets:
        for x, rule in reversed(red.lift.outputs):
            f = sn.expression(rule)
            on = a & f
            if on == sn.false:
                continue
            if on == a:
                a = sn.flip(a, x)
            else:
                a = a | sn.flip(a, x)
        lifted.append(a)
    return SymbolicResult(sn, lifted, complete, established, tuple(notes))


def _reserved(budget: Budget) -> Budget:
    """``budget`` on the same clock, less :data:`RESERVE_SHARE` kept to lift and print."""
    rest = Budget(None if budget.seconds is None else budget.seconds * (1 - RESERVE_SHARE), budget.progress)
    rest.start = budget.start
    return rest


def _network_bdds(net: Network, red, memory: int | None):
    """The BDDs of ``net`` for a search of its reduction ``red``: a variable for every
    node, the removed ones with rules that keep their value (held at it by the caller)."""
    from .bdd import SymbolicNetwork, node_capacity

    kept = set(red.network.nodes)
    rules = {x: (red.network.rules[x] if x in kept else _expr.symbol(x)) for x in net.nodes}
    return SymbolicNetwork(Network(net.nodes, rules, {}, net.name), max_nodes=node_capacity(memory))


def _split_result(net: Network, red, ins: tuple[str, ...], budget: Budget, limit: int | None,
                  memory: int | None) -> SymbolicResult:
    """:func:`_by_input_combination` as a :class:`SymbolicResult` (with what it established
    when the budget ran out).  The network's own BDDs are made after the combinations'
    searches, whose BDD managers are freed one by one: a process under an address-space
    limit (``ulimit -v``) holds one manager at a time."""
    rest = _reserved(budget)
    tables, found, complete, searched = _by_input_combination(net, ins, rest, limit, memory)
    sn = _network_bdds(net, red, memory)
    loaded = [[sn.exists(sn.load(t), ins) for t in group] for group in tables]
    sets = [a & sn.subspace(values) for i, values in found for a in loaded[i]]
    if limit is not None:
        sets = sets[:limit]
    total = 1 << len(ins)
    established = None
    if not complete and not (limit is not None and len(sets) >= limit):
        established = {"fixed_points": count_fixed_points(net), "minimal_trap_spaces": [],
                       "minimal_trap_spaces_complete": False, "outside_minimal_trap_spaces": "unknown",
                       "candidates_left": None, "negative_feedback_vertex_set": [],
                       "budget_seconds": budget.seconds, "input_combinations": (searched, total)}
    note = f"answered one free-input combination at a time: {total:,} combinations, each percolated"
    return SymbolicResult(sn, sets, complete, established, (note,) if complete else ())


def _by_input_combination(net: Network, ins: tuple[str, ...], budget: Budget, limit: int | None,
                          memory: int | None):
    """The attractors of ``net`` one combination of its free inputs ``ins`` at a time:
    each combination is fixed, percolated (:func:`~logicnet.reduce.reduce_network`) and
    searched on its own BDDs by :func:`async_attractors`.  Combinations that percolate to
    the same network (the same constants, rules and outputs besides the inputs) share one
    search: their attractors differ only in the inputs' values.  Returns ``(tables, found,
    complete, searched)``: ``tables[i]``, the attractors of the ``i``-th distinct search as
    :meth:`~logicnet.engine.bdd.SymbolicNetwork.dump` tables; ``found``, for each
    combination searched (in binary order of the inputs), ``(i, values)``; the first
    ``searched`` combinations when the budget or ``limit`` stops it (and, when the budget
    stops the search of a combination, the attractors it proved)."""
    import gc
    import itertools

    from ..reduce import reduce_network
    from .bdd import _LIVE

    total = 1 << len(ins)
    budget.say(f"{len(ins)} free input(s): {total:,} input combinations, each percolated and searched on its own")
    tables: list[list[tuple]] = []
    found: list[tuple[int, dict]] = []
    seen: dict = {}
    n_sets = 0
    last = time.perf_counter()
    for k, combo in enumerate(itertools.product((0, 1), repeat=len(ins))):
        values = dict(zip(ins, combo))
        fixed = net.fix(values)
        r = reduce_network(fixed, propagate=True, prune_outputs=True)
        key = (tuple(sorted((x, v) for x, v in r.lift.constants.items() if x not in values)),
               tuple((x, str(r.network.rules[x])) for x in r.network.nodes),
               tuple((x, str(e)) for x, e in r.lift.outputs))
        if key not in seen:
            left = budget.left()
            if left is not None and left <= 0:
                return tables, found, False, k
            try:
                res = async_attractors(fixed, budget=Budget(left), memory=memory, reduction=r, by_combination=False)
            except _OutOfTime:
                return tables, found, False, k
            if not res.complete:  # the attractors it proved are listed too
                tables.append([res.sn.dump(a) for a in res.sets])
                found.append((len(tables) - 1, values))
                return tables, found, False, k
            seen[key] = len(tables)
            tables.append([res.sn.dump(a) for a in res.sets])
            del res  # its BDD manager, before the next combination makes one
            if _LIVE:  # still held by a reference cycle: under an address-space limit a
                gc.collect()  # second manager may not fit (nor its worker threads)
        found.append((seen[key], values))
        n_sets += len(tables[seen[key]])
        if limit is not None and n_sets >= limit:
            return tables, found, False, k + 1
        if time.perf_counter() - last > 5.0:
            last = time.perf_counter()
            budget.say(f"{k + 1:,} of {total:,} input combinations searched ({len(seen):,} distinct after "
                       f"percolation), {n_sets:,} attractor(s)")
    return tables, found, True, total


class _SetShares:
    """Phenotype shares of attractors whose states are not listed (kept as BDDs; pickled
    as node tables, rebuilt on first use)."""

    def __init__(self, result: SymbolicResult):
        self.result = result

    def share(self, i: int, expression) -> float:
        return self.result.share(self.result.sets[i], expression)

    def __getstate__(self):
        sn = self.result.sn
        return {"network": sn.network, "order": sn.order, "sets": [sn.dump(a) for a in self.result.sets]}

    def __setstate__(self, state):
        from .bdd import SymbolicNetwork

        sn = SymbolicNetwork(state["network"], order=state["order"])
        self.result = SymbolicResult(sn, [sn.load(t) for t in state["sets"]], True)


class _SymbolicEngine:
    """What the symbolic engines share.  ``cost``: the variables left after reduction;
    ``None`` without the BDD library (oxidd)."""

    update = "asynchronous"

    def cost(self, q) -> int | None:
        from .bdd import symbolic_available

        if q.update != self.update or not symbolic_available():
            return None
        if q.task == "score":
            return q.network.n_free
        return q.reduced(propagate=True, prune_outputs=True).network.n_nodes

    def refusal(self, q) -> str:
        return "" if q.update != self.update else "the symbolic engine needs the 'oxidd' package"


class SymbolicAsyncEngine(_SymbolicEngine):
    """Asynchronous attractors (and screen scores) on BDDs: :func:`async_attractors`,
    :func:`logicnet.engine.symscore.symbolic_score`.

    Examples
    --------
    >>> from logicnet.engine import Question
    >>> q = Question(Network.from_rules("A* = not B\\nB* = A"), "asynchronous", max_states=0)
    >>> found = SymbolicAsyncEngine().attractors(q)
    >>> [(a.size, a.subspace) for a in found.attractors], found.shares.share(0, _expr.symbol("A"))
    ([(4, '**')], 0.5)
    """

    def attractors(self, q):
        from .contract import Attractor, Found, Partial, phase_task

        t0 = time.perf_counter()
        net = q.network
        with phase_task("asynchronous search (symbolic)", q.progress) as report:
            res = async_attractors(net, reduce=q.reduce, budget=Budget(q.timeout, report), limit=q.limit,
                                   memory=q.memory, reduction=q.reduced(propagate=True, prune_outputs=True))
        t1 = time.perf_counter()
        sn = res.sn
        keyed = []
        for a in res.sets:
            size = sn.count(a)
            if size <= q.max_states:
                strings = sn.strings(a)
                codes = tuple(int(x[::-1] or "0", 2) for x in strings)
                att = Attractor(codes, "fixed" if size == 1 else "complex", n_nodes=net.n_nodes)
                key = strings[0]
            else:
                att = Attractor(None, "complex", n_states=size, subspace=sn.space(a), n_nodes=net.n_nodes)
                key = res.smallest(a)
            keyed.append((key, att, a))
        keyed.sort(key=lambda t: t[0])
        ordered = SymbolicResult(sn, [a for _, _, a in keyed], res.complete)
        est = res.established
        partial = None if est is None else Partial(
            est["fixed_points"], tuple(est["minimal_trap_spaces"]), est["minimal_trap_spaces_complete"],
            est["outside_minimal_trap_spaces"], est["candidates_left"], tuple(est["negative_feedback_vertex_set"]),
            est["budget_seconds"], est.get("input_combinations"))
        q.add_time("bdds", t1 - t0)
        q.add_time("lift", time.perf_counter() - t1)
        return Found(tuple(t[1] for t in keyed), None, res.complete, res.notes, _SetShares(ordered), partial)

    def score(self, q, pt):
        from .asynchronous import async_memory
        from .symscore import score_on_bdds

        return score_on_bdds(q, pt, async_memory(q.network.n_free))


class _CycleMatrices:
    """Phenotype shares of cycles whose states are not listed (kept as matrices)."""

    def __init__(self, nodes: tuple[str, ...], mats: list):
        self.nodes = nodes
        self.mats = mats

    def share(self, i: int, expression) -> float:
        mat = self.mats[i]
        cols = {n: mat[:, j] for j, n in enumerate(self.nodes)}
        return float(_expr.evaluate_columns(expression, cols, mat.shape[0]).mean())


class SymbolicSyncEngine(_SymbolicEngine):
    """Synchronous attractors (cycles by SAT, basins on BDDs:
    :func:`logicnet.engine.symbolic_sync.symbolic_sync_attractors`) and screen scores on BDDs.

    Examples
    --------
    >>> from logicnet.engine import Question
    >>> q = Question(Network.from_rules("A* = not A"), "synchronous")
    >>> [(a.states, a.basin) for a in SymbolicSyncEngine().attractors(q).attractors]
    [((0, 1), 2)]
    """

    update = "synchronous"

    def attractors(self, q):
        from .contract import Attractor, Found, phase_task
        from .symbolic_sync import symbolic_sync_attractors

        t0 = time.perf_counter()
        net = q.network
        with phase_task("synchronous search (symbolic)", q.progress) as report:
            res = symbolic_sync_attractors(net, basins=q.basins, max_states=q.max_states, max_seconds=q.basin_seconds,
                                           reduce=q.reduce, limit=q.limit, timeout=q.timeout, progress=report,
                                           reduced=q.reduced)
        with_basins = q.basins and all(c.basin is not None for c in res.cycles)
        atts = []
        for c in res.cycles:
            share = c.basin / res.n_states if c.basin is not None else None
            if c.states is None:
                atts.append(Attractor(None, c.kind, c.basin, share, n_states=c.size, subspace=c.space))
            else:
                atts.append(Attractor(c.states, c.kind, c.basin, share))
        q.add_time("bdds", time.perf_counter() - t0)
        return Found(tuple(atts), res.n_states if with_basins else None, res.complete, res.notes,
                     _CycleMatrices(net.nodes, list(res.matrices)))

    def score(self, q, pt):
        from .symscore import score_on_bdds
        from .sync import sync_memory

        return score_on_bdds(q, pt, sync_memory(q.network.n_free))
