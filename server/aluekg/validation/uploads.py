"""The context an upload is validated in, prepared once and again only when its files change.

An upload to /validate is checked in the context of data/, the ontology and code lists, against
shapes/ (as pipeline.validate_text does). Reading and parsing that context took about 2 s per
request (issue 11); here it is parsed once into one rdflib graph and one pyoxigraph copy (for
SPARQL targets), and each upload's triples are added to both for its validation and removed
again. A change to any file of ontology/, data/ or shapes/ (its path, size or modification time)
prepares the context again. One upload at a time uses a context.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from aluekg import syntax
from aluekg.config import Settings
from aluekg.validation import targets
from aluekg.validation.graphs import load_shapes, load_sources
from aluekg.validation.relative_iris import with_relative_iris
from aluekg.validation.results import Report, run
from aluekg.validation.sources import Source, read, upload_base

Stamp = tuple[tuple[str, int, int], ...]


@dataclass
class Context:
    """The parsed context: data and ontology in one graph (and its pyoxigraph copy), which file
    describes each resource, and the shapes as read."""

    stamp: Stamp
    graph: Graph
    owners: dict[Node, str]
    shapes: Graph
    selector: targets.Selector
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


_contexts: dict[tuple[Path, Path, Path], Context] = {}
_preparing = threading.Lock()


def validate_upload(body: bytes, media_type: str, settings: Settings, name: str) -> Report:
    """Validate an upload as pipeline.validate_text does, in the prepared context."""
    context = prepared(settings)
    upload, owners, relative = load_sources([Source(name, body, media_type, upload_base(name))])
    with context.lock:
        added = [triple for triple in upload if triple not in context.graph]
        context.graph.addN((s, p, o, context.graph) for s, p, o in added)
        context.selector.add(added)
        try:
            # The shapes are copied: selecting targets writes the selected nodes into them. Only
            # the upload's own resources are validated: those are all its report keeps.
            shapes = context.selector.select(_copy(context.shapes))
            own = {node for node, owner in owners.items() if owner == name}
            shapes = targets.restrict(shapes, context.graph, own)
            report = run(context.graph, shapes, {**context.owners, **owners})
        finally:
            for triple in added:
                context.graph.remove(triple)
            context.selector.remove(added)
    report = with_relative_iris(report, relative).of_files({name})
    return dataclasses.replace(report, bases={name: upload_base(name)})


def prepared(settings: Settings) -> Context:
    """The context for settings' folders, prepared again if a file changed since it was."""
    folders = (settings.data_dir, settings.ontology_dir, settings.shapes_dir)
    with _preparing:
        stamp = _stamp(folders)
        context = _contexts.get(folders)
        if context is None or context.stamp != stamp:
            context = _prepare(settings, stamp)
            _contexts[folders] = context
        return context


def _prepare(settings: Settings, stamp: Stamp) -> Context:
    files = [*syntax.rdf_files(settings.data_dir), *syntax.rdf_files(settings.ontology_dir)]
    # The context's own relative IRIs are its files' results, which an upload's report omits.
    graph, owners, _ = load_sources(read(files))
    return Context(
        stamp=stamp,
        graph=graph,
        owners=owners,
        shapes=load_shapes(read(syntax.rdf_files(settings.shapes_dir))),
        selector=targets.Selector(graph),
    )


def _stamp(folders: tuple[Path, ...]) -> Stamp:
    """Each file's path, size and modification time: what tells that the context changed."""
    found = []
    for folder in folders:
        for path in syntax.rdf_files(folder):
            try:
                status = path.stat()
            except OSError:
                continue
            found.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(found)


def _copy(graph: Graph) -> Graph:
    """graph's triples and prefixes: pySHACL binds its report's prefixes as the shapes graph's,
    so that the report's Turtle declares those of `aluekg validate`'s."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy
