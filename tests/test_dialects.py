"""Files as other tools export them: Cell Collective's upper-case operators, CellNOptR's
SBML-qual, MaBoSS's own settings (TRUE/True, discrete time), BooleanNet initial values.

Every expected answer is computed independently: brute force (tests/naive.py) on a
network written by hand, a hand count, or MaBoSS's recorded answer.
"""

from __future__ import annotations

import json
import math
import re
import shlex
import warnings

import pytest
from click.testing import CliRunner

from logicnet import Network
from logicnet.attractors import find_attractors
from logicnet.cli import main
from logicnet.errors import LogicnetWarning, RuleSyntaxError
from logicnet.io import parse_bnet, parse_booleannet
from logicnet.io.maboss import parse_maboss, read_maboss
from logicnet.io.sbmlqual import parse_sbmlqual
from logicnet.simulation import simulate

from . import naive
from .corpus import SHARED
from .naive import functions_equal

# -- Cell Collective's expression export: AND OR NOT in upper case ----------------------------

CELL_COLLECTIVE = """\
PKC* = NOT ( ( PIP2_45 ) OR ( AA ) )
PIP2_45* = ( PLC ) AND NOT ( DAG )
AA* = ( PLA2 ) OR ( ( PKC ) AND ( AA ) )
DAG* = ( PIP2_45 ) Or ( PKC )
PLC* = NOT ( DAG ) and ( PLA2 )
PLA2* = PLA2
"""
# The same rules written by hand in lower case (the answer brute force is run on).
BY_HAND = """\
PKC* = not (PIP2_45 or AA)
PIP2_45* = PLC and not DAG
AA* = PLA2 or (PKC and AA)
DAG* = PIP2_45 or PKC
PLC* = not DAG and PLA2
PLA2* = PLA2
"""


def test_cell_collective_upper_case_operators_give_brute_force_attractors():
    net = parse_booleannet(CELL_COLLECTIVE.splitlines())
    ref = Network.from_rules(BY_HAND)
    assert functions_equal(net, ref)
    got = find_attractors(net, update="synchronous")
    assert {frozenset(a.states): a.basin for a in got} == naive.sync_attractors(ref)
    got = find_attractors(net, update="asynchronous")
    assert {frozenset(a.states) for a in got} == naive.async_attractors(ref)


def test_bnet_reads_operator_words_in_any_case():
    net = parse_bnet(["A, B AND NOT C", "B, A Or C", "C, not A"])
    assert functions_equal(net, Network.from_rules("A* = B and not C\nB* = A or C\nC* = not A"))


@pytest.mark.parametrize("rule, col, word", [
    ("A* = B XOR C", 8, "'XOR' is read as a node name"),
    ("A* = B nand C", 8, "'nand' is read as a node name"),
    ("A* = f(B)", 6, "'f' is read as a node name"),
])
def test_an_unknown_word_is_named(rule, col, word):
    with pytest.raises(RuleSyntaxError) as info:
        parse_booleannet([rule, "B* = B", "C* = C", "f* = f"], source="cc.txt")
    assert (info.value.line, info.value.column) == (1, col)
    assert word in info.value.message and "operators are and/or/not" in info.value.message


