"""SBML-qual files (``.sbml``, ``.xml``): logical models in SBML Level 3 with the qual package.

Reading understands what GINsim, bioLQM, CellCollective and the BBM benchmark write:

* every ``qual:qualitativeSpecies`` is a node, in file order, named by the species'
  ``name`` where that name is unique and a valid node name (CellCollective writes ids
  like ``S_1`` and the real names in ``name``), else by its id; ``names=False`` uses ids;
* a species with ``constant="true"`` is a constant node (its ``initialLevel``);
* a species that no transition updates, or whose transition has neither function
  terms nor a default term, is an input (``x* = x``); a transition with only a
  default term sets its species to that constant level;
* otherwise the rule is the OR of the function terms with ``resultLevel`` 1 (or, when
  the default term has ``resultLevel`` 1, NOT of the OR of those with ``resultLevel`` 0).

Function terms are read from the MathML tree itself (never evaluated):
``and or not xor implies true false`` and the comparisons
``eq neq geq gt leq lt`` between a species, a number and a threshold (an input id
stands for that input's ``thresholdLevel``).  Each species is 0 or 1, so ``x >= 1``,
``x > 0`` and ``x == 1`` read as ``x``; ``x == 0`` and ``x < 1`` as ``not x``.

Writing produces SBML Level 3 Version 1 with the qual package (required), one
compartment, one species per node and one transition per node that is neither an
input nor a constant.  Annotations ``description``/``evidence`` go to the species'
notes, the ``initial`` annotation (``True``/``False``) to ``initialLevel``.

Examples
--------
>>> net = Network.from_rules("A* = A\\nB* = A and not B")
>>> back = parse_sbmlqual(generate_sbmlqual(net))
>>> back.nodes, logicnet.expr.format_expression(back.rules["B"])
(('A', 'B'), 'A and not B')
"""

from __future__ import annotations

import dataclasses
import logging
import math
import operator
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import libsbml

from .. import expr as _expr
from ..errors import LogicnetError, RuleSyntaxError, close_matches, warn
from ..expr import ALGEBRA, FALSE, TRUE
from ..network import Network
from ._common import atomic_write_bytes, read_text_lines

__all__ = ["generate_sbmlqual", "parse_sbmlqual", "read_sbmlqual", "write_sbmlqual"]

logger = logging.getLogger(__name__)

# libsbml prepends a declaration (and a newline) to strings that lack one; we do it
# ourselves so that we know by how many lines its positions are shifted.
_XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>\n"
# XML-layer complaints that do not stop a document from being read.
_HARMLESS_XML_ERRORS = {libsbml.MissingXMLDecl, libsbml.MissingXMLEncoding}
_SHOWN_LINE_LIMIT = 200  # longer source lines (one-line files) are not echoed under errors

# An <apply> with nothing in it (CellNOptR's toSBMLStandard writes one for every stimulus).
# libsbml's MathML reader loses the element after it, so it is replaced, before libsbml
# reads the text, by a name no file uses; lines stay where they were.
_EMPTY_APPLY = re.compile(r"<(?P<p>(?:[A-Za-z_][\w.-]*:)?)apply\s*(?:/>|>(?P<ws>\s*)</(?P=p)apply\s*>)")
_EMPTY_MARK = "logicnet_empty_apply_"
_SID_BAD_CHARS = re.compile(r"[^A-Za-z0-9_]")
_SID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NOTE = re.compile(r"\s*(?P<key>description|evidence)\s*:\s?(?P<value>.*?)\s*\Z", re.DOTALL)

_COMPARISONS: dict[int, tuple[str, Callable[[float, float], bool]]] = {
    libsbml.AST_RELATIONAL_EQ: ("eq", operator.eq),
    libsbml.AST_RELATIONAL_NEQ: ("neq", operator.ne),
    libsbml.AST_RELATIONAL_GEQ: ("geq", operator.ge),
    libsbml.AST_RELATIONAL_GT: ("gt", operator.gt),
    libsbml.AST_RELATIONAL_LEQ: ("leq", operator.le),
    libsbml.AST_RELATIONAL_LT: ("lt", operator.lt),
}
_LOGICAL = (libsbml.AST_LOGICAL_AND, libsbml.AST_LOGICAL_OR, libsbml.AST_LOGICAL_XOR,
            libsbml.AST_LOGICAL_NOT, libsbml.AST_LOGICAL_IMPLIES)
_NUMBERS = (libsbml.AST_REAL, libsbml.AST_REAL_E, libsbml.AST_RATIONAL)
_ARITHMETIC = {libsbml.AST_PLUS: "plus", libsbml.AST_MINUS: "minus", libsbml.AST_TIMES: "times",
               libsbml.AST_DIVIDE: "divide", libsbml.AST_POWER: "power"}
