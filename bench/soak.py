"""Soak: many clients on a mix of queries, pages and validation uploads for minutes, with reloads
of the data during the run; prints errors, p50/p99 latency and memory per minute.

    .venv/bin/python bench/soak.py                  # 32 clients, 10 minutes, 5 reloads
    .venv/bin/python bench/soak.py --minutes 2      # a shorter run

It starts `aluekg serve` on the repository's ontology/ and data/ (validated, two workers, the
answer cache on) on a free 127.0.0.1 port, in its own session, and stops it at the end. Each
client is a thread with one keep-alive connection that names itself in X-Forwarded-For, which
the server is told to trust (ALUEKG_CLIENT_HEADER), so the fairness budget sees 32 clients.
Reloads are SIGHUPs on unchanged files: each still validates (a stamp makes that quick), builds
a new store, workers and cache, swaps them in and closes the old ones once drained (and the new
data's dumps are made again when first asked).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from servers import BIN, Server, _memory_kib, _tree, free_port

REPOSITORY = Path(__file__).resolve().parents[1]
UPLOAD = (REPOSITORY / "tests" / "fixtures" / "validate" / "conforming.ttl").read_bytes()
QUERY = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
EXTRA_QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s LIMIT 200",
]

# Linked-data documents (as pages and as Turtle), the query API, the reconciliation service, the
# dataset description and the dumps.
PAGES = [
    "/",
    "/doc/municipality/584",
    "/doc/region/08",
    "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026",
    "/ontology",
    "/search?q=aanekoski",
]
API = [
    "/api/programmes-in-force-for-municipality?year=2025&municipalityCode=236",
    "/api/area-registry-links?area=https://w3id.org/aluekg/id/region/08",
    "/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22Kasko%22%7D%7D",
]
DUMPS = ["/dumps/", "/dumps/aluekg.nt.gz", "/dumps/aluekg.ttl.gz"]


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]


def mix(number: int, uploads: bool = True) -> list[tuple[Request, int]]:
    """Each request with its weight: queries and pages; client 0 uploads drafts to /validate
    instead, one after another, as a maintainer checking files would (each takes seconds of
    pySHACL against the whole repository, so 32 clients uploading at once would only measure
    the validation time limit)."""
    if number == 0 and uploads:
        upload = {"Content-Type": "text/turtle", "Accept": "application/json"}
        return [(Request("validate", "POST", "/validate?lang=en", UPLOAD, upload), 1)]
    weighted = [
        (Request("query", "POST", "/sparql", path.read_bytes(), QUERY), 6)
        for path in sorted((REPOSITORY / "queries").glob("*.rq"))
    ]
    weighted += [
        (Request("query", "POST", "/sparql", text.encode(), QUERY), 6) for text in EXTRA_QUERIES
    ]
    weighted += [
        (Request("page", "GET", "/sparql", None, {"Accept": "text/html"}), 4),
        (Request("page", "GET", "/validate", None, {"Accept": "text/html"}), 4),
        (Request("page", "GET", "/static/yasgui/yasgui.min.js", None, {}), 4),
    ]
    weighted += [(Request("page", "GET", path, None, {"Accept": "text/html"}), 2) for path in PAGES]
    weighted += [
        (Request("rdf", "GET", path, None, {"Accept": "text/turtle"}), 2) for path in PAGES
    ]
    weighted += [
        (Request("api", "GET", path, None, {"Accept": "application/json"}), 3) for path in API
    ]
    weighted += [(Request("api", "GET", "/.well-known/void", None, {"Accept": "text/turtle"}), 3)]
    weighted += [(Request("dump", "GET", path, None, {}), 1) for path in DUMPS]
    return weighted


@dataclass
class Sample:
    at: float
    kind: str
    status: int  # 0: no answer (connection error or timeout)
    seconds: float


def client(
    number: int, port: int, until: float, samples: list[Sample], seed: int, uploads: bool
) -> None:
    chooser = random.Random(seed + number)
    requests, weights = zip(*mix(number, uploads), strict=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    address = f"10.0.{number // 250}.{number % 250 + 1}"
    while time.monotonic() < until:
        (request,) = chooser.choices(requests, weights)
        started = time.monotonic()
        try:
            connection.request(
                request.method,
                request.path,
                request.body,
                {**request.headers, "X-Forwarded-For": address},
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        samples.append(Sample(started, request.kind, status, time.monotonic() - started))
    connection.close()


def start(work: Path) -> Server:
    port = free_port()
    command = [str(BIN / "python"), "-m", "aluekg", "serve", "--port", str(port)]
    env = {**os.environ, "ALUEKG_CLIENT_HEADER": "X-Forwarded-For"}
    log = (work / "aluekg.log").open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=log, start_new_session=True, env=env, cwd=REPOSITORY
    )
    server = Server("aluekg", f"http://127.0.0.1:{port}", process, 0.0)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aluekg serve exited; see {work / 'aluekg.log'}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("aluekg serve did not start in 300 s")


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


HEAP = 64 * 2**20  # glibc's HEAP_MAX_SIZE on 64-bit: an arena's heap, at an aligned address


def rss_by_mapping(pid: int) -> str:
    """The server's RSS by kind of mapping, from /proc/PID/smaps: the main arena ([heap]), the
    other arenas' heaps, other anonymous memory (large blocks, Python's own arenas), files."""
    kinds = {"[heap]": 0, "arenas": 0, "anonymous": 0, "files": 0}
    heaps = 0
    kind = "files"
    try:
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except OSError:
        return ""
    for line in lines:
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":"):
            start = int(fields[0].split("-")[0], 16)
            name = fields[5] if len(fields) > 5 else ""
            if name == "[heap]":
                kind = "[heap]"
            elif name:
                kind = "files"
            elif start % HEAP == 0 and fields[1] == "rw-p":
                kind = "arenas"
                heaps += 1
            else:
                kind = "anonymous"
        elif fields[0] == "Rss:":
            kinds[kind] += int(fields[1])
    parts = ", ".join(f"{name} {kib / 1024:.0f}" for name, kib in kinds.items())
    return f"RSS MiB by mapping: {parts} ({heaps} arena heaps)"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(samples: list[Sample], memory: list[tuple[float, float]], started: float) -> None:
    minutes = int(max((s.at - started for s in samples), default=0) // 60) + 1
    print("min  requests  errors  4xx  429  p50 ms  p99 ms  server RSS MiB  +workers PSS MiB")
    for minute in range(minutes):
        inside = [s for s in samples if minute * 60 <= s.at - started < (minute + 1) * 60]
        errors = sum(1 for s in inside if s.status == 0 or s.status >= 500)
        refused = sum(1 for s in inside if s.status == 429)
        other_4xx = sum(1 for s in inside if 400 <= s.status < 500 and s.status != 429)
        latencies = [s.seconds * 1000 for s in inside]
        rss, tree = memory[minute] if minute < len(memory) else (float("nan"), float("nan"))
        print(
            f"{minute + 1:>3}  {len(inside):>8}  {errors:>6}  {other_4xx:>3}  {refused:>3}"
            f"  {percentile(latencies, 0.5):>6.1f}  {percentile(latencies, 0.99):>6.1f}"
            f"  {rss:>14.0f}  {tree:>16.0f}"
        )
    print("\nby kind: requests, errors (no answer or 5xx), p50 ms, p99 ms")
    for kind in sorted({s.kind for s in samples}):
        chosen = [s for s in samples if s.kind == kind]
        errors = sum(1 for s in chosen if s.status == 0 or s.status >= 500)
        latencies = [s.seconds * 1000 for s in chosen]
        print(
            f"  {kind:<9} {len(chosen):>7} {errors:>5}"
            f"  {statistics.median(latencies):>7.1f}  {percentile(latencies, 0.99):>7.1f}"
        )
    statuses: dict[int, int] = {}
    for sample in samples:
        statuses[sample.status] = statuses.get(sample.status, 0) + 1
    print("statuses (0: no answer):", dict(sorted(statuses.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--reloads", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-uploads", action="store_true", help="Only queries and pages.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aluekg-soak-") as folder:
        server = start(Path(folder))
        try:
            port = int(server.url.rsplit(":", 1)[1])
            run(server, port, arguments)
        finally:
            server.stop()


def run(server: Server, port: int, arguments: argparse.Namespace) -> None:
    duration = arguments.minutes * 60
    started = time.monotonic()
    until = started + duration
    samples: list[Sample] = []
    threads = [
        threading.Thread(
            target=client,
            args=(n, port, until, samples, arguments.seed, not arguments.no_uploads),
        )
        for n in range(arguments.clients)
    ]
    for thread in threads:
        thread.start()
    reloads = [
        started + duration * (i + 1) / (arguments.reloads + 1) for i in range(arguments.reloads)
    ]
    memory: list[tuple[float, float]] = []
    next_minute = started + 60
    while time.monotonic() < until:
        now = time.monotonic()
        if reloads and now >= reloads[0]:
            reloads.pop(0)
            os.kill(server.process.pid, signal.SIGHUP)
            print(f"reload (SIGHUP) at {now - started:.0f} s", flush=True)
        if now >= next_minute:
            next_minute += 60
            pid = server.process.pid
            memory.append((rss_mib(pid), sum(_memory_kib(p, "Pss:") for p in _tree(pid)) / 1024))
            print(f"minute {len(memory)}: {len(samples)} requests so far", flush=True)
            print(f"  {rss_by_mapping(pid)}", flush=True)
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    if len(memory) < int(duration // 60) + 1:
        pid = server.process.pid
        memory.append((rss_mib(pid), sum(_memory_kib(p, "Pss:") for p in _tree(pid)) / 1024))
    print(f"\n{arguments.clients} clients, {arguments.minutes:g} min, {arguments.reloads} reloads")
    report(samples, memory, started)
    # What the server counted: reloads by outcome, workers restarted, cache hits.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/metrics")
    for line in connection.getresponse().read().decode().splitlines():
        if line.startswith(("aluekg_reloads_total", "aluekg_workers_restarted", "aluekg_cache")):
            print(line)
    connection.close()


if __name__ == "__main__":
    main()
