"""Reading and writing networks: one module per format, one dispatcher.

Each format module has ``parse_X(lines)``, ``read_X(path)``, ``generate_X(net)`` and
``write_X(net, path)``.  :func:`read_network` and :func:`write_network` choose the
format from the file suffix, or from ``format=``.

Examples
--------
>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "toy.bnet")
>>> write_network(Network.from_rules("A* = not A"), p)
>>> read_network(p).nodes
('A',)
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LogicnetError
from ..network import Network
from ._common import atomic_open, check_writable
from .bnet import generate_bnet, parse_bnet, read_bnet, write_bnet
from .booleannet import generate_booleannet, parse_booleannet, read_booleannet, write_booleannet

__all__ = [
    "read_network",
    "write_network",
    "format_of",
    "resolve_path",
    "atomic_open",
    "check_writable",
    "FORMATS",
    "parse_bnet", "read_bnet", "generate_bnet", "write_bnet",
    "parse_booleannet", "read_booleannet", "generate_booleannet", "write_booleannet",
]

#: Format name -> file suffixes.
FORMATS: dict[str, tuple[str, ...]] = {
    "booleannet": (".rules", ".txt", ".booleannet"),
    "bnet": (".bnet",),
    "sbml": (".sbml", ".xml"),
    "maboss": (".bnd",),
}


def _sbml_reader(path, *, strict=False, names=True):
    from .sbmlqual import read_sbmlqual

    return read_sbmlqual(path, strict=strict, names=names)


def _sbml_writer(net, path):
    from .sbmlqual import write_sbmlqual

    write_sbmlqual(net, path)


def _maboss_reader(path, *, strict=False):
    """The network of a MaBoSS .bnd (its .cfg, if beside it, is checked too)."""
    from .maboss import read_maboss

    cfg = Path(path).with_suffix(".cfg")
    return read_maboss(path, cfg if cfg.exists() else None).network


def _maboss_writer(net, path):
    """A MaBoSS .bnd and, beside it, a .cfg with every rate 1."""
    from .maboss import write_maboss

    write_maboss(net, path, Path(path).with_suffix(".cfg"))


READERS = {"booleannet": read_booleannet, "bnet": read_bnet, "sbml": _sbml_reader, "maboss": _maboss_reader}
WRITERS = {"booleannet": write_booleannet, "bnet": write_bnet, "sbml": _sbml_writer, "maboss": _maboss_writer}
_ALIASES = {"rules": "booleannet", "boolnet": "bnet", "sbml-qual": "sbml", "sbmlqual": "sbml", "xml": "sbml",
            "bnd": "maboss"}


def format_of(path: str | os.PathLike, format: str | None = None) -> str:
    """The format name for ``path`` (from ``format`` if given, else the suffix).

    Examples
    --------
    >>> format_of("model.rules"), format_of("x.txt", "bnet")
    ('booleannet', 'bnet')
    """
    if format is not None:
        name = _ALIASES.get(format.lower(), format.lower())
        if name not in FORMATS:
            raise LogicnetError(f"unknown format {format!r}; known formats: {', '.join(FORMATS)}")
        return name
    if str(path) in ("-", "/dev/stdout"):
        raise LogicnetError(f"writing to standard output ({path}) needs the format: give it "
                            f"(format=): {', '.join(FORMATS)}", advice=("format",))
    suffix = Path(path).suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    raise LogicnetError(
        f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
        f"rename it with one of {', '.join(s for ss in FORMATS.values() for s in ss)} (or give the format: "
        f"format= in Python)", advice=("input format",))


def _sniff_text(path) -> str:
    """The rule format of a ``.txt`` file from its first rule: ``A* = ...`` is BooleanNet,
    ``A, ...`` (or a ``targets, factors`` header) is .bnet."""
    import re

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                if re.match(r"[\w.]+\s*\*\s*=", text):
                    return "booleannet"
                if re.match(r"[\w.]+\s*,", text):
                    return "bnet"
                break
    except OSError:  # the reader reports it
        pass
    return "booleannet"


def read_network(path: str | os.PathLike, format: str | None = None, *, strict: bool = False,
                 names: bool = True) -> Network:
    """Read a network from a rule file in any supported format.

    Parameters
    ----------
    path : path-like
        The file.
    format : {"booleannet", "bnet", "sbml"}, optional
        Overrides the suffix.
    strict : bool
        Names without a rule are an error instead of free inputs; for SBML-qual,
        documents that break SBML's rules are refused.
    names : bool
        SBML-qual only: name nodes by the species' ``name`` where unique and valid
        (default), or by species id (``False``).  Rule files ignore it.

    A path that does not exist but names a bundled model (``"faure2006_cell_cycle"``,
    ``"networks/igf_axis.rules"``) reads that model.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.rules")
    >>> _ = open(p, "w").write("A* = B\\nB* = A\\n")
    >>> read_network(p).nodes
    ('A', 'B')
    """
    path = resolve_path(path)
    if path.is_dir():
        raise LogicnetError(f"{path} is a directory; give one model file in it (.bnet, .rules, .sbml, ...)")
    fmt = format_of(path, format)
    if format is None and Path(path).suffix.lower() == ".txt":
        fmt = _sniff_text(path)
    if fmt == "sbml":
        return READERS[fmt](path, strict=strict, names=names)
    return READERS[fmt](path, strict=strict)


def resolve_path(path: str | os.PathLike) -> Path:
    """``path`` if it exists, else the bundled model it names, else ``path`` unchanged.

    Examples
    --------
    >>> resolve_path("faure2006_cell_cycle").name
    'faure2006_cell_cycle.bnet'
    """
    p = Path(path)
    if p.exists():
        return p
    from ..networks import bundled_path

    found = bundled_path(str(path))
    return found if found is not None else p


def write_network(net: Network, path: str | os.PathLike, format: str | None = None) -> None:
    """Write a network; the file appears complete or not at all.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.rules")
    >>> write_network(Network.from_rules("A* = A"), p)
    >>> open(p).read()
    'A* = A\\n'
    """
    WRITERS[format_of(path, format)](net, path)
