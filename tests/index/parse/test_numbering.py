"""Numbered paragraphs as printed: out of sequence, repeated, four digits wide; control characters."""

from __future__ import annotations

from unres.index import parse_paths

HEAD = """General Assembly

78/999. A synthetic resolution

The General Assembly,

*Recalling* its resolution 77/178,

"""


def _parse(tmp_path, numbers: list[int], extra: str = ""):
    body = "".join(f"{n}. *Requests* the Secretary-General to report on item {n}{extra};\n\n" for n in numbers)
    path = tmp_path / "synthetic.txt"
    path.write_text(HEAD + body + "*50th plenary meeting*\n", encoding="utf-8")
    (parsed,) = parse_paths([path], workers=1)
    return parsed


def test_swapped_numbers_start_paragraphs_with_a_warning(tmp_path):
    parsed = _parse(tmp_path, [1, 3, 2, 4])
    assert [p.id.split("#")[1] for p in parsed.resolution.operative] == ["1", "3", "2", "4"]
    assert len(parsed.warnings) == 3 and all("synthetic.txt: operative paragraph" in w for w in parsed.warnings)
    assert parsed.resolution.warnings == parsed.warnings and "warnings" not in parsed.resolution.to_dict()


def test_repeated_number_keeps_its_paragraph(tmp_path):
    parsed = _parse(tmp_path, [1, 2, 2, 3])
    assert [p.id.split("#")[1] for p in parsed.resolution.operative] == ["1", "2", "2bis", "3"]
    assert "operative paragraph 2 follows paragraph 2" in parsed.warnings[0]


def test_numbers_of_any_width(tmp_path):
    parsed = _parse(tmp_path, list(range(1, 1206)))
    operative = parsed.resolution.operative
    assert len(operative) == 1205 and operative[-1].number == 1205 and not parsed.warnings
    assert operative[-1].text == "Requests the Secretary-General to report on item 1205;"


def test_control_characters_are_stripped(tmp_path):
    parsed = _parse(tmp_path, [1, 2], extra=" now\x1b[31m red\x07")
    assert parsed.resolution.operative[0].text == "Requests the Secretary-General to report on item 1 now[31m red;"
