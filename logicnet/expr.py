"""Boolean expressions: the boolean.py algebra, a rule-text parser, printers, truth tables.

logicnet stores every update function as a `boolean.py <https://github.com/bastikr/boolean.py>`_
expression built from one module-level :data:`ALGEBRA`.  Rule text is tokenized and
parsed here (never evaluated as Python); expressions stop at ``engine/compile.py``,
which turns them into truth tables with :func:`truth_table`.

Examples
--------
>>> e = parse_expression("A and not (B or C)")
>>> format_expression(e, style="bnet")
'A & !(B | C)'
>>> sorted(symbols(e))
['A', 'B', 'C']
>>> evaluate(e, {"A": 1, "B": 0, "C": 0})
1
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import boolean
from boolean import Expression  # the base class of every boolean.py expression

from .errors import RuleSyntaxError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "ALGEBRA",
    "TRUE",
    "FALSE",
    "Expression",
    "Token",
    "tokenize",
    "parse_expression",
    "format_expression",
    "symbols",
    "evaluate",
    "truth_table",
    "is_constant",
    "constant_value",
    "symbol",
    "NAME_PATTERN",
    "NAME_RULE",
    "is_node_name",
    "evaluate_columns",
    "column_bits",
    "evaluate_bits",
    "substitute",
    "rename",
]

#: The one Boolean algebra every logicnet expression belongs to.
ALGEBRA = boolean.BooleanAlgebra()
#: Constant true and false of :data:`ALGEBRA`.
TRUE = ALGEBRA.TRUE
FALSE = ALGEBRA.FALSE

#: A node name as BooleanNet allows it: letters, digits and ``_ . - +`` (``C-Myc``,
#: ``Ca2+c``, ``14-3-3``, ``4EBP1``), not a number alone, not starting with ``.-+``.
NAME_PATTERN = r"(?:[A-Za-z_]|[0-9]+[A-Za-z_.+\-])[A-Za-z0-9_.+\-]*"
#: The rule for names, as error messages state it.
NAME_RULE = ("a node name is made of letters, digits and the characters _ . - + "
             "(it starts with a letter, a digit or _, and is not a number alone)")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_.+\-]")
_NAME_FULL = re.compile(NAME_PATTERN + r"\Z")


def is_node_name(text: str) -> bool:
    """True if ``text`` can be a node name in rule text (see :data:`NAME_RULE`).

    Examples
    --------
    >>> is_node_name("C-Myc"), is_node_name("Ca2+c"), is_node_name("4EBP1"), is_node_name("12")
    (True, True, True, False)
    >>> is_node_name("and"), is_node_name("a b")
    (False, False)
    """
    return bool(_NAME_FULL.match(text)) and text.lower() not in _WORDS

MAX_TRUTH_TABLE_INPUTS = 24


class Token(NamedTuple):
    """One lexical token of rule text, with its 1-based position.

    Examples
    --------
    >>> list(tokenize("not A"))[0]
    Token(kind='NOT', text='not', line=1, column=1)
    """

    kind: str
    text: str
    line: int
    column: int


_WORDS = {"and": "AND", "or": "OR", "not": "NOT", "true": "TRUE", "false": "FALSE"}
_SYMBOLS = {"&": "AND", "|": "OR", "!": "NOT", "(": "LPAREN", ")": "RPAREN", "1": "TRUE", "0": "FALSE"}
_LEXER = re.compile(
    r"(?P<space>[ \t\r\n]+)|(?P<number>[0-9]+(?![A-Za-z0-9_.+\-]))|(?P<name>" + NAME_PATTERN
    + r")|(?P<op>[&|!()])"
)
_KNOWN_BAD = {
    "&&": "'&&' is not an operator here; write '&' (or 'and')",
    "||": "'||' is not an operator here; write '|' (or 'or')",
    "~": "'~' is not an operator here; write '!' (or 'not')",
    "^": "'^' (exclusive or) is not supported; write (A & !B) | (!A & B)",
    "=": "unexpected '='; a rule has exactly one '=' (or ',' in .bnet) between the node and its rule",
    "*": "unexpected '*'",
    "+": "'+' is not an operator here; write '|' (or 'or')",
}


def tokenize(text: str, *, line: int = 1, column: int = 1, source: str = "<string>",
             source_line: str | None = None) -> Iterator[Token]:
    """Split rule text into tokens; ``line``/``column`` give the position of ``text[0]``.

    Operators may be written as words (``and or not``, in any case: Cell Collective's
    expression export writes ``AND OR NOT``) or symbols (``& | !``);
    ``True``/``False``/``1``/``0`` are constants (the words in any case).

    Raises
    ------
    RuleSyntaxError
        On any character that is not part of a rule.

    Examples
    --------
    >>> [t.kind for t in tokenize("A & !(B | 1)")]
    ['NAME', 'AND', 'NOT', 'LPAREN', 'NAME', 'OR', 'TRUE', 'RPAREN']
    """
    pos = 0
    n = len(text)
    shown = source_line if source_line is not None else text

    def bad(pos: int) -> RuleSyntaxError:
        two = text[pos:pos + 2]
        ch = text[pos]
        msg = _KNOWN_BAD.get(two) or _KNOWN_BAD.get(ch)
        glued = pos > 0 and _NAME_CHAR.match(text[pos - 1]) and pos + 1 < n and _NAME_CHAR.match(text[pos + 1])
        if msg is None or (glued and ch not in "=*"):
            msg = (f"{ch!r} cannot be part of a node name; {NAME_RULE}" if glued
                   else f"unknown operator or character {ch!r} in the rule")
        return RuleSyntaxError(msg, source=source, line=line, column=column + pos, text=shown)

    for m in _LEXER.finditer(text):  # consecutive matches; a gap is a character no token takes
        start = m.start()
        if start != pos:
            raise bad(pos)
        pos = m.end()
        kind = m.lastgroup
        if kind == "space":
            continue
        tok = m.group()
        col = column + start
        if kind == "name":
            word = _WORDS.get(tok.lower())
            if word is not None:  # any case: Cell Collective writes AND, OR, NOT
                yield Token(word, tok, line, col)
            else:
                yield Token("NAME", tok, line, col)
        elif kind == "number":
            if tok not in ("0", "1"):
                raise RuleSyntaxError(
                    f"{tok!r} is not a node name or a constant (use 0 or 1)",
                    source=source, line=line, column=col, text=shown)
            yield Token(_SYMBOLS[tok], tok, line, col)
        else:
            if tok in "&|" and text.startswith(tok, pos):  # '&&' or '||'
                raise RuleSyntaxError(_KNOWN_BAD[tok + tok], source=source, line=line, column=col, text=shown)
            yield Token(_SYMBOLS[tok], tok, line, col)
    if pos < n:
        raise bad(pos)


def symbol(name: str) -> Expression:
    """The expression for the single node ``name``.

    Examples
    --------
    >>> format_expression(symbol("IGF1R"))
    'IGF1R'
    """
    return ALGEBRA.Symbol(name)


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := not_expr (AND not_expr)*."""

    def __init__(self, tokens: Sequence[Token], source: str, text: str, end_column: int, line: int):
        self.tokens = tokens
        self.i = 0
        self.source = source
        self.text = text
        self.end_column = end_column
        self.line = line

    def error(self, msg: str, tok: Token | None = None) -> RuleSyntaxError:
        if tok is None:
            return RuleSyntaxError(msg, source=self.source, line=self.line, column=self.end_column, text=self.text)
        return RuleSyntaxError(msg, source=self.source, line=tok.line, column=tok.column, text=self.text)

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _unexpected(self, tok: Token, wanted: str = "an operator (and, or)") -> RuleSyntaxError:
        """The error for ``tok`` where an operator was due; a word taken for a node name is named."""
        prev = self.tokens[self.i - 1] if self.i > 0 else None
        if tok.kind == "NAME":  # two names in a row: the second is likely an operator of another tool
            return self.error(f"expected an operator before {tok.text!r}: {tok.text!r} is read as a node name "
                              "here; operators are and/or/not (or & | !)", tok)
        if tok.kind == "LPAREN" and prev is not None and prev.kind == "NAME":
            return self.error(f"{prev.text!r} is read as a node name here, and a name cannot be followed "
                              "by '('; operators are and/or/not (or & | !)", prev)
        return self.error(f"expected {wanted} before {tok.text!r}", tok)

    def parse(self) -> Expression:
        if not self.tokens:
            raise self.error("the rule is empty; write an expression such as 'A and not B' (or 1/0 for a constant)")
        expr = self.or_expr()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "RPAREN":
                raise self.error("this ')' has no matching '('", tok)
            raise self._unexpected(tok)
        return expr

    def or_expr(self) -> Expression:
        args = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.i += 1
            args.append(self.and_expr())
        return args[0] if len(args) == 1 else ALGEBRA.OR(*args)

    def and_expr(self) -> Expression:
        args = [self.not_expr()]
        while (tok := self.peek()) is not None and tok.kind == "AND":
            self.i += 1
            args.append(self.not_expr())
        return args[0] if len(args) == 1 else ALGEBRA.AND(*args)

    def not_expr(self) -> Expression:
        tok = self.peek()
        if tok is None:
            raise self.error("the rule ends too early: expected a node name, a constant or '('")
        if tok.kind == "NOT":
            self.i += 1
            return ALGEBRA.NOT(self.not_expr())
        if tok.kind == "NAME":
            self.i += 1
            return ALGEBRA.Symbol(tok.text)
        if tok.kind == "TRUE":
            self.i += 1
            return TRUE
        if tok.kind == "FALSE":
            self.i += 1
            return FALSE
        if tok.kind == "LPAREN":
            self.i += 1
            inner = self.or_expr()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                if close is None:
                    raise self.error("unbalanced parenthesis: this '(' is never closed", tok)
                raise self._unexpected(close, "')' or an operator")
            self.i += 1
            return inner
        if tok.kind == "RPAREN":
            raise self.error("unexpected ')': expected a node name, a constant or '('", tok)
        raise self.error(f"expected a node name, a constant or '(' but found {tok.text!r}", tok)


