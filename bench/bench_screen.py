"""Benchmark: the full single + double knockout screen of the IGF-axis model.

Condition: context HCC + lenvatinib; candidates: every node the condition leaves
free (phenotype nodes excepted); both update schemes; local processes.  Prints the
wall time and how the summed worker time splits into reduce / compile / search /
score, plus the time spent on explanations.

    python3 bench/bench_screen.py [--jobs N] [--overexpress] [--score share|probability]
"""

from __future__ import annotations

import argparse
import time

from logicnet.io.study import read_study
from logicnet.networks import bundled_path
from logicnet.parallel import default_jobs
from logicnet.screen import screen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--context", default="HCC")
    ap.add_argument("--drug", action="append", default=None)
    ap.add_argument("--overexpress", action="store_true")
    ap.add_argument("--score", default="share", choices=["share", "probability"])
    args = ap.parse_args()
    drugs = args.drug or ["lenvatinib"]
    study = read_study(bundled_path("igf_axis.toml"))
    total = 0.0
    print(f"IGF axis, context {args.context} + {' + '.join(drugs)}, {args.jobs} process(es)")
    print(f"{'update':<13} {'evaluated':>9} {'wall s':>7} {'reduce':>7} {'compile':>7} {'search':>7} "
          f"{'score':>7} {'explain':>7}  complete singles")
    for update in ("synchronous", "asynchronous"):
        t0 = time.perf_counter()
        res = screen(study, context=args.context, drugs=drugs, update=update, max_order=2,
                     overexpress=args.overexpress, n_jobs=args.jobs, score=args.score)
        wall = time.perf_counter() - t0
        total += wall
        tm = res.timings
        singles = [h.label for h in res.results if h.complete and len(h.intervention) + len(h.drugs_added) == 1]
        print(f"{update:<13} {res.n_evaluated:>9} {wall:>7.1f} {tm['reduce']:>7.1f} {tm['compile']:>7.1f} "
              f"{tm['search']:>7.1f} {tm['score']:>7.1f} {tm['explain']:>7.1f}  {', '.join(singles)}")
    print(f"both update schemes: {total:.1f} s wall")


if __name__ == "__main__":
    main()
