"""Property: whatever a client sends to /sparql, the answer is never a 5xx nor a traceback, and
the service answers normally afterwards (Hypothesis, over real HTTP, with worker processes)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sparql_service import EX, live, service

# Words and punctuation of SPARQL and its neighbours, and some troublemakers.
WORDS = """
    SELECT ASK CONSTRUCT DESCRIBE WHERE * { } ( ) . ; , ?s ?p ?o $x a < > # \\ % %25 + é 💥
    PREFIX ex: ex:thing BASE FROM NAMED SERVICE SILENT GRAPH OPTIONAL FILTER BIND AS ''' "
    COUNT LIMIT 1 -1 1e999 VALUES UNDEF INSERT DELETE DATA LOAD DROP ALL REGEX STR lang @fi ^^
"""
FRAGMENTS = [
    *re.findall(r"\S+", WORDS),
    "GROUP BY",
    "ORDER BY",
    "<https://example.org/programme-1>",
    "<http://127.0.0.1:9/sparql>",
    "<http://www.w3.org/2001/XMLSchema#gYear>",
    '"\\u0022"',
    "\n",
    "\x00",
]
queries = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=16).map(" ".join),
    st.text(max_size=60),
)
# What an HTTP client lets through: visible ASCII, no whitespace at either end.
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40
).map(str.strip)
accepts = st.one_of(
    st.sampled_from(
        [
            "*/*",
            "text/csv",
            "text/turtle;q=0",
            "application/ld+json",
            "text/html",
            "x",
            ";q=",
            "application/sparql-results+json;q=abc, */*;q=0.1",
            "",
        ]
    ),
    header_text,
)
content_types = st.one_of(
    st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded; charset=latin-1",
        ]
    ),
    header_text,
)
names = st.sampled_from(
    ["query", "query", "default-graph-uri", "named-graph-uri", "format", "update", "x"]
)
params = st.lists(st.tuples(names, st.one_of(queries, header_text)), max_size=4)
bodies = st.one_of(
    st.binary(max_size=200), queries.map(lambda text: text.encode("utf-8", "surrogatepass"))
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with service(workers=2, query_timeout=10) as built, live(built.app) as url:
        yield url


@pytest.fixture(scope="module")
def client() -> Iterator[httpx2.Client]:
    # One client for every example: a new one per request costs ~50 ms of TLS setup.
    with httpx2.Client(timeout=30) as client:
        yield client


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(["GET", "GET", "POST", "POST", "PUT", "DELETE", "OPTIONS", "HEAD"]),
    path=st.sampled_from(["/sparql", "/sparql", "/sparql/", "/update", "/", "/nothing"]),
    query_params=params,
    accept=accepts,
    content_type=content_types,
    if_none_match=st.one_of(st.none(), header_text),
    body=bodies,
)
def test_no_request_gets_a_server_error(
    url: str,
    client: httpx2.Client,
    method: str,
    path: str,
    query_params: list[tuple[str, str]],
    accept: str,
    content_type: str,
    if_none_match: str | None,
    body: bytes,
) -> None:
    headers = {"accept": accept, "content-type": content_type, "origin": "https://example.org"}
    if if_none_match is not None:
        headers["if-none-match"] = if_none_match
    response = client.request(
        method,
        url + path,
        params=tuple(query_params),
        headers=headers,
        content=body if method in ("POST", "PUT") else None,
    )
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text


def test_service_answers_normally_after_the_fuzzing(url: str) -> None:
    response = httpx2.get(url + "/sparql", params={"query": f"ASK {{ <{EX}programme-1> ?p ?o }}"})
    assert response.status_code == 200
    assert json.loads(response.content)["boolean"] is True
