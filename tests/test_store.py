"""The embedded store: named graphs per file, the union default graph, formats and errors."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pyoxigraph
import pytest

from aluekg.errors import DataError, NoAcceptableFormat, NotAnIri, QueryError, TooLarge
from aluekg.query.backend import Accepts, Dataset
from aluekg.query.documents import convert
from aluekg.query.store import Store, graph_name
from tests.sparql_service import EX, FIXTURES, PROGRAMMES_GRAPH, REGIONS_GRAPH

REPOSITORY = Path(__file__).resolve().parents[1]
SYNTAXES = FIXTURES.parent / "sparql-syntaxes"
JSON = Accepts("application/sparql-results+json", "text/turtle", "application/sparql-results+json")


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    store.load(sorted(FIXTURES.iterdir()), REPOSITORY)
    return store


def values(store: Store, query: str, dataset: Dataset | None = None) -> set[str]:
    """The values of the first variable of each solution."""
    body = json.loads(store.answer(query, JSON, dataset).body)
    variable = body["head"]["vars"][0]
    return {row[variable]["value"] for row in body["results"]["bindings"] if variable in row}


def test_each_file_is_a_named_graph(store: Store) -> None:
    assert store.graphs == {PROGRAMMES_GRAPH, REGIONS_GRAPH, EX + "sources"}
    assert values(store, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }") == store.graphs


def test_a_statement_tells_where_it_comes_from(store: Store) -> None:
    query = f"SELECT ?g {{ GRAPH ?g {{ <{EX}region-08> ?p ?o }} }}"
    assert values(store, query) == {REGIONS_GRAPH}


def test_default_graph_is_the_union(store: Store) -> None:
    query = f"SELECT ?label {{ <{EX}programme-1> <{EX}region> ?r . ?r ?p ?label }}"
    assert values(store, query) == {"Kymenlaakso", "08"}


def test_from_chooses_the_default_graph(store: Store) -> None:
    query = f"SELECT ?s FROM <{REGIONS_GRAPH}> {{ ?s ?p ?o }}"
    assert values(store, query) == {EX + "region-08"}


def test_dataset_parameters_override_from(store: Store) -> None:
    query = f"SELECT ?s FROM <{REGIONS_GRAPH}> {{ ?s ?p ?o }}"
    dataset = Dataset(default_graph_uris=(EX + "sources",))
    assert values(store, query, dataset) == {EX + "programme-1"}


def test_named_graph_parameter_limits_graph_patterns(store: Store) -> None:
    dataset = Dataset(named_graph_uris=(REGIONS_GRAPH,))
    assert values(store, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", dataset) == {REGIONS_GRAPH}
    assert values(store, "SELECT ?s { ?s ?p ?o }", dataset) == set()


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        pytest.param(
            "application/sparql-results+json", "application/sparql-results+json", id="json"
        ),
        pytest.param("application/sparql-results+xml", "application/sparql-results+xml", id="xml"),
        pytest.param("text/csv", "text/csv; charset=utf-8", id="csv"),
        pytest.param(
            "text/tab-separated-values", "text/tab-separated-values; charset=utf-8", id="tsv"
        ),
        pytest.param("application/json", "application/sparql-results+json", id="json alias"),
    ],
)
def test_solutions_in_each_format_parse_back(store: Store, media_type: str, expected: str) -> None:
    answer = store.answer("SELECT ?s { ?s a ?type }", Accepts(media_type, None))
    assert answer.media_type == expected
    assert subjects(answer.body, media_type) == {EX + "programme-1", EX + "programme-2"}


def subjects(body: bytes, media_type: str) -> set[str]:
    """The values of ?s in serialised solutions."""
    if media_type == "text/csv":
        # pyoxigraph does not read CSV results back: the format is lossy.
        return {row["s"] for row in csv.DictReader(io.StringIO(body.decode()))}
    fmt = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
    assert fmt is not None
    parsed = pyoxigraph.parse_query_results(body, fmt)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    return {row["s"].value for row in parsed if isinstance(row["s"], pyoxigraph.NamedNode)}


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
)
def test_graphs_in_each_format_parse_back(store: Store, media_type: str) -> None:
    answer = store.answer(f"CONSTRUCT WHERE {{ <{EX}region-08> ?p ?o }}", Accepts(None, media_type))
    assert answer.media_type == media_type
    assert answer.triples == 2
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    triples = {str(t.object) for t in pyoxigraph.parse(answer.body, fmt)}
    assert triples == {'"Kymenlaakso"@fi', '"08"'}


def test_ask_answers_a_boolean(store: Store) -> None:
    answer = store.answer(f"ASK {{ <{EX}programme-1> ?p ?o }}", JSON)
    assert json.loads(answer.body) == {"head": {}, "boolean": True}


def test_syntax_error_names_line_and_column(store: Store) -> None:
    with pytest.raises(QueryError, match=r"^Syntax error at line 2, column 16: expected one of"):
        store.answer("SELECT *\nWHERE { ?s ?p }", JSON)


def test_graph_result_without_graph_format_is_refused(store: Store) -> None:
    with pytest.raises(NoAcceptableFormat, match="result is graph; ask for one of text/turtle"):
        store.answer("CONSTRUCT WHERE { ?s ?p ?o }", Accepts("text/csv", None))


def test_result_over_the_cap_is_too_large() -> None:
    store = Store(max_bytes=100)
    store.load([FIXTURES / "programmes.ttl"], REPOSITORY)
    with pytest.raises(TooLarge, match="larger than 100 bytes"):
        store.answer("SELECT * { ?s ?p ?o }", JSON)


def test_bound_iri_must_be_an_iri(store: Store) -> None:
    with pytest.raises(NotAnIri):
        store.answer("SELECT ?p { ?s ?p ?o }", JSON, iris={"s": "not an iri"})


def test_bound_iri_is_substituted(store: Store) -> None:
    answer = store.answer("ASK { ?s ?p ?o }", JSON, iris={"s": EX + "region-08"})
    assert json.loads(answer.body)["boolean"] is True


def test_lazy_evaluation_failure_is_a_query_error(store: Store) -> None:
    # A closed loopback port: the SERVICE call fails during serialisation, not at query().
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(QueryError):
        store.answer(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}", JSON)


def test_unparseable_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(DataError, match=r"bad\.ttl: "):
        Store().load([bad], tmp_path)


def test_graph_name_outside_the_root_is_a_file_iri(tmp_path: Path) -> None:
    assert graph_name(tmp_path / "x.ttl", REPOSITORY) == (tmp_path / "x.ttl").as_uri()


def test_restored_dump_has_every_quad_and_the_same_blank_nodes(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "blank.ttl").write_text("<http://ex/a> <http://ex/p> [ <http://ex/q> 1 ] .")
    original = Store()
    original.load([*sorted(FIXTURES.iterdir()), tmp_path / "blank.ttl"], REPOSITORY)
    original.dump(tmp_path / "store.nq")
    copy = Store.restore(tmp_path / "store.nq")
    assert copy.graphs == original.graphs
    assert copy.quads == original.quads == store.quads + 2
    query = "SELECT ?g ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    # Byte for byte, blank node labels too: every worker's copy answers alike.
    assert copy.answer(query, JSON).body == original.answer(query, JSON).body


def test_restoring_a_missing_dump_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing\.nq: "):
        Store.restore(tmp_path / "missing.nq")


def test_convert_resolves_relative_iris_against_the_base() -> None:
    body = convert("<> <http://p> <#x> .", "http://host/sparql", "application/n-triples")
    assert body == b"<http://host/sparql> <http://p> <http://host/sparql#x> .\n"


def test_every_rdf_syntax_loads_into_its_files_graph() -> None:
    store = Store()
    store.load(sorted(SYNTAXES.iterdir()), REPOSITORY)
    base = "https://w3id.org/aluekg/graph/tests/fixtures/sparql-syntaxes/one."
    query = "SELECT ?g ?o { GRAPH ?g { ?s ?p ?o } }"
    body = json.loads(store.answer(query, JSON).body)
    found = {(row["g"]["value"], row["o"]["value"]) for row in body["results"]["bindings"]}
    assert found == {
        (base + "ttl", "Turtle"),
        (base + "nt", "N-Triples"),
        (base + "rdf", "RDF/XML"),
        (base + "jsonld", "JSON-LD"),
        (base + "nq", "N-Quads, default graph"),
        (EX + "quads-graph", "N-Quads"),
        (EX + "trig-graph", "TriG"),
    }


def test_relative_iris_resolve_against_the_files_own_iri() -> None:
    """As rdflib and `aluekg validate` read the file, not against its graph's name (issue 12)."""
    store = Store()
    store.load([SYNTAXES / "one.ttl"], REPOSITORY)
    iri = (SYNTAXES / "one.ttl").absolute().as_uri()
    assert json.loads(store.answer(f"ASK {{ <{iri}#turtle> ?p ?o }}", JSON).body)["boolean"]
