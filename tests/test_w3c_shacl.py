"""The W3C SHACL Core test suite through `aluekg validate --shapes` (issue 12).

Each of the 98 `sht:Validate` tests of tests/w3c/shacl-core must give its expected verdict (the
exit status, and sh:conforms in the --format turtle report) and as many results as its expected
report holds, as pySHACL 0.40 does. Most test files use relative IRIs (`<>`, `<class-001>`),
which must resolve against the file's own IRI. The command runs in-process (click's CliRunner) to
stay quick; two runs go through the installed command.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from aluekg.cli import main

SUITE = Path(__file__).resolve().parent / "w3c" / "shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class Case:
    """One sht:Validate test: its files and its expected report's verdict and size."""

    data: Path
    shapes: Path
    conforms: bool
    results: int


def cases(manifest: Path) -> dict[str, Case]:
    """The sht:Validate tests of a manifest and of every manifest it includes, by name."""
    graph = Graph().parse(manifest)
    found: dict[str, Case] = {}
    for head in graph.objects(predicate=MF.entries):
        for test in Collection(graph, head):
            if (test, RDF.type, SHT.Validate) in graph:
                found[_name(test)] = _case(graph, test)
    for included in graph.objects(predicate=MF.include):
        found.update(cases(_path(included)))
    return found


def _case(graph: Graph, test: Node) -> Case:
    action = graph.value(test, MF.action)
    report = graph.value(test, MF.result)
    data, shapes = graph.value(action, SHT.dataGraph), graph.value(action, SHT.shapesGraph)
    conforms = graph.value(report, SH.conforms)
    assert isinstance(conforms, Literal), f"{test} gives its expected sh:conforms"
    assert data is not None, f"{test} names its data graph"
    assert shapes is not None, f"{test} names its shapes graph"
    return Case(
        data=_path(data),
        shapes=_path(shapes),
        conforms=bool(conforms.toPython()),
        results=len(list(graph.objects(report, SH.result))),
    )


def _path(iri: object) -> Path:
    assert isinstance(iri, URIRef), f"{iri} is an IRI"
    assert iri.startswith("file:"), f"{iri} is a file of the suite"
    return Path(unquote(urlsplit(iri).path))


def _name(test: Node) -> str:
    return _path(test).relative_to(SUITE).as_posix()


CASES = cases(SUITE / "manifest.ttl")


def test_the_suite_has_its_98_validate_tests() -> None:
    # The suite's own count (pySHACL's test runner reports 98 for Core at this commit).
    assert len(CASES) == 98


@pytest.mark.parametrize("name", sorted(CASES))
def test_w3c_core_verdict_and_result_count(name: str) -> None:
    case = CASES[name]
    files = ["--shapes", str(case.shapes), str(case.data)]
    # The exit status is the verdict whatever the format, so one run checks both.
    turtle = CliRunner().invoke(main, ["validate", "--format", "turtle", *files])
    assert turtle.exit_code == (0 if case.conforms else 1), turtle.output
    report = Graph().parse(data=turtle.output, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert (report.value(node, SH.conforms), len(list(report.objects(node, SH.result)))) == (
        Literal(case.conforms),
        case.results,
    )


@pytest.mark.parametrize(
    "name",
    [
        # <> and <class-001> in one file: data graph and shapes graph at once.
        pytest.param("node/class-001", id="relative IRIs, failing"),
        # Data and shapes in two files, each with relative IRIs of its own.
        pytest.param("complex/shacl-shacl", id="two files, conforming"),
    ],
)
def test_w3c_core_through_the_installed_command(name: str) -> None:
    case = CASES[name]
    aluekg = Path(sys.executable).with_name("aluekg")
    done = subprocess.run(
        [aluekg, "validate", "--format", "turtle", "--shapes", case.shapes, case.data],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0 if case.conforms else 1, "")
    report = Graph().parse(data=done.stdout, format="turtle")
    assert len(list(report.objects(predicate=SH.result))) == case.results
