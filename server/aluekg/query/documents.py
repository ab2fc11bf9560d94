"""RDF and results documents read and written by the engine's own parsers and writers, outside
any store: terms in SPARQL syntax, documents converted between formats, a remote store's answers
rewritten, and the engine's syntax errors as sentences."""

from __future__ import annotations

import io
import re

import pyoxigraph as ox

from aluekg.errors import NoAcceptableFormat, NotAnIri
from aluekg.query.backend import LiteralValue

# The variable Virtuoso 7 binds to 1 or 0 where it should answer an ASK with a boolean.
VIRTUOSO_ASK = "__ASK_RETVAL"
_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def term_syntax(iri: str | None = None, literal: LiteralValue | None = None) -> str:
    """An IRI or a literal in SPARQL's term syntax, written by the engine (for VALUES clauses).

    >>> term_syntax(literal=LiteralValue("236", "https://w3id.org/aluekg/ontology#kuntakoodi"))
    '"236"^^<https://w3id.org/aluekg/ontology#kuntakoodi>'
    """
    try:
        if iri is not None:
            return str(ox.NamedNode(iri))
        assert literal is not None, "term_syntax needs an IRI or a literal"
        return str(literal_term(literal))
    except ValueError as exc:
        raise NotAnIri(str(exc)) from None


def literal_term(value: LiteralValue) -> ox.Literal:
    if value.language is not None:
        return ox.Literal(value.lexical, language=value.language)
    if value.datatype is not None:
        return ox.Literal(value.lexical, datatype=ox.NamedNode(value.datatype))
    return ox.Literal(value.lexical)


def convert(
    text: str | bytes,
    base_iri: str,
    media_type: str,
    source: str = "text/turtle",
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """Reserialise a document in `source` (Turtle unless given; relative IRIs resolved against
    base_iri) as media_type, with prefixes where the format has them."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    source_format = ox.RdfFormat.from_media_type(source)
    if fmt is None or source_format is None:
        raise NoAcceptableFormat(f"Cannot write RDF as {media_type!r} from {source!r}")
    try:
        # Each triple once: a document may state one twice (JSON-LD's @type and rdf:type).
        triples = dict.fromkeys(ox.parse(text, source_format, base_iri=base_iri))
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    except (SyntaxError, ValueError) as exc:
        raise NotAnIri(str(exc)) from None


def boolean_of_solutions(body: bytes, media_type: str) -> bytes | None:
    """An ASK answer that Virtuoso 7 wrote as one solution binding __ASK_RETVAL to 1 or 0, as the
    boolean document it stands for in the same format; None for any other answer."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is None:
        return None
    try:
        results = ox.parse_query_results(body, results_format)
    except SyntaxError:
        return None
    if not isinstance(results, ox.QuerySolutions):
        return None
    if [variable.value for variable in results.variables] != [VIRTUOSO_ASK]:
        return None
    values = [solution[VIRTUOSO_ASK] for solution in results]
    truth = len(values) == 1 and isinstance(values[0], ox.Literal) and values[0].value == "1"
    # The engine writes the boolean, so the document is as the embedded store would write it.
    answer = ox.Store().query("ASK {}" if truth else "ASK { FILTER(false) }")
    assert isinstance(answer, ox.QueryBoolean)
    sink = io.BytesIO()
    answer.serialize(sink, results_format)
    return sink.getvalue()


def tsv_of_solutions(body: bytes) -> bytes | None:
    """SPARQL JSON solutions rewritten as SPARQL TSV; None if body holds a boolean."""
    results = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if not isinstance(results, ox.QuerySolutions):
        return None
    sink = io.BytesIO()
    results.serialize(sink, ox.QueryResultsFormat.TSV)
    return sink.getvalue()


def syntax_message(engine_message: str) -> str:
    """pyoxigraph's "error at 1:6: expected [_]" as a sentence naming line and column."""
    found = _SYNTAX.match(engine_message)
    if found is None:
        return f"Syntax error: {engine_message}"
    line, column, detail = found.groups()
    return f"Syntax error at line {line}, column {column}: {detail}"
