"""HTTP for the named queries: GET /api/ lists them, GET /api/{name} answers one with its
parameters bound, GET /openapi.json describes them."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from aluekg.api import binding, catalogue, openapi
from aluekg.dataset.queries import solutions
from aluekg.errors import ResourceNotFound
from aluekg.query.backend import Backend
from aluekg.web.conditional import none_match
from aluekg.web.conneg import accept_header, accepts_for_query, negotiate
from aluekg.web.deps import get_backend, get_options

HERE = Path(__file__).resolve().parent
PATTERN_QUERY = (HERE / "queries" / "datatype-pattern.rq").read_text(encoding="utf-8")
LISTING_OFFERS = ("application/json", "text/html")

router = APIRouter()
# Jinja2Templates autoescapes .html templates, so descriptions and URLs are safe in them.
templates = Jinja2Templates(directory=HERE / "templates")


@cache
def queries() -> dict[str, catalogue.NamedQuery]:
    """The named queries, read once, as the data is loaded once."""
    return catalogue.load()


# Plain `def` endpoints: FastAPI runs them in its threadpool, off the event loop, while the
# backend evaluates.
@router.api_route("/api", methods=["GET", "HEAD"], include_in_schema=False)
def listing_without_slash() -> RedirectResponse:
    return RedirectResponse("api/", status_code=301)


@router.api_route("/api/", methods=["GET", "HEAD"])
def listing(request: Request) -> Response:
    media_type = negotiate(request.headers.get("accept"), LISTING_OFFERS)
    root = _root(request)
    endpoints = [
        {
            "name": query.name,
            "url": f"{root}api/{query.name}",
            "summary": query.summary,
            "description": query.description,
            "parameters": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "datatype": p.datatype,
                    "description": p.description,
                    "example": p.example,
                }
                for p in query.parameters
            ],
            "example": f"{root}api/{query.name}?"
            + urllib.parse.urlencode({p.name: p.example or "" for p in query.parameters}),
        }
        for query in queries().values()
    ]
    headers = {"Vary": "Accept"}
    if media_type == "text/html":
        context = {"endpoints": endpoints}
        return templates.TemplateResponse(request, "api.html", context, headers=headers)
    body = json.dumps({"endpoints": endpoints, "openapi": root + "openapi.json"}, indent=1)
    return Response(body, media_type="application/json", headers=headers)


@router.api_route("/api/{name}", methods=["GET", "HEAD"])
def answer(name: str, request: Request) -> Response:
    query = queries().get(name)
    if query is None:
        raise ResourceNotFound(f"There is no query {name!r}; GET /api/ lists them")
    backend = get_backend(request)
    given: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        given.setdefault(key, []).append(value)
    iris, literals = binding.bind(query, given, lambda datatype: _patterns(backend, datatype))
    accepts = accepts_for_query(
        accept_header(request.headers.get("accept"), given.get("format", []))
    )
    key = json.dumps(
        [
            name,
            sorted(iris.items()),
            sorted((k, repr(v)) for k, v in literals.items()),
            repr(accepts),
        ]
    )
    etag = f'"{backend.version}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"'
    headers = {"ETag": etag, "Vary": "Accept"}
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    result = backend.answer(query.text, accepts, None, iris, literals)
    return Response(result.body, media_type=result.media_type, headers=headers)


@router.api_route("/openapi.json", methods=["GET", "HEAD"])
def openapi_document(request: Request) -> Response:
    backend = get_backend(request)
    document = openapi.document(
        queries(), _root(request), lambda datatype: _patterns(backend, datatype)
    )
    return Response(json.dumps(document, indent=1), media_type="application/json")


def _patterns(backend: Backend, datatype: str) -> Sequence[str]:
    """The xsd:pattern facets the ontology gives a datatype (none for one it does not define)."""
    rows = solutions(backend, PATTERN_QUERY, {"datatype": datatype})
    return [row["pattern"]["value"] for row in rows]


def _root(request: Request) -> str:
    """The service's public URL, ending in "/" (--base-iri, else the request's own)."""
    base = get_options(request).base_iri
    return base.rstrip("/") + "/" if base else str(request.base_url)
