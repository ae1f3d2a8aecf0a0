"""Helpers shared by the benchmark scripts: running tools, decoding answers, tables."""

from __future__ import annotations

import json
import os
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
MODELS_DIR = os.path.normpath(os.path.join(BENCH_DIR, "..", "..", "shared", "models"))
FALLBACK = os.path.join(BENCH_DIR, "_logicnet_fallback.py")
BOOLNET_R = os.path.join(BENCH_DIR, "boolnet_sync.R")
#: Numba cache used for all "warm" runs (so the tree's __pycache__ does not matter).
WARM_CACHE = os.path.join(tempfile.gettempdir(), "logicnet-bench-numba-cache")
PEER_PY_DEFAULT = "/tmp/benchvenv/bin/python"

if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------- processes

@dataclass
class Proc:
    seconds: float
    stdout: str
    stderr: str
    returncode: int
    peak_rss_kb: int | None = None
    timed_out: bool = False


def run(cmd: list[str], *, timeout: float, env: dict | None = None, measure_memory: bool = False,
        cwd: str | None = None) -> Proc:
    """Run ``cmd``; wall time by ``time.perf_counter`` around ``subprocess.run``.

    With ``measure_memory`` the child's peak resident memory is read from
    ``/usr/bin/time -v`` if present, else from a one-shot Python wrapper's
    ``getrusage(RUSAGE_CHILDREN)`` (both are the child's VmHWM).
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    wrapped = list(cmd)
    mem_file = None
    if measure_memory:
        if os.path.exists("/usr/bin/time"):
            fd, mem_file = tempfile.mkstemp(prefix="bench-time-")
            os.close(fd)
            wrapped = ["/usr/bin/time", "-v", "-o", mem_file] + wrapped
        else:
            fd, mem_file = tempfile.mkstemp(prefix="bench-rusage-")
            os.close(fd)
            code = ("import resource,subprocess,sys;r=subprocess.run(sys.argv[2:]).returncode;"
                    "open(sys.argv[1],'w').write('Maximum resident set size (kbytes): %d\\n' % "
                    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);sys.exit(r)")
            wrapped = [sys.executable, "-c", code, mem_file] + wrapped
    t0 = time.perf_counter()
    # its own process group: a timeout ends the command, not only a memory wrapper around it
    proc = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env,
                            cwd=cwd, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        if mem_file:
            os.unlink(mem_file)
        return Proc(time.perf_counter() - t0, out or "", err or "", -9, None, True)
    p = subprocess.CompletedProcess(wrapped, proc.returncode, out, err)
    secs = time.perf_counter() - t0
    peak = None
    if mem_file:
        try:
            with open(mem_file) as fh:
                m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", fh.read())
            peak = int(m.group(1)) if m else None
        finally:
            os.unlink(mem_file)
    return Proc(secs, p.stdout, p.stderr, p.returncode, peak)


_CLI_HELP: str | None = None


def _cli_help() -> str:
    global _CLI_HELP
    if _CLI_HELP is None:
        exe = shutil.which("logicnet")
        _CLI_HELP = ""
        if exe:
            try:
                p = subprocess.run([exe, "attractors", "--help"], capture_output=True, text=True, timeout=60)
                _CLI_HELP = p.stdout if p.returncode == 0 else ""
            except subprocess.TimeoutExpired:
                pass
    return _CLI_HELP


def cli_available() -> bool:
    """Whether ``logicnet attractors`` exists (the command is being written)."""
    return "--timings" in _cli_help()


def cli_has_no_reduce() -> bool:
    return "--no-reduce" in _cli_help()


def logicnet_cmd(path: str, *, update: str = "sync", fixed_points: bool = False, no_reduce: bool = False,
                 use_cli: bool = True) -> list[str]:
    args = [path, "--update", update, "--format", "json", "--timings"]
    if fixed_points:
        args.append("--fixed-points")
    if no_reduce:
        args.append("--no-reduce")
    if use_cli and (not no_reduce or cli_has_no_reduce()):
        return [shutil.which("logicnet") or "logicnet", "attractors"] + args
    return [sys.executable, FALLBACK] + args


_TIMING_RE = re.compile(r"([A-Za-z_]+) ([0-9.eE+-]+) s")


def parse_timings(stderr: str) -> dict[str, float]:
    for line in stderr.splitlines():
        if line.startswith("timings:"):
            return {k: float(v) for k, v in _TIMING_RE.findall(line)}
    raise BenchError(f"no 'timings:' line on stderr:\n{stderr[-2000:]}")


def search_seconds(t: dict[str, float]) -> float:
    if "search" in t:
        return t["search"]
    return t.get("successors", 0.0) + t.get("attractors", 0.0)


@dataclass
class LogicnetRun:
    proc: Proc
    result: dict
    timings: dict

    @property
    def search(self) -> float:
        return search_seconds(self.timings)


def run_logicnet(path: str, *, update: str = "sync", timeout: float = 900, env: dict | None = None,
                 use_cli: bool = True, no_reduce: bool = False, fixed_points: bool = False,
                 measure_memory: bool = False) -> LogicnetRun:
    e = {"NUMBA_CACHE_DIR": WARM_CACHE}
    e.update(env or {})
    cmd = logicnet_cmd(path, update=update, use_cli=use_cli, no_reduce=no_reduce, fixed_points=fixed_points)
    p = run(cmd, timeout=timeout, env=e, measure_memory=measure_memory)
    if p.timed_out:
        raise BenchError(f"logicnet timed out after {timeout:.0f} s: {' '.join(cmd)}")
    if p.returncode != 0:
        raise BenchError(f"logicnet failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return LogicnetRun(p, json.loads(p.stdout), parse_timings(p.stderr))


# --------------------------------------------------------------------------- answers

def canonical_cycle(codes) -> tuple[int, ...]:
    """A cycle rotated to start at its smallest code (same cycle, same tuple)."""
    codes = list(codes)
    if not codes:
        return ()
    k = codes.index(min(codes))
    return tuple(codes[k:] + codes[:k])


def string_to_code(s: str) -> int:
    """'0'/'1' string in node order -> code with bit i = node i."""
    return int(s[::-1], 2) if s else 0


def logicnet_sync_answer(result: dict) -> tuple[list[str], dict[tuple[int, ...], int | None]]:
    """Node order and {canonical cycle: basin} from logicnet's JSON."""
    nodes = list(result["nodes"])
    out = {}
    for a in result["attractors"]:
        cyc = canonical_cycle(string_to_code(s) for s in a["states"])
        if cyc in out:
            raise BenchError(f"logicnet reports the same attractor twice: {cyc}")
        out[cyc] = a["basin"]
    return nodes, out


