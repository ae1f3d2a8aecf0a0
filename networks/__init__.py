"""Models bundled with logicnet, found by name from any directory.

Examples
--------
>>> from logicnet.networks import bundled, bundled_path
>>> "faure2006_cell_cycle.bnet" in bundled()
True
>>> bundled_path("networks/faure2006_cell_cycle.bnet").name
'faure2006_cell_cycle.bnet'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled", "bundled_path", "HERE"]

#: The folder that holds the bundled model files.
HERE = Path(__file__).resolve().parent
_SUFFIXES = (".toml", ".rules", ".bnet", ".sbml")


def bundled() -> list[str]:
    """File names of the bundled models and studies, sorted.

    Examples
    --------
    >>> all(name.endswith(_SUFFIXES) for name in bundled())
    True
    """
    return sorted(p.name for p in HERE.iterdir() if p.suffix in _SUFFIXES)


def bundled_path(name: str) -> Path | None:
    """The bundled file meant by ``name`` (``igf_axis``, ``igf_axis.toml``,
    ``networks/igf_axis.toml``), or ``None``.

    Examples
    --------
    >>> bundled_path("no_such_model") is None
    True
    """
    base = Path(name).name
    candidate = HERE / base
    if candidate.suffix in _SUFFIXES and candidate.is_file():
        return candidate
    for suffix in _SUFFIXES:
        candidate = HERE / (base + suffix)
        if candidate.is_file():
            return candidate
    return None
