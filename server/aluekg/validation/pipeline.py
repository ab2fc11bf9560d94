"""What is validated, in which context and against which shapes: the repository, files in the
context of the rest of it, an upload's text, or files against shapes of their own.

The ontology and code lists go into the data graph, as pyshacl's ont_graph would put them, so
that instances of subclasses meet the shapes of their superclasses (ontology guide §f.5). Each
step is a module of its own: reading (sources, graphs), selecting SPARQL targets (targets),
pySHACL and its results (results, parallel), relative IRIs (relative_iris).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from aluekg import syntax
from aluekg.config import Settings
from aluekg.validation import parallel, targets
from aluekg.validation.graphs import bind_prefixes, load_shapes, load_sources
from aluekg.validation.relative_iris import with_relative_iris
from aluekg.validation.results import Report, run
from aluekg.validation.sources import Source, read, upload_base


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


def validate_against(paths: Sequence[Path], shape_paths: Sequence[Path]) -> Report:
    """Validate files against the given shapes alone, as `pyshacl -a -s SHAPES FILE` does: any
    result, a warning too, makes the data not conform, as in SHACL (the W3C suite expects it)."""
    sources = read(paths)
    # pySHACL's own command takes relative IRIs as they resolve: they are no error here.
    data, owners, _ = load_sources(sources)
    shapes = load_shapes(read(shape_paths))
    # pyshacl resolves a SPARQL constraint's undeclared prefixes as the files bound them.
    bind_prefixes(data, sources)
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
    targets_on_pyoxigraph: SPARQL targets are selected, and the candidate queries' shapes
    narrowed, by pyoxigraph (validation.targets), else pySHACL finds every focus node itself (the
    same verdict, minutes slower at 10^5 triples); processes: how many processes may share
    pySHACL's work (validation.parallel: the same verdict; None: as many as parallel.processes()
    gives for the graph's size)."""
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
    return report.of_files({source.name for source in sources})


def _bases(sources: Sequence[Source]) -> dict[str, str]:
    return {source.name: source.base for source in sources}
