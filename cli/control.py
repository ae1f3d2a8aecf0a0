"""``logicnet control``: every minimal set of interventions that forces a phenotype."""

from __future__ import annotations

import sys

import click

from . import main
from .options import (FORMAT_CHOICE, check_fix_nodes, fix_options, limits_of, load_model, parse_fix, parse_targets,
                      screen_phenotype, strict_option, study_condition, _max_memory)
from .render import console, echo_csv, echo_json, print_table, table


def _verdict(v) -> str:
    return "-" if v is None else "yes" if v else "no"


def parse_source(value: str):
    """``--from``: ``all``, ``attractors`` or ``NODE=0|1,...`` (a state, or the subspace it spans)."""
    if value in ("all", "attractors") or value.startswith("condition:"):
        return value
    return parse_fix([x for x in value.split(",") if x.strip()])


def _goal_option(ctx, param, value):
    from logicnet.controlling import _parse_goal
    from logicnet.errors import LogicnetError

    try:
        _parse_goal(value)
    except LogicnetError as err:
        raise click.BadParameter(str(err).split("\n")[0]) from None
    return value


def run_control(model_name, *, context, drugs, fixes, phenotype, targets, max_memory, strict, **kw):
    """Read MODEL and answer the control question the options describe."""
    from logicnet.controlling import control
    from logicnet.io.study import Study

    model = load_model(model_name, strict=strict, fixes=parse_fix(fixes))
    if not isinstance(model, Study) and (context or drugs):
        raise click.UsageError(f"{model_name}: --context and --drug need a study file (.toml); for a plain network "
                               "give the condition with --fix NODE=0|1")
    fix = parse_fix(fixes)
    if isinstance(model, Study):
        study_condition(model, context, drugs, fix)
    else:
        check_fix_nodes(model, fix)
    from . import render

    kw.setdefault("plan", None if render.QUIET else (lambda line: click.echo(line, err=True)))
    return control(model, context=context, drugs=drugs, fix=fix, targets=parse_targets(targets),
                   phenotype=screen_phenotype(phenotype, model), limits=limits_of(max_memory), **kw)


@main.command("control")
@click.argument("model", metavar="MODEL")
@fix_options
@click.option("--phenotype", default=None, metavar="NAME|NAME=EXPR",
              help="The phenotype to force: a study's phenotype by name [default: sensitive], or NAME=EXPR.")
@click.option("--max-size", type=click.IntRange(1, 6), default=3, show_default=True, metavar="K",
              help="The largest set searched (1 to 6).")
@click.option("--update", type=click.Choice(["async", "sync", "mp", "all", "asynchronous", "synchronous",
                                             "most_permissive"]), default="async", show_default=True,
              help="The scheme the goal must hold under (mp: most permissive, attractors = minimal trap spaces; "
                   "all: the three).")
@click.option("--goal", default="robust", show_default=True, metavar="robust|touch|reachable|share:X",
              callback=_goal_option,
              help="robust: every reachable attractor satisfies the phenotype in all its states; touch: every one "
                   "has a state where it holds; reachable: some attractor satisfies it; share:X: the screen's "
                   "score reaches X (0 < X <= 1; async or sync, permanent, from every state).")
@click.option("--score", type=click.Choice(["share", "probability"]), default="share", show_default=True,
              help="The score a share:X goal reads: the share of states, or (asynchronous) the probability at "
                   "the study's [rates], as in screen.")
@click.option("--hold", type=click.Choice(["permanent", "temporary", "one-step", "sequential"]), default="permanent",
              show_default=True, help="permanent: held forever; temporary: held until the cell settles, then "
                                      "released; one-step: the values are set once; sequential: up to --max-steps "
                                      "temporary steps, each acting on the attractors the one before leaves.")
@click.option("--max-steps", type=click.IntRange(1, 6), default=2, show_default=True, metavar="M",
              help="Sequential hold: the most steps of a sequence (--max-size bounds their literals in all).")
