"""Rendering results: rich tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json
import os
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


#: Width used when stdout is neither a terminal nor sized by COLUMNS: wide enough that
#: rich never has to shrink a table, so every column and cell is printed in full.
UNLIMITED_WIDTH = 1_000_000


def console_width() -> int | None:
    """COLUMNS if set, the terminal's width (None: let rich ask), else unlimited."""
    cols = os.environ.get("COLUMNS", "").strip()
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return None if tty else UNLIMITED_WIDTH


def console():
    """A rich console on stdout: tables fold long cells within COLUMNS or the terminal, and
    are never cut; when stdout is not a terminal, lines are as long as their content."""
    from rich.console import Console

    return Console(file=sys.stdout, width=console_width(), soft_wrap=False)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], **kw):
    from rich.table import Table

    t = Table(title=title, title_justify="left", **kw)
    for c in columns:
        t.add_column(c, overflow="fold", min_width=min(len(c), 14) or None)
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t
