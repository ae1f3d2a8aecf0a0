"""Perturbation screens: which knockouts, overexpressions or added drugs restore a phenotype.

The score of an intervention is exact, not sampled.  It is computed on the states
that are consistent with the condition: every node whose value the fixed nodes
force (directly or through constant propagation) holds that value; every other
node is free.

* synchronous: the basin-weighted share of states that end in attractors where the
  target phenotype (``sensitive``) holds, each attractor weighted by the share of its
  states in which it holds;
* asynchronous: the share of states all of whose reachable attractors are
  sensitive (one minus what backward reachability from the non-sensitive attractors
  finds), with the share of attractors that are sensitive beside it;
* ``score="probability"`` (asynchronous): the exact probability of ending in a
  sensitive attractor when the network starts uniformly on those states and
  nodes flip at the study's ``[rates]`` (MaBoSS semantics, see
  :mod:`logicnet.probability`).  Under synchronous update the basin-weighted share
  already is that probability, so both scores agree there.

The default score is ``"share"`` (the two above).

An attractor is sensitive when the phenotype holds in all its states; an
intervention is ``complete`` when every attractor is.

Examples
--------
>>> from logicnet.io.study import Study, Context, Drug
>>> from logicnet.phenotype import Phenotype
>>> net = Network.from_rules("L* = L\\nR* = L\\nS* = R and not B\\nB* = B\\nP* = S")
>>> study = Study("toy", net, {"sensitive": Phenotype.parse("sensitive", "not P")},
...               {"blocker": Drug("blocker", ("R",))}, {"on": Context("on", {"L": 1, "B": 0})}, ())
>>> res = screen(study, context="on", max_order=1)
>>> [(h.label, h.score, h.complete) for h in res.results]
[('R KO', 1.0, True), ('S KO', 1.0, True)]
>>> res.baseline.score
0.0
"""

from __future__ import annotations

import itertools
import logging
from fractions import Fraction
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import expr as _expr
from ._bits import codes_to_matrix
from .errors import LogicnetError, ResourceLimitError
from .limits import DEFAULT_LIMITS, Limits
from .network import Network
from .types import normalize_update

logger = logging.getLogger(__name__)

__all__ = ["screen", "score_condition", "Score", "ScreenHit", "ScreenResult"]

# Screens evaluate many conditions in one process, so numba's start-up cost is paid
# once; numpy only wins for the smallest state spaces.
_SCREEN_SMALL_N = 10

#: Scores a screen can rank by (the first is the default).
SCORES = ("share", "probability")


@dataclass(frozen=True)
class Score:
    """The exact score of one condition, or why it has none.

    ``score``, ``complete``, ``attractor_share`` and ``n_attractors`` are ``None``
    when the condition was not evaluated; ``reason`` then says why.

    Examples
    --------
    >>> Score(0.5, False, 0.5, 2).score
    0.5
    >>> Score(None, None, None, None, reason="too large").evaluated
    False
    """

    score: float | None
    complete: bool | None
    attractor_share: float | None
    n_attractors: int | None
    n_states: int = 0
    timings: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """Seconds spent reducing, compiling, searching and scoring."""
    reason: str = ""
    """Why the condition was not evaluated (empty when it was)."""
    engine: str = "explicit"
    """``explicit`` (every state listed) or ``symbolic`` (binary decision diagrams)."""
    measure: str = "exact"
    """``exact`` (the definitions above), or ``attractor-level`` (synchronous, on BDDs,
    when the basins do not fit the budget): ``score`` is then the share of the
    attractors' states in which the phenotype holds, ``attractor_share`` the share of
    attractors in which it holds throughout; basins are not weighed in."""

    @property
    def evaluated(self) -> bool:
        """Whether the condition has a score."""
        return self.score is not None


def _need(m: int, update: str) -> int:
    from .engine.asynchronous import async_memory
    from .engine.sync import sync_memory

    return sync_memory(m) if update == "synchronous" else async_memory(m)


# Above this many free variables, ``engine="auto"`` uses BDDs: on the published models
# measured (bench/bench_screen.py) they answer in well under a second where listing
# 2^25 states takes seconds and gigabytes.
_AUTO_EXPLICIT_MAX = {"synchronous": 24, "asynchronous": 22}


# The screen's cost model, fitted on per-condition times of the screens of
# bench/bench_screen.py (IGF axis, bbm092 and bbm148, both schemes; see bench/README.md):
# an explicit search costs a constant plus a time per state, a search on BDDs a time per
# free variable (what a BDD search costs depends on the network far more than on its
# size: 2-50 ms at 26-83 variables on bbm148), every condition a constant for its
# restriction, ranking and explanation, and each process compiles the search kernels once.
_SECONDS_PER_STATE = {"synchronous": 4e-8, "asynchronous": 2.5e-7}
_SECONDS_PER_CONDITION = 4e-4
_SYMBOLIC_SECONDS_PER_VARIABLE = {"synchronous": 2.5e-3, "asynchronous": 2.6e-4}
_WARM_UP_SECONDS = 1.0
_SPAWN_SECONDS = 4.0  # a worker process: start, imports, its own numba warm-up
#: The estimate is printed as a range: from estimate / factor to estimate * factor.
ESTIMATE_FACTOR = 3.0


def _estimate_symbolic(m: int, update: str) -> float:
    return _SECONDS_PER_CONDITION + _SYMBOLIC_SECONDS_PER_VARIABLE[update] * m


def _estimate(m: int, update: str) -> float:
    return _SECONDS_PER_CONDITION + (_SECONDS_PER_STATE[update] * (1 << m) if m else 0.0)


