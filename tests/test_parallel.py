"""Validation shared between processes gives the report of one process (issue 11).

aluekg.validation.parallel deals each shape's focus nodes out to forked processes and merges
their reports; here the broken copies of data/ that tests/test_sparql_targets.py and
test_broken_copies.py make (they break rules of every kind, SPARQL-based ones too) are validated
both ways, and the reports must be the same.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.validation import graphs, locations, parallel, pipeline, reporting, sources, targets
from tests.test_broken_copies import CASES, FILE
from tests.test_sparql_targets import broken_copy


def every_broken_copy_edit(folder: Path) -> Path:
    """data/ with all the edits of tests/test_broken_copies.py made in one copy."""
    data = folder / "data"
    shutil.copytree(REPOSITORY / "data", data)
    text = (data / FILE).read_text(encoding="utf-8")
    for case in CASES:
        edit = case.values[0]
        assert isinstance(edit, tuple)
        old, new = edit
        assert text.count(old) == 1, f"the edit must apply exactly once: {old!r}"
        text = text.replace(old, new)
    text = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + text
    (data / FILE).write_text(text, encoding="utf-8")
    return data


@pytest.mark.parametrize("copy", [broken_copy, every_broken_copy_edit])
def test_two_processes_give_the_report_of_one(copy: Callable[[Path], Path], tmp_path: Path) -> None:
    settings = Settings(data_dir=copy(tmp_path))
    one = pipeline.validate_repository(settings, processes=1)
    two = pipeline.validate_repository(settings, processes=2)
    assert len(one.results) >= 8, "the copy breaks rules, so the comparison is not of empties"
    assert (one.processes, two.processes) == (1, 2)
    assert two.conforms is one.conforms is False
    assert two.results == one.results
    assert isomorphic(two.graph, one.graph)
    assert sorted(two.graph.namespaces()) == sorted(one.graph.namespaces())
    for output in ("text", "json"):
        assert reporting.render(locations.with_lines(two), output, "fi") == reporting.render(
            locations.with_lines(one), output, "fi"
        )


def test_the_repository_is_validated_in_shares() -> None:
    """Nothing in shapes/ makes aluekg.validation.parallel fall back to one process."""
    data, shapes = _repository()
    conforms, graph, processes = parallel.validate(data, shapes, True, 2)
    assert processes == 2
    assert conforms
    assert len(list(graph.subjects(SH.focusNode))) == 1, "data/'s one warning (README)"


def test_shapes_a_share_could_judge_otherwise_are_validated_in_one_process() -> None:
    data, shapes = _repository()
    rule = Graph()
    rule.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:shape> a sh:NodeShape ; sh:targetNode <urn:x:node> ;
            sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:x:p> ;
                sh:object <urn:x:o> ] .
        """,
        format="turtle",
    )
    # A shape that is a class targets its instances, which a list of nodes cannot stand for.
    shape_as_class = shapes + Graph()
    shape_as_class.add((next(iter(shapes.subjects(SH.targetClass))), RDF.type, RDFS.Class))
    for each in (shapes + rule, shape_as_class):
        assert parallel.validate(data, each, True, 2)[2] == 1


def test_with_other_threads_running_it_validates_in_one_process() -> None:
    data, shapes = _repository()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert parallel.validate(data, shapes, True, 2)[2] == 1
    finally:
        release.set()
        thread.join()


def _repository() -> tuple[Graph, Graph]:
    files = [*syntax.rdf_files(REPOSITORY / "data"), *syntax.rdf_files(REPOSITORY / "ontology")]
    data = graphs.load_sources(sources.read(files))[0]
    shapes = graphs.load_shapes(sources.read(syntax.rdf_files(REPOSITORY / "shapes")))
    return data, targets.select_on_pyoxigraph(shapes, data)


def test_a_graph_below_the_split_size_is_validated_in_one_process() -> None:
    cpus = len(os.sched_getaffinity(0))
    assert parallel.processes(parallel.SPLIT_FROM - 1) == 1
    assert parallel.processes(parallel.SPLIT_FROM) == cpus
