"""Stochastic simulation: long-time frequencies against the exact absorption probabilities."""

from __future__ import annotations

import math
import os
import warnings

import numpy as np
import pytest

from logicnet import Network
from logicnet.errors import LogicnetError
from logicnet.io import read_network
from logicnet.probability import attractor_probabilities
from logicnet.simulation import simulate

from .corpus import MODELS

# A race with three outcomes: whichever of B, C switches on first locks the other out,
# unless A (slow) switches both off and D on.
RACE = """A* = not A or A
B* = not C and not D
C* = not B and not D
D* = A and not B and not C or D
"""


def _frequencies(net, sim, aset):
    """Share of trajectories whose final state lies in each attractor (bit i = node i)."""
    codes = sim.final_codes[:, 0].astype(np.int64)
    return [float(np.isin(codes, np.array(a.states, np.int64)).mean()) for a in aset]


def _agree(net, *, time, samples, seed, **kw):
    exact = attractor_probabilities(net, **kw)
    sim = simulate(net, time=time, samples=samples, seed=seed, tick=time, **kw)
    freq = _frequencies(net, sim, exact.attractors)
    assert sum(freq) == pytest.approx(1.0, abs=2e-3), "trajectories not yet in an attractor"
    for f, p in zip(freq, exact.probabilities):
        se = math.sqrt(max(p * (1 - p), 1e-12) / samples)
        assert abs(f - p) <= 3 * se + 1e-12, (f, p, se)
    return exact, freq


def test_race_with_rates_matches_exact():
    net = Network.from_rules(RACE)
    exact, _ = _agree(net, time=60.0, samples=20000, seed=7, rates={"A": (0.3, 0.3), "B": (2.0, 1.0)},
                      initial={"D": 0})
    assert len(exact.attractors) == 3 and min(exact.probabilities) > 0.02


@pytest.mark.parametrize("stem, time", [("bbm184_p53_mdm2_network", 100.0), ("bbm095_fission_yeast_2008", 100.0)])
def test_shared_models_match_exact(stem, time):
    path = MODELS / f"{stem}.bnet"
    if not path.is_file():
        pytest.skip("../shared/models is not present")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # names without a rule: free inputs, as intended
        net = read_network(path)
    _agree(net, time=time, samples=20000, seed=11)


def test_same_seed_same_result_and_batching():
    import importlib

    sim_mod = importlib.import_module("logicnet.simulation")

    net = Network.from_rules(RACE)
    a = simulate(net, time=5, samples=300, seed=4)
    old = sim_mod.BATCH
    sim_mod.BATCH = 7
    try:
        b = simulate(net, time=5, samples=300, seed=4)
    finally:
        sim_mod.BATCH = old
    assert np.array_equal(a.final_codes, b.final_codes) and np.array_equal(a.mean, b.mean)
    c = simulate(net, time=5, samples=300, seed=5)
    assert not np.array_equal(a.final_codes, c.final_codes)


def test_time_course_of_one_decaying_node():
    # A off -> stays; A on -> switches off at rate 2: P(A on at t) = 0.5 exp(-2t).
    net = Network.from_rules("A* = False and A")
    sim = simulate(net, time=2.0, tick=0.5, samples=40000, seed=2, rates={"A": (1, 2)})
    for k, t in enumerate(sim.times):
        exact = 0.5 * (math.exp(-2 * t) - math.exp(-2 * (t + 0.5))) / (2 * 0.5)  # window average
        assert abs(sim.mean[k, 0] - exact) <= 3 * sim.se[k, 0] + 1e-12


def test_phenotype_and_fixed_nodes():
    net = Network.from_rules("A* = A\nB* = A\nC* = not B")
    sim = simulate(net, fix={"A": 1}, time=30, samples=500, seed=0, phenotypes={"off": "not C"})
    assert sim.final_states == {"110": (1.0, 0.0)}
    assert sim.probability("off")[-1] == pytest.approx(1.0, abs=0.01)


