"""Classification versions: one concept scheme per level and year, one concept per code.

A concept carries what was true that year: its names, its parent (skos:broader), its
koodistot.suomi.fi code (skos:exactMatch; KOODISTOT_YEARS only, as no 2025 code list is
documented) and its NUTS 3 code (skos:broadMatch for a municipality; skos:exactMatch or, where
the areas differ, skos:closeMatch for a region).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from aluekg.registry.areas import nuts_notes
from aluekg.registry.sources import Year
from aluekg.registry.terms import (
    ALUE,
    KOODISTOT_CODE_PATTERN,
    KOODISTOT_MAAKUNTA_2022,
    KOODISTOT_SCHEME_PATTERN,
    KOODISTOT_YEARS,
    KUNTA,
    LEVELS,
    MAAKUNTA,
    NOTATION,
    NUTS,
    PARENT_LEVEL,
    SEUTUKUNTA,
    STATFI_KUNTA_2022,
    Triple,
    area,
    classification_name,
    concept,
    fi_en,
    geofi,
    koodistot_code,
    koodistot_scheme,
    labels,
    scheme,
)

# The documented form of an Interoperability Platform code IRI (RESEARCH §B).
KOODISTOT_PATTERN = "http://uri.suomi.fi/codelist/{registry}/{scheme}/code/{code}"

SCHEME_LABELS = {
    KUNTA: ("Kuntaluokitus", "Municipality classification"),
    SEUTUKUNTA: ("Seutukuntaluokitus", "Sub-region classification"),
    MAAKUNTA: ("Maakuntaluokitus", "Region classification"),
}


def year_sources(level_name: str, year: int) -> list[URIRef]:
    extra = [STATFI_KUNTA_2022] if (level_name, year) == (KUNTA, 2022) else []
    return [geofi(year), *extra]


def classification_triples(year: Year) -> list[Triple]:
    """The three schemes of one year and a concept for each of their codes."""
    triples: list[Triple] = []
    for level_name in LEVELS:
        subject = scheme(level_name, year.year)
        fi, en = SCHEME_LABELS[level_name]
        triples += [
            (subject, RDF.type, SKOS.ConceptScheme),
            *[
                (subject, SKOS.prefLabel, label)
                for label in fi_en(f"{fi} {year.year}", f"{en} {year.year}")
            ],
            (subject, SKOS.notation, Literal(classification_name(level_name, year.year))),
            (subject, ALUE.classificationYear, Literal(str(year.year), datatype=XSD.gYear)),
            *[(subject, DCTERMS.source, source) for source in year_sources(level_name, year.year)],
        ]
        for code, unit in sorted(year.units(level_name).items()):
            triples += concept_triples(year, level_name, code)
            triples += labels(
                concept(level_name, year.year, code), unit.names.fi, unit.names.sv, unit.names.en
            )
    return triples


def concept_triples(year: Year, level_name: str, code: str) -> list[Triple]:
    subject = concept(level_name, year.year, code)
    unit = year.units(level_name)[code]
    triples: list[Triple] = [
        (subject, RDF.type, SKOS.Concept),
        (subject, SKOS.inScheme, scheme(level_name, year.year)),
        (subject, SKOS.notation, Literal(code, datatype=NOTATION[level_name])),
        (subject, FOAF.focus, area(level_name, code)),
        *[(subject, DCTERMS.source, source) for source in year_sources(level_name, year.year)],
    ]
    if level_name in PARENT_LEVEL:
        triples.append(
            (subject, SKOS.broader, concept(PARENT_LEVEL[level_name], year.year, unit.parent))
        )
    if level_name != SEUTUKUNTA and year.year in KOODISTOT_YEARS:
        triples.append((subject, SKOS.exactMatch, koodistot_code(level_name, year.year, code)))
    if level_name == KUNTA:
        triples.append((subject, SKOS.broadMatch, NUTS[year.nuts3_of[code]]))
    if level_name == MAAKUNTA:
        match = SKOS.closeMatch if nuts_notes(year, code) else SKOS.exactMatch
        triples.append((subject, match, NUTS[year.region_nuts3(code)]))
    return triples


def koodistot_sources(level_name: str) -> list[URIRef]:
    """Where a koodistot.suomi.fi code list of 2022 and its code IRIs are documented (RESEARCH §B):
    the code IRI pattern, and the maakunta scheme page or, for kunta, the pattern of its name."""
    scheme_source = KOODISTOT_MAAKUNTA_2022 if level_name == MAAKUNTA else KOODISTOT_SCHEME_PATTERN
    return [KOODISTOT_CODE_PATTERN, scheme_source]


def editorial_note(level_name: str, year: int) -> list[Literal]:
    """Say that the code IRIs are built from the pattern, and how far the code list was seen."""
    name = classification_name(level_name, year)
    fi = (
        "Koodien IRI-tunnukset on muodostettu dokumentoidulla mallilla "
        f"{KOODISTOT_PATTERN} eikä niitä ole tarkistettu yksitellen."
    )
    en = (
        f"The code IRIs are built from the documented pattern {KOODISTOT_PATTERN} "
        "and were not resolved one by one."
    )
    if level_name == KUNTA:
        fi += f" Itse koodistoa {name} ei ole nähty koodistot.suomi.fi-palvelussa."
        en += f" The code list {name} itself was not seen on koodistot.suomi.fi."
    return fi_en(fi, en)


def koodistot_triples(year: Year) -> list[Triple]:
    """The koodistot.suomi.fi code lists (kunta, maakunta) of one year and the codes we use."""
    triples: list[Triple] = []
    for level_name in (KUNTA, MAAKUNTA):
        code_list = koodistot_scheme(level_name, year.year)
        sources = koodistot_sources(level_name)
        fi, en = SCHEME_LABELS[level_name]
        triples += [
            (code_list, RDF.type, SKOS.ConceptScheme),
            *[
                (code_list, SKOS.prefLabel, label)
                for label in fi_en(
                    f"{fi} {year.year} (koodistot.suomi.fi)",
                    f"{en} {year.year} (koodistot.suomi.fi)",
                )
            ],
            (code_list, SKOS.notation, Literal(classification_name(level_name, year.year))),
            *[
                (code_list, SKOS.editorialNote, note)
                for note in editorial_note(level_name, year.year)
            ],
            *[(code_list, DCTERMS.source, source) for source in sources],
        ]
        for code in sorted(year.units(level_name)):
            subject = koodistot_code(level_name, year.year, code)
            triples += [
                (subject, RDF.type, SKOS.Concept),
                (subject, SKOS.inScheme, code_list),
                (subject, SKOS.notation, Literal(code, datatype=NOTATION[level_name])),
                *[(subject, DCTERMS.source, source) for source in sources],
            ]
    return triples
