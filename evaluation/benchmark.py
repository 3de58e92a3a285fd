"""Relevance benchmarking: judged queries in, TREC runs out, metrics by ir-measures, paired comparison.

Formats: queries as TSV `qid<TAB>query` or JSON Lines `{"qid", "query", "filters"}`; qrels as TREC
`qid 0 docid grade` (grade 0–2); runs as TREC `qid Q0 docid rank score tag` with paragraph ids as
docids. Every malformed line is reported with its file and line number. Fields are separated by whitespace
and `#` starts a comment line, so a qid or run tag holding whitespace or starting with `#` is refused up front.
"""

from __future__ import annotations

import importlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from unres.index.errors import QueryError, UnresError
from unres.index.filters import Filters

MEASURE_NAMES = ("nDCG@10", "MRR@10", "Recall@10", "Recall@100", "P@5")


class BenchmarkError(UnresError):
    """A queries, qrels or run file that cannot be used as it is."""


@dataclass(frozen=True)
class Query:
    """One judged query, with the filters it is run under and its half of the judged set (dev or test)."""

    qid: str
    text: str
    filters: Filters = field(default_factory=Filters)
    split: str | None = None


@dataclass(frozen=True)
class RunEntry:
    qid: str
    docid: str
    rank: int
    score: float


@dataclass(frozen=True)
class Evaluation:
    """Mean and per-query values of each measure for one run."""

    name: str
    means: dict[str, float]
    per_query: dict[str, dict[str, float]]  # measure -> qid -> value


@dataclass(frozen=True)
class Comparison:
    """A run against the first (baseline) run: per-query wins and losses and a paired t-test."""

    name: str
    baseline: str
    measure: str
    delta: float
    wins: int
    losses: int
    ties: int
    p_value: float | None  # None when the test is undefined (one query, or the same difference everywhere)


def read_queries(path: Path) -> list[Query]:
    """Read TSV or JSON Lines queries; reject wrong columns, empty queries and duplicate qids."""
    queries: list[Query] = []
    seen: set[str] = set()
    for number, line in _lines(path):
        if line.lstrip().startswith("{"):
            try:
                data = json.loads(line)
                qid, text, given = str(data["qid"]), str(data["query"]), data.get("filters") or {}
                split = None if data.get("split") is None else str(data["split"])
            except (ValueError, KeyError, TypeError) as error:
                raise BenchmarkError(f"{path}:{number}: not a {{qid, query, filters}} JSON object ({error})") from None
            try:
                filters = Filters.from_dict(given)
            except QueryError as error:
                raise BenchmarkError(f"{path}:{number}: {error}") from None
        else:
            columns = line.split("\t")
            if len(columns) != 2:
                raise BenchmarkError(f"{path}:{number}: expected 'qid<TAB>query', found {len(columns)} column(s)")
            qid, text, filters, split = columns[0].strip(), columns[1], Filters(), None
        if not qid:
            raise BenchmarkError(f"{path}:{number}: empty qid")
        if not _one_field(qid):
            raise BenchmarkError(
                f"{path}:{number}: qid {qid!r} holds whitespace or starts with '#'; a TREC run could not keep it as one field"
            )
        if not text.strip():
            raise BenchmarkError(f"{path}:{number}: empty query for {qid}")
        if qid in seen:
            raise BenchmarkError(f"{path}:{number}: duplicate qid {qid}")
        seen.add(qid)
        queries.append(Query(qid, text.strip(), filters, split))
    if not queries:
        raise BenchmarkError(f"{path}: no queries")
    return queries


def read_qrels(path: Path, known_ids: set[str] | None = None) -> dict[str, dict[str, int]]:
    """Read TREC qrels `qid 0 docid grade`; with `known_ids`, a docid missing from the index is an error."""
    qrels: dict[str, dict[str, int]] = {}
    for number, line in _lines(path):
        columns = line.split()
        if len(columns) != 4:
            raise BenchmarkError(f"{path}:{number}: expected 'qid 0 docid grade', found {len(columns)} column(s)")
        qid, _, docid, grade = columns
        if grade not in ("0", "1", "2"):
            raise BenchmarkError(f"{path}:{number}: grade {grade!r} is not 0, 1 or 2")
        if known_ids is not None and docid not in known_ids:
            raise BenchmarkError(f"{path}:{number}: unknown docid {docid} (not a paragraph of the index)")
        if docid in qrels.setdefault(qid, {}):
            raise BenchmarkError(f"{path}:{number}: {qid} judges {docid} twice")
        qrels[qid][docid] = int(grade)
    if not qrels:
        raise BenchmarkError(f"{path}: no judgments")
    return qrels


