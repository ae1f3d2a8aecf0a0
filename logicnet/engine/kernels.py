"""Bit-packed numba kernels on plain arrays (internal; imports only numpy and numba).

A state is an unsigned integer: bit ``i`` is the value of node ``i``.  A node's
update function is a truth table over its regulators: row ``r`` holds the value
when regulator ``j`` has value ``(r >> j) & 1``.
"""

import numpy as np
from numba import njit

# ---------------------------------------------------------------------------------
# successors


@njit(cache=True)
def _grow(arr, needed):
    """``arr`` itself, or a copy twice as large (repeatedly) when ``needed`` does not fit."""
    if needed <= arr.shape[0]:
        return arr
    size = arr.shape[0] * 2
    while size < needed:
        size *= 2
    out = np.empty(size, arr.dtype)
    out[:arr.shape[0]] = arr
    return out


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
def sync_successors_anf(regs, n_regs, table_off, tables, n_nodes, low_bits, masks, ptab, slow, out):
    """Fill ``out`` (2^n_nodes,) uint32 with every state's synchronous successor.

    ``masks``/``ptab``/``slow`` come from ``engine.sync.anf_block_tables``.  High parts
    ``h`` are visited in Gray-code order, so moving to the next block flips one bit
    ``j`` and changes the block table by the XOR of the few ``P_M`` with ``j`` in ``M``
    and the rest of ``M`` inside ``h``: about one table pass per state, in cache.
    (One thread: it is memory-bound, and a parallel version compiles far slower.)
    """
    size = 1 << low_bits
    n_blocks = 1 << (n_nodes - low_bits)
    n_tab = masks.shape[0]
    acc = np.zeros(size, np.uint32)
    for t in range(n_tab):
        if masks[t] == 0:
            row = ptab[t]
            for lo in range(size):
                acc[lo] ^= row[lo]
    h = 0
    for g in range(n_blocks):
        if g > 0:
            j = 0
            while not ((g >> j) & 1):
                j += 1
            h = g ^ (g >> 1)
            bitj = 1 << j
            for t in range(n_tab):
                m = masks[t]
                if (m & bitj) and ((m & ~bitj) & ~h) == 0:
                    row = ptab[t]
                    for lo in range(size):
                        acc[lo] ^= row[lo]
        base = h << low_bits
        o = out[base:base + size]
        for lo in range(size):
            o[lo] = acc[lo]
        for i in range(n_nodes):
            if slow[i]:
                b = np.uint32(1) << np.uint32(i)
                for lo in range(size):
                    if _eval_node(base + lo, regs, n_regs, table_off, tables, i):
                        o[lo] |= b


@njit(cache=True)
def _record_cycle(succ, x, cyc, n_cyc, offs, n_att):
    """Append the cycle of the functional graph ``succ`` through ``x`` (in trajectory order) as
    attractor ``n_att``; returns the grown arrays and counts."""
    n_att += 1
    if n_att + 1 > offs.shape[0]:
        offs = _grow(offs, n_att + 1)
    y = x
    while True:
        if n_cyc == cyc.shape[0]:
            cyc = _grow(cyc, n_cyc + 1)
        cyc[n_cyc] = y
        n_cyc += 1
        y = succ[y]
        if y == x:
            break
    offs[n_att] = n_cyc
    return cyc, n_cyc, offs, n_att


