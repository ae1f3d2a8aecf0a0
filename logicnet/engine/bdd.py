"""Binary decision diagrams of a network: update functions, state sets and transitions.

A :class:`SymbolicNetwork` holds one reduced ordered BDD per update function, built
directly from the network's boolean.py expressions (no truth tables, so the width
of a rule does not matter), and sets of states as BDDs over the node variables.
It offers what the symbolic searches need:

* set algebra: BDDs combine with ``&``, ``|``, ``~`` and compare with ``==``
  (canonical, so ``==`` is set equality); :attr:`~SymbolicNetwork.true`,
  :attr:`~SymbolicNetwork.false`, :meth:`~SymbolicNetwork.literal`,
  :meth:`~SymbolicNetwork.state`, :meth:`~SymbolicNetwork.subspace`,
  :meth:`~SymbolicNetwork.expression`;
* asynchronous steps of one variable (:meth:`~SymbolicNetwork.post`,
  :meth:`~SymbolicNetwork.pre`), and of all (:meth:`~SymbolicNetwork.post_all`,
  :meth:`~SymbolicNetwork.pre_all`);
* the synchronous map: :meth:`~SymbolicNetwork.image` (relational product with the
  transition relation over primed variables) and :meth:`~SymbolicNetwork.preimage`
  (functional composition, no relation needed);
* exact model counting (:meth:`~SymbolicNetwork.count`, a Python ``int``), picking
  and listing states (:meth:`~SymbolicNetwork.pick`, :meth:`~SymbolicNetwork.states`),
  and the smallest subspace holding a set (:meth:`~SymbolicNetwork.space`).

States are the integer codes of the rest of logicnet (bit ``i`` = ``net.nodes[i]``);
subspaces are strings with one ``'0'``, ``'1'`` or ``'*'`` per node in node order.

The BDD library is `oxidd <https://oxidd.net>`_ (Rust, wheels for every platform,
exact integer model counts).  Measured on reduced published models (backward
reachability from one state, per-variable steps), oxidd was 1.6-4x faster than
biodivine-aeon's ``Bdd`` (bbm092: 6.1 s against 26 s; bbm148: 20 s against 68 s),
and ``dd.cudd`` counts in floats and ships wheels for few platforms.

Variable order
--------------
The BDD order is a depth-first order of the interaction graph that follows each
node to its regulators: start at the first node (network order), list it, then
its regulators depth-first (in network order), and start again from the first
node not yet listed.  A node and the nodes its rule reads end up close together,
which keeps the update functions and the sets reached by the searches small (the
file's order can be orders of magnitude worse).  Each node ``x`` has a primed copy
``x'`` directly below it, used only by the synchronous :meth:`~SymbolicNetwork.image`.

Examples
--------
>>> from logicnet import Network
>>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
>>> sn.count(sn.true), sn.space(sn.state("10"))
(4, '10')
>>> sorted(sn.strings(sn.post_all(sn.state("00"))))
['10']
>>> sorted(sn.strings(sn.image(sn.state("00")))), sorted(sn.strings(sn.preimage(sn.state("10"))))
(['10'], ['00'])
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .. import expr as _expr
from ..errors import LogicnetError, ResourceLimitError
from ..network import Network

__all__ = ["SymbolicNetwork", "dfs_order", "node_capacity"]

#: Entries of oxidd's apply cache (memory is taken when the manager is made); networks
#: of at most 32 nodes that can change (held nodes, whose rule is the node itself, not
#: counted) get the small one: it is allocated in about 1 ms, the large one in 2-7 ms.
#: 2^20 entries (32 MB) took 70-90 ms to allocate in 3 of 5 fresh processes, a quarter of
#: a whole run on bbm014; with 2^19 no run was measured slower (bbm210, bbm211, bbm277
#: inputs at 0; bbm014, bbm231 inputs free: the same times within their noise).
APPLY_CACHE = 1 << 19
SMALL_APPLY_CACHE = 1 << 16


#: Bytes of address space reserved per node of capacity (oxidd reserves its node table
#: up front: 2^30 nodes worked with 23 GB of memory, 2^31 aborted the process).
BYTES_PER_NODE = 32


#: The smallest node table made (2 MiB); below it nothing useful fits anyway.
MIN_NODES = 1 << 16
#: oxidd collects no garbage by itself: its node table keeps every node ever made
#: (8 million, 260 MB, on bbm014 with free inputs, of which 8,600 were alive).  A
#: symbolic network collects before an image when the table holds more than this
#: many nodes and twice as many as its last collection left.
GC_NODES = 1 << 18

#: Address space an oxidd manager reserves besides its node table, whatever the table's
#: size: a 1 GiB region, its worker thread's stack and malloc arena (oxidd 0.13 on
#: Linux, read from /proc/self/maps).  Under an address-space limit (``ulimit -v``)
#: this decides whether a manager can be made at all.
MANAGER_RESERVE = (1 << 30) + (96 << 20)
#: Bytes reserved per apply-cache entry (an upper bound).
BYTES_PER_CACHE_ENTRY = 32


def symbolic_available() -> bool:
    """Whether the BDD library (oxidd) is installed.

    Examples
    --------
    >>> isinstance(symbolic_available(), bool)
    True
    """
    try:
        oxidd_core()
    except ImportError:
        return False
    return True


def oxidd_core():
    """oxidd's compiled module (``BDDManager``, ``BDDFunction``, ``BooleanOperator``).

    When oxidd is not loaded yet, the compiled module is loaded on its own, without
    running ``oxidd/__init__.py``: that file looks up oxidd's version among the installed
    distributions (``importlib.metadata``), which takes 20-60 ms, longer than the whole
    search of a small network.  The module is registered under its own name, so a later
    ``import oxidd.bdd`` uses it.  Any other case takes the ordinary import.

    Raises
    ------
    ImportError
        If oxidd is not installed.

    Examples
    --------
    >>> oxidd_core().BooleanOperator.AND is oxidd_core().BooleanOperator.AND
    True
    """
    import sys

    core = sys.modules.get("oxidd._oxidd")
    if core is not None:
        return core
    if "oxidd" not in sys.modules:
        from importlib.machinery import PathFinder
        from importlib.util import find_spec, module_from_spec

        package = find_spec("oxidd")  # finds the package without running it
        spec = (PathFinder.find_spec("oxidd._oxidd", list(package.submodule_search_locations))
                if package is not None and package.submodule_search_locations else None)
        if spec is not None and spec.loader is not None:
            core = module_from_spec(spec)
            sys.modules["oxidd._oxidd"] = core
            try:
                spec.loader.exec_module(core)
            except BaseException:
                del sys.modules["oxidd._oxidd"]
                raise
            return core
    import oxidd.bdd  # noqa: F401 - an unusual layout: the ordinary import

    return sys.modules["oxidd._oxidd"]


def node_capacity(memory: int | None = None) -> int:
    """Node-table capacity for a budget of ``memory`` bytes, between 2^16 and 2^30.

    The table takes half of the budget (oxidd reserves it, :data:`BYTES_PER_NODE`
    bytes per node, when the manager is made; the other half is left for the
    apply cache and everything else).  The default budget is
    :meth:`logicnet.limits.Limits.memory_budget`: the tightest of available
    memory, the process's address-space and data limits (``ulimit -v``, ``-d``)
    and its memory cgroup, so that a process under a scheduler's limit is not
    aborted by its own table.  An operation that outgrows the table raises
    :class:`~logicnet.errors.ResourceLimitError`.

    Examples
    --------
    >>> node_capacity(64 << 30)
    1073741824
    >>> node_capacity(64 << 20)
    1048576
    >>> node_capacity(1 << 20)
    65536
    """
    from ..limits import DEFAULT_LIMITS

    memory = DEFAULT_LIMITS.memory_budget() if memory is None else memory
    return max(MIN_NODES, min(1 << 30, memory // (2 * BYTES_PER_NODE)))


#: The symbolic networks alive, and how many worker pools oxidd has made in this
#: process: it keeps a pool (with its reserve) when its manager is dropped and
#: gives it to the next manager, so only a manager made while all pools are taken
#: needs :data:`MANAGER_RESERVE` more.
_LIVE: weakref.WeakSet = weakref.WeakSet()
_POOLS = [0]


def _fit_address_space(max_nodes: int, apply_cache: int) -> int:
    """``max_nodes``, lowered so that a manager fits the process's address-space and
    data limits (half of what they leave, after the manager's own reserve); a
    :class:`~logicnet.errors.ResourceLimitError` if not even :data:`MIN_NODES` fit
    (making the manager would abort the process)."""
    import gc

    from ..limits import _fmt, address_space_room

    if address_space_room() is None:
        return max_nodes
    for attempt in (0, 1):
        if attempt:  # managers no longer used may wait in reference cycles
            gc.collect()
        room, source = address_space_room()
        fixed = (MANAGER_RESERVE if len(_LIVE) >= _POOLS[0] else 0) + apply_cache * BYTES_PER_CACHE_ENTRY
        fit = (room - fixed) // (2 * BYTES_PER_NODE)
        if fit >= MIN_NODES:
            return min(max_nodes, fit)
    raise ResourceLimitError(
        f"the symbolic (BDD) engine needs about {_fmt(fixed + 2 * MIN_NODES * BYTES_PER_NODE)} of address space "
        f"to start, and {source} leaves {_fmt(room)} to this process. Raise the limit (ulimit -v, or the job's "
        "memory request; 4G is enough for the models this engine is meant for), or fix more nodes "
        "so that an exhaustive search fits", advice=("more memory", "fix inputs"))


def dfs_order(net: Network) -> tuple[str, ...]:
    """The static BDD variable order: depth first from each node to its regulators.

    Examples
    --------
    >>> dfs_order(Network.from_rules("A* = C\\nB* = B\\nC* = B and A"))
    ('A', 'C', 'B')
    """
    regs = {n: net.regulators(n) for n in net.nodes}
    seen: set[str] = set()
    out: list[str] = []
    for root in net.nodes:
        stack = [root]
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            out.append(x)
            stack.extend(r for r in reversed(regs[x]) if r not in seen)
    return tuple(out)


class SymbolicNetwork:
    """A network's update functions as BDDs, with the operations on state sets.

    Parameters
    ----------
    net : Network
        Every node is a state variable; fixed nodes (constant rules) simply never
        change.  Reduce first (:func:`logicnet.reduce.reduce_network`) for speed.
    order : sequence of str, optional
        BDD variable order (top first); default :func:`dfs_order`.
    max_nodes : int, optional
        Capacity of the BDD node table; an operation that needs more raises
        :class:`~logicnet.errors.ResourceLimitError`.  Default: :func:`node_capacity`.
    apply_cache : int, optional
        Entries of the apply cache (allocated up front: about 40 ms for 2^20); default
        2^20 above 32 variables, smaller below.

    Attributes
    ----------
    nodes : tuple of str
        The network's nodes (state order: bit ``i`` is ``nodes[i]``).
    order : tuple of str
        BDD order, top first.
    n : int
        Number of nodes.

    Examples
    --------
    >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = A or B"))
    >>> sn.count(sn.fixed_points())
    3
    >>> sn.space(sn.fixed_points() & sn.literal("A", 0))
    '0*'
    """

    def __init__(self, net: Network, *, order: Sequence[str] | None = None, max_nodes: int | None = None,
                 apply_cache: int | None = None) -> None:
        _ob = oxidd_core()

        if max_nodes is None:
            max_nodes = node_capacity()
        if apply_cache is None:
            moving = sum(1 for x in net.nodes if str(net.rules[x]) != x)  # held nodes read only themselves
            apply_cache = APPLY_CACHE if moving > 32 else SMALL_APPLY_CACHE
        max_nodes = _fit_address_space(max_nodes, apply_cache)
        self.max_nodes = max_nodes
        self.network = net
        self.nodes = net.nodes
        self.n = len(net.nodes)
        self.order = tuple(order) if order is not None else dfs_order(net)
        if sorted(self.order) != sorted(self.nodes):
            raise LogicnetError("a BDD variable order must list every node exactly once")
        self._mgr = _ob.BDDManager(max_nodes, apply_cache, 1)
        _LIVE.add(self)
        _POOLS[0] = max(_POOLS[0], len(_LIVE))
        self._mgr.add_vars(2 * self.n)
        self._gc_at = GC_NODES
        self._level = {x: i for i, x in enumerate(self.order)}
        self._var = {x: 2 * i for i, x in enumerate(self.order)}  # primed copy: var + 1
        self._lit = {x: self._mgr.var(self._var[x]) for x in self.nodes}
        self.true = self._mgr.true()
        self.false = self._mgr.false()
        self._update: dict[str, object] = {}
        self._can: dict[str, object] = {}
        self._flip: dict[str, object] = {}
        self._relation = None
        self._compose = None
        self._unprime = None
        self._xvars = None
        self._ob = _ob
        try:
            for x in self.nodes:
                f = self.expression(net.rules[x])
                self._update[x] = f
                self._can[x] = f ^ self._lit[x]
        except Exception as err:  # oxidd raises its own memory error type
            raise self._memory_error(err) from None

    def collect(self) -> None:
        """Remove the nodes no set still held refers to, when the node table has grown
        past :data:`GC_NODES` and twice what the last collection left (amortised: a
        collection sweeps the table).  Called by the image operations."""
        if self._mgr.approx_num_inner_nodes() > self._gc_at:
            self._mgr.gc()
            self._gc_at = max(GC_NODES, 2 * self._mgr.approx_num_inner_nodes())

    # -- building ----------------------------------------------------------------
    def _memory_error(self, err: Exception) -> Exception:
        if type(err).__name__ == "DDMemoryError":
            return ResourceLimitError(
                f"the BDDs outgrew the node table of the symbolic engine ({self.max_nodes:,} nodes, sized from the "
                "memory this process may use). Allow more memory (a higher ulimit -v or job memory request), or "
                "fix more nodes so that fewer variables stay free", advice=("more memory", "fix inputs"))
        return err

    def literal(self, node: str, value: int = 1):
        """The set of states where ``node`` has ``value``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.count(sn.literal("A", 0))
        2
        """
        lit = self._lit[self.network.check_node(node)]
        return lit if value else ~lit

    def expression(self, e: _expr.Expression):
        """The BDD of a boolean.py expression over the nodes (a rule, a phenotype).

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.count(sn.expression(_expr.parse_expression("A and not B")))
        1
        """
        k = _expr._kind(e)
        if k == "ATOM":
            c = _expr.constant_value(e)
            if c is not None:
                return self.true if c else self.false
            return self._lit[self.network.check_node(str(e.obj))]
        if k == "NOT":
            return ~self.expression(e.args[0])
        parts = [self.expression(a) for a in e.args]
        # Combine along the BDD order, bottom first: intermediate results stay small.
        parts.sort(key=self._top_level, reverse=True)
        out = parts[0]
        for p in parts[1:]:
            out = (out & p) if k == "AND" else (out | p)
        return out

    def _top_level(self, f) -> int:
        lvl = f.node_level()
        return -1 if lvl is None else lvl

    def state(self, state: int | str):
        """The set holding one state, given by its code or its '0'/'1' string.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.strings(sn.state(1))
        ['10']
        """
        if isinstance(state, str):
            return self.subspace(state)
        return self.subspace({x: (state >> i) & 1 for i, x in enumerate(self.nodes)})

    def subspace(self, space: str | Mapping[str, int]):
        """The set of states in a subspace: a '0'/'1'/'*' string or ``{node: value}``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B\\nC* = C"))
        >>> sn.count(sn.subspace("1*0")), sn.count(sn.subspace({"B": 1}))
        (2, 4)
        """
        if isinstance(space, str):
            if len(space) != self.n or set(space) - set("01*"):
                raise LogicnetError(f"a subspace has one of 0, 1, * per node ({self.n} nodes), not {space!r}")
            space = {x: int(c) for x, c in zip(self.nodes, space) if c != "*"}
        out = self.true
        for x in sorted(space, key=lambda y: self._level[self.network.check_node(y)], reverse=True):
            out = out & self.literal(x, space[x])
        return out

    # -- per-node functions ----------------------------------------------------------
    def update(self, node: str):
        """The BDD of ``node``'s update function.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = B"))
        >>> sn.update("A") == sn.literal("B", 0)
        True
        """
        return self._update[node]

    def can_change(self, node: str):
        """States in which ``node``'s value differs from its update function's.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not A"))
        >>> sn.count(sn.can_change("A"))
        2
        """
        return self._can[node]

    def fixed_points(self, give_up=None):
        """The set of fixed points (no node can change).

        ``give_up``, a function of no arguments, is asked between steps; when it
        returns true the computation stops and ``None`` is returned.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = B\\nB* = A"))
        >>> sorted(sn.strings(sn.fixed_points()))
        ['00', '11']
        """
        import heapq

        # Conjoin the smallest two first (measured: 0.2 s against 4.3 s in BDD order
        # on a 99-variable model).
        heap = [(f.node_count(), i, f) for i, f in enumerate(~self._can[x] for x in self.order)]
        if not heap:
            return self.true
        heapq.heapify(heap)
        k = len(heap)
        while len(heap) > 1:
            if give_up is not None and give_up():
                return None
            a = heapq.heappop(heap)[2]
            b = heapq.heappop(heap)[2]
            c = a & b
            if c == self.false:
                return self.false
            k += 1
            heapq.heappush(heap, (c.node_count(), k, c))
        return heap[0][2]

    # -- asynchronous steps ----------------------------------------------------------
    def _flip_of(self, node: str):
        s = self._flip.get(node)
        if s is None:
            s = self._ob.BDDFunction.make_substitution([(self._var[node], ~self._lit[node])])
            self._flip[node] = s
        return s

    def flip(self, states, node: str):
        """The states with ``node``'s value negated.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.strings(sn.flip(sn.state("10"), "B"))
        ['11']
        """
        return states.substitute(self._flip_of(node))

    def post(self, states, node: str):
        """Asynchronous successors of ``states`` by updating ``node`` (changes only).

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.post(sn.state("00"), "A"))
        ['10']
        """
        self.collect()
        return (states & self._can[node]).substitute(self._flip_of(node))

    def pre(self, states, node: str, can=None):
        """Asynchronous predecessors of ``states`` by updating ``node`` (changes only);
        with ``can`` (a subset of :meth:`can_change` of ``node``), only those in it.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.pre(sn.state("10"), "A"))
        ['00']
        """
        self.collect()
        return states.substitute(self._flip_of(node)) & (self._can[node] if can is None else can)

    def post_all(self, states):
        """Asynchronous successors (one node changes) of ``states``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.post_all(sn.state("10")))
        ['11']
        """
        out = self.false
        for x in self.order:
            out = out | self.post(states, x)
        return out

    def pre_all(self, states):
        """Asynchronous predecessors (one node changes) of ``states``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.pre_all(sn.state("10")))
        ['00']
        """
        out = self.false
        for x in self.order:
            out = out | self.pre(states, x)
        return out

    # -- synchronous map ----------------------------------------------------------
    def preimage(self, states):
        """Synchronous predecessors: ``{x : F(x) in states}`` (by composition).

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.preimage(sn.state("11")))
        ['10']
        """
        if self._compose is None:
            self._compose = self._ob.BDDFunction.make_substitution(
                [(self._var[x], self._update[x]) for x in self.nodes])
        self.collect()
        try:
            return states.substitute(self._compose)
        except Exception as err:
            raise self._memory_error(err) from None

    def image(self, states):
        """Synchronous successors: ``{F(x) : x in states}``.

        A relational product with the transition relation ``AND_i (x_i' <-> f_i(x))``
        (built on first use), then primed variables are renamed back.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = not B\\nB* = A"))
        >>> sn.strings(sn.image(sn.state("10") | sn.state("01")))
        ['00', '11']
        """
        try:
            if self._relation is None:
                rel = self.true
                xvars = self.true
                pairs = []
                for x in reversed(self.order):
                    primed = self._mgr.var(self._var[x] + 1)
                    rel = rel & ~(primed ^ self._update[x])
                    xvars = xvars & self._lit[x]
                    pairs.append((self._var[x] + 1, self._lit[x]))
                self._relation = rel
                self._xvars = xvars
                self._unprime = self._ob.BDDFunction.make_substitution(pairs)
            self.collect()
            nxt = states.apply_exists(oxidd_core().BooleanOperator.AND, self._relation, self._xvars)
            return nxt.substitute(self._unprime)
        except Exception as err:
            raise self._memory_error(err) from None

    # -- reading sets ----------------------------------------------------------
    def dump(self, states) -> tuple:
        """The set as a plain table (picklable): ``(root, rows)``, each row
        ``(node, low, high)`` with children as row indices or ``-1`` (empty) / ``-2`` (all).

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.count(sn.load(sn.dump(sn.literal("A") | sn.literal("B", 0))))
        3
        """
        rows: list[tuple[str, int, int]] = []
        index: dict = {}

        def walk(f) -> int:
            if f == self.false:
                return -1
            if f == self.true:
                return -2
            if f not in index:
                node = self.order[f.node_level() // 2]
                index[f] = (node, walk(f.cofactor_false()), walk(f.cofactor_true()))
                rows.append(index[f])
                index[f] = len(rows) - 1
            return index[f]

        return walk(states), tuple(rows)

    def load(self, table: tuple):
        """The set :meth:`dump` wrote (on a network with the same nodes)."""
        root, rows = table
        built = [self.false] * len(rows)
        for i, (node, low, high) in enumerate(rows):  # children come before parents
            lo, hi = (self.false if c == -1 else self.true if c == -2 else built[c] for c in (low, high))
            built[i] = (self._lit[node] & hi) | (~self._lit[node] & lo)
        return self.false if root == -1 else self.true if root == -2 else built[root]

    def count(self, states) -> int:
        """Exact number of states in the set.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B\\nC* = C"))
        >>> sn.count(sn.literal("A") | sn.literal("B"))
        6
        """
        return states.sat_count(2 * self.n) >> self.n

    def is_empty(self, states) -> bool:
        """True for the empty set.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A"))
        >>> sn.is_empty(sn.false), sn.is_empty(sn.true)
        (True, False)
        """
        return states == self.false

    def _cube(self, states) -> dict[str, int] | None:
        cube = states.pick_cube()
        if cube is None:
            return None
        return {x: int(cube[self._var[x]]) for x in self.nodes if cube[self._var[x]] is not None}

    def pick(self, states) -> int | None:
        """One state of the set (unassigned nodes 0), as a code; ``None`` if empty.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.pick(sn.literal("B"))
        2
        """
        cube = self._cube(states)
        if cube is None:
            return None
        return sum(1 << i for i, x in enumerate(self.nodes) if cube.get(x))

    def states(self, states, limit: int | None = None) -> Iterator[int]:
        """The set's states as codes (deterministic order, not sorted), at most ``limit``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sorted(sn.states(sn.true))
        [0, 1, 2, 3]
        """
        left = limit
        rest = states
        index = {x: i for i, x in enumerate(self.nodes)}
        while rest != self.false and (left is None or left > 0):
            cube = self._cube(rest)
            assert cube is not None
            base = sum(1 << index[x] for x, v in cube.items() if v)
            free = [index[x] for x in self.nodes if x not in cube]
            k = len(free)
            total = 1 << k
            if left is not None:
                total = min(total, left)
            for m in range(total):
                code = base
                for j, bit in enumerate(free):
                    if (m >> j) & 1:
                        code |= 1 << bit
                yield code
            if left is not None:
                left -= total
            rest = rest & ~self.subspace(cube)

    def strings(self, states, limit: int | None = None) -> list[str]:
        """The set's states as sorted '0'/'1' strings (node order), at most ``limit``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.strings(sn.literal("A"))
        ['10', '11']
        """
        return sorted("".join("1" if (c >> i) & 1 else "0" for i in range(self.n))
                      for c in self.states(states, limit))

    def space(self, states) -> str:
        """The smallest subspace holding the set: '0', '1' or '*' per node.

        Raises
        ------
        LogicnetError
            For the empty set.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B\\nC* = C"))
        >>> sn.space(sn.state("110") | sn.state("100"))
        '1*0'
        """
        if states == self.false:
            raise LogicnetError("the empty set has no subspace")
        out = []
        for x in self.nodes:
            lit = self._lit[x]
            if (states & lit) == self.false:
                out.append("0")
            elif (states & ~lit) == self.false:
                out.append("1")
            else:
                out.append("*")
        return "".join(out)

    def restrict(self, states, assignment: Mapping[str, int]):
        """The states of the set that agree with ``assignment``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.count(sn.restrict(sn.true, {"A": 1}))
        2
        """
        return states & self.subspace(assignment)

    def exists(self, states, nodes: Iterable[str]):
        """Existential quantification: forget the values of ``nodes``.

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.count(sn.exists(sn.state("11"), ["A"]))
        2
        """
        cube = self.true
        for x in nodes:
            cube = cube & self._lit[x]
        return states.exists(cube)

    def size(self, states) -> int:
        """Number of BDD nodes of a set (its memory, not its number of states).

        Examples
        --------
        >>> sn = SymbolicNetwork(Network.from_rules("A* = A\\nB* = B"))
        >>> sn.size(sn.literal("A"))
        3
        """
        return states.node_count()
