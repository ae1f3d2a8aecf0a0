"""Stochastic simulation: long-time frequencies against the exact absorption probabilities."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from logicnet import Network
from logicnet.errors import LogicnetError
from logicnet.io import read_network
from logicnet.probability import attractor_probabilities
from logicnet.simulate import simulate

from .corpus import MODELS

# A race with three outcomes: whichever of B, C switches on first locks the other out,
# unless A (slow) switches both off and D on.
RACE = """A* = not A or A
B* = not C and not D
C* = not B and not D
D* = A and not B and not C or D
"""


def _frequencies(net, sim, aset):
    """Share of trajectories whose final state lies in each attractor (bit i = node i)."""
    codes = sim.final_codes[:, 0].astype(np.int64)
    return [float(np.isin(codes, np.array(a.states, np.int64)).mean()) for a in aset]


def _agree(net, *, time, samples, seed, **kw):
    exact = attractor_probabilities(net, **kw)
    sim = simulate(net, time=time, samples=samples, seed=seed, tick=time, **kw)
    freq = _frequencies(net, sim, exact.attractors)
    assert sum(freq) == pytest.approx(1.0, abs=2e-3), "trajectories not yet in an attractor"
    for f, p in zip(freq, exact.probabilities):
        se = math.sqrt(max(p * (1 - p), 1e-12) / samples)
        assert abs(f - p) <= 3 * se + 1e-12, (f, p, se)
    return exact, freq


def test_race_with_rates_matches_exact():
    net = Network.from_rules(RACE)
    exact, _ = _agree(net, time=60.0, samples=20000, seed=7, rates={"A": (0.3, 0.3), "B": (2.0, 1.0)},
                      initial={"D": 0})
    assert len(exact.attractors) == 3 and min(exact.probabilities) > 0.02


@pytest.mark.parametrize("stem, time", [("bbm184_p53_mdm2_network", 100.0), ("bbm095_fission_yeast_2008", 100.0)])
def test_shared_models_match_exact(stem, time):
    path = MODELS / f"{stem}.bnet"
    if not path.is_file():
        pytest.skip("../shared/models is not present")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # names without a rule: free inputs, as intended
        net = read_network(path)
    _agree(net, time=time, samples=20000, seed=11)


def test_same_seed_same_result_and_batching():
    import logicnet.simulate as sim_mod

    net = Network.from_rules(RACE)
    a = simulate(net, time=5, samples=300, seed=4)
    old = sim_mod.BATCH
    sim_mod.BATCH = 7
    try:
        b = simulate(net, time=5, samples=300, seed=4)
    finally:
        sim_mod.BATCH = old
    assert np.array_equal(a.final_codes, b.final_codes) and np.array_equal(a.mean, b.mean)
    c = simulate(net, time=5, samples=300, seed=5)
    assert not np.array_equal(a.final_codes, c.final_codes)


def test_time_course_of_one_decaying_node():
    # A off -> stays; A on -> switches off at rate 2: P(A on at t) = 0.5 exp(-2t).
    net = Network.from_rules("A* = False and A")
    sim = simulate(net, time=2.0, tick=0.5, samples=40000, seed=2, rates={"A": (1, 2)})
    for k, t in enumerate(sim.times):
        exact = 0.5 * (math.exp(-2 * t) - math.exp(-2 * (t + 0.5))) / (2 * 0.5)  # window average
        assert abs(sim.mean[k, 0] - exact) <= 3 * sim.se[k, 0] + 1e-12


def test_phenotype_and_fixed_nodes():
    net = Network.from_rules("A* = A\nB* = A\nC* = not B")
    sim = simulate(net, fix={"A": 1}, time=30, samples=500, seed=0, phenotypes={"off": "not C"})
    assert sim.final_states == {"110": (1.0, 0.0)}
    assert sim.probability("off")[-1] == pytest.approx(1.0, abs=0.01)


def test_bad_input():
    net = Network.from_rules("A* = A")
    with pytest.raises(LogicnetError, match="positive number"):
        simulate(net, time=0)
    with pytest.raises(LogicnetError, match="positive integer"):
        simulate(net, samples=0)
    with pytest.raises(LogicnetError, match="between 0 and 1"):
        simulate(net, initial={"A": 2})
