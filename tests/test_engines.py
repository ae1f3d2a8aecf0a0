"""One conformance battery for every registered engine (logicnet.engine.REGISTRY).

Each engine whose ``cost()`` accepts a drawn network (up to 12 nodes, both update
schemes, with inputs, constants, fixed nodes and wide rules) must agree with the naive
reference simulator (tests/naive.py) on the attractors, their kinds, sizes,
subspaces, basins and phenotype shares, and on screen scores; it must be
deterministic and its answer must pickle.  The way scikit-learn's
``parametrize_with_checks`` runs every estimator through the same checks.

A toy engine (brute force over every state, below) is registered by one line to show
what adding an engine takes: one module, one registry line.
"""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import logicnet.engine as engine
from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.engine import Attractor, Found, Question, choose
from logicnet.expr import evaluate, parse_expression
from logicnet.phenotype import Phenotype

from . import naive
from .strategies import fixes, networks
from .test_attractors import _naive_sync_restricted
from .test_screen import _naive_score

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


class ToyEngine:
    """Brute force over every state with the naive simulator: the smallest engine there is."""

    def cost(self, q):
        if q.task != "attractors" or q.network.n_nodes > 10:
            return None
        return q.network.n_nodes

    def attractors(self, q):
        net = q.network
        free = net.n_nodes - len(net.constants)
        if q.update == "synchronous":
            found = _naive_sync_restricted(net)
            kind = "cycle"
        else:
            found = {a: None for a in naive.async_attractors(net)}
            kind = "complex"
        atts = []
        for states, basin in found.items():
            strings = sorted("".join(str((c >> i) & 1) for i in range(net.n_nodes)) for c in states)
            codes = tuple(int(s[::-1], 2) for s in strings)
            if q.update == "synchronous" and len(codes) > 1:  # trajectory order from the smallest
                step = {c: naive.encode(net, naive.sync_successor(net, naive.decode(net, c))) for c in codes}
                codes = [codes[0]]
                while len(codes) < len(states):
                    codes.append(step[codes[-1]])
                codes = tuple(codes)
            basin = basin if q.basins else None
            share = None if basin is None else basin / 2 ** free
            atts.append((strings[0], Attractor(codes, "fixed" if len(codes) == 1 else kind, basin, share,
                                               n_nodes=net.n_nodes)))
        atts.sort(key=lambda t: t[0])
        return Found(tuple(a for _, a in atts), 2 ** free if q.update == "synchronous" and q.basins else None)

    def score(self, q, phenotype):  # pragma: no cover - cost() is None for scores
        raise NotImplementedError


TOY = ("explicit", ("synchronous", "asynchronous"), "tests.test_engines:ToyEngine")  # the one registry line
ENGINES = [pytest.param(path, update, id=f"{path.rsplit(':', 1)[1]}-{update}")
           for _, updates, path in engine.REGISTRY + (TOY,) for update in updates]


