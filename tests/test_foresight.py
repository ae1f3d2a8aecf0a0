"""Long runs say up front what they will do, and report progress in few lines when stderr is a file."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from logicnet.cli import main
from logicnet.progress import task, text_display


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _inputs_network(n_inputs: int, n_nodes: int) -> str:
    """``n_inputs`` free inputs feeding a ring of ``n_nodes`` nodes (.bnet text)."""
    lines = ["targets, factors"] + [f"I{i}, I{i}" for i in range(n_inputs)]
    for j in range(n_nodes):
        a, b = f"I{j % n_inputs}", f"N{(j - 1) % n_nodes}"
        lines.append(f"N{j}, ({a} & !{b}) | (N{(j + 3) % n_nodes} & {b})")
    return "\n".join(lines) + "\n"


def test_a_search_over_too_many_free_inputs_is_refused_before_the_plan(tmp_path):
    path = tmp_path / "wide.bnet"
    path.write_text(_inputs_network(21, 82))  # 103 nodes, 21 free inputs
    r = run("attractors", path)
    assert r.exit_code == 1 and "plan:" not in r.stderr
    assert "21 free inputs, so at least 2^21 = 2,097,152 attractors" in r.stderr
    assert "(options: --fix NODE=0|1, --context NAME; --limit N; --count)" in r.stderr


def test_a_search_over_free_inputs_states_its_plan_first(tmp_path):
    path = tmp_path / "wide.bnet"
    path.write_text(_inputs_network(21, 82))
    p = subprocess.Popen([sys.executable, "-c", "from logicnet.cli import main; main()", "attractors", str(path),
                          "--limit", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        first = p.stderr.readline()
    finally:
        p.kill()
        p.wait()
    assert first.startswith("plan: 21 free inputs (I0, I1,")
    assert "2^21 = 2,097,152 combinations" in first


def test_no_plan_when_the_inputs_are_fixed(tmp_path):
    path = tmp_path / "two.bnet"
    path.write_text(_inputs_network(2, 4))
    r = run("attractors", path, "--fix", "I0=1", "--fix", "I1=0")
    assert r.exit_code == 0, r.output
    assert "plan:" not in r.stderr
    r = run("attractors", path, "--fix", "I0=1")
    assert "plan: 1 free input (I1) keeps its value, so each of its 2 combinations" in r.stderr
    assert "--limit N" not in r.stderr  # two combinations need no advice


def _cascade(n_inputs: int, n_nodes: int) -> str:
    """Free inputs feeding a cascade without feedback: one fixed point per input combination."""
    lines = ["targets, factors"] + [f"I{i}, I{i}" for i in range(n_inputs)] + ["N0, I0"]
    lines += [f"N{j}, I{j % n_inputs} & !N{j - 1}" for j in range(1, n_nodes)]
    return "\n".join(lines) + "\n"


def test_a_1024_combination_search_writes_few_progress_lines_to_a_file(tmp_path):
    path = tmp_path / "ten.bnet"
    path.write_text(_cascade(10, 30))
    err = tmp_path / "stderr.txt"
    with open(err, "w") as f:
        r = subprocess.run([sys.executable, "-c", "from logicnet.cli import main; main()", "attractors", str(path),
                            "--engine", "symbolic", "--format", "csv"], stdout=subprocess.PIPE, stderr=f, text=True)
    assert r.returncode == 0
    lines = err.read_text().splitlines()
    progress = [line for line in lines if not line.startswith(("plan:", "note:", "warning:"))]
    assert len(progress) <= 20, lines
    assert all("combination" not in line or "of 1,024" in line or "/1,024" in line for line in progress), progress
    # the search visited every combination: each input keeps its value in its attractors
    rows = r.stdout.splitlines()
    assert len(rows) == 1 + 1024


def test_text_display_bounds_its_lines_whatever_the_number_of_items():
    import io

    out = io.StringIO()
    with text_display(out, every=10.0):
        with task("scoring", total=5000) as t:
            for i in range(5000):
                with task(f"trap space {i} of the succession diagram"):
                    pass
                with task(f"condition {i}: reducing"):
                    pass
                t.advance()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert lines[0] == "[0 s] scoring (0/5,000)"


def test_a_fixed_point_list_too_long_for_memory_is_refused(tmp_path):
    """With more than 16 free inputs the fixed points are counted first and a list
    that cannot fit is refused before it starts; with fewer, the listing stops when it
    outgrows the budget.  Either way nothing is printed on stdout."""
    from logicnet import read_network
    from logicnet.attractors import FIXED_POINT_BYTES, count_fixed_points

    wide = tmp_path / "wide.bnet"
    wide.write_text(_inputs_network(17, 4))
    n = count_fixed_points(read_network(wide))
    assert n >= 2 ** 17
    r = run("attractors", wide, "--fixed-points", "--max-memory", "1M")
    assert r.exit_code == 1 and r.stdout == ""
    assert f"has {n:,} fixed points; listing them takes about {FIXED_POINT_BYTES + 21:,} bytes each" in r.stderr
    assert "(options: --count; --fix NODE=0|1, --context NAME; --limit N; --max-memory SIZE)" in r.stderr
    narrow = tmp_path / "narrow.bnet"
    narrow.write_text(_inputs_network(6, 3))
    full = run("attractors", narrow, "--fixed-points", "--format", "csv")
    assert full.exit_code == 0 and len(full.stdout.splitlines()) - 1 == count_fixed_points(read_network(narrow))
    room = 2 * (FIXED_POINT_BYTES + 9)  # room for two fixed points
    r = run("attractors", narrow, "--fixed-points", "--max-memory", str(room))
    assert r.exit_code == 1 and r.stdout == "" and "has more than 2 fixed points" in r.stderr
    r = run("attractors", narrow, "--fixed-points", "--limit", "3", "--max-memory", str(room))
    assert r.exit_code == 0  # a limit is its own bound
