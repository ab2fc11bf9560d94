"""The embedded pyoxigraph store: loads RDF files, each into a named graph named after the file,
and answers queries as serialised bytes. The only importer of pyoxigraph; none of its objects
leaves this module (STYLE §2.8). Knows nothing of HTTP.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from aluekg import syntax
from aluekg.errors import DataError, NoAcceptableFormat, NotAnIri, QueryError, TooLarge
from aluekg.query import guard
from aluekg.query.backend import Accepts, Answer, Dataset
from aluekg.query.formats import BOOLEAN, GRAPH, SOLUTIONS

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

# A file under the repository gets <GRAPH_BASE + its path relative to the repository>; any other
# file gets its file: IRI.
GRAPH_BASE = "https://w3id.org/aluekg/graph/"

Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Named = ox.NamedNode | ox.BlankNode

_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def graph_name(path: Path, root: Path) -> str:
    """The IRI of the named graph that holds a file's triples.

    >>> graph_name(Path("/repo/data/programme/x.ttl"), Path("/repo"))
    'https://w3id.org/aluekg/graph/data/programme/x.ttl'
    """
    absolute = path.absolute()
    try:
        relative = absolute.relative_to(root.absolute())
    except ValueError:
        return absolute.as_uri()
    return GRAPH_BASE + quote(relative.as_posix())


class Store:
    """A pyoxigraph store in memory (also as a copy of another's dump, for workers), on disk, or
    opened read-only from disk."""

    def __init__(
        self, path: Path | None = None, *, read_only: bool = False, max_bytes: int | None = None
    ) -> None:
        """max_bytes: answers past this size raise TooLarge (None: no limit)."""
        self._max_bytes = max_bytes
        try:
            if read_only and path is not None:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(path)
        except OSError as exc:
            raise DataError(f"{path}: cannot open the store: {exc}") from None
        self._digest = hashlib.sha256()
        self._graphs: frozenset[str] | None = None

    def load(self, files: Iterable[Path], root: Path) -> None:
        """Load each file into its named graph.

        Relative IRIs resolve against the file's own file: IRI (unless it sets its own @base), as
        `aluekg validate` and rdflib resolve them, not against the graph's name: a query then sees
        the IRIs that validation reported (issue 12). In N-Quads, TriG and JSON-LD, only the
        default graph's triples go to the file's graph; named graphs keep their own names.
        """
        for path in files:
            fmt = ox.RdfFormat.from_media_type(syntax.media_type_of(path))
            assert fmt is not None, f"pyoxigraph reads every syntax in {syntax.EXTENSIONS}"
            graph = graph_name(path, root)
            try:
                data = path.read_bytes()
                self._store.load(
                    data, fmt, base_iri=syntax.base_of(path), to_graph=ox.NamedNode(graph)
                )
            except (SyntaxError, OSError) as exc:
                raise DataError(f"{path}: {exc}") from None
            self._digest.update(graph.encode() + b"\0" + hashlib.sha256(data).digest())
        self._graphs = None

    @classmethod
    def restore(cls, dump: Path, *, max_bytes: int | None = None) -> Store:
        """An in-memory store holding the quads of a file written by dump().

        In memory, the mix of bench/ runs about three times as fast as on a read-only RocksDB
        store. Blank nodes keep their labels, so every copy answers with the same bytes.
        """
        store = cls(max_bytes=max_bytes)
        try:
            # lenient: the quads were checked when the files were first loaded.
            store._store.extend(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS, lenient=True))
        except (SyntaxError, OSError) as exc:
            raise DataError(f"{dump}: {exc}") from None
        return store

    def dump(self, path: Path) -> None:
        """Write every quad to path as N-Quads, for restore()."""
        self._store.dump(path, ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        """Write everything to disk, so that read-only copies see it."""
        self._store.flush()

    @property
    def version(self) -> str:
        """A digest of the files loaded, in order; read-only stores report an empty one."""
        return self._digest.hexdigest()[:20]

    @property
    def quads(self) -> int:
        """How many quads the store holds."""
        return len(self._store)

    @property
    def graphs(self) -> frozenset[str]:
        """The IRIs of the named graphs in the store."""
        if self._graphs is None:
            self._graphs = frozenset(
                graph.value
                for graph in self._store.named_graphs()
                if isinstance(graph, ox.NamedNode)
            )
        return self._graphs

    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
    ) -> Answer:
        """Evaluate a query and serialise its result in the media type accepted for its kind.

        The default graph is the union of all graphs unless the query has FROM or the dataset
        names graphs. Raises QueryError (line and column for syntax errors), NotAnIri,
        NoAcceptableFormat, and TooLarge when the serialisation passes the store's max_bytes.
        """
        union, default_graph, named_graphs = _dataset_options(query, dataset)
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
        try:
            substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in (iris or {}).items()}
        except ValueError as exc:
            raise NotAnIri(str(exc)) from None
        try:
            results = self._store.query(
                query,
                substitutions=substitutions,
                use_default_graph_as_union=union,
                default_graph=default_graph,
                named_graphs=named_graphs,
            )
        except SyntaxError as exc:
            raise QueryError(syntax_message(str(exc))) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(str(exc)) from None
        sink = _CappedBuffer(self._max_bytes)
        error: Exception | None = None
        try:
            media_type, triples = _serialise(results, accepts, sink)
        except (NoAcceptableFormat, TooLarge) as exc:
            # Its traceback holds frames that hold the results: raise it without them.
            error = exc.with_traceback(None)
        except (OSError, RuntimeError) as exc:  # evaluation is lazy: it fails here
            error = QueryError(str(exc))
        # The results are bound to this thread: drop them before the exception leaves.
        del results
        if error is not None:
            raise error from None
        return Answer(sink.getvalue(), media_type, triples)


def convert(text: str, base_iri: str, media_type: str) -> bytes:
    """Reserialise a Turtle document (relative IRIs resolved against base_iri) as media_type."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise NoAcceptableFormat(f"Cannot write RDF as {media_type!r}")
    try:
        triples = ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base_iri)
        return ox.serialize(triples, format=fmt) or b""
    except (SyntaxError, ValueError) as exc:
        raise NotAnIri(str(exc)) from None


