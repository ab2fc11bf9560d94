"""Shapes narrowed to the nodes that can fail them give pySHACL's own verdict (issue 11).

aluekg.validation.targets narrows a few costly shapes to the nodes their candidate queries select
on pyoxigraph (server/aluekg/validation/candidates/). Here the same data, built to fail those
shapes in every way the queries must see, is validated with and without the narrowing: the
results must be the same, and must hold the failures the data was built with. A shape changed
since its query was written is validated in full.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

from aluekg.config import REPOSITORY
from aluekg.validation import graphs, results, sources, targets

ALUSH = "https://w3id.org/aluekg/shapes#"
EX = "https://example.org/candidates/"
PREF_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
MUNICIPALITY = "<https://w3id.org/aluekg/ontology#Municipality>"
# Every character Python's re takes for \s, as pySHACL's sh:pattern does.
WHITESPACE = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]


def escaped(text: str) -> str:
    """text as an N-Triples string, every character escaped."""
    return '"' + "".join(f"\\U{ord(c):08X}" for c in text) + '"'


def texts() -> tuple[str, set[str]]:
    """N-Triples with one resource per text, and the resources pySHACL must reject."""
    cases = {
        "clean": "Kaustisen seutu",
        "inner-newline": "a\nb",
        "ideographic-pair": "a\u3000\u3000b",
    }
    rejected = {"double-space": "a  b", "second-line-double": "a\nb  c", "trailing-newline": "a\n"}
    for c in WHITESPACE:
        rejected[f"start-{ord(c):x}"] = c + "a"
        rejected[f"end-{ord(c):x}"] = "a" + c
    lines = [
        f"<{EX}{name}> {ALT_LABEL} {escaped(text)}@fi ."
        for name, text in {**cases, **rejected}.items()
    ]
    lines.append(f"<{EX}blank> {ALT_LABEL} _:b .")
    failing = {EX + name for name in rejected if name != "second-line-double"} | {EX + "blank"}
    return "\n".join(lines) + "\n", failing


def areas() -> tuple[str, set[str], set[str]]:
    """N-Triples of municipalities named in many ways, and those pySHACL must find without
    exactly one Finnish name, and without an English one."""
    names = {
        "one-each": ['"Kaustinen"@fi', '"Kaustinen"@en'],
        "none": [],
        "two-finnish": ['"Kaustinen"@fi', '"Kaustby"@fi', '"Kaustinen"@en'],
        "region-tags": ['"Kaustinen"@fi-FI', '"Kaustinen"@FI', '"Kaustinen"@en-GB'],
        "filipino": ['"Kaustinen"@fil', '"Kaustinen"@EN'],
        "plain": ['"Kaustinen"', f"<{EX}name>"],
        "swedish-only": ['"Kaustby"@sv'],
    }
    lines = [f"<{EX}{name}> {TYPE} {MUNICIPALITY} ." for name in names]
    lines += [
        f"<{EX}{name}> {PREF_LABEL} {label} ." for name, labels in names.items() for label in labels
    ]
    finnish = {
        EX + n for n in ("none", "two-finnish", "region-tags", "filipino", "plain", "swedish-only")
    }
    english = {EX + n for n in ("none", "plain", "swedish-only")}
    return "\n".join(lines) + "\n", finnish, english


def n_triples(text: str) -> sources.Source:
    return sources.Source("test.nt", text.encode(), "application/n-triples", EX)


def shapes_graph() -> Graph:
    return graphs.load_shapes(sources.read(sorted((REPOSITORY / "shapes").glob("*.ttl"))))


def both_ways(data_text: str) -> tuple[results.Report, results.Report]:
    """The data, with the ontology, validated against shapes/ in full and narrowed."""
    ontology = sources.read([REPOSITORY / "ontology" / "aluekg.ttl"])
    source = n_triples(data_text)
    reports = []
    for narrowed in (False, True):
        # pySHACL works in the data graph (inplace): each run has its own, as each validation.
        data, owners, _ = graphs.load_sources([source])
        graphs.load_sources(ontology, data)
        shapes = shapes_graph()
        if narrowed:
            shapes = targets.select_on_pyoxigraph(shapes, data)
        reports.append(results.run(data, shapes, owners))
    return reports[0], reports[1]


def comparable(report: results.Report) -> list[tuple[object, ...]]:
    """The results, each shapes graph's own blank node labels (paths, nested shapes) left out."""

    def unlabelled(text: str | None) -> str:
        return "" if text is None else "_:" if text.startswith("_:") else text

    return sorted(
        (
            (r.focus, r.shape, r.component, r.severity, unlabelled(r.path), unlabelled(r.value)),
            sorted(r.messages.items()),
        )
        for r in report.results
    )


def failing(report: results.Report, shape: str) -> set[str]:
    return {r.focus for r in report.results if r.shape == ALUSH + shape}


def test_texts_with_stray_whitespace_are_found_alike() -> None:
    data, rejected = texts()
    full, narrowed = both_ways(data)
    assert comparable(narrowed) == comparable(full)
    assert failing(full, "Text-whitespace") == rejected


def test_areas_without_their_names_are_found_alike() -> None:
    data, finnish, english = areas()
    full, narrowed = both_ways(data)
    assert comparable(narrowed) == comparable(full)
    assert failing(full, "AdminUnit-prefLabel") == finnish
    assert failing(full, "AdminUnit-prefLabelEn") == english