def logicnet_state_sets(result: dict) -> tuple[list[str], set[frozenset[int]]]:
    nodes = list(result["nodes"])
    return nodes, {frozenset(string_to_code(s) for s in a["states"]) for a in result["attractors"]}


def recode(code: int, src_nodes: list[str], dst_index: dict[str, int]) -> int:
    out = 0
    for i, name in enumerate(src_nodes):
        if (code >> i) & 1:
            out |= 1 << dst_index[name]
    return out


def boolnet_state_code(state) -> int:
    """BoolNet's involvedStates column (32-bit chunks, maybe one scalar) -> code."""
    chunks = state if isinstance(state, list) else [state]
    code = 0
    for c, v in enumerate(chunks):
        code |= (int(v) & 0xFFFFFFFF) << (32 * c)
    return code


def boolnet_sync_answer(result: dict, nodes: list[str]) -> dict[tuple[int, ...], int]:
    """BoolNet's attractors over logicnet's node order: {canonical cycle: basin}."""
    genes = list(result["genes"])
    if sorted(genes) != sorted(nodes):
        raise BenchError(f"BoolNet genes differ from logicnet nodes: {sorted(set(genes) ^ set(nodes))}")
    index = {n: i for i, n in enumerate(nodes)}
    out = {}
    for a in result["attractors"]:
        cyc = canonical_cycle(recode(boolnet_state_code(s), genes, index) for s in a["states"])
        out[cyc] = int(a["basin"])
    return out


def compare_sync(ln: dict, bn: dict) -> tuple[bool, str]:
    """Exact comparison: same cycles (as cyclic sequences) and same basins."""
    if ln == bn:
        return True, ""
    only_l = set(ln) - set(bn)
    only_b = set(bn) - set(ln)
    basin = [(c, ln[c], bn[c]) for c in set(ln) & set(bn) if ln[c] != bn[c]]
    msg = []
    if only_l:
        msg.append(f"{len(only_l)} attractor(s) only in logicnet, e.g. {sorted(only_l)[:3]}")
    if only_b:
        msg.append(f"{len(only_b)} attractor(s) only in BoolNet, e.g. {sorted(only_b)[:3]}")
    if basin:
        msg.append(f"{len(basin)} basin size(s) differ (cycle, logicnet, BoolNet), e.g. {basin[:3]}")
    return False, "; ".join(msg)


