"""Dereferencing over real HTTP (issue 8.1): 303 from things to documents, content negotiation
for each kind of resource, extension URLs, 404, 400, HEAD, ETag and 304, against the repository's
own ontology and data served as `aluekg serve` serves them (worker processes and answer cache).

Expected triples are read from the source files named beside each.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS, XSD

from aluekg import serving
from aluekg.config import Settings
from tests.sparql_service import live

BASE = "https://w3id.org/aluekg/"
ALUE = rdflib.Namespace(BASE + "ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SHAPES = rdflib.Namespace(BASE + "shapes#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
PERHO = URIRef(BASE + "id/municipality/584")
KAUSTINEN = URIRef(BASE + "id/sub-region/161")
KYMENLAAKSO = URIRef(BASE + "id/region/08")
PROGRAMME = URIRef(BASE + "id/programme/kymenlaakson-maakuntaohjelma-2022-2025")
KUNTA = URIRef(BASE + "vocab/admin-level/kunta")
DATASET_GRAPH = BASE + "graph/data/dataset.ttl"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

RDF_FORMATS = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


@dataclass(frozen=True)
class Kind:
    """A kind of resource: the document's path and triples its RDF must hold."""

    path: str
    triples: frozenset[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]


KINDS = {
    # data/registry/municipalities.ttl, links.ttl; the sub-region's label from sub-regions.ttl.
    "municipality": Kind(
        "/doc/municipality/584",
        frozenset(
            {
                (PERHO, SKOS.prefLabel, Literal("Perho", lang="fi")),
                (PERHO, SCHEMA.containedInPlace, KAUSTINEN),
                (PERHO, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1009347")),
                (KAUSTINEN, SKOS.prefLabel, Literal("Kaustinen", lang="fi")),
            }
        ),
    ),
    # data/programme/kymenlaakson-maakuntaohjelma-2022-2025.ttl; region 08's label, regions.ttl.
    "programme": Kind(
        "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025",
        frozenset(
            {
                (PROGRAMME, RDF.type, ALUE.Programme),
                (PROGRAMME, DCTERMS.spatial, KYMENLAAKSO),
                (PROGRAMME, DCTERMS.dateAccepted, Literal("2021-11-29", datatype=XSD.date)),
                (KYMENLAAKSO, SKOS.prefLabel, Literal("Kymenlaakso", lang="fi")),
            }
        ),
    ),
    # ontology/vocab/admin-level.ttl.
    "code-list concept": Kind(
        "/doc/vocab/admin-level/kunta",
        frozenset(
            {
                (KUNTA, RDF.type, SKOS.Concept),
                (KUNTA, SKOS.prefLabel, Literal("municipality", lang="en")),
                (KUNTA, SKOS.inScheme, URIRef(BASE + "vocab/admin-level")),
            }
        ),
    ),
    # ontology/aluekg.ttl.
    "ontology": Kind(
        "/ontology",
        frozenset(
            {
                (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology),
                (ALUE.Programme, RDFS.label, Literal("ohjelma", lang="fi")),
                (ALUE.partOfProgramme, RDF.type, OWL.ObjectProperty),
            }
        ),
    ),
    # shapes/programme.ttl (the shapes are served from shapes/, not from the data's store).
    "shapes": Kind(
        "/shapes",
        frozenset(
            {
                (SHAPES.ProgrammeShape, RDF.type, SH.NodeShape),
                (SHAPES.ProgrammeShape, SH.targetClass, ALUE.Programme),
                (SHAPES["Programme-prefLabel"], SH.path, SKOS.prefLabel),
            }
        ),
    ),
    # data/dataset.ttl: the index stands for the dataset, whose IRI is the base.
    "dataset (index)": Kind(
        "/",
        frozenset(
            {
                (URIRef(BASE), DCTERMS.license, CC_BY),
                (URIRef(BASE), RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")),
            }
        ),
    ),
    # data/dataset.ttl: the graph's document is the file's statements.
    "named graph": Kind(
        "/graph/data/dataset.ttl",
        frozenset({(URIRef(BASE), DCTERMS.license, CC_BY)}),
    ),
}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    service = serving.build(replace(Settings(), data_files=()))
    try:
        with live(service.app) as address:
            yield address
    finally:
        service.close()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, method: str = "GET", **headers: str) -> Reply:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=30) as response:
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def parsed(reply: Reply, media_type: str) -> rdflib.Graph:
    """The reply's RDF, parsed by pyoxigraph in its format (rdflib 7.6's JSON-LD parser warns of
    its own deprecated ConjunctiveGraph), handed to rdflib as N-Triples for its Graph API."""
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    triples = pyoxigraph.parse(reply.body, rdf_format)
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert text is not None
    return rdflib.Graph().parse(data=text.decode(), format="nt")


