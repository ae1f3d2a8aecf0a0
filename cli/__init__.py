"""The ``logicnet`` command line: a thin layer over the library.

Each command reads its input, calls one library function and renders the result.
Results go to stdout, warnings and logs to stderr.  Library errors exit with
status 1 and a message (no traceback); usage errors exit with status 2.
"""

from __future__ import annotations

import logging
import sys
import warnings

import click

from logicnet import __version__
from logicnet.errors import LogicnetError

__all__ = ["main"]


def _show_warning(message, category, filename, lineno, file=None, line=None):  # pragma: no cover - trivial
    click.echo(f"warning: {message}", err=True)


class _Group(click.Group):
    """Renders library errors once and keeps warnings short."""

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except LogicnetError as err:
                raise click.ClickException(str(err)) from None
            except BrokenPipeError:  # e.g. `logicnet info x | head`
                sys.stderr.close()
                sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="logicnet")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeat for debug).")
def main(verbose: int) -> None:
    """Boolean network analysis: attractors, phenotypes and perturbation screens.

    FILE arguments accept rule files (.rules BooleanNet, .bnet, .sbml) and study
    files (.toml); bundled models are found by name (e.g. networks/igf_axis.toml).
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logger = logging.getLogger("logicnet")
    if not any(getattr(h, "_logicnet_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler._logicnet_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)


from . import attractors as _attractors  # noqa: E402,F401  (commands register themselves on `main`)
from . import convert as _convert  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import info as _info  # noqa: E402,F401
from . import plot as _plot  # noqa: E402,F401
from . import report as _report  # noqa: E402,F401
from . import screen as _screen  # noqa: E402,F401
from . import simulate as _simulate  # noqa: E402,F401
from . import validate as _validate  # noqa: E402,F401
