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

_LAZY = {"find_attractors": "attractors", "fixed_points": "attractors", "screen": "screen"}


def __getattr__(name: str):
    # The engines import numpy and more; load them on first use so that
    # `import logicnet` (and `logicnet --version`, `info`) stays fast.
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = ["Network", "read_network", "write_network", "read_study", "find_attractors", "fixed_points", "screen",
           "LogicnetError", "__version__"]
