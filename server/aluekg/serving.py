"""Assembles the running SPARQL service from Settings: the files, the store, the worker processes,
the answer cache and the app. The CLI's `serve` calls build() and hands the app to uvicorn."""

from __future__ import annotations

import tempfile
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
    # The web layer, operations (FastAPI) and the engine are imported when first needed, so
    # that start_workers() can run before them (cli.serve).
    from aluekg.dataset.dumps import Dumps
    from aluekg.operations.generations import Generation
    from aluekg.query.store import Store
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
    from aluekg.operations.install import generations_of
    from aluekg.web import create_app

    started = time.perf_counter()
    generation, files = load(settings, backend, workers)
    app = create_app(generation.backend, generation.options, settings)
    # The app serves this generation until a reload (aluekg.operations.reload) swaps in another;
    # close() closes whichever is current then.
    generations = generations_of(app)
    generations.make_current(app, generation)
    quads = generation.quads or 0
    return Service(app, generations.close, files, quads, time.perf_counter() - started)


def build_listening_first(
    settings: Settings, backend: Backend | None = None, workers: WorkerPool | None = None
) -> tuple[Service, Callable[[], None]]:
    """An app to serve before its data is loaded, and the function that loads it.

    Until then /health answers 503 and queries wait for the data (aluekg.operations), so that
    a large store can load while the port is already open; the Service's counts are filled in
    by the load. workers: as for build().
    """
    from aluekg.operations.install import generations_of
    from aluekg.web import create_app

    started = time.perf_counter()
    app = create_app(None, None, settings)
    generations = generations_of(app)
    service = Service(app, generations.close, 0, 0, 0.0)

    def load_now() -> None:
        generation, files = load(settings, backend, workers)
        generations.make_current(app, generation)
        service.files, service.quads = files, generation.quads or 0
        service.seconds = time.perf_counter() - started

    return service, load_now


def load(
    settings: Settings, backend: Backend | None = None, workers: WorkerPool | None = None
) -> tuple[Generation, int]:
    """The data to serve (a backend, its options and how to close it) and how many files it
    was loaded from; `backend` given, that backend instead of the files.

    With workers (the default) the files are loaded in the process the workers are forked from:
    `workers`, from start_workers() and then closed with this generation, or started here (as a
    reload does, so that each generation has workers of its own).
    """
    from aluekg.dataset.dumps import Dumps
    from aluekg.operations.generations import Generation
    from aluekg.web.deps import ServiceOptions

    closers: list[Callable[[], None]] = []
    if workers is not None:
        closers.append(workers.close)
    files: list[Path] = []
    quads = 0
    dumps: Dumps | None = None
    if backend is None:
        files = source_files(settings)
        try:
            backend, graphs, quads, dump_source = _embedded(settings, files, closers, workers)
            dumps = Dumps(dump_source, graphs, backend.version)
        except BaseException:
            _close(closers)
            raise
    if settings.cache:
        backend = AnswerCache(backend, settings.cache_bytes)
    options = ServiceOptions(
        service_allowlist=frozenset(settings.service_allowlist),
        max_request_bytes=settings.max_request_bytes,
        base_iri=settings.base_iri,
    )
    generation = Generation(backend, options, lambda: _close(closers), quads, dumps)
    return generation, len(files)


def _close(closers: list[Callable[[], None]]) -> None:
    # In the order they were made.
    for closer in closers:
        closer()


def _embedded(
    settings: Settings,
    files: list[Path],
    closers: list[Callable[[], None]],
    workers: WorkerPool | None,
) -> tuple[Backend, frozenset[str], int, Callable[[], Store]]:
    """The backend, its graphs and size, and where the dumps get their store from."""
    from aluekg.query.store import Store

    if settings.workers == 0:
        store = Store(max_bytes=settings.max_result_bytes)
        store.load(files, REPOSITORY)
        return store, store.graphs, store.quads, lambda: store
    # The workers are forked from one process that loads the files itself: one copy of the
    # store, in memory, shared by the workers (bench/README.md).
    if workers is None:
        workers = start_workers(settings)
        assert workers is not None, "settings.workers > 0 and no store_url here"
        closers.append(workers.close)
    workers.open()
    pool = workers
    # This process holds no store: the dumps, when first asked, restore a copy of the one the
    # workers are forked from, which writes it as N-Quads then.
    return pool, pool.graphs, pool.quads, lambda: _copy_of(pool, settings)


def _copy_of(pool: WorkerPool, settings: Settings) -> Store:
    """An in-memory copy of the store the pool's workers answer from."""
    from aluekg.query.store import Store

    if settings.store_dir is not None:
        settings.store_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aluekg-store-", dir=settings.store_dir) as folder:
        pool.dump(Path(folder) / "store.nq")
        return Store.restore(Path(folder) / "store.nq")
