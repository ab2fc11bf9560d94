"""How long SHACL validation takes, on the repository's data and on synthetic data, by option.

    .venv/bin/python bench/validation.py [--sizes 10000 100000] [--repeat 3] [--only OPTION…]
    .venv/bin/python bench/validation.py --waits [--repeat 5]
    .venv/bin/python bench/validation.py --pipeline [1 2] [--sizes 100000 1000000]

Prints a Markdown table: end-to-end `validate_repository`, then pyshacl alone on the same graphs
with each option changed in turn (inference, advanced, inplace, the ontology as ont_graph or
merged beforehand, the shapes all at once or one node shape at a time). Synthetic data is the
repository's hand-written data (programmes, organisations, …) copied under new IRIs until it
reaches the size, beside the registry where the registry is under half of it.
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node
from rdflib.util import guess_format

from aluekg import syntax
from aluekg.config import Settings
from aluekg.validation import results, targets, uploads
from aluekg.validation.pipeline import validate_repository, validate_text

ID = "https://w3id.org/aluekg/id/"
# Registry resources are shared context; everything else under /id/ is copied per replica.
SHARED = tuple(
    ID + kind for kind in ("municipality/", "sub-region/", "region/", "country/", "classification/")
)


# Options left out above 50,000 triples: each takes minutes there and is slower at every size.
SLOW = ("ont_graph, inference rdfs", "shapes one shape at a time (sum)")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


@dataclass(frozen=True)
class Graphs:
    data: Graph
    shapes: Graph
    ontology: Graph


def load(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format=guess_format(str(path)))
    return graph


def repository(settings: Settings) -> Graphs:
    return Graphs(
        data=load(syntax.rdf_files(settings.data_dir)),
        shapes=load(syntax.rdf_files(settings.shapes_dir)),
        ontology=load(syntax.rdf_files(settings.ontology_dir)),
    )


def fast_load(paths: list[Path]) -> Graph:
    """pyoxigraph's parser (about twice rdflib's speed), its terms turned into rdflib's."""
    graph = Graph()
    for path in paths:
        blanks: dict[str, BNode] = {}
        quads = pyoxigraph.parse(
            path=path, format=pyoxigraph.RdfFormat.from_extension(path.suffix[1:])
        )
        graph.addN(
            (_term(q.subject, blanks), _term(q.predicate, blanks), _term(q.object, blanks), graph)
            for q in quads
        )
    return graph


def _term(term: object, blanks: dict[str, BNode]) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return blanks.setdefault(term.value, BNode())
    assert isinstance(term, pyoxigraph.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def optimised(settings: Settings) -> object:
    """What validate_repository could do: one fast parse of data + ontology + code lists into one
    graph (no ont_graph, so no copy and the code lists are data), and pyshacl inplace."""
    data = fast_load(syntax.rdf_files(settings.data_dir) + syntax.rdf_files(settings.ontology_dir))
    shapes = fast_load(syntax.rdf_files(settings.shapes_dir))
    return pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inplace=True, allow_warnings=True
    )


def synthetic(base: Graph, size: int) -> Graph:
    """Copies of base's hand-written part under new IRIs, to size triples.

    The registry (areas, classifications: most of the repository) comes once where it is under
    half the size; below that the copies' links to areas stay unresolved and are reported.
    """
    own = [triple for triple in base if _is_own(triple[0])]
    graph = Graph()
    if len(base) - len(own) < size / 2:
        for triple in base:
            if not _is_own(triple[0]):
                graph.add(triple)
    copy = 0
    while len(graph) < size and own:
        copy += 1
        for s, p, o in own:
            graph.add((_renamed(s, copy), p, _renamed(o, copy)))
            if len(graph) >= size:
                break
    return graph


def _is_own(node: Node) -> bool:
    return (
        isinstance(node, URIRef) and str(node).startswith(ID) and not str(node).startswith(SHARED)
    )


def _renamed(node: Node, copy: int) -> Node:
    if _is_own(node):
        kind, _, rest = str(node)[len(ID) :].partition("/")
        return URIRef(f"{ID}{kind}/copy{copy}-{rest}")
    if isinstance(node, BNode):
        return BNode(f"{node}c{copy}")
    return node


