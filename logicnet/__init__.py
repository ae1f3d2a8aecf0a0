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
from .io import read_network, write_network
from .io.study import read_study
from .network import Network

_SUBMODULES = {"attractors", "expr", "graph", "limits", "parallel", "phenotype", "plot", "progress", "reduce",
               "probability", "report", "simulate", "trapspaces", "types", "validation", "engine"}
_LAZY = {"find_attractors": "attractors", "fixed_points": "attractors", "screen": "screen",
         "attractor_probabilities": "probability", "simulate": "simulate"}


def __getattr__(name: str):
    # The engines import numpy and more; load them on first use so that
    # `import logicnet` (and `logicnet --version`, `info`) stays fast.
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:  # `logicnet.screen` style access without an explicit import
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = ["Network", "read_network", "write_network", "read_study", "find_attractors", "fixed_points", "screen",
           "attractor_probabilities", "simulate", "LogicnetError", "__version__"]
