"""The symbolic engine (BDDs) against the naive reference simulator (tests/naive.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import count_fixed_points, find_attractors
from logicnet.phenotype import phenotype_shares
from logicnet.engine.bdd import SymbolicNetwork

from . import naive
from .corpus import SHARED, quiet_read, shared_models
from .strategies import fixes, networks

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_fixed_point_count_matches_naive(data):
    net = data.draw(networks(max_nodes=10, max_k=4))
    fix = data.draw(fixes(net))
    assert count_fixed_points(net, fix=fix) == len(naive.fixed_points(net.fix(fix)))


@SETTINGS
@given(st.data())
def test_bdd_steps_match_naive(data):
    net = data.draw(networks(max_nodes=7, max_k=4))
    sn = SymbolicNetwork(net)
    states = [naive.encode(net, s) for s in naive.all_states(net)]
    chosen = data.draw(st.lists(st.sampled_from(states), max_size=6, unique=True))
    x = sn.false
    for c in chosen:
        x = x | sn.state(c)
    assert sn.count(x) == len(chosen)
    assert sorted(sn.states(x)) == sorted(chosen)
    succ = {t for c in chosen for t in (naive.encode(net, s) for s in naive.async_successors(net, naive.decode(net, c)))
            if t != c}
    assert sorted(sn.states(sn.post_all(x))) == sorted(succ)
    pre = {c for c in states for t in (naive.encode(net, s) for s in naive.async_successors(net, naive.decode(net, c)))
           if t != c and t in chosen}
    assert sorted(sn.states(sn.pre_all(x))) == sorted(pre)
    image = {naive.encode(net, naive.sync_successor(net, naive.decode(net, c))) for c in chosen}
    assert sorted(sn.states(sn.image(x))) == sorted(image)
    preimage = {c for c in states if naive.encode(net, naive.sync_successor(net, naive.decode(net, c))) in chosen}
    assert sorted(sn.states(sn.preimage(x))) == sorted(preimage)
    if chosen:
        cols = list(zip(*(sn.strings(sn.state(c))[0] for c in chosen)))
        assert sn.space(x) == "".join(col[0] if len(set(col)) == 1 else "*" for col in cols)


def _async_view(aset):
    """Attractors as comparable values: (sorted state codes, size, space)."""
    return sorted((tuple(sorted(a.states)), a.size, aset.space(a)) for a in aset)


def test_wide_rule_network_gets_its_attractors():
    """28 variables, one rule reading the 27 others (beyond truth tables; easy for BDDs).

    By hand: every x follows y and y is the AND of all x, so from any state the
    network can reach all-0 (and all-1 when y stays 1); both are fixed points and
    nothing else is an attractor.
    """
    names = [f"x{i}" for i in range(27)]
    rules = [f"{x}* = y" for x in names] + ["y* = " + " and ".join(names)]
    net = Network.from_rules("\n".join(rules))
    aset = find_attractors(net, update="async")
    assert aset.engine == "symbolic"
    assert [aset.state_strings(a) for a in aset] == [["0" * 28], ["1" * 28]]
    assert count_fixed_points(net) == 2


AEON_ANSWERS = Path(__file__).parent / "data" / "aeon_async_inputs0.json"


def _corpus_params():
    data = json.loads(AEON_ANSWERS.read_text())["models"]
    files = {p.stem: p for p in shared_models()}
    if not files:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{SHARED / 'models'} is not present"))]
    return [pytest.param(files[name], answer, id=name[:6]) for name, answer in sorted(data.items())]


@pytest.mark.parametrize("path, answer", _corpus_params())
def test_async_attractors_equal_aeon_with_inputs_at_zero(path, answer):
    """Recorded biodivine-aeon answers (tests/data), every input fixed to 0."""
    net = quiet_read(path)
    aset = find_attractors(net, update="async", fix={x: 0 for x in net.inputs})
    index = {n: i for i, n in enumerate(aset.nodes)}
    got = sorted(["".join(aset.space(a)[index[n]] for n in answer["nodes"]), a.size] for a in aset)
    assert got == answer["attractors"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_collecting_garbage_before_every_image_keeps_every_set_held(monkeypatch, data):
    """oxidd collects no garbage by itself; the symbolic network collects before an image
    once its table outgrows twice what the last collection left.  With that floor at one
    node it collects all the time, and the asynchronous attractors are still the naive ones."""
    from logicnet.engine import bdd

    monkeypatch.setattr(bdd, "GC_NODES", 1)
    net = data.draw(networks(max_nodes=9, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    got = {frozenset(a.states) for a in find_attractors(net, update="asynchronous", engine="symbolic", reduce=False)}
    assert got == naive.async_attractors(net)


def test_images_collect_the_garbage_of_the_ones_before(monkeypatch):
    """Reachability on a 12-node ring with one negation: with the floor at one node the
    table is swept before images, and the states reached are the naive search's."""
    from logicnet.engine import bdd

    monkeypatch.setattr(bdd, "GC_NODES", 1)
    n = 12
    net = Network.from_rules("\n".join(f"x{i}* = {'not ' if i == 0 else ''}x{(i - 1) % n}" for i in range(n)))
    sn = SymbolicNetwork(net)
    reached = sn.state("0" * n)
    for _ in range(3 * n):
        reached = reached | sn.post_all(reached)
    assert sn._mgr.gc_count() > 0
    seen, todo = set(), [{x: 0 for x in net.nodes}]
    while todo:
        s = todo.pop()
        key = "".join(str(s[x]) for x in net.nodes)
        if key not in seen:
            seen.add(key)
            todo += naive.async_successors(net, s)
    assert sorted(sn.strings(reached)) == sorted(seen)
