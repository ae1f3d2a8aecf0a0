"""``logicnet screen``: rank knockouts, overexpressions and drug combinations."""

from __future__ import annotations

import click

from . import main
from .options import FORMAT_CHOICE, parse_fix, parse_targets, resolve_input, screen_options, strict_option
from .render import console, echo_csv, echo_json, table


def _fmt(x, digits=3):
    return "-" if x is None else f"{x:+.{digits}f}" if isinstance(x, float) and x < 0 else (
        "-" if x is None else f"{x:.{digits}f}")


@main.command()
@click.argument("study")
@click.option("--context", metavar="NAME", help="A named cell context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Drug(s) applied in the condition (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1",
              help="Also fix a node in the condition, e.g. a mutation (repeatable).")
@click.option("--update", type=click.Choice(["sync", "async", "synchronous", "asynchronous"]), default="sync",
              show_default=True)
@click.option("--score", "scoring", type=click.Choice(["share", "probability"]), default="share", show_default=True,
              help="share: basin-weighted share (sync) or share of states whose every reachable attractor is "
                   "sensitive (async); probability: exact probability of ending in a sensitive attractor under "
                   "asynchronous update with the study's [rates] (same as share under sync).")
@click.option("--all", "all_pairs", is_flag=True, help="Recompute pairs whose single already restores completely.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Show the best K results.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
@click.option("--dask-scheduler", metavar="ADDRESS", help="Run on a Dask cluster (needs the 'dask' extra).")
@screen_options
@strict_option
def screen(study, context, drugs, fixes, max_order, overexpress, targets, drug_pairs, update, phenotype, scoring,
           all_pairs, top, fmt, jobs, dask_scheduler, strict):
    """Which interventions turn the condition's attractors back to PHENOTYPE (default: sensitive)?"""
    import sys

    from logicnet.io.study import read_study
    from logicnet.parallel import default_jobs
    from logicnet.screen import screen as run

    s = read_study(resolve_input(study), strict=strict)
    tg = parse_targets(targets)
    result = run(s, context=context, drugs=drugs, fix=parse_fix(fixes), max_order=max_order, overexpress=overexpress, targets=tg,
                 drug_pairs=drug_pairs, update=update, phenotype=phenotype, all_pairs=all_pairs, top=top,
                 n_jobs=jobs or default_jobs(), scheduler=dask_scheduler, progress=sys.stderr.isatty(), score=scoring)
    if fmt == "json":
        echo_json(result.to_dict())
        return
    if fmt == "csv":
        rows = result.to_records()
        header = list(rows[0]) if rows else ["rank"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
        return
    b = result.baseline
    title = (f"{result.study} | {'context ' + result.context + ' + ' if result.context else ''}"
             f"{' + '.join(result.drugs) or 'no drug'} | {result.update} | restoring '{phenotype}' | "
             f"baseline {b.score:.3f}{' (complete)' if b.complete else ''}")
    rows = [[h.rank, h.label, _fmt(h.score), "yes" if h.complete else ("-" if h.complete is None else "no"),
             _fmt(h.hsa_excess), _fmt(h.bliss_excess), h.explanation.get("summary", "")] for h in result.results]
    c = console()
    c.print(table(title, ["rank", "intervention", "score", "complete", "HSA", "Bliss", "why"], rows))
    c.print(f"{result.n_evaluated} conditions evaluated exactly in {result.seconds:.1f} s; "
            "score = share of states that end in attractors where the phenotype holds"
            + (" (basin-weighted)" if result.update == "synchronous" else
               " (probability, asynchronous with rates)" if scoring == "probability" else
               " (all reachable attractors sensitive)"))
