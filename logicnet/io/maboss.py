"""MaBoSS models: a ``.bnd`` network file and a ``.cfg`` settings file.

Read and written after the format of MaBoSS (Stoll et al. 2012, 2017; its
``BooleanGrammar`` and run-configuration grammar), by our own parser (no ``eval``).

``.bnd``::

    Node A {
      logic = (B & !C) | D;          // & && AND, | || OR, ! NOT, ^ XOR, ?: ; 0 and 1
      rate_up = @logic ? $u_A : 0;   // MaBoSS's default: @logic ? 1 : 0
      rate_down = @logic ? 0 : $d_A; // MaBoSS's default: @logic ? 0 : 1
    }                                // rates: numbers, $variables, + - * /, log(x[, base]), exp(x[, base])
    B : A & C;                       // short form: logic only

``.cfg``::

    $u_A = 2; $d_A = 0.5;            // variables: numbers or + - * / of numbers and variables
    A.istate = 1;                    // 0, 1, or -1 (random)
    [B].istate = 0.3 [1], 0.7 [0];   // probabilities of each value
    C.is_internal = 1;               // hidden from MaBoSS's output (kept, ignored here)
    time_tick = 0.5; max_time = 100; sample_count = 10000; seed_pseudorandom = 1;

Values are read as MaBoSS reads them: in the ``.cfg``, ``TRUE``/``True``/``true`` stand
for 1 and ``FALSE``/``False``/``false`` for 0 (``C.is_internal = TRUE;``), and setting and
node-attribute names are matched in any case; in the ``.bnd``, ``AND OR NOT XOR`` in any case.

What logicnet's rate model can hold is read; anything else is an error with file,
line and column: a rate must be a constant, or ``@logic ? R : 0`` for ``rate_up`` and
``@logic ? 0 : R`` for ``rate_down`` (a node only moves towards its rule's value);
joint initial states over several nodes are refused.  A node without ``logic``
keeps its value (``A* = A``).  A node whose ``logic`` is a constant (``0`` or ``1``) is a
fixed node for logicnet: it starts at that value, and an ``istate`` that says otherwise
is an error when simulating (MaBoSS would start it at random unless told, and let it
flip once); :func:`generate_cfg` writes that ``istate`` so that both tools run the same
chain.

Every run setting of MaBoSS is either honoured or refused, never dropped when it would
change the answer:

- honoured: ``max_time``, ``time_tick``, ``sample_count``, ``seed_pseudorandom`` and
  ``discrete_time`` (1: every transition takes exactly ``time_tick``, as MaBoSS's
  ``MaBEstEngine`` steps; see :func:`logicnet.simulation.simulate`);
- refused unless at their default: ``init_pop`` and ``pop_base`` (1; populations of cells
  are PopMaBoSS's model, not this one);
- read and ignored, as they change neither the Markov chain nor the probabilities
  reported: the random generator (``use_physrandgen``, ``use_glibcrandgen``,
  ``use_mtrandgen``: logicnet has its own reproducible stream), ``thread_count``,
  ``display_traj``, the stationary-distribution clustering outputs
  (``statdist_traj_count``, ``statdist_cluster_threshold``,
  ``statdist_similarity_cache_max_size``), and the node attributes ``is_internal``
  (kept in :attr:`MabossModel.internal`: MaBoSS only hides such nodes from its output)
  and ``refstate`` (a reference state for MaBoSS's Hamming-distance output).

A setting MaBoSS does not have is an error.

Examples
--------
>>> m = parse_maboss("Node A { logic = !B; rate_up = @logic ? $u : 0; }\\nNode B { logic = !A; }",
...                  "$u = 3;\\nA.istate = 0;\\nmax_time = 50;")
>>> m.network.nodes, m.rates, m.initial, m.settings["max_time"]
(('A', 'B'), {'A': (3.0, 1.0)}, {'A': 0.0}, 50.0)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import expr as _expr
from ..errors import LogicnetError, RuleSyntaxError, close_matches
from ..network import Network

__all__ = ["MabossModel", "parse_maboss", "read_maboss", "generate_bnd", "generate_cfg", "write_maboss"]

#: Run settings of MaBoSS that logicnet honours (see the module docstring).
SETTINGS = {"time_tick": "tick", "max_time": "time", "sample_count": "samples", "seed_pseudorandom": "seed",
            "discrete_time": "discrete_time"}
#: Settings of PopMaBoSS's population model: refused unless at their default (1).
_REFUSED_SETTINGS = {"init_pop", "pop_base"}
#: Settings that change neither the chain nor the reported probabilities (random generator,
#: threads, MaBoSS's extra outputs): read and ignored.
_IGNORED_SETTINGS = {"use_physrandgen", "use_glibcrandgen", "use_mtrandgen", "thread_count",
                     "statdist_traj_count", "statdist_cluster_threshold", "display_traj",
                     "statdist_similarity_cache_max_size"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*\Z")


@dataclass(frozen=True)
class MabossModel:
    """A network with MaBoSS rates, initial state and run settings.

    Attributes
    ----------
    network : Network
    rates : dict
        ``{node: (rate_up, rate_down)}`` for nodes not at (1, 1).
    initial : dict
        ``{node: probability of starting on}`` for nodes given an initial state.
    settings : dict
        ``max_time``, ``time_tick``, ``sample_count``, ``seed_pseudorandom``,
        ``discrete_time`` (0.0 or 1.0) when given.
    internal : tuple of str
        Nodes marked ``is_internal``.

    Examples
    --------
    >>> parse_maboss("A : A;").network.inputs
    ('A',)
    """

    network: Network
    rates: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    initial: Mapping[str, float] = field(default_factory=dict)
    settings: Mapping[str, float] = field(default_factory=dict)
    internal: tuple[str, ...] = ()


# -- tokens ----------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+) | (?P<nl>\n) | (?P<comment>//[^\n]*|\#[^\n]*) | (?P<block>/\*) |
    (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?) |
    (?P<var>\$[A-Za-z_][A-Za-z_0-9]*) | (?P<name>[A-Za-z_][A-Za-z_0-9]*) | (?P<string>"(?:[^"\\]|\\.)*") |
    (?P<op>&&|\|\||==|!=|<=|>=|[&|!^?:;{}()\[\],=@+\-*/<>.])
""", re.VERBOSE)
_WORDS = {"not": "!", "and": "&", "or": "|", "xor": "^"}
#: MaBoSS's built-in functions (engine/src/BuiltinFunctions.cc): log(x[, base]), exp(x[, base]).
_FUNCTIONS = ("log", "exp")
#: The .cfg grammar's Boolean words (MaBoSS's RunConfigGrammar.l: any case).
_CFG_BOOLEANS = {"true": "1", "false": "0"}


