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
from collections.abc import Callable, Sequence
from typing import Any

from .progress import task

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
        Progress goes to the listener of :mod:`logicnet.progress` (default); ``True``
        also draws a bar on stderr when nobody listens; ``False`` reports nothing.

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
    with _display(progress):
        workers = max(1, n_jobs)
        if scheduler is None and workers == 1:
            return _serial(call, items, ctx, description)
        if batch_size is None:
            batch_size = max(1, len(items) // (workers * 8) or 1)
        batches = [items[i:i + batch_size] for i in range(0, len(items), batch_size)]
        if scheduler is not None:
            return _dask(call, batches, ctx, scheduler, description)
        return _processes(call, batches, ctx, workers, description)


def _display(progress: bool | None):
    """``progress=True``: draw a bar on stderr unless someone already listens; False: silence."""
    import contextlib

    from .progress import listening, reporting, rich_display

    if progress is False:
        return reporting(None)
    if progress and not listening():
        return rich_display()
    return contextlib.nullcontext()


def _call1(item, func):
    return func(item)


def _serial(call, items, ctx, description):
    out = []
    with task(description, total=len(items)) as t:
        for x in items:
            out.append(call(x, ctx))
            t.advance()
    return out


def _processes(call, batches, ctx, workers, description):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list = [None] * len(batches)
    # spawn: numba's thread pools are not safe to fork
    ex = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=_worker_init,
                             initargs=(os.getpid(),))
    try:
        with task(description, total=sum(len(b) for b in batches)) as t:
            futures = {ex.submit(_run_batch, call, b, ctx): i for i, b in enumerate(batches)}
            for fut in as_completed(futures):
                i = futures[fut]
                results[i] = fut.result()
                t.advance(len(batches[i]))
    except BaseException:  # Ctrl-C, SIGTERM or an error: no worker goes on computing
        _stop_pool(ex)
        raise
    ex.shutdown(wait=True)
    return [r for batch in results for r in batch]


def _stop_pool(ex) -> None:
    """Kill the workers, cancel what has not started, and release the pool's queues."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    for p in procs:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):  # pragma: no cover - already gone
            pass
    for p in procs:
        p.join(2)
    ex.shutdown(wait=True, cancel_futures=True)


def _worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent (which stops the pool), and never
    outlive it (Linux: the kernel kills the worker when the parent dies; elsewhere a
    thread checks the parent every second)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0 and os.getppid() == parent:
            return
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:  # pragma: no cover - not Linux
        import time

        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


#: Seconds to wait for a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT = 3


def _dask(call, batches, ctx, scheduler, description):
    if isinstance(scheduler, str):
        check_scheduler(scheduler)
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        from .errors import LogicnetError
        raise LogicnetError("a Dask scheduler needs the 'dask' extra: pip install 'logicnet[dask]'") from None
    own = not hasattr(scheduler, "submit")
    if own:
        client = _connect(Client, scheduler)
    else:
        client = scheduler
    try:
        # The context (a small network and settings) travels inside each batch task:
        # robust when workers join late, and cheap next to a batch's run time.
        futures = [client.submit(_run_batch, call, b, ctx, pure=False) for b in batches]
        results: list = [None] * len(batches)
        index = {f.key: i for i, f in enumerate(futures)}
        from distributed import as_completed

        try:
            with task(description, total=sum(len(b) for b in batches)) as t:
                for fut in as_completed(futures):
                    i = index[fut.key]
                    results[i] = fut.result()
                    t.advance(len(batches[i]))
        except BaseException:  # Ctrl-C, SIGTERM or an error: the cluster stops this work
            client.cancel(futures, force=True)
            raise
        return [r for batch in results for r in batch]
    finally:
        if own:
            client.close()


def check_scheduler(address: str, timeout: float = DASK_CONNECT_TIMEOUT) -> None:
    """Raise a one-sentence LogicnetError at once if nothing listens at a ``tcp://host:port`` address.

    Other schemes (``tls://``, ``inproc://``...) are left to Dask.

    Examples
    --------
    >>> check_scheduler("tcp://127.0.0.1:1")
    Traceback (most recent call last):
    ...
    logicnet.errors.LogicnetError: cannot reach the Dask scheduler at 'tcp://127.0.0.1:1' (connection refused)
    """
    import socket
    from urllib.parse import urlsplit

    from .errors import LogicnetError

    url = urlsplit(address if "://" in address else "tcp://" + address)
    if url.scheme != "tcp":
        return
    try:
        host, port = url.hostname, url.port or 8786
    except ValueError:
        raise LogicnetError(f"{address!r} is not a scheduler address like tcp://host:8786") from None
    if not host:
        raise LogicnetError(f"{address!r} is not a scheduler address like tcp://host:8786")
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError:
        raise LogicnetError(f"cannot reach the Dask scheduler at {address!r} (connection refused)") from None
    except socket.timeout:
        raise LogicnetError(f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s") from None
    except OSError as e:
        raise LogicnetError(f"cannot reach the Dask scheduler at {address!r} ({e.strerror or e})") from None


def _connect(Client, address: str):
    """A client of the scheduler at ``address``, or a one-sentence LogicnetError within seconds."""
    import logging as _logging

    from .errors import LogicnetError

    quiet = [_logging.getLogger(n) for n in ("distributed", "distributed.client", "distributed.comm", "tornado")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(_logging.CRITICAL)
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        why = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise LogicnetError(f"cannot reach the Dask scheduler at {address!r} within {DASK_CONNECT_TIMEOUT} s "
                            f"({why[:160]})") from None
    finally:
        for lg, level in zip(quiet, levels):
            lg.setLevel(level)
