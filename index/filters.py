"""The filter vocabulary, defined once: what a search may be restricted to, and how that is checked.

`Filters` is used by `Searcher.search`, the benchmark's JSON queries, the CLI and the store's SQL.
Checks that need no index (kinds, body, dates, sessions) happen here, at construction; checks that
need one (unknown verbs and symbols) happen in `Snapshot.checked` (index/reader.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from numbers import Integral

from .config import BACKENDS, ENGINES
from .errors import QueryError
from .parse.records import KINDS
from .sql import YEAR
from .variants import WORD

BODIES = ("GA", "SC")
MODES = ("dense", "lexical", "hybrid")
DEFAULT_KINDS = ("operative",)
SORTS = ("relevance", "date")  # how a search orders its hits: best first, or latest adopted first
PERIODS = ("year", "session")  # what `trend` counts by
GRAPH_FORMATS = ("graphml", "csv")  # what `export-graph` writes
EXPORT_FORMATS = ("csv", "jsonl", "ris", "line")  # what a search's hits are exported as (search/export.py)


def _choices(name: str, values: tuple[str, ...]) -> type[Enum]:
    return Enum(name, {value: value for value in values}, type=str)


# The same vocabularies as Enums, the choices typer and FastAPI offer and check.
Mode = _choices("Mode", MODES)
Kind = _choices("Kind", KINDS)
Body = _choices("Body", BODIES)
Backend = _choices("Backend", BACKENDS)
Engine = _choices("Engine", ENGINES)
Period = _choices("Period", PERIODS)
Sort = _choices("Sort", SORTS)
ExportFormat = _choices("ExportFormat", EXPORT_FORMATS)
GraphFormat = _choices("GraphFormat", GRAPH_FORMATS)


@dataclass(frozen=True)
class Filters:
    """Restrictions applied to the candidates before ranking; empty or None means no restriction.

    Dates are ISO (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or a `datetime.date`); an upper bound includes the
    whole period it names (`adopted_to="2003"` is the end of 2003). Values are normalized: verbs lower
    case, the body upper case, sequences as tuples, dates as ISO text. A value of the wrong type (a
    session number where a list of them belongs) is a `QueryError` saying what is expected.
    """

    kinds: tuple[str, ...] = DEFAULT_KINDS
    verbs: tuple[str, ...] = ()
    body: str | None = None
    sessions: tuple[int, ...] = ()
    adopted_from: str | None = None
    adopted_to: str | None = None
    symbols: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # each paragraph holds every one: its words in this order, in any form (FTS5 phrase)
    excluded: tuple[str, ...] = ()  # no paragraph holds any: a word in any form, or a phrase

    def __post_init__(self) -> None:
        kinds = _strings("kinds", self.kinds)
        bad = [kind for kind in kinds if kind not in KINDS]
        if bad or not kinds:
            raise QueryError(f"unknown kind {', '.join(bad) or '(none)'}; use {', '.join(KINDS)}")
        body = self.body.upper() if isinstance(self.body, str) else self.body
        if body is not None and body not in BODIES:
            raise QueryError(f"unknown body {self.body!r}; use {' or '.join(BODIES)}")
        sessions = _sequence("sessions", self.sessions, "a list of session numbers")
        if body == "SC" and sessions:
            raise QueryError("sessions number General Assembly resolutions; the Security Council has none: drop the session or the body SC")
        if any(isinstance(s, bool) or not isinstance(s, Integral) or s < 1 for s in sessions):
            raise QueryError(f"sessions must be positive whole numbers, not {list(sessions)}")
        for name in ("adopted_from", "adopted_to"):
            object.__setattr__(self, name, _date(name, getattr(self, name)))
        if self.adopted_from and self.adopted_to and self.adopted_from > end_of(self.adopted_to):
            raise QueryError(f"adopted from {self.adopted_from} is after adopted to {self.adopted_to}: no date is both")
        object.__setattr__(self, "kinds", tuple(dict.fromkeys(kinds)))
        object.__setattr__(self, "verbs", tuple(dict.fromkeys(v.lower() for v in _strings("verbs", self.verbs))))
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "sessions", tuple(dict.fromkeys(map(int, sessions))))
        object.__setattr__(self, "symbols", tuple(dict.fromkeys(_strings("symbols", self.symbols))))
        for name in ("phrases", "excluded"):
            terms = (" ".join(WORD.findall(value.lower())) for value in _strings(name, getattr(self, name)))
            object.__setattr__(self, name, tuple(dict.fromkeys(term for term in terms if term)))

    @classmethod
    def from_dict(cls, data: dict) -> Filters:
        """Filters from a JSON object with the field names above; an unknown key is a `QueryError`."""
        if not isinstance(data, dict):
            raise QueryError(f"filters must be a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise QueryError(f"unknown filter {', '.join(unknown)}; use {', '.join(f.name for f in fields(cls))}")
        values = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}
        return cls(**values)

    @classmethod
    def of(
        cls,
        *,
        kinds: Iterable[str] = (),
        verbs: Iterable[str] = (),
        body: str | None = None,
        sessions: Iterable[int] = (),
        adopted_from: str | None = None,
        adopted_to: str | None = None,
        symbols: Iterable[str] = (),
    ) -> Filters:
        """Filters from what a front end collected (repeated options, Enum choices, None for not given);
        no kind given means the default kinds."""
        kinds = tuple(getattr(kind, "value", kind) for kind in _values(kinds))
        return cls(
            kinds=kinds or DEFAULT_KINDS, verbs=_values(verbs), body=getattr(body, "value", body),
            sessions=_values(sessions), adopted_from=adopted_from, adopted_to=adopted_to, symbols=_values(symbols),
        )

    def unfiltered(self) -> bool:
        """True when nothing is excluded: every kind and no other restriction."""
        return set(self.kinds) == set(KINDS) and self == Filters(kinds=self.kinds)

    def where(self, phrase_match: Callable[[str], str] = lambda phrase: f'"{phrase}"') -> tuple[str, dict]:
        """SQL conditions on the paragraphs table `p` and their parameters; `phrase_match` gives the FTS5 expression
        of a phrase (or word) included or excluded: by default the phrase quoted; the store's, each spelling it may have."""
        clauses: list[str] = []
        params: dict = {}
        for column, values in (("kind", self.kinds), ("verb", self.verbs), ("session", self.sessions), ("symbol", self.symbols)):
            if values:
                clauses.append(f"p.{column} IN (SELECT value FROM json_each(:{column}s))")
                params[f"{column}s"] = json.dumps(list(values))
        if self.body:
            clauses.append("p.body = :body")
            params["body"] = self.body
        if self.adopted_from:  # a paragraph whose date is lost but whose year is known is kept when its year may be in range
            clauses.append(f"COALESCE(p.adopted, {YEAR} || '-12-31') >= :adopted_from")
            params["adopted_from"] = self.adopted_from
        if self.adopted_to:
            clauses.append(f"COALESCE(p.adopted, {YEAR} || '-01-01') <= :adopted_to")
            params["adopted_to"] = end_of(self.adopted_to)
        for name, terms, test in (("phrase", self.phrases, "IN"), ("excluded", self.excluded, "NOT IN")):
            for i, term in enumerate(terms):
                clauses.append(f"p.row {test} (SELECT rowid FROM paragraph_text WHERE paragraph_text MATCH :{name}{i})")
                params[f"{name}{i}"] = phrase_match(term)  # FTS5 phrases of plain words: no operator can get in
        return "".join(f" AND {c}" for c in clauses), params




