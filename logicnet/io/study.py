"""Study files (TOML): a network plus phenotypes, a drug library, cell contexts and findings.

A study says what the states of a model mean and which experiments it must
reproduce.  Schema (all sections but ``[study]`` optional)::

    [study]
    name = "..."
    network = "model.rules"          # relative to the study file
    description = "..."
    notes = "..."

    [phenotypes]                     # name = Boolean expression over nodes
    resistant = "Proliferation or not Apoptosis"
    sensitive = "not Proliferation and Apoptosis"

    [drugs.linsitinib]
    inhibits = ["IGF1R", "INSR"]     # fixed to 0
    activates = []                   # fixed to 1
    description = "..."
    evidence = "..."
    aliases = ["OSI-906"]

    [contexts."InsR-A high"]
    description = "..."
    fix = { INSR_A_high = 1 }        # inputs and mutations
    phenotypes = { sensitive = "..." }   # optional overrides for this context
    evidence = "..."

    [rates]                          # optional, asynchronous probabilities and simulate
    IGF1R = [2.0, 0.5]               # rate up, rate down (default 1, 1); one number: both

    [[findings]]
    id = "F2"
    title = "..."
    context = "InsR-A high"
    drugs = ["cixutumumab"]
    fix = {}                         # extra knockouts (0) / overexpression (1)
    expect = "resistant"             # must hold in every state of every attractor
    evidence = "..."

A condition applies the context's ``fix``, then the drugs (which override the
context), then the extra ``fix`` (which overrides both).

Examples
--------
>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> _ = open(os.path.join(d, "toy.rules"), "w").write("L* = L\\nR* = L\\nP* = R\\n")
>>> _ = open(os.path.join(d, "toy.toml"), "w").write('''
... [study]
... network = "toy.rules"
... [phenotypes]
... sensitive = "not P"
... [drugs.blocker]
... inhibits = ["R"]
... [contexts.stimulated]
... fix = { L = 1 }
... ''')
>>> study = read_study(os.path.join(d, "toy.toml"))
>>> cond = study.condition(context="stimulated", drugs=["blocker"])
>>> cond.fix, cond.label
({'L': 1, 'R': 0}, 'context stimulated + blocker')
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LogicnetError, RuleSyntaxError, UnknownNodeError, close_matches
from ..network import Network, fix_label  # noqa: F401 - fix_label is this module's too
from ..phenotype import Phenotype

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Study", "Drug", "Context", "Finding", "StudyCondition", "read_study", "parse_study"]


@dataclass(frozen=True)
class Drug:
    """A drug of the library: the nodes it inhibits (fixed to 0) or activates (fixed to 1).

    Examples
    --------
    >>> Drug("linsitinib", ("IGF1R", "INSR")).fix
    {'IGF1R': 0, 'INSR': 0}
    """

    name: str
    inhibits: tuple[str, ...] = ()
    activates: tuple[str, ...] = ()
    description: str = ""
    evidence: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def fix(self) -> dict[str, int]:
        """The nodes this drug fixes.

        Examples
        --------
        >>> Drug("x", activates=("A",)).fix
        {'A': 1}
        """
        out = {n: 0 for n in self.inhibits}
        out.update({n: 1 for n in self.activates})
        return out

    @property
    def targets(self) -> tuple[str, ...]:
        """All nodes the drug acts on.

        Examples
        --------
        >>> Drug("x", ("A",), ("B",)).targets
        ('A', 'B')
        """
        return self.inhibits + self.activates


@dataclass(frozen=True)
class Context:
    """A named cell context: inputs present or absent, mutations, overexpression.

    Examples
    --------
    >>> Context("HCC", {"Hypoxia": 0}).fix
    {'Hypoxia': 0}
    """

    name: str
    fix: Mapping[str, int] = field(default_factory=dict)
    phenotypes: Mapping[str, Phenotype] = field(default_factory=dict)
    description: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Finding:
    """A documented observation the model must reproduce.

    Examples
    --------
    >>> Finding("F1", "HCC under lenvatinib", "HCC", ("lenvatinib",), {}, "resistant").drugs
    ('lenvatinib',)
    """

    id: str
    title: str
    context: str | None
    drugs: tuple[str, ...]
    fix: Mapping[str, int]
    expect: str
    evidence: str = ""
    line: int | None = None


@dataclass(frozen=True)
class StudyCondition:
    """One experimental condition: what is fixed, and the phenotypes that apply.

    Examples
    --------
    >>> StudyCondition({"A": 0}, {}, "A=0").fix
    {'A': 0}
    """

    fix: Mapping[str, int]
    phenotypes: Mapping[str, Phenotype]
    label: str
    context: str | None = None
    drugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A network with its phenotypes, drug library, contexts and findings.

    Examples
    --------
    >>> s = Study("toy", Network.from_rules("A* = A"), {}, {}, {}, ())
    >>> s.condition().label
    'baseline'
    """

    name: str
    network: Network
    phenotypes: Mapping[str, Phenotype]
    drugs: Mapping[str, Drug]
    contexts: Mapping[str, Context]
    findings: tuple[Finding, ...]
    description: str = ""
    notes: str = ""
    path: str = ""
    rates: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """``{node: (rate_up, rate_down)}`` from ``[rates]``."""

    def drug(self, name: str) -> Drug:
        """The drug called ``name`` (case-insensitive; aliases accepted).

        Raises
        ------
        UnknownNodeError
            With close matches among the library's names.

        Examples
        --------
        >>> s = Study("t", Network.from_rules("A* = A"), {}, {"linsitinib": Drug("linsitinib", ("A",),
        ...           aliases=("OSI-906",))}, {}, ())
        >>> s.drug("osi-906").name
        'linsitinib'
        """
        if name in self.drugs:
            return self.drugs[name]
        low = name.lower()
        for d in self.drugs.values():
            if d.name.lower() == low or low in (a.lower() for a in d.aliases):
                return d
        names = list(self.drugs) + [a for d in self.drugs.values() for a in d.aliases]
        raise _listing(UnknownNodeError(name, names, what="drug", owner="the study's library"), "drugs", list(self.drugs))

    def context(self, name: str) -> Context:
        """The context called ``name`` (case-insensitive).

        Examples
        --------
        >>> s = Study("t", Network.from_rules("A* = A"), {}, {}, {"HCC": Context("HCC")}, ())
        >>> s.context("hcc").name
        'HCC'
        """
        if name in self.contexts:
            return self.contexts[name]
        for c in self.contexts.values():
            if c.name.lower() == name.lower():
                return c
        raise _listing(UnknownNodeError(name, list(self.contexts), what="context", owner="the study"), "contexts",
                       list(self.contexts))

    def condition(self, *, context: str | None = None, drugs: Sequence[str] = (),
                  fix: Mapping[str, int] | None = None) -> StudyCondition:
        """The fixed nodes and phenotypes of a context + drugs + extra fixes.

        Drugs override the context; ``fix`` overrides both.

        Examples
        --------
        >>> s = Study("t", Network.from_rules("A* = A\\nB* = A"), {}, {"d": Drug("d", ("B",))},
        ...           {"c": Context("c", {"A": 1})}, ())
        >>> s.condition(context="c", drugs=["d"], fix={"B": 1}).fix
        {'A': 1, 'B': 1}
        """
        out: dict[str, int] = {}
        phen = dict(self.phenotypes)
        parts = []
        ctx_name = None
        if context:
            ctx = self.context(context)
            ctx_name = ctx.name
            out.update(ctx.fix)
            phen.update(ctx.phenotypes)
            parts.append(f"context {ctx.name}")
        names = []
        for d in drugs:
            drug = self.drug(d)
            names.append(drug.name)
            out.update(drug.fix)
        if names:
            parts.append(" + ".join(names))
        for node, value in (fix or {}).items():
            self.network.check_node(node)
            out[node] = int(value)
        if fix:
            parts.append(fix_label(self.network, fix))
        label = " + ".join(parts) if parts else "baseline"
        return StudyCondition(out, phen, label, ctx_name, tuple(names))


