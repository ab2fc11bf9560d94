"""Content codings (RFC 9110 §8.4): gzip only for clients that ask for it, and a request body in
a coding refused (415) rather than read as if it had none.

Starlette's GZipMiddleware wraps every response and reads its headers even when the client takes
no gzip, as most SPARQL clients do not ask for it, so it is called only for those that do.
Answers say that they vary by Accept-Encoding either way. Request bodies are read as sent: a
gzipped query would otherwise be refused as text that is not UTF-8, or an upload as bad Turtle.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ContentCodings:
    def __init__(self, app: ASGIApp, minimum_size: int = 1000) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gzip = False
        for name, value in scope["headers"]:
            if name == b"accept-encoding" and b"gzip" in value:
                gzip = True
            elif name == b"content-encoding" and _coded(value):
                await _refused(value)(scope, receive, send)
                return
        if gzip:
            await self.gzip(scope, receive, send)
            return

        async def varying(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableHeaders(scope=message).add_vary_header("Accept-Encoding")
            await send(message)

        await self.app(scope, receive, varying)


def _coded(value: bytes) -> bool:
    """Whether a Content-Encoding value names a coding other than identity."""
    return any(token.strip().lower() not in (b"", b"identity") for token in value.split(b","))


def _refused(coding: bytes) -> PlainTextResponse:
    """415 naming the coding, with the codings taken (RFC 9110 §15.5.16: none but identity)."""
    named = coding.decode("latin-1")
    return PlainTextResponse(
        f"This service reads request bodies as they are sent, without a content coding: send "
        f"the body uncompressed, without Content-Encoding: {named}\n",
        status_code=415,
        headers={"Accept-Encoding": "identity"},
    )
