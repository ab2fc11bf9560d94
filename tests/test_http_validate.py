"""POST /validate through the app: formats in and out, one broken upload per family of shapes,
and the protocol's errors (issue 5)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from starlette.testclient import TestClient

from aluekg import syntax
from aluekg.cli import main
from aluekg.config import REPOSITORY, Settings
from aluekg.query.store import Store
from aluekg.web import problems
from aluekg.web.app import create_app
from aluekg.web.validate import router

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
ID = "https://w3id.org/aluekg/id/"
ALUSH = "https://w3id.org/aluekg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
SETTINGS = Settings()


def app_with(settings: Settings) -> FastAPI:
    """The validation router alone, with the repository's ontology, code lists, data and shapes."""
    app = FastAPI()
    problems.install(app)
    app.include_router(router)
    app.state.settings = settings
    return app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app_with(SETTINGS)) as client:
        yield client


def post(client: TestClient, name: str, accept: str = "application/json") -> dict[str, object]:
    """The JSON summary for a fixture file, sent as the media type its ending says."""
    path = FIXTURES / name
    response = client.post(
        "/validate",
        content=path.read_bytes(),
        headers={"content-type": MEDIA_TYPES[path.suffix], "accept": accept},
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    assert isinstance(summary, dict)
    return summary


MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".nt": "application/n-triples",
}


def results(summary: dict[str, object], of_upload: bool) -> set[tuple[str, str, str]]:
    """(shape, focus, severity) of each result, shapes and focus nodes without their base."""
    found = summary["results"]
    assert isinstance(found, list)
    if of_upload:
        found = [r for r in found if r["file"] == "upload"]
    return {
        (
            str(r["shape"]).removeprefix(ALUSH),
            str(r["focus"]).removeprefix(ID),
            str(r["severity"]),
        )
        for r in found
    }


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("conforming.ttl", id="turtle"),
        pytest.param("conforming.nt", id="n-triples"),
        pytest.param("conforming.jsonld", id="json-ld"),
        pytest.param("conforming.rdf", id="rdf/xml"),
    ],
)
def test_a_conforming_upload_is_200_with_no_results(client: TestClient, name: str) -> None:
    summary = post(client, name)
    # The existing data may carry warnings of its own (a programme with no known period).
    assert (summary["conforms"], results(summary, of_upload=True)) == (True, set())


# One broken upload per family of shapes, with the results written from the fixture's comment
# and the shapes it breaks: (shape without alush:, focus without the /id/ base, severity).
# Results on resources the upload does not describe come from the existing data and are not
# the upload's; test_data.py keeps those at none.
FAMILIES = [
    pytest.param(
        "broken-programme.ttl",
        {
            ("Programme-prefLabel", "programme/testiohjelma", "Violation"),
            ("Programme-spatial", "programme/testiohjelma", "Violation"),
            ("Programme-component", "programme/testiohjelma", "Info"),
            ("PeriodOfTime-endYear", "programme/testiohjelma/period", "Violation"),
        },
        id="programme",
    ),
    pytest.param(
        "broken-component.ttl",
        {
            (
                "ProgrammeComponent-partOfProgramme",
                "programme/esimerkkiohjelma/theme/2",
                "Violation",
            ),
            ("ProgrammeComponent-order", "programme/esimerkkiohjelma/vision", "Violation"),
        },
        id="component",
    ),
    pytest.param(
        "broken-area.ttl",
        {
            ("Link-sameAs", "region/08", "Violation"),
            ("AreaConcept-focus", "http://www.yso.fi/onto/yso/p999999", "Violation"),
        },
        id="area and registry codes",
    ),
    pytest.param(
        "broken-organisation.ttl",
        {
            (
                "Identifier-checkDigit",
                "organisation/testiliitto/identifier/ytunnus",
                "Violation",
            ),
            ("Address-postCode", "organisation/testiliitto/address/toimisto", "Violation"),
        },
        id="organisation and address",
    ),
    pytest.param(
        "broken-contact.ttl",
        {
            ("Individual-fn", "organisation/kaustisen-seutukunta/contact/nimeton", "Violation"),
            (
                "Individual-title",
                "organisation/kaustisen-seutukunta/contact/testi-henkilo",
                "Warning",
            ),
        },
        id="contact",
    ),
    pytest.param(
        "broken-language.ttl",
        {
            ("Text-description", "programme-series/esimerkkisarja", "Violation"),
            ("Text-note", "programme-series/esimerkkisarja", "Violation"),
        },
        id="text language",
    ),
]


