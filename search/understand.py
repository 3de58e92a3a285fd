"""Query understanding: what a query asks for besides its words, read before ranking.

People ask "has the Security Council ever condemned attacks on peacekeepers" or "what did the UN
say about UNRWA": the wrapper words match every paragraph, the body and verb named are what they
want ranked first, and the acronym is spelled out in the paragraph. `understand` strips the wrapper,
reads body, verb and year/session intent, and looks acronyms up in the index's glossary; the
`Searcher` uses these as soft boosts, never as filters. Pure functions, no index access.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache

from .language import ENGLISH, detect_language
from .stopwords import NO_TOPIC

_BODY = r"(?:the\s+)?(?:U\.?N\.?|United\s+Nations|UNGA|UNSC|(?:UN\s+)?Security\s+Council|(?:UN\s+)?General\s+Assembly|Council|Assembly|GA|SC)"
_DOCUMENT = (
    r"(?:an?\s+|the\s+|any\s+|some\s+)?(?:UN\s+|GA\s+|SC\s+|Security\s+Council\s+|General\s+Assembly\s+)?"
    r"(?:resolutions?|paragraphs?|texts?|decisions?|language|clauses?|provisions?|passages?)"
)
_TOPIC = r"(?:about|on|regarding|concerning|with\s+regard\s+to|in\s+relation\s+to|related\s+to|dealing\s+with|where|in\s+which|that|which)"
_SAY = (
    r"(?:say|says|said|state|states|stated|decide|decided|do|done|think|resolve|resolved|write|wrote|written|adopt|adopted|"
    r"talk|talks|talked|mention|mentions|mentioned|speak|speaks|spoke|spoken)"
)

# Wrappers stripped from the start of a query, again and again while one matches (case-insensitive).
WRAPPERS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?:please\s+)?(?:can|could|would)\s+you\s+",
        r"^(?:please\s+)?(?:i\s+(?:need|want|would\s+like|am\s+looking\s+for|'m\s+looking\s+for|am\s+searching\s+for|"
        r"remember|recall)|looking\s+for|searching\s+for|search\s+for|find(?:\s+me)?|show(?:\s+me)?|give\s+me|get\s+me|"
        r"list|tell\s+me(?:\s+about)?|look\s+up)\s+",
        rf"^(?:what|where|when|how)\s+(?:(?:did|does|do|has|have|had|is|was|were)\s+)?{_BODY}(?:\s+ever)?(?:\s+{_SAY})?"
        rf"(?:\s+anything|\s+something)?(?:\s+{_TOPIC})?\s+",
        rf"^(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+)?(?:{_BODY}(?:'s|’s)?\s+)?(?:position|stance|view|line)\s+{_TOPIC}\s+",
        rf"^(?:has|have|had|did|does|do|is|was)\s+{_BODY}\s+(?:ever\s+|already\s+|really\s+)?",
        rf"^(?:is|are|was|were)\s+there\s+{_DOCUMENT}\s*(?:of\s+{_BODY}\s+)?(?:{_TOPIC}\s+)?",
        rf"^(?:which|what)\s+{_DOCUMENT}\s+(?:of\s+{_BODY}\s+|by\s+{_BODY}\s+)?(?:{_SAY}\s+|mentions?\s+|talks?\s+about\s+|"
        r"deals?\s+with\s+|is\s+about\s+|are\s+about\s+|covers?\s+|address(?:es)?\s+|refers?\s+to\s+)?(?:that\s+|which\s+)?"
        rf"(?:{_TOPIC}\s+)?",
        rf"^(?:which|what)\s+(?:did|does|do|has|have)\s+{_BODY}\s+{_SAY}\s+",
        rf"^{_DOCUMENT}\s+(?:of\s+{_BODY}\s+|by\s+{_BODY}\s+)?{_TOPIC}\s+",
        rf"^{_DOCUMENT}\s+{_SAY}\s+(?:by\s+{_BODY}\s+)?{_TOPIC}\s+",
        r"^(?:the\s+)?(?:U\.?N\.?|United\s+Nations)(?:'s|’s)?\s+(?:position|stance|view|line)\s+(?:on|about)\s+",
        r"^(?:ever|already|anything|something)\s+(?:about|on)?\s*",
        rf"^(?:say|says|said|spoken|spoke|talked|written|wrote|done|do)\s+(?:anything\s+|something\s+)?{_TOPIC}\s+",
    )
)
_TRAILER = re.compile(r"[\s?!.]+$|\s+(?:please|at\s+all|ever)[\s?!.]*$", re.IGNORECASE)

_BODY_NAMES = re.compile(
    r"\b(?P<sc>(?:UN\s+)?Security\s+Council|UNSC|the\s+Council|SC)\b|\b(?P<ga>(?:UN\s+)?General\s+Assembly|UNGA|the\s+Assembly|GA)\b",
    re.IGNORECASE,
)
_SUBJECT_BEFORE = re.compile(
    r"(?:^|\b(?:did|does|do|has|have|had|is|was|were|when|where|which|what|how|by|ever|and|or|UN's|that)\s+)(?:the\s+)?$",
    re.IGNORECASE,
)
_SUBJECT_AFTER = re.compile(
    r"^(?:'s|’s|\s+(?:resolutions?|decisions?|ever|has|have|had|did|does|say|says|said|decided?|adopted|asked|pick(?:ed)?|"
    r"chose|agreed|wants?|wanted)\b)",
    re.IGNORECASE,
)

# Speech-act verbs worth reading as intent; the index's own vocabulary decides which exist.
INTENT_VERBS = frozenset(
    "condemns deplores urges requests demands decides welcomes invites encourages reaffirms recommends authorizes endorses "
    "commends appeals emphasizes stresses proclaims declares establishes designates affirms recognizes regrets rejects "
    "acknowledges underlines insists reiterates congratulates elects appoints extends renews approves adopts".split()
) | frozenset(["calls upon", "calls on", "calls for", "takes note", "expresses"])
SYNONYMS: dict[str, str | tuple[str, ...]] = {  # words a user writes for the verbs the resolutions use
    "ask": ("requests", "calls upon"), "asks": ("requests", "calls upon"), "asked": ("requests", "calls upon"),
    "condemnation": "condemns", "condemnations": "condemns", "denounce": "condemns", "denounced": "condemns",
    "denounces": "condemns",
    "call on": "calls upon", "called on": "calls upon", "calls on": "calls upon",
    "call upon": "calls upon", "called upon": "calls upon",
    "praise": "commends", "praised": "commends", "praises": "commends",
    "authorise": "authorizes", "authorised": "authorizes", "authorises": "authorizes",
    "took note": "takes note", "take note": "takes note", "noted": "takes note",
}
DOCUMENTS = frozenset("resolution resolutions paragraph paragraphs text texts decision decisions language clause clauses".split())
DETERMINERS = frozenset("a an the this that its their any every no".split())
SYNONYM_BASES = ("ask", "call on", "call upon", "denounce", "praise", "authorise")
# Years and sessions in the digits 0-9 only: `\d` would read Arabic-Indic or full-width digits as well.
_YEAR = re.compile(r"\b(19[4-9][0-9]|20[0-4][0-9])\b")
_SESSION = re.compile(r"\b([0-9]{1,2})(?:st|nd|rd|th)\s+(?:regular\s+)?session\b|\bsession\s+([0-9]{1,2})\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Expansion:
    """An acronym of the query and what the index's own text says it stands for."""

    acronym: str
    expansion: str


