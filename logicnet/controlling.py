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
  ``allowed``), ``reachable`` (some reachable attractor satisfies ``phi`` in all states),
  ``share:X`` (the screen's score of ``N/P`` is at least ``X``, 0 < X <= 1: asynchronous,
  the share of the states whose every reachable attractor satisfies ``phi``; synchronous,
  the basin-weighted share; with ``score="probability"``, the probability of ending in
  such an attractor at the study's rates, as :func:`logicnet.screen` scores; permanent
  hold from every state only);
* **hold**: ``permanent`` (the goal on the attractors of ``N/P`` reached from the initial
  states), ``temporary`` (``P`` is held until ``N/P`` has settled in its attractors, then
  released: the goal on the attractors of ``N`` reached from there; AEON's
  ``attractor_temporary``, CABEAN's OT/TTC), ``one-step`` (the values of ``P`` are set once
  in the initial states, then ``N`` runs: CABEAN's OI, AEON's ``attractor_one_step``),
  ``sequential`` (up to ``max_steps`` temporary steps, each acting on the attractors of
  ``N`` the step before leaves: CABEAN's attractor-based sequential control AST,
  generalised to a phenotype and to sets of attractors; minimal when no step can lose a
  literal and no step can be dropped).

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
import math
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
HOLDS = ("permanent", "temporary", "one-step", "sequential")
#: Sequential control: the most steps searched unless ``max_steps`` says otherwise.
MAX_STEPS = 2
#: Update schemes a verdict is given for, in the order of the output.
SCHEMES = ("asynchronous", "synchronous", "most_permissive")
UPDATES = SCHEMES + ("all",)
_ALIASES = {"async": "asynchronous", "sync": "synchronous", "mp": "most_permissive",
            "most-permissive": "most_permissive", "permissive": "most_permissive"}
#: The largest size accepted (the search grows as the number of candidates to this power).
MAX_SIZE = 6
#: Memory of one exact check unless ``limits`` sets it (bytes): a check past it is undecided,
#: as one past ``check_seconds`` (a BDD search can grow by gigabytes in seconds).
CHECK_MEMORY = 2 << 30


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
    """The minimal trap spaces (most permissive attractors; each holds an attractor of every
    scheme) the set leaves: ``space`` over the network's nodes, ``size`` in states, and
    whether the phenotype ``holds``, ``fails`` or holds ``partly`` there."""
    explanation: Mapping[str, Any] = field(default_factory=dict)
    combination: tuple[str, ...] = ()
    """Over drugs: the study's drugs the set is made of (``perturbation`` is their targets)."""
    robustness: Mapping[str, Any] = field(default_factory=dict)
    """With ``robustness=True``: ``edges_held`` of ``edges_total`` single-edge removals (of the
    edges that can matter) under which the set still works; with ``contexts``:
    ``contexts_held``, the study's contexts (same drugs and fixes) in which it works."""
    steps: tuple[Mapping[str, int], ...] = ()
    """Sequential hold: the perturbation of each step, in order (``perturbation`` is then their
    union, a node perturbed in two steps with its first value); empty otherwise."""

    @property
    def size(self) -> int:
        if self.steps:
            return sum(len(x) for x in self.steps)
        return len(self.combination) if self.combination else len(self.perturbation)

    @property
    def label(self) -> str:
        if self.steps:
            return ", then ".join(" + ".join(f"{n} {'OE' if v else 'KO'}" for n, v in x.items()) for x in self.steps)
        if self.combination:
            return " + ".join(self.combination)
        return " + ".join(f"{n} {'OE' if v else 'KO'}" for n, v in self.perturbation.items())

    def to_dict(self) -> dict:
        return {"rank": self.rank, "perturbation": dict(self.perturbation), "size": self.size, "label": self.label,
                "clamps": list(self.clamps), "verdicts": dict(self.verdicts),
                "temporary_suffices": self.temporary_suffices, "drugs": list(self.drugs),
                "attractors": [dict(a) for a in self.attractors], "certificate": self.certificate,
                "combination": list(self.combination) or None,
                "steps": [dict(x) for x in self.steps] or None,
                "robustness": {"edges_held": self.robustness.get("edges_held"),
                               "edges_total": self.robustness.get("edges_total"),
                               "contexts_held": self.robustness.get("contexts_held")},
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
    undecided: tuple[str, ...] = ()
    """Sets whose exact check did not finish within ``check_seconds`` (then ``complete`` is
    ``False``, and a listed set that contains one may not be subset-minimal)."""
    sizes: tuple[dict, ...] = ()
    """Per size searched: ``size``, ``left`` (the sets no cut excluded as it started; ``None``
    for more than :data:`logicnet.engine.COUNT_CAP`), ``estimate`` (seconds, stated as it starts
    or after its first checks, see ``plan`` of :func:`control`; printed with a factor
    :data:`ESTIMATE_FACTOR` either way), ``checked``, ``seconds``,
    ``complete`` (``False`` for a size the time budget stopped) and, for a size whose
    remaining sets went to worker processes or a cluster, ``workers``."""

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
                "undecided": list(self.undecided),
                "checked": self.checked, "cuts": self.cuts, "seconds": self.seconds,
                "timings": dict(self.timings), "sizes": [dict(x) for x in self.sizes]}

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
            "reachable": "some {u} attractor reachable from {src} satisfies"}.get(q["goal"])
    if goal is None:  # share:X
        x = q["goal"][len("share:"):]
        goal = (f"the probability (at the study's rates) of ending from {{src}} in a {{u}} attractor that satisfies "
                f"the phenotype is at least {x} for" if q.get("score") == "probability" else
                f"the screen's {{u}} score (share of {{src}} ending in attractors that satisfy the phenotype) is at "
                f"least {x} for")
    cond = q.get("condition_text") or "the condition"
    if isinstance(q["from"], str) and q["from"].startswith("condition:"):
        src = f"the attractors of {q['from'][len('condition:'):]} (the cells before the condition)"
    elif isinstance(q["from"], str):
        src = {"all": f"every state consistent with {cond}", "attractors": f"the attractors of {cond}"}[q["from"]]
    else:
        src = "the state(s) " + "; ".join(", ".join(f"{k}={v}" for k, v in s.items()) for s in q["from"])
    u = " and ".join(q["update"]).replace("_", " ")
    what = (f"combinations of at most {q['max_size']} of the study's {len(q['candidates'])} drugs"
            if q.get("over") == "drugs" else
            f"knockouts or overexpressions of at most {q['max_size']} of {len(q['candidates'])} nodes")
    hold = (f"sequences of at most {q['max_steps']} temporary steps of" if q["hold"] == "sequential" else q["hold"])
    return f"{goal.format(u=u, src=src)} '{q['phenotype']['expression']}' under {hold} {what}"


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
    """(perturbation, scheme) -> the screen's score, for near misses."""
    spaces: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    states: Any = None
    """The :class:`~logicnet.engine.control.StateSpaceControl` of a hold or of given initial states."""
    position: dict = field(default_factory=dict)
    """Node index -> its position in ``states`` (the condition's nodes removed)."""
    units: list = field(default_factory=list)
    """Over drugs: (drug name, its node literals) per drug a set may add."""
    check_seconds: float | None = None
    """Time budget of one exact attractor computation; past it the set is undecided."""
    undecided: list = field(default_factory=list)
    """Sets whose check did not finish within ``check_seconds``."""
    max_steps: int = MAX_STEPS
    """Sequential hold: the most temporary steps of a sequence."""
    share_min: float | None = None
    """The goal ``share:X``: X, the least score a set must reach."""
    score: str = "share"
    """The screen's score a ``share:X`` goal reads (``share`` or ``probability``)."""

    @property
    def on_states(self) -> bool:
        """Whether the question needs every state (a hold or given initial states)."""
        return self.hold != "permanent" or self.source != "all"

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
           exclude, engine, limits, phenotype_nodes=False, over="nodes") -> _Problem:
    from .engine import TableNetwork
    from .engine import TrapCuts
    from .screening import _as_study, condition_targets

    study = _as_study(model)
    cond, ph, cand = condition_targets(study, context, drugs, fix, phenotype, targets)
    net = study.network
    base_fix = dict(cond.fix)
    if phenotype_nodes and isinstance(targets, str) and targets in ("all", "actionable"):
        extra = {n for n in _expr.symbols(ph.expression) if n not in base_fix
                 and _expr.constant_value(net.rules[n]) is None}
        cand = [n for n in net.nodes if n in extra or n in set(cand)]
    schemes = SCHEMES if update == "all" else (update,)
    tn = TableNetwork(net)
    lits = [(tn.index[n], v) for n, v in _candidate_literals(net, cand, knockout, overexpress, exclude)]
    cutter = TrapCuts(tn, ph.expression, {v for v, _ in lits}, {tn.index[n] for n in base_fix})
    for state in ([source] if isinstance(source, Mapping) else [] if isinstance(source, str) else source):
        for node, value in state.items():
            net.check_node(node)
            if value not in (0, 1):
                raise LogicnetError(f"an initial state gives {node} the value {value!r}; use 0 or 1",
                                    advice=("initial states",))
    units = []
    if over == "drugs":
        units = [(name, tuple(sorted((tn.index[n], int(v)) for n, v in d.fix.items() if n not in base_fix)))
                 for name, d in (getattr(study, "drugs", {}) or {}).items() if name not in set(cond.drugs)]
        units = [u for u in units if u[1]]
        if not units:
            raise LogicnetError("control over drugs needs a study whose drug library has drugs the condition does "
                                "not already apply")
        lits = sorted({x for _, fx in units for x in fx})
        cand = [name for name, _ in units]
        cutter = TrapCuts(tn, ph.expression, {v for v, _ in lits}, {tn.index[n] for n in base_fix})
    pb = _Problem(study, cond, ph, net, base_fix, cand, lits, schemes, goal, hold, source, engine, limits, tn,
                  cutter, units=units)
    if pb.on_states:
        if update == "most_permissive":
            raise LogicnetError("most permissive control is answered from every state with a permanent hold; for "
                                "a hold or given initial states use asynchronous or synchronous update",
                                advice=("update",))
        pb.schemes = tuple(x for x in pb.schemes if x != "most_permissive")
    return pb