@dataclass
class _Tok:
    kind: str
    text: str
    line: int
    col: int


def _tokens(text: str, source: str, *, cfg: bool = False) -> list[_Tok]:
    out: list[_Tok] = []
    lines = text.split("\n")
    i, line, col0 = 0, 1, 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            raise RuleSyntaxError(f"unexpected character {text[i]!r}", source=source, line=line,
                                  column=i - col0 + 1, text=lines[line - 1])
        kind = m.lastgroup
        if kind == "nl":
            line += 1
            col0 = m.end()
        elif kind == "block":
            end = text.find("*/", m.end())
            if end < 0:
                raise RuleSyntaxError("a /* comment is never closed", source=source, line=line,
                                      column=i - col0 + 1, text=lines[line - 1])
            chunk = text[i:end + 2]
            if "\n" in chunk:
                line += chunk.count("\n")
                col0 = i + chunk.rfind("\n") + 1
            i = end + 2
            continue
        elif kind not in ("ws", "comment"):
            t = m.group()
            if cfg and kind == "name" and t.lower() in _CFG_BOOLEANS:
                kind, t = "num", _CFG_BOOLEANS[t.lower()]
            elif kind == "name" and t.lower() in _WORDS:
                kind, t = "op", _WORDS[t.lower()]
            elif kind == "op" and t in ("&&", "||"):
                t = t[0]
            out.append(_Tok(kind, t, line, i - col0 + 1))
        i = m.end()
    out.append(_Tok("end", "", line, i - col0 + 1))
    return out


