"""The BM25 lexical index: equal to bm25s on the same tokens, kept in segments that rank as one index built in one
go, committed with the vectors, repaired by `unres check`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from unres.index import Indexer
from unres.index.check import Compaction, check_index
from unres.index.config import DATABASE_FILE
from unres.index.errors import IndexOpenError
from unres.index.lexical import LEXICAL_KEY, Document, LexicalIndex, LexicalRecord, Tokenizer, lexical_path, update
from unres.index.store import Store
from unres.index.variants import joined_variants
from unres.search import Ranking, Searcher

DOCUMENTS = [
    Document(3, "Urges all States to ratify the Convention on the Rights of the Child", "Rights of the child"),
    Document(7, "Requests the Secretary-General to report on the implementation of the present resolution", "Rights of the child"),
    Document(9, "Condemns the attacks against peacekeepers in Mali", "The situation in Mali"),
    Document(12, "Decides to extend the mandate of the mission in Mali until 30 June", "The situation in Mali"),
    Document(20, "Welcomes the ratification of conventions by States", "Oceans and the law of the sea"),
]


def committed(directory) -> tuple[int, LexicalRecord | None]:
    store = Store.open(directory / DATABASE_FILE)
    try:
        return store.generation, LexicalRecord.from_json(store.path, store.meta(LEXICAL_KEY))
    finally:
        store.close()


def test_scores_equal_bm25s_on_the_same_tokens():
    import bm25s

    index = LexicalIndex.build(DOCUMENTS)
    reference = bm25s.BM25(k1=index.bm25["k1"], b=index.bm25["b"])
    built = Tokenizer(index.tokenizer.stopwords, index.tokenizer.stemmer, joined=joined_variants(d.text for d in DOCUMENTS))
    reference.index([built(d.text) for d in DOCUMENTS], show_progress=False)
    for query in ("ratify conventions", "Mali mandate", "the Secretary-General reports"):
        expected = reference.get_scores(index.tokenizer(query))
        ranked = index.rank(query, len(DOCUMENTS))
        by_row = dict(ranked)
        for document, score in zip(DOCUMENTS, expected, strict=True):
            assert by_row.get(document.row, 0.0) == pytest.approx(score, rel=1e-5)
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_stemming_stop_words_and_the_heading_field():
    index = LexicalIndex.build(DOCUMENTS)
    assert {row for row, _ in index.rank("ratified convention", 10)} == {3, 20}  # stems meet
    assert index.rank("of the and", 10) is None  # only stop words: no BM25 answer, the caller falls back
    assert index.rank("zzzz", 10) is None
    assert index.rank("Mali", 10, np.array([3, 7, 20])) == []  # filters apply before ranking
    assert [row for row, _ in index.rank("peacekeepers Mali", 1, np.array([12, 20]))] == [12]
    assert index.rank("oceans", 10) is None  # a heading word, with the heading weighed 0
    assert [row for row, _ in index.rank("oceans", 10, heading_weight=1.0)] == [20]


def test_saved_and_loaded_alike(tmp_path):
    index = LexicalIndex.build(DOCUMENTS)
    record = index.save(tmp_path, 1)
    loaded = LexicalIndex.load(tmp_path, LexicalRecord.from_json(tmp_path, record.to_json()), verify=True)
    for query in ("ratify conventions", "Mali", "oceans child"):
        assert loaded.rank(query, 3, heading_weight=0.5) == index.rank(query, 3, heading_weight=0.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexical.1"]


def test_segments_written_one_write_at_a_time_rank_as_one_index_built_in_one_go(tmp_path):
    """Random adds and removals, each a write: after every one, the committed segments (term frequencies,
    BM25 from the live paragraphs' statistics) rank, count and suggest exactly as a fresh build of the live
    paragraphs; merges keep the segments few."""
    import random

    rng = random.Random(7)
    words = "peace security council states urges Mali rights child convention mission mandate ocean law sea report".split()
    headings = ["Rights of the child", "The situation in Mali", "Oceans and the law of the sea", "Peace", ""]
    live: dict[int, Document] = {}
    record = None
    next_row = 1
    for generation in range(1, 41):
        added = list(range(next_row, next_row + rng.choice([1, 1, 2, 6, 25])))  # rows are never reused (AUTOINCREMENT)
        next_row = added[-1] + 1
        live.update({row: Document(row, " ".join(rng.choices(words, k=rng.randint(0, 14))), rng.choice(headings)) for row in added})
        removed = rng.sample(sorted(set(live) - set(added)), min(len(live) - len(added), rng.choice([0, 0, 1, 4])))
        for row in removed:
            del live[row]
        record = update(tmp_path, generation, record, removed, added, lambda rows: [live[r] for r in (sorted(live) if rows is None else rows)])
        segmented, fresh = LexicalIndex.load(tmp_path, record, verify=True), LexicalIndex.build(live.values())
        assert segmented.live_rows().tolist() == sorted(live) and len(segmented) == len(live)
        subset = np.array(sorted(live)[::3])
        for query, rows, weight in (("peace council", None, 0.0), ("Mali rights child", None, 0.5), ("ocean law", subset, 0.3), ("zzz", None, 0.0)):
            ranked, expected = segmented.rank(query, 30, rows, heading_weight=weight), fresh.rank(query, 30, rows, heading_weight=weight)
            assert (ranked is None) == (expected is None)
            if ranked is not None:
                assert [r for r, _ in ranked] == [r for r, _ in expected]
                assert [s for _, s in ranked] == pytest.approx([s for _, s in expected], rel=1e-9)
        assert sorted(segmented.words()) == sorted(fresh.words()) and segmented.frequency("peac") == fresh.frequency("peac")
    assert 1 < len(record.segments) <= 8 and any(s.deleted for s in record.segments)


def test_a_write_adds_a_segment_of_what_it_adds_and_records_what_it_removes(index_copy, tmp_path):
    from tests.conftest import SC

    generation, record = committed(index_copy)
    assert record is not None and len(record.segments) == 1 and lexical_path(index_copy, generation).is_dir()
    with Searcher.open(index_copy) as searcher:
        before = {h.symbol for h in searcher.search("Iraq Kuwait", k=50, mode="lexical").hits}
    Indexer(index_copy).remove("S/RES/661(1990)")
    removed_generation, removed = committed(index_copy)
    assert removed_generation == generation + 1 and removed.count < record.count
    assert len(removed.segments) == 1 and removed.segments[0].deleted  # a removal writes no segment
    assert sorted(p.name for p in index_copy.glob("lexical.*")) == [f"lexical.{generation}"]
    with Searcher.open(index_copy) as searcher:
        assert "S/RES/661(1990)" not in {h.symbol for h in searcher.search("Iraq Kuwait", k=50, mode="lexical").hits}
        assert {h.symbol for h in searcher.search("Iraq Kuwait", k=50, mode="lexical").hits} <= before
    assert check_index(index_copy).problems == ()
    source = SC / "S_RES_0661_1990_EN_GOLD.txt"
    edited = tmp_path / source.name
    edited.write_text(source.read_text(encoding="utf-8").replace("Iraq", "Zanzibarland"), encoding="utf-8")
    Indexer(index_copy).add(edited)
    added_generation, added = committed(index_copy)
    assert [s.generation for s in added.segments] == [generation, added_generation]
    assert added.segments[-1].count == added.count - removed.count  # the new segment holds the added paragraphs only
    assert sorted(p.name for p in index_copy.glob("lexical.*")) == [f"lexical.{generation}", f"lexical.{added_generation}"]
    with Searcher.open(index_copy) as searcher:
        assert {h.symbol for h in searcher.search("Zanzibarland", k=5, mode="lexical").hits} == {"S/RES/661(1990)"}
        assert searcher.search("Iraq", k=5, mode="lexical", symbols=["S/RES/661(1990)"]).hits == ()
    assert check_index(index_copy).problems == ()


def test_compact_writes_one_segment_of_each_that_ranks_the_same(index_copy, tmp_path):
    from tests.conftest import SC
    from unres.index.integrity import VECTORS_KEY, VectorsRecord

    def vectors_record(directory):
        store = Store.open(directory / DATABASE_FILE)
        try:
            return VectorsRecord.from_json(store.path, store.meta(VECTORS_KEY), store.generation)
        finally:
            store.close()

    Indexer(index_copy).remove("S/RES/661(1990)")
    source = SC / "S_RES_0661_1990_EN_GOLD.txt"
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8").replace("Iraq", "Zanzibarland"), encoding="utf-8")
    Indexer(index_copy).add(tmp_path / source.name)
    generation, record = committed(index_copy)
    assert len(record.segments) == 2 and len(vectors_record(index_copy).segments) == 2
    (index_copy / "config.json").write_text(json.dumps({**json.loads((index_copy / "config.json").read_text()), "template": "{text}"}))
    damaged = check_index(index_copy, compact=True)  # a problem it was not asked to repair: nothing written
    assert damaged.problems and not damaged.healthy and damaged.compacted is None and committed(index_copy)[0] == generation
    check_index(index_copy, repair=True)
    generation, record = committed(index_copy)
    assert len(record.segments) == 1 and len(vectors_record(index_copy).segments) == 1  # a repair compacts too
    with Searcher.open(index_copy) as searcher:
        removed_rows = len(searcher.resolution("S/RES/800(1993)").paragraphs)
    Indexer(index_copy).remove("S/RES/800(1993)")
    queries = ["Zanzibarland sanctions", "the situation between Iraq and Kuwait", "technical cooperation among developing countries"]

    def rankings() -> list[list[tuple[str, float]]]:
        with Searcher.open(index_copy) as searcher:
            return [[(h.id, round(h.score, 6)) for h in searcher.search(q, k=20, mode=mode).hits] for q in queries for mode in ("lexical", "hybrid")]

    before = rankings()
    report = check_index(index_copy, compact=True)
    compacted, record = committed(index_copy)
    assert report.healthy and report.compacted == Compaction(1, 1, removed_rows, compacted)
    vectors = vectors_record(index_copy)
    assert compacted == generation + 2 and [s.generation for s in record.segments] == [compacted] and not record.segments[0].deleted
    assert [s.generation for s in vectors.segments] == [compacted] and not vectors.segments[0].deleted
    assert sorted(p.name for p in index_copy.glob("lexical.*")) == [f"lexical.{compacted}"]
    assert sorted(p.name for p in index_copy.glob("vectors.*")) == [f"vectors.{compacted}.faiss"]
    assert rankings() == before
    assert check_index(index_copy).problems == ()
    result = subprocess.run([sys.executable, "-m", "unres.cli", "check", "--compact", "--index", str(index_copy)], capture_output=True, text=True)
    assert result.returncode == 0 and "compacted: 1 BM25 segment and 1 vectors file, 0 deleted rows among them: already compact" in result.stdout
    assert committed(index_copy)[0] == compacted  # nothing written
    (index_copy / "config.json").write_text(json.dumps({**json.loads((index_copy / "config.json").read_text()), "template": "{text}"}))
    result = subprocess.run([sys.executable, "-m", "unres.cli", "check", "--compact", "--index", str(index_copy)], capture_output=True, text=True)
    assert result.returncode == 1 and "not compacted: repair the problems first" in result.stderr and committed(index_copy)[0] == compacted


def test_filters_apply_before_ranking(searcher):
    hits = searcher.search("States", k=5, mode="lexical", body="SC").hits
    assert hits and all(h.body == "SC" for h in hits)
    hits = searcher.search("calls upon States", k=5, mode="lexical", verbs=["urges"]).hits
    assert hits and all(h.verb == "urges" for h in hits)


def test_a_query_of_stop_words_only_falls_back_to_full_text(searcher):
    for mode in ("lexical", "hybrid"):
        assert searcher.search("which of the", k=5, mode=mode).hits


def test_heading_weight_is_a_ranking_knob(searcher):
    plain = searcher.search("human rights Iraq", k=10, mode="lexical", ranking=Ranking(heading_weight=0.0)).hits
    weighted = searcher.search("human rights Iraq", k=10, mode="lexical", ranking=Ranking(heading_weight=2.0)).hits
    assert plain and weighted
    by_id = {h.id: h.score for h in plain}
    assert any(h.score > by_id.get(h.id, 0.0) + 1e-9 for h in weighted)  # a title holding the words adds to the score
    assert Ranking().heading_weight == 0.1


def test_an_index_made_before_it_uses_fts5_until_repaired(index_copy):
    generation, _ = committed(index_copy)
    with Searcher.open(index_copy) as searcher:
        expected = [h.id for h in searcher.search("Iraq Kuwait", k=5, mode="lexical").hits]
    connection = sqlite3.connect(index_copy / DATABASE_FILE)
    connection.execute("DELETE FROM meta WHERE key = ?", (LEXICAL_KEY,))
    connection.commit()
    connection.close()
    import shutil

    shutil.rmtree(lexical_path(index_copy, generation))
    assert not list(index_copy.glob("lexical.*"))
    with Searcher.open(index_copy) as searcher:  # FTS5: still an answer
        assert searcher.search("Iraq Kuwait", k=5, mode="lexical").hits
    problems = check_index(index_copy).problems
    assert len(problems) == 1 and "no lexical (BM25) index" in problems[0]
    report = check_index(index_copy, repair=True)
    assert report.repairs and check_index(index_copy).problems == ()
    with Searcher.open(index_copy) as searcher:
        assert [h.id for h in searcher.search("Iraq Kuwait", k=5, mode="lexical").hits] == expected


def test_an_index_of_the_earlier_format_uses_fts5_until_its_next_write(index_copy):
    """Before segments, the record named one folder of bm25s scores: it is searched by full text, reported by
    `unres check`, and the next write builds the segments."""
    generation, _ = committed(index_copy)
    connection = sqlite3.connect(index_copy / DATABASE_FILE)
    connection.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps({"files": {}, "count": 1}), LEXICAL_KEY))
    connection.commit()
    connection.close()
    for folder in (lexical_path(index_copy, generation), index_copy / f"lexical.{generation + 1}.tmp"):  # and a killed run's
        folder.mkdir(exist_ok=True)
        (folder / "text.data.npy").write_bytes(b"format 1")
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("Iraq Kuwait", k=5, mode="lexical").hits
    problems = check_index(index_copy).problems
    assert len(problems) == 1 and "earlier format" in problems[0]
    Indexer(index_copy).remove("S/RES/661(1990)")
    new_generation, record = committed(index_copy)
    assert not record.outdated and [s.generation for s in record.segments] == [new_generation]
    assert sorted(p.name for p in index_copy.glob("lexical.*")) == [f"lexical.{new_generation}"]  # format 1's files went too
    assert check_index(index_copy).problems == ()


def test_a_write_builds_a_damaged_lexical_index_again(index_copy):
    _, record = committed(index_copy)
    target = lexical_path(index_copy, record.segments[0].generation) / "text.tf.npy"
    target.write_bytes(target.read_bytes()[:-8])
    Indexer(index_copy).remove("S/RES/661(1990)")
    assert check_index(index_copy).problems == ()
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("South-South cooperation", k=1, mode="lexical").hits[0].symbol == "A/RES/58/220"


@pytest.mark.parametrize("damage", ["truncate", "delete", "garble"])
def test_a_damaged_lexical_file_is_one_line_naming_it_and_the_repair(index_copy, damage):
    _, record = committed(index_copy)
    target = lexical_path(index_copy, record.segments[0].generation) / "text.tf.npy"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:-8])
    elif damage == "delete":
        target.unlink()
    else:
        data = target.read_bytes()
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    if damage == "garble":  # same size: only the checksum of `unres check` sees it
        assert any(str(target) in p for p in check_index(index_copy).problems)
    else:
        with pytest.raises(IndexOpenError, match="unres check --repair") as error:
            Searcher.open(index_copy)
        assert str(target) in str(error.value)
        result = subprocess.run(
            [sys.executable, "-m", "unres.cli", "search", "Kuwait", "--mode", "lexical", "--index", str(index_copy)],
            capture_output=True, text=True,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") == 0 and "unres check --repair" in result.stderr
    check_index(index_copy, repair=True)
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("Kuwait", k=3, mode="lexical").hits


def test_a_killed_write_leaves_the_previous_lexical_index(index_copy, tmp_path, monkeypatch):
    from tests.conftest import SC
    from unres.index import lexical

    generation, record = committed(index_copy)
    save = lexical._save

    def killed(*args):
        save(*args)
        raise KeyboardInterrupt  # after the new segment is written, before the commit names it

    monkeypatch.setattr(lexical, "_save", killed)
    source = SC / "S_RES_0661_1990_EN_GOLD.txt"
    edited = tmp_path / source.name
    edited.write_text(source.read_text(encoding="utf-8").replace("Iraq", "Zanzibarland"), encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        Indexer(index_copy).add(edited)
    assert committed(index_copy) == (generation, record)
    assert sorted(p.name for p in index_copy.glob("lexical.*")) == [f"lexical.{generation}"]
    assert check_index(index_copy).problems == ()


def test_params_record_the_tokenizer(index_copy):
    _, record = committed(index_copy)
    params = json.loads((lexical_path(index_copy, record.segments[0].generation) / "params.json").read_text())
    assert params["stemmer"] == "english" and "the" in params["stopwords"] and params["bm25"] == {"k1": 0.9, "b": 0.4}


def test_spelling_variants_read_the_text_as_their_patterns_do():
    """`_ize` and `_compounds` avoid running a pattern at every character (every write reads the corpus):
    they must find what the plain patterns find."""
    import re

    from unres.index.variants import _COMPOUND, _compounds, _ize

    ize = re.compile(r"(?<=\w{3})(is|IS|ys|YS)(?=(?:e|ed|es|ing|ation|ations|er|ers|E|ED|ES|ING|ATION|ATIONS|ER|ERS)\b)")
    texts = [
        "Recognises the organisation's analyses; ORGANISATION, Organisation, exercise, rise, raised, is, ise.",
        "analyse analysed analysing x_ise 1_2ise aisation émise ÉMISE",
        "cease-fire, a cease‐fire and cease‑fires; Secretary-General's non-self-governing COVID-19-related "
        "abc-def1 _abc-def a-b x_y-z 3-day -dash- trailing- e-mail\nline-break\tcross-border",
        "no compounds here",
        "",
    ]
    for text in texts:
        assert _ize(text) == ize.sub(lambda m: {"is": "iz", "IS": "IZ", "ys": "yz", "YS": "YZ"}[m.group(1)], text)
        assert list(_compounds(text)) == [m.group(0) for m in _COMPOUND.finditer(text)]
