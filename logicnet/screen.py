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
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import expr as _expr
from ._bits import codes_to_matrix
from .errors import LogicnetError
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
    """The exact score of one condition.

    Examples
    --------
    >>> Score(0.5, False, 0.5, 2).score
    0.5
    """

    score: float
    complete: bool
    attractor_share: float
    n_attractors: int
    n_states: int = 0
    timings: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """Seconds spent reducing, compiling, searching and scoring."""


def score_condition(net: Network, fix: Mapping[str, int], phenotype, *, update: str = "synchronous",
                    limits: Limits = DEFAULT_LIMITS, score: str = "share",
                    rates: Mapping[str, tuple[float, float]] | None = None) -> Score:
    """Score one condition (see the module docstring).

    Examples
    --------
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A or B")
    >>> score_condition(net, {}, Phenotype.parse("p", "not B")).score
    0.25
    >>> score_condition(net, {}, Phenotype.parse("p", "not B"), update="async").score
    0.25
    >>> score_condition(net, {}, Phenotype.parse("p", "not B"), update="async", score="probability").score
    0.25
    """
    from .engine.asynchronous import async_memory
    from .engine.compile import compile_network
    from .engine.sync import _attractors_numpy, successors, sync_memory
    from .limits import check_memory
    from .reduce import reduce_network

    update = normalize_update(update)
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    probability = score == "probability" and update == "asynchronous"
    rates = dict(rates or {})
    t0 = time.perf_counter()
    # A pruned output stuck by a zero rate could change a phenotype share: keep outputs then.
    red = reduce_network(net.fix(fix), propagate=True,
                         prune_outputs=not (probability and any(0.0 in r for r in rates.values())))
    m = red.network.n_nodes
    per_state = 4.25 if update == "synchronous" else 29
    need = sync_memory(m) if update == "synchronous" else async_memory(m)
    if probability:
        from .probability import BYTES_PER_STATE

        per_state, need = BYTES_PER_STATE, (1 << m) * BYTES_PER_STATE
    check_memory(need, limits, n_free=m, what="Scoring a condition", per_state=per_state,
                 advice="Fix more inputs in the context.")
    t1 = time.perf_counter()
    c = compile_network(red.network)
    t2 = time.perf_counter()
    succ = successors(c, small_n=_SCREEN_SMALL_N)

    def share(codes: np.ndarray) -> float:
        mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), m), update=update)
        full = {n: mat[:, j] for j, n in enumerate(red.lift.full_nodes)}
        return float(_expr.evaluate_columns(phenotype.expression, full, mat.shape[0]).mean())

    n_states = 1 << m
    if update == "synchronous":
        if m <= _SCREEN_SMALL_N:
            cyc, offs, basins = _attractors_numpy(succ)
        else:
            from .engine import kernels

            cyc, offs, basins = kernels.functional_graph_attractors_flagged(succ)
        t3 = time.perf_counter()
        shares = [share(cyc[offs[a]:offs[a + 1]]) for a in range(len(basins))]
        score = float(sum(int(b) * s for b, s in zip(basins, shares)) / n_states)
    elif probability:
        from .probability import reduced_absorption

        comps, _ = reduced_absorption(red, succ, rates)
        t3 = time.perf_counter()
        shares = [share(codes) for codes, _ in comps]
        score = float(sum(p for (_, p), s in zip(comps, shares) if s == 1.0))
    else:
        from .engine import kernels

        mem, offs = kernels.async_terminal_sccs(succ)
        t3 = time.perf_counter()
        shares = [share(mem[offs[a]:offs[a + 1]]) for a in range(len(offs) - 1)]
        bad = [mem[offs[a]:offs[a + 1]] for a, s in enumerate(shares) if s < 1.0]
        if bad:
            reach = kernels.async_backward_reach(succ, np.concatenate(bad), m)
            score = 1.0 - reach / n_states
        else:
            score = 1.0
    good = sum(1 for s in shares if s == 1.0)
    t4 = time.perf_counter()
    return Score(score, good == len(shares), good / len(shares), len(shares), n_states,
                 (t1 - t0, t2 - t1, t3 - t2, t4 - t3))


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
        See :func:`score_condition`; ``None`` for dominated pairs (not recomputed).
    hsa_excess, bliss_excess : float or None
        Pairs only: score above the best single (highest single agent), and above
        Bliss independence of the two singles' effects.
    dominated : bool
        A pair one of whose singles already restores completely.
    explanation : dict
        Signed paths from the intervened nodes to the phenotype's nodes, and the
        feedback loops the intervention cuts.

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

    @property
    def label(self) -> str:
        """A short name such as ``"IGFBP1 KO + ITGA5B1 KO"`` or ``"linsitinib"`` (a drug).

        Examples
        --------
        >>> ScreenHit(1, {}, ("linsitinib",), 1.0, True, 1.0, 1, None, None, False).label
        'linsitinib'
        """
        return _Intervention(tuple(self.intervention.items()), self.drugs_added).label

    def to_dict(self) -> dict:
        """The documented JSON shape of one result.

        Examples
        --------
        >>> ScreenHit(1, {"A": 0}, (), 1.0, True, 1.0, 1, None, None, False).to_dict()["intervention"]
        {'A': 0}
        """
        return {
            "rank": self.rank, "intervention": dict(self.intervention), "drugs_added": list(self.drugs_added),
            "label": self.label, "score": self.score, "complete": self.complete,
            "attractor_share": self.attractor_share, "n_attractors": self.n_attractors,
            "hsa_excess": self.hsa_excess, "bliss_excess": self.bliss_excess, "dominated": self.dominated,
            "explanation": dict(self.explanation),
        }