def _goal_holds(goal: str, values: Sequence[float | int | None]) -> bool:
    """The goal on per-attractor phenotype values (share of states, or 0/1/None on a space)."""
    if goal == "robust":
        return all(v == 1 for v in values)
    if goal == "touch":
        return all(v is None or v > 0 for v in values)
    return any(v == 1 for v in values)


def _mp(pb: _Problem, p):
    """The minimal trap spaces of the network perturbed by ``p`` (strings over every node), the
    phenotype's value on each (0, 1 or None), and one on which it is false (or None) as a
    subspace, for the cut.  One grounded program answers every perturbation."""
    key = tuple(sorted(p))
    if key not in pb.spaces:
        if "mp" not in pb.cache:
            from .engine import PerturbedTrapSpaces

            pb.cache["mp"] = PerturbedTrapSpaces(pb.net.fix(pb.base_fix), pb.literals)
        from .engine import space_values

        spaces = pb.cache["mp"].spaces(key)
        vals = space_values(pb.phenotype.expression, pb.tn.nodes, spaces)
        false = next((sp for sp, v in zip(spaces, vals) if v == 0), None)
        lifted = None if false is None else {i: int(c) for i, c in enumerate(false) if c != "*"}
        pb.spaces[key] = (vals, lifted, spaces)
    return pb.spaces[key]


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
    known = pb.tn.propagate(fix)
    val = pb.cutter.phenotype_value(known)
    if val is not None:
        out = (val == 1, None if val else known, "percolation")
        if pb.goal == "share":  # every state reaches the forced subspace, which decides the phenotype
            pb.scores[(p, scheme)] = float(val)
            out = (val >= pb.share_min, None, "percolation")
    elif pb.goal == "share":
        ok = _share_verdict(pb, p, fix, scheme)
        out = (ok, None, "score" if ok is not None else "undecided")
    else:
        vals, space, _ = _mp(pb, p)
        if pb.goal != "reachable" and space is not None:
            out = (False, space, "trap spaces")
        elif scheme == "most_permissive":
            out = (_goal_holds(pb.goal, vals), None, "trap spaces")
        elif _violated_inside(pb, p, fix, scheme):
            out = (False, None, "attractors")
        else:
            ok = _attractor_verdict(pb, p, pb.tn.restrict(fix), fix, scheme)
            out = (ok, None, "attractors" if ok is not None else "undecided")
    pb.verdicts[key] = out
    return out


def _share_verdict(pb: _Problem, p, fix, scheme: str) -> bool | None:
    """The goal ``share:X``: the screen's score of the perturbed network (exact: the share of
    states, or the probability at the study's rates) is at least X; None when it cannot be
    computed within the budget."""
    from .errors import ResourceLimitError
    from .screening import _score_restriction

    if scheme == "most_permissive":  # minimal trap spaces have no basins: no score
        return None
    try:
        if pb.score == "probability" and scheme == "asynchronous":
            from .probability import probability_score

            s = probability_score(pb.net, fix, pb.phenotype, pb.limits, dict(getattr(pb.study, "rates", {}) or {}))
        else:
            s = _score_restriction(pb.tn.restrict(fix), _phenotype_table(pb), scheme, pb.limits, engine=pb.engine,
                                   max_seconds=pb.check_seconds)
    except ResourceLimitError:
        return None
    pb.scores[(p, scheme)] = s.score
    return None if s.score is None else s.score >= pb.share_min - 1e-12


def _violated_inside(pb: _Problem, p, fix, scheme: str) -> bool:
    """Whether an attractor inside one of the minimal trap spaces where the phenotype is
    undecided violates a robust goal: each is searched alone, on the network restricted to it
    (a trap space: the dynamics inside are the network's), far smaller than the whole.  The
    failing trap space is kept for the cut."""
    if pb.goal != "robust":
        return False
    from .screening import _score_restriction

    vals, _, spaces = _mp(pb, p)
    for sp, v in zip(spaces, vals):
        if v == 1:
            continue
        inside = dict(fix)
        inside.update({pb.tn.nodes[i]: int(c) for i, c in enumerate(sp) if c != "*"})
        s = _score_restriction(pb.tn.restrict(inside), _phenotype_table(pb), scheme, pb.limits, engine=pb.engine,
                               max_seconds=pb.check_seconds)
        if s.complete is False:
            pb.cache[("violated in", p, scheme)] = sp
            return True
    return False


def _attractor_verdict(pb: _Problem, p, r, fix, scheme: str) -> bool | None:
    """An exact attractor computation of the perturbed network: for a robust goal under
    asynchronous update the screen's score (complete = every attractor satisfies the
    phenotype), else the attractors themselves (no basins)."""
    if pb.goal == "robust" and scheme == "asynchronous":
        from .screening import _score_restriction

        s = _score_restriction(r, _phenotype_table(pb), scheme, pb.limits, engine=pb.engine,
                               max_seconds=pb.check_seconds)
        if s.score is not None:
            pb.scores[(p, scheme)] = s.score
        return s.complete
    from .attractors import find_attractors
    from .errors import ResourceLimitError
    from .phenotype import phenotype_shares

    try:
        aset = find_attractors(pb.net, update=scheme, fix=fix, limits=pb.limits, basins=False, engine=pb.engine,
                               timeout=pb.check_seconds)
    except ResourceLimitError:
        return None
    if not aset.complete:
        return None
    shares = [x["p"] for x in phenotype_shares(aset, {"p": pb.phenotype})]
    ok = _goal_holds(pb.goal, shares)
    if not ok and pb.goal in ("robust", "touch"):  # the attractor that fails, for the cut
        a = aset[next(i for i, v in enumerate(shares) if (v < 1 if pb.goal == "robust" else v == 0))]
        pb.cache[("bad attractor", p, scheme)] = {pb.tn.index[n]: int(c) for n, c in zip(aset.nodes, aset.space(a))
                                                  if c != "*"}
    return ok


def _state_space(pb: _Problem):
    """The condition's network over every state, for holds and given initial states."""
    if pb.states is None:
        pb.states = _state_control(pb, pb.hold)
    return pb.states


def _state_control(pb: _Problem, hold: str):
    """The condition's network over every state, under ``hold``: on integer state sets up to
    :data:`~logicnet.engine.MAX_STATE_VARIABLES` free nodes, on decision diagrams beyond
    (``pb.position`` maps a node index to its position there)."""
    from .engine import MAX_STATE_VARIABLES, StateSpaceControl

    names = tuple(n for n in pb.net.nodes if n not in pb.base_fix)
    rules = {n: _expr.substitute(pb.net.rules[n], pb.base_fix) for n in names}
    sub = Network(names, rules, name=pb.net.name)
    source = pb.source if isinstance(pb.source, str) else [
        {k: v for k, v in s.items() if k in set(names)} for s in _source_states(pb)]
    phi = _expr.substitute(pb.phenotype.expression, pb.base_fix)
    pb.position = {pb.tn.index[n]: j for j, n in enumerate(names)}
    if len(names) <= MAX_STATE_VARIABLES:  # integer state sets
        return StateSpaceControl(sub, phi, pb.goal, hold, source)
    from .engine import SymbolicStateControl  # decision diagrams

    return SymbolicStateControl(sub, phi, pb.goal, hold, source, memory=pb.limits.memory_budget())


def _source_cut(pb: _Problem, p):
    """A cut for a failing set from given initial states: a trap space of the perturbed network
    that holds every initial state and on which the phenotype is false keeps every set that
    does not break it from working (permanent hold); for a temporary hold, only a trap space
    of the untreated network does (the released cell stays in it too)."""
    if pb.goal == "reachable" or pb.hold == "one-step" or (pb.hold == "temporary" and p):
        return None
    sc = pb.states or _state_space(pb)
    const = sc.constant_values(pb.schemes[0])
    if const is None:
        return None
    names = [n for n in pb.net.nodes if n not in pb.base_fix]
    space = {pb.tn.index[n]: v for n, v in pb.base_fix.items()}
    space.update({pb.tn.index[names[j]]: b for j, b in const.items()})
    trap = pb.cutter.closure(space, dict(p))
    if pb.cutter.phenotype_value(trap) != 0:
        return None
    return pb.cutter.cut(trap, p, set(pb.literals))


def _state_verdict(pb: _Problem, p, scheme: str) -> bool | None:
    if scheme == "most_permissive":
        return None
    key = (p, scheme, "states")
    if key not in pb.verdicts:
        sc = pb.states or _state_space(pb)
        pb.verdicts[key] = sc.works(tuple((pb.position[v], b) for v, b in p), scheme)
    return pb.verdicts[key]


def _phenotype_table(pb: _Problem):
    if "table" not in pb.cache:
        from .engine import PhenotypeTable

        pb.cache["table"] = PhenotypeTable(pb.phenotype.expression, pb.tn)
    return pb.cache["table"]


#: The order a set is checked in under several schemes: cheapest first (minimal trap spaces
#: from one grounded program, then asynchronous, then synchronous attractors); a failure
#: under one ends the check.
_CHECK_ORDER = ("most_permissive", "asynchronous", "synchronous")


