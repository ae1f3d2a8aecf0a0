"""Options and argument handling shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from logicnet.errors import LogicnetError

FORMAT_CHOICE = click.Choice(["table", "json", "csv"])


def resolve_input(name: str) -> Path:
    """A path that exists, or the bundled model of that name."""
    p = Path(name)
    if p.exists():
        return p
    from logicnet.networks import bundled, bundled_path

    found = bundled_path(name)
    if found is not None:
        return found
    raise LogicnetError(f"{name}: no such file (bundled models: {', '.join(bundled())})")


def load_network(name: str, *, fmt: str | None = None, strict: bool = False):
    """Read a network from a rule file, or the network of a study file."""
    path = resolve_input(name)
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        return read_study(path, strict=strict).network
    from logicnet.io import read_network

    return read_network(path, fmt, strict=strict)


strict_option = click.option("--strict", is_flag=True,
                             help="Treat names without a rule as an error instead of free inputs.")
