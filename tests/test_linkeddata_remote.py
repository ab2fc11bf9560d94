"""The linked-data routes over a remote store (`aluekg serve --store-url`): the same documents,
303s and pages as over the embedded store, since both are read through the Backend seam (a real
Oxigraph server, loaded with `aluekg load`, as in tests/test_remote.py)."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pyoxigraph as ox
import pytest

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.query import remote
from tests.sparql_service import live
from tests.test_remote import oxigraph_server

pytestmark = [pytest.mark.oxigraph_server]

DOCUMENTS = [
    "/doc/municipality/584",
    "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026",
    "/doc/vocab/admin-level/kunta",
    "/ontology",
    "/graph/data/dataset.ttl",
]


@pytest.fixture(scope="module")
def urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The service over a remote Oxigraph server, and over the embedded store, both live."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as oxigraph_url:
        command = [sys.executable, "-m", "aluekg", "load", "--to", oxigraph_url + "/store"]
        done = subprocess.run(
            [*command, "--no-validate"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPOSITORY,
        )
        assert done.returncode == 0, done.stderr
        far = serving.build(
            replace(Settings(), cache=False), remote.connect(oxigraph_url + "/query")
        )
        near = serving.build(replace(Settings(), workers=0, cache=False))
        try:
            with live(far.app) as far_url, live(near.app) as near_url:
                yield far_url, near_url
        finally:
            far.close()
            near.close()


def get(url: str, accept: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        status: int = response.status
        return status, response.read()


def triples(body: bytes) -> set[ox.Triple]:
    # No blank nodes in these documents' triples but the ontology's axiom; compare without them.
    return {
        t
        for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_document_says_the_same_from_a_remote_store(urls: tuple[str, str], path: str) -> None:
    far, near = urls
    far_status, far_body = get(far + path, "application/n-triples")
    near_status, near_body = get(near + path, "application/n-triples")
    assert far_status == near_status == 200
    assert triples(far_body) == triples(near_body)
    assert triples(far_body)


@pytest.mark.parametrize("path", [*DOCUMENTS, "/", "/search?q=aanekoski", "/doc/region/08"])
def test_a_page_shows_the_same_from_a_remote_store(urls: tuple[str, str], path: str) -> None:
    far, near = urls
    assert get(far + path, "text/html") == get(near + path, "text/html")
