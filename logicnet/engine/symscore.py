"""Screen scores on binary decision diagrams, for conditions whose state space is too large to list.

The definitions are those of :mod:`logicnet.screening`, computed on sets of states:

* asynchronous: with ``NS`` the states where the phenotype fails, the attractors
  that are not sensitive are exactly the attractors inside ``B = AG EF NS`` (every
  state reachable can still reach ``NS``), and the states from which such an
  attractor can be reached are ``EF B``; the score is ``1 - |EF B| / 2^n``.  Three
  backward reachability fixpoints (``EF X`` = least fixpoint of ``X | pre(X)``), no
  attractor listed.  ``AG X`` is ``not EF not X``.
* synchronous: the score is the sum over states of the share of sensitive states
  on the cycle they end in, which is the long-run mean of the number of states
  whose ``k``-th successor is sensitive: ``P_k = F^-k(S)`` (preimages by functional
  composition).  ``P_k`` is eventually periodic as a set; once ``P_{k+L} = P_k``,
  the score is the mean of ``|P_k|, ..., |P_{k+L-1}|`` over ``2^n``.  No image
  (relational product) and no cycle is listed, so attractor counts are not given.
  When a ``P_k`` outgrows ``max_set_nodes`` (on bbm148, AGS cell fate, 2% of the
  screen's conditions), the attractors are found by SAT
  (:mod:`logicnet.engine.symbolic_sync`), pooled by the share of their states where
  the phenotype holds, and the basins of the pools computed as backward closures
  (:func:`~logicnet.engine.symbolic_sync.sync_basins`: frontier preimages, the
  smallest BDD first, the last pool the complement of the others); the score is
  ``sum(share * |basin|) / 2^n``, exact, with attractor counts.  When a basin
  outgrows ``max_basin_nodes`` (or the time budget runs out), the score is
  attractor-level (``measure="attractor-level"``): the share of the attractors'
  states where the phenotype holds, basins not weighed in.

Sources: reachability fixpoints and model counting on BDDs as in symbolic model
checking (Burch, Clarke, McMillan, Dill and Hwang 1992, "Symbolic model checking:
10^20 states and beyond"); the terminal-SCC characterisation through ``EF``/``AG``
as in the attractor detection of biodivine-aeon (Benes, Brim, Pastva, Safranek).

Examples
--------
>>> from logicnet import Network
>>> from logicnet.expr import parse_expression
>>> net = Network.from_rules("A* = A\\nB* = A or B")
>>> symbolic_score(net, parse_expression("not B"), "asynchronous").score
0.25
>>> symbolic_score(net, parse_expression("not B"), "synchronous").score
0.25
"""

from __future__ import annotations

import time

import numpy as np
from dataclasses import dataclass
from fractions import Fraction

from .. import expr as _expr
from ..errors import ResourceLimitError
from ..network import Network
from .bdd import symbolic_available

__all__ = ["symbolic_score", "SymbolicScore", "SymbolicTimeout", "symbolic_available"]

#: Apply cache entries: a screen makes one BDD manager per condition, and allocating the
#: default 2^20 entries took half the time of a typical 80-variable condition (bbm148).
APPLY_CACHE = 1 << 15

#: Synchronous preimage sets larger than this (BDD nodes) hand the condition to the
#: attractors and their basins.  On bbm148's 3,321 screen conditions (load average 2):
#: 135 pass 20,000 nodes; 83 of them end under 50,000 in 0.2-1.3 s, where the attractor
#: route takes up to 12 s; reaching 50,000 costs the other 52 about 1-2 s each.
MAX_SET_NODES = 50_000

#: Synchronous basins (when the preimages above outgrow ``MAX_SET_NODES``): a basin larger
#: than this (BDD nodes) stops the closures, and the attractor-level score is given instead.
MAX_BASIN_NODES = 500_000
#: Apply cache entries for the basins (measured on bbm148: 2^18 about 3x faster than 2^15).
BASIN_APPLY_CACHE = 1 << 18

#: Synchronous preimage steps before giving up (transient plus period of the phenotype's preimages).
MAX_STEPS = 4096


@dataclass(frozen=True)
class SymbolicScore:
    """Score, completeness and (synchronous) attractor counts of one condition."""

    score: float
    complete: bool
    attractor_share: float | None
    n_attractors: int | None
    measure: str = "exact"


