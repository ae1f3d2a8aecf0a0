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
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _log
from . import expr as _expr
from .attractors import _dataframe
from .engine import EXPLICIT, SYMBOLIC, Question, Score, choose, engine_named, memory_needed
from .errors import LogicnetError, ResourceLimitError
from .graph import Explanations, candidate_targets
from .limits import DEFAULT_LIMITS, Limits
from .network import Network
from .types import normalize_update


__all__ = ["screen", "score_condition", "Score", "ScreenHit", "ScreenResult"]

#: Scores a screen can rank by (the first is the default).
SCORES = ("share", "probability")


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


def _engine_for(r, update: str, memory: int, engine: str, timeout: float | None = None):
    """The question of scoring restriction ``r`` and the engine that answers it (``None``
    with the reason when none can)."""
    q = Question(r, update, task="score", memory=memory, timeout=timeout)
    try:
        return q, choose(q, engine), ""
    except ResourceLimitError as err:
        return q, None, str(err)


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
    # numba kernels: every asynchronous search, synchronous ones above SCREEN_SMALL_N variables
    from .engine import SCREEN_SMALL_N

    small = 0 if update == "asynchronous" else SCREEN_SMALL_N
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
    """Score one restricted network (see the module docstring) by the engine :func:`logicnet.engine.choose`
    picks, or say why none can."""
    import dataclasses

    m = r.n_free
    if m == 0:
        t0 = time.perf_counter()
        s = pt.share(r, np.zeros(1, np.int64), update)
        return Score(float(s), s == 1, 1.0 if s == 1 else 0.0, 1, 1, (t_reduce, 0.0, 0.0, time.perf_counter() - t0),
                     engine=EXPLICIT)
    q, chosen, why = _engine_for(r, update, limits.memory_budget(), engine, max_seconds)
    if chosen is None:
        return Score(None, None, None, None, 1 << m, (t_reduce, 0.0, 0.0, 0.0), reason=why, engine=EXPLICIT)
    try:
        s = chosen.score(q, pt)
    except ResourceLimitError as err:  # the phenotype's share itself does not fit
        return Score(None, None, None, None, 1 << m, (t_reduce, 0.0, 0.0, 0.0), reason=str(err), engine=chosen.name)
    return dataclasses.replace(s, timings=(t_reduce,) + tuple(s.timings[1:]))


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
    from .engine import PhenotypeTable, TableNetwork

    update = normalize_update(update)
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    for n in fix:
        net.check_node(n)
    if score == "probability" and update == "asynchronous":
        from .probability import probability_score

        return probability_score(net, fix, phenotype, limits, dict(rates or {}))
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


def _evaluate_probability(fix, ctx) -> Score:
    net, phenotype, limits, rates = ctx
    try:
        from .probability import probability_score

        return probability_score(net, fix, phenotype, limits, rates)
    except ResourceLimitError as err:
        return Score(None, None, None, None, reason=str(err), engine=EXPLICIT)


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


def _over_budget_advice(update: str) -> str:
    return ("What fits: fewer candidates, singles only, more fixed nodes in the condition, "
            f"{'' if update == 'synchronous' else 'synchronous update, '}or more workers (local or a Dask cluster).")


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
    t0 = time.perf_counter()
    if max_order not in (1, 2):
        raise LogicnetError("max_order must be 1 or 2")
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    engine_named(engine)
    if isinstance(scheduler, str):
        from .parallel import check_scheduler

        check_scheduler(scheduler)  # before any work
    work = _plan(_as_study(study), context, drugs, fix, phenotype, targets, normalize_update(update), engine,
                 score, max_order=max_order, overexpress=overexpress, drug_pairs=drug_pairs,
                 budget=limits.memory_budget())
    workers, limits = _budget(work, limits, n_jobs, scheduler, max_seconds, plan)
    scores = _run(work, limits, all_pairs, condition_seconds, n_jobs=workers, scheduler=scheduler, progress=progress)
    return _rank(work, scores, top=top, explain=explain, seconds=time.perf_counter() - t0)


