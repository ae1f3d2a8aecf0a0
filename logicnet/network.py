"""The :class:`Network`: an immutable Boolean network with per-node annotations.

Examples
--------
>>> net = Network.from_rules("A* = not B\\nB* = A")
>>> net.nodes
('A', 'B')
>>> net.fix({"B": 0}).rules["B"]
FALSE
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import expr as _expr
from .errors import LogicnetError, UnknownNodeError
from .expr import Expression
from .ruletext import parse_rules, rule_lines

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Network", "ANNOTATION_KEYS", "fix_label"]

#: Annotation keys with a meaning to logicnet; others are kept as they are.
ANNOTATION_KEYS = ("description", "evidence", "initial")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _freeze_annotations(annotations: Mapping[str, Mapping[str, str]] | None) -> Mapping[str, Mapping[str, str]]:
    if not annotations:
        return _EMPTY
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in annotations.items() if v})


@dataclass(frozen=True, slots=True, eq=False)
class Network:
    """An immutable Boolean network.

    Attributes
    ----------
    nodes : tuple of str
        Node names in state order (bit ``i`` of a state is ``nodes[i]``).
    rules : Mapping[str, Expression]
        One boolean.py expression per node; every symbol is a node.
    annotations : Mapping[str, Mapping[str, str]]
        Per-node notes such as ``description`` and ``evidence``.
    name : str
        The model's name.

    Build networks with :meth:`from_rules` or :func:`logicnet.io.read_network`;
    ``Network(...)`` only stores (and checks) its fields.

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A and not C\\nC* = B")
    >>> net.inputs, net.outputs
    (('A',), ())
    >>> net.regulators("B")
    ('A', 'C')
    """

    nodes: tuple[str, ...]
    rules: Mapping[str, Expression]
    annotations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        nodes = tuple(self.nodes)
        rules = dict(self.rules)
        if len(set(nodes)) != len(nodes):
            dup = sorted({n for n in nodes if nodes.count(n) > 1})
            raise LogicnetError(f"node names must be unique; repeated: {', '.join(dup)}")
        if set(rules) != set(nodes):
            missing = [n for n in nodes if n not in rules]
            extra = sorted(set(rules) - set(nodes))
            raise LogicnetError(f"every node needs exactly one rule (missing: {missing}, unknown: {extra})")
        known = set(nodes)
        for n in nodes:
            unknown = _expr.symbols(rules[n]) - known
            if unknown:
                raise UnknownNodeError(sorted(unknown)[0], nodes)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "rules", MappingProxyType({n: rules[n] for n in nodes}))
        ann = {k: v for k, v in (self.annotations or {}).items()}
        for k in ann:
            if k not in known:
                raise UnknownNodeError(k, nodes)
        object.__setattr__(self, "annotations", _freeze_annotations(ann))

    # -- constructors -------------------------------------------------------------
    @classmethod
    def from_rules(cls, text: str, *, name: str | None = None, strict: bool = False) -> Network:
        """Build a network from BooleanNet rule text (``A* = B and not C``).

        See :mod:`logicnet.ruletext` for the syntax.

        Examples
        --------
        >>> Network.from_rules("A* = B\\nB* = not A").nodes
        ('A', 'B')
        """
        net = cls(*parse_rules(text.splitlines(), strict=strict))
        return net if name is None else dataclasses.replace(net, name=name)

    # -- value semantics -------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return (
            self.nodes == other.nodes
            and self.name == other.name
            and all(self.rules[n] == other.rules[n] for n in self.nodes)
            and _plain(self.annotations) == _plain(other.annotations)
        )

    def __hash__(self) -> int:
        return hash((self.nodes, tuple(self.rules[n] for n in self.nodes), self.name))

    def __reduce__(self):
        return (_rebuild, (self.nodes, dict(self.rules), _plain(self.annotations), self.name))

    def __repr__(self) -> str:
        text = "\n".join(rule_lines(self))
        return f"Network.from_rules({text!r})"

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, node: object) -> bool:
        return node in self.rules

    # -- derived structure -------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of nodes.

        Examples
        --------
        >>> Network.from_rules("A* = A").n_nodes
        1
        """
        return len(self.nodes)

    def index(self, node: str) -> int:
        """Position of ``node`` in the state order (its bit).

        Examples
        --------
        >>> Network.from_rules("A* = B\\nB* = A").index("B")
        1
        """
        try:
            return self.nodes.index(node)
        except ValueError:
            raise UnknownNodeError(node, self.nodes) from None

    def check_node(self, node: str) -> str:
        """Return ``node`` if the network has it, else raise :class:`UnknownNodeError`.

        Examples
        --------
        >>> Network.from_rules("IGF1R* = IGF1R").check_node("IGF1R")
        'IGF1R'
        """
        if node not in self.rules:
            raise UnknownNodeError(node, self.nodes)
        return node

    def regulators(self, node: str) -> tuple[str, ...]:
        """The nodes ``node``'s rule reads, in state order.

        Examples
        --------
        >>> Network.from_rules("A* = C or B\\nB* = B\\nC* = C").regulators("A")
        ('B', 'C')
        """
        syms = _expr.symbols(self.rules[self.check_node(node)])
        return tuple(n for n in self.nodes if n in syms)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose rule is themselves (``A* = A``): they keep their value.

        Examples
        --------
        >>> Network.from_rules("A* = A\\nB* = A").inputs
        ('A',)
        """
        return tuple(n for n in self.nodes if self.rules[n] == _expr.symbol(n))

    @property
    def constants(self) -> dict[str, int]:
        """Nodes whose rule is the constant ``True`` (1) or ``False`` (0).

        Examples
        --------
        >>> Network.from_rules("A* = True\\nB* = A").constants
        {'A': 1}
        """
        out = {}
        for n in self.nodes:
            c = _expr.constant_value(self.rules[n])
            if c is not None:
                out[n] = c
        return out

    @property
    def outputs(self) -> tuple[str, ...]:
        """Nodes that no other node reads (they may read themselves).

        Examples
        --------
        >>> Network.from_rules("A* = A\\nB* = A").outputs
        ('B',)
        """
        read: set[str] = set()
        for n in self.nodes:
            read |= _expr.symbols(self.rules[n]) - {n}
        return tuple(n for n in self.nodes if n not in read)

    def targets(self, node: str) -> tuple[str, ...]:
        """Nodes whose rule reads ``node``, in state order.

        Examples
        --------
        >>> Network.from_rules("A* = A\\nB* = A\\nC* = not A").targets("A")
        ('A', 'B', 'C')
        """
        self.check_node(node)
        return tuple(n for n in self.nodes if node in _expr.symbols(self.rules[n]))

    def truth_table(self, node: str) -> np.ndarray:
        """Truth table of ``node``'s rule over :meth:`regulators` (bit ``j`` = ``j``-th regulator).

        Examples
        --------
        >>> Network.from_rules("A* = not B\\nB* = B").truth_table("A").astype(int).tolist()
        [1, 0]
        """
        return _expr.truth_table(self.rules[self.check_node(node)], self.regulators(node))

    def interaction_graph(self):
        """The signed interaction graph (see :func:`logicnet.graph.interaction_graph`).

        Examples
        --------
        >>> sorted(Network.from_rules("A* = not B\\nB* = A").interaction_graph().edges(data="sign"))
        [('A', 'B', '+'), ('B', 'A', '-')]
        """
        from .graph import interaction_graph

        return interaction_graph(self)

    # -- annotations -------------------------------------------------------------
    def annotation(self, node: str, key: str, default: str = "") -> str:
        """One annotation of a node (``description``, ``evidence``, ...), or ``default``.

        Examples
        --------
        >>> net = Network.from_rules("# @description A: a kinase\\nA* = A")
        >>> net.annotation("A", "description")
        'a kinase'
        """
        self.check_node(node)
        return self.annotations.get(node, _EMPTY).get(key, default)

    # -- transformations -------------------------------------------------------------
    def fix(self, assignment: Mapping[str, int | bool]) -> Network:
        """A new network in which the given nodes have constant rules.

        Use it for knockouts (0), overexpression (1), drug targets and inputs.

        Raises
        ------
        UnknownNodeError
            If a name is not a node (close matches are suggested).

        Examples
        --------
        >>> net = Network.from_rules("A* = not B\\nB* = A")
        >>> print(net.fix({"A": 1}).rules["A"])
        1
        """
        new = dict(self.rules)
        for node, value in assignment.items():
            self.check_node(node)
            if value not in (0, 1, True, False):
                raise LogicnetError(f"a fixed value must be 0 or 1, not {value!r} (node {node!r})")
            new[node] = _expr.TRUE if value else _expr.FALSE
        return dataclasses.replace(self, rules=new)

    def with_rules(self, rules: Mapping[str, Expression]) -> Network:
        """A new network with some rules replaced (same nodes and order).

        Examples
        --------
        >>> net = Network.from_rules("A* = A\\nB* = A")
        >>> net.with_rules({"B": net.rules["A"]}).rules["B"] == net.rules["A"]
        True
        """
        new = dict(self.rules)
        for node, rule in rules.items():
            self.check_node(node)
            new[node] = rule
        return dataclasses.replace(self, rules=new)

    def select(self, nodes: Iterable[str]) -> Network:
        """The sub-network on ``nodes`` (kept in this network's order).

        Every node read by a kept rule must be kept.

        Examples
        --------
        >>> Network.from_rules("A* = A\\nB* = A\\nC* = B").select(["A", "B"]).nodes
        ('A', 'B')
        """
        keep = set(nodes)
        for n in keep:
            self.check_node(n)
        order = tuple(n for n in self.nodes if n in keep)
        ann = {n: v for n, v in self.annotations.items() if n in keep}
        return Network(order, {n: self.rules[n] for n in order}, ann, self.name)


def _plain(annotations: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {k: dict(v) for k, v in annotations.items()}


def _rebuild(nodes, rules, annotations, name):
    return Network(nodes, rules, annotations, name)


def fix_label(net, fix) -> str:
    """How a condition's fixed nodes are written everywhere: an input's value as
    ``NAME=1`` / ``NAME=0``, any other node as an intervention, ``NAME=KO`` (fixed to 0)
    or ``NAME=OE`` (overexpressed, fixed to 1).

    Examples
    --------
    >>> fix_label(Network.from_rules("L* = L\\nR* = L"), {"L": 1, "R": 0})
    'L=1 R=KO'
    """
    inputs = set(net.inputs)
    return " ".join(f"{k}={int(v)}" if k in inputs else f"{k}={'KO' if int(v) == 0 else 'OE'}"
                    for k, v in fix.items())
