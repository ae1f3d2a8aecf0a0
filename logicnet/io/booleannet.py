"""BooleanNet rule files (``.rules``, ``.txt``, ``.booleannet``).

Syntax, one item per line::

    # @name Toy model
    # @description A: a kinase            (structured comments: kept as annotations)
    # @evidence A: textbook
    A = True                              (initial value: kept as the annotation 'initial')
    A* = B and not C                      (also 'A *= ...'; operators and/or/not or &/|/!)
    B* = True                             (constants True/False/1/0)

A name used in a rule but given no rule is a free input (``X* = X``); a warning
lists such names (``strict=True`` makes it an error).

Examples
--------
>>> net = parse_booleannet(["A* = A", "B* = A and not B"])
>>> list(generate_booleannet(net))
['A* = A', 'B* = A and not B']
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
from ._common import (RuleCollector, annotation_lines, atomic_write_lines, bad_name_error, read_text_lines,
                      sanitize_names, split_comment)

__all__ = ["parse_booleannet", "read_booleannet", "generate_booleannet", "write_booleannet"]

_RULE = re.compile(r"^\s*(?:[0-9]+\s*:\s*)?(?P<node>" + _expr.NAME_PATTERN + r")\s*\*\s*=(?P<rhs>.*)$")
_INITIAL = re.compile(r"^\s*(?P<names>" + _expr.NAME_PATTERN + r"(?:\s*=\s*" + _expr.NAME_PATTERN
                      + r")*)\s*=\s*(?P<value>[A-Za-z0-9]+)\s*$")
_INITIAL_VALUES = {"true": "True", "false": "False", "1": "True", "0": "False", "random": "Random"}


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
    col = RuleCollector(source)
    initial: dict[str, str] = {}
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip() or col.comment(raw, lineno):
            continue
        body = split_comment(raw)
        if not body.strip():
            continue
        m = _RULE.match(body)
        if m is not None:
            rhs_start = m.start("rhs")
            expression = _expr.parse_expression(m.group("rhs"), source=source, line=lineno,
                                                column=rhs_start + 1, source_line=raw)
            col.rule(m.group("node"), expression, lineno, m.start("node") + 1, raw)
            continue
        m = _INITIAL.match(body)
        if m is not None:
            value = _INITIAL_VALUES.get(m.group("value").lower())
            if value is None:
                raise RuleSyntaxError(
                    f"an initial value is True, False or Random, not {m.group('value')!r}",
                    source=source, line=lineno, column=m.start("value") + 1, text=raw)
            for name in re.split(r"\s*=\s*", m.group("names").strip()):
                initial[name] = value
            continue
        raise _explain(body, raw, lineno, source)
    net = col.build(strict=strict)
    if initial:
        ann = {n: dict(v) for n, v in net.annotations.items()}
        for name, value in initial.items():
            if name not in net.rules:
                raise RuleSyntaxError(f"initial value for {name!r}, which has no rule and is used by none",
                                      source=source, line=None)
            ann.setdefault(name, {})["initial"] = value
        net = Network(net.nodes, net.rules, ann, net.name)
    return net


def _explain(body: str, raw: str, lineno: int, source: str) -> RuleSyntaxError:
    stripped = body.lstrip()
    start = len(body) - len(stripped)
    bad = bad_name_error(body, r"\s*\*\s*=", raw, lineno, source)
    if bad is not None:
        return bad
    m = re.match(_expr.NAME_PATTERN, stripped)
    if m is None:
        return RuleSyntaxError("a rule starts with the node's name, as in 'A* = B and not C'",
                               source=source, line=lineno, column=start + 1, text=raw)
    after = start + m.end()
    rest = body[after:]
    if "=" not in body:
        pos = after + (len(rest) - len(rest.lstrip())) + (1 if rest.lstrip().startswith("*") else 0)
        return RuleSyntaxError(
            f"missing '=' in the rule of {m.group()!r}; write it as '{m.group()}* = ...'",
            source=source, line=lineno, column=pos + 1, text=raw)
    eq = body.index("=")
    return RuleSyntaxError(
        f"this line is neither a rule ('{m.group()}* = ...') nor an initial value ('{m.group()} = True')",
        source=source, line=lineno, column=eq + 1, text=raw)


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
    net = sanitize_names(net, _expr.is_node_name, "BooleanNet rules", target)
    yield from annotation_lines(net, skip=("initial",))
    for node in net.nodes:
        init = net.annotations.get(node, {}).get("initial")
        if init is not None:
            yield f"{node} = {init}"
    for node in net.nodes:
        yield f"{node}* = {_expr.format_expression(net.rules[node], style='booleannet')}"


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
