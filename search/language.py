"""Which of the six official UN languages a query is written in: by its script, then by function words.

Arabic, Chinese and Russian are each the only official language of their script, so the letters
decide. English, French and Spanish share the Latin script; their function words ("the", "les",
"los") and the letters only French or Spanish use (ç, è, à; ñ, á, ¿) tell them apart, and a query with none
of them (`UNRWA 1993`, `Kosovo`) is read as English, the corpus's language, which is also the
answer that costs least when wrong. Acronyms, small words inside names (Rio de Janeiro, Côte
d'Ivoire) and what English borrows whole (de facto, El Salvador, Al-Qaida) are not evidence. A statistical detector was not worth a dependency here: three
of the six languages need no statistics, and on queries of three or four words, often names and
acronyms, the remaining choice is better made on function words than on character n-grams.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
ENGLISH = "en"

_LATIN_WORDS = {
    "en": frozenset(
        "the of and to in on for with by about is are was were did does do has have had which what where when who how "
        "any that this these those from its their an a against ever there been it be".split()
    ),
    "fr": frozenset(
        "le la les des du de un une et en au aux sur pour par dans avec sans est sont été a ont ou où qui que quoi quel "
        "quelle quels quelles quand comment l d qu contre entre ce cette ces sa ses leur leurs il elle ils ne pas "
        "déjà jamais lors".split()
    ),
    "es": frozenset(
        "a e el la los las del de un una unos unas y en al sobre para por con sin es son fue fueron ha han o dónde donde "
        "qué que cuál cuáles cuándo cómo quién contra entre este esta estos estas ese esa su sus alguna algún alguno "
        "alguna vez ya se lo le".split()
    ),
}
_LATIN_LETTERS = {"fr": frozenset("àçèêëîïôœûùÿ"), "es": frozenset("ñ¿¡áíóú")}  # é is both's
_ENDINGS = {  # French or Spanish, when the function words are ones both share ("de", "la", "en")
    "fr": ("tion", "tions", "eux", "euse", "ée", "ées", "ement", "ements", "aux", "ique", "iques", "ité"),
    "es": ("ción", "ciones", "os", "as", "dad", "ado", "ada", "ados", "adas", "ico", "ica", "icos", "icas", "miento", "mientos"),
}
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Phrases and names English uses whole ("de facto", "El Salvador"): no evidence of a French or Spanish query.
_BORROWED = (
    "de facto", "de jure", "coup d'état", "coup d'etat", "ad hoc", "raison d'être", "vis-à-vis", "chargé d'affaires",
    "force majeure", "détente", "entente", "rapprochement", "per se", "inter alia", "bona fide", "status quo",
    "El Salvador", "La Paz", "Los Angeles", "Las Palmas", "Le Havre", "Al-\\w+", "El-\\w+",
)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language among the six official ones; English when nothing tells."""
    counts = {"ar": 0, "zh": 0, "ru": 0, "latin": 0}
    for char in text:
        if char.isalpha() and (script := _script(char)) is not None:
            counts[script] += 3 if script == "zh" else 1  # a Han character is about a word, not a letter
    script = max(("ar", "zh", "ru"), key=lambda name: counts[name])
    if counts[script] and counts[script] >= counts["latin"] / 2:  # "安理会 UNPROFOR 1992": Chinese with an acronym
        return script
    return _latin_language(text)


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "ar"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "zh"
    if 0x0400 <= code <= 0x052F:
        return "ru"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return None


def _latin_language(text: str) -> str:
    """English, French or Spanish by function words, the letters only one of them uses breaking ties."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    if text.isupper():  # LA SITUATION EN SYRIE
        text = text.lower()
    for phrase in _BORROWED:
        text = re.sub(rf"\b{phrase}\b", " ", text, flags=re.IGNORECASE)
    tokens = _TOKEN.findall(text)
    words = [word.lower() for i, word in enumerate(tokens) if not _in_name(tokens, i)]
    score = {language: sum(word in vocabulary for word in words) for language, vocabulary in _LATIN_WORDS.items()}
    common = "".join(  # not names (Côte d'Ivoire, São Tomé), but a first word may be capitalized (Résolution 242)
        word for i, word in enumerate(tokens)
        if word[:1].islower() or (i == 0 and len(tokens) > 1 and len(tokens[1]) > 1 and not tokens[1][:1].isupper())
    )
    for language, letters in _LATIN_LETTERS.items():
        if any(char in letters for char in common):
            score[language] += 3  # letters the other never writes outweigh a shared or borrowed word
    if "é" in common:
        score["fr"] += 1
        score["es"] += 1
    best = max(score, key=lambda language: (score[language], language == ENGLISH))
    if score[best] <= score[ENGLISH]:
        return ENGLISH
    endings = {language: sum(word.endswith(ends) for word in words if len(word) > 3) for language, ends in _ENDINGS.items()}
    return max(_ENDINGS, key=lambda language: (score[language], endings[language]))


def _in_name(tokens: list[str], i: int) -> bool:
    """Whether token i is an acronym (UN, ONU) or a small word inside a name (Rio de Janeiro, Dar es Salaam)."""
    word = tokens[i]
    if len(word) > 1 and word.isupper():
        return True
    return word.islower() and 0 < i < len(tokens) - 1 and tokens[i - 1][:1].isupper() and tokens[i + 1][:1].isupper()
