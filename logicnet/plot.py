"""Pictures: attractor heatmaps, screen bar charts and signed network drawings.

Everything here is deterministic: the same input gives byte-identical SVG (fixed
layout, fixed ``svg.hashsalt``, no dates in the metadata).  Colours come from the
Okabe–Ito palette and a single-hue blue ramp, both readable with colour-blindness.
matplotlib is imported only inside this module, and only by the functions that
draw (``pip install 'logicnet[plot]'``); :func:`write_dot` and :func:`write_graphml`
need only networkx.

Examples
--------
>>> import os, tempfile
>>> from logicnet.attractors import find_attractors
>>> net = Network.from_rules("A* = not B\\nB* = A\\nC* = C")
>>> fig = plot_attractors(find_attractors(net), phenotypes={"C on": "C"})
>>> path = os.path.join(tempfile.mkdtemp(), "attractors.svg")
>>> write_figure(fig, path)
>>> open(path).read().count('id="heatmap-row-')
2
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import os
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import LogicnetError
from .network import Network

logger = logging.getLogger(__name__)

__all__ = [
    "FIGURE_FORMATS",
    "SIGN_STYLE",
    "draw_network",
    "score_text",
    "figure_bytes",
    "generate_dot",
    "highlight_nodes",
    "network_layout",
    "node_groups",
    "plot_attractors",
    "plot_control",
    "plot_screen",
    "write_dot",
    "write_figure",
    "write_graphml",
]

#: Okabe–Ito colours (Wong 2011, Nature Methods 8:441), safe for colour-blind readers.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}

#: How each edge sign is drawn (matplotlib and DOT): colour, arrow head, line style.
SIGN_STYLE = {
    "+": {"color": OKABE_ITO["blue"], "arrowhead": "normal", "style": "solid", "name": "activation"},
    "-": {"color": OKABE_ITO["vermillion"], "arrowhead": "tee", "style": "solid", "name": "inhibition"},
    "±": {"color": OKABE_ITO["purple"], "arrowhead": "odot", "style": "dashed", "name": "dual (±)"},
}

#: Output formats of :func:`write_figure` (by file suffix).
FIGURE_FORMATS = ("svg", "png", "pdf")

_ACTIVITY_COLOURS = ("#f2f2f2", "#9ecae1", "#2171b5", "#08306b")
_PHENOTYPE_COLOURS = ("#f7f7f7", "#a6dbc9", OKABE_ITO["green"])
_FONT = 9          # points: body text; readable in print
_SMALL = 8         # tick labels
_TINY = 7          # numbers inside cells (the smallest text)
_SALT = "logicnet"


# -- matplotlib, loaded on demand ---------------------------------------------


def score_text(x, digits: int = 3, *, none: str = "–") -> str:
    """A score or excess with ``digits`` decimals, or more when those would round a
    value that is not 0 or 1 to 0 or 1 (0.99998 is not shown as 1.000, nor 2e-05 as
    0.000); a negative value keeps its sign.

    Examples
    --------
    >>> score_text(0.5), score_text(1.0), score_text(0.99998), score_text(2e-05, 2), score_text(-0.25, 2)
    ('0.500', '1.000', '0.99998', '0.00002', '-0.25')
    >>> score_text(None)
    '–'
    """
    if x is None:
        return none
    x = float(x)
    d = digits
    while d < 12 and x != round(x, d) and round(x, d) in (0.0, 1.0, -1.0):
        d += 1
    return f"{x:+.{d}f}" if x < 0 else f"{x:.{d}f}"


def _mpl():
    """matplotlib, with the Agg backend unless pyplot already chose one."""
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise LogicnetError("drawing needs matplotlib: install the plot extra: pip install 'logicnet[plot]'") from None
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    return matplotlib


def _new_figure(width: float, height: float):
    _mpl()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _rc():
    """The rc settings every figure is drawn and saved with (fonts, determinism)."""
    return {
        "svg.hashsalt": _SALT,
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": _FONT,
        "axes.titlesize": _FONT + 1,
        "hatch.linewidth": 0.8,
        "path.simplify": False,
    }


def _ax_inches(ax) -> tuple[float, float]:
    w, h = ax.figure.get_size_inches()
    pos = ax.get_position()
    return pos.width * w, pos.height * h


def _text_width(text: str, size: float = _SMALL) -> float:
    """Rough width of a text in inches (DejaVu Sans averages ~0.6 em per character)."""
    return 0.6 * size / 72 * len(text)


# -- groups from the rule file's section comments ------------------------------

_SECTION = re.compile(r"^\s*#\s*-{2,}\s*(?P<name>.*?)\s*-{2,}\s*$")
_RULE_STAR = re.compile(r"^\s*(?P<node>[A-Za-z_][A-Za-z0-9_.]*)\s*\*\s*=")
_RULE_BNET = re.compile(r"^\s*(?P<node>[A-Za-z_][A-Za-z0-9_.]*)\s*,")


def _network_file(path: Path) -> Path:
    """The rule file behind a study file (its ``network`` key, relative to the study)."""
    if path.suffix.lower() != ".toml":
        return path
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return path.parent / str(data["study"]["network"])
    except (OSError, KeyError, TypeError, ValueError):
        return path


def node_groups(source, nodes: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Nodes grouped by the ``# --- Section ---`` comments of a rule file.

    The :class:`~logicnet.network.Network` does not keep comments, so they are read
    from the file text.  ``source`` is a rule file (``.rules``, ``.bnet``), a study
    file (its network file is read) or a :class:`~logicnet.io.study.Study`.  Nodes
    defined before the first section, or in a file without sections, fall in the
    group ``""``; nodes of ``nodes`` that the file does not define (free inputs) go
    last, in the group ``""`` too.

    Parameters
    ----------
    source : path or Study
    nodes : sequence of str, optional
        Keep only these nodes (and add the missing ones); default: what the file defines.

    Returns
    -------
    dict
        ``{section title: [nodes in file order]}`` in file order.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "toy.rules")
    >>> _ = open(p, "w").write("# --- Inputs ---\\nL* = L\\n# --- Core ---\\nA* = L\\nB* = A\\n")
    >>> node_groups(p)
    {'Inputs': ['L'], 'Core': ['A', 'B']}
    >>> node_groups(p, ["A", "B", "L", "X"])
    {'Inputs': ['L'], 'Core': ['A', 'B'], '': ['X']}
    """
    path = Path(getattr(source, "path", source) or "")
    path = _network_file(path)
    pattern = _RULE_BNET if path.suffix.lower() == ".bnet" else _RULE_STAR
    groups: dict[str, list[str]] = {}
    current = ""
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines() if path.is_file() else []
    except (OSError, UnicodeDecodeError):
        lines = []
    for raw in lines:
        m = _SECTION.match(raw)
        if m:
            current = m.group("name")
            continue
        if raw.lstrip().startswith("#"):
            continue
        m = pattern.match(raw)
        if m is None:
            continue
        node = m.group("node")
        if pattern is _RULE_BNET and node == "targets":
            continue
        if node not in seen:
            seen.add(node)
            groups.setdefault(current, []).append(node)
    if nodes is not None:
        wanted = set(nodes)
        groups = {k: [n for n in v if n in wanted] for k, v in groups.items()}
        rest = [n for n in nodes if n not in seen]
        if rest:
            groups.setdefault("", []).extend(rest)
        groups = {k: v for k, v in groups.items() if v}
    if "" in groups and len(groups) > 1 and next(iter(groups)) != "":
        groups[""] = groups.pop("")  # unnamed leftovers go last
    return groups


