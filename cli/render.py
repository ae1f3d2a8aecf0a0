"""Rendering results: rich tables for people, JSON and CSV for programs."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click


#: Set by the command group for -q/--quiet: no notes or warnings on stderr.
QUIET = False


def note(message: str) -> None:
    """A short message for people on stderr (what was written, a caveat); silent with -q."""
    if not QUIET:
        click.echo(message, err=True)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


def echo_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import csv

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
    """A rich table whose cells fold between words (a word is never broken if it fits in
    20 characters); see :func:`print_table` for printing it without cutting anything."""
    from rich.table import Table

    rows = [[str(x) for x in r] for r in rows]
    t = Table(**kw)
    t.heading = title  # printed above the table by print_table, as wide as it needs
    for j, c in enumerate(columns):
        words = [w for text in [c] + [r[j] for r in rows if j < len(r)] for w in text.split()]
        t.add_column(c, overflow="fold", min_width=min(max((len(w) for w in words), default=1), 20))
    for r in rows:
        t.add_row(*r)
    return t


def print_table(c, t) -> None:
    """Print a table on console ``c`` within its width (COLUMNS or the terminal), folding
    cells, words too if need be; when even the narrowest layout is wider, print it at
    that width rather than cut columns off."""
    from rich.measure import Measurement

    def need() -> int:
        return Measurement.get(c, c.options.update(max_width=UNLIMITED_WIDTH), t).minimum

    if getattr(t, "heading", None):
        c.print(t.heading, highlight=False, markup=False)
    if c.width >= UNLIMITED_WIDTH:  # not a terminal: nothing to fit (and measuring is slow)
        c.print(t)
        return
    width = need()
    if width > c.width:  # too narrow for whole words: let long words fold too
        for col in t.columns:
            col.min_width = min(col.min_width or 1, 4)
        width = need()
    if width > c.width:
        c.print(t, width=width, crop=False)
    else:
        c.print(t)


def _describe_states(aset, a, limit: int = 12) -> str:
    space = aset.space(a)
    names = [n for n, c in zip(aset.nodes, space) if c == "1"]
    text = " ".join(names) if names else "(none)"
    var = [n for n, c in zip(aset.nodes, space) if c == "*"]
    if var:
        text += "  | oscillating: " + " ".join(var)
    return text
