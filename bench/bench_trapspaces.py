"""Minimal trap spaces: logicnet vs mpbn, side by side on the 45 models of ../shared/models.

For every model three cases (each a fresh subprocess per tool, answers compared as
sets of subspace strings over the same node order):

* ``free``: inputs free (skipped when the model has more than 16 inputs: every
  minimal trap space fixes every input, so there are at least 2^inputs of them;
  logicnet refuses without ``--limit`` and mpbn would list them for hours);
* ``zero``: every input fixed to 0;
* ``random``: every input fixed to a seeded random value (models with inputs).

Tools:

* ``logicnet``: ``trap_spaces(read_network(FILE), fix=...)``;
* ``mpbn``: ``MPBooleanNetwork(rules).attractors()`` where ``rules`` are the same
  rules as .bnet text (inputs as ``x, x``, fixed nodes as constants; mpbn reads a raw
  BBM file's implicit inputs as undefined, hence the rules are handed over; mpbn
  converts them to DNF with pyeda, its default).

When a case has more than ``--cap`` minimal trap spaces (bbm004 with inputs fixed:
more than 10^5; no tool lists them all), logicnet lists the first ``--cap`` and each
of the first ``--check`` is confirmed with mpbn: ``s`` is a minimal trap space iff
mpbn's minimal trap spaces inside ``s`` (``attractors(constraints=...)``) are
exactly ``[s]``.  That checks soundness, not completeness.  Times are then those of
listing the first ``--check`` with each tool.

``solve`` is the call and listing inside the worker (mpbn: building the
MPBooleanNetwork, i.e. its DNF conversion, plus enumeration; logicnet: everything in
``trap_spaces``); ``process`` is the whole subprocess.  Ratio = mpbn / logicnet
(above 1: logicnet faster).

Usage::

    python bench/bench_trapspaces.py                     # all 45 models, 3 cases
    python bench/bench_trapspaces.py --models bbm0 --timeout 60
    python bench/bench_trapspaces.py --max               # maximal trap spaces, inputs free
    python bench/bench_trapspaces.py --trappist --peer-python PEER   # against trappist, 17 large models
    python bench/bench_trapspaces.py --record tests/data/mpbn_min_trap_spaces.json.gz

``--random N K SEED`` runs one random network of ``bench/netgen.py`` instead of the
models (inputs free), e.g. ``--random 10000 2 3``: minimal trap spaces with both
tools, whole process, answers compared; then, on the same file, the time of
``logicnet attractors FILE --fixed-points --count`` against listing the first 1,000
(``--fixed-points --limit 1000``), whole process.

``--trappist`` compares minimal trap spaces with trappist instead (Trinh, Benhamou,
Hiraishi and Soliman, CMSB 2022: maximal conflict-free siphons of the network's
Petri-net encoding, one clingo call), on the 17 models of more than 32 variables,
inputs free, each tool listing the first ``--cap`` (default here 10,000); runs
alternate (logicnet first on every other model) and the load average is printed per
model.  trappist reads the rules as .bnet text written by logicnet (inputs as
``x, x``) and calls a ``clingo`` executable; where none is on the PATH, a shim running
``PEER -m clingo`` (the clingo Python package's command line) stands in for it.
Times: in-process (reading the file and listing, after the tool's own imports: for
logicnet ``read_network`` plus ``trap_spaces``, whose first call loads numpy and
clingo; for trappist its Petri-net encoding of the file plus the clingo run) and the
whole process; ratio = trappist / logicnet.  Complete lists are compared as sets;
when both tools stop at ``--cap``, the first ``--check`` of each tool's list are each
confirmed minimal by mpbn (as above).  ``--peer-python`` needs trappist and mpbn (and
logicnet, for mpbn's check).

``--max`` compares maximal trap spaces instead (inputs free; models with constant
rules are skipped: logicnet keeps a fixed node at its value, mpbn may leave it free).
``--record`` writes mpbn's answers (the test data of tests/test_trapspaces.py); an
existing file keeps the entries of the models not run.
``--peer-python`` is an interpreter with mpbn (default: this one).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.normpath(os.path.join(BENCH_DIR, "..", "..", "shared", "models"))
MAX_FREE_INPUTS = 16
LARGE = 32  # --trappist: the models of more than this many variables


def trappist_worker(path: str, limit: int) -> dict:
    """trappist's minimal trap spaces of a .bnet file, at most ``limit`` (0: all), in the
    file's node order; the same steps as ``trappist.compute_trap_spaces``, which does not
    return its node order (the Petri net's places, in the order they are first met).
    One more than ``limit`` is asked for, as logicnet does, to tell whether there are more."""
    from trappist.trappist import get_asp_output, get_solutions, read_bnet

    t0 = time.perf_counter()
    with open(path) as fh:
        petri_net = read_bnet(fh, "asp")
    places = [p for p, kind in petri_net.nodes(data="kind") if kind == "place" and not p.startswith("-")]
    t_load = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # trappist prints clingo's exit code when not 10 or 30
        out = get_asp_output(petri_net, limit + 1 if limit else 0, 0, "min", "asp", False, 1)
    found = list(get_solutions(out, places, "asp"))
    complete = not limit or len(found) <= limit
    found = found[:limit] if limit else found
    t_end = time.perf_counter()
    order = [line.split(",", 1)[0].strip() for line in open(path)
             if "," in line and not line.startswith(("#", "targets"))]
    at = [places.index(n) for n in order]
    spaces = sorted("".join(sol[i] for i in at).replace("-", "*") for sol in found)
    return {"tool": "trappist", "spaces": spaces, "complete": complete, "load_s": t_load - t0,
            "solve_s": t_end - t_load}


def _read(path):
    import logicnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return logicnet.read_network(path)


def case_fix(net, case: str) -> dict[str, int]:
    if case == "free":
        return {}
    if case == "zero":
        return {n: 0 for n in net.inputs}
    rng = random.Random(f"{net.name}:{len(net.nodes)}")
    return {n: rng.randint(0, 1) for n in net.inputs}


def worker(tool: str, path: str, case: str, extra: str = "") -> dict:
    if tool == "trappist":
        return trappist_worker(path, int(extra or 0))
    if os.environ.get("BENCH_IMPORTS_FIRST"):  # --trappist: the tool's imports are not timed, as trappist's
        import logicnet.engine.trapspaces  # noqa: F401  (numpy, clingo)
    t0 = time.perf_counter()
    net = _read(path)
    fix = case_fix(net, case)
    t_load = time.perf_counter()
    complete = True
    kind = os.environ.get("BENCH_TRAP_KIND", "min")
    if tool == "logicnet":
        from logicnet.trapspaces import trap_spaces

        ts = trap_spaces(net, kind=kind, fix=fix, limit=int(extra) if extra else None)
        spaces, complete = list(ts), ts.complete
    elif tool == "mpbn-check":
        # Each space s is a minimal trap space iff mpbn's minimal trap spaces inside s are [s].
        import mpbn

        from logicnet.expr import format_expression

        fixed = net.fix(fix)
        m = mpbn.MPBooleanNetwork({n: format_expression(fixed.rules[n], style="bnet") for n in fixed.nodes})
        with open(extra) as fh:
            wanted = json.load(fh)
        spaces = []
        for w in wanted:
            cons = {n: int(c) for n, c in zip(net.nodes, w) if c != "*"}
            inside = ["".join(str(ts[n]) for n in net.nodes) for ts in m.attractors(constraints=cons)]
            if inside == [w]:
                spaces.append(w)
    else:
        import mpbn

        from logicnet.expr import format_expression

        fixed = net.fix(fix)
        rules = {n: format_expression(fixed.rules[n], style="bnet") for n in fixed.nodes}
        t_load = time.perf_counter()
        m = mpbn.MPBooleanNetwork(rules)
        limit = int(extra) if extra else 0
        found = m.attractors(limit=limit) if kind == "min" else m.maximal_trapspaces(limit=limit)
        spaces = ["".join(str(ts[n]) for n in net.nodes) for ts in found]
        complete = not limit or len(spaces) < limit
    t_end = time.perf_counter()
    return {"tool": tool, "case": case, "nodes": list(net.nodes), "fix": fix, "spaces": sorted(spaces),
            "complete": complete, "load_s": t_load - t0, "solve_s": t_end - t_load}


def run_worker(python: str, tool: str, path: str, case: str, timeout: float, extra: str = "", env=None):
    t0 = time.perf_counter()
    try:
        p = subprocess.run([python, os.path.abspath(__file__), "worker", tool, path, case, extra],
                           capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return None, f"timeout {timeout:.0f} s"
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        return None, "failed: " + (p.stderr.strip().splitlines() or ["?"])[-1][:200]
    res = json.loads(p.stdout)
    res["process_s"] = secs
    return res, ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models-dir", default=MODELS_DIR)
    ap.add_argument("--models", default="", help="only models whose file name contains this")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--peer-python", default=sys.executable)
    ap.add_argument("--cap", type=int, help="list at most this many (then check some) [20000; --trappist: 10000]")
    ap.add_argument("--check", type=int, default=10, help="spaces checked one by one beyond --cap [10]")
    ap.add_argument("--max", action="store_true",
                    help="maximal trap spaces instead (inputs free; models without constant rules)")
    ap.add_argument("--trappist", action="store_true",
                    help="minimal trap spaces against trappist on the models of more than 32 variables, inputs free")
    ap.add_argument("--record", metavar="FILE.json.gz", help="write mpbn's answers (test data)")
    ap.add_argument("--random", nargs=3, type=int, metavar=("N", "K", "SEED"),
                    help="one random network of bench/netgen.py instead of the models")
    args = ap.parse_args(argv)
    if args.cap is None:
        args.cap = 10000 if args.trappist else 20000
    if args.trappist:
        return compare_trappist(args)
    if args.random:
        sys.path.insert(0, BENCH_DIR)
        from netgen import net_path

        n, k, seed = args.random
        args.models_dir = tempfile.mkdtemp(prefix="bench_trap_")
        path = net_path(args.models_dir, n, k, seed)
        args.models = os.path.basename(path)
    files = sorted(f for f in os.listdir(args.models_dir) if f.endswith(".bnet") and args.models in f)
    if not files:
        print(f"no models in {args.models_dir}", file=sys.stderr)
        return 1
    if args.max and args.record:
        ap.error("--record stores minimal trap spaces; drop --max")
    if args.max:
        os.environ["BENCH_TRAP_KIND"] = "max"
    record: dict = {}
    if args.record and os.path.exists(args.record):  # update the models run, keep the others
        with gzip.open(args.record, "rt") as fh:
            record = json.load(fh)
        for f in files:
            record.pop(f[:-5], None)
    ratios_solve, ratios_proc = [], []
    mismatches = 0
    print(f"{'model':<16}{'case':<8}{'count':>7}{'logicnet s':>12}{'mpbn s':>10}{'ratio':>8}"
          f"{'process l/m s':>16}{'ratio':>8}  answer")
    for f in files:
        path = os.path.join(args.models_dir, f)
        net = _read(path)
        cases = ["zero"] + (["random"] if net.inputs else [])
        if len(net.inputs) <= MAX_FREE_INPUTS:
            cases.insert(0, "free")
        if args.random:
            cases = ["free"]
        if args.max:
            if net.constants:
                # logicnet keeps fixed nodes at their value; mpbn may also leave them free
                print(f"{f[:15]:<16}{'free':<8}  skipped: constant rules (fixed nodes), conventions differ")
                continue
            cases = ["free"]
        for case in cases:
            ours, err_o = run_worker(sys.executable, "logicnet", path, case, args.timeout, str(args.cap))
            if ours and not ours["complete"]:
                # Too many to list (for either tool): check the first ones one by one with mpbn.
                with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                    json.dump(ours["spaces"][:args.check], fh)
                chk, err_c = run_worker(args.peer_python, "mpbn-check", path, case, args.timeout, fh.name)
                os.unlink(fh.name)
                k = min(args.check, len(ours["spaces"]))
                ok = chk is not None and len(chk["spaces"]) == k
                mismatches += not ok
                verdict = (f"more than {args.cap}: listing cut; {len(chk['spaces']) if chk else 0} of the first {k} "
                           f"confirmed minimal by mpbn" + ("" if chk else f" ({err_c})"))
                if chk and args.record:
                    entry = record.setdefault(f[:-5], {"nodes": chk["nodes"], "cases": {}})
                    entry["cases"][case] = {"fix": chk["fix"], "within": chk["spaces"], "via": "mpbn-check"}
                # time: the first --check of them, both tools (not the same ones: orders differ)
                o2, _ = run_worker(sys.executable, "logicnet", path, case, args.timeout, str(args.check))
                p2, e2 = run_worker(args.peer_python, "mpbn", path, case, args.timeout, str(args.check))
                tl = f"{o2['solve_s']:.3f}" if o2 else "-"
                tm = f"{p2['solve_s']:.3f}" if p2 else e2.split()[0]
                rs = f"{p2['solve_s'] / o2['solve_s']:.2f}" if o2 and p2 else "-"
                verdict += f"; times for the first {args.check}"
                print(f"{f[:15]:<16}{case:<8}{'>' + str(args.cap):>7}{tl:>12}{tm:>10}{rs:>8}"
                      f"{'-':>16}{'-':>8}  {verdict}", flush=True)
                continue
            peer, err_p = run_worker(args.peer_python, "mpbn", path, case, args.timeout)
            peer_answer, via = peer, "mpbn"
            if ours and peer_answer:
                same = ours["spaces"] == peer_answer["spaces"]
                mismatches += not same
                verdict = "equal" if same else "DIFFERENT"
            else:
                mismatches += 1
                verdict = "not compared: " + (err_o or err_p)
            if peer_answer and args.record:
                entry = record.setdefault(f[:-5], {"nodes": peer_answer["nodes"], "cases": {}})
                entry["cases"][case] = {"fix": peer_answer["fix"], "spaces": peer_answer["spaces"], "via": via}
            ls = f"{ours['solve_s']:.3f}" if ours else "-"
            ms = f"{peer['solve_s']:.3f}" if peer else err_p.split()[0]
            rs = rp = "-"
            lp = f"{ours['process_s']:.2f}" if ours else "-"
            mp = f"{peer['process_s']:.2f}" if peer else "-"
            if ours and peer:
                r1 = peer["solve_s"] / max(ours["solve_s"], 1e-9)
                r2 = peer["process_s"] / ours["process_s"]
                ratios_solve.append(r1)
                ratios_proc.append(r2)
                rs, rp = f"{r1:.2f}", f"{r2:.2f}"
            count = len(ours["spaces"]) if ours else (len(peer_answer["spaces"]) if peer_answer else "-")
            print(f"{f[:15]:<16}{case:<8}{count:>7}{ls:>12}{ms:>10}{rs:>8}{lp + '/' + mp:>16}{rp:>8}  {verdict}",
                  flush=True)
    if ratios_solve:
        print(f"\n{len(ratios_solve)} runs timed on both; mpbn/logicnet solve: median "
              f"{statistics.median(ratios_solve):.2f}, min {min(ratios_solve):.2f}, max {max(ratios_solve):.2f}; "
              f"process: median {statistics.median(ratios_proc):.2f}, min {min(ratios_proc):.2f}, "
              f"max {max(ratios_proc):.2f}")
    print(f"answers different: {mismatches}")
    if args.random:
        path = os.path.join(args.models_dir, files[0])
        for label, extra in (("--fixed-points --count", ["--count"]), ("--fixed-points --limit 1000",
                                                                     ["--limit", "1000"])):
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-c", "from logicnet.cli import main; main()", "-q", "attractors",
                                path, "--fixed-points", *extra], capture_output=True, text=True,
                               timeout=args.timeout)
            out = p.stdout.strip().splitlines()
            what = out[0] if extra == ["--count"] and out else f"{len(out)} lines"
            print(f"logicnet attractors FILE {label}: {time.perf_counter() - t0:.2f} s whole process ({what})")
    if args.record:
        data = json.dumps(record, separators=(",", ":"), sort_keys=True).encode()
        with gzip.GzipFile(args.record, "wb", mtime=0) as fh:  # mtime=0: same bytes for the same answers
            fh.write(data)
        print(f"wrote {args.record} ({len(record)} models)")
    return 1 if mismatches else 0


def _clingo_env(python: str, workdir: str) -> tuple[dict, str]:
    """The environment for trappist's worker: a ``clingo`` executable on the PATH (a shim
    running the clingo Python package where there is none), and what was used."""
    env = dict(os.environ)
    found = shutil.which("clingo", path=os.pathsep.join([os.path.dirname(python), env.get("PATH", "")]))
    if found:
        env["PATH"] = os.pathsep.join([os.path.dirname(found), env.get("PATH", "")])
        return env, found
    shim = os.path.join(workdir, "clingo")
    with open(shim, "w") as fh:
        fh.write(f'#!/bin/sh\nexec "{python}" -m clingo "$@"\n')
    os.chmod(shim, 0o755)
    env["PATH"] = os.pathsep.join([workdir, env.get("PATH", "")])
    return env, f"{python} -m clingo (no clingo executable on the PATH)"


def _confirmed(args, path: str, spaces: list[str]) -> tuple[int, str]:
    """How many of ``spaces`` mpbn confirms minimal (inputs free), and an error if it failed."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spaces, fh)
    chk, err = run_worker(args.peer_python, "mpbn-check", path, "free", args.timeout, fh.name)
    os.unlink(fh.name)
    return (len(chk["spaces"]) if chk else 0), err


