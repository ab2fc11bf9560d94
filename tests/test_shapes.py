"""The SHACL shapes in shapes/: each rule catches what it should and nothing else, tells the
maintainer in Finnish and English what to fix, and the repository's data meets them.

Every example in tests/shapes/valid/ and tests/shapes/invalid/ is validated together with
tests/shapes/context.ttl (a tiny graph that meets every shape), the way the CLI validates: the
ontology and code lists as pyshacl's ont_graph, inference "none", advanced mode for the SPARQL
targets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).parent / "shapes"
ALUSH = "https://w3id.org/aluekg/shapes#"
ALUE = "https://w3id.org/aluekg/ontology#"
ID = "https://w3id.org/aluekg/id/"
VOCAB = "https://w3id.org/aluekg/vocab/"
ONTOLOGY = URIRef("https://w3id.org/aluekg/ontology")
ORG = "organisation/kaustisen-seutukunta"
V, W, INFO = "Violation", "Warning", "Info"

# (shape's local name, focus node relative to the id/ base or "_:" for a blank node, severity)
Result = tuple[str, str, str]

# Each invalid example and exactly the results it gives (context.ttl alone gives none).
INVALID = [
    pytest.param(
        "A-01",
        {
            ("Address-postCode", ORG + "/address/vaillinainen", V),
            ("Address-postName", ORG + "/address/vaillinainen", V),
            ("AddressShape", ORG + "/address/vaillinainen", V),
        },
        id="A-01",
    ),
    pytest.param(
        "C-01",
        {
            ("Individual-fn", ORG + "/contact/nimeton", V),
            ("Individual-title", ORG + "/contact/nimeton", W),
        },
        id="C-01",
    ),
    pytest.param(
        "D-01",
        {
            ("Subject-subject", "programme/p/priority/1", V),
        },
        id="D-01",
    ),
    pytest.param(
        "I-01",
        {
            ("Text-whitespace", "programme/p", INFO),
        },
        id="I-01",
    ),
    pytest.param(
        "O-01",
        {
            ("Organization-classificationRecommended", "region/16", W),
            ("OrganizationShape", "region/16", V),
        },
        id="O-01",
    ),
    pytest.param(
        "O-02",
        {
            ("Organization-classification", ORG + "/unit/hallitus", V),
            ("Organization-classificationRecommended", ORG + "/unit/lautakunta", W),
            ("Organization-prefLabel", ORG + "/unit/hallitus", V),
        },
        id="O-02",
    ),
    pytest.param(
        "O-03",
        {
            ("Site-siteAddress", ORG + "/site/kokkola", V),
            ("Site-siteAddress", ORG + "/site/veteli", V),
        },
        id="O-03",
    ),
    pytest.param(
        "O-04",
        {
            ("Organization-hasUnit", ORG, V),
            ("OrganizationalUnit-unitOf", ORG + "/unit/irrallinen", V),
            ("OrganizationalUnit-unitOf", ORG + "/unit/ohjelman", V),
        },
        id="O-04",
    ),
    pytest.param(
        "O-05",
        {
            ("Organization-spatial", ORG, V),
        },
        id="O-05",
    ),
    pytest.param(
        "O-06",
        {
            ("Organization-address", ORG, V),
            ("Organization-hasPrimarySite", ORG, V),
            ("Organization-hasSite", ORG, V),
            ("Organization-identifier", ORG, V),
        },
        id="O-06",
    ),
    pytest.param(
        "P-01",
        {
            ("Programme-prefLabel", "programme/p", V),
            ("ProgrammeSeries-prefLabel", "programme-series/x", V),
            ("Text-prefLabel", "programme/p", V),
        },
        id="P-01",
    ),
    pytest.param(
        "P-02",
        {
            ("Text-altLabel", "source/teksti", V),
            ("Text-comment", "source/teksti", V),
            ("Text-definition", "source/teksti", V),
            ("Text-description", "source/teksti", V),
            ("Text-eliTitle", "source/teksti", V),
            ("Text-fullAddress", "source/teksti", V),
            ("Text-jobTitle", "source/teksti", V),
            ("Text-label", "source/teksti", V),
            ("Text-note", "source/teksti", V),
            ("Text-postName", "source/teksti", V),
            ("Text-prefLabel", "source/teksti", V),
            ("Text-thoroughfare", "source/teksti", V),
            ("Text-title", "source/teksti", V),
            ("Text-value", "source/teksti", V),
        },
        id="P-02",
    ),
    pytest.param(
        "P-03",
        {
            ("Text-note", "source/saksa", V),
            ("Text-prefLabel", "source/saksa", V),
        },
        id="P-03",
    ),
    pytest.param(
        "P-04",
        {
            ("Text-prefLabel", "source/kaksi", V),
        },
        id="P-04",
    ),
    pytest.param(
        "P-05",
        {
            ("PeriodOfTime-endDate", "programme/p/period-2", V),
            ("PeriodOfTime-startDate", "programme/p/period-2", V),
            ("Programme-temporal", "programme/p", V),
            ("Programme-temporalRecommended", "programme/s3", W),
        },
        id="P-05",
    ),
    pytest.param(
        "P-06",
        {
            ("PeriodOfTime-endYear", "period/vaarin", V),
        },
        id="P-06",
    ),
    pytest.param(
        "P-07",
        {
            ("Programme-spatial", "programme/p", V),
            ("Programme-spatial", "programme/x", V),
        },
        id="P-07",
    ),
    pytest.param(
        "P-08",
        {
            ("AdminUnit-source", "area/test", V),
            ("Organization-source", ORG + "/unit/hallitus", V),
            ("Programme-source", "programme/x", V),
            ("ProgrammeSeries-source", "programme-series/x", V),
        },
        id="P-08",
    ),
    pytest.param(
        "P-09",
        {
            ("Programme-type", "programme/p", V),
        },
        id="P-09",
    ),
    pytest.param(
        "P-10",
        {
            ("Programme-approvedBy", "programme/p", V),
            ("Programme-approvedByRecommended", "programme/x", W),
            ("Programme-dateAccepted", "programme/p", V),
        },
        id="P-10",
    ),
    pytest.param(
        "P-11",
        {
            ("Programme-acceptedYear", "programme/x", W),
        },
        id="P-11",
    ),
    pytest.param(
        "P-12",
        {
            ("Programme-periodLength", "programme/m", W),
        },
        id="P-12",
    ),
    pytest.param(
        "P-13",
        {
            ("Activity-hasPart", "programme/p/preparation", V),
            ("Activity-used", "programme/p/preparation", V),
            ("Activity-wasAssociatedWith", "programme/p/preparation", V),
            ("Programme-contactPoint", "programme/p", V),
            ("Programme-guides", "programme/p", V),
            ("Programme-publisher", "programme/p", V),
            ("Programme-wasGeneratedBy", "programme/p", V),
        },
        id="P-13",
    ),
    pytest.param(
        "P-14",
        {
            ("Programme-implementationPartner", "programme/p", V),
        },
        id="P-14",
    ),
    pytest.param(
        "P-15",
        {
            ("Programme-isPartOf", "programme/p", V),
        },
        id="P-15",
    ),
    pytest.param(
        "Q-01",
        {
            ("Resource-type", "source/tyypiton", V),
        },
        id="Q-01",
    ),
    pytest.param(
        "Q-02",
        {
            ("Resource-vocabulary", "programme/p", V),
            ("Resource-vocabulary", "programme/p/priority/9", V),
        },
        id="Q-02",
    ),
    pytest.param(
        "Q-03",
        {
            ("Resource-vocabulary", ORG, V),
            ("Resource-vocabulary", "programme/p", V),
        },
        id="Q-03",
    ),
    pytest.param(
        "Q-04",
        {
            ("AdminUnitShape", "_:", V),
            ("AreaConceptShape", "_:", V),
            ("CountryShape", "_:", V),
            ("MunicipalityShape", "_:", V),
            ("RegionShape", "_:", V),
            ("SubRegionShape", "_:", V),
        },
        id="Q-04",
    ),
    pytest.param(
        "R-01",
        {
            ("Municipality-notation", "municipality/236", V),
            ("Region-notation", "region/16", V),
            ("SubRegion-notation", "sub-region/161", V),
        },
        id="R-01",
    ),
    pytest.param(
        "R-02",
        {
            ("AdminUnit-code", "region/16", V),
            ("AdminUnit-code", "sub-region/161", V),
            ("Link-source", "http://uri.suomi.fi/codelist/jhs/seutukunta_1_20220101/code/161", V),
            (
                "Link-source",
                "https://koodistot.suomi.fi/code;registryCode=jhs;schemeCode=maakunta_1_20220101;codeCode=16",
                V,
            ),
            ("Municipality-code", "municipality/236", V),
            ("Region-code", "region/16", V),
        },
        id="R-02",
    ),
    pytest.param(
        "R-03",
        {
            ("Link-sameAs", "region/16", V),
        },
        id="R-03",
    ),
    pytest.param(
        "R-04",
        {
            ("Subject-subjectYso", "programme/p", V),
        },
        id="R-04",
    ),
    pytest.param(
        "R-05",
        {
            ("Identifier-checkDigit", "organisation/test/identifier/tarkiste", V),
            ("Identifier-notation", "organisation/test/identifier/lyhyt", V),
            ("Identifier-source", "organisation/test/identifier/lahteeton", V),
        },
        id="R-05",
    ),
    pytest.param(
        "R-06",
        {
            ("Programme-hasLegalResource", "programme/p", V),
        },
        id="R-06",
    ),
    pytest.param(
        "R-07",
        {
            ("Link-source", "http://uri.suomi.fi/codelist/jhs/maakunta_1_20250101/code/16", V),
            ("Link-source", "http://www.yso.fi/onto/yso/p106070", V),
        },
        id="R-07",
    ),
    pytest.param(
        "R-08",
        {
            ("Country-containedInPlace", "country/FI", V),
            ("Municipality-containedInPlace", "municipality/236", V),
            ("Municipality-containedInPlaceRecommended", "municipality/074", W),
            ("Region-containedInPlace", "region/16", V),
            ("SubRegion-containedInPlace", "sub-region/161", V),
            ("SubRegion-containedInPlaceRecommended", "sub-region/162", W),
        },
        id="R-08",
    ),
    pytest.param(
        "R-09",
        {
            ("AdminUnit-level", "area/c", V),
            ("AdminUnit-level", "municipality/236", V),
            ("Country-level", "area/c", V),
            ("Municipality-level", "area/m", V),
            ("Region-level", "area/r", V),
            ("SubRegion-level", "area/s", V),
        },
        id="R-09",
    ),
    pytest.param(
        "R-10",
        {
            ("Region-nutsCode", "area/r", W),
        },
        id="R-10",
    ),
    pytest.param(
        "R-11",
        {
            ("AreaConcept-code", "classification/kunta-2022/074", V),
            ("AreaConcept-focus", "classification/kunta-2022/999", V),
            ("AreaConcept-focus", "http://www.yso.fi/onto/yso/p106070", V),
        },
        id="R-11",
    ),
    pytest.param(
        "R-12",
        {
            ("AreaConcept-code", "classification/kunta-2022/236", V),
            ("AreaConcept-notation", "classification/kunta-2022/236", V),
            ("ClassificationConcept-exactMatch", "classification/kunta-2022/236", V),
            (
                "Link-source",
                "https://koodistot.suomi.fi/code;registryCode=jhs;schemeCode=kunta_1_20220101;codeCode=236",
                V,
            ),
        },
        id="R-12",
    ),
    pytest.param(
        "R-13",
        {
            ("ClassificationVersion-classificationYear", "classification/kunta-2025", V),
            ("ClassificationVersion-notation", "classification/kunta-2025", V),
            ("ClassificationVersion-source", "classification/kunta-2025", V),
            ("ClassificationVersionShape", "classification/vaara", V),
        },
        id="R-13",
    ),
    pytest.param(
        "R-14",
        {
            ("Link-source", "http://data.europa.eu/nuts/code/fi1d5", V),
            ("NutsCode-inScheme", "http://data.europa.eu/nuts/code/fi1d5", V),
            ("NutsCode-notation", "http://data.europa.eu/nuts/code/fi1d5", V),
            ("NutsCode-prefLabel", "http://data.europa.eu/nuts/code/fi1d5", V),
            ("NutsCode-source", "http://data.europa.eu/nuts/code/fi1d5", V),
            ("NutsCodeShape", "http://data.europa.eu/nuts/code/fi1d5", V),
        },
        id="R-14",
    ),
    pytest.param(
        "R-15",
        {
            ("AdminUnit-prefLabel", "area/test", V),
            ("AdminUnit-prefLabel", "municipality/236", V),
            ("Text-prefLabel", "municipality/236", V),
        },
        id="R-15",
    ),
    pytest.param(
        "T-01",
        {
            ("ProgrammeComponent-partOfProgramme", "programme/p/vision-2", V),
            ("ProgrammeComponent-partOfProgramme", "programme/p/vision-3", V),
        },
        id="T-01",
    ),
    pytest.param(
        "T-02",
        {
            ("ProgrammeConcept-inScheme", "programme/p/priority/2", V),
            ("ProgrammeConcept-structure", "programme/p/priority/3", V),
            ("ProgrammeConcept-structure", "programme/p/priority/4", V),
        },
        id="T-02",
    ),
    pytest.param(
        "T-03",
        {
            ("ProgrammeComponent-order", "programme/p/priority/3", V),
            ("ProgrammeComponent-orderUnique", "programme/p/priority/1", V),
            ("ProgrammeComponent-orderUnique", "programme/p/priority/1/1", V),
            ("ProgrammeComponent-orderUnique", "programme/p/priority/1/2", V),
            ("ProgrammeComponent-orderUnique", "programme/p/priority/2", V),
        },
        id="T-03",
    ),
    pytest.param(
        "T-04",
        {
            ("Priority-broader", "programme/p/priority/1/2", V),
            ("ProgrammeComponent-broader", "programme/p/priority/1/3", V),
            ("ProgrammeComponent-broader", "programme/p/priority/5", V),
            ("ProgrammeComponent-broader", "programme/p/priority/6", V),
        },
        id="T-04",
    ),
    pytest.param(
        "T-05",
        {
            ("TargetState-value", "programme/p/target-state-2", V),
            ("Vision-value", "programme/p/vision-2", V),
        },
        id="T-05",
    ),
    pytest.param(
        "T-06",
        {
            ("Programme-component", "programme/x", INFO),
        },
        id="T-06",
    ),
    pytest.param(
        "T-07",
        {
            ("ProgrammeComponent-orderContiguous", "programme/p/priority/3", INFO),
        },
        id="T-07",
    ),
    pytest.param(
        "T-08",
        {
            ("ProgrammeConcept-prefLabel", "programme/p/priority/2", V),
        },
        id="T-08",
    ),
    pytest.param(
        "T-09",
        {
            ("ConceptSchemeShape", "programme/p/other", W),
        },
        id="T-09",
    ),
    pytest.param(
        "T-10",
        {
            ("TargetState-targetYear", "programme/p/target-state", V),
        },
        id="T-10",
    ),
    pytest.param(
        "W-01",
        {
            ("AdminUnit-prefLabelEn", "area/test", W),
            ("Organization-prefLabelEn", ORG + "/unit/hallitus", W),
            ("Programme-prefLabelEn", "programme/w", W),
            ("ProgrammeConcept-prefLabelEn", "programme/p/priority/2", W),
            ("ProgrammeSeries-prefLabelEn", "programme-series/x", W),
            ("TargetState-valueEn", "programme/w/target-state", W),
            ("Vision-valueEn", "programme/w/vision", W),
        },
        id="W-01",
    ),
]

# Namespaces the shapes may cite besides alue: and vocab/ (which are checked term by term).
REUSED = (
    "http://www.w3.org/ns/shacl#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/dcat#",
    "http://xmlns.com/foaf/0.1/",
    "http://data.europa.eu/m8g/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://www.w3.org/2006/vcard/ns#",
    "http://www.w3.org/ns/locn#",
    "http://www.w3.org/ns/adms#",
    "http://data.europa.eu/eli/ontology#",
    ALUSH,
)
OTHER_IRIS = {
    "https://w3id.org/aluekg/shapes",
    "https://creativecommons.org/licenses/by/4.0/",
}
# Parameters that make a shape check something itself (not only through sh:property).
CONSTRAINTS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minInclusive,
    SH.pattern,
    SH.languageIn,
    SH.uniqueLang,
    SH["in"],
    SH.hasValue,
    SH["not"],
    SH["or"],
    SH.qualifiedValueShape,
    SH.sparql,
}
RULE_IDS = re.compile(r"[A-Z]-[0-9]{2}(, [A-Z]-[0-9]{2})*: ")
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
# Code lists written into the shapes (pyshacl's ont_graph brings only RDFS and OWL axioms into
# the data graph, not SKOS concepts), each with the scheme it must equal.
CODE_LISTS = [
    pytest.param("Programme-type", "programme-type", id="programme type"),
    pytest.param("Programme-implementationPartner", "stakeholder-type", id="stakeholder type"),
    pytest.param("Organization-classification", "organisation-type", id="organisation type"),
    pytest.param("AdminUnit-level", "admin-level", id="admin level"),
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in [
        ROOT / "ontology" / "aluekg.ttl",
        *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
    ]:
        graph.parse(path)
    return graph


def validate(data: Graph, shapes: Graph, ontology: Graph) -> Graph:
    """The validation report graph, as the CLI gets it."""
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    return report


def results(report: Graph) -> set[Result]:
    return {
        (
            local(report.value(result, SH.sourceShape)),
            relative(report.value(result, SH.focusNode)),
            local(report.value(result, SH.resultSeverity)),
        )
        for result in report.subjects(SH.focusNode)
    }


def local(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1]


def relative(node: Node | None) -> str:
    if isinstance(node, BNode):
        return "_:"
    text = str(node)
    return text.removeprefix(ID)


def example(*paths: Path) -> Graph:
    graph = Graph().parse(EXAMPLES / "context.ttl")
    for path in paths:
        graph.parse(path)
    return graph


def names(folder: str) -> list[str]:
    return sorted(path.stem for path in (EXAMPLES / folder).glob("*.ttl"))


def expected_shapes() -> set[str]:
    """Every shape some invalid example expects a result from."""
    found: set[str] = set()
    for param in INVALID:
        expected = param.values[1]
        assert isinstance(expected, set)
        found |= {shape for shape, _, _ in expected}
    return found


def alush_subjects(shapes: Graph, *kinds: URIRef) -> set[URIRef]:
    return {
        subject
        for kind in kinds
        for subject in shapes.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and str(subject).startswith(ALUSH)
    }


def languages(graph: Graph, subject: Node, predicate: URIRef) -> set[str]:
    return {o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_the_context_meets_every_shape_with_no_result(shapes: Graph, ontology: Graph) -> None:
    assert results(validate(example(), shapes, ontology)) == set()


@pytest.mark.parametrize("rule", names("valid"))
def test_a_valid_example_gives_no_result(rule: str, shapes: Graph, ontology: Graph) -> None:
    report = validate(example(EXAMPLES / "valid" / f"{rule}.ttl"), shapes, ontology)
    assert results(report) == set()


@pytest.mark.parametrize(("rule", "expected"), INVALID)
def test_an_invalid_example_gives_exactly_its_results(
    rule: str, expected: set[Result], shapes: Graph, ontology: Graph
) -> None:
    report = validate(example(EXAMPLES / "invalid" / f"{rule}.ttl"), shapes, ontology)
    assert results(report) == expected


def test_every_rule_has_a_valid_and_an_invalid_example_in_the_table() -> None:
    table = sorted(str(param.values[0]) for param in INVALID)
    assert names("invalid") == table
    assert names("valid") == table


def test_every_shape_that_checks_something_fails_in_some_example(shapes: Graph) -> None:
    targeted = {s for predicate in TARGETS for s in shapes.subjects(predicate, None)}
    reachable = targeted | {p for s in targeted for p in shapes.objects(s, SH.property)}
    checking = {s for s in reachable if CONSTRAINTS & set(shapes.predicates(s, None))}
    missing = {local(s) for s in checking} - expected_shapes()
    assert not missing, f"shapes with no failing example: {sorted(missing)}"


def test_the_shapes_graph_passes_meta_shacl(shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(
        Graph(), shacl_graph=shapes, inference="none", advanced=True, meta_shacl=True
    )
    assert conforms, text


def test_every_shape_and_sparql_constraint_has_a_message_in_finnish_and_english(
    shapes: Graph,
) -> None:
    named = alush_subjects(shapes, SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    lacking = {local(s) for s in named if not {"fi", "en"} <= languages(shapes, s, SH.message)}
    assert len(named) > 100
    assert not lacking, f"no sh:message in fi and en: {sorted(lacking)}"


def test_every_shape_has_a_name_and_a_rule_id_in_both_languages(shapes: Graph) -> None:
    for shape in alush_subjects(shapes, SH.NodeShape, SH.PropertyShape):
        assert {"fi", "en"} <= languages(shapes, shape, SH.name), shape
        descriptions = list(shapes.objects(shape, SH.description))
        assert {"fi", "en"} <= languages(shapes, shape, SH.description), shape
        assert all(RULE_IDS.match(str(d)) for d in descriptions), shape


def test_property_shapes_are_named(shapes: Graph) -> None:
    assert not [s for s in shapes.subjects(SH.path, None) if isinstance(s, BNode)]
    assert all(isinstance(p, URIRef) for p in shapes.objects(None, SH.property))


def test_severity_is_written_out_only_when_it_is_not_violation(shapes: Graph) -> None:
    assert not list(shapes.subjects(SH.severity, SH.Violation))


def test_the_shapes_cite_only_declared_terms(shapes: Graph, ontology: Graph) -> None:
    iris = {term for triple in shapes for term in triple if isinstance(term, URIRef)}
    undeclared = {
        iri
        for iri in iris
        if str(iri).startswith(ALUE) and (iri, RDFS.isDefinedBy, ONTOLOGY) not in ontology
    }
    unknown_codes = {
        iri for iri in iris if str(iri).startswith(VOCAB) and (iri, None, None) not in ontology
    }
    elsewhere = {
        iri
        for iri in iris
        if not str(iri).startswith((ALUE, VOCAB, *REUSED)) and str(iri) not in OTHER_IRIS
    }
    assert not undeclared, undeclared
    assert not unknown_codes, unknown_codes
    assert not elsewhere, elsewhere


@pytest.mark.parametrize(("shape", "scheme"), CODE_LISTS)
def test_a_code_list_in_the_shapes_is_that_of_its_vocabulary(
    shape: str, scheme: str, shapes: Graph, ontology: Graph
) -> None:
    listed = shapes.value(URIRef(ALUSH + shape), SH["in"])
    assert listed is not None
    in_shapes = set(Collection(shapes, listed))
    assert in_shapes == set(ontology.subjects(SKOS.inScheme, URIRef(VOCAB + scheme)))


def test_the_regional_programme_still_lasts_four_years(ontology: Graph) -> None:
    """alush:Programme-periodLength writes the four years out (P-12)."""
    regional = URIRef(VOCAB + "programme-type/maakuntaohjelma")
    period = ontology.value(regional, URIRef(ALUE + "planningPeriod"))
    assert period == Literal("P4Y", datatype=XSD.duration)


def test_the_repository_data_has_no_violation(shapes: Graph, ontology: Graph) -> None:
    paths = [p for p in sorted((ROOT / "data").rglob("*.ttl")) if "templates" not in p.parts]
    assert paths, "data/ has no Turtle files"
    data = Graph()
    for path in paths:
        data.parse(path)
    violations = {r for r in results(validate(data, shapes, ontology)) if r[2] == V}
    assert not violations
