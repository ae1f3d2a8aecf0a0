"""``logicnet simulate``: stochastic trajectories with rates (MaBoSS semantics)."""

from __future__ import annotations

from pathlib import Path

import click

from . import main
from .options import FORMAT_CHOICE, check_fix_nodes, load_condition, parse_fix, resolve_input, strict_option
from .render import console, echo_csv, echo_json, note, print_table, table


def _load(file, cfg, context, drugs, fixes, strict):
    """The condition, plus MaBoSS rates/initial state/settings when FILE is a .bnd."""
    from logicnet.io.maboss import read_maboss

    from .options import Condition

    path = resolve_input(file)
    if path.suffix.lower() != ".bnd":
        if cfg:
            raise click.UsageError("--cfg goes with a MaBoSS .bnd file")
        return load_condition(file, context=context, drugs=drugs, fixes=fixes, strict=strict), None
    if context or drugs:
        raise click.UsageError("--context and --drug need a study file (.toml), not a .bnd file")
    if cfg is None and path.with_suffix(".cfg").exists():
        cfg = path.with_suffix(".cfg")
    model = read_maboss(path, cfg)
    check_fix_nodes(model.network, fixes)
    label = " ".join(f"{k}={v}" for k, v in fixes.items())
    return Condition(model.network, dict(fixes), {}, label), model


@main.command()
@click.argument("file")
@click.option("--cfg", type=click.Path(dir_okay=False), help="MaBoSS settings for a .bnd FILE "
              "[default: the .cfg beside it, if any].")
@click.option("--context", metavar="NAME", help="A named cell context of the study.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME",
              help="Apply a drug from the study's drug library (repeatable).")
@click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1",
              help="Fix a node: knockout (0), overexpression (1), an input's value (repeatable).")
@click.option("--time", "t_max", type=float, help="Final time (in units of 1/rate) [default: 100, or max_time].")
@click.option("--tick", type=float, help="Width of the time windows [default: time/100, or time_tick].")
@click.option("--samples", type=click.IntRange(1), help="Trajectories [default: 10000, or sample_count].")
@click.option("--seed", type=click.IntRange(0), help="Random seed [default: 0, or seed_pseudorandom].")
@click.option("--rate", "rate_items", multiple=True, metavar="NODE=UP,DOWN",
              help="A node's rate up and rate down (default 1,1; a study's [rates] and a .cfg apply).")
@click.option("--initial", "initial_items", multiple=True, metavar="NODE=P",
              help="A node starts on with probability P (default 0.5, or the .cfg's istate, or the file's "
                   "initial value).")
@click.option("--phenotype", "phenotypes", multiple=True, metavar="NAME=EXPR",
              help="A named Boolean expression whose probability is reported too (repeatable).")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True,
              help="table: final probabilities; json: everything; csv: one row per window and node/phenotype.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False),
              help="Also draw probabilities over time (.svg/.png/.pdf; needs the 'plot' extra).")
@click.option("--save-maboss", "save_prefix", metavar="PREFIX",
              help="Write the model and settings as PREFIX.bnd and PREFIX.cfg for MaBoSS, and stop.")
@strict_option
def simulate(file, cfg, context, drugs, fixes, t_max, tick, samples, seed, rate_items, initial_items, phenotypes,
             fmt, plot_path, save_prefix, strict):
    """Sample continuous-time asynchronous trajectories of FILE (rules, study, or MaBoSS .bnd).

    Every node whose rule disagrees with its value flips at its rate up (off -> on)
    or rate down (on -> off), as in MaBoSS; fixed nodes hold their value. Reports,
    per time window, the probability of every node and phenotype with a 95%
    confidence interval, and the distribution of the final state.
    """
    from logicnet.phenotype import parse_phenotypes
    from logicnet.simulation import simulate as run

    from .probability_options import condition_rates, file_initial, parse_initial

    cond, model = _load(file, cfg, context, drugs, parse_fix(fixes), strict)
    net = cond.network
    settings = dict(model.settings) if model else {}
    rates = dict(model.rates) if model else {}
    rates.update(condition_rates(cond, rate_items))
    given = parse_initial(initial_items)
    from_file = {} if model else {n: v for n, v in file_initial(net, cond.fix).items() if n not in given}
    initial = dict(model.initial) if model else dict(from_file)
    initial.update(given)
    ph = dict(cond.phenotypes)
    ph.update(parse_phenotypes(list(phenotypes), net.nodes))
    t_max = t_max if t_max is not None else settings.get("max_time", 100.0)
    tick = tick if tick is not None else settings.get("time_tick")
    samples = samples if samples is not None else int(settings.get("sample_count", 10000))
    seed = seed if seed is not None else int(settings.get("seed_pseudorandom", 0))
    discrete = bool(settings.get("discrete_time", 0))
    if save_prefix:
        from logicnet.io.maboss import write_maboss

        fixed = net.fix(cond.fix)
        write_maboss(fixed, f"{save_prefix}.bnd", f"{save_prefix}.cfg", rates=rates, initial=initial, time=t_max,
                     tick=tick if tick is not None else t_max / 100, samples=samples, seed=seed,
                     discrete_time=discrete)
        note(f"wrote {save_prefix}.bnd and {save_prefix}.cfg")
        return
    res = run(net, fix=cond.fix, rates=rates, initial=initial, time=t_max, samples=samples, tick=tick, seed=seed,
              phenotypes=ph, discrete_time=discrete)
    if plot_path:
        from logicnet.plot import write_figure
        from logicnet.simulation import plot_simulation

        write_figure(plot_simulation(res), plot_path)
    if fmt == "json":
        d = res.to_dict()
        if cond.label:
            d["condition"] = cond.label
        echo_json(d)
    elif fmt == "csv":
        rows = res.to_records()
        header = list(rows[0]) if rows else ["time"]
        echo_csv(header, [[r[h] for h in header] for r in rows])
    else:
        _render(res, cond.label or Path(str(file)).name, from_file)


def _render(res, label, from_file=None) -> None:
    c = console()
    last = len(res.times) - 1
    t0 = res.times[last]
    rows = [[name, f"{res.mean[last, j]:.4f}", f"± {1.96 * res.se[last, j]:.4f}"]
            for j, name in enumerate(res.observables)]
    from .probability_options import describe_initial

    mode = ", discrete time (one transition per tick)" if res.discrete_time else ""
    start = "\n" + describe_initial(from_file) if from_file else ""
    print_table(c, table(f"{label}: probability over [{t0:g}, {res.time:g}), {res.samples} trajectories{mode}"
                         f"{start}",
                         ["node / phenotype", "probability", "95% CI"], rows))
    finals = list(res.final_states.items())
    frows = [[st, f"{p:.4f}", f"± {1.96 * s:.4f}"] for st, (p, s) in finals[:10]]
    shown = (f"{len(finals)} distinct" if len(finals) <= 10 else
             f"{len(finals):,} distinct, the 10 most likely shown; --format json lists up to 1,000")
    print_table(c, table(f"final states at t = {res.time:g} ({shown}; nodes {' '.join(res.nodes)})",
                         ["state", "probability", "95% CI"], frows))
    c.print(f"{res.transitions} transitions in {res.seconds:.2f} s (seed {res.seed}); --format json or csv for "
            "the whole time course", highlight=False)
