"""The W3C SPARQL 1.1 Protocol tests (tests/w3c/sparql11/protocol, see tests/w3c/README.md), each
request sent as the manifest writes it to a real server on loopback serving the tests' data.

The service is read-only by design: it offers the query operation and not the update operation
(its service description names sd:SPARQL11Query alone), which the protocol allows, and refuses an
update with 403 and a message. READ_ONLY says, test by test, what it answers instead of what the
manifest expects of a service that offers update; every other test must pass as written.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from tests.sparql_service import live, service

SUITE = Path(__file__).parent / "w3c" / "sparql11" / "protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
# What each expected format admits (the manifest's comment and the protocol's §2.1.6).
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
REFUSED = "This service is read-only"

# Tests whose update request the read-only service refuses, and why the answer is right for it.
# Each update gets 403 with the message above; the ASK that follows then answers false, as nothing
# was written (the manifest expects true from a service that has run the update).
READ_ONLY = {
    "update_dataset_default_graph": "update with using-graph-uri: refused, the ASK is false",
    "update_dataset_default_graphs": "update with two using-graph-uri: refused, the ASK is false",
    "update_dataset_named_graphs": "update with using-named-graph-uri: refused, the ASK is false",
    "update_dataset_full": "update with both dataset parameters: refused, the ASK is false",
    "update_post_form": "update as a form (CLEAR ALL): refused",
    "update_post_direct": "update as application/sparql-update (CLEAR ALL): refused",
    "update_base_uri": "update with a relative IRI: refused, the ASK is false",
}
# These expect a 4xx for a malformed update and pass as written; the 4xx they get is the refusal
# of every update (403, or 415 for a body not in UTF-8), not a check of what was malformed.
REFUSED_BEFORE_READ = {
    "bad_update_get",
    "bad_multiple_updates",
    "bad_update_wrong_media_type",
    "bad_update_missing_form_type",
    "bad_update_non_utf8",
    "bad_update_syntax",
    "bad_update_dataset_conflict",
}


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    media_types: frozenset[str] | None
    boolean: bool | None


def manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    (entries,) = graph.objects(None, MF.entries)
    return graph, [rdflib.URIRef(str(entry)) for entry in Collection(graph, entries)]


GRAPH, ENTRIES = manifest()


def name(test: rdflib.URIRef) -> str:
    return test.split("#")[-1]


def exchanges(test: rdflib.URIRef) -> list[Exchange]:
    """The test's requests in order, each with the answer the manifest expects."""
    action = GRAPH.value(test, MF.action)
    found = []
    requests = GRAPH.value(action, HT.requests)
    assert requests is not None, test
    for request in Collection(GRAPH, requests):
        headers = {}
        for header in Collection(GRAPH, GRAPH.value(request, HT.headers) or rdflib.RDF.nil):
            headers[str(GRAPH.value(header, HT.fieldName))] = str(
                GRAPH.value(header, HT.fieldValue)
            )
        content = GRAPH.value(request, HT.body)
        body = None
        if content is not None:
            encoding = str(GRAPH.value(content, CNT.characterEncoding))
            body = str(GRAPH.value(content, CNT.chars)).encode(encoding)
        response = GRAPH.value(request, HT.resp)
        statuses = frozenset(
            int(str(code).removeprefix(HTS)[0])
            for code in GRAPH.objects(response, MF.expectedStatus)
        )
        expected_format = GRAPH.value(response, MF.expectedFormat)
        boolean = GRAPH.value(response, MF.expectedBoolean)
        found.append(
            Exchange(
                method=str(GRAPH.value(request, HT.methodName)),
                # The manifest's "/sparql/" stands for the endpoint under test.
                path="/sparql"
                + str(GRAPH.value(request, HT.absolutePath)).removeprefix("/sparql/"),
                headers=headers,
                body=body,
                statuses=statuses,
                media_types=frozenset(FORMATS[str(expected_format)]) if expected_format else None,
                boolean=bool(boolean.toPython()) if isinstance(boolean, rdflib.Literal) else None,
            )
        )
    return found


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server over the tests' data, each file in the named graph its label names."""
    quads = []
    for data in set(GRAPH.objects(None, UT.graphData)):
        graph = ox.NamedNode(str(GRAPH.value(data, rdflib.RDFS.label)))
        path = SUITE / str(GRAPH.value(data, UT.graph)).rsplit("/", 1)[-1]
        for triple in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    dataset = tmp_path_factory.mktemp("protocol") / "protocol.nq"
    ox.serialize(sorted(set(quads), key=str), dataset, ox.RdfFormat.N_QUADS)
    with service(data_files=(dataset,), workers=1, cache=False) as built, live(built.app) as url:
        yield url


def send(url: str, exchange: Exchange) -> tuple[int, str, bytes]:
    """The exchange's request exactly as written (no header added but Host and Content-Length)."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.request(exchange.method, exchange.path, exchange.body, exchange.headers)
        response = connection.getresponse()
        media_type = response.headers.get("content-type", "").partition(";")[0].strip()
        return response.status, media_type, response.read()
    finally:
        connection.close()


def boolean_of(media_type: str, body: bytes) -> bool:
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None, media_type
    result = ox.parse_query_results(body, results_format)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def test_the_manifest_has_every_test() -> None:
    """The copy is whole: 34 tests, each of them run below."""
    assert len(ENTRIES) == 34
    assert set(READ_ONLY) | REFUSED_BEFORE_READ <= {name(test) for test in ENTRIES}


@pytest.mark.parametrize("test", ENTRIES, ids=name)
def test_w3c_protocol(endpoint: str, test: rdflib.URIRef) -> None:
    read_only = name(test) in READ_ONLY
    for i, exchange in enumerate(exchanges(test)):
        status, media_type, body = send(endpoint, exchange)
        if read_only and i == 0:
            # The update: refused, with a message that says so.
            assert exchange.statuses == {2, 3}
            assert (status, media_type) == (403, "text/plain")
            assert body.decode().startswith(REFUSED)
            continue
        assert status // 100 in exchange.statuses, (status, body)
        if exchange.media_types is not None:
            assert media_type in exchange.media_types
        if exchange.boolean is not None:
            # After a refused update, nothing was written: the ASK is false.
            assert boolean_of(media_type, body) is (exchange.boolean and not read_only)
        if status >= 400:
            assert media_type == "text/plain"
            assert b"Traceback" not in body
