"""The symbolic engine against biodivine-aeon on the published models, whole process against whole process.

For every model in ../shared/models (.bnet):

* asynchronous attractors with every input fixed (``--inputs zero``, the default: all to 0;
  ``one``: all to 1; ``random:SEED``: each input 0 or 1 drawn from a generator seeded by SEED
  and the model's name): ``logicnet attractors --update async --fix IN=V ... --format json``
  against ``_aeon_async.py MODEL '{"IN": V, ...}'`` (loads the model with biodivine-aeon, fixes
  the same inputs to the same values and calls ``Attractors.attractors``); answers compared as
  sorted (subspace, size) pairs per attractor; ratio = aeon seconds / logicnet seconds (> 1:
  logicnet faster); aeon's address space is capped (``--aeon-memory``, default 8 GB) so a
  model it cannot do ends as "aeon failed" rather than exhausting the machine;
* with ``--free``: the same with inputs free (counts compared);
* with ``--fixed-points``: ``logicnet attractors --fixed-points --count`` against aeon's
  ``FixedPoints.symbolic(...).cardinality()``.

Usage::

    python bench/bench_symbolic.py [--inputs zero|one|random:SEED] [--free] [--fixed-points]
        [--only bbm014,bbm092] [--logicnet-timeout 60] [--aeon-timeout 120]
        [--aeon-memory 8e9] [--peer-python PYTHON] [--repeat 3]

``--peer-python`` is a Python with biodivine-aeon installed (default: this one).
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.normpath(os.path.join(BENCH_DIR, "..", "..", "shared", "models"))
AEON_SCRIPT = os.path.join(BENCH_DIR, "_aeon_async.py")
#: The installed command line, beside this Python.
LOGICNET = os.path.join(os.path.dirname(sys.executable), "logicnet")

AEON_FIXED = """
import sys, biodivine_aeon as ba
bn = ba.BooleanNetwork.from_file(sys.argv[1])
for v in bn.variables():
    f = bn.get_update_function(v)
    name = bn.get_variable_name(v)
    if f is None:
        bn.ensure_regulation({"source": name, "target": name, "sign": None, "essential": False})
        bn.set_update_function(v, name)
bn = bn.infer_valid_graph()
print(ba.FixedPoints.symbolic(ba.AsynchronousGraph(bn)).cardinality())
"""


def run(cmd: list[str], timeout: float, memory: float | None = None
        ) -> tuple[float, subprocess.CompletedProcess | None]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))

    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           preexec_fn=cap if memory else None)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, None
    return time.perf_counter() - t0, p


def inputs_of(path: str) -> list[str]:
    import warnings

    import logicnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(logicnet.read_network(path).inputs)


def logicnet_answer(d: dict) -> list[tuple[str, int]]:
    index = {n: i for i, n in enumerate(d["nodes"])}
    names = sorted(d["nodes"])
    return sorted(("".join(a["space"][index[n]] for n in names), a["size"]) for a in d["attractors"])


def aeon_answer(d: dict) -> list[tuple[str, int]]:
    index = {n: i for i, n in enumerate(d["nodes"])}
    names = sorted(d["nodes"])
    return sorted(("".join(s[index[n]] for n in names), k) for s, k in zip(d["spaces"], d["sizes"]))


def input_values(name: str, inputs: list[str], mode: str) -> dict[str, int]:
    """The value each input is fixed to: all 0 (``zero``), all 1 (``one``), or drawn by a
    generator seeded with ``random:SEED`` and the model's name (the same on every run)."""
    if mode == "zero":
        return {x: 0 for x in inputs}
    if mode == "one":
        return {x: 1 for x in inputs}
    if mode.startswith("random:"):
        rng = random.Random(f"{mode[7:]}:{name}")
        return {x: rng.randint(0, 1) for x in inputs}
    raise SystemExit(f"unknown --inputs {mode!r} (zero, one or random:SEED)")