@dataclass(frozen=True)
class ScreenResult:
    """A ranked screen.

    Examples
    --------
    >>> r = ScreenResult("s", "c", ("d",), "synchronous", "sensitive", Score(0.0, False, 0.0, 1), ())
    >>> r.to_dict()["baseline"]
    {'score': 0.0, 'complete': False, 'attractor_share': 0.0, 'n_attractors': 1}
    """

    study: str
    context: str | None
    drugs: tuple[str, ...]
    update: str
    phenotype: str
    baseline: Score
    results: tuple[ScreenHit, ...]
    n_evaluated: int = 0
    seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)
    """Seconds summed over all evaluated conditions (reduce, compile, search, score) and for explanations."""
    fix: Mapping[str, int] = field(default_factory=dict)
    """Extra fixed nodes of the condition (beyond context and drugs)."""
    scoring: str = "share"
    """The score ranked by: ``"share"`` or ``"probability"``."""

    def to_dict(self) -> dict:
        """The documented JSON shape.

        Examples
        --------
        >>> ScreenResult("s", None, (), "asynchronous", "sensitive", Score(1.0, True, 1.0, 1), ()).to_dict()["update"]
        'asynchronous'
        """
        return {
            "study": self.study, "context": self.context, "drugs": list(self.drugs), "fix": dict(self.fix),
            "update": self.update, "phenotype": self.phenotype, "scoring": self.scoring,
            "baseline": {"score": self.baseline.score, "complete": self.baseline.complete,
                         "attractor_share": self.baseline.attractor_share,
                         "n_attractors": self.baseline.n_attractors},
            "n_evaluated": self.n_evaluated,
            "results": [h.to_dict() for h in self.results],
        }

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
        return _dataframe(self.to_records(), ["rank", "intervention", "score", "complete", "attractor_share",
                                              "hsa_excess", "bliss_excess", "dominated", "explanation"])

    def to_records(self) -> list[dict]:
        """One flat row per result (for CSV).

        Examples
        --------
        >>> ScreenResult("s", None, (), "synchronous", "sensitive", Score(1.0, True, 1.0, 1), ()).to_records()
        []
        """
        rows = []
        for h in self.results:
            rows.append({"rank": h.rank, "intervention": h.label, "score": h.score, "complete": h.complete,
                         "attractor_share": h.attractor_share, "hsa_excess": h.hsa_excess,
                         "bliss_excess": h.bliss_excess, "dominated": h.dominated,
                         "explanation": h.explanation.get("summary", "")})
        return rows


def _dataframe(records: list[dict], columns: list[str]):
    try:
        import pandas as pd
    except ImportError:
        from .errors import LogicnetError
        raise LogicnetError("to_dataframe() needs pandas (pip install pandas); to_records() gives the same rows "
                            "as a list of dicts") from None
    return pd.DataFrame.from_records(records, columns=columns if not records else None)


def _evaluate(item: _Intervention, ctx) -> Score:
    net, base_fix, drug_fix, phenotype, update, limits, score, rates = ctx
    fix = dict(base_fix)
    for d in item.drugs:
        fix.update(drug_fix[d])
    fix.update(dict(item.fix))
    return score_condition(net, fix, phenotype, update=update, limits=limits, score=score, rates=rates)


def _bliss(base: float, a: float, b: float) -> float:
    if base >= 1.0:
        return base
    ea, eb = (a - base) / (1 - base), (b - base) / (1 - base)
    return base + (ea + eb - ea * eb) * (1 - base)


