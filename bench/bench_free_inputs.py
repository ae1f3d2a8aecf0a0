"""Asynchronous attractors with every input free, counted by logicnet and checked against
biodivine-aeon one input combination at a time.

No peer lists these models' attractors with their inputs free (aeon's colour-free
search does not finish), so the count is checked per combination: logicnet's attractors
are grouped by their inputs' values, and for a sample of combinations drawn at random
(seeded) aeon answers the same model with the inputs fixed to those values
(``_aeon_async.py MODEL JSON``); the number of attractors and their enclosing subspaces
must be equal.  Whole processes; load printed.

With ``--count`` logicnet only counts (``attractors --count``: where the attractors are
far too many to list), and each sampled combination is checked three ways: aeon's
attractors, logicnet's listing with those inputs fixed (subspaces equal), and logicnet's
count with them fixed (equal to aeon's number).  The fixed points (``--fixed-points
--count``) are printed beside the count: every fixed point is an attractor, so they bound
it from below.

Usage::

    python bench/bench_free_inputs.py [--only bbm277,bbm083] [--sample 8] [--seed 1]
        [--timeout 600] [--count] [--peer-python PY]

``--peer-python`` is a Python with biodivine-aeon installed (see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import MODELS_DIR, peer_python, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
#: The models of issue "hard models" whose attractors nobody lists with inputs free.
DEFAULT = "bbm083,bbm277,bbm004,bbm018,bbm140,bbm143"


def logicnet_free(path: str, timeout: float):
    """logicnet's attractors of ``path`` with inputs free: (seconds, complete, nodes, spaces)."""
    p = run(["logicnet", "attractors", path, "--update", "async", "--format", "json", "--max-states", "0",
             "--timeout", str(timeout)], timeout=timeout + 60)
    if p.timed_out or not p.stdout.strip():
        return p.seconds, None, None, None
    d = json.loads(p.stdout)
    return p.seconds, bool(d["complete"]), d["nodes"], [a["space"] for a in d["attractors"]]


def logicnet_count(path: str, timeout: float, fix: dict | None = None, fixed_points: bool = False):
    """logicnet's count (``attractors --count``): (seconds, number or None)."""
    cmd = ["logicnet", "-q", "attractors", path, "--update", "async", "--count", "--timeout", str(timeout)]
    cmd += [a for x, v in (fix or {}).items() for a in ("--fix", f"{x}={v}")]
    p = run(cmd + (["--fixed-points"] if fixed_points else []), timeout=timeout + 60)
    if p.timed_out or p.returncode != 0:
        return p.seconds, None
    return p.seconds, int(p.stdout.strip())


def logicnet_fixed(path: str, values: dict, timeout: float):
    """logicnet's listed attractors of ``path`` with ``values`` fixed: (nodes, sorted subspaces),
    or (None, None)."""
    cmd = ["logicnet", "-q", "attractors", path, "--update", "async", "--format", "json", "--max-states", "0",
           "--timeout", str(timeout)] + [a for x, v in values.items() for a in ("--fix", f"{x}={v}")]
    p = run(cmd, timeout=timeout + 60)
    if p.timed_out or p.returncode != 0:
        return None, None
    d = json.loads(p.stdout)
    return d["nodes"], sorted(a["space"] for a in d["attractors"])


def counted(prefix: str, path: str, inputs: list[str], py: str, args) -> None:
    """``--count``: the whole count, then the sampled combinations checked three ways."""
    secs, n = logicnet_count(path, args.timeout)
    _, fixed = logicnet_count(path, args.timeout, fixed_points=True)
    if n is None:
        print(f"| {prefix} | {len(inputs)} | {2 ** len(inputs):,} | no answer | > {secs:.0f} | {fixed} | - | - |")
        return
    rng = random.Random(args.seed)
    combos = [tuple((c >> i) & 1 for i in range(len(inputs)))
              for c in rng.sample(range(2 ** len(inputs)), min(args.sample, 2 ** len(inputs)))]
    equal, answered, times = 0, 0, []
    for combo in combos:
        values = dict(zip(inputs, combo))
        t, peer = aeon_fixed(py, path, values, args.aeon_timeout)
        times.append(t)
        if peer is None:
            print(f"  {prefix} inputs {values}: aeon did not answer in {t:.0f} s")
            continue
        answered += 1
        nodes, listed = logicnet_fixed(path, values, args.timeout)
        _, mine = logicnet_count(path, args.timeout, values)
        theirs = None
        if nodes is not None:
            order = [peer["nodes"].index(x) for x in nodes]
            theirs = sorted("".join(sp[i] for i in order) for sp in peer["spaces"])
        if mine == peer["n"] and listed == theirs:
            equal += 1
        else:
            print(f"  {prefix} inputs {values}: aeon {peer['n']}, logicnet counts {mine}, lists "
                  f"{None if listed is None else len(listed)}{'' if listed == theirs else ' (spaces differ)'}")
    shown = "-" if fixed is None else f"{fixed:,}"
    print(f"| {prefix} | {len(inputs)} | {2 ** len(inputs):,} | {n:,} | {secs:.1f} | {shown} "
          f"| {equal} of {answered} aeon answered ({len(combos)} drawn) | {sum(times) / len(times):.2f} |")


