"""Synchronous attractors of the large models: logicnet's BDD engine vs BoolNet's SAT search.

For every model of ../shared/models in the ``large`` category (31-225 non-input
variables) and each input setting (every free input fixed to 0, to 1), writes a copy
of the model with the inputs fixed (``x, 0`` lines, written by logicnet) and runs

* logicnet: ``python bench/bench_sync_symbolic.py --worker FILE`` in a fresh process:
  read the file, ``logicnet.engine.symbolic_sync.symbolic_sync_attractors`` (the
  attractors alone, ``basins=False``), and, in a second timed phase of the same
  process, the same search with exact basins (``basins=True``, within
  ``--basin-budget`` seconds);
* BoolNet: ``Rscript bench/boolnet_sync.R FILE --sat``, i.e. ``loadNetwork`` +
  ``getAttractors(net, type="synchronous", method="sat.exhaustive")`` (the SAT-based
  search of Dubrova and Teslenko, 2011; no basins).

Both whole processes are timed with ``time.perf_counter`` around ``subprocess.run``;
``logicnet s`` is the whole process up to the end of the attractor search (read,
reduce, BDDs, search; the basin phase is reported apart, ``basins s``), ``BoolNet s``
its whole process.  Ratio = BoolNet / logicnet (above 1: logicnet is faster).
Every answer is compared exactly: the same set of cycles, each as a cyclic sequence
of states over the file's node order.  BoolNet runs until ``--boolnet-timeout``
(default 600 s, the acceptance bound).

``--record FILE`` writes the answers (cycles as hexadecimal state codes, BoolNet's
verdict and times) as JSON, the reference data of tests/test_symbolic_sync_corpus.py.

Usage::

    python3 bench/bench_sync_symbolic.py                       # inputs at 0 and at 1
    python3 bench/bench_sync_symbolic.py --inputs 0 --models bbm014 bbm070
    python3 bench/bench_sync_symbolic.py --record tests/data/sync_symbolic_boolnet.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as C  # noqa: E402


def worker(path: str, budget: float) -> None:
    """Runs in the timed subprocess: attractors, then attractors with basins."""
    t0 = time.perf_counter()
    import warnings

    from logicnet.engine.symbolic_sync import symbolic_sync_attractors
    from logicnet.io import read_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(path)
    t1 = time.perf_counter()
    res = symbolic_sync_attractors(net, basins=False, max_states=1 << 20)
    t2 = time.perf_counter()
    out = {
        "nodes": list(net.nodes),
        "cycles": [[format(s, "x") for s in c.states] for c in res.cycles],
        "n_states": res.n_states,
        "read_s": t1 - t0, "search_s": t2 - t1,
    }
    sys.stdout.write(json.dumps(out) + "\n")  # the attractors, even if the basins time out
    sys.stdout.flush()
    with_basins = symbolic_sync_attractors(net, basins=True, max_states=1 << 20, max_seconds=budget)
    t3 = time.perf_counter()
    same = [c.states for c in with_basins.cycles] == [c.states for c in res.cycles]
    out = {"basins": [c.basin for c in with_basins.cycles], "basin_notes": list(with_basins.notes),
           "same_with_basins": same, "basins_s": t3 - t2}
    sys.stdout.write(json.dumps(out) + "\n")


def large_models(only: list[str] | None) -> list[str]:
    with open(os.path.join(C.MODELS_DIR, "models.json")) as fh:
        rows = json.load(fh)["models"]
    rows = sorted((r for r in rows if r["category"] == "large"), key=lambda r: (int(r["total"]), r["model"]))
    out = [r["model"] for r in rows]
    if only:
        out = [m for m in out if any(m.startswith(o) for o in only)]
    return out


def fixed_copy(model: str, value: int, workdir: str) -> tuple[str, int]:
    import warnings

    from logicnet.io import read_network, write_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(os.path.join(C.MODELS_DIR, model + ".bnet"))
    dst = os.path.join(workdir, f"{model}_inputs{value}.bnet")
    write_network(net.fix({x: value for x in net.inputs}), dst)
    return dst, len(net.inputs)


def file_nodes(path: str) -> list[str]:
    import warnings

    from logicnet.io import read_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(read_network(path).nodes)


def canonical(cycles: list[list[int]]) -> list[tuple[int, ...]]:
    return sorted(C.canonical_cycle(c) for c in cycles)


def boolnet_cycles(res: dict, nodes: list[str]) -> list[tuple[int, ...]]:
    genes = list(res["genes"])
    if sorted(genes) != sorted(nodes):
        raise C.BenchError("BoolNet genes differ from logicnet nodes")
    index = {n: i for i, n in enumerate(nodes)}
    return canonical([[C.recode(C.boolnet_state_code(s), genes, index) for s in a["states"]]
                      for a in res["attractors"]])


def run_boolnet(path: str, a) -> dict:
    """BoolNet's whole process on ``path`` (or its cached record from an earlier run)."""
    cache = None
    if a.boolnet_cache:
        os.makedirs(a.boolnet_cache, exist_ok=True)
        cache = os.path.join(a.boolnet_cache, os.path.basename(path) + ".json")
        if os.path.exists(cache):
            with open(cache) as fh:
                rec = json.load(fh)
            if not rec["timed_out"] or rec["timeout"] >= a.boolnet_timeout:
                return rec
    q = C.run(["Rscript", C.BOOLNET_R, path, "--sat"], timeout=a.boolnet_timeout)
    rec = {"timed_out": q.timed_out, "timeout": a.boolnet_timeout, "returncode": q.returncode,
           "seconds": q.seconds, "stdout": q.stdout, "stderr": q.stderr.strip()[-2000:]}
    if cache:
        with open(cache, "w") as fh:
            json.dump(rec, fh)
    return rec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--worker", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", nargs="+", type=int, default=[0, 1], choices=[0, 1])
    ap.add_argument("--models", nargs="+", help="model name prefixes (default: every large model)")
    ap.add_argument("--timeout", type=float, default=900, help="logicnet process timeout (s)")
    ap.add_argument("--boolnet-timeout", type=float, default=600)
    ap.add_argument("--basin-budget", type=float, default=120, help="seconds for the basin phase")
    ap.add_argument("--no-boolnet", action="store_true")
    ap.add_argument("--record", metavar="FILE", help="write answers and verdicts as JSON")
    ap.add_argument("--boolnet-cache", metavar="DIR",
                    help="keep BoolNet's answers and times here and reuse them (BoolNet is the slow side)")
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.basin_budget)
        return 0
    have_bn, why = (False, "--no-boolnet") if a.no_boolnet else C.boolnet_available()
    if not have_bn:
        C.log(f"BoolNet not run: {why}")
    workdir = tempfile.mkdtemp(prefix="bench-sync-symbolic-")
    rows, records = [], []
    for model in large_models(a.models):
        for value in a.inputs:
            path, n_inputs = fixed_copy(model, value, workdir)
            C.log(f"{model} inputs={value}: logicnet")
            p = C.run([sys.executable, os.path.abspath(__file__), "--worker", path, "--basin-budget",
                       str(a.basin_budget)], timeout=a.timeout)
            rec = {"model": model, "inputs": value, "n_inputs": n_inputs}
            lines = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
            if not lines:
                rec["logicnet_error"] = "timed out" if p.timed_out else p.stderr.strip()[-500:]
                ln = None
            else:
                ln = lines[0]
                if len(lines) > 1:
                    ln.update(lines[1])
                else:  # the basin phase did not finish in the process timeout
                    ln.update(basins=[None] * len(ln["cycles"]), same_with_basins=True,
                              basins_s=p.seconds - ln["read_s"] - ln["search_s"],
                              basin_notes=[f"basin phase killed at the {a.timeout:.0f} s process timeout"])
                search_end = ln["read_s"] + ln["search_s"]
                # whole process up to the end of the attractor search: start-up + read + search
                rec.update(nodes=ln["nodes"], cycles=ln["cycles"], basins=ln["basins"],
                           basin_notes=ln["basin_notes"], same_with_basins=ln["same_with_basins"],
                           logicnet_s=p.seconds - ln["basins_s"], logicnet_search_s=search_end,
                           basins_s=ln["basins_s"])
            if have_bn:
                C.log(f"{model} inputs={value}: BoolNet")
                q = run_boolnet(path, a)
                if q["timed_out"]:
                    rec["boolnet"] = f"> {q['timeout']:.0f} s"
                elif q["returncode"] != 0:
                    rec["boolnet"] = "failed: " + q["stderr"][-300:]
                else:
                    bres = json.loads(q["stdout"])
                    theirs = boolnet_cycles(bres, file_nodes(path))
                    rec.update(boolnet="finished", boolnet_s=q["seconds"], boolnet_search_s=bres["seconds"],
                               boolnet_attractors=len(theirs),
                               boolnet_cycles=[[format(x, "x") for x in c] for c in theirs])
                    if ln is not None:
                        mine = canonical([[int(s, 16) for s in c] for c in ln["cycles"]])
                        rec["agree"] = mine == theirs
            records.append(rec)
            rows.append(row_cells(rec))
            C.log(C.table(HEADERS, rows[-1:]))
    print(C.table(HEADERS, rows, title=f"Synchronous attractors, inputs fixed ({C.machine_line()})"))
    if a.record:
        with open(a.record, "w") as fh:
            json.dump({"machine": C.machine_line(), "boolnet_timeout_s": a.boolnet_timeout, "runs": records},
                      fh, indent=1)
            fh.write("\n")
    return 0


