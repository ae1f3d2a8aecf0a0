"""Bit-packed numba kernels on plain arrays (internal; imports only numpy and numba).

A state is an unsigned integer: bit ``i`` is the value of node ``i``.  A node's
update function is a truth table over its regulators: row ``r`` holds the value
when regulator ``j`` has value ``(r >> j) & 1``.
"""

import numpy as np
from numba import njit, prange

# ---------------------------------------------------------------------------------
# successors


@njit(cache=True)
def _eval_node(state, regs, n_regs, table_off, tables, i):
    idx = 0
    for j in range(n_regs[i]):
        idx |= ((state >> regs[i, j]) & 1) << j
    return tables[table_off[i] + idx]


@njit(cache=True)
def successor(state, regs, n_regs, table_off, tables, n_nodes):
    """Synchronous successor of one state (int64 in, int64 out).

    ``regs`` is (n_nodes, k_max) int64, ``n_regs`` (n_nodes,) int64, ``table_off``
    (n_nodes,) int64 offsets into the flat uint8 ``tables``.
    """
    out = 0
    for i in range(n_nodes):
        if _eval_node(state, regs, n_regs, table_off, tables, i):
            out |= 1 << i
    return out


@njit(cache=True)
def build_block_tables(regs, n_regs, table_off, tables, n_nodes, low_bits, kinds, cfg_off):
    """Per-block lookup tables for :func:`sync_successors`.

    ``kinds[i]``: 0 = reads only low bits, 1 = only high bits, 2 = mixed, 3 = slow
    (evaluated per state).  Returns ``low_table`` (2^low_bits,) uint32 holding the
    low-only nodes' bits, and ``mixed`` (total configs, 2^low_bits) uint32 where row
    ``cfg_off[i] + c`` holds node ``i``'s bit for high-regulator configuration ``c``.
    """
    size = 1 << low_bits
    low_table = np.zeros(size, np.uint32)
    n_cfg = cfg_off[n_nodes]
    mixed = np.zeros((max(n_cfg, 1), size), np.uint32)
    for i in range(n_nodes):
        if kinds[i] == 0:
            for l in range(size):
                if _eval_node(l, regs, n_regs, table_off, tables, i):
                    low_table[l] |= np.uint32(1) << np.uint32(i)
        elif kinds[i] == 2:
            # high regulators in order; configuration bit j = j-th high regulator
            highs = np.empty(n_regs[i], np.int64)
            nh = 0
            for j in range(n_regs[i]):
                if regs[i, j] >= low_bits:
                    highs[nh] = regs[i, j]
                    nh += 1
            for c in range(1 << nh):
                base = 0
                for j in range(nh):
                    if (c >> j) & 1:
                        base |= 1 << highs[j]
                row = cfg_off[i] + c
                for l in range(size):
                    if _eval_node(base | l, regs, n_regs, table_off, tables, i):
                        mixed[row, l] = np.uint32(1) << np.uint32(i)
    return low_table, mixed


@njit(parallel=True, cache=True)
def sync_successors(regs, n_regs, table_off, tables, n_nodes, low_bits, kinds, cfg_off,
                    low_table, mixed, out):
    """Fill ``out`` (2^n_nodes,) uint32 with the synchronous successor of every state.

    States are processed in blocks of 2^low_bits consecutive states; inside a block
    the low-only nodes come from one table and each mixed node adds one table row,
    so the inner loops are plain vectorisable ORs.
    """
    size = 1 << low_bits
    n_blocks = (1 << n_nodes) >> low_bits
    for h in prange(n_blocks):
        base = h << low_bits
        hb = np.uint32(0)
        for i in range(n_nodes):
            if kinds[i] == 1 and _eval_node(base, regs, n_regs, table_off, tables, i):
                hb |= np.uint32(1) << np.uint32(i)
        for l in range(size):
            out[base + l] = low_table[l] | hb
        for i in range(n_nodes):
            if kinds[i] == 2:
                c = 0
                nh = 0
                for j in range(n_regs[i]):
                    r = regs[i, j]
                    if r >= low_bits:
                        c |= ((base >> r) & 1) << nh
                        nh += 1
                row = mixed[cfg_off[i] + c]
                for l in range(size):
                    out[base + l] |= row[l]
            elif kinds[i] == 3:
                bit = np.uint32(1) << np.uint32(i)
                for l in range(size):
                    if _eval_node(base + l, regs, n_regs, table_off, tables, i):
                        out[base + l] |= bit


# ---------------------------------------------------------------------------------
# synchronous attractors and basins


@njit(cache=True)
def _get2(status, s):
    return (status[s >> 2] >> ((s & 3) << 1)) & 3


@njit(cache=True)
def _set2(status, s, v):
    sh = (s & 3) << 1
    status[s >> 2] = (status[s >> 2] & ~np.uint8(3 << sh)) | np.uint8(v << sh)