def read_run(path: Path) -> list[RunEntry]:
    """Read a TREC run `qid Q0 docid rank score tag`; within a query, ranks and scores must agree.

    A score that is not a finite number, a repeated rank or docid, or a better rank with a lower score
    is an error naming the line: evaluation orders by score, so such a run would be scored wrongly.
    """
    entries: list[RunEntry] = []
    lines: dict[tuple[str, int], int] = {}
    seen: set[tuple[str, str]] = set()
    for number, line in _lines(path):
        columns = line.split()
        if len(columns) != 6:
            raise BenchmarkError(f"{path}:{number}: expected 'qid Q0 docid rank score tag', found {len(columns)} column(s)")
        try:
            entry = RunEntry(columns[0], columns[2], int(columns[3]), float(columns[4]))
        except ValueError:
            raise BenchmarkError(f"{path}:{number}: rank and score must be numbers") from None
        if not math.isfinite(entry.score):
            raise BenchmarkError(f"{path}:{number}: score {columns[4]} is not a finite number")
        if (entry.qid, entry.rank) in lines:
            raise BenchmarkError(f"{path}:{number}: {entry.qid} has rank {entry.rank} twice")
        if (entry.qid, entry.docid) in seen:
            raise BenchmarkError(f"{path}:{number}: {entry.qid} ranks {entry.docid} twice")
        lines[(entry.qid, entry.rank)] = number
        seen.add((entry.qid, entry.docid))
        entries.append(entry)
    if not entries:
        raise BenchmarkError(f"{path}: empty run")
    by_query: dict[str, list[RunEntry]] = {}
    for entry in entries:
        by_query.setdefault(entry.qid, []).append(entry)
    for qid, ranked in by_query.items():
        ranked.sort(key=lambda e: e.rank)
        for better, worse in zip(ranked, ranked[1:], strict=False):
            if worse.score > better.score:
                raise BenchmarkError(
                    f"{path}:{lines[(qid, worse.rank)]}: {qid} rank {worse.rank} scores {worse.score!r}, above rank "
                    f"{better.rank} ({better.score!r}); scores and ranks disagree"
                )
    return entries


def check_tag(tag: str) -> str:
    """The run tag, checked to be one field of a TREC run line as `read_run` splits it."""
    if not tag:
        raise BenchmarkError("run tag '' is empty")
    if not _one_field(tag):
        raise BenchmarkError(f"run tag {tag!r} holds whitespace or starts with '#'; a TREC run could not keep it as one field")
    return tag


def run_queries(
    searcher, queries: list[Query], *, k: int = 100, mode: str = "hybrid", tag: str = "unres", ranking=None
) -> list[str]:
    """Search every query (with its own filters, and `ranking` if given) and return the TREC run lines."""
    check_tag(tag)
    lines: list[str] = []
    for query in queries:
        hits = searcher.search(query.text, k, mode=mode, filters=query.filters, ranking=ranking).hits
        # judgments are per paragraph: a collapsed hit stands for itself and then its copies
        ranked = [(pid, hit.score) for hit in hits for pid in (hit.id, *hit.also_in)]
        lines += format_run(query.qid, ranked[:k], tag)
    return lines


def format_run(qid: str, ranked: list[tuple[str, float]], tag: str) -> list[str]:
    """TREC run lines for one query, scores in full precision and strictly decreasing with rank.

    Evaluation tools order by score and break ties by docid, not rank; a score tied with (or above)
    the one before it is lowered to the next float below, so the rank order is the one evaluated.
    """
    lines: list[str] = []
    previous = math.inf
    for rank, (docid, score) in enumerate(ranked, 1):
        score = float(score)
        if not math.isfinite(score):
            raise BenchmarkError(f"{qid}: score {score} at rank {rank} is not a finite number")
        if score >= previous:
            score = math.nextafter(previous, -math.inf)
        lines.append(f"{qid} Q0 {docid} {rank} {score!r} {tag}")
        previous = score
    return lines


def run_labels(paths: list[Path]) -> list[str]:
    """A distinct label per run: its file stem, or its path when two runs share a stem (numbered if still equal)."""
    stems = Counter(Path(p).stem for p in paths)
    labels = [Path(p).stem if stems[Path(p).stem] == 1 else str(p) for p in paths]
    counts = Counter(labels)
    seen: Counter[str] = Counter()
    unique: list[str] = []
    for label in labels:
        seen[label] += 1
        unique.append(label if counts[label] == 1 else f"{label}#{seen[label]}")
    return unique


