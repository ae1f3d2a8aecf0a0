"""Numba kernels for absorption probabilities of the rated asynchronous jump chain (internal).

A state is an unsigned integer (bit ``i`` = node ``i``).  ``image`` (2^n,) uint32 is
the synchronous image restricted to the *enabled* moves: state ``s`` may flip bit
``i`` exactly when bit ``i`` of ``s ^ image[s]`` is set.  The flip has rate
``up[i]`` when bit ``i`` of ``s`` is 0 and ``down[i]`` otherwise; the jump chain takes
it with probability rate / (sum of the enabled rates of ``s``).
"""

import numpy as np
from numba import njit


@njit(cache=True)
def all_sccs(image):
    """Every strongly connected component, in Tarjan's emission order (sinks first).

    Returns ``members`` (uint32, 2^n), ``offsets`` (int64, n_comp + 1), ``comp``
    (int32, the component of each state), ``pos`` (int32, each state's index in its
    component) and ``terminal`` (uint8 per component: no move leaves it).  A
    component is emitted after every component it can reach, so reversed emission
    order is a topological order.  Iterative (no recursion).
    """
    n = image.shape[0]
    index = np.zeros(n, np.uint32)
    low = np.zeros(n, np.uint32)
    flags = np.zeros(n, np.uint8)  # bit 0: on stack, bit 1: edge to a finished component
    stack = np.empty(n, np.uint32)
    sp = 0
    cs_node = np.empty(n, np.uint32)
    cs_mask = np.empty(n, np.uint32)
    csp = 0
    counter = np.uint32(1)
    members = np.empty(n, np.uint32)
    n_mem = 0
    offs = np.empty(n + 1, np.int64)
    offs[0] = 0
    comp = np.empty(n, np.int32)
    pos = np.empty(n, np.int32)
    terminal = np.zeros(n, np.uint8)
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
                    if size == 1:
                        members[n_mem] = v
                        comp[v] = n_comp
                        pos[v] = 0
                        flags[v] &= np.uint8(254)
                    else:
                        part = np.sort(stack[start:sp])
                        for t in range(size):
                            x = part[t]
                            members[n_mem + t] = x
                            comp[x] = n_comp
                            pos[x] = t
                            flags[x] &= np.uint8(254)
                    n_mem += size
                    terminal[n_comp] = 1 if term else 0
                    n_comp += 1
                    offs[n_comp] = n_mem
                    sp = start
                if csp > 0:
                    u = cs_node[csp - 1]
                    if is_root:
                        flags[u] |= 2
                    elif low[v] < low[u]:
                        low[u] = low[v]
    return members, offs[:n_comp + 1].copy(), comp, pos, terminal[:n_comp].copy()


@njit(cache=True)
def _total_rate(s, mask, up, down):
    tot = 0.0
    i = 0
    while mask:
        if mask & np.uint32(1):
            tot += down[i] if (s >> i) & 1 else up[i]
        mask >>= np.uint32(1)
        i += 1
    return tot


@njit(cache=True)
def push_out(c, image, up, down, members, offs, comp, mass):
    """Send the mass of component ``c``'s states along every move that leaves ``c``."""
    for q in range(offs[c], offs[c + 1]):
        s = members[q]
        y = mass[s]
        if y == 0.0:
            continue
        mask = np.uint32(s) ^ image[s]
        tot = _total_rate(s, mask, up, down)
        i = 0
        while mask:
            if mask & np.uint32(1):
                t = s ^ (np.uint32(1) << np.uint32(i))
                if comp[t] != c:
                    r = down[i] if (s >> i) & 1 else up[i]
                    mass[t] += y * r / tot
            mask >>= np.uint32(1)
            i += 1


