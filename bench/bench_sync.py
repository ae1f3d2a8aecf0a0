"""Exhaustive synchronous attractors: logicnet vs BoolNet (R), side by side.

For random N-K networks (n = 16, 18, ..., 28; K = 2 and 3; see netgen.py) and for every
model in ../shared/models with at most 28 variables, runs

* logicnet: ``logicnet attractors FILE --update sync --format json --timings``
  (or bench/_logicnet_fallback.py, the same thing through the Python API, while the
  CLI command does not exist yet), and
* BoolNet: ``Rscript bench/boolnet_sync.R FILE``, i.e. ``loadNetwork`` +
  ``getAttractors(net, type="synchronous", method="exhaustive", returnTable=FALSE)``,

and compares (a) the whole process, timed with ``time.perf_counter`` around
``subprocess.run``, and (b) the search alone: BoolNet's ``getAttractors`` call (timed in
R) vs logicnet's successors + attractors phases (``--timings``).  Ratios are BoolNet
time / logicnet time (above 1: logicnet is faster).  Both tools run on the same
machine in alternation, so drift in absolute speed affects both.

Every answer is checked: the same set of attractors (cycles compared as cyclic
sequences of states, BoolNet's ``involvedStates`` decoded from 32-bit chunks over its
gene order and mapped by name to logicnet's node order) and the same basin sizes.

Random networks use, for each (n, K), the first seed >= 0 whose network has no
constant rule, so that all n variables are in the state space of both tools
(``--any-seed`` takes seed 0).  The ``free`` column is BoolNet's search space (2^free
states), ``m`` logicnet's after its exact reduction (outputs pruned, basins scaled back).

Cold start: logicnet's kernels are compiled by numba and cached on disk; a "cold" run
uses an empty ``NUMBA_CACHE_DIR`` (a fresh temporary directory), "warm" runs a cache
filled beforehand.

Peers: BoolNet, ``apt-get install r-cran-boolnet r-cran-jsonlite`` (or in R:
``install.packages(c("BoolNet", "jsonlite"))``).

Usage::

    python3 bench/bench_sync.py --quick          # n <= 22 and models <= 22 variables, ~1 minute
    python3 bench/bench_sync.py --no-models      # random networks n <= 28, ~6 minutes
    python3 bench/bench_sync.py --no-random      # the 28 models, ~15 minutes (BoolNet needs
                                                 # 1-7 minutes on models with 10^3 attractors)
    python3 bench/bench_sync.py                  # both (~20 minutes)
    python3 bench/bench_sync.py --max-n 24 --repeat 3 --no-models
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402
import netgen  # noqa: E402


def small_models(max_total: int) -> list[tuple[str, int]]:
    meta = os.path.join(C.MODELS_DIR, "models.json")
    if not os.path.exists(meta):
        return []
    with open(meta) as fh:
        data = json.load(fh)
    out = []
    for m in data["models"]:
        path = os.path.join(C.MODELS_DIR, m["model"] + ".bnet")
        if int(m["total"]) <= max_total and os.path.exists(path):
            out.append((m["model"], int(m["total"])))
    out.sort(key=lambda t: (t[1], t[0]))
    return out


def explicit_copy(src: str, dst: str) -> str:
    """A copy with explicit ``x, x`` lines for free inputs (BoolNet needs them)."""
    if os.path.exists(dst):
        return dst
    exe = shutil.which("logicnet")
    if exe:
        p = subprocess.run([exe, "convert", src, dst], capture_output=True, text=True, timeout=300)
        if p.returncode == 0:
            return dst
    from logicnet.io import read_network, write_network

    write_network(read_network(src), dst)
    return dst


def geomean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def bench_case(label, ln_path, bn_path, k, a, use_cli, have_boolnet, env):
    n, free, m = C.reduced_size(ln_path)
    ln_runs, bn_runs = [], []
    bn_timeout = a.boolnet_timeout or a.timeout
    bn_capped = False
    for r in range(max(a.repeat, a.ln_repeat)):
        order = ("ln", "bn") if r % 2 == 0 else ("bn", "ln")
        for who in order:
            if who == "ln":
                ln_runs.append(C.run_logicnet(ln_path, update="sync", timeout=a.timeout, use_cli=use_cli, env=env))
            elif have_boolnet and r < a.repeat and not bn_capped:
                try:
                    bn_runs.append(C.run_boolnet(bn_path, timeout=bn_timeout, table=a.table))
                except C.BenchError as e:
                    if "timed out" not in str(e):
                        raise
                    bn_capped = True
    nodes, ln_ans = C.logicnet_sync_answer(ln_runs[0].result)
    agree, why = "-", ""
    for run in ln_runs[1:]:
        if C.logicnet_sync_answer(run.result)[1] != ln_ans:
            agree, why = "NO", "logicnet answers differ between repeats"
    if bn_runs:
        bn_ans = C.boolnet_sync_answer(bn_runs[0][1], nodes)
        ok, why2 = C.compare_sync(ln_ans, bn_ans)
        if agree != "NO":
            agree, why = ("yes" if ok else "NO"), why2
        for _, res in bn_runs[1:]:
            if C.boolnet_sync_answer(res, nodes) != bn_ans:
                agree, why = "NO", "BoolNet answers differ between repeats"
    elif bn_capped:
        agree = f"n/a (BoolNet > {bn_timeout:.0f} s)"
    ln_whole = min(x.proc.seconds for x in ln_runs)
    ln_search = min(x.search for x in ln_runs)
    bn_whole = min(p.seconds for p, _ in bn_runs) if bn_runs else None
    bn_search = min(res["seconds"] for _, res in bn_runs) if bn_runs else None
    row = dict(network=label, n=n, K=k, free=free, m=m, attractors=len(ln_ans), agree=agree, why=why,
               ln_whole=ln_whole, bn_whole=bn_whole, ln_search=ln_search, bn_search=bn_search,
               bn_capped=bn_timeout if bn_capped else None,
               ln_timings=ln_runs[0].timings, ln_file=ln_path, bn_file=bn_path)
    return row


def row_cells(r):
    if r.get("bn_capped"):
        cap = r["bn_capped"]
        bn_w = bn_s = f"> {cap:.0f}"
        rw, rs = f"> {cap / r['ln_whole']:.0f}x", (f"> {cap / r['ln_search']:.0f}x" if r["ln_search"] > 0 else "-")
    else:
        bn_w, bn_s = C.fmt_s(r["bn_whole"]), C.fmt_s(r["bn_search"])
        rw, rs = C.fmt_ratio(r["ln_whole"], r["bn_whole"]), C.fmt_ratio(r["ln_search"], r["bn_search"])
    return [r["network"], r["n"], r["K"], r["free"], r["m"], r["attractors"], r["agree"],
            C.fmt_s(r["ln_whole"]), bn_w, rw, C.fmt_s(r["ln_search"]), bn_s, rs]


HEADERS = ["network", "n", "K", "free", "m", "#attr", "agree?", "logicnet whole s", "BoolNet whole s",
           "ratio", "logicnet search s", "BoolNet search s", "ratio"]


_IN_PROCESS = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from logicnet.io import read_network
from logicnet.attractors import find_attractors
net = read_network(sys.argv[1])
out = []
for _ in range(3):
    t = {}
    find_attractors(net, update="synchronous", timings=t)
    out.append(t.get("successors", 0.0) + t.get("attractors", 0.0))
print(json.dumps(out))
"""