def parse_expression(text: str, *, source: str = "<string>", line: int = 1, column: int = 1,
                     source_line: str | None = None) -> Expression:
    """Parse one Boolean expression (the right-hand side of a rule).

    ``not`` binds tighter than ``and``, which binds tighter than ``or``.
    Chains of one operator become one n-ary node (``A & B & C``).

    Raises
    ------
    RuleSyntaxError
        With the position of the first problem.

    Examples
    --------
    >>> format_expression(parse_expression("A or B and not C"))
    'A or B and not C'
    >>> format_expression(parse_expression("(A | B) & C"), style="bnet")
    '(A | B) & C'
    """
    shown = source_line if source_line is not None else text
    tokens = list(tokenize(text, line=line, column=column, source=source, source_line=shown))
    end_col = column + len(text.rstrip())
    try:
        return _Parser(tokens, source, shown, end_col, line).parse()
    except RecursionError:
        raise RuleSyntaxError("the rule is nested too deeply to read", source=source, line=line,
                              column=column, text=shown) from None


_STYLES = {
    "booleannet": {"and": " and ", "or": " or ", "not": "not ", "true": "True", "false": "False"},
    "bnet": {"and": " & ", "or": " | ", "not": "!", "true": "1", "false": "0"},
}
_PREC = {"OR": 1, "AND": 2, "NOT": 3, "ATOM": 4}