def _ordered_groups(nodes: Sequence[str], groups: Mapping[str, Sequence[str]] | None) -> list[tuple[str, list[str]]]:
    if not groups:
        return [("", list(nodes))]
    known = set(nodes)
    out, used = [], set()
    for name, members in groups.items():
        keep = [n for n in members if n in known and n not in used]
        used.update(keep)
        if keep:
            out.append((str(name), keep))
    rest = [n for n in nodes if n not in used]
    if rest:
        out.append(("", rest))
    return out


# -- the attractor heatmap ----------------------------------------------------


def _fmt_share(x: float) -> str:
    if x >= 0.995 or x == 0 or x >= 0.01:
        return f"{x:.2f}"
    return f"{x:.1e}"


def _kind_text(a) -> str:
    if a.kind == "fixed":
        return "fixed point"
    if a.kind == "cycle":
        return f"cycle of {a.size}"
    return f"complex, {a.size} states"


def _row_label(i: int, a) -> str:
    text = f"{i + 1}: {_kind_text(a)}"
    if a.basin_share is not None:
        text += f", basin {_fmt_share(a.basin_share)}"
    return text


def plot_attractors(aset, *, phenotypes: Mapping[str, Any] | None = None,
                    groups: Mapping[str, Sequence[str]] | None = None, ax=None, title: str | None = None,
                    fixed: Iterable[str] | None = None, max_rows: int = 60):
    """A heatmap of the attractors: one row per attractor, one column per node.

    A cell is the share of the attractor's states in which the node is on
    (:meth:`~logicnet.attractors.AttractorSet.activity`): 0 or 1 for a fixed point,
    in between for cycles and complex attractors (then printed in the cell).  Rows
    are labelled with their kind and basin share; a panel on the right gives each
    phenotype's share.  Columns are grouped (``groups``, e.g. from
    :func:`node_groups`), and the labels of fixed nodes are grey and italic.

    Parameters
    ----------
    aset : AttractorSet
    phenotypes : mapping, optional
        ``{name: Phenotype or expression}`` shown in the right-hand panel.
    groups : mapping, optional
        ``{group title: [nodes]}``; nodes in no group go last.
    ax : matplotlib Axes, optional
        Draw the heatmap here; the phenotype panel and the colour scale go to its
        right, so leave room there.  By default a figure is sized to the number of
        nodes (0.24 inch a column) and attractors.
    title : str, optional
        Default: network name, number of attractors and update scheme.
    fixed : iterable of str, optional
        Nodes to mark as fixed; default ``aset.fixed``.
    max_rows : int
        Draw at most this many attractors (the title says how many there are).

    Returns
    -------
    matplotlib.figure.Figure
        Each heatmap row is a group with the SVG id ``heatmap-row-<n>``.

    Examples
    --------
    >>> from logicnet.attractors import find_attractors
    >>> aset = find_attractors(Network.from_rules("A* = not A\\nB* = B"))
    >>> fig = plot_attractors(aset, phenotypes={"B on": "B"})
    >>> [mesh.get_gid() for mesh in fig.axes[0].collections]
    ['heatmap-row-1', 'heatmap-row-2']
    """
    _mpl()
    from matplotlib.colors import LinearSegmentedColormap

    from .phenotype import phenotype_shares

    rows = list(aset)[:max_rows]
    n_rows = len(rows)
    shares = phenotype_shares(aset, phenotypes)[:max_rows] if phenotypes and n_rows else [{} for _ in rows]
    ph_names = list(phenotypes) if phenotypes else []
    ordered = _ordered_groups(aset.nodes, groups)
    cols = [n for _, members in ordered for n in members]
    n_cols = len(cols)
    fixed_set = set(aset.fixed if fixed is None else fixed)
    row_labels = [_row_label(i, a) for i, a in enumerate(rows)]
    if title is None:
        title = f"{aset.network or 'network'}: {len(aset)} attractor(s), {aset.update} update"
    if len(aset) > n_rows:
        title += f" (first {n_rows} shown)"

    # Geometry in inches: a cell is 0.24 x 0.30; margins follow the label lengths.
    cw, ch = 0.24, 0.30
    group_lines = _group_label_lines(ordered, cw)
    n_lines = max((len(lines) for lines in group_lines), default=0)
    top = 0.45 + (n_lines * 0.15 + 0.12 if any(name for name, _ in ordered) else 0.05)
    left = max([_text_width(t, _FONT) for t in row_labels] + [0.5]) + 0.25
    bottom = max([_text_width(n, _SMALL) for n in cols] + [0.3]) + 0.2
    ph_w = 0.42 * len(ph_names)
    right = (0.25 + ph_w if ph_names else 0.0) + 2.6
    if ax is None:
        width = left + n_cols * cw + right
        height = top + max(n_rows, 1) * ch + bottom
        fig = _new_figure(width, height)
        ax = fig.add_axes((left / width, bottom / height, n_cols * cw / width, max(n_rows, 1) * ch / height))
    fig = ax.figure
    ax_w, ax_h = _ax_inches(ax)
    cw = ax_w / max(n_cols, 1)

    cmap = LinearSegmentedColormap.from_list("logicnet_activity", _ACTIVITY_COLOURS)
    for r, a in enumerate(rows):
        act = aset.activity(a)
        vals = [[act[n] for n in cols]]
        mesh = ax.pcolormesh(range(n_cols + 1), [r, r + 1], vals, cmap=cmap, vmin=0.0, vmax=1.0,
                             edgecolors="white", linewidth=0.6)
        mesh.set_gid(f"heatmap-row-{r + 1}")
        for j, n in enumerate(cols):
            v = act[n]
            if 0.0 < v < 1.0:
                ax.text(j + 0.5, r + 0.5, f"{v:.2f}".lstrip("0"), ha="center", va="center", fontsize=_TINY,
                        color="white" if v > 0.55 else "black")
    ax.set_xlim(0, n_cols)
    ax.set_ylim(max(n_rows, 1), 0)
    ax.set_xticks([j + 0.5 for j in range(n_cols)])
    ax.set_xticklabels(cols, rotation=90, fontsize=_SMALL)
    for lab, n in zip(ax.get_xticklabels(), cols):
        if n in fixed_set:
            lab.set_color("#555555")
            lab.set_fontstyle("italic")
    ax.set_yticks([r + 0.5 for r in range(n_rows)])
    ax.set_yticklabels(row_labels, fontsize=_FONT)
    ax.tick_params(length=0, pad=3)
    for s in ax.spines.values():
        s.set_visible(False)
    if n_rows == 0:
        ax.text(n_cols / 2, 0.5, "no attractor", ha="center", va="center")

    # Group separators and titles above the columns.
    _draw_groups(ax, ordered, group_lines)
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction",
                xytext=(0, (n_lines * 0.15 + 0.2) * 72 if any(name for name, _ in ordered) else 8),
                textcoords="offset points", ha="left", va="bottom", fontsize=_FONT + 1, fontweight="bold",
                annotation_clip=False)

    x = _phenotype_panel(ax, ph_names, shares, n_rows, ph_w) if ph_names else 1.0
    notes = []
    if fixed_set & set(cols):
        notes.append("grey italic names: fixed\nby the condition")
    if any(a.kind != "fixed" for a in rows):
        notes.append("numbers: share for\ncycles / complex attractors")
    _activity_scale(ax, x, cmap, notes)
    return fig