def _listing(err: UnknownNodeError, what: str, names: list[str]) -> UnknownNodeError:
    """Add the available names to an unknown-name error."""
    shown = ", ".join(names[:60]) + (f" and {len(names) - 60} more" if len(names) > 60 else "")
    err.message += f"; the study's {what}: {shown}" if names else f"; the study defines no {what}"
    err.args = (err.message,)
    return err


# -- reading ------------------------------------------------------------------


class _Locator:
    """Finds where a key or value sits in the TOML text, for error positions."""

    def __init__(self, source: str, text: str):
        self.source = source
        self.lines = text.splitlines()

    def section(self, table: str, key: str | int | None = None) -> tuple[int, int]:
        """0-based line range of ``[table.key]`` (or the ``key``-th ``[[table]]``), else the whole file."""
        headers = [i for i, line in enumerate(self.lines) if re.match(r"\s*\[", line)]
        start = None
        if isinstance(key, int):
            arrays = [i for i in headers if re.match(r"\s*\[\[\s*" + re.escape(table) + r"\s*\]\]", self.lines[i])]
            start = arrays[key] if key < len(arrays) else None
        elif key is not None:
            quoted = r"(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"')"
            pat = re.compile(r"\s*\[\s*" + re.escape(table) + r"\s*\.\s*" + quoted + r"\s*\]")
            start = next((i for i in headers if pat.match(self.lines[i])), None)
        if start is None:
            return 0, len(self.lines)
        end = next((i for i in headers if i > start), len(self.lines))
        return start, end

    def error(self, message: str, *needles: str, within: tuple | None = None) -> RuleSyntaxError:
        lo, hi = self.section(*within) if within else (0, len(self.lines))
        for span in ((lo, hi), (0, len(self.lines))):
            for needle in needles:
                if not needle:
                    continue
                pat = re.compile(r"(?<![A-Za-z0-9_.-])" + re.escape(needle) + r"(?![A-Za-z0-9_])")
                for i in range(*span):
                    m = pat.search(self.lines[i])
                    if m:
                        return RuleSyntaxError(message, source=self.source, line=i + 1, column=m.start() + 1,
                                               text=self.lines[i])
        return RuleSyntaxError(message, source=self.source, line=None)