def _check(pb: _Problem, p, cuts: bool = True):
    """``(works, cuts)`` for the search: every requested scheme must hold; ``cuts`` is a list
    of the cuts the failure gives (see :func:`logicnet.engine.minimal_sets`)."""
    allowed = set(pb.literals)
    if pb.on_states:
        ok = all(_state_verdict(pb, p, scheme) for scheme in pb.schemes)
        cut = None if ok or not cuts else _source_cut(pb, p)
        return ok, [cut] if cut is not None else []
    for scheme in sorted(pb.schemes, key=_CHECK_ORDER.index):
        ok, space, _ = _verdict(pb, p, scheme)
        if ok is None:
            if p not in pb.undecided:
                pb.undecided.append(p)
            return False, []
        if not ok:
            out = []
            if cuts and space is not None and pb.cuts_sound:
                out.append(pb.cutter.cut(space, p, allowed))
            if cuts and _reach_cuts(pb):
                out += _reach_cut(pb, p)
            # under most permissive update the counterexample cut above is the stronger one
            if cuts and pb.cuts_sound and not (_reach_cuts(pb) and scheme == "most_permissive"):
                if p and scheme == "most_permissive" and space is None:
                    out.append(_minimal_space_cut(pb, p, allowed, None))
                elif p and ("violated in", p, scheme) in pb.cache and space is None:
                    out.append(_minimal_space_cut(pb, p, allowed, pb.cache[("violated in", p, scheme)]))
                elif ("bad attractor", p, scheme) in pb.cache:
                    out.append(_attractor_cut(pb, p, allowed, pb.cache[("bad attractor", p, scheme)]))
            return False, [c for c in out if c is not None]
    return True, []


def _reach_cuts(pb: _Problem) -> bool:
    """Whether the most permissive counterexample cuts (:class:`~logicnet.engine.ReachCut`)
    are sound: a robust goal that must hold under the most permissive scheme, from every
    state, with a permanent hold."""
    return pb.cuts_sound and pb.goal == "robust" and "most_permissive" in pb.schemes


def _reach_cut(pb: _Problem, p) -> list:
    """The counterexample cut of a failing set: a state of a minimal trap space of the
    perturbed network on which the phenotype is false."""
    from .engine import ReachCut

    vals, _, spaces = _mp(pb, p)
    bad = next((sp for sp, v in zip(spaces, vals) if v != 1), None)
    if bad is None:
        return []
    free = [i for i, c in enumerate(bad) if c == "*"]
    fixed = {i: int(c) for i, c in enumerate(bad) if c != "*"}
    ph_free = [i for i in free if i in set(pb.cutter.ph_nodes)]
    for bits in itertools.product((0, 1), repeat=len(ph_free)):
        state = dict(fixed)
        state.update(zip(ph_free, bits))
        if pb.cutter.phenotype_value(state) == 0:
            break
    else:  # pragma: no cover - a space the phenotype is not 1 on has a state it is 0 in
        return []
    return [ReachCut(tuple(state.get(i, 0) for i in range(pb.tn.n_nodes)))]


def _attractor_cut(pb: _Problem, p, allowed, const: Mapping[int, int]):
    """An attractor that fails the goal stays an attractor, with the same states and the same
    transitions, under every perturbation that keeps the literals of ``p`` it needs and adds
    only literals agreeing with the nodes constant on it (``const``, node index -> value):
    a node held at the value it keeps there changes no transition from its states, under
    any update scheme.  A literal of ``p`` whose node's own rule gives that value on the
    whole subspace spanned by the attractor is not needed.  So every such perturbation fails."""
    from .engine import Cut

    breakers = frozenset(x for x in allowed if const.get(x[0], 1 - x[1]) != x[1])
    return Cut(pb.cutter.required(const, dict(p)), breakers, tuple(sorted(const.items())))


def _minimal_space_cut(pb: _Problem, p, allowed, bad):
    """A minimal trap space of the perturbed network that is not inside the phenotype (or holds
    an attractor that violates the goal) keeps a violation when the literals added agree with
    its fixed nodes and leave its free nodes upstream of the phenotype alone: those free nodes
    form a network of their own inside it, whose attractors (and minimal trap spaces) decide
    the phenotype's value there, and the projection of an attractor on them is one of theirs."""
    from .engine import Cut

    if bad is None:
        vals, _, spaces = _mp(pb, p)
        bad = next((sp for sp, v in zip(spaces, vals) if not _goal_holds(pb.goal, [v])), None)
    if bad is None:
        return None
    space = {i: int(c) for i, c in enumerate(bad) if c != "*"}
    # inside the trap space, only the free nodes upstream of the phenotype's free nodes decide
    # its value on the attractors there (they form a network of their own): a literal elsewhere
    # leaves that network, and so the violation, as it is
    tn = pb.tn
    todo = [tn.index[n] for n in _expr.symbols(pb.phenotype.expression) if tn.index[n] not in space]
    upstream = set(todo)
    while todo:
        for r in tn.regs[todo.pop()]:
            if r not in space and r not in upstream:
                upstream.add(r)
                todo.append(r)
    breakers = frozenset(x for x in allowed if (x[0] in space and space[x[0]] != x[1]) or x[0] in upstream)
    return Cut(pb.cutter.required(space, dict(p)), breakers, tuple(sorted(space.items())))


# -- the command ---------------------------------------------------------------


