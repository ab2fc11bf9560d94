"""The reconciliation index: every entity the service offers, read from a store in four queries.

Built once per data version (Backend.version) from the `.rq` files beside this module, so that
matching never queries the store per name. Knows nothing of HTTP or of matching.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aluekg.query.backend import Accepts, Backend

HERE = Path(__file__).resolve().parent
ID_BASE = "https://w3id.org/aluekg/id/"
ALUE = "https://w3id.org/aluekg/ontology#"
ORG = "http://www.w3.org/ns/org#"
JSON_RESULTS = Accepts(solutions="application/sparql-results+json", graph=None)


@dataclass(frozen=True)
class EntityType:
    id: str
    name: str
    iri: str
    # The width of its Statistics Finland code (0: it has none).
    code_width: int = 0


TYPES: dict[str, EntityType] = {
    kind.id: kind
    for kind in (
        EntityType("municipality", "Municipality (kunta)", ALUE + "Municipality", 3),
        EntityType("sub-region", "Sub-region (seutukunta)", ALUE + "SubRegion", 3),
        EntityType("region", "Region (maakunta)", ALUE + "Region", 2),
        EntityType("organisation", "Organisation", ORG + "Organization"),
        EntityType("programme", "Programme", ALUE + "Programme"),
        EntityType("programme-component", "Programme component", ALUE + "ProgrammeComponent"),
    )
}
# The classes entities.rq names (its ?top), mapped to a type id.
TYPE_OF_CLASS = {kind.iri: kind.id for kind in TYPES.values()} | {
    ORG + "OrganizationalUnit": "organisation"
}
AREA_TYPES = ("municipality", "sub-region", "region")


@dataclass
class Entity:
    """One entity as the index knows it; `names` holds every name with the year it is a
    classification label of (None: a name of the entity itself)."""

    iri: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    names: set[tuple[str, int | None]] = field(default_factory=set)
    codes: dict[int, str] = field(default_factory=dict)
    parents: dict[int, str] = field(default_factory=dict)
    nuts: dict[int, str] = field(default_factory=dict)
    contained_in: str | None = None
    notations: set[str] = field(default_factory=set)
    identifiers: dict[str, str] = field(default_factory=dict)
    replaced_by: str | None = None
    history: dict[str, str] = field(default_factory=dict)
    deprecated: bool = False
    programme: str | None = None
    areas: set[str] = field(default_factory=set)
    start: int | None = None
    end: int | None = None

    @property
    def id(self) -> str:
        """The identifier the service uses: the IRI without the aluekg id base."""
        return self.iri.removeprefix(ID_BASE)

    def label(self, lang: str = "fi") -> str:
        """Its preferred label in lang, else in Finnish, English or any language."""
        for choice in (lang, "fi", "en", *self.labels):
            if choice in self.labels:
                return self.labels[choice]
        return self.id

    def code(self, year: int) -> str | None:
        """Its Statistics Finland code in the classification of that year."""
        return self.codes.get(year)


class Index:
    """The entities by IRI, and the classification years the graph has."""

    def __init__(self, entities: dict[str, Entity], version: str) -> None:
        self.entities = entities
        self.version = version
        self.years = sorted({year for entity in entities.values() for year in entity.codes})

    def get(self, identifier: str) -> Entity | None:
        """The entity with this IRI or short id (`municipality/236`)."""
        return self.entities.get(identifier) or self.entities.get(ID_BASE + identifier)

    def classification_year(self, year: int | None) -> int | None:
        """The year of the classification valid in `year` (the newest when None); before the
        first classification, the first one."""
        if not self.years:
            return None
        if year is None:
            return self.years[-1]
        position = bisect.bisect_right(self.years, year)
        return self.years[max(position - 1, 0)]

    def valid_in(self, entity: Entity, year: int | None) -> bool:
        """Whether an area is in the classification valid in `year`; other entities always are."""
        if not entity.codes:
            return True
        return self.classification_year(year) in entity.codes

    def parent(self, entity: Entity, year: int | None) -> Entity | None:
        """The area an area belonged to in `year` (its classification's broader concept)."""
        classification = self.classification_year(year)
        iri = entity.parents.get(classification) if classification is not None else None
        return self.entities.get(iri or entity.contained_in or "")

    def ancestor(self, entity: Entity, kind: str, year: int | None) -> Entity | None:
        """The area of type `kind` containing an area in `year` (itself if of that type)."""
        current: Entity | None = entity
        for _ in range(3):
            if current is None or current.type == kind:
                return current
            current = self.parent(current, year)
        return current if current is not None and current.type == kind else None

    def programmes_in_force(self, entity: Entity, year: int) -> list[Entity]:
        """Programmes whose area is this area or one containing it, and whose period has `year`."""
        areas = {entity.iri}
        current = self.parent(entity, year)
        while current is not None and current.iri not in areas:
            areas.add(current.iri)
            current = self.parent(current, year)
        return sorted(
            (
                programme
                for programme in self.entities.values()
                if programme.type == "programme"
                and programme.areas & areas
                and (programme.start is None or programme.start <= year)
                and (programme.end is None or year <= programme.end)
            ),
            key=lambda programme: programme.label(),
        )


def build(backend: Backend) -> Index:
    """Read the index from a backend (an embedded Store, the worker pool or a remote store)."""
    entities: dict[str, Entity] = {}
    for row in _select(backend, "entities"):
        kind = TYPE_OF_CLASS[row["top"][0]]
        entity = entities.setdefault(row["entity"][0], Entity(row["entity"][0], kind))
        # An organisation unit is also a subclass of nothing we list; the first type found wins
        # unless a more specific area or programme type turns up.
        if entity.type == "organisation" and kind != "organisation":
            entity.type = kind
        label, lang = row["label"]
        year = int(row["year"][0]) if "year" in row else None
        entity.names.add((label, year))
        if row["kind"][0] == "pref" and lang:
            entity.labels[lang] = label
    for row in _select(backend, "classifications"):
        area = entities.get(row["area"][0])
        if area is None:
            continue
        in_year = int(row["year"][0])
        area.codes[in_year] = row["code"][0]
        if "parent" in row:
            area.parents[in_year] = row["parent"][0]
        if "nuts" in row:
            area.nuts[in_year] = row["nuts"][0]
    for row in _select(backend, "links"):
        linked = entities.get(row["area"][0])
        if linked is not None:
            _add_link(linked, row)
    for row in _select(backend, "programmes"):
        programme = entities.get(row["programme"][0])
        if programme is None:
            continue
        if "component" in row and row["component"][0] in entities:
            entities[row["component"][0]].programme = programme.iri
        if "area" in row:
            programme.areas.add(row["area"][0])
        if "startYear" in row:
            programme.start = int(row["startYear"][0])
        if "endYear" in row:
            programme.end = int(row["endYear"][0])
    return Index(entities, backend.version)


def _add_link(entity: Entity, row: dict[str, tuple[str, str]]) -> None:
    link_type = row["linkType"][0]
    link = row["link"][0] if "link" in row else ""
    value, lang = row.get("value", ("", ""))
    if link_type == "code":
        kind = "nuts" if link.startswith("http://data.europa.eu/nuts/") else "koodistot"
        entity.identifiers[link] = kind
        if kind == "nuts" and value:
            entity.identifiers[value.upper()] = kind
    elif link_type == "sameAs" and link.startswith("http://www.wikidata.org/entity/"):
        entity.identifiers[link] = "wikidata"
        entity.identifiers[link.rsplit("/", 1)[1]] = "wikidata"
    elif link_type == "replacedBy":
        entity.replaced_by = link
    elif link_type == "historyNote":
        entity.history[lang] = value
    elif link_type == "deprecated":
        entity.deprecated = value == "true"
    elif link_type == "notation":
        entity.notations.add(value)
    elif link_type == "containedIn":
        entity.contained_in = link


def _select(backend: Backend, name: str) -> Iterator[dict[str, tuple[str, str]]]:
    """The rows of a SELECT in this folder, each variable as (value, language tag or "")."""
    query = (HERE / f"{name}.rq").read_text(encoding="utf-8")
    answer = backend.answer(query, JSON_RESULTS)
    for binding in json.loads(answer.body)["results"]["bindings"]:
        yield {
            variable: (term["value"], term.get("xml:lang", ""))
            for variable, term in binding.items()
        }
