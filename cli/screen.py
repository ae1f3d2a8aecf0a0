"""``logicnet screen``: rank knockouts, overexpressions and drug combinations."""

from __future__ import annotations

import click

from . import main
from .options import (limits_of, FORMAT_CHOICE, check_fix_nodes, fix_options, load_model, parse_fix,
                      parse_targets, screen_options, screen_phenotype, strict_option, study_condition, update_option)
from .render import console, echo_csv, echo_json, print_table, table


def _fmt(x, digits=3):
    from logicnet.report import score_text

    return score_text(x, digits, none="-")


def run_screen(model_name, *, context, drugs, fixes, phenotype, targets, max_memory, strict, jobs=None,
               scheduler=None, progress=None, max_seconds=None, condition_seconds=30.0, with_network=False, **kw):
    """Read MODEL (a study or a plain network) and run the screen the options describe
    (with ``with_network``: the result and the network)."""
    from logicnet.io.study import Study
    from logicnet.parallel import default_jobs
    from logicnet.screening import screen as run

    model = load_model(model_name, strict=strict, fixes=parse_fix(fixes))
    if not isinstance(model, Study) and (context or drugs or kw.get("drug_pairs")):
        raise click.UsageError(f"{model_name}: --context, --drug and --drug-pairs need a study file (.toml); "
                               "for a plain network give the condition with --fix NODE=0|1")
    fix = parse_fix(fixes)
    if isinstance(model, Study):  # unknown names are usage errors, before any work
        study_condition(model, context, drugs, fix)
    else:
        check_fix_nodes(model, fix)
    from . import render

    kw.setdefault("plan", None if render.QUIET else (lambda line: click.echo(line, err=True)))
    result = run(model, context=context, drugs=drugs, fix=fix, targets=parse_targets(targets),
                 phenotype=screen_phenotype(phenotype, model), limits=limits_of(max_memory),
                 n_jobs=jobs or default_jobs(), scheduler=scheduler, progress=progress, max_seconds=max_seconds,
                 condition_seconds=condition_seconds, **kw)
    if with_network:
        return result, (model.network if isinstance(model, Study) else model)
    return result


@main.command()
@click.argument("model", metavar="MODEL")
@fix_options
@update_option
@click.option("--score", "scoring", type=click.Choice(["share", "probability"]), default="share", show_default=True,
              help="share: basin-weighted share (sync) or share of states whose every reachable attractor is "
                   "sensitive (async); probability: exact probability of ending in a sensitive attractor under "
                   "asynchronous update with the study's [rates] (same as share under sync).")
@click.option("--all", "all_pairs", is_flag=True, help="Recompute pairs whose single already restores completely.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="Show the best K results in the table (JSON and CSV hold every result).")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
@click.option("--dask-scheduler", metavar="ADDRESS", help="Run on a Dask cluster (needs the 'dask' extra).")
@click.option("--engine", type=click.Choice(["auto", "explicit", "symbolic"]), default="auto", show_default=True,
              help="auto: list every state when a condition fits --max-memory, else binary decision diagrams; "
                   "explicit: report the others as not evaluated; symbolic: BDDs throughout.")
@click.option("--condition-time", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Time budget of one condition on BDDs; past it the condition is reported "
                                      "not evaluated, with the reason (synchronous, once its attractors are "
                                      "known: scored at attractor level, marked *).")
@click.option("--max-time", "max_time", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="Refuse, before starting, a screen estimated to take longer.")
@screen_options
@strict_option
def screen(model, context, drugs, fixes, update, scoring, max_order, overexpress, targets, drug_pairs, phenotype,
           max_memory, all_pairs, top, fmt, jobs, dask_scheduler, engine, condition_time, max_time, strict):
    """Which interventions turn the condition's attractors back to a phenotype?

    MODEL is a study file (.toml: phenotypes, drugs, contexts) or a plain network
    (.bnet, .rules, .sbml; then give the phenotype as --phenotype NAME=EXPR and the
    condition with --fix).  Progress goes to stderr; stdout holds only the results.
    """
    if dask_scheduler and jobs:
        raise click.UsageError("--jobs sets local worker processes; with --dask-scheduler the cluster's workers run")
    result, net = run_screen(model, context=context, drugs=drugs, fixes=fixes, phenotype=phenotype, targets=targets,
                             max_memory=max_memory, strict=strict, jobs=jobs, scheduler=dask_scheduler,
                             with_network=True, max_seconds=max_time, max_order=max_order,
                             overexpress=overexpress, drug_pairs=drug_pairs, update=update, all_pairs=all_pairs,
                             engine=engine, condition_seconds=condition_time, score=scoring)
    if fmt == "json":
        echo_json(result.to_dict())
        return
    if fmt == "csv":
        rows = result.to_records()
        header = list(rows[0]) if rows else ["rank"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
        return
    b = result.baseline
    cond = []
    if result.context:
        cond.append("context " + result.context)
    cond += list(result.drugs)
    if result.fix:
        from logicnet.io.study import fix_label

        cond.append(fix_label(net, result.fix))
    if b.score is None:
        base = "baseline not evaluated"
    else:
        base = (f"baseline {_fmt(b.score)}{'*' if b.measure == 'attractor-level' else ''}"
                f"{' (complete)' if b.complete else ''}")
    title = (f"{result.study} | {' + '.join(cond) or 'no condition'} | {result.update} update | restoring "
             f"'{result.phenotype}' | {base}")
    shown = [h for h in result.results if h.evaluated][:top]
    rows = [[h.rank, h.label, _fmt(h.score) + ("*" if h.measure == "attractor-level" else ""),
             "yes" if h.complete else "no", _fmt(h.hsa_excess), _fmt(h.bliss_excess),
             h.explanation.get("summary", "")] for h in shown]
    c = console()
    print_table(c, table(title, ["rank", "intervention", "score", "complete", "HSA", "Bliss", "why"], rows))
    n = result.counts
    singles = sum(1 for h in result.results if h.evaluated and len(h.intervention) + len(h.drugs_added) == 1)
    level = n["attractor_level"]
    parts = [f"{n['scored']} interventions scored{'' if level else ' exactly'} ({singles} single, "
             f"{n['scored'] - singles} pairs) + baseline in {result.seconds:.1f} s; {len(shown)} shown"]
    if level:
        parts.append(f"{n['scored'] - level} exact, {level} attractor-level (*: the basins did not fit the "
                     "budget; share of attractor states where the phenotype holds, ranked after every exact score)")
    if n["dominated"]:
        parts.append(f"{n['dominated']} pairs marked dominated (a single already restores; --all recomputes them)")
    if n["not_evaluated"]:
        parts.append(f"{n['not_evaluated']} not evaluated (over budget; reasons in --format json)")
    c.print("; ".join(parts) + ".")
    if result.scoring == "probability" and result.update == "asynchronous":
        c.print("score = probability of ending in an attractor where the phenotype holds (rates of the study)")
    else:
        c.print("score = share of states that end in attractors where the phenotype holds"
                + (" (basin-weighted)" if result.update == "synchronous" else " (all reachable attractors sensitive)"))