def screen_estimate(explicit: Sequence[int], symbolic: Sequence[int], update: str, workers: int = 1) -> float:
    """Estimated wall seconds of a screen whose conditions leave ``explicit`` (searched
    state by state) and ``symbolic`` (on BDDs) numbers of free variables, run by
    ``workers`` processes.  The cost model is fitted on the screens of
    ``bench/bench_screen.py``; the time is right within a factor of
    :data:`ESTIMATE_FACTOR` there.

    Examples
    --------
    >>> round(screen_estimate([0] * 100, [], "synchronous"), 2)
    0.04
    >>> screen_estimate([20] * 100, [], "asynchronous") > screen_estimate([20] * 100, [], "synchronous")
    True
    """
    work = sum(_estimate(m, update) for m in explicit) + sum(_estimate_symbolic(m, update) for m in symbolic)
    # numba kernels: every asynchronous search, synchronous ones above _SCREEN_SMALL_N variables
    small = 0 if update == "asynchronous" else _SCREEN_SMALL_N
    needs = any(m > small for m in explicit) and not (workers <= 1 and _kernels_loaded(update))
    warm = _WARM_UP_SECONDS if needs else 0.0
    return warm + work / max(1, workers) + (_SPAWN_SECONDS if workers > 1 else 0.0)


def _kernels_loaded(update: str) -> bool:
    """Whether this process has already compiled (or loaded) the search kernels of ``update``."""
    import sys

    k = sys.modules.get("logicnet.engine.kernels")
    if k is None:
        return False
    fn = k.async_terminal_sccs if update == "asynchronous" else k.functional_graph_attractors_flagged
    return bool(getattr(fn, "signatures", None))


def _fmt_seconds(x: float) -> str:
    return f"{x:.0f} s" if x >= 10 else f"{x:.1f} s" if x >= 1 else f"{x:.3f} s"


def _score_restriction(r, pt, update: str, limits: Limits, t_reduce: float = 0.0, engine: str = "auto",
                       max_seconds: float | None = None) -> Score:
    """Score one restricted network (see the module docstring): an explicit search when it fits
    the memory budget (or ``engine="explicit"``), else on BDDs."""
    from .engine.sync import MAX_EXHAUSTIVE_NODES, _attractors_numpy, successors

    m = r.n_free
    n_states = 1 << m
    if m == 0:
        t0 = time.perf_counter()
        s = pt.share(r, np.zeros(1, np.int64), update)
        return Score(float(s), s == 1, 1.0 if s == 1 else 0.0, 1, 1, (t_reduce, 0.0, 0.0, time.perf_counter() - t0))
    need = _need(m, update)
    budget = limits.memory_budget()
    if engine == "symbolic" or (engine == "auto" and (need > budget or m > _AUTO_EXPLICIT_MAX[update])):
        return _score_symbolic(r, pt, update, budget, n_states, t_reduce, need, max_seconds)
    if need > budget or m > MAX_EXHAUSTIVE_NODES:
        from .limits import _fmt

        return Score(None, None, None, None, n_states, (t_reduce, 0.0, 0.0, 0.0),
                     reason=f"{m} free variables after reduction: an exhaustive {update} search needs about "
                            f"{_fmt(need)}, more than the {_fmt(budget)} allowed")
    t1 = time.perf_counter()
    c = r.compile()
    t2 = time.perf_counter()
    succ = successors(c, small_n=_SCREEN_SMALL_N)
    if update == "synchronous":
        if m <= _SCREEN_SMALL_N:
            cyc, offs, basins = _attractors_numpy(succ)
        else:
            from .engine import kernels

            cyc, offs, basins = kernels.functional_graph_attractors_flagged(succ)
        t3 = time.perf_counter()
        shares = [pt.share(r, cyc[offs[a]:offs[a + 1]], update) for a in range(len(basins))]
        score = float(sum(int(b) * s for b, s in zip(basins, shares)) / n_states)  # exact, then rounded
    else:
        from .engine import kernels
        from .engine.asynchronous import BITSET_MIN_N, MAX_BITSET_ROUNDS

        d = None
        if m >= BITSET_MIN_N:
            d = kernels.async_move_bitsets(succ, m)
            mem, offs, ok = kernels.async_attractors_bitset(d, m, n_states, MAX_BITSET_ROUNDS)
            if not ok:
                mem, offs = kernels.async_terminal_sccs(succ)
        else:
            mem, offs = kernels.async_terminal_sccs(succ)
        t3 = time.perf_counter()
        shares = [pt.share(r, mem[offs[a]:offs[a + 1]], update) for a in range(len(offs) - 1)]
        bad = [mem[offs[a]:offs[a + 1]] for a, s in enumerate(shares) if s < 1.0]
        if bad:
            seeds = np.concatenate(bad).astype(np.uint32)
            if d is not None:
                reach = kernels.async_backward_count(d, seeds, m, n_states)
            else:
                reach = kernels.async_backward_reach(succ, seeds, m)
            score = float(Fraction(n_states - int(reach), n_states))
        else:
            score = 1.0
    good = sum(1 for s in shares if s == 1)
    t4 = time.perf_counter()
    return Score(score, good == len(shares), good / len(shares), len(shares), n_states,
                 (t_reduce, t2 - t1, t3 - t2, t4 - t3))


