"""Stochastic simulation: continuous-time asynchronous trajectories with rates (MaBoSS semantics).

The same Markov chain as :mod:`logicnet.probability`, sampled by Gillespie's
algorithm as MaBoSS does (Stoll et al., BMC Syst Biol 2012): in state ``s`` every
node whose rule disagrees with its value flips at rate ``rate_up`` (off -> on) or
``rate_down`` (on -> off); the waiting time is exponential with the total rate, and
the node that flips is chosen in proportion to its rate.  Fixed nodes hold their
value; other nodes start on with probability 0.5, or as given (``initial``).
With ``discrete_time=True`` every transition takes exactly one ``tick`` instead of an
exponential time, the node that flips still drawn in proportion to its rate: MaBoSS's
``discrete_time = 1`` (its ``MaBEstEngine`` steps so).

For every time window ``[k tick, (k + 1) tick)`` the result gives, per node and per
phenotype, the probability that it holds (each trajectory's share of time in the
window, averaged over trajectories, as MaBoSS's time-averaged probabilities), with
its standard error; and the distribution of the state at the final time.  Every
trajectory has its own random stream derived from ``(seed, index)``: results are
reproducible and do not depend on batching.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = not A")
>>> res = simulate(net, time=20, samples=2000, seed=1)
>>> sorted(res.final_states)
['01', '10']
>>> abs(res.final_states["10"][0] - 0.5) < 4 * res.final_states["10"][1]
True
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .errors import LogicnetError
from .network import Network

__all__ = ["SimulationResult", "simulate", "plot_simulation"]

#: Trajectories per kernel call (results do not depend on it).
BATCH = 4096
#: Phenotypes may read at most this many nodes (their truth table has 2^k rows).
MAX_PHENOTYPE_NODES = 20


@dataclass(frozen=True)
class SimulationResult:
    """Probabilities over time and the final state distribution of a simulation.

    Attributes
    ----------
    nodes : tuple of str
    phenotypes : tuple of str
    times : ndarray (n_windows,)
        Start of each window (same time unit as the rates' inverse).
    mean, se : ndarray (n_windows, n_nodes + n_phenotypes)
        Probability that each node (then each phenotype) holds in each window, and
        its standard error over trajectories.
    final_states : dict
        ``{state string: (probability, standard error)}`` at the final time,
        most likely first.
    final_codes : ndarray (samples, words) uint64
        Each trajectory's final state (bit ``i % 64`` of word ``i // 64`` = node ``i``).
    samples, time, tick, seed, transitions, seconds
        The run: trajectories, final time, window width, seed, transitions taken, wall time.
    discrete_time : bool
        True if every transition took exactly one tick (MaBoSS's ``discrete_time = 1``).

    Examples
    --------
    >>> res = simulate(Network.from_rules("A* = True"), time=5, tick=5, samples=10, fix={"A": 1})
    >>> float(res.probability("A")[-1])
    1.0
    """

    nodes: tuple[str, ...]
    phenotypes: tuple[str, ...]
    times: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    final_states: Mapping[str, tuple[float, float]]
    final_codes: np.ndarray
    samples: int
    time: float
    tick: float
    seed: int
    transitions: int = 0
    seconds: float = 0.0
    rates: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    initial: Mapping[str, float] = field(default_factory=dict)
    discrete_time: bool = False

    @property
    def observables(self) -> tuple[str, ...]:
        """Node names, then phenotype names (the columns of ``mean`` and ``se``)."""
        return self.nodes + self.phenotypes

    def probability(self, name: str) -> np.ndarray:
        """Probability over time (one value per window) of a node or phenotype.

        Examples
        --------
        >>> res = simulate(Network.from_rules("A* = A"), time=1, tick=1, samples=8, initial={"A": 1})
        >>> res.probability("A").tolist()
        [1.0]
        """
        try:
            j = self.observables.index(name)
        except ValueError:
            raise LogicnetError(f"no node or phenotype {name!r} in the simulation") from None
        return self.mean[:, j]

    def to_dict(self, *, final_limit: int = 1000) -> dict:
        """JSON shape: settings, per-window probabilities with 95% intervals, final states.

        Examples
        --------
        >>> d = simulate(Network.from_rules("A* = A"), time=1, tick=1, samples=8, initial={"A": 0}).to_dict()
        >>> d["trajectories"]["A"]["probability"], d["final_states"][0]["state"]
        ([0.0], '0')
        """
        traj = {}
        for j, name in enumerate(self.observables):
            m, s = self.mean[:, j], self.se[:, j]
            traj[name] = {"probability": m.tolist(), "se": s.tolist(),
                          "ci95_low": np.clip(m - 1.96 * s, 0, 1).tolist(),
                          "ci95_high": np.clip(m + 1.96 * s, 0, 1).tolist()}
        finals = []
        for st, (p, s) in list(self.final_states.items())[:final_limit]:
            finals.append({"state": st, "probability": p, "se": s,
                           "ci95_low": max(0.0, p - 1.96 * s), "ci95_high": min(1.0, p + 1.96 * s)})
        return {
            "method": ("stochastic simulation (discrete time: one transition per tick, MaBoSS semantics)"
                       if self.discrete_time else "stochastic simulation (Gillespie, MaBoSS semantics)"),
            "nodes": list(self.nodes), "phenotypes": list(self.phenotypes),
            "samples": self.samples, "time": self.time, "tick": self.tick, "seed": self.seed,
            "rates": {k: list(v) for k, v in self.rates.items()}, "initial": dict(self.initial),
            "times": self.times.tolist(), "trajectories": traj,
            "final_states": finals, "n_final_states": len(self.final_states),
            "transitions": self.transitions, "seconds": self.seconds,
        }

    def to_records(self) -> list[dict]:
        """One CSV row per window and observable.

        Examples
        --------
        >>> simulate(Network.from_rules("A* = A"), time=1, tick=1, samples=4, initial={"A": 1}).to_records()[0]
        {'time': 0.0, 'name': 'A', 'kind': 'node', 'probability': 1.0, 'se': 0.0, 'ci95_low': 1.0, 'ci95_high': 1.0}
        """
        rows = []
        kinds = ["node"] * len(self.nodes) + ["phenotype"] * len(self.phenotypes)
        for k, t in enumerate(self.times):
            for j, name in enumerate(self.observables):
                m, s = float(self.mean[k, j]), float(self.se[k, j])
                rows.append({"time": float(t), "name": name, "kind": kinds[j], "probability": m, "se": s,
                             "ci95_low": max(0.0, m - 1.96 * s), "ci95_high": min(1.0, m + 1.96 * s)})
        return rows


def _phenotype_tables(phenotypes, nodes):
    """Phenotypes as truth tables over the nodes they read (like compiled rules)."""
    from . import expr as _expr
    from .phenotype import parse_phenotypes

    ph = parse_phenotypes(phenotypes, nodes) if phenotypes else {}
    index = {n: i for i, n in enumerate(nodes)}
    syms = [sorted(_expr.symbols(p.expression), key=index.__getitem__) for p in ph.values()]
    for (name, _), s in zip(ph.items(), syms):
        if len(s) > MAX_PHENOTYPE_NODES:
            raise LogicnetError(f"phenotype {name!r} reads {len(s)} nodes; simulate handles at most "
                                f"{MAX_PHENOTYPE_NODES}")
    k = max([len(s) for s in syms] + [1])
    regs = np.zeros((max(len(ph), 1), k), np.int64)
    n_regs = np.zeros(max(len(ph), 1), np.int64)
    offs = np.zeros(max(len(ph), 1), np.int64)
    parts = [np.zeros(1, np.uint8)]
    pos = 1
    for j, (p, s) in enumerate(zip(ph.values(), syms)):
        n_regs[j] = len(s)
        regs[j, :len(s)] = [index[x] for x in s]
        t = _expr.truth_table(p.expression, s).astype(np.uint8)
        offs[j] = pos
        parts.append(t)
        pos += t.size
    return tuple(ph), regs, n_regs, offs, np.concatenate(parts)


def simulate(net: Network, *, fix: Mapping[str, int] | None = None,
             rates: Mapping[str, tuple[float, float]] | None = None, initial: Mapping[str, float] | None = None,
             time: float = 100.0, samples: int = 10000, tick: float | None = None, seed: int = 0,
             phenotypes=None, discrete_time: bool = False) -> SimulationResult:
    """Sample ``samples`` trajectories up to ``time`` (see the module docstring).

    Parameters
    ----------
    net : Network
    fix : mapping, optional
        Fixed nodes (they start at, and keep, their value).
    rates : mapping, optional
        ``{node: (rate_up, rate_down)}``, finite and >= 0 (default 1, 1); time is in
        units of 1 / rate.
    initial : mapping, optional
        ``{node: probability of starting on}`` (default 0.5).
    time : float
        Final time, > 0.
    samples : int
        Trajectories, >= 1.
    tick : float, optional
        Window width (default ``time / 100``).
    seed : int
        Any integer >= 0; the same seed gives the same result.
    phenotypes : mapping or list, optional
        Named expressions whose probability over time is reported too.
    discrete_time : bool
        Every transition takes exactly ``tick`` (MaBoSS's ``discrete_time = 1``);
        default False: exponential waiting times (continuous time).

    Returns
    -------
    SimulationResult

    Raises
    ------
    LogicnetError
        Bad rates, initial probabilities, times or counts.

    Examples
    --------
    >>> res = simulate(Network.from_rules("A* = True\\nB* = A"), time=50, samples=500, seed=3)
    >>> res.final_states["11"][0]
    1.0

    In discrete time ``A* = not A`` started off flips at every tick:

    >>> res = simulate(Network.from_rules("A* = not A"), time=3, tick=1, samples=5, initial={"A": 0},
    ...                discrete_time=True)
    >>> res.probability("A").tolist()
    [0.0, 1.0, 0.0]
    """
    from .engine import compile_network, trajectories
    from .probability import check_initial, check_rates

    t0 = _time.perf_counter()
    if fix:
        net = net.fix(fix)
    if not (isinstance(time, (int, float)) and math.isfinite(time) and time > 0):
        raise LogicnetError(f"the simulation time must be a positive number, not {time!r}")
    if int(samples) != samples or samples < 1:
        raise LogicnetError(f"the number of samples must be a positive integer, not {samples!r}")
    tick = float(time) / 100 if tick is None else float(tick)
    if not (math.isfinite(tick) and tick > 0):
        raise LogicnetError(f"the time tick must be a positive number, not {tick!r}")
    if int(seed) != seed or seed < 0:
        raise LogicnetError(f"the seed must be an integer >= 0, not {seed!r}")
    rates = check_rates(net, rates)
    init = check_initial(net, initial)
    n = net.n_nodes
    c = compile_network(net)
    up = np.array([rates.get(x, (1.0, 1.0))[0] for x in net.nodes], np.float64)
    down = np.array([rates.get(x, (1.0, 1.0))[1] for x in net.nodes], np.float64)
    const = net.constants
    p_on = np.array([float(const[x]) if x in const else init.get(x, 0.5) for x in net.nodes], np.float64)
    names, ph_regs, ph_nregs, ph_off, ph_tables = _phenotype_tables(phenotypes, net.nodes)
    n_win = max(1, math.ceil(time / tick - 1e-9))
    n_obs = n + len(names)
    sums = np.zeros((n_win, n_obs))
    sumsqs = np.zeros((n_win, n_obs))
    words = max(1, (n + 63) // 64)
    final = np.zeros((samples, words), np.uint64)
    steps = 0
    for first in range(0, samples, BATCH):
        count = min(BATCH, samples - first)
        steps += trajectories(n, c.regs, c.n_regs, c.table_off, c.tables, up, down, p_on,
                                        ph_regs, ph_nregs, ph_off, ph_tables, len(names), float(time), tick, n_win,
                                        int(seed) & 0xFFFFFFFFFFFF, first, count, sums, sumsqs,
                                        final[first:first + count], bool(discrete_time))
    mean = sums / samples
    var = np.maximum(sumsqs / samples - mean * mean, 0.0)
    se = np.sqrt(var / max(samples - 1, 1))
    final_states = _final_distribution(final, n, samples)
    return SimulationResult(net.nodes, names, np.arange(n_win) * tick, mean, se, final_states, final, samples,
                            float(time), tick, int(seed), steps, _time.perf_counter() - t0,
                            {k: v for k, v in rates.items() if v != (1.0, 1.0)},
                            {k: v for k, v in init.items() if v != 0.5}, bool(discrete_time))


def _final_distribution(final: np.ndarray, n: int, samples: int) -> dict[str, tuple[float, float]]:
    """``{state string: (probability, standard error)}``, most likely first, ties by string."""
    uniq, counts = np.unique(final, axis=0, return_counts=True)
    bits = np.unpackbits(uniq.astype("<u8").view(np.uint8).reshape(len(uniq), -1), axis=1, bitorder="little")[:, :n]
    strings = [(r + ord("0")).astype(np.uint8).tobytes().decode("ascii") for r in bits]
    order = sorted(range(len(strings)), key=lambda i: (-counts[i], strings[i]))
    out = {}
    for i in order:
        p = counts[i] / samples
        out[strings[i]] = (float(p), float(math.sqrt(p * (1 - p) / samples)))
    return out


def plot_simulation(res: SimulationResult, names=None, *, max_lines: int = 12):
    """Probabilities over time with 95% bands (a matplotlib Figure; needs the plot extra).

    ``names`` picks nodes/phenotypes (default: the phenotypes, then the nodes that
    change most, up to ``max_lines``).  Each value is drawn at its window's middle.

    Examples
    --------
    >>> fig = plot_simulation(simulate(Network.from_rules("A* = not A"), time=2, samples=50))
    >>> len(fig.axes[0].lines)
    1
    """
    from .plot import _new_figure

    if names is None:
        spread = res.mean.max(axis=0) - res.mean.min(axis=0) if len(res.times) else np.zeros(len(res.observables))
        nodes = sorted(range(len(res.nodes)), key=lambda j: (-spread[j], j))
        names = list(res.phenotypes) + [res.nodes[j] for j in nodes][:max(0, max_lines - len(res.phenotypes))]
    fig = _new_figure(7.0, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    mid = res.times + np.array([min(res.tick, res.time - t) for t in res.times]) / 2
    for name in names:
        j = res.observables.index(name)
        m, s = res.mean[:, j], res.se[:, j]
        (line,) = ax.plot(mid, m, label=name, linewidth=1.4)
        ax.fill_between(mid, np.clip(m - 1.96 * s, 0, 1), np.clip(m + 1.96 * s, 0, 1), color=line.get_color(),
                        alpha=0.2, linewidth=0)
    ax.set_xlim(0, res.time)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time (1 / rate)")
    ax.set_ylabel("probability")
    ax.set_title(f"{res.samples} trajectories, 95% bands")
    if names:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return fig
