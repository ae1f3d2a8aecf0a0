"""Ctrl-C and SIGTERM: stop at once, say what was running, leave no process behind.

SIGINT exits with status 130 and SIGTERM (what ``timeout``, cron and cluster
schedulers send) with 143, the shell's 128 + signal number.  The signal raises
:class:`KeyboardInterrupt` in the main thread, which unwinds the work: a local
process pool terminates its workers and a Dask client cancels its futures
(:mod:`logicnet.parallel`); output files are written whole or not at all.  If the
main thread is inside one long compiled call that does not return within
:data:`GRACE` seconds, a watcher thread (woken by the signal itself, through
:func:`signal.set_wakeup_fd`) kills the workers and ends the process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

#: Seconds the main thread has to unwind after a signal before the process is ended.
GRACE = 1.2

_NAMES = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


class Stopper:
    """While active (a context manager, main thread only): SIGINT and SIGTERM raise
    :class:`KeyboardInterrupt`; :meth:`stop` then prints what was running and exits."""

    def __init__(self, tracker) -> None:
        self.tracker = tracker
        self.signum: int | None = None
        self.t0 = time.monotonic()
        self.at: float | None = None  # when the signal came
        self.where = ""
        self.done = threading.Event()
        self.active = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> Stopper:
        if not self.active:
            return self
        self.old = {s: signal.signal(s, self._raise) for s in _NAMES}
        self.wake = _WakeUp()
        try:
            self.old_fd = signal.set_wakeup_fd(self.wake.write_fd, warn_on_full_buffer=False)
        except ValueError:  # pragma: no cover - not the main thread of the interpreter
            self.old_fd = None
        self.watcher = threading.Thread(target=self._watch, daemon=True, name="logicnet-stop")
        self.watcher.start()
        return self

    def __exit__(self, *exc) -> None:
        if not self.active:
            return
        self.done.set()
        if self.old_fd is not None:
            signal.set_wakeup_fd(self.old_fd)
        for s, h in self.old.items():
            signal.signal(s, h)
        self.wake.close_write()  # wakes the watcher, which then ends
        self.watcher.join(1.0)
        self.wake.close_read()  # only now: no other file can take its number while it is read

    def _raise(self, signum, frame) -> None:
        if self.signum is not None:  # a second signal while unwinding: the watcher ends the process
            return
        self.signum = signum
        self.at = self.at or time.monotonic()
        self.where = self.tracker.where()  # before unwinding closes the tasks
        raise KeyboardInterrupt

    def _watch(self) -> None:
        try:
            data = self.wake.read()
        except OSError:
            return
        if not data or self.done.is_set():
            return
        if self.signum is None:
            self.signum = data[0]
            self.at = self.at or time.monotonic()
            self.where = self.tracker.where()
        if not self.done.wait(GRACE):
            self._end()

    def message(self) -> str:
        signum = self.signum or signal.SIGINT
        where = self.where
        seconds = (self.at or time.monotonic()) - self.t0
        text = (f"Interrupted by {_NAMES.get(signum, f'signal {signum}')} after {seconds:.1f} s; "
                "no output file was written or changed.")
        if where:
            text += f" It was at: {where}."
        return text

    def code(self) -> int:
        return 128 + int(self.signum or signal.SIGINT)

    def stop(self) -> None:
        """Print what was running and exit with 130 (SIGINT) or 143 (SIGTERM)."""
        self.done.set()
        _echo(self.message())
        sys.exit(self.code())

    def _end(self) -> None:  # pragma: no cover - only when a compiled call outlasts GRACE
        _echo(self.message())
        kill_children()
        release_semaphores()
        os._exit(self.code())


class _WakeUp:
    """The channel :func:`signal.set_wakeup_fd` writes the signal number to: a pipe (a
    socket pair on Windows, where it must be a socket; importing :mod:`socket` costs
    more than a small search).  After :meth:`close_write`, :meth:`read` returns what was
    written, or ``b""``."""

    def __init__(self) -> None:
        if os.name == "nt":  # pragma: no cover - Windows
            import socket

            self._r, self._w = socket.socketpair()
            self._w.setblocking(False)
            self.write_fd = self._w.fileno()
        else:
            self._r, self.write_fd = os.pipe()
            os.set_blocking(self.write_fd, False)

    def read(self) -> bytes:
        return self._r.recv(1) if os.name == "nt" else os.read(self._r, 1)

    def close_write(self) -> None:
        if os.name == "nt":  # pragma: no cover - Windows
            self._w.close()
        else:
            os.close(self.write_fd)

    def close_read(self) -> None:
        if os.name == "nt":  # pragma: no cover - Windows
            self._r.close()
        else:
            os.close(self._r)


def _echo(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def release_semaphores() -> None:
    """Unlink the pool's semaphores now (multiprocessing's own finalizers), since
    ``os._exit`` skips them and the resource tracker would report them as leaked."""
    try:
        from multiprocessing import util

        util._run_finalizers(0)
    except Exception:  # pragma: no cover - best effort on the way out
        pass


def kill_children() -> None:
    """Kill the worker processes this process started (multiprocessing's)."""
    import multiprocessing

    for p in multiprocessing.active_children():
        try:
            p.kill()
        except (OSError, ValueError):
            pass