@dataclass(frozen=True)
class Understanding:
    """What a query was read as: its words without the question wrapper, and the intents found."""

    query: str  # as given (whitespace normalized)
    text: str  # the wrapper stripped; the query itself when nothing searchable is left
    body: str | None = None  # "GA" or "SC" when the query names the body acting
    verbs: tuple[str, ...] = ()  # index verbs the query asks for
    years: tuple[int, ...] = ()
    sessions: tuple[int, ...] = ()
    expansions: tuple[Expansion, ...] = ()
    language: str = ENGLISH  # ISO 639-1 code of the official language the query is written in (language.py)
    phrases: tuple[str, ...] = ()  # "quoted" in the query: every hit holds each (syntax.py)
    excluded: tuple[str, ...] = ()  # -word or -"phrase": no hit holds any
    symbols: tuple[str, ...] = ()  # resolutions the query named, as the index holds them: their paragraphs first

    @property
    def expanded(self) -> str:
        """The text with each acronym's expansion appended (what the lexical ranking reads)."""
        return " ".join([self.text, *(e.expansion for e in self.expansions)])

    @property
    def topic(self) -> str:
        """The text without what its intents say (the body named as acting, the verb asked for in any form, the
        years and sessions): the words a paragraph must hold to match, since "Security Council condemns terrorism" is about terrorism."""
        said = [_BODY_NAMES.pattern] if self.body else []
        said += [re.escape(form) for verb in self.verbs for form in verb_forms(verb)]
        said += [re.escape(word) for word, meant in SYNONYMS.items() if set(self.verbs) & set((meant,) if isinstance(meant, str) else meant)]
        said += [str(year) for year in self.years] + ([_SESSION.pattern] if self.sessions else [])
        if not said:
            return self.text
        topic = " ".join(re.sub(rf"\b(?:{'|'.join(said)})\b", " ", self.text, flags=re.IGNORECASE).split())
        return topic if any(w.lower() not in NO_TOPIC for w in _WORD.findall(topic)) else self.text

    @property
    def intents(self) -> bool:
        return bool(self.body or self.verbs or self.years or self.sessions)

    def summary(self) -> str:
        """One line for the terminal: `body SC · verb condemns · UNRWA = United Nations Relief …`."""
        parts = []
        if self.language != ENGLISH:
            parts.append(f"language {self.language}")
        if self.text != self.query:
            parts.append(f"“{self.text}”")
        if self.body:
            parts.append(f"body {self.body}")
        if self.verbs:
            parts.append(f"verb {', '.join(self.verbs)}")
        if self.years:
            parts.append(f"year {', '.join(map(str, self.years))}")
        if self.sessions:
            parts.append(f"session {', '.join(map(str, self.sessions))}")
        parts += [f"{e.acronym} = {e.expansion}" for e in self.expansions]
        parts += [f"phrase “{p}”" for p in self.phrases] + [f"not “{e}”" for e in self.excluded]
        parts += [f"resolution {s}" for s in self.symbols]
        return " · ".join(parts)

    def to_dict(self) -> dict:
        """The `understood` object of `unres search --json`."""
        data = asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def understand(query: str, verbs: Collection[str] = (), glossary: Mapping[str, str] | None = None) -> Understanding:
    """Read `query` against the index's verb vocabulary and acronym glossary."""
    query = " ".join(query.split())
    return Understanding(
        query=query,
        text=strip_wrapper(query),
        body=body_intent(query),
        verbs=verb_intent(query, verbs),
        years=tuple(dict.fromkeys(int(y) for y in _YEAR.findall(query))),
        sessions=tuple(dict.fromkeys(int(a or b) for a, b in _SESSION.findall(query))),
        expansions=acronyms(query, glossary or {}),
        language=detect_language(query),
    )


