"""Which page shows a document, and the index, search, graph and not-found pages: each gathers
its page model through the backend and hands it to its template."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request, Response

from aluekg.linkeddata import areas, iris, ontology, programmes, search, shapes, views
from aluekg.linkeddata.iris import Document
from aluekg.linkeddata.lang import pick
from aluekg.linkeddata.reading import Row, select
from aluekg.linkeddata.render import page
from aluekg.query.backend import Backend
from aluekg.query.store import Store

INDEXES = search.Indexes()
DESCRIBE = "DESCRIBE <{iri}>"


def html(
    request: Request, backend: Backend, doc: Document, lang: str, headers: dict[str, str]
) -> Response:
    """The HTML page of a document that exists."""
    if doc.iri == iris.BASE:
        return index(request, backend, lang, headers)
    if doc.iri == iris.SHAPES and isinstance(backend, Store):
        context = {"shapes": shapes.shape_views(backend, lang), "formats": _formats(doc.path)}
        return page(request, "shapes.html", lang, context, headers=headers)
    view = views.resource_view(backend, doc.iri, lang)
    context = {"view": view, "doc": doc, "formats": _formats(doc.path), "sparql": _sparql(doc)}
    types = {link.iri for link in view.types}
    template = "resource.html"
    if doc.iri == iris.ONTOLOGY:
        context["ontology"] = ontology.ontology_view(backend, doc.iri, views.namer(backend, lang))
        template = "ontology.html"
    elif programmes.PROGRAMME in types:
        names = views.namer(backend, lang)
        context["programme"] = programmes.programme_view(backend, doc.iri, names)
        template = "programme.html"
    elif types & areas.AREA_TYPES:
        context["area"] = areas.area_view(backend, doc.iri, views.namer(backend, lang))
        template = "area.html"
    if doc.path.startswith("/graph/"):
        names = views.Namer(lang)
        subjects: dict[str, None] = {}
        for row in select(backend, "graph-subjects", resource=doc.iri):
            names.add(row["s"].value, row.get("label"))
            subjects[row["s"].value] = None
        context["members"] = sorted((names.link(s) for s in subjects), key=lambda k: k.text)
    return page(request, template, lang, context, headers=headers)


@dataclass(frozen=True)
class ProgrammeItem:
    link: views.Link
    type: views.Link | None
    areas: list[views.Link]
    start: str
    end: str


def index(request: Request, backend: Backend, lang: str, headers: dict[str, str]) -> Response:
    dataset = select(backend, "index-dataset", resource=iris.BASE)
    names = views.Namer(lang)
    rows = views.rows_by(select(backend, "index-programmes"), "programme")
    for programme, its_rows in rows.items():
        for row in its_rows:
            names.add(programme, row["label"])
            for key, label in (("type", "typeLabel"), ("area", "areaLabel")):
                if key in row:
                    names.add(row[key].value, row.get(label))
    programmes = sorted(
        (_programme_item(names, programme, its_rows) for programme, its_rows in rows.items()),
        key=lambda item: item.link.text,
    )
    regions = views.Namer(lang)
    codes: dict[str, str] = {}
    for row in select(backend, "index-regions"):
        regions.add(row["region"].value, row["label"])
        codes[row["region"].value] = row["code"].value if "code" in row else ""
    context = {
        "title": pick([row["title"] for row in dataset if "title" in row], lang),
        "description": pick([r["description"] for r in dataset if "description" in r], lang),
        "license": next((row["license"].value for row in dataset if "license" in row), None),
        "programmes": programmes,
        "regions": [(regions.link(iri), code) for iri, code in codes.items()],
    }
    return page(request, "index.html", lang, context, headers=headers)


def _programme_item(names: views.Namer, programme: str, rows: list[Row]) -> ProgrammeItem:
    row = rows[0]
    areas = {r["area"].value: None for r in rows if "area" in r}
    return ProgrammeItem(
        names.link(programme),
        names.link(row["type"].value) if "type" in row else None,
        sorted((names.link(area) for area in areas), key=lambda link: link.text.casefold()),
        row["start"].value if "start" in row else "",
        row["end"].value if "end" in row else "",
    )


def search_page(request: Request, backend: Backend, text: str, lang: str) -> Response:
    """Hits grouped by type, the groups in order of their best hit."""
    hits = INDEXES.get(backend).search(text, lang) if text.strip() else []
    names = views.namer(backend, lang)
    groups: dict[str, list[views.Link]] = {}
    # aluekg's own classes name the groups before reused ones (skos:Concept, prov:Activity…),
    # so a municipality is found among municipalities before its classification codes.
    hits = sorted(hits, key=lambda hit: not _own_type(hit.types))
    for hit in hits:
        types = sorted(hit.types, key=lambda iri: not iri.startswith(iris.ONTOLOGY))
        group = names.link(types[0]).text if types else ""
        link = names.link(hit.iri)
        groups.setdefault(group, []).append(
            views.Link(hit.iri, link.href, hit.label.value, hit.label.lang)
        )
    context = {"q": text, "groups": list(groups.items()), "searched": bool(text.strip())}
    return page(request, "search.html", lang, context)


def _own_type(types: tuple[str, ...]) -> bool:
    return any(iri.startswith(iris.ONTOLOGY) for iri in types)


def not_found(request: Request, iri: str, lang: str) -> Response:
    return page(request, "not_found.html", lang, {"iri": iri}, status=404)


def _formats(path: str) -> list[tuple[str, str]]:
    return [(ext, f"{path}.{ext}") for ext in iris.EXTENSIONS if ext != "html"]


def _sparql(doc: Document) -> str:
    # YASGUI reads a query from the page's fragment (#query=…), so the link opens the editor.
    return "/sparql#" + urlencode({"query": DESCRIBE.replace("{iri}", doc.iri)})
