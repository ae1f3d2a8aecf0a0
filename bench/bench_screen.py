"""Benchmark: whole single + double knockout screens, both update schemes.

1. The bundled IGF-axis study, context HCC + lenvatinib, every node the condition
   leaves free (``--targets all``, as before) and the default actionable targets; in
   this process, with the time split into reduce / compile / search / score /
   explanations.
2. Published models from the shared corpus, as plain network files through the
   command line (``logicnet screen MODEL.bnet --fix ... --phenotype ...
   --format json``), default targets, singles and pairs, ``--jobs N``:

   * bbm092 (hepatocellular carcinoma EMT, 69 variables, 8 inputs): every input on
     (``--fix v_CHD1L=1 ... v_HGF=1``: TGF-beta, growth factors, hypoxia and
     Goosecoid present); phenotype ``epithelial = v_E_cadherin and not v_SNAI1``.
   * bbm148 (AGS gastric cancer cell fate, 83 variables, no inputs): the model as
     published, nothing fixed; phenotype ``sensitive = v_Antisurvival_b1 and not
     v_Prosurvival_b1`` (apoptosis on, proliferation off).

   Wall time and peak resident memory of the whole process tree (main process and
   workers, sampled every 0.1 s from /proc), and how many conditions each engine
   scored.

Every screen also prints the estimate it stated before starting (its plan line) next
to the measured wall time, and their ratio (the cost model of ``logicnet.screen`` is
meant to be right within a factor of 3).

    python3 bench/bench_screen.py [--jobs N] [--score share|probability] [--skip-models] [--only bbm092|bbm148]
                                  [--update synchronous|asynchronous] [--max-time SECONDS]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time

from logicnet.io.study import read_study
from logicnet.networks import bundled_path
from logicnet.parallel import default_jobs
from logicnet.screening import screen

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.normpath(os.path.join(BENCH_DIR, "..", "..", "shared", "models"))

MODELS = {
    "bbm092": ("bbm092_hepatocellular_carcinoma.bnet",
               [f"v_{n}=1" for n in ("CHD1L", "EGF", "FGF", "Goosecoid", "Hypoxia", "IGF1", "PDGF", "HGF")],
               "epithelial=v_E_cadherin and not v_SNAI1"),
    "bbm148": ("bbm148_ags_cell_fate_decision.bnet", [],
               "sensitive=v_Antisurvival_b1 and not v_Prosurvival_b1"),
}


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (kB)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                parts = fh.read().rsplit(")", 1)[1].split()
            parent[int(d)] = int(parts[1])
            with open(f"/proc/{d}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss[int(d)] = int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    total = 0
    for pid, kb in rss.items():
        p = pid
        while p and p != root and p in parent:
            p = parent[p]
        if p == root:
            total += kb
    return total


def run_cli(args: list[str], timeout: float) -> tuple[float, int, str, str]:
    """Wall seconds, peak tree RSS (kB), stdout and stderr of ``logicnet ARGS``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "from logicnet.cli import main; main()", *args],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    import threading

    out: dict[str, str] = {}

    def read(name, stream):
        out[name] = stream.read()

    threads = [threading.Thread(target=read, args=(k, s)) for k, s in (("out", proc.stdout), ("err", proc.stderr))]
    for th in threads:
        th.start()
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            break
        time.sleep(0.1)
    for th in threads:
        th.join()
    return time.perf_counter() - t0, peak, out.get("out", ""), out.get("err", "")


def _estimate(plan: str) -> float | None:
    """The estimated seconds in a screen's plan line."""
    import re

    m = re.search(r"estimated ([\d.]+) s", plan)
    return float(m.group(1)) if m else None


def _vs(est: float | None, wall: float) -> str:
    return f"{est:>8.1f} {wall / est:>6.2f}" if est else f"{'-':>8} {'-':>6}"


