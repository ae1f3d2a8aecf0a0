"""Network reduction and the :class:`Lift` that puts removed nodes back.

Three reductions, each exact for attractors under both update schemes:

* fixed nodes (constant rules) leave the state space and are substituted;
* constant propagation (optional): a node whose rule becomes constant (literally,
  or as a function, such as ``A or not A``) takes that value in every attractor,
  so it is substituted too;
* output pruning: a node that no other node reads (and that does not read itself)
  does not influence the rest; it is removed and recomputed by the lift.

Without constant propagation the reduction also keeps synchronous basin sizes:
every state of the reduced space stands for ``2 ** (number of pruned outputs)``
states of the full space.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = True\\nB* = A and C\\nC* = B\\nD* = not C")
>>> r = reduce_network(net)
>>> r.network.nodes, dict(r.lift.constants), [n for n, _ in r.lift.outputs]
(('B', 'C'), {'A': 1}, ['D'])
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import expr as _expr
from .network import Network

if TYPE_CHECKING:
    import numpy as np

__all__ = ["reduce_network", "Reduction", "Lift"]


@dataclass(frozen=True)
class Lift:
    """How to turn attractors of a reduced network back into the full network's.

    Attributes
    ----------
    full_nodes, reduced_nodes : tuple of str
    constants : Mapping[str, int]
        Removed nodes with a known value in every attractor.
    outputs : tuple of (str, Expression)
        Pruned outputs in removal order (lifted in reverse), with their rules.
    fixed : Mapping[str, int]
        The subset of ``constants`` that are fixed nodes (outside the state space).
    """

    full_nodes: tuple[str, ...]
    reduced_nodes: tuple[str, ...]
    constants: Mapping[str, int]
    outputs: tuple[tuple[str, _expr.Expression], ...]
    fixed: Mapping[str, int]

    @property
    def basin_factor(self) -> int:
        """Full-space states per reduced state (exact only without propagation).

        Examples
        --------
        >>> reduce_network(Network.from_rules("A* = A\\nB* = A"), propagate=False).lift.basin_factor
        2
        """
        return 1 << len(self.outputs)

    def lift_matrix(self, states: np.ndarray, *, update: str) -> np.ndarray:
        """Lift one attractor given as a boolean matrix (rows = states, columns = reduced nodes).

        For ``update="synchronous"`` rows must be in trajectory order (row ``i+1`` is the
        successor of row ``i``, cyclically); an output takes the value its rule had on
        the previous state.  For ``"asynchronous"`` an output whose rule varies on the
        attractor takes both values (every state is duplicated).

        Examples
        --------
        >>> net = Network.from_rules("A* = not A\\nB* = A")
        >>> import numpy as np
        >>> lift = reduce_network(net).lift
        >>> lift.lift_matrix(np.array([[0], [1]], bool), update="synchronous").astype(int).tolist()
        [[0, 1], [1, 0]]
        """
        import numpy as np

        size = states.shape[0]
        cols: dict[str, np.ndarray] = {n: states[:, j] for j, n in enumerate(self.reduced_nodes)}
        for n, v in self.constants.items():
            cols[n] = np.full(size, bool(v))
        for node, rule in reversed(self.outputs):
            if update == "fixed":  # independent fixed points: each row is its own predecessor
                cols[node] = _expr.evaluate_columns(rule, cols, size)
            elif update == "synchronous":
                prev = {k: np.roll(cols[k], 1) for k in _expr.symbols(rule)}
                cols[node] = _expr.evaluate_columns(rule, prev, size)
            else:
                values = _expr.evaluate_columns(rule, cols, size)
                if values.all() or not values.any():
                    cols[node] = values
                else:
                    cols = {k: np.concatenate([c, c]) for k, c in cols.items()}
                    size *= 2
                    cols[node] = np.concatenate([np.zeros(size // 2, bool), np.ones(size // 2, bool)])
        return np.column_stack([cols[n] for n in self.full_nodes]) if self.full_nodes else np.zeros((size, 0), bool)


@dataclass(frozen=True)
class Reduction:
    """A reduced network and the lift back to the original.

    Examples
    --------
    >>> reduce_network(Network.from_rules("A* = A")).network.nodes
    ('A',)
    """

    network: Network
    lift: Lift


@functools.lru_cache(maxsize=1 << 16)
def _constant(rule) -> int | None:
    """1 or 0 if ``rule`` is constant: literally, or by its truth table (narrow rules)."""
    c = _expr.constant_value(rule)
    if c is not None:
        return c
    syms = sorted(_expr.symbols(rule))
    if len(syms) > 12:
        return None
    # The truth table as one Python integer (bit r = row r), evaluated bit-parallel.
    full = (1 << (1 << len(syms))) - 1
    columns = {x: _expr.column_bits(len(syms), j) for j, x in enumerate(syms)}
    table = _expr.evaluate_bits(rule, columns, full)
    if table == full:
        return 1
    if table == 0:
        return 0
    return None


def reduce_network(net: Network, *, propagate: bool = True, prune_outputs: bool = True) -> Reduction:
    """Remove fixed nodes, propagate constants and prune outputs.

    Parameters
    ----------
    propagate : bool
        Substitute nodes whose rule becomes constant (exact for attractors, not for
        synchronous basin sizes).
    prune_outputs : bool
        Remove nodes that nothing else reads.

    Examples
    --------
    >>> net = Network.from_rules("A* = False\\nB* = A or B\\nC* = B")
    >>> reduce_network(net).network.nodes
    ('B',)
    >>> reduce_network(net, prune_outputs=False).network.nodes
    ('B', 'C')
    """
    order = {n: i for i, n in enumerate(net.nodes)}
    fixed = dict(net.constants)
    known: dict[str, int] = dict(fixed)
    readers: dict[str, list[str]] = {n: [] for n in net.nodes}
    for n in net.nodes:
        for x in _expr.symbols(net.rules[n]):
            readers[x].append(n)
    rules = {n: net.rules[n] for n in net.nodes if n not in known}
    # Substitute the fixed nodes into the rules that read them.
    touched = {t for n in fixed for t in readers[n] if t in rules}
    for t in touched:
        rules[t] = _expr.substitute(rules[t], known)
    if propagate:
        # Worklist: a node that becomes constant is substituted into its readers only.
        pending = [n for n in net.nodes if n in rules]
        while pending:
            queue = [n for n in pending if n in rules and _constant(rules[n]) is not None]
            pending = []
            while queue:
                n = queue.pop()
                if n not in rules:
                    continue
                value = _constant(rules[n])
                assert value is not None
                known[n] = value
                del rules[n]
                for t in readers[n]:
                    if t in rules:
                        rules[t] = _expr.substitute(rules[t], {n: value})
                        if _expr.constant_value(rules[t]) is not None:
                            queue.append(t)
                        else:
                            pending.append(t)
            pending = sorted(set(pending), key=order.__getitem__)
    remaining = [n for n in net.nodes if n in rules]
    outputs: list[tuple[str, _expr.Expression]] = []
    if prune_outputs:
        # Worklist: remove a node nothing else reads; its regulators may become outputs.
        # Later nodes go first, so that the order is deterministic.
        syms = {n: _expr.symbols(rules[n]) for n in remaining}
        n_readers = {n: 0 for n in remaining}
        for n in remaining:
            for x in syms[n]:
                if x != n and x in n_readers:
                    n_readers[x] += 1
        heap = [-order[n] for n in remaining if n_readers[n] == 0 and n not in syms[n]]
        heapq.heapify(heap)
        alive = set(remaining)
        while heap:
            n = net.nodes[-heapq.heappop(heap)]
            alive.discard(n)
            outputs.append((n, rules[n]))
            for x in syms[n]:
                if x != n and x in alive:
                    n_readers[x] -= 1
                    if n_readers[x] == 0 and x not in syms[x]:
                        heapq.heappush(heap, -order[x])
        remaining = [n for n in remaining if n in alive]
    reduced = Network(tuple(remaining), {n: rules[n] for n in remaining},
                      {n: v for n, v in net.annotations.items() if n in rules and n in remaining}, net.name)
    lift = Lift(net.nodes, reduced.nodes, dict(known), tuple(outputs), fixed)
    return Reduction(reduced, lift)
