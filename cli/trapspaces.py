"""``logicnet trapspaces``: minimal or maximal trap spaces (subspaces no update leaves)."""

from __future__ import annotations

import click

from . import main
from .options import FORMAT_CHOICE, fix_options, load_condition, names_option, parse_fix, strict_option
from .render import console, echo_csv, echo_json, print_table, table


@main.command()
@click.argument("file")
@click.option("--min", "kind", flag_value="min", default=True,
              help="Minimal trap spaces: the most permissive attractors (default).")
@click.option("--max", "kind", flag_value="max", help="Maximal trap spaces (the whole space left out).")
@fix_options
@click.option("--limit", type=click.IntRange(1), help="Stop after N trap spaces.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
@strict_option
@names_option
def trapspaces(file, kind, fixes, drugs, context, limit, fmt, strict, names):
    """Trap spaces of FILE: subspaces ('0'/'1' fixed, '*' free) that no update can leave."""
    from logicnet.trapspaces import trap_spaces

    cond = load_condition(file, context=context, drugs=drugs, fixes=parse_fix(fixes), strict=strict, names=names)
    ts = trap_spaces(cond.network, kind=kind, fix=cond.fix, limit=limit)
    if not ts.complete:
        click.echo(f"warning: the list was cut after {len(ts)} trap spaces (--limit)", err=True)
    if fmt == "json":
        d = ts.to_dict()
        if cond.label:
            d["condition"] = cond.label
        echo_json(d)
    elif fmt == "csv":
        rows = ts.to_records()
        header = list(rows[0]) if rows else ["trap_space", "size", *ts.nodes]
        echo_csv(header, [[r[h] for h in header] for r in rows])
    else:
        _render_table(ts, cond.label)


def _render_table(ts, label):
    minimal = ts.kind == "min"
    more = "" if ts.complete else " (cut by --limit; there are more)"
    title = f"{ts.network or 'network'}: {len(ts)} {'minimal' if minimal else 'maximal'} trap space(s){more}"
    if label:
        title += f" | {label}"
    # Minimal trap spaces fix most nodes: list the ones at 1 and the free ones (the rest are 0).
    # Maximal ones leave most nodes free: list the ones at 1 and at 0 (the rest are free).
    fixed = set(ts.fixed)
    cols = ["#", "kind", "at 1", "free (*)" if minimal else "at 0"]
    rows = []
    for i, s in enumerate(ts):
        pick = {c: " ".join(n for n, x in zip(ts.nodes, s) if x == c and n not in fixed) or "-" for c in "01*"}
        n_free = s.count("*")
        rows.append([i + 1, "fixed point" if not n_free else f"{n_free} free", pick["1"],
                     pick["*"] if minimal else pick["0"]])
    c = console()
    c.print(title, highlight=False, soft_wrap=True)
    print_table(c, table(None, cols, rows))
    rest = "at 0" if minimal else "free"
    c.print(f"nodes not listed are {rest}" + ("; fixed: " + " ".join(f"{n}={v}" for n, v in ts.fixed.items())
                                               if fixed else ""), highlight=False)