def check_run_corpus(name: str, run: list[RunEntry], qrels: dict[str, dict[str, int]], known_ids: set[str] | None) -> None:
    """A run for another corpus is reported, not scored as zeros."""
    docids = {e.docid for e in run}
    judged = {d for judgments in qrels.values() for d in judgments}
    if known_ids is not None:
        foreign = docids - known_ids
        if len(foreign) > len(docids) / 2:
            raise BenchmarkError(
                f"{name}: {len(foreign)} of {len(docids)} docids are not paragraphs of the index "
                f"(e.g. {sorted(foreign)[0]}): a run for another corpus?"
            )
    if not docids & judged and not {e.qid for e in run} & set(qrels):
        raise BenchmarkError(f"{name}: shares no query and no docid with the qrels: a run for another corpus?")
    if not {e.qid for e in run} & set(qrels):
        raise BenchmarkError(f"{name}: none of its query ids appear in the qrels")


def evaluate(name: str, qrels: dict[str, dict[str, int]], run: list[RunEntry]) -> Evaluation:
    """nDCG@10, MRR@10 (RR with relevance at the query's top grade), Recall@10, Recall@100 and P@5,
    computed by ir-measures over every judged query (a query the run misses scores 0)."""
    ir_measures = _require("ir_measures")
    from ir_measures import RR, P, R, nDCG

    qrel_list = [ir_measures.Qrel(q, d, g) for q, judged in qrels.items() for d, g in judged.items()]
    # ranked by the rank column: scores agree with it (see read_run), and ties are then ordered by rank, not docid
    scored = [ir_measures.ScoredDoc(e.qid, e.docid, float(-e.rank)) for e in run if e.qid in qrels]
    measures = {"nDCG@10": nDCG @ 10, "Recall@10": R @ 10, "Recall@100": R @ 100, "P@5": P @ 5}
    rr = {1: RR(rel=1) @ 10, 2: RR(rel=2) @ 10}
    per_query: dict[str, dict[str, float]] = {m: {q: 0.0 for q in qrels} for m in MEASURE_NAMES}
    names = {str(v): k for k, v in measures.items()}
    rr_values: dict[tuple[str, str], float] = {}
    for metric in ir_measures.iter_calc([*measures.values(), *rr.values()], qrel_list, scored):
        key = str(metric.measure)
        if key in names:
            per_query[names[key]][metric.query_id] = metric.value
        else:
            rr_values[(key, metric.query_id)] = metric.value
    for qid, judged in qrels.items():
        top = max(judged.values())
        per_query["MRR@10"][qid] = rr_values.get((str(rr[top]), qid), 0.0) if top > 0 else 0.0
    means = {m: sum(values.values()) / len(values) for m, values in per_query.items()}
    return Evaluation(name, means, per_query)


def compare(baseline: Evaluation, other: Evaluation, measure: str = "nDCG@10") -> Comparison:
    """Per-query wins/losses against the baseline and a two-sided paired t-test over queries."""
    ttest_rel = _require("scipy.stats").ttest_rel

    qids = sorted(baseline.per_query[measure])
    a = [baseline.per_query[measure][q] for q in qids]
    b = [other.per_query[measure][q] for q in qids]
    wins = sum(y > x for x, y in zip(a, b, strict=True))
    losses = sum(y < x for x, y in zip(a, b, strict=True))
    differences = {y - x for x, y in zip(a, b, strict=True)}
    p_value = float(ttest_rel(b, a).pvalue) if len(qids) > 1 and len(differences) > 1 else None
    if a == b:
        p_value = 1.0
    return Comparison(other.name, baseline.name, measure, other.means[measure] - baseline.means[measure],
                      wins, losses, len(qids) - wins - losses, p_value)


def _require(module: str):
    """A module of the `bench` extra, or a clear error saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise BenchmarkError(
            f"{module.split('.')[0]} is not installed; relevance evaluation needs the bench extra: pip install 'unres[bench]'"
        ) from None


def _one_field(value: str) -> bool:
    """A TREC field as `_lines` and `read_run` read it back: no whitespace (str.split's), no leading comment mark."""
    return value.split() == [value] and not value.startswith("#")


def _lines(path: Path):
    """Numbered non-blank, non-comment lines of a UTF-8 file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise BenchmarkError(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise BenchmarkError(f"{path}: not UTF-8 text") from None
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line.rstrip("\n")
