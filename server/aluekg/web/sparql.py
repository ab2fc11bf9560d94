"""The SPARQL 1.1 Protocol at /sparql: GET, POST form and POST application/sparql-query, each
turned into one query, a dataset and an Accept, then answered by the backend."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from email.message import Message
from functools import lru_cache
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL

from aluekg.errors import TooLarge, UnsupportedMediaType, UpdateRefused
from aluekg.query import guard
from aluekg.query.backend import Backend, Dataset
from aluekg.web import service_description
from aluekg.web.conneg import accept_header, accepts_for_query, negotiate
from aluekg.web.deps import ServiceOptions, get_backend, get_options
from aluekg.web.dispatch import answer_soon
from aluekg.web.page import query_page

router = APIRouter()

Params = Mapping[str, Sequence[str]]

READ_ONLY = "This service is read-only: SPARQL updates are refused"


# The endpoints read the backend and options themselves rather than through Depends: FastAPI runs
# a plain `def` dependency in the threadpool, and those two thread hops cost about a sixth of the
# server process's CPU per small query (bench/README.md).
@router.get("/sparql")
async def sparql_get(request: Request) -> Response:
    backend, options = get_backend(request), get_options(request)
    if len(request.url.query) > options.max_request_bytes:
        raise TooLarge(
            f"The URL's query string is larger than this service's limit of "
            f"{options.max_request_bytes} bytes"
        )
    params = _multi(request.query_params.multi_items())
    if "update" in params:
        raise UpdateRefused(READ_ONLY)
    if "query" not in params:
        return await run_in_threadpool(_describe, request, backend, options, params)
    return await _answer(backend, options, _exactly_one(params["query"]), params, request)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    backend, options = get_backend(request), get_options(request)
    body = await _body(request, options.max_request_bytes)
    query, params = _query_from_body(request, body)
    return await _answer(backend, options, query, params, request)


async def _answer(
    backend: Backend, options: ServiceOptions, query: str, params: Params, request: Request
) -> Response:
    accepts = accepts_for_query(
        accept_header(request.headers.get("accept"), params.get("format", ()))
    )
    dataset = Dataset(
        tuple(params.get("default-graph-uri", ())),
        tuple(params.get("named-graph-uri", ())),
        # The protocol leaves a query's base IRI to the service: the endpoint's own URL.
        base_iri=_endpoint(request, options),
    )
    # A graph the store lacks is an empty graph, as the W3C protocol tests expect: neither
    # backend fetches a graph it does not hold, so there is nothing to refuse.
    guard.check(query, options.service_allowlist)
    etag = _etag(backend.version, query, repr(accepts), repr(dataset))
    headers = {"ETag": etag, "Vary": "Accept"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    answer = await answer_soon(backend, query, accepts, dataset)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _describe(
    request: Request, backend: Backend, options: ServiceOptions, params: Params
) -> Response:
    """A GET without a query: the service description, or the query page for a browser."""
    accept = accept_header(request.headers.get("accept"), params.get("format", ()))
    media_type = negotiate(accept, (*service_description.OFFERS, "text/html"))
    if media_type == "text/html":
        return query_page(request)
    # Weak: the description is the same each time, but its blank-node labels are not.
    etag = "W/" + _etag(backend.version, "service-description", media_type)
    headers = {"ETag": etag, "Vary": "Accept"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    body = service_description.describe(_endpoint(request, options), media_type)
    return Response(body, media_type=media_type, headers=headers)


def _endpoint(request: Request, options: ServiceOptions) -> str:
    """The endpoint's public URL: under the configured base IRI, else as the request names it."""
    if options.base_iri:
        return options.base_iri.rstrip("/") + "/sparql"
    scope = request.scope
    server = scope.get("server")
    host = request.headers.get("host")
    where = tuple(server) if server else None
    return _url(scope["scheme"], host, where, scope.get("root_path", ""), scope["path"])


# Built once per host and path: Starlette's URL from the whole scope was a twentieth of the
# server's CPU for a small query.
@lru_cache(maxsize=256)
def _url(
    scheme: str, host: str | None, server: tuple[str, int] | None, root_path: str, path: str
) -> str:
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root_path}
    return str(URL(scope={**scope, "path": path, "query_string": b"", "headers": headers}))


def _query_from_body(request: Request, body: bytes) -> tuple[str, Params]:
    content_type = request.headers.get("content-type", "")
    media_type = content_type.partition(";")[0].strip().lower()
    charset = _charset(content_type)
    if charset not in (None, "utf-8", "utf8"):
        # The protocol's bodies are UTF-8 (SPARQL 1.1 Protocol §2.1.2, §2.1.3).
        raise UnsupportedMediaType(f"Send the body as UTF-8, not as {charset}")
    try:
        # A query file some editors saved with a byte-order mark is the query without it.
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(400, "The request body is not UTF-8") from None
    url_params = _multi(request.query_params.multi_items())
    if media_type == "application/sparql-query":
        if "query" in url_params:
            raise HTTPException(400, "Give the query either in the body or as 'query', not both")
        return text, url_params
    if media_type == "application/x-www-form-urlencoded":
        # A parameter given in the URL and in the form counts twice (two queries are a 400).
        params = _multi([*request.query_params.multi_items(), *_pairs(_form(text))])
        if "update" in params:
            raise UpdateRefused(READ_ONLY)
        return _exactly_one(params.get("query", [])), params
    if media_type == "application/sparql-update":
        raise UpdateRefused(READ_ONLY)
    raise UnsupportedMediaType(
        "POST a query as application/sparql-query or as an "
        f"application/x-www-form-urlencoded form, not as {content_type!r}"
    )


@lru_cache(maxsize=256)
def _charset(content_type: str) -> str | None:
    """The charset a Content-Type names, in lower case (None if it names none)."""
    header = Message()
    header["content-type"] = content_type
    return header.get_content_charset()


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read no further than the limit (Content-Length can be absent or lie)."""
    too_large = TooLarge(f"The request is larger than this service's limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise HTTPException(400, "The form is not UTF-8 once percent-decoded") from None


def _pairs(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in params.items() for value in values]


def _multi(items: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    return params


def _exactly_one(queries: Sequence[str]) -> str:
    if len(queries) != 1:
        raise HTTPException(400, f"Give exactly one 'query' parameter, not {len(queries)}")
    return queries[0]


def _etag(version: str, *parts: str) -> str:
    """A strong ETag from the data version and what chose the representation."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f'"{version}-{digest[:16]}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    # No "*": a query that has never been answered (a syntax error, say) has no representation
    # that "*" could match, and telling that apart would mean running it.
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return etag in tags or f"W/{etag}" in tags