class _Parser:
    """Recursive descent over MaBoSS expressions, with MaBoSS's precedence.

    Lowest first: ``?:``, ``^``, ``|``, ``&``, comparisons, ``+ -``, ``* /``, unary ``! - +``.
    Nodes come out as ``("node", name)``, variables ``("var", name)``, numbers
    ``("num", value)``, ``@name`` as ``("alias", name)``.
    """

    def __init__(self, toks: list[_Tok], source: str, text: str):
        self.toks, self.i, self.source, self.lines = toks, 0, source, text.split("\n")

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def next(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, msg: str, tok: _Tok | None = None) -> RuleSyntaxError:
        tok = tok or self.peek()
        shown = self.lines[tok.line - 1] if 0 < tok.line <= len(self.lines) else None
        return RuleSyntaxError(msg, source=self.source, line=tok.line, column=tok.col, text=shown)

    def expect(self, text: str, what: str | None = None) -> _Tok:
        t = self.peek()
        if t.text != text or t.kind in ("string",):
            found = "the end of the file" if t.kind == "end" else repr(t.text)
            raise self.error(f"expected {what or repr(text)}, found {found}")
        return self.next()

    def expression(self):
        tok = self.peek()
        cond = self.xor()
        if self.peek().text == "?" and self.peek().kind == "op":
            self.next()
            a = self.expression()
            self.expect(":")
            b = self.expression()
            return ("cond", cond, a, b, tok)
        return cond

    def _binary(self, ops, sub):
        left = sub()
        while self.peek().kind == "op" and self.peek().text in ops:
            tok = self.next()
            left = (tok.text, left, sub(), tok)
        return left

    def xor(self):
        return self._binary(("^",), self.or_)

    def or_(self):
        return self._binary(("|",), self.and_)

    def and_(self):
        return self._binary(("&",), self.compare)

    def compare(self):
        return self._binary(("==", "!=", "<", ">", "<=", ">="), self.additive)

    def additive(self):
        return self._binary(("+", "-"), self.multiplicative)

    def multiplicative(self):
        return self._binary(("*", "/"), self.unary)

    def unary(self):
        t = self.peek()
        if t.kind == "op" and t.text in ("!", "-", "+"):
            self.next()
            return ("u" + t.text, self.unary(), t)
        return self.primary()

    def primary(self):
        t = self.next()
        if t.kind == "name":
            if self.peek().text == "(":
                if t.text not in _FUNCTIONS:
                    raise self.error(f"unknown function {t.text}(...): MaBoSS's functions are "
                                     f"{', '.join(f'{f}(x[, base])' for f in _FUNCTIONS)}", t)
                self.next()
                args = [self.expression()]
                while self.peek().text == ",":
                    self.next()
                    args.append(self.expression())
                self.expect(")")
                if len(args) > 2:
                    raise self.error(f"{t.text}(...) takes one or two arguments, not {len(args)}", t)
                return ("call", t.text, args, t)
            return ("node", t.text, t)
        if t.kind == "var":
            return ("var", t.text, t)
        if t.kind == "num":
            return ("num", float(t.text), t)
        if t.kind == "op" and t.text == "@":
            name = self.next()
            if name.kind != "name":
                raise self.error("expected an attribute name after @", name)
            return ("alias", name.text, name)
        if t.kind == "op" and t.text == "(":
            e = self.expression()
            self.expect(")")
            return e
        found = "the end of the file" if t.kind == "end" else repr(t.text)
        raise self.error(f"expected a node, number or '(' but found {found}", t)


def _tok_of(e) -> _Tok:
    return e[-1]


def _boolean(e, p: _Parser):
    """A Boolean expression of logicnet from a parsed ``logic``."""
    kind = e[0]
    if kind == "node":
        return _expr.symbol(e[1])
    if kind == "num":
        if e[1] in (0.0, 1.0):
            return _expr.TRUE if e[1] else _expr.FALSE
        raise p.error(f"a logic rule can use the numbers 0 and 1 only, not {e[1]:g}", _tok_of(e))
    if kind == "u!":
        return _expr.ALGEBRA.NOT(_boolean(e[1], p))
    if kind in ("&", "|", "^"):
        a, b = _boolean(e[1], p), _boolean(e[2], p)
        if kind == "&":
            return _expr.ALGEBRA.AND(a, b)
        if kind == "|":
            return _expr.ALGEBRA.OR(a, b)
        return _expr.ALGEBRA.OR(_expr.ALGEBRA.AND(a, _expr.ALGEBRA.NOT(b)), _expr.ALGEBRA.AND(_expr.ALGEBRA.NOT(a), b))
    if kind == "cond":
        c, a, b = _boolean(e[1], p), _boolean(e[2], p), _boolean(e[3], p)
        return _expr.ALGEBRA.OR(_expr.ALGEBRA.AND(c, a), _expr.ALGEBRA.AND(_expr.ALGEBRA.NOT(c), b))
    raise p.error(f"{_describe(e)} has no place in a logic rule (Boolean operators only)", _tok_of(e))


