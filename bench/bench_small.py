"""Small models, whole process: asynchronous attractors against biodivine-aeon, ``simulate``
against MaBoSS, and the start-up of each command.

Sections (default: all but ``--engines``):

* ``--attractors``: the 28 models of category ``small`` in ``../shared/models/models.json``,
  every input fixed to 0: ``logicnet attractors MODEL --update async --fix IN=0 ...
  --format json`` against ``_aeon_async.py MODEL '{"IN": 0, ...}'`` (biodivine-aeon's
  ``Attractors.attractors``), run alternately ``--repeat`` times each (fastest kept);
  answers compared as sorted (subspace, size) pairs; ratio = aeon / logicnet (above 1:
  logicnet faster), on wall-clock and on CPU seconds (user + system of the process);
  the load average is printed on every row.
* ``--simulate``: ``logicnet simulate MODEL --samples 20000 --time 50 --tick 1 --format
  json`` against a MaBoSS script (``cmaboss``: loads the ``.bnd``/``.cfg`` pair that
  ``logicnet simulate --save-maboss`` writes for the same model and settings, runs it on
  one thread and reads the last window's node probabilities), whole process, alternately;
  the node probabilities of the last window must agree within 4 combined standard errors.
* ``--startup``: seconds of CPU (fastest of ``--repeat``) of ``python -c pass``, of
  ``logicnet --version`` and of each command on a small model, with the libraries each
  loads (the budget table of bench/README.md).
* ``--engines``: in one process, the search alone of each small model by the integer
  state sets and by the BDD engine (the measurements behind ``auto``'s threshold).

Usage::

    python bench/bench_small.py [--attractors] [--simulate] [--startup] [--engines]
        [--repeat 3] [--only bbm074,bbm068] [--peer-python PY] [--maboss-python PY]

``--peer-python``: a Python with biodivine-aeon (default: the benchmark virtualenv if
present, else this one); ``--maboss-python``: one with cmaboss (default: this one).
``logicnet`` is the command installed beside this Python.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)

from _common import PEER_PY_DEFAULT as PEER_PY  # noqa: E402 - the benchmark virtualenv (README)
from bench_symbolic import AEON_SCRIPT, MODELS_DIR, aeon_answer, inputs_of, logicnet_answer  # noqa: E402

LOGICNET = os.path.join(os.path.dirname(sys.executable), "logicnet")

MABOSS_SCRIPT = """
import json, sys, cmaboss
sim = cmaboss.MaBoSSSim(network=sys.argv[1], config=sys.argv[2])
probs, _, names, errs = sim.run().get_last_nodes_probtraj()
print(json.dumps({"p": dict(zip(names, map(float, probs[0]))), "se": dict(zip(names, map(float, errs[0])))}))
"""


def timed(cmd: list[str], timeout: float = 120.0) -> tuple[float, float, subprocess.CompletedProcess | None]:
    """Wall-clock and CPU seconds (user + system) of one process, and its result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        p = None
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p


def small_models(only: str | None) -> list[str]:
    with open(os.path.join(MODELS_DIR, "models.json")) as fh:
        names = [m["model"] for m in json.load(fh)["models"] if m["category"] == "small"]
    if only:
        names = [n for n in names if n.startswith(tuple(only.split(",")))]
    return [os.path.join(MODELS_DIR, n + ".bnet") for n in names]


def load() -> str:
    return f"{os.getloadavg()[0]:4.1f}"


def bench_attractors(args) -> None:
    print("\n## asynchronous attractors, inputs fixed to 0, whole process "
          f"(fastest of {args.repeat}, alternating)")
    print(f"{'model':<7} {'nodes':>5} {'atts':>4} {'logicnet s':>10} {'aeon s':>7} {'ratio':>6} "
          f"{'cpu ln':>7} {'cpu aeon':>8} {'ratio':>6} {'load':>5}  answer")
    walls, cpus = [], []
    for path in small_models(args.only):
        name = os.path.basename(path)[:6]
        ins = inputs_of(path)
        cmd = [LOGICNET, "attractors", path, "--update", "async", "--format", "json", "--timeout", "55"]
        for x in ins:
            cmd += ["--fix", f"{x}=0"]
        peer = [args.peer_python, AEON_SCRIPT, path, json.dumps({x: 0 for x in ins})]
        best = {"ln": [math.inf, math.inf, None], "aeon": [math.inf, math.inf, None]}
        for _ in range(args.repeat):
            for tool, c in (("ln", cmd), ("aeon", peer)):
                wall, cpu, p = timed(c)
                b = best[tool]
                b[0], b[1] = min(b[0], wall), min(b[1], cpu)
                if p is not None and p.returncode == 0:
                    b[2] = p.stdout
        ln = logicnet_answer(json.loads(best["ln"][2])) if best["ln"][2] else None
        ae = aeon_answer(json.loads(best["aeon"][2])) if best["aeon"][2] else None
        verdict = "equal" if ln is not None and ln == ae else f"DIFFERENT or failed (logicnet {ln is not None}, aeon {ae is not None})"
        rw, rc = best["aeon"][0] / best["ln"][0], best["aeon"][1] / max(best["ln"][1], 1e-3)
        walls.append(rw)
        cpus.append(rc)
        m = len(json.loads(best["ln"][2])["nodes"]) if best["ln"][2] else 0
        print(f"{name:<7} {m:>5} {len(ln or []):>4} {best['ln'][0]:10.3f} {best['aeon'][0]:7.3f} {rw:6.2f} "
              f"{best['ln'][1]:7.3f} {best['aeon'][1]:8.3f} {rc:6.2f} {load():>5}  {verdict}", flush=True)
    if walls:
        print(f"ratio aeon/logicnet over {len(walls)} models: wall median {statistics.median(walls):.2f} "
              f"(min {min(walls):.2f}, max {max(walls):.2f}); CPU median {statistics.median(cpus):.2f} "
              f"(min {min(cpus):.2f}, max {max(cpus):.2f})")


