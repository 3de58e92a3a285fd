"""Build a General Assembly `Resolution` from body blocks, whichever reader produced them.

The structure of a GA resolution: front matter (session, agenda items, adoption date, report,
number and title), `The General Assembly,`, preambular paragraphs led by an italic participle,
numbered operative paragraphs led by an italic verb, sub-paragraphs `(a)`, section headings,
the closing `Nth plenary meeting` line and, after it, annexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParseError
from .assembly import MONTHS, SUB, Draft, adoption_date, paragraph, partition
from .blocks import ROW, Block, Layout, Run, normalize_space
from .footnotes import by_marker, resolve_footnotes
from .ids import SECTION_LABEL, RetiredCounts, ga_ids, italic_lead, was_heading
from .records import Footnote, Paragraph, Resolution, Section, SubParagraph
from .verbs import MODIFIERS, Phrase, completed, is_operative, leading_phrase, split_phrase

_OPENING = re.compile(r"^The General\s+Assembly\b")
_CLOSING = re.compile(r"^([0-9]+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting)\b\s*(.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^([0-9]+)\.(?:\s+|$|(?=[^\d\s]))")
_BARE_NUMBER = re.compile(r"^([0-9]{1,4})\s+(?=[A-Z])")
_ANNEX = re.compile(r"^Annex(?:\s+([IVXLC]+|\d+))?\b")
_TITLE = re.compile(r"^([0-9]{1,3})/([0-9]{1,4})(?:\s?([A-Z]))?\.\s+(.+)$")
_DATE = re.compile(rf"\b([0-9]{{1,2}}\s+(?:{MONTHS})\s+[0-9]+)\b")  # the year whole: `20030` is no year
_SPACED = re.compile(r"^\s*((?:[A-Za-z] ){3,}[A-Za-z])\b")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def build_ga(layout: Layout, source: Path, sha256: str) -> Resolution:
    """Turn a GA reader's blocks into a `Resolution`; raise `ParseError` if they are not one."""
    blocks = layout.blocks
    start = next((i for i, b in enumerate(blocks) if _OPENING.match(b.text)), None)
    if start is None:
        # A few official texts omit the opening line: the body then starts after the title.
        start = next((i + 1 for i, b in enumerate(blocks) if _TITLE.match(b.text)), None)
    if start is None:
        raise ParseError(source, "not a General Assembly resolution (no 'The General Assembly' line or '78/220. Title')")
    meta = _front_matter(blocks[:start])
    if meta["symbol"] is None:
        raise ParseError(source, "no resolution number and title (such as '78/220. Title') before 'The General Assembly'")
    warnings: list[str] = []

    def warn(problem: str) -> None:
        warnings.append(f"{source}: {problem}")

    drafts, meeting, closing_date = _paragraphs(blocks[start:], warn)
    adopted = adoption_date(filter(None, (meta["adopted"], closing_date)), warn)
    footnotes = resolve_footnotes(list(layout.footnotes))
    symbol = meta["symbol"]
    paragraphs = _finalize(symbol, drafts, footnotes)
    return Resolution(
        sections=_sections(blocks[start:], [p.section for p in paragraphs]),
        symbol=symbol,
        body="GA",
        session=meta["session"],
        title=meta["title"],
        adopted=adopted,
        meeting=meeting,
        agenda_items=meta["agenda_items"],
        report=meta["report"],
        source=str(source),
        sha256=sha256,
        footnotes=footnotes,
        warnings=tuple(warnings),
        **partition(paragraphs),
    )


