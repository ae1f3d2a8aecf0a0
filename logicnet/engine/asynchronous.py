"""Exhaustive general asynchronous search: terminal SCCs of the state graph.

Examples
--------
>>> from logicnet import Network
>>> from logicnet.engine.compile import compile_network
>>> mem, offs = async_attractors(compile_network(Network.from_rules("A* = not B\\nB* = A")))
>>> mem.tolist(), offs.tolist()
([0, 1, 2, 3], [0, 4])
"""

from __future__ import annotations

import logging
import time

import numpy as np

from ..limits import DEFAULT_LIMITS, Limits, check_memory
from .compile import Compiled
from .sync import MAX_EXHAUSTIVE_NODES, load_kernels, successors

logger = logging.getLogger(__name__)

__all__ = ["async_attractors", "async_memory"]


def async_memory(n: int) -> int:
    """Bytes the asynchronous search may allocate for ``n`` free variables.

    Examples
    --------
    >>> async_memory(24) // 2**20
    464
    """
    return (1 << n) * 29


#: Complex attractors the bitset search looks for before it hands over to Tarjan's algorithm.
MAX_BITSET_ROUNDS = 64
#: Below this many free variables Tarjan's algorithm is used directly.
BITSET_MIN_N = 12


def _terminal_sccs(succ: np.ndarray, n: int):
    """Bitset reachability (fast, little memory) unless there are many complex attractors."""
    from . import kernels

    if n >= BITSET_MIN_N:
        d = kernels.async_move_bitsets(succ, n)
        mem, offs, ok = kernels.async_attractors_bitset(d, n, succ.shape[0], MAX_BITSET_ROUNDS)
        if ok:
            return mem, offs
        logger.info("many complex attractors: switching to Tarjan's algorithm")
    return kernels.async_terminal_sccs(succ)


def async_attractors(c: Compiled, *, limits: Limits = DEFAULT_LIMITS, timings: dict | None = None):
    """Terminal strongly connected components over all 2^n states.

    Returns ``(members, offsets)``; component ``a`` is ``members[offsets[a]:offsets[a + 1]]``
    (sorted state codes).

    Raises
    ------
    ResourceLimitError
        Before allocating, if the search does not fit in memory.
    """
    n = c.n_nodes
    check_memory(async_memory(n), limits, n_free=n, what="An exhaustive asynchronous search", per_state=29,
                 advice="Fix inputs (--fix NODE=0|1 or a study context) or ask for fixed points only.")
    if n > MAX_EXHAUSTIVE_NODES:
        from ..errors import ResourceLimitError
        raise ResourceLimitError(f"an exhaustive search over {n} free variables is beyond logicnet's limit")
    tl = time.perf_counter()
    load_kernels("asynchronous")
    if timings is not None:
        timings["load"] = timings.get("load", 0.0) + time.perf_counter() - tl
    t0 = time.perf_counter()
    succ = successors(c)
    t1 = time.perf_counter()
    mem, offs = _terminal_sccs(succ, n)
    t2 = time.perf_counter()
    if timings is not None:
        timings["successors"] = timings.get("successors", 0.0) + t1 - t0
        timings["attractors"] = timings.get("attractors", 0.0) + t2 - t1
    logger.info("asynchronous search over 2^%d states: successors %.3f s, terminal SCCs %.3f s", n, t1 - t0, t2 - t1)
    return mem, offs
