"""The remote store against a real Oxigraph server that these tests start: `aluekg load --to` puts
the repository's files there, and every query answers the same through the embedded store, through
aluekg.query.remote, and through the HTTP endpoint serving the remote store (issue 4). Every query
of queries/ and every format, on Oxigraph and Virtuoso, are in test_remote_backends.py.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.errors import (
    NoAcceptableFormat,
    NotAnIri,
    QueryError,
    QueryTimeout,
    StoreFailed,
    TooLarge,
)
from aluekg.query import loading, remote
from aluekg.query.backend import Accepts, Answer, Dataset
from aluekg.query.store import Store, graph_name
from aluekg.reconcile import index
from tests.sparql_service import live

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
ID = "https://w3id.org/aluekg/id/"
KAUSTINEN = ID + "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
KAUSTINEN_FILE = REPOSITORY / "data/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl"
PREFIXES = """PREFIX alue: <https://w3id.org/aluekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
JSON_RESULTS = Accepts(solutions="application/sparql-results+json", graph="text/turtle")
# Queries of our own, beside those of queries/, for what the examples leave out.
QUERIES = {
    "labels": PREFIXES + f"SELECT ?label WHERE {{ <{KAUSTINEN}> skos:prefLabel ?label }}",
    "graph-of-a-statement": PREFIXES
    + f"SELECT ?graph WHERE {{ GRAPH ?graph {{ <{KAUSTINEN}> a alue:Programme }} }}",
    "from": f"SELECT (COUNT(*) AS ?n) FROM <{graph_name(KAUSTINEN_FILE, REPOSITORY)}> "
    "WHERE { ?s ?p ?o }",
    "count-by-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "ask": PREFIXES + "ASK { ?programme a alue:Programme }",
    "construct": f"CONSTRUCT {{ <{KAUSTINEN}> ?p ?o }} WHERE {{ <{KAUSTINEN}> ?p ?o }}",
}
EXAMPLES = {path.stem: path.read_text("utf-8") for path in sorted(REPOSITORY.glob("queries/*.rq"))}

# The oxigraph package is in the test extra, so its server is always there: no skip.
pytestmark = [pytest.mark.oxigraph_server]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port, as `oxigraph serve` runs with no flags."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@contextmanager
def oxigraph_server(location: Path, *options: str) -> Iterator[str]:
    url = f"http://127.0.0.1:{free_port()}"
    # Default settings: the default graph is the store's own (empty) default graph.
    command = [str(OXIGRAPH), "serve", "--location", str(location)]
    process = subprocess.Popen([*command, *options, "--bind", url.removeprefix("http://")])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                assert process.poll() is None, "the Oxigraph server exited"
                assert time.monotonic() < deadline, "the Oxigraph server did not start"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def loaded(oxigraph_url: str) -> list[Path]:
    """The repository's files, put into the Oxigraph server by `aluekg load --to`."""
    files = serving.source_files(Settings())
    command = [sys.executable, "-m", "aluekg", "load", "--to", oxigraph_url + "/store"]
    done = subprocess.run(
        [*command, "--no-validate"], capture_output=True, text=True, timeout=120, cwd=REPOSITORY
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"Loaded {len(files)} files into {oxigraph_url}/store\n"
    return files


@pytest.fixture(scope="module")
def embedded(loaded: list[Path]) -> Store:
    store = Store()
    store.load(loaded, REPOSITORY)
    return store


@pytest.fixture(scope="module")
def remote_store(oxigraph_url: str, loaded: list[Path]) -> remote.RemoteStore:
    return remote.connect(oxigraph_url + "/query")


def rows(answer: Answer) -> list[tuple[str, ...]]:
    """The solutions of a results answer as sorted tuples of term strings."""
    found = parsed(answer)
    assert isinstance(found, tuple)
    return list(found[1])


def parsed(answer: Answer) -> object:
    """An answer as comparable values: rows as sorted term strings, or sorted triples."""
    if answer.media_type.startswith("text/csv"):
        # pyoxigraph does not read CSV results (they lose term types), so the csv module does.
        header, *body = csv.reader(io.StringIO(answer.body.decode("utf-8")))
        return header, sorted(tuple(row) for row in body)
    results_format = ox.QueryResultsFormat.from_media_type(answer.media_type)
    if results_format is not None:
        results = ox.parse_query_results(answer.body, results_format)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        names = [variable.value for variable in results.variables]
        return names, sorted(tuple(str(row[name]) for name in names) for row in results)
    rdf_format = ox.RdfFormat.from_media_type(answer.media_type)
    assert rdf_format is not None
    return sorted(str(triple) for triple in ox.parse(answer.body, rdf_format))


def test_load_puts_each_file_into_its_own_graph(
    remote_store: remote.RemoteStore, embedded: Store, loaded: list[Path]
) -> None:
    query = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }"
    graphs = {row[0].strip("<>") for row in rows(remote_store.answer(query, JSON_RESULTS))}
    assert graphs == {graph_name(path, REPOSITORY) for path in loaded}
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert parsed(remote_store.answer(count, JSON_RESULTS)) == (
        ["n"],
        [(f'"{embedded.quads}"^^<http://www.w3.org/2001/XMLSchema#integer>',)],
    )