def _score_symbolic(r, pt, update: str, budget: int, n_states: int, t_reduce: float, need: int,
                    max_seconds: float | None = None) -> Score:
    """Score a condition too large to list on BDDs (:mod:`logicnet.engine.symscore`), or say why not."""
    from .engine import symscore
    from .engine.symscore import SymbolicTimeout, symbolic_available, symbolic_score
    from .errors import ResourceLimitError
    from .limits import _fmt

    m = r.n_free
    too_big = (f"{m} free variables after reduction: an exhaustive {update} search needs about {_fmt(need)}, "
               f"more than the {_fmt(budget)} allowed")
    if not symbolic_available():
        return Score(None, None, None, None, n_states, (t_reduce, 0.0, 0.0, 0.0),
                     reason=too_big + ", and the symbolic engine needs the 'oxidd' package")
    t1 = time.perf_counter()
    net, phen = r.symbolic_network(pt.expression)
    t2 = time.perf_counter()
    try:
        s = symbolic_score(net, phen, update, max_nodes=max(1 << 16, min(1 << 30, budget // 64)),
                           max_seconds=max_seconds, max_set_nodes=symscore.MAX_SET_NODES,
                           max_basin_nodes=symscore.MAX_BASIN_NODES)
    except SymbolicTimeout:
        return Score(None, None, None, None, n_states, (t_reduce, t2 - t1, time.perf_counter() - t2, 0.0),
                     reason=too_big + f"; on BDDs it ran past the {max_seconds:g} s allowed per condition",
                     engine="symbolic")
    except ResourceLimitError as err:
        return Score(None, None, None, None, n_states, (t_reduce, t2 - t1, time.perf_counter() - t2, 0.0),
                     reason=too_big + f"; on BDDs it outgrew the budget ({err})", engine="symbolic")
    return Score(s.score, s.complete, s.attractor_share, s.n_attractors, n_states,
                 (t_reduce, t2 - t1, time.perf_counter() - t2, 0.0), engine="symbolic", measure=s.measure)


def score_condition(net: Network, fix: Mapping[str, int], phenotype, *, update: str = "synchronous",
                    limits: Limits = DEFAULT_LIMITS, engine: str = "auto", score: str = "share",
                    rates: Mapping[str, tuple[float, float]] | None = None) -> Score:
    """Score one condition (see the module docstring).

    Parameters
    ----------
    net : Network
    fix : mapping of node name to 0 or 1
    phenotype : Phenotype
    update : {"synchronous", "asynchronous"}
    limits : Limits
        Memory budget of the exhaustive search.
    engine : {"auto", "explicit", "symbolic"}
        See :func:`screen`.
    score : {"share", "probability"}
        See the module docstring; ``rates`` maps a node to its (rate up, rate down).

    Returns
    -------
    Score
        ``score`` in [0, 1]; a condition whose reduced state space does not fit the
        budget comes back not evaluated (``score`` is ``None``, ``reason`` says why).

    Examples
    --------
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A or B")
    >>> score_condition(net, {}, Phenotype.parse("p", "not B")).score
    0.25
    >>> score_condition(net, {}, Phenotype.parse("p", "not B"), update="async", engine="symbolic").score
    0.25
    >>> score_condition(net, {}, Phenotype.parse("p", "not B"), update="async", score="probability").score
    0.25
    """
    from .engine.tables import PhenotypeTable, TableNetwork

    update = normalize_update(update)
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    for n in fix:
        net.check_node(n)
    if score == "probability" and update == "asynchronous":
        return _probability_score(net, fix, phenotype, limits, dict(rates or {}))
    tn = TableNetwork(net)
    pt = PhenotypeTable(phenotype.expression, tn)
    t0 = time.perf_counter()
    r = tn.restrict(fix)
    return _score_restriction(r, pt, update, limits, time.perf_counter() - t0, engine=engine)


# -- interventions -------------------------------------------------------------


@dataclass(frozen=True)
class _Intervention:
    fix: tuple[tuple[str, int], ...] = ()
    drugs: tuple[str, ...] = ()

    @property
    def order(self) -> int:
        return len(self.fix) + len(self.drugs)

    @property
    def label(self) -> str:
        parts = [f"{n} {'KO' if v == 0 else 'OE'}" for n, v in self.fix] + list(self.drugs)
        return " + ".join(parts) if parts else "baseline"


@dataclass(frozen=True)
class ScreenHit:
    """One ranked intervention.

    Attributes
    ----------
    intervention : dict
        Nodes fixed by the intervention (0 = knockout, 1 = overexpression).
    drugs_added : tuple of str
        Drugs added on top of the condition.
    score, complete, attractor_share, n_attractors
        See :func:`score_condition`; ``None`` for dominated pairs (not recomputed)
        and for conditions that were not evaluated.
    hsa_excess, bliss_excess : float or None
        Pairs only: score above the best single (highest single agent), and above
        Bliss independence of the two singles' effects.
    dominated : bool
        A pair one of whose singles already restores completely.
    explanation : dict
        Signed paths from the intervened nodes to the phenotype's nodes, and the
        feedback loops the intervention cuts.
    reason : str
        Why the condition was not evaluated (empty otherwise).

    Examples
    --------
    >>> ScreenHit(1, {"A": 0}, (), 1.0, True, 1.0, 1, None, None, False, {}).label
    'A KO'
    """

    rank: int
    intervention: Mapping[str, int]
    drugs_added: tuple[str, ...]
    score: float | None
    complete: bool | None
    attractor_share: float | None
    n_attractors: int | None
    hsa_excess: float | None
    bliss_excess: float | None
    dominated: bool
    explanation: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    engine: str = ""
    """``explicit`` or ``symbolic`` (see :class:`Score`); empty when not scored."""
    measure: str = ""
    """``exact`` or ``attractor-level`` (see :class:`Score`); empty when not scored."""

    @property
    def label(self) -> str:
        """A short name such as ``"IGFBP1 KO + ITGA5B1 KO"`` or ``"linsitinib"`` (a drug).

        Examples
        --------
        >>> ScreenHit(1, {}, ("linsitinib",), 1.0, True, 1.0, 1, None, None, False).label
        'linsitinib'
        """
        return _Intervention(tuple(self.intervention.items()), self.drugs_added).label

    @property
    def evaluated(self) -> bool:
        """Scored in this screen (not dominated, not over budget)."""
        return self.score is not None

    @property
    def status(self) -> str:
        """``"scored"``, ``"dominated"`` or ``"not evaluated"``.

        Examples
        --------
        >>> ScreenHit(1, {"A": 0}, (), None, None, None, None, None, None, True).status
        'dominated'
        """
        if self.score is not None:
            return "scored"
        return "dominated" if self.dominated else "not evaluated"

    def to_dict(self) -> dict:
        """The documented JSON shape of one result.

        Examples
        --------
        >>> ScreenHit(1, {"A": 0}, (), 1.0, True, 1.0, 1, None, None, False).to_dict()["intervention"]
        {'A': 0}
        """
        return {
            "rank": self.rank, "intervention": dict(self.intervention), "drugs_added": list(self.drugs_added),
            "label": self.label, "status": self.status, "score": self.score, "complete": self.complete,
            "attractor_share": self.attractor_share, "n_attractors": self.n_attractors,
            "hsa_excess": self.hsa_excess, "bliss_excess": self.bliss_excess, "dominated": self.dominated,
            "engine": self.engine, "measure": self.measure, "reason": self.reason,
            "explanation": dict(self.explanation),
        }


@dataclass(frozen=True)
class ScreenResult:
    """A ranked screen: every intervention considered, scored or not.

    ``results`` holds scored interventions first (ranked), then dominated pairs,
    then conditions that were not evaluated; ``counts`` tallies them.

    Examples
    --------
    >>> r = ScreenResult("s", "c", ("d",), "synchronous", "sensitive", Score(0.0, False, 0.0, 1), ())
    >>> r.to_dict()["baseline"]["score"]
    0.0
    """

    study: str
    context: str | None
    drugs: tuple[str, ...]
    update: str
    phenotype: str
    baseline: Score
    results: tuple[ScreenHit, ...]
    n_evaluated: int = 0
    """Conditions scored, the baseline included."""
    seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)
    """Seconds summed over all evaluated conditions (reduce, compile, search, score) and for explanations."""
    fix: Mapping[str, int] = field(default_factory=dict)
    """Extra fixed nodes of the condition (beyond context and drugs)."""
    targets: tuple[str, ...] = ()
    """The candidate nodes."""
    phenotype_expression: str = ""
    scoring: str = "share"
    """The score ranked by: ``"share"`` or ``"probability"``."""

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __getitem__(self, i: int) -> ScreenHit:
        return self.results[i]

    def to_dataframe(self):
        """:meth:`to_records` as a pandas DataFrame (pandas is optional).

        Raises
        ------
        LogicnetError
            If pandas is not installed.
        """
        return _dataframe(self.to_records(), ["rank", "intervention", "status", "score", "complete",
                                              "attractor_share", "hsa_excess", "bliss_excess", "dominated",
                                              "engine", "measure", "explanation"])

    @property
    def counts(self) -> dict[str, int]:
        """How many results are scored, dominated and not evaluated (the baseline excluded);
        ``attractor_level``: how many of the scored have an attractor-level score.

        Examples
        --------
        >>> ScreenResult("s", None, (), "synchronous", "p", Score(1.0, True, 1.0, 1), ()).counts["results"]
        0
        """
        out = {"results": len(self.results), "scored": 0, "dominated": 0, "not_evaluated": 0,
               "attractor_level": 0}
        for h in self.results:
            out[h.status.replace(" ", "_")] += 1
            out["attractor_level"] += h.measure == "attractor-level"
        return out

    def to_dict(self) -> dict:
        """The documented JSON shape.

        Examples
        --------
        >>> ScreenResult("s", None, (), "asynchronous", "sensitive", Score(1.0, True, 1.0, 1), ()).to_dict()["update"]
        'asynchronous'
        """
        return {
            "study": self.study, "context": self.context, "drugs": list(self.drugs), "fix": dict(self.fix),
            "update": self.update, "phenotype": self.phenotype, "phenotype_expression": self.phenotype_expression,
            "scoring": self.scoring,
            "targets": list(self.targets),
            "baseline": {"score": self.baseline.score, "complete": self.baseline.complete,
                         "attractor_share": self.baseline.attractor_share,
                         "n_attractors": self.baseline.n_attractors, "engine": self.baseline.engine,
                         "measure": self.baseline.measure},
            "n_evaluated": self.n_evaluated,
            "counts": self.counts,
            "results": [h.to_dict() for h in self.results],
        }

    def to_records(self) -> list[dict]:
        """One flat row per result (for CSV).

        Examples
        --------
        >>> ScreenResult("s", None, (), "synchronous", "sensitive", Score(1.0, True, 1.0, 1), ()).to_records()
        []
        """
        rows = []
        for h in self.results:
            rows.append({"rank": h.rank, "intervention": h.label, "status": h.status, "score": h.score,
                         "complete": h.complete, "attractor_share": h.attractor_share, "hsa_excess": h.hsa_excess,
                         "bliss_excess": h.bliss_excess, "dominated": h.dominated, "engine": h.engine,
                         "measure": h.measure, "explanation": h.reason or h.explanation.get("summary", "")})
        return rows


def _probability_score(net: Network, fix: Mapping[str, int], phenotype, limits: Limits,
                       rates: Mapping[str, tuple[float, float]]) -> Score:
    """The probability of ending in a sensitive attractor under asynchronous update with
    ``rates``, from the uniform distribution over the condition's states (exact, on the
    explicit state space; :mod:`logicnet.probability`)."""
    from .engine.compile import compile_network
    from .engine.sync import successors
    from .limits import check_memory
    from .probability import BYTES_PER_STATE, reduced_absorption
    from .reduce import reduce_network

    t0 = time.perf_counter()
    # A pruned output stuck by a zero rate could change a phenotype share: keep outputs then.
    red = reduce_network(net.fix(fix), propagate=True,
                         prune_outputs=not any(0.0 in r for r in rates.values()))
    m = red.network.n_nodes
    check_memory((1 << m) * BYTES_PER_STATE, limits, n_free=m, what="Scoring a condition by probability",
                 per_state=BYTES_PER_STATE, advice="Fix more inputs in the context, or use --score share.")
    t1 = time.perf_counter()
    c = compile_network(red.network)
    t2 = time.perf_counter()
    succ = successors(c, small_n=_SCREEN_SMALL_N)

    def share(codes: np.ndarray) -> float:
        mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), m), update="asynchronous")
        full = {n: mat[:, j] for j, n in enumerate(red.lift.full_nodes)}
        return float(_expr.evaluate_columns(phenotype.expression, full, mat.shape[0]).mean())

    comps, _ = reduced_absorption(red, succ, rates)
    t3 = time.perf_counter()
    shares = [share(codes) for codes, _ in comps]
    value = float(sum(p for (_, p), s in zip(comps, shares) if s == 1.0))
    good = sum(1 for s in shares if s == 1.0)
    t4 = time.perf_counter()
    return Score(value, good == len(shares), good / len(shares), len(shares), 1 << m,
                 (t1 - t0, t2 - t1, t3 - t2, t4 - t3))


