"""Tables in GA resolution PDFs (scales of assessment, staffing tables, budget figures): which lines
form one, and how its lines become rows of cells, one row per line of text.

A table is told apart from running text by what the page shows: lines cut into cells by wide
horizontal gaps. Its rows are rebuilt from where the cells sit: a header cell wrapped over lines
above the row it heads, a cell wrapped under its row, a long first cell whose last words sit on the
line that carries the row's figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .blocks import OPENS_PARAGRAPH, ROW, Block, Run, normalize_space

if TYPE_CHECKING:
    from .pdf import Line

TABLE_SIZE = 0.92  # table rows and notes are set smaller than this fraction of the body text
PITCH = 1.4  # lines of one row or one cell are at most this many line heights apart
_ANNEX_HEADING = re.compile(r"^\s*Annex\b")


@dataclass(frozen=True)
class Cell:
    """The text of one table cell on one line, with its horizontal extent on the page."""

    x0: float
    x1: float
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return normalize_space("".join(r.text for r in self.runs if not r.marker))

    def below(self, other: Cell) -> Cell:
        """This cell with `other`'s text after it: the same cell wrapped onto the next line."""
        return Cell(min(self.x0, other.x0), max(self.x1, other.x1), (*self.runs, Run(" "), *other.runs))

    def overlaps(self, other: Cell) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1


def in_tables(lines: list[Line]) -> set[int]:
    """The lines (by `id`) of tables among a document's body lines in reading order: runs of lines
    set smaller than the body text, or cut into cells at body size, of which at least two are cut into
    cells. A run holds the table's caption, header, rows, bold headings and the notes under it."""
    sizes = sorted(round(line.size, 1) for line in lines)
    if not sizes:
        return set()
    body = max(set(sizes), key=sizes.count)
    found: set[int] = set()
    run: list[Line] = []
    bold: list[Line] = []  # bold lines (a table's caption or a heading between its rows), kept if rows follow
    for line in [*lines, None]:
        if line is not None and (line.size < TABLE_SIZE * body or (line.size <= body + 0.5 and _body_row(line))):
            run += [*bold, line]
            bold = []
            continue
        if line is not None and line.bold and not _ANNEX_HEADING.match(line.text):
            bold.append(line)
            continue
        if sum(1 for ln in run if len(ln.cells()) > 1) >= 2:
            found.update(id(ln) for ln in run)
        run, bold = [], []
    return found


def _body_row(line: Line) -> bool:
    """A row set in body size: cut into cells, with no italic lead or paragraph number that would
    open a paragraph."""
    first = next(s for s in line.segments if s.text.strip())
    return len(line.cells()) > 1 and not first.italic and not OPENS_PARAGRAPH.match(line.text)


def table_block(page_numbers: list[int], lines: list[Line]) -> Block:
    """A table's lines as one block, one row per line of text (rows apart by `ROW`)."""
    runs: list[Run] = []
    for i, cells in enumerate(_merge_rows(_visual_lines(page_numbers, lines))):
        if i:
            runs.append(Run(ROW))
        for k, cell in enumerate(cells):
            if k:
                runs.append(Run(" "))
            runs.extend(cell.runs)
    return Block(tuple(runs), table=True)


def _visual_lines(page_numbers: list[int], lines: list[Line]) -> list[tuple[int, float, float, bool, list[Cell]]]:
    """The table's lines as the eye reads them, top to bottom: (page, baseline, size, bold, cells left
    to right), text objects on one baseline joined."""
    visual: list[tuple[int, float, float, bool, list[Cell]]] = []
    order = sorted(range(len(lines)), key=lambda k: (page_numbers[k], -lines[k].baseline))
    for k in order:
        line, page = lines[k], page_numbers[k]
        same = next((v for v in reversed(visual[-8:]) if v[0] == page and abs(v[1] - line.baseline) <= 0.5 * line.size), None)
        if same is not None:
            same[4].extend(line.cells())
            same[4].sort(key=lambda c: c.x0)
        else:
            visual.append((page, line.baseline, line.size, line.bold, line.cells()))
    return visual