def test_the_answers_hold_what_the_sources_say(remote_store: remote.RemoteStore) -> None:
    """The programme's name as its own document gives it, and the file it comes from."""
    labels = rows(remote_store.answer(QUERIES["labels"], JSON_RESULTS))
    assert ('"Kaustisen seudun Elinvoimaohjelma 2022-2026"@fi',) in labels
    graphs = parsed(remote_store.answer(QUERIES["graph-of-a-statement"], JSON_RESULTS))
    assert graphs == (["graph"], [(f"<{graph_name(KAUSTINEN_FILE, REPOSITORY)}>",)])
    assert parsed(remote_store.answer(QUERIES["ask"], JSON_RESULTS)) is True


def test_the_dataset_parameters_and_bindings_answer_the_same(
    embedded: Store, remote_store: remote.RemoteStore
) -> None:
    dataset = Dataset(default_graph_uris=(graph_name(KAUSTINEN_FILE, REPOSITORY),))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    here, there = (
        embedded.answer(count, JSON_RESULTS, dataset),
        remote_store.answer(count, JSON_RESULTS, dataset),
    )
    assert parsed(there) == parsed(here)
    describe = "CONSTRUCT { ?resource ?p ?o } WHERE { ?resource ?p ?o }"
    iris = {"resource": KAUSTINEN}
    here, there = (
        embedded.answer(describe, JSON_RESULTS, iris=iris),
        remote_store.answer(describe, JSON_RESULTS, iris=iris),
    )
    assert there.triples == here.triples
    assert here.triples
    assert parsed(there) == parsed(here)


def test_a_syntax_error_reads_as_the_embedded_store_words_it(
    embedded: Store, remote_store: remote.RemoteStore
) -> None:
    query = "SELECT * WHERE {\n  ?s ?p\n}"
    with pytest.raises(QueryError) as here:
        embedded.answer(query, JSON_RESULTS)
    with pytest.raises(QueryError) as there:
        remote_store.answer(query, JSON_RESULTS)
    assert str(there.value) == str(here.value)
    assert str(there.value).startswith("Syntax error at line 3, column ")


def test_remote_refusals_become_our_errors(
    remote_store: remote.RemoteStore, oxigraph_url: str
) -> None:
    with pytest.raises(NoAcceptableFormat):
        remote_store.answer("SELECT * WHERE { ?s ?p ?o }", Accepts(None, "text/turtle"))
    with pytest.raises(NotAnIri, match="Not an IRI: 'x> } ; DROP ALL #'"):
        remote_store.answer(
            "SELECT * WHERE { ?s ?p ?o }", JSON_RESULTS, iris={"s": "x> } ; DROP ALL #"}
        )
    small = remote.connect(oxigraph_url + "/query", max_bytes=1000)
    with pytest.raises(TooLarge, match="larger than the limit of 1000 bytes"):
        small.answer("CONSTRUCT WHERE { ?s ?p ?o }", JSON_RESULTS)
    with pytest.raises(NotAnIri, match="must be an http or https URL"):
        remote.connect("file:///etc/passwd")


