"""Bad input raises one `ParseError` that names the file and the problem."""

from __future__ import annotations

import pytest

from tests.bad_files import make_bad_files
from tests.conftest import SEED
from unres.index import ParseError, parse_file, parse_paths

EXPECTED = {
    "empty": "is empty",
    "truncated": "damaged or truncated PDF",
    "encrypted": "encrypted PDF",
    "garbage": "binary data",
    "latin1": "not UTF-8 text",
    "prose": "not a UN resolution",
    "blank": "not a General Assembly resolution",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_bad_file_gives_one_clear_error(tmp_path, corpus, kind):
    path = make_bad_files(tmp_path)[kind]
    with pytest.raises(ParseError) as raised:
        parse_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and EXPECTED[kind] in message
    assert "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ParseError, match="missing.pdf: cannot be read"):
        parse_file(tmp_path / "missing.pdf")


def test_failures_do_not_stop_other_files(tmp_path, corpus):
    bad = make_bad_files(tmp_path)
    results = list(parse_paths([bad["truncated"], SEED, bad["latin1"]]))
    assert [r.error is None for r in results] == [False, True, False]
    assert results[1].resolution.symbol == "A/RES/58/220"


def test_directory_means_every_supported_file_below(tmp_path, corpus):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.md").write_text("ignored: not a supported suffix")
    results = list(parse_paths([tmp_path]))
    assert [r.path.name for r in results] == ["seed.txt"]
