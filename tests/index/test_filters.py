"""Table tests of the one filter vocabulary and the index configuration checks: no index, no model."""

from __future__ import annotations

import pytest

from unres.index.config import IndexConfig, check_backend, check_template
from unres.index.errors import ConfigError, QueryError
from unres.index.filters import Filters, end_of, is_date


def test_defaults_are_operative_and_unrestricted_otherwise():
    assert Filters() == Filters(kinds=("operative",))
    assert not Filters().unfiltered()
    assert Filters(kinds=("annex", "operative", "preambular")).unfiltered()
    assert Filters().where() == (" AND p.kind IN (SELECT value FROM json_each(:kinds))", {"kinds": '["operative"]'})


def test_values_are_normalized():
    filters = Filters(verbs=("Urges", "urges"), body="ga", sessions=(78, 78), symbols="A/RES/58/220", kinds="annex")
    assert filters.verbs == ("urges",) and filters.body == "GA" and filters.sessions == (78,)
    assert filters.symbols == ("A/RES/58/220",) and filters.kinds == ("annex",)


def test_upper_date_bound_includes_the_whole_period():
    _, params = Filters(adopted_from="2003", adopted_to="2003-12").where()
    assert params["adopted_from"] == "2003" and params["adopted_to"] == "2003-12-31"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2003", True), ("2003-12", True), ("2003-12-23", True), ("2004-02-29", True), ("2003-02-29", False),
     ("2003-13-45", False), ("2003-13", False), ("03-12-23", False), ("2003/12/23", False), ("", False), (2003, False)],
)
def test_is_date(value, ok):
    assert is_date(value) is ok


@pytest.mark.parametrize(("value", "expected"), [("2003", "2003-12-31"), ("2003-02", "2003-02-31"), ("2003-02-03", "2003-02-03")])
def test_end_of(value, expected):
    assert end_of(value) == expected  # "2003-02-31" still sorts after every real February date


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"kinds": ("footnote",)}, "unknown kind footnote"),
        ({"kinds": ()}, r"unknown kind \(none\)"),
        ({"body": "ECOSOC"}, "unknown body 'ECOSOC'"),
        ({"sessions": (0,)}, "sessions must be positive whole numbers"),
        ({"sessions": ("78",)}, "sessions must be positive whole numbers"),
        ({"adopted_from": "2003-13-45"}, "adopted_from '2003-13-45' is not a date"),
        ({"adopted_to": "yesterday"}, "adopted_to 'yesterday' is not a date"),
        ({"verbs": (1,)}, "verbs must be strings"),
        ({"adopted_from": "1990", "adopted_to": "1989"}, "adopted from 1990 is after adopted to 1989"),
        ({"adopted_from": "2004-01-01", "adopted_to": "2003-12"}, "adopted from 2004-01-01 is after adopted to 2003-12"),
    ],
)
def test_bad_filters_are_query_errors(given, message):
    with pytest.raises(QueryError, match=message):
        Filters(**given)


def test_from_dict_takes_lists_and_rejects_unknown_keys():
    assert Filters.from_dict({"verbs": ["urges"], "kinds": ["annex"]}) == Filters(verbs=("urges",), kinds=("annex",))
    with pytest.raises(QueryError, match="unknown filter colour"):
        Filters.from_dict({"colour": "red"})
    with pytest.raises(QueryError, match="filters must be a JSON object"):
        Filters.from_dict(["urges"])


@pytest.mark.parametrize("template", ["{title}: {text}", "{text}", "{verb} {phrase} {text}"])
def test_good_templates(template):
    check_template(template)


@pytest.mark.parametrize("template", ["{title}", "{text} {colour}", "{text", "plain", "{0} {text}"])
def test_bad_templates(template):
    with pytest.raises(ConfigError, match="use {text} with optional"):
        check_template(template)


def test_backends():
    check_backend("flat")
    check_backend("hnsw")
    with pytest.raises(ConfigError, match="unknown vector backend 'annoy'"):
        check_backend("annoy")


def test_config_round_trip_and_a_tampered_backend(tmp_path):
    from unres.index.errors import IndexOpenError

    IndexConfig(model="m", dimension=3).save(tmp_path)
    assert IndexConfig.load(tmp_path) == IndexConfig(model="m", dimension=3)
    (tmp_path / "config.json").write_text((tmp_path / "config.json").read_text().replace('"flat"', '"annoy"'))
    with pytest.raises(IndexOpenError, match="corrupt index configuration.*annoy"):
        IndexConfig.load(tmp_path)


def test_a_config_from_a_newer_unres_names_its_unknown_settings(tmp_path):
    import json

    from unres.index.errors import IndexOpenError

    IndexConfig(model="m", dimension=3).save(tmp_path)
    data = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**data, "reranker": "x"}))
    with pytest.raises(IndexOpenError, match=r"settings this unres does not know \(reranker\).*newer unres"):
        IndexConfig.load(tmp_path)


def test_front_ends_build_filters_one_way():
    from unres.index.filters import Body, Kind

    # what typer and FastAPI hand over: Enum choices, repeated options as lists, None or [] when not given
    built = Filters.of(kinds=[Kind.annex, Kind.operative], verbs=["Urges"], body=Body.GA, sessions=[78],
                       adopted_from="2003", adopted_to=None, symbols=None)
    assert built == Filters(kinds=("annex", "operative"), verbs=("urges",), body="GA", sessions=(78,), adopted_from="2003")
    with pytest.raises(QueryError, match="the Security Council has none"):
        Filters.of(body=Body.SC, sessions=[78])
    assert Filters.of() == Filters.of(kinds=None, verbs=[], sessions=None) == Filters()
    assert Filters.of(sessions=58, symbols="A/RES/58/220").sessions == (58,)
    with pytest.raises(QueryError, match="unknown body"):
        Filters.of(body="ECOSOC")
