"""Asynchronous attractors of one model by biodivine-aeon (the peer side of bench_symbolic.py).

Usage: python _aeon_async.py MODEL.bnet [zero|one|free|JSON]
Prints one JSON line: {"n": attractors, "spaces": sorted enclosing subspaces (node order of
the .bnet), "sizes": sizes in the same order}.  Inputs (no rule, or ``x, x``) are fixed to 0 with
``zero``, to 1 with ``one``; with ``free`` they stay free and each input combination is its own
colour-free attractor (aeon sees them as variables that never change).  A JSON object
(``'{"EGF": 1, "TNF": 0}'``) fixes exactly the inputs it names to the values it gives (the
caller's assignment, so both tools read the same values); an input it leaves out, or a name
that is not an input here, is an error.
"""

import json
import sys

import biodivine_aeon as ba


def main() -> None:
    path, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "zero")
    values = json.loads(mode) if mode.startswith("{") else None
    bn = ba.BooleanNetwork.from_file(path)
    names = bn.variable_names()
    seen = set()
    for v in bn.variables():
        f = bn.get_update_function(v)
        name = bn.get_variable_name(v)
        if f is None or str(f) == name:  # an input (the corpus leaves their rules out)
            if values is not None:
                if name not in values:
                    sys.exit(f"input {name} has no value in the assignment")
                seen.add(name)
                bn.set_update_function(v, "true" if values[name] else "false")
            elif mode == "free":
                bn.ensure_regulation({"source": name, "target": name, "sign": None, "essential": False})
                bn.set_update_function(v, name)
            else:
                bn.set_update_function(v, "true" if mode == "one" else "false")
    if values is not None and set(values) != seen:
        sys.exit(f"not inputs here: {sorted(set(values) - seen)}")
    bn = bn.infer_valid_graph()
    graph = ba.AsynchronousGraph(bn)
    atts = ba.Attractors.attractors(graph)
    out = []
    for a in atts:
        verts = a.vertices()
        sub = verts.enclosing_named_subspace()
        space = "".join("*" if n not in sub else ("1" if sub[n] else "0") for n in names)
        out.append((space, int(verts.cardinality())))
    out.sort()
    print(json.dumps({"nodes": names, "n": len(out), "spaces": [s for s, _ in out], "sizes": [k for _, k in out]}))


if __name__ == "__main__":
    main()
