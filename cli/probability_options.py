"""Rates, initial states and the output of ``attractors --probabilities``."""

from __future__ import annotations

import click

from logicnet.errors import LogicnetError

from .render import _describe_states, console, echo_csv, echo_json, print_table, table


def parse_initial(items) -> dict[str, float]:
    """``["A=1", "B=0.3"]`` -> ``{"A": 1.0, "B": 0.3}`` (usage errors exit 2)."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            p = float(value)
        except ValueError:
            p = -1.0
        if not sep or not name.strip() or not 0.0 <= p <= 1.0:
            raise click.BadParameter(f"{item!r}: write NODE=P with P between 0 and 1", param_hint="--initial")
        out[name.strip()] = p
    return out


def file_initial(net, fix=None, *, hold_forced: bool = False) -> dict[str, float]:
    """The start state the file gives (BooleanNet ``A = True``, SBML-qual ``initialLevel``):
    ``{node: 1.0 or 0.0}``; ``Random`` stays random (0.5, left out), and nodes that are
    fixed (or, with ``hold_forced``, forced by the fixed nodes) keep their value."""
    held = net.fix(fix).constants if fix else net.constants
    if hold_forced:
        from logicnet.reduce import reduce_network

        held = {**held, **reduce_network(net.fix(fix or {}), propagate=True).lift.constants}
    values = {"True": 1.0, "False": 0.0}
    return {n: values[v] for n in net.nodes for v in [net.annotation(n, "initial")] if v in values and n not in held}


def describe_initial(values, limit: int = 8) -> str:
    """``'the file's initial values (A=1 B=0); --initial overrides'`` for a header, or ''."""
    if not values:
        return ""
    shown = " ".join(f"{n}={v:g}" for n, v in list(values.items())[:limit])
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return f"start: the file's initial values ({shown}{more}); --initial overrides"


def condition_rates(cond, rate_items) -> dict[str, tuple[float, float]]:
    """The study's ``[rates]`` (if any), overridden by ``--rate``."""
    from logicnet.probability import check_rates, parse_rates

    rates = dict(getattr(cond.study, "rates", {}) or {})
    try:
        rates.update(parse_rates(rate_items))
    except LogicnetError as e:
        raise click.BadParameter(str(e), param_hint="--rate") from None
    return check_rates(cond.network, rates)


#: Without --timeout, the exact probabilities are refused when estimated to take longer.
DEFAULT_PROBABILITY_SECONDS = 60.0


def exact_probabilities(cond, update, rate_items, initial_items, limits, timings, hold_forced=False,
                        timeout=None):
    """Run :func:`logicnet.probability.attractor_probabilities` for a loaded condition; returns the
    result and the initial values taken from the file (for the header).  ``timeout``: the
    time allowed (default :data:`DEFAULT_PROBABILITY_SECONDS`), checked against the estimate."""
    import time

    from logicnet.probability import attractor_probabilities
    from logicnet.types import normalize_update

    if normalize_update(update) != "asynchronous":
        raise click.UsageError("--probabilities needs --update async (under synchronous update every state "
                               "has one attractor: the basin share is the probability)")
    t0 = time.perf_counter()
    from_file = file_initial(cond.network, cond.fix, hold_forced=hold_forced)
    given = parse_initial(initial_items)
    initial = {**from_file, **given}
    from_file = {n: v for n, v in from_file.items() if n not in given}
    res = attractor_probabilities(cond.network, fix=cond.fix, rates=condition_rates(cond, rate_items),
                                  initial=initial, limits=limits, propagate=hold_forced,
                                  max_seconds=DEFAULT_PROBABILITY_SECONDS if timeout is None else timeout)
    timings["probabilities"] = time.perf_counter() - t0
    return res, from_file


def render_probabilities(res, ph, fmt, label, from_file=None) -> None:
    """JSON, CSV or a table of attractors with their probabilities."""
    from logicnet.phenotype import phenotype_shares

    aset = res.attractors
    if fmt == "json":
        d = res.to_dict(ph)
        if label:
            d["condition"] = label
        echo_json(d)
        return
    if fmt == "csv":
        rows = aset.to_records(ph)
        for r in rows:
            r["probability"] = res.probabilities[r["attractor"] - 1]
        header = list(rows[0]) if rows else ["attractor"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
        return

    shares = phenotype_shares(aset, ph) if ph else [{} for _ in aset]
    c = console()
    title = f"{aset.network or 'network'}: {len(aset)} attractor(s), asynchronous with rates"
    if label:
        title += f" | {label}"
    rows = [[i + 1, a.kind, a.size, f"{p:.6f}"] + [f"{shares[i][k]:.2f}" for k in ph]
            for i, (a, p) in enumerate(zip(aset, res.probabilities))]
    if from_file:
        title += "\n" + describe_initial(from_file)
    print_table(c, table(title, ["#", "kind", "states", "probability"] + list(ph), rows))
    for i, a in enumerate(aset):
        c.print(f"[bold]{i + 1}[/bold] on: {_describe_states(aset, a)}", highlight=False)
    for k, v in res.phenotype_probabilities(ph).items():
        c.print(f"P({k}) = {v:.6f}", highlight=False)
    start = "nodes not fixed or forced" if res.propagated else "non-fixed nodes"
    given = "the file's initial values and --initial" if res.initial else "--initial"
    c.print(f"exact over {res.n_states} states (uniform start over {start} unless {given} say otherwise); "
            f"residual {res.residual:.1e}", highlight=False)
