"""Control: every subset-minimal set of interventions, up to a size, that forces a phenotype.

The question (named in every result, :attr:`ControlResult.question`): let ``N`` be the
network under the condition (context, drugs, ``fix``: those nodes are constant), ``phi``
the phenotype.  A *perturbation* ``P`` is a set of knockouts (node = 0) and
overexpressions (node = 1) of candidate nodes, at most one per node; ``N/P`` replaces the
rule of each node of ``P`` by its value.  Initial states: every state in which the
condition's nodes hold their value (``source="all"``), the untreated attractors of ``N``
(``"attractors"``), or given states.

* **update**: ``asynchronous`` (terminal strongly connected components of the
  asynchronous state graph), ``synchronous`` (cycles), ``most_permissive`` (Paulevé et
  al. 2020: the attractors are the minimal trap spaces), or ``all`` (the set must work
  under the three);
* **goal**: ``robust`` (every reachable attractor satisfies ``phi`` in all its states:
  AEON's ``forbidden`` oscillation, BoNesis marker reprogramming, CABEAN's target
  control), ``touch`` (every reachable attractor has a state satisfying ``phi``: AEON's
  ``allowed``), ``reachable`` (some reachable attractor satisfies ``phi`` in all states);
* **hold**: ``permanent`` (the goal on the attractors of ``N/P`` reached from the initial
  states), ``temporary`` (``P`` is held until ``N/P`` has settled in its attractors, then
  released: the goal on the attractors of ``N`` reached from there; AEON's
  ``attractor_temporary``, CABEAN's OT/TTC), ``one-step`` (the values of ``P`` are set once
  in the initial states, then ``N`` runs: CABEAN's OI, AEON's ``attractor_one_step``).

A set is listed when it works and no proper subset does (subset-minimal).  Each listed
set carries a verdict under each update scheme (``None`` when not computed), whether
releasing it is safe, the attractors it leaves, and why it works.

Sources: the control problems and their names follow Biane, Moon, Lee and Paulevé, "Why
Boolean network control tools disagree" (bioRxiv 2026); the permanent asynchronous
question is AEON's (Beneš et al., CMSB 2023, ``Control.phenotype_permanent``), the most
permissive one BoNesis's (Paulevé, 2023), the source-target ones CABEAN's (Su and Pang,
Bioinformatics 2021).  The search is :mod:`logicnet.engine.control`.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = 1\\nB* = A and not C\\nC* = B or C\\nD* = not C and E\\nE* = D or A\\n"
...                          "P* = D and not B")
>>> res = control(net, phenotype="target=P", fix={"A": 1}, targets=["B", "C", "D", "E"])
>>> [s.label for s in res]
['D OE', 'B KO + C KO']
>>> res.complete, res.counts
(True, {1: 1, 2: 1, 3: 0})
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import expr as _expr
from .errors import LogicnetError
from .limits import DEFAULT_LIMITS, Limits
from .network import Network

__all__ = ["control", "ControlSet", "ControlResult", "GOALS", "HOLDS", "UPDATES"]

GOALS = ("robust", "touch", "reachable")
HOLDS = ("permanent", "temporary", "one-step")
#: Update schemes a verdict is given for, in the order of the output.
SCHEMES = ("asynchronous", "synchronous", "most_permissive")
UPDATES = SCHEMES + ("all",)
_ALIASES = {"async": "asynchronous", "sync": "synchronous", "mp": "most_permissive",
            "most-permissive": "most_permissive", "permissive": "most_permissive"}
#: The largest size accepted (the search grows as the number of candidates to this power).
MAX_SIZE = 6


def _scheme(name: str) -> str:
    s = _ALIASES.get(name, name)
    if s not in UPDATES:
        raise LogicnetError(f"unknown update scheme {name!r}; use asynchronous, synchronous, most_permissive or all",
                            advice=("update",))
    return s


@dataclass(frozen=True)
class ControlSet:
    """One subset-minimal perturbation and what is known of it.

    ``perturbation`` maps node -> 0 (knockout) or 1 (overexpression); ``verdicts`` maps
    each update scheme to ``True``/``False`` (the set works / does not under it) or
    ``None`` (not computed); ``clamps`` are literals that keep a node at the value it has
    in every initial state; ``certificate`` says how the requested verdict was proven
    (``percolation``: the perturbation's values propagate to the phenotype, which then
    holds under every scheme; ``attractors``: an exact attractor computation).
    """

    rank: int
    perturbation: Mapping[str, int]
    verdicts: Mapping[str, bool | None]
    certificate: str
    clamps: tuple[str, ...] = ()
    temporary_suffices: bool | None = None
    drugs: tuple[str, ...] = ()
    """The study's drugs whose targets cover the set in the right direction."""
    attractors: tuple[dict, ...] = ()
    explanation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.perturbation)

    @property
    def label(self) -> str:
        return " + ".join(f"{n} {'OE' if v else 'KO'}" for n, v in self.perturbation.items())

    def to_dict(self) -> dict:
        return {"rank": self.rank, "perturbation": dict(self.perturbation), "size": self.size, "label": self.label,
                "clamps": list(self.clamps), "verdicts": dict(self.verdicts),
                "temporary_suffices": self.temporary_suffices, "drugs": list(self.drugs),
                "attractors": [dict(a) for a in self.attractors], "certificate": self.certificate,
                "explanation": dict(self.explanation)}


