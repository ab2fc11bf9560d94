"""Limits: a runaway query is really stopped, SERVICE reaches nowhere, sizes are capped."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from aluekg.errors import QueryTimeout
from aluekg.query.backend import Accepts
from aluekg.query.cache import AnswerCache
from aluekg.query.guard import outline
from aluekg.query.store import Store
from aluekg.query.workers import WorkerPool
from tests.sparql_service import live, service

TIMEOUT = 1.5
# Eight-fold cross product of the fixtures' quads: billions of rows, minutes of CPU.
RUNAWAY = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
QUICK = "ASK { ?s ?p ?o }"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks


def is_running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


@pytest.fixture(scope="module")
def pooled() -> Iterator[tuple[str, WorkerPool]]:
    with service(workers=2, query_timeout=TIMEOUT, cache=False, max_result_bytes=2000) as built:
        backend = built.app.state.backend
        assert isinstance(backend, WorkerPool)
        with live(built.app) as url:
            yield url, backend


def test_runaway_query_is_stopped_while_others_are_answered(
    pooled: tuple[str, WorkerPool],
) -> None:
    url, pool = pooled
    before = set(pool.pids)
    runaway: list[httpx2.Response] = []
    thread = threading.Thread(
        target=lambda: runaway.append(
            httpx2.get(url + "/sparql", params={"query": RUNAWAY}, timeout=30)
        )
    )
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    # A second client is answered while the runaway query holds the other worker.
    quick = httpx2.get(url + "/sparql", params={"query": QUICK}, timeout=30)
    assert quick.status_code == 200
    assert time.monotonic() - started < TIMEOUT
    assert thread.is_alive()
    thread.join()
    (response,) = runaway
    assert response.status_code == 503
    assert response.text == (
        f"The query ran longer than this service's limit of {TIMEOUT:g} s and was stopped\n"
    )
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 2
    # The worker that ran it is gone, and nothing else is still computing.
    (killed,) = before - set(pool.pids)
    assert not is_running(killed)
    survivors = [pid for pid in pool.pids if pid in before]
    spent = {pid: cpu_seconds(pid) for pid in survivors}
    time.sleep(0.5)
    assert all(cpu_seconds(pid) - spent[pid] < 0.1 for pid in survivors)


def test_a_replacement_worker_takes_over(pooled: tuple[str, WorkerPool]) -> None:
    url, pool = pooled
    deadline = time.monotonic() + 10
    while len(pool.pids) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids) == 2
    for _ in range(4):
        assert httpx2.get(url + "/sparql", params={"query": QUICK}).status_code == 200


def test_result_over_the_cap_is_413(pooled: tuple[str, WorkerPool]) -> None:
    url, _ = pooled
    response = httpx2.get(url + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 413
    assert response.text == (
        "The result is larger than 2000 bytes, this service's limit; "
        "narrow the query or add a LIMIT\n"
    )


def test_large_body_is_413(pooled: tuple[str, WorkerPool]) -> None:
    url, _ = pooled
    query = "SELECT * {} #" + "x" * 1_100_000
    response = httpx2.post(
        url + "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert response.text == "The request is larger than this service's limit of 1048576 bytes\n"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback socket that would see any connection a SERVICE call made."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.setblocking(False)
        yield sock


def was_connected(sock: socket.socket) -> bool:
    time.sleep(0.2)
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", id="plain"),
        pytest.param("select * {{ service silent <{url}> {{ ?s ?p ?o }} }}", id="silent"),
        pytest.param("PREFIX e: <{url}>\nSELECT * {{ SERVICE e: {{ ?s ?p ?o }} }}", id="prefixed"),
        pytest.param(
            "SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}", id="variable"
        ),
        pytest.param(
            'SELECT * {{ ?s ?p "}}" . # }}\n SERVICE <{url}> {{ ?s ?p ?o }} }}', id="after tricks"
        ),
        pytest.param("SELECT * {{ ?s <x:p#> ?o . SERVICE <{url}> {{ }} }}", id="after an iri"),
    ],
)
def test_service_is_refused_without_a_connection(
    pooled: tuple[str, WorkerPool], listener: socket.socket, template: str
) -> None:
    url, _ = pooled
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    response = httpx2.get(url + "/sparql", params={"query": template.format(url=target)})
    assert response.status_code == 403
    assert "is refused: this service calls only the endpoints on its allowlist" in response.text
    assert not was_connected(listener)


def test_allowlisted_service_is_called(listener: socket.socket) -> None:
    """The control for the test above: the listener does see a call that is allowed."""
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    query = f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    listener.setblocking(True)
    listener.settimeout(5)
    seen: list[bool] = []

    def answer_once() -> None:
        connection, _ = listener.accept()
        seen.append(True)
        connection.close()

    thread = threading.Thread(target=answer_once)
    thread.start()
    with service(workers=0, cache=False, service_allowlist=(target,)) as built:
        response = TestClient(built.app).get("/sparql", params={"query": query})
    thread.join()
    assert seen == [True]
    assert response.status_code == 400


def test_answer_cache_serves_repeats() -> None:
    with service(workers=1, cache=True) as built:
        cache = built.app.state.backend
        assert isinstance(cache, AnswerCache)
        client = TestClient(built.app)
        first = client.get("/sparql", params={"query": QUICK})
        second = client.get("/sparql", params={"query": QUICK})
        other = client.get("/sparql", params={"query": QUICK, "format": "xml"})
    assert first.content == second.content
    assert other.content != first.content
    assert cache.hits == 1


def test_answer_cache_counts_the_query_in_its_budget() -> None:
    # Long queries with answers of a few bytes: a budget of the answers alone would keep every
    # query (100 KiB each here, a megabyte a request may carry); counting them keeps ten.
    cache = AnswerCache(Store(), max_bytes=2**20)
    padding = "#" + "x" * 100 * 1024 + "\n"
    asks = [f"{padding}ASK {{ ?s{n} ?p ?o }}" for n in range(40)]
    accepts = Accepts(None, None, "application/sparql-results+json")
    for ask in asks:
        assert cache.answer(ask, accepts).body == b'{"head":{},"boolean":false}'
    kept = [ask for ask in asks if cache.cached(ask, accepts) is not None]
    assert 0 < len(kept) <= 10
    assert kept == asks[-len(kept) :]  # the most recent ones


@pytest.mark.parametrize(
    ("query", "services", "graphs"),
    [
        pytest.param("SELECT * { ?s ?p ?o }", (), (), id="none"),
        pytest.param("SELECT * { ?s <x:p> 'SERVICE <http://a/> {}' }", (), (), id="in a string"),
        pytest.param("SELECT * { ?s ?p ?o } # SERVICE <http://a/>", (), (), id="in a comment"),
        pytest.param("SELECT * { ?s <x:SERVICE> ?service }", (), (), id="in an iri and a name"),
        pytest.param("SELECT * { ?s ex:a.SERVICE <http://a/> {} }", ("http://a/",), (), id="dot"),
        pytest.param(
            r"SELECT * { <x:\u003E> ?p ?o . SERVICE <http://a/> {} }",
            ("http://a/",),
            (),
            id="after an escaped iri",
        ),
        pytest.param(
            "SELECT * { ?s ?p '''x' '' ''' . SERVICE <http://a/> {} }",
            ("http://a/",),
            (),
            id="after a long string",
        ),
        pytest.param(
            "PREFIX g: <http://g/> SELECT * FROM g:1 FROM NAMED <http://n> {}",
            (),
            ("http://g/1", "http://n"),
            id="from",
        ),
    ],
)
def test_outline_finds_what_reaches_beyond_the_store(
    query: str, services: tuple[str, ...], graphs: tuple[str, ...]
) -> None:
    found = outline(query)
    assert found.services == services
    assert (*found.from_graphs, *found.from_named_graphs) == graphs


def test_query_past_the_memory_limit_is_stopped() -> None:
    # Sorting a seven-fold cross product of the data needs gigabytes, were it allowed to grow.
    query = RUNAWAY.replace("(COUNT(*) AS ?n)", "*").replace("?s7 ?p7 ?o7 .", "")
    query += " ORDER BY ?o0 ?o1 LIMIT 1"
    with service(workers=1, cache=False, worker_memory=512 * 2**20, query_timeout=20) as built:
        pool = built.app.state.backend
        assert isinstance(pool, WorkerPool)
        client = TestClient(built.app)
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 413
        assert response.text == (
            "The query needed more memory than this service allows (512 MiB) and was stopped\n"
        )
        deadline = time.monotonic() + 10
        while not pool.pids and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/sparql", params={"query": QUICK}).status_code == 200


def test_no_client_waits_past_the_time_limit_for_a_busy_worker() -> None:
    """The limit counts from the request: a query queued behind a runaway one gets its 503
    within about one limit, not one limit of waiting plus one of running."""
    with service(workers=1, query_timeout=TIMEOUT, cache=False) as built:
        pool = built.app.state.backend
        assert isinstance(pool, WorkerPool)

        def run_away() -> None:
            with contextlib.suppress(QueryTimeout):
                pool.answer(RUNAWAY, Accepts("text/csv", None))

        first = threading.Thread(target=run_away)
        first.start()
        time.sleep(TIMEOUT / 3)
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            pool.answer(RUNAWAY.replace("?n", "?m"), Accepts("text/csv", None))
        waited = time.monotonic() - started
        first.join()
        # Let the replacement worker come up before the service closes.
        assert pool.answer(QUICK, Accepts("text/csv", None)).body
    assert waited < TIMEOUT * 1.5, f"waited {waited:.1f} s for a {TIMEOUT} s limit"
