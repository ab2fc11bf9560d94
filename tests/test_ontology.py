"""The OWL ontology and the SKOS code lists under ontology/: parse, declarations, labels, links."""

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, VANN
from rdflib.term import Node

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "aluekg.ttl"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
ALL_FILES = sorted(ONTOLOGY_DIR.rglob("*.ttl"))

ALUE = Namespace("https://w3id.org/aluekg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/aluekg/ontology")
VOCAB = "https://w3id.org/aluekg/vocab/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
M8G = Namespace("http://data.europa.eu/m8g/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
# The SEMIC typo namespace (no www.) and schema.org over http, which we do not mix with https.
TYPO_PREFIXES = ("http://w3.org/", "http://schema.org/")

# The contract's term list: local name -> kind of declaration.
CLASSES = (
    "Programme",
    "ProgrammeSeries",
    "ProgrammeComponent",
    "Vision",
    "TargetState",
    "StrategicTheme",
    "Priority",
    "CrossCuttingTheme",
    "Strength",
    "Municipality",
    "SubRegion",
    "Region",
)
DATATYPES = ("kuntakoodi", "seutukuntakoodi", "maakuntakoodi", "ytunnus", "nutsCode", "iso3166-2")
OBJECT_PROPERTIES = (
    "partOfProgramme",
    "approvedBy",
    "guides",
    "implementationPartner",
    "planningCycle",
)
DATATYPE_PROPERTIES = ("order", "targetYear", "statutory", "planningPeriod", "classificationYear")
TERMS: dict[str, URIRef] = {
    **dict.fromkeys(CLASSES, OWL.Class),
    **dict.fromkeys(DATATYPES, RDFS.Datatype),
    **dict.fromkeys(OBJECT_PROPERTIES, OWL.ObjectProperty),
    **dict.fromkeys(DATATYPE_PROPERTIES, OWL.DatatypeProperty),
}
KINDS = frozenset(TERMS.values())

AREA_PARENTS = (M8G.AdminUnit, SCHEMA.AdministrativeArea, DCTERMS.Location)
PARENTS: list[tuple[str, URIRef, URIRef]] = [
    ("Programme", RDFS.subClassOf, PROV.Plan),
    ("ProgrammeSeries", RDFS.subClassOf, PROV.Entity),
    ("Vision", RDFS.subClassOf, ALUE.ProgrammeComponent),
    ("TargetState", RDFS.subClassOf, ALUE.ProgrammeComponent),
    *[
        (name, RDFS.subClassOf, parent)
        for name in ("StrategicTheme", "Priority", "CrossCuttingTheme", "Strength")
        for parent in (ALUE.ProgrammeComponent, SKOS.Concept)
    ],
    *[
        (name, RDFS.subClassOf, parent)
        for name in ("Municipality", "SubRegion", "Region")
        for parent in AREA_PARENTS
    ],
    ("partOfProgramme", RDFS.subPropertyOf, DCTERMS.isPartOf),
]

DOMAIN_RANGE: list[tuple[str, URIRef, URIRef]] = [
    ("partOfProgramme", ALUE.ProgrammeComponent, ALUE.Programme),
    ("order", ALUE.ProgrammeComponent, XSD.integer),
    ("approvedBy", ALUE.Programme, ORG.Organization),
    ("guides", ALUE.Programme, ORG.Organization),
    ("implementationPartner", ALUE.Programme, SKOS.Concept),
    ("targetYear", ALUE.TargetState, XSD.gYear),
    ("statutory", SKOS.Concept, XSD.boolean),
    ("planningPeriod", SKOS.Concept, XSD.duration),
    ("planningCycle", SKOS.Concept, SKOS.Concept),
    ("classificationYear", SKOS.ConceptScheme, XSD.gYear),
]

SCHEMES: dict[str, tuple[str, ...]] = {
    "programme-type": (
        "maakuntaohjelma",
        "elinvoimaohjelma",
        "alykkaan-erikoistumisen-strategia",
    ),
    "admin-level": ("maa", "maakunta", "seutukunta", "kunta"),
    "organisation-type": (
        "maakunnan-liitto",
        "seutukunnallinen-yhteistyoelin",
        "kunta",
        "toimielin",
    ),
    "stakeholder-type": (
        "seudun-toimijat",
        "kunnat",
        "kuntalaiset",
        "asukkaat",
        "elinkeinoelama",
        "yritykset",
        "tki-toimijat",
        "tutkimus-koulutus-ja-kehittamisorganisaatiot",
        "rahoittajat",
        "kolmas-sektori",
        "kuntien-henkilosto",
        "luottamushenkilot",
        "seutukunnan-henkilosto",
        "organisaatiot",
        "muut-tahot",
    ),
    "planning-cycle": ("kunnallisvaalikausi",),
}

# Finnish labels taken from the seed pages' wording.
SEED_LABELS: list[tuple[str, str]] = [
    ("stakeholder-type/kuntalaiset", "kuntalaiset"),
    ("stakeholder-type/elinkeinoelama", "elinkeinoelämä"),
    (
        "stakeholder-type/tutkimus-koulutus-ja-kehittamisorganisaatiot",
        "tutkimus-, koulutus- ja kehittämisorganisaatiot",
    ),
    ("stakeholder-type/tki-toimijat", "TKI-toimijat"),
    ("stakeholder-type/rahoittajat", "rahoittajat"),
    ("stakeholder-type/kolmas-sektori", "kolmas sektori"),
    ("stakeholder-type/asukkaat", "asukkaat"),
    ("programme-type/maakuntaohjelma", "maakuntaohjelma"),
    ("planning-cycle/kunnallisvaalikausi", "kunnallisvaalikausi"),
]

MAAKUNTAOHJELMA_DEFINITION = (
    "Maakuntaohjelma on lakisääteinen maakunnan kehittämisasiakirja, joka laaditaan "
    "kunnallisvaalikausittain neljäksi vuodeksi."
)


@cache
def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _ontology() -> Graph:
    return _graph(ONTOLOGY_FILE)


def _everything() -> Graph:
    merged = Graph()
    for path in ALL_FILES:
        merged += _graph(path)
    return merged


def _languages(graph: Graph, subject: Node, predicate: URIRef) -> list[str | None]:
    return sorted(
        (obj.language for obj in graph.objects(subject, predicate) if isinstance(obj, Literal)),
        key=str,
    )


def _iris(graph: Graph) -> Iterator[URIRef]:
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef):
                yield node
            elif isinstance(node, Literal) and node.datatype is not None:
                yield node.datatype


