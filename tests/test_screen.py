"""Screens: exact scores against a brute-force computation, the IGF-axis acceptance, executors."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet.cli import main
from logicnet.expr import evaluate
from logicnet.io.study import Context, Study, read_study
from logicnet.networks import bundled_path
from logicnet.phenotype import Phenotype
from logicnet.screening import score_condition, screen

from . import naive
from .strategies import fixes, networks


def _forced(net):
    """Nodes whose value is forced, found semantically by brute force."""
    known = dict(net.constants)
    changed = True
    while changed:
        changed = False
        for n in net.nodes:
            if n in known:
                continue
            regs = [r for r in net.regulators(n) if r not in known]
            vals = set()
            for v in itertools.product((0, 1), repeat=len(regs)):
                vals.add(evaluate(net.rules[n], {**known, **dict(zip(regs, v))}))
            if len(vals) == 1:
                known[n] = vals.pop()
                changed = True
    return known


def _naive_score(net, phen, update):
    forced = _forced(net)
    states = [s for s in naive.all_states(net) if all(s[n] == v for n, v in forced.items())]
    codes = [naive.encode(net, s) for s in states]
    holds = {c: evaluate(phen.expression, s) for c, s in zip(codes, states)}
    if update == "synchronous":
        att = naive.sync_attractors(net)
        share = {a: sum(holds[x] for x in a) / len(a) for a in att}
        succ = {c: naive.encode(net, naive.sync_successor(net, naive.decode(net, c))) for c in codes}
        total = 0.0
        for c in codes:
            x = c
            seen = []
            while not any(x in a for a in att):
                seen.append(x)
                x = succ[x]
            a = next(a for a in att if x in a)
            total += share[a]
        return total / len(codes)
    g = nx.DiGraph()
    for c, s in zip(codes, states):
        g.add_node(c)
        for t in naive.async_successors(net, s):
            g.add_edge(c, naive.encode(net, t))
    cond = nx.condensation(g)
    terminal = [frozenset(cond.nodes[x]["members"]) for x in cond.nodes if cond.out_degree(x) == 0]
    bad = [a for a in terminal if not all(holds[x] for x in a)]
    reach_bad = set()
    for a in bad:
        for x in a:
            reach_bad |= nx.ancestors(g, x) | {x}
    return 1 - len(reach_bad) / len(codes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_scores_equal_brute_force(data):
    net = data.draw(networks(max_nodes=8, max_k=3))
    fix = data.draw(fixes(net))
    a, b = data.draw(st.sampled_from(net.nodes)), data.draw(st.sampled_from(net.nodes))
    phen = Phenotype.parse("p", f"{a} or not {b}")
    for update in ("synchronous", "asynchronous"):
        got = score_condition(net, fix, phen, update=update)
        assert got.score == pytest.approx(_naive_score(net.fix(fix), phen, update)), update


def _toy_study():
    net = __import__("logicnet").Network.from_rules(
        "L* = L\nR* = L\nA* = R and not C\nB* = R\nC* = C\nP* = A or B\nQ* = A and B")
    phen = {"sensitive": Phenotype.parse("sensitive", "not P")}
    return Study("toy", net, phen, {}, {"on": Context("on", {"L": 1, "C": 0})}, ())


def test_pairs_synergy_and_dominance():
    res = screen(_toy_study(), context="on", max_order=2)
    by = {h.label: h for h in res.results}
    # A and B are redundant routes to P: each single is useless, the pair restores completely
    assert by["A KO"].score == 0.0 and by["B KO"].score == 0.0
    assert by["A KO + B KO"].complete and by["A KO + B KO"].hsa_excess == 1.0
    assert by["A KO + B KO"].bliss_excess == 1.0
    # R alone restores completely, so its pairs are dominated and not recomputed
    assert by["R KO"].complete and by["R KO"].rank == 1
    assert by["R KO + A KO"].dominated and by["R KO + A KO"].score is None
    # ranking: complete first, then score, then order, then name
    ranks = [(not h.complete, -h.score, len(h.intervention) + len(h.drugs_added), h.label)
             for h in res.results if not h.dominated]
    assert ranks == sorted(ranks)
    # explanation: a signed path from the knocked-out node to the phenotype node
    assert {"from": "R", "to": "P", "nodes": ["R", "A", "P"], "sign": "+"} in by["R KO"].explanation["paths"]
    full = screen(_toy_study(), context="on", max_order=2, all_pairs=True)
    assert not any(h.dominated for h in full.results)


@pytest.fixture(scope="module")
def igf():
    return read_study(bundled_path("igf_axis.toml"))


@pytest.mark.parametrize("update", ["synchronous", "asynchronous"])
def test_f1_lenvatinib_hcc_knockouts(igf, update):
    res = screen(igf, context="HCC", drugs=["lenvatinib"], update=update, max_order=2)
    complete = {h.label for h in res.results if h.complete}
    assert {"IGFBP1 KO", "ITGA5B1 KO"} <= complete
    assert not res.baseline.complete
    top = [h for h in res.results if h.rank <= 5]
    assert all(h.complete for h in top)


@pytest.mark.parametrize("update", ["synchronous", "asynchronous"])
def test_f2_insr_knockout_and_linsitinib_rank_at_the_top(igf, update):
    res = screen(igf, context="InsR-A high", drugs=["cixutumumab"], update=update, drug_pairs=True,
                 max_order=1)
    best = res.results[0]
    assert best.complete and best.score == 1.0
    top_group = [h.label for h in res.results
                 if h.complete and h.score == 1.0 and len(h.intervention) + len(h.drugs_added) == 1]
    assert "INSR KO" in top_group and "linsitinib" in top_group
    assert res.results[len(top_group) - 1].label in top_group  # the group is at the top


def test_executors_give_identical_output(igf):
    kw = dict(context="HCC", drugs=["lenvatinib"], update="asynchronous", targets="druggable", max_order=2)
    serial = screen(igf, **kw).to_dict()
    procs = screen(igf, n_jobs=2, **kw).to_dict()
    assert serial == procs
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            dask = screen(igf, scheduler=client, **kw).to_dict()
    assert serial == dask


def test_cli_screen_json_shape():
    r = CliRunner().invoke(main, ["screen", "networks/igf_axis.toml", "--context", "HCC", "--drug", "lenvatinib",
                                  "--max-order", "1", "--format", "json", "--jobs", "1", "--top", "5"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)  # progress goes to stderr
    assert set(d) >= {"study", "context", "drugs", "update", "baseline", "results", "counts"}
    assert d["drugs"] == ["lenvatinib"] and d["context"] == "HCC"
    h = d["results"][0]
    assert set(h) >= {"rank", "intervention", "drugs_added", "score", "complete", "hsa_excess", "bliss_excess",
                      "dominated", "explanation"}
    assert h["rank"] == 1 and h["complete"] is True and isinstance(h["score"], float)
    r = CliRunner().invoke(main, ["screen", "networks/igf_axis.toml", "--context", "HCC", "--targets", "NOPE"])
    assert r.exit_code == 1 and "no node 'NOPE'" in r.output


def test_a_share_that_would_need_too_many_rows_is_not_evaluated_instead_of_filling_memory():
    # X oscillates; 24 outputs follow it and P reads them all: each varying output doubles the
    # rows of the attractor's share (2 states * 2^24 > SHARE_MAX_ROWS)
    from logicnet import Network
    from logicnet.phenotype import Phenotype
    from logicnet.screening import score_condition

    outs = [f"O{i}" for i in range(24)]
    net = Network.from_rules("X* = not X\n" + "\n".join(f"{o}* = X" for o in outs) + "\nP* = " + " and ".join(outs))
    s = score_condition(net, {}, Phenotype.parse("p", "P"), update="asynchronous", engine="explicit")
    assert s.score is None and "rows" in s.reason
    small = Network.from_rules("X* = not X\nO1* = X\nO2* = X\nP* = O1 and O2")
    # the one attractor (X, O1, O2 and P all moving) is not sensitive throughout: score 0
    assert score_condition(small, {}, Phenotype.parse("p", "P"), update="asynchronous", engine="explicit").score == 0.0
