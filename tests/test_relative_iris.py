"""Relative IRIs, read as rdflib reads them (issue 12): against a file's file: IRI, an upload's
documented base, or the data's own @base; in data, which must use absolute IRIs, a violation
that names the file and the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner, Result
from fastapi import FastAPI
from starlette.testclient import TestClient

from aluekg import syntax
from aluekg.cli import main
from aluekg.config import Settings
from aluekg.query.backend import Accepts
from aluekg.query.store import Store, graph_name
from aluekg.validation import sources
from aluekg.web import problems
from aluekg.web.validate import router

REPOSITORY = Path(__file__).resolve().parents[1]
EXSH = "https://example.org/shapes#"
ACCEPT_JSON = Accepts(solutions="application/sparql-results+json", graph=None)
CONTEXT = REPOSITORY / "tests" / "fixtures" / "validate" / "cli"
ENV = {
    "ALUEKG_ONTOLOGY_DIR": str(CONTEXT / "ontology"),
    "ALUEKG_DATA_DIR": str(CONTEXT / "data"),
    "ALUEKG_SHAPES_DIR": str(CONTEXT / "shapes"),
}
SETTINGS = Settings(
    ontology_dir=CONTEXT / "ontology", data_dir=CONTEXT / "data", shapes_dir=CONTEXT / "shapes"
)
PREFIXES = """\
@prefix ex:      <https://example.org/ns#> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""
# A plan that meets every shape of the tiny context (as cli-input/good.ttl), less its IRI.
PLAN = """\
    a ex:RegionalPlan ;
    skos:prefLabel "Hyvä suunnitelma"@fi , "A good plan"@en ;
    dcterms:spatial <https://example.org/area/1> ;
    dcat:startDate "2022"^^xsd:gYear ;
    dcat:endDate "2026"^^xsd:gYear .
"""


def validate(*args: str) -> tuple[Result, dict[str, object]]:
    """`aluekg validate --format json ARGS` in the tiny context, and its JSON summary."""
    done = CliRunner().invoke(main, ["validate", "--format", "json", *args], env=ENV)
    return done, json.loads(done.output)


def results(summary: dict[str, object]) -> list[dict[str, object]]:
    found = summary["results"]
    assert isinstance(found, list)
    return found


def test_a_relative_iri_in_data_is_a_violation_naming_file_and_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.ttl"
    # Line 7: <#contact>, which would name <file:///…/plan.ttl#contact>.
    plan.write_text(
        PREFIXES + "<https://example.org/plan/good>\n    dcat:contactPoint <#contact> ;\n" + PLAN
    )
    done, summary = validate(str(plan))
    assert done.exit_code == 1
    [relative] = results(summary)
    base = plan.absolute().as_uri()
    assert (relative["file"], relative["line"], relative["value"], relative["focus"]) == (
        str(plan),
        7,
        "<#contact>",
        base,
    )
    assert relative["message"] == (
        f"<#contact> is a relative IRI: it resolves against <{base}>, where this file happens "
        "to be, so it names nothing others can use; write it in full (https://w3id.org/aluekg/id/…)"
    )


def test_the_relative_iri_violation_reads_as_a_text_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.ttl"
    plan.write_text(PREFIXES + "<>\n" + PLAN)
    done = CliRunner().invoke(main, ["validate", "--lang", "fi", str(plan)], env=ENV)
    base = plan.absolute().as_uri()
    assert (done.exit_code, done.output) == (
        1,
        f"{plan}:6: <{base}>: -: <> on suhteellinen IRI: se tulkitaan tämän tiedoston sijainnin "
        f"<{base}> mukaan, eikä se nimeä mitään, mihin muut voisivat viitata; kirjoita se "
        "kokonaan (https://w3id.org/aluekg/id/…) [virhe; arvo: <>]\n"
        "1 virhe, 0 varoitusta, 0 huomautusta\n",
    )


def test_the_datas_own_base_resolves_its_relative_iris(tmp_path: Path) -> None:
    plan = tmp_path / "plan.ttl"
    plan.write_text("@base <https://example.org/plan/> .\n" + PREFIXES + "<good>\n" + PLAN)
    done, summary = validate(str(plan))
    assert (done.exit_code, results(summary)) == (0, [])


@pytest.mark.parametrize(
    ("name", "body", "line", "written"),
    [
        pytest.param(
            "plan.rdf",
            '<?xml version="1.0"?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            '  <rdf:Description rdf:about="#plan"/>\n'
            "</rdf:RDF>\n",
            3,
            "#plan",
            id="rdf/xml: the line of the quoted IRI",
        ),
        pytest.param(
            "plan.jsonld",
            '{"@id": "#plan", "http://purl.org/dc/terms/title": "x"}\n',
            None,
            None,
            id="json-ld: the parser does not say where",
        ),
    ],
)
def test_relative_iris_in_other_syntaxes_are_violations_too(
    tmp_path: Path, name: str, body: str, line: int | None, written: str | None
) -> None:
    path = tmp_path / name
    path.write_text(body)
    done, summary = validate(str(path))
    assert done.exit_code == 1
    [relative] = results(summary)
    assert (relative["file"], relative["line"], relative["value"]) == (str(path), line, written)


