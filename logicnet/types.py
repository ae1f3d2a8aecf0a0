"""The shared vocabulary of logicnet's signatures.

Examples
--------
>>> from logicnet.types import UPDATE_SCHEMES
>>> UPDATE_SCHEMES
('synchronous', 'asynchronous')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = ["State", "Assignment", "UpdateScheme", "UPDATE_SCHEMES", "DEFAULT_UPDATE", "normalize_update"]

State = int
"""A network state: bit ``i`` is the value of the ``i``-th node in the network's node order."""

Assignment = Mapping[str, Literal[0, 1]]
"""Values for some nodes by name, e.g. ``{"IGF1R": 0, "INSR": 1}``."""

UpdateScheme = Literal["synchronous", "asynchronous"]
"""How nodes update: all at once, or one at a time (general asynchronous)."""

UPDATE_SCHEMES: tuple[str, ...] = ("synchronous", "asynchronous")

DEFAULT_UPDATE: str = "synchronous"
"""The one default update scheme of every function and command (attractors, screens,
validation, pictures, reports); every output names the scheme it used."""

_ALIASES = {"sync": "synchronous", "synchronous": "synchronous",
            "async": "asynchronous", "asynchronous": "asynchronous"}


def normalize_update(update: str) -> str:
    """The full name of an update scheme; ``"sync"`` and ``"async"`` are accepted.

    Examples
    --------
    >>> normalize_update("async")
    'asynchronous'
    """
    try:
        return _ALIASES[update.lower()]
    except (KeyError, AttributeError):
        from .errors import LogicnetError
        raise LogicnetError(f"unknown update scheme {update!r}; use 'synchronous' or 'asynchronous'") from None
