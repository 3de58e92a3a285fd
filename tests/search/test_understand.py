"""Query understanding, table-tested: wrappers stripped, body/verb/year intents read, acronyms expanded."""

from __future__ import annotations

import pytest

from unres.search.understand import Expansion, strip_wrapper, understand, verb_forms

VERBS = frozenset(["condemns", "requests", "urges", "demands", "calls upon", "decides", "welcomes", "notes", "recalling"])
GLOSSARY = {
    "UNRWA": "United Nations Relief and Works Agency for Palestine Refugees in the Near East",
    "SIDS": "small island developing States",
    "LDC": "least developed countries",
    "WHO": "World Health Organization",
}


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("what did the UN say about landmines?", "landmines"),
        ("What did the Security Council decide on Cyprus", "Cyprus"),
        ("has the Security Council ever condemned attacks on peacekeepers", "condemned attacks on peacekeepers"),
        ("is there a resolution asking countries to ratify the convention", "asking countries to ratify the convention"),
        ("Is there any resolution on ocean acidification?", "ocean acidification"),
        ("which resolution proclaims a world day for bees", "proclaims a world day for bees"),
        ("which resolutions deal with sea-level rise", "sea-level rise"),
        ("I need the paragraph where the Assembly condemns hostage-taking", "the Assembly condemns hostage-taking"),
        ("find me resolutions about child soldiers", "child soldiers"),
        ("Can you show me the UN position on nuclear tests", "nuclear tests"),
        ("where does the UN talk about rising oceans", "rising oceans"),
        ("did the General Assembly ever ask for a moratorium on the death penalty", "ask for a moratorium on the death penalty"),
        ("has the Security Council ever said anything about the hijacking of passenger planes",
         "the hijacking of passenger planes"),
        ("what is the UN's position on cluster munitions", "cluster munitions"),
        ("reform of the Security Council", "reform of the Security Council"),
        ("nuclear weapon tests", "nuclear weapon tests"),
    ],
)
def test_wrappers_are_stripped_by_pattern(query, text):
    assert strip_wrapper(query) == text


@pytest.mark.parametrize("query", ["which resolution", "what did the UN say about", "is there a resolution?", "the of and", "has the Council ever"])
def test_only_a_wrapper_or_stop_words_falls_back_to_the_query(query):
    assert strip_wrapper(query) == query
    assert understand(query, VERBS, GLOSSARY).text == query


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("has the Security Council ever condemned attacks on peacekeepers", "SC"),
        ("what did the Council decide about Namibia", "SC"),
        ("what trade restrictions did the Security Council put on Iraq in 1990", "SC"),
        ("where did the Security Council condemn raids", "SC"),
        ("Security Council resolutions on Haiti", "SC"),
        ("which day did the Assembly pick to celebrate cooperation", "GA"),
        ("what did the General Assembly say about migration", "GA"),
        ("take the dispute off the Council's agenda", "SC"),
        ("reform of the Security Council", None),
        ("ask the General Assembly to hold an emergency special session", None),
        ("letting the coffee body attend Assembly sessions", None),
        ("sc and ga together", None),
        ("peacekeeping in Cyprus", None),
    ],
)
def test_body_intent_only_where_the_body_acts(query, body):
    assert understand(query, VERBS).body == body


@pytest.mark.parametrize(
    ("query", "verbs"),
    [
        ("has the Council ever condemned attacks", ("condemns",)),
        ("condemn terrorism", ("condemns",)),
        ("asked the Secretary-General to report", ("requests", "calls upon")),
        ("urge States to ratify", ("urges",)),
        ("demanded a ceasefire", ("demands",)),
        ("the Council called on the parties", ("calls upon",)),
        ("welcomed the peace agreement and demanded withdrawal", ("welcomes", "demands")),
        ("Palestinians deciding their own future", ()),  # a gerund describes; it asks for no verb
        ("is there a resolution asking countries to ratify", ("requests", "calls upon")),  # ... unless a text does it
        ("paragraphs urging States to sign", ("urges",)),
        ("demand for an immediate truce", ()),  # nouns, not verbs
        ("the request of the Government", ()),
        ("demanded a truce", ("demands",)),
        ("notes on procedure", ()),  # a verb not read as intent
        ("recalling earlier texts", ()),  # preambular verbs are not intents
        ("encourage cooperation", ()),  # not a verb of this index
    ],
)
def test_verb_intent_maps_onto_the_index_vocabulary(query, verbs):
    assert understand(query, VERBS).verbs == verbs


