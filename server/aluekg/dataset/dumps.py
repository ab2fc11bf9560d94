"""The dumps: the whole dataset and each named graph in five RDF formats, gzip-compressed; made
once per data version and kept in memory for /dumps/, or written to a folder with a SHA256SUMS
list by `aluekg dump`. Knows nothing of HTTP."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from aluekg import namespaces
from aluekg.query.store import GRAPH_BASE, Store

# (file extension, media type): the triple formats hold a graph, the quad formats name it.
FORMATS = (
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("nq", "application/n-quads"),
    ("trig", "application/trig"),
    ("jsonld", "application/ld+json"),
)
WHOLE = "aluekg"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Dump:
    """One dump: its path under /dumps/, its format, and its graph (None: the whole dataset)."""

    name: str
    media_type: str
    graph: str | None


@dataclass(frozen=True)
class DumpFile:
    """A dump's gzip-compressed bytes and their SHA-256."""

    body: bytes
    sha256: str


def catalogue(graphs: Collection[str]) -> list[Dump]:
    """Every dump of a store holding these named graphs, the whole dataset's first.

    >>> [d.name for d in catalogue(["https://w3id.org/aluekg/graph/data/x.ttl"])][5:7]
    ['graph/data/x.ttl.ttl.gz', 'graph/data/x.ttl.nt.gz']
    """
    dumps = [Dump(f"{WHOLE}.{extension}.gz", media, None) for extension, media in FORMATS]
    for graph in sorted(graphs):
        stem = graph_path(graph)
        dumps += [Dump(f"{stem}.{extension}.gz", media, graph) for extension, media in FORMATS]
    return dumps


def graph_path(graph: str) -> str:
    """Where a graph's dumps go: its path under the graph base (the source file's path in the
    repository), or, for a file outside the repository, a digest of its IRI."""
    if graph.startswith(GRAPH_BASE):
        return "graph/" + graph.removeprefix(GRAPH_BASE)
    return "graph/other/" + hashlib.sha256(graph.encode()).hexdigest()[:16]


def make(store: Store, dump: Dump) -> DumpFile:
    """Serialise and compress one dump; mtime 0 in the gzip header, so that the same data
    gives the same bytes and checksum."""
    # Level 6 (gzip's own default) takes half the time of Python's 9 for about 5% more bytes.
    written = store.serialize(dump.media_type, dump.graph, namespaces.PREFIXES)
    body = gzip.compress(written, compresslevel=6, mtime=0)
    return DumpFile(body, hashlib.sha256(body).hexdigest())


def write(store: Store, directory: Path) -> list[Path]:
    """Write every dump of the store under directory, then SHA256SUMS (in sha256sum's format);
    returns the paths written."""
    lines: list[str] = []
    written: list[Path] = []
    for dump in catalogue(store.graphs):
        made = make(store, dump)
        path = directory / dump.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(made.body)
        written.append(path)
        lines.append(f"{made.sha256}  {dump.name}\n")
    checksums = directory / CHECKSUMS
    checksums.write_text("".join(lines), encoding="utf-8")
    return [*written, checksums]


class Dumps:
    """The dumps of one data version, made on the first request for any of them and kept.

    source gives the store to dump (the server's own, or a copy restored from the workers'
    N-Quads); it is called once.
    """

    def __init__(self, source: Callable[[], Store], graphs: Collection[str], version: str) -> None:
        self.catalogue: Sequence[Dump] = catalogue(graphs)
        self.version = version
        self._source = source
        self._files: dict[str, DumpFile] | None = None
        self._modified = 0.0
        self._lock = threading.Lock()

    def files(self) -> tuple[dict[str, DumpFile], float]:
        """Every dump by name, and when they were made (seconds since the epoch)."""
        with self._lock:
            if self._files is None:
                store = self._source()
                self._files = {dump.name: make(store, dump) for dump in self.catalogue}
                self._modified = time.time()
            return self._files, self._modified
