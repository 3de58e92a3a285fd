"""Read an official GA resolution PDF character by character into body blocks and footnotes.

PDFium (through pypdfium2) gives each character's font, size and position: italics come from the
font name, footnote markers from a smaller raised glyph, the footnote block from the rule line
above it, and running headers and footers from the page bands they sit in.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import ParseError
from .blocks import Block, Layout, Run, join_runs, normalize_space

HEADER_BAND = 0.09  # running headers sit in the top 9 % of the page
FOOTER_BAND = 0.06  # page counters, job numbers and barcodes in the bottom 6 %
SUPERSCRIPT_RATIO = 0.85  # a marker glyph is at most this fraction of its line's text size


@dataclass(frozen=True)
class Char:
    """One glyph as PDFium reports it."""

    text: str
    size: float
    italic: bool
    bold: bool
    x0: float
    x1: float
    y: float


@dataclass
class Line:
    """Glyphs sharing a baseline (superscripts included), in content-stream order.

    Size and baseline are read only once the line is complete.
    """

    chars: list[Char] = field(default_factory=list)

    @cached_property
    def size(self) -> float:
        return max((c.size for c in self.chars if c.text.strip()), default=0.0)

    @cached_property
    def baseline(self) -> float:
        full = [c.y for c in self.chars if c.text.strip() and c.size >= SUPERSCRIPT_RATIO * self.size]
        return min(full) if full else self.chars[0].y

    @property
    def x0(self) -> float:
        return min((c.x0 for c in self.chars if c.text.strip()), default=0.0)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def bold(self) -> bool:
        glyphs = [c for c in self.chars if c.text.strip()]
        return bool(glyphs) and all(c.bold for c in glyphs)

    def is_marker(self, char: Char) -> bool:
        """A footnote marker: a digit (or asterisk) set small and raised above the baseline."""
        return (
            (char.text.isdigit() or char.text in "*†‡")
            and char.size < SUPERSCRIPT_RATIO * self.size
            and char.y > self.baseline + 0.1 * self.size
        )

    def runs(self) -> list[Run]:
        """Styled runs with markers split out and a space kept after each marker before a word."""
        runs: list[Run] = []
        for char in self.chars:
            if self.is_marker(char):
                if runs and runs[-1].marker:
                    runs[-1] = Run(runs[-1].text + char.text, marker=True)
                else:
                    runs.append(Run(char.text, marker=True))
                continue
            if runs and runs[-1].marker and (char.text.isalnum() or char.text in "(“\"‘"):
                runs.append(Run(" "))
            runs.append(Run(char.text, char.italic and bool(char.text.strip())))
        return runs


def _page_lines(page) -> list[Line]:
    """Group a page's glyphs into lines, keeping PDFium's own word spaces."""
    from pypdfium2 import raw

    textpage = page.get_textpage()
    handle = textpage.raw
    font = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    x, y = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    lines: list[Line] = []
    line: Line | None = None
    line_size = line_base = 0.0
    try:
        for i in range(raw.FPDFText_CountChars(handle)):
            code = raw.FPDFText_GetUnicode(handle, i)
            if raw.FPDFText_IsGenerated(handle, i):
                if code == 32 and line is not None and line.chars:
                    last = line.chars[-1]
                    line.chars.append(Char(" ", last.size, last.italic, last.bold, last.x1, last.x1, last.y))
                continue
            if code in (0, 2, 0xFFFE, 0xFFFF) or code in (10, 13):
                continue
            size = raw.FPDFText_GetFontSize(handle, i)
            raw.FPDFText_GetFontInfo(handle, i, font, len(font), ctypes.byref(flags))
            name = font.value.decode("latin-1")
            raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(x), ctypes.byref(y))
            raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(box))
            char = Char(
                chr(code),
                size,
                "Italic" in name or "Oblique" in name,
                "Bold" in name,
                box.left,
                box.right,
                y.value,
            )
            if line is None or not _same_line(char, line_size, line_base, line.chars[-1].y):
                line = Line()
                lines.append(line)
                line_size, line_base = char.size, char.y
            elif char.text.strip() and char.size >= SUPERSCRIPT_RATIO * line_size:
                line_size, line_base = max(line_size, char.size), min(line_base, char.y)
            line.chars.append(char)
    finally:
        textpage.close()
    return [ln for ln in lines if ln.text.strip()]


def _same_line(char: Char, size: float, baseline: float, last_y: float) -> bool:
    """A glyph continues the line when it sits near the line's baseline or the glyph before it."""
    tolerance = 0.45 * max(char.size, size)
    return abs(char.y - last_y) <= tolerance or abs(char.y - baseline) <= tolerance


_RULE = re.compile(r"^_{5,}$")
_OPENS_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.|\([a-z]{1,2}\)|\([ivx]{1,5}\))\s")


def _closed(line: Line) -> bool:
    """A line that ends a paragraph or list item (`;` or `:`), so the next page starts afresh."""
    return line.text.rstrip().endswith((";", ":"))
_FOOTNOTE_START = re.compile(r"^\s*(\d+|[*†‡])\s*")


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
    glyphs = [c for c in line.chars if c.text.strip()]
    digits = ""
    for char in glyphs:
        if not (char.text.isdigit() and char.size < SUPERSCRIPT_RATIO * line.size):
            break
        digits += char.text
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
    which joins paragraphs across page breaks and the footnote blocks between their halves.
    """
    margins = Counter(round(line.x0) for page in pages for line in page if line.size >= 9)
    doc_margin = margins.most_common(1)[0][0] if margins else 0
    groups: list[tuple[list[list[Run]], list[Line]]] = []
    for page in pages:
        page_margins = Counter(round(line.x0) for line in page if line.size >= 9)
        margin = page_margins.most_common(1)[0][0] if sum(page_margins.values()) >= 8 else doc_margin
        previous: Line | None = None
        for line in page:
            indented = line.x0 > margin + 3
            gap = previous.baseline - line.baseline if previous is not None else 0.0
            before = previous or (groups[-1][1][-1] if groups else None)
            opens = _OPENS_PARAGRAPH.match(line.text) and re.search(r"[;:.]\s*$", before.text if before else "")
            starts = (
                not groups
                or indented
                or bool(opens)
                or (previous is None and groups and _closed(groups[-1][1][-1]) and not line.text[:1].islower())
                or (previous is not None and (gap > 1.4 * line.size or gap < -line.size))
                or (previous is not None and previous.bold != line.bold)
            )
            if starts:
                groups.append(([], []))
            groups[-1][0].append(line.runs())
            groups[-1][1].append(line)
            previous = line
    return tuple(Block(join_runs(runs), heading=all(ln.bold for ln in lines)) for runs, lines in groups)