HEADERS = ["model", "inputs", "n", "#attr", "sizes", "agree?", "logicnet s", "BoolNet s", "ratio", "basins s"]


def row_cells(r: dict) -> list:
    if "cycles" not in r:
        bn = C.fmt_s(r["boolnet_s"]) if r.get("boolnet") == "finished" else r.get("boolnet", "-")
        n_bn = r.get("boolnet_attractors", "-")
        return [r["model"][:6], r["inputs"], "-", n_bn, "-", "-", r.get("logicnet_error", "?")[:40], bn, "-", "-"]
    sizes = sorted({len(c) for c in r["cycles"]})
    bn = r.get("boolnet", "-")
    agree = {True: "yes", False: "NO"}.get(r.get("agree"), "n/a")
    if bn == "finished":
        bn_s, ratio = C.fmt_s(r["boolnet_s"]), C.fmt_ratio(r["logicnet_s"], r["boolnet_s"])
    else:
        bn_s, ratio = bn, "-"
    basins = C.fmt_s(r["basins_s"]) if all(b is not None for b in r["basins"]) else f"none ({C.fmt_s(r['basins_s'])})"
    return [r["model"][:6], r["inputs"], len(r["nodes"]), len(r["cycles"]), ",".join(map(str, sizes)), agree,
            C.fmt_s(r["logicnet_s"]), bn_s, ratio, basins]


if __name__ == "__main__":
    sys.exit(main())
