"""Word-level comparison of two paragraph texts: a similarity to confirm a version, and a diff to show it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+", re.UNICODE)
_PIECE = re.compile(r"\S+")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation: what the similarity compares."""
    return _WORD.findall(text.lower())


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """Share of words in common, in order (2·matches / total words, 0–1): 1.0 for the same words,
    about 0.9 when "Urges" became "Strongly urges" in a long paragraph. Pairs that cannot reach
    `floor` (by length, then by their bags of words) score 0.0 without the full comparison."""
    left, right = words(a), words(b)
    if not left and not right:
        return 1.0
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    if floor and (matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor):
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class Span:
    """A run of the newer text (`equal`, `insert`) or of the older one (`delete`)."""

    op: str  # "equal" | "insert" | "delete"
    text: str


def diff(old: str, new: str) -> tuple[Span, ...]:
    """Word-level diff from `old` to `new`: spans in reading order, deletions before the insertions replacing them."""
    a, b = _PIECE.findall(old), _PIECE.findall(new)
    spans: list[Span] = []
    matcher = SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans.append(Span("equal", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            spans.append(Span("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            spans.append(Span("insert", " ".join(b[j1:j2])))
    return tuple(spans)
