"""/.well-known/void over real HTTP: every count it states equals what /sparql answers for the
same count, asked in the test's own words; the licence, endpoint, dumps and example resources
are there; each RDF format says the same; ETag and 304."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
import pytest
import rdflib
import rdflib.compare
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID

from tests.dataset_service import get, repository_service, solutions
from tests.test_queries import KAUSTINEN, KYMENLAAKSO, REPOSITORY

DATASET = rdflib.URIRef("https://w3id.org/aluekg/")
CC_BY = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with repository_service() as live_url:
        yield live_url


@pytest.fixture(scope="module")
def void(url: str) -> rdflib.Graph:
    status, headers, body = get(url + "/.well-known/void", "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=body, format="turtle")


def count(void: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    value = void.value(subject, predicate)
    assert isinstance(value, rdflib.Literal), f"no {predicate} for {subject}"
    return int(value)


def test_triple_count_is_the_endpoints(url: str, void: rdflib.Graph) -> None:
    [row] = solutions(url, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } }")
    assert count(void, DATASET, VOID.triples) == int(row["n"]["value"]) > 10_000


@pytest.mark.parametrize(
    ("predicate", "query"),
    [
        pytest.param(
            VOID.distinctSubjects, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }", id="subjects"
        ),
        pytest.param(
            VOID.distinctObjects, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }", id="objects"
        ),
    ],
)
def test_distinct_counts_are_the_endpoints(
    url: str, void: rdflib.Graph, predicate: rdflib.URIRef, query: str
) -> None:
    [row] = solutions(url, query)
    assert count(void, DATASET, predicate) == int(row["n"]["value"]) > 1000


def test_class_partitions_are_the_endpoints(url: str, void: rdflib.Graph) -> None:
    rows = solutions(
        url,
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c",
    )
    expected = {row["c"]["value"]: int(row["n"]["value"]) for row in rows}
    stated = {
        str(void.value(part, VOID["class"])): count(void, part, VOID.entities)
        for part in void.objects(DATASET, VOID.classPartition)
    }
    assert stated == expected
    assert stated["https://w3id.org/aluekg/ontology#Programme"] == 3
    assert count(void, DATASET, VOID.classes) == len(expected)


def test_property_partitions_are_the_endpoints(url: str, void: rdflib.Graph) -> None:
    rows = solutions(
        url,
        "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } } GROUP BY ?p",
    )
    expected = {row["p"]["value"]: int(row["n"]["value"]) for row in rows}
    stated = {
        str(void.value(part, VOID.property)): count(void, part, VOID.triples)
        for part in void.objects(DATASET, VOID.propertyPartition)
    }
    assert stated == expected
    assert count(void, DATASET, VOID.properties) == len(expected)


def linksets(void: rdflib.Graph) -> dict[str, rdflib.term.Node]:
    """Each linkset by the uriSpace of its registry target."""
    found = {}
    for linkset in void.subjects(rdflib.RDF.type, VOID.Linkset):
        for target in set(void.objects(linkset, VOID.target)) - {DATASET}:
            space = void.value(target, VOID.uriSpace)
            if space is not None:
                found[str(space)] = linkset
    return found


def test_one_linkset_per_registry(void: rdflib.Graph) -> None:
    assert set(linksets(void)) == {
        "http://uri.suomi.fi/codelist/",
        "http://data.europa.eu/nuts/",
        "http://www.wikidata.org/entity/",
        "http://www.yso.fi/onto/yso/",
    }


def test_wikidata_links_are_the_registry_files_sameas(void: rdflib.Graph) -> None:
    # Written from the registry: data/registry/links.ttl holds every owl:sameAs to Wikidata.
    links = rdflib.Graph().parse(REPOSITORY / "data/registry/links.ttl")
    expected = len(list(links.triples((None, OWL.sameAs, None))))
    linkset = linksets(void)["http://www.wikidata.org/entity/"]
    assert count(void, linkset, VOID.triples) == expected == 18
    assert set(void.objects(linkset, VOID.linkPredicate)) == {OWL.sameAs}


@pytest.mark.parametrize(
    "space",
    [
        "http://uri.suomi.fi/codelist/",
        "http://data.europa.eu/nuts/",
        "http://www.wikidata.org/entity/",
        "http://www.yso.fi/onto/yso/",
    ],
)
def test_linkset_counts_are_the_endpoints(url: str, void: rdflib.Graph, space: str) -> None:
    linkset = linksets(void)[space]
    ours = "https://w3id.org/aluekg/"
    [row] = solutions(
        url,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{
              {{ SELECT DISTINCT ?s ?p ?o WHERE {{
                  {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), "{ours}") && isIRI(?o)
                                     && STRSTARTS(STR(?o), "{space}")) }}
                  UNION
                  {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), "{space}") && isIRI(?o)
                                     && STRSTARTS(STR(?o), "{ours}")) }} }} }} }}""",
    )
    assert count(void, linkset, VOID.triples) == int(row["n"]["value"]) > 0


