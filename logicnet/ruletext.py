"""Rule text: the BooleanNet language in which networks are written and read.

``Network.from_rules`` reads it and ``repr(network)`` writes it; the BooleanNet file
format (:mod:`logicnet.io.booleannet`) and ``.bnet`` (:mod:`logicnet.io.bnet`) build on
the pieces here.  Nothing here knows the :class:`~logicnet.Network` class: parsing
gives :class:`RuleParts`, from which a Network is built.

Syntax, one item per line::

    # @name Toy model
    # @description A: a kinase            (structured comments: kept as annotations)
    # @evidence A: textbook
    A = True                              (initial value: kept as the annotation 'initial')
    A* = B and not C                      (also 'A *= ...'; operators and/or/not or &/|/!)
    PKC* = NOT ( PIP2 OR AA )             (operator words in any case, as Cell Collective writes)
    1: B* = True                          (a rank label before a rule is allowed and ignored)

Node names are letters, digits and ``_ . - +`` (``C-Myc``, ``Ca2+c``, ``4EBP1``); see
:data:`logicnet.expr.NAME_RULE`.  A name used in a rule but given no rule is a free
input (``X* = X``); a warning lists such names (``strict=True`` makes it an error).

Examples
--------
>>> parts = parse_rules(["A* = A", "1: C-Myc* = A and not C-Myc"])
>>> parts.nodes
('A', 'C-Myc')
>>> list(rule_lines(parts))
['A* = A', 'C-Myc* = A and not C-Myc']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from . import expr as _expr
from .errors import RuleSyntaxError, close_matches, warn

__all__ = ["RuleParts", "parse_rules", "rule_lines", "plausible_matches"]


class RuleParts(NamedTuple):
    """What a Network is built from: ``Network(*parts)``."""

    nodes: tuple[str, ...]
    rules: Mapping[str, _expr.Expression]
    annotations: Mapping[str, Mapping[str, str]]
    name: str


_ANNOTATION = re.compile(r"^\s*#\s*@(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\b[ \t]*(?P<rest>.*)$")
#: Annotation keys spelled differently in text files (``# @name`` is the model's name).
_KEY_OUT = {"name": "node-name"}
_KEY_IN = {v: k for k, v in _KEY_OUT.items()}
_NODE_VALUE = re.compile(r"^(?P<node>" + _expr.NAME_PATTERN + r")\s*:\s?(?P<value>.*)$")


@dataclass
class RuleCollector:
    """Collects rules and annotations line by line, then gives the parts of a Network."""

    source: str
    rules: dict = field(default_factory=dict)          # node -> (expr, line, text)
    annotations: dict = field(default_factory=dict)    # node -> {key: value}
    annotation_pos: dict = field(default_factory=dict)  # node -> (line, text)
    name: str = ""

    def comment(self, raw: str, lineno: int) -> bool:
        """Handle a full-line comment; return True if it was one."""
        stripped = raw.lstrip()
        if not stripped.startswith("#"):
            return False
        m = _ANNOTATION.match(raw)
        if m is None:
            return True
        key, rest = m.group("key"), m.group("rest").rstrip()
        if key == "name":
            self.name = rest
            return True
        key = _KEY_IN.get(key, key)
        nv = _NODE_VALUE.match(rest)
        if nv is None:
            col = raw.index("@") + 1
            raise RuleSyntaxError(
                f"an annotation is written '# @{key} NODE: text'; this one names no node",
                source=self.source, line=lineno, column=col, text=raw)
        node, value = nv.group("node"), nv.group("value")
        ann = self.annotations.setdefault(node, {})
        ann[key] = ann[key] + "\n" + value if key in ann else value
        self.annotation_pos.setdefault(node, (lineno, raw))
        return True

    def rule(self, node: str, expression, lineno: int, column: int, raw: str) -> None:
        if not _expr.is_node_name(node):
            raise RuleSyntaxError(f"{node!r} is an operator or a constant, not a node name",
                                  source=self.source, line=lineno, column=column, text=raw)
        if node in self.rules:
            first = self.rules[node][1]
            raise RuleSyntaxError(
                f"node {node!r} is defined twice (first on line {first}, again on line {lineno}); "
                "a node has exactly one rule",
                source=self.source, line=lineno, column=column, text=raw)
        self.rules[node] = (expression, lineno, raw)

    def build(self, *, strict: bool) -> RuleParts:
        from .errors import LogicnetError

        if not self.rules:
            raise LogicnetError(f"{self.source}: no rules found (a rule looks like 'A* = B and not C' "
                                "in BooleanNet, 'A, B & !C' in .bnet)")
        nodes = list(self.rules)
        defined = set(nodes)
        free: list[str] = []
        first_use: dict[str, tuple[int, str, str]] = {}
        for node in nodes:
            expression, lineno, raw = self.rules[node]
            undefined = [s for s in _expr.symbols(expression) if s not in defined and s not in first_use]
            for s in sorted(undefined, key=lambda s: _first_index(raw, s)):
                first_use[s] = (lineno, raw, node)
                free.append(s)
        if free:
            if strict:
                s = free[0]
                lineno, raw, node = first_use[s]
                hint = plausible_matches(s, nodes)
                msg = f"{s!r} is used in the rule of {node!r} but has no rule of its own"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise RuleSyntaxError(msg, source=self.source, line=lineno,
                                      column=_first_index(raw, s) + 1, text=raw)
            from .errors import FreeInputWarning

            warn(FreeInputWarning(free_input_message(self.source, free, nodes), inputs=tuple(free),
                                  source=self.source, defined=tuple(nodes)))
        rules = {n: self.rules[n][0] for n in nodes}
        for s in free:
            rules[s] = _expr.symbol(s)
        order = nodes + free
        for node, (lineno, raw) in self.annotation_pos.items():
            if node not in rules:
                col = raw.index(node) + 1 if node in raw else 1
                hint = close_matches(node, order)
                msg = f"this annotation is for {node!r}, which is not a node of the network"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise RuleSyntaxError(msg, source=self.source, line=lineno, column=col, text=raw)
        return restore_names(RuleParts(tuple(order), rules, self.annotations, self.name), self.source)


def free_input_message(source: str, free: list[str], defined) -> str:
    """One compact sentence about names without a rule, with plausible corrections only."""
    shown = free if len(free) <= 12 else free[:12]
    more = f" and {len(free) - 12} more" if len(free) > 12 else ""
    defined = list(defined)
    hints = [f"{s} -> {m[0]}" for s in free for m in [plausible_matches(s, defined)] if m]
    msg = (f"{source}: {len(free)} name(s) without a rule are free inputs that keep their value: "
           f"{', '.join(shown)}{more}")
    if hints:
        msg += " (possible typos: " + ", ".join(hints) + ")"
    return msg


def plausible_matches(name: str, known) -> list[str]:
    """Defined names that ``name`` is plausibly a typo of, best first.

    A match differs only in letter case, or by one edit (a changed, missing, extra or
    swapped character; a changed first letter of a word does not count) that does not
    merely extend the name (``EGF`` is not a typo of
    ``EGFR``: models name a ligand and its receptor on purpose).

    Examples
    --------
    >>> plausible_matches("IGFR1", ["IGF1R", "INSR"]), plausible_matches("akt", ["AKT"])
    (['IGF1R'], ['AKT'])
    >>> plausible_matches("v_EGF", ["v_EGFR"]), plausible_matches("PI3K_", ["PI3K"])
    ([], ['PI3K'])

    Nor is a name whose word starts with another letter (``v_EGF`` and ``v_TGF`` are two
    growth factors):

    >>> plausible_matches("v_EGF", ["v_TGF"]), plausible_matches("v_EFG", ["v_EGF"])
    ([], ['v_EGF'])
    """
    low = name.lower()
    # Only names that pass the test below can be returned: rank just those.
    known = [k for k in known if k.lower() == low or (len(name) >= 3 and _one_edit(name, k))]
    if not known:
        return []
    out = []
    for k in close_matches(name, known, n=5):
        if k.lower() == name.lower():
            out.insert(0, k)
        elif len(name) >= 3 and _one_edit(name, k) and not (k.startswith(name) and len(k) > len(name)):
            out.append(k)
    return out


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > 2 and a[0] != b[0] and a[-1] != b[-1]:  # one edit leaves an end in place
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:  # a changed first letter of a word names another molecule (EGF, TGF)
            i = diff[0]
            return not (a[i].isalpha() and b[i].isalpha() and (i == 0 or not a[i - 1].isalnum()))
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _first_index(raw: str, name: str) -> int:
    m = re.search(r"(?<![A-Za-z0-9_.])" + re.escape(name) + r"(?![A-Za-z0-9_.])", raw)
    return m.start() if m else 0


def bad_name_error(body: str, separator: str, raw: str, lineno: int, source: str) -> RuleSyntaxError | None:
    """The error for a rule whose node name (before ``separator``) is not a valid name, or None."""
    m = re.match(r"\s*(?:[0-9]+\s*:\s*)?(?P<node>[^\s*=,#][^*=,#]*?)" + separator, body)
    if m is None or _expr.is_node_name(m.group("node")):
        return None
    node = m.group("node")
    at = m.start("node")
    if node.lower() in ("and", "or", "not", "true", "false"):
        msg = f"{node!r} is an operator or a constant, not a node name"
    else:
        bad = next((i for i, ch in enumerate(node) if not re.match(r"[A-Za-z0-9_.+\-]", ch)), None)
        if bad is None:
            bad = 0
            what = "starts with a character that cannot start a name" if not node.isdigit() else "is a number"
            msg = f"the node name {node!r} {what}; {_expr.NAME_RULE}"
        else:
            msg = f"the node name {node!r} contains {node[bad]!r}; {_expr.NAME_RULE}"
        at += bad
    return RuleSyntaxError(msg, source=source, line=lineno, column=at + 1, text=raw)


def split_comment(raw: str) -> str:
    """The part of a line before a trailing '#' comment (positions unchanged)."""
    i = raw.find("#")
    return raw if i < 0 else raw[:i]


def annotation_lines(net, *, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """Structured comments for the model name and every node annotation."""
    if net.name:
        yield f"# @name {net.name}"
    for node in net.nodes:
        for key, value in net.annotations.get(node, {}).items():
            if key in skip:
                continue
            for part in value.split("\n"):
                yield f"# @{_KEY_OUT.get(key, key)} {node}: {part}".rstrip()


def restore_names(parts: RuleParts, source: str = "<string>") -> RuleParts:
    """Give nodes with a ``name`` annotation (written when a format could not carry the
    name) their original name back, and drop the annotation."""
    ann = parts.annotations
    wanted = {n: ann[n]["name"] for n in parts.nodes if "name" in ann.get(n, {})}
    if not wanted:
        return parts
    taken = set(parts.nodes) - set(wanted)
    mapping: dict[str, str] = {}
    for node, name in wanted.items():
        if name and "\n" not in name and name not in taken and name not in mapping.values():
            mapping[node] = name
        else:
            import logging

            logging.getLogger(__name__).info("%s: keeping node %r: its recorded name %r is empty or taken",
                                             source, node, name)
    return rename_parts(parts, mapping, drop_name=True)


def rename_parts(parts: RuleParts, mapping: Mapping[str, str], *, drop_name: bool = False,
                 keep_original: bool = False) -> RuleParts:
    """``parts`` with nodes renamed by ``mapping`` (same order, rules and annotations).

    ``drop_name`` removes the ``name`` annotation of renamed nodes; ``keep_original``
    records each renamed node's old name as its ``name`` annotation.
    """
    if not mapping:
        return parts
    sym = {old: _expr.symbol(new) for old, new in mapping.items()}
    rules = {mapping.get(n, n): _expr.rename(parts.rules[n], sym) for n in parts.nodes}
    ann = {}
    for n in parts.nodes:
        a = dict(parts.annotations.get(n, {}))
        if drop_name and n in mapping:
            a.pop("name", None)
        if keep_original and n in mapping:
            a["name"] = n
        if a:
            ann[mapping.get(n, n)] = a
    return RuleParts(tuple(mapping.get(n, n) for n in parts.nodes), rules, ann, parts.name)


_RULE = re.compile(r"^\s*(?:[0-9]+\s*:\s*)?(?P<node>" + _expr.NAME_PATTERN + r")\s*\*\s*=(?P<rhs>.*)$")
_INITIAL = re.compile(r"^\s*(?P<names>" + _expr.NAME_PATTERN + r"(?:\s*=\s*" + _expr.NAME_PATTERN
                      + r")*)\s*=\s*(?P<value>[A-Za-z0-9]+)\s*$")
_INITIAL_VALUES = {"true": "True", "false": "False", "1": "True", "0": "False", "random": "Random"}


def parse_rules(lines: Iterable[str], *, source: str = "<string>", strict: bool = False) -> RuleParts:
    """The parts of a network (nodes, rules, annotations, name) from BooleanNet rule lines.

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
    >>> parse_rules(["A *= not B", "B* = A"]).nodes
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
    parts = col.build(strict=strict)
    if initial:
        ann = {n: dict(v) for n, v in parts.annotations.items()}
        for name, value in initial.items():
            if name not in parts.rules:
                raise RuleSyntaxError(f"initial value for {name!r}, which has no rule and is used by none",
                                      source=source, line=None)
            ann.setdefault(name, {})["initial"] = value
        parts = parts._replace(annotations=ann)
    return parts


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


def rule_lines(net) -> Iterator[str]:
    """Canonical rule text for a network (or its :class:`RuleParts`), annotations as comments.

    Names are written as they are (the file writers change names rule text cannot hold).

    Examples
    --------
    >>> list(rule_lines(parse_rules(["A* = A | !A"])))
    ['A* = A or not A']
    """
    yield from annotation_lines(net, skip=("initial",))
    for node in net.nodes:
        init = net.annotations.get(node, {}).get("initial")
        if init is not None:
            yield f"{node} = {init}"
    for node in net.nodes:
        yield f"{node}* = {_expr.format_expression(net.rules[node], style='booleannet')}"