def test_bad_input():
    net = Network.from_rules("A* = A")
    with pytest.raises(LogicnetError, match="positive number"):
        simulate(net, time=0)
    with pytest.raises(LogicnetError, match="positive integer"):
        simulate(net, samples=0)
    with pytest.raises(LogicnetError, match="between 0 and 1"):
        simulate(net, initial={"A": 2})


# -- MaBoSS files --------------------------------------------------------------------

BND = """// toggle with a slow reset
Node A {
  logic = !B AND NOT R;   /* MaBoSS keywords and symbols */
  rate_up = @logic ? $kA : 0;
  rate_down = @logic ? 0 : 2 * $kA;
  description = "first";
}
Node B { logic = (!A && !R) ^ 0; }
R : R;
"""
CFG = """$kA = 1.5;
A.istate = 0;
[B].istate = 0.25 [1], 0.75 [0];
R.istate = -1;
R.is_internal = 1;
max_time = 12; time_tick = 0.5; sample_count = 300; seed_pseudorandom = 9;
thread_count = 4;
"""


def test_maboss_read_hand_checked():
    from logicnet.expr import evaluate
    from logicnet.io.maboss import parse_maboss

    m = parse_maboss(BND, CFG)
    assert m.network.nodes == ("A", "B", "R")
    assert m.rates == {"A": (1.5, 3.0)}
    assert m.initial == {"A": 0.0, "B": 0.25}
    assert m.settings == {"max_time": 12.0, "time_tick": 0.5, "sample_count": 300.0, "seed_pseudorandom": 9.0}
    assert m.internal == ("R",)
    for a in (0, 1):
        for b in (0, 1):
            for r in (0, 1):
                s = {"A": a, "B": b, "R": r}
                assert evaluate(m.network.rules["A"], s) == int(not b and not r)
                assert evaluate(m.network.rules["B"], s) == int(not a and not r)
                assert evaluate(m.network.rules["R"], s) == r


def test_maboss_round_trip(tmp_path):
    from logicnet.io.maboss import read_maboss, write_maboss

    net = Network.from_rules(RACE)
    rates = {"A": (0.3, 0.3), "B": (2.0, 1.0)}
    write_maboss(net.fix({"D": 0}), tmp_path / "m.bnd", tmp_path / "m.cfg", rates=rates, initial={"B": 0.2},
                 time=7, tick=0.5, samples=100, seed=3)
    m = read_maboss(tmp_path / "m.bnd", tmp_path / "m.cfg")
    assert m.rates == rates and m.initial == {"B": 0.2, "D": 0.0}
    assert m.settings == {"max_time": 7.0, "time_tick": 0.5, "sample_count": 100.0, "seed_pseudorandom": 3.0}
    assert m.network.constants == {"D": 0}
    ref = net.fix({"D": 0})
    for code in range(16):
        s = {n: (code >> i) & 1 for i, n in enumerate(ref.nodes)}
        from logicnet.expr import evaluate
        assert all(evaluate(m.network.rules[n], s) == evaluate(ref.rules[n], s) for n in ref.nodes)


@pytest.mark.parametrize("bnd, cfg, where, message", [
    ("Node A { logic = A }", "", "<bnd>:1:20", "expected ';'"),
    ("Node A { logic = A & B; }", "", "<bnd>:1:10", "'B', which is not a declared node"),
    ("Node A {\n  logic = A;\n  rate_up = A ? 1 : 0;\n}", "", "<bnd>:3:13", "unsupported rate_up"),
    ("Node A { logic = A; rate_up = @logic ? 1 : 2; }", "", "<bnd>:1:31", "must be 0 when"),
    ("Node A { logic = A; rate_up = $k; }", "", "<bnd>:1:31", "$k is not defined"),
    ("Node A { logic = A; }", "[A, A].istate = 1 [1, 1];", "<cfg>:1:1", "joint initial states"),
    ("Node A { logic = A; }", "A.istate = 2;", "<cfg>:1:1", "0, 1 or -1"),
    ("Node A { logic = A; }", "max_tim = 3;", "<cfg>:1:1", "unknown setting 'max_tim'"),
    ("Node A { logic = A % 2; }", "", "<bnd>:1:20", "unexpected character '%'"),
])
def test_maboss_errors_have_positions(bnd, cfg, where, message):
    from logicnet.errors import RuleSyntaxError
    from logicnet.io.maboss import parse_maboss

    with pytest.raises(RuleSyntaxError) as e:
        parse_maboss(bnd, cfg)
    assert str(e.value).startswith(where) and message in str(e.value), str(e.value)


