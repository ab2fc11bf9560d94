"""Helpers for the operations tests: `aluekg serve` as a child process, and data in two
versions that differ in a countable way (1 area, or 6)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from aluekg.config import Settings
from aluekg.operations.server import server
from aluekg.web import App

VALIDATION = Path(__file__).parent / "fixtures" / "validation"
# What the data holds, as a count of areas: version A has areas.ttl's one area, version B adds
# more-areas.ttl's five.
AREAS = "SELECT ?area WHERE { ?area a <https://example.org/ns#Area> }"
MORE_AREAS = "".join(
    f"<https://example.org/area/{n}> a <https://example.org/ns#Area> .\n" for n in range(2, 7)
)
# A plan without its name and area: violates the fixtures' shapes.
INVALID = "<https://example.org/plan/bad> a <https://example.org/ns#RegionalPlan> .\n"


def repository(root: Path) -> dict[str, str]:
    """ontology/, data/ (version A) and shapes/ under root, as ALUEKG_* variables."""
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(VALIDATION / part, root / part)
    return {
        f"ALUEKG_{part.upper()}_DIR": str(root / part) for part in ("ontology", "data", "shapes")
    }


def serve(arguments: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`aluekg serve ARGUMENTS` on a free port, and the address it announced."""
    command = [sys.executable, "-m", "aluekg", "serve", "--port", "0", *arguments]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        found = re.search(r"Uvicorn running on (http://[0-9.:]+)", line)
        if found:
            return server, found.group(1)
        if not line and server.poll() is not None:
            break
    server.kill()
    server.wait()
    server.stderr.close()
    raise AssertionError("aluekg serve did not start")


@contextmanager
def live(app: App, settings: Settings | None = None) -> Iterator[str]:
    """The app served as `aluekg serve` serves it (aluekg.operations.server), on a free port."""
    chosen = dataclasses.replace(settings or Settings(), host="127.0.0.1", port=0)
    running = server(app, chosen, log_level="warning", logs=False)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.01)
    port = running.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join()


def address(url: str) -> tuple[str, int]:
    """The host and port of a live service's URL, for a raw socket."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def closed_by_server(client: socket.socket) -> bytes:
    """What the server sent before closing the connection (waits at most 10 s for the close)."""
    client.settimeout(10)
    received = b""
    while chunk := client.recv(65536):
        received += chunk
    return received
