"""The benchmark's clients: a fixed number of processes, each with one keep-alive connection.

Every request is a POST application/sparql-query (the one way all three servers read a query
the same: rdflib-endpoint decodes forms twice). Only loopback URLs are accepted.
"""

from __future__ import annotations

import http.client
import itertools
import json
import multiprocessing
import statistics
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from urllib.parse import urlsplit

from mix import Request


@dataclass
class Run:
    """Latencies in seconds, per kind and overall, and how long the run took."""

    elapsed: float = 0.0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def add(self, other: Run) -> None:
        """Fold another run of the same server into this one."""
        self.elapsed += other.elapsed
        self.errors += other.errors
        self.latencies += other.latencies
        for kind, values in other.by_kind.items():
            self.by_kind.setdefault(kind, []).extend(values)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def median(self, kind: str | None = None) -> float:
        values = self.latencies if kind is None else self.by_kind.get(kind, [])
        return statistics.median(values) if values else float("nan")

    def p95(self, kind: str | None = None) -> float:
        values = sorted(self.latencies if kind is None else self.by_kind.get(kind, []))
        return values[min(len(values) - 1, int(0.95 * len(values)))] if values else float("nan")


class Endpoint:
    """One keep-alive connection to a SPARQL endpoint on 127.0.0.1."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.hostname != "127.0.0.1" or parts.port is None:
            raise ValueError(f"The benchmark talks only to 127.0.0.1:PORT, not {url!r}")
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.timeout = timeout
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def ask(self, request: Request) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/sparql-query", "Accept": request.accept}
        try:
            self.connection.request("POST", self.path, request.query.encode(), headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            # A dropped keep-alive connection: start a new one for the next request.
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            return 0, b""

    def close(self) -> None:
        self.connection.close()


def run(url: str, requests: list[Request], clients: int, seconds: float, timeout: float) -> Run:
    """Send the mix round-robin from `clients` processes until `seconds` have passed.

    Processes, not threads: threads of one interpreter share one GIL, and at a few thousand
    requests a second that, not the server, set the pace (bench/README.md)."""
    context = multiprocessing.get_context("fork")
    pipes = []
    processes = []
    started = time.monotonic()
    deadline = time.time() + seconds
    for number in range(clients):
        ours, theirs = context.Pipe(duplex=False)
        # Each starts at its own place in the mix, as threads taking turns at one cycle did.
        offset = number * len(requests) // clients
        order = requests[offset:] + requests[:offset]
        arguments = (url, order, deadline, timeout, theirs)
        process = context.Process(target=_client, args=arguments)
        process.start()
        theirs.close()
        pipes.append(ours)
        processes.append(process)
    result = Run()
    for pipe, process in zip(pipes, processes, strict=True):
        # A request in flight at the deadline may take up to `timeout` more.
        try:
            if pipe.poll(seconds + timeout + 5):
                result.add(pipe.recv())
        except EOFError:
            # It ended without sending its run (killed, or an exception): one error, so the
            # table shows the run is incomplete, rather than no table at all.
            result.errors += 1
        process.join(5)
        if process.is_alive():
            process.kill()
    result.elapsed = time.monotonic() - started
    return result


def _client(
    url: str, order: list[Request], deadline: float, timeout: float, pipe: Connection
) -> None:
    """One client: the mix in turn until the deadline; its run goes back through the pipe."""
    endpoint = Endpoint(url, timeout)
    part = Run()
    try:
        for request in itertools.cycle(order):
            if time.time() >= deadline:
                break
            started = time.perf_counter()
            status, _ = endpoint.ask(request)
            latency = time.perf_counter() - started
            if status != 200:
                part.errors += 1
                continue
            part.latencies.append(latency)
            part.by_kind.setdefault(request.kind, []).append(latency)
    finally:
        endpoint.close()
    pipe.send(part)


def answers(url: str, requests: list[Request], timeout: float) -> dict[int, object]:
    """Each request's answer in a comparable form (rows, or sorted N-Triples lines)."""
    endpoint = Endpoint(url, timeout)
    found: dict[int, object] = {}
    try:
        for number, request in enumerate(requests):
            status, body = endpoint.ask(request)
            found[number] = _normalise(body, request.accept) if status == 200 else f"HTTP {status}"
    finally:
        endpoint.close()
    return found


def _normalise(body: bytes, accept: str) -> object:
    if accept == "application/n-triples":
        return sorted(line.strip() for line in body.decode().splitlines() if line.strip())
    results = json.loads(body)
    names = results["head"]["vars"]
    return [tuple(_term(row.get(name)) for name in names) for row in results["results"]["bindings"]]


def _term(term: dict[str, str] | None) -> tuple[str, ...]:
    if term is None:
        return ()
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    return (kind, term["value"], term.get("xml:lang", ""), term.get("datatype", ""))
