"""Remote stores, unmodified: `aluekg load --to` fills each store, and the service in front of it
answers every request below as the service over the embedded store does: same status, same
answer. The stores are Oxigraph server with no flags, Oxigraph server with its default graph the
union of its graphs, and Virtuoso 7 (Debian's virtuoso-opensource), each started here on loopback.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx2
import pyoxigraph as ox
import pytest

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.query import remote
from aluekg.query.backend import Accepts, Answer
from aluekg.query.store import Store, graph_name
from tests.sparql_service import live
from tests.test_remote import oxigraph_server
from tests.virtuoso import VIRTUOSO, virtuoso_server

ID = "https://w3id.org/aluekg/id/"
KAUSTINEN = ID + "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
KAUSTINEN_GRAPH = graph_name(
    REPOSITORY / "data/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl", REPOSITORY
)
ELSEWHERE = "http://127.0.0.1:9/elsewhere"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CONSTRUCT = f"CONSTRUCT {{ <{KAUSTINEN}> ?p ?o }} WHERE {{ <{KAUSTINEN}> ?p ?o }}"
EXAMPLES = {path.stem: path.read_text("utf-8") for path in sorted(REPOSITORY.glob("queries/*.rq"))}
# Each request as (query parameters, Accept); the same is sent to both services.
REQUESTS: dict[str, tuple[list[tuple[str, str]], str]] = {
    **{name: ([("query", text)], "application/json") for name, text in EXAMPLES.items()},
    "count": ([("query", COUNT)], "application/json"),
    "count-by-graph": ([("query", COUNT_BY_GRAPH)], "application/json"),
    "ask": ([("query", "ASK { ?s a <https://w3id.org/aluekg/ontology#Programme> }")], "*/*"),
    **{
        f"results as {media}": ([("query", COUNT_BY_GRAPH)], media)
        for media in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values")
    },
    **{
        f"graph as {media}": ([("query", CONSTRUCT)], media)
        for media in (
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
        )
    },
    "FROM": ([("query", f"SELECT (COUNT(*) AS ?n) FROM <{KAUSTINEN_GRAPH}> {{ ?s ?p ?o }}")], ""),
    "FROM NAMED": (
        # Not GRAPH ?g { }: Virtuoso 7.2.5 answers that with one solution binding nothing.
        [
            (
                "query",
                f"SELECT DISTINCT ?g FROM NAMED <{KAUSTINEN_GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            )
        ],
        "",
    ),
    "default-graph-uri": ([("query", COUNT), ("default-graph-uri", KAUSTINEN_GRAPH)], ""),
    "named-graph-uri": ([("query", COUNT_BY_GRAPH), ("named-graph-uri", KAUSTINEN_GRAPH)], ""),
    "both dataset parameters": (
        [
            ("query", COUNT_BY_GRAPH),
            ("default-graph-uri", KAUSTINEN_GRAPH),
            ("named-graph-uri", KAUSTINEN_GRAPH),
        ],
        "",
    ),
    "FROM a graph the store lacks": (
        [("query", f"SELECT (COUNT(*) AS ?n) FROM <{ELSEWHERE}> {{ ?s ?p ?o }}")],
        "",
    ),
    "default-graph-uri the store lacks": (
        [("query", COUNT), ("default-graph-uri", ELSEWHERE)],
        "",
    ),
    "the union graph a remote holds is not a graph of the data": (
        [("query", COUNT), ("default-graph-uri", "https://w3id.org/aluekg/graph/")],
        "",
    ),
    "named-graph-uri the store lacks": (
        [("query", COUNT_BY_GRAPH), ("named-graph-uri", ELSEWHERE)],
        "",
    ),
    "update": ([("update", "DROP ALL")], ""),
    "update as a query": ([("query", "INSERT DATA { <x:a> <x:b> <x:c> }")], ""),
    "LOAD": ([("query", f"LOAD <{ELSEWHERE}>")], ""),
    "SERVICE": ([("query", f"SELECT * {{ SERVICE <{ELSEWHERE}> {{ ?s ?p ?o }} }}")], ""),
    "syntax error": ([("query", "SELECT * WHERE { ?s ?p }")], ""),
    # Virtuoso would fetch the FROM graph from the web; no store is sent the pragma.
    "a store's pragma": (
        [("query", f'DEFINE get:soft "replace" SELECT * FROM <{ELSEWHERE}> {{ ?s ?p ?o }}')],
        "",
    ),
    "no acceptable format": ([("query", COUNT)], "image/png"),
}
# Queries of queries/ that take an IRI, bound as programs bind them (values from the data).
BOUND = {
    "area-registry-links": {"area": ID + "region/08"},
    "programme-governance": {"programme": KAUSTINEN},
    "programme-structure": {"programme": KAUSTINEN},
    "programmes-by-topic": {"topic": "http://www.yso.fi/onto/yso/p25274"},
}
JSON = Accepts(solutions="application/sparql-results+json", graph="text/turtle")

pytestmark = [pytest.mark.oxigraph_server]


@pytest.fixture(scope="module", params=["oxigraph", "oxigraph --union-default-graph", "virtuoso"])
def store_urls(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A store's query and Graph Store URLs, the store filled by `aluekg load --to`."""
    folder = tmp_path_factory.mktemp("store")
    server = _start(request.param, folder)
    with server as (query_url, graph_store_url):
        command = [sys.executable, "-m", "aluekg", "load", "--to", graph_store_url]
        done = subprocess.run(
            [*command, "--no-validate"], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        yield query_url, graph_store_url


@contextmanager
def _start(kind: str, folder: Path) -> Iterator[tuple[str, str]]:
    if kind == "virtuoso":
        if VIRTUOSO is None:
            pytest.skip("virtuoso-t is not installed (make test installs it: .ci/setup-virtuoso)")
        with virtuoso_server(folder) as url:
            yield url + "/sparql", url + "/sparql-graph-crud"
    else:
        with oxigraph_server(folder, *kind.split()[1:]) as url:
            yield url + "/query", url + "/store"


@pytest.fixture(scope="module")
def embedded() -> Iterator[tuple[str, Store]]:
    """The service over the embedded store, and that store."""
    service = serving.build(replace(Settings(), workers=0, cache=False))
    # With no workers and no cache, the service answers from this very store.
    store = service.app.state.backend
    assert isinstance(store, Store)
    with live(service.app) as url:
        yield url, store
    service.close()


@pytest.fixture(scope="module")
def over_remote(store_urls: tuple[str, str]) -> Iterator[tuple[str, remote.RemoteStore]]:
    """The service over the remote store, and the remote backend itself."""
    backend = remote.connect(store_urls[0], timeout=30)
    service = serving.build(replace(Settings(), cache=False), backend=backend)
    with live(service.app) as url:
        yield url, backend
    service.close()


def parsed(media_type: str, body: bytes) -> object:
    """An answer as comparable values: rows as sorted term strings, sorted triples, or a bool."""
    media_type = media_type.partition(";")[0].strip()
    if media_type == "text/csv":
        # pyoxigraph does not read CSV results (they lose term types), so the csv module does.
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
        return header, sorted(tuple(row) for row in rows)
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        results = ox.parse_query_results(body, results_format)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        names = [variable.value for variable in results.variables]
        return names, sorted(tuple(str(row[name]) for name in names) for row in results)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None, media_type
    return sorted(str(triple) for triple in ox.parse(body, rdf_format))


def rows(media_type: str, body: bytes) -> list[tuple[str, ...]]:
    """The solutions of a results answer as sorted tuples of term strings."""
    found = parsed(media_type, body)
    assert isinstance(found, tuple)
    solutions: list[tuple[str, ...]] = found[1]
    return solutions


def ask(url: str, params: list[tuple[str, str]], accept: str) -> httpx2.Response:
    headers = {"accept": accept} if accept else {}
    return httpx2.get(url + "/sparql", params=tuple(params), headers=headers, timeout=60)


@pytest.mark.parametrize("name", REQUESTS)
def test_the_same_request_gets_the_same_answer(
    embedded: tuple[str, Store], over_remote: tuple[str, remote.RemoteStore], name: str
) -> None:
    params, accept = REQUESTS[name]
    here, there = ask(embedded[0], params, accept), ask(over_remote[0], params, accept)
    assert there.status_code == here.status_code, there.text
    if here.status_code != 200:
        assert there.headers["content-type"] == "text/plain; charset=utf-8"
        # Refusals made before any store is asked read the same; a store's own syntax error
        # message is its own.
        if name != "syntax error":
            assert there.text == here.text
        return
    media_type = here.headers["content-type"]
    assert there.headers["content-type"].partition(";")[0] == media_type.partition(";")[0]
    answer = parsed(media_type, here.content)
    assert parsed(there.headers["content-type"], there.content) == answer
    assert answer not in ([], ([], []))


def test_the_answers_are_not_empty(embedded: tuple[str, Store]) -> None:
    """The comparisons above compare something: counts as the data has them."""
    params, accept = REQUESTS["count"]
    (row,) = rows("application/sparql-results+json", ask(embedded[0], params, accept).content)
    assert row == (f'"{embedded[1].quads}"^^<http://www.w3.org/2001/XMLSchema#integer>',)


@pytest.mark.parametrize("name", BOUND)
def test_a_bound_query_gets_the_same_answer(
    embedded: tuple[str, Store], over_remote: tuple[str, remote.RemoteStore], name: str
) -> None:
    here = embedded[1].answer(EXAMPLES[name], JSON, iris=BOUND[name])
    there = over_remote[1].answer(EXAMPLES[name], JSON, iris=BOUND[name])
    answer = parsed(here.media_type, here.body)
    assert parsed(there.media_type, there.body) == answer
    assert rows(here.media_type, here.body)


def test_load_lists_the_files_graphs(
    embedded: tuple[str, Store], over_remote: tuple[str, remote.RemoteStore]
) -> None:
    answer: Answer = over_remote[1].answer(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON
    )
    graphs = {row[0].strip("<>") for row in rows(answer.media_type, answer.body)}
    assert graphs == embedded[1].graphs


@contextmanager
def served(store_url: str, timeout: float = 5.0) -> Iterator[str]:
    """The service in front of the store at store_url, live on loopback."""
    backend = remote.connect(store_url, timeout=timeout)
    service = serving.build(replace(Settings(), cache=False), backend=backend)
    try:
        with live(service.app) as url:
            yield url
    finally:
        service.close()


def test_a_query_past_the_time_limit_is_a_503_as_on_the_embedded_store(
    store_urls: tuple[str, str],
) -> None:
    """Last for each store: the remote may go on with the query after its client has gone.

    The embedded store's 503 for the same limit is tested in test_limits.py (its worker is
    stopped, so its message adds "and was stopped").
    """
    runaway = [("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")]
    with served(store_urls[0], timeout=1.0) as url:
        answer = ask(url, runaway, "")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.text == "The query ran longer than this service's limit of 1 s\n"
