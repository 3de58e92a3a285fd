"""Paragraph ids, a public contract: how an id is spelled, and the legacy rules that keep published ids stable.

The grammar, after the resolution's symbol (`A/RES/79/243`, `S/RES/101(1953)`) and `#`:

    {n}            operative paragraph n as printed, or counted where none is printed; 0 is a lead-in before 1
    p{n}           preambular paragraph n, counted (an SC opening clause without a phrase is p0)
    {q}.{n}        where numbering restarts: q is the part letter (A, B …), a short section label (XIX)
    {q}.p{n}         or s{k} for the k-th section headed by a title
    annex{a}.{n}   paragraph n of annex a as printed
    annex{a}.p{j}  the j-th paragraph of annex a printed without a number (or with one printed before)
    …bis, …ter     an id given again (as UN documents mark inserted paragraphs), then …quater, …-5, …-6

Ids never change once published (`tests/index/parse/published_ids.txt`): where a later parse reads a
page better than an earlier one, the legacy rules below keep the earlier ids. Stop 8 is issue 13
(2026-11-29); the commits named are where each rule came in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from .blocks import Block, Run
from .records import KINDS

if TYPE_CHECKING:
    from .assembly import Draft

# The grammar above as a pattern, for `fullmatch` on one id (`p`: preambular, or in an annex without a printed number).
PARAGRAPH_ID = re.compile(
    r"(?P<symbol>[^#\s]+)#(?:annex(?P<annex>\d+)\.|(?P<qualifier>[^#\s]+?)\.)?"
    r"(?P<p>p)?(?P<number>\d+)(?P<repeat>bis|ter|quater|-\d+)?"
)
# A GA section label (`IV.`, `Part II`, `B. Programme budget`); the label qualifies ids where numbering restarts (`#IV.3`).
SECTION_LABEL = re.compile(r"^(?:Part\s+|Section\s+)?([IVXLC]{1,6}|[A-H])\.?(?:\s+(\S.*))?$")
_REPEATS = ("bis", "ter", "quater")


@dataclass(frozen=True)
class Assigned:
    """A paragraph's public id and the number its record carries (None for an unnumbered annex paragraph)."""

    id: str
    number: int | None


def preambular_id(symbol: str, n: int, qualifier: str = "") -> str:
    """`A/RES/78/1#p3`, or `…#XIX.p3` with a qualifier."""
    return f"{symbol}#{_qualified(qualifier)}p{n}"


def operative_id(symbol: str, n: int, qualifier: str = "") -> str:
    """`A/RES/78/1#3`, or `…#B.3` with a qualifier."""
    return f"{symbol}#{_qualified(qualifier)}{n}"


def annex_id(symbol: str, annex: int, n: int) -> str:
    """`A/RES/79/1#annex1.10`: a paragraph printed with its number in an annex."""
    return f"{symbol}#annex{annex}.{n}"


def unnumbered_annex_id(symbol: str, annex: int, j: int) -> str:
    """`A/RES/79/243#annex1.p19`: the j-th annex paragraph without a number of its own."""
    return f"{symbol}#annex{annex}.p{j}"


def part_letter(part: int) -> str:
    """The letter of part `part` (0 is `A`), as composite resolutions print it."""
    return chr(ord("A") + part)


def unique(pid: str, taken: set[str]) -> str:
    """An id not yet taken: `#3` again becomes `#3bis`, then `#3ter`, `#3quater`, then `#3-5` …"""
    if pid not in taken:
        return pid
    for suffix in _REPEATS:
        if f"{pid}{suffix}" not in taken:
            return f"{pid}{suffix}"
    k = 5
    while f"{pid}-{k}" in taken:
        k += 1
    return f"{pid}-{k}"


def _qualified(qualifier: str) -> str:
    return f"{qualifier}." if qualifier else ""


def numbers_restart(numbers: Iterable[int | None]) -> bool:
    """Whether operative numbering starts again at 1 after a paragraph 1 or later: ids then need a qualifier."""
    printed = [n for n in numbers if n is not None]
    return any(b == 1 and a >= 1 for a, b in pairwise(printed))