def test_graph_subsets_are_the_endpoints(url: str, void: rdflib.Graph) -> None:
    rows = solutions(url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    expected = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    stated = {
        str(subset): count(void, subset, VOID.triples)
        for subset in void.objects(DATASET, VOID.subset)
        if (subset, rdflib.RDF.type, VOID.Linkset) not in void
        and str(subset).startswith("https://w3id.org/aluekg/graph/")
    }
    assert stated == expected


def test_licence_endpoint_examples_and_dumps(url: str, void: rdflib.Graph) -> None:
    assert void.value(DATASET, DCTERMS.license) == CC_BY
    assert void.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(url + "/sparql")
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert {rdflib.URIRef(KAUSTINEN), rdflib.URIRef(KYMENLAAKSO)} <= examples
    dumps = {str(dump) for dump in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {
        url + f"/dumps/aluekg.{ext}.gz" for ext in ("ttl", "nt", "nq", "trig", "jsonld")
    }
    media = {str(void.value(d, DCAT.mediaType)) for d in void.objects(DATASET, DCAT.distribution)}
    assert "http://www.iana.org/assignments/media-types/text/turtle" in media
    status, _, _ = get(url + "/dumps/aluekg.nt.gz")
    assert status == 200


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        pytest.param("application/ld+json", "application/ld+json", id="json-ld"),
        pytest.param("application/n-triples", "application/n-triples", id="n-triples"),
        pytest.param("application/rdf+xml", "application/rdf+xml", id="rdf-xml"),
        pytest.param("*/*", "text/turtle", id="any"),
    ],
)
def test_each_format_says_the_same(
    url: str, void: rdflib.Graph, accept: str, media_type: str
) -> None:
    status, headers, body = get(url + "/.well-known/void", accept)
    assert status == 200
    assert headers["Content-Type"].startswith(media_type)
    assert "Accept" in headers["Vary"].split(", ")
    # pyoxigraph reads every format (rdflib's JSON-LD parser warns under filterwarnings=error).
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    triples = [quad.triple for quad in pyoxigraph.parse(body, rdf_format)]
    # The same statements as the Turtle, blank nodes and all: compared as graphs, through
    # N-Triples, which rdflib reads quietly.
    written = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert written is not None
    graph = rdflib.Graph().parse(data=written.decode(), format="nt")
    assert len(graph) == len(void)
    assert rdflib.compare.isomorphic(graph, void)


def test_html_only_is_406_and_etag_gives_304(url: str) -> None:
    status, headers, body = get(url + "/.well-known/void", "text/html")
    assert (status, headers["Content-Type"]) == (406, "text/plain; charset=utf-8")
    assert b"text/turtle" in body
    _, headers, _ = get(url + "/.well-known/void", "text/turtle")
    status, _, body = get(
        url + "/.well-known/void", "text/turtle", **{"If-None-Match": headers["ETag"]}
    )
    assert (status, body) == (304, b"")


def test_public_base_names_the_endpoint_and_dumps() -> None:
    with repository_service(base_iri="https://data.example.org/aluekg") as live_url:
        status, _, body = get(live_url + "/.well-known/void", "text/turtle")
    assert status == 200
    void = rdflib.Graph().parse(data=body, format="turtle")
    endpoint = rdflib.URIRef("https://data.example.org/aluekg/sparql")
    assert void.value(DATASET, VOID.sparqlEndpoint) == endpoint
    dump = rdflib.URIRef("https://data.example.org/aluekg/dumps/aluekg.nq.gz")
    assert dump in set(void.objects(DATASET, VOID.dataDump))


def test_the_index_rdf_is_the_dataset_description(url: str, void: rdflib.Graph) -> None:
    """Issue 8.3: VoID and DCAT at /.well-known/void and in the index's RDF."""
    status, headers, body = get(url + "/", "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    index = rdflib.Graph().parse(data=body, format="turtle")
    assert rdflib.compare.isomorphic(index, void)
    assert count(index, DATASET, VOID.triples) > 10_000


def test_if_none_match_compares_weakly(url: str) -> None:
    """RFC 9110 §13.1.2: If-None-Match compares weakly, so the ETag without its W/ matches too,
    as does "*"."""
    _, headers, _ = get(url + "/.well-known/void", "text/turtle")
    for tag in (headers["ETag"].removeprefix("W/"), "*"):
        status, _, _ = get(url + "/.well-known/void", "text/turtle", **{"If-None-Match": tag})
        assert status == 304, tag
