"""queries/*.rq answer the researchers' questions on the real data, in Oxigraph and rdflib alike.

Every query runs on all of ontology/ and data/ (data/templates/ excepted), once in a pyoxigraph
Store with `substitutions=` and once in an rdflib Graph with `initBindings=`; both engines must
give the expected answer. The expected answers were typed from the two seed pages (Kaustisen
seudun Elinvoimaohjelma 2022-2026; Kymenlaakson maakuntaohjelma 2022-2025) and from the registry
research (shared/registry/RESEARCH.md and its CSV files), not copied from query output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.query import ResultRow

REPOSITORY = Path(__file__).resolve().parents[1]
QUERIES = REPOSITORY / "queries"

ID = "https://w3id.org/aluekg/id/"
ALUE = "https://w3id.org/aluekg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
YSO = "http://www.yso.fi/onto/yso/"
NUTS = "http://data.europa.eu/nuts/code/"
STAKEHOLDER = "https://w3id.org/aluekg/vocab/stakeholder-type/"

KAUSTINEN = f"{ID}programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
KYMENLAAKSO = f"{ID}programme/kymenlaakson-maakuntaohjelma-2022-2025"
S3 = f"{ID}programme/kymenlaakson-alykkaan-erikoistumisen-strategia"
SEUTUKUNTA = f"{ID}organisation/kaustisen-seutukunta"
LIITTO = f"{ID}organisation/kymenlaakson-liitto"

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class Iri:
    """An IRI to bind to a query variable."""

    value: str


@dataclass(frozen=True)
class Typed:
    """A literal to bind to a query variable; datatype None means a plain string."""

    value: str
    datatype: str | None = None


Binding = Iri | Typed


def year(value: int) -> Typed:
    return Typed(str(value), f"{XSD}integer")


def kuntakoodi(code: str) -> Typed:
    return Typed(code, f"{ALUE}kuntakoodi")


def maakuntakoodi(code: str) -> Typed:
    return Typed(code, f"{ALUE}maakuntakoodi")


def data_files() -> list[Path]:
    files = [*REPOSITORY.joinpath("ontology").rglob("*.ttl")]
    files += REPOSITORY.joinpath("data").rglob("*.ttl")
    return sorted(path for path in files if "templates" not in path.parts)


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    loaded = pyoxigraph.Store()
    for path in data_files():
        loaded.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    return loaded


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    loaded = rdflib.Graph()
    for path in data_files():
        loaded.parse(path, format="turtle")
    return loaded


def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def oxigraph_term(binding: Binding) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    if isinstance(binding, Iri):
        return pyoxigraph.NamedNode(binding.value)
    if binding.datatype is None:
        return pyoxigraph.Literal(binding.value)
    return pyoxigraph.Literal(binding.value, datatype=pyoxigraph.NamedNode(binding.datatype))


def rdflib_term(binding: Binding) -> rdflib.URIRef | rdflib.Literal:
    if isinstance(binding, Iri):
        return rdflib.URIRef(binding.value)
    if binding.datatype is None:
        return rdflib.Literal(binding.value)
    return rdflib.Literal(binding.value, datatype=rdflib.URIRef(binding.datatype))


def oxigraph_rows(
    store: pyoxigraph.Store, name: str, bindings: Mapping[str, Binding], columns: Sequence[str]
) -> list[Row]:
    solutions = store.query(
        query_text(name),
        substitutions={pyoxigraph.Variable(k): oxigraph_term(v) for k, v in bindings.items()},
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    rows: list[Row] = []
    for solution in solutions:
        row: list[str | None] = []
        for column in columns:
            term = solution[column]
            row.append(None if term is None else str(term.value))
        rows.append(tuple(row))
    return rows


def rdflib_rows(
    graph: rdflib.Graph, name: str, bindings: Mapping[str, Binding], columns: Sequence[str]
) -> list[Row]:
    result = graph.query(
        query_text(name), initBindings={k: rdflib_term(v) for k, v in bindings.items()}
    )
    rows: list[Row] = []
    for solution in result:
        assert isinstance(solution, ResultRow)
        row: list[str | None] = []
        for column in columns:
            term = solution.get(column)
            row.append(None if term is None else str(term))
        rows.append(tuple(row))
    return rows


def answer(
    store: pyoxigraph.Store,
    graph: rdflib.Graph,
    name: str,
    bindings: Mapping[str, Binding],
    columns: Sequence[str],
) -> list[Row]:
    """The query's rows in both engines, which must agree row for row, in order."""
    from_oxigraph = oxigraph_rows(store, name, bindings, columns)
    from_rdflib = rdflib_rows(graph, name, bindings, columns)
    assert from_oxigraph == from_rdflib, "Oxigraph and rdflib disagree"
    return from_oxigraph


