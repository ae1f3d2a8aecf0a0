"""Asynchronous attractors by minimal trap spaces and negative-feedback candidates.

When the plain pivot search (:func:`logicnet.engine.symbolic.async_attractors_symbolic`)
does not finish, the attractors are split in two kinds and each is bounded on its own:

* **inside a minimal trap space.**  Every minimal trap space holds at least one
  attractor, and every attractor that meets it lies in it (a trap space cannot be
  left).  The minimal trap spaces come from clingo
  (:mod:`logicnet.engine.trapspaces`); each one is searched on its own, where only
  its free nodes can change (a single state is a fixed point; otherwise the pivot
  search runs inside it, usually on far fewer variables than the whole network).
* **outside every minimal trap space.**  These are found by walking down the
  succession diagram (Rozum et al., Bioinformatics 2021; biobalm, Trinh et al. 2024):
  from the whole space, each trap space is percolated (constants propagated) and its
  maximal trap spaces inside are its children.  An attractor of a trap space either
  lies in a child (and is found there) or avoids all of them ("motif-avoidant");
  a trap space without children is a minimal one.  Motif-avoidant attractors are
  bounded by candidate states: let ``U`` be a *negative feedback vertex set* of the
  percolated network (removing ``U`` leaves no negative cycle in the signed
  interaction graph) and give each node of ``U`` a *retained value*.  In the network
  where each node of ``U`` may only move towards its retained value, every attractor
  is a single state (a node of ``U`` moves at most once, so inside an attractor it
  is constant, and with ``U`` constant no negative cycle is left: Richard, Adv. Appl.
  Math. 2010), and its transitions are transitions of the original network; so every
  attractor of the original network contains one of its fixed points: a state where
  every node outside ``U`` is stable and every node of ``U`` is stable or at its
  retained value (biobalm's retained set).  These candidates are enumerated by clingo
  outside the children; a candidate from which a random asynchronous walk reaches a
  child or another candidate is dropped (an attractor holding it would hold that
  state too); for each one left, its forward set is computed on BDDs: if it meets a
  child the candidate is dropped, otherwise the attractors inside it are found by the
  pivot search.  Retained values follow biobalm's heuristic (a child's values, else
  the value the rule takes on most states), improved greedily one node at a time.

Examples
--------
>>> from logicnet import Network
>>> negative_feedback_vertex_set(Network.from_rules("A* = not B\\nB* = A\\nC* = C"))
('A',)
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from ..network import Network
from .components import strongly_connected


__all__ = ["negative_feedback_vertex_set", "candidate_states", "Established"]

#: Minimal trap spaces enumerated at most (above: the fixed points stand in for the rest).
MAX_TRAP_SPACES = 2000
#: Candidate states enumerated at most.
MAX_CANDIDATES = 20000
#: Candidate states listed at most to prove that a minimal trap space holds one attractor.
ONLY_CANDIDATES = 64
#: A minimal trap space with more free variables than this has its attractor computed on
#: a symbolic network of its own (its percolated rules: far smaller BDDs; bbm210, 84
#: variables: 1.5 s against 4.0 s in the whole network's); smaller ones share the
#: whole network's (a manager costs about 0.05 s to make, and bbm004 has thousands).
OWN_NETWORK_VARIABLES = 32
#: Sweeps (every node updated once, in a random order) of one candidate's random walk.
WALK_SWEEPS = 300
#: Try the minimal trap spaces as the only spaces to avoid before the succession diagram.
AVOID_MINIMAL_FIRST = True


@dataclass
class Established:
    """What the decomposition established, for a report when it cannot finish.

    Attributes
    ----------
    fixed_points : int or None
        The exact number of fixed points (each an attractor).
    trap_spaces : list of dict
        One per minimal trap space: ``space`` (one character per node of the reduced
        network), ``attractors`` (how many it holds, ``None`` if its search did not
        finish) and ``exactly_one`` (proven to hold exactly one attractor).
    trap_spaces_complete : bool
        False when the minimal trap spaces were too many to list.
    outside : str
        ``"excluded"`` (no attractor outside the minimal trap spaces), ``"found"``
        (those attractors are listed) or ``"unknown"``.
    candidates_left : int or None
        Candidate states not yet ruled out, when ``outside`` is ``"unknown"``.
    nfvs : tuple of str
        The negative feedback vertex set of the last diagram node examined.
    diagram_nodes : int
        Trap spaces of the succession diagram examined.
    """

    fixed_points: int | None = None
    trap_spaces: list = field(default_factory=list)
    trap_spaces_complete: bool = True
    outside: str = "unknown"
    candidates_left: int | None = None
    nfvs: tuple = ()
    diagram_nodes: int = 0


# -- negative feedback vertex set ---------------------------------------------------


def _signed_graph(net: Network) -> dict[str, dict[str, str]]:
    """``{source: {target: sign}}`` over every node (plain dicts: see
    :mod:`logicnet.engine.components`)."""
    from ..graph import signed_edges

    g: dict[str, dict[str, str]] = {x: {} for x in net.nodes}
    for u, v, s in signed_edges(net):
        g[u][v] = s
    return g


def _without(g: dict, gone) -> dict:
    """The signed graph ``g`` without the nodes of ``gone``."""
    return {u: {v: s for v, s in out.items() if v not in gone} for u, out in g.items() if u not in gone}


def _has_negative_cycle(g: dict) -> bool:
    """Whether the signed digraph ``g`` (``{source: {target: sign}}``) has a negative cycle.

    A strongly connected component has none exactly when its nodes split in two
    parts with positive edges inside a part and negative edges between the parts
    (a conflict gives two walks of opposite sign to one node, closed into a
    negative closed walk, which contains a negative cycle); an edge of both signs
    inside a component always closes a negative cycle.
    """
    for members in strongly_connected(g):
        if len(members) == 1:
            (v,) = members
            if g[v].get(v, "+") != "+":
                return True
            continue
        comp = set(members)
        root = members[0]
        parity = {root: 0}
        stack = [root]
        while stack:
            u = stack.pop()
            for v, s in g[u].items():
                if v not in comp:
                    continue
                if s not in ("+", "-"):
                    return True
                want = parity[u] ^ (s == "-")
                if v not in parity:
                    parity[v] = want
                    stack.append(v)
                elif parity[v] != want:
                    return True
    return False


def negative_feedback_vertex_set(net: Network) -> tuple[str, ...]:
    """A set of nodes whose removal leaves no negative cycle in the interaction graph.

    Greedy (the node with a negative self-loop first, then the most in-edges times
    out-edges, ties by node order), then pruned: a node whose return leaves no
    negative cycle is dropped.  Small, not always minimum (that is NP-hard).  Edges
    of both signs count as negative.

    Returns
    -------
    tuple of str
        In the network's node order.

    Examples
    --------
    >>> negative_feedback_vertex_set(Network.from_rules("A* = A\\nB* = B"))
    ()
    >>> negative_feedback_vertex_set(Network.from_rules("A* = not A\\nB* = not C\\nC* = B"))
    ('A', 'B')
    """
    g = _signed_graph(net)
    h = g
    chosen: list[str] = []
    while _has_negative_cycle(h):
        indegree = dict.fromkeys(h, 0)
        for out in h.values():
            for v in out:
                indegree[v] += 1

        def score(v):
            return (h[v].get(v, "+") != "+", indegree[v] * len(h[v]), -net.index(v))

        best = max(h, key=score)
        chosen.append(best)
        h = _without(h, {best})
    for u in reversed(list(chosen)):
        rest = [x for x in chosen if x != u]
        if not _has_negative_cycle(_without(g, set(rest))):
            chosen = rest
    return tuple(sorted(chosen, key=net.index))


# -- enumeration by clingo ----------------------------------------------------------

_CANDIDATES = """
{ x(I) } :- var(I).
val(1).
val(B) :- bdd(B,I,_,H), x(I), val(H).
val(B) :- bdd(B,I,L,_), not x(I), val(L).
unstable(I) :- rule(I,B), x(I), not val(B).
unstable(I) :- rule(I,B), not x(I), val(B).
:- stable(I), unstable(I).
:- retain(I,1), not x(I), unstable(I).
:- retain(I,0), x(I), unstable(I).
#show x/1.
"""

_NOT_FIXED = """
moves :- unstable(I).
:- not moves.
"""


def candidate_program(net: Network, stable, avoid=(), *, retained=None, not_fixed: bool = False) -> str:
    """The ASP program whose answer sets are the states of ``net`` in which every node
    of ``stable`` is stable (its rule gives its value), every node of ``retained``
    (``{node: value}``) has its retained value or is stable, outside every subspace of
    ``avoid`` (strings, one character per node); with ``not_fixed``, not a fixed point.

    Examples
    --------
    >>> print(candidate_program(Network.from_rules("A* = not A"), ["A"]).splitlines()[0])
    var(0).
    """
    from .trapspaces import rule_bdd_facts

    lines = rule_bdd_facts(net)
    lines += [f"stable({net.index(x)})." for x in stable]
    lines += [f"retain({net.index(x)},{int(v)})." for x, v in (retained or {}).items()]
    for space in avoid:
        body = [("" if c == "1" else "not ") + f"x({i})" for i, c in enumerate(space) if c != "*"]
        lines.append(":- " + ", ".join(body) + "." if body else ":- .")
    lines.append(_CANDIDATES)
    if not_fixed:
        lines.append(_NOT_FIXED)
    return "\n".join(lines)


def candidate_states(net: Network, stable, avoid=(), *, retained=None, not_fixed: bool = False,
                     limit: int = MAX_CANDIDATES, deadline: float | None = None) -> tuple[list[int], bool]:
    """States (codes, bit ``i`` = node ``i``) of :func:`candidate_program`, and
    whether the list is complete (``False``: cut by ``limit`` or ``deadline``).

    Examples
    --------
    >>> net = Network.from_rules("A* = not B\\nB* = A")
    >>> candidate_states(net, ["B"])
    ([0, 3], True)
    """
    from .trapspaces import answer_sets

    def read(model):
        return sum(1 << s.arguments[0].number for s in model.symbols(shown=True))

    codes, complete, _ = answer_sets(candidate_program(net, stable, avoid, retained=retained, not_fixed=not_fixed), [],
                                     limit, deadline, read)
    return sorted(codes), complete


def minimal_trap_spaces_bounded(net: Network, *, limit: int = MAX_TRAP_SPACES, deadline: float | None = None
                                ) -> tuple[list[str], bool]:
    """The minimal trap spaces of ``net`` (not reduced), at most ``limit`` of them,
    stopped at ``deadline``; and whether the list is complete.

    Examples
    --------
    >>> minimal_trap_spaces_bounded(Network.from_rules("A* = not B\\nB* = not A"))
    (['01', '10'], True)
    """
    from .trapspaces import _solve, _sort_key

    spaces, complete = _solve(net, maximal=False, limit=limit, deadline=deadline)
    return sorted(spaces, key=_sort_key), complete


def maximal_trap_spaces_bounded(net: Network, *, limit: int = MAX_TRAP_SPACES, deadline: float | None = None
                                ) -> tuple[list[str], bool]:
    """The maximal trap spaces of ``net`` other than the whole space, at most ``limit``,
    stopped at ``deadline``; and whether the list is complete.

    Examples
    --------
    >>> maximal_trap_spaces_bounded(Network.from_rules("A* = A\\nB* = A and B"))
    (['*0', '0*', '1*'], True)
    """
    from .trapspaces import _solve, _sort_key

    spaces, complete = _solve(net, maximal=True, limit=limit, deadline=deadline)
    return sorted(spaces, key=_sort_key), complete


# -- random walks -------------------------------------------------------------------


class _Walker:
    """Random asynchronous walks on ``net`` (rules evaluated on their BDDs)."""

    def __init__(self, net: Network, seed: int = 0) -> None:
        from .trapspaces import RuleBDDs

        self.net = net
        self.bdds = RuleBDDs(net.nodes)
        self.roots = [self.bdds.build(net.rules[x]) for x in net.nodes]
        self.rng = random.Random(seed)

    def value(self, i: int, state: list[int]) -> int:
        b = self.bdds
        u = self.roots[i]
        while u > 1:
            u = b.hi[u] if state[b.var[u]] else b.lo[u]
        return u

    def is_fixed(self, state: list[int]) -> bool:
        return all(self.value(i, state) == state[i] for i in range(len(state)))

    def walk(self, code: int, sweeps: int, stop) -> bool:
        """Walk from the state ``code`` (every node updated once per sweep, in a random
        order); True as soon as ``stop(state)`` holds."""
        n = self.net.n_nodes
        state = [(code >> i) & 1 for i in range(n)]
        order = list(range(n))
        for _ in range(sweeps):
            self.rng.shuffle(order)
            changed = False
            for i in order:
                v = self.value(i, state)
                if v != state[i]:
                    state[i] = v
                    changed = True
            if stop(state):
                return True
            if not changed:  # a fixed point that is not a target
                return False
        return False


def _fixed_of(space: str) -> list[tuple[int, int]]:
    """The (position, value) pairs a subspace string fixes."""
    return [(i, int(c)) for i, c in enumerate(space) if c != "*"]


# -- the decomposition --------------------------------------------------------------


def decompose(sn, universe, rnet: Network, budget, *, fixed_count: int | None = None,
              limit: int | None = None):
    """Asynchronous attractors of ``rnet`` (the reduced network) inside ``universe`` of
    ``sn`` (whose variables include ``rnet``'s nodes; the others never change), by
    minimal trap spaces and candidate states (see the module).

    Returns
    -------
    (list of BDD, bool, Established)
        The attractors established, whether they are all of them, and the report.
        The search stops (``complete`` False) when ``budget`` runs out.

    Examples
    --------
    >>> from logicnet.engine.bdd import SymbolicNetwork
    >>> from logicnet.engine.symbolic import Budget
    >>> net = Network.from_rules("A* = not B\\nB* = A\\nC* = C")
    >>> sn = SymbolicNetwork(net)
    >>> atts, complete, est = decompose(sn, sn.true, net, Budget())
    >>> sorted(sn.space(a) for a in atts), complete, est.outside
    (['**0', '**1'], True, 'excluded')
    """
    from .symbolic import _OutOfTime

    est = Established(fixed_points=fixed_count)
    found: list = []

    def deadline(share: float) -> float | None:
        left = budget.left()
        return None if left is None else time.perf_counter() + max(0.0, left) * share

    try:
        budget.say("listing the minimal trap spaces")
        spaces, est.trap_spaces_complete = minimal_trap_spaces_bounded(rnet, limit=MAX_TRAP_SPACES,
                                                                       deadline=deadline(0.3))
        budget.check()
        budget.say(f"{len(spaces)} minimal trap space(s){'' if est.trap_spaces_complete else ' (not all)'}; "
                   "searching each")
        avoid = _in_minimal_trap_spaces(sn, universe, rnet, spaces, budget, est, found, limit)
        if avoid is None:  # cut by the limit
            return found[:limit], False, est
        # Outside the minimal trap spaces: first in one step, with the minimal trap spaces
        # as the spaces to avoid (an attractor outside them meets none of them).
        if est.trap_spaces_complete and AVOID_MINIMAL_FIRST:
            atts = _motif_avoidant(sn, universe, rnet, {}, spaces, budget, est, deadline)
            if atts is not None:
                found.extend(atts)
                est.outside = "found" if atts else "excluded"
                est.candidates_left = 0
                if limit is not None and len(found) > limit:
                    return found[:limit], False, est
                return found, True, est
        if not _succession_diagram(sn, universe, rnet, avoid, budget, est, found, deadline):
            return found, False, est
        if limit is not None and len(found) > limit:
            return found[:limit], False, est
        return found, True, est
    except _OutOfTime:
        return found, False, est


def _subspace_of(nodes, space: str) -> dict[str, int]:
    return {x: int(c) for x, c in zip(nodes, space) if c != "*"}


def _in_minimal_trap_spaces(sn, universe, rnet: Network, spaces, budget, est, found: list, limit: int | None):
    """:func:`decompose`: the attractors in each minimal trap space, added to ``found``; the
    union of the spaces, or ``None`` when ``limit`` attractors are found."""
    from .symbolic import async_attractors_symbolic, movers

    est.trap_spaces = [{"space": s, "attractors": None, "exactly_one": False} for s in spaces]
    avoid = sn.false
    for entry in est.trap_spaces:
        avoid = avoid | sn.subspace(_subspace_of(rnet.nodes, entry["space"]))
    said = time.monotonic()
    for i, entry in enumerate(sorted(est.trap_spaces, key=lambda e: e["space"].count("*"))):
        if time.monotonic() - said >= 1.0:  # what an interruption reports as established
            said = time.monotonic()
            budget.say(f"minimal trap space {i + 1} of {'' if est.trap_spaces_complete else 'the first '}"
                       f"{len(spaces)}: {len(found)} attractor(s) so far")
        inside = universe & sn.subspace(_subspace_of(rnet.nodes, entry["space"]))
        if "*" not in entry["space"]:
            atts = [inside]
        else:  # a minimal trap space holds no fixed point (it would be a smaller one)
            one = _only_attractor(sn, inside, rnet, _subspace_of(rnet.nodes, entry["space"]), budget)
            atts = [one] if one is not None else \
                async_attractors_symbolic(sn, inside, budget, fixed_points=sn.false, nodes=movers(sn, inside))[0]
        entry["attractors"] = len(atts)
        entry["exactly_one"] = len(atts) == 1
        found.extend(atts)
        if limit is not None and len(found) >= limit:
            return None
    return avoid


def _succession_diagram(sn, universe, rnet: Network, covered, budget, est, found: list, deadline) -> bool:
    """:func:`decompose` with too many candidates: the succession diagram, from the whole space
    down; attractors outside the minimal trap spaces (``covered``) added to ``found``.  False
    when a listing did not finish in its time."""
    from ..reduce import reduce_network
    from .symbolic import async_attractors_symbolic, movers

    nodes = rnet.nodes
    seen: set[frozenset] = set()
    stack: list[dict[str, int]] = [{}]
    outside = []
    est.outside = "unknown"
    while stack:
        budget.check()
        space = stack.pop()
        red = reduce_network(rnet.fix(space), propagate=True, prune_outputs=True)
        perc = {x: v for x, v in red.lift.constants.items() if x in set(nodes)}
        key = frozenset(perc.items())
        if key in seen:
            continue
        seen.add(key)
        est.diagram_nodes = len(seen)
        sub = red.network
        here = universe & sn.subspace(perc)
        if sub.n_nodes == 0:  # a single state: a fixed point
            if (here & covered) == sn.false:
                found.append(here)
                covered = covered | here
            continue
        children, listed = maximal_trap_spaces_bounded(sub, deadline=deadline(0.2))
        budget.check()
        if not listed:
            return False
        if not children:  # a minimal trap space
            if (here & covered) == sn.false:
                atts, _ = async_attractors_symbolic(sn, here, budget, fixed_points=sn.false, nodes=movers(sn, here))
                found.extend(atts)
                covered = covered | here
            continue
        stack.extend(reversed([dict(perc, **{x: int(c) for x, c in zip(sub.nodes, ch) if c != "*"})
                               for ch in children]))
        atts = _motif_avoidant(sn, universe, sub, perc, children, budget, est, deadline)
        if atts is None:
            return False
        outside.extend(atts)
        found.extend(atts)
    est.outside = "found" if outside else "excluded"
    est.candidates_left = 0
    return True


def _motif_avoidant(sn, universe, sub: Network, perc, children, budget, est, deadline):
    """Attractors inside the trap space ``perc`` (percolated: ``sub`` is the network of
    its free nodes) outside every one of its maximal trap spaces ``children`` (strings
    over ``sub``'s nodes); ``None`` when the candidate states are too many to list."""
    from .symbolic import async_attractors_symbolic, forward, movers

    survivors = _survivors_outside(sub, children, budget, est, deadline)
    if survivors is None:
        return None
    if survivors:
        budget.say(f"{len(survivors)} candidate state(s) left after the walks; forward sets on BDDs")
    avoid = sn.false
    for ch in children:
        avoid = avoid | sn.subspace({x: int(c) for x, c in zip(sub.nodes, ch) if c != "*"})
    found = []
    base = universe & sn.subspace(perc)
    nodes = movers(sn, base) if survivors else ()
    while survivors:
        code = survivors[0]
        start = base & sn.subspace({x: (code >> i) & 1 for i, x in enumerate(sub.nodes)})
        fwd = forward(sn, start, budget, base, nodes, until=avoid)  # reaching a child or a found attractor ends it
        if (fwd & avoid) == sn.false:  # a trap set outside every child: its attractors
            atts, _ = async_attractors_symbolic(sn, fwd, budget, fixed_points=sn.false, nodes=nodes)
            found.extend(atts)
            for a in atts:
                avoid = avoid | a
        survivors.pop(0)
        est.candidates_left = len(survivors)
    return found


def _survivors_outside(sub: Network, children, budget, est, deadline) -> list[int] | None:
    """The candidate states of attractors of ``sub`` outside every trap space of
    ``children`` that random walks do not rule out (:func:`_walk_survivors`); ``None``
    when the candidate states are too many to list."""
    est.nfvs = negative_feedback_vertex_set(sub)
    stable = [x for x in sub.nodes if x not in est.nfvs]
    where = f"trap space {est.diagram_nodes} of the succession diagram" if est.diagram_nodes else "whole space"
    budget.say(f"{where}: {sub.n_nodes} free node(s), {len(children)} trap space(s) to avoid, negative "
               f"feedback vertex set of {len(est.nfvs)}; listing candidate states")
    retained = _retained_values(sub, est.nfvs, children)
    cands, listed = candidate_states(sub, stable, children, retained=retained, limit=MAX_CANDIDATES,
                                     deadline=deadline(0.1))
    budget.check()
    cands, listed = _fewer_candidates(sub, stable, children, est.nfvs, retained, cands, listed, budget, floor=0,
                                      deadline=lambda: deadline(0.05))
    if not listed:
        est.candidates_left = None
        budget.say(f"more than {len(cands)} candidate states")
        return None
    survivors = _walk_survivors(sub, cands, children, budget)
    est.candidates_left = len(survivors)
    return survivors


def _walk_survivors(sub: Network, cands: list[int], children, budget) -> list[int]:
    """The candidate states (codes over ``sub``'s nodes) from which a random walk reaches
    neither a trap space of ``children`` nor another candidate still listed.  Every
    attractor that holds a candidate and meets no child holds a survivor: a candidate is
    dropped only when it reaches one listed after it or kept, and reaching is transitive."""
    walker = _Walker(sub)
    n = sub.n_nodes
    spaces = [_fixed_of(sp) for sp in children]
    kept: set[tuple] = set()
    pending = {tuple((c >> i) & 1 for i in range(n)) for c in cands}
    survivors = []
    for code in cands:
        budget.check()  # one walk can take a tenth of a second on a large network
        key = tuple((code >> i) & 1 for i in range(n))
        pending.discard(key)

        def stop(s, _key=key):
            t = tuple(s)
            if t != _key and (t in kept or t in pending):
                return True
            return any(all(s[i] == v for i, v in fixed) for fixed in spaces)

        if (not children and not kept and not pending) or not walker.walk(code, WALK_SWEEPS, stop):
            kept.add(key)  # (a walk with nothing to reach is not run)
            survivors.append(code)
    return survivors


def _only_attractor(sn, inside, rnet: Network, space: dict[str, int], budget):
    """The attractor of the minimal trap space ``space`` (``inside``: its states in
    ``sn``) when it holds exactly one, shown by the candidate states of a retained set
    (at most :data:`ONLY_CANDIDATES`) and the survivors of the random walks
    (:func:`_walk_survivors`): every attractor holds a survivor.  With one survivor, the
    trap space (which holds at least one attractor) holds exactly one, the forward set
    ``F`` of that state.  With more, when each of the others reaches the first (a forward
    search from it, stopped there), every attractor holds the first survivor: the only one
    is ``F``.  ``None`` otherwise (the caller searches the trap space).  Saturation runs
    top down (:func:`~logicnet.engine.symbolic.forward`)."""
    from .symbolic import forward, movers

    sub, survivors = _survivors_inside(rnet, space, budget)
    if not survivors:
        return None
    if sub.n_nodes > OWN_NETWORK_VARIABLES:  # the trap space's own network: smaller BDDs
        from .bdd import SymbolicNetwork

        own = SymbolicNetwork(sub, max_nodes=sn.max_nodes)
        within, nodes, base = None, None, own.true
    else:
        own, within, nodes, base = sn, inside, movers(sn, inside), inside
    states = [base & own.subspace({x: (c >> i) & 1 for i, x in enumerate(sub.nodes)}) for c in survivors]
    fwd = forward(own, states[0], budget, within, nodes, top_first=True)
    for s in states[1:]:
        if (forward(own, s, budget, within, nodes, top_first=True, until=states[0]) & states[0]) == own.false:
            return None
    return fwd if own is sn else inside & sn.load(own.dump(fwd))


def _survivors_inside(rnet: Network, space: dict[str, int], budget) -> tuple[Network, list[int]]:
    """The network of the minimal trap space ``space`` (its free nodes, percolated) and the
    candidate states of its attractors the random walks leave (none when more than
    :data:`ONLY_CANDIDATES` are listed): every attractor of the trap space holds one."""
    from ..reduce import reduce_network

    sub = reduce_network(rnet.fix(space), propagate=True, prune_outputs=False).network
    nfvs = negative_feedback_vertex_set(sub)
    stable = [x for x in sub.nodes if x not in nfvs]
    retained = _retained_values(sub, nfvs, [])
    cands, listed = candidate_states(sub, stable, retained=retained, limit=ONLY_CANDIDATES)
    if listed:
        cands, listed = _fewer_candidates(sub, stable, [], nfvs, retained, cands, listed, budget, floor=1)
    return sub, (_walk_survivors(sub, cands, [], budget) if listed and cands else [])


def _fewer_candidates(sub: Network, stable, avoid, nfvs, retained: dict, cands: list[int], listed: bool, budget,
                      *, floor: int, deadline=lambda: None) -> tuple[list[int], bool]:
    """Greedy (biobalm's retained set, improved): flip the retained value of one node of
    ``nfvs`` at a time, kept when every candidate state it leaves is listed and they are
    fewer; until at most ``floor`` are left.  Returns the candidates and whether listed."""
    for x in nfvs:
        if len(cands) <= floor:
            break
        trial = dict(retained, **{x: 1 - retained[x]})
        other, ok = candidate_states(sub, stable, avoid, retained=trial, limit=len(cands) - 1, deadline=deadline())
        budget.check()
        if ok:
            retained, cands, listed = trial, other, True
    return cands, listed


def attractors_in_minimal_trap_spaces(rnet: Network, budget) -> list[str] | None:
    """The minimal trap spaces of ``rnet`` (strings over its nodes) when no asynchronous
    attractor lies outside them: no candidate state outside them survives the random walks
    (as :func:`_motif_avoidant` shows it).  Every attractor then lies in exactly one of
    them.  ``None`` when that is not shown (more than :data:`MAX_TRAP_SPACES` spaces, too
    many candidates, or survivors).

    Examples
    --------
    >>> from logicnet.engine.symbolic import Budget
    >>> attractors_in_minimal_trap_spaces(Network.from_rules("A* = not B\\nB* = A\\nC* = C"), Budget())
    ['**0', '**1']
    """
    spaces, complete = minimal_trap_spaces_bounded(rnet, limit=MAX_TRAP_SPACES)
    if not complete:
        return None
    left = _survivors_outside(rnet, spaces, budget, Established(), lambda share: None)
    return spaces if left == [] else None


def only_one_attractor(rnet: Network, budget) -> bool:
    """True when ``rnet``, whose only minimal trap space is its whole space, is shown to
    hold exactly one asynchronous attractor by a single candidate state surviving the walks
    (:func:`_only_attractor`); False when that is not shown.

    Examples
    --------
    >>> from logicnet.engine.symbolic import Budget
    >>> only_one_attractor(Network.from_rules("A* = not B\\nB* = A"), Budget())
    True
    """
    return len(_survivors_inside(rnet, {}, budget)[1]) == 1

def _retained_values(net: Network, nfvs, children) -> dict[str, int]:
    """A value per node of ``nfvs`` (biobalm's heuristic): the value a maximal trap
    space that fixes few of them gives, else the value its rule takes on more states."""
    from .trapspaces import RuleBDDs

    out: dict[str, int] = {}
    if children:
        best = min(children, key=lambda sp: sum(sp[net.index(x)] != "*" for x in nfvs))
        out = {x: int(best[net.index(x)]) for x in nfvs if best[net.index(x)] != "*"}
    bdds = RuleBDDs(net.nodes)
    share: dict[int, float] = {0: 0.0, 1: 1.0}

    def p(u: int) -> float:
        if u not in share:
            share[u] = (p(bdds.lo[u]) + p(bdds.hi[u])) / 2
        return share[u]

    for x in nfvs:
        if x not in out:
            out[x] = int(p(bdds.build(net.rules[x])) > 0.5)
    return out