def _evaluate_probability(fix, ctx) -> Score:
    net, phenotype, limits, rates = ctx
    try:
        return _probability_score(net, fix, phenotype, limits, rates)
    except ResourceLimitError as err:
        return Score(None, None, None, None, reason=str(err))


def _dataframe(records: list[dict], columns: list[str]):
    try:
        import pandas as pd
    except ImportError:
        raise LogicnetError("to_dataframe() needs pandas (pip install 'logicnet[pandas]'); to_records() gives the same rows "
                            "as a list of dicts") from None
    return pd.DataFrame.from_records(records, columns=columns if not records else None)


def _fix_of(item: _Intervention, base_fix, drug_fix) -> dict[str, int]:
    fix = dict(base_fix)
    for d in item.drugs:
        fix.update(drug_fix[d])
    fix.update(dict(item.fix))
    return fix


def _evaluate(r, ctx) -> Score:
    pt, update, limits, engine, condition_seconds = ctx
    return _score_restriction(r, pt, update, limits, engine=engine, max_seconds=condition_seconds)


def _bliss(base: float, a: float, b: float) -> float:
    if base >= 1.0:
        return base
    ea, eb = (a - base) / (1 - base), (b - base) / (1 - base)
    return base + (ea + eb - ea * eb) * (1 - base)


