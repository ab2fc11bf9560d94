"""/reconcile over real HTTP, replaying what OpenRefine does when a service is added and used:
the manifest, a batch query by POST form, suggest, preview, a property proposal and data
extension. Every answer (and every request we send) is checked against the Reconciliation
Service API 0.2's own JSON Schemas (tests/reconciliation/). The data is the repository's own."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT7

from tests.dataset_service import repository_service

SCHEMAS = Path(__file__).parent / "reconciliation" / "schemas"
FORM = "application/x-www-form-urlencoded"


def _registry() -> Registry[Any]:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        # Their "$schema" is the generic "http://json-schema.org/schema#", which names no draft;
        # the schemas use draft-07 keywords, so they are read as draft-07.
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def check(schema: str, document: Any) -> None:
    """Raise if the document does not follow the named official schema."""
    contents = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    Draft7Validator(contents, registry=REGISTRY).validate(document)


def test_the_schemas_refuse_what_they_should() -> None:
    # A check that cannot fail proves nothing: a result without a score is refused.
    with pytest.raises(ValidationError):
        check("reconciliation-result-batch", {"q0": {"result": [{"id": "x", "name": "x"}]}})


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The service over ontology/ and data/, as `aluekg serve` builds it, on loopback."""
    with repository_service() as url:
        yield url


