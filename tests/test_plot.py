"""Pictures: `logicnet plot attractors|screen`, `logicnet graph` and logicnet.plot."""

from __future__ import annotations

import json
import re
import struct
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")

from logicnet.cli import main
from logicnet.networks import bundled_path

from logicnet import Network, plot
from logicnet.attractors import find_attractors
from logicnet.errors import LogicnetError
from logicnet.graph import signed_edges
from logicnet.io.study import read_study

from .corpus import MODELS, quiet_read

IGF = "networks/igf_axis.toml"
HCC = ["--context", "HCC", "--drug", "lenvatinib"]
P53 = MODELS / "bbm184_p53_mdm2_network.bnet"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def study():
    return read_study(bundled_path("igf_axis.toml"))


@pytest.fixture
def p53():
    if not P53.is_file():
        pytest.skip(f"{P53} is not present (../shared/models)")
    return P53


def _ids(svg_path, prefix):
    root = ET.parse(svg_path).getroot()
    return [el for el in root.iter() if el.get("id", "").startswith(prefix)]


def _png_size(path):
    with open(path, "rb") as fh:
        data = fh.read(32)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _run(runner, args):
    r = runner.invoke(main, args)
    assert r.exit_code == 0, r.output
    return r


def _parse_dot(text):
    """A tiny DOT reader (what write_dot writes): nodes and edges with their attributes."""
    token = r'"((?:[^"\\]|\\.)*)"'
    attrs_re = re.compile(r'(\w+)=' + token)
    nodes, edges = {}, {}
    assert text.startswith("digraph ") and text.rstrip().endswith("}")
    for line in text.splitlines()[1:-1]:
        line = line.strip()
        m = re.match(token + r"\s*->\s*" + token + r"\s*\[(.*)\];$", line)
        if m:
            edges[(m.group(1), m.group(2))] = dict(attrs_re.findall(m.group(3)))
            continue
        m = re.match(token + r"\s*\[(.*)\];$", line)
        if m:
            nodes[m.group(1)] = dict(attrs_re.findall(m.group(2)))
    return nodes, edges


# -- attractor heatmap ---------------------------------------------------------------


def test_plot_attractors_igf_svg_has_one_row_per_attractor(runner, tmp_path, study):
    out = tmp_path / "heat.svg"
    _run(runner, ["plot", "attractors", IGF, *HCC, "-o", str(out)])
    cond = study.condition(context="HCC", drugs=["lenvatinib"])
    aset = find_attractors(study.network, fix=cond.fix)
    rows = _ids(out, "heatmap-row-")
    assert len(rows) == len(aset) == 1
    assert all(len(list(r)) == study.network.n_nodes for r in rows)  # one cell per node
    assert len(_ids(out, "phenotype-row-")) == 1
    # the numbers are those of `logicnet attractors --format json`
    r = _run(runner, ["attractors", IGF, *HCC, "--format", "json"])
    d = json.loads(r.stdout)
    assert len(d["attractors"]) == len(rows)
    assert d["attractors"][0]["phenotypes"]["resistant"] == 1.0


def test_plot_attractors_png_async_opens(runner, tmp_path):
    out = tmp_path / "heat.png"
    _run(runner, ["plot", "attractors", IGF, *HCC, "--update", "async", "-o", str(out)])
    w, h = _png_size(out)
    assert w > 2000 and h > 200  # 85 columns: the figure widens with the node count
    from matplotlib.image import imread

    assert imread(str(out)).shape[:2] == (h, w)


def test_node_groups_follow_the_section_comments(study):
    groups = plot.node_groups(study, study.network.nodes)
    from logicnet.networks import bundled_path

    rules = bundled_path("igf_axis.rules").read_text()
    sections = re.findall(r"^# --- (.+?) ---$", rules, flags=re.M)
    assert list(groups) == sections
    assert groups["Phenotypes (readouts)"] == ["Proliferation", "Survival", "Apoptosis", "Angiogenesis", "EMT"]
    assert sorted(n for g in groups.values() for n in g) == sorted(study.network.nodes)
    # a file without sections is one group
    cc = bundled_path("faure2006_cell_cycle.bnet")
    assert list(plot.node_groups(cc, quiet_read(cc).nodes)) == [""]


def test_cycles_and_complex_attractors_are_activity_shares(tmp_path):
    net = quiet_read(bundled_path("faure2006_cell_cycle.bnet"))
    aset = find_attractors(net, update="async")
    assert [a.kind for a in aset] == ["fixed", "complex"]
    path = tmp_path / "cc.svg"
    plot.write_figure(plot.plot_attractors(aset), path)
    assert len(_ids(path, "heatmap-row-")) == 2