def control(model, *, phenotype: Any = "sensitive", context: str | None = None, drugs: Sequence[str] = (),
            fix: Mapping[str, int] | None = None, max_size: int = 3, update: str = "asynchronous",
            goal: str = "robust", hold: str = "permanent", source: Any = "all", max_steps: int = MAX_STEPS,
            targets: str | Sequence[str] = "actionable", knockout: bool = True, overexpress: bool = True,
            exclude: Sequence[str] = (), clamp: bool = True, allow_phenotype_nodes: bool = False,
            over: str = "nodes",
            all_sets: bool = False, near_misses: int = 5,
            verdicts: str = "requested", explain: bool = True, robustness: bool = False,
            contexts: str | Sequence[str] | None = None, score: str = "share", engine: str = "auto",
            max_seconds: float | None = None, check_seconds: float | None = 30.0,
            limits: Limits = DEFAULT_LIMITS, plan: Callable[[str], None] | None = None, n_jobs: int = 1,
            scheduler: Any = None) -> ControlResult:
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
    goal : {"robust", "touch", "reachable"} or "share:X"
        ``share:X`` with X in (0, 1]: the screen's score of the perturbed network reaches X
        (see the module docstring); asynchronous or synchronous update, permanent hold,
        every initial state.
    score : {"share", "probability"}
        The screen's score a ``share:X`` goal reads (:func:`logicnet.screen`); probability:
        asynchronous update at the study's ``[rates]``.
    hold : {"permanent", "temporary", "one-step", "sequential"}
    max_steps : int, 1 to 6
        Sequential hold: the most steps of a sequence; ``max_size`` bounds their literals
        in all.  Each listed :class:`ControlSet` then has ``steps``.
    source : "all", "attractors", "condition:CTX[+DRUG...]", or a state (mapping node -> 0/1) or a list of states
        The initial states (see the module docstring); ``condition:`` takes the attractors
        of another condition of the study (the cells before the question's condition).
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
    allow_phenotype_nodes : bool
        Also perturb the phenotype's own nodes (by default they are read, not acted on).
    over : {"nodes", "drugs"}
        Perturb nodes, or combine the study's drugs (each one all its targets; drugs that fix
        a node to different values are never combined; minimality is over drugs).
    all_sets : bool
        Also count every working set per size, supersets included (AEON's counts).
    near_misses : int
        When no set works, the best perturbations by the screen's score.
    verdicts : {"requested", "all"}
        Verdicts of the listed sets under the requested schemes only (the others are
        ``None``), or under all three (asynchronous, synchronous, most permissive).
    robustness : bool
        Per listed set, how many single-edge removals (Campbell & Albert 2019, as
        :func:`logicnet.validation.robustness`; only the edges that can change the answer)
        it survives under the requested schemes; ranks sets of the same size and verdicts.
    contexts : "all" or a list of context names, optional
        Per listed set, the study's contexts (with the same drugs and fixes) in which it
        works as well; ranks after edge robustness.
    engine : {"auto", "explicit", "symbolic"}
    max_seconds : float, optional
        Stop the search after this time; the result then says which sizes are complete.
    check_seconds : float, optional
        Time budget of one exact attractor computation on decision diagrams (default 30 s,
        as a screen's condition); a set whose check runs past it is reported undecided
        (``ControlResult.undecided``) and the result is not complete.
    limits : Limits
        Memory budget (one check on decision diagrams takes at most 2 GiB of it).
    plan : callable, optional
        Receives the plan line before the search, then, for each size, the number of sets
        of that size the cuts found so far leave and the estimated time of that size with
        its range (a factor :data:`ESTIMATE_FACTOR` either way; before its first check from
        the time per check of the size before, or after its first few checks from theirs),
        and a line when it is done.  The same figures are in ``ControlResult.sizes``.

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
    if over not in ("nodes", "drugs"):
        raise LogicnetError(f"control is over 'nodes' or 'drugs', not {over!r}")
    if verdicts not in ("requested", "all"):
        raise LogicnetError(f"verdicts must be 'requested' or 'all', not {verdicts!r}")
    from .engine import engine_named

    engine_named(engine)
    source_label = None
    if isinstance(source, str) and source.startswith("condition:"):
        source_label = source
        source = _condition_source(model, source[len("condition:"):], "synchronous" if upd == "synchronous"
                                   else "asynchronous", limits)
    goal_kind, share_min = _parse_goal(q_goal)
    if score not in ("share", "probability"):
        raise LogicnetError(f"unknown score {score!r}; use share or probability", advice=("goal",))
    if goal_kind == "share":
        if q_hold != "permanent" or not (isinstance(source, str) and source == "all"):
            raise LogicnetError("a share:X goal is the screen's score: it is defined for a permanent hold from every "
                                "state; for a hold or given initial states use the robust, touch or reachable goal",
                                advice=("goal",))
        if upd in ("most_permissive", "all"):
            raise LogicnetError("a share:X goal is the screen's score, defined under asynchronous and synchronous "
                                "update; most permissive attractors (minimal trap spaces) have no basins",
                                advice=("update",))
    spec = dict(model=model, phenotype=phenotype, context=context, drugs=drugs, fix=fix, targets=targets, update=upd,
                goal=goal_kind, hold=q_hold, source=_source(source), knockout=knockout, overexpress=overexpress,
                exclude=exclude, engine=engine, limits=limits, phenotype_nodes=allow_phenotype_nodes, over=over,
                share_min=share_min, score=score, max_steps=max_steps, check_seconds=check_seconds, clamp=clamp)
    pb = _build(spec)
    question = _question(pb, upd, max_size, clamp)
    if source_label is not None:
        question["from"] = source_label
    ctx = _context_names(pb, contexts)
    if plan is not None:
        plan(_plan_line(pb, max_size))
    deadline = None if max_seconds is None else t0 + max_seconds
    budget = _SizeBudget(plan)
    if scheduler is not None or n_jobs > 1:
        import uuid

        spec = {**spec, "key": uuid.uuid4().hex}
    st, none_possible = _search(pb, max_size, deadline, budget, n_jobs=n_jobs, scheduler=scheduler, spec=spec)
    timings = {"search": time.perf_counter() - t0}
    found = [(_union(pb, p), tuple(pb.units[k][0] for k, _ in p)) if pb.units else (p, ())
             for k in sorted(st.found) for p in st.found[k]]
    timings["verdicts"] = -time.perf_counter()
    sets = _describe_sets(pb, found, explain, SCHEMES if verdicts == "all" else pb.schemes,
                          full_release=verdicts == "all",
                          robustness=robustness, contexts=ctx, fix=fix or {}, say=plan, deadline=deadline)
    timings["verdicts"] += time.perf_counter()
    working = _working_counts(pb, st, max_size) if all_sets and not st.stopped and not pb.units else None
    misses = _near_misses(pb, near_misses) if not found else ()
    timings["total"] = time.perf_counter() - t0
    first_open = min((len(p) for p in pb.undecided), default=max_size + 1)
    undecided = tuple(" + ".join(f"{pb.tn.nodes[v]} {'OE' if b else 'KO'}" for v, b in p) for p in pb.undecided)
    return ControlResult(question, tuple(sets), not st.stopped and not pb.undecided,
                         tuple(k for k in st.sizes_complete if k < first_open),
                         {k: len(st.found.get(k, [])) for k in range(1, max_size + 1)}, working, misses,
                         none_possible, st.checked, len(st.cuts) + len(st.reach), time.perf_counter() - t0, timings, undecided,
                         tuple(budget.sizes))


def _build(spec: Mapping[str, Any]) -> _Problem:
    """The problem of one control question from the arguments of :func:`control` (checked):
    in this process, and in each worker process that checks sets of it."""
    pb = _setup(spec["model"], spec["phenotype"], spec["context"], spec["drugs"], spec["fix"], spec["targets"],
                spec["update"], spec["goal"], spec["hold"], spec["source"], knockout=spec["knockout"],
                overexpress=spec["overexpress"], exclude=spec["exclude"], engine=spec["engine"],
                limits=spec["limits"], phenotype_nodes=spec["phenotype_nodes"], over=spec["over"])
    pb.share_min, pb.score = spec["share_min"], spec["score"]
    if pb.hold == "sequential":
        _check_sequential(pb, spec["max_steps"])
    pb.check_seconds = spec["check_seconds"]
    limits = spec["limits"]
    if limits.max_memory is None:  # one check on decision diagrams may not take the whole machine
        pb.limits = Limits(max_memory=min(limits.memory_budget(), CHECK_MEMORY),
                           max_fixed_points=limits.max_fixed_points)
    if not spec["clamp"] or pb.hold == "one-step":  # set once, a clamp changes nothing
        pb.literals = [x for x in pb.literals if not _is_clamp(pb, x)]
    return pb


#: In a worker process: the problem it checks sets of (built once per question).
_WORKER_PROBLEM: dict = {}


def _check_in_worker(p, spec):
    """One set checked in a worker process: ``(works, cuts, undecided)``."""
    key = spec["key"]
    if key not in _WORKER_PROBLEM:
        _WORKER_PROBLEM.clear()
        _WORKER_PROBLEM[key] = _build(spec)
    pb = _WORKER_PROBLEM[key]
    before = len(pb.undecided)
    works, cuts = _check(pb, p)
    return works, cuts, len(pb.undecided) > before


def _parse_goal(goal: str) -> tuple[str, float | None]:
    """``robust``, ``touch``, ``reachable`` or ``share:X`` -> (goal, X or None)."""
    if isinstance(goal, str) and goal.startswith("share:"):
        try:
            x = float(goal[len("share:"):])
        except ValueError:
            x = float("nan")
        if not 0 < x <= 1:
            raise LogicnetError(f"the goal {goal!r} needs a share above 0 and at most 1, e.g. share:0.9",
                                advice=("goal",))
        return "share", x
    if goal not in GOALS:
        raise LogicnetError(f"unknown goal {goal!r}; use {', '.join(GOALS)} or share:X (X in (0, 1])",
                            advice=("goal",))
    return goal, None


def _check_sequential(pb: _Problem, max_steps: int) -> None:
    if not 1 <= int(max_steps) <= MAX_SIZE:
        raise LogicnetError(f"a sequence has 1 to {MAX_SIZE} steps, not {max_steps}", advice=("hold",))
    pb.max_steps = int(max_steps)
    if pb.units:
        raise LogicnetError("sequential control is over nodes, not over the study's drugs", advice=("hold",))


def _check_arguments(update: str, goal: str, hold: str, max_size: int):
    upd = _scheme(update)
    _parse_goal(goal)
    if hold not in HOLDS:
        raise LogicnetError(f"unknown hold {hold!r}; use {', '.join(HOLDS)}", advice=("hold",))
    if not 1 <= int(max_size) <= MAX_SIZE:
        raise LogicnetError(f"the largest perturbation must have 1 to {MAX_SIZE} nodes, not {max_size}",
                            advice=("max size",))
    return upd, goal, hold


#: ``condition:...`` initial states: at most this many attractor states are taken.
MAX_SOURCE_STATES = 4096


def _condition_source(model, spec: str, update: str, limits: Limits) -> list[dict]:
    """The states of the attractors of another condition of the study, ``CTX[+DRUG...]``
    (a context name, drug names, or both): the cells as they are before the question's
    condition, which then receive the control (control.md 4.2, ``condition:X``)."""
    from .attractors import find_attractors
    from .screening import _as_study

    study = _as_study(model)
    names = [x.strip() for x in spec.split("+") if x.strip()]
    if not names:
        raise LogicnetError("condition: needs a context or drug names, e.g. condition:HCC or condition:HCC+sorafenib",
                            advice=("initial states",))
    contexts = getattr(study, "contexts", {}) or {}
    context = next((n for n in names if n in contexts), None)
    drugs = getattr(study, "drugs", {}) or {}
    unknown = [n for n in names if n != context and n not in drugs]
    if unknown:
        raise LogicnetError(f"condition:{spec}: {unknown[0]!r} is neither a context nor a drug of the study "
                            f"(contexts: {', '.join(contexts) or 'none'})", advice=("initial states",))
    cond = study.condition(context=context, drugs=[n for n in names if n != context])
    aset = find_attractors(study.network, update=update, fix=cond.fix, limits=limits, basins=False)
    total = sum(a.size for a in aset)
    if not aset.complete or total > MAX_SOURCE_STATES:
        raise LogicnetError(f"the attractors of {cond.label} hold {total:,} states or are not all known (at most "
                            f"{MAX_SOURCE_STATES:,} states are taken as initial states); give a state or a subspace",
                            advice=("initial states",))
    return [{n: int(c) for n, c in zip(aset.nodes, state)} for a in aset for state in aset.state_strings(a)]


def _source(source):
    if isinstance(source, str):
        if source not in ("all", "attractors"):
            raise LogicnetError(f"unknown initial states {source!r}; use all, attractors, condition:CONTEXT[+DRUG...] "
                                "or a state",
                                advice=("initial states",))
        return source
    return source


def _is_clamp(pb: _Problem, lit) -> bool:
    """A literal that keeps a node at the value it has in every initial state."""
    v, b = lit
    if pb.source == "all":
        return False
    if pb.on_states:
        if "constant initially" not in pb.cache:  # node index -> its one value in every initial state
            sc = _state_space(pb)
            const = sc.constant_values(pb.schemes[0]) or {}
            pb.cache["constant initially"] = {i: const[j] for i, j in pb.position.items() if j in const}
        if v in pb.position:
            return pb.cache["constant initially"].get(v) == b
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
            "condition_text": cond.label or "no condition",
            "phenotype": {"name": pb.phenotype.name, "expression": pb.phenotype.text},
            "goal": pb.goal if pb.share_min is None else f"share:{pb.share_min:g}",
            "score": pb.score, "update": list(pb.schemes), "hold": pb.hold,
            "from": pb.source if isinstance(pb.source, str) else _source_states(pb),
            "max_size": max_size, "over": "drugs" if pb.units else "nodes", "candidates": list(pb.candidates),
            "clamp": clamp,
            "literals": len(pb.literals), **({"max_steps": pb.max_steps} if pb.hold == "sequential" else {})}


def _plan_line(pb: _Problem, max_size: int) -> str:
    n = len(pb.candidates)
    per = len({b for _, b in pb.literals}) or 1
    bound = sum(_comb(n, k) * per ** k for k in range(1, max_size + 1))
    if pb.hold == "sequential":
        return (f"control plan: {len(pb.literals)} candidate literals on {n} nodes, sequences of at most "
                f"{pb.max_steps} temporary steps and {max_size} literals in all (at most {bound:,} perturbations "
                f"per step), each step's attractors computed once per attractor set it starts from; checked "
                f"exactly under "
                f"{', '.join(pb.schemes).replace('_', ' ')}; each size is estimated as it starts")
    return (f"control plan: {len(pb.literals)} candidate literals on {n} nodes, sets of 1 to {max_size}: at most "
            f"{bound:,} combinations before minimality and trap-space cuts; each checked exactly under "
            f"{', '.join(pb.schemes).replace('_', ' ')}; each size is estimated as it starts, from the sets the cuts "
            f"leave")


#: A size's estimate is printed as a range: from estimate / factor to estimate * factor.
ESTIMATE_FACTOR = 3.0
#: A size with more sets left than this is estimated from the time of its first checks,
#: or of those made in its first PILOT_SECONDS when they are slow.
PILOT_CHECKS = 20
PILOT_SECONDS = 5.0
#: Seconds a size costs besides its checks (grounding, counting), and clingo's time per
#: set it proposes (measured on the questions of bench/bench_control.py).
_SIZE_SECONDS = 0.02
_CLINGO_SECONDS_PER_SET = 5e-4
#: A size whose remaining checks are estimated above this (seconds) goes to the worker
#: processes, if any; they take :data:`BATCH_PER_WORKER` sets each per batch.
PARALLEL_SECONDS = 10.0
BATCH_PER_WORKER = 8
#: ... and only when the size before checked at least this share of the sets it started with.
PARALLEL_CHECKED_SHARE = 0.9
#: Seconds for the workers to start and build the problem (spawn, imports, compilation).
_WORKER_START_SECONDS = 4.0
#: The worker time the main process (clingo proposing sets, cuts learnt) takes from the
#: workers: n workers check as fast as n - 0.5 processes would (measured on 2 cores:
#: bbm070, size 3, 1.4-1.6x faster on 2 workers, asynchronous and all three schemes).
_MAIN_PROCESS_SHARE = 0.5


class _SizeBudget:
    """The estimate of each size, stated before most of its checks, and what it took.

    Before a size, clingo counts the sets of that size no cut found so far excludes
    (:func:`logicnet.engine.count_answers`); each of them is checked unless a cut found
    during the size excludes it, which the count cannot foresee.  A size is timed from
    before its grounding and count (counting can take longer than the checks).  A size
    with at most :data:`PILOT_CHECKS` sets left, after a size that checked some, is
    estimated before its first check at the time per set of that size.  A larger one first checks
    :data:`PILOT_CHECKS` of its sets drawn at random (:func:`logicnet.engine.minimal_sets`'s
    ``pilot``; clingo's first answers are not a fair sample: on bbm070 they are its
    cheapest) and is estimated after them (or after :data:`PILOT_SECONDS` when checks are
    slow): their time, then for each set still left the geometric mean of their mean and
    median check times (check times are heavy tailed: one slow check among many quick ones
    is common, and the first check of a run also pays for grounding), plus the time per
    set the size before spent outside its checks (clingo proposing sets, grounding the
    cuts learnt; most of a size's time when checks take milliseconds).  A first size with
    at most :data:`PILOT_CHECKS` sets is estimated after three checks (one when there are
    at most three).  Which sets a size leaves depends on the cuts the sizes before it
    find, so later sizes are estimated as they start, not in advance."""

    def __init__(self, say: Callable[[str], None] | None):
        self.say = say
        self.workers = 0  # worker processes (or a cluster's) the remaining checks of a long size go to; 0: none
        self.sampled = False  # whether a size's first checks are a random sample (the search calls piloted())
        self.rate: float | None = None  # seconds per set of the last size that checked any
        self.overhead = _CLINGO_SECONDS_PER_SET  # seconds per set outside the checks, in the last such size
        self.sizes: list[dict] = []
        self._t0 = self._last = 0.0
        self._times: list[float] = []  # between one check's end and the next: its check and clingo's time
        self._durations: list[float] = []  # of the checks alone (those made through timed())
        self._stated = False

    def start(self, size: int, left: int | None, started: float | None = None) -> None:
        """A size starts (``started``: ``time.perf_counter()`` before it was grounded and
        counted; now when not given), with ``left`` sets to check."""
        from .engine import COUNT_CAP

        now = time.perf_counter()
        t0 = now if started is None else min(started, now)
        self._close(end=t0)
        n = COUNT_CAP if left is None else left
        est = now - t0 + _SIZE_SECONDS + n * ((self.rate or 0.0) + _CLINGO_SECONDS_PER_SET) if n else now - t0
        self.sizes.append({"size": size, "left": left, "estimate": round(est, 3), "checked": 0, "seconds": None})
        self._t0, self._last = t0, now
        self._times, self._durations = [], []
        self._stated = False
        if n == 0 or (n <= PILOT_CHECKS and self.rate is not None):
            self._say_estimate(est, "")

    def timed(self, check: Callable) -> Callable:
        """``check``, recording how long each call takes."""
        def timed_check(*args):
            t = time.perf_counter()
            try:
                return check(*args)
            finally:
                self._durations.append(time.perf_counter() - t)
        return timed_check

    def _left(self) -> int:
        from .engine import COUNT_CAP

        left = self.sizes[-1]["left"]
        return COUNT_CAP if left is None else left

    def checked(self) -> None:
        cur = self.sizes[-1]
        cur["checked"] += 1
        now = time.perf_counter()
        self._times.append(now - self._last)
        self._last = now
        if self._stated:
            return
        n = self._left()
        if n > PILOT_CHECKS:
            if now - self._t0 >= PILOT_SECONDS or (not self.sampled and cur["checked"] >= PILOT_CHECKS):
                self._state(now)
        elif self.rate is None and cur["checked"] >= (3 if n > 3 else 1):
            self._state(now)

    def piloted(self) -> None:
        """The random sample of a size is checked (and its cuts given to clingo): its estimate."""
        if not self._stated and self.sizes and self._left() > PILOT_CHECKS:
            self._state(time.perf_counter())

    def _state(self, now: float) -> None:
        cur = self.sizes[-1]
        self._stated = True
        done = cur["checked"]
        sample = self.sampled and self._left() > PILOT_CHECKS and len(self._durations) >= done
        times = self._durations[:done] if sample else self._times  # a random sample, or clingo's first sets
        median = sorted(times)[len(times) // 2]
        rate = (median * sum(times) / len(times)) ** 0.5 + (self.overhead if sample else 0.0)
        rest = (rate + _CLINGO_SECONDS_PER_SET) * max(0, self._left() - done)
        how = (f", from {done} of its sets drawn at random" if sample else
               f", from its first {done} checks" if done > 1 else ", from its first check")
        if self.workers and rest > PARALLEL_SECONDS and self._cuts_spared():  # the rest goes to the workers
            cur["workers"] = self.workers
            start = 0.0 if any(x.get("workers") for x in self.sizes[:-1]) else _WORKER_START_SECONDS
            rest = start + rest / max(1.0, self.workers - _MAIN_PROCESS_SHARE)
            how += f"; the rest on {self.workers} workers"
        cur["estimate"] = round(now - self._t0 + _SIZE_SECONDS + rest, 3)
        self._say_estimate(cur["estimate"], how)

    def _cuts_spared(self) -> bool:
        """Whether the size before checked nearly every set it started with (cuts found
        during a size spared few): then checking in batches, whose cuts come later, costs
        little.  Where they spared many (bbm148, bbm014 under ``all``), batches would
        check sets one at a time would have cut."""
        prev = next((x for x in reversed(self.sizes[:-1]) if x["checked"]), None)
        return prev is not None and bool(prev["left"]) and prev["checked"] >= PARALLEL_CHECKED_SHARE * prev["left"]

    def parallel_now(self) -> bool:
        """Whether the current size's remaining sets go to the worker processes."""
        return bool(self.sizes) and self.sizes[-1].get("workers", 0) > 0

    def finish(self, st) -> None:
        self._close(st)

    def _close(self, st=None, end: float | None = None) -> None:
        if not self.sizes or self.sizes[-1]["seconds"] is not None:
            return
        cur = self.sizes[-1]
        cur["seconds"] = round((time.perf_counter() if end is None else end) - self._t0, 3)
        cur["complete"] = st is None or cur["size"] in st.sizes_complete
        if cur["checked"]:
            self.rate = max(0.0, (cur["seconds"] - _SIZE_SECONDS) / cur["checked"] - _CLINGO_SECONDS_PER_SET)
            if self._durations and not cur.get("workers"):
                self.overhead = max(0.0, (cur["seconds"] - _SIZE_SECONDS - sum(self._durations)) / cur["checked"])
        if self.say is not None and cur["complete"]:
            self.say(f"control: size {cur['size']} done: {cur['checked']:,} checked in {_secs(cur['seconds'])}")

    def _say_estimate(self, est: float, how: str) -> None:
        from .engine import COUNT_CAP

        if self.say is None:
            return
        cur = self.sizes[-1]
        size, left = cur["size"], cur["left"]
        if left == 0:
            self.say(f"control: size {size}: no candidate set left after the cuts so far")
            return
        many = f"more than {COUNT_CAP:,}" if left is None else f"{left:,}"
        f = ESTIMATE_FACTOR
        self.say(f"control: size {size}: {many} candidate sets left after the cuts so far; estimated "
                 f"{_secs(est)} ({_secs(est / f)} to {_secs(est * f)}{how})")


def _secs(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:,.0f} s"


def _comb(n: int, k: int) -> int:
    import math

    return math.comb(n, k)


def _search(pb: _Problem, max_size: int, deadline: float | None, budget: _SizeBudget, *, n_jobs: int = 1,
            scheduler: Any = None, spec: Mapping[str, Any] | None = None):
    """The subset-minimal sets, and why none can exist at any size (or '')."""
    from .engine import Cut, ReachCut, SearchState, minimal_sets, reach_program
    from .progress import task

    st = SearchState()
    works, cuts = _check(pb, ())
    if works or not pb.literals:
        st.sizes_complete = list(range(1, max_size + 1))
    if works:
        return st, "no perturbation is needed: the condition alone already satisfies the goal"
    if not pb.literals:
        return st, ("no candidate node to perturb (the phenotype's own nodes, nodes fixed by the condition, constant "
                    "nodes and nodes with no path to the phenotype are not candidates unless asked for)")
    if pb.hold in ("temporary", "one-step", "sequential") and all(_state_space(pb).nothing_good(s)
                                                                   for s in pb.schemes):
        st.sizes_complete = list(range(1, max_size + 1))
        return st, (f"no {pb.hold} control at any size: once released, the cell runs the network under the "
                    "condition alone, and none of its attractors satisfies the goal")
    if pb.hold == "sequential":
        return _search_sequences(pb, max_size, pb.max_steps, deadline, budget), ""
    hopeless = next((c for c in cuts if isinstance(c, Cut) and not c.breakers and not c.required), None)
    if hopeless is not None:
        st.sizes_complete = list(range(1, max_size + 1))
        st.cuts.append(hopeless)
        return st, _why_none(pb, hopeless)
    units = [u for _, u in pb.units] if pb.units else [[x] for x in pb.literals]
    program = ""
    if _reach_cuts(pb):
        cuts = [ReachCut(None)] + cuts
        program = reach_program(pb.net.fix(pb.base_fix), pb.phenotype.expression, units)
    if pb.units:
        return _search_drugs(pb, max_size, deadline, cuts, program, budget), ""
    from .parallel import Pool

    check = budget.timed(lambda p: _check(pb, p))

    def check_batch(ps):
        if not budget.parallel_now():
            return [check(p) for p in ps]
        n = pool.workers
        per = -(-len(ps) // n)
        out = [r for b in pool.map_batches(_check_in_worker, [ps[i:i + per] for i in range(0, len(ps), per)], spec)
               for r in b]
        for p, (_, _, undecided) in zip(ps, out):
            if undecided and p not in pb.undecided:
                pb.undecided.append(p)
        return [(w, c) for w, c, _ in out]

    st = SearchState()
    with Pool(n_jobs, scheduler) as pool, task("control: checking candidate sets") as t:
        budget.workers = pool.workers if pool.parallel else 0
        budget.sampled = True
        st = minimal_sets(pb.literals, max_size, check, deadline=deadline, state=st,
                          initial_cuts=cuts, progress=lambda size, n: (t.advance(), budget.checked()),
                          program=program, on_size=_size_started(t, st, budget),
                          check_batch=check_batch if pool.parallel else None,
                          batch_size=lambda: BATCH_PER_WORKER * budget.workers if budget.parallel_now() else 1,
                          pilot=PILOT_CHECKS, on_pilot=budget.piloted)
    budget.finish(st)
    return st, ""


def _size_started(t, st, budget: _SizeBudget, what: str = "candidate sets"):
    """As each size starts: its estimate, and a task description that says what is
    established (what an interrupted run prints)."""
    def start(size: int, left: int | None, started: float | None = None) -> None:
        found = sum(len(v) for v in st.found.values())
        done = (f"{'size 1' if size == 2 else f'sizes 1-{size - 1}'} complete, {found} minimal set(s)" if size > 1
                else "no size complete yet")
        t.description = f"control: checking {what} of size {size} ({done})"
        budget.start(size, left, started)
    return start


def _search_drugs(pb: _Problem, max_size: int, deadline: float | None, cuts, program: str, budget: _SizeBudget):
    """Minimal combinations of the study's drugs: a drug is one unit (all its targets); two
    drugs that fix a node to different values are never combined.  A node-level cut becomes a
    drug-level one: the drugs of the failing set that hold the cut's required literals, and
    every drug with a breaking literal (a counterexample cut reads the drugs' literals
    itself)."""
    from .engine import Cut, SearchState, minimal_sets
    from .progress import task

    units = [(k, 1) for k in range(len(pb.units))]
    lits = [dict(x[1]) for x in pb.units]
    conflicts = [(a, b) for a, b in itertools.combinations(units, 2)
                 if any(lits[b[0]].get(v, c) != c for v, c in lits[a[0]].items())]

    def as_unit_cut(c, chosen):
        if not isinstance(c, Cut):
            return c
        req = frozenset(u for u in chosen if set(pb.units[u[0]][1]) & c.required)
        brk = frozenset(u for u in units if set(pb.units[u[0]][1]) & c.breakers)
        return Cut(req, brk, c.space)

    def check(chosen):
        ok, cs = _check(pb, _union(pb, chosen))
        return ok, [] if ok else [as_unit_cut(c, chosen) for c in cs]

    st = SearchState()
    budget.sampled = True
    with task("control: checking drug combinations") as t:
        st = minimal_sets(units, max_size, budget.timed(check), deadline=deadline, conflicts=conflicts, state=st,
                          initial_cuts=[as_unit_cut(c, ()) for c in cuts],
                          progress=lambda size, n: (t.advance(), budget.checked()), program=program,
                          on_size=_size_started(t, st, budget, "drug combinations"), pilot=PILOT_CHECKS,
                          on_pilot=budget.piloted)
    budget.finish(st)
    return st


class _Steps:
    """The temporary steps of sequential control (explicit state sets or BDDs), each computed once:
    the attractors of ``N/P`` a step settles in, from a tuple of state sets (one per
    scheme), and those of ``N`` the released cell then reaches."""

    def __init__(self, pb: _Problem):
        self.sc, self.schemes, self.pos = _state_space(pb), pb.schemes, pb.position
        self.start = tuple(self.sc.initial(u) for u in self.schemes)
        self._settled: dict = {}
        self._released: dict = {}

    def settled(self, p, states):
        key = (p, states)
        if key not in self._settled:
            q = tuple((self.pos[v], b) for v, b in p)
            self._settled[key] = tuple(self.sc.settle(q, x, u) for x, u in zip(states, self.schemes))
        return self._settled[key]

    def released(self, p, states):
        """The attractors the next step starts from."""
        key = (p, states)
        if key not in self._released:
            self._released[key] = tuple(self.sc.release(x, u) for x, u in zip(self.settled(p, states), self.schemes))
        return self._released[key]

    def works(self, seq) -> bool:
        states = self.start
        for p in seq[:-1]:
            states = self.released(p, states)
        return all(self.sc._released(x, u) for x, u in zip(self.settled(seq[-1], states), self.schemes))

    def minimal(self, seq) -> bool:
        """No proper sub-sequence (a literal fewer in a step, a step dropped) works."""
        subsets = [[c for k in range(len(p) + 1) for c in itertools.combinations(p, k)] for p in seq]
        total = sum(len(p) for p in seq)
        for choice in itertools.product(*subsets):
            sub = tuple(c for c in choice if c)
            if sub and sum(len(c) for c in sub) < total and self.works(sub):
                return False
        return True


def _compositions(k: int, m: int):
    """The ways to write ``k`` as ``m`` positive parts, in order."""
    if m == 1:
        yield (k,)
        return
    for first in range(1, k - m + 2):
        for rest in _compositions(k - first, m - 1):
            yield (first,) + rest


def _search_sequences(pb: _Problem, max_size: int, max_steps: int, deadline: float | None, budget: _SizeBudget):
    """Sequential control (control.md 4.2 and 4.4.8; CABEAN's attractor-based sequential
    control): sequences of at most ``max_steps`` temporary steps, each a perturbation held
    until the perturbed network settles and then released, the next step acting on the
    attractors reached, of at most ``max_size`` literals in all.  A sequence is listed when
    it works and no proper sub-sequence does (fewer literals in some step, or a step
    dropped), as subset-minimality reads for the other holds.  Searched exhaustively by
    total size, on explicit state sets up to :data:`~logicnet.engine.MAX_STATE_VARIABLES`
    free nodes and on decision diagrams beyond; the image of a step depends only on the
    perturbation and the attractors it starts from, which are few (:class:`_Steps`)."""
    from .engine import SearchState
    from .progress import task

    steps = _Steps(pb)
    by_node: dict[int, list] = {}
    for v, b in pb.literals:
        by_node.setdefault(v, []).append((v, b))

    def perturbations(k: int):
        for combo in itertools.combinations(sorted(by_node), k):
            yield from itertools.product(*(by_node[v] for v in combo))

    counts = [0] + [sum(1 for _ in perturbations(k)) for k in range(1, max_size + 1)]
    st = SearchState()

    def extend(size, prefix, states, shape, t):
        for p in perturbations(shape[0]):
            if deadline is not None and time.perf_counter() > deadline:
                raise _Stop
            st.checked += 1
            t.advance()
            budget.checked()
            if len(shape) == 1:
                seq = prefix + (p,)
                if steps.works(seq) and steps.minimal(seq):
                    st.found.setdefault(size, []).append(seq)
                continue
            nxt = steps.released(p, states)
            if nxt != states:  # a step that changes nothing can be dropped
                extend(size, prefix + (p,), nxt, shape[1:], t)

    with task("control: checking sequences of temporary steps") as t:
        for size in range(1, max_size + 1):
            shapes = [c for m in range(1, max_steps + 1) for c in _compositions(size, m)]
            left = sum(math.prod(counts[x] for x in c[:i + 1]) for c in shapes for i in range(len(c)))
            _size_started(t, st, budget, "sequences")(size, left)  # every prefix of every shape: one check at most
            try:
                for shape in shapes:
                    extend(size, (), steps.start, shape, t)
            except _Stop:
                st.stopped = "time"
                break
            st.sizes_complete.append(size)
    budget.finish(st)
    return st


class _Stop(Exception):
    """The time budget of a search ran out."""


def _union(pb: _Problem, chosen) -> tuple:
    """The node literals of a combination of drugs (index, 1)."""
    out = {}
    for k, _ in chosen:
        out.update(dict(pb.units[k][1]))
    return tuple(sorted(out.items()))


def _why_none(pb: _Problem, cut) -> str:
    """Name the phenotype's nodes a trap space holds off, and the condition's nodes that hold them."""
    tn = pb.tn
    space = dict(cut.space)
    ph_nodes = [tn.index[n] for n in tn.nodes if n in _expr.symbols(pb.phenotype.expression)]
    held = [i for i in ph_nodes if i in space]
    # the condition's nodes upstream of them inside the trap space
    seen, todo, sources = set(held), list(held), set()
    while todo:
        i = todo.pop()
        if tn.nodes[i] in pb.base_fix:
            sources.add(i)
            continue
        for r in tn.regs[i]:
            if r in space and r not in seen:
                seen.add(r)
                todo.append(r)
    what = ", ".join(f"{tn.nodes[i]}={space[i]}" for i in held) or "its nodes"
    by = ", ".join(f"{tn.nodes[i]}={space[i]}" for i in sorted(sources))
    return (f"no set of any size: {what} stay(s) so whatever the candidates do"
            + (f", held by the condition's {by} through the rules" if by else "")
            + f" (a trap space of {len(space)} fixed nodes, outside the phenotype, that no candidate can leave)")


def _context_names(pb: _Problem, contexts) -> tuple[str, ...] | None:
    if contexts is None:
        return None
    known = tuple(getattr(pb.study, "contexts", {}) or {})
    if not known:
        raise LogicnetError("robustness across contexts needs a study file with contexts", advice=("contexts",))
    names = known if contexts == "all" else tuple([contexts] if isinstance(contexts, str) else contexts)
    for c in names:
        if c not in known:
            raise LogicnetError(f"the study defines no context {c!r} (known: {', '.join(known)})",
                                advice=("contexts",))
    return names


def _holds_elsewhere(pb: _Problem, model, context, fix, sets) -> list[bool | None]:
    """Whether each set (node literals) works under every requested scheme on ``model`` in
    ``context`` with the question's drugs and ``fix`` (permanent hold, from every state)."""
    nodes = sorted({pb.tn.nodes[v] for p in sets for v, _ in p})
    other = _setup(model, pb.phenotype, context, pb.cond.drugs, fix, nodes, pb.schemes[0] if len(pb.schemes) == 1
                   else "all", pb.goal, "permanent", "all", knockout=True, overexpress=True, exclude=(),
                   engine=pb.engine, limits=pb.limits)
    other.schemes, other.check_seconds = pb.schemes, pb.check_seconds
    out = []
    for p in sets:
        ok: bool | None = True
        for scheme in other.schemes:
            v = _verdict(other, p, scheme)[0]
            if v is not True:
                ok = v
                break
        out.append(ok)
    return out


def _robustness(pb: _Problem, sets, contexts, fix, do_edges: bool, say=None, deadline=None) -> list[dict]:
    """Edge and context robustness of each set (see :class:`ControlSet`).  The edge removals
    are announced with their number and, after the first, their estimated time; past
    ``deadline`` they stop and the counts are left unknown (``None``)."""
    import dataclasses

    from .graph import signed_edges
    from .progress import task
    from .validation import Edge, _relevant_edges, remove_edge

    out = [{} for _ in sets]
    if do_edges:
        net = pb.study.network
        edges = [Edge(a, b, sign) for a, b, sign in signed_edges(net)]
        relevant = [set(_relevant_edges(net, edges, pb.fix_of(p), pb.phenotype)) for p in sets]
        todo = [e for e in edges if any(e in r for r in relevant)]
        held = [0] * len(sets)
        n_checks = sum(len(r) for r in relevant)
        if say is not None:
            say(f"control: robustness: {len(todo):,} edge removals that can matter, {n_checks:,} checks of the "
                f"{len(sets)} sets under {', '.join(pb.schemes).replace('_', ' ')}")
        t0, stopped = time.perf_counter(), False
        with task("control: edge removals", total=len(todo)) as t:
            for k, e in enumerate(todo):
                if deadline is not None and time.perf_counter() > deadline:
                    stopped = True
                    break
                edited = dataclasses.replace(pb.study, network=remove_edge(net, e))
                mine = [i for i, r in enumerate(relevant) if e in r]
                for i, ok in zip(mine, _holds_elsewhere(pb, edited, pb.cond.context, fix, [sets[i] for i in mine])):
                    held[i] += ok is True
                t.advance()
                if k == 0 and say is not None and len(todo) > 1:
                    est = (time.perf_counter() - t0) * len(todo)
                    say(f"control: robustness: estimated {_secs(est)} ({_secs(est / ESTIMATE_FACTOR)} to "
                        f"{_secs(est * ESTIMATE_FACTOR)}, from the first edge removal)")
        if stopped and say is not None:
            say("control: robustness: stopped by the time budget; edge counts left unknown")
        for i, r in enumerate(relevant):  # an edge that cannot matter is held
            out[i]["edges_total"] = len(edges)
            out[i]["edges_held"] = None if stopped else held[i] + len(edges) - len(r)
    if contexts is not None:
        held_in = [[] for _ in sets]
        for c in contexts:
            for i, ok in enumerate(_holds_elsewhere(pb, pb.study, c, fix, sets)):
                if ok:
                    held_in[i].append(c)
        for i in range(len(sets)):
            out[i]["contexts_held"] = held_in[i]
    return out


def _describe_sets(pb: _Problem, found, explain: bool, schemes, *, full_release: bool = False,
                   robustness: bool = False,
                   contexts: Sequence[str] | None = None, fix: Mapping[str, int] | None = None,
                   say: Callable[[str], None] | None = None, deadline: float | None = None) -> list[ControlSet]:
    """Verdicts under every scheme, explanation and rank of each listed set."""
    if pb.hold == "sequential":
        return _describe_sequences(pb, [p for p, _ in found], explain, schemes)
    rows = []
    robust = ([{}] * len(found) if pb.on_states or (not robustness and contexts is None)
              else _robustness(pb, [p for p, _ in found], contexts, fix or {}, robustness, say, deadline))
    for (p, names), rob in zip(found, robust):
        if pb.on_states:
            verdicts = {s: _state_verdict(pb, p, s) if s in schemes else None for s in SCHEMES}
            cert = "states"
        else:
            verdicts = {s: _verdict(pb, p, s)[0] if s in schemes else None for s in SCHEMES}
            cert = _verdict(pb, p, pb.schemes[0])[2]
        pert = {pb.tn.nodes[v]: b for v, b in sorted(p, key=lambda x: pb.tn.nodes[x[0]])}
        clamps = tuple(pb.tn.nodes[v] for v, b in p if _is_clamp(pb, (v, b)))
        atts = () if pb.on_states else tuple(
            {"kind": "minimal trap space", "space": sp, "size": 1 << sp.count("*"),
             "phenotype": {1: "holds", 0: "fails", None: "partly"}[v]} for sp, v in zip(_mp(pb, p)[2], _mp(pb, p)[0]))
        rows.append(dict(perturbation=pert, verdicts=verdicts, certificate=cert, clamps=clamps, combination=names,
                         attractors=atts,
                         drugs=names or _drugs_covering(pb, pert),
                         temporary_suffices=_release_verdict(pb, p, full=full_release),
                         explanation=_explain(pb, p) if explain else {}, robustness=rob))
    rows.sort(key=lambda r: (len(r["combination"] or r["perturbation"]),
                             -sum(bool(v) for v in r["verdicts"].values()), not r["temporary_suffices"],
                             -(r["robustness"].get("edges_held") or 0), -len(r["robustness"].get("contexts_held", ())),
                             not r["drugs"], len(r["attractors"]), r["combination"],
                             " ".join(f"{n}{v}" for n, v in r["perturbation"].items())))
    return [ControlSet(rank, **r) for rank, r in enumerate(rows, start=1)]


def _describe_sequences(pb: _Problem, found, explain: bool, schemes) -> list[ControlSet]:
    """The listed sequences: verdicts under asynchronous and synchronous update (each step
    temporary), ranked by total size, then number of steps, then names."""
    sc = _state_space(pb)
    rows = []
    for seq in found:
        steps = tuple({pb.tn.nodes[v]: b for v, b in sorted(p, key=lambda x: pb.tn.nodes[x[0]])} for p in seq)
        q = tuple(tuple((pb.position[v], b) for v, b in p) for p in seq)
        verdicts = {u: sc.works_in_sequence(q, u) if u in schemes and u != "most_permissive" else None
                    for u in SCHEMES}
        union: dict[int, int] = {}
        for p in seq:
            for v, b in p:
                union.setdefault(v, b)
        lits = tuple(sorted(union.items()))
        pert = {pb.tn.nodes[v]: b for v, b in sorted(lits, key=lambda x: pb.tn.nodes[x[0]])}
        clamps = tuple(pb.tn.nodes[v] for v, b in seq[0] if _is_clamp(pb, (v, b)))
        rows.append(dict(perturbation=pert, steps=steps, verdicts=verdicts, certificate="states", clamps=clamps,
                         temporary_suffices=True, drugs=_drugs_covering(pb, pert),
                         explanation=_explain(pb, lits) if explain else {}))
    rows.sort(key=lambda r: (sum(len(x) for x in r["steps"]), len(r["steps"]),
                             -sum(bool(v) for v in r["verdicts"].values()),
                             " | ".join(" ".join(f"{n}{v}" for n, v in x.items()) for x in r["steps"])))
    return [ControlSet(rank, **r) for rank, r in enumerate(rows, start=1)]


def _release_verdict(pb: _Problem, p, full: bool = False) -> bool | None:
    """Whether the set may be released once the cell has settled (a temporary hold works).
    Beyond :data:`~logicnet.engine.MAX_STATE_VARIABLES` free nodes it is ``False`` when no
    attractor of the untreated network satisfies the goal, else decided on decision
    diagrams with ``full`` (``verdicts="all"``), else ``None``."""
    from .engine import MAX_STATE_VARIABLES

    if pb.hold != "permanent":
        return True if pb.hold == "temporary" else None
    if pb.goal == "share":  # the released cell's score is not what the goal reads
        return None
    scheme = "asynchronous" if "asynchronous" in pb.schemes else pb.schemes[0]
    if scheme == "most_permissive":
        return None
    if sum(1 for n in pb.net.nodes if n not in pb.base_fix) > MAX_STATE_VARIABLES:
        # released, the cell runs the untreated network: no attractor of it satisfies the goal, none can work
        if _untreated_good(pb, scheme) is False:
            return False
        if not full:
            return None
    from .errors import ResourceLimitError

    if "release" not in pb.cache:  # the same question under a temporary hold
        try:
            pb.cache["release"] = _state_control(pb, "temporary")
        except ResourceLimitError:
            pb.cache["release"] = None
    if pb.cache["release"] is None:
        return None
    try:
        return pb.cache["release"].works(tuple((pb.position[v], b) for v, b in p), scheme)
    except ResourceLimitError:
        return None


def _untreated_good(pb: _Problem, scheme: str) -> bool | None:
    """Whether some attractor of the untreated network (the condition alone) satisfies the
    goal; None when that is not known within the budget."""
    if "untreated" not in pb.cache:
        from .attractors import find_attractors
        from .phenotype import phenotype_shares

        from .errors import ResourceLimitError

        try:
            aset = find_attractors(pb.net, update=scheme, fix=pb.base_fix, limits=pb.limits, basins=False,
                                   timeout=pb.check_seconds)
            shares = [x["p"] for x in phenotype_shares(aset, {"p": pb.phenotype})]
            pb.cache["untreated"] = True if any(_goal_holds(pb.goal, [v]) for v in shares) else (
                False if aset.complete else None)
        except ResourceLimitError:  # not known within the budget
            pb.cache["untreated"] = None
    return pb.cache["untreated"]


def _drugs_covering(pb: _Problem, pert: Mapping[str, int]) -> tuple[str, ...]:
    """Study drugs that hit a literal of the set in its direction (one drug per literal at least)."""
    drugs = getattr(pb.study, "drugs", {}) or {}
    hit = [name for name, d in drugs.items() if any(d.fix.get(n) == v for n, v in pert.items())]
    covered = {n for name in hit for n, v in pert.items() if drugs[name].fix.get(n) == v}
    return tuple(sorted(hit)) if covered == set(pert) else ()


def _explain(pb: _Problem, p) -> dict:
    """Why the set works: its percolation trace, the minimal trap spaces (most permissive
    attractors) it leaves, destroys and creates, signed paths to the phenotype and loops cut."""
    from .engine import percolation_trace

    tn, cutter = pb.tn, pb.cutter
    fixed = {tn.index[n]: v for n, v in pb.base_fix.items()}
    base = dict(fixed)
    base.update(dict(percolation_trace(tn, fixed)))
    start = dict(fixed)
    start.update(dict(p))
    trace = percolation_trace(tn, start, stop=lambda known: cutter.phenotype_value(known) is not None)
    known = dict(start)
    known.update(dict(trace))
    steps = [[tn.nodes[i], v] for i, v in trace if base.get(i) != v]
    out = {"percolation": steps}
    if cutter.phenotype_value(known) == 1:
        word = "node changes" if len(steps) != 1 else "node change"
        summary = f"percolation ({len(steps)} {word})"
    else:
        summary = "through its attractors (percolation alone does not decide)"
    if not pb.on_states:  # (a question from given states is answered on small networks, for speed: no paths)
        out.update(_trap_space_change(pb, p))
        if out["creates"]:
            summary += f"; creates {len(out['creates'])} new attractor(s)"
        out.update(_paths(pb, p))
    out["summary"] = summary + (f"; {out['paths_summary']}" if out.get("paths_summary") else "")
    return out


def _trap_space_change(pb: _Problem, p) -> dict:
    """The minimal trap spaces of the perturbed network against the untreated one's."""
    before, after = set(_mp(pb, ())[2]), set(_mp(pb, p)[2])
    return {"trap_spaces": sorted(after), "destroys": sorted(before - after), "creates": sorted(after - before)}


def _paths(pb: _Problem, p) -> dict:
    """Signed paths from the set's nodes to the phenotype, and the feedback loops they sit on."""
    from .graph import Explanations
    from .screening import _Intervention

    if "explanations" not in pb.cache:
        pb.cache["explanations"] = Explanations(pb.net, _expr.symbols(pb.phenotype.expression))
    e = pb.cache["explanations"].explain(_Intervention(tuple((pb.tn.nodes[v], b) for v, b in p)), pb.study)
    return {"paths": e["paths"], "loops_cut": e["loops_cut"], "paths_summary": e["summary"]}


def _ancestors(pb: _Problem) -> set[int]:
    """The phenotype's nodes and every node with a path to them that does not pass through a
    node the condition fixes (the others cannot change whether a set works)."""
    tn = pb.tn
    todo = [tn.index[n] for n in _expr.symbols(pb.phenotype.expression)]
    seen = set(todo)
    while todo:
        i = todo.pop()
        if tn.nodes[i] in pb.base_fix:
            continue
        for r in tn.regs[i]:
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return seen


def _working_counts(pb: _Problem, st, max_size: int) -> dict[int, int]:
    """Working sets per size, supersets included (AEON's counts).

    Only literals on nodes with a path to the phenotype can change whether a set works
    (the others cannot reach the phenotype's ancestors, whose dynamics are autonomous),
    so the supersets of the minimal sets over those literals are checked exactly, and each
    is combined with every choice of literals on the other nodes."""
    relevant = _ancestors(pb)
    minimal = [frozenset(p) for k in st.found for p in st.found[k]]
    lits = [x for x in pb.literals if x[0] in relevant]
    per_node: dict[int, int] = {}
    for v, _ in pb.literals:
        if v not in relevant:
            per_node[v] = per_node.get(v, 0) + 1
    others = [1]  # others[k]: ways to choose k literals on distinct irrelevant nodes
    for c in per_node.values():
        others = [a + (c * others[i - 1] if i else 0) for i, a in enumerate(others + [0])]
    # a superset of a set that works by percolation works too when its other literals agree with
    # what that set forces (forcing is monotone): no propagation needed for it
    forced = {m: pb.tn.propagate(pb.fix_of(tuple(m))) for m in minimal
              if not pb.on_states and all(_verdict(pb, tuple(sorted(m)), x)[2] == "percolation"
                                          for x in pb.schemes)}
    working = [0] * (max_size + 1)
    for size in range(1, max_size + 1):
        for combo in itertools.combinations(lits, size):
            s = frozenset(combo)
            if len({v for v, _ in combo}) < size or not any(m <= s for m in minimal):
                continue
            if any(m <= s and all(known.get(v, b) == b for v, b in s - m) for m, known in forced.items()):
                working[size] += 1
            else:
                working[size] += _check(pb, tuple(sorted(combo)), cuts=False)[0]
    return {k: sum(working[j] * (others[k - j] if k - j < len(others) else 0) for j in range(1, k + 1))
            for k in range(1, max_size + 1)}


def _near_misses(pb: _Problem, n: int) -> tuple[dict, ...]:
    """The best single perturbations by the screen's score (the share of states whose every
    reachable attractor satisfies the phenotype, asynchronous; the basin-weighted share,
    synchronous), when no set works: what comes closest.  A perturbation whose forced values
    (percolation) decide the phenotype scores 0 or 1 without an attractor computation: every
    state reaches the subspace they force, and every attractor lies in it."""
    if n <= 0 or pb.on_states:
        return ()
    from .screening import _score_restriction

    scheme = next((x for x in pb.schemes if x != "most_permissive"), "asynchronous")
    table = _phenotype_table(pb)
    singles = [(u[1], u[0]) for u in pb.units] if pb.units else [((lit,), "") for lit in pb.literals]
    scored = []
    for p, name in singles:
        key = (p, scheme)
        decided = pb.cutter.phenotype_value(pb.tn.propagate(pb.fix_of(p)))
        if key not in pb.scores and decided is not None:
            pb.scores[key] = float(decided)
        if key not in pb.scores and pb.goal == "share":
            _share_verdict(pb, p, pb.fix_of(p), scheme)
        if key not in pb.scores:
            sc = _score_restriction(pb.tn.restrict(pb.fix_of(p)), table, scheme, pb.limits, engine=pb.engine)
            pb.scores[key] = sc.score
        if pb.scores[key] is not None:
            scored.append((pb.scores[key], name, p))
    scored.sort(key=lambda x: (-x[0], x[1], [(pb.tn.nodes[v], b) for v, b in x[2]]))
    return tuple({"perturbation": {pb.tn.nodes[v]: b for v, b in p}, "drugs": [name] if name else None,
                  "score": s, "measure": pb.score if pb.goal == "share" else "share", "update": scheme}
                 for s, name, p in scored[:n])