def _front_matter(blocks: tuple[Block, ...]) -> dict:
    """Session, agenda items, adoption date, report symbol, number and title from the page head; a
    title the page sets over bold blocks of its own goes on up to the body."""
    lines = [b.text for b in blocks]
    text = "\n".join(lines)
    meta: dict = {"symbol": None, "session": None, "title": None, "adopted": None, "agenda_items": (), "report": None}
    for k, line in enumerate(lines):
        if match := _TITLE.match(line):
            meta["symbol"] = f"A/RES/{match[1]}/{match[2]}{match[3] or ''}"
            meta["session"] = int(match[1])
            rest = blocks[k + 1 :]
            meta["title"] = " ".join([match[4].strip(), *(b.text for b in rest)]) if all(b.heading for b in rest) else match[4].strip()
    if meta["symbol"] is None and (match := re.search(r"\bA/RES/([0-9]{1,3})/([0-9]{1,4})\b", text)):
        # Some official texts print the title without its number; the page head still gives the symbol,
        # and the title is then the line just before the body.
        meta["symbol"] = f"A/RES/{match[1]}/{match[2]}"
        meta["session"] = int(match[1])
        meta["title"] = lines[-1] if lines and not lines[-1].startswith("[") else None
    if match := re.search(r"Agenda items?\s+(.+)", text):
        items = re.split(r",\s*|\s+and\s+", match[1].strip())
        meta["agenda_items"] = tuple(i.strip() for i in items if i.strip())
    if match := re.search(r"adopted by the General Assembly\s+on\s+" + _DATE.pattern, text):
        meta["adopted"] = match[1]  # as printed: `build_ga` reads it
    if match := re.search(r"on the reports? of the .*?\((A/[^\s,;)]+(?:\s*and\s*Corr\.\d)?)", text, re.DOTALL):
        meta["report"] = match[1].strip()
    return meta


@dataclass
class _Numbering:
    """The operative numbering of one part (each `The General Assembly,` opens a part)."""

    part: int = 0
    operatives: int = 0  # operative drafts in this part
    last_number: int = 0  # last operative number in this part
    last_section: str | None = None  # the section of that paragraph
    numbered_sections: set[str | None] = field(default_factory=set)  # sections of this part with numbered paragraphs


