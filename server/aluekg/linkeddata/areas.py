"""The view of an area (municipality, sub-region, region): its code in each classification year
with the koodistot code, parents and children per year, registry links (koodistot, NUTS,
Wikidata, YSO), changes (moves, mergers) and the programmes that cover it or lie within it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from aluekg.linkeddata import iris
from aluekg.linkeddata.reading import select
from aluekg.linkeddata.views import Link, Namer
from aluekg.query.backend import Backend

AREA_TYPES = frozenset(
    iris.ONTOLOGY + "#" + name for name in ("Municipality", "SubRegion", "Region")
)
REGISTRIES = (
    ("http://uri.suomi.fi/codelist/", "koodistot.suomi.fi"),
    ("http://data.europa.eu/nuts/", "NUTS"),
    ("http://www.wikidata.org/", "Wikidata"),
    ("http://www.yso.fi/onto/yso/", "YSO"),
)


@dataclass
class Year:
    year: str
    codes: list[str] = field(default_factory=list)
    koodistot: list[str] = field(default_factory=list)
    parents: list[tuple[Link, str]] = field(default_factory=list)
    children: list[tuple[Link, str]] = field(default_factory=list)


@dataclass
class AreaView:
    years: list[Year]
    links: list[tuple[str, str]]
    changes: list[tuple[Link, str]]
    replaced_by: list[Link]
    replaces: list[Link]
    covering: list[Link]
    inside: list[Link]


def area_view(backend: Backend, iri: str, names: Namer) -> AreaView:
    rows = select(backend, "area", resource=iri)
    for row in rows:
        if row["value"].is_iri:
            names.add(row["value"].value, row.get("label"))
    years: dict[str, Year] = {}
    seen: dict[str, dict[tuple[str, str, str], None]] = defaultdict(dict)
    for row in rows:
        key, value = row["key"].value, row["value"].value
        code = row["code"].value if "code" in row else ""
        seen[key][(value, code, row["year"].value[:4] if "year" in row else "")] = None
    for key in ("code", "koodistot", "parent", "child"):
        for value, code, year in seen.get(key, {}):
            entry = years.setdefault(year, Year(year))
            if key == "code" and code not in entry.codes:
                entry.codes.append(code)
            elif key == "koodistot":
                entry.koodistot.append(value)
            elif key == "parent":
                entry.parents.append((names.link(value), code))
            elif key == "child":
                entry.children.append((names.link(value), code))
    for entry in years.values():
        entry.children.sort(key=lambda child: (child[1], child[0].text))
    dates = {row["value"].value: row["date"].value for row in rows if "date" in row}

    def links(key: str) -> list[Link]:
        return sorted((names.link(value) for value, _, _ in seen.get(key, {})), key=_text)

    return AreaView(
        [years[year] for year in sorted(years)],
        sorted(
            {(value, _registry(value)) for value, _, _ in seen.get("link", {})}, key=_by_registry
        ),
        [(link, dates.get(link.iri, "")) for link in links("change")],
        links("replacedBy"),
        links("replaces"),
        links("covers"),
        links("inside"),
    )


def _registry(iri: str) -> str:
    return next((name for prefix, name in REGISTRIES if iri.startswith(prefix)), "")


def _by_registry(link: tuple[str, str]) -> tuple[str, str]:
    return link[1], link[0]


def _text(link: Link) -> str:
    return link.text.casefold()
