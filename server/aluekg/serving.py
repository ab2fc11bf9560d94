"""Assembles the running SPARQL service from Settings: the files, the store, the worker processes,
the answer cache and the app. The CLI's `serve` calls build() and hands the app to uvicorn."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.errors import DataError
from aluekg.query.backend import Backend
from aluekg.query.cache import AnswerCache
from aluekg.query.workers import WorkerPool

if TYPE_CHECKING:
    from aluekg.web import App


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


def start_workers(settings: Settings) -> WorkerPool | None:
    """The query processes for build(), already loading the files, or None if it uses none.

    Light to import and quick to return, so that `aluekg serve` can start them before it imports
    the web layer and validates: the files load meanwhile.
    """
    if settings.workers == 0 or settings.store_url:
        return None
    pool = WorkerPool(
        size=settings.workers,
        timeout=settings.query_timeout,
        max_result_bytes=settings.max_result_bytes,
        max_memory=settings.worker_memory,
    )
    try:
        return pool.load(source_files(settings), REPOSITORY)
    except BaseException:
        pool.close()
        raise


def build(
    settings: Settings, backend: Backend | None = None, workers: WorkerPool | None = None
) -> Service:
    """Load the files into a store and serve them; with `backend` given, serve that instead.

    With workers (the default) the files are loaded in the process the workers are forked from
    (`workers`, from start_workers(), or started here); close() ends them.
    """
    # Imported here: start_workers() is called before the web layer is needed.
    from aluekg.web import create_app
    from aluekg.web.deps import ServiceOptions

    started = time.perf_counter()
    closers: list[Callable[[], None]] = []
    if workers is not None:
        closers.append(workers.close)
    graphs: frozenset[str] | None = None
    files: list[Path] = []
    quads = 0
    if backend is None:
        files = source_files(settings)
        try:
            backend, graphs, quads = _embedded(settings, files, closers, workers)
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
    settings: Settings,
    files: list[Path],
    closers: list[Callable[[], None]],
    workers: WorkerPool | None,
) -> tuple[Backend, frozenset[str], int]:
    if settings.workers == 0:
        from aluekg.query.store import Store

        store = Store(max_bytes=settings.max_result_bytes)
        store.load(files, REPOSITORY)
        return store, store.graphs, store.quads
    # The workers are forked from one process that loads the files itself: one copy of the
    # store, in memory, shared by the workers (bench/README.md).
    if workers is None:
        workers = start_workers(settings)
        assert workers is not None, "settings.workers > 0 and no store_url here"
        closers.append(workers.close)
    workers.open()
    return workers, workers.graphs, workers.quads