@pytest.mark.parametrize(("name", "expected"), FAMILIES)
def test_a_broken_upload_gets_its_results(
    client: TestClient, name: str, expected: set[tuple[str, str, str]]
) -> None:
    summary = post(client, name)
    assert summary["conforms"] is False
    assert results(summary, of_upload=True) == expected


def test_the_turtle_report_says_sh_conforms(client: TestClient) -> None:
    response = client.post(
        "/validate",
        content=(FIXTURES / "conforming.ttl").read_bytes(),
        headers={"content-type": "text/turtle", "accept": "text/turtle"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE)
    verdicts = {t.object for t in graph if t.predicate == pyoxigraph.NamedNode(SH + "conforms")}
    assert verdicts == {pyoxigraph.Literal(True)}


def test_the_json_ld_report_says_sh_conforms_false(client: TestClient) -> None:
    response = client.post(
        "/validate",
        content=(FIXTURES / "broken-programme.ttl").read_bytes(),
        headers={"content-type": "text/turtle", "accept": "application/ld+json"},
    )
    assert response.status_code == 200
    graph = pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.JSON_LD)
    verdicts = {t.object for t in graph if t.predicate == pyoxigraph.NamedNode(SH + "conforms")}
    assert verdicts == {pyoxigraph.Literal(False)}


