"""Shared paths to the real corpus beside the checkout (`../shared/corpus`), and the real-model index fixtures.

Tests that use an index fixture are marked `model` here, so `pytest -m "not corpus and not model"`
runs everything that needs neither the full corpus nor the embedding model.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("UNRES_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
GA = CORPUS / "ga"
SC = CORPUS / "sc"
SEED = CORPUS / "seed" / "A_RES_58_220.txt"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus; its absence is a broken checkout, so it fails rather than skips."""
    assert GA.is_dir() and SC.is_dir() and SEED.is_file(), f"shared corpus not found at {CORPUS}"
    return CORPUS


MODEL_FIXTURES = frozenset({"built_index", "index_copy", "searcher", "lineage_index", "lineage_searcher"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


SUBSET = [
    SEED,
    GA / "A_RES_78_220.pdf",
    GA / "A_RES_78_192.pdf",
    GA / "A_RES_78_1.pdf",
    SC / "S_RES_0800_1993_EN_GOLD.txt",
    SC / "S_RES_0661_1990_EN_GOLD.txt",
]


def build(tmp_path_factory, name: str, files: list[Path]) -> Path:
    """A new index of real files, embedded with the real model."""
    from unres.index import Indexer

    directory = tmp_path_factory.mktemp(name) / "unres-index"
    report = Indexer(directory).add(files)
    assert report.added == len(files) and not report.failures
    return directory


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, corpus) -> Path:
    """An index of a small real subset, embedded once with the real model; treat it as read-only."""
    return build(tmp_path_factory, "index", SUBSET)


@pytest.fixture
def index_copy(built_index, tmp_path) -> Path:
    """A private copy of the built index for tests that change it."""
    import shutil

    return Path(shutil.copytree(built_index, tmp_path / "unres-index"))


@pytest.fixture(scope="session")
def searcher(built_index):
    from unres.search import Searcher

    with Searcher.open(built_index) as opened:
        yield opened


# Three items renewed from session 78 to 79, read by hand in tests/data/lineage_gold.json:
# universal jurisdiction (edited in place), reoffending (cut down, renumbered), the nuclear weapons
# prohibition treaty (a paragraph inserted, the rest renumbered and edited).
LINEAGE_SUBSET = [
    GA / "A_RES_78_113.pdf",
    GA / "A_RES_79_127.pdf",
    GA / "A_RES_78_224.pdf",
    GA / "A_RES_79_187.pdf",
    GA / "A_RES_78_35.pdf",
    GA / "A_RES_79_38.pdf",
]


@pytest.fixture(scope="session")
def lineage_index(tmp_path_factory, corpus) -> Path:
    """An index of the lineage subset, embedded once with the real model; treat it as read-only."""
    return build(tmp_path_factory, "lineage", LINEAGE_SUBSET)


# Items the title alone does not pair: a renamed item (78/212 "Freedom of religion or belief" → 79/174
# "… and belief"), an act that changed (78/46#32 encourages discussing a group → 79/40#33 decides to
# establish it), and a Council chain (UNIFIL: 425 → 434 → 444 → 450, each recalling the ones before).
ITEMS_SUBSET = [
    GA / "A_RES_78_212.pdf",
    GA / "A_RES_79_174.pdf",
    GA / "A_RES_78_46.pdf",
    GA / "A_RES_79_40.pdf",
    SC / "S_RES_0425_1978_EN_GOLD.txt",
    SC / "S_RES_0434_1978_EN_GOLD.txt",
    SC / "S_RES_0444_1979_EN_GOLD.txt",
    SC / "S_RES_0450_1979_EN_GOLD.txt",
]


@pytest.fixture(scope="session")
def items_searcher(tmp_path_factory, corpus):
    """A searcher over an index of the items subset, embedded once with the real model."""
    from unres.search import Searcher

    with Searcher.open(build(tmp_path_factory, "items", ITEMS_SUBSET)) as opened:
        yield opened


@pytest.fixture(scope="session")
def lineage_searcher(lineage_index):
    from unres.search import Searcher

    with Searcher.open(lineage_index) as opened:
        yield opened


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Counts of read snapshots opened and of queries understood while the test runs."""
    from unres.index.store import Store
    from unres.search import searcher as searcher_module

    counts = {"snapshots": 0, "understood": 0}
    snapshot, understand = Store.snapshot, searcher_module.understand

    def counting_snapshot(self):
        counts["snapshots"] += 1
        return snapshot(self)

    def counting_understand(*args, **kwargs):
        counts["understood"] += 1
        return understand(*args, **kwargs)

    monkeypatch.setattr(Store, "snapshot", counting_snapshot)
    monkeypatch.setattr(searcher_module, "understand", counting_understand)
    return counts