def test_each_candidate_query_was_written_for_its_shape_as_it_is() -> None:
    shapes = shapes_graph()
    queries = targets.candidate_queries()
    assert {each.shape for each in queries} == {
        URIRef(ALUSH + name)
        for name in ("Text-whitespace", "AdminUnit-prefLabel", "AdminUnit-prefLabelEn")
    }
    for each in queries:
        found = targets.digest(shapes, each.shape)
        assert found == each.digest, (
            f"{each.shape} has changed since its candidate query was written: check that "
            f"server/aluekg/validation/candidates/{each.shape.split('#')[1]}.rq still selects "
            f"every node that can fail it, then set its digest to {found}"
        )


def test_a_shape_changed_since_its_query_was_written_is_validated_in_full() -> None:
    shapes = shapes_graph()
    whitespace = URIRef(ALUSH + "Text-whitespace")
    shapes.add((whitespace, SH.minLength, Literal(2)))
    data, _ = texts()
    source = n_triples(data)
    graph = graphs.load_sources([source])[0]
    narrowed = targets.select_on_pyoxigraph(shapes, graph)
    assert (whitespace, SH.targetNode, None) not in narrowed
    assert len(set(narrowed.objects(whitespace, SH.targetSubjectsOf))) == 14


def test_annotations_are_no_part_of_the_digest() -> None:
    shapes = shapes_graph()
    whitespace = URIRef(ALUSH + "Text-whitespace")
    before = targets.digest(shapes, whitespace)
    shapes.set((whitespace, SH.message, Literal("Another message", lang="en")))
    assert targets.digest(shapes, whitespace) == before


def with_padding_rule(shapes: Graph) -> Graph:
    """shapes and a SHACL rule giving each ex:Thing a text with a leading space."""
    shape, rule = URIRef(EX + "Padding"), BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, URIRef(EX + "Thing")))
    shapes.add((shape, SH.rule, rule))
    shapes.add((rule, RDF.type, SH.TripleRule))
    shapes.add((rule, SH.subject, SH.this))
    shapes.add((rule, SH.predicate, SKOS.altLabel))
    shapes.add((rule, SH.object, Literal(" padded", lang="fi")))
    return shapes


def test_shapes_with_rules_are_validated_in_full() -> None:
    """pySHACL runs SHACL rules before it finds any focus node, in the data graph: here a rule
    elsewhere in the shapes gives a resource a text with a leading space, which a selection made
    before it ran cannot see (the shape's digest is unchanged)."""
    data = f'<{EX}thing> {TYPE} <{EX}Thing> .\n<{EX}thing> {ALT_LABEL} "clean"@fi .\n'
    source = n_triples(data)
    reports = []
    for narrowed in (False, True):
        shapes = with_padding_rule(shapes_graph())
        # pySHACL works in the data graph (inplace): each run has its own.
        graph, owners, _ = graphs.load_sources([source])
        if narrowed:
            shapes = targets.select_on_pyoxigraph(shapes, graph)
        reports.append(results.run(graph, shapes, owners))
    full, narrowed_report = reports
    assert comparable(narrowed_report) == comparable(full)
    assert failing(full, "Text-whitespace") == {EX + "thing"}


def test_shapes_with_rules_keep_their_targets_for_an_upload() -> None:
    """An upload's validation (validation.uploads) selects SPARQL targets and narrows every
    shape to its resources: neither is done before a rule has run."""
    data = f"<{EX}thing> {TYPE} <{EX}Thing> .\n"
    source = n_triples(data)
    graph = graphs.load_sources([source])[0]
    shapes = with_padding_rule(shapes_graph())
    before = set(shapes)
    targets.Selector(graph).select(shapes)
    targets.restrict(shapes, graph, {URIRef(EX + "thing")})
    assert set(shapes) == before


def test_a_named_shape_the_shape_leads_to_is_part_of_the_digest() -> None:
    """Were AdminUnit-prefLabel's qualified value shape a named one, widening that shape's
    languages would change which areas fail: the digest must change with it."""
    shapes = shapes_graph()
    finnish = URIRef(ALUSH + "FinnishText")
    area_name = URIRef(ALUSH + "AdminUnit-prefLabel")
    shapes.remove((area_name, SH.qualifiedValueShape, None))
    shapes.add((area_name, SH.qualifiedValueShape, finnish))
    languages = BNode()
    shapes.add((finnish, SH.languageIn, languages))
    Collection(shapes, languages, [Literal("fi")])
    before = targets.digest(shapes, area_name)
    Collection(shapes, languages).append(Literal("sv"))
    assert targets.digest(shapes, area_name) != before


def test_a_constraint_component_taking_a_parameter_of_the_shape_is_part_of_the_digest() -> None:
    """A SPARQL-based constraint component declared anywhere in the shapes applies to every
    shape that gives its parameters: one taking sh:flags would judge Text-whitespace's nodes
    beside sh:pattern, the candidates' query knowing nothing of it."""
    shapes = shapes_graph()
    whitespace = URIRef(ALUSH + "Text-whitespace")
    before = targets.digest(shapes, whitespace)
    component, parameter, validator = URIRef(EX + "Flags"), BNode(), BNode()
    shapes.add((component, RDF.type, SH.ConstraintComponent))
    shapes.add((component, SH.parameter, parameter))
    shapes.add((parameter, SH.path, SH.flags))
    shapes.add((component, SH.propertyValidator, validator))
    shapes.add((validator, RDF.type, SH.SPARQLSelectValidator))
    shapes.add((validator, SH.select, Literal("SELECT $this WHERE { $this $PATH ?value }")))
    assert targets.digest(shapes, whitespace) != before
