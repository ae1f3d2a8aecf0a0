"""MaBoSS's cell-cycle test model in discrete and continuous time: MaBoSS against logicnet.

MaBoSS's own files (``engine/tests/cellcycle/cellcycle.bnd`` and ``cellcycle_runcfg.cfg``
of sysbio-curie/MaBoSS, kept in ../shared/maboss_cellcycle) run in both tools with
``discrete_time`` = 1 and = 0, the same number of trajectories, one core each.  Printed
per output node: the probability in the last window [4.8, 5) of each tool, with its
standard error, and the difference in combined standard errors (z).  The MaBoSS
numbers recorded in tests/test_dialects.py come from this script:

    python bench/bench_maboss_discrete.py [--samples 100000]   # LOGICNET_SHARED: where shared/ is

Needs ``pip install cmaboss``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.environ.get("LOGICNET_SHARED", os.path.join(HERE, "..", "..", "shared")), "maboss_cellcycle")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=100000)
    args = ap.parse_args()

    import cmaboss

    from logicnet.io.maboss import read_maboss
    from logicnet.simulation import simulate

    bnd = os.path.join(DATA, "cellcycle.bnd")
    with open(os.path.join(DATA, "c17_cellcycle_runcfg.cfg"), encoding="utf-8") as fh:
        cfg_text = fh.read()
    tmp = tempfile.mkdtemp()
    print(f"{args.samples} trajectories each, one core each; last window [4.8, 5)")
    for discrete in (1, 0):
        text = re.sub(r"sample_count\s*=\s*\d+;", f"sample_count = {args.samples};", cfg_text)
        text = re.sub(r"discrete_time\s*=\s*\d+;", f"discrete_time = {discrete};", text)
        cfg = os.path.join(tmp, f"cellcycle_{discrete}.cfg")
        with open(cfg, "w", encoding="utf-8") as fh:
            fh.write(text + "\nthread_count = 1;\n")
        sim = cmaboss.MaBoSSSim(network=bnd, config=cfg)
        t0 = time.perf_counter()
        probs, _, names, errs = sim.run().get_last_nodes_probtraj()
        m_secs = time.perf_counter() - t0
        model = read_maboss(bnd, cfg)
        s = model.settings
        t0 = time.perf_counter()
        res = simulate(model.network, rates=model.rates, initial=model.initial, time=s["max_time"],
                       tick=s["time_tick"], samples=int(s["sample_count"]), seed=int(s["seed_pseudorandom"]),
                       discrete_time=bool(s.get("discrete_time")))
        l_secs = time.perf_counter() - t0
        print(f"discrete_time = {discrete}: MaBoSS {m_secs:.2f} s, logicnet {l_secs:.2f} s, "
              f"ratio {m_secs / l_secs:.2f}")
        for name, p, e in zip(names, probs[0], errs[0]):
            j = res.nodes.index(name)
            a, sa = float(res.mean[-1, j]), float(res.se[-1, j])
            z = abs(a - p) / math.sqrt(sa * sa + e * e) if sa + e > 0 else 0.0
            print(f"  {name:<8} MaBoSS {p:.4f} (se {e:.4f})  logicnet {a:.4f} (se {sa:.4f})  z {z:.2f}")


if __name__ == "__main__":
    sys.exit(main())
