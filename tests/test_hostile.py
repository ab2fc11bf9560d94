"""Hostile input, everywhere: Schemathesis over every OpenAPI document the service serves and
over one of our own for /sparql and /validate, Hypothesis on /validate and the pages, and
clients that send slowly, send too much or send nonsense. Never a 5xx, never a traceback, and
the service answers normally afterwards. Fixed seeds, bounded examples."""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.schemas import OpenApiSchema

from aluekg.config import Settings
from aluekg.operations.server import HEAD_BYTES
from tests.operations_service import VALIDATION, address, closed_by_server, live
from tests.sparql_service import EX, service

OWN_SCHEMA = Path(__file__).parent / "fixtures" / "openapi" / "service.json"
READ_TIMEOUT = 1.0
ASK = f"ASK {{ <{EX}programme-1> ?p ?o }}"
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[str, Settings]]:
    # /validate checks uploads against the small validation fixtures, so each takes milliseconds.
    changes: dict[str, object] = {
        f"{part}_dir": VALIDATION / part for part in ("ontology", "data", "shapes")
    }
    changes |= {"workers": 1, "query_timeout": 10.0, "read_timeout": READ_TIMEOUT}
    changes |= {"validate_max_bytes": 100_000, "max_request_bytes": 100_000, "fair_share": 0.0}
    with service(**changes) as built:
        chosen = dataclasses.replace(built.app.state.settings, read_timeout=READ_TIMEOUT)
        with live(built.app, chosen) as url:
            yield url, chosen


def assert_sound(response: httpx2.Response | schemathesis.Response) -> None:
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text


def schemas(url: str) -> list[OpenApiSchema]:
    """Ours, and the one the service serves at /openapi.json, if it serves one."""
    found = [schemathesis.openapi.from_dict(json.loads(OWN_SCHEMA.read_text(encoding="utf-8")))]
    served = httpx2.get(url + "/openapi.json")
    if served.status_code == 200:
        found.append(schemathesis.openapi.from_dict(served.json()))
    return found


def test_schemathesis_finds_no_server_error(running: tuple[str, Settings]) -> None:
    url, _ = running
    for schema in schemas(url):
        cases = st.one_of(
            schema.as_strategy(schemathesis.GenerationMode.POSITIVE),
            schema.as_strategy(schemathesis.GenerationMode.NEGATIVE),
        )

        @settings(FUZZ, max_examples=25)
        @given(case=cases)
        def call(case: schemathesis.Case[Any]) -> None:
            assert_sound(case.call(base_url=url, timeout=30))

        call()


PAGES = [
    "/",
    "/sparql",
    "/validate",
    "/health",
    "/metrics",
    "/static/yasgui/yasgui.min.js",
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/nothing",
    "/validate/",
    "//sparql",
]
text = st.text(max_size=40)


@FUZZ
@given(
    path=st.one_of(st.sampled_from(PAGES), text.map(lambda t: "/" + t)),
    params=st.lists(st.tuples(st.sampled_from(["lang", "query", "format", "x"]), text), max_size=3),
    accept=st.sampled_from(["text/html", "*/*", "application/json", "x", ";;", ""]),
)
def test_pages_answer_any_get_soundly(
    running: tuple[str, Settings], path: str, params: list[tuple[str, str]], accept: str
) -> None:
    url, _ = running
    # A path that is not a path at all is the client library's to refuse, not ours.
    try:
        response = httpx2.get(url + path, params=tuple(params), headers={"accept": accept})
    except httpx2.InvalidURL:
        return
    assert_sound(response)


TURTLE = (
    b"@prefix ex: <https://example.org/ns#> .\n<https://example.org/plan/x> a ex:RegionalPlan .\n"
)