def model_inputs(path: str) -> list[str]:
    """The free inputs of the model, as logicnet reads them."""
    import warnings

    import logicnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(logicnet.read_network(path).inputs)


def aeon_fixed(py: str, path: str, values: dict, timeout: float):
    p = run([py, os.path.join(HERE, "_aeon_async.py"), path, json.dumps(values)], timeout=timeout)
    if p.timed_out or p.returncode != 0:
        return p.seconds, None
    return p.seconds, json.loads(p.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=DEFAULT, help=f"comma-separated model prefixes (default {DEFAULT})")
    ap.add_argument("--sample", type=int, default=8, help="input combinations checked against aeon per model")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600.0, help="logicnet's --timeout, seconds")
    ap.add_argument("--aeon-timeout", type=float, default=300.0)
    ap.add_argument("--count", action="store_true", help="count only (attractors --count), checked per combination")
    ap.add_argument("--peer-python", default=None, help="a Python with biodivine-aeon (default: $BENCH_PEER_PYTHON)")
    args = ap.parse_args()
    py = peer_python(args.peer_python)
    if py is None:
        sys.exit("no Python with biodivine-aeon: give --peer-python (see bench/README.md)")
    print(f"load {os.getloadavg()[0]:.2f}; logicnet --timeout {args.timeout:g} s; aeon per combination "
          f"(inputs fixed), {args.sample} combinations drawn at random (seed {args.seed})")
    if args.count:
        print("| model | inputs | combinations | logicnet count | logicnet s | fixed points | combinations equal to "
              "aeon (count, listing) | aeon s per combination |")
        print("|---|---|---|---|---|---|---|---|")
    else:
        print("| model | inputs | combinations | logicnet attractors | logicnet s | combinations equal to aeon "
              "| aeon s per combination |")
        print("|---|---|---|---|---|---|---|")
    for prefix in args.only.split(","):
        path = next((os.path.join(MODELS_DIR, f) for f in sorted(os.listdir(MODELS_DIR))
                     if f.startswith(prefix) and f.endswith(".bnet")), None)
        if path is None:
            print(f"| {prefix} | not found | | | | | |")
            continue
        inputs = model_inputs(path)
        if args.count:
            counted(prefix, path, inputs, py, args)
            continue
        secs, complete, nodes, spaces = logicnet_free(path, args.timeout)
        if complete is None:
            print(f"| {prefix} | {len(inputs)} | {2 ** len(inputs):,} | no answer | > {secs:.0f} | - | - |")
            continue
        where = [nodes.index(x) for x in inputs]
        by_combo: dict[tuple, list[str]] = {}
        for s in spaces:
            by_combo.setdefault(tuple(int(s[i]) for i in where), []).append(s)
        rng = random.Random(args.seed)
        combos = [tuple((c >> i) & 1 for i in range(len(inputs)))
                  for c in rng.sample(range(2 ** len(inputs)), min(args.sample, 2 ** len(inputs)))]
        equal, answered, times = 0, 0, []
        for combo in combos:
            t, peer = aeon_fixed(py, path, dict(zip(inputs, combo)), args.aeon_timeout)
            times.append(t)
            if peer is None:
                print(f"  {prefix} inputs {dict(zip(inputs, combo))}: aeon did not answer in {t:.0f} s")
                continue
            answered += 1
            order = [peer["nodes"].index(x) for x in nodes]
            theirs = sorted("".join(sp[i] for i in order) for sp in peer["spaces"])
            mine = sorted(by_combo.get(combo, []))
            if theirs == mine:
                equal += 1
            else:
                print(f"  {prefix} inputs {dict(zip(inputs, combo))}: logicnet {len(mine)}, aeon {len(theirs)}")
        state = "" if complete else " (partial)"
        print(f"| {prefix} | {len(inputs)} | {2 ** len(inputs):,} | {len(spaces):,}{state} | {secs:.1f} | "
              f"{equal} of {answered} aeon answered ({len(combos)} drawn) | {sum(times) / len(times):.2f} |")


if __name__ == "__main__":
    main()