def _as_study(model):
    """A study, or a plain network wrapped as a study without phenotypes, drugs or contexts."""
    if isinstance(model, Network):
        from .io.study import Study

        return Study(model.name or "network", model, {}, {}, {}, ())
    return model


def candidate_targets(net: Network, fixed: Mapping[str, int], phenotype, *, mode: str = "actionable",
                      drugs: Mapping[str, Any] | None = None) -> list[str]:
    """Candidate nodes of a screen, in network order.

    Parameters
    ----------
    mode : {"actionable", "all", "druggable"}
        ``actionable`` (the default of :func:`screen`): nodes one could act on to
        change the phenotype: not fixed by the condition, rule not constant, not a
        node of the phenotype (a pure readout), and with a path in the interaction
        graph to a node of the phenotype (others cannot change the score).
        ``all``: every node not fixed, not constant, not in the phenotype.
        ``druggable``: the drug library's targets not fixed by the condition.

    Examples
    --------
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A\\nC* = B\\nP* = B\\nX* = C")
    >>> candidate_targets(net, {"A": 1}, Phenotype.parse("s", "not P"))
    ['B']
    >>> candidate_targets(net, {"A": 1}, Phenotype.parse("s", "not P"), mode="all")
    ['B', 'C', 'X']
    """
    phen_nodes = _expr.symbols(phenotype.expression)
    if mode == "druggable":
        lib = {t for d in (drugs or {}).values() for t in d.targets}
        return [n for n in net.nodes if n in lib and n not in fixed]
    if mode not in ("all", "actionable"):
        raise LogicnetError(f"unknown target set {mode!r}: use all, actionable, druggable or a list of nodes")
    cand = [n for n in net.nodes if n not in fixed and _expr.constant_value(net.rules[n]) is None
            and n not in phen_nodes]
    if mode == "all":
        return cand
    # nodes with a path to the phenotype: backward search from its nodes
    readers_of: dict[str, list[str]] = {n: [] for n in net.nodes}
    for n in net.nodes:
        for r in _expr.symbols(net.rules[n]):
            readers_of[n].append(r)  # r regulates n
    reach = set(phen_nodes)
    todo = list(phen_nodes)
    while todo:
        x = todo.pop()
        if x in fixed:
            continue  # a fixed node passes nothing on
        for r in readers_of.get(x, ()):
            if r not in reach:
                reach.add(r)
                todo.append(r)
    return [n for n in cand if n in reach]


def _over_budget_advice(update: str) -> str:
    return ("What fits: fewer candidates (--targets N1,N2,...), singles only (--max-order 1), more fixed "
            f"nodes in the condition (--fix NODE=0|1), {'' if update == 'synchronous' else 'synchronous update, '}"
            "or more workers (--jobs, a Dask cluster with --dask-scheduler).")


