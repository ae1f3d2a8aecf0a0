"""``logicnet validate``: does the model reproduce the findings of its study?"""

from __future__ import annotations

import time

import click

from . import main
from .options import limits_of, load_model, max_memory_option, parse_fix, strict_option, update_option
from .render import console, echo_json, print_table, table


def _observed(r) -> str:
    """The lowest share of the expected phenotype over the attractors, and how many there are."""
    low = min(r.shares) if r.shares else 0.0
    return f"{low:.2f} of {r.n_attractors} att."


def summary(results) -> str:
    """``16/16 findings, 57/57 checks``: a finding holds when every one of its checks passes."""
    by_id: dict[str, bool] = {}
    for r in results:
        by_id[r.finding.id] = by_id.get(r.finding.id, True) and r.passed
    return (f"{sum(by_id.values())}/{len(by_id)} findings, "
            f"{sum(r.passed for r in results)}/{len(results)} checks")


def _edges_json(edges) -> list[dict]:
    return [{"source": e.source, "target": e.target, "sign": e.sign} for e in edges]


def _robustness_json(robust, update: str) -> dict:
    """The ``robustness`` member of ``validate --format json``."""
    return {"update": update, "edge_removal": "the target reads the regulator as absent (0)",
            "findings": [{"id": b.finding.id, "title": b.finding.title, "condition": b.condition,
                          "expect": b.finding.expect, "holds": b.holds, "edges_tested": len(b.tested),
                          "breaking": _edges_json(b.breaking), "undecided": _edges_json(b.undecided)}
                         for b in robust]}


def _adhoc_study(model, *, context, drugs, fixes, phenotypes, expect):
    """A study holding one finding built from the command line (--expect)."""
    import dataclasses

    from logicnet.io.study import Finding, Study
    from logicnet.phenotype import parse_phenotypes

    if not isinstance(model, Study):
        if context or drugs:
            raise click.UsageError("--context and --drug need a study file (.toml); for a network use --fix")
        model = Study(model.name or "network", model, {}, {}, {}, ())
    extra = parse_phenotypes(list(phenotypes), model.network.nodes)
    known = {**model.phenotypes, **extra}
    if context:
        known.update(model.context(context).phenotypes)
    if expect is None:
        if not model.findings:
            raise click.UsageError("a network file has no findings to check: say what must hold with "
                                   "--phenotype NAME=EXPR --expect NAME (and the condition with --fix NODE=0|1)")
        if extra:
            model = dataclasses.replace(model, phenotypes={**model.phenotypes, **extra})
        return model
    if expect not in known:
        from logicnet.errors import LogicnetError

        raise LogicnetError(f"--expect {expect!r}: no such phenotype (known: {', '.join(known) or 'none'}); "
                            f"define it with --phenotype '{expect}=EXPR'")
    fix = parse_fix(fixes)
    for n in fix:
        model.network.check_node(n)
    finding = Finding("cli", "given on the command line", context, tuple(drugs), fix, expect)
    return dataclasses.replace(model, phenotypes={**model.phenotypes, **extra}, findings=(finding,))


@main.command()
@click.argument("model", metavar="MODEL")
@update_option
@click.option("--only", "only", multiple=True, metavar="ID", help="Run only these findings (repeatable).")
@click.option("--expect", metavar="PHENOTYPE",
              help="Check one condition instead of the study's findings: PHENOTYPE must hold in every state of "
                   "every attractor of the condition given by --fix (and --context/--drug for a study).")
@click.option("--phenotype", "phenotypes", multiple=True, metavar="NAME=EXPR",
              help="Define a phenotype for --expect (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", help="With --expect: fix a node (repeatable).")
@click.option("--context", metavar="NAME", help="With --expect: a context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="With --expect: a drug of the study (repeatable).")
@max_memory_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--robustness", is_flag=True,
              help="Also remove each single edge of the model in turn (the target reads the regulator as "
                   "absent) and list, per finding, the edges whose removal breaks it (under --update).")