def cold_start(path, a, use_cli, env):
    """Cold (empty numba cache) vs warm runs of the same network, and the search time of
    a second call in the same Python process (no numba start-up left)."""
    rows = []
    for _ in range(max(a.repeat, 2)):
        cache = tempfile.mkdtemp(prefix="logicnet-cold-numba-")
        try:
            cold = C.run_logicnet(path, update="sync", timeout=a.timeout, use_cli=use_cli,
                                  env={**env, "NUMBA_CACHE_DIR": cache})
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        warm = C.run_logicnet(path, update="sync", timeout=a.timeout, use_cli=use_cli, env=env)
        rows.append((cold, warm))
    cold_whole = min(c.proc.seconds for c, _ in rows)
    warm_whole = min(w.proc.seconds for _, w in rows)
    cold_search = min(c.search for c, _ in rows)
    warm_search = min(w.search for _, w in rows)
    p = C.run([sys.executable, "-c", _IN_PROCESS, path], timeout=a.timeout,
              env={"NUMBA_CACHE_DIR": C.WARM_CACHE, **env})
    again = min(json.loads(p.stdout)[1:]) if p.returncode == 0 else None
    return cold_whole, warm_whole, cold_search, warm_search, again


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--max-n", type=int, default=28, help="largest random network (default 28)")
    ap.add_argument("--min-n", type=int, default=16)
    ap.add_argument("--quick", action="store_true", help="n <= 22 and models with <= 22 variables")
    ap.add_argument("--repeat", type=int, default=1, help="BoolNet runs per network; the minimum is shown")
    ap.add_argument("--ln-repeat", type=int, default=2,
                    help="logicnet runs per network (default 2: cheap, and it keeps a one-off numba "
                         "recompilation, e.g. after an edit of the kernels, out of the minimum)")
    ap.add_argument("--boolnet-timeout", type=float, default=200,
                    help="cap on one BoolNet run in seconds (default 200; 0: --timeout); a capped row shows "
                         "'> cap' and is not checked")
    ap.add_argument("--k", default="2,3", help="comma-separated K values (default 2,3)")
    ap.add_argument("--any-seed", action="store_true", help="seed 0 even if some rules are constant")
    ap.add_argument("--no-models", action="store_true", help="random networks only")
    ap.add_argument("--no-random", action="store_true", help="shared models only")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    ap.add_argument("--table", action="store_true", help="BoolNet with returnTable=TRUE (slower)")
    ap.add_argument("--threads", type=int, default=None, help="NUMBA_NUM_THREADS for logicnet (default: all cores)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per process (default 900)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "logicnet-bench"),
                    help="where generated networks are written (default /tmp/logicnet-bench)")
    ap.add_argument("--json-out", default=None, help="also write the rows as JSON here")
    a = ap.parse_args(argv)
    if a.quick:
        a.max_n = min(a.max_n, 22)
    ks = [int(x) for x in a.k.split(",") if x]
    env = {"NUMBA_NUM_THREADS": str(a.threads)} if a.threads else {}
    os.makedirs(a.workdir, exist_ok=True)

    print(f"# bench_sync: {C.machine_line()}")
    use_cli = C.cli_available()
    print(f"logicnet: {'CLI `logicnet attractors`' if use_cli else 'bench/_logicnet_fallback.py (CLI `logicnet attractors` not available yet)'}"
          f", numba threads: {a.threads or 'default (all cores)'}")
    have_boolnet, why = C.boolnet_available()
    if have_boolnet:
        v = subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('BoolNet')))"],
                           capture_output=True, text=True, timeout=120).stdout.strip()
        print(f"BoolNet {v}: getAttractors(type='synchronous', method='exhaustive', returnTable={'TRUE' if a.table else 'FALSE'})")
    else:
        print(f"BoolNet SKIPPED: {why}")
    print("ratio = BoolNet seconds / logicnet seconds (above 1: logicnet faster); times are the minimum of "
          f"{max(a.repeat, a.ln_repeat)} logicnet and {a.repeat} BoolNet run(s); BoolNet capped at "
          f"{a.boolnet_timeout or a.timeout:.0f} s per run")

    # warm-up: fill the warm numba cache and the OS file cache (not timed)
    C.warm_up(a.workdir, ("sync",), a.timeout)
    warm_net = netgen.net_path(a.workdir, 12, 2, 0)
    C.run_logicnet(warm_net, update="sync", timeout=a.timeout, use_cli=use_cli, env=env)
    if have_boolnet:
        C.run_boolnet(warm_net, timeout=a.timeout)

    cases = []
    if not a.no_random:
        for k in ks:
            for n in range(a.min_n, a.max_n + 1, 2):
                seed = 0 if a.any_seed else C.first_seed_without_constants(n, k)
                path = netgen.net_path(a.workdir, n, k, seed)
                cases.append((f"random n={n} K={k} seed={seed}", path, path, k))
    models = []
    if not a.no_models:
        models = small_models(a.max_n if a.quick else 28)
        if not models:
            print(f"shared models: none found at {C.MODELS_DIR} (skipped)")
        for name, total in models:
            src = os.path.join(C.MODELS_DIR, name + ".bnet")
            copy = explicit_copy(src, os.path.join(a.workdir, name + ".explicit.bnet"))
            cases.append((name, src, copy, "-"))

    rows = []
    problems = []
    for label, ln_path, bn_path, k in cases:
        C.log(f"... {label}")
        try:
            r = bench_case(label, ln_path, bn_path, k, a, use_cli, have_boolnet, env)
        except C.BenchError as e:
            problems.append(f"{label}: {e}")
            C.log(f"FAILED {label}: {e}")
            continue
        rows.append(r)
        C.log("    " + " | ".join(str(c) for c in row_cells(r)))
        if r["agree"] == "NO":
            problems.append(
                f"{label}: answers differ: {r['why']}\n  reproduce: logicnet attractors {r['ln_file']} --update sync "
                f"--format json   vs   Rscript bench/boolnet_sync.R {r['bn_file']}")

    rand = [r for r in rows if r["K"] != "-"]
    mods = [r for r in rows if r["K"] == "-"]
    if rand:
        print(C.table(HEADERS, [row_cells(r) for r in rand], "## Random N-K networks"))
    if mods:
        print(C.table(HEADERS, [row_cells(r) for r in mods], "## Shared models (<= 28 variables)"))
    for name, sel in (("random", rand), ("models", mods), ("all", rows)):
        done = [r for r in sel if r["bn_whole"]]
        gw = geomean([r["bn_whole"] / r["ln_whole"] for r in done])
        gs = geomean([r["bn_search"] / r["ln_search"] for r in done if r["ln_search"] > 0])
        if gw:
            print(f"geometric mean ratio ({name}, {len(done)} networks where BoolNet finished): whole process "
                  f"{gw:.2f}x" + (f", search alone {gs:.2f}x" if gs else ""))
    n_yes = sum(r["agree"] == "yes" for r in rows)
    n_no = sum(r["agree"] == "NO" for r in rows)
    print(f"answers: {n_yes} of {len(rows)} networks checked and agree, {n_no} disagree, "
          f"{len(rows) - n_yes - n_no} not checked (BoolNet capped or missing)")

    cold = None
    if not a.no_cold:
        # a network whose reduced search is above SMALL_N = 18 variables, so that the numba
        # kernels run (below that, logicnet's search is numpy only and has no cold start)
        n_cold = min(24, a.max_n)
        path = netgen.net_path(a.workdir, n_cold, 2, C.first_seed_without_constants(n_cold, 2))
        C.log(f"... cold start on {os.path.basename(path)}")
        try:
            cw, ww, cs, ws, again = cold_start(path, a, use_cli, env)
            cold = dict(network=os.path.basename(path), cold_whole=cw, warm_whole=ww, cold_search=cs, warm_search=ws,
                        search_same_process=again)
            print(C.table(["network", "cold whole s", "warm whole s", "cold-start cost s", "cold search s",
                           "warm search s", "search, 2nd call in one process s"],
                          [[cold["network"], C.fmt_s(cw), C.fmt_s(ww), C.fmt_s(cw - ww), C.fmt_s(cs), C.fmt_s(ws),
                            C.fmt_s(again)]],
                          "## Cold start (empty NUMBA_CACHE_DIR) vs warm (filled cache)"))
            print("cold: numba compiles the kernels; warm: loads them from the cache (numba's start-up is "
                  "inside the first search of a process); 2nd call: a Python session that already searched once")
        except C.BenchError as e:
            problems.append(f"cold start: {e}")

    if problems:
        print("\n## PROBLEMS")
        for p in problems:
            print("- " + p)
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump({"machine": C.machine_line(), "cli": use_cli, "rows": rows, "cold": cold,
                       "problems": problems}, fh, indent=1, default=str)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
