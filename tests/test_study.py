"""Study files, the bundled IGF-axis model and `logicnet validate`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from logicnet.attractors import find_attractors
from logicnet.cli import main
from logicnet.errors import RuleSyntaxError, UnknownNodeError
from logicnet.io import read_network
from logicnet.io.study import read_study
from logicnet.networks import bundled_path
from logicnet.phenotype import holds_everywhere
from logicnet.validation import validate

IGF = bundled_path("igf_axis.toml")
LIT = bundled_path("igf_axis_literature.toml")
SEEDS = ("000_74f2289f3f9a6e8f.txt", "001_90be07ec1200e42c.txt", "003_24f7bb8c21bce7f9.txt")


@pytest.fixture(scope="module")
def igf():
    return read_study(IGF)


def test_every_rule_has_description_and_evidence(igf):
    net = igf.network
    for node in net.nodes:
        assert net.annotation(node, "description"), node
        ev = net.annotation(node, "evidence")
        assert ev, node
        for line in ev.split("\n"):
            lit = re.match(r'literature (L\d+) \(.+\), [^:]+: "(.+)"$', line)
            if lit:  # a finding of the literature study, quoted verbatim from its evidence
                finding = next(f for f in read_study(LIT).findings if f.id == lit.group(1))
                assert lit.group(2) in finding.evidence, (node, line)
                continue
            assert line.startswith(SEEDS) or line.startswith("textbook"), (node, line)


def test_every_seed_is_cited(igf):
    text = " ".join(igf.network.annotation(n, "evidence") for n in igf.network.nodes)
    for seed in SEEDS:
        assert seed in text


def test_rules_file_is_grouped_by_pathway():
    text = bundled_path("igf_axis.rules").read_text()
    sections = re.findall(r"^# --- (.+) ---$", text, re.M)
    assert len(sections) >= 8


def test_core_nodes_and_feedback_loops_exist(igf):
    net = igf.network
    for n in ["IGF1", "IGF2", "INS", "GH", "IGFBP1", "IGFBP2", "IGFBP3", "IGFBP7", "IGF2R", "IGF1R", "INSR",
              "EGFR", "ERBB2", "ERBB3", "FGFR1", "VEGFR", "ALK", "ITGA5B1", "ITGAVB3", "IRS1", "SHC", "PI3K",
              "PDK1", "AKT", "MTORC1", "MTORC2", "S6K", "FOXO", "GSK3B", "RAS", "RAF", "MEK", "ERK", "MEK5",
              "ERK5", "SRC", "FAK", "JAK", "STAT3", "HIF1A", "VEGF", "NFKB", "BIRC5", "DNA_repair",
              "Proliferation", "Survival", "Apoptosis", "Angiogenesis", "EMT",
              "Host_IGFR", "EC_IGF1R", "IGF1R_expr", "IGF2_tumour", "TAM", "CAF", "ADIPO", "AR", "Steroidogenesis"]:
        assert n in net, n
    g = net.interaction_graph()
    assert g.edges["S6K", "IRS1"]["sign"] == "-"
    # endocrine feedback runs through the host's receptor, not the tumour's
    assert g.edges["Host_IGFR", "GH"]["sign"] == "-"
    assert not g.has_edge("IGF1R", "GH") and not g.has_edge("INSR", "GH")
    assert g.edges["FOXO", "IGF1R_expr"]["sign"] == "+"
    assert g.edges["ERK", "IGF1R_expr"]["sign"] == "-"
    assert g.edges["HIF1A", "IGFBP1"]["sign"] == "+"
    # the stroma is recruited by what the tumour secretes, and acts back
    assert g.edges["IGF2_tumour", "TAM"]["sign"] == "+" and g.edges["TAM", "IGF1"]["sign"] == "+"
    assert g.edges["EC_IGF1R", "Angiogenesis"]["sign"] == "+" and not g.has_edge("IGF1R", "Angiogenesis")


def test_all_findings_hold_asynchronously(igf):
    results = validate(igf, update="asynchronous")
    assert len(results) >= 100
    assert {r.finding.id for r in results} >= {f"F{i}" for i in range(1, 49)}
    failed = [(r.finding.id, r.condition) for r in results if not r.passed]
    assert failed == []


def test_f1_by_hand_through_fix(igf):
    # lenvatinib in HCC keeps angiogenesis on; knocking out IGFBP1 switches it off
    cond = igf.condition(context="HCC", drugs=["lenvatinib"])
    on = find_attractors(igf.network, update="async", fix=cond.fix)
    assert holds_everywhere(on, "Angiogenesis")
    off = find_attractors(igf.network, update="async", fix={**cond.fix, "IGFBP1": 0})
    assert holds_everywhere(off, "not Angiogenesis")


def test_drug_lookup_is_case_insensitive_and_suggests(igf):
    assert igf.drug("Linsitinib").name == "linsitinib"
    with pytest.raises(UnknownNodeError, match="linsitinib"):
        igf.drug("linsitnib")


def test_study_errors_have_positions(tmp_path):
    (tmp_path / "toy.rules").write_text("L* = L\nR* = L\nP* = R\n")
    cases = [
        ('[study]\nnetwork = "toy.rules"\n[drugs.x]\ninhibits = ["Q"]\n', 4, "'Q', which is not a node"),
        ('[study]\nnetwork = "toy.rules"\n[phenotypes]\np = "R and"\n', 4, "ends too early"),
        ('[study]\nnetwork = "toy.rules"\n[contexts.c]\nfix = { L = 2 }\n', 4, "must be 0 or 1"),
        ('[study]\nnetwork = "toy.rules"\n[phenotypes]\np = "P"\n[[findings]]\nid = "F"\ncontext = "nope"\n'
         'expect = "p"\n', 7, "unknown context"),
        ('[study]\nnetwork = "toy.rules"\n[phenotypes\n', 3, "not valid TOML"),
        ('[study]\nnetwork = "missing.rules"\n', 2, "does not exist"),
    ]
    for text, line, fragment in cases:
        p = tmp_path / "s.toml"
        p.write_text(text)
        with pytest.raises(RuleSyntaxError) as info:
            read_study(p)
        assert info.value.line == line, str(info.value)
        assert fragment in str(info.value)
        r = CliRunner().invoke(main, ["validate", str(p)])
        assert r.exit_code == 1 and f"{p}:{line}:" in r.output and "Traceback" not in r.output


def test_cli_attractors_with_context_and_drug():
    r = CliRunner().invoke(main, ["attractors", "networks/igf_axis.toml", "--context", "HCC", "--drug",
                                  "lenvatinib", "--update", "async", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["fixed"]["VEGFR"] == 0
    assert all(a["phenotypes"]["resistant"] == 1.0 for a in d["attractors"])
    r = CliRunner().invoke(main, ["attractors", "networks/igf_axis.toml", "--drug", "nosuchdrug"])
    assert r.exit_code == 2 and "no drug" in r.output  # an unknown --drug is a usage error


def test_cli_validate_passes_and_fails(tmp_path):
    r = CliRunner().invoke(main, ["validate", "networks/igf_axis.toml", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)  # progress lines go to stderr
    assert d["passed"] and len(d["findings"]) >= 16
    assert all("synchronous" in f for f in d["findings"])
    # a study whose finding is wrong exits 1
    (tmp_path / "toy.rules").write_text("L* = L\nR* = L\nP* = R\n")
    (tmp_path / "s.toml").write_text('[study]\nnetwork = "toy.rules"\n[phenotypes]\non = "P"\n'
                                     '[contexts.c]\nfix = { L = 0 }\n[[findings]]\nid = "F"\ncontext = "c"\n'
                                     'expect = "on"\n')
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "s.toml")])
    assert r.exit_code == 1 and "FAIL" in r.output


def test_rules_file_round_trips(tmp_path):
    net = read_network(bundled_path("igf_axis.rules"))
    r = CliRunner().invoke(main, ["convert", "networks/igf_axis.rules", str(tmp_path / "igf.bnet")])
    assert r.exit_code == 0
    assert read_network(tmp_path / "igf.bnet") == net


_TOY_RULES = "L* = L\nR* = L\nP* = R\n"


@pytest.mark.parametrize("toml,line,col", [
    # the unknown node Q also appears earlier (in a drug's description): the error points into the context
    ('[study]\nnetwork = "t.rules"\n[drugs.blocker]\ninhibits = ["R"]\ndescription = "blocks Q"\n'
     '[contexts.stimulated]\nfix = { L = 1, Q = 0 }\n', 7, 16),
    ('[study]\nnetwork = "t.rules"\n[phenotypes]\nok = "P"\n[contexts."with Q"]\nfix = { L = 1 }\n'
     '[[findings]]\nid = "F1"\nexpect = "ok"\nfix = { L = 0 }\n[[findings]]\nid = "F2"\nexpect = "ok"\n'
     'fix = { Q = 1 }\n', 14, 9),
])
def test_a_bad_fix_is_located_in_its_own_table(tmp_path, toml, line, col):
    (tmp_path / "t.rules").write_text(_TOY_RULES)
    (tmp_path / "t.toml").write_text(toml)
    with pytest.raises(RuleSyntaxError) as info:
        read_study(tmp_path / "t.toml")
    assert (info.value.line, info.value.column) == (line, col), str(info.value)


def test_unknown_context_and_drug_list_the_available_ones(igf):
    with pytest.raises(UnknownNodeError) as info:
        igf.condition(context="HCX")
    msg = str(info.value)
    assert msg.startswith("the study has no context 'HCX' (did you mean 'HCC'?); the study's contexts: ")
    assert msg.split("contexts: ")[1].split(", ") == list(igf.contexts)
    with pytest.raises(UnknownNodeError, match="the study's drugs: lenvatinib, "):
        igf.condition(drugs=["nodrug"])


def test_read_study_and_read_network_find_bundled_models_by_name():
    from logicnet import read_network as rn
    from logicnet import read_study as rs

    assert rs("igf_axis").network == read_study(IGF).network
    assert rs("networks/igf_axis.toml").name == read_study(IGF).name
    assert rn("faure2006_cell_cycle").nodes == read_network(bundled_path("faure2006_cell_cycle.bnet")).nodes


def test_info_on_a_study_lists_phenotypes_drugs_contexts_and_findings(igf):
    r = CliRunner().invoke(main, ["info", str(IGF), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["study"]["phenotypes"] == list(igf.phenotypes)
    assert d["study"]["drugs"] == list(igf.drugs)
    assert d["study"]["contexts"] == list(igf.contexts)
    assert d["study"]["findings"] == [f.id for f in igf.findings]
    r = CliRunner().invoke(main, ["info", str(IGF)], env={"COLUMNS": "100"})
    assert r.exit_code == 0
    for word in ("phenotypes", "drugs", "contexts", "findings", "lenvatinib", "HCC", "F16"):
        assert word in r.output


ROBUST_RULES = "L* = L\nI* = I\nA* = L\nB* = L and not I\nP* = A or B\n"
ROBUST_STUDY = '''[study]
name = "redundant routes"
network = "toy.rules"
[phenotypes]
on = "P"
off = "not P"
[drugs.ablock]
inhibits = ["A"]
[contexts.stim]
fix = { L = 1, I = 0 }
[contexts.rest]
fix = { L = 0, I = 0 }
[[findings]]
id = "R1"
context = "stim"
expect = "on"
[[findings]]
id = "R2"
context = "stim"
drugs = ["ablock"]
expect = "on"
[[findings]]
id = "R3"
context = "rest"
expect = "off"
[[findings]]
id = "R4"
context = "rest"
expect = "on"
'''


@pytest.mark.parametrize("update", ["synchronous", "asynchronous"])
def test_robustness_on_a_hand_made_study(tmp_path, update):
    # By hand: under stim, A = B = P = 1 (constants), P = A or B, so no single edge removal
    # switches P off. Only L -> A and L -> B change a rule once those constants are put in
    # (A -> P leaves "B" = 1, B -> P leaves "A" = 1, I -> B is inert because I = 0, L -> L
    # and I -> I end at fixed inputs), so only they are recomputed. With A blocked, P hangs
    # on L -> B and B -> P. At rest every node is 0 and no removal changes a rule. R4 fails
    # on the intact model and is not tested.
    from logicnet.validation import Edge, robustness

    (tmp_path / "toy.rules").write_text(ROBUST_RULES)
    (tmp_path / "s.toml").write_text(ROBUST_STUDY)
    res = {r.finding.id: r for r in robustness(read_study(tmp_path / "s.toml"), update=update)}
    assert {str(e) for e in res["R1"].tested} == {"L -> A (+)", "L -> B (+)"}
    assert res["R1"].breaking == () and res["R1"].robust
    assert set(res["R2"].breaking) == {Edge("L", "B", "+"), Edge("B", "P", "+")}
    assert set(res["R2"].tested) == set(res["R2"].breaking)
    assert res["R3"].tested == () and res["R3"].breaking == () and res["R3"].robust
    assert not res["R4"].holds and res["R4"].tested == () and not res["R4"].robust


def test_robustness_skips_nothing_that_matters(tmp_path):
    # every edge, removed by hand, against the skipped/tested split of robustness()
    from logicnet.graph import signed_edges
    from logicnet.validation import Edge, remove_edge, robustness

    (tmp_path / "toy.rules").write_text(ROBUST_RULES)
    (tmp_path / "s.toml").write_text(ROBUST_STUDY)
    study = read_study(tmp_path / "s.toml")
    for r in robustness(study, update="async"):
        if not r.holds:
            continue
        cond = study.condition(context=r.finding.context, drugs=r.finding.drugs, fix=r.finding.fix)
        for s, t, sign in signed_edges(study.network):
            e = Edge(s, t, sign)
            aset = find_attractors(remove_edge(study.network, e), update="async", fix=cond.fix)
            holds = holds_everywhere(aset, cond.phenotypes[r.finding.expect])
            assert holds == (e not in r.breaking), (r.finding.id, str(e))


def test_cli_validate_robustness(tmp_path):
    (tmp_path / "toy.rules").write_text(ROBUST_RULES)
    (tmp_path / "s.toml").write_text(ROBUST_STUDY.replace('[[findings]]\nid = "R4"\ncontext = "rest"\nexpect = "on"\n',
                                                          ""))
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "s.toml"), "--robustness", "--jobs", "1",
                                  "--update", "async", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)["robustness"]
    assert d["update"] == "asynchronous"
    by = {f["id"]: f for f in d["findings"]}
    assert by["R1"]["breaking"] == [] and by["R1"]["edges_tested"] == 2
    assert sorted((e["source"], e["target"]) for e in by["R2"]["breaking"]) == [("B", "P"), ("L", "B")]
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "s.toml"), "--robustness", "--jobs", "1",
                                  "--update", "async"])
    assert r.exit_code == 0 and "L -> B (+)" in r.output and "hang on a single edge" in r.output



def test_literature_study_parses_and_cites_retrieved_text():
    lit = read_study(LIT)
    assert lit.network == read_study(IGF).network
    ids = [f.id for f in lit.findings]
    assert len(set(ids)) >= 40
    sources = set()
    for f in lit.findings:
        assert f.title and f.context in lit.contexts, f.id
        # citation; address: "verbatim sentence"
        m = re.fullmatch(r'(.+); (https?://\S+): "(.+)"', f.evidence, re.S)
        assert m, f.id
        sources.add(m.group(2).split("?")[0])
        assert not any(seed in f.evidence for seed in SEEDS), f.id
    assert len(sources) >= 25


def test_literature_study_validates_and_the_notes_list_every_failure():
    lit = read_study(LIT)
    results = validate(lit, update="asynchronous")
    assert len(results) == len(lit.findings)
    failing = sorted({r.finding.id for r in results if not r.passed}, key=lambda s: int(s[1:]))
    notes = (Path(__file__).resolve().parent.parent / "networks" / "igf_axis_notes.md").read_text(encoding="utf-8")
    heading = "### Literature findings that fail (asynchronous update, current rules)"
    assert heading in notes
    section = notes.split(heading, 1)[1].split("\n#", 1)[0]
    listed = re.findall(r"^\| (L\d+) \|", section, re.M)
    assert listed == failing


def test_robustness_async_with_an_attractor_too_large_to_list_by_default(tmp_path, monkeypatch):
    # By hand: eleven free oscillators (Oi* = not Oi) form one asynchronous attractor of
    # 2^11 = 2048 states, more than find_attractors lists by default (1,000). With L = 1,
    # P = 1 everywhere; removing L -> P leaves P = O1 or ... or O11, which is 0 in the
    # all-0 state of the attractor, so that edge breaks the finding.
    import logicnet.validation as validation
    from logicnet.validation import Edge, robustness

    osc = [f"O{i}" for i in range(1, 12)]
    rules = "L* = L\n" + "".join(f"{o}* = not {o}\n" for o in osc) + f"P* = L or {' or '.join(osc)}\n"
    (tmp_path / "big.rules").write_text(rules)
    (tmp_path / "s.toml").write_text('[study]\nname = "big"\nnetwork = "big.rules"\n\n[phenotypes]\non = "P"\n\n'
                                     '[contexts.stim]\nfix = { L = 1 }\n\n'
                                     '[[findings]]\nid = "B1"\ncontext = "stim"\nexpect = "on"\n')
    study = read_study(tmp_path / "s.toml")
    (r,) = robustness(study, update="async")
    assert r.holds and Edge("L", "P", "+") in r.tested
    assert r.breaking == (Edge("L", "P", "+"),) and r.undecided == ()
    monkeypatch.setattr(validation, "_EDGE_CHECK_STATES", 100)  # now the attractor cannot be listed
    (r,) = robustness(study, update="async")
    assert r.breaking == () and r.undecided == (Edge("L", "P", "+"),)
