"""Every number and date read in full or refused, format characters stripped, input oddities named (issue 23).

One test per family: numbers in headings, dates (printed and asked for), Unicode format characters,
input files (unreadable folders, UTF-16 and UTF-32 text) and the arguments `Filters` takes.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SEED
from unres.index.errors import ParseError, QueryError
from unres.index.filters import Filters
from unres.index.parse.files import parse_data, parse_file, parse_paths
from unres.search.query import check_query
from unres.search.understand import understand

SC_TEXT = """{heading}
of {date}

The Security Council,

Expressing its concern at the situation in the area,

1. {verb} the Secretary-General to report on the matter.

Adopted unanimously at the 1382nd meeting.
"""


def sc_text(heading: str = "Resolution 242 (1967)", date: str = "22 November 1967", verb: str = "Requests") -> str:
    """A small Security Council text in the corpus's form (`S_RES_0242_1967_EN_GOLD.txt`)."""
    return SC_TEXT.format(heading=heading, date=date, verb=verb)


def parse_text(tmp_path: Path, text: str, name: str = "resolution.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def seed_with(tmp_path: Path, old: str, new: str):
    """The seed rendering (A/RES/58/220) with `old` replaced by `new` everywhere, parsed from a copy."""
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    return parse_text(tmp_path, text.replace(old, new), "seed.txt")


# Numbers: a resolution number or year in a heading is read in full or refused, never cut to four digits.
NUMBERS = [
    pytest.param("Resolution 242 (1967)", "S/RES/242(1967)", id="sc-three-digits"),
    pytest.param("Resolution 12420 (1967)", "S/RES/12420(1967)", id="sc-five-digits-read-in-full"),
    pytest.param("S/RES/12420 (1967)", "S/RES/12420(1967)", id="sc-symbol-five-digits-read-in-full"),
    pytest.param("RESOLUTION 12420 (1967)", "S/RES/12420(1967)", id="sc-capitals-five-digits-read-in-full"),
    pytest.param("Resolution 99999999999999999999 (1967)", "resolution number 99999999999999999999 has 20 digits",
                 id="sc-twenty-digits-refused"),
    pytest.param("S/RES/123456 (1967)", "resolution number 123456 has 6 digits", id="sc-symbol-six-digits-refused"),
    pytest.param("Resolution 242 (19670)", "year 19670 in the heading has 5 digits", id="sc-five-digit-year-refused"),
    pytest.param("S/RES/242 (19670)", "year 19670 in the heading has 5 digits", id="sc-symbol-five-digit-year-refused"),
    pytest.param("Resolution ٢٤٢ (١٩٦٧)", "not a UN resolution", id="sc-arabic-indic-digits-refused"),
]


@pytest.mark.parametrize(("heading", "expected"), NUMBERS)
def test_numbers_are_read_in_full_or_refused(tmp_path, heading, expected):
    text = sc_text(heading)
    if expected.startswith("S/RES/"):
        assert parse_text(tmp_path, text).symbol == expected
        return
    with pytest.raises(ParseError) as raised:
        parse_text(tmp_path, text)
    assert str(raised.value).startswith(f"{tmp_path / 'resolution.txt'}: ") and expected in str(raised.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [pytest.param("58/220. Economic", "58/22012. Economic", id="ga-five-digit-number"),
     pytest.param("58/220. Economic", "5800/220. Economic", id="ga-four-digit-session")],
)
def test_ga_numbers_are_never_cut(tmp_path, corpus, old, new):
    """A GA title line with a number too long is no title line: the file is refused, never read as 58/2201."""
    with pytest.raises(ParseError, match="no resolution number and title"):
        seed_with(tmp_path, old, new)


# Dates printed in a resolution: a date that is no calendar date is a warning naming the file and the text.
PRINTED_DATES = [
    pytest.param("22 November 1967", "1967-11-22", None, id="sc-real-date"),
    pytest.param("30 February 2003", None, '"30 February 2003" is not a calendar date', id="sc-30-february"),
    pytest.param("31 April 1967", None, '"31 April 1967" is not a calendar date', id="sc-31-april"),
    pytest.param("22 November 19670", None, '"22 November 19670" is not a calendar date', id="sc-five-digit-year"),
    pytest.param("0 November 1967", None, '"0 November 1967" is not a calendar date', id="sc-day-zero"),
]


@pytest.mark.parametrize(("printed", "adopted", "warning"), PRINTED_DATES)
def test_printed_dates_that_are_no_date_are_warned(tmp_path, printed, adopted, warning):
    resolution = parse_text(tmp_path, sc_text(date=printed))
    assert resolution.adopted == adopted and resolution.symbol == "S/RES/242(1967)"
    expected = () if warning is None else (f"{tmp_path / 'resolution.txt'}: adoption date {warning}; adopted left empty",)
    assert resolution.warnings == expected
    assert next(parse_paths(tmp_path)).warnings == expected  # what `unres parse` and the indexer report


def test_ga_adoption_date_that_is_no_date_is_warned(tmp_path, corpus):
    resolution = seed_with(tmp_path, "23 December 2003", "30 February 2003")
    path = tmp_path / "seed.txt"
    assert resolution.adopted is None
    assert resolution.warnings == (f'{path}: adoption date "30 February 2003" is not a calendar date; adopted left empty',)


# Dates and sessions asked for: ASCII digits only, anything else refused (filters) or not read (the query).
ASKED_DATES = [
    pytest.param("2003", "2003", id="ascii-year"),
    pytest.param("2003-05-01", "2003-05-01", id="ascii-day"),
    pytest.param("٢٠٠٣", None, id="arabic-indic-year"),
    pytest.param("۲۰۰۳", None, id="extended-arabic-indic-year"),
    pytest.param("２００３", None, id="fullwidth-year"),
    pytest.param("2003-٠٥", None, id="arabic-indic-month"),
    pytest.param("200٣-05-01", None, id="one-arabic-indic-digit"),
    pytest.param("2003-02-30", None, id="30-february"),
]


@pytest.mark.parametrize(("value", "expected"), ASKED_DATES)
@pytest.mark.parametrize("name", ["adopted_from", "adopted_to"])
def test_filter_dates_take_ascii_digits_only(name, value, expected):
    if expected is not None:
        assert getattr(Filters(**{name: value}), name) == expected
        return
    with pytest.raises(QueryError, match=f"{name} '{value}' is not a date .YYYY, YYYY-MM or YYYY-MM-DD in the digits 0-9."):
        Filters(**{name: value})
    with pytest.raises(QueryError):
        Filters.from_dict({name: value})  # the benchmark's and the API's JSON


@pytest.mark.parametrize(
    ("query", "years", "sessions"),
    [pytest.param("resolutions since 2003", (2003,), (), id="ascii-year"),
     pytest.param("resolutions since 200٣", (), (), id="arabic-indic-digit-in-year"),
     pytest.param("resolutions since ٢٠٠٣", (), (), id="arabic-indic-year"),
     pytest.param("the 58th session", (), (58,), id="ascii-session"),
     pytest.param("the ٥٨th session", (), (), id="arabic-indic-session"),
     pytest.param("session ٥٨ on oceans", (), (), id="arabic-indic-session-after"),
     pytest.param("the ５８th session", (), (), id="fullwidth-session")],
)
def test_the_query_reads_ascii_years_and_sessions_only(query, years, sessions):
    understood = understand(query)
    assert (understood.years, understood.sessions) == (years, sessions)


# Format characters (Unicode category Cf): invisible, stripped from queries and from indexed text alike.
FORMAT_CHARACTERS = [
    pytest.param("\u200b", id="zero-width-space"),
    pytest.param("\u200c", id="zero-width-non-joiner"),
    pytest.param("\u200d", id="zero-width-joiner"),
    pytest.param("\u2060", id="word-joiner"),
    pytest.param("\ufeff", id="byte-order-mark"),
    pytest.param("\u00ad", id="soft-hyphen"),
    pytest.param("\u200e", id="left-to-right-mark"),
    pytest.param("\u200f", id="right-to-left-mark"),
    pytest.param("\u202a", id="left-to-right-embedding"),
    pytest.param("\u202e", id="right-to-left-override"),
    pytest.param("\u2066", id="left-to-right-isolate"),
    pytest.param("\u2069", id="pop-directional-isolate"),
    pytest.param("\U000e0041", id="tag-letter"),
]


@pytest.mark.parametrize("char", FORMAT_CHARACTERS)
def test_format_characters_are_stripped(tmp_path, corpus, char):
    assert check_query(f"con{char}demns  land{char}mines") == "condemns landmines"
    with pytest.raises(QueryError, match="^empty query$"):
        check_query(char * 3 + " " + char)
    clean = parse_file(SEED).to_dict()
    marked = seed_with(tmp_path, "tion", f"ti{char}on").to_dict()  # inside words of the title, paragraphs, footnotes
    assert {**marked, "source": None, "sha256": None} == {**clean, "source": None, "sha256": None}
    sc = parse_text(tmp_path, sc_text(verb=f"Re{char}quests"))
    assert sc.operative[0].verb == "requests" and sc.operative[0].text == "Requests the Secretary-General to report on the matter."


def test_a_soft_hyphen_at_a_line_end_joins_the_word(tmp_path):
    text = sc_text().replace("concern at the situation", "con\u00ad\ncern at the situ\u00ad  \n  ation")
    assert parse_text(tmp_path, text).preamble[0].text == "Expressing its concern at the situation in the area,"


def test_every_format_character_is_stripped_and_nothing_else():
    from unres.index.parse.blocks import strip_format

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    kept = strip_format(everything)
    assert not [c for c in kept if unicodedata.category(c) == "Cf"]
    dropped = set(everything) - set(kept)
    assert {unicodedata.category(c) for c in dropped} <= {"Cf", "Cn"}  # Cn: assigned Cf in a later Unicode


# Input files: an unreadable folder is a failure naming it; UTF-16 and UTF-32 text is read.
def _deny(monkeypatch, locked: Path) -> None:
    """What `chmod 000` does to a user who is not root: the folder can be neither listed nor opened."""
    scandir, open_ = os.scandir, os.open

    def denied(path) -> bool:
        return os.fsdecode(os.fspath(path)).rstrip("/") == str(locked)

    def guarded_scandir(path="."):
        if denied(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    def guarded_open(path, *args, **kwargs):
        if denied(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return open_(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    monkeypatch.setattr(os, "open", guarded_open)


@pytest.mark.parametrize("where", [pytest.param("below", id="folder-below-the-input"),
                                   pytest.param("named", id="folder-named-as-input")])
def test_an_unreadable_folder_is_a_failure_naming_it(tmp_path, monkeypatch, corpus, where):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_bytes(SEED.read_bytes())
    locked.chmod(0)
    try:
        if os.geteuid() == 0:
            _deny(monkeypatch, locked)
        outcomes = list(parse_paths(tmp_path if where == "below" else locked))
    finally:
        locked.chmod(0o755)
    failures = [(o.path, str(o.error)) for o in outcomes if o.error is not None]
    assert failures == [(locked, f"{locked}: cannot be read (Permission denied)")]
    assert [o.resolution.symbol for o in outcomes if o.resolution] == (["A/RES/58/220"] if where == "below" else [])


ENCODINGS = [
    pytest.param(codecs.BOM_UTF8, "utf-8", id="utf-8-bom"),
    pytest.param(codecs.BOM_UTF16_LE, "utf-16-le", id="utf-16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE, "utf-16-be", id="utf-16-be-bom"),
    pytest.param(b"", "utf-16-le", id="utf-16-le-no-bom"),
    pytest.param(b"", "utf-16-be", id="utf-16-be-no-bom"),
    pytest.param(codecs.BOM_UTF32_LE, "utf-32-le", id="utf-32-le-bom"),
    pytest.param(codecs.BOM_UTF32_BE, "utf-32-be", id="utf-32-be-bom"),
    pytest.param(b"", "utf-32-le", id="utf-32-le-no-bom"),
    pytest.param(b"", "utf-32-be", id="utf-32-be-no-bom"),
]


@pytest.mark.parametrize(("bom", "encoding"), ENCODINGS)
def test_utf16_and_utf32_text_is_read(corpus, bom, encoding):
    text = SEED.read_text(encoding="utf-8")
    clean = parse_data(SEED, SEED.read_bytes()).to_dict()
    assert {**parse_data(SEED, bom + text.encode(encoding)).to_dict(), "sha256": None} == {**clean, "sha256": None}
    sc = parse_data(Path("sc.txt"), bom + sc_text().encode(encoding))
    assert sc.symbol == "S/RES/242(1967)" and sc.operative[0].verb == "requests"


@pytest.mark.parametrize(
    ("data", "problem"),
    [pytest.param(codecs.BOM_UTF16_LE + "Resolution".encode("utf-16-le") + b"\x00\xdc", "not UTF-16 text", id="utf-16-lone-surrogate"),
     pytest.param(codecs.BOM_UTF32_LE + b"\x00\x00\x11\x00", "not UTF-32 text", id="utf-32-out-of-range"),
     pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data", id="binary-stays-binary")],
)
def test_undecodable_wide_text_names_its_encoding(data, problem):
    with pytest.raises(ParseError, match=f"^x.txt: {problem}"):
        parse_data(Path("x.txt"), data)


# Filters arguments: a wrong type is a QueryError saying what is expected, never a TypeError.
BAD_FILTERS = [
    pytest.param({"sessions": 58}, "sessions must be a list of session numbers, not 58", id="sessions-int"),
    pytest.param({"sessions": "58"}, "sessions must be a list of session numbers, not '58'", id="sessions-text"),
    pytest.param({"sessions": [58.0]}, "sessions must be positive whole numbers, not [58.0]", id="sessions-float"),
    pytest.param({"sessions": [True]}, "sessions must be positive whole numbers, not [True]", id="sessions-bool"),
    pytest.param({"sessions": [0]}, "sessions must be positive whole numbers, not [0]", id="sessions-zero"),
    pytest.param({"kinds": 5}, "kinds must be a list of strings, not 5", id="kinds-int"),
    pytest.param({"verbs": 5}, "verbs must be a list of strings, not 5", id="verbs-int"),
    pytest.param({"verbs": b"urges"}, "verbs must be a list of strings, not b'urges'", id="verbs-bytes"),
    pytest.param({"verbs": [1]}, "verbs must be strings, not [1]", id="verbs-of-int"),
    pytest.param({"symbols": 242}, "symbols must be a list of strings, not 242", id="symbols-int"),
    pytest.param({"symbols": {"S/RES/242(1967)": 1}}, "symbols must be a list of strings, not {", id="symbols-dict"),
    pytest.param({"body": 5}, "unknown body 5; use GA or SC", id="body-int"),
    pytest.param({"body": ["GA"]}, "unknown body ['GA']; use GA or SC", id="body-list"),
    pytest.param({"adopted_from": 2003}, "adopted_from must be a date or text (YYYY, YYYY-MM or YYYY-MM-DD), not 2003",
                 id="from-int"),
    pytest.param({"adopted_to": ["2003"]}, "adopted_to must be a date or text (YYYY, YYYY-MM or YYYY-MM-DD), not ['2003']",
                 id="to-list"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_FILTERS)
def test_filters_arguments_of_the_wrong_type_are_query_errors(arguments, message):
    with pytest.raises(QueryError) as raised:
        Filters(**arguments)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("arguments", "field", "expected"),
    [pytest.param({"adopted_from": date(2003, 5, 1)}, "adopted_from", "2003-05-01", id="from-date"),
     pytest.param({"adopted_to": date(2003, 12, 31)}, "adopted_to", "2003-12-31", id="to-date"),
     pytest.param({"adopted_from": datetime(2003, 5, 1, 12, 30)}, "adopted_from", "2003-05-01", id="from-datetime"),
     pytest.param({"sessions": (np.int64(58), 59)}, "sessions", (58, 59), id="sessions-numpy"),
     pytest.param({"sessions": range(58, 60)}, "sessions", (58, 59), id="sessions-range"),
     pytest.param({"verbs": iter(["Urges"])}, "verbs", ("urges",), id="verbs-iterator")],
)
def test_filters_take_what_a_python_caller_naturally_passes(arguments, field, expected):
    filters = Filters(**arguments)
    assert getattr(filters, field) == expected and type(getattr(filters, field)) is type(expected)
    assert all(type(s) is int for s in filters.sessions)
    filters.where()  # the SQL parameters serialize


def test_filters_from_json_refuse_a_session_number():
    with pytest.raises(QueryError, match="sessions must be a list of session numbers, not 58"):
        Filters.from_dict({"sessions": 58})
