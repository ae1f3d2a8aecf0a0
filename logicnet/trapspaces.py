"""Trap spaces: subspaces that no update can leave (minimal and maximal).

A trap space is written as a *subspace string*, one character per node in the
network's node order: ``'0'`` or ``'1'`` for a node fixed at that value, ``'*'``
for a free node.  It is a trap space when every fixed node's update function is
constantly that value on the whole subspace, so no update scheme (synchronous,
asynchronous, most permissive) can leave it.

* **Minimal trap spaces** contain no smaller trap space.  They are the
  attractors of the most permissive semantics, and each holds at least one
  attractor under the synchronous and asynchronous schemes; a minimal trap space
  without ``'*'`` is a fixed point.  The same as mpbn's ``attractors()`` and
  pyboolnet's ``trap_spaces(primes, "min")``.
* **Maximal trap spaces** are contained in no larger trap space other than the
  whole space, which is always a trap space and is left out (mpbn's
  ``maximal_trapspaces()``, pyboolnet's ``"max"``).  They are the stable motifs'
  subspaces (Zañudo and Albert 2013) at the top of the succession diagram.

Fixed nodes (a constant rule in the file, or ``fix``) are outside the state
space, as in every logicnet analysis: they have their value in every trap space,
and the "whole space" is the subspace of the free nodes.  For minimal trap
spaces this changes nothing (each lies where the constants percolate); for
maximal ones it means a knocked-out node is never shown free.

Examples
--------
>>> net = Network.from_rules("A* = not B\\nB* = not A\\nC* = A and not C")
>>> ts = trap_spaces(net)
>>> list(ts), ts.is_fixed_point
(['010', '10*'], (True, False))
>>> list(trap_spaces(net, kind="max"))
['01*', '10*']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from .errors import LogicnetError, ResourceLimitError
from .network import Network

__all__ = ["TrapSpaceSet", "trap_spaces", "number_of_trap_spaces", "space_size"]

#: Without ``limit``, minimal trap spaces are not listed when free inputs imply more than this many.
MAX_UNLIMITED = 1 << 16

TrapSpaceKind = Literal["min", "max"]
"""Which trap spaces: ``"min"`` (minimal) or ``"max"`` (maximal, the whole space excluded)."""


def space_size(space: str) -> int:
    """Number of states in a subspace string: ``2 ** (number of '*')``.

    Examples
    --------
    >>> space_size("1*0*")
    4
    """
    return 1 << space.count("*")


@dataclass(frozen=True)
class TrapSpaceSet:
    """Trap spaces of one network with one set of fixed nodes.

    Behaves as a sequence of subspace strings (``'0'``/``'1'``/``'*'`` per node,
    ``nodes`` order), sorted by number of free nodes, then text.

    Attributes
    ----------
    network : str
        The network's name.
    nodes : tuple of str
        Node order of every string.
    kind : {"min", "max"}
    spaces : tuple of str
    fixed : Mapping[str, int]
        The fixed nodes (constant rules, ``fix``) and their values.
    complete : bool
        False when ``limit`` cut the list.

    Examples
    --------
    >>> ts = trap_spaces(Network.from_rules("A* = A\\nB* = not B"))
    >>> len(ts), ts[0], ts.sizes, ts.as_dicts()[0]
    (2, '0*', (2, 2), {'A': 0, 'B': '*'})
    """

    network: str
    nodes: tuple[str, ...]
    kind: str
    spaces: tuple[str, ...]
    fixed: Mapping[str, int] = field(default_factory=dict)
    complete: bool = True

    def __len__(self) -> int:
        return len(self.spaces)

    def __iter__(self) -> Iterator[str]:
        return iter(self.spaces)

    def __getitem__(self, i: int) -> str:
        return self.spaces[i]

    @property
    def is_fixed_point(self) -> tuple[bool, ...]:
        """For each trap space, whether it is a single state (no free node).

        A minimal trap space that is a single state is a fixed point (under every
        update scheme); one with free nodes holds at least one attractor, which
        may be a fixed point or not.

        Examples
        --------
        >>> trap_spaces(Network.from_rules("A* = not A\\nB* = B")).is_fixed_point
        (False, False)
        """
        return tuple("*" not in s for s in self.spaces)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of states of each trap space (``2 ** free nodes``; exact Python ints).

        Examples
        --------
        >>> trap_spaces(Network.from_rules("A* = not A\\nB* = True")).sizes
        (2,)
        """
        return tuple(space_size(s) for s in self.spaces)

    def as_dicts(self) -> list[dict[str, int | str]]:
        """Each trap space as ``{node: 0 | 1 | '*'}``.

        Examples
        --------
        >>> trap_spaces(Network.from_rules("A* = True")).as_dicts()
        [{'A': 1}]
        """
        return [{n: (c if c == "*" else int(c)) for n, c in zip(self.nodes, s)} for s in self.spaces]

    def to_dict(self) -> dict:
        """The JSON shape: network, kind, nodes, fixed, complete, count and the spaces.

        Examples
        --------
        >>> d = trap_spaces(Network.from_rules("A* = not A")).to_dict()
        >>> d["kind"], d["count"], d["trap_spaces"]
        ('min', 1, [{'space': '*', 'size': 2, 'fixed_point': False}])
        """
        return {
            "network": self.network,
            "kind": self.kind,
            "nodes": list(self.nodes),
            "fixed": dict(self.fixed),
            "complete": self.complete,
            "count": len(self.spaces),
            "trap_spaces": [{"space": s, "size": space_size(s), "fixed_point": "*" not in s} for s in self.spaces],
        }

    def to_records(self) -> list[dict]:
        """One flat row per trap space (for CSV): number, size, then one column per node.

        Examples
        --------
        >>> trap_spaces(Network.from_rules("A* = A\\nB* = A")).to_records()[1]
        {'trap_space': 2, 'size': 1, 'A': '1', 'B': '1'}
        """
        rows = []
        for i, s in enumerate(self.spaces):
            row: dict = {"trap_space": i + 1, "size": space_size(s)}
            row.update(zip(self.nodes, s))
            rows.append(row)
        return rows


