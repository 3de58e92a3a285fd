"""Latency of `GET /search` over HTTP under 1, 4 and 16 concurrent clients, against the in-process
`Searcher.search` on the same queries in the same run, and requests/s of one worker count against another.

Each `--workers` count gets its own server, `unres serve` in its own process on a free port of 127.0.0.1
(never another address), all started at once. Each client keeps one HTTP/1.1 connection. A level (a
number of clients) runs in `--repeat` rounds, and in each round every client sends every query of
`queries.txt` once to each server in turn (the order of servers alternating round by round), after the
in-process baseline has run the queries once: the machine's speed drifts by a third over minutes here,
and rounds a second or two long compare servers and baseline at the same speed. A server's rounds stop
after `--budget` seconds at a level.

The last columns are the server's CPU time per request and its private memory (not shared with other
processes through the page cache) once the level has run: the difference between two tables' memory
is what the extra workers cost.

Run: python benchmarks/speed/serve_latency.py INDEX_DIR [--repeat N] [--clients 1,4,16] [--workers 1,2] [--mode hybrid]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from unres.search import Searcher
from unres.serve.live import LiveIndex, searcher_options

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: _common and the other scripts
from _common import percentiles, unres_command

QUERIES = Path(__file__).with_name("queries.txt")
BASELINE_THREAD = ThreadPoolExecutor(max_workers=1)


def start_server(index: Path, workers: int) -> tuple[subprocess.Popen, int]:
    """`unres serve --port 0 --workers N` in a new process; returns it and the port it printed once ready."""
    log = Path(tempfile.mkstemp(prefix="unres-serve-", suffix=".log")[1])
    with log.open("w") as stderr:
        process = subprocess.Popen(unres_command("serve", "--index", str(index), "--port", "0", "--workers", str(workers)),
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 300
    while not (found := re.search(r"at http://127\.0\.0\.1:(\d+)/", log.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"unres serve did not start: {log.read_text()}")
        time.sleep(0.2)
    return process, int(found.group(1))


def client(port: int, paths: list[str], stop_at: float, samples: list[float], failures: list[str]) -> None:
    """One client: one keep-alive connection, the paths in order, each request timed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for path in paths:
        if time.monotonic() > stop_at:
            break
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            failures.append(f"{response.status} {path}: {body[:200]!r}")
            continue
        json.loads(body)
        samples.append(elapsed)
    connection.close()