def _declared() -> set[URIRef]:
    graph = _ontology()
    return {
        subject
        for kind in KINDS
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(str(ALUE))
    }


def _term_params() -> list[object]:
    return [pytest.param(ALUE[name], kind, id=name) for name, kind in TERMS.items()]


def _scheme_params() -> list[object]:
    return [pytest.param(scheme, slugs, id=scheme) for scheme, slugs in SCHEMES.items()]


def _concept_params() -> list[object]:
    return [
        pytest.param(
            URIRef(VOCAB + scheme), URIRef(f"{VOCAB}{scheme}/{slug}"), id=f"{scheme}/{slug}"
        )
        for scheme, slugs in SCHEMES.items()
        for slug in slugs
    ]


def test_every_expected_file_exists() -> None:
    names = {path.relative_to(ONTOLOGY_DIR).as_posix() for path in ALL_FILES}
    assert names == {"aluekg.ttl", *(f"vocab/{scheme}.ttl" for scheme in SCHEMES)}


@pytest.mark.parametrize(
    "path", [pytest.param(path, id=path.relative_to(ONTOLOGY_DIR).as_posix()) for path in ALL_FILES]
)
def test_file_parses_to_a_non_empty_graph(path: Path) -> None:
    assert len(_graph(path)) > 0


def test_ontology_declares_exactly_the_contract_terms() -> None:
    assert _declared() == {ALUE[name] for name in TERMS}


@pytest.mark.parametrize(("term", "kind"), _term_params())
def test_term_is_declared_with_its_kind(term: URIRef, kind: URIRef) -> None:
    assert set(_ontology().objects(term, RDF.type)) == {kind}


@pytest.mark.parametrize(("term", "kind"), _term_params())
def test_term_has_fi_en_label_and_definition_and_is_defined_by(term: URIRef, kind: URIRef) -> None:
    graph = _ontology()
    assert _languages(graph, term, RDFS.label) == ["en", "fi"]
    assert _languages(graph, term, SKOS.definition) == ["en", "fi"]
    assert list(graph.objects(term, RDFS.isDefinedBy)) == [ONTOLOGY_IRI]


@pytest.mark.parametrize(
    ("name", "predicate", "parent"),
    [pytest.param(*row, id=f"{row[0]}-{row[2].n3()}") for row in PARENTS],
)
def test_term_specialises_the_reused_term(name: str, predicate: URIRef, parent: URIRef) -> None:
    assert (ALUE[name], predicate, parent) in _ontology()


@pytest.mark.parametrize(
    ("name", "domain", "range_"), [pytest.param(*row, id=row[0]) for row in DOMAIN_RANGE]
)
def test_property_has_its_domain_and_range(name: str, domain: URIRef, range_: URIRef) -> None:
    graph = _ontology()
    assert list(graph.objects(ALUE[name], RDFS.domain)) == [domain]
    assert list(graph.objects(ALUE[name], RDFS.range)) == [range_]


def test_no_domain_or_range_is_added_to_a_reused_term() -> None:
    graph = _ontology()
    foreign = {
        subject
        for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf)
        for subject in graph.subjects(predicate, None)
        if isinstance(subject, URIRef) and not subject.startswith(str(ALUE))
    }
    assert foreign == set()


