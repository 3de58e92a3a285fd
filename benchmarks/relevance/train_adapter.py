"""Train the query-side adapter of the shipped all-MiniLM-L6-v2 on pairs the corpus provides.

The adapter is one linear map W (384×384, started at the identity and held near it): a query's vector
q becomes normalize(W q) and the paragraph vectors already in the index stay as they are, so nothing
is re-embedded and queries stay torch-free. Pairs come from operative paragraphs that no judged
query touches (every docid of every qrels file given, and every paragraph with the text of one):

- clause → paragraph (inverse cloze): a run of clauses of a paragraph stands for the query of
  someone who half remembers it; positives are the paragraph and its verbatim copies elsewhere;
- title → paragraph: a resolution's title against its operative paragraphs (topical queries), only
  for resolutions none of whose paragraphs is judged;
- paragraph → edited version: a paragraph's text against its closest differing paragraph in another
  resolution (the next session's wording), and itself.

The loss is InfoNCE over the whole training corpus at once (every candidate paragraph is a negative,
except near-copies of a positive, cosine ≥ `--mask`), plus `--reg`·‖W − I‖². Fixed seed: the same
command gives the same file. The map saved is `mix`·W + (1 − `mix`)·I, itself linear.

    python benchmarks/relevance/train_adapter.py --index /tmp/rel/index \
        --qrels benchmarks/relevance/qrels.txt /work/judging/*/qrels.txt --out index/adapters/un-minilm.npz
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

START = time.monotonic()


def say(message: str) -> None:
    print(f"train_adapter: {message} ({time.monotonic() - START:.1f} s)", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Corpus:
    """Candidate paragraphs (operative, unjudged): ids, texts, resolution titles, stored vectors."""

    ids: list[str]
    texts: list[str]
    symbols: list[str]
    titles: dict[str, str]
    vectors: np.ndarray
    excluded_symbols: set[str]  # resolutions holding a judged paragraph: their titles are not queries


@dataclass(frozen=True)
class Pairs:
    """Training queries (text, kind) with their positive candidate rows."""

    queries: list[str]
    kinds: list[str]
    positives: list[list[int]]


def judged_ids(paths: list[Path]) -> set[str]:
    ids: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 4:
                ids.add(parts[2])
    return ids


def load_corpus(index: Path, qrels: list[Path]):
    """The index's operative paragraphs minus every judged one (by id and by text), and its encoder."""
    from unres.index.encoder import load_encoder
    from unres.index.filters import Filters
    from unres.search import Searcher

    judged = judged_ids(qrels)
    with Searcher.open(index) as searcher:
        filters = Filters(kinds=("operative",))
        ids, vectors = searcher.vectors(filters)
        texts = searcher.texts(filters)
        symbols = sorted({i.split("#", 1)[0] for i in ids})
        titles = {s: searcher.resolution(s).title or "" for s in symbols}
        embedder = load_encoder(searcher.directory, searcher.config)
    judged_texts = {_key(texts[i]) for i in judged if i in texts}
    keep = [n for n, i in enumerate(ids) if i not in judged and _key(texts[i]) not in judged_texts]
    excluded = {i.split("#", 1)[0] for i in judged}
    say(f"{len(ids):,} operative paragraphs, {len(judged):,} judged ids from {len(qrels)} qrels file(s), "
        f"{len(keep):,} candidates")
    corpus = Corpus(
        ids=[ids[n] for n in keep], texts=[texts[ids[n]] for n in keep],
        symbols=[ids[n].split("#", 1)[0] for n in keep], titles=titles,
        vectors=np.ascontiguousarray(vectors[keep], dtype=np.float32), excluded_symbols=excluded,
    )
    return corpus, embedder


def _key(text: str) -> str:
    return " ".join(text.lower().split())


_CHUNK = re.compile(r"(?<=[;:,.])\s+")


