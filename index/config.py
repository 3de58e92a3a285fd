"""The index's `config.json`: what built it, so that opening it with anything else is a clear error."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import IndexOpenError

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
DATABASE_FILE = "unres.sqlite"

# The text embedded for each paragraph: the resolution's title as context, then the paragraph.
# Chosen on the judged set of benchmarks/relevance (nDCG@10 0.800 against 0.780 for the paragraph
# alone, Recall@100 0.943 against 0.903); `{verb}` and `{phrase}` are also available.
DEFAULT_TEMPLATE = "{title}: {text}"


@dataclass(frozen=True)
class IndexConfig:
    """How an index was built: model, vector size, normalization, text template and FAISS backend."""

    model: str
    dimension: int
    normalize: bool = True
    template: str = DEFAULT_TEMPLATE
    backend: str = "flat"  # "flat" (exact inner product) | "hnsw"
    hnsw_m: int = 32
    format_version: int = FORMAT_VERSION

    def save(self, directory: Path) -> None:
        """Write config.json beside a temporary name and rename it into place."""
        target = directory / CONFIG_FILE
        staging = target.with_suffix(".json.tmp")
        staging.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(staging, target)

    @classmethod
    def load(cls, directory: Path) -> IndexConfig:
        """Read config.json; a missing or unreadable one means the directory is not an index."""
        path = directory / CONFIG_FILE
        if not directory.is_dir():
            raise IndexOpenError(f"{directory}: no index here (run `unres index` first)")
        if not path.is_file():
            raise IndexOpenError(f"{directory}: not an unres index (no {CONFIG_FILE})")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            config = cls(**data)
        except (ValueError, TypeError) as error:
            raise IndexOpenError(f"{path}: corrupt index configuration ({error})") from None
        if config.format_version != FORMAT_VERSION:
            raise IndexOpenError(
                f"{path}: index format {config.format_version}, this unres reads {FORMAT_VERSION}; rebuild the index"
            )
        return config
