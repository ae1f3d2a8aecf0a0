"""One self-contained HTML report of a condition: attractors, phenotypes, screen, validation, network.

The page needs no network access: figures are inline SVG, the style sheet is inline,
and the one small script only toggles a figure between full size (wide figures scroll
sideways) and fit-to-width.
The numbers behind it are embedded as JSON in
``<script type="application/json" id="logicnet-data">`` (the shapes of
``AttractorSet.to_dict``, ``ScreenResult.to_dict`` and ``logicnet validate --format
json``), so a program can read the report back.

Examples
--------
>>> from logicnet.io.study import Study, Context, Drug, Finding
>>> from logicnet.phenotype import Phenotype
>>> net = Network.from_rules("L* = L\\nR* = L\\nP* = R")
>>> study = Study("toy", net, {"sensitive": Phenotype.parse("sensitive", "not P")},
...               {"blocker": Drug("blocker", ("R",))}, {"on": Context("on", {"L": 1})},
...               (Finding("F1", "blocked", "on", ("blocker",), {}, "sensitive"),))
>>> html = build_report(study, context="on", max_order=1)
>>> html.count("<svg"), 'id="logicnet-data"' in html
(3, True)
"""

from __future__ import annotations

import html as _html
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from .engine import SYMBOLIC
from .plot import score_text
from .limits import DEFAULT_LIMITS, Limits
from .types import normalize_update

