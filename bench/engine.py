"""pyoxigraph against rdflib's own SPARQL engine, embedded, on the repository's data and queries.

Both load ontology/ and data/ with one named graph per file and the default graph as their union,
as the service does; then each query in queries/ runs repeatedly on each. Prints load times,
median query times, their ratio, and whether the two engines agree on the number of rows.

    .venv/bin/python bench/engine.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import rdflib

from aluekg import serving, syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.query.store import graph_name

QUERIES = sorted((REPOSITORY / "queries").glob("*.rq"))


def median_seconds(run: Callable[[], int], seconds: float) -> tuple[float, int]:
    """The median time of run() over about `seconds` (at least 3 runs), and its last result."""
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    rows = 0
    while time.perf_counter() < deadline or len(times) < 3:
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def load_oxigraph(files: list[Path]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in files:
        fmt = pyoxigraph.RdfFormat.from_media_type(syntax.media_type_of(path))
        graph = graph_name(path, REPOSITORY)
        store.load(path.read_bytes(), fmt, base_iri=graph, to_graph=pyoxigraph.NamedNode(graph))
    return store


def load_rdflib(files: list[Path]) -> rdflib.Dataset:
    dataset = rdflib.Dataset(default_union=True)
    for path in files:
        graph = graph_name(path, REPOSITORY)
        dataset.graph(rdflib.URIRef(graph)).parse(
            path, format=syntax.media_type_of(path), publicID=graph
        )
    return dataset


def main() -> None:
    files = serving.source_files(Settings())
    started = time.perf_counter()
    store = load_oxigraph(files)
    oxigraph_load = time.perf_counter() - started
    started = time.perf_counter()
    dataset = load_rdflib(files)
    rdflib_load = time.perf_counter() - started
    print(f"{len(store)} quads from {len(files)} files")
    print(f"load: pyoxigraph {oxigraph_load:.2f} s, rdflib {rdflib_load:.2f} s\n")
    print("| query | pyoxigraph (ms) | rdflib (ms) | rdflib / pyoxigraph | same rows |")
    print("|---|---:|---:|---:|---|")
    ratios = []
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")

        def oxigraph(text: str = text) -> int:
            return len(list(store.query(text, use_default_graph_as_union=True)))  # type: ignore[arg-type]

        def rdflib_engine(text: str = text) -> int:
            return len(list(dataset.query(text)))

        fast, fast_rows = median_seconds(oxigraph, 0.5)
        slow, slow_rows = median_seconds(rdflib_engine, 2.0)
        ratios.append(slow / fast)
        print(
            f"| {path.stem} | {fast * 1000:.2f} | {slow * 1000:.1f} | {slow / fast:,.0f}x "
            f"| {'yes' if fast_rows == slow_rows else f'no ({fast_rows} / {slow_rows})'} |"
        )
    print(f"\ngeometric mean ratio: {statistics.geometric_mean(ratios):,.0f}x")


if __name__ == "__main__":
    main()
