"""logicnet: Boolean (logic) network analysis for systems biology.

Examples
--------
>>> import logicnet
>>> net = logicnet.Network.from_rules("A* = not B\\nB* = A")
>>> net.nodes
('A', 'B')
"""

from __future__ import annotations

from .errors import LogicnetError

_SUBMODULES = {"attractors", "expr", "graph", "limits", "parallel", "phenotype", "plot", "progress", "reduce",
               "probability", "report", "screening", "controlling", "simulation", "trapspaces", "types", "validation", "engine"}
_LAZY = {"Network": "network", "read_network": "io", "write_network": "io", "read_study": "io.study",
         "find_attractors": "attractors", "fixed_points": "attractors", "screen": "screening", "control": "controlling",
         "attractor_probabilities": "probability", "simulate": "simulation"}


def __getattr__(name: str):
    # Everything is loaded on first use: the engines import numpy and more, and even
    # the readers cost a command that does not need them (`logicnet --version`).
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:  # `logicnet.screen` style access without an explicit import
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)

__version__ = "0.1.0"

__all__ = ["Network", "read_network", "write_network", "read_study", "find_attractors", "fixed_points", "screen",
           "control", "attractor_probabilities", "simulate", "LogicnetError", "__version__"]
