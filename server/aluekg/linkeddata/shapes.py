"""The SHACL shapes at /shapes (hash IRIs https://w3id.org/aluekg/shapes#…): the service does not
serve shapes/ from its store, so they get a small store of their own, loaded from the settings'
shapes folder on first use, and read through the same Backend seam and queries as the data."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from aluekg import syntax
from aluekg.linkeddata import views
from aluekg.linkeddata.reading import Term, select
from aluekg.query.store import Store

_LOCK = threading.Lock()
_STORES: dict[Path, Store] = {}


def backend(shapes_dir: Path) -> Store:
    """The store of the shapes in shapes_dir, loaded once."""
    with _LOCK:
        if shapes_dir not in _STORES:
            store = Store()
            store.load(syntax.rdf_files(shapes_dir), shapes_dir.parent)
            _STORES[shapes_dir] = store
        return _STORES[shapes_dir]


@dataclass
class ShapeView:
    anchor: str
    iri: str
    types: list[views.Link]
    statements: list[views.Statement]


def shape_views(store: Store, lang: str) -> list[ShapeView]:
    """Each named shape with its statements, its inline property shapes nested."""
    names = views.Namer(lang)
    by_subject: dict[str, dict[str, dict[Term, None]]] = defaultdict(lambda: defaultdict(dict))
    named: set[str] = set()
    for row in select(store, "shapes-page"):
        names.add(row["p"].value, row.get("propertyLabel"))
        by_subject[row["s"].value][row["p"].value][row["o"]] = None
        if row["s"].is_iri:
            named.add(row["s"].value)
    return [
        ShapeView(
            iri.rpartition("#")[2],
            iri,
            [names.link(t.value) for t in by_subject[iri].get(views.RDF_TYPE, {})],
            views.statements(by_subject[iri], by_subject, names, skip={views.RDF_TYPE}),
        )
        for iri in sorted(named)
    ]
