"""The preview card: a small self-contained HTML page about one entity (no external assets),
shown by OpenRefine when a candidate is hovered."""

from __future__ import annotations

from pathlib import Path

import jinja2

from aluekg.errors import ResourceNotFound
from aluekg.reconcile.index import TYPES
from aluekg.reconcile.matching import Matcher

LANGUAGES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}
# Autoescaping: names and notes come from the data and are text, never markup.
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(matcher: Matcher, identifier: str) -> str:
    """The card for an entity given by short id or IRI; ResourceNotFound if there is none."""
    entity = matcher.index.get(identifier)
    if entity is None:
        raise ResourceNotFound(f"No entity {identifier!r} in this reconciliation service")
    facts: list[tuple[str, str]] = [("Type", TYPES[entity.type].name)]
    for lang, language in LANGUAGES.items():
        if lang in entity.labels:
            facts.append((f"Name ({language})", entity.labels[lang]))
    for year in sorted(entity.codes):
        parent = matcher.index.parent(entity, year)
        within = f" in {parent.label()}" if parent is not None and parent.type in TYPES else ""
        facts.append((f"Code {year}", f"{entity.codes[year]}{within}"))
    for identifier_value, kind in sorted(entity.identifiers.items()):
        if kind != "koodistot" and "://" not in identifier_value:
            facts.append((kind.capitalize() if kind != "nuts" else "NUTS", identifier_value))
    if "en" in entity.history:
        facts.append(("History", entity.history["en"]))
    return _TEMPLATES.get_template("preview.html").render(
        lang="fi",
        iri=entity.iri,
        name=entity.label(),
        description=matcher.describe(entity),
        facts=facts,
    )
