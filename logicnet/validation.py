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

import time
from collections.abc import Sequence
from dataclasses import dataclass

from .attractors import find_attractors
from .limits import DEFAULT_LIMITS, Limits
from .phenotype import phenotype_shares
from .progress import task
from .types import DEFAULT_UPDATE, normalize_update

__all__ = ["FindingResult", "validate"]


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