def clause(text: str, rng: random.Random, low: int = 5, high: int = 24) -> str | None:
    """A run of consecutive clauses of `text` of `low`–`high` words, chosen at random; None if none fits."""
    chunks = [c.strip() for c in _CHUNK.split(text) if c.strip()]
    spans = []
    for begin in range(len(chunks)):
        words = 0
        for end in range(begin, len(chunks)):
            words += len(chunks[end].split())
            if words > high:
                break
            if words >= low:
                spans.append((begin, end))
    if not spans:
        words = text.split()
        if len(words) < low:
            return None
        start = rng.randrange(0, max(1, len(words) - high + 1))
        return " ".join(words[start : start + high])
    begin, end = rng.choice(spans)
    return " ".join(chunks[begin : end + 1]).strip(" ;:,.")


def make_pairs(corpus: Corpus, rng: random.Random, clauses: int, edits: int) -> Pairs:
    """`clauses` clause pairs, title pairs, up to `edits` edited-version pairs (positives: verbatim copies too)."""
    groups: dict[str, list[int]] = {}
    for row, text in enumerate(corpus.texts):
        groups.setdefault(_key(text), []).append(row)
    unique = list(groups.values())
    rng.shuffle(unique)
    queries, kinds, positives = [], [], []
    for n in range(clauses):  # past one per paragraph, a second clause of each
        rows = unique[n % len(unique)]
        text = clause(corpus.texts[rows[0]], rng)
        if text:
            queries.append(text), kinds.append("clause"), positives.append(rows)
    by_symbol: dict[str, list[int]] = {}
    for row, symbol in enumerate(corpus.symbols):
        by_symbol.setdefault(symbol, []).append(row)
    for symbol, rows in sorted(by_symbol.items()):
        title = corpus.titles.get(symbol, "")
        if symbol not in corpus.excluded_symbols and len(title.split()) >= 2:
            queries.append(title), kinds.append("title"), positives.append(rows)
    codes = np.unique(np.array(corpus.symbols), return_inverse=True)[1]
    heads = np.array([rows[0] for rows in unique])
    made = 0
    for begin in range(0, len(heads), 512):  # closest paragraph of another resolution, 512 rows at a time
        block = heads[begin : begin + 512]
        scores = corpus.vectors[block] @ corpus.vectors.T
        scores[codes[block][:, None] == codes[None, :]] = -1
        for n, (row, other) in enumerate(zip(block.tolist(), scores.argmax(1).tolist(), strict=True)):
            if made < edits and scores[n, other] >= 0.85 and _key(corpus.texts[other]) != _key(corpus.texts[row]):
                queries.append(corpus.texts[row]), kinds.append("edit")
                positives.append(sorted(set(groups[_key(corpus.texts[row])]) | set(groups[_key(corpus.texts[other])])))
                made += 1
        if made >= edits:
            break
    counts = {k: kinds.count(k) for k in ("clause", "title", "edit")}
    say("pairs: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return Pairs(queries, kinds, positives)


def train(
    queries: np.ndarray, positives: list[list[int]], corpus: np.ndarray, *, epochs: int, batch: int, lr: float,
    scale: float, reg: float, mask: float, seed: int, holdout: float,
) -> np.ndarray:
    """W minimizing full-corpus InfoNCE of normalize(W q) against the candidates, + reg·‖W − I‖²."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    order = np.random.default_rng(seed).permutation(len(queries))
    held = order[: int(len(order) * holdout)]
    fit = order[len(held) :]
    dim = corpus.shape[1]
    P = torch.from_numpy(corpus)
    Q = torch.from_numpy(queries)
    W = torch.nn.Parameter(torch.eye(dim))
    optimizer = torch.optim.Adam([W], lr=lr)
    eye = torch.eye(dim)

    def loss_of(rows: np.ndarray) -> tuple[torch.Tensor, float]:
        q = torch.nn.functional.normalize(Q[rows] @ W.T, dim=1)
        logits = scale * (q @ P.T)
        positive = torch.zeros_like(logits, dtype=torch.bool)
        for n, r in enumerate(rows):
            positive[n, positives[r]] = True
        with torch.no_grad():
            first = torch.tensor([positives[r][0] for r in rows])
            near = (P[first] @ P.T) >= mask
        masked = logits.masked_fill(near & ~positive, float("-inf"))
        nce = (torch.logsumexp(masked, 1) - torch.logsumexp(masked.masked_fill(~positive, float("-inf")), 1)).mean()
        best = masked.argmax(1)
        hit = positive[torch.arange(len(rows)), best].float().mean().item()
        return nce, hit

    with torch.no_grad():
        base, base_hit = loss_of(held)
    say(f"held-out {len(held):,} pairs at W = I: loss {base.item():.4f}, top-1 {base_hit:.3f}")
    shuffle = np.random.default_rng(seed + 1)
    for epoch in range(1, epochs + 1):
        rows = fit[shuffle.permutation(len(fit))]
        total = 0.0
        for begin in range(0, len(rows), batch):
            nce, _ = loss_of(rows[begin : begin + batch])
            loss = nce + reg * ((W - eye) ** 2).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += nce.item() * len(rows[begin : begin + batch])
        with torch.no_grad():
            held_loss, held_hit = loss_of(held)
            drift = torch.linalg.norm(W - eye).item()
        say(f"epoch {epoch}/{epochs}: train loss {total / len(rows):.4f}, held-out loss {held_loss.item():.4f}, "
            f"top-1 {held_hit:.3f}, ‖W − I‖ {drift:.3f}")
    return W.detach().numpy().astype(np.float32)


def embed(embedder, queries: list[str], cache: Path | None) -> np.ndarray:
    """The queries' vectors under the index's ONNX model; with `cache`, kept there under a hash of the
    texts so a rerun with other training options skips this step."""
    import hashlib

    key = hashlib.sha256("\n".join([embedder.spec.model, *queries]).encode("utf-8")).hexdigest()[:16]
    path = cache / f"queries-{key}.npy" if cache is not None else None
    if path is not None and path.is_file():
        say(f"query vectors from {path}")
        return np.load(path)
    vectors = embedder.encode_many(queries, chunk=1024, progress=lambda d, n: say(f"embed {d:,}/{n:,}"), query=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz that `np.load` reads, byte for byte the same for the same arrays (no timestamps inside)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), "w") as handle:
                np.lib.format.write_array(handle, np.asanyarray(array), allow_pickle=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a full-corpus index built with the default model")
    parser.add_argument("--qrels", type=Path, nargs="+", action="extend", required=True, help="qrels files: judged paragraphs to leave out")
    parser.add_argument("--out", type=Path, required=True, help="the adapter file to write (.npz)")
    parser.add_argument("--cache", type=Path, help="keep the embedded training queries here for reruns")
    parser.add_argument("--clauses", type=int, default=16000, help="clause pairs (one per distinct paragraph text, then a second)")
    parser.add_argument("--edits", type=int, default=2000, help="edited-version pairs")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--reg", type=float, default=0.001)
    parser.add_argument("--mask", type=float, default=0.95, help="near-copies of a positive above this cosine are not negatives")
    parser.add_argument("--mix", type=float, default=1.0, help="save mix·W + (1 − mix)·I")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    corpus, embedder = load_corpus(args.index, args.qrels)
    pairs = make_pairs(corpus, rng, args.clauses, args.edits)
    vectors = embed(embedder, pairs.queries, args.cache)
    W = train(
        vectors, pairs.positives, corpus.vectors, epochs=args.epochs, batch=args.batch, lr=args.lr, scale=args.scale,
        reg=args.reg, mask=args.mask, seed=args.seed, holdout=0.05,
    )
    matrix = (args.mix * W + (1 - args.mix) * np.eye(W.shape[0], dtype=np.float32)).astype(np.float32)
    recipe = {k: v for k, v in vars(args).items() if k not in ("index", "out", "cache")}
    recipe["qrels"] = [p.name for p in args.qrels]
    recipe["pairs"] = {k: pairs.kinds.count(k) for k in ("clause", "title", "edit")}
    save(args.out, {"matrix": matrix, "model": np.array(embedder.spec.model), "recipe": np.array(json.dumps(recipe, sort_keys=True))})
    say(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
