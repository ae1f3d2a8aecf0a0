"""The small-network asynchronous search (state sets as integers) against the naive
reference simulator (tests/naive.py) and the symbolic engine."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.engine import bitsets
from logicnet.engine.bitsets import BitsetNetwork
from logicnet.phenotype import phenotype_shares

from . import naive
from .strategies import fixes, networks

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _succ(net, code):
    return {naive.encode(net, t) for t in naive.async_successors(net, naive.decode(net, code))}


@SETTINGS
@given(st.data())
def test_steps_and_reachability_match_naive(data):
    net = data.draw(networks(max_nodes=6, max_k=4))
    bn = BitsetNetwork(net)
    codes = list(range(1 << net.n_nodes))
    chosen = data.draw(st.lists(st.sampled_from(codes), max_size=5, unique=True))
    x = sum(1 << c for c in chosen)
    post = set().union(*(_succ(net, c) for c in chosen)) if chosen else set()
    assert set(bn.codes(bn.forward(x, bn.full))) >= post
    assert {t for j in range(net.n_nodes) for t in bn.codes(bn.post(x, j))} == post
    pre = {c for c in codes if _succ(net, c) & set(chosen)}
    assert {t for j in range(net.n_nodes) for t in bn.codes(bn.pre(x, j))} == pre
    assert bn.codes(bn.fixed_points()) == naive.fixed_points(net)
    reach = set(chosen)
    todo = list(chosen)
    while todo:
        for t in _succ(net, todo.pop()):
            if t not in reach:
                reach.add(t)
                todo.append(t)
    assert bn.codes(bn.forward(x, bn.full)) == sorted(reach)


def _view(aset):
    d = aset.to_dict({"p": "x0 or not x1"} if len(aset.nodes) > 1 else {"p": "x0"})
    d.pop("engine")
    return d


def test_limit_keeps_the_first_attractors_in_order():
    net = Network.from_rules("A* = A\nB* = B\nC* = not C")
    every = find_attractors(net, update="async")
    assert [every.space(a) for a in every] == ["00*", "01*", "10*", "11*"] and every.complete
    cut = find_attractors(net, update="async", limit=2)
    assert [cut.space(a) for a in cut] == ["00*", "01*"] and not cut.complete
    assert find_attractors(net, update="async", limit=4).complete


def test_larger_networks_go_to_the_symbolic_engine(monkeypatch):
    net = Network.from_rules("A* = not B\nB* = A\nC* = A and C")
    assert find_attractors(net, update="async").engine == "explicit"
    monkeypatch.setattr(bitsets, "MAX_VARIABLES", 2)
    aset = find_attractors(net, update="async")
    assert aset.engine == "symbolic"
    assert [aset.space(a) for a in aset] == ["**0"]
    assert find_attractors(net, update="async", reduce=False).engine == "symbolic"
    monkeypatch.setattr(bitsets, "MAX_VARIABLES", 3)
    assert find_attractors(net, update="async", reduce=False).engine == "explicit"
