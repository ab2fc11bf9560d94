"""SHACL validation with pyshacl: which graphs go in, and each result traced to its file.

The ontology and code lists go into the data graph, as pyshacl's ont_graph would put them, so
that instances of subclasses meet the shapes of their superclasses (ontology guide §f.5). Relative
IRIs resolve against each source's base (a file's file: IRI); data, which must use absolute IRIs,
gets a violation where it uses a relative one (issue 12). Knows nothing of output formats
(aluekg.reporting) or HTTP.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from aluekg import __version__, parallel, syntax, targets
from aluekg.config import Settings
from aluekg.errors import DataError

VCARD_FN = URIRef("http://www.w3.org/2006/vcard/ns#fn")
LABELS = (SKOS.prefLabel, RDFS.label, VCARD_FN)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Uploads and pasted text have no address of their own; their relative IRIs resolve against this
# followed by the name they are reported by (documented in README, named in the report).
UPLOAD_BASE = "https://w3id.org/aluekg/upload/"
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
    # How many processes pySHACL's work was shared between (aluekg.parallel).
    processes: int = field(default=1, compare=False)

    def count(self, severity: str) -> int:
        return sum(1 for result in self.results if result.severity == severity)

    def serialise(self, rdf_format: str) -> str:
        """The SHACL validation report graph as 'turtle' or 'json-ld' text."""
        return self.graph.serialize(format=rdf_format)


@dataclass(frozen=True)
class Relative:
    """A source that uses a relative IRI, and where it first does."""

    name: str
    base: str
    where: syntax.RelativeIri


@dataclass(frozen=True)
class Source:
    """RDF text to validate, the name errors and results call it by, and the IRI its relative
    IRIs resolve against."""

    name: str
    body: bytes
    media_type: str
    base: str


def read(paths: Iterable[Path]) -> list[Source]:
    """Read files (and the RDF files of folders) as Sources; DataError naming an unreadable one."""
    sources = []
    for path in _expand(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror}") from None
        sources.append(
            Source(_display(path), body, syntax.media_type_of(path), syntax.base_of(path))
        )
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
    digest = hashlib.sha256(f"aluekg {__version__} pyshacl {version('pyshacl')}".encode())
    for source in read(inputs):
        digest.update(b"\0" + source.name.encode() + b"\0" + source.body)
    return digest.hexdigest()


def validate_repository(
    settings: Settings, *, targets_on_pyoxigraph: bool = True, processes: int | None = None
) -> Report:
    """Validate ontology/ and data/ against shapes/, reporting every result; processes: how many
    share the work (default: parallel.processes())."""
    data = read(syntax.rdf_files(settings.data_dir))
    return validate(
        data,
        settings,
        context=(),
        only_sources=False,
        targets_on_pyoxigraph=targets_on_pyoxigraph,
        processes=processes,
    )


def validate_files(paths: Sequence[Path], settings: Settings) -> Report:
    """Validate files in the context of the ontology, code lists and existing data."""
    given = {path.resolve() for path in paths}
    context = [path for path in syntax.rdf_files(settings.data_dir) if path.resolve() not in given]
    return validate(read(paths), settings, context=read(context), processes=None)


def validate_text(body: bytes, media_type: str, settings: Settings, name: str) -> Report:
    """Validate an upload in the context of the ontology, code lists and existing data; its
    relative IRIs resolve against upload_base(name)."""
    context = read(syntax.rdf_files(settings.data_dir))
    source = Source(name, body, media_type, upload_base(name))
    return validate([source], settings, context=context)


def upload_base(name: str) -> str:
    """The IRI that an upload's relative IRIs resolve against.

    >>> upload_base("my programme.ttl")
    'https://w3id.org/aluekg/upload/my%20programme.ttl'
    """
    return UPLOAD_BASE + quote(name, safe="")


def validate_against(paths: Sequence[Path], shape_paths: Sequence[Path]) -> Report:
    """Validate files against the given shapes alone, as `pyshacl -a -s SHAPES FILE` does: any
    result, a warning too, makes the data not conform, as in SHACL (the W3C suite expects it)."""
    sources = read(paths)
    # pySHACL's own command takes relative IRIs as they resolve: they are no error here.
    data, owners, _ = load_sources(sources)
    shapes = load_shapes(read(shape_paths))
    # pyshacl resolves a SPARQL constraint's undeclared prefixes as the files bound them.
    _bind_prefixes(data, sources)
    report = run(data, shapes, owners, allow_warnings=False)
    return dataclasses.replace(report, bases=_bases(sources))


def validate(
    sources: Sequence[Source],
    settings: Settings,
    context: Sequence[Source],
    only_sources: bool = True,
    targets_on_pyoxigraph: bool = True,
    processes: int | None = 1,
) -> Report:
    """Validate sources in the context of other data, the ontology and the code lists, against
    shapes/; only_sources: report only the results on resources the sources describe;
    targets_on_pyoxigraph: SPARQL targets are selected by pyoxigraph (aluekg.targets), else by
    pySHACL itself (the same verdict, minutes slower at 10^5 triples); processes: how many
    processes may share pySHACL's work (aluekg.parallel: the same verdict; None: as many as
    parallel.processes() gives for the graph's size)."""
    # The ontology and code lists go into the data graph itself: that is what pyshacl's ont_graph
    # does (so subclass instances meet their superclass shapes, §f.5), minus a copy of the data.
    data, owners, relative = load_sources(sources)
    background_sources = [*context, *read(syntax.rdf_files(settings.ontology_dir))]
    _, background, background_relative = load_sources(background_sources, data)
    shapes = load_shapes(read(syntax.rdf_files(settings.shapes_dir)))
    if targets_on_pyoxigraph:
        shapes = targets.select_on_pyoxigraph(shapes, data)
    shares = parallel.processes(len(data)) if processes is None else processes
    report = run(data, shapes, {**background, **owners}, processes=shares)
    report = with_relative_iris(report, [*relative, *background_relative])
    report = dataclasses.replace(report, bases=_bases(sources))
    if not only_sources:
        return report
    names = {source.name for source in sources}
    results = tuple(result for result in report.results if result.file in names)
    conforms = not any(result.severity == "Violation" for result in results)
    return dataclasses.replace(report, conforms=conforms, results=results)