def syntax_message(engine_message: str) -> str:
    """pyoxigraph's "error at 1:6: expected [_]" as a sentence naming line and column."""
    found = _SYNTAX.match(engine_message)
    if found is None:
        return f"Syntax error: {engine_message}"
    line, column, detail = found.groups()
    return f"Syntax error at line {line}, column {column}: {detail}"


def _dataset_options(
    query: str, dataset: Dataset | None
) -> tuple[bool, list[Graph] | None, list[Named] | None]:
    """Whether the default graph is the union, and the default and named graphs if chosen."""
    # The protocol's graph parameters override FROM; pyoxigraph's union option would in turn
    # override FROM, so it is set only when the query names no dataset itself.
    try:
        if dataset and (dataset.default_graph_uris or dataset.named_graph_uris):
            return (
                False,
                [ox.NamedNode(iri) for iri in dataset.default_graph_uris],
                [ox.NamedNode(iri) for iri in dataset.named_graph_uris],
            )
    except ValueError as exc:
        raise NotAnIri(f"A graph IRI is not valid: {exc}") from None
    return not guard.outline(query).names_dataset, None, None


def _serialise(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    accepts: Accepts,
    sink: _CappedBuffer,
) -> tuple[str, int | None]:
    if isinstance(results, ox.QueryTriples):
        rdf_format = ox.RdfFormat.from_media_type(accepts.graph or "")
        if rdf_format is None:
            raise NoAcceptableFormat(_refusal("graph", GRAPH))
        counter = _Counter(results)
        ox.serialize(counter, sink, rdf_format)
        return rdf_format.media_type, counter.count
    if isinstance(results, ox.QueryBoolean):
        media_type, offers, kind = accepts.boolean or accepts.solutions, BOOLEAN, "boolean"
    else:
        media_type, offers, kind = accepts.solutions, SOLUTIONS, "solutions"
    results_format = ox.QueryResultsFormat.from_media_type(media_type or "")
    if results_format is None:
        raise NoAcceptableFormat(_refusal(kind, offers))
    results.serialize(sink, results_format)
    return results_format.media_type, None


def _refusal(kind: str, offers: tuple[str, ...]) -> str:
    return f"This query's result is {kind}; ask for one of {', '.join(offers)}"


class _Counter:
    """Passes triples through and counts them, so a graph answer knows its size."""

    def __init__(self, triples: Iterator[ox.Triple]) -> None:
        self._triples = triples
        self.count = 0

    def __iter__(self) -> Iterator[ox.Triple]:
        for triple in self._triples:
            self.count += 1
            yield triple


class _CappedBuffer(io.BytesIO):
    """A byte buffer that raises TooLarge past its cap, which also stops a lazy evaluation."""

    def __init__(self, cap: int | None) -> None:
        super().__init__()
        self._cap = cap

    def write(self, data: ReadableBuffer, /) -> int:
        written = super().write(data)
        if self._cap is not None and self.tell() > self._cap:
            raise TooLarge(
                f"The result is larger than {self._cap} bytes, this service's limit; "
                "narrow the query or add a LIMIT"
            )
        return written
