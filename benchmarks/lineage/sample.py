"""Draw the samples that measure lineage, item pairing and citations on a whole index, to be judged by
reading (not against the hand-checked gold, which tuned the thresholds).

    python benchmarks/lineage/sample.py INDEX [--seed 21] [--out benchmarks/lineage/sample-21]

Writes one JSON file per question; a reader fills in each entry's `judged` field, then
`python benchmarks/lineage/score.py DIR` prints the figures:

- `versions.json`: version links between GA resolutions (title pairs, renamed pairs, changed acts):
  is the later paragraph the same clause carried forward? (precision)
- `recall.json`: paragraphs of the earlier resolution of GA item pairs, each with the later
  resolution's paragraphs nearest in words (the linked one among them, unmarked): which is its
  version, if any? (recall)
- `council.json`: Security Council pairs made from citations, with the later's opening clauses and
  both operative parts: is the later on the same situation, carrying the earlier forward?
- `sections.json`: every version link between two composite budget resolutions, with both sections'
  headings: on the same subject?
- `citations.json`: paragraphs with citations, their text and footnotes and what the index read:
  any symbol missed or wrong?
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
from dataclasses import asdict
from pathlib import Path

from unres.index.links.textdiff import similarity
from unres.index.parse.records import Footnote, citations_from_json

HERE = Path(__file__).resolve().parent
_CITING = re.compile(r"\bresolutions?\b|\b[ASE]/(?:\d|[A-Z]+[/.])", re.IGNORECASE)
BUDGETS = ("A/RES/78/253", "A/RES/79/258")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or HERE / f"sample-{args.seed}"
    out.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(f"file:{args.index / 'unres.sqlite'}?mode=ro", uri=True)
    rng = random.Random(args.seed)
    for name, entries in (
        ("versions", versions(db, rng)),
        ("recall", recall(db, rng)),
        ("council", council(db, rng)),
        ("sections", sections(db)),
        ("citations", citations(db, rng)),
    ):
        (out / f"{name}.json").write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{out / name}.json: {len(entries)} entries")


def versions(db: sqlite3.Connection, rng: random.Random) -> list[dict]:
    """60 links of title pairs, every link of renamed pairs up to 30, every changed act up to 20."""
    rows = db.execute("""
        SELECT e.id, e.text, e.verb, l2.id, l2.text, l2.verb, l.similarity, i.how
        FROM lineage l JOIN paragraphs e ON e.row = l.earlier JOIN paragraphs l2 ON l2.row = l.later
        JOIN items i ON i.earlier = e.symbol AND i.later = l2.symbol
        WHERE l.relation = 'version' AND e.body = 'GA' ORDER BY e.id, l2.id""").fetchall()
    title = [r for r in rows if r[7] == "title" and r[2] == r[5]]
    renamed = [r for r in rows if r[7] == "renamed"]
    acts = [r for r in rows if r[7] != "renamed" and r[2] != r[5] and r[2] and r[5]]
    chosen = [("title", r) for r in rng.sample(title, min(60, len(title)))]
    chosen += [("renamed", r) for r in rng.sample(renamed, min(30, len(renamed)))]
    chosen += [("act", r) for r in rng.sample(acts, min(20, len(acts)))]
    return [
        {"group": group, "earlier": e, "later": later, "similarity": score, "earlier_text": et, "later_text": lt, "judged": None}
        for group, (e, et, _, later, lt, _, score, _) in chosen
    ]


def recall(db: sqlite3.Connection, rng: random.Random) -> list[dict]:
    """Five paragraphs from each of 20 GA item pairs (every renamed pair first), with the later's five
    nearest paragraphs in words and the linked one, shuffled; the link itself kept in `linked`."""
    pairs = db.execute("""SELECT earlier, later, how FROM items WHERE earlier LIKE 'A/%' ORDER BY earlier, later""").fetchall()
    renamed = [p for p in pairs if p[2] == "renamed"]
    others = [p for p in pairs if p[2] != "renamed"]
    chosen = renamed[:8] + rng.sample(others, min(20 - min(8, len(renamed)), len(others)))
    entries = []
    for earlier, later, how in chosen:
        mine = db.execute("SELECT row, id, kind, text FROM paragraphs WHERE symbol = ? AND kind IN ('operative', 'preambular')",
                          (earlier,)).fetchall()
        theirs = db.execute("SELECT row, id, kind, text FROM paragraphs WHERE symbol = ? AND kind IN ('operative', 'preambular')",
                            (later,)).fetchall()
        for row, pid, kind, text in rng.sample(mine, min(5, len(mine))):
            same_kind = [t for t in theirs if t[2] == kind]
            nearest = sorted(same_kind, key=lambda t: -similarity(text, t[3]))[:5]
            linked = db.execute("""SELECT p.id FROM lineage l JOIN paragraphs p ON p.row = l.later
                                   WHERE l.earlier = ? AND l.relation = 'version' AND p.symbol = ?""", (row, later)).fetchone()
            candidates = {t[1]: t[3] for t in nearest}
            if linked and linked[0] not in candidates:
                candidates[linked[0]] = db.execute("SELECT text FROM paragraphs WHERE id = ?", linked).fetchone()[0]
            shown = list(candidates.items())
            rng.shuffle(shown)
            entries.append({
                "pair": f"{earlier} → {later} ({how})", "id": pid, "text": text,
                "candidates": [{"id": i, "text": t} for i, t in shown],
                "linked": linked[0] if linked else None, "judged": None,
            })
    return entries


def council(db: sqlite3.Connection, rng: random.Random) -> list[dict]:
    """25 Council pairs made from citations: the later's first three preambular clauses, both operative parts."""
    pairs = db.execute("SELECT earlier, later, score FROM items WHERE how = 'cites' ORDER BY earlier, later").fetchall()
    entries = []
    for earlier, later, score in rng.sample(pairs, min(25, len(pairs))):
        def texts(symbol: str, kind: str, limit: int = 12) -> list[str]:
            return [f"{i}: {t}" for i, t in db.execute(
                "SELECT id, text FROM paragraphs WHERE symbol = ? AND kind = ? ORDER BY position LIMIT ?", (symbol, kind, limit))]
        links = db.execute("""SELECT e.id, l2.id, l.similarity FROM lineage l JOIN paragraphs e ON e.row = l.earlier
                              JOIN paragraphs l2 ON l2.row = l.later WHERE l.relation = 'version' AND e.symbol = ? AND l2.symbol = ?""",
                           (earlier, later)).fetchall()
        entries.append({
            "earlier": earlier, "later": later, "carried": score,
            "later_preamble": texts(later, "preambular", 3), "earlier_operative": texts(earlier, "operative"),
            "later_operative": texts(later, "operative"), "links": [list(link) for link in links], "judged": None,
        })
    return entries


