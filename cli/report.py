"""``logicnet report``: one self-contained HTML page about a condition of a study."""

from __future__ import annotations

import click

from . import main
from .options import parse_fix, resolve_input, strict_option


def _check_output(ctx, param, value):
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"{value!r}: a report is an .html file")
    return value


@main.command()
@click.argument("study")
@click.option("--context", metavar="NAME", help="A named cell context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Drug(s) applied in the condition (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1", help="Also fix a node (repeatable).")
@click.option("--update", type=click.Choice(["sync", "async", "synchronous", "asynchronous"]), default="sync",
              show_default=True, help="Update scheme of the attractors and the screen (validation runs both).")
@click.option("--phenotype", default="sensitive", show_default=True, help="The phenotype the screen restores.")
@click.option("--max-order", type=click.IntRange(1, 2), default=2, show_default=True,
              help="1: single interventions; 2: also pairs.")
@click.option("--overexpress", is_flag=True, help="Also try overexpression (fix to 1).")
@click.option("--targets", default="all", show_default=True, metavar="all|druggable|N1,N2,...",
              help="Candidate nodes of the screen.")
@click.option("--drug-pairs", is_flag=True, help="Also rank the library's drugs added alone and in pairs.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Show the best K results.")
@click.option("--no-validation", is_flag=True, help="Leave out the validation of the study's findings.")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Local worker processes [default: all cores].")
@click.option("-o", "--output", required=True, metavar="FILE.html", callback=_check_output,
              help="Where to write the report.")
@strict_option
def report(study, context, drugs, fixes, update, phenotype, max_order, overexpress, targets, drug_pairs, top,
           no_validation, jobs, output, strict):
    """A self-contained HTML report: condition, attractors, phenotypes, screen, validation, network."""
    from logicnet.io.study import read_study
    from logicnet.parallel import default_jobs
    from logicnet.report import build_report, write_report

    s = read_study(resolve_input(study), strict=strict)
    tg = targets if targets in ("all", "druggable") else [t.strip() for t in targets.split(",") if t.strip()]
    html = build_report(s, context=context, drugs=drugs, fix=parse_fix(fixes), update=update, phenotype=phenotype,
                        max_order=max_order, targets=tg, overexpress=overexpress, drug_pairs=drug_pairs, top=top,
                        n_jobs=jobs or default_jobs(), validation=not no_validation)
    write_report(html, output)
    click.echo(f"{output}: report written ({len(html) // 1024} KiB)", err=True)
