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

import time

import numpy as np

from .. import _log
from ..limits import DEFAULT_LIMITS, Limits, check_memory
from .compile import Compiled


__all__ = ["successors", "sync_attractors", "sync_memory", "load_kernels", "MAX_EXHAUSTIVE_NODES"]

#: Screens evaluate many conditions in one process, so numba's start-up cost is paid
#: once; numpy only wins for the smallest state spaces.
SCREEN_SMALL_N = 10

#: States are uint32, so an exhaustive search covers at most 32 free variables.
MAX_EXHAUSTIVE_NODES = 32
_MAX_MONOMIALS = 256
#: Low bits per block of the successor kernel (2^12 uint32 = 16 KiB stays in L1/L2).
LOW_BITS = 12
#: Up to this many free variables the search runs in numpy alone (no numba start-up, which
#: costs about a second; BoolNet needs longer than that only above about 21 variables).
SMALL_N = 20


def sync_memory(n: int) -> int:
    """Bytes the synchronous search allocates for ``n`` free variables.

    Examples
    --------
    >>> sync_memory(30) // 2**20
    4352
    """
    return (1 << n) * 4 + ((1 << n) + 3) // 4


def successors(c: Compiled, out: np.ndarray | None = None, *, small_n: int | None = None) -> np.ndarray:
    """The synchronous successor of every state, as a (2^n,) uint32 array.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.compile import compile_network
    >>> successors(compile_network(Network.from_rules("A* = B\\nB* = not A"))).tolist()
    [2, 0, 3, 1]
    """
    n = c.n_nodes
    if n > MAX_EXHAUSTIVE_NODES:
        raise ValueError("more than 32 free variables")
    if out is None:
        out = np.empty(1 << n, np.uint32)
    if n <= (SMALL_N if small_n is None else small_n):
        return _successors_numpy(c, out)
    from . import kernels

    low_bits = min(n, LOW_BITS)
    masks, ptab, slow = anf_block_tables(c, low_bits, _MAX_MONOMIALS)
    kernels.sync_successors_anf(c.regs, c.n_regs, c.table_off, c.tables, n, low_bits, masks, ptab, slow, out)
    return out


def anf_block_tables(c: Compiled, low_bits: int, max_monomials: int):
    """Algebraic-normal-form tables for ``kernels.sync_successors_anf`` (numpy).

    Each node's function is a XOR of monomials; a monomial splits into a part on the
    low ``low_bits`` bits and a part on the high bits.  Grouping by the high part
    ``M`` gives one table ``P_M`` over the low bits, and the successor of state
    ``(h, lo)`` is ``XOR_{M subset of h} P_M[lo]``.  Nodes with more than
    ``max_monomials`` monomials are marked slow (the kernel evaluates them per state).

    Returns ``masks`` (n_tables,) int64 high-part masks, ``ptab`` (n_tables, 2^low_bits)
    uint32 and ``slow`` (n_nodes,) uint8.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine.compile import compile_network
    >>> masks, ptab, slow = anf_block_tables(compile_network(Network.from_rules("A* = B\\nB* = A and B")), 1, 8)
    >>> masks.tolist(), ptab.tolist(), slow.tolist()
    ([1], [[1, 3]], [0, 0])
    """
    size = 1 << low_bits
    lows = np.arange(size, dtype=np.int64)
    slow = np.zeros(c.n_nodes, np.uint8)
    tables: dict[int, np.ndarray] = {}
    for i in range(c.n_nodes):
        k = int(c.n_regs[i])
        a = c.tables[c.table_off[i]:c.table_off[i] + (1 << k)].copy()
        for j in range(k):  # Moebius transform: truth table -> ANF coefficients
            v = a.reshape(-1, 2, 1 << j)
            v[:, 1, :] ^= v[:, 0, :]
        monomials = np.flatnonzero(a)
        if monomials.size > max_monomials:
            slow[i] = 1
            continue
        regs = c.regs[i, :k]
        bit = np.uint32(1) << np.uint32(i)
        for r in monomials.tolist():
            lowmask = highmask = 0
            for j in range(k):
                if (r >> j) & 1:
                    g = int(regs[j])
                    if g < low_bits:
                        lowmask |= 1 << g
                    else:
                        highmask |= 1 << (g - low_bits)
            row = tables.get(highmask)
            if row is None:
                row = tables[highmask] = np.zeros(size, np.uint32)
            row ^= np.where((lows & lowmask) == lowmask, bit, np.uint32(0)).astype(np.uint32)
    keys = list(tables)
    masks = np.array(keys, np.int64)
    ptab = np.array([tables[k] for k in keys], np.uint32).reshape(len(keys), size)
    return masks, ptab, slow


