"""The SPARQL 1.1 Protocol at /sparql, through the app (in-process store, no workers)."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from urllib.parse import quote
from xml.etree import ElementTree

import pyoxigraph
import pytest
from starlette.testclient import TestClient

from tests.sparql_service import EX, PROGRAMMES_GRAPH, REGIONS_GRAPH, service

SELECT = "SELECT ?s WHERE { ?s a ?type }"
PROGRAMMES = {EX + "programme-1", EX + "programme-2"}
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with service(workers=0, cache=False, max_request_bytes=10_000) as built:
        yield TestClient(built.app)


def subjects(body: bytes) -> set[str]:
    rows = json.loads(body)["results"]["bindings"]
    return {row["s"]["value"] for row in rows}


def test_get_answers_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert subjects(response.content) == PROGRAMMES


def test_post_form_answers(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": SELECT})
    assert subjects(response.content) == PROGRAMMES


def test_post_query_body_answers(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=SELECT, headers={"content-type": "application/sparql-query"}
    )
    assert subjects(response.content) == PROGRAMMES


def test_a_query_body_saved_with_a_byte_order_mark_answers(client: TestClient) -> None:
    body = "\ufeff".encode() + SELECT.encode()
    headers = {"content-type": "application/sparql-query; charset=utf-8"}
    response = client.post("/sparql", content=body, headers=headers)
    assert subjects(response.content) == PROGRAMMES


def test_form_post_is_decoded_once(client: TestClient) -> None:
    query = 'SELECT ?x WHERE { BIND("50%25" AS ?x) }'
    response = client.post(
        "/sparql", content="query=" + quote(query), headers={"content-type": FORM}
    )
    assert json.loads(response.content)["results"]["bindings"][0]["x"]["value"] == "50%25"


def test_dataset_parameters_choose_the_graphs(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "SELECT ?s { ?s ?p ?o }", "default-graph-uri": REGIONS_GRAPH},
    )
    assert subjects(response.content) == {EX + "region-08"}


def test_named_graph_parameter_in_a_form(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        data={"query": "SELECT ?s { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": PROGRAMMES_GRAPH},
    )
    assert subjects(response.content) == PROGRAMMES


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"query": "SELECT ?s FROM <http://127.0.0.1:9/g> { ?s ?p ?o }"}, id="FROM"),
        pytest.param(
            {"query": "SELECT ?s FROM NAMED <http://127.0.0.1:9/g> { GRAPH ?g { ?s ?p ?o } }"},
            id="FROM NAMED",
        ),
        pytest.param(
            {"query": "SELECT ?s { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/g"},
            id="default-graph-uri",
        ),
        pytest.param(
            {
                "query": "SELECT ?s { GRAPH ?g { ?s ?p ?o } }",
                "named-graph-uri": "http://127.0.0.1:9/g",
            },
            id="named-graph-uri",
        ),
    ],
)
def test_a_graph_the_store_lacks_is_an_empty_graph(
    client: TestClient, params: dict[str, str]
) -> None:
    """SPARQL 1.1 Protocol, as the W3C protocol tests read it: an answer, not a refusal."""
    response = client.get("/sparql", params=params)
    assert response.status_code == 200
    assert subjects(response.content) == set()


def test_a_graph_the_store_lacks_adds_nothing_to_one_it_has(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params=[
            ("query", "SELECT ?s { ?s ?p ?o }"),
            ("default-graph-uri", REGIONS_GRAPH),
            ("default-graph-uri", "http://127.0.0.1:9/g"),
        ],
    )
    assert subjects(response.content) == {EX + "region-08"}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        pytest.param(None, "text/turtle", id="no preference: turtle"),
        pytest.param("application/n-triples", "application/n-triples", id="n-triples"),
        pytest.param("application/ld+json", "application/ld+json", id="json-ld"),
        pytest.param("application/rdf+xml", "application/rdf+xml", id="rdf/xml"),
        pytest.param("text/turtle;q=0.1, application/ld+json;q=0.9", "application/ld+json", id="q"),
    ],
)
def test_construct_in_each_graph_format(
    client: TestClient, accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    query = f"CONSTRUCT WHERE {{ <{EX}region-08> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.headers["content-type"].partition(";")[0] == media_type
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    objects = {str(triple.object) for triple in pyoxigraph.parse(response.content, fmt)}
    assert objects == {'"Kymenlaakso"@fi', '"08"'}


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        pytest.param("json", "application/sparql-results+json", id="json"),
        pytest.param("xml", "application/sparql-results+xml", id="xml"),
        pytest.param("csv", "text/csv", id="csv"),
        pytest.param("tsv", "text/tab-separated-values", id="tsv"),
    ],
)
def test_format_parameter_beats_accept(client: TestClient, fmt: str, media_type: str) -> None:
    response = client.get(
        "/sparql", params={"query": SELECT, "format": fmt}, headers={"accept": "text/turtle"}
    )
    assert response.headers["content-type"].partition(";")[0] == media_type


def test_answers_vary_by_accept_and_carry_an_etag(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT})
    assert "Accept" in response.headers["vary"]
    again = client.get(
        "/sparql", params={"query": SELECT}, headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    other = client.get(
        "/sparql",
        params={"query": SELECT},
        headers={"if-none-match": response.headers["etag"], "accept": "text/csv"},
    )
    assert other.status_code == 200


def test_large_answers_are_gzipped(client: TestClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": "SELECT * { ?s ?p ?o }", "format": "xml"},
        headers={"accept-encoding": "gzip"},
    )
    assert response.headers["content-encoding"] == "gzip"
    # httpx2 has decompressed it already (test_http_live reads the raw bytes).
    assert b"<sparql" in response.content


def test_cors_preflight_allows_any_origin(client: TestClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "origin": "https://yasgui.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_on_answers_and_errors(client: TestClient) -> None:
    origin = {"origin": "https://yasgui.example"}
    for params in ({"query": SELECT}, {"query": "SELECT"}):
        response = client.get("/sparql", params=params, headers=origin)
        assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        pytest.param(None, "text/turtle", id="turtle by default"),
        pytest.param("application/ld+json", "application/ld+json", id="json-ld"),
    ],
)
def test_get_without_query_describes_the_service(
    client: TestClient, accept: str | None, media_type: str
) -> None:
    response = client.get("/sparql", headers={"accept": accept} if accept else {})
    assert response.headers["content-type"].partition(";")[0] == media_type
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {
        str(t.object)
        for t in pyoxigraph.parse(response.content, fmt, base_iri="http://testserver/")
        if t.predicate.value == sd + "endpoint"
    }
    assert endpoints == {"<http://testserver/sparql>"}


def declared(body: bytes, media_type: str) -> dict[str, str]:
    """The prefixes a Turtle or RDF/XML document declares."""
    if media_type == "text/turtle":
        parsed = pyoxigraph.parse(body, pyoxigraph.RdfFormat.TURTLE, base_iri="http://x/")
        list(parsed)
        return dict(parsed.prefixes)
    events = ElementTree.iterparse(io.BytesIO(body), events=("start-ns",))
    # rdf: and its: (for text direction) are the RDF/XML writer's own.
    return {prefix: iri for _, (prefix, iri) in events if prefix not in ("rdf", "its")}


@pytest.mark.parametrize("media_type", ["text/turtle", "application/rdf+xml"])
def test_the_description_declares_its_prefixes(client: TestClient, media_type: str) -> None:
    response = client.get("/sparql", headers={"accept": media_type})
    assert declared(response.content, media_type) == {
        "dcterms": "http://purl.org/dc/terms/",
        "formats": "http://www.w3.org/ns/formats/",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
    }
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    assert len(list(pyoxigraph.parse(response.content, fmt, base_iri="http://x/"))) == 18


def test_browser_without_query_gets_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_lazy_failure_over_a_worker_thread_is_clean(client: TestClient) -> None:
    """An evaluation error raised while serialising leaves no result to drop on another thread."""
    port = closed_port()
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    with service(workers=0, cache=False, service_allowlist=(f"http://127.0.0.1:{port}/",)) as built:
        response = TestClient(built.app).post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    """The protocol leaves the base IRI to the service (W3C protocol test
    query_content_type_construct sends `CONSTRUCT { <s> <p> 1 } WHERE {}`)."""
    response = client.get("/sparql", params={"query": "SELECT ?s { BIND(<thing> AS ?s) }"})
    assert subjects(response.content) == {"http://testserver/thing"}
