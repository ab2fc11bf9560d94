"""RDF terms for the generator: IRIs, literals, the namespaces it writes, and the source IRIs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class IRI:
    value: str


@dataclass(frozen=True, order=True)
class Lit:
    lexical: str
    lang: str = ""
    datatype: str = ""


Term = IRI | Lit
Triple = tuple[IRI, IRI, Term]

BASE = "https://w3id.org/aluekg/id/"

# Prefixes the Turtle writer may use; each file declares only those it uses.
PREFIXES = {
    "alue": "https://w3id.org/aluekg/ontology#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "m8g": "http://data.europa.eu/m8g/",
    "nuts": "http://data.europa.eu/nuts/code/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "yso": "http://www.yso.fi/onto/yso/",
}


def namespace(prefix: str) -> Callable[[str], IRI]:
    base = PREFIXES[prefix]
    return lambda local: IRI(base + local)


ALUE = namespace("alue")
DCAT = namespace("dcat")
DCTERMS = namespace("dcterms")
FOAF = namespace("foaf")
M8G = namespace("m8g")
OWL = namespace("owl")
RDF = namespace("rdf")
SCHEMA = namespace("schema")
SKOS = namespace("skos")
VOID = namespace("void")
XSD = namespace("xsd")

TYPE = RDF("type")
SOURCE = DCTERMS("source")


def fi_en(fi: str, en: str) -> list[Lit]:
    return [Lit(fi, "fi"), Lit(en, "en")]


def typed(lexical: str, datatype: IRI) -> Lit:
    return Lit(lexical, datatype=datatype.value)


def level(slug: str) -> IRI:
    """A concept of the admin-level code list (ontology/vocab/admin-level.ttl)."""
    return IRI(f"https://w3id.org/aluekg/vocab/admin-level/{slug}")


# -- Sources (dcterms:source); every IRI here is named in shared/registry/RESEARCH.md ------------

GEOFI_COMMIT = "de9392bbeac7ce09d13637ec000b8c9e69ce5c52"
WOF_COMMIT = "5d993d094146c96ebbad25340b83b8e59be3aa8c"
ANNIF_COMMIT = "ce2469d59663032ca8ebbc4070bb0f8aab2fe8ce"


def geofi(year: int) -> IRI:
    """The geofi key of a classification year (the CSV copies in data/registry/source/)."""
    return IRI(
        f"https://github.com/rOpenGov/geofi/blob/{GEOFI_COMMIT}/data/municipality_key_{year}.rda"
    )


STATFI_KUNTA_2022 = IRI("https://stat.fi/fi/luokitukset/kunta/kunta_1_20220101/")
KOODISTOT_MAAKUNTA_2022 = IRI(
    "https://koodistot.suomi.fi/codescheme;registryCode=jhs;schemeCode=maakunta_1_20220101"
)
PYCOUNTRY = IRI("https://pypi.org/project/pycountry/26.2.16/")
ANNIF_YSO_PLACES = IRI(
    f"https://github.com/NatLibFi/Annif-corpora/blob/{ANNIF_COMMIT}/vocab/yso-ysoplaces-cicero-fi.tsv"
)
CC_BY = IRI("https://creativecommons.org/licenses/by/4.0/")

# The repositories the wikidata_source column names, and the commit each was read at
# ("HEAD" where RESEARCH.md gives none).
REPOSITORY_COMMITS = {
    "whosonfirst-data/whosonfirst-data-admin-fi": WOF_COMMIT,
    "egkristi/ToponymiaEuropaea": "HEAD",
}


def github_file(reference: str) -> IRI:
    """`owner/repo path/in/repo` (as linking-identifiers.csv writes it) → the file on GitHub."""
    repository, _, path = reference.partition(" ")
    if repository not in REPOSITORY_COMMITS or not path:
        raise ValueError(f"unknown source repository or no path: {reference!r}")
    return IRI(f"https://github.com/{repository}/blob/{REPOSITORY_COMMITS[repository]}/{path}")


# -- Identifiers ---------------------------------------------------------------------------------

# Statistics Finland's level names, as in the classification names kunta_1_20220101 etc.
KUNTA, SEUTUKUNTA, MAAKUNTA = "kunta", "seutukunta", "maakunta"
LEVELS = (KUNTA, SEUTUKUNTA, MAAKUNTA)
AREA_TYPE = {KUNTA: "municipality", SEUTUKUNTA: "sub-region", MAAKUNTA: "region"}
AREA_CLASS = {KUNTA: ALUE("Municipality"), SEUTUKUNTA: ALUE("SubRegion"), MAAKUNTA: ALUE("Region")}
NOTATION = {
    KUNTA: ALUE("kuntakoodi"),
    SEUTUKUNTA: ALUE("seutukuntakoodi"),
    MAAKUNTA: ALUE("maakuntakoodi"),
}
PARENT_LEVEL = {KUNTA: SEUTUKUNTA, SEUTUKUNTA: MAAKUNTA}
COUNTRY = IRI(BASE + "country/FI")
DATASET = IRI(BASE + "dataset/registry")


def area(level_name: str, code: str) -> IRI:
    return IRI(f"{BASE}{AREA_TYPE[level_name]}/{code}")


def classification_name(level_name: str, year: int) -> str:
    return f"{level_name}_1_{year}0101"


def scheme(level_name: str, year: int) -> IRI:
    return IRI(f"{BASE}classification/{level_name}-{year}")


def concept(level_name: str, year: int, code: str) -> IRI:
    return IRI(f"{scheme(level_name, year).value}/{code}")


def koodistot_scheme(level_name: str, year: int) -> IRI:
    """The Interoperability Platform code list; RESEARCH §B verifies the pattern for kunta and
    maakunta only (there is none for seutukunta)."""
    if level_name == SEUTUKUNTA:
        raise ValueError("koodistot.suomi.fi has no seutukunta code list")
    return IRI(f"http://uri.suomi.fi/codelist/jhs/{classification_name(level_name, year)}")


def koodistot_code(level_name: str, year: int, code: str) -> IRI:
    return IRI(f"{koodistot_scheme(level_name, year).value}/code/{code}")


def nuts_code(code: str) -> IRI:
    return IRI(f"http://data.europa.eu/nuts/code/{code}")


def nuts_scheme(version: int) -> IRI:
    return IRI(f"http://data.europa.eu/nuts/scheme/{version}")


def labels(subject: IRI, fi: str, sv: str, en: str) -> list[Triple]:
    """skos:prefLabel in Finnish, Swedish and English."""
    return [
        (subject, SKOS("prefLabel"), Lit(text, lang))
        for text, lang in ((fi, "fi"), (sv, "sv"), (en, "en"))
    ]
