"""SBML-qual import and export (logicnet.io.sbmlqual).

Expected answers come from elsewhere: by hand for the tiny documents written
here, and from the ``.bnet`` twin of every ``.sbml`` model in ../shared/models.
"""

from __future__ import annotations

import os
import warnings

import libsbml
import numpy as np
import pytest
from click.testing import CliRunner

from logicnet import Network
from logicnet.errors import LogicnetError, LogicnetWarning, RuleSyntaxError
from logicnet.expr import ALGEBRA, FALSE, TRUE, parse_expression, symbols, truth_table
from logicnet.io import read_network, write_network
from logicnet.io.sbmlqual import (
    generate_sbmlqual,
    parse_sbmlqual,
    read_sbmlqual,
    write_sbmlqual,
)

from .conftest import MODELS, model_params, quiet_read

# Models whose SBML and .bnet legitimately differ, with the reason.  None do today:
# every BBM model's .sbml holds exactly the functions of its .bnet.
LEGITIMATELY_DIFFERENT: dict[str, str] = {}

MAX_TABLE_VARIABLES = 20


# -- equivalence of two rules --------------------------------------------------------------
def _tseitin(expr, var, clauses, new_var):
    """A literal equal to ``expr``; its defining clauses are appended to ``clauses``."""
    if expr == TRUE or expr == FALSE:
        t = new_var()
        clauses.append([t] if expr == TRUE else [-t])
        return t
    if isinstance(expr, ALGEBRA.Symbol):
        return var(str(expr.obj))
    if isinstance(expr, ALGEBRA.NOT):
        return -_tseitin(expr.args[0], var, clauses, new_var)
    lits = [_tseitin(a, var, clauses, new_var) for a in expr.args]
    t = new_var()
    if isinstance(expr, ALGEBRA.AND):   # t <-> AND(lits)
        clauses.extend([-t, lit] for lit in lits)
        clauses.append([t] + [-lit for lit in lits])
    else:                               # t <-> OR(lits)
        clauses.extend([t, -lit] for lit in lits)
        clauses.append([-t] + lits)
    return t


def sat_equivalent(f, g) -> bool:
    """True if no assignment makes ``f`` and ``g`` differ (clasp on a Tseitin CNF of f xor g)."""
    import clingo

    ids: dict[str, int] = {}
    count = [0]

    def new_var() -> int:
        count[0] += 1
        return count[0]

    def var(name: str) -> int:
        if name not in ids:
            ids[name] = new_var()
        return ids[name]

    clauses: list[list[int]] = []
    a = _tseitin(f, var, clauses, new_var)
    b = _tseitin(g, var, clauses, new_var)
    clauses.extend([[a, b], [-a, -b]])  # a xor b must hold
    ctl = clingo.Control(["-W", "none"])
    with ctl.backend() as bk:
        atoms = [bk.add_atom() for _ in range(count[0])]
        bk.add_rule(atoms, choice=True)
        for clause in clauses:  # violated when every literal is false
            bk.add_rule([], [-atoms[v - 1] if v > 0 else atoms[-v - 1] for v in clause])
    return ctl.solve().unsatisfiable


def same_function(f, g) -> bool:
    variables = sorted(symbols(f) | symbols(g))
    if len(variables) <= MAX_TABLE_VARIABLES:
        return bool(np.array_equal(truth_table(f, variables), truth_table(g, variables)))
    return sat_equivalent(f, g)


def differing_nodes(a: Network, b: Network) -> list[str]:
    return [n for n in a.nodes if not same_function(a.rules[n], b.rules[n])]


def test_sat_equivalence_detects_both_answers():
    names = [f"x{i}" for i in range(24)]
    conj = parse_expression(" & ".join(names))
    demorgan = parse_expression("!(" + " | ".join("!" + n for n in names) + ")")
    one_flipped = parse_expression(" & ".join(names[:-1] + ["!" + names[-1]]))
    assert sat_equivalent(conj, demorgan)
    assert not sat_equivalent(conj, one_flipped)
    assert not sat_equivalent(conj, FALSE)
    assert sat_equivalent(parse_expression("x0 | !x0"), TRUE)
    assert not same_function(conj, one_flipped)  # > 20 variables: goes through SAT


# -- the corpus: ../shared/models ------------------------------------------------------------
def _import_pair(path):
    twin = path.with_suffix(".bnet")
    if not twin.is_file():
        pytest.skip(f"{path.name} has no .bnet twin")
    return read_sbmlqual(path), quiet_read(twin)


