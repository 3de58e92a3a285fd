"""Measure query adapters on one split of the judged set: dense and hybrid, against no adapter.

Runs every query of the split with the index's own query vectors, then with each adapter applied to
them (normalize(W q), as `Searcher` does for an index that records the adapter, without building one),
and prints nDCG@10 and MRR@10 overall and by kind of query (known-item k*, topical t*, verb v*), with
the paired t-test against no adapter. The TREC runs and the split's qrels are written to `--out`, for
`unres bench eval` and `pool.py`.

    python benchmarks/relevance/adapter_eval.py --index /tmp/rel/index --split dev index/adapters/un-minilm.npz
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from unres.evaluation.benchmark import compare, evaluate, read_qrels, read_queries, read_run, run_queries
from unres.index.adapter import Adapter
from unres.search import Ranking, Searcher

HERE = Path(__file__).resolve().parent
KINDS = {"k": "known-item", "t": "topical", "v": "verb"}


def split_files(split: str, out: Path) -> tuple[Path, Path]:
    """The split's queries and qrels, written to `out`."""
    queries = [json.loads(line) for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    keep = {q["qid"] for q in queries if q["split"] == split}
    out.mkdir(parents=True, exist_ok=True)
    (out / f"queries-{split}.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries if q["qid"] in keep))
    lines = [line for line in (HERE / "qrels.txt").read_text(encoding="utf-8").splitlines() if line.split()[:1] and line.split()[0] in keep]
    (out / f"qrels-{split}.txt").write_text("".join(line + "\n" for line in lines))
    return out / f"queries-{split}.jsonl", out / f"qrels-{split}.txt"


def load(path: Path) -> Adapter:
    with np.load(path, allow_pickle=False) as archive:
        return Adapter(name=path.stem, sha256="", model=str(archive["model"]), matrix=np.asarray(archive["matrix"], np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("adapters", nargs="+", type=Path, help="adapter files (.npz)")
    parser.add_argument("--index", type=Path, required=True, help="an index without an adapter")
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--ranking", default=None, help="hybrid fusion options as JSON (default: the tuned ones)")
    parser.add_argument("--out", type=Path, default=Path("adapter-runs"))
    args = parser.parse_args()

    queries_path, qrels_path = split_files(args.split, args.out)
    queries, qrels = read_queries(queries_path), read_qrels(qrels_path)
    ranking = Ranking.from_dict(json.loads(args.ranking)) if args.ranking else None
    with Searcher.open(args.index) as searcher:
        if searcher.config.adapter is not None:
            parser.error(f"{args.index} answers with adapter {searcher.config.adapter}; give an index without one")
        plain = searcher.embed
        cache: dict[str, np.ndarray] = {}

        def raw(text: str) -> np.ndarray:
            if text not in cache:
                cache[text] = plain(text)
            return cache[text]

        print(f"{len(queries)} {args.split} queries; runs in {args.out}")
        for mode in ("dense", "hybrid"):
            baseline = None
            for adapter in [None, *map(load, args.adapters)]:
                name = f"{'none' if adapter is None else adapter.name}-{mode}"
                searcher.embed = raw if adapter is None else (lambda text, a=adapter: a.apply(raw(text)))
                path = args.out / f"{name}.txt"
                path.write_text("\n".join(run_queries(searcher, queries, k=100, mode=mode, tag=name, ranking=ranking)) + "\n")
                result = evaluate(name, qrels, read_run(path))
                baseline = baseline or result
                print(line(result, baseline), flush=True)


def line(result, baseline) -> str:
    """One run: means, means by kind of query, and the paired comparison with the baseline."""
    parts = [f"{result.name:<22} nDCG@10 {result.means['nDCG@10']:.4f}  MRR@10 {result.means['MRR@10']:.4f}"]
    for prefix, kind in KINDS.items():
        qids = [q for q in result.per_query["nDCG@10"] if q.startswith(prefix)]
        if qids:
            ndcg = np.mean([result.per_query["nDCG@10"][q] for q in qids])
            mrr = np.mean([result.per_query["MRR@10"][q] for q in qids])
            parts.append(f"{kind} {ndcg:.3f}/{mrr:.3f}")
    if result is not baseline:
        for measure in ("nDCG@10", "MRR@10"):
            c = compare(baseline, result, measure)
            p = "n/a" if c.p_value is None else f"{c.p_value:.3f}"
            parts.append(f"{measure} {c.delta:+.4f} p {p}")
    return " | ".join(parts)


if __name__ == "__main__":
    main()