# -- CellNOptR's toSBMLStandard: stimuli with no inputs and an empty <apply> --------------------

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" \
xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">
\t<model id="ToyModel">
\t\t<listOfCompartments>
\t\t\t<compartment id="default" constant="true"/>
\t\t</listOfCompartments>
\t\t<qual:listOfQualitativeSpecies>
{species}\t\t</qual:listOfQualitativeSpecies>
\t\t<qual:listOfTransitions>
{transitions}\t\t</qual:listOfTransitions>
\t</model>
</sbml>
"""


def _species(sid):
    return f'\t\t\t<qual:qualitativeSpecies qual:id ="{sid}" qual:compartment="main" qual:constant="false"/>\n'


def _transition(tid, out, inputs, body):
    """A transition as toSBMLStandard writes it (CellNOptR, R/toSBMLStandard.R)."""
    ins = "".join(f'\t\t\t\t\t <qual:input  qual:id="theta_{tid}_{s}" qual:qualitativeSpecies="{s}" '
                  f'qual:transitionEffect="none" qual:sign="{sign}" qual:thresholdLevel="1"/>\n'
                  for s, sign in inputs)
    return (f'\t\t\t<qual:transition qual:id="{tid}">\n\t\t\t\t <qual:listOfInputs> \n{ins}'
            f'\t\t\t\t </qual:listOfInputs>\n\t\t\t\t <qual:listOfOutputs>\n'
            f'\t\t\t\t\t <qual:output qual:qualitativeSpecies="{out}" qual:transitionEffect="assignmentLevel"/>\n'
            f'\t\t\t\t </qual:listOfOutputs>\n\t\t\t\t<qual:listOfFunctionTerms>\n'
            f'\t\t\t\t\t<qual:defaultTerm qual:resultLevel="0"/>\n'
            f'\t\t\t\t\t<qual:functionTerm qual:resultLevel="1">\n'
            f'\t\t\t\t\t\t<math xmlns="http://www.w3.org/1998/Math/MathML">\n'
            f'\t\t\t\t\t\t\t<apply>\n{body}\t\t\t\t\t\t\t</apply>\n\t\t\t\t\t\t</math>\n'
            f'\t\t\t\t\t</qual:functionTerm>\n\t\t\t\t</qual:listOfFunctionTerms>\n\t\t\t</qual:transition>\n')


def _eq(s, v):
    return (f"\t\t\t\t\t\t\t\t<apply>\n\t\t\t\t\t\t\t\t\t<eq/>\n\t\t\t\t\t\t\t\t\t<ci> {s} </ci>\n"
            f"\t\t\t\t\t\t\t\t\t<cn type='integer'> {v} </cn>\n\t\t\t\t\t\t\t\t</apply>\n")


CELLNOPT = _HEAD.format(
    species="".join(_species(s) for s in ["EGF", "TNFa", "Ras", "PI3K", "NFkB"]),
    transitions=(_transition("t1", "EGF", [], "") + _transition("t2", "TNFa", [], "")
                 + _transition("t3", "Ras", [("EGF", "positive")], _eq("EGF", 1))
                 + _transition("t4", "PI3K", [("Ras", "positive"), ("TNFa", "negative")],
                               "\t\t\t\t\t\t\t\t<and/>\n" + _eq("Ras", 1) + _eq("TNFa", 0))
                 + _transition("t5", "NFkB", [("TNFa", "positive"), ("PI3K", "positive")],
                               "\t\t\t\t\t\t\t\t<or/>\n" + _eq("TNFa", 1) + _eq("PI3K", 1))))


def _line_of(text, fragment, nth=0):
    return [i for i, ln in enumerate(text.splitlines(), 1) if fragment in ln][nth]


def test_cellnopt_export_reads_with_stimuli_as_inputs_one_warning_each():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = parse_sbmlqual(CELLNOPT, source="cno.sbml")
    ref = Network.from_rules("EGF* = EGF\nTNFa* = TNFa\nRas* = EGF\nPI3K* = Ras and not TNFa\nNFkB* = TNFa or PI3K")
    assert net.nodes == ref.nodes and functions_equal(net, ref)
    assert net.inputs == ("EGF", "TNFa")
    texts = [str(w.message) for w in caught if issubclass(w.category, LogicnetWarning)]
    stimuli = [t for t in texts if "empty <apply>" in t]
    assert len(stimuli) == 2
    for text, (sid, tid) in zip(stimuli, [("EGF", "t1"), ("TNFa", "t2")]):
        line = _line_of(CELLNOPT, "<qual:functionTerm", int(tid[1]) - 1)
        assert text.startswith(f"cno.sbml:{line}: transition '{tid}'") and f"species {sid!r}" in text
    # the species' compartment 'main' is not declared (the model declares 'default'): one warning
    assert [t for t in texts if "compartment 'main'" in t and "5 species" in t] and len(texts) == 3


def test_an_empty_apply_with_inputs_is_a_positioned_error():
    text = CELLNOPT.replace(_eq("EGF", 1), "")  # t3 has an input but an empty <apply>
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuleSyntaxError) as info:
            parse_sbmlqual(text, source="cno.sbml")
    assert info.value.line == _line_of(text, "<qual:functionTerm", 2)
    assert "transition 't3' holds an empty <apply>" in info.value.message


def test_no_error_message_has_a_placeholder():
    text = CELLNOPT.replace("<or/>", "<ceiling/>")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuleSyntaxError) as info:
            parse_sbmlqual(text, source="cno.sbml")
    assert "the MathML element <ceiling>" in info.value.message and "kind of element" not in info.value.message
    with pytest.raises(RuleSyntaxError) as info:
        parse_maboss("Node A { logic = A; }", "max_time = A;")
    assert "the name 'A' is not a number" in info.value.message


# -- MaBoSS settings as MaBoSS's tests write them ------------------------------------------------

def test_maboss_booleans_in_every_form_MaBoSS_reads():
    cfg = ("A.is_internal=TRUE;\nB.Is_Internal = True;\nC.is_internal = false;\nA.istate = FALSE;\n"
           "use_glibcrandgen = True;\nUSE_MTRANDGEN = false;\ndiscrete_time = TRUE;\nmax_time = 3;\n")
    m = parse_maboss("A : B;\nB : A;\nC : C;", cfg)
    assert m.internal == ("A", "B") and m.initial == {"A": 0.0}
    assert m.settings == {"discrete_time": 1.0, "max_time": 3.0}


@pytest.mark.parametrize("cfg, where, message", [
    ("init_pop = 10;", "<cfg>:1:1", "init_pop = 10 asks for a population of cells"),
    ("pop_base = 2;", "<cfg>:1:1", "pop_base = 2 asks for a population"),
    ("\ndiscrete_time = 2;", "<cfg>:2:1", "discrete_time is 0 (continuous time) or 1"),
    ("dicsrete_time = 1;", "<cfg>:1:1", "unknown setting 'dicsrete_time' (did you mean 'discrete_time'?)"),
    ("A.istate = yes;", "<cfg>:1:12", "the name 'yes' is not a number"),
])
def test_maboss_settings_refused_with_a_position(cfg, where, message):
    with pytest.raises(RuleSyntaxError) as info:
        parse_maboss("A : A;", cfg)
    assert str(info.value).startswith(where) and message in str(info.value), str(info.value)
    assert parse_maboss("A : A;", "init_pop = 1; pop_base = 1;").settings == {}


def test_maboss_functions_log_and_exp_by_hand():
    m = parse_maboss("Node A { logic = !A; rate_up = @logic ? exp(2, 3) + exp(0) : log(1.0, 2);\n"
                     "  rate_down = @logic ? 0 : log(8, 2) * log(exp(1)); }")
    assert m.rates["A"][0] == pytest.approx(10.0) and m.rates["A"][1] == pytest.approx(3.0)
    for bnd, col, message in [("Node A { logic = !A; rate_up = @logic ? log(0) : 0; }", 41, "log(0) is not defined"),
                              ("Node A { logic = !A; rate_up = @logic ? sqrt(2) : 0; }", 41, "unknown function sqrt"),
                              ("Node A { logic = log(2); }", 18, "log(...) has no place in a logic rule")]:
        with pytest.raises(RuleSyntaxError) as info:
            parse_maboss(bnd)
        assert info.value.column == col and message in info.value.message


def test_discrete_time_hand_count():
    # X = 1 holds; from A = B = 0 with rate_up A = 1, B = 3, both rules true: the first tick
    # flips A with probability 1/4 and B with 3/4; the second tick the other; then nothing moves.
    net = Network.from_rules("X* = X\nA* = X\nB* = X")
    res = simulate(net, rates={"A": (1.0, 1.0), "B": (3.0, 1.0)}, initial={"X": 1, "A": 0, "B": 0}, time=3,
                   tick=1, samples=20000, seed=4, discrete_time=True)
    expected = [[1.0, 0.0, 0.0], [1.0, 0.25, 0.75], [1.0, 1.0, 1.0]]
    for k in range(3):
        for j in range(3):
            assert abs(res.mean[k, j] - expected[k][j]) <= 4 * res.se[k, j] + 1e-12
    assert res.transitions == 2 * 20000
    assert res.to_dict()["method"].startswith("stochastic simulation (discrete time")


CELLCYCLE = SHARED / "maboss_cellcycle"
# MaBoSS's answer (cmaboss 1.0.0b34, 100,000 trajectories, thread_count = 1) on its own test
# model engine/tests/cellcycle (cellcycle.bnd, cellcycle_runcfg.cfg), last window [4.8, 5):
# {node: (probability, MaBoSS's error)}.  Produced by: python bench/bench_maboss_discrete.py
MABOSS_DISCRETE = {"CycE": (0.0738, 0.0014), "CycA": (0.4492, 0.0033), "CycB": (0.2782, 0.0024)}
MABOSS_CONTINUOUS = {"CycE": (0.1297, 0.0014), "CycA": (0.5670, 0.0032), "CycB": (0.2952, 0.0018)}


@pytest.mark.skipif(not (CELLCYCLE / "c17_cellcycle_runcfg.cfg").is_file(),
                    reason="../shared/maboss_cellcycle is not present")
@pytest.mark.parametrize("discrete", [1, 0])
def test_maboss_cellcycle_as_written_matches_maboss(discrete, tmp_path):
    # MaBoSS's file as written: Rb's rate_up is '@logic ? $fast : log(1.0, 2)' (the copy in
    # ../shared writes 0.0 for it)
    bnd = (CELLCYCLE / "cellcycle.bnd").read_text()
    rb = bnd.index("node Rb")
    bnd = bnd[:rb] + bnd[rb:].replace("rate_up = @logic ? $fast : 0.0;", "rate_up = @logic ? $fast : log(1.0, 2);", 1)
    (tmp_path / "cellcycle.bnd").write_text(bnd)
    cfg = (CELLCYCLE / "c17_cellcycle_runcfg.cfg").read_text()
    assert "is_internal=TRUE" in cfg and "use_glibcrandgen = True" in cfg and "discrete_time = 1" in cfg
    cfg = re.sub(r"sample_count\s*=\s*\d+", "sample_count = 100000", cfg)
    cfg = cfg.replace("discrete_time = 1", f"discrete_time = {discrete}")
    (tmp_path / "run.cfg").write_text(cfg)
    r = CliRunner().invoke(main, ["simulate", str(tmp_path / "cellcycle.bnd"), "--cfg", str(tmp_path / "run.cfg"),
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["samples"] == 100000 and d["tick"] == 0.2 and d["seed"] == 100
    assert ("discrete time" in d["method"]) == bool(discrete)
    for node, (p, e) in (MABOSS_DISCRETE if discrete else MABOSS_CONTINUOUS).items():
        ours, se = d["trajectories"][node]["probability"][-1], d["trajectories"][node]["se"][-1]
        assert abs(ours - p) <= 3 * math.hypot(se, e), (node, ours, p)


# -- BooleanNet initial values ------------------------------------------------------------------

INITIAL = "A = True\nB = False\nC = Random\nA* = A and not B\nB* = not A\nC* = A or C\n"


def test_simulate_starts_from_the_files_initial_values(tmp_path):
    path = tmp_path / "init.rules"
    path.write_text(INITIAL)
    r = CliRunner().invoke(main, ["simulate", str(path), "--time", "1", "--tick", "1", "--samples", "4000",
                                  "--format", "json"])
    d = json.loads(r.stdout)
    # A = 1 and B = 0 never move (A and not B holds, not A is false); C starts at random
    # and A or C turns it on at rate 1: P(C on at t) = 1 - e^-t / 2, so its average over
    # [0, 1) is 1 - (1 - e^-1) / 2.
    assert d["initial"] == {"A": 1.0, "B": 0.0}
    assert d["trajectories"]["A"]["probability"] == [1.0] and d["trajectories"]["B"]["probability"] == [0.0]
    c, se = d["trajectories"]["C"]["probability"][0], d["trajectories"]["C"]["se"][0]
    assert abs(c - (1 - (1 - math.exp(-1)) / 2)) <= 4 * se
    r = CliRunner().invoke(main, ["simulate", str(path), "--time", "1", "--tick", "1", "--samples", "50"])
    assert "start: the file's initial values (A=1 B=0); --initial overrides" in r.stdout
    r = CliRunner().invoke(main, ["simulate", str(path), "--time", "1", "--tick", "1", "--samples", "50",
                                  "--initial", "A=0", "--format", "json"])
    assert json.loads(r.stdout)["initial"] == {"A": 0.0, "B": 0.0}


def test_attractor_probabilities_start_from_the_files_initial_values(tmp_path):
    path = tmp_path / "init.rules"
    path.write_text(INITIAL)
    r = CliRunner().invoke(main, ["attractors", str(path), "--update", "async", "--probabilities", "--format", "json"])
    probs = {a["states"][0]: round(a["probability"], 9) for a in json.loads(r.stdout)["attractors"]}
    # by hand: from A=1, B=0 every run ends in A=1 B=0 C=1
    assert probs == {"010": 0.0, "011": 0.0, "101": 1.0}
    # with A at random: A=0 (half) sends B on and leaves C as it started (half on)
    r = CliRunner().invoke(main, ["attractors", str(path), "--update", "async", "--probabilities", "--initial", "A=0.5",
                                  "--format", "json"])
    probs = {a["states"][0]: round(a["probability"], 9) for a in json.loads(r.stdout)["attractors"]}
    assert probs == {"010": 0.25, "011": 0.25, "101": 0.5}
    r = CliRunner().invoke(main, ["attractors", str(path), "--update", "async", "--probabilities"])
    assert "start: the file's initial values (A=1 B=0)" in r.stdout


# -- tables at 80 columns -------------------------------------------------------------------------

_BOX = "│┃┏┓┗┛━─┡┩╇┳┻┼┬┴└┘┌┐╋╈╀╃╄╅╆╉╊"


def _readme_table_commands():
    """The README's example commands that print tables (files it names that exist here)."""
    from .corpus import ROOT

    text = (ROOT / "README.md").read_text()
    out = []
    for block in re.findall(r"```(?:bash)?\n(.*?)```", text, re.S):
        block = re.sub(r"\\\n\s*", " ", block)  # a command continued on the next line
        for line in block.splitlines():
            line = re.sub(r"^\$ ", "", line.split(" # ")[0].strip())
            if not line.startswith("logicnet ") or re.search(r"--format|[>|]| -o |\.\.\.|pip ", line):
                continue
            args = shlex.split(line)[1:]
            if args[0] in ("convert", "plot", "graph", "report") or "model.bnet" in args or "bad.rules" in args:
                continue
            if "--dask-scheduler" in args:  # needs a running cluster; its table is the local screen's
                continue
            out.append(args)
    # the report: an asynchronous attractor table with ten phenotype columns
    out.append(["attractors", "networks/igf_axis.toml", "--context", "HCC", "--drug", "lenvatinib", "--update", "async"])
    return out


