"""Screen scores on binary decision diagrams, for conditions whose state space is too large to list.

The definitions are those of :mod:`logicnet.screen`, computed on sets of states:

* asynchronous: with ``NS`` the states where the phenotype fails, the attractors
  that are not sensitive are exactly the attractors inside ``B = AG EF NS`` (every
  state reachable can still reach ``NS``), and the states from which such an
  attractor can be reached are ``EF B``; the score is ``1 - |EF B| / 2^n``.  Three
  backward reachability fixpoints (``EF X`` = least fixpoint of ``X | pre(X)``), no
  attractor listed.  ``AG X`` is ``not EF not X``.
* synchronous: the states on cycles are the limit ``R`` of ``image^k(all states)``;
  the cycles are listed (``R`` is small in practice), each gets its share of
  sensitive states, and the basins of the cycles that share a value are found
  together by preimage iteration and counted: score = sum of value x basin / 2^n.
  If ``R`` holds more than ``max_cycle_states`` states, the score returned is the
  share of attractor states that are sensitive (``measure = "attractor states"``).

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

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .. import expr as _expr
from ..network import Network

__all__ = ["symbolic_score", "SymbolicScore", "symbolic_available"]

#: Up to this many states on synchronous cycles, the cycles are listed one by one.
MAX_CYCLE_STATES = 1 << 18


def symbolic_available() -> bool:
    """Whether the BDD library (oxidd) is installed.

    Examples
    --------
    >>> isinstance(symbolic_available(), bool)
    True
    """
    try:
        import oxidd.bdd  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class SymbolicScore:
    """Score, completeness and (synchronous) attractor counts of one condition."""

    score: float
    complete: bool
    attractor_share: float | None
    n_attractors: int | None
    measure: str = "exact"


def _ef(sn, target):
    """States that can reach ``target`` (asynchronous), by chained per-variable steps."""
    x = target
    order = list(reversed(sn.order))
    while True:
        old = x
        for v in order:
            x = x | sn.pre(x, v)
        if x == old:
            return x


def _sync_back(sn, target):
    x = target
    while True:
        nxt = x | sn.preimage(x)
        if nxt == x:
            return x
        x = nxt


def _successors(net: Network, codes: np.ndarray) -> np.ndarray:
    from .compile import compile_network

    c = compile_network(net)
    out = np.zeros_like(codes)
    for i in range(c.n_nodes):
        rows = np.zeros_like(codes)
        for j in range(int(c.n_regs[i])):
            rows |= ((codes >> int(c.regs[i, j])) & 1) << j
        out |= c.tables[c.table_off[i] + rows].astype(np.int64) << i
    return out


def symbolic_score(net: Network, phenotype: _expr.Expression, update: str, *, max_nodes: int = 1 << 26,
                   max_cycle_states: int = MAX_CYCLE_STATES) -> SymbolicScore:
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

    Returns
    -------
    SymbolicScore
        ``attractor_share`` and ``n_attractors`` are ``None`` under asynchronous update
        (attractors are not listed).

    Raises
    ------
    ResourceLimitError
        If the BDDs outgrow ``max_nodes``.

    Examples
    --------
    >>> from logicnet.expr import parse_expression
    >>> net = Network.from_rules("A* = not A\\nB* = A")
    >>> s = symbolic_score(net, parse_expression("B"), "synchronous")
    >>> s.score, s.n_attractors
    (0.5, 1)
    """
    from .bdd import SymbolicNetwork

    sn = SymbolicNetwork(net, max_nodes=max_nodes)
    n = sn.n
    total = 1 << n
    try:
        sens = sn.expression(phenotype)
        if update == "asynchronous":
            ef_ns = _ef(sn, ~sens)
            bad = ~_ef(sn, ~ef_ns)  # AG EF NS
            if sn.is_empty(bad):
                return SymbolicScore(1.0, True, None, None)
            reach = sn.count(_ef(sn, bad))
            return SymbolicScore(float(Fraction(total - reach, total)), False, None, None)
        r = sn.true
        while True:
            nxt = sn.image(r)
            if nxt == r:
                break
            r = nxt
        n_cyc = sn.count(r)
        if n_cyc > max_cycle_states:
            s = Fraction(sn.count(r & sens), n_cyc)
            return SymbolicScore(float(s), s == 1, None, None, measure="attractor states")
        codes = np.fromiter(sn.states(r), dtype=np.int64, count=n_cyc)
        codes.sort()
        succ = _successors(net, codes)
        pos = np.searchsorted(codes, succ)
        cols = {x: ((codes >> i) & 1).astype(bool) for i, x in enumerate(net.nodes)}
        holds = _expr.evaluate_columns(phenotype, cols, len(codes))
        seen = np.zeros(len(codes), bool)
        by_value: dict[float, list[int]] = {}
        shares = []
        for start in range(len(codes)):
            if seen[start]:
                continue
            cyc = []
            k = start
            while not seen[k]:
                seen[k] = True
                cyc.append(k)
                k = int(pos[k])
            s = Fraction(int(holds[cyc].sum()), len(cyc))
            shares.append(s)
            by_value.setdefault(s, []).extend(cyc)
        score = Fraction(0)
        for value, members in by_value.items():
            if value == 0:
                continue
            target = sn.false
            for k in members:
                target = target | sn.state(int(codes[k]))
            score += value * sn.count(_sync_back(sn, target))
        good = sum(1 for s in shares if s == 1)
        return SymbolicScore(float(score / total), good == len(shares), good / len(shares), len(shares))
    except Exception as err:
        raise sn._memory_error(err) from None