def fetch(url: str, form: dict[str, str] | None = None, **headers: str) -> tuple[int, str, str]:
    """Status, content type and text of a GET (or a POST of the form)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    if data is not None:
        request.add_header("Content-Type", FORM)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def get_json(url: str, form: dict[str, str] | None = None) -> Any:
    status, media_type, text = fetch(url, form)
    assert status == 200, text
    assert media_type.startswith("application/json")
    return json.loads(text)


def service_url(definition: dict[str, str]) -> str:
    return definition["service_url"] + definition.get("service_path", "")


def test_openrefine_sequence(base: str) -> None:
    # 1. Adding the service: OpenRefine reads the manifest.
    manifest = get_json(base + "/reconcile")
    check("manifest", manifest)
    assert {"view", "preview", "suggest", "extend"} <= manifest.keys()

    # 2. Reconciling a column: a batch of queries, POSTed as the form field `queries`.
    batch = {
        "q0": {"query": "Kaskö", "type": "municipality", "limit": 3, "type_strict": "should"},
        "q1": {"query": "Kaustinen", "limit": 3},
        "q2": {
            "query": "Kaustinen",
            "type": "sub-region",
            "properties": [{"pid": "year", "v": "2022"}],
        },
    }
    check("reconciliation-query-batch", batch)
    results = get_json(base + "/reconcile", {"queries": json.dumps(batch)})
    check("reconciliation-result-batch", results)
    # Kaskö is Kaskinen's Swedish name (kunta 231 in geofi_municipality_key_2025.csv).
    assert [(r["id"], r["match"]) for r in results["q0"]["result"]] == [("municipality/231", True)]
    # The municipality Kaustinen (236) and its sub-region Kaustinen (161): both exact, no match.
    q1 = {(r["id"], r["score"], r["match"]) for r in results["q1"]["result"]}
    assert q1 == {("municipality/236", 100, False), ("sub-region/161", 100, False)}
    assert [(r["id"], r["match"]) for r in results["q2"]["result"]] == [("sub-region/161", True)]

    # 3. Choosing a type and a candidate by hand: suggest for types and entities.
    types = get_json(service_url(manifest["suggest"]["type"]) + "?prefix=sub")
    check("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["sub-region"]
    entities = get_json(service_url(manifest["suggest"]["entity"]) + "?prefix=kask")
    check("suggest-entities-response", entities)
    assert "municipality/231" in {e["id"] for e in entities["result"]}
    # Any word of a name, narrowed by type: the regions 14, 15, 16 and 17 are (Etelä-, -, Keski-,
    # Pohjois-)Pohjanmaa.
    regions = get_json(service_url(manifest["suggest"]["entity"]) + "?prefix=pohjanm&type=region")
    check("suggest-entities-response", regions)
    assert {e["id"] for e in regions["result"]} == {
        "region/14",
        "region/15",
        "region/16",
        "region/17",
    }
    props = get_json(service_url(manifest["suggest"]["property"]) + "?prefix=wiki")
    check("suggest-properties-response", props)
    assert [p["id"] for p in props["result"]] == ["wikidata"]

    # 4. Hovering a candidate: the preview card.
    status, media_type, html = fetch(
        manifest["preview"]["url"].replace("{{id}}", "municipality/231")
    )
    assert (status, media_type.split(";")[0]) == (200, "text/html")
    assert "Kaskinen" in html
    assert "Kaskö" in html

    # 5. Adding columns from reconciled values: the property proposal, then data extension.
    proposal = get_json(
        service_url(manifest["extend"]["propose_properties"]) + "?type=municipality"
    )
    check("data-extension-property-proposal", proposal)
    proposed = [p["id"] for p in proposal["properties"]]
    assert {"code", "nuts", "wikidata", "sub-region", "region", "programmes"} <= set(proposed)
    query = {
        "ids": ["municipality/236", "municipality/231"],
        "properties": [
            {"id": "code"},
            {"id": "region", "settings": {"year": "2022"}},
            {"id": "nuts"},
            {"id": "programmes", "settings": {"year": "2023"}},
        ],
    }
    check("data-extension-query", query)
    extended = get_json(base + "/reconcile", {"extend": json.dumps(query)})
    check("data-extension-response", extended)
    kaustinen = extended["rows"]["municipality/236"]
    # geofi 2025 key: Kaustinen 236 is in maakunta 16 and NUTS 3 FI1D5.
    assert kaustinen["code"] == [{"str": "236"}]
    assert kaustinen["region"] == [{"id": "region/16", "name": "Keski-Pohjanmaa"}]
    assert kaustinen["nuts"] == [{"str": "FI1D5"}]
    # data/programme/: the Kaustinen vitality programme 2022-2026 covers municipality 236.
    assert kaustinen["programmes"] == [
        {
            "id": "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026",
            "name": "Kaustisen seudun Elinvoimaohjelma 2022-2026",
        }
    ]
    assert extended["rows"]["municipality/231"]["programmes"] == []


def test_a_batch_by_get_answers_as_by_post(base: str) -> None:
    batch = json.dumps({"q0": {"query": "jakobstad"}, "q1": {"query": "49"}})
    by_get = get_json(base + "/reconcile?" + urllib.parse.urlencode({"queries": batch}))
    assert by_get == get_json(base + "/reconcile", {"queries": batch})
    check("reconciliation-result-batch", by_get)
    assert by_get["q0"]["result"][0]["id"] == "municipality/598"
    assert by_get["q1"]["result"][0]["id"] == "municipality/049"


def test_jsonp_wraps_the_answer_in_the_callback(base: str) -> None:
    status, media_type, text = fetch(base + "/reconcile?callback=jsonp123")
    assert (status, media_type) == (200, "application/javascript")
    assert text.startswith("jsonp123(")
    assert text.endswith(");")
    check("manifest", json.loads(text[len("jsonp123(") : -2]))


def test_answers_carry_cors_headers(base: str) -> None:
    request = urllib.request.Request(
        base + "/reconcile", headers={"Origin": "http://127.0.0.1:3333"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_preview_needs_nothing_from_elsewhere(base: str) -> None:
    _, _, html = fetch(base + "/reconcile/preview?id=municipality/588")
    for external in ("<script", "<link", "<img", "src=", "url("):
        assert external not in html
    # municipality-mergers.csv: Pertunmaa 588 joined Mäntyharju 507 on 2025-01-01.
    assert "Mäntyharju (507)" in html


@pytest.mark.parametrize(
    ("path", "form", "status", "message"),
    [
        pytest.param("/reconcile", {"queries": "{"}, 400, "'queries' is not JSON", id="not-json"),
        pytest.param(
            "/reconcile",
            {"extend": "[" * 100_000},
            400,
            "'extend' is nested too deeply",
            id="nested-too-deeply",
        ),
        pytest.param(
            "/reconcile",
            {"queries": '{"q0": {"query": "Kotka", "type": "city"}}'},
            400,
            "Query 'q0': unknown type 'city'",
            id="unknown-type",
        ),
        pytest.param(
            "/reconcile",
            {"queries": '{"q0": {"query": "Kotka", "limit": 0}}'},
            400,
            "Query 'q0': 'limit' must be a positive number",
            id="bad-limit",
        ),
        pytest.param(
            "/reconcile",
            {"extend": '{"ids": ["region/08"], "properties": [{"id": "population"}]}'},
            400,
            "Unknown property",
            id="unknown-property",
        ),
        pytest.param(
            "/reconcile",
            {"extend": '{"ids": ["region/08"], "properties": [{"id": ["code"]}]}'},
            400,
            "Unknown property {'id': ['code']}",
            id="property-id-a-list",
        ),
        pytest.param(
            "/reconcile",
            {"extend": json.dumps({"ids": ["region/08"] * 1001, "properties": [{"id": "code"}]})},
            400,
            "Extend at most 1000 ids at once, not 1001",
            id="too-many-ids",
        ),
        pytest.param(
            "/reconcile",
            {"extend": '{"ids": [{"id": "region/08"}], "properties": [{"id": "code"}]}'},
            400,
            "'ids' must be a list of entity ids (strings), not [{'id': 'region/08'}]",
            id="ids-not-strings",
        ),
        pytest.param(
            "/reconcile",
            {"queries": '{"q0": {"query": "Kotka", "properties": [{"pid": "year", "v": "x"}]}}'},
            400,
            "Query 'q0': 'year' must be a year, not 'x'",
            id="bad-year",
        ),
        pytest.param(
            "/reconcile",
            {
                "extend": '{"ids": ["region/08"], "properties": [{"id": "code", "settings": '
                '{"year": 1e400}}]}'
            },
            400,
            "Property 'code': 'year' must be a year, not inf",
            id="infinite-year",
        ),
        pytest.param(
            "/reconcile",
            {"queries": '{"q0": {"query": "Kotka", "properties": 5}}'},
            400,
            "Query 'q0': 'properties' must be a list",
            id="properties-not-a-list",
        ),
        pytest.param(
            "/reconcile?callback=alert(1)",
            None,
            400,
            "'callback' must be a JavaScript function name",
            id="bad-callback",
        ),
        pytest.param(
            "/reconcile/preview?id=municipality/000",
            None,
            404,
            "No entity 'municipality/000'",
            id="unknown-preview",
        ),
        pytest.param(
            "/reconcile/properties?type=city", None, 400, "unknown type 'city'", id="bad-proposal"
        ),
    ],
)
def test_bad_requests_get_a_plain_message(
    base: str, path: str, form: dict[str, str] | None, status: int, message: str
) -> None:
    got_status, media_type, text = fetch(base + path, form)
    assert got_status == status
    assert media_type.startswith("text/plain")
    assert message in text


def test_a_json_body_is_refused_with_415(base: str) -> None:
    request = urllib.request.Request(
        base + "/reconcile", data=b"{}", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert raised.value.code == 415
    assert "as a form" in raised.value.read().decode()
