"""A Backend over HTTP to any SPARQL 1.1 query endpoint, and pushing files to a Graph Store.

Queries go to the remote as the SPARQL 1.1 Protocol says (POST form, Accept naming the formats the
client takes); its answers come back as they are, and its refusals become aluekg.errors. A remote
that cannot be reached, or answers with a 5xx, is an operator's problem, not the user's: that is
RemoteStoreError, an OSError, which the web layer answers with a bare 500.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from http.client import HTTPResponse
from pathlib import Path

from aluekg import syntax
from aluekg.errors import (
    DataError,
    NoAcceptableFormat,
    NotAnIri,
    QueryError,
    QueryTimeout,
    RequestRefused,
    TooLarge,
)
from aluekg.query import guard, store
from aluekg.query.backend import Accepts, Answer, Dataset

# A remote's error text is shown to the user; a long one is cut, as a stack trace would be noise.
MESSAGE_LIMIT = 500
# How long a data version is trusted before the remote is asked again (one COUNT query).
VERSION_TTL = 5.0
VERSION_QUERY = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?graph { ?s ?p ?o } }"
GRAPHS_QUERY = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { } }"
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


class RemoteStoreError(OSError):
    """The remote store failed or is unreachable: not the user's fault, so not an AluekgError."""


class RemoteStore:
    """Backend answering from a SPARQL 1.1 query endpoint (Oxigraph server, Fuseki, QLever…).

    The remote's default graph should be the union of its named graphs, as the embedded store's
    is (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`).
    """

    def __init__(self, url: str, timeout: float = 30.0, max_bytes: int | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._version: tuple[float, str] | None = None
        self._graphs: tuple[str, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def answer(
        self,
        query: str,
        accepts: Accepts,
        dataset: Dataset | None = None,
        iris: dict[str, str] | None = None,
    ) -> Answer:
        """Ask the remote; QueryError, NoAcceptableFormat, TooLarge, QueryTimeout if it refuses."""
        wanted = (accepts.solutions, accepts.boolean, accepts.graph)
        offers = list(dict.fromkeys(CANONICAL.get(t, t) for t in wanted if t))
        if not offers:
            raise NoAcceptableFormat("The client accepts no format for a query's results")
        graph_fields = _dataset_fields(query, dataset)
        self._refuse_unknown_graphs(query, [graph for _, graph in graph_fields])
        fields = [("query", with_bindings(query, iris or {})), *graph_fields]
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
            raise RemoteStoreError(f"{self.url} answered {media_type!r}, not one of {offers}")
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

    def _refuse_unknown_graphs(self, query: str, named: Sequence[str]) -> None:
        """RequestRefused for a graph the remote does not hold, as the embedded store does: a
        store that fetches unknown graphs from the web would otherwise fetch what a client names."""
        outline = guard.outline(query)
        wanted = {*named, *outline.from_graphs, *outline.from_named_graphs}
        if not wanted:
            return
        version = self.version
        if self._graphs is None or self._graphs[0] != version:
            _, body = self._exchange(self._select(GRAPHS_QUERY))
            self._graphs = (version, frozenset(body.decode("utf-8").splitlines()[1:]))
        for graph in sorted(wanted - self._graphs[1]):
            raise RequestRefused(
                f"FROM {graph} is refused: only graphs in this store can be named, "
                "and it has no such graph"
            )

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
            if isinstance(exc.reason, TimeoutError):
                raise self._timeout() from None
            raise RemoteStoreError(f"Cannot reach the store at {self.url}: {exc.reason}") from None
        except TimeoutError:
            raise self._timeout() from None

    def _timeout(self) -> QueryTimeout:
        # Closing the connection is all a client can do; the remote's own limit (Oxigraph:
        # --timeout-s) is what stops its work.
        return QueryTimeout(f"The query ran past the time limit of {self.timeout:g} s")

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
            raise RemoteStoreError(
                f"The store sent {media_type} that does not parse: {exc}"
            ) from None


def connect(url: str, timeout: float = 30.0, max_bytes: int | None = None) -> RemoteStore:
    """A Backend for the SPARQL query endpoint at url (http or https); NotAnIri otherwise."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise NotAnIri(f"The store URL must be an http or https URL, not {url!r}")
    return RemoteStore(url, timeout=timeout, max_bytes=max_bytes)


def push_files(graph_store_url: str, files: Sequence[Path], root: Path) -> int:
    """Push each file into its own named graph, named as the embedded store names it.

    Returns how many files were pushed; DataError names the first that could not be read or
    that the store refused. Quad files (TriG, N-Quads) keep their own graphs. A file with
    relative IRIs goes with them resolved against its file: IRI, as `aluekg serve` resolves them,
    not left to the store (Oxigraph server would resolve them against the graph's name).
    """
    for path in files:
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror}") from None
        body, media_type = syntax.absolute(
            body, syntax.media_type_of(path), str(path), syntax.base_of(path)
        )
        push(graph_store_url, store.graph_name(path, root), body, media_type)
    return len(files)


def push(
    graph_store_url: str, graph: str, body: bytes, media_type: str, timeout: float = 60.0
) -> None:
    """Replace one named graph at a Graph Store Protocol endpoint (HTTP PUT ?graph=…).

    A dataset format has graphs of its own, which PUT to one graph cannot hold; it is POSTed to
    the store itself, which Oxigraph and Fuseki read as adding to the dataset.
    """
    is_dataset = media_type in ("application/trig", "application/n-quads")
    separator = "&" if "?" in graph_store_url else "?"
    target = graph_store_url + separator + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(
        graph_store_url if is_dataset else target,
        data=body,
        headers={"Content-Type": media_type},
        method="POST" if is_dataset else "PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return
    except urllib.error.HTTPError as exc:
        message = _message(exc) or exc.reason
        raise DataError(f"{graph_store_url} refused <{graph}> ({exc.code}): {message}") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else "timed out"
        raise DataError(f"Cannot reach the graph store at {graph_store_url}: {reason}") from None


def with_bindings(query: str, iris: dict[str, str]) -> str:
    """query with a trailing VALUES clause binding each variable to its IRI.

    The protocol has no way to send bindings, so this is the one place values enter query text;
    each IRI is checked against the IRIREF grammar first, so it cannot end the <…> it sits in.
    """
    if not iris:
        return query
    for name, iri in iris.items():
        if not VARIABLE.fullmatch(name):
            raise QueryError(f"Not a SPARQL variable name: {name!r}")
        if not IRI.fullmatch(iri):
            raise NotAnIri(f"Not an IRI: {iri!r}")
    names = " ".join(f"?{name}" for name in iris)
    values = " ".join(f"<{iri}>" for iri in iris.values())
    return f"{query}\nVALUES ({names}) {{ ({values}) }}\n"


def _dataset_fields(query: str, dataset: Dataset | None) -> list[tuple[str, str]]:
    """The protocol's graph parameters: the client's, else the query's own FROM and FROM NAMED.

    The remote's default graph is the union of its graphs, and Oxigraph's union option wins over
    FROM; the protocol's parameters win over both, and naming the query's own graphs in them
    means the same (SPARQL 1.1 Protocol §2.1.4), so the answer is the embedded store's.
    """
    if dataset and (dataset.default_graph_uris or dataset.named_graph_uris):
        default, named = dataset.default_graph_uris, dataset.named_graph_uris
    else:
        outline = guard.outline(query)
        default, named = outline.from_graphs, outline.from_named_graphs
    return [("default-graph-uri", uri) for uri in default] + [
        ("named-graph-uri", uri) for uri in named
    ]


def _refusal(exc: urllib.error.HTTPError, url: str) -> Exception:
    message = _message(exc)
    if exc.code == 406:
        return NoAcceptableFormat(message or "The store has no format the client accepts")
    if exc.code == 413:
        return TooLarge(message or "The query is too large for the store")
    if exc.code in (503, 504) and "timeout" in message.lower():
        return QueryTimeout(message)
    if 400 <= exc.code < 500:
        # Oxigraph's "error at 1:6: …", worded as the embedded store words it.
        if SYNTAX.match(message):
            return QueryError(store.syntax_message(message))
        return QueryError(message or f"The store refused the query ({exc.code})")
    return RemoteStoreError(f"The store at {url} failed ({exc.code}): {message}")


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()