_SIGNS = {"+": libsbml.INPUT_SIGN_POSITIVE, "-": libsbml.INPUT_SIGN_NEGATIVE, "±": libsbml.INPUT_SIGN_DUAL}


# -- expression helpers ----------------------------------------------------------------
def _and(args: list) -> _expr.Expression:
    """n-ary AND with constants folded and nested ANDs flattened."""
    flat = []
    for a in args:
        if a == FALSE:
            return FALSE
        if a == TRUE:
            continue
        flat.extend(a.args if isinstance(a, ALGEBRA.AND) else (a,))
    if not flat:
        return TRUE
    return flat[0] if len(flat) == 1 else ALGEBRA.AND(*flat)


def _or(args: list) -> _expr.Expression:
    """n-ary OR with constants folded and nested ORs flattened."""
    flat = []
    for a in args:
        if a == TRUE:
            return TRUE
        if a == FALSE:
            continue
        flat.extend(a.args if isinstance(a, ALGEBRA.OR) else (a,))
    if not flat:
        return FALSE
    return flat[0] if len(flat) == 1 else ALGEBRA.OR(*flat)


def _not(a) -> _expr.Expression:
    if a == TRUE:
        return FALSE
    if a == FALSE:
        return TRUE
    if isinstance(a, ALGEBRA.NOT):
        return a.args[0]
    return ALGEBRA.NOT(a)


def _xor2(a, b) -> _expr.Expression:
    return _or([_and([a, _not(b)]), _and([_not(a), b])])


def _parity(args: list) -> _expr.Expression:
    """n-ary XOR (odd parity), split in halves so the formula stays quadratic in size."""
    if not args:
        return FALSE
    if len(args) == 1:
        return args[0]
    mid = len(args) // 2
    return _xor2(_parity(args[:mid]), _parity(args[mid:]))


def _compare(relation: Callable[[float, float], bool], a, b) -> _expr.Expression:
    """``a relation b`` where each side is a number or a Boolean expression (value 0 or 1)."""
    a_num, b_num = isinstance(a, float), isinstance(b, float)
    if a_num and b_num:
        return TRUE if relation(a, b) else FALSE
    if a_num or b_num:
        num, e = (a, b) if a_num else (b, a)
        holds = [relation(num, v) if a_num else relation(v, num) for v in (0.0, 1.0)]
        if holds == [False, True]:
            return e
        if holds == [True, False]:
            return _not(e)
        return TRUE if holds[0] else FALSE
    # Both sides are conditions: spell out the cases (a, b) in {0, 1}^2 where it holds.
    terms = [_and([a if va else _not(a), b if vb else _not(b)])
             for va in (0, 1) for vb in (0, 1) if relation(float(va), float(vb))]
    if len(terms) == 3:  # geq / leq: the complement of the one failing case
        (va, vb), = [(x, y) for x in (0, 1) for y in (0, 1) if not relation(float(x), float(y))]
        return _or([_not(a) if va else a, _not(b) if vb else b])
    return _or(terms)


# -- reading -----------------------------------------------------------------------------
class _Transition:
    """What the MathML of one transition may refer to, and how messages name it."""

    def __init__(self, label: str, thresholds: dict) -> None:
        self.label = label  # "'tr_A'", or "number 3" for a transition without id
        self.thresholds = thresholds  # input id -> thresholdLevel (None if unset)