@dataclass(frozen=True)
class ControlResult:
    """The answer of :func:`control`: ranked :class:`ControlSet` objects and the question.

    ``complete`` is ``True`` when every size up to ``max_size`` was searched to the end
    (``sizes_complete`` lists those that were); ``counts`` maps size -> number of listed
    (subset-minimal) sets, and ``working_counts`` (with ``all_sets``) size -> number of
    working sets, supersets included (AEON's counts).
    """

    question: Mapping[str, Any]
    sets: tuple[ControlSet, ...]
    complete: bool
    sizes_complete: tuple[int, ...]
    counts: Mapping[int, int]
    working_counts: Mapping[int, int] | None = None
    near_misses: tuple[dict, ...] = ()
    none_possible: str = ""
    """When no perturbation of the candidates can work at any size: why (else empty)."""
    checked: int = 0
    cuts: int = 0
    seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.sets)

    def __len__(self) -> int:
        return len(self.sets)

    def __getitem__(self, i: int) -> ControlSet:
        return self.sets[i]

    def to_dict(self) -> dict:
        return {"question": dict(self.question), "complete": self.complete,
                "sizes_complete": list(self.sizes_complete), "counts": {str(k): v for k, v in self.counts.items()},
                "working_counts": None if self.working_counts is None else {
                    str(k): v for k, v in self.working_counts.items()},
                "none_possible": self.none_possible or None,
                "sets": [s.to_dict() for s in self.sets], "near_misses": [dict(x) for x in self.near_misses],
                "checked": self.checked, "cuts": self.cuts, "seconds": self.seconds,
                "timings": dict(self.timings)}

    def to_records(self) -> list[dict]:
        """One flat dict per set (the CSV columns)."""
        rows = []
        for s in self.sets:
            rows.append({"rank": s.rank, "set": s.label, "size": s.size,
                         **{k: s.verdicts.get(k) for k in SCHEMES},
                         "temporary_suffices": s.temporary_suffices, "clamps": " ".join(s.clamps),
                         "drugs": " ".join(s.drugs), "attractors": len(s.attractors),
                         "certificate": s.certificate, "why": s.explanation.get("summary", "")})
        return rows

    def to_dataframe(self):
        """The sets as a pandas DataFrame (pandas must be installed)."""
        from .attractors import _dataframe

        return _dataframe(self.to_records())

    def describe(self) -> str:
        """The question in words (the footer of the table)."""
        return describe_question(self.question)


