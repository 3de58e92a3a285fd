"""SQLite store: resolutions, paragraphs (with verbs, footnotes, citations) and their FTS5 text.

SQLite owns ids and text; each paragraph's integer `row` (never reused) is its id in FAISS.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import sql
from .errors import IndexOpenError
from .filters import Filters
from .parse.records import Footnote, Paragraph, Resolution, resolution_from_dict


@dataclass(frozen=True)
class StoredParagraph:
    """A paragraph as stored, with the resolution fields a hit shows and the ids of its neighbours."""

    row: int
    paragraph: Paragraph
    symbol: str
    position: int
    body: str
    session: int | None
    adopted: str | None
    title: str | None
    previous_id: str | None
    next_id: str | None


class Store:
    """The SQLite database of an index directory."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> Store:
        """Open the database; `create` makes it (and its schema) when missing."""
        if not create and not path.is_file():
            raise IndexOpenError(f"{path}: index database missing")
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = DELETE")
            if create:
                connection.executescript(sql.SCHEMA)
            connection.execute(sql.GET_META, ("generation",)).fetchone()
        except sqlite3.DatabaseError as error:
            raise IndexOpenError(f"{path}: corrupt index database ({error})") from None
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: a failure or a kill before COMMIT leaves the previous state."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def generation(self) -> int:
        """The number of the vectors file that matches this database's rows."""
        row = self._db.execute(sql.GET_META, ("generation",)).fetchone()
        return int(row[0]) if row else 0

    def set_generation(self, generation: int) -> None:
        self._db.execute(sql.SET_META, ("generation", str(generation)))

    def has_sha256(self, sha256: str) -> bool:
        return self._db.execute(sql.HAS_SHA256, (sha256,)).fetchone() is not None

    def remove(self, symbol: str) -> list[int]:
        """Delete a resolution and its paragraphs; return the rows whose vectors must go too."""
        rows = [r for (r,) in self._db.execute(sql.ROWS_OF_SYMBOL, (symbol,))]
        for row in rows:
            self._db.execute(sql.DELETE_TEXT, (row,))
        self._db.execute(sql.DELETE_PARAGRAPHS, (symbol,))
        self._db.execute(sql.DELETE_RESOLUTION, (symbol,))
        return rows

    def add(self, resolution: Resolution) -> list[tuple[int, Paragraph]]:
        """Insert a resolution and its paragraphs; return each paragraph with its new row."""
        self._db.execute(
            sql.INSERT_RESOLUTION,
            {
                "symbol": resolution.symbol,
                "body": resolution.body,
                "session": resolution.session,
                "title": resolution.title,
                "adopted": resolution.adopted,
                "meeting": resolution.meeting,
                "source": resolution.source,
                "sha256": resolution.sha256,
                "document": json.dumps(resolution.to_dict(), ensure_ascii=False),
            },
        )
        added: list[tuple[int, Paragraph]] = []
        for position, paragraph in enumerate(resolution.paragraphs):
            cursor = self._db.execute(
                sql.INSERT_PARAGRAPH,
                {
                    "id": paragraph.id,
                    "symbol": resolution.symbol,
                    "position": position,
                    "kind": paragraph.kind,
                    "number": paragraph.number,
                    "section": paragraph.section,
                    "phrase": paragraph.phrase,
                    "verb": paragraph.verb,
                    "modifiers": json.dumps(paragraph.modifiers),
                    "text": paragraph.text,
                    "footnotes": json.dumps([f.__dict__ for f in paragraph.footnotes], ensure_ascii=False),
                    "citations": json.dumps(paragraph.citations),
                    "body": resolution.body,
                    "session": resolution.session,
                    "adopted": resolution.adopted,
                },
            )
            row = cursor.lastrowid
            self._db.execute(sql.INSERT_TEXT, (row, paragraph.text))
            added.append((row, paragraph))
        return added

    def contains(self, symbol: str) -> bool:
        return self._db.execute(sql.RESOLUTION_SHA256, (symbol,)).fetchone() is not None

    def filtered_rows(self, filters: Filters) -> list[int]:
        """Rows of every paragraph that passes the filters."""
        where, params = filters.where()
        return [r for (r,) in self._db.execute(sql.FILTERED_ROWS.format(filters=where), params)]

    def lexical(self, match: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """BM25 ranking by FTS5 of the rows that pass the filters; `match` is already safe FTS5 syntax."""
        where, params = filters.where()
        cursor = self._db.execute(sql.LEXICAL.format(filters=where), {**params, "match": match, "limit": limit})
        return [(row, score) for row, score in cursor]

    def paragraphs(self, rows: list[int]) -> dict[int, StoredParagraph]:
        """The stored paragraphs of these rows, by row."""
        cursor = self._db.execute(sql.PARAGRAPHS_BY_ROW, (json.dumps(rows),))
        return {record[0]: _stored(record) for record in cursor}

    def ids(self, rows: list[int]) -> dict[int, str]:
        """Paragraph ids of these rows, by row."""
        return {row: pid for row, pid, _ in self._db.execute(sql.IDS_TEXTS_BY_ROW, (json.dumps(rows),))}

    def texts(self, rows: list[int]) -> dict[str, str]:
        """Paragraph texts of these rows, by paragraph id, in row order."""
        found = {row: (pid, text) for row, pid, text in self._db.execute(sql.IDS_TEXTS_BY_ROW, (json.dumps(rows),))}
        return dict(found[row] for row in rows if row in found)

    def paragraph(self, paragraph_id: str) -> StoredParagraph | None:
        record = self._db.execute(sql.PARAGRAPH_BY_ID, (paragraph_id,)).fetchone()
        return _stored(record) if record else None

    def resolution(self, symbol: str) -> Resolution | None:
        record = self._db.execute(sql.RESOLUTION_DOCUMENT, (symbol,)).fetchone()
        return resolution_from_dict(json.loads(record[0])) if record else None

    def paragraph_ids(self) -> set[str]:
        """Every paragraph id in the index."""
        return {pid for (pid,) in self._db.execute(sql.ALL_IDS)}

    def known_verbs(self) -> set[str]:
        return {verb for (verb,) in self._db.execute(sql.KNOWN_VERBS)}

    def known_symbols(self, symbols: tuple[str, ...]) -> set[str]:
        return {s for (s,) in self._db.execute(sql.KNOWN_SYMBOLS, (json.dumps(list(symbols)),))}

    def counts(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Resolutions by body, and paragraphs by (body, kind)."""
        resolutions = dict(self._db.execute(sql.COUNT_RESOLUTIONS).fetchall())
        paragraphs = {(body, kind): n for body, kind, n in self._db.execute(sql.COUNT_PARAGRAPHS)}
        return resolutions, paragraphs


def _stored(record: tuple) -> StoredParagraph:
    (row, pid, symbol, position, kind, number, section, phrase, verb, modifiers, text,
     footnotes, citations, body, session, adopted, title, previous_id, next_id) = record
    paragraph = Paragraph(
        id=pid,
        kind=kind,
        number=number,
        section=section,
        phrase=phrase,
        verb=verb,
        modifiers=tuple(json.loads(modifiers)),
        text=text,
        footnotes=tuple(Footnote(**f) for f in json.loads(footnotes)),
        citations=tuple(json.loads(citations)),
    )
    return StoredParagraph(row, paragraph, symbol, position, body, session, adopted, title, previous_id, next_id)
