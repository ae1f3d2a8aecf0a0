"""Exhaustive synchronous search: successors, cycles and exact basins.

Examples
--------
>>> from logicnet import Network
>>> from logicnet.engine.compile import compile_network
>>> cyc, offs, basins = sync_attractors(compile_network(Network.from_rules("A* = not A")))
>>> cyc.tolist(), basins.tolist()
([0, 1], [2])
"""

from __future__ import annotations

import logging
import time

import numpy as np

from ..limits import DEFAULT_LIMITS, Limits, check_memory
from .compile import Compiled

logger = logging.getLogger(__name__)

__all__ = ["successors", "sync_attractors", "sync_memory", "MAX_EXHAUSTIVE_NODES"]

#: States are uint32, so an exhaustive search covers at most 32 free variables.
MAX_EXHAUSTIVE_NODES = 32
_MAX_MIXED_HIGH = 10


def sync_memory(n: int) -> int:
    """Bytes the synchronous search allocates for ``n`` free variables.

    Examples
    --------
    >>> sync_memory(30) // 2**20
    4352
    """
    return (1 << n) * 4 + ((1 << n) + 3) // 4


def _block_plan(c: Compiled):
    n = c.n_nodes
    low_bits = min(n, 12)
    kinds = np.zeros(n, np.int64)
    cfg_off = np.zeros(n + 1, np.int64)
    total = 0
    for i in range(n):
        regs = c.regs[i, : c.n_regs[i]]
        highs = int(np.sum(regs >= low_bits))
        lows = int(c.n_regs[i]) - highs
        cfg_off[i] = total
        if highs == 0:
            kinds[i] = 0
        elif lows == 0:
            kinds[i] = 1
        elif highs <= _MAX_MIXED_HIGH:
            kinds[i] = 2
            total += 1 << highs
        else:
            kinds[i] = 3
    cfg_off[n] = total
    return low_bits, kinds, cfg_off


def successors(c: Compiled, out: np.ndarray | None = None) -> np.ndarray:
    """The synchronous successor of every state, as a (2^n,) uint32 array.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.compile import compile_network
    >>> successors(compile_network(Network.from_rules("A* = B\\nB* = not A"))).tolist()
    [2, 0, 3, 1]
    """
    from . import kernels

    n = c.n_nodes
    if n > MAX_EXHAUSTIVE_NODES:
        raise ValueError("more than 32 free variables")
    if out is None:
        out = np.empty(1 << n, np.uint32)
    low_bits, kinds, cfg_off = _block_plan(c)
    low_table, mixed = kernels.build_block_tables(c.regs, c.n_regs, c.table_off, c.tables, n, low_bits, kinds, cfg_off)
    kernels.sync_successors(c.regs, c.n_regs, c.table_off, c.tables, n, low_bits, kinds, cfg_off,
                            low_table, mixed, out)
    return out


def sync_attractors(c: Compiled, *, limits: Limits = DEFAULT_LIMITS, timings: dict | None = None):
    """Cycles (in trajectory order) and exact basin sizes over all 2^n states.

    Returns ``(cycle_states, offsets, basins)``: attractor ``a`` is
    ``cycle_states[offsets[a]:offsets[a + 1]]`` and ``basins[a]`` states lead to it.

    Raises
    ------
    ResourceLimitError
        Before allocating, if the search does not fit in memory.
    """
    from . import kernels

    n = c.n_nodes
    check_memory(sync_memory(n), limits, n_free=n, what="An exhaustive synchronous search", per_state=4.25,
                 advice="Fix inputs (--fix NODE=0|1 or a study context) or ask for fixed points only.")
    if n > MAX_EXHAUSTIVE_NODES:
        from ..errors import ResourceLimitError
        raise ResourceLimitError(
            f"an exhaustive search over {n} free variables is beyond logicnet's 32-variable limit; "
            "fix inputs or ask for fixed points only")
    t0 = time.perf_counter()
    succ = successors(c)
    t1 = time.perf_counter()
    cyc, offs, basins = kernels.functional_graph_attractors(succ)
    t2 = time.perf_counter()
    del succ
    if timings is not None:
        timings["successors"] = timings.get("successors", 0.0) + t1 - t0
        timings["attractors"] = timings.get("attractors", 0.0) + t2 - t1
    logger.info("synchronous search over 2^%d states: successors %.3f s, attractors and basins %.3f s",
                n, t1 - t0, t2 - t1)
    return cyc, offs, basins
