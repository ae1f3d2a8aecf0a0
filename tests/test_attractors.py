"""The engine against the naive reference simulator (tests/naive.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import count_attractors, find_attractors, fixed_points
from logicnet.errors import ResourceLimitError
from logicnet.limits import Limits

from . import naive
from .strategies import fixes, networks, random_bnet_lines

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _engine_sync(aset):
    return {frozenset(a.states): a.basin for a in aset}


def _naive_sync_restricted(net):
    """Naive synchronous attractors with basins counted over states where constants hold."""
    const = net.constants
    result = naive.sync_attractors(net)
    succ = {}
    for s in naive.all_states(net):
        succ[naive.encode(net, s)] = naive.encode(net, naive.sync_successor(net, s))
    att_of_state = {}
    for att in result:
        for x in att:
            att_of_state[x] = att
    basins = {att: 0 for att in result}
    for s in naive.all_states(net):
        if any(s[n] != v for n, v in const.items()):
            continue
        x = naive.encode(net, s)
        seen = set()
        while x not in att_of_state:
            seen.add(x)
            x = succ[x]
        basins[att_of_state[x]] += 1
    return basins


@SETTINGS
@given(st.data())
def test_sync_attractors_and_basins_match_naive(data):
    net = data.draw(networks(max_nodes=10, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    aset = find_attractors(net, update="synchronous")
    expected = _naive_sync_restricted(net)
    assert _engine_sync(aset) == expected
    n_free = net.n_nodes - len(net.constants)
    assert sum(a.basin for a in aset) == 2 ** n_free
    for a in aset:
        assert a.basin_share == pytest.approx(a.basin / 2 ** n_free)
        # a cycle is listed in trajectory order
        codes = list(a.states)
        for i, c in enumerate(codes):
            nxt = naive.encode(net, naive.sync_successor(net, naive.decode(net, c)))
            assert nxt == codes[(i + 1) % len(codes)]


@SETTINGS
@given(st.data())
def test_async_attractors_match_naive(data):
    net = data.draw(networks(max_nodes=9, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    aset = find_attractors(net, update="asynchronous")
    assert {frozenset(a.states) for a in aset} == naive.async_attractors(net)
    assert all(a.basin is None for a in aset)
    for a in aset:
        assert a.kind == ("fixed" if a.size == 1 else "complex")
        assert list(a.states) == sorted(a.states, key=lambda c: aset.state_strings(type(a)((c,), "fixed"))[0])


@SETTINGS
@given(st.data())
def test_reduction_changes_nothing(data):
    net = data.draw(networks(max_nodes=10, max_k=4))
    fix = data.draw(fixes(net))
    for update in ("synchronous", "asynchronous"):
        a = find_attractors(net, update=update, fix=fix, reduce=True)
        b = find_attractors(net, update=update, fix=fix, reduce=False)
        assert a == b


@SETTINGS
@given(st.data())
def test_sat_fixed_points_equal_exhaustive(data):
    net = data.draw(networks(max_nodes=10, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    sat = fixed_points(net)
    assert sat.complete
    assert [a.states[0] for a in sat] == sorted(naive.fixed_points(net), key=lambda c: sat.state_strings(
        type(sat[0])((c,), "fixed"))[0]) if len(sat) else naive.fixed_points(net) == []
    exhaustive = [a.states for a in find_attractors(net, update="asynchronous") if a.kind == "fixed"]
    assert [a.states for a in sat] == exhaustive


def test_sync_basins_without_propagation_when_space_fits():
    # B is forced to 1 by the fixed A; its other value still counts towards basins
    net = Network.from_rules("A* = True\nB* = A\nC* = B and not C or C and D\nD* = C")
    aset = find_attractors(net)
    assert sum(a.basin for a in aset) == 8
    assert _engine_sync(aset) == _naive_sync_restricted(net)


def test_over_limit_is_a_clear_error():
    net = Network.from_rules("\n".join(f"x{i}* = x{(i + 1) % 20} or not x{i}" for i in range(20)))
    with pytest.raises(ResourceLimitError) as info:
        find_attractors(net, limits=Limits(max_memory=1 << 20), engine="explicit")
    msg = str(info.value)
    assert "20 free variables" in msg and "fit" in msg and "fixed points" in msg
    with pytest.raises(ResourceLimitError):
        find_attractors(net, update="async", limits=Limits(max_memory=1 << 20), engine="explicit")
    # the automatic choice answers on BDDs instead, with the same attractors and basins
    auto = find_attractors(net, limits=Limits(max_memory=1 << 20))
    assert auto.engine == "symbolic"
    assert _engine_sync(auto) == _engine_sync(find_attractors(net))
    # The symbolic engine needs no state-sized memory: asynchronous search answers.
    aset = find_attractors(net, update="async", limits=Limits(max_memory=1 << 20))
    assert aset.engine == "symbolic" and len(aset) >= 1


def test_too_many_input_combinations_are_refused_before_any_work():
    # 17 free inputs: at least 2^17 attractors under either scheme (each combination
    # of inputs keeps its values, so it has its own attractor), more than are listed
    inputs = [f"i{j}" for j in range(17)]
    net = Network.from_rules("\n".join(f"{i}* = {i}" for i in inputs) + "\nx* = " + " and ".join(inputs)
                             + " and not x")
    for update in ("sync", "async"):
        with pytest.raises(ResourceLimitError) as info:
            find_attractors(net, update=update)
        assert "17 free inputs" in str(info.value) and "2^17 = 131,072 attractors" in str(info.value)
        assert info.value.advice == ("fix inputs", "first ones", "count")
        # counted without listing: one attractor per combination (x oscillates or rests at 0)
        assert count_attractors(net, update=update) == 1 << 17
    # with a limit, the first attractors are listed (each fixes every input); with
    # inputs fixed, all of them (2^12: x oscillates where every input is on)
    first = find_attractors(net, limit=3, engine="symbolic")
    assert len(first) == 3 and not first.complete
    for a in first:
        assert all(first.space(a)[j] in "01" for j in range(17))
    fixed = find_attractors(net, fix={x: 1 for x in inputs[:5]}, update="async")
    assert len(fixed) == 1 << 12 and sorted(a.size for a in fixed)[-2:] == [1, 2]


def test_fixed_point_limit_and_components():
    net = Network.from_rules("\n".join(f"x{i}* = x{i}" for i in range(12)) + "\ny* = x0 and x1")
    full = fixed_points(net)
    assert len(full) == 4096 and full.complete
    cut = fixed_points(net, limit=10)
    assert len(cut) == 10 and not cut.complete


def test_json_schema_by_hand():
    net = Network.from_rules("A* = A\nB* = not B and A")
    d = find_attractors(net, fix={"A": 1}).to_dict()
    assert d == {
        "network": "", "update": "synchronous", "nodes": ["A", "B"], "fixed": {"A": 1},
        "engine": "explicit", "complete": True,
        "attractors": [{"kind": "cycle", "states": ["10", "11"], "size": 2, "space": "1*", "basin": 2,
                        "basin_share": 1.0, "phenotypes": {}}],
    }
    json.dumps(d)


@pytest.fixture
def numba_paths(monkeypatch):
    """Send even tiny state spaces through the numba kernels."""
    from logicnet.engine import sync

    monkeypatch.setattr(sync, "SMALL_N", -1)
    monkeypatch.setattr(sync, "LOW_BITS", 3)  # several blocks, even for small networks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_numba_sync_kernels_match_naive(numba_paths, data):
    net = data.draw(networks(max_nodes=10, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    assert _engine_sync(find_attractors(net)) == _naive_sync_restricted(net)


def test_numba_and_numpy_paths_agree_on_larger_networks(monkeypatch):
    import numpy as np

    from logicnet.engine import kernels, sync
    from logicnet.engine.compile import compile_network
    from logicnet.io import parse_bnet

    for seed, (n, k) in enumerate([(14, 2), (16, 3), (17, 4), (18, 1), (15, 6)]):
        lines = random_bnet_lines(n, k, seed)
        c = compile_network(parse_bnet(lines))
        ref = sync._successors_numpy(c, np.empty(1 << n, np.uint32))
        got = np.empty(1 << n, np.uint32)
        monkeypatch.setattr(sync, "SMALL_N", -1)
        sync.successors(c, got)
        monkeypatch.setattr(sync, "SMALL_N", 18)
        assert (ref == got).all()
        expected = sync._attractors_numpy(ref.copy())
        for kernel in (kernels.functional_graph_attractors_flagged, kernels.functional_graph_attractors):
            cyc, offs, basins = kernel(ref.copy())
            # same cycles (as sets, each in trajectory order) and the same basins
            a = {frozenset(cyc[offs[i]:offs[i + 1]].tolist()): int(basins[i]) for i in range(len(basins))}
            b = {frozenset(expected[0][expected[1][i]:expected[1][i + 1]].tolist()): int(expected[2][i])
                 for i in range(len(expected[2]))}
            assert a == b


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_bitset_async_search_matches_naive(monkeypatch, data):
    from logicnet.engine import asynchronous

    monkeypatch.setattr(asynchronous, "BITSET_MIN_N", 0)
    net = data.draw(networks(max_nodes=9, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    got = {frozenset(a.states) for a in find_attractors(net, update="asynchronous", reduce=False)}
    assert got == naive.async_attractors(net)


def test_bitset_and_tarjan_agree_on_larger_networks():
    import numpy as np

    from logicnet.engine import kernels
    from logicnet.engine.compile import compile_network
    from logicnet.engine.sync import successors
    from logicnet.io import parse_bnet

    for seed, (n, k, rounds) in enumerate([(13, 2, 64), (15, 3, 64), (16, 2, 64), (14, 4, 1), (17, 1, 64)]):
        lines = random_bnet_lines(n, k, seed)
        succ = successors(compile_network(parse_bnet(lines)))
        m1, o1 = kernels.async_terminal_sccs(succ)
        d = kernels.async_move_bitsets(succ, n)
        m2, o2, ok = kernels.async_attractors_bitset(d, n, succ.shape[0], rounds)
        a = {frozenset(m1[o1[i]:o1[i + 1]].tolist()) for i in range(len(o1) - 1)}
        if ok:
            b = {frozenset(m2[o2[i]:o2[i + 1]].tolist()) for i in range(len(o2) - 1)}
            assert a == b
        else:  # gave up after `rounds` rounds: only possible when there are complex attractors
            assert any(len(x) > 1 for x in a)
        assert np.all(np.diff(m1[o1[0]:o1[1]].astype(np.int64)) > 0)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fixed_points_are_found_each_once_under_any_limit(data):
    """The solver reports only a feedback vertex set's values; the rest are computed.
    Every fixed point must come out once, and a limit must cut the same list."""
    net = data.draw(networks(max_nodes=9, max_k=3))
    got = [a.states[0] for a in fixed_points(net)]
    assert sorted(got) == naive.fixed_points(net)
    assert len(set(got)) == len(got)
    k = data.draw(st.integers(1, 4))
    cut = [a.states[0] for a in fixed_points(net, limit=k)]
    assert len(cut) == min(k, len(got)) and set(cut) <= set(got)


def test_fixed_points_need_no_thread_unsafe_allocator():
    """Listing fixed points beside another Python thread must not call Python's
    allocator without the GIL: under PYTHONMALLOC=debug such a call aborts the process
    (pyeda's PicoSAT binding did, pyeda issue #195)."""
    import os
    import subprocess
    import sys

    code = ("import threading, time\n"
            "from logicnet import Network\n"
            "from logicnet.attractors import fixed_points\n"
            "stop = threading.Event()\n"
            "def busy():\n"
            "    while not stop.is_set():\n"
            "        [str(i) for i in range(100)]\n"
            "t = threading.Thread(target=busy); t.start()\n"
            "rules = '\\n'.join(f'X{i}* = X{(i + 1) % 12} or X{(i + 5) % 12}' for i in range(12))\n"
            "rules += '\\n' + '\\n'.join(f'I{i}* = I{i}' for i in range(6))\n"
            "rules += '\\n' + '\\n'.join(f'Y{i}* = I{i} and not Y{(i + 1) % 6} or X{i}' for i in range(6))\n"
            "n = len(fixed_points(Network.from_rules(rules)))\n"
            "stop.set(); t.join()\n"
            "print(n)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONMALLOC": "debug"})
    assert r.returncode == 0, r.stderr[-2000:]
    assert int(r.stdout) > 0