def _str(v, what, loc: _Locator) -> str:
    if not isinstance(v, str):
        raise loc.error(f"{what} must be text in quotes", what.split()[-1])
    return v


def _names(v, what, loc: _Locator) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise loc.error(f"{what} must be a list of names in quotes, like [\"IGF1R\", \"INSR\"]", what.split()[-1])
    return tuple(v)


def _fix(v, what, net: Network, loc: _Locator, within: tuple | None = None) -> dict[str, int]:
    if not isinstance(v, Mapping):
        raise loc.error(f"{what} must be a table like {{ IGF1R = 0, INSR = 1 }}", what.split()[-1], within=within)
    out = {}
    for k, x in v.items():
        if k not in net.rules:
            hint = close_matches(k, net.nodes)
            msg = f"{what} names {k!r}, which is not a node of the network"
            if hint:
                msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
            raise loc.error(msg, k, within=within)
        if isinstance(x, bool):
            x = int(x)
        if x not in (0, 1):
            raise loc.error(f"{what}: the value of {k!r} must be 0 or 1, not {x!r}", k, within=within)
        out[k] = int(x)
    return out


def _phenotypes(v, what, net: Network, loc: _Locator, within: tuple | None = None) -> dict[str, Phenotype]:
    if not isinstance(v, Mapping):
        raise loc.error(f"{what} must be a table of name = \"expression\"", what.split()[-1])
    out = {}
    for name, text in v.items():
        text = _str(text, f"phenotype {name}", loc)
        try:
            p = Phenotype.parse(name, text, source=loc.source)
        except RuleSyntaxError as e:
            raise loc.error(f"phenotype {name!r}: {e.message}", text, name, within=within) from None
        for s in sorted(_symbols(p)):
            if s not in net.rules:
                hint = close_matches(s, net.nodes)
                msg = f"phenotype {name!r} uses {s!r}, which is not a node of the network"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise loc.error(msg, s, name, within=within)
        out[name] = p
    return out


def _symbols(p: Phenotype):
    from ..expr import symbols

    return symbols(p.expression)


