"""kill -9 at random (seeded) points of an update: the index must answer exactly as before it or as after it.

A small real index is built once; the update replaces one resolution and adds several (an `unres index`
process). For each point a fresh copy is updated and the process killed with SIGKILL after a random
delay, drawn in turn from the whole run, from its second half (parsing, embedding), and from the
first 50 ms after the next generation's vectors file (staging or final) appears — inside the write
transaction, whose few milliseconds a delay from the start would almost never hit. A run that
finished before its kill does not count; points are drawn until `--points` runs were really killed
(at most three times as many attempts). Each point says whether that vectors file existed at the kill.
Then the copy must answer every probe (lexical searches, `similar` on stored vectors, counts) exactly
as the index before or after the update, `unres check` must find no damage, and the update run again
must reach the "after" state.

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
from unres.search import Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import CORPUS, index_of, say, unres_command

BASE = [CORPUS / "seed" / "A_RES_58_220.txt", CORPUS / "ga" / "A_RES_78_220.pdf", CORPUS / "sc" / "S_RES_0661_1990_EN_GOLD.txt"]
ADDED = [CORPUS / "ga" / "A_RES_78_1.pdf", *sorted((CORPUS / "sc").glob("S_RES_08*_EN_GOLD.txt"))[:4]]
QUERIES = ["cooperation among developing countries", "sanctions on Iraq", "human rights defenders", "peacekeeping"]


def answers(directory: Path) -> tuple:
    """What the index answers, with no model needed: lexical rankings, nearest neighbours by stored vector, counts."""
    with Searcher.open(directory) as searcher:
        lexical = tuple(tuple(h.id for h in searcher.search(q, k=10, mode="lexical").hits) for q in QUERIES)
        probes = sorted(searcher.paragraph_ids())[::7]
        similar = tuple(tuple(h.id for h in searcher.similar(pid, k=5)) for pid in probes if "#" in pid)
        facts = searcher.stats()
        return lexical, similar, facts.vectors, tuple(sorted(facts.resolutions.items()))


def wait_for_write(process: subprocess.Popen, directory: Path) -> float:
    """Poll until the next generation's vectors file appears (or the run ends); seconds waited."""
    start = time.perf_counter()
    while process.poll() is None and not any(directory.glob("vectors.2.faiss*")):
        time.sleep(0.001)
    return time.perf_counter() - start


def update_command(directory: Path, changed: Path) -> list[str]:
    return unres_command("index", "--index", str(directory), str(changed), *map(str, ADDED))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20, help="runs to kill (runs that finish first do not count)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="unres-kill-"))
    try:
        base = index_of(work / "base", BASE)
        changed = work / "A_RES_58_220.txt"
        changed.write_text(BASE[0].read_text(encoding="utf-8").replace("19 December", "12 September"), encoding="utf-8")
        before = answers(base)
        full = work / "full"
        shutil.copytree(base, full)
        start = time.perf_counter()
        subprocess.run(update_command(full, changed), check=True, capture_output=True)
        duration = time.perf_counter() - start
        after = answers(full)
        assert after != before, "the update changed nothing"
        say(f"update runs {duration:.1f} s uninterrupted; killing {args.points} runs (seed {args.seed})")
        outcomes = {"before": 0, "after": 0}
        finished_first = 0
        failures: list[str] = []
        point = killed = writes = 0
        while killed < args.points and point < 3 * args.points:
            window = [(0, duration), (duration / 2, duration), (0, 0.05)][point % 3]
            delay = rng.uniform(*window)
            copy = work / f"point-{point}"
            shutil.copytree(base, copy)
            process = subprocess.Popen(update_command(copy, changed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            waited = wait_for_write(process, copy) if point % 3 == 2 else 0.0
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            delay += waited
            in_write = any(copy.glob("vectors.2.faiss*"))
            finished = process.wait() == 0
            state = answers(copy)
            outcome = "before" if state == before else "after" if state == after else None
            problems = check_index(copy).problems
            Indexer(copy).add([changed, *ADDED])
            recovered = answers(copy) == after
            verdict = "ok" if outcome and not problems and recovered else "FAILED"
            stage = " (had finished)" if finished else " (at or after the write)" if in_write else ""
            writes += in_write and not finished
            say(f"point {point + 1:>2}: kill at {delay:6.2f} s{stage}: "
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
