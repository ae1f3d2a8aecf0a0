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
  distribution is then over the screen's state space (see :mod:`logicnet.screening`).
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

from . import expr as _expr
from ._bits import codes_to_matrix, matrix_to_codes
from .errors import LogicnetError
from .limits import DEFAULT_LIMITS, Limits
from .network import Network

__all__ = ["AttractorProbabilities", "attractor_probabilities", "parse_rates", "check_rates", "check_initial"]

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
                            limits: Limits = DEFAULT_LIMITS,
                            max_seconds: float | None = None) -> AttractorProbabilities:
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
    max_seconds : float, optional
        Refuse before starting when the estimated time (about 8 microseconds per
        state of the reduced space, :data:`logicnet.engine.absorption.SECONDS_PER_STATE`)
        is longer; ``None``: no time budget.

    Returns
    -------
    AttractorProbabilities

    Raises
    ------
    ResourceLimitError
        Before allocating, if the reduced state space does not fit (about
        56 bytes per state; at most 32 free variables), or its estimated time
        exceeds ``max_seconds``.
    LogicnetError, UnknownNodeError
        Bad rates or initial probabilities.

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A")
    >>> res = attractor_probabilities(net, initial={"A": 0.2})
    >>> [(res.attractors.state_strings(a), round(p, 9)) for a, p in zip(res.attractors, res.probabilities)]
    [(['00'], 0.8), (['11'], 0.2)]
    """
    from .attractors import AttractorSet
    from .engine import BYTES_PER_STATE, MAX_EXHAUSTIVE_NODES, SECONDS_PER_STATE, rated_absorption, sorted_attractors
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
    advice = ("Fix inputs (a study context)"
              + ("" if propagate else ", hold forced nodes at their value")
              + ", or sample instead (logicnet.simulate).")
    if m > MAX_EXHAUSTIVE_NODES:
        raise ResourceLimitError(f"exact probabilities over {m} free variables (after reduction) are beyond "
                                 f"logicnet's limit of {MAX_EXHAUSTIVE_NODES}. {advice}")
    check_memory((1 << m) * BYTES_PER_STATE, limits, n_free=m, what="Exact attractor probabilities",
                 per_state=BYTES_PER_STATE, advice=advice)
    from .limits import _fmt

    estimate = (1 << m) * SECONDS_PER_STATE
    if max_seconds is not None and estimate > max_seconds:
        raise ResourceLimitError(f"exact probabilities over 2^{m} = {1 << m:,} states "
                                 f"({_fmt((1 << m) * BYTES_PER_STATE)}) would take about {estimate:,.0f} s, more "
                                 f"than the {max_seconds:g} s allowed. {advice}",
                                 advice=("fix inputs",) + (() if propagate else ("hold forced",)) + ("more time",))
    from .progress import task

    with task(f"exact probabilities over 2^{m} = {1 << m:,} states ({_fmt((1 << m) * BYTES_PER_STATE)})"):
        comps, res = rated_absorption(red, rates, init)
    items = []
    probs = {}
    for codes, p in comps:
        mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), m), update="asynchronous")
        items.append((mat, "fixed" if mat.shape[0] == 1 else "complex", None, None))
        probs[frozenset(matrix_to_codes(mat))] = p
    aset = AttractorSet(net.name, net.nodes, "asynchronous", dict(net.constants),
                        sorted_attractors(net.n_nodes, items))
    ordered = tuple(probs[frozenset(a.states)] for a in aset)
    return AttractorProbabilities(aset, ordered, res, 1 << m, rates, init, time.perf_counter() - t0, propagate)


def probability_score(net: Network, fix: Mapping[str, int], phenotype, limits: Limits,
                      rates: Mapping[str, tuple[float, float]]):
    """The probability of ending in a sensitive attractor under asynchronous update with
    ``rates``, from the uniform distribution over the condition's states (exact, on the
    explicit state space), as a screen's :class:`~logicnet.engine.Score`.

    Raises
    ------
    ResourceLimitError
        When the condition's state space does not fit ``limits``.
    """
    from .engine import BYTES_PER_STATE, EXPLICIT, SCREEN_SMALL_N, Score, rated_absorption
    from .limits import check_memory
    from .reduce import reduce_network

    t0 = time.perf_counter()
    # A pruned output stuck by a zero rate could change a phenotype share: keep outputs then.
    red = reduce_network(net.fix(fix), propagate=True,
                         prune_outputs=not any(0.0 in r for r in rates.values()))
    m = red.network.n_nodes
    check_memory((1 << m) * BYTES_PER_STATE, limits, n_free=m, what="Scoring a condition by probability",
                 per_state=BYTES_PER_STATE, advice="Fix more inputs in the context, or score by share.")
    t1 = time.perf_counter()

    def share(codes: np.ndarray) -> float:
        mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), m), update="asynchronous")
        full = {n: mat[:, j] for j, n in enumerate(red.lift.full_nodes)}
        return float(_expr.evaluate_columns(phenotype.expression, full, mat.shape[0]).mean())

    comps, _ = rated_absorption(red, rates, small_n=SCREEN_SMALL_N)  # the state graph compiled and searched
    t2 = t3 = time.perf_counter()
    shares = [share(codes) for codes, _ in comps]
    value = float(sum(p for (_, p), s in zip(comps, shares) if s == 1.0))
    good = sum(1 for s in shares if s == 1.0)
    t4 = time.perf_counter()
    return Score(value, good == len(shares), good / len(shares), len(shares), 1 << m,
                 (t1 - t0, t2 - t1, t3 - t2, t4 - t3), engine=EXPLICIT)