def test_every_alue_term_used_anywhere_is_declared() -> None:
    used = {iri for iri in _iris(_everything()) if iri.startswith(str(ALUE))}
    assert used - _declared() == set()


def test_ontology_header() -> None:
    graph = _ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert list(graph.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [
        URIRef("https://w3id.org/aluekg/ontology/0.1.0")
    ]
    assert list(graph.objects(ONTOLOGY_IRI, OWL.versionInfo)) == [Literal("0.1.0")]
    assert list(graph.objects(ONTOLOGY_IRI, DCTERMS.license)) == [CC_BY]
    assert list(graph.objects(ONTOLOGY_IRI, DCTERMS.created)) == [
        Literal("2026-11-23", datatype=XSD.date)
    ]
    assert list(graph.objects(ONTOLOGY_IRI, VANN.preferredNamespacePrefix)) == [Literal("alue")]
    assert list(graph.objects(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == [Literal(str(ALUE))]
    assert _languages(graph, ONTOLOGY_IRI, DCTERMS.title) == ["en", "fi"]
    assert _languages(graph, ONTOLOGY_IRI, DCTERMS.description) == ["en", "fi"]
    assert list(graph.objects(ONTOLOGY_IRI, OWL.imports)) == []


@pytest.mark.parametrize(("scheme", "slugs"), _scheme_params())
def test_scheme_is_described_and_holds_exactly_its_concepts(
    scheme: str, slugs: tuple[str, ...]
) -> None:
    graph = _graph(VOCAB_DIR / f"{scheme}.ttl")
    iri = URIRef(VOCAB + scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in graph
    assert _languages(graph, iri, SKOS.prefLabel) == ["en", "fi"]
    assert list(graph.objects(iri, DCTERMS.license)) == [CC_BY]
    expected = {URIRef(f"{VOCAB}{scheme}/{slug}") for slug in slugs}
    assert set(graph.subjects(RDF.type, SKOS.Concept)) == expected
    assert set(graph.objects(iri, SKOS.hasTopConcept)) == expected


@pytest.mark.parametrize(("scheme", "concept"), _concept_params())
def test_concept_has_labels_and_is_a_top_concept_of_its_scheme(
    scheme: URIRef, concept: URIRef
) -> None:
    graph = _everything()
    assert _languages(graph, concept, SKOS.prefLabel) == ["en", "fi"]
    assert list(graph.objects(concept, SKOS.inScheme)) == [scheme]
    assert list(graph.objects(concept, SKOS.topConceptOf)) == [scheme]
    assert _languages(graph, concept, SKOS.definition) in ([], ["en", "fi"])


@pytest.mark.parametrize(("path", "label"), [pytest.param(*row, id=row[0]) for row in SEED_LABELS])
def test_finnish_label_follows_the_seed(path: str, label: str) -> None:
    graph = _everything()
    labels = [obj for obj in graph.objects(URIRef(VOCAB + path), SKOS.prefLabel)]
    assert Literal(label, lang="fi") in labels


def test_maakuntaohjelma_carries_the_type_level_facts() -> None:
    graph = _graph(VOCAB_DIR / "programme-type.ttl")
    concept = URIRef(VOCAB + "programme-type/maakuntaohjelma")
    definitions = list(graph.objects(concept, SKOS.definition))
    assert Literal(MAAKUNTAOHJELMA_DEFINITION, lang="fi") in definitions
    assert list(graph.objects(concept, ALUE.statutory)) == [Literal(True)]
    assert list(graph.objects(concept, ALUE.planningPeriod)) == [
        Literal("P4Y", datatype=XSD.duration)
    ]
    assert list(graph.objects(concept, ALUE.planningCycle)) == [
        URIRef(VOCAB + "planning-cycle/kunnallisvaalikausi")
    ]
    assert list(graph.objects(concept, DCTERMS.source)) == [
        URIRef("https://w3id.org/aluekg/id/source/kymenlaakso-maakuntaohjelma-page")
    ]


def test_planning_cycle_value_is_a_concept_of_the_code_list() -> None:
    graph = _everything()
    cycles = set(graph.objects(None, ALUE.planningCycle))
    assert cycles
    for cycle in cycles:
        assert (cycle, SKOS.inScheme, URIRef(VOCAB + "planning-cycle")) in graph


@pytest.mark.parametrize(
    "path", [pytest.param(path, id=path.relative_to(ONTOLOGY_DIR).as_posix()) for path in ALL_FILES]
)
def test_no_typo_or_mixed_namespaces(path: Path) -> None:
    bad = sorted(str(iri) for iri in _iris(_graph(path)) if str(iri).startswith(TYPO_PREFIXES))
    assert bad == []
    text = path.read_text(encoding="utf-8")
    assert [prefix for prefix in TYPO_PREFIXES if f"<{prefix}" in text] == []
