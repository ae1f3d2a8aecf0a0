"""The contract every engine keeps: the question, the raw answer, the engine protocol.

See :mod:`logicnet.engine` for the engines and the choice between them.

Examples
--------
>>> Found((Attractor((0,), "fixed", n_nodes=1),)).complete
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..limits import DEFAULT_LIMITS

__all__ = ["Question", "Attractor", "Found", "Partial", "Score", "Engine", "sorted_attractors",
           "memory_refusal", "score_refusal"]


@dataclass(frozen=True)
class Question:
    """What is asked about one network, built once by the caller.

    Attributes
    ----------
    network : Network or tables.Restriction
        The network searched, fixed nodes as constant rules (for a screen score, the
        condition's :class:`~logicnet.engine.tables.Restriction`).
    update : {"synchronous", "asynchronous"}
    task : {"attractors", "score"}
        All attractors, or a screen score (``Engine.score``).
    basins : bool
        Synchronous: exact basin sizes (numbers of states).
    reduce : bool
        Whether the engine may search a reduced network (same answer).
    max_states : int, >= 0
        Attractors up to this many states are listed; larger ones have ``states`` None.
    limit : int or None
        Stop after this many attractors (``Found.complete`` is then False).
    timeout : float or None
        Seconds the whole search may take.
    basin_seconds : float or None
        Seconds symbolic synchronous basins may take before the attractors come without them.
    memory : int
        Bytes the search may allocate.
    progress : callable or None
        Called with one line of text per phase of a long search.
    timings : dict or None
        Filled with seconds per phase.
    """

    network: Any
    update: str
    task: Literal["attractors", "score"] = "attractors"
    basins: bool = True
    reduce: bool = True
    max_states: int = 1000
    limit: int | None = None
    timeout: float | None = None
    basin_seconds: float | None = None
    memory: int = field(default_factory=DEFAULT_LIMITS.memory_budget)
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    timings: dict | None = field(default=None, compare=False)
    _reductions: dict = field(default_factory=dict, compare=False, repr=False)

    def reduced(self, *, propagate: bool, prune_outputs: bool):
        """The network's :class:`~logicnet.reduce.Reduction` (computed once per kind).

        Examples
        --------
        >>> from logicnet import Network
        >>> q = Question(Network.from_rules("A* = True\\nB* = A"), "synchronous")
        >>> q.reduced(propagate=True, prune_outputs=True).network.n_nodes
        0
        """
        key = (propagate and self.reduce, prune_outputs and self.reduce)
        if key not in self._reductions:
            from ..reduce import Lift, Reduction, reduce_network

            if key == (True, True):  # the outputs pruned from the propagated network: the
                # propagation (most of the work) is shared with the unpruned kind
                base = self.reduced(propagate=True, prune_outputs=False)
                pruned = reduce_network(base.network, propagate=False, prune_outputs=True)
                lift = Lift(base.lift.full_nodes, pruned.lift.reduced_nodes, base.lift.constants,
                            base.lift.outputs + pruned.lift.outputs, base.lift.fixed)
                self._reductions[key] = Reduction(pruned.network, lift)
            else:
                self._reductions[key] = reduce_network(self.network, propagate=key[0], prune_outputs=key[1])
        return self._reductions[key]

    def add_time(self, phase: str, seconds: float) -> None:
        """Add ``seconds`` to ``timings[phase]`` (when timings are asked for)."""
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + seconds


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
class Partial:
    """What a symbolic asynchronous search established before its budget ran out.

    Attributes
    ----------
    fixed_points : int
        The exact number of fixed points (each an attractor).
    minimal_trap_spaces : tuple of dict
        Each with ``space`` (one of '0', '1', '*' per node), ``attractors`` (how many it
        holds, ``None`` if not searched to the end) and ``exactly_one``.
    minimal_trap_spaces_complete : bool
    outside_minimal_trap_spaces : {"excluded", "found", "unknown"}
        Whether attractors outside the minimal trap spaces were ruled out.
    candidates_left : int or None
        Candidate states outside them not yet ruled out (``None``: not listed).
    negative_feedback_vertex_set : tuple of str
    budget_seconds : float or None
        The time budget that ran out.
    input_combinations : tuple of (int, int) or None
        When free inputs were searched one combination at a time: how many combinations
        were searched to the end (their attractors are all listed), and of how many.

    Examples
    --------
    >>> Partial(2, (), True, "excluded", 0, ("A",), 1.0).to_dict()["fixed_points"]
    2
    """

    fixed_points: int
    minimal_trap_spaces: tuple[Mapping[str, Any], ...]
    minimal_trap_spaces_complete: bool
    outside_minimal_trap_spaces: str
    candidates_left: int | None
    negative_feedback_vertex_set: tuple[str, ...]
    budget_seconds: float | None
    input_combinations: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        """The documented JSON shape (``established`` in the README)."""
        return {"fixed_points": self.fixed_points,
                "minimal_trap_spaces": [dict(e) for e in self.minimal_trap_spaces],
                "minimal_trap_spaces_complete": self.minimal_trap_spaces_complete,
                "outside_minimal_trap_spaces": self.outside_minimal_trap_spaces,
                "candidates_left": self.candidates_left,
                "negative_feedback_vertex_set": list(self.negative_feedback_vertex_set),
                "budget_seconds": self.budget_seconds,
                **({} if self.input_combinations is None else
                   {"input_combinations": dict(zip(("searched", "of"), self.input_combinations))})}


@dataclass(frozen=True)
class Found:
    """The raw answer of an engine, over the full node list of the question's network.

    Attributes
    ----------
    attractors : tuple of Attractor
        Sorted by smallest state string; each has ``kind``, ``size``, ``states`` (when at
        most ``max_states``), ``subspace`` (when not listed) and ``basin``.
    n_states : int or None
        The number of states basins are counted among (2^free nodes), or ``None``
        when there are no basins.
    complete : bool
        False when a limit or budget cut the listing.
    notes : tuple of str
        How the answer was reached, when that is worth saying.
    shares : object or None
        For attractors whose states are not listed: ``shares.share(i, expression)``,
        the exact share of attractor ``i``'s states in which ``expression`` holds.
    partial : Partial or None
        What was established when the budget ran out.
    engine : str
        The name of the engine that answered (set by :func:`logicnet.engine.choose`).

    Examples
    --------
    >>> found = Found((Attractor((0, 1), "cycle", 2, 1.0, n_nodes=1),), n_states=2)
    >>> [a.state_strings() for a in found.attractors], found.complete
    ([['0', '1']], True)
    """

    attractors: tuple[Attractor, ...]
    n_states: int | None = None
    complete: bool = True
    notes: tuple[str, ...] = ()
    shares: Any = None
    partial: Partial | None = None
    engine: str = ""


@dataclass(frozen=True)
class Score:
    """The exact score of one condition, or why it has none.

    ``score``, ``complete``, ``attractor_share`` and ``n_attractors`` are ``None``
    when the condition was not evaluated; ``reason`` then says why.

    Examples
    --------
    >>> Score(0.5, False, 0.5, 2).score
    0.5
    >>> Score(None, None, None, None, reason="too large").evaluated
    False
    """

    score: float | None
    complete: bool | None
    attractor_share: float | None
    n_attractors: int | None
    n_states: int = 0
    timings: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """Seconds spent reducing, compiling, searching and scoring."""
    reason: str = ""
    """Why the condition was not evaluated (empty when it was)."""
    engine: str = ""
    """``explicit`` (every state listed) or ``symbolic`` (binary decision diagrams)."""
    measure: str = "exact"
    """``exact`` (the definitions above), or ``attractor-level`` (synchronous, on BDDs,
    when the basins do not fit the budget): ``score`` is then the share of the
    attractors' states in which the phenotype holds, ``attractor_share`` the share of
    attractors in which it holds throughout; basins are not weighed in."""

    @property
    def evaluated(self) -> bool:
        """Whether the condition has a score."""
        return self.score is not None


class Engine(Protocol):
    """What every engine provides (see the module docstring)."""

    def cost(self, question: Question) -> int | None:
        """Variables the engine would search, or ``None`` when it cannot answer."""

    def attractors(self, question: Question) -> Found:
        """The attractors (raises :class:`~logicnet.errors.ResourceLimitError` over budget)."""

    def score(self, question: Question, phenotype) -> Any:
        """A screen score of ``question.network`` (a restriction) for ``phenotype``."""


def sorted_attractors(n_nodes: int, items) -> tuple[Attractor, ...]:
    """Attractors from ``(matrix, kind, basin, basin_share)`` items (rows = states over all
    nodes), each in the documented order, sorted by smallest state string.

    A cycle keeps its trajectory order, starting from its smallest state; any other
    attractor lists its states by state string.

    Examples
    --------
    >>> import numpy as np
    >>> [a.states for a in sorted_attractors(2, [(np.array([[1, 1], [0, 1]], bool), "cycle", None, None)])]
    [(2, 3)]
    """
    import numpy as np

    from .._bits import matrix_to_codes, matrix_to_strings

    out = []
    for mat, kind, basin, share in items:
        order = _string_order(mat)
        if kind == "cycle":  # keep trajectory order, starting from the smallest state
            k = int(order[0])
            order = np.concatenate([np.arange(k, mat.shape[0]), np.arange(k)])
        mat = mat[order]
        key = matrix_to_strings(mat[:1])[0]
        out.append((key, Attractor(tuple(matrix_to_codes(mat)), kind, basin, share, n_nodes=n_nodes)))
    out.sort(key=lambda t: t[0])
    return tuple(a for _, a in out)


def _string_order(mat):
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


def memory_refusal(what: str, m: int, needed: int, memory: int, *, per_state: float, max_variables: int) -> str:
    """Why a search over ``m`` free variables that needs ``needed`` bytes does not fit ``memory``.

    Examples
    --------
    >>> memory_refusal("An exhaustive synchronous search", 20, 2 ** 22, 2 ** 20, per_state=4, max_variables=32)
    'An exhaustive synchronous search over 20 free variables (2^20 states) needs about 4.0 MiB, more than the 1.0 MiB allowed; at most 18 free variables fit.'
    """
    from ..limits import _fmt

    if m > max_variables:
        return f"{what} over {m} free variables (after reduction) is beyond logicnet's limit of {max_variables}."
    fits = 0
    while (1 << (fits + 1)) * per_state <= memory:
        fits += 1
    return (f"{what} over {m} free variables (2^{m} states) needs about {_fmt(needed)}, more than the "
            f"{_fmt(memory)} allowed; at most {fits} free variables fit.")


def score_refusal(q, need: int) -> str:
    """Why a screen condition (``q.network``, a restriction) does not fit an explicit search
    needing ``need`` bytes."""
    from ..limits import _fmt

    return (f"{q.network.n_free} free variables after reduction: an exhaustive {q.update} search needs about "
            f"{_fmt(need)}, more than the {_fmt(q.memory)} allowed")


def phase_task(description: str, progress):
    """A :mod:`logicnet.progress` task for a long search; yields the phase callback the
    engines call, which names the phase in the task and passes it on to ``progress``."""
    import contextlib

    from ..progress import task

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
