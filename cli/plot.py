"""``logicnet plot attractors|screen``: pictures of attractors and of a screen."""

from __future__ import annotations

import click

from . import main
from .render import note
from .options import (check_output, condition_options, fix_options, limits_of, load_condition, names_option,
                      parse_fix, parse_targets, resolve_input, screen_options, strict_option, study_condition,
                      update_option)

FIGURE_SUFFIXES = (".svg", ".png", ".pdf")


def output_option(suffixes=FIGURE_SUFFIXES):
    """``-o/--output FILE`` whose suffix picks the format (a usage error otherwise)."""

    def check(ctx, param, value):
        if value is not None and not value.lower().endswith(suffixes):
            raise click.BadParameter(f"{value!r}: the suffix picks the format; use one of {', '.join(suffixes)}")
        return check_output(value) if value is not None else None

    return click.option("-o", "--output", required=True, metavar="FILE", callback=check,
                        help="Where to write the picture (" + ", ".join(suffixes) + ").")


@main.group()
def plot():
    """Pictures: an attractor heatmap, or the bar chart of a screen (SVG, PNG or PDF)."""


@plot.command("attractors")
@click.argument("file")
@condition_options
@output_option()
@click.option("--phenotype", "phenotypes", multiple=True, metavar="NAME=EXPR",
              help="A named Boolean expression shown beside the heatmap (repeatable).")
@strict_option
@names_option
def plot_attractors(file, update, max_memory, fixes, drugs, context, output, phenotypes, strict, names):
    """Heatmap of the attractors of FILE (a rule file or a study): rows are attractors, columns nodes."""
    from logicnet.attractors import find_attractors
    from logicnet.phenotype import parse_phenotypes
    from logicnet.plot import _mpl, node_groups, write_figure
    from logicnet.plot import plot_attractors as draw
    from logicnet.progress import task

    _mpl()  # no drawing library: say so before any work
    cond = load_condition(file, context=context, drugs=drugs, fixes=parse_fix(fixes), strict=strict, names=names)
    ph = dict(cond.phenotypes)
    ph.update(parse_phenotypes(list(phenotypes), cond.network.nodes))
    aset = find_attractors(cond.network, update=update, fix=cond.fix, limits=limits_of(max_memory))
    title = f"{aset.network or 'network'}{' | ' + cond.label if cond.label else ''} | {aset.update} update"
    with task(f"drawing {output}"):
        fig = draw(aset, phenotypes=ph, groups=node_groups(cond.study or resolve_input(file), cond.network.nodes),
                   title=title)
        write_figure(fig, output)
    note(f"{output}: {len(aset)} attractor(s) of {cond.network.n_nodes} nodes")


@plot.command("screen")
@click.argument("model", metavar="MODEL")
@fix_options
@update_option
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Draw the best K results.")
@output_option()
@screen_options
@strict_option
def plot_screen(model, context, drugs, fixes, update, max_order, overexpress, targets, drug_pairs, phenotype,
                max_memory, top, jobs, output, strict):
    """Bar chart of the best interventions of a screen of MODEL, a study or a network (see `logicnet screen`)."""
    from logicnet.plot import _mpl, plot_screen as draw, write_figure
    from logicnet.progress import task

    _mpl()  # no drawing library: say so before any work
    from .screen import run_screen

    result = run_screen(model, context=context, drugs=drugs, fixes=fixes, phenotype=phenotype, targets=targets,
                        max_memory=max_memory, strict=strict, jobs=jobs, max_order=max_order,
                        overexpress=overexpress, drug_pairs=drug_pairs, update=update)
    with task(f"drawing {output}"):
        write_figure(draw(result, top=top), output)
    n = min(top, sum(1 for h in result.results if h.evaluated))
    note(f"{output}: {n} intervention(s), baseline {result.baseline.score:.3f}")