class SymbolicTimeout(ResourceLimitError):
    """A symbolic search ran past its time budget."""


def _check(deadline: float | None, sn=None, f=None, max_set_nodes: int | None = None) -> None:
    if deadline is not None and time.perf_counter() > deadline:
        raise SymbolicTimeout("the symbolic search ran past its time budget")
    if max_set_nodes is not None and sn.size(f) > max_set_nodes:
        raise ResourceLimitError(f"a set of states grew past {max_set_nodes} BDD nodes")


def _ef(sn, target, deadline: float | None = None):
    """States that can reach ``target`` (asynchronous), by chained per-variable steps."""
    x = target
    order = list(reversed(sn.order))
    while True:
        old = x
        for v in order:
            x = x | sn.pre(x, v)
        if x == old:
            return x
        _check(deadline)


def _sync_cesaro(sn, sens, total: int, max_steps: int, deadline: float | None = None,
                 max_set_nodes: int | None = None) -> SymbolicScore:
    """Synchronous score from preimages alone: ``P_k = F^-k(sensitive)`` is eventually periodic
    (as a set); the mean of ``|P_k|`` over one period is the sum over states of their
    attractor's sensitive share."""
    hist = [sens]
    counts = [sn.count(sens)]
    p = sens
    for k in range(1, max_steps + 1):
        _check(deadline, sn, p, max_set_nodes)
        p = sn.preimage(p)
        for j in range(len(hist) - 1, -1, -1):
            if hist[j] == p:
                period = counts[j:]
                score = Fraction(sum(period), len(period) * total)
                return SymbolicScore(float(score), score == 1, None, None)
        hist.append(p)
        counts.append(sn.count(p))
    raise ResourceLimitError(f"the synchronous preimages of the phenotype did not repeat within {max_steps} steps")


def _sync_by_attractors(net: Network, sn, phenotype: _expr.Expression, total: int, deadline: float | None,
                        max_basin_nodes: int | None) -> SymbolicScore:
    """Synchronous score from the attractors (SAT, :mod:`.symbolic_sync`) and their basins
    (:func:`.symbolic_sync.sync_basins`, attractors of equal phenotype share pooled); over
    the basin budget, the attractor-level score (``measure="attractor-level"``)."""
    from .symbolic_sync import MAX_WALK, _by_inputs, sync_basins

    cycles, _ = _by_inputs(net, reduce=True, max_walk=MAX_WALK, limit=None, stop=deadline)
    shares = []
    for c in cycles:
        mat = np.array([[(code >> j) & 1 for j in range(net.n_nodes)] for code in c], dtype=bool).reshape(
            len(c), net.n_nodes)  # codes may pass 63 bits
        cols = {x: mat[:, j] for j, x in enumerate(net.nodes)}
        held = _expr.evaluate_columns(phenotype, cols, mat.shape[0])
        shares.append(Fraction(int(np.count_nonzero(held)), len(c)))
    good = sum(1 for f in shares if f == 1)
    n = len(cycles)
    pooled: dict[Fraction, object] = {}
    for c, f in zip(cycles, shares):
        seed = pooled.get(f, sn.false)
        for code in c:
            seed = seed | sn.state(code)
        pooled[f] = seed
    keys = sorted(pooled)

    def check(basin, done: int) -> None:
        _check(deadline, sn, basin, max_basin_nodes)

    try:
        basins = sync_basins(sn, [pooled[f] for f in keys], check=check)
    except ResourceLimitError:  # over the node or time budget, or the node table is full
        states = sum(len(c) for c in cycles)
        held = sum(f * len(c) for f, c in zip(shares, cycles))
        return SymbolicScore(float(Fraction(held) / states), good == n, good / n, n, measure="attractor-level")
    score = Fraction(sum(f * sn.count(b) for f, b in zip(keys, basins)), total)
    return SymbolicScore(float(score), good == n, good / n, n)