def _successors_numpy(c: Compiled, out: np.ndarray) -> np.ndarray:
    """Vectorised numpy successors (small state spaces: no numba start-up cost)."""
    n = c.n_nodes
    states = np.arange(1 << n, dtype=np.uint32)
    bits = [(states >> np.uint32(j)) & np.uint32(1) for j in range(n)]
    out[:] = 0
    idx = np.empty(1 << n, np.uint32)
    tmp = np.empty(1 << n, np.uint32)
    for i in range(n):
        k = int(c.n_regs[i])
        idx[:] = 0
        for j in range(k):
            np.left_shift(bits[int(c.regs[i, j])], np.uint32(j), out=tmp)
            idx |= tmp
        table = c.tables[c.table_off[i]:c.table_off[i] + (1 << k)].astype(np.uint32) << np.uint32(i)
        out |= table[idx]
    return out


def _attractors_numpy(succ: np.ndarray):
    """Cycles and basins with numpy alone (small state spaces: no numba start-up).

    The image of the state set shrinks to the union of the cycles after as many
    steps ``T`` as the longest transient; ``ceil(log2 T)`` pointer doublings then
    take every state onto its cycle, and a lookup names the cycle.
    """
    image = np.unique(succ)
    steps = 1
    while True:
        nxt = np.unique(succ[image])
        if nxt.size == image.size:  # the image maps onto itself: only cycle states remain
            break
        image = nxt
        steps += 1
    cyc_list: list[int] = []
    offs = [0]
    cycle_of = np.full(image.size, -1, np.int64)
    pos = {int(x): i for i, x in enumerate(image.tolist())}
    for i, x in enumerate(image.tolist()):
        if cycle_of[i] >= 0:
            continue
        y = x
        while True:
            cyc_list.append(y)
            cycle_of[pos[y]] = len(offs) - 1
            y = int(succ[y])
            if y == x:
                break
        offs.append(len(cyc_list))
    jump = succ.astype(np.int64)
    reach = 1
    while reach < steps:
        jump = jump[jump]
        reach *= 2
    labels = cycle_of[np.searchsorted(image, jump)]
    basins = np.bincount(labels, minlength=len(offs) - 1).astype(np.int64)
    return np.array(cyc_list, np.uint32), np.array(offs, np.int64), basins


def load_kernels(update: str, *, flagged: bool = True) -> None:
    """Load (or, on a fresh install, compile) the kernels a search will use.

    Called before a search's clock starts, so that ``--timings`` reports numba's
    start-up as ``load`` and the search itself as ``successors``/``attractors``.

    Examples
    --------
    >>> load_kernels("synchronous")
    """
    from . import kernels

    if update == "synchronous":
        used = [kernels.sync_successors_anf, kernels.functional_graph_attractors_flagged if flagged
                else kernels.functional_graph_attractors]
    else:
        used = [kernels.sync_successors_anf, kernels.async_terminal_sccs, kernels.async_move_bitsets,
                kernels.async_attractors_bitset]
    if any(_needs_compiling(k) for k in used):
        from ..progress import task

        _log.info(__name__, "compiling kernels, first run only")
        with task("compiling kernels, first run only"):
            _load_kernels(kernels, update, flagged)
    else:
        _load_kernels(kernels, update, flagged)


def _needs_compiling(dispatcher) -> bool:
    """True if a numba kernel is neither loaded in this process nor in numba's on-disk cache."""
    if dispatcher.overloads:
        return False
    try:
        import os

        return not os.path.exists(dispatcher._cache._cache_file._index_path)
    except AttributeError:  # pragma: no cover - numba internals changed: assume compiling
        return True