def igf(jobs: int, score: str = "share") -> None:
    study = read_study(bundled_path("igf_axis.toml"))
    print(f"IGF axis, context HCC + lenvatinib, up to {jobs} process(es), score {score}")
    print(f"{'targets':<11} {'update':<13} {'scored':>6} {'wall s':>7} {'reduce':>7} {'compile':>7} {'search':>7} "
          f"{'score':>7} {'explain':>7} {'est. s':>8} {'actual/est':>6}  complete singles")
    for targets in ("all", "actionable"):
        total = 0.0
        for update in ("synchronous", "asynchronous"):
            t0 = time.perf_counter()
            plan: list[str] = []
            res = screen(study, context="HCC", drugs=["lenvatinib"], update=update, max_order=2, targets=targets,
                         n_jobs=jobs, score=score, plan=plan.append)
            wall = time.perf_counter() - t0
            total += wall
            tm = res.timings
            singles = [h.label for h in res.results if h.complete and len(h.intervention) + len(h.drugs_added) == 1]
            print(f"{targets:<11} {update:<13} {res.counts['scored']:>6} {wall:>7.1f} {tm['reduce']:>7.1f} "
                  f"{tm['compile']:>7.1f} {tm['search']:>7.1f} {tm['score']:>7.1f} {tm['explain']:>7.1f} "
                  f"{_vs(_estimate(plan[0]), wall)}  "
                  f"{', '.join(singles)}")
        print(f"{targets:<11} both update schemes: {total:.1f} s wall")


def models(jobs: int, only: str | None, timeout: float, updates=("synchronous", "asynchronous"),
           max_time: float | None = None) -> None:
    print(f"\nPublished models, single + double knockouts, default targets, --jobs {jobs}")
    print(f"{'model':<7} {'update':<13} {'wall s':>7} {'peak MiB':>8} {'results':>7} {'scored':>6} {'dominated':>9} "
          f"{'not eval':>8} {'explicit':>8} {'symbolic':>8} {'attr-lvl':>8} {'est. s':>8} {'actual/est':>6}  best")
    for key, (fname, fix, phen) in MODELS.items():
        if only and key != only:
            continue
        path = os.path.join(MODELS_DIR, fname)
        if not os.path.exists(path):
            print(f"{key}: {path} not found (the shared model corpus sits beside the repository)")
            continue
        for update in updates:
            args = ["screen", path, "--update", update, "--phenotype", phen, "--format", "json", "--jobs", str(jobs)]
            for f in fix:
                args += ["--fix", f]
            if max_time is not None:
                args += ["--max-time", f"{max_time:g}"]
            wall, peak, out, err = run_cli(args, timeout)
            try:
                d = json.loads(out)
            except json.JSONDecodeError:
                print(f"{key:<7} {update:<13} {wall:>7.1f} {peak / 1024:>8.0f}  failed: {err.strip()[-300:]}")
                continue
            c = d["counts"]
            eng = collections.Counter(h["engine"] for h in d["results"] if h["status"] == "scored")
            best = [h for h in d["results"] if h["status"] == "scored"][:1]
            best_s = f"{best[0]['label']} {best[0]['score']:.3f}" if best else "-"
            level = sum(1 for h in d["results"] if h["measure"] == "attractor-level")
            assert level == c["attractor_level"], "the counts do not match the results"
            print(f"{key:<7} {update:<13} {wall:>7.1f} {peak / 1024:>8.0f} {c['results']:>7} {c['scored']:>6} "
                  f"{c['dominated']:>9} {c['not_evaluated']:>8} {eng['explicit']:>8} {eng['symbolic']:>8} "
                  f"{level:>8} {_vs(_estimate(err), wall)}  {best_s}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--skip-igf", action="store_true")
    ap.add_argument("--score", default="share", choices=["share", "probability"],
                    help="IGF screen: rank by share (default) or by probability (asynchronous, rates).")
    ap.add_argument("--skip-models", action="store_true")
    ap.add_argument("--only", choices=sorted(MODELS))
    ap.add_argument("--timeout", type=float, default=1200.0, help="Seconds per model screen.")
    ap.add_argument("--update", choices=["synchronous", "asynchronous"], help="Published models: one scheme only.")
    ap.add_argument("--max-time", type=float, help="Published models: pass --max-time SECONDS (a refusal shows "
                                                   "as failed, with the message).")
    args = ap.parse_args()
    if not args.skip_igf:
        igf(args.jobs, args.score)
    if not args.skip_models:
        models(args.jobs, args.only, args.timeout, (args.update,) if args.update else ("synchronous", "asynchronous"),
               args.max_time)


if __name__ == "__main__":
    main()
