"""Fine-tune the default model (multilingual-e5-small) on the corpus and the dev half's judgments (issue 19).

A full fine-tune of the transformer (the 250k-row token table stays frozen: it holds most of the
parameters, and what it knows of the six languages is what lets a French query find an English
paragraph), with MultipleNegativesRankingLoss over three sources of pairs:

- dev judgments: each dev query in all six languages (`queries*.jsonl`) against up to `--positives`
  of its grade-2 paragraphs, with one of its judged grade-0 paragraphs as a hard negative. Test
  queries are never read, and no paragraph a test query judges (6,972, in any grade) is a positive or a
  negative: 882 triples.
- clause → paragraph (inverse cloze) and paragraph → edited version, from operative paragraphs no
  query judges (train_adapter.make_pairs). Title → paragraph pairs are left out: the embedded text
  begins with the title (`{title}: {text}`), so they teach nothing.

Texts get the model card's prefixes (`query: `, `passage: {title}: {text}`). Fixed seed; on 2 cores
the default run takes about half an hour. Then `unres index --model OUT` builds an index with it and
`--evaluate` compares it with the default in every language, dev and test halves:

    python benchmarks/relevance/finetune.py --index /tmp/unres-relevance/index --out /tmp/e5-un
    unres index ../shared/corpus --index /tmp/unres-relevance/index-tuned --model /tmp/e5-un
    python benchmarks/relevance/finetune.py --index /tmp/unres-relevance/index \
        --evaluate /tmp/unres-relevance/index-tuned
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

START = time.monotonic()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/: _common and the other scripts
from relevance.compare import LANGUAGES, query_file  # noqa: E402
from relevance.train_adapter import load_corpus, make_pairs  # noqa: E402


def say(message: str) -> None:
    print(f"finetune: {message} ({time.monotonic() - START:.0f} s)", file=sys.stderr, flush=True)


def passage_text(title: str, text: str) -> str:
    """A paragraph as the default index embeds it: the passage prefix, then its template `{title}: {text}`
    filled and stripped as `embedding_text` does (a Council paragraph, untitled, reads `: {text}`)."""
    return "passage: " + f"{title}: {text}".strip()


def dev_pairs(index: Path, rng: random.Random, positives: int) -> list[tuple[str, str, str]]:
    """(query, positive, hard negative) texts from the dev half's judgments, in every language."""
    from unres.evaluation.benchmark import read_qrels, read_queries
    from unres.index.filters import Filters
    from unres.search import Searcher

    qrels = read_qrels(HERE / "qrels.txt")
    with Searcher.open(index) as searcher:
        texts = searcher.texts(Filters(kinds=("operative",)))
        titles = {s: searcher.resolution(s).title or "" for s in {i.split("#", 1)[0] for i in texts}}
    passage = {i: passage_text(titles[i.split("#", 1)[0]], text) for i, text in texts.items()}
    tested = {q.qid for q in read_queries(query_file("en")) if q.split == "test"}
    for docid in {d for qid in tested for d in qrels.get(qid, {})}:  # what a test query judges is never trained on
        passage.pop(docid, None)
    rows = []
    for language in LANGUAGES:
        for query in read_queries(query_file(language)):
            if query.split != "dev":
                continue
            judged = qrels.get(query.qid, {})
            good = sorted(i for i, grade in judged.items() if grade == 2 and i in passage)
            bad = sorted(i for i, grade in judged.items() if grade == 0 and i in passage)
            if not good or not bad:
                continue
            for positive in rng.sample(good, min(positives, len(good))):
                rows.append((f"query: {query.text}", passage[positive], passage[rng.choice(bad)]))
    say(f"{len(rows):,} judged pairs from the dev half in {len(LANGUAGES)} languages")
    return rows


def corpus_pairs(index: Path, rng: random.Random, clauses: int, edits: int) -> list[tuple[str, str]]:
    """(query, positive) texts: clause → paragraph and paragraph → edited version, from unjudged paragraphs."""
    corpus, _ = load_corpus(index, [HERE / "qrels.txt"])
    pairs = make_pairs(corpus, rng, clauses, edits)
    rows = []
    for query, kind, positive in zip(pairs.queries, pairs.kinds, pairs.positives, strict=True):
        if kind == "title":
            continue
        row = rng.choice(positive)
        rows.append((f"query: {query}", passage_text(corpus.titles[corpus.symbols[row]], corpus.texts[row])))
    return rows


