"""logicnet.control against the brute-force reference (tests/control_naive.py): every
perturbation of size <= K tried on the explicit state graph of random networks, for every
goal, hold and update scheme control answers (control.md 4.10, A7)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import logicnet
from logicnet.io import read_network

from logicnet.phenotype import Phenotype

from .control_naive import (GOALS, Question, _perturbations, brute_force_control, brute_force_sequences, clamps,
                            minimal, working_sets, works)
from .test_screen import _naive_score
from .strategies import fixes, networks

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SCHEMES = ("asynchronous", "synchronous", "most_permissive")


@st.composite
def questions(draw, max_nodes: int = 8, min_nodes: int = 2, max_targets: int = 5):
    """A network, a condition, a phenotype over one or two nodes, candidate nodes and K."""
    net = draw(networks(max_nodes=max_nodes, min_nodes=min_nodes))
    fix = draw(fixes(net, max_size=1))
    free = [n for n in net.nodes if n not in fix]
    assume(free)
    terms = [(n if draw(st.booleans()) else f"not {n}") for n in
             draw(st.lists(st.sampled_from(net.nodes), min_size=1, max_size=2, unique=True))]
    phenotype = f" {draw(st.sampled_from(['and', 'or']))} ".join(terms)
    targets = draw(st.lists(st.sampled_from(free), min_size=1, max_size=max_targets, unique=True))
    max_size = draw(st.integers(1, min(3, len(targets))))
    return net, fix, phenotype, targets, max_size


def literals(targets) -> list[tuple[str, int]]:
    return [(n, v) for n in targets for v in (0, 1)]


def listed(res) -> set[frozenset]:
    """The sets control lists; the empty set when it says none is needed."""
    got = {frozenset(s.perturbation.items()) for s in res}
    if not got and res.none_possible.startswith("no perturbation is needed"):
        return {frozenset()}
    return got


def control(net, fix, phenotype, targets, max_size, **kw):
    return logicnet.control(net, phenotype=f"p={phenotype}", fix=fix, targets=targets, max_size=max_size,
                            allow_phenotype_nodes=True, near_misses=0, explain=False, **kw)


def check_verdicts(res, net, fix, phenotype, **question):
    """Each verdict a listed set carries is the reference's answer for that scheme."""
    for s in res:
        for scheme, verdict in s.verdicts.items():
            if verdict is not None:
                assert verdict == works(net, phenotype, s.perturbation.items(), update=scheme, fixed=fix,
                                        **question), (s.perturbation, scheme)


@settings(max_examples=150, **SETTINGS)
@given(questions(), st.sampled_from(SCHEMES), st.sampled_from(GOALS))
def test_permanent_control_from_every_state_equals_brute_force(q, update, goal):
    net, fix, phenotype, targets, k = q
    res = control(net, fix, phenotype, targets, k, update=update, goal=goal, verdicts="all")
    want = brute_force_control(net, phenotype, literals(targets), k, goal=goal, update=update, fixed=fix)
    assert listed(res) == want
    assert res.complete
    assert res.checked <= 1 + sum(math.comb(len(literals(targets)), size) for size in range(1, k + 1))
    if frozenset() not in want:
        assert res.counts == {size: sum(len(p) == size for p in want) for size in range(1, k + 1)}
    check_verdicts(res, net, fix, phenotype, goal=goal)


@settings(max_examples=60, **SETTINGS)
@given(questions(), st.sampled_from(SCHEMES), st.sampled_from(GOALS))
def test_checking_a_random_sample_of_each_size_first_finds_the_same_sets(q, update, goal):
    """Each size with more than two sets left checks two of them, drawn at random, before
    clingo's order (the sample a size's estimate is made from): the sets are brute force's."""
    from unittest import mock

    from logicnet import controlling

    net, fix, phenotype, targets, k = q
    with mock.patch.object(controlling, "PILOT_CHECKS", 2):
        res = control(net, fix, phenotype, targets, k, update=update, goal=goal)
    assert listed(res) == brute_force_control(net, phenotype, literals(targets), k, goal=goal, update=update,
                                              fixed=fix)


