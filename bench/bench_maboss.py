"""Benchmark: ``logicnet simulate`` against MaBoSS (the ``cmaboss`` wheel) on the same models.

For each model, logicnet writes the ``.bnd``/``.cfg`` pair (every rate 1, random
initial state, ``thread_count = 1``), MaBoSS runs it, and logicnet simulates the same
chain with the same final time and number of trajectories (one core each, in this
process, one after the other; logicnet's numba kernels loaded beforehand, MaBoSS
timed around ``run()`` only).  Reported:

* trajectories per second of each tool, and the ratio;
* agreement: for every node, the probability in the last time window (both tools
  average over the window) differs by at most 3 combined standard errors;
* where the state space is small enough, the share of logicnet's trajectories that
  end in each attractor against the exact probability (3 standard errors).

    python bench/bench_maboss.py [--samples N] [--time T] [--random-rates] [MODEL.bnet ...]

Needs ``pip install cmaboss scipy``; shared models from ../shared/models.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "models"))
DEFAULT = ["bbm184_p53_mdm2_network", "bbm095_fission_yeast_2008", "bbm023_mammalian_cell_cycle_2006",
           "bbm089_mapk_reduced_1", "bbm070_mapk_cancer_cell_fate"]


def _model_paths(names):
    from logicnet.networks import bundled_path

    out = []
    for n in names:
        p = n if os.path.exists(n) else os.path.join(MODELS, n + ".bnet")
        if os.path.exists(p):
            out.append(p)
    out.append(str(bundled_path("faure2006_cell_cycle.bnet")))
    return out


def run_maboss(bnd, cfg):
    import cmaboss

    sim = cmaboss.MaBoSSSim(network=bnd, config=cfg)
    t0 = time.perf_counter()
    res = sim.run()
    secs = time.perf_counter() - t0
    probs, _, names, errs = res.get_last_nodes_probtraj()
    return secs, dict(zip(names, probs[0])), dict(zip(names, errs[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*")
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--time", type=float, default=50.0)
    ap.add_argument("--tick", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--random-rates", action="store_true",
                    help="Give every node a rate up and a rate down drawn from [0.2, 5] (seeded), and start "
                         "every third node off.")
    args = ap.parse_args()

    from logicnet.io import read_network
    from logicnet.io.maboss import write_maboss
    from logicnet.probability import attractor_probabilities
    from logicnet.simulation import simulate

    simulate(read_network(_model_paths([])[-1]), time=1.0, samples=2)  # load the kernels
    print(f"samples {args.samples}, time {args.time}, tick {args.tick}, one core each"
          + (", random rates and initial states" if args.random_rates else ", every rate 1"))
    print(f"{'model':<36} {'nodes':>5} {'MaBoSS traj/s':>13} {'logicnet traj/s':>15} {'ratio':>6} "
          f"{'nodes within 3 SE':>17} {'attractors within 3 SE of exact':>31}")
    tmp = tempfile.mkdtemp()
    for path in _model_paths(args.models or DEFAULT):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = read_network(path)
        if net.n_nodes > 64:
            continue
        stem = os.path.join(tmp, os.path.splitext(os.path.basename(path))[0])
        rates, initial = {}, {}
        if args.random_rates:
            rng = np.random.default_rng(args.seed)
            rates = {n: (float(rng.uniform(0.2, 5)), float(rng.uniform(0.2, 5))) for n in net.nodes}
            initial = {n: 0.0 for n in net.nodes[::3] if n not in net.constants}
        write_maboss(net, stem + ".bnd", stem + ".cfg", time=args.time, tick=args.tick, samples=args.samples,
                     seed=args.seed, rates=rates, initial=initial)
        with open(stem + ".cfg", "a") as fh:
            fh.write("thread_count = 1;\n")
        m_secs, m_prob, m_err = run_maboss(stem + ".bnd", stem + ".cfg")
        t0 = time.perf_counter()
        res = simulate(net, time=args.time, tick=args.tick, samples=args.samples, seed=args.seed, rates=rates,
                       initial=initial)
        l_secs = time.perf_counter() - t0
        ok = 0
        worst = 0.0
        for j, n in enumerate(net.nodes):
            a, sa = float(res.mean[-1, j]), float(res.se[-1, j])
            b, sb = float(m_prob.get(n, 0.0)), float(m_err.get(n, 0.0))
            z = abs(a - b) / math.sqrt(sa * sa + sb * sb) if sa + sb > 0 else (0.0 if a == b else math.inf)
            worst = max(worst, z)
            ok += z <= 3
        exact_txt = "-"
        try:
            ex = attractor_probabilities(net, rates=rates, initial=initial)
            if ex.n_states <= 1 << 20:
                codes = res.final_codes[:, 0].astype(np.int64)
                inside = 0
                good = 0
                for a, p in zip(ex.attractors, ex.probabilities):
                    f = float(np.isin(codes, np.array(a.states, np.int64)).mean())
                    inside += f
                    se = math.sqrt(max(p * (1 - p), 1e-12) / args.samples)
                    good += abs(f - p) <= 3 * se
                exact_txt = f"{good}/{len(ex.attractors)} (in attractors {inside:.3f})"
        except Exception as e:  # noqa: BLE001 - too large for the exact solution: report why
            exact_txt = type(e).__name__
        name = os.path.splitext(os.path.basename(path))[0][:36]
        mt, lt = args.samples / m_secs, args.samples / l_secs
        print(f"{name:<36} {net.n_nodes:>5} {mt:>13.0f} {lt:>15.0f} {lt / mt:>6.2f} "
              f"{ok:>8}/{net.n_nodes:<3} z<={worst:4.1f} {exact_txt:>31}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
