"""The structured form of a resolution: frozen records serialized as JSON."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace

from .citations import Citation, read_citations

# The paragraph kinds, in the order the CLI's choices and the API's enum list them (a public contract).
KINDS = ("operative", "preambular", "annex")


@dataclass(frozen=True)
class Footnote:
    """A footnote as printed (`text`) and with `Ibid.` expanded (`resolved`)."""

    marker: str
    text: str
    resolved: str


@dataclass(frozen=True)
class SubParagraph:
    """A lettered or numbered sub-paragraph such as `(a)` or `(ii)`."""

    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One preambular, operative or annex paragraph, the unit the engine indexes."""

    id: str
    kind: str  # one of KINDS
    number: int | None
    section: str | None
    phrase: str
    verb: str
    modifiers: tuple[str, ...]
    text: str
    subparagraphs: tuple[SubParagraph, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    citations: tuple[Citation, ...] = ()  # every document cited, in its text or its footnotes


@dataclass(frozen=True)
class Section:
    """A section of a composite resolution: its label, as paragraph ids carry it (`XII`), and its
    heading as printed ("Revised estimates … under section 29A"); the label alone when none is printed."""

    label: str
    heading: str


@dataclass(frozen=True)
class Resolution:
    """A parsed resolution with its metadata and its preambular, operative and annex paragraphs, each
    part in document order (a section's own preamble stays with the preamble)."""

    symbol: str
    body: str  # "GA" | "SC"
    session: int | None
    title: str | None
    adopted: str | None
    meeting: str | None
    agenda_items: tuple[str, ...]
    report: str | None
    source: str
    sha256: str
    preamble: tuple[Paragraph, ...] = ()
    operative: tuple[Paragraph, ...] = ()
    annexes: tuple[Paragraph, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    sections: tuple[Section, ...] = ()  # the headings of the sections its paragraphs sit in, in order
    # The symbol the document's own heading prints, when it conflicts with `symbol` (taken from the
    # file's name because another file holds the heading's resolution); None when they agree.
    heading_symbol: str | None = None
    # What the parser kept as printed but found suspicious; not part of the JSON shape.
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph: preamble, operative part, then annexes."""
        return self.preamble + self.operative + self.annexes

    def to_dict(self) -> dict:
        """The JSON shape of `unres parse --json` (a public contract; `warnings` stay out of it)."""
        data = asdict(self)
        del data["warnings"]
        return data


def resolution_from_dict(data: dict) -> Resolution:
    """Rebuild a `Resolution` from its JSON shape (the inverse of `Resolution.to_dict`)."""

    def paragraph(p: dict) -> Paragraph:
        footnotes = tuple(Footnote(**f) for f in p["footnotes"])
        return Paragraph(
            **{
                **p,
                "modifiers": tuple(p["modifiers"]),
                "subparagraphs": tuple(SubParagraph(**s) for s in p["subparagraphs"]),
                "footnotes": footnotes,
                "citations": citations_from_json(p["citations"], p["id"], p["text"], footnotes),
            }
        )

    return Resolution(
        **{
            **data,
            "agenda_items": tuple(data["agenda_items"]),
            "preamble": tuple(map(paragraph, data["preamble"])),
            "operative": tuple(map(paragraph, data["operative"])),
            "annexes": tuple(map(paragraph, data["annexes"])),
            "footnotes": tuple(Footnote(**f) for f in data["footnotes"]),
            "sections": tuple(Section(**s) for s in data.get("sections", ())),
        }
    )


def citations_from_json(stored: list | dict, paragraph_id: str, text: str, footnotes: tuple[Footnote, ...]) -> tuple[Citation, ...]:
    """A paragraph's citations from their JSON: a list of `{"symbol", "via", "parts"}` (the public shape)
    or the index's `{"cited": [...]}`. Lists written before citations carried `via` hold bare symbols,
    or none where only footnotes cited: those are read again from the text and footnotes."""
    entries = stored["cited"] if isinstance(stored, dict) else stored
    if isinstance(stored, list) and (not entries or any(isinstance(entry, str) for entry in entries)):
        return paragraph_citations(paragraph_id, text, footnotes)
    return tuple(Citation(e["symbol"], tuple(e["via"]), tuple(e.get("parts", ()))) for e in entries)


def paragraph_citations(paragraph_id: str, text: str, footnotes: tuple[Footnote, ...]) -> tuple[Citation, ...]:
    """What a paragraph cites in its text and footnotes, its own resolution aside."""
    own = paragraph_id.partition("#")[0]
    return tuple(c for c in read_citations(text, [note.resolved for note in footnotes]) if c.symbol != own)


_NAMED = (  # the UN's own file names: A_RES_78_220.pdf, S_RES_0542_1983_EN_GOLD.txt
    (re.compile(r"^A_RES_(\d{1,3})_(\d{1,4})(?![\d])", re.IGNORECASE), lambda m: f"A/RES/{int(m[1])}/{int(m[2])}"),
    (re.compile(r"^S_RES_(\d{1,5})_((?:19|20)\d\d)(?!\d)", re.IGNORECASE), lambda m: f"S/RES/{int(m[1])}({m[2]})"),
)


def named_symbol(name: str) -> str | None:
    """The symbol a file's name gives when it follows the UN's naming (`S_RES_0542_1983_EN_GOLD.txt`)."""
    for pattern, symbol in _NAMED:
        if match := pattern.match(name):
            return symbol(match)
    return None


def renamed(resolution: Resolution, symbol: str) -> Resolution:
    """The resolution under another symbol (its paragraph ids with it), the printed one kept as `heading_symbol`."""

    def moved(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
        return tuple(replace(p, id=f"{symbol}#{p.id.partition('#')[2]}") for p in paragraphs)

    return replace(
        resolution,
        symbol=symbol,
        heading_symbol=resolution.symbol,
        preamble=moved(resolution.preamble),
        operative=moved(resolution.operative),
        annexes=moved(resolution.annexes),
    )
