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

__all__ = ["Limits", "DEFAULT_LIMITS", "available_memory", "memory_limits", "address_space_room", "parse_size", "check_memory"]


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


#: cgroup limits at or above this are "no limit" (v1 writes 2^63 rounded down to a page).
_NO_CGROUP_LIMIT = 1 << 60


def _process_sizes() -> tuple[int | None, int | None]:
    """This process's virtual size and data size (bytes), from /proc/self/status."""
    size = data = None
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    size = int(line.split()[1]) * 1024
                elif line.startswith("VmData:"):
                    data = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return size, data


def _read_int(path: str) -> int | None:
    try:
        with open(path) as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _cgroup_headroom(proc: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> int | None:
    """Bytes the tightest memory cgroup of this process still allows (v1 and v2), or None."""
    try:
        with open(proc) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    dirs: list[tuple[str, str, str]] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":  # v2 (unified hierarchy)
            bases, files = (root, os.path.join(root, "unified")), ("memory.max", "memory.current")
        elif "memory" in controllers.split(","):  # v1
            bases, files = (os.path.join(root, "memory"),), ("memory.limit_in_bytes", "memory.usage_in_bytes")
        else:
            continue
        # the process's own group and its ancestors; inside a container the group is
        # often mounted as the root itself
        steps = [p for p in path.strip("/").split("/") if p]
        for base in bases:
            for k in range(len(steps), -1, -1):
                dirs.append((os.path.join(base, *steps[:k]), *files))
    best = None
    for d, limit_file, usage_file in dirs:
        limit = _read_int(os.path.join(d, limit_file))
        if limit is None or limit >= _NO_CGROUP_LIMIT:
            continue
        used = _read_int(os.path.join(d, usage_file)) or 0
        room = max(0, limit - used)
        best = room if best is None else min(best, room)
    return best


def memory_limits() -> list[tuple[int, str]]:
    """Every memory limit this process runs under, as ``(bytes still free, what it is)``.

    Checked: the machine's available memory, the process's address-space limit
    (``RLIMIT_AS``, ``ulimit -v``; what cluster schedulers set) and data limit
    (``RLIMIT_DATA``, ``ulimit -d``), each minus what the process already uses, and
    the memory cgroup (v1 or v2; containers, systemd, Slurm).  Unset limits are left
    out; available memory is always there.

    Examples
    --------
    >>> lims = memory_limits()
    >>> lims[0][1], lims[0][0] > 0
    ('available memory', True)
    """
    import resource

    out = [(available_memory(), "available memory")]
    size, data = _process_sizes()
    for which, used, label in ((resource.RLIMIT_AS, size, "the address-space limit (ulimit -v)"),
                               (getattr(resource, "RLIMIT_DATA", None), data, "the data-size limit (ulimit -d)")):
        if which is None:
            continue
        try:
            soft, _ = resource.getrlimit(which)
        except (ValueError, OSError):
            continue
        if soft != resource.RLIM_INFINITY and soft >= 0:
            out.append((max(0, soft - (used or 0)), label))
    room = _cgroup_headroom()
    if room is not None:
        out.append((room, "the memory cgroup limit"))
    return out


def address_space_room() -> tuple[int, str] | None:
    """Bytes the address-space and data limits (``ulimit -v``, ``ulimit -d``) still
    leave to this process, and which limit that is; ``None`` when neither is set.
    Unlike available memory, these limits count memory reserved and never touched.

    Examples
    --------
    >>> import resource
    >>> (address_space_room() is None) == (resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY
    ...     and resource.getrlimit(resource.RLIMIT_DATA)[0] == resource.RLIM_INFINITY)
    True
    """
    lims = [x for x in memory_limits() if "ulimit" in x[1]]
    return min(lims) if lims else None


@dataclass(frozen=True)
class Limits:
    """Limits for exhaustive searches.

    Examples
    --------
    >>> Limits().max_memory is None
    True
    """

    max_memory: int | None = None
    """Bytes an exhaustive search may allocate; ``None`` means no more than the
    process's own limits allow (see :meth:`memory_budget`). [Default: None]"""

    max_fixed_points: int | None = None
    """Stop listing fixed points after this many (the result says it was cut). [Default: None]"""

    def memory_budget(self) -> int:
        """The byte budget in force: the tightest of ``max_memory`` and 90% of each
        limit of :func:`memory_limits`.

        Examples
        --------
        >>> Limits(max_memory=100).memory_budget()
        100
        """
        return self.memory_budget_source()[0]

    def memory_budget_source(self) -> tuple[int, str]:
        """The budget of :meth:`memory_budget` and which limit sets it (for messages).

        Examples
        --------
        >>> Limits(max_memory=100).memory_budget_source()
        (100, '--max-memory')
        """
        best = min((int(room * 0.9), label) for room, label in memory_limits())
        if self.max_memory is not None and self.max_memory <= best[0]:
            return self.max_memory, "--max-memory"
        return best


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
    budget, source = limits.memory_budget_source()
    if needed <= budget:
        return
    fits = 0
    while (1 << (fits + 1)) * per_state <= budget:
        fits += 1
    raise ResourceLimitError(
        f"{what} over {n_free} free variables (2^{n_free} states) needs about {_fmt(needed)}, "
        f"more than the {_fmt(budget)} allowed (set by {source}); at most {fits} free variables fit. "
        f"{advice}".rstrip())
