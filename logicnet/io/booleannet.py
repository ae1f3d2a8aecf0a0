"""BooleanNet rule files (``.rules``, ``.txt``, ``.booleannet``).

The language is described in :mod:`logicnet.ruletext`; this module reads and writes
files in it.

Examples
--------
>>> net = parse_booleannet(["A* = A", "B* = A and not B"])
>>> list(generate_booleannet(net))
['A* = A', 'B* = A and not B']
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from collections.abc import Iterable, Iterator

from .. import expr as _expr
from ..network import Network
from ..ruletext import parse_rules, rule_lines
from ._common import atomic_write_lines, read_text_lines, sanitize_names

__all__ = ["parse_booleannet", "read_booleannet", "generate_booleannet", "write_booleannet"]

def parse_booleannet(lines: Iterable[str], *, source: str = "<string>", strict: bool = False) -> Network:
    """Build a :class:`~logicnet.Network` from BooleanNet lines (no file access).

    Parameters
    ----------
    lines : iterable of str
        The file's lines.
    source : str
        Name used in error messages.
    strict : bool
        Make names without a rule an error instead of free inputs.

    Raises
    ------
    RuleSyntaxError
        With file, line and column of the first problem.

    Examples
    --------
    >>> parse_booleannet(["A *= not B", "B* = A"]).nodes
    ('A', 'B')
    """
    return Network(*parse_rules(lines, source=source, strict=strict))


def read_booleannet(path: str | os.PathLike, *, strict: bool = False) -> Network:
    """Read a BooleanNet rule file.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.rules")
    >>> _ = open(p, "w").write("A* = not A\\n")
    >>> read_booleannet(p).nodes
    ('A',)
    """
    net = parse_booleannet(read_text_lines(path), source=str(path), strict=strict)
    return net if net.name else dataclasses.replace(net, name=Path(path).stem)


def generate_booleannet(net: Network, *, target: str = "") -> Iterator[str]:
    """Canonical BooleanNet lines for ``net`` (annotations as structured comments).

    A name rule text cannot hold (see :data:`logicnet.expr.NAME_RULE`) is written as
    the nearest valid one and kept as a ``# @node-name`` annotation, with a warning.

    Examples
    --------
    >>> list(generate_booleannet(Network.from_rules("A* = A | !A")))
    ['A* = A or not A']
    """
    yield from rule_lines(sanitize_names(net, _expr.is_node_name, "BooleanNet rules", target))


def write_booleannet(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` as a BooleanNet rule file (atomically).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.rules")
    >>> write_booleannet(Network.from_rules("A* = A"), p)
    >>> open(p).read()
    'A* = A\\n'
    """
    atomic_write_lines(list(generate_booleannet(net, target=str(path))), path)
