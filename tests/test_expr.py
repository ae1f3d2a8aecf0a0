import itertools

import pytest
from hypothesis import given, settings

from logicnet.errors import LogicnetError, RuleSyntaxError
from logicnet.expr import evaluate, format_expression, parse_expression, symbols, tokenize, truth_table

from .strategies import networks


def test_precedence_not_and_or():
    e = parse_expression("not A and B or C")
    # ((not A) and B) or C, checked on every assignment by hand
    for a, b, c in itertools.product((0, 1), repeat=3):
        assert evaluate(e, {"A": a, "B": b, "C": c}) == int(((not a) and b) or c)


def test_word_and_symbol_operators_mean_the_same():
    a = parse_expression("A & !(B | C)")
    b = parse_expression("A and not (B or C)")
    assert a == b


def test_constants():
    assert evaluate(parse_expression("True"), {}) == 1
    assert evaluate(parse_expression("0 | 1"), {}) == 1
    assert evaluate(parse_expression("False & A"), {"A": 1}) == 0


def test_format_keeps_structure():
    for text in ["A & (B & C)", "(A | B) & C", "!(A & B) | C", "!!A", "A | B | C"]:
        e = parse_expression(text)
        assert format_expression(e, style="bnet") == text
        assert parse_expression(format_expression(e)) == e


def test_truth_table_matches_evaluate():
    e = parse_expression("A & !B | C & A")
    tt = truth_table(e, ["A", "B", "C"])
    for r in range(8):
        vals = {"A": r & 1, "B": (r >> 1) & 1, "C": (r >> 2) & 1}
        assert bool(tt[r]) == bool(evaluate(e, vals))


def test_tokens_have_positions():
    toks = list(tokenize("A and\n  not B"))
    assert [(t.kind, t.column) for t in toks][:2] == [("NAME", 1), ("AND", 3)]


@pytest.mark.parametrize("text,col,fragment", [
    ("A and (B or C", 7, "never closed"),
    ("A and B)", 8, "no matching"),
    ("A ^ B", 3, "exclusive or"),
    ("A && B", 3, "'&&'"),
    ("A and", 6, "ends too early"),
    ("A B", 3, "expected an operator"),
    ("", 1, "empty"),
    ("A and 2", 7, "not a node name"),
])
def test_errors_point_at_the_problem(text, col, fragment):
    with pytest.raises(RuleSyntaxError) as info:
        parse_expression(text, source="f.rules", line=4)
    err = info.value
    assert (err.line, err.column) == (4, col)
    assert fragment in err.message
    assert str(err).startswith(f"f.rules:4:{col}: ")


def test_deep_nesting_is_a_clear_error():
    with pytest.raises(LogicnetError):
        parse_expression("(" * 5000 + "A" + ")" * 5000)


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=6))
def test_format_parse_round_trip(net):
    for node in net.nodes:
        e = net.rules[node]
        for style in ("bnet", "booleannet"):
            text = format_expression(e, style=style)
            back = parse_expression(text)
            assert format_expression(back, style=style) == text
            assert symbols(back) == symbols(e)