@FUZZ
@given(
    content_type=st.sampled_from(
        [
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "text/plain",
            "",
        ]
    ),
    body=st.one_of(
        st.binary(max_size=300),
        st.just(TURTLE),
        st.builds(lambda cut: TURTLE[:cut], st.integers(0, len(TURTLE))),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    lang=st.one_of(st.none(), st.sampled_from(["fi", "en", "sv", ""]), text),
    accept=st.sampled_from(["application/json", "text/turtle", "text/html", "*/*", "x/y"]),
)
def test_validate_answers_any_upload_soundly(
    running: tuple[str, Settings], content_type: str, body: bytes, lang: str | None, accept: str
) -> None:
    url, _ = running
    params = {"lang": lang} if lang is not None else {}
    headers = {"content-type": content_type, "accept": accept}
    response = httpx2.post(url + "/validate", params=params, headers=headers, content=body)
    assert_sound(response)


def test_a_slow_loris_is_cut_off_and_others_are_served(running: tuple[str, Settings]) -> None:
    url, _ = running
    with (
        socket.create_connection(address(url)) as slow,
        socket.create_connection(address(url)) as dribble,
    ):
        # One never finishes its head; another sends a head and then only part of its body.
        slow.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
        dribble.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        assert httpx2.get(url + "/sparql", params={"query": ASK}).status_code == 200
        assert closed_by_server(slow) == b""
        assert closed_by_server(dribble) == b""
    assert httpx2.get(url + "/sparql", params={"query": ASK}).json()["boolean"] is True


def test_oversized_head_and_bodies_are_refused(running: tuple[str, Settings]) -> None:
    url, chosen = running
    with socket.create_connection(address(url)) as client:
        client.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (HEAD_BYTES + 1))
        assert closed_by_server(client).startswith(b"HTTP/1.1 431 ")
    big_query = httpx2.post(
        url + "/sparql",
        content=b"#" * (chosen.max_request_bytes + 1),
        headers={"content-type": "application/sparql-query"},
    )
    assert big_query.status_code == 413
    big_upload = httpx2.post(
        url + "/validate",
        content=b"#" * (chosen.validate_max_bytes + 1),
        headers={"content-type": "text/turtle"},
    )
    assert big_upload.status_code == 413
    # A body larger than it said it would be, and garbage where a request should be.
    with socket.create_connection(address(url)) as client:
        client.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not HTTP at all\r\n\r\n")
        assert closed_by_server(client).startswith(b"HTTP/1.1 400 ")
    assert httpx2.get(url + "/sparql", params={"query": ASK}).json()["boolean"] is True


def test_a_client_answered_before_its_body_still_has_the_read_deadline(
    running: tuple[str, Settings],
) -> None:
    url, _ = running
    with socket.create_connection(address(url)) as client:
        # Refused on its head (a write), then its one byte of body, then a head never finished.
        client.sendall(b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n")
        client.settimeout(10)
        assert client.recv(65536).startswith(b"HTTP/1.1 403 ")
        client.sendall(b"x")
        client.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
        assert closed_by_server(client) == b""


def test_trailers_count_against_the_head_limit(running: tuple[str, Settings]) -> None:
    url, _ = running
    with socket.create_connection(address(url)) as client:
        client.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n0\r\n" + b"a: b\r\n" * HEAD_BYTES
        )
        assert b"HTTP/1.1 431 " in closed_by_server(client)
    assert httpx2.get(url + "/sparql", params={"query": ASK}).json()["boolean"] is True


def test_a_pipelined_request_longer_than_the_read_deadline_is_answered() -> None:
    # The second query runs until the query limit (2 s), past the read deadline (1 s): it was
    # read whole with the first, so only the query limit applies to it.
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(10))
    endless = f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}"
    changes: dict[str, object] = {"workers": 1, "query_timeout": 2.0, "fair_share": 0.0}
    with service(**changes) as built:
        chosen = dataclasses.replace(built.app.state.settings, read_timeout=READ_TIMEOUT)
        with live(built.app, chosen) as url, socket.create_connection(address(url)) as client:
            query = ("/sparql?query=" + quote(endless)).encode()
            client.sendall(
                b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET " + query + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            received = closed_by_server(client)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b"HTTP/1.1 503 " in received


def test_a_head_too_large_is_refused_whole_or_after_a_pipelined_request(
    running: tuple[str, Settings], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = running
    big = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (HEAD_BYTES + 1) + b"\r\n\r\n"
    small = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    for sent in (big, small + big):
        with socket.create_connection(address(url)) as client:
            client.sendall(sent)
            received = closed_by_server(client)
        assert b"HTTP/1.1 431 " in received
        assert b"larger than this service's limit of 16384 bytes" in received
    # The 431 says what was wrong; no warning of an invalid request is logged beside it.
    assert not [r for r in caplog.records if "Invalid HTTP request" in r.getMessage()]
    assert httpx2.get(url + "/sparql", params={"query": ASK}).json()["boolean"] is True
