"""``logicnet attractors``: exhaustive attractor search, or fixed points by SAT."""

from __future__ import annotations

import time

import click

from . import main
from .options import (FORMAT_CHOICE, condition_options, limits_of, load_condition, names_option, parse_fix,
                      strict_option)
from .render import (PLAIN_ROWS, _describe_states, console, echo_csv, echo_json, note, print_table, table,
                     write_lines)


def input_plan(net) -> str | None:
    """What a search over free inputs is about to do; None without free inputs (with
    more combinations than can be listed, :func:`logicnet.attractors.find_attractors`
    refuses before any work).

    Examples
    --------
    >>> from logicnet import Network
    >>> print(input_plan(Network.from_rules("A* = A\\nB* = A and not B")))
    plan: 1 free input (A) keeps its value, so each of its 2 combinations has its own attractors; the search covers them all
    """
    k = len(net.inputs)
    if not k:
        return None
    names = ", ".join(net.inputs[:8]) + (f" and {k - 8} more" if k > 8 else "")
    return (f"plan: {k} free input{'s' if k > 1 else ''} ({names}) keep{'' if k > 1 else 's'} "
            f"{'their' if k > 1 else 'its'} value, so each of {'the' if k > 1 else 'its'} "
            f"{'2^%d = ' % k if k > 1 else ''}{1 << k:,} combinations has its own attractors; the search covers "
            "them all")


#: Seconds a search may take without ``--timeout``: past them it stops with an error
#: saying where it was and what helps (a synchronous symbolic search refuses earlier
#: when its pace over the input combinations shows it cannot end in time).
DEFAULT_TIMEOUT = 600.0


class _Progress:
    """Remembers a symbolic search's phase (the progress display on stderr shows it),
    and stops the process if the search overruns its budget (``--timeout``, else
    :data:`DEFAULT_TIMEOUT`) by :data:`GRACE` seconds, saying where the search was."""

    GRACE = 5.0

    def __init__(self, timeout: float | None) -> None:
        import threading

        self.last = "reducing the network"
        self.given = timeout is not None
        self.timeout = timeout if self.given else DEFAULT_TIMEOUT
        self.timer = threading.Timer(self.timeout + self.GRACE, self._overrun)
        self.timer.daemon = True
        self.timer.start()

    def __call__(self, text: str) -> None:
        self.last = text

    def stop(self) -> None:
        self.timer.cancel()

    def _overrun(self) -> None:  # pragma: no cover - timing dependent
        import os
        import sys

        budget = "its budget" if self.given else "the default budget"
        click.echo(f"Error: the search did not finish within {budget} of {self.timeout:g} s (--timeout); it was "
                   f"at: {self.last}. Try a longer --timeout, fix inputs (--fix NODE=0|1), ask for the first "
                   "attractors (--limit N), or count them without listing (--count).", err=True)
        sys.stderr.flush()
        os._exit(1)


@main.command()
@click.argument("file")
@condition_options
@click.option("--fixed-points", is_flag=True, help="Only fixed points, by SAT (works for thousands of nodes).")
@click.option("--limit", type=click.IntRange(1), help="Stop after N attractors (or N fixed points).")
@click.option("--count", is_flag=True,
              help="Print only how many attractors there are (exact, nothing listed; counts multiply over "
                   "independent parts and add over free inputs); with --fixed-points, how many fixed points.")
@click.option("--engine", type=click.Choice(["auto", "explicit", "symbolic"]), default="auto", show_default=True,
              help="explicit: every state (synchronous basins); symbolic: BDDs (asynchronous, hundreds of "
                   "variables); auto picks the faster for the question.")
@click.option("--max-states", type=click.IntRange(0), default=1000, show_default=True,
              help="List the states of attractors up to this size; larger ones show their subspace and size.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              help="Stop a search after this long (default 600 s), saying what it established; with --probabilities, "
                   "the time the exact solve may take (default 60 s), checked against its estimate before it starts.")
