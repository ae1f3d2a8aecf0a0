"""The brute-force control reference (tests/control_naive.py) against answers known
independently: worked by hand on 2-6 node networks, and recorded from AEON, CABEAN and
neet on the myeloid differentiation model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.io import read_network
from logicnet.io.bnet import parse_bnet
from logicnet.trapspaces import trap_spaces

from . import naive
from .control_naive import (Question, brute_force_control, clamps, minimal, minimal_trap_spaces,
                            working_sets, works)
from .strategies import networks


def sets(*perturbations: dict) -> set[frozenset]:
    """Perturbations written as dicts, as the reference returns them."""
    return {frozenset(p.items()) for p in perturbations}


def literals(nodes, values=(0, 1)) -> list[tuple[str, int]]:
    return [(n, v) for n in nodes for v in values]


# --- control.md 3.4: the toy network that separates the tools ---------------------------

TOY = Network.from_rules("A* = 1\nB* = A and not C\nC* = B or C\nD* = not C and E\n"
                         "E* = D or A\nP* = D and not B")


@pytest.mark.parametrize("update", ["asynchronous", "most_permissive"])
def test_toy_network_of_control_md(update):
    # AEON phenotype control, BoNesis P3 and ActoNet: {D = 1}, {B = 0, C = 0}; A not perturbable
    found = brute_force_control(TOY, "P", literals("BCDE"), 3, update=update)
    assert found == sets({"D": 1}, {"B": 0, "C": 0})


def test_toy_network_d_on_works_only_through_c_switching_on():
    # D = 1 does not decide P by percolation: B = not C stays open until C, pushed on by B,
    # turns on and holds B off.  With C held off, B stays on and P off.
    q = Question(TOY, "P")
    assert not q.works([])
    assert q.works([("D", 1)])
    assert not q.works([("D", 1), ("C", 0)])
    assert not q.works([("B", 0)]) and not q.works([("C", 0)])


# --- 2-3 node networks worked by hand ----------------------------------------------------

def test_async_sync_and_most_permissive_differ():
    # A* = B* = not A and not B: async attractor {00, 10, 01} (11 is transient: it leaves
    # to 01 or 10); sync cycle 00 <-> 11; the only trap space is the whole space.
    net = Network.from_rules("A* = not A and not B\nB* = not A and not B")
    phenotype = "not (A and B)"
    cands = literals("AB")
    assert brute_force_control(net, phenotype, cands, 2, update="asynchronous") == {frozenset()}
    singles = sets({"A": 0}, {"A": 1}, {"B": 0}, {"B": 1})
    assert brute_force_control(net, phenotype, cands, 2, update="synchronous") == singles
    assert brute_force_control(net, phenotype, cands, 2, update="most_permissive") == singles
    # the sync cycle meets the phenotype (in 00), so "touch" holds untreated
    assert brute_force_control(net, phenotype, cands, 2, update="synchronous", goal="touch") == {frozenset()}


def test_temporary_needs_the_switch_permanent_does_not():
    # A follows the memory S: holding A on works only while held; switching S on is remembered
    net = Network.from_rules("A* = S\nS* = S")
    cands = literals("AS", (1,))
    assert brute_force_control(net, "A", cands, 2) == sets({"A": 1}, {"S": 1})
    assert brute_force_control(net, "A", cands, 2, hold="temporary") == sets({"S": 1})
    assert brute_force_control(net, "A", cands, 2, hold="one-step", source={"A": 0, "S": 0}) == sets({"S": 1})
    for update in ("asynchronous", "synchronous"):
        assert works(net, "A", [("A", 1)], update=update)
        assert not works(net, "A", [("A", 1)], update=update, hold="temporary")


def test_robust_touch_and_reachable():
    # x oscillates (async attractor {x=0, x=1} for each y); y is a memory
    net = Network.from_rules("x* = not x\ny* = y")
    assert brute_force_control(net, "x", literals("x"), 1) == sets({"x": 1})
    assert brute_force_control(net, "x", literals("x"), 1, goal="touch") == {frozenset()}
    assert brute_force_control(net, "y", literals("y"), 1) == sets({"y": 1})
    # some attractor (y = 1) satisfies y from all states, none from a state with y = 0
    assert brute_force_control(net, "y", literals("y"), 1, goal="reachable") == {frozenset()}
    start = {"x": 0, "y": 0}
    assert brute_force_control(net, "y", literals("y"), 1, goal="reachable", source=start) == sets({"y": 1})


def test_the_perturbation_takes_effect_at_once():
    # AEON and CABEAN apply P to the source state (s[P]) before the network moves: from
    # a = b = 0 with b set to 1, a stays off.  Had b to wait for its turn, a could switch
    # on first (a* = a or not b) and stay on.
    net = Network.from_rules("a* = a or not b\nb* = b")
    start = {"a": 0, "b": 0}
    assert not works(net, "not a", [], source=start)
    assert brute_force_control(net, "not a", literals("b"), 1, source=start) == sets({"b": 1})
    assert brute_force_control(net, "not a", literals("ab"), 1, source=start) == sets({"a": 0}, {"b": 1})


def test_condition_fixes_nodes_and_restricts_initial_states():
    # with S fixed at 0 the memory cannot help; A must be held
    net = Network.from_rules("A* = S\nS* = S")
    assert brute_force_control(net, "A", literals("A", (1,)), 1, fixed={"S": 0}) == sets({"A": 1})
    assert brute_force_control(net, "A", [], 1, fixed={"S": 1}) == {frozenset()}
    with pytest.raises(ValueError):
        brute_force_control(net, "A", literals("S"), 1, fixed={"S": 0})


def test_a_partial_state_is_a_subspace():
    net = Network.from_rules("A* = A\nB* = A")
    assert Question(net, "B", source={"A": 1}).initial == {1, 3}
    assert Question(net, "B", source=[{"A": 0, "B": 1}, {"B": 0}]).initial == {2, 0, 1}
    # from A = 1 nothing is needed; from B = 0 alone, A must be switched on
    assert brute_force_control(net, "B", literals("AB"), 1, source={"A": 1}) == {frozenset()}
    assert brute_force_control(net, "B", literals("AB"), 1, source={"B": 0}) == sets({"A": 1}, {"B": 1})
    with pytest.raises(ValueError):
        Question(net, "B", source={"C": 1})


def test_source_attractors_are_the_untreated_attractors():
    # attractors of A* = A, B* = A: 00 and 11; from them, B = 1 needs A on
    net = Network.from_rules("A* = A\nB* = A")
    q = Question(net, "B", source="attractors")
    assert q.initial == {0, 3}
    assert brute_force_control(net, "B", literals("AB"), 1, source="attractors") == sets({"A": 1}, {"B": 1})
    assert brute_force_control(net, "B", literals("AB"), 1, source="attractors",
                               hold="temporary") == sets({"A": 1})


def test_most_permissive_by_brute_force_matches_a_hand_count():
    # A* = A, B* = not B (bit 0 = A): A fixed, B free
    assert minimal_trap_spaces([2, 3, 0, 1], 2) == [(1, 0), (1, 1)]
    with pytest.raises(ValueError):
        Question(Network.from_rules("A* = A"), "A", update="most_permissive", hold="temporary")


# --- biodivine-aeon's answers on random networks (recorded) ------------------------------

AEON_CASES = json.loads((Path(__file__).parent / "data" / "control_aeon_random.json").read_text())["cases"]
AEON_KINDS = {"phenotype_permanent:forbidden": ("robust", "permanent"),
              "phenotype_permanent:allowed": ("touch", "permanent"),
              "attractor_one_step": ("robust", "one-step"), "attractor_temporary": ("robust", "temporary"),
              "attractor_permanent": ("robust", "permanent")}


@pytest.mark.parametrize("case", AEON_CASES, ids=[f"{i}-{c['control']}" for i, c in enumerate(AEON_CASES)])
def test_every_working_set_equals_aeon(case):
    net = parse_bnet(["targets, factors", *case["bnet"]])
    goal, hold = AEON_KINDS[case["control"]]
    if "phenotype" in case:  # from every state, a one-node phenotype
        phenotype, source = " & ".join(n if v else "!" + n for n, v in case["phenotype"].items()), "all"
    else:  # from a source fixed point to a target fixed point
        phenotype = " & ".join(n if v else "!" + n for n, v in case["target"].items())
        source = case["source"]
    found = working_sets(net, phenotype, None, case["max_size"], goal=goal, hold=hold, source=source)
    assert {str(k): sorted(sorted(list(lit) for lit in p) for p in ps) for k, ps in found.items()} == \
        case["working_sets"]


# --- the reference's state graphs against the naive simulator and the trap-space engine --

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=7))
def test_attractors_equal_the_naive_simulator(net):
    q = Question(net, lambda s: True)
    assert q.reach((0, 0), q.initial) == naive.async_attractors(net)
    q = Question(net, lambda s: True, update="synchronous")
    assert q.reach((0, 0), q.initial) == set(naive.sync_attractors(net))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=6))
def test_minimal_trap_spaces_equal_the_trap_space_engine(net):
    q = Question(net, lambda s: True, update="most_permissive")
    mine = {"".join(str(v >> i & 1) if m >> i & 1 else "*" for i in range(net.n_nodes))
            for m, v in minimal_trap_spaces(q.succ, net.n_nodes)}
    assert mine == set(trap_spaces(net))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_perturbation_is_the_network_with_those_rules_fixed(data):
    net = data.draw(networks(max_nodes=6))
    update = data.draw(st.sampled_from(["asynchronous", "synchronous", "most_permissive"]))
    goal = data.draw(st.sampled_from(["robust", "touch", "reachable"]))
    node = data.draw(st.sampled_from(net.nodes))
    p = {node: data.draw(st.integers(0, 1))}
    phenotype = lambda s: s[net.nodes[0]] == 1 or s[net.nodes[-1]] == 0  # noqa: E731
    assert works(net, phenotype, p.items(), update=update, goal=goal) == \
        works(net.fix(p), phenotype, (), update=update, goal=goal)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_listed_sets_are_exactly_the_minimal_working_ones(data):
    net = data.draw(networks(max_nodes=5))
    update = data.draw(st.sampled_from(["asynchronous", "synchronous"]))
    hold = data.draw(st.sampled_from(["permanent", "temporary", "one-step"]))
    q = dict(update=update, hold=hold, goal="robust")
    phenotype = net.nodes[0]
    found = working_sets(net, phenotype, None, 2, **q)
    listed = minimal(found)
    for size, ps in found.items():
        for p in ps:
            assert len(p) == size and works(net, phenotype, p, **q)
            assert any(m <= p for m in listed)
    for p in listed:
        assert all(not works(net, phenotype, p - {lit}, **q) for lit in p) or p == frozenset()


# --- myeloid differentiation (Krumsiek et al. 2011; CABEAN 2.0 user guide, section 5) ----

MYELOID = read_network("myeloid")
# CABEAN's Table 2 (user guide section 5.2): A4 = monocyte, A5 = megakaryocyte, nodes in
# the order GATA2 GATA1 FOG1 EKLF Fli1 SCL CEBPA PU1 cJun EgrNab Gfi1
CABEAN_ATTRACTORS = {
    "A1": "00000000000", "A2": "00000001110", "A3": "00000011001",
    "A4": "00000011110", "A5": "01101100000", "A6": "01110100000",
}
A4 = dict(zip(MYELOID.nodes, map(int, CABEAN_ATTRACTORS["A4"])))
A5 = dict(zip(MYELOID.nodes, map(int, CABEAN_ATTRACTORS["A5"])))
MONOCYTE = " & ".join(n if A4[n] else "!" + n for n in MYELOID.nodes)
ALL = literals(MYELOID.nodes)
NO_CLAMP = [c for c in ALL if c not in clamps(ALL, A5)]


def test_myeloid_has_the_published_attractors():
    assert MYELOID.nodes == ("GATA2", "GATA1", "FOG1", "EKLF", "Fli1", "SCL", "CEBPA", "PU1",
                             "cJun", "EgrNab", "Gfi1")
    published = {naive.encode(MYELOID, dict(zip(MYELOID.nodes, map(int, s))))
                 for s in CABEAN_ATTRACTORS.values()}
    assert naive.async_attractors(MYELOID) == {frozenset({c}) for c in published}
    assert set(naive.fixed_points(MYELOID)) == published
    aset = find_attractors(MYELOID, update="async")
    assert sorted(a.states[0] for a in aset) == sorted(published)
    # neet's README (LogicNetwork.attractors, synchronous, same node order and bit order)
    neet = {frozenset({0}), frozenset({62, 38}), frozenset({46}), frozenset({54}), frozenset({1216}),
            frozenset({1116, 1218}), frozenset({896}), frozenset({960})}
    assert set(naive.sync_attractors(MYELOID)) == neet


def test_myeloid_one_step_from_megakaryocyte_to_monocyte():
    # CABEAN OI (user guide Figure 15) = AEON one-step; a clamp never helps a one-step control
    found = brute_force_control(MYELOID, MONOCYTE, NO_CLAMP, 5, hold="one-step", source=A5)
    assert found == sets({"GATA1": 0, "EgrNab": 1, "CEBPA": 1, "PU1": 1, "cJun": 1})


@pytest.mark.parametrize("hold", ["temporary", "permanent"])
def test_myeloid_temporary_and_permanent_from_megakaryocyte(hold):
    cabean = sets({"EgrNab": 1, "CEBPA": 1, "PU1": 1}, {"GATA1": 0, "EgrNab": 1, "CEBPA": 1})
    # CABEAN OT / OP (Figures 16, 17) do not count clamps: Gfi1 is already 0 in A5
    assert brute_force_control(MYELOID, MONOCYTE, NO_CLAMP, 3, hold=hold, source=A5) == cabean
    assert clamps(ALL, A5) >= {("Gfi1", 0), ("GATA1", 1)}
    # AEON attractor_temporary / attractor_permanent count them (control.md 3.4)
    aeon = cabean | sets({"CEBPA": 1, "PU1": 1, "Gfi1": 0}, {"CEBPA": 1, "GATA1": 0, "Gfi1": 0})
    assert brute_force_control(MYELOID, MONOCYTE, ALL, 3, hold=hold, source=A5) == aeon


@pytest.mark.parametrize("hold", ["permanent", "temporary"])
def test_myeloid_from_all_states(hold):
    # CABEAN TTC to A4 (Figure 21) = AEON phenotype_permanent with phenotype A4
    found = brute_force_control(MYELOID, MONOCYTE, ALL, 3, hold=hold)
    assert found == sets({"EgrNab": 1, "CEBPA": 1, "PU1": 1}, {"CEBPA": 1, "PU1": 1, "Gfi1": 0})