@dataclass
class _Plan:
    """What a screen will compute: the condition, the interventions, each one's restricted network."""

    study: Any
    cond: Any
    phenotype: Any
    update: str
    engine: str
    score: str
    fix: Mapping[str, int]
    base_fix: dict
    drug_fix: dict
    targets: list[str]
    first: list[_Intervention]
    """The condition itself, then the single interventions."""
    pairs: list[_Intervention]
    table: Any = None
    """The phenotype's :class:`~logicnet.engine.tables.PhenotypeTable`."""
    restricted: dict = field(default_factory=dict)
    t_reduce: float = 0.0

    @property
    def probability(self) -> bool:
        return self.score == "probability" and self.update == "asynchronous"

    def fix_of(self, iv: _Intervention) -> dict[str, int]:
        return _fix_of(iv, self.base_fix, self.drug_fix)


def _phenotype_of(study, cond, phenotype):
    if isinstance(phenotype, str) and "=" in phenotype:  # "NAME=EXPR", as on the command line
        from .phenotype import parse_phenotypes

        [phenotype] = parse_phenotypes([phenotype]).values()
    if not isinstance(phenotype, str):
        phenotype.check(study.network.nodes)
        return phenotype
    if phenotype not in cond.phenotypes:
        how = "phenotype='NAME=EXPR' in Python, e.g. 'sensitive=Apoptosis and not Proliferation'"
        if not cond.phenotypes:
            raise LogicnetError(f"{study.name} defines no phenotypes: give the phenotype to restore as {how}",
                                advice=("phenotype",))
        raise LogicnetError(f"the study defines no phenotype {phenotype!r} (known: "
                            f"{', '.join(cond.phenotypes)}); or define one: {how}", advice=("phenotype",))
    return cond.phenotypes[phenotype]


def condition_targets(study, context, drugs, fix, phenotype, targets):
    """The condition, the phenotype and the candidate nodes of a screen or a control question:
    ``targets`` is a mode of :func:`candidate_targets` or a list of nodes."""
    cond = study.condition(context=context, drugs=list(drugs), fix=fix)
    ph = _phenotype_of(study, cond, phenotype)
    net = study.network
    if isinstance(targets, str) and targets in ("all", "actionable", "druggable"):
        cand = candidate_targets(net, dict(cond.fix), ph, mode=targets, drugs=study.drugs)
    else:
        cand = [net.check_node(n) for n in ([targets] if isinstance(targets, str) else list(targets))]
    return cond, ph, cand


def _plan(study, context, drugs, fix, phenotype, targets, update: str, engine: str, score: str, *,
          max_order: int, overexpress: bool, drug_pairs: bool, budget: int) -> _Plan:
    """The interventions of a screen and their restricted networks (refused when even the condition
    cannot be searched)."""
    from .engine import PhenotypeTable, TableNetwork

    cond, ph, cand = condition_targets(study, context, drugs, fix, phenotype, targets)
    net = study.network
    base_fix = dict(cond.fix)
    singles = [_Intervention(((n, v),)) for n in cand for v in ((0, 1) if overexpress else (0,))]
    drug_fix, drug_singles = {}, []
    if drug_pairs:
        for name, d in study.drugs.items():
            drug_fix[name] = d.fix
            if name not in set(cond.drugs):
                drug_singles.append(_Intervention((), (name,)))
    pairs: list[_Intervention] = []
    if max_order == 2:
        pairs += [_Intervention(a.fix + b.fix) for a, b in itertools.combinations(singles, 2)
                  if a.fix[0][0] != b.fix[0][0]]
        pairs += [_Intervention((), a.drugs + b.drugs) for a, b in itertools.combinations(drug_singles, 2)]
    plan = _Plan(study, cond, ph, update, engine, score, dict(fix or {}), base_fix, drug_fix, cand,
                 [_Intervention()] + singles + drug_singles, pairs)
    tn = TableNetwork(net)
    plan.table = PhenotypeTable(ph.expression, tn)
    t_reduce = time.perf_counter()
    base = tn.restrict(base_fix)
    _check_condition(base, update, engine, budget)
    plan.restricted = {iv: tn.restrict(plan.fix_of(iv)) for iv in plan.first + pairs}
    plan.t_reduce = time.perf_counter() - t_reduce
    return plan


