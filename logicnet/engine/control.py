"""The search behind :func:`logicnet.control`: every subset-minimal perturbation of size <= K.

A perturbation is a set of literals ``(node, value)``, at most one per node.  The search
generates candidates size by size with clingo and checks each one exactly (the check is
given by the caller: an attractor computation under some update scheme).  Two things keep
it from enumerating every combination:

* **Subset-minimality**: once a set works, no superset of it is generated again
  (BoNesis, Paulevé 2023, lists subset-minimal sets the same way).
* **Trap-space cuts** (the forbidden-trap-space cut of the OptBoolNet bilevel programme,
  Moon et al. 2022, here without integer programming and for any rules): when a
  candidate ``P`` fails and the perturbed network has a trap space ``T`` on which the
  phenotype is false everywhere, every ``P'`` that contains the literals of ``P`` on the
  nodes ``T`` fixes, and sets no node fixed in ``T`` to the other value, fails too:
  ``T`` narrowed by ``P'``'s other literals is a trap space of the network perturbed by
  ``P'``, and a trap space holds an attractor of every update scheme.  ``T`` is grown
  to a maximal such trap space (fewest fixed nodes), which makes the cut strongest.
  The cut is sound whenever the goal asks every attractor reachable from every state to
  satisfy (or meet) the phenotype.

Examples
--------
>>> from logicnet import Network
>>> from logicnet.expr import parse_expression
>>> from logicnet.engine import TableNetwork
>>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = A and not C\\nC* = B or C\\nP* = not C"))
>>> cuts = TrapCuts(tn, parse_expression("P"), candidates={1, 2}, constant={0})
>>> sorted(cuts.grow({0: 1, 1: 0, 2: 1, 3: 0}, {}).items())  # C = 1 keeps P off
[(0, 1), (2, 1), (3, 0)]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field

from ..expr import Expression, symbols, truth_table
from .tables import TableNetwork, _row_masks, _to_int

__all__ = ["TrapCuts", "Cut", "ReachCut", "reach_program", "minimal_sets", "count_answers", "sample_answers", "COUNT_CAP", "SearchState", "space_values", "percolation_trace", "StateSpaceControl", "SymbolicStateControl",
           "MAX_STATE_VARIABLES",
           "PerturbedTrapSpaces"]

Literal = tuple[int, int]
"""(node index, value)."""


@dataclass(frozen=True)
class Cut:
    """Every perturbation that holds all of ``required`` and none of ``breakers`` fails.

    ``space`` is the trap space (node index -> value) the cut comes from."""

    required: frozenset
    breakers: frozenset
    space: tuple[tuple[int, int], ...]

    def excludes(self, p: Iterable[Literal]) -> bool:
        p = set(p)
        return self.required <= p and not (self.breakers & p)


@dataclass(frozen=True)
class ReachCut:
    """Every perturbation under which ``state`` reaches no trap space inside the phenotype fails.

    A counterexample cut for the most permissive scheme (BoNesis's CEGAR for marker
    reprogramming, Paulevé 2023), checked by clingo itself on each new candidate ``P'``:
    when every minimal trap space of the network perturbed by ``P'`` lies inside the
    phenotype, the smallest trap space holding ``state`` contains one of them, a trap space
    inside the phenotype.  So a candidate for which no subspace of that smallest trap space
    closes inside the phenotype is never proposed.  ``state`` is a state of a minimal trap
    space of a failed candidate that the phenotype does not hold on (then the cut excludes
    that candidate), or ``None`` for every state: "some trap space lies inside the
    phenotype".  Sound for a robust goal under the most permissive scheme, from every state,
    with a permanent hold (see :func:`reach_program`)."""

    state: tuple[int, ...] | None

    def program(self, k: int) -> str:
        """The ASP rules of this cut, numbered ``k`` (atoms ``c``/``ce``/``y``/``ye`` with first
        argument ``k``), over the facts and ``pert/2`` of :func:`reach_program`."""
        if self.state is None:
            facts = f"c({k},N,(0;1)) :- var(N)."
        else:
            facts = " ".join(f"c({k},{i},{b})." for i, b in enumerate(self.state))
        return f"""{facts}
