"""The page model of any resource: its labels, types, statements grouped by property (values
shown by their labels, literals with their language, blank nodes nested) and what refers to it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from aluekg import namespaces
from aluekg.linkeddata import iris
from aluekg.linkeddata.lang import pick
from aluekg.linkeddata.reading import Row, Term, select
from aluekg.query.backend import Backend

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    # The ontology and the dataset have titles instead of labels.
    "http://purl.org/dc/terms/title",
    # People (contacts) have names: the same properties the queries read as labels.
    "http://www.w3.org/2006/vcard/ns#fn",
    "http://xmlns.com/foaf/0.1/name",
)
# Short names for IRIs without a label of their own, as the data's files write them.
PREFIXES = {namespace: prefix + ":" for prefix, namespace in namespaces.PREFIXES.items()}


def short(iri: str) -> str:
    """A prefixed name for iri if one of PREFIXES fits, else iri itself.

    >>> short("http://www.w3.org/2004/02/skos/core#prefLabel")
    'skos:prefLabel'
    """
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


@dataclass(frozen=True)
class Link:
    """An IRI as a link: where it goes on this server (or elsewhere) and the text it shows."""

    iri: str
    href: str
    text: str
    lang: str = ""
    local: bool = True


@dataclass(frozen=True)
class Literal:
    text: str
    lang: str = ""
    datatype: str = ""


@dataclass
class Nested:
    """A blank node's own statements, shown inside the statement that leads to it."""

    properties: list[Statement] = field(default_factory=list)


Value = Link | Literal | Nested


@dataclass
class Statement:
    property: Link
    values: list[Value]


@dataclass
class ResourceView:
    iri: str
    label: Term | None
    labels: list[Term]
    types: list[Link]
    statements: list[Statement]
    referrers: list[Statement]


class Namer:
    """Turns IRIs into links labelled in the page's language."""

    def __init__(self, lang: str, labels: dict[str, list[Term]] | None = None) -> None:
        self.lang = lang
        self.labels: dict[str, list[Term]] = defaultdict(list, labels or {})

    def add(self, iri: str, label: Term | None) -> None:
        if label is not None and label not in self.labels[iri]:
            self.labels[iri].append(label)

    def link(self, iri: str) -> Link:
        label = pick(self.labels.get(iri, ()), self.lang)
        path = iris.page_path(iri)
        href = iri if path is None else _with_lang(path, self.lang)
        text = label.value if label else short(iri)
        return Link(iri, href, text, label.lang if label else "", path is not None)


def namer(backend: Backend, lang: str) -> Namer:
    """A Namer that knows every class's and property's label."""
    result = Namer(lang)
    for row in select(backend, "type-labels"):
        result.add(row["term"].value, row["label"])
    return result


def resource_view(backend: Backend, iri: str, lang: str) -> ResourceView:
    names = namer(backend, lang)
    rows = select(backend, "outgoing", resource=iri)
    for row in rows:
        names.add(row["p"].value, row.get("propertyLabel"))
        if row["o"].is_iri:
            names.add(row["o"].value, row.get("valueLabel"))
    by_subject: dict[str, dict[str, dict[Term, None]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        by_subject[row["s"].value][row["p"].value][row["o"]] = None
    own = by_subject.get(iri, {})
    labels = [term for p in LABELS for term in own.get(p, {})]
    types = [names.link(term.value) for term in own.get(RDF_TYPE, {})]
    referrers = _referrers(backend, iri, names)
    return ResourceView(
        iri,
        pick(labels, lang),
        labels,
        types,
        statements(own, by_subject, names, skip={RDF_TYPE}),
        referrers,
    )


def statements(
    own: dict[str, dict[Term, None]],
    by_subject: dict[str, dict[str, dict[Term, None]]],
    names: Namer,
    skip: set[str],
    depth: int = 0,
) -> list[Statement]:
    result = []
    for predicate in sorted(own, key=lambda p: names.link(p).text.casefold()):
        if predicate in skip:
            continue
        values: list[Value] = []
        for term in own[predicate]:
            if term.is_iri:
                values.append(names.link(term.value))
            elif term.kind == "bnode" and depth < 3:
                inner = by_subject.get(term.value, {})
                values.append(Nested(statements(inner, by_subject, names, set(), depth + 1)))
            else:
                values.append(Literal(term.value, term.lang, short(term.datatype)))
        values.sort(key=_order)
        result.append(Statement(names.link(predicate), values))
    return result


def _order(value: Value) -> tuple[int, str]:
    if isinstance(value, Link):
        return 0, value.text.casefold()
    if isinstance(value, Literal):
        # The page's language first is done by the template's highlighting; here, a stable order.
        return 1, value.lang + value.text
    return 2, ""


def _referrers(backend: Backend, iri: str, names: Namer) -> list[Statement]:
    grouped: dict[str, dict[str, None]] = defaultdict(dict)
    for row in select(backend, "incoming", resource=iri):
        names.add(row["p"].value, row.get("propertyLabel"))
        names.add(row["s"].value, row.get("subjectLabel"))
        grouped[row["p"].value][row["s"].value] = None
    return [
        Statement(names.link(p), [*distinct(sorted((names.link(s) for s in subjects), key=_order))])
        for p, subjects in grouped.items()
    ]


def distinct(links: list[Link]) -> list[Link]:
    """Links whose texts repeat (a municipality's classification codes of 2022 and 2025 are
    both "Äänekoski") told apart by the end of their IRI."""
    counts: dict[str, int] = defaultdict(int)
    for link in links:
        counts[link.text] += 1
    return [
        replace(link, text=f"{link.text} ({link.iri.removeprefix(iris.BASE)})")
        if counts[link.text] > 1
        else link
        for link in links
    ]


def rows_by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    """Rows grouped by the value of one variable, in first-seen order."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key].value].append(row)
    return grouped


def _with_lang(path: str, lang: str) -> str:
    if lang == "fi":
        return path
    base, hash_, fragment = path.partition("#")
    return f"{base}?lang={lang}{hash_}{fragment}"
