"""The benchmark's query mix: seven kinds of query, each in a few variants drawn from the data.

Variants repeat, as a public endpoint's popular queries do, so an answer cache can hit after the
first round; how many variants each kind has is VARIANTS.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth import PROGRAMME_TYPES, WORDS, Synthetic

VARIANTS = 16
PREFIXES = """PREFIX alue: <https://w3id.org/aluekg/ontology#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

DESCRIBE = "CONSTRUCT { <%(iri)s> ?property ?value } WHERE { <%(iri)s> ?property ?value }"
FOR_MUNICIPALITY = """SELECT ?programme ?label WHERE {
  <%(iri)s> schema:containedInPlace* ?area .
  ?programme dcterms:spatial ?area ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "fi")
} ORDER BY ?programme"""
IN_FORCE = """SELECT ?programme WHERE {
  ?programme a alue:Programme ; dcterms:temporal ?period .
  ?period dcat:startDate ?start ; dcat:endDate ?end .
  FILTER(xsd:integer(SUBSTR(STR(?start), 1, 4)) <= %(year)d
         && xsd:integer(SUBSTR(STR(?end), 1, 4)) >= %(year)d)
} ORDER BY ?programme"""
TOPIC = """SELECT ?programme ?component ?label WHERE {
  ?component alue:partOfProgramme ?programme ; skos:prefLabel ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "%(word)s"))
} ORDER BY ?component LIMIT 100"""
COUNTS = """SELECT ?programme (COUNT(?priority) AS ?priorities) WHERE {
  ?programme dcterms:type <https://w3id.org/aluekg/vocab/programme-type/%(type)s> .
  ?priority a alue:Priority ; alue:partOfProgramme ?programme .
} GROUP BY ?programme ORDER BY DESC(?priorities) ?programme LIMIT 20"""
THEMES = """SELECT ?programme ?theme ?concept ?label WHERE {
  ?programme a alue:Programme ; dcterms:spatial <%(iri)s> .
  ?theme a alue:StrategicTheme ; alue:partOfProgramme ?programme ; dcterms:subject ?concept .
  ?concept skos:prefLabel ?label .
  FILTER(LANG(?label) = "fi")
} ORDER BY ?programme ?theme"""
PAGE = """SELECT ?programme ?label WHERE {
  ?programme a alue:Programme ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "fi")
} ORDER BY ?label ?programme LIMIT 20 OFFSET %(offset)d"""


@dataclass(frozen=True)
class Request:
    kind: str
    query: str
    accept: str


def build(data: Synthetic, seed: int = 2) -> list[Request]:
    """VARIANTS requests of each kind, interleaved kind by kind."""
    rng = random.Random(seed)
    kinds: list[list[Request]] = [
        _each("describe", DESCRIBE, [{"iri": i} for i in _pick(rng, data.programmes)]),
        _each(
            "municipality", FOR_MUNICIPALITY, [{"iri": i} for i in _pick(rng, data.municipalities)]
        ),
        _each("in-force", IN_FORCE, [{"year": 2011 + n} for n in range(VARIANTS)]),
        _each("topic", TOPIC, [{"word": w} for w in _pick(rng, list(WORDS))]),
        _each("group-by", COUNTS, [{"type": t} for t in _pick(rng, list(PROGRAMME_TYPES))]),
        _each("join", THEMES, [{"iri": i} for i in _pick(rng, data.regions)]),
        _each("page", PAGE, [{"offset": 20 * n} for n in range(VARIANTS)]),
    ]
    return [kind[n] for n in range(VARIANTS) for kind in kinds]


def _each(kind: str, template: str, values: list[dict[str, object]]) -> list[Request]:
    graph = template is DESCRIBE
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    body = template if graph else PREFIXES + template
    return [Request(kind, body % value, accept) for value in values]


def _pick(rng: random.Random, pool: list[str]) -> list[str]:
    """VARIANTS items from pool, repeating when it is smaller."""
    return [pool[rng.randrange(len(pool))] for _ in range(VARIANTS)]
