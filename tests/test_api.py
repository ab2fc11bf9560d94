"""/api/ over real HTTP: each named query of queries/ as a GET endpoint, answered from the
repository's data with its parameters bound, against the answers tests/test_queries.py wrote
from the seed pages and the registry; wrong and missing parameters; formats; /openapi.json."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from openapi_spec_validator import validate

from aluekg.query import remote
from aluekg.query.backend import Accepts, LiteralValue
from aluekg.query.store import Store
from tests.dataset_service import get, repository_service
from tests.test_queries import (
    CODE_CASES,
    ID,
    KAUSTINEN,
    KYMENLAAKSO,
    LIITTO,
    MUNICIPALITY_CASES,
    QUERIES,
    REGION_CASES,
    TOPIC_CASES,
    YSO,
    Row,
    Typed,
)

TEXT = "text/plain; charset=utf-8"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with repository_service() as live_url:
        yield live_url


def call(url: str, name: str, accept: str = "*/*", **params: str) -> tuple[int, Any, bytes]:
    return get(f"{url}/api/{name}?{urllib.parse.urlencode(params)}", accept)


def rows(url: str, name: str, columns: Sequence[str], **params: str) -> list[Row]:
    status, headers, body = call(url, name, **params)
    assert status == 200, body
    assert headers["Content-Type"] == "application/sparql-results+json"
    bindings = json.loads(body)["results"]["bindings"]
    return [tuple(b[c]["value"] if c in b else None for c in columns) for b in bindings]


@pytest.mark.parametrize(("in_year", "code", "expected"), MUNICIPALITY_CASES)
def test_programmes_in_force_for_municipality(
    url: str, in_year: int, code: str, expected: list[Row]
) -> None:
    found = rows(
        url,
        "programmes-in-force-for-municipality",
        ["programme", "area", "classification"],
        year=str(in_year),
        municipalityCode=code,
    )
    assert found == expected


@pytest.mark.parametrize(("in_year", "code", "expected"), REGION_CASES)
def test_programmes_in_force_for_region(
    url: str, in_year: int, code: str, expected: list[Row]
) -> None:
    found = rows(
        url,
        "programmes-in-force-for-region",
        ["programme", "area", "classification"],
        year=str(in_year),
        regionCode=code,
    )
    assert found == expected


@pytest.mark.parametrize(("concept", "expected"), TOPIC_CASES)
def test_programmes_by_topic(url: str, concept: str, expected: list[Row]) -> None:
    found = rows(url, "programmes-by-topic", ["programme", "component"], topic=YSO + concept)
    assert found == expected


@pytest.mark.parametrize(("code", "expected"), CODE_CASES)
def test_code_classification_years(url: str, code: Typed, expected: list[Row]) -> None:
    # A typed code as the comment writes it, with the datatype's full IRI.
    written = code.value if code.datatype is None else f'"{code.value}"^^<{code.datatype}>'
    columns = ["year", "label", "area", "parentCode", "parentLabel"]
    assert rows(url, "code-classification-years", columns, code=written) == expected


def test_code_written_with_the_querys_prefix(url: str) -> None:
    found = rows(url, "code-classification-years", ["year", "area"], code='"588"^^alue:kuntakoodi')
    assert found == [("2022", f"{ID}municipality/588")]


def test_programme_structure_starts_with_vision_and_target_state(url: str) -> None:
    found = rows(url, "programme-structure", ["kind", "notation"], programme=KAUSTINEN)
    alue = "https://w3id.org/aluekg/ontology#"
    assert found[:3] == [
        (f"{alue}Vision", None),
        (f"{alue}TargetState", None),
        (f"{alue}StrategicTheme", "1"),
    ]
    assert len(found) == 6


def test_programme_governance_names_publisher_and_approval(url: str) -> None:
    found = set(
        rows(url, "programme-governance", ["aspect", "value", "date"], programme=KYMENLAAKSO)
    )
    assert ("publisher", LIITTO, None) in found
    assert ("approval", f"{LIITTO}/unit/maakuntavaltuusto", "2021-11-29") in found


def test_area_registry_links_of_kymenlaakso(url: str) -> None:
    found = set(rows(url, "area-registry-links", ["linkType", "link"], area=f"{ID}region/08"))
    assert ("wikidata", "http://www.wikidata.org/entity/Q5698") in found
    assert ("yso-place", f"{YSO}p94243") in found


@pytest.mark.parametrize(
    ("accept", "params", "media_type"),
    [
        pytest.param("text/csv", {}, "text/csv; charset=utf-8", id="csv"),
        pytest.param("*/*", {"format": "csv"}, "text/csv; charset=utf-8", id="format=csv"),
        pytest.param(
            "text/tab-separated-values", {}, "text/tab-separated-values; charset=utf-8", id="tsv"
        ),
        pytest.param(
            "application/sparql-results+xml", {}, "application/sparql-results+xml", id="xml"
        ),
        pytest.param("application/json", {}, "application/sparql-results+json", id="json"),
    ],
)
def test_formats_by_accept_and_format(
    url: str, accept: str, params: dict[str, str], media_type: str
) -> None:
    status, headers, body = call(
        url,
        "programmes-in-force-for-municipality",
        accept,
        year="2024",
        municipalityCode="074",
        **params,
    )
    assert (status, headers["Content-Type"]) == (200, media_type)
    if media_type.startswith("text/csv"):
        table = list(csv.DictReader(io.StringIO(body.decode())))
        assert [(r["programmeLabel"], r["areaLabel"]) for r in table] == [
            ("Kaustisen seudun Elinvoimaohjelma 2022-2026", "Halsua")
        ]
    assert b"Halsua" in body


def test_turtle_is_406(url: str) -> None:
    status, headers, _ = call(url, "programmes-by-topic", "text/turtle", topic=YSO + "p2275")
    assert (status, headers["Content-Type"]) == (406, TEXT)


BAD = [
    pytest.param(
        "programmes-in-force-for-municipality",
        {"municipalityCode": "236"},
        "Give the parameter 'year' exactly once, not 0 times",
        id="missing year",
    ),
    pytest.param(
        "programmes-in-force-for-municipality",
        {"year": "2023", "municipalityCode": "236", "x": "1"},
        "Unknown parameter 'x': programmes-in-force-for-municipality takes year, municipalityCode",
        id="unknown parameter",
    ),
    pytest.param(
        "programmes-in-force-for-municipality",
        {"year": "vuosi", "municipalityCode": "236"},
        "The parameter 'year' must be an integer (e.g. 2023), not 'vuosi'",
        id="year not a number",
    ),
    pytest.param(
        "programmes-in-force-for-municipality",
        {"year": "2023", "municipalityCode": "84"},
        "The parameter 'municipalityCode' must be a value matching the pattern [0-9]{3} "
        "(e.g. 236), not '84'",
        id="code not three digits",
    ),
    pytest.param(
        "programmes-in-force-for-region",
        {"year": "2023", "regionCode": "008"},
        "The parameter 'regionCode' must be a value matching the pattern [0-9]{2} (e.g. 08), "
        "not '008'",
        id="region code not two digits",
    ),
    pytest.param(
        "area-registry-links",
        {"area": "region/08"},
        "The parameter 'area' must be an absolute IRI "
        "(e.g. https://w3id.org/aluekg/id/region/08), not 'region/08'",
        id="area not an IRI",
    ),
    pytest.param(
        "programme-structure",
        {"programme": "https://w3id.org/aluekg/id/a b"},
        "The parameter 'programme' must be an absolute IRI",
        id="IRI with a space",
    ),
    pytest.param(
        "code-classification-years",
        {"code": '"142"^^foo:bar'},
        "The parameter 'code' must be a literal whose datatype prefix is one of the query's",
        id="unknown datatype prefix",
    ),
    pytest.param(
        "code-classification-years",
        {"code": '"142"^^<kuntakoodi>'},
        "The parameter 'code' must be a literal whose datatype is an absolute IRI",
        id="datatype not an IRI",
    ),
    pytest.param(
        "code-classification-years",
        {"code": '"14"^^alue:kuntakoodi'},
        "The parameter 'code' must be a value matching the pattern [0-9]{3}",
        id="typed code not three digits",
    ),
    pytest.param(
        "programmes-by-topic",
        {"topic": YSO + "p1", "format": "ttl"},
        "This query's result is solutions",
        id="format the query cannot answer",
    ),
]


@pytest.mark.parametrize(("name", "params", "message"), BAD)
def test_a_wrong_or_missing_parameter_is_named(
    url: str, name: str, params: dict[str, str], message: str
) -> None:
    status, headers, body = call(url, name, **params)
    assert (status // 100, headers["Content-Type"]) == (4, TEXT)
    assert status == (406 if "format" in params else 400)
    assert body.decode().startswith(message), body


def test_a_repeated_parameter_is_a_400(url: str) -> None:
    status, _, body = get(f"{url}/api/programmes-by-topic?topic={YSO}p1&topic={YSO}p2")
    assert status == 400
    assert body.startswith(b"Give the parameter 'topic' exactly once, not 2 times")


def test_an_unknown_query_is_a_404(url: str) -> None:
    status, headers, body = get(f"{url}/api/no-such-query")
    assert (status, headers["Content-Type"]) == (404, TEXT)
    assert body == b"There is no query 'no-such-query'; GET /api/ lists them\n"


def test_etag_gives_304(url: str) -> None:
    params = {"topic": YSO + "p2275"}
    status, headers, _ = call(url, "programmes-by-topic", **params)
    assert status == 200
    etag = headers["ETag"]
    query = urllib.parse.urlencode(params)
    request = f"{url}/api/programmes-by-topic?{query}"
    assert get(request, **{"If-None-Match": etag})[0] == 304
    assert get(request, "text/csv", **{"If-None-Match": etag})[0] == 200
    # RFC 9110 §13.1.2: weak comparison, and "*" matches any representation there is.
    assert get(request, **{"If-None-Match": f"W/{etag}"})[0] == 304
    assert get(request, **{"If-None-Match": "*"})[0] == 304


def test_listing_names_every_query_and_each_example_answers(url: str) -> None:
    status, headers, body = get(url + "/api/", "application/json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    endpoints = json.loads(body)["endpoints"]
    assert [e["name"] for e in endpoints] == sorted(p.stem for p in QUERIES.glob("*.rq"))
    for endpoint in endpoints:
        # The examples are those of each query's own comment, so each finds something.
        status, _, answer = get(endpoint["example"], "application/sparql-results+json")
        assert status == 200, (endpoint["example"], answer)
        assert json.loads(answer)["results"]["bindings"], endpoint["example"]
    status, headers, body = get(url + "/api/", "text/html")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert b"programmes-in-force-for-municipality</a>" in body


def test_openapi_describes_each_query_with_its_comment(url: str) -> None:
    status, headers, body = get(url + "/openapi.json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    document = json.loads(body)
    validate(document)  # raises unless it is a valid OpenAPI 3.1 document
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {f"/api/{p.stem}" for p in QUERIES.glob("*.rq")}
    operation = document["paths"]["/api/programmes-in-force-for-municipality"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    # Written from the query's comment.
    assert parameters["year"]["description"] == "the year, as xsd:integer (e.g. 2023)."
    assert parameters["year"]["schema"] == {"type": "integer"}
    assert parameters["municipalityCode"]["schema"] == {
        "type": "string",
        "pattern": "^(?:[0-9]{3})$",
    }
    assert parameters["municipalityCode"]["required"] is True
    assert operation["description"].startswith(
        "Programmes in force in a given year whose area contains a given municipality"
    )
    assert "text/csv" in operation["responses"]["200"]["content"]


def test_worker_processes_bind_literals_too() -> None:
    with repository_service(workers=1) as live_url:
        found = rows(
            live_url,
            "programmes-in-force-for-municipality",
            ["programme"],
            year="2022",
            municipalityCode="236",
        )
    assert found == [(KAUSTINEN,)]


def test_remote_values_clause_writes_literals_in_the_engines_syntax() -> None:
    """A literal with a quote, a backslash and a newline survives the VALUES clause whole."""
    tricky = LiteralValue('Ä "x" \\ \n}', "http://www.w3.org/2001/XMLSchema#string")
    query = remote.with_bindings("SELECT ?v WHERE {}", {}, {"v": tricky})
    answer = Store().answer(query, Accepts(solutions="application/sparql-results+json", graph=None))
    [row] = json.loads(answer.body)["results"]["bindings"]
    assert row["v"]["value"] == 'Ä "x" \\ \n}'


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT ?y WHERE { FILTER (?y > 1) }", id="select"),
        pytest.param(
            "PREFIX e: <http://e/>\nSELECT ?y # {\n{ FILTER (?y > 1) } ORDER BY ?y",
            id="no WHERE keyword, a brace in a comment",
        ),
    ],
)
def test_remote_values_clause_is_seen_by_the_querys_filters(query: str) -> None:
    """As pyoxigraph's substitutions are: a trailing VALUES joins after the FILTERs have run."""
    year = LiteralValue("5", "http://www.w3.org/2001/XMLSchema#integer")
    bound = remote.with_bindings(query, {}, {"y": year})
    answer = Store().answer(bound, Accepts(solutions="application/sparql-results+json", graph=None))
    assert [row["y"]["value"] for row in json.loads(answer.body)["results"]["bindings"]] == ["5"]


def test_head_and_addresses_without_the_slash(url: str) -> None:
    status, _, body = get(f"{url}/api/programmes-by-topic?topic={YSO}p2275", method="HEAD")
    assert (status, body) == (200, b"")
    status, headers, _ = get(url + "/api", "application/json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert get(url + "/dumps", "application/json")[0] == 200
