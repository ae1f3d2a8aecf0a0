"""Numba kernels for absorption probabilities of the rated asynchronous jump chain (internal).

A state is an unsigned integer (bit ``i`` = node ``i``).  ``image`` (2^n,) uint32 is
the synchronous image restricted to the *enabled* moves: state ``s`` may flip bit
``i`` exactly when bit ``i`` of ``s ^ image[s]`` is set.  The flip has rate
``up[i]`` when bit ``i`` of ``s`` is 0 and ``down[i]`` otherwise; the jump chain takes
it with probability rate / (sum of the enabled rates of ``s``).
"""

import numpy as np
from numba import njit

from .kernels import tarjan


@njit(cache=True)
def all_sccs(image):
    """Every strongly connected component, sinks first (:func:`logicnet.engine.kernels.tarjan`):
    ``members``, ``offsets``, ``comp``, ``pos`` and ``terminal``."""
    return tarjan(image, True)


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
