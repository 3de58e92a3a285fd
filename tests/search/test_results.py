"""What a search's result carries besides its hits: how many paragraphs hold every word and how they
divide (facets), pages of hits, latest first, exports and references, link counts; and filters that
explain themselves. On the real subset index, embedded with the real model."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from unres.index.errors import QueryError
from unres.index.filters import KINDS, Filters
from unres.search.export import export


def _holds_every(text: str, *prefixes: str) -> bool:
    words = re.findall(r"\w+", text.lower().replace("-", ""))  # co-operation holds cooperation (index/variants.py)
    return all(any(w.startswith(p) for w in words) for p in prefixes)


def test_the_total_counts_the_paragraphs_holding_every_word(searcher):
    result = searcher.search("arbitrary detention", k=5, mode="lexical")
    texts = searcher.texts(Filters())
    expected = sum(_holds_every(text, "arbitrar", "detent") for text in texts.values())
    assert result.total == expected > 0
    body = {v.value: v.count for f in result.facets if f.name == "body" for v in f.values}
    assert sum(body.values()) == result.total


def test_each_facet_count_is_what_choosing_that_value_gives(searcher):
    result = searcher.search("cooperation", k=1, kinds=list(KINDS))
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    for year, count in facets["year"].items():
        assert searcher.search("cooperation", k=1, kinds=list(KINDS), adopted_from=year, adopted_to=year).total == count
    for kind, count in facets["kind"].items():
        assert searcher.search("cooperation", k=1, kinds=[kind]).total == count
    verb, count = next(iter(facets["verb"].items()))
    assert searcher.search("cooperation", k=1, kinds=list(KINDS), verbs=[verb]).total == count
    assert set(facets["body"]) <= {"GA", "SC"} and facets["session"]


def test_the_intents_words_are_not_required_of_a_match(searcher):
    """"Security Council condemns" says who and which act; what must be in the paragraph is the rest."""
    asked = searcher.search("has the Security Council ever condemned the invasion", k=3)
    assert asked.understood.body == "SC" and asked.understood.topic == "the invasion"
    assert asked.total == searcher.search("invasion", k=3).total > 0


def test_pages_follow_each_other_without_overlap(searcher):
    first = searcher.search("human rights", k=5)
    second = searcher.search("human rights", k=5, offset=5)
    assert [h.rank for h in second.hits] == [6, 7, 8, 9, 10] and second.offset == 5
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert [h.id for h in searcher.search("human rights", k=10).hits] == [h.id for h in first.hits + second.hits]


def test_sorted_by_date_lists_the_matches_latest_first(searcher):
    result = searcher.search("cooperation", k=200, sort="date", kinds=list(KINDS))
    dates = [h.adopted or "" for h in result.hits]
    assert len(result.hits) == result.total and dates == sorted(dates, reverse=True)
    assert all(_holds_every(h.text, "cooper") for h in result.hits)
    assert result.to_dict()["sort"] == "date"


@pytest.mark.parametrize(("offset", "k"), [(-1, 10), (9_995, 10), (True, 10)])
def test_a_page_beyond_the_last_is_a_query_error(searcher, offset, k):
    with pytest.raises(QueryError, match="offset"):
        searcher.search("x", k=k, offset=offset)


def test_the_verb_filter_takes_any_form_of_the_verb(searcher):
    urges = [h.id for h in searcher.search("human rights", k=5, verbs=["urges"]).hits]
    assert urges and [h.id for h in searcher.search("human rights", k=5, verbs=["urged"]).hits] == urges
    assert [h.id for h in searcher.search("human rights", k=5, verbs=["Urge"]).hits] == urges


@pytest.mark.parametrize(("filters", "message"), [
    ({"body": "SC", "sessions": [78]}, "the Security Council has none"),
    ({"sessions": [12]}, "no resolution of session 12 in the index, which holds sessions"),
    ({"adopted_from": "2040"}, "no resolution of the index was adopted from 2040: it holds"),
    ({"adopted_from": "1990", "adopted_to": "1989"}, "adopted from 1990 is after adopted to 1989"),
])
def test_an_impossible_filter_is_explained_in_one_line(searcher, filters, message):
    with pytest.raises(QueryError, match=message):
        searcher.search("cooperation", k=3, **filters)


def test_verbs_are_suggested_by_kind(searcher):
    operative, preambular = searcher.verbs(["operative"]), searcher.verbs(["preambular"])
    assert "urges" in operative and "urges" not in preambular and "recalling" in preambular and "recalling" not in operative


def test_each_hit_carries_its_reference(searcher):
    assert searcher.paragraph("A/RES/58/220#9").reference == "General Assembly resolution 58/220, para. 9"
    assert searcher.paragraph("S/RES/661(1990)#p1").reference == "Security Council resolution 661 (1990), preambular para. 1"
    assert searcher.paragraph("S/RES/661(1990)#3").to_dict()["reference"] == "Security Council resolution 661 (1990), para. 3"


def test_a_hits_json_is_every_field_nested_records_as_objects(searcher):
    """`to_dict` spells out nested records itself (asdict's deep copies were a fifth of a served answer):
    the same dict as `dataclasses.asdict`, footnotes, citations and an explanation included."""
    from dataclasses import asdict

    result = searcher.search("international cooperation", k=20, explain=True)
    hits = [hit for hit in result.hits if hit.footnotes and hit.citations]
    assert hits, "a hit with footnotes and citations"
    for hit in hits:
        expected = {**asdict(hit), "reference": hit.reference}
        expected["explain"]["boosts"] = list(hit.explain.boosts)
        assert hit.to_dict() == expected
    assert result.to_dict()["facets"] == [{"name": f.name, "values": [asdict(v) for v in f.values]} for f in result.facets]


def test_exports_carry_the_hits_in_order(searcher):
    hits = searcher.search("South-South cooperation", k=4, kinds=list(KINDS)).hits
    rows = list(csv.DictReader(io.StringIO(export(hits, "csv"))))
    assert [r["id"] for r in rows] == [h.id for h in hits] and rows[0]["reference"] == hits[0].reference
    assert rows[0]["url"] == f"https://undocs.org/{hits[0].symbol}" and rows[0]["text"] == hits[0].text
    lines = [json.loads(line) for line in export(hits, "jsonl").splitlines()]
    assert [line["id"] for line in lines] == [h.id for h in hits] and lines[0]["reference"] == hits[0].reference
    ris = export(hits, "ris")
    assert ris.count("TY  - LEGAL") == ris.count("ER  - ") == len(hits) and f"ID  - {hits[0].id}" in ris
    assert [line.split("\t")[0] for line in export(hits, "line").splitlines()] == [h.id for h in hits]
    with pytest.raises(QueryError, match="unknown format"):
        export(hits, "pdf")


def test_spelling_variants_match_as_one(searcher):
    """South-South and SouthSouth, organisations and organizations: the seed prints the first of each."""
    for written in ("southsouth cooperation", "South-South cooperation", "South-south co-operation"):
        assert searcher.search(written, k=1, kinds=list(KINDS)).total == 15, written  # the seed's paragraphs holding both
    phrase = searcher.search('"southsouth cooperation"', k=50, kinds=list(KINDS))
    assert phrase.hits and all("south-south cooperation" in h.text.lower() for h in phrase.hits)
    assert searcher.search("organisations", k=1).total == searcher.search("organizations", k=1).total > 0
    assert searcher.trend("southsouth").total == searcher.trend("South-South").total > 0
    excluded = searcher.search("cooperation -southsouth", k=30, kinds=list(KINDS))
    assert excluded.hits and not any("South-South" in h.text for h in excluded.hits)


def test_a_resolution_without_a_printed_date_is_kept_by_date_filters_and_counted(index_copy, corpus):
    """S/RES/226(1966) prints `of 14 October £964`: its date is unknown, its year the symbol's."""
    from unres.index import Indexer
    from unres.search import Searcher

    Indexer(index_copy).add([corpus / "sc" / "S_RES_0226_1966_EN_GOLD.txt"])
    with Searcher.open(index_copy) as searcher:
        result = searcher.search("mercenaries Angola", k=5, body="SC", adopted_from="1966-06", adopted_to="1966-09")
        assert result.hits and {h.symbol for h in result.hits} == {"S/RES/226(1966)"} and result.hits[0].adopted is None
        assert [(v.value, v.count) for f in result.facets if f.name == "year" for v in f.values] == [("1966", result.total)]
        stats = searcher.stats()
        assert stats.dates_unknown == {"SC": 1} and stats.years["SC"]["1966"] == 1
        assert searcher.trend("mercenaries", body="SC").points[0].period == 1966


def test_hits_count_their_earlier_and_later_versions_and_citations(lineage_searcher):
    versions = [v.id for v in lineage_searcher.lineage("A/RES/79/127#3").versions]
    assert len(versions) == 2 and versions[1] == "A/RES/79/127#3"
    later, earlier = lineage_searcher.paragraph(versions[1]), lineage_searcher.paragraph(versions[0])
    assert (later.earlier_versions, later.later_versions) == (1, 0) and (earlier.earlier_versions, earlier.later_versions) == (0, 1)
    assert earlier.cited_by == lineage_searcher.cited_by("A/RES/78/113").paragraphs > 0
    hit = lineage_searcher.search("universal jurisdiction", k=3, symbols=["A/RES/79/127"]).hits[0]
    assert hit.to_dict()["earlier_versions"] == lineage_searcher.paragraph(hit.id).earlier_versions


def test_similar_shows_each_text_once(lineage_searcher):
    hits = lineage_searcher.similar("A/RES/79/127#3", k=20)
    texts = [" ".join(h.text.casefold().split()) for h in hits]
    assert len(hits) == 20 and len(set(texts)) == len(texts) and [h.rank for h in hits] == list(range(1, 21))


def test_a_phrase_matches_in_either_spelling_of_its_compounds(searcher):
    """The full text keeps a compound's parts in place and its joined form after the text: a phrase with a
    word before the compound still matches, written hyphenated or not."""
    hyphenated = searcher.search('"on South-South cooperation"', k=50, kinds=list(KINDS))
    assert hyphenated.total > 0 and all("on south-south cooperation" in h.text.lower() for h in hyphenated.hits)
    assert searcher.search('"on south south cooperation"', k=1, kinds=list(KINDS)).total == hyphenated.total
    assert searcher.trend('"on South-South cooperation"', kinds=list(KINDS)).total == hyphenated.total


def test_what_the_review_found_stays_fixed(searcher):
    """A session range partly held is a range; a session named in the words is an intent, not a word; a
    query of no word matches nothing; sorting by date keeps to the resolution named; references of
    repeated and unlabelled-section paragraphs read as citations print them."""
    from dataclasses import replace

    assert searcher.search("cooperation", k=3, sessions=[57, 58, 59]).total == searcher.search("cooperation", k=3, sessions=[58]).total > 0
    with pytest.raises(QueryError, match="no resolution of sessions 12-13 in the index, which holds sessions 58, 78"):
        searcher.search("cooperation", k=3, sessions=[12, 13])
    assert searcher.search("human rights 78th session", k=3).total == searcher.search("human rights", k=3).total > 0
    nothing = searcher.search("- -", k=3, sort="date")
    assert (nothing.total, nothing.hits) == (0, ())
    named = searcher.search("resolution 661 Kuwait", k=5, sort="date")
    assert named.hits and {h.symbol for h in named.hits} == {"S/RES/661(1990)"}
    hit = searcher.paragraph("A/RES/58/220#9")
    assert replace(hit, id="A/RES/58/220#p5bis").reference == "General Assembly resolution 58/220, preambular para. 5 bis"
    assert replace(hit, id="A/RES/58/220#s2.11").reference == "General Assembly resolution 58/220, part 2, para. 11"


def test_pages_of_a_hybrid_search_continue_each_other(searcher):
    """Hybrid fuses level by level, so a page deep in the ranking continues the one before it."""
    whole = [" ".join(h.text.split()) for h in searcher.search("rights", k=60, kinds=list(KINDS)).hits]
    paged = [" ".join(h.text.split()) for offset in range(0, 60, 20)
             for h in searcher.search("rights", k=20, offset=offset, kinds=list(KINDS)).hits]
    assert len(whole) == 60 and paged == whole


def test_a_searcher_for_one_search_ranks_as_any_other(built_index, searcher):
    """`open(preload=True)` (a cold `unres search`) searches the default filter through a FAISS bitmap instead
    of a copy of its vectors: the same hits in the same order."""
    from unres.search import Searcher

    with Searcher.open(built_index, preload=True) as once:
        for query in ("South-South cooperation", "arbitrary detention", "a day to celebrate"):
            assert [h.id for h in once.search(query, 10, mode="dense").hits] == [h.id for h in searcher.search(query, 10, mode="dense").hits]
        selection = once._reader.read(lambda snapshot: snapshot.rows(Filters()))
        assert selection._matrix is None and selection._selector is not None
