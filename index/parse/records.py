"""The structured form of a resolution: frozen records serialized as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
    citations: tuple[str, ...] = ()


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
        return Paragraph(
            **{
                **p,
                "modifiers": tuple(p["modifiers"]),
                "subparagraphs": tuple(SubParagraph(**s) for s in p["subparagraphs"]),
                "footnotes": tuple(Footnote(**f) for f in p["footnotes"]),
                "citations": tuple(p["citations"]),
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
        }
    )
