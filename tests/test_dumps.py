"""/dumps/ over real HTTP and `aluekg dump`: every dump parses and holds exactly what the store
holds (as /sparql answers it), its listing and checksums agree, ETag, Last-Modified and 304
work, and the command writes the very files the server serves."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from tests.dataset_service import get, repository_service, solutions, term
from tests.sparql_service import FIXTURES, live, service
from tests.test_queries import REPOSITORY

GRAPH_BASE = "https://w3id.org/aluekg/graph/"
FORMATS = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nq": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
Quads = set[pyoxigraph.Quad]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with repository_service() as live_url:
        yield live_url


@pytest.fixture(scope="module")
def quads(url: str) -> Quads:
    """Every quad of the store, as /sparql answers them (blank nodes with the store's labels)."""
    rows = solutions(url, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    found = set()
    for row in rows:
        subject, predicate, graph = term(row["s"]), term(row["p"]), term(row["g"])
        assert not isinstance(subject, pyoxigraph.Literal)
        assert isinstance(predicate, pyoxigraph.NamedNode)
        assert isinstance(graph, pyoxigraph.NamedNode)
        found.add(pyoxigraph.Quad(subject, predicate, term(row["o"]), graph))
    assert len(found) > 10_000
    return found


def dump(url: str, name: str) -> Quads:
    status, headers, body = get(f"{url}/dumps/{name}")
    assert (status, headers["Content-Type"]) == (200, "application/gzip"), name
    rdf_format = FORMATS[name.removesuffix(".gz").rsplit(".", 1)[1]]
    return set(pyoxigraph.parse(gzip.decompress(body), rdf_format))


def dump_command(directory: Path) -> subprocess.CompletedProcess[str]:
    """`aluekg dump DIRECTORY` over the fixtures, as a maintainer runs it."""
    arguments = ["dump", str(directory), "--no-validate", "--data", str(FIXTURES)]
    return subprocess.run(
        [sys.executable, "-m", "aluekg", *arguments],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def triples(quads: Quads) -> set[pyoxigraph.Triple]:
    return {quad.triple for quad in quads}


@pytest.mark.parametrize("extension", FORMATS)
def test_whole_dataset_dump_is_the_store(url: str, quads: Quads, extension: str) -> None:
    found = dump(url, f"aluekg.{extension}.gz")
    if FORMATS[extension].supports_datasets:
        assert found == quads
    else:
        assert triples(found) == triples(quads)


@pytest.mark.parametrize("extension", ["ttl", "trig"])
def test_turtle_and_trig_dumps_use_the_datas_prefixes(url: str, extension: str) -> None:
    status, _, body = get(f"{url}/dumps/aluekg.{extension}.gz")
    assert status == 200
    text = gzip.decompress(body).decode()
    assert "@prefix alue: <https://w3id.org/aluekg/ontology#> ." in text
    assert "alue:Programme" in text
    assert "<https://w3id.org/aluekg/ontology#Programme>" not in text


def test_each_graphs_dumps_are_that_graph(url: str, quads: Quads) -> None:
    graphs = {quad.graph_name for quad in quads}
    assert len(graphs) > 20
    for graph in graphs:
        assert isinstance(graph, pyoxigraph.NamedNode)
        expected = {quad for quad in quads if quad.graph_name == graph}
        stem = "graph/" + graph.value.removeprefix(GRAPH_BASE)
        for extension, rdf_format in FORMATS.items():
            found = dump(url, f"{stem}.{extension}.gz")
            if rdf_format.supports_datasets:
                assert found == expected, (graph, extension)
            else:
                assert triples(found) == triples(expected), (graph, extension)


def test_listing_names_every_dump_with_its_checksum(url: str, quads: Quads) -> None:
    status, headers, body = get(url + "/dumps/", "application/json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    listing = json.loads(body)["dumps"]
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)}
    stems = ["aluekg", *("graph/" + g.removeprefix(GRAPH_BASE) for g in graphs)]
    assert {entry["name"] for entry in listing} == {
        f"{stem}.{extension}.gz" for stem in stems for extension in FORMATS
    }
    _, _, sums = get(url + "/dumps/SHA256SUMS")
    # Every entry's checksum is the list's; the first few are checked against their bytes.
    assert sums.decode() == "".join(f"{entry['sha256']}  {entry['name']}\n" for entry in listing)
    for entry in listing[:6]:
        _, _, body = get(entry["url"])
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert len(body) == entry["bytes"]
        assert f"{entry['sha256']}  {entry['name']}\n".encode() in sums


def test_listing_for_people_links_each_dump(url: str) -> None:
    status, headers, body = get(url + "/dumps/", "text/html")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert b'<a href="aluekg.ttl.gz">aluekg.ttl.gz</a>' in body


def test_etag_last_modified_304_and_head(url: str) -> None:
    status, headers, body = get(url + "/dumps/aluekg.ttl.gz")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag == f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    assert get(url + "/dumps/aluekg.ttl.gz", **{"If-None-Match": etag})[0] == 304
    assert get(url + "/dumps/aluekg.ttl.gz", **{"If-Modified-Since": modified})[0] == 304
    old = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert get(url + "/dumps/aluekg.ttl.gz", **{"If-Modified-Since": old})[0] == 200
    assert get(url + "/dumps/aluekg.ttl.gz", **{"If-None-Match": '"other"'})[0] == 200
    status, headers, body = get(url + "/dumps/aluekg.ttl.gz", method="HEAD")
    assert (status, headers["ETag"], body) == (200, etag, b"")


def test_unknown_dump_is_a_404_naming_it(url: str) -> None:
    status, headers, body = get(url + "/dumps/aluekg.rdf.gz")
    assert (status, headers["Content-Type"]) == (404, "text/plain; charset=utf-8")
    assert body == b"There is no dump 'aluekg.rdf.gz'; GET /dumps/ lists them\n"


def test_dump_command_writes_what_the_server_serves(tmp_path: Path) -> None:
    """The fixtures have no blank nodes, so a fresh load gives the same bytes; with workers the
    server makes its dumps from the workers' copy."""
    done = dump_command(tmp_path / "out")
    assert done.returncode == 0, done.stderr
    written = tmp_path / "out"
    sums = (written / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == 5 * 4  # the whole dataset and three files, five formats each
    with service(workers=1) as built, live(built.app) as url:
        for line in sums:
            digest, name = line.split("  ")
            body = (written / name).read_bytes()
            assert hashlib.sha256(body).hexdigest() == digest
            assert get(f"{url}/dumps/{name}")[2] == body, name


def test_dump_command_refuses_an_unwritable_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    done = dump_command(tmp_path / "file" / "out")
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: {tmp_path / 'file' / 'out'}: cannot write the dumps")
