"""Options and argument handling shared by the commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from logicnet.errors import LogicnetError

FORMAT_CHOICE = click.Choice(["table", "json", "csv"])


def resolve_input(name: str) -> Path:
    """A path that exists, or the bundled model of that name."""
    p = Path(name)
    if p.exists():
        return p
    from logicnet.networks import bundled, bundled_path

    found = bundled_path(name)
    if found is not None:
        return found
    raise LogicnetError(f"{name}: no such file (bundled models: {', '.join(bundled())})")


def load_network(name: str, *, fmt: str | None = None, strict: bool = False, names: bool = True):
    """Read a network from a rule file, or the network of a study file."""
    path = resolve_input(name)
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        return read_study(path, strict=strict).network
    from logicnet.io import read_network

    return read_network(path, fmt, strict=strict, names=names)


def parse_fix(items) -> dict[str, int]:
    """``["A=1", "B=0"]`` -> ``{"A": 1, "B": 0}`` (usage errors exit 2)."""
    out: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or value.strip() not in ("0", "1") or not name.strip():
            raise click.BadParameter(f"{item!r}: write NODE=0 or NODE=1", param_hint="--fix")
        name, v = name.strip(), int(value.strip())
        if out.get(name, v) != v:
            raise click.BadParameter(f"{name} is fixed to both {out[name]} and {v}; give one value", param_hint="--fix")
        out[name] = v
    return out


@dataclass
class Condition:
    """A network with everything fixed that the command line or a study asks for."""

    network: object
    fix: dict = field(default_factory=dict)
    phenotypes: dict = field(default_factory=dict)
    label: str = ""
    study: object = None


def load_condition(name: str, *, context: str | None = None, drugs=(), fixes=None, strict: bool = False,
                   names: bool = True) -> Condition:
    """The network of FILE, plus a study's context and drugs, plus --fix."""
    path = resolve_input(name)
    fixes = dict(fixes or {})
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        study = read_study(path, strict=strict)
        cond = study_condition(study, context, drugs, fixes)
        return Condition(study.network, dict(cond.fix), dict(cond.phenotypes), cond.label, study)
    if context or drugs:
        raise click.UsageError(f"{name}: --context and --drug need a study file (.toml), not a rule file")
    net = read_quietly_fixed(path, fixes, strict=strict, names=names)
    check_fix_nodes(net, fixes)
    from logicnet.network import fix_label

    label = fix_label(net, fixes)
    return Condition(net, fixes, {}, label)


def read_quietly_fixed(path, fixes, **kwargs):
    """``read_network``, warning about free inputs only for those that --fix leaves free."""
    import warnings

    from logicnet.errors import FreeInputWarning, warn
    from logicnet.io import read_network
    from logicnet.ruletext import free_input_message

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read_network(path, **kwargs)
    for w in caught:
        if isinstance(w.message, FreeInputWarning):
            left = [x for x in w.message.inputs if x not in fixes]
            if left:
                warn(free_input_message(w.message.source, left, w.message.defined))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return net


def study_condition(study, context, drugs, fixes):
    """``study.condition(...)``; an unknown context, drug or --fix node is a usage error."""
    from logicnet.errors import UnknownNodeError

    if context:
        try:
            study.context(context)
        except UnknownNodeError as e:
            raise click.BadParameter(str(e), param_hint="--context") from None
    for d in drugs:
        try:
            study.drug(d)
        except UnknownNodeError as e:
            raise click.BadParameter(str(e), param_hint="--drug") from None
    check_fix_nodes(study.network, fixes or {})
    return study.condition(context=context, drugs=list(drugs), fix=dict(fixes or {}))


def check_fix_nodes(net, fixes) -> None:
    """An unknown node in --fix is a usage error (close matches suggested)."""
    from logicnet.errors import UnknownNodeError

    for n in fixes:
        try:
            net.check_node(n)
        except UnknownNodeError as e:
            raise click.BadParameter(str(e), param_hint="--fix") from None


strict_option = click.option("--strict", is_flag=True,
                             help="Names without a rule are an error instead of free inputs; for SBML-qual, "
                                  "files that break SBML's rules are refused.")

names_option = click.option("--names/--ids", "names", default=True, show_default=True,
                            help="SBML-qual: name nodes by the species' name where unique and valid, or by id.")


def _update_choice():
    from logicnet.types import DEFAULT_UPDATE

    return click.Choice(["sync", "async", "synchronous", "asynchronous"]), DEFAULT_UPDATE


def update_option(f):
    """``--update``, with the one default update scheme of every command."""
    choice, default = _update_choice()
    return click.option("--update", type=choice, default=default, show_default=True,
                        help="Synchronous (all nodes at once) or general asynchronous update.")(f)


