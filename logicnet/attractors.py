"""Attractors: the exhaustive searches, their results, and fixed points.

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = A")
>>> aset = find_attractors(net)
>>> [(a.kind, aset.state_strings(a), a.basin) for a in aset]
[('cycle', ['00', '10', '11', '01'], 4)]
>>> [aset.state_strings(a) for a in find_attractors(net, update="asynchronous")]
[['00', '01', '10', '11']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .engine import EXPLICIT, Attractor, Partial
from .errors import LogicnetError
from .limits import DEFAULT_LIMITS, Limits
from .network import Network
from .types import normalize_update

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Attractor", "AttractorSet", "find_attractors", "fixed_points", "count_fixed_points",
           "count_attractors", "number_of_attractors"]


@dataclass(frozen=True)
class AttractorSet:
    """All attractors of a network under one update scheme and one set of fixed nodes.

    Examples
    --------
    >>> aset = find_attractors(Network.from_rules("A* = A\\nB* = A"))
    >>> len(aset), aset.state_strings(aset[1])
    (2, ['11'])
    >>> aset
    AttractorSet('network', synchronous, 2 attractor(s) over 2 nodes)
      1: fixed 00  basin 2 (0.5)
      2: fixed 11  basin 2 (0.5)
    """

    network: str
    nodes: tuple[str, ...]
    update: str
    fixed: Mapping[str, int]
    attractors: tuple[Attractor, ...]
    n_states: int | None = None
    """States in the basin space (2^(non-fixed nodes)), or None."""
    complete: bool = True
    """False when a listing was cut by a limit."""
    notes: tuple[str, ...] = field(default=())
    engine: str = EXPLICIT
    """Which engine computed it: ``"explicit"`` (every state: the bit-packed state graph,
    or for a small asynchronous search state sets as integers, :mod:`logicnet.engine.bitsets`),
    ``"symbolic"`` (BDDs) or ``"sat"`` (fixed points by SAT)."""
    shares: Any = field(default=None, compare=False, repr=False)
    """For attractors whose states are not listed: ``shares.share(i, expression)``, the
    exact share of attractor ``i``'s states where ``expression`` holds (see
    :class:`logicnet.engine.Found`); pickled with the result."""
    partial: Partial | None = None
    """When a symbolic search ran out of time (``complete`` False): what it established
    besides the attractors listed."""

    def __len__(self) -> int:
        return len(self.attractors)

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.attractors)

    def __getitem__(self, i: int) -> Attractor:
        return self.attractors[i]

    def __repr__(self) -> str:
        fixed = " ".join(f"{k}={v}" for k, v in self.fixed.items())
        head = (f"AttractorSet({self.network or 'network'!r}, {self.update}, {len(self)} attractor(s) over "
                f"{len(self.nodes)} nodes" + (f", fixed {fixed}" if fixed else "") + ")")
        lines = [head]
        for i, a in enumerate(self.attractors[:20]):
            strings = self.state_strings(Attractor(a.states[:4], a.kind))
            more = f" ... ({a.size} states)" if a.size > 4 else ""
            basin = "" if a.basin is None else f"  basin {a.basin} ({a.basin_share:.4g})"
            lines.append(f"  {i + 1}: {a.kind} {' '.join(strings)}{more}{basin}")
        if len(self) > 20:
            lines.append(f"  ... {len(self) - 20} more")
        return "\n".join(lines)

    def to_dataframe(self, phenotypes: Mapping[str, Any] | None = None):
        """:meth:`to_records` as a pandas DataFrame, one row per attractor state (pandas is optional).

        Raises
        ------
        LogicnetError
            If pandas is not installed.
        """
        return _dataframe(self.to_records(phenotypes), ["attractor", "kind", "size", "basin", "basin_share",
                                                        "state", *self.nodes])

    def matrix(self, attractor: Attractor) -> np.ndarray:
        """The attractor's states as a boolean matrix (rows = states, columns = nodes).

        Examples
        --------
        >>> aset = find_attractors(Network.from_rules("A* = True\\nB* = not A"))
        >>> aset.matrix(aset[0]).astype(int).tolist()
        [[1, 0]]
        """
        if attractor.states is None:
            from .errors import LogicnetError

            raise LogicnetError(f"this attractor has {attractor.size} states, more than were listed "
                                "(raise max_states to list them)", advice=("list states",))
        from ._bits import codes_to_matrix

        return codes_to_matrix(attractor.states, len(self.nodes))

    def space(self, attractor: Attractor) -> str:
        """The smallest subspace holding the attractor: '0', '1' or '*' per node.

        Examples
        --------
        >>> aset = find_attractors(Network.from_rules("A* = not A\\nB* = True"))
        >>> aset.space(aset[0])
        '*1'
        """
        if attractor.subspace is not None:
            return attractor.subspace
        if attractor.states is None:
            from .errors import LogicnetError

            raise LogicnetError("this attractor has neither states nor a subspace")
        every, some = -1, 0
        for c in attractor.states:
            every &= c
            some |= c
        n = len(self.nodes)
        chars = list(format(every, f"0{n}b")[::-1]) if n else []  # bit i is character i
        changing = some & ~every
        while changing:
            low = changing & -changing
            chars[low.bit_length() - 1] = "*"
            changing ^= low
        return "".join(chars)

    def state_strings(self, attractor: Attractor) -> list[str]:
        """The attractor's states, one '0'/'1' character per node in node order.

        Examples
        --------
        >>> aset = find_attractors(Network.from_rules("A* = True\\nB* = not A"))
        >>> aset.state_strings(aset[0])
        ['10']
        """
        if attractor.states is not None and len(attractor.states) <= 4096:  # no numpy needed
            n = len(self.nodes)
            return [format(c, f"0{n}b")[::-1] if n else "" for c in attractor.states]  # bit i is character i
        from ._bits import matrix_to_strings

        return matrix_to_strings(self.matrix(attractor))

    def activity(self, attractor: Attractor) -> dict[str, float]:
        """Share of the attractor's states in which each node is on.

        Examples
        --------
        >>> aset = find_attractors(Network.from_rules("A* = not A"))
        >>> aset.activity(aset[0])
        {'A': 0.5}
        """
        if attractor.states is None:
            i = next(j for j, b in enumerate(self.attractors) if b is attractor)  # equal-looking ones differ
            from .expr import symbol

            return {n: self.shares.share(i, symbol(n)) for n in self.nodes}
        m = self.matrix(attractor)
        return {n: float(m[:, j].mean()) for j, n in enumerate(self.nodes)}

    def to_dict(self, phenotypes: Mapping[str, Any] | None = None, *, max_states: int | None = None) -> dict:
        """The documented JSON shape (see the README), phenotype shares included.

        ``states`` is ``null`` for an attractor with more than ``max_states`` states
        (or whose states were not listed); ``size`` and ``space`` are always exact.

        Examples
        --------
        >>> d = find_attractors(Network.from_rules("A* = A")).to_dict()
        >>> d["attractors"][0]["states"], d["attractors"][0]["basin"]
        (['0'], 1)
        """
        shares = None
        if phenotypes:
            from .phenotype import phenotype_shares

            shares = phenotype_shares(self, phenotypes)
        atts = []
        for i, a in enumerate(self.attractors):
            shown = a.listed and (max_states is None or a.size <= max_states)
            atts.append({
                "kind": a.kind,
                "states": self.state_strings(a) if shown else None,
                "size": a.size,
                "space": self.space(a),
                "basin": a.basin,
                "basin_share": a.basin_share,
                "phenotypes": shares[i] if shares is not None else {},
            })
        return {
            "network": self.network,
            "update": self.update,
            "nodes": list(self.nodes),
            "fixed": dict(self.fixed),
            "engine": self.engine,
            "complete": self.complete,
            "attractors": atts,
            **({"established": self.partial.to_dict()} if self.partial is not None else {}),
        }

    def to_records(self, phenotypes: Mapping[str, Any] | None = None, *, max_states: int | None = None) -> list[dict]:
        """One flat row per attractor state (for CSV).

        An attractor whose states are not listed gets one row, ``state`` 0, with its
        subspace: node columns ``0``, ``1`` or ``*``.

        Examples
        --------
        >>> find_attractors(Network.from_rules("A* = A")).to_records()[0]["A"]
        0
        """
        d = self.to_dict(phenotypes, max_states=max_states)
        rows = []
        for i, a in enumerate(d["attractors"]):
            if a["states"] is None:
                row = {"attractor": i + 1, "kind": a["kind"], "size": a["size"], "basin": a["basin"],
                       "basin_share": a["basin_share"], "state": 0}
                row.update({n: (int(c) if c != "*" else "*") for n, c in zip(self.nodes, a["space"])})
                row.update({f"phenotype:{k}": v for k, v in a["phenotypes"].items()})
                rows.append(row)
                continue
            for j, s in enumerate(a["states"]):
                row = {"attractor": i + 1, "kind": a["kind"], "size": a["size"], "basin": a["basin"],
                       "basin_share": a["basin_share"], "state": j + 1}
                row.update({n: int(c) for n, c in zip(self.nodes, s)})
                row.update({f"phenotype:{k}": v for k, v in a["phenotypes"].items()})
                rows.append(row)
        return rows

    def by_inputs(self, inputs: tuple[str, ...]) -> dict[tuple[int, ...], list[int]]:
        """Attractor indices grouped by the values of the given input nodes.

        An input keeps its value, so every attractor has one combination.

        Examples
        --------
        >>> aset = find_attractors(Network.from_rules("A* = A\\nB* = not A"))
        >>> aset.by_inputs(("A",))
        {(0,): [0], (1,): [1]}
        """
        idx = [self.nodes.index(n) for n in inputs]
        out: dict[tuple[int, ...], list[int]] = {}
        for i, a in enumerate(self.attractors):
            space = self.space(a)
            key = tuple(int(space[j]) for j in idx)
            out.setdefault(key, []).append(i)
        return dict(sorted(out.items()))


def find_attractors(net: Network, *, update: str = "synchronous", fix: Mapping[str, int] | None = None,
                    limits: Limits = DEFAULT_LIMITS, reduce: bool = True, basins: bool = True,
                    timings: dict | None = None, engine: str = "auto", max_states: int = 1000,
                    limit: int | None = None, timeout: float | None = None,
                    progress: Callable[[str], None] | None = None) -> AttractorSet:
    """All attractors by exhaustive search of the (reduced) state space.

    Two engines answer: the explicit one represents every state (the bit-packed
    state graph, with synchronous basins; for a small asynchronous search, state
    sets as Python integers: :mod:`logicnet.engine.bitsets`), the symbolic one works on BDDs
    (:mod:`logicnet.engine.symbolic`, :mod:`logicnet.engine.symbolic_sync`) and handles
    hundreds of variables.  Both give the same attractors.

    Parameters
    ----------
    net : Network
    update : {"synchronous", "asynchronous"}
        ``"sync"``/``"async"`` are accepted.  Synchronous attractors are the cycles of
        the state graph, each with its exact basin; asynchronous (general) attractors
        are the terminal strongly connected components.
    fix : mapping, optional
        Nodes to fix (knockouts, overexpression, drug targets, inputs).
    limits : Limits
        Memory budget, checked before allocating (the symbolic engine sizes its BDD
        node table from it).
    reduce : bool
        Reduce the network first (fixed nodes, constants, outputs); the result is the same.
    basins : bool
        Synchronous only: compute exact basins.  ``False`` skips them (``basin`` is
        ``None``) and searches the smallest reduced space, which is much faster.
    timings : dict, optional
        Filled with seconds spent per phase.
    engine : {"auto", "explicit", "symbolic"}
        ``"auto"``, asynchronous update: explicit (:mod:`logicnet.engine.bitsets`, no
        numba, numpy or BDD library to load) when at most
        :data:`~logicnet.engine.bitsets.MAX_VARIABLES` variables remain after
        constant propagation, else symbolic (measured faster on every published
        model tried; the bit-packed explicit search loads numba first).  For synchronous update, explicit whenever its exhaustive search
        fits (at most 32 variables after reduction, within ``limits``; without
        constant propagation when basins are asked for: it gives every basin),
        symbolic otherwise (:mod:`logicnet.engine.symbolic_sync`: basins within
        :data:`SYNC_BASIN_SECONDS`, else ``None`` with a note).
    max_states : int
        Symbolic engine and small asynchronous searches: list the states of
        attractors up to this size; larger ones get ``states=None`` with an exact ``size`` and ``space``.  Synchronous
        cycles are listed in trajectory order.
    limit : int, optional
        Symbolic engine: stop after this many attractors (``complete`` is then
        False); a small asynchronous search keeps the first ones in the result's order.
    timeout : float, optional
        Symbolic engine: seconds the search may take.  An asynchronous search that
        runs out returns what it established: ``complete`` False, the attractors
        proven, and ``established`` (minimal trap spaces, fixed-point count, what is
        unknown; see :func:`logicnet.engine.symbolic_engine.async_attractors`); a synchronous
        one raises :class:`~logicnet.errors.ResourceLimitError` saying what it
        established.
    progress : callable, optional
        Called with one line of text per phase of a symbolic search.

    Returns
    -------
    AttractorSet
        Attractors sorted by their smallest state string; ``engine`` says which ran.  Synchronous basins count
        states among those where every fixed node holds its value; they are ``None``
        when that space is too large and constant propagation was needed.

    Raises
    ------
    ResourceLimitError
        If even the reduced state space does not fit within ``limits``; without
        ``limit``, when the free inputs alone imply more than
        :data:`~logicnet.trapspaces.MAX_UNLIMITED` (``2 ** 16``) attractors (an input
        keeps its value, so each combination of ``k`` free inputs has at least one:
        ``2 ** k``), as :func:`~logicnet.trapspaces.trap_spaces` refuses to list
        their minimal trap spaces.

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = A and not C\\nC* = B")
    >>> [(find_attractors(net).state_strings(a), a.basin) for a in find_attractors(net)]
    [(['000'], 4), (['100', '110', '111', '101'], 4)]
    >>> len(find_attractors(net, update="async", fix={"A": 1}))
    1
    >>> aset = find_attractors(net, update="async", engine="symbolic")
    >>> aset.engine, [(aset.space(a), a.size) for a in aset]
    ('symbolic', [('000', 1), ('1**', 4)])
    """
    from .engine import Question, choose, engine_named

    update = normalize_update(update)
    engine_named(engine)
    if fix:
        net = net.fix(fix)
    _check_inputs(net, limit)
    q = Question(net, update, basins=basins, reduce=reduce, max_states=max_states, limit=limit, timeout=timeout,
                 basin_seconds=SYNC_BASIN_SECONDS if timeout is None else min(timeout, SYNC_BASIN_SECONDS),
                 memory=limits.memory_budget(), progress=progress, timings=timings)
    found = choose(q, engine).attractors(q)
    return AttractorSet(net.name, net.nodes, update, dict(net.constants), found.attractors, found.n_states,
                        found.complete, found.notes, found.engine, found.shares, found.partial)


def _check_inputs(net: Network, limit: int | None) -> None:
    """Refuse, before any work, a listing the free inputs alone make too long."""
    from .errors import ResourceLimitError
    from .trapspaces import MAX_UNLIMITED

    k = len(net.inputs)
    if limit is None and (1 << k) > MAX_UNLIMITED:
        raise ResourceLimitError(
            f"{net.name or 'the network'} has {k} free inputs, so at least 2^{k} = {1 << k:,} attractors (an input "
            f"keeps its value: each combination has its own); fix the inputs (fix=), ask for the first ones "
            f"(limit=) or count them without listing (count_attractors)", advice=("fix inputs", "first ones", "count"))


#: Symbolic synchronous search: seconds the basins may take (from the start of the
#: search) before the attractors are given without them.
SYNC_BASIN_SECONDS = 30.0


def number_of_attractors(net: Network, **kw) -> int:
    """How many attractors :func:`find_attractors` finds.

    Examples
    --------
    >>> number_of_attractors(Network.from_rules("A* = A\\nB* = B"))
    4
    """
    return len(find_attractors(net, **kw))


#: Bytes one listed fixed point takes at the peak, besides one byte per node: measured
#: on bbm004 with its inputs at 0 (247 nodes, 89,856 fixed points), 1.3 KB each while
#: they are listed and 2.8 KB with the JSON text of the command line's output.
FIXED_POINT_BYTES = 2600


def fixed_points(net: Network, *, fix: Mapping[str, int] | None = None, limit: int | None = None,
                 update: str = "synchronous", limits: Limits = DEFAULT_LIMITS) -> AttractorSet:
    """All fixed points, by SAT (no state enumeration): fine for thousands of nodes.

    Fixed points are the same under both update schemes.  ``limit`` stops after that
    many; ``AttractorSet.complete`` then says whether the list was cut.  ``update``
    only labels the result.  Without ``limit``, the list must fit the memory budget of
    ``limits`` (:data:`FIXED_POINT_BYTES` plus one byte per node, per fixed point):
    with more than 16 free inputs the fixed points are counted first (on BDDs, as
    :func:`count_fixed_points`) and a list that cannot fit is refused before it is
    started; otherwise the listing stops when it outgrows the budget.

    Raises
    ------
    ResourceLimitError
        When the fixed points are too many to list in the memory budget.

    Examples
    --------
    >>> aset = fixed_points(Network.from_rules("A* = A\\nB* = not A"))
    >>> [aset.state_strings(a) for a in aset]
    [['01'], ['10']]
    """
    from .engine import SAT, sat_fixed_points, sorted_attractors
    from .trapspaces import MAX_UNLIMITED

    if fix:
        net = net.fix(fix)
    if limit is None:
        budget, source = limits.memory_budget_source()
        per = FIXED_POINT_BYTES + net.n_nodes
        room = max(1, budget // per)
        if (1 << len(net.inputs)) > MAX_UNLIMITED:  # the inputs alone may make them too many
            n = count_fixed_points(net)
            if n > room:
                _too_many_fixed_points(net, n, True, per, budget, source)
        mat, complete = sat_fixed_points(net, limit=room)
        if not complete:
            _too_many_fixed_points(net, room, False, per, budget, source)
    else:
        mat, complete = sat_fixed_points(net, limit=limit)
    atts = sorted_attractors(net.n_nodes, [(mat[i:i + 1], "fixed", None, None) for i in range(mat.shape[0])])
    return AttractorSet(net.name, net.nodes, normalize_update(update), dict(net.constants), atts, None, complete,
                        engine=SAT)


def _too_many_fixed_points(net: Network, n: int, exact: bool, per: int, budget: int, source: str) -> None:
    from .errors import ResourceLimitError
    from .limits import _fmt

    how_many = f"{n:,}" if exact else f"more than {n:,}"
    raise ResourceLimitError(
        f"{net.name or 'the network'} has {how_many} fixed points; listing them takes about {per:,} bytes each, "
        f"{'' if exact else 'more than '}{_fmt(n * per)} in all, more than the {_fmt(budget)} allowed (set by "
        f"{source}); count them without listing (count_fixed_points), fix inputs (fix=) or ask for the first "
        "ones (limit=)", advice=("count", "fix inputs", "first ones", "more memory"))


def count_fixed_points(net: Network, *, fix: Mapping[str, int] | None = None) -> int:
    """The exact number of fixed points, counted on BDDs (nothing is listed).

    Fixed points are the same under both update schemes.  See
    :func:`logicnet.engine.symbolic.count_fixed_points` for the method; it counts
    the 3,005,341,696 fixed points of the ErbB receptor model in seconds.

    Examples
    --------
    >>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = A or B"))
    4
    >>> count_fixed_points(Network.from_rules("A* = A\\nB* = not A"), fix={"A": 1})
    1
    """
    from .engine import count_fixed_points as _count
    from .progress import task

    if fix:
        net = net.fix(fix)
    with task("counting fixed points (symbolic)"):
        return _count(net)


def count_attractors(net: Network, *, update: str = "synchronous", fix: Mapping[str, int] | None = None,
                     limits: Limits = DEFAULT_LIMITS, timeout: float | None = None) -> int:
    """The exact number of attractors, without listing them.

    Counts multiply over independent parts of the network and add over the two values of
    a free input, constants propagated after each (:mod:`logicnet.engine.count`), so a
    network with dozens of free inputs is counted where its attractors are far too many
    to list (the 33,595,651,584 asynchronous attractors of bbm143, 26 free inputs, in
    minutes).  Each part without free inputs is counted by minimal trap spaces and
    candidate states when they settle it, else searched as :func:`find_attractors` does.
    Progress is reported as a :func:`~logicnet.progress.task`.

    Parameters
    ----------
    update : {"synchronous", "asynchronous"}
    fix : mapping, optional
        Nodes to fix first.
    limits : Limits
        Memory each search may use.
    timeout : float, optional
        Seconds the count may take.

    Raises
    ------
    ResourceLimitError
        When the count does not finish within ``timeout`` (no partial count is given).

    Examples
    --------
    >>> net = Network.from_rules("A* = A\\nB* = not C\\nC* = B")
    >>> count_attractors(net, update="async"), count_attractors(net, update="sync")
    (2, 2)
    """
    from .engine import count_attractors as _count

    if fix:
        net = net.fix(fix)
    return _count(net, normalize_update(update), timeout=timeout, memory=limits.memory_budget())

def _dataframe(records: list[dict], columns: list[str]):
    try:
        import pandas as pd
    except ImportError:
        raise LogicnetError("to_dataframe() needs pandas (pip install 'logicnet[pandas]'); to_records() gives "
                            "the same rows as a list of dicts") from None
    return pd.DataFrame.from_records(records, columns=columns if not records else None)
