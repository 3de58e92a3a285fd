"""Terminal output never passes a document's control characters or escape sequences to the terminal."""

from __future__ import annotations

import pytest
import typer

from unres.cli.common import clean, errors
from unres.cli.render import print_hit, print_resolution
from unres.cli.summary import print_summary
from unres.index.errors import ParseError
from unres.index.parse.records import Footnote, Paragraph, Resolution
from unres.search import Hit

HOSTILE = "Urges \x1b[2J\x1b]0;pwned\x07all States\x00 to act\r\x9b31m now"


def hostile_resolution() -> Resolution:
    paragraph = Paragraph(
        id="A/RES/1/1\x1b[5m#1", kind="operative", number=1, section=None, phrase="Urges", verb="urges",
        modifiers=(), text=HOSTILE, footnotes=(Footnote("1\x1b[31m", "See \x1b[8mhidden", "See \x1b[8mhidden"),),
    )
    return Resolution(
        symbol="A/RES/1/1\x1b[5m", body="GA", session=1, title="Title \x1b[41m", adopted="1946-01-01", meeting=None,
        agenda_items=(), report=None, source="x.txt", sha256="0", operative=(paragraph,),
    )


def test_clean_removes_sequences_and_controls_only():
    assert clean(HOSTILE) == "Urges all States to act now"
    assert clean("tab\tand\nnewline, Ünïcode, مجلس") == "tab\tand\nnewline, Ünïcode, مجلس"
    assert clean("r\udce9sum\udce9") == "r\\udce9sum\\udce9"


def test_rendered_hits_resolutions_and_summaries_are_clean(capsys):
    resolution = hostile_resolution()
    p = resolution.operative[0]
    hit = Hit(id=p.id, rank=1, score=0.5, symbol=resolution.symbol, title=resolution.title, adopted=resolution.adopted,
              session=1, body="GA", number=1, kind="operative", verb="urges", phrase="Urges", text=p.text,
              footnotes=p.footnotes, citations=(), previous_id=None, next_id=None)
    print_hit(hit)
    print_resolution(resolution)
    print_summary(resolution)
    out = capsys.readouterr().out
    assert "Urges all States to act now" in out
    assert not any(ch in out for ch in "\x1b\x07\x00\r\x9b")


def test_error_lines_are_clean(capsys):
    with pytest.raises(typer.Exit), errors():
        raise ParseError("evil\x1b[2J.txt", "is empty")
    assert capsys.readouterr().err == "unres: evil.txt: is empty\n"