def bench_simulate(args) -> None:
    model = os.path.join(MODELS_DIR, args.sim_model + ".bnet")
    settings = ["--samples", str(args.samples), "--time", "50", "--tick", "1"]
    tmp = tempfile.mkdtemp(prefix="bench-small-")
    prefix = os.path.join(tmp, "model")
    subprocess.run([LOGICNET, "-q", "simulate", model, *settings, "--save-maboss", prefix], check=True)
    with open(prefix + ".cfg", "a") as fh:
        fh.write("thread_count = 1;\n")
    ln_cmd = [LOGICNET, "-q", "simulate", model, *settings, "--format", "json"]
    mb_cmd = [args.maboss_python, "-c", MABOSS_SCRIPT, prefix + ".bnd", prefix + ".cfg"]
    print(f"\n## simulate {args.sim_model}: {args.samples} trajectories to time 50, whole process "
          f"(fastest of {args.repeat}, alternating; MaBoSS on one thread)")
    print(f"{'run':>3} {'logicnet s':>10} {'cpu':>6} {'MaBoSS s':>9} {'cpu':>6} {'load':>5}")
    best = {"ln": [math.inf, math.inf, None], "mb": [math.inf, math.inf, None]}
    for k in range(args.repeat):
        row = []
        for tool, c in (("ln", ln_cmd), ("mb", mb_cmd)):
            wall, cpu, p = timed(c, timeout=600)
            if p is None or p.returncode != 0:
                sys.exit(f"{tool} failed: {p.stderr[-500:] if p else 'timeout'}")
            b = best[tool]
            b[0], b[1], b[2] = min(b[0], wall), min(b[1], cpu), p.stdout
            row += [wall, cpu]
        print(f"{k + 1:>3} {row[0]:10.3f} {row[1]:6.3f} {row[2]:9.3f} {row[3]:6.3f} {load():>5}", flush=True)
    ln = json.loads(best["ln"][2])["trajectories"]
    mb = json.loads(best["mb"][2])
    worst = 0.0
    for node, v in ln.items():
        if node not in mb["p"]:
            continue
        a, sa = v["probability"][-1], v["se"][-1]
        b, sb = mb["p"][node], mb["se"][node]
        sd = math.sqrt(sa * sa + sb * sb)
        worst = max(worst, abs(a - b) / sd if sd > 0 else (0.0 if a == b else math.inf))
    print(f"fastest: logicnet {best['ln'][0]:.3f} s ({best['ln'][1]:.3f} CPU s), MaBoSS {best['mb'][0]:.3f} s "
          f"({best['mb'][1]:.3f} CPU s): ratio MaBoSS/logicnet {best['mb'][0] / best['ln'][0]:.2f} wall, "
          f"{best['mb'][1] / best['ln'][1]:.2f} CPU; last window, largest difference {worst:.2f} "
          f"combined standard errors ({'agree' if worst <= 4 else 'DISAGREE'})")


#: What each command loads, checked after it ran (a module loaded is one paid for).
HEAVY = ("click", "rich", "numpy", "numba", "scipy", "networkx", "oxidd._oxidd", "importlib.metadata", "clingo",
         "pyeda", "libsbml", "tomllib", "dataclasses", "logicnet.io.study")

