"""A request that asks to switch protocols (Upgrade) is answered in HTTP/1.1 as if it had not
asked (RFC 9110 §7.8), by the server `aluekg serve` runs: its body and what follows it are read,
and nothing is logged. `curl --http2` asks so on every request to an http: address."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator

import pytest

from tests.operations_service import address, closed_by_server, live
from tests.sparql_service import EX, service

ASK = f"ASK {{ <{EX}programme-1> ?p ?o }}".encode()
# What curl 7.88 sends with --http2 to an http: address, before the body.
H2C = (
    b"Host: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
    b"HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"
)
QUERY = b"Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n"
HEALTH = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
LIMIT = 1000
UPGRADE = b"Connection: upgrade\r\nUpgrade: h2c\r\n"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with service(workers=1, max_request_bytes=LIMIT) as built, live(built.app) as address:
        yield address


def exchange(url: str, *parts: bytes) -> list[tuple[int, bytes]]:
    """Send parts one after another (a moment apart) on one connection; the status and body of
    each response until the server closes it."""
    with socket.create_connection(address(url)) as client:
        for part in parts:
            client.sendall(part)
            time.sleep(0.05)
        return responses(closed_by_server(client))


def responses(received: bytes) -> list[tuple[int, bytes]]:
    found = []
    while received:
        head, _, rest = received.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.lower().split(b": ", 1) for line in lines[1:])
        length = int(fields[b"content-length"])
        found.append((int(lines[0].split()[1]), rest[:length]))
        received = rest[length:]
    return found


def asked(body: bytes) -> bool:
    answer: bool = json.loads(body)["boolean"]
    return answer


def test_a_posted_query_that_asks_for_h2c_is_answered_and_so_is_the_next_request(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    length = b"Content-Length: %d\r\n" % len(ASK)
    post = b"POST /sparql HTTP/1.1\r\n" + H2C + QUERY + length + b"\r\n" + ASK
    with caplog.at_level(logging.INFO):
        (status, body), (health, _) = exchange(url, post + HEALTH)
    assert (status, asked(body), health) == (200, True, 200)
    assert not [r for r in caplog.records if "upgrade" in r.getMessage().lower()]


def test_the_body_may_follow_the_head_later(url: str) -> None:
    length = b"Content-Length: %d\r\n" % len(ASK)
    head = b"POST /sparql HTTP/1.1\r\n" + H2C + QUERY + length + b"Connection: close\r\n\r\n"
    [(status, body)] = exchange(url, head, ASK[:5], ASK[5:])
    assert (status, asked(body)) == (200, True)


def test_a_chunked_body_with_an_upgrade_is_read(url: str) -> None:
    chunked = b"Transfer-Encoding: chunked\r\n\r\n"
    body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(ASK), ASK)
    [(status, answer), (health, _)] = exchange(
        url, b"POST /sparql HTTP/1.1\r\n" + H2C + QUERY + chunked + body + HEALTH
    )
    assert (status, asked(answer), health) == (200, True, 200)


def test_a_websocket_upgrade_is_answered_in_http_1_1(url: str) -> None:
    websocket = (
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\n"
        b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    statuses = [status for status, _ in exchange(url, websocket + HEALTH)]
    assert statuses == [200, 200]


def test_connect_is_refused_and_the_connection_ends(url: str) -> None:
    [(status, body)] = exchange(url, b"CONNECT example.org:443 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert 400 <= status < 500, body


def test_many_pipelined_requests_with_an_upgrade_are_all_answered(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Read in one go: each was read again after the one before it, a call deeper, until
    # Python's recursion limit ended the connection unanswered with a traceback in the log.
    upgrade = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n"
    with caplog.at_level(logging.WARNING):
        statuses = [status for status, _ in exchange(url, upgrade * 1000 + HEALTH)]
    assert statuses == [200] * 1001
    assert not caplog.records


def test_a_connect_the_service_answers_ends_the_connection(url: str) -> None:
    # llhttp reads nothing after a CONNECT: a request sent with it went unanswered, on a
    # connection kept open, where one sent a moment later would be read as HTTP.
    with socket.create_connection(address(url)) as client:
        client.sendall(b"CONNECT /health HTTP/1.1\r\nHost: x\r\n\r\n" + HEALTH)
        received = closed_by_server(client)
    [(status, _)] = responses(received)
    assert 400 <= status < 500
    head = received.partition(b"\r\n\r\n")[0].lower().split(b"\r\n")
    assert b"connection: close" in head


@pytest.mark.parametrize(
    ("request_", "statuses"),
    [
        pytest.param(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n%s"
            + QUERY
            + b"Content-Length: %d\r\n\r\n" % (LIMIT + 1)
            + b"#" * (LIMIT + 1)
            + HEALTH,
            [413, 200],
            id="body over max_request_bytes",
        ),
        pytest.param(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n%s"
            + QUERY
            + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK\r\n0\r\n\r\n"
            + HEALTH,
            [400],
            id="chunk size not hex",
        ),
        # HTTP/1.0 and Connection: close end the connection after the first answer.
        pytest.param(b"GET /health HTTP/1.0\r\nHost: x\r\n%s\r\n" + HEALTH, [200], id="HTTP/1.0"),
        pytest.param(
            b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n" + HEALTH,
            [200],
            id="Connection: close",
        ),
    ],
)
def test_a_request_is_answered_as_it_would_be_without_its_upgrade(
    url: str, request_: bytes, statuses: list[int]
) -> None:
    for upgrade in (b"", UPGRADE):
        assert [status for status, _ in exchange(url, request_ % upgrade)] == statuses
