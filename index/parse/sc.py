"""Read a Security Council resolution from plain text (the CR-UNSC gold texts and their like).

No italics mark the phrases, so the lexicon finds them. Paragraphs are separated by blank lines;
operative paragraphs may be numbered (`4.`, or `4,` in OCR) or not; footnotes read `1/ S/25046.`.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

from ..errors import ParseError
from .assembly import MONTHS, SUB, Draft, adoption_date, iso_date, paragraph, partition
from .blocks import Run
from .footnotes import by_marker, resolve_footnotes
from .ids import sc_ids
from .records import Footnote, Paragraph, Resolution, SubParagraph
from .verbs import Phrase, is_operative, leading_phrase

_MONTH = rf"(?:{MONTHS}|Auqust)"
# Numbers and years are read whole (`[0-9]+`, ASCII digits only) and judged after: never cut to four digits.
_DATE = re.compile(rf"\b([0-9]{{1,2}})\s+({_MONTH})\s*,?\s+([0-9]+)")
# A heading's date as OCR may damage it: a day with a digit read as a letter, a month with a wrong letter, a stray stop.
_DAMAGED_DATE = re.compile(r"\bof\s+([0-9]{1,2}[lIiOofSt]?|[lIiOofSt][0-9])\s+([A-Za-z][A-Za-z\]\[|!1]{2,9})\s*[.,]?\s+([0-9]{4})\b")
_OCR_DAY = str.maketrans("lIiOofSt", "11100151")
_MONTHS = MONTHS.split("|")
_ADOPTED = re.compile(r"Adopted by the Security Council at its .*?on\s+([0-9]{1,2}\s+\w+\s+[0-9]{4,})", re.DOTALL)
_HEADINGS = (
    re.compile(r"S/RES/([0-9]+)\s*\(([0-9]{4,})\)"),
    re.compile(r"^\s*RESOLUTION\s+([0-9]+)\s*\(([0-9]{4,})\)", re.MULTILINE),
    re.compile(r"^\s*Resolution\s+([0-9]+)\s*(?:\(([0-9]{3,})\W?[0-9]?\))?", re.MULTILINE),  # OCR: `(197-4)`
    re.compile(r"^\s*([0-9]+)\s*\(([0-9]{4,})\)\.?\s+Resolution\b", re.MULTILINE),
)
MAX_NUMBER_DIGITS = 5  # SC resolutions are numbered in the low thousands; a longer number is no resolution number
# A page's running header in a typeset text: the job number ("02-72318 (E)") and the symbol alone on a
# line ("S/RES/1445 (2002)"), with the blank lines around them; the paragraph they interrupt goes on.
_RUNNING_HEADER = re.compile(
    r"\n(?:[ \t]*\n)*(?:[ \t]*(?:\d{2}-\d{5,6}[ \t]*\([A-Z]\)[^\n]*|S/RES/[0-9]{1,5}[ \t]*\([0-9]{4}\))[ \t]*\n(?:[ \t]*\n)*)+"
)
_ANNEX = re.compile(r"^\s*(?:ANNEX\b.*|Annex(?:[ \t]+(?:[A-Z]|[IVX]+|\d{1,2}))?[ \t]*)$", re.MULTILINE)
_OPENING = re.compile(r"^\s*The Security Council\b\s*,?", re.MULTILINE)
# A part letter on a line of its own over an opening of its own (`B` / `The Security Council,`).
_PART = re.compile(r"^[ \t]*([A-H])[ \t]*\n(?:[ \t]*\n)*[ \t]*The Security Council\b[ \t]*,?", re.MULTILINE)
_CLOSING = re.compile(r"^\s*Adopted\b(?! by the Security\b)[^\n]*\n?[^\n]*\bmeet", re.MULTILINE)
_ADOPTED_AT = re.compile(r"\bAdopted\b[^\n]{0,60}?\bat\s+(?:the|its)\s+([0-9]+)\s*(st|nd|rd|th)\s+meet", re.IGNORECASE)
_MEETING = re.compile(r"([0-9]+)\s*(st|nd|rd|th)\s+meet", re.IGNORECASE)
# `4.`, OCR's `4,` `l.` `I1.`, a stray mark after the number (`24. ~— Requests`) or no space (`6.Calls`)
_NUMBERED = re.compile(r"^([0-9]{1,3}|[lI]{1,2}|[lI0-9]{2})\s?[.,](?:\s+(?:[~—–‘’|]+\s*)?(?=[A-Z\"“(])|(?=[A-Z][a-z]))")
# A number OCR read as a letter or another digit (`S.` or `8.` for 5, `i.` for 1), or printed in lower case
_GARBLED = re.compile(r"^(\S{1,2})\s?[.,]\s*(?=[A-Za-z])")
# A section label alone on its line (`A`, `B` … or `I`, `II` …): a heading, never paragraph text.
_SECTION = re.compile(r"^(?:[A-H]|[IVX]{1,4})$")
_OCR_DIGITS = str.maketrans("lI", "11")
_BARE_NUMBER = re.compile(r"^([0-9]{1,3})\s+(?=[A-Z])")
_PARTICIPLE = re.compile(r"^([A-Z][a-z]+ly\s+[a-z]+|[A-Z][a-z]+(?:ing|ed))\b(?!\s+[a-z]+ing\b)")
_ENDS_CLAUSE = re.compile(r",(?:\s+\d{1,3}/?)?$")
_ENDS_CLAUSE_OCR = re.compile(r"[.;](?:\s+\d{1,3}/?)?$")  # OCR reads a comma as `.` or `;`
_FOOTNOTE = re.compile(r"^(\d{1,3})/?\s+(\S.+)$")
_MARKER = re.compile(r"(?<=[\w,.;:)\]”\"])\s+(\d{1,3})/?(?=\s*$|\s*[,;.]|\s+[a-z])", re.MULTILINE)


def looks_like_sc(text: str) -> bool:
    """Whether a text reads as a Security Council resolution."""
    head = text[:3000]
    council = _OPENING.search(head) or "Security Council" in head or _CLOSING.search(text)
    return bool(council) and any(h.search(head) for h in _HEADINGS)


def read_sc(text: str, source: Path, sha256: str) -> Resolution:
    """Parse a Security Council text into a `Resolution`."""
    number, year = _number_and_year(text, source)
    if number is None:
        raise ParseError(source, "no Security Council resolution number found")
    warnings: list[str] = []
    adopted_match = _ADOPTED.search(text)
    heading = _heading(text)
    date = _DATE.search(adopted_match[0] if adopted_match else heading)
    printed = [f"{date[1]} {date[2].replace('Auqust', 'August')} {date[3]}"] if date else []
    adopted = adoption_date(printed, lambda warning: warnings.append(f"{source}: {warning}"))
    if adopted is None and year and (recovered := _damaged_date(heading, year)):
        adopted = recovered[1]
        warnings.append(f'{source}: adoption date read through OCR damage: "{recovered[0]}" as {adopted}')
    if adopted and year != adopted[:4]:
        year = adopted[:4]  # the adoption date outweighs an OCR-garbled year in the heading
    if year is None:
        raise ParseError(source, "no year for the Security Council resolution")
    symbol = f"S/RES/{number}({year})"
    # The meeting that adopted it, from the `Adopted … at the 395th meeting` line; the first
    # `NNNth meeting` anywhere may be an earlier meeting the text recalls.
    adopted_at = [m for m in _ADOPTED_AT.finditer(text)]
    meeting_match = adopted_at[-1] if adopted_at else _MEETING.search(text)
    meeting = f"{meeting_match[1]}{meeting_match[2]} meeting" if meeting_match else None

    body, notes = _split_footnotes(text)
    footnotes = resolve_footnotes(notes)
    opening = _OPENING.search(body)
    start = opening.end() if opening else _after_heading(body)
    end_match = _CLOSING.search(body, start)
    main = body[start : end_match.start() if end_match else len(body)]
    main = _RUNNING_HEADER.sub("\n", main)
    annex_match = _ANNEX.search(main)
    if annex_match:
        main = main[: annex_match.start()]
    drafts: list[Draft] = []
    for part, text in enumerate(_PART.split(main)[::2]):
        # Parts A, B … each with its own opening: each has its own preamble and numbering.
        for draft in _paragraphs(_chunks(text)):
            draft.part = part
            drafts.append(draft)
    paragraphs = _number(symbol, drafts, footnotes)
    return Resolution(
        symbol=symbol,
        body="SC",
        session=None,
        title=None,
        adopted=adopted,
        meeting=meeting,
        agenda_items=(),
        report=None,
        source=str(source),
        sha256=sha256,
        footnotes=footnotes,
        warnings=tuple(warnings),
        **partition(paragraphs),
    )


def _number_and_year(text: str, source: Path) -> tuple[str | None, str | None]:
    """The resolution number and year of the heading (None for a year OCR cut to three digits); a number
    of more than `MAX_NUMBER_DIGITS` digits or a year of more than four is a `ParseError`."""
    for pattern in _HEADINGS:
        if match := pattern.search(text[:3000]):
            number, year = match[1], match[2] if match.lastindex and match.lastindex >= 2 else None
            if len(number) > MAX_NUMBER_DIGITS:
                raise ParseError(source, f"resolution number {_shown(number)} has {len(number)} digits; "
                                         f"Security Council resolution numbers have at most {MAX_NUMBER_DIGITS}")
            if year and len(year) > 4:
                raise ParseError(source, f"year {_shown(year)} in the heading has {len(year)} digits; a year has four")
            return number, year if year and len(year) == 4 else None
    return None, None


def _heading(text: str) -> str:
    """The heading block: from the resolution's number (what comes before it may be another text) to `The Security Council`."""
    opening = (_OPENING.search(text) or re.search(r"$", text)).start()
    starts = [m.start() for pattern in _HEADINGS if (m := pattern.search(text[:3000])) and m.start() < opening]
    return text[min(starts, default=0):opening][:400]


