"""The engines and the one contract they share.

A caller asks a :class:`Question` (what is asked, about which network), :func:`choose`
picks the engine that answers it, and the engine returns :class:`Found` (the raw
attractors, identical whichever engine) or, for a screen, a score.  The engines:

- ``explicit``: every state.  Synchronous: the bit-packed functional graph with exact
  basins (:mod:`~logicnet.engine.sync`, numba kernels in :mod:`~logicnet.engine.kernels`);
  asynchronous: terminal SCCs of the bit-packed state graph
  (:mod:`~logicnet.engine.asynchronous`), or for at most
  :data:`~logicnet.engine.bitsets.MAX_VARIABLES` variables state sets as Python
  integers (:mod:`~logicnet.engine.bitsets`, nothing to load).
- ``symbolic``: binary decision diagrams.  Asynchronous: :mod:`~logicnet.engine.symbolic`;
  synchronous: :mod:`~logicnet.engine.symbolic_sync` (cycles by SAT, basins on BDDs);
  screen scores: :mod:`~logicnet.engine.symscore`.

Every engine is a class with three methods (:class:`Engine`): ``cost(question)`` is
``None`` when the engine cannot answer (networkx's ``can_run`` is the model), else the
number of variables it would search; ``attractors(question)`` returns :class:`Found`;
``score(question, phenotype)`` returns a screen score.  :data:`REGISTRY` lists them, in
the order ``"auto"`` tries them; adding an engine is one module plus one line there.

The engine names and the thresholds of ``"auto"`` live in this file only.

Nothing here imports numba or oxidd: they load when a search needs them.

Examples
--------
>>> from logicnet import Network
>>> from logicnet.engine import Question
>>> net = Network.from_rules("A* = not B\\nB* = A")
>>> q = Question(net, "synchronous")
>>> engine = choose(q)
>>> engine.name, engine.cost(q)
('explicit', 2)
>>> [a.states for a in engine.attractors(q).attractors]
[(0, 1, 3, 2)]
>>> choose(Question(net, "asynchronous"), "symbolic").name
'symbolic'
"""

from __future__ import annotations

import importlib
from typing import Any

from typing import TYPE_CHECKING

from ..errors import ResourceLimitError

if TYPE_CHECKING:
    from .contract import Found, Question, Score

__all__ = ["Question", "Attractor", "Found", "Partial", "Engine", "REGISTRY", "ENGINE_NAMES", "choose",
           "engine_named", "AUTO_MAX_VARIABLES", "EXPLICIT", "SYMBOLIC", "SAT", "Score", "memory_needed",
           "sorted_attractors"]


#: The names of the engines (``Found.engine``, ``Score.engine``, ``AttractorSet.engine``):
#: every state listed, binary decision diagrams, fixed points by SAT.
EXPLICIT, SYMBOLIC, SAT = "explicit", "symbolic", "sat"

#: The engines, in the order ``"auto"`` tries them: (name shown to users, the update
#: schemes it answers, "module:Class").  A module is imported only when it may answer.
REGISTRY: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (EXPLICIT, ("synchronous",), "logicnet.engine.sync:ExplicitSyncEngine"),
    (EXPLICIT, ("asynchronous",), "logicnet.engine.asynchronous:ExplicitAsyncEngine"),
    (EXPLICIT, ("asynchronous",), "logicnet.engine.bitsets:BitsetEngine"),
    (SYMBOLIC, ("asynchronous",), "logicnet.engine.symbolic_engine:SymbolicAsyncEngine"),
    (SYMBOLIC, ("synchronous",), "logicnet.engine.symbolic_engine:SymbolicSyncEngine"),
)

#: The names ``engine=`` accepts.
ENGINE_NAMES = ("auto", EXPLICIT, SYMBOLIC)