def _paragraphs(blocks: tuple[Block, ...], warn: Callable[[str], None]) -> tuple[list[Draft], str | None, str | None]:
    """Walk the blocks after the first `The General Assembly` and collect paragraph drafts.

    Linear in the number of blocks: what later blocks ask of earlier ones (the last operative
    number of the part, whether a section has numbered paragraphs) is kept as running state.
    """
    drafts: list[Draft] = []
    meeting: str | None = None
    closing_date: str | None = None  # as printed (`23 December 2003`)
    state = "body"
    numbering = _Numbering()
    section: str | None = None
    annex = 0
    retired = RetiredCounts()
    after_item = False  # the block before was an item of a list that a paragraph introduced
    for block in blocks:
        retired.next_block(drafts)
        text = block.text
        if not text.strip("* "):  # nothing, or a centred `* * *` between groups of paragraphs
            continue
        if _OPENING.match(text) and len(text) < 40:
            numbering = _Numbering(numbering.part + 1 if state != "body" or drafts else numbering.part)
            state, section = "body", None
            continue
        if (match := _CLOSING.match(text)) and len(text) < 80:
            meeting = meeting or normalize_space(match[1])
            if date := _DATE.search(match[2]):
                closing_date = closing_date or date[1]
            state = "closed"
            continue
        if state == "closed" and (date := _DATE.fullmatch(text)):
            closing_date = closing_date or date[1]
            continue
        if state != "body" and (match := _ANNEX.match(text)) and (block.heading or len(text) < 120):
            annex = _annex_number(match[1], annex)
            state, section = "annex", None
            retired.annex_opened()
            continue
        if state == "closed":
            continue
        previous = drafts[-1] if drafts else None
        part, last_number = numbering.part, numbering.last_number
        in_annex = state == "annex"
        if in_annex:
            retired.regained(block)
        item_before, after_item = after_item, False
        if block.table:
            # A table belongs to the paragraph that introduces it; one that opens an annex is its own.
            if previous is None or previous.annex != (annex if in_annex else 0):
                drafts.append(Draft("annex" if in_annex else "operative", None, None, list(block.runs), section, part, annex if in_annex else 0))
            else:
                previous.runs.extend([Run(ROW), *block.runs])
            continue
        if SUB.match(text) and previous is not None and previous.annex == (annex if in_annex else 0):
            previous.add(block.runs, _sub(block))
            continue
        number = _number(block, last_number + 1 if not in_annex else None)
        if number is not None:
            if not in_annex and previous is not None and last_number and number != last_number + 1:
                if _nested(number, previous):
                    previous.add(block.runs, _sub(block))
                    continue
                if not (number == 1 and section != numbering.last_section):  # numbering restarts per section
                    warn(f"operative paragraph {number} follows paragraph {last_number}")
            runs = _unspaced(_strip_number(block.runs))
            if in_annex:
                drafts.append(Draft("annex", number, _phrase(runs), runs, section, part, annex))
                continue
            drafts.append(Draft("operative", number, _phrase(runs) or _written_phrase(runs), runs, section, part))
            numbering.operatives += 1
            numbering.last_number = number
            numbering.last_section = section
            numbering.numbered_sections.add(section)
            continue
        if _is_heading(block, in_annex):
            here = previous is not None and (previous.part, previous.annex) == (part, annex if in_annex else 0)
            if here and _list_item(block) and (item_before or previous.text.endswith(":")):
                # a short item of the list the paragraph before introduced (`… as follows:` then
                # `Priority area 1: …`), set like a heading but plain: its text, not a section
                previous.add(block.runs, within_sub=True)
                after_item = True
                continue
            section = _section(text)
            if in_annex:
                retired.heading(block)
            continue
        phrase = _phrase(block.runs)
        unlisted = phrase is None and (phrase := _written_phrase(block.runs)) is not None
        if in_annex:
            if text[:1].islower() and previous is not None and previous.annex == annex and previous.subparagraphs:
                # a clause that goes on after the list it introduced (`… access: (a) …; (b) …; in the territory …`);
                # the last sub-paragraph carries it, as it carries the text that follows its own label
                previous.add(block.runs, within_sub=True)
                retired.absorbed()
                continue
            drafts.append(Draft("annex", None, phrase, list(block.runs), section, part, annex))
            continue
        # A section with its own preamble (budget resolutions' "Special subjects"): after a heading,
        # preambular and unnumbered operative paragraphs start afresh even after operative ones.
        fresh = previous is not None and (previous.section != section or previous.kind == "preambular")
        if phrase is not None and is_operative(phrase.verb) and (
            not last_number or (fresh and section not in numbering.numbered_sections)
        ):
            drafts.append(Draft("operative", None, phrase, list(block.runs), section, part))
            numbering.operatives += 1
        elif phrase is not None and not is_operative(phrase.verb) and (not numbering.operatives or fresh):
            drafts.append(Draft("preambular", None, phrase, list(block.runs), section, part, inserted=unlisted))
        elif previous is not None:
            previous.add(block.runs, within_sub=True)
    retired.finish(drafts)
    return drafts, meeting, closing_date


def _list_item(block: Block) -> bool:
    """A plain block that reads as a heading but is no section label (`I.`, `A. Plenary meetings`)."""
    return not block.heading and not italic_lead(block.runs) and not SECTION_LABEL.match(block.text)


def _all_italic(block: Block) -> bool:
    """Set in italics throughout: a heading (`Article 2 Use of terms`), never a paragraph's phrase."""
    runs = [r for r in block.runs if r.text.strip() and not r.marker]
    return bool(runs) and all(r.italic for r in runs)


