"""Exact attractor probabilities against a dense linear-algebra solution written here."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.expr import evaluate
from logicnet.engine import absorption as prob_mod
from logicnet.errors import LogicnetError, UnknownNodeError
from logicnet.probability import attractor_probabilities, parse_rates

from . import naive
from .strategies import fixes, networks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dense_probabilities(net, rates, initial):
    """{frozenset(attractor state codes): probability} from the full 2^n transition matrix.

    Every node of ``net`` is a state variable; a constant-rule node starts at its
    value, any other node is on with probability ``initial.get(node, 0.5)``.  The jump
    chain takes each enabled flip (rule disagrees, rate > 0) with probability
    rate / total; absorption by numpy.linalg.solve on the transient states.
    """
    n = net.n_nodes
    size = 1 << n
    P = np.zeros((size, size))
    g = nx.DiGraph()
    g.add_nodes_from(range(size))
    for code in range(size):
        s = naive.decode(net, code)
        moves = []
        for i, node in enumerate(net.nodes):
            v = evaluate(net.rules[node], s)
            if v != s[node]:
                up, down = rates.get(node, (1.0, 1.0))
                r = up if s[node] == 0 else down
                if r > 0:
                    moves.append((code ^ (1 << i), r))
        tot = sum(r for _, r in moves)
        for t, r in moves:
            P[code, t] += r / tot
            g.add_edge(code, t)
        if not moves:
            P[code, code] = 1.0
    const = net.constants
    holds = [all(naive.decode(net, c)[k] == v for k, v in const.items()) for c in range(size)]
    atts = [frozenset(c) for c in nx.attracting_components(g) if holds[min(c)]]
    in_att = np.zeros(size, bool)
    for a in atts:
        in_att[list(a)] = True
    trans = np.flatnonzero(~in_att & np.array(holds))
    pi0 = np.ones(size)
    for code in range(size):
        s = naive.decode(net, code)
        for node in net.nodes:
            p = float(const[node]) if node in const else initial.get(node, 0.5)
            pi0[code] *= p if s[node] else 1.0 - p
    R = np.stack([P[np.ix_(trans, sorted(a))].sum(axis=1) for a in atts], axis=1)
    Q = P[np.ix_(trans, trans)]
    B = np.linalg.solve(np.eye(len(trans)) - Q, R) if len(trans) else np.zeros((0, len(atts)))
    out = {}
    for j, a in enumerate(atts):
        out[a] = float(pi0[trans] @ B[:, j] + pi0[sorted(a)].sum())
    return out


@st.composite
def cases(draw, max_nodes=10):
    net = draw(networks(max_nodes=max_nodes))
    fix = draw(fixes(net))
    rate_nodes = draw(st.lists(st.sampled_from(net.nodes), max_size=4, unique=True))
    rate_values = st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0, 7.0])
    rates = {n: (draw(rate_values), draw(rate_values)) for n in rate_nodes}
    fixed = net.fix(fix).constants
    init_nodes = draw(st.lists(st.sampled_from([n for n in net.nodes if n not in fixed] or net.nodes),
                               max_size=3, unique=True))
    initial = {n: draw(st.sampled_from([0.0, 0.25, 1.0])) for n in init_nodes if n not in fixed}
    return net, fix, rates, initial


def _check(net, fix, rates, initial):
    res = attractor_probabilities(net, fix=fix, rates=rates, initial=initial)
    expected = dense_probabilities(net.fix(fix), rates, initial)
    got = {frozenset(a.states): p for a, p in zip(res.attractors, res.probabilities)}
    assert set(got) == set(expected)
    for a, p in expected.items():
        assert abs(got[a] - p) < 1e-9, (a, got[a], p)
    assert abs(sum(res.probabilities) - 1.0) < 1e-9
    assert res.residual < 1e-9


@SETTINGS
@given(cases())
def test_exact_equals_dense_solution(case):
    _check(*case)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_nodes=9))
def test_hold_forced_equals_dense_solution_started_at_forced_values(case):
    from logicnet.reduce import reduce_network

    net, fix, rates, _ = case
    fixed = net.fix(fix)
    forced = {n: float(v) for n, v in reduce_network(fixed).lift.constants.items()}
    res = attractor_probabilities(net, fix=fix, rates=rates, propagate=True)
    expected = dense_probabilities(fixed, rates, forced)
    got = {frozenset(a.states): p for a, p in zip(res.attractors, res.probabilities)}
    for a, p in expected.items():
        assert abs(got.get(a, 0.0) - p) < 1e-9, (a, got.get(a), p)
    assert abs(sum(res.probabilities) - 1.0) < 1e-9


@pytest.mark.parametrize("direct_max", [10**9, 1])
def test_sparse_paths_equal_dense_solution(direct_max, monkeypatch):
    """Transient components with several states and targets go through the sparse LU, or BiCGSTAB."""
    monkeypatch.setattr(prob_mod, "DENSE_MAX", 1)
    monkeypatch.setattr(prob_mod, "SPARSE_DIRECT_MAX", direct_max)
    solved = []
    original = prob_mod._solve_sparse
    monkeypatch.setattr(prob_mod, "_solve_sparse", lambda *a: (solved.append(1), original(*a)))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases(max_nodes=8))
    def check(case):
        _check(*case)

    check()
    _check(Network.from_rules(OSCILLATOR_WITH_EXITS), {}, {"C": (0.5, 1.0)}, {})
    assert solved


# X, Y oscillate until C or D switches on, and each of C, D locks the other out.
OSCILLATOR_WITH_EXITS = """X* = not Y and not C and not D
Y* = X and not C and not D
C* = (C or X and Y) and not D
D* = (D or not X and not Y) and not C
"""


def test_hand_computed_race():
    # A* = not B, B* = not A from 00: A wins with probability 3/4 at rate 3 against 1.
    net = Network.from_rules("A* = not B\nB* = not A")
    res = attractor_probabilities(net, rates={"A": (3, 1)}, initial={"A": 0, "B": 0})
    assert res.probabilities == (0.25, 0.75)


def test_propagation_changes_the_starting_space():
    # C* = False forces B* = B or C ... only if C starts at 0: free C can switch B on first.
    net = Network.from_rules("C* = C and False\nB* = B or C")
    free = attractor_probabilities(net)
    forced = attractor_probabilities(net, propagate=True)
    by = {tuple(free.attractors.state_strings(a)): p for a, p in zip(free.attractors, free.probabilities)}
    # B starts on (1/2), or B off and C on (1/4) and B wins the race (1/2).
    assert by[("00",)] == pytest.approx(0.375) and by[("01",)] == pytest.approx(0.625)
    assert forced.probabilities == (0.5, 0.5)


def test_phenotype_summary_and_outputs():
    net = Network.from_rules("A* = A\nB* = not A\nO* = A and B")
    res = attractor_probabilities(net, initial={"A": 0.3})
    assert [round(p, 12) for p in res.probabilities] == [0.7, 0.3]
    assert res.phenotype_probabilities({"b": "B"}) == pytest.approx({"b": 0.7})


def test_bad_input():
    net = Network.from_rules("A* = A\nB* = True")
    with pytest.raises(LogicnetError, match="rates must be"):
        attractor_probabilities(net, rates={"A": (-1, 1)})
    with pytest.raises(UnknownNodeError):
        attractor_probabilities(net, rates={"Z": (1, 1)})
    with pytest.raises(LogicnetError, match="fixed to 1"):
        attractor_probabilities(net, initial={"B": 0})
    with pytest.raises(LogicnetError, match="NODE=UP,DOWN"):
        parse_rates(["A=x"])


def test_cli_probabilities_and_screen_score(tmp_path):
    import json

    from click.testing import CliRunner

    from logicnet.cli import main

    rules = tmp_path / "t.rules"
    rules.write_text("A* = not B\nB* = not A\n")
    r = CliRunner().invoke(main, ["attractors", str(rules), "--update", "async", "--probabilities",
                                  "--rate", "A=3,1", "--phenotype", "a=A", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [a["probability"] for a in d["attractors"]] == [0.4375, 0.5625]
    assert d["probability"]["phenotypes"] == {"a": 0.5625}
    r = CliRunner().invoke(main, ["attractors", str(rules), "--probabilities"])
    assert r.exit_code == 2 and "--update async" in r.output
    study = tmp_path / "s.toml"
    study.write_text('[study]\nname = "s"\nnetwork = "t.rules"\n[phenotypes]\nsensitive = "A"\n'
                     '[rates]\nA = [3, 1]\n')
    r = CliRunner().invoke(main, ["screen", str(study), "--update", "async", "--score", "probability",
                                  "--format", "json", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["scoring"] == "probability" and d["baseline"]["score"] == 0.5625
    scores = {h["label"]: h["score"] for h in d["results"]}
    assert scores == {"B KO": 1.0}


@pytest.mark.parametrize("max_split", [32, 1])
def test_basin_split_equals_dense_solution(max_split, monkeypatch):
    """The bitset attractors + backward closures path, forced on small networks."""
    monkeypatch.setattr(prob_mod, "SPLIT_MIN_N", 0)
    monkeypatch.setattr(prob_mod, "MAX_SPLIT", max_split)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases(max_nodes=9))
    def check(case):
        _check(*case)

    check()
    _check(Network.from_rules(OSCILLATOR_WITH_EXITS), {}, {"C": (0.5, 1.0)}, {"X": 1.0})


def test_exact_probabilities_refused_before_starting_when_estimated_longer_than_allowed(tmp_path):
    # 2 free variables (A, B: 4 states) at 8 microseconds a state: about 3.2e-5 s.
    from click.testing import CliRunner

    from logicnet.cli import main
    from logicnet.errors import ResourceLimitError
    from logicnet.probability import attractor_probabilities

    net = Network.from_rules("A* = not B\nB* = not A")
    with pytest.raises(ResourceLimitError) as err:
        attractor_probabilities(net, max_seconds=1e-6)
    assert "2^2 = 4 states" in str(err.value) and "more time" in err.value.advice
    res = attractor_probabilities(net, max_seconds=1.0)  # fits: the two fixed points, half each
    assert sorted(round(p, 12) for p in res.probabilities) == [0.5, 0.5]
    (tmp_path / "t.rules").write_text("A* = not B\nB* = not A\n")
    r = CliRunner().invoke(main, ["attractors", str(tmp_path / "t.rules"), "--update", "async",
                                  "--probabilities", "--timeout", "1e-6"])
    assert r.exit_code == 1 and "would take about" in r.output and "--timeout SECONDS" in r.output
    r = CliRunner().invoke(main, ["attractors", str(tmp_path / "t.rules"), "--update", "async",
                                  "--probabilities", "--format", "json"])
    assert r.exit_code == 0, r.output


def test_iterative_solve_that_does_not_converge_falls_back_to_the_direct_one(monkeypatch):
    """BiCGSTAB stops short on this component (found by hypothesis); its answer is not kept."""
    monkeypatch.setattr(prob_mod, "DENSE_MAX", 1)
    monkeypatch.setattr(prob_mod, "SPARSE_DIRECT_MAX", 1)
    net = Network.from_rules("x0* = x0 and not x5\nx1* = not (x0 or x1)\nx2* = not (x0 or x1)\nx3* = x3\n"
                             "x4* = not (not (x0 and x5) and x1)\nx5* = ((not (x0 or x1)) or x2) and not x5\n"
                             "x6* = x0 and x1")
    _check(net, {"x1": 1, "x2": 1}, {"x5": (1, 7), "x6": (0.5, 0), "x1": (0, 0), "x0": (0, 2)}, {"x4": 0})
