"""Deterministic random Boolean networks for the benchmarks, written as .bnet.

A network is fixed by ``(n, K, seed)``: each of the ``n`` nodes ``v0 .. v{n-1}`` gets
``K`` distinct regulators chosen uniformly without replacement among all ``n`` nodes
(itself included), and a random truth table in which every row is 1 with
probability ``bias`` (0.5).  Rules are written in DNF with ``&``, ``|``, ``!`` (one
minterm per true row), constant rules as ``0``/``1``, under the ``targets, factors``
header, and every node has its own line, so BoolNet's ``loadNetwork``, pyboolnet,
mpbn, biodivine-aeon and logicnet all read the same file.

``with_inputs(n, m, K, seed)`` makes ``m`` of the nodes free inputs (``v, v``) and
lets the ``n - m`` others draw their ``K`` regulators among all nodes: the number of
fixed points then grows roughly like ``2**m``.

Command line::

    python3 bench/netgen.py 20 2 0 -o /tmp/r20.bnet      # n K seed
    python3 bench/netgen.py 1000 2 0 --inputs 10 -o /tmp/in10.bnet
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

__all__ = ["random_network", "with_inputs", "to_bnet", "write_bnet", "net_path"]


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([int(k) for k in key])


def _random_rules(rng: np.random.Generator, names: list[str], targets: range, k: int,
                  bias: float) -> dict[str, tuple[list[str], np.ndarray]]:
    n = len(names)
    rules = {}
    for i in targets:
        regs = sorted(rng.choice(n, size=k, replace=False).tolist())
        table = rng.random(1 << k) < bias
        rules[names[i]] = ([names[j] for j in regs], table)
    return rules


def random_network(n: int, k: int = 2, seed: int = 0, bias: float = 0.5):
    """Node names and ``{name: (regulators, truth table)}`` for an N-K network.

    Row ``r`` of a truth table is the value when regulator ``j`` has value
    ``(r >> j) & 1``.
    """
    names = [f"v{i}" for i in range(n)]
    rng = _rng(n, k, seed)
    return names, _random_rules(rng, names, range(n), k, bias)


def with_inputs(n: int, m: int, k: int = 2, seed: int = 0, bias: float = 0.5):
    """An N-K network whose first ``m`` nodes are free inputs (``v, v``)."""
    names = [f"v{i}" for i in range(n)]
    rng = _rng(n, m, k, seed, 7)
    rules = {names[i]: ([names[i]], np.array([False, True])) for i in range(m)}
    rules.update(_random_rules(rng, names, range(m, n), k, bias))
    return names, rules


def _dnf(regs: list[str], table: np.ndarray) -> str:
    if not table.any():
        return "0"
    if table.all():
        return "1"
    if len(regs) == 1 and table[1] and not table[0]:
        return regs[0]
    terms = []
    for row in np.flatnonzero(table):
        lits = [r if (row >> j) & 1 else f"!{r}" for j, r in enumerate(regs)]
        terms.append(" & ".join(lits))
    if len(terms) == 1:
        return terms[0]
    return " | ".join(f"({t})" if len(regs) > 1 else t for t in terms)


def to_bnet(names: list[str], rules) -> str:
    lines = ["targets, factors"]
    for nm in names:
        regs, table = rules[nm]
        lines.append(f"{nm}, {_dnf(regs, table)}")
    return "\n".join(lines) + "\n"


def write_bnet(path: str, names, rules) -> str:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(to_bnet(names, rules))
    os.replace(tmp, path)
    return path


def net_path(directory: str, n: int, k: int, seed: int = 0, inputs: int | None = None) -> str:
    """Write (once) and return the path of the network ``(n, k, seed[, inputs])``."""
    os.makedirs(directory, exist_ok=True)
    if inputs is None:
        path = os.path.join(directory, f"rand_n{n}_k{k}_s{seed}.bnet")
        if not os.path.exists(path):
            write_bnet(path, *random_network(n, k, seed))
    else:
        path = os.path.join(directory, f"rand_n{n}_m{inputs}_k{k}_s{seed}.bnet")
        if not os.path.exists(path):
            write_bnet(path, *with_inputs(n, inputs, k, seed))
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("k", type=int)
    ap.add_argument("seed", type=int, nargs="?", default=0)
    ap.add_argument("--inputs", type=int, default=None, help="make the first M nodes free inputs")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args(argv)
    names, rules = random_network(a.n, a.k, a.seed) if a.inputs is None else with_inputs(a.n, a.inputs, a.k, a.seed)
    if a.output == "-":
        sys.stdout.write(to_bnet(names, rules))
    else:
        write_bnet(a.output, names, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
