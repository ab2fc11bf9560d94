"""Reloading the data while serving: validated first, swapped in under load without a failed or
mixed answer, the old store closed once its requests are done; SIGHUP and --watch."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from aluekg import serving
from aluekg.config import Settings
from aluekg.operations.install import generations_of
from aluekg.operations.reload import Reloader
from aluekg.query.workers import WorkerPool
from tests.operations_service import AREAS, INVALID, MORE_AREAS, repository, serve
from tests.sparql_service import live


def settings_for(root: Path, **changes: object) -> Settings:
    paths = {f"{part}_dir": root / part for part in ("ontology", "data", "shapes")}
    return dataclasses.replace(Settings.from_env(), **paths, **changes)  # type: ignore[arg-type]


class Load:
    """Clients asking for the areas over and over, each answer noted with its ETag's version."""

    def __init__(self, url: str, clients: int) -> None:
        self.url = url
        self.stop = threading.Event()
        self.seen: list[tuple[int, str, int]] = []
        self.threads = [threading.Thread(target=self._ask) for _ in range(clients)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _ask(self) -> None:
        with httpx2.Client(timeout=30) as client:
            while not self.stop.is_set():
                response = client.get(self.url + "/sparql", params={"query": AREAS})
                rows = len(response.json()["results"]["bindings"]) if response.is_success else -1
                version = response.headers.get("etag", '"-').strip('"').partition("-")[0]
                self.seen.append((response.status_code, version, rows))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repository(tmp_path)
    return tmp_path


def toggle(root: Path) -> None:
    """Version A to B or back: add or remove five areas."""
    more = root / "data" / "more-areas.ttl"
    if more.exists():
        more.unlink()
    else:
        more.write_text(MORE_AREAS, encoding="utf-8")


def versions(load: Load) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for _, version, rows in load.seen:
        found.setdefault(version, set()).add(rows)
    return found


def test_twenty_reloads_under_load_fail_no_request_and_mix_no_versions(root: Path) -> None:
    settings = settings_for(root, workers=0)
    built = serving.build(settings)
    reloader = Reloader(built.app, settings, serving.load, validate=True)
    try:
        with live(built.app) as url, Load(url, clients=4) as load:
            for _ in range(20):
                toggle(root)
                assert reloader.reload() == "swapped"
                time.sleep(0.05)
    finally:
        built.close()
    assert {status for status, _, _ in load.seen} == {200}
    # Each version of the data answers with its own count of areas, never another.
    assert sorted(versions(load).values(), key=min) == [{1}, {6}]


def test_data_that_does_not_validate_is_not_served(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(root, workers=0)
    built = serving.build(settings)
    reloader = Reloader(built.app, settings, serving.load, validate=True)
    try:
        with live(built.app) as url:
            before = httpx2.get(url + "/health").json()["version"]
            (root / "data" / "bad.ttl").write_text(INVALID, encoding="utf-8")
            with caplog.at_level(logging.ERROR, logger="aluekg.operations.reload"):
                assert reloader.reload() == "invalid"
            assert httpx2.get(url + "/health").json()["version"] == before
            answer = httpx2.get(url + "/sparql", params={"query": AREAS})
            assert len(answer.json()["results"]["bindings"]) == 1
    finally:
        built.close()
    assert "still serving the old" in caplog.text
    assert "https://example.org/plan/bad" in caplog.text


def test_the_old_worker_pool_is_closed_once_its_requests_are_done(root: Path) -> None:
    settings = settings_for(root, workers=1)
    built = serving.build(settings)
    # Validation is tested above; here only the swap matters.
    reloader = Reloader(built.app, settings, serving.load, validate=False)
    try:
        with live(built.app) as url, Load(url, clients=3) as load:
            for _ in range(2):
                pool = built.app.state.backend.backend
                assert isinstance(pool, WorkerPool)
                (pid,) = pool.pids
                toggle(root)
                assert reloader.reload() == "swapped"
                assert not Path(f"/proc/{pid}").exists()
    finally:
        built.close()
    assert {status for status, _, _ in load.seen} == {200}
    assert sorted(versions(load).values(), key=min) == [{1}, {6}]


def test_the_old_data_is_freed_once_retired(root: Path) -> None:
    # What the reload hands back to the system (operations.memory.trim) must be free by then:
    # nothing may still hold the old store, its cache or its dumps after a reload under load.
    settings = settings_for(root, workers=0)
    built = serving.build(settings)
    reloader = Reloader(built.app, settings, serving.load, validate=False)
    try:
        with live(built.app) as url, Load(url, clients=3):
            current = generations_of(built.app).current
            assert current is not None
            old = weakref.ref(current)
            del current
            toggle(root)
            assert reloader.reload() == "swapped"
            assert old() is None
    finally:
        built.close()


def test_serve_reloads_when_watching_and_on_sighup(root: Path) -> None:
    env = {**os.environ, **repository_env(root)}
    server, url = serve(["--workers", "1", "--watch"], env)
    try:
        # The port opens before the data is loaded.
        wait_for(lambda: httpx2.get(url + "/health").status_code == 200)
        before = httpx2.get(url + "/health").json()
        toggle(root)
        wait_for(lambda: httpx2.get(url + "/health").json()["version"] != before["version"])
        answer = httpx2.get(url + "/sparql", params={"query": AREAS})
        assert len(answer.json()["results"]["bindings"]) == 6
        # The same files again: a second generation of the same version.
        server.send_signal(signal.SIGHUP)
        wait_for(
            lambda: (
                'aluekg_reloads_total{outcome="swapped"} 2.0' in httpx2.get(url + "/metrics").text
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert server.stderr is not None
        server.stderr.close()


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the server did not get there in 60 s"
        time.sleep(0.1)


def repository_env(root: Path) -> dict[str, str]:
    return {
        f"ALUEKG_{part.upper()}_DIR": str(root / part) for part in ("ontology", "data", "shapes")
    }
