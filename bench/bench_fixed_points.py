"""All fixed points of large networks: logicnet (SAT) vs mpbn (clingo) vs biodivine-aeon (BDDs).

1. Random K=2 networks with 1,000, 5,000 and 10,000 nodes (netgen.py; for each size
   the first three seeds whose network has at least one fixed point, so that there is
   something to compare; ``--any-seed`` takes seeds 0, 1, 2, which mostly have none):
   every tool lists all fixed points of the same .bnet file and the lists must be
   identical (compared as sets of states over the file's node order).  A tool that
   times out at one size is skipped at the larger sizes.

   * logicnet: ``fixed_points(read_network(FILE))`` (pyeda/picosat), in a fresh
     ``python3`` process; and the whole command ``logicnet attractors FILE
     --fixed-points --format json``;
   * mpbn: ``list(MPBooleanNetwork(FILE).fixedpoints())`` (clingo);
   * biodivine-aeon: ``FixedPoints.symbolic(AsynchronousGraph(bn))`` then listing the
     vertices (``bn`` read with ``BooleanNetwork.from_file`` and
     ``remove_regulation_constraints()``, since .bnet rules may ignore a regulator).

   ``load`` is reading the file into the tool, ``solve`` computing and listing the
   fixed points, ``process`` the whole subprocess (interpreter start, imports, load,
   solve).  Target: logicnet's solve under 5 s at 10^4 nodes and no slower than mpbn.
   Ratios are peer seconds / logicnet seconds (above 1: logicnet faster).

2. Growth with the number of fixed points: 200-node K=2 networks (``--inputs-n``) whose first m
   nodes are free inputs (``v, v``) read by the others, with m and the seed chosen
   (first seed whose count is within a factor 2 of the target) so that there are about
   10^3, 10^4 and 10^5 fixed points.  Prints the time per fixed point for each tool at
   each size: constant means linear growth, growing with the count means worse.

Peers: ``python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install -e . mpbn
biodivine-aeon`` (``--peer-python`` to use another interpreter).

Usage::

    python3 bench/bench_fixed_points.py --quick     # 1,000 and 5,000 nodes, 10^3 and 10^4 fixed points
    python3 bench/bench_fixed_points.py             # everything (~15 min: mpbn takes ~1 min per
                                                    # 10^4-node network and ~3 min for 10^5 fixed points)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402
import netgen  # noqa: E402

PEERS = os.path.join(C.BENCH_DIR, "_peers.py")


def worker(python, tool, path, timeout):
    p = C.run([python, PEERS, "fixed", tool, path], timeout=timeout)
    if p.timed_out:
        return None, f"timeout {timeout:.0f} s"
    if p.returncode != 0:
        return None, "failed: " + ((p.stderr.strip().splitlines() or ["?"])[-1][:300])
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return None, "no JSON answer"
    d = json.loads(lines[-1])
    d["process_s"] = p.seconds
    return d, None


def cli_fixed_points(path, timeout, use_cli):
    if not use_cli:
        return None
    try:
        r = C.run_logicnet(path, update="sync", fixed_points=True, timeout=timeout, use_cli=True)
    except C.BenchError as e:
        C.log(f"logicnet CLI failed: {e}")
        return None
    return r.proc.seconds, len(r.result["attractors"])


def compare(ref, other, name):
    if other is None:
        return "-"
    if other["count"] == ref["count"] and other["digest"] == ref["digest"]:
        return "yes"
    return f"NO ({name} {other['count']} vs logicnet {ref['count']})"


def ratio(a, b):
    return C.fmt_ratio(a, b)


def seeds_with_fixed_points(n, how_many, workdir, max_seed=500):
    """The first seeds whose (n, 2, seed) network has at least one fixed point (found
    with logicnet's count_fixed_points; cached in WORKDIR/fp_seeds.json)."""
    from logicnet.engine.fixedpoints import count_fixed_points
    from logicnet.io import read_network

    cache_file = os.path.join(workdir, "fp_seeds.json")
    cache = {}
    if os.path.exists(cache_file):
        with open(cache_file) as fh:
            cache = json.load(fh)
    key = f"{n}:{how_many}"
    if key in cache:
        return cache[key]
    found = []
    for seed in range(max_seed):
        path = netgen.net_path(workdir, n, 2, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if count_fixed_points(read_network(path)) > 0:
                found.append(seed)
        if len(found) == how_many:
            break
    cache[key] = found
    with open(cache_file, "w") as fh:
        json.dump(cache, fh)
    return found


def part_random(a, peer_py, have, use_cli, problems):
    rows = []
    gave_up = {"mpbn": math.inf, "aeon": math.inf}
    for n in a.sizes:
        seeds = list(range(a.seeds)) if a.any_seed else seeds_with_fixed_points(n, a.seeds, a.workdir)
        for seed in seeds:
            path = netgen.net_path(a.workdir, n, 2, seed)
            C.log(f"... fixed points: {os.path.basename(path)}")
            ln, err = worker(sys.executable, "logicnet", path, a.timeout)
            if ln is None:
                problems.append(f"logicnet on {path}: {err}")
                continue
            cli = cli_fixed_points(path, a.timeout, use_cli)
            res = {}
            for tool in ("mpbn", "aeon"):
                if not have.get(tool):
                    res[tool] = (None, "skipped")
                elif n >= gave_up[tool]:
                    res[tool] = (None, f"skipped (timed out at n={gave_up[tool]})")
                else:
                    d, e = worker(peer_py, tool, path, a.aeon_timeout if tool == "aeon" else a.peer_timeout)
                    if d is None and e.startswith("timeout"):
                        gave_up[tool] = min(gave_up[tool], n)
                    res[tool] = (d, e)
            cells = [n, seed, ln["count"], C.fmt_s(ln["load_s"]), C.fmt_s(ln["solve_s"]), C.fmt_s(ln["process_s"]),
                     C.fmt_s(cli[0]) if cli else "-"]
            for tool in ("mpbn", "aeon"):
                d, e = res[tool]
                if d is None:
                    cells += [e, "-", "-", "-", "-"]
                    continue
                agree = compare(ln, d, tool)
                if agree != "yes":
                    problems.append(f"fixed points of {path}: logicnet and {tool} differ: {agree}\n  reproduce: "
                                    f"python3 bench/_peers.py fixed logicnet {path}  vs  {peer_py} bench/_peers.py "
                                    f"fixed {tool} {path}")
                cells += [agree, C.fmt_s(d["load_s"]), C.fmt_s(d["solve_s"]), ratio(ln["solve_s"], d["solve_s"]),
                          ratio(ln["process_s"], d["process_s"])]
            rows.append(cells)
            C.log("    " + " | ".join(map(str, cells)))
    return rows


def choose_inputs_network(n, target, workdir, max_seeds=200):
    """(path, m, seed, count): count within a factor 2 of target if possible."""
    from logicnet.engine.fixedpoints import count_fixed_points
    from logicnet.io import read_network

    best = None
    m0 = round(math.log2(target))
    for m in (m0, m0 + 1, m0 - 1):
        for seed in range(max_seeds):
            path = netgen.net_path(workdir, n, 2, seed, inputs=m)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                c = count_fixed_points(read_network(path))
            if target / 2 <= c <= 2 * target:
                return path, m, seed, c
            if c and (best is None or abs(math.log(c / target)) < abs(math.log(best[3] / target))):
                best = (path, m, seed, c)
            else:
                os.unlink(path)
    return best


def part_growth(a, peer_py, have, problems):
    rows = []
    per = {"logicnet": [], "mpbn": [], "aeon": []}
    for target in a.targets:
        choice = choose_inputs_network(a.inputs_n, target, a.workdir)
        if choice is None:
            problems.append(f"growth: no network with about {target} fixed points")
            continue
        path, m, seed, count = choice
        C.log(f"... growth: {os.path.basename(path)} ({count} fixed points)")
        ln, err = worker(sys.executable, "logicnet", path, a.timeout)
        if ln is None:
            problems.append(f"logicnet on {path}: {err}")
            continue
        cells = [f"{target:.0e}", m, seed, ln["count"], C.fmt_s(ln["solve_s"]),
                 f"{1e6 * ln['solve_s'] / max(1, ln['count']):.1f}"]
        per["logicnet"].append((ln["count"], ln["solve_s"]))
        for tool in ("mpbn", "aeon"):
            if not have.get(tool):
                cells += ["skipped", "-", "-"]
                continue
            d, e = worker(peer_py, tool, path, a.aeon_timeout if tool == "aeon" else a.peer_timeout)
            if d is None:
                cells += [e, "-", "-"]
                continue
            agree = compare(ln, d, tool)
            if agree != "yes":
                problems.append(f"fixed points of {path}: logicnet and {tool} differ: {agree}\n  reproduce: "
                                f"python3 bench/_peers.py fixed logicnet {path}  vs  {peer_py} bench/_peers.py "
                                f"fixed {tool} {path}")
            per[tool].append((d["count"], d["solve_s"]))
            cells += [agree, C.fmt_s(d["solve_s"]), f"{1e6 * d['solve_s'] / max(1, d['count']):.1f}"]
        rows.append(cells)
        C.log("    " + " | ".join(map(str, cells)))
    slopes = {}
    for tool, pts in per.items():
        pts = [(c, s) for c, s in pts if c > 0 and s > 0]
        if len(pts) >= 2:
            (c0, s0), (c1, s1) = pts[-2], pts[-1]
            if c1 != c0:
                slopes[tool] = (c0, c1, math.log(s1 / s0) / math.log(c1 / c0))
    return rows, slopes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="1,000 and 5,000 nodes; 10^3 and 10^4 fixed points")
    ap.add_argument("--sizes", default="1000,5000,10000")
    ap.add_argument("--seeds", type=int, default=3, help="networks per size (default 3)")
    ap.add_argument("--any-seed", action="store_true",
                    help="seeds 0, 1, 2, ... even if a network has no fixed point (default: the first seeds "
                         "whose network has at least one, so that there is something to compare)")
    ap.add_argument("--targets", default="1e3,1e4,1e5", help="fixed-point counts for the growth part")
    ap.add_argument("--inputs-n", type=int, default=200,
                    help="nodes of the growth networks (default 200; at 1,000 nodes mpbn needs ~10 ms per fixed point)")
    ap.add_argument("--no-random", action="store_true")
    ap.add_argument("--no-growth", action="store_true")
    ap.add_argument("--peer-python", default=None)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per logicnet process")
    ap.add_argument("--peer-timeout", type=float, default=420, help="seconds per mpbn process")
    ap.add_argument("--aeon-timeout", type=float, default=60,
                    help="seconds per aeon process (its BDDs can blow up on large random networks)")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "logicnet-bench"))
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args(argv)
    a.sizes = [int(x) for x in a.sizes.split(",") if x]
    a.targets = [int(float(x)) for x in a.targets.split(",") if x]
    if a.quick:
        a.sizes = [s for s in a.sizes if s <= 5000]
        a.targets = [t for t in a.targets if t <= 10**4]
        a.seeds = min(a.seeds, 2)
    os.makedirs(a.workdir, exist_ok=True)
    print(f"# bench_fixed_points: {C.machine_line()}")
    use_cli = C.cli_available()
    peer_py = C.peer_python(a.peer_python)
    have = {}
    if peer_py is None:
        print("mpbn, aeon SKIPPED: no benchmark virtualenv (python3 -m venv /tmp/benchvenv && "
              "/tmp/benchvenv/bin/pip install -e . mpbn biodivine-aeon)")
    else:
        for tool, mod in (("mpbn", "mpbn"), ("aeon", "biodivine_aeon")):
            ok, why = C.peer_has(peer_py, mod)
            have[tool] = ok
            if not ok:
                print(f"{tool} SKIPPED: cannot import {mod} in {peer_py}: {why}")
        v = C.run([peer_py, PEERS, "versions"], timeout=300)
        if v.returncode == 0:
            vs = json.loads(v.stdout.splitlines()[-1])
            print("peers: " + ", ".join(f"{k} {vs[k]}" for k in ("mpbn", "clingo", "biodivine-aeon") if k in vs))
    print("ratio = peer seconds / logicnet seconds (above 1: logicnet faster)")
    problems: list[str] = []
    out = {"machine": C.machine_line()}

    if not a.no_random:
        rows = part_random(a, peer_py, have, use_cli, problems)
        print(C.table(["n", "seed", "#fp", "logicnet load s", "logicnet solve s", "logicnet process s",
                       "logicnet CLI s", "mpbn agrees?", "mpbn load s", "mpbn solve s", "solve ratio",
                       "process ratio", "aeon agrees?", "aeon load s", "aeon solve s", "solve ratio",
                       "process ratio"], rows, "## All fixed points of random K=2 networks"))
        big = [r for r in rows if r[0] == max(a.sizes)]
        if big:
            worst = max(float(r[4]) for r in big)
            print(f"target at n={max(a.sizes)}: logicnet solve <= {worst:.2f} s "
                  f"({'meets' if worst < 5 else 'MISSES'} < 5 s)")
        out["random"] = rows

    if not a.no_growth:
        rows, slopes = part_growth(a, peer_py, have, problems)
        print(C.table(["target", "inputs m", "seed", "#fp", "logicnet solve s", "logicnet us/fp",
                       "mpbn agrees?", "mpbn solve s", "mpbn us/fp", "aeon agrees?", "aeon solve s", "aeon us/fp"],
                      rows, f"## Growth with the number of fixed points ({a.inputs_n}-node networks with m free inputs)"))
        for tool, (c0, c1, s) in slopes.items():
            kind = ("sublinear: fixed costs still dominate" if s < 0.75 else "about linear" if s < 1.25
                    else "about quadratic" if s > 1.75 else "between linear and quadratic")
            print(f"{tool}: time grows like count^{s:.2f} from {c0} to {c1} fixed points ({kind})")
        out["growth"] = {"rows": rows, "exponents": slopes}

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
