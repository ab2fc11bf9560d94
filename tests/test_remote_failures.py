"""A remote store that fails is not the user's fault: a 502 naming the store, or a 504 when it
does not take the request in time, with a text/plain message; never a bare 500."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_remote_backends import COUNT, ask, served
from tests.virtuoso import free_port


class _Failing(BaseHTTPRequestHandler):
    status = 500

    def do_POST(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"the disk is full")

    def log_message(self, format: str, *args: object) -> None:
        pass


class _GatewayTimeout(_Failing):
    status = 504


@contextmanager
def failing_store(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


def test_a_store_that_cannot_be_reached_is_a_502_naming_it() -> None:
    store_url = f"http://127.0.0.1:{free_port()}/query"
    with served(store_url) as url:
        response = ask(url, [("query", COUNT)], "")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith(f"Cannot reach the store at {store_url}: ")


@pytest.mark.parametrize(
    ("handler", "status", "message"),
    [
        pytest.param(_Failing, 502, "failed (500): the disk is full", id="500"),
        pytest.param(_GatewayTimeout, 504, "timed out (504): the disk is full", id="504"),
    ],
)
def test_a_store_that_fails_is_a_gateway_error_naming_it(
    handler: type[BaseHTTPRequestHandler], status: int, message: str
) -> None:
    with failing_store(handler) as store_url, served(store_url) as url:
        response = ask(url, [("query", COUNT)], "")
    assert response.status_code == status
    assert response.text == f"The store at {store_url} {message}\n"


def test_a_store_that_takes_no_connection_in_time_is_a_504_naming_it() -> None:
    """A listener whose backlog is full: the connection is never taken, so it times out."""
    with socket_with_full_backlog() as store_url, served(store_url, timeout=0.5) as url:
        response = ask(url, [("query", COUNT)], "")
    assert response.status_code == 504
    assert response.text == (f"The store at {store_url} did not take the request within 0.5 s\n")


@contextmanager
def socket_with_full_backlog() -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    for _ in range(2):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(address)
        fillers.append(filler)
    try:
        yield f"http://{address[0]}:{address[1]}/query"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