def _kind(e: Expression) -> str:
    if isinstance(e, ALGEBRA.OR):
        return "OR"
    if isinstance(e, ALGEBRA.AND):
        return "AND"
    if isinstance(e, ALGEBRA.NOT):
        return "NOT"
    return "ATOM"


def format_expression(expr: Expression, *, style: str = "booleannet") -> str:
    """Rule text for ``expr`` with as few parentheses as keep its structure.

    ``style`` is ``"booleannet"`` (``and or not``, ``True``/``False``) or ``"bnet"``
    (``& | !``, ``1``/``0``).  Parsing the result gives back an equal expression
    with the same nesting, so canonical files round-trip byte for byte.

    Examples
    --------
    >>> e = parse_expression("A & (B & C) | !D")
    >>> format_expression(e, style="bnet")
    'A & (B & C) | !D'
    """
    ops = _STYLES[style]

    def fmt(e: Expression, parent: str | None) -> str:
        k = _kind(e)
        if k == "ATOM":
            if e is TRUE or e == TRUE:
                return ops["true"]
            if e is FALSE or e == FALSE:
                return ops["false"]
            return str(e.obj)
        if k == "NOT":
            s = ops["not"] + fmt(e.args[0], "NOT")
        else:
            sep = ops["and"] if k == "AND" else ops["or"]
            s = sep.join(fmt(a, k) for a in e.args)
        if parent is not None and (_PREC[k] < _PREC[parent] or (k == parent and k != "NOT")):
            return "(" + s + ")"
        return s

    try:
        return fmt(expr, None)
    except RecursionError:  # pragma: no cover - only for absurdly deep expressions
        from .errors import LogicnetError
        raise LogicnetError("an expression is nested too deeply to write out") from None