def _phenotype_panel(ax, ph_names, shares, n_rows: int, ph_w: float) -> float:
    """:func:`plot_attractors`: the phenotype shares right of the heatmap; returns where it ends
    (in axes fraction)."""
    from matplotlib.colors import LinearSegmentedColormap

    ax_w, _ = _ax_inches(ax)
    gap = 0.25 / ax_w
    pax = ax.inset_axes((1 + gap, 0, ph_w / ax_w, 1))
    pcmap = LinearSegmentedColormap.from_list("logicnet_phenotype", _PHENOTYPE_COLOURS)
    for r in range(n_rows):
        vals = [[shares[r][p] for p in ph_names]]
        mesh = pax.pcolormesh(range(len(ph_names) + 1), [r, r + 1], vals, cmap=pcmap, vmin=0, vmax=1,
                              edgecolors="white", linewidth=0.6)
        mesh.set_gid(f"phenotype-row-{r + 1}")
        for j, p in enumerate(ph_names):
            v = shares[r][p]
            pax.text(j + 0.5, r + 0.5, f"{v:.2f}", ha="center", va="center", fontsize=_TINY,
                     color="white" if v > 0.7 else "black")
    pax.set_xlim(0, len(ph_names))
    pax.set_ylim(max(n_rows, 1), 0)
    pax.set_xticks([j + 0.5 for j in range(len(ph_names))])
    pax.set_xticklabels(ph_names, rotation=90, fontsize=_SMALL)
    pax.set_yticks([])
    pax.tick_params(length=0, pad=3)
    for s in pax.spines.values():
        s.set_visible(False)
    pax.annotate("phenotype\nshare", xy=(0.5, 1), xycoords="axes fraction", xytext=(0, 4),
                 textcoords="offset points", ha="center", va="bottom", fontsize=_SMALL, annotation_clip=False)
    return 1 + gap + ph_w / ax_w


def _activity_scale(ax, x: float, cmap, notes: list[str]) -> None:
    """:func:`plot_attractors`: the colour scale, fixed size (inches), top-aligned with the
    heatmap from ``x`` (axes fraction), and the notes under it."""
    from matplotlib import cm
    from matplotlib.colors import Normalize

    ax_w, ax_h = _ax_inches(ax)
    cb_w, cb_h = 1.5, 0.12
    cax = ax.inset_axes((x + 0.35 / ax_w, 1 - (0.4 + cb_h) / ax_h, cb_w / ax_w, cb_h / ax_h))
    sm = cm.ScalarMappable(norm=Normalize(0, 1), cmap=cmap)
    cb = ax.figure.colorbar(sm, cax=cax, orientation="horizontal", ticks=[0, 0.5, 1])
    cb.outline.set_linewidth(0.5)
    cax.tick_params(labelsize=_SMALL, length=2)
    cax.xaxis.set_ticks_position("bottom")
    cax.set_title("node on: share of the\nattractor's states", fontsize=_SMALL, loc="left", pad=3)
    if notes:
        cax.annotate("\n".join(notes), xy=(0, 0), xycoords="axes fraction", xytext=(0, -22),
                     textcoords="offset points", ha="left", va="top", fontsize=_SMALL, color="#333333",
                     annotation_clip=False)


def _group_label_lines(ordered, cw: float) -> list[list[str]]:
    out = []
    for name, members in ordered:
        if not name:
            out.append([])
            continue
        width = max(int(len(members) * cw / (0.6 * _SMALL / 72)), 4)
        short = re.sub(r"\s*\(.*?\)\s*", " ", name).strip() or name
        lines = textwrap.wrap(short, width=width, break_long_words=True, break_on_hyphens=True)
        if len(lines) > 4:
            lines = lines[:3] + [lines[3][: max(width - 1, 1)] + "…"]
        out.append(lines)
    return out


def _draw_groups(ax, ordered, group_lines) -> None:
    from matplotlib.transforms import blended_transform_factory, offset_copy

    trans = blended_transform_factory(ax.transData, ax.transAxes)
    above = offset_copy(trans, fig=ax.figure, y=5, units="points")
    x0 = 0
    for k, ((name, members), lines) in enumerate(zip(ordered, group_lines)):
        x1 = x0 + len(members)
        if k:
            ax.plot([x0, x0], [0, 1], transform=trans, color="#333333", linewidth=1.2, clip_on=False,
                    solid_capstyle="butt")
        if name:
            ax.plot([x0 + 0.15, x1 - 0.15], [1, 1], transform=above, color="#333333", linewidth=1.0,
                    clip_on=False)
            ax.text((x0 + x1) / 2, 1, "\n".join(lines), transform=offset_copy(trans, fig=ax.figure, y=8,
                                                                              units="points"),
                    ha="center", va="bottom", fontsize=_SMALL, linespacing=1.05, clip_on=False)
        x0 = x1


# -- the screen chart -----------------------------------------------------------


