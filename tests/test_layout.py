"""The shape of the code: imports, engine boundaries, error messages (read from the source with ``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package); ``cli/`` is installed as ``logicnet.cli``."""
    out = {}
    for folder, prefix in (("logicnet", ("logicnet",)), ("cli", ("logicnet", "cli"))):
        for p in (ROOT / folder).rglob("*.py"):
            parts = list(p.relative_to(ROOT / folder).with_suffix("").parts)
            package = parts[-1] == "__init__"
            if package:
                parts = parts[:-1]
            out[".".join(prefix + tuple(parts))] = (p, package)
    return out


def _imports(name: str, path: Path, package: bool, known) -> set[str]:
    """Project modules ``name`` imports anywhere in its source (functions included)."""
    base = name.split(".") if package else name.split(".")[:-1]
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for n in ast.walk(block)}  # never run
    out = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = ".".join(base[:len(base) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def _graph() -> nx.DiGraph:
    mods = _modules()
    g = nx.DiGraph()
    for name, (path, package) in mods.items():
        g.add_node(name)
        for t in _imports(name, path, package, mods):
            g.add_edge(name, t)
    return g


def test_no_import_circle_even_inside_functions():
    g = _graph()
    g.remove_nodes_from(["logicnet"])  # the package front door re-exports; nothing imports it back but users
    circles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert circles == []


def _message_parts(tree):
    """Nodes that become what a user reads: raised errors, warnings, memory-check advice, advice helpers."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            yield node.exc
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("check_memory", "warn") or name.endswith("Error"):
                yield node
        elif isinstance(node, ast.FunctionDef) and "advice" in node.name:
            yield node


def test_library_error_messages_name_no_command_line_flag():
    import re

    found = []
    for path in (ROOT / "logicnet").rglob("*.py"):
        for part in _message_parts(ast.parse(path.read_text())):
            for c in ast.walk(part):
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and re.search(r"(^|\W)--[a-z]", c.value):
                    found.append(f"{path.relative_to(ROOT)}:{c.lineno}: {c.value}")
    assert found == []


def test_no_module_swaps_its_class():
    for path in (ROOT / "logicnet").rglob("*.py"):
        assert "__class__ = " not in path.read_text(), path


def test_the_package_functions_stay_functions_whatever_was_imported():
    import logicnet
    import logicnet.screening
    import logicnet.simulation
    import logicnet.controlling

    assert logicnet.screen is logicnet.screening.screen
    assert logicnet.control is logicnet.controlling.control
    assert logicnet.simulate is logicnet.simulation.simulate


#: The topic modules: they reach the engines through ``logicnet.engine`` only.
TOPIC = ("attractors", "screening", "probability", "validation", "phenotype", "report", "trapspaces", "plot",
         "simulation", "controlling")


def test_topic_modules_reach_the_engines_through_the_package_only():
    g = _graph()
    assert {f"logicnet.{t}" for t in TOPIC} <= set(g.nodes)
    library = [n for n in g.nodes if n.startswith("logicnet.") and n != "logicnet.engine"
               and not n.startswith(("logicnet.engine.", "logicnet.cli"))]
    for module in library:  # the topic modules and every other library module outside the engines
        inner = sorted(t for t in g.successors(module) if t.startswith("logicnet.engine."))
        assert inner == [], module


def test_no_library_function_over_80_lines():
    long = []
    for path in (ROOT / "logicnet").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str) and len(body) > 1
                first = body[1] if docstring else body[0]  # the code, its docstring aside
                if node.end_lineno - first.lineno + 1 > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert long == []
