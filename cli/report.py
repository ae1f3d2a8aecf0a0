"""``logicnet report``: one self-contained HTML page about a condition of a study or network."""

from __future__ import annotations

import click

from . import main
from .options import load_model, memory_limits, parse_fix, parse_targets, screen_options, screen_phenotype, strict_option


def _check_output(ctx, param, value):
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"{value!r}: a report is an .html file")
    return value


@main.command()
@click.argument("model", metavar="MODEL")
@click.option("--context", metavar="NAME", help="A named cell context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Drug(s) applied in the condition (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", help="Also fix a node (repeatable).")
@click.option("--update", type=click.Choice(["sync", "async", "synchronous", "asynchronous"]), default="sync",
              show_default=True, help="Update scheme of the attractors and the screen (validation runs both).")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Show the best K results.")
@click.option("--no-validation", is_flag=True, help="Leave out the validation of the study's findings.")
@click.option("-o", "--output", required=True, metavar="FILE.html", callback=_check_output,
              help="Where to write the report.")
@screen_options
@strict_option
def report(model, context, drugs, fixes, update, phenotype, max_memory, max_order, overexpress, targets, drug_pairs,
           top, no_validation, jobs, output, strict):
    """A self-contained HTML report of MODEL (a study, or a network with --phenotype NAME=EXPR): condition,
    attractors, phenotypes, screen, validation, network."""
    from logicnet.io.study import Study
    from logicnet.parallel import default_jobs
    from logicnet.report import build_report, write_report

    m = load_model(model, strict=strict)
    if not isinstance(m, Study) and (context or drugs or drug_pairs):
        raise click.UsageError(f"{model}: --context, --drug and --drug-pairs need a study file (.toml)")
    html = build_report(m, context=context, drugs=drugs, fix=parse_fix(fixes), update=update,
                        phenotype=screen_phenotype(phenotype, m), max_order=max_order, targets=parse_targets(targets),
                        overexpress=overexpress, drug_pairs=drug_pairs, top=top, n_jobs=jobs or default_jobs(),
                        limits=memory_limits(max_memory), validation=not no_validation, condition_seconds=30.0)
    write_report(html, output)
    click.echo(f"{output}: report written ({len(html) // 1024} KiB)", err=True)