@njit(cache=True)
def functional_graph_attractors_flagged(succ):
    """:func:`functional_graph_attractors` for at most 31 variables, with less memory traffic.

    A finished state's slot holds ``attractor id | 2^31``, so one load of ``succ[t]``
    tells whether ``t`` is finished and, if so, its attractor.  States on the
    current walk are marked in a bitset.  Same outputs as the unflagged kernel.
    """
    n = succ.shape[0]
    done = np.uint32(1) << np.uint32(31)
    low31 = done - np.uint32(1)
    onpath = np.zeros((n + 63) >> 6, np.uint64)
    cyc = np.empty(64, np.uint32)
    n_cyc = 0
    offs = np.empty(64, np.int64)
    offs[0] = 0
    n_att = 0
    path = np.empty(1024, np.uint32)
    batch = 64
    ahead = np.empty(batch, np.uint32)
    for s0 in range(0, n, batch):
        s1 = min(n, s0 + batch)
        # Independent loads first, so that the memory system serves many at once.
        for s in range(s0, s1):
            ahead[s - s0] = succ[succ[s] & low31]
        for s in range(s0, s1):
            v = succ[s]
            if v & done:
                continue
            # fast path: the successor is finished
            w = ahead[s - s0]
            if not (w & done):
                w = succ[v]
            if (w & done) and v != s:
                succ[s] = w
                continue
            # walk until a finished state or a state on this walk
            np_ = 0
            x = np.uint32(s)
            while True:
                vx = succ[x]
                if vx & done:
                    aid = vx & low31
                    break
                if (onpath[x >> 6] >> (x & 63)) & 1:
                    # new cycle through x
                    aid = np.uint32(n_att)
                    cyc, n_cyc, offs, n_att = _record_cycle(succ, x, cyc, n_cyc, offs, n_att)
                    break
                onpath[x >> 6] |= np.uint64(1) << np.uint64(x & 63)
                if np_ == path.shape[0]:
                    path = _grow(path, np_ + 1)
                path[np_] = x
                np_ += 1
                x = vx
            lab = aid | done
            for q in range(np_):
                y = path[q]
                succ[y] = lab
                onpath[y >> 6] &= ~(np.uint64(1) << np.uint64(y & 63))
    # Counted afterwards: updating a growing array inside the walk is far slower.
    basins = np.zeros(n_att, np.int64)
    for s in range(n):
        basins[succ[s] & low31] += 1
    return cyc[:n_cyc].copy(), offs[:n_att + 1].copy(), basins


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
            cyc, n_cyc, offs, n_att = _record_cycle(succ, x, cyc, n_cyc, offs, n_att)
        else:
            aid = succ[x]
        x = s
        while _get2(status, x) == 1:
            nxt = succ[x]
            succ[x] = aid
            _set2(status, x, 2)
            x = nxt
    basins = np.zeros(n_att, np.int64)
    for s in range(n):
        basins[succ[s]] += 1
    return cyc[:n_cyc].copy(), offs[:n_att + 1].copy(), basins


# ---------------------------------------------------------------------------------
# asynchronous attractors


@njit(cache=True)
def _emit(v, stack, sp, flags, every, members, offs, n_mem, n_comp, comp, pos, terminal):
    """:func:`tarjan`: take the component rooted at ``v`` off the stack and record it (when
    ``every``, or when it is terminal); returns the new stack top and the grown arrays."""
    start = sp
    while True:
        start -= 1
        if stack[start] == v:
            break
    term = True
    for t in range(start, sp):
        if flags[stack[t]] & 2:
            term = False
            break
    size = sp - start
    if every or term:
        if not every:
            members = _grow(members, n_mem + size)
        if size == 1:
            members[n_mem] = v
        else:
            members[n_mem:n_mem + size] = np.sort(stack[start:sp])
        if every:
            for t in range(size):
                comp[members[n_mem + t]] = n_comp
                pos[members[n_mem + t]] = t
            terminal[n_comp] = 1 if term else 0
        n_mem += size
        n_comp += 1
        if n_comp + 1 > offs.shape[0]:
            offs = _grow(offs, n_comp + 1)
        offs[n_comp] = n_mem
    for t in range(start, sp):
        flags[stack[t]] &= np.uint8(254)
    return start, members, offs, n_mem, n_comp


@njit(cache=True)
def tarjan(image, every):
    """Strongly connected components of the general asynchronous graph: Tarjan's algorithm,
    iterative (no recursion); the one implementation in logicnet.

    The asynchronous successors of ``s`` flip one bit where ``s`` and its synchronous
    image ``image[s]`` differ.  Components come in emission order: each after every
    component it can reach (reversed, a topological order); each sorted.

    With ``every`` True, every component: returns ``members`` (uint32, 2^n),
    ``offsets`` (int64, n_comp + 1), ``comp`` (int32, the component of each state),
    ``pos`` (int32, each state's index in its component) and ``terminal`` (uint8 per
    component: no move leaves it).  With ``every`` False, the terminal components only
    (``comp``, ``pos`` and ``terminal`` empty; little memory beyond the search's).
    """
    n = image.shape[0]
    index = np.zeros(n, np.uint32)  # 0 = unvisited, else discovery order + 1
    low = np.zeros(n, np.uint32)
    flags = np.zeros(n, np.uint8)  # bit 0: on stack, bit 1: has an edge to a finished component
    stack = np.empty(n, np.uint32)
    sp = 0
    cs_node = np.empty(n, np.uint32)
    cs_mask = np.empty(n, np.uint32)
    csp = 0
    counter = np.uint32(1)
    members = np.empty(n if every else 64, np.uint32)
    n_mem = 0
    offs = np.empty(n + 1 if every else 64, np.int64)
    offs[0] = 0
    comp = np.empty(n if every else 0, np.int32)
    pos = np.empty(n if every else 0, np.int32)
    terminal = np.zeros(n if every else 0, np.uint8)
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
        cs_mask[csp] = np.uint32(root) ^ image[root]
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
                    cs_mask[csp] = w ^ image[w]
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
                    start, members, offs, n_mem, n_comp = _emit(v, stack, sp, flags, every, members, offs, n_mem,
                                                               n_comp, comp, pos, terminal)
                    sp = start
                if csp > 0:
                    u = cs_node[csp - 1]
                    if is_root:
                        flags[u] |= 2
                    elif low[v] < low[u]:
                        low[u] = low[v]
    if n_mem < members.shape[0]:
        members = members[:n_mem].copy()
    return members, offs[:n_comp + 1].copy(), comp, pos, terminal[:n_comp].copy()


