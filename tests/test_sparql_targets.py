"""SPARQL targets selected by pyoxigraph give pySHACL's own verdict (issue 11).

aluekg.validation.targets lets pyoxigraph select the nodes of each `sh:target [ a
sh:SPARQLTarget ]` and pySHACL judge them; here both ways validate the same broken copy of data/,
one that breaks every rule with a SPARQL target that the programme files can break, and must
report the same results.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.query import ResultRow

from aluekg import syntax
from aluekg.config import REPOSITORY, Settings
from aluekg.validation import graphs, pipeline, sources, targets
from aluekg.validation.results import Report

ALUSH = "https://w3id.org/aluekg/shapes#"
ID = "https://w3id.org/aluekg/id/"
FIXTURES = Path(__file__).parent / "fixtures" / "targets"
# The order rules' targets as they were before issue 11 rewrote them.
BEFORE = {
    "ProgrammeComponent-orderContiguous": FIXTURES / "order-contiguous-before.rq",
    "ProgrammeComponent-orderUnique": FIXTURES / "order-unique-before.rq",
}
EXAMPLE = "http://example.org/order-test/"
PROGRAMME = Path("programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl")
ORGANISATION = Path("organisation/kymenlaakson-liitto.ttl")
# Each edit applies once and breaks the rules named beside it (written from shapes/*.ttl).
EDITS = {
    PROGRAMME: [
        # Theme 2 numbered 1: ProgrammeComponent-orderUnique (themes 1 and 2) and
        # -orderContiguous (theme 3 follows no 2).
        ("alue:order 2 ;", "alue:order 1 ;"),
        # PeriodOfTime-endYear (ends before it starts), Programme-acceptedYear (accepted after).
        ('dcat:endDate "2026"^^xsd:gYear', 'dcat:endDate "2020"^^xsd:gYear'),
        # Programme-approvedByRecommended: accepted, but by nobody named.
        ("    alue:approvedBy <organisation/kaustisen-seutukunta/unit/seutuvaltuusto> ;\n", ""),
        # Theme 4 also in Kymenlaakso's programme: ProgrammeConcept-structure.
        (
            "alue:order 4 ;\n    alue:partOfProgramme",
            "alue:order 4 ;\n    alue:partOfProgramme "
            "<programme/kymenlaakson-maakuntaohjelma-2022-2025> ,",
        ),
    ],
    # Identifier-checkDigit: the check digit of Kymenlaakson liitto's business ID is 5.
    ORGANISATION: [('"0206714-5"^^alue:ytunnus', '"0206714-4"^^alue:ytunnus')],
}
BROKEN = {
    "ProgrammeComponent-orderUnique",
    "ProgrammeComponent-orderContiguous",
    "PeriodOfTime-endYear",
    "Programme-acceptedYear",
    "Programme-approvedByRecommended",
    "ProgrammeConcept-structure",
    "Identifier-checkDigit",
}


def broken_copy(folder: Path) -> Path:
    data = folder / "data"
    shutil.copytree(REPOSITORY / "data", data)
    for name, edits in EDITS.items():
        text = (data / name).read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"the edit must apply exactly once: {old!r}"
            text = text.replace(old, new)
        (data / name).write_text(text, encoding="utf-8")
    # Components numbered with decimals, other integer types and strings, to compare on too.
    shutil.copy(FIXTURES / "orders.ttl", data / "orders.ttl")
    return data


def results(report: Report) -> set[tuple[str, str, str | None, str | None, str]]:
    return {(r.shape, r.focus, r.path, r.value, r.severity) for r in report.results}


def test_both_engines_select_the_same_targets_and_give_the_same_report(tmp_path: Path) -> None:
    settings = Settings(data_dir=broken_copy(tmp_path))
    ours = pipeline.validate_repository(settings)
    theirs = pipeline.validate_repository(settings, targets_on_pyoxigraph=False)
    assert (ours.conforms, results(ours)) == (theirs.conforms, results(theirs))
    # The copy breaks what it means to break, so the comparison is not of two empty reports.
    assert {r.shape.removeprefix(ALUSH) for r in ours.results} >= BROKEN


def test_every_sparql_target_of_the_shapes_is_selected_by_pyoxigraph() -> None:
    """None is left to pySHACL: each query parses on pyoxigraph and needs no shapes graph."""
    shapes = Graph()
    for path in syntax.rdf_files(REPOSITORY / "shapes"):
        shapes.parse(path)
    declared = {(s, o) for s, o in shapes.subject_objects(SH.target)}
    selected = targets.select_on_pyoxigraph(shapes, Graph())
    assert len(declared) == 11
    left = [(shape, target) for shape, target in declared if (shape, SH.target, target) in selected]
    assert left == [], "every SPARQL target was replaced"


def test_the_order_rules_select_what_their_former_queries_selected(tmp_path: Path) -> None:
    """orderContiguous finds a missing predecessor with OPTIONAL, not FILTER NOT EXISTS, and
    orderUnique counts groups rather than joining pairs on the number, for speed: on each engine
    both forms select the same components, orders that are no xsd:integer (compared by value
    where the rule compares values) and strings included."""
    data = broken_copy(tmp_path)
    shutil.copy(FIXTURES / "order-strings.ttl", data / "order-strings.ttl")
    files = [*syntax.rdf_files(data), *syntax.rdf_files(REPOSITORY / "ontology")]
    graph = graphs.load_sources(sources.read(files))[0]
    shapes = graphs.load_shapes(sources.read(syntax.rdf_files(REPOSITORY / "shapes")))
    selector = targets.Selector(graph)
    selected = {}
    for name, before_file in BEFORE.items():
        [now] = [t for t in targets.sparql_targets(shapes) if t.shape == URIRef(ALUSH + name)]
        before = dataclasses.replace(now, select=before_file.read_text(encoding="utf-8"))
        assert now.select.split() != before.select.split()
        on_pyoxigraph = [set(selector.nodes(target) or ()) for target in (now, before)]
        on_rdflib = [
            {
                row[0]
                for row in graph.query(target.select, initNs=target.prefixes)
                if isinstance(row, ResultRow)
            }
            for target in (now, before)
        ]
        assert on_pyoxigraph[0] == on_pyoxigraph[1], name
        assert on_rdflib[0] == on_rdflib[1], name
        selected[name] = on_pyoxigraph[0], on_rdflib[0]
    # Written from tests/fixtures/targets/*.ttl and the broken copy's theme numbers (its theme 2
    # numbered 1; its theme 4, also put in Kymenlaakso's programme, follows no theme 3 there).
    programme = ID + str(PROGRAMME.with_suffix(""))
    contiguous = {
        URIRef(EXAMPLE + name)
        for name in ("theme-4", "theme-7", "priority-4", "priority-top-2", "string-3")
    } | {URIRef(programme + "/theme/3"), URIRef(programme + "/theme/4")}
    # rdflib orders the string "2" after 1, where SPARQL makes comparing a string with a number
    # an error: the engines differ on an order that is a string (already a datatype violation).
    assert selected["ProgrammeComponent-orderContiguous"] == (
        contiguous,
        contiguous | {URIRef(EXAMPLE + "string-2")},
    )
    unique = {URIRef(EXAMPLE + "priority-2"), URIRef(EXAMPLE + "priority-2b")} | {
        URIRef(programme + "/theme/1"),
        URIRef(programme + "/theme/2"),
    }
    assert selected["ProgrammeComponent-orderUnique"] == (unique, unique)