@st.composite
def _networks(draw):
    """Networks of up to 12 nodes; some with one wide rule (half the nodes or more)."""
    net = draw(networks(max_nodes=12, max_k=4))
    if draw(st.booleans()) and net.n_nodes >= 4:
        from logicnet import Network

        wide = draw(st.sampled_from(net.nodes))
        regs = draw(st.lists(st.sampled_from(net.nodes), min_size=net.n_nodes // 2, unique=True))
        rule = " or ".join(f"({a} and not {b})" for a, b in zip(regs, regs[1:] + regs[:1]))
        rules = dict(net.rules)
        rules[wide] = parse_expression(rule)
        net = Network(net.nodes, rules)
    return net.fix(draw(fixes(net)))


def _name_of(path: str) -> str:
    return next(name for name, _, p in engine.REGISTRY if p == path)


def _space(codes, n):
    return "".join("1" if all((c >> i) & 1 for c in codes) else "0" if not any((c >> i) & 1 for c in codes)
                   else "*" for i in range(n))


def _naive_answer(net, update):
    """{frozenset of states: basin (synchronous) or None}."""
    if update == "synchronous":
        return _naive_sync_restricted(net)
    return {a: None for a in naive.async_attractors(net)}


def _share(net, states, expression):
    return float(Fraction(sum(evaluate(expression, naive.decode(net, c)) for c in states), len(states)))


@pytest.mark.parametrize("path, update", ENGINES)
@SETTINGS
@given(data=st.data())
def test_engine_agrees_with_the_naive_simulator(path, update, data):
    eng = engine._load(path)
    net = data.draw(_networks())
    q = Question(net, update, max_states=1 << 12)
    assume(eng.cost(q) is not None)
    found = eng.attractors(q)
    truth = _naive_answer(net, update)
    assert found.complete
    assert {frozenset(a.states): a.basin for a in found.attractors} == \
        (truth if update == "synchronous" else {a: None for a in truth})
    for a in found.attractors:
        assert a.kind == ("fixed" if a.size == 1 else "cycle" if update == "synchronous" else "complex")
        strings = ["".join(str((c >> i) & 1) for i in range(net.n_nodes)) for c in a.states]
        if a.kind == "cycle":  # trajectory order from the smallest state
            assert strings[0] == min(strings)
            step = naive.sync_successor
            assert all(naive.encode(net, step(net, naive.decode(net, x))) == y
                       for x, y in zip(a.states, a.states[1:] + a.states[:1]))
        else:
            assert strings == sorted(strings)
    keys = [min("".join(str((c >> i) & 1) for i in range(net.n_nodes)) for c in a.states) for a in found.attractors]
    assert keys == sorted(keys)
    if update == "synchronous" and found.n_states is not None:
        assert found.n_states == 2 ** (net.n_nodes - len(net.constants))
        assert all(a.basin_share == a.basin / found.n_states for a in found.attractors)
    # deterministic
    again = eng.attractors(Question(net, update, max_states=1 << 12))
    assert again.attractors == found.attractors
    # without basins: the same attractors
    if update == "synchronous":
        bare = Question(net, update, basins=False, max_states=1 << 12)
        if eng.cost(bare) is not None:
            assert [(a.states, a.basin) for a in eng.attractors(bare).attractors] == \
                [(a.states, None) for a in found.attractors]


@pytest.mark.parametrize("path, update", ENGINES)
@SETTINGS
@given(data=st.data())
def test_unlisted_attractors_keep_exact_sizes_subspaces_and_shares_and_pickle(path, update, data):
    eng = engine._load(path)
    net = data.draw(_networks())
    assume(net.n_nodes <= 9)
    q = Question(net, update, max_states=1)
    assume(eng.cost(q) is not None)
    found = pickle.loads(pickle.dumps(eng.attractors(q)))
    truth = sorted(_naive_answer(net, update), key=lambda a: min(
        "".join(str((c >> i) & 1) for i in range(net.n_nodes)) for c in a))
    assert [a.size for a in found.attractors] == [len(a) for a in truth]
    x = net.nodes[data.draw(st.integers(0, net.n_nodes - 1))]
    expression = parse_expression(f"{x} or not {net.nodes[0]}")
    for i, (a, states) in enumerate(zip(found.attractors, truth)):
        if a.states is None:
            assert a.subspace == _space(states, net.n_nodes)
            assert found.shares.share(i, expression) == _share(net, states, expression)
        else:
            assert set(a.states) == set(states)
    # and the same through find_attractors, activity included, after pickling
    if type(eng).__name__ != "ToyEngine":
        aset = pickle.loads(pickle.dumps(find_attractors(net, update=update, engine=_name_of(path), max_states=1)))
        assert [a.size for a in aset] == [len(a) for a in truth]
        for a, states in zip(aset, truth):
            assert aset.activity(a) == {x: _share(net, states, parse_expression(x)) for x in net.nodes}


def _scores(path: str, update: str) -> bool:
    """Whether the engine scores screen conditions (asked on a one-node restriction)."""
    from logicnet import Network
    from logicnet.engine.tables import TableNetwork

    r = TableNetwork(Network.from_rules("A* = not A")).restrict({})
    return engine._load(path).cost(Question(r, update, task="score")) is not None


SCORERS = [p for p in ENGINES if _scores(*p.values)]


def test_every_engine_of_the_registry_but_the_integer_sets_scores():
    assert sorted(p.id for p in SCORERS) == sorted(p.id for p in ENGINES if "Toy" not in p.id
                                                   and "Bitset" not in p.id)


@pytest.mark.parametrize("path, update", SCORERS)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_engine_scores_agree_with_the_naive_score(path, update, data):
    from logicnet.engine.tables import PhenotypeTable, TableNetwork

    eng = engine._load(path)
    net = data.draw(networks(max_nodes=8, max_k=3))
    fix = data.draw(fixes(net))
    a, b = data.draw(st.sampled_from(net.nodes)), data.draw(st.sampled_from(net.nodes))
    phen = Phenotype.parse("p", f"{a} or not {b}")
    tn = TableNetwork(net)
    r = tn.restrict(fix)
    q = Question(r, update, task="score")
    assume(r.n_free > 0 and eng.cost(q) is not None)
    got = eng.score(q, PhenotypeTable(phen.expression, tn))
    assert got.score == pytest.approx(_naive_score(net.fix(fix), phen, update))
    assert pickle.loads(pickle.dumps(got)) == got


def test_the_toy_engine_is_one_registry_line(monkeypatch):
    from logicnet import Network

    monkeypatch.setattr(engine, "REGISTRY", (TOY,) + engine.REGISTRY)
    net = Network.from_rules("A* = not B\nB* = A\nC* = C")
    assert type(choose(Question(net, "synchronous")).engine).__name__ == "ToyEngine"
    toy = find_attractors(net)
    monkeypatch.undo()
    assert find_attractors(net) == toy and toy.engine == "explicit"


def test_auto_falls_through_instead_of_refusing():
    """28 variables, one rule reading the 27 others (beyond truth tables): the explicit
    engines cannot answer, the default engine still does (by hand: every x follows y,
    y is the AND of the x; see tests/test_symbolic.py)."""
    from logicnet import Network

    names = [f"x{i}" for i in range(27)]
    net = Network.from_rules("\n".join([f"{x}* = y" for x in names] + ["y* = " + " and ".join(names)]))
    q = Question(net, "synchronous")
    assert choose(q, "symbolic").cost(q) is not None
    with pytest.raises(engine.ResourceLimitError, match="the rule of y reads 27 regulators") as info:
        choose(q, "explicit")
    assert "another engine" in info.value.advice
    aset = find_attractors(net)
    # all-0 and all-1 fixed; the 2-cycle x all 1, y 0 <-> x all 0, y 1.  Basins: y 0 and x not
    # all 1 lead to all-0 (2^27 - 1 states); only all-1 leads to all-1; the rest to the cycle.
    assert [(aset.state_strings(a), a.basin) for a in aset] == [
        (["0" * 28], 2 ** 27 - 1), (["0" * 27 + "1", "1" * 27 + "0"], 2 ** 27), (["1" * 28], 1)]
    assert [aset.state_strings(a) for a in find_attractors(net, update="async")] == [["0" * 28], ["1" * 28]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_auto_policy_follows_the_registry_thresholds(data):
    net = data.draw(networks(max_nodes=12, max_k=4))
    q = Question(net, "asynchronous")
    m = q.reduced(propagate=True, prune_outputs=False).network.n_nodes
    cap = engine.AUTO_MAX_VARIABLES[("attractors", "BitsetEngine", "asynchronous")]
    assert type(choose(q).engine).__name__ == ("BitsetEngine" if m <= cap else "SymbolicAsyncEngine")
    q = Question(net, "synchronous")
    assert type(choose(q).engine).__name__ == "ExplicitSyncEngine"  # at most 12 variables


def test_synchronous_attractors_without_basins_take_the_bdds_above_their_threshold():
    cap = engine.AUTO_MAX_VARIABLES[("attractors without basins", "ExplicitSyncEngine", "synchronous")]
    for n in (cap, cap + 1):
        ring = Network.from_rules("\n".join(f"X{i}* = X{(i - 1) % n}" for i in range(n)))
        with_basins = choose(Question(ring, "synchronous")).engine
        without = choose(Question(ring, "synchronous", basins=False)).engine
        assert type(with_basins).__name__ == "ExplicitSyncEngine"
        assert type(without).__name__ == ("ExplicitSyncEngine" if n <= cap else "SymbolicSyncEngine")


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_pruned_reduction_of_a_question_equals_reduce_network(data):
    """Question.reduced derives the pruned kind from the unpruned one (the propagation
    shared); it must be exactly what reduce_network gives in one go."""
    from logicnet.reduce import reduce_network

    net = data.draw(networks(max_nodes=10, max_k=4))
    net = net.fix(data.draw(fixes(net)))
    q = Question(net, "asynchronous")
    q.reduced(propagate=True, prune_outputs=False)
    got, want = q.reduced(propagate=True, prune_outputs=True), reduce_network(net)
    assert got.network.nodes == want.network.nodes
    assert {x: str(r) for x, r in got.network.rules.items()} == {x: str(r) for x, r in want.network.rules.items()}
    assert got.lift == want.lift
