"""The ontology page, generated from what ontology/ and ontology/vocab/ put in the store: the
classes, properties and datatypes with labels, definitions, super-terms, domains and ranges, and
the code lists with their concepts.

Written as a template rather than with pyLODE: pyLODE reads files with rdflib and renders its own
page, while this page must read the store through the Backend seam (so it works on a remote
store), speak the site's three languages, carry the site's search box and links, and show the
code lists beside the terms; and pyLODE would bring its own dependency tree for one page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from aluekg.linkeddata.lang import pick
from aluekg.linkeddata.reading import Term, select
from aluekg.linkeddata.views import Link, Namer, short
from aluekg.query.backend import Backend

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# The sections of the page, by the kind of term.
KINDS = (
    (OWL + "Class", "classes"),
    (OWL + "ObjectProperty", "object_properties"),
    (OWL + "DatatypeProperty", "datatype_properties"),
    (RDFS + "Datatype", "datatypes"),
)


@dataclass
class TermView:
    iri: str
    anchor: str
    labels: dict[str, str]
    definition: Term | None
    supers: list[Link]
    domains: list[Link]
    ranges: list[Link]


@dataclass
class CodeList:
    link: Link
    concepts: list[tuple[Link, Term | None]] = field(default_factory=list)


@dataclass
class OntologyView:
    sections: list[tuple[str, list[TermView]]]
    code_lists: list[CodeList]


def ontology_view(backend: Backend, iri: str, names: Namer) -> OntologyView:
    rows = select(backend, "ontology-terms", resource=iri)
    kinds: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, Term]] = defaultdict(dict)
    definitions: dict[str, dict[str, Term]] = defaultdict(dict)
    related: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        term = row["term"].value
        kinds[term].add(row["kind"].value)
        if "label" in row:
            labels[term][row["label"].lang] = row["label"]
            names.add(term, row["label"])
        if "definition" in row:
            definitions[term][row["definition"].lang] = row["definition"]
        for key in ("super", "domain", "range"):
            if key in row:
                related[term][key][row[key].value] = None
    sections = []
    for kind, name in KINDS:
        terms = sorted((t for t in kinds if kind in kinds[t]), key=lambda t: short(t).casefold())
        views = [
            TermView(
                term,
                term.rpartition("#")[2],
                {lang: label.value for lang, label in sorted(labels[term].items())},
                pick(definitions[term].values(), names.lang),
                _links(names, related[term]["super"]),
                _links(names, related[term]["domain"]),
                _links(names, related[term]["range"]),
            )
            for term in terms
        ]
        if views:
            sections.append((name, views))
    return OntologyView(sections, _code_lists(backend, names))


def _links(names: Namer, iris: dict[str, None]) -> list[Link]:
    return sorted((names.link(iri) for iri in iris), key=lambda link: link.text.casefold())


def _code_lists(backend: Backend, names: Namer) -> list[CodeList]:
    schemes: dict[str, dict[str, list[Term]]] = defaultdict(dict)
    definitions: dict[str, list[Term]] = defaultdict(list)
    for row in select(backend, "code-lists"):
        scheme = row["scheme"].value
        names.add(scheme, row.get("schemeLabel"))
        if "concept" in row:
            concept = row["concept"].value
            schemes[scheme].setdefault(concept, [])
            names.add(concept, row.get("label"))
            if "definition" in row and row["definition"] not in definitions[concept]:
                definitions[concept].append(row["definition"])
        else:
            schemes.setdefault(scheme, {})
    lists = [
        CodeList(
            names.link(scheme),
            sorted(
                ((names.link(c), pick(definitions[c], names.lang)) for c in concepts),
                key=lambda pair: pair[0].text.casefold(),
            ),
        )
        for scheme, concepts in schemes.items()
    ]
    return sorted(lists, key=lambda code_list: code_list.link.text.casefold())
