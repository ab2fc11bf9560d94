"""RDF syntax checks that name the file, line and column of the first error.

pyoxigraph's parsers report positions; rdflib's Turtle parser does not say where, so every file
is read here first (STYLE §2.16 E).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from aluekg.errors import DataError, UnsupportedMediaType

# File endings we read, and the media types an upload may have.
EXTENSIONS = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
}


# Not data: the maintainers' template fails validation on purpose until it is filled in.
SKIPPED_DIRECTORIES = {"templates"}


def rdf_files(directory: Path) -> list[Path]:
    """The RDF files under directory in a stable order, skipping the templates folder."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix.lower() in EXTENSIONS
        and path.is_file()
        and not SKIPPED_DIRECTORIES & set(path.relative_to(directory).parts[:-1])
    )


def media_type_of(path: Path) -> str:
    """The RDF media type of a file, by its ending; DataError for one we do not read."""
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        readable = ", ".join(sorted(EXTENSIONS))
        raise DataError(f"{path}: not an RDF file we read (endings: {readable})") from None


def rdf_format(media_type: str) -> pyoxigraph.RdfFormat:
    """pyoxigraph's format for a media type; UnsupportedMediaType if it has none."""
    found = pyoxigraph.RdfFormat.from_media_type(media_type)
    if found is None:
        raise UnsupportedMediaType(f"Cannot read RDF given as {media_type!r}")
    return found


# A parsed term as plain values, so that callers need no pyoxigraph: ("iri", value),
# ("blank", id) or ("literal", value, datatype IRI, language or "").
Term = tuple[str, ...]


def check(body: bytes, media_type: str, name: str) -> int:
    """Parse body fully; return its triple count or raise DataError 'name: line L, column C: …'."""
    return len(triples(body, media_type, name))


def triples(body: bytes, media_type: str, name: str) -> list[tuple[Term, Term, Term]]:
    """Every triple of body as plain terms; DataError 'name: line L, column C: …' if not RDF."""
    try:
        return [
            (_term(t.subject), _term(t.predicate), _term(t.object))
            for t in pyoxigraph.parse(body, format=rdf_format(media_type))
        ]
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "syntax"
        reason = str(exc.args[0]).split(": ", 1)[-1] if exc.args else str(exc)
        raise DataError(f"{name}: {where}: {reason}") from None


def _term(term: object) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("blank", term.value)
    assert isinstance(term, pyoxigraph.Literal), f"RDF 1.1 has no term {term!r}"
    return ("literal", term.value, term.datatype.value, term.language or "")
