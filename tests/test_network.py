import pickle

import pytest
from hypothesis import given, settings

import logicnet
from logicnet import Network
from logicnet.errors import LogicnetError, UnknownNodeError
from logicnet.expr import FALSE, TRUE

from .strategies import networks


def test_derived_sets():
    net = Network.from_rules("A* = A\nB* = A and not C\nC* = B\nD* = True\nE* = B")
    assert net.inputs == ("A",)
    assert net.constants == {"D": 1}
    assert net.outputs == ("D", "E")
    assert net.regulators("B") == ("A", "C")
    assert net.targets("B") == ("C", "E")


def test_fix_returns_new_network():
    net = Network.from_rules("A* = not B\nB* = A")
    fixed = net.fix({"A": 1, "B": False})
    assert fixed.rules["A"] == TRUE and fixed.rules["B"] == FALSE
    assert net.rules["A"] != TRUE  # original untouched
    with pytest.raises(LogicnetError):
        net.fix({"A": 2})


def test_unknown_node_suggests_close_matches():
    net = Network.from_rules("IGF1R* = IGF1R\nINSR* = IGF1R")
    with pytest.raises(UnknownNodeError) as info:
        net.fix({"IGFR1": 0})
    assert "IGF1R" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_immutable():
    net = Network.from_rules("A* = A")
    with pytest.raises(AttributeError):
        net.nodes = ("B",)
    with pytest.raises(TypeError):
        net.rules["A"] = TRUE


def test_free_input_warning_and_strict():
    with pytest.warns(logicnet.errors.LogicnetWarning) as record:
        net = Network.from_rules("IGF1R_p* = IGF1R")
    assert net.nodes == ("IGF1R_p", "IGF1R") and net.inputs == ("IGF1R",)
    # a name that another extends (ligand EGF, receptor EGFR) is not suggested as a typo
    assert len(record) == 1 and "typo" not in str(record[0].message)
    with pytest.raises(logicnet.errors.RuleSyntaxError):
        Network.from_rules("IGF1R_p* = IGF1R", strict=True)


@settings(max_examples=50, deadline=None)
@given(networks(max_nodes=6))
def test_pickle_and_repr_round_trip(net):
    assert pickle.loads(pickle.dumps(net)) == net
    assert eval(repr(net), {"Network": Network}) == net
    assert hash(pickle.loads(pickle.dumps(net))) == hash(net)


def test_annotations_survive_repr():
    net = Network.from_rules("# @name toy\n# @description A: a kinase\n# @evidence A: textbook\nA* = A")
    again = eval(repr(net), {"Network": Network})
    assert again == net and again.annotation("A", "evidence") == "textbook" and again.name == "toy"


@pytest.mark.parametrize("rules,free,hint", [
    ("v_EGFR* = v_EGF\nB* = B", "v_EGF", None),           # both kinds exist by design
    ("AKT* = PI3KK\nPI3K* = PI3K", "PI3KK", "PI3K"),        # one extra character
    ("AKT* = IGFR1\nIGF1R* = IGF1R", "IGFR1", "IGF1R"),     # two characters swapped
    ("AKT* = akt_p\nAKT_P* = AKT", "akt_p", "AKT_P"),       # letter case only
    ("AKT* = XYZ\nPI3K* = PI3K", "XYZ", None),              # nothing close
    ("AKT* = v_EGF\nv_TGF* = v_TGF", "v_EGF", None),        # another growth factor, not a typo
    ("AKT* = v_EGG\nv_EGF* = v_EGF", "v_EGG", "v_EGF"),     # a changed last letter
])
def test_free_input_hints_only_plausible_typos(rules, free, hint):
    with pytest.warns(logicnet.errors.LogicnetWarning) as record:
        Network.from_rules(rules)
    assert len(record) == 1
    msg = str(record[0].message)
    assert f"free inputs that keep their value: {free}" in msg
    if hint is None:
        assert "typo" not in msg
    else:
        assert msg.endswith(f"(possible typos: {free} -> {hint})")


def test_warning_shows_the_callers_line_not_logicnets(recwarn):
    import warnings

    warnings.simplefilter("always")
    Network.from_rules("A* = B")
    (w,) = [w for w in recwarn if issubclass(w.category, logicnet.errors.LogicnetWarning)]
    assert w.filename == __file__


@settings(max_examples=30, deadline=None)
@given(networks(max_nodes=6, odd_names=True))
def test_repr_round_trips_names_with_dashes_pluses_and_leading_digits(net):
    assert eval(repr(net), {"Network": Network}) == net