def run_boolnet(path: str, *, timeout: float = 900, table: bool = False, measure_memory: bool = False):
    cmd = ["Rscript", BOOLNET_R, path] + (["--table"] if table else [])
    p = run(cmd, timeout=timeout, measure_memory=measure_memory)
    if p.timed_out:
        raise BenchError(f"BoolNet timed out after {timeout:.0f} s: {' '.join(cmd)}")
    if p.returncode != 0:
        raise BenchError(f"BoolNet failed (exit {p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p, json.loads(p.stdout)


def boolnet_available() -> tuple[bool, str]:
    if not shutil.which("Rscript"):
        return False, "Rscript not found (apt-get install r-base-core r-cran-boolnet r-cran-jsonlite)"
    p = subprocess.run(["Rscript", "-e", "suppressPackageStartupMessages({library(BoolNet); library(jsonlite)})"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return False, ("BoolNet or jsonlite missing in R (apt-get install r-cran-boolnet r-cran-jsonlite): "
                       + p.stderr.strip()[-300:])
    return True, ""


# --------------------------------------------------------------------------- peers in the venv

def peer_python(arg: str | None = None) -> str | None:
    exe = arg or os.environ.get("BENCH_PEER_PYTHON") or PEER_PY_DEFAULT
    return exe if exe and os.path.exists(exe) else None


def peer_has(python: str, module: str) -> tuple[bool, str]:
    p = subprocess.run([python, "-c", f"import {module}"], capture_output=True, text=True, timeout=300)
    return p.returncode == 0, p.stderr.strip().splitlines()[-1] if p.returncode else ""


def pyboolnet_env(python: str) -> dict:
    """LD_LIBRARY_PATH for the NuSMV binary that pyboolnet ships (it needs the
    libreadline.so.6 next to it, and libtinfo.so.5: apt-get install libtinfo5)."""
    p = subprocess.run([python, "-c", "import os,pyboolnet;print(os.path.dirname(pyboolnet.__file__))"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return {}
    d = os.path.join(p.stdout.strip(), "binaries", "linux64", "NuSMV-a")
    old = os.environ.get("LD_LIBRARY_PATH", "")
    return {"LD_LIBRARY_PATH": d + (":" + old if old else "")}


# --------------------------------------------------------------------------- misc

def first_seed_without_constants(n: int, k: int, start: int = 0, limit: int = 100000) -> int:
    """The first seed >= start whose (n, k, seed) network has no constant rule, so
    that every one of its n variables is in the state space."""
    import netgen

    for s in range(start, start + limit):
        _, rules = netgen.random_network(n, k, s)
        if not any(t.all() or not t.any() for _, t in rules.values()):
            return s
    raise BenchError(f"no seed without constant rules for n={n}, K={k}")


def reduced_size(path: str, *, propagate: bool = False) -> tuple[int, int, int]:
    """(variables, variables without fixed nodes, variables logicnet's search keeps)."""
    import warnings

    from logicnet.io import read_network
    from logicnet.reduce import reduce_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(path)
    red = reduce_network(net, propagate=propagate, prune_outputs=True)
    return net.n_nodes, net.n_nodes - len(net.constants), red.network.n_nodes


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 0.1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or a <= 0:
        return "-"
    r = b / a
    if r >= 10:
        return f"{r:.0f}x"
    if r >= 1:
        return f"{r:.1f}x"
    if r >= 0.1:
        return f"{r:.2f}x"
    return f"{r:.3f}x"


def table(headers: list[str], rows: list[list], title: str | None = None) -> str:
    """A Markdown table (pastes into README.md)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = []
    if title:
        lines.append(f"\n{title}\n")
    lines.append("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    return "\n".join(lines)


def machine_line() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 2**20:.0f} GB"
                    break
    except OSError:
        pass
    return (f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores ({cpu}), {mem} RAM, "
            f"Python {sys.version.split()[0]}, logicnet {logicnet_version()}")


def logicnet_version() -> str:
    """The commit of the tree under test, and whether logicnet/ or cli/ have local edits."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "logicnet", "cli"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return f"{head or '?'}{' + local edits in logicnet/ or cli/' if dirty else ''}"


def warm_up(workdir: str, updates=("sync",), timeout: float = 900) -> None:
    """Compile logicnet's kernels into the warm numba cache (not timed): networks with
    narrow and wide rules, so every kernel the benchmarks reach is compiled."""
    import netgen

    for n, k in ((12, 2), (20, 2), (20, 3)):
        path = netgen.net_path(workdir, n, k, first_seed_without_constants(n, k))
        for upd in updates:
            for no_reduce in (False, True):
                if upd == "async" and n > 12:
                    continue
                run_logicnet(path, update=upd, timeout=timeout, use_cli=False, no_reduce=no_reduce)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sync_memory_gb(n: int) -> float:
    """What logicnet's synchronous search allocates for n free variables (GB)."""
    from logicnet.engine.sync import sync_memory

    return sync_memory(n) / 2**30


def available_gb() -> float:
    from logicnet.limits import available_memory

    return available_memory() / 2**30