def split_shapes(shapes: Graph) -> Iterator[tuple[str, Graph]]:
    """Each shape that has targets, with everything it reaches (shapes it names too), alone."""
    targeted = {
        shape
        for predicate in TARGETS
        for shape in shapes.subjects(predicate, None)
        if isinstance(shape, URIRef)
    }
    for shape in sorted(targeted, key=str):
        part = Graph()
        for prefix, namespace in shapes.namespaces():
            part.bind(prefix, namespace)
        seen: set[Node] = set()
        todo: list[Node] = [shape]
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for s, p, o in shapes.triples((node, None, None)):
                part.add((s, p, o))
                # Follow what a shape is built of: property shapes, lists, SPARQL and prefixes.
                if (o, None, None) in shapes:
                    todo.append(o)
        yield str(shape), part


def timed(run: Callable[[], object], repeat: int) -> float:
    """The median CPU time of repeat runs, in seconds.

    CPU time, not wall time: on a shared machine the wall time measures the neighbours too, and
    validation is single-threaded, so its wall time is at least its CPU time.
    """
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def options(graphs: Graphs) -> dict[str, Callable[[], object]]:
    """One pyshacl run per option set; "(aluekg)" marks what aluekg.validation.pipeline does."""
    shapes, ontology = graphs.shapes, graphs.ontology
    merged = _union(graphs.data, ontology)
    parts = list(split_shapes(shapes))

    def run(
        data: Graph, ont_graph: Graph | None = None, inference: str = "none", advanced: bool = True
    ) -> Callable[[], object]:
        return lambda: pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ont_graph,
            inference=inference,
            advanced=advanced,
            allow_warnings=True,
        )

    return {
        "ont_graph, inference none, advanced": run(
            graphs.data, ont_graph=ontology, inference="none", advanced=True
        ),
        "ont_graph, advanced off": run(graphs.data, ont_graph=ontology, advanced=False),
        "ont_graph, inference rdfs": run(graphs.data, ont_graph=ontology, inference="rdfs"),
        # inplace mixes the ontology into the data graph itself, so each run gets its own copy.
        "ont_graph, inplace (copy made outside pyshacl)": lambda: pyshacl.validate(
            _union(graphs.data),
            shacl_graph=shapes,
            ont_graph=ontology,
            advanced=True,
            inplace=True,
            allow_warnings=True,
        ),
        "ontology merged beforehand, no ont_graph": run(merged, advanced=True),
        # What aluekg.validation does since issue 11: pyoxigraph selects the SPARQL targets
        # (its store built from the graph inside the timing), pyshacl judges every rule.
        "ontology merged, SPARQL targets on pyoxigraph (aluekg)": lambda: pyshacl.validate(
            merged,
            shacl_graph=targets.select_on_pyoxigraph(_union(shapes), merged),
            advanced=True,
            allow_warnings=True,
        ),
        "advanced off (SPARQL-target rules never run)": run(merged, advanced=False),
        "ontology merged, inplace (recommended)": lambda: pyshacl.validate(
            _union(graphs.data, ontology),
            shacl_graph=shapes,
            advanced=True,
            inplace=True,
            allow_warnings=True,
        ),
        "no ontology at all (misses subclass targets)": run(graphs.data, advanced=True),
        "shapes one shape at a time (sum)": lambda: [
            pyshacl.validate(merged, shacl_graph=part, advanced=True, allow_warnings=True)
            for _, part in parts
        ],
    }


