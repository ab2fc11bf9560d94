"""The W3C SPARQL 1.1 query-evaluation suites (tests/w3c/sparql11, see tests/w3c/README.md),
answered through /sparql of a live server exactly as pyoxigraph answers them in process.

The server holds every data file of the suites in a named graph named by the file's IRI (as the
W3C manifests name it), and each request names its test's dataset with the protocol's
default-graph-uri and named-graph-uri (a test without data names a graph the store lacks, which is
an empty graph); a query's relative IRIs resolve against its own file's IRI, as the suites say, by
a BASE line the client puts first. In process, pyoxigraph holds the test's data in its default
graph and the graph data in named graphs, as a W3C test runner does. The two answers must be the
same, blank nodes aside: whatever the engine gets wrong, it gets wrong the same way both times.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from aluekg.query.guard import outline
from tests.sparql_service import live, service

SUITES = Path(__file__).parent / "w3c" / "sparql11"
# Where the W3C publishes these files: the IRIs the manifests give them.
W3C = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
NAMES = [
    "aggregates",
    "bind",
    "bindings",
    "cast",
    "construct",
    "csv-tsv-res",
    "exists",
    "functions",
    "grouping",
    "json-res",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
]
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
KINDS = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}
# The dataset of a test without data: a graph no store has, so an empty default graph.
NO_DATA = "urn:x-aluekg-test:no-data"
FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/csv": ox.QueryResultsFormat.CSV,
}


@dataclass(frozen=True)
class Case:
    name: str
    query: str  # its IRI
    data: tuple[str, ...]
    graph_data: tuple[str, ...]
    accept: str


def path_of(iri: str) -> Path:
    assert iri.startswith(W3C), iri
    return SUITES / iri.removeprefix(W3C)


def cases() -> list[Case]:
    found = []
    for suite in NAMES:
        graph = rdflib.Graph().parse(
            SUITES / suite / "manifest.ttl", format="turtle", publicID=f"{W3C}{suite}/manifest.ttl"
        )
        (entries,) = graph.objects(None, MF.entries)
        for test in Collection(graph, entries):
            if graph.value(test, rdflib.RDF.type) not in KINDS:
                continue
            action = graph.value(test, MF.action)
            result = str(graph.value(test, MF.result))
            accept = {".csv": "text/csv", ".tsv": "text/tab-separated-values"}.get(
                Path(result).suffix, "application/sparql-results+json, application/n-triples"
            )
            found.append(
                Case(
                    name=f"{suite}/{str(test).rsplit('#', 1)[-1]}",
                    query=str(graph.value(action, QT.query)),
                    data=tuple(sorted(str(data) for data in graph.objects(action, QT.data))),
                    graph_data=tuple(
                        sorted(str(data) for data in graph.objects(action, QT.graphData))
                    ),
                    accept=accept,
                )
            )
    return found


CASES = cases()


def triples(iri: str) -> list[ox.Triple]:
    path = path_of(iri)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    assert fmt is not None, path
    return [
        ox.Triple(quad.subject, quad.predicate, quad.object)
        for quad in ox.parse(path=path, format=fmt, base_iri=iri)
    ]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx2.Client]:
    """A live server over every data file of the suites, each in its own named graph, and one
    client for all the requests (a client per request costs more than the request)."""
    files = sorted({iri for case in CASES for iri in (*case.data, *case.graph_data)})
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
        for iri in files
        for t in triples(iri)
    ]
    dataset = tmp_path_factory.mktemp("w3c") / "sparql11.nq"
    ox.serialize(quads, dataset, ox.RdfFormat.N_QUADS)
    with (
        service(data_files=(dataset,), workers=1, cache=False) as built,
        live(built.app) as url,
        httpx2.Client(base_url=url, timeout=60) as client,
    ):
        yield client


def in_process(case: Case, text: str) -> tuple[str, bytes]:
    """pyoxigraph's answer, its data loaded as a W3C test runner loads it."""
    store = ox.Store()
    for iri in case.data:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples(iri))
    for iri in case.graph_data:
        graph = ox.NamedNode(iri)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples(iri))
    results = store.query(text, base_iri=case.query)
    sink = io.BytesIO()
    if isinstance(results, ox.QueryTriples):
        ox.serialize(results, sink, ox.RdfFormat.N_TRIPLES)
        return "application/n-triples", sink.getvalue()
    media_type = case.accept.partition(",")[0]
    results.serialize(sink, FORMATS[media_type])
    return media_type, sink.getvalue()


def over_http(client: httpx2.Client, case: Case, text: str) -> httpx2.Response:
    params = [("query", f"BASE <{case.query}>\n{text}")]
    # The query's own FROM chooses its dataset (the protocol's parameters would override it).
    if not outline(text).names_dataset:
        params += [("default-graph-uri", iri) for iri in case.data or (NO_DATA,)]
        params += [("named-graph-uri", iri) for iri in case.graph_data]
    return client.post("/sparql", data=dict_of(params), headers={"accept": case.accept})


def dict_of(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in params:
        found.setdefault(name, []).append(value)
    return found


def canonical(media_type: str, body: bytes) -> object:
    """An answer with its blank nodes relabelled canonically, so that two stores compare."""
    media_type = media_type.partition(";")[0].strip()
    if media_type == "text/csv":
        # CSV loses term types, so pyoxigraph does not read it: rows as text, blank nodes aside.
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
        return header, sorted(tuple("_:" if v.startswith("_:") else v for v in r) for r in rows)
    if media_type in FORMATS:
        results = ox.parse_query_results(body, FORMATS[media_type])
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        names = [variable.value for variable in results.variables]
        quads = []
        for solution in results:
            row = ox.BlankNode()
            for name in names:
                value = solution[name]
                if value is not None:
                    quads.append(ox.Quad(row, ox.NamedNode(f"urn:x-variable:{name}"), value))
            if not any(solution[name] is not None for name in names):
                quads.append(ox.Quad(row, ox.NamedNode("urn:x-variable:"), ox.Literal("empty")))
        return names, _canonical(quads)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None, media_type
    return _canonical(
        [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(body, rdf_format)]
    )


def _canonical(quads: list[ox.Quad]) -> list[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(quad) for quad in dataset)


def test_the_suites_are_all_there() -> None:
    assert len(CASES) == 235
    assert all(path_of(case.query).is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_w3c_evaluation(endpoint: httpx2.Client, case: Case) -> None:
    text = path_of(case.query).read_text("utf-8")
    media_type, body = in_process(case, text)
    response = over_http(endpoint, case, text)
    assert response.status_code == 200, response.text
    assert canonical(response.headers["content-type"], response.content) == canonical(
        media_type, body
    )