@click.option("--phenotype", "phenotypes", multiple=True, metavar="NAME=EXPR",
              help="A named Boolean expression to evaluate on every attractor (repeatable).")
@click.option("--by-inputs", is_flag=True, help="Group attractors by the values of the free inputs.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True)
@click.option("--timings", is_flag=True, help="Print the time of each phase on stderr.")
@click.option("--no-reduce", is_flag=True,
              help="Search every non-fixed variable without reducing the network (same result, slower).")
@click.option("--no-basins", is_flag=True,
              help="Synchronous: skip the exact basins (faster on large state spaces); attractors are the same.")
@click.option("--probabilities", is_flag=True,
              help="With --update async: the exact probability of ending in each attractor (rates, MaBoSS semantics).")
@click.option("--rate", "rate_items", multiple=True, metavar="NODE=UP,DOWN",
              help="With --probabilities: a node's rate up and rate down (default 1,1; the study's [rates] apply).")
@click.option("--initial", "initial_items", multiple=True, metavar="NODE=P",
              help="With --probabilities: a node starts on with probability P (0, 1 or between; default 0.5, "
                   "or the file's initial value).")
@click.option("--hold-forced", is_flag=True,
              help="With --probabilities: nodes the fixed nodes force (by constant propagation) start at their "
                   "forced value too, as in screens; a much smaller state space.")
@strict_option
@names_option
def attractors(file, update, fixes, drugs, context, fixed_points, limit, count, engine, max_states, timeout,
               phenotypes, by_inputs, fmt, max_memory, timings, no_reduce, no_basins, probabilities, rate_items,
               initial_items, hold_forced, strict, names):
    """Attractors of FILE (a rule file or a study), with basins and phenotype shares."""
    from logicnet.attractors import count_fixed_points, find_attractors
    from logicnet.attractors import fixed_points as sat_fixed_points
    from logicnet.types import normalize_update

    if count and limit is not None:
        raise click.UsageError("--count counts every attractor; --limit cannot apply")
    if count and (fmt != "table" or by_inputs):
        raise click.UsageError(f"--count prints one number; {'--by-inputs' if by_inputs else '--format'} cannot apply")
    if count and phenotypes:
        raise click.UsageError("--count prints one number; --phenotype cannot apply (list the attractors to see "
                               "their phenotypes)")
    if count and engine != "auto":
        raise click.UsageError("--count chooses the engine for each part it counts; --engine cannot apply")
    if (fixed_points or count) and (no_basins or no_reduce):
        raise click.UsageError(f"{'--no-basins' if no_basins else '--no-reduce'} applies to the exhaustive search, "
                               f"not to {'a count' if count else 'fixed points by SAT'}")
    if no_basins and normalize_update(update) == "asynchronous":
        raise click.UsageError("--no-basins applies to synchronous update (asynchronous basins are never computed)")
    if by_inputs and fmt != "table":
        raise click.UsageError("--by-inputs groups the table; with --format json or csv every attractor is listed")
    if (rate_items or initial_items or hold_forced) and not probabilities:
        raise click.UsageError("--rate, --initial and --hold-forced go with --probabilities")
    if probabilities and (fixed_points or count or no_reduce):
        raise click.UsageError("--probabilities needs the exhaustive search (not --fixed-points or --count) "
                               "and reduces the network itself (not --no-reduce)")
    t0 = time.perf_counter()
    cond = load_condition(file, context=context, drugs=drugs, fixes=parse_fix(fixes), strict=strict, names=names)
    net = cond.network
    fixed = net.fix(cond.fix) if cond.fix else net  # what the search sees (free inputs, plan)
    ph = dict(cond.phenotypes)
    if phenotypes:
        from logicnet.phenotype import parse_phenotypes

        ph.update(parse_phenotypes(list(phenotypes), net.nodes))
    limits = limits_of(max_memory)
    tm: dict = {}
    if count and not fixed_points:
        from logicnet.attractors import count_attractors

        budget = DEFAULT_TIMEOUT if timeout is None else timeout
        k = len(fixed.inputs)
        inputs = ("" if not k else ", the free input fixed to 0 and to 1 in turn" if k == 1 else
                  f", each of the {k} free inputs fixed to 0 and to 1 in turn")
        note(f"plan: count the {normalize_update(update)} attractors without listing them: part by part{inputs}; "
             f"at most {budget:g} s (--timeout)")
        click.echo(count_attractors(net, update=update, fix=cond.fix, limits=limits, timeout=budget))
        return
    if fixed_points or count:
        if count:
            click.echo(count_fixed_points(net, fix=cond.fix))
            return
        t_read = time.perf_counter()
        tm["read"] = t_read - t0
        aset = sat_fixed_points(net, fix=cond.fix, limit=limit, update=update, limits=limits)
        tm["sat"] = time.perf_counter() - t_read
    elif probabilities:
        from .probability_options import exact_probabilities

        pres, from_file = exact_probabilities(cond, update, rate_items, initial_items, limits, tm, hold_forced,
                                              timeout)
        aset = pres.attractors
    else:
        from logicnet.attractors import _check_inputs

        _check_inputs(fixed, limit)  # refused before the plan is printed
        plan = input_plan(fixed)
        if plan:
            note(plan)
        progress = _Progress(timeout)
        # A synchronous search gets the default budget too: it refuses once its pace shows
        # it cannot end in time.  An asynchronous one does not (a budget changes how it
        # shares its time between strategies); the watchdog stops it.
        sync = normalize_update(update) == "synchronous"
        try:
            aset = find_attractors(net, update=update, fix=cond.fix, limits=limits, timings=tm,
                                   reduce=not no_reduce, basins=not no_basins, engine=engine, max_states=max_states,
                                   limit=limit, timeout=progress.timeout if sync else timeout, progress=progress)
        finally:
            progress.stop()
    t_out = time.perf_counter()
    if not aset.complete and aset.partial is None:
        what = "fixed points" if fixed_points else "attractors"
        note(f"warning: the list was cut after {len(aset)} {what} (--limit)")
    for text in aset.notes:
        note(f"note: {text}")
    if probabilities:
        from .probability_options import render_probabilities

        render_probabilities(pres, ph, fmt, cond.label, from_file)
    elif fmt == "json":
        d = aset.to_dict(ph, max_states=max_states)
        if cond.label:
            d["condition"] = cond.label
        echo_json(d)
    elif fmt == "csv":
        rows = aset.to_records(ph, max_states=max_states)
        header = list(rows[0]) if rows else ["attractor"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
    else:
        _render_table(aset, ph, by_inputs, cond.label, net, max_states, fixed_points=fixed_points,
                      no_basins=no_basins)
    if timings:  # after the output, which it times too
        search = tm.get("successors", 0.0) + tm.get("attractors", 0.0) + tm.get("sat", 0.0) + tm.get("bdds", 0.0)
        tm["output"] = time.perf_counter() - t_out
        parts = ", ".join(f"{k} {v:.3f} s" for k, v in tm.items())
        click.echo(f"timings: {parts}, search {search:.3f} s, total {time.perf_counter() - t0:.3f} s", err=True)
    if aset.partial is not None:
        _stop_with_established(aset, has_inputs=bool(fixed.inputs))


def _stop_with_established(aset, *, has_inputs: bool) -> None:
    """After a partial result has been printed: say on stderr what the symbolic search
    established within its budget and exit with status 1 (as an error does); fixing
    inputs is advised only when some are free."""
    import sys

    est = aset.partial.to_dict()
    parts = [f"{est['fixed_points']} fixed point(s) (exact)"] if est.get("fixed_points") is not None else []
    if "input_combinations" in est:  # searched one combination at a time
        combos = est["input_combinations"]
        parts.append(f"every attractor of {combos['searched']:,} of {combos['of']:,} free-input combinations "
                     "(listed, with those of the next one proven so far)")
    else:
        parts += _decomposition_established(est)
    click.echo(f"Error: the symbolic engine did not finish within its budget of {est['budget_seconds']:g} s "
         f"(--timeout); {len(aset)} attractor(s) established and listed (complete: false). "
         f"Established: {'; '.join(parts)}. Try a longer --timeout"
         + (" or fix inputs (--fix NODE=0|1)." if has_inputs else "."), err=True)
    sys.exit(1)


def _decomposition_established(est: dict) -> list[str]:
    """What a decomposition by minimal trap spaces established, in words."""
    spaces = est["minimal_trap_spaces"]
    searched = [e for e in spaces if e["attractors"] is not None]
    one = sum(1 for e in spaces if e["exactly_one"])
    parts = []
    if spaces:
        parts.append(f"{len(spaces)} minimal trap space(s){'' if est['minimal_trap_spaces_complete'] else ' (not all)'}"
                     f", {len(searched)} searched to the end ({one} holding exactly one attractor)")
    outside = est["outside_minimal_trap_spaces"]
    if outside == "unknown":
        left = est.get("candidates_left")
        parts.append("attractors outside the minimal trap spaces not excluded"
                     + (f" ({left} candidate state(s) left)" if left is not None else ""))
    else:
        parts.append(f"attractors outside the minimal trap spaces: {outside}")
    return parts


def _render_table(aset, ph, by_inputs, label, net, max_states=1000, *, fixed_points=False, no_basins=False):
    from logicnet.phenotype import phenotype_shares

    shares = phenotype_shares(aset, ph) if ph else [{} for _ in aset]
    c = console()
    if fixed_points:
        title = (f"{aset.network or 'network'}: {len(aset)} fixed point(s){'' if aset.complete else ' (cut by --limit)'}"
                 f" by SAT (the same under every update scheme)")
    else:
        title = f"{aset.network or 'network'}: {len(aset)} attractor(s), {aset.update} update, {aset.engine} engine"
        if aset.partial is not None:
            title += " | partial (stopped at --timeout; see below)"
    if label:
        title += f" | {label}"
    if not fixed_points and aset.update == "synchronous" and any(a.basin is None for a in aset):
        why = "--no-basins" if no_basins else "the state space is too large without constant propagation"
        title += f" | basins not computed ({why})"
    groups = aset.by_inputs(net.inputs) if by_inputs and net.inputs else {(): list(range(len(aset)))}
    for key, idx in groups.items():
        if key:
            head = f"{len(idx)} of {len(aset)} attractor(s)"
            t = (title.replace(f"{len(aset)} attractor(s)", head, 1) + " | inputs "
                 + " ".join(f"{n}={v}" for n, v in zip(net.inputs, key)))
        else:
            t = title
        basins = aset.update == "synchronous" and not fixed_points
        cols = (["#", "kind", "states"] + (["basin share"] if basins else [])) + list(ph)
        rows = []
        for i in idx:
            a = aset[i]
            share = ["-" if a.basin_share is None else f"{a.basin_share:.4f}"] if basins else []
            rows.append([i + 1, "fixed point" if a.kind == "fixed" else a.kind, a.size] + share
                        + [f"{shares[i][p]:.2f}" for p in ph])
        print_table(c, table(t, cols, rows))
        if len(idx) > PLAIN_ROWS:  # as plain lines, in one write (see PLAIN_ROWS)
            write_lines(c, [f"{i + 1} on: {_describe_states(aset, aset[i])}" for i in idx])
            continue
        for i in idx:
            c.print(f"[bold]{i + 1}[/bold] on: {_describe_states(aset, aset[i])}", highlight=False)
    big = [i + 1 for i, a in enumerate(aset) if a.size > max_states or not a.listed]
    if big:
        c.print(f"States not listed (more than --max-states {max_states}) for attractor(s) "
                f"{', '.join(map(str, big))}: their size is exact and 'on' describes their subspace.",
                highlight=False)
