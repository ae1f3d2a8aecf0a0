"""Exact attractor probabilities under random asynchronous update with rates.

The dynamics is MaBoSS's continuous-time Markov chain on the general asynchronous
state graph (Stoll et al., BMC Syst Biol 2012): a node whose rule disagrees with
its value flips, at rate ``rate_up`` if it is off and ``rate_down`` if it is on
(default 1 for every node).  Where the chain ends depends only on its jump chain,
which takes each enabled flip with probability proportional to its rate.  This
module solves that absorption problem exactly over the explicit state space.

Semantics
---------
* A **fixed node** (a constant rule: ``--fix``, a study context or drug, or a
  literal ``True``/``False`` rule) holds its value from the start and never moves.
* The **initial distribution** is a product: node ``i`` starts on with probability
  ``p_i`` (default 0.5, i.e. uniform over the states in which every fixed node holds
  its value), or as given (``initial={"A": 1, "B": 0.3}``, MaBoSS ``istate`` style).
* With ``propagate=True`` (used by screens) nodes whose value the fixed nodes force
  through constant propagation also hold it from the start: the uniform
  distribution is then over the screen's state space (see :mod:`logicnet.screen`).
  Without it (the default) such nodes start free and move to their forced value
  at their own rate; other nodes may react meanwhile, so the two can differ.
* Nodes that nothing reads (outputs) are left out of the computation: they never
  change where the rest of the network goes, so the probabilities are the same.
  Each attractor of the reduced network lifts to exactly one attractor.
* A rate of 0 disables that flip, as in MaBoSS; the attractors are then the terminal
  components of the rated graph (a state with no enabled flip is a fixed point).

Method: from 12 free variables on, the attractors come from the engine's bitset
search, and one backward closure per attractor (up to 32 attractors) finds the states
that can reach only one attractor: their initial mass goes straight to it, and they
become absorbing.  On what is left (or the whole space), Tarjan's algorithm lists
every strongly connected component in reverse topological order, and the initial
mass is carried through them in topological order.
Mass entering a component from which only one terminal component can be reached
goes there at once.  On any other transient component with more than one state
``y (I - Q_CC) = inflow`` is solved: by dense elimination up to 256 states, a sparse
LU (SciPy) up to 50,000, and BiCGSTAB (SciPy, relative tolerance 1e-13) beyond.
What arrives in a terminal component is its probability.  The residual of the
linear system actually solved (and ``|1 - sum of probabilities|``) is computed
afterwards and reported as ``residual``.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = not A")
>>> res = attractor_probabilities(net)
>>> [(res.attractors.state_strings(a), p) for a, p in zip(res.attractors, res.probabilities)]
[(['01'], 0.5), (['10'], 0.5)]
>>> res = attractor_probabilities(net, rates={"A": (3.0, 1.0)})
>>> [round(p, 6) for p in res.probabilities]
[0.4375, 0.5625]
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._bits import codes_to_matrix, matrix_to_codes
from .errors import LogicnetError
from .limits import DEFAULT_LIMITS, Limits
from .network import Network

__all__ = ["AttractorProbabilities", "attractor_probabilities", "parse_rates", "check_rates", "check_initial"]

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


@dataclass(frozen=True)
class AttractorProbabilities:
    """Attractors and the probability of ending in each.

    Attributes
    ----------
    attractors : AttractorSet
        Asynchronous attractors, sorted as :func:`logicnet.find_attractors` sorts them.
    probabilities : tuple of float
        One per attractor, in [0, 1], summing to 1 (up to rounding).
    residual : float
        Largest absolute residual of the linear system over the transient states.
    n_states : int
        States of the (reduced) chain that was solved.
    rates : dict
        ``{node: (rate_up, rate_down)}`` for every node that was not at the default 1.
    initial : dict
        ``{node: probability of starting on}`` for every node not at 0.5.
    seconds : float

    Examples
    --------
    >>> res = attractor_probabilities(Network.from_rules("A* = A"))
    >>> res.probabilities, res.residual
    ((0.5, 0.5), 0.0)
    """

    attractors: object
    probabilities: tuple[float, ...]
    residual: float
    n_states: int
    rates: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    initial: Mapping[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    propagated: bool = False
    """True when nodes forced by constant propagation also started at their value."""

    def phenotype_probabilities(self, phenotypes) -> dict[str, float]:
        """P(phenotype) = sum over attractors of probability x share of its states where it holds.

        Examples
        --------
        >>> res = attractor_probabilities(Network.from_rules("A* = not B\\nB* = not A"))
        >>> res.phenotype_probabilities({"A on": "A"})
        {'A on': 0.5}
        """
        from .phenotype import phenotype_shares

        if not phenotypes:
            return {}
        shares = phenotype_shares(self.attractors, phenotypes)
        names = list(shares[0]) if shares else list(dict(phenotypes))
        return {k: float(sum(p * s[k] for p, s in zip(self.probabilities, shares))) for k in names}

    def to_dict(self, phenotypes=None) -> dict:
        """The attractors' JSON shape with ``probability`` per attractor and a summary.

        Examples
        --------
        >>> d = attractor_probabilities(Network.from_rules("A* = A")).to_dict({"on": "A"})
        >>> [a["probability"] for a in d["attractors"]], d["probability"]["phenotypes"]
        ([0.5, 0.5], {'on': 0.5})
        """
        d = self.attractors.to_dict(phenotypes)
        for a, p in zip(d["attractors"], self.probabilities):
            a["probability"] = p
        d["probability"] = {
            "method": "exact", "semantics": "asynchronous, rates (MaBoSS)", "residual": self.residual,
            "n_states": self.n_states, "rates": {k: list(v) for k, v in self.rates.items()},
            "initial": dict(self.initial), "hold_forced": self.propagated,
            "phenotypes": self.phenotype_probabilities(phenotypes),
        }
        return d


def parse_rates(items) -> dict[str, tuple[float, float]]:
    """``["A=2,0.5", "B=3"]`` -> ``{"A": (2.0, 0.5), "B": (3.0, 3.0)}`` (one number: both rates).

    Raises
    ------
    LogicnetError
        On a malformed item or a negative or non-finite rate.

    Examples
    --------
    >>> parse_rates(["A=2,0.5", "B = 3"])
    {'A': (2.0, 0.5), 'B': (3.0, 3.0)}
    """
    out: dict[str, tuple[float, float]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        parts = [p.strip() for p in value.split(",")]
        try:
            nums = [float(p) for p in parts]
        except ValueError:
            nums = []
        if not sep or not name.strip() or len(nums) not in (1, 2):
            raise LogicnetError(f"{item!r}: write a rate as NODE=UP,DOWN (or NODE=RATE for both), e.g. A=2,0.5")
        up, down = (nums[0], nums[0]) if len(nums) == 1 else (nums[0], nums[1])
        out[name.strip()] = check_rate_pair(name.strip(), up, down)
    return out


def check_rate_pair(node: str, up: float, down: float) -> tuple[float, float]:
    """Both rates finite and non-negative, as floats.

    Examples
    --------
    >>> check_rate_pair("A", 1, 0)
    (1.0, 0.0)
    """
    for what, r in (("rate up", up), ("rate down", down)):
        if not np.isfinite(r) or r < 0:
            raise LogicnetError(f"the {what} of {node} is {r}; rates must be finite and at least 0")
    return float(up), float(down)


def check_rates(net: Network, rates: Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    """Validated rates for nodes of ``net`` (unknown node: :class:`UnknownNodeError`).

    Examples
    --------
    >>> check_rates(Network.from_rules("A* = A"), {"A": (2, 1)})
    {'A': (2.0, 1.0)}
    """
    out = {}
    for n, pair in dict(rates or {}).items():
        net.check_node(n)
        if isinstance(pair, (int, float)):
            pair = (pair, pair)
        up, down = pair
        out[n] = check_rate_pair(n, up, down)
    return out


def check_initial(net: Network, initial: Mapping[str, float] | None) -> dict[str, float]:
    """Validated initial probabilities (of being on) for nodes of ``net``.

    Raises
    ------
    LogicnetError
        A probability outside [0, 1], or a fixed node asked to start at another value.

    Examples
    --------
    >>> check_initial(Network.from_rules("A* = A\\nB* = True"), {"A": 1, "B": 1})
    {'A': 1.0, 'B': 1.0}
    """
    out = {}
    const = net.constants
    for n, p in dict(initial or {}).items():
        net.check_node(n)
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise LogicnetError(f"the initial probability of {n} is {p}; it must be between 0 and 1")
        if n in const and p != const[n]:
            raise LogicnetError(f"{n} is fixed to {const[n]} but the initial state asks for {p:g}")
        out[n] = p
    return out


def attractor_probabilities(net: Network, *, fix: Mapping[str, int] | None = None,
                            rates: Mapping[str, tuple[float, float]] | None = None,
                            initial: Mapping[str, float] | None = None, propagate: bool = False,
                            limits: Limits = DEFAULT_LIMITS) -> AttractorProbabilities:
    """The probability of ending in each asynchronous attractor (see the module docstring).

    Parameters
    ----------
    net : Network
    fix : mapping, optional
        Nodes to fix (they hold their value from the start).
    rates : mapping, optional
        ``{node: (rate_up, rate_down)}``, each finite and >= 0 (default 1, 1).
    initial : mapping, optional
        ``{node: probability of starting on}``; other non-fixed nodes 0.5.
    propagate : bool
        Also hold the nodes forced by constant propagation at their value from the start.
    limits : Limits

    Returns
    -------
    AttractorProbabilities

    Raises
    ------
    ResourceLimitError
        Before allocating, if the reduced state space does not fit (about
        56 bytes per state; at most 32 free variables).
    LogicnetError, UnknownNodeError
        Bad rates or initial probabilities.

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A")
    >>> res = attractor_probabilities(net, initial={"A": 0.2})
    >>> [(res.attractors.state_strings(a), round(p, 9)) for a, p in zip(res.attractors, res.probabilities)]
    [(['00'], 0.8), (['11'], 0.2)]
    """
    from .attractors import _finish
    from .engine.compile import compile_network
    from .engine.sync import MAX_EXHAUSTIVE_NODES, successors
    from .errors import ResourceLimitError
    from .limits import check_memory
    from .reduce import reduce_network

    t0 = time.perf_counter()
    if fix:
        net = net.fix(fix)
    rates = check_rates(net, rates)
    init = check_initial(net, initial)
    rates = {n: r for n, r in rates.items() if r != (1.0, 1.0)}
    init = {n: p for n, p in init.items() if p != 0.5}
    zero = any(0.0 in r for r in rates.values())
    red = reduce_network(net, propagate=propagate, prune_outputs=not zero)
    if propagate:
        for n, p in init.items():
            v = red.lift.constants.get(n)
            if v is not None and n not in red.lift.fixed and p != v:
                raise LogicnetError(f"{n} is forced to {v} by the fixed nodes but the initial state asks for {p:g}")
    m = red.network.n_nodes
    advice = ("Fix inputs (--fix NODE=0|1 or a study context)"
              + ("" if propagate else ", hold forced nodes at their value (--hold-forced)")
              + ", or sample instead (logicnet simulate).")
    if m > MAX_EXHAUSTIVE_NODES:
        raise ResourceLimitError(f"exact probabilities over {m} free variables (after reduction) are beyond "
                                 f"logicnet's limit of {MAX_EXHAUSTIVE_NODES}. {advice}")
    check_memory((1 << m) * BYTES_PER_STATE, limits, n_free=m, what="Exact attractor probabilities",
                 per_state=BYTES_PER_STATE, advice=advice)
    from .limits import _fmt
    from .progress import task

    with task(f"exact probabilities over 2^{m} = {1 << m:,} states ({_fmt((1 << m) * BYTES_PER_STATE)})"):
        image = successors(compile_network(red.network))
        comps, res = reduced_absorption(red, image, rates, init)
    items = []
    probs = {}
    for codes, p in comps:
        mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), m), update="asynchronous")
        items.append((mat, "fixed" if mat.shape[0] == 1 else "complex", None))
        probs[frozenset(matrix_to_codes(mat))] = p
    aset = _finish(net, "asynchronous", net.constants, items, None)
    ordered = tuple(probs[frozenset(a.states)] for a in aset)
    return AttractorProbabilities(aset, ordered, res, 1 << m, rates, init, time.perf_counter() - t0, propagate)


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
    from .engine import kernels
    from .engine.asynchronous import MAX_BITSET_ROUNDS

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
    from .engine import absorb

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
    lookup = np.full(1 << m, -1, np.int64)
    lookup[mem] = np.arange(k)
    for i in range(m):
        sel = np.flatnonzero(rate[:, i] > 0)
        tgt = lookup[mem[sel] ^ (1 << i)]
        inside = tgt >= 0
        rows.append(tgt[inside])  # y_t gets y_s P(s -> t): row t, column s of P^T
        cols.append(sel[inside])
        vals.append(rate[sel[inside], i] / tot[sel[inside]])
    pt = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(k, k)).tocsc()
    a = (identity(k, format="csc") - pt).tocsc()
    if k <= SPARSE_DIRECT_MAX:
        y = spsolve(a, mass[mem])
    else:
        from scipy.sparse.linalg import bicgstab

        y, _ = bicgstab(a.tocsr(), mass[mem], rtol=1e-13, atol=0.0, maxiter=20 * k)
    mass[mem] = y
