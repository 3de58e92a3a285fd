"""The layout-neutral form both GA readers produce: styled runs grouped into blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style; a marker run holds a footnote marker such as `5`."""

    text: str
    italic: bool = False
    marker: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit of the document body in reading order."""

    runs: tuple[Run, ...]
    heading: bool = False
    table: bool = False  # a table: its rows apart by `ROW`
    # Lines of this block the parse before stop 8 read as blocks of their own (see `pdf._block`); their
    # ids stay taken (`ids.RetiredCounts.regained`).
    regained: tuple[Block, ...] = ()

    @property
    def text(self) -> str:
        """The text without footnote markers, whitespace normalized."""
        return normalize_space("".join(run.text for run in self.runs if not run.marker))

    @property
    def markers(self) -> tuple[str, ...]:
        """Footnote markers in order of appearance."""
        return tuple(run.text for run in self.runs if run.marker)


@dataclass(frozen=True)
class Layout:
    """What a GA reader hands to the structure builder: body blocks and footnotes by marker."""

    blocks: tuple[Block, ...]
    footnotes: tuple[tuple[str, str], ...]


_SPACE = re.compile(r"\s+")
# Unicode's format characters (category Cf, as of Unicode 15.1): zero-width spaces and joiners, bidi marks
# and isolates, the soft hyphen, the byte-order mark, tags. Unseen in print, inside a word they split it.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_SOFT_BREAK = re.compile(r"\u00ad[ \t]*\r?\n[ \t]*(?=\S)")  # a word hyphenated at a line end, to join
ROW = "\u2028"  # between a table's rows in runs; a line break in paragraph text
OPENS_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.|\([a-z]{1,2}\)|\([ivx]{1,5}\))\s")  # `12. `, `(a) `, `(iv) `


def strip_format(text: str) -> str:
    """`text` without format characters; a soft hyphen at a line end joins the word it broke (`coopera-`/`tion`)."""
    return _FORMAT.sub("", _SOFT_BREAK.sub("", text))


def normalize_lines(text: str) -> str:
    """`normalize_space` for each line apart by `ROW`, the lines joined by `\\n` (a table's rows)."""
    lines = (normalize_space(line) for line in text.split(ROW))
    return "\n".join(line for line in lines if line)


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace into one space and trim; drop a space before closing punctuation."""
    text = _SPACE.sub(" ", text.replace("\u00ad", "")).strip()
    return re.sub(r" (?=[,;:.)\]](?:\s|$))", "", text)


def join_runs(lines: list[list[Run]]) -> tuple[Run, ...]:
    """Join the runs of consecutive lines, with a space between lines unless a line ends in a hyphen
    (kept: a hyphen at a line end belongs to a compound such as `Secretary-General`)."""
    runs: list[Run] = []
    for line in lines:
        if runs and line:
            if ends_in_hyphen(runs):
                while runs and (runs[-1].marker or not runs[-1].text.strip()):
                    runs.pop()
                runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].italic)
            else:
                runs.append(Run(" "))
        runs.extend(line)
    return tuple(_merge(runs))


def ends_in_hyphen(runs: list[Run]) -> bool:
    """Whether the text of `runs` ends in a word and a hyphen (`Secretary-`), markers aside."""
    tail = ""
    for run in reversed(runs):
        if not run.marker:
            tail = run.text + tail
            if len(tail.strip()) >= 2:
                break
    return bool(_HYPHEN_END.search(tail))


_HYPHEN_END = re.compile(r"\w[-\u2010\u2011]\s*$")


def _merge(runs: list[Run]) -> list[Run]:
    """Merge neighbouring runs of the same style so blocks stay small."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and not run.marker and not merged[-1].marker and (
            merged[-1].italic == run.italic or not run.text.strip()
        ):
            merged[-1] = Run(merged[-1].text + run.text, merged[-1].italic)
        else:
            merged.append(run)
    return merged
