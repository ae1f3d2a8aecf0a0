"""Rendering results: rich tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


def echo_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    click.echo(buf.getvalue(), nl=False)


def console():
    from rich.console import Console

    # Wide enough for node lists when piped; rich drops colours when not a terminal.
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 120, soft_wrap=False)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], **kw):
    from rich.table import Table

    t = Table(title=title, title_justify="left", **kw)
    for c in columns:
        t.add_column(c, overflow="fold", min_width=min(len(c), 14))
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t
