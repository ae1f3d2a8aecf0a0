"""``logicnet info``: what a network is made of."""

from __future__ import annotations

import click

from . import main
from .options import load_network, names_option, resolve_input, strict_option
from .render import console, echo_json, print_table, table


def describe(net, *, max_loops: int) -> dict:
    from logicnet.graph import feedback_loops, signed_edges

    signed = signed_edges(net)
    loops = feedback_loops(net, edges=signed, limit=max_loops + 1)
    truncated = len(loops) > max_loops
    loops = loops[:max_loops]
    order = {n: i for i, n in enumerate(net.nodes)}
    edges = [{"source": u, "target": v, "sign": s}
             for u, v, s in sorted(signed, key=lambda e: (order[e[1]], order[e[0]]))]
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


def _print_study(c, study) -> None:
    from logicnet.expr import format_expression

    def fixes(fix):
        return " ".join(f"{k}={v}" for k, v in fix.items())

    print_table(c, table(f"{study.name}: {len(study.phenotypes)} phenotypes", ["phenotype", "holds when"],
                  [(p.name, format_expression(p.expression)) for p in study.phenotypes.values()]))
    print_table(c, table(f"{len(study.drugs)} drugs (--drug NAME)", ["drug", "inhibits", "activates", "description"],
                  [(d.name + (f" ({', '.join(d.aliases)})" if d.aliases else ""), " ".join(d.inhibits),
                    " ".join(d.activates), d.description) for d in study.drugs.values()]))
    print_table(c, table(f"{len(study.contexts)} contexts (--context NAME)", ["context", "fixes", "description"],
                  [(x.name, fixes(x.fix), x.description) for x in study.contexts.values()]))
    print_table(c, table(f"{len(study.findings)} findings (logicnet validate)", ["finding", "condition", "expected", "title"],
                  [(f.id, study.condition(context=f.context, drugs=list(f.drugs), fix=dict(f.fix)).label,
                    f.expect, f.title) for f in study.findings]))


@main.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--max-loops", type=click.IntRange(0), default=1000, show_default=True,
              help="List at most this many feedback loops.")
@strict_option
@names_option
def info(file: str, fmt: str, max_loops: int, strict: bool, names: bool) -> None:
    """Nodes, inputs, outputs, constants, signed edges and feedback loops of FILE.

    For a study file (.toml), also its phenotypes, drugs, contexts and findings."""
    path = resolve_input(file)
    study = None
    if path.suffix.lower() == ".toml":
        from logicnet.io.study import read_study

        study = read_study(path, strict=strict)
        net = study.network
    else:
        net = load_network(file, strict=strict, names=names)
    d = describe(net, max_loops=max_loops)
    if study is not None:
        d["study"] = {"name": study.name, "phenotypes": list(study.phenotypes), "drugs": list(study.drugs),
                      "contexts": list(study.contexts), "findings": [f.id for f in study.findings]}
    if fmt == "json":
        d["file"] = str(path)
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
         (f"of the first {len(fl['loops'])}: " if more else "")
         + f"{fl['positive']} positive, {fl['negative']} negative, {fl['mixed']} mixed"),
    ]
    c = console()
    if study is not None:
        _print_study(c, study)
    print_table(c, table(f"{net.name or file}", ["", "count", "details"], rows))
    if fl["loops"]:
        shown = fl["loops"][:50]
        print_table(c, table(f"feedback loops (first {len(shown)})" if len(fl["loops"]) > 50 else "feedback loops",
                      ["sign", "loop"], [(lp["sign"], " -> ".join(lp["nodes"] + lp["nodes"][:1])) for lp in shown]))