@settings(max_examples=40, **SETTINGS)
@given(questions(max_nodes=7), st.sampled_from(GOALS))
def test_update_all_lists_the_sets_that_work_under_the_three_schemes(q, goal):
    net, fix, phenotype, targets, k = q
    res = control(net, fix, phenotype, targets, k, update="all", goal=goal)
    per_scheme = [working_sets(net, phenotype, literals(targets), k, goal=goal, update=u, fixed=fix)
                  for u in SCHEMES]
    together = {size: set.intersection(*(w[size] for w in per_scheme)) for size in range(k + 1)}
    assert listed(res) == minimal(together)
    for s in res:
        assert all(s.verdicts[u] for u in SCHEMES)
    # each set is checked once at most (the empty set first)
    assert res.checked <= 1 + sum(math.comb(len(literals(targets)), size) for size in range(1, k + 1))


@settings(max_examples=40, **SETTINGS)
@given(questions(max_nodes=7), st.sampled_from(["asynchronous", "synchronous"]), st.sampled_from(GOALS))
def test_all_sets_counts_every_working_set(q, update, goal):
    # AEON's --all-sets counts: supersets of minimal sets included
    net, fix, phenotype, targets, k = q
    res = control(net, fix, phenotype, targets, k, update=update, goal=goal, all_sets=True)
    found = working_sets(net, phenotype, literals(targets), k, goal=goal, update=update, fixed=fix)
    assume(not found[0])
    assert res.working_counts == {size: len(found[size]) for size in range(1, k + 1)}


@st.composite
def sources(draw, net, fix):
    """"attractors", one state, two states, or a subspace (the condition's nodes at their value)."""
    kind = draw(st.sampled_from(["attractors", "state", "states", "subspace"]))
    if kind == "attractors":
        return "attractors"
    if kind == "subspace":
        nodes = draw(st.lists(st.sampled_from(net.nodes), unique=True))
        return {n: fix.get(n, draw(st.integers(0, 1))) for n in nodes}
    states = [{n: fix.get(n, draw(st.integers(0, 1))) for n in net.nodes}
              for _ in range(1 if kind == "state" else 2)]
    return states[0] if kind == "state" else states


@settings(max_examples=150, **SETTINGS)
@given(st.data(), st.sampled_from(["asynchronous", "synchronous"]), st.sampled_from(GOALS),
       st.sampled_from(["permanent", "temporary", "one-step"]))
def test_holds_from_given_initial_states_equal_brute_force(data, update, goal, hold):
    net, fix, phenotype, targets, k = data.draw(questions(max_nodes=7))
    source = data.draw(sources(net, fix))
    res = control(net, fix, phenotype, targets, k, update=update, goal=goal, hold=hold, source=source)
    question = dict(goal=goal, hold=hold, source=source)
    want = brute_force_control(net, phenotype, literals(targets), k, update=update, fixed=fix, **question)
    assert listed(res) == want
    assert res.complete
    for s in res:
        for scheme in ("asynchronous", "synchronous"):
            if s.verdicts.get(scheme) is not None:
                assert s.verdicts[scheme] == works(net, phenotype, s.perturbation.items(), update=scheme,
                                                   fixed=fix, **question)


@settings(max_examples=40, **SETTINGS)
@given(st.data(), st.sampled_from(["permanent", "temporary"]))
def test_without_clamps_is_the_search_over_the_other_literals(data, hold):
    # CABEAN does not count a literal that keeps a node at its value in the source state
    net, fix, phenotype, targets, k = data.draw(questions(max_nodes=6))
    state = {n: fix.get(n, data.draw(st.integers(0, 1))) for n in net.nodes}
    res = control(net, fix, phenotype, targets, k, hold=hold, source=state, clamp=False)
    cands = [c for c in literals(targets) if c not in clamps(literals(targets), state)]
    want = brute_force_control(net, phenotype, cands, k, hold=hold, source=state, fixed=fix)
    assert listed(res) == want


