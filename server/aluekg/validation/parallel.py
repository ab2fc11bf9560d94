"""pySHACL on several CPUs: each process judges a share of every shape's focus nodes (issue 11).

The results on a focus node do not depend on which other nodes are validated (validation.targets
relies on it too), so each shape's focus nodes, found by pySHACL's own Shape.focus_nodes, are
dealt out in turn to N shares; share k validates with a copy of the shapes whose targets are its
nodes alone (`sh:targetNode`). Share 0 runs here, the others in processes forked after the graphs
are built (so they share them, copy-on-write, and nothing is parsed twice). Their report graphs
are merged into one with one sh:ValidationReport: the same results as one pySHACL run, blank
node labels aside. Where a share could judge differently (see _divisible) or a fork is unsafe
(other threads), or a share fails, pySHACL validates everything in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from aluekg.validation.targets import CORE_TARGETS

Triple = tuple[Node, Node, Node]
# Shapes pySHACL targets in ways a list of nodes cannot stand for here.
UNSPLIT = (SH.target, SH.rule)

# Below this many triples one process validates sooner than two: forking, and finding every focus
# node in each share, cost more than a second CPU saves (the repository's 16,213 triples: 0.54 s
# in one, 0.96 s in two; equal at 30,517; 60,517: 11.3 s against 8.8 s; bench/README.md).
SPLIT_FROM = 30_000

# What forked processes validate: set before the fork, read by _share in the child.
_work: tuple[Graph, Graph, int, bool] | None = None


def processes(triples: int) -> int:
    """How many shares to validate a graph of `triples` in: one per CPU this process may run
    on, or one for a small graph (SPLIT_FROM)."""
    if triples < SPLIT_FROM:
        return 1
    if hasattr(os, "sched_getaffinity"):  # not on macOS
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def validate(
    data: Graph, shapes: Graph, allow_warnings: bool, shares: int = 1
) -> tuple[bool, Graph, int]:
    """pySHACL's (conforms, report graph) for data against shapes, and how many processes
    validated: shares when the work could be split so, else 1."""
    if shares < 2 or not _forkable() or not _divisible(shapes):
        return (*_pyshacl(data, shapes, allow_warnings), 1)
    global _work
    _work = (data, shapes, shares, allow_warnings)
    # Buffered output would be written again by each child as it exits.
    sys.stdout.flush()
    sys.stderr.flush()
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(shares - 1, mp_context=fork) as pool:
            others = pool.map(_share, range(1, shares))
            conforms, graph = _share_here(0)
            parts = list(others)
    except Exception:  # a share that failed: its error, if any, is pySHACL's to raise
        return (*_pyshacl(data, shapes, allow_warnings), 1)
    finally:
        _work = None
    conforms = conforms and all(ok for ok, _ in parts)
    return conforms, _merged(graph, parts, conforms), shares


def _pyshacl(data: Graph, shapes: Graph, allow_warnings: bool) -> tuple[bool, Graph]:
    import pyshacl  # only when something is validated (validation.graphs.load_shapes says why)

    conforms, graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=allow_warnings,
        # The data graph is built for this one call, so pyshacl may work in it without a copy.
        inplace=True,
    )
    assert isinstance(graph, Graph)
    return bool(conforms), graph


def _forkable() -> bool:
    """A fork copies only the thread that makes it: with others running, a lock one of them
    holds would stay held in the child forever."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _divisible(shapes: Graph) -> bool:
    """Whether lists of focus nodes can stand for every target of shapes: none is a SPARQL or
    other SHACL-AF target pySHACL evaluates itself, none is on a blank-node shape (pySHACL copies
    those into its report, targets included), no class in shapes can be a shape's implicit target
    (SHACL §2.1.3.3), and no SHACL rule adds triples before validation."""
    if any((None, predicate, None) in shapes for predicate in UNSPLIT):
        return False
    if any(isinstance(s, BNode) for p in CORE_TARGETS for s in shapes.subjects(p, None)):
        return False
    return not any((None, RDF.type, kind) in shapes for kind in (RDFS.Class, OWL.Class))


def _focus_nodes(data: Graph, shapes: Graph) -> dict[Node, list[Node]]:
    """Each targeted shape's focus nodes, as pySHACL finds them, in an order every process
    computes alike."""
    import pyshacl

    found: dict[Node, list[Node]] = {}
    for shape in pyshacl.ShapesGraph(shapes).shapes:
        nodes = shape.focus_nodes(data)
        if nodes:
            found[shape.node] = sorted(nodes, key=_order)
    return found


def _order(node: Node) -> tuple[str, ...]:
    if isinstance(node, Literal):
        return ("literal", str(node), str(node.datatype or ""), node.language or "")
    return (type(node).__name__, str(node))


def _share(index: int) -> tuple[bool, list[Triple]]:
    """In a forked process: share index's conforms and report triples."""
    conforms, graph = _share_here(index)
    return conforms, list(graph)


def _share_here(index: int) -> tuple[bool, Graph]:
    assert _work is not None, "set before the fork"
    data, shapes, shares, allow_warnings = _work
    # Each share finds all focus nodes and keeps its own: beside the others, not before them.
    focus = _focus_nodes(data, shapes)
    own = Graph(store="SimpleMemory")
    # The same prefixes: pySHACL resolves SPARQL-based constraints' and binds its report's by them.
    own.namespace_manager = shapes.namespace_manager
    own.addN((s, p, o, own) for s, p, o in shapes if not (p in CORE_TARGETS and s in focus))
    own.addN(
        (shape, SH.targetNode, node, own)
        for shape, nodes in focus.items()
        for node in nodes[index::shares]
    )
    return _pyshacl(data, own, allow_warnings)


def _merged(graph: Graph, parts: list[tuple[bool, list[Triple]]], conforms: bool) -> Graph:
    """graph with the other shares' results added under its one report node."""
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report is not None, "pyshacl's report graph has its report node"
    for _, triples in parts:
        graph.addN(_under(report, triples, graph))
    graph.set((report, SH.conforms, Literal(conforms)))
    return graph


def _under(
    report: Node, triples: list[Triple], graph: Graph
) -> Iterator[tuple[Node, Node, Node, Graph]]:
    """A share's report triples, its report node replaced by report, its own type and
    sh:conforms left out."""
    theirs = next(s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport)
    for s, p, o in triples:
        if s == theirs:
            if p == SH.result:
                yield report, p, o, graph
        else:
            yield s, p, o, graph