def test_verb_forms():
    assert verb_forms("condemns") == {"condemns", "condemn", "condemned"}
    assert verb_forms("calls upon") == {"calls upon", "call upon", "called upon"}
    assert verb_forms("stresses") == {"stresses", "stress", "stressed"}
    assert verb_forms("urges") == {"urges", "urge", "urged"}


@pytest.mark.parametrize(
    ("query", "years", "sessions"),
    [
        ("sanctions on Iraq in 1990", (1990,), ()),
        ("working capital fund for 2024", (2024,), ()),
        ("credentials at the 79th session", (), (79,)),
        ("agenda of session 78 and 2023", (2023,), (78,)),
        ("resolution 661", (), ()),
        ("A/RES/58/220", (), ()),
    ],
)
def test_year_and_session_intent(query, years, sessions):
    understood = understand(query, VERBS)
    assert (understood.years, understood.sessions) == (years, sessions)


@pytest.mark.parametrize(
    ("query", "acronyms"),
    [
        ("what did the UN say about UNRWA", ("UNRWA",)),
        ("climate finance for SIDS and LDCs", ("SIDS", "LDC")),
        ("who funds unrwa", ()),  # lower case: "who" is not WHO, "unrwa" not read as an acronym
        ("WHO and UNRWA", ("WHO", "UNRWA")),
    ],
)
def test_acronyms_expand_from_the_glossary(query, acronyms):
    understood = understand(query, VERBS, GLOSSARY)
    assert tuple(e.acronym for e in understood.expansions) == acronyms
    for expansion in understood.expansions:
        assert expansion.expansion in understood.expanded


def test_a_body_abbreviation_is_an_intent_never_a_glossary_entry():
    # the corpus never defines UNSC; a name whose capitals spell it (the scientific committee) must not win
    glossary = {**GLOSSARY, "UNSC": "United Nations Scientific Committee", "GA": "Georgia"}
    understood = understand("UNSC resolutions on UNRWA", VERBS, glossary)
    assert [e.acronym for e in understood.expansions] == ["UNRWA"]
    assert understood.body == "SC"
    assert understand("what the GA said on SIDS", VERBS, glossary).expansions == (Expansion("SIDS", GLOSSARY["SIDS"]),)


def test_summary_and_json_shape():
    understood = understand("has the Security Council ever condemned UNRWA in 1990", VERBS, GLOSSARY)
    assert understood.body == "SC" and understood.verbs == ("condemns",) and understood.years == (1990,)
    assert understood.expansions == (Expansion("UNRWA", GLOSSARY["UNRWA"]),)
    assert understood.summary() == (
        "“condemned UNRWA in 1990” · body SC · verb condemns · year 1990 · UNRWA = " + GLOSSARY["UNRWA"]
    )
    data = understood.to_dict()
    assert data["expansions"] == [{"acronym": "UNRWA", "expansion": GLOSSARY["UNRWA"]}]
    assert set(data) == {"query", "text", "body", "verbs", "years", "sessions", "expansions", "language", "phrases", "excluded", "symbols"}
    assert data["language"] == "en"


def test_a_plain_query_is_understood_as_itself():
    understood = understand("  nuclear   weapon tests ", VERBS, GLOSSARY)
    assert understood.text == understood.query == understood.expanded == "nuclear weapon tests"
    assert not understood.intents and understood.summary() == ""