def test_same_input_gives_identical_svg_bytes(study):
    cond = study.condition(context="HCC", drugs=["lenvatinib"])
    aset = find_attractors(study.network, fix=cond.fix)
    groups = plot.node_groups(study, study.network.nodes)
    a = plot.figure_bytes(plot.plot_attractors(aset, phenotypes=cond.phenotypes, groups=groups))
    b = plot.figure_bytes(plot.plot_attractors(aset, phenotypes=cond.phenotypes, groups=groups))
    assert a == b and b"Date" not in a
    net = Network.from_rules("A* = A\nB* = A and not C\nC* = B or not B")
    assert plot.figure_bytes(plot.draw_network(net, highlight="C KO")) == \
        plot.figure_bytes(plot.draw_network(net, highlight="C KO"))


def test_plot_attractors_shared_model(runner, tmp_path, p53):
    out = tmp_path / "p53.svg"
    _run(runner, ["plot", "attractors", str(p53), "-o", str(out)])
    net = quiet_read(p53)
    assert len(_ids(out, "heatmap-row-")) == len(find_attractors(net))
    png = tmp_path / "p53.png"
    _run(runner, ["plot", "attractors", str(p53), "--update", "async", "--fix", "v_DNAdam=1", "-o", str(png)])
    assert _png_size(png)[0] > 100
    out2 = tmp_path / "p53b.svg"
    _run(runner, ["plot", "attractors", str(p53), "-o", str(out2)])
    assert out.read_bytes() == out2.read_bytes()


# -- screen chart --------------------------------------------------------------------


def test_plot_screen_igf_bars(runner, tmp_path):
    out = tmp_path / "screen.svg"
    _run(runner, ["plot", "screen", IGF, *HCC, "--max-order", "1", "--top", "8", "--jobs", "1", "-o", str(out)])
    assert len(_ids(out, "screen-bar-")) == 8
    r = _run(runner, ["screen", IGF, *HCC, "--max-order", "1", "--top", "8", "--jobs", "1", "--format", "json"])
    d = json.loads(r.stdout)
    assert d["baseline"]["score"] == 0.0
    assert [h["complete"] for h in d["results"]][:5] == [True] * 5  # FAK, HIF1A, Hypoxia, IGFBP1, ITGA5B1
    png = tmp_path / "screen.png"
    _run(runner, ["plot", "screen", IGF, *HCC, "--max-order", "1", "--top", "3", "--jobs", "1", "-o", str(png)])
    assert _png_size(png)[1] > 100


def _toy_study(tmp_path, network):
    (tmp_path / "toy.toml").write_text(f'''
[study]
name = "toy"
network = "{network}"
[phenotypes]
sensitive = "not P"
[contexts.on]
fix = {{ A = 1 }}
''')
    return tmp_path / "toy.toml"


def test_plot_screen_pairs_and_synergy(runner, tmp_path):
    (tmp_path / "toy.rules").write_text("A* = A\nB* = A\nC* = A\nD* = A\nP* = (B or C) and D\n")
    toy = _toy_study(tmp_path, "toy.rules")
    r = _run(runner, ["screen", str(toy), "--context", "on", "--format", "json", "--jobs", "1"])
    d = json.loads(r.stdout)
    drawn = [h for h in d["results"] if not h["dominated"]]
    assert any(h["hsa_excess"] for h in drawn)  # B KO + C KO is synergistic
    out = tmp_path / "toy.svg"
    _run(runner, ["plot", "screen", str(toy), "--context", "on", "--jobs", "1", "-o", str(out)])
    assert len(_ids(out, "screen-bar-")) == len(drawn)


# -- network -------------------------------------------------------------------------


def _check_graph_files(runner, tmp_path, source, net, extra=()):
    edges = {(u, v): s for u, v, s in signed_edges(net)}
    dot = tmp_path / "g.dot"
    _run(runner, ["graph", source, "-o", str(dot), *extra])
    nodes, dot_edges = _parse_dot(dot.read_text(encoding="utf-8"))
    assert set(nodes) == set(net.nodes)
    assert {k: a["sign"] for k, a in dot_edges.items()} == edges
    for a in dot_edges.values():
        assert a["arrowhead"] == {"+": "normal", "-": "tee", "±": "odot"}[a["sign"]]
        assert a["color"].startswith("#")
    gml = tmp_path / "g.graphml"
    _run(runner, ["graph", source, "-o", str(gml)])
    g = nx.read_graphml(gml)
    assert set(g.nodes) == set(net.nodes)
    assert {(u, v): a["sign"] for u, v, a in g.edges(data=True)} == edges
    svg = tmp_path / "g.svg"
    _run(runner, ["graph", source, "-o", str(svg), *extra])
    assert len(_ids(svg, "node-")) == net.n_nodes
    drawn = {(u, v) for u, v in edges if not (u == v and u in net.inputs)}  # inputs: dashed box, no self-loop
    assert len(_ids(svg, "edge-")) == len(drawn)
    png = tmp_path / "g.png"
    _run(runner, ["graph", source, "-o", str(png), *extra])
    assert min(_png_size(png)) > 200
    return dot_edges


