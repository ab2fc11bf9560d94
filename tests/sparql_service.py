"""Helpers for the SPARQL service's tests: its fixture files, a built service, a live server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn

from aluekg import serving
from aluekg.config import Settings
from aluekg.web import App

FIXTURES = Path(__file__).parent / "fixtures" / "sparql"
PROGRAMMES_GRAPH = "https://w3id.org/aluekg/graph/tests/fixtures/sparql/programmes.ttl"
REGIONS_GRAPH = "https://w3id.org/aluekg/graph/tests/fixtures/sparql/regions.nt"
EX = "https://example.org/"


def settings(**changes: Any) -> Settings:
    """Settings serving the fixtures (unless data_files is changed too), with changes."""
    return replace(Settings(), **{"data_files": (FIXTURES,), **changes})


@contextmanager
def service(**changes: Any) -> Iterator[serving.Service]:
    """A built service over the fixtures (two workers unless changed), closed afterwards."""
    built = serving.build(settings(**changes))
    try:
        yield built
    finally:
        built.close()


@contextmanager
def live(app: App) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, for tests that need real HTTP."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
