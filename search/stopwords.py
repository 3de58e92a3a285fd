"""The query layer's stop words, one list per purpose. (The BM25 index and its queries use bm25s's
English list: `index/lexical.py`.)"""

from __future__ import annotations

# Function words left out of an FTS5 query and of the words highlighted in hits.
FUNCTION_WORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were where which with "
    "did do does how what when who why".split()
)

# Words that name no topic in a question put to the corpus ("has the UN Security Council ever said
# anything about …"): a query left with only these after its wrapper is stripped is kept whole.
NO_TOPIC = FUNCTION_WORDS | frozenset(
    "whether any there ever resolution resolutions paragraph paragraphs un united nations i me my we you please "
    "about regarding concerning say said says council assembly security general ga sc unga unsc".split()
)
