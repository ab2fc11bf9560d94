"""The structured view of a programme: its head facts (type, period, area and the areas that
contain it, publisher, approval, preparation, legal basis, topics, contacts, sources) and its
parts in order (vision, target state, themes and priorities with their sub-priorities,
cross-cutting themes, strengths)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from aluekg.linkeddata import iris
from aluekg.linkeddata.lang import pick
from aluekg.linkeddata.reading import Term, select
from aluekg.linkeddata.views import Link, Namer
from aluekg.query.backend import Backend

ALUE = iris.ONTOLOGY + "#"
PROGRAMME = ALUE + "Programme"
# The order the parts are shown in, by class.
PART_ORDER = (
    "Vision",
    "TargetState",
    "StrategicTheme",
    "Priority",
    "CrossCuttingTheme",
    "Strength",
)


@dataclass
class Part:
    link: Link
    kind: str
    notation: str
    order: int
    text: Term | None
    children: list[Part] = field(default_factory=list)


@dataclass
class ProgrammeView:
    facts: dict[str, list[Link | Term]]
    areas: list[tuple[Link, list[Link]]]
    period: tuple[str, str]
    parts: dict[str, list[Part]]
    kinds: dict[str, Link]


def programme_view(backend: Backend, iri: str, names: Namer) -> ProgrammeView:
    facts: dict[str, dict[str, Term]] = defaultdict(dict)
    within: dict[str, dict[str, None]] = defaultdict(dict)
    for row in select(backend, "programme-facts", resource=iri):
        key, value = row["key"].value, row["value"]
        if value.is_iri:
            names.add(value.value, row.get("label"))
        if key == "within":
            within[row["of"].value][value.value] = None
        else:
            facts[key][value.value] = value
    # Sorted by what the reader sees, so that the page does not depend on the store's order.
    shown = {
        key: sorted(
            (names.link(term.value) if term.is_iri else term for term in terms.values()),
            key=_shown_text,
        )
        for key, terms in facts.items()
    }
    areas = sorted(
        (
            (names.link(area), [names.link(o) for o in _chain(area, within)])
            for area in facts.get("area", {})
        ),
        key=lambda pair: pair[0].text.casefold(),
    )
    period = (_first(facts.get("start")), _first(facts.get("end")))
    parts, kinds = _parts(backend, iri, names)
    return ProgrammeView(shown, areas, period, parts, kinds)


def _parts(
    backend: Backend, iri: str, names: Namer
) -> tuple[dict[str, list[Part]], dict[str, Link]]:
    rows = select(backend, "programme-parts", resource=iri)
    labels: dict[str, list[Term]] = defaultdict(list)
    texts: dict[str, list[Term]] = defaultdict(list)
    info: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        part = row["part"].value
        for name in ("type", "notation", "order", "broader"):
            if name in row:
                info[part][name] = row[name].value
        if "label" in row and row["label"] not in labels[part]:
            labels[part].append(row["label"])
            names.add(part, row["label"])
        if "text" in row and row["text"] not in texts[part]:
            texts[part].append(row["text"])
    built = {
        part: Part(
            names.link(part),
            details.get("type", ""),
            details.get("notation", ""),
            int(details.get("order", "0")),
            pick(texts[part], names.lang),
        )
        for part, details in info.items()
    }
    top: dict[str, list[Part]] = defaultdict(list)
    for part, details in info.items():
        parent = built.get(details.get("broader", ""))
        if parent is not None:
            parent.children.append(built[part])
        else:
            top[built[part].kind].append(built[part])
    for built_part in built.values():
        built_part.children.sort(key=lambda child: child.order)
    ordered = {
        ALUE + kind: sorted(top[ALUE + kind], key=lambda p: p.order)
        for kind in PART_ORDER
        if top.get(ALUE + kind)
    }
    return ordered, {kind: names.link(kind) for kind in ordered}


def _chain(area: str, within: dict[str, dict[str, None]]) -> list[str]:
    """The areas that area lies in, innermost first (a loop in the data stops the walk)."""
    chain: list[str] = []
    current = area
    while within.get(current) and len(chain) < 10:
        current = next(iter(within[current]))
        if current in chain:
            break
        chain.append(current)
    return chain


def _shown_text(value: Link | Term) -> str:
    return value.text.casefold() if isinstance(value, Link) else value.value


def _first(terms: dict[str, Term] | None) -> str:
    return next(iter(terms.values())).value if terms else ""
