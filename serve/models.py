"""Pydantic models of the API's JSON: the same shapes as the CLI's `--json` output, documented in /openapi.json."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Footnote(BaseModel):
    """A footnote as printed (`text`) and with `Ibid.` expanded (`resolved`)."""

    marker: str
    text: str
    resolved: str


class SubParagraph(BaseModel):
    label: str
    text: str


class Citation(BaseModel):
    """A document the paragraph cites, and where: in its own text, in a footnote, or both."""

    symbol: str = Field(examples=["A/RES/57/263"])
    via: list[str] = Field(examples=[["footnote"]], description="`text`, `footnote`, or both")
    parts: list[str] = Field(default=[], examples=[["A"]], description="Parts named (`78/242 A`)")


class Section(BaseModel):
    """A section of a composite resolution: the label paragraph ids carry, and its heading."""

    label: str = Field(examples=["XII"])
    heading: str


class Explanation(BaseModel):
    """Why a hit ranks where it does (`unres search --explain`): its rank in each ranking (null: not in
    that ranking's pool), its fused score before boosts and the boosts applied."""

    lexical_rank: int | None
    dense_rank: int | None
    fused: float
    boosts: list[str]


class Hit(BaseModel):
    """One ranked paragraph with its resolution, verb, footnotes and neighbours (`unres search --json` hits)."""

    id: str = Field(examples=["A/RES/58/220#9"])
    rank: int = Field(description="1 for the best hit; 0 for a paragraph looked up by id")
    score: float
    symbol: str = Field(examples=["A/RES/58/220"])
    title: str | None
    adopted: str | None = Field(description="ISO date of adoption")
    session: int | None
    body: str = Field(examples=["GA"])
    number: int | None
    kind: str = Field(examples=["operative"])
    verb: str = Field(examples=["urges"])
    phrase: str = Field(examples=["Urges"])
    text: str
    footnotes: list[Footnote]
    citations: list[Citation]
    previous_id: str | None
    next_id: str | None
    also_in: list[str] = Field(default=[], description="The same text in other resolutions, latest first")
    explain: Explanation | None = Field(default=None, description="null unless an explanation was asked for")
    earlier_versions: int | None = Field(default=None, description="its versions in the item's earlier resolutions (null: the index has no links)")
    later_versions: int | None = Field(default=None, description="its versions in the item's later resolutions")
    cited_by: int | None = Field(default=None, description="paragraphs citing its resolution")
    reference: str = Field(description="how a citation names the paragraph", examples=["General Assembly resolution 58/220, para. 9"])


class Expansion(BaseModel):
    acronym: str = Field(examples=["UNRWA"])
    expansion: str = Field(examples=["United Nations Relief and Works Agency for Palestine Refugees in the Near East"])


class Understood(BaseModel):
    """What the search read in the query: its words without a question wrapper, and the intents that
    boost the ranking (never filter it)."""

    query: str
    text: str = Field(description="the query without its question wrapper (the query itself if nothing else is left)")
    body: str | None = Field(description="GA or SC when the query names the body acting")
    verbs: list[str] = Field(description="index verbs the query asks for (condemned → condemns)")
    years: list[int]
    sessions: list[int]
    expansions: list[Expansion] = Field(description="acronyms spelled out by the index's glossary")
    language: str = Field(
        description="the official language the query is written in (ar, zh, en, fr, ru, es); a query not in English is "
        "matched through the model, and its lexical ranking also reads the best paragraphs the model finds",
        examples=["fr"],
    )
    phrases: list[str] = Field(description='"quoted" phrases: every hit holds each (its words in order, in any form)')
    excluded: list[str] = Field(description="-word or -\"phrase\" exclusions: no hit holds any")
    symbols: list[str] = Field(
        description="resolutions the query names (A/RES/79/171, 79/171, resolution 242, S/RES/242 (1967)): their "
        "paragraphs come first, in document order when the query has nothing else to look for",
    )


class FacetValue(BaseModel):
    value: str | None = Field(examples=["GA"])
    count: int


class Facet(BaseModel):
    name: str = Field(examples=["body"])
    values: list[FacetValue]


class SearchResults(BaseModel):
    """`unres search --json`: the query as given, what was understood of it, and its hits, best first."""

    query: str
    understood: Understood
    hits: list[Hit]
    matched: bool = Field(
        description="false when no paragraph passing the filters holds a word of the query (in English; a query in "
        "another official language is matched by the model): the hits are then only the closest, as grep exits 1",
    )
    suggestion: str | None = Field(
        description="did you mean: the query with each word the index never uses replaced by the closest word it "
        "does use, as the paragraphs print it (null when every word is known); never applied on its own",
        examples=["Palestinian refugees UNRWA"],
    )
    total: int | None = Field(
        description="paragraphs passing the filters that hold every word of the query (the words naming the body, verb "
        "or year it asks for aside; spelling variants alike); null for a query in another language than English",
    )
    facets: list[Facet] = Field(
        description="how the `total` paragraphs divide by body, kind, verb (the 40 most frequent), year (adopted, or an SC "
        "symbol's when the date is lost; null if unknown) and session, each counted with its own filter lifted",
    )
    offset: int = Field(description="the hits start at rank offset + 1")
    sort: str = Field(description="relevance, or date: the paragraphs `total` counts, latest adopted first", examples=["relevance"])


class SimilarResults(BaseModel):
    """`unres similar --json`: the paragraph asked about and the closest others, best first."""

    id: str
    hits: list[Hit]


class Paragraph(BaseModel):
    id: str
    kind: str
    number: int | None
    section: str | None
    phrase: str
    verb: str
    modifiers: list[str]
    text: str
    subparagraphs: list[SubParagraph]
    footnotes: list[Footnote]
    citations: list[Citation]


class Resolution(BaseModel):
    """`unres show SYMBOL --json`: a whole resolution with its structure."""

    symbol: str
    body: str
    session: int | None
    title: str | None
    adopted: str | None
    meeting: str | None
    agenda_items: list[str]
    report: str | None
    source: str = Field(description="the file the resolution was read from, by name")
    sha256: str
    preamble: list[Paragraph]
    operative: list[Paragraph]
    annexes: list[Paragraph]
    footnotes: list[Footnote]
    sections: list[Section] = Field(default=[], description="the headings of its sections, in order")
    heading_symbol: str | None = Field(
        default=None, description="the symbol the document's heading prints, when it conflicts with `symbol` (from the file's name)"
    )


class Stats(BaseModel):
    """`unres stats --json`: documents and paragraphs by body and kind, model, sizes on disk."""

    index: str
    model: str
    dimension: int
    template: str
    backend: str
    resolutions: dict[str, int]
    paragraphs: dict[str, dict[str, int]]
    vectors: int
    bytes_on_disk: dict[str, int] = Field(description="the index's own files (a folder summed, named with a trailing /)")
    years: dict[str, dict[str, int]] = Field(description="resolutions by body, then year adopted (an SC symbol's year when the date is lost)")
    sessions: dict[str, int] = Field(description="GA resolutions by session")
    dates_unknown: dict[str, int] = Field(description="resolutions by body whose text prints no readable adoption date")


class VerbCount(BaseModel):
    verb: str
    paragraphs: int


class Verbs(BaseModel):
    """Every verb of the index with its number of paragraphs, most frequent first (the page's suggestions)."""

    verbs: list[VerbCount]


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Error(BaseModel):
    """Every error: one line, naming the id, parameter or limit at fault."""

    error: str


class Span(BaseModel):
    """A run of the newer text (`equal`, `insert`) or of the older one (`delete`)."""

    op: str = Field(examples=["insert"])
    text: str


class Version(BaseModel):
    """One version of a paragraph: where and when, its text, and the word diff from the version before."""

    id: str
    symbol: str
    title: str | None
    adopted: str | None
    session: int | None
    number: int | None
    verb: str
    text: str
    similarity: float | None = Field(description="word similarity to the previous version; null for the first")
    diff: list[Span] = Field(description="from the previous version's text to this one; empty for the first")


class Related(BaseModel):
    """The same language in a resolution on another item."""

    id: str
    symbol: str
    title: str | None
    adopted: str | None
    similarity: float


class Lineage(BaseModel):
    """`unres lineage --json`: how a paragraph read over the years, by adoption date."""

    id: str
    versions: list[Version]
    first_appeared: str
    last_seen: str
    dropped: bool = Field(description="a later resolution on the item is in the index without this paragraph")
    latest_resolution: str
    new_in_latest: list[str] = Field(description="the latest resolution's paragraphs with no earlier version")
    elsewhere: list[Related]


class Citing(BaseModel):
    """A paragraph citing the resolution; `via` says where: its own text, a footnote, or both."""

    id: str
    text: str
    via: list[str] = Field(examples=[["text"]])


class CitingResolution(BaseModel):
    symbol: str
    title: str | None
    adopted: str | None
    paragraphs: list[Citing]


class ItemLink(BaseModel):
    """Two resolutions the index holds on one item, and how they were paired."""

    earlier: str = Field(examples=["A/RES/78/212"])
    later: str = Field(examples=["A/RES/79/174"])
    how: str = Field(
        examples=["renamed"],
        description="title: the same title, years and ordinals aside; renamed: a similar title and most paragraphs "
        "carried over; cites: a Council resolution citing an earlier one whose language it carries",
    )
    score: float = Field(description="1 for a title; else the share of the shorter one's paragraphs carried over")


class Items(BaseModel):
    """`unres lineage --items --json`: how the index pairs resolutions into items."""

    items: list[ItemLink]


class CitedBy(BaseModel):
    """`unres cites --json`: every paragraph citing a resolution, grouped by citing resolution."""

    symbol: str
    in_index: bool = Field(description="false for a resolution cited but not in the index")
    paragraphs: int
    resolutions: list[CitingResolution]


class TrendPoint(BaseModel):
    """One body in one period: paragraphs matching the query out of all those passing the filters."""

    body: str
    period: int
    matching: int
    paragraphs: int
    share: float


class Trend(BaseModel):
    """`unres trend --json`: matching paragraphs per year (or GA session) and body."""

    query: str
    by: str = Field(examples=["year"])
    verbs: list[str]
    points: list[TrendPoint]
    total: int


class Edge(BaseModel):
    """`source` → `target`: a paragraph citing a document (`cites`), or an earlier paragraph's later version
    (`version`) or near-duplicate on another item (`elsewhere`)."""

    source: str
    target: str
    relation: str
    via: str | None
    weight: float
    target_in_index: bool


class Graph(BaseModel):
    """`unres export-graph --format json`: every citation and lineage edge of the index."""

    edges: list[Edge]