c({k},N,V) :- pert(N,V).
c({k},N,V) :- var(N), not held(N), rule(N,B), ce({k},B,V).
ce({k},0,0). ce({k},1,1).
ce({k},B,V) :- bdd(B,I,L,_), c({k},I,0), ce({k},L,V).
ce({k},B,V) :- bdd(B,I,_,H), c({k},I,1), ce({k},H,V).
1 {{ y({k},N,V) : c({k},N,V) }} :- var(N).
y({k},N,V) :- pert(N,V).
y({k},N,V) :- var(N), not held(N), rule(N,B), ye({k},B,V).
ye({k},0,0). ye({k},1,1).
ye({k},B,V) :- bdd(B,I,L,_), y({k},I,0), ye({k},L,V).
ye({k},B,V) :- bdd(B,I,_,H), y({k},I,1), ye({k},H,V).
:- phenotype(B), ye({k},B,0)."""


def reach_program(net, phenotype: Expression, units: Sequence[Sequence[Literal]]) -> str:
    """The facts :class:`ReachCut` rules read: every node's rule and the phenotype as BDDs
    (``var/1``, ``rule/2``, ``bdd/4``, ``phenotype/1``), and ``pert(N,V)`` for the literals
    of the chosen candidates (candidate ``I`` of :func:`minimal_sets` holds the node
    literals ``units[I]``).  ``net`` has the condition as constant rules.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.expr import parse_expression
    >>> print(reach_program(Network.from_rules("A* = not A"), parse_expression("A"), [[(0, 1)]]))
    var(0).
    rule(0,3).
    bdd(2,0,0,1).
    bdd(3,0,1,0).
    phenotype(2).
    unit(0,0,1).
    pert(N,V) :- s(I), unit(I,N,V).
    held(N) :- pert(N,_).
    """
    from .trapspaces import RuleBDDs

    bdds = RuleBDDs(net.nodes)
    roots = [bdds.build(net.rules[n]) for n in net.nodes]
    ph = bdds.build(phenotype)
    lines = [f"var({i})." for i in range(net.n_nodes)]
    lines += [f"rule({i},{r})." for i, r in enumerate(roots)]
    lines += [f"bdd({u},{bdds.var[u]},{bdds.lo[u]},{bdds.hi[u]})." for u in sorted(bdds.reachable(roots + [ph]))]
    lines.append(f"phenotype({ph}).")
    lines += [f"unit({i},{v},{b})." for i, lits in enumerate(units) for v, b in lits]
    lines += ["pert(N,V) :- s(I), unit(I,N,V).", "held(N) :- pert(N,_)."]
    return "\n".join(lines)


class TrapCuts:
    """Trap spaces on which the phenotype is false, and the cuts they give.

    Parameters
    ----------
    tn : TableNetwork
        The network (truth tables).
    phenotype : Expression
    candidates : set of int
        Node indices a perturbation may act on.
    constant : set of int
        Node indices held by the condition (never freed in a trap space).

    A subspace is a dict node index -> value (the fixed nodes); every other node is free.
    """

    def __init__(self, tn: TableNetwork, phenotype: Expression, candidates: set[int], constant: set[int]):
        self.tn = tn
        names = [n for n in tn.nodes if n in symbols(phenotype)]
        self.ph_nodes = tuple(tn.index[n] for n in names)
        self.ph_int = _to_int(truth_table(phenotype, names))
        self.ph_masks = _row_masks(len(names))
        self.candidates = set(candidates)
        self.constant = set(constant)

    @staticmethod
    def _value(table: int, masks, regs, space: Mapping[int, int]) -> int | None:
        """0 or 1 when the function is constant on ``space``, else ``None``."""
        full, zeros, ones = masks
        m = full
        for j, r in enumerate(regs):
            v = space.get(r)
            if v is not None:
                m &= ones[j] if v else zeros[j]
        x = table & m
        return 0 if x == 0 else 1 if x == m else None

    def phenotype_value(self, space: Mapping[int, int]) -> int | None:
        """0 (false in every state of ``space``), 1 (true in every state) or ``None``."""
        return self._value(self.ph_int, self.ph_masks, self.ph_nodes, space)

    def _free(self, space: dict[int, int], v: int, held: Mapping[int, int]) -> None:
        """Free ``v`` in ``space`` and every node whose rule is then no longer constant there."""
        tn = self.tn
        del space[v]
        todo = [v]
        while todo:
            u = todo.pop()
            for t, _ in tn.readers[u]:
                if t in space and t not in held and t not in self.constant:
                    if self._value(tn.ints[t], tn.masks[t], tn.regs[t], space) != space[t]:
                        del space[t]
                        todo.append(t)

    def grow(self, space: Mapping[int, int], held: Mapping[int, int]) -> dict[int, int]:
        """A maximal trap space containing ``space`` on which the phenotype stays false.

        ``space`` must be a trap space of the network with ``held`` (node index -> value)
        fixed, with the phenotype false on it.  The perturbation's own nodes are freed
        first, then the other candidates, in index order (deterministic)."""
        space = dict(space)
        order = [v for v in sorted(held) if v in space] + [v for v in sorted(space) if v in self.candidates
                                                           and v not in held]
        for v in order:
            if v not in space or v in self.constant:
                continue
            trial = dict(space)
            self._free(trial, v, {u: b for u, b in held.items() if u != v})
            if self.phenotype_value(trial) == 0:
                space = trial
        return space

    def closure(self, space: Mapping[int, int], held: Mapping[int, int]) -> dict[int, int]:
        """The smallest trap space containing subspace ``space``, with ``held`` (node index ->
        value) fixed: every node whose rule can disagree with its value there is freed.

        Examples
        --------
        >>> from logicnet import Network
        >>> from logicnet.expr import parse_expression
        >>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = not B\\nC* = A"))
        >>> TrapCuts(tn, parse_expression("C"), {0, 1, 2}, set()).closure({0: 0, 1: 0, 2: 1}, {})
        {0: 0}
        """
        tn = self.tn
        space = dict(space)
        changed = True
        while changed:
            changed = False
            for w in list(space):
                if w in self.constant:
                    continue
                val = held[w] if w in held else self._value(tn.ints[w], tn.masks[w], tn.regs[w], space)
                if val != space[w]:
                    del space[w]
                    changed = True
        return space

    def required(self, space: Mapping[int, int], held: Mapping[int, int]) -> frozenset:
        """The literals of ``held`` a trap space needs: those on its fixed nodes whose own rule
        is not already constant at that value there (the others hold it without help)."""
        tn = self.tn
        return frozenset((v, b) for v, b in held.items() if v in space
                         and self._value(tn.ints[v], tn.masks[v], tn.regs[v], space) != b)

    def cut(self, space: Mapping[int, int], p: Iterable[Literal], allowed: set[Literal]) -> Cut:
        """The cut of a trap space on which the phenotype is false (see the module docstring)."""
        held = dict(p)
        grown = self.grow(space, held)
        required = self.required(grown, held)
        breakers = frozenset((v, 1 - b) for v, b in grown.items() if (v, 1 - b) in allowed)
        return Cut(required, breakers, tuple(sorted(grown.items())))


@dataclass
class SearchState:
    """What a search has established so far (also when it stopped early)."""

    found: dict[int, list[tuple[Literal, ...]]] = field(default_factory=dict)
    """Subset-minimal working sets by size."""
    sizes_complete: list[int] = field(default_factory=list)
    checked: int = 0
    cuts: list[Cut] = field(default_factory=list)
    reach: list[ReachCut] = field(default_factory=list)
    stopped: str = ""
    """Why the search stopped before the last size ('' when it did not)."""


def _program(literals: list[Literal], size: int) -> str:
    nodes = sorted({v for v, _ in literals})
    lines = [f"lit({i},{v})." for i, (v, _) in enumerate(literals)]
    lines += [f"node({v})." for v in nodes]
    lines.append(f"{size} {{ s(I) : lit(I,_) }} {size}.")
    lines.append(":- node(V), 2 { s(I) : lit(I,V) }.")
    lines.append("#show s/1.")
    return "\n".join(lines)


def _clause(sym_of, required, breakers) -> str:
    body = [f"s({sym_of[x]})" for x in sorted(required)] + [f"not s({sym_of[x]})" for x in sorted(breakers)]
    return ":- " + ", ".join(body) + "." if body else ":- ."


def minimal_sets(literals: list[Literal], max_size: int,
                 check: Callable[[tuple[Literal, ...]], tuple[bool, Any]],
                 *, state: SearchState | None = None, deadline: float | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 initial_cuts: Iterable[Cut | ReachCut] = (), conflicts: Iterable[tuple[Literal, Literal]] = (),
                 program: str = "", on_size: Callable[[int, int | None, float], None] | None = None,
                 check_batch: Callable[[list], list] | None = None,
                 batch_size: Callable[[], int] | None = None, pilot: int = 0,
                 on_pilot: Callable[[], None] | None = None) -> SearchState:
    """Every subset-minimal perturbation of size <= ``max_size`` for which ``check`` says it works.

    ``check(p)`` returns ``(works, cuts)``; ``cuts`` (a :class:`Cut`, a :class:`ReachCut`, a
    sequence of them, or ``None``) excludes more failing sets.  A :class:`ReachCut` needs
    ``program`` (:func:`reach_program`); clingo's search stops, grounds the cut's rules and
    goes on.  Sizes are searched in increasing order, so when a set is checked all its
    subsets have been.  ``conflicts`` lists pairs of literals never taken together.
    ``deadline`` (``time.perf_counter()`` value) stops the search between two checks; the
    state says which sizes are complete.  ``on_size(size, left, started)``, when given, is
    called as each size starts with the number of sets of that size no cut found so far
    excludes (counted by clingo; ``None`` above :data:`COUNT_CAP`): each is checked unless a
    cut found during that size excludes it; ``started`` is the ``time.perf_counter()`` value
    before the size was grounded and counted.

    ``check_batch(ps)``, when given, checks several sets at once (in worker processes):
    clingo proposes up to ``batch_size()`` sets of the same size, each excluded from the
    next proposal, then their results are read in order.  Sets of one size are never
    subsets of each other, so the sets found are the same as one at a time; only the cuts a
    batch finds come later, so more sets may be checked.

    ``pilot``: a size with more sets left than this first checks ``pilot`` of them drawn
    uniformly at random (seeded by the size, so runs are deterministic), then goes on in
    clingo's order.  Its first checks are then a fair sample of its check times, from which
    a caller can estimate the size; clingo's first answers are not (on bbm070 they are its
    cheapest).  ``on_pilot()`` is called when they are checked and their cuts grounded.
    The sets found are the same.

    Examples
    --------
    >>> works = lambda p: ({(0, 1)} <= set(p) or {(1, 0), (2, 0)} <= set(p), None)
    >>> st = minimal_sets([(0, 1), (1, 0), (2, 0), (2, 1)], 3, lambda p: works(p))
    >>> st.found, st.sizes_complete
    ({1: [((0, 1),)], 2: [((1, 0), (2, 0))], 3: []}, [1, 2, 3])
    """
    import clingo

    st = state or SearchState()
    for c in initial_cuts:
        (st.reach if isinstance(c, ReachCut) else st.cuts).append(c)
    sym_of = {lit: i for i, lit in enumerate(literals)}
    allowed = set(literals)

    for size in range(1, max_size + 1):
        started = time.perf_counter()
        ctl = clingo.Control(["--models=0", "-W", "none"])
        prog = [_program(literals, size), program]
        prog += [f":- s({sym_of[a]}), s({sym_of[b]})." for a, b in conflicts]
        prog += [_clause(sym_of, set(f), ()) for k in st.found for f in st.found[k]]
        prog += [_clause(sym_of, c.required & allowed, c.breakers & allowed) for c in st.cuts]
        prog += [c.program(k) for k, c in enumerate(st.reach)]
        ctl.add("base", [], "\n".join(prog))
        ctl.ground([("base", [])])
        found = st.found.setdefault(size, [])
        if on_size is not None or pilot:
            left, sample = sample_answers("\n".join(prog), pilot, seed=size)
            if on_size is not None:
                on_size(size, left, started)
            if left is None or left > pilot:
                ctl.add("pilot", [], "\n".join(_check_sample(
                    st, size, found, literals, sym_of, progress, check, deadline,
                    [tuple(sorted(literals[x.arguments[0].number] for x in s)) for s in sample])))
                ctl.ground([("pilot", [])])
                if st.stopped:
                    break
                if on_pilot is not None:
                    on_pilot()
        step = 0
        while True:
            learn = _Learning(st, size, found, literals, sym_of, progress)
            with ctl.solve(yield_=True) as handle:
                for model in handle:
                    if deadline is not None and time.perf_counter() > deadline:
                        st.stopped = "time"
                        break
                    p = learn.propose(model)
                    if check_batch is None:
                        learn.take([check(p)], model.context)
                    elif len(learn.queue) >= max(1, batch_size() if batch_size is not None else 1):
                        learn.take(check_batch(list(learn.queue)), model.context)
                    if learn.new_reach:
                        break
            if learn.queue and not st.stopped:  # the last batch of this solve call
                learn.take(check_batch(list(learn.queue)), None)
            if st.stopped or not learn.new_reach:
                break
            step += 1
            for c in learn.new_reach:
                learn.pending.append(c.program(len(st.reach)))
                st.reach.append(c)
            ctl.add(f"step{step}", [], "\n".join(learn.pending))
            ctl.ground([(f"step{step}", [])])
        if st.stopped:
            break
        found.sort()
        st.sizes_complete.append(size)
    return st


def _check_sample(st: SearchState, size: int, found: list, literals: list, sym_of: dict, progress, check,
                  deadline: float | None, sample: list[tuple]) -> list[str]:
    """Check the sets of ``sample`` (those no cut learnt meanwhile excludes) before clingo's
    search of a size; the clauses its results give that search."""
    learn = _Learning(st, size, found, literals, sym_of, progress)
    allowed = learn.allowed
    for p in sample:
        if deadline is not None and time.perf_counter() > deadline:
            st.stopped = "time"
            break
        if any(c.required & allowed <= set(p) and not c.breakers & set(p) for c in st.cuts):
            continue
        learn.queue.append(p)
        learn.pending.append(_clause(sym_of, set(p), ()))
        learn.take([check(p)], None)
    for c in learn.new_reach:
        learn.pending.append(c.program(len(st.reach)))
        st.reach.append(c)
    return learn.pending


class _Learning:
    """What one solve call of :func:`minimal_sets` learns: the sets it proposed and not yet
    read (``queue``), the clauses for the next call (``pending``), the counterexample cuts
    that need one (``new_reach``)."""

    def __init__(self, st: SearchState, size: int, found: list, literals: list, sym_of: dict, progress):
        self.st, self.size, self.found, self.literals, self.sym_of = st, size, found, literals, sym_of
        self.allowed = set(sym_of)
        self.progress = progress
        self.queue: list = []
        self.pending: list[str] = []
        self.new_reach: list = []

    def _atom(self, x, sign):
        import clingo

        return clingo.Function("s", [clingo.Number(self.sym_of[x])]), sign

    def propose(self, model) -> tuple:
        """The set of an answer; excluded at once from the next answers, whatever its cuts say
        (a counterexample cut's own atoms may otherwise give it back as another answer)."""
        p = tuple(sorted(self.literals[s.arguments[0].number] for s in model.symbols(shown=True)))
        model.context.add_clause([self._atom(x, False) for x in p])
        self.pending.append(_clause(self.sym_of, set(p), ()))
        self.queue.append(p)
        return p

    def take(self, results, context) -> None:
        """Read the checked sets of the queue: record those found, learn the cuts (into
        ``context``, the running solve, when there is one)."""
        st = self.st
        for p, (works, cuts) in zip(self.queue, results):
            st.checked += 1
            if self.progress is not None:
                self.progress(self.size, st.checked)
            if works:
                self.found.append(p)
                continue
            for c in (cuts if isinstance(cuts, (list, tuple)) else [] if cuts is None else [cuts]):
                if isinstance(c, ReachCut):
                    self.new_reach.append(c)
                    continue
                st.cuts.append(c)
                if context is not None:
                    context.add_clause([self._atom(x, False) for x in sorted(c.required & self.allowed)]
                                       + [self._atom(x, True) for x in sorted(c.breakers & self.allowed)])
                self.pending.append(_clause(self.sym_of, c.required & self.allowed, c.breakers & self.allowed))
        self.queue.clear()


#: :func:`count_answers` stops counting here.
COUNT_CAP = 50_000


def count_answers(program: str, cap: int = COUNT_CAP) -> int | None:
    """The number of answer sets of ``program`` projected on its shown atoms, or ``None``
    when there are more than ``cap``.

    Examples
    --------
    >>> count_answers("{ a; b; c }. :- a, b. #show a/0. #show b/0.")
    3
    """
    return sample_answers(program, 0, cap=cap)[0]


def sample_answers(program: str, k: int, seed: int = 0, cap: int = COUNT_CAP) -> tuple[int | None, list[list]]:
    """The number of answer sets of ``program`` projected on its shown atoms (``None`` when
    there are more than ``cap``) and ``k`` of them drawn uniformly at random, each as the
    list of its shown symbols (clingo ``Symbol``), by reservoir sampling (Vitter's algorithm
    R, seeded by ``seed``; among the first ``cap + 1`` answers when there are more).

    Examples
    --------
    >>> n, sample = sample_answers("{ a; b; c }. :- a, b. #show a/0. #show b/0.", 2, seed=1)
    >>> n, len(sample)
    (3, 2)
    """
    import random

    import clingo

    ctl = clingo.Control([f"--models={cap + 1}", "-W", "none", "--project"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    rng = random.Random(seed)
    sample: list[list] = []
    n = 0

    def seen(model) -> None:
        nonlocal n
        j = n if n < k else rng.randrange(n + 1)
        if j < k:
            if j == len(sample):
                sample.append(model.symbols(shown=True))
            else:
                sample[j] = model.symbols(shown=True)
        n += 1

    ctl.solve(on_model=seen)
    return (n if n <= cap else None), sample


def space_values(expression: Expression, nodes: Sequence[str], spaces: Iterable[str]) -> list[int | None]:
    """The value of ``expression`` on each subspace string over ``nodes``: 0 (false in every
    state), 1 (true in every state) or ``None``.

    Examples
    --------
    >>> from logicnet.expr import parse_expression
    >>> space_values(parse_expression("A and not B"), ["A", "B"], ["10", "1*", "0*"])
    [1, None, 0]
    """
    names = [n for n in nodes if n in symbols(expression)]
    table = _to_int(truth_table(expression, names))
    masks = _row_masks(len(names))
    pos = [list(nodes).index(n) for n in names]
    out = []
    for s in spaces:
        space = {j: int(s[p]) for j, p in enumerate(pos) if s[p] != "*"}
        out.append(TrapCuts._value(table, masks, range(len(names)), space))
    return out


def percolation_trace(tn: TableNetwork, fixed: Mapping[int, int], stop: Callable[[dict], bool] | None = None
                      ) -> list[tuple[int, int]]:
    """The nodes ``fixed`` forces, round by round, in the order they become constant.

    Stops early when ``stop(known)`` is true (for example when the phenotype is decided).

    Examples
    --------
    >>> from logicnet import Network
    >>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = A\\nC* = B and not A\\nD* = C or B"))
    >>> percolation_trace(tn, {0: 1})
    [(1, 1), (2, 0), (3, 1)]
    """
    known = dict(fixed)
    trace: list[tuple[int, int]] = []
    while True:
        new = []
        for i in range(tn.n_nodes):
            if i not in known:
                v = TrapCuts._value(tn.ints[i], tn.masks[i], tn.regs[i], known)
                if v is not None:
                    new.append((i, v))
        if not new:
            return trace
        for i, v in new:
            known[i] = v
            trace.append((i, v))
            if stop is not None and stop(known):
                return trace


#: Variables up to which control with a hold or with given initial states is searched
#: state by state (sets of 2^20 bits, 128 KB each).
MAX_STATE_VARIABLES = 20


class StateSpaceControl:
    """Control questions that need every state: a hold other than permanent, or given
    initial states (CABEAN's source-target control; AEON's ``attractor_one_step`` /
    ``attractor_temporary`` / ``attractor_permanent``), asynchronous or synchronous.

    State sets are Python integers (:class:`~logicnet.engine.bitsets.BitsetNetwork`);
    a perturbation only changes the moves of its own nodes, so each check costs a few
    saturations of integer sets.

    Parameters
    ----------
    net : Network
        The network under the condition, the condition's nodes substituted away.
    phenotype : Expression
    goal : {"robust", "touch", "reachable"}
    hold : {"permanent", "temporary", "one-step", "sequential"}
        ``sequential``: :meth:`works_in_sequence` (each step temporary).
    source : "all", "attractors" or a list of subspaces (mappings node -> 0/1; a
        complete one is a state)

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.expr import parse_expression
    >>> net = Network.from_rules("M* = M or T\\nT* = 0\\nQ* = 0\\nP* = M or Q")
    >>> sc = StateSpaceControl(net, parse_expression("P"), "robust", "temporary", [dict(M=0, T=0, Q=0, P=0)])
    >>> sc.works(((1, 1),), "asynchronous"), sc.works(((2, 1),), "asynchronous")  # T OE locks M; Q OE does not
    (True, False)
    """

    def __init__(self, net, phenotype: Expression, goal: str, hold: str, source):
        from .bitsets import BitsetNetwork, async_attractors

        self.bn = bn = BitsetNetwork(net)
        self.goal, self.hold = goal, hold
        self.phi = bn.expression(phenotype)
        self.attractors = {"asynchronous": async_attractors(bn)}
        self.attractors["synchronous"] = self._sync_attractors(self._sync_table(), bn.full)
        self.source = source
        self._good: dict[str, int] = {}

    def initial(self, update: str) -> int:
        """The initial states as a set."""
        bn = self.bn
        if self.source == "all":
            return bn.full
        if self.source == "attractors":
            out = 0
            for a in self.attractors[update]:
                out |= a
            return out
        out = 0
        for space in self.source:
            s = bn.full
            for name, v in space.items():
                col = bn.columns[bn.nodes.index(name)]
                s &= col if v else ~col
            out |= s & bn.full
        return out

    def constant_values(self, update: str) -> dict[int, int] | None:
        """The nodes (positions) with one value in every initial state; ``None`` when there
        is no initial state."""
        init, bn = self.initial(update), self.bn
        if not init:
            return None
        out = {}
        for j in range(bn.n):
            col = bn.columns[j]
            if not init & col:
                out[j] = 0
            elif not init & ~col & bn.full:
                out[j] = 1
        return out

    def _holds(self, atts: list[int]) -> bool:
        phi = self.phi
        if self.goal == "robust":
            return all(not a & ~phi for a in atts)
        if self.goal == "touch":
            return all(a & phi for a in atts)
        return any(not a & ~phi for a in atts)

    def _sync_table(self, p=()):
        import numpy as np

        bn = self.bn
        size = 1 << bn.n
        nxt = np.zeros(size, np.int64)
        over = dict(p)
        for j in range(bn.n):
            if j in over:
                f = bn.full if over[j] else 0
            else:
                f = bn.up[j] | (bn.columns[j] & ~bn.down[j])
            bits = np.unpackbits(np.frombuffer(f.to_bytes((size + 7) // 8, "little"), np.uint8),
                                 bitorder="little")[:size]
            nxt |= bits.astype(np.int64) << j
        return nxt

    @staticmethod
    def _sync_attractors(nxt, init: int) -> list[int]:
        """The cycles reached from the states of ``init`` (a set) under the map ``nxt``."""
        seen: dict[int, int] = {}
        cycles = []
        states = init
        while states:
            low = states & -states
            s = low.bit_length() - 1
            states ^= low
            path = []
            while s not in seen:
                seen[s] = -1
                path.append(s)
                s = int(nxt[s])
            if seen[s] == -1:  # a new cycle
                cyc = path[path.index(s):]
                mask = 0
                for x in cyc:
                    mask |= 1 << x
                cycles.append(mask)
            for x in path:
                seen[x] = 0
        return cycles

    def _perturbed(self, p):
        import copy

        bn = copy.copy(self.bn)
        bn.up, bn.down = list(bn.up), list(bn.down)
        for j, b in p:
            bn.up[j] = (bn.full & ~bn.columns[j]) if b else 0
            bn.down[j] = 0 if b else bn.columns[j]
        bn.moving = [j for j in range(bn.n) if bn.up[j] | bn.down[j]]
        return bn

    def _reach(self, p, init: int, update: str) -> list[int]:
        """Attractors of the network perturbed by ``p`` reached from ``init``."""
        if update == "synchronous":
            return self._sync_attractors(self._sync_table(p) if p else self._nxt(), init)
        from .bitsets import attractors_within

        bn = self._perturbed(p) if p else self.bn
        return attractors_within(bn, bn.forward(init, bn.full))

    def _nxt(self):
        if not hasattr(self, "_nxt_cache"):
            self._nxt_cache = self._sync_table()
        return self._nxt_cache

    def good(self, update: str) -> int:
        """States from which the unperturbed network satisfies the goal."""
        if update not in self._good:
            atts = self.attractors[update]
            ok = [a for a in atts if self._holds([a])]
            bad = [a for a in atts if not self._holds([a])]
            if self.goal == "reachable":
                self._good[update] = self._back(ok, update)
            else:
                self._good[update] = self.bn.full & ~self._back(bad, update)
        return self._good[update]

    def _back(self, atts: list[int], update: str) -> int:
        target = 0
        for a in atts:
            target |= a
        if update == "asynchronous":
            return self.bn.backward(target, self.bn.full)
        nxt = self._nxt()
        # synchronous: states whose trajectory enters the target
        out = target
        for s in range(1 << self.bn.n):
            path = []
            x = s
            while not (out >> x) & 1 and x not in path and len(path) <= (1 << self.bn.n):
                path.append(x)
                x = int(nxt[x])
            if (out >> x) & 1:
                for y in path:
                    out |= 1 << y
        return out

    def nothing_good(self, update: str) -> bool:
        """True when no state of the unperturbed network satisfies the goal: then no
        temporary or one-step control can work."""
        return not self.good(update)

    def _released(self, states: int, update: str) -> bool:
        good = self.good(update)
        if self.goal == "reachable":
            return bool(states & good)
        return not states & ~good

    def _apply(self, p, states: int) -> int:
        """The states with the values of ``p`` written in: the perturbation acts at once (AEON)."""
        for j, b in p:
            col = self.bn.columns[j]
            states = (((states & col) | ((states & ~col) << (1 << j))) if b
                      else ((states & ~col) | ((states & col) >> (1 << j))))
        return states

    def settle(self, p, states: int, update: str) -> int:
        """The states of the attractors of the network perturbed by ``p`` that are reached from
        ``states`` once ``p`` is written in (a set)."""
        out = 0
        for a in self._reach(p, self._apply(p, states), update):
            out |= a
        return out

    def release(self, states: int, update: str) -> int:
        """The states of the attractors of the unperturbed network reached from ``states``."""
        return self.settle((), states, update)

    def works(self, p, update: str) -> bool:
        """Whether perturbation ``p`` ((node position, value) pairs) achieves the goal."""
        init = self.initial(update)
        if self.hold == "one-step":
            return self._released(self._apply(p, init), update)
        if self.hold == "permanent":
            return self._holds(self._reach(p, self._apply(p, init), update))
        return self._released(self.settle(p, init, update), update)

    def works_in_sequence(self, steps, update: str) -> bool:
        """Whether the temporary steps ``steps`` (perturbations, in order) achieve the goal:
        each is held until the perturbed network settles, then released, and the next acts
        on the attractors the released network reaches (CABEAN's attractor-based sequential
        control, generalised to a phenotype and to sets of attractors)."""
        states = self.initial(update)
        for p in steps[:-1]:
            states = self.release(self.settle(p, states, update), update)
        return self._released(self.settle(steps[-1], states, update), update)


class SymbolicStateControl:
    """:class:`StateSpaceControl` on decision diagrams, for conditions that leave too many
    free nodes to list their states: the same questions (holds, given initial states),
    asynchronous or synchronous, without enumerating attractors.

    With ``T(S)``, the greatest trap set inside a state set ``S`` (states all of whose
    successors stay in it), and ``R`` the states the perturbed network reaches from the
    initial ones: every attractor reached lies in ``S`` exactly when ``R`` never reaches a
    state that cannot reach ``T(S)``; some does exactly when ``R`` meets ``T(S)`` (an
    attractor inside ``S`` lies in ``T(S)``, and an attractor meeting a trap set lies in
    it).  That is AEON's construction (Brim et al. 2022: the greatest trap inside the
    phenotype, then the states that cannot reach it).  ``robust``: every attractor
    reached inside the phenotype; ``touch``: none inside its complement; ``reachable``:
    some inside the phenotype.  A temporary hold asks the same of the released network
    with ``S`` the states from which it satisfies the goal (for ``reachable``: one of the
    attractors reached, found by a pivot search, meets ``S``).

    Parameters are those of :class:`StateSpaceControl`; node positions in ``p`` index
    ``net.nodes``.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.expr import parse_expression
    >>> net = Network.from_rules("M* = M or T\\nT* = 0\\nQ* = 0\\nP* = M or Q")
    >>> sc = SymbolicStateControl(net, parse_expression("P"), "robust", "temporary", [dict(M=0, T=0, Q=0, P=0)])
    >>> sc.works(((1, 1),), "asynchronous"), sc.works(((2, 1),), "asynchronous")  # T OE locks M; Q OE does not
    (True, False)
    """

    def __init__(self, net, phenotype: Expression, goal: str, hold: str, source, memory: int | None = None):
        from .bdd import SymbolicNetwork, node_capacity

        self.net = net
        self.nodes = tuple(net.nodes)
        self.sn = SymbolicNetwork(net, max_nodes=None if memory is None else node_capacity(memory))
        self.goal, self.hold, self.source = goal, hold, source
        self.phi = self.sn.expression(phenotype)
        self._good: dict[str, Any] = {}
        self._init: dict[str, Any] = {}

    # -- the dynamics of a perturbed network, sharing the BDD manager --------------------
    def _view(self, p):
        import copy

        if not p:
            return self.sn
        sn = copy.copy(self.sn)
        sn._update, sn._can = dict(sn._update), dict(sn._can)
        sn._relation = sn._compose = sn._unprime = sn._xvars = None
        for j, b in p:
            x = self.nodes[j]
            sn._update[x] = sn.true if b else sn.false
            sn._can[x] = sn.literal(x, 1 - b)
        return sn

    @staticmethod
    def _step(sn, states, update: str, forward: bool):
        if update == "synchronous":
            return sn.image(states) if forward else sn.preimage(states)
        return sn.post_all(states) if forward else sn.pre_all(states)

    def _closure(self, sn, states, update: str, forward: bool):
        out = states
        while True:
            nxt = out | self._step(sn, out, update, forward)
            if nxt == out:
                return out
            out = nxt

    def _trap_inside(self, sn, states, update: str):
        """The greatest set inside ``states`` that no transition leaves."""
        x = states
        while True:
            if update == "synchronous":
                nxt = x & sn.preimage(x)
            else:
                nxt = x & ~sn.pre_all(~x & sn.true)
            if nxt == x:
                return x
            x = nxt

    def _all_reached_inside(self, sn, reached, inside, update: str) -> bool:
        good = self._closure(sn, self._trap_inside(sn, inside, update), update, forward=False)
        return sn.is_empty(reached & ~good)

    # -- the question ------------------------------------------------------------------
    def initial(self, update: str):
        """The initial states as a BDD."""
        sn = self.sn
        if update in self._init:
            return self._init[update]
        if self.source == "all":
            out = sn.true
        elif self.source == "attractors":
            out = self._untreated_attractors(update)
        else:
            out = sn.false
            for space in self.source:
                out = out | sn.subspace({k: v for k, v in space.items() if k in self.nodes})
        self._init[update] = out
        return out

    def _untreated_attractors(self, update: str):
        """The states of the network's attractors: listed by the attractor search when none
        has more than 4,096 states, else found on this manager by a pivot search."""
        from ..attractors import find_attractors

        sn = self.sn
        aset = find_attractors(self.net, update=update, basins=False, max_states=4096)
        if not aset.complete or any(a.states is None for a in aset):
            return self._attractor_states(sn, sn.true, update)
        out = sn.false
        for a in aset:
            for state in aset.state_strings(a):
                out = out | sn.subspace(dict(zip(aset.nodes, map(int, state))))
        return out

    def constant_values(self, update: str) -> dict[int, int] | None:
        """As :meth:`StateSpaceControl.constant_values`."""
        init, sn = self.initial(update), self.sn
        if sn.is_empty(init):
            return None
        out = {}
        for j, x in enumerate(self.nodes):
            if sn.is_empty(init & sn.literal(x, 1)):
                out[j] = 0
            elif sn.is_empty(init & sn.literal(x, 0)):
                out[j] = 1
        return out

    def _attractor_states(self, sn, within, update: str):
        """The states of the attractors inside a set no transition leaves (pivot search)."""
        out, todo = sn.false, within
        while not sn.is_empty(todo):
            pivot = sn.state(sn.pick(todo))
            fwd = self._closure(sn, pivot, update, forward=True)
            bwd = self._closure(sn, pivot, update, forward=False)
            if sn.is_empty(fwd & ~bwd):
                out = out | fwd
            todo = todo & ~bwd
        return out

    def good(self, update: str):
        """States from which the unperturbed network satisfies the goal."""
        if update not in self._good:
            sn = self.sn
            if self.goal == "robust":  # no attractor outside the phenotype can be reached
                can = self._closure(sn, self._trap_inside(sn, self.phi, update), update, forward=False)
                self._good[update] = ~self._closure(sn, ~can & sn.true, update, forward=False) & sn.true
            elif self.goal == "touch":  # no attractor inside its complement can be reached
                bad = self._trap_inside(sn, ~self.phi & sn.true, update)
                self._good[update] = ~self._closure(sn, bad, update, forward=False) & sn.true
            else:  # some attractor inside the phenotype can be reached
                self._good[update] = self._closure(sn, self._trap_inside(sn, self.phi, update), update,
                                                   forward=False)
        return self._good[update]

    def nothing_good(self, update: str) -> bool:
        """As :meth:`StateSpaceControl.nothing_good`."""
        return self.sn.is_empty(self.good(update))

    def works(self, p, update: str) -> bool:
        """Whether perturbation ``p`` ((node position, value) pairs) achieves the goal."""
        sn = self.sn
        init = self.initial(update)
        for j, b in p:  # the perturbation acts at once on the initial states (AEON)
            x = self.nodes[j]
            init = sn.exists(init, [x]) & sn.literal(x, b)
        if self.hold == "one-step":
            return self._released(init, update)
        view = self._view(p)
        reached = self._closure(view, init, update, forward=True)
        if self.hold == "permanent":
            return self._goal(view, reached, update)
        # temporary: the attractors reached, released, satisfy the goal: all of them lie where the
        # released network satisfies it (robust, touch), or one meets that set (reachable)
        if self.goal == "reachable":
            return not sn.is_empty(self._attractor_states(view, reached, update) & self.good(update))
        return self._all_reached_inside(view, reached, self.good(update), update)

    def settle(self, p, states, update: str):
        """As :meth:`StateSpaceControl.settle`: the states of the attractors of the network
        perturbed by ``p`` reached from ``states`` once ``p`` is written in (a BDD)."""
        sn = self.sn
        for j, b in p:
            x = self.nodes[j]
            states = sn.exists(states, [x]) & sn.literal(x, b)
        view = self._view(p)
        return self._attractor_states(view, self._closure(view, states, update, forward=True), update)

    def release(self, states, update: str):
        """The states of the attractors of the unperturbed network reached from ``states``."""
        return self.settle((), states, update)

    # the same chain of steps, on BDDs: settle, release and _released are this class's
    works_in_sequence = StateSpaceControl.works_in_sequence

    def _goal(self, sn, reached, update: str) -> bool:
        if self.goal == "robust":
            return self._all_reached_inside(sn, reached, self.phi, update)
        if self.goal == "touch":
            return sn.is_empty(reached & self._trap_inside(sn, ~self.phi & sn.true, update))
        return not sn.is_empty(reached & self._trap_inside(sn, self.phi, update))

    def _released(self, states, update: str) -> bool:
        """The goal on the unperturbed network from ``states``."""
        return self._goal(self.sn, self._closure(self.sn, states, update, forward=True), update)


def _mp_program() -> str:
    """The trap-space program of :mod:`logicnet.engine.trapspaces`, with a node's rule switched
    off when a candidate literal ``set(I,T)`` holds it at ``T``."""
    from .trapspaces import _PROGRAM

    rule = "v(I,T) :- rule(I,B), e(B,T)."
    assert rule in _PROGRAM
    return _PROGRAM.replace(rule, rule[:-1] + ", not pert(I).") + """
pert(I) :- set(I,_).
v(I,T) :- set(I,T).
:- set(I,T), v(I,1-T).
{ set(I,T) : cand(I,T) }.
"""


class PerturbedTrapSpaces:
    """Minimal trap spaces of a network under many perturbations, from one grounded program.

    The trap-space program of :mod:`logicnet.engine.trapspaces` (rules as BDD facts, the
    domain heuristic's subset-minimal enumeration, as mpbn does) gets one atom per
    candidate literal; a perturbation is solved under assumptions that switch its literals
    on (the node's rule is replaced by the value) and the others off, without building or
    grounding anything again.  (External atoms would not do: the solutions recorded by the
    subset-minimal enumeration outlive a solve call, assumptions do not.)

    Examples
    --------
    >>> from logicnet import Network
    >>> net = Network.from_rules("A* = not B\\nB* = not A\\nC* = A or C")
    >>> mp = PerturbedTrapSpaces(net, [(0, 0), (2, 1)])
    >>> mp.spaces(()), mp.spaces(((0, 0),)), mp.spaces(((2, 1),))
    (['010', '011', '101'], ['010', '011'], ['011', '101'])
    """

    def __init__(self, net, literals: Iterable[Literal]):
        import clingo

        from .trapspaces import rule_bdd_facts

        self.n = net.n_nodes
        lines = rule_bdd_facts(net)
        lines += [f"cand({v},{b})." for v, b in sorted(set(literals))]
        lines.append(_mp_program())
        self.ctl = clingo.Control(["--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=5,16", "--models=0",
                                   "-W", "none"])
        self.ctl.add("base", [], "\n".join(lines))
        self.ctl.ground([("base", [])])
        atoms = self.ctl.symbolic_atoms
        self._lit = {lit: atoms[clingo.Function("set", [clingo.Number(lit[0]), clingo.Number(lit[1])])].literal
                     for lit in set(literals)}

    def spaces(self, p: Iterable[Literal]) -> list[str]:
        """The minimal trap spaces (strings over every node) with the literals of ``p`` held."""
        p = set(p)
        assumptions = [x if lit in p else -x for lit, x in self._lit.items()]
        out = []
        with self.ctl.solve(assumptions=assumptions, yield_=True) as handle:
            for model in handle:
                seen = [0] * self.n
                for s in model.symbols(shown=True):
                    seen[s.arguments[0].number] |= 1 << s.arguments[1].number
                out.append("".join("0" if m == 1 else "1" if m == 2 else "*" for m in seen))
        return sorted(out, key=lambda s: (s.count("*"), s))