def plot_screen(result, *, top: int = 20, ax=None, title: str | None = None):
    """The best interventions of a screen as horizontal bars of their score.

    Complete restorations (every attractor shows the phenotype) are green and
    hatched, the others blue; the condition's own score (the baseline) is a dashed
    line.  The right-hand column gives each score, and for pairs their synergy
    (excess over the highest single agent, HSA, and over Bliss independence).
    Pairs skipped because one of their singles already restores completely are not
    drawn (the footnote counts them).

    Parameters
    ----------
    result : ScreenResult
    top : int
        Draw at most this many interventions, best first.
    ax : matplotlib Axes, optional
    title : str, optional
        Default: study, condition, update scheme and phenotype.

    Returns
    -------
    matplotlib.figure.Figure
        Each bar has the SVG id ``screen-bar-<n>``.

    Examples
    --------
    >>> from logicnet.io.study import Study, Context
    >>> from logicnet.phenotype import Phenotype
    >>> from logicnet.screening import screen
    >>> net = Network.from_rules("A* = A\\nB* = A\\nC* = A\\nP* = B or C")
    >>> study = Study("t", net, {"sensitive": Phenotype.parse("sensitive", "not P")}, {},
    ...               {"on": Context("on", {"A": 1})}, ())
    >>> fig = plot_screen(screen(study, context="on"), top=5)
    >>> len(fig.axes)
    1
    """
    _mpl()
    hits = [h for h in result.results if not h.dominated and h.score is not None][:top]
    n_dominated = sum(1 for h in result.results if h.dominated)
    labels = [h.label for h in hits]
    notes = []

    for h in hits:
        text = score_text(h.score) + ("*" if h.measure == "attractor-level" else "")
        if h.hsa_excess is not None:
            text += f"   HSA {score_text(h.hsa_excess, 2)}  Bliss {score_text(h.bliss_excess, 2)}"
        notes.append(text)
    if title is None:
        fixed = [f"{k}={v}" for k, v in result.fix.items()]
        if len(fixed) > 3:
            fixed = [f"{len(fixed)} nodes fixed"]
        cond = " + ".join(([f"context {result.context}"] if result.context else []) + list(result.drugs) + fixed)
        title = f"{result.study}\n{cond or 'no condition'} | {result.update} update | restoring '{result.phenotype}'"
    bh = 0.32
    left = max([_text_width(t, _FONT) for t in labels] + [0.8]) + 0.3
    right = max([_text_width(t, _FONT) for t in notes] + [0.5]) + 0.3
    plot_w = 4.0
    top_m, bottom_m = 0.75, 1.25
    if ax is None:
        width = left + plot_w + right
        height = top_m + max(len(hits), 1) * bh + bottom_m
        fig = _new_figure(width, height)
        ax = fig.add_axes((left / width, bottom_m / height, plot_w / width, max(len(hits), 1) * bh / height))
    fig = ax.figure
    _, ax_h = _ax_inches(ax)
    green, blue = OKABE_ITO["green"], OKABE_ITO["sky"]
    for i, h in enumerate(hits):
        complete = bool(h.complete)
        bar = ax.barh(i, h.score, height=0.7, color=green if complete else blue,
                      hatch="///" if complete else None, edgecolor="#1b4d3e" if complete else "#2b6f99",
                      linewidth=0.6)
        bar.patches[0].set_gid(f"screen-bar-{i + 1}")
        ax.text(1.02, i, notes[i], transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=_FONT,
                clip_on=False)
    base = result.baseline.score
    if base is not None:
        ax.axvline(base, color="black", linestyle=(0, (4, 2)), linewidth=1.2, zorder=3)
        ax.annotate("baseline", xy=(base, 1), xycoords=("data", "axes fraction"), xytext=(0, 2),
                    textcoords="offset points",
                    ha="center" if 0.05 < base < 0.95 else ("left" if base <= 0.05 else "right"),
                    va="bottom", fontsize=_SMALL, annotation_clip=False)
    ax.set_xlim(0, 1)
    ax.set_ylim(max(len(hits), 1) - 0.5, -0.5)
    ax.set_yticks(range(len(hits)))
    ax.set_yticklabels(labels, fontsize=_FONT)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=_SMALL)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    if result.update == "synchronous":
        xlabel = f"score: basin-weighted share of states ending where '{result.phenotype}' holds"
    else:
        xlabel = f"score: share of states whose reachable attractors all show '{result.phenotype}'"
    ax.set_xlabel(xlabel, fontsize=_FONT)
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(0, 16), textcoords="offset points",
                ha="left", va="bottom", fontsize=_FONT + 1, fontweight="bold", annotation_clip=False)
    ax.annotate("score" + ("   synergy of pairs" if any(h.hsa_excess is not None for h in hits) else ""),
                xy=(1.02, 1), xycoords="axes fraction", xytext=(0, 3), textcoords="offset points",
                ha="left", va="bottom", fontsize=_SMALL, color="#333333", annotation_clip=False)
    _screen_legend(ax, result, hits, n_dominated)
    return fig


