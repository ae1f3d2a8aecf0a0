"""Asynchronous attractors of one model by biobalm (the peer side of bench_symbolic.py --biobalm).

Usage: python _biobalm_async.py MODEL.bnet [sets]
Builds the whole succession diagram (``SuccessionDiagram.build()``) and prints one JSON line:
{"n": attractors (one seed state per attractor, ``expanded_attractor_seeds``), "seconds": in
process}.  With ``sets``, also the attractors as state sets (``expanded_attractor_sets``) and
their sizes: the same question as logicnet's, which lists every attractor's states.
"""

import json
import sys
import time


def main() -> None:
    from biobalm import SuccessionDiagram

    t = time.perf_counter()
    sd = SuccessionDiagram.from_file(sys.argv[1])
    sd.build()
    seeds = [s for node in sd.expanded_attractor_seeds().values() for s in node]
    out = {"n": len(seeds)}
    if len(sys.argv) > 2 and sys.argv[2] == "sets":
        sets = [s for node in sd.expanded_attractor_sets().values() for s in node]
        out["sizes"] = sorted(int(s.cardinality()) for s in sets)
    out["seconds"] = round(time.perf_counter() - t, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