@njit(cache=True)
def async_terminal_sccs(succ):
    """Terminal strongly connected components of the general asynchronous graph
    (:func:`tarjan`): ``members`` (uint32, each component sorted) and ``offsets`` (int64)."""
    members, offs, _, _, _ = tarjan(succ, False)
    return members, offs


@njit(cache=True)
def async_backward_reach(succ, seeds, n_nodes):
    """How many states can reach one of ``seeds`` in the general asynchronous graph.

    ``succ`` (2^n_nodes,) uint32 is the synchronous image; state ``s`` moves to
    ``s ^ 2^i`` when bit ``i`` of ``s ^ succ[s]`` is set.  Breadth-first search
    backwards from ``seeds`` (uint32); returns the count (seeds included).
    """
    n = succ.shape[0]
    seen = np.zeros(n, np.uint8)
    queue = np.empty(n, np.uint32)
    head = 0
    tail = 0
    for s in seeds:
        if not seen[s]:
            seen[s] = 1
            queue[tail] = s
            tail += 1
    while head < tail:
        t = queue[head]
        head += 1
        for i in range(n_nodes):
            b = np.uint32(1) << np.uint32(i)
            s = t ^ b
            if seen[s] == 0 and ((s ^ succ[s]) & b) != 0:
                seen[s] = 1
                queue[tail] = s
                tail += 1
    return tail


# ---------------------------------------------------------------------------------
# asynchronous attractors on bitsets (one bit per state)

_LOW_MASKS = np.array([0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F,
                       0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF], dtype=np.uint64)


@njit(cache=True)
def async_move_bitsets(succ, n_nodes):
    """``D[i]``: the set of states in which node ``i`` can change (its rule disagrees).

    Returns (n_nodes, words) uint64, one bit per state (state ``s`` is bit ``s % 64``
    of word ``s // 64``).
    """
    n = succ.shape[0]
    words = (n + 63) >> 6
    d = np.zeros((max(n_nodes, 1), words), np.uint64)
    acc = np.zeros(max(n_nodes, 1), np.uint64)
    for w in range(words):
        acc[:] = 0
        base = w << 6
        top = min(64, n - base)
        for b in range(top):
            diff = np.uint64(np.uint32(base + b) ^ succ[base + b])
            if diff:
                for i in range(n_nodes):
                    acc[i] |= ((diff >> np.uint64(i)) & np.uint64(1)) << np.uint64(b)
        for i in range(n_nodes):
            d[i, w] = acc[i]
    return d


@njit(cache=True)
def async_backward_count(d, seeds, n_nodes, n_states):
    """How many states can reach one of ``seeds`` (uint32 codes) in the general asynchronous
    graph given by the move bitsets ``d`` (see :func:`async_move_bitsets`); seeds included."""
    words = d.shape[1]
    r = np.zeros(words, np.uint64)
    for s in seeds:
        r[s >> 6] |= np.uint64(1) << np.uint64(s & 63)
    valid = np.zeros(words, np.uint64)
    for s in range(n_states):
        valid[s >> 6] |= np.uint64(1) << np.uint64(s & 63)
    _backward(r, d, n_nodes, valid)
    c = 0
    for w in range(words):
        c += _popcount(r[w])
    return c


@njit(cache=True)
def _flip_low(x, i):
    sh = np.uint64(1 << i)
    m = _LOW_MASKS[i]
    return ((x & m) << sh) | ((x >> sh) & m)


@njit(cache=True)
def _forward(r, d, n_nodes):
    """Grow ``r`` (in place) to every state reachable from it."""
    words = r.shape[0]
    changed = True
    while changed:
        changed = False
        for i in range(n_nodes):
            if i >= 6:
                stride = 1 << (i - 6)
                for w in range(words):
                    v = w ^ stride
                    x = r[v] & d[i, v] & ~r[w]
                    if x:
                        r[w] |= x
                        changed = True
            else:
                for w in range(words):
                    x = _flip_low(r[w] & d[i, w], i) & ~r[w]
                    if x:
                        r[w] |= x
                        changed = True


