"""Tables in GA resolution PDFs (scales of assessment, staffing tables, budget figures): which lines
form one, and how its lines become rows of cells, one row per line of text.

A table is told apart from running text by what the page shows: lines set small and cut into cells
by wide horizontal gaps. Its rows are rebuilt from where the cells sit: a header wrapped over lines
above the row it heads, a cell wrapped under its row, a long first cell whose last words sit on the
line that carries the row's figures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .blocks import OPENS_PARAGRAPH, ROW, Block, Run, normalize_space

if TYPE_CHECKING:
    from .pdf import Line, Segment

TABLE_SIZE = 0.92  # table rows and notes are set smaller than this fraction of the body text
PITCH = 1.4  # lines of one paragraph, row or cell are at most this many line heights apart
CELL_GAP = 2.0  # a gap this many ems wide between runs on one baseline separates table cells
FULL = 0.5  # a label's line that broke fills at least half its column
_ANNEX_HEADING = re.compile(r"^\s*Annex\b")
_FIGURES = re.compile(r"[\d\s.,()%–—-]+")
_OPEN_END = re.compile(r"(?:\b(?:of|the|and|for|to|in|on|with|by|from|a|an|or|at|as|per|than|between|into)|,)$")


@dataclass(frozen=True)
class Cell:
    """The text of one table cell, with the horizontal extent of its first and last line on the page."""

    x0: float
    x1: float
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return normalize_space("".join(r.text for r in self.runs if not r.marker))

    @property
    def figures(self) -> bool:
        """Only figures (`1 131`, `(2 061 900)`, `7.5`, `–`): a value, never a header or a label."""
        return bool(_FIGURES.fullmatch(self.text))

    def below(self, other: Cell) -> Cell:
        """This cell with `other`'s text after it: the same cell wrapped onto the next line, which
        gives it its right end (where that line stopped)."""
        return Cell(min(self.x0, other.x0), other.x1, (*self.runs, Run(" "), *other.runs))

    def overlaps(self, other: Cell) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1


@dataclass(frozen=True)
class _Visual:
    """A line of a table as the eye reads it: the text objects on one baseline of one page."""

    page: int
    baseline: float
    size: float
    bold: bool
    cells: tuple[Cell, ...]


def cells(line: Line) -> list[Cell]:
    """The line cut where a horizontal gap wider than `CELL_GAP` ems separates its segments. Footnote
    markers stay markers; a raised note letter (`2025ᵃ`) is text set apart from its word."""
    groups: list[list[Segment]] = []
    right = 0.0
    for segment in line.segments:
        if not segment.text.strip():
            continue
        if not groups or segment.x0 - right >= CELL_GAP * line.size:
            groups.append([])
        groups[-1].append(segment)
        right = max(right, segment.x1)
    return [Cell(g[0].x0, max(s.x1 for s in g), _cell_runs(line, g)) for g in groups]


def _cell_runs(line: Line, segments: list[Segment]) -> tuple[Run, ...]:
    runs: list[Run] = []
    plain: list[Segment] = []
    for segment in [*segments, None]:
        letter = segment is not None and line.raised(segment) and segment.text.strip().isalpha() and len(segment.text.strip()) <= 2
        if segment is not None and not letter:
            plain.append(segment)
            continue
        runs += line.runs_of(plain)
        plain = []
        if segment is not None:
            runs.append(Run(f" {segment.text.strip()} "))
    return tuple(runs)


def in_tables(lines: list[Line]) -> set[int]:
    """The lines (by `id`) of tables among a document's body lines in reading order: runs of lines
    set smaller than the body text, of which at least two are cut into cells. A run holds the
    table's caption, header, rows, bold headings, totals set at body size and the notes under it."""
    sizes = Counter(round(line.size, 1) for line in lines)
    if not sizes:
        return set()
    body = sizes.most_common(1)[0][0]
    cut = {id(line): len(cells(line)) > 1 for line in lines if line.size <= body + 0.5}
    found: set[int] = set()
    run: list[Line] = []
    bold: list[Line] = []  # bold lines (a table's caption or a heading between its rows), kept if rows follow
    for line in [*lines, None]:
        if line is not None and (line.size < TABLE_SIZE * body or (run and cut.get(id(line)) and _body_row(line))):
            run += [*bold, line]
            bold = []
            continue
        if line is not None and line.bold and not _ANNEX_HEADING.match(line.text):
            bold.append(line)
            continue
        if sum(1 for ln in run if cut.get(id(ln))) >= 2:
            found.update(id(ln) for ln in run)
        run, bold = [], []
    return found