def is_date(value: object) -> bool:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` in the digits 0-9 (no Arabic-Indic or full-width ones) naming a real month and day."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        return False
    year, month, day = (int(part) for part in (value + "-01-01")[:10].split("-"))
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def end_of(value: str) -> str:
    """`2003` → `2003-12-31`, `2003-12` → `2003-12-31`: an upper bound includes the whole period."""
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def _values(values: object) -> tuple:
    """A repeated value as a tuple: None is none, one string or number is one; what is neither one nor a
    list of values (bytes, a mapping) is passed on whole, for `Filters` to refuse."""
    if values is None:
        return ()
    if isinstance(values, (str, int)):
        return (values,)
    if isinstance(values, (bytes, Mapping)) or not isinstance(values, Iterable):
        return values
    return tuple(values)


def _date(name: str, value: object) -> str | None:
    """A date bound as ISO text: a `datetime.date` (or `datetime`) converted, text checked by `is_date`."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if value is not None and not isinstance(value, str):
        raise QueryError(f"{name} must be a date or text (YYYY, YYYY-MM or YYYY-MM-DD), not {value!r}")
    if value is not None and not is_date(value):
        raise QueryError(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD in the digits 0-9)")
    return value


def _sequence(name: str, values: object, what: str) -> tuple:
    """A field's values as a tuple; None is none, and what is no list (a number, text, bytes, a dict) an error."""
    if values is None:
        return ()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise QueryError(f"{name} must be {what}, not {values!r}")
    return tuple(values)


def _strings(name: str, values: object) -> tuple[str, ...]:
    """Text values; one string is one value."""
    values = (values,) if isinstance(values, str) else _sequence(name, values, "a list of strings")
    if not all(isinstance(v, str) for v in values):
        raise QueryError(f"{name} must be strings, not {list(values)}")
    return values
