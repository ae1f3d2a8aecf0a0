"""Worker run in a subprocess by the benchmarks: one tool, one network, JSON on stdout.

    PY bench/_peers.py fixed    TOOL FILE      # TOOL: logicnet, mpbn, aeon
    PY bench/_peers.py async    TOOL FILE      # TOOL: aeon, mpbn, pyboolnet
    PY bench/_peers.py versions

PY is the interpreter that has the tool: ``python3`` for logicnet, the benchmark
virtualenv (``/tmp/benchvenv/bin/python``) for mpbn, biodivine-aeon and pyboolnet.
States are returned as hexadecimal codes over the file's node order (bit i = i-th
node line of the .bnet file), so answers from different tools compare directly.
Timings: ``load_s`` (reading the file into the tool) and ``solve_s`` (the search and
listing of the answer), measured with ``time.perf_counter`` inside the worker.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import warnings

MAX_LIST = 200_000          # list at most this many fixed points / attractor states
MAX_ENUM_ATTRACTOR = 300_000  # enumerate aeon attractors up to this many states


def file_nodes(path: str) -> list[str]:
    names = []
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if not line or "," not in line:
                continue
            name = line.split(",", 1)[0].strip()
            if name == "targets" and not names:
                continue
            names.append(name)
    return names


def code_of(values, index) -> int:
    """{name: 0/1/bool} -> code over the file order."""
    c = 0
    for name, v in values.items():
        if int(v) == 1:
            c |= 1 << index[name]
    return c


def digest(codes) -> str:
    h = hashlib.sha256()
    for c in sorted(codes):
        h.update(format(c, "x").encode())
        h.update(b",")
    return h.hexdigest()[:16]


def fixed_logicnet(path, index):
    from logicnet.attractors import fixed_points
    from logicnet.io import read_network

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(path)
    t1 = time.perf_counter()
    aset = fixed_points(net)
    t2 = time.perf_counter()
    nodes = list(aset.nodes)
    if nodes == sorted(index, key=index.__getitem__):
        codes = [a.states[0] for a in aset]
    else:
        codes = [code_of({nodes[i]: 1 for i in range(len(nodes)) if (a.states[0] >> i) & 1}, index) for a in aset]
    return t1 - t0, t2 - t1, codes


def fixed_mpbn(path, index):
    import mpbn

    t0 = time.perf_counter()
    m = mpbn.MPBooleanNetwork(path)
    t1 = time.perf_counter()
    fps = list(m.fixedpoints())
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, [code_of(fp, index) for fp in fps]


def _aeon_graph(path):
    import biodivine_aeon as ba

    bn = ba.BooleanNetwork.from_file(path)
    # .bnet has no regulation signs; random rules may ignore a regulator: drop the
    # (unknown) constraints instead of inferring them (same dynamics, much faster).
    bn = bn.remove_regulation_constraints()
    return ba, ba.AsynchronousGraph(bn)


def fixed_aeon(path, index):
    t0 = time.perf_counter()
    ba, g = _aeon_graph(path)
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fps = ba.FixedPoints.symbolic(g)
    t_sym = time.perf_counter()
    models = [v.to_named_dict() for v in fps.vertices().items()]
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, [code_of(v, index) for v in models], t_sym - t1


def async_aeon(path, index):
    t0 = time.perf_counter()
    ba, g = _aeon_graph(path)
    t1 = time.perf_counter()
    atts = ba.Attractors.attractors(g)
    t_sym = time.perf_counter()
    out = []
    for a in atts:
        v = a.vertices()
        size = int(v.cardinality())
        states = None
        if size <= MAX_ENUM_ATTRACTOR:
            states = sorted(format(code_of(m.to_named_dict(), index), "x") for m in v.items())
        out.append({"size": size, "states": states})
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, out, t_sym - t1


def async_mpbn(path, index):
    import mpbn

    t0 = time.perf_counter()
    m = mpbn.MPBooleanNetwork(path)
    t1 = time.perf_counter()
    spaces = []
    for ts in m.attractors(star="*"):
        spaces.append({k: ("*" if v == "*" else int(v)) for k, v in ts.items()})
    t2 = time.perf_counter()
    fps = [format(code_of(fp, index), "x") for fp in m.fixedpoints()]
    t3 = time.perf_counter()
    # a trap space as (mask of fixed variables, their values), codes over the file order
    out = []
    for sp in spaces:
        mask = val = 0
        for k, v in sp.items():
            if v != "*":
                mask |= 1 << index[k]
                if v:
                    val |= 1 << index[k]
        out.append({"mask": format(mask, "x"), "value": format(val, "x")})
    return t1 - t0, t2 - t1, {"min_trap_spaces": out, "fixed_points": fps, "fixed_points_s": t3 - t2}


def async_pyboolnet(path, index):
    from pyboolnet.attractors import compute_attractors
    from pyboolnet.file_exchange import bnet2primes

    t0 = time.perf_counter()
    primes = bnet2primes(path)
    t1 = time.perf_counter()
    res = compute_attractors(primes, "asynchronous")
    t2 = time.perf_counter()
    out = []
    for a in res["attractors"]:
        out.append({"state": format(code_of(a["state"]["dict"], index), "x"),
                    "steady": bool(a["is_steady"]), "cyclic": bool(a["is_cyclic"])})
    return t1 - t0, t2 - t1, {"attractors": out, "complete": res.get("is_complete")}


def versions():
    out = {}
    for mod, dist in (("mpbn", "mpbn"), ("biodivine_aeon", "biodivine-aeon"), ("pyboolnet", "pyboolnet"),
                      ("clingo", "clingo"), ("logicnet", "logicnet")):
        try:
            from importlib.metadata import version

            __import__(mod)
            out[dist] = version(dist)
        except Exception as e:  # noqa: BLE001 - report anything
            out[dist] = f"unavailable: {type(e).__name__}: {str(e)[:200]}"
    return out


def main(argv):
    if argv[:1] == ["versions"]:
        print(json.dumps(versions()))
        return 0
    mode, tool, path = argv[:3]
    nodes = file_nodes(path)
    index = {n: i for i, n in enumerate(nodes)}
    t_start = time.perf_counter()
    res: dict = {"tool": tool, "mode": mode, "n": len(nodes)}
    if mode == "fixed":
        extra = None
        if tool == "logicnet":
            load, solve, codes = fixed_logicnet(path, index)
        elif tool == "mpbn":
            load, solve, codes = fixed_mpbn(path, index)
        elif tool == "aeon":
            load, solve, codes, extra = fixed_aeon(path, index)
        else:
            raise SystemExit(f"unknown tool {tool}")
        res.update(load_s=load, solve_s=solve, count=len(codes), digest=digest(codes))
        if extra is not None:
            res["symbolic_s"] = extra
        if len(codes) <= MAX_LIST:
            res["codes"] = [format(c, "x") for c in sorted(codes)]
    elif mode == "async":
        if tool == "aeon":
            load, solve, atts, sym = async_aeon(path, index)
            res.update(load_s=load, solve_s=solve, symbolic_s=sym, attractors=atts)
        elif tool == "mpbn":
            load, solve, data = async_mpbn(path, index)
            res.update(load_s=load, solve_s=solve, **data)
        elif tool == "pyboolnet":
            load, solve, data = async_pyboolnet(path, index)
            res.update(load_s=load, solve_s=solve, **data)
        else:
            raise SystemExit(f"unknown tool {tool}")
    else:
        raise SystemExit(f"unknown mode {mode}")
    res["worker_s"] = time.perf_counter() - t_start
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
