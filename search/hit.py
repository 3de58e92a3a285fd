"""`Hit`: one ranked paragraph with its resolution, verb and footnote context."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from unres.index.parse.records import Footnote


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
    citations: tuple[str, ...]
    previous_id: str | None
    next_id: str | None
    also_in: tuple[str, ...] = ()  # the same text in other resolutions, latest first (search collapses them)

    def to_dict(self) -> dict:
        return asdict(self)
