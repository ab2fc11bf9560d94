"""Matching a name, code or identifier to the index's entities, with scores from 0 to 100.

A query matches exactly (score 100) by an identifier (the entity's IRI or short id, a NUTS code,
a koodistot IRI, a Wikidata QID or IRI), by a Statistics Finland code of any classification year
(leading zeros may be left out), or by a name in any language once case, accents, hyphens and word
order are folded away. Otherwise rapidfuzz finds names with typos, scored below 100. An area that
the classification of the query's year no longer has leads to the area that replaced it, scored
below an exact match and described as such. `match` is set only on a single exact candidate.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from aluekg.reconcile.index import AREA_TYPES, TYPES, Entity, Index

EXACT = 100
# A code whose leading zeros differ from the notation's in more than being left out ("0049").
LOOSE_CODE = 90
# Ceiling for a name found despite typos, so that it never passes for an exact match.
FUZZY_CEILING = 95
FUZZY_CUTOFF = 80
SUCCESSOR_PENALTY = 10
FORMER_PENALTY = 20
LEVELS = {
    "municipality": "municipality",
    "kunta": "municipality",
    "sub-region": "sub-region",
    "subregion": "sub-region",
    "seutukunta": "sub-region",
    "region": "region",
    "maakunta": "region",
}
_QID = re.compile(r"(?:.*[/:])?(Q[1-9][0-9]*)", re.IGNORECASE)
# At most this many answers are kept, and only for texts up to _KEPT_TEXT characters: a request
# may carry a megabyte of text, where names are far shorter.
_CACHE_SIZE = 50_000
_KEPT_TEXT = 256


def tokens(text: str) -> list[str]:
    """The words of a text in lower case without accents (å, ä, ö become a, a, o).

    >>> tokens("Etelä-Pohjanmaa  KASKÖ")
    ['etela', 'pohjanmaa', 'kasko']
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.findall(r"[^\W_]+", plain)


def keys(text: str) -> set[str]:
    """The folded forms of a name: its words sorted, and its words run together."""
    words = tokens(text)
    return {" ".join(sorted(words)), "".join(words)} - {""}


def spellings(text: str) -> set[str]:
    """The forms a misspelling is compared with: the words in their order, and sorted (a typo in
    a word's first letter can move it in the sorted form: "Pohjois-avo" sorts "avo pohjois")."""
    words = tokens(text)
    return {" ".join(words), " ".join(sorted(words))} - {""}


@dataclass(frozen=True)
class Query:
    """One reconciliation query: the text, and what narrows it (types, year, region, level)."""

    text: str
    types: tuple[str, ...] = ()
    limit: int = 10
    year: int | None = None
    region: str | None = None
    level: str | None = None


@dataclass
class Candidate:
    entity: Entity
    score: int
    description: str = ""
    match: bool = False
    notes: list[str] = field(default_factory=list)


