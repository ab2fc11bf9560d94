"""Every way a request to the SPARQL service can be wrong: its status and its plain-text message."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from aluekg import errors
from aluekg.web.problems import status_for
from tests.sparql_service import REGIONS_GRAPH, service

SELECT = "SELECT ?s WHERE { ?s a ?type }"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with service(workers=0, cache=False, max_request_bytes=10_000) as built:
        yield TestClient(built.app)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"),
    [
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": "SELECT * WHERE {\n ?s ?p }"}},
            400,
            "Syntax error at line 2, column 9: expected one of",
            id="syntax error",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": [("query", SELECT), ("query", SELECT)]},
            400,
            "Give exactly one 'query' parameter, not 2",
            id="two queries",
        ),
        pytest.param(
            "POST",
            "/sparql?query=ASK%7B%7D",
            {"data": {"query": SELECT}},
            400,
            "Give exactly one 'query' parameter, not 2",
            id="a query in the URL and one in the form",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": "SELECT * WHERE {"}, "headers": {"if-none-match": "*"}},
            400,
            "Syntax error at line 1, column 17",
            id="If-None-Match * does not hide a syntax error",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {"data": {"named-graph-uri": REGIONS_GRAPH}},
            400,
            "Give exactly one 'query' parameter, not 0",
            id="form without query",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {"content": SELECT, "headers": {"content-type": "text/plain"}},
            415,
            "POST a query as application/sparql-query or as an "
            "application/x-www-form-urlencoded form, not as 'text/plain'",
            id="content type",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": SELECT}, "headers": {"accept": "image/png"}},
            406,
            "Can answer only as application/sparql-results+json",
            id="no format",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {
                "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                "headers": {"accept": "text/csv"},
            },
            406,
            "This query's result is graph; ask for one of text/turtle",
            id="no graph format",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": SELECT}, "headers": {"accept": "nonsense"}},
            400,
            "Malformed Accept header: 'nonsense'",
            id="malformed accept",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {"content": b"\xff", "headers": {"content-type": FORM}},
            400,
            "The request body is not UTF-8",
            id="not utf-8",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {"data": {"update": "DROP ALL"}},
            403,
            "This service is read-only: SPARQL updates are refused",
            id="update form",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {"content": "DROP ALL", "headers": {"content-type": "application/sparql-update"}},
            403,
            "This service is read-only: SPARQL updates are refused",
            id="update body",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": "INSERT DATA { <x:a> <x:b> <x:c> }"}},
            403,
            "This service is read-only: SPARQL updates are refused",
            id="update as query",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {
                "content": "LOAD <http://127.0.0.1:9/x>",
                "headers": {"content-type": "application/sparql-query"},
            },
            403,
            "This service is read-only: SPARQL updates are refused",
            id="load",
        ),
        pytest.param(
            "GET",
            "/favicon.ico",
            {},
            404,
            "Nothing at /favicon.ico: the service answers at / (the index), /search, /id/…, "
            "/sparql, /api/ and /validate",
            id="unknown address",
        ),
        pytest.param(
            "POST",
            "/update",
            {"data": {"update": "DROP ALL"}},
            403,
            "This service is read-only: it takes no SPARQL updates or uploads (at /update)",
            id="update elsewhere",
        ),
        pytest.param(
            "PUT",
            "/sparql",
            {"content": "<x:a> <x:b> <x:c> ."},
            403,
            "This service is read-only: it takes no SPARQL updates or uploads (at /sparql)",
            id="graph store put",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}},
            403,
            "SERVICE http://127.0.0.1:9/sparql is refused: this service calls only the "
            "endpoints on its allowlist (none)",
            id="service",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": 'DEFINE get:soft "replace" ASK FROM <http://127.0.0.1:9/g> {}'}},
            400,
            "DEFINE is not SPARQL 1.1: this service takes standard SPARQL only",
            id="a store's pragma",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            "Send the body as UTF-8, not as utf-16",
            id="not utf-8 by its charset",
        ),
        pytest.param(
            "POST",
            "/sparql",
            {
                "content": "SELECT * {} #" + "x" * 10_000,
                "headers": {"content-type": "application/sparql-query"},
            },
            413,
            "The request is larger than this service's limit of 10000 bytes",
            id="request size",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": "ASK {} #" + "x" * 10_000}},
            413,
            "The URL's query string is larger than this service's limit of 10000 bytes",
            id="long get",
        ),
        pytest.param(
            "GET",
            "/sparql",
            {"params": {"query": SELECT, "format": "png"}},
            400,
            "Unknown format 'png'",
            id="unknown format",
        ),
    ],
)
def test_error_status_and_message(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, object],
    status: int,
    message: str,
) -> None:
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith(message), response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        pytest.param("/sparql", "application/sparql-query", id="query"),
        pytest.param("/validate", "text/turtle", id="upload"),
    ],
)
def test_a_compressed_body_is_refused_with_the_codings_taken(
    client: TestClient, path: str, content_type: str
) -> None:
    body = gzip.compress(SELECT.encode())
    headers = {"content-type": content_type, "content-encoding": "gzip"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 415
    assert response.headers["accept-encoding"] == "identity"
    assert response.text == (
        "This service reads request bodies as they are sent, without a content coding: send "
        "the body uncompressed, without Content-Encoding: gzip\n"
    )


def test_content_encoding_identity_is_no_coding(client: TestClient) -> None:
    headers = {"content-type": "application/sparql-query", "content-encoding": "identity"}
    assert client.post("/sparql", content=SELECT, headers=headers).status_code == 200


@pytest.mark.parametrize(
    "cls",
    [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type)
        and issubclass(cls, errors.AluekgError)
        and cls not in (errors.AluekgError, errors.ConfigError, errors.DataError)
    ],
    ids=lambda cls: cls.__name__,
)
def test_every_request_error_has_a_status_of_its_own(cls: type[errors.AluekgError]) -> None:
    # 503 for a timeout or a query process that died: the query may be answered another time;
    # 502 and 504 for a remote store's failure, the gateway statuses; every other one is 4xx.
    assert 400 <= status_for(cls("x")) < 500 or (cls, status_for(cls("x"))) in (
        (errors.QueryTimeout, 503),
        (errors.Unavailable, 503),
        (errors.StoreFailed, 502),
        (errors.StoreTimedOut, 504),
    )


def test_the_root_is_the_index_page_linking_to_the_query_page(client: TestClient) -> None:
    # Issue 8: the front door is the dataset's index page, even over data without a description.
    response = client.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/sparql"' in response.text
