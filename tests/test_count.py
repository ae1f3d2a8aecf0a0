"""Attractors counted without listing them (logicnet.engine.count), against tests/naive.py."""

from __future__ import annotations

from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.attractors import count_attractors
from logicnet.cli import main
from logicnet.engine import count as cnt
from logicnet.engine import decompose as dec
from logicnet.engine import symbolic
from logicnet.errors import ResourceLimitError
from logicnet.reduce import reduce_network

from . import naive
from .corpus import MODELS, quiet_read
from .strategies import fixes, networks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Two independent parts and two free inputs: A and B oscillate together (one attractor
#: of four states asynchronously, one cycle of length 4 synchronously), C copies the
#: input I, D and E swap (two fixed points and, synchronously, a 2-cycle), J reads nothing.
TOY = "A* = not B\nB* = A\nI* = I\nC* = I\nD* = E\nE* = D\nJ* = J\n"


@SETTINGS
@given(st.data(), st.sampled_from(["asynchronous", "synchronous"]), st.booleans())
def test_count_matches_naive(data, update, without_bdds):
    """Counts multiply over independent parts and add over a free input's two values;
    with ``without_bdds`` every part without inputs is first tried by minimal trap spaces
    and candidate states (asynchronous)."""
    net = data.draw(networks(max_nodes=8, max_k=3))
    net = net.fix(data.draw(fixes(net)))
    expected = len(naive.async_attractors(net) if update == "asynchronous" else naive.sync_attractors(net))
    key = ("attractors", "BitsetEngine", "asynchronous")
    with mock.patch.dict("logicnet.engine.AUTO_MAX_VARIABLES", {key: -1 if without_bdds else 17}):
        assert count_attractors(net, update=update) == expected


@SETTINGS
@given(st.data(), st.sampled_from([0, dec.WALK_SWEEPS]))
def test_trap_spaces_hold_every_attractor_when_they_say_so(data, sweeps):
    """Without random walks every candidate survives, so they answer less often, never wrongly:
    the minimal trap spaces returned hold every attractor, each exactly one space; a network
    whose one minimal trap space is the whole space shown to hold one attractor holds one."""
    net = data.draw(networks(max_nodes=8, max_k=4))
    rnet = reduce_network(net.fix(data.draw(fixes(net)))).network
    expected = naive.async_attractors(rnet)
    with mock.patch.object(dec, "WALK_SWEEPS", sweeps):
        spaces = dec.attractors_in_minimal_trap_spaces(rnet, symbolic.Budget())
        one = spaces == ["*" * rnet.n_nodes] and dec.only_one_attractor(rnet, symbolic.Budget())
    if spaces is not None:
        codes = [{naive.encode(rnet, s) for s in naive.all_states(rnet)
                  if all(c == "*" or int(c) == s[x] for x, c in zip(rnet.nodes, sp))} for sp in spaces]
        assert all(sum(a <= c for c in codes) == 1 for a in expected)
        assert all(any(a <= c for a in expected) for c in codes)
    if one:
        assert len(expected) == 1


def test_products_and_sums_by_hand():
    net = Network.from_rules(TOY)
    # asynchronous: 1 (A, B) x 2 (I, C) x 2 (D, E) x 2 (J)
    assert count_attractors(net, update="asynchronous") == 8
    # synchronous: the 4-cycle with D, E's two fixed points and their 2-cycle (length 2:
    # gcd(4, 2) = 2 cycles of length 4), so 1 + 1 + 2 = 4 for (A, B, D, E); x 2 x 2
    assert count_attractors(net, update="synchronous") == 16
    assert count_attractors(net, update="synchronous") == len(naive.sync_attractors(net))
    assert count_attractors(net, update="asynchronous", fix={"I": 1, "J": 0}) == 2


def test_a_count_out_of_time_says_what_it_searched():
    net = Network.from_rules(TOY)
    with mock.patch.object(cnt._Counter, "left", side_effect=ResourceLimitError("did not finish")):
        with pytest.raises(ResourceLimitError, match="did not finish"):
            count_attractors(net, update="asynchronous", timeout=1)
    c = cnt._Counter("asynchronous", 0.0, 1 << 30, None)
    c.inputs = 3
    with pytest.raises(ResourceLimitError, match=r"0 sub-network.*at least 2\^3 = 8"):
        c.left()


def test_cli_count(tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text(TOY)
    runner = CliRunner()
    out = runner.invoke(main, ["attractors", str(path), "--update", "async", "--count"])
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == "8"
    out = runner.invoke(main, ["attractors", str(path), "--count"])  # synchronous, the default
    assert out.exit_code == 0 and out.stdout.strip() == "16"
    out = runner.invoke(main, ["attractors", str(path), "--fixed-points", "--count"])
    assert out.exit_code == 0 and out.stdout.strip() == "0"  # A and B never rest
    out = runner.invoke(main, ["attractors", str(path), "--fixed-points", "--count", "--fix", "A=1", "--fix", "B=1"])
    assert out.exit_code == 0 and out.stdout.strip() == "8"  # I (with C), D = E and J
    out = runner.invoke(main, ["attractors", str(path), "--count", "--limit", "3"])
    assert out.exit_code == 2 and "--limit cannot apply" in out.output
    out = runner.invoke(main, ["attractors", str(path), "--count", "--phenotype", "on=A"])
    assert out.exit_code == 2 and "--phenotype cannot apply" in out.output


@pytest.mark.skipif(not MODELS.is_dir(), reason="../shared/models is not present")
@pytest.mark.parametrize("key, expected", [
    ("bbm092", 276),  # aeon's attractors with the 8 inputs free (bench/README.md)
    ("bbm231", 640),  # aeon's, 7 inputs free
])
def test_published_models_count_as_aeon_lists(key, expected):
    net = quiet_read(next(MODELS.glob(f"{key}_*.bnet")))
    assert count_attractors(net, update="asynchronous") == expected


def test_a_part_left_unfinished_says_what_its_search_established(monkeypatch):
    """A part whose search stops short (here: an engine that says so) ends the count
    with what that search established, not a bare refusal."""
    import logicnet.engine as engine
    from logicnet.engine import Found, Partial

    partial = Partial(5, ({"space": "*", "attractors": 1, "exactly_one": True},) * 3, False, "unknown", None, (),
                      None)

    class Stops:
        def attractors(self, q):
            return Found((), complete=False, partial=partial)

    monkeypatch.setattr(engine, "choose", lambda q, name="auto": Stops())
    with pytest.raises(ResourceLimitError) as err:
        count_attractors(Network.from_rules("A* = not B\nB* = A"), update="synchronous")
    text = str(err.value)
    assert "(2 variables, no free input left) was not searched to the end" in text, text
    assert "at least 5 attractors (its fixed points)" in text and "(the first 3 were searched)" in text, text
    assert err.value.advice == ("more time",)