def _body_row(line: Line) -> bool:
    """No italic lead or paragraph number that would open a paragraph: a row (a total) set at body size."""
    first = next(s for s in line.segments if s.text.strip())
    return not first.italic and not OPENS_PARAGRAPH.match(line.text)


def table_block(page_numbers: list[int], lines: list[Line]) -> Block:
    """A table's lines as one block, one row per line of text (rows apart by `ROW`); a header the
    page repeats at the top of a later page is page furniture, left out."""
    runs: list[Run] = []
    for i, row in enumerate(_unrepeated(_rows(_visual_lines(page_numbers, lines)))):
        if i:
            runs.append(Run(ROW))
        for k, cell in enumerate(row.cells):
            if k:
                runs.append(Run(" "))
            runs.extend(cell.runs)
    return Block(tuple(runs), table=True)


@dataclass(frozen=True)
class _Row:
    """A row of a table: the page and style of its first line, and its cells."""

    page: int
    bold: bool
    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells)


def _unrepeated(rows: list[_Row]) -> list[_Row]:
    """The rows without a header repeated where a later page opens: the plain rows that open a page
    again as they stand above the first row with figures on the first page."""
    if not rows:
        return rows
    header: set[str] = set()
    opened: set[int] = set()  # pages with a row kept, or with a row of figures on the first page
    kept = []
    for row in rows:
        if row.page == rows[0].page:
            if row.page not in opened and not row.bold:
                header.add(row.text)
            if any(cell.figures for cell in row.cells[1:]):
                opened.add(row.page)
        elif row.page not in opened and not row.bold and row.text in header:
            continue
        else:
            opened.add(row.page)
        kept.append(row)
    return kept


def _visual_lines(page_numbers: list[int], lines: list[Line]) -> list[_Visual]:
    """The table's lines top to bottom, page by page, text objects on one baseline joined."""
    visual: list[_Visual] = []
    order = sorted(range(len(lines)), key=lambda k: (page_numbers[k], -lines[k].baseline))
    for k in order:
        line, page = lines[k], page_numbers[k]
        near = [i for i in range(max(0, len(visual) - 8), len(visual)) if visual[i].page == page]
        same = next((i for i in reversed(near) if abs(visual[i].baseline - line.baseline) <= 0.5 * line.size), None)
        if same is None:
            visual.append(_Visual(page, line.baseline, line.size, line.bold, tuple(cells(line))))
        else:
            v = visual[same]
            joined = tuple(sorted([*v.cells, *cells(line)], key=lambda c: c.x0))
            visual[same] = _Visual(v.page, v.baseline, v.size, v.bold and line.bold, joined)
    return visual


@dataclass(frozen=True)
class _Columns:
    """Where a table's first column sits, read from the lines that carry figures (or else from all
    lines cut into cells)."""

    left: float  # the left edge of the labels
    middle: float  # how far most labels reach
    right: float  # how far the longest label reaches


