"""Sources read into rdflib graphs for pySHACL: the data, and the shapes as pySHACL reads them.

pyoxigraph parses (aluekg.syntax: it names line and column, and is faster than rdflib's
parsers), and its triples become rdflib terms here, made once per IRI and literal. Each subject
is traced to the source that describes it, and each source that uses a relative IRI is noted
(aluekg.validation.relative_iris).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from aluekg import syntax
from aluekg.validation.relative_iris import Relative
from aluekg.validation.sources import Source

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _IllTypedLiteral(logging.Filter):
    """Drops rdflib's warning, with its traceback, about a literal whose text is not of its
    datatype ("2022-13-45"^^xsd:date): the shapes report that literal (sh:datatype) with the
    file, line and what to write, and a traceback on standard error is no message for a user
    (nor for the server's log, where an upload to /validate would put it). rdflib's other
    warnings are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteral())


def load_sources(
    sources: Sequence[Source], graph: Graph | None = None
) -> tuple[Graph, dict[Node, str], list[Relative]]:
    """All sources in one graph (a new one, or the one given), for each subject the source
    that types it, else the first that mentions it, and the sources that use relative IRIs.

    pyoxigraph parses (it names line and column, and is faster than rdflib's parsers); its
    triples go straight into the one graph.
    """
    graph = Graph() if graph is None else graph
    mentioned: dict[Node, str] = {}
    typed: dict[Node, str] = {}
    relative: list[Relative] = []
    # One rdflib term per IRI and literal: made once (rdflib parses a literal's value as it makes
    # it), and the graph's indexes then find a term by identity before comparing it.
    terms: dict[syntax.Term, Node] = {}
    for source in sources:
        parsed, where = syntax.parse(source.body, source.media_type, source.name, source.base)
        if where is not None:
            relative.append(Relative(source.name, source.base, where))
        blanks: dict[str, BNode] = {}
        triples = [
            (_term(s, terms, blanks), _term(p, terms, blanks), _term(o, terms, blanks))
            for s, p, o in parsed
        ]
        for subject, predicate, _ in triples:
            mentioned.setdefault(subject, source.name)
            if predicate == RDF.type:
                typed.setdefault(subject, source.name)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph, {**mentioned, **typed}, relative


def load_shapes(sources: Sequence[Source]) -> Graph:
    """The shapes in one graph, their literals read as pyshacl reads a shapes file: as written,
    and only "true" a true xsd:boolean (W3C SHACL test core/property/uniqueLang-002)."""
    # rdflib computes a literal's value when it is made, so pyshacl's switch must be on then;
    # pyshacl turns it on (globally, as here) only while it reads a shapes file itself.
    # pySHACL is imported only when something is validated: `serve` with data whose stamp
    # matches starts without it, a fifth of a second sooner (bench/README.md, "Startup").
    from pyshacl.monkey import rdflib_bool_patch, rdflib_bool_unpatch

    rdflib_bool_patch()  # type: ignore[no-untyped-call]
    try:
        graph = load_sources(sources)[0]
    finally:
        rdflib_bool_unpatch()  # type: ignore[no-untyped-call]
    bind_prefixes(graph, sources)
    return graph


def bind_prefixes(graph: Graph, sources: Sequence[Source]) -> None:
    """Bind the prefixes the sources declare, as rdflib's own parsing of them would: SHACL-SPARQL
    without sh:prefixes resolves its prefixes so in pyshacl."""
    for source in sources:
        for prefix, namespace in syntax.prefixes(source.body, source.media_type).items():
            graph.bind(prefix, namespace, override=False)


def _term(term: syntax.Term, terms: dict[syntax.Term, Node], blanks: dict[str, BNode]) -> Node:
    if term[0] == "blank":
        return _node(term, blanks)
    found = terms.get(term)
    if found is None:
        found = terms[term] = _node(term, blanks)
    return found


def _node(term: tuple[str, ...], blanks: dict[str, BNode]) -> Node:
    kind, value = term[0], term[1]
    if kind == "iri":
        return URIRef(value)
    if kind == "blank":
        # Blank nodes are local to their file: the same label in two files is two nodes.
        return blanks.setdefault(value, BNode())
    datatype, language = term[2], term[3]
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
