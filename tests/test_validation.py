"""aluekg.validation on small fixture graphs: context, subclasses, messages, files, syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from aluekg import syntax
from aluekg.config import Settings
from aluekg.errors import DataError
from aluekg.validation import pipeline

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT = FIXTURES / "validation"
INPUT = FIXTURES / "validation-input"
SETTINGS = Settings(
    ontology_dir=CONTEXT / "ontology", data_dir=CONTEXT / "data", shapes_dir=CONTEXT / "shapes"
)
EXSH = "https://example.org/shapes#"


def test_the_fixture_context_conforms_with_no_results() -> None:
    report = pipeline.validate_repository(SETTINGS)
    assert report.conforms
    assert report.results == ()


def test_a_subclass_instance_meets_its_superclass_shapes() -> None:
    report = pipeline.validate_files([INPUT / "broken-years.ttl"], SETTINGS)
    shapes = {(r.shape, r.constraint, r.severity) for r in report.results}
    assert shapes == {
        (EXSH + "PlanShape", EXSH + "Plan-years", "Violation"),
        (EXSH + "Plan-englishLabel", None, "Warning"),
    }
    assert not report.conforms


def test_a_new_file_may_refer_to_an_area_in_the_existing_data() -> None:
    report = pipeline.validate_files([INPUT / "warning-only.ttl"], SETTINGS)
    assert [r.shape for r in report.results] == [EXSH + "Plan-englishLabel"]
    assert report.conforms, "a warning alone does not break conformance"


def test_an_area_no_file_describes_is_a_violation() -> None:
    report = pipeline.validate_files([INPUT / "unknown-area.ttl"], SETTINGS)
    [result] = report.results
    assert (result.shape, result.focus, result.value) == (
        EXSH + "Plan-area",
        "https://example.org/plan/lost",
        "https://example.org/area/999",
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("fi", "Loppuvuosi on ennen alkuvuotta.", id="fi"),
        pytest.param("en", "The end year is before the start year.", id="en"),
    ],
)
def test_sparql_constraint_messages_come_in_the_chosen_language(lang: str, expected: str) -> None:
    report = pipeline.validate_files([INPUT / "broken-years.ttl"], SETTINGS)
    [years] = [r for r in report.results if r.constraint == EXSH + "Plan-years"]
    assert years.message(lang) == expected


def test_each_result_names_the_file_and_label_of_its_resource() -> None:
    report = pipeline.validate_files([INPUT / "broken-years.ttl"], SETTINGS)
    for result in report.results:
        assert result.file is not None
        assert result.file.endswith("validation-input/broken-years.ttl")
        assert result.label == {"fi": "Uusi ohjelma"}


def test_the_report_graph_serialises_to_turtle_with_its_verdict() -> None:
    report = pipeline.validate_files([INPUT / "broken-years.ttl"], SETTINGS)
    graph = Graph().parse(data=report.serialise("turtle"), format="turtle")
    assert set(graph.objects(None, SH.conforms)) == {Literal(False)}


def test_a_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(DataError) as caught:
        pipeline.validate_files([INPUT / "syntax-error.ttl"], SETTINGS)
    assert str(caught.value).endswith("syntax-error.ttl: line 3, column 11: Unexpected end of file")


def test_a_missing_file_is_named() -> None:
    with pytest.raises(DataError, match=r"nowhere\.ttl: cannot read"):
        pipeline.validate_files([INPUT / "nowhere.ttl"], SETTINGS)


def test_shapes_alone_see_no_ontology_so_a_subclass_escapes() -> None:
    """--shapes works as pyshacl's command does: no ontology, so RegionalPlan is not a Plan."""
    report = pipeline.validate_against([INPUT / "broken-years.ttl"], [CONTEXT / "shapes"])
    assert report.conforms
    assert report.results == ()


def test_shapes_alone_still_judge_what_they_target(tmp_path: Path) -> None:
    plan = tmp_path / "plan.ttl"
    plan.write_text((INPUT / "unknown-area.ttl").read_text().replace("ex:RegionalPlan", "ex:Plan"))
    report = pipeline.validate_against([plan], [CONTEXT / "shapes" / "tiny.ttl"])
    assert [(r.shape, r.focus) for r in report.results] == [
        (EXSH + "Plan-area", "https://example.org/plan/lost")
    ]


def test_rdf_files_skip_the_templates_folder(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "programme.ttl").write_text("")
    (tmp_path / "a.ttl").write_text("")
    (tmp_path / "notes.md").write_text("")
    assert syntax.rdf_files(tmp_path) == [tmp_path / "a.ttl"]


def test_message_placeholders_are_filled_with_the_offending_value(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        (CONTEXT / "shapes" / "tiny.ttl")
        .read_text()
        .replace('"The end year is before', '"The end year {?value} of {$this} is before')
    )
    plan = tmp_path / "plan.ttl"
    plan.write_text((INPUT / "broken-years.ttl").read_text().replace("RegionalPlan", "Plan"))
    report = pipeline.validate_against([plan], [shapes])
    [years] = [r for r in report.results if r.constraint == EXSH + "Plan-years"]
    assert years.message("en") == (
        "The end year 2022 of https://example.org/plan/new is before the start year."
    )


def test_validating_files_reports_only_their_resources(tmp_path: Path) -> None:
    """The context's own warnings are not the new file's: they stay out of its report."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "warned.ttl").write_text((INPUT / "warning-only.ttl").read_text())
    (data / "areas.ttl").write_text((CONTEXT / "data" / "areas.ttl").read_text())
    settings = Settings(
        ontology_dir=SETTINGS.ontology_dir, data_dir=data, shapes_dir=SETTINGS.shapes_dir
    )
    assert [r.focus for r in pipeline.validate_repository(settings).results] == [
        "https://example.org/plan/warned"
    ]
    report = pipeline.validate_files([INPUT / "unknown-area.ttl"], settings)
    assert [r.focus for r in report.results] == ["https://example.org/plan/lost"]


def test_a_result_names_the_file_that_types_its_resource(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a-links.ttl").write_text(
        "<https://example.org/plan/new> <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
        "<https://example.org/elsewhere> .\n"
    )
    (data / "b-plan.ttl").write_text((INPUT / "broken-years.ttl").read_text())
    settings = Settings(
        ontology_dir=SETTINGS.ontology_dir, data_dir=data, shapes_dir=SETTINGS.shapes_dir
    )
    files = {r.file or "" for r in pipeline.validate_repository(settings).results}
    assert len(files) == 1
    assert files.pop().endswith("b-plan.ttl")


def test_one_shape_failing_twice_on_one_value_is_one_result(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<https://example.org/shapes#Text> a sh:PropertyShape ;
    sh:targetSubjectsOf skos:prefLabel ;
    sh:path skos:prefLabel ;
    sh:datatype rdf:langString ;
    sh:languageIn ( "fi" "en" ) ;
    sh:message "Tag every name with fi or en."@en .
"""
    )
    data = tmp_path / "data.ttl"
    data.write_text(
        '<https://example.org/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "untagged" .\n'
    )
    report = pipeline.validate_against([data], [shapes])
    assert [(r.shape, r.value) for r in report.results] == [
        ("https://example.org/shapes#Text", "untagged")
    ]
    assert report.count("Violation") == 1
