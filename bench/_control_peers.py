"""Worker run in a subprocess by ``bench_control.py``: one control tool, one question, JSON on stdout.

    PY bench/_control_peers.py aeon    FILE QUESTION_JSON
    PY bench/_control_peers.py bonesis FILE QUESTION_JSON
    PY bench/_control_peers.py versions

PY is an interpreter that has the tool (the benchmark virtualenv of ``bench/README.md``).
FILE is a ``.bnet`` file in which the condition (inputs, context, drugs) is written as
constant rules; QUESTION_JSON is ``{"marker": {node: 0|1}, "candidates": [node, ...],
"max_size": K}``: the phenotype as a subspace, the nodes that may be knocked out (0) or
over-expressed (1), and the largest set size.

* ``aeon``: biodivine-aeon's ``Control.phenotype_permanent(graph, phenotype, "forbidden",
  size_limit=K)`` on ``AsynchronousPerturbationGraph(bn.infer_valid_graph(), perturb=candidates)``
  (Brim et al. 2022, Benes et al. CMSB 2023): every permanent perturbation of at most K
  candidates after which every asynchronous attractor, from every state, lies in the
  phenotype.  Per size s the working sets are ``select_by_size(s, False).perturbations()``;
  their number is reported as ``counts[s]`` and the subset-minimal ones (no proper subset
  works) as ``sets``.
* ``bonesis``: BoNesis's ``marker_reprogramming(f, marker, K, exclude=...)`` (Pauleve 2023,
  problem P3: every minimal trap space of the perturbed network, i.e. every most-permissive
  attractor, matches the marker, and there is one), ``f`` loaded by
  ``colomoto.minibn.BooleanNetwork.load``, every non-candidate node excluded.  BoNesis
  returns the subset-minimal sets only; it gives no working counts.

Output: ``{"tool", "version", "call", "max_size", "sets": [[[node, 0|1], ...] sorted], "counts":
{size: int} | null, "load_s", "solve_s", "worker_s"}``; ``solve_s`` is the control call and
the listing of its answer inside this process (the parent measures the whole process).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
import warnings


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def _canonical(assignment: dict) -> list[list]:
    return sorted([str(k), int(bool(v))] for k, v in assignment.items())


def control_aeon(path: str, q: dict) -> dict:
    import biodivine_aeon as ba

    t0 = time.perf_counter()
    bn = ba.BooleanNetwork.from_file(path).infer_valid_graph()
    graph = ba.AsynchronousPerturbationGraph(bn, perturb=list(q["candidates"]))
    phenotype = graph.mk_subspace_vertices({k: bool(v) for k, v in q["marker"].items()})
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        working = ba.Control.phenotype_permanent(graph, phenotype, "forbidden", size_limit=int(q["max_size"]))
    t2 = time.perf_counter()
    counts: dict[str, int] = {}
    found: list[frozenset] = []   # subset-minimal working sets, smaller sizes first
    for size in range(1, int(q["max_size"]) + 1):
        of_size = working.select_by_size(size, False).perturbations()
        counts[str(size)] = int(of_size.cardinality())
        for model in of_size.items():
            s = frozenset((k, int(v)) for k, v in model.perturbed_named_dict().items())
            if not any(m < s for m in found):
                found.append(s)
    t3 = time.perf_counter()
    return {"tool": "biodivine-aeon", "version": _version("biodivine-aeon"),
            "call": ("Control.phenotype_permanent(AsynchronousPerturbationGraph(bn.infer_valid_graph(), "
                     "perturb=candidates), graph.mk_subspace_vertices(marker), 'forbidden', "
                     f"size_limit={q['max_size']}); per size s: select_by_size(s, False).perturbations()"),
            "sets": sorted(_canonical(dict(s)) for s in found), "counts": counts,
            "load_s": t1 - t0, "control_s": t2 - t1, "solve_s": t3 - t1}


def control_bonesis(path: str, q: dict) -> dict:
    from bonesis.reprogramming import marker_reprogramming
    from colomoto import minibn

    t0 = time.perf_counter()
    f = minibn.BooleanNetwork.load(path)
    exclude = sorted(set(f) - set(q["candidates"]))
    t1 = time.perf_counter()
    sets = [_canonical(p) for p in marker_reprogramming(f, dict(q["marker"]), int(q["max_size"]), exclude=exclude)]
    t2 = time.perf_counter()
    return {"tool": "bonesis", "version": _version("bonesis"),
            "call": (f"bonesis.reprogramming.marker_reprogramming(f, marker, {q['max_size']}, "
                     "exclude=<every node that is not a candidate>), "
                     "f = colomoto.minibn.BooleanNetwork.load(FILE)"),
            "sets": sorted(sets), "counts": None, "load_s": t1 - t0, "solve_s": t2 - t1}


def versions() -> dict:
    out = {}
    for mod, dist in (("biodivine_aeon", "biodivine-aeon"), ("bonesis", "bonesis"), ("mpbn", "mpbn"),
                      ("clingo", "clingo")):
        try:
            __import__(mod)
            out[dist] = _version(dist)
        except Exception as e:  # noqa: BLE001 - report anything
            out[dist] = f"unavailable: {type(e).__name__}: {str(e)[:200]}"
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["versions"]:
        print(json.dumps(versions()))
        return 0
    tool, path, question = argv[:3]
    t0 = time.perf_counter()
    q = json.loads(question)
    if tool not in ("aeon", "bonesis"):
        raise SystemExit(f"unknown tool {tool!r} (aeon, bonesis)")
    with contextlib.redirect_stdout(sys.stderr):   # BoNesis prints its progress on stdout
        res = control_aeon(path, q) if tool == "aeon" else control_bonesis(path, q)
    res["max_size"] = int(q["max_size"])
    res["worker_s"] = time.perf_counter() - t0
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
