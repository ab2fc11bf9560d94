"""Assembles the running SPARQL service from Settings: the files, the store, the worker processes,
the answer cache and the app. The CLI's `serve` calls build() and hands the app to uvicorn."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.errors import DataError
from aluekg.query.backend import Backend
from aluekg.query.cache import AnswerCache
from aluekg.query.store import Store
from aluekg.query.workers import WorkerPool
from aluekg.web import App, create_app
from aluekg.web.deps import ServiceOptions


@dataclass
class Service:
    """What build() made: the app, how to shut it down, and what startup took."""

    app: App
    close: Callable[[], None]
    files: int
    quads: int
    seconds: float


def source_files(settings: Settings) -> list[Path]:
    """settings.data_files (folders expanded), else the RDF files of ontology/ and data/."""
    roots: Sequence[Path] = settings.data_files or (settings.ontology_dir, settings.data_dir)
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(syntax.rdf_files(root))
        elif root.is_file() or settings.data_files:
            files.append(root)
    missing = [path for path in files if not path.is_file()]
    if missing:
        raise DataError(f"{missing[0]}: no such file")
    return files


def build(settings: Settings, backend: Backend | None = None) -> Service:
    """Load the files into a store and serve them; with `backend` given, serve that instead.

    With workers (the default) the files are loaded in the process the workers are forked from;
    close() ends them.
    """
    started = time.perf_counter()
    closers: list[Callable[[], None]] = []
    graphs: frozenset[str] | None = None
    files: list[Path] = []
    quads = 0
    if backend is None:
        files = source_files(settings)
        try:
            backend, graphs, quads = _embedded(settings, files, closers)
        except BaseException:
            _close(closers)
            raise
    if settings.cache:
        backend = AnswerCache(backend, settings.cache_bytes)
    options = ServiceOptions(
        graphs=graphs,
        service_allowlist=frozenset(settings.service_allowlist),
        max_request_bytes=settings.max_request_bytes,
        base_iri=settings.base_iri,
    )
    app = create_app(backend, options, settings)

    return Service(app, lambda: _close(closers), len(files), quads, time.perf_counter() - started)


def _close(closers: list[Callable[[], None]]) -> None:
    # In the order they were made: the workers stop before their store is removed.
    for closer in closers:
        closer()


def _embedded(
    settings: Settings, files: list[Path], closers: list[Callable[[], None]]
) -> tuple[Backend, frozenset[str], int]:
    if settings.workers == 0:
        store = Store(max_bytes=settings.max_result_bytes)
        store.load(files, REPOSITORY)
        return store, store.graphs, store.quads
    # The workers are forked from one process that loads the files itself: one copy of the
    # store, in memory, shared by the workers (bench/README.md).
    pool = WorkerPool(
        size=settings.workers,
        timeout=settings.query_timeout,
        max_result_bytes=settings.max_result_bytes,
        max_memory=settings.worker_memory,
    )
    closers.append(pool.close)
    pool.open(files, REPOSITORY)
    return pool, pool.graphs, pool.quads
