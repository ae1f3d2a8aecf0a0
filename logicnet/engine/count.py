"""Counting attractors without listing them: independent parts multiply, free inputs add.

A network whose interaction graph falls into weakly connected components is the product of
independent networks.  Under asynchronous update its state graph is the Cartesian product
of theirs, so its attractors (terminal strongly connected components) are exactly the
products of theirs: the counts multiply.  Under synchronous update two cycles of lengths
``p`` and ``q`` make ``gcd(p, q)`` cycles of length ``lcm(p, q)`` (the product of two
permutations of cyclic groups), so each component is counted by cycle length.  A free
input keeps its value under both schemes, so a network's attractors are those with the
input fixed to 0 plus those with it fixed to 1: the counts add.  After each input is fixed,
constants are propagated and outputs pruned (:func:`~logicnet.reduce.reduce_network`:
the attractors are in one-to-one correspondence), so fixing one input often decides
others, splits the network, or leaves a sub-network already counted (the counts are
memoised by the sub-network's rules).  What is left, a component without free inputs, is
counted asynchronously by its minimal trap spaces when no attractor lies outside them (no
candidate state of a negative feedback vertex set survives there:
:mod:`logicnet.engine.decompose`): each attractor lies in exactly one, so the count is the
sum of their own networks' counts (each with the space's fixed nodes fixed, counted the
same way).  Otherwise it is searched by the engine :func:`logicnet.engine.choose` picks.

This is the decomposition of model counting (connected components multiply, a branch on a
variable adds, a cache of components, as in sharpSAT: Thurley, SAT 2006) applied to
attractors, with the percolation of trap spaces (as in mpbn and biobalm) after each branch.
It counts the 2^28 attractors of the EGFR/ErbB model (bbm018, 28 free inputs) in about
90 s, where listing them is out of reach.

Examples
--------
>>> from logicnet import Network
>>> count_attractors(Network.from_rules("A* = A\\nB* = A and not C\\nC* = B\\nD* = D"), "asynchronous")
4
"""

from __future__ import annotations

import math
import time
from collections import Counter

from .. import expr as _expr
from ..errors import ResourceLimitError
from ..network import Network

__all__ = ["count_attractors"]