class _Reader:
    """One SBML-qual document being turned into a Network."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        text = text.removeprefix("\ufeff")
        self.offset = 0
        if not text.startswith("<?xml version="):
            text = _XML_DECL + text
            self.offset = 1
        self.original = text
        self.text = _EMPTY_APPLY.sub(lambda m: f"<{m['p']}ci>{_EMPTY_MARK}</{m['p']}ci>{m['ws'] or ''}", text)
        self._lines: list[str] | None = None
        self.node_of: dict[str, str] = {}  # species id -> node name

    # positions -------------------------------------------------------------------------
    def error(self, message: str, line: int | None = None, column: int | None = None) -> RuleSyntaxError:
        """A RuleSyntaxError at a libsbml position (1-based line, 0-based column)."""
        if line is None or line - self.offset < 1:
            return RuleSyntaxError(message, source=self.source)
        if self._lines is None:
            self._lines = self.original.splitlines()
        shown = self._lines[line - 1] if line - 1 < len(self._lines) else None
        if shown is not None and len(shown) > _SHOWN_LINE_LIMIT:
            shown = None
        col = column + 1 if column is not None and column >= 0 else None
        return RuleSyntaxError(message, source=self.source, line=line - self.offset, column=col, text=shown)

    def at(self, element, message: str) -> RuleSyntaxError:
        """A RuleSyntaxError at the start tag of a libsbml element."""
        return self.error(message, element.getLine(), element.getColumn())

    # the document ------------------------------------------------------------------------
    def document(self, strict: bool):
        doc = libsbml.readSBMLFromString(self.text)
        errors = [doc.getError(i) for i in range(doc.getNumErrors())]
        serious = [e for e in errors if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
        if not self.text[len(_XML_DECL) if self.offset else 0:].strip():
            raise self.error("the file is empty; an SBML-qual file is an XML document")
        for e in serious:
            if e.getCategory() == libsbml.LIBSBML_CAT_XML and e.getErrorId() not in _HARMLESS_XML_ERRORS:
                detail = _detail(e)
                why = "" if "well-formed" in detail else f" ({detail})"
                raise self.error(f"the file is not well-formed XML{why}", e.getLine(), e.getColumn())
        for e in serious:
            if e.getSeverity() >= libsbml.LIBSBML_SEV_FATAL:
                raise self.error(f"the file cannot be read as SBML: {_detail(e)}", e.getLine(), e.getColumn())
        if doc.getLevel() == 0:
            raise self.error("this is not an SBML document: its outermost element must be <sbml>")
        model = doc.getModel()
        if model is None:
            raise self.error("the SBML document has no <model>")
        if strict and serious:
            e = serious[0]
            more = f" (and {len(serious) - 1} more problems)" if len(serious) > 1 else ""
            raise self.error(f"the file breaks the SBML rules: {_detail(e)}{more}", e.getLine(), e.getColumn())
        if serious:
            logger.info("%s: ignoring %d SBML conformance problems (first: %s)",
                        self.source, len(serious), _detail(serious[0]))
        qual = model.getPlugin("qual")
        if qual is None or not doc.isPackageEnabled("qual"):
            raise self.error("this SBML file does not use the qual package (SBML-qual), so it holds no "
                             "logical model; logicnet reads SBML-qual models such as GINsim or "
                             "CellCollective export", model.getLine(), model.getColumn())
        return model, qual

    def parse(self, *, strict: bool, names: bool) -> Network:
        model, qual = self.document(strict)
        species = list(qual.getListOfQualitativeSpecies())
        if not species:
            raise self.at(model, "the model has no qualitative species (qual:qualitativeSpecies), "
                                 "so there is no node to read")
        by_id: dict[str, object] = {}
        for sp in species:
            sid = sp.getId()
            if not sid:
                raise self.at(sp, "a qualitative species has no id")
            if sid in by_id:
                raise self.at(sp, f"the species id {sid!r} is used twice; species ids must be unique")
            by_id[sid] = sp
        declared = {c.getId() for c in model.getListOfCompartments()}
        undeclared: dict[str, list[str]] = {}
        for sp in species:
            if sp.isSetCompartment() and sp.getCompartment() not in declared:
                undeclared.setdefault(sp.getCompartment(), []).append(sp.getId())
        for cid, sids in undeclared.items():
            shown = ", ".join(sids[:5]) + (f" and {len(sids) - 5} more" if len(sids) > 5 else "")
            warn(f"{self.source}: {len(sids)} species ({shown}) are in compartment {cid!r}, which the model does "
                 "not declare; read anyway, as compartments play no part in a logical model")
        transitions = list(qual.getListOfTransitions())
        self.check_boolean(species, transitions)
        self.node_of = self.choose_names(species, names)

        owner: dict[str, str] = {}  # species id -> id of the transition that updates it
        rules: dict[str, _expr.Expression] = {}
        for k, tr in enumerate(transitions):
            tid = repr(tr.getId()) if tr.getId() else f"number {k + 1}"
            outputs = list(tr.getListOfOutputs())
            if not outputs:
                raise self.at(tr, f"transition {tid} has no output, so it updates no species")
            targets = self.outputs_of(tr, tid, outputs, by_id, owner)
            thresholds = {}
            for inp in tr.getListOfInputs():
                sid = inp.getQualitativeSpecies()
                if not sid:
                    raise self.at(inp, f"an input of transition {tid} names no species")
                if sid not in by_id:
                    raise self.at(inp, f"an input of transition {tid} is {sid!r}, which is not a "
                                       f"qualitative species{_hint(sid, by_id)}")
                if inp.isSetId():
                    thresholds[inp.getId()] = inp.getThresholdLevel() if inp.isSetThresholdLevel() else None
            terms = list(tr.getListOfFunctionTerms())
            if terms and tr.getNumInputs() == 0 and all(_is_empty_apply(ft.getMath()) for ft in terms):
                for sid in targets:
                    warn(f"{self.source}:{terms[0].getLine() - self.offset}: transition {tid} has no inputs and "
                         f"an empty <apply> as its function term (as CellNOptR writes for stimuli): species "
                         f"{sid!r} is read as an input, which keeps its value")
                    rules[sid] = _expr.symbol(self.node_of[sid])
                continue
            rule = self.transition_rule(tr, _Transition(tid, thresholds), by_id)
            for sid in targets:
                rules[sid] = rule if rule is not None else _expr.symbol(self.node_of[sid])

        annotations = self.species_rules(species, rules)
        nodes = tuple(self.node_of[sp.getId()] for sp in species)
        name = model.getName() or model.getId() or ""
        return Network(nodes, {self.node_of[s]: r for s, r in rules.items()}, annotations, name)

    def outputs_of(self, tr, tid: str, outputs: list, by_id, owner: dict[str, str]) -> list[str]:
        """The species a transition updates, checked (logical outputs, one transition each);
        ``owner`` records which transition updates each."""
        targets = []
        for out in outputs:
            sid = out.getQualitativeSpecies()
            if not sid:
                raise self.at(out, f"an output of transition {tid} names no species")
            if sid not in by_id:
                raise self.at(out, f"the output of transition {tid} is {sid!r}, which is not a "
                                   f"qualitative species{_hint(sid, by_id)}")
            if out.getTransitionEffect() == libsbml.OUTPUT_TRANSITION_EFFECT_PRODUCTION:
                raise self.at(out, f"transition {tid} produces {sid!r} (transitionEffect 'production'); "
                                   "logicnet reads only logical models, whose outputs use 'assignmentLevel'")
            if sid in owner:
                raise self.at(tr, f"species {sid!r} is the output of two transitions ({owner[sid]} and "
                                  f"{tid}); a species has exactly one update rule")
            if by_id[sid].getConstant():
                raise self.at(out, f"species {sid!r} is constant but is the output of transition {tid}")
            owner[sid] = tid
            targets.append(sid)
        return targets

    def species_rules(self, species: list, rules: dict) -> dict[str, dict[str, str]]:
        """Constant species become constant rules and species no transition updates become
        inputs (in ``rules``); returns each node's annotations (initial level, name, notes)."""
        annotations: dict[str, dict[str, str]] = {}
        for sp in species:
            sid = sp.getId()
            node = self.node_of[sid]
            ann: dict[str, str] = {}
            if sp.getConstant():
                if not sp.isSetInitialLevel():
                    raise self.at(sp, f"species {sid!r} is constant but has no initialLevel, so its "
                                      "value is unknown")
                rules[sid] = TRUE if sp.getInitialLevel() else FALSE
            else:
                rules.setdefault(sid, _expr.symbol(node))  # not updated by any transition: an input
                if sp.isSetInitialLevel():
                    ann["initial"] = "True" if sp.getInitialLevel() else "False"
            if sp.isSetName() and sp.getName() and sp.getName() not in (sid, node):
                ann["description"] = sp.getName()
            ann.update(_notes(sp))
            if ann:
                annotations[node] = ann
        return annotations

    def check_boolean(self, species: list, transitions: list) -> None:
        """Raise if any species can take more than two levels."""
        multi: dict[str, str] = {}
        for sp in species:
            if sp.isSetMaxLevel() and sp.getMaxLevel() > 1:
                multi[sp.getId()] = f"maxLevel {sp.getMaxLevel()}"
            elif sp.isSetInitialLevel() and sp.getInitialLevel() > 1:
                multi[sp.getId()] = f"initialLevel {sp.getInitialLevel()}"
        for tr in transitions:
            levels = [ft.getResultLevel() for ft in tr.getListOfFunctionTerms() if ft.isSetResultLevel()]
            if tr.isSetDefaultTerm() and tr.getDefaultTerm().isSetResultLevel():
                levels.append(tr.getDefaultTerm().getResultLevel())
            if levels and max(levels) > 1:
                for out in tr.getListOfOutputs():
                    multi.setdefault(out.getQualitativeSpecies(), f"resultLevel {max(levels)}")
        if multi:
            listed = ", ".join(f"{s} ({why})" for s, why in multi.items())
            raise LogicnetError(f"{self.source}: logicnet handles Boolean models only; these species have "
                                f"more than two levels: {listed}")

    def choose_names(self, species: list, names: bool) -> dict[str, str]:
        """Species id -> node name (the id, or with ``names=True`` the usable species name)."""
        ids = [sp.getId() for sp in species]
        if not names:
            return {sid: sid for sid in ids}
        wanted = {sp.getId(): sp.getName() for sp in species if sp.isSetName() and sp.getName()}
        problems: dict[str, str] = {}
        for sid, name in wanted.items():
            if not _expr.is_node_name(name):
                problems[sid] = f"{name!r} is not a valid node name"
        counts: dict[str, int] = {}
        for sid, name in wanted.items():
            if sid not in problems:
                counts[name] = counts.get(name, 0) + 1
        for sid, name in wanted.items():
            if sid not in problems and counts[name] > 1:
                problems[sid] = f"{name!r} is the name of {counts[name]} species"
        # A species that keeps its id may take a name another species wanted: undo until stable.
        while True:
            chosen = {sid: (wanted[sid] if sid in wanted and sid not in problems else sid) for sid in ids}
            taken: dict[str, list[str]] = {}
            for sid, node in chosen.items():
                taken.setdefault(node, []).append(sid)
            clash = [sid for node, sids in taken.items() if len(sids) > 1 for sid in sids if chosen[sid] != sid]
            if not clash:
                break
            for sid in clash:
                problems[sid] = f"{wanted[sid]!r} is the id of another species"
        if problems:
            listed = "; ".join(f"{sid} ({problems[sid]})" for sid in ids if sid in problems)
            warn(f"{self.source}: {len(problems)} species keep their id as node name because "
                 f"their name cannot be used: {listed}")
        return chosen

    def transition_rule(self, tr, ctx: _Transition, by_id: Mapping) -> _expr.Expression | None:
        """The update rule of a transition's outputs, or None for an input (no terms at all)."""
        terms = list(tr.getListOfFunctionTerms())
        default = tr.getDefaultTerm() if tr.isSetDefaultTerm() else None
        if default is not None and not default.isSetResultLevel():
            raise self.at(default, f"the default term of transition {ctx.label} has no resultLevel")
        if default is not None and default.getResultLevel() not in (0, 1):
            raise self.at(default, f"the default term of transition {ctx.label} has resultLevel "
                                   f"{default.getResultLevel()}; a Boolean species takes level 0 or 1")
        if not terms:
            if default is None:
                return None
            return TRUE if default.getResultLevel() else FALSE
        default_level = default.getResultLevel() if default is not None else 0
        by_level: dict[int, list] = {0: [], 1: []}
        for ft in terms:
            if not ft.isSetResultLevel():
                raise self.at(ft, f"a function term of transition {ctx.label} has no resultLevel, so it "
                                  "is not known what value it gives")
            math_ = ft.getMath()
            if math_ is None:
                raise self.at(ft, f"a function term of transition {ctx.label} has no MathML condition")
            condition = self.condition(math_, ctx, ft, by_id)
            level = ft.getResultLevel()
            if level not in by_level:
                raise self.at(ft, f"a function term of transition {ctx.label} has resultLevel {level}; "
                                  "a Boolean species takes level 0 or 1")
            by_level[level].append(condition)
        if default_level == 0:
            return _or(by_level[1])
        return _not(_or(by_level[0]))

    # MathML ------------------------------------------------------------------------------
    def condition(self, root, ctx: _Transition, ft, by_id: Mapping) -> _expr.Expression:
        """A MathML tree as a condition (a Boolean expression).

        The tree is walked with an explicit stack: published files nest binary
        ``and``/``or`` hundreds of levels deep.
        """
        results: list = []  # values of finished subtrees (float or Expression)
        stack = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            t = node.getType()
            n = node.getNumChildren()
            if children_done:
                args = results[len(results) - n:]
                del results[len(results) - n:]
                results.append(self.combine(t, args, ctx, ft))
            elif t in _COMPARISONS or t in _LOGICAL:
                stack.append((node, True))
                stack.extend((node.getChild(i), False) for i in reversed(range(n)))
            else:
                results.append(self.leaf(node, ctx, ft, by_id))
        return self.as_condition(results[0], ctx, ft)

    def as_condition(self, value, ctx: _Transition, ft) -> _expr.Expression:
        if isinstance(value, float):
            if value in (0.0, 1.0):
                return TRUE if value else FALSE
            raise self.at(ft, f"in transition {ctx.label}, the number {_num(value)} stands where a "
                              "condition is expected")
        return value

    def leaf(self, node, ctx: _Transition, ft, by_id: Mapping):
        """A name, number or constant as a number (float) or a Boolean expression."""
        t = node.getType()
        if t == libsbml.AST_NAME:
            name = node.getName()
            if name == _EMPTY_MARK:
                raise self.at(ft, f"the function term of transition {ctx.label} holds an empty <apply> (no "
                                  "operator and no arguments), so it states no condition")
            if name in ctx.thresholds:
                level = ctx.thresholds[name]
                if level is None:
                    raise self.at(ft, f"in transition {ctx.label}, the input {name!r} is used as a "
                                      "threshold but has no thresholdLevel")
                return float(level)
            if name in by_id:
                return _expr.symbol(self.node_of[name])
            raise self.at(ft, f"the function term of transition {ctx.label} refers to {name!r}, which is "
                              f"neither a qualitative species nor an input of this transition{_hint(name, by_id)}")
        if t == libsbml.AST_INTEGER:
            return float(node.getInteger())
        if t in _NUMBERS:
            v = node.getReal()
            if not math.isfinite(v):
                raise self.at(ft, f"in transition {ctx.label}, a number is not finite")
            return float(v)
        if t == libsbml.AST_CONSTANT_TRUE:
            return TRUE
        if t == libsbml.AST_CONSTANT_FALSE:
            return FALSE
        raise self.at(ft, f"the function term of transition {ctx.label} uses {_element_name(node)}; "
                          "logicnet reads and, or, not, xor, implies, true, false and comparisons "
                          "(eq, neq, geq, gt, leq, lt) of species with numbers or thresholds")

    def combine(self, t: int, args: list, ctx: _Transition, ft) -> _expr.Expression:
        """The value of a comparison or logical operator applied to its arguments' values."""
        if t in _COMPARISONS:
            op, relation = _COMPARISONS[t]
            if len(args) < 2:
                raise self.at(ft, f"in transition {ctx.label}, the comparison '{op}' needs two arguments")
            # MathML comparisons are n-ary chains: a < b < c means a < b and b < c.
            return _and([_compare(relation, args[i], args[i + 1]) for i in range(len(args) - 1)])
        args = [self.as_condition(a, ctx, ft) for a in args]
        if t == libsbml.AST_LOGICAL_AND:
            return _and(args)
        if t == libsbml.AST_LOGICAL_OR:
            return _or(args)
        if t == libsbml.AST_LOGICAL_XOR:
            return _parity(args)
        if t == libsbml.AST_LOGICAL_NOT:
            if len(args) != 1:
                raise self.at(ft, f"in transition {ctx.label}, 'not' takes one argument, not {len(args)}")
            return _not(args[0])
        if len(args) != 2:
            raise self.at(ft, f"in transition {ctx.label}, 'implies' takes two arguments, not {len(args)}")
        return _or([_not(args[0]), args[1]])