@click.option("--jobs", "n_jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for --robustness (default: all cores).")
@strict_option
def validate(model, update, only, expect, phenotypes, fixes, context, drugs, max_memory, fmt, robustness, n_jobs,
             strict):
    """Run every finding of MODEL (a study), or one check (--expect); exit 1 if any fails
    under the chosen update scheme (the other is computed too and shown beside it).

    \b
    For a plain network file:
      logicnet validate model.bnet --fix EGF=1 --phenotype 'sensitive=Apoptosis' --expect sensitive
    """
    from logicnet.types import normalize_update
    from logicnet.validation import validate as run

    t0 = time.perf_counter()
    if expect is None and (fixes or context or drugs):
        raise click.UsageError("--fix, --context and --drug describe the condition of --expect; give --expect NAME")
    s = _adhoc_study(load_model(model, strict=strict, fixes=parse_fix(fixes)), context=context, drugs=drugs, fixes=fixes,
                     phenotypes=phenotypes, expect=expect)
    limits = limits_of(max_memory)
    primary = normalize_update(update)
    other = "synchronous" if primary == "asynchronous" else "asynchronous"
    ids = list(only) or None
    known = list(dict.fromkeys(f.id for f in s.findings))
    for x in only:
        if x not in known:
            raise click.BadParameter(f"{x!r}: the study has no such finding; its findings: {', '.join(known)}",
                                     param_hint="--only")
    main_results = run(s, update=primary, findings=ids, limits=limits)
    side = run(s, update=other, findings=ids, limits=limits)
    robust = None
    if robustness:
        from logicnet.parallel import default_jobs
        from logicnet.validation import robustness as run_robustness

        robust = run_robustness(s, update=primary, findings=ids, limits=limits, n_jobs=n_jobs or default_jobs())
    elapsed = time.perf_counter() - t0
    failed = [r for r in main_results if not r.passed]
    if fmt == "json":
        echo_json({
            "study": s.name, "update": primary, "seconds": round(elapsed, 3),
            "passed": not failed, "summary": {primary: summary(main_results), other: summary(side)},
            "findings": [{
                "id": r.finding.id, "title": r.finding.title, "condition": r.condition, "expect": r.finding.expect,
                primary: {"passed": r.passed, "shares": list(r.shares), "readouts": r.readouts},
                other: {"passed": o.passed, "shares": list(o.shares), "readouts": o.readouts},
            } for r, o in zip(main_results, side)],
            **({"robustness": _robustness_json(robust, primary)} if robust is not None else {}),
        })
    else:
        rows = []
        for r, o in zip(main_results, side):
            rows.append([r.finding.id, r.condition, r.finding.expect, _observed(r),
                         "pass" if r.passed else "FAIL", _observed(o), "pass" if o.passed else "fail"])
        c = console()
        print_table(c, table(f"{s.name}: {summary(main_results)} hold ({primary} update)",
                      ["finding", "condition", "expected", f"{primary}", "", f"{other}", ""], rows))
        c.print("Shares: the lowest share of an attractor's states in which the expected phenotype holds.")
        if robust is not None:
            rrows = [[b.finding.id, b.condition, b.finding.expect,
                      str(len(b.tested)) if b.holds else "-",
                      ("fails on the intact model" if not b.holds else
                       ", ".join(str(e) for e in b.breaking) or "none")
                      + ("; too large to decide: " + ", ".join(str(e) for e in b.undecided) if b.undecided else "")]
                     for b in robust]
            n_fragile = sum(1 for b in robust if b.breaking)
            print_table(c, table(f"Robustness ({primary} update): {n_fragile} of {len(robust)} checks hang on a "
                                 "single edge",
                                 ["finding", "condition", "expected", "edges tested", "edges whose removal breaks it"],
                                 rrows))
            c.print("Edge removal: the target reads the regulator as absent (0), so an activator no longer "
                    "activates and an inhibitor no longer inhibits it; edges that cannot change a check are "
                    "not recomputed.")
        c.print(f"{other} update: {summary(side)} hold. {len(main_results)} checks under both update schemes "
                f"in {elapsed:.1f} s")
    if failed:
        raise SystemExit(1)
