"""Phenotypes: named Boolean expressions over nodes, evaluated on attractors.

The value of a phenotype on an attractor is the share of the attractor's states in
which it holds (1.0 for a fixed point that satisfies it).

Examples
--------
>>> from logicnet import Network
>>> from logicnet.attractors import find_attractors
>>> net = Network.from_rules("A* = not A\\nB* = B")
>>> aset = find_attractors(net, fix={"B": 1})
>>> phenotype_shares(aset, {"on": "A and B"})
[{'on': 0.5}]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import expr as _expr
from .errors import RuleSyntaxError, UnknownNodeError

__all__ = ["Phenotype", "parse_phenotypes", "phenotype_shares", "holds_everywhere"]


@dataclass(frozen=True)
class Phenotype:
    """A named Boolean expression over node names.

    Examples
    --------
    >>> Phenotype.parse("resistant", "Proliferation or not Apoptosis").name
    'resistant'
    """

    name: str
    expression: _expr.Expression
    text: str

    @classmethod
    def parse(cls, name: str, text: str, *, source: str = "<phenotype>", line: int | None = None) -> Phenotype:
        """Parse the expression (operators and/or/not or &/|/!).

        Examples
        --------
        >>> Phenotype.parse("p", "A & !B").text
        'A & !B'
        """
        e = _expr.parse_expression(text, source=source, line=line or 1)
        return cls(name, e, text)

    def check(self, nodes) -> None:
        """Raise :class:`UnknownNodeError` if the expression names a node not in ``nodes``.

        Examples
        --------
        >>> Phenotype.parse("p", "A").check(["A", "B"])
        """
        known = set(nodes)
        for s in sorted(_expr.symbols(self.expression)):
            if s not in known:
                raise UnknownNodeError(s, nodes, what=f"node (in phenotype {self.name!r})")


def parse_phenotypes(items: Mapping[str, str] | list[str], nodes=None) -> dict[str, Phenotype]:
    """Phenotypes from ``{name: expression}`` or ``["NAME=EXPR", ...]``.

    Examples
    --------
    >>> list(parse_phenotypes(["on=A and B", "off=not A"]))
    ['on', 'off']
    """
    pairs: list[tuple[str, str]] = []
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        for item in items:
            if "=" not in item:
                raise RuleSyntaxError(f"a phenotype is written NAME=EXPRESSION, not {item!r}",
                                      source="<phenotype>", line=1, column=1, text=item)
            name, text = item.split("=", 1)
            pairs.append((name.strip(), text))
    out = {}
    for name, text in pairs:
        p = text if isinstance(text, Phenotype) else Phenotype.parse(name, text)
        if nodes is not None:
            p.check(nodes)
        out[name] = p
    return out


def phenotype_shares(aset, phenotypes) -> list[dict[str, float]]:
    """For each attractor, the share of its states where each phenotype holds.

    ``phenotypes`` maps names to :class:`Phenotype` objects or expression text.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.attractors import find_attractors
    >>> aset = find_attractors(Network.from_rules("A* = A"))
    >>> phenotype_shares(aset, {"A on": "A"})
    [{'A on': 0.0}, {'A on': 1.0}]
    """
    ph = parse_phenotypes(phenotypes, aset.nodes) if not all(
        isinstance(p, Phenotype) for p in dict(phenotypes).values()) else dict(phenotypes)
    for p in ph.values():
        p.check(aset.nodes)
    out = []
    for i, a in enumerate(aset):
        if a.states is None:  # counted on the search's state set
            out.append({name: aset.shares.share(i, p.expression) for name, p in ph.items()})
            continue
        m = aset.matrix(a)
        cols = {n: m[:, j] for j, n in enumerate(aset.nodes)}
        out.append({name: float(_expr.evaluate_columns(p.expression, cols, m.shape[0]).mean())
                    for name, p in ph.items()})
    return out


def holds_everywhere(aset, phenotype) -> bool:
    """True if the phenotype holds in every state of every attractor.

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.attractors import find_attractors
    >>> holds_everywhere(find_attractors(Network.from_rules("A* = True")), "A")
    True
    """
    p = phenotype if isinstance(phenotype, Phenotype) else Phenotype.parse("phenotype", phenotype)
    return all(s[p.name] == 1.0 for s in phenotype_shares(aset, {p.name: p}))