def _check_condition(base, update: str, engine: str, budget: int) -> None:
    """Refuse a screen whose condition itself no engine can search."""
    from .limits import _fmt

    if base.n_free and _engine_for(base, update, budget, engine)[1] is None:
        m0 = base.n_free
        raise ResourceLimitError(
            f"the condition itself leaves {m0} free variables after reduction; an exhaustive {update} search of "
            f"2^{m0} states needs about {_fmt(memory_needed(m0, update))}, more than the {_fmt(budget)} allowed, "
            "so no intervention could be compared with it. Fix more nodes in the condition (a context), or use "
            "the symbolic engine" + (" (install the 'oxidd' package)." if engine != EXPLICIT else "."),
            advice=("fix inputs",) if engine != EXPLICIT else ("fix inputs", "another engine"))


def _budget(work: _Plan, limits: Limits, n_jobs: int, scheduler, max_seconds: float | None,
            announce: Callable[[str], None] | None = None):
    """Workers and the memory budget of each, from the estimated time of the screen
    (:func:`screen_estimate`); the plan line goes to ``announce``; refused when the estimate
    is over ``max_seconds``."""
    update = work.update
    budget = limits.memory_budget()
    sizes = {iv: r.n_free for iv, r in work.restricted.items()}
    chosen = {iv: _engine_for(r, update, budget, work.engine)[1] for iv, r in work.restricted.items()}
    fits = [sizes[iv] for iv, e in chosen.items() if e is not None and e.name == EXPLICIT]
    on_bdds = [sizes[iv] for iv, e in chosen.items() if e is not None and e.name == SYMBOLIC]
    n_sym = len(on_bdds)
    # in this process unless workers are estimated to finish sooner (each costs seconds to start)
    workers = max(1, n_jobs)
    if scheduler is None and screen_estimate(fits, on_bdds, update) <= screen_estimate(fits, on_bdds, update,
                                                                                       workers):
        workers = 1
    if scheduler is None and workers > 1:
        # the workers run at once: each may hold the largest search
        largest = max([memory_needed(m, update) for m in fits] + [0])
        workers = max(1, min(workers, budget // max(largest, 1)))
    # one fixed budget per worker: the same condition goes to the same engine wherever it runs
    limits = Limits(max_memory=budget // (workers if scheduler is None else 1), max_fixed_points=limits.max_fixed_points)
    per_worker = max(1, workers if scheduler is None else n_jobs)
    est = screen_estimate(fits, on_bdds, update, per_worker)
    n_cond = len(sizes)
    where = "in this process" if per_worker == 1 and scheduler is None else (
        f"{per_worker} worker process(es)" if scheduler is None else f"{per_worker} Dask worker(s)")
    line = (f"screen plan: {n_cond:,} conditions ({len(fits):,} searched state by state, {n_sym:,} on BDDs; "
            f"the largest leaves {max(sizes.values())} free variables), {where}; estimated "
            f"{_fmt_seconds(est)} (between {_fmt_seconds(est / ESTIMATE_FACTOR)} and "
            f"{_fmt_seconds(est * ESTIMATE_FACTOR)})")
    if announce is not None:
        announce(line)
    _log.info(__name__, "%s", line)
    if max_seconds is not None and est > max_seconds:
        raise ResourceLimitError(
            f"this screen ({n_cond} conditions, {n_sym} of them on BDDs, the largest with "
            f"{max(sizes.values())} free variables) would take about {_fmt_seconds(est)} (between "
            f"{_fmt_seconds(est / ESTIMATE_FACTOR)} and {_fmt_seconds(est * ESTIMATE_FACTOR)}), more than the "
            f"{max_seconds:.0f} s allowed. " + _over_budget_advice(update),
            advice=("fewer interventions", "fix inputs", "more workers")
            + (("synchronous",) if update != "synchronous" else ()))
    return workers, limits


@dataclass
class _Scores:
    baseline: Score
    singles: dict
    pairs: dict
    parts_of: dict
    dominated: list


def _run(plan: _Plan, limits: Limits, all_pairs: bool, condition_seconds: float | None, **kw) -> _Scores:
    """Score the condition and the singles, then the pairs not dominated by a complete single."""
    from .parallel import pmap

    if plan.probability:
        func, ctx = _evaluate_probability, (plan.study.network, plan.phenotype, limits,
                                            dict(getattr(plan.study, "rates", {}) or {}))
        items = plan.fix_of
    else:
        func, ctx = _evaluate, (plan.table, plan.update, limits, plan.engine, condition_seconds)
        items = plan.restricted.__getitem__
    scores = pmap(func, [items(iv) for iv in plan.first], ctx, description="screen: singles", **kw)
    single_score = dict(zip(plan.first[1:], scores[1:]))
    parts_of = {p: ((_Intervention(p.fix[:1]), _Intervention(p.fix[1:])) if p.fix
                    else (_Intervention((), p.drugs[:1]), _Intervention((), p.drugs[1:]))) for p in plan.pairs}
    dominated = [p for p in plan.pairs if not all_pairs and any(single_score[s].complete for s in parts_of[p])]
    todo = [p for p in plan.pairs if p not in set(dominated)]
    pair_scores = dict(zip(todo, pmap(func, [items(iv) for iv in todo], ctx, description="screen: pairs",
                                      **kw))) if todo else {}
    return _Scores(scores[0], single_score, pair_scores, parts_of, dominated)


def _synergy(sc: _Scores, iv, s: Score):
    """HSA and Bliss excess of a pair over its singles (exact scores only), else (None, None)."""
    if iv not in sc.parts_of:
        return None, None
    a, b = (sc.singles[x].score for x in sc.parts_of[iv])
    # synergy only between scores of one kind: exact, from the basins
    exact = all(x.measure == "exact" for x in (s, sc.baseline, *(sc.singles[y] for y in sc.parts_of[iv])))
    if a is None or b is None or not exact:
        return None, None
    return s.score - max(a, b), s.score - _bliss(sc.baseline.score, a, b)


def _rank(plan: _Plan, sc: _Scores, *, top: int | None, explain: bool, seconds: float) -> ScreenResult:
    """The ranked result: exact scores, attractor-level ones, dominated pairs, conditions not evaluated."""
    t0 = time.perf_counter()
    rows, skipped = [], []
    for iv, s in list(sc.singles.items()) + list(sc.pairs.items()):
        if s.evaluated:
            rows.append((iv, s, *_synergy(sc, iv, s)))
        else:
            skipped.append((iv, s))
    # exact scores first; attractor-level ones (another quantity) ranked after them, among themselves
    rows.sort(key=lambda r: (r[1].measure != "exact", not r[1].complete, -r[1].score, r[0].order, r[0].label))
    skipped.sort(key=lambda r: (r[0].order, r[0].label))
    rows = rows if top is None else rows[:top]
    all_scores = [sc.baseline, *sc.singles.values(), *sc.pairs.values()]
    timings = {k: sum(x.timings[i] for x in all_scores) for i, k in enumerate(("reduce", "compile", "search",
                                                                               "score"))}
    timings["reduce"] += plan.t_reduce
    graph_info = Explanations(plan.study.network, _expr.symbols(plan.phenotype.expression)) if explain else None
    hits = []
    for rank, (iv, s, hsa, bliss) in enumerate(rows, start=1):
        hits.append(ScreenHit(rank, dict(iv.fix), iv.drugs, s.score, s.complete, s.attractor_share, s.n_attractors,
                              hsa, bliss, False, graph_info.explain(iv, plan.study) if graph_info else {},
                              engine=s.engine, measure=s.measure))
    for iv in sorted(sc.dominated, key=lambda p: p.label):
        by = [x.label for x in sc.parts_of[iv] if sc.singles[x].complete]
        expl = {"summary": f"dominated by {', '.join(by)}", "dominated_by": by}
        hits.append(ScreenHit(len(hits) + 1, dict(iv.fix), iv.drugs, None, None, None, None, None, None, True, expl))
    for iv, s in skipped:
        hits.append(ScreenHit(len(hits) + 1, dict(iv.fix), iv.drugs, None, None, None, None, None, None, False,
                              {"summary": "not evaluated: " + s.reason}, reason=s.reason))
    timings["explain"] = time.perf_counter() - t0
    cond, ph = plan.cond, plan.phenotype
    return ScreenResult(plan.study.name, cond.context, cond.drugs, plan.update, ph.name, sc.baseline, tuple(hits),
                        n_evaluated=sum(1 for x in all_scores if x.evaluated), seconds=seconds + time.perf_counter() - t0,
                        timings=timings, fix=plan.fix, targets=tuple(plan.targets), phenotype_expression=ph.text,
                        scoring=plan.score)