def describe_question(q: Mapping[str, Any]) -> str:
    """One sentence saying which question a control result answers."""
    goal = {"robust": "every {u} attractor reachable from {src} satisfies",
            "touch": "every {u} attractor reachable from {src} meets",
            "reachable": "some {u} attractor reachable from {src} satisfies"}[q["goal"]]
    cond = q.get("condition_text") or "the condition"
    src = {"all": f"every state consistent with {cond}", "attractors": f"the attractors of {cond}"}.get(
        q["from"], f"the state(s) {q['from']}")
    u = " and ".join(q["update"]).replace("_", " ")
    return (f"{goal.format(u=u, src=src)} '{q['phenotype']['expression']}' under {q['hold']} "
            f"knockouts or overexpressions of at most {q['max_size']} of {len(q['candidates'])} nodes")


# -- the problem ---------------------------------------------------------------


@dataclass
class _Problem:
    """A control question prepared for the search: tables, candidates, checks and their cache."""

    study: Any
    cond: Any
    phenotype: Any
    net: Network
    base_fix: dict
    candidates: list
    literals: list
    schemes: tuple
    goal: str
    hold: str
    source: Any
    engine: str
    limits: Limits
    tn: Any = None
    cutter: Any = None
    verdicts: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    spaces: dict = field(default_factory=dict)

    @property
    def cuts_sound(self) -> bool:
        """Trap-space cuts need a universal goal from every state with a permanent hold."""
        return self.goal in ("robust", "touch") and self.source == "all" and self.hold == "permanent"

    def fix_of(self, p) -> dict[str, int]:
        fix = dict(self.base_fix)
        fix.update({self.tn.nodes[v]: b for v, b in p})
        return fix


def _candidate_literals(net, cand, knockout: bool, overexpress: bool, exclude: Sequence[str]) -> list[tuple[str, int]]:
    """(node, value) literals allowed, after ``exclude`` (NODE, NODE+ never 1, NODE- never 0)."""
    banned: set[tuple[str, int]] = set()
    for item in exclude:
        node = item[:-1] if item.endswith(("+", "-")) else item
        net.check_node(node)
        values = (1,) if item.endswith("+") else (0,) if item.endswith("-") else (0, 1)
        banned.update((node, v) for v in values)
    values = [v for v, on in ((0, knockout), (1, overexpress)) if on]
    return [(n, v) for n in cand for v in values if (n, v) not in banned]


def _setup(model, phenotype, context, drugs, fix, targets, update, goal, hold, source, *, knockout, overexpress,
           exclude, engine, limits) -> _Problem:
    from .engine import TableNetwork
    from .engine import TrapCuts
    from .graph import candidate_targets
    from .screening import _as_study, _phenotype_of

    study = _as_study(model)
    cond = study.condition(context=context, drugs=list(drugs), fix=fix)
    ph = _phenotype_of(study, cond, phenotype)
    net = study.network
    base_fix = dict(cond.fix)
    if isinstance(targets, str) and targets in ("all", "actionable", "druggable"):
        cand = candidate_targets(net, base_fix, ph, mode=targets, drugs=study.drugs)
    else:
        cand = [net.check_node(n) for n in ([targets] if isinstance(targets, str) else list(targets))]
    schemes = SCHEMES if update == "all" else (update,)
    tn = TableNetwork(net)
    lits = [(tn.index[n], v) for n, v in _candidate_literals(net, cand, knockout, overexpress, exclude)]
    cutter = TrapCuts(tn, ph.expression, {v for v, _ in lits}, {tn.index[n] for n in base_fix})
    return _Problem(study, cond, ph, net, base_fix, cand, lits, schemes, goal, hold, source, engine, limits, tn,
                    cutter)


def _goal_holds(goal: str, values: Sequence[float | int | None]) -> bool:
    """The goal on per-attractor phenotype values (share of states, or 0/1/None on a space)."""
    if goal == "robust":
        return all(v == 1 for v in values)
    if goal == "touch":
        return all(v is None or v > 0 for v in values)
    return any(v == 1 for v in values)


