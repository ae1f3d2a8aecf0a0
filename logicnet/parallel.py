"""One ``map`` for the screens: serial, local processes, or a Dask cluster.

Work goes out in batches (a Dask task costs about 2 ms, a local cluster about 2 s
to start), results come back in input order, so the output is the same whatever
the executor.

Examples
--------
>>> pmap(abs, [-1, 2, -3])
[1, 2, 3]
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["pmap", "default_jobs"]


def default_jobs() -> int:
    """All cores this process may use.

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _run_batch(func: Callable, batch: Sequence, context: Any) -> list:
    return [func(item, context) for item in batch]


def pmap(func: Callable, items: Sequence, context: Any = None, *, n_jobs: int = 1, scheduler: str | None = None,
         batch_size: int | None = None, progress: bool | None = None, description: str = "working") -> list:
    """``[func(item, context) for item in items]``, possibly in parallel.

    Parameters
    ----------
    func : callable
        A module-level function ``func(item, context)`` (it is pickled).  With
        ``context=None`` a one-argument function is called as ``func(item)``.
    context : object
        Shared data sent once per batch (e.g. the network).
    n_jobs : int
        Local worker processes (1 = in this process).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) or a ``distributed.Client``.
    batch_size : int, optional
        Items per task; default: enough batches to keep every worker busy.
    progress : bool, optional
        Show progress with an ETA on stderr: a bar on a terminal, otherwise a line every
        two seconds and one at the end (default: only when stderr is a terminal).

    Examples
    --------
    >>> pmap(pow, [1, 2, 3], 2)
    [1, 4, 9]
    """
    items = list(items)
    if context is None:
        call, ctx = _call1, func
    else:
        call, ctx = func, context
    if progress is None:
        progress = sys.stderr.isatty()
    workers = max(1, n_jobs)
    if scheduler is None and workers == 1:
        return _serial(call, items, ctx, progress, description)
    if batch_size is None:
        batch_size = max(1, len(items) // (workers * 8) or 1)
    batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
    if scheduler is not None:
        return _dask(call, batches, ctx, scheduler, progress, description)
    return _processes(call, batches, ctx, workers, progress, description)


def _call1(item, func):
    return func(item)


class _Lines:
    """Progress as plain lines on stderr (when it is not a terminal): done / total and an ETA,
    at most one line every ``every`` seconds, and one at the end."""

    def __init__(self, total: int, description: str, every: float = 2.0):
        import time

        self.total, self.description, self.every = total, description, every
        self.done = 0
        self.clock = time.monotonic
        self.start = self.last = self.clock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self._line(final=True)
        return False

    def advance(self, task, n: int = 1) -> None:
        self.done += n
        if self.clock() - self.last >= self.every and self.done < self.total:
            self._line()

    def _line(self, final: bool = False) -> None:
        now = self.clock()
        self.last = now
        spent = now - self.start
        if final:
            tail = f"done in {spent:.1f} s"
        elif self.done:
            tail = f"ETA {spent / self.done * (self.total - self.done):.0f} s"
        else:
            tail = "ETA unknown"
        print(f"{self.description}: {self.done}/{self.total} conditions, {tail}", file=sys.stderr, flush=True)


def _bar(total: int, description: str):
    if not sys.stderr.isatty():
        return _Lines(total, description), None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   transient=True)
    task = bar.add_task(description, total=total)
    return bar, task


def _serial(call, items, ctx, progress, description):
    if not progress:
        return [call(x, ctx) for x in items]
    bar, task = _bar(len(items), description)
    out = []
    with bar:
        for x in items:
            out.append(call(x, ctx))
            bar.advance(task)
    return out


def _processes(call, batches, ctx, workers, progress, description):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    results: list = [None] * len(batches)
    # spawn: numba's thread pools are not safe to fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as ex:
        futures = {ex.submit(_run_batch, call, b, ctx): i for i, b in enumerate(batches)}
        _collect(futures, results, sum(len(b) for b in batches), progress, description, [len(b) for b in batches])
    return [r for batch in results for r in batch]


def _collect(futures, results, total, progress, description, sizes):
    from concurrent.futures import as_completed

    if progress:
        bar, task = _bar(total, description)
        with bar:
            for fut in as_completed(futures):
                i = futures[fut]
                results[i] = fut.result()
                bar.advance(task, sizes[i])
    else:
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()


def _dask(call, batches, ctx, scheduler, progress, description):
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        from .errors import LogicnetError
        raise LogicnetError("a Dask scheduler needs the 'dask' extra: pip install 'logicnet[dask]'") from None
    own = not hasattr(scheduler, "submit")
    client = Client(scheduler) if own else scheduler
    try:
        # The context (a small network and settings) travels inside each batch task:
        # robust when workers join late, and cheap next to a batch's run time.
        futures = [client.submit(_run_batch, call, b, ctx, pure=False) for b in batches]
        results: list = [None] * len(batches)
        index = {f.key: i for i, f in enumerate(futures)}
        from distributed import as_completed

        if progress:
            bar, task = _bar(sum(len(b) for b in batches), description)
            with bar:
                for fut in as_completed(futures):
                    i = index[fut.key]
                    results[i] = fut.result()
                    bar.advance(task, len(batches[i]))
        else:
            for fut in as_completed(futures):
                results[index[fut.key]] = fut.result()
        return [r for batch in results for r in batch]
    finally:
        if own:
            client.close()
