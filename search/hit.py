"""`Hit`: one ranked paragraph with its resolution, verb and footnote context."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from unres.index.parse.records import Footnote


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
    citations: tuple[str, ...]
    previous_id: str | None
    next_id: str | None
    also_in: tuple[str, ...] = ()  # the same text elsewhere among the ranked candidates, latest first (search collapses them)
    explain: Explanation | None = None  # only when asked for

    def to_dict(self) -> dict:
        """The public JSON shape; `explain` is null unless the search was asked to explain."""
        data = asdict(self)
        if self.explain is not None:
            data["explain"]["boosts"] = list(self.explain.boosts)
        return data