@pytest.mark.parametrize("media_type", [*RDF_FORMATS, "text/html"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_resource_negotiates_each_format(url: str, kind: str, media_type: str) -> None:
    reply = fetch(url + KINDS[kind].path, Accept=media_type)
    assert reply.status == 200, reply.body
    assert reply.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in reply.headers["vary"]
    assert reply.headers["etag"]
    if media_type == "text/html":
        assert b"<h1>" in reply.body
        return
    graph = parsed(reply, media_type)
    missing = KINDS[kind].triples - set(graph)
    assert not missing


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        pytest.param(None, "text/html", id="no Accept"),
        pytest.param("*/*", "text/html", id="anything"),
        pytest.param("text/html;q=0.5, application/ld+json", "application/ld+json", id="q-values"),
        pytest.param("text/*;q=0.8, text/turtle", "text/turtle", id="specific over range"),
        pytest.param("application/*", "application/n-triples", id="type range"),
    ],
)
def test_the_clients_preference_chooses_the_format(
    url: str, accept: str | None, media_type: str
) -> None:
    reply = fetch(url + "/doc/municipality/584", **({"Accept": accept} if accept else {}))
    assert reply.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize("media_type", ["text/turtle", "application/rdf+xml"])
def test_turtle_and_rdf_xml_name_their_prefixes_and_say_what_n_triples_says(
    url: str, media_type: str
) -> None:
    path = "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025"
    prefixed = fetch(url + path, Accept=media_type)
    full = parsed(fetch(url + path, Accept="application/n-triples"), "application/n-triples")
    # Turtle's @prefix lines, RDF/XML's xmlns attributes, for the namespaces the pages shorten.
    declared = b"@prefix skos: <" if media_type == "text/turtle" else b'xmlns:skos="'
    assert declared + b"http://www.w3.org/2004/02/skos/core#" in prefixed.body
    assert isomorphic(parsed(prefixed, media_type), full)


