"""The SPARQL 1.1 Service Description that GET /sparql without a query answers with."""

from __future__ import annotations

from aluekg.query.documents import convert

# The description's prefixes, which its Turtle and RDF/XML also declare, for their readers.
PREFIXES = {
    "dcterms": "http://purl.org/dc/terms/",
    "formats": "http://www.w3.org/ns/formats/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}
# `<>` is the endpoint itself: the document is parsed with the endpoint's URL as its base, so
# the endpoint's URL is never pasted into the text.
DESCRIPTION = """\
<#service> a sd:Service ;
    dcterms:title "aluekg SPARQL service"@en, "aluekg-SPARQL-palvelu"@fi ;
    sd:endpoint <> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
        formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV,
        formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML ;
    sd:defaultDataset [
        a sd:Dataset ;
        # The default graph is the union of the named graphs, one per source file.
        sd:defaultGraph [ a sd:Graph ]
    ] .
"""

TEMPLATE = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items()) + DESCRIPTION
OFFERS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")


def describe(endpoint: str, media_type: str) -> bytes:
    """The description of the service at `endpoint` (an absolute URL), as media_type."""
    return convert(TEMPLATE, endpoint, media_type, prefixes=PREFIXES)