def screen(study, *, context: str | None = None, drugs: Sequence[str] = (), fix: Mapping[str, int] | None = None,
           max_order: int = 2,
           overexpress: bool = False, targets: str | Sequence[str] = "all", drug_pairs: bool = False,
           update: str = "synchronous", phenotype: str = "sensitive", all_pairs: bool = False,
           top: int | None = None, n_jobs: int = 1, scheduler: Any = None, progress: bool | None = None,
           limits: Limits = DEFAULT_LIMITS, explain: bool = True, score: str = "share") -> ScreenResult:
    """Rank single and double interventions by how well they restore ``phenotype``.

    Parameters
    ----------
    study : Study
    context, drugs, fix
        The condition: a study context, drugs from its library, and extra fixed
        nodes (mutations, knockouts) that override both.
    max_order : {1, 2}
        Singles only, or singles and pairs.
    overexpress : bool
        Also try fixing nodes to 1.
    targets : "all", "druggable" or a list of node names
        Candidate nodes: every node the condition leaves free (phenotype nodes
        excepted), the drug library's targets, or the given nodes.
    drug_pairs : bool
        Also rank the library's drugs added on top of the condition, alone and in pairs.
    update : {"synchronous", "asynchronous"}
    phenotype : str
        The phenotype to restore (default ``sensitive``).
    all_pairs : bool
        Also recompute pairs whose single already restores completely.
    top : int, optional
        Keep the best ``top`` results.
    n_jobs, scheduler
        Local processes, or a Dask scheduler address (see :func:`logicnet.parallel.pmap`).
    progress : bool, optional
        Report to the :mod:`logicnet.progress` listener (default); ``True`` also draws
        a bar on stderr when nobody listens; ``False`` reports nothing.
    score : {"share", "probability"}
        See the module docstring; ``"probability"`` uses the study's ``[rates]``.

    Returns
    -------
    ScreenResult
        Ranked: complete restorations first, then score, then fewer targets, then name.

    Examples
    --------
    >>> from logicnet.io.study import Study, Context
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("A* = A\\nB* = A\\nC* = A\\nP* = B or C")
    >>> study = Study("t", net, {"sensitive": Phenotype.parse("sensitive", "not P")}, {},
    ...               {"on": Context("on", {"A": 1})}, ())
    >>> [(h.label, h.complete, h.hsa_excess) for h in screen(study, context="on").results][:1]
    [('B KO + C KO', True, 1.0)]
    """
    from .parallel import pmap

    t0 = time.perf_counter()
    update = normalize_update(update)
    if max_order not in (1, 2):
        raise LogicnetError("max_order must be 1 or 2")
    if isinstance(scheduler, str):
        from .parallel import check_scheduler

        check_scheduler(scheduler)  # before any work
    cond = study.condition(context=context, drugs=list(drugs), fix=fix)
    if phenotype not in cond.phenotypes:
        raise LogicnetError(f"the study defines no phenotype {phenotype!r} (known: {', '.join(cond.phenotypes)})")
    ph = cond.phenotypes[phenotype]
    net = study.network
    base_fix = dict(cond.fix)
    phen_nodes = _expr.symbols(ph.expression)
    if isinstance(targets, str) and targets == "all":
        cand = [n for n in net.nodes if n not in base_fix and _expr.constant_value(net.rules[n]) is None
                and n not in phen_nodes]
    elif isinstance(targets, str) and targets == "druggable":
        lib = {t for d in study.drugs.values() for t in d.targets}
        cand = [n for n in net.nodes if n in lib and n not in base_fix]
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
    if score not in SCORES:
        raise LogicnetError(f"unknown score {score!r}; use {' or '.join(SCORES)}")
    ctx = (net, base_fix, drug_fix, ph, update, limits, score, dict(getattr(study, "rates", {}) or {}))
    first = [_Intervention()] + singles + drug_singles
    scores = pmap(_evaluate, first, ctx, n_jobs=n_jobs, scheduler=scheduler, progress=progress,
                  description="singles")
    baseline = scores[0]
    single_score = dict(zip(first[1:], scores[1:]))
    pairs: list[_Intervention] = []
    if max_order == 2:
        for a, b in itertools.combinations(singles, 2):
            if a.fix[0][0] != b.fix[0][0]:
                pairs.append(_Intervention(a.fix + b.fix))
        for a, b in itertools.combinations(drug_singles, 2):
            pairs.append(_Intervention((), a.drugs + b.drugs))
    parts_of: dict[_Intervention, tuple[_Intervention, _Intervention]] = {}
    for p in pairs:
        if p.fix:
            parts_of[p] = (_Intervention(p.fix[:1]), _Intervention(p.fix[1:]))
        else:
            parts_of[p] = (_Intervention((), p.drugs[:1]), _Intervention((), p.drugs[1:]))
    dominated = [p for p in pairs if not all_pairs and any(single_score[s].complete for s in parts_of[p])]
    dom_set = set(dominated)
    todo = [p for p in pairs if p not in dom_set]
    pair_scores = dict(zip(todo, pmap(_evaluate, todo, ctx, n_jobs=n_jobs, scheduler=scheduler, progress=progress,
                                      description="pairs")))
    rows = []
    for iv, s in list(single_score.items()) + list(pair_scores.items()):
        hsa = bliss = None
        if iv in parts_of:
            a, b = (single_score[x].score for x in parts_of[iv])
            hsa = s.score - max(a, b)
            bliss = s.score - _bliss(baseline.score, a, b)
        rows.append((iv, s, hsa, bliss))
    rows.sort(key=lambda r: (not r[1].complete, -r[1].score, r[0].order, r[0].label))
    dominated.sort(key=lambda p: p.label)
    if top is not None:
        rows = rows[:top]
        dominated = dominated[:max(0, top - len(rows))]
    all_scores = list(single_score.values()) + list(pair_scores.values()) + [baseline]
    timings = {k: sum(sc.timings[i] for sc in all_scores) for i, k in enumerate(("reduce", "compile", "search",
                                                                                 "score"))}
    t_explain = time.perf_counter()
    graph_info = _GraphInfo(net, phen_nodes) if explain else None
    hits = []
    for rank, (iv, s, hsa, bliss) in enumerate(rows, start=1):
        hits.append(ScreenHit(rank, dict(iv.fix), iv.drugs, s.score, s.complete, s.attractor_share, s.n_attractors,
                              hsa, bliss, False, graph_info.explain(iv, study) if graph_info else {}))
    for iv in dominated:
        by = [x.label for x in parts_of[iv] if single_score[x].complete]
        expl = {"summary": f"dominated by {', '.join(by)}", "dominated_by": by}
        hits.append(ScreenHit(len(hits) + 1, dict(iv.fix), iv.drugs, None, None, None, None, None, None, True, expl))
    timings["explain"] = time.perf_counter() - t_explain
    return ScreenResult(study.name, cond.context, cond.drugs, update, phenotype, baseline, tuple(hits),
                        n_evaluated=len(first) + len(todo), seconds=time.perf_counter() - t0, timings=timings,
                        fix=dict(fix or {}), scoring=score)