def compare_trappist(args) -> int:
    """Minimal trap spaces, inputs free, the first ``args.cap``: logicnet against trappist."""
    from logicnet.io.bnet import generate_bnet

    workdir = tempfile.mkdtemp(prefix="bench_trappist_")
    env, clingo_used = _clingo_env(args.peer_python, workdir)
    print(f"trappist's clingo: {clingo_used}")
    files = sorted(f for f in os.listdir(args.models_dir) if f.endswith(".bnet") and args.models in f)
    print(f"{'model':<16}{'n':>5}{'count':>8}{'logicnet s':>12}{'trappist s':>12}{'ratio':>8}"
          f"{'process l/t s':>16}{'ratio':>8}{'load':>6}  answer")
    ratios_solve, ratios_proc = [], []
    mismatches = timed = 0
    for f in files:
        path = os.path.join(args.models_dir, f)
        net = _read(path)
        if net.n_nodes <= LARGE:
            continue
        rules = os.path.join(workdir, f)  # the rules as logicnet read them, for trappist
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # names other readers refuse are renamed
            text = "\n".join(generate_bnet(net)) + "\n"
        with open(rules, "w") as fh:
            fh.write(text)
        runs = [("logicnet", sys.executable, path, dict(os.environ, BENCH_IMPORTS_FIRST="1")),
                ("trappist", args.peer_python, rules, env)]
        if timed % 2:
            runs.reverse()
        timed += 1
        load = os.getloadavg()[0]
        got = {}
        for tool, python, file, tool_env in runs:
            got[tool] = run_worker(python, tool, file, "free", args.timeout, str(args.cap), env=tool_env)
        (ours, err_o), (peer, err_p) = got["logicnet"], got["trappist"]
        if ours and peer:
            cut_o = not ours["complete"]
            cut_p = not peer["complete"]
            if not cut_o and not cut_p:
                same = ours["spaces"] == peer["spaces"]
                verdict = "equal" if same else "DIFFERENT"
            elif cut_o and cut_p:
                k = min(args.check, args.cap)
                n_o, e_o = _confirmed(args, path, ours["spaces"][:k])
                n_p, e_p = _confirmed(args, path, peer["spaces"][:k])
                same = len(ours["spaces"]) == args.cap and n_o == k and n_p == k
                verdict = (f"both list the first {args.cap:,} (there are more); mpbn confirms {n_o} of logicnet's "
                           f"first {k} and {n_p} of trappist's minimal" + (f" ({e_o or e_p})" if e_o or e_p else ""))
            else:
                same = False
                verdict = f"DIFFERENT: logicnet {len(ours['spaces'])}, trappist {len(peer['spaces'])}"
            mismatches += not same
            t_o, t_p = ours["load_s"] + ours["solve_s"], peer["load_s"] + peer["solve_s"]
            r1 = t_p / t_o
            r2 = peer["process_s"] / ours["process_s"]
            ratios_solve.append(r1)
            ratios_proc.append(r2)
            count = f"{len(ours['spaces']):,}" + ("+" if cut_o else "")
            print(f"{f[:15]:<16}{net.n_nodes:>5}{count:>8}{t_o:>12.3f}{t_p:>12.3f}{r1:>8.2f}"
                  f"{ours['process_s']:>7.2f}/{peer['process_s']:<8.2f}{r2:>8.2f}{load:>6.1f}  {verdict}", flush=True)
        else:
            mismatches += 1
            print(f"{f[:15]:<16}{net.n_nodes:>5}  not compared: {err_o or err_p}", flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    if ratios_solve:
        print(f"\n{len(ratios_solve)} models timed on both; trappist/logicnet in-process: median "
              f"{statistics.median(ratios_solve):.2f}, min {min(ratios_solve):.2f}, max {max(ratios_solve):.2f}; "
              f"process: median {statistics.median(ratios_proc):.2f}, min {min(ratios_proc):.2f}, "
              f"max {max(ratios_proc):.2f}")
    print(f"answers different: {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        print(json.dumps(worker(*sys.argv[2:6])))
        sys.exit(0)
    sys.exit(main())
