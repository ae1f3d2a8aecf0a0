"""Screens, reports and checks on a plain network file: targets, budgets, results, progress.

Scores are checked against the brute-force score of tests/test_screen.py (every
state enumerated with the naive simulator).
"""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.cli import main
from logicnet.errors import ResourceLimitError
from logicnet.expr import evaluate
from logicnet.limits import Limits
from logicnet.phenotype import Phenotype
from logicnet.screening import candidate_targets, score_condition, screen

from . import naive
from .strategies import fixes, networks
from .test_screen import _naive_score

# L: input; R: receptor; A, B: two redundant routes to P (proliferation); C: a
# bistable switch that blocks A; K: constant; X: a node with no path to P; D: a
# toggle pair that only opens when both A and B are knocked out.
RULES = """targets, factors
L, L
R, L
A, R & !C
B, R
C, C
P, A | B
Q, P
K, 1
X, R & X
E, !F | P
F, !E | P
"""
PHEN = "sensitive=!P"


@pytest.fixture()
def model(tmp_path):
    path = tmp_path / "toy.bnet"
    path.write_text(RULES)
    return str(path)


def _net(model):
    from logicnet.io import read_network

    return read_network(model)


def _run(*args):
    r = CliRunner().invoke(main, list(args))
    return r


def test_plain_network_screen_scores_equal_brute_force(model):
    net = _net(model)
    phen = Phenotype.parse("sensitive", "!P")
    for update in ("synchronous", "asynchronous"):
        r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--update", update, "--format", "json",
                 "--all", "--jobs", "1")
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        assert d["phenotype"] == "sensitive" and d["fix"] == {"L": 1}
        assert d["baseline"]["score"] == pytest.approx(_naive_score(net.fix({"L": 1}), phen, update))
        for h in d["results"]:
            fix = {"L": 1, **h["intervention"]}
            assert h["status"] == "scored"
            assert h["score"] == pytest.approx(_naive_score(net.fix(fix), phen, update)), (update, h["label"])


def test_default_targets_are_the_nodes_one_could_act_on(model):
    net = _net(model)
    phen = Phenotype.parse("sensitive", "!P")
    # by hand: not L (fixed), K (constant) or P (the phenotype); Q, X, E and F read
    # other nodes but no path leads from them to P
    assert candidate_targets(net, {"L": 1}, phen) == ["R", "A", "B", "C"]
    assert candidate_targets(net, {"L": 1}, phen, mode="all") == ["R", "A", "B", "C", "Q", "X", "E", "F"]
    r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--format", "json", "--max-order", "1")
    d = json.loads(r.stdout)
    assert d["targets"] == ["R", "A", "B", "C"]
    assert sorted(h["label"] for h in d["results"]) == ["A KO", "B KO", "C KO", "R KO"]
    r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--format", "json", "--max-order", "1",
             "--targets", "all")
    assert json.loads(r.stdout)["targets"] == ["R", "A", "B", "C", "Q", "X", "E", "F"]


def test_json_holds_every_condition_and_the_footer_counts_match(model):
    r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--format", "json", "--top", "2", "--targets",
             "R,A,B,C")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    labels = [h["label"] for h in d["results"]]
    assert len(labels) == 4 + 6  # every single and pair, although --top 2
    by = {h["label"]: h for h in d["results"]}
    # R KO restores completely, so its pairs are marked (not hidden, not recomputed)
    assert by["R KO"]["complete"] and by["R KO + A KO"]["status"] == "dominated"
    assert by["R KO + A KO"]["explanation"]["dominated_by"] == ["R KO"]
    assert by["A KO + B KO"]["status"] == "scored" and by["A KO + B KO"]["complete"]
    counts = {s: sum(1 for h in d["results"] if h["status"] == s) for s in ("scored", "dominated", "not evaluated")}
    assert d["counts"] == {"results": 10, "scored": counts["scored"], "dominated": counts["dominated"],
                           "not_evaluated": 0, "attractor_level": 0}
    assert d["n_evaluated"] == counts["scored"] + 1  # + baseline
    t = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--top", "2", "--targets", "R,A,B,C")
    assert f"{counts['scored']} interventions scored exactly" in t.stdout
    assert f"{counts['dominated']} pairs marked dominated" in t.stdout


