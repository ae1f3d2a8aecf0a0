import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.errors import LogicnetError, RuleSyntaxError
from logicnet.io import (generate_bnet, generate_booleannet, parse_bnet, parse_booleannet, read_network,
                         write_network)
from logicnet.networks import bundled_path

from .corpus import model_params, quiet_read
from .naive import functions_equal
from .strategies import networks

RULES = """\
# @name toy
# a plain comment is ignored
# @description A: receptor
# @evidence A: textbook
# @evidence A: second line
A = True
B = C = False
A* = A
B *= A and not C   # trailing comment
1: C* = B or (A and C)
"""


def test_booleannet_features():
    net = parse_booleannet(RULES.splitlines())
    assert net.nodes == ("A", "B", "C")
    assert net.name == "toy"
    assert net.annotation("A", "evidence") == "textbook\nsecond line"
    assert net.annotation("B", "initial") == "False"
    assert net.annotation("A", "initial") == "True"
    again = parse_booleannet(list(generate_booleannet(net)))
    assert again == net


@settings(max_examples=80, deadline=None)
@given(networks(max_nodes=7))
def test_canonical_output_round_trips_byte_exact(net):
    for parse, generate in ((parse_bnet, generate_bnet), (parse_booleannet, generate_booleannet)):
        text = "\n".join(generate(net)) + "\n"
        back = parse(io.StringIO(text).read().splitlines())
        assert back == net
        assert "\n".join(generate(back)) + "\n" == text


def test_bnet_header_optional_and_word_operators():
    a = parse_bnet(["targets, factors", "A, B & !A", "B, B"])
    b = parse_bnet(["A, B and not A", "B, B"])
    assert a == b


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize("name,text,line,col,fragment", [
    ("missing_eq.rules", "A* = A\nB* A and C\n", 2, 3, "missing '='"),
    ("paren.rules", "A* = A\nB* = (A and C\nC* = C\n", 2, 6, "never closed"),
    ("paren2.rules", "A* = A\nB* = (A and B))\n", 2, 15, "no matching"),
    ("operator.rules", "A* = A\nB* = A xor B\n", 2, 8, "expected an operator"),
    ("operator2.rules", "A* = A\nB* = A ^ B\n", 2, 8, "exclusive or"),
    ("dup.rules", "A* = A\nB* = A\nA* = B\n", 3, 1, "defined twice (first on line 1, again on line 3)"),
    ("missing_comma.bnet", "targets, factors\nA A & B\n", 2, 2, "missing ','"),
    ("dup.bnet", "A, A\nA, !A\n", 2, 1, "defined twice"),
])
def test_file_errors_have_positions(tmp_path, name, text, line, col, fragment):
    p = _write(tmp_path, name, text)
    with pytest.raises(RuleSyntaxError) as info:
        read_network(p)
    err = info.value
    assert (err.line, err.column) == (line, col), str(err)
    assert fragment in str(err)
    assert str(err).startswith(f"{p}:{line}:{col}: ")
    assert "^" in str(err)


def test_unknown_node_strict(tmp_path):
    p = _write(tmp_path, "unknown.rules", "AKT* = PI3K_\nPI3K* = PI3K\n")
    with pytest.raises(RuleSyntaxError) as info:
        read_network(p, strict=True)
    assert info.value.line == 1 and info.value.column == 8
    assert "did you mean 'PI3K'" in str(info.value)


def test_annotation_for_unknown_node(tmp_path):
    p = _write(tmp_path, "ann.rules", "# @evidence AKTT: x\nAKT* = AKT\n")
    with pytest.raises(RuleSyntaxError, match="did you mean 'AKT'"):
        read_network(p)


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(LogicnetError, match="suffix"):
        read_network(_write(tmp_path, "x.foo", "A* = A"))
    with pytest.raises(LogicnetError, match="no such file"):
        read_network(tmp_path / "absent.rules")


def test_write_is_atomic(tmp_path):
    target = tmp_path / "out.bnet"
    target.write_text("old content\n")
    net = Network.from_rules("A* = A")

    class Boom(Network):
        pass

    # a generator that fails half-way must leave the old file untouched
    from logicnet.io import _common

    def bad_lines():
        yield "targets, factors"
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        _common.atomic_write_lines(bad_lines(), target)
    assert target.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["out.bnet"]
    write_network(net, target)
    assert target.read_text() == "targets, factors\nA, A\n"


_ALPHABET = st.sampled_from(list("AB_x1 0()&|!*=,#@:\n\t") + ["and ", "or ", "not ", "True", "* = ", ", "])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.sampled_from([parse_bnet, parse_booleannet]))
def test_fuzz_any_text_gives_network_or_logicnet_error(text, parse):
    try:
        with _no_warning_check():
            net = parse(text.splitlines())
    except LogicnetError:
        return
    assert isinstance(net, Network)


class _no_warning_check:
    def __enter__(self):
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_arbitrary_unicode(text):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for parse in (parse_bnet, parse_booleannet):
            try:
                parse(text.splitlines())
            except LogicnetError:
                pass


def test_bundled_network_reads():
    p = bundled_path("faure2006_cell_cycle")
    net = read_network(p)
    assert net.n_nodes == 10 and net.inputs == ("CycD",)
    assert all(net.annotation(n, "evidence") for n in net.nodes)
    assert "\n".join(generate_bnet(net)) + "\n" == p.read_text()


@pytest.mark.parametrize("path", model_params(".bnet"))
def test_corpus_round_trips_through_both_formats(path, tmp_path):
    from click.testing import CliRunner

    from logicnet.cli import main

    original = quiet_read(path)
    runner = CliRunner()
    rules = tmp_path / "m.rules"
    back = tmp_path / "m.bnet"
    r1 = runner.invoke(main, ["convert", str(path), str(rules)])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(main, ["convert", str(rules), str(back)])
    assert r2.exit_code == 0, r2.output
    net = read_network(back)
    assert net.nodes == original.nodes
    if max(len(net.regulators(n)) for n in net.nodes) <= 12:
        assert functions_equal(net, original)
    # structural equality implies identical truth tables for every node, however wide
    assert all(net.rules[n] == original.rules[n] for n in net.nodes)
    # and the generated text is canonical: converting again changes nothing
    assert runner.invoke(main, ["convert", str(back), str(tmp_path / "again.bnet")]).exit_code == 0
    assert (tmp_path / "again.bnet").read_text() == back.read_text()