def test_with_shapes_relative_iris_resolve_against_the_file_and_are_no_error(
    tmp_path: Path,
) -> None:
    data = tmp_path / "plan.ttl"
    # The tiny shapes want a Finnish name on every ex:Plan: <#plan> has none.
    data.write_text("@prefix ex: <https://example.org/ns#> .\n<#plan> a ex:Plan .\n")
    shapes = CONTEXT / "shapes" / "tiny.ttl"
    done, summary = validate("--shapes", str(shapes), str(data))
    assert done.exit_code == 1
    assert {r["focus"] for r in results(summary)} == {data.absolute().as_uri() + "#plan"}
    assert summary["bases"] == {str(data): data.absolute().as_uri()}


def test_a_syntax_error_is_still_unusable_input(tmp_path: Path) -> None:
    """A relative IRI is a violation; a file that does not parse even with a base is exit 2."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("<> <https://example.org/p> <#x\n")
    done = CliRunner().invoke(main, ["validate", str(broken)], env=ENV)
    assert done.exit_code == 2
    assert done.output.startswith(f"Error: {broken}: line 1, column ")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = FastAPI()
    problems.install(app)
    app.include_router(router)
    app.state.settings = SETTINGS
    with TestClient(app) as client:
        yield client


def test_an_upload_resolves_relative_iris_against_the_base_its_report_names(
    client: TestClient,
) -> None:
    body = PREFIXES + "<>\n    dcterms:spatial <#x> ;\n" + PLAN + "\n<#x> a ex:Plan .\n"
    response = client.post(
        "/validate",
        content=body.encode(),
        headers={"content-type": "text/turtle", "accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    base = "https://w3id.org/aluekg/upload/upload"
    assert summary["bases"] == {"upload": base}
    found = {(r["focus"], r["shape"], r["value"], r["line"]) for r in summary["results"]}
    assert found == {
        # <> on line 6 is the first relative IRI.
        (base, "", "<>", 6),
        # <>, a plan, names <#x> as its area, which is no ex:Area.
        (base, EXSH + "Plan-area", base + "#x", 6),
        # <#x> is a plan (line 14) with no name and no area.
        (base + "#x", EXSH + "Plan-name", None, 14),
        (base + "#x", EXSH + "Plan-nameEn", None, 14),
        (base + "#x", EXSH + "Plan-area", None, 14),
    }


def test_the_page_names_the_base_of_an_uploaded_file(client: TestClient) -> None:
    response = client.post(
        "/validate",
        files={"file": ("my plan.ttl", PREFIXES + "<#plan>\n" + PLAN)},
        headers={"accept": "text/html"},
        params={"lang": "en"},
    )
    assert response.status_code == 200, response.text
    base = "https://w3id.org/aluekg/upload/my%20plan.ttl"
    assert f"<code>&lt;{base}&gt;</code>" in response.text
    # The one result: the plan's relative IRI, as written, and what it resolved to.
    assert f"&lt;#plan&gt; is a relative IRI: it resolves against &lt;{base}&gt;" in response.text


def test_the_upload_base_is_documented_in_the_readme() -> None:
    assert sources.UPLOAD_BASE in (REPOSITORY / "README.md").read_text()


def test_the_store_resolves_relative_iris_against_the_file(tmp_path: Path) -> None:
    """serve: as validate reads the file, not against the graph's name (issue 12)."""
    path = tmp_path / "one.ttl"
    path.write_text("<#x> <https://example.org/p> <> .\n")
    store = Store()
    store.load([path], tmp_path)
    base = path.absolute().as_uri()
    query = "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = store.answer(query, ACCEPT_JSON)
    [row] = json.loads(answer.body)["results"]["bindings"]
    assert (row["g"]["value"], row["s"]["value"], row["o"]["value"]) == (
        graph_name(path, tmp_path),
        base + "#x",
        base,
    )


def test_what_load_sends_has_its_relative_iris_resolved_against_the_file(tmp_path: Path) -> None:
    body = b"<#x> <https://example.org/p> <> .\n"
    sent, media_type = syntax.absolute(body, "text/turtle", "one.ttl", "file:///data/one.ttl")
    assert media_type == "application/n-triples"
    assert list(pyoxigraph.parse(sent, pyoxigraph.RdfFormat.N_TRIPLES)) == [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("file:///data/one.ttl#x"),
            pyoxigraph.NamedNode("https://example.org/p"),
            pyoxigraph.NamedNode("file:///data/one.ttl"),
        )
    ]


def test_what_load_sends_is_the_file_itself_when_it_has_no_relative_iri() -> None:
    body = b"<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n"
    assert syntax.absolute(body, "text/turtle", "one.ttl", "file:///one.ttl") == (
        body,
        "text/turtle",
    )
