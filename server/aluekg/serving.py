"""Assembles the running SPARQL service from Settings: the files, the store, the worker processes,
the answer cache and the app. The CLI's `serve` calls build() and hands the app to uvicorn."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.dataset.dumps import Dumps
from aluekg.errors import DataError
from aluekg.operations.generations import Generation
from aluekg.operations.install import generations_of
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

    With workers (the default) the store is dumped for them into a temporary folder, inside
    settings.store_dir if set, and removed by close().
    """
    started = time.perf_counter()
    generation, files = load(settings, backend)
    app = create_app(generation.backend, generation.options, settings)
    # The app serves this generation until a reload (aluekg.operations.reload) swaps in another;
    # close() closes whichever is current then.
    generations = generations_of(app)
    generations.make_current(app, generation)
    quads = generation.quads or 0
    return Service(app, generations.close, files, quads, time.perf_counter() - started)


def build_listening_first(
    settings: Settings, backend: Backend | None = None
) -> tuple[Service, Callable[[], None]]:
    """An app to serve before its data is loaded, and the function that loads it.

    Until then /health answers 503 and queries wait for the data (aluekg.operations), so that
    a large store can load while the port is already open; the Service's counts are filled in
    by the load.
    """
    started = time.perf_counter()
    app = create_app(None, None, settings)
    generations = generations_of(app)
    service = Service(app, generations.close, 0, 0, 0.0)

    def load_now() -> None:
        generation, files = load(settings, backend)
        generations.make_current(app, generation)
        service.files, service.quads = files, generation.quads or 0
        service.seconds = time.perf_counter() - started

    return service, load_now


def load(settings: Settings, backend: Backend | None = None) -> tuple[Generation, int]:
    """The data to serve (a backend, its options and how to close it) and how many files it
    was loaded from; `backend` given, that backend instead of the files."""
    closers: list[Callable[[], None]] = []
    graphs: frozenset[str] | None = None
    files: list[Path] = []
    quads = 0
    dumps: Dumps | None = None
    if backend is None:
        files = source_files(settings)
        try:
            backend, graphs, quads, dump_source = _embedded(settings, files, closers)
            dumps = Dumps(dump_source, graphs, backend.version)
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
    generation = Generation(backend, options, lambda: _close(closers), quads, dumps)
    return generation, len(files)


def _close(closers: list[Callable[[], None]]) -> None:
    # In the order they were made: the workers stop before their store is removed.
    for closer in closers:
        closer()


def _embedded(
    settings: Settings, files: list[Path], closers: list[Callable[[], None]]
) -> tuple[Backend, frozenset[str], int, Callable[[], Store]]:
    """The backend, its graphs and size, and where the dumps get their store from."""
    if settings.workers == 0:
        store = Store(max_bytes=settings.max_result_bytes)
        store.load(files, REPOSITORY)
        return store, store.graphs, store.quads, lambda: store
    # The workers' interpreters start now and load the store once it is built.
    pool = WorkerPool(
        size=settings.workers,
        timeout=settings.query_timeout,
        max_result_bytes=settings.max_result_bytes,
        max_memory=settings.worker_memory,
    )
    closers.append(pool.close)
    if settings.store_dir is not None:
        settings.store_dir.mkdir(parents=True, exist_ok=True)
    # A fresh folder each start, so that no triple of a since-deleted file survives.
    directory = Path(tempfile.mkdtemp(prefix="aluekg-store-", dir=settings.store_dir))
    closers.append(lambda: shutil.rmtree(directory, ignore_errors=True))
    store = Store()
    store.load(files, REPOSITORY)
    # Each worker loads its own in-memory copy: three times as fast as sharing a read-only
    # on-disk store (bench/README.md), and a dump is quicker to write than a RocksDB store.
    # The dump stays until close(), for the workers that replace stopped ones.
    store.dump(directory / "store.nq")
    pool.open(directory / "store.nq", store.version, store.graphs)
    # The dumps restore their own copy when first asked, so this one need not be kept.
    return pool, store.graphs, store.quads, lambda: Store.restore(directory / "store.nq")
