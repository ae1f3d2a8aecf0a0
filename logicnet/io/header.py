"""The comments at the top of a rule file (a citation, a licence), kept across formats.

``logicnet convert`` carries them over: as ``#`` comments in BooleanNet and .bnet,
``//`` comments in MaBoSS, and as the model's notes (one XHTML paragraph a line) in
SBML-qual, read back from there the same way.
"""

from __future__ import annotations

from ..errors import LogicnetError

__all__ = ["leading_comments", "write_with_header"]


def leading_comments(path, fmt: str | None = None) -> list[str]:
    """The comment lines at the top of a rule file (a citation, a licence), without the
    ``#``; structured annotations (``# @...``) are not among them (the network carries
    them).  For SBML-qual, the paragraphs of the model's notes.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "m.bnet")
    >>> _ = open(p, "w").write("# Faure et al. 2006\\n#\\n# @name cell cycle\\ntargets, factors\\nA, A\\n# later\\n")
    >>> leading_comments(p)
    ['Faure et al. 2006']
    """
    from . import format_of

    try:
        name = format_of(path, fmt)
    except LogicnetError:  # the reader has already accepted the file
        return []
    if name == "sbml":
        return _sbml_notes(path)
    mark = "//" if name == "maboss" else "#"
    out: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            text = line.strip()
            if not text:
                if out:
                    out.append("")
                continue
            if not text.startswith(mark):
                break
            body = text[len(mark):].strip()
            if body.startswith("@"):
                continue
            out.append(body)
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def _sbml_notes(path) -> list[str]:
    import re

    import libsbml

    doc = libsbml.readSBMLFromFile(str(path))
    model = doc.getModel()
    if model is None or not model.isSetNotes():
        return []
    text = model.getNotesString()
    paras = re.findall(r"<p[^>]*>(.*?)</p>", text, re.S)
    from html import unescape

    return [unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in paras]


def write_with_header(net, target: str, fmt: str, header: list[str]) -> None:
    """Write ``net`` to ``target`` in format ``fmt`` (atomically, as :func:`write_network`);
    ``header`` lines go first as comments, or as the model's notes in SBML.

    Examples
    --------
    >>> import tempfile, os
    >>> from logicnet import Network
    >>> p = os.path.join(tempfile.mkdtemp(), "m.rules")
    >>> write_with_header(Network.from_rules("A* = A"), p, "booleannet", ["Faure et al. 2006"])
    >>> print(open(p).read(), end="")
    # Faure et al. 2006
    <BLANKLINE>
    A* = A
    """
    import os
    import tempfile

    from . import write_network
    from ._common import atomic_write_bytes

    if not header:
        write_network(net, target, fmt)
        return
    with tempfile.TemporaryDirectory() as tmp:
        suffix = {"booleannet": ".rules", "bnet": ".bnet", "sbml": ".sbml", "maboss": ".bnd"}[fmt]
        scratch = os.path.join(tmp, "network" + suffix)
        write_network(net, scratch, fmt)
        if fmt == "maboss":  # a .bnd comes with its .cfg: header in the .bnd only
            cfg = scratch[:-4] + ".cfg"
            target_cfg = os.path.splitext(target)[0] + ".cfg"
            with open(cfg, "rb") as f:
                atomic_write_bytes(f.read(), target_cfg)
        with open(scratch, "rb") as f:
            data = f.read()
    if fmt == "sbml":
        data = _with_sbml_notes(data, header)
    else:
        lead = "//" if fmt == "maboss" else "#"
        data = "".join(f"{lead} {h}".rstrip() + "\n" for h in header).encode() + b"\n" + data
    atomic_write_bytes(data, target)


def _with_sbml_notes(data: bytes, header: list[str]) -> bytes:
    from html import escape

    import libsbml

    doc = libsbml.readSBMLFromString(data.decode("utf-8"))
    paras = "".join(f"<p>{escape(h)}</p>" for h in header if h)
    doc.getModel().setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml">{paras}</body>')
    return libsbml.writeSBMLToString(doc).encode("utf-8")