def symbols(expr: Expression) -> frozenset[str]:
    """Names of the nodes an expression reads.

    Examples
    --------
    >>> sorted(symbols(parse_expression("A & !B | A")))
    ['A', 'B']
    """
    cached = getattr(expr, "_logicnet_symbols", None)  # expressions are never modified in place
    if cached is None:
        cached = frozenset(str(s.obj) for s in expr.get_symbols())
        try:
            expr._logicnet_symbols = cached
        except AttributeError:  # pragma: no cover - boolean.py objects take attributes
            pass
    return cached


def is_constant(expr: Expression) -> bool:
    """True if ``expr`` is the literal ``True`` or ``False`` (no simplification).

    Examples
    --------
    >>> is_constant(TRUE), is_constant(parse_expression("A"))
    (True, False)
    """
    return expr == TRUE or expr == FALSE


def constant_value(expr: Expression) -> int | None:
    """1 or 0 for the literal constants, ``None`` otherwise.

    Examples
    --------
    >>> constant_value(FALSE), constant_value(parse_expression("A")) is None
    (0, True)
    """
    if expr == TRUE:
        return 1
    if expr == FALSE:
        return 0
    return None


def evaluate(expr: Expression, values: Mapping[str, int]) -> int:
    """Value (0/1) of ``expr`` when each node ``n`` has value ``values[n]``.

    Written for clarity (tests use it as the reference); the engine uses
    compiled truth tables instead.

    Examples
    --------
    >>> evaluate(parse_expression("A | !B"), {"A": 0, "B": 1})
    0
    """
    k = _kind(expr)
    if k == "ATOM":
        c = constant_value(expr)
        if c is not None:
            return c
        return 1 if values[str(expr.obj)] else 0
    if k == "NOT":
        return 1 - evaluate(expr.args[0], values)
    if k == "AND":
        return int(all(evaluate(a, values) for a in expr.args))
    return int(any(evaluate(a, values) for a in expr.args))


def truth_table(expr: Expression, variables: Sequence[str]) -> np.ndarray:
    """The truth table of ``expr`` over ``variables`` as a boolean array.

    Row ``r`` holds the value when variable ``j`` has value ``(r >> j) & 1``.
    Every symbol of ``expr`` must be among ``variables``.

    Examples
    --------
    >>> truth_table(parse_expression("A & !B"), ["A", "B"]).astype(int).tolist()
    [0, 1, 0, 0]
    """
    import numpy as np

    k = len(variables)
    if k > MAX_TRUTH_TABLE_INPUTS:
        from .errors import ResourceLimitError
        raise ResourceLimitError(
            f"a rule with {k} regulators has a truth table of 2^{k} rows, more than logicnet builds "
            f"(at most 2^{MAX_TRUTH_TABLE_INPUTS})")
    rows = np.arange(1 << k, dtype=np.int64)
    cols = {name: ((rows >> j) & 1).astype(bool) for j, name in enumerate(variables)}
    size = 1 << k

    def ev(e: Expression) -> np.ndarray:
        kind = _kind(e)
        if kind == "ATOM":
            c = constant_value(e)
            if c is not None:
                return np.full(size, bool(c))
            return cols[str(e.obj)]
        if kind == "NOT":
            return ~ev(e.args[0])
        acc = ev(e.args[0]).copy()
        for a in e.args[1:]:
            if kind == "AND":
                acc &= ev(a)
            else:
                acc |= ev(a)
        return acc

    return ev(expr)


def evaluate_columns(expr: Expression, columns: Mapping[str, np.ndarray], size: int) -> np.ndarray:
    """Vectorised :func:`evaluate`: ``columns[n]`` is a boolean array of node ``n``'s values.

    Examples
    --------
    >>> import numpy as np
    >>> cols = {"A": np.array([0, 1, 1], bool), "B": np.array([0, 0, 1], bool)}
    >>> evaluate_columns(parse_expression("A & !B"), cols, 3).tolist()
    [False, True, False]
    """
    import numpy as np

    k = _kind(expr)
    if k == "ATOM":
        c = constant_value(expr)
        if c is not None:
            return np.full(size, bool(c))
        return np.asarray(columns[str(expr.obj)], dtype=bool)
    if k == "NOT":
        return ~evaluate_columns(expr.args[0], columns, size)
    acc = evaluate_columns(expr.args[0], columns, size).copy()
    for a in expr.args[1:]:
        if k == "AND":
            acc &= evaluate_columns(a, columns, size)
        else:
            acc |= evaluate_columns(a, columns, size)
    return acc