def train(args: argparse.Namespace) -> None:
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from sentence_transformers.sentence_transformer.training_args import BatchSamplers, MultiDatasetBatchSamplers

    from unres.index.config import model_path

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)
    judged = dev_pairs(args.index, rng, args.positives)
    corpus = corpus_pairs(args.index, rng, args.clauses, args.edits)
    model = SentenceTransformer(model_path(None), device="cpu")
    reads = model.max_seq_length  # what the model reads when it embeds; training reads less, for speed
    model.max_seq_length = args.max_length
    embeddings = model[0].auto_model.embeddings.word_embeddings
    embeddings.weight.requires_grad_(False)
    datasets = {
        "judged": Dataset.from_dict({k: [r[n] for r in judged] for n, k in enumerate(("anchor", "positive", "negative"))}),
        "corpus": Dataset.from_dict({k: [r[n] for r in corpus] for n, k in enumerate(("anchor", "positive"))}),
    }
    steps = sum(len(d) for d in datasets.values()) // args.batch
    say(f"training on {len(judged):,} judged and {len(corpus):,} corpus pairs: about {steps} steps of {args.batch}")
    training = SentenceTransformerTrainingArguments(
        output_dir=str(args.out / "checkpoints"), num_train_epochs=1, per_device_train_batch_size=args.batch,
        learning_rate=args.lr, warmup_steps=0.1, seed=args.seed, data_seed=args.seed, save_strategy="no",
        logging_steps=10, report_to=[], batch_sampler=BatchSamplers.NO_DUPLICATES,
        multi_dataset_batch_sampler=MultiDatasetBatchSamplers.PROPORTIONAL, dataloader_num_workers=0, use_cpu=True,
    )
    trainer = SentenceTransformerTrainer(
        model=model, args=training, train_dataset=datasets, loss=MultipleNegativesRankingLoss(model, scale=args.scale),
    )
    trainer.train()
    model.max_seq_length = reads  # saved as it was: an index embeds whole paragraphs with it
    model.save(str(args.out))
    say(f"saved {args.out}")


def evaluate(args: argparse.Namespace) -> None:
    """The default and the fine-tuned index, each in its default ranking and dense alone, in every language and
    both halves: nDCG@10 and MRR@10, the paired test, the unjudged paragraphs of the fine-tuned run's top 10, and
    the most it could score were every one of them grade 2 (a bound that decides whether judging them can matter)."""
    from unres.evaluation.benchmark import read_qrels, read_queries
    from unres.search import Searcher

    qrels = read_qrels(HERE / "qrels.txt")
    split = {q.qid: q.split for q in read_queries(query_file("en"))}
    with Searcher.open(args.index) as shipped, Searcher.open(args.evaluate) as tuned:
        compare_runs({"e5": shipped, "fine-tuned": tuned}, qrels, split, args.evaluate.parent)


def compare_runs(searchers: dict, qrels: dict, split: dict, work: Path) -> None:
    """Print the table of `evaluate`: each half and language, the two searchers' runs written to `work`."""
    from unres.evaluation.benchmark import compare, read_queries, read_run, run_queries
    from unres.evaluation.benchmark import evaluate as score
    from unres.search import Ranking

    modes = {"default ranking": ("hybrid", {}), "dense": ("dense", {"collapse": False, "understand": False})}
    print("| language | half | configuration | e5 nDCG@10 / MRR@10 | fine-tuned nDCG@10 / MRR@10 | Δ nDCG@10, p "
          "| unjudged in top 10 | fine-tuned nDCG@10 at most |")
    print("| --- " * 8 + "|")
    for language in LANGUAGES:
        queries = read_queries(query_file(language))
        for label, (mode, options) in modes.items():
            runs = {}
            for model, searcher in searchers.items():
                path = work / f"run-{language}-{model}-{mode}.txt"
                path.write_text("\n".join(run_queries(searcher, queries, k=100, mode=mode, tag=mode,
                                                       ranking=Ranking.from_dict(options))) + "\n")
                runs[model] = read_run(path)
            for half in ("dev", "test"):
                judged = {q: j for q, j in qrels.items() if split.get(q) == half}
                base, tuned = (score(model, judged, runs[model]) for model in searchers)
                unjudged = {(e.qid, e.docid) for e in runs["fine-tuned"] if e.rank <= 10 and e.qid in judged
                            and e.docid not in judged[e.qid]}
                hopeful = {q: dict(j) for q, j in judged.items()}
                for qid, docid in unjudged:
                    hopeful[qid][docid] = 2
                bound = score("bound", hopeful, runs["fine-tuned"]).means["nDCG@10"]
                test = compare(base, tuned)
                p = "—" if test.p_value is None else f"{test.p_value:.3f}"
                print(f"| {language} | {half} | {label} | {base.means['nDCG@10']:.3f} / {base.means['MRR@10']:.3f} | "
                      f"{tuned.means['nDCG@10']:.3f} / {tuned.means['MRR@10']:.3f} | {test.delta:+.3f}, p {p} "
                      f"| {len(unjudged)} | {bound:.3f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a full-corpus index built with the default model")
    parser.add_argument("--out", type=Path, help="the fine-tuned model directory to write")
    parser.add_argument("--evaluate", type=Path, help="an index built with the fine-tuned model: compare it with --index")
    parser.add_argument("--positives", type=int, default=3, help="grade-2 paragraphs per judged query and language")
    parser.add_argument("--clauses", type=int, default=3000, help="clause → paragraph pairs")
    parser.add_argument("--edits", type=int, default=600, help="paragraph → edited version pairs")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--scale", type=float, default=50.0, help="MNRL's similarity scale (e5 was trained at 1/0.01)")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args)
    elif args.out:
        train(args)
    else:
        parser.error("give --out (train) or --evaluate (compare)")


if __name__ == "__main__":
    main()
