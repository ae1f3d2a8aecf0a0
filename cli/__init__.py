"""The ``logicnet`` command line: a thin layer over the library.

Each command reads its input, calls one library function and renders the result.
Results go to stdout, warnings and logs to stderr.  Library errors exit with
status 1 and a message (no traceback); usage errors exit with status 2.
"""

from __future__ import annotations

import sys
import warnings

import click

from logicnet import __version__
from logicnet.errors import LogicnetError

__all__ = ["main"]


#: Command name -> the module (in this package) that defines it.  A command's module
#: is imported only when that command runs (or when --help lists them all), so that
#: `logicnet info` does not pay for the imports of `logicnet screen`.
_COMMANDS = {name: name for name in ("attractors", "control", "convert", "graph", "info", "plot", "report", "screen",
                                      "simulate", "trapspaces", "validate")}


class _Group(click.Group):
    """Renders library errors once, keeps warnings short (each shown once per command),
    and shows progress on stderr when it is a terminal (not with -q).  Commands are
    loaded on first use (click's lazy-group pattern); each registers itself on
    :func:`main`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            import importlib

            importlib.import_module(f".{_COMMANDS[cmd_name]}", __name__)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        import contextlib

        # -q/--quiet is global: accepted before or after the command name
        rest = list(ctx.args)
        quiet = bool(ctx.params.get("quiet")) or any(a in ("-q", "--quiet") for a in rest if a != "--")
        if quiet:
            cut = rest.index("--") if "--" in rest else len(rest)
            ctx.args = [a for a in rest[:cut] if a not in ("-q", "--quiet")] + rest[cut:]
        seen: set[str] = set()

        def show(message, category, filename, lineno, file=None, line=None):
            text = str(message)
            if text not in seen:
                seen.add(text)
                click.echo(f"warning: {text}", err=True)

        from . import render

        render.QUIET = quiet
        from logicnet.progress import Tracker, rich_display, text_display, tracked

        from .stop import Stopper

        tracker = Tracker()
        with warnings.catch_warnings(), contextlib.ExitStack() as stack:
            warnings.simplefilter("ignore" if quiet else "always")
            warnings.showwarning = show
            if not quiet:
                stack.enter_context(rich_display(sys.stderr) if _stderr_is_terminal()
                                    else text_display(sys.stderr, after=PLAIN_PROGRESS_AFTER))
            stack.enter_context(tracked(tracker))
            stopper = stack.enter_context(Stopper(tracker))
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                stopper.stop()
            except LogicnetError as err:
                raise click.ClickException(_with_flags(err, ctx)) from None
            except MemoryError:
                raise click.ClickException(_out_of_memory(list(ctx.protected_args) + rest)) from None
            except BrokenPipeError:  # e.g. `logicnet info x | head`
                sys.stderr.close()
                sys.exit(1)


#: With stderr not a terminal, progress lines start once a command has run this long.
PLAIN_PROGRESS_AFTER = 1.0


#: The options of each piece of advice a library error may carry (logicnet.errors.ADVICE).
ADVICE_FLAGS = {
    "fix inputs": "--fix NODE=0|1, --context NAME",
    "fixed points only": "--fixed-points",
    "another engine": "--engine",
    "more memory": "--max-memory SIZE",
    "more time": "--timeout SECONDS",
    "fewer interventions": "--targets N1,N2,..., --max-order 1",
    "more workers": "--jobs N, --dask-scheduler ADDRESS",
    "synchronous": "--update sync",
    "share score": "--score share",
    "phenotype": "--phenotype NAME=EXPR",
    "hold forced": "--hold-forced",
    "list states": "--max-states N",
    "first ones": "--limit N",
    "count": "--count",
    "format": "--to FORMAT",
    "input format": "--from FORMAT",
    "update": "--update",
    "goal": "--goal",
    "hold": "--hold",
    "initial states": "--from",
    "max size": "--max-size K",
    "contexts": "--contexts all|C1,C2",
}
#: Advice whose option belongs to another command.
ADVICE_ELSEWHERE = {"input format": "--from with logicnet convert"}


def _with_flags(err: LogicnetError, ctx: click.Context) -> str:
    """The error's message, and the options of the running command its advice points to."""
    command = ctx.command.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
    known = {opt for p in getattr(command, "params", ()) for opt in getattr(p, "opts", ())}
    flags = []
    for a in err.advice:
        if any(f.split()[0] in known for f in ADVICE_FLAGS.get(a, "").split(", ") if f):
            flags.append(ADVICE_FLAGS[a])
        elif a in ADVICE_ELSEWHERE:  # an option of another command
            flags.append(ADVICE_ELSEWHERE[a])
    return str(err) + (f" (options: {'; '.join(flags)})" if flags else "")


def _out_of_memory(args: list[str]) -> str:
    """The message for a command that ran out of memory: which command, on which file,
    under which limit, and what to do."""
    import os

    from logicnet.limits import DEFAULT_LIMITS, _fmt

    words = [a for a in args if a not in ("-q", "--quiet")]
    where = next((a for a in words[1:] if os.path.exists(a)), None)
    budget, source = DEFAULT_LIMITS.memory_budget_source()
    return ((f"{where}: " if where else "") + f"'logicnet {' '.join(words[:1])}' ran out of memory (the tightest "
            f"limit is {source}, {_fmt(budget)} free now). Allow more memory (a higher ulimit -v or job memory "
            "request), fix more nodes (--fix NODE=0|1) so that fewer variables stay free, or set --max-memory "
            "below the limit so that a search too large is refused before it starts.")


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="logicnet")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no warnings on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """Boolean network analysis: attractors, phenotypes and perturbation screens.

    FILE arguments accept rule files (.rules BooleanNet, .bnet, .sbml) and study
    files (.toml); bundled models are found by name (e.g. networks/igf_axis.toml).
    """
    if not verbose and not quiet and "logging" not in sys.modules:
        return  # nothing to set up: logicnet logs only at INFO and DEBUG (shown with -v)
    import logging

    level = logging.ERROR if quiet else logging.WARNING - 10 * min(verbose, 2)
    logger = logging.getLogger("logicnet")
    if not any(getattr(h, "_logicnet_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler._logicnet_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)
