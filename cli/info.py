"""``logicnet info``: what a network is made of."""

from __future__ import annotations

import click

from . import main
from .options import load_network, resolve_input, strict_option
from .render import console, echo_json, table


def describe(net, *, max_loops: int) -> dict:
    from logicnet.graph import feedback_loops, interaction_graph

    g = interaction_graph(net)
    loops = feedback_loops(net, graph=g, limit=max_loops + 1)
    truncated = len(loops) > max_loops
    loops = loops[:max_loops]
    edges = [{"source": u, "target": v, "sign": s} for u, v, s in g.edges(data="sign")]
    order = {n: i for i, n in enumerate(net.nodes)}
    edges.sort(key=lambda e: (order[e["target"]], order[e["source"]]))
    return {
        "network": net.name,
        "n_nodes": net.n_nodes,
        "nodes": list(net.nodes),
        "inputs": list(net.inputs),
        "outputs": list(net.outputs),
        "constants": net.constants,
        "n_edges": len(edges),
        "edges": edges,
        "feedback_loops": {
            "positive": sum(lp.sign == "+" for lp in loops),
            "negative": sum(lp.sign == "-" for lp in loops),
            "mixed": sum(lp.sign == "±" for lp in loops),
            "truncated": truncated,
            "loops": [{"nodes": list(lp.nodes), "sign": lp.sign} for lp in loops],
        },
    }


@main.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--max-loops", type=click.IntRange(0), default=1000, show_default=True,
              help="List at most this many feedback loops.")
@strict_option
def info(file: str, fmt: str, max_loops: int, strict: bool) -> None:
    """Nodes, inputs, outputs, constants, signed edges and feedback loops of FILE."""
    net = load_network(file, strict=strict)
    d = describe(net, max_loops=max_loops)
    if fmt == "json":
        d["file"] = str(resolve_input(file))
        echo_json(d)
        return
    fl = d["feedback_loops"]
    more = "+" if fl["truncated"] else ""
    signs = {s: sum(e["sign"] == s for e in d["edges"]) for s in "+-±"}
    rows = [
        ("nodes", d["n_nodes"], " ".join(d["nodes"])),
        ("inputs", len(d["inputs"]), " ".join(d["inputs"])),
        ("outputs", len(d["outputs"]), " ".join(d["outputs"])),
        ("constants", len(d["constants"]), " ".join(f"{k}={v}" for k, v in d["constants"].items())),
        ("edges", d["n_edges"], f"{signs['+']} activating, {signs['-']} inhibiting, {signs['±']} dual"),
        ("feedback loops", f"{len(fl['loops'])}{more}",
         f"{fl['positive']} positive, {fl['negative']} negative, {fl['mixed']} mixed"),
    ]
    c = console()
    c.print(table(f"{net.name or file}", ["", "count", "details"], rows))
    if fl["loops"]:
        shown = fl["loops"][:50]
        c.print(table(f"feedback loops (first {len(shown)})" if len(fl["loops"]) > 50 else "feedback loops",
                      ["sign", "loop"], [(lp["sign"], " -> ".join(lp["nodes"] + lp["nodes"][:1])) for lp in shown]))
