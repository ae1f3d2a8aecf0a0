"""Large exhaustive searches: 2^30 (and 2^32) synchronous, 2^24 asynchronous.

1. Synchronous, 30 free variables: a random K=2 network with n = 30 (the first seed
   whose rules are all non-constant, so every variable is free), searched over all
   2^30 states with ``logicnet attractors FILE --update sync --no-reduce`` (i.e.
   ``find_attractors(net, reduce=False)``; bench/_logicnet_fallback.py if the CLI
   lacks the option).
   Reported: whole-process time, search time, peak memory of the process (VmHWM, from
   ``/usr/bin/time -v``, else ``getrusage(RUSAGE_CHILDREN)``).  Targets: < 60 s and
   < 5 GB.  The default run (``logicnet attractors FILE --update sync``, which prunes
   outputs exactly first) is timed too, and both answers must be identical
   (attractors and basins).  No peer: BoolNet's exhaustive search stops at 29 genes.
   ``--n32`` adds n = 32 (2^32 states: about 17 GB of memory; it is refused by
   logicnet's memory check if the machine does not have that much free).

2. Asynchronous, 2^24 states: random K=2 networks with n = 24 (the first ``--async-seeds``
   seeds with no constant rule), all 2^24 states (``reduce=False``), target < 30 s; and
   the default (reduced) run.  Compared with peers on the same file (run with the
   benchmark virtualenv, ``--peer-python``, default /tmp/benchvenv/bin/python):

   * biodivine-aeon ``Attractors.attractors(AsynchronousGraph(bn))`` (symbolic, BDDs):
     the same attractors, compared state by state (attractors up to 3*10^5 states;
     larger ones by size);
   * mpbn: its fixed points must be logicnet's fixed points, and its minimal trap
     spaces must be consistent (every logicnet attractor inside one, every trap
     space holding at least one attractor): mpbn's attractors are the most
     permissive ones, not the asynchronous ones;
   * pyboolnet ``compute_attractors(primes, "asynchronous")`` (model checking with the
     NuSMV it ships; needs ``apt-get install libtinfo5``): the same number of
     attractors, each representative state inside a different logicnet attractor.

Install the peers::

    python3 -m venv /tmp/benchvenv
    /tmp/benchvenv/bin/pip install -e . mpbn biodivine-aeon pyboolnet
    apt-get install libtinfo5          # for pyboolnet's NuSMV

Usage::

    python3 bench/bench_big.py             # both parts (~5 min)
    python3 bench/bench_big.py --quick     # n = 26 sync, n = 20 async (~1 min)
    python3 bench/bench_big.py --n32       # adds the 2^32 run (~17 GB)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402
import netgen  # noqa: E402
from _peers import file_nodes  # noqa: E402

PEERS = os.path.join(C.BENCH_DIR, "_peers.py")


def gb(kb):
    return None if kb is None else kb / 2**20


def fmt_gb(kb):
    return "-" if kb is None else f"{gb(kb):.2f}"


def sync_part(n, a, use_cli, problems):
    seed = C.first_seed_without_constants(n, 2)
    path = netgen.net_path(a.workdir, n, 2, seed)
    _, free, m = C.reduced_size(path)
    C.log(f"... sync 2^{n}: {path}")
    rows = []
    try:
        full = C.run_logicnet(path, update="sync", timeout=a.timeout, use_cli=use_cli, no_reduce=True,
                              measure_memory=True)
    except C.BenchError as e:
        problems.append(f"sync n={n} (reduce=False): {e}")
        return rows, None
    rows.append([f"random n={n} K=2 seed={seed}", "all 2^%d states (reduce=False)" % free, len(full.result["attractors"]),
                 C.fmt_s(full.proc.seconds), C.fmt_s(full.search), fmt_gb(full.proc.peak_rss_kb)])
    try:
        red = C.run_logicnet(path, update="sync", timeout=a.timeout, use_cli=use_cli, measure_memory=True)
        rows.append(["  same, default (" + ("CLI" if use_cli else "API") + ")", f"2^{m} after exact reduction",
                     len(red.result["attractors"]), C.fmt_s(red.proc.seconds), C.fmt_s(red.search),
                     fmt_gb(red.proc.peak_rss_kb)])
        ok, why = C.compare_sync(C.logicnet_sync_answer(full.result)[1], C.logicnet_sync_answer(red.result)[1])
        if not ok:
            problems.append(f"sync n={n}: reduce=False and the default run disagree: {why}\n  reproduce: "
                            f"logicnet attractors {path} --update sync --no-reduce --format json  vs  "
                            f"logicnet attractors {path} --update sync --format json")
    except C.BenchError as e:
        problems.append(f"sync n={n} (default): {e}")
    verdict = dict(n=n, seconds=full.proc.seconds, search=full.search, peak_gb=gb(full.proc.peak_rss_kb),
                   timings=full.timings)
    return rows, verdict


def run_peer(python, tool, path, timeout, env=None):
    p = C.run([python, PEERS, "async", tool, path], timeout=timeout, env=env)
    if p.timed_out:
        return None, f"timed out after {timeout:.0f} s"
    if p.returncode != 0:
        return None, f"failed: {(p.stderr.strip().splitlines() or ['?'])[-1][:300]}"
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if not line:
        return None, "no JSON answer"
    d = json.loads(line[-1])
    d["process_s"] = p.seconds
    return d, None


def logicnet_async_sets(result, order):
    nodes, sets = C.logicnet_state_sets(result)
    index = {nm: i for i, nm in enumerate(order)}
    if nodes == order:
        return sets
    return {frozenset(C.recode(c, nodes, index) for c in s) for s in sets}


def check_aeon(ln_sets, d):
    atts = d["attractors"]
    if len(atts) != len(ln_sets):
        return False, f"{len(ln_sets)} attractors in logicnet, {len(atts)} in aeon"
    exact = [frozenset(int(x, 16) for x in at["states"]) for at in atts if at["states"] is not None]
    big = sorted(at["size"] for at in atts if at["states"] is None)
    missing = [s for s in exact if s not in ln_sets]
    if missing:
        return False, f"{len(missing)} aeon attractor(s) not in logicnet's answer (sizes {[len(s) for s in missing][:5]})"
    rest = sorted(len(s) for s in ln_sets if s not in set(exact))
    if rest != big:
        return False, f"sizes of large attractors differ: logicnet {rest}, aeon {big}"
    return True, "same states" if not big else f"same states ({len(big)} large ones by size)"


def check_mpbn(ln_sets, d):
    fps = {int(x, 16) for x in d["fixed_points"]}
    ln_fps = {next(iter(s)) for s in ln_sets if len(s) == 1}
    if fps != ln_fps:
        return False, f"fixed points differ: logicnet {len(ln_fps)}, mpbn {len(fps)}"
    spaces = [(int(t["mask"], 16), int(t["value"], 16)) for t in d["min_trap_spaces"]]
    holder = {}
    for s in ln_sets:
        inside = [i for i, (mask, val) in enumerate(spaces) if all((c & mask) == val for c in s)]
        if len(inside) != 1:
            return False, f"a logicnet attractor lies in {len(inside)} minimal trap spaces"
        holder.setdefault(inside[0], 0)
    if len(holder) != len(spaces):
        return False, f"{len(spaces) - len(holder)} minimal trap space(s) hold no logicnet attractor"
    return True, f"consistent ({len(spaces)} min. trap spaces, same {len(fps)} fixed points)"


def check_pyboolnet(ln_sets, d):
    reps = [int(x["state"], 16) for x in d["attractors"]]
    if len(reps) != len(ln_sets):
        return False, f"{len(ln_sets)} attractors in logicnet, {len(reps)} in pyboolnet"
    hit = set()
    for r in reps:
        owners = [i for i, s in enumerate(ln_sets) if r in s]
        if len(owners) != 1:
            return False, f"pyboolnet state {r:x} is in {len(owners)} logicnet attractors"
        hit.add(owners[0])
    if len(hit) != len(reps):
        return False, "two pyboolnet attractors fall in one logicnet attractor"
    return True, "same attractors (one state each)"


def async_part(n, seeds, a, use_cli, peer_py, peer_ok, problems):
    rows, verdicts = [], []
    seed = -1
    for _ in range(seeds):
        seed = C.first_seed_without_constants(n, 2, seed + 1)
        path = netgen.net_path(a.workdir, n, 2, seed)
        _, free, m = C.reduced_size(path, propagate=True)
        order = file_nodes(path)
        C.log(f"... async 2^{n}: {path}")
        try:
            full = C.run_logicnet(path, update="async", timeout=a.timeout, use_cli=use_cli, no_reduce=True,
                                  measure_memory=True)
        except C.BenchError as e:
            problems.append(f"async n={n} seed={seed}: {e}")
            continue
        ln_sets = logicnet_async_sets(full.result, order)
        sizes = sorted(len(s) for s in ln_sets)
        try:
            red = C.run_logicnet(path, update="async", timeout=a.timeout, use_cli=use_cli)
            red_s = red.proc.seconds
            if logicnet_async_sets(red.result, order) != ln_sets:
                problems.append(f"async n={n} seed={seed}: reduce=False and default runs disagree\n  reproduce: "
                                f"logicnet attractors {path} --update async --no-reduce --format json  vs  "
                                f"logicnet attractors {path} --update async --format json")
        except C.BenchError as e:
            problems.append(f"async n={n} seed={seed} (default): {e}")
            red_s = None
        peer_cells = []
        for tool in ("aeon", "mpbn", "pyboolnet"):
            if not peer_ok.get(tool, (False,))[0]:
                peer_cells += ["skipped", "-", "-"]
                continue
            env = C.pyboolnet_env(peer_py) if tool == "pyboolnet" else None
            d, err = run_peer(peer_py, tool, path, a.peer_timeout, env)
            if d is None:
                peer_cells += [err, "-", "-"]
                continue
            ok, why = {"aeon": check_aeon, "mpbn": check_mpbn, "pyboolnet": check_pyboolnet}[tool](ln_sets, d)
            if not ok:
                problems.append(f"async n={n} seed={seed}: logicnet vs {tool}: {why}\n  reproduce: logicnet "
                                f"attractors {path} --update async --no-reduce --format json  vs  {peer_py} "
                                f"bench/_peers.py async {tool} {path}")
            peer_cells += [("yes: " if ok else "NO: ") + why, C.fmt_s(d["solve_s"]), C.fmt_s(d["process_s"])]
        rows.append([f"random n={n} K=2 seed={seed}", len(ln_sets), ",".join(map(str, sizes[:6])) + ("…" if len(sizes) > 6 else ""),
                     C.fmt_s(full.proc.seconds), C.fmt_s(full.search), fmt_gb(full.proc.peak_rss_kb),
                     f"{m}", C.fmt_s(red_s)] + peer_cells)
        verdicts.append(dict(seed=seed, seconds=full.proc.seconds, search=full.search))
    return rows, verdicts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="n = 26 synchronous, n = 20 asynchronous")
    ap.add_argument("--sync-n", type=int, default=30)
    ap.add_argument("--n32", action="store_true", help="also 32 free variables (needs ~17 GB of memory)")
    ap.add_argument("--async-n", type=int, default=24)
    ap.add_argument("--async-seeds", type=int, default=3, help="how many n=24 networks (default 3)")
    ap.add_argument("--no-sync", action="store_true")
    ap.add_argument("--no-async", action="store_true")
    ap.add_argument("--peer-python", default=None, help="interpreter with mpbn, biodivine-aeon, pyboolnet")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per logicnet process")
    ap.add_argument("--peer-timeout", type=float, default=300, help="seconds per peer process")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "logicnet-bench"))
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args(argv)
    if a.quick:
        a.sync_n, a.async_n, a.async_seeds = min(a.sync_n, 26), min(a.async_n, 20), min(a.async_seeds, 2)
    os.makedirs(a.workdir, exist_ok=True)
    print(f"# bench_big: {C.machine_line()}")
    use_cli = C.cli_available()
    full_via = ("`logicnet attractors --no-reduce`" if use_cli and C.cli_has_no_reduce()
                else "bench/_logicnet_fallback.py --no-reduce")
    print(f"logicnet default runs: {'CLI `logicnet attractors`' if use_cli else 'bench/_logicnet_fallback.py (no CLI command yet)'};"
          f" full-space runs (find_attractors(..., reduce=False)): {full_via}")
    # warm the numba cache (not timed)
    C.warm_up(a.workdir, ("sync", "async"), a.timeout)
    problems: list[str] = []
    out = {"machine": C.machine_line()}

    if not a.no_sync:
        rows, verdicts = [], []
        for n in [a.sync_n] + ([32] if a.n32 else []):
            if n >= 32:
                print(f"note: n = {n} needs about {C.sync_memory_gb(n):.0f} GB; machine has "
                      f"{C.available_gb():.0f} GB available now")
            r, v = sync_part(n, a, use_cli, problems)
            rows += r
            if v:
                verdicts.append(v)
        print(C.table(["network", "state space searched", "#attr", "whole s", "search s", "peak GB"], rows,
                      "## Synchronous exhaustive search (targets for 2^30: < 60 s, < 5 GB)"))
        for v in verdicts:
            t = v["timings"]
            line = (f"2^{v['n']}: whole {v['seconds']:.1f} s, peak "
                    f"{'?' if v['peak_gb'] is None else round(v['peak_gb'], 2)} GB; successors "
                    f"{t.get('successors', 0):.1f} s, attractors+basins {t.get('attractors', 0):.1f} s")
            if v["n"] == 30:
                line += (f"; targets: {'meets' if v['seconds'] < 60 else 'MISSES'} < 60 s, "
                         f"{'meets' if v['peak_gb'] is not None and v['peak_gb'] < 5 else 'MISSES'} < 5 GB")
            elif v["n"] == 32:
                line += f" (logicnet's estimate: {C.sync_memory_gb(32):.0f} GB)"
            print(line)
        out["sync"] = verdicts

    if not a.no_async:
        peer_py = C.peer_python(a.peer_python)
        peer_ok = {}
        if peer_py is None:
            print("peers SKIPPED: no benchmark virtualenv (python3 -m venv /tmp/benchvenv && "
                  "/tmp/benchvenv/bin/pip install -e . mpbn biodivine-aeon pyboolnet)")
        else:
            for tool, mod in (("aeon", "biodivine_aeon"), ("mpbn", "mpbn"), ("pyboolnet", "pyboolnet")):
                peer_ok[tool] = C.peer_has(peer_py, mod)
                if not peer_ok[tool][0]:
                    print(f"{tool} SKIPPED: cannot import {mod} in {peer_py}: {peer_ok[tool][1]}")
            v = C.run([peer_py, PEERS, "versions"], timeout=300)
            if v.returncode == 0:
                print("peers: " + ", ".join(f"{k} {val}" for k, val in json.loads(v.stdout.splitlines()[-1]).items()
                                            if k != "logicnet"))
        rows, verdicts = async_part(a.async_n, a.async_seeds, a, use_cli, peer_py, peer_ok, problems)
        print(C.table(["network", "#attr", "sizes", "logicnet whole s", "logicnet search s", "peak GB",
                       "reduced m", "logicnet default s",
                       "aeon agrees?", "aeon attractors s", "aeon process s",
                       "mpbn agrees?", "mpbn trap spaces s", "mpbn process s",
                       "pyboolnet agrees?", "pyboolnet s", "pyboolnet process s"], rows,
                      f"## Asynchronous exhaustive search over 2^{a.async_n} states (target < 30 s)"))
        for v in verdicts:
            print(f"seed {v['seed']}: whole {v['seconds']:.1f} s ({'meets' if v['seconds'] < 30 else 'MISSES'} < 30 s)")
        out["async"] = verdicts
    if problems:
        print("\n## PROBLEMS")
        for p in problems:
            print("- " + p)
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump({**out, "problems": problems}, fh, indent=1, default=str)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
