"""Start, measure and stop the servers under test, each on a free 127.0.0.1 port.

Each server runs in its own session so that stopping it (SIGTERM, then SIGKILL) reaches its
worker processes too, and nothing is left running when the benchmark ends.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(__file__).resolve().parents[1] / ".venv" / "bin"
READY_QUERY = b"ASK { ?s ?p ?o }"


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    load_seconds: float

    def memory_mib(self) -> float:
        """Proportional set size of the server and its children, in MiB (shared pages split)."""
        return sum(_memory_kib(pid, "Pss:") for pid in _tree(self.process.pid)) / 1024

    def resident_mib(self) -> float:
        """Resident set size of the server and its children, in MiB (shared pages counted in
        each process that maps them)."""
        return sum(_memory_kib(pid, "Rss:") for pid in _tree(self.process.pid)) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def aluekg(
    files: Sequence[Path],
    work: Path,
    cache: bool,
    ready_timeout: float,
    workers: int | None,
    source: tuple[str, Path] | None = None,
) -> Server:
    """source: (name, the server/ folder of another copy of aluekg) to run that copy instead."""
    port = free_port()
    command = [str(BIN / "python"), "-m", "aluekg", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-validate", "--cache" if cache else "--no-cache"]
    command += [] if workers is None else ["--workers", str(workers)]
    for path in files:
        command += ["--data", str(path)]
    name = "aluekg cache " + ("on" if cache else "off")
    # The bench's clients share one address: the per-client time budget (a policy Oxigraph has
    # none of) would refuse them, so it is off, by the variable older copies ignore.
    environment = {**os.environ, "ALUEKG_FAIR_SHARE": "0"}
    if source is not None:
        name = source[0]
        environment["PYTHONPATH"] = str(source[1].resolve())
    url = f"http://127.0.0.1:{port}/sparql"
    return _start(name, command, url, work, ready_timeout, 0.0, environment)


def oxigraph_memory(files: Sequence[Path], work: Path, ready_timeout: float) -> Server:
    """Oxigraph's server over its in-memory store (`oxigraph serve` with no --location), the
    files POSTed to its default graph; the load time runs from launch to the last file stored."""
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/query"
    server = _start("Oxigraph in memory", command, url, work, ready_timeout, 0.0)
    started = time.monotonic() - server.load_seconds
    try:
        for path in files:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ready_timeout)
            try:
                headers = {"Content-Type": "application/n-triples"}
                connection.request("POST", "/store?default", path.read_bytes(), headers)
                response = connection.getresponse()
                response.read()
                if response.status not in (200, 201, 204):
                    raise RuntimeError(f"Oxigraph refused {path}: HTTP {response.status}")
            finally:
                connection.close()
    except BaseException:
        server.stop()
        raise
    server.load_seconds = time.monotonic() - started
    return server


def oxigraph(files: Sequence[Path], work: Path, ready_timeout: float) -> Server:
    """Oxigraph's bulk loader into an on-disk store, then its read-only server over it.

    The bulk loader leaves the store uncompacted, which made the topic query 1.7 times slower
    at 10^5 triples, so `oxigraph optimize` runs too, and counts in the load time.
    """
    location = work / "oxigraph-db"
    started = time.monotonic()
    load = [str(BIN / "oxigraph"), "load", "--location", str(location)]
    for path in files:
        load += ["--file", str(path)]
    subprocess.run(load, check=True, capture_output=True, timeout=ready_timeout)
    optimize = [str(BIN / "oxigraph"), "optimize", "--location", str(location)]
    subprocess.run(optimize, check=True, capture_output=True, timeout=ready_timeout)
    loading = time.monotonic() - started
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(location)]
    command += ["--bind", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/query"
    return _start("Oxigraph RocksDB", command, url, work, ready_timeout, loading)


def rdflib_endpoint(files: Sequence[Path], work: Path, ready_timeout: float) -> Server:
    port = free_port()
    command = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += [str(path) for path in files]
    return _start("rdflib-endpoint", command, f"http://127.0.0.1:{port}/", work, ready_timeout, 0.0)


def _start(
    name: str,
    command: list[str],
    url: str,
    work: Path,
    ready_timeout: float,
    before: float,
    environment: dict[str, str] | None = None,
) -> Server:
    log = (work / (name.replace(" ", "-").replace("/", "-") + ".log")).open("wb")
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=environment
    )
    server = Server(name, url, process, 0.0)
    try:
        _wait_until_ready(server, started + ready_timeout, work)
    except BaseException:
        server.stop()
        raise
    server.load_seconds = before + time.monotonic() - started
    return server


def _wait_until_ready(server: Server, deadline: float, work: Path) -> None:
    port = int(server.url.split(":")[2].split("/")[0])
    path = "/" + server.url.split("/", 3)[3]
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see {work}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            headers = {
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            }
            connection.request("POST", path, READY_QUERY, headers)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.05)
    raise RuntimeError(f"{server.name} was not ready in time; see {work}")


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def _memory_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
