"""SHACL validation with pyshacl: which graphs go in, and each result traced to its file.

The ontology and code lists go into the data graph, as pyshacl's ont_graph would put them, so
that instances of subclasses meet the shapes of their superclasses (ontology guide §f.5). Knows
nothing of output formats (aluekg.reporting) or HTTP.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from aluekg import __version__, syntax
from aluekg.config import Settings
from aluekg.errors import DataError

VCARD_FN = URIRef("http://www.w3.org/2006/vcard/ns#fn")
LABELS = (SKOS.prefLabel, RDFS.label, VCARD_FN)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    def serialise(self, rdf_format: str) -> str:
        """The SHACL validation report graph as 'turtle' or 'json-ld' text."""
        return self.graph.serialize(format=rdf_format)


@dataclass(frozen=True)
class Source:
    """RDF text to validate and the name errors and results call it by."""

    name: str
    body: bytes
    media_type: str


def read(paths: Iterable[Path]) -> list[Source]:
    """Read files (and the RDF files of folders) as Sources; DataError naming an unreadable one."""
    sources = []
    for path in _expand(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror}") from None
        sources.append(Source(_display(path), body, syntax.media_type_of(path)))
    return sources


def _expand(paths: Iterable[Path]) -> list[Path]:
    return [
        found for path in paths for found in (syntax.rdf_files(path) if path.is_dir() else [path])
    ]


def fingerprint(settings: Settings, files: Sequence[Path] = ()) -> str:
    """A digest of everything a validation of files (default: ontology/ and data/) depends on:
    the shapes, ontology and data files' paths and bytes, and the aluekg and pyshacl versions."""
    inputs = [
        *_expand(files),
        *(
            path
            for folder in (settings.shapes_dir, settings.ontology_dir, settings.data_dir)
            for path in syntax.rdf_files(folder)
        ),
    ]
    digest = hashlib.sha256(f"aluekg {__version__} pyshacl {pyshacl.__version__}".encode())
    for source in read(inputs):
        digest.update(b"\0" + source.name.encode() + b"\0" + source.body)
    return digest.hexdigest()


def validate_repository(settings: Settings) -> Report:
    """Validate ontology/ and data/ against shapes/, reporting every result."""
    data = read(syntax.rdf_files(settings.data_dir))
    return validate(data, settings, context=(), only_sources=False)


def validate_files(paths: Sequence[Path], settings: Settings) -> Report:
    """Validate files in the context of the ontology, code lists and existing data."""
    given = {path.resolve() for path in paths}
    context = [path for path in syntax.rdf_files(settings.data_dir) if path.resolve() not in given]
    return validate(read(paths), settings, context=read(context))


def validate_text(body: bytes, media_type: str, settings: Settings, name: str) -> Report:
    """Validate an upload in the context of the ontology, code lists and existing data."""
    context = read(syntax.rdf_files(settings.data_dir))
    return validate([Source(name, body, media_type)], settings, context=context)


def validate_against(paths: Sequence[Path], shape_paths: Sequence[Path]) -> Report:
    """Validate files against the given shapes alone, as `pyshacl -a -w -s SHAPES FILE` does."""
    data, owners = _load(read(paths))
    shapes, _ = _load(read(shape_paths))
    return _run(data, shapes, owners)


def validate(
    sources: Sequence[Source],
    settings: Settings,
    context: Sequence[Source],
    only_sources: bool = True,
) -> Report:
    """Validate sources in the context of other data, the ontology and the code lists, against
    shapes/; only_sources: report only the results on resources the sources describe."""
    # The ontology and code lists go into the data graph itself: that is what pyshacl's ont_graph
    # does (so subclass instances meet their superclass shapes, §f.5), minus a copy of the data.
    data, owners = _load(sources)
    _, background = _load([*context, *read(syntax.rdf_files(settings.ontology_dir))], data)
    shapes, _ = _load(read(syntax.rdf_files(settings.shapes_dir)))
    report = _run(data, shapes, {**background, **owners})
    if not only_sources:
        return report
    names = {source.name for source in sources}
    results = tuple(result for result in report.results if result.file in names)
    conforms = not any(result.severity == "Violation" for result in results)
    return Report(conforms=conforms, results=results, graph=report.graph)


def _run(data: Graph, shapes: Graph, owners: Mapping[Node, str]) -> Report:
    conforms, graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        # The data graph is built for this one call, so pyshacl may work in it without a copy.
        inplace=True,
    )
    assert isinstance(graph, Graph)
    found = (_result(graph, node, shapes, data, owners) for node in graph.subjects(SH.focusNode))
    # One shape with two constraints (say sh:datatype and sh:languageIn) and one message fails
    # twice on the same value: the maintainer has one thing to fix, so it is reported once.
    distinct = {(r.focus, r.path, r.value, r.shape, r.severity, r.constraint): r for r in found}
    results = tuple(
        sorted(
            distinct.values(),
            key=lambda r: (r.file or "", r.focus, r.path or "", r.shape, r.value or ""),
        )
    )
    return Report(conforms=bool(conforms), results=results, graph=graph)


def _load(sources: Sequence[Source], graph: Graph | None = None) -> tuple[Graph, dict[Node, str]]:
    """All sources in one graph (a new one, or the one given), and for each subject the source
    that types it, else the first that mentions it.

    pyoxigraph parses (it names line and column, and is faster than rdflib's parsers); its
    triples go straight into the one graph.
    """
    graph = Graph() if graph is None else graph
    mentioned: dict[Node, str] = {}
    typed: dict[Node, str] = {}
    for source in sources:
        blanks: dict[str, BNode] = {}
        triples = [
            (_node(s, blanks), _node(p, blanks), _node(o, blanks))
            for s, p, o in syntax.triples(source.body, source.media_type, source.name)
        ]
        for subject, predicate, _ in triples:
            mentioned.setdefault(subject, source.name)
            if predicate == RDF.type:
                typed.setdefault(subject, source.name)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph, {**mentioned, **typed}


def _node(term: tuple[str, ...], blanks: dict[str, BNode]) -> Node:
    kind, value = term[0], term[1]
    if kind == "iri":
        return URIRef(value)
    if kind == "blank":
        # Blank nodes are local to their file: the same label in two files is two nodes.
        return blanks.setdefault(value, BNode())
    datatype, language = term[2], term[3]
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


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


def _display(path: Path) -> str:
    """A path as the user knows it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
