"""Progress of long computations, reported to whoever is listening.

Searches, basin counts, SAT enumerations and screens open a :func:`task` and
advance it; by default nobody listens and this costs nothing.  A program that
wants to show progress installs a listener with :func:`reporting` (the command
line installs one that draws a rich progress display on stderr).  Listeners are
per thread and per asyncio task (a :mod:`contextvars` variable), so concurrent
callers do not see each other's tasks.

A listener is any callable taking a :class:`Task`; it is called when the task
starts, each time it advances, and once when it finishes (``task.finished``).

Examples
--------
>>> seen = []
>>> with reporting(lambda t: seen.append((t.description, t.completed, t.total, t.finished))):
...     with task("scoring", total=2) as t:
...         t.advance()
...         t.advance()
>>> seen
[('scoring', 0, 2, False), ('scoring', 1, 2, False), ('scoring', 2, 2, False), ('scoring', 2, 2, True)]
>>> with task("nobody listens") as t:   # no listener: nothing happens
...     t.advance()
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

__all__ = ["Task", "task", "reporting", "listening", "rich_display", "text_display", "Tracker", "tracked"]

_LISTENER: contextvars.ContextVar[Callable[[Task], None] | None] = contextvars.ContextVar(
    "logicnet_progress_listener", default=None)
_IDS = itertools.count(1)


@dataclass
class Task:
    """One long step: ``description`` (a short phrase), ``total`` units (or ``None`` when
    unknown), ``completed`` units so far, and ``finished`` once it is over.

    Examples
    --------
    >>> t = Task("searching 2^20 states")
    >>> t.advance(3); t.completed
    3
    """

    description: str
    total: int | None = None
    completed: int = 0
    finished: bool = False
    id: int = field(default_factory=lambda: next(_IDS))
    _listener: Callable[[Task], None] | None = field(default=None, repr=False, compare=False)

    def advance(self, amount: int = 1) -> None:
        """Record ``amount`` more units done and tell the listener."""
        self.completed += amount
        if self._listener is not None:
            self._listener(self)


@contextlib.contextmanager
def task(description: str, total: int | None = None) -> Iterator[Task]:
    """Report one long step to the current listener (if any) while the block runs.

    Examples
    --------
    >>> with task("counting fixed points") as t:
    ...     t.advance(10)
    >>> t.completed, t.finished
    (10, True)
    """
    listener = _LISTENER.get()
    t = Task(description, total, _listener=listener)
    if listener is not None:
        listener(t)
    try:
        yield t
    finally:
        t.finished = True
        if listener is not None:
            listener(t)


@contextlib.contextmanager
def reporting(listener: Callable[[Task], None] | None) -> Iterator[None]:
    """Send the progress of everything run inside the block to ``listener``.

    ``None`` silences progress inside the block.

    Examples
    --------
    >>> names = []
    >>> with reporting(lambda t: names.append(t.description)):
    ...     with task("reducing"):
    ...         pass
    >>> names
    ['reducing', 'reducing']
    """
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


@contextlib.contextmanager
def tracked(tracker: Tracker) -> Iterator[None]:
    """Send everything inside the block through ``tracker`` on to the current listener.

    Examples
    --------
    >>> tr = Tracker()
    >>> with tracked(tr), task("reducing"):
    ...     tr.where()
    'reducing'
    """
    tracker.listener = _LISTENER.get()
    with reporting(tracker):
        yield


def listening() -> bool:
    """True if a listener is installed (engines may then report in finer steps).

    Examples
    --------
    >>> listening()
    False
    """
    return _LISTENER.get() is not None


@contextlib.contextmanager
def rich_display(file=None, *, transient: bool = False) -> Iterator[None]:
    """Draw every task run inside the block as a rich progress line on ``file`` (stderr).

    Tasks with a total get a bar, a count and the elapsed time; others a spinner.  A task
    that runs inside another (each search of a validation) disappears when it is done.

    Examples
    --------
    >>> import io
    >>> with rich_display(io.StringIO()):
    ...     with task("searching") as t:
    ...         t.advance()
    """
    import sys

    from rich.console import Console
    from rich.progress import (BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    console = Console(file=file if file is not None else sys.stderr)
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                   TextColumn("{task.fields[count]}"), TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=transient)
    ids: dict[int, int] = {}
    active: list[int] = []  # unfinished tasks, outermost first

    def listener(t: Task) -> None:
        if t.id not in ids:
            ids[t.id] = bar.add_task(t.description, total=t.total, count="")
            active.append(t.id)
        count = f"{t.completed:,}/{t.total:,}" if t.total else (f"{t.completed:,}" if t.completed else "")
        if t.finished:
            active.remove(t.id)
            if active:  # a step inside a longer task: its line goes once it is done
                bar.remove_task(ids.pop(t.id))
                return
            done = t.total if t.total else max(t.completed, 1)
            bar.update(ids[t.id], total=done, completed=done, count=count)
            bar.stop_task(ids[t.id])
        else:
            bar.update(ids[t.id], completed=t.completed, count=count, description=t.description)

    with bar, reporting(listener):
        yield


def _phase(description: str) -> str:
    """A task's description without its numbers: 'input combination 7 of 1024' and
    'input combination 8 of 1024' are the same phase."""
    import re

    return re.sub(r"[\d,.]+", "#", description)


def _count(t: Task) -> str:
    if t.total:
        return f" ({t.completed:,}/{t.total:,})"
    return f" ({t.completed:,} done)" if t.completed else ""


class Tracker:
    """A listener that remembers the unfinished tasks (outermost first) and passes
    every event on to ``listener`` (or to nobody).

    :meth:`where` says what was running, with done / total, e.g. to tell a user what
    was established when a long run is interrupted.

    Examples
    --------
    >>> tr = Tracker()
    >>> with reporting(tr), task("screen: singles", total=40) as t:
    ...     t.advance(12)
    ...     print(tr.where())
    screen: singles (12/40)
    >>> tr.where()
    ''
    """

    def __init__(self, listener: Callable[[Task], None] | None = None) -> None:
        self.listener = listener
        self.active: list[Task] = []

    def __call__(self, t: Task) -> None:
        if t.finished:
            if t in self.active:
                self.active.remove(t)
        elif not any(a is t for a in self.active):
            self.active.append(t)
        if self.listener is not None:
            self.listener(t)

    def where(self) -> str:
        """The running tasks, outermost first, each with its count; '' when none runs."""
        return "; ".join(t.description + _count(t) for t in self.active)


@contextlib.contextmanager
def text_display(file=None, *, every: float = 10.0, after: float = 0.0) -> Iterator[None]:
    """Plain progress lines on ``file`` (stderr) for a log or a redirected stream.

    Few lines, whatever the work: one when a phase starts (a task, or a new
    description of a running task, seen for the first time; numbers do not make a
    new phase), and one every ``every`` seconds while work runs, each with the
    seconds elapsed and done / total of every running task.  Nothing per item.  Runs shorter than ``after``
    seconds print nothing.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with text_display(out):
    ...     with task("screen: singles", total=1024) as t:
    ...         for i in range(1024):
    ...             with task(f"input combination {i + 1} of 1024"):
    ...                 t.advance()
    >>> print(out.getvalue(), end="")
    [0 s] screen: singles (0/1,024)
    [0 s] screen: singles (0/1,024); input combination 1 of 1024
    """
    import sys
    import threading
    import time

    out = file if file is not None else sys.stderr
    tracker = Tracker()
    seen: set[str] = set()
    start = time.monotonic()
    last = [start]
    lock = threading.Lock()
    stop = threading.Event()

    def write() -> None:
        where = tracker.where()
        if not where:
            return
        try:
            out.write(f"[{time.monotonic() - start:.0f} s] {where}\n")
            out.flush()
        except (OSError, ValueError):  # a closed or broken stream: progress is not worth an error
            pass
        last[0] = time.monotonic()

    def listener(t: Task) -> None:
        with lock:
            tracker(t)
            if t.finished or time.monotonic() - start < after:
                return
            key = _phase(t.description)
            if key not in seen:
                seen.add(key)
                write()
            elif time.monotonic() - last[0] >= every:
                write()

    def tick() -> None:  # a line every `every` seconds, also while a task does not advance
        while not stop.wait(min(every, 1.0)):
            with lock:
                now = time.monotonic()
                if now - start >= after and (now - last[0] >= every or (not seen and tracker.active)):
                    seen.update(_phase(t.description) for t in tracker.active)
                    write()

    ticker = threading.Thread(target=tick, daemon=True, name="logicnet-progress")
    ticker.start()
    try:
        with reporting(listener):
            yield
    finally:
        stop.set()
        ticker.join()
