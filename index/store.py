"""SQLite store: resolutions, paragraphs (with verbs, footnotes, citations) and their FTS5 text.

SQLite owns ids and text; each paragraph's integer `row` (never reused) is its id in FAISS.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from . import sql
from .errors import IndexOpenError, IndexWriteError
from .filters import Filters
from .lexical import Document
from .parse.records import KINDS, Footnote, Paragraph, Resolution, citations_from_json, resolution_from_dict
from .variants import VARIANTS_KEY, compounds, for_document, for_query, joined_words, phrase_spellings
from .variants import VERSION as VARIANTS


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


GENERATION_KEY = "generation"  # the meta key naming the committed vectors and BM25 files
BUSY_MS = 5000  # how long a statement waits on a checkpoint or a lock before failing
LOCK_POLL_SECONDS = 0.2


class Store:
    """The SQLite database of an index directory."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.unwritable: str | None = None  # why this process cannot write the database (opened read-only), if so

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> Store:
        """Open the database in WAL mode, so readers keep reading while a writer commits; `create` makes it.

        An index this process cannot write is opened read-only, so every read works and a write says why
        not (`unwritable`): immutable on read-only media or a full disk (nothing can change it there, and
        SQLite has no room or right to make its shared-memory file), else with SQLite's read-only mode,
        which still sees what another process with the right to write commits (immutable too when that
        mode cannot make the shared-memory file it needs: such a reader sees the index as it was opened).
        """
        if not create and not path.is_file():
            raise IndexOpenError(f"{path}: index database missing")
        reason = None if create else unwritable(path.parent, path)
        try:
            connection = _connect(path, create, reason, immutable=reason in (FULL, READ_ONLY_MEDIA))
        except sqlite3.DatabaseError as error:
            if reason is None and not create and _full(path.parent):
                reason = FULL  # the disk filled since it was looked at: read the database as it is
            elif not (reason is not None and getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY")):
                raise IndexOpenError(f"{path}: {cause(error, path)}") from None
            try:  # read-only mode needs a shared-memory file this process may not create: read the file as it is
                connection = _connect(path, create, reason, immutable=True)
            except sqlite3.DatabaseError:
                raise IndexOpenError(f"{path}: {cause(error, path)}") from None
        store = cls(connection, path)
        store.unwritable = reason
        if reason is None:
            store._use_wal()
        return store

    def _use_wal(self) -> None:
        """Switch an index made before WAL mode; a read-only or busy database stays as it is."""
        try:
            if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass

    def close(self) -> None:
        self._db.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The open database, for the modules that keep their own tables in it (links)."""
        return self._db

    @contextmanager
    def transaction(self, wait: bool = True, waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """The write lock, then all-or-nothing: a failure or a kill before COMMIT leaves the previous state.

        Another writer holding the lock is waited for (`waiting` is called once) or, with `wait=False`,
        an `IndexWriteError`. A failure inside is re-raised as it was; the rollback never hides it.
        """
        self._lock(wait, waiting)
        try:
            yield
        except BaseException:
            try:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            try:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise IndexWriteError(f"{self.path}: cannot commit: {cause(error, self.path)}; the previous index is kept") from None

    def _lock(self, wait: bool, waiting: Callable[[], None] | None) -> None:
        """BEGIN IMMEDIATE: the one write lock of the index, taken before anything is read for an update."""
        if self.unwritable is not None:
            raise IndexWriteError(f"{self.path.parent}: {self.unwritable}; the index can be searched, not written")
        self._db.execute("PRAGMA busy_timeout = 0")
        told = False
        try:
            while True:
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise IndexWriteError(f"{self.path}: cannot write: {cause(error, self.path)}") from None
                if not wait:
                    raise IndexWriteError(
                        f"{self.path.parent}: another unres process is writing this index; try again when it is done"
                    )
                if not told and waiting is not None:
                    waiting()
                told = True
                time.sleep(LOCK_POLL_SECONDS)
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent read: every statement inside sees the same committed state."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                pass

    @property
    def generation(self) -> int:
        """The number of the vectors file that matches this database's rows."""
        return int(self.meta(GENERATION_KEY) or 0)

    def set_generation(self, generation: int) -> None:
        self.set_meta(GENERATION_KEY, str(generation))

    def meta(self, key: str) -> str | None:
        row = self._db.execute(sql.GET_META, (key,)).fetchone()
        return row[0] if row else None

    def metas(self, keys: tuple[str, ...]) -> dict[str, str]:
        """Several meta values read by one statement, so they agree even outside a snapshot."""
        return dict(self._db.execute(sql.GET_METAS, (json.dumps(list(keys)),)).fetchall())

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(sql.SET_META, (key, value))

    def symbol_of_sha256(self, sha256: str) -> str | None:
        """The symbol stored from a file with these bytes, if any."""
        row = self._db.execute(sql.SYMBOL_OF_SHA256, (sha256,)).fetchone()
        return row[0] if row else None

    def source(self, symbol: str) -> tuple[str, str] | None:
        """(source path, sha256) of a stored resolution."""
        row = self._db.execute(sql.SOURCE_OF_SYMBOL, (symbol,)).fetchone()
        return (row[0], row[1]) if row else None

    def all_rows(self) -> list[int]:
        return [r for (r,) in self._db.execute(sql.ALL_ROWS)]

    def text_rows(self) -> list[int]:
        """Rows of the full-text table (each should be a paragraph's row)."""
        return [r for (r,) in self._db.execute(sql.ALL_TEXT_ROWS)]

    def restore_text(self, missing: list[int], extra: list[int]) -> None:
        """Make the full-text table match the paragraphs again."""
        for row in extra:
            self._db.execute(sql.DELETE_TEXT, (row,))
        spelled = for_document if self.respelled() else str
        found = self._db.execute(sql.IDS_TEXTS_BY_ROW, (json.dumps(missing),)).fetchall()
        self._db.executemany(sql.INSERT_TEXT, [(row, spelled(text)) for row, _, text in found])

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
        resolution = replace(resolution, source=_storable(resolution.source))
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
                    # an object, so that an empty list is known for what it is (see `citations_from_json`)
                    "citations": json.dumps({"cited": [asdict(c) for c in paragraph.citations]}, ensure_ascii=False),
                    "body": resolution.body,
                    "session": resolution.session,
                    "adopted": resolution.adopted,
                },
            )
            row = cursor.lastrowid
            self._db.execute(sql.INSERT_TEXT, (row, for_document(paragraph.text)))
            self._db.executemany(sql.INSERT_COMPOUND, compounds(paragraph.text))
            added.append((row, paragraph))
        return added

    def upgrade(self) -> None:
        """What an index made by an older version lacks and a write adds: the full text's spelling variants
        (`respell_text`) and the index of paragraphs by kind."""
        self.respell_text()
        self._db.execute(sql.KIND_INDEX)

    def respell_text(self) -> None:
        """Write the full text as `variants.for_document` reads it, once: an index made before variants is
        rewritten by its next write (`add` writes it so from then on); until then, queries match it as written."""
        if not self.respelled():
            texts = self._db.execute(sql.ALL_TEXTS).fetchall()
            self._db.execute(sql.DELETE_ALL_TEXT)
            self._db.executemany(sql.INSERT_TEXT, [(row, for_document(text)) for row, text in texts])
            self._db.execute(sql.COMPOUND_SCHEMA)
            self._db.executemany(sql.INSERT_COMPOUND, [pair for _, text in texts for pair in compounds(text)])
            self.set_meta(VARIANTS_KEY, VARIANTS)

    def respelled(self) -> bool:
        """Whether the full text is written as this version of `variants.for_document` reads it."""
        return self.meta(VARIANTS_KEY) == VARIANTS

    def query_text(self, text: str) -> str:
        """A query's words as the full text matches them: `variants.for_query` once the full text is respelled."""
        return for_query(text) if self.respelled() else text

    def phrase_match(self, phrase: str) -> str:
        """The FTS5 expression of a phrase of plain words: each spelling the full text may hold it in, quoted, OR-ed."""
        if not self.respelled():
            return f'"{phrase}"'
        parts = dict(self._db.execute(sql.PARTS_OF_JOINED, (json.dumps(joined_words(phrase)),)).fetchall())
        spellings = phrase_spellings(phrase, parts)
        return " OR ".join(f'"{spelling}"' for spelling in spellings)

    def contains(self, symbol: str) -> bool:
        return self._db.execute(sql.RESOLUTION_SHA256, (symbol,)).fetchone() is not None

    def filtered_rows(self, filters: Filters) -> list[int]:
        """Rows of every paragraph that passes the filters, in row order (an index on kind gives them kind by kind)."""
        where, params = filters.where(self.phrase_match)
        return sorted(r for (r,) in self._db.execute(sql.FILTERED_ROWS.format(filters=where), params))

    def lexical(self, match: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """BM25 ranking by FTS5 of the rows that pass the filters; `match` is already safe FTS5 syntax."""
        where, params = filters.where(self.phrase_match)
        cursor = self._db.execute(sql.LEXICAL.format(filters=where), {**params, "match": match, "limit": limit})
        return [(row, score) for row, score in cursor]

    def texts_matching(self, word: str, limit: int) -> list[str]:
        """Texts of up to `limit` paragraphs holding a word that starts with `word` (plain letters) as FTS5 stems it."""
        return [text for (text,) in self._db.execute(sql.TEXTS_MATCHING, {"match": f'"{word}" *', "limit": limit})]

    def lexical_documents(self, rows: list[int] | None = None) -> Iterator[Document]:
        """Paragraphs (these rows, or all) as the lexical index reads them: the text, and the resolution's title
        with the section heading."""
        cursor = self._db.execute(sql.LEXICAL_DOCUMENTS) if rows is None else self._db.execute(sql.LEXICAL_DOCUMENTS_BY_ROW, (json.dumps(rows),))
        for row, text, title, section in cursor:
            yield Document(row, text, ". ".join(part for part in (title, section) if part))

    def paragraphs(self, rows: list[int]) -> dict[int, StoredParagraph]:
        """The stored paragraphs of these rows, by row."""
        cursor = self._db.execute(sql.PARAGRAPHS_BY_ROW, (json.dumps(rows),))
        return {record[0]: _stored(record) for record in cursor}

    def facets(self, rows: list[int]) -> dict[int, tuple[str, str, int | None, int | None, str]]:
        """(body, verb, session, year adopted, text) of these rows, by row: what query intents are matched against."""
        return {
            row: (body, verb, session, int(year) if year and year.isdigit() else None, text)
            for row, body, verb, session, year, text in self._db.execute(sql.FACETS_BY_ROW, (json.dumps(rows),))
        }

    def copies(self, rows: list[int]) -> dict[int, tuple[str, str, str | None, str]]:
        """(id, symbol, adopted, text) of these rows, by row: what identical paragraphs are grouped by."""
        return {found[0]: found[1:] for found in self._db.execute(sql.COPIES_BY_ROW, (json.dumps(rows),))}

    def ids(self, rows: list[int]) -> dict[int, str]:
        """Paragraph ids of these rows, by row."""
        return {row: pid for row, pid, _ in self._db.execute(sql.IDS_TEXTS_BY_ROW, (json.dumps(rows),))}

    def texts(self, rows: list[int]) -> dict[str, str]:
        """Paragraph texts of these rows, by paragraph id, in row order."""
        found = {row: (pid, text) for row, pid, text in self._db.execute(sql.IDS_TEXTS_BY_ROW, (json.dumps(rows),))}
        return dict(found[row] for row in rows if row in found)

    def trend_counts(self, match: str | None, filters: Filters) -> list[tuple[str, int | None, str | None, int]]:
        """(body, session, year, count) of the paragraphs passing the filters that match `match` (all when None)."""
        where, params = filters.where(self.phrase_match)
        if match is None:
            return self._db.execute(sql.TREND_TOTALS.format(filters=where), params).fetchall()
        return self._db.execute(sql.TREND.format(filters=where), {**params, "match": match}).fetchall()

    def count_matching(self, match: str | None, filters: Filters) -> int:
        """How many paragraphs passing the filters match `match` (safe FTS5 syntax; None: all of them)."""
        source, params = _matching(match, filters, self.phrase_match)
        return self._db.execute(sql.COUNT_MATCHING.format(source=source), params).fetchone()[0]

    def facet_counts(self, match: str | None, filters: Filters, facet: str, limit: int) -> list[tuple[str | None, int]]:
        """(value, paragraphs) of one facet (`sql.FACET_COLUMNS`) among those `count_matching` counts, most first."""
        source, params = _matching(match, filters, self.phrase_match)
        query = sql.FACET_COUNTS.format(column=sql.FACET_COLUMNS[facet], source=source)
        return [(None if value is None else str(value), n) for value, n in self._db.execute(query, {**params, "limit": limit})]

    def rows_by_date(self, match: str | None, filters: Filters, limit: int, offset: int) -> list[int]:
        """Rows of the paragraphs `count_matching` counts, latest adopted first, each resolution's in document order."""
        source, params = _matching(match, filters, self.phrase_match)
        cursor = self._db.execute(sql.ROWS_BY_DATE.format(source=source), {**params, "limit": limit, "offset": offset})
        return [row for (row,) in cursor]

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

    def verb_counts(self, kinds: tuple[str, ...] = KINDS) -> dict[str, int]:
        """Paragraphs of these kinds per verb, most frequent first."""
        return dict(self._db.execute(sql.VERB_COUNTS, (json.dumps(list(kinds)),)).fetchall())

    def sessions(self) -> list[int]:
        """The GA sessions the index holds resolutions of, in order."""
        return [session for (session,) in self._db.execute(sql.KNOWN_SESSIONS)]

    def resolve_symbol(self, symbol: str) -> str | None:
        """The index's symbol for one as a query wrote it (an SC number without its year completed), or None."""
        found = self._db.execute(sql.RESOLVE_SYMBOL, {"symbol": symbol}).fetchone()
        return found[0] if found else None

    def known_symbols(self, symbols: tuple[str, ...]) -> set[str]:
        return {s for (s,) in self._db.execute(sql.KNOWN_SYMBOLS, (json.dumps(list(symbols)),))}

    def coverage(self) -> list[tuple[str, str | None, int, int]]:
        """(body, year, resolutions, of which undated) per body and year adopted (the SC symbol's when the date is lost)."""
        return self._db.execute(sql.COVERAGE).fetchall()

    def session_counts(self) -> list[tuple[int, int]]:
        """(session, resolutions) of the GA sessions held, in order."""
        return self._db.execute(sql.SESSION_COUNTS).fetchall()

    def counts(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Resolutions by body, and paragraphs by (body, kind)."""
        resolutions = dict(self._db.execute(sql.COUNT_RESOLUTIONS).fetchall())
        paragraphs = {(body, kind): n for body, kind, n in self._db.execute(sql.COUNT_PARAGRAPHS)}
        return resolutions, paragraphs


def _connect(path: Path, create: bool, unwritable: str | None, *, immutable: bool) -> sqlite3.Connection:
    """A connection to the database (read-only when `unwritable` says why it must be, and `immutable`: as
    the file is, with no locks and no log), or the error one line explains."""
    if immutable and _has_log(path):
        raise IndexOpenError(
            f"{path}: {unwritable}, and changes committed to it may still be in {path.name}-wal; "
            "open it once where it can be written, or copy the index with that file to a writable place"
        )
    if unwritable is not None:
        uri = f"{path.absolute().as_uri()}?mode=ro{'&immutable=1' * immutable}"
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if create:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(sql.SCHEMA)
        connection.execute(sql.GET_META, (GENERATION_KEY,)).fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def cause(error: sqlite3.Error, path: Path) -> str:
    """What an SQLite error means to the user: a full disk, read-only media, a permission, or damage."""
    name = getattr(error, "sqlite_errorname", None) or ""
    if name.startswith("SQLITE_FULL") or (name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and _full(path.parent)):
        return "disk full (database or disk is full); free some space and try again"
    if name.startswith("SQLITE_READONLY"):
        return f"read-only ({error})"
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")) or (
        name.startswith("SQLITE_CANTOPEN") and not (os.access(path, os.R_OK) and os.access(path.parent, os.X_OK))
    ):
        return f"permission denied ({error})"
    if name.startswith("SQLITE_IOERR"):
        return f"input/output error ({error}); the disk or the file system failed"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return f"corrupt index database ({error})"
    return f"cannot open the index database ({error})"


FULL = "disk full (no space left on device)"
READ_ONLY_MEDIA = "read-only file system"


def unwritable(directory: Path, database: Path | None = None) -> str | None:
    """Why this process cannot write the index in `directory` (and its `database` file): a full disk,
    read-only media or a permission; None if it can."""
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return READ_ONLY_MEDIA
    except OSError:
        pass
    if _full(directory):
        return FULL
    if not os.access(directory, os.W_OK) or (database is not None and database.exists() and not os.access(database, os.W_OK)):
        return "permission denied"
    return None


def _full(directory: Path) -> bool:
    """True when the file system holding `directory` has (almost) no space left for this process."""
    try:
        space = os.statvfs(directory)
    except OSError:
        return False
    return space.f_bavail * space.f_frsize < 1 << 20


def _has_log(path: Path) -> bool:
    """True when the write-ahead log beside the database holds committed changes not yet in the file."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _storable(text: str) -> str:
    """A file name that was not UTF-8 (lone surrogates in Python) kept readable: bytes as `\\xNN`."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _stored(record: tuple) -> StoredParagraph:
    (row, pid, symbol, position, kind, number, section, phrase, verb, modifiers, text,
     footnotes, citations, body, session, adopted, title, previous_id, next_id) = record
    notes = tuple(Footnote(**f) for f in json.loads(footnotes))
    paragraph = Paragraph(
        id=pid,
        kind=kind,
        number=number,
        section=section,
        phrase=phrase,
        verb=verb,
        modifiers=tuple(json.loads(modifiers)),
        text=text,
        footnotes=notes,
        citations=citations_from_json(json.loads(citations), pid, text, notes),
    )
    return StoredParagraph(row, paragraph, symbol, position, body, session, adopted, title, previous_id, next_id)


def _matching(match: str | None, filters: Filters, phrase_match: Callable[[str], str]) -> tuple[str, dict]:
    """The FROM and WHERE of the paragraphs passing `filters` that match `match` (all when None), with parameters."""
    where, params = filters.where(phrase_match)
    if match is None:
        return sql.FILTERED.format(filters=where), params
    return sql.MATCHING.format(filters=where), {**params, "match": match}