def test_the_ontology_document_holds_its_axioms_blank_nodes_in_full(url: str) -> None:
    # ontology/aluekg.ttl: [] a owl:AllDisjointClasses ;
    #     owl:members ( alue:Municipality alue:SubRegion alue:Region ) .
    graph = parsed(fetch(url + "/ontology", Accept="text/turtle"), "text/turtle")
    (axiom,) = graph.subjects(RDF.type, OWL.AllDisjointClasses)
    members = graph.value(axiom, OWL.members)
    assert members is not None
    assert list(Collection(graph, members)) == [ALUE.Municipality, ALUE.SubRegion, ALUE.Region]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        pytest.param("/id/municipality/584", "/doc/municipality/584", id="thing"),
        pytest.param(
            "/id/programme/kymenlaakson-maakuntaohjelma-2022-2025/priority/1/2",
            "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025/priority/1/2",
            id="programme part",
        ),
        pytest.param("/vocab/admin-level/kunta", "/doc/vocab/admin-level/kunta", id="concept"),
        pytest.param("/vocab/admin-level", "/doc/vocab/admin-level", id="code list"),
        pytest.param("/id/region/08?lang=en", "/doc/region/08?lang=en", id="keeps the query"),
    ],
)
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_things_answer_see_other_to_their_document(
    url: str, path: str, target: str, accept: str
) -> None:
    reply = fetch(url + path, Accept=accept)
    assert (reply.status, reply.headers["location"]) == (303, target)
    assert fetch(url + target, Accept=accept).status == 200


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/doc/municipality/584.ttl", "text/turtle"),
        ("/doc/municipality/584.nt", "application/n-triples"),
        ("/doc/municipality/584.jsonld", "application/ld+json"),
        ("/doc/municipality/584.rdf", "application/rdf+xml"),
        ("/doc/municipality/584.html", "text/html"),
        ("/ontology.ttl", "text/turtle"),
        ("/shapes.nt", "application/n-triples"),
        ("/graph/data/dataset.ttl.nt", "application/n-triples"),
        ("/doc/vocab/admin-level/kunta.jsonld", "application/ld+json"),
    ],
)
def test_extension_urls_answer_their_format_whatever_the_accept(
    url: str, path: str, media_type: str
) -> None:
    # A browser's Accept prefers HTML; the extension wins.
    reply = fetch(url + path, Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert reply.status == 200
    assert reply.headers["content-type"].split(";")[0] == media_type
    if media_type != "text/html":
        assert len(parsed(reply, media_type)) > 0


def test_a_negotiated_document_names_its_alternates(url: str) -> None:
    reply = fetch(url + "/doc/municipality/584", Accept="application/n-triples")
    assert reply.headers["content-location"] == "/doc/municipality/584.nt"
    link = reply.headers["link"]
    for extension, media_type in [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("html", "text/html"),
    ]:
        assert f'</doc/municipality/584.{extension}>; rel="alternate"; type="{media_type}"' in link


def test_an_unknown_iri_is_a_404_page_that_helps(url: str) -> None:
    reply = fetch(url + "/id/municipality/no-such-code", Accept="text/html")
    assert reply.status == 404
    assert reply.headers["content-type"].startswith("text/html")
    page = reply.body.decode()
    assert 'action="/search"' in page
    assert 'href="/"' in page
    assert BASE + "id/municipality/no-such-code" in page


def test_an_unknown_iri_is_a_plain_404_for_rdf_clients(url: str) -> None:
    reply = fetch(url + "/doc/municipality/no-such-code", Accept="text/turtle")
    assert reply.status == 404
    assert reply.headers["content-type"].startswith("text/plain")
    assert b"no-such-code" in reply.body


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/id/municipality/bad%20code", id="space"),
        pytest.param("/id/municipality/%3Cx%3E", id="angle brackets"),
        pytest.param("/doc/municipality//584", id="empty segment"),
        pytest.param("/id/", id="no path"),
        pytest.param("/doc/region/08?lang=de", id="unknown language"),
    ],
)
def test_a_malformed_iri_is_a_400_naming_it(url: str, path: str) -> None:
    reply = fetch(url + path, Accept="text/html")
    assert reply.status == 400
    assert reply.headers["content-type"].startswith("text/plain")
    assert reply.body.strip()


def test_an_unacceptable_format_is_a_406(url: str) -> None:
    assert fetch(url + "/doc/municipality/584", Accept="image/png").status == 406


def test_head_answers_the_headers_of_get_without_a_body(url: str) -> None:
    got = fetch(url + "/doc/municipality/584", Accept="text/turtle")
    head = fetch(url + "/doc/municipality/584", "HEAD", Accept="text/turtle")
    assert (head.status, head.body) == (200, b"")
    for name in ("content-type", "etag", "vary", "link"):
        assert head.headers[name] == got.headers[name]


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/metrics",
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        "/validate",
        "/reconcile",
        "/openapi.json",
        "/search?q=perho",
    ],
)
def test_head_is_answered_wherever_get_is(url: str, path: str) -> None:
    # RFC 9110 §9.1: a general-purpose server supports HEAD wherever it supports GET.
    got = fetch(url + path, Accept="text/turtle, */*;q=0.1")
    head = fetch(url + path, "HEAD", Accept="text/turtle, */*;q=0.1")
    assert got.status == 200
    assert (head.status, head.body) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]


