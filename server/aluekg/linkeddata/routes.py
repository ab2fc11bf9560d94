"""The routes of the IRI scheme (aluekg.linkeddata.iris): 303 from things to their documents,
documents negotiated between HTML and four RDF formats (Vary, ETag, 304, HEAD, Link to the
alternates, extension URLs), the index at /, the search page, and helpful 404s."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from aluekg import namespaces
from aluekg.config import Settings
from aluekg.dataset import routes as dataset_routes
from aluekg.errors import ResourceNotFound
from aluekg.linkeddata import iris, pages, shapes
from aluekg.linkeddata.iris import Document
from aluekg.linkeddata.lang import choose
from aluekg.linkeddata.reading import construct, select
from aluekg.query.backend import Backend
from aluekg.query.documents import convert
from aluekg.web.conditional import none_match
from aluekg.web.conneg import negotiate
from aluekg.web.deps import get_backend
from aluekg.web.problems import message

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
    # Older names clients still ask for (rdflib's parse(url, format="nt") sends text/plain, and
    # format="n3" text/n3): answered as N-Triples and as Turtle, a subset of N3. Last, so that
    # they never win a tie (*/*, text/*).
    "text/plain",
    "text/n3",
)
ALIASES = {"text/plain": "application/n-triples", "text/n3": "text/turtle"}
EXTENSION_OF = {media_type: ext for ext, media_type in iris.EXTENSIONS.items()}
# The formats that have prefixes: their documents use the data's (aluekg.namespaces).
PREFIXED = ("text/turtle", "application/rdf+xml")
# What every answer about a document depends on, its 404 included (404s are cacheable).
VARY = "Accept, Accept-Language"


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
    backend = get_backend(request)
    if _exists(backend, whole.iri):
        return _document(request, whole, "graph-document")
    doc = iris.direct("graph", rest)
    if doc.media_type is not None and not _exists(backend, doc.iri):
        return _not_found(request, whole.iri)
    return _document(request, doc, "graph-document")


@router.api_route("/ontology", methods=METHODS, include_in_schema=False)
def ontology_document(request: Request) -> Response:
    return _document(request, iris.direct("ontology", ""), "ontology-document")


@router.api_route("/ontology.{extension}", methods=METHODS, include_in_schema=False)
def ontology_file(extension: str, request: Request) -> Response:
    return _document(request, _with_extension("ontology", extension), "ontology-document")


@router.api_route("/ontology/{rest:path}", methods=METHODS, include_in_schema=False)
def ontology_version(rest: str, request: Request) -> Response:
    # The ontology's owl:versionIRI (…/ontology/0.1.0): the version this server publishes is
    # the ontology's document; an IRI the data does not know is a 404.
    iris.check_path(rest)
    iri = iris.ONTOLOGY + "/" + rest
    if not _exists(get_backend(request), iri):
        return _not_found(request, iri)
    return RedirectResponse("/ontology", status_code=303, headers={"Vary": "Accept"})


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
    media_type = _negotiate(request)
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
    media_type = doc.media_type or _negotiate(request)
    lang = _lang(request) if media_type == "text/html" else ""
    etag = _etag(backend.version, doc.path, media_type, lang)
    headers = {"ETag": etag, "Vary": VARY}
    if doc.path != "/":
        headers["Link"] = _alternates(doc.path)
    if negotiated and doc.path != "/":
        headers["Content-Location"] = f"{doc.path}.{EXTENSION_OF[media_type]}"
    # The index and the shapes are there whatever the data: they list what exists. Known first,
    # then validated: "If-None-Match: *" matches only what exists (RFC 9110 §13.1.2).
    if doc.path not in ("/", "/shapes") and not _exists(backend, doc.iri):
        return _not_found(request, doc.iri)
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if media_type == "text/html":
        return pages.html(request, backend, doc, lang, headers)
    if media_type in PREFIXED:
        # The engine writes full IRIs: prefixes make Turtle and RDF/XML readable.
        answer = construct(backend, rdf_query, "application/n-triples", resource=doc.iri)
        body = convert(answer.body, doc.iri, media_type, answer.media_type, namespaces.PREFIXES)
        return Response(body, media_type=media_type, headers=headers)
    answer = construct(backend, rdf_query, media_type, resource=doc.iri)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _negotiate(request: Request) -> str:
    chosen = negotiate(request.headers.get("accept"), OFFERS)
    return ALIASES.get(chosen, chosen)


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
        return pages.not_found(request, iri, _lang(request), {"Vary": VARY})
    return message(404, f"Nothing is known about <{iri}>: search at /search?q=…", {"Vary": VARY})


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
    # Weak: the GZip middleware sends the same tag for the gzip and the identity coding, which
    # a strong validator may not do (RFC 9110 §8.8.1).
    return 'W/"' + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32] + '"'
