"""The query processes: workers forked from one process that loaded the store (so they share
it), replaced by a fresh fork when one is stopped, and answering over real HTTP throughout."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from aluekg.errors import DataError
from aluekg.query.workers import WorkerPool
from tests.sparql_service import live, service

TIMEOUT = 1.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
QUICK = "ASK { ?s ?p ?o }"


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


@pytest.fixture(scope="module")
def pooled() -> Iterator[tuple[str, WorkerPool]]:
    with service(workers=2, query_timeout=TIMEOUT, cache=False) as built:
        backend = built.app.state.backend
        assert isinstance(backend, WorkerPool)
        with live(built.app) as url:
            yield url, backend


def test_workers_are_forked_from_one_process_that_loaded_the_store(
    pooled: tuple[str, WorkerPool],
) -> None:
    url, pool = pooled
    first, second = pool.pids
    zygote = parent_of(first)
    assert parent_of(second) == zygote
    assert zygote != os.getpid()
    assert "aluekg.query.zygote" in command_line(zygote)
    # The workers run no interpreter of their own: they are copies of the zygote.
    assert command_line(first) == command_line(zygote)
    response = httpx2.get(url + "/sparql", params={"query": QUICK})
    assert response.json()["boolean"] is True


def test_a_stopped_worker_is_replaced_by_a_fork(pooled: tuple[str, WorkerPool]) -> None:
    url, pool = pooled
    before = set(pool.pids)
    zygote = parent_of(next(iter(before)))
    stopped = httpx2.get(url + "/sparql", params={"query": RUNAWAY}, timeout=30)
    assert stopped.status_code == 503
    deadline = time.monotonic() + 10
    while len(pool.pids) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    (replacement,) = set(pool.pids) - before
    assert parent_of(replacement) == zygote
    for _ in range(4):
        assert httpx2.get(url + "/sparql", params={"query": QUICK}).status_code == 200


def test_an_answer_larger_than_a_socket_buffer_arrives_whole(
    pooled: tuple[str, WorkerPool],
) -> None:
    url, _ = pooled
    numbers = range(20_000)
    query = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(n) for n in numbers) + " } }"
    response = httpx2.post(
        url + "/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.text.split("\r\n") == ["n", *(str(n) for n in numbers), ""]


def test_a_file_that_does_not_load_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.ttl: .*line 1"), service(data_files=(broken,)):
        pass


def test_a_query_waiting_for_a_busy_worker_gets_its_503_and_the_pool_recovers() -> None:
    with service(workers=1, query_timeout=TIMEOUT, cache=False) as built:
        pool = built.app.state.backend
        assert isinstance(pool, WorkerPool)
        with live(built.app) as url:
            statuses: list[int] = []

            def ask(query: str) -> None:
                response = httpx2.get(url + "/sparql", params={"query": query}, timeout=30)
                statuses.append(response.status_code)

            # The second waits for the only worker, which the first holds until it is stopped.
            first = threading.Thread(target=ask, args=(RUNAWAY,))
            second = threading.Thread(target=ask, args=(RUNAWAY.replace("?n", "?m"),))
            first.start()
            time.sleep(TIMEOUT / 3)
            second.start()
            first.join()
            second.join()
            assert statuses == [503, 503]
            deadline = time.monotonic() + 10
            while len(pool.pids) < 1 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert httpx2.get(url + "/sparql", params={"query": QUICK}).json()["boolean"] is True
