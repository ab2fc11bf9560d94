"""`aluekg serve` starting and stopping: SIGTERM (and Ctrl-C) stops taking connections,
finishes the requests in flight and exits; data that does not load ends it with the error."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tests.operations_service import serve
from tests.sparql_service import EX, FIXTURES

ASK = f"ASK {{ <{EX}programme-1> ?p ?o }}".encode()


@contextmanager
def served(store: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`aluekg serve` on the fixtures with its store under store, killed if a test leaves it
    running; the store must be gone afterwards, as a clean exit removes it."""
    arguments = ["--no-validate", "--data", str(FIXTURES), "--workers", "1"]
    server, url = serve([*arguments, "--store-dir", str(store)], dict(os.environ))
    try:
        yield server, url
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        assert server.stderr is not None
        server.stderr.close()
    assert list(store.iterdir()) == []


def test_sigterm_drains_requests_in_flight_then_exits(tmp_path: Path) -> None:
    with served(tmp_path) as (server, url):
        _drain(server, url)


def _drain(server: subprocess.Popen[str], url: str) -> None:
    """SIGTERM while a request is half sent: it is answered, new connections are refused, and
    the server exits with 128 + SIGTERM."""
    address = urlsplit(url)
    assert address.hostname is not None
    assert address.port is not None
    target = (address.hostname, address.port)
    head = (
        "POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: application/sparql-results+json\r\nContent-Length: {len(ASK)}\r\n\r\n"
    ).encode()
    with socket.create_connection(target, timeout=30) as client:
        # Half the body now: the request is in flight when the signal comes.
        client.sendall(head + ASK[:10])
        time.sleep(1)
        server.send_signal(signal.SIGTERM)
        _wait_until_refused(target)
        client.sendall(ASK[10:])
        response = _read_all(client)
    status, _, rest = response.partition(b"\r\n")
    assert status == b"HTTP/1.1 200 OK"
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["boolean"] is True
    assert server.wait(timeout=30) == 128 + signal.SIGTERM


def test_ctrl_c_shuts_down_as_sigterm_does_and_exits_0(tmp_path: Path) -> None:
    with served(tmp_path) as (server, _):
        # As Ctrl-C in a terminal: SIGINT, once uvicorn listens.
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert server.stderr is not None
        rest = server.stderr.read()
        # Uvicorn's graceful shutdown, and not click's "Aborted!" for a KeyboardInterrupt.
        assert "Finished server process" in rest
        assert "Aborted!" not in rest


def _wait_until_refused(target: tuple[str, int]) -> None:
    """Until the server no longer accepts connections (it stops listening first)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(target, timeout=1).close()
        except OSError:
            return
        time.sleep(0.05)
    raise AssertionError("the server kept accepting connections after SIGTERM")


def _read_all(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_data_that_does_not_load_stops_serve_with_the_error() -> None:
    # The port opens before the data loads; a file that does not parse still ends the server.
    broken = FIXTURES.parent / "validate" / "syntax-error.ttl"
    command = [sys.executable, "-m", "aluekg", "serve", "--no-validate", "--port", "0"]
    done = subprocess.run(
        [*command, "--data", str(broken), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith(f"Error: {broken}: Parser error")
