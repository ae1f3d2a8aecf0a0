"""Ctrl-C and SIGTERM stop long runs at once, with every worker, and write nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from .corpus import SHARED

MODEL = SHARED / "models" / "bbm148_ags_cell_fate_decision.bnet"  # its synchronous screen takes minutes
PHENOTYPE = "sensitive=v_Antisurvival_b1 and not v_Prosurvival_b1"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")


def _alive(pgid: int) -> list[str]:
    """Processes of the group that still run (zombies waiting to be reaped are gone)."""
    out = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.split() and not line.split()[1].startswith("Z")]


def _run_and_signal(args, sig, tmp_path, *, whole_group: bool):
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "w") as err:
        p = subprocess.Popen([sys.executable, "-c", "from logicnet.cli import main; main()", *args],
                             stdout=subprocess.DEVNULL, stderr=err, start_new_session=True, cwd=tmp_path)
    try:
        t0 = time.monotonic()
        while "screen:" not in err_path.read_text() and time.monotonic() - t0 < 60:  # the workers are busy
            time.sleep(0.1)
        time.sleep(1.0)
        assert p.poll() is None and len(_alive(p.pid)) >= 3, "the run should still be going, with its workers"
        (os.killpg if whole_group else os.kill)(p.pid, sig)
        t_sig = time.monotonic()
        code = p.wait(10)
        while _alive(p.pid) and time.monotonic() - t_sig < 5:
            time.sleep(0.05)
        gone = time.monotonic() - t_sig
        left = _alive(p.pid)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        for pid in (line.split()[0] for line in _alive(p.pid)):
            os.kill(int(pid), signal.SIGKILL)
    return code, gone, left, err_path.read_text()


CASES = [("screen", signal.SIGINT, True), ("screen", signal.SIGTERM, False),
         ("report", signal.SIGINT, True), ("report", signal.SIGTERM, False)]


@pytest.mark.skipif(not MODEL.exists(), reason="../shared/models is not present")
@pytest.mark.parametrize("command,sig,whole_group", CASES,
                         ids=["screen-SIGINT-group", "screen-SIGTERM", "report-SIGINT-group", "report-SIGTERM"])
def test_a_signal_stops_the_whole_process_tree(tmp_path, command, sig, whole_group):
    out = tmp_path / "out.html"
    out.write_text("the previous report")
    args = [command, str(MODEL), "--phenotype", PHENOTYPE, "--jobs", "2"]
    if command == "report":
        args += ["-o", str(out)]
    code, gone, left, err = _run_and_signal(args, sig, tmp_path, whole_group=whole_group)
    assert code == 128 + sig  # 130 for Ctrl-C, 143 for SIGTERM
    assert not left, left
    assert gone < 2.0
    assert "leaked semaphore" not in err and "Traceback" not in err
    assert "Interrupted by" in err and "It was at: screen:" in err
    assert out.read_text() == "the previous report"


def _slow(x):
    import time as _time

    _time.sleep(0.3)
    return x


def _interrupt_after_first(t):
    if t.completed >= 1 and not t.finished:
        raise KeyboardInterrupt


def test_an_interrupted_local_pool_leaves_no_worker():
    import multiprocessing

    from logicnet.parallel import pmap
    from logicnet.progress import reporting

    with pytest.raises(KeyboardInterrupt), reporting(_interrupt_after_first):
        pmap(_slow, list(range(40)), n_jobs=2, batch_size=1)
    assert multiprocessing.active_children() == []


def test_an_interrupted_dask_map_cancels_its_futures():
    distributed = pytest.importorskip("distributed")
    from logicnet.parallel import pmap
    from logicnet.progress import reporting

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as lc, distributed.Client(lc) as client:
        with pytest.raises(KeyboardInterrupt), reporting(_interrupt_after_first):
            pmap(_slow, list(range(40)), scheduler=client, batch_size=1)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(client.processing().values()):
            time.sleep(0.05)
        assert not any(client.processing().values())  # nothing left running or queued


def test_the_interruption_message_counts_the_seconds_up_to_the_signal():
    """Unwinding after the signal is not part of 'after N s'."""
    import signal
    import time

    from logicnet.cli.stop import Stopper

    class Tracker:
        def where(self):
            return "a long search"

    s = Stopper(Tracker())
    s.t0 -= 2.0  # started two seconds ago
    with pytest.raises(KeyboardInterrupt):
        s._raise(signal.SIGTERM, None)
    time.sleep(0.3)  # unwinding
    text = s.message()
    assert text.startswith("Interrupted by SIGTERM after 2.0 s;") and "It was at: a long search." in text, text
    assert s.code() == 143
