"""A network as truth tables over its regulators, restricted fast under many conditions.

A screen asks the same network thousands of questions, each with a few more nodes
fixed.  Rewriting Boolean expressions for each of them costs milliseconds; here
each rule is compiled once into a truth table (a Python ``int`` bitmask and a
numpy array), and a condition is applied with integer masks:

* constant propagation is *semantic*: a node is forced when its table is constant
  on the rows consistent with what is already known (so ``A or not A`` is forced,
  whatever the number of regulators);
* a regulator is kept only if the restricted function depends on it (essential
  variables), and nodes that nothing else reads are pruned and recomputed from
  the others when the phenotype needs them (exact for attractors and, as every
  reduced state stands for the same number of full states, for basin shares);
* the result compiles straight to the arrays of :mod:`logicnet.engine.compile`.

Examples
--------
>>> from logicnet import Network
>>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = A or B\\nC* = B and not C\\nD* = C"))
>>> r = tn.restrict({"A": 1})
>>> r.n_free, sorted(r.known.items())
(1, [('A', 1), ('B', 1)])
>>> r.reduced_nodes, r.output_nodes
(('C',), ('D',))
"""

from __future__ import annotations

import functools
import heapq
from fractions import Fraction
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..expr import Expression, substitute, symbols, truth_table
from ..network import Network
from .compile import Compiled

__all__ = ["TableNetwork", "Restriction", "PhenotypeTable", "SHARE_MAX_ROWS"]

#: The most rows :meth:`PhenotypeTable.share` lists for one attractor (its states times
#: the values of the pruned outputs the phenotype reads that vary on it: each doubles them).
SHARE_MAX_ROWS = 1 << 24


@functools.lru_cache(maxsize=64)
def _row_masks(k: int) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """All rows of a ``k``-input table, and for each input ``j`` the rows where it is 0 / 1."""
    size = 1 << k
    full = (1 << size) - 1
    ones = []
    for j in range(k):
        half = 1 << j
        m = ((1 << half) - 1) << half
        width = half << 1
        while width < size:
            m |= m << width
            width <<= 1
        ones.append(m)
    zeros = tuple(full & ~m for m in ones)
    return full, zeros, tuple(ones)


def _to_int(table: np.ndarray) -> int:
    if table.size == 0:
        return 0
    return int.from_bytes(np.packbits(table.astype(np.uint8), bitorder="little").tobytes(), "little")


class TableNetwork:
    """Truth tables of every rule (regulators in node order; row bit ``j`` = ``j``-th regulator).

    Raises
    ------
    ResourceLimitError
        If a rule reads more than 24 nodes (its table would have over 2^24 rows).

    Examples
    --------
    >>> from logicnet import Network
    >>> TableNetwork(Network.from_rules("A* = not B\\nB* = A")).regs
    [(1,), (0,)]
    """

    def __init__(self, net: Network):
        self.network = net
        self.nodes = net.nodes
        self.index = {n: i for i, n in enumerate(net.nodes)}
        self.regs: list[tuple[int, ...]] = []
        self.arrays: list[np.ndarray] = []
        self.ints: list[int] = []
        self.readers: list[list[tuple[int, int]]] = [[] for _ in net.nodes]
        self.masks: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
        for i, node in enumerate(net.nodes):
            rl = net.regulators(node)
            table = truth_table(net.rules[node], rl)
            self.regs.append(tuple(self.index[r] for r in rl))
            self.arrays.append(table)
            self.ints.append(_to_int(table))
            self.masks.append(_row_masks(len(rl)))
            for j, r in enumerate(rl):
                self.readers[self.index[r]].append((i, j))

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    def propagate(self, fix: Mapping[str, int]) -> dict[int, int]:
        """The node indices ``fix`` fixes or forces (constant propagation), with their values:
        the first step of :meth:`restrict`, alone.

        Examples
        --------
        >>> from logicnet import Network
        >>> TableNetwork(Network.from_rules("A* = A\\nB* = A and C\\nC* = C")).propagate({"A": 0})
        {0: 0, 1: 0}
        """
        return self._propagate(fix)[0]

    def _propagate(self, fix: Mapping[str, int]) -> tuple[dict[int, int], list[int]]:
        n = self.n_nodes
        regs, ints, readers, row_masks = self.regs, self.ints, self.readers, self.masks
        fixed = {self.index[k]: int(v) for k, v in fix.items()}
        masks = [rm[0] for rm in row_masks]
        known: dict[int, int] = {}
        stack = list(fixed.items())
        for i in range(n):
            if i not in fixed:
                full = masks[i]
                x = ints[i] & full
                if x == 0:
                    stack.append((i, 0))
                elif x == full:
                    stack.append((i, 1))
        while stack:
            i, v = stack.pop()
            if i in known:
                continue
            known[i] = v
            for t, j in readers[i]:
                if t in known or t in fixed:
                    continue
                m = masks[t] = masks[t] & row_masks[t][2 if v else 1][j]
                x = ints[t] & m
                if x == 0:
                    stack.append((t, 0))
                elif x == m:
                    stack.append((t, 1))
        return known, masks

    def restrict(self, fix: Mapping[str, int]) -> Restriction:
        """Fix ``fix``, propagate what it forces, drop inessential regulators, prune outputs.

        Examples
        --------
        >>> from logicnet import Network
        >>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = (A or not A) and B\\nC* = not C"))
        >>> r = tn.restrict({})
        >>> r.reduced_nodes, r.n_free
        (('A', 'B', 'C'), 3)
        >>> tn.restrict({"B": 0}).reduced_nodes
        ('A', 'C')
        """
        known, masks = self._propagate(fix)
        n = self.n_nodes
        regs, ints, row_masks = self.regs, self.ints, self.masks
        free = [i for i in range(n) if i not in known]
        essential: dict[int, tuple[int, ...]] = {}
        for i in free:
            _, zeros, ones = row_masks[i]
            x = ints[i] & masks[i]
            ess = []
            for j, r in enumerate(regs[i]):
                if r in known:
                    continue
                if ((x & zeros[j]) << (1 << j)) != (x & ones[j]):
                    ess.append(j)
            essential[i] = tuple(ess)
        # prune outputs: nodes that no other free node reads (essentially), repeatedly
        n_readers = dict.fromkeys(free, 0)
        self_loop = set()
        for i in free:
            for j in essential[i]:
                r = regs[i][j]
                if r == i:
                    self_loop.add(i)
                else:
                    n_readers[r] += 1
        heap = [-i for i in free if n_readers[i] == 0 and i not in self_loop]
        heapq.heapify(heap)
        outputs: list[int] = []
        while heap:
            i = -heapq.heappop(heap)
            outputs.append(i)
            for j in essential[i]:
                r = regs[i][j]
                if r != i:
                    n_readers[r] -= 1
                    if n_readers[r] == 0 and r not in self_loop:
                        heapq.heappush(heap, -r)
        gone = set(outputs)
        reduced = tuple(i for i in free if i not in gone)
        return Restriction(self, known, reduced, tuple(outputs), essential)


