"""Focus nodes chosen outside pySHACL (issue 11): SPARQL targets selected by pyoxigraph instead of
rdflib's SPARQL engine, targets narrowed to the nodes that can fail a few costly rules, and
targets narrowed to an upload's own resources.

pySHACL stays the validator of record: each `sh:target [ a sh:SPARQLTarget ; sh:select Q ]` of
the shapes is replaced by one `sh:targetNode` per node that Q selects from the data graph on
pyoxigraph, so pySHACL judges exactly the nodes it would have selected and evaluates every
constraint itself; only the selection runs on the faster engine. Those selections are joins over
the whole graph: at 10^5 triples rdflib's engine took about 165 s of a 177 s validation for them.
A target pyoxigraph cannot evaluate, or one whose query reads the shapes graph, stays pySHACL's.

A few rules pySHACL evaluates slowly on every node although almost none fails them (whitespace
in 14 kinds of text, each area's names by language: over half of its time on the repository)
have a candidate query in candidates/, which selects on pyoxigraph every node that can fail the
rule and maybe more; the shape's targets are narrowed to those nodes, and pySHACL judges them.
A node left out would have passed, so the report is the same. Each query names the digest of the
shape it was written for, and is not used once the shape has changed (a test says so first).

None of this is done where the shapes hold SHACL rules (sh:rule): pySHACL's advanced mode runs
them first, in the data graph, and the triples they add can make nodes targets or failures that
a selection made beforehand never saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

CANDIDATES = Path(__file__).parent / "candidates"
# What only names or explains a shape, and so is no part of what a candidate query depends on.
ANNOTATIONS = frozenset({SH.name, SH.description, SH.message, RDFS.label, RDFS.comment})
# SHACL Core's targets: the nodes each selects, a list of sh:targetNode can stand for.
CORE_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
# Variables pySHACL pre-binds in a target's query besides ?this; a query naming one needs them.
PRE_BOUND = ("$currentShape", "$shapesGraph", "?currentShape", "?shapesGraph")


@dataclass(frozen=True)
class Target:
    """A SPARQL target: the shape it belongs to, its node in the shapes graph, its query."""

    shape: Node
    node: Node
    select: str
    prefixes: dict[str, str]


@dataclass(frozen=True)
class Candidates:
    """A query that selects every node that can fail a shape, and the digest of the shape it
    was written for (digest())."""

    shape: URIRef
    digest: str
    select: str


def select_on_pyoxigraph(shapes: Graph, data: Graph) -> Graph:
    """shapes with each SPARQL target replaced by the nodes it selects from data, and each shape
    with a candidate query narrowed to the nodes it selects (changed in place and returned)."""
    if _ruled(shapes):
        return shapes
    queries = [each for each in candidate_queries() if each.digest == digest(shapes, each.shape)]
    if not queries and not any(True for _ in sparql_targets(shapes)):
        return shapes
    selector = Selector(data)
    selector.select(shapes)
    classes = _Classes(data)
    for each in queries:
        nodes = selector.nodes(Target(each.shape, each.shape, each.select, {}))
        if nodes is not None:
            _restrict(shapes, each.shape, data, set(nodes), classes)
    return shapes


@cache
def candidate_queries() -> tuple[Candidates, ...]:
    """The candidate queries in candidates/, each with the shape and digest its head names."""
    found = []
    for path in sorted(CANDIDATES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        head = dict(
            line[2:].split(": ", 1) for line in text.splitlines()[:2] if line.startswith("# ")
        )
        found.append(Candidates(URIRef(head["shape"]), head["digest"], text))
    return tuple(found)


def digest(shapes: Graph, shape: Node) -> str:
    """A digest of what defines a shape: its triples, and those of the nodes they lead to that
    the shapes graph describes (paths, lists, nested shapes, named ones too), and of each
    constraint component declared there that takes one of their predicates as a parameter,
    annotations left out, with blank nodes labelled canonically."""
    described = _described(shapes, [shape], Graph())
    used = set(described.predicates())
    # A component declared anywhere applies wherever its parameters are given (SHACL §6).
    components = [
        component
        for component in shapes.subjects(RDF.type, SH.ConstraintComponent)
        if any(
            shapes.value(parameter, SH.path) in used
            for parameter in shapes.objects(component, SH.parameter)
        )
    ]
    described = _described(shapes, components, described)
    lines = sorted(to_canonical_graph(described).serialize(format="nt").splitlines())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _described(shapes: Graph, nodes: list[Node], described: Graph) -> Graph:
    """described with the triples of nodes and of the nodes they lead to (digest())."""
    pending, seen = list(nodes), set()
    while pending:
        node = pending.pop()
        seen.add(node)
        for predicate, value in shapes.predicate_objects(node):
            if predicate in ANNOTATIONS:
                continue
            described.add((node, predicate, value))
            # A named shape it leads to (sh:node alush:X) defines it as a blank one does.
            if value not in seen and (value, None, None) in shapes:
                pending.append(value)
    return described


class Selector:
    """A pyoxigraph copy of a data graph, to select SPARQL targets from; triples may be added to
    it and removed again, as an upload is to its prepared context."""

    def __init__(self, data: Graph) -> None:
        self._store = _store(data)

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._store.extend(_quad(triple) for triple in triples)

    def remove(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        for triple in triples:
            self._store.remove(_quad(triple))

    def nodes(self, target: Target) -> list[Node] | None:
        """The nodes the target selects, or None where pyoxigraph cannot evaluate its query."""
        return _select(self._store, target)

    def select(self, shapes: Graph) -> Graph:
        """shapes with each SPARQL target replaced by the nodes it selects (changed in place)."""
        if _ruled(shapes):
            return shapes
        for target in list(sparql_targets(shapes)):
            nodes = self.nodes(target)
            if nodes is None:
                continue
            shapes.remove((target.shape, SH.target, target.node))
            for node in nodes:
                shapes.add((target.shape, SH.targetNode, node))
        return shapes


def sparql_targets(shapes: Graph) -> Iterator[Target]:
    """The SPARQL targets of shapes that pyoxigraph can select alone."""
    for shape, node in shapes.subject_objects(SH.target):
        select = shapes.value(node, SH.select)
        if (node, RDF.type, SH.SPARQLTarget) not in shapes or not isinstance(select, Literal):
            continue
        if any(name in str(select) for name in PRE_BOUND):
            continue
        yield Target(shape, node, str(select), _prefixes(shapes, node))


def restrict(shapes: Graph, data: Graph, nodes: set[Node]) -> Graph:
    """shapes with every target narrowed to the given nodes (changed in place and returned).

    The results on a focus node do not depend on which other nodes are validated, so validating
    an upload's own resources alone gives the results that filtering a whole-graph report to
    them gives, at a fraction of the cost. A shape with a target this does not know (a SPARQL
    target left to pySHACL, or a shape that is a class itself) is left as it is, and so are all
    where the shapes hold SHACL rules (module docstring).
    """
    if _ruled(shapes):
        return shapes
    classes = _Classes(data)
    for shape in set(shapes.subjects(predicate=None, object=None, unique=True)):
        _restrict(shapes, shape, data, nodes, classes)
    return shapes


def _restrict(shapes: Graph, shape: Node, data: Graph, nodes: set[Node], classes: _Classes) -> None:
    """One shape's targets narrowed to those of the nodes it targets (restrict())."""
    found = [(p, o) for p, o in shapes.predicate_objects(shape) if p in CORE_TARGETS]
    if not found or (shape, SH.target, None) in shapes or _is_class(shapes, shape):
        return
    focus: set[Node] = set()
    for predicate, value in found:
        shapes.remove((shape, predicate, value))
        if predicate == SH.targetNode:
            focus |= {value} & nodes
        elif predicate == SH.targetClass:
            focus |= {node for node in nodes if classes.is_instance(node, value)}
        elif predicate == SH.targetSubjectsOf:
            focus |= {node for node in nodes if (node, value, None) in data}
        else:
            focus |= {node for node in nodes if (None, value, node) in data}
    for node in focus:
        shapes.add((shape, SH.targetNode, node))


