"""Benchmark: minimal control sets, ``logicnet control`` side by side with biodivine-aeon and BoNesis.

The question, for every row: which subset-minimal sets of at most K permanent knockouts
(0) and over-expressions (1) make every attractor, reached from every state, satisfy the
phenotype?  Candidates are the nodes whose rule is not constant under the condition, minus
the phenotype's nodes (as in ``../shared/control.md``, section 3.1).

* logicnet: ``logicnet control MODEL --phenotype ... [--fix ... | --context C --drug D]
  --max-size K --update async|mp|all --format json``, on the model as a user gives it;
* biodivine-aeon (asynchronous, exact): ``Control.phenotype_permanent(..., "forbidden",
  size_limit=K)``; its minimal sets are compared with logicnet's ``--update async`` answer
  (sets up to aeon's K), its working counts per size are printed;
* BoNesis (most permissive = minimal trap spaces, ASP): ``marker_reprogramming`` (problem
  P3); compared with logicnet's ``--update mp`` answer.

Both peers read the same ``.bnet`` file, written into a temporary directory by logicnet
(``read_network`` / ``read_study(...).condition(...)``, ``Network.fix``, ``write_network``:
the condition becomes constant rules), and run in the benchmark virtualenv
(``bench/_control_peers.py``; ``--peer-python`` or ``BENCH_PEER_PYTHON``).  The tools run
alternately on each question (logicnet async, aeon, logicnet mp, BoNesis, logicnet all;
``--repeat N`` repeats the round, the minimum is kept); an aeon run that reaches
``--aeon-timeout`` is printed as ``> T s (timed out)``, never as an answer.  Times: ``whole``
= the whole process, measured here; ``solve`` = the control call inside the process (for
logicnet the ``seconds`` of its JSON; for a peer its control call) and the listing of
its answer inside its process.  Ratio = peer seconds / logicnet seconds (above 1: logicnet
faster).  The load average is printed before every question.  Sets listed by one side only
are printed under ``## DISAGREEMENTS`` and the script exits 1.

``--aeon-recorded`` takes aeon's answers and times from ``tests/data/control`` instead of
running it (aeon needs minutes to hours per question; the table marks them ``rec.``, with
the K they were recorded at: sets are then compared up to that K).

When ``logicnet control`` does not exist in this tree the script says
``logicnet control not available`` and runs the peers alone.

``--record`` writes the peers' answers to ``tests/data/control/<question>.json`` (the data
of the control acceptance tests; a peer entry that is not re-run, or timed out, is kept).

    python bench/bench_control.py [--only q3_igf,q2_bbm148] [--peers aeon,bonesis] [--updates async,mp,all]
        [--max-size 3] [--aeon-max-size K] [--aeon-timeout 900] [--timeout 900] [--repeat 1]
        [--no-logicnet] [--aeon-recorded] [--record] [--peer-python PYTHON]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

from _common import MODELS_DIR, ROOT, WARM_CACHE, fmt_ratio, fmt_s, machine_line, peer_python, run  # noqa: E402

WORKER = os.path.join(BENCH_DIR, "_control_peers.py")
RECORD_DIR = os.path.join(ROOT, "tests", "data", "control")
STUDY = "igf_axis.toml"


@dataclass(frozen=True)
class Question:
    key: str
    title: str
    model: str                       # a file of ../shared/models, or the bundled study
    phenotype: tuple[str, str | None]  # (name, expression); expression None: the study's phenotype
    fix: dict = field(default_factory=dict)
    context: str | None = None
    drugs: tuple[str, ...] = ()
    why: str = ""


def _on(*names: str) -> dict:
    return {n: 1 for n in names}


QUESTIONS = [
    Question("q3_igf", "IGF axis, HCC + lenvatinib, sensitive", STUDY, ("sensitive", None), context="HCC",
             drugs=("lenvatinib",), why="the study's finding F1 (control.md Q3)"),
    Question("q1_bbm092", "bbm092, 8 inputs on, E-cadherin", "bbm092_hepatocellular_carcinoma.bnet",
             ("ecadherin", "v_E_cadherin"),
             _on("v_CHD1L", "v_EGF", "v_FGF", "v_Goosecoid", "v_Hypoxia", "v_IGF1", "v_PDGF", "v_HGF"),
             why="control.md Q1"),
    Question("q1e_bbm092", "bbm092, 8 inputs on, epithelial", "bbm092_hepatocellular_carcinoma.bnet",
             ("epithelial", "v_E_cadherin & !v_SNAI1"),
             _on("v_CHD1L", "v_EGF", "v_FGF", "v_Goosecoid", "v_Hypoxia", "v_IGF1", "v_PDGF", "v_HGF"),
             why="control.md Q1': no set exists (Goosecoid on forces SNAI1 on)"),
    Question("q2_bbm148", "bbm148, sensitive", "bbm148_ags_cell_fate_decision.bnet",
             ("sensitive", "v_Antisurvival_b1 & !v_Prosurvival_b1"), why="control.md Q2"),
    Question("bbm014", "bbm014 T-LGL 2008, leukemic inputs, quiescent", "bbm014_t_lgl_survival_network_2008.bnet",
             ("quiescent", "!v_Proliferation & !v_Cytoskeleton_signaling"),
             {"v_IL15": 1, "v_Stimuli": 1, "v_PDGF": 1, "v_CD45": 0, "v_Stimuli2": 0, "v_TAX": 0, "v_IFN": 0},
             why="T-LGL leukemia (Zhang 2008: IL15, PDGF and antigen on); both outputs off = the leukemic clone stops"),
    Question("bbm025", "bbm025 T-LGL 2011, leukemic inputs, quiescent", "bbm025_t_lgl_survival_network_2011.bnet",
             ("quiescent", "!v_Proliferation & !v_Cytoskeleton_signaling"),
             {"v_IL15": 1, "v_Stimuli": 1, "v_PDGF": 1, "v_CD45": 0, "v_Stimuli2": 0, "v_TAX": 0},
             why="the same question on the 2011 revision (Saadatpour 2011)"),
    Question("bbm070", "bbm070 MAPK, EGFR + FGFR3 on, apoptotic", "bbm070_mapk_cancer_cell_fate.bnet",
             ("apoptotic", "v_Apoptosis & !v_Proliferation"),
             {"v_EGFR_stimulus": 1, "v_FGFR3_stimulus": 1, "v_DNA_damage": 0, "v_TGFBR_stimulus": 0},
             why="growth factors alone: a proliferating cell (with TGF-beta or DNA damage on it is already apoptotic)"),
]


# --------------------------------------------------------------------------- questions as files

def marker_of(expr) -> dict[str, int]:
    """The subspace of a conjunction of literals (what both peers take as the phenotype)."""
    from logicnet.expr import ALGEBRA

    if isinstance(expr, ALGEBRA.Symbol):
        return {str(expr.obj): 1}
    if isinstance(expr, ALGEBRA.NOT) and isinstance(expr.args[0], ALGEBRA.Symbol):
        return {str(expr.args[0].obj): 0}
    if isinstance(expr, ALGEBRA.AND):
        out: dict[str, int] = {}
        for a in expr.args:
            for k, v in marker_of(a).items():
                if out.get(k, v) != v:
                    raise ValueError(f"the phenotype sets {k} both on and off")
                out[k] = v
        return out
    raise ValueError(f"the peers take a conjunction of node literals, not {expr}")


@dataclass
class Built:
    bnet: str                 # the question as one .bnet file (condition = constant rules)
    marker: dict[str, int]
    candidates: list[str]
    expression: str           # the phenotype, bnet syntax
    logicnet_args: list[str]  # model and condition options of `logicnet control`


def build(q: Question, workdir: str) -> Built:
    import logicnet
    from logicnet.expr import format_expression, parse_expression

    if q.model == STUDY:
        from logicnet.io.study import read_study
        from logicnet.networks import bundled_path

        path = str(bundled_path(STUDY))
        study = read_study(path)
        cond = study.condition(context=q.context, drugs=list(q.drugs))
        net = study.network.fix(cond.fix)
        expr = cond.phenotypes[q.phenotype[0]].expression
        args = [path, "--phenotype", q.phenotype[0]]
        if q.context:
            args += ["--context", q.context]
        for d in q.drugs:
            args += ["--drug", d]
    else:
        path = os.path.join(MODELS_DIR, q.model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = logicnet.read_network(path).fix(q.fix)
        expr = parse_expression(q.phenotype[1])
        args = [path, "--phenotype", f"{q.phenotype[0]}={q.phenotype[1]}"]
        for k, v in q.fix.items():
            args += ["--fix", f"{k}={v}"]
    marker = marker_of(expr)
    bnet = os.path.join(workdir, f"{q.key}.bnet")
    logicnet.write_network(net, bnet)
    consts = set(net.constants)
    cands = sorted(n for n in net.nodes if n not in consts and n not in marker)
    return Built(bnet, marker, cands, format_expression(expr, style="bnet"), args)


# --------------------------------------------------------------------------- runs

Answer = frozenset  # of (node, 0|1)


@dataclass
class Run:
    seconds: float | None           # whole process; None: failed or timed out
    solve: float | None = None
    sets: set | None = None
    counts: dict | None = None
    complete: bool | None = None
    timed_out: bool = False
    error: str = ""
    raw: dict | None = None
    verdicts: dict | None = None
    max_size: int | None = None     # a peer's K
    recorded: bool = False          # taken from tests/data/control, not run now


def _last_json(stdout: str) -> dict:
    lines = [ln for ln in stdout.strip().splitlines() if ln.startswith("{")]
    return json.loads(lines[-1])


def run_peer(python: str, tool: str, b: Built, k: int, timeout: float) -> Run:
    q = {"marker": b.marker, "candidates": b.candidates, "max_size": k}
    p = run([python, WORKER, tool, b.bnet, json.dumps(q)], timeout=timeout)
    if p.timed_out:
        return Run(None, timed_out=True, error=f"> {timeout:.0f} s (timed out)")
    if p.returncode != 0:
        return Run(None, error=f"failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
    d = _last_json(p.stdout)
    sets = {Answer((n, int(v)) for n, v in s) for s in d["sets"]}
    return Run(p.seconds, d["solve_s"], sets, d.get("counts"), True, raw=d, max_size=k)


def recorded_aeon(q: Question) -> Run | None:
    """aeon's answer as recorded in tests/data/control (``--aeon-recorded``), or None."""
    path = os.path.join(RECORD_DIR, f"{q.key}.json")
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        d = json.load(fh).get("peers", {}).get("aeon")
    if d is None:
        return None
    sets = {Answer((n, int(v)) for n, v in s) for s in d["sets"]}
    return Run(d["seconds"]["whole"], d["seconds"]["solve"], sets, d["counts"], True, max_size=d["max_size"],
               recorded=True, error=f"recorded {d['date']}, K = {d['max_size']}, load {d['load_average'][0]}")


