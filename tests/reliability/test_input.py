"""Bounded input: FIFOs and devices refused up front, a size limit per document, any file name."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import SEED
from tests.reliability.conftest import one_error_line, run_cli
from unres.index import Indexer
from unres.index.errors import ConfigError, ParseError
from unres.index.parse.files import document_paths, read_file
from unres.search import Searcher


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="pipe.txt: is not a regular file .a FIFO."):
        read_file(fifo)
    line = one_error_line(run_cli("parse", str(fifo), timeout=60))
    assert "is not a regular file (a FIFO)" in line
    assert list(document_paths(tmp_path)) == []  # below a directory, only regular files are taken


def test_a_device_is_refused(tmp_path):
    with pytest.raises(ParseError, match="/dev/zero: is not a regular file .a character device."):
        read_file("/dev/zero")
    report = Indexer(tmp_path / "index").add("/dev/zero")
    assert [f.problem for f in report.failures] == ["is not a regular file (a character device); give a PDF or text file"]
    assert not (tmp_path / "index").exists()


def test_documents_over_the_size_limit_are_refused(tmp_path, index_copy):
    big = tmp_path / "big.txt"
    big.write_bytes(SEED.read_bytes() + b" " * 2000)
    with pytest.raises(ParseError, match="big.txt: is larger than the 1000 bytes limit per document"):
        read_file(big, max_bytes=1000)
    assert read_file(big) == big.read_bytes()  # the default limit (50 MB) is far above it
    report = Indexer(index_copy, max_document_bytes=1000).add([big])
    assert [f.problem for f in report.failures] == ["is larger than the 1000 bytes limit per document"]
    with pytest.raises(ConfigError, match="document size limit"):
        Indexer(index_copy, max_document_bytes=0).add([big])
    line = one_error_line(run_cli("index", "--index", str(index_copy), "--max-document-mb", "0", str(big)))
    assert "--max-document-mb must be a positive size" in line


def test_a_single_path_is_one_document(index_copy):
    report = Indexer(index_copy).add(str(SEED))
    assert (report.skipped, report.added, report.failures) == (1, 0, ())


def test_a_file_name_that_is_not_utf8(tmp_path, index_copy):
    folder = os.fsencode(tmp_path)
    name = os.path.join(folder, b"r\xe9solution.txt")
    text = SEED.read_text(encoding="utf-8").replace("19 December", "12 September")
    with open(name, "wb") as handle:
        handle.write(text.encode("utf-8"))
    report = Indexer(index_copy).add(os.fsdecode(name))
    assert report.replaced == 1
    with Searcher.open(index_copy) as searcher:
        assert searcher.resolution("A/RES/58/220").source.endswith("r\\xe9solution.txt")
    for args in (("parse", name), ("parse", "--json", name), ("show", "--index", str(index_copy), "A/RES/58/220")):
        result = run_cli(*args)
        assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr


@pytest.mark.model
def test_files_of_one_symbol_resolve_to_the_later_path_every_run(tmp_path):
    early, late = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SEED, early)
    late.write_text(SEED.read_text(encoding="utf-8").replace("19 December", "12 September"), encoding="utf-8")
    first = Indexer(tmp_path / "index").add([late, early])
    second = Indexer(tmp_path / "index").add([early, late])
    warning = f"{early} and {late} both read as A/RES/58/220; keeping {late}, the later path"
    assert first.warnings == second.warnings == (warning,)
    assert (first.added, second.added, second.replaced, second.skipped) == (1, 0, 0, 2)
    with Searcher.open(tmp_path / "index") as searcher:
        assert searcher.resolution("A/RES/58/220").source == str(late)
