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


def load_network(name: str, *, fmt: str | None = None, strict: bool = False):
    """Read a network from a rule file, or the network of a study file."""
    path = resolve_input(name)
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        return read_study(path, strict=strict).network
    from logicnet.io import read_network

    return read_network(path, fmt, strict=strict)


def parse_fix(items) -> dict[str, int]:
    """``["A=1", "B=0"]`` -> ``{"A": 1, "B": 0}`` (usage errors exit 2)."""
    out: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or value.strip() not in ("0", "1") or not name.strip():
            raise click.BadParameter(f"{item!r}: write NODE=0 or NODE=1", param_hint="--fix")
        out[name.strip()] = int(value.strip())
    return out


@dataclass
class Condition:
    """A network with everything fixed that the command line or a study asks for."""

    network: object
    fix: dict = field(default_factory=dict)
    phenotypes: dict = field(default_factory=dict)
    label: str = ""
    study: object = None


def load_condition(name: str, *, context: str | None = None, drugs=(), fixes=None, strict: bool = False) -> Condition:
    """The network of FILE, plus a study's context and drugs, plus --fix."""
    path = resolve_input(name)
    fixes = dict(fixes or {})
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        study = read_study(path, strict=strict)
        cond = study.condition(context=context, drugs=list(drugs), fix=fixes)
        return Condition(study.network, dict(cond.fix), dict(cond.phenotypes), cond.label, study)
    if context or drugs:
        raise LogicnetError(f"{name}: --context and --drug need a study file (.toml), not a rule file")
    from logicnet.io import read_network

    net = read_network(path, strict=strict)
    for n in fixes:
        net.check_node(n)
    label = " ".join(f"{k}={v}" for k, v in fixes.items())
    return Condition(net, fixes, {}, label)


strict_option = click.option("--strict", is_flag=True,
                             help="Treat names without a rule as an error instead of free inputs.")


def update_option(f):
    return click.option("--update", type=click.Choice(["sync", "async", "synchronous", "asynchronous"]),
                        default="sync", show_default=True,
                        help="Synchronous (all nodes at once) or general asynchronous update.")(f)


def condition_options(f):
    f = click.option("--fix", "fixes", multiple=True, metavar="NODE=0|1",
                     help="Fix a node: knockout (0), overexpression (1), an input's value (repeatable).")(f)
    f = click.option("--drug", "drugs", multiple=True, metavar="NAME",
                     help="Apply a drug from the study's drug library (repeatable).")(f)
    f = click.option("--context", metavar="NAME", help="A named cell context of the study.")(f)
    return f


def screen_options(f):
    """The options that shape a screen, shared by ``screen``, ``plot screen`` and ``report``."""
    f = click.option("--jobs", type=click.IntRange(1), default=None,
                     help="Local worker processes [default: all cores].")(f)
    f = click.option("--max-memory", metavar="SIZE",
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


def load_model(name: str, *, strict: bool = False):
    """A study (``.toml``) or a plain network (rule file), for the screen commands."""
    path = resolve_input(name)
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        return read_study(path, strict=strict)
    from logicnet.io import read_network

    return read_network(path, strict=strict)


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


def memory_limits(max_memory: str | None):
    """``--max-memory`` as :class:`logicnet.limits.Limits`."""
    from logicnet.limits import Limits, parse_size

    return Limits(max_memory=parse_size(max_memory) if max_memory else None)
