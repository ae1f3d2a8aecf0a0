"""Exact absorption probabilities of the asynchronous state graph with rates (MaBoSS
semantics), over every state: the explicit engine behind :mod:`logicnet.probability`.

Terminal components by the bitset search of :mod:`logicnet.engine.asynchronous` or by
Tarjan's algorithm (:mod:`logicnet.engine.absorb`), then the linear systems of the
transient components, solved one component at a time in topological order.

Examples
--------
>>> from logicnet import Network
>>> from logicnet.reduce import reduce_network
>>> comps, residual = rated_absorption(reduce_network(Network.from_rules("A* = A")), {})
>>> [(c.tolist(), p) for c, p in comps]
[([0], 0.5), ([1], 0.5)]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..network import Network

__all__ = ["rated_absorption", "reduced_absorption", "BYTES_PER_STATE"]

#: Transient components up to this many states are solved by dense elimination.
DENSE_MAX = 256
#: From this many free variables on, the engine's bitset search finds the attractors and
#: one backward closure per attractor sets aside the states that can reach only one.
SPLIT_MIN_N = 12
#: ... when there are at most this many attractors (else every SCC is listed by Tarjan).
MAX_SPLIT = 32
#: Larger transient components are solved iteratively (BiCGSTAB, its residual reported)
#: rather than by a sparse LU, whose fill-in grows fast on these hypercube-like graphs: a
#: 15,360-state component of the EMT model of Selvaggio et al. (2020) took 18 minutes and
#: 3.9 GB by LU.
SPARSE_DIRECT_MAX = 4_096
#: Bytes per state of the exact computation (image, Tarjan's arrays, components, mass).
BYTES_PER_STATE = 56
#: Seconds per state of the exact computation, for the estimate stated before it starts:
#: measured on the EMT model of Selvaggio et al. (2020) with its 10 inputs fixed and the
#: forced nodes held (2^24 states, thousands of transient components: 132 s on a shared
#: 2-core machine, 7.9 microseconds per state); smaller or simpler chains cost less.
SECONDS_PER_STATE = 8e-6


def reduced_absorption(red, image: np.ndarray, rates: Mapping[str, tuple[float, float]],
                       initial: Mapping[str, float] | None = None):
    """Absorption probabilities on a reduced network whose synchronous image is ``image``.

    ``rates`` and ``initial`` are by node name (nodes not in the reduced network are
    ignored).  Returns ``([(codes, probability), ...], residual)``, one pair per
    terminal component of the rated graph (``codes``: reduced state codes, uint32).

    Examples
    --------
    >>> from logicnet.engine.compile import compile_network
    >>> from logicnet.engine.sync import successors
    >>> from logicnet.reduce import reduce_network
    >>> red = reduce_network(Network.from_rules("A* = A"))
    >>> [(c.tolist(), p) for c, p in reduced_absorption(red, successors(compile_network(red.network)), {})[0]]
    [([0], 0.5), ([1], 0.5)]
    """
    initial = initial or {}
    nodes = red.network.nodes
    m = len(nodes)
    up = np.array([rates.get(n, (1.0, 1.0))[0] for n in nodes], np.float64)
    down = np.array([rates.get(n, (1.0, 1.0))[1] for n in nodes], np.float64)
    p_on = np.array([initial.get(n, 0.5) for n in nodes], np.float64)
    return _solve(image, up, down, p_on, m)


def _initial_mass(p_on: np.ndarray, m: int) -> np.ndarray:
    """Product distribution over the 2^m states (bit i on with probability p_on[i])."""
    mass = np.ones(1, np.float64)
    for i in range(m):  # state codes grow one bit at a time: bit i is the new high bit
        mass = np.concatenate([mass * (1.0 - p_on[i]), mass * p_on[i]])
    return mass


def _solve(image: np.ndarray, up: np.ndarray, down: np.ndarray, p_on: np.ndarray, m: int):
    """``([(attractor state codes, probability), ...], residual)`` on the rated chain."""
    s = np.arange(image.shape[0], dtype=np.uint32)
    up_mask = np.uint32(sum(1 << i for i in range(m) if up[i] > 0))
    down_mask = np.uint32(sum(1 << i for i in range(m) if down[i] > 0))
    enabled = (~s & up_mask) | (s & down_mask)
    image = s ^ ((s ^ image) & enabled)
    del enabled
    initial = _initial_mass(p_on, m)
    if m >= SPLIT_MIN_N:
        split = _split_by_basins(image, m, initial)
        if split is not None:
            atts, direct, label, mixed = split
            if not mixed.any():
                return [(a, float(p)) for a, p in zip(atts, direct)], abs(1.0 - float(direct.sum()))
            # Only states that can reach several attractors move; every other state is absorbing
            # and stands for the attractor it leads to.
            restricted = np.where(mixed, image, s)
            start_mass = np.where(mixed, initial, 0.0)
            del s
            members, offs, terminal, absorbed, res = _propagate_all(restricted, up, down, start_mass, m)
            ends = np.flatnonzero(terminal)
            lab = label[members[offs[ends]]]
            if (lab < 0).any():  # pragma: no cover - every absorbing state here leads to one attractor
                raise AssertionError("an absorbing state without its attractor")
            total = direct + np.bincount(lab, weights=absorbed[ends], minlength=len(atts))
            res = max(res, abs(1.0 - float(total.sum())))
            return [(a, float(p)) for a, p in zip(atts, total)], res
    del s
    members, offs, terminal, absorbed, res = _propagate_all(image, up, down, initial, m)
    comps = [(members[offs[c]:offs[c + 1]], float(absorbed[c])) for c in np.flatnonzero(terminal)]
    return comps, max(res, abs(1.0 - sum(p for _, p in comps)))


def _split_by_basins(image: np.ndarray, m: int, initial: np.ndarray):
    """Attractors by the engine's bitset search, and the mass that can only go one way.

    Returns ``(attractors, direct, label, mixed)``: each attractor's sorted codes, the
    initial mass of the states that reach only it, the attractor each such state
    reaches (``label``), and the states that reach several (``mixed``, bool); or None
    when there are too many attractors for one backward closure each.
    """
    from . import kernels
    from .asynchronous import MAX_BITSET_ROUNDS

    n = image.shape[0]
    d = kernels.async_move_bitsets(image, m)
    mem, offs, ok = kernels.async_attractors_bitset(d, m, n, MAX_BITSET_ROUNDS)
    k = len(offs) - 1
    if not ok or k > MAX_SPLIT:
        return None
    atts = [mem[offs[a]:offs[a + 1]].copy() for a in range(k)]
    words = d.shape[1]
    valid = np.zeros(words * 64, bool)
    valid[:n] = True
    valid = np.packbits(valid, bitorder="little").view(np.uint64)
    seen = np.zeros(words, np.uint64)
    mixed = np.zeros(words, np.uint64)
    closures = []
    for a in atts:
        r = np.zeros(words * 64, bool)
        r[a] = True
        r = np.packbits(r, bitorder="little").view(np.uint64).copy()
        if k > 1:
            kernels._backward(r, d, m, valid)
        else:  # every state ends in the only attractor
            r = valid.copy()
        mixed |= seen & r
        seen |= r
        closures.append(r)
    mixed_mask = np.unpackbits(mixed.view(np.uint8), bitorder="little")[:n].astype(bool)
    label = np.full(n, -1, np.int32)
    direct = np.zeros(k)
    for i, r in enumerate(closures):
        only = np.unpackbits((r & ~mixed).view(np.uint8), bitorder="little")[:n].astype(bool)
        label[only] = i
        direct[i] = initial[only].sum()
    return atts, direct, label, mixed_mask


def _propagate_all(image: np.ndarray, up, down, initial: np.ndarray, m: int):
    """Every SCC (Tarjan), then the mass carried through them.

    Returns ``(members, offsets, terminal, absorbed, residual)``: the components, which
    are terminal, the mass each component absorbed, and the residual of what was solved.
    """
    from . import absorb

    members, offs, comp, pos, terminal = absorb.all_sccs(image)
    tid = absorb.single_targets(image, members, offs, comp, terminal)
    mass = initial.copy()
    absorbed = np.zeros(len(terminal))
    start = len(terminal) - 1
    while start >= 0:
        c = absorb.propagate(start, image, up, down, members, offs, comp, pos, terminal, tid, mass, absorbed,
                             DENSE_MAX)
        if c < 0:
            break
        _solve_sparse(c, image, up, down, members, offs, comp, mass, m)
        absorb.push_out(c, image, up, down, members, offs, comp, mass)
        start = c - 1
    res = absorb.residual(image, up, down, comp, tid, initial, mass)
    return members, offs, terminal, absorbed, float(res)


def _solve_sparse(c: int, image, up, down, members, offs, comp, mass, m: int) -> None:
    """Expected visits of one large transient component, by a sparse LU (SciPy)."""
    from scipy.sparse import coo_matrix, identity
    from scipy.sparse.linalg import spsolve

    mem = members[offs[c]:offs[c + 1]].astype(np.int64)
    k = len(mem)
    flips = (mem ^ image[mem].astype(np.int64))
    bits = (mem[:, None] >> np.arange(m)) & 1
    rate = np.where(bits == 1, down[None, :], up[None, :]) * ((flips[:, None] >> np.arange(m)) & 1)
    tot = rate.sum(axis=1)
    rows, cols, vals = [], [], []
    order = np.argsort(mem)  # a state's index in the component by binary search, not a 2^m table per component
    sorted_mem = mem[order]
    for i in range(m):
        sel = np.flatnonzero(rate[:, i] > 0)
        nb = mem[sel] ^ (1 << i)
        at = np.minimum(np.searchsorted(sorted_mem, nb), k - 1)
        inside = sorted_mem[at] == nb
        tgt = np.where(inside, order[at], -1)
        rows.append(tgt[inside])  # y_t gets y_s P(s -> t): row t, column s of P^T
        cols.append(sel[inside])
        vals.append(rate[sel[inside], i] / tot[sel[inside]])
    pt = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(k, k)).tocsc()
    a = (identity(k, format="csc") - pt).tocsc()
    if k <= SPARSE_DIRECT_MAX:
        y = spsolve(a, mass[mem])
    else:
        from scipy.sparse.linalg import bicgstab

        y, info = bicgstab(a.tocsr(), mass[mem], rtol=1e-13, atol=0.0, maxiter=20 * k)
        if info != 0:  # not converged (or broke down): the direct solve, slower but exact
            y = spsolve(a, mass[mem])
    mass[mem] = y


def rated_absorption(red, rates: Mapping[str, tuple[float, float]],
                     initial: Mapping[str, float] | None = None, *, small_n: int | None = None):
    """:func:`reduced_absorption` of a :class:`~logicnet.reduce.Reduction`: its state graph
    built first (``small_n``: see :func:`logicnet.engine.sync.successors`)."""
    from .compile import compile_network
    from .sync import successors

    return reduced_absorption(red, successors(compile_network(red.network), small_n=small_n), rates, initial)
