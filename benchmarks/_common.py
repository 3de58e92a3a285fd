"""What the benchmark scripts share: where the corpus is, building or reusing an index, running the
`unres` command in a fresh process, percentiles, and the machine-readable `result: {...}` line.

Every script reaches this module, and the other scripts, the same way: after its library imports, one
line puts `benchmarks/` on `sys.path` and the benchmark-local imports follow,

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
    from _common import index_of

so `python benchmarks/<folder>/<script>.py` works from any directory, and a script imports another
by its folder (`from lineage.relink import relink_index`).
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Iterable
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
CORPUS = BENCHMARKS.parents[1] / "shared" / "corpus"  # the shared corpus beside the repository: ga/, sc/, seed/
RESULT_PREFIX = "result: "


def say(message: str) -> None:
    """A progress line on stderr, so stdout keeps only what the script reports."""
    print(message, file=sys.stderr, flush=True)


def is_index(directory: Path) -> bool:
    """True when `directory` holds an unres index with at least one committed write.

    A first build killed before its commit leaves a `config.json` over an empty database; that is
    not an index to reuse. A damaged or newer-format index raises `IndexOpenError`: it is not
    rebuilt over.
    """
    from unres.index.config import CONFIG_FILE
    from unres.search import Searcher

    if not (directory / CONFIG_FILE).is_file():
        return False
    with Searcher.open(directory) as searcher:
        return searcher.generation > 0


def index_of(
    directory: Path, documents: Iterable[Path], *, model: str | None = None, int8: bool = False,
    adapter: str | None = None, workers: int | None = None,
) -> Path:
    """The index at `directory`: reused if one is there, else built from `documents` first.

    Args:
        directory: where the index is or will be.
        documents: resolution files or folders of them, as `unres index` takes them.
        model: the model of a new index (`unres index --model`; default: the default model).
        int8: embed a new index with the int8-quantized model (`unres index --int8`).
        adapter: the query adapter of a new index (`unres index --adapter`); ignored when reusing.
        workers: parser processes (default: one per CPU, as `unres index`).

    Returns:
        `directory`. Exits the script with the first failure if a document does not parse (nothing
        is written then) or the index there cannot be opened.
    """
    from unres.cli.progress import log_lines
    from unres.index import Indexer, UnresError
    from unres.index.config import default_workers

    try:
        if is_index(directory):
            from unres.index.config import IndexConfig, model_name

            config = IndexConfig.load(directory)
            if (config.model, config.int8) != (model_name(model), int8):
                sys.exit(f"{directory}: an index of {config.model}{' (int8)' * config.int8}, not of "
                         f"{model_name(model)}{' (int8)' * int8}; remove it or give another --work")
            say(f"reusing the index at {directory}")
            return directory
        documents = list(documents)
        say(f"building {directory} from {len(documents)} document path(s)")
        indexer = Indexer(directory, model=model, int8=int8, adapter=adapter, workers=workers or default_workers(), progress=log_lines(say))
        report = indexer.add(documents)
    except UnresError as error:
        sys.exit(f"cannot use {directory}: {error}")
    if report.failures:
        sys.exit(f"cannot build {directory}: {report.failures[0]}")
    say(f"{directory}: {report.added} added, {report.paragraphs} paragraphs embedded, {report.seconds:.1f} s")
    return directory


def unres_command(*args: str) -> list[str]:
    """The command line of `unres ARGS...` in a fresh Python process (for wall time, peak memory, kills)."""
    return [sys.executable, "-m", "unres.cli", *args]


def compile_package() -> None:
    """Byte-compile every module of `unres`, as installing it does: a cold start is then measured as users
    meet it, also from a checkout run with PYTHONDONTWRITEBYTECODE set, where each start compiles them all again."""
    import compileall

    import unres

    root = Path(unres.__file__).parent
    for folder in [root, *(path.resolve() for path in root.iterdir() if path.is_dir())]:  # the subpackages are links
        compileall.compile_dir(folder, quiet=1)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `samples` in seconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def print_result(result: dict) -> None:
    """The script's numbers as one `result: {json}` line on stdout, for `speed/run.py` to read back."""
    print(RESULT_PREFIX + json.dumps(result))


def read_result(output: str) -> dict:
    """The last `result: {json}` line of a script's output, or {} if it printed none."""
    results = [json.loads(line[len(RESULT_PREFIX):]) for line in output.splitlines() if line.startswith(RESULT_PREFIX)]
    return results[-1] if results else {}
