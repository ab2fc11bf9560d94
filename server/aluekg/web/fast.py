"""The fast path of /sparql: its queries go straight to the endpoint's own functions (web.sparql),
without FastAPI's routing, dependencies and exception layers, and a query asked again is answered
with the bytes, headers and ETag the endpoint gave the first time, kept in the answer cache.

A pure ASGI middleware, innermost of the app's, so that every middleware added around it (CORS,
gzip, access logs) sees these answers as it sees any other; errors become responses through the
app's own exception handlers. Anything else (the service description, the query page, other
paths, a body over the limit) goes on to the app unchanged. It sits inside aluekg.operations'
middleware, so that these answers are logged, counted and budgeted as any other, and it answers
from the generation of the data that middleware pinned the request to (web.deps), so that a
reload never mixes two versions in one request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aluekg.query.cache import AnswerCache
from aluekg.web import sparql
from aluekg.web.deps import ServiceOptions, backend_of, options_of

# The protocol's POST bodies whose bytes, with the URL's query string, are the whole request.
BODIES = (b"application/sparql-query", b"application/x-www-form-urlencoded")
# What else in a request can change the endpoint's answer (CORS and gzip are outside this path).
VARIES = (b"accept", b"content-type")
# web.sparql's routes by method (this path takes GET and POST only).
ROUTES = {
    method: route
    for route in sparql.router.routes
    for method in getattr(route, "methods", ())
    if getattr(route, "path", None) == "/sparql"
}


@dataclass(frozen=True)
class Kept:
    """A 200 answer of /sparql as it was sent: status line headers, body, ETag."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str


class SparqlFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        headers = dict(scope["headers"])
        body = await _body(scope, headers, receive, options_of(scope))
        if body is None:
            await self.app(scope, receive, send)
            return
        # The route, as FastAPI's routing would set it: the operations middleware labels the
        # request's metrics with its path.
        scope["route"] = ROUTES[scope["method"]]
        cache = backend_of(scope)
        if isinstance(cache, AnswerCache):
            key = (
                "sparql",
                cache.version,
                scope["method"],
                scope["query_string"],
                body,
                tuple((name, value) for name, value in scope["headers"] if name in VARIES),
            )
            kept = cache.recall(key)
            if isinstance(kept, Kept):
                await _send(kept, headers.get(b"if-none-match"), send)
                return
            send = _keeping(cache, key, send)
        request = Request(scope, _replay(body, receive))
        response = await _respond(app, request)
        await response(scope, receive, send)


async def _respond(app: Any, request: Request) -> Response:
    """What the endpoint answers, errors through the app's handlers (as its routes would)."""
    endpoint = sparql.sparql_get if request.method == "GET" else sparql.sparql_post
    try:
        return await endpoint(request)
    except Exception as exc:
        for cls in type(exc).__mro__:
            handler = app.exception_handlers.get(cls)
            if handler is not None:
                response: Response = await handler(request, exc)
                return response
        raise


async def _body(
    scope: Scope, headers: dict[bytes, bytes], receive: Receive, options: ServiceOptions
) -> bytes | None:
    """The body of a query this path can look up (b"" for GET), or None for any other request.

    Only a body whose declared length is within the limit is read, so the endpoint still
    refuses the others with its own message.
    """
    if scope["method"] == "GET":
        return b"" if b"query=" in scope["query_string"] else None
    content_type = headers.get(b"content-type", b"").partition(b";")[0].strip().lower()
    declared = headers.get(b"content-length", b"")
    if scope["method"] != "POST" or content_type not in BODIES or not declared.isdigit():
        return None
    if int(declared) > options.max_request_bytes:
        return None
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _send(kept: Kept, if_none_match: bytes | None, send: Send) -> None:
    if sparql._matches(if_none_match.decode("latin-1") if if_none_match else None, kept.etag):
        not_modified = [(name, value) for name, value in kept.headers if name in (b"etag", b"vary")]
        await send({"type": "http.response.start", "status": 304, "headers": not_modified})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
    await send({"type": "http.response.body", "body": kept.body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the client sends next (a disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _keeping(cache: AnswerCache, key: tuple[object, ...], send: Send) -> Send:
    """send, keeping a 200 answer that has an ETag once its last byte has gone."""
    headers: list[tuple[bytes, bytes]] | None = None
    chunks: list[bytes] = []

    async def keeping(message: Message) -> None:
        nonlocal headers
        if message["type"] == "http.response.start" and message["status"] == 200:
            headers = [(bytes(name), bytes(value)) for name, value in message["headers"]]
        elif message["type"] == "http.response.body" and headers is not None:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                etag = dict(headers).get(b"etag")
                # Weak tags mark answers that vary between asks (the service description).
                if etag is not None and not etag.startswith(b"W/"):
                    body = b"".join(chunks)
                    cache.keep(key, Kept(headers, body, etag.decode("latin-1")), len(body))
        await send(message)

    return keeping