def symbolic_score(net: Network, phenotype: _expr.Expression, update: str, *, max_nodes: int = 1 << 26,
                   max_steps: int = MAX_STEPS, max_seconds: float | None = None,
                   max_set_nodes: int | None = MAX_SET_NODES,
                   max_basin_nodes: int | None = MAX_BASIN_NODES) -> SymbolicScore:
    """The screen score of ``net`` (every node a state variable) for ``phenotype``.

    Parameters
    ----------
    net : Network
        Usually a reduced network; constant rules are allowed.
    phenotype : Expression
        Over the nodes of ``net``.
    update : {"synchronous", "asynchronous"}
    max_nodes : int
        BDD node table capacity.
    max_seconds : float, optional
        Time budget; checked between fixpoint steps.
    max_set_nodes : int, optional
        Synchronous: leave the preimages of the phenotype for the attractors and their
        basins when a preimage set grows past this many BDD nodes: a budget that,
        unlike time, gives the same answer on every machine.
    max_basin_nodes : int, optional
        Synchronous: give the attractor-level score when a basin grows past this many
        BDD nodes.

    Returns
    -------
    SymbolicScore
        ``attractor_share`` and ``n_attractors`` are ``None`` when attractors were not
        listed (asynchronous, and synchronous through the preimages of the phenotype).

    Raises
    ------
    ResourceLimitError
        If the BDDs outgrow ``max_nodes``; :class:`SymbolicTimeout` (a subclass) past
        ``max_seconds``.

    Examples
    --------
    >>> from logicnet.expr import parse_expression
    >>> net = Network.from_rules("A* = not A\\nB* = A")
    >>> s = symbolic_score(net, parse_expression("B"), "synchronous")
    >>> s.score, s.complete
    (0.5, False)
    """
    from .bdd import SymbolicNetwork

    deadline = None if max_seconds is None else time.perf_counter() + max_seconds
    sn = SymbolicNetwork(net, max_nodes=max_nodes, apply_cache=APPLY_CACHE)
    n = sn.n
    total = 1 << n
    try:
        sens = sn.expression(phenotype)
        if update == "asynchronous":
            ef_ns = _ef(sn, ~sens, deadline)
            bad = ~_ef(sn, ~ef_ns, deadline)  # AG EF NS
            if sn.is_empty(bad):
                return SymbolicScore(1.0, True, None, None)
            reach = sn.count(_ef(sn, bad, deadline))
            return SymbolicScore(float(Fraction(total - reach, total)), False, None, None)
        try:
            return _sync_cesaro(sn, sens, total, max_steps, deadline, max_set_nodes)
        except SymbolicTimeout:
            raise
        except ResourceLimitError as err:
            if "node table" in str(err):
                raise
        # a fresh node table, with a larger cache, for the basins
        sens = None
        sn = SymbolicNetwork(net, max_nodes=max_nodes, apply_cache=BASIN_APPLY_CACHE)
        return _sync_by_attractors(net, sn, phenotype, total, deadline, max_basin_nodes)
    except SymbolicTimeout:
        raise
    except Exception as err:
        raise sn._memory_error(err) from None


def score_on_bdds(q, pt, need: int):
    """Score a screen condition (``q.network``, a restriction) on BDDs, or say why not.

    ``pt`` is its :class:`~logicnet.engine.tables.PhenotypeTable`, ``need`` the bytes an
    explicit search would have needed (for the reason of a condition not evaluated);
    ``q.timeout`` bounds the seconds and ``q.memory`` the BDD node table.
    """
    from ..limits import _fmt
    from .contract import Score

    r = q.network
    m = r.n_free
    n_states = 1 << m
    too_big = (f"{m} free variables after reduction: an exhaustive {q.update} search needs about {_fmt(need)}, "
               f"more than the {_fmt(q.memory)} allowed")
    t1 = time.perf_counter()
    net, phen = r.symbolic_network(pt.expression)
    t2 = time.perf_counter()
    try:
        s = symbolic_score(net, phen, q.update, max_nodes=max(1 << 16, min(1 << 30, q.memory // 64)),
                           max_seconds=q.timeout, max_set_nodes=MAX_SET_NODES, max_basin_nodes=MAX_BASIN_NODES)
    except SymbolicTimeout:
        return Score(None, None, None, None, n_states, (0.0, t2 - t1, time.perf_counter() - t2, 0.0),
                     reason=too_big + f"; on BDDs it ran past the {q.timeout:g} s allowed per condition")
    except ResourceLimitError as err:
        return Score(None, None, None, None, n_states, (0.0, t2 - t1, time.perf_counter() - t2, 0.0),
                     reason=too_big + f"; on BDDs it outgrew the budget ({err})")
    return Score(s.score, s.complete, s.attractor_share, s.n_attractors, n_states,
                 (0.0, t2 - t1, time.perf_counter() - t2, 0.0), measure=s.measure)
