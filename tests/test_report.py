"""`logicnet report`: one self-contained HTML page, checked as text and in a headless browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")

from logicnet.cli import main
from logicnet.networks import bundled_path

from logicnet.attractors import find_attractors
from logicnet.io.study import read_study
from logicnet.screening import screen

from .corpus import MODELS

IGF = "networks/igf_axis.toml"
HCC = ["--context", "HCC", "--drug", "lenvatinib"]
P53 = MODELS / "bbm184_p53_mdm2_network.bnet"


class _Tags(HTMLParser):
    """Counts tags and collects the embedded JSON and any external references."""

    def __init__(self):
        super().__init__()
        self.count: dict[str, int] = {}
        self.external: list[str] = []
        self.json = None
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1
        a = dict(attrs)
        for key in ("src", "href", "xlink:href"):
            v = a.get(key) or ""
            if v and not v.startswith(("#", "data:")):  # in-page anchors and inline data are fine
                self.external.append(f"{tag} {key}={v}")
        if tag == "link":
            self.external.append("link")
        if tag == "script" and a.get("type") == "application/json" and a.get("id") == "logicnet-data":
            self._in_data = True

    def handle_data(self, data):
        if self._in_data:
            self.json = json.loads(data)
            self._in_data = False

    def handle_endtag(self, tag):
        self._in_data = False


@pytest.fixture(scope="module")
def igf_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = CliRunner().invoke(main, ["report", IGF, *HCC, "--max-order", "1", "--jobs", "1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def _parse(path):
    p = _Tags()
    p.feed(Path(path).read_text(encoding="utf-8"))
    return p


def test_report_is_one_self_contained_file(igf_report):
    text = igf_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    p = _parse(igf_report)
    assert p.count.get("svg") == 3  # heatmap, screen chart, network
    assert p.count.get("table", 0) >= 5  # condition, phenotypes, screen, validation (+ phenotype expressions)
    assert p.external == []  # no CDN, no linked file, no image to fetch
    assert "@import" not in text and "<link" not in text
    assert [s for s in re.findall(r"<script[^>]*>", text) if "src=" in s] == []
    for section in ("condition", "attractors", "phenotypes", "screen", "validation", "network"):
        assert f'<section id="{section}">' in text
    # ids are unique although three matplotlib figures sit in one page
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    # written atomically: no temporary file left beside it
    assert [f.name for f in igf_report.parent.iterdir()] == ["report.html"]


def test_report_data_matches_the_commands(igf_report):
    data = _parse(igf_report).json
    study = read_study(bundled_path("igf_axis.toml"))
    cond = study.condition(context="HCC", drugs=["lenvatinib"])
    aset = find_attractors(study.network, fix=cond.fix)
    assert data["attractors"] == json.loads(json.dumps(aset.to_dict(cond.phenotypes)))
    assert data["condition"]["label"] == "context HCC + lenvatinib"
    assert data["condition"]["fix"]["VEGFR"] == 0
    res = screen(study, context="HCC", drugs=["lenvatinib"], max_order=1, top=20)
    assert [(h["label"], h["score"], h["complete"]) for h in data["screen"]["results"]] == \
        [(h.label, h.score, h.complete) for h in res.results]
    assert data["screen"]["results"][0]["label"] == "FAK KO"
    checks = data["validation"]
    assert len(checks) == len(study.findings)
    assert all(c["asynchronous"]["passed"] and c["synchronous"]["passed"] for c in checks)


def test_report_on_a_shared_model_with_extra_fix(tmp_path):
    if not P53.is_file():
        pytest.skip(f"{P53} is not present (../shared/models)")
    (tmp_path / "p53.toml").write_text(f'''
[study]
name = "p53-Mdm2"
network = "{P53.as_posix()}"
[phenotypes]
sensitive = "v_p53_b1 and v_p53_b2"
[drugs.nutlin]
inhibits = ["v_Mdm2nuc"]
[contexts.damage]
fix = {{ v_DNAdam = 1 }}
[[findings]]
id = "N1"
title = "nutlin keeps p53 on"
context = "damage"
drugs = ["nutlin"]
expect = "sensitive"
''')
    out = tmp_path / "p53.html"
    r = CliRunner().invoke(main, ["report", str(tmp_path / "p53.toml"), "--context", "damage", "--fix",
                                  "v_Mdm2cyt_b1=1", "--update", "async", "--jobs", "1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    p = _parse(out)
    assert p.count.get("svg") == 3 and p.external == []
    assert p.json["condition"]["fix"] == {"v_DNAdam": 1, "v_Mdm2cyt_b1": 1}
    assert p.json["attractors"]["update"] == "asynchronous"
    assert [c["id"] for c in p.json["validation"]] == ["N1"]
    bad = tmp_path / "p53.txt"
    assert CliRunner().invoke(main, ["report", str(tmp_path / "p53.toml"), "-o", str(bad)]).exit_code == 2


def _chromium():
    for cand in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def test_report_opens_in_a_headless_browser(igf_report, tmp_path):
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (.ci/run installs it: apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    base = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=1"]
    url = igf_report.resolve().as_uri()
    shot = tmp_path / "report.png"
    r1 = subprocess.run(base + [f"--screenshot={shot}", "--window-size=1400,3000", url],
                        capture_output=True, text=True, timeout=120, check=False)
    r2 = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True, timeout=120, check=False)
    console = [line for r in (r1, r2) for line in r.stderr.splitlines()
               if "CONSOLE" in line and ("error" in line.lower() or "Uncaught" in line)]
    assert console == [], "\n".join(console)
    dom = r2.stdout
    assert dom.count("<svg") == 3
    assert dom.count("<table") >= 5
    assert "FAK KO" in dom and re.search(r"(\d+)/\1 findings, (\d+)/\2 checks hold", dom)
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_report_with_a_control_section(tmp_path):
    """``--control 3``: the five single knockouts of the control acceptance (aeon = BoNesis
    = the screen), each holding under the three schemes, drawn and embedded."""
    out = tmp_path / "control.html"
    r = CliRunner().invoke(main, ["-q", "report", IGF, *HCC, "--max-order", "1", "--jobs", "1", "--no-validation",
                                  "--control", "3", "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    p = _parse(out)
    assert p.count.get("svg") == 4 and '<section id="control">' in text and 'href="#control"' in text
    data = p.json["control"]
    assert sorted(s["label"] for s in data["sets"]) == ["FAK KO", "HIF1A KO", "Hypoxia KO", "IGFBP1 KO", "ITGA5B1 KO"]
    assert data["complete"] and data["counts"] == {"1": 5, "2": 0, "3": 0}
    assert all(set(s["verdicts"].values()) == {True} for s in data["sets"])
    assert 'id="control-bar-1-3"' in text or "control-bar-1-3" in text
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