def over_http(port: int, paths: list[str], clients: int, budget: float) -> tuple[list[float], float, list[str]]:
    """Latencies of every request from `clients` concurrent clients, each sending `paths` from its own
    place in the list, and the wall time they took."""
    samples: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + budget
    threads = [threading.Thread(target=client, args=(port, paths[i % len(paths):] + paths[:i % len(paths)], stop_at, samples, failures))
               for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - start, failures


@dataclass
class Level:
    """One server's requests at one number of clients, summed over the rounds."""

    samples: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per level: times each client sends each query to each server")
    parser.add_argument("--clients", default="1,4,16", help="concurrency levels, comma-separated")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated (a server each)")
    parser.add_argument("--mode", default="hybrid", choices=["dense", "lexical", "hybrid"])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds at most per server and concurrency level")
    args = parser.parse_args()
    queries = [q for q in QUERIES.read_text().splitlines() if q.strip()]
    paths = [f"/search?{urlencode({'q': q, 'k': 10, 'mode': args.mode})}" for q in queries]
    counts = [int(w) for w in args.workers.split(",")]
    levels = [int(c) for c in args.clients.split(",")]

    searcher = Searcher.open(args.index)
    in_process(searcher, queries[:3], args.mode)  # warm: model loaded, caches filled
    print(f"{args.mode}, k=10, {len(queries)} queries x {args.repeat} rounds per client; in-process baseline: the same "
          "queries through Searcher.search on one worker thread of this process, once before each round")
    servers: list[tuple[subprocess.Popen, int]] = []
    try:
        for workers in counts:
            servers.append(start_server(args.index, workers))
        for (_, port), workers in zip(servers, counts, strict=True):
            over_http(port, paths * workers, workers, args.budget)  # warm every worker the same way
        tables: dict[int, list[str]] = {workers: [] for workers in counts}
        rates: dict[int, dict[int, float]] = {clients: {} for clients in levels}
        for clients in levels:
            baseline: list[float] = []
            runs = {workers: Level() for workers in counts}
            for round_ in range(args.repeat):
                baseline += in_process(searcher, queries, args.mode)
                order = list(zip(servers, counts, strict=True))
                for (process, port), workers in order[:: 1 if round_ % 2 == 0 else -1]:
                    run = runs[workers]
                    if run.wall >= args.budget:
                        continue
                    used = cpu_seconds(process.pid)
                    samples, wall, failures = over_http(port, paths, clients, args.budget - run.wall)
                    if failures:
                        sys.exit(f"{len(failures)} failed requests, e.g. {failures[0]}")
                    run.cpu += cpu_seconds(process.pid) - used
                    run.samples += samples
                    run.wall += wall
            base50, base95 = percentiles(baseline)
            for (process, _), workers in zip(servers, counts, strict=True):
                run = runs[workers]
                p50, p95 = percentiles(run.samples)
                rates[clients][workers] = len(run.samples) / run.wall
                tables[workers].append(
                    f"| {clients} | {len(run.samples)} | {p50:.1f} | {p95:.1f} | {rates[clients][workers]:.1f} | {base50:.1f} / {base95:.1f} | "
                    f"{p50 / base50:.2f} | {run.cpu / len(run.samples) * 1000:.1f} | {private_mb(process.pid):.0f} |")
        for workers in counts:
            print(f"\n--workers {workers}\n")
            print("| clients | requests | p50 ms | p95 ms | requests/s | in-process p50 / p95 ms | p50 ratio | server CPU ms per request | server private MB |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            print("\n".join(tables[workers]))
        if len(counts) > 1:
            first = counts[0]
            print(f"\nrequests/s against --workers {first}: " + "; ".join(
                f"{clients} client{'s' * (clients > 1)}: " + ", ".join(f"{rates[clients][w] / rates[clients][first]:.2f}x ({w})" for w in counts[1:])
                for clients in levels))
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
        searcher.close()
    rates_without = without_http(args.index, queries, args.mode, counts, args.repeat)
    print("\nWithout HTTP, the servers' workers in this process (`LiveIndex`, as many callers as workers): " + ", ".join(
        f"--workers {w}: {rate:.1f} searches/s ({rate / rates_without[counts[0]]:.2f}x)" for w, rate in rates_without.items()))


def without_http(index: Path, queries: list[str], mode: str, counts: list[int], rounds: int) -> dict[int, float]:
    """Searches per second of each worker count's `LiveIndex`, opened as `unres serve` opens it, with one
    caller per worker and no HTTP: what serving could reach on this machine. The counts take turns, a
    round each. Run last: the workers run BLAS on one core for the whole process."""
    lives = {workers: LiveIndex(Searcher.open(index, **searcher_options(workers)), workers) for workers in counts}

    async def callers(live: LiveIndex, workers: int) -> None:
        async def caller(first: int) -> None:
            for query in queries[first:] + queries[:first]:
                await live.run(lambda current, query=query: current.search(query, k=10, mode=mode))

        await asyncio.gather(*(caller(i * len(queries) // workers) for i in range(workers)))

    done = {workers: 0.0 for workers in counts}
    try:
        for workers, live in lives.items():
            asyncio.run(callers(live, workers))  # warm
        for round_ in range(rounds):
            for workers in counts[:: 1 if round_ % 2 == 0 else -1]:
                start = time.perf_counter()
                asyncio.run(callers(lives[workers], workers))
                done[workers] += time.perf_counter() - start
    finally:
        for live in lives.values():
            live.close()
    return {workers: workers * len(queries) * rounds / seconds for workers, seconds in done.items()}


def private_mb(pid: int) -> float:
    """Private memory (MB) of the server process: what it does not share with others through the page cache."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith(("Private_Dirty:", "Private_Clean:"))) / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(searcher: Searcher, queries: list[str], mode: str) -> list[float]:
    """Seconds per `Searcher.search` call, each query once, on one worker thread as in the server."""

    def run() -> list[float]:
        samples = []
        for query in queries:
            start = time.perf_counter()
            searcher.search(query, k=10, mode=mode)
            samples.append(time.perf_counter() - start)
        return samples

    return BASELINE_THREAD.submit(run).result()


if __name__ == "__main__":
    main()