def test_a_query_the_store_stops_at_its_time_limit_is_a_timeout(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path, "--timeout-s", "1") as url:
        loading.push_files(url + "/store", [KAUSTINEN_FILE], REPOSITORY)
        store = remote.connect(url + "/query")
        # Every triple with every other, three times over: far more than a second's work.
        # (Four times over, Oxigraph 0.5.13 took 12 s to notice its limit over a named dataset.)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        # The store's own message: it stopped the query (no wall-clock bound: the machine may
        # be loaded).
        with pytest.raises(QueryTimeout, match="The store stopped the query at its time limit"):
            store.answer(runaway, Accepts("text/csv", None))


def test_an_unreachable_store_is_not_the_users_fault() -> None:
    gone = remote.connect(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreFailed, match=r"Cannot reach the store at http://127\.0\.0\.1:"):
        gone.answer("ASK {}", JSON_RESULTS)


def test_the_http_endpoint_over_the_remote_store_answers_the_same(
    embedded: Store, remote_store: remote.RemoteStore
) -> None:
    service = serving.build(replace(Settings(), cache=False), backend=remote_store)
    with live(service.app) as url:
        client = SPARQLWrapper(url + "/sparql")
        client.setQuery(QUERIES["count-by-graph"])
        client.setReturnFormat(JSON)
        over_http = client.query().convert()
        refused = urllib.request.Request(
            url + "/sparql", data=b"query=SELEC", headers={"Accept": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(refused, timeout=10)
    service.close()
    here = json.loads(embedded.answer(QUERIES["count-by-graph"], JSON_RESULTS).body)
    assert isinstance(over_http, dict)
    key = lambda row: row["g"]["value"]  # noqa: E731
    assert sorted(over_http["results"]["bindings"], key=key) == sorted(
        here["results"]["bindings"], key=key
    )
    with pytest.raises(QueryError) as embedded_error:
        embedded.answer("SELEC", JSON_RESULTS)
    assert error.value.code == 400
    assert error.value.read().decode().strip() == str(embedded_error.value)


def test_load_validates_first_and_pushes_nothing_on_error(
    oxigraph_url: str, remote_store: remote.RemoteStore
) -> None:
    broken = REPOSITORY / "tests/fixtures/validation-input/syntax-error.ttl"
    command = [sys.executable, "-m", "aluekg", "load", "--to", oxigraph_url + "/store"]
    done = subprocess.run(
        [*command, "--data", str(broken)], capture_output=True, text=True, cwd=REPOSITORY
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: tests/fixtures/validation-input/syntax-error.ttl: line ")
    ask = f"ASK {{ GRAPH <{graph_name(broken, REPOSITORY)}> {{ ?s ?p ?o }} }}"
    assert parsed(remote_store.answer(ask, JSON_RESULTS)) is False


def test_serve_with_store_url_answers_from_the_remote_store(
    oxigraph_url: str, embedded: Store, loaded: list[Path]
) -> None:
    """`aluekg serve --store-url` as a user runs it: a real process in front of Oxigraph."""
    port = free_port()
    command = [sys.executable, "-m", "aluekg", "serve", "--port", str(port), "--no-cache"]
    server = subprocess.Popen(
        [*command, "--store-url", oxigraph_url + "/query"],
        cwd=REPOSITORY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        client = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        client.setQuery(QUERIES["count-by-graph"])
        client.setReturnFormat(JSON)
        deadline = time.monotonic() + 30
        while True:
            try:
                over_http = client.query().convert()
                break
            except urllib.error.URLError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.communicate(timeout=30)
    here = json.loads(embedded.answer(QUERIES["count-by-graph"], JSON_RESULTS).body)
    assert isinstance(over_http, dict)
    key = lambda row: row["g"]["value"]  # noqa: E731
    assert sorted(over_http["results"]["bindings"], key=key) == sorted(
        here["results"]["bindings"], key=key
    )
    assert len(here["results"]["bindings"]) == len(loaded)


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        pytest.param(
            "SELECT * FROM <http://127.0.0.1:9/elsewhere> WHERE { ?s ?p ?o }", None, id="FROM"
        ),
        pytest.param(
            "SELECT * FROM NAMED <http://127.0.0.1:9/elsewhere> WHERE { GRAPH ?g { ?s ?p ?o } }",
            None,
            id="FROM NAMED",
        ),
        pytest.param(
            "SELECT * WHERE { ?s ?p ?o }",
            Dataset(default_graph_uris=("http://127.0.0.1:9/elsewhere",)),
            id="default-graph-uri",
        ),
        pytest.param(
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
            Dataset(named_graph_uris=("http://127.0.0.1:9/elsewhere",)),
            id="named-graph-uri",
        ),
    ],
)
def test_a_graph_the_remote_lacks_is_an_empty_graph(
    embedded: Store, remote_store: remote.RemoteStore, query: str, dataset: Dataset | None
) -> None:
    """As the protocol has it; and the remote is never told the URL, in case it would fetch it."""
    here = embedded.answer(query, JSON_RESULTS, dataset)
    there = remote_store.answer(query, JSON_RESULTS, dataset)
    assert parsed(there) == parsed(here)
    assert rows(there) == []


@pytest.mark.parametrize(
    ("query", "bound"),
    [
        pytest.param(
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT * WHERE {\nVALUES (?s) { (<x:a>) }\n ?s ?p ?o }",
            id="select",
        ),
        pytest.param(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE {\nVALUES (?s) { (<x:a>) }\n ?s ?p ?o }",
            id="construct: not in the template",
        ),
        pytest.param(
            "CONSTRUCT WHERE { ?s ?p ?o }",
            "CONSTRUCT WHERE {\nVALUES (?s) { (<x:a>) }\n ?s ?p ?o }",
            id="construct where",
        ),
        pytest.param(
            'SELECT ("{" AS ?x) { ?s ?p ?o }',
            'SELECT ("{" AS ?x) {\nVALUES (?s) { (<x:a>) }\n ?s ?p ?o }',
            id="a brace in a string",
        ),
        pytest.param(
            "# WHERE {\nASK { ?s ?p ?o }",
            "# WHERE {\nASK {\nVALUES (?s) { (<x:a>) }\n ?s ?p ?o }",
            id="a brace in a comment",
        ),
    ],
)
def test_bindings_go_first_in_the_where_group(query: str, bound: str) -> None:
    """Where the README tells users to put them; Virtuoso 7 does not join a trailing VALUES."""
    assert remote.with_bindings(query, {"s": "x:a"}) == bound


def test_bindings_need_a_where_group() -> None:
    with pytest.raises(QueryError, match="needs a WHERE group"):
        remote.with_bindings("CONSTRUCT { ?s ?p ?o }", {"s": "x:a"})


def test_api_and_void_over_the_remote_store_answer_as_the_embedded_one(
    embedded: Store, remote_store: remote.RemoteStore
) -> None:
    """Typed literals reach the remote in a VALUES clause; the VoID counts come from it; it has
    no dumps (issue 8)."""
    service = serving.build(replace(Settings(), cache=False), backend=remote_store)
    query = urllib.parse.urlencode({"year": "2022", "municipalityCode": "236"})
    with live(service.app) as url:
        with urllib.request.urlopen(
            f"{url}/api/programmes-in-force-for-municipality?{query}", timeout=10
        ) as response:
            found = json.loads(response.read())["results"]["bindings"]
        ntriples = {"Accept": "application/n-triples"}
        void_request = urllib.request.Request(url + "/.well-known/void", headers=ntriples)
        with urllib.request.urlopen(void_request, timeout=30) as response:
            void = response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url + "/dumps/", timeout=10)
    service.close()
    error.value.close()
    kaustinen = "https://w3id.org/aluekg/id/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
    assert [row["programme"]["value"] for row in found] == [kaustinen]
    count = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * { ?s ?p ?o } }"
    [[n]] = rows(embedded.answer(count, Accepts(solutions="text/csv", graph=None)))
    xsd_integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    stated = f'<https://w3id.org/aluekg/> <http://rdfs.org/ns/void#triples> "{n}"^^{xsd_integer} .'
    assert stated in void.splitlines()
    assert error.value.code == 404


def test_the_reconciliation_index_reads_the_same_from_the_remote_store(
    embedded: Store, remote_store: remote.RemoteStore
) -> None:
    """Its four queries answer over the protocol as in the engine (issue 10)."""
    over_protocol, in_process = index.build(remote_store), index.build(embedded)
    assert len(in_process.entities) > 400
    assert over_protocol.entities == in_process.entities