def _mp_values(pb: _Problem, r) -> list[int | None]:
    """The phenotype on each minimal trap space of the restricted network (0, 1 or None)."""
    from .engine import minimal_trap_spaces
    from .engine import space_values

    key = tuple(sorted(r.known_idx.items()))
    if key not in pb.spaces:
        sub, ph = r.symbolic_network(pb.phenotype.expression)
        spaces, _ = minimal_trap_spaces(sub)
        vals = space_values(ph, sub.nodes, spaces)
        false = next((s for s, v in zip(spaces, vals) if v == 0), None)
        lifted = None
        if false is not None:
            lifted = dict(r.known_idx)
            lifted.update({pb.tn.index[n]: int(c) for n, c in zip(sub.nodes, false) if c != "*"})
        pb.spaces[key] = (vals, lifted)
    return pb.spaces[key][0]


def _verdict(pb: _Problem, p, scheme: str):
    """Whether ``p`` works under ``scheme`` (permanent hold, from every state), how that was
    shown, and a trap space on which the phenotype is false when one is known (for the cut).

    Cheapest proof first: percolation decides the phenotype; else the minimal trap spaces
    (one on which the phenotype is false holds an attractor of every scheme, so a robust
    or touch goal fails under all three); else an exact attractor computation."""
    key = (p, scheme)
    if key in pb.verdicts:
        return pb.verdicts[key]
    fix = pb.fix_of(p)
    r = pb.tn.restrict(fix)
    val = pb.cutter.phenotype_value(r.known_idx)
    if val is not None:
        out = (val == 1, None if val else dict(r.known_idx), "percolation")
    else:
        vals = _mp_values(pb, r)
        space = pb.spaces[tuple(sorted(r.known_idx.items()))][1]
        if pb.goal != "reachable" and space is not None:
            out = (False, space, "trap spaces")
        elif scheme == "most_permissive":
            out = (_goal_holds(pb.goal, vals), None, "trap spaces")
        else:
            out = (_attractor_verdict(pb, p, r, fix, scheme), None, "attractors")
    pb.verdicts[key] = out
    return out


def _attractor_verdict(pb: _Problem, p, r, fix, scheme: str) -> bool | None:
    """An exact attractor computation of the perturbed network: for a robust goal under
    asynchronous update the screen's score (complete = every attractor satisfies the
    phenotype), else the attractors themselves (no basins)."""
    if pb.goal == "robust" and scheme == "asynchronous":
        from .screening import _score_restriction

        s = _score_restriction(r, _phenotype_table(pb), scheme, pb.limits, engine=pb.engine)
        if s.score is not None:
            pb.scores[(p, scheme)] = s.score
        return s.complete
    from .attractors import find_attractors
    from .phenotype import phenotype_shares

    aset = find_attractors(pb.net, update=scheme, fix=fix, limits=pb.limits, basins=False, engine=pb.engine)
    shares = [x["p"] for x in phenotype_shares(aset, {"p": pb.phenotype})]
    return _goal_holds(pb.goal, shares)


def _phenotype_table(pb: _Problem):
    if "table" not in pb.scores:
        from .engine import PhenotypeTable

        pb.scores["table"] = PhenotypeTable(pb.phenotype.expression, pb.tn)
    return pb.scores["table"]


def _check(pb: _Problem, p):
    """``(works, cut)`` for the search: every requested scheme must hold."""
    from .engine import Cut

    allowed = set(pb.literals)
    for scheme in pb.schemes:
        ok, space, _ = _verdict(pb, p, scheme)
        if not ok:
            cut: Cut | None = None
            if space is not None and pb.cuts_sound:
                cut = pb.cutter.cut(space, p, allowed)
            return False, cut
    return True, None


# -- the command ---------------------------------------------------------------