def trap_spaces(net: Network, *, kind: TrapSpaceKind = "min", fix: Mapping[str, int] | None = None,
                limit: int | None = None) -> TrapSpaceSet:
    """Minimal or maximal trap spaces of ``net``, by answer-set programming.

    Parameters
    ----------
    net : Network
    kind : {"min", "max"}
        Minimal trap spaces, or maximal ones (the whole space excluded).
    fix : Mapping[str, int], optional
        Nodes to fix (knockout 0, overexpression 1, an input's value) first.
    limit : int, optional
        Stop after this many (>= 1); ``TrapSpaceSet.complete`` says whether the
        list was cut.  Which ones come first is deterministic but unspecified.

    Returns
    -------
    TrapSpaceSet
        Subspace strings over ``net.nodes``; fixed nodes show their value.

    Raises
    ------
    LogicnetError
        For an unknown ``kind`` or a ``limit`` below 1; ``UnknownNodeError`` for an
        unknown node in ``fix``.
    ResourceLimitError
        For minimal trap spaces without ``limit`` when the free inputs alone imply
        more than :data:`MAX_UNLIMITED` (``2 ** 16``) of them: every minimal trap
        space fixes every input, so ``k`` free inputs give at least ``2 ** k``.

    Notes
    -----
    The program (see :mod:`logicnet.engine.trapspaces`) encodes each update
    function as a BDD built from its expression, so rule width does not matter,
    and lets clingo's domain heuristic enumerate subset-minimal or
    superset-maximal answer sets, as mpbn (Paulevé et al. 2020) and pyboolnet
    (Klarner et al. 2017) do.  Minimal trap spaces are searched on the reduced
    network (fixed nodes and constants substituted, outputs pruned: exact).

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A or B\\nC* = not B")
    >>> list(trap_spaces(net))
    ['001', '010', '110']
    >>> list(trap_spaces(net, fix={"A": 1}))
    ['110']
    >>> list(trap_spaces(net, kind="max"))
    ['*1*', '0**', '1**']
    """
    from .engine import maximal_trap_spaces, minimal_trap_spaces

    if kind not in ("min", "max"):
        raise LogicnetError(f"unknown kind of trap space {kind!r}; use 'min' or 'max'")
    if limit is not None and limit < 1:
        raise LogicnetError(f"limit must be at least 1, not {limit}")
    if fix:
        net = net.fix(fix)
    k = len(net.inputs)
    if kind == "min" and limit is None and (1 << k) > MAX_UNLIMITED:
        raise ResourceLimitError(
            f"{net.name or 'the network'} has {k} free inputs, so at least 2^{k} = {1 << k:,} minimal trap spaces "
            f"(each one fixes every input); fix the inputs (fix=) or ask for the first ones (limit=)",
            advice=("fix inputs", "first ones"))
    if kind == "min":
        spaces, complete = minimal_trap_spaces(net, limit=limit)
    else:
        spaces, complete = maximal_trap_spaces(net, limit=limit)
    return TrapSpaceSet(net.name, net.nodes, kind, tuple(spaces), dict(net.constants), complete)


def number_of_trap_spaces(net: Network, **kw) -> int:
    """How many trap spaces :func:`trap_spaces` finds (same keywords).

    Examples
    --------
    >>> number_of_trap_spaces(Network.from_rules("A* = A\\nB* = B"))
    4
    """
    return len(trap_spaces(net, **kw))
