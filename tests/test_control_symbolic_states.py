"""Control from given initial states and with holds, on decision diagrams
(:class:`logicnet.engine.control.SymbolicStateControl`), against the integer state sets of
:class:`~logicnet.engine.control.StateSpaceControl` (itself checked against brute force in
test_control_properties.py): the same answer for every goal, hold, scheme, source and
perturbation of random networks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet.engine.control import StateSpaceControl, SymbolicStateControl
from logicnet.expr import parse_expression

from .strategies import networks

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def questions(draw):
    net = draw(networks(max_nodes=7, min_nodes=2))
    terms = [(n if draw(st.booleans()) else f"not {n}") for n in
             draw(st.lists(st.sampled_from(net.nodes), min_size=1, max_size=2, unique=True))]
    phenotype = parse_expression(f" {draw(st.sampled_from(['and', 'or']))} ".join(terms))
    kind = draw(st.sampled_from(["all", "attractors", "states"]))
    if kind == "states":
        source = [{n: draw(st.integers(0, 1)) for n in net.nodes if draw(st.integers(0, 3))}
                  for _ in range(draw(st.integers(1, 2)))]
    else:
        source = kind
    perts = draw(st.lists(st.lists(st.tuples(st.integers(0, len(net.nodes) - 1), st.integers(0, 1)),
                                   max_size=2, unique_by=lambda x: x[0]), min_size=1, max_size=4))
    return net, phenotype, source, [tuple(p) for p in perts]


@settings(max_examples=200, **SETTINGS)
@given(questions(), st.sampled_from(["robust", "touch", "reachable"]),
       st.sampled_from(["permanent", "temporary", "one-step"]), st.sampled_from(["asynchronous", "synchronous"]))
def test_symbolic_holds_equal_the_state_sets(q, goal, hold, update):
    net, phenotype, source, perts = q
    explicit = StateSpaceControl(net, phenotype, goal, hold, source)
    symbolic = SymbolicStateControl(net, phenotype, goal, hold, source)
    for p in perts:
        assert symbolic.works(p, update) == explicit.works(p, update), (p, source)


def test_a_released_cell_that_can_still_fall_either_way_is_not_controlled():
    """C OE holds A and B off; released, C decays and A and B race: the cell may end in
    A=0, B=1, outside the phenotype, so a temporary C OE fails, while A OE (or B KO)
    held until the cell settles leaves it in A=1, B=0 for good."""
    from logicnet import Network

    net = Network.from_rules("A* = not B and not C\nB* = not A and not C\nC* = 0")
    for cls in (StateSpaceControl, SymbolicStateControl):
        sc = cls(net, parse_expression("A"), "robust", "temporary", "all")
        assert [sc.works(p, "asynchronous") for p in (((2, 1),), ((0, 1),), ((1, 0),))] == [False, True, True]