def control(model, *, phenotype: Any = "sensitive", context: str | None = None, drugs: Sequence[str] = (),
            fix: Mapping[str, int] | None = None, max_size: int = 3, update: str = "asynchronous",
            goal: str = "robust", hold: str = "permanent", source: Any = "all",
            targets: str | Sequence[str] = "actionable", knockout: bool = True, overexpress: bool = True,
            exclude: Sequence[str] = (), clamp: bool = True, all_sets: bool = False, near_misses: int = 5,
            explain: bool = True, engine: str = "auto", max_seconds: float | None = None,
            limits: Limits = DEFAULT_LIMITS, plan: Callable[[str], None] | None = None) -> ControlResult:
    """Every subset-minimal perturbation of at most ``max_size`` nodes that forces ``phenotype``.

    Parameters
    ----------
    model : Study or Network
        A study (phenotypes, drugs, contexts) or a network (then give the phenotype as
        ``"NAME=EXPR"`` and the condition as ``fix``).
    phenotype : str or Phenotype
        A phenotype of the study, or ``"NAME=EXPR"``.
    context, drugs, fix
        The condition, as in :func:`logicnet.screen`.
    max_size : int, 1 to 6
        The largest perturbation searched.
    update : {"asynchronous", "synchronous", "most_permissive", "all"}
        The scheme the goal must hold under (aliases ``async``, ``sync``, ``mp``);
        ``all``: under the three.  Verdicts under every scheme are given for the listed
        sets whatever this is.
    goal : {"robust", "touch", "reachable"}
    hold : {"permanent", "temporary", "one-step"}
    source : "all", "attractors", or a state (mapping node -> 0/1) or a list of states
        The initial states (see the module docstring).
    targets : "actionable", "all", "druggable" or a list of nodes
        Candidate nodes (:func:`logicnet.graph.candidate_targets`).
    knockout, overexpress : bool
        Which literals (node = 0, node = 1) are tried.
    exclude : sequence of str
        ``NODE`` (never perturbed), ``NODE+`` (never overexpressed), ``NODE-`` (never
        knocked out): CABEAN's ``-rmPert`` R / R0 / R1.
    clamp : bool
        Count literals that keep a node at the value it has in every initial state
        (clamps; they block later change). ``False`` drops them (CABEAN's convention).
    all_sets : bool
        Also count every working set per size, supersets included (AEON's counts).
    near_misses : int
        When no set works, the best perturbations by the screen's score.
    engine : {"auto", "explicit", "symbolic"}
    max_seconds : float, optional
        Stop the search after this time; the result then says which sizes are complete.

    Returns
    -------
    ControlResult

    Raises
    ------
    LogicnetError
        For an unknown node, phenotype, scheme, goal or hold, or a ``max_size`` outside 1-6.

    Examples
    --------
    >>> from logicnet import Network
    >>> net = Network.from_rules("A* = A and not B\\nB* = B or C\\nC* = C\\nP* = A")
    >>> [s.label for s in control(net, phenotype="on=P", max_size=2)]
    ['A OE']
    """
    t0 = time.perf_counter()
    upd, q_goal, q_hold = _check_arguments(update, goal, hold, max_size)
    from .engine import engine_named

    engine_named(engine)
    pb = _setup(model, phenotype, context, drugs, fix, targets, upd, q_goal, q_hold, _source(source),
                knockout=knockout, overexpress=overexpress, exclude=exclude, engine=engine, limits=limits)
    if not clamp:
        pb.literals = [x for x in pb.literals if not _is_clamp(pb, x)]
    question = _question(pb, upd, max_size, clamp)
    if plan is not None:
        plan(_plan_line(pb, max_size))
    deadline = None if max_seconds is None else t0 + max_seconds
    st, none_possible = _search(pb, max_size, deadline)
    timings = {"search": time.perf_counter() - t0}
    found = [p for k in sorted(st.found) for p in st.found[k]]
    sets = _describe_sets(pb, found, explain)
    working = _working_counts(pb, st, max_size) if all_sets and not st.stopped else None
    misses = _near_misses(pb, near_misses) if not found else ()
    timings["total"] = time.perf_counter() - t0
    return ControlResult(question, tuple(sets), not st.stopped, tuple(st.sizes_complete),
                         {k: len(st.found.get(k, [])) for k in range(1, max_size + 1)}, working, misses,
                         none_possible, st.checked, len(st.cuts), time.perf_counter() - t0, timings)