@dataclass
class Restriction:
    """A network under one condition: known values, reduced nodes and pruned outputs.

    ``known`` holds fixed and forced nodes; the state space is ``2 ** n_free`` states
    over ``reduced_nodes`` (bit ``p`` of a state code is ``reduced_nodes[p]``).

    Examples
    --------
    >>> from logicnet import Network
    >>> r = TableNetwork(Network.from_rules("A* = not A\\nB* = A")).restrict({})
    >>> r.compile().tables.tolist()
    [1, 0]
    """

    table_network: TableNetwork
    known_idx: dict[int, int]
    reduced: tuple[int, ...]
    outputs: tuple[int, ...]
    essential: dict[int, tuple[int, ...]]

    @property
    def n_free(self) -> int:
        """Variables of the reduced state space."""
        return len(self.reduced)

    @property
    def known(self) -> dict[str, int]:
        """Fixed and forced nodes with their values."""
        nodes = self.table_network.nodes
        return {nodes[i]: v for i, v in sorted(self.known_idx.items())}

    @property
    def reduced_nodes(self) -> tuple[str, ...]:
        nodes = self.table_network.nodes
        return tuple(nodes[i] for i in self.reduced)

    @property
    def output_nodes(self) -> tuple[str, ...]:
        """Pruned outputs, in removal order."""
        nodes = self.table_network.nodes
        return tuple(nodes[i] for i in self.outputs)

    def _base_row(self, i: int) -> int:
        row = 0
        for j, r in enumerate(self.table_network.regs[i]):
            if self.known_idx.get(r, 0):
                row |= 1 << j
        return row

    def needed_outputs(self, nodes) -> set[int]:
        """Pruned outputs that ``nodes`` (indices) depend on, directly or through other outputs."""
        tn = self.table_network
        out_set = set(self.outputs)
        need: set[int] = set()
        todo = [i for i in nodes if i in out_set]
        while todo:
            i = todo.pop()
            if i in need:
                continue
            need.add(i)
            todo.extend(tn.regs[i][j] for j in self.essential[i] if tn.regs[i][j] in out_set)
        return need

    def symbolic_network(self, phenotype: Expression) -> tuple[Network, Expression]:
        """The reduced network, plus the outputs ``phenotype`` needs, with known values substituted.

        Outputs are kept as state variables here (rather than lifted), which leaves
        basin shares and asynchronous reachability unchanged: nothing reads them.

        Examples
        --------
        >>> from logicnet.expr import parse_expression, format_expression
        >>> tn = TableNetwork(Network.from_rules("A* = A\\nB* = not B and A\\nC* = B"))
        >>> net, ph = tn.restrict({"A": 1}).symbolic_network(parse_expression("C"))
        >>> net.nodes, format_expression(net.rules["B"])
        (('B', 'C'), 'not B')
        """
        tn = self.table_network
        base = tn.network
        ph_nodes = [tn.index[x] for x in symbols(phenotype)]
        keep = set(self.reduced) | self.needed_outputs(ph_nodes)
        known = self.known
        rules = {}
        names = tuple(tn.nodes[i] for i in sorted(keep))
        for i in sorted(keep):
            values = dict(known)
            ess = {tn.regs[i][j] for j in self.essential[i]}
            for r in tn.regs[i]:
                if r not in ess and r not in self.known_idx:
                    values[tn.nodes[r]] = 0  # the function does not depend on it
            rules[tn.nodes[i]] = substitute(base.rules[tn.nodes[i]], values)
        return Network(names, rules, name=base.name), substitute(phenotype, known)

    def compile(self) -> Compiled:
        """The reduced network as the arrays of :func:`logicnet.engine.compile.compile_network`."""
        tn = self.table_network
        pos = {i: p for p, i in enumerate(self.reduced)}
        m = len(self.reduced)
        k_max = max((len(self.essential[i]) for i in self.reduced), default=0)
        regs = np.zeros((m, max(k_max, 1)), np.int64)
        n_regs = np.zeros(m, np.int64)
        offs = np.zeros(m, np.int64)
        parts = []
        at = 0
        for p, i in enumerate(self.reduced):
            ess = self.essential[i]
            n_regs[p] = len(ess)
            for q, j in enumerate(ess):
                regs[p, q] = pos[tn.regs[i][j]]
            rows = np.full(1 << len(ess), self._base_row(i), np.int64)
            q_idx = np.arange(1 << len(ess), dtype=np.int64)
            for q, j in enumerate(ess):
                rows |= ((q_idx >> q) & 1) << j
            parts.append(tn.arrays[i][rows].astype(np.uint8))
            offs[p] = at
            at += parts[-1].size
        tables = np.concatenate(parts) if parts else np.zeros(0, np.uint8)
        return Compiled(m, regs, n_regs, offs, np.ascontiguousarray(tables))


