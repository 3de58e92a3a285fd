"""Read a text rendering of a GA resolution, like the seed: `*italic*` phrases, Unicode superscript
footnote markers, footnotes as paragraphs of their own where the page breaks fell."""

from __future__ import annotations

import re

from .blocks import Block, Layout, Run, join_runs, normalize_space

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_MARKERS = re.compile(f"([{SUPERSCRIPTS}]+)")
_FOOTNOTE = re.compile(f"^([{SUPERSCRIPTS}]+)\\s*(.*)$", re.DOTALL)


def read_rendering(text: str) -> Layout:
    """Split the rendering into blocks at blank lines; footnotes leave the body, and a block that
    starts in lower case continues the paragraph the page break cut."""
    blocks: list[list[list[Run]]] = []
    footnotes: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if not chunk:
            continue
        if match := _FOOTNOTE.match(chunk):
            plain = normalize_space(match[2].replace("*", ""))
            footnotes.append((match[1].translate(_DIGITS), plain))
            continue
        lines = [_runs(line) for line in chunk.split("\n")]
        if blocks and chunk[:1].islower():
            blocks[-1].extend(lines)
        else:
            blocks.append(lines)
    return Layout(tuple(Block(join_runs(lines)) for lines in blocks), tuple(footnotes))


def _runs(line: str) -> list[Run]:
    """Styled runs of one line: `*…*` is italic, superscript digits are markers."""
    runs: list[Run] = []
    for i, part in enumerate(line.split("*")):
        italic = i % 2 == 1
        for j, piece in enumerate(_MARKERS.split(part)):
            if not piece:
                continue
            if j % 2 == 1:
                runs.append(Run(piece.translate(_DIGITS), marker=True))
            else:
                runs.append(Run(piece, italic))
    return runs