def _is_empty_apply(math_) -> bool:
    return math_ is not None and math_.getType() == libsbml.AST_NAME and math_.getName() == _EMPTY_MARK


def _element_name(node) -> str:
    """What a libsbml AST node was read from: its MathML element (the operator of an <apply>)."""
    if node.getType() == libsbml.AST_FUNCTION:
        return f"a call of the function {node.getName()!r}"
    if node.getType() in _ARITHMETIC:
        return f"the MathML element <{_ARITHMETIC[node.getType()]}>"
    text = libsbml.writeMathMLToString(node) or ""
    tags = re.findall(r"<([A-Za-z_][\w.:-]*)", text)
    tags = [t.split(":")[-1] for t in tags if t.split(":")[-1] not in ("math", "apply")]
    return f"the MathML element <{tags[0] if tags else node.getName() or 'apply'}>"


def _detail(err) -> str:
    """The specific part of a libsbml message, as a clause (generic preamble dropped)."""
    parts = [p.strip() for p in err.getMessage().strip().split("\n") if p.strip()]
    text = parts[-1] if parts else err.getShortMessage()
    text = " ".join(text.split()).rstrip(".")
    if text[1:2].islower():  # keep acronyms such as 'XML' as they are
        text = text[:1].lower() + text[1:]
    return text