def _union(*graphs: Graph) -> Graph:
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def wall(run: Callable[[], object], repeat: int) -> float:
    """The median wall time of repeat runs, in seconds (what a maintainer waits)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def maintainer_waits(settings: Settings, repeat: int) -> None:
    """Wall times of what a maintainer runs: `aluekg validate` (a new process each time) and an
    upload of one programme file to the prepared context of POST /validate."""
    command = [str(Path(sys.executable).with_name("aluekg")), "validate"]
    cli = wall(lambda: subprocess.run(command, capture_output=True, check=False), repeat)
    programme = settings.data_dir / "programme" / "kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl"
    body = programme.read_bytes()
    started = time.perf_counter()
    uploads.prepared(settings)
    prepare = time.perf_counter() - started
    upload = wall(lambda: uploads.validate_upload(body, "text/turtle", settings, "x.ttl"), repeat)
    fresh = wall(lambda: validate_text(body, "text/turtle", settings, "x.ttl"), repeat)
    out = sys.stdout
    out.write("| what | wall seconds |\n|---|---:|\n")
    out.write(f"| `aluekg validate` of the repository, process start to exit | {cli:.2f} |\n")
    out.write(f"| POST /validate context prepared (once, and after a change) | {prepare:.2f} |\n")
    out.write(f"| one programme file validated in the prepared context | {upload:.2f} |\n")
    out.write(f"| the same, reading the context per request (before issue 11) | {fresh:.2f} |\n\n")


def pipeline(settings: Settings, sizes: list[int], processes: list[int]) -> None:
    """What `aluekg validate` does after parsing, on the repository and on synthetic data: the
    SPARQL targets selected on pyoxigraph (its copy of the graph built), pyshacl's run and the
    results read, in 1 and in more processes; CPU of this process and its children, of this
    process alone (with several processes, what a quiet machine would wait for, the children
    working beside it), and wall.

    Runs against whichever aluekg is imported, so PYTHONPATH=/tmp/before/server measures an
    older tree with its own shapes (one process only, where its run() takes no processes)."""
    graphs = repository(settings)
    shares = "processes" in inspect.signature(results.run).parameters
    out = sys.stdout
    out.write("| data | triples | processes | CPU s | of it in this process | wall s | load |")
    out.write(" peak RSS MiB (this process / largest child) |\n")
    out.write("|---|---:|---:|---:|---:|---:|---|---|\n")
    for size in [0, *sizes]:
        data = graphs.data if size == 0 else synthetic(graphs.data, size)
        name = "repository" if size == 0 else f"synthetic {size:,}"
        for count in processes if shares else [1]:
            merged = _union(data, graphs.ontology)
            shapes = _union(graphs.shapes)
            for prefix, namespace in graphs.shapes.namespaces():
                shapes.bind(prefix, namespace, override=False)
            kwargs = {"processes": count} if shares else {}
            out.flush()
            started, cpu, own = time.perf_counter(), _cpu(), time.process_time()
            report = results.run(merged, targets.select_on_pyoxigraph(shapes, merged), {}, **kwargs)
            took, used = time.perf_counter() - started, _cpu() - cpu
            own = time.process_time() - own
            load = " / ".join(f"{each:.1f}" for each in os.getloadavg())
            out.write(f"| {name} | {len(merged):,} | {getattr(report, 'processes', 1)} | ")
            out.write(f"{used:.2f} | {own:.2f} | {took:.2f} | {load} | {_peaks()} |\n")
            out.flush()
            del merged, report


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    mine, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _peaks() -> str:
    """Peak resident memory so far of this process and of its largest ended child, in MiB."""
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return f"{mine // 1024:,} / {child // 1024:,}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="run only options whose name contains one")
    parser.add_argument("--waits", action="store_true", help="only the maintainer's wall times")
    parser.add_argument(
        "--pipeline", type=int, nargs="*", help="aluekg's own path in these numbers of processes"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    if args.waits:
        maintainer_waits(settings, args.repeat)
        return
    if args.pipeline is not None:
        pipeline(settings, args.sizes, args.pipeline or [1, 2])
        return
    graphs = repository(settings)
    out = sys.stdout
    out.write(f"repository: {len(graphs.data)} data triples, {len(graphs.shapes)} shape triples, ")
    out.write(f"{len(graphs.ontology)} ontology triples\n\n")
    out.write("| data | option | CPU seconds |\n|---|---|---:|\n")
    whole = timed(lambda: validate_repository(settings), args.repeat)
    out.write(f"| repository | `validate_repository` end to end | {whole:.2f} |\n")
    fast = timed(lambda: optimised(settings), args.repeat)
    out.write(f"| repository | fast parse, ontology merged, inplace, end to end | {fast:.2f} |\n")
    parse = timed(lambda: repository(settings), args.repeat)
    out.write(f"| repository | rdflib parse of ontology, data and shapes | {parse:.2f} |\n")
    sets: list[tuple[str, Graphs]] = [("repository", graphs)]
    for size in args.sizes:
        data = synthetic(graphs.data, size)
        sets.append((f"synthetic {len(data):,}", Graphs(data, graphs.shapes, graphs.ontology)))
    for name, each in sets:
        repeat = args.repeat if len(each.data) < 50_000 else 1
        for option, run in options(each).items():
            if len(each.data) > 50_000 and option in SLOW:
                continue
            if args.only and not any(word in option for word in args.only):
                continue
            out.write(f"| {name} | {option} | {timed(run, repeat):.2f} |\n")
            out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
