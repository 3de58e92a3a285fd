"""Latency of `GET /search` over HTTP under 1, 4 and 16 concurrent clients, against the in-process
`Searcher.search` on the same queries in the same run.

The server is `unres serve` in its own process on a free port of 127.0.0.1 (never another address);
each client keeps one HTTP/1.1 connection and sends every query of `queries.txt` `--repeat` times,
so the loops are bounded by count, and each level also stops after `--budget` seconds.

Each `--workers` count gets its own server and table; requests/s at a level compares across them. The
last columns are the server's CPU time per request and its private memory (not shared with other
processes through the page cache) once the level has run: the difference between two tables' memory
is what the extra workers cost.

Run: python benchmarks/speed/serve_latency.py INDEX_DIR [--repeat N] [--clients 1,4,16] [--workers 1,2] [--mode hybrid]
"""

from __future__ import annotations

import argparse
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
from pathlib import Path
from urllib.parse import urlencode

from unres.search import Searcher

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
    """Latencies of every request from `clients` concurrent clients, and the wall time of the level."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="times each client sends each query")
    parser.add_argument("--clients", default="1,4,16", help="concurrency levels, comma-separated")
    parser.add_argument("--workers", default="1,2", help="server processes to compare, comma-separated (each its own run)")
    parser.add_argument("--mode", default="hybrid", choices=["dense", "lexical", "hybrid"])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds at most per concurrency level")
    args = parser.parse_args()
    queries = [q for q in QUERIES.read_text().splitlines() if q.strip()]
    paths = [f"/search?{urlencode({'q': q, 'k': 10, 'mode': args.mode})}" for q in queries] * args.repeat

    searcher = Searcher.open(args.index)
    in_process(searcher, queries[:3], args.mode, 1)  # warm: model loaded, caches filled
    print(f"{args.mode}, k=10, {len(queries)} queries x {args.repeat} per client; in-process baseline: the same "
          "queries through Searcher.search on one worker thread of this process, just before and after each level")
    try:
        for workers in (int(w) for w in args.workers.split(",")):
            process, port = start_server(args.index, workers)
            try:
                over_http(port, paths[: len(queries)] * workers, workers, args.budget)  # warm every worker the same way
                print(f"\n--workers {workers}\n")
                print("| clients | requests | p50 ms | p95 ms | requests/s | in-process p50 / p95 ms | p50 ratio | server CPU ms per request | server private MB |")
                print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
                for clients in (int(c) for c in args.clients.split(",")):
                    before = in_process(searcher, queries, args.mode, args.repeat)
                    used = cpu_seconds(process.pid)
                    samples, wall, failures = over_http(port, paths, clients, args.budget)
                    used = cpu_seconds(process.pid) - used
                    after = in_process(searcher, queries, args.mode, args.repeat)
                    if failures:
                        sys.exit(f"{len(failures)} failed requests, e.g. {failures[0]}")
                    p50, p95 = percentiles(samples)
                    base50, base95 = percentiles(before + after)
                    print(f"| {clients} | {len(samples)} | {p50:.1f} | {p95:.1f} | {len(samples) / wall:.1f} | "
                          f"{base50:.1f} / {base95:.1f} | {p50 / base50:.2f} | {used / len(samples) * 1000:.1f} | {private_mb(process.pid):.0f} |", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=30)
    finally:
        searcher.close()


def private_mb(pid: int) -> float:
    """Private memory (MB) of the server process: what it does not share with others through the page cache."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith(("Private_Dirty:", "Private_Clean:"))) / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(searcher: Searcher, queries: list[str], mode: str, repeat: int) -> list[float]:
    """Seconds per `Searcher.search` call, each query `repeat` times, on one worker thread as in the server."""

    def run() -> list[float]:
        samples = []
        for _ in range(repeat):
            for query in queries:
                start = time.perf_counter()
                searcher.search(query, k=10, mode=mode)
                samples.append(time.perf_counter() - start)
        return samples

    return BASELINE_THREAD.submit(run).result()


if __name__ == "__main__":
    main()