def _check_arguments(update: str, goal: str, hold: str, max_size: int):
    upd = _scheme(update)
    if goal not in GOALS:
        raise LogicnetError(f"unknown goal {goal!r}; use {', '.join(GOALS)}", advice=("goal",))
    if hold not in HOLDS:
        raise LogicnetError(f"unknown hold {hold!r}; use {', '.join(HOLDS)}", advice=("hold",))
    if not 1 <= int(max_size) <= MAX_SIZE:
        raise LogicnetError(f"the largest perturbation must have 1 to {MAX_SIZE} nodes, not {max_size}",
                            advice=("max size",))
    return upd, goal, hold


def _source(source):
    if isinstance(source, str):
        if source not in ("all", "attractors"):
            raise LogicnetError(f"unknown initial states {source!r}; use all, attractors, or a state",
                                advice=("initial states",))
        return source
    return source


def _is_clamp(pb: _Problem, lit) -> bool:
    """A literal that keeps a node at the value it has in every initial state."""
    v, b = lit
    states = _source_states(pb)
    return bool(states) and all(s.get(pb.tn.nodes[v]) == b for s in states)


def _source_states(pb: _Problem) -> list[dict]:
    if isinstance(pb.source, Mapping):
        return [dict(pb.source)]
    if isinstance(pb.source, (list, tuple)):
        return [dict(s) for s in pb.source]
    return []


def _question(pb: _Problem, upd: str, max_size: int, clamp: bool) -> dict:
    cond = pb.cond
    return {"network": pb.net.name, "condition": {"context": cond.context, "drugs": list(cond.drugs),
                                                 "fix": dict(pb.base_fix)},
            "condition_text": getattr(cond, "description", "") or ", ".join(
                f"{k}={v}" for k, v in pb.base_fix.items()) or "no condition",
            "phenotype": {"name": pb.phenotype.name, "expression": pb.phenotype.text},
            "goal": pb.goal, "update": list(pb.schemes), "hold": pb.hold,
            "from": pb.source if isinstance(pb.source, str) else _source_states(pb),
            "max_size": max_size, "over": "nodes", "candidates": list(pb.candidates), "clamp": clamp,
            "literals": len(pb.literals)}


def _plan_line(pb: _Problem, max_size: int) -> str:
    n = len(pb.candidates)
    per = len({b for _, b in pb.literals}) or 1
    bound = sum(_comb(n, k) * per ** k for k in range(1, max_size + 1))
    return (f"control plan: {len(pb.literals)} candidate literals on {n} nodes, sets of 1 to {max_size}: at most "
            f"{bound:,} combinations before minimality and trap-space cuts; each checked exactly under "
            f"{', '.join(pb.schemes).replace('_', ' ')}")


def _comb(n: int, k: int) -> int:
    import math

    return math.comb(n, k)


def _search(pb: _Problem, max_size: int, deadline: float | None):
    """The subset-minimal sets, and why none can exist at any size (or '')."""
    from .engine import SearchState, minimal_sets
    from .progress import task

    st = SearchState()
    works, cut = _check(pb, ())
    if works:
        st.sizes_complete = list(range(1, max_size + 1))
        return st, "no perturbation is needed: the condition alone already satisfies the goal"
    if cut is not None and not cut.breakers and not cut.required:
        st.sizes_complete = list(range(1, max_size + 1))
        st.cuts.append(cut)
        return st, _why_none(pb, cut)
    with task("control: checking candidate sets") as t:
        st = minimal_sets(pb.literals, max_size, lambda p: _check(pb, p), deadline=deadline,
                          initial_cuts=[cut] if cut is not None else [], progress=lambda size, n: t.advance())
    return st, ""


def _why_none(pb: _Problem, cut) -> str:
    nodes = pb.tn.nodes
    ph_nodes = set(_expr.symbols(pb.phenotype.expression))
    held = [f"{nodes[v]}={b}" for v, b in cut.space if nodes[v] in ph_nodes]
    return ("no set of any size: the phenotype is false on a trap space that none of the candidates can leave "
            f"({', '.join(held) or 'its nodes'} stay so whatever the candidates do; "
            f"{len(cut.space)} nodes are held there by the condition and the rules)")


