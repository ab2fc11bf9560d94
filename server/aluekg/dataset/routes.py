"""HTTP for the dataset: /.well-known/void (VoID and DCAT, negotiated over the RDF formats) and
/dumps/ (a listing as JSON or HTML, and each dump, with ETag, Last-Modified and 304)."""

from __future__ import annotations

import hashlib
import json
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from aluekg.dataset import dumps, void
from aluekg.errors import ResourceNotFound
from aluekg.operations.generations import PINNED
from aluekg.query.documents import convert
from aluekg.web.conditional import none_match
from aluekg.web.conneg import accept_header, negotiate
from aluekg.web.deps import get_backend, get_options

router = APIRouter()
# One request makes the dumps of a swapped-in backend; the others wait for them.

RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
LISTING_OFFERS = ("application/json", "text/html")
# Jinja2Templates autoescapes .html templates, so names and IRIs are safe in them.
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
async def void_document(request: Request) -> Response:
    accept = accept_header(request.headers.get("accept"), request.query_params.getlist("format"))
    return await void_answer(request, negotiate(accept, RDF_OFFERS))


async def void_answer(request: Request, media_type: str) -> Response:
    """The dataset's description in media_type (one of RDF_OFFERS); also the index's RDF."""
    backend = get_backend(request)
    root = _root(request)
    # Weak: the same data gives the same statements, but blank-node labels vary. The root is
    # in it because the endpoint's and the dumps' URLs are.
    chosen = hashlib.sha256(f"{media_type} {root}".encode()).hexdigest()[:16]
    etag = f'W/"{backend.version}-{chosen}"'
    headers = {"ETag": etag, "Vary": "Accept"}
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    available = await run_in_threadpool(_dumps, request)
    catalogue = available.catalogue if available else ()
    # The counting queries block while they run, so they run off the event loop.
    document = await run_in_threadpool(void.describe, backend, root, catalogue)
    body = convert(json.dumps(document), root, media_type, "application/ld+json", void.PREFIXES)
    return Response(body, media_type=media_type, headers=headers)


# The service's catch-all GET route would take /dumps before Starlette could add the slash.
@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
async def listing_without_slash() -> RedirectResponse:
    return RedirectResponse("dumps/", status_code=301)


@router.api_route("/dumps/", methods=["GET", "HEAD"])
async def listing(request: Request) -> Response:
    media_type = negotiate(request.headers.get("accept"), LISTING_OFFERS)
    available = await run_in_threadpool(_require_dumps, request)
    files, _ = await run_in_threadpool(available.files)
    entries = [
        {
            "name": dump.name,
            "url": _root(request) + "dumps/" + dump.name,
            "graph": dump.graph,
            "mediaType": dump.media_type,
            "encoding": "gzip",
            "bytes": len(files[dump.name].body),
            "sha256": files[dump.name].sha256,
        }
        for dump in available.catalogue
    ]
    headers = {"Vary": "Accept"}
    if media_type == "text/html":
        context = {"dumps": entries, "version": available.version}
        return templates.TemplateResponse(request, "dumps.html", context, headers=headers)
    body = json.dumps({"version": available.version, "dumps": entries}, indent=1)
    return Response(body, media_type="application/json", headers=headers)


@router.api_route("/dumps/{name:path}", methods=["GET", "HEAD"])
async def dump_file(name: str, request: Request) -> Response:
    available = await run_in_threadpool(_require_dumps, request)
    files, modified = await run_in_threadpool(available.files)
    if name == dumps.CHECKSUMS:
        lines = "".join(f"{files[d.name].sha256}  {d.name}\n" for d in available.catalogue)
        body, etag = lines.encode(), f'"{available.version}-sums"'
        media_type = "text/plain; charset=utf-8"
    elif name in files:
        body, etag, media_type = (
            files[name].body,
            f'"{files[name].sha256[:32]}"',
            "application/gzip",
        )
    else:
        raise ResourceNotFound(f"There is no dump {name!r}; GET /dumps/ lists them")
    headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    # application/gzip, which the GZip middleware leaves alone: the file is the download.
    return Response(body, media_type=media_type, headers=headers)


def _dumps(request: Request) -> dumps.Dumps | None:
    """The dumps of the data this request is answered from (a reload may have replaced it since);
    None when the service answers from a remote store, which it cannot dump."""
    pinned = request.scope.get(PINNED)
    found: dumps.Dumps | None = (
        pinned.dumps if pinned is not None else getattr(request.app.state, "dumps", None)
    )
    return found


def _require_dumps(request: Request) -> dumps.Dumps:
    available = _dumps(request)
    if available is None:
        raise ResourceNotFound("This service answers from a remote store and has no dumps")
    return available


def _root(request: Request) -> str:
    """The service's public URL, ending in "/" (--base-iri, else the request's own)."""
    base = get_options(request).base_iri
    return base.rstrip("/") + "/" if base else str(request.base_url)


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when given; else If-Modified-Since."""
    if "if-none-match" in request.headers:
        return none_match(request.headers["if-none-match"], etag)
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 says
