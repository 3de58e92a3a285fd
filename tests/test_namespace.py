"""The install exposes one import package, `unres`, and importing the parser loads no storage stack."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_public_names_import_from_unres(tmp_path):
    result = run(
        "from unres import Searcher, Indexer, Hit, Resolution, Paragraph, Filters, parse_file, UnresError; "
        "import unres; print(sorted(unres.__all__) == unres.__all__ and all(hasattr(unres, n) for n in unres.__all__))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize("name", ["index", "search", "cli", "evaluation"])
def test_no_generic_top_level_package(tmp_path, name):
    result = run(f"import {name}", tmp_path)
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr


def test_parsing_loads_nothing_heavy(tmp_path):
    result = run(
        "import sys; from unres.index.parse import parse_file; from unres import Resolution; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'faiss', 'torch', 'sentence_transformers', 'sqlite3') or m in ('unres.index.store', 'unres.index.builder')))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
