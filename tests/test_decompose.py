"""Asynchronous attractors by minimal trap spaces and candidate states, against tests/naive.py."""

from __future__ import annotations

import json
from unittest import mock

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.cli import main
from logicnet.engine import decompose as dec
from logicnet.engine import symbolic, symbolic_engine
from logicnet.engine.bdd import SymbolicNetwork
from logicnet.expr import symbol
from logicnet.reduce import reduce_network

from . import naive
from .strategies import fixes, networks

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: An attractor outside every minimal trap space (Rozum et al., 2021): the only minimal
#: trap space is the fixed point 111; {000, 100, 010} never reaches it.
MOTIF_AVOIDANT = "A* = (not A and not B) or C\nB* = (not A and not B) or C\nC* = A and B\n"


def _decomposed(net):
    sn = SymbolicNetwork(net, max_nodes=1 << 16)
    atts, complete, est = dec.decompose(sn, sn.true, net, symbolic.Budget())
    return sorted(tuple(sorted(sn.states(a))) for a in atts), complete, est


@SETTINGS
@given(st.data())
def test_decomposition_matches_naive(data):
    net = data.draw(networks(max_nodes=8, max_k=4))
    rnet = reduce_network(net.fix(data.draw(fixes(net)))).network
    assume(rnet.n_nodes > 0)
    got, complete, est = _decomposed(rnet)
    assert complete
    assert got == sorted(tuple(sorted(a)) for a in naive.async_attractors(rnet))
    spaces = [e["space"] for e in est.trap_spaces]
    assert all(e["attractors"] >= 1 and e["exactly_one"] == (e["attractors"] == 1) for e in est.trap_spaces)
    # Every attractor inside a minimal trap space is counted there; the others are outside.
    inside = sum(e["attractors"] for e in est.trap_spaces)
    assert (est.outside == "found") == (inside < len(got))