PROBE = """
import sys
from logicnet.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def bench_startup(args) -> None:
    small = os.path.join(MODELS_DIR, "bbm184_p53_mdm2_network.bnet")
    mid = os.path.join(MODELS_DIR, "bbm074_t_lgl_survival_network_2011_reduced.bnet")
    fix = [a for x in inputs_of(small) for a in ("--fix", f"{x}=0")]
    commands = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("logicnet --version", [LOGICNET, "--version"]),
        ("info bbm184", [LOGICNET, "info", small]),
        ("-q info bbm184 --format json", [LOGICNET, "-q", "info", small, "--format", "json"]),
        ("attractors bbm184 async json", [LOGICNET, "attractors", small, "--update", "async", "--format", "json", *fix]),
        ("-q attractors bbm184 async", [LOGICNET, "-q", "attractors", small, "--update", "async", *fix]),
        ("attractors bbm074 async json", [LOGICNET, "attractors", mid, "--update", "async", "--format", "json"]),
        ("attractors bbm184 sync json", [LOGICNET, "attractors", small, "--format", "json", *fix]),
        ("-q trapspaces bbm184 json", [LOGICNET, "-q", "trapspaces", small, "--format", "json"]),
        ("-q simulate bbm184 10 traj json", [LOGICNET, "-q", "simulate", small, "--samples", "10", "--time", "1",
                                             "--format", "json"]),
        ("aeon script bbm184", [args.peer_python, AEON_SCRIPT, small, json.dumps({x: 0 for x in inputs_of(small)})]),
    ]
    print(f"\n## start-up: CPU seconds, fastest of {args.repeat} (load at start {load()})")
    print(f"{'command':<34} {'cpu s':>6} {'wall s':>7}  loads")
    probe = PROBE.format(heavy=HEAVY)
    for label, cmd in commands:
        best_cpu = best_wall = math.inf
        for _ in range(args.repeat):
            wall, cpu, _p = timed(cmd)
            best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        loads = ""
        if cmd[0] == LOGICNET and len(cmd) > 1 and cmd[1] != "--version":
            p = subprocess.run([sys.executable, "-c", probe, *cmd[1:]], capture_output=True, text=True,
                               cwd=tempfile.gettempdir())  # not beside the source tree's logicnet/
            loads = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        print(f"{label:<34} {best_cpu:6.3f} {best_wall:7.3f}  {loads}", flush=True)


def bench_engines(args) -> None:
    import warnings

    from logicnet.engine import Question
    from logicnet.engine.bdd import oxidd_core
    from logicnet.engine.bitsets import MAX_VARIABLES, BitsetEngine
    from logicnet.engine.symbolic_engine import SymbolicAsyncEngine
    from logicnet.io import read_network

    t0 = time.perf_counter()
    oxidd_core()
    print(f"\n## search alone, in one process (fastest of {args.repeat}); loading the BDD library took "
          f"{1000 * (time.perf_counter() - t0):.1f} ms")
    print(f"{'model':<7} {'m':>3} {'state sets ms':>13} {'BDD ms':>7} {'faster':>10}")
    for path in small_models(args.only):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = read_network(path)
        net = net.fix({x: 0 for x in net.inputs})
        m = Question(net, "asynchronous").reduced(propagate=True, prune_outputs=False).network.n_nodes
        if m > MAX_VARIABLES:
            continue
        best = {}
        answers = {}
        for label, eng in (("sets", BitsetEngine()), ("bdd", SymbolicAsyncEngine())):
            best[label] = math.inf
            for _ in range(args.repeat):
                q = Question(net, "asynchronous")
                t0 = time.perf_counter()
                found = eng.attractors(q)
                best[label] = min(best[label], time.perf_counter() - t0)
            answers[label] = [(a.size, a.states, a.subspace) for a in found.attractors]
        same = "" if answers["sets"] == answers["bdd"] else "  DIFFERENT"
        faster = "state sets" if best["sets"] <= best["bdd"] else "BDD"
        print(f"{os.path.basename(path)[:6]:<7} {m:>3} {1000 * best['sets']:13.1f} {1000 * best['bdd']:7.1f} "
              f"{faster:>10}{same}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for what in ("attractors", "simulate", "startup", "engines"):
        ap.add_argument(f"--{what}", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="comma-separated model prefixes")
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--sim-model", default="bbm095_fission_yeast_2008")
    ap.add_argument("--peer-python", default=PEER_PY if os.path.exists(PEER_PY) else sys.executable)
    ap.add_argument("--maboss-python", default=sys.executable)
    args = ap.parse_args()
    if not os.path.isdir(MODELS_DIR):
        sys.exit(f"no models in {MODELS_DIR}")
    chosen = [w for w in ("attractors", "simulate", "startup", "engines") if getattr(args, w)]
    print(f"load average at start: {os.getloadavg()}")
    for what in chosen or ("attractors", "simulate", "startup"):
        globals()[f"bench_{what}"](args)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
