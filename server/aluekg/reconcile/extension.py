"""Data extension: the properties the service can add to reconciled entities, and their values.

Each value is a Reconciliation API cell (`{"str": ...}`, or `{"id": ..., "name": ...}` for an
entity of this service); the classification year a value is read in is the property's `year`
setting, the newest classification when it is not given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aluekg.reconcile.index import AREA_TYPES, Entity, Index

Cell = dict[str, str]


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    types: tuple[str, ...]
    values: Callable[[Index, Entity, int | None], list[Cell]]


def _code(index: Index, entity: Entity, year: int | None) -> list[Cell]:
    classification = index.classification_year(year)
    code = entity.codes.get(classification) if classification is not None else None
    return [{"str": code}] if code else []


def _identifiers(kind: str, short: bool) -> Callable[[Index, Entity, int | None], list[Cell]]:
    def values(index: Index, entity: Entity, year: int | None) -> list[Cell]:
        found = sorted(
            identifier
            for identifier, of_kind in entity.identifiers.items()
            if of_kind == kind and ("://" not in identifier) == short
        )
        return [{"str": identifier} for identifier in found]

    return values


def _area(kind: str) -> Callable[[Index, Entity, int | None], list[Cell]]:
    def values(index: Index, entity: Entity, year: int | None) -> list[Cell]:
        area = index.ancestor(entity, kind, year)
        return [_entity_cell(area)] if area is not None and area is not entity else []

    return values


def _programmes(index: Index, entity: Entity, year: int | None) -> list[Cell]:
    in_year = year if year is not None else index.classification_year(None)
    if in_year is None:
        return []
    return [_entity_cell(programme) for programme in index.programmes_in_force(entity, in_year)]


def _nuts(index: Index, entity: Entity, year: int | None) -> list[Cell]:
    """A region's own NUTS codes; a municipality's NUTS 3 code in that year's classification."""
    if entity.type == "municipality":
        classification = index.classification_year(year)
        code = entity.nuts.get(classification) if classification is not None else None
        return [{"str": code}] if code else []
    return _identifiers("nuts", short=True)(index, entity, year)


def _entity_cell(entity: Entity) -> Cell:
    return {"id": entity.id, "name": entity.label()}


PROPERTIES: dict[str, Property] = {
    prop.id: prop
    for prop in (
        Property(
            "code",
            "Statistics Finland code",
            "The area's code in the classification of the year chosen",
            AREA_TYPES,
            _code,
        ),
        Property(
            "nuts",
            "NUTS code",
            "A region's NUTS codes; a municipality's NUTS 3 code that year",
            ("municipality", "region"),
            _nuts,
        ),
        Property(
            "wikidata",
            "Wikidata QID",
            "The area's Wikidata item",
            AREA_TYPES,
            _identifiers("wikidata", short=True),
        ),
        Property(
            "koodistot",
            "koodistot.suomi.fi code",
            "The area's code IRI at koodistot",
            AREA_TYPES,
            _identifiers("koodistot", short=False),
        ),
        Property(
            "sub-region",
            "Sub-region",
            "The sub-region of the municipality that year",
            ("municipality",),
            _area("sub-region"),
        ),
        Property(
            "region",
            "Region",
            "The region of the area that year",
            ("municipality", "sub-region"),
            _area("region"),
        ),
        Property(
            "programmes",
            "Programmes in force",
            "Programmes in force that year whose area is the area or contains it",
            AREA_TYPES,
            _programmes,
        ),
    )
}


def proposals(entity_type: str | None) -> list[Property]:
    """The properties worth adding to entities of a type (all of them when None)."""
    return [
        prop for prop in PROPERTIES.values() if entity_type is None or entity_type in prop.types
    ]


def extend(
    index: Index, ids: list[str], requested: list[tuple[str, int | None]]
) -> dict[str, dict[str, list[Cell]]]:
    """Each id's values of each (property, year); an id unknown to the index gets none."""
    rows: dict[str, dict[str, list[Cell]]] = {}
    for identifier in ids:
        entity = index.get(identifier)
        rows[identifier] = {
            prop: PROPERTIES[prop].values(index, entity, year) if entity is not None else []
            for prop, year in requested
        }
    return rows