def _number(block: Block, expected: int | None) -> int | None:
    """The paragraph number opening a block (`12.`; `1000.` and wider when it is the expected one), or
    the expected next number printed without its full stop when the italic verb follows (`26 Condemns`)."""
    if (match := _NUMBERED.match(block.text)) and (len(match[1]) <= 3 or int(match[1]) == expected):
        return int(match[1])  # four digits and more only in sequence: `2034.` opening a block is a year
    if expected is not None and (match := _BARE_NUMBER.match(block.text)) and int(match[1]) == expected:
        runs = [r for r in block.runs if r.text.strip() and not r.marker]
        if len(runs) > 1 and not runs[0].italic and runs[0].text.strip() == match[1] and runs[1].italic:
            return expected
    return None


def _nested(number: int, previous: Draft) -> bool:
    """Whether a numbered block that does not continue the operative numbering belongs inside the
    paragraph before it: a list or quotation the paragraph introduces (`… as follows:` then `1.`, `2.` …)."""
    if previous.kind != "operative":
        return False
    last = previous.subparagraphs[-1].label.rstrip(".") if previous.subparagraphs else ""
    if previous.text.endswith(":"):  # `… new paragraph 4:` then the quoted `4. In hearing …`
        return True
    if number == 1:
        return last[:1].isdigit()
    return last.isdigit() and int(last) + 1 == number


def _sub(block: Block) -> SubParagraph:
    label, _, text = block.text.partition(" ")
    return SubParagraph(label, text)


def _annex_number(label: str | None, previous: int) -> int:
    if not label:
        return previous + 1
    if label.isdigit():
        return int(label)
    values = [_ROMAN[c] for c in label]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _strip_number(runs: tuple[Run, ...]) -> list[Run]:
    """Drop the leading paragraph number (`12. `) from the runs, whatever runs it spans."""
    raw = "".join(r.text for r in runs if not r.marker)
    match = re.match(r"\s*\d+\.?\s*", raw)
    remaining = match.end() if match else 0
    out: list[Run] = []
    for run in runs:
        if remaining > 0 and not run.marker:
            cut = min(remaining, len(run.text))
            remaining -= cut
            run = Run(run.text[cut:], run.italic)
        if run.text:
            out.append(run)
    return out


def _unspaced(runs: list[Run]) -> list[Run]:
    """Close up a letter-spaced verb (`I n v i t e s` → `Invites`) at the start of a paragraph."""
    if runs and (match := _SPACED.match(runs[0].text)):
        runs = [Run(match[1].replace(" ", "") + runs[0].text[match.end(1) :], runs[0].italic), *runs[1:]]
    return runs


def _phrase(runs: list[Run]) -> Phrase | None:
    """The italic phrase leading the runs, or else a lexicon phrase at the start of the text."""
    italic = []
    for run in runs:
        if run.marker:
            break
        if run.italic or not run.text.strip():
            italic.append(run.text)
            continue
        break
    written = normalize_space("".join(italic)).rstrip(",")
    if written:
        phrase = split_phrase(written)
        if phrase is not None:
            return completed(phrase, normalize_space("".join(r.text for r in runs if not r.marker)))
    return leading_phrase(normalize_space("".join(r.text for r in runs if not r.marker)))


def _written_phrase(runs: list[Run] | tuple[Run, ...]) -> Phrase | None:
    """A paragraph the italic font opens but whose phrase is not in the lexicon (`Looking forward`):
    the phrase as written, its head the words after the leading adverbs."""
    italic = []
    after = ""
    for run in runs:
        if run.marker or not (run.italic or not run.text.strip()):
            after = run.text.lstrip()
            break
        italic.append(run.text)
    if after.startswith(":"):  # `Abbreviations: …` under a table, not a paragraph
        return None
    written = normalize_space("".join(italic)).rstrip(", ")
    words = written.split()
    if not words or not written[:1].isupper() or len(words) > 6 or ":" in written or SECTION_LABEL.match(written):
        return None
    i = 0
    while i < len(words) - 1 and words[i].lower() in MODIFIERS:
        i += 1
    return Phrase(written, " ".join(words[i:]).lower(), tuple(w.lower() for w in words[:i]))


