"""`unres lineage/cites/show/export-graph/trend` through typer's CliRunner on the real lineage index."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from unres.cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_lineage_shows_the_78th_session_version_with_the_diff(lineage_index):
    result = run("lineage", "A/RES/79/127#3", "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    assert "A/RES/78/113#3" in result.stdout and "2023-12-07" in result.stdout
    assert "first appeared in A/RES/78/113#3; last seen in A/RES/79/127#3" in result.stdout


def test_lineage_json_spans(lineage_index):
    result = run("lineage", "A/RES/79/38#13", "--index", str(lineage_index), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [v["id"] for v in data["versions"]] == ["A/RES/78/35#12", "A/RES/79/38#13"]
    assert {"op": "insert", "text": "and its norms and underlying rationale"} in data["versions"][1]["diff"]


def test_lineage_items_lists_the_pairs_and_why(lineage_index):
    result = run("lineage", "--items", "A/RES/79/127", "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    assert result.stdout == "A/RES/78/113 → A/RES/79/127  same title\n"
    every = json.loads(run("lineage", "--items", "--index", str(lineage_index), "--json").stdout)["items"]
    assert len(every) == 3 and {"earlier": "A/RES/78/113", "later": "A/RES/79/127", "how": "title", "score": 1.0} in every
    missing = run("lineage", "--index", str(lineage_index))
    assert missing.exit_code == 2 and "give a paragraph id (or --items)" in missing.output


def test_paragraph_without_lineage_says_so_and_exits_0(lineage_index):
    result = run("lineage", "A/RES/79/187#1", "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    assert "A/RES/79/187#1: no lineage" in result.stdout


def test_unknown_id_or_symbol_is_one_line_and_exit_1(lineage_index):
    for args in (("lineage", "A/RES/79/127#77"), ("cites", "A/RES/1/2")):
        result = run(*args, "--index", str(lineage_index))
        assert result.exit_code == 1
        assert result.stderr.startswith("unres: ") and result.stderr.count("\n") == 1


def test_cites_groups_by_resolution_and_marks_footnotes_and_unindexed(lineage_index):
    result = run("cites", "A/RES/45/110", "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    assert "A/RES/45/110 (not in the index): cited by" in result.stdout
    assert "[footnote]" in result.stdout and "A/RES/78/224" in result.stdout and "A/RES/79/187" in result.stdout
    data = json.loads(run("cites", "78/113", "--index", str(lineage_index), "--json").stdout)
    assert data["symbol"] == "A/RES/78/113" and data["in_index"] is True
    assert [r["symbol"] for r in data["resolutions"]] == ["A/RES/79/127"]


def test_show_counts_citing_paragraphs(lineage_index):
    result = run("show", "A/RES/78/35", "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    cited = json.loads(run("cites", "A/RES/78/35", "--index", str(lineage_index), "--json").stdout)
    n, m = cited["paragraphs"], len(cited["resolutions"])
    expected = f"cited by {n} paragraph{'s' * (n != 1)} in {m} resolution{'s' * (m != 1)}"
    assert expected in result.stdout and cited["paragraphs"] >= 1


def test_export_graph_graphml_and_csv(lineage_index, tmp_path):
    out = tmp_path / "graph.graphml"
    result = run("export-graph", "--format", "graphml", "--out", str(out), "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = root.findall(".//g:edge", ns)
    pairs = {(e.get("source"), e.get("target")) for e in edges}
    assert ("A/RES/78/35#11", "A/RES/79/38#12") in pairs
    assert any(source.startswith("A/RES/79/127#") and target == "A/RES/78/113" for source, target in pairs)
    table = list(csv.DictReader(io.StringIO(run("export-graph", "--format", "csv", "--index", str(lineage_index)).stdout)))
    assert len(table) == len(edges)
    assert {"version", "cites"} <= {row["relation"] for row in table}
    assert any(row["relation"] == "cites" and row["via"] == "footnote" for row in table)


def test_trend_table_and_plot(lineage_index, tmp_path):
    out = tmp_path / "trend.png"
    result = run("trend", "Treaty", "--verb", "welcomes", "--plot", str(out), "--index", str(lineage_index))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads(run("trend", "Treaty", "--verb", "welcomes", "--by", "session", "--json",
                          "--index", str(lineage_index)).stdout)
    assert {p["period"] for p in data["points"]} == {78, 79} and data["verbs"] == ["welcomes"]
    assert all(0 < p["matching"] <= p["paragraphs"] for p in data["points"])


def test_plot_without_matplotlib_names_the_extra(lineage_index, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("trend", "Treaty", "--plot", str(tmp_path / "t.png"), "--index", str(lineage_index))
    assert result.exit_code == 1
    assert "pip install 'unres[plot]'" in result.stderr