def _hint(name: str, known) -> str:
    found = close_matches(name, list(known))
    return " (did you mean " + ", ".join(repr(f) for f in found) + "?)" if found else ""


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


def _notes(sp) -> dict[str, str]:
    """``description``/``evidence`` from the species' notes paragraphs ``key: text``."""
    if not sp.isSetNotes():
        return {}
    found: dict[str, list[str]] = {}

    def text_of(xml) -> str:
        if xml.isText():
            return xml.getCharacters()
        return "".join(text_of(xml.getChild(i)) for i in range(xml.getNumChildren()))

    def walk(xml) -> None:
        if xml.isElement() and xml.getName() == "p":
            m = _NOTE.match(text_of(xml))
            if m is not None:
                found.setdefault(m.group("key"), []).append(m.group("value"))
            return
        for i in range(xml.getNumChildren()):
            walk(xml.getChild(i))

    walk(sp.getNotes())
    return {k: "\n".join(v) for k, v in found.items()}


def parse_sbmlqual(text: str, *, source: str = "<string>", strict: bool = False, names: bool = True) -> Network:
    """Build a :class:`~logicnet.Network` from the text of an SBML-qual document (no file access).

    Parameters
    ----------
    text : str
        The XML document.
    source : str
        The file name used in error messages.
    strict : bool
        Refuse documents that break SBML's own rules (such as a species without a
        compartment).  By default such documents are read as long as the logical
        model in them is clear; many published files have these slips.
    names : bool
        True (default): use each species' ``name`` as its node name where that name is
        unique and a valid node name (others keep their id; a
        :class:`~logicnet.errors.LogicnetWarning` lists them).  False: species ids.

    Returns
    -------
    Network
        Nodes in the order of the species in the file.

    Raises
    ------
    RuleSyntaxError
        If the text is not XML, not SBML, has no qual model, or its logic cannot be read.
    LogicnetError
        If a species has more than two levels.

    Examples
    --------
    >>> text = generate_sbmlqual(Network.from_rules("A* = not B\\nB* = A"))
    >>> net = parse_sbmlqual(text)
    >>> net.nodes, logicnet.expr.format_expression(net.rules["A"])
    (('A', 'B'), 'not B')
    """
    return _Reader(text, source).parse(strict=strict, names=names)