class Matcher:
    """Lookup tables over one index; match() answers a query from them alone."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._names: dict[str, set[str]] = defaultdict(set)
        self._codes: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._identifiers: dict[str, str] = {}
        self._cache: dict[Query, list[Candidate]] = {}
        # Typos are looked for among the names' spellings.
        self._spelt: dict[str, set[str]] = defaultdict(set)
        for entity in index.entities.values():
            for name, _year in entity.names:
                for key in keys(name):
                    self._names[key].add(entity.iri)
                for spelling in spellings(name):
                    self._spelt[spelling].add(entity.iri)
            for notation in {*entity.codes.values(), *entity.notations}:
                if notation.isdigit():
                    self._codes[notation.lstrip("0") or "0"].add((entity.iri, notation))
            for identifier in (entity.iri, entity.id, *entity.identifiers):
                self._identifiers[identifier.upper()] = entity.iri
        self._choices = sorted(self._spelt)

    def match(self, query: Query) -> list[Candidate]:
        """The best candidates for a query, best first, at most query.limit of them."""
        cached = self._cache.get(query)
        if cached is None:
            cached = self._match(query)
            if len(query.text) <= _KEPT_TEXT:
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.clear()
                self._cache[query] = cached
        return cached

    def _match(self, query: Query) -> list[Candidate]:
        wanted = self._wanted_types(query)
        hits = {
            iri: score
            for iri, score in self._exact(query.text).items()
            if self.index.entities[iri].type in wanted
        }
        if not any(score == EXACT for score in hits.values()):
            for iri, score in self._fuzzy(query.text).items():
                if self.index.entities[iri].type in wanted and score > hits.get(iri, 0):
                    hits[iri] = score
        candidates = self._through_changes(hits, query.year)
        candidates = [c for c in candidates if c.entity.type in wanted]
        if query.region is not None:
            candidates = self._in_region(candidates, query.region, query.year)
        candidates.sort(key=lambda c: (-c.score, c.entity.label(), c.entity.iri))
        # Counted before the limit cuts the list: one exact candidate shown of two is no surer.
        exact = [c for c in candidates if c.score == EXACT]
        if len(exact) == 1:
            exact[0].match = True
        candidates = candidates[: max(query.limit, 1)]
        for candidate in candidates:
            notes = [note.rstrip(".") for note in candidate.notes]
            candidate.description = "; ".join([*notes, self.describe(candidate.entity)])
        return candidates

    def _wanted_types(self, query: Query) -> set[str]:
        wanted = set(query.types) or set(TYPES)
        if query.level is not None:
            level = LEVELS.get(query.level.strip().lower().rsplit("/", 1)[-1])
            wanted &= {level} if level else set()
        return wanted

    def _exact(self, text: str) -> dict[str, int]:
        """Entities the text names exactly by identifier, code or folded name."""
        stripped = text.strip()
        hits: dict[str, int] = {}
        identifier = self._identifiers.get(stripped.upper())
        qid = _QID.fullmatch(stripped)
        if identifier is None and qid is not None:
            identifier = self._identifiers.get(qid.group(1).upper())
        if identifier is not None:
            hits[identifier] = EXACT
        if stripped.isdigit():
            for iri, notation in self._codes.get(stripped.lstrip("0") or "0", ()):
                width = TYPES[self.index.entities[iri].type].code_width
                exact = stripped == notation or stripped.zfill(width) == notation
                hits[iri] = max(hits.get(iri, 0), EXACT if exact else LOOSE_CODE)
        for key in keys(stripped):
            for iri in self._names.get(key, ()):
                hits[iri] = EXACT
        return hits

    def _fuzzy(self, text: str) -> dict[str, int]:
        """Entities with a name close to the text, scored below an exact match."""
        hits: dict[str, int] = {}
        for spelling in spellings(text):
            found = process.extract(
                spelling,
                self._choices,
                # Edit distance over the whole name: WRatio's partial matching scored any
                # fragment of a longer name 90 ("x" in Malax, "Sal" in Hankasalmi above Salo).
                scorer=fuzz.ratio,
                processor=None,
                limit=20,
                score_cutoff=FUZZY_CUTOFF,
            )
            for key, score, _ in found:
                for iri in self._spelt[key]:
                    hits[iri] = max(hits.get(iri, 0), min(FUZZY_CEILING, round(score)))
        return hits

    def _through_changes(self, hits: dict[str, int], year: int | None) -> list[Candidate]:
        """Candidates for the hits; an area not in the classification of `year` passes its score,
        lowered, to the area that replaced it, and keeps a lower one itself."""
        best: dict[str, Candidate] = {}

        def offer(candidate: Candidate) -> None:
            known = best.get(candidate.entity.iri)
            if known is None or candidate.score > known.score:
                best[candidate.entity.iri] = candidate

        for iri, score in hits.items():
            entity = self.index.entities[iri]
            if self.index.valid_in(entity, year):
                offer(Candidate(entity, score))
                continue
            note = entity.history.get("en") or f"Not in the classification of {year or 'today'}"
            offer(Candidate(entity, score - FORMER_PENALTY, notes=[note]))
            successor = self._successor(entity, year)
            if successor is not None:
                change = f"Successor of {entity.label()} ({_code(entity)}): {note}"
                offer(Candidate(successor, score - SUCCESSOR_PENALTY, notes=[change]))
        return list(best.values())

    def _successor(self, entity: Entity, year: int | None) -> Entity | None:
        seen = {entity.iri}
        current: Entity | None = entity
        while (
            current is not None and current.replaced_by and not self.index.valid_in(current, year)
        ):
            current = self.index.entities.get(current.replaced_by)
            if current is None or current.iri in seen:
                return None
            seen.add(current.iri)
        return current if current is not entity else None

    def _in_region(
        self, candidates: list[Candidate], region: str, year: int | None
    ) -> list[Candidate]:
        """The candidates in that region (a code, name or id); others than areas are kept."""
        regions = {
            iri
            for iri, score in self._exact(region).items()
            if score == EXACT and self.index.entities[iri].type == "region"
        }
        kept = []
        for candidate in candidates:
            if candidate.entity.type not in AREA_TYPES:
                kept.append(candidate)
                continue
            area = self.index.ancestor(candidate.entity, "region", year)
            if area is not None and area.iri in regions:
                kept.append(candidate)
        return kept

    def describe(self, entity: Entity, year: int | None = None) -> str:
        """A line that tells namesakes apart: type, code, parent areas; a programme's period."""
        kind = TYPES[entity.type].name
        if entity.type in AREA_TYPES:
            parts = [f"{kind} {_code(entity)}"]
            parent = self.index.parent(entity, year)
            while parent is not None and parent.type in AREA_TYPES:
                parts.append(f"{parent.label()} {TYPES[parent.type].name.split(' ')[0].lower()}")
                parent = self.index.parent(parent, year)
            return ", ".join(parts)
        if entity.type == "programme":
            period = "-".join(str(year) for year in (entity.start, entity.end) if year)
            return f"{kind} {period}".strip()
        if entity.type == "programme-component" and entity.programme:
            programme = self.index.entities.get(entity.programme)
            return f"{kind} of {programme.label() if programme else entity.programme}"
        return kind


def _code(entity: Entity) -> str:
    """Its newest Statistics Finland code."""
    return entity.codes[max(entity.codes)] if entity.codes else ""
