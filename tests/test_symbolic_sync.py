"""The BDD synchronous search against the naive simulator and the explicit engine."""

from __future__ import annotations

from functools import reduce

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.engine.symbolic_sync import symbolic_sync_attractors
from logicnet.expr import ALGEBRA, symbol

from . import naive
from .strategies import fixes, networks
from .test_attractors import _naive_sync_restricted

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _symbolic(res):
    return {frozenset(c.states): c.basin for c in res.cycles}


def _check_trajectory_order(net, res):
    for c in res.cycles:
        codes = list(c.states)
        for i, x in enumerate(codes):
            assert naive.encode(net, naive.sync_successor(net, naive.decode(net, x))) == codes[(i + 1) % len(codes)]


@SETTINGS
@given(st.data())
def test_cycles_and_basins_match_naive(data):
    net = data.draw(networks(max_nodes=8, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    res = symbolic_sync_attractors(net)
    assert _symbolic(res) == _naive_sync_restricted(net)
    assert res.n_states == 2 ** (net.n_nodes - len(net.constants))
    _check_trajectory_order(net, res)


def test_basin_budget_gives_attractors_without_basins():
    net = Network.from_rules("A* = not B\nB* = A\nC* = C or A\nD* = D and not C")
    full = symbolic_sync_attractors(net)
    cut = symbolic_sync_attractors(net, max_seconds=0.0)
    assert [c.states for c in cut.cycles] == [c.states for c in full.cycles]
    assert all(c.basin is None for c in cut.cycles) and all(c.basin is not None for c in full.cycles)
    assert len(cut.notes) == 1 and "basins not computed" in cut.notes[0] and "0 s" in cut.notes[0]


def test_long_cycle_described_by_size_and_space():
    # a 6-bit twisted ring counter: one cycle of 12 states, and others
    ring = "\n".join(f"x{i}* = x{i - 1}" for i in range(1, 6))
    net = Network.from_rules("x0* = not x5\n" + ring + "\ny* = y")
    res = symbolic_sync_attractors(net, max_states=11)
    listed = symbolic_sync_attractors(net)
    assert [(c.size, c.space, c.basin) for c in res.cycles] == [(c.size, c.space, c.basin) for c in listed.cycles]
    big = [c for c in res.cycles if c.size > 11]
    assert big and all(c.states is None and res.strings(c) is None for c in big)
    assert {c.size for c in big} == {12}
    assert sum(c.basin for c in res.cycles) == 2 ** 7


def _shift_register(n: int, rule):
    """x1..x(n-1) copy their left neighbour; x0 reads all of them through ``rule``."""
    names = [f"x{i}" for i in range(n)]
    rules = {"x0": rule([symbol(x) for x in names[1:]])}
    rules.update({names[i]: symbol(names[i - 1]) for i in range(1, n)})
    return Network(tuple(names), rules)


def test_28_variables_with_a_27_regulator_rule():
    # x0(t+1) = AND of the previous 27 values of x0: any 0 in that window keeps feeding
    # zeros, so only all-ones and all-zeros are attractors, and all-ones has no other
    # predecessor than itself (a predecessor must hold 1 at x0..x26 and at x1..x27).
    net = _shift_register(28, lambda xs: reduce(ALGEBRA.AND, xs))
    res = symbolic_sync_attractors(net)
    assert [(res.strings(c), c.basin) for c in res.cycles] == [(["0" * 28], 2 ** 28 - 1), (["1" * 28], 1)]


def test_wide_rule_agrees_with_the_explicit_engine():
    # x0 reads 15 regulators: "some neighbour pair is 1 then 0"
    net = _shift_register(16, lambda xs: reduce(ALGEBRA.OR, [ALGEBRA.AND(a, ALGEBRA.NOT(b)) for a, b in
                                                           zip(xs, xs[1:])]))
    res = symbolic_sync_attractors(net)
    aset = find_attractors(net)
    assert [(c.states, c.basin) for c in res.cycles] == [(a.states, a.basin) for a in aset]


@pytest.mark.parametrize("rules", ["A* = not A", "A* = A\nB* = A and B\nC* = not C and B"])
def test_fixed_nodes_count_in_no_basin(rules):
    net = Network.from_rules(rules).fix({"A": 1})
    res = symbolic_sync_attractors(net)
    assert sum(c.basin for c in res.cycles) == res.n_states == 2 ** (net.n_nodes - 1)


def test_the_sat_step_and_the_pace_over_inputs_stop_at_the_time_limit():
    # bbm277 (hypoxia and mechanosensing, 165 nodes): with its 7 inputs at 0, the
    # reduction leaves 3 new inputs; proving that no attractor is missing takes
    # unrolling 32 steps in some of their 8 combinations.  The search stops at its
    # time limit inside the SAT step, or earlier when its pace shows it cannot end in
    # time; either way with a clear error naming what helps.
    from logicnet.errors import ResourceLimitError

    from .corpus import MODELS, quiet_read

    path = MODELS / "bbm277_hypoxia_and_mechanosensing_in_metastasis.bnet"
    if not path.is_file():
        pytest.skip("../shared/models is not present")
    net = quiet_read(path)
    net = net.fix({x: 0 for x in net.inputs})
    with pytest.raises(ResourceLimitError) as info:
        symbolic_sync_attractors(net, timeout=2.0)
    msg = str(info.value)
    assert "time limit" in msg and "more time" in info.value.advice and "fix inputs" in info.value.advice
