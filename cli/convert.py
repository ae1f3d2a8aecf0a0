"""``logicnet convert``: between BooleanNet, .bnet and SBML-qual."""

from __future__ import annotations

import click

from . import main
from .render import note
from .options import check_output, load_network, names_option, resolve_input, strict_option


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--from", "from_", metavar="FORMAT", help="Input format (booleannet, bnet, sbml); default: from suffix.")
@click.option("--to", "to", metavar="FORMAT", help="Output format; default: from the suffix of TARGET.")
@strict_option
@names_option
def convert(source: str, target: str, from_: str | None, to: str | None, strict: bool, names: bool) -> None:
    """Convert the network in SOURCE to TARGET (written atomically).

    TARGET '-' (or /dev/stdout) writes to standard output (give --to); a symlink is
    written through to its target, and devices and pipes are written in place."""
    from logicnet.io import format_of
    from logicnet.io.header import leading_comments, write_with_header

    out_fmt = format_of(target, to)  # an unknown format is refused before reading
    check_output(target)
    net = load_network(source, fmt=from_, strict=strict, names=names)
    write_with_header(net, target, out_fmt, leading_comments(resolve_input(source), from_))
    note(f"wrote {'standard output' if target in ('-', '/dev/stdout') else target} ({net.n_nodes} nodes)")

