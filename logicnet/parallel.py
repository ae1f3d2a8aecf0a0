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

__all__ = ["pmap", "Pool", "default_jobs"]


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
        with Pool(workers, scheduler) as pool, task(description, total=len(items)) as t:
            results = pool.map_batches(call, batches, ctx, done=t.advance)
        return [r for batch in results for r in batch]


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


class Pool:
    """Local worker processes or a Dask client, kept across several maps.

    :func:`pmap` makes one for a single map; a search that checks candidates a batch at a
    time (:func:`logicnet.control`) keeps one open, so the workers start (and warm up)
    once.  Leaving the ``with`` block on an error, Ctrl-C or SIGTERM kills the local
    workers and cancels the cluster's tasks: no worker goes on computing.

    Parameters
    ----------
    n_jobs : int
        Local worker processes (1: everything runs in this process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or client; then ``n_jobs`` is ignored.

    Examples
    --------
    >>> with Pool(1) as pool:
    ...     pool.map_batches(_call1, [[1, -2], [-3]], abs)
    [[1, 2], [3]]
    """

    def __init__(self, n_jobs: int = 1, scheduler: Any = None):
        self.n_jobs = max(1, int(n_jobs))
        self.scheduler = scheduler
        self._ex = None
        self._client = None
        self._own = False

    @property
    def parallel(self) -> bool:
        """Whether work leaves this process."""
        return self.scheduler is not None or self.n_jobs > 1

    @property
    def workers(self) -> int:
        """Workers that run at once (a cluster's: the ones it has now, at least 1)."""
        if self.scheduler is None:
            return self.n_jobs
        client = self._dask_client()
        try:
            return max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()))
        except Exception:  # pragma: no cover - depends on the cluster
            return 1

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def _executor(self):
        if self._ex is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # spawn: numba's thread pools are not safe to fork
            self._ex = ProcessPoolExecutor(max_workers=self.n_jobs, mp_context=mp.get_context("spawn"),
                                           initializer=_worker_init, initargs=(os.getpid(),))
        return self._ex

    def _dask_client(self):
        if self._client is None:
            scheduler = self.scheduler
            if isinstance(scheduler, str):
                check_scheduler(scheduler)
            try:
                from distributed import Client
            except ImportError:  # pragma: no cover - depends on the environment
                from .errors import LogicnetError
                raise LogicnetError("a Dask scheduler needs the 'dask' extra: pip install 'logicnet[dask]'") from None
            self._own = not hasattr(scheduler, "submit")
            self._client = _connect(Client, scheduler) if self._own else scheduler
        return self._client

    def map_batches(self, call: Callable, batches: Sequence[Sequence], ctx: Any,
                    done: Callable[[int], None] | None = None) -> list[list]:
        """``[[call(x, ctx) for x in batch] for batch in batches]``, each batch one task,
        results in input order; ``done(n)`` is called as each batch of ``n`` items returns."""
        if not self.parallel:
            out = []
            for b in batches:
                out.append([call(x, ctx) for x in b])
                if done is not None:
                    done(len(b))
            return out
        results: list = [None] * len(batches)
        if self.scheduler is None:
            from concurrent.futures import as_completed

            ex = self._executor()
            futures = {ex.submit(_run_batch, call, b, ctx): i for i, b in enumerate(batches)}
            try:
                for fut in as_completed(futures):
                    i = futures[fut]
                    results[i] = fut.result()
                    if done is not None:
                        done(len(batches[i]))
            except BaseException:  # Ctrl-C, SIGTERM or an error: no worker goes on computing
                self.abort()
                raise
            return results
        from distributed import as_completed as dask_completed

        client = self._dask_client()
        # The context (a small network and settings) travels inside each batch task:
        # robust when workers join late, and cheap next to a batch's run time.
        futures = [client.submit(_run_batch, call, b, ctx, pure=False) for b in batches]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in dask_completed(futures):
                i = index[fut.key]
                results[i] = fut.result()
                if done is not None:
                    done(len(batches[i]))
        except BaseException:  # Ctrl-C, SIGTERM or an error: the cluster stops this work
            client.cancel(futures, force=True)
            raise
        return results

    def close(self) -> None:
        """Let the workers finish and go (a client this pool connected is closed)."""
        if self._ex is not None:
            self._ex.shutdown(wait=True)
            self._ex = None
        if self._client is not None and self._own:
            self._client.close()
        self._client = None

    def abort(self) -> None:
        """Kill the local workers now; close the client."""
        if self._ex is not None:
            _stop_pool(self._ex)
            self._ex = None
        if self._client is not None and self._own:
            try:
                self._client.close()
            except Exception:  # pragma: no cover - a cluster already gone
                pass
        self._client = None


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
