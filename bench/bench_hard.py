"""The hard models: every row of the comparison with the strongest peers, in one run.

Each row is one question answered by logicnet and by the peer that is strongest on it,
whole process against whole process, runs alternating, answers compared, the load
printed, ratios as peer seconds / logicnet seconds (above 1: logicnet faster):

==============  ==========================================================  ============
row             question                                                    peer
==============  ==========================================================  ============
``large``       asynchronous attractors, inputs at 0, the 13 large models   biodivine-aeon
                aeon answers (``bench_symbolic.py``)
``hard``        bbm210 and bbm211 (no inputs): every attractor as a state   biobalm
                set
``free``        bbm231 with its 7 inputs free (640 attractors)              biodivine-aeon
``counts``      attractor counts with every input free (bbm083, bbm018,     none; sampled
                bbm140, bbm143; ``bench_free_inputs.py --count``)           combinations
                                                                            vs aeon
``trapspaces``  minimal trap spaces of the 17 large models, first 10,000    trappist
                (``bench_trapspaces.py --trappist``)
``fixed``       fixed-point counts of the 17 large models                   biodivine-aeon
``memory``      peak memory: bbm014 and bbm025 inputs free, bbm210          biodivine-aeon
``small``       asynchronous attractors of the 28 small models              biodivine-aeon
                (``bench_small.py --attractors``)
``simulate``    20,000 trajectories of bbm095 (``bench_small.py``)          MaBoSS
``startup``     CPU seconds of each command's start-up                      (budget)
==============  ==========================================================  ============

The rows that have a script of their own run it (its full table is printed); this script
adds the biobalm and memory rows and a summary line per row at the end.

Usage::

    python bench/bench_hard.py --peer-python PY [--rows large,hard,...] [--repeat 3]

PY is a virtualenv with biodivine-aeon, biobalm, trappist, mpbn, cmaboss and logicnet
(see bench/README.md).  The whole table takes about 25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.normpath(os.path.join(BENCH_DIR, "..", "..", "shared", "models"))
LOGICNET = os.path.join(os.path.dirname(sys.executable), "logicnet")
#: The large models aeon answers with their inputs at 0 (it does not finish bbm004,
#: bbm210, bbm211 or bbm277 in 120 s).
LARGE = "bbm014,bbm018,bbm020,bbm025,bbm070,bbm083,bbm092,bbm137,bbm140,bbm143,bbm148,bbm183,bbm231"
ROWS = ("large", "hard", "free", "counts", "trapspaces", "fixed", "memory", "small", "simulate", "startup")


def model(prefix: str) -> str:
    return next(os.path.join(MODELS_DIR, f) for f in sorted(os.listdir(MODELS_DIR))
                if f.startswith(prefix) and f.endswith(".bnet"))


def script(name: str, *args: str) -> str:
    """Run one of the bench scripts, echo its output, and return it."""
    cmd = [sys.executable, os.path.join(BENCH_DIR, name), *args]
    print(f"$ python bench/{name} {' '.join(args)}", flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    print(p.stdout, end="", flush=True)
    if p.returncode != 0:
        print(f"(exit {p.returncode}) {p.stderr.strip()[-300:]}", flush=True)
    return p.stdout


def measured(cmd: list[str], timeout: float) -> tuple[float, int | None, subprocess.CompletedProcess | None]:
    """Wall seconds, peak resident memory (KB, from /usr/bin/time) and the result of one process."""
    t0 = time.perf_counter()
    # its own process group: a timeout ends the command too, not only /usr/bin/time
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return time.perf_counter() - t0, None, None
    p = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    wall = time.perf_counter() - t0
    tail = p.stderr.strip().splitlines()
    peak = int(tail[-1]) if tail and tail[-1].isdigit() else None
    return wall, peak, p


def row_hard(args) -> list[str]:
    """bbm210 and bbm211 against biobalm: the attractors' sizes compared."""
    out = []
    print(f"\n## bbm210, bbm211 against biobalm (fastest of {args.repeat}, alternating; load "
          f"{os.getloadavg()[0]:.1f})")
    print("| model | logicnet s | biobalm s | ratio | answer |\n|---|---|---|---|---|")
    for key in ("bbm210", "bbm211"):
        path = model(key)
        best_ln = best_bb = None
        ln = bb = None
        for _ in range(args.repeat):
            t, _, p = measured([LOGICNET, "-q", "attractors", path, "--update", "async", "--format", "json",
                                "--max-states", "0"], 120)
            if p is not None and p.returncode == 0:
                ln = sorted(a["size"] for a in json.loads(p.stdout)["attractors"])
                best_ln = t if best_ln is None else min(best_ln, t)
            t, _, p = measured([args.peer_python, os.path.join(BENCH_DIR, "_biobalm_async.py"), path, "sets"], 120)
            if p is not None and p.returncode == 0:
                bb = json.loads(p.stdout)["sizes"]
                best_bb = t if best_bb is None else min(best_bb, t)
        answer = "equal" if ln is not None and ln == bb else f"logicnet {ln}, biobalm {bb}"
        ratio = best_bb / best_ln if best_ln and best_bb else None
        print(f"| {key} | {best_ln or 0:.2f} | {best_bb or 0:.2f} | {ratio or 0:.2f} | {answer} |", flush=True)
        out.append(f"{key} {ratio or 0:.2f}x biobalm ({answer})")
    return out


