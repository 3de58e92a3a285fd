"""`unres bench run` and `unres bench eval`: TREC runs from judged queries, and their metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from unres.index.filters import Mode

from .common import IndexOption, JsonOption, errors, index_dir
from .output import check_output, write_file

bench = typer.Typer(
    help="Relevance benchmarking: TREC runs and their metrics.", no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@bench.command("run")
def run_command(
    queries: Annotated[Path, typer.Argument(help="Queries: TSV qid<TAB>query, or JSON Lines {qid, query, filters}.")],
    mode: Annotated[Mode, typer.Option(help="dense, lexical or hybrid.")] = Mode.hybrid,
    k: Annotated[int, typer.Option("--k", "-k", help="Paragraphs per query.")] = 100,
    tag: Annotated[str | None, typer.Option(help="Run tag (default: the mode).")] = None,
    index: IndexOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the run here (default: standard output).")] = None,
    ranking: Annotated[str | None, typer.Option(help='Ranking options as JSON, e.g. \'{"rrf_k": 20}\' (default: the tuned ones).')] = None,
) -> None:
    """Search every query and write a TREC run: qid Q0 docid rank score tag."""
    from unres.evaluation.benchmark import check_tag, read_queries, run_queries
    from unres.index.errors import QueryError
    from unres.search import Ranking, Searcher

    with errors():
        try:
            options = Ranking.from_dict(json.loads(ranking)) if ranking else None
        except (ValueError, TypeError) as error:
            raise QueryError(f"--ranking: not a JSON object of ranking options ({error})") from None
        run_tag = check_tag(mode.value if tag is None else tag)
        if out is not None:
            check_output(out)
        parsed = read_queries(queries)
        with Searcher.open(index_dir(index)) as searcher:
            lines = run_queries(searcher, parsed, k=k, mode=mode.value, tag=run_tag, ranking=options)
    text = "\n".join(lines) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    with errors():
        write_file(out, text.encode("utf-8"))


@bench.command("eval")
def eval_command(
    qrels: Annotated[Path, typer.Argument(help="TREC qrels: qid 0 docid grade (0-2).")],
    runs: Annotated[list[Path], typer.Argument(help="TREC runs; the first is the baseline of the comparison.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """nDCG@10, MRR@10, Recall@10, Recall@100 and P@5 per run; with two or more, a paired comparison."""
    from unres.evaluation.benchmark import (
        MEASURE_NAMES,
        check_run_corpus,
        compare,
        evaluate,
        read_qrels,
        read_run,
        run_labels,
    )
    from unres.search import Searcher

    with errors():
        directory = index_dir(index)
        known = None
        if (directory / "config.json").exists():
            with Searcher.open(directory) as searcher:
                known = searcher.paragraph_ids()
        judged = read_qrels(qrels, known)
        evaluations = []
        for path, label in zip(runs, run_labels(runs), strict=True):
            entries = read_run(path)
            check_run_corpus(str(path), entries, judged, known)
            evaluations.append(evaluate(label, judged, entries))
    comparisons = [compare(evaluations[0], e, m) for e in evaluations[1:] for m in ("nDCG@10", "MRR@10")]
    if as_json:
        typer.echo(json.dumps({
            "queries": len(judged),
            "runs": [{"run": e.name, **e.means} for e in evaluations],
            "comparisons": [c.__dict__ for c in comparisons],
        }, indent=2))
        return
    width = max(28, *(len(e.name) + 2 for e in evaluations))
    typer.echo(f"{len(judged)} judged queries")
    typer.echo(f"{'run':<{width}}" + "".join(f"{m:>11}" for m in MEASURE_NAMES))
    for e in evaluations:
        typer.echo(f"{e.name:<{width}}" + "".join(f"{e.means[m]:>11.4f}" for m in MEASURE_NAMES))
    if comparisons:
        typer.echo(f"\nagainst {evaluations[0].name} (paired t-test over queries)")
        for c in comparisons:
            typer.echo(
                f"{c.name:<{width}}{c.measure:<9} delta {c.delta:+.4f}  wins {c.wins:>3}  losses {c.losses:>3}  "
                f"ties {c.ties:>3}  p {'n/a' if c.p_value is None else f'{c.p_value:.4f}'}"
            )