def ga_qualifier(draft: Draft, by_part: bool, sections: dict[str | None, int]) -> str:
    """What qualifies a GA id where numbering restarts: the part letter where the resolution has parts
    (4a9d3fc), a short section label (`II`), or `s{k}` for the k-th section when its heading is a title
    (2c85c42: two long titles cannot collide)."""
    if by_part:
        return part_letter(draft.part)
    section = draft.section
    if section and len(section) <= 6 and " " not in section:
        return section
    return f"s{sections[section] + 1}"


def ga_ids(symbol: str, drafts: Sequence[Draft]) -> list[Assigned]:
    """The public id of each GA draft, in order (lead-ins already numbered 0).

    Counts run per part and qualifier (`#XIX.p1` is the first preambular paragraph of section XIX); a
    number printed twice keeps it, the repeat takes `bis` (`A/RES/79/281#1bis`, since 3d40761).
    """
    by_part = len({d.part for d in drafts}) > 1
    restarts = by_part or numbers_restart(d.number for d in drafts if d.kind == "operative")
    sections = {section: k for k, section in enumerate(dict.fromkeys(d.section for d in drafts))}
    counts: dict[tuple[str, int, str], int] = {}
    unnumbered: dict[int, int] = {}  # annex → unnumbered paragraphs counted so far
    printed: set[tuple[int, int]] = set()  # (annex, number) already given as `annex{a}.{n}`
    taken: set[str] = set()
    assigned: list[Assigned] = []
    for draft in drafts:
        qualifier = ga_qualifier(draft, by_part, sections) if restarts else ""
        key = (draft.kind, draft.part, qualifier)
        number: int | None
        if draft.kind == "preambular":
            # Legacy (3d40761): an inserted draft does not count, so it takes the id before it with `bis` and
            # keeps the preambular ids after an italic phrase outside the lexicon (`A/RES/78/145#p8bis`
            # `Looking forward`) as published when that paragraph was glued to the one before.
            counts[key] = number = counts.get(key, 0) + (0 if draft.inserted else 1)
            pid = preambular_id(symbol, number, qualifier)
        elif draft.kind == "operative":
            number = draft.number
            if number is None:
                counts[key] = number = counts.get(key, 0) + 1
            pid = operative_id(symbol, number, qualifier)
        else:
            number = draft.number
            # Legacy (stop 8): annex blocks the parse before stop 8 took for paragraphs keep their counts (`RetiredCounts`).
            unnumbered[draft.annex] = unnumbered.get(draft.annex, 0) + draft.retired_before
            if number is not None and (draft.annex, number) not in printed:
                printed.add((draft.annex, number))
                pid = annex_id(symbol, draft.annex, number)
            else:
                unnumbered[draft.annex] = j = unnumbered.get(draft.annex, 0) + 1
                pid = unnumbered_annex_id(symbol, draft.annex, j)
        pid = unique(pid, taken)
        taken.add(pid)
        assigned.append(Assigned(pid, number))
    return assigned


def sc_ids(symbol: str, drafts: Sequence[Draft]) -> list[Assigned]:
    """The public id of each SC draft, in order; unnumbered paragraphs count 1, 2, 3 … per kind.

    Where operative numbering starts again (parts A, B … of an old resolution), every operative id carries
    its part letter (`#B.2`, 4a9d3fc), as GA composite resolutions do; parts that each have their own
    opening count afresh and letter their preambular ids too (`S/RES/161(1961)#B.p2`, aeb8266).
    """
    counts = dict.fromkeys(KINDS, 0)
    numbered: list[tuple[Draft, int, int]] = []
    part, last = 0, 0
    opened = max((d.part for d in drafts), default=0) > 0
    for draft in drafts:
        if draft.part > part:  # a part with an opening of its own counts afresh (aeb8266)
            part, last = draft.part, 0
            counts = dict.fromkeys(KINDS, 0)
        # Legacy: an inserted draft does not count, so it takes the id before it with `bis` (3d40761, 2025175:
        # `S/RES/538(1983)#p6bis` `Responding …`) or, first of all, `#p0` (38f4ea2: `S/RES/9(1946)#p0`
        # `In virtue of …`), keeping the preambular ids after it as published when it was glued on.
        counts[draft.kind] += 0 if draft.inserted else 1
        number = draft.number or counts[draft.kind]
        if draft.kind == "operative":
            if number <= last:
                part += 1
            last = number
        numbered.append((draft, number, part))
    lettered = part > 0
    seen: set[str] = set()
    unnumbered = 0
    assigned: list[Assigned] = []
    for draft, number, in_part in numbered:
        if draft.kind == "preambular":
            pid = unique(preambular_id(symbol, number, part_letter(in_part) if opened else ""), seen)
        elif draft.kind == "operative":
            pid = operative_id(symbol, number, part_letter(in_part) if lettered else "")
        else:
            pid = annex_id(symbol, 1, number)
            if pid in seen:
                unnumbered += 1
                pid = unnumbered_annex_id(symbol, 1, unnumbered)
        seen.add(pid)
        assigned.append(Assigned(pid, number))
    return assigned