def _bases(sources: Sequence[Source]) -> dict[str, str]:
    return {source.name: source.base for source in sources}


def with_relative_iris(report: Report, found: Sequence[Relative]) -> Report:
    """The report with a violation for each source that uses a relative IRI, in its results and
    in its graph (with no sh:sourceShape: the rule is checked while reading, not by a shape)."""
    if not found:
        return report
    results = [_relative_result(each) for each in found]
    graph = report.graph
    node = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert node is not None, "pyshacl's report graph has its report node"
    graph.set((node, SH.conforms, Literal(False)))
    for result in results:
        added = BNode()
        graph.add((node, SH.result, added))
        graph.add((added, RDF.type, SH.ValidationResult))
        graph.add((added, SH.focusNode, URIRef(result.focus)))
        graph.add((added, SH.resultSeverity, SH.Violation))
        if result.value is not None:
            graph.add((added, SH.value, Literal(result.value)))
        for lang, message in result.messages.items():
            graph.add((added, SH.resultMessage, Literal(message, lang=lang)))
    return dataclasses.replace(
        report, conforms=False, results=(*report.results, *results), graph=graph
    )


def _relative_result(found: Relative) -> Result:
    written = found.where.written or "a relative IRI"
    messages = {
        "en": f"{written} is a relative IRI: it resolves against <{found.base}>, where this file "
        "happens to be, so it names nothing others can use; write it in full "
        "(https://w3id.org/aluekg/id/…)",
        "fi": f"{written} on suhteellinen IRI: se tulkitaan tämän tiedoston sijainnin "
        f"<{found.base}> mukaan, eikä se nimeä mitään, mihin muut voisivat viitata; kirjoita "
        "se kokonaan (https://w3id.org/aluekg/id/…)",
    }
    return Result(
        focus=found.base,
        path=None,
        value=found.where.written,
        severity="Violation",
        shape="",
        component="",
        messages=messages,
        file=found.name,
        line=found.where.line,
    )


def run(
    data: Graph,
    shapes: Graph,
    owners: Mapping[Node, str],
    allow_warnings: bool = True,
    processes: int = 1,
) -> Report:
    """pyshacl's report; allow_warnings: warnings and infos alone still conform (our data's rule,
    not SHACL's); processes: how many processes may share the work (aluekg.parallel)."""
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


def load_sources(
    sources: Sequence[Source], graph: Graph | None = None
) -> tuple[Graph, dict[Node, str], list[Relative]]:
    """All sources in one graph (a new one, or the one given), for each subject the source
    that types it, else the first that mentions it, and the sources that use relative IRIs.

    pyoxigraph parses (it names line and column, and is faster than rdflib's parsers); its
    triples go straight into the one graph.
    """
    graph = Graph() if graph is None else graph
    mentioned: dict[Node, str] = {}
    typed: dict[Node, str] = {}
    relative: list[Relative] = []
    # One rdflib term per IRI and literal: made once (rdflib parses a literal's value as it makes
    # it), and the graph's indexes then find a term by identity before comparing it.
    terms: dict[syntax.Term, Node] = {}
    for source in sources:
        parsed, where = syntax.parse(source.body, source.media_type, source.name, source.base)
        if where is not None:
            relative.append(Relative(source.name, source.base, where))
        blanks: dict[str, BNode] = {}
        triples = [
            (_term(s, terms, blanks), _term(p, terms, blanks), _term(o, terms, blanks))
            for s, p, o in parsed
        ]
        for subject, predicate, _ in triples:
            mentioned.setdefault(subject, source.name)
            if predicate == RDF.type:
                typed.setdefault(subject, source.name)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph, {**mentioned, **typed}, relative


def load_shapes(sources: Sequence[Source]) -> Graph:
    """The shapes in one graph, their literals read as pyshacl reads a shapes file: as written,
    and only "true" a true xsd:boolean (W3C SHACL test core/property/uniqueLang-002)."""
    # rdflib computes a literal's value when it is made, so pyshacl's switch must be on then;
    # pyshacl turns it on (globally, as here) only while it reads a shapes file itself.
    # pySHACL is imported only when something is validated: `serve` with data whose stamp
    # matches starts without it, a fifth of a second sooner (bench/README.md, "Startup").
    from pyshacl.monkey import rdflib_bool_patch, rdflib_bool_unpatch

    rdflib_bool_patch()  # type: ignore[no-untyped-call]
    try:
        graph = load_sources(sources)[0]
    finally:
        rdflib_bool_unpatch()  # type: ignore[no-untyped-call]
    _bind_prefixes(graph, sources)
    return graph


def _bind_prefixes(graph: Graph, sources: Sequence[Source]) -> None:
    """Bind the prefixes the sources declare, as rdflib's own parsing of them would: SHACL-SPARQL
    without sh:prefixes resolves its prefixes so in pyshacl."""
    for source in sources:
        for prefix, namespace in syntax.prefixes(source.body, source.media_type).items():
            graph.bind(prefix, namespace, override=False)


def _term(term: syntax.Term, terms: dict[syntax.Term, Node], blanks: dict[str, BNode]) -> Node:
    if term[0] == "blank":
        return _node(term, blanks)
    found = terms.get(term)
    if found is None:
        found = terms[term] = _node(term, blanks)
    return found


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
