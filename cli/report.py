"""``logicnet report``: one self-contained HTML page about a condition of a study."""

from __future__ import annotations

import click

from . import main
from .render import note
from .options import (check_output, condition_options, limits_of, parse_fix, parse_targets, resolve_input,
                      screen_options, strict_option, study_condition)


def _check_output(ctx, param, value):
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"{value!r}: a report is an .html file")
    return check_output(value)


@main.command()
@click.argument("study")
@condition_options
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Show the best K results.")
@click.option("--no-validation", is_flag=True, help="Leave out the validation of the study's findings.")
@click.option("-o", "--output", required=True, metavar="FILE.html", callback=_check_output,
              help="Where to write the report.")
@screen_options
@strict_option
def report(study, context, drugs, fixes, update, max_memory, phenotype, max_order, overexpress, targets, drug_pairs, top,
           no_validation, jobs, output, strict):
    """A self-contained HTML report: condition, attractors, phenotypes, screen, validation, network."""
    from logicnet.io.study import read_study
    from logicnet.parallel import default_jobs
    from logicnet.report import build_report, write_report

    s = read_study(resolve_input(study), strict=strict)
    study_condition(s, context, drugs, parse_fix(fixes))  # unknown names are usage errors, before any work
    tg = parse_targets(targets)
    html = build_report(s, context=context, drugs=drugs, fix=parse_fix(fixes), update=update, phenotype=phenotype,
                        max_order=max_order, targets=tg, overexpress=overexpress, drug_pairs=drug_pairs, top=top,
                        n_jobs=jobs or default_jobs(), validation=not no_validation, limits=limits_of(max_memory))
    write_report(html, output)
    note(f"{output}: report written ({len(html) // 1024} KiB)")