def italic_lead(runs: Iterable[Run]) -> bool:
    """Whether the first printed run is italic: a phrase (`Recalling`) or an italic heading leads the block."""
    first = next((r for r in runs if r.text.strip()), None)
    return first is not None and first.italic and not first.marker


def was_heading(block: Block) -> bool:
    """The heading test as it stood before stop 8 (b645487); a block it fails was a paragraph and took an id.

    Legacy (stop 8, 83873f0): retired counts follow this test, not today's: a heading it took for one retires
    nothing, so annex ids published before stop 8 stay (`A/RES/78/128#annex2.p1`, `A/RES/78/327#annex2.p1`).
    """
    text = block.text
    if italic_lead(block.runs) and not SECTION_LABEL.match(text):
        return False
    if block.heading and len(text) < 300:
        return True
    return len(text) < 120 and text[:1].isupper() and not text.endswith((";", ",", ":", "."))


@dataclass
class RetiredCounts:
    """Annex blocks since the last annex paragraph that the parse before stop 8 counted as paragraphs of their
    own and this one does not; the next annex paragraph takes them as `retired_before`, so the ids after stay.

    The GA block loop calls `next_block` before each block and `finish` after the last one.
    """

    pending: int = 0  # retired blocks not yet handed to an annex paragraph
    carried: int = 0  # regained lines of the block before: they precede the paragraph after it
    seen: Draft | None = field(default=None, repr=False)  # the last draft when the block before began

    def next_block(self, drafts: list[Draft]) -> None:
        """Hand what is pending to the annex paragraph the block before opened, then count that block's lines."""
        self.finish(drafts)
        self.pending, self.carried = self.pending + self.carried, 0
        self.seen = drafts[-1] if drafts else None

    def finish(self, drafts: list[Draft]) -> None:
        """Hand what is pending to the annex paragraph the last block opened, if it opened one."""
        if self.pending and drafts and drafts[-1].kind == "annex" and drafts[-1] is not self.seen:
            drafts[-1].retired_before, self.pending = self.pending, 0

    def annex_opened(self) -> None:
        """An annex heading: counts never run from one annex into the next."""
        self.pending = 0

    def regained(self, block: Block) -> None:
        """Legacy (stop 8, f60770f and b645487): the lines of an annex block that the parse before stop 8 read as
        paragraphs of their own keep the ids they took: a bold heading's line bold once its marker is set aside
        (`A/RES/78/128#annex3.p81`), a bullet's line opening with a digit (`2034, especially …` in 79/233's annex)."""
        self.carried = sum(1 for old in block.regained if not was_heading(old))

    def heading(self, block: Block) -> None:
        """Legacy (stop 8, b645487): an italic annex heading that the parse before stop 8 took for a paragraph
        keeps its id taken (`Article 1 Statement of purpose` was `A/RES/79/243#annex1.p18`)."""
        self.pending += not was_heading(block)

    def absorbed(self) -> None:
        """Legacy (stop 8, ab691cf): a clause that goes on after the list its annex paragraph introduced keeps
        the id it took as a paragraph of its own (`A/RES/79/243#annex1.p113`)."""
        self.pending += 1
