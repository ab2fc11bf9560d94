"""The routes of the IRI scheme (aluekg.linkeddata.iris): 303 from things to their documents,
documents negotiated between HTML and four RDF formats (Vary, ETag, 304, HEAD, Link to the
alternates, extension URLs), the index at /, the search page, and helpful 404s."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from aluekg.config import Settings
from aluekg.dataset import routes as dataset_routes
from aluekg.errors import ResourceNotFound
from aluekg.linkeddata import iris, pages, shapes
from aluekg.linkeddata.iris import Document
from aluekg.linkeddata.lang import choose
from aluekg.linkeddata.reading import construct, select
from aluekg.query.backend import Backend
from aluekg.web.conneg import negotiate
from aluekg.web.deps import get_backend

router = APIRouter()
METHODS = ["GET", "HEAD"]
# HTML first: a client without a preference (curl) gets the page, a browser too; RDF clients
# name their format.
OFFERS = (
    "text/html",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
EXTENSION_OF = {media_type: ext for ext, media_type in iris.EXTENSIONS.items()}


@router.api_route("/id/{rest:path}", methods=METHODS, include_in_schema=False)
def thing(rest: str, request: Request) -> Response:
    return _see_other(request, "id", rest)


@router.api_route("/vocab/{rest:path}", methods=METHODS, include_in_schema=False)
def concept(rest: str, request: Request) -> Response:
    return _see_other(request, "vocab", rest)


@router.api_route("/doc/{rest:path}", methods=METHODS, include_in_schema=False)
def thing_document(rest: str, request: Request) -> Response:
    return _document(request, iris.document(rest), "describe")


@router.api_route("/graph/{rest:path}", methods=METHODS, include_in_schema=False)
def graph_document(rest: str, request: Request) -> Response:
    # Graphs are named after their files (…/dataset.ttl): the whole path names a graph if one
    # has that name, and only otherwise does an extension choose a format (…/dataset.ttl.nt).
    whole = iris.direct("graph", rest, extension=False)
    if _exists(get_backend(request), whole.iri):
        return _document(request, whole, "graph-document")
    return _document(request, iris.direct("graph", rest), "graph-document")


@router.api_route("/ontology", methods=METHODS, include_in_schema=False)
def ontology_document(request: Request) -> Response:
    return _document(request, iris.direct("ontology", ""), "ontology-document")


@router.api_route("/ontology.{extension}", methods=METHODS, include_in_schema=False)
def ontology_file(extension: str, request: Request) -> Response:
    return _document(request, _with_extension("ontology", extension), "ontology-document")


@router.api_route("/shapes", methods=METHODS, include_in_schema=False)
def shapes_document(request: Request) -> Response:
    return _document(request, iris.direct("shapes", ""), "shapes-document", _shapes(request))


@router.api_route("/shapes.{extension}", methods=METHODS, include_in_schema=False)
def shapes_file(extension: str, request: Request) -> Response:
    doc = _with_extension("shapes", extension)
    return _document(request, doc, "shapes-document", _shapes(request))


@router.api_route("/", methods=METHODS, include_in_schema=False)
async def index(request: Request) -> Response:
    # The index stands for the dataset, whose IRI is the base itself: its RDF is the dataset's
    # VoID and DCAT description, as at /.well-known/void.
    media_type = negotiate(request.headers.get("accept"), OFFERS)
    if media_type != "text/html":
        return await dataset_routes.void_answer(request, media_type)
    return await run_in_threadpool(_document, request, Document(iris.BASE, "/", None), "describe")


@router.api_route("/search", methods=METHODS, include_in_schema=False)
def search(request: Request, q: str = "") -> Response:
    lang = _lang(request)
    return pages.search_page(request, get_backend(request), q, lang)


def _see_other(request: Request, kind: str, rest: str) -> Response:
    target = iris.thing_document(kind, rest)
    backend = get_backend(request)
    if not _exists(backend, iris.BASE + kind + "/" + rest):
        return _not_found(request, iris.BASE + kind + "/" + rest)
    query = request.url.query
    return RedirectResponse(
        quote(target) + ("?" + query if query else ""),
        status_code=303,
        headers={"Vary": "Accept"},
    )


def _document(
    request: Request, doc: Document, rdf_query: str, backend: Backend | None = None
) -> Response:
    backend = backend or get_backend(request)
    negotiated = doc.media_type is None
    media_type = doc.media_type or negotiate(request.headers.get("accept"), OFFERS)
    lang = _lang(request) if media_type == "text/html" else ""
    etag = _etag(backend.version, doc.path, media_type, lang)
    headers = {"ETag": etag, "Vary": "Accept, Accept-Language"}
    if doc.path != "/":
        headers["Link"] = _alternates(doc.path)
    if negotiated and doc.path != "/":
        headers["Content-Location"] = f"{doc.path}.{EXTENSION_OF[media_type]}"
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    # The index and the shapes are there whatever the data: they list what exists.
    if doc.path not in ("/", "/shapes") and not _exists(backend, doc.iri):
        return _not_found(request, doc.iri)
    if media_type == "text/html":
        return pages.html(request, backend, doc, lang, headers)
    answer = construct(backend, rdf_query, media_type, resource=doc.iri)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _shapes(request: Request) -> Backend:
    settings: Settings = request.app.state.settings
    return shapes.backend(settings.shapes_dir)


def _with_extension(prefix: str, extension: str) -> Document:
    if extension not in iris.EXTENSIONS:
        raise ResourceNotFound(
            f"No format .{extension}: use one of {', '.join('.' + e for e in iris.EXTENSIONS)}"
        )
    return Document(iris.BASE + prefix, "/" + prefix, iris.EXTENSIONS[extension])


def _exists(backend: Backend, iri: str) -> bool:
    return bool(select(backend, "exists", resource=iri))


def _not_found(request: Request, iri: str) -> Response:
    # A person gets a page with a search box; a program gets the usual text/plain message.
    accept = request.headers.get("accept")
    if not accept or _wants_html(accept):
        return pages.not_found(request, iri, _lang(request))
    raise ResourceNotFound(f"Nothing is known about <{iri}>: search at /search?q=…")


def _wants_html(accept: str) -> bool:
    """Whether the client takes HTML at least as gladly as any RDF format we offer."""
    try:
        return negotiate(accept, OFFERS) == "text/html"
    except HTTPException:
        return False


def _lang(request: Request) -> str:
    return choose(request.query_params.get("lang"), request.headers.get("accept-language"))


def _alternates(path: str) -> str:
    return ", ".join(
        f'<{path}.{extension}>; rel="alternate"; type="{media_type}"'
        for extension, media_type in iris.EXTENSIONS.items()
    )


def _etag(*parts: str) -> str:
    return '"' + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