__all__ = ["build_report", "report_data", "write_report"]

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d9d9d9; --band: #f5f7fa; --ok: #007a5a; --bad: #b34700; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1320px; padding: 1.5rem 2rem 3rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
p.lead { font-size: 1.05rem; margin: .2rem 0 .8rem; }
p.note, figcaption { color: var(--muted); font-size: .9rem; }
nav a { margin-right: 1rem; color: #0060a0; text-decoration: none; }
nav a:hover { text-decoration: underline; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pass { color: var(--ok); font-weight: 600; }
td.fail { color: var(--bad); font-weight: 600; }
tr.here td { background: #fff8d6; }
td.why { max-width: 46rem; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
figure { margin: .5rem 0 1.2rem; }
.fig { overflow-x: auto; border: 1px solid var(--rule); padding: .4rem; background: #fff; cursor: zoom-out; }
.fig svg { display: block; height: auto; }
.fig.fit { cursor: zoom-in; }
.fig.fit svg { max-width: 100%; }
.chips span { display: inline-block; margin: .12rem .3rem .12rem 0; padding: .05rem .45rem; border-radius: .6rem;
              background: var(--band); border: 1px solid var(--rule); font-size: .85rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
"""

_SCRIPT = """
document.querySelectorAll('.fig').forEach(function (el) {
  el.title = 'click: fit to the page width / full size (scroll sideways)';
  el.addEventListener('click', function () { el.classList.toggle('fit'); });
});
"""


def _esc(x: Any) -> str:
    return _html.escape(str(x), quote=True)


def _inline_svg(data: bytes, prefix: str) -> str:
    """An SVG file as markup to put inside HTML: no XML prolog, ids made unique per figure."""
    text = data.decode("utf-8")
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)

    def fix(m: re.Match) -> str:
        if m.group("id") is not None:
            return f'id="{prefix}-{m.group("id")}"'
        if m.group("href") is not None:
            return f'href="#{prefix}-{m.group("href")}"'
        return f"url(#{prefix}-{m.group('url')})"

    text = re.sub(r'(?<![\w-])id="(?P<id>[^"]+)"|href="#(?P<href>[^"]+)"|url\(#(?P<url>[^)]+)\)', fix, text)
    return text.strip()


def _baseline_text(b) -> str:
    if b.score is None:
        return "The condition itself was not evaluated (" + _esc(b.reason) + ")"
    parts = [f"{b.n_attractors} attractor(s)"] if b.n_attractors is not None else []
    if b.complete:
        parts.append("complete")
    if b.measure == "attractor-level":
        parts.append("attractor-level*")
    return f"Baseline score {score_text(b.score)}" + (f" ({', '.join(parts)})" if parts else "")


def _figure(fig, prefix: str, caption: str) -> str:
    from .plot import figure_bytes

    svg = _inline_svg(figure_bytes(fig, "svg"), prefix)
    fig.clf()
    return f'<figure><div class="fig">{svg}</div><figcaption>{caption}</figcaption></figure>'


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, classes: Sequence[Sequence[str]] | None = None,
           row_classes: Sequence[str] | None = None, raw: bool = False) -> str:
    out = ["<table><thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in header) + "</tr></thead><tbody>"]
    for i, r in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        cells = []
        for j, x in enumerate(r):
            cls = classes[i][j] if classes else ""
            cells.append(f'<td class="{cls}">' if cls else "<td>")
            cells[-1] += (str(x) if raw else _esc(x)) + "</td>"
        out.append(f"<tr{rc}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _num(x, digits: int = 3) -> str:
    return score_text(x, digits)


def _sources(study, context, drugs, fix) -> list[tuple[str, dict[str, int]]]:
    """Which part of the condition fixed each node (later parts override earlier ones)."""
    owner: dict[str, str] = {}
    value: dict[str, int] = {}
    if context:
        ctx = study.context(context)
        for k, v in ctx.fix.items():
            owner[k], value[k] = f"context {ctx.name}", v
    for d in drugs:
        drug = study.drug(d)
        for k, v in drug.fix.items():
            owner[k], value[k] = f"drug {drug.name}", v
    for k, v in (fix or {}).items():
        owner[k], value[k] = "extra fix", int(v)
    groups: dict[str, dict[str, int]] = {}
    for k in study.network.nodes:
        if k in owner:
            groups.setdefault(owner[k], {})[k] = value[k]
    return list(groups.items())


def _validation(study, limits: Limits) -> list[dict]:
    from .validation import validate

    sync = validate(study, update="synchronous", limits=limits)
    asyn = validate(study, update="asynchronous", limits=limits)
    out = []
    for a, s in zip(asyn, sync):
        out.append({"id": a.finding.id, "title": a.finding.title, "condition": a.condition,
                    "expect": a.finding.expect,
                    "asynchronous": {"passed": a.passed, "shares": list(a.shares), "readouts": a.readouts},
                    "synchronous": {"passed": s.passed, "shares": list(s.shares), "readouts": s.readouts}})
    return out


def report_data(study, *, context: str | None = None, drugs: Sequence[str] = (), fix: Mapping[str, int] | None = None,
                update: str = "synchronous", phenotype: Any = "sensitive", max_order: int = 2,
                targets: str | Sequence[str] = "all", overexpress: bool = False, drug_pairs: bool = False,
                top: int = 20, n_jobs: int = 1, scheduler: Any = None, limits: Limits = DEFAULT_LIMITS,
                validation: bool = True, condition_seconds: float | None = None, control: int = 0) -> dict:
    """Everything a report shows, computed once: condition, attractors, screen, validation, control.

    Returns
    -------
    dict
        ``condition``, ``attractors`` (``AttractorSet.to_dict``), ``screen``
        (``ScreenResult.to_dict``), ``validation`` (one entry per finding, both update
        schemes), ``control`` (``ControlResult.to_dict``, with ``control=K``: every
        subset-minimal set of at most K knockouts and overexpressions that forces the
        phenotype under ``update``, with verdicts under the three schemes; else ``None``)
        and, under ``"_objects"``, the Python results the figures are drawn from (left out
        of the embedded JSON).

    Examples
    --------
    >>> from logicnet.io.study import Study, Context
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("L* = L\\nR* = L\\nP* = R")
    >>> study = Study("toy", net, {"sensitive": Phenotype.parse("sensitive", "not P")}, {},
    ...               {"on": Context("on", {"L": 1})}, ())
    >>> d = report_data(study, context="on", max_order=1)
    >>> d["condition"]["fix"], [h["label"] for h in d["screen"]["results"]]
    ({'L': 1}, ['R KO'])
    """
    import dataclasses

    from .attractors import find_attractors
    from .screening import _as_study, screen

    update = normalize_update(update)
    t0 = time.perf_counter()
    study = _as_study(study)
    cond = study.condition(context=context, drugs=list(drugs), fix=fix)
    if isinstance(phenotype, str) and "=" in phenotype:
        from .phenotype import parse_phenotypes

        [phenotype] = parse_phenotypes([phenotype]).values()
    if phenotype is not None and not isinstance(phenotype, str):
        cond = dataclasses.replace(cond, phenotypes={**cond.phenotypes, phenotype.name: phenotype})
    result = None
    if phenotype is not None:  # no phenotype: the attractor report, without a screen
        result = screen(study, context=context, drugs=list(drugs), fix=fix, max_order=max_order,
                        overexpress=overexpress, targets=targets, drug_pairs=drug_pairs, update=update,
                        phenotype=phenotype, top=top, n_jobs=n_jobs, scheduler=scheduler, limits=limits,
                        condition_seconds=condition_seconds)
        phenotype = result.phenotype
    aset = find_attractors(study.network, update=update, fix=cond.fix, limits=limits)
    checks = _validation(study, limits) if validation and study.findings else []
    ctrl = None
    if control and result is not None:
        from .controlling import control as _control

        ctrl = _control(study, phenotype=cond.phenotypes.get(phenotype, phenotype), context=context,
                        drugs=list(drugs), fix=fix, max_size=int(control), update=update, verdicts="all",
                        limits=limits)
    return {
        "study": study.name,
        "condition": {"label": cond.label, "context": cond.context, "drugs": list(cond.drugs),
                      "fix": dict(cond.fix), "extra_fix": dict(fix or {}), "update": update,
                      "phenotype": phenotype,
                      "phenotypes": {k: p.text for k, p in cond.phenotypes.items()}},
        "attractors": aset.to_dict(cond.phenotypes),
        "screen": None if result is None else result.to_dict(),
        "validation": checks,
        "control": None if ctrl is None else ctrl.to_dict(),
        "seconds": round(time.perf_counter() - t0, 3),
        "_objects": {"aset": aset, "screen": result, "condition": cond, "study": study, "control": ctrl},
    }


def build_report(study, *, context: str | None = None, drugs: Sequence[str] = (),
                 fix: Mapping[str, int] | None = None, update: str = "synchronous", phenotype: Any = "sensitive",
                 max_order: int = 2, targets: str | Sequence[str] = "all", overexpress: bool = False,
                 drug_pairs: bool = False, top: int = 20, n_jobs: int = 1, scheduler: Any = None,
                 limits: Limits = DEFAULT_LIMITS, layout: str = "layered", validation: bool = True,
                 condition_seconds: float | None = None, control: int = 0) -> str:
    """A self-contained HTML report of one condition of a study.

    Sections: the condition (what is fixed, by which context, drug or extra fix),
    the attractor heatmap, the phenotype table, the ranked screen with its chart
    and explanations, the validation of every finding under both update schemes,
    and the network with the best intervention's explanation highlighted.  The
    data are embedded as JSON (``<script type="application/json" id="logicnet-data">``).

    Parameters
    ----------
    study : Study or Network
        A study, or a plain network (then ``phenotype`` is a
        :class:`~logicnet.phenotype.Phenotype` and the condition is ``fix``).
    context, drugs, fix
        The condition, as for :meth:`~logicnet.io.study.Study.condition`.
    update : {"synchronous", "asynchronous"}
        For the attractors and the screen (validation runs both).
    phenotype : str, Phenotype or None
        The phenotype the screen restores (a study's, by name, ``"NAME=EXPR"``, or a
        Phenotype); ``None``: the attractor report, without a screen.
    max_order, targets, overexpress, drug_pairs, top, n_jobs, scheduler, limits, condition_seconds
        Passed to :func:`logicnet.screening.screen`.
    layout : {"layered", "spring"}
        Network layout (see :func:`logicnet.plot.network_layout`).
    validation : bool
        Run the study's findings (both update schemes).
    control : int, 0 to 6
        With K > 0, a Control section: every subset-minimal set of at most K knockouts and
        overexpressions that forces the phenotype (:func:`logicnet.control`, under
        ``update``, verdicts under all three schemes), as a chart of sets by size and
        verdicts (:func:`logicnet.plot.plot_control`) and a ranked table.

    Returns
    -------
    str
        The HTML page; write it with :func:`write_report`.

    Examples
    --------
    >>> from logicnet.io.study import Study, Context
    >>> from logicnet.phenotype import Phenotype
    >>> net = Network.from_rules("L* = L\\nR* = L\\nP* = R")
    >>> study = Study("toy", net, {"sensitive": Phenotype.parse("sensitive", "not P")}, {},
    ...               {"on": Context("on", {"L": 1})}, ())
    >>> html = build_report(study, context="on", max_order=1, validation=False)
    >>> html.startswith("<!DOCTYPE html>"), "http" in html.replace("http://www.w3.org", "")
    (True, False)
    """
    from . import __version__

    data = report_data(study, context=context, drugs=drugs, fix=fix, update=update, phenotype=phenotype,
                       max_order=max_order, targets=targets, overexpress=overexpress, drug_pairs=drug_pairs,
                       top=top, n_jobs=n_jobs, scheduler=scheduler, limits=limits, validation=validation,
                       condition_seconds=condition_seconds, control=control)
    objs = data.pop("_objects")
    aset, result, cond, study = objs["aset"], objs["screen"], objs["condition"], objs["study"]
    phenotype = None if result is None else result.phenotype
    validation = validation and bool(study.findings)
    update = data["condition"]["update"]
    title = f"{study.name}: {cond.label}"
    parts: list[str] = []
    add = parts.append

    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>")
    add(f"<header><h1>{_esc(study.name)}</h1>")
    add(f'<p class="lead">{_esc(cond.label)} · {_esc(update)} update'
        + (f" · restoring “{_esc(phenotype)}”" if result is not None else "") + "</p>")
    add('<nav><a href="#condition">Condition</a><a href="#attractors">Attractors</a>'
        '<a href="#phenotypes">Phenotypes</a>' + ('<a href="#screen">Screen</a>' if result is not None else "")
        + ('<a href="#control">Control</a>' if objs["control"] is not None else "")
        + ('<a href="#validation">Validation</a>' if validation else "")
        + '<a href="#network">Network</a><a href="#data">Data</a></nav></header>')

    parts += _condition_section(study, cond, fix)
    parts += _attractor_sections(study, cond, aset, update)
    if result is not None:  # none in an attractor report: no phenotype to restore
        parts += _screen_section(result, top, overexpress=overexpress, drug_pairs=drug_pairs, max_order=max_order)
    if objs["control"] is not None:
        parts += _control_section(objs["control"], top)
    if validation:
        parts += _validation_section(data["validation"], cond)
    parts += _network_section(study, cond, result, layout)
    add('<section id="data"><h2>Data</h2><p class="note">The numbers of this report are embedded as JSON in '
        '<code>&lt;script type=&quot;application/json&quot; id=&quot;logicnet-data&quot;&gt;</code>: '
        '<code>condition</code>, '
        "<code>attractors</code> (the shape of <code>logicnet attractors --format json</code>), <code>screen</code> "
        "(<code>logicnet screen --format json</code>), <code>validation</code> and <code>control</code> "
        "(<code>logicnet control --format json</code>, or null).</p></section>")
    how = ("on binary decision diagrams (symbolic search)" if aset.engine == SYMBOLIC
           else "by exhaustive search of the reduced state space")
    add(f"<footer>Made with logicnet {_esc(__version__)}. Attractors exact, {how}"
        + ("" if result is None else "; screen scores as the JSON's <code>engine</code> and <code>measure</code> "
           "of each condition say") + ".</footer>")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=False)
    payload = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    add(f'<script type="application/json" id="logicnet-data">{payload}</script>')
    add(f"<script>{_SCRIPT}</script>")
    add("</body></html>")
    return "\n".join(parts) + "\n"


def _condition_section(study, cond, fix) -> list[str]:
    """The condition: what is fixed, by what, and the phenotypes."""
    net = study.network
    parts: list[str] = []
    add = parts.append
    add('<section id="condition"><h2>Condition</h2>')
    srcs = _sources(study, cond.context, cond.drugs, fix)
    rows = [[_esc(who), '<span class="chips">' + "".join(f"<span>{_esc(k)}={v}</span>" for k, v in fx.items())
             + "</span>"] for who, fx in srcs]
    if rows:
        add(_table(["set by", "fixed nodes (0 = off / knocked out, 1 = on)"], rows, raw=True))
    else:
        add("<p>Nothing is fixed: every node follows its rule.</p>")
    add(_table(["phenotype", "expression"], [[k, p.text] for k, p in cond.phenotypes.items()]))
    add(f'<p class="note">{len(cond.fix)} of {net.n_nodes} nodes fixed; drugs override the context and an '
        "extra fix overrides both.</p></section>")
    return parts


def _attractor_sections(study, cond, aset, update: str) -> list[str]:
    """The attractor heat map and the phenotype table."""
    from .phenotype import phenotype_shares
    from .plot import node_groups, plot_attractors

    net = study.network
    parts: list[str] = []
    add = parts.append
    groups = node_groups(study, net.nodes)
    add('<section id="attractors"><h2>Attractors</h2>')
    fig = plot_attractors(aset, phenotypes=cond.phenotypes, groups=groups,
                          title=f"{study.name} | {cond.label} | {update} update")
    add(_figure(fig, "heatmap", f"{len(aset)} attractor(s) under {_esc(update)} update. Columns are the nodes, "
                "grouped as in the rule file; a cell is the share of the attractor's states in which the node is "
                "on. Grey italic names are fixed by the condition. The right panel gives each phenotype's share."))
    for note in aset.notes:
        add(f'<p class="note">{_esc(note)}</p>')
    add("</section>")

    shares = phenotype_shares(aset, cond.phenotypes) if len(aset) else []
    ph = list(cond.phenotypes)
    rows, classes = [], []
    for i, a in enumerate(aset):
        space = aset.space(a)  # exact also for attractors whose states are not listed
        on = [n for n, c in zip(aset.nodes, space) if c == "1"]
        var = [n for n, c in zip(aset.nodes, space) if c == "*"]
        rows.append([i + 1, a.kind, a.size, "–" if a.basin_share is None else f"{a.basin_share:.4f}"]
                    + [f"{shares[i][p]:.2f}" for p in ph]
                    + [" ".join(on) + (f" | oscillating: {' '.join(var)}" if var else "")])
        classes.append(["num", "", "num", "num"] + ["num"] * len(ph) + [""])
    add('<section id="phenotypes"><h2>Phenotypes</h2>')
    add(_table(["#", "kind", "states", "basin share"] + ph + ["nodes on"], rows, classes=classes))
    add('<p class="note">A phenotype\'s share is the share of the attractor\'s states in which it holds. '
        + ("Basin share: the share of all states (fixed nodes holding) that end in the attractor."
           if update == "synchronous" else "Under asynchronous update a state can reach several attractors, "
           "so there are no basin shares.") + "</p></section>")
    return parts


def _screen_section(result, top: int, *, overexpress: bool, drug_pairs: bool, max_order: int) -> list[str]:
    """The screen: its summary, bar chart and ranked table."""
    from .plot import plot_screen

    phenotype = result.phenotype
    parts: list[str] = []
    add = parts.append
    b = result.baseline
    level = result.counts["attractor_level"] + (b.measure == "attractor-level")
    add('<section id="screen"><h2>Screen</h2>')
    add(f'<p>Which knockouts{" and overexpressions" if overexpress else ""}'
        f'{" and added drugs" if drug_pairs else ""} turn this condition “{_esc(phenotype)}”? '
        f"{_baseline_text(b)}; {result.n_evaluated} conditions evaluated"
        f"{' exactly' if not level else ' (%d with an attractor-level score*)' % level}"
        f"{', singles and pairs' if max_order == 2 else ', singles'}"
        f"{'; %d pairs dominated by a complete single' % result.counts['dominated'] if result.counts['dominated'] else ''}"
        f"{'; %d not evaluated (over budget)' % result.counts['not_evaluated'] if result.counts['not_evaluated'] else ''}"
        ".</p>")
    add(_figure(plot_screen(result, top=top), "screen",
                "Bars: score of each intervention (green hatched: complete restoration, every attractor shows the "
                "phenotype). Dashed line: the condition without intervention. Pairs show their excess over the "
                "best single (HSA) and over Bliss independence."))
    rows, classes = [], []
    for h in [h for h in result.results if h.evaluated][:top]:
        rows.append([h.rank, h.label, _num(h.score) + ("*" if h.measure == "attractor-level" else ""), "yes" if h.complete else ("–" if h.complete is None else "no"),
                     _num(h.hsa_excess, 2), _num(h.bliss_excess, 2), h.explanation.get("summary", "")])
        classes.append(["num", "", "num", "pass" if h.complete else "", "num", "num", "why"])
    add(_table(["rank", "intervention", "score", "complete", "HSA", "Bliss", "why (shortest signed path; loops cut)"],
               rows, classes=classes))
    if level:
        add("<p>* Attractor-level score: the basins of this condition's attractors did not fit the budget, so the "
            "score is the share of the attractors' states where the phenotype holds (basins not weighed in). "
            "These rank after every basin-weighted score.</p>")
    add("</section>")
    return parts


def _control_section(result, top: int) -> list[str]:
    """Control: the minimal sets by size and verdicts, and the ranked sets."""
    from .plot import plot_control

    def verdict(v) -> str:
        return "–" if v is None else "yes" if v else "no"

    parts = ['<section id="control"><h2>Control</h2>']
    counts = ", ".join(f"{v} of size {k}" for k, v in result.counts.items())
    parts.append(f"<p>Which smallest sets of knockouts and overexpressions force it? The question: "
                 f"{_esc(result.describe())}. Minimal sets: {_esc(counts)}; "
                 + ("complete" if result.complete else "<strong>not complete</strong> (sizes searched to the end: "
                    + _esc(", ".join(map(str, result.sizes_complete)) or "none") + ")")
                 + (f". {_esc(result.none_possible)}" if result.none_possible else "") + ".</p>")
    parts.append(_figure(plot_control(result), "control",
                         "Bars: the subset-minimal sets of each size, split by how many of the asynchronous, "
                         "synchronous and most permissive schemes each holds under."))
    rows, classes = [], []
    for s in list(result.sets)[:top]:
        v = s.verdicts
        rows.append([s.rank, s.label, s.size, verdict(v.get("asynchronous")), verdict(v.get("synchronous")),
                     verdict(v.get("most_permissive")), verdict(s.temporary_suffices), " ".join(s.drugs) or "–",
                     s.explanation.get("summary", "")])
        classes.append(["num", "", "num"] + ["pass" if x else "fail" if x is False else ""
                                              for x in (v.get("asynchronous"), v.get("synchronous"),
                                                        v.get("most_permissive"), s.temporary_suffices)] + ["", "why"])
    if rows:
        parts.append(_table(["rank", "set", "size", "async", "sync", "MP", "release", "drugs", "why"], rows,
                            classes=classes))
    if len(result.sets) > top:
        parts.append(f'<p class="note">The first {top} of {len(result.sets)} sets; all are in the JSON.</p>')
    parts.append("</section>")
    return parts


def _validation_section(checks, cond) -> list[str]:
    """The findings checked under both update schemes."""
    parts: list[str] = []
    add = parts.append
    def held(u: str) -> str:
        by_id: dict[str, bool] = {}
        for c in checks:
            by_id[c["id"]] = by_id.get(c["id"], True) and c[u]["passed"]
        ok = sum(1 for c in checks if c[u]["passed"])
        return f"{sum(by_id.values())}/{len(by_id)} findings, {ok}/{len(checks)} checks"

    add('<section id="validation"><h2>Validation</h2>')
    add(f"<p>{held('synchronous')} hold under synchronous update, {held('asynchronous')} under "
        "asynchronous update. Highlighted: checks of this report's context and drugs.</p>")
    rows, classes, row_cls = [], [], []
    for c in checks:
        cells = [c["id"], c["title"], c["condition"], c["expect"]]
        cls = ["", "", "", ""]
        for u in ("asynchronous", "synchronous"):
            r = c[u]
            low = min(r["shares"]) if r["shares"] else 0.0
            cells += [f"{low:.2f} of {len(r['shares'])} att.", "pass" if r["passed"] else "FAIL"]
            cls += ["num", "pass" if r["passed"] else "fail"]
        rows.append(cells)
        classes.append(cls)
        here = c["condition"] == cond.label or c["condition"].startswith(cond.label + " + ")
        row_cls.append("here" if here and cond.label != "baseline" else "")
    add(_table(["finding", "title", "condition", "expected", "asynchronous", "", "synchronous", ""], rows,
               classes=classes, row_classes=row_cls))
    add('<p class="note">Share: the lowest share, over the attractors, of states in which the expected '
        "phenotype holds; a finding passes when it is 1.00.</p></section>")
    return parts


def _network_section(study, cond, result, layout) -> list[str]:
    """The signed interaction graph, the best intervention highlighted."""
    from .expr import symbols
    from .plot import draw_network

    net = study.network
    phenotype = None if result is None else result.phenotype
    parts: list[str] = []
    add = parts.append
    best = None if result is None else next((h for h in result.results
                                             if not h.dominated and h.score is not None), None)
    readouts = sorted(symbols(cond.phenotypes[phenotype].expression), key=net.index) \
        if phenotype in cond.phenotypes else []
    add('<section id="network"><h2>Network</h2>')
    hl = best.explanation if best is not None and best.explanation else None
    fig = draw_network(net, highlight=hl, layout=layout, readouts=readouts, fixed=cond.fix,
                       title=f"{net.name or study.name}: signed interaction graph"
                       + (f" | highlighted: {best.label}" if hl else ""))
    add(_figure(fig, "network", "Blue arrows activate, vermillion tee heads inhibit, dashed purple edges act both "
                "ways. Dashed boxes are inputs; grey boxes are fixed by the condition (labelled =0/=1); bold boxes "
                "are the phenotype's nodes."
                + (f" Highlighted: the best intervention ({_esc(best.label)}), its shortest signed paths to the "
                   "readout and the feedback loops it cuts." if hl else "")))
    add("</section>")
    return parts


def write_report(html: str, path: str | os.PathLike) -> None:
    """Write a report (or any text) to ``path`` atomically (temporary file, then rename).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "r.html")
    >>> write_report("<!DOCTYPE html><title>x</title>", path)
    >>> open(path, encoding="utf-8").read()[:15]
    '<!DOCTYPE html>'
    """
    from .io._common import atomic_write_bytes

    atomic_write_bytes(html.encode("utf-8"), path)
