"""The IRI scheme: which paths of this server stand for which IRIs under the public base, and
which document describes each.

Things and code-list concepts are slash IRIs that name no document (`/id/…`, `/vocab/…`): they
answer 303 See Other to a document under `/doc/…`. The ontology and the shapes are hash IRIs, so
their documents are `/ontology` and `/shapes` themselves; named graphs (`/graph/…`) are documents
already and answer at once. A document URL may end in a format's extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aluekg.errors import NotAnIri

BASE = "https://w3id.org/aluekg/"
ONTOLOGY = BASE + "ontology"
SHAPES = BASE + "shapes"

# The extension URLs, for people who cannot set an Accept header.
EXTENSIONS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
MEDIA_TYPES = tuple(EXTENSIONS.values())

# RFC 3987 ipchar without the percent sign's escapes spelled out: an IRI path segment may hold
# these and any non-ASCII letter; anything else (space, <, >, ", {, }, |, \, ^, `) is malformed.
SEGMENT = re.compile(r"[\w\-.~!$&'()*+,;=:@%]+")


@dataclass(frozen=True)
class Document:
    """A document URL taken apart: the IRI it describes, its own path, and a forced format."""

    iri: str
    path: str
    media_type: str | None


def thing_document(kind: str, rest: str) -> str:
    """The document path for /id/{rest} (kind "id") or /vocab/{rest} (kind "vocab").

    >>> thing_document("id", "municipality/584")
    '/doc/municipality/584'
    >>> thing_document("vocab", "admin-level/kunta")
    '/doc/vocab/admin-level/kunta'
    """
    check_path(rest)
    return "/doc/" + rest if kind == "id" else f"/doc/{kind}/{rest}"


def document(rest: str) -> Document:
    """The document /doc/{rest}: the thing it describes and its format, if an extension names one.

    >>> doc = document("municipality/584.ttl")
    >>> doc.iri, doc.path, doc.media_type
    ('https://w3id.org/aluekg/id/municipality/584', '/doc/municipality/584', 'text/turtle')
    >>> document("vocab/admin-level/kunta").iri
    'https://w3id.org/aluekg/vocab/admin-level/kunta'
    """
    stem, media_type = split_extension(rest)
    check_path(stem)
    # "vocab" is no type of thing under /id/, so the two never meet under /doc/.
    iri = BASE + stem if stem.startswith("vocab/") else BASE + "id/" + stem
    return Document(iri, "/doc/" + stem, media_type)


def direct(prefix: str, rest: str, extension: bool = True) -> Document:
    """A document that is its own resource: /ontology, /shapes or /graph/{rest}, with an extension
    unless told there is none (a graph named after a file ends in .ttl itself)."""
    stem, media_type = split_extension(rest) if extension else (rest, None)
    if stem:
        check_path(stem)
    path = f"/{prefix}/{stem}" if stem else f"/{prefix}"
    return Document(BASE + path[1:], path, media_type)


def page_path(iri: str) -> str | None:
    """Where this server shows an IRI under the base (None for an IRI elsewhere).

    >>> page_path("https://w3id.org/aluekg/ontology#Programme")
    '/ontology#Programme'
    >>> page_path("https://w3id.org/aluekg/id/region/08")
    '/doc/region/08'
    """
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE) :]
    if rest.startswith("id/"):
        return "/doc/" + rest[3:]
    if rest.startswith("vocab/"):
        return "/doc/" + rest
    return "/" + rest


def split_extension(rest: str) -> tuple[str, str | None]:
    """rest without a known format extension, and that extension's media type."""
    stem, dot, extension = rest.rpartition(".")
    if dot and extension in EXTENSIONS and "/" not in extension:
        return stem, EXTENSIONS[extension]
    return rest, None


def check_path(rest: str) -> None:
    """NotAnIri unless every segment of rest is a non-empty IRI path segment."""
    for segment in rest.split("/"):
        if not SEGMENT.fullmatch(segment):
            raise NotAnIri(
                f"Not an aluekg IRI: the path {rest!r} has an empty or malformed segment "
                f"{segment!r} (letters, digits and - . _ ~ only)"
            )