def _describe(e) -> str:
    return {"var": f"the variable {e[1]}", "alias": f"@{e[1]}", "call": f"the function {e[1]}(...)"}.get(
        e[0], f"the operator {e[0].lstrip('u')!r}")


def _number(e, variables: Mapping[str, object], p: _Parser, seen: tuple[str, ...] = ()) -> float:
    """Evaluate an arithmetic expression of numbers and variables (no eval)."""
    kind = e[0]
    if kind == "num":
        return e[1]
    if kind == "var":
        name = e[1]
        if name not in variables:
            raise p.error(f"the variable {name} is not defined (define it in the .cfg: {name} = 1;)", _tok_of(e))
        if name in seen:
            raise p.error(f"the variable {name} is defined in terms of itself", _tok_of(e))
        v = variables[name]
        if isinstance(v, tuple):  # a parsed expression and its parser
            return _number(v[0], variables, v[1], seen + (name,))
        return float(v)
    if kind == "call":
        args = [_number(a, variables, p, seen) for a in e[2]]
        base = math.e if len(args) == 1 else args[1]
        if e[1] == "log":
            if args[0] <= 0 or base <= 0 or base == 1:
                raise p.error(f"log({', '.join(f'{a:g}' for a in args)}) is not defined", _tok_of(e))
            return math.log(args[0]) / math.log(base)
        if base <= 0:
            raise p.error(f"exp(...) with base {base:g}: the base must be positive", _tok_of(e))
        try:
            return math.exp(args[0] * math.log(base))
        except OverflowError:
            raise p.error(f"exp({', '.join(f'{a:g}' for a in args)}) is too large", _tok_of(e)) from None
    if kind == "u-":
        return -_number(e[1], variables, p, seen)
    if kind == "u+":
        return _number(e[1], variables, p, seen)
    if kind in ("+", "-", "*", "/"):
        a, b = _number(e[1], variables, p, seen), _number(e[2], variables, p, seen)
        if kind == "/" and b == 0:
            raise p.error("division by zero", _tok_of(e))
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[kind]
    what = {"node": f"the name {e[1]!r}", "cond": "a condition (? :)"}.get(kind) or _describe(e)
    raise p.error(f"{what} is not a number: rates and settings are numbers (TRUE and FALSE in a .cfg), "
                  "$variables and + - * /", _tok_of(e))


def _rate(e, which: str, variables, p: _Parser) -> float:
    """A rate: a constant, or ``@logic ? R : 0`` (up) / ``@logic ? 0 : R`` (down)."""
    if e[0] == "cond" and e[1][0] == "alias" and e[1][1] == "logic":
        on, off = _number(e[2], variables, p), _number(e[3], variables, p)
        moving, still = (on, off) if which == "rate_up" else (off, on)
        if still != 0:
            raise p.error(f"{which} must be 0 when the node's rule {'is false' if which == 'rate_up' else 'is true'}"
                          f": logicnet moves a node only towards its rule's value", _tok_of(e))
        return moving
    if e[0] in ("alias", "node", "&", "|", "^", "u!", "cond", "==", "!=", "<", ">", "<=", ">="):
        raise p.error(f"unsupported {which}: write a number, a variable, or "
                      f"{'@logic ? RATE : 0' if which == 'rate_up' else '@logic ? 0 : RATE'}", _tok_of(e))
    return _number(e, variables, p)