class _GraphInfo:
    """Signed paths and feedback loops, computed once per screen."""

    def __init__(self, net: Network, phen_nodes):
        from .graph import feedback_loops, interaction_graph

        self.net = net
        self.graph = interaction_graph(net)
        self.phen_nodes = sorted(phen_nodes, key=net.nodes.index)
        self.loops = feedback_loops(net, graph=self.graph, limit=20000)

    def explain(self, iv: _Intervention, study) -> dict:
        from .graph import signed_paths

        nodes = [n for n, _ in iv.fix]
        for d in iv.drugs:
            nodes += list(study.drug(d).targets)
        paths = []
        for src in nodes:
            for dst in self.phen_nodes:
                for p in signed_paths(self.net, src, dst, limit=3, graph=self.graph):
                    paths.append({"from": src, "to": dst, "nodes": list(p.nodes), "sign": p.sign})
        hit = set(nodes)
        cut = [{"nodes": list(lp.nodes), "sign": lp.sign} for lp in self.loops if hit & set(lp.nodes)]
        short = [p for p in paths if p["nodes"]]
        shortest = min(short, key=lambda p: len(p["nodes"])) if short else None
        summary = ""
        if shortest:
            arrows = "".join((" -> " if i else "") + n for i, n in enumerate(shortest["nodes"]))
            summary = f"{arrows} ({shortest['sign']})"
        if cut:
            summary += f"; cuts {len(cut)} loop(s)" + (f", e.g. {'-'.join(cut[0]['nodes'])}" if cut else "")
        return {"summary": summary.strip("; "), "targets": nodes, "paths": paths, "loops_cut": cut}


class _CallableModule(__import__("types").ModuleType):
    """``logicnet.screen`` is both this module and the :func:`screen` function: importing
    the module (``import logicnet.screen``) binds the module to that name, so the module
    itself calls :func:`screen`."""

    def __call__(self, *args, **kwargs):
        return screen(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
__signature__ = __import__("inspect").signature(screen)