class PhenotypeTable:
    """A phenotype as a truth table over its nodes, evaluated on attractors of a :class:`Restriction`.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.expr import parse_expression
    >>> net = Network.from_rules("A* = not A\\nB* = A")
    >>> ph = PhenotypeTable(parse_expression("B"), TableNetwork(net))
    >>> r = ph.table_network.restrict({})
    >>> ph.share(r, np.array([0, 1]), "synchronous"), ph.share(r, np.array([0, 1]), "asynchronous")
    (Fraction(1, 2), Fraction(1, 2))
    """

    def __init__(self, expression: Expression, tn: TableNetwork):
        self.table_network = tn
        self.expression = expression
        names = [n for n in tn.nodes if n in symbols(expression)]
        self.nodes = tuple(tn.index[n] for n in names)
        self.table = truth_table(expression, names)

    def share(self, r: Restriction, codes: np.ndarray, update: str) -> Fraction:
        """Share of the states of one attractor (reduced codes; trajectory order if synchronous)
        in which the phenotype holds, as an exact fraction."""
        tn = r.table_network
        size = len(codes)
        codes = np.asarray(codes, dtype=np.int64)
        pos = {i: p for p, i in enumerate(r.reduced)}
        # outputs the phenotype depends on, directly or through other outputs
        out_set = set(r.outputs)
        need: set[int] = set()
        todo = [i for i in self.nodes if i in out_set]
        while todo:
            i = todo.pop()
            if i in need:
                continue
            need.add(i)
            todo.extend(tn.regs[i][j] for j in r.essential[i] if tn.regs[i][j] in out_set)
        cols: dict[int, np.ndarray] = {}

        def col(i: int) -> np.ndarray:
            if i not in cols:
                if i in pos:
                    cols[i] = ((codes >> pos[i]) & 1).astype(bool)
                else:
                    cols[i] = np.full(size, bool(r.known_idx[i]))
            return cols[i]

        for i in self.nodes:
            if i not in out_set:
                col(i)
        for i in r.reduced:
            if any(tn.regs[o][j] == i for o in need for j in r.essential[o]):
                col(i)
        for o in reversed(r.outputs):
            if o not in need:
                continue
            rows = np.full(size, r._base_row(o), np.int64)
            for j in r.essential[o]:
                c = cols[tn.regs[o][j]]
                if update == "synchronous":
                    c = np.roll(c, 1)
                rows |= c.astype(np.int64) << j
            values = tn.arrays[o][rows]
            if update == "synchronous" or values.all() or not values.any():
                cols[o] = values
            else:
                if size * 2 > SHARE_MAX_ROWS:
                    from ..errors import ResourceLimitError

                    raise ResourceLimitError(
                        f"the phenotype reads outputs that each take both values on an attractor of "
                        f"{len(codes):,} states: its share would need more than {SHARE_MAX_ROWS:,} rows",
                        advice=("fix inputs",))
                cols = {k: np.concatenate([c, c]) for k, c in cols.items()}
                size *= 2
                cols[o] = np.concatenate([np.zeros(size // 2, bool), np.ones(size // 2, bool)])
        rows = np.zeros(size, np.int64)
        for p, i in enumerate(self.nodes):
            rows |= cols[i].astype(np.int64) << p
        return Fraction(int(self.table[rows].sum()), size)
