"""Minimal and maximal trap spaces by answer-set programming (clingo).

A *subspace* fixes some nodes and leaves the others free (``'0'``, ``'1'`` or ``'*'``
per node).  It is a *trap space* when, for every node fixed to ``v`` in it, the
node's update function is constantly ``v`` on the whole subspace (no update
scheme can leave it).  Minimal trap spaces are the attractors of the
most-permissive semantics (Paulevé et al., Nat. Commun. 2020) and each holds at
least one attractor of every other update scheme.

Encoding (the idea of mpbn's ``mixed-dnf-bdd`` and of pyboolnet's prime-implicant
program, Klarner et al. 2017, written afresh): a subspace is a choice of the
values each node may take, ``v(I,0)`` and/or ``v(I,1)``.  Each update function is
a reduced ordered BDD built directly from its expression (no truth table, no
DNF, so a 27-regulator rule costs its BDD size).  ``e(B,T)`` holds when a path
from BDD node ``B`` to terminal ``T`` is consistent with the subspace, which is
exactly "the function can take the value ``T`` somewhere in the subspace"; the
trap condition is ``v(I,T) :- rule(I,B), e(B,T)``.  clasp's domain heuristic with
``domRec`` enumeration returns the subset-minimal models (smallest sets of
allowed values: minimal trap spaces) or superset-maximal ones (maximal trap
spaces, the whole space excluded), as mpbn and pyboolnet do.  trappist (Trinh,
Benhamou, Hiraishi and Soliman, CMSB 2022) asks the same question as maximal
conflict-free siphons of a Petri net with one transition per path of ``f & !x`` and
``!f & x``; sharing each rule's BDD nodes instead keeps the ground program smaller
(bbm004: 4,802 solver variables and 12,952 constraints against 15,546 and 209,888;
bench/README.md).  All answers come from one clingo call; each is kept as its block
of symbol codes and they are decoded a thousand at a time (:class:`_SpaceReader`).

Nodes with a constant rule (fixed nodes) are outside the state space, as
everywhere in logicnet, and appear with their value.  Minimal trap spaces are
computed on the reduced network (constants propagated, outputs pruned; exact,
see :func:`minimal_trap_spaces`).

Examples
--------
>>> from logicnet import Network
>>> net = Network.from_rules("A* = not B\\nB* = not A\\nC* = A or C")
>>> minimal_trap_spaces(net)
(['010', '011', '101'], True)
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

import numpy as np

from .. import _log
from .. import expr as _expr
from ..network import Network


__all__ = ["minimal_trap_spaces", "maximal_trap_spaces", "trap_space_program", "lift_spaces", "rule_bdd_facts", "answer_sets", "RuleBDDs"]


class RuleBDDs:
    """Reduced ordered BDDs of update functions, sharing one node table.

    Variable ``i`` is the ``i``-th name of ``variables`` (the order is the
    network's node order).  Node ``0`` is the constant false, node ``1`` the
    constant true; an internal node ``u`` tests ``var[u]`` and goes to ``lo[u]``
    (variable false) or ``hi[u]`` (variable true).

    Examples
    --------
    >>> b = RuleBDDs(["A", "B"])
    >>> u = b.build(_expr.parse_expression("A and not B"))
    >>> b.values(u, {"A": 0}), b.values(u, {"A": 1, "B": 0}), b.values(u, {})
    ({0}, {1}, {0, 1})
    """

    def __init__(self, variables: Sequence[str]):
        self.variables = tuple(variables)
        self.index = {name: i for i, name in enumerate(self.variables)}
        n = len(self.variables)
        self.var = [n, n]
        self.lo = [0, 1]
        self.hi = [0, 1]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._and: dict[tuple[int, int], int] = {}
        self._or: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {0: 1, 1: 0}
        self._sizes: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.var)

    def _mk(self, v: int, lo: int, hi: int) -> int:
        if lo == hi:
            return lo
        key = (v, lo, hi)
        u = self._unique.get(key)
        if u is None:
            u = len(self.var)
            self.var.append(v)
            self.lo.append(lo)
            self.hi.append(hi)
            self._unique[key] = u
        return u

    def neg(self, u: int) -> int:
        r = self._not.get(u)
        if r is None:
            r = self._mk(self.var[u], self.neg(self.lo[u]), self.neg(self.hi[u]))
            self._not[u] = r
        return r

    def conj(self, u: int, w: int) -> int:
        if u == 0 or w == 0:
            return 0
        if u == 1 or u == w:
            return w
        if w == 1:
            return u
        key = (u, w) if u < w else (w, u)
        r = self._and.get(key)
        if r is None:
            vu, vw = self.var[u], self.var[w]
            v = min(vu, vw)
            u0, u1 = (self.lo[u], self.hi[u]) if vu == v else (u, u)
            w0, w1 = (self.lo[w], self.hi[w]) if vw == v else (w, w)
            r = self._mk(v, self.conj(u0, w0), self.conj(u1, w1))
            self._and[key] = r
        return r

    def disj(self, u: int, w: int) -> int:
        if u == 1 or w == 1:
            return 1
        if u == 0 or u == w:
            return w
        if w == 0:
            return u
        key = (u, w) if u < w else (w, u)
        r = self._or.get(key)
        if r is None:
            vu, vw = self.var[u], self.var[w]
            v = min(vu, vw)
            u0, u1 = (self.lo[u], self.hi[u]) if vu == v else (u, u)
            w0, w1 = (self.lo[w], self.hi[w]) if vw == v else (w, w)
            r = self._mk(v, self.disj(u0, w0), self.disj(u1, w1))
            self._or[key] = r
        return r

    def build(self, e: _expr.Expression) -> int:
        """The BDD node of a boolean.py expression (only AND, OR, NOT, symbols, constants)."""
        k = _expr._kind(e)
        if k == "ATOM":
            c = _expr.constant_value(e)
            if c is not None:
                return c
            return self._mk(self.index[str(e.obj)], 0, 1)
        if k == "NOT":
            return self.neg(self.build(e.args[0]))
        parts = [self.build(a) for a in e.args]
        if len(parts) > 2:  # combine the smallest operands first: keeps intermediate BDDs small
            parts.sort(key=self._size)
        acc = parts[0]
        for p in parts[1:]:
            acc = self.conj(acc, p) if k == "AND" else self.disj(acc, p)
        return acc

    def _size(self, u: int) -> int:
        size = self._sizes.get(u)
        if size is None:
            size = self._sizes[u] = len(self.reachable([u]))
        return size

    def reachable(self, roots: Sequence[int]) -> list[int]:
        """Internal nodes reachable from ``roots``, in increasing id order."""
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            x = stack.pop()
            if x < 2 or x in seen:
                continue
            seen.add(x)
            stack.append(self.lo[x])
            stack.append(self.hi[x])
        return sorted(seen)

    def values(self, u: int, space) -> set[int]:
        """The values the function takes on a subspace ``{name: 0|1}`` (others free)."""
        fixed = {self.index[n]: int(v) for n, v in space.items() if n in self.index}
        out: set[int] = set()
        seen: set[int] = set()
        stack = [u]
        while stack:
            x = stack.pop()
            if x < 2:
                out.add(x)
                continue
            if x in seen:
                continue
            seen.add(x)
            v = fixed.get(self.var[x])
            if v is None:
                stack.append(self.lo[x])
                stack.append(self.hi[x])
            else:
                stack.append(self.hi[x] if v else self.lo[x])
        return out


_PROGRAM = """
1 { v(I,0); v(I,1) } :- var(I).
e(0,0). e(1,1).
e(B,T) :- bdd(B,I,L,_), v(I,0), e(L,T).
e(B,T) :- bdd(B,I,_,H), v(I,1), e(H,T).
v(I,T) :- rule(I,B), e(B,T).
#show v/2.
"""

_NOT_WHOLE = """
free(I) :- v(I,0), v(I,1).
:- free(I) : var(I).
"""


def trap_space_program(net: Network, *, exclude_whole: bool = False) -> str:
    """The ASP program whose answer sets are the trap spaces of ``net``.

    Every node of ``net`` is a variable (constant rules included: a node with
    rule ``False`` may be ``0`` or free).  Node ``i`` is ``var(i)``; the answer
    set holds ``v(i,0)`` / ``v(i,1)`` for the values node ``i`` takes.

    Examples
    --------
    >>> print(trap_space_program(Network.from_rules("A* = not A")).splitlines()[0])
    var(0).
    """
    lines = rule_bdd_facts(net)
    lines.append(_PROGRAM)
    if exclude_whole:
        lines.append(_NOT_WHOLE)
    return "\n".join(lines)


def rule_bdd_facts(net: Network) -> list[str]:
    """ASP facts of every node's rule as a BDD: ``var(I)``, ``rule(I,B)`` (node ``I``'s
    rule is BDD node ``B``) and ``bdd(B,I,L,H)`` (node ``B`` tests variable ``I``, low
    child ``L``, high child ``H``; ``0`` and ``1`` are the terminals).

    Examples
    --------
    >>> rule_bdd_facts(Network.from_rules("A* = not A"))
    ['var(0).', 'rule(0,3).', 'bdd(3,0,1,0).']
    """
    for held, lines in _RULE_FACTS:  # the same network again (a search asks many programs of one)
        if held is net:
            return list(lines)
    bdds = RuleBDDs(net.nodes)
    roots = [bdds.build(net.rules[n]) for n in net.nodes]
    lines = [f"var({i})." for i in range(net.n_nodes)]
    lines += [f"rule({i},{r})." for i, r in enumerate(roots)]
    lines += [f"bdd({u},{bdds.var[u]},{bdds.lo[u]},{bdds.hi[u]})." for u in bdds.reachable(roots)]
    _RULE_FACTS.appendleft((net, lines))
    return list(lines)


#: The last networks :func:`rule_bdd_facts` was asked about, with their facts.
_RULE_FACTS: collections.deque = collections.deque(maxlen=4)


def answer_sets(program: str, options: list[str], limit: int | None, deadline: float | None, read):
    """Answer sets of ``program`` (each turned into a value by ``read``), at most
    ``limit`` (``None``: all); clingo is interrupted at ``deadline`` (a
    ``time.perf_counter`` time).  Returns ``(values, complete, timed_out)``."""
    import threading
    import time

    import clingo

    ctl = clingo.Control(options + [f"--models={0 if limit is None else limit + 1}", "--single-shot", "-W", "none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    out: list = []
    timer = None
    stopped = []
    if deadline is not None:
        def stop():
            stopped.append(True)
            ctl.interrupt()

        timer = threading.Timer(max(0.0, deadline - time.perf_counter()), stop)
        timer.daemon = True
        timer.start()
    complete = True
    try:
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                if limit is not None and len(out) >= limit:
                    complete = False
                    break
                out.append(read(model))
    finally:
        if timer is not None:
            timer.cancel()
    if stopped:
        return out, False, True
    return out, complete, False


def _solve(net: Network, *, maximal: bool, limit: int | None,
           deadline: float | None = None) -> tuple[list[str], bool]:
    """Trap spaces of ``net`` (every node a variable), at most ``limit``, stopped at
    ``deadline``: (spaces, complete)."""
    if net.n_nodes == 0:
        return ([] if maximal else [""]), True
    codes, complete = _solve_codes(net, maximal=maximal, limit=limit, deadline=deadline)
    return _strings(codes), complete


def _solve_codes(net: Network, *, maximal: bool, limit: int | None, deadline: float | None = None):
    """As :func:`_solve` for a network of at least one node, the spaces as a
    ``(spaces, nodes)`` uint8 array (0, 1, or 2 for free)."""
    reader = _SpaceReader(net.n_nodes)
    # domRec + Domain heuristic: subset-minimal (false) or superset-maximal (true)
    # answer sets over the shown atoms v/2, enumerated without repetition.
    options = ["--heuristic=Domain", "--enum-mode=domRec", f"--dom-mod={3 if maximal else 5},16"]
    _, complete, _ = answer_sets(trap_space_program(net, exclude_whole=maximal), options, limit, deadline, reader)
    return reader.codes(), complete


def _strings(codes) -> list[str]:
    """Rows of a (spaces, nodes) array of 0, 1, 2 (free) as subspace strings."""
    k, n = codes.shape
    if not n:
        return [""] * k
    text = _CODE_CHAR[codes].tobytes().decode("ascii")
    return [text[i:i + n] for i in range(0, k * n, n)]


def _sort_key(space: str) -> tuple:
    return (space.count("*"), space)


def minimal_trap_spaces(net: Network, *, limit: int | None = None, reduce: bool = True) -> tuple[list[str], bool]:
    """The minimal trap spaces of ``net`` as subspace strings, and whether the list is complete.

    Fixed nodes (constant rules) show their value.  With ``reduce`` the search
    runs on :func:`logicnet.reduce.reduce_network` 's network: every minimal trap
    space lies inside the subspace the constants percolate to (intersecting a
    trap space with a constant's value keeps it a trap space), and a pruned
    output is fixed to its rule's value where that value is constant on the
    reduced trap space, free otherwise.

    Returns ``(spaces, complete)``: spaces sorted by number of free nodes, then
    text; ``complete`` is ``False`` when ``limit`` cut the list.

    Examples
    --------
    >>> minimal_trap_spaces(Network.from_rules("A* = not A\\nB* = True\\nC* = A and B"))
    (['*1*'], True)
    """
    if not reduce:
        spaces, complete = _solve(net, maximal=False, limit=limit)
        return sorted(spaces, key=_sort_key), complete
    from ..reduce import reduce_network

    red = reduce_network(net)
    _log.debug(__name__, "trap spaces: %d of %d nodes after reduction", red.network.n_nodes, net.n_nodes)
    if red.network.n_nodes:
        codes, complete = _solve_codes(red.network, maximal=False, limit=limit)
    else:
        codes, complete = np.zeros((1, 0), np.uint8), True
    return sorted(_strings(_lift_codes(net, red.lift, codes)), key=_sort_key), complete


def lift_spaces(net: Network, lift, spaces) -> list[str]:
    """Subspaces of the reduced network (one character per node of ``lift``'s reduced
    network) as subspaces of ``net``: removed constants at their value, a pruned output
    at its rule's value where that is constant on the subspace, ``*`` otherwise.

    Examples
    --------
    >>> from logicnet.reduce import reduce_network
    >>> net = Network.from_rules("A* = A\\nB* = True\\nC* = A and B")
    >>> lift_spaces(net, reduce_network(net).lift, ["1", "*"])
    ['111', '*1*']
    """
    spaces = list(spaces)
    if not spaces:
        return []
    n = len(lift.reduced_nodes)
    text = np.frombuffer("".join(spaces).encode("ascii"), np.uint8).reshape(len(spaces), n)
    return _strings(_lift_codes(net, lift, _CHAR_CODE[text]))


def _lift_codes(net: Network, lift, codes):
    """:func:`lift_spaces` on a (spaces, reduced nodes) array of 0, 1, 2 (free): a
    (spaces, nodes of ``net``) array.  Every step is a numpy operation over all spaces
    at once, so the work is linear in the size of the network plus the size of the answer."""
    pos = {x: i for i, x in enumerate(net.nodes)}
    full = np.full((codes.shape[0], net.n_nodes), 2, np.uint8)
    cols = np.array([pos[x] for x in lift.reduced_nodes], np.int64)
    if cols.size:
        full[:, cols] = codes
    for x, v in lift.constants.items():
        full[:, pos[x]] = v
    bdds = RuleBDDs(net.nodes)
    for x, rule in reversed(lift.outputs):
        can0, can1 = _can_take(bdds, bdds.build(rule), full)
        full[:, pos[x]] = np.where(can0 & can1, 2, np.where(can1, 1, 0))
    return full


def _can_take(bdds: RuleBDDs, u: int, full):
    """Whether the function of BDD node ``u`` can be 0 and can be 1 on each subspace
    (rows of ``full``: 0, 1 or 2 = free per variable): two boolean arrays."""
    k = full.shape[0]
    can = {0: (np.ones(k, bool), np.zeros(k, bool)), 1: (np.zeros(k, bool), np.ones(k, bool))}
    for x in bdds.reachable([u]):  # children have smaller ids: bottom-up
        col = full[:, bdds.var[x]]
        lo0, lo1 = can[bdds.lo[x]]
        hi0, hi1 = can[bdds.hi[x]]
        low, high = col != 1, col != 0
        can[x] = ((low & lo0) | (high & hi0), (low & lo1) | (high & hi1))
    return can[u]


class _SpaceReader:
    """Reads answer sets whose shown atoms are ``v(I,T)`` (node ``I`` of ``n`` may take
    value ``T``): called on each clingo model, it keeps the model's atoms; :meth:`codes`
    returns every model read as a ``(models, n)`` uint8 array of 0, 1 or 2 (free).

    Each model's symbols are copied as one block of integer codes, and blocks are
    matched, :data:`CHUNK` models at a time, against the codes of the ``2n`` possible
    atoms (clingo interns symbols, so equal atoms have equal codes): no Python call per
    atom, a copy per model, and memory of ``n`` bytes per model read.  Where clingo's
    Python module does not expose that block, each symbol is read in turn.

    Examples
    --------
    >>> import clingo
    >>> ctl = clingo.Control(["0"]); ctl.add("base", [], "v(0,1). v(1,0). v(1,1). #show v/2.")
    >>> ctl.ground([("base", [])]); reader = _SpaceReader(2)
    >>> _ = ctl.solve(on_model=reader); reader.codes().tolist()
    [[1, 2]]
    """

    #: Models decoded together.
    CHUNK = 1024

    def __init__(self, n: int):
        import clingo

        self.n = n
        self._pending: list[bytes] = []
        self._done: list = []
        try:
            from clingo._internal import _ffi

            atoms = np.array([clingo.Function("v", [clingo.Number(i), clingo.Number(t)])._rep
                              for i in range(n) for t in (0, 1)], np.uint64)
        except (ImportError, AttributeError):  # pragma: no cover - other clingo builds
            _ffi = None
        self._ffi = _ffi
        if _ffi is not None:
            self._order = np.argsort(atoms)  # atom 2i+t is v(i,t)
            self._keys = atoms[self._order]

    def __call__(self, model) -> None:
        if self._ffi is not None:
            self._pending.append(bytes(self._ffi.buffer(model.symbols(shown=True)._p_symbols)))
        else:  # pragma: no cover - other clingo builds
            allowed = bytearray(self.n)
            for sym in model.symbols(shown=True):
                i, t = sym.arguments
                allowed[i.number] |= 1 << t.number
            self._pending.append(bytes(allowed))
        if len(self._pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        blocks, n = self._pending, self.n
        self._pending = []
        if not blocks:
            return
        k = len(blocks)
        if self._ffi is None:  # pragma: no cover - other clingo builds
            allowed = np.frombuffer(b"".join(blocks), np.uint8).reshape(k, n)
        else:
            at = np.searchsorted(self._keys, np.frombuffer(b"".join(blocks), np.uint64))
            row = np.repeat(np.arange(k, dtype=np.int64), [len(b) // 8 for b in blocks])
            shown = np.zeros(k * 2 * n, np.uint8)
            shown[row * (2 * n) + self._order[at]] = 1
            pairs = shown.reshape(k, n, 2)
            allowed = pairs[:, :, 0] | (pairs[:, :, 1] << 1)
        self._done.append(_ALLOWED_CODE[allowed])

    def codes(self):
        self._flush()
        if not self._done:
            return np.zeros((0, self.n), np.uint8)
        return self._done[0] if len(self._done) == 1 else np.concatenate(self._done)


def _lookup(pairs, default=0):
    table = np.full(256, default, np.uint8)
    for k, v in pairs:
        table[k] = v
    return table


_CHAR_CODE = _lookup([(ord("0"), 0), (ord("1"), 1), (ord("*"), 2)])
_CODE_CHAR = _lookup([(0, ord("0")), (1, ord("1")), (2, ord("*"))])
# bit 0: value 0 allowed, bit 1: value 1 allowed (no answer set allows neither)
_ALLOWED_CODE = _lookup([(1, 0), (2, 1), (3, 2)])


def maximal_trap_spaces(net: Network, *, limit: int | None = None) -> tuple[list[str], bool]:
    """The maximal trap spaces of ``net`` other than the whole space, and whether the list is complete.

    The whole space is the one where every fixed node (constant rule) has its
    value and every other node is free; it is always a trap space and is left
    out, as mpbn and pyboolnet do.

    Examples
    --------
    >>> maximal_trap_spaces(Network.from_rules("A* = not B\\nB* = not A"))
    (['01', '10'], True)
    """
    from ..reduce import reduce_network

    red = reduce_network(net, propagate=False, prune_outputs=False)
    lift = red.lift
    spaces, complete = _solve(red.network, maximal=True, limit=limit)
    pos = {n: i for i, n in enumerate(net.nodes)}
    out = []
    for sp in spaces:
        full = ["*"] * net.n_nodes
        for n, c in zip(lift.reduced_nodes, sp):
            full[pos[n]] = c
        for n, v in lift.fixed.items():
            full[pos[n]] = str(v)
        out.append("".join(full))
    return sorted(out, key=_sort_key), complete

