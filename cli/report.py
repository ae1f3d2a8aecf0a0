"""``logicnet report``: one self-contained HTML page about a condition of a study or network."""

from __future__ import annotations

import click

from . import main
from .render import note
from .options import (check_output, limits_of, check_fix_nodes, fix_options, load_model, parse_fix, parse_targets,
                      screen_options, screen_phenotype, strict_option, study_condition, update_option)


def _check_output(ctx, param, value):
    if not value.lower().endswith((".html", ".htm")):
        raise click.BadParameter(f"{value!r}: a report is an .html file")
    return check_output(value)


@main.command()
@click.argument("model", metavar="MODEL")
@fix_options
@update_option
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Show the best K results.")
@click.option("--no-validation", is_flag=True, help="Leave out the validation of the study's findings.")
@click.option("--control", "control_size", type=click.IntRange(0, 6), default=0, show_default=True, metavar="K",
              help="Add a Control section: every minimal set of at most K knockouts and overexpressions that "
                   "forces the phenotype (as logicnet control, verdicts under all three schemes); 0: none.")
@click.option("-o", "--output", required=True, metavar="FILE.html", callback=_check_output,
              help="Where to write the report.")
@screen_options
@strict_option
def report(model, context, drugs, fixes, update, phenotype, max_memory, max_order, overexpress, targets, drug_pairs,
           top, no_validation, control_size, jobs, output, strict):
    """A self-contained HTML report of MODEL (a study, or a network with --phenotype NAME=EXPR): condition,
    attractors, phenotypes, screen, (with --control K) control, validation, network.  A network without --phenotype gets the
    attractor report (no screen)."""
    from logicnet.io.study import Study
    from logicnet.parallel import default_jobs
    from logicnet.report import build_report, write_report

    from logicnet.plot import _mpl

    _mpl()  # no drawing library: say so before any work
    m = load_model(model, strict=strict, fixes=parse_fix(fixes))
    if not isinstance(m, Study) and (context or drugs or drug_pairs):
        raise click.UsageError(f"{model}: --context, --drug and --drug-pairs need a study file (.toml)")
    if isinstance(m, Study):  # unknown names are usage errors, before any work
        study_condition(m, context, drugs, parse_fix(fixes))
    else:
        check_fix_nodes(m, parse_fix(fixes))
    html = build_report(m, context=context, drugs=drugs, fix=parse_fix(fixes), update=update,
                        phenotype=None if phenotype is None and not isinstance(m, Study) else
                        screen_phenotype(phenotype, m), max_order=max_order, targets=parse_targets(targets),
                        overexpress=overexpress, drug_pairs=drug_pairs, top=top, n_jobs=jobs or default_jobs(),
                        limits=limits_of(max_memory), validation=not no_validation, condition_seconds=30.0,
                        control=control_size)
    write_report(html, output)
    note(f"{output}: report written ({len(html) // 1024} KiB)")
