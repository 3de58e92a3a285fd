"""kill -9 at random (seeded) points of an update: the index must answer exactly as before it or as after it.

A small real index is built once; the update replaces one resolution and adds several (an `unres index`
process). For each point a fresh copy is updated and the process killed with SIGKILL after a random
delay, drawn in turn from the whole run, its second half (parsing, embedding) and the write stage
(from 0.3 s before the next vectors file appeared in an uninterrupted run to its end); a run that
finished before its kill does not count, and points are drawn until `--points` runs were really
killed (at most three times as many attempts). Each point says whether the next generation's
vectors file existed at the kill, i.e. whether the kill fell inside the write. Then the copy must answer every probe (lexical searches, `similar` on stored
vectors, counts) exactly as the index before or after the update, `unres check` must find no damage,
and the update run again must reach the "after" state.

    .venv/bin/python benchmarks/reliability/kill_points.py --points 20 --seed 11
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from unres.index import Indexer
from unres.index.check import check_index
from unres.index.embed import Embedder
from unres.search import Searcher

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BASE = [CORPUS / "seed" / "A_RES_58_220.txt", CORPUS / "ga" / "A_RES_78_220.pdf", CORPUS / "sc" / "S_RES_0661_1990_EN_GOLD.txt"]
ADDED = [CORPUS / "ga" / "A_RES_78_1.pdf", *sorted((CORPUS / "sc").glob("S_RES_08*_EN_GOLD.txt"))[:4]]
QUERIES = ["cooperation among developing countries", "sanctions on Iraq", "human rights defenders", "peacekeeping"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def answers(directory: Path) -> tuple:
    """What the index answers, with no model needed: lexical rankings, nearest neighbours by stored vector, counts."""
    with Searcher.open(directory) as searcher:
        lexical = tuple(tuple(h.id for h in searcher.search(q, k=10, mode="lexical")) for q in QUERIES)
        probes = sorted(searcher.paragraph_ids())[::7]
        similar = tuple(tuple(h.id for h in searcher.similar(pid, k=5)) for pid in probes if "#" in pid)
        facts = searcher.stats()
        return lexical, similar, facts["vectors"], tuple(sorted(facts["resolutions"].items()))


def timed_update(command: list[str], directory: Path) -> tuple[float, float]:
    """Run the update uninterrupted: its duration, and when its next vectors file appeared."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    write_at = None
    while process.poll() is None:
        if write_at is None and any(directory.glob("vectors.2.faiss*")):
            write_at = time.perf_counter() - start
        time.sleep(0.002)
    duration = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"the uninterrupted update failed (exit {process.returncode})")
    return duration, write_at or duration


def update_command(directory: Path, changed: Path) -> list[str]:
    return [sys.executable, "-m", "unres.cli", "index", "--index", str(directory), str(changed), *map(str, ADDED)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20, help="runs to kill (runs that finish first do not count)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="unres-kill-"))
    try:
        embedder = Embedder()
        base = work / "base"
        Indexer(base, embedder=embedder).add(BASE)
        changed = work / "A_RES_58_220.txt"
        changed.write_text(BASE[0].read_text(encoding="utf-8").replace("19 December", "12 September"), encoding="utf-8")
        before = answers(base)
        full = work / "full"
        shutil.copytree(base, full)
        duration, write_at = timed_update(update_command(full, changed), full)
        after = answers(full)
        assert after != before, "the update changed nothing"
        log(f"update runs {duration:.1f} s uninterrupted, its vectors file appears at {write_at:.2f} s; "
            f"killing {args.points} runs (seed {args.seed})")
        outcomes = {"before": 0, "after": 0}
        finished_first = 0
        failures: list[str] = []
        point = killed = writes = 0
        while killed < args.points and point < 3 * args.points:
            window = [(0, duration), (duration / 2, duration), (max(0.0, write_at - 0.3), duration)][point % 3]
            delay = rng.uniform(*window)
            copy = work / f"point-{point}"
            shutil.copytree(base, copy)
            process = subprocess.Popen(update_command(copy, changed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            in_write = any(copy.glob("vectors.2.faiss*"))
            finished = process.wait() == 0
            state = answers(copy)
            outcome = "before" if state == before else "after" if state == after else None
            problems = check_index(copy).problems
            Indexer(copy, embedder=embedder).add([changed, *ADDED])
            recovered = answers(copy) == after
            verdict = "ok" if outcome and not problems and recovered else "FAILED"
            stage = " (had finished)" if finished else " (at or after the write)" if in_write else ""
            writes += in_write and not finished
            log(f"point {point + 1:>2}: kill at {delay:6.2f} s{stage}: "
                f"answers as {outcome or 'NEITHER'}, {len(problems)} problem(s), update again {'ok' if recovered else 'WRONG'}: {verdict}")
            if outcome:
                outcomes[outcome] += 1
            finished_first += finished
            killed += not finished
            if verdict != "ok":
                failures.append(f"point {point + 1} ({delay:.2f} s): {outcome or 'neither'}, {list(problems)}, recovered={recovered}")
            shutil.rmtree(copy)
            point += 1
        print(f"{killed} runs killed at random points ({writes} at or after the write of the vectors file), {finished_first} more finished "
              f"before their kill (seed {args.seed}): {outcomes['before']} answered as before, {outcomes['after']} as "
              f"after, {len(failures)} failed")
        for failure in failures:
            print(f"  {failure}")
        return 1 if failures or killed < args.points else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
