"""RDF syntax checks that name the file, line and column of the first error, and where a
document first uses a relative IRI.

pyoxigraph's parsers report positions; rdflib's Turtle parser does not say where, so every file
is read here first (STYLE §2.16 E). Relative IRIs resolve as rdflib resolves them: against the
document's own IRI (a file's file: IRI, see base_of), unless the data sets its own @base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


Triple = tuple[Term, Term, Term]

# RDF/XML names the IRI it could not resolve, but not where it is.
_NAMED_IRI = re.compile(r"IRI '([^']*)'")


@dataclass(frozen=True)
class RelativeIri:
    """Where a document first uses a relative IRI: its line and column (from 1) and the IRI as
    written, each None where the parser does not say (JSON-LD says nothing)."""

    line: int | None
    column: int | None
    written: str | None


def base_of(path: Path) -> str:
    """A file's own IRI, which its relative IRIs resolve against, as rdflib resolves them.

    >>> base_of(Path("/data/x.ttl"))
    'file:///data/x.ttl'
    """
    return path.absolute().as_uri()


def check(body: bytes, media_type: str, name: str, base_iri: str | None = None) -> int:
    """Parse body fully; return its triple count or raise DataError 'name: line L, column C: …'."""
    return len(triples(body, media_type, name, base_iri))


def triples(body: bytes, media_type: str, name: str, base_iri: str | None = None) -> list[Triple]:
    """Every triple of body as plain terms, relative IRIs resolved against base_iri (the data's
    own @base wins); DataError 'name: line L, column C: …' if not RDF."""
    try:
        return _parse(body, rdf_format(media_type), base_iri)
    except SyntaxError as exc:
        raise _data_error(exc, name) from None


def parse(
    body: bytes, media_type: str, name: str, base_iri: str
) -> tuple[list[Triple], RelativeIri | None]:
    """Every triple of body (as triples() reads it), and where it first uses a relative IRI, if
    it uses one; DataError as triples() raises it.

    A document that reads without a base uses none, so it is read once; only one that needs
    base_iri is read twice, the first error saying where.
    """
    fmt = rdf_format(media_type)
    try:
        plain = _parse(body, fmt, None)
    except SyntaxError as exc:
        resolved = triples(body, media_type, name, base_iri)
        return resolved, _relative_iri(exc, body)
    if fmt != pyoxigraph.RdfFormat.JSON_LD:
        return plain, None
    # pyoxigraph 0.5's JSON-LD parser drops a node with a relative @id when it has no base,
    # instead of refusing it: a document that gives more triples with a base uses one.
    resolved = triples(body, media_type, name, base_iri)
    return resolved, RelativeIri(None, None, None) if len(resolved) != len(plain) else None


def absolute(body: bytes, media_type: str, name: str, base_iri: str) -> tuple[bytes, str]:
    """body and its media type, or, when it uses relative IRIs, its statements with them resolved
    against base_iri, as N-Triples (N-Quads for a dataset format); DataError if not RDF.

    For a store that would resolve them against a base of its own choosing (Oxigraph server:
    the graph's name).
    """
    fmt = rdf_format(media_type)
    try:
        plain = list(pyoxigraph.parse(body, format=fmt))
    except SyntaxError:
        plain = None
    if plain is not None and fmt != pyoxigraph.RdfFormat.JSON_LD:
        return body, media_type
    try:
        quads = list(pyoxigraph.parse(body, format=fmt, base_iri=base_iri))
    except SyntaxError as exc:
        raise _data_error(exc, name) from None
    if plain is not None and len(plain) == len(quads):
        return body, media_type
    if fmt.supports_datasets:
        out = pyoxigraph.RdfFormat.N_QUADS
        return pyoxigraph.serialize(quads, format=out) or b"", out.media_type
    out = pyoxigraph.RdfFormat.N_TRIPLES
    return pyoxigraph.serialize((q.triple for q in quads), format=out) or b"", out.media_type


def prefixes(body: bytes, media_type: str) -> dict[str, str]:
    """The prefixes a document declares (none for a syntax without them, or one that fails)."""
    parser = pyoxigraph.parse(body, format=rdf_format(media_type))
    try:
        for _ in parser:
            pass
    except SyntaxError:
        return {}
    return dict(parser.prefixes)


def _data_error(exc: SyntaxError, name: str) -> DataError:
    where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "syntax"
    reason = str(exc.args[0]).split(": ", 1)[-1] if exc.args else str(exc)
    return DataError(f"{name}: {where}: {reason}")


def _parse(body: bytes, fmt: pyoxigraph.RdfFormat, base_iri: str | None) -> list[Triple]:
    return [
        (_term(t.subject), _term(t.predicate), _term(t.object))
        for t in pyoxigraph.parse(body, format=fmt, base_iri=base_iri)
    ]


def _relative_iri(error: SyntaxError, body: bytes) -> RelativeIri:
    """Where the error that a base cured was: Turtle's family gives line and columns (of
    characters), RDF/XML only the IRI, which is then looked for in quotes."""
    lines = body.decode("utf-8", errors="replace").splitlines()
    line, column, end = error.lineno, error.offset, error.end_offset
    if line and column and end and line <= len(lines):
        return RelativeIri(line, column, lines[line - 1][column - 1 : end - 1] or None)
    named = _NAMED_IRI.search(str(error))
    if named is None:
        return RelativeIri(None, None, None)
    written = named.group(1)
    quoted = (f'"{written}"', f"'{written}'")
    found = next((n for n, text in enumerate(lines, 1) if any(q in text for q in quoted)), None)
    return RelativeIri(found, None, written)


def _term(term: object) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("blank", term.value)
    assert isinstance(term, pyoxigraph.Literal), f"RDF 1.1 has no term {term!r}"
    return ("literal", term.value, term.datatype.value, term.language or "")
