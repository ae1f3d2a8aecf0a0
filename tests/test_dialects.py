"""Files as other tools export them: Cell Collective's upper-case operators, CellNOptR's
SBML-qual, MaBoSS's own settings (TRUE/True, discrete time), BooleanNet initial values.

Every expected answer is computed independently: brute force (tests/naive.py) on a
network written by hand, a hand count, or MaBoSS's recorded answer.
"""

from __future__ import annotations

import json
import math
import re
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
from logicnet.simulate import simulate

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
