"""logicnet: Boolean (logic) network analysis for systems biology.

Examples
--------
>>> import logicnet
>>> net = logicnet.Network.from_rules("A* = not B\\nB* = A")
>>> net.nodes
('A', 'B')
"""

from __future__ import annotations

from .attractors import find_attractors, fixed_points
from .errors import LogicnetError
from .io import read_network, write_network
from .io.study import read_study
from .network import Network
from .probability import attractor_probabilities
from .screen import screen
from .simulate import simulate

__version__ = "0.1.0"

__all__ = ["Network", "read_network", "write_network", "read_study", "find_attractors", "fixed_points", "screen",
           "attractor_probabilities", "simulate", "LogicnetError", "__version__"]
