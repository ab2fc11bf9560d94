"""The service over real HTTP, as users' tools reach it: SPARQLWrapper and rdflib's SPARQLStore
against uvicorn on loopback, with worker processes and the answer cache as `aluekg serve` runs."""

from __future__ import annotations

import csv
import gzip
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.sparql_service import EX, live, service

SKOS = "http://www.w3.org/2004/02/skos/core#"
SELECT = f"SELECT ?s ?label WHERE {{ ?s a <{EX}Programme> ; <{SKOS}prefLabel> ?label }}"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{EX}region-08> ?p ?o }}"
ROWS = {
    (EX + "programme-1", "Kymenlaakson maakuntaohjelma"),
    (EX + "programme-1", "Kymenlaakso regional programme"),
    (EX + "programme-2", "Kaustisen seudun elinvoimaohjelma"),
}
REGION = {
    (f"<{EX}region-08>", "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"Kymenlaakso"@fi'),
    (f"<{EX}region-08>", "<http://www.w3.org/2004/02/skos/core#notation>", '"08"'),
}


def n3(triples: Iterable[tuple[Any, Any, Any]]) -> set[tuple[str, ...]]:
    """rdflib triples as N-Triples terms."""
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in triples}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with service() as built, live(built.app) as url:
        yield url + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> Any:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(endpoint: str, method: str) -> None:
    result = wrapper(endpoint, SELECT, JSON, method).convert()
    rows = {(b["s"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]}
    assert rows == ROWS


def test_sparqlwrapper_xml(endpoint: str) -> None:
    document = wrapper(endpoint, SELECT, XML).convert()
    rows = set()
    for result in document.getElementsByTagName("result"):
        cells = {
            b.getAttribute("name"): b.firstChild.firstChild.data
            for b in result.getElementsByTagName("binding")
        }
        rows.add((cells["s"], cells["label"]))
    assert rows == ROWS


@pytest.mark.parametrize(("fmt", "dialect"), [(CSV, "excel"), (TSV, "excel-tab")])
def test_sparqlwrapper_csv_and_tsv(endpoint: str, fmt: str, dialect: str) -> None:
    text = wrapper(endpoint, SELECT, fmt).convert().decode()
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if fmt == TSV:  # TSV writes terms in Turtle syntax
        found = {(r["?s"].strip("<>"), r["?label"].rpartition("@")[0].strip('"')) for r in rows}
    else:
        found = {(r["s"], r["label"]) for r in rows}
    assert found == ROWS


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_graph_formats(endpoint: str, fmt: str) -> None:
    result = wrapper(endpoint, CONSTRUCT, fmt)
    # Parsed here rather than by convert(), which builds a deprecated rdflib ConjunctiveGraph.
    media_type = result.info()["content-type"].partition(";")[0]
    with result.response as response:
        body = response.read()
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    parsed = pyoxigraph.parse(body, rdf_format)
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed} == REGION
    assert media_type == {TURTLE: "text/turtle", N3: "text/turtle"}.get(fmt, media_type)


def test_sparqlwrapper_ask(endpoint: str) -> None:
    assert (
        wrapper(endpoint, f"ASK {{ <{EX}programme-2> ?p ?o }}", JSON).convert()["boolean"] is True
    )


def test_rdflib_sparqlstore_select_ask_construct(endpoint: str) -> None:
    graph = rdflib.Graph(SPARQLStore(endpoint, returnFormat="xml"))
    assert {(str(s), str(label)) for s, label in graph.query(SELECT)} == ROWS  # type: ignore[misc]
    assert graph.query(f"ASK {{ <{EX}programme-1> ?p ?o }}").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None
    assert n3(constructed) == REGION


def test_rdflib_sparqlstore_triples(endpoint: str) -> None:
    graph = rdflib.Graph(SPARQLStore(endpoint))
    assert n3(graph.triples((rdflib.URIRef(EX + "region-08"), None, None))) == REGION


def test_gzip_and_cors_on_the_wire(endpoint: str) -> None:
    request = urllib.request.Request(
        endpoint + "?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"),
        headers={"Accept-Encoding": "gzip", "Origin": "https://example.org", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        text = gzip.decompress(response.read()).decode()
    assert set(text.splitlines()[0].split(",")) == {"s", "p", "o"}


def test_etag_gives_304_on_the_wire(endpoint: str) -> None:
    url = endpoint + "?query=" + urllib.parse.quote(SELECT)
    with urllib.request.urlopen(url) as response:
        etag = response.headers["ETag"]
        assert json.loads(response.read())["head"]["vars"] == ["s", "label"]
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    caught.value.close()
    assert caught.value.code == 304


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
)
def test_every_graph_format_on_the_wire(endpoint: str, media_type: str) -> None:
    request = urllib.request.Request(
        endpoint + "?query=" + urllib.parse.quote(CONSTRUCT), headers={"Accept": media_type}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].partition(";")[0] == media_type
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
        assert rdf_format is not None
        parsed = pyoxigraph.parse(response.read(), rdf_format)
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed} == REGION


@pytest.mark.parametrize(
    "media_type", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_in_json_and_xml_on_the_wire(endpoint: str, media_type: str) -> None:
    query = urllib.parse.quote(f"ASK {{ <{EX}programme-1> ?p ?o }}")
    request = urllib.request.Request(f"{endpoint}?query={query}", headers={"Accept": media_type})
    with urllib.request.urlopen(request) as response:
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
        assert results_format is not None
        parsed = pyoxigraph.parse_query_results(response.read(), results_format)
    assert isinstance(parsed, pyoxigraph.QueryBoolean)
    assert bool(parsed) is True