def test_no_accept_header_gets_the_turtle_report(client: TestClient) -> None:
    response = client.post(
        "/validate", content=b"", headers={"content-type": "text/turtle", "accept": ""}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_html_is_the_page_with_the_report(client: TestClient) -> None:
    response = client.post(
        "/validate?lang=en",
        content=(FIXTURES / "broken-programme.ttl").read_bytes(),
        headers={"content-type": "text/turtle", "accept": "text/html"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="results"' in response.text
    assert '<html lang="en">' in response.text


def test_the_page_form_takes_a_file_upload(client: TestClient) -> None:
    body = (FIXTURES / "broken-programme.ttl").read_bytes()
    response = client.post(
        "/validate",
        files={"file": ("broken-programme.ttl", body, "application/octet-stream")},
        data={"lang": "en"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    summary = response.json()
    assert summary["conforms"] is False
    programme = ID + "programme/testiohjelma"
    assert {r["file"] for r in summary["results"] if r["focus"] == programme} == {
        "broken-programme.ttl"
    }


def test_the_page_form_takes_pasted_text(client: TestClient) -> None:
    text = (FIXTURES / "conforming.nt").read_text(encoding="utf-8")
    response = client.post(
        "/validate",
        data={"text": text, "format": "application/n-triples"},
        files={"file": ("", b"", "application/octet-stream")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["conforms"] is True


def test_each_result_names_the_line_of_its_resource(client: TestClient) -> None:
    summary = post(client, "broken-programme.ttl")
    found = summary["results"]
    assert isinstance(found, list)
    text = (FIXTURES / "broken-programme.ttl").read_text(encoding="utf-8").splitlines()
    for result in found:
        if result["file"] != "upload":
            continue
        line = result["line"]
        assert isinstance(line, int)
        local = str(result["focus"]).removeprefix(ID)
        assert text[line - 1].startswith(f"<{local}>"), result


def test_a_syntax_error_is_400_with_line_and_column(client: TestClient) -> None:
    response = client.post(
        "/validate",
        content=(FIXTURES / "syntax-error.ttl").read_bytes(),
        headers={"content-type": "text/turtle", "accept": "application/json"},
    )
    assert response.status_code == 400
    # The file's third line opens a string that never ends; the literal starts at column 11.
    assert "upload: line 3, column 11" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param("text/csv", id="csv"),
        pytest.param("application/json", id="plain json"),
        pytest.param("", id="none"),
    ],
)
def test_an_unsupported_type_is_415(client: TestClient, content_type: str) -> None:
    response = client.post("/validate", content=b"a,b\n", headers={"content-type": content_type})
    assert response.status_code == 415
    assert "Send RDF as text/turtle" in response.text


def test_an_upload_of_an_unknown_file_type_is_415(client: TestClient) -> None:
    response = client.post("/validate", files={"file": ("data.csv", b"a,b\n", "text/csv")})
    assert response.status_code == 415
    assert "data.csv: not an RDF file we read" in response.text


def test_a_body_over_the_limit_is_413() -> None:
    small = replace(SETTINGS, validate_max_bytes=100)
    with TestClient(app_with(small)) as client:
        response = client.post(
            "/validate", content=b"#" * 101, headers={"content-type": "text/turtle"}
        )
    assert response.status_code == 413
    assert "over the limit of 100 bytes" in response.text


def test_a_chunked_body_over_the_limit_is_413() -> None:
    small = replace(SETTINGS, validate_max_bytes=100)

    def chunks() -> Iterator[bytes]:
        # A generator body goes out chunked, with no Content-Length to refuse it early.
        yield b"#" * 60
        yield b"#" * 60

    with TestClient(app_with(small)) as client:
        response = client.post(
            "/validate", content=chunks(), headers={"content-type": "text/turtle"}
        )
    assert response.status_code == 413


def test_the_default_limit_is_5_mb() -> None:
    assert Settings().validate_max_bytes == 5 * 1024 * 1024


def test_validation_past_the_time_limit_is_503() -> None:
    hurried = replace(SETTINGS, validate_timeout=0.001)
    with TestClient(app_with(hurried)) as client:
        response = client.post(
            "/validate",
            content=(FIXTURES / "conforming.ttl").read_bytes(),
            headers={"content-type": "text/turtle"},
        )
    assert response.status_code == 503
    assert "did not finish within 0.001 s" in response.text


def test_an_unacceptable_answer_type_is_406(client: TestClient) -> None:
    response = client.post(
        "/validate", content=b"", headers={"content-type": "text/turtle", "accept": "image/png"}
    )
    assert response.status_code == 406


def test_the_page_is_html_with_no_external_assets(client: TestClient) -> None:
    response = client.get("/validate")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "http://" not in response.text
    assert "https://" not in response.text


def test_json_summary_counts_match_its_results(client: TestClient) -> None:
    summary = post(client, "broken-programme.ttl")
    found = summary["results"]
    assert isinstance(found, list)
    counts = {s: sum(1 for r in found if r["severity"] == s) for s in ("Violation", "Warning")}
    assert (summary["violations"], summary["warnings"]) == (
        counts["Violation"],
        counts["Warning"],
    )


def test_an_upload_never_enters_the_store() -> None:
    """Through the whole app: after a POST /validate, the SPARQL store does not hold its triples."""
    store = Store()
    store.load([FIXTURES / "cli" / "data" / "areas.ttl"], REPOSITORY)
    ask = "ASK { <{iri}> ?property ?value }"
    with TestClient(create_app(store, settings=SETTINGS)) as client:
        upload = client.post(
            "/validate",
            content=(FIXTURES / "conforming.ttl").read_bytes(),
            headers={"content-type": "text/turtle", "accept": "application/json"},
        )
        assert upload.status_code == 200
        answers = {
            iri: client.get(
                "/sparql",
                params={"query": ask.replace("{iri}", iri)},
                headers={"accept": "application/sparql-results+json"},
            ).json()["boolean"]
            for iri in (ID + "programme/esimerkkiohjelma", "https://example.org/area/1")
        }
    # The store answers for what it was loaded with, and knows nothing of the upload.
    assert answers == {ID + "programme/esimerkkiohjelma": False, "https://example.org/area/1": True}


def test_errors_through_the_app_are_plain_text() -> None:
    with TestClient(create_app(Store(), settings=SETTINGS)) as client:
        response = client.post("/validate", content=b"a,b", headers={"content-type": "text/csv"})
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Send RDF as text/turtle")


def test_the_turtle_report_declares_the_prefixes_aluekg_validate_does(client: TestClient) -> None:
    path = FIXTURES / "broken-programme.ttl"
    response = client.post(
        "/validate",
        content=path.read_bytes(),
        headers={"content-type": "text/turtle", "accept": "text/turtle"},
    )
    assert response.status_code == 200, response.text
    command = CliRunner().invoke(main, ["validate", str(path), "--format", "turtle"])
    assert command.exit_code == 1, command.output
    # The prefixes each report's Turtle declares, as a parser reads them.
    served = syntax.prefixes(response.content, "text/turtle")
    printed = syntax.prefixes(command.stdout.encode(), "text/turtle")
    assert printed["alush"] == ALUSH, "the shapes' own prefix, which the results use"
    assert served == printed
