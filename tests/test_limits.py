"""Memory budgets: the tightest of --max-memory, ulimit -v / -d, the cgroup and available memory."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from logicnet.limits import Limits, _cgroup_headroom, memory_limits
from logicnet.networks import bundled_path

from .corpus import MODELS


def _run_limited(code_or_args: list[str], limit: int) -> subprocess.CompletedProcess:
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))

    return subprocess.run([sys.executable, *code_or_args], capture_output=True, text=True, timeout=600,
                          preexec_fn=cap)


def test_the_address_space_limit_sets_the_budget():
    r = _run_limited(["-c", "from logicnet.limits import Limits; b, s = Limits().memory_budget_source(); "
                            "print(b, s, sep='|')"], 3 << 30)
    budget, source = r.stdout.strip().split("|")
    assert source == "the address-space limit (ulimit -v)"
    assert 0 < int(budget) <= 0.9 * (3 << 30)


def test_max_memory_wins_only_when_it_is_tighter():
    assert Limits(max_memory=1000).memory_budget_source() == (1000, "--max-memory")
    tightest = min(int(room * 0.9) for room, _ in memory_limits())
    assert Limits(max_memory=1 << 62).memory_budget() == tightest


def _tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_cgroup_v2_limit_minus_usage_tightest_along_the_path(tmp_path):
    _tree(tmp_path, {"proc": "0::/job/step\n",
                     "cg/memory.max": "max\n",
                     "cg/job/memory.max": "1000000\n", "cg/job/memory.current": "400000\n",
                     "cg/job/step/memory.max": "900000\n", "cg/job/step/memory.current": "100000\n"})
    assert _cgroup_headroom(str(tmp_path / "proc"), str(tmp_path / "cg")) == 600000


def test_cgroup_v1_memory_controller_and_no_limit(tmp_path):
    _tree(tmp_path, {"proc": "5:cpu:/x\n4:memory:/slurm/job1\n",
                     "cg/memory/memory.limit_in_bytes": "9223372036854771712\n",
                     "cg/memory/slurm/job1/memory.limit_in_bytes": "2048\n",
                     "cg/memory/slurm/job1/memory.usage_in_bytes": "48\n"})
    assert _cgroup_headroom(str(tmp_path / "proc"), str(tmp_path / "cg")) == 2000
    _tree(tmp_path, {"proc2": "4:memory:/\n"})
    assert _cgroup_headroom(str(tmp_path / "proc2"), str(tmp_path / "cg")) is None


def test_a_command_under_a_small_ulimit_refuses_cleanly_or_answers():
    # 1 GiB of address space: too little for the BDD engine's worker thread, which
    # used to abort the process inside the BDD library.
    r = _run_limited(["-c", "from logicnet.cli import main; main()", "validate", str(bundled_path("igf_axis.toml"))],
                     1 << 30)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "panicked" not in r.stderr
    if r.returncode == 1:
        assert "ulimit -v" in r.stderr and "Raise the limit" in r.stderr


def test_attractors_of_a_large_published_model_under_a_small_ulimit_refuse_at_once():
    # bbm004 (ErbB signalling, 247 nodes, 22 free inputs): under 1 GiB of address space
    # the listing is refused before any search, naming the inputs and what to do.
    path = MODELS / "bbm004_erbb_receptor_signaling.bnet"
    if not path.is_file():
        pytest.skip("../shared/models is not present")
    for update in ("sync", "async"):
        r = _run_limited(["-c", "from logicnet.cli import main; main()", "attractors", str(path), "--update", update],
                         1 << 30)
        assert r.returncode == 1, r.stderr[-2000:]
        assert "Traceback" not in r.stderr and "panicked" not in r.stderr
        assert "22 free inputs, so at least 2^22 = 4,194,304 attractors" in r.stderr
        assert "--fix NODE=0|1" in r.stderr and "--limit N" in r.stderr


def test_input_combinations_searched_one_at_a_time_fit_a_4gib_limit():
    """Free inputs searched one combination at a time, each on its own BDD manager: under
    4 GiB of address space (room for one manager's reserve and table at a time) every
    combination is answered, the network's own manager made after theirs are freed."""
    code = ("from unittest import mock\n"
            "from logicnet import Network, find_attractors\n"
            "from logicnet.engine import symbolic_engine\n"
            "net = Network.from_rules('I* = I\\nJ* = J\\nA* = not B or I\\nB* = A and not J\\n')\n"
            "with mock.patch.object(symbolic_engine, 'DECOMPOSE_FIRST_SPLIT_VARIABLES', -1):\n"
            "    aset = find_attractors(net, update='asynchronous', engine='symbolic')\n"
            "print(len(aset), aset.complete, aset.notes[0])\n")
    r = _run_limited(["-c", code], 4 << 30)
    assert r.returncode == 0, r.stderr[-2000:]
    n, complete, note = r.stdout.strip().split(" ", 2)
    assert (n, complete) == ("4", "True") and "one free-input combination at a time" in note
