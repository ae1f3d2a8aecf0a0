"""Stand-in for ``logicnet attractors`` while the CLI command does not exist yet.

    python3 bench/_logicnet_fallback.py FILE [--update sync|async] [--fixed-points]
                                          [--no-reduce] [--format json] [--timings]

Same output contract as the command line: the result of ``AttractorSet.to_dict()`` as
JSON on stdout and, with ``--timings``, one line on stderr::

    timings: reduce 0.001 s, compile 0.002 s, successors 0.5 s, attractors 1.2 s, lift 0.0 s, search 1.7 s, total 2.3 s

``--no-reduce`` (not a CLI option) calls ``find_attractors(..., reduce=False)`` so
that an exhaustive search covers every non-fixed variable; the benchmarks use it to
search exactly 2^n states.  The benchmarks call the real CLI when
``logicnet attractors --help`` works and this file only otherwise (or for
``--no-reduce``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv=None) -> int:
    t_start = time.perf_counter()
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--update", default="sync")
    ap.add_argument("--fixed-points", action="store_true")
    ap.add_argument("--no-reduce", action="store_true")
    ap.add_argument("--format", default="json")
    ap.add_argument("--timings", action="store_true")
    a = ap.parse_args(argv)

    from logicnet.attractors import find_attractors, fixed_points
    from logicnet.io import read_network

    net = read_network(a.file)
    t = {}
    if a.fixed_points:
        t0 = time.perf_counter()
        aset = fixed_points(net, update=a.update)
        t["fixed_points"] = time.perf_counter() - t0
    else:
        aset = find_attractors(net, update=a.update, timings=t, reduce=not a.no_reduce)
    sys.stdout.write(json.dumps(aset.to_dict()))
    sys.stdout.write("\n")
    sys.stdout.flush()
    if a.timings:
        keys = ["reduce", "compile", "successors", "attractors", "lift"]
        parts = [f"{k} {t.get(k, 0.0):.6f} s" for k in keys]
        if "fixed_points" in t:
            parts.append(f"fixed_points {t['fixed_points']:.6f} s")
        parts.append(f"search {t.get('successors', 0.0) + t.get('attractors', 0.0):.6f} s")
        parts.append(f"total {time.perf_counter() - t_start:.6f} s")
        print("timings: " + ", ".join(parts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
