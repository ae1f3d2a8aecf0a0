"""What a new user meets on the command line: safe writes, whole tables, quiet runs, one vocabulary."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

import logicnet
from logicnet import Network
from logicnet.cli import main
from logicnet.errors import LogicnetError
from logicnet.io import generate_bnet, read_network
from logicnet.networks import bundled_path
from logicnet.types import DEFAULT_UPDATE

from .naive import decode, sync_attractors

TOY = "A* = A\nB* = A and not C\nC* = B\n"


@pytest.fixture
def toy(tmp_path):
    p = tmp_path / "toy.rules"
    p.write_text(TOY)
    return p


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


# -- writing files ---------------------------------------------------------------------------

def test_convert_writes_through_a_symlink_and_keeps_it(toy, tmp_path):
    real = tmp_path / "real.bnet"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.bnet"
    link.symlink_to(real)
    r = run("convert", toy, link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "\n".join(generate_bnet(read_network(toy))) + "\n"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640  # the target keeps its permissions
    assert sorted(os.listdir(tmp_path)) == ["link.bnet", "real.bnet", "toy.rules"]  # no temporary left


def test_convert_to_stdout_dash_and_dev_stdout(toy):
    expected = "\n".join(generate_bnet(read_network(toy))) + "\n"
    r = run("convert", toy, "-", "--to", "bnet")
    assert r.exit_code == 0 and r.stdout == expected
    was_link = os.path.islink("/dev/stdout")
    p = subprocess.run([sys.executable, "-c", "from logicnet.cli import main; main()", "convert", str(toy),
                        "/dev/stdout", "--to", "bnet"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == expected
    assert os.path.islink("/dev/stdout") == was_link  # never replaced by a regular file


def test_stdout_needs_a_format(toy):
    r = run("convert", toy, "-")
    assert r.exit_code == 1 and "needs the format" in r.output and "Traceback" not in r.output


def test_a_device_is_written_in_place(toy):
    r = run("convert", toy, "/dev/null", "--to", "sbml")
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_paths_are_checked_before_the_work(monkeypatch, tmp_path):
    import logicnet.report

    def boom(*a, **k):  # the report must not even start
        raise AssertionError("the work started")

    monkeypatch.setattr(logicnet.report, "build_report", boom)
    r = run("report", "igf_axis", "--context", "HCC", "--drug", "lenvatinib", "-o", "/nonexistent-dir/r.html")
    assert r.exit_code == 1, r.output
    assert r.output == "Error: cannot write /nonexistent-dir/r.html: the directory /nonexistent-dir does not exist\n"
    (tmp_path / "adir.svg").mkdir()
    for args in (["plot", "attractors", "igf_axis", "-o", tmp_path / "adir.svg"],
                 ["graph", "igf_axis", "-o", "/nonexistent-dir/g.svg"]):
        r = run(*args)
        assert r.exit_code == 1 and "cannot write" in r.output, r.output


# -- tables -----------------------------------------------------------------------------------

def _wide_args(toy):
    names = [f"phenotype_with_a_rather_long_name_{i}" for i in range(6)]
    args = ["attractors", toy]
    for i, n in enumerate(names):
        args += ["--phenotype", f"{n}={'A' if i % 2 else 'not B'}"]
    return names, args


def test_tables_are_complete_when_stdout_is_not_a_terminal(toy):
    names, args = _wide_args(toy)
    r = run(*args, env={"COLUMNS": ""})
    assert r.exit_code == 0, r.output
    header = next(ln for ln in r.stdout.splitlines() if "phenotype_with" in ln)
    assert all(n in header for n in names)  # every column, unfolded, on one line
    assert len(header) > 120 and "…" not in r.stdout


def test_tables_that_do_not_fit_become_blocks_and_cut_nothing(toy):
    names, args = _wide_args(toy)
    for width in (100, 30):  # ten long columns fit in neither: one block per attractor, words whole
        r = run(*args, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, r.output
        assert max(len(ln) for ln in r.stdout.splitlines()) <= width or width < len(names[0]) + 2
        assert "…" not in r.stdout and "┃" not in r.stdout
        keys = [ln.split()[0] for ln in r.stdout.splitlines() if ln.startswith("phenotype_with")]
        assert sorted(set(keys)) == sorted(names)
    r = run("attractors", toy, env={"COLUMNS": "100"})  # a table that fits stays a table
    assert "┃" in r.stdout and set(_header_cells(r.stdout)) >= {"#", "kind"}


def _header_cells(text):
    """The header cells of a rich table, each folded cell joined back together."""
    cells: dict[int, str] = {}
    for line in text.splitlines():
        if line.startswith("┃"):
            for j, part in enumerate(line.strip("┃").split("┃")):
                cells[j] = cells.get(j, "") + part.strip()
    return list(cells.values())


# -- quiet, warnings, usage errors -----------------------------------------------------------

def test_free_input_warning_once_and_quiet(tmp_path):
    p = tmp_path / "free.rules"
    p.write_text("B* = v_EGF and not B\nv_EGFR* = v_EGF\n")
    r = run("attractors", p, "--fixed-points")
    assert r.exit_code == 0
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning:")]
    assert warnings == [f"warning: {p}: 1 name(s) without a rule are free inputs that keep their value: v_EGF"]
    for args in (["-q", "attractors", p], ["attractors", p, "-q"], ["attractors", p, "--quiet"],
                 ["-q", "convert", p, tmp_path / "out.bnet"]):
        r = run(*args)
        assert r.exit_code == 0 and r.stderr == "", (args, r.stderr)


def test_free_input_warning_names_only_inputs_left_free(tmp_path):
    p = tmp_path / "free.rules"
    p.write_text("B* = v_EGF and not B\nC* = v_TNF or v_EGF\n")
    r = run("attractors", p, "--fix", "v_EGF=1", "--fix", "v_TNF=0")
    assert r.exit_code == 0 and "warning" not in r.stderr, r.stderr
    r = run("attractors", p, "--fix", "v_EGF=1")
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning:")]
    assert warnings == [f"warning: {p}: 1 name(s) without a rule are free inputs that keep their value: v_TNF"]
    r = run("screen", p, "--fix", "v_EGF=1", "--fix", "v_TNF=0", "--phenotype", "on=C", "--max-order", "1",
            "--targets", "all")
    assert r.exit_code == 0 and "warning" not in r.stderr, r.stderr


@pytest.mark.parametrize("args,fragment", [
    (["attractors", "TOY", "--fixed-points", "--count", "--format", "json"], "--count prints one number"),
    (["attractors", "TOY", "--max-memory", "4Q"], "'4Q' is not a memory size"),
    (["attractors", "TOY", "--no-basins", "--update", "async"], "--no-basins applies to synchronous"),
    (["attractors", "TOY", "--fixed-points", "--no-basins"], "--no-basins applies to the exhaustive search"),
    (["validate", "igf_axis", "--only", "F99"], "'F99': the study has no such finding"),
    (["screen", "igf_axis", "--max-memory", "lots"], "not a memory size"),
    (["screen", "igf_axis", "--jobs", "2", "--dask-scheduler", "tcp://127.0.0.1:1"], "--jobs sets local worker"),
    (["screen", "igf_axis", "--context", "HCX"], "the study has no context 'HCX' (did you mean 'HCC'?)"),
    (["plot", "screen", "igf_axis", "--drug", "lenva", "-o", "/tmp/x.svg"], "did you mean 'lenvatinib'"),
    (["attractors", "igf_axis", "--fix", "IGFBP=0"], "the network has no node 'IGFBP'"),
    (["attractors", "TOY", "--context", "HCC"], "--context and --drug need a study file"),
])
def test_options_that_cannot_apply_are_usage_errors(toy, args, fragment):
    r = run(*[toy if a == "TOY" else a for a in args])
    assert r.exit_code == 2, r.output
    assert fragment in r.output and "Traceback" not in r.output


def test_unreachable_dask_scheduler_is_one_line():
    r = run("screen", "igf_axis", "--context", "HCC", "--drug", "lenvatinib", "--dask-scheduler",
            "tcp://127.0.0.1:1")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == ["Error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:1' "
                                             "(connection refused)"]


# -- one vocabulary -------------------------------------------------------------------------------

def _commands():
    from logicnet.cli.plot import plot

    def cmd(name):  # commands load on first use
        return main.get_command(None, name)

    return {"attractors": cmd("attractors"), "screen": cmd("screen"),
            "plot attractors": plot.commands["attractors"], "plot screen": plot.commands["screen"],
            "report": cmd("report"), "graph": cmd("graph")}


def test_every_condition_command_has_the_same_condition_options():
    for name, cmd in _commands().items():
        opts = {o for p in cmd.params for o in p.opts}
        assert {"--context", "--drug", "--fix", "--update", "--max-memory"} <= opts, name


def test_one_default_update_scheme():
    cmds = dict(_commands(), validate=main.get_command(None, "validate"))
    for name, cmd in cmds.items():
        (update,) = [p for p in cmd.params if p.name == "update"]
        assert logicnet.types.normalize_update(update.default) == DEFAULT_UPDATE, name
    import inspect

    for f in (logicnet.find_attractors, logicnet.screen, logicnet.validation.validate,
              logicnet.report.build_report):
        assert inspect.signature(f).parameters["update"].default == DEFAULT_UPDATE, f


def test_headers_name_the_update_scheme(toy):
    r = run("attractors", toy)
    assert f"{DEFAULT_UPDATE} update" in r.stdout.splitlines()[0]
    r = run("attractors", toy, "--update", "async")
    assert "asynchronous update" in r.stdout.splitlines()[0]


def test_fixed_points_are_labelled_as_fixed_points(tmp_path):
    p = tmp_path / "fp.rules"
    p.write_text("A* = A\nB* = not A\n")
    r = run("attractors", p, "--fixed-points")
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert "2 fixed point(s) by SAT" in first and "synchronous" not in first
    assert "basin" not in r.stdout and r.stdout.count("fixed point ") >= 2


def test_no_basins_gives_the_same_attractors_and_says_so(toy):
    net = read_network(toy)
    expected = sorted(sorted("".join(str(decode(net, code)[n]) for n in net.nodes) for code in att)
                      for att in sync_attractors(net))
    d = json.loads(run("attractors", toy, "--no-basins", "--format", "json").stdout)
    assert sorted(sorted(a["states"]) for a in d["attractors"]) == expected
    assert all(a["basin"] is None for a in d["attractors"])
    r = run("attractors", toy, "--no-basins")
    assert "basins not computed (--no-basins)" in r.stdout.splitlines()[0]


def test_validate_counts_findings_and_checks():
    data = tomllib.loads(bundled_path("igf_axis.toml").read_text())
    ids = {f["id"] for f in data["findings"]}
    n_checks = len(data["findings"])
    r = run("validate", "igf_axis")
    assert r.exit_code == 0, r.output
    assert f"{len(ids)}/{len(ids)} findings, {n_checks}/{n_checks} checks hold ({DEFAULT_UPDATE} update)" \
        in r.stdout.splitlines()[0]
    d = json.loads(run("validate", "igf_axis", "--format", "json", "--only", "F1").stdout)
    n_f1 = sum(f["id"] == "F1" for f in data["findings"])
    assert d["summary"] == {"synchronous": f"1/1 findings, {n_f1}/{n_f1} checks",
                            "asynchronous": f"1/1 findings, {n_f1}/{n_f1} checks"}


# -- progress ----------------------------------------------------------------------------------

def test_progress_reaches_a_listener_from_every_long_computation():
    from logicnet.progress import reporting

    seen = []
    net = Network.from_rules(TOY)
    study = logicnet.read_study("igf_axis")
    with reporting(lambda t: seen.append((t.id, t.description, t.finished))):
        logicnet.find_attractors(net)
        logicnet.find_attractors(net, update="async")
        logicnet.fixed_points(net)
        logicnet.attractors.count_fixed_points(net)
        logicnet.screen(study, context="HCC", drugs=["lenvatinib"], max_order=1, targets=["IGFBP1", "ITGA5B1"])
        logicnet.validation.validate(study, findings=["F1"])
    started = {i: d for i, d, _ in seen}
    finished = [i for i, _, done in seen if done]
    assert sorted(finished) == sorted(started)  # every task that starts finishes, once
    started = list(started.values())
    for fragment in ("synchronous search", "asynchronous search", "fixed points by SAT",
                     "counting fixed points", "singles", "checking 3 finding(s)"):
        assert any(fragment in d for d in started), fragment


def test_cli_draws_progress_on_stderr_when_it_is_a_terminal(monkeypatch, toy):
    import logicnet.cli as cli

    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: True)
    r = run("attractors", toy)
    assert r.exit_code == 0
    assert "synchronous search" in r.stderr and "synchronous search" not in r.stdout
    r = run("-q", "attractors", toy)
    assert r.stderr == ""


def test_first_run_compilation_is_announced(monkeypatch):
    from logicnet.engine import sync
    from logicnet.progress import reporting

    monkeypatch.setattr(sync, "_needs_compiling", lambda k: True)
    seen = []
    with reporting(lambda t: seen.append(t.description)):
        sync.load_kernels("synchronous")
    assert "compiling kernels, first run only" in seen
    monkeypatch.undo()
    seen.clear()
    with reporting(lambda t: seen.append(t.description)):
        sync.load_kernels("synchronous")  # loaded now: nothing to announce
    assert seen == []


# -- Python API ----------------------------------------------------------------------------------

def test_reprs_show_state_strings():
    aset = logicnet.find_attractors(Network.from_rules("A* = A\nB* = not A"))
    # by hand: A keeps its value and B = not A, so 01 and 10 are the fixed points, 2 states each
    assert repr(aset[0]) == "Attractor(fixed, ['01'], basin=2, basin_share=0.5)"
    assert repr(aset).splitlines()[1:] == ["  1: fixed 01  basin 2 (0.5)", "  2: fixed 10  basin 2 (0.5)"]


def test_screen_result_is_a_sequence_with_records():
    study = logicnet.read_study("igf_axis")
    result = logicnet.screen(study, context="HCC", drugs=["lenvatinib"], max_order=1,
                             targets=["IGFBP1", "ITGA5B1", "FAK"])
    assert len(result) == len(result.results) == 3
    assert [h.label for h in result] == [r["intervention"] for r in result.to_records()]
    assert result[0] is result.results[0]


def test_to_dataframe_with_and_without_pandas(monkeypatch):
    aset = logicnet.find_attractors(Network.from_rules(TOY))
    try:
        import pandas  # noqa: F401
    except ImportError:
        pass
    else:
        df = aset.to_dataframe()
        assert list(df.columns[:6]) == ["attractor", "kind", "size", "basin", "basin_share", "state"]
        assert len(df) == sum(a.size for a in aset)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(LogicnetError, match="needs pandas"):
        aset.to_dataframe()


def test_the_command_line_reaches_the_engine_only_through_the_library():
    cli_dir = os.path.dirname(sys.modules["logicnet.cli"].__file__)
    for name in os.listdir(cli_dir):
        if name.endswith(".py"):
            text = open(os.path.join(cli_dir, name)).read()
            assert "logicnet.engine" not in text and "from logicnet.io._" not in text, name


def test_network_does_not_import_the_format_modules():
    def imports(module):
        text = open(sys.modules[module].__file__).read()
        return re.findall(r"^\s*(?:from\s+(\S+)\s+import|import\s+(\S+))", text, re.M)

    assert not [m for m in imports("logicnet.network") if any(".io" in x or x == "io" for x in m)]
    # the rule-text language network.py uses does not import the Network class back
    assert not [m for m in imports("logicnet.ruletext") if any("network" in x for x in m)]


# -- SBML names and --strict on the command line -------------------------------------------------

def test_names_and_ids_on_the_command_line(tmp_path):
    import warnings

    net = Network.from_rules("C-Myc* = Ca2+c and not C-Myc\nCa2+c* = Ca2+c\n")
    p = tmp_path / "m.sbml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logicnet.write_network(net, p)
    by_name = json.loads(run("info", p, "--format", "json").stdout)
    assert by_name["nodes"] == ["C-Myc", "Ca2+c"]
    by_id = json.loads(run("info", p, "--format", "json", "--ids").stdout)
    assert by_id["nodes"] == ["C_Myc", "Ca2_c"]
    d = json.loads(run("attractors", p, "--ids", "--format", "json").stdout)
    assert d["nodes"] == ["C_Myc", "Ca2_c"]


def test_strict_is_honoured_for_sbml(tmp_path):
    text = logicnet.io.sbmlqual.generate_sbmlqual(Network.from_rules("A* = not A"))
    broken = re.sub(r' qual:compartment="[^"]*"', "", text)  # a species without its required compartment
    assert broken != text
    p = tmp_path / "broken.sbml"
    p.write_text(broken)
    assert run("info", p).exit_code == 0
    r = run("info", p, "--strict")
    assert r.exit_code == 1 and "breaks the SBML rules" in r.output
    with pytest.raises(LogicnetError, match="breaks the SBML rules"):
        read_network(p, strict=True)


@pytest.mark.parametrize("args", [["report", "missing.bnet", "-o", "r.html"],
                                  ["plot", "screen", "missing.bnet", "-o", "s.svg"],
                                  ["plot", "attractors", "missing.bnet", "-o", "a.svg"]])
def test_drawing_without_matplotlib_is_said_before_any_work(args, monkeypatch, tmp_path):
    """Without the plot extra the command stops at once (the model is not even read), not
    after its screen or control has run."""
    import sys

    from click.testing import CliRunner

    from cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, args)
    assert r.exit_code != 0 and "needs matplotlib" in r.output and "missing.bnet" not in r.output, r.output
