"""The one per-request middleware (pure ASGI, so it adds no task or thread per request): it
refuses a client over its budget of query time (429), pins the request to the generation of data
current when it arrived, and once the response is sent charges the client, counts the request in
the metrics and writes one access-log line.

The log line is JSON with the method, path (without its query string), status, milliseconds,
client and a hash of the request's query string and body, never their text: queries may carry
what their authors would not publish.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aluekg.errors import QueryTimeout
from aluekg.operations.fairness import Budget
from aluekg.operations.generations import PINNED, Generation, Generations
from aluekg.operations.metrics import Metrics

access_log = logging.getLogger("aluekg.access")

# Addresses for machines, not people: never refused, never pinned to data.
OPERATIONAL = frozenset({"/health", "/metrics"})
# Where problems.py leaves the error a request ended with (to count timeouts).
ERROR = "aluekg.error"


@dataclass(frozen=True)
class Operations:
    """What the middleware and the /health and /metrics routes share, kept on app.state."""

    generations: Generations
    metrics: Metrics
    budget: Budget
    # A header a trusted proxy sets to the client's address (None: the peer address counts).
    client_header: bytes | None = None
    # How long a request waits for the first data to load before it is answered 503.
    loading_wait: float = 30.0


class AccessMiddleware:
    def __init__(self, app: ASGIApp, operations: Operations) -> None:
        self.app = app
        self.ops = operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope["path"]
        client = self._client(scope)
        operational = path in OPERATIONAL
        digest = hashlib.blake2b(scope.get("query_string", b""), digest_size=8)
        status = 500

        async def hashing_receive() -> Message:
            message = await receive()
            digest.update(message.get("body", b""))
            return message

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        generation: Generation | None = None
        try:
            wait = 0 if operational else self.ops.budget.retry_after(client)
            if wait:
                status = 429
                self.ops.metrics.refused.inc()
                await _refuse(send, wait, self.ops.budget)
                return
            if not operational:
                generation = await self._pin()
                if generation is None:
                    status = 503
                    await _plain(send, 503, "The data is still loading; try again soon", 5)
                    return
                scope[PINNED] = generation
            await self.app(scope, hashing_receive, recording_send)
        except ClientDisconnect:
            # Gone before its request was read whole (or cut off by the read deadline): nobody
            # to answer, and nothing for the error log. 499 as nginx logs it.
            status = 499
        finally:
            if generation is not None:
                generation.in_flight -= 1
            seconds = time.perf_counter() - started
            self._account(scope, client, status, seconds, operational, digest.hexdigest())

    def _client(self, scope: Scope) -> str:
        header = self.ops.client_header
        if header is not None:
            name: bytes
            value: bytes
            for name, value in scope["headers"]:
                if name == header:
                    # The proxy appends the address it saw: the last entry is what it vouches for.
                    return value.decode("latin-1").rpartition(",")[2].strip()
        peer = scope.get("client")
        return str(peer[0]) if peer else "-"

    async def _pin(self) -> Generation | None:
        """The current generation, counted as in use; None if none has loaded in time."""
        generations = self.ops.generations
        deadline = time.monotonic() + self.ops.loading_wait
        while True:
            generation = generations.current
            if generation is None:
                if time.monotonic() > deadline:
                    return None
                await asyncio.sleep(0.05)
                continue
            generation.in_flight += 1
            # A reload may have swapped it between the two lines above; its drain could then
            # have missed this request, so take the new one.
            if generations.current is generation:
                return generation
            generation.in_flight -= 1

    def _account(
        self, scope: Scope, client: str, status: int, seconds: float, operational: bool, query: str
    ) -> None:
        if not operational:
            self.ops.budget.charge(client, seconds)
        route = getattr(scope.get("route"), "path", None) or (
            "/static" if scope["path"].startswith("/static/") else "other"
        )
        self.ops.metrics.observe(route, status, seconds)
        if isinstance(scope.get(ERROR), QueryTimeout):
            self.ops.metrics.timeouts.inc()
        if access_log.isEnabledFor(logging.INFO):
            line = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "ms": round(seconds * 1000, 1),
                "client": client,
                "query": query,
            }
            access_log.info(json.dumps(line, ensure_ascii=False))


async def _refuse(send: Send, wait: int, budget: Budget) -> None:
    await _plain(
        send,
        429,
        f"This client has used its share of the service's time ({budget.share:g} s in any "
        f"{budget.window:g} s); try again in {wait} s",
        wait,
    )


async def _plain(send: Send, status: int, text: str, retry_after: int) -> None:
    body = (text + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
        # Answered before the CORS middleware: a browser may read why.
        (b"access-control-allow-origin", b"*"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