def _merge_rows(visual: list[tuple[int, float, float, bool, list[Cell]]]) -> list[list[Cell]]:
    """Rows of cells from the visual lines.

    A line at the line pitch under a row continues it when its cells sit under the row's cells,
    leaving the row's first column empty, or when it is one cell that goes on at the left edge of the
    row's first cell (cells wrapped under their row). A plain line with no cell in the table's first
    column is held: a header wrapped above the row it heads, centred on it, that goes on top of the
    next line's cells when each of its cells sits over one of them. So is a first cell alone on its
    line, which goes on in the next line's first cell when the line broke inside it (the figures of
    its row stand on the row's last line).
    """
    rows_with_cells = [cells for *_, cells in visual if len(cells) > 1]
    if not rows_with_cells:
        return [cells for *_, cells in visual]
    left = min(cells[0].x0 for cells in rows_with_cells)
    ends = sorted(cells[0].x1 for cells in rows_with_cells if cells[0].x0 <= left + 3)
    first = Cell(left, ends[len(ends) // 2], ())  # the first column, as most rows fill it
    rows: list[list[Cell]] = []
    held: list[Cell] | None = None  # a line waiting to go on top of the next one
    above: tuple[int, float] | None = None  # page and baseline of the line before
    row_above = False  # whether that line is the last line of `rows[-1]`
    for page, baseline, size, bold, cells in visual:
        near = above is not None and above[0] == page and 0 < above[1] - baseline <= PITCH * size
        if held is not None:
            stacked = _stack(held, cells, ends[-1]) if near else None
            if stacked is None:
                rows.append(held)
                row_above = True
            else:
                cells, row_above = stacked, False
            held = None
        if near and row_above and _continues(rows[-1], cells):
            rows[-1] = _extend(rows[-1], cells)
        elif not bold and (not any(c.overlaps(first) for c in cells) or (len(cells) == 1 and abs(cells[0].x0 - left) <= 3)):
            held, row_above = cells, False
        else:
            rows.append(cells)
            row_above = True
        above = (page, baseline)
    if held is not None:
        rows.append(held)
    return rows


def _continues(row: list[Cell], cells: list[Cell]) -> bool:
    """Whether `cells`, just under `row`, are more of its cells' text: they leave its first column
    empty and some sit under its cells, no two under one, or one cell goes on at the left edge of
    the row's first cell."""
    columns = [k for k in (_column(row, cell) for cell in cells) if k is not None]
    if not columns or len(set(columns)) < len(columns):
        return False
    return 0 not in columns or (len(cells) == 1 and abs(cells[0].x0 - row[0].x0) <= 3)


def _wraps(cell: Cell, after: Cell, right: float) -> bool:
    """Whether the first word of `after` would not have fitted after `cell` in a column whose text
    reaches `right`: the line broke there, and `after` goes on with the same cell."""
    word = after.text.split(" ", 1)[0]
    width = (after.x1 - after.x0) / max(len(after.text), 1) * (len(word) + 1)
    return cell.x1 + width > right


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


def _stack(upper: list[Cell], lower: list[Cell], right: float) -> list[Cell] | None:
    """`lower` with each cell of `upper` put on top of the one cell it sits over; None when a cell
    of `upper` sits over none or several, or two over one, or when a first cell alone on its line
    does not go on in the next line's first cell (see `_wraps`)."""
    if len(upper) == 1 and abs(upper[0].x0 - lower[0].x0) <= 3:
        # a first cell alone on its line: it may span the columns of the figures beside it
        columns: list[int | None] = [0] if _wraps(upper[0], lower[0], right) else [None]
    else:
        columns = [_column(lower, cell) for cell in upper]
    if None in columns or len(set(columns)) < len(columns):
        return None
    stacked = list(lower)
    for cell, column in zip(upper, columns, strict=True):
        stacked[column] = cell.below(stacked[column])
    return stacked
