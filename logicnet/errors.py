"""The one error hierarchy of logicnet.

Every failure a user can cause (a bad rule file, an unknown node name, work that
does not fit in memory) raises a subclass of :class:`LogicnetError` whose message
is a sentence a biologist understands.  The command line shows ``str(error)``
and exits with status 1; it never shows a traceback.

Examples
--------
>>> from logicnet.errors import RuleSyntaxError
>>> err = RuleSyntaxError("expected ')' to close the '(' opened here",
...                       source="toy.rules", line=1, column=8, text="A* = B and (C")
>>> print(err)
toy.rules:1:8: expected ')' to close the '(' opened here
    A* = B and (C
           ^
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "LogicnetError",
    "ADVICE",
    "RuleSyntaxError",
    "UnknownNodeError",
    "ResourceLimitError",
    "StudyError",
    "LogicnetWarning",
    "FreeInputWarning",
    "close_matches",
    "warn",
]


class LogicnetError(Exception):
    """Base class of every error logicnet raises on bad input or impossible work.

    Examples
    --------
    >>> issubclass(RuleSyntaxError, LogicnetError)
    True
    >>> LogicnetError("too large", advice=("fix inputs",)).advice
    ('fix inputs',)

    ``advice`` names, in words a program can test, what may help (one of
    :data:`ADVICE`); the command line turns it into its flags.
    """

    advice: tuple[str, ...] = ()

    def __init__(self, *args, advice: Iterable[str] = ()) -> None:
        super().__init__(*args)
        if advice:
            unknown = set(advice) - set(ADVICE)
            assert not unknown, unknown
            self.advice = tuple(advice)


#: What an error may advise (the command line names its options for each): fix input
#: nodes; fixed points only (by SAT); another engine; more memory; more time; fewer
#: interventions or more workers (a screen); synchronous update; the share score; a
#: phenotype; forced nodes held; more states listed; a first few answers; the format of a
#: file written, of a file read; the update scheme, goal, hold, initial states and largest
#: perturbation of a control question.
ADVICE = ("fix inputs", "fixed points only", "another engine", "more memory", "more time",
          "fewer interventions", "more workers", "synchronous", "share score", "phenotype", "hold forced",
          "list states", "first ones", "format", "input format", "update", "goal", "hold", "initial states",
          "max size", "contexts", "count")


class RuleSyntaxError(LogicnetError, ValueError):
    """A rule or study file could not be read.

    Parameters
    ----------
    message : str
        A plain sentence saying what is wrong.
    source : str
        The file name (or ``"<string>"``).
    line, column : int or None
        1-based position of the problem.
    text : str or None
        The offending source line, shown with a caret under ``column``.

    Examples
    --------
    >>> str(RuleSyntaxError("no rule", source="x.bnet", line=3, column=1))
    'x.bnet:3:1: no rule'
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        line: int | None = None,
        column: int | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.text = text

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        out = f"{where}: {self.message}"
        if self.text is not None:
            shown = self.text.rstrip("\r\n").expandtabs(1)
            out += "\n    " + shown
            if self.column is not None:
                out += "\n    " + " " * max(self.column - 1, 0) + "^"
        return out

    def __reduce__(self):  # keep keyword arguments through pickling (parallel workers)
        return (_rebuild_syntax_error, (self.message, self.source, self.line, self.column, self.text))


def _rebuild_syntax_error(message, source, line, column, text):  # pragma: no cover - pickling helper
    return RuleSyntaxError(message, source=source, line=line, column=column, text=text)


class UnknownNodeError(LogicnetError, KeyError):
    """A node name that the network does not have.

    The message suggests close matches among the network's node names.

    Examples
    --------
    >>> print(UnknownNodeError("IGF1", ["IGF1R", "IGF2"]))
    the network has no node 'IGF1' (did you mean 'IGF1R', 'IGF2'?)
    """

    def __init__(self, name: str, known: Iterable[str] = (), *, what: str = "node",
                 owner: str = "the network") -> None:
        self.name = name
        matches = close_matches(name, known)
        msg = f"{owner} has no {what} {name!r}"
        if matches:
            msg += " (did you mean " + ", ".join(repr(m) for m in matches) + "?)"
        super().__init__(msg)
        self.message = msg

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message

    def __reduce__(self):  # pragma: no cover - pickling helper
        return (_rebuild_unknown, (self.name, self.message))


def _rebuild_unknown(name, message):  # pragma: no cover - pickling helper
    err = UnknownNodeError.__new__(UnknownNodeError)
    KeyError.__init__(err, message)
    err.name, err.message = name, message
    return err


class ResourceLimitError(LogicnetError, MemoryError):
    """The requested work would not fit within the memory limit.

    Raised *before* anything large is allocated; the message says how many free
    variables remain and what would fit.

    Examples
    --------
    >>> issubclass(ResourceLimitError, MemoryError)
    True
    """


class StudyError(LogicnetError, ValueError):
    """A study file (phenotypes, drugs, contexts, findings) is inconsistent.

    Examples
    --------
    >>> str(StudyError("drug 'foo' is not in the drug library"))
    "drug 'foo' is not in the drug library"
    """


class LogicnetWarning(UserWarning):
    """Something in the input is legal but probably not what was meant.

    Examples
    --------
    >>> issubclass(LogicnetWarning, UserWarning)
    True
    """


class FreeInputWarning(LogicnetWarning):
    """Names used in rules but without a rule of their own: free inputs that keep their value.

    ``inputs`` holds the names, ``source`` the file and ``defined`` the names that have a
    rule (for typo hints), so that a caller who fixes some of the inputs can restate the
    warning for the others only.

    Examples
    --------
    >>> w = FreeInputWarning("x.bnet: 1 name(s) without a rule ...", inputs=("EGF",), source="x.bnet")
    >>> w.inputs, isinstance(w, LogicnetWarning)
    (('EGF',), True)
    """

    def __init__(self, message: str, *, inputs: tuple[str, ...] = (), source: str = "",
                 defined: tuple[str, ...] = ()):
        super().__init__(message)
        self.inputs = tuple(inputs)
        self.source = source
        self.defined = tuple(defined)


def close_matches(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Names in ``known`` that look like ``name`` (a likely typo), best first.

    Examples
    --------
    >>> close_matches("IGFR1", ["IGF1R", "INSR", "EGFR"])
    ['IGF1R', 'EGFR']
    """
    import difflib

    known = list(known)
    found = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    if not found:
        lower = {k.lower(): k for k in known}
        found = [lower[m] for m in difflib.get_close_matches(name.lower(), list(lower), n=n, cutoff=0.6)]
    return found


def warn(message: str | Warning, category: type[Warning] = LogicnetWarning) -> None:
    """Issue a warning attributed to the first caller outside logicnet.

    Python then shows the caller's own line (never one of logicnet's source lines);
    the command line prints only ``warning: message``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn("two names have no rule")
    >>> str(w[0].message), w[0].filename.endswith("errors.py")
    ('two names have no rule', False)
    """
    import os
    import sys
    import warnings

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    level, frame = 2, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
