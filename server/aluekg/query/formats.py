"""The media types the SPARQL service offers for each kind of result, the default first.

Plain data shared by content negotiation (aluekg.web.conneg) and the backends; aliases such as
application/json are accepted and answered with the canonical type the engine names.
"""

from __future__ import annotations

SOLUTIONS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)

# SPARQL defines no CSV or TSV form for ASK; pyoxigraph writes "true"/"false", as Fuseki does.
BOOLEAN = SOLUTIONS

GRAPH = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/x-turtle",
    "application/turtle",
)

# The `format` parameter, for browsers and curl: a short name or any media type above.
SHORT_NAMES = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    # Turtle is a subset of N3; SPARQLWrapper sends format=n3 when asked for N3.
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
