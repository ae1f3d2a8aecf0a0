import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from logicnet import read_network
from logicnet.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    r = runner.invoke(main, ["--version"])
    assert r.exit_code == 0 and "logicnet, version" in r.output


def test_info_json_on_bundled_model_by_name(runner):
    r = runner.invoke(main, ["info", "networks/faure2006_cell_cycle.bnet", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n_nodes"] == 10 and d["inputs"] == ["CycD"]
    # a sign checked by hand: Cdc20 requires CycB (Cdc20, CycB)
    assert {"source": "CycB", "target": "Cdc20", "sign": "+"} in d["edges"]
    # CycB -> Cdc20 -| CycB is a negative loop
    assert {"nodes": ["Cdc20", "CycB"], "sign": "-"} in d["feedback_loops"]["loops"]


def test_info_table(runner):
    r = runner.invoke(main, ["info", "faure2006_cell_cycle"])
    assert r.exit_code == 0, r.output
    assert "feedback loops" in r.output and "CycD" in r.output


def test_info_says_its_loop_signs_count_only_the_loops_listed(runner, tmp_path):
    # A and B read themselves and each other: loops A, B (positive) and A-B (negative)
    path = tmp_path / "ab.bnet"
    path.write_text("A, A & !B\nB, B | A\n")
    full = runner.invoke(main, ["info", str(path)], env={"COLUMNS": "200"})
    assert full.exit_code == 0 and "3     │ 2 positive, 1 negative, 0 mixed" in full.output, full.output
    cut = runner.invoke(main, ["info", str(path), "--max-loops", "2"], env={"COLUMNS": "200"})
    assert cut.exit_code == 0 and "2+    │ of the first 2: " in cut.output, cut.output


def test_convert_and_back(runner, tmp_path):
    out = tmp_path / "cc.rules"
    r = runner.invoke(main, ["convert", "faure2006_cell_cycle", str(out)])
    assert r.exit_code == 0, r.output
    net = read_network(out)
    assert net.n_nodes == 10 and net.annotation("Rb", "evidence")


@pytest.mark.parametrize("text,where", [
    ("A* = A\nB* A and C\n", ":2:3:"),
    ("A* = A\nB* = (A and C\nC* = C\n", ":2:6:"),
    ("A* = A\nB* = A ^ C\nC* = C\n", ":2:8:"),
    ("A* = A\nB* = A\nA* = B\n", ":3:1:"),
])
def test_bad_file_exits_1_with_position_and_no_traceback(runner, tmp_path, text, where):
    p = tmp_path / "bad.rules"
    p.write_text(text)
    for args in (["info", str(p)], ["convert", str(p), str(tmp_path / "out.bnet")]):
        r = runner.invoke(main, args)
        assert r.exit_code == 1
        assert f"{p}{where}" in r.output
        assert "Traceback" not in r.output
        assert not (tmp_path / "out.bnet").exists()


def test_unknown_node_strict_exits_1(runner, tmp_path):
    p = tmp_path / "u.rules"
    p.write_text("AKT* = PI3KK\nPI3K* = PI3K\n")
    r = runner.invoke(main, ["info", str(p), "--strict"])
    assert r.exit_code == 1 and f"{p}:1:8:" in r.output and "did you mean 'PI3K'" in r.output
    r = runner.invoke(main, ["info", str(p)])
    assert r.exit_code == 0 and "warning:" in r.output and "PI3KK" in r.output


def test_usage_error_exits_2(runner):
    assert runner.invoke(main, ["info"]).exit_code == 2
    assert runner.invoke(main, ["info", "x", "--format", "yaml"]).exit_code == 2


def test_missing_file_exits_1(runner):
    r = runner.invoke(main, ["info", "no/such/file.rules"])
    assert r.exit_code == 1 and "no such file" in r.output


def test_info_and_convert_do_not_import_numba(tmp_path):
    code = ("import sys\nfrom logicnet.cli import main\n"
            "try:\n    main(['info', 'faure2006_cell_cycle', '--format', 'json'])\n"
            "except SystemExit:\n    pass\n"
            "assert 'numba' not in sys.modules, 'numba imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args, heavy", [
    (["--version"], ["logicnet.network", "boolean", "logging", "rich"]),
    (["info", "faure2006_cell_cycle"], ["numpy", "networkx", "oxidd"]),
    (["attractors", "faure2006_cell_cycle", "--update", "async", "--format", "json"],
     ["numpy", "networkx", "oxidd", "numba", "logicnet.cli.screen", "logging"]),
    # the engines log through logicnet._log: no logging unless -v or -q set it up
    (["attractors", "faure2006_cell_cycle", "--update", "async", "--engine", "symbolic", "--format", "json"],
     ["numpy", "networkx", "logging"]),
    # the BDD library without its package's version look-up (importlib.metadata: 20-60 ms)
    (["-q", "attractors", "faure2006_cell_cycle", "--update", "async", "--engine", "symbolic", "--format", "json"],
     ["numpy", "networkx", "oxidd", "importlib.metadata", "rich"]),
])
def test_commands_load_only_what_they_need(tmp_path, args, heavy):
    code = ("import sys\nfrom logicnet.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"loaded = [m for m in {heavy!r} if m in sys.modules]\n"
            "assert not loaded, loaded\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_a_long_table_is_printed_as_plain_columns(runner, tmp_path):
    """Over render.PLAIN_ROWS rows rich would take a second per thousand: plain text,
    the same rows."""
    from logicnet.cli.render import PLAIN_ROWS

    k = 12  # 4,096 fixed points
    assert 2 ** k > PLAIN_ROWS
    path = tmp_path / "inputs.bnet"
    path.write_text("".join(f"I{i}, I{i}\n" for i in range(k)))
    r = runner.invoke(main, ["-q", "attractors", str(path), "--fixed-points"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    head = lines.index("#     kind         states")
    assert lines[head + 1] == "----  -----------  ------"
    assert lines[head + 2] == "1     fixed point  1" and lines[head + 1 + 2 ** k] == "4096  fixed point  1"
    ons = [x for x in lines if " on: " in x]
    assert len(ons) == 2 ** k and ons[0] == "1 on: (none)" and ons[-1] == "4096 on: " + " ".join(f"I{i}" for i in range(k))


@pytest.mark.parametrize("fix, advised", [([], True), (["--fix", "I=0"], False)])
def test_a_partial_search_advises_fixing_inputs_only_when_some_are_free(runner, tmp_path, monkeypatch, fix, advised):
    import dataclasses

    import logicnet.attractors as attractors_module
    from logicnet.engine import Partial

    path = tmp_path / "toy.bnet"
    path.write_text("I, I\nA, !A | I\n")
    partial = Partial(0, (), False, "unknown", None, (), 7.0)

    def stopped(net, **kw):
        aset = attractors_module.fixed_points(net, fix=kw.get("fix"))
        return dataclasses.replace(aset, complete=False, partial=partial)

    monkeypatch.setattr(attractors_module, "find_attractors", stopped)
    r = runner.invoke(main, ["attractors", str(path), "--update", "async", *fix])
    assert r.exit_code == 1
    assert "did not finish within its budget of 7 s" in r.stderr, r.stderr
    assert ("or fix inputs (--fix NODE=0|1)." in r.stderr) == advised, r.stderr


def test_timings_include_the_output_and_add_up(runner):
    r = runner.invoke(main, ["-q", "attractors", "faure2006_cell_cycle", "--fixed-points", "--timings"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.stderr.splitlines() if x.startswith("timings: "))
    parts = dict(p.rsplit(" ", 2)[:2] for p in line[len("timings: "):].split(", "))
    assert {"read", "sat", "output", "search", "total"} <= set(parts), line
    assert float(parts["read"]) + float(parts["sat"]) + float(parts["output"]) <= float(parts["total"]) + 0.002
