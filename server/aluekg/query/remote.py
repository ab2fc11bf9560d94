"""A Backend over HTTP to any SPARQL 1.1 query endpoint (aluekg.query.loading fills one).

Queries go to the remote as the SPARQL 1.1 Protocol says (POST form, Accept naming the formats the
client takes); its answers come back as they are, and its refusals become aluekg.errors. A remote
that cannot be reached, or answers with a 5xx, is an operator's problem, not the user's: that is
StoreFailed (502), or StoreTimedOut (504) when it does not take the request in time. A query that
runs past the time limit once the remote has it is QueryTimeout (503), as on the embedded store.

Each query names its dataset explicitly, so that every remote answers as the embedded store does
whatever its own default graph is (Oxigraph's is empty unless `--union-default-graph`, Virtuoso's
is every graph it holds, its system graphs included): the default graph is the UNION graph that
`aluekg load` writes, and the named graphs are the files' graphs, which it lists in CATALOG.
One union graph rather than every file's graph named as the default graph: Oxigraph answers the
mix of queries/ about ten times slower over 31 default graphs than over one. Its costs: the remote
holds each triple twice, a blank node in the union is a copy of the one in its file's graph, and
a triple in two files is once in the union where the embedded store counts it twice (neither
happens in this repository's data). A store not filled by `aluekg load` has no catalog: then every
graph it has is named, as the default graph and as the named graphs.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from http.client import HTTPResponse

from aluekg import syntax
from aluekg.errors import (
    DataError,
    NoAcceptableFormat,
    NotAnIri,
    QueryError,
    QueryTimeout,
    StoreFailed,
    StoreTimedOut,
    TooLarge,
)
from aluekg.query import documents, guard, store
from aluekg.query.backend import Accepts, Answer, Dataset, LiteralValue

# A remote's error text is shown to the user; a long one is cut, as a stack trace would be noise.
MESSAGE_LIMIT = 500
# How long a data version is trusted before the remote is asked again (one COUNT query).
VERSION_TTL = 5.0
VERSION_QUERY = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?graph { ?s ?p ?o } }"
GRAPHS_QUERY = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }"
# The graphs `aluekg load` writes besides the files' own (see store.UNION), and the query that
# reads the catalog (its IRI written out, as no query text is built by formatting).
UNION, CATALOG = store.UNION, store.CATALOG
CATALOG_QUERY = """SELECT ?graph WHERE {
  GRAPH <https://w3id.org/aluekg/graph/#catalog> {
    <https://w3id.org/aluekg/graph/#catalog> <http://purl.org/dc/terms/hasPart> ?graph
  }
}"""
# Named in a dataset that would otherwise name no default graph, or no named graph (see _fields):
# a graph no store holds, so an empty one. A URN names nothing to fetch.
EMPTY_GRAPH = "urn:aluekg:empty-graph"
# RDF 1.1 IRIREF: no spaces, controls or <>"{}|^`\ — so a bound IRI cannot break out of <…>.
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SYNTAX = re.compile(r"error at \d+:\d+: ")
# Oxigraph server (0.5.13) streams its answer with 200 OK, so when its --timeout-s stops a query
# the status has gone: it ends the body with this message instead.
CANCELLED = b"The SPARQL operation has been cancelled"


# Aliases the web layer accepts (aluekg.query.formats), as the canonical types the embedded store
# answers with; the remote is asked for and answers with the canonical one.
CANONICAL = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
}


JSON_RESULTS = "application/sparql-results+json"
TSV = "text/tab-separated-values"
# What the remote is asked for, for each type the client takes.
ASKED = {**CANONICAL, TSV: JSON_RESULTS}


class RemoteStore:
    """Backend answering from a SPARQL 1.1 query endpoint (Oxigraph server, Virtuoso, Fuseki…).

    Whatever the remote's default graph is, each query names its dataset (see the module's
    docstring), so the remote needs no setting of its own.
    """

    def __init__(self, url: str, timeout: float = 30.0, max_bytes: int | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._version: tuple[float, str] | None = None
        self._lists: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
        literals: dict[str, LiteralValue] | None = None,
    ) -> Answer:
        """Ask the remote; QueryError, NoAcceptableFormat, TooLarge, QueryTimeout if it refuses."""
        wanted = (accepts.solutions, accepts.boolean, accepts.graph)
        # Virtuoso 7 writes a TSV of its own (IRIs quoted as strings, no "?" in the header), so
        # TSV is asked for as JSON and written here by the engine, as the embedded store does.
        offers = list(dict.fromkeys(ASKED.get(t, t) for t in wanted if t))
        if not offers:
            raise NoAcceptableFormat("The client accepts no format for a query's results")
        fields = [
            ("query", with_bindings(query, iris or {}, literals)),
            *self._dataset_fields(query, dataset),
        ]
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": ", ".join(offers),
            },
            method="POST",
        )
        content_type, body = self._exchange(request)
        if body.endswith(CANCELLED):
            raise QueryTimeout("The store stopped the query at its time limit")
        media_type = _media_type(content_type)
        if media_type not in offers:
            raise StoreFailed(
                f"The store at {self.url} answered {media_type!r}, not one of {offers}"
            )
        if guard.outline(query).form == "ASK":
            # Virtuoso 7 answers ASK as a solution; the boolean it stands for is what was asked.
            boolean = documents.boolean_of_solutions(body, media_type)
            if boolean is not None:
                return Answer(boolean, media_type)
        if media_type == JSON_RESULTS and accepts.solutions == TSV:
            written = documents.tsv_of_solutions(body)
            if written is not None:
                return Answer(written, TSV)
        # Graph and results media types never overlap, so the type says which kind came back.
        if accepts.graph and media_type == CANONICAL.get(accepts.graph, accepts.graph):
            return Answer(body, media_type, triples=self._count(body, media_type))
        # The remote's own Content-Type, parameters and all (CSV and TSV name their charset).
        return Answer(body, content_type)

    @property
    def version(self) -> str:
        """A tag of the remote data, refreshed at most every VERSION_TTL seconds.

        It changes when the number of quads does; a graph replaced by one of the same size keeps
        the tag, which is the price of not hashing the whole store on every request.
        """
        with self._lock:
            now = time.monotonic()
            if self._version is None or now - self._version[0] > VERSION_TTL:
                _, body = self._exchange(self._select(VERSION_QUERY))
                tag = hashlib.sha256(self.url.encode() + b"\n" + body).hexdigest()[:16]
                self._version = (now, tag)
            return self._version[1]

    def _dataset_fields(self, query: str, dataset: Dataset | None) -> list[tuple[str, str]]:
        """The protocol's graph parameters naming the dataset the embedded store would use.

        The client's parameters, else the query's own FROM and FROM NAMED (the parameters win
        over FROM, and naming the query's own graphs in them means the same, SPARQL 1.1 Protocol
        §2.1.4), else the UNION graph and the graphs CATALOG lists (see the module's docstring).
        A named graph that is not one of the files' is left out, as an empty graph adds nothing,
        and a remote that fetches unknown graphs from the web is never told a client's URL.
        """
        default_graphs, named_graphs = self._dataset()
        if dataset and (dataset.default_graph_uris or dataset.named_graph_uris):
            default, named = dataset.default_graph_uris, dataset.named_graph_uris
        else:
            outline = guard.outline(query)
            if not outline.names_dataset:
                return _fields(default_graphs, named_graphs)
            default, named = outline.from_graphs, outline.from_named_graphs
        for graph in (*default, *named):
            if not IRI.fullmatch(graph):
                raise NotAnIri(f"A graph IRI is not valid: {graph!r}")
        # A graph a client names may only be one of the files' graphs: any other (the UNION
        # graph, Virtuoso's system graphs) is as absent as it is from the embedded store.
        known = set(named_graphs)
        return _fields([g for g in default if g in known], [g for g in named if g in known])

    def _dataset(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The default and named graphs: UNION and the catalog's, else every graph."""
        listed = self._graphs_of(CATALOG_QUERY)
        if listed:
            return (UNION,), listed
        every = self._graphs_of(GRAPHS_QUERY)
        return every, every

    def _graphs_of(self, query: str) -> tuple[str, ...]:
        """The graph IRIs a SELECT ?graph query answers, asked again when the version changes."""
        version = self.version
        with self._lock:
            cached = self._lists.get(query)
            if cached is not None and cached[0] == version:
                return cached[1]
        _, body = self._exchange(self._select(query))
        rows = csv.reader(io.StringIO(body.decode("utf-8")))
        graphs = tuple(sorted({row[0] for row in list(rows)[1:] if row}))
        with self._lock:
            self._lists[query] = (version, graphs)
        return graphs

    def _select(self, query: str) -> urllib.request.Request:
        return urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
            method="POST",
        )

    def _exchange(self, request: urllib.request.Request) -> tuple[str, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                assert isinstance(response, HTTPResponse)
                return response.headers.get("Content-Type", ""), self._read(response)
        except urllib.error.HTTPError as exc:
            raise _refusal(exc, self.url) from None
        except urllib.error.URLError as exc:
            # urllib wraps what fails before the request is sent: connecting, or sending.
            if isinstance(exc.reason, TimeoutError):
                raise StoreTimedOut(
                    f"The store at {self.url} did not take the request within {self.timeout:g} s"
                ) from None
            raise StoreFailed(f"Cannot reach the store at {self.url}: {exc.reason}") from None
        except TimeoutError:
            # The remote has the query and has not answered: the query's time limit, as on the
            # embedded store. Closing the connection is all a client can do; the remote's own
            # limit (Oxigraph: --timeout-s) is what stops its work.
            raise QueryTimeout(
                f"The query ran longer than this service's limit of {self.timeout:g} s"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            # A connection reset, or an answer cut short or not HTTP at all.
            raise StoreFailed(f"The store at {self.url} failed: {exc!r}") from None

    def _read(self, response: HTTPResponse) -> bytes:
        if self.max_bytes is None:
            return response.read()
        body = response.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise TooLarge(f"The result is larger than the limit of {self.max_bytes} bytes")
        return body

    def _count(self, body: bytes, media_type: str) -> int:
        try:
            return syntax.check(body, media_type, self.url)
        except DataError as exc:
            raise StoreFailed(
                f"The store at {self.url} sent {media_type} that does not parse: {exc}"
            ) from None


def connect(url: str, timeout: float = 30.0, max_bytes: int | None = None) -> RemoteStore:
    """A Backend for the SPARQL query endpoint at url (http or https); NotAnIri otherwise."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise NotAnIri(f"The store URL must be an http or https URL, not {url!r}")
    return RemoteStore(url, timeout=timeout, max_bytes=max_bytes)


def with_bindings(
    query: str, iris: dict[str, str], literals: dict[str, LiteralValue] | None = None
) -> str:
    """query with a VALUES block binding each variable to its IRI or literal, first in its WHERE
    group (as the README tells users to bind them): its FILTERs then see the values, as they see
    pyoxigraph's substitutions, and Virtuoso 7 does not join a trailing VALUES clause at all.

    The protocol has no way to send bindings, so this is the one place values enter query text;
    each IRI is checked against the IRIREF grammar first, so it cannot end the <…> it sits in,
    and literals are written by the engine's own term syntax (documents.term_syntax), escapes
    and all.
    """
    literals = literals or {}
    if not iris and not literals:
        return query
    for iri in iris.values():
        if not IRI.fullmatch(iri):
            raise NotAnIri(f"Not an IRI: {iri!r}")
    terms = {name: f"<{iri}>" for name, iri in iris.items()}
    terms |= {name: documents.term_syntax(literal=value) for name, value in literals.items()}
    for name in terms:
        if not VARIABLE.fullmatch(name):
            raise QueryError(f"Not a SPARQL variable name: {name!r}")
    names = " ".join(f"?{name}" for name in terms)
    values = " ".join(terms.values())
    opened = guard.where_group(query)
    if opened is None:
        raise QueryError("A query with bindings needs a WHERE group to bind them in")
    return f"{query[:opened]}\nVALUES ({names}) {{ ({values}) }}\n{query[opened:]}"


def _fields(default: Sequence[str], named: Sequence[str]) -> list[tuple[str, str]]:
    """The protocol's dataset parameters. An empty list names EMPTY_GRAPH: no parameter would
    mean the remote's own default graph, and Virtuoso 7 reads a dataset without named graphs as
    having every graph it holds as named graphs (the protocol: none)."""
    return [("default-graph-uri", uri) for uri in default or (EMPTY_GRAPH,)] + [
        ("named-graph-uri", uri) for uri in named or (EMPTY_GRAPH,)
    ]


def _refusal(exc: urllib.error.HTTPError, url: str) -> Exception:
    message = error_message(exc)
    if exc.code == 406:
        return NoAcceptableFormat(message or "The store has no format the client accepts")
    if exc.code == 413:
        return TooLarge(message or "The query is too large for the store")
    if exc.code in (503, 504) and "timeout" in message.lower():
        return QueryTimeout(message)
    if 400 <= exc.code < 500:
        # Oxigraph's "error at 1:6: …", worded as the embedded store words it.
        if SYNTAX.match(message):
            return QueryError(documents.syntax_message(message))
        return QueryError(message or f"The store refused the query ({exc.code})")
    if exc.code == 504:
        return StoreTimedOut(f"The store at {url} timed out ({exc.code}): {message}")
    return StoreFailed(f"The store at {url} failed ({exc.code}): {message}")


def error_message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()
