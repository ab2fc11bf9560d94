"""What answering from worker processes costs, against answering in the server's own process.

The same queries on the same data, through aluekg.query.store.Store in process (in memory, and
read-only on disk, the workers' store before issue 4's tuning) and through
aluekg.query.workers.WorkerPool (workers forked from one in-memory store, one query each).
Prints the median latency of each query and the throughput of two client threads, as a
Markdown table.

    .venv/bin/python bench/worker_cost.py                  # the repository's data
    .venv/bin/python bench/worker_cost.py --data FILE...   # any RDF files
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.query.backend import Accepts, Answer
from aluekg.query.store import Store
from aluekg.query.workers import WorkerPool

ACCEPTS = Accepts(
    "application/sparql-results+json", "text/turtle", "application/sparql-results+json"
)
QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "10 rows": "SELECT ?s ?p ?o { ?s ?p ?o } LIMIT 10",
    "1,000 rows": "SELECT ?s ?p ?o { ?s ?p ?o } LIMIT 1000",
    "all rows": "SELECT ?s ?p ?o { ?s ?p ?o }",
    "GROUP BY": "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "CONSTRUCT 1,000": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1000",
}


def median_ms(answer: Callable[[], Answer], seconds: float = 1.0) -> tuple[float, int]:
    """Median latency in ms over repeated calls for about `seconds`, and the answer's size."""
    times: list[float] = []
    size = len(answer().body)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        started = time.perf_counter()
        answer()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, size


def throughput(answer: Callable[[], Answer], threads: int = 2, seconds: float = 2.0) -> float:
    """Answers per second from `threads` client threads calling at once."""
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def run(index: int) -> None:
        while time.perf_counter() < deadline:
            answer()
            counts[index] += 1

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="*", type=Path, default=())
    arguments = parser.parse_args()
    files = serving.source_files(Settings(data_files=tuple(arguments.data)))
    memory = Store()
    memory.load(files, REPOSITORY)
    with tempfile.TemporaryDirectory() as directory:
        writer = Store(Path(directory) / "store")
        writer.load(files, REPOSITORY)
        writer.flush()
        del writer
        disk = Store(Path(directory) / "store", read_only=True)
        started = time.perf_counter()
        pool = WorkerPool(size=2).load(files, REPOSITORY).open()
        start_ms = (time.perf_counter() - started) * 1000
        try:
            report(memory, disk, pool, len(files), start_ms)
        finally:
            pool.close()


def report(memory: Store, disk: Store, pool: WorkerPool, files: int, start_ms: float) -> None:
    print(f"{memory.quads} quads from {files} files; two workers started in {start_ms:.0f} ms\n")
    print("Median ms per query: in memory, read-only on disk (both in process), and on workers.\n")
    print("| query | answer bytes | memory | disk | workers | workers - memory |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, query in QUERIES.items():
        local, size = median_ms(lambda q=query: memory.answer(q, ACCEPTS))  # type: ignore[misc]
        on_disk, _ = median_ms(lambda q=query: disk.answer(q, ACCEPTS))  # type: ignore[misc]
        remote, _ = median_ms(lambda q=query: pool.answer(q, ACCEPTS))  # type: ignore[misc]
        print(
            f"| {name} | {size:,} | {local:.2f} | {on_disk:.2f} | {remote:.2f} "
            f"| {remote - local:+.2f} |"
        )
    query = QUERIES["10 rows"]
    local = throughput(lambda: memory.answer(query, ACCEPTS))
    remote = throughput(lambda: pool.answer(query, ACCEPTS))
    print(f"\nTwo client threads, '10 rows': {local:,.0f}/s in process, {remote:,.0f}/s on workers")


if __name__ == "__main__":
    main()
