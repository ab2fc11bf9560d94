"""The query page at /sparql in headless Chromium: YASGUI loads from the server itself, holds the
queries of queries/ as tabs, runs a query and shows its results, and asks no other host (issue 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from aluekg import serving
from aluekg.config import Settings
from aluekg.web import page as query_page
from tests.browser import chromium
from tests.sparql_service import live

# The ontology's own labels for alue:Programme (ontology/aluekg.ttl).
LABELS_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { <https://w3id.org/aluekg/ontology#Programme> rdfs:label ?label }
ORDER BY ?label"""

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """The real service over the repository's ontology, on a free loopback port."""
    settings = replace(Settings(), data_files=(Settings().ontology_dir,))
    service = serving.build(settings)
    try:
        with live(service.app) as url:
            yield url
    finally:
        service.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def requested() -> list[str]:
    """Every URL the page asked for (filled in by the page fixture)."""
    return []


@pytest.fixture
def page(browser: Browser, requested: list[str]) -> Iterator[Page]:
    """A fresh page whose requests to any host but 127.0.0.1 are recorded and refused."""
    context = browser.new_context()

    def guard(route: Route) -> None:
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()


def open_page(page: Page, live_url: str) -> None:
    response = page.goto(f"{live_url}/sparql", wait_until="networkidle")
    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()


def test_the_page_holds_the_example_queries_as_tabs(
    page: Page, live_url: str, requested: list[str]
) -> None:
    open_page(page, live_url)
    tabs = query_page.example_tabs(query_page.QUERIES_DIR)
    assert tabs, "queries/ holds the example queries"
    names = page.locator(".tabsList .tab a > span").all_inner_texts()
    assert names == [tab.name for tab in tabs]
    assert page.evaluate("yasgui.getTab().getYasqe().getValue()") == tabs[0].query
    assert page.evaluate("yasgui.getTab().getEndpoint()") == f"{live_url}/sparql"


def test_a_query_runs_and_its_results_show(page: Page, live_url: str, requested: list[str]) -> None:
    open_page(page, live_url)
    page.evaluate("query => yasgui.getTab().getYasqe().setValue(query)", LABELS_QUERY)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click(".yasqe_queryButton")
    assert answer.value.status == 200
    assert answer.value.url == f"{live_url}/sparql"
    table = page.locator(".yasr table.dataTable")
    expect(table).to_contain_text('"ohjelma"')
    cells = table.locator("tbody td").all_inner_texts()
    assert [cell.strip() for cell in cells if "programme" in cell or "ohjelma" in cell] == [
        '"ohjelma"@fi',
        '"programme"@en',
    ]


def test_the_page_asks_no_other_host(page: Page, live_url: str, requested: list[str]) -> None:
    open_page(page, live_url)
    page.evaluate("query => yasgui.getTab().getYasqe().setValue(query)", LABELS_QUERY)
    page.click(".yasqe_queryButton")
    expect(page.locator(".yasr table.dataTable")).to_contain_text('"programme"')
    paths = {urlsplit(url).path for url in requested}
    assert {"/sparql", "/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css"} <= paths
    assert [url for url in requested if urlsplit(url).hostname != "127.0.0.1"] == []
