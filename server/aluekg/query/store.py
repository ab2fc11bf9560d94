"""The embedded pyoxigraph store: loads RDF files, each into a named graph named after the file,
and answers queries as serialised bytes. None of pyoxigraph's objects leaves this module
(STYLE §2.8); documents outside any store are query.documents'. Knows nothing of HTTP.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from aluekg import syntax
from aluekg.errors import DataError, NoAcceptableFormat, NotAnIri, QueryError, TooLarge
from aluekg.query import guard
from aluekg.query.backend import Accepts, Answer, Dataset, LiteralValue
from aluekg.query.documents import literal_term, syntax_message
from aluekg.query.formats import BOOLEAN, GRAPH, SOLUTIONS

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

# A file under the repository gets <GRAPH_BASE + its path relative to the repository>; any other
# file gets its file: IRI.
GRAPH_BASE = "https://w3id.org/aluekg/graph/"
# What `aluekg load` writes into a remote store besides each file's graph: the union of the files'
# triples, which answers as the default graph, and the catalog, which lists the files' graphs
# (catalog()). quote() in graph_name() escapes "#", so no file's graph can have either name.
UNION = GRAPH_BASE
CATALOG = GRAPH_BASE + "#catalog"
HAS_PART = "http://purl.org/dc/terms/hasPart"

Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Named = ox.NamedNode | ox.BlankNode


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


def catalog(graphs: Iterable[str]) -> bytes:
    """N-Triples saying that the CATALOG graph has each graph as a part (dcterms:hasPart)."""
    try:
        triples = [
            ox.Triple(ox.NamedNode(CATALOG), ox.NamedNode(HAS_PART), ox.NamedNode(graph))
            for graph in graphs
        ]
    except ValueError as exc:
        raise NotAnIri(f"A graph IRI is not valid: {exc}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


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
        # Every quad in order (key None) and each named graph's, for serialize(); made on its
        # first call.
        self._sorted: dict[str | None, list[ox.Quad]] | None = None

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
        self._sorted = None

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

    def union(self) -> bytes:
        """Every triple of every graph once, as N-Triples: the default graph, for a remote."""
        triples = {ox.Triple(quad.subject, quad.predicate, quad.object) for quad in self._store}
        return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b""

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
        literals: dict[str, LiteralValue] | None = None,
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
            substitutions |= {ox.Variable(k): literal_term(v) for k, v in (literals or {}).items()}
        except ValueError as exc:
            raise NotAnIri(str(exc)) from None
        try:
            results = self._store.query(
                query,
                substitutions=substitutions,
                use_default_graph_as_union=union,
                default_graph=default_graph,
                named_graphs=named_graphs,
                base_iri=dataset.base_iri if dataset else None,
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

    def serialize(
        self, media_type: str, graph: str | None = None, prefixes: dict[str, str] | None = None
    ) -> bytes:
        """The store's content as media_type, for dumps, with prefixes where the format has them.

        Without graph: every quad in a dataset format (N-Quads, TriG, JSON-LD), the triples of
        all graphs, each once, in a triple format. With graph: that named graph's triples, as
        quads naming it in a dataset format. NoAcceptableFormat for a type pyoxigraph cannot write.
        """
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise NoAcceptableFormat(f"Cannot write RDF as {media_type!r}")
        # Sorted once per load, so that the same data gives the same bytes however the store
        # was filled (the engine's order follows insertion), and Turtle groups each subject.
        if self._sorted is None:
            self._sorted = {None: sorted(self._store, key=_quad_key)}
            for quad in self._sorted[None]:
                if isinstance(quad.graph_name, ox.NamedNode):
                    self._sorted.setdefault(quad.graph_name.value, []).append(quad)
        quads = self._sorted.get(graph, [])
        if graph is not None:
            # Sorted by graph first, so one graph's triples are in order already.
            triples = [quad.triple for quad in quads]
        else:
            triples = sorted({quad.triple for quad in quads}, key=_triple_key)
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""


def _quad_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), *_triple_key(quad.triple))


def _triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


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
    return not _names_dataset(query), None, None


def _names_dataset(query: str) -> bool:
    # guard.outline remembers the outlines of short queries (popular queries come again, and
    # tokenising the mix's was a visible part of a worker's CPU); a long one is read again
    # rather than kept, which could hold a megabyte per query.
    return guard.outline(query).names_dataset


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