class _Counter:
    """One count: the memo of sub-networks and the budget."""

    def __init__(self, update: str, timeout: float | None, memory: int, task=None) -> None:
        self.update = update
        self.deadline = None if timeout is None else time.perf_counter() + timeout
        self.memory = memory
        self.task = task  # advanced once per part searched
        self.memo: dict[tuple, Counter] = {}
        self.searched = 0
        self.inputs = 0  # free inputs of the network counted: at least 2^inputs attractors

    def left(self) -> float | None:
        if self.deadline is None:
            return None
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise ResourceLimitError(
                f"the count did not finish in its time budget: {self.searched:,} sub-network(s) without free "
                f"inputs were searched ({len(self.memo):,} distinct parts counted); no total is established "
                f"beyond at least 2^{self.inputs} = {1 << self.inputs:,} (each combination of the free inputs has "
                "its own attractors)",
                advice=("more time", "fix inputs"))
        return left

    def network(self, net: Network) -> Counter:
        """Attractors of ``net`` by length (synchronous) or all under length 1."""
        from ..reduce import reduce_network

        self.left()  # raises once the budget is spent
        red = reduce_network(net, propagate=True, prune_outputs=True).network
        total = Counter({1: 1})
        for part in _components(red):
            total = self.product(total, self.part(part))
        return total

    def part(self, net: Network) -> Counter:
        """A weakly connected network: by branching on a free input, or searched."""
        key = tuple((x, str(net.rules[x])) for x in net.nodes)
        if key not in self.memo:
            if net.inputs:
                readers = Counter(u for y in net.nodes for u in _expr.symbols(net.rules[y]))
                x = max(net.inputs, key=lambda u: (readers[u], -net.index(u)))
                self.memo[key] = self.network(net.fix({x: 0})) + self.network(net.fix({x: 1}))
            else:
                self.memo[key] = self.search(net)
        return self.memo[key]

    def search(self, net: Network) -> Counter:
        """A network without free inputs.  Asynchronous, above the size the integer state
        sets answer at once: when no attractor lies outside the minimal trap spaces, the
        sum over them of the attractors of each one's network (its fixed nodes fixed,
        counted as any network is, so alike spaces are counted once); a single minimal
        trap space, the whole space, with one candidate state left holds one attractor.
        Otherwise the attractors are searched and counted."""
        from . import AUTO_MAX_VARIABLES, Question, choose

        counted = None
        if self.update == "asynchronous" and net.n_nodes > AUTO_MAX_VARIABLES[("attractors", "BitsetEngine",
                                                                               "asynchronous")]:
            counted = self._by_trap_spaces(net)
        if counted is None:
            q = Question(net, self.update, basins=False, max_states=0, timeout=self.left(), memory=self.memory)
            found = choose(q).attractors(q)
            if not found.complete:
                self.left()  # the budget ran out: raises
                raise ResourceLimitError(_unfinished(net, found.partial), advice=("more time",))
            counted = (Counter({1: len(found.attractors)}) if self.update == "asynchronous"
                       else Counter(a.size for a in found.attractors))
        self.searched += 1
        if self.task is not None:
            self.task.advance()
        return counted

    def _by_trap_spaces(self, net: Network) -> Counter | None:
        from .decompose import attractors_in_minimal_trap_spaces, only_one_attractor
        from .symbolic import Budget, _OutOfTime

        try:
            spaces = attractors_in_minimal_trap_spaces(net, Budget(self.left()))
            if spaces is None:
                return None
            if spaces == ["*" * net.n_nodes]:
                return Counter({1: 1}) if only_one_attractor(net, Budget(self.left())) else None
        except _OutOfTime:
            self.left()  # raises
            return None
        total = 0
        for sp in spaces:
            total += self.network(net.fix({x: int(c) for x, c in zip(net.nodes, sp) if c != "*"}))[1]
        return Counter({1: total})

    def product(self, a: Counter, b: Counter) -> Counter:
        if self.update == "asynchronous":
            return Counter({1: a[1] * b[1]})
        out: Counter = Counter()
        for p, m in a.items():
            for q, k in b.items():
                out[p * q // math.gcd(p, q)] += m * k * math.gcd(p, q)
        return out


def _unfinished(net: Network, partial) -> str:
    """Why a part without free inputs stopped the count, with what its search established."""
    text = (f"a part of the network ({net.n_nodes} variables, no free input left) was not searched to the end, "
            "so no total is established")
    if partial is not None:
        text += f"; that part has at least {partial.fixed_points:,} attractors (its fixed points)"
        if not partial.minimal_trap_spaces_complete:
            text += (f" and more minimal trap spaces than the search lists (the first "
                     f"{len(partial.minimal_trap_spaces):,} were searched)")
    return text + "; a larger time budget may finish it"


def _components(net: Network) -> list[Network]:
    """The weakly connected components of ``net``'s interaction graph, as networks."""
    from .components import network_components

    return [net.select(c) for c in network_components(net)]


def count_attractors(net: Network, update: str, *, timeout: float | None = None, memory: int | None = None) -> int:
    """The exact number of attractors of ``net`` (fixed nodes as constant rules).

    Parameters
    ----------
    net : Network
    update : {"synchronous", "asynchronous"}
    timeout : float, optional
        Seconds the count may take.
    memory : int, optional
        Bytes each search may allocate (default: what the machine has available).

    Progress is reported as a :func:`~logicnet.progress.task` advanced once per part
    without free inputs searched.

    Raises
    ------
    ResourceLimitError
        When the count does not finish within ``timeout`` (nothing is counted then), or a
        search does not fit ``memory``.

    Examples
    --------
    >>> from logicnet import Network
    >>> net = Network.from_rules("A* = not B\\nB* = A\\nC* = C\\nD* = D")
    >>> count_attractors(net, "asynchronous"), count_attractors(net, "synchronous")
    (4, 4)
    """
    from ..limits import DEFAULT_LIMITS
    from ..progress import task

    with task(f"counting {update} attractors: parts without free inputs searched") as t:
        c = _Counter(update, timeout, DEFAULT_LIMITS.memory_budget() if memory is None else memory, t)
        c.inputs = len(net.inputs)
        return sum(c.network(net).values())
