"""Classification versions: one concept scheme per level and year, one concept per code.

A concept carries what was true that year: its names, its parent (skos:broader), its
koodistot.suomi.fi code (skos:exactMatch) and its NUTS 3 code (skos:broadMatch for a
municipality; skos:exactMatch or, where the areas differ, skos:closeMatch for a region).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from aluekg.registry.areas import nuts_notes
from aluekg.registry.sources import Year
from aluekg.registry.terms import (
    ALUE,
    KOODISTOT_MAAKUNTA_2022,
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
    if level_name != SEUTUKUNTA:
        triples.append((subject, SKOS.exactMatch, koodistot_code(level_name, year.year, code)))
    if level_name == KUNTA:
        triples.append((subject, SKOS.broadMatch, NUTS[year.nuts3_of[code]]))
    if level_name == MAAKUNTA:
        match = SKOS.closeMatch if nuts_notes(year, code) else SKOS.exactMatch
        triples.append((subject, match, NUTS[year.region_nuts3(code)]))
    return triples


def koodistot_triples(year: Year) -> list[Triple]:
    """The koodistot.suomi.fi code lists (kunta, maakunta) of one year and the codes we use."""
    triples: list[Triple] = []
    for level_name in (KUNTA, MAAKUNTA):
        code_list = koodistot_scheme(level_name, year.year)
        sources = [geofi(year.year)]
        if (level_name, year.year) == (MAAKUNTA, 2022):
            sources.append(KOODISTOT_MAAKUNTA_2022)
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
            *[(code_list, DCTERMS.source, source) for source in sources],
        ]
        for code in sorted(year.units(level_name)):
            subject = koodistot_code(level_name, year.year, code)
            triples += [
                (subject, RDF.type, SKOS.Concept),
                (subject, SKOS.inScheme, code_list),
                (subject, SKOS.notation, Literal(code, datatype=NOTATION[level_name])),
                (subject, DCTERMS.source, geofi(year.year)),
            ]
    return triples
