"""The query's language: by script for Arabic, Chinese and Russian, by function words among the Latin three."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unres.search.language import LANGUAGES, detect_language

RELEVANCE = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance"


def queries(language: str) -> list[str]:
    path = RELEVANCE / ("queries.jsonl" if language == "en" else f"queries.{language}.jsonl")
    return [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_judged_queries_are_read_in_their_language(language):
    texts = queries(language)
    detected = [detect_language(text) for text in texts]
    if language in ("en", "ar", "zh", "ru"):
        assert detected == [language] * len(texts), [t for t, d in zip(texts, detected, strict=True) if d != language]
    else:  # French and Spanish share words ("de", "la", "en"): what matters most is that neither is taken for English
        assert sum(d == language for d in detected) >= 0.97 * len(texts)
        assert sum(d == "en" for d in detected) <= 0.01 * len(texts)


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("elections in Côte d'Ivoire", "en"),  # names keep their letters in English
        ("São Tomé and Príncipe", "en"),
        ("Curaçao", "en"),
        ("UNRWA", "en"),  # nothing tells: the corpus's language
        ("S/RES/242 (1967)", "en"),
        ("", "en"),
        ("UN transitional authority in Cambodia", "en"),  # "UN" is an acronym, not the French article
        ("Côte d'Ivoire elections", "en"),
        ("El Salvador peace accords", "en"),  # names and borrowed phrases are no evidence of another language
        ("Al-Qaida sanctions", "en"),
        ("Rio de Janeiro conference", "en"),
        ("de facto authorities", "en"),
        ("coup d'état in Guinea", "en"),
        ("Résolution 242", "fr"),
        ("LA SITUATION EN SYRIE", "fr"),
        ("El Consejo de Seguridad", "es"),
        ("UNAMA 阿富汗", "zh"),
        ("désarmement nucléaire", "fr"),
        ("¿Dónde instó la Asamblea a los Estados?", "es"),
        ("Où le Conseil a-t-il condamné les attaques", "fr"),
        ("Совет Безопасности UNPROFOR", "ru"),
        ("安理会 UNPROFOR 1992", "zh"),
        ("الأونروا", "ar"),
    ],
)
def test_query_language(query, language):
    assert detect_language(query) == language