def test_progress_goes_to_stderr_and_stdout_holds_only_results(model, monkeypatch):
    import logicnet.cli as cli

    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)  # stderr a terminal, stdout redirected
    r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--format", "json", "--jobs", "1")
    json.loads(r.stdout)  # nothing else on stdout
    assert "screen: singles" in r.stderr and "5/5" in r.stderr and "screen: pairs" in r.stderr
    assert _run("-q", "screen", model, "--fix", "L=1", "--phenotype", PHEN, "--format", "json").stderr == ""


def test_plain_network_needs_a_phenotype(model):
    r = _run("screen", model, "--fix", "L=1")
    assert r.exit_code == 1 and "--phenotype NAME=EXPR" in r.output and "Traceback" not in r.output
    r = _run("screen", model, "--phenotype", "sensitive")
    assert r.exit_code == 1 and "no named phenotypes" in r.output
    r = _run("screen", model, "--phenotype", "s=!NOPE")
    assert r.exit_code == 1 and "NOPE" in r.output
    r = _run("screen", model, "--context", "x", "--phenotype", PHEN)
    assert r.exit_code == 2 and "study file" in r.output


def test_a_condition_over_budget_goes_to_bdds_or_is_reported_not_evaluated(monkeypatch):
    # Under L=1 everything but the toggle pair E, F is forced (P=1 makes both 1);
    # knocking out A and B lets P fall, and E, F then form a 2-variable switch.
    net = Network.from_rules("L* = L\nR* = L\nA* = R\nB* = R\nP* = A or B\n"
                             "E* = not F or P\nF* = not E or P\nS* = E and F")
    phen = Phenotype.parse("s", "not P and not (E and F)")
    from logicnet.engine.sync import sync_memory

    budget = Limits(max_memory=sync_memory(1))
    truth = _naive_score(net.fix({"L": 1, "A": 0, "B": 0}), phen, "synchronous")
    # explicit only: the pair does not fit and is listed with the reason
    res = screen(net, fix={"L": 1}, phenotype=phen, targets=["A", "B"], limits=budget, engine="explicit")
    by = {h.label: h for h in res.results}
    assert by["A KO"].score == 0.0 and by["B KO"].score == 0.0
    pair = by["A KO + B KO"]
    assert pair.status == "not evaluated" and pair.score is None
    assert "2 free variables" in pair.reason and "more than" in pair.reason
    assert res.counts["not_evaluated"] == 1 and pair.to_dict()["reason"] == pair.reason
    # auto: the pair goes to the symbolic engine, with the exact score
    res = screen(net, fix={"L": 1}, phenotype=phen, targets=["A", "B"], limits=budget)
    pair = {h.label: h for h in res.results}["A KO + B KO"]
    assert pair.engine == "symbolic" and pair.score == pytest.approx(truth) and 0 < truth < 1
    # and if the BDDs outgrow the budget too, it is reported, the rest of the screen stands
    import logicnet.engine.symscore as symscore

    def too_big(*a, **k):
        raise ResourceLimitError("the BDDs outgrew the node table of the symbolic engine")

    monkeypatch.setattr(symscore, "symbolic_score", too_big)
    res = screen(net, fix={"L": 1}, phenotype=phen, targets=["A", "B"], limits=budget)
    by = {h.label: h for h in res.results}
    assert by["A KO + B KO"].status == "not evaluated" and "on BDDs it outgrew the budget" in by["A KO + B KO"].reason
    assert by["A KO"].score == 0.0


def test_over_budget_screen_stops_before_any_worker(monkeypatch, tmp_path):
    import logicnet.parallel

    def no_work(*a, **k):  # pragma: no cover - must not run
        raise AssertionError("a worker started")

    monkeypatch.setattr(logicnet.parallel, "pmap", no_work)
    net = Network.from_rules("\n".join(f"x{i}* = x{(i + 1) % 12} or not x{(i + 5) % 12}" for i in range(12)))
    with pytest.raises(ResourceLimitError, match="the condition itself leaves 12 free variables"):
        screen(net, phenotype=Phenotype.parse("p", "x0"), limits=Limits(max_memory=1000), n_jobs=2,
               engine="explicit")
    with pytest.raises(ResourceLimitError, match="singles only") as info:
        screen(net, phenotype=Phenotype.parse("p", "x0"), max_seconds=1e-9)
    assert "fewer interventions" in info.value.advice
    from logicnet.io import write_network

    write_network(net, tmp_path / "n.bnet")
    r = CliRunner().invoke(main, ["screen", str(tmp_path / "n.bnet"), "--phenotype", "p=x0", "--max-time", "1e-9"])
    assert r.exit_code == 1 and "--max-order 1" in r.output and "--targets" in r.output, r.output


