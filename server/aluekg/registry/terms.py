"""The generator's rdflib terms: the namespaces it writes, the source IRIs and the identifiers."""

from __future__ import annotations

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, SDO, SKOS, VOID, XSD

Triple = tuple[URIRef, URIRef, URIRef | Literal]

ID = Namespace("https://w3id.org/aluekg/id/")
ALUE = Namespace("https://w3id.org/aluekg/ontology#")
M8G = Namespace("http://data.europa.eu/m8g/")
# The concepts of ontology/vocab/admin-level.ttl.
ADMIN_LEVEL = Namespace("https://w3id.org/aluekg/vocab/admin-level/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

# Prefixes bound for the Turtle output; rdflib declares only those a file uses.
PREFIXES = {
    "alue": ALUE,
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "m8g": M8G,
    "nuts": NUTS,
    "owl": OWL,
    "prov": PROV,
    "schema": SDO,
    "skos": SKOS,
    "void": VOID,
    "wd": WIKIDATA,
    "xsd": XSD,
    "yso": Namespace("http://www.yso.fi/onto/yso/"),
}


def fi_en(fi: str, en: str) -> list[Literal]:
    return [Literal(fi, lang="fi"), Literal(en, lang="en")]


# -- Sources (dcterms:source); every IRI here is named in shared/registry/RESEARCH.md ------------

GEOFI_COMMIT = "de9392bbeac7ce09d13637ec000b8c9e69ce5c52"
WOF_COMMIT = "5d993d094146c96ebbad25340b83b8e59be3aa8c"
ANNIF_COMMIT = "ce2469d59663032ca8ebbc4070bb0f8aab2fe8ce"


def geofi(year: int) -> URIRef:
    """The geofi key of a classification year (the CSV copies in data/registry/source/)."""
    return URIRef(
        f"https://github.com/rOpenGov/geofi/blob/{GEOFI_COMMIT}/data/municipality_key_{year}.rda"
    )


STATFI_KUNTA_2022 = URIRef("https://stat.fi/fi/luokitukset/kunta/kunta_1_20220101/")
KOODISTOT_MAAKUNTA_2022 = URIRef(
    "https://koodistot.suomi.fi/codescheme;registryCode=jhs;schemeCode=maakunta_1_20220101"
)
PYCOUNTRY = URIRef("https://pypi.org/project/pycountry/26.2.16/")
ANNIF_YSO_PLACES = URIRef(
    f"https://github.com/NatLibFi/Annif-corpora/blob/{ANNIF_COMMIT}/vocab/yso-ysoplaces-cicero-fi.tsv"
)
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

# The repositories the CSVs' source columns name (linking-identifiers.csv wikidata_source,
# municipality-moves.csv source), and the commit each was read at ("HEAD" where RESEARCH.md
# gives none).
REPOSITORY_COMMITS = {
    "whosonfirst-data/whosonfirst-data-admin-fi": WOF_COMMIT,
    "egkristi/ToponymiaEuropaea": "HEAD",
    "rOpenGov/geofi": GEOFI_COMMIT,
    "GispoCoding/hame-ryhti": "HEAD",
}


def github_file(reference: str) -> URIRef:
    """`owner/repo path/in/repo` (as linking-identifiers.csv writes it) → the file on GitHub."""
    repository, _, path = reference.partition(" ")
    if repository not in REPOSITORY_COMMITS or not path:
        raise ValueError(f"unknown source repository or no path: {reference!r}")
    return URIRef(f"https://github.com/{repository}/blob/{REPOSITORY_COMMITS[repository]}/{path}")


# -- Identifiers ---------------------------------------------------------------------------------

# Statistics Finland's level names, as in the classification names kunta_1_20220101 etc.
KUNTA, SEUTUKUNTA, MAAKUNTA = "kunta", "seutukunta", "maakunta"
LEVELS = (KUNTA, SEUTUKUNTA, MAAKUNTA)
AREA_TYPE = {KUNTA: "municipality", SEUTUKUNTA: "sub-region", MAAKUNTA: "region"}
AREA_CLASS = {KUNTA: ALUE.Municipality, SEUTUKUNTA: ALUE.SubRegion, MAAKUNTA: ALUE.Region}
NOTATION = {KUNTA: ALUE.kuntakoodi, SEUTUKUNTA: ALUE.seutukuntakoodi, MAAKUNTA: ALUE.maakuntakoodi}
PARENT_LEVEL = {KUNTA: SEUTUKUNTA, SEUTUKUNTA: MAAKUNTA}
COUNTRY = ID["country/FI"]
DATASET = ID["dataset/registry"]


def area(level_name: str, code: str) -> URIRef:
    return ID[f"{AREA_TYPE[level_name]}/{code}"]


def classification_name(level_name: str, year: int) -> str:
    return f"{level_name}_1_{year}0101"


def scheme(level_name: str, year: int) -> URIRef:
    return ID[f"classification/{level_name}-{year}"]


def concept(level_name: str, year: int, code: str) -> URIRef:
    return URIRef(f"{scheme(level_name, year)}/{code}")


# The classification years whose koodistot.suomi.fi code IRIs the graph gives: RESEARCH §B
# documents kunta_1_20220101 (medium: built from the pattern) and maakunta_1_20220101 (the scheme
# page exists), and nothing for 2025.
KOODISTOT_YEARS = (2022,)


def koodistot_scheme(level_name: str, year: int) -> URIRef:
    """The Interoperability Platform code list; RESEARCH §B verifies the pattern for kunta and
    maakunta only (there is none for seutukunta), and we give it for KOODISTOT_YEARS only."""
    if level_name == SEUTUKUNTA:
        raise ValueError("koodistot.suomi.fi has no seutukunta code list")
    if year not in KOODISTOT_YEARS:
        raise ValueError(f"no documented koodistot.suomi.fi code list for {year}")
    return URIRef(f"http://uri.suomi.fi/codelist/jhs/{classification_name(level_name, year)}")


def koodistot_code(level_name: str, year: int, code: str) -> URIRef:
    return URIRef(f"{koodistot_scheme(level_name, year)}/code/{code}")


def change(day: str, level_name: str, code: str) -> URIRef:
    """A dated change of an area, such as Iitti's move to another region on 2021-01-01."""
    return ID[f"change/{day}/{AREA_TYPE[level_name]}-{code}"]


def nuts_scheme(version: int) -> URIRef:
    return URIRef(f"http://data.europa.eu/nuts/scheme/{version}")


# Where the koodistot.suomi.fi IRIs are documented (RESEARCH §B): the code IRI pattern
# `{code_list_uri}/code/{value}` (database/base.py) and the kunta_1_YYYYMMDD and
# maakunta_1_YYYYMMDD code lists (database/codes.py); RESEARCH gives no commit.
KOODISTOT_CODE_PATTERN = github_file("GispoCoding/hame-ryhti database/base.py")
KOODISTOT_SCHEME_PATTERN = github_file("GispoCoding/hame-ryhti database/codes.py")


def labels(subject: URIRef, fi: str, sv: str, en: str) -> list[Triple]:
    """skos:prefLabel in Finnish, Swedish and English."""
    return [
        (subject, SKOS.prefLabel, Literal(text, lang=lang))
        for text, lang in ((fi, "fi"), (sv, "sv"), (en, "en"))
    ]
