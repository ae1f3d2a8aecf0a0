"""``logicnet graph``: the signed interaction graph as a picture, DOT or GraphML."""

from __future__ import annotations

import click

from . import main
from .render import note
from .options import check_output, condition_options, load_condition, names_option, parse_fix, strict_option

SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".gv", ".graphml")


def _check_output(ctx, param, value):
    if not value.lower().endswith(SUFFIXES):
        raise click.BadParameter(f"{value!r}: the suffix picks the format; use one of {', '.join(SUFFIXES)}")
    return check_output(value)


@main.command()
@click.argument("file")
@click.option("-o", "--output", required=True, metavar="FILE", callback=_check_output,
              help="Picture (.svg, .png, .pdf), Graphviz (.dot) or GraphML (.graphml).")
@click.option("--highlight", metavar="SPEC",
              help="An intervention to explain: a screen hit label ('IGFBP1 KO + ITGA5B1 KO'), nodes ('FAK,HIF1A') "
                   "or a drug of the study.")
@condition_options
@click.option("--phenotype", default="sensitive", show_default=True,
              help="With a study: explanation paths lead to this phenotype's nodes.")
@click.option("--layout", type=click.Choice(["layered", "spring"]), default="layered", show_default=True,
              help="Rows by distance from the inputs, or a force-directed layout (fixed seed).")
@strict_option
@names_option
def graph(file, output, highlight, context, drugs, fixes, update, max_memory, phenotype, layout, strict, names):
    """The signed interaction graph of FILE: activation arrows, inhibition tee heads, dual (±) dashed.

    A condition (--context, --drug, --fix) marks its fixed nodes; the graph itself does not
    depend on the update scheme or on memory, so --update and --max-memory are accepted
    for uniformity and change nothing."""
    from logicnet.expr import symbols
    from logicnet.plot import highlight_nodes
    from logicnet.progress import task

    cond = load_condition(file, context=context, drugs=drugs, fixes=parse_fix(fixes), strict=strict, names=names)
    net = cond.network
    ph = cond.phenotypes.get(phenotype)
    readouts = sorted(symbols(ph.expression), key=net.index) if ph is not None else list(net.outputs)
    hl = highlight_nodes(net, highlight, study=cond.study, readouts=readouts) if highlight else None
    suffix = output.lower().rsplit(".", 1)[-1]
    with task(f"writing {output}"):
        _write(net, output, suffix, hl, readouts, layout, ph, cond)
    note(f"{output}: {net.n_nodes} nodes")


def _write(net, output, suffix, hl, readouts, layout, ph, cond):
    from logicnet.plot import draw_network, write_dot, write_figure, write_graphml

    if suffix in ("dot", "gv"):
        write_dot(net, output, hl, readouts=readouts)
    elif suffix == "graphml":
        write_graphml(net, output)
    else:
        fig = draw_network(net, highlight=hl, layout=layout, readouts=readouts if ph is not None or hl else (),
                           fixed=cond.fix or None)
        write_figure(fig, output)