def _load_kernels(kernels, update: str, flagged: bool) -> None:
    tiny = np.zeros(2, np.uint32)
    regs = np.zeros((1, 1), np.int64)
    one = np.ones(1, np.int64)
    kernels.sync_successors_anf(regs, one, np.zeros(1, np.int64), np.zeros(2, np.uint8), 1, 0,
                                np.zeros(0, np.int64), np.zeros((0, 1), np.uint32), np.zeros(1, np.uint8), tiny)
    if update == "synchronous":
        if flagged:
            kernels.functional_graph_attractors_flagged(np.zeros(1, np.uint32))
        else:
            kernels.functional_graph_attractors(np.zeros(1, np.uint32))
    else:
        kernels.async_terminal_sccs(np.zeros(1, np.uint32))
        d = kernels.async_move_bitsets(np.zeros(1, np.uint32), 1)
        kernels.async_attractors_bitset(d, 1, 1, 1)


def check_exhaustive(n: int, need: int, limits: Limits, update: str, *, per_state: float) -> None:
    """Refuse, before allocating, an exhaustive search over ``n`` free variables that needs
    ``need`` bytes (``per_state`` per state) when it is over ``limits`` or over
    :data:`MAX_EXHAUSTIVE_NODES` variables.

    Examples
    --------
    >>> check_exhaustive(3, sync_memory(3), DEFAULT_LIMITS, "synchronous", per_state=4.25)
    """
    check_memory(need, limits, n_free=n, what=f"An exhaustive {update} search", per_state=per_state,
                 advice="Fix inputs (a study context) or ask for fixed points only.")
    if n > MAX_EXHAUSTIVE_NODES:
        from ..errors import ResourceLimitError

        raise ResourceLimitError(
            f"an exhaustive search over {n} free variables is beyond logicnet's {MAX_EXHAUSTIVE_NODES}-variable "
            "limit; fix inputs or ask for fixed points only", advice=("fix inputs", "fixed points only"))


def sync_attractors(c: Compiled, *, limits: Limits = DEFAULT_LIMITS, timings: dict | None = None):
    """Cycles (in trajectory order) and exact basin sizes over all 2^n states.

    Returns ``(cycle_states, offsets, basins)``: attractor ``a`` is
    ``cycle_states[offsets[a]:offsets[a + 1]]`` and ``basins[a]`` states lead to it.

    Raises
    ------
    ResourceLimitError
        Before allocating, if the search does not fit in memory.
    """
    n = c.n_nodes
    check_exhaustive(n, sync_memory(n), limits, "synchronous", per_state=4.25)
    if n > SMALL_N:
        tl = time.perf_counter()
        load_kernels("synchronous", flagged=n <= 31)
        if timings is not None:
            timings["load"] = timings.get("load", 0.0) + time.perf_counter() - tl
    t0 = time.perf_counter()
    succ = successors(c)
    t1 = time.perf_counter()
    if n <= SMALL_N:
        cyc, offs, basins = _attractors_numpy(succ)
    else:
        from . import kernels

        if n <= 31:
            cyc, offs, basins = kernels.functional_graph_attractors_flagged(succ)
        else:
            cyc, offs, basins = kernels.functional_graph_attractors(succ)
    t2 = time.perf_counter()
    del succ
    if timings is not None:
        timings["successors"] = timings.get("successors", 0.0) + t1 - t0
        timings["attractors"] = timings.get("attractors", 0.0) + t2 - t1
    _log.info(__name__, "synchronous search over 2^%d states: successors %.3f s, attractors and basins %.3f s",
                n, t1 - t0, t2 - t1)
    return cyc, offs, basins


class ExplicitEngine:
    """What the explicit engines share: every state in memory (``bytes_per_state`` of the
    search), at most :data:`MAX_EXHAUSTIVE_NODES` variables, rules narrow enough for
    truth tables.  ``cost``: the free variables after reduction."""

    update = "synchronous"
    bytes_per_state = 4.25

    def memory(self, m: int) -> int:
        return sync_memory(m)

    def fits(self, net, q) -> bool:
        from .compile import compilable

        m = net.n_nodes
        return m <= MAX_EXHAUSTIVE_NODES and self.memory(m) <= q.memory and compilable(net)

    def cost(self, q) -> int | None:
        if q.update != self.update:
            return None
        if q.task == "score":
            m = q.network.n_free
            return m if m <= MAX_EXHAUSTIVE_NODES and self.memory(m) <= q.memory else None
        net = q.reduced(propagate=True, prune_outputs=True).network
        return net.n_nodes if self.fits(net, q) else None

    def refusal(self, q) -> str:
        from .compile import too_wide
        from .contract import memory_refusal, score_refusal

        if q.update != self.update:
            return ""
        if q.task == "score":
            return score_refusal(q, self.memory(q.network.n_free))
        net = q.reduced(propagate=True, prune_outputs=True).network
        return too_wide(net) or memory_refusal(f"An exhaustive {q.update} search", net.n_nodes,
                                               self.memory(net.n_nodes), q.memory, per_state=self.bytes_per_state,
                                               max_variables=MAX_EXHAUSTIVE_NODES)