@click.option("--from", "source", default="all", show_default=True,
              metavar="all|attractors|condition:CTX[+DRUG...]|NODE=0|1,...",
              help="Initial states: every state of the condition, its attractors, the attractors of another "
                   "condition of the study (the cells before this one), or a state (or subspace).")
@click.option("--targets", default="actionable", show_default=True,
              help="Candidate nodes: actionable, all, druggable, or a comma-separated list.")
@click.option("--over", type=click.Choice(["nodes", "drugs"]), default="nodes", show_default=True,
              help="Perturb nodes, or combine the study's drugs (minimal combinations of drugs).")
@click.option("--ko-only", is_flag=True, help="Knockouts only.")
@click.option("--oe-only", is_flag=True, help="Overexpressions only.")
@click.option("--exclude", multiple=True, metavar="NODE|NODE+|NODE-",
              help="Never perturb NODE; NODE+: never overexpress it; NODE-: never knock it out (repeatable).")
@click.option("--no-clamp", is_flag=True, help="Do not count literals that keep a node at the value it already "
                                                "has in every initial state (CABEAN's convention).")
@click.option("--verdicts", type=click.Choice(["requested", "all"]), default="requested", show_default=True,
              help="Verdicts of each listed set under the requested scheme(s) only, or under asynchronous, "
                   "synchronous and most permissive update.")
@click.option("--robustness", is_flag=True,
              help="Per set, how many single-edge removals it survives (as validate --robustness); ranks sets "
                   "of the same size and verdicts.")
@click.option("--contexts", metavar="all|C1,C2", help="Per set, the study's contexts (same drugs and fixes) in "
                                                       "which it works as well.")
@click.option("--allow-phenotype-nodes", is_flag=True, help="Also perturb the phenotype's own nodes.")
@click.option("--all-sets", is_flag=True, help="Also count every working set per size, supersets included.")
@click.option("--top", type=click.IntRange(1), default=None, metavar="N",
              help="Show only the best N sets in the table (JSON and CSV keep all of them).")
@click.option("--near-misses", type=click.IntRange(0), default=5, show_default=True,
              help="When no set works, show this many of the best-scoring ones.")
@click.option("--engine", type=click.Choice(["auto", "explicit", "symbolic"]), default="auto", show_default=True)
@click.option("--max-time", "max_time", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="Stop the search after this time; what was established is printed, exit status 1.")
@click.option("--check-time", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Time budget of one exact check on decision diagrams; a set past it is "
                                      "reported undecided and the answer is not complete (exit status 1).")