@SETTINGS
@given(st.data(), st.sampled_from([0, dec.WALK_SWEEPS]))
def test_decomposing_first_matches_naive(data, sweeps):
    """Networks above DECOMPOSE_FIRST_VARIABLES (here every one) are decomposed before any
    pivot search.  Without random walks (0 sweeps) every candidate state survives, so a
    minimal trap space with several is shown to hold one attractor by the forward set of
    the first holding the others and reaching back to it, or searched."""
    net = data.draw(networks(max_nodes=8, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    with mock.patch.object(symbolic_engine, "DECOMPOSE_FIRST_VARIABLES", 0), \
            mock.patch.object(dec, "WALK_SWEEPS", sweeps), mock.patch.object(dec, "OWN_NETWORK_VARIABLES", 0):
        got = {frozenset(a.states) for a in find_attractors(net, update="asynchronous", engine="symbolic")}
    assert got == naive.async_attractors(net)


@SETTINGS
@given(st.data(), st.sampled_from([0, symbolic_engine.DECOMPOSE_FIRST_VARIABLES]))
def test_one_input_combination_at_a_time_matches_naive(data, first):
    """Above DECOMPOSE_FIRST_SPLIT_VARIABLES (here every network with a free input) each
    free-input combination is fixed, percolated and searched on its own (decomposed first
    when ``first`` is 0), combinations that percolate alike sharing one search."""
    net = data.draw(networks(max_nodes=8, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    inputs = data.draw(st.lists(st.sampled_from(net.nodes), max_size=2, unique=True))
    net = Network(net.nodes, {**net.rules, **{x: symbol(x) for x in inputs}})
    split = mock.Mock(wraps=symbolic_engine._by_input_combination)
    with mock.patch.object(symbolic_engine, "DECOMPOSE_FIRST_SPLIT_VARIABLES", -1), \
            mock.patch.object(symbolic_engine, "DECOMPOSE_FIRST_VARIABLES", first), \
            mock.patch.object(symbolic_engine, "_by_input_combination", split):
        got = {frozenset(a.states) for a in find_attractors(net, update="asynchronous", engine="symbolic")}
    assert split.called == any(x in net.inputs for x in reduce_network(net).network.inputs)
    assert got == naive.async_attractors(net)


@SETTINGS
@given(st.data(), st.sampled_from([0, dec.OWN_NETWORK_VARIABLES]))
def test_one_attractor_shown_from_several_candidates_matches_naive(data, own):
    """Every state of a small minimal trap space given as a candidate (a superset of the
    candidate states, so still one in every attractor), none dropped by a walk: the
    forward set of the first is the only attractor when every other reaches it; otherwise
    the trap space is searched.  Both end as the naive attractors, on the whole network's
    BDDs and (``own`` 0) on the trap space's own network."""
    real = dec.candidate_states

    def every_state(net, stable, avoid=(), **kw):
        if kw.get("limit") == dec.ONLY_CANDIDATES and net.n_nodes <= 6:
            return list(range(1 << net.n_nodes)), True
        return real(net, stable, avoid, **kw)

    net = data.draw(networks(max_nodes=7, max_k=3))
    net = net.fix(data.draw(fixes(net)))
    with mock.patch.object(symbolic_engine, "DECOMPOSE_FIRST_VARIABLES", 0), \
            mock.patch.object(dec, "WALK_SWEEPS", 0), mock.patch.object(dec, "candidate_states", every_state), \
            mock.patch.object(dec, "OWN_NETWORK_VARIABLES", own):
        got = {frozenset(a.states) for a in find_attractors(net, update="asynchronous", engine="symbolic")}
    assert got == naive.async_attractors(net)


@SETTINGS
@given(st.data())
def test_succession_diagram_matches_naive(data):
    """The same, walking down the succession diagram (and, with few minimal trap spaces
    listed, with the fixed points standing in for the rest)."""
    net = data.draw(networks(max_nodes=7, max_k=3))
    rnet = reduce_network(net.fix(data.draw(fixes(net)))).network
    assume(rnet.n_nodes > 0)
    listed = data.draw(st.sampled_from([dec.MAX_TRAP_SPACES, 1]))
    with mock.patch.object(dec, "AVOID_MINIMAL_FIRST", False), mock.patch.object(dec, "MAX_TRAP_SPACES", listed):
        got, complete, est = _decomposed(rnet)
    assert complete
    assert got == sorted(tuple(sorted(a)) for a in naive.async_attractors(rnet))


def test_motif_avoidant_attractor_found():
    net = Network.from_rules(MOTIF_AVOIDANT)
    got, complete, est = _decomposed(net)
    assert complete and est.outside == "found"
    assert got == sorted(tuple(sorted(a)) for a in naive.async_attractors(net))
    assert got == [(0, 1, 2), (7,)]
    assert [e["space"] for e in est.trap_spaces] == ["111"]


def test_negative_feedback_vertex_set_breaks_every_negative_cycle():
    net = Network.from_rules("A* = not B\nB* = C\nC* = A or D\nD* = not D and A\nE* = E\n")
    u = dec.negative_feedback_vertex_set(net)
    g = dec._signed_graph(net)
    assert dec._has_negative_cycle(g)
    assert not dec._has_negative_cycle(dec._without(g, set(u)))
    assert "D" in u and len(u) == 2  # D's negative self-loop, and one node of A -| B -> C -> A


@SETTINGS
@given(st.data())
def test_candidate_states_are_the_fixed_points_of_the_retained_network(data):
    net = data.draw(networks(max_nodes=7, max_k=3))
    u = dec.negative_feedback_vertex_set(net)
    retained = {x: data.draw(st.integers(0, 1)) for x in u}
    want = []
    for s in naive.all_states(net):
        nxt = naive.sync_successor(net, s)
        if all(nxt[x] == s[x] or (x in u and s[x] == retained[x]) for x in net.nodes):
            want.append(naive.encode(net, s))
    got, complete = dec.candidate_states(net, [x for x in net.nodes if x not in u], retained=retained)
    assert complete and got == sorted(want)


def _cli(monkeypatch, tmp_path, fmt="json", **patches):
    path = tmp_path / "ma.rules"
    path.write_text(MOTIF_AVOIDANT)
    monkeypatch.setattr(symbolic_engine, "PIVOT_SHARE", 0.0)  # the pivot search gives up at once
    for k, v in patches.items():
        monkeypatch.setattr(dec, k, v)
    r = CliRunner().invoke(main, ["attractors", str(path), "--update", "async", "--engine", "symbolic",
                                  "--timeout", "60", "--format", fmt])
    return r


def test_cli_answers_by_decomposition(monkeypatch, tmp_path):
    r = _cli(monkeypatch, tmp_path)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["complete"] is True and "established" not in d
    assert sorted((a["space"], a["size"]) for a in d["attractors"]) == [("**0", 3), ("111", 1)]


def test_cli_partial_result_says_what_was_established(monkeypatch, tmp_path):
    r = _cli(monkeypatch, tmp_path, MAX_CANDIDATES=0)  # too many candidates to list
    assert r.exit_code == 1
    d = json.loads(r.stdout)
    assert d["complete"] is False
    assert [(a["space"], a["size"]) for a in d["attractors"]] == [("111", 1)]
    est = d["established"]
    assert est["fixed_points"] == 1
    assert est["minimal_trap_spaces"] == [{"space": "111", "attractors": 1, "exactly_one": True}]
    assert est["outside_minimal_trap_spaces"] == "unknown"
    assert "did not finish" in r.stderr and "1 minimal trap space(s)" in r.stderr


def test_cli_partial_table_says_it_is_partial(monkeypatch, tmp_path):
    r = _cli(monkeypatch, tmp_path, fmt="table", MAX_CANDIDATES=0)
    assert r.exit_code == 1
    assert "1 attractor(s)" in r.stdout and "partial" in r.stdout


def test_one_input_combination_at_a_time_stops_with_what_it_established():
    """A budget that runs out before a combination is searched to the end: no attractor
    listed, ``complete`` False, and ``established`` says how many combinations were
    searched, of how many; the CLI prints it and exits with status 1."""
    net = Network.from_rules("A* = A\nB* = B\nC* = A and not D\nD* = B or C\n")
    with mock.patch.object(symbolic_engine, "DECOMPOSE_FIRST_SPLIT_VARIABLES", -1):
        res = symbolic_engine.async_attractors(net, budget=symbolic.Budget(0.0))
        whole = symbolic_engine.async_attractors(net)
    assert not res.complete and res.sets == []
    assert res.established["input_combinations"] == (0, 4)
    assert whole.complete and len(whole.sets) == len(naive.async_attractors(net)) == 4
    assert "one free-input combination at a time" in whole.notes[0]


def test_cli_partial_result_by_input_combination(monkeypatch, tmp_path):
    """The motif-avoidant network behind an input: with I off, C is on and the network
    percolates to its fixed point; with I on it needs candidate states, here too many to
    list.  One combination of two searched to the end, its attractor listed, and the one
    the second proved (its fixed point 111)."""
    path = tmp_path / "ma_input.rules"
    path.write_text(MOTIF_AVOIDANT.replace("C* = A and B", "C* = (A and B) or not I") + "I* = I\n")
    monkeypatch.setattr(symbolic_engine, "PIVOT_SHARE", 0.0)
    monkeypatch.setattr(symbolic_engine, "DECOMPOSE_FIRST_SPLIT_VARIABLES", -1)
    monkeypatch.setattr(dec, "MAX_CANDIDATES", 0)
    r = CliRunner().invoke(main, ["attractors", str(path), "--update", "async", "--engine", "symbolic",
                                  "--timeout", "60", "--format", "json"])
    assert r.exit_code == 1, r.output
    d = json.loads(r.stdout)
    assert d["complete"] is False and [a["space"] for a in d["attractors"]] == ["1110", "1111"]
    assert d["established"]["input_combinations"] == {"searched": 1, "of": 2}
    assert "every attractor of 1 of 2 free-input combinations" in r.stderr and "outside the minimal" not in r.stderr