class _Classes:
    """SHACL instances (SHACL §2.1.3.1): a node's types and their rdfs:subClassOf ancestors."""

    def __init__(self, data: Graph) -> None:
        self._data = data
        self._ancestors: dict[Node, set[Node]] = {}

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self._of(kind) for kind in self._data.objects(node, RDF.type))

    def _of(self, kind: Node) -> set[Node]:
        if kind not in self._ancestors:
            ancestors = self._data.transitive_objects(kind, RDFS.subClassOf)
            self._ancestors[kind] = {each for each in ancestors if each is not None}
        return self._ancestors[kind]


def _ruled(shapes: Graph) -> bool:
    """Whether the shapes hold SHACL rules, which pySHACL applies to the data before it finds
    any shape's focus nodes."""
    return (None, SH.rule, None) in shapes


def _is_class(shapes: Graph, shape: Node) -> bool:
    """A shape that is a class targets its instances implicitly (SHACL §2.1.3.3)."""
    return any((shape, RDF.type, kind) in shapes for kind in (RDFS.Class, OWL.Class))


def _prefixes(shapes: Graph, node: Node) -> dict[str, str]:
    """The prefixes a SHACL-SPARQL query declares through sh:prefixes (SHACL §5.2.1)."""
    found: dict[str, str] = {}
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = str(namespace)
    return found


def _store(data: Graph) -> ox.Store:
    """The data graph's triples in a pyoxigraph store, term for term (rdflib's normalised
    literals and blank node ids included), so that both engines query the same graph."""
    store = ox.Store()
    store.bulk_extend(_quad(triple) for triple in data)
    return store


def _quad(triple: tuple[Node, Node, Node]) -> ox.Quad:
    s, p, o = triple
    return ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o))  # type: ignore[arg-type]


def _select(store: ox.Store, target: Target) -> list[Node] | None:
    """The nodes the target selects, or None to leave the target to pySHACL."""
    try:
        solutions = store.query(target.select, prefixes=target.prefixes)
    except (SyntaxError, OSError, RuntimeError):
        return None
    if not isinstance(solutions, ox.QuerySolutions) or "this" not in [
        v.value for v in solutions.variables
    ]:
        return None
    try:
        return [_to_rdflib(row["this"]) for row in solutions if row["this"] is not None]
    except (OSError, RuntimeError):  # evaluation is lazy: it fails here
        return None


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal), f"no RDF term {term!r} in a graph"
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal), f"no RDF term {term!r} selected"
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))
