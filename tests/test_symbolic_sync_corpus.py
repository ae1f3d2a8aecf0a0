"""Synchronous attractors of the large published models equal BoolNet's ``sat.exhaustive``.

The reference answers are BoolNet's, recorded by ``bench/bench_sync_symbolic.py
--record`` in tests/data/sync_symbolic_boolnet.json (every free input fixed to 0 or to
1; BoolNet 2.1.7, ``getAttractors(type="synchronous", method="sat.exhaustive")``).
The bench compares every model; to keep the suite fast this test repeats the
comparison for the models logicnet answered in a few seconds there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logicnet.engine.symbolic_sync import symbolic_sync_attractors

from .corpus import MODELS, quiet_read

DATA = Path(__file__).parent / "data" / "sync_symbolic_boolnet.json"
FAST_S = 5.0


def _cases():
    runs = json.loads(DATA.read_text())["runs"]
    picked = [r for r in runs if r.get("boolnet") == "finished" and r.get("logicnet_search_s", 1e9) < FAST_S]
    if not MODELS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/models is not present"))]
    return [pytest.param(r, id=f"{r['model'][:6]}-inputs{r['inputs']}") for r in picked]


def _canonical(cycle):
    k = cycle.index(min(cycle))
    return tuple(cycle[k:] + cycle[:k])


@pytest.mark.parametrize("run", _cases())
def test_equal_to_boolnet_sat_exhaustive(run):
    net = quiet_read(MODELS / f"{run['model']}.bnet")
    net = net.fix({x: run["inputs"] for x in net.inputs})
    assert list(net.nodes) == run["nodes"]
    res = symbolic_sync_attractors(net, basins=False, max_states=1 << 20)
    mine = sorted(_canonical(list(c.states)) for c in res.cycles)
    theirs = sorted(_canonical([int(s, 16) for s in c]) for c in run["boolnet_cycles"])
    assert mine == theirs
