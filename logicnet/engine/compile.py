"""Network -> plain numpy arrays: the only bridge from expressions to numbers.

Examples
--------
>>> from logicnet import Network
>>> c = compile_network(Network.from_rules("A* = not B\\nB* = A"))
>>> c.n_nodes, c.regs.tolist(), c.n_regs.tolist()
(2, [[1], [0]], [1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..expr import truth_table
from ..network import Network

__all__ = ["Compiled", "compile_network"]


@dataclass(frozen=True)
class Compiled:
    """A network as arrays.

    Attributes
    ----------
    n_nodes : int
    regs : ndarray (n_nodes, k_max) int64
        Regulator indices of each node (padded with 0).
    n_regs : ndarray (n_nodes,) int64
    table_off : ndarray (n_nodes,) int64
        Offset of each node's truth table in ``tables``.
    tables : ndarray uint8
        Concatenated truth tables; row bit ``j`` is the ``j``-th regulator.
    """

    n_nodes: int
    regs: np.ndarray
    n_regs: np.ndarray
    table_off: np.ndarray
    tables: np.ndarray

    @property
    def n_states(self) -> int:
        """2 ** n_nodes."""
        return 1 << self.n_nodes


def compile_network(net: Network) -> Compiled:
    """Truth tables and regulator indices of every node, in node order.

    Examples
    --------
    >>> c = compile_network(Network.from_rules("A* = A and not B\\nB* = True"))
    >>> c.tables.tolist()
    [0, 1, 0, 0, 1]
    """
    n = net.n_nodes
    index = {name: i for i, name in enumerate(net.nodes)}
    regs_list = [net.regulators(node) for node in net.nodes]
    k_max = max((len(r) for r in regs_list), default=0)
    regs = np.zeros((n, max(k_max, 1)), np.int64)
    n_regs = np.zeros(n, np.int64)
    offs = np.zeros(n, np.int64)
    parts = []
    pos = 0
    for i, (node, rl) in enumerate(zip(net.nodes, regs_list)):
        n_regs[i] = len(rl)
        for j, r in enumerate(rl):
            regs[i, j] = index[r]
        table = truth_table(net.rules[node], rl).astype(np.uint8)
        parts.append(table)
        offs[i] = pos
        pos += table.size
    tables = np.concatenate(parts) if parts else np.zeros(0, np.uint8)
    return Compiled(n, regs, n_regs, offs, np.ascontiguousarray(tables))


def compilable(net: Network) -> bool:
    """Whether every rule's truth table can be built (at most
    :data:`~logicnet.expr.MAX_TRUTH_TABLE_INPUTS` regulators).

    Examples
    --------
    >>> compilable(Network.from_rules("A* = B or C"))
    True
    """
    return too_wide(net) == ""


def too_wide(net: Network) -> str:
    """Why a rule's truth table cannot be built (the widest rule), or ``""``.

    Examples
    --------
    >>> too_wide(Network.from_rules("A* = " + " or ".join(f"X{i}" for i in range(25))))
    'the rule of A reads 25 regulators, too many for a truth table (at most 24)'
    """
    from ..expr import MAX_TRUTH_TABLE_INPUTS

    k, node = max(((len(net.regulators(x)), x) for x in net.nodes), default=(0, ""))
    if k <= MAX_TRUTH_TABLE_INPUTS:
        return ""
    return f"the rule of {node} reads {k} regulators, too many for a truth table (at most {MAX_TRUTH_TABLE_INPUTS})"