@njit(cache=True)
def functional_graph_attractors(succ):
    """Cycles of the functional graph ``s -> succ[s]`` and the exact basin of each.

    ``succ`` (N,) uint32 is overwritten: afterwards ``succ[s]`` is the attractor id
    of state ``s``.  Returns ``cycle_states`` (uint32, concatenated in trajectory
    order), ``cycle_offsets`` (int64, n_attractors + 1) and ``basins`` (int64).
    Linear time; 2 extra bits of memory per state.
    """
    n = succ.shape[0]
    status = np.zeros((n + 3) >> 2, np.uint8)  # 0 new, 1 on the current path, 2 done
    cyc = np.empty(64, np.uint32)
    n_cyc = 0
    offs = np.empty(64, np.int64)
    offs[0] = 0
    basins = np.zeros(64, np.int64)
    n_att = 0
    for s in range(n):
        if _get2(status, s) != 0:
            continue
        x = s
        while _get2(status, x) == 0:
            _set2(status, x, 1)
            x = succ[x]
        if _get2(status, x) == 1:
            aid = n_att
            n_att += 1
            if n_att + 1 > offs.shape[0]:
                o2 = np.empty(offs.shape[0] * 2, np.int64)
                o2[:offs.shape[0]] = offs
                offs = o2
                b2 = np.zeros(basins.shape[0] * 2, np.int64)
                b2[:basins.shape[0]] = basins
                basins = b2
            y = x
            while True:
                if n_cyc == cyc.shape[0]:
                    c2 = np.empty(cyc.shape[0] * 2, np.uint32)
                    c2[:n_cyc] = cyc
                    cyc = c2
                cyc[n_cyc] = y
                n_cyc += 1
                y = succ[y]
                if y == x:
                    break
            offs[n_att] = n_cyc
        else:
            aid = succ[x]
        count = 0
        x = s
        while _get2(status, x) == 1:
            nxt = succ[x]
            succ[x] = aid
            _set2(status, x, 2)
            count += 1
            x = nxt
        basins[aid] += count
    return cyc[:n_cyc].copy(), offs[:n_att + 1].copy(), basins[:n_att].copy()


# ---------------------------------------------------------------------------------
# asynchronous attractors


@njit(cache=True)
def async_terminal_sccs(succ):
    """Terminal strongly connected components of the general asynchronous graph.

    The asynchronous successors of ``s`` flip one bit where ``s`` and its
    synchronous image ``succ[s]`` differ.  Iterative Tarjan (no recursion).
    Returns ``members`` (uint32, each component sorted) and ``offsets`` (int64).
    """
    n = succ.shape[0]
    index = np.zeros(n, np.uint32)  # 0 = unvisited, else discovery order + 1
    low = np.zeros(n, np.uint32)
    flags = np.zeros(n, np.uint8)  # bit 0: on stack, bit 1: has an edge to a finished component
    stack = np.empty(n, np.uint32)
    sp = 0
    cs_node = np.empty(n, np.uint32)
    cs_mask = np.empty(n, np.uint32)
    csp = 0
    counter = np.uint32(1)
    mem = np.empty(64, np.uint32)
    n_mem = 0
    offs = np.empty(64, np.int64)
    offs[0] = 0
    n_comp = 0
    for root in range(n):
        if index[root] != 0:
            continue
        index[root] = counter
        low[root] = counter
        counter += 1
        stack[sp] = root
        sp += 1
        flags[root] |= 1
        cs_node[csp] = root
        cs_mask[csp] = np.uint32(root) ^ succ[root]
        csp += 1
        while csp > 0:
            v = cs_node[csp - 1]
            m = cs_mask[csp - 1]
            if m != 0:
                bit = m & (~m + np.uint32(1))
                cs_mask[csp - 1] = m ^ bit
                w = v ^ bit
                if index[w] == 0:
                    index[w] = counter
                    low[w] = counter
                    counter += 1
                    stack[sp] = w
                    sp += 1
                    flags[w] |= 1
                    cs_node[csp] = w
                    cs_mask[csp] = w ^ succ[w]
                    csp += 1
                elif flags[w] & 1:
                    if index[w] < low[v]:
                        low[v] = index[w]
                else:
                    flags[v] |= 2
            else:
                csp -= 1
                is_root = low[v] == index[v]
                if is_root:
                    start = sp
                    while True:
                        start -= 1
                        if stack[start] == v:
                            break
                    terminal = True
                    for t in range(start, sp):
                        if flags[stack[t]] & 2:
                            terminal = False
                            break
                    if terminal:
                        size = sp - start
                        while n_mem + size > mem.shape[0]:
                            m2 = np.empty(mem.shape[0] * 2, np.uint32)
                            m2[:n_mem] = mem[:n_mem]
                            mem = m2
                        part = np.sort(stack[start:sp])
                        mem[n_mem:n_mem + size] = part
                        n_mem += size
                        n_comp += 1
                        if n_comp + 1 > offs.shape[0]:
                            o2 = np.empty(offs.shape[0] * 2, np.int64)
                            o2[:offs.shape[0]] = offs
                            offs = o2
                        offs[n_comp] = n_mem
                    for t in range(start, sp):
                        flags[stack[t]] &= np.uint8(254)
                    sp = start
                if csp > 0:
                    u = cs_node[csp - 1]
                    if is_root:
                        flags[u] |= 2
                    elif low[v] < low[u]:
                        low[u] = low[v]
    return mem[:n_mem].copy(), offs[:n_comp + 1].copy()