def sections(db: sqlite3.Connection) -> list[dict]:
    """Every version link between the two budget resolutions, with the headings of both paragraphs' sections."""
    headings = {
        symbol: {s["label"]: s["heading"] for s in json.loads(db.execute(
            "SELECT json_extract(document, '$.sections') FROM resolutions WHERE symbol = ?", (symbol,)).fetchone()[0] or "[]")}
        for symbol in BUDGETS
    }
    rows = db.execute("""SELECT e.id, e.section, l2.id, l2.section, l.similarity FROM lineage l
                         JOIN paragraphs e ON e.row = l.earlier JOIN paragraphs l2 ON l2.row = l.later
                         WHERE l.relation = 'version' AND e.symbol = ? AND l2.symbol = ? ORDER BY e.row""", BUDGETS).fetchall()
    return [
        {"earlier": e, "earlier_section": headings[BUDGETS[0]].get(es or "", es), "later": later,
         "later_section": headings[BUDGETS[1]].get(ls or "", ls), "similarity": score, "judged": None}
        for e, es, later, ls, score in rows
    ]


def citations(db: sqlite3.Connection, rng: random.Random) -> list[dict]:
    """50 paragraphs whose text or footnotes name a resolution or a document symbol (found by a plain
    pattern, not by the reader measured), with what the index read."""
    rows = [
        row for row in db.execute("SELECT id, text, footnotes, citations FROM paragraphs ORDER BY row")
        if _CITING.search(row[1] + row[2])
    ]
    return [
        {"id": pid, "text": text, "footnotes": [f["resolved"] for f in json.loads(notes)],
         "citations": [asdict(c) for c in citations_from_json(
             json.loads(cited), pid, text, tuple(Footnote(**f) for f in json.loads(notes)))],
         "judged": None}
        for pid, text, notes, cited in rng.sample(rows, min(50, len(rows)))
    ]


if __name__ == "__main__":
    main()
