"""``logicnet screen``: rank knockouts, overexpressions and drug combinations."""

from __future__ import annotations

import click

from . import main
from .options import (FORMAT_CHOICE, condition_options, limits_of, parse_fix, parse_targets, resolve_input,
                      screen_options, strict_option, study_condition)
from .render import console, echo_csv, echo_json, print_table, table


def _fmt(x, digits=3):
    return "-" if x is None else f"{x:+.{digits}f}" if isinstance(x, float) and x < 0 else (
        "-" if x is None else f"{x:.{digits}f}")


@main.command()
@click.argument("study")
@condition_options
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
def screen(study, context, drugs, fixes, update, max_memory, scoring, max_order, overexpress, targets, drug_pairs,
           phenotype, all_pairs, top, fmt, jobs, dask_scheduler, strict):
    """Which interventions turn the condition's attractors back to PHENOTYPE (default: sensitive)?"""
    if dask_scheduler and jobs:
        raise click.UsageError("--jobs sets local worker processes; with --dask-scheduler the cluster's workers run")
    from logicnet.io.study import read_study
    from logicnet.parallel import default_jobs
    from logicnet.screen import screen as run

    s = read_study(resolve_input(study), strict=strict)
    study_condition(s, context, drugs, parse_fix(fixes))  # unknown names are usage errors, before any work
    tg = parse_targets(targets)
    result = run(s, context=context, drugs=drugs, fix=parse_fix(fixes), max_order=max_order, overexpress=overexpress, targets=tg,
                 drug_pairs=drug_pairs, update=update, phenotype=phenotype, all_pairs=all_pairs, top=top,
                 n_jobs=jobs or default_jobs(), scheduler=dask_scheduler, limits=limits_of(max_memory),
                 score=scoring)
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
             f"{' + '.join(result.drugs) or 'no drug'} | {result.update} update | restoring '{phenotype}' | "
             f"baseline {b.score:.3f}{' (complete)' if b.complete else ''}")
    rows = [[h.rank, h.label, _fmt(h.score), "yes" if h.complete else ("-" if h.complete is None else "no"),
             _fmt(h.hsa_excess), _fmt(h.bliss_excess), h.explanation.get("summary", "")] for h in result.results]
    c = console()
    print_table(c, table(title, ["rank", "intervention", "score", "complete", "HSA", "Bliss", "why"], rows))
    if scoring == "probability" and result.update == "asynchronous":
        what = "score = probability of ending in an attractor where the phenotype holds (rates of the study)"
    else:
        what = ("score = share of states that end in attractors where the phenotype holds"
                + (" (basin-weighted)" if result.update == "synchronous" else " (all reachable attractors sensitive)"))
    c.print(f"{result.n_evaluated} conditions evaluated exactly in {result.seconds:.1f} s; {what}")