@click.option("--max-memory", metavar="SIZE", callback=_max_memory,
              help="Memory the search may use (e.g. 4G); default: what is available.")
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="Worker processes for sizes estimated above 10 s (default: all cores).")
@click.option("--dask-scheduler", metavar="ADDRESS", help="Check those sizes on a Dask cluster (the 'dask' extra).")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
@strict_option
def control_command(model, context, drugs, fixes, phenotype, max_size, update, goal, score, hold, max_steps, source,
                    targets, over, ko_only, oe_only, exclude, no_clamp, verdicts, robustness, contexts,
                    allow_phenotype_nodes, all_sets, top, near_misses, engine, max_time, check_time, max_memory, jobs,
                    dask_scheduler, fmt, strict):
    """Which smallest sets of knockouts and overexpressions force a phenotype?

    Lists every subset-minimal set of at most --max-size interventions under which the
    goal holds, each verified by an exact attractor computation (with --verdicts all, its
    verdict under asynchronous, synchronous and most permissive update).  MODEL is a study file
    (.toml) or a plain network (then --phenotype NAME=EXPR and --fix).
    """
    if ko_only and oe_only:
        raise click.UsageError("--ko-only and --oe-only exclude each other")
    if dask_scheduler and jobs:
        raise click.UsageError("--jobs sets local worker processes; with --dask-scheduler the cluster's workers run")
    from logicnet.parallel import check_scheduler, default_jobs

    if dask_scheduler:
        check_scheduler(dask_scheduler)  # before any work
    result = run_control(model, context=context, drugs=drugs, fixes=fixes, phenotype=phenotype, targets=targets,
                         max_memory=max_memory, strict=strict, max_size=max_size, update=update, goal=goal,
                         score=score, hold=hold, max_steps=max_steps, source=parse_source(source), over=over,
                         knockout=not oe_only, overexpress=not ko_only, exclude=exclude, clamp=not no_clamp,
                         verdicts=verdicts, robustness=robustness,
                         contexts=None if contexts is None else "all" if contexts == "all" else [
                             x.strip() for x in contexts.split(",") if x.strip()],
                         allow_phenotype_nodes=allow_phenotype_nodes,
                         all_sets=all_sets, near_misses=near_misses,
                         engine=engine, max_seconds=max_time, check_seconds=check_time,
                         n_jobs=jobs or default_jobs(), scheduler=dask_scheduler)
    if fmt == "json":
        echo_json(result.to_dict())
    elif fmt == "csv":
        rows = result.to_records()
        header = list(rows[0]) if rows else ["rank", "set", "size"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
    else:
        _print(result, top)
    if not result.complete:
        sys.exit(1)


def _print(result, top: int | None = None) -> None:
    q = result.question
    c = console()
    shown = list(result.sets)[:top] if top else list(result.sets)
    title = (f"{q['network']} | {q['condition_text']} | forcing '{q['phenotype']['name']}' | "
             f"{q['goal']}, {q['hold']}, {' + '.join(q['update']).replace('_', ' ')}")
    rows = [[s.rank, s.label + (" (clamp: " + ", ".join(s.clamps) + ")" if s.clamps else ""), s.size,
             _verdict(s.verdicts.get("asynchronous")), _verdict(s.verdicts.get("synchronous")),
             _verdict(s.verdicts.get("most_permissive")), _verdict(s.temporary_suffices),
             " ".join(s.drugs) or "-", s.explanation.get("summary", "")] for s in shown]
    head = ["rank", "set", "size", "async", "sync", "MP", "release", "drugs", "why"]
    if any(s.robustness for s in shown):  # before "drugs", as in the ranking
        for row, s in zip(rows, shown):
            r = s.robustness
            edges = (f"{'?' if r['edges_held'] is None else r['edges_held']}/{r['edges_total']} edges"
                     if "edges_held" in r else "")
            ctx = f"{len(r['contexts_held'])} contexts" if "contexts_held" in r else ""
            row.insert(7, ", ".join(x for x in (edges, ctx) if x))
        head.insert(7, "robustness")
    print_table(c, table(title, head, rows))
    if len(shown) < len(result.sets):
        c.print(f"The best {len(shown)} of {len(result.sets)} sets are shown; --format json or csv lists all.")
    if result.none_possible:
        c.print(result.none_possible + ".")
    for m in result.near_misses:
        label = " + ".join(m["drugs"] or [f"{n} {'OE' if v else 'KO'}" for n, v in m["perturbation"].items()])
        c.print(f"near miss: {label} (score {m['score']:.3f})")
    counts = ", ".join(f"{v} of size {k}" for k, v in result.counts.items())
    c.print(f"Question: {result.describe()}.")
    c.print(f"Minimal sets: {counts}" + (f"; working sets (supersets included): " + ", ".join(
        f"{v} of size {k}" for k, v in result.working_counts.items()) if result.working_counts else "") + ".")
    if result.undecided:
        c.print(f"Undecided within --check-time ({len(result.undecided)}): " + "; ".join(result.undecided[:10])
                + (" ..." if len(result.undecided) > 10 else "") + ".")
    done = ", ".join(map(str, result.sizes_complete)) or "none"
    c.print(f"{'Complete' if result.complete else 'NOT complete'} (sizes searched to the end: {done}); "
            f"{result.checked:,} sets checked exactly, {result.cuts:,} trap-space cuts, {result.seconds:.2f} s.")