def bench_async(models, args, mode: str) -> None:
    what = {"zero": "fixed to 0", "one": "fixed to 1", "free": "free"}.get(mode, f"fixed at {mode}")
    print(f"asynchronous attractors, inputs {what}")
    print(f"{'model':<8} {'inputs':>6} {'atts':>6} {'logicnet s':>10} {'aeon s':>8} {'ratio':>7}  answer")
    ratios = []
    for path in models:
        name = os.path.basename(path)[:6]
        cmd = [LOGICNET, "attractors", path, "--update", "async", "--format", "json",
               "--timeout", str(args.logicnet_timeout - 5)]
        ins = inputs_of(path)
        peer_mode = mode
        if mode != "free":
            values = input_values(name, ins, mode)
            for x in ins:
                cmd += ["--fix", f"{x}={values[x]}"]
            peer_mode = json.dumps(values)
        t_ln = t_ae = math.inf
        for k in range(args.repeat):  # alternating; the fastest kept (a timeout is not run again)
            if k == 0 or p_ln is not None:
                t, p_ln = run(cmd, args.logicnet_timeout)
                t_ln = min(t_ln, t)
            if k == 0 or p_ae is not None:
                t, p_ae = run([args.peer_python, AEON_SCRIPT, path, peer_mode], args.aeon_timeout,
                              args.aeon_memory)
                t_ae = min(t_ae, t)
        ln = None
        if p_ln is not None and p_ln.returncode == 0:
            ln = logicnet_answer(json.loads(p_ln.stdout))
        ae = aeon_answer(json.loads(p_ae.stdout)) if p_ae is not None and p_ae.returncode == 0 else None
        if ln is None:
            why = "timeout" if p_ln is None else (p_ln.stderr.strip().splitlines() or ["failed"])[-1][:90]
            verdict = f"logicnet: {why}"
        elif ae is None:
            verdict = ("aeon did not finish" if p_ae is None else
                       "aeon failed: " + (p_ae.stderr.strip().splitlines() or ["?"])[-1][:80])
        else:
            verdict = "equal" if ln == ae else "DIFFERENT"
        ratio = t_ae / t_ln if ln is not None and ae is not None else None
        if ratio is not None:
            ratios.append(ratio)
        n = len(ln) if ln is not None else (len(ae) if ae is not None else "-")
        t_ae_s = f"{t_ae:8.2f}" if ae is not None else f"{'>' + str(int(args.aeon_timeout)):>8}"
        print(f"{name:<8} {len(ins):>6} {n!s:>6} {t_ln:10.2f} {t_ae_s} "
              f"{(f'{ratio:7.2f}' if ratio is not None else '      -')}  {verdict}", flush=True)
    if ratios:
        print(f"ratio aeon/logicnet over {len(ratios)} models: median {statistics.median(ratios):.2f}, "
              f"min {min(ratios):.2f}, max {max(ratios):.2f}")


def bench_fixed(models, args) -> None:
    print("fixed-point counts")
    print(f"{'model':<8} {'count':>16} {'logicnet s':>10} {'aeon s':>8}  answer")
    for path in models:
        name = os.path.basename(path)[:6]
        t_ln, p_ln = run([LOGICNET, "attractors", path, "--fixed-points", "--count"],
                         args.logicnet_timeout)
        t_ae, p_ae = run([args.peer_python, "-c", AEON_FIXED, path], args.aeon_timeout)
        ln = p_ln.stdout.strip() if p_ln is not None and p_ln.returncode == 0 else None
        ae = p_ae.stdout.strip() if p_ae is not None and p_ae.returncode == 0 else None
        verdict = "equal" if ln is not None and ln == ae else f"logicnet {ln} aeon {ae}"
        print(f"{name:<8} {ln or '-':>16} {t_ln:10.2f} {t_ae:8.2f}  {verdict}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", default="zero", help="zero, one or random:SEED (default zero)")
    ap.add_argument("--free", action="store_true", help="inputs free instead of fixed")
    ap.add_argument("--fixed-points", action="store_true", help="fixed-point counts instead of attractors")
    ap.add_argument("--only", help="comma-separated model prefixes (e.g. bbm014,bbm092)")
    ap.add_argument("--logicnet-timeout", type=float, default=60.0)
    ap.add_argument("--aeon-timeout", type=float, default=120.0)
    ap.add_argument("--aeon-memory", type=float, default=8e9, help="aeon's address-space cap, bytes")
    ap.add_argument("--peer-python", default=sys.executable)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each tool per model, alternating; the fastest is kept (default 1)")
    args = ap.parse_args()
    models = sorted(glob.glob(os.path.join(MODELS_DIR, "*.bnet")))
    if args.only:
        keep = tuple(args.only.split(","))
        models = [m for m in models if os.path.basename(m).startswith(keep)]
    if not models:
        sys.exit(f"no models in {MODELS_DIR}")
    print(f"load average at start: {os.getloadavg()}")
    if args.fixed_points:
        bench_fixed(models, args)
    else:
        bench_async(models, args, "free" if args.free else args.inputs)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
