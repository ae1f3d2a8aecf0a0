"""Resource limits, checked before anything large is allocated.

Examples
--------
>>> lim = Limits(max_memory=2**30)
>>> lim.max_memory
1073741824
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import ResourceLimitError

__all__ = ["Limits", "DEFAULT_LIMITS", "available_memory", "parse_size", "check_memory"]


def available_memory() -> int:
    """Bytes of memory the machine has available now (a safe guess if unknown).

    Examples
    --------
    >>> available_memory() > 0
    True
    """
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 << 30


@dataclass(frozen=True)
class Limits:
    """Limits for exhaustive searches.

    Examples
    --------
    >>> Limits().max_memory is None
    True
    """

    max_memory: int | None = None
    """Bytes an exhaustive search may allocate; ``None`` means 90% of what the machine
    has available when the search starts. [Default: None]"""

    max_fixed_points: int | None = None
    """Stop listing fixed points after this many (the result says it was cut). [Default: None]"""

    def memory_budget(self) -> int:
        """The byte budget in force.

        Examples
        --------
        >>> Limits(max_memory=100).memory_budget()
        100
        """
        if self.max_memory is not None:
            return self.max_memory
        return int(available_memory() * 0.9)


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "T": 1 << 40, "TB": 1 << 40}


def parse_size(text: str) -> int:
    """Bytes in a size such as ``"4G"``, ``"512MB"`` or ``"1000"``.

    Examples
    --------
    >>> parse_size("4G"), parse_size("1.5 GB")
    (4294967296, 1610612736)
    """
    t = text.strip().upper().replace(" ", "").replace("IB", "B")
    num = t.rstrip("KMGTB")
    unit = t[len(num):]
    try:
        return int(float(num) * _UNITS[unit])
    except (KeyError, ValueError):
        from .errors import LogicnetError
        raise LogicnetError(f"{text!r} is not a memory size; write e.g. 4G or 512M") from None


def _fmt(n: int) -> str:
    if n >= 1 << 50:
        return f"{n / (1 << 30):.1e} GiB"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_memory(needed: int, limits: Limits, *, n_free: int, what: str, per_state: float,
                 advice: str) -> None:
    """Raise :class:`ResourceLimitError` if ``needed`` bytes exceed the budget.

    Examples
    --------
    >>> check_memory(10, Limits(max_memory=100), n_free=3, what="x", per_state=1, advice="")
    """
    budget = limits.memory_budget()
    if needed <= budget:
        return
    fits = 0
    while (1 << (fits + 1)) * per_state <= budget:
        fits += 1
    raise ResourceLimitError(
        f"{what} over {n_free} free variables (2^{n_free} states) needs about {_fmt(needed)}, "
        f"more than the {_fmt(budget)} allowed; at most {fits} free variables fit. {advice}".rstrip())
