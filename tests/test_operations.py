"""Health, metrics, the access log and a dying worker, over real HTTP on loopback."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from aluekg.operations.install import generations_of
from aluekg.query.workers import WorkerPool
from aluekg.web import App
from tests.sparql_service import EX, live, service

# Written from tests/fixtures/sparql: 8 triples in programmes.ttl, 2 in regions.nt, 1 in
# sources.trig.
QUADS = 11
ASK = f"ASK {{ <{EX}programme-1> ?p ?o }}"
# Eight-fold cross product of the fixtures' quads: minutes of CPU (as in test_limits.py).
RUNAWAY = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[str, App]]:
    with service(workers=1, query_timeout=1.0) as built, live(built.app) as url:
        yield url, built.app


def metrics(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by name and labels."""
    text = httpx2.get(url + "/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_health_names_the_data_version(running: tuple[str, App]) -> None:
    url, app = running
    response = httpx2.get(url + "/health")
    assert response.status_code == 200
    version = app.state.backend.version
    assert response.json() == {"status": "ok", "version": version, "quads": QUADS}
    # The same version prefixes the ETags.
    answer = httpx2.get(url + "/sparql", params={"query": ASK})
    assert answer.headers["etag"].startswith(f'"{version}-')


def test_health_is_503_while_loading_and_queries_wait_for_the_data() -> None:
    with service(workers=0) as built, live(built.app) as url:
        generations = generations_of(built.app)
        loaded, generations.current = generations.current, None
        health = httpx2.get(url + "/health")
        assert health.status_code == 503
        assert health.json() == {"status": "loading"}
        answers: list[httpx2.Response] = []
        asking = threading.Thread(
            target=lambda: answers.append(
                httpx2.get(url + "/sparql", params={"query": ASK}, timeout=30)
            )
        )
        asking.start()
        time.sleep(0.3)
        assert not answers, "a query was answered before any data was loaded"
        generations.current = loaded
        asking.join()
        assert answers[0].status_code == 200
        assert answers[0].json()["boolean"] is True
        assert httpx2.get(url + "/health").status_code == 200


def test_metrics_count_requests_timeouts_cache_hits_and_restarts() -> None:
    with service(workers=1, query_timeout=1.0) as built, live(built.app) as url:
        pool = built.app.state.backend.backend
        assert isinstance(pool, WorkerPool)
        for _ in range(2):
            assert httpx2.get(url + "/sparql", params={"query": ASK}).status_code == 200
        assert httpx2.get(url + "/sparql", params={"query": "ASK {"}).status_code == 400
        assert httpx2.get(url + "/nothing").status_code == 404
        runaway = httpx2.get(url + "/sparql", params={"query": RUNAWAY}, timeout=30)
        assert runaway.status_code == 503
        samples = metrics(url)
    requests = "aluekg_requests_total"
    assert samples[(requests, (("route", "/sparql"), ("status", "200")))] == 2
    assert samples[(requests, (("route", "/sparql"), ("status", "400")))] == 1
    assert samples[(requests, (("route", "/sparql"), ("status", "503")))] == 1
    assert samples[(requests, (("route", "/{path:path}"), ("status", "404")))] == 1
    assert samples[("aluekg_query_seconds_count", ())] == 4
    assert samples[("aluekg_query_timeouts_total", ())] == 1
    assert samples[("aluekg_cache_hits_total", ())] == 1
    assert samples[("aluekg_workers_restarted_total", ())] == 1
    assert samples[("aluekg_store_quads", ())] == QUADS


def test_one_access_log_line_per_request_with_a_hash_never_the_query(
    running: tuple[str, App], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = running
    secret = f"ASK {{ <{EX}programme-2> ?p 'a secret' }}"
    with caplog.at_level(logging.INFO, logger="aluekg.access"):
        httpx2.get(url + "/sparql", params={"query": secret})
        httpx2.post(
            url + "/sparql", content=secret, headers={"content-type": "application/sparql-query"}
        )
        httpx2.get(url + "/health")
        # Each line is written once its response has gone out: it may trail the response.
        deadline = time.monotonic() + 10
        while len(access_lines(caplog)) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = access_lines(caplog)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/sparql", 200),
        ("POST", "/sparql", 200),
        ("GET", "/health", 200),
    ]
    assert all(set(line) == {"method", "path", "status", "ms", "client", "query"} for line in lines)
    assert all(line["client"] == "127.0.0.1" and line["ms"] >= 0 for line in lines)
    assert "secret" not in caplog.text
    # The same query hashes alike each time it comes the same way, and differently otherwise.
    assert len({line["query"] for line in lines}) == 3


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "aluekg.access"]


def test_a_worker_that_dies_is_replaced_and_its_request_answered_503(
    running: tuple[str, App],
) -> None:
    url, app = running
    pool = app.state.backend.backend
    assert isinstance(pool, WorkerPool)
    (pid,) = pool.pids
    answers: list[httpx2.Response] = []
    asking = threading.Thread(
        target=lambda: answers.append(
            httpx2.get(url + "/sparql", params={"query": RUNAWAY + " #x"}, timeout=30)
        )
    )
    asking.start()
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    asking.join()
    assert answers[0].status_code == 503
    assert answers[0].text == "The process answering this query ended unexpectedly; try again\n"
    assert answers[0].headers["retry-after"] == "5"
    # The next query waits for the replacement and is answered.
    after = httpx2.get(url + "/sparql", params={"query": ASK + " #after"}, timeout=30)
    assert after.status_code == 200
    assert pool.pids != [pid]


def test_a_worker_that_died_idle_is_replaced_before_it_gets_a_query(
    running: tuple[str, App],
) -> None:
    url, app = running
    pool = app.state.backend.backend
    assert isinstance(pool, WorkerPool)
    (pid,) = pool.pids
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}/stat").exists() and "Z" not in _state(pid):
        time.sleep(0.01)
    # No request met the death, so none is refused for it.
    answer = httpx2.get(url + "/sparql", params={"query": ASK + " #idle"}, timeout=30)
    assert answer.status_code == 200
    assert pid not in pool.pids


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"
