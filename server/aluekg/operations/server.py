"""The HTTP server `aluekg serve` runs: uvicorn with limits a public endpoint needs.

- A client must send each request's head and body within read_timeout s, else its connection is
  closed: uvicorn itself waits forever for a head sent a byte at a time (slow-loris).
- A request head (line and headers, or a chunked body's trailers) past HEAD_BYTES is a 431, as
  is a head still incomplete after that many bytes: llhttp sets no limit of its own.
- The client's address is the peer's, not one a header claims (see Settings.client_header).
- A request asking to switch protocols (Upgrade, as `curl --http2` sends) is answered in
  HTTP/1.1, as RFC 9110 §7.8 allows: llhttp would take its body and everything after it for the
  new protocol, and uvicorn would drop them (a POSTed query arrived empty).
- What uvicorn writes in one turn of the event loop (a response's head, then its body) leaves in
  one system call: two sends to a loopback client were a third of the server's CPU for a small
  answer (bench/README.md).
- On SIGTERM uvicorn stops listening, lets the requests in flight finish (for at most the
  longest time one may take), then exits; aluekg's own access log replaces uvicorn's.

The protocol is uvicorn's httptools one (llhttp, in C): h11, in Python, cost a cached answer
about twice the server's CPU (bench/README.md).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from typing import Any, cast

import httptools
import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from aluekg.config import Settings

HEAD_BYTES = 16 * 1024


class _ReadDeadline(HttpToolsProtocol):
    """httptools as uvicorn speaks it, plus a deadline for reading each request and a limit on
    the size of its head."""

    read_timeout = 60.0
    _deadline: asyncio.TimerHandle | None = None
    # Bytes received since the last request was read whole; None while its body is read.
    _head: int | None = 0
    _trailers = 0
    # Bytes of the current request's line and headers as parsed.
    _parsed = 0
    # The method, target, HTTP version and headers of a request whose Upgrade is ignored: read
    # again without it once llhttp stops at it (_without_upgrade).
    _upgrading: tuple[bytes, bytes, str, list[tuple[bytes, bytes]]] | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(cast(asyncio.Transport, _Coalescing(transport, self.loop)))
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._head is not None:
            self._head += len(data)
        self._parse(data)
        # Checked after parsing: the same read may also hold the end of the head and a body.
        too_large = (self._head or 0) > HEAD_BYTES or self._trailers > HEAD_BYTES
        if too_large and not self.transport.is_closing():
            self._refuse_head()

    def _parse(self, data: bytes) -> None:
        """uvicorn's data_received, but a request that asks to switch protocols is read on."""
        self._unset_keepalive_if_required()
        # A loop over views of data, not a call deeper and a copy per request: one read may
        # hold a thousand pipelined requests that ask to switch protocols.
        rest = memoryview(data)
        try:
            while True:
                try:
                    self.parser.feed_data(rest)
                    return
                except httptools.HttpParserUpgrade as upgrade:
                    # CONNECT (a tunnel; llhttp always stops after it) is answered, and what
                    # follows it is not read: no HTTP request can follow a tunnel.
                    if self._upgrading is None:
                        return
                    rest = rest[upgrade.args[0] :]
                    self._without_upgrade()
        except httptools.HttpParserError:
            if self.transport.is_closing():
                return  # the head was refused with a 431 (_count), which says what was wrong
            message = "Invalid HTTP request received."
            self.logger.warning(message)
            self.send_400_response(message)

    def _without_upgrade(self) -> None:
        """A new parser, fed the head of the request llhttp stopped at without its Upgrade: what
        follows it (its body, and any request pipelined after it) is fed to it next."""
        assert self._upgrading is not None, "set when its head was read"
        method, target, version, headers = self._upgrading
        self._upgrading = None
        # Its headers are read again as headers, not as trailers (on_header); its bytes were
        # counted against the limit as they arrived.
        self._head = 0
        kept = b"".join(name + b": " + value + b"\r\n" for name, value in _kept(headers))
        head = method + b" " + target + b" HTTP/" + version.encode() + b"\r\n" + kept + b"\r\n"
        # Made as uvicorn makes its own (HttpToolsProtocol.__init__).
        self.parser = httptools.HttpRequestParser(self)
        self.parser.set_dangerous_leniencies(lenient_data_after_close=True)
        # Without Upgrade, and without "upgrade" among the Connection options, llhttp reads it
        # through (HttpParserUpgrade from here would escape: it is no HttpParserError).
        self.parser.feed_data(head)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._parsed = 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._head is None:
            # A trailer (after a chunked body): counted against the same limit, and not added
            # to the request's headers, which the application has already read.
            self._trailers += len(name) + len(value)
            return
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        """Count part of a head llhttp has parsed: a head that arrives whole in one read, or
        after a pipelined request, is held to the limit too."""
        self._parsed += size
        if self._parsed > HEAD_BYTES:
            self._refuse_head()
            # Stops the parser (_parse then sends no 400 of its own).
            raise ValueError("request head too large")

    def on_headers_complete(self) -> None:
        self._head = None
        if self.parser.should_upgrade() and self.parser.get_method() != b"CONNECT":
            # llhttp ends this message here and stops; _without_upgrade reads it again.
            method, version = self.parser.get_method(), self.parser.get_http_version()
            self._upgrading = (method, self.url, version, self.headers)
            return
        super().on_headers_complete()
        if self.parser.get_method() == b"CONNECT":
            # What follows it is not read (_parse): the connection ends with its answer, rather
            # than leave a request sent with it unanswered, or read one sent after it as HTTP.
            self.cycle.keep_alive = False

    def on_message_complete(self) -> None:
        if self._upgrading is not None:
            return
        super().on_message_complete()
        self._head = 0
        self._trailers = 0
        self._deadline_for_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._deadline_for_state()

    def _deadline_for_state(self) -> None:
        # Armed while the connection waits for a request's bytes; not while a request read
        # whole (pipelined ones included) waits for its answer: that has the query's limit.
        answering = self._head == 0 and self.cycle is not None and not self.cycle.response_complete
        if answering:
            self._disarm()
        else:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _refuse_head(self) -> None:
        """431 (RFC 6585 §5), text/plain, and the connection closed: what is left of the head
        is not read."""
        body = f"The request's head is larger than this service's limit of {HEAD_BYTES} bytes\n"
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            + f"content-length: {len(body)}\r\n".encode()
            + b"connection: close\r\n\r\n"
            + body.encode()
        )
        self.transport.close()

    def _expire(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()


def _kept(headers: list[tuple[bytes, bytes]]) -> Iterator[tuple[bytes, bytes]]:
    """The headers of a request whose Upgrade is ignored: without it, and without "upgrade"
    among the Connection options (which would make llhttp stop again)."""
    for name, value in headers:
        if name == b"upgrade":
            continue
        if name == b"connection":
            options = [o.strip() for o in value.split(b",") if o.strip().lower() != b"upgrade"]
            if not options:
                continue
            value = b", ".join(options)
        yield name, value


class _Coalescing:
    """A connection's transport whose writes wait for the end of the event loop's turn and then
    go out together (writelines: under uvloop, which serve runs, one system call and no copy)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def _flush(self) -> None:
        if self._pending and not self._transport.is_closing():
            self._transport.writelines(self._pending)
        self._pending = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def server(
    app: Any, settings: Settings, log_level: str = "info", logs: bool = True
) -> uvicorn.Server:
    """A uvicorn server for app on settings.host and settings.port, not yet started.

    logs: set up the process's logging (uvicorn's, and aluekg's to stderr and stdout); tests
    that read the logs through pytest's caplog leave it as it is."""
    protocol = type("ReadDeadline", (_ReadDeadline,), {"read_timeout": settings.read_timeout})
    longest = max(settings.query_timeout, settings.validate_timeout) + settings.read_timeout
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=protocol,
        # No WebSocket either (none is installed): uvicorn would otherwise take a CONNECT with
        # "Upgrade: websocket" for one, and start no answer to it (on_headers_complete).
        ws="none",
        timeout_graceful_shutdown=int(longest) + 1,
        access_log=False,
        # uvicorn would otherwise take X-Forwarded-For from any local peer as the client's
        # address; Settings.client_header names the one header a trusted proxy sets.
        proxy_headers=False,
        log_level=log_level,
        log_config=_logging() if logs else None,
    )
    return uvicorn.Server(config)


def _logging() -> dict[str, Any]:
    """uvicorn's logging, plus aluekg's messages to stderr and its access lines to stdout."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["line"] = {"format": "%(message)s"}
    config["handlers"]["access_lines"] = {
        "formatter": "line",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["aluekg"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"]["aluekg.access"] = {
        "handlers": ["access_lines"],
        "level": "INFO",
        "propagate": False,
    }
    return config