# -- command line --------------------------------------------------------------------

def test_cli_simulate_json_csv_and_maboss(tmp_path):
    import json

    from click.testing import CliRunner

    from logicnet.cli import main

    rules = tmp_path / "race.rules"
    rules.write_text(RACE)
    r = CliRunner().invoke(main, ["simulate", str(rules), "--time", "4", "--tick", "2", "--samples", "200",
                                  "--seed", "5", "--rate", "B=2,1", "--phenotype", "b=B", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["samples"] == 200 and d["times"] == [0.0, 2.0] and d["rates"] == {"B": [2.0, 1.0]}
    assert abs(sum(f["probability"] for f in d["final_states"]) - 1) < 1e-12
    direct = simulate(Network.from_rules(RACE), time=4, tick=2, samples=200, seed=5, rates={"B": (2, 1)})
    assert d["trajectories"]["B"]["probability"] == direct.probability("B").tolist()
    r = CliRunner().invoke(main, ["simulate", str(rules), "--save-maboss", str(tmp_path / "m"), "--time", "4",
                                  "--tick", "2", "--samples", "200", "--seed", "5", "--rate", "B=2,1"])
    assert r.exit_code == 0, r.output
    r2 = CliRunner().invoke(main, ["simulate", str(tmp_path / "m.bnd"), "--format", "json"])
    assert r2.exit_code == 0, r2.output
    assert json.loads(r2.output)["trajectories"]["B"] == d["trajectories"]["B"]
    r = CliRunner().invoke(main, ["simulate", str(rules), "--time", "2", "--samples", "10", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "time,name,kind,probability,se,ci95_low,ci95_high"
    r = CliRunner().invoke(main, ["simulate", str(rules), "--rate", "B=x"])
    assert r.exit_code == 2 and "NODE=UP,DOWN" in r.output


def test_convert_through_bnd_keeps_the_rules(tmp_path):
    from logicnet.expr import evaluate
    from logicnet.io import read_network, write_network

    net = Network.from_rules(RACE)
    write_network(net, tmp_path / "r.bnd")
    assert (tmp_path / "r.cfg").exists()
    back = read_network(tmp_path / "r.bnd")
    assert back.nodes == net.nodes
    for code in range(16):
        s = {n: (code >> i) & 1 for i, n in enumerate(net.nodes)}
        assert all(evaluate(back.rules[n], s) == evaluate(net.rules[n], s) for n in net.nodes)


def test_more_than_64_nodes_crosses_words():
    # A chain N0 -> N1 -> ... -> N69 with N0 fixed on: every node ends on; N65 reads N64 across words.
    rules = "N0* = N0\n" + "".join(f"N{i}* = N{i - 1}\n" for i in range(1, 70))
    sim = simulate(Network.from_rules(rules), fix={"N0": 1}, time=400, tick=400, samples=20, seed=1,
                   phenotypes={"ends": "N63 and N64 and N69"})
    assert sim.final_codes.shape == (20, 2)
    assert sim.final_states == {"1" * 70: (1.0, 0.0)}
    assert 0 < sim.probability("ends")[0] < 1 and 0 < sim.probability("N69")[0] < 1


# MaBoSS (cmaboss 1.0.0b34) on RACE written by write_maboss with rates A=(0.3, 0.3),
# B=(2, 1), D starting off, max_time 5, time_tick 1, 40,000 samples, seed 3, one thread:
# get_nodes_probtraj() rows = windows [0,1) ... [4,5), columns A, C, D, B; and its errors.
MABOSS_RACE = [[0.56774, 0.48003, 0.02515, 0.53338], [0.68016, 0.45294, 0.0338, 0.52551],
               [0.76288, 0.44727, 0.03397, 0.52054], [0.82431, 0.44653, 0.03397, 0.51972],
               [0.87002, 0.4464, 0.03397, 0.51965]]
MABOSS_RACE_ERR = [[0.00612, 0.00542, 0.00071, 0.00556], [0.00595, 0.00461, 0.0009, 0.00481],
                   [0.00582, 0.00409, 0.00091, 0.00427], [0.0058, 0.00379, 0.00091, 0.00395],
                   [0.00581, 0.00359, 0.00091, 0.00373]]


def test_time_course_agrees_with_recorded_maboss():
    sim = simulate(Network.from_rules(RACE), rates={"A": (0.3, 0.3), "B": (2.0, 1.0)}, initial={"D": 0},
                   time=5, tick=1, samples=40000, seed=3)
    for k in range(5):
        for j, name in enumerate(("A", "C", "D", "B")):
            ours = sim.probability(name)[k]
            se = float(sim.se[k, sim.observables.index(name)])
            assert abs(ours - MABOSS_RACE[k][j]) <= 3 * math.hypot(se, MABOSS_RACE_ERR[k][j]), (k, name)


def test_cli_table_says_how_many_final_states_it_shows(tmp_path):
    from click.testing import CliRunner

    from logicnet.cli import main

    rules = tmp_path / "five.rules"  # five nodes that keep their random initial value: 32 final states
    rules.write_text("".join(f"{x}* = {x}\n" for x in "ABCDE"))
    r = CliRunner().invoke(main, ["simulate", str(rules), "--time", "1", "--samples", "2000", "--seed", "1"])
    assert r.exit_code == 0, r.output
    assert "(32 distinct, the 10 most likely shown; --format json lists up to 1,000;" in r.stdout
    rows = [ln for ln in r.stdout.splitlines() if ln.startswith("│") and set(ln.split("│")[1].strip()) <= {"0", "1"}]
    assert len([ln for ln in rows if len(ln.split("│")[1].strip()) == 5]) == 10


def test_kernel_compiled_ahead_of_time_gives_the_same_results(tmp_path, monkeypatch):
    """The numba.pycc module (no numba to load) against the numba kernel, bit for bit:
    continuous and discrete time, rates, initial probabilities, phenotypes, several batches."""
    from logicnet.engine import aot, gillespie

    path = aot.build(str(tmp_path))
    assert os.path.basename(path).startswith(aot.module_name()) and os.listdir(tmp_path) == [os.path.basename(path)]
    compiled = aot.load(str(tmp_path)).trajectories
    net = Network.from_rules(RACE + "E* = not E and B or C\n")
    runs = [dict(time=20.0, samples=5000, seed=4, tick=0.7, rates={"A": (0.05, 1.0), "E": (3.0, 0.2)},
                 initial={"B": 0.0, "E": 0.9}, phenotypes={"lock": "B or C"}),
            dict(time=6.0, samples=300, seed=1, tick=1.0, discrete_time=True)]
    for kw in runs:
        monkeypatch.setattr(aot, "_KERNEL", [gillespie.trajectories])
        jit = simulate(net, **kw)
        monkeypatch.setattr(aot, "_KERNEL", [compiled])
        pre = simulate(net, **kw)
        assert jit.transitions == pre.transitions > 0
        assert np.array_equal(jit.mean, pre.mean) and np.array_equal(jit.se, pre.se)
        assert np.array_equal(jit.final_codes, pre.final_codes)


def test_no_compiled_kernel_means_numba(tmp_path, monkeypatch):
    from logicnet.engine import aot, gillespie

    monkeypatch.setenv("LOGICNET_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(aot, "PACKAGE_DIR", str(tmp_path))  # an install may have compiled one there
    monkeypatch.setattr(aot, "_KERNEL", [])
    assert aot.load() is None
    res = simulate(Network.from_rules("A* = not A"), time=3, tick=1, samples=5, initial={"A": 0}, discrete_time=True)
    assert res.probability("A").tolist() == [0.0, 1.0, 0.0] and aot._KERNEL == [gillespie.trajectories]