def _words(text):
    return re.split(r"[\s" + _BOX + r"]+", text)


@pytest.mark.parametrize("args", [pytest.param(a, id=" ".join(a)[:60]) for a in _readme_table_commands()])
def test_readme_tables_keep_every_word_whole_at_80_columns(args, tmp_path, monkeypatch):
    from rich.table import Table

    from .corpus import ROOT

    monkeypatch.chdir(ROOT)
    if "cycle.rules" in args:
        CliRunner().invoke(main, ["convert", "networks/faure2006_cell_cycle.bnet", str(tmp_path / "cycle.rules")])
        args = [str(tmp_path / "cycle.rules") if a == "cycle.rules" else a for a in args]
    cells: list[str] = []  # every header and cell of every table the command builds
    add_column, add_row = Table.add_column, Table.add_row
    monkeypatch.setattr(Table, "add_column", lambda self, header="", *a, **k: (cells.append(str(header)),
                                                                               add_column(self, header, *a, **k))[1])
    monkeypatch.setattr(Table, "add_row", lambda self, *row, **k: (cells.extend(map(str, row)),
                                                                   add_row(self, *row, **k))[1])
    r = CliRunner().invoke(main, args, env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert cells, "no table"
    shown = set(_words(r.stdout))
    split = sorted({w for text in cells for w in text.split() if w not in shown})
    assert not split, f"words split or cut: {split[:10]}"
    for line in r.stdout.splitlines():
        assert len(line) <= 80 or max(map(len, _words(line))) > 72, line