@settings(max_examples=20, **SETTINGS)
@given(questions(max_nodes=10, min_nodes=9, max_targets=4), st.sampled_from(["asynchronous", "synchronous"]),
       st.sampled_from(GOALS))
def test_networks_of_nine_and_ten_nodes(q, update, goal):
    net, fix, phenotype, targets, k = q
    res = control(net, fix, phenotype, targets, k, update=update, goal=goal)
    assert listed(res) == brute_force_control(net, phenotype, literals(targets), k, goal=goal, update=update,
                                              fixed=fix)


@pytest.mark.parametrize("rules,phenotype,target", [("x0* = x0\nx1* = x1", "not x0", "x0"),
                                                    ("x0* = x1\nx1* = 0", "x0", "x1")])
def test_all_sets_counts_literals_on_any_given_target(rules, phenotype, target):
    net = logicnet.Network.from_rules(rules)
    res = control(net, {}, phenotype, [target], 1, all_sets=True)
    assert [s.label for s in res] == [f"{target} {'KO' if 'not' in phenotype else 'OE'}"]
    assert res.working_counts == {1: 1}


@pytest.mark.parametrize("hold", ["permanent", "temporary"])
def test_a_given_state_receives_the_perturbation_at_once(hold):
    # AEON 1.4.2 Control.attractor_permanent / attractor_temporary from a = b = 0 to the
    # fixed point a = 0, b = 1 both return {b = 1}: b is set at once, a stays off.  Read as
    # Reach(N/P, I), a may switch on before b does, and nothing works.
    net = logicnet.Network.from_rules("a* = a or not b\nb* = b")
    res = logicnet.control(net, phenotype="p=not a and b", source={"a": 0, "b": 0}, targets=["b"],
                           hold=hold, max_size=1, allow_phenotype_nodes=True)
    assert listed(res) == {frozenset({("b", 1)})}


# --- the two published cases, through the real API, against the reference --------------

TOY = logicnet.Network.from_rules("A* = 1\nB* = A and not C\nC* = B or C\nD* = not C and E\nE* = D or A\n"
                                  "P* = D and not B")


@pytest.mark.parametrize("update", SCHEMES)
@pytest.mark.parametrize("goal", GOALS)
def test_toy_network_equals_brute_force(update, goal):
    res = control(TOY, {"A": 1}, "P", list("BCDE"), 3, update=update, goal=goal)
    assert listed(res) == brute_force_control(TOY, "P", literals("BCDE"), 3, update=update, goal=goal,
                                              fixed={"A": 1})


MYELOID = read_network("myeloid")
A4 = dict(zip(MYELOID.nodes, (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0)))  # monocyte (CABEAN's numbering)
A5 = dict(zip(MYELOID.nodes, (0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0)))  # megakaryocyte
MONOCYTE = " and ".join(n if A4[n] else f"not {n}" for n in MYELOID.nodes)


@pytest.mark.parametrize("hold,k", [("one-step", 5), ("temporary", 3), ("permanent", 3)])
def test_myeloid_from_megakaryocyte_to_monocyte_equals_brute_force(hold, k):
    nodes = list(MYELOID.nodes)
    cands = literals(nodes)
    if hold == "one-step":  # clamps never help once; leaving them out keeps the reference fast
        cands = [c for c in cands if c not in clamps(cands, A5)]
    res = control(MYELOID, {}, MONOCYTE, nodes, k, hold=hold, source=A5)
    assert listed(res) == brute_force_control(MYELOID, MONOCYTE, cands, k, hold=hold, source=A5)
    assert len(res) == (1 if hold == "one-step" else 4)


