"""Write `published_ids.txt`: every paragraph id the parser gives the shared corpus, one per line.

The corpus test fails when one of them is no longer parsed. Run this only when a change retires
ids on purpose (they named no real paragraph), and name the retired ids in the change's note.

Run: python tests/index/parse/published_ids.py [CORPUS_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from unres.index import parse_paths

if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[4] / "shared" / "corpus"
    ids = sorted({p.id for parsed in parse_paths([corpus], workers=2) if parsed.resolution for p in parsed.resolution.paragraphs})
    Path(__file__).with_name("published_ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    print(f"{len(ids)} ids written", file=sys.stderr)