@njit(cache=True)
def _solve_dense(c, image, up, down, members, offs, comp, pos, mass):
    """Expected visits ``y`` of component ``c``: y_j - sum_i y_i P(i -> j) = inflow_j."""
    a0 = offs[c]
    k = offs[c + 1] - a0
    A = np.zeros((k, k))
    rhs = np.empty(k)
    for i in range(k):
        A[i, i] = 1.0
        s = members[a0 + i]
        rhs[i] = mass[s]
    for i in range(k):
        s = members[a0 + i]
        mask = np.uint32(s) ^ image[s]
        tot = _total_rate(s, mask, up, down)
        b = 0
        m = mask
        while m:
            if m & np.uint32(1):
                t = s ^ (np.uint32(1) << np.uint32(b))
                if comp[t] == c:
                    r = down[b] if (s >> b) & 1 else up[b]
                    A[pos[t], i] -= r / tot
            m >>= np.uint32(1)
            b += 1
    # Gaussian elimination with partial pivoting
    for col in range(k):
        p = col
        best = abs(A[col, col])
        for r in range(col + 1, k):
            if abs(A[r, col]) > best:
                best = abs(A[r, col])
                p = r
        if p != col:
            for j in range(k):
                tmp = A[col, j]
                A[col, j] = A[p, j]
                A[p, j] = tmp
            tmp = rhs[col]
            rhs[col] = rhs[p]
            rhs[p] = tmp
        piv = A[col, col]
        for r in range(col + 1, k):
            f = A[r, col] / piv
            if f != 0.0:
                for j in range(col, k):
                    A[r, j] -= f * A[col, j]
                rhs[r] -= f * rhs[col]
    for col in range(k - 1, -1, -1):
        acc = rhs[col]
        for j in range(col + 1, k):
            acc -= A[col, j] * rhs[j]
        rhs[col] = acc / A[col, col]
    for i in range(k):
        mass[members[a0 + i]] = rhs[i]


@njit(cache=True)
def single_targets(image, members, offs, comp, terminal):
    """For each component, the one terminal component it can reach, or -2 if several.

    Mass entering a component with a single target ends there with probability 1,
    so no linear system is solved for it.  Components whose target is -2 form an
    upward-closed set: everything that can reach one of them has -2 too.
    """
    n_comp = terminal.shape[0]
    tid = np.empty(n_comp, np.int64)
    for c in range(n_comp):  # emission order: every successor component first
        if terminal[c]:
            tid[c] = c
            continue
        t = -1
        for q in range(offs[c], offs[c + 1]):
            s = members[q]
            mask = np.uint32(s) ^ image[s]
            i = 0
            while mask and t != -2:
                if mask & np.uint32(1):
                    d = comp[s ^ (np.uint32(1) << np.uint32(i))]
                    if d != c:
                        x = tid[d]
                        if x == -2 or (t >= 0 and x != t):
                            t = -2
                        else:
                            t = x
                mask >>= np.uint32(1)
                i += 1
            if t == -2:
                break
        tid[c] = t
    return tid


@njit(cache=True)
def propagate(start, image, up, down, members, offs, comp, pos, terminal, tid, mass, absorbed, dense_max):
    """Carry probability mass through components ``start, start - 1, ..., 0``.

    On entry ``mass`` holds the initial distribution; mass arriving in a transient
    component with a single target (``tid[c] >= 0``) goes there at once; in any
    other transient component it becomes its expected visits (solved densely up to
    ``dense_max`` states) and moves on; a terminal component keeps what arrives
    (added to ``absorbed[c]``).
    Returns -1 when done, or the index of a component larger than ``dense_max``,
    left for the caller to solve (then call :func:`push_out` and resume below it).
    """
    for c in range(start, -1, -1):
        a0 = offs[c]
        a1 = offs[c + 1]
        if tid[c] >= 0:
            tot = 0.0
            for q in range(a0, a1):
                tot += mass[members[q]]
            absorbed[tid[c]] += tot
            continue
        k = a1 - a0
        if k > 1:
            if k > dense_max:
                return c
            _solve_dense(c, image, up, down, members, offs, comp, pos, mass)
        push_out(c, image, up, down, members, offs, comp, mass)
    return -1


@njit(cache=True)
def residual(image, up, down, comp, tid, initial, mass):
    """Largest |y_t - initial_t - sum_s y_s P(s -> t)| over the states that were solved.

    Those are the states of components with several targets (``tid == -2``); only
    such states send mass into them.
    """
    n = image.shape[0]
    inflow = initial.copy()
    for s in range(n):
        if tid[comp[s]] != -2:
            continue
        mask = np.uint32(s) ^ image[s]
        tot = _total_rate(s, mask, up, down)
        y = mass[s]
        i = 0
        while mask:
            if mask & np.uint32(1):
                t = s ^ (np.uint32(1) << np.uint32(i))
                r = down[i] if (s >> i) & 1 else up[i]
                inflow[t] += y * r / tot
            mask >>= np.uint32(1)
            i += 1
    worst = 0.0
    for t in range(n):
        if tid[comp[t]] == -2:
            d = abs(inflow[t] - mass[t])
            if d > worst:
                worst = d
    return worst
