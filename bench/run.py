"""Benchmark aluekg against Oxigraph's server (in memory, the reference, and over RocksDB) and
rdflib-endpoint on synthetic data of our shape.

For each size: generate the data, then for each server start it (load time), check its answers
against Oxigraph's in memory, run the query mix from a fixed number of clients for a fixed time,
read its memory, and stop it. Prints Markdown tables; every ratio is against Oxigraph in memory.
Everything runs on 127.0.0.1 and stops by itself.

    .venv/bin/python bench/run.py                 # 10^4 and 10^5 triples
    .venv/bin/python bench/run.py --large         # and 10^6
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import client
import mix
import servers
import synth

KINDS = ("describe", "municipality", "in-force", "topic", "group-by", "join", "page")
SERVERS = ("oxigraph-memory", "oxigraph", "aluekg-off", "aluekg-on", "rdflib")
# Oxigraph's in-memory server: the same engine and storage as aluekg's workers, so the fair anchor.
REFERENCE = "Oxigraph in memory"
# A server, its timed run, its memory after the run (PSS, RSS), and how its answers compare.
Row = tuple[servers.Server, client.Run, tuple[float, float], str]


def main() -> None:
    args = _arguments()
    sizes = args.sizes + ([10**6] if args.large else [])
    work = Path(args.work or tempfile.mkdtemp(prefix="aluekg-bench-"))
    _log(f"working in {work}; {args.clients} clients, {args.seconds:g} s per server and size")
    try:
        for size in sizes:
            _bench_size(size, work / f"{size}", args)
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _bench_size(size: int, work: Path, args: argparse.Namespace) -> None:
    data = synth.generate(size, work / "data")
    requests = mix.build(data)
    _log(f"{data.triples} triples in {len(data.files)} files; {len(requests)} requests in the mix")
    wait = args.ready_timeout
    starters: dict[str, Callable[[], servers.Server]] = {
        "aluekg-off": lambda: servers.aluekg(data.files, work, False, wait, args.workers),
        "aluekg-on": lambda: servers.aluekg(data.files, work, True, wait, args.workers),
        "oxigraph-memory": lambda: servers.oxigraph_memory(data.files, work, wait),
        "oxigraph": lambda: servers.oxigraph(data.files, work, args.ready_timeout),
        "rdflib": lambda: servers.rdflib_endpoint(data.files, work, args.ready_timeout),
    }
    chosen = [name for name in SERVERS if name in args.servers]
    # Oxigraph's answers are the reference, so it goes first (in memory, else over RocksDB).
    chosen.sort(key=lambda name: (name != "oxigraph-memory", name != "oxigraph"))
    started: list[tuple[servers.Server, str]] = []
    reference: dict[int, object] | None = None
    try:
        for name in chosen:
            _log(f"{size}: starting {name}")
            server = starters[name]()
            # rdflib-endpoint takes minutes for a full round at 10^5, so it is checked on one
            # variant of each kind.
            checked = requests[: len(KINDS)] if name == "rdflib" else requests
            found = client.answers(server.url, checked, args.timeout)
            reference = found if reference is None and name.startswith("oxigraph") else reference
            agreement = _agreement(found, reference, requests)
            started.append((server, agreement))
            _log(f"{size}: {server.name} ready in {server.load_seconds:.2f} s, answers {agreement}")
        rows = _timed(size, started, requests, args)
    finally:
        for server, _ in started:
            server.stop()
    _print(size, data.triples, rows, args)


def _timed(
    size: int,
    started: list[tuple[servers.Server, str]],
    requests: list[mix.Request],
    args: argparse.Namespace,
) -> list[Row]:
    """Each server's timed run, in slices taken in turn, so that load from anything else on the
    machine falls on every server alike."""
    runs = {server.name: client.Run() for server, _ in started}
    memory: dict[str, tuple[float, float]] = {}
    for slice_number in range(args.slices):
        for server, _ in started:
            _log(f"{size}: {server.name}, slice {slice_number + 1} of {args.slices}")
            seconds = args.seconds / args.slices
            part = client.run(server.url, requests, args.clients, seconds, args.timeout)
            runs[server.name].add(part)
            memory[server.name] = (server.memory_mib(), server.resident_mib())
    return [(server, runs[server.name], memory[server.name], agreed) for server, agreed in started]


def _agreement(
    found: dict[int, object], reference: dict[int, object] | None, requests: list[mix.Request]
) -> str:
    if reference is None:
        return "n/a"
    wrong = sorted({requests[n].kind for n in found if found[n] != reference.get(n)})
    return "all same" if not wrong else "differ: " + ", ".join(wrong)


COLUMNS = (
    "server", "req/s", "x Oxigraph in memory", "p95 ms", "median ms", "RSS MiB", "PSS MiB",
    "load s", "requests", "errors", "answers",
)  # fmt: skip


def _print(size: int, triples: int, rows: list[Row], args: argparse.Namespace) -> None:
    base = {server.name: run.throughput for server, run, _, _ in rows}
    print(f"\n### {triples:,} triples (target 10^{round(math.log10(size))})\n")
    print(
        f"{args.clients} clients, {args.seconds:g} s per server in {args.slices} slices, "
        f"{mix.VARIANTS} variants of each kind; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end.\n"
    )
    _table(COLUMNS, [_cells(row, base) for row in rows])
    print("\nMedian / p95 latency by kind of query, ms:\n")
    by_kind = [
        [s.name] + [f"{r.median(kind) * 1000:.1f} / {r.p95(kind) * 1000:.1f}" for kind in KINDS]
        for s, r, _, _ in rows
    ]
    _table(("server", *KINDS), by_kind)
    sys.stdout.flush()


def _cells(row: Row, base: dict[str, float]) -> list[str]:
    server, run, (pss, rss), agreement = row
    return [
        server.name,
        f"{run.throughput:.1f}",
        _ratio(run.throughput, base.get(REFERENCE)),
        f"{run.p95() * 1000:.1f}",
        f"{run.median() * 1000:.1f}",
        f"{rss:.0f}",
        f"{pss:.0f}",
        f"{server.load_seconds:.2f}",
        str(len(run.latencies)),
        str(run.errors),
        agreement,
    ]


def _table(header: Sequence[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 2) + ("---|" if header[-1] == "answers" else "---:|"))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}" if base else "-"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large", action="store_true", help="also run at 10^6 triples (slow)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5], help="triples")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--workers", type=int, help="aluekg's query processes (its default)")
    parser.add_argument("--slices", type=int, default=3, help="turns per server (default 3)")
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="timed run per server (default 30)"
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="per request, seconds (default 120)"
    )
    parser.add_argument("--ready-timeout", type=float, default=900.0, help="for a server to load")
    parser.add_argument(
        "--servers",
        nargs="+",
        choices=SERVERS,
        default=[name for name in SERVERS if name != "rdflib"],
        help="default: all but rdflib (whose full round takes minutes at 10^5)",
    )
    parser.add_argument("--work", help="directory for data and stores (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args()


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
