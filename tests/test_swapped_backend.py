"""A backend swapped into a running app (as a reload does: app.state.backend replaced by one over
new data) is what /reconcile, /api/, /.well-known/void and /dumps/ answer from next; none of them
keeps answering from the first. Over real HTTP, with a few of the repository's files, the Kaustinen
programme's added by the swap."""

from __future__ import annotations

import gzip
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace

import pyoxigraph
import pytest

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.dataset import dumps
from aluekg.operations.install import generations_of
from aluekg.query.store import Store
from tests.dataset_service import get, solutions
from tests.sparql_service import live

KAUSTINEN_FILE = (
    REPOSITORY / "data" / "programme" / "kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl"
)
KAUSTINEN = "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
KAUSTINEN_GRAPH = "https://w3id.org/aluekg/graph/data/programme/" + KAUSTINEN_FILE.name
VOID = "http://rdfs.org/ns/void#"


# What the four services need, and little else, so that the dumps are quick to make: the
# ontology (the code datatypes' patterns), the dataset's own description, one classification.
FIRST = [
    REPOSITORY / "ontology" / "aluekg.ttl",
    REPOSITORY / "data" / "dataset.ttl",
    REPOSITORY / "data" / "registry" / "classifications-2022.ttl",
]
SETTINGS = replace(Settings(), workers=0)


@pytest.fixture(scope="module")
def swapped() -> Iterator[tuple[serving.Service, str]]:
    """A live service over FIRST, without the Kaustinen programme's file."""
    built = serving.build(replace(SETTINGS, data_files=tuple(FIRST)))
    try:
        with live(built.app) as url:
            yield built, url
    finally:
        built.close()


def reconciled(url: str) -> list[tuple[str, bool]]:
    batch = {"q0": {"query": "Kaustisen seudun Elinvoimaohjelma 2022-2026", "type": "programme"}}
    query = urllib.parse.urlencode({"queries": json.dumps(batch)})
    status, _, body = get(f"{url}/reconcile?{query}")
    assert status == 200, body
    return [(r["id"], r["match"]) for r in json.loads(body)["q0"]["result"]]


def in_force(url: str) -> list[str]:
    """Programmes in force for Kaustinen (236) in 2022, by /api/."""
    query = "year=2022&municipalityCode=236"
    status, _, body = get(f"{url}/api/programmes-in-force-for-municipality?{query}")
    assert status == 200, body
    return [row["programme"]["value"] for row in json.loads(body)["results"]["bindings"]]


def void_triples(url: str) -> int:
    status, _, body = get(f"{url}/.well-known/void", "application/n-triples")
    assert status == 200, body
    counts = [
        int(triple.object.value)
        for triple in pyoxigraph.parse(body, pyoxigraph.RdfFormat.N_TRIPLES)
        if triple.subject == pyoxigraph.NamedNode("https://w3id.org/aluekg/")
        and triple.predicate == pyoxigraph.NamedNode(VOID + "triples")
    ]
    assert len(counts) == 1, counts
    return counts[0]


def sparql_triples(url: str) -> int:
    [row] = solutions(
        url, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    return int(row["n"]["value"])


def dumped_graphs(url: str) -> set[str]:
    status, _, body = get(f"{url}/dumps/aluekg.nq.gz")
    assert status == 200, body
    quads = pyoxigraph.parse(gzip.decompress(body), pyoxigraph.RdfFormat.N_QUADS)
    return {
        quad.graph_name.value for quad in quads if isinstance(quad.graph_name, pyoxigraph.NamedNode)
    }


def listed(url: str) -> set[str]:
    status, _, body = get(f"{url}/dumps/", "application/json")
    assert status == 200, body
    return {entry["name"] for entry in json.loads(body)["dumps"]}


def test_a_swapped_backend_is_answered_from(swapped: tuple[serving.Service, str]) -> None:
    built, url = swapped
    # Before: the first backend's data, which lacks the programme.
    assert reconciled(url) == []
    assert in_force(url) == []
    before = void_triples(url)
    assert before == sparql_triples(url)
    assert KAUSTINEN_GRAPH not in dumped_graphs(url)
    assert "graph/data/programme/" + KAUSTINEN_FILE.name + ".ttl.gz" not in listed(url)

    # The swap, as a reload makes it: a new generation of the data made current.
    generation, _ = serving.load(replace(SETTINGS, data_files=(*FIRST, KAUSTINEN_FILE)))
    old = generations_of(built.app).make_current(built.app, generation)
    assert old is not None
    old.close()

    assert reconciled(url) == [(KAUSTINEN, True)]
    assert in_force(url) == ["https://w3id.org/aluekg/id/" + KAUSTINEN]
    after = void_triples(url)
    assert after == sparql_triples(url) > before
    assert KAUSTINEN_GRAPH in dumped_graphs(url)
    assert "graph/data/programme/" + KAUSTINEN_FILE.name + ".ttl.gz" in listed(url)
    # The new data's dumps, every one of them, as `aluekg dump` names them.
    _, _, sums = get(f"{url}/dumps/SHA256SUMS")
    new = Store()
    new.load([*FIRST, KAUSTINEN_FILE], REPOSITORY)
    names = [line.split("  ", 1)[1] for line in sums.decode().splitlines()]
    assert names == [dump.name for dump in dumps.catalogue(new.graphs)]