@njit(cache=True)
def _backward(r, d, n_nodes, within):
    """Grow ``r`` (in place) to every state of ``within`` that can reach it."""
    words = r.shape[0]
    changed = True
    while changed:
        changed = False
        for i in range(n_nodes):
            if i >= 6:
                stride = 1 << (i - 6)
                for w in range(words):
                    x = r[w ^ stride] & d[i, w] & within[w] & ~r[w]
                    if x:
                        r[w] |= x
                        changed = True
            else:
                for w in range(words):
                    x = _flip_low(r[w], i) & d[i, w] & within[w] & ~r[w]
                    if x:
                        r[w] |= x
                        changed = True


@njit(cache=True)
def _bit_of(low):
    """The index of the one bit set in the uint64 ``low``."""
    b = 0
    while (low >> np.uint64(b)) != np.uint64(1):
        b += 1
    return b


@njit(cache=True)
def _first(bits):
    for w in range(bits.shape[0]):
        x = bits[w]
        if x:
            b = 0
            while not ((x >> np.uint64(b)) & np.uint64(1)):
                b += 1
            return (w << 6) + b
    return -1


@njit(cache=True)
def _popcount(x):
    c = 0
    while x:
        x &= x - np.uint64(1)
        c += 1
    return c


@njit(cache=True)
def async_attractors_bitset(d, n_nodes, n_states, max_rounds):
    """Terminal SCCs by forward/backward reachability on bitsets.

    Fixed points (no node can change) are taken at once, and everything that can
    reach one is set aside; then, repeatedly, the forward closure ``F`` of an
    unclassified state ``s`` is an attractor exactly when every state of ``F`` can
    reach ``s``; either way the states that reach ``s`` (or ``F``) are set aside.
    Returns ``members`` (uint32, sorted per attractor), ``offsets`` (int64) and
    ``ok``: False after ``max_rounds`` rounds (each finds a complex attractor or sets
    aside states that are in none) with states still unclassified; the caller then
    uses :func:`async_terminal_sccs`.
    """
    words = d.shape[1]
    valid = np.zeros(words, np.uint64)
    for s in range(n_states):
        valid[s >> 6] |= np.uint64(1) << np.uint64(s & 63)
    fixed = valid.copy()
    for i in range(n_nodes):
        for w in range(words):
            fixed[w] &= ~d[i, w]
    n_fixed = 0
    for w in range(words):
        n_fixed += _popcount(fixed[w])
    members = np.empty(max(n_fixed, 16), np.uint32)
    offs = np.empty(n_fixed + 16, np.int64)
    offs[0] = 0
    n_mem = 0
    n_att = 0
    for w in range(words):
        x = fixed[w]
        while x:
            low = x & (~x + np.uint64(1))
            members[n_mem] = np.uint32((w << 6) + _bit_of(low))
            n_mem += 1
            n_att += 1
            offs[n_att] = n_mem
            x ^= low
    # complex attractors: not fixed, and cannot reach a fixed point
    basin = fixed.copy()
    _backward(basin, d, n_nodes, valid)
    remaining = valid & ~basin
    hint = np.zeros(words, np.uint64)
    rounds = 0
    f = np.zeros(words, np.uint64)
    b = np.zeros(words, np.uint64)
    while _first(remaining) >= 0:
        rounds += 1
        if rounds > max_rounds:
            return members[:n_mem].copy(), offs[:n_att + 1].copy(), False
        s = _first(hint & remaining)
        if s < 0:
            s = _first(remaining)
        f[:] = 0
        f[s >> 6] = np.uint64(1) << np.uint64(s & 63)
        _forward(f, d, n_nodes)
        b[:] = 0
        b[s >> 6] = np.uint64(1) << np.uint64(s & 63)
        _backward(b, d, n_nodes, f)
        closed = True
        for w in range(words):
            if f[w] & ~b[w]:
                closed = False
                break
        if closed:
            size = 0
            for w in range(words):
                size += _popcount(f[w])
            members = _grow(members, n_mem + size)
            for w in range(words):
                x = f[w]
                while x:
                    low = x & (~x + np.uint64(1))
                    members[n_mem] = np.uint32((w << 6) + _bit_of(low))
                    n_mem += 1
                    x ^= low
            n_att += 1
            if n_att + 1 > offs.shape[0]:
                offs = _grow(offs, n_att + 1)
            offs[n_att] = n_mem
            _backward(f, d, n_nodes, valid)
            remaining &= ~f
        else:
            hint = f & ~b
            _backward(b, d, n_nodes, valid)
            remaining &= ~b
    return members[:n_mem].copy(), offs[:n_att + 1].copy(), True
