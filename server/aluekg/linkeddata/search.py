"""The search box: every label under the base in fi, sv and en, folded (case and accents), built
once per data version and kept in memory, so a search is a scan of a list, not a query."""

from __future__ import annotations

import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from aluekg.linkeddata import lang as languages
from aluekg.linkeddata.reading import Term, select
from aluekg.query.backend import Backend

LIMIT = 50


def fold(text: str) -> str:
    """text without case or accents, for matching.

    >>> fold("Äänekoski")
    'aanekoski'
    >>> fold("Kaskö")
    'kasko'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Entry:
    iri: str
    labels: tuple[Term, ...]
    types: tuple[str, ...]
    folded: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    iri: str
    label: Term
    types: tuple[str, ...]
    rank: int


class Index:
    """The labels of one data version."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @classmethod
    def build(cls, backend: Backend) -> Index:
        labels: dict[str, dict[Term, None]] = defaultdict(dict)
        types: dict[str, dict[str, None]] = defaultdict(dict)
        for row in select(backend, "labels"):
            iri = row["resource"].value
            labels[iri][row["label"]] = None
            if "type" in row:
                types[iri][row["type"].value] = None
        return cls(
            [
                Entry(iri, tuple(terms), tuple(types[iri]), tuple(fold(t.value) for t in terms))
                for iri, terms in labels.items()
            ]
        )

    def search(self, text: str, lang: str) -> list[Hit]:
        """Resources whose label matches text: whole-label prefix first, then a word's prefix,
        then anywhere; within each, alphabetically by the label shown."""
        wanted = fold(text.strip())
        if not wanted:
            return []
        hits: list[Hit] = []
        for entry in self.entries:
            rank = min((_rank(folded, wanted) for folded in entry.folded), default=3)
            if rank < 3:
                label = languages.pick(entry.labels, lang)
                assert label is not None  # every entry has a label
                hits.append(Hit(entry.iri, label, entry.types, rank))
        hits.sort(key=lambda hit: (hit.rank, fold(hit.label.value), hit.iri))
        return hits[:LIMIT]


def _rank(folded: str, wanted: str) -> int:
    if folded.startswith(wanted):
        return 0
    if any(word.startswith(wanted) for word in folded.replace("-", " ").split()):
        return 1
    return 2 if wanted in folded else 3


class Indexes:
    """One Index per backend version, built on first use; a new version replaces the old."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: str | None = None
        self._index: Index | None = None

    def get(self, backend: Backend) -> Index:
        version = backend.version
        with self._lock:
            if self._index is None or self._version != version:
                self._index, self._version = Index.build(backend), version
            return self._index