def _describe_sets(pb: _Problem, found, explain: bool) -> list[ControlSet]:
    """Verdicts under every scheme, explanation and rank of each listed set."""
    rows = []
    for p in found:
        verdicts = {s: _verdict(pb, p, s)[0] for s in SCHEMES}
        cert = _verdict(pb, p, pb.schemes[0])[2]
        pert = {pb.tn.nodes[v]: b for v, b in sorted(p, key=lambda x: pb.tn.nodes[x[0]])}
        clamps = tuple(pb.tn.nodes[v] for v, b in p if _is_clamp(pb, (v, b)))
        rows.append(dict(perturbation=pert, verdicts=verdicts, certificate=cert, clamps=clamps,
                         drugs=_drugs_covering(pb, pert),
                         explanation=_explain(pb, p) if explain else {}))
    rows.sort(key=lambda r: (len(r["perturbation"]), -sum(bool(v) for v in r["verdicts"].values()),
                             not r["drugs"], " ".join(f"{n}{v}" for n, v in r["perturbation"].items())))
    return [ControlSet(rank, **r) for rank, r in enumerate(rows, start=1)]


def _drugs_covering(pb: _Problem, pert: Mapping[str, int]) -> tuple[str, ...]:
    """Study drugs that hit a literal of the set in its direction (one drug per literal at least)."""
    drugs = getattr(pb.study, "drugs", {}) or {}
    hit = [name for name, d in drugs.items() if any(d.fix.get(n) == v for n, v in pert.items())]
    covered = {n for name in hit for n, v in pert.items() if drugs[name].fix.get(n) == v}
    return tuple(sorted(hit)) if covered == set(pert) else ()


def _explain(pb: _Problem, p) -> dict:
    """The percolation trace of the set, and a one-line summary."""
    from .engine import percolation_trace

    tn, cutter = pb.tn, pb.cutter
    fixed = {tn.index[n]: v for n, v in pb.base_fix.items()}
    base = dict(fixed)
    base.update(dict(percolation_trace(tn, fixed)))
    start = dict(base)
    for v, b in p:
        start[v] = b
    # propagate from the perturbation on top of what the condition forces, freeing what it overrides
    start = {i: x for i, x in start.items() if i in fixed or i in dict(p)}
    trace = percolation_trace(tn, start, stop=lambda known: cutter.phenotype_value(known) is not None)
    known = dict(start)
    known.update(dict(trace))
    decided = cutter.phenotype_value(known)
    steps = [[tn.nodes[i], v] for i, v in trace if base.get(i) != v]
    if decided == 1:
        summary = f"forces the phenotype by percolation ({len(steps)} nodes change)"
    else:
        summary = "works through the attractors it leaves (percolation alone does not decide the phenotype)"
    return {"summary": summary, "percolation": steps}


def _working_counts(pb: _Problem, st, max_size: int) -> dict[int, int]:
    """Working sets per size, supersets included: each superset of a minimal set is checked."""
    minimal = [frozenset(p) for k in st.found for p in st.found[k]]
    counts = {}
    lits = pb.literals
    for size in range(1, max_size + 1):
        n = 0
        for combo in itertools.combinations(lits, size):
            if len({v for v, _ in combo}) < size:
                continue
            s = frozenset(combo)
            if not any(m <= s for m in minimal):
                continue
            n += _check(pb, tuple(sorted(combo)))[0]
        counts[size] = n
    return counts


def _near_misses(pb: _Problem, n: int) -> tuple[dict, ...]:
    """The best scored sets that do not work (the screen's score under the first scheme)."""
    scored = [(s, p) for (p, scheme), s in pb.scores.items() if p != "table" and scheme == pb.schemes[0]
              and isinstance(p, tuple) and p]
    scored.sort(key=lambda x: (-x[0], len(x[1]), x[1]))
    out = []
    for s, p in scored[:n]:
        out.append({"perturbation": {pb.tn.nodes[v]: b for v, b in p}, "score": s, "measure": "share"})
    return tuple(out)
