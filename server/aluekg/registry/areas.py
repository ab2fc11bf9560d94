"""The areas: Finland, its regions, sub-regions and municipalities (newest membership)."""

from __future__ import annotations

from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SDO, SKOS

from aluekg.registry.sources import Sources, Year
from aluekg.registry.terms import (
    ADMIN_LEVEL,
    ALUE,
    AREA_CLASS,
    COUNTRY,
    KOODISTOT_YEARS,
    KUNTA,
    M8G,
    MAAKUNTA,
    NOTATION,
    NUTS,
    PARENT_LEVEL,
    PYCOUNTRY,
    SEUTUKUNTA,
    STATFI_KUNTA_2022,
    Triple,
    area,
    change,
    fi_en,
    geofi,
    github_file,
    koodistot_code,
    labels,
)


def area_triples(sources: Sources, level_name: str) -> list[Triple]:
    """Every code of one level that any year has, described from the newest year that has it."""
    years = sorted(sources.years.values(), key=lambda y: y.year)
    codes = sorted({code for year in years for code in year.units(level_name)})
    triples: list[Triple] = []
    for code in codes:
        subject = area(level_name, code)
        present = [year for year in years if code in year.units(level_name)]
        unit = present[-1].units(level_name)[code]
        parent = COUNTRY
        if level_name in PARENT_LEVEL:
            parent = area(PARENT_LEVEL[level_name], unit.parent)
        triples += [
            (subject, RDF.type, AREA_CLASS[level_name]),
            *labels(subject, unit.names.fi, unit.names.sv, unit.names.en),
            (subject, M8G.level, ADMIN_LEVEL[level_name]),
            (subject, SKOS.notation, Literal(code, datatype=NOTATION[level_name])),
            (subject, SDO.containedInPlace, parent),
        ]
        triples += [(subject, DCTERMS.source, geofi(year.year)) for year in present]
        if level_name != SEUTUKUNTA:
            triples += [
                (subject, M8G.code, koodistot_code(level_name, y.year, code))
                for y in present
                if y.year in KOODISTOT_YEARS
            ]
        if level_name == KUNTA and present[0].year == 2022:
            triples.append((subject, DCTERMS.source, STATFI_KUNTA_2022))
        if level_name == MAAKUNTA:
            triples += region_extras(sources, subject, code)
    if level_name == KUNTA:
        triples += merged(sources) + moved(sources)
    return triples


def region_extras(sources: Sources, subject: URIRef, code: str) -> list[Triple]:
    """ISO 3166-2, the NUTS 3 code of each year and notes where the NUTS area differs."""
    triples: list[Triple] = [
        (subject, SKOS.notation, Literal(sources.iso3166_2[code], datatype=ALUE["iso3166-2"])),
        (subject, DCTERMS.source, PYCOUNTRY),
    ]
    for year in sources.years.values():
        triples.append((subject, M8G.code, NUTS[year.region_nuts3(code)]))
        triples += [(subject, SKOS.scopeNote, note) for note in nuts_notes(year, code)]
    return triples


def nuts_notes(year: Year, region: str) -> list[Literal]:
    """Say where the region's NUTS 3 area of that year is not the region (Iitti in NUTS 2021)."""
    code, version = year.region_nuts3(region), year.nuts_version
    notes: list[Literal] = []
    for kunta in sorted(year.municipalities):
        name = year.municipalities[kunta].names
        home = year.region_of(kunta)
        region_names = year.regions[home].names
        if year.nuts3_of[kunta] == code and home != region:
            notes += fi_en(
                f"NUTS {version} -alueeseen {code} kuuluu tämän maakunnan lisäksi kunta {name.fi} "
                f"({kunta}), jonka maakunta on {region_names.fi} ({home}).",
                f"Besides this region, NUTS {version} region {code} also includes the municipality "
                f"{name.en} ({kunta}), which belongs to the region {region_names.en} ({home}).",
            )
        elif home == region and year.nuts3_of[kunta] != code:
            other = year.nuts3_of[kunta]
            notes += fi_en(
                f"Tämän maakunnan kunta {name.fi} ({kunta}) kuuluu NUTS {version} -luokituksessa "
                f"alueeseen {other} eikä alueeseen {code}.",
                f"NUTS {version} counts this region's municipality {name.en} ({kunta}) in {other}, "
                f"not in {code}.",
            )
    return notes


