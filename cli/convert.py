"""``logicnet convert``: between BooleanNet, .bnet and SBML-qual."""

from __future__ import annotations

import click

from . import main
from .options import load_network, strict_option


@main.command()
@click.argument("source")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option("--from", "from_", metavar="FORMAT", help="Input format (booleannet, bnet, sbml); default: from suffix.")
@click.option("--to", "to", metavar="FORMAT", help="Output format; default: from the suffix of TARGET.")
@strict_option
def convert(source: str, target: str, from_: str | None, to: str | None, strict: bool) -> None:
    """Convert the network in SOURCE to TARGET (written atomically)."""
    from logicnet.io import write_network

    net = load_network(source, fmt=from_, strict=strict)
    write_network(net, target, to)
    click.echo(f"wrote {target} ({net.n_nodes} nodes)", err=True)
