"""Helpers shared by the rule-file formats: annotations, assembly, atomic writes."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import expr as _expr
from ..errors import RuleSyntaxError, close_matches, warn
from ..network import Network

logger = logging.getLogger(__name__)

_ANNOTATION = re.compile(r"^\s*#\s*@(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\b[ \t]*(?P<rest>.*)$")
#: Annotation keys spelled differently in text files (``# @name`` is the model's name).
_KEY_OUT = {"name": "node-name"}
_KEY_IN = {v: k for k, v in _KEY_OUT.items()}
_NODE_VALUE = re.compile(r"^(?P<node>" + _expr.NAME_PATTERN + r")\s*:\s?(?P<value>.*)$")


@dataclass
class RuleCollector:
    """Collects rules and annotations line by line, then builds the Network."""

    source: str
    rules: dict = field(default_factory=dict)          # node -> (expr, line, text)
    annotations: dict = field(default_factory=dict)    # node -> {key: value}
    annotation_pos: dict = field(default_factory=dict)  # node -> (line, text)
    name: str = ""

    def comment(self, raw: str, lineno: int) -> bool:
        """Handle a full-line comment; return True if it was one."""
        stripped = raw.lstrip()
        if not stripped.startswith("#"):
            return False
        m = _ANNOTATION.match(raw)
        if m is None:
            return True
        key, rest = m.group("key"), m.group("rest").rstrip()
        if key == "name":
            self.name = rest
            return True
        key = _KEY_IN.get(key, key)
        nv = _NODE_VALUE.match(rest)
        if nv is None:
            col = raw.index("@") + 1
            raise RuleSyntaxError(
                f"an annotation is written '# @{key} NODE: text'; this one names no node",
                source=self.source, line=lineno, column=col, text=raw)
        node, value = nv.group("node"), nv.group("value")
        ann = self.annotations.setdefault(node, {})
        ann[key] = ann[key] + "\n" + value if key in ann else value
        self.annotation_pos.setdefault(node, (lineno, raw))
        return True

    def rule(self, node: str, expression, lineno: int, column: int, raw: str) -> None:
        if not _expr.is_node_name(node):
            raise RuleSyntaxError(f"{node!r} is an operator or a constant, not a node name",
                                  source=self.source, line=lineno, column=column, text=raw)
        if node in self.rules:
            first = self.rules[node][1]
            raise RuleSyntaxError(
                f"node {node!r} is defined twice (first on line {first}, again on line {lineno}); "
                "a node has exactly one rule",
                source=self.source, line=lineno, column=column, text=raw)
        self.rules[node] = (expression, lineno, raw)

    def build(self, *, strict: bool) -> Network:
        from ..errors import LogicnetError

        if not self.rules:
            raise LogicnetError(f"{self.source}: no rules found (a rule looks like 'A* = B and not C' "
                                "in BooleanNet, 'A, B & !C' in .bnet)")
        nodes = list(self.rules)
        defined = set(nodes)
        free: list[str] = []
        first_use: dict[str, tuple[int, str, str]] = {}
        for node in nodes:
            expression, lineno, raw = self.rules[node]
            for s in sorted(_expr.symbols(expression), key=lambda s: _first_index(raw, s)):
                if s not in defined and s not in first_use:
                    first_use[s] = (lineno, raw, node)
                    free.append(s)
        if free:
            if strict:
                s = free[0]
                lineno, raw, node = first_use[s]
                hint = plausible_matches(s, nodes)
                msg = f"{s!r} is used in the rule of {node!r} but has no rule of its own"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise RuleSyntaxError(msg, source=self.source, line=lineno,
                                      column=_first_index(raw, s) + 1, text=raw)
            warn(free_input_message(self.source, free, nodes))
        rules = {n: self.rules[n][0] for n in nodes}
        for s in free:
            rules[s] = _expr.symbol(s)
        order = nodes + free
        for node, (lineno, raw) in self.annotation_pos.items():
            if node not in rules:
                col = raw.index(node) + 1 if node in raw else 1
                hint = close_matches(node, order)
                msg = f"this annotation is for {node!r}, which is not a node of the network"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise RuleSyntaxError(msg, source=self.source, line=lineno, column=col, text=raw)
        net = Network(tuple(order), rules, self.annotations, self.name)
        return restore_names(net, self.source)


def free_input_message(source: str, free: list[str], defined) -> str:
    """One compact sentence about names without a rule, with plausible corrections only."""
    shown = free if len(free) <= 12 else free[:12]
    more = f" and {len(free) - 12} more" if len(free) > 12 else ""
    hints = [f"{s} -> {plausible_matches(s, defined)[0]}" for s in free if plausible_matches(s, defined)]
    msg = (f"{source}: {len(free)} name(s) without a rule are free inputs that keep their value: "
           f"{', '.join(shown)}{more}")
    if hints:
        msg += " (possible typos: " + ", ".join(hints) + ")"
    return msg


def plausible_matches(name: str, known) -> list[str]:
    """Defined names that ``name`` is plausibly a typo of, best first.

    A match differs only in letter case, or by one edit (a changed, missing, extra or
    swapped character) that does not merely extend the name (``EGF`` is not a typo of
    ``EGFR``: models name a ligand and its receptor on purpose).

    Examples
    --------
    >>> plausible_matches("IGFR1", ["IGF1R", "INSR"]), plausible_matches("akt", ["AKT"])
    (['IGF1R'], ['AKT'])
    >>> plausible_matches("v_EGF", ["v_EGFR"]), plausible_matches("PI3K_", ["PI3K"])
    ([], ['PI3K'])
    """
    out = []
    for k in close_matches(name, known, n=5):
        if k.lower() == name.lower():
            out.insert(0, k)
        elif len(name) >= 3 and _one_edit(name, k) and not (k.startswith(name) and len(k) > len(name)):
            out.append(k)
    return out


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def restore_names(net: Network, source: str = "<string>") -> Network:
    """Give nodes with a ``name`` annotation (written when a format could not carry the
    name) their original name back, and drop the annotation."""
    wanted = {n: net.annotations[n]["name"] for n in net.nodes if "name" in net.annotations.get(n, {})}
    if not wanted:
        return net
    taken = set(net.nodes) - set(wanted)
    mapping = {}
    for node, name in wanted.items():
        if name and "\n" not in name and name not in taken and name not in mapping.values():
            mapping[node] = name
        else:
            logger.info("%s: keeping node %r: its recorded name %r is empty or taken", source, node, name)
    return rename_nodes(net, mapping, drop_name=True)


def rename_nodes(net: Network, mapping: dict[str, str], *, drop_name: bool = False,
                 keep_original: bool = False) -> Network:
    """``net`` with nodes renamed by ``mapping`` (same order, rules and annotations)."""
    if not mapping:
        return net
    sym = {old: _expr.symbol(new) for old, new in mapping.items()}
    rules = {mapping.get(n, n): _expr.rename(net.rules[n], sym) for n in net.nodes}
    ann = {}
    for n in net.nodes:
        a = dict(net.annotations.get(n, {}))
        if drop_name and n in mapping:
            a.pop("name", None)
        if keep_original and n in mapping:
            a["name"] = n
        if a:
            ann[mapping.get(n, n)] = a
    return Network(tuple(mapping.get(n, n) for n in net.nodes), rules, ann, net.name)


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


def _first_index(raw: str, name: str) -> int:
    m = re.search(r"(?<![A-Za-z0-9_.])" + re.escape(name) + r"(?![A-Za-z0-9_.])", raw)
    return m.start() if m else 0


def bad_name_error(body: str, separator: str, raw: str, lineno: int, source: str) -> RuleSyntaxError | None:
    """The error for a rule whose node name (before ``separator``) is not a valid name, or None."""
    m = re.match(r"\s*(?:[0-9]+\s*:\s*)?(?P<node>[^\s*=,#][^*=,#]*?)" + separator, body)
    if m is None or _expr.is_node_name(m.group("node")):
        return None
    node = m.group("node")
    at = m.start("node")
    if node.lower() in ("and", "or", "not", "true", "false"):
        msg = f"{node!r} is an operator or a constant, not a node name"
    else:
        bad = next((i for i, ch in enumerate(node) if not re.match(r"[A-Za-z0-9_.+\-]", ch)), None)
        if bad is None:
            bad = 0
            what = "starts with a character that cannot start a name" if not node.isdigit() else "is a number"
            msg = f"the node name {node!r} {what}; {_expr.NAME_RULE}"
        else:
            msg = f"the node name {node!r} contains {node[bad]!r}; {_expr.NAME_RULE}"
        at += bad
    return RuleSyntaxError(msg, source=source, line=lineno, column=at + 1, text=raw)


def split_comment(raw: str) -> str:
    """The part of a line before a trailing '#' comment (positions unchanged)."""
    i = raw.find("#")
    return raw if i < 0 else raw[:i]


def annotation_lines(net: Network, *, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """Structured comments for the model name and every node annotation."""
    if net.name:
        yield f"# @name {net.name}"
    for node in net.nodes:
        for key, value in net.annotations.get(node, {}).items():
            if key in skip:
                continue
            for part in value.split("\n"):
                yield f"# @{_KEY_OUT.get(key, key)} {node}: {part}".rstrip()


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
