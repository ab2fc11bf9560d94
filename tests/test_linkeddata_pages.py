"""Pages for people over real HTTP (issue 8.2): the index, the search box (folded, prefix first,
grouped by type), the language of a page (?lang=, Accept-Language, fallback), and a resource page's
labels, links, referrers and format links. Expected names are read from data/ and ontology/.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest

from aluekg import serving
from aluekg.config import Settings
from tests.sparql_service import live


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    service = serving.build(replace(Settings(), workers=0))
    try:
        with live(service.app) as address:
            yield address
    finally:
        service.close()


def page(url: str, **headers: str) -> str:
    request = urllib.request.Request(url, headers={"Accept": "text/html", **headers})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/html")
        text: str = response.read().decode()
        return text


def heading(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link, in order."""
    return [
        (href, re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    ]


def test_the_index_lists_programmes_regions_and_ways_in(url: str) -> None:
    html = page(url + "/")
    # data/dataset.ttl's Finnish title.
    assert heading(html) == "aluekg: suomalaisten alueiden kehittämisohjelmien tietoverkko"
    found = dict(links(html))
    # data/programme/*.ttl
    assert found["/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025"] == (
        "Kymenlaakson maakuntaohjelma 2022-2025"
    )
    assert "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026" in found
    # data/registry/regions.ttl: region 08 is Kymenlaakso.
    assert found["/doc/region/08"] == "Kymenlaakso"
    for address in (
        "/sparql",
        "/.well-known/void",
        "/dumps/",
        "/api/",
        "/openapi.json",
        "/ontology",
    ):
        assert address in found


def test_the_index_speaks_english_when_asked(url: str) -> None:
    html = page(url + "/?lang=en")
    assert heading(html) == "aluekg: knowledge graph of Finnish regional development programmes"
    assert '<html lang="en">' in html


def test_search_folds_case_and_accents(url: str) -> None:
    html = page(url + "/search?q=aanekoski")
    # data/registry/municipalities.ttl: Äänekoski is municipality 992, sub-region 135.
    assert ("/doc/municipality/992", "Äänekoski") in links(html)
    assert ("/doc/sub-region/135", "Äänekoski") in links(html)


def test_search_groups_hits_by_type_aluekg_types_first(url: str) -> None:
    html = page(url + "/search?q=aanekoski")
    groups = re.findall(r"<h3>(.*?)</h3>", html)
    # ontology/aluekg.ttl labels alue:Municipality "kunta" and alue:SubRegion "seutukunta".
    assert "kunta" in groups
    assert "seutukunta" in groups
    assert groups.index("kunta") < groups.index("skos:Concept")


def test_search_puts_prefix_matches_first(url: str) -> None:
    found = [
        text for href, text in links(page(url + "/search?q=kaustinen")) if href.startswith("/doc/")
    ]
    # "Kaustinen" (municipality 236, sub-region 161) begins with the text; the programme
    # "Kaustisen seudun …" does not contain it, and no label only containing it comes first.
    assert found[0] == "Kaustinen"
    first_other = next(i for i, text in enumerate(found) if not text.startswith("Kaustinen"))
    assert all(text.startswith("Kaustinen") for text in found[:first_other])


def test_search_shows_labels_in_the_page_language(url: str) -> None:
    # data/registry/sub-regions.ttl: sub-region 161 is "Kaustby" in Swedish.
    assert ("/doc/sub-region/161?lang=sv", "Kaustby") in links(
        page(url + "/search?q=kaustby&lang=sv")
    )


def test_an_empty_search_shows_the_box_and_no_results(url: str) -> None:
    html = page(url + "/search?q=")
    assert 'action="/search"' in html
    assert "<h2>" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        pytest.param("", {}, "Kaustinen", id="Finnish by default"),
        pytest.param("?lang=sv", {}, "Kaustby", id="lang parameter"),
        pytest.param("", {"Accept-Language": "sv-FI, en;q=0.5"}, "Kaustby", id="Accept-Language"),
        pytest.param("?lang=fi", {"Accept-Language": "sv"}, "Kaustinen", id="parameter wins"),
    ],
)
def test_a_page_speaks_the_language_asked_for(
    url: str, query: str, headers: dict[str, str], expected: str
) -> None:
    assert heading(page(url + "/doc/sub-region/161" + query, **headers)) == expected


def test_a_label_falls_back_to_a_language_that_exists(url: str) -> None:
    # data/programme/kymenlaakson-maakuntaohjelma-2022-2025.ttl has fi and en labels, no sv.
    html = page(url + "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025?lang=sv")
    assert heading(html) == "Kymenlaakson maakuntaohjelma 2022-2025"
    assert '<span lang="fi">Kymenlaakson maakuntaohjelma 2022-2025</span>' in html


def test_a_resource_page_shows_values_by_label_and_what_refers_to_it(url: str) -> None:
    html = page(url + "/doc/municipality/584")
    assert heading(html) == "Perho"
    found = links(html)
    # data/registry/municipalities.ttl: Perho is in sub-region 161 (Kaustinen); its level is the
    # code-list concept "kunta" (ontology/vocab/admin-level.ttl); Wikidata Q1009347 (links.ttl).
    assert ("/doc/sub-region/161", "Kaustinen") in found
    assert ("/doc/vocab/admin-level/kunta", "kunta") in found
    assert any(href == "http://www.wikidata.org/entity/Q1009347" for href, _ in found)
    # What refers to it: its classification concepts (classifications-2022.ttl, -2025.ttl).
    assert ("/doc/classification/kunta-2022/584", "Perho") in found
    # Links to its formats and a query about it.
    for extension in ("ttl", "nt", "jsonld", "rdf"):
        assert (f"/doc/municipality/584.{extension}", extension) in found
    query = next(href for href, _ in found if href.startswith("/sparql#"))
    assert urllib.parse.parse_qs(query.split("#", 1)[1])["query"] == [
        "DESCRIBE <https://w3id.org/aluekg/id/municipality/584>"
    ]
