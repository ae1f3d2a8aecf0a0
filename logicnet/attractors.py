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
from typing import TYPE_CHECKING, Any, Literal

from .limits import DEFAULT_LIMITS, Limits
from .network import Network
from .types import normalize_update

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Attractor", "AttractorSet", "find_attractors", "fixed_points", "count_fixed_points",
           "number_of_attractors"]


@dataclass(frozen=True)
class Attractor:
    """One attractor.

    Attributes
    ----------
    states : tuple of int, or None
        State codes (bit ``i`` = ``i``-th node); a cycle in trajectory order from its
        smallest state string, a complex attractor sorted by state string.  ``None``
        when the attractor has more states than were asked to be listed
        (``max_states``); ``size`` and ``space`` are still exact.
    kind : {"fixed", "cycle", "complex"}
    basin : int or None
        Synchronous only: how many states lead to it (among states where every fixed
        node holds its value); ``None`` if not computed.
    basin_share : float or None
        ``basin`` divided by the number of such states.
    n_states : int or None
        The exact number of states when ``states`` is ``None`` (else ``None``).
    subspace : str or None
        The smallest subspace holding it when ``states`` is ``None``.

    Examples
    --------
    >>> Attractor((3,), "fixed", 4, 1.0).size
    1
    >>> Attractor((1,), "fixed", 4, 1.0, n_nodes=2)
    Attractor(fixed, ['10'], basin=4, basin_share=1.0)
    >>> Attractor(None, "complex", n_states=2 ** 40, subspace="*" * 40).size
    1099511627776
    """

    states: tuple[int, ...] | None
    kind: Literal["fixed", "cycle", "complex"]
    basin: int | None = None
    basin_share: float | None = None
    n_states: int | None = None
    subspace: str | None = None
    n_nodes: int | None = field(default=None, compare=False)
    """Number of nodes (for state strings in the repr); set by the searches."""

    def state_strings(self, n_nodes: int | None = None) -> list[str]:
        """The states as '0'/'1' strings, one character per node in node order.

        Examples
        --------
        >>> Attractor((1, 2), "cycle", n_nodes=3).state_strings()
        ['100', '010']
        """
        n = n_nodes if n_nodes is not None else self.n_nodes
        if n is None:
            raise ValueError("the number of nodes is unknown; use AttractorSet.state_strings(attractor)")
        if self.states is None:
            raise ValueError(f"this attractor has {self.size} states, too many to list; see its subspace")
        return ["".join("1" if (code >> i) & 1 else "0" for i in range(n)) for code in self.states]

    def __repr__(self) -> str:
        if self.states is None:
            return (f"Attractor({self.kind}, {self.size} states in {self.subspace}, basin={self.basin}, "
                    f"basin_share={self.basin_share})")
        if self.n_nodes is None:
            shown = [str(c) for c in self.states[:8]]
        else:
            shown = [repr(x) for x in Attractor(self.states[:8], self.kind, n_nodes=self.n_nodes).state_strings()]
        more = f", ... {self.size} states" if self.size > 8 else ""
        return (f"Attractor({self.kind}, [{', '.join(shown)}{more}], basin={self.basin}, "
                f"basin_share={self.basin_share})")

    @property
    def size(self) -> int:
        """Number of states (exact, listed or not).

        Examples
        --------
        >>> Attractor((1, 2), "cycle").size
        2
        """
        if self.states is None:
            assert self.n_states is not None
            return self.n_states
        return len(self.states)

    @property
    def listed(self) -> bool:
        """True when ``states`` lists every state.

        Examples
        --------
        >>> Attractor((1,), "fixed").listed
        True
        """
        return self.states is not None


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
    engine: str = "explicit"
    """Which engine computed it: ``"explicit"`` (every state: the bit-packed state graph,
    or for a small asynchronous search state sets as integers, :mod:`logicnet.engine.bitsets`),
    ``"symbolic"`` (BDDs) or ``"sat"`` (fixed points by SAT)."""
    _symbolic: Any = field(default=None, compare=False, repr=False)
    """The BDDs of a symbolic result (for exact phenotype shares); not pickled."""
    established: Mapping[str, Any] | None = None
    """When a symbolic search ran out of time (``complete`` False): what it established
    besides the attractors listed (see :func:`logicnet.engine.symbolic.async_attractors`)."""

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_symbolic"] = None
        return state

    def __setstate__(self, state):
        for k, v in state.items():
            object.__setattr__(self, k, v)

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
        from .screen import _dataframe

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
                                "(raise max_states / --max-states to list them)")
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
        return "".join("1" if (every >> i) & 1 else ("*" if (some >> i) & 1 else "0")
                       for i in range(len(self.nodes)))

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
            return ["".join("1" if (c >> i) & 1 else "0" for i in range(n)) for c in attractor.states]
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
            sym = self._symbolic
            i = next(j for j, b in enumerate(self.attractors) if b is attractor)  # equal-looking ones differ
            from .expr import symbol

            return {n: sym.share(sym.sets[i], symbol(n)) for n in self.nodes}
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
            **({"established": dict(self.established)} if self.established is not None else {}),
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