def read_sbmlqual(path: str | os.PathLike, *, strict: bool = False, names: bool = True) -> Network:
    """Read an SBML-qual file (``.sbml``, ``.xml``).

    Parameters
    ----------
    path : path-like
        The file (UTF-8).
    strict, names : bool
        As for :func:`parse_sbmlqual`.

    Returns
    -------
    Network
        A model without a name is named after the file.

    Raises
    ------
    RuleSyntaxError
        With the file, line and column of the first problem.
    LogicnetError
        If the file cannot be read or a species has more than two levels.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.sbml")
    >>> write_sbmlqual(Network.from_rules("A* = A\\nB* = not A"), p)
    >>> net = read_sbmlqual(p)
    >>> net.nodes, net.inputs, net.name
    (('A', 'B'), ('A',), 'toy')
    """
    text = "\n".join(read_text_lines(path))
    net = parse_sbmlqual(text, source=str(path), strict=strict, names=names)
    return net if net.name else dataclasses.replace(net, name=Path(path).stem)


# -- writing -----------------------------------------------------------------------------
class _Ids:
    """Hands out SBML identifiers (one namespace for the whole model), never twice."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wish: str) -> str:
        base = _SID_BAD_CHARS.sub("_", wish) or "_"
        if not _SID.match(base):
            base = "_" + base
        sid, k = base, 1
        while sid in self.used:
            k += 1
            sid = f"{base}_{k}"
        self.used.add(sid)
        return sid


def _check(code: int, what: str) -> None:
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:  # pragma: no cover - a bug, not bad input
        raise LogicnetError(f"could not build the SBML document ({what}: {libsbml.OperationReturnValue_toString(code)})")


def _math(e: _expr.Expression, sid: Mapping[str, str]):
    """The MathML tree of a rule: and/or/not over ``eq(x, 1)`` as GINsim and bioLQM write it."""
    kind = _expr._kind(e)
    if kind == "ATOM":
        c = _expr.constant_value(e)
        if c is not None:
            return libsbml.ASTNode(libsbml.AST_CONSTANT_TRUE if c else libsbml.AST_CONSTANT_FALSE)
        node = libsbml.ASTNode(libsbml.AST_RELATIONAL_EQ)
        ci = libsbml.ASTNode(libsbml.AST_NAME)
        _check(ci.setName(sid[str(e.obj)]), "species name")
        one = libsbml.ASTNode(libsbml.AST_INTEGER)
        _check(one.setValue(1), "number")
        _check(node.addChild(ci), "comparison")
        _check(node.addChild(one), "comparison")
        return node
    op = {"NOT": libsbml.AST_LOGICAL_NOT, "AND": libsbml.AST_LOGICAL_AND, "OR": libsbml.AST_LOGICAL_OR}[kind]
    node = libsbml.ASTNode(op)
    for a in e.args:
        _check(node.addChild(_math(a, sid)), kind.lower())
    return node


def _notes_xhtml(ann: Mapping[str, str]) -> str | None:
    paragraphs = [f"<p>{escape(key)}: {escape(part)}</p>"
                  for key, value in ann.items() if key != "initial" for part in value.split("\n")]
    if not paragraphs:
        return None
    return '<body xmlns="http://www.w3.org/1999/xhtml">' + "".join(paragraphs) + "</body>"


def generate_sbmlqual(net: Network, *, target: str = "") -> str:
    """The SBML-qual document (Level 3 Version 1, qual required) for ``net``, as XML text.

    Each node is a species (``maxLevel`` 1; constant nodes ``constant="true"`` with their
    value as ``initialLevel``); each node that is neither an input nor a constant gets a
    transition whose inputs carry the regulators' signs, whose function term (level 1)
    is the rule in MathML and whose default term is level 0.

    Node names that are not SBML identifiers (``A.1``, ``C-Myc``, ``4EBP1``) get the
    nearest free id and keep their name in the species ``name`` (with a warning);
    reading uses names by default, so such files read back to the original names.

    Examples
    --------
    >>> text = generate_sbmlqual(Network.from_rules("A* = A\\nB* = A and not B"))
    >>> text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    True
    >>> 'qual:required="true"' in text, text.count("<qual:transition ")
    (True, 1)
    """
    from ..graph import signed_edges

    doc = libsbml.SBMLDocument(libsbml.SBMLNamespaces(3, 1, "qual", 1))
    _check(doc.setPackageRequired("qual", True), "qual package")
    model = doc.createModel()
    ids = _Ids()
    # Nodes that already are SBML ids keep them; the others get the nearest free id.
    sid = {n: ids.take(n) for n in net.nodes if _SID.match(n)}
    sid.update({n: ids.take(n) for n in net.nodes if not _SID.match(n)})
    changed = [n for n in net.nodes if sid[n] != n]
    if changed:
        listed = ", ".join(f"{n} -> {sid[n]}" for n in changed[:10]) + (
            f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        warn(f"{target or 'SBML'}: {len(changed)} node name(s) are not SBML ids; their species get the ids "
             f"{listed}, and keep the node name as the species name (read back by default)")
    if net.name:
        _check(model.setId(ids.take(net.name)), "model id")
        _check(model.setName(net.name), "model name")
    compartment = model.createCompartment()
    cid = ids.take("default")
    _check(compartment.setId(cid), "compartment id")
    _check(compartment.setConstant(True), "compartment")
    qual = model.getPlugin("qual")

    for node in net.nodes:
        qs = qual.createQualitativeSpecies()
        _check(qs.setId(sid[node]), "species id")
        _check(qs.setName(node), "species name")
        _check(qs.setCompartment(cid), "species compartment")
        _check(qs.setMaxLevel(1), "maxLevel")
        value = _expr.constant_value(net.rules[node])
        _check(qs.setConstant(value is not None), "constant")
        ann = net.annotations.get(node, {})
        if value is not None:
            _check(qs.setInitialLevel(value), "initialLevel")
        elif ann.get("initial") in ("True", "False"):
            _check(qs.setInitialLevel(1 if ann["initial"] == "True" else 0), "initialLevel")
        notes = _notes_xhtml(ann)
        if notes is not None:
            _check(qs.setNotes(notes), "notes")

    signs: dict[str, dict[str, str]] = {}
    for source, target, sign in signed_edges(net):
        signs.setdefault(target, {})[source] = sign
    inputs = set(net.inputs)
    for node in net.nodes:
        rule = net.rules[node]
        if node in inputs or _expr.constant_value(rule) is not None:
            continue
        tr = qual.createTransition()
        _check(tr.setId(ids.take("tr_" + sid[node])), "transition id")
        for reg in net.regulators(node):
            inp = tr.createInput()
            _check(inp.setQualitativeSpecies(sid[reg]), "input species")
            _check(inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE), "input effect")
            # A regulator that cannot change the rule's value gets sign 'unknown'.
            _check(inp.setSign(_SIGNS.get(signs.get(node, {}).get(reg, ""), libsbml.INPUT_SIGN_UNKNOWN)),
                   "input sign")
            _check(inp.setThresholdLevel(1), "thresholdLevel")
        out = tr.createOutput()
        _check(out.setQualitativeSpecies(sid[node]), "output species")
        _check(out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL), "output effect")
        default = tr.createDefaultTerm()
        _check(default.setResultLevel(0), "default term")
        term = tr.createFunctionTerm()
        _check(term.setResultLevel(1), "function term")
        try:
            tree = _math(rule, sid)
        except RecursionError:
            raise LogicnetError(f"the rule of {node!r} is nested too deeply to write as MathML") from None
        _check(term.setMath(tree), "function term MathML")
    return libsbml.writeSBMLToString(doc)


def write_sbmlqual(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` as an SBML-qual file (atomically: complete or not at all).

    See :func:`generate_sbmlqual` for the content.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.sbml")
    >>> write_sbmlqual(Network.from_rules("A* = True\\nB* = A or B"), p)
    >>> read_sbmlqual(p).constants
    {'A': 1}
    """
    atomic_write_bytes(generate_sbmlqual(net, target=str(path)).encode("utf-8"), path)
