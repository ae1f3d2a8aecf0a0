"""Helpers shared by the file formats: names a format can hold, atomic writes, reading text."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import warn
from ..network import Network
from ..ruletext import (RuleCollector, RuleParts, annotation_lines, bad_name_error, rename_parts,  # noqa: F401
                        split_comment)


def rename_nodes(net: Network, mapping: dict[str, str], *, drop_name: bool = False,
                 keep_original: bool = False) -> Network:
    """``net`` with nodes renamed by ``mapping`` (see :func:`logicnet.ruletext.rename_parts`)."""
    parts = RuleParts(net.nodes, net.rules, net.annotations, net.name)
    return Network(*rename_parts(parts, mapping, drop_name=drop_name, keep_original=keep_original))


#: Node names every .bnet reader accepts (pyboolnet, BoolNet, biodivine-aeon, mpbn).
BNET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def sanitize_names(net: Network, valid, what: str, target="") -> Network:
    """``net`` with every name ``valid`` rejects replaced by the nearest free valid one.

    Characters outside ``[A-Za-z0-9_]`` become ``_``, a leading digit gets a ``_``
    prefix, and ``_2``, ``_3``... make the result unique.  The original name is kept
    as the node's ``name`` annotation (read back by :func:`restore_names`), and a
    :class:`~logicnet.errors.LogicnetWarning` lists the changes.
    """
    bad = [n for n in net.nodes if not valid(n)]
    if not bad:
        return net
    used = {n for n in net.nodes if valid(n)}
    mapping = {}
    for n in bad:
        base = re.sub(r"[^A-Za-z0-9_]", "_", n) or "_"
        if not re.match(r"[A-Za-z_]", base):
            base = "_" + base
        new, k = base, 1
        while new in used or not valid(new):
            k += 1
            new = f"{base}_{k}"
        used.add(new)
        mapping[n] = new
    listed = ", ".join(f"{o} -> {n}" for o, n in list(mapping.items())[:10])
    more = f" and {len(mapping) - 10} more" if len(mapping) > 10 else ""
    warn(f"{target or what}: {len(mapping)} node name(s) are not allowed in {what} and were changed "
         f"(the original is kept as a node-name annotation and read back): {listed}{more}")
    return rename_nodes(net, mapping, keep_original=True)


def _umask_mode() -> int:
    """The mode a newly created file gets (0666 less the umask), as open() would give it."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: Paths that mean standard output.
STDOUT_PATHS = ("-", "/dev/stdout")


def check_writable(path: str | os.PathLike) -> None:
    """Raise a LogicnetError now if ``path`` could not be written later.

    ``-`` and ``/dev/stdout`` (standard output), existing devices and pipes, and
    regular files (or symlinks to them) in a writable directory pass.

    Examples
    --------
    >>> check_writable("-")
    >>> check_writable("/nonexistent-dir/r.html")
    Traceback (most recent call last):
    ...
    logicnet.errors.LogicnetError: cannot write /nonexistent-dir/r.html: the directory /nonexistent-dir does not exist
    """
    from ..errors import LogicnetError

    if str(path) in STDOUT_PATHS:
        return
    p = Path(path)
    try:
        st = os.stat(p)  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise LogicnetError(f"cannot write {p}: {e.strerror or e}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise LogicnetError(f"cannot write {p}: it is a directory")
        if not stat.S_ISREG(st.st_mode):
            if not os.access(p, os.W_OK):
                raise LogicnetError(f"cannot write {p}: permission denied")
            return
    target = Path(os.path.realpath(p))
    directory = target.parent
    if not directory.exists():
        raise LogicnetError(f"cannot write {p}: the directory {directory if p.is_symlink() else p.parent} "
                            "does not exist")
    if not directory.is_dir():
        raise LogicnetError(f"cannot write {p}: {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise LogicnetError(f"cannot write {p}: the directory {directory} is not writable")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w"):
    """Open ``path`` for writing so that it appears complete or not at all.

    A regular file is written to a temporary file beside it, renamed onto it on
    success; if the block raises, the target is untouched and the temporary file is
    removed.  A symlink is never replaced: the file it points to is written (the same
    way).  ``-`` and ``/dev/stdout`` write to standard output, and devices and pipes
    are written in place (they cannot be replaced).  A target that cannot be written
    is a LogicnetError.
    """
    from ..errors import LogicnetError

    if str(path) in STDOUT_PATHS:
        yield from _stdout(mode)
        return
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise LogicnetError(f"cannot write {path}: it is a directory")
    special = str(path).startswith(("/dev/", "/proc/"))  # /dev/fd/1, /proc/self/fd/2, devices: never replaced
    if st is not None and (special or not stat.S_ISREG(st.st_mode)):  # a device, a pipe, a file descriptor
        try:
            fh = open(path, mode) if "b" in mode else open(path, mode, encoding="utf-8", newline="\n")
        except OSError as e:
            raise LogicnetError(f"cannot write {path}: {e.strerror or e}") from None
        with fh:
            yield fh
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise LogicnetError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with (os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")) as fh:
            yield fh
        # mkstemp makes 0600 files; keep an existing file's mode, else the usual one
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _stdout(mode: str):
    import sys

    out = sys.stdout
    if "b" in mode:
        out.flush()
        yield out.buffer
        out.buffer.flush()
    else:
        yield out
        out.flush()


def atomic_write_lines(lines: Iterable[str], path: str | os.PathLike) -> None:
    """Write lines to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "w") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")


def atomic_write_bytes(data: bytes, path: str | os.PathLike) -> None:
    """Write bytes to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def read_text_lines(path: str | os.PathLike) -> list[str]:
    """Lines of a text file, with a LogicnetError (not an OSError traceback) on failure."""
    from ..errors import LogicnetError

    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read().splitlines()
    except FileNotFoundError:
        raise LogicnetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LogicnetError(f"{path}: is a directory, not a rule file") from None
    except UnicodeDecodeError as e:
        raise LogicnetError(f"{path}: not a text file (byte {e.start} is not UTF-8)") from None
    except OSError as e:
        raise LogicnetError(f"{path}: cannot be read ({e.strerror})") from None
