"""``logicnet validate``: does the model reproduce the findings of its study?"""

from __future__ import annotations

import time

import click

from . import main
from .options import load_model, memory_limits, parse_fix, strict_option
from .render import console, echo_json, table


def _observed(r) -> str:
    """The lowest share of the expected phenotype over the attractors, and how many there are."""
    low = min(r.shares) if r.shares else 0.0
    return f"{low:.2f} of {r.n_attractors} att."


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
@click.option("--update", type=click.Choice(["sync", "async", "synchronous", "asynchronous"]), default="async",
              show_default=True, help="The update scheme that decides pass/fail; the other is shown beside it.")
@click.option("--only", "only", multiple=True, metavar="ID", help="Run only these findings (repeatable).")
@click.option("--expect", metavar="PHENOTYPE",
              help="Check one condition instead of the study's findings: PHENOTYPE must hold in every state of "
                   "every attractor of the condition given by --fix (and --context/--drug for a study).")
@click.option("--phenotype", "phenotypes", multiple=True, metavar="NAME=EXPR",
              help="Define a phenotype for --expect (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", help="With --expect: fix a node (repeatable).")
@click.option("--context", metavar="NAME", help="With --expect: a context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="With --expect: a drug of the study (repeatable).")
@click.option("--max-memory", metavar="SIZE", help="Memory an exhaustive search may use (e.g. 4G); default: what "
              "is available.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@strict_option
def validate(model, update, only, expect, phenotypes, fixes, context, drugs, max_memory, fmt, strict):
    """Run every finding of MODEL (a study), or one check (--expect); exit 1 if any fails.

    \b
    For a plain network file:
      logicnet validate model.bnet --fix EGF=1 --phenotype 'sensitive=Apoptosis' --expect sensitive
    """
    from logicnet.types import normalize_update
    from logicnet.validation import validate as run

    t0 = time.perf_counter()
    if expect is None and (fixes or context or drugs):
        raise click.UsageError("--fix, --context and --drug describe the condition of --expect; give --expect NAME")
    s = _adhoc_study(load_model(model, strict=strict), context=context, drugs=drugs, fixes=fixes,
                     phenotypes=phenotypes, expect=expect)
    limits = memory_limits(max_memory)
    primary = normalize_update(update)
    other = "synchronous" if primary == "asynchronous" else "asynchronous"
    ids = list(only) or None
    main_results = run(s, update=primary, findings=ids, limits=limits)
    side = run(s, update=other, findings=ids, limits=limits)
    elapsed = time.perf_counter() - t0
    failed = [r for r in main_results if not r.passed]
    if fmt == "json":
        echo_json({
            "study": s.name, "update": primary, "seconds": round(elapsed, 3),
            "passed": not failed,
            "findings": [{
                "id": r.finding.id, "title": r.finding.title, "condition": r.condition, "expect": r.finding.expect,
                primary: {"passed": r.passed, "shares": list(r.shares), "readouts": r.readouts},
                other: {"passed": o.passed, "shares": list(o.shares), "readouts": o.readouts},
            } for r, o in zip(main_results, side)],
        })
    else:
        rows = []
        for r, o in zip(main_results, side):
            rows.append([r.finding.id, r.condition, r.finding.expect, _observed(r),
                         "pass" if r.passed else "FAIL", _observed(o), "pass" if o.passed else "fail"])
        c = console()
        c.print(table(f"{s.name}: {len(main_results) - len(failed)}/{len(main_results)} findings hold ({primary})",
                      ["finding", "condition", "expected", f"{primary}", "", f"{other}", ""], rows))
        c.print("Shares: the lowest share of an attractor's states in which the expected phenotype holds.")
        c.print(f"{len(main_results)} checks under both update schemes in {elapsed:.1f} s")
    if failed:
        raise SystemExit(1)
