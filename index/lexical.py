"""The lexical index: BM25 over each paragraph's text and, as a second field, its heading (the
resolution's title and the paragraph's section heading), English-stemmed, without stop words.

It is kept in segments so that a write costs what it changes. A write that adds paragraphs stores their
term frequencies as one segment, `lexical.<generation>/`; the record in the database lists the committed
segments and, for each, the rows deleted from it since. BM25 is computed at query time from the stored
term frequencies and the statistics of the live paragraphs (how many hold a word, their mean length), so
a segmented index ranks as one built in one go. Segments merge as index/segments.py says; a merge that
would reach the oldest builds the whole index again (as `unres check --repair` does). Segments written between whole
builds read compounds joined as the last whole build chose them (variants.py counts them over the corpus).

A segment holds `rows.npy` (the paragraph row of each document), `heading_of.npy` (each paragraph's
heading, numbered across segments: a heading is stored once, by the first segment holding it), per field
the term frequencies (`<field>.tf.npy`, `.indices.npy`, `.indptr.npy`: one span per word) and word
counts (`<field>.length.npy`), `headings.json` (the heading texts it added, read by writers only) and
`params.json` (tokenizer, vocabularies, format). Queries read the arrays memory-mapped and score with
numpy alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from .errors import IndexOpenError, IndexWriteError
from .ownership import remove_folder
from .segments import merge_start, too_deleted
from .variants import VERSION as VARIANTS
from .variants import for_document, joined_variants

LEXICAL_KEY = "lexical"  # the meta key holding the committed `LexicalRecord`
FORMAT_VERSION = 2  # 2: term frequencies in segments, BM25 at query time; 1: one folder of bm25s scores
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # bm25s's default: words of two characters or more
STEMMER = "english"  # Snowball, by PyStemmer
# BM25's saturation and length normalization (Anserini's defaults): on the dev half of the judged set
# they beat bm25s's own 1.5 / 0.75 in hybrid mode (benchmarks/relevance/README.md)
K1 = 0.9
B = 0.4
FIELDS = ("text", "heading")
STEM_CACHE = 200_000  # words whose stems a tokenizer remembers
ARRAYS = ("tf", "indices", "indptr", "length")
LEXICAL_FILES = frozenset(
    {"rows.npy", "heading_of.npy", "headings.json", "params.json"} | {f"{f}.{a}.npy" for f in FIELDS for a in (*ARRAYS, "data")}
)  # all a segment holds, and the bm25s scores (`data`) a folder of format 1 held
REPAIR = "run `unres check --repair` to rebuild it"


def lexical_path(directory: Path, generation: int) -> Path:
    return directory / f"lexical.{generation}"


@dataclass(frozen=True)
class SegmentRecord:
    """One committed segment: the generation that wrote it, each file's size and SHA-256, how many paragraphs
    it holds and the rows deleted from it since."""

    generation: int
    files: dict[str, tuple[int, str]]
    count: int
    deleted: tuple[int, ...] = ()

    @property
    def live(self) -> int:
        return self.count - len(self.deleted)


@dataclass(frozen=True)
class LexicalRecord:
    """A lexical index as committed: its segments, oldest first. `outdated`: one of an earlier format
    (searched with SQLite's full text until a write or `unres check --repair` builds it again)."""

    segments: tuple[SegmentRecord, ...]
    outdated: bool = False

    @property
    def count(self) -> int:
        """Live paragraphs."""
        return sum(s.live for s in self.segments)

    def to_json(self) -> str:
        return json.dumps({"format_version": FORMAT_VERSION, "segments": [asdict(s) for s in self.segments]}, sort_keys=True)

    @classmethod
    def from_json(cls, path: Path, text: str | None) -> LexicalRecord | None:
        if text is None:
            return None
        try:
            data = json.loads(text)
            if data.get("format_version") != FORMAT_VERSION:
                return cls((), outdated=True)
            return cls(tuple(
                SegmentRecord(int(s["generation"]), {name: (int(size), str(sha)) for name, (size, sha) in s["files"].items()},
                              int(s["count"]), tuple(int(r) for r in s["deleted"]))
                for s in data["segments"]
            ))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise IndexOpenError(f"{path}: corrupt lexical index record in the database ({error}); {REPAIR}") from None


@dataclass(frozen=True)
class Document:
    """What the lexical index reads of one paragraph."""

    row: int
    text: str
    heading: str


class Tokenizer:
    """Lower-cased words of two letters or more, stop words dropped, then stemmed (each word once, cached);
    with `variants`, spelling variants read as one (variants.py: `cease-fire` also as `ceasefire`, `-ise` as `-ize`).

    The index stores its stop words, stemmer and variants, so a query is cut exactly as the paragraphs were.
    """

    def __init__(
        self, stopwords: Iterable[str], stemmer: str | None = STEMMER, variants: str | None = VARIANTS, joined: Container[str] | None = None,
    ) -> None:
        self.stopwords = frozenset(stopwords)
        self.stemmer = stemmer
        self.variants = variants
        self.joined = joined  # building: the compounds whose joined form is a variant the corpus prints (variants.py)
        self._split = re.compile(TOKEN_PATTERN).findall
        self._stem = _stemmer(stemmer)
        self._cache: dict[str, str] = {}

    def __call__(self, text: str, *, stopwords: bool = True) -> list[str]:
        """The tokens of `text`; `stopwords=False` keeps stop words (a query made only of them)."""
        words = self._split((for_document(text, self.joined) if self.variants else text).lower())
        if stopwords:
            words = [w for w in words if w not in self.stopwords]
        cache = self._cache
        out = []
        for word in words:
            stem = cache.get(word)
            if stem is None:
                if len(cache) >= STEM_CACHE:  # a long-running server meets ever new query words
                    cache.clear()
                stem = cache[word] = self._stem(word)
            out.append(stem)
        return out


def _stemmer(language: str | None):
    if language is None:
        return lambda word: word
    import Stemmer

    return Stemmer.Stemmer(language).stemWord


@dataclass(frozen=True)
class _Postings:
    """One field of one segment: word w occurs tf[i] times in document indices[i], for i in indptr[w]:indptr[w+1];
    length[d] is document d's count of words."""

    vocab: dict[str, int]
    tf: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    length: np.ndarray

    @classmethod
    def count(cls, corpus: Iterable[list[str]]) -> _Postings:
        """The term frequencies of tokenized documents (an empty document is allowed)."""
        vocab: dict[str, int] = {}
        documents: list[int] = []
        words: list[int] = []
        counts: list[int] = []
        lengths: list[int] = []
        for document, tokens in enumerate(corpus):
            lengths.append(len(tokens))
            for word, n in Counter(tokens).items():
                documents.append(document)
                words.append(vocab.setdefault(word, len(vocab)))
                counts.append(n)
        word_ids = np.asarray(words, dtype=np.int64)
        order = np.argsort(word_ids, kind="stable")  # by word, documents ascending within each
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(word_ids, minlength=len(vocab)), out=indptr[1:])
        return cls(
            vocab,
            np.asarray(counts, dtype=np.float32)[order],
            np.asarray(documents, dtype=np.int32)[order],
            indptr,
            np.asarray(lengths, dtype=np.float32),
        )

    def span(self, token: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(documents, term frequencies) of a word; None when this segment never saw it."""
        i = self.vocab.get(token)
        if i is None:
            return None
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[a:b], self.tf[a:b]


class _Field:
    """One field across segments: BM25 (Lucene's variant, as bm25s computes it) from the live documents'
    statistics. Document ids are global: each segment's part starts at its offset."""

    def __init__(self, parts: list[tuple[_Postings, int]], size: int, alive: np.ndarray | None, k1: float, b: float) -> None:
        self.parts = parts
        self.alive = alive  # None: every document is live
        lengths = np.zeros(size, dtype=np.float64)
        for part, offset in parts:
            lengths[offset : offset + len(part.length)] = part.length
        self.live = size if alive is None else int(alive.sum())
        mean = float((lengths if alive is None else lengths[alive]).mean()) if self.live else 0.0
        self.norm = k1 * (1 - b + b * lengths / (mean or 1.0))  # the length part of each document's saturation
        self.size = size

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(live documents, term frequencies) of a word over every segment; None when no live document holds it."""
        found = []
        for part, offset in self.parts:
            span = part.span(token)
            if span is not None:
                found.append((span[0].astype(np.int64) + offset, span[1]))
        if not found:
            return None
        docs = np.concatenate([d for d, _ in found])
        tf = np.concatenate([t for _, t in found])
        if self.alive is not None:
            keep = self.alive[docs]
            docs, tf = docs[keep], tf[keep]
        return (docs, tf) if len(docs) else None

    def scores(self, tokens: list[str]) -> np.ndarray | None:
        """Each document's BM25 score for the tokens (each counted once); None when no live document holds one."""
        total = None
        for token in dict.fromkeys(tokens):
            found = self.postings(token)
            if found is None:
                continue
            docs, tf = found
            idf = math.log(1 + (self.live - len(docs) + 0.5) / (len(docs) + 0.5))
            if total is None:
                total = np.zeros(self.size)
            total[docs] += idf * tf / (tf + self.norm[docs])
        return total

    def frequency(self, token: str) -> int:
        found = self.postings(token)
        return 0 if found is None else len(found[0])

    def words(self) -> list[str]:
        """Every word some live document holds."""
        words: dict[str, None] = {}
        for part, offset in self.parts:
            if self.alive is None or not len(part.indices):
                words.update(dict.fromkeys(part.vocab))
                continue
            held = np.add.reduceat(self.alive[part.indices.astype(np.int64) + offset].astype(np.int32), part.indptr[:-1])  # no span is empty
            names = dict(zip(part.vocab.values(), part.vocab, strict=True))
            words.update(dict.fromkeys(names[int(i)] for i in np.flatnonzero(held)))
        return list(words)


@dataclass(frozen=True)
class _Segment:
    """One segment as read: its documents' rows and headings (global heading ids), and each field's postings."""

    rows: np.ndarray
    heading_of: np.ndarray
    fields: dict[str, _Postings]
    heading_base: int  # the global id of the first heading this segment added
    headings: int  # how many it added
    deleted: tuple[int, ...] = ()
    heading_texts: tuple[str, ...] | None = None  # the headings it added, when built here (writers read them from `headings.json`)


class LexicalIndex:
    """BM25 over paragraph texts and their headings, in segments; `rank` combines the two fields at query time."""

    def __init__(self, segments: list[_Segment], tokenizer: Tokenizer, bm25: dict[str, float], joined: frozenset[str]) -> None:
        self._segments = segments
        self.tokenizer = tokenizer
        self.bm25 = bm25  # BM25's k1 and b
        self.joined = joined  # the compounds whose joined form the paragraphs were read with (variants.py)
        self.rows = np.concatenate([s.rows for s in segments]).astype(np.int64, copy=False)  # small: searched on every filtered query
        self.heading_of = np.concatenate([s.heading_of for s in segments]).astype(np.int32, copy=False)
        offsets = np.cumsum([0] + [len(s.rows) for s in segments]).tolist()
        dead = [offset + np.searchsorted(s.rows, s.deleted) for s, offset in zip(segments, offsets[:-1], strict=True) if s.deleted]
        self._alive = None
        if dead:
            self._alive = np.ones(len(self.rows), dtype=bool)
            self._alive[np.concatenate(dead)] = False
        headings = max((s.heading_base + s.headings for s in segments), default=0)
        heading_alive = None
        if self._alive is not None:
            heading_alive = np.zeros(headings, dtype=bool)
            heading_alive[self.heading_of[self._alive]] = True
        k1, b = bm25["k1"], bm25["b"]
        self._fields = {
            "text": _Field([(s.fields["text"], o) for s, o in zip(segments, offsets[:-1], strict=True)], len(self.rows), self._alive, k1, b),
            "heading": _Field([(s.fields["heading"], s.heading_base) for s in segments], headings, heading_alive, k1, b),
        }
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._words: list[str] | None = None

    def __len__(self) -> int:
        return self._fields["text"].live

    @property
    def segments(self) -> int:
        return len(self._segments)

    def live_rows(self) -> np.ndarray:
        """The rows of the paragraphs it holds (deleted ones left out), ascending."""
        return self.rows if self._alive is None else self.rows[self._alive]

    def knows(self, token: str) -> bool:
        """True when some paragraph's text holds the (stemmed) token."""
        return self._fields["text"].postings(token) is not None

    def words(self) -> list[str]:
        """Every (stemmed) token of the paragraphs' texts: the vocabulary a spelling suggestion draws from."""
        if self._words is None:
            self._words = self._fields["text"].words()
        return self._words

    def frequency(self, token: str) -> int:
        """How many paragraphs' texts hold the token."""
        return self._fields["text"].frequency(token)

    @classmethod
    def build(
        cls, documents: Iterable[Document], *, stemmer: str | None = STEMMER, stopwords: Iterable[str] | None = None,
        k1: float = K1, b: float = B,
    ) -> LexicalIndex:
        """One segment of every document, in memory; headings are indexed once each. Stop words: bm25s's
        English list unless given. The compounds read joined are those these documents print so (variants.py)."""
        if stopwords is None:
            import bm25s

            stopwords = bm25s.stopwords.STOPWORDS_EN
        documents = sorted(documents, key=lambda d: d.row)
        joined = frozenset(joined_variants(d.text for d in documents))
        tokenizer = Tokenizer(stopwords, stemmer, joined=joined)
        segment = _segment(documents, tokenizer, {}, 0)
        tokenizer.joined = None  # a query's compounds are read joined too: one the corpus never prints whole matches nothing
        return cls([segment], tokenizer, {"k1": k1, "b": b}, joined)

    def rank(
        self, query: str, depth: int, rows: np.ndarray | None = None, *, heading_weight: float = 0.0
    ) -> list[tuple[int, float]] | None:
        """The best `depth` paragraphs (row, score) among `rows` (None: all) holding a word of `query`:
        text BM25 plus `heading_weight` times heading BM25. None when no word of the query is in the
        index even with stop words kept (the caller falls back); [] when none of `rows` matches."""
        tokens = self.tokenizer(query) or self.tokenizer(query, stopwords=False)
        text = self._fields["text"].scores(tokens)
        heading = self._fields["heading"].scores(tokens) if heading_weight > 0 else None
        if text is None and heading is None:
            return None
        scores = np.zeros(len(self.rows)) if text is None else text
        if heading is not None:
            scores = scores + heading_weight * heading[self.heading_of]
        if rows is None:
            matching = np.flatnonzero(scores > 0)
            if self._alive is not None:  # a deleted paragraph's heading may still be a live one's
                matching = matching[self._alive[matching]]
        else:
            positions = self._positions(rows)
            matching = positions[scores[positions] > 0]
        if len(matching) > depth:
            matching = matching[np.argpartition(-scores[matching], depth - 1)[:depth]]
        best = matching[np.lexsort((self.rows[matching], -scores[matching]))]
        return list(zip(self.rows[best].tolist(), scores[best].tolist(), strict=True))

    def _positions(self, rows: np.ndarray) -> np.ndarray:
        """Where live `rows` sit among the index's documents (rows it lacks left out), remembered for the
        last few row arrays (a searcher keeps one per filter set)."""
        cached = self._cache.get(id(rows))
        if cached is not None and cached[0] is rows:
            return cached[1]
        wanted = np.asarray(rows, dtype=np.int64)
        positions = np.searchsorted(self.rows, wanted)
        inside = positions < len(self.rows)
        positions = positions[inside][self.rows[positions[inside]] == wanted[inside]]
        if self._alive is not None:
            positions = positions[self._alive[positions]]
        if len(self._cache) >= 8:
            self._cache.pop(next(iter(self._cache)))
        self._cache[id(rows)] = (rows, positions)
        return positions

    def save(self, directory: Path, generation: int) -> LexicalRecord:
        """Write a built index as the one segment of `generation` (`lexical.<generation>/`)."""
        if len(self._segments) != 1 or self._segments[0].heading_texts is None:
            raise ValueError("only an index made by LexicalIndex.build is saved whole")
        path = lexical_path(directory, generation)
        return LexicalRecord((_save(path, generation, self._segments[0], self._params()),))

    def _params(self) -> dict:
        """What every segment records of how it was made."""
        return {
            "format_version": FORMAT_VERSION,
            "token_pattern": TOKEN_PATTERN,
            "stemmer": self.tokenizer.stemmer,
            "variants": self.tokenizer.variants,
            "stopwords": sorted(self.tokenizer.stopwords),
            "joined": sorted(self.joined),
            "bm25": self.bm25,
        }

    @classmethod
    def load(cls, directory: Path, record: LexicalRecord, *, verify: bool = False) -> LexicalIndex:
        """Open a committed lexical index (arrays memory-mapped); sizes are checked, checksums too with `verify`."""
        if not record.segments:
            raise IndexOpenError(f"{directory}: corrupt lexical index record in the database (no segment); {REPAIR}")
        segments = []
        params = {}
        for committed in record.segments:
            segment, params[committed.generation] = _load(lexical_path(directory, committed.generation), committed, verify)
            segments.append(segment)
        first = params[record.segments[0].generation]
        tokenizer = Tokenizer(first["stopwords"], first["stemmer"], first["variants"])
        return cls(segments, tokenizer, dict(first["bm25"]), frozenset(first["joined"]))


def update(
    directory: Path, generation: int, record: LexicalRecord | None, removed: Iterable[int], added: list[int],
    read: Callable[[list[int] | None], Iterable[Document]],
) -> LexicalRecord:
    """The lexical index once a write removed and added these rows, for the commit of `generation`. The
    removed rows are recorded as deleted from their segments; the added ones, with the newest segments while
    they are no larger than what is written, become a new segment `lexical.<generation>/`. `read(rows)`
    gives the stored documents of rows (None: all, each in row order). The whole index is built again when
    there is none yet, it is of an earlier format or other variants, a segment cannot be read (a write
    repairs it), the merge reaches the oldest segment, or too many stored paragraphs are deleted ones
    (segments.py)."""
    try:
        return _update(directory, generation, record, removed, added, read)
    except IndexOpenError:
        remove_folder(lexical_path(directory, generation), LEXICAL_FILES)
        return _rebuild(directory, generation, read)


def _rebuild(directory: Path, generation: int, read: Callable[[list[int] | None], Iterable[Document]]) -> LexicalRecord:
    """Every stored paragraph as one segment of `generation`."""
    return LexicalIndex.build(read(None)).save(directory, generation)


def _update(
    directory: Path, generation: int, record: LexicalRecord | None, removed: Iterable[int], added: list[int],
    read: Callable[[list[int] | None], Iterable[Document]],
) -> LexicalRecord:
    if record is None or record.outdated:
        return _rebuild(directory, generation, read)
    current = LexicalIndex.load(directory, record)
    if current.tokenizer.variants != VARIANTS:
        return _rebuild(directory, generation, read)
    gone = np.unique(np.fromiter(removed, dtype=np.int64))
    segments = list(record.segments)
    for i, segment in enumerate(current._segments):
        positions = np.searchsorted(segment.rows, gone)
        inside = positions < len(segment.rows)
        hit = gone[inside][segment.rows[positions[inside]] == gone[inside]]
        if len(hit):
            segments[i] = replace(segments[i], deleted=tuple(sorted({*segments[i].deleted, *hit.tolist()})))
    tail = merge_start([s.live for s in segments], len(added))
    if tail == 0 or too_deleted(sum(len(s.deleted) for s in segments), sum(s.count for s in segments)):
        return _rebuild(directory, generation, read)
    kept = segments[:tail]
    rows = [*_live(current._segments[tail:], segments[tail:]), *added]
    if not rows:
        return LexicalRecord(tuple(kept))
    known: dict[str, int] = {}
    for committed, part in zip(kept, current._segments[:tail], strict=True):
        texts = _headings(lexical_path(directory, committed.generation))
        known.update({text: part.heading_base + i for i, text in enumerate(texts) if text not in known})
    last = current._segments[tail - 1]
    tokenizer = Tokenizer(current.tokenizer.stopwords, current.tokenizer.stemmer, current.tokenizer.variants, joined=current.joined)
    documents = list(read(sorted(rows)))
    if len(documents) != len(rows):
        raise IndexWriteError(f"{directory}: {len(rows) - len(documents)} paragraphs of the lexical index are missing from the database; {REPAIR}")
    segment = _segment(documents, tokenizer, known, last.heading_base + last.headings)
    return LexicalRecord((*kept, _save(lexical_path(directory, generation), generation, segment, current._params())))


def _live(parts: list[_Segment], committed: list[SegmentRecord]) -> list[int]:
    """The rows of these segments not deleted since they were written."""
    rows: list[int] = []
    for part, record in zip(parts, committed, strict=True):
        deleted = set(record.deleted)
        rows += [r for r in part.rows.tolist() if r not in deleted]
    return rows


def _segment(documents: list[Document], tokenizer: Tokenizer, known: dict[str, int], base: int) -> _Segment:
    """A segment of documents (sorted by row): headings in `known` keep their ids, new ones are numbered from `base`."""
    added: dict[str, int] = {}
    heading_of = np.fromiter(
        (known[d.heading] if d.heading in known else added.setdefault(d.heading, base + len(added)) for d in documents),
        np.int32, len(documents),
    )
    fields = {
        "text": _Postings.count(tokenizer(d.text) for d in documents),
        "heading": _Postings.count(tokenizer(h) for h in added),
    }
    rows = np.fromiter((d.row for d in documents), np.int64, len(documents))
    return _Segment(rows, heading_of, fields, base, len(added), heading_texts=tuple(added))


def _save(path: Path, generation: int, segment: _Segment, params: dict) -> SegmentRecord:
    """Write a segment into `<path>.tmp/` and rename it into place, so a reader never sees half of one."""
    staging = path.with_name(path.name + ".tmp")
    arrays = {"rows": segment.rows, "heading_of": segment.heading_of}
    for name, postings in segment.fields.items():
        arrays |= {f"{name}.{a}": getattr(postings, a) for a in ARRAYS}
    params = params | {
        "vocab": {name: p.vocab for name, p in segment.fields.items()},
        "heading_base": segment.heading_base,
        "headings": segment.headings,
    }
    files: dict[str, tuple[int, str]] = {}
    try:
        remove_folder(staging, LEXICAL_FILES)
        staging.mkdir()
        for name, array in arrays.items():
            files[f"{name}.npy"] = _write(staging / f"{name}.npy", _npy(array))
        files["params.json"] = _write(staging / "params.json", json.dumps(params, ensure_ascii=False).encode("utf-8"))
        files["headings.json"] = _write(staging / "headings.json", json.dumps(segment.heading_texts, ensure_ascii=False).encode("utf-8"))
        os.replace(staging, path)
    except OSError as error:
        remove_folder(staging, LEXICAL_FILES)
        raise IndexWriteError(f"{path}: cannot write the lexical index ({error.strerror or error})") from None
    return SegmentRecord(generation, files, len(segment.rows))


def _load(path: Path, record: SegmentRecord, verify: bool) -> tuple[_Segment, dict]:
    """One committed segment (arrays memory-mapped) and its params."""
    try:
        for name, (size, sha256) in record.files.items():
            file = path / name
            if not file.is_file():
                raise IndexOpenError(f"{file}: lexical index file missing; {REPAIR}")
            if file.stat().st_size != size or (verify and _sha256(file.read_bytes()) != sha256):
                raise IndexOpenError(f"{file}: corrupt lexical index file (not the one committed); {REPAIR}")
        params = json.loads((path / "params.json").read_text(encoding="utf-8"))
        if params.get("format_version") != FORMAT_VERSION or params.get("token_pattern") != TOKEN_PATTERN:
            raise IndexOpenError(f"{path}: lexical index of another format; {REPAIR}")
        array = {name[:-4]: np.load(path / name, mmap_mode="r", allow_pickle=False).view(np.ndarray)
                 for name in record.files if name.endswith(".npy")}  # still mapped, without memmap's slicing cost
        fields = {name: _Postings(params["vocab"][name], *(array[f"{name}.{a}"] for a in ARRAYS)) for name in FIELDS}
        segment = _Segment(array["rows"], array["heading_of"], fields, int(params["heading_base"]), int(params["headings"]), record.deleted)
    except IndexOpenError:
        raise
    except OSError as error:
        raise IndexOpenError(f"{path}: cannot read the lexical index ({error.strerror or error}); {REPAIR}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise IndexOpenError(f"{path}: corrupt lexical index ({error}); {REPAIR}") from None
    rows = segment.rows
    if len(rows) != record.count or len(segment.heading_of) != record.count:
        raise IndexOpenError(f"{path}: corrupt lexical index ({len(rows)} paragraphs, {record.count} committed); {REPAIR}")
    deleted = np.asarray(record.deleted, dtype=np.int64)
    if np.any(rows[1:] <= rows[:-1]) or not np.isin(deleted, rows).all():
        raise IndexOpenError(f"{path}: corrupt lexical index (rows out of order, or deleted rows it does not hold); {REPAIR}")
    return segment, params


def _headings(path: Path) -> list[str]:
    """The heading texts a committed segment added, in id order."""
    try:
        return json.loads((path / "headings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexOpenError(f"{path / 'headings.json'}: cannot read the lexical index's headings ({error}); {REPAIR}") from None


def _npy(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> tuple[int, str]:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return len(data), _sha256(data)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clear_leftovers(directory: Path, generation: int) -> None:
    """Under the write lock: staging directories and segments newer than `generation` (a killed run's)."""
    for path in directory.glob("lexical.*"):
        number = _generation_of(path)
        if number is not None and (path.name.endswith(".tmp") or number > generation):
            remove_folder(path, LEXICAL_FILES)


def clear_older(directory: Path, generation: int, record: LexicalRecord | None) -> None:
    """After the commit of `generation`: segments it no longer lists (readers that mapped them keep their files open)."""
    listed = {s.generation for s in record.segments} if record is not None else set()
    for path in directory.glob("lexical.*"):
        number = _generation_of(path)
        if number is not None and number <= generation and number not in listed and not path.name.endswith(".tmp"):
            remove_folder(path, LEXICAL_FILES)


def _generation_of(path: Path) -> int | None:
    """The generation a `lexical.<generation>[.tmp]` folder name carries; None for any other name."""
    match = re.fullmatch(r"lexical\.([0-9]+)(\.tmp)?", path.name)
    return int(match[1]) if match else None