def _is_heading(block: Block, in_annex: bool = False) -> bool:
    """A heading: what the parse before stop 8 took for one (`ids.was_heading`: bold, or short and unpunctuated);
    in an annex also a short block set in italics throughout (`Article 1 Statement of purpose`, `Connectivity`)."""
    if in_annex and _all_italic(block) and len(block.text) < 150 and not block.text.endswith((";", ",", ":", ".")):
        return True
    return was_heading(block)


def _section(text: str) -> str | None:
    match = SECTION_LABEL.match(text)
    if match and (match[2] is None or not match[2][:1].islower()):
        return match[1]
    return text


def _sections(blocks: tuple[Block, ...], labels: list[str | None]) -> tuple[Section, ...]:
    """The heading printed for each section label the paragraphs carry: on the label's line (`XII Revised
    estimates …`) or on the heading line after a label alone; a section named by its heading is its own."""
    wanted = list(dict.fromkeys(label for label in labels if label))
    headings: dict[str, str] = {}
    pending = None
    for block in blocks:
        if not _is_heading(block):
            continue
        text = block.text
        match = SECTION_LABEL.match(text)
        if match and match[1] in wanted and match[1] not in headings:
            if match[2] is not None:
                headings[match[1]] = match[2]
            pending = None if match[2] is not None else match[1]
        elif pending is not None and not match:
            headings[pending], pending = text, None
    return tuple(Section(label, headings.get(label, label)) for label in wanted)


def _finalize(symbol: str, drafts: list[Draft], footnotes: tuple[Footnote, ...]) -> list[Paragraph]:
    """Resolve lead-ins, give every paragraph its public id (`ids.ga_ids`) and attach footnotes."""
    drafts = _resolve_lead_ins(drafts)
    notes = by_marker(footnotes)
    return [paragraph(a.id, draft, a.number, notes) for draft, a in zip(drafts, ga_ids(symbol, drafts), strict=True)]


def _resolve_lead_ins(drafts: list[Draft]) -> list[Draft]:
    """Unnumbered operative paragraphs before the numbered ones of their part are lead-ins (those after
    them open sections of their own, as in budget resolutions).

    `Resolves that:` gives its verb to the numbered clauses that have none and is not a paragraph of
    its own; any other lead-in (`Adopts the following Pact …:`) stays, as paragraph 0, the one before 1.
    """
    numbered_parts = {d.part for d in drafts if d.kind == "operative" and d.number is not None}
    kept: list[Draft] = []
    inherited: dict[int, Phrase] = {}
    started: set[int] = set()  # parts whose numbered paragraphs have begun
    following: list[Draft | None] = []  # the next operative draft after each draft
    upcoming: Draft | None = None
    for draft in reversed(drafts):
        following.append(upcoming)
        if draft.kind == "operative":
            upcoming = draft
    following.reverse()
    for draft, after in zip(drafts, following, strict=True):
        if draft.kind == "operative" and draft.number is not None:
            started.add(draft.part)
        opens_section = (
            after is not None and after.number is not None and (after.part, after.section) == (draft.part, draft.section)
        )
        lead_in = draft.kind == "operative" and draft.number is None and (draft.part in numbered_parts - started or opens_section)
        if lead_in and draft.phrase is not None and _plain(draft.runs).endswith("that:"):
            inherited[draft.part] = Phrase("", draft.phrase.verb, draft.phrase.modifiers)
            continue
        if lead_in:
            if kept and kept[-1].kind == "operative" and kept[-1].number == 0 and kept[-1].part == draft.part:
                kept[-1].runs.extend([Run(" "), *draft.runs])
                continue
            draft.number = 0
        elif draft.kind == "operative" and draft.phrase is None and draft.part in inherited:
            draft.phrase = inherited[draft.part]
        kept.append(draft)
    return kept


def _plain(runs: list[Run]) -> str:
    return normalize_space("".join(r.text for r in runs if not r.marker))