_KNOWN = {
    "study": {"name", "network", "description", "notes"},
    "drug": {"inhibits", "activates", "description", "evidence", "aliases", "class"},
    "context": {"fix", "phenotypes", "description", "evidence"},
    "finding": {"id", "title", "context", "drugs", "fix", "expect", "evidence"},
}


def _check_keys(table: Mapping, kind: str, where: str, loc: _Locator) -> None:
    for k in table:
        if k not in _KNOWN[kind]:
            hint = difflib.get_close_matches(k, sorted(_KNOWN[kind]), n=1)
            msg = f"unknown key {k!r} in {where}"
            if hint:
                msg += f" (did you mean {hint[0]!r}?)"
            raise loc.error(msg, k)


def parse_study(text: str, *, source: str = "<string>", base: str | os.PathLike = ".",
                network: Network | None = None, strict: bool = False) -> Study:
    """Build a :class:`Study` from TOML text; ``base`` is where the network path starts.

    Raises
    ------
    RuleSyntaxError
        With file, line and column of the problem (bad TOML, unknown node, drug or context).

    Examples
    --------
    >>> s = parse_study('[study]\\nname = "t"\\n[phenotypes]\\non = "A"', network=Network.from_rules("A* = A"))
    >>> list(s.phenotypes)
    ['on']
    """
    loc = _Locator(source, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        plain = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        shown = loc.lines[line - 1] if line and line <= len(loc.lines) else None
        raise RuleSyntaxError(f"this is not valid TOML: {plain}", source=source, line=line, column=col,
                              text=shown) from None
    for key in data:
        if key not in ("study", "phenotypes", "drugs", "contexts", "findings", "rates"):
            raise loc.error(f"unknown section [{key}]; a study has [study], [phenotypes], [drugs.NAME], "
                            "[contexts.NAME], [rates] and [[findings]]", key)
    head = data.get("study", {})
    if not isinstance(head, Mapping):
        raise loc.error("[study] must be a table", "study")
    _check_keys(head, "study", "[study]", loc)
    if network is None:
        if "network" not in head:
            raise loc.error("[study] needs network = \"file\" (the rule file, relative to the study)", "study")
        from . import read_network

        net_path = Path(base) / _str(head["network"], "[study] network", loc)
        if not net_path.exists():
            raise loc.error(f"the network file {str(net_path)!r} does not exist", head["network"])
        network = read_network(net_path, strict=strict)
    net = network
    phenotypes = _phenotypes(data.get("phenotypes", {}), "[phenotypes]", net, loc)
    drugs = _drugs(data.get("drugs") or {}, net, loc)
    contexts: dict[str, Context] = {}
    for name, c in (data.get("contexts") or {}).items():
        if not isinstance(c, Mapping):
            raise loc.error(f"[contexts.{name}] must be a table", name)
        _check_keys(c, "context", f"[contexts.{name}]", loc)
        contexts[name] = Context(name, _fix(c.get("fix", {}), f"context {name!r} fix", net, loc,
                                            within=("contexts", name)),
                                 _phenotypes(c.get("phenotypes", {}), f"context {name!r} phenotypes", net, loc,
                                             within=("contexts", name)),
                                 str(c.get("description", "")), str(c.get("evidence", "")))
    raw_findings = data.get("findings") or []
    if not isinstance(raw_findings, list):
        raise loc.error("findings are written as [[findings]] tables", "findings")
    study = Study(str(head.get("name", Path(source).stem)), net, phenotypes, drugs, contexts, (),
                  str(head.get("description", "")), str(head.get("notes", "")), source)
    findings = _findings(raw_findings, study, loc)
    return Study(study.name, net, phenotypes, drugs, contexts, tuple(findings), study.description, study.notes,
                 source, _rates(data.get("rates", {}), net, loc))


def _drugs(raw, net: Network, loc: _Locator) -> dict[str, Drug]:
    """``[drugs.NAME]``: each drug's targets, checked against the network."""
    drugs: dict[str, Drug] = {}
    for name, d in raw.items():
        if not isinstance(d, Mapping):
            raise loc.error(f"[drugs.{name}] must be a table", name)
        _check_keys(d, "drug", f"[drugs.{name}]", loc)
        inhibits = _names(d.get("inhibits", []), f"[drugs.{name}] inhibits", loc)
        activates = _names(d.get("activates", []), f"[drugs.{name}] activates", loc)
        if not inhibits and not activates:
            raise loc.error(f"drug {name!r} neither inhibits nor activates any node", name)
        for node in inhibits + activates:
            if node not in net.rules:
                hint = close_matches(node, net.nodes)
                msg = f"drug {name!r} acts on {node!r}, which is not a node of the network"
                if hint:
                    msg += " (did you mean " + ", ".join(repr(h) for h in hint) + "?)"
                raise loc.error(msg, node, within=("drugs", name))
        drugs[name] = Drug(name, inhibits, activates, str(d.get("description", d.get("class", ""))),
                           str(d.get("evidence", "")), _names(d.get("aliases", []), f"[drugs.{name}] aliases", loc))
    return drugs


def _findings(raw_findings, study: Study, loc: _Locator) -> list[Finding]:
    """``[[findings]]``: each finding's condition and expected phenotype, checked against the
    study (its contexts, drugs and phenotypes)."""
    net, phenotypes, contexts = study.network, study.phenotypes, study.contexts
    findings: list[Finding] = []
    for f in raw_findings:
        _check_keys(f, "finding", "[[findings]]", loc)
        fid = str(f.get("id", f"#{len(findings) + 1}"))
        ctx = f.get("context")
        if ctx is not None and ctx not in contexts:
            raise loc.error(f"finding {fid}: unknown context {ctx!r}"
                            + (f" (did you mean {close_matches(ctx, contexts)[0]!r}?)" if close_matches(ctx, contexts) else ""),
                            ctx)
        fdrugs = _names(f.get("drugs", []), f"finding {fid} drugs", loc)
        for d in fdrugs:
            try:
                study.drug(d)
            except UnknownNodeError as e:
                raise loc.error(f"finding {fid}: {e}", d) from None
        expect = f.get("expect")
        if not isinstance(expect, str):
            raise loc.error(f"finding {fid} needs expect = \"PHENOTYPE\"", fid)
        allowed = set(phenotypes) | (set(contexts[ctx].phenotypes) if ctx else set())
        if expect not in allowed:
            raise loc.error(f"finding {fid}: expected phenotype {expect!r} is not defined "
                            f"(known: {', '.join(sorted(allowed))})", expect)
        findings.append(Finding(fid, str(f.get("title", "")), ctx, fdrugs,
                                _fix(f.get("fix", {}), f"finding {fid} fix", net, loc,
                                     within=("findings", len(findings))), expect,
                                str(f.get("evidence", ""))))
    return findings


def _rates(v, net: Network, loc: _Locator) -> dict[str, tuple[float, float]]:
    """``[rates]``: ``NODE = [UP, DOWN]`` or ``NODE = RATE``, finite and >= 0."""
    if not isinstance(v, Mapping):
        raise loc.error("[rates] must be a table of NODE = [rate_up, rate_down]", "rates")
    out = {}
    for node, r in v.items():
        if node not in net.rules:
            hint = close_matches(node, net.nodes)
            raise loc.error(f"[rates] names {node!r}, which is not a node of the network"
                            + (" (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""), node)
        pair = [r, r] if isinstance(r, (int, float)) and not isinstance(r, bool) else r
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in pair)
                or not all(x >= 0 and x != float("inf") for x in pair)):
            raise loc.error(f"the rates of {node!r} must be [rate_up, rate_down], two numbers >= 0 (or one number)",
                            node)
        out[node] = (float(pair[0]), float(pair[1]))
    return out


def read_study(path: str | os.PathLike, *, strict: bool = False) -> Study:
    """Read a study file; its network path is relative to the study file.

    A path that does not exist but names a bundled study (``"igf_axis"``,
    ``"networks/igf_axis.toml"``) reads that study.

    Examples
    --------
    >>> from logicnet.networks import bundled_path
    >>> read_study(bundled_path("igf_axis.toml")).network.n_nodes > 50
    True
    """
    from . import resolve_path

    path = resolve_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LogicnetError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LogicnetError(f"{path}: cannot be read ({e})") from None
    return parse_study(text, source=str(path), base=path.parent, strict=strict)