def strip_wrapper(query: str) -> str:
    """The query without its question wrapper; the query itself when only wrapper or stop words are left."""
    text = _TRAILER.sub("", query)
    changed = True
    while changed:
        changed = False
        for pattern in WRAPPERS:
            stripped = pattern.sub("", text, count=1)
            if stripped != text:
                text, changed = stripped.strip(), True
        text = _TRAILER.sub("", text)
    if not any(w.lower() not in NO_TOPIC for w in _WORD.findall(text)):
        return query
    return text


def body_intent(query: str) -> str | None:
    """GA or SC when the query names a body as the one acting (`has the Council ever`, `the Assembly's`,
    `Security Council resolutions`), not as a topic (`reform of the Security Council`); None if both or neither."""
    found = set()
    for match in _BODY_NAMES.finditer(query):
        if len(match.group(0)) == 2 and not match.group(0).isupper():
            continue  # "ga", "sc": not an abbreviation
        if _SUBJECT_BEFORE.search(query[: match.start()]) or _SUBJECT_AFTER.match(query[match.end():]):
            found.add("SC" if match.group("sc") else "GA")
    return found.pop() if len(found) == 1 else None


def verb_forms(verb: str) -> set[str]:
    """The forms a user may write for an index verb: `condemns` → condemn, condemned. Not the gerund:
    "Palestinians deciding their own future" describes, it does not ask for a decision."""
    head, *rest = verb.split()
    tail = " ".join(rest)
    base = base_form(head)
    past = base + "d" if base.endswith("e") else base + "ed"
    return {" ".join(filter(None, (form, tail))) for form in (head, base, past)}


