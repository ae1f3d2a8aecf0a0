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
    """A rich table whose cells wrap between words, never inside one; see
    :func:`print_table` for what happens when the table does not fit."""
    from rich.table import Table

    rows = [[str(x) for x in r] for r in rows]
    t = Table(**kw)
    t.heading = title  # printed above the table by print_table, as wide as it needs
    t.cells = (list(columns), rows)  # for the one-block-per-row layout
    for j, c in enumerate(columns):
        words = [w for text in [c] + [r[j] for r in rows if j < len(r)] for w in text.split()]
        t.add_column(c, overflow="fold", min_width=max((len(w) for w in words), default=1))
    for r in rows:
        t.add_row(*r)
    return t


#: Rows above which a table is printed as plain aligned columns: rich takes about a
#: millisecond per row, so 89,856 fixed points took a minute to print as a table.
PLAIN_ROWS = 2000


def plain_table(cols: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table as plain text: each column as wide as its widest cell, two
    spaces between columns, a dashed line under the header.

    Examples
    --------
    >>> plain_table(["#", "kind"], [["1", "fixed point"], ["10", "cycle"]])
    ['#   kind', '--  -----------', '1   fixed point', '10  cycle']
    """
    widths = [max(len(str(x)) for x in [c] + [r[j] for r in rows]) for j, c in enumerate(cols)]

    def line(cells) -> str:
        return "  ".join(str(x).ljust(w) for x, w in zip(cells, widths)).rstrip()

    return [line(cols), line("-" * w for w in widths)] + [line(r) for r in rows]


def write_lines(c, lines: Sequence[str]) -> None:
    """Write ``lines`` to console ``c``'s file as they are, in one call (no markup)."""
    c.file.write("".join(line + "\n" for line in lines))
    c.file.flush()


def print_table(c, t) -> None:
    """Print a table on console ``c`` within its width (COLUMNS or the terminal).

    Cells wrap between words.  When even that layout is wider than the console, each
    row is printed as a block of ``column  value`` lines instead (as ``kubectl
    describe`` does), values wrapped between words: no word of a header or a cell is
    ever split, and nothing is cut.
    """
    if getattr(t, "cells", None) is not None and len(t.cells[1]) > PLAIN_ROWS:
        lines = _wrap(t.heading, c.width) if getattr(t, "heading", None) else []
        write_lines(c, lines + plain_table(*t.cells))
        return
    if getattr(t, "heading", None):
        for line in _wrap(t.heading, c.width):
            c.print(line, highlight=False, markup=False, soft_wrap=True)
    if c.width >= UNLIMITED_WIDTH or getattr(t, "cells", None) is None:  # nothing to fit, or not ours
        c.print(t)
        return
    cols, rows = t.cells
    if _fit_columns(t, cols, rows, c.width):
        c.print(t)
    else:
        for line in blocks(cols, rows, c.width):
            c.print(line, highlight=False, markup=False, soft_wrap=True)


def _fit_columns(t, cols, rows, width: int) -> bool:
    """Give the columns of ``t`` widths within ``width`` that hold their longest word, the
    room left shared in proportion to what each column lacks; False if that cannot be."""
    from rich.cells import cell_len

    n = len(cols)
    frame = 3 * n + 1  # a border before each column, one after the last, one space each side
    lo = [col.min_width or 1 for col in t.columns]
    hi = [max(lo[j], *(cell_len(line) for text in [cols[j]] + [r[j] for r in rows if j < len(r)]
                       for line in text.split("\n"))) for j in range(n)]
    if sum(lo) + frame > width:
        return False
    if sum(hi) + frame <= width:
        return True
    room = width - frame - sum(lo)
    slack = [h - m for h, m in zip(hi, lo)]
    widths = [m + room * s // sum(slack) for m, s in zip(lo, slack)]
    for j in sorted(range(n), key=lambda j: (widths[j] - hi[j], j))[:width - frame - sum(widths)]:
        widths[j] += 1
    for col, w in zip(t.columns, widths):
        col.width = w
    return True


def blocks(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Rows as blocks of ``column  value`` lines within ``width``, words never split, a
    blank line between blocks (a word longer than the width is printed whole).

    Examples
    --------
    >>> print("\\n".join(blocks(["#", "kind"], [["1", "fixed point"], ["2", "cycle"]], 14)))
    #     1
    kind  fixed
          point
    <BLANKLINE>
    #     2
    kind  cycle
    """
    key = max((len(h) for h in columns), default=0)
    inline = key + 2 + 8 <= width  # values beside the names; else under them, indented
    room = max(width - key - 2, 1) if inline else max(width - 2, 1)
    out: list[str] = []
    for i, row in enumerate(rows):
        if i:
            out.append("")
        for h, v in zip(columns, row):
            parts = _wrap(v, room)
            if not h.strip():  # a column without a name (row labels): its value heads the block
                out.extend(_wrap(v, width))
            elif inline:
                out.append(f"{h:<{key}}  {parts[0]}".rstrip())
                out.extend(f"{'':<{key}}  {p}".rstrip() for p in parts[1:])
            else:
                out.append(h)
                out.extend(f"  {p}".rstrip() for p in parts)
    return out


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words only (a
    longer word gets a line of its own); line breaks in ``text`` are kept."""
    import textwrap

    return [line for para in str(text).split("\n")
            for line in (textwrap.wrap(para, max(width, 1), break_long_words=False, break_on_hyphens=False) or [""])]


def _describe_states(aset, a, limit: int = 12) -> str:
    space = aset.space(a)
    names = [n for n, c in zip(aset.nodes, space) if c == "1"]
    text = " ".join(names) if names else "(none)"
    var = [n for n, c in zip(aset.nodes, space) if c == "*"]
    if var:
        text += "  | oscillating: " + " ".join(var)
    return text