# -- Query files follow STYLE §2.7 ----------------------------------------------------------------


def query_files() -> Iterator[Path]:
    return iter(sorted(QUERIES.glob("*.rq")))


@pytest.mark.parametrize("path", list(query_files()), ids=lambda path: path.name)
def test_query_file_has_header_sorted_prefixes_and_order(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    assert not lines[0].startswith("# ?")
    parameters = [m.group(1) for line in lines if (m := re.match(r"# \?(\w+): ", line))]
    assert parameters, "a `# ?var: …` line for each variable the caller binds"
    prefixes = [line for line in lines if line.startswith("PREFIX ")]
    assert prefixes == sorted(prefixes)
    text = "\n".join(lines)
    assert "ORDER BY" in text
    projection = text[text.index("SELECT") : text.index("WHERE")]
    for parameter in parameters:
        # pyoxigraph substitutes only variables of the SELECT projection.
        assert f"?{parameter}" in projection.split(), f"?{parameter} is not projected"
    assert not re.search(r'[<>]=?\s*"\d{4}"\^\^xsd:gYear', text), "compare years as integers"


# -- programmes-in-force-for-municipality ---------------------------------------------------------

# Kaustinen's programme covers the five member municipalities of Kaustisen seutukunta since
# 2017 (Halsua 074, Kaustinen 236, Lestijärvi 421, Toholampi 849, Veteli 924; Perho 584 withdrew)
# for 2022-2026; Kymenlaakso's covers region 08 (Kotka 285 among its municipalities) for
# 2022-2025. Iitti (142) left Kymenlaakso for Päijät-Häme on 1.1.2021. No classification in the
# graph is older than 2022, so nothing is known for 2016.
MUNICIPALITY_CASES = [
    pytest.param(2023, "584", [], id="Perho 2023: left the cooperation in 2017"),
    pytest.param(
        2026,
        "924",
        [(KAUSTINEN, f"{ID}municipality/924", f"{ID}classification/kunta-2025")],
        id="Veteli 2026: read against the 2025 classification",
    ),
    pytest.param(
        2022,
        "236",
        [(KAUSTINEN, f"{ID}municipality/236", f"{ID}classification/kunta-2022")],
        id="Kaustinen 2022: first year",
    ),
    pytest.param(2027, "236", [], id="Kaustinen 2027: after the period"),
    pytest.param(2016, "236", [], id="Kaustinen 2016: no classification that old"),
    pytest.param(
        2023,
        "285",
        [(KYMENLAAKSO, f"{ID}region/08", f"{ID}classification/kunta-2022")],
        id="Kotka 2023: Kymenlaakso regional programme",
    ),
    pytest.param(
        2025,
        "285",
        [(KYMENLAAKSO, f"{ID}region/08", f"{ID}classification/kunta-2025")],
        id="Kotka 2025: last year",
    ),
    pytest.param(2026, "285", [], id="Kotka 2026: after the period"),
    pytest.param(2023, "142", [], id="Iitti 2023: in Päijät-Häme since 2021"),
]


@pytest.mark.parametrize(("in_year", "code", "expected"), MUNICIPALITY_CASES)
def test_programmes_in_force_for_municipality(
    store: pyoxigraph.Store,
    graph: rdflib.Graph,
    in_year: int,
    code: str,
    expected: list[Row],
) -> None:
    rows = answer(
        store,
        graph,
        "programmes-in-force-for-municipality",
        {"year": year(in_year), "municipalityCode": kuntakoodi(code)},
        ["programme", "area", "classification"],
    )
    assert rows == expected


def test_programme_in_force_for_halsua_is_labelled_with_its_period(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "programmes-in-force-for-municipality",
        {"year": year(2024), "municipalityCode": kuntakoodi("074")},
        ["programmeLabel", "startYear", "endYear", "areaLabel"],
    )
    assert rows == [("Kaustisen seudun Elinvoimaohjelma 2022-2026", "2022", "2026", "Halsua")]


# -- programmes-in-force-for-region ---------------------------------------------------------------

REGION_CASES = [
    pytest.param(
        2023,
        "08",
        [(KYMENLAAKSO, f"{ID}region/08", f"{ID}classification/maakunta-2022")],
        id="Kymenlaakso 2023",
    ),
    pytest.param(2026, "08", [], id="Kymenlaakso 2026: after the period"),
    pytest.param(
        2023,
        "16",
        [
            (KAUSTINEN, f"{ID}municipality/074", f"{ID}classification/maakunta-2022"),
            (KAUSTINEN, f"{ID}municipality/236", f"{ID}classification/maakunta-2022"),
            (KAUSTINEN, f"{ID}municipality/421", f"{ID}classification/maakunta-2022"),
            (KAUSTINEN, f"{ID}municipality/849", f"{ID}classification/maakunta-2022"),
            (KAUSTINEN, f"{ID}municipality/924", f"{ID}classification/maakunta-2022"),
        ],
        id="Keski-Pohjanmaa 2023: the sub-regional programme's five municipalities",
    ),
    pytest.param(
        2026,
        "16",
        [
            (KAUSTINEN, f"{ID}municipality/074", f"{ID}classification/maakunta-2025"),
            (KAUSTINEN, f"{ID}municipality/236", f"{ID}classification/maakunta-2025"),
            (KAUSTINEN, f"{ID}municipality/421", f"{ID}classification/maakunta-2025"),
            (KAUSTINEN, f"{ID}municipality/849", f"{ID}classification/maakunta-2025"),
            (KAUSTINEN, f"{ID}municipality/924", f"{ID}classification/maakunta-2025"),
        ],
        id="Keski-Pohjanmaa 2026",
    ),
    pytest.param(2023, "07", [], id="Päijät-Häme 2023: none known"),
]


@pytest.mark.parametrize(("in_year", "code", "expected"), REGION_CASES)
def test_programmes_in_force_for_region(
    store: pyoxigraph.Store,
    graph: rdflib.Graph,
    in_year: int,
    code: str,
    expected: list[Row],
) -> None:
    rows = answer(
        store,
        graph,
        "programmes-in-force-for-region",
        {"year": year(in_year), "regionCode": maakuntakoodi(code)},
        ["programme", "area", "classification"],
    )
    assert rows == expected


# -- programme-structure --------------------------------------------------------------------------

KAUSTINEN_VISION = (
    "Kaustisen seutu on muutoksissa menestyvä, yhdessä tekemisen, onnellisten ihmisten ja vahvan "
    "yrittäjyyden maaseutu. Seutu on uusiutuvia luonnonvaroja jalostava, energiaa vastuullisesti "
    "tuottava, luonnon ja kulttuurin mahdollisuuksia kestävästi hyödyntävä ja digitalisaation "
    "mahdollisuuksia tehokkaasti soveltava maaseutu."
)
KAUSTINEN_TARGET = (
    "Seudun elinvoimatekijät (kasvu-, veto- ja pitovoima) houkuttelevat uusia asukkaita ja "
    "yrityksiä."
)


def test_kaustinen_structure_is_vision_target_state_and_four_themes_in_order(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "programme-structure",
        {"programme": Iri(KAUSTINEN)},
        ["kind", "notation", "labelFi", "textFi", "targetYear"],
    )
    assert rows == [
        (f"{ALUE}Vision", None, "Visio", KAUSTINEN_VISION, None),
        (f"{ALUE}TargetState", None, "Tavoitetila 2026", KAUSTINEN_TARGET, "2026"),
        (f"{ALUE}StrategicTheme", "1", "Uusiutuvan energian ja biotalouden seutu", None, None),
        (f"{ALUE}StrategicTheme", "2", "Digitaalinen ja älykäs seutu", None, None),
        (
            f"{ALUE}StrategicTheme",
            "3",
            "Yrittäjyyden, työpaikkojen ja verkostojen seutu",
            None,
            None,
        ),
        (
            f"{ALUE}StrategicTheme",
            "4",
            "Kulttuurin, luonnon ja onnellisten ihmisten seutu",
            None,
            None,
        ),
    ]


def test_kymenlaakso_structure_is_three_priorities_of_three_and_two_cross_cutting_themes(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "programme-structure",
        {"programme": Iri(KYMENLAAKSO)},
        ["kind", "parent", "labelFi"],
    )
    priority = f"{ALUE}Priority"
    first, second, third = (f"{KYMENLAAKSO}/priority/{n}" for n in (1, 2, 3))
    assert rows == [
        (priority, None, "Innovatiivinen Kymenlaakso"),
        (priority, first, "Elinkeinoelämän uudistaminen"),
        (
            priority,
            first,
            "Älykkään erikoistumisen ja tutkimus-, kehittämis- ja innovaatiotoiminnan "
            "vauhdittaminen",
        ),
        (priority, first, "Osaamisen ja koulutuksen parantaminen"),
        (priority, None, "Kestävä Kymenlaakso"),
        (priority, second, "Maakunnan saavutettavuuden ja kestävän liikkumisen parantaminen"),
        (priority, second, "Vetovoimaisen yhdyskuntarakenteen edistäminen"),
        (priority, second, "Luonnon monimuotoisuuden turvaaminen ja kestävä luonnonvarojen käyttö"),
        (priority, None, "Aktiivinen Kymenlaakso"),
        (priority, third, "Osallisuuden ja hyvinvoinnin lisääminen"),
        (priority, third, "Eriarvoistuminen ehkäiseminen"),
        (priority, third, "Kulttuuri ja liikunta maakunnan kilpailutekijäksi"),
        (f"{ALUE}CrossCuttingTheme", None, "kestävä kehitys"),
        (f"{ALUE}CrossCuttingTheme", None, "digitalisaatio"),
    ]


def test_smart_specialisation_strategy_has_its_three_strengths(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(store, graph, "programme-structure", {"programme": Iri(S3)}, ["kind", "labelFi"])
    assert rows == [
        (f"{ALUE}Strength", "logistiikka"),
        (f"{ALUE}Strength", "bio- ja kiertotalous"),
        (f"{ALUE}Strength", "digitalous"),
    ]


# -- programmes-by-topic --------------------------------------------------------------------------

TOPIC_CASES = [
    pytest.param(
        "p25274",
        [
            (KAUSTINEN, f"{KAUSTINEN}/theme/1"),
            (S3, f"{S3}/strength/bio-ja-kiertotalous"),
        ],
        id="biotalous: Kaustinen theme 1 and the S3 strength",
    ),
    pytest.param(
        "p8692",
        [
            (KAUSTINEN, f"{KAUSTINEN}/theme/2"),
            (KYMENLAAKSO, f"{KYMENLAAKSO}/cross-cutting/digitalisaatio"),
        ],
        id="digitalisaatio: Kaustinen theme 2 and Kymenlaakso's cross-cutting theme",
    ),
    pytest.param("p9140", [(S3, f"{S3}/strength/logistiikka")], id="logistiikka: the S3 strength"),
    pytest.param(
        "p2275",
        [(KAUSTINEN, None), (KYMENLAAKSO, None)],
        id="aluekehitys: both programmes as a whole",
    ),
    pytest.param("p17036", [], id="erikoistuminen: not a topic of any programme"),
]


@pytest.mark.parametrize(("concept", "expected"), TOPIC_CASES)
def test_programmes_by_topic(
    store: pyoxigraph.Store, graph: rdflib.Graph, concept: str, expected: list[Row]
) -> None:
    rows = answer(
        store,
        graph,
        "programmes-by-topic",
        {"topic": Iri(f"{YSO}{concept}")},
        ["programme", "component"],
    )
    assert rows == expected


# -- programme-governance -------------------------------------------------------------------------


def governance(store: pyoxigraph.Store, graph: rdflib.Graph, programme: str) -> set[Row]:
    rows = answer(
        store,
        graph,
        "programme-governance",
        {"programme": Iri(programme)},
        ["aspect", "value", "role", "date"],
    )
    assert len(rows) == len(set(rows)), "no duplicate rows"
    return set(rows)


def test_kymenlaakso_governance(store: pyoxigraph.Store, graph: rdflib.Graph) -> None:
    assembly = f"{LIITTO}/unit/maakuntavaltuusto"
    assert governance(store, graph, KYMENLAAKSO) == {
        ("publisher", LIITTO, None, None),
        ("approval", assembly, None, "2021-11-29"),
        ("update", assembly, None, "2022-12-19"),
        ("modified", KYMENLAAKSO, None, "2022-12-19"),
        ("preparation", f"{KYMENLAAKSO}/preparation", None, None),
        ("legal basis", "http://data.finlex.fi/eli/sd/2021/756", None, "2021-09-01"),
    }


def test_smart_specialisation_strategy_governance(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    """Updated in 2020 as part of the regional programme's preparation; nothing else is known."""
    assert governance(store, graph, S3) == {
        ("modified", S3, None, "2020"),
        ("preparation", f"{KYMENLAAKSO}/preparation", None, None),
    }


def test_kaustinen_governance(store: pyoxigraph.Store, graph: rdflib.Graph) -> None:
    group = f"{KAUSTINEN}/stakeholder/"
    preparer, participant = "valmistelija", "työpajan osallistuja"
    used = [
        f"{KAUSTINEN}/preparation/input/palvelu-ja-hanketoiminnan-tieto",
        f"{KAUSTINEN}/preparation/input/hankkeiden-aineistot",
        f"{ID}document/kaustisen-seudun-digistrategia",
        f"{ID}document/biotalouteen-liittyvat-selvitykset-ja-raportit",
        f"{ID}document/kase-smart-countryside-ohjelma",
    ]
    partners = [
        "seudun-toimijat",
        "kunnat",
        "kuntalaiset",
        "elinkeinoelama",
        "tutkimus-koulutus-ja-kehittamisorganisaatiot",
    ]
    discussed = ["yritykset", "kunnat", "tki-toimijat", "rahoittajat", "muut-tahot"]
    assert governance(store, graph, KAUSTINEN) == {
        ("publisher", SEUTUKUNTA, None, None),
        ("approval", f"{SEUTUKUNTA}/unit/seutuvaltuusto", None, "2022-05-09"),
        ("guides", SEUTUKUNTA, None, None),
        ("preparation", f"{KAUSTINEN}/preparation", None, None),
        ("preparation", f"{KAUSTINEN}/preparation/workshop", None, None),
        ("participant", f"{group}seutukunnan-henkilosto", preparer, None),
        ("participant", f"{group}kuntien-henkilosto", participant, None),
        ("participant", f"{group}luottamushenkilot", participant, None),
        ("contact", f"{SEUTUKUNTA}/contact/petri-jylha", "kehittämisjohtaja", None),
        ("contact", f"{SEUTUKUNTA}/contact/minna-kauppinen", "hallintopäällikkö", None),
        *{("document used", document, None, None) for document in used},
        *{("implementation partner", f"{STAKEHOLDER}{slug}", None, None) for slug in partners},
        *{("influence", f"{group}{slug}", None, None) for slug in discussed},
    }


def test_kaustinen_contacts_and_documents_carry_the_seed_wording(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "programme-governance",
        {"programme": Iri(KAUSTINEN)},
        ["aspect", "valueLabel", "role"],
    )
    assert ("contact", "Petri Jylhä", "kehittämisjohtaja") in rows
    assert ("contact", "Minna Kauppinen", "hallintopäällikkö") in rows
    documents = {label for aspect, label, _ in rows if aspect == "document used"}
    assert {
        "Kaustisen seudun Digistrategia",
        "biotalouteen liittyvät selvitykset ja raportit",
        "KASE Smart Countryside-ohjelma",
    } <= documents


# -- area-registry-links --------------------------------------------------------------------------


def test_kymenlaakso_registry_links(store: pyoxigraph.Store, graph: rdflib.Graph) -> None:
    rows = answer(
        store,
        graph,
        "area-registry-links",
        {"area": Iri(f"{ID}region/08")},
        ["linkType", "link", "code", "year"],
    )
    # A koodistot.suomi.fi code IRI for 2022 only: RESEARCH.md §B documents no 2025 code list.
    koodistot = "http://uri.suomi.fi/codelist/jhs/maakunta_1_20220101/code/08"
    assert set(rows) == {
        ("classification", f"{ID}classification/maakunta-2022/08", "08", "2022"),
        ("classification", f"{ID}classification/maakunta-2025/08", "08", "2025"),
        ("koodistot", koodistot, "08", "2022"),
        ("nuts", f"{NUTS}FI1C4", "FI1C4", "2021"),
        ("nuts", f"{NUTS}FI1C7", "FI1C7", "2024"),
        ("wikidata", "http://www.wikidata.org/entity/Q5698", None, None),
        ("yso-place", f"{YSO}p94243", None, None),
        ("notation", None, "08", None),
        ("notation", None, "FI-09", None),
    }
    assert len(rows) == len(set(rows))


def test_iitti_registry_links_follow_its_move_between_nuts_regions(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "area-registry-links",
        {"area": Iri(f"{ID}municipality/142")},
        ["linkType", "link", "code", "year"],
    )
    koodistot = "http://uri.suomi.fi/codelist/jhs/kunta_1_20220101/code/142"
    # No Wikidata item was verified for Iitti (RESEARCH.md §D, "Not found"); no koodistot code
    # list is documented for 2025 (§B); its move on 1.1.2021 (§0.5) is a dated change.
    assert set(rows) == {
        ("classification", f"{ID}classification/kunta-2022/142", "142", "2022"),
        ("classification", f"{ID}classification/kunta-2025/142", "142", "2025"),
        ("koodistot", koodistot, "142", "2022"),
        ("nuts", f"{NUTS}FI1C4", "FI1C4", "2021"),
        ("nuts", f"{NUTS}FI1C6", "FI1C6", "2024"),
        ("yso-place", f"{YSO}p94151", None, None),
        ("history", f"{ID}change/2021-01-01/municipality-142", None, "2021"),
        ("notation", None, "142", None),
    }


def test_iitti_registry_links_give_its_move_from_kymenlaakso_to_paijat_hame(
    store: pyoxigraph.Store, graph: rdflib.Graph
) -> None:
    rows = answer(
        store,
        graph,
        "area-registry-links",
        {"area": Iri(f"{ID}municipality/142")},
        ["linkType", "link", "year", "note"],
    )
    # RESEARCH.md §0.5 and §A: Iitti moved on 1.1.2021 from Kymenlaakso / Kouvola (08 / 081) to
    # Päijät-Häme / Lahti (07 / 071).
    history = [row for row in rows if row[0] == "history"]
    assert history == [
        (
            "history",
            f"{ID}change/2021-01-01/municipality-142",
            "2021",
            "Siirtyi 1.1.2021 Kymenlaakson maakunnasta (08) ja Kouvolan seutukunnasta (081) "
            "Päijät-Hämeen maakuntaan (07) ja Lahden seutukuntaan (071).",
        )
    ]


# -- code-classification-years --------------------------------------------------------------------

CODE_CASES = [
    pytest.param(
        kuntakoodi("142"),
        [
            ("2022", "Iitti", f"{ID}municipality/142", "071", "Lahti"),
            ("2025", "Iitti", f"{ID}municipality/142", "071", "Lahti"),
        ],
        id="Iitti: in sub-region Lahti in both versions",
    ),
    pytest.param(
        kuntakoodi("588"),
        [("2022", "Pertunmaa", f"{ID}municipality/588", "101", "Mikkeli")],
        id="Pertunmaa: merged into Mäntyharju in 2025",
    ),
    pytest.param(
        maakuntakoodi("08"),
        [
            ("2022", "Kymenlaakso", f"{ID}region/08", None, None),
            ("2025", "Kymenlaakso", f"{ID}region/08", None, None),
        ],
        id="08: Kymenlaakso",
    ),
    pytest.param(
        Typed("161"),
        [
            ("2022", "Kaustinen", f"{ID}sub-region/161", "16", "Keski-Pohjanmaa"),
            ("2025", "Kaustinen", f"{ID}sub-region/161", "16", "Keski-Pohjanmaa"),
        ],
        id="plain 161: the sub-region Kaustinen",
    ),
    pytest.param(
        Typed("142"),
        [
            ("2022", "Iitti", f"{ID}municipality/142", "071", "Lahti"),
            ("2022", "Seinäjoki", f"{ID}sub-region/142", "14", "Etelä-Pohjanmaa"),
            ("2025", "Iitti", f"{ID}municipality/142", "071", "Lahti"),
            ("2025", "Seinäjoki", f"{ID}sub-region/142", "14", "Etelä-Pohjanmaa"),
        ],
        id="plain 142: a municipality code and a sub-region code",
    ),
]


@pytest.mark.parametrize(("code", "expected"), CODE_CASES)
def test_code_classification_years(
    store: pyoxigraph.Store, graph: rdflib.Graph, code: Typed, expected: list[Row]
) -> None:
    rows = answer(
        store,
        graph,
        "code-classification-years",
        {"code": code},
        ["year", "label", "area", "parentCode", "parentLabel"],
    )
    assert rows == expected