def _string_order(mat: np.ndarray) -> np.ndarray:
    """Row order by state string ('0'/'1' per node, node 0 first), without building strings."""
    import numpy as np

    rows, n = mat.shape
    if rows <= 1 or n == 0:
        return np.arange(rows)
    if n <= 64:  # node 0 as the most significant bit: numeric order is string order
        packed = np.packbits(mat.astype(np.uint8, copy=False), axis=1, bitorder="big")
        buf = np.zeros((rows, 8), np.uint8)
        buf[:, :packed.shape[1]] = packed
        return np.argsort(buf.view(">u8").ravel(), kind="stable")
    return np.lexsort(mat.T[::-1])


def _finish(net: Network, update: str, fixed: Mapping[str, int], items: list[tuple[np.ndarray, str, int | None]],
            n_states: int | None, complete: bool = True, notes: tuple[str, ...] = ()) -> AttractorSet:
    import numpy as np

    from ._bits import matrix_to_codes, matrix_to_strings

    atts = []
    for mat, kind, basin in items:
        order = _string_order(mat)
        if kind == "cycle":  # keep trajectory order, starting from the smallest state
            k = int(order[0])
            order = np.concatenate([np.arange(k, mat.shape[0]), np.arange(k)])
        mat = mat[order]
        key = matrix_to_strings(mat[:1])[0]
        share = None if basin is None or not n_states else basin / n_states
        atts.append((key, Attractor(tuple(matrix_to_codes(mat)), kind, basin, share, n_nodes=net.n_nodes)))
    atts.sort(key=lambda t: t[0])
    return AttractorSet(net.name, net.nodes, update, dict(fixed), tuple(a for _, a in atts), n_states, complete, notes)


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
        unknown; see :func:`logicnet.engine.symbolic.async_attractors`); a synchronous
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
        If even the reduced state space does not fit within ``limits``.

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
    import time

    from .reduce import reduce_network

    update = normalize_update(update)
    if engine not in ("auto", "explicit", "symbolic"):
        from .errors import LogicnetError

        raise LogicnetError(f"unknown engine {engine!r}; use 'auto', 'explicit' or 'symbolic'")
    if fix:
        net = net.fix(fix)
    fixed = net.constants
    if update == "asynchronous" and engine == "auto":
        small = _bitset_async(net, fixed, reduce=reduce, max_states=max_states, limit=limit, timings=timings)
        if small is not None:
            return small
    if update == "asynchronous" and engine != "explicit":
        return _symbolic_async(net, fixed, reduce=reduce, max_states=max_states, limit=limit,
                               timeout=timeout, progress=progress, timings=timings,
                               memory=limits.memory_budget())
    if update == "synchronous" and engine != "explicit":
        if engine == "symbolic" or _sync_auto_symbolic(net, reduce, basins, limits):
            return _symbolic_sync(net, fixed, reduce=reduce, basins=basins, max_states=max_states, limit=limit,
                                  timeout=timeout, progress=progress, timings=timings)
    import numpy as np

    from ._bits import codes_to_matrix
    from .engine.sync import MAX_EXHAUSTIVE_NODES, sync_memory

    n_free = net.n_nodes - len(fixed)
    notes: list[str] = []
    t0 = time.perf_counter()
    if update == "synchronous":
        red = reduce_network(net, propagate=False, prune_outputs=reduce)
        m = red.network.n_nodes
        budget = limits.memory_budget()
        exact_basins = True
        if reduce and (not basins or m > MAX_EXHAUSTIVE_NODES or sync_memory(m) > budget):
            red = reduce_network(net, propagate=True, prune_outputs=True)
            exact_basins = False
            if basins:
                notes.append(f"basins not computed: {m} variables remain without constant propagation; "
                             "attractors are exact")
        compiled = _compile_checked(red, update, limits, timings, t0)
        from .engine.sync import sync_attractors
        from .progress import task

        what = "attractors and basins" if exact_basins else "attractors"
        with task(f"synchronous search: {what} over 2^{compiled.n_nodes} states"):
            cyc, offs, counts = sync_attractors(compiled, limits=limits, timings=timings)
        t2 = time.perf_counter()
        items = []
        factor = red.lift.basin_factor
        for a in range(len(counts)):
            codes = cyc[offs[a]:offs[a + 1]]
            mat = red.lift.lift_matrix(codes_to_matrix(codes.astype(np.int64), red.network.n_nodes), update=update)
            kind = "fixed" if mat.shape[0] == 1 else "cycle"
            items.append((mat, kind, int(counts[a]) * factor if exact_basins else None))
        result = _finish(net, update, fixed, items, (1 << n_free) if exact_basins else None, notes=tuple(notes))
    else:
        red = reduce_network(net, propagate=reduce, prune_outputs=reduce)
        compiled = _compile_checked(red, update, limits, timings, t0)
        from .engine.asynchronous import async_attractors
        from .progress import task

        with task(f"asynchronous search: terminal components over 2^{compiled.n_nodes} states"):
            mem, offs = async_attractors(compiled, limits=limits, timings=timings)
        t2 = time.perf_counter()
        items = []
        for a in range(len(offs) - 1):
            codes = mem[offs[a]:offs[a + 1]].astype(np.int64)
            mat = red.lift.lift_matrix(codes_to_matrix(codes, red.network.n_nodes), update=update)
            items.append((mat, "fixed" if mat.shape[0] == 1 else "complex", None))
        result = _finish(net, update, fixed, items, None)
    if timings is not None:
        timings["lift"] = timings.get("lift", 0.0) + time.perf_counter() - t2
    return result


