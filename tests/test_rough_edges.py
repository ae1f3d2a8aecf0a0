"""What a newcomer from BoolNet, pyboolnet, AEON or MaBoSS expects in the small things."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import logicnet
from logicnet import Network
from logicnet.cli import main
from logicnet.errors import LogicnetError
from logicnet.io import read_network
from logicnet.report import score_text

# L is an input; R and P are ordinary nodes
RULES = "L* = L\nR* = L and not P\nP* = R\nQ* = R or P\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def net_file(tmp_path):
    p = tmp_path / "toy.rules"
    p.write_text(RULES)
    return p


def test_conflicting_fix_is_a_usage_error(net_file):
    r = run("attractors", net_file, "--fix", "R=0", "--fix", "R=1")
    assert r.exit_code == 2
    assert "R is fixed to both 0 and 1" in r.output
    assert run("attractors", net_file, "--fix", "R=0", "--fix", "R=0").exit_code == 0  # the same twice is fine


def test_inputs_are_labelled_by_value_and_interventions_as_ko_oe(net_file, tmp_path):
    r = run("attractors", net_file, "--fix", "L=1", "--fix", "P=0")
    assert r.exit_code == 0, r.output
    assert "L=1 P=KO" in r.output
    study = tmp_path / "s.toml"
    study.write_text("[study]\nname = \"toy\"\nnetwork = \"toy.rules\"\n[phenotypes]\nsensitive = \"Q\"\n")
    r = run("validate", study, "--fix", "L=1", "--fix", "P=1", "--expect", "sensitive")
    assert "L=1 P=OE" in r.output, r.output
    r = run("screen", net_file, "--fix", "L=1", "--phenotype", "on=Q", "--max-order", "1", "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert "L=1" in r.output and "L=OE" not in r.output


def test_scores_near_0_and_1_keep_enough_digits():
    assert score_text(0.99998) == "0.99998" and score_text(1.0) == "1.000"
    assert score_text(0.00002, 2) == "0.00002" and score_text(0.0, 2) == "0.00"
    assert score_text(-0.00002, 2) == "-0.00002"
    assert score_text(0.4567) == "0.457"


def test_the_python_screen_takes_name_equals_expression():
    net = Network.from_rules(RULES)
    res = logicnet.screen(net, fix={"L": 1}, phenotype="on=Q and not P", max_order=1)
    assert res.phenotype == "on"
    with pytest.raises(LogicnetError, match=r"phenotype='NAME=EXPR' in Python"):
        logicnet.screen(net, fix={"L": 1}, phenotype="on", max_order=1)


def test_bnet_content_in_a_txt_file_is_read_as_bnet(tmp_path):
    p = tmp_path / "model.txt"
    p.write_text("# exported from BoolNet\ntargets, factors\nA, B\nB, !A\n")
    net = read_network(p)
    assert net.nodes == ("A", "B") and net.rules["B"] is not None
    q = tmp_path / "model2.txt"
    q.write_text("A* = B\nB* = not A\n")
    assert read_network(q).nodes == ("A", "B")


def test_an_unknown_suffix_does_not_hint_at_an_option_a_command_lacks(tmp_path):
    p = tmp_path / "model.dat"
    p.write_text("A* = A\n")
    r = run("attractors", p)
    assert r.exit_code == 1
    assert "rename it with one of" in r.output and "--from with logicnet convert" in r.output


def test_by_inputs_group_headers_have_their_own_counts(net_file):
    r = run("attractors", net_file, "--by-inputs")
    assert r.exit_code == 0, r.output
    total = len(logicnet.find_attractors(read_network(net_file)))
    groups = {k: len(v) for k, v in logicnet.find_attractors(read_network(net_file)).by_inputs(("L",)).items()}
    for (value,), n in groups.items():
        assert f"{n} of {total} attractor(s)" in r.output.replace("\n", " ")


def test_pandas_is_an_extra():
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert any(d.startswith("pandas") for d in meta["project"]["optional-dependencies"]["pandas"])


def test_a_plain_network_without_phenotype_gets_the_attractor_report(net_file, tmp_path):
    out = tmp_path / "r.html"
    r = run("report", net_file, "--fix", "L=1", "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert 'id="attractors"' in html and 'id="screen"' not in html and "restoring" not in html
    r = run("report", net_file, "--fix", "L=1", "--phenotype", "on=Q", "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert 'id="screen"' in out.read_text()


def test_the_report_footer_names_the_engine_that_ran():
    from logicnet.report import build_report

    net = Network.from_rules(RULES)
    explicit = build_report(net, fix={"L": 1}, phenotype=None, validation=False)
    assert "by exhaustive search" in explicit
    import logicnet.report as rep
    from unittest import mock

    aset = logicnet.find_attractors(net, fix={"L": 1}, update="async", engine="symbolic")
    assert aset.engine == "symbolic"
    with mock.patch("logicnet.attractors.find_attractors", lambda *a, **k: aset):
        symbolic = rep.build_report(net, fix={"L": 1}, update="async", phenotype=None, validation=False)
    assert "binary decision diagrams" in symbolic and "exhaustive" not in symbolic


def test_convert_keeps_the_leading_comments_in_every_format(tmp_path):
    src = tmp_path / "m.bnet"
    src.write_text("# Faure A et al. (2006) Bioinformatics 22:e124\n# doi:10.1093/bioinformatics/btl210\n\n"
                   "# @description A: a node\ntargets, factors\nA, A\nB, A & !B\n")
    rules, sbml, back = tmp_path / "m.rules", tmp_path / "m.sbml", tmp_path / "back.bnet"
    for a, b in ((src, rules), (rules, sbml), (sbml, back)):
        r = run("convert", a, b)
        assert r.exit_code == 0, r.output
    assert rules.read_text().startswith("# Faure A et al. (2006) Bioinformatics 22:e124\n"
                                        "# doi:10.1093/bioinformatics/btl210\n")
    assert "<p>doi:10.1093/bioinformatics/btl210</p>" in sbml.read_text()
    assert back.read_text().startswith("# Faure A et al. (2006) Bioinformatics 22:e124\n")
    assert read_network(back).rules == read_network(src).rules
    assert read_network(back).annotation("A", "description") == "a node"
    r = run("convert", src, "-", "--to", "rules")
    assert r.stdout.startswith("# Faure A et al.")


def test_one_count_of_the_loops_an_intervention_cuts():
    from logicnet.plot import _loops_label, highlight_nodes

    # A sits on 2^6 = 64 loops of length 7 (two parallel nodes at each of six steps), and on A's self-loop
    rules = ["A* = A or (X5 and Y5)"] + [f"X{i}* = {'A' if i == 0 else f'X{i-1} or Y{i-1}'}" for i in range(6)]
    rules += [f"Y{i}* = {'A' if i == 0 else f'X{i-1} or Y{i-1}'}" for i in range(6)] + ["P* = A"]
    net = Network.from_rules("\n".join(rules))
    hl = highlight_nodes(net, "A KO", readouts=["P"])
    res = logicnet.screen(net, phenotype="on=P", targets=["A"], max_order=1)
    expl = res.results[0].explanation
    assert hl["n_loops_cut"] == expl["n_loops_cut"] == 65
    assert len(hl["loops_cut"]) == len(expl["loops_cut"]) == 10
    assert _loops_label(hl) == _loops_label(expl) == "feedback loops cut (65; 10 drawn)"


def test_a_directory_is_named_as_one(tmp_path):
    with pytest.raises(LogicnetError, match="is a directory; give one model file in it"):
        read_network(tmp_path)
    r = CliRunner().invoke(main, ["attractors", str(tmp_path)])
    assert r.exit_code == 1 and "is a directory" in r.output and "Traceback" not in r.output
