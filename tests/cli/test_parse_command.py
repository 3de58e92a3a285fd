"""`unres parse` through typer's CliRunner and, once, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from tests.bad_files import make_bad_files
from tests.conftest import GA, SEED
from unres.cli.app import app

runner = CliRunner()


def test_summary_lists_operative_paragraphs(corpus):
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "A/RES/58/220" in result.stdout and "Economic and technical cooperation" in result.stdout
    assert "adopted 2003-12-23" in result.stdout
    assert "3 preambular, 12 operative" in result.stdout
    assert "urges" in result.stdout and "fn 7" in result.stdout


def test_json_lines_one_object_per_document(corpus):
    result = runner.invoke(app, ["parse", "--json", str(SEED), str(GA / "A_RES_78_192.pdf")])
    assert result.exit_code == 0
    lines = result.stdout.strip().split("\n")
    documents = [json.loads(line) for line in lines]
    assert [d["symbol"] for d in documents] == ["A/RES/58/220", "A/RES/78/192"]
    nine = documents[0]["operative"][8]
    assert nine["id"] == "A/RES/58/220#9" and nine["verb"] == "urges"
    assert nine["footnotes"][0] == {"marker": "7", "text": "A/55/74, annex II.", "resolved": "A/55/74, annex II."}
    assert set(documents[0]) >= {
        "symbol", "body", "session", "title", "adopted", "meeting", "agenda_items", "report",
        "source", "sha256", "preamble", "operative", "annexes", "footnotes",
    }
    assert set(nine) == {
        "id", "kind", "number", "section", "phrase", "verb", "modifiers", "text",
        "subparagraphs", "footnotes", "citations",
    }


def test_bad_files_one_line_each_others_still_printed_exit_1(tmp_path, corpus):
    bad = make_bad_files(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "unres.cli", "parse", "--json", str(bad["encrypted"]), str(SEED), str(bad["garbage"])],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    errors = result.stderr.strip().split("\n")
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert errors[0] == f"unres: {bad['encrypted']}: encrypted PDF (it needs a password; decrypt it first)"
    assert str(bad["garbage"]) in errors[1]
    assert json.loads(result.stdout)["symbol"] == "A/RES/58/220"


def test_parse_does_not_import_torch(corpus):
    code = (
        "import sys; from typer.testing import CliRunner; from unres.cli.app import app; "
        f"CliRunner().invoke(app, ['parse', {str(SEED)!r}]); "
        "print(any(m in sys.modules for m in ('torch', 'sentence_transformers', 'faiss')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False"
