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
from .network import Network

__version__ = "0.1.0"

__all__ = ["Network", "read_network", "write_network", "LogicnetError", "__version__"]