def _damaged_date(heading: str, year: str) -> tuple[str, str] | None:
    """The heading's `of 3 Apri] 1991`, `of 3f July 1989`, `of 15 August. 1991` (what was printed, ISO) where OCR
    damaged a digit or a month's letter or added a stop, trusted only in the year of the resolution's number."""
    for match in _DAMAGED_DATE.finditer(heading):
        day, month, printed_year = match[1].translate(_OCR_DAY), get_close_matches(match[2].capitalize(), _MONTHS, 1, 0.75), match[3]
        if printed_year == year and day.isdigit() and month and (iso := iso_date(f"{int(day)} {month[0]} {year}")):
            return " ".join(match[0].split()), iso
    return None


def _shown(digits: str) -> str:
    """A run of digits as an error line shows it: in full up to 24, cut with `…` after."""
    return digits if len(digits) <= 24 else f"{digits[:24]}…"


def _after_heading(body: str) -> int:
    """Where the text starts when no `The Security Council` line opens it: after the heading block."""
    match = re.search(r"\n\s*\n", body)
    return match.end() if match else 0


def _split_footnotes(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take the footnote lines (`1/ S/25046.` or `26 Ibid., document S/4431.`) out of the text.

    Footnotes with a slash may stand anywhere; bare-numbered ones only after the closing
    `Adopted …` line, where no paragraph text can be mistaken for them.
    """
    opening = _OPENING.search(text)
    closing = _CLOSING.search(text, opening.end() if opening else 0)
    tail_start = text.count("\n", 0, closing.start()) if closing else len(text.splitlines())
    body: list[str] = []
    notes: list[tuple[str, str]] = []
    for index, line in enumerate(text.splitlines()):
        match = _FOOTNOTE.match(line.strip())
        if match and ("/" in line.strip().split()[0] or index > tail_start):
            notes.append((match[1], match[2].strip()))
        elif notes and index > tail_start and line.strip() and not _CLOSING.match(line):
            number, text_so_far = notes[-1]
            notes[-1] = (number, f"{text_so_far} {line.strip()}")
        else:
            body.append(line)
    return "\n".join(body), notes


def _chunks(text: str) -> list[str]:
    """Paragraphs: blank-line separated, further split where a numbered paragraph starts a line."""
    chunks: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in chunk.splitlines():
            if not lines and _SECTION.match(line.strip()):  # a label alone after a blank line
                chunks.append(line.strip())
                continue
            starts = _NUMBERED.match(line.strip()) or SUB.match(line.strip()) or _starts_phrase(line)
            if lines and starts and re.search(r"([;:.,]|[\s,]\d{1,3}/?)\s*$", lines[-1]):
                chunks.append(" ".join(lines))
                lines = []
            lines.append(line.strip())
        if lines:
            chunks.append(" ".join(lines))
    # a line-end hyphen before a capital joins a compound ("Secretary-General"), before a small letter a split word
    return [re.sub(r"(\w)- (\w)", r"\1\2", re.sub(r"(\w)- ([A-Z])", r"\1-\2", " ".join(c.split()))) for c in chunks if c.strip()]


def _bare_number(chunk: str, expected: int) -> re.Match[str] | None:
    """The expected next number with its full stop lost in OCR (`2 Requests the Secretary-General`)."""
    match = _BARE_NUMBER.match(chunk)
    if match and int(match[1]) == expected:
        phrase = leading_phrase(chunk[match.end() :])
        if phrase is not None and is_operative(phrase.verb):
            return match
    return None


def _unlisted(written: str) -> Phrase:
    """The phrase of a preambular paragraph the lexicon lacks: `Deeply distressed` is `distressed`, deeply."""
    *adverbs, head = written.split()
    return Phrase(written, head.lower(), tuple(a.lower() for a in adverbs))


def _starts_phrase(line: str) -> bool:
    """A line that opens with a capitalized lexicon phrase (`Recommends to …`)."""
    return line[:1].isupper() and leading_phrase(line.strip()) is not None


def _operative_item(chunk: str) -> bool:
    """A lettered item that is itself an operative paragraph (`(a) Resolves that …`)."""
    phrase = leading_phrase(chunk.partition(" ")[2])
    return phrase is not None and is_operative(phrase.verb)


def _paragraphs(chunks: list[str]) -> list[Draft]:
    """Classify chunks: preambular or operative by their phrase, numbered or not.

    A lead-in such as `Resolves:` gives its verb to the numbered clauses after it (`1. That …`);
    numbering that starts again from 1 opens an annex, or a part after a section label (`B`); a
    number far beyond the last is OCR noise. A section label heads the paragraphs after it and may
    open a preamble of its own. A paragraph between n and n + 2 whose number OCR garbled (`S.` for
    5) or the text lost is n + 1.
    """
    drafts: list[Draft] = []
    lead_in: Phrase | None = None
    last = 0
    section: str | None = None
    fresh = False  # a section label stands between the last paragraph and this chunk
    ahead = _numbers_ahead(chunks)
    for i, chunk in enumerate(chunks):
        if _SECTION.match(chunk):
            section, fresh = chunk, True
            continue
        count = len(drafts)
        numbered = _NUMBERED.match(chunk) or _bare_number(chunk, last + 1)
        number = int(numbered[1].translate(_OCR_DIGITS)) if numbered else None
        if number is not None and number > last + 5:
            number = numbered = None
        start = numbered.end() if numbered else 0
        if number != last + 1 and ahead[i] == last + 2 and (restored := _restored(chunk, drafts)) is not None:
            number, start = last + 1, restored
        body = chunk[start:]
        in_annex = bool(drafts) and drafts[-1].kind == "annex"
        if SUB.match(chunk) and drafts and not (drafts[-1].kind == "preambular" and _operative_item(chunk)):
            label, _, rest = chunk.partition(" ")
            drafts[-1].add([Run(chunk)], SubParagraph(label, rest))
            continue
        if SUB.match(chunk):
            body = chunk.partition(" ")[2]
        phrase = leading_phrase(body)
        if number is not None:
            kind = "annex" if in_annex or (number <= last and last > 0 and not fresh) else "operative"
            if phrase is None and lead_in is not None:
                phrase = lead_in
            drafts.append(Draft(kind, number, phrase, [Run(body)], section))
            last = number
        elif phrase is not None and not in_annex and (fresh or not (drafts and drafts[-1].number)):
            kind = "operative" if is_operative(phrase.verb) else "preambular"
            if kind == "operative" and body.rstrip().endswith(":") and len(body) < 200:
                lead_in = phrase
            drafts.append(Draft(kind, None, phrase, [Run(body)], section))
        elif re.match(r"^(Whereas|Considering|Noting)\b", body) and not drafts:
            drafts.append(Draft("preambular", None, leading_phrase(body), [Run(body)], section))
        elif not drafts and number is None and body[:1].isupper() and body.rstrip().endswith(",") and "Security Council" not in body[-20:]:
            # The first clause of the preamble with no lexicon phrase (`In virtue of the powers …,`): inserted,
            # it is `#p0`, so the preambular ids published from `#p1` before 38f4ea2 found it stay (`ids.sc_ids`).
            participle = _PARTICIPLE.match(body)
            phrase = _unlisted(participle[1]) if participle else None
            drafts.append(Draft("preambular", None, phrase, [Run(body)], section, inserted=True))
        elif (participle := _PARTICIPLE.match(body)) and drafts and drafts[-1].kind == "preambular" and (
            _ENDS_CLAUSE.search(drafts[-1].text) or (participle[1].endswith("ing") and _ENDS_CLAUSE_OCR.search(drafts[-1].text))
        ):
            # A preambular paragraph whose phrase the lexicon lacks (`Determining`, `Responding`):
            # it opens a new paragraph after one that ended with its comma (and a footnote marker);
            # inserted, it takes the id before it with `bis` (`ids.sc_ids`).
            phrase = _unlisted(participle[1])
            drafts.append(Draft("preambular", None, phrase, [Run(body)], section, inserted=True))
        elif drafts:
            drafts[-1].add([Run(body)])
        fresh = fresh and len(drafts) == count
    if any(d.number for d in drafts):
        drafts = [d for d in drafts if not (d.kind == "operative" and d.number is None and d.phrase is lead_in)]
    return drafts


def _numbers_ahead(chunks: list[str]) -> list[int | None]:
    """For each chunk, the paragraph number printed on the next numbered chunk after it."""
    ahead: list[int | None] = []
    upcoming: int | None = None
    for chunk in reversed(chunks):
        ahead.append(upcoming)
        if match := _NUMBERED.match(chunk):
            upcoming = int(match[1].translate(_OCR_DIGITS))
    return ahead[::-1]


def _restored(chunk: str, drafts: list[Draft]) -> int | None:
    """Where the text of an operative paragraph starts whose number is garbled (`S. Appeals`,
    `5. further endorses`) or missing after a numbered paragraph that ended; None if it is not one."""
    garbled = _GARBLED.match(chunk)
    start = garbled.end() if garbled else 0
    if not garbled and not (drafts and drafts[-1].kind == "operative" and drafts[-1].number and drafts[-1].text.endswith((";", ".", ":"))):
        return None
    phrase = leading_phrase(chunk[start:])
    return start if phrase is not None and is_operative(phrase.verb) else None


def _number(symbol: str, drafts: list[Draft], footnotes: tuple[Footnote, ...]) -> list[Paragraph]:
    """Give each draft its public id (`ids.sc_ids`) and its footnotes."""
    notes = by_marker(footnotes)
    known = {note.marker for note in footnotes}
    paragraphs: list[Paragraph] = []
    for draft, assigned in zip(drafts, sc_ids(symbol, drafts), strict=True):
        draft.runs = _marked(draft.runs, known)
        paragraphs.append(paragraph(assigned.id, draft, assigned.number, notes))
    return paragraphs


def _marked(runs: list[Run], known: set[str]) -> list[Run]:
    """Plain text with its footnote markers (`… S/25046 1/`) split out as marker runs."""
    raw = "".join(run.text for run in runs)
    raw = re.sub(r"^The Security Council,?\s+", "", re.sub(r" (?=[,;.:])", "", " ".join(raw.split())))
    marked: list[Run] = []
    position = 0
    for match in _MARKER.finditer(raw):
        if match[1] in known:
            marked += [Run(raw[position : match.start()]), Run(" "), Run(match[1], marker=True)]
            position = match.end()
    marked.append(Run(raw[position:]))
    return [run for run in marked if run.text]