def column_bits(n: int, j: int) -> int:
    """The states (of ``n`` variables) where variable ``j`` is 1, as one Python integer.

    Bit ``s`` of the result is bit ``j`` of ``s``, for every state ``s < 2**n``: the
    column of variable ``j`` in a truth table whose row ``s`` gives variable ``i`` the
    value ``(s >> i) & 1`` (as :func:`truth_table`), packed into an integer.

    Examples
    --------
    >>> bin(column_bits(3, 0)), bin(column_bits(3, 2))
    ('0b10101010', '0b11110000')
    """
    width = 1 << j
    pattern = ((1 << width) - 1) << width  # one period: 2^j zeros, then 2^j ones
    period = 2 * width
    rows = 1 << n
    while period < rows:
        pattern |= pattern << period
        period *= 2
    return pattern


def evaluate_bits(expr: Expression, columns: Mapping[str, int], full: int) -> int:
    """Bit-parallel :func:`evaluate`: ``columns[n]`` holds node ``n``'s value in bit ``r``
    of row ``r``; ``full`` has a bit set for every row.  Returns the rows where ``expr``
    holds, as an integer (no numpy: used where starting fast matters).

    Examples
    --------
    >>> cols = {"A": column_bits(2, 0), "B": column_bits(2, 1)}
    >>> bin(evaluate_bits(parse_expression("A & !B"), cols, 0b1111))
    '0b10'
    """
    k = _kind(expr)
    if k == "ATOM":
        c = constant_value(expr)
        if c is not None:
            return full if c else 0
        return columns[str(expr.obj)]
    if k == "NOT":
        return full & ~evaluate_bits(expr.args[0], columns, full)
    args = expr.args
    acc = evaluate_bits(args[0], columns, full)
    for a in args[1:]:
        if k == "AND":
            acc &= evaluate_bits(a, columns, full)
        else:
            acc |= evaluate_bits(a, columns, full)
    return acc


def substitute(expr: Expression, values: Mapping[str, int]) -> Expression:
    """``expr`` with the given nodes replaced by constants, and constants folded.

    Only folding is done (``A & 0 -> 0``, ``A | 0 -> A``, ``!1 -> 0``); the rest of
    the expression keeps its shape.

    Examples
    --------
    >>> format_expression(substitute(parse_expression("A & !B | C"), {"B": 0}))
    'A or C'
    >>> substitute(parse_expression("A & B"), {"B": 0})
    FALSE
    """
    k = _kind(expr)
    if k == "ATOM":
        if constant_value(expr) is not None:
            return expr
        v = values.get(str(expr.obj))
        if v is None:
            return expr
        return TRUE if v else FALSE
    if k == "NOT":
        inner = substitute(expr.args[0], values)
        c = constant_value(inner)
        if c is not None:
            return FALSE if c else TRUE
        return expr if inner is expr.args[0] else ALGEBRA.NOT(inner)
    absorbing = FALSE if k == "AND" else TRUE
    neutral = TRUE if k == "AND" else FALSE
    args = []
    changed = False
    for a in expr.args:
        s = substitute(a, values)
        changed |= s is not a
        if s == absorbing:
            return absorbing
        if s == neutral:
            changed = True
            continue
        args.append(s)
    if not changed:
        return expr
    if not args:
        return neutral
    if len(args) == 1:
        return args[0]
    return ALGEBRA.AND(*args) if k == "AND" else ALGEBRA.OR(*args)


def rename(expr: Expression, symbols_by_name: Mapping[str, Expression]) -> Expression:
    """``expr`` with the named symbols replaced by the given expressions (same shape).

    Examples
    --------
    >>> format_expression(rename(parse_expression("C-Myc & !B"), {"C-Myc": symbol("C_Myc")}))
    'C_Myc and not B'
    """
    k = _kind(expr)
    if k == "ATOM":
        if constant_value(expr) is not None:
            return expr
        return symbols_by_name.get(str(expr.obj), expr)
    args = [rename(a, symbols_by_name) for a in expr.args]
    if all(a is b for a, b in zip(args, expr.args)):
        return expr
    if k == "NOT":
        return ALGEBRA.NOT(args[0])
    return ALGEBRA.AND(*args) if k == "AND" else ALGEBRA.OR(*args)
