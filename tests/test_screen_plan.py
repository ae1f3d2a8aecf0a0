"""A screen states its plan and estimate once, before any work, and --max-time uses them."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from logicnet import Network
from logicnet.cli import main
from logicnet.errors import ResourceLimitError
from logicnet.phenotype import Phenotype
from logicnet.screening import screen, screen_estimate

RULES = "\n".join(f"x{i}* = x{(i + 1) % 8} or not x{(i + 3) % 8}" for i in range(8))


def test_the_plan_comes_once_before_any_condition_is_scored(monkeypatch):
    import logicnet.parallel

    lines: list[str] = []
    real = logicnet.parallel.pmap

    def pmap(*a, **k):
        assert len(lines) == 1, "the plan must be stated before the first condition"
        return real(*a, **k)

    monkeypatch.setattr(logicnet.parallel, "pmap", pmap)
    net = Network.from_rules(RULES)
    res = screen(net, phenotype=Phenotype.parse("p", "x0"), targets="all", plan=lines.append)
    assert len(lines) == 1
    n = int(re.search(r"screen plan: ([\d,]+) conditions", lines[0]).group(1).replace(",", ""))
    # baseline + 7 singles + 21 pairs (x0 is the phenotype: not a target)
    assert n == 1 + 7 + 21
    est, low, high = map(float, re.search(r"estimated ([\d.]+) s \(between ([\d.]+) s and ([\d.]+) s\)",
                                          lines[0]).groups())
    assert low <= est <= high and high > est
    assert res.counts["results"] == 7 + 21


def test_max_time_refuses_with_the_same_estimate():
    net = Network.from_rules(RULES)
    lines: list[str] = []
    with pytest.raises(ResourceLimitError, match=r"would take about [\d.]+ s \(between") as err:
        screen(net, phenotype=Phenotype.parse("p", "x0"), max_seconds=1e-6, plan=lines.append)
    assert len(lines) == 1
    est = re.search(r"estimated ([\d.]+ s)", lines[0]).group(1)
    assert f"about {est}" in str(err.value)


def test_the_estimate_grows_with_states_and_workers_divide_it():
    small, big = screen_estimate([10] * 200, [], "asynchronous"), screen_estimate([20] * 200, [], "asynchronous")
    assert big > 10 * small
    assert screen_estimate([], [60] * 4000, "synchronous", workers=4) < screen_estimate([], [60] * 4000,
                                                                                      "synchronous")


def test_the_command_line_prints_the_plan_once_on_stderr_unless_quiet(tmp_path):
    f = tmp_path / "ring.rules"
    f.write_text(RULES)
    args = ["screen", str(f), "--phenotype", "p=x0", "--format", "json"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert r.stderr.count("screen plan:") == 1 and "screen plan" not in r.stdout
    q = CliRunner().invoke(main, ["-q", *args])
    assert q.exit_code == 0 and "screen plan" not in q.stderr
