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

import time

import numpy as np

from .. import _log
from ..limits import DEFAULT_LIMITS, Limits
from .compile import Compiled
from .sync import SCREEN_SMALL_N, ExplicitEngine, check_exhaustive, load_kernels, successors


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
        _log.info(__name__, "many complex attractors: switching to Tarjan's algorithm")
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
    check_exhaustive(n, async_memory(n), limits, "asynchronous", per_state=29)
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
    _log.info(__name__, "asynchronous search over 2^%d states: successors %.3f s, terminal SCCs %.3f s", n, t1 - t0, t2 - t1)
    return mem, offs


class ExplicitAsyncEngine(ExplicitEngine):
    """Asynchronous attractors and screen scores over every state (terminal SCCs of the
    bit-packed state graph).  ``cost``: the free variables after reduction.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine import Question
    >>> q = Question(Network.from_rules("A* = not B\\nB* = A"), "asynchronous")
    >>> [a.states for a in ExplicitAsyncEngine().attractors(q).attractors]
    [(0, 2, 1, 3)]
    """

    update = "asynchronous"
    bytes_per_state = 29

    def memory(self, m: int) -> int:
        return async_memory(m)

    def attractors(self, q):
        from .._bits import codes_to_matrix
        from ..progress import task
        from .contract import Found, sorted_attractors
        from .compile import compile_network

        t0 = time.perf_counter()
        red = q.reduced(propagate=True, prune_outputs=True)
        t1 = time.perf_counter()
        compiled = compile_network(red.network)
        q.add_time("reduce", t1 - t0)
        q.add_time("compile", time.perf_counter() - t1)
        with task(f"asynchronous search: terminal components over 2^{compiled.n_nodes} states"):
            mem, offs = async_attractors(compiled, limits=Limits(max_memory=q.memory), timings=q.timings)
        t2 = time.perf_counter()
        items = []
        for a in range(len(offs) - 1):
            codes = mem[offs[a]:offs[a + 1]].astype(np.int64)
            mat = red.lift.lift_matrix(codes_to_matrix(codes, red.network.n_nodes), update="asynchronous")
            items.append((mat, "fixed" if mat.shape[0] == 1 else "complex", None, None))
        found = Found(sorted_attractors(q.network.n_nodes, items))
        q.add_time("lift", time.perf_counter() - t2)
        return found

    def score(self, q, pt):
        """Share of states all of whose reachable attractors satisfy ``pt`` (a
        :class:`~logicnet.engine.tables.PhenotypeTable`), over the restriction ``q.network``."""
        from fractions import Fraction

        from . import kernels
        from .contract import Score

        r = q.network
        m = r.n_free
        n_states = 1 << m
        t1 = time.perf_counter()
        c = r.compile()
        t2 = time.perf_counter()
        succ = successors(c, small_n=SCREEN_SMALL_N)
        d = None
        if m >= BITSET_MIN_N:
            d = kernels.async_move_bitsets(succ, m)
            mem, offs, ok = kernels.async_attractors_bitset(d, m, n_states, MAX_BITSET_ROUNDS)
            if not ok:
                mem, offs = kernels.async_terminal_sccs(succ)
        else:
            mem, offs = kernels.async_terminal_sccs(succ)
        t3 = time.perf_counter()
        shares = [pt.share(r, mem[offs[a]:offs[a + 1]], "asynchronous") for a in range(len(offs) - 1)]
        bad = [mem[offs[a]:offs[a + 1]] for a, s in enumerate(shares) if s < 1.0]
        if bad:
            seeds = np.concatenate(bad).astype(np.uint32)
            if d is not None:
                reach = kernels.async_backward_count(d, seeds, m, n_states)
            else:
                reach = kernels.async_backward_reach(succ, seeds, m)
            score = float(Fraction(n_states - int(reach), n_states))
        else:
            score = 1.0
        good = sum(1 for s in shares if s == 1)
        return Score(score, good == len(shares), good / len(shares), len(shares), n_states,
                     (0.0, t2 - t1, t3 - t2, time.perf_counter() - t3))