def _parse_cfg(text: str, source: str, nodes: set[str] | None):
    """Variables (unevaluated), initial states, internal nodes and settings of a .cfg."""
    p = _Parser(_tokens(text, source, cfg=True), source, text)
    variables: dict[str, object] = {}
    istates: list[tuple[list[_Tok], object, _Tok]] = []
    internal: list[_Tok] = []
    settings: dict[str, tuple[object, _Tok]] = {}
    while p.peek().kind != "end":
        t = p.next()
        if t.kind == "var":
            p.expect("=")
            variables[t.text] = (p.expression(), p)
            p.expect(";", "';' after the value")
        elif t.kind == "op" and t.text == "[":
            names = [p.next()]
            while p.peek().text == ",":
                p.next()
                names.append(p.next())
            p.expect("]")
            p.expect(".")
            attr = p.next()
            if attr.text.lower() != "istate":
                raise p.error(f"expected istate after [{', '.join(n.text for n in names)}]., found {attr.text!r}", attr)
            p.expect("=")
            dist = []
            while True:
                prob = p.additive()
                p.expect("[")
                vals = [p.additive()]
                while p.peek().text == ",":
                    p.next()
                    vals.append(p.additive())
                p.expect("]")
                dist.append((prob, vals))
                if p.peek().text != ",":
                    break
                p.next()
            p.expect(";", "';' after the initial state")
            istates.append((names, dist, t))
        elif t.kind == "name" and p.peek().text == ".":
            p.next()
            attr = p.next()
            p.expect("=")
            value = p.expression()
            p.expect(";", "';' after the value")
            key = attr.text.lower()
            if key == "istate":
                istates.append(([t], value, t))
            elif key == "is_internal":
                if _number(value, variables, p):
                    internal.append(t)
            elif key == "refstate":
                _number(value, variables, p)  # checked, then ignored: it only shapes MaBoSS's output
            else:
                raise p.error(f"unknown node setting {attr.text!r} (known: istate, is_internal, refstate)", attr)
        elif t.kind == "name" and p.peek().text == "=":
            p.next()
            value = p.expression()
            p.expect(";", "';' after the value")
            key = t.text.lower()
            if key in SETTINGS or key in _REFUSED_SETTINGS:
                settings[key] = (value, t)
            elif key in _IGNORED_SETTINGS:
                _number(value, variables, p)  # a value MaBoSS would read, though it changes nothing here
            else:
                hint = close_matches(key, sorted([*SETTINGS, *_REFUSED_SETTINGS, *_IGNORED_SETTINGS]))
                raise p.error(f"unknown setting {t.text!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""), t)
        else:
            found = "the end of the file" if t.kind == "end" else repr(t.text)
            raise p.error(f"expected $variable = ..., NODE.istate = ..., [NODE].istate = ... or a setting, "
                          f"found {found}", t)
    return p, variables, istates, internal, settings


def parse_maboss(bnd: str, cfg: str = "", *, bnd_source: str = "<bnd>", cfg_source: str = "<cfg>") -> MabossModel:
    """A :class:`MabossModel` from the text of a ``.bnd`` file and of a ``.cfg`` file.

    Raises
    ------
    RuleSyntaxError
        With file, line and column, for anything outside the grammar above.

    Examples
    --------
    >>> parse_maboss("Node A { logic = A AND NOT B; }\\nNode B { logic = 1; }").network.rules["A"]
    AND(Symbol('A'), NOT(Symbol('B')))
    >>> parse_maboss("Node A { logic = A }")
    Traceback (most recent call last):
    ...
    logicnet.errors.RuleSyntaxError: <bnd>:1:20: expected ';' after the rule, found '}'
        Node A { logic = A }
                           ^
    """
    cp, variables, istates, internal, settings = _parse_cfg(cfg, cfg_source, None)
    p = _Parser(_tokens(bnd, bnd_source), bnd_source, bnd)
    decls: dict[str, dict[str, tuple[object, _Tok]]] = {}
    order: list[str] = []
    first_use: dict[str, _Tok] = {}
    while p.peek().kind != "end":
        t = p.next()
        if t.kind == "name" and t.text.lower() == "node":
            name = p.next()
            if name.kind != "name":
                raise p.error("expected a node name after Node", name)
            p.expect("{")
            attrs: dict[str, tuple[object, _Tok]] = {}
            while p.peek().text != "}":
                key = p.next()
                if key.kind != "name":
                    found = "the end of the file" if key.kind == "end" else repr(key.text)
                    raise p.error(f"expected an attribute such as logic = ...; or '}}', found {found}", key)
                p.expect("=")
                if p.peek().kind == "string":
                    value = ("string", p.next().text, key)
                else:
                    value = p.expression()
                what = "the rule" if key.text == "logic" else "the value"
                p.expect(";", f"';' after {what}")
                attrs[key.text] = (value, key)
            p.next()
        elif t.kind == "name" and p.peek().text in (":", ","):
            name = t
            p.next()
            attrs = {"logic": (p.expression(), t)}
            if p.peek().text == ";":
                p.next()
        else:
            found = "the end of the file" if t.kind == "end" else repr(t.text)
            raise p.error(f"expected 'Node NAME {{ ... }}' or 'NAME : rule;', found {found}", t)
        if name.text in decls:
            raise p.error(f"node {name.text} is declared twice", name)
        decls[name.text] = attrs
        order.append(name.text)
    rules = {}
    rates = {}
    for node in order:
        attrs = decls[node]
        if "logic" in attrs:
            e, key = attrs["logic"]
            rules[node] = _boolean(e, p)
            for s in sorted(_expr.symbols(rules[node])):
                first_use.setdefault(s, key)
        else:
            rules[node] = _expr.symbol(node)
        up = _rate(attrs["rate_up"][0], "rate_up", variables, p) if "rate_up" in attrs else 1.0
        down = _rate(attrs["rate_down"][0], "rate_down", variables, p) if "rate_down" in attrs else 1.0
        for which, r, in (("rate_up", up), ("rate_down", down)):
            if r < 0:
                raise p.error(f"{which} of {node} is {r:g}; rates must be >= 0", attrs[which][1])
        if (up, down) != (1.0, 1.0):
            rates[node] = (up, down)
    for s, tok in first_use.items():
        if s not in rules:
            raise p.error(f"the rule uses {s!r}, which is not a declared node", tok)
    net = Network(tuple(order), rules)
    initial = _initial_states(istates, rules, variables, cp)
    out_settings = _settings(settings, variables, cp)
    for n in internal:
        if n.text not in rules:
            raise cp.error(f"{n.text!r} is not a node of the .bnd", n)
    return MabossModel(net, rates, initial, out_settings, tuple(n.text for n in internal))


def _initial_states(istates, rules, variables, cp) -> dict[str, float]:
    """The .cfg's ``NODE.istate`` and ``[NODE].istate`` lines: each node's probability of
    starting on (nodes at 0.5, MaBoSS's random start, left out)."""
    initial: dict[str, float] = {}
    for names, value, tok in istates:
        for n in names:
            if n.text not in rules:
                raise cp.error(f"{n.text!r} is not a node of the .bnd", n)
        if isinstance(value, list):
            if len(names) > 1:
                raise cp.error("joint initial states over several nodes are not supported; give each node its own "
                               "[NODE].istate", tok)
            total, on = 0.0, 0.0
            for prob, vals in value:
                pr = _number(prob, variables, cp)
                v = _number(vals[0], variables, cp)
                if v not in (0.0, 1.0) or pr < 0:
                    raise cp.error("an initial state is written P [0], Q [1] with P, Q >= 0", tok)
                total += pr
                on += pr * v
            if total <= 0:
                raise cp.error("the initial state's probabilities sum to 0", tok)
            initial[names[0].text] = on / total
        else:
            v = _number(value, variables, cp)
            if v not in (0.0, 1.0, -1.0):
                raise cp.error(f"NODE.istate is 0, 1 or -1 (random), not {v:g}", tok)
            if v == -1.0:
                initial.pop(names[0].text, None)
            else:
                initial[names[0].text] = v
    return initial


def _settings(settings, variables, cp) -> dict[str, float]:
    """The .cfg's simulation settings, checked (a population of cells is refused)."""
    out_settings = {}
    for key, (value, tok) in settings.items():
        v = _number(value, variables, cp)
        if key in _REFUSED_SETTINGS:
            if v != 1:
                raise cp.error(f"{key} = {v:g} asks for a population of cells (PopMaBoSS); logicnet simulates "
                               "one cell per trajectory (MaBoSS), so only 1 can be read", tok)
            continue
        if key == "discrete_time":
            if v not in (0.0, 1.0):
                raise cp.error(f"discrete_time is 0 (continuous time) or 1 (discrete time), not {v:g}", tok)
        elif (key in ("time_tick", "max_time") and v <= 0) or (key == "sample_count" and (v < 1 or v != int(v))):
            raise cp.error(f"{key} must be positive{' and whole' if key == 'sample_count' else ''}, not {v:g}", tok)
        out_settings[key] = v
    return out_settings


def read_maboss(bnd: str | os.PathLike, cfg: str | os.PathLike | None = None) -> MabossModel:
    """Read a ``.bnd`` file and (optionally) its ``.cfg``.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> write_maboss(Network.from_rules("A* = not A"), os.path.join(d, "m.bnd"), os.path.join(d, "m.cfg"),
    ...              rates={"A": (2.0, 1.0)})
    >>> read_maboss(os.path.join(d, "m.bnd"), os.path.join(d, "m.cfg")).rates
    {'A': (2.0, 1.0)}
    """
    def text(path) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LogicnetError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as e:
            raise LogicnetError(f"{path}: cannot be read ({e})") from None

    m = parse_maboss(text(bnd), text(cfg) if cfg is not None else "", bnd_source=str(bnd),
                     cfg_source=str(cfg) if cfg is not None else "<cfg>")
    return MabossModel(Network(m.network.nodes, m.network.rules, {}, Path(bnd).stem), m.rates, m.initial,
                       m.settings, m.internal)


def _check_names(net: Network) -> None:
    for n in net.nodes:
        if not _NAME.match(n) or n.lower() in _WORDS or n.lower() == "node":
            raise LogicnetError(f"node name {n!r} cannot be written for MaBoSS (letters, digits and _ only, "
                                "not starting with a digit, and not NOT/AND/OR/XOR/NODE)")


def _fmt_num(x: float) -> str:
    return repr(float(x))


def generate_bnd(net: Network) -> Iterator[str]:
    """``.bnd`` lines: one ``Node`` block per node, rates through ``$u_NODE``/``$d_NODE``.

    Examples
    --------
    >>> print("\\n".join(generate_bnd(Network.from_rules("A* = not A"))))
    Node A {
      logic = !A;
      rate_up = @logic ? $u_A : 0;
      rate_down = @logic ? 0 : $d_A;
    }
    """
    _check_names(net)
    for n in net.nodes:
        yield f"Node {n} {{"
        yield f"  logic = {_expr.format_expression(net.rules[n], style='bnet')};"
        yield f"  rate_up = @logic ? $u_{n} : 0;"
        yield f"  rate_down = @logic ? 0 : $d_{n};"
        yield "}"


def generate_cfg(net: Network, *, rates: Mapping[str, tuple[float, float]] | None = None,
                 initial: Mapping[str, float] | None = None, time: float | None = None,
                 tick: float | None = None, samples: int | None = None, seed: int | None = None,
                 discrete_time: bool = False) -> Iterator[str]:
    """``.cfg`` lines: every rate variable, initial states, and the run settings given.

    Fixed nodes (constant rules) start at their value; ``discrete_time=True`` writes
    ``discrete_time = 1;``.

    Examples
    --------
    >>> list(generate_cfg(Network.from_rules("A* = True"), time=10))
    ['$u_A = 1.0;', '$d_A = 1.0;', '[A].istate = 1.0 [1], 0.0 [0];', 'max_time = 10.0;']
    """
    _check_names(net)
    rates = dict(rates or {})
    initial = dict(initial or {})
    const = net.constants
    for n in net.nodes:
        up, down = rates.get(n, (1.0, 1.0))
        yield f"$u_{n} = {_fmt_num(up)};"
        yield f"$d_{n} = {_fmt_num(down)};"
    for n in net.nodes:
        p = float(const[n]) if n in const else initial.get(n)
        if p is not None:
            yield f"[{n}].istate = {_fmt_num(p)} [1], {_fmt_num(1 - p)} [0];"
    for key, v in (("max_time", time), ("time_tick", tick), ("sample_count", samples),
                   ("seed_pseudorandom", seed)):
        if v is not None:
            yield f"{key} = {int(v) if key in ('sample_count', 'seed_pseudorandom') else _fmt_num(v)};"
    if discrete_time:
        yield "discrete_time = 1;"


def write_maboss(net: Network, bnd: str | os.PathLike, cfg: str | os.PathLike, **settings) -> None:
    """Write ``net`` as a ``.bnd``/``.cfg`` pair (atomically); ``settings`` as :func:`generate_cfg`.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> write_maboss(Network.from_rules("A* = A"), os.path.join(d, "a.bnd"), os.path.join(d, "a.cfg"), time=5)
    >>> read_maboss(os.path.join(d, "a.bnd"), os.path.join(d, "a.cfg")).settings
    {'max_time': 5.0}
    """
    from ._common import atomic_write_lines

    bnd_lines = list(generate_bnd(net))
    cfg_lines = list(generate_cfg(net, **settings))
    atomic_write_lines(bnd_lines, bnd)
    atomic_write_lines(cfg_lines, cfg)