def test_etags_differ_by_representation_and_answer_304(url: str) -> None:
    turtle = fetch(url + "/doc/municipality/584", Accept="text/turtle")
    html = fetch(url + "/doc/municipality/584", Accept="text/html")
    english = fetch(url + "/doc/municipality/584?lang=en", Accept="text/html")
    assert len({turtle.headers["etag"], html.headers["etag"], english.headers["etag"]}) == 3
    again = fetch(
        url + "/doc/municipality/584",
        Accept="text/turtle",
        **{"If-None-Match": turtle.headers["etag"]},
    )
    assert (again.status, again.body) == (304, b"")
    other = fetch(
        url + "/doc/municipality/584",
        Accept="text/html",
        **{"If-None-Match": turtle.headers["etag"]},
    )
    assert other.status == 200


HTACCESS = Path(__file__).resolve().parents[1] / "deploy" / ".htaccess"


def rewrite(path: str) -> str | None:
    """Where deploy/.htaccess sends a path under https://w3id.org/aluekg/ (mod_rewrite's first
    matching rule with L; no query string in the target, so Apache passes the request's on)."""
    for line in HTACCESS.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts[:1] == ["RewriteRule"]:
            pattern, target, flags = parts[1:4]
            assert "L" in flags.strip("[]").split(",")
            match = re.fullmatch(pattern.strip("^$"), path)
            if match:
                return match.expand(target.replace("$", "\\"))
    return None


@pytest.mark.parametrize(
    ("iri_path", "status"),
    [
        pytest.param("id/municipality/584", 303, id="thing"),
        pytest.param("vocab/admin-level/kunta", 303, id="concept"),
        pytest.param("ontology", 200, id="ontology"),
        pytest.param("ontology.ttl", 200, id="ontology as Turtle"),
        pytest.param("ontology/0.1.0", 303, id="ontology version"),
        pytest.param("shapes.nt", 200, id="shapes as N-Triples"),
        pytest.param("dumps", 301, id="dumps"),
        pytest.param("graph/data/dataset.ttl", 200, id="graph"),
        pytest.param("doc/municipality/584.ttl", 200, id="document"),
        pytest.param("", 200, id="dataset"),
    ],
)
def test_the_w3id_rules_forward_each_iri_to_the_same_path_here(
    url: str, iri_path: str, status: int
) -> None:
    target = rewrite(iri_path)
    assert target == f"https://SERVER/{iri_path}"
    assert fetch(url + urllib.parse.urlsplit(target).path, Accept="text/turtle").status == status


def test_the_w3id_rules_forward_nothing_outside_the_scheme() -> None:
    assert rewrite("unknown/thing") is None


def test_the_description_holds_the_names_of_what_it_links_to(url: str) -> None:
    # data/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl names two contacts, whose
    # only names are vcard:fn (data/organisation/kaustisen-seutukunta.ttl).
    reply = fetch(url + "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl")
    graph = parsed(reply, "text/turtle")
    contact = URIRef(BASE + "id/organisation/kaustisen-seutukunta/contact/petri-jylha")
    assert graph.value(contact, VCARD.fn) == Literal("Petri Jylhä")


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_if_none_match_any_on_an_unknown_iri_is_still_a_404(url: str, accept: str) -> None:
    # RFC 9110 §13.1.2: "*" matches only a resource that has a current representation.
    reply = fetch(url + "/doc/municipality/no-such-code", Accept=accept, **{"If-None-Match": "*"})
    assert reply.status == 404


