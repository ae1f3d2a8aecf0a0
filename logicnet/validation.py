"""Checking a model against the findings encoded in its study.

Each finding names a context, drugs and extra knockouts, and the phenotype that
must hold in every state of every attractor of that condition.  Attractors are
computed exactly (exhaustive search after reduction).

Examples
--------
>>> from logicnet.io.study import Study, Finding, Context, Drug
>>> from logicnet.phenotype import Phenotype
>>> net = Network.from_rules("L* = L\\nR* = L\\nP* = R")
>>> study = Study("toy", net, {"on": Phenotype.parse("on", "P"), "off": Phenotype.parse("off", "not P")},
...               {"blocker": Drug("blocker", ("R",))}, {"stim": Context("stim", {"L": 1})},
...               (Finding("F1", "stimulated", "stim", (), {}, "on"),
...                Finding("F2", "blocked", "stim", ("blocker",), {}, "off")))
>>> [(r.finding.id, r.passed) for r in validate(study)]
[('F1', True), ('F2', True)]
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .attractors import find_attractors
from .limits import DEFAULT_LIMITS, Limits
from .phenotype import phenotype_shares
from .progress import task
from .types import DEFAULT_UPDATE, normalize_update

__all__ = ["FindingResult", "validate", "Edge", "remove_edge", "RobustnessResult", "robustness"]


@dataclass(frozen=True)
class FindingResult:
    """The outcome of one finding under one update scheme.

    ``shares[i]`` is the share of attractor ``i``'s states where the expected
    phenotype holds; the finding passes when every share is 1.

    Examples
    --------
    >>> from logicnet.io.study import Finding
    >>> FindingResult(Finding("F", "", None, (), {}, "on"), "synchronous", "baseline", (1.0,), {}, 0.1).passed
    True
    """

    finding: object
    update: str
    condition: str
    shares: tuple[float, ...]
    readouts: dict
    seconds: float

    @property
    def passed(self) -> bool:
        """Every attractor shows the expected phenotype in all its states."""
        return bool(self.shares) and all(s == 1.0 for s in self.shares)

    @property
    def n_attractors(self) -> int:
        """How many attractors the condition has."""
        return len(self.shares)


def validate(study, *, update: str = DEFAULT_UPDATE, findings: Sequence[str] | None = None,
             limits: Limits = DEFAULT_LIMITS) -> list[FindingResult]:
    """Run every finding (or those whose id is in ``findings``) under one update scheme.

    Examples
    --------
    >>> from logicnet.io.study import Study
    >>> validate(Study("empty", Network.from_rules("A* = A"), {}, {}, {}, ()))
    []
    """
    update = normalize_update(update)
    if findings is not None:
        known = [f.id for f in study.findings]
        unknown = [x for x in findings if x not in known]
        if unknown:
            from .errors import StudyError
            raise StudyError(f"the study has no finding {unknown[0]!r}; its findings: {', '.join(dict.fromkeys(known))}")
    chosen = [f for f in study.findings if findings is None or f.id in findings]
    out = []
    with task(f"checking {len(chosen)} finding(s), {update} update", total=len(chosen)) as t:
        for f in chosen:
            out.append(_check(study, f, update, limits))
            t.advance()
    return out


def _check(study, f, update: str, limits: Limits) -> FindingResult:
    t0 = time.perf_counter()
    cond = study.condition(context=f.context, drugs=f.drugs, fix=f.fix)
    aset = find_attractors(study.network, update=update, fix=cond.fix, limits=limits, basins=False)
    phen = dict(cond.phenotypes)
    shares = phenotype_shares(aset, phen)
    mean = {name: sum(s[name] for s in shares) / len(shares) for name in phen} if shares else {}
    return FindingResult(f, update, cond.label, tuple(s[f.expect] for s in shares), mean,
                         time.perf_counter() - t0)


# -- robustness to single edge removal ------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """A signed edge ``source -> target`` of the interaction graph.

    Examples
    --------
    >>> str(Edge("IGF1R", "IRS1", "+"))
    'IGF1R -> IRS1 (+)'
    """

    source: str
    target: str
    sign: str

    @property
    def ineffective_value(self) -> int:
        """The value the target reads for the regulator once the edge is removed: always 0.

        A removed edge carries no signal: the target reads its regulator as absent, so
        an activator no longer activates it and an inhibitor no longer inhibits it.

        Examples
        --------
        >>> Edge("A", "B", "-").ineffective_value
        0
        """
        return 0

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.sign})"


def remove_edge(net: Network, edge: Edge) -> Network:
    """``net`` with one edge removed: the target reads the regulator as absent (0).

    This is the edge knockout ("edgetic" perturbation) of Campbell & Albert 2019,
    "Edgetic perturbations to eliminate fixed-point attractors in Boolean regulatory
    networks", Chaos 29:023130: the regulator's variable in the target's rule is
    replaced by the constant that removes its influence, here 0, so an activator no
    longer activates and an inhibitor no longer inhibits the target (``A and not C``
    loses ``C -> B`` as ``A``, and ``A -> B`` as ``0``).  Only the target loses the
    regulator; every other rule still reads it.

    Examples
    --------
    >>> from logicnet.expr import format_expression
    >>> net = Network.from_rules("A* = A\\nC* = C\\nB* = A and not C")
    >>> format_expression(remove_edge(net, Edge("C", "B", "-")).rules["B"])
    'A'
    >>> format_expression(remove_edge(net, Edge("A", "B", "+")).rules["B"])
    'False'
    """
    from .expr import substitute

    net.check_node(edge.source)
    net.check_node(edge.target)
    return net.with_rules({edge.target: substitute(net.rules[edge.target], {edge.source: edge.ineffective_value})})


@dataclass(frozen=True)
class RobustnessResult:
    """Which single edge removals break one finding under one update scheme.

    ``tested`` are the edges whose removal can change the finding's answer (the others
    are skipped, see :func:`robustness`); ``breaking`` those after whose removal the
    expected phenotype no longer holds in every state of every attractor; ``undecided``
    those whose check did not fit the memory budget.  ``holds`` is the finding's result
    on the intact model.

    Examples
    --------
    >>> from logicnet.io.study import Finding
    >>> r = RobustnessResult(Finding("F", "", None, (), {}, "on"), "asynchronous", "baseline", True, (), ())
    >>> r.robust
    True
    """

    finding: object
    update: str
    condition: str
    holds: bool
    tested: tuple[Edge, ...]
    breaking: tuple[Edge, ...]
    undecided: tuple[Edge, ...] = ()

    @property
    def robust(self) -> bool:
        """The finding holds and no single edge removal breaks it (all removals decided)."""
        return self.holds and not self.breaking and not self.undecided


def _ancestors(net: Network, targets: set[str], fixed: Mapping[str, int]) -> set[str]:
    """Nodes with a path to ``targets`` that does not pass through a fixed node."""
    seen = set(targets)
    stack = [t for t in targets if t not in fixed]
    while stack:
        n = stack.pop()
        for r in net.regulators(n):
            if r not in seen:
                seen.add(r)
                if r not in fixed:
                    stack.append(r)
    return seen


def _relevant_edges(net: Network, edges, fixed: Mapping[str, int], phenotype) -> list[Edge]:
    """The edges whose removal can change whether ``phenotype`` holds under ``fixed``.

    ``consts`` are the fixed nodes plus those constant propagation derives from them
    (constant in every attractor).  An edge is skipped when its target is fixed; when the
    target's rule with the constants substituted is the same with and without the edge
    (every derivation of a constant stays valid and the dynamics inside the constants'
    trap space are unchanged); or when the target cannot reach a node of the phenotype
    without passing through a node that stays constant (a derived constant if the target
    is not one, a fixed node otherwise), since the attractors of the upstream, autonomous
    part decide the phenotype under either update scheme.
    """
    from .expr import substitute, symbols
    from .reduce import reduce_network

    consts = {k: int(v) for k, v in fixed.items()}
    consts.update({k: int(v) for k, v in
                   reduce_network(net.fix(fixed), propagate=True, prune_outputs=False).lift.constants.items()})
    phen = set(symbols(phenotype.expression))
    upstream_c = _ancestors(net, phen, consts)
    upstream_f = _ancestors(net, phen, fixed)
    out = []
    for e in edges:
        if e.target in fixed or e.target not in (upstream_f if e.target in consts else upstream_c):
            continue
        rule = net.rules[e.target]
        before = substitute(rule, consts)
        after = substitute(substitute(rule, {e.source: e.ineffective_value}), consts)
        if before == after:
            continue
        out.append(e)
    return out


def _upstream_network(net: Network, fixed: Mapping[str, int], phenotype) -> Network:
    """The autonomous part of ``net`` under ``fixed`` that decides ``phenotype``.

    Fixed nodes become constants; then only the nodes with a path to the phenotype's
    nodes (through unfixed nodes) are kept.  The attractors of this part are the
    projections of the full network's attractors under either update scheme, so the
    phenotype holds everywhere in one exactly when it does in the other.
    """
    from .expr import symbols

    keep = _ancestors(net, set(symbols(phenotype.expression)), fixed)
    return net.fix(fixed).select(keep)


def _values_over(rule, core: np.ndarray, index: Mapping[str, int], free: set, consts: Mapping[str, int]) -> set:
    """The values ``rule`` takes over the core states combined with every value of the free outputs."""
    from itertools import product

    from . import expr as _expr

    syms = sorted(_expr.symbols(rule))
    c_syms = [x for x in syms if x in index]
    f_syms = [x for x in syms if x in free]
    rows = np.unique(core[:, [index[x] for x in c_syms]], axis=0) if c_syms else np.zeros((1, 0), bool)
    out = set()
    for bits in product((0, 1), repeat=len(f_syms)):
        cols = {x: rows[:, j] for j, x in enumerate(c_syms)}
        cols.update({x: np.full(rows.shape[0], bool(b)) for x, b in zip(f_syms, bits)})
        cols.update({x: np.full(rows.shape[0], bool(consts[x])) for x in syms if x in consts})
        out.update(int(v) for v in np.unique(_expr.evaluate_columns(rule, cols, rows.shape[0])))
        if len(out) == 2:
            break
    return out


def _holds_on_lift(lift, core: np.ndarray, phenotype, update: str) -> bool:
    """Whether ``phenotype`` holds in every state of one attractor lifted by :class:`logicnet.reduce.Lift`.

    Synchronous attractors are lifted as the lift does.  An asynchronous lift duplicates
    every state for each pruned output whose rule varies on the attractor, which can reach
    billions of states; the same set is described here without building it: the core
    states, times both values of every such "free" output, with the other outputs constant.
    An output is free exactly when its rule takes both values over that set so far.
    """
    from . import expr as _expr

    if update == "synchronous":
        m = lift.lift_matrix(core, update=update)
        cols = {n: m[:, j] for j, n in enumerate(lift.full_nodes)}
        return bool(_expr.evaluate_columns(phenotype.expression, cols, m.shape[0]).all())
    index = {n: j for j, n in enumerate(lift.reduced_nodes)}
    consts = dict(lift.constants)
    free: set = set()
    for node, rule in reversed(lift.outputs):
        values = _values_over(rule, core, index, free, consts)
        if len(values) == 1:
            consts[node] = values.pop()
        else:
            free.add(node)
    return _values_over(phenotype.expression, core, index, free, consts) == {1}


#: Largest attractor (in states) listed to check a phenotype after an edge removal.
_EDGE_CHECK_STATES = 1 << 20


def _edge_check(item, ctx):
    """Whether the finding still holds after removing one edge (worker for :func:`robustness`).

    ``None`` when the check does not fit the memory budget.
    """
    from .errors import LogicnetError
    from .reduce import reduce_network

    net, update, limits = ctx
    fix, expect, phen, edge = item
    sub = _upstream_network(remove_edge(net, edge), fix, phen)
    red = reduce_network(sub, propagate=True, prune_outputs=True)
    try:
        core = find_attractors(red.network, update=update, limits=limits, reduce=False, basins=False,
                               max_states=_EDGE_CHECK_STATES)
        return all(_holds_on_lift(red.lift, core.matrix(a), phen, update) for a in core)
    except (LogicnetError, MemoryError):  # an attractor too large to list counts as not evaluated
        return None


def robustness(study, *, update: str = DEFAULT_UPDATE, findings: Sequence[str] | None = None,
               limits: Limits = DEFAULT_LIMITS, n_jobs: int = 1, progress: bool | None = None
               ) -> list[RobustnessResult]:
    """For each finding, the single edges of the model whose removal breaks it.

    Every edge of the signed interaction graph (:func:`logicnet.graph.signed_edges`) is
    removed in turn with :func:`remove_edge` (the target reads the regulator as absent,
    0, so an activator no longer activates and an inhibitor no longer inhibits it; the
    edge knockout of Campbell & Albert 2019), the finding's condition is applied to
    the edited network, and its attractors are computed exactly under ``update``.  An
    edge whose removal cannot change the answer is not recomputed (its target is fixed
    by the condition, or cannot reach the phenotype's nodes, or its rule is unchanged
    once the fixed values are substituted), and each check searches only the part of
    the network upstream of the phenotype's nodes, so the answer is exact.  Checks run
    in ``n_jobs`` processes that split the memory budget; a check that does not fit it
    is listed in ``undecided`` rather than guessed.  Asynchronous attractors are not
    lifted state by state through the pruned outputs (that set can be astronomically
    large); the phenotype is checked on an exact compact description of it.

    Parameters
    ----------
    study : Study
    update : {"asynchronous", "synchronous"}
    findings : sequence of str, optional
        Only these finding ids.
    n_jobs : int
        Worker processes (:func:`logicnet.parallel.pmap`); the result does not depend on it.

    Returns
    -------
    list of RobustnessResult
        One per finding, in study order; a finding that fails on the intact model has
        ``holds=False`` and no edges tested.

    Examples
    --------
    >>> from logicnet.io.study import Study, Finding, Context
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("L* = L\\nR* = L\\nP* = R or Q\\nQ* = L and R")
    >>> study = Study("toy", net, {"on": Phenotype.parse("on", "P")}, {}, {"stim": Context("stim", {"L": 1})},
    ...               (Finding("F1", "stimulated", "stim", (), {}, "on"),))
    >>> [str(e) for e in robustness(study)[0].breaking]
    ['L -> R (+)']
    """
    from .graph import signed_edges
    from .parallel import pmap

    update = normalize_update(update)
    net = study.network
    edges = [Edge(s, t, sign) for s, t, sign in signed_edges(net)]
    plan = []
    items = []
    for r in validate(study, update=update, findings=findings, limits=limits):
        f = r.finding
        cond = study.condition(context=f.context, drugs=f.drugs, fix=f.fix)
        phen = cond.phenotypes[f.expect]
        tested = _relevant_edges(net, edges, cond.fix, phen) if r.passed else []
        plan.append((f, r, cond, tested))
        items.extend((dict(cond.fix), f.expect, phen, e) for e in tested)
    if limits.max_memory is None and n_jobs > 1:  # the workers share the machine's memory
        limits = dataclasses.replace(limits, max_memory=limits.memory_budget() // n_jobs)
    ok = pmap(_edge_check, items, (net, update, limits), n_jobs=n_jobs, progress=progress,
              description="edge removals")
    out = []
    i = 0
    for f, r, cond, tested in plan:
        res = ok[i:i + len(tested)]
        i += len(tested)
        breaking = tuple(e for e, good in zip(tested, res) if good is False)
        undecided = tuple(e for e, good in zip(tested, res) if good is None)
        out.append(RobustnessResult(f, update, cond.label, r.passed, tuple(tested), breaking, undecided))
    return out
