"""Search results: `Hit`, one ranked paragraph with its resolution, verb and footnote context, and
`SearchResult`, one search's hits with what its query was read as."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from unres.index.links import LinkCounts
from unres.index.parse.citations import Citation
from unres.index.parse.records import Footnote
from unres.index.store import StoredParagraph

from .facets import Facet
from .understand import Understanding

PARTS = "ABCDEFGH"  # the letters of a composite resolution's parts (78/242 A); other qualifiers are sections (I, II, XIII)
_LABEL = re.compile(r"^(?:(?P<part>[^.]+)\.)?(?P<pre>p)?(?P<n>\d+)(?P<repeat>bis|ter|quater|[a-z])?$")


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` for frozen results: nested dataclasses as dicts, tuples of them as tuples, other
    values as they are, without asdict's deep copies (a page of hits in a fifth of the time, for every
    HTTP answer)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if type(value) is tuple and value and hasattr(value[0], "__dataclass_fields__"):
        return tuple(_plain(one) for one in value)
    return value


@dataclass(frozen=True)
class Explanation:
    """Why a hit ranks where it does (`search(..., explain=True)`): its rank in each ranking (None: not in
    that ranking's pool), its fused score before boosts, and the boosts applied (`body SC`, `verb condemns`)."""

    lexical_rank: int | None
    dense_rank: int | None
    fused: float
    boosts: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the terminal."""
        ranks = " · ".join(f"{name} {'#' + str(rank) if rank else '-'}" for name, rank in
                           (("lexical", self.lexical_rank), ("dense", self.dense_rank)))
        boosts = f" · boosts {', '.join(self.boosts)}" if self.boosts else ""
        return f"{ranks} · fused {self.fused:.4f}{boosts}"


@dataclass(frozen=True)
class Hit:
    """A search result; its JSON form (`to_dict`) is the public `--json` shape."""

    id: str
    rank: int
    score: float
    symbol: str
    title: str | None
    adopted: str | None
    session: int | None
    body: str
    number: int | None
    kind: str
    verb: str
    phrase: str
    text: str
    footnotes: tuple[Footnote, ...]
    citations: tuple[Citation, ...]
    previous_id: str | None
    next_id: str | None
    also_in: tuple[str, ...] = ()  # the same text elsewhere among the ranked candidates, latest first (search collapses them)
    explain: Explanation | None = None  # only when asked for
    earlier_versions: int | None = None  # the paragraph in the item's earlier resolutions (None: the index has no links)
    later_versions: int | None = None
    cited_by: int | None = None  # paragraphs citing its resolution

    def counted(self, counts: LinkCounts | None) -> Hit:
        """The hit with its link counts (`Snapshot.link_counts`)."""
        return self if counts is None else replace(self, **asdict(counts))

    @property
    def reference(self) -> str:
        """How a citation names the paragraph: "General Assembly resolution 79/171, para. 5", "Security Council
        resolution 2334 (2016), preambular para. 3", "General Assembly resolution 78/242 B, para. 2", "… annex 1, para. 10"."""
        symbol = self.symbol
        name = (f"Security Council resolution {symbol.removeprefix('S/RES/').replace('(', ' (')}" if self.body == "SC"
                else f"General Assembly resolution {symbol.removeprefix('A/RES/')}")
        label = self.id.partition("#")[2]
        annex = re.match(r"annex(\d+)\.(p?)(\d+)$", label)
        if annex:
            kind = "para." if not annex.group(2) else "unnumbered para."
            return f"{name}, annex {annex.group(1)}, {kind} {annex.group(3)}"
        found = _LABEL.match(label)
        if not found:
            return f"{name}, {label}"
        part, number = found.group("part"), found.group("n") + (f" {found.group('repeat')}" if found.group("repeat") else "")
        unlabelled = re.fullmatch(r"s(\d+)", part or "")  # a section printed without a label: its place (ids.py)
        where = (f" {part}" if part and len(part) == 1 and part in PARTS else f", part {unlabelled[1]}" if unlabelled
                 else f", section {part}" if part else "")
        return f"{name}{where}, {'preambular para.' if found.group('pre') else 'para.'} {number}"

    def to_dict(self) -> dict:
        """The public JSON shape, with the `reference`; `explain` is null unless the search was asked to explain."""
        data = {**_plain(self), "reference": self.reference}
        if self.explain is not None:
            data["explain"]["boosts"] = list(self.explain.boosts)
        return data

    @classmethod
    def of(
        cls, stored: StoredParagraph, rank: int, score: float, explain: Explanation | None = None, also_in: tuple[str, ...] = ()
    ) -> Hit:
        """A stored paragraph as a hit at `rank` (0: looked up by id, not ranked)."""
        p = stored.paragraph
        return cls(
            id=p.id, rank=rank, score=float(score), symbol=stored.symbol, title=stored.title,
            adopted=stored.adopted, session=stored.session, body=stored.body, number=p.number, kind=p.kind,
            verb=p.verb, phrase=p.phrase, text=p.text, footnotes=p.footnotes, citations=p.citations,
            previous_id=stored.previous_id, next_id=stored.next_id, also_in=also_in, explain=explain,
        )


@dataclass(frozen=True)
class SearchResult:
    """One search, answered from one committed state: the query as given, what it was read as, and
    its hits, best first. `to_dict` is the JSON of `unres search --json` and `/search`."""

    query: str
    understood: Understanding
    hits: tuple[Hit, ...]
    terms: tuple[str, ...] = ()  # the query's words a front end highlights in hits (not part of the JSON)
    matched: bool = True  # False: no paragraph holds a word of the query; the hits are only the closest
    suggestion: str | None = None  # the query with the words the index never uses respelled ("did you mean")
    total: int | None = None  # paragraphs passing the filters that hold every word of the query (None: another language)
    facets: tuple[Facet, ...] = ()  # how those divide by body, kind, verb, year and session (facets.py)
    offset: int = 0  # the hits start at rank offset + 1
    sort: str = "relevance"

    def to_dict(self) -> dict:
        return {"query": self.query, "understood": self.understood.to_dict(), "hits": [hit.to_dict() for hit in self.hits],
                "matched": self.matched, "suggestion": self.suggestion, "total": self.total,
                "facets": [{"name": f.name, "values": [_plain(v) for v in f.values]} for f in self.facets], "offset": self.offset, "sort": self.sort}
