"""A search's hits as files to take elsewhere: CSV and JSON Lines for tables and scripts, RIS for
reference managers (Zotero, EndNote), `line` (`id<TAB>text`, one per line) for grep-style pipes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from unres.index.errors import QueryError
from unres.index.filters import EXPORT_FORMATS

from .hit import Hit

MEDIA_TYPES = {"csv": "text/csv", "jsonl": "application/jsonl", "ris": "application/x-research-info-systems", "line": "text/plain"}
COLUMNS = ("rank", "id", "reference", "symbol", "title", "adopted", "body", "kind", "verb", "text", "url")


def official_url(symbol: str) -> str:
    """The document in the UN's own system: built from the symbol, never fetched."""
    return f"https://undocs.org/{symbol}"


def export(hits: Sequence[Hit], format: str) -> str:
    """The hits in `format` (one of `EXPORT_FORMATS`), the whole file as text."""
    if format not in EXPORT_FORMATS:
        raise QueryError(f"unknown format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
    rows = [_row(hit) for hit in hits]
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if format == "jsonl":  # each hit's JSON (`--json`'s shape) with its reference and official URL
        return "".join(json.dumps({**hit.to_dict(), "reference": row["reference"], "url": row["url"]}, ensure_ascii=False) + "\n"
                       for hit, row in zip(hits, rows, strict=True))
    if format == "ris":
        return "".join(_ris(row) for row in rows)
    return "".join(f"{row['id']}\t{_one_line(row['text'])}\n" for row in rows)


def _row(hit: Hit) -> dict:
    return {"rank": hit.rank, "id": hit.id, "reference": hit.reference, "symbol": hit.symbol, "title": hit.title or "",
            "adopted": hit.adopted or "", "body": hit.body, "kind": hit.kind, "verb": hit.verb, "text": hit.text,
            "url": official_url(hit.symbol)}


def _ris(row: dict) -> str:
    """One RIS record: a UN resolution as a legal document (`LEGAL`), the paragraph quoted in its notes."""
    lines = [("TY", "LEGAL"), ("TI", row["title"] or row["symbol"]), ("AU", "United Nations. " + (
        "Security Council" if row["body"] == "SC" else "General Assembly")), ("PY", row["adopted"][:4]),
        ("DA", row["adopted"].replace("-", "/")), ("M1", row["symbol"]), ("ID", row["id"]), ("N1", row["reference"]),
        ("AB", _one_line(row["text"])), ("UR", row["url"])]
    return "".join(f"{tag}  - {value}\n" for tag, value in lines if value) + "ER  - \n\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
