"""Node names as the formats allow them: read every name, write each format with names it accepts."""

import dataclasses
import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.errors import LogicnetError, LogicnetWarning, RuleSyntaxError
from logicnet.expr import ALGEBRA
from logicnet.io import generate_bnet, generate_booleannet, parse_bnet, parse_booleannet, read_network, write_network
from logicnet.io.sbmlqual import generate_sbmlqual, parse_sbmlqual

from .naive import functions_equal
from .strategies import networks

S = ALGEBRA.Symbol

PUBLISHED = """\
# names as in published BooleanNet models
ins-18 = True
1: C-Myc* = Ca2+c and not H+ATPase
2: Ca2+c* = ins-18 or 14-3-3
H+ATPase* = not 4EBP1
ins-18* = ins-18
4EBP1* = C-Myc
14-3-3* = 14-3-3
"""


def test_booleannet_reads_dashes_pluses_leading_digits_and_rank_labels():
    net = parse_booleannet(PUBLISHED.splitlines())
    assert net.nodes == ("C-Myc", "Ca2+c", "H+ATPase", "ins-18", "4EBP1", "14-3-3")
    # expected rules built directly from symbols, not through the parser
    assert net.rules["C-Myc"] == ALGEBRA.AND(S("Ca2+c"), ALGEBRA.NOT(S("H+ATPase")))
    assert net.rules["Ca2+c"] == ALGEBRA.OR(S("ins-18"), S("14-3-3"))
    assert net.rules["H+ATPase"] == ALGEBRA.NOT(S("4EBP1"))
    assert net.annotation("ins-18", "initial") == "True"
    assert net.inputs == ("ins-18", "14-3-3")


def test_bnet_reads_the_same_names():
    net = parse_bnet(["C-Myc, Ca2+c & !4EBP1", "Ca2+c, Ca2+c", "4EBP1, C-Myc"])
    assert net.rules["C-Myc"] == ALGEBRA.AND(S("Ca2+c"), ALGEBRA.NOT(S("4EBP1")))


@pytest.mark.parametrize("parse,line,col,char", [
    (parse_booleannet, "A$B* = C", 2, "$"),
    (parse_booleannet, "A* = B$C", 7, "$"),
    (parse_booleannet, "NF kB* = C", 3, " "),
    (parse_bnet, "A$B, C", 2, "$"),
    (parse_bnet, "A, B@C", 5, "@"),
])
def test_a_name_that_is_not_allowed_names_the_character_and_the_rule(parse, line, col, char):
    with pytest.raises(RuleSyntaxError) as info:
        parse([line])
    err = info.value
    assert err.column == col, str(err)
    assert repr(char) in err.message
    assert "a node name is made of letters, digits and the characters _ . - +" in err.message


@pytest.mark.parametrize("parse,line,fragment", [
    (parse_booleannet, "12* = A", "'12' is a number"),
    (parse_booleannet, "and* = B", "'and' is an operator or a constant"),
    (parse_bnet, "not, B", "'not' is an operator or a constant"),
])
def test_numbers_and_keywords_are_not_names(parse, line, fragment):
    with pytest.raises(RuleSyntaxError, match=re.escape(fragment)):
        parse([line])


@pytest.mark.parametrize("text,suffix", [(t, s) for t in ("", "\n\n", "# only a comment\n# @name empty\n")
                                         for s in (".rules", ".bnet")] + [("targets, factors\n", ".bnet")])
def test_empty_models_are_an_error(tmp_path, text, suffix):
    p = tmp_path / ("m" + suffix)
    p.write_text(text)
    with pytest.raises(LogicnetError, match="no rules found"):
        read_network(p)


def test_bnet_writer_sanitizes_keeps_the_original_and_reads_it_back(tmp_path):
    net = parse_booleannet(PUBLISHED.splitlines())
    p = tmp_path / "m.bnet"
    with pytest.warns(LogicnetWarning) as record:
        write_network(net, p)
    msg = str(record[0].message)
    assert str(p) in msg and "C-Myc -> C_Myc" in msg and "4EBP1 -> _4EBP1" in msg and "14-3-3 -> _14_3_3" in msg
    text = p.read_text()
    targets = [ln.split(",")[0] for ln in text.splitlines() if ln and not ln.startswith("#")][1:]
    # every target is a name pyboolnet, BoolNet and biodivine accept
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t) for t in targets), targets
    assert "# @node-name Ca2_c: Ca2+c" in text
    assert read_network(p) == dataclasses.replace(net, name="m")  # unnamed models are named after the file


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=7, odd_names=True))
def test_every_format_round_trips_odd_names(net):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LogicnetWarning)
        for parse, generate in ((parse_bnet, generate_bnet), (parse_booleannet, generate_booleannet)):
            assert parse(list(generate(net))) == net
        back = parse_sbmlqual(generate_sbmlqual(net))
        assert back.nodes == net.nodes
        assert functions_equal(back, net)  # MathML flattens nesting; compare truth tables


def test_writers_stay_silent_when_no_name_changes():
    net = Network.from_rules("A* = B\nB* = not A")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(generate_bnet(net)), list(generate_booleannet(net)), generate_sbmlqual(net)


def test_booleannet_writer_sanitizes_names_rule_text_cannot_hold():
    net = Network(("a b", "and"), {"a b": S("and"), "and": S("a b")})
    with pytest.warns(LogicnetWarning, match="'?a b'? -> a_b"):
        lines = list(generate_booleannet(net))
    assert "a_b* = and_2" in lines and "and_2* = a_b" in lines
    assert parse_booleannet(lines) == net


_NAME_ALPHABET = st.sampled_from(list("AB_x1 0-+.()&|!*=,#@:\n") + ["and ", "or ", "not ", "C-Myc", "Ca2+c",
                                                                    "4EBP1", "1: ", "* = ", ", "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_NAME_ALPHABET, max_size=40).map("".join), st.sampled_from([parse_bnet, parse_booleannet]))
def test_fuzz_name_characters_give_a_network_or_a_logicnet_error(text, parse):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            net = parse(text.splitlines())
        except LogicnetError:
            return
        assert isinstance(net, Network)
        again = parse_booleannet(list(generate_booleannet(net)))
        assert again == net
