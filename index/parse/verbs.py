"""The lexicon of UN operative and preambular phrases, and splitting a phrase into verb and modifiers.

The head verbs follow the UN Editorial Manual's lists of operative and preambular forms; adverbs
such as `also`, `further` or `strongly` are modifiers and never part of the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MODIFIERS = frozenset(
    ["also", "further", "again", "once", "more", "strongly", "firmly", "deeply", "fully", "urgently", "solemnly", "duly", "most", "warmly", "sincerely", "gravely", "seriously", "profoundly", "particularly", "especially", "keenly", "earnestly", "emphatically", "categorically", "unequivocally", "resolutely", "vigorously", "formally", "respectfully", "hereby", "highly", "therefore", "accordingly", "equally", "likewise", "still", "moreover", "additionally", "finally", "however", "furthermore"]
)

# Head verbs that take more than one word, longest first when matched.
_MULTI_OPERATIVE = """takes note|take note|calls attention|call attention|calls upon|calls on|calls for|call upon|call on|call for|
draws attention|draws the attention|pays tribute|pay tribute|looks forward|look forward|bears in mind|
appeals to|takes into account|takes into consideration|has resolved|takes the view|is convinced|is aware|is concerned|is determined|
decides to remain seized|it is resolved|remains seized|remains actively seized|places on record|puts on record""".replace("\n", "").split("|")

_OPERATIVE = ["accepts", "acknowledges", "adopts", "re-emphasizes", "re-emphasises", "censures", "requires", "desires", "records", "reconfirms", "orders", "mandates", "holds", "deprecates", "dissolves", "addresses", "refers", "values", "brings", "appropriates", "recommits", "realizes", "anticipates", "understands", "respects", "strives", "objects", "assesses", "authorizes", "calls", "renews", "resumes", "revises", "amends", "apportions", "elects", "nominates", "reappoints", "requests", "encourage", "reiterate", "recommit", "realize", "acknowledge", "strengthen", "ensure", "promote", "enhance", "emphasize", "welcome", "recognize", "remain", "stand", "look", "urge", "invite", "note", "resolve", "take", "pledge", "affirm", "agree", "decide", "holds", "deprecates", "reposes", "relies", "maintains", "pays", "reserves", "resolves", "calls", "notes", "approves", "advises", "affirms", "agrees", "aims", "allocates", "appeals", "applauds", "appoints", "appreciates", "approves", "asks", "assures", "authorizes", "authorises", "believes", "calls", "cautions", "commemorates", "commends", "commits", "concludes", "concurs", "condemns", "confirms", "congratulates", "considers", "continues", "counsels", "decides", "declares", "decries", "deems", "defers", "demands", "denounces", "deplores", "designates", "determines", "directs", "dismisses", "elects", "emphasizes", "emphasises", "encourages", "endeavours", "endorses", "entrusts", "envisages", "establishes", "estimates", "exhorts", "expects", "expresses", "extends", "finds", "further", "highlights", "hopes", "identifies", "implores", "insists", "instructs", "intends", "invites", "launches", "notes", "observes", "opposes", "pledges", "proclaims", "proposes", "reaffirms", "reasserts", "recalls", "receives", "recognizes", "recognises", "recommends", "regrets", "reiterates", "rejects", "remains", "reminds", "renews", "repeats", "reports", "requests", "resolves", "salutes", "sets", "shares", "solicits", "stands", "states", "stresses", "strengthens", "submits", "suggests", "supports", "takes", "thanks", "transmits", "trusts", "underlines", "underscores", "undertakes", "urges", "views", "warns", "welcomes", "wishes", "accept", "acknowledge", "adopt", "affirm", "agree", "appeal", "applaud", "approve", "call", "commend", "commit", "condemn", "confirm", "decide", "declare", "demand", "emphasize", "encourage", "endorse", "express", "highlight", "invite", "note", "reaffirm", "recall", "recognize", "recommend", "reiterate", "remain", "request", "resolve", "stress", "support", "underline", "underscore", "urge", "welcome", "authorize", "direct", "establish", "extend", "pledge", "renew", "seek", "strive", "will", "shall"]

_MULTI_PREAMBULAR = """bearing in mind|taking note|taking into account|taking into consideration|
having considered|having examined|having heard|having received|having reviewed|having studied|
having adopted|having decided|having regard|having noted|having taken note|keeping in mind|
acting under|acting in""".replace("\n", "").split("|")

_PREAMBULAR = ["acknowledging", "acting", "adding", "affirming", "alarmed", "anxious", "appealing", "appreciating", "approving", "aware", "bearing", "believing", "calling", "cognizant", "commending", "committed", "concerned", "condemning", "confident", "conscious", "considering", "contemplating", "convinced", "declaring", "deeming", "deploring", "desirous", "desiring", "determined", "disturbed", "emphasizing", "emphasising", "encouraged", "encouraging", "endorsing", "expressing", "fearful", "grieved", "guided", "having", "highlighting", "hoping", "indignant", "inspired", "keeping", "mindful", "moved", "noting", "observing", "paying", "pointing", "realizing", "realising", "reaffirming", "reasserting", "recalling", "recognizing", "recognising", "referring", "regretting", "reiterating", "reminding", "renewing", "resolved", "resolving", "seeking", "shocked", "stressing", "striving", "supporting", "taking", "underlining", "underscoring", "urging", "viewing", "welcoming", "whereas", "wishing", "gravely", "appalled", "outraged", "dismayed", "saddened", "pleased", "satisfied", "heartened", "troubled", "horrified", "sensitive", "respecting", "emphasising", "upholding", "underscoring"]

OPERATIVE_HEADS = frozenset(_OPERATIVE) | frozenset(_MULTI_OPERATIVE)
PREAMBULAR_HEADS = frozenset(_PREAMBULAR) | frozenset(_MULTI_PREAMBULAR)
_HEADS = sorted(OPERATIVE_HEADS | PREAMBULAR_HEADS, key=lambda h: -len(h.split()))
_BY_FIRST: dict[str, list[tuple[str, list[str]]]] = {}
for _head in _HEADS:
    _BY_FIRST.setdefault(_head.split()[0], []).append((_head, _head.split()))
_INSERTION = re.compile(r",\s*(?:in|inter alia|in particular|in this (?:context|regard)|as appropriate|therefore)\s*,", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Phrase:
    """The opening phrase of a paragraph: as written, its head verb and its adverbs."""

    phrase: str
    verb: str
    modifiers: tuple[str, ...]


def split_phrase(phrase: str) -> Phrase | None:
    """Split `Also strongly urges` into verb `urges` and modifiers `also, strongly`; None if no lexicon verb.

    Adverbs and a parenthesis may stand inside a two-word verb: `Calls once again upon` and
    `Calls, in this context, for` are `calls upon` and `calls for`.
    """
    words = [w.lower().replace("’", "'") for w in _WORD.findall(_INSERTION.sub(" ", phrase))]
    modifiers: list[str] = []
    i = 0
    while i < len(words) and words[i] in MODIFIERS:
        modifiers.append(words[i])
        i += 1
    head = _match_head(words, i)
    if head is None:
        return None
    rest = words[i + len(head.split()) :]
    j = 0
    while j < len(rest) and rest[j] in MODIFIERS:
        modifiers.append(rest[j])
        j += 1
    if " " not in head and j < len(rest) and (whole := _match_head([head, *rest[j:]], 0)) is not None and " " in whole:
        head = whole
    modifiers += [w for w in rest[j:] if w in MODIFIERS]  # after the complement: `Noting with appreciation also`
    return Phrase(" ".join(phrase.split()), _canonical(head), tuple(modifiers))


def _match_head(words: list[str], start: int) -> str | None:
    """The longest lexicon head at `words[start:]`."""
    if start >= len(words):
        return None
    for head, parts in _BY_FIRST.get(words[start], ()):
        if words[start : start + len(parts)] == parts:
            return head
    return None


def _canonical(head: str) -> str:
    """Fold variants onto one verb: `calls on` → `calls upon`, British spellings, and the first-person
    forms of declarations (`we recognize` → `recognizes`)."""
    head = {
        "calls on": "calls upon",
        "call on": "call upon",
        "it is resolved": "resolves",
        "draws the attention": "draws attention",
    }.get(head, head)
    head = re.sub(r"is(es|ing|e)?\b", lambda m: "iz" + (m[1] or ""), head) if re.match(r"^(recogn|emphas|author|real)is", head) else head
    first, _, rest = head.partition(" ")
    if first in ("will", "shall"):
        return head
    for ending in ("s", "es"):
        if not first.endswith("s") and f"{first}{ending}" in _THIRD_PERSON:
            return " ".join(filter(None, (first + ending, rest)))
    return head


_THIRD_PERSON = frozenset(w for w in _OPERATIVE if w.endswith("s")) | {"takes", "calls", "looks", "pays", "bears", "draws"}
_SUBJECT = re.compile(r"^(?:We|I)\b(?:,[^,]{0,120},)?\s+(?:(?:are|remain|will|shall|also|further|hereby|therefore|strongly|deeply|firmly|fully)\s+)*")


def leading_phrase(text: str) -> Phrase | None:
    """Find the phrase at the start of an unstyled paragraph (`Strongly condemns the …`).

    Used where no italics mark the phrase (Security Council texts): the phrase is the modifiers,
    the head verb and the modifiers right after it, as written.
    """
    body = re.sub(r"^(The (Security Council|General Assembly)\s*,?\s*)", "", text)
    subject = _SUBJECT.match(body)
    if subject and subject.end() > 0:
        head_words = _WORD.findall(body[subject.end() :][:80])
        head = _match_head([w.lower() for w in head_words], 0)
        if head is None:
            return None
        written = " ".join(body[: subject.end()].split() + head_words[: len(head.split())])
        return Phrase(written, _canonical(head), tuple(w.lower() for w in _WORD.findall(body[: subject.end()]) if w.lower() in MODIFIERS))
    tokens = list(_WORD.finditer(body[:200]))
    words = [t.group().lower().replace("’", "'") for t in tokens]
    i = 0
    while i < len(words) and words[i] in MODIFIERS:
        i += 1
    head = _match_head(words, i)
    if head is None:
        return None
    end = i + len(head.split())
    while end < len(words) and words[end] in MODIFIERS:
        end += 1
    written = body[tokens[0].start() : tokens[end - 1].end()]
    phrase = split_phrase(written)
    whole = _match_head([head, *words[end:]], 0) if " " not in head and phrase is not None else None
    if whole is not None and " " in whole:  # `Calls once again upon`: the phrase as before, the verb whole
        return Phrase(phrase.phrase, _canonical(whole), phrase.modifiers)
    return phrase


def completed(phrase: Phrase, text: str) -> Phrase:
    """The phrase with its verb made whole from the text that follows it, when the italics stop
    inside a two-word verb (`*Calls*, in this context, *for*`, `*Calls* for`)."""
    if " " in phrase.verb or not text.startswith(phrase.phrase):
        return phrase
    words = [w.lower() for w in _WORD.findall(_INSERTION.sub(" ", text[len(phrase.phrase) :][:80]))]
    while words and words[0] in MODIFIERS:
        words.pop(0)
    whole = _match_head([phrase.verb, *words], 0) or _match_head([phrase.verb.rstrip("s"), *words], 0)
    if whole is None or " " not in whole:
        return phrase
    return Phrase(phrase.phrase, _canonical(whole), phrase.modifiers)


def is_operative(verb: str) -> bool:
    """Whether a head verb is an operative form (finite) rather than a preambular one."""
    return verb in OPERATIVE_HEADS or verb == "calls upon"
