"""Synthetic data of aluekg's shape, at a chosen number of triples, as N-Triples files.

Areas nest country → region → sub-region → municipality by schema:containedInPlace; programmes
have a period, a type, an area, YSO subjects, themes, priorities and sub-priorities, with the
contract's IRIs and terms. Every name, code and number is made up (and looks it), and the same
seed gives the same files.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ID = "https://w3id.org/aluekg/id/"
VOCAB = "https://w3id.org/aluekg/vocab/"
ALUE = "https://w3id.org/aluekg/ontology#"
YSO = "http://www.yso.fi/onto/yso/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SCHEMA = "https://schema.org/"
M8G = "http://data.europa.eu/m8g/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROGRAMME_TYPES = ("maakuntaohjelma", "elinvoimaohjelma", "alykkaan-erikoistumisen-strategia")
# Words for labels, so that a topic search has something to find (and to miss).
WORDS = (
    "energia", "biotalous", "matkailu", "osaaminen", "liikenne", "hyvinvointi", "kulttuuri",
    "elinkeinot", "asuminen", "ympäristö", "digitalisaatio", "metsä", "vesi", "nuoret",
    "yrittäjyys", "saavutettavuus", "ilmasto", "maatalous", "teollisuus", "palvelut",
)  # fmt: skip
# Roughly how many triples one programme brings (programme, period, structure, 4 themes,
# 4 priorities with 3 sub-priorities each); used only to size the run.
TRIPLES_PER_PROGRAMME = 176


@dataclass
class Synthetic:
    """What was generated: the files, the triple count, and IRIs the query mix picks from."""

    files: list[Path] = field(default_factory=list)
    triples: int = 0
    municipalities: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)


def generate(target: int, directory: Path, seed: int = 1) -> Synthetic:
    """Write about target triples into directory (areas, YSO, programmes in chunks of 100)."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    out = Synthetic()
    municipalities = max(20, target // 200)
    concepts = max(20, target // 500)
    _write(directory / "areas.nt", _areas(municipalities, out), out)
    _write(directory / "yso.nt", _concepts(concepts, rng, out), out)
    programmes = max(3, (target - out.triples) // TRIPLES_PER_PROGRAMME)
    areas = out.regions + out.municipalities
    for start in range(0, programmes, 100):
        chunk = range(start, min(start + 100, programmes))
        lines = (line for n in chunk for line in _programme(n, rng, areas, out))
        _write(directory / f"programmes-{start // 100:04d}.nt", lines, out)
    return out


def _write(path: Path, lines: Iterator[str], out: Synthetic) -> None:
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for line in lines:
            file.write(line)
            count += 1
    out.files.append(path)
    out.triples += count


def _t(subject: str, predicate: str, obj: str) -> str:
    return f"<{subject}> <{predicate}> {obj} .\n"


def _iri(value: str) -> str:
    return f"<{value}>"


def _text(value: str, lang: str) -> str:
    return f'"{value}"@{lang}'


def _typed(value: str | int, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def _areas(municipalities: int, out: Synthetic) -> Iterator[str]:
    country = ID + "country/FI"
    yield _t(country, RDF_TYPE, _iri(M8G + "AdminUnit"))
    yield _t(country, SKOS + "prefLabel", _text("Suomi", "fi"))
    sub_regions = max(4, municipalities // 6)
    regions = max(2, sub_regions // 4)
    for r in range(regions):
        region = ID + f"region/{r + 1:02d}"
        out.regions.append(region)
        yield from _area(region, "Region", "maakunta", f"Maakunta {r + 1}", r + 1, 2, country)
    for s in range(sub_regions):
        sub_region = ID + f"sub-region/{s + 101:03d}"
        parent = ID + f"region/{s % regions + 1:02d}"
        yield from _area(
            sub_region, "SubRegion", "seutukunta", f"Seutu {s + 1}", s + 101, 3, parent
        )
    for m in range(municipalities):
        municipality = ID + f"municipality/{m + 1:05d}"
        out.municipalities.append(municipality)
        parent = ID + f"sub-region/{m % sub_regions + 101:03d}"
        yield from _area(municipality, "Municipality", "kunta", f"Kunta {m + 1}", m + 1, 5, parent)


def _area(
    iri: str, cls: str, level: str, name: str, code: int, width: int, parent: str
) -> Iterator[str]:
    datatype = {"maakunta": "maakuntakoodi", "seutukunta": "seutukuntakoodi", "kunta": "kuntakoodi"}
    yield _t(iri, RDF_TYPE, _iri(ALUE + cls))
    yield _t(iri, RDF_TYPE, _iri(M8G + "AdminUnit"))
    yield _t(iri, SKOS + "prefLabel", _text(name, "fi"))
    yield _t(iri, SKOS + "prefLabel", _text(name, "sv"))
    yield _t(iri, SKOS + "prefLabel", _text(name, "en"))
    yield _t(iri, M8G + "level", _iri(VOCAB + f"admin-level/{level}"))
    yield _t(iri, SKOS + "notation", _typed(f"{code:0{width}d}", ALUE + datatype[level]))
    yield _t(iri, SCHEMA + "containedInPlace", _iri(parent))
    yield _t(iri, DCT + "source", _iri("https://example.org/synthetic/areas"))


def _concepts(count: int, rng: random.Random, out: Synthetic) -> Iterator[str]:
    for n in range(count):
        concept = YSO + f"p{90000 + n}"
        out.concepts.append(concept)
        word = WORDS[n % len(WORDS)]
        yield _t(concept, RDF_TYPE, _iri(SKOS + "Concept"))
        yield _t(concept, SKOS + "prefLabel", _text(f"{word} {n}", "fi"))
        yield _t(concept, SKOS + "prefLabel", _text(f"{word} {n} (en)", "en"))
        yield _t(concept, SKOS + "inScheme", _iri(YSO))


def _programme(n: int, rng: random.Random, areas: list[str], out: Synthetic) -> Iterator[str]:
    p = ID + f"programme/ohjelma-{n:06d}"
    out.programmes.append(p)
    start = rng.randint(2010, 2026)
    words = rng.sample(WORDS, 3)
    yield _t(p, RDF_TYPE, _iri(ALUE + "Programme"))
    yield _t(p, SKOS + "prefLabel", _text(f"Ohjelma {n}: {words[0]} ja {words[1]}", "fi"))
    yield _t(p, SKOS + "prefLabel", _text(f"Programme {n}", "en"))
    yield _t(p, DCT + "type", _iri(VOCAB + "programme-type/" + rng.choice(PROGRAMME_TYPES)))
    yield _t(p, DCT + "temporal", _iri(p + "/period"))
    yield _t(p, DCT + "spatial", _iri(rng.choice(areas)))
    yield _t(p, DCT + "publisher", _iri(ID + f"organisation/liitto-{n % 50}"))
    yield _t(
        p, DCT + "dateAccepted", _typed(f"{start - 1}-12-{rng.randint(1, 28):02d}", XSD + "date")
    )
    yield _t(p, DCT + "source", _iri(f"https://example.org/synthetic/programme/{n}"))
    for concept in rng.sample(out.concepts, 3):
        yield _t(p, DCT + "subject", _iri(concept))
    yield _t(p + "/period", RDF_TYPE, _iri(DCT + "PeriodOfTime"))
    yield _t(p + "/period", DCAT + "startDate", _typed(start, XSD + "gYear"))
    yield _t(p + "/period", DCAT + "endDate", _typed(start + rng.randint(2, 4), XSD + "gYear"))
    yield _t(p + "/structure", RDF_TYPE, _iri(SKOS + "ConceptScheme"))
    for t in range(1, 5):
        yield from _component(p, f"theme/{t}", "StrategicTheme", t, None, rng, out)
        yield from _component(p, f"priority/{t}", "Priority", t, None, rng, out)
        for s in range(1, 4):
            yield from _component(p, f"priority/{t}/{s}", "Priority", s, f"priority/{t}", rng, out)


def _component(
    p: str, path: str, cls: str, order: int, broader: str | None, rng: random.Random, out: Synthetic
) -> Iterator[str]:
    c = f"{p}/{path}"
    word = rng.choice(WORDS)
    yield _t(c, RDF_TYPE, _iri(ALUE + cls))
    yield _t(c, ALUE + "partOfProgramme", _iri(p))
    yield _t(c, SKOS + "inScheme", _iri(p + "/structure"))
    yield _t(c, ALUE + "order", _typed(order, XSD + "integer"))
    yield _t(c, SKOS + "notation", f'"{order}"')
    yield _t(c, SKOS + "prefLabel", _text(f"{word.capitalize()} {path}", "fi"))
    yield _t(c, DCT + "subject", _iri(rng.choice(out.concepts)))
    if broader is None:
        yield _t(c, SKOS + "topConceptOf", _iri(p + "/structure"))
    else:
        yield _t(c, SKOS + "broader", _iri(f"{p}/{broader}"))