def base_form(verb: str) -> str:
    """`condemns` → `condemn`, `stresses` → `stress`, `calls upon` → `call upon`."""
    head, _, tail = verb.partition(" ")
    head = head[:-2] if re.search(r"(?:ss|sh|ch|x)es$", head) else head[:-1] if head.endswith("s") else head
    return f"{head} {tail}".strip()


@lru_cache(maxsize=8)
def _verb_table(known: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The written forms and gerunds of the index's intent verbs, built once per vocabulary."""
    forms: dict[str, tuple[str, ...]] = {}
    for verb in sorted(known):
        for form in verb_forms(verb):
            forms.setdefault(form, (verb,))
    for word, verbs in SYNONYMS.items():
        meant = tuple(v for v in ((verbs,) if isinstance(verbs, str) else verbs) if v in known)
        if meant:
            forms[word] = meant
    gerunds = {gerund(base_form(verb)): (verb,) for verb in sorted(known)}
    gerunds.update({gerund(word): forms[word] for word in SYNONYM_BASES if word in forms})
    return forms, gerunds


def filter_verbs(verbs: Iterable[str], known: Collection[str]) -> tuple[str, ...]:
    """The verbs a filter names, as the index holds them: `condemned`, `condemn` → condemns; one the index
    lacks in any form stays as given, for the filter's check to name."""
    forms = _forms(frozenset(known))
    return tuple(dict.fromkeys(verb if verb in known else forms.get(verb, verb) for verb in verbs))


@lru_cache(maxsize=8)
def _forms(known: frozenset[str]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for verb in sorted(v for v in known if v):
        for form in verb_forms(verb):
            forms.setdefault(form, verb)
    return forms


def verb_intent(query: str, vocabulary: Collection[str]) -> tuple[str, ...]:
    """Index verbs the query uses, in any form (`condemned` → condemns, `asked` → requests)."""
    forms, gerunds = _verb_table(frozenset(v for v in vocabulary if v in INTENT_VERBS))
    words = [w.lower() for w in _WORD.findall(query)]
    found: list[str] = []
    for i, word in enumerate(words):
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        verbs = forms.get(pair) or forms.get(word)
        noun = (i and words[i - 1] in DETERMINERS) or (i + 1 < len(words) and words[i + 1] in ("for", "of") and not forms.get(pair))
        if verbs and not forms.get(pair) and noun and not word.endswith(("s", "ed")):
            verbs = None  # "a demand for a truce", "the request of": a noun
        if not verbs and i and words[i - 1] in DOCUMENTS:  # "a resolution asking", "paragraphs urging"
            verbs = gerunds.get(pair) or gerunds.get(word)
        found += [verb for verb in verbs or () if verb not in found]
    return tuple(found)


def gerund(form: str) -> str:
    """`call upon` → `calling upon`, `urge` → `urging` (of a base form)."""
    head, _, tail = form.partition(" ")
    head = head[:-1] + "ing" if head.endswith("e") and not head.endswith("ee") else head + "ing"
    return f"{head} {tail}".strip()


def candidates(query: str) -> tuple[str, ...]:
    """Words of the query written as acronyms (`UNRWA`, `LDCs` → LDC): capitals, a plural `s` aside."""
    found = []
    for word in _WORD.findall(query):
        stem = word[:-1] if word.endswith("s") else word
        if len(stem) >= 2 and stem.isupper() and sum(c.isalpha() for c in stem) >= 2 and not _BODY_NAMES.fullmatch(stem):
            found.append(stem)  # UNSC, UNGA, SC, GA name the body acting (`body_intent`), not a glossary entry
    return tuple(dict.fromkeys(found))


def acronyms(query: str, glossary: Mapping[str, str]) -> tuple[Expansion, ...]:
    """The query's acronyms that the glossary spells out."""
    return tuple(Expansion(a, glossary[a]) for a in candidates(query) if a in glossary)