#: Symbolic synchronous search: seconds the basins may take (from the start of the
#: search) before the attractors are given without them.
SYNC_BASIN_SECONDS = 30.0


#: Auto engine, synchronous update: the explicit search runs up to this many variables
#: (2^28 states: about 1.1 GB and a few seconds); above it the symbolic engine, whose
#: basins by BDD preimages do not grow with the state space (2^32 states explicitly
#: need 17 GB and a minute and a half).
AUTO_EXPLICIT_SYNC_MAX = 28


def _sync_auto_symbolic(net: Network, reduce: bool, basins: bool, limits: Limits) -> bool:
    """Auto engine, synchronous update: True when the explicit search does not fit
    (or is larger than :data:`AUTO_EXPLICIT_SYNC_MAX` variables)."""
    from .engine.sync import MAX_EXHAUSTIVE_NODES, sync_memory
    from .reduce import reduce_network

    budget = limits.memory_budget()

    def fits(m: int) -> bool:
        return m <= min(MAX_EXHAUSTIVE_NODES, AUTO_EXPLICIT_SYNC_MAX) and sync_memory(m) <= budget

    if fits(reduce_network(net, propagate=False, prune_outputs=reduce).network.n_nodes):
        return False
    if basins or not reduce:
        return True
    return not fits(reduce_network(net, propagate=True, prune_outputs=True).network.n_nodes)


class _CycleMatrices:
    """Phenotype shares of synchronous cycles whose states are not listed (kept as matrices)."""

    def __init__(self, nodes: tuple[str, ...], sets: list):
        self.nodes = nodes
        self.sets = sets

    def share(self, mat, expression) -> float:
        from . import expr as _expr

        cols = {n: mat[:, j] for j, n in enumerate(self.nodes)}
        return float(_expr.evaluate_columns(expression, cols, mat.shape[0]).mean())


def _symbolic_task(description: str, progress):
    """A :mod:`logicnet.progress` task for a symbolic search; yields the phase callback the
    engines call, which names the phase in the task and passes it on to ``progress``."""
    import contextlib

    from .progress import task

    @contextlib.contextmanager
    def run():
        with task(description) as t:
            def report(text: str) -> None:
                t.description = f"{description}: {text}"
                t.advance(0)
                if progress is not None:
                    progress(text)

            yield report

    return run()