#: ``"auto"``: the largest search (variables, after the engine's reduction) an engine is
#: chosen for while a later engine can answer; measured (bench/README.md, "Small models",
#: ``bench/bench_small.py --engines``): the asynchronous integer state sets up to 17
#: variables.  Their cost grows as 2^m times the saturation rounds; the BDD search's
#: barely grows with m on these networks, plus about 2 ms to load the BDD library.  Up
#: to 17 variables the state sets are the faster on all 20 published models (0.1-16 ms
#: against 1-27 ms); at 18 and 19 the BDDs are, in total over the 6 published models and
#: on bbm074 and bbm068 (3-17x).
#: The synchronous functional graph up to 28 (2^28 states: about 1.1 GB and a few
#: seconds; basins by BDD preimages do not grow with the state space).  Screen scores
#: (one per condition, thousands per screen): explicit up to 24 synchronous and 16
#: asynchronous variables (an asynchronous state-set score costs about 0.25 us per state,
#: 0.3-1 s at 20-22 variables, where the BDD score takes 2-10 ms: control checks on
#: bbm070 went from 117 s to 12 s for sizes 1-2; the screens of bench/bench_screen.py
#: are unchanged, bbm148 asynchronous 17.1 s against 17.7 s).
#: Synchronous attractors without basins (``basins=False``: a count, ``--no-basins``):
#: the functional graph up to 24 variables; above, the BDD search is the faster
#: (measured on the parts of bbm140's count: 0.03-0.07 s at 23-24 variables, 0.13-0.37 s
#: at 25-26 and 1.0-4.5 s at 28, against 0.09-0.19 s for the BDDs).
AUTO_MAX_VARIABLES: dict[tuple[str, str, str], int] = {
    ("attractors", "BitsetEngine", "asynchronous"): 17,
    ("attractors", "ExplicitSyncEngine", "synchronous"): 28,
    ("attractors without basins", "ExplicitSyncEngine", "synchronous"): 24,
    ("attractors", "ExplicitAsyncEngine", "asynchronous"): -1,  # only when asked for by name
    ("score", "ExplicitSyncEngine", "synchronous"): 24,
    ("score", "ExplicitAsyncEngine", "asynchronous"): 16,
}

#: What the topic modules reach through this package besides the contract (loaded on first
#: use, so that ``import logicnet.engine`` loads neither numpy nor a BDD library).
_ENTRY_POINTS = {
    "TableNetwork": "tables", "PhenotypeTable": "tables",  # screen conditions as truth tables
    "sat_fixed_points": "fixedpoints",  # fixed points by SAT
    "count_fixed_points": "symbolic",  # fixed points counted on BDDs
    "count_attractors": "count",  # attractors counted part by part, not listed
    "minimal_trap_spaces": "trapspaces", "maximal_trap_spaces": "trapspaces",  # by ASP
    "rated_absorption": "absorption", "BYTES_PER_STATE": "absorption", "SECONDS_PER_STATE": "absorption",  # exact probabilities with rates
    "compile_network": "compile",  # stochastic simulation: the kernel compiled ahead of time, else numba's
    "trajectories": "aot",
    # the contract (contract.py), loaded with the first engine or result
    "Question": "contract", "Attractor": "contract", "Found": "contract", "Partial": "contract",
    "Score": "contract", "Engine": "contract", "sorted_attractors": "contract",
    "MAX_EXHAUSTIVE_NODES": "sync", "SCREEN_SMALL_N": "sync",  # explicit searches: the largest, the smallest
    # control: minimal perturbation sets by clingo with trap-space cuts
    "TrapCuts": "control", "Cut": "control", "ReachCut": "control", "reach_program": "control",
    "minimal_sets": "control", "SearchState": "control", "count_answers": "control", "sample_answers": "control", "COUNT_CAP": "control",
    "space_values": "control", "percolation_trace": "control", "StateSpaceControl": "control",
    "SymbolicStateControl": "control",
    "MAX_STATE_VARIABLES": "control", "PerturbedTrapSpaces": "control",
}


