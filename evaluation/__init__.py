"""Relevance evaluation: judged queries in, TREC runs out, metrics by ir-measures, paired comparison.

A peer of `unres.search`: it runs a `Searcher` over judged queries and scores the runs. Its
dependencies (ir-measures, scipy) come with the `bench` extra: `pip install 'unres[bench]'`.
"""

from .benchmark import (
    BenchmarkError,
    Comparison,
    Evaluation,
    Query,
    RunEntry,
    check_run_corpus,
    check_tag,
    compare,
    evaluate,
    format_run,
    read_qrels,
    read_queries,
    read_run,
    run_queries,
)

__all__ = [
    "BenchmarkError",
    "Comparison",
    "Evaluation",
    "Query",
    "RunEntry",
    "check_run_corpus",
    "check_tag",
    "compare",
    "evaluate",
    "format_run",
    "read_qrels",
    "read_queries",
    "read_run",
    "run_queries",
]
