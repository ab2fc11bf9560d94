"""A validation's results: Result and Report, and run(), which has pySHACL validate (through
aluekg.validation.parallel) and reads its report graph into Results, each traced to the file
that describes its resource, with the shapes' messages and the resource's labels.

Knows nothing of output formats (aluekg.validation.reporting) or HTTP.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.term import Node

from aluekg.errors import DataError
from aluekg.validation import parallel

VCARD_FN = URIRef("http://www.w3.org/2006/vcard/ns#fn")
LABELS = (SKOS.prefLabel, RDFS.label, VCARD_FN)
SEVERITIES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, with its messages and where the resource is described."""

    focus: str
    path: str | None
    value: str | None
    severity: str
    shape: str
    component: str
    messages: Mapping[str, str]
    # The sh:sparql node of a SPARQL-based constraint (its shape is the one holding it).
    constraint: str | None = None
    label: Mapping[str, str] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None

    def message(self, lang: str) -> str:
        """The message in lang, else in English, else any."""
        for choice in (lang, "en", ""):
            if choice in self.messages:
                return self.messages[choice]
        return next(iter(self.messages.values()), "")


@dataclass(frozen=True)
class Report:
    conforms: bool
    results: tuple[Result, ...]
    graph: Graph = field(repr=False, compare=False)
    # For each source validated, by name: the IRI its relative IRIs resolved against.
    bases: Mapping[str, str] = field(default_factory=dict)
    # How many processes pySHACL's work was shared between (aluekg.validation.parallel).
    processes: int = field(default=1, compare=False)

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    def serialise(self, rdf_format: str) -> str:
        """The SHACL validation report graph as 'turtle' or 'json-ld' text."""
        return self.graph.serialize(format=rdf_format)

    def of_files(self, names: Collection[str]) -> Report:
        """The results on resources the named sources describe, and whether those conform
        (warnings allowed); the report graph stays whole."""
        results = tuple(result for result in self.results if result.file in names)
        conforms = not any(result.severity == "Violation" for result in results)
        return dataclasses.replace(self, conforms=conforms, results=results)


def run(
    data: Graph,
    shapes: Graph,
    owners: Mapping[Node, str],
    allow_warnings: bool = True,
    processes: int = 1,
) -> Report:
    """pyshacl's report; allow_warnings: warnings and infos alone still conform (our data's rule,
    not SHACL's); processes: how many processes may share the work (aluekg.validation.parallel)."""
    try:
        conforms, graph, shared = parallel.validate(data, shapes, allow_warnings, processes)
    except Exception as exc:  # pyshacl and rdflib's SPARQL raise plain Exception for bad shapes
        raise DataError(f"The shapes cannot be evaluated: {exc}") from None
    found = (_result(graph, node, shapes, data, owners) for node in graph.subjects(SH.focusNode))
    # One shape with two constraints (say sh:datatype and sh:languageIn) and one message fails
    # twice on the same value: the maintainer has one thing to fix, so it is reported once, and
    # the same one whatever order pySHACL found them in (which varies from run to run).
    ordered = sorted(found, key=lambda r: (r.component, sorted(r.messages.items())))
    distinct = {(r.focus, r.path, r.value, r.shape, r.severity, r.constraint): r for r in ordered}
    results = tuple(
        sorted(
            distinct.values(),
            key=lambda r: (r.file or "", r.focus, r.path or "", r.shape, r.value or ""),
        )
    )
    return Report(conforms=conforms, results=results, graph=graph, processes=shared)


def _result(
    report: Graph, node: Node, shapes: Graph, data: Graph, owners: Mapping[Node, str]
) -> Result:
    focus = report.value(node, SH.focusNode)
    shape = report.value(node, SH.sourceShape)
    constraint = report.value(node, SH.sourceConstraint)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = _messages(shapes, constraint) or _messages(shapes, shape)
    if messages:
        messages = {lang: _fill(text, focus, path, value) for lang, text in messages.items()}
    else:
        messages = {m.language or "": str(m) for m in _literals(report, node, SH.resultMessage)}
    return Result(
        focus=_text(focus),
        path=_text(path) if path is not None else None,
        value=_text(value) if value is not None else None,
        severity=_severity(report.value(node, SH.resultSeverity)),
        shape=_text(shape),
        component=_text(report.value(node, SH.sourceConstraintComponent)),
        constraint=_text(constraint) if constraint is not None else None,
        messages=messages,
        label=_labels(data, focus),
        file=owners.get(focus) if focus is not None else None,
    )


def _messages(shapes: Graph, node: Node | None) -> dict[str, str]:
    """sh:message by language, read from the shapes (pyshacl drops tags of SPARQL messages)."""
    if node is None:
        return {}
    return {m.language or "": str(m) for m in _literals(shapes, node, SH.message)}


def _fill(message: str, focus: Node | None, path: Node | None, value: Node | None) -> str:
    """Put the result's terms into {?value}, {$this} and {?path}, as SHACL-SPARQL does."""
    for name, term in (("value", value), ("this", focus), ("path", path)):
        if term is not None:
            for mark in "?$":
                message = message.replace("{" + mark + name + "}", _text(term))
    return message


def _labels(data: Graph, focus: Node | None) -> dict[str, str]:
    if focus is None or isinstance(focus, Literal):
        return {}
    for predicate in LABELS:
        labels = {m.language or "": str(m) for m in _literals(data, focus, predicate)}
        if labels:
            return labels
    return {}


def _literals(graph: Graph, subject: Node, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


def _severity(node: Node | None) -> str:
    return SEVERITIES.get(node, "Violation") if node is not None else "Violation"


def _text(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return "" if node is None else str(node)