def logicnet_exe() -> str | None:
    exe = shutil.which("logicnet") or os.path.join(os.path.dirname(sys.executable), "logicnet")
    if not os.path.exists(exe):
        return None
    p = subprocess.run([exe, "control", "--help"], capture_output=True, text=True, timeout=120)
    return exe if p.returncode == 0 else None


def run_logicnet(exe: str, b: Built, k: int, update: str, timeout: float) -> Run:
    cmd = [exe, "control", *b.logicnet_args, "--max-size", str(k), "--update", update, "--format", "json"]
    p = run(cmd, timeout=timeout, env={"NUMBA_CACHE_DIR": WARM_CACHE})
    if p.timed_out:
        return Run(None, timed_out=True, error=f"> {timeout:.0f} s (timed out)")
    try:
        d = json.loads(p.stdout)
    except json.JSONDecodeError:
        return Run(None, error=f"failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
    sets = {Answer((n, int(v)) for n, v in s["perturbation"].items()) for s in d["sets"]}
    verdicts: dict[str, int] = {}
    for s in d["sets"]:
        for scheme, v in (s.get("verdicts") or {}).items():
            verdicts[scheme] = verdicts.get(scheme, 0) + (v is True)
    return Run(p.seconds, d.get("seconds"), sets, d.get("counts"), bool(d.get("complete")), raw=d, verdicts=verdicts)


def best(a: Run | None, b: Run) -> Run:
    """The faster of two runs of one tool (answers must be equal; a failed run loses)."""
    if a is None or a.seconds is None:
        return b
    if b.seconds is None:
        return a
    return b if b.seconds < a.seconds else a


# --------------------------------------------------------------------------- answers

def label(s) -> str:
    return " + ".join(f"{n} {'KO' if v == 0 else 'OE'}" for n, v in sorted(s)) or "(empty)"


def compare(name_l: str, ln: Run, name_p: str, peer: Run, upto: int) -> list[str]:
    """Sets listed by one side only (logicnet's restricted to sizes <= the peer's K)."""
    if ln.sets is None or peer.sets is None:
        return []
    mine = {s for s in ln.sets if len(s) <= upto}
    out = []
    for s in sorted(mine - peer.sets, key=lambda s: (len(s), sorted(s))):
        out.append(f"only {name_l}: {label(s)}")
    for s in sorted(peer.sets - mine, key=lambda s: (len(s), sorted(s))):
        out.append(f"only {name_p}: {label(s)}")
    if ln.complete is False:
        out.append(f"{name_l} answered complete: false")
    return out


def by_size(sets) -> str:
    if sets is None:
        return "-"
    sizes: dict[int, int] = {}
    for s in sets:
        sizes[len(s)] = sizes.get(len(s), 0) + 1
    return f"{len(sets)} (" + ", ".join(f"{sizes[k]}x{k}" for k in sorted(sizes)) + ")" if sets else "0"


def show(r: Run | None, solve: bool = False) -> str:
    if r is None:
        return "-"
    if r.seconds is None:
        return r.error.split(":")[0]
    return (fmt_s(r.seconds) + (f" ({fmt_s(r.solve)})" if solve and r.solve is not None else "")
            + (f" rec. K={r.max_size}" if r.recorded else ""))


# --------------------------------------------------------------------------- record

def dumps_fixture(data: dict) -> str:
    """JSON text with one line per control set (and per list of names)."""
    compact: dict[str, str] = {}

    def one_line(obj):
        key = f"@@{len(compact)}@@"
        compact[json.dumps(key)] = json.dumps(obj)
        return key

    d = json.loads(json.dumps(data))
    d["candidates"] = one_line(d["candidates"])
    for peer in d.get("peers", {}).values():
        peer["sets"] = [one_line(s) for s in peer["sets"]]
        peer["load_average"] = one_line(peer["load_average"])
    text = json.dumps(d, indent=1)
    for key, value in compact.items():
        text = text.replace(key, value)
    return text


def record(q: Question, b: Built, peer_runs: dict[str, tuple[Run, int]], load: tuple, directory: str) -> str:
    path = os.path.join(directory, f"{q.key}.json")
    data = {}
    if os.path.exists(path):
        with open(path) as fh:
            data = json.load(fh)
    data.update({
        "question": q.key, "title": q.title,
        "network": q.model if q.model == STUDY else f"../shared/models/{q.model}",
        "condition": {"context": q.context, "drugs": list(q.drugs), "fix": dict(q.fix)},
        "phenotype": {"name": q.phenotype[0], "expression": b.expression, "marker": b.marker},
        "goal": "robust", "hold": "permanent", "from": "all",
        "candidates": b.candidates,
    })
    peers = data.setdefault("peers", {})
    for tool, (r, k) in peer_runs.items():
        if r.raw is None:
            continue
        d = r.raw
        peers[tool] = {
            "tool": d["tool"], "version": d["version"], "call": d["call"], "max_size": k,
            "update": "asynchronous" if tool == "aeon" else "most_permissive",
            "sets": [sorted([n, v] for n, v in s) for s in sorted(r.sets, key=lambda s: (len(s), sorted(s)))],
            "counts": d.get("counts"),
            "seconds": {"whole": round(r.seconds, 2), "solve": round(d["solve_s"], 2)},
            "load_average": [round(x, 2) for x in load],
            "date": datetime.date.today().isoformat(),
        }
    os.makedirs(directory, exist_ok=True)
    text = dumps_fixture(data)
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text + "\n")
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- main

