"""Helpers shared by the rule-file formats: annotations, assembly, atomic writes."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import expr as _expr
from ..errors import LogicnetWarning, RuleSyntaxError, close_matches
from ..network import Network

logger = logging.getLogger(__name__)

_ANNOTATION = re.compile(r"^\s*#\s*@(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\b[ \t]*(?P<rest>.*)$")
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
        if node in self.rules:
            first = self.rules[node][1]
            raise RuleSyntaxError(
                f"node {node!r} is defined twice (first on line {first}, again on line {lineno}); "
                "a node has exactly one rule",
                source=self.source, line=lineno, column=column, text=raw)
        self.rules[node] = (expression, lineno, raw)

    def build(self, *, strict: bool) -> Network:
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
                hint = close_matches(s, nodes)
                msg = f"{s!r} is used in the rule of {node!r} but has no rule of its own"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise RuleSyntaxError(msg, source=self.source, line=lineno,
                                      column=_first_index(raw, s) + 1, text=raw)
            parts = []
            for s in free:
                hint = close_matches(s, nodes)
                parts.append(s + (" (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""))
            warnings.warn(
                f"{self.source}: {len(free)} name(s) have no rule and are treated as free inputs "
                f"that keep their value: {', '.join(parts)}",
                LogicnetWarning, stacklevel=4)
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
        return Network(tuple(order), rules, self.annotations, self.name)


def _first_index(raw: str, name: str) -> int:
    m = re.search(r"(?<![A-Za-z0-9_.])" + re.escape(name) + r"(?![A-Za-z0-9_.])", raw)
    return m.start() if m else 0


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
                yield f"# @{key} {node}: {part}".rstrip()


def _umask_mode() -> int:
    """The mode a newly created file gets (0666 less the umask), as open() would give it."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w"):
    """Open a temporary file beside ``path``; on success it is renamed onto ``path``.

    Nothing is half-written: if the block raises, the target is untouched and the
    temporary file is removed.  A target that cannot be written is a LogicnetError.
    """
    from ..errors import LogicnetError

    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise LogicnetError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with (os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")) as fh:
            yield fh
        os.chmod(tmp, _umask_mode())  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
