"""``.bnet`` files (pyboolnet, BoolNet, biodivine): ``target, factors`` per line.

The ``targets, factors`` header is optional; operators are ``& | !`` (the words
``and or not``, in any case, are accepted too), constants ``1``/``0``/``True``/``False``, ``#``
comments.  Structured comments (``# @evidence A: ...``) are annotations.

Examples
--------
>>> net = parse_bnet(["targets, factors", "A, !B", "B, A"])
>>> list(generate_bnet(net))
['targets, factors', 'A, !B', 'B, A']
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from collections.abc import Iterable, Iterator

from .. import expr as _expr
from ..errors import RuleSyntaxError
from ..network import Network
from ._common import (BNET_NAME, RuleCollector, annotation_lines, atomic_write_lines, bad_name_error, read_text_lines,
                      sanitize_names, split_comment)

__all__ = ["parse_bnet", "read_bnet", "generate_bnet", "write_bnet"]

_HEADER = re.compile(r"^\s*targets\s*,\s*factors\s*$", re.IGNORECASE)
_TARGET = re.compile(r"^\s*(?P<node>" + _expr.NAME_PATTERN + r")\s*,")


def parse_bnet(lines: Iterable[str], *, source: str = "<string>", strict: bool = False) -> Network:
    """Build a :class:`~logicnet.Network` from ``.bnet`` lines (no file access).

    Raises
    ------
    RuleSyntaxError
        With file, line and column of the first problem.

    Examples
    --------
    >>> parse_bnet(["x, x", "y, x & !y"]).inputs
    ('x',)
    """
    col = RuleCollector(source)
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip() or col.comment(raw, lineno):
            continue
        body = split_comment(raw)
        if not body.strip() or _HEADER.match(body):
            continue
        m = _TARGET.match(body)
        if m is None:
            stripped = body.lstrip()
            start = len(body) - len(stripped)
            bad = bad_name_error(body, r"\s*,", raw, lineno, source)
            if bad is not None:
                raise bad
            name = re.match(_expr.NAME_PATTERN, stripped)
            if name is None:
                raise RuleSyntaxError("a line starts with the node's name, as in 'A, B & !C'",
                                      source=source, line=lineno, column=start + 1, text=raw)
            raise RuleSyntaxError(
                f"missing ',' between the node {name.group()!r} and its rule (write '{name.group()}, ...')",
                source=source, line=lineno, column=start + name.end() + 1, text=raw)
        rhs_start = m.end()
        expression = _expr.parse_expression(body[rhs_start:], source=source, line=lineno,
                                            column=rhs_start + 1, source_line=raw)
        col.rule(m.group("node"), expression, lineno, m.start("node") + 1, raw)
    return Network(*col.build(strict=strict))


def read_bnet(path: str | os.PathLike, *, strict: bool = False) -> Network:
    """Read a ``.bnet`` file.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.bnet")
    >>> _ = open(p, "w").write("targets, factors\\nA, !A\\n")
    >>> read_bnet(p).nodes
    ('A',)
    """
    net = parse_bnet(read_text_lines(path), source=str(path), strict=strict)
    return net if net.name else dataclasses.replace(net, name=Path(path).stem)


def generate_bnet(net: Network, *, target: str = "") -> Iterator[str]:
    """Canonical ``.bnet`` lines for ``net`` (inputs written ``x, x``).

    Names other .bnet readers refuse (anything but letters, digits and ``_``, or a
    leading digit: ``C-Myc``, ``Ca2+c``, ``4EBP1``) are written as the nearest free
    valid name (``C_Myc``), with a ``# @node-name C_Myc: C-Myc`` line that logicnet
    reads back, and a :class:`~logicnet.errors.LogicnetWarning` (naming ``target``).

    Examples
    --------
    >>> list(generate_bnet(Network.from_rules("A* = A and not A")))
    ['targets, factors', 'A, A & !A']
    """
    net = sanitize_names(net, BNET_NAME.match, ".bnet", target)
    yield from annotation_lines(net)
    yield "targets, factors"
    for node in net.nodes:
        yield f"{node}, {_expr.format_expression(net.rules[node], style='bnet')}"


def write_bnet(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` as a ``.bnet`` file (atomically).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.bnet")
    >>> write_bnet(Network.from_rules("A* = A"), p)
    >>> open(p).read()
    'targets, factors\\nA, A\\n'
    """
    atomic_write_lines(list(generate_bnet(net, target=str(path))), path)