def _columns(visual: list[_Visual]) -> _Columns | None:
    rows = [v.cells for v in visual if len(v.cells) > 1]
    rows = [row for row in rows if any(c.figures for c in row[1:])] or rows
    if not rows:
        return None
    left = Counter(round(row[0].x0) for row in rows).most_common(1)[0][0]
    ends = sorted(row[0].x1 for row in rows if abs(row[0].x0 - left) <= 3) or [left]
    return _Columns(left, ends[len(ends) // 2], ends[-1])


def _rows(visual: list[_Visual]) -> list[_Row]:
    """Rows of cells: a line under a row that goes on with its cells joins it, a line held over the
    next is put on top of it (see `_held`, `_continues`, `_stack`)."""
    columns = _columns(visual)
    if columns is None:
        return [_Row(v.page, v.bold, v.cells) for v in visual]
    rows: list[_Row] = []
    held: _Row | None = None  # a line waiting to go on top of the next one
    above: _Visual | None = None  # the line before, when it ended a row
    previous: _Visual | None = None
    for line in visual:
        near = previous is not None and previous.page == line.page and 0 < previous.baseline - line.baseline <= PITCH * line.size
        current = _Row(line.page, line.bold, line.cells)
        if held is not None:
            stacked = _stack(list(held.cells), list(current.cells), columns) if near else None
            if stacked is None:
                rows.append(held)
            else:
                current = _Row(held.page, held.bold, tuple(stacked))
            held = None
        if near and above is not None and rows and _continues(list(rows[-1].cells), above.cells, list(current.cells), columns):
            rows[-1] = _Row(rows[-1].page, rows[-1].bold, tuple(_extend(list(rows[-1].cells), list(current.cells))))
            above = line
        elif not line.bold and _held(list(current.cells), columns):
            held, above = current, None
        else:
            rows.append(current)
            above = line
        previous = line
    if held is not None:
        rows.append(held)
    return rows


def _held(cells: list[Cell], columns: _Columns) -> bool:
    """A plain line with no figures that may belong on top of the next line: a header cell wrapped
    above the row it heads (no cell in the first column), or a first cell alone on its line."""
    if any(c.figures for c in cells):
        return False
    first = Cell(columns.left, columns.middle, ())
    alone = len(cells) == 1 and abs(cells[0].x0 - columns.left) <= 3
    return alone or not any(c.overlaps(first) for c in cells)


def _continues(row: list[Cell], above: tuple[Cell, ...], cells: list[Cell], columns: _Columns) -> bool:
    """Whether `cells`, on the line under `above` (the last line of `row`), are more of the row's
    cells: they sit under its cells, no two under one, and leave its first cell alone, unless one
    cell goes on in the first cell where its line broke (inside a sentence, or for want of room)."""
    placed = [k for k in (_column(row, cell) for cell in cells) if k is not None]
    if not placed or len(set(placed)) < len(placed):
        return False
    if 0 not in placed:
        return True
    if len(cells) > 1 or abs(cells[0].x0 - row[0].x0) > 3:
        return False
    # a lower-case word goes on with the sentence (a note's letter, `b See …`, starts a note)
    starts_inside = bool(re.match(r"[a-z]{2}", cells[0].text))
    return starts_inside or bool(_OPEN_END.search(above[0].text)) or _wraps(above[0], cells[0], columns)


def _stack(upper: list[Cell], lower: list[Cell], columns: _Columns) -> list[Cell] | None:
    """`lower` with `upper` put on top: a first cell alone on its line that broke where `lower`'s
    first cell goes on, or header cells each over one cell of `lower` that is no figure."""
    if len(upper) == 1 and abs(upper[0].x0 - columns.left) <= 3:
        if abs(lower[0].x0 - columns.left) > 3 or not _wraps(upper[0], lower[0], columns):
            return None
        return [upper[0].below(lower[0]), *lower[1:]]
    targets = [_column(lower, cell) for cell in upper]
    if None in targets or len(set(targets)) < len(targets) or any(lower[k].figures for k in targets):
        return None
    stacked = list(lower)
    for cell, k in zip(upper, targets, strict=True):
        stacked[k] = cell.below(stacked[k])
    return stacked


def _wraps(cell: Cell, after: Cell, columns: _Columns) -> bool:
    """Whether the line of the first column broke after `cell`: it fills most of the column (no
    wider than its longest label) and the first word of `after` would not have fitted after it."""
    word = after.text.split(" ", 1)[0]
    width = (after.x1 - after.x0) / max(len(after.text), 1) * (len(word) + 1)
    full = columns.left + FULL * (columns.right - columns.left) <= cell.x1 <= columns.right + 3
    return full and cell.x1 + width > columns.right


def _column(row: list[Cell], cell: Cell) -> int | None:
    """The index of the one cell of `row` that `cell` sits under (their extents overlap), if one."""
    under = [k for k, c in enumerate(row) if c.overlaps(cell)]
    return under[0] if len(under) == 1 else None


def _extend(row: list[Cell], cells: list[Cell]) -> list[Cell]:
    """`row` with the text of `cells`, the line under it, added to the cells they sit under."""
    row = list(row)
    for cell in cells:
        column = _column(row, cell)
        if column is None:
            row.append(cell)
            row.sort(key=lambda c: c.x0)
        else:
            row[column] = row[column].below(cell)
    return row