def __getattr__(name: str):
    if name in _ENTRY_POINTS:
        return getattr(importlib.import_module(f"{__name__}.{_ENTRY_POINTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_LOADED: dict[str, Any] = {}


def _load(path: str) -> Any:
    if path not in _LOADED:
        module, cls = path.split(":")
        _LOADED[path] = getattr(importlib.import_module(module), cls)()
    return _LOADED[path]


class _Named:
    """An engine with its registered name; :meth:`attractors` stamps the name on the result."""

    def __init__(self, name: str, engine) -> None:
        self.name = name
        self.engine = engine

    def cost(self, question: Question) -> int | None:
        return self.engine.cost(question)

    def attractors(self, question: Question) -> Found:
        from .contract import Found

        found = self.engine.attractors(question)
        return Found(found.attractors, found.n_states, found.complete, found.notes, found.shares,
                     found.partial, self.name)

    def score(self, question: Question, phenotype) -> Score:
        import dataclasses

        return dataclasses.replace(self.engine.score(question, phenotype), engine=self.name)

    def __repr__(self) -> str:
        return f"<{self.name} engine {type(self.engine).__name__}>"


def engine_named(name: str) -> str:
    """Check an ``engine=`` value; return it.

    Raises
    ------
    LogicnetError
        If it is not one of :data:`ENGINE_NAMES`.

    Examples
    --------
    >>> engine_named("auto")
    'auto'
    """
    if name not in ENGINE_NAMES:
        from ..errors import LogicnetError

        raise LogicnetError(f"unknown engine {name!r}; use {', '.join(ENGINE_NAMES[:-1])} or {ENGINE_NAMES[-1]}",
                            advice=("another engine",))
    return name


def choose(question: Question, name: str = "auto"):
    """The engine that answers ``question``: the only automatic policy.

    ``name`` ``"explicit"`` or ``"symbolic"`` restricts the choice to the engines of
    that name.  The registered engines are tried in :data:`REGISTRY` order: the
    first that can answer within its :data:`AUTO_MAX_VARIABLES` is chosen; when none
    is, the first that can answer at all (so ``"auto"`` never refuses where an engine
    answers).

    Returns
    -------
    Engine
        With ``name`` (the registered name) and the :class:`Engine` methods.

    Raises
    ------
    ResourceLimitError
        When no engine of that name can answer (its ``advice`` says what may help).

    Examples
    --------
    >>> from logicnet import Network
    >>> from logicnet.engine import Question
    >>> net = Network.from_rules("A* = " + " or ".join(f"X{i}" for i in range(27)))
    >>> choose(Question(net, "synchronous", reduce=False)).name  # 2^27-row truth table
    'symbolic'
    """
    engine_named(name)
    mine = [(ename, path) for ename, updates, path in REGISTRY
            if name in ("auto", ename) and question.update in updates]
    later = []
    for ename, path in mine:
        cls = path.rsplit(":", 1)[1]
        cap = AUTO_MAX_VARIABLES.get((question.task, cls, question.update))
        if question.task == "attractors" and not question.basins:
            cap = AUTO_MAX_VARIABLES.get(("attractors without basins", cls, question.update), cap)
        if name == "auto" and cap is not None and cap < 0:
            later.append((ename, path))  # only when no other engine answers: not even loaded
            continue
        engine = _load(path)
        size = engine.cost(question)
        if size is None:
            continue
        if name != "auto" or cap is None or size <= cap:
            return _Named(ename, engine)
        later.append((ename, path))
    for ename, path in later:
        if _load(path).cost(question) is not None:
            return _Named(ename, _load(path))
    why = [_load(path).refusal(question) for _, path in mine if hasattr(_load(path), "refusal")]
    why = [w for w in why if w]
    advice = ("fix inputs", "fixed points only") if question.task == "attractors" else ("fix inputs",)
    raise ResourceLimitError(
        "; ".join([w.rstrip(".") for w in why] or [f"no {'' if name == 'auto' else name + ' '}engine can answer this question"])
        + (". Fix inputs, or ask for fixed points only (by SAT)." if question.task == "attractors" else ""),
        advice=advice + (("another engine",) if name != "auto" else ()))


def memory_needed(m: int, update: str) -> int:
    """Bytes an explicit search over ``m`` free variables allocates.

    Examples
    --------
    >>> memory_needed(20, "synchronous"), memory_needed(20, "asynchronous")
    (4456448, 30408704)
    """
    if update == "synchronous":
        from .sync import sync_memory

        return sync_memory(m)
    from .asynchronous import async_memory

    return async_memory(m)