def _symbolic_sync(net: Network, fixed: Mapping[str, int], *, reduce: bool, basins: bool, max_states: int,
                   limit: int | None, timeout: float | None, progress, timings: dict | None) -> AttractorSet:
    """Synchronous attractors by the symbolic engine, as an :class:`AttractorSet`."""
    import time

    from .engine.symbolic_sync import symbolic_sync_attractors

    t0 = time.perf_counter()
    budget = SYNC_BASIN_SECONDS if timeout is None else min(timeout, SYNC_BASIN_SECONDS)
    with _symbolic_task("synchronous search (symbolic)", progress) as report:
        res = symbolic_sync_attractors(net, basins=basins, max_states=max_states, max_seconds=budget,
                                       reduce=reduce, limit=limit, timeout=timeout, progress=report)
    with_basins = basins and all(c.basin is not None for c in res.cycles)
    atts = []
    for c in res.cycles:
        share = c.basin / res.n_states if c.basin is not None else None
        if c.states is None:
            atts.append(Attractor(None, c.kind, c.basin, share, n_states=c.size, subspace=c.space))
        else:
            atts.append(Attractor(c.states, c.kind, c.basin, share))
    mats = _CycleMatrices(net.nodes, list(res.matrices))
    result = AttractorSet(net.name, net.nodes, "synchronous", dict(fixed), tuple(atts),
                          res.n_states if with_basins else None, res.complete, res.notes, "symbolic", mats)
    if timings is not None:
        timings["symbolic"] = timings.get("symbolic", 0.0) + time.perf_counter() - t0
    return result


class _StateSets:
    """Phenotype shares of asynchronous attractors found by :mod:`logicnet.engine.bitsets`
    whose states are not listed (kept as sets of the search's states)."""

    def __init__(self, bn, constants: Mapping[str, int], sets: list[int]):
        self.bn = bn
        self.constants = constants
        self.sets = sets

    def share(self, states: int, expression) -> float:
        from fractions import Fraction

        from . import expr as _expr

        holds = self.bn.expression(_expr.substitute(expression, self.constants))
        return float(Fraction((states & holds).bit_count(), states.bit_count()))


def _bitset_async(net: Network, fixed: Mapping[str, int], *, reduce: bool, max_states: int, limit: int | None,
                  timings: dict | None) -> AttractorSet | None:
    """Asynchronous attractors by :mod:`logicnet.engine.bitsets` when at most
    :data:`~logicnet.engine.bitsets.MAX_VARIABLES` variables remain after reduction
    (constants only: outputs are kept, so the search needs no lift; with
    ``reduce=False`` only the fixed nodes leave), else None.  With ``limit``, the
    first attractors in the result's order are kept."""
    import time

    from .engine.bitsets import MAX_VARIABLES, BitsetNetwork, async_attractors
    from .reduce import reduce_network

    t0 = time.perf_counter()
    red = reduce_network(net, propagate=reduce, prune_outputs=False)
    if red.network.n_nodes > MAX_VARIABLES:
        return None
    from .progress import task

    with task(f"asynchronous search: terminal components over 2^{red.network.n_nodes} states"):
        bn = BitsetNetwork(red.network)
        sets = async_attractors(bn)
    const = dict(red.lift.constants)
    base = sum(1 << i for i, x in enumerate(net.nodes) if const.get(x))
    where = [net.nodes.index(x) for x in red.network.nodes]
    space_of = {x: str(v) for x, v in const.items()}
    atts = []
    for a in sets:
        size = a.bit_count()
        if size <= max_states:
            kind = "fixed" if size == 1 else "complex"
            codes = []
            for s in bn.codes(a):
                c = base
                for j, i in enumerate(where):
                    if (s >> j) & 1:
                        c |= 1 << i
                codes.append(c)
            codes.sort(key=lambda c: [(c >> i) & 1 for i in range(net.n_nodes)])
            atts.append(Attractor(tuple(codes), kind, n_nodes=net.n_nodes))
        else:
            sub = dict(zip(red.network.nodes, bn.space(a)))
            sub.update(space_of)
            atts.append(Attractor(None, "complex", n_states=size, subspace="".join(sub[x] for x in net.nodes),
                                  n_nodes=net.n_nodes))
    complete = limit is None or len(atts) <= limit
    if not complete:
        atts, sets = atts[:limit], sets[:limit]
    if timings is not None:
        timings["attractors"] = timings.get("attractors", 0.0) + time.perf_counter() - t0
    return AttractorSet(net.name, net.nodes, "asynchronous", dict(fixed), tuple(atts), None, complete, (),
                        "explicit", _StateSets(bn, const, sets))