class ExplicitSyncEngine(ExplicitEngine):
    """Synchronous attractors (with exact basins) and screen scores over every state.

    ``cost``: the free variables after reduction (without constant propagation when
    basins are asked for, so that every basin is counted); a search that fits only
    with propagation (and so without basins) counts as beyond every automatic choice.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine import Question
    >>> q = Question(Network.from_rules("A* = not A\\nB* = A"), "synchronous")
    >>> engine = ExplicitSyncEngine()
    >>> engine.cost(q), [(a.states, a.basin) for a in engine.attractors(q).attractors]
    (1, [((2, 1), 4)])
    """

    def cost(self, q) -> int | None:
        if q.update != self.update or q.task == "score" or not (q.basins or not q.reduce):
            return super().cost(q)
        first = q.reduced(propagate=False, prune_outputs=True).network
        if self.fits(first, q):
            return first.n_nodes
        if not q.reduce or super().cost(q) is None:
            return None
        return max(first.n_nodes, MAX_EXHAUSTIVE_NODES + 1)

    def attractors(self, q):
        from .._bits import codes_to_matrix
        from ..progress import task
        from .contract import Found, sorted_attractors
        from .compile import compile_network

        t0 = time.perf_counter()
        red = q.reduced(propagate=False, prune_outputs=True)
        exact = (q.basins or not q.reduce) and self.fits(red.network, q)
        notes = ()
        if not exact:
            if q.basins:
                notes = (f"basins not computed: {red.network.n_nodes} variables remain without constant "
                         "propagation; attractors are exact",)
            red = q.reduced(propagate=True, prune_outputs=True)
        t1 = time.perf_counter()
        compiled = compile_network(red.network)
        q.add_time("reduce", t1 - t0)
        q.add_time("compile", time.perf_counter() - t1)
        what = "attractors and basins" if exact else "attractors"
        with task(f"synchronous search: {what} over 2^{compiled.n_nodes} states"):
            cyc, offs, counts = sync_attractors(compiled, limits=Limits(max_memory=q.memory), timings=q.timings)
        t2 = time.perf_counter()
        net = q.network
        n_states = 1 << (net.n_nodes - len(net.constants))
        items = []
        for a in range(len(counts)):
            codes = cyc[offs[a]:offs[a + 1]]
            mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), red.network.n_nodes),
                                       update="synchronous")
            basin = int(counts[a]) * red.lift.basin_factor if exact else None
            items.append((mat, "fixed" if mat.shape[0] == 1 else "cycle", basin,
                          None if basin is None else basin / n_states))
        found = Found(sorted_attractors(net.n_nodes, items), n_states if exact else None, notes=notes)
        q.add_time("lift", time.perf_counter() - t2)
        return found

    def score(self, q, pt):
        """Basin-weighted share of states ending where ``pt`` (a
        :class:`~logicnet.engine.tables.PhenotypeTable`) holds, over the restriction
        ``q.network``."""
        from .contract import Score

        r = q.network
        m = r.n_free
        t1 = time.perf_counter()
        c = r.compile()
        t2 = time.perf_counter()
        succ = successors(c, small_n=SCREEN_SMALL_N)
        if m <= SCREEN_SMALL_N:
            cyc, offs, basins = _attractors_numpy(succ)
        else:
            from . import kernels

            cyc, offs, basins = kernels.functional_graph_attractors_flagged(succ)
        t3 = time.perf_counter()
        shares = [pt.share(r, cyc[offs[a]:offs[a + 1]], "synchronous") for a in range(len(basins))]
        score = float(sum(int(b) * s for b, s in zip(basins, shares)) / (1 << m))  # exact, then rounded
        good = sum(1 for s in shares if s == 1)
        return Score(score, good == len(shares), good / len(shares), len(shares), 1 << m,
                     (0.0, t2 - t1, t3 - t2, time.perf_counter() - t3))