def _max_memory(ctx, param, value):
    if value is None:
        return None
    from logicnet.limits import parse_size

    try:
        size = parse_size(value)
    except LogicnetError as e:
        raise click.BadParameter(str(e)) from None
    if size <= 0:
        raise click.BadParameter(f"{value!r}: a memory size must be positive")
    return size


def max_memory_option(f):
    """``--max-memory SIZE`` (parsed to bytes; a bad size is a usage error)."""
    return click.option("--max-memory", metavar="SIZE", callback=_max_memory,
                        help="Memory an exhaustive search may use (e.g. 4G); default: what is available.")(f)


def limits_of(max_memory):
    """The library's Limits for a parsed ``--max-memory``."""
    from logicnet.limits import DEFAULT_LIMITS, Limits

    return DEFAULT_LIMITS if max_memory is None else Limits(max_memory=max_memory)


def condition_options(f):
    """The options that define a condition, the same on every command that computes one:
    ``--context``, ``--drug``, ``--fix``, ``--update`` and ``--max-memory``.  Add new
    condition options here so that every command gets them."""
    f = max_memory_option(f)
    f = update_option(f)
    return fix_options(f)


def fix_options(f):
    """``--context``, ``--drug`` and ``--fix``: for commands whose answer does not depend on
    the update scheme (trap spaces)."""
    f = click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1",
                     help="Fix a node: knockout (0), overexpression (1), an input's value (repeatable).")(f)
    f = click.option("--drug", "drugs", multiple=True, metavar="NAME",
                     help="Apply a drug from the study's drug library (repeatable).")(f)
    f = click.option("--context", metavar="NAME", help="A named cell context of the study.")(f)
    return f


def check_output(path: str) -> str:
    """Refuse, before any work starts, an output path that cannot be written."""
    from logicnet.io import check_writable

    check_writable(path)
    return path


def screen_options(f):
    """The options that shape a screen, shared by ``screen``, ``plot screen`` and ``report``."""
    f = click.option("--jobs", type=click.IntRange(1), default=None,
                     help="Local worker processes [default: all cores].")(f)
    f = click.option("--max-memory", metavar="SIZE", callback=_max_memory,
                     help="Memory the whole screen may use, all workers together (e.g. 4G); default: what is "
                          "available.")(f)
    f = click.option("--phenotype", default=None, metavar="NAME|NAME=EXPR",
                     help="The phenotype to restore: a study's phenotype by name [default: sensitive], or "
                          "defined here, e.g. 'sensitive=Apoptosis and not Proliferation' (needed for a plain "
                          "network file).")(f)
    f = click.option("--drug-pairs", is_flag=True, help="Also rank the library's drugs added alone and in pairs.")(f)
    f = click.option("--targets", default="actionable", show_default=True,
                     metavar="actionable|all|druggable|N1,N2,...",
                     help="Candidate nodes. actionable: not fixed by the condition, not constant, not in the "
                          "phenotype, with a path to it; all: also nodes with no path to the phenotype.")(f)
    f = click.option("--overexpress", is_flag=True, help="Also try overexpression (fix to 1).")(f)
    f = click.option("--max-order", type=click.IntRange(1, 2), default=2, show_default=True,
                     help="1: single interventions; 2: also pairs.")(f)
    return f


def parse_targets(targets: str):
    """``actionable``, ``all``, ``druggable`` or a comma-separated list of nodes."""
    if targets in ("actionable", "all", "druggable"):
        return targets
    return [t.strip() for t in targets.split(",") if t.strip()]


def load_model(name: str, *, strict: bool = False, fixes=()):
    """A study (``.toml``) or a plain network (rule file), for the screen commands.

    Free inputs that ``fixes`` (node names) sets are not warned about."""
    path = resolve_input(name)
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        return read_study(path, strict=strict)
    return read_quietly_fixed(path, fixes, strict=strict)


def screen_phenotype(value: str | None, model):
    """``--phenotype``: a study's phenotype name, or ``NAME=EXPR`` (a :class:`Phenotype`).

    A plain network has no named phenotypes, so it needs ``NAME=EXPR``.
    """
    from logicnet.io.study import Study
    from logicnet.phenotype import Phenotype

    is_study = isinstance(model, Study)
    if value is None:
        if is_study:
            return "sensitive"
        raise LogicnetError("a plain network file has no named phenotypes: give the phenotype to restore with "
                            "--phenotype NAME=EXPR, e.g. --phenotype 'sensitive=Apoptosis and not Proliferation'")
    if "=" in value:
        name, text = value.split("=", 1)
        net = model.network if is_study else model
        p = Phenotype.parse(name.strip() or "phenotype", text)
        p.check(net.nodes)
        return p
    if not is_study:
        raise LogicnetError(f"--phenotype {value!r}: a plain network file has no named phenotypes; write "
                            f"--phenotype '{value}=EXPR' with a Boolean expression over its nodes")
    return value