def test_validate_expect_on_a_plain_network(model):
    net = _net(model)
    # L=1, C=0: P is on in every attractor; with R knocked out P is off.
    fixed = net.fix({"L": 1, "C": 0})
    for codes in naive.async_attractors(fixed):
        assert all(naive.decode(fixed, c)["P"] == 1 for c in codes)
    r = _run("validate", model, "--fix", "L=1", "--fix", "C=0", "--phenotype", "resistant=P", "--expect", "resistant")
    assert r.exit_code == 0, r.output
    r = _run("validate", model, "--fix", "L=1", "--fix", "R=0", "--phenotype", "resistant=P", "--expect", "resistant",
             "--format", "json")
    assert r.exit_code == 1
    d = json.loads(r.stdout)
    # R=0: P is off in every attractor (C free, E and F a switch: four fixed points)
    n_att = len(naive.async_attractors(net.fix({"L": 1, "R": 0})))
    assert d["passed"] is False and d["findings"][0]["asynchronous"]["shares"] == [0.0] * n_att
    r = _run("validate", model)
    assert r.exit_code == 2 and "--expect" in r.output


def test_report_and_plot_screen_on_a_plain_network(model, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    r = _run("report", model, "--fix", "L=1", "--phenotype", PHEN, "--max-order", "1", "-o", str(out),
             "--max-memory", "1G")
    assert r.exit_code == 0, r.output
    text = out.read_text()
    data = json.loads(text.split('id="logicnet-data">')[1].split("</script>")[0])
    res = screen(_net(model), fix={"L": 1}, phenotype=Phenotype.parse("sensitive", "!P"), max_order=1)
    assert [(h["label"], h["score"]) for h in data["screen"]["results"]] == [(h.label, h.score) for h in res.results]
    assert data["validation"] == []
    fig = tmp_path / "s.svg"
    r = _run("plot", "screen", model, "--fix", "L=1", "--phenotype", PHEN, "-o", str(fig))
    assert r.exit_code == 0, r.output
    assert fig.read_text().count("<svg") == 1


def test_pair_scores_match_brute_force_for_every_pair(model):
    net = _net(model)
    phen = Phenotype.parse("sensitive", "!P")
    res = screen(net, fix={"L": 1}, phenotype=phen, targets="all", all_pairs=True, update="asynchronous")
    cand = candidate_targets(net, {"L": 1}, phen, mode="all")
    assert len(res.results) == len(cand) + len(list(itertools.combinations(cand, 2)))
    for h in res.results:
        fix = {"L": 1, **h.intervention}
        assert h.score == pytest.approx(_naive_score(net.fix(fix), phen, "asynchronous")), h.label


def test_symbolic_screen_equals_explicit_screen(model):
    net = _net(model)
    phen = Phenotype.parse("sensitive", "!P")
    for update in ("synchronous", "asynchronous"):
        exp = screen(net, fix={"L": 1}, phenotype=phen, targets="all", update=update, engine="explicit")
        sym = screen(net, fix={"L": 1}, phenotype=phen, targets="all", update=update, engine="symbolic")
        assert [(h.label, h.score, h.complete, h.status) for h in exp.results] == \
            [(h.label, h.score, h.complete, h.status) for h in sym.results]


def _naive_attractor_level(net, phen):
    """Share of the synchronous attractors' states where ``phen`` holds, and of attractors where it always holds."""
    cycles = list(naive.sync_attractors(net))
    held = [[evaluate(phen.expression, naive.decode(net, c)) for c in cyc] for cyc in cycles]
    states = sum(len(h) for h in held)
    return sum(sum(h) for h in held) / states, sum(all(h) for h in held) / len(held)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_synchronous_bdd_score_through_basins_and_its_attractor_level_fallback(data):
    # Past the preimage budget the synchronous score comes from the attractors (SAT) and
    # their basins, pooled by phenotype share, the last one the complement of the
    # others; past the basin budget too, it is the attractor-level score, labelled.
    from hypothesis import assume

    from logicnet.engine.symscore import symbolic_score
    from logicnet.engine.tables import TableNetwork

    net = data.draw(networks(max_nodes=8, max_k=3))
    fix = data.draw(fixes(net))
    a, b = data.draw(st.sampled_from(net.nodes)), data.draw(st.sampled_from(net.nodes))
    phen = Phenotype.parse("p", f"{a} and not {b}" if data.draw(st.booleans()) else f"{a} or {b}")
    r = TableNetwork(net).restrict(fix)
    assume(r.n_free > 0)
    sub, expr = r.symbolic_network(phen.expression)
    exp = score_condition(net, fix, phen, engine="explicit")
    cesaro = symbolic_score(sub, expr, "synchronous")
    by_basins = symbolic_score(sub, expr, "synchronous", max_set_nodes=0)
    assert cesaro.measure == by_basins.measure == "exact"
    assert cesaro.score == by_basins.score == exp.score and by_basins.complete == exp.complete
    assert by_basins.n_attractors == exp.n_attractors and by_basins.attractor_share == exp.attractor_share
    level = symbolic_score(sub, expr, "synchronous", max_set_nodes=0, max_basin_nodes=0)
    states_share, att_share = _naive_attractor_level(net.fix(fix), phen)
    assert level.n_attractors == len(naive.sync_attractors(net.fix(fix)))
    assert level.attractor_share == pytest.approx(att_share) and level.complete == exp.complete
    if level.measure == "exact":  # one phenotype share among all attractors: no basin to compute
        assert level.score == exp.score
    else:
        assert level.measure == "attractor-level" and level.score == pytest.approx(states_share)


def test_attractor_level_scores_are_labelled_and_ranked_apart(model, monkeypatch):
    import logicnet.engine.symscore as symscore

    net = _net(model)
    phen = Phenotype.parse("sensitive", "!P")
    exact = screen(net, fix={"L": 1}, phenotype=phen, targets="all", engine="symbolic")
    monkeypatch.setattr(symscore, "MAX_SET_NODES", 0)
    monkeypatch.setattr(symscore, "MAX_BASIN_NODES", 0)
    res = screen(net, fix={"L": 1}, phenotype=phen, targets="all", engine="symbolic")
    scored = [h for h in res.results if h.evaluated]
    level = [h for h in scored if h.measure == "attractor-level"]
    assert level and res.counts["attractor_level"] == len(level)
    # exact scores are those of the screen without budgets; attractor-level ones rank after them all
    truth = {h.label: h.score for h in exact.results}
    kinds = [h.measure for h in scored]
    assert kinds == sorted(kinds, key=lambda k: k != "exact")
    for h in scored:
        fixed = net.fix({"L": 1, **h.intervention})
        if h.measure == "exact":
            assert h.score == truth[h.label]
        else:
            assert h.score == pytest.approx(_naive_attractor_level(fixed, phen)[0]) and h.hsa_excess is None
    d = res.to_dict()
    assert d["counts"]["attractor_level"] == sum(1 for h in d["results"] if h["measure"] == "attractor-level")
    r = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--targets", "all", "--engine", "symbolic",
             "--format", "json")
    d = json.loads(r.stdout)
    assert d["counts"]["attractor_level"] == len(level)
    assert [(h["label"], h["score"], h["measure"]) for h in d["results"] if h["status"] == "scored"] == \
        [(h.label, h.score, h.measure) for h in scored]
    t = _run("screen", model, "--fix", "L=1", "--phenotype", PHEN, "--targets", "all", "--engine", "symbolic",
             "--top", "50")
    assert f"{d['counts']['scored'] - len(level)} exact, {len(level)} attractor-level" in t.stdout
    assert t.stdout.count("*") >= len(level)
    from logicnet.plot import plot_screen

    fig = plot_screen(res, top=50)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("*: attractor-level score" in t for t in texts)
    assert sum(1 for t in texts if t.endswith("*")) == len(level)