def screen(study, *, context: str | None = None, drugs: Sequence[str] = (), fix: Mapping[str, int] | None = None,
           max_order: int = 2,
           overexpress: bool = False, targets: str | Sequence[str] = "actionable", drug_pairs: bool = False,
           update: str = "synchronous", phenotype: Any = "sensitive", all_pairs: bool = False,
           top: int | None = None, n_jobs: int = 1, scheduler: Any = None, progress: bool | None = None,
           limits: Limits = DEFAULT_LIMITS, explain: bool = True, max_seconds: float | None = None,
           engine: str = "auto", condition_seconds: float | None = None, score: str = "share",
           plan: Callable[[str], None] | None = None) -> ScreenResult:
    """Rank single and double interventions by how well they restore ``phenotype``.

    Parameters
    ----------
    study : Study or Network
        A study (phenotypes, drugs, contexts), or a plain network (then give the
        phenotype as ``"NAME=EXPR"`` or a :class:`~logicnet.phenotype.Phenotype`, and the
        condition as ``fix``).
    context, drugs, fix
        The condition: a study context, drugs from its library, and extra fixed
        nodes (mutations, knockouts) that override both.
    max_order : {1, 2}
        Singles only, or singles and pairs.
    overexpress : bool
        Also try fixing nodes to 1.
    targets : "actionable", "all", "druggable" or a list of node names
        Candidate nodes (see :func:`candidate_targets`), or the given nodes.
    drug_pairs : bool
        Also rank the library's drugs added on top of the condition, alone and in pairs.
    update : {"synchronous", "asynchronous"}
    phenotype : str or Phenotype
        The phenotype to restore: a name of the study's, ``"NAME=EXPR"`` (e.g.
        ``"sensitive=Apoptosis and not Proliferation"``), or a phenotype object.
    all_pairs : bool
        Also recompute pairs whose single already restores completely.
    top : int, optional
        Keep the best ``top`` scored results (dominated and not evaluated ones are
        kept in full).
    n_jobs, scheduler
        Local processes, or a Dask scheduler address (see :func:`logicnet.parallel.pmap`).
        A screen whose estimated time is a few seconds runs in this process.
    progress : bool, optional
        Report conditions done / total to the :mod:`logicnet.progress` listener
        (default); ``True`` also draws a bar on stderr when nobody listens; ``False``
        reports nothing.
    limits : Limits
        Memory budget for the whole screen (all workers together).
    max_seconds : float, optional
        Refuse a screen estimated to take longer.
    condition_seconds : float, optional
        Time budget of one condition on BDDs; a condition past it is reported not
        evaluated, or (synchronous, once its attractors are known) given the
        attractor-level score (explicit searches are bounded by memory instead).
    engine : {"auto", "explicit", "symbolic"}
        ``auto``: list every state when the condition fits the memory budget, else
        binary decision diagrams (:mod:`logicnet.engine.symscore`); ``explicit``:
        conditions that do not fit are reported not evaluated; ``symbolic``: BDDs
        for every condition (the fixed ones excepted).
    score : {"share", "probability"}
        See the module docstring; ``"probability"`` (asynchronous update) uses the
        study's ``[rates]`` and the explicit engine.
    plan : callable, optional
        Called once, before any condition is scored, with one line of text: the
        number of conditions, how many go to each engine, the workers, and the
        estimated time with its range (:func:`screen_estimate`; the command line
        prints it on stderr).

    Returns
    -------
    ScreenResult
        Ranked: exact scores, complete restorations first, then score, then fewer
        targets, then name; then attractor-level scores (``measure``; synchronous
        conditions whose basins did not fit the budget), ranked the same way among
        themselves; then dominated pairs; then conditions not evaluated (with the reason).

    Raises
    ------
    ResourceLimitError
        Before any work starts, if the condition itself does not fit the memory
        budget or the estimated time exceeds ``max_seconds``; the message says what fits.

    Examples
    --------
    >>> from logicnet.io.study import Study, Context
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A\\nC* = A\\nP* = B or C")
    >>> study = Study("t", net, {"sensitive": Phenotype.parse("sensitive", "not P")}, {},
    ...               {"on": Context("on", {"A": 1})}, ())
    >>> [(h.label, h.complete, h.hsa_excess) for h in screen(study, context="on").results][:1]
    [('B KO + C KO', True, 1.0)]
    >>> res = screen(net, fix={"A": 1}, phenotype=Phenotype.parse("s", "not P"), max_order=1)
    >>> [h.score for h in res.results]
    [0.0, 0.0]
    """
    from .engine.tables import PhenotypeTable, TableNetwork
    from .errors import ResourceLimitError
    from .limits import _fmt
    from .parallel import pmap

    t0 = time.perf_counter()
    update = normalize_update(update)
    if max_order not in (1, 2):
        raise LogicnetError("max_order must be 1 or 2")
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    if isinstance(scheduler, str):
        from .parallel import check_scheduler

        check_scheduler(scheduler)  # before any work
    probability = score == "probability" and update == "asynchronous"
    study = _as_study(study)
    cond = study.condition(context=context, drugs=list(drugs), fix=fix)
    if isinstance(phenotype, str) and "=" in phenotype:  # "NAME=EXPR", as on the command line
        from .phenotype import parse_phenotypes

        [phenotype] = parse_phenotypes([phenotype]).values()
    if isinstance(phenotype, str):
        if phenotype not in cond.phenotypes:
            how = ("phenotype='NAME=EXPR' in Python, --phenotype NAME=EXPR on the command line, e.g. "
                   "'sensitive=Apoptosis and not Proliferation'")
            if not cond.phenotypes:
                raise LogicnetError(f"{study.name} defines no phenotypes: give the phenotype to restore as {how}")
            raise LogicnetError(f"the study defines no phenotype {phenotype!r} (known: "
                                f"{', '.join(cond.phenotypes)}); or define one: {how}")
        ph = cond.phenotypes[phenotype]
    else:
        ph = phenotype
        ph.check(study.network.nodes)
    net = study.network
    base_fix = dict(cond.fix)
    phen_nodes = _expr.symbols(ph.expression)
    if isinstance(targets, str) and targets in ("all", "actionable", "druggable"):
        cand = candidate_targets(net, base_fix, ph, mode=targets, drugs=study.drugs)
    else:
        names = [targets] if isinstance(targets, str) else list(targets)
        cand = [net.check_node(n) for n in names]
    values = (0, 1) if overexpress else (0,)
    singles = [_Intervention(((n, v),)) for n in cand for v in values]
    drug_fix = {}
    drug_singles: list[_Intervention] = []
    if drug_pairs:
        applied = set(cond.drugs)
        for name, d in study.drugs.items():
            drug_fix[name] = d.fix
            if name not in applied:
                drug_singles.append(_Intervention((), (name,)))
    pairs: list[_Intervention] = []
    if max_order == 2:
        for a, b in itertools.combinations(singles, 2):
            if a.fix[0][0] != b.fix[0][0]:
                pairs.append(_Intervention(a.fix + b.fix))
        for a, b in itertools.combinations(drug_singles, 2):
            pairs.append(_Intervention((), a.drugs + b.drugs))
    first = [_Intervention()] + singles + drug_singles

    # -- budget before work: the size of every condition, from the tables alone
    tn = TableNetwork(net)
    pt = PhenotypeTable(ph.expression, tn)
    budget = limits.memory_budget()
    if engine not in ("auto", "explicit", "symbolic"):
        raise LogicnetError(f"unknown engine {engine!r}: use auto, explicit or symbolic")
    from .engine.symscore import symbolic_available

    symbolic = engine != "explicit" and symbolic_available()
    t_reduce = time.perf_counter()
    m0 = tn.restrict(base_fix).n_free
    if not symbolic and (_need(m0, update) > budget or m0 > 32):
        raise ResourceLimitError(
            f"the condition itself leaves {m0} free variables after reduction; an exhaustive {update} search of "
            f"2^{m0} states needs about {_fmt(_need(m0, update))}, more than the {_fmt(budget)} allowed, so no "
            "intervention could be compared with it. Fix more nodes in the condition (--fix NODE=0|1, a "
            "context), or use the symbolic engine"
            + (" (install the 'oxidd' package)." if engine != "explicit" else " (--engine auto)."))
    restricted = {iv: tn.restrict(_fix_of(iv, base_fix, drug_fix)) for iv in first + pairs}
    t_reduce = time.perf_counter() - t_reduce
    sizes = {iv: r.n_free for iv, r in restricted.items()}
    fits = [m for m in sizes.values() if engine != "symbolic" and _need(m, update) <= budget and m <= 32
            and (engine == "explicit" or not symbolic or m <= _AUTO_EXPLICIT_MAX[update])]
    on_bdds = [m for m in sizes.values() if not (engine != "symbolic" and _need(m, update) <= budget and m <= 32
                                                and (engine == "explicit" or not symbolic
                                                     or m <= _AUTO_EXPLICIT_MAX[update]))] if symbolic else []
    n_sym = len(on_bdds)
    # in this process unless workers are estimated to finish sooner (each costs seconds to start)
    workers = max(1, n_jobs)
    if scheduler is None and screen_estimate(fits, on_bdds, update) <= screen_estimate(fits, on_bdds, update,
                                                                                       workers):
        workers = 1
    if scheduler is None and workers > 1:
        # the workers run at once: each may hold the largest search
        largest = max([_need(m, update) for m in fits] + [0])
        workers = max(1, min(workers, budget // max(largest, 1)))
    # one fixed budget per worker: the same condition goes to the same engine wherever it runs
    limits = Limits(max_memory=budget // (workers if scheduler is None else 1), max_fixed_points=limits.max_fixed_points)
    per_worker = max(1, workers if scheduler is None else n_jobs)
    est = screen_estimate(fits, on_bdds, update, per_worker)
    n_cond = len(first) + len(pairs)
    where = "in this process" if per_worker == 1 and scheduler is None else (
        f"{per_worker} worker process(es)" if scheduler is None else f"{per_worker} Dask worker(s)")
    line = (f"screen plan: {n_cond:,} conditions ({len(fits):,} searched state by state, {n_sym:,} on BDDs; "
            f"the largest leaves {max(sizes.values())} free variables), {where}; estimated "
            f"{_fmt_seconds(est)} (between {_fmt_seconds(est / ESTIMATE_FACTOR)} and "
            f"{_fmt_seconds(est * ESTIMATE_FACTOR)})")
    if plan is not None:
        plan(line)
    logger.info("%s", line)
    if max_seconds is not None and est > max_seconds:
        raise ResourceLimitError(
            f"this screen ({n_cond} conditions, {n_sym} of them on BDDs, the largest with "
            f"{max(sizes.values())} free variables) would take about {_fmt_seconds(est)} (between "
            f"{_fmt_seconds(est / ESTIMATE_FACTOR)} and {_fmt_seconds(est * ESTIMATE_FACTOR)}), more than the "
            f"{max_seconds:.0f} s allowed. " + _over_budget_advice(update))
    kw = dict(n_jobs=workers, scheduler=scheduler, progress=progress)
    if probability:
        func, ctx = _evaluate_probability, (net, ph, limits, dict(getattr(study, "rates", {}) or {}))

        def item(iv):
            return _fix_of(iv, base_fix, drug_fix)
    else:
        func, ctx = _evaluate, (pt, update, limits, engine, condition_seconds)

        def item(iv):
            return restricted[iv]
    scores = pmap(func, [item(iv) for iv in first], ctx, description="screen: singles", **kw)
    baseline = scores[0]
    single_score = dict(zip(first[1:], scores[1:]))
    parts_of: dict[_Intervention, tuple[_Intervention, _Intervention]] = {}
    for p in pairs:
        if p.fix:
            parts_of[p] = (_Intervention(p.fix[:1]), _Intervention(p.fix[1:]))
        else:
            parts_of[p] = (_Intervention((), p.drugs[:1]), _Intervention((), p.drugs[1:]))
    dominated = [p for p in pairs if not all_pairs and any(single_score[s].complete for s in parts_of[p])]
    dom_set = set(dominated)
    todo = [p for p in pairs if p not in dom_set]
    pair_scores = dict(zip(todo, pmap(func, [item(iv) for iv in todo], ctx, description="screen: pairs",
                                      **kw))) if todo else {}
    rows, skipped = [], []
    for iv, s in list(single_score.items()) + list(pair_scores.items()):
        if not s.evaluated:
            skipped.append((iv, s))
            continue
        hsa = bliss = None
        if iv in parts_of:
            a, b = (single_score[x].score for x in parts_of[iv])
            # synergy only between scores of one kind: exact, from the basins
            exact = all(x.measure == "exact" for x in (s, baseline, *(single_score[y] for y in parts_of[iv])))
            if a is not None and b is not None and exact:
                hsa = s.score - max(a, b)
                bliss = s.score - _bliss(baseline.score, a, b)
        rows.append((iv, s, hsa, bliss))
    # exact scores first; attractor-level ones (another quantity) ranked after them, among themselves
    rows.sort(key=lambda r: (r[1].measure != "exact", not r[1].complete, -r[1].score, r[0].order, r[0].label))
    dominated.sort(key=lambda p: p.label)
    skipped.sort(key=lambda r: (r[0].order, r[0].label))
    if top is not None:
        rows = rows[:top]
    all_scores = [baseline] + [s for s in single_score.values()] + list(pair_scores.values())
    timings = {k: sum(sc.timings[i] for sc in all_scores) for i, k in enumerate(("reduce", "compile", "search",
                                                                                 "score"))}
    timings["reduce"] += t_reduce
    t_explain = time.perf_counter()
    graph_info = _GraphInfo(net, phen_nodes) if explain else None
    hits = []
    for rank, (iv, s, hsa, bliss) in enumerate(rows, start=1):
        hits.append(ScreenHit(rank, dict(iv.fix), iv.drugs, s.score, s.complete, s.attractor_share, s.n_attractors,
                              hsa, bliss, False, graph_info.explain(iv, study) if graph_info else {},
                              engine=s.engine, measure=s.measure))
    for iv in dominated:
        by = [x.label for x in parts_of[iv] if single_score[x].complete]
        expl = {"summary": f"dominated by {', '.join(by)}", "dominated_by": by}
        hits.append(ScreenHit(len(hits) + 1, dict(iv.fix), iv.drugs, None, None, None, None, None, None, True, expl))
    for iv, s in skipped:
        hits.append(ScreenHit(len(hits) + 1, dict(iv.fix), iv.drugs, None, None, None, None, None, None, False,
                              {"summary": "not evaluated: " + s.reason}, reason=s.reason))
    timings["explain"] = time.perf_counter() - t_explain
    n_scored = sum(1 for s in all_scores if s.evaluated)
    return ScreenResult(study.name, cond.context, cond.drugs, update, ph.name, baseline, tuple(hits),
                        n_evaluated=n_scored, seconds=time.perf_counter() - t0, timings=timings,
                        fix=dict(fix or {}), targets=tuple(cand), phenotype_expression=ph.text, scoring=score)


#: Feedback loops listed per explanation (``n_loops_cut`` gives how many are cut).
_MAX_LOOPS_SHOWN = 10


class _GraphInfo:
    """Signed paths and feedback loops, computed once per screen (paths once per node)."""

    def __init__(self, net: Network, phen_nodes):
        from .graph import feedback_loops, interaction_graph

        self.net = net
        self.graph = interaction_graph(net)
        self.phen_nodes = sorted(phen_nodes, key=net.nodes.index)
        self.loops = feedback_loops(net, graph=self.graph, limit=20000)
        self._paths: dict[str, list[dict]] = {}
        self._loops: dict[str, list[int]] = {}
        for i, lp in enumerate(self.loops):
            for n in lp.nodes:
                self._loops.setdefault(n, []).append(i)

    def _paths_from(self, src: str) -> list[dict]:
        from .graph import signed_paths

        if src not in self._paths:
            out = []
            for dst in self.phen_nodes:
                for p in signed_paths(self.net, src, dst, limit=3, graph=self.graph):
                    out.append({"from": src, "to": dst, "nodes": list(p.nodes), "sign": p.sign})
            self._paths[src] = out
        return self._paths[src]

    def explain(self, iv: _Intervention, study) -> dict:
        nodes = [n for n, _ in iv.fix]
        for d in iv.drugs:
            nodes += list(study.drug(d).targets)
        paths = [p for src in nodes for p in self._paths_from(src)]
        idx = sorted({i for n in nodes for i in self._loops.get(n, ())})
        cut = [{"nodes": list(self.loops[i].nodes), "sign": self.loops[i].sign} for i in idx[:_MAX_LOOPS_SHOWN]]
        short = [p for p in paths if p["nodes"]]
        shortest = min(short, key=lambda p: len(p["nodes"])) if short else None
        summary = ""
        if shortest:
            arrows = "".join((" -> " if i else "") + n for i, n in enumerate(shortest["nodes"]))
            summary = f"{arrows} ({shortest['sign']})"
        if cut:
            summary += f"; cuts {len(idx)} loop(s)" + (f", e.g. {'-'.join(cut[0]['nodes'])}" if cut else "")
        return {"summary": summary.strip("; "), "targets": nodes, "paths": paths, "loops_cut": cut,
                "n_loops_cut": len(idx)}


class _CallableModule(__import__("types").ModuleType):
    """``logicnet.screen`` is both this module and the :func:`screen` function: importing
    the module (``import logicnet.screen``) binds the module to that name, so the module
    itself calls :func:`screen`."""

    def __call__(self, *args, **kwargs):
        return screen(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
__signature__ = __import__("inspect").signature(screen)