#: Sizes whose estimate and time are both below this are not judged (start-up noise).
ESTIMATE_FLOOR = 0.1


def print_estimates(estimates: list[tuple[str, str, dict]]) -> None:
    """Each size's estimate (stated before its checks, or from its first checks) against its
    time, both from logicnet's JSON ``sizes``; ratio = actual / estimate."""
    if not estimates:
        return
    print("\n## Estimates: each size, stated as it starts, against its time")
    print("| question | update | size | sets left | checked | estimate s | actual s | actual/est |")
    print("|---|---|---|---|---|---|---|---|")
    judged = within = 0
    for key, upd, x in estimates:
        est, act = x["estimate"], x["seconds"]
        if not x.get("complete", True):
            print(f"| {key} | {upd} | {x['size']} | {x['left']} | {x['checked']:,} | {est:.2f} | stopped at {act:.0f} | - |")
            continue
        small = max(est, act) < ESTIMATE_FLOOR
        ratio = act / est if est > 0 else float("inf") if act > 0 else 1.0
        ok = small or 1 / 3 <= ratio <= 3
        if not small:
            judged += 1
            within += ok
        left = "more" if x["left"] is None else f"{x['left']:,}"
        print(f"| {key} | {upd} | {x['size']} | {left} | {x['checked']:,} | {est:.2f} | {act:.2f} | "
              f"{'-' if small else f'{ratio:.2f}'}{'' if ok else ' OUTSIDE 3x'} |")
    print(f"\n{within} of {judged} sizes of at least {ESTIMATE_FLOOR} s within 3x of their estimate")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="comma-separated question keys: " + ",".join(q.key for q in QUESTIONS))
    ap.add_argument("--peers", default="aeon,bonesis", help="aeon, bonesis, or both (default)")
    ap.add_argument("--updates", default="async,mp,all", help="logicnet runs (default async,mp,all)")
    ap.add_argument("--max-size", type=int, default=3)
    ap.add_argument("--aeon-max-size", type=int, help="aeon's size limit (default --max-size)")
    ap.add_argument("--aeon-timeout", type=float, default=900.0, help="seconds per aeon run (default 900)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per logicnet or BoNesis run")
    ap.add_argument("--repeat", type=int, default=1, help="rounds per question (minimum kept)")
    ap.add_argument("--no-logicnet", action="store_true", help="run the peers alone")
    ap.add_argument("--aeon-recorded", action="store_true",
                    help="take aeon's answers and times from tests/data/control instead of running it")
    ap.add_argument("--record", action="store_true", help="write the peers' answers to tests/data/control/")
    ap.add_argument("--peer-python", help="an interpreter with biodivine-aeon and bonesis")
    args = ap.parse_args()

    questions = QUESTIONS
    if args.only:
        keep = args.only.split(",")
        unknown = set(keep) - {q.key for q in QUESTIONS}
        if unknown:
            ap.error(f"unknown questions {sorted(unknown)}")
        questions = [q for q in QUESTIONS if q.key in keep]
    peers = [p for p in args.peers.split(",") if p]
    updates = [u for u in args.updates.split(",") if u]
    k_aeon = args.aeon_max_size or args.max_size
    if args.aeon_recorded:
        peers = [p for p in peers if p != "aeon"]
    print(machine_line())
    py = peer_python(args.peer_python)
    if py is None and peers:
        print("peers SKIPPED: no interpreter with biodivine-aeon and bonesis (--peer-python or BENCH_PEER_PYTHON)")
        peers = []
    if py:
        v = subprocess.run([py, WORKER, "versions"], capture_output=True, text=True, timeout=300)
        versions = json.loads(v.stdout) if v.returncode == 0 else {}
        print("peers: " + ", ".join(f"{k} {versions.get(k, '?')}" for k in ("biodivine-aeon", "bonesis", "clingo")))
        for tool, dist in (("aeon", "biodivine-aeon"), ("bonesis", "bonesis")):
            if tool in peers and str(versions.get(dist, "unavailable")).startswith("unavailable"):
                print(f"{tool} SKIPPED: {versions.get(dist)}")
                peers.remove(tool)
    exe = None if args.no_logicnet else logicnet_exe()
    if exe is None and not args.no_logicnet:
        print("logicnet control not available: the peers run alone")
    print(f"K = {args.max_size} (aeon: {k_aeon}); aeon timeout {args.aeon_timeout:.0f} s; "
          f"whole process in seconds, (solve) inside the process (logicnet: its control call); "
          f"ratio = peer / logicnet, whole processes\n")

    head = ["question", "cands", "load", "logicnet async", "aeon (solve)", "ratio", "logicnet mp",
            "BoNesis (solve)", "ratio", "logicnet all", "aeon sets", "BoNesis sets", "logicnet sets"]
    for q in questions:
        print(f"{q.key}: {q.title}; {q.why}")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    problems: list[str] = []
    notes: list[str] = []
    estimates: list[tuple[str, str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="logicnet-bench-control-") as workdir:
        for q in questions:
            if q.model != STUDY and not os.path.exists(os.path.join(MODELS_DIR, q.model)):
                print(f"{q.key}: {q.model} not found (the shared model corpus sits beside the repository)")
                continue
            b = build(q, workdir)
            load = os.getloadavg()
            ln: dict[str, Run | None] = {u: None for u in updates}
            pr: dict[str, Run | None] = {p: None for p in peers}
            if args.aeon_recorded:
                pr["aeon"] = recorded_aeon(q)
            for _ in range(args.repeat):
                order = [("ln", "async"), ("aeon", None), ("ln", "mp"), ("bonesis", None), ("ln", "all")]
                for who, upd in order:
                    if who == "ln":
                        if exe and upd in updates:
                            ln[upd] = best(ln[upd], run_logicnet(exe, b, args.max_size, upd, args.timeout))
                    elif who in peers:
                        if who == "aeon" and pr["aeon"] is not None and pr["aeon"].timed_out:
                            continue
                        k = k_aeon if who == "aeon" else args.max_size
                        t = args.aeon_timeout if who == "aeon" else args.timeout
                        pr[who] = best(pr[who], run_peer(py, who, b, k, t))
            a, bo = pr.get("aeon"), pr.get("bonesis")
            if args.aeon_recorded and a is not None:
                notes.append(f"{q.key}: aeon {a.error}")
            la, lm, ll = ln.get("async"), ln.get("mp"), ln.get("all")
            row = [q.key, len(b.candidates), f"{load[0]:.1f}", show(la, True), show(a, True),
                   fmt_ratio(la.seconds, a.seconds) if la and a else "-", show(lm, True), show(bo, True),
                   fmt_ratio(lm.seconds, bo.seconds) if lm and bo else "-", show(ll, True),
                   by_size(a.sets) if a else "-", by_size(bo.sets) if bo else "-",
                   next((by_size(r.sets) for r in (la, lm, ll) if r is not None and r.sets is not None), "-")]
            print("| " + " | ".join(str(c) for c in row) + " |", flush=True)
            if a is not None and a.counts:
                notes.append(f"{q.key}: aeon working sets per size (K = {a.max_size}): "
                             + " / ".join(f"{a.counts[s]:,}" for s in sorted(a.counts, key=int)))
            if ll is not None and ll.verdicts:
                notes.append(f"{q.key}: logicnet --update all, sets holding per scheme: "
                             + ", ".join(f"{k} {v}" for k, v in sorted(ll.verdicts.items())))
            for r, tool in ((a, "aeon"), (bo, "BoNesis"), (la, "logicnet async"), (lm, "logicnet mp"),
                            (ll, "logicnet all")):
                if r is not None and r.seconds is None and not r.timed_out:
                    problems.append(f"{q.key}: {tool} {r.error}")
            if la is not None and a is not None:
                problems += [f"{q.key} (async, K <= {a.max_size}): {m}"
                             for m in compare("logicnet", la, "aeon", a, a.max_size)]
            if lm is not None and bo is not None:
                problems += [f"{q.key} (mp, K <= {args.max_size}): {m}"
                             for m in compare("logicnet", lm, "BoNesis", bo, args.max_size)]
            for upd, r in (("async", la), ("mp", lm), ("all", ll)):
                if r is not None and r.raw is not None:
                    estimates += [(q.key, upd, x) for x in r.raw.get("sizes", []) if x.get("seconds") is not None]
            if args.record:
                runs = {t: (r, r.max_size) for t, r in pr.items() if r is not None and not r.recorded}
                path = record(q, b, runs, load, RECORD_DIR)
                notes.append(f"{q.key}: recorded in {os.path.relpath(path, ROOT)}")
    print(f"\nload average at end: {tuple(round(x, 2) for x in os.getloadavg())}")
    for n in notes:
        print(n)
    print_estimates(estimates)
    if problems:
        print("\n## DISAGREEMENTS")
        for p in problems:
            print(p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
