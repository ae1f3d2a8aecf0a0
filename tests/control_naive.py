"""Brute-force answers to control questions on small networks, for tests.

Every perturbation of size <= K drawn from the candidate literals is tried on the
explicit state graph (2^n states, n <= 10), and the goal is checked on the attractors it
leaves.  Built on the naive simulator (:mod:`tests.naive`), never on logicnet's engines,
so that ``logicnet.control`` can be tested against it.

Terms (``../shared/control.md`` 4.2, AEON, CABEAN):

- N = the network with the nodes of the condition ``fixed`` made constant; a
  perturbation P = a set of literals (node, 0|1), at most one per node; N/P = N with the
  rules of P replaced by their constants.  s[P] = the state s with P's values written in.
- Reach(M, I) = the attractors of M reachable from the states I: terminal strongly
  connected components of the asynchronous graph, cycles of the synchronous map, or
  (most permissive) the minimal trap spaces of M.
- Initial states I: ``"all"`` = every state in which the nodes of ``fixed`` hold their
  value; ``"attractors"`` = every state of every attractor of N; a state (dict) or a list
  of them, where a dict that leaves nodes out stands for a subspace (all its states); the
  nodes of ``fixed`` are given their fixed value.
- Hold: the perturbation acts on s[P] for s in I, as AEON's and CABEAN's source-target
  control do (``post_perturbation`` in biodivine-pbn-control):
  ``permanent``: the goal on Reach(N/P, I[P]);
  ``temporary``: the goal on Reach(N, every state of Reach(N/P, I[P])) (held until N/P
  has settled in an attractor, then released; AEON releases as soon as the target's
  strong basin is reached, which differs only when an attractor of N/P straddles that
  basin's border);
  ``one-step``: the goal on Reach(N, I[P]) (the values of P are set once).
- Goal on an attractor set S: ``robust``: every attractor of S satisfies the phenotype in
  all its states; ``touch``: every attractor has a state that satisfies it;
  ``reachable``: some attractor satisfies it in all its states.

A perturbation *works* when the goal holds; it is *minimal* when no proper subset works.
If the empty perturbation works, the minimal answer is ``{frozenset()}``.

Example (control.md 3.4)::

    >>> from logicnet import Network
    >>> toy = Network.from_rules("A* = 1\\nB* = A and not C\\nC* = B or C\\n"
    ...                          "D* = not C and E\\nE* = D or A\\nP* = D and not B")
    >>> cands = [(n, v) for n in "BCDE" for v in (0, 1)]
    >>> sorted(sorted(p) for p in brute_force_control(toy, "P", cands, 3))
    [[('B', 0), ('C', 0)], [('D', 1)]]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from logicnet import Network
from logicnet.expr import Expression, evaluate
from logicnet.phenotype import Phenotype

from .naive import all_states, decode, encode, sync_successor

__all__ = ["GOALS", "HOLDS", "UPDATES", "Question", "brute_force_control", "brute_force_sequences", "working_sets",
           "minimal",
           "works", "clamps", "terminal_components", "minimal_trap_spaces"]

GOALS = ("robust", "touch", "reachable")
HOLDS = ("permanent", "temporary", "one-step")
UPDATES = ("asynchronous", "synchronous", "most_permissive")
_SHORT = {"async": "asynchronous", "sync": "synchronous", "mp": "most_permissive"}

Literal = tuple[str, int]
Perturbation = frozenset  # of Literal


def _as_network(net_or_rules: Network | str) -> Network:
    return net_or_rules if isinstance(net_or_rules, Network) else Network.from_rules(net_or_rules)


def _predicate(phenotype) -> Callable[[dict], int]:
    """A function state dict -> 0/1 from a predicate, a Phenotype, an expression or its text."""
    if isinstance(phenotype, str):
        phenotype = Phenotype.parse("phenotype", phenotype)
    if isinstance(phenotype, Phenotype):
        phenotype = phenotype.expression
    if isinstance(phenotype, Expression):
        expression = phenotype
        return lambda state: evaluate(expression, state)
    return lambda state: int(bool(phenotype(state)))


class Question:
    """One control question on the explicit state graph of a small network.

    ``works(P)`` answers it for one perturbation; the transition table of N is computed
    once (2^n evaluations of the rules), every perturbation reuses it.
    """

    def __init__(self, net_or_rules: Network | str, phenotype, *, goal: str = "robust",
                 hold: str = "permanent", update: str = "asynchronous", source="all",
                 fixed: Mapping[str, int] | None = None):
        update = _SHORT.get(update, update)
        if goal not in GOALS or hold not in HOLDS or update not in UPDATES:
            raise ValueError(f"unknown goal/hold/update {goal!r}/{hold!r}/{update!r}")
        net = _as_network(net_or_rules)
        if net.n_nodes > 12:
            raise ValueError("brute force is for networks of at most 12 nodes")
        self.fixed = {k: int(v) for k, v in (fixed or {}).items()}
        self.net = net.fix(self.fixed)
        self.goal, self.hold, self.update = goal, hold, update
        if update == "most_permissive" and (hold != "permanent" or not (isinstance(source, str)
                                                                        and source == "all")):
            raise ValueError("most permissive: only permanent control from all states")
        n = self.net.n_nodes
        self.n = n
        #: succ[code] = code of the synchronous successor under N (bit i = i-th node)
        self.succ = [encode(self.net, sync_successor(self.net, s)) for s in all_states(self.net)]
        phi = _predicate(phenotype)
        self.phi = [bool(phi(s)) for s in all_states(self.net)]
        self.fixed_mask, self.fixed_val = self._mask(self.fixed.items())
        self.initial = self._initial(source)

    # -- perturbations as bit masks ---------------------------------------------------
    def _mask(self, literals: Iterable[Literal]) -> tuple[int, int]:
        mask = val = 0
        for node, value in literals:
            i = self.net.index(node)
            mask |= 1 << i
            val |= int(value) << i
        return mask, val

    def _initial(self, source) -> frozenset[int]:
        m, v = self.fixed_mask, self.fixed_val
        if isinstance(source, str):
            if source == "all":
                return frozenset(x for x in range(1 << self.n) if x & m == v)
            if source == "attractors":
                return frozenset(x for a in self.reach((0, 0), range(1 << self.n)) for x in a)
            raise ValueError(f"unknown source {source!r}")
        codes = set()
        for space in ([source] if isinstance(source, Mapping) else list(source)):
            unknown = set(space) - set(self.net.nodes)
            if unknown:
                raise ValueError(f"not nodes: {sorted(unknown)}")
            free = [n for n in self.net.nodes if n not in space]
            for values in itertools.product((0, 1), repeat=len(free)):
                codes.add(encode(self.net, {**space, **dict(zip(free, values))}))
        return frozenset((x & ~m) | v for x in codes)

    # -- dynamics ---------------------------------------------------------------------
    def _f(self, pert: tuple[int, int], x: int) -> int:
        mask, val = pert
        return (self.succ[x] & ~mask) | val

    def reach(self, pert: tuple[int, int], initial: Iterable[int]) -> set[frozenset[int]]:
        """Attractors (frozensets of state codes) of N/P reachable from ``initial``."""
        if self.update == "synchronous":
            out = set()
            for x in initial:
                seen = []
                index = {}
                while x not in index:
                    index[x] = len(seen)
                    seen.append(x)
                    x = self._f(pert, x)
                out.add(frozenset(seen[index[x]:]))
            return out
        if self.update == "most_permissive":
            return {frozenset(_space_states(space, self.n)) for space in
                    minimal_trap_spaces(self.succ, self.n, pert)}
        def successors(x: int) -> list[int]:  # general asynchronous: one disagreeing node flips
            diff = self._f(pert, x) ^ x
            return [x ^ (1 << i) for i in range(self.n) if diff >> i & 1]

        return terminal_components(successors, initial)

    def attractors(self, perturbation: Iterable[Literal] = ()) -> set[frozenset[int]]:
        """The attractor set the goal is checked on, for one perturbation."""
        pert = self._mask(perturbation)
        mask, val = pert
        start = {(x & ~mask) | val for x in self.initial}
        if self.hold == "one-step":
            return self.reach((0, 0), start)
        settled = self.reach(pert, start)
        if self.hold == "permanent":
            return settled
        return self.reach((0, 0), {x for a in settled for x in a})

    def sequence_attractors(self, steps) -> set[frozenset[int]]:
        """Sequential hold: each step (a perturbation) is written into the current states,
        held until N/P settles, then released; the next step acts on the states of the
        attractors of N reached.  The goal is checked on those after the last step."""
        states = set(self.initial)
        out: set[frozenset[int]] = set()
        for step in steps:
            pert = self._mask(step)
            mask, val = pert
            settled = self.reach(pert, {(x & ~mask) | val for x in states})
            out = self.reach((0, 0), {x for a in settled for x in a})
            states = {x for a in out for x in a}
        return out

    def holds(self, attractors: set[frozenset[int]]) -> bool:
        """The goal on an attractor set."""
        phi = self.phi
        if self.goal == "robust":
            return all(all(phi[x] for x in a) for a in attractors)
        if self.goal == "touch":
            return all(any(phi[x] for x in a) for a in attractors)
        return any(all(phi[x] for x in a) for a in attractors)

    def works(self, perturbation: Iterable[Literal] = ()) -> bool:
        """True if the perturbation achieves the goal."""
        return self.holds(self.attractors(perturbation))

    def state(self, code: int) -> dict[str, int]:
        return decode(self.net, code)


def terminal_components(successors: Callable[[int], list[int]], initial: Iterable[int]) -> set[frozenset[int]]:
    """Terminal strongly connected components of the graph reachable from ``initial``.

    Tarjan's algorithm, iterative; a component is terminal when no edge leaves it.

    >>> sorted(sorted(c) for c in terminal_components(lambda x: {0: [1], 1: [0, 2], 2: [2]}[x], [0]))
    [[2]]
    """
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    components = []
    for root in initial:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors(root)))]
        while work:
            v, edges = work[-1]
            for w in edges:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(successors(w))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:  # every edge of v explored
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    components.append(frozenset(component))
    return {c for c in components if all(y in c for x in c for y in successors(x))}


def _space_states(space: tuple[int, int], n: int) -> list[int]:
    """Codes of the states of the subspace (fixed mask, fixed values)."""
    mask, val = space
    free = [i for i in range(n) if not mask >> i & 1]
    return [val | sum(1 << free[j] for j in range(len(free)) if k >> j & 1) for k in range(1 << len(free))]


_SUBSPACES: dict[tuple, tuple] = {}


def minimal_trap_spaces(succ: list[int], n: int, pert: tuple[int, int] = (0, 0)) -> list[tuple[int, int]]:
    """Minimal trap spaces of N/P, by checking every one of the 3^n subspaces.

    ``succ`` is N's synchronous transition table (codes); ``pert`` = (mask, values) of P.
    A subspace (nodes fixed to values, the others free) is a trap space when every fixed
    node's rule takes the fixed value in every state of the subspace; the minimal ones are
    those that contain no other trap space.  Returned as (fixed mask, fixed values).

    >>> minimal_trap_spaces([2, 3, 0, 1], 2)   # A* = A, B* = not B (bit 0 = A): A fixed, B free
    [(1, 0), (1, 1)]
    """
    key = (tuple(succ), n)
    if key not in _SUBSPACES:
        _SUBSPACES.clear()
        _SUBSPACES[key] = _subspace_table(succ, n)
    masks, vals, ok = _SUBSPACES[key]
    pmask, pval = pert
    # a fixed node of P is a constant rule: fine iff the subspace fixes it to P's value
    trap = ((masks & ~pmask & ~ok) == 0) & (((vals ^ pval) & masks & pmask) == 0)
    tm, tv = masks[trap], vals[trap]
    order = np.argsort(-_popcount(tm), kind="stable")  # most fixed (smallest) first
    kept_m: list[int] = []
    kept_v: list[int] = []
    for m, v in zip(tm[order].tolist(), tv[order].tolist()):
        # a kept space K lies inside (m, v) iff K fixes every node m fixes, to the same values
        if not any(km & m == m and kv & m == v for km, kv in zip(kept_m, kept_v)):
            kept_m.append(m)
            kept_v.append(v)
    return sorted(zip(kept_m, kept_v))


def _popcount(a: np.ndarray) -> np.ndarray:
    return np.array([bin(int(x)).count("1") for x in a], dtype=np.int64)


def _subspace_table(succ: list[int], n: int):
    """For each of the 3^n subspaces: fixed mask, fixed values, and the fixed nodes whose
    rule is constant at the fixed value over the subspace (bit masks)."""
    full = (1 << (1 << n)) - 1
    column = [sum(1 << x for x in range(1 << n) if x >> i & 1) for i in range(n)]   # states with node i on
    rule_on = [sum(1 << x for x in range(1 << n) if succ[x] >> i & 1) for i in range(n)]  # f_i = 1
    masks, vals, oks = [], [], []
    for digits in itertools.product((0, 1, 2), repeat=n):  # 2 = free
        mask = val = ok = 0
        states = full
        for i, d in enumerate(digits):
            if d != 2:
                mask |= 1 << i
                val |= d << i
                states &= column[i] if d else full ^ column[i]
        for i, d in enumerate(digits):
            if d == 1 and states & rule_on[i] == states or d == 0 and states & rule_on[i] == 0:
                ok |= 1 << i
        masks.append(mask)
        vals.append(val)
        oks.append(ok)
    return np.array(masks, dtype=np.int64), np.array(vals, dtype=np.int64), np.array(oks, dtype=np.int64)


def _perturbations(candidates: Iterable[Literal], max_size: int) -> Iterable[Perturbation]:
    """Every set of at most ``max_size`` candidate literals, at most one per node, by size."""
    cands = sorted({(str(n), int(v)) for n, v in candidates})
    for size in range(max_size + 1):
        for combo in itertools.combinations(cands, size):
            if len({n for n, _ in combo}) == size:
                yield frozenset(combo)


def working_sets(net_or_rules, phenotype, candidates=None, max_size: int = 3, *, goal: str = "robust",
                 hold: str = "permanent", update: str = "asynchronous", source="all",
                 fixed: Mapping[str, int] | None = None) -> dict[int, set]:
    """Every perturbation of size <= ``max_size`` that works, by size (AEON's counts).

    ``candidates`` defaults to both literals of every node not in ``fixed``; the keyword
    arguments are those of :class:`Question`.
    """
    q = Question(net_or_rules, phenotype, goal=goal, hold=hold, update=update, source=source, fixed=fixed)
    if candidates is None:
        candidates = [(n, v) for n in q.net.nodes if n not in q.fixed for v in (0, 1)]
    candidates = list(candidates)
    bad = sorted({n for n, _ in candidates if n in q.fixed})
    if bad:
        raise ValueError(f"candidates on nodes of the condition: {bad}")
    out: dict[int, set] = {k: set() for k in range(max_size + 1)}
    for p in _perturbations(candidates, max_size):
        if q.works(p):
            out[len(p)].add(p)
    return out


def brute_force_control(net_or_rules, phenotype, candidates=None, max_size: int = 3, **question) -> set:
    """The subset-minimal perturbations (frozensets of (node, value)) of size <= max_size.

    Same arguments as :func:`working_sets` (goal, hold, update, source, fixed by keyword).
    """
    found = working_sets(net_or_rules, phenotype, candidates, max_size, **question)
    return minimal(found)


def minimal(found: Mapping[int, set]) -> set:
    """The sets of ``found`` (working sets by size) that contain no other working set."""
    out: set = set()
    for size in sorted(found):
        for p in found[size]:
            if not any(m <= p for m in out):
                out.add(p)
    return out


def works(net_or_rules, phenotype, perturbation: Iterable[Literal] = (), **question) -> bool:
    """True if the one perturbation achieves the goal (keywords as :class:`Question`)."""
    return Question(net_or_rules, phenotype, **question).works(perturbation)


def clamps(candidates: Iterable[Literal], state: Mapping[str, int]) -> set[Literal]:
    """The candidate literals that keep a node at the value it has in ``state`` (CABEAN
    does not count them as perturbations; AEON does)."""
    return {(n, v) for n, v in candidates if state[n] == v}



def brute_force_sequences(net_or_rules, phenotype, candidates, max_size: int = 3, max_steps: int = 2,
                          **question) -> set:
    """Sequential control: the sequences (tuples of non-empty perturbations) of at most
    ``max_steps`` steps and ``max_size`` literals in all that work (goal on
    :meth:`Question.sequence_attractors`) and of which no proper sub-sequence (a literal
    removed from a step, a step dropped) works; ``{()}`` when the untreated network already
    achieves the goal.  Keywords as :class:`Question` (its hold
    is ignored); ``update`` may be a list of schemes, all of which the sequence must work under."""
    question = {k: v for k, v in question.items() if k != "hold"}
    updates = question.pop("update", "asynchronous")
    qs = [Question(net_or_rules, phenotype, hold="temporary", update=u, **question)
          for u in ([updates] if isinstance(updates, str) else updates)]
    if all(q.works(()) for q in qs):  # no step is needed
        return {()}
    steps = [p for p in _perturbations(candidates, max_size) if p]
    memo: dict = {}

    def ok(seq) -> bool:
        if seq not in memo:
            memo[seq] = all(q.holds(q.sequence_attractors(seq)) for q in qs)
        return memo[seq]

    def sequences(budget: int, m: int):
        if m == 0:
            yield ()
            return
        for p in steps:
            if len(p) <= budget:
                for rest in sequences(budget - len(p), m - 1):
                    yield (p,) + rest

    def subsequences(seq):
        for choice in itertools.product(*[[frozenset(c) for k in range(len(p) + 1)
                                           for c in itertools.combinations(sorted(p), k)] for p in seq]):
            sub = tuple(c for c in choice if c)
            if sum(map(len, sub)) < sum(map(len, seq)):
                yield sub

    out = set()
    for m in range(1, max_steps + 1):
        for seq in sequences(max_size, m):
            if ok(seq) and not any(ok(sub) for sub in subsequences(seq) if sub):
                out.add(seq)
    return out