def _symbolic_async(net: Network, fixed: Mapping[str, int], *, reduce: bool, max_states: int,
                    limit: int | None, timeout: float | None, progress, timings: dict | None,
                    memory: int | None = None) -> AttractorSet:
    """Asynchronous attractors by the symbolic engine, as an :class:`AttractorSet`."""
    import time

    from .engine.symbolic import Budget, async_attractors

    t0 = time.perf_counter()
    with _symbolic_task("asynchronous search (symbolic)", progress) as report:
        res = async_attractors(net, reduce=reduce, budget=Budget(timeout, report), limit=limit, memory=memory)
    t1 = time.perf_counter()
    sn = res.sn
    keyed = []
    for a in res.sets:
        size = sn.count(a)
        if size <= max_states:
            strings = sn.strings(a)
            codes = tuple(int(x[::-1] or "0", 2) for x in strings)
            att = Attractor(codes, "fixed" if size == 1 else "complex", n_nodes=net.n_nodes)
            key = strings[0]
        else:
            att = Attractor(None, "complex", n_states=size, subspace=sn.space(a), n_nodes=net.n_nodes)
            key = res.smallest(a)
        keyed.append((key, att, a))
    keyed.sort(key=lambda t: t[0])
    from .engine.symbolic import SymbolicResult

    ordered = SymbolicResult(sn, [a for _, _, a in keyed], res.complete)
    result = AttractorSet(net.name, net.nodes, "asynchronous", dict(fixed), tuple(t[1] for t in keyed), None,
                          res.complete, res.notes, "symbolic", ordered, res.established)
    if timings is not None:
        timings["symbolic"] = timings.get("symbolic", 0.0) + t1 - t0
        timings["lift"] = timings.get("lift", 0.0) + time.perf_counter() - t1
    return result


def _compile_checked(red, update: str, limits: Limits, timings: dict | None, t_reduce: float):
    """Check the reduced space fits, then compile it; record reduce and compile times."""
    import time

    from .engine.compile import compile_network

    if timings is not None:
        timings["reduce"] = timings.get("reduce", 0.0) + time.perf_counter() - t_reduce
    _check_exhaustive(red.network.n_nodes, update, limits)
    t1 = time.perf_counter()
    compiled = compile_network(red.network)
    if timings is not None:
        timings["compile"] = timings.get("compile", 0.0) + time.perf_counter() - t1
    return compiled


def _check_exhaustive(m: int, update: str, limits: Limits) -> None:
    """Refuse, before compiling anything, a state space that cannot be searched."""
    from .engine.asynchronous import async_memory
    from .engine.sync import MAX_EXHAUSTIVE_NODES, sync_memory
    from .errors import ResourceLimitError
    from .limits import check_memory

    advice = ("Fix inputs (--fix NODE=0|1 or a study context) or ask for fixed points only "
              "(--fixed-points, by SAT).")
    what = f"An exhaustive {update} search"
    if m > MAX_EXHAUSTIVE_NODES:
        raise ResourceLimitError(f"{what} over {m} free variables (after reduction) is beyond logicnet's "
                                 f"limit of {MAX_EXHAUSTIVE_NODES}. {advice}")
    if update == "synchronous":
        check_memory(sync_memory(m), limits, n_free=m, what=what, per_state=4.25, advice=advice)
    else:
        check_memory(async_memory(m), limits, n_free=m, what=what, per_state=29, advice=advice)


def number_of_attractors(net: Network, **kw) -> int:
    """How many attractors :func:`find_attractors` finds.

    Examples
    --------
    >>> number_of_attractors(Network.from_rules("A* = A\\nB* = B"))
    4
    """
    return len(find_attractors(net, **kw))


def fixed_points(net: Network, *, fix: Mapping[str, int] | None = None, limit: int | None = None,
                 update: str = "synchronous") -> AttractorSet:
    """All fixed points, by SAT (no state enumeration): fine for thousands of nodes.

    Fixed points are the same under both update schemes.  ``limit`` stops after that
    many; ``AttractorSet.complete`` then says whether the list was cut.  ``update``
    only labels the result.

    Examples
    --------
    >>> aset = fixed_points(Network.from_rules("A* = A\\nB* = not A"))
    >>> [aset.state_strings(a) for a in aset]
    [['01'], ['10']]
    """
    from .engine.fixedpoints import sat_fixed_points

    if fix:
        net = net.fix(fix)
    mat, complete = sat_fixed_points(net, limit=limit)
    items = [(mat[i:i + 1], "fixed", None) for i in range(mat.shape[0])]
    result = _finish(net, normalize_update(update), net.constants, items, None, complete=complete)
    object.__setattr__(result, "engine", "sat")
    return result


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
    from .engine.symbolic import count_fixed_points as _count
    from .progress import task

    if fix:
        net = net.fix(fix)
    with task("counting fixed points (symbolic)"):
        return _count(net)
