"""`Searcher.verbs()`: every verb of the index with its paragraph count, for suggestions."""

from __future__ import annotations

from unres.index.filters import KINDS, Filters


def test_verb_counts_match_the_paragraphs_that_have_each_verb(searcher):
    verbs = searcher.verbs()
    assert list(verbs.values()) == sorted(verbs.values(), reverse=True)
    assert {"decides", "urges", "recalling"} <= set(verbs) and "" not in verbs
    for verb in ("decides", "urges", "recalling"):
        assert verbs[verb] == len(searcher.texts(Filters(kinds=KINDS, verbs=(verb,))))