@pytest.mark.parametrize(
    "path", ["/doc/municipality/no-such-code", "/ontology/no-such-version", "/no-such-path"]
)
def test_head_on_an_unknown_url_is_a_404_as_get_is(url: str, path: str) -> None:
    assert fetch(url + path, "HEAD", Accept="text/turtle").status == 404


def test_the_ontology_version_iri_leads_to_the_ontology(url: str) -> None:
    # ontology/aluekg.ttl: owl:versionIRI <https://w3id.org/aluekg/ontology/0.1.0>.
    reply = fetch(url + "/ontology/0.1.0", Accept="text/turtle")
    assert (reply.status, reply.headers["location"]) == (303, "/ontology")


@pytest.mark.parametrize(
    "path", ["/id/municipality/../region/08", "/doc/municipality/./584", "/id/%2E%2E/ontology"]
)
def test_a_dot_segment_is_a_malformed_iri(url: str, path: str) -> None:
    # RFC 3986 §5.2.4 removes dot segments: an IRI holding one is not in the scheme's form.
    reply = fetch(url + path, Accept="text/turtle")
    assert reply.status == 400
    assert b"segment" in reply.body


def test_an_etag_shared_by_the_gzip_and_identity_codings_is_weak(url: str) -> None:
    # RFC 9110 §8.8.1: a strong validator changes with the content coding; the GZip middleware
    # compresses the page without changing its ETag, so the tag may only be weak.
    gzipped = fetch(url + "/doc/region/08", Accept="text/html", **{"Accept-Encoding": "gzip"})
    plain = fetch(url + "/doc/region/08", Accept="text/html", **{"Accept-Encoding": "identity"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert gzipped.headers["etag"] == plain.headers["etag"]
    assert gzipped.headers["etag"].startswith('W/"')
    again = fetch(
        url + "/doc/region/08",
        Accept="text/html",
        **{"Accept-Encoding": "gzip", "If-None-Match": gzipped.headers["etag"]},
    )
    assert again.status == 304


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_a_404_says_it_varies_by_accept(url: str, accept: str) -> None:
    # A 404 is cacheable by default (RFC 9110 §15.1); a browser's page and an RDF client's
    # text/plain answer for the same URL must not be served one for the other.
    reply = fetch(url + "/id/municipality/no-such-code", Accept=accept)
    assert reply.status == 404
    assert "Accept" in [v.strip() for v in reply.headers.get("vary", "").split(",")]


def test_an_unknown_graph_is_named_as_asked_for(url: str) -> None:
    # No file data/nope.ttl: the 404 names the graph asked for, not "data/nope" with its ".ttl"
    # taken for a format.
    reply = fetch(url + "/graph/data/nope.ttl", Accept="text/turtle")
    assert reply.status == 404
    assert f"<{BASE}graph/data/nope.ttl>".encode() in reply.body


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        # rdflib 7's parse(url, format="nt") asks for N-Triples by their media type before
        # RDF 1.1 (rdflib/parser.py) ...
        pytest.param("text/plain, */*;q=0.1", "application/n-triples", id="N-Triples"),
        # ... and format="n3" for N3, of which Turtle is a subset.
        pytest.param("text/n3, */*;q=0.1", "text/turtle", id="N3"),
    ],
)
def test_older_names_of_the_formats_get_rdf(url: str, accept: str, media_type: str) -> None:
    reply = fetch(url + "/doc/municipality/584", Accept=accept)
    assert reply.headers["content-type"].split(";")[0] == media_type
    # data/registry/municipalities.ttl
    assert (PERHO, SKOS.prefLabel, Literal("Perho", lang="fi")) in parsed(reply, media_type)


def test_rdflib_reads_a_thing_as_n_triples_following_the_303(url: str) -> None:
    graph = rdflib.Graph().parse(url + "/id/municipality/584", format="nt")
    assert (PERHO, SKOS.prefLabel, Literal("Perho", lang="fi")) in graph
