"""The merge policy BM25 segments and flat vectors files share (index/lexical.py, index/vectors.py).

A write adds one segment for what it adds and merges the newest segments while they are no larger than
what it writes, so there are about log2(n) segments and each row is written again about log2(n) times.
Everything is written again as one segment when the merge would reach the oldest, or when more than one
stored row in `DELETED_SHARE` is a deleted one.
"""

from __future__ import annotations

DELETED_SHARE = 4


def merge_start(live: list[int], adding: int) -> int:
    """Where the merged segments begin, given each segment's live rows (oldest first) and the rows a write
    adds: the newest ones while each is no larger than what is written so far. 0: all of them."""
    size, start = adding, len(live)
    while start and live[start - 1] <= size:
        size += live[start - 1]
        start -= 1
    return start


def too_deleted(deleted: int, stored: int) -> bool:
    """Whether so many stored rows are deleted ones that everything is written again."""
    return deleted * DELETED_SHARE > stored