def merged(sources: Sources) -> list[Triple]:
    """A merged municipality keeps its IRI, deprecated and pointing at the one it joined."""
    newest = max(sources.years.values(), key=lambda y: y.year)
    triples: list[Triple] = []
    for merger in sources.mergers:
        subject, target = (
            area(KUNTA, merger.municipality),
            newest.municipalities[merger.merged_into],
        )
        day = date.fromisoformat(merger.date)
        triples += [
            (subject, OWL.deprecated, Literal(True)),
            (subject, DCTERMS.isReplacedBy, area(KUNTA, merger.merged_into)),
            (subject, DCTERMS.source, geofi(newest.year)),
        ]
        triples += [
            (subject, SKOS.historyNote, note)
            for note in fi_en(
                f"Liitettiin {day.day}.{day.month}.{day.year} kuntaan {target.names.fi} "
                f"({target.code}); ei enää vuoden {newest.year} kuntaluokituksessa.",
                f"Merged into the municipality {target.names.en} ({target.code}) on {merger.date}; "
                f"not in the {newest.year} municipality classification.",
            )
        ]
    return triples


def moved(sources: Sources) -> list[Triple]:
    """A municipality that changed region: a history note on it, and the change as a dated
    prov:Activity and schema:TransferAction from the old region and sub-region to the new."""
    triples: list[Triple] = []
    for move in sources.moves:
        subject = area(KUNTA, move.municipality)
        event = change(move.date, KUNTA, move.municipality)
        name = next(
            year.municipalities[move.municipality].names
            for year in sorted(sources.years.values(), key=lambda y: -y.year)
            if move.municipality in year.municipalities
        )
        day = date.fromisoformat(move.date)
        citations = [github_file(reference) for reference in move.sources]
        triples += [
            *[(subject, SKOS.historyNote, note) for note in fi_en(move.note_fi, move.note_en)],
            *[(subject, DCTERMS.source, citation) for citation in citations],
            (event, RDF.type, PROV.Activity),
            (event, RDF.type, SDO.TransferAction),
            *[
                (event, SKOS.prefLabel, label)
                for label in fi_en(
                    f"Siirtyminen toiseen maakuntaan {day.day}.{day.month}.{day.year}: "
                    f"{name.fi} ({move.municipality})",
                    f"Move to another region on {move.date}: {name.en} ({move.municipality})",
                )
            ],
            (event, DCTERMS.date, Literal(day)),
            (event, SDO.object, subject),
            (event, SDO.fromLocation, area(MAAKUNTA, move.from_region)),
            (event, SDO.fromLocation, area(SEUTUKUNTA, move.from_sub_region)),
            (event, SDO.toLocation, area(MAAKUNTA, move.to_region)),
            (event, SDO.toLocation, area(SEUTUKUNTA, move.to_sub_region)),
            *[(event, DCTERMS.source, citation) for citation in citations],
        ]
    return triples


def country_triples(sources: Sources) -> list[Triple]:
    names = sources.country_names
    return [
        (COUNTRY, RDF.type, M8G.AdminUnit),
        (COUNTRY, RDF.type, SDO.Country),
        *labels(COUNTRY, names.fi, names.sv, names.en),
        (COUNTRY, M8G.level, ADMIN_LEVEL.maa),
        (COUNTRY, SKOS.notation, Literal(sources.country_iso, datatype=ALUE["iso3166-2"])),
        (COUNTRY, DCTERMS.source, PYCOUNTRY),
        *[(COUNTRY, DCTERMS.source, geofi(year)) for year in sources.years],
    ]
