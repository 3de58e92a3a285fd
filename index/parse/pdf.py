"""Read an official GA resolution PDF into body blocks and footnotes.

PDFium (through pypdfium2) gives each text object's font, size and position: italics come from the
font name, footnote markers from a smaller raised glyph, the footnote block from the rule line
above it, and running headers and footers from the page bands they sit in. Characters are read in
bulk (the page text in one call, then one call per glyph for its text object); everything else is
read once per text object, since a PDF text object is one run of one font on one baseline.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import ParseError
from .blocks import OPENS_PARAGRAPH, Block, Layout, Run, join_runs, normalize_space, strip_format
from .tables import PITCH, in_tables, table_block

HEADER_BAND = 0.09  # running headers sit in the top 9 % of the page
FOOTER_BAND = 0.06  # page counters, job numbers and barcodes in the bottom 6 %
SUPERSCRIPT_RATIO = 0.85  # a marker glyph is at most this fraction of its line's text size
FALSE_SPACE = 0.15  # a generated space over a gap narrower than this (in ems) is kerning, not a word break
_MARKS = frozenset("*†‡")


@dataclass(frozen=True)
class Segment:
    """A stretch of glyphs from one PDF text object: one font, one size, one baseline."""

    text: str
    size: float
    italic: bool
    bold: bool
    x0: float
    y: float
    x1: float = 0.0


@dataclass
class Line:
    """Segments sharing a baseline (superscripts included), in content-stream order.

    Size and baseline are read only once the line is complete.
    """

    segments: list[Segment] = field(default_factory=list)

    @cached_property
    def size(self) -> float:
        return max((s.size for s in self.segments if s.text.strip()), default=0.0)

    @cached_property
    def baseline(self) -> float:
        full = [s.y for s in self.segments if s.text.strip() and s.size >= SUPERSCRIPT_RATIO * self.size]
        return min(full) if full else self.segments[0].y

    @cached_property
    def x0(self) -> float:
        return min((s.x0 for s in self.segments if s.text.strip()), default=0.0)

    @cached_property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @cached_property
    def bold(self) -> bool:
        """Set in bold throughout, footnote markers aside (a heading's marker is set in the regular font)."""
        glyphs = [s for s in self.segments if s.text.strip() and not self.raised(s)]
        return bool(glyphs) and all(s.bold for s in glyphs)

    @cached_property
    def bold_with_markers(self) -> bool:
        """Bold counting its markers too: how the parse before stop 8 read a line (`ids.RetiredCounts.regained`)."""
        return self.bold and all(s.bold for s in self.segments if s.text.strip())

    def small(self, segment: Segment) -> bool:
        """Set smaller than the line's text, as footnote markers are."""
        return segment.size < SUPERSCRIPT_RATIO * self.size

    def raised(self, segment: Segment) -> bool:
        return self.small(segment) and segment.y > self.baseline + 0.1 * self.size

    def runs(self) -> list[Run]:
        """Styled runs with markers (small raised digits or `*†‡`) split out and a space kept after
        each marker before a word."""
        return self.runs_of(self.segments)

    def runs_of(self, segments: list[Segment]) -> list[Run]:
        """The runs of some of the line's segments (a table cell's)."""
        runs: list[Run] = []
        for segment in segments:
            italic = segment.italic and bool(segment.text.strip())
            if not self.raised(segment):
                if runs and runs[-1].marker and (segment.text[:1].isalnum() or segment.text[:1] in "(“\"‘"):
                    runs.append(Run(" "))
                runs.append(Run(segment.text, italic))
                continue
            for char in segment.text:
                if char.isdigit() or char in _MARKS:
                    if runs and runs[-1].marker:
                        runs[-1] = Run(runs[-1].text + char, marker=True)
                    else:
                        runs.append(Run(char, marker=True))
                    continue
                if runs and runs[-1].marker and (char.isalnum() or char in "(“\"‘"):
                    runs.append(Run(" "))
                runs.append(Run(char, segment.italic and bool(char.strip())))
        return runs


def is_word_space(gap: float, size: float) -> bool:
    """Whether a space PDFium generated over `gap` points (from the end of one glyph to the pen
    position of the next) in text of `size` points separates words, rather than kerning inside one."""
    return gap >= FALSE_SPACE * size


_GET_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_HYPHENS = "\x02\ufffe"  # how PDFium reports a hyphen it found at a line end


_SURROGATE = re.compile("[\ud800-\udfff]")
_ODD = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")


def _clean(piece: str, is_hyphen) -> str:
    """Drop control characters, keeping a line-end hyphen PDFium flags (`is_hyphen(k)`) as `-`."""
    if not _ODD.search(piece):
        return piece
    return "".join("-" if c in _HYPHENS and is_hyphen(k) else c for k, c in enumerate(piece) if not _ODD.match(c) or c in _HYPHENS).replace("\x02", "").replace("\ufffe", "")


def _page_text(raw, handle, count: int) -> str:
    """The page's characters in one call, one per PDFium character index."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", errors="surrogatepass")
    if len(text) == count and not _SURROGATE.search(text):
        return text
    return "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))


def _page_lines(page) -> list[Line]:
    """Group a page's text objects into lines, keeping PDFium's own word spaces.

    A space PDFium generates over a gap narrower than `FALSE_SPACE` ems is dropped: justified text
    kerns inside words (`Secre tariat`). A hyphen PDFium marks at a line end is kept as `-`: in these
    documents it is the hyphen of a compound (`Secretary-General`) that the line break fell after.
    """
    from pypdfium2 import raw

    textpage = page.get_textpage()
    handle = textpage.raw
    try:
        count = raw.FPDFText_CountChars(handle)
        text = _page_text(raw, handle, count)
        get_object = _GET_OBJECT(ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)
        address = ctypes.cast(handle, ctypes.c_void_p).value
        objects = [get_object(address, i) for i in range(count)]
        styles: dict[int, tuple[float, bool, bool]] = {}
        font = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        x, y = ctypes.c_double(), ctypes.c_double()
        box = raw.FS_RECTF()

        def edges(i: int) -> tuple[float, float]:
            raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(box))
            return box.left, box.right

        def origin(i: int) -> float:
            # The pen position, not the box: an italic `f` overhangs the space to its left.
            raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(x), ctypes.byref(y))
            return x.value

        segments: list[Segment] = []
        start = 0
        while start < count:
            obj = objects[start]
            if obj is None:
                if text[start] == " " and segments and start + 1 < count and objects[start + 1] is not None:
                    prior = segments[-1]
                    known = objects[start - 1] is not None
                    # PDFium sets a space it generates where the glyph before it ends (its advance):
                    # the gap runs from there to the pen position of the next glyph.
                    if not known or is_word_space(origin(start + 1) - origin(start), prior.size):
                        segments[-1] = Segment(prior.text + " ", prior.size, prior.italic, prior.bold, prior.x0, prior.y, prior.x1)
                start += 1
                continue
            end = start + 1
            while end < count and objects[end] == obj:
                end += 1
            raw_piece = text[start:end]
            piece = strip_format(_clean(raw_piece, lambda k, s=start: raw.FPDFText_IsHyphen(handle, s + k) == 1))
            if piece:
                style = styles.get(obj)
                if style is None:
                    size = raw.FPDFText_GetFontSize(handle, start)
                    raw.FPDFText_GetFontInfo(handle, start, font, len(font), ctypes.byref(flags))
                    name = font.value.decode("latin-1")
                    styles[obj] = style = (size, "Italic" in name or "Oblique" in name, "Bold" in name)
                first = start + len(raw_piece) - len(raw_piece.lstrip())
                raw.FPDFText_GetCharOrigin(handle, start, ctypes.byref(x), ctypes.byref(y))
                final = end - 1 - (len(raw_piece) - len(raw_piece.rstrip()))
                left = edges(min(first, end - 1))
                x0, x1 = left[0], left[1] if final <= first else edges(final)[1]
                segments.append(Segment(piece, style[0], style[1], style[2], x0, y.value, x1))
            start = end
    finally:
        textpage.close()
    return _lines(segments)


def _lines(segments: list[Segment]) -> list[Line]:
    lines: list[Line] = []
    line: Line | None = None
    line_size = line_base = last_y = 0.0
    for segment in segments:
        if line is None or not _same_line(segment, line_size, line_base, last_y):
            line = Line()
            lines.append(line)
            line_size, line_base = segment.size, segment.y
        elif segment.text.strip() and segment.size >= SUPERSCRIPT_RATIO * line_size:
            line_size, line_base = max(line_size, segment.size), min(line_base, segment.y)
        line.segments.append(segment)
        last_y = segment.y
    return [ln for ln in lines if ln.text.strip()]


def _same_line(segment: Segment, size: float, baseline: float, last_y: float) -> bool:
    """A segment continues the line when it sits near the line's baseline or the segment before it."""
    tolerance = 0.45 * max(segment.size, size)
    return abs(segment.y - last_y) <= tolerance or abs(segment.y - baseline) <= tolerance


_RULE = re.compile(r"^_{5,}$")


def _closed(line: Line) -> bool:
    """A line that ends a paragraph or list item (`;` or `:`), so the next page starts afresh."""
    return line.text.rstrip().endswith((";", ":"))


def read_pdf(path: Path, data: bytes | None = None) -> Layout:
    """Read the body blocks and footnotes of a GA resolution PDF (from `data` when already read)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as error:
        raise ParseError(path, _problem(str(error))) from None
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append((page.get_height(), _page_lines(page)))
            finally:
                page.close()
    except pdfium.PdfiumError as error:
        raise ParseError(path, f"damaged PDF ({error})") from None
    finally:
        document.close()
    return _layout(pages)


def _problem(message: str) -> str:
    """Say in words what PDFium's failure to open a file means."""
    if "password" in message.lower():
        return "encrypted PDF (it needs a password; decrypt it first)"
    if "format" in message.lower():
        return "damaged or truncated PDF (PDFium cannot read its structure)"
    return f"unreadable PDF ({message})"


def _layout(pages: list[tuple[float, list[Line]]]) -> Layout:
    """Split each page into body and footnotes, drop headers and footers, and rebuild blocks."""
    body_pages: list[list[Line]] = []
    footnotes: list[tuple[str, list[Run]]] = []
    for page_number, (height, lines) in enumerate(pages):
        body: list[Line] = []
        rules = [line for line in lines if _RULE.match(line.text.strip())]
        rule_y = max(line.baseline for line in rules) if rules else None
        for line in lines:
            y = line.baseline
            # The first page's head (`United Nations A/RES/79/9`) stays: it is front matter.
            in_header = y > height * (1 - HEADER_BAND) and page_number > 0
            if in_header or y < height * FOOTER_BAND or line in rules:
                continue
            if rule_y is not None and y < rule_y:
                _add_footnote_line(line, footnotes)
            else:
                body.append(line)
        body_pages.append(body)
    blocks = _blocks(body_pages)
    notes = tuple((marker, normalize_space("".join(r.text for r in runs))) for marker, runs in footnotes)
    return Layout(blocks, notes)


def _add_footnote_line(line: Line, footnotes: list[tuple[str, list[Run]]]) -> None:
    """A footnote starts with its marker (small digits, raised or not); other lines continue the one above."""
    digits = ""
    for segment in line.segments:
        if not line.small(segment):
            break
        stripped = segment.text.strip()
        if not stripped.isdigit():
            break
        digits += stripped
    if digits:
        runs = line.runs()
        while runs and (runs[0].marker or not runs[0].text.strip()):
            runs.pop(0)
        if runs and runs[0].text.lstrip().startswith(digits):
            first = runs[0].text.lstrip()[len(digits) :]
            runs[0] = Run(first, runs[0].italic)
        footnotes.append((digits, runs))
    elif footnotes:
        footnotes[-1][1].extend([Run(" "), *line.runs()])


def _blocks(pages: list[list[Line]]) -> tuple[Block, ...]:
    """Rebuild paragraphs: a block starts at an indented line or after a wide vertical gap.

    A page's first line that is not indented continues the block left open on the page before,
    which joins paragraphs across page breaks and the footnote blocks between their halves. A table
    (see `in_tables`) becomes one block of its own, one row per line.
    """
    margins = Counter(round(line.x0) for page in pages for line in page if line.size >= 9)
    doc_margin = margins.most_common(1)[0][0] if margins else 0
    tabled = in_tables([line for page in pages for line in page])
    groups: list[tuple[list[list[Run]], list[Line], list[int], list[Line]]] = []  # runs, lines, pages of a table's lines, regained
    for number, page in enumerate(pages):
        page_margins = Counter(round(line.x0) for line in page if line.size >= 9)
        margin = page_margins.most_common(1)[0][0] if sum(page_margins.values()) >= 8 else doc_margin
        previous: Line | None = None
        for line in page:
            if id(line) in tabled:
                if not groups or not groups[-1][2]:
                    groups.append(([], [], [], []))
                groups[-1][1].append(line)
                groups[-1][2].append(number)
                previous = line
                continue
            indented = line.x0 > margin + 3
            regained = False
            gap = previous.baseline - line.baseline if previous is not None else 0.0
            if indented and previous is not None and 0 < gap <= PITCH * line.size:
                # An indented block of text (a quoted or listed item set in from the margin) goes on
                # line after line at its own indentation, or under a bullet's hanging indent in lower
                # case, at the usual line pitch.
                same_indent = abs(previous.x0 - line.x0) < 1
                first = line.text.lstrip()[:1]
                digit = first.isdigit() and not re.match(r"\s*\d+\.", line.text) and not previous.text.rstrip().endswith(".")
                hanging = line.x0 > previous.x0 and not _closed(previous) and (first.islower() or digit)
                indented = not (same_indent or hanging)
                regained = hanging and not first.islower()  # the parse before stop 8 started a block at a digit
            before = previous or (groups[-1][1][-1] if groups else None)
            opens = OPENS_PARAGRAPH.match(line.text) and re.search(r"[;:.]\s*$", before.text if before else "")
            starts = (
                not groups
                or groups[-1][2]
                or indented
                or bool(opens)
                or (previous is None and groups and _closed(groups[-1][1][-1]) and not line.text[:1].islower())
                or (previous is not None and (gap > PITCH * line.size or gap < -line.size))
                or (before is not None and before.bold != line.bold)  # a heading, also at a page top
            )
            if starts:
                groups.append(([], [], [], []))
            elif regained:
                groups[-1][3].append(line)
            groups[-1][0].append(line.runs())
            groups[-1][1].append(line)
            previous = line
    return tuple(table_block(table, lines) if table else _block(runs, lines, regained) for runs, lines, table, regained in groups)


def _block(runs: list[list[Run]], lines: list[Line], regained: list[Line]) -> Block:
    """A block of running text or a heading. Lines the parse before stop 8 took for the start of a
    block of their own are kept as `regained`, so the ids those blocks took stay taken (`ids.RetiredCounts`): a heading line
    bold only once its marker is set aside, a line under a bullet's hanging indent that opens with a digit."""
    heading = all(ln.bold for ln in lines)
    if heading:
        regained = regained + [ln for ln in lines[1:] if not ln.bold_with_markers]
    return Block(join_runs(runs), heading=heading, regained=tuple(Block(tuple(ln.runs())) for ln in regained))