def row_memory(args) -> list[str]:
    """Peak resident memory of the whole process against aeon's, same question."""
    out = []
    print(f"\n## peak memory, whole process (load {os.getloadavg()[0]:.1f})")
    print("| model | inputs | logicnet MB | aeon MB | logicnet / aeon | answer |\n|---|---|---|---|---|---|")
    for key, mode in (("bbm014", "free"), ("bbm025", "free"), ("bbm210", "zero")):
        path = model(key)
        _, ln_kb, p = measured([LOGICNET, "-q", "attractors", path, "--update", "async", "--format", "json",
                                "--max-states", "0"], 300)
        ln = len(json.loads(p.stdout)["attractors"]) if p is not None and p.returncode == 0 else None
        _, ae_kb, q = measured([args.peer_python, os.path.join(BENCH_DIR, "_aeon_async.py"), path, mode],
                               args.aeon_timeout)
        ae = json.loads(q.stdout)["n"] if q is not None and q.returncode == 0 else None
        share = f"{ln_kb / ae_kb:.2f}" if ln_kb and ae_kb and ae is not None else "-"
        answer = ("equal" if ln == ae else f"logicnet {ln}, aeon {ae}") if ae is not None else \
            f"aeon did not finish in {args.aeon_timeout:g} s"
        print(f"| {key} | {mode} | {(ln_kb or 0) / 1024:.0f} | {(ae_kb or 0) / 1024:.0f} | {share} | {answer} |",
              flush=True)
        out.append(f"{key}: {share}x aeon's peak" if share != "-" else f"{key}: {answer}")
    return out


def summary_of(text: str) -> list[str]:
    """A sub-script's summary: its median and fastest lines, and how many answers were
    equal and different (rows marked "equal" / "DIFFERENT")."""
    keep = re.compile(r"(median|^fastest|answers different)", re.I)
    lines = [line.strip() for line in text.splitlines() if keep.search(line) and not line.startswith("|")]
    equal = sum(1 for line in text.splitlines() if re.search(r"\bequal\b", line))
    different = sum(1 for line in text.splitlines() if "DIFFERENT" in line)
    return lines + [f"rows with answers equal: {equal}; different: {different}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer-python", required=True, help="a Python with the peers installed (see bench/README.md)")
    ap.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated, of {', '.join(ROWS)}")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--aeon-timeout", type=float, default=120.0)
    args = ap.parse_args()
    rows = args.rows.split(",")
    unknown = set(rows) - set(ROWS)
    if unknown:
        sys.exit(f"unknown rows: {sorted(unknown)} (of {', '.join(ROWS)})")
    py = ["--peer-python", args.peer_python]
    print(f"load average at start: {os.getloadavg()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    summary: dict[str, list[str]] = {}
    for row in rows:
        print(f"\n# {row}", flush=True)
        if row == "large":
            summary[row] = summary_of(script("bench_symbolic.py", "--only", LARGE, "--repeat", str(args.repeat), *py))
        elif row == "hard":
            summary[row] = row_hard(args)
        elif row == "free":
            summary[row] = summary_of(script("bench_symbolic.py", "--free", "--only", "bbm231", *py))
        elif row == "counts":
            text = script("bench_free_inputs.py", "--count", "--only", "bbm083,bbm018,bbm140,bbm143", "--sample",
                          "4", *py)
            summary[row] = [line for line in text.splitlines() if line.startswith("| bbm")]
        elif row == "trapspaces":
            summary[row] = summary_of(script("bench_trapspaces.py", "--trappist", *py))
        elif row == "fixed":
            large17 = LARGE + ",bbm004,bbm210,bbm211,bbm277"
            summary[row] = summary_of(script("bench_symbolic.py", "--fixed-points", "--only", large17, *py))
        elif row == "memory":
            summary[row] = row_memory(args)
        elif row == "small":
            summary[row] = summary_of(script("bench_small.py", "--attractors", "--repeat", str(args.repeat), *py))
        elif row == "simulate":
            summary[row] = summary_of(script("bench_small.py", "--simulate", "--maboss-python", args.peer_python))
        elif row == "startup":
            script("bench_small.py", "--startup")
            summary[row] = ["see the table above"]
    print(f"\n# summary (load average at end: {os.getloadavg()})")
    for row in rows:
        for line in summary.get(row, []) or ["(no summary line)"]:
            print(f"- {row}: {line}")


if __name__ == "__main__":
    main()