def _screen_legend(ax, result, hits, n_dominated: int) -> None:
    """:func:`plot_screen`: the legend under the bars and the notes under it."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _, ax_h = _ax_inches(ax)
    green, blue = OKABE_ITO["green"], OKABE_ITO["sky"]
    base = result.baseline.score
    handles = [Patch(facecolor=green, edgecolor="#1b4d3e", hatch="///", label="complete restoration"),
               Patch(facecolor=blue, edgecolor="#2b6f99", label="partial"),
               Line2D([], [], color="black", linestyle=(0, (4, 2)),
                      label="baseline not evaluated" if base is None else f"baseline {base:.3f}"
                      + ("*" if result.baseline.measure == "attractor-level" else ""))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.5 / ax_h), ncol=3, frameon=False,
              fontsize=_FONT, handlelength=2.2, borderaxespad=0)
    foot = []
    if n_dominated:
        foot.append(f"{n_dominated} pair(s) not drawn: one of their singles already restores completely")
    if not hits:
        foot.append("no intervention was scored")
    if any(h.measure == "attractor-level" for h in hits) or result.baseline.measure == "attractor-level":
        foot.append("*: attractor-level score (basins over budget): share of attractor states where "
                    f"'{result.phenotype}' holds; ranked after every basin-weighted score")
    if foot:
        ax.annotate("\n".join(foot), xy=(0, 0), xycoords="axes fraction", xytext=(0, -0.85 * 72),
                    textcoords="offset points", ha="left", va="top", fontsize=_SMALL, color="#333333",
                    annotation_clip=False)


def plot_control(result, *, ax=None, title: str | None = None):
    """The minimal sets of a control result by size, stacked by the update schemes they hold under.

    One bar per size searched (1 to the question's ``max_size``): its height is the number
    of subset-minimal sets of that size; the stack splits them by how many of the three
    schemes (asynchronous, synchronous, most permissive) their verdicts hold under, and
    sets whose verdicts under the other schemes were not computed form their own part.  A
    size the search did not finish is marked ``incomplete``.

    Parameters
    ----------
    result : ControlResult
        From :func:`logicnet.control` (``verdicts="all"`` gives every set three verdicts).
    ax : matplotlib Axes, optional
    title : str, optional
        Default: network, condition and phenotype.

    Returns
    -------
    matplotlib.figure.Figure
        Each bar part has the SVG id ``control-bar-<size>-<n schemes>``.

    Examples
    --------
    >>> from logicnet import control
    >>> net = Network.from_rules("A* = A and not B\\nB* = B or C\\nC* = C\\nP* = A")
    >>> fig = plot_control(control(net, phenotype="on=P", max_size=2, verdicts="all"))
    >>> len(fig.axes)
    1
    """
    _mpl()
    q = result.question
    sizes = list(range(1, int(q["max_size"]) + 1))
    parts = [(3, "holds under all three schemes", OKABE_ITO["green"]),
             (2, "under two", OKABE_ITO["sky"]),
             (1, "under one", OKABE_ITO["orange"]),
             (0, "other schemes not computed", OKABE_ITO["grey"])]

    def kind(s) -> int:
        v = list(s.verdicts.values())
        return 0 if any(x is None for x in v) else sum(bool(x) for x in v)

    counts = {(k, n): 0 for k in sizes for n, _, _ in parts}
    for s in result.sets:
        if s.size in sizes:
            counts[(s.size, kind(s))] += 1
    if title is None:
        title = (f"{q['network']}\n{q.get('condition_text', '')} | forcing '{q['phenotype']['name']}' | "
                 f"{q['goal']}, {q['hold']}")
    width, height = 1.2 + 0.9 * len(sizes) + 2.6, 3.4
    if ax is None:
        fig = _new_figure(width, height)
        ax = fig.add_axes((0.9 / width, 0.75 / height, 0.9 * len(sizes) / width, 1.9 / height))
    fig = ax.figure
    bottom = [0] * len(sizes)
    for n, label, colour in parts:
        heights = [counts[(k, n)] for k in sizes]
        if not any(heights):
            continue
        bars = ax.bar(sizes, heights, bottom=bottom, width=0.6, color=colour, edgecolor="#333333", linewidth=0.5,
                      label=label)
        for k, patch in zip(sizes, bars.patches):
            patch.set_gid(f"control-bar-{k}-{n}")
        bottom = [b + h for b, h in zip(bottom, heights)]
    top = max(bottom + [1])
    for k, total in zip(sizes, bottom):
        text = str(total) + ("" if k in result.sizes_complete else " (incomplete)")
        ax.text(k, total + 0.03 * top, text, ha="center", va="bottom", fontsize=_SMALL)
    ax.set_xticks(sizes)
    ax.set_xlim(0.4, len(sizes) + 0.6)
    ax.set_ylim(0, top * 1.18)
    ax.set_xlabel("size (interventions per set)", fontsize=_FONT)
    ax.set_ylabel("minimal sets", fontsize=_FONT)
    ax.tick_params(labelsize=_SMALL)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if result.sets:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, fontsize=_SMALL)
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(0, 14), textcoords="offset points", ha="left",
                va="bottom", fontsize=_FONT + 1, fontweight="bold", annotation_clip=False)
    return fig


# -- the network ----------------------------------------------------------------


def _spec_parts(spec: str) -> list[str]:
    parts = []
    for chunk in re.split(r"[+,;]", spec):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts.extend(chunk.split() if not re.search(r"\s(KO|OE)$", chunk, re.IGNORECASE) else [chunk])
    return parts


def _loops_label(hl) -> str:
    """The legend of the loops an intervention cuts: how many there are, and how many are drawn."""
    n, shown = hl.get("n_loops_cut", len(hl["loops_cut"])), len(hl["loops_cut"])
    return f"feedback loops cut ({n:,}{'' if n == shown else f'; {shown} drawn'})"


def highlight_nodes(net: Network, spec, *, study=None, readouts: Iterable[str] = (), max_paths: int = 3,
                    loop_limit: int = 20000) -> dict:
    """What to highlight for an intervention: its nodes, paths to the readouts, loops it cuts.

    Parameters
    ----------
    net : Network
    spec : str, ScreenHit, mapping or iterable of str
        A screen hit label (``"IGFBP1 KO + ITGA5B1 KO"``), node names
        (``"FAK,HIF1A"``, ``"FAK=0"``), drug names of ``study``, a
        :class:`~logicnet.screening.ScreenHit` (its explanation is used) or an
        explanation mapping (``targets``, ``paths``, ``loops_cut``).
    study : Study, optional
        Resolves drug names to their targets.
    readouts : iterable of str
        Nodes the explanation paths lead to (e.g. a phenotype's nodes).
    max_paths : int
        Shortest signed paths kept per (target, readout) pair.

    Returns
    -------
    dict
        ``{"targets": [...], "paths": [{"from", "to", "nodes", "sign"}], "loops_cut": [{"nodes", "sign"}],
        "n_loops_cut": int}``, the shape of ``ScreenHit.explanation``: the first loops cut (as many as
        a screen's explanation lists) and how many there are in all.

    Raises
    ------
    UnknownNodeError
        A name that is neither a node nor (with ``study``) a drug.

    Examples
    --------
    >>> net = Network.from_rules("A* = not C\\nB* = A\\nC* = B")
    >>> h = highlight_nodes(net, "A KO", readouts=["C"])
    >>> h["targets"], h["paths"][0]["nodes"], h["loops_cut"][0]["nodes"]
    (['A'], ['A', 'B', 'C'], ['A', 'B', 'C'])
    """
    from .graph import feedback_loops, interaction_graph, signed_paths

    if hasattr(spec, "explanation") and hasattr(spec, "intervention"):
        spec = spec.explanation or {"targets": list(spec.intervention)}
    if isinstance(spec, Mapping):
        loops = list(spec.get("loops_cut", []))
        return {"targets": list(spec.get("targets", [])), "paths": list(spec.get("paths", [])),
                "loops_cut": loops, "n_loops_cut": int(spec.get("n_loops_cut", len(loops)))}
    items = _spec_parts(spec) if isinstance(spec, str) else [str(s) for s in spec]
    targets: list[str] = []
    for item in items:
        name = re.sub(r"(\s+(KO|OE)|=[01])$", "", item.strip(), flags=re.IGNORECASE).strip()
        if name in net.rules:
            node = name
            found = [node]
        elif study is not None and name:
            try:
                found = list(study.drug(name).targets)
            except LogicnetError:
                net.check_node(name)  # raises with close node names
                raise
        else:
            found = [net.check_node(name)]
        for node in found:
            if node not in targets:
                targets.append(node)
    g = interaction_graph(net)
    paths = []
    readouts = [r for r in readouts if r in net.rules]
    for src in targets:
        for dst in readouts:
            for p in signed_paths(net, src, dst, limit=max_paths, graph=g):
                paths.append({"from": src, "to": dst, "nodes": list(p.nodes), "sign": p.sign})
    hit = set(targets)
    from .graph import _MAX_LOOPS_SHOWN

    loops = [{"nodes": list(lp.nodes), "sign": lp.sign}
             for lp in feedback_loops(net, graph=g, limit=loop_limit) if hit & set(lp.nodes)]
    return {"targets": targets, "paths": paths, "loops_cut": loops[:_MAX_LOOPS_SHOWN], "n_loops_cut": len(loops)}


def _layers(net: Network, g) -> dict[str, int]:
    """Breadth-first depth from the inputs; nodes not reached start new sources."""
    from collections import deque

    order = {n: i for i, n in enumerate(net.nodes)}
    layer: dict[str, int] = {}
    sources = [n for n in net.nodes if not [p for p in g.predecessors(n) if p != n]]
    queue = deque()
    for s in sources:
        layer[s] = 0
        queue.append(s)
    while True:
        while queue:
            u = queue.popleft()
            for v in sorted(g.successors(u), key=order.__getitem__):
                if v not in layer:
                    layer[v] = layer[u] + 1
                    queue.append(v)
        rest = [n for n in net.nodes if n not in layer]
        if not rest:
            return layer
        # a loop nobody feeds: start it one layer below its earliest known regulator
        start = rest[0]
        known = [layer[p] for p in g.predecessors(start) if p in layer]
        layer[start] = (max(known) + 1) if known else 0
        queue.append(start)


def _border_point(c, p, hw: float, hh: float) -> tuple[float, float]:
    """Where the segment from the centre ``c`` of a box (half sizes ``hw``, ``hh``) towards ``p`` leaves it."""
    dx, dy = p[0] - c[0], p[1] - c[1]
    if dx == 0 and dy == 0:
        return c
    t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return (c[0] + t * dx, c[1] + t * dy)


def network_layout(net: Network, *, layout: str = "layered", seed: int = 1, width: int | None = None,
                   graph=None) -> dict[str, tuple[float, float]]:
    """Node positions in inches (y grows upwards), deterministic.

    ``layered``: rows by distance from the inputs (signal flows down), wide rows
    wrapped, order within rows by the mean position of the regulators (a few
    sweeps).  ``spring``: :func:`networkx.spring_layout` with a fixed ``seed``.

    Examples
    --------
    >>> pos = network_layout(Network.from_rules("A* = A\\nB* = A\\nC* = B"))
    >>> pos["A"][1] > pos["B"][1] > pos["C"][1]
    True
    """
    from .graph import interaction_graph

    g = graph if graph is not None else interaction_graph(net)
    n = net.n_nodes
    if layout == "spring":
        import networkx as nx

        start = network_layout(net, layout="layered", graph=g)
        raw = nx.spring_layout(g.to_undirected(), pos=start, seed=seed, iterations=60,
                               k=2.0 / math.sqrt(max(n, 1)))
        side = max(3.0, 1.05 * math.sqrt(n) * 1.15)
        xs = [p[0] for p in raw.values()] or [0]
        ys = [p[1] for p in raw.values()] or [0]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        sx = side / (x1 - x0) if x1 > x0 else 1.0
        sy = side / (y1 - y0) if y1 > y0 else 1.0
        return {v: (float((raw[v][0] - x0) * sx), float((raw[v][1] - y0) * sy)) for v in net.nodes}
    if layout != "layered":
        raise LogicnetError(f"unknown layout {layout!r}; use 'layered' or 'spring'")
    layer = _layers(net, g)
    width = width or max(6, min(14, math.ceil(math.sqrt(n) * 1.5)))
    by_layer: dict[int, list[str]] = {}
    for v in net.nodes:
        by_layer.setdefault(layer[v], []).append(v)
    rows: list[list[str]] = []
    for k in sorted(by_layer):
        members = by_layer[k]
        n_rows = math.ceil(len(members) / width)
        per = math.ceil(len(members) / n_rows)  # balanced rows, not one long and one short
        for i in range(0, len(members), per):
            rows.append(members[i:i + per])
    xpos: dict[str, float] = {}

    def place(row):
        m = len(row)
        for i, v in enumerate(row):
            xpos[v] = (i - (m - 1) / 2)

    for row in rows:
        place(row)
    order = {v: i for i, v in enumerate(net.nodes)}
    for sweep in range(4):
        seq = rows[1:] if sweep % 2 == 0 else list(reversed(rows[:-1]))
        downwards = sweep % 2 == 0
        for row in seq:
            def bary(v, downwards=downwards):
                nb = [u for u in (g.predecessors(v) if downwards else g.successors(v)) if u != v]
                return (sum(xpos[u] for u in nb) / len(nb)) if nb else xpos[v]

            row.sort(key=lambda v: (bary(v), order[v]))
            place(row)
    dx, dy = 1.25, 0.95
    pos = {}
    for r, row in enumerate(rows):
        off = 0.5 * (r % 2) if len(row) >= width - 1 else 0.0  # stagger full rows so edges pass between boxes
        for v in row:
            pos[v] = ((xpos[v] + off + width / 2) * dx, (len(rows) - 1 - r) * dy)
    return pos


def draw_network(net: Network, *, highlight=None, ax=None, layout: str = "layered", seed: int = 1,
                 title: str | None = None, readouts: Iterable[str] = (), fixed: Mapping[str, int] | None = None):
    """The signed interaction graph: activations as blue arrows, inhibitions as vermillion
    tee heads, dual (±) edges dashed purple with an open circle.

    Inputs (``X* = X``) are drawn with a dashed border instead of their self-loop.
    With ``highlight`` the intervention's nodes are yellow, its explanation paths
    bold and the feedback loops it cuts are underlaid in orange; the other edges fade.

    Parameters
    ----------
    net : Network
    highlight : optional
        Anything :func:`highlight_nodes` accepts, or its result.
    ax : matplotlib Axes, optional
    layout : {"layered", "spring"}
        See :func:`network_layout`; both are deterministic.
    seed : int
        Seed of the spring layout.
    title : str, optional
    readouts : iterable of str
        Nodes drawn with a bold border (e.g. a phenotype's nodes); also the ends of
        the explanation paths when ``highlight`` is a label.
    fixed : mapping, optional
        Nodes fixed by a condition, labelled ``=0`` / ``=1``.

    Returns
    -------
    matplotlib.figure.Figure
        Each node is a group with the SVG id ``node-<name>``, each edge ``edge-<source>-<target>``.

    Examples
    --------
    >>> fig = draw_network(Network.from_rules("A* = A\\nB* = A and not C\\nC* = B"), highlight="C KO")
    >>> len(fig.axes)
    1
    """
    _mpl()
    from matplotlib.patches import FancyBboxPatch

    from .graph import interaction_graph

    g = interaction_graph(net)
    readouts = [r for r in readouts if r in net.rules]
    hl = None
    if highlight is not None:
        hl = highlight_nodes(net, highlight, readouts=readouts) if not (
            isinstance(highlight, Mapping) and "targets" in highlight) else dict(highlight)
    pos = network_layout(net, layout=layout, seed=seed, graph=g)
    fixed = dict(fixed or {})
    labels = {v: v + (f"={fixed[v]}" if v in fixed else "") for v in net.nodes}
    box_h = 0.26
    targets_pre = set(hl["targets"]) if hl else set()
    box_w = {v: max(0.45, _text_width(labels[v], _SMALL) * (1.12 if v in targets_pre else 1.0) + 0.16)
             for v in net.nodes}
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    pad = 0.6
    x0, x1 = min(xs) - max(box_w.values(), default=0.5) / 2 - pad, max(xs) + max(box_w.values(), default=0.5) / 2 + pad
    y0, y1 = min(ys) - pad, max(ys) + pad
    if ax is None:
        top_m = 1.0
        fig = _new_figure(x1 - x0, y1 - y0 + top_m)
        ax = fig.add_axes((0, 0, 1, (y1 - y0) / (y1 - y0 + top_m)))
    fig = ax.figure
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")

    targets = set(hl["targets"]) if hl else set()
    path_edges = set()
    path_nodes = set()
    loop_edges = set()
    if hl:
        for p in hl["paths"]:
            ns = p["nodes"]
            path_nodes.update(ns)
            path_edges.update(itertools.pairwise(ns))
        for lp in hl["loops_cut"]:
            ns = lp["nodes"]
            loop_edges.update(zip(ns, ns[1:] + ns[:1]))
    inputs = set(net.inputs)

    boxes = {}
    for v in net.nodes:
        x, y = pos[v]
        w = box_w[v]
        face = "#ffffff"
        if v in targets:
            face = OKABE_ITO["yellow"]
        elif v in path_nodes:
            face = "#fbf6c4"
        elif v in fixed:
            face = "#e6e6e6"
        lw = 1.8 if (v in readouts or v in targets) else 0.8
        box = FancyBboxPatch((x - w / 2, y - box_h / 2), w, box_h, boxstyle="round,pad=0,rounding_size=0.06",
                             facecolor=face, edgecolor="#222222", linewidth=lw,
                             linestyle=(0, (3, 1.5)) if v in inputs else "solid", zorder=3)
        box.set_gid(f"node-{v}")
        ax.add_patch(box)
        boxes[v] = box
        ax.text(x, y, labels[v], ha="center", va="center", fontsize=_SMALL, zorder=4,
                fontweight="bold" if v in targets else "normal")

    _draw_edges(ax, net, g, pos, box_w, box_h, path_edges, loop_edges, faded=hl is not None, inputs=inputs)
    n_handles = _network_legend(ax, readouts, hl, loop_edges, fixed)
    if title is None:
        title = f"{net.name or 'network'}: {net.n_nodes} nodes, {g.number_of_edges()} signed edges"
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(4, 12 + 14 * math.ceil(n_handles / 4)),
                textcoords="offset points", ha="left", va="bottom", fontsize=_FONT + 1, fontweight="bold",
                annotation_clip=False)
    return fig


def _draw_edges(ax, net, g, pos, box_w, box_h: float, path_edges, loop_edges, *, faded: bool, inputs) -> None:
    """:func:`draw_network`: the signed edges, from border to border of the boxes (an input's
    self-loop left out); edges off the highlighted paths and loops faded."""
    from matplotlib.patches import FancyArrowPatch

    for u, v, data in sorted(g.edges(data=True), key=lambda e: (net.index(e[0]), net.index(e[1]))):
        if u == v and u in inputs:
            continue
        sign = data["sign"]
        st = SIGN_STYLE[sign]
        on_path = (u, v) in path_edges
        in_loop = (u, v) in loop_edges
        alpha = 1.0 if (not faded or on_path or in_loop) else 0.22
        lw = 2.4 if on_path else (1.3 if in_loop else 0.9)
        if sign == "-":
            style = f"-[,widthB={3.5 + lw},lengthB=0"
        elif sign == "±":
            style = f"-|>,head_length={3 + lw},head_width={1.8 + lw * 0.6}"
        else:
            style = f"-|>,head_length={4 + lw},head_width={2.2 + lw * 0.8}"
        if u == v:
            x, y = pos[u]
            w = box_w[u]
            # a loop over the box's top right corner, leaving upwards and coming back from the right
            conn = "arc3,rad=-1.6"
            a, b = (x + w / 2 - 0.18, y + box_h / 2 + 0.01), (x + w / 2 + 0.02, y + box_h / 2 - 0.08)
        else:
            rad = 0.15 if g.has_edge(v, u) else 0.06
            conn = f"arc3,rad={rad}"
            # end points on the box borders, computed here: clipping by patches is slow
            a = _border_point(pos[u], pos[v], box_w[u] / 2 + 0.02, box_h / 2 + 0.02)
            b = _border_point(pos[v], pos[u], box_w[v] / 2 + 0.03, box_h / 2 + 0.03)
        if in_loop:
            halo = FancyArrowPatch(a, b, arrowstyle="-", connectionstyle=conn, color=OKABE_ITO["orange"],
                                   linewidth=6, alpha=0.55, zorder=1, shrinkA=0, shrinkB=0)
            ax.add_artist(halo)
        arrow = FancyArrowPatch(a, b, arrowstyle=style, connectionstyle=conn, color=st["color"], alpha=alpha,
                                linewidth=lw, linestyle="--" if sign == "±" else "-", zorder=2 if not on_path else 2.5,
                                shrinkA=0, shrinkB=0, mutation_scale=1)
        arrow.set_gid(f"edge-{u}-{v}")
        ax.add_artist(arrow)


def _network_legend(ax, readouts, hl, loop_edges, fixed) -> int:
    """:func:`draw_network`: the legend above the graph; returns its number of entries."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=SIGN_STYLE["+"]["color"], marker=">", markersize=6, lw=1.2,
                      label="activation (+)"),
               Line2D([], [], color=SIGN_STYLE["-"]["color"], marker="|", markersize=9, markeredgewidth=2,
                      lw=1.2, label="inhibition (−)"),
               Line2D([], [], color=SIGN_STYLE["±"]["color"], marker=">", markersize=5, lw=1.2, linestyle="--",
                      label="dual (±)"),
               Line2D([], [], color="#222222", marker="s", markersize=9, markerfacecolor="white", lw=0,
                      label="input (keeps its value)", markeredgewidth=0.8, linestyle="none")]
    if readouts:
        handles.append(Line2D([], [], color="#222222", marker="s", markersize=9, markerfacecolor="white", lw=0,
                              markeredgewidth=2, label="readout"))
    if hl:
        handles += [Line2D([], [], color="#222222", marker="s", markersize=9, lw=0,
                           markerfacecolor=OKABE_ITO["yellow"], label="intervention"),
                    Line2D([], [], color="#444444", lw=2.4, label="explanation path")]
        if loop_edges:
            handles.append(Line2D([], [], color=OKABE_ITO["orange"], lw=6, alpha=0.55,
                                  label=_loops_label(hl)))
    if fixed:
        handles.append(Line2D([], [], color="#222222", marker="s", markersize=9, lw=0, markerfacecolor="#e6e6e6",
                              label="fixed by the condition"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(4, len(handles)),
              frameon=False, fontsize=_FONT, borderaxespad=0.2)
    return len(handles)


# -- writing ----------------------------------------------------------------------


def _format_of(path, allowed: Sequence[str]) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "gv":
        suffix = "dot"
    if suffix not in allowed:
        raise LogicnetError(f"{path}: cannot tell the format from the suffix; use one of "
                            + ", ".join("." + a for a in allowed))
    return suffix


def figure_bytes(fig, fmt: str = "svg", *, dpi: int = 150) -> bytes:
    """A figure as SVG, PNG or PDF bytes, deterministically (no dates, fixed ids).

    Examples
    --------
    >>> fig = draw_network(Network.from_rules("A* = not A"))
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    >>> figure_bytes(fig, "png")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    mpl = _mpl()
    fmt = fmt.lower()
    if fmt not in FIGURE_FORMATS:
        raise LogicnetError(f"unknown figure format {fmt!r}; use one of {', '.join(FIGURE_FORMATS)}")
    metadata: dict[str, Any] = {
        "svg": {"Date": None, "Creator": None, "Format": None, "Type": None},
        "png": {"Software": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    }[fmt]
    buf = io.BytesIO()
    with mpl.rc_context(_rc()):
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=dpi, bbox_inches="tight", pad_inches=0.12,
                    facecolor="white")
    return buf.getvalue()


def write_figure(fig, path: str | os.PathLike, *, dpi: int = 150) -> None:
    """Save a figure as ``.svg``, ``.png`` or ``.pdf`` (by suffix), atomically.

    The file is written to a temporary name and renamed into place, so a failed
    save never leaves half a picture.  The same figure gives the same bytes.

    Raises
    ------
    LogicnetError
        An unknown suffix.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "net.png")
    >>> write_figure(draw_network(Network.from_rules("A* = A\\nB* = not A")), path)
    >>> open(path, "rb").read(4)
    b'\\x89PNG'
    """
    from .io._common import atomic_write_bytes

    fmt = _format_of(path, FIGURE_FORMATS)
    atomic_write_bytes(figure_bytes(fig, fmt, dpi=dpi), path)


def _dot_id(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_attrs(attrs: Mapping[str, Any]) -> str:
    return "[" + ", ".join(f"{k}={_dot_id(v)}" for k, v in attrs.items()) + "]"


def generate_dot(net: Network, highlight=None, *, study=None, readouts: Iterable[str] = ()) -> Iterable[str]:
    """Lines of a Graphviz DOT file for the signed graph (see :func:`write_dot`).

    Examples
    --------
    >>> print("\\n".join(generate_dot(Network.from_rules("A* = A\\nB* = not A"))))
    digraph "network" {
      graph [rankdir="TB", charset="UTF-8"];
      node [shape="box", style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];
      "A" [label="A", input="true"];
      "B" [label="B"];
      "A" -> "A" [sign="+", color="#0072B2", arrowhead="normal", style="solid"];
      "A" -> "B" [sign="-", color="#D55E00", arrowhead="tee", style="solid"];
    }
    """
    from .graph import signed_edges

    hl = highlight_nodes(net, highlight, study=study, readouts=readouts) if highlight is not None else None
    targets = set(hl["targets"]) if hl else set()
    path_edges, loop_edges = set(), set()
    if hl:
        for p in hl["paths"]:
            path_edges.update(zip(p["nodes"], p["nodes"][1:]))
        for lp in hl["loops_cut"]:
            ns = lp["nodes"]
            loop_edges.update(zip(ns, ns[1:] + ns[:1]))
    inputs = set(net.inputs)
    yield f"digraph {_dot_id(net.name or 'network')} {{"
    yield '  graph [rankdir="TB", charset="UTF-8"];'
    yield '  node [shape="box", style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];'
    for v in net.nodes:
        attrs: dict[str, Any] = {"label": v}
        if v in inputs:
            attrs["input"] = "true"
        if v in targets:
            attrs.update({"fillcolor": OKABE_ITO["yellow"], "penwidth": "2.5", "highlight": "intervention"})
        elif v in readouts:
            attrs["penwidth"] = "2"
        desc = net.annotation(v, "description")
        if desc:
            attrs["tooltip"] = desc
        yield f"  {_dot_id(v)} {_dot_attrs(attrs)};"
    for u, v, s in sorted(signed_edges(net), key=lambda e: (net.index(e[0]), net.index(e[1]))):
        st = SIGN_STYLE[s]
        attrs = {"sign": s, "color": st["color"], "arrowhead": st["arrowhead"], "style": st["style"]}
        if (u, v) in path_edges:
            attrs.update({"penwidth": "3", "highlight": "path"})
        elif (u, v) in loop_edges:
            attrs.update({"penwidth": "2", "highlight": "loop cut"})
        yield f"  {_dot_id(u)} -> {_dot_id(v)} {_dot_attrs(attrs)};"
    yield "}"


def write_dot(net: Network, path: str | os.PathLike, highlight=None, *, study=None,
              readouts: Iterable[str] = ()) -> None:
    """Write the signed graph as Graphviz DOT (no pygraphviz needed), atomically.

    Every edge carries ``sign`` (``+``, ``-`` or ``±``), ``color`` and
    ``arrowhead`` (``normal``, ``tee``, ``odot``); inputs carry ``input="true"``.
    With ``highlight`` (see :func:`highlight_nodes`) the intervention's nodes are
    filled yellow and its paths and cut loops are drawn thicker.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "net.dot")
    >>> write_dot(Network.from_rules("A* = not B\\nB* = A"), path, highlight="A KO")
    >>> '"B" -> "A" [sign="-"' in open(path, encoding="utf-8").read()
    True
    """
    from .io._common import atomic_write_lines

    atomic_write_lines(generate_dot(net, highlight, study=study, readouts=readouts), path)


def write_graphml(net: Network, path: str | os.PathLike) -> None:
    """Write the signed graph as GraphML (networkx), atomically.

    Nodes carry ``description``, ``evidence`` and ``input``; edges carry ``sign``
    (a string: ``+``, ``-`` or ``±``), ``color`` and ``arrowhead``, so
    :func:`networkx.read_graphml` gives back the same signed edges.

    Examples
    --------
    >>> import os, tempfile, networkx as nx
    >>> path = os.path.join(tempfile.mkdtemp(), "net.graphml")
    >>> write_graphml(Network.from_rules("A* = not B\\nB* = A"), path)
    >>> nx.read_graphml(path).edges["B", "A"]["sign"]
    '-'
    """
    import networkx as nx

    from .graph import interaction_graph
    from .io._common import atomic_write_bytes

    g = interaction_graph(net)
    out = nx.DiGraph(name=net.name or "network")
    inputs = set(net.inputs)
    for v, data in g.nodes(data=True):
        out.add_node(v, description=str(data.get("description") or ""), evidence=str(data.get("evidence") or ""),
                     input=v in inputs)
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (net.index(e[0]), net.index(e[1]))):
        st = SIGN_STYLE[data["sign"]]
        out.add_edge(u, v, sign=str(data["sign"]), color=st["color"], arrowhead=st["arrowhead"])
    buf = io.BytesIO()
    nx.write_graphml(out, buf, encoding="utf-8", prettyprint=True)
    atomic_write_bytes(buf.getvalue(), path)