@settings(max_examples=80, **SETTINGS)
@given(questions(max_nodes=7), st.sampled_from(["asynchronous", "synchronous"]),
       st.sampled_from([0.25, 0.5, 0.75, 1.0]))
def test_share_goal_equals_brute_force_over_the_screens_score(q, update, x):
    """``share:X``: the listed sets are the subset-minimal perturbations whose screen score
    (computed by the naive scorer of tests/test_screen.py on the explicit state graph)
    reaches X; the score is not monotone in the set, so no cut may be taken."""
    net, fix, phenotype, targets, k = q
    phen = Phenotype.parse("p", phenotype)
    found: dict[int, set] = {size: set() for size in range(k + 1)}
    for p in _perturbations(literals(targets), k):
        if _naive_score(net.fix({**fix, **dict(p)}), phen, update) >= x - 1e-12:
            found[len(p)].add(p)
    res = control(net, fix, phenotype, targets, k, update=update, goal=f"share:{x}")
    assert listed(res) == minimal(found)
    assert res.complete
    assert res.question["goal"] == f"share:{x:g}"


def listed_sequences(res) -> set[tuple]:
    got = {tuple(frozenset(x.items()) for x in s.steps) for s in res}
    if not got and res.none_possible.startswith("no perturbation is needed"):
        return {()}
    return got


@settings(max_examples=80, **SETTINGS)
@given(st.data(), st.sampled_from(["asynchronous", "synchronous", "all"]), st.sampled_from(GOALS),
       st.integers(1, 3))
def test_sequential_control_equals_brute_force(data, update, goal, max_steps):
    """Sequences of temporary steps (tests/control_naive.py ``brute_force_sequences``), from
    every state, the untreated attractors or given states; with one step it is the temporary
    hold."""
    net, fix, phenotype, targets, k = data.draw(questions(max_nodes=6, max_targets=4))
    source = data.draw(st.one_of(st.just("all"), sources(net, fix)))
    res = control(net, fix, phenotype, targets, k, update=update, goal=goal, hold="sequential", source=source,
                  max_steps=max_steps, verdicts="all")
    schemes = ["asynchronous", "synchronous"] if update == "all" else update
    want = brute_force_sequences(net, phenotype, literals(targets), k, max_steps, goal=goal, update=schemes,
                                 fixed=fix, source=source)
    assert listed_sequences(res) == want
    assert res.complete
    for s in res:  # each verdict is the reference's (a sequence is verified under both schemes)
        steps = tuple(frozenset(x.items()) for x in s.steps)
        for u in ("asynchronous", "synchronous"):
            q = Question(net, phenotype, goal=goal, hold="temporary", update=u, fixed=fix, source=source)
            assert s.verdicts[u] == q.holds(q.sequence_attractors(steps)), (steps, u)
    if max_steps == 1 and update != "all":
        temporary = listed(control(net, fix, phenotype, targets, k, update=update, goal=goal, hold="temporary",
                                   source=source))
        assert listed_sequences(res) == {(p,) if p else () for p in temporary}


@settings(max_examples=30, **SETTINGS)
@given(st.data(), st.sampled_from(["asynchronous", "synchronous"]), st.sampled_from(GOALS))
def test_sequential_control_on_decision_diagrams_equals_brute_force(data, update, goal):
    """The same sequences when the steps run on decision diagrams (forced: no state-by-state limit)."""
    from unittest import mock

    import logicnet.engine.control as engine_control

    net, fix, phenotype, targets, k = data.draw(questions(max_nodes=6, max_targets=3))
    source = data.draw(st.one_of(st.just("all"), sources(net, fix)))
    with mock.patch.object(engine_control, "MAX_STATE_VARIABLES", 0):
        res = control(net, fix, phenotype, targets, k, update=update, goal=goal, hold="sequential", source=source,
                      max_steps=2)
    want = brute_force_sequences(net, phenotype, literals(targets), k, 2, goal=goal, update=update, fixed=fix,
                                 source=source)
    assert listed_sequences(res) == want
