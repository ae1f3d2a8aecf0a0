"""Trap spaces against a brute-force definition and against mpbn's recorded answers."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicnet import Network
from logicnet.cli import main
from logicnet.engine.trapspaces import maximal_trap_spaces, minimal_trap_spaces
from logicnet.errors import LogicnetError, ResourceLimitError
from logicnet.expr import evaluate
from logicnet.trapspaces import trap_spaces

from .corpus import MODELS, model_params, quiet_read
from .strategies import fixes, networks

DATA = Path(__file__).parent / "data" / "mpbn_min_trap_spaces.json.gz"


# ----------------------------------------------------------------------------- brute force

def brute_trap_spaces(net: Network) -> list[str]:
    """Every trap space of ``net`` (all 3^n subspaces; constant rules are ordinary variables).

    A subspace is a trap space when, for every node fixed to v in it, the node's
    rule evaluates to v in every state of the subspace.
    """
    n = net.n_nodes
    values = {}
    for bits in itertools.product((0, 1), repeat=n):
        state = dict(zip(net.nodes, bits))
        values[bits] = tuple(evaluate(net.rules[x], state) for x in net.nodes)
    out = []
    for space in itertools.product("01*", repeat=n):
        choices = [(0, 1) if c == "*" else (int(c),) for c in space]
        ok = True
        for bits in itertools.product(*choices):
            f = values[bits]
            if any(c != "*" and f[i] != int(c) for i, c in enumerate(space)):
                ok = False
                break
        if ok:
            out.append("".join(space))
    return out


def inside(a: str, b: str) -> bool:
    """Subspace ``a`` is contained in subspace ``b``."""
    return all(y == "*" or x == y for x, y in zip(a, b))


def brute_minimal(net: Network) -> list[str]:
    ts = brute_trap_spaces(net)
    return sorted(s for s in ts if not any(t != s and inside(t, s) for t in ts))


def brute_maximal(net: Network) -> list[str]:
    """Maximal trap spaces other than the whole space; fixed nodes (constant rules) keep their value."""
    const = net.constants
    whole = "".join(str(const[x]) if x in const else "*" for x in net.nodes)
    ts = [s for s in brute_trap_spaces(net) if inside(s, whole) and s != whole]
    return sorted(s for s in ts if not any(t != s and inside(s, t) for t in ts))


# ----------------------------------------------------------------------------- properties

@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_nodes=6))
def test_minimal_and_maximal_equal_brute_force(net):
    expected_min = brute_minimal(net)
    assert sorted(trap_spaces(net)) == expected_min
    assert sorted(minimal_trap_spaces(net, reduce=False)[0]) == expected_min
    assert sorted(trap_spaces(net, kind="max")) == brute_maximal(net)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fix_and_limit(data):
    net = data.draw(networks(max_nodes=6))
    fix = data.draw(fixes(net))
    fixed = net.fix(fix)
    full = trap_spaces(net, fix=fix)
    assert sorted(full) == brute_minimal(fixed) and full.complete
    assert full.fixed == fixed.constants
    assert all(s[net.index(x)] == str(v) for s in full for x, v in fix.items())
    limit = data.draw(st.integers(1, 3))
    cut = trap_spaces(net, fix=fix, limit=limit)
    assert set(cut) <= set(full)
    assert len(cut) == min(limit, len(full))
    assert cut.complete == (len(full) <= limit)
    assert full.is_fixed_point == tuple("*" not in s for s in full)


def test_small_by_hand():
    # A and B are a toggle switch; C oscillates when A is on and stays off otherwise.
    net = Network.from_rules("A* = not B\nB* = not A\nC* = A and not C")
    ts = trap_spaces(net)
    assert list(ts) == ["010", "10*"] and ts.is_fixed_point == (True, False) and ts.sizes == (1, 2)
    assert list(trap_spaces(net, kind="max")) == ["01*", "10*"]
    # a knocked-out node stays at its value in maximal trap spaces too
    assert list(trap_spaces(net, kind="max", fix={"C": 0})) == ["010", "100"]


def test_wide_rule_without_truth_table():
    # 28 variables, one rule reads 27 of them (a truth table would have 2^27 rows);
    # every other node copies x0, so the trap spaces are all-off and all-on.
    names = [f"x{i}" for i in range(1, 28)]
    rule = " and ".join(names[:13]) + " or " + " and ".join(names[13:])
    net = Network.from_rules(f"x0* = {rule}\n" + "\n".join(f"{x}* = x0" for x in names))
    assert list(trap_spaces(net)) == ["0" * 28, "1" * 28]
    # knocking out x5 leaves the second conjunction: still both
    assert list(trap_spaces(net, fix={"x5": 0})) == ["0" * 28, "1" * 5 + "0" + "1" * 22]


def test_errors():
    net = Network.from_rules("A* = A")
    with pytest.raises(LogicnetError, match="'min' or 'max'"):
        trap_spaces(net, kind="minimal")
    with pytest.raises(LogicnetError, match="at least 1"):
        trap_spaces(net, limit=0)
    many = Network.from_rules("\n".join(f"I{i}* = I{i}" for i in range(17)) + "\nA* = I0")
    with pytest.raises(ResourceLimitError, match="17 free inputs"):
        trap_spaces(many)
    assert len(trap_spaces(many, limit=5)) == 5


# ----------------------------------------------------------------------------- corpus

def _recorded():
    if not DATA.is_file():
        return {}
    with gzip.open(DATA, "rt") as fh:
        return json.load(fh)


@pytest.mark.parametrize("path", model_params())
def test_minimal_trap_spaces_equal_mpbn(path):
    """Against mpbn 4.4 (clingo 5.8), recorded by ``bench/bench_trapspaces.py --record``.

    Cases: inputs free (models with at most 16 inputs), inputs at 0, inputs at a
    seeded random value.  Where a case has too many minimal trap spaces to list
    (bbm004), the record holds spaces mpbn confirmed one by one (its minimal trap
    spaces inside ``s`` are exactly ``[s]``); we check the same of ours.
    """
    rec = _recorded().get(path.stem)
    if rec is None:
        pytest.fail(f"no recorded answer for {path.stem}")
    net = quiet_read(path)
    order = [net.index(x) for x in rec["nodes"]]
    pos = {x: i for i, x in enumerate(rec["nodes"])}

    def ours(fix):
        return sorted("".join(s[i] for i in order) for s in trap_spaces(net, fix=fix))

    for case, answer in rec["cases"].items():
        fix = answer["fix"]
        if "spaces" in answer:
            assert ours(fix) == sorted(answer["spaces"]), (path.stem, case)
        else:
            assert answer["within"], (path.stem, case)
            for s in answer["within"][:10]:
                inside = dict(fix, **{x: int(s[pos[x]]) for x in rec["nodes"] if s[pos[x]] != "*"})
                assert ours(inside) == [s], (path.stem, case, s)


@pytest.mark.parametrize("stem", ["bbm231_breast_cancer_signalling_pathways"])
def test_limit_at_the_count_of_a_published_model(stem):
    """``limit`` at the exact count lists everything and says so; one fewer is cut and
    says so (bbm231, inputs free: mpbn's recorded 640 minimal trap spaces)."""
    path = MODELS / f"{stem}.bnet"
    if not path.is_file():
        pytest.skip("../shared/models is not present")
    rec = _recorded()[stem]
    net = quiet_read(path)
    order = [net.index(x) for x in rec["nodes"]]
    expected = set(rec["cases"]["free"]["spaces"])
    n = len(expected)
    assert n == 640
    whole = trap_spaces(net, limit=n)
    assert whole.complete and {"".join(s[i] for i in order) for s in whole} == expected
    cut = trap_spaces(net, limit=n - 1)
    got = {"".join(s[i] for i in order) for s in cut}
    assert not cut.complete and len(cut) == len(got) == n - 1 and got < expected


def test_recorded_data_covers_the_corpus():
    if not MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    rec = _recorded()
    assert len(rec) == 45
    assert all("zero" in r["cases"] for r in rec.values())


# ----------------------------------------------------------------------------- CLI

def test_cli_trapspaces(tmp_path):
    p = tmp_path / "toggle.rules"
    p.write_text("A* = not B\nB* = not A\nC* = A and not C\nI* = I\n")
    r = CliRunner().invoke(main, ["trapspaces", str(p), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["count"] == 4 and d["complete"] and d["kind"] == "min"
    assert [t["space"] for t in d["trap_spaces"]] == ["0100", "0101", "10*0", "10*1"]
    r = CliRunner().invoke(main, ["trapspaces", str(p), "--max", "--fix", "I=1", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["trap_space,size,A,B,C,I", "1,2,0,1,*,1", "2,2,1,0,*,1"]
    r = CliRunner().invoke(main, ["trapspaces", str(p), "--limit", "1"])
    assert r.exit_code == 0 and "1 minimal trap space(s) (cut by --limit" in r.output
    r = CliRunner().invoke(main, ["trapspaces", str(p), "--fix", "Z=1"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_cli_study_context_and_refusal():
    from logicnet import read_study

    r = CliRunner().invoke(main, ["trapspaces", "igf_axis", "--context", "HCC", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    study = read_study(Path(__file__).resolve().parent.parent / "networks" / "igf_axis.toml")
    fix = study.condition(context="HCC", drugs=[], fix={}).fix
    assert [t["space"] for t in d["trap_spaces"]] == list(trap_spaces(study.network, fix=fix))
    assert d["fixed"] and all(d["trap_spaces"][0]["space"][study.network.index(n)] == str(v) for n, v in fix.items())
    # without a context its 29 free inputs imply at least 2^29 minimal trap spaces
    r = CliRunner().invoke(main, ["trapspaces", "igf_axis"])
    assert r.exit_code == 1 and "free inputs" in r.output and "--limit" in r.output
