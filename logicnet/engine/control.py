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
from dataclasses import dataclass, field

from ..expr import Expression, symbols, truth_table
from .tables import TableNetwork, _row_masks, _to_int

__all__ = ["TrapCuts", "Cut", "minimal_sets", "SearchState", "space_values", "percolation_trace"]

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

    def cut(self, space: Mapping[int, int], p: Iterable[Literal], allowed: set[Literal]) -> Cut:
        """The cut of a trap space on which the phenotype is false (see the module docstring)."""
        held = dict(p)
        grown = self.grow(space, held)
        required = frozenset((v, b) for v, b in held.items() if v in grown)
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
    stopped: str = ""
    """Why the search stopped before the last size ('' when it did not)."""


def _program(literals: list[Literal], size: int) -> str:
    nodes = sorted({v for v, _ in literals})
    lines = [f"lit({i},{v})." for i, (v, _) in enumerate(literals)]
    lines += [f"node({v})." for v in nodes]
    lines.append(f"{size} {{ s(I) : lit(I,_) }} {size}.")
    lines.append(":- node(V), 2 { s(I) : lit(I,V) }.")
    return "\n".join(lines)


def _clause(sym_of, required, breakers) -> str:
    body = [f"s({sym_of[x]})" for x in sorted(required)] + [f"not s({sym_of[x]})" for x in sorted(breakers)]
    return ":- " + ", ".join(body) + "." if body else ":- ."


def minimal_sets(literals: list[Literal], max_size: int,
                 check: Callable[[tuple[Literal, ...]], tuple[bool, Cut | None]],
                 *, state: SearchState | None = None, deadline: float | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 initial_cuts: Iterable[Cut] = ()) -> SearchState:
    """Every subset-minimal perturbation of size <= ``max_size`` for which ``check`` says it works.

    ``check(p)`` returns ``(works, cut)``; ``cut`` (or ``None``) excludes more failing
    sets.  Sizes are searched in increasing order, so when a set is checked all its
    subsets have been.  ``deadline`` (``time.perf_counter()`` value) stops the search
    between two checks; the state says which sizes are complete.

    Examples
    --------
    >>> works = lambda p: ({(0, 1)} <= set(p) or {(1, 0), (2, 0)} <= set(p), None)
    >>> st = minimal_sets([(0, 1), (1, 0), (2, 0), (2, 1)], 3, lambda p: works(p))
    >>> st.found, st.sizes_complete
    ({1: [((0, 1),)], 2: [((1, 0), (2, 0))], 3: []}, [1, 2, 3])
    """
    import clingo

    st = state or SearchState()
    st.cuts.extend(initial_cuts)
    sym_of = {lit: i for i, lit in enumerate(literals)}
    allowed = set(literals)
    for size in range(1, max_size + 1):
        ctl = clingo.Control(["--models=0", "-W", "none"])
        prog = [_program(literals, size)]
        prog += [_clause(sym_of, set(f), ()) for k in st.found for f in st.found[k]]
        prog += [_clause(sym_of, c.required & allowed, c.breakers & allowed) for c in st.cuts]
        ctl.add("base", [], "\n".join(prog))
        ctl.ground([("base", [])])
        found = st.found.setdefault(size, [])
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                if deadline is not None and time.perf_counter() > deadline:
                    st.stopped = "time"
                    break
                p = tuple(sorted(literals[s.arguments[0].number] for s in model.symbols(atoms=True)
                                 if s.name == "s"))
                works, cut = check(p)
                st.checked += 1
                if progress is not None:
                    progress(size, st.checked)
                if works:
                    found.append(p)
                    model.context.add_clause([(clingo.Function("s", [clingo.Number(sym_of[x])]), False)
                                              for x in p])
                elif cut is not None:
                    st.cuts.append(cut)
                    req, brk = cut.required & allowed, cut.breakers & allowed
                    model.context.add_clause(
                        [(clingo.Function("s", [clingo.Number(sym_of[x])]), False) for x in sorted(req)]
                        + [(clingo.Function("s", [clingo.Number(sym_of[x])]), True) for x in sorted(brk)])
        if st.stopped:
            break
        found.sort()
        st.sizes_complete.append(size)
    return st


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