@pytest.mark.parametrize("path", model_params(".sbml"))
def test_corpus_import_matches_bnet_twin(path):
    if path.stem in LEGITIMATELY_DIFFERENT:
        pytest.skip(LEGITIMATELY_DIFFERENT[path.stem])
    net, twin = _import_pair(path)
    assert sorted(net.nodes) == sorted(twin.nodes)
    assert len(net.nodes) == len(set(net.nodes))
    assert differing_nodes(net, twin) == []
    assert set(net.inputs) == set(twin.inputs)


@pytest.mark.parametrize("path", model_params(".sbml"))
def test_corpus_export_import_round_trip(path):
    twin = quiet_read(path.with_suffix(".bnet"))
    text = generate_sbmlqual(twin)
    doc = libsbml.readSBMLFromString(text)
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    doc.checkConsistency()
    problems = [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
                if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert problems == []
    back = parse_sbmlqual(text)
    assert back.nodes == twin.nodes
    assert back.inputs == twin.inputs
    assert differing_nodes(back, twin) == []


def test_corpus_has_models():
    if not MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    assert len(list(MODELS.glob("*.sbml"))) >= 40


# -- hand-written documents -------------------------------------------------------------------
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"
      xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" qual:required="true">
  <model id="toy" name="Toy model">
    <listOfCompartments><compartment id="c" constant="true"/></listOfCompartments>
"""
TAIL = """  </model>
</sbml>
"""


def species(sid, *, name=None, constant=False, initial=None, max_level=1):
    attrs = f'qual:id="{sid}" qual:compartment="c" qual:constant="{str(constant).lower()}"'
    if name is not None:
        attrs += f' qual:name="{name}"'
    if initial is not None:
        attrs += f' qual:initialLevel="{initial}"'
    if max_level is not None:
        attrs += f' qual:maxLevel="{max_level}"'
    return f"      <qual:qualitativeSpecies {attrs}/>\n"


def term(mathml, level=1):
    level_attr = "" if level is None else f' qual:resultLevel="{level}"'
    return (f"          <qual:functionTerm{level_attr}>\n"
            f'            <math xmlns="http://www.w3.org/1998/Math/MathML">{mathml}</math>\n'
            f"          </qual:functionTerm>\n")


def transition(tid, output, terms=(), *, default=0, inputs=(), thresholds=None):
    """``inputs``: species ids; ``thresholds``: {input id: (species, thresholdLevel)}."""
    rows = [f'          <qual:input qual:qualitativeSpecies="{s}" qual:transitionEffect="none"/>\n' for s in inputs]
    for iid, (s, level) in (thresholds or {}).items():
        rows.append(f'          <qual:input qual:id="{iid}" qual:qualitativeSpecies="{s}" '
                    f'qual:transitionEffect="none" qual:thresholdLevel="{level}"/>\n')
    out = f"      <qual:transition qual:id=\"{tid}\">\n"
    if rows:
        out += "        <qual:listOfInputs>\n" + "".join(rows) + "        </qual:listOfInputs>\n"
    out += ("        <qual:listOfOutputs>\n"
            f'          <qual:output qual:qualitativeSpecies="{output}" qual:transitionEffect="assignmentLevel"/>\n'
            "        </qual:listOfOutputs>\n")
    if terms or default is not None:
        out += "        <qual:listOfFunctionTerms>\n"
        if default is not None:
            out += f'          <qual:defaultTerm qual:resultLevel="{default}"/>\n'
        out += "".join(terms) + "        </qual:listOfFunctionTerms>\n"
    return out + "      </qual:transition>\n"


def document(species_xml, transitions_xml=""):
    text = HEAD + "    <qual:listOfQualitativeSpecies>\n" + "".join(species_xml)
    text += "    </qual:listOfQualitativeSpecies>\n"
    if transitions_xml:
        text += "    <qual:listOfTransitions>\n" + "".join(transitions_xml) + "    </qual:listOfTransitions>\n"
    return text + TAIL


def ci(name):
    return f"<ci>{name}</ci>"


def cn(value, kind="integer"):
    return f'<cn type="{kind}">{value}</cn>' if kind else f"<cn>{value}</cn>"


def apply(op, *args):
    return f"<apply><{op}/>{''.join(args)}</apply>"


A1, B1 = apply("eq", ci("A"), cn(1)), apply("eq", ci("B"), cn(1))


def rule_of_C(*terms, default=0, thresholds=None):
    """Read a model with inputs A, B and C updated by ``terms``; C's rule's table over (A, B)."""
    text = document([species("A"), species("B"), species("C")],
                    [transition("tC", "C", terms, default=default, inputs=("A", "B"), thresholds=thresholds)])
    net = parse_sbmlqual(text)
    assert net.inputs == ("A", "B")
    return truth_table(net.rules["C"], ["A", "B"]).astype(int).tolist()


# Rows are (A, B) = (0, 0), (1, 0), (0, 1), (1, 1); each expected table worked out by hand.
OPERATORS = [
    ("and", apply("and", A1, B1), [0, 0, 0, 1]),
    ("or", apply("or", A1, B1), [0, 1, 1, 1]),
    ("not", apply("not", A1), [1, 0, 1, 0]),
    ("xor", apply("xor", A1, B1), [0, 1, 1, 0]),
    ("xor-3-ary", apply("xor", A1, B1, A1), [0, 0, 1, 1]),
    ("xor-4-ary", apply("xor", A1, B1, A1, "<true/>"), [1, 1, 0, 0]),
    ("implies", apply("implies", A1, B1), [1, 0, 1, 1]),
    ("and-3-ary", apply("and", A1, B1, apply("not", A1)), [0, 0, 0, 0]),
    ("or-1-ary", apply("or", B1), [0, 0, 1, 1]),
    ("true", "<true/>", [1, 1, 1, 1]),
    ("false", "<false/>", [0, 0, 0, 0]),
    ("bare-species", ci("A"), [0, 1, 0, 1]),
    ("eq-1", A1, [0, 1, 0, 1]),
    ("eq-0", apply("eq", ci("A"), cn(0)), [1, 0, 1, 0]),
    ("neq-1", apply("neq", ci("A"), cn(1)), [1, 0, 1, 0]),
    ("neq-0", apply("neq", ci("A"), cn(0)), [0, 1, 0, 1]),
    ("geq-1", apply("geq", ci("A"), cn(1)), [0, 1, 0, 1]),
    ("geq-0", apply("geq", ci("A"), cn(0)), [1, 1, 1, 1]),
    ("gt-0", apply("gt", ci("A"), cn(0)), [0, 1, 0, 1]),
    ("gt-1", apply("gt", ci("A"), cn(1)), [0, 0, 0, 0]),
    ("leq-0", apply("leq", ci("A"), cn(0)), [1, 0, 1, 0]),
    ("leq-1", apply("leq", ci("A"), cn(1)), [1, 1, 1, 1]),
    ("lt-1", apply("lt", ci("A"), cn(1)), [1, 0, 1, 0]),
    ("lt-0", apply("lt", ci("A"), cn(0)), [0, 0, 0, 0]),
    ("eq-2", apply("eq", ci("A"), cn(2)), [0, 0, 0, 0]),
    ("real-gt-half", apply("gt", ci("A"), cn("0.5", "real")), [0, 1, 0, 1]),
    ("untyped-number", apply("eq", ci("B"), cn("1", None)), [0, 0, 1, 1]),
    # the number on the left
    ("left-eq-1", apply("eq", cn(1), ci("A")), [0, 1, 0, 1]),
    ("left-eq-0", apply("eq", cn(0), ci("A")), [1, 0, 1, 0]),
    ("left-neq-0", apply("neq", cn(0), ci("A")), [0, 1, 0, 1]),
    ("left-geq-1", apply("geq", cn(1), ci("A")), [1, 1, 1, 1]),
    ("left-geq-0", apply("geq", cn(0), ci("A")), [1, 0, 1, 0]),
    ("left-gt-0", apply("gt", cn(0), ci("A")), [0, 0, 0, 0]),
    ("left-gt-1", apply("gt", cn(1), ci("A")), [1, 0, 1, 0]),
    ("left-leq-1", apply("leq", cn(1), ci("A")), [0, 1, 0, 1]),
    ("left-leq-0", apply("leq", cn(0), ci("A")), [1, 1, 1, 1]),
    ("left-lt-0", apply("lt", cn(0), ci("A")), [0, 1, 0, 1]),
    ("left-lt-1", apply("lt", cn(1), ci("A")), [0, 0, 0, 0]),
    # two species compared
    ("species-eq", apply("eq", ci("A"), ci("B")), [1, 0, 0, 1]),
    ("species-neq", apply("neq", ci("A"), ci("B")), [0, 1, 1, 0]),
    ("species-geq", apply("geq", ci("A"), ci("B")), [1, 1, 0, 1]),
    ("species-gt", apply("gt", ci("A"), ci("B")), [0, 1, 0, 0]),
    ("species-leq", apply("leq", ci("A"), ci("B")), [1, 0, 1, 1]),
    ("species-lt", apply("lt", ci("A"), ci("B")), [0, 0, 1, 0]),
    # a chain: A <= B <= 1 is A <= B
    ("chain-leq", apply("leq", ci("A"), ci("B"), cn(1)), [1, 0, 1, 1]),
    ("constants-compared", apply("lt", cn(0), cn(1)), [1, 1, 1, 1]),
]


@pytest.mark.parametrize("mathml, expected", [pytest.param(m, e, id=i) for i, m, e in OPERATORS])
def test_mathml_operators(mathml, expected):
    assert rule_of_C(term(mathml)) == expected


@pytest.mark.parametrize("mathml, thresholds, expected", [
    pytest.param(apply("geq", ci("A"), ci("thA")), {"thA": ("A", 1)}, [0, 1, 0, 1], id="geq-threshold-1"),
    pytest.param(apply("geq", ci("A"), ci("thA")), {"thA": ("A", 0)}, [1, 1, 1, 1], id="geq-threshold-0"),
    pytest.param(apply("lt", ci("B"), ci("thB")), {"thB": ("B", 1)}, [1, 1, 0, 0], id="lt-threshold-1"),
    pytest.param(apply("leq", ci("thB"), ci("B")), {"thB": ("B", 1)}, [0, 0, 1, 1], id="threshold-on-left"),
    pytest.param(apply("and", apply("geq", ci("A"), ci("tA")), apply("lt", ci("B"), ci("tB"))),
                 {"tA": ("A", 1), "tB": ("B", 1)}, [0, 1, 0, 0], id="two-thresholds"),
])
def test_thresholds_by_symbol(mathml, thresholds, expected):
    assert rule_of_C(term(mathml), thresholds=thresholds) == expected


def test_default_term_one_negates_the_zero_terms():
    # C is 0 when A and B are both 1, else 1 (the default).
    assert rule_of_C(term(apply("and", A1, B1), level=0), default=1) == [1, 1, 1, 0]


def test_default_term_one_without_zero_terms_is_true():
    assert rule_of_C(term(A1, level=1), default=1) == [1, 1, 1, 1]


def test_several_terms_are_ored():
    only_a = apply("and", A1, apply("not", B1))
    only_b = apply("and", apply("not", A1), B1)
    assert rule_of_C(term(only_a), term(only_b)) == [0, 1, 1, 0]


def test_missing_default_term_means_zero():
    assert rule_of_C(term(A1), default=None) == [0, 1, 0, 1]


def test_constants_inputs_and_order():
    text = document(
        [species("K", constant=True, initial=1), species("Z", constant=True, initial=0),
         species("free"), species("declared"), species("defaulted"), species("T", initial=1)],
        [transition("t1", "declared", default=None, inputs=("declared",)),
         transition("t2", "defaulted", default=1),
         transition("t3", "T", [term(apply("and", apply("eq", ci("K"), cn(1)), apply("eq", ci("free"), cn(1))))])])
    net = parse_sbmlqual(text)
    assert net.nodes == ("K", "Z", "free", "declared", "defaulted", "T")
    assert net.constants == {"K": 1, "Z": 0, "defaulted": 1}
    assert net.inputs == ("free", "declared")
    assert net.regulators("T") == ("K", "free")
    assert net.annotation("T", "initial") == "True"
    assert net.name == "Toy model"


def test_constant_without_initial_level_is_an_error():
    text = document([species("K", constant=True)])
    with pytest.raises(RuleSyntaxError) as info:
        parse_sbmlqual(text, source="k.sbml")
    err = info.value
    assert "'K'" in err.message and "initialLevel" in err.message
    assert err.line == text.splitlines().index(species("K", constant=True).rstrip("\n")) + 1


def test_ids_keep_the_name_as_description():
    text = document([species("s1", name="Akt kinase"), species("s2", name="s2")])
    net = parse_sbmlqual(text, names=False)
    assert net.nodes == ("s1", "s2")
    assert net.annotation("s1", "description") == "Akt kinase"
    assert net.annotation("s2", "description") == ""


def test_names_true_with_collisions_and_invalid_names():
    text = document(
        [species("s1", name="Akt"), species("s2", name="Akt"), species("s3", name="p53"),
         species("s4", name="NF-kB"), species("s5", name="s6"), species("s6", name="bad name")],
        [transition("t", "s3", [term(apply("eq", ci("s1"), cn(1)))])])
    with pytest.warns(LogicnetWarning) as record:
        net = parse_sbmlqual(text, names=True)
    assert net.nodes == ("s1", "s2", "p53", "NF-kB", "s5", "s6")
    assert net.rules["p53"] == parse_expression("s1")
    message = str(record[0].message)
    for sid in ("s1", "s2", "s5", "s6"):
        assert sid in message
    assert "'Akt'" in message and "'bad name'" in message and "NF-kB" not in message
    # a name that did not become the node name is kept as its description
    assert net.annotation("s6", "description") == "bad name"
    assert net.annotation("p53", "description") == ""


def test_names_are_the_default_like_cellcollective_exports(tmp_path):
    # CellCollective writes ids S_1, S_2 ... and the real names in `name`
    text = document(
        [species("S_1", name="C-Myc"), species("S_2", name="Ca2+c"), species("S_3", name="EGFR")],
        [transition("t1", "S_1", [term(apply("and", apply("eq", ci("S_2"), cn(1)), apply("eq", ci("S_3"), cn(1))))]),
         transition("t2", "S_2", [term(apply("eq", ci("S_1"), cn(0)))])])
    p = tmp_path / "cc.sbml"
    p.write_text(text)
    net = read_network(p)
    assert net.nodes == ("C-Myc", "Ca2+c", "EGFR")
    assert net.rules["C-Myc"] == parse_expression("Ca2+c & EGFR")
    assert net.rules["Ca2+c"] == parse_expression("!C-Myc")
    ids = read_network(p, names=False)
    assert ids.nodes == ("S_1", "S_2", "S_3") and ids.rules["S_1"] == parse_expression("S_2 & S_3")


def test_names_true_without_problems_does_not_warn():
    text = document([species("s1", name="Akt"), species("s2")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_sbmlqual(text, names=True).nodes == ("Akt", "s2")


def test_multi_valued_species_are_refused():
    text = document([species("A", max_level=2), species("B"), species("C", max_level=3)])
    with pytest.raises(LogicnetError) as info:
        parse_sbmlqual(text, source="mv.sbml")
    msg = str(info.value)
    assert "Boolean models only" in msg and "more than two levels" in msg
    assert "A (maxLevel 2)" in msg and "C (maxLevel 3)" in msg and "B " not in msg


def test_result_level_two_is_multi_valued():
    text = document([species("A", max_level=None), species("C", max_level=None)],
                    [transition("t", "C", [term(A1, level=2)])])
    with pytest.raises(LogicnetError, match="more than two levels: C"):
        parse_sbmlqual(text)


# -- bad files -------------------------------------------------------------------------------
GOOD = document([species("A"), species("B"), species("C")],
                [transition("tC", "C", [term(apply("and", A1, B1))], inputs=("A", "B"))])


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


BAD = [
    ("not-xml", "this is not XML", "not well-formed XML", 1),
    ("empty", "", "empty", None),
    ("truncated", GOOD[: GOOD.index("<qual:listOfOutputs>") + 10], "not well-formed XML", None),
    ("not-sbml", '<?xml version="1.0" encoding="UTF-8"?>\n<html><body/></html>', "not an SBML document", None),
    ("no-model", '<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"/>',
     "no <model>", None),
    ("no-qual", ('<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">\n'
                 '<model id="m"/></sbml>'), "qual package", 2),
    ("level-2", ('<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4">\n'
                 '<model id="m"/></sbml>'), "qual package", 2),
    ("no-species", HEAD + TAIL, "no qualitative species", None),
    ("unknown-species", GOOD.replace(ci("B"), ci("Bb")), "'Bb'", _line_of(GOOD, "<qual:functionTerm")),
    ("missing-result-level", GOOD.replace(' qual:resultLevel="1"', ""), "no resultLevel",
     _line_of(GOOD, "<qual:functionTerm")),
    ("missing-default-level", GOOD.replace('<qual:defaultTerm qual:resultLevel="0"/>', "<qual:defaultTerm/>"),
     "no resultLevel", _line_of(GOOD, "<qual:defaultTerm")),
    ("output-not-species", GOOD.replace('qual:qualitativeSpecies="C" qual:transitionEffect="assignmentLevel"',
                                        'qual:qualitativeSpecies="D" qual:transitionEffect="assignmentLevel"'),
     "not a qualitative species", _line_of(GOOD, "<qual:output ")),
    ("input-not-species", GOOD.replace('qual:qualitativeSpecies="B" qual:transitionEffect="none"',
                                       'qual:qualitativeSpecies="Q" qual:transitionEffect="none"'),
     "not a qualitative species", _line_of(GOOD, 'qual:qualitativeSpecies="B"')),
    ("two-transitions", document([species("A"), species("C")],
                                 [transition("t1", "C", [term(A1)]), transition("t2", "C", [term(A1)])]),
     "two transitions", None),
    ("constant-output", document([species("A"), species("C", constant=True, initial=0)],
                                 [transition("t1", "C", [term(A1)])]), "constant", None),
    ("no-output", GOOD.replace(GOOD[GOOD.index("        <qual:listOfOutputs>"):
                                    GOOD.index("        <qual:listOfFunctionTerms>")], ""),
     "no output", _line_of(GOOD, "<qual:transition ")),
    ("arithmetic", GOOD.replace("<and/>", "<plus/>"), "the MathML element <plus>", _line_of(GOOD, "<qual:functionTerm")),
    ("threshold-without-level", document(
        [species("A"), species("C")],
        [transition("t", "C", [term(apply("geq", ci("A"), ci("thA")))])]).replace(
        "<qual:listOfOutputs>", '<qual:listOfInputs><qual:input qual:id="thA" qual:qualitativeSpecies="A" '
                                'qual:transitionEffect="none"/></qual:listOfInputs>\n<qual:listOfOutputs>'),
     "no thresholdLevel", None),
    ("number-as-condition", GOOD.replace(apply("and", A1, B1), cn(3)), "number 3", None),
    ("duplicate-species", document([species("A"), species("A")]), "used twice", None),
]


@pytest.mark.parametrize("text, fragment, line", [pytest.param(t, f, n, id=i) for i, t, f, n in BAD])
def test_bad_files_raise_a_sentence(text, fragment, line):
    with pytest.raises(RuleSyntaxError) as info:
        parse_sbmlqual(text, source="bad.sbml")
    err = info.value
    assert fragment in err.message
    assert err.source == "bad.sbml"
    if line is not None:
        assert err.line == line
    _assert_plain_sentence(err.message)
    assert str(err).startswith("bad.sbml")


def _assert_plain_sentence(message):
    assert message and message[0].islower() and " " in message
    for internal in ("libsbml", "Traceback", "ASTNode", "SBase", "<Swig", "0x", "None"):
        assert internal not in message


def test_bad_file_error_shows_the_line():
    text = GOOD.replace(ci("B"), ci("Bb"))
    err = pytest.raises(RuleSyntaxError, parse_sbmlqual, text).value
    assert "did you mean 'B'" in err.message
    assert err.text is not None and "<qual:functionTerm" in err.text
    assert err.column == err.text.index("<") + 1


def test_unknown_transition_effect_production():
    text = GOOD.replace('qual:transitionEffect="assignmentLevel"', 'qual:transitionEffect="production"')
    with pytest.raises(RuleSyntaxError, match="production"):
        parse_sbmlqual(text)


def test_positions_without_xml_declaration():
    text = GOOD[GOOD.index("\n") + 1:]  # no <?xml ...?> line: positions must not shift
    err = pytest.raises(RuleSyntaxError, parse_sbmlqual, text.replace(ci("B"), ci("Bb"))).value
    assert err.line == _line_of(text, "<qual:functionTerm")
    err = pytest.raises(RuleSyntaxError, parse_sbmlqual, "<a>\n<b></a>").value
    assert err.line == 2


def test_sbml_rule_breaks_are_tolerated_unless_strict():
    # Published files often omit the species' compartment; the logic is still clear.
    text = GOOD.replace(' qual:compartment="c"', "")
    assert parse_sbmlqual(text).rules["C"] == parse_expression("A & B")
    with pytest.raises(RuleSyntaxError, match="compartment") as info:
        parse_sbmlqual(text, strict=True)
    _assert_plain_sentence(info.value.message)
    assert parse_sbmlqual(generate_sbmlqual(Network.from_rules("A* = A")), strict=True).nodes == ("A",)


def test_deep_nesting_is_read():
    # 5001 negations (odd): not A.  Published files nest binary and/or hundreds deep.
    deep = A1
    for _ in range(5001):
        deep = apply("not", deep)
    chain = apply("eq", ci("X0"), cn(1))
    for i in range(1, 1500):
        chain = apply("or", chain, apply("eq", ci(f"X{i}"), cn(1)))
    xs = [species(f"X{i}") for i in range(1500)]
    text = document([species("A"), species("C"), species("D")] + xs,
                    [transition("t", "C", [term(deep)]), transition("u", "D", [term(chain)])])
    net = parse_sbmlqual(text)
    assert net.rules["C"] == parse_expression("!A")
    assert isinstance(net.rules["D"], ALGEBRA.OR) and len(net.rules["D"].args) == 1500  # flattened
    assert sorted(symbols(net.rules["D"])) == sorted(f"X{i}" for i in range(1500))


def test_comparison_of_two_species_reads_simply():
    text = document([species("A"), species("B"), species("C")],
                    [transition("t", "C", [term(apply("geq", ci("A"), ci("B")))])])
    assert parse_sbmlqual(text).rules["C"] == parse_expression("A | !B")


# -- export -----------------------------------------------------------------------------------
def _consistency_errors(text):
    doc = libsbml.readSBMLFromString(text)
    doc.checkConsistency()
    return [doc.getError(i).getMessage() for i in range(doc.getNumErrors())
            if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]


TOY = """# @name Toy: an example
# @description A.1: a node with a dot
# @evidence B: PMID 1 & <2>
# @evidence B: second line
A.1 = True
B = False
A.1* = A.1
B* = A.1 and not B or C
C* = False
K* = True
tr_B* = B | !B
default* = xor_like
xor_like* = (B and not C) or (not B and C)
"""


def test_export_structure_and_round_trip():
    net = Network.from_rules(TOY)
    with pytest.warns(LogicnetWarning, match="not SBML ids"):
        text = generate_sbmlqual(net)
    assert _consistency_errors(text) == []
    doc = libsbml.readSBMLFromString(text)
    assert (doc.getLevel(), doc.getVersion()) == (3, 1) and doc.getPackageRequired("qual")
    model = doc.getModel()
    assert model.getName() == "Toy: an example" and model.getNumCompartments() == 1
    qual = model.getPlugin("qual")
    qs = {s.getName(): s for s in qual.getListOfQualitativeSpecies()}
    assert list(qs) == list(net.nodes)
    assert all(s.getMaxLevel() == 1 for s in qs.values())
    assert qs["C"].getConstant() and qs["C"].getInitialLevel() == 0
    assert qs["K"].getConstant() and qs["K"].getInitialLevel() == 1
    assert not qs["A.1"].getConstant() and qs["A.1"].getInitialLevel() == 1  # the 'initial' annotation
    assert not qs["B"].getConstant() and qs["B"].getInitialLevel() == 0
    # one transition per node that is neither input nor constant
    outputs = [t.getOutput(0).getQualitativeSpecies() for t in qual.getListOfTransitions()]
    assert outputs == [qs[n].getId() for n in ("B", "tr_B", "default", "xor_like")]
    t_b = qual.getListOfTransitions()[0]
    signs = {i.getQualitativeSpecies(): i.getSign() for i in t_b.getListOfInputs()}
    assert signs == {"A_1": libsbml.INPUT_SIGN_POSITIVE, "B": libsbml.INPUT_SIGN_NEGATIVE,
                     "C": libsbml.INPUT_SIGN_POSITIVE}
    assert all(i.getThresholdLevel() == 1 and i.getTransitionEffect() == libsbml.INPUT_TRANSITION_EFFECT_NONE
               for i in t_b.getListOfInputs())
    assert t_b.getOutput(0).getTransitionEffect() == libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL
    assert t_b.getDefaultTerm().getResultLevel() == 0 and t_b.getFunctionTerm(0).getResultLevel() == 1
    t_xor = qual.getListOfTransitions()[3]
    assert {i.getSign() for i in t_xor.getListOfInputs()} == {libsbml.INPUT_SIGN_DUAL}
    t_taut = qual.getListOfTransitions()[1]  # B | !B: B cannot change it
    assert t_taut.getInput(0).getSign() == libsbml.INPUT_SIGN_UNKNOWN
    # readable MathML: eq(ci, 1) comparisons
    assert "<eq/>" in text and "<ci> B </ci>" in text and '<cn type="integer"> 1 </cn>' in text

    back = parse_sbmlqual(text, names=True)
    assert back.nodes == net.nodes
    assert differing_nodes(back, net) == []
    assert back.name == net.name
    assert back.annotation("B", "evidence") == "PMID 1 & <2>\nsecond line"
    assert back.annotation("A.1", "description") == "a node with a dot"
    assert parse_sbmlqual(text).nodes == net.nodes  # names are the default
    plain = parse_sbmlqual(text, names=False)
    assert plain.nodes[0] == "A_1"  # ids: '.' is not allowed in an SBML id


def test_export_ids_never_collide():
    net = Network.from_rules("a.b* = a_b\na_b* = a.b\ntr_a_b* = a_b\ndefault* = default")
    with pytest.warns(LogicnetWarning, match="not SBML ids"):
        text = generate_sbmlqual(net)
    assert _consistency_errors(text) == []
    back = parse_sbmlqual(text, names=True)
    assert back.nodes == net.nodes and differing_nodes(back, net) == []


def test_export_without_name_has_no_model_id():
    net = Network.from_rules("A* = not A")
    assert net.name == ""
    text = generate_sbmlqual(net)
    assert _consistency_errors(text) == []
    assert parse_sbmlqual(text).name == ""


def test_write_and_read_files(tmp_path):
    net = Network.from_rules("A* = A\nB* = A and not B", name="toy")
    for suffix in (".sbml", ".xml"):
        path = tmp_path / f"model{suffix}"
        write_network(net, path)
        assert read_network(path) == net
        assert read_network(path, strict=True) == net
    p = tmp_path / "direct.sbml"
    write_sbmlqual(net, p)
    assert p.read_text(encoding="utf-8") == generate_sbmlqual(net)
    assert sorted(os.listdir(tmp_path)) == ["direct.sbml", "model.sbml", "model.xml"]  # no temp files left


def test_read_names_an_unnamed_model_after_the_file(tmp_path):
    p = tmp_path / "unnamed.sbml"
    write_sbmlqual(Network.from_rules("A* = A"), p)
    assert read_sbmlqual(p).name == "unnamed"


def test_read_missing_file_is_a_logicnet_error(tmp_path):
    with pytest.raises(LogicnetError, match="no such file"):
        read_sbmlqual(tmp_path / "missing.sbml")


def test_round_trip_of_bundled_model():
    from logicnet.networks import bundled_path

    path = bundled_path("faure2006_cell_cycle.bnet")
    if path is None:
        pytest.skip("bundled model not found")
    net = quiet_read(path)
    back = parse_sbmlqual(generate_sbmlqual(net))
    assert back.nodes == net.nodes and differing_nodes(back, net) == []


# -- the command line ------------------------------------------------------------------------------
def test_cli_convert_sbml_to_bnet_and_back(tmp_path):
    from logicnet.cli import main

    sbml = tmp_path / "in.sbml"
    sbml.write_text(document([species("A"), species("B"), species("C", constant=True, initial=1)],
                             [transition("t", "B", [term(apply("and", A1, apply("eq", ci("C"), cn(1))))])]))
    bnet = tmp_path / "out.bnet"
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(sbml), str(bnet)])
    assert result.exit_code == 0, result.output
    net = read_network(bnet)
    assert net.nodes == ("A", "B", "C")
    assert net.rules["B"] == parse_expression("A & C") and net.constants == {"C": 1}

    again = tmp_path / "again.sbml"
    result = runner.invoke(main, ["convert", str(bnet), str(again)])
    assert result.exit_code == 0, result.output
    back = read_sbmlqual(again)
    assert back.nodes == net.nodes and differing_nodes(back, net) == []


def test_cli_broken_sbml_exits_1_without_traceback(tmp_path):
    from logicnet.cli import main

    bad = tmp_path / "broken.sbml"
    bad.write_text(GOOD.replace(ci("B"), ci("Bb")))
    result = CliRunner().invoke(main, ["convert", str(bad), str(tmp_path / "out.bnet")])
    assert result.exit_code == 1
    assert "broken.sbml" in result.output and "'Bb'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.bnet").exists()

    bad.write_text("<not xml")
    result = CliRunner().invoke(main, ["convert", str(bad), str(tmp_path / "out.bnet")])
    assert result.exit_code == 1 and "not well-formed XML" in result.output
    assert "Traceback" not in result.output


def _small_sbml_models():
    """The corpus models with at most 28 variables (exhaustive synchronous search)."""
    from .corpus import model_info

    info = model_info()
    params = []
    for p in model_params(".sbml"):
        path = p.values[0]
        if path is None or info.get(path.stem, {}).get("total", 99) <= 28:
            params.append(p)
    return params


@pytest.mark.parametrize("path", _small_sbml_models())
def test_corpus_sbml_sync_attractors_equal_bnet_twin(path):
    """Synchronous attractors and basins of each imported SBML model equal its .bnet twin's."""
    from logicnet.attractors import find_attractors

    bnet = quiet_read(path.with_suffix(".bnet"))
    sbml = quiet_read(path)
    order = [sbml.index(n) for n in bnet.nodes]

    def keyed(aset, perm):
        out = {}
        for a in aset:
            m = aset.matrix(a)[:, perm]
            out[frozenset(map(tuple, m.astype(int).tolist()))] = a.basin
        return out

    a = keyed(find_attractors(bnet), list(range(bnet.n_nodes)))
    b = keyed(find_attractors(sbml), order)
    assert a == b