def test_graph_igf_all_formats_with_highlight(runner, tmp_path, study):
    dot_edges = _check_graph_files(runner, tmp_path, IGF, study.network,
                                   extra=["--highlight", "IGFBP1 KO", *HCC])
    # the explanation path IGFBP1 -> ITGA5B1 -> Angiogenesis is drawn thicker
    assert dot_edges[("IGFBP1", "ITGA5B1")].get("highlight") == "path"
    assert dot_edges[("ITGA5B1", "Angiogenesis")].get("highlight") == "path"


def test_graph_shared_model(runner, tmp_path, p53):
    _check_graph_files(runner, tmp_path, str(p53), quiet_read(p53), extra=["--highlight", "v_Mdm2nuc"])


def test_highlight_nodes_explains_like_the_screen(study):
    h = plot.highlight_nodes(study.network, "HIF1A KO", readouts=["Angiogenesis"])
    assert h["targets"] == ["HIF1A"]
    assert ["HIF1A", "IGFBP1", "ITGA5B1", "Angiogenesis"] in [p["nodes"] for p in h["paths"]]
    assert ["Hypoxia", "HIF1A", "VEGF", "VEGFR"] in [lp["nodes"] for lp in h["loops_cut"]]
    # a drug of the study means its targets
    h = plot.highlight_nodes(study.network, "lenvatinib", study=study)
    assert h["targets"] == ["VEGFR", "FGFR1"]


# -- errors --------------------------------------------------------------------------


def test_bad_suffix_is_a_usage_error(runner, tmp_path):
    assert runner.invoke(main, ["plot", "attractors", IGF, "-o", str(tmp_path / "x.jpg")]).exit_code == 2
    assert runner.invoke(main, ["graph", IGF, "-o", str(tmp_path / "x.txt")]).exit_code == 2
    assert runner.invoke(main, ["plot", "screen", IGF]).exit_code == 2  # -o is required
    assert runner.invoke(main, ["plot", "attractors", IGF, "--fix", "AKT", "-o", str(tmp_path / "x.svg")]).exit_code == 2


def test_unknown_highlight_exits_1_and_an_option_that_cannot_apply_2(runner, tmp_path):
    r = runner.invoke(main, ["graph", IGF, "--highlight", "IGFBP KO", "-o", str(tmp_path / "g.svg")])
    assert r.exit_code == 1 and "did you mean" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "g.svg").exists()
    r = runner.invoke(main, ["plot", "attractors", "faure2006_cell_cycle", "--context", "HCC",
                             "-o", str(tmp_path / "a.svg")])
    assert r.exit_code == 2 and "study file" in r.output  # --context cannot apply to a rule file


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(LogicnetError, match=r"pip install 'logicnet\[plot\]'"):
        plot.plot_attractors(find_attractors(Network.from_rules("A* = A")))
    # DOT and GraphML need no matplotlib
    assert "digraph" in "\n".join(plot.generate_dot(Network.from_rules("A* = not A")))


def test_plot_control_stacks_the_sets_of_each_size_by_verdicts():
    from logicnet.controlling import ControlResult, ControlSet

    def cs(rank, pert, a, s, m):
        return ControlSet(rank, pert, {"asynchronous": a, "synchronous": s, "most_permissive": m}, "attractors")

    sets = (cs(1, {"A": 0}, True, True, True), cs(2, {"B": 1}, True, False, True),
            cs(3, {"C": 0, "D": 0}, True, True, True), cs(4, {"C": 1, "E": 0}, True, False, False),
            cs(5, {"D": 1, "E": 1}, True, None, None))
    q = {"network": "toy", "condition_text": "baseline", "phenotype": {"name": "p", "expression": "P"},
         "goal": "robust", "hold": "permanent", "max_size": 3}
    res = ControlResult(q, sets, False, (1, 2), {1: 2, 2: 3, 3: 0})
    fig = plot.plot_control(res)
    heights = {p.get_gid(): p.get_height() for p in fig.axes[0].patches if p.get_gid()}
    assert {k: v for k, v in heights.items() if v} == {
        "control-bar-1-3": 1, "control-bar-1-2": 1, "control-bar-2-3": 1, "control-bar-2-1": 1, "control-bar-2-0": 1}
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "2" in texts and "3" in texts and "0 (incomplete)" in texts
