"""A deterministic Turtle writer: sorted blocks, one per subject, no blank nodes.

rdflib's serializer orders predicates alphabetically after rdf:type and declares prefixes it
binds by default; STYLE §2.14 wants `a` first and labels next, so the registry writes its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from aluekg.registry.terms import BASE, DCTERMS, IRI, PREFIXES, SKOS, SOURCE, TYPE, Term, Triple

LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
RELATIVE = re.compile(r"[a-z][a-z0-9-]*(/[A-Za-z0-9_-]+)+")
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# `a` first, then names and codes; the rest by prefixed name; the sources last.
FIRST_PREDICATES = (
    TYPE,
    SKOS("prefLabel"),
    DCTERMS("title"),
    DCTERMS("description"),
    SKOS("notation"),
    SKOS("inScheme"),
)
LANGUAGE_ORDER = {"fi": 0, "sv": 1, "en": 2}
WIDTH = 100


class Writer:
    """Formats terms for one file and remembers which prefixes it used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def iri(self, iri: IRI) -> str:
        value = iri.value
        if FORBIDDEN_IN_IRI.search(value):
            raise ValueError(f"not writable as an IRI: {value!r}")
        if value.startswith(BASE) and RELATIVE.fullmatch(value[len(BASE) :]):
            return f"<{value[len(BASE) :]}>"
        for prefix, namespace in PREFIXES.items():
            local = value[len(namespace) :]
            if value.startswith(namespace) and LOCAL_NAME.fullmatch(local):
                self.used.add(prefix)
                return f"{prefix}:{local}"
        return f"<{value}>"

    def term(self, term: Term) -> str:
        if isinstance(term, IRI):
            return self.iri(term)
        text = '"' + escape(term.lexical) + '"'
        if term.lang:
            return f"{text}@{term.lang}"
        if term.datatype:
            return f"{text}^^{self.iri(IRI(term.datatype))}"
        return text


def escape(text: str) -> str:
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    return text


def predicate_key(writer: Writer, predicate: IRI) -> tuple[int, str]:
    if predicate in FIRST_PREDICATES:
        return FIRST_PREDICATES.index(predicate), ""
    return len(FIRST_PREDICATES) + (predicate == SOURCE), writer.iri(predicate)


def object_key(term: Term) -> tuple[int, int, str, str]:
    if isinstance(term, IRI):
        return 0, 0, term.value, ""
    return 1, LANGUAGE_ORDER.get(term.lang, 9), term.lang + term.datatype, term.lexical


def block(writer: Writer, subject: IRI, properties: dict[IRI, set[Term]]) -> str:
    lines = [writer.iri(subject)]
    predicates = sorted(properties, key=lambda p: predicate_key(writer, p))
    for number, predicate in enumerate(predicates):
        name = "a" if predicate == TYPE else writer.iri(predicate)
        objects = [writer.term(o) for o in sorted(properties[predicate], key=object_key)]
        end = " ." if number == len(predicates) - 1 else " ;"
        line = f"    {name} {' , '.join(objects)}{end}"
        if len(line) > WIDTH and len(objects) > 1:
            line = f"    {name} " + " ,\n        ".join(objects) + end
        lines.append(line)
    return "\n".join(lines) + "\n"


def serialise(header: Iterable[str], triples: Iterable[Triple]) -> str:
    """Turtle text: the header as `#` comments, @base, the used prefixes, one block per subject."""
    graph: dict[IRI, dict[IRI, set[Term]]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, obj in triples:
        graph[subject][predicate].add(obj)
    writer = Writer()
    blocks = [block(writer, s, graph[s]) for s in sorted(graph, key=lambda s: s.value)]
    column = max(len(f"@prefix {p}:") for p in [*writer.used, "x"]) + 1
    declarations = [f"{'@base':<{column}}<{BASE}> ."] + [
        f"{'@prefix ' + prefix + ':':<{column}}<{PREFIXES[prefix]}> ."
        for prefix in sorted(writer.used)
    ]
    comments = [f"# {line}".rstrip() for line in header]
    return "\n".join([*comments, "", *declarations, "", "\n".join(blocks)]).rstrip("\n") + "\n"
