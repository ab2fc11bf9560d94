"""An upload's context, prepared once (issue 11): the same report as reading it per request,
prepared again when a file changes, and nothing of one upload left for the next."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aluekg.config import Settings
from aluekg.validation import pipeline, sources, uploads
from aluekg.validation.results import Report

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
TINY = FIXTURES / "cli"
EXSH = "https://example.org/shapes#"
MEDIA_TYPES = {".ttl": "text/turtle", ".rdf": "application/rdf+xml"}
# A plan that meets every tiny shape if area 9 exists (cli/data has area 1 only).
PLAN = b"""\
@prefix ex:      <https://example.org/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/plan/nine> a ex:Plan ;
    skos:prefLabel "Suunnitelma"@fi , "A plan"@en ;
    dcterms:spatial <https://example.org/area/9> .
"""
AREA_NINE = b"""
<https://example.org/area/9> a <https://example.org/ns#Area> .
"""


def results(report: Report) -> set[tuple[str, str | None, str | None, str | None, str]]:
    """Each result's terms; a blank node (a complex path) as "_:", its label being per run."""
    return {
        (r.shape, _blank(r.focus), _blank(r.path), _blank(r.value), r.severity)
        for r in report.results
    }


def _blank(term: str | None) -> str | None:
    return "_:" if term is not None and term.startswith("_:") else term


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("broken-programme.ttl", id="broken programme"),
        pytest.param("broken-component.ttl", id="broken components (SPARQL targets)"),
    ],
)
def test_a_prepared_context_gives_the_report_of_one_read_per_request(name: str) -> None:
    settings = Settings()
    path = FIXTURES / name
    body, media_type = path.read_bytes(), MEDIA_TYPES[path.suffix]
    fresh = pipeline.validate_text(body, media_type, settings, "upload")
    prepared = uploads.validate_upload(body, media_type, settings, "upload")
    assert (prepared.conforms, results(prepared)) == (fresh.conforms, results(fresh))
    assert prepared.bases == fresh.bases == {"upload": sources.upload_base("upload")}


@pytest.fixture
def tiny(tmp_path: Path) -> Settings:
    shutil.copytree(TINY, tmp_path / "context")
    root = tmp_path / "context"
    return Settings(
        data_dir=root / "data", ontology_dir=root / "ontology", shapes_dir=root / "shapes"
    )


def test_the_context_is_prepared_again_when_a_file_changes(tiny: Settings) -> None:
    before = uploads.validate_upload(PLAN, "text/turtle", tiny, "plan.ttl")
    assert results(before) == {
        (EXSH + "Plan-area", "https://example.org/plan/nine", "http://purl.org/dc/terms/spatial",
         "https://example.org/area/9", "Violation"),
    }  # fmt: skip
    context = uploads.prepared(tiny)
    with (tiny.data_dir / "areas.ttl").open("ab") as areas:
        areas.write(AREA_NINE)
    after = uploads.validate_upload(PLAN, "text/turtle", tiny, "plan.ttl")
    assert (after.conforms, results(after)) == (True, set())
    assert uploads.prepared(tiny) is not context


def test_nothing_of_an_upload_stays_in_the_context(tiny: Settings) -> None:
    context = uploads.prepared(tiny)
    size = len(context.graph)
    with_area = uploads.validate_upload(PLAN + AREA_NINE, "text/turtle", tiny, "a.ttl")
    assert with_area.conforms
    # The area came with the first upload only: the second, without it, must miss it.
    without = uploads.validate_upload(PLAN, "text/turtle", tiny, "b.ttl")
    assert not without.conforms
    assert uploads.prepared(tiny) is context
    assert len(context.graph) == size


def test_an_upload_repeating_the_context_leaves_the_context_whole(tiny: Settings) -> None:
    """A triple the context has already is not the upload's to take away again."""
    areas = (tiny.data_dir / "areas.ttl").read_bytes()
    uploads.validate_upload(areas, "text/turtle", tiny, "copy.ttl")
    report = uploads.validate_upload(
        PLAN.replace(b"area/9", b"area/1"), "text/turtle", tiny, "plan.ttl"
    )
    assert (report.conforms, results(report)) == (True, set())
