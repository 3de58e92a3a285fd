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


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace into one space and trim; drop a space before closing punctuation."""
    text = _SPACE.sub(" ", text.replace("\u00ad", "")).strip()
    return re.sub(r" (?=[,;:.)\]](?:\s|$))", "", text)


def join_runs(lines: list[list[Run]]) -> tuple[Run, ...]:
    """Join the runs of consecutive lines, with a space between lines unless a line ends in a hyphen."""
    runs: list[Run] = []
    for line in lines:
        if runs and line:
            words = [i for i, r in enumerate(runs) if not r.marker and r.text.strip()]
            if words and re.search(r"\w[-\u2010\u2011]\s*$", runs[words[-1]].text):
                last = runs[words[-1]]
                runs[words[-1]] = Run(last.text.rstrip(), last.italic)
            else:
                runs.append(Run(" "))
        runs.extend(line)
    return tuple(_merge(runs))


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
