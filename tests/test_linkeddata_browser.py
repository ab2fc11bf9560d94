"""The linked-data pages in headless Chromium (issue 8): a reader opens the index, follows a
programme, its region and a municipality found by searching without accents, switches language,
reaches the ontology page; no page asks another host or needs JavaScript, each passes axe-core's
accessibility check with no serious or critical violation, and screenshots are kept under the
test run's output (pytest's basetemp, folder linkeddata-screenshots).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser import chromium
from tests.dataset_service import repository_service

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The repository's ontology and data on the embedded store (no worker processes)."""
    with repository_service() as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("linkeddata-screenshots", numbered=False)


@pytest.fixture
def requested() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, requested: list[str]) -> Iterator[Page]:
    """A page with JavaScript off (the pages must not need it) that may ask only 127.0.0.1."""
    context = browser.new_context(java_script_enabled=False, locale="fi-FI")

    def guard(route: Route) -> None:
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="module")
def checker(browser: Browser) -> Iterator[Page]:
    """A page with JavaScript on, for axe-core (a script) to check the documents the reader saw."""
    assert AXE.exists(), f"{AXE} is missing: run `make browser` (.ci/setup-axe)"
    context = browser.new_context()
    yield context.new_page()
    context.close()


def accessibility_violations(checker: Page, url: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page at url."""
    checker.goto(url)
    checker.add_script_tag(path=str(AXE))
    results: dict[str, Any] = checker.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def visit(page: Page, checker: Page, screenshots: Path, name: str, check: bool = True) -> None:
    """Keep a screenshot of the page the reader is on, and check it unless told it is a page
    already checked in another language (the same template)."""
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    if check:
        assert accessibility_violations(checker, page.url) == []


def test_a_reader_walks_from_the_index_to_a_municipality_and_the_ontology(
    page: Page, checker: Page, url: str, screenshots: Path, requested: list[str]
) -> None:
    response = page.goto(url + "/")
    assert response is not None
    assert response.status == 200
    # data/dataset.ttl's Finnish title.
    expect(page.locator("h1")).to_have_text(
        "aluekg: suomalaisten alueiden kehittämisohjelmien tietoverkko"
    )
    visit(page, checker, screenshots, "index")

    page.get_by_role("link", name="Kymenlaakson maakuntaohjelma 2022-2025").first.click()
    assert urlsplit(page.url).path == "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025"
    expect(page.locator("h1")).to_have_text("Kymenlaakson maakuntaohjelma 2022-2025")
    # data/programme/…: the first priority, in Finnish.
    expect(page.locator("#structure + h3 + ol > li").first).to_contain_text(
        "Innovatiivinen Kymenlaakso"
    )
    visit(page, checker, screenshots, "programme")

    page.get_by_role("link", name="in English").click()
    # The English label writes the period with an en dash.
    expect(page.locator("h1")).to_have_text("Kymenlaakso Regional Programme 2022\u20132025")
    assert page.locator("html").get_attribute("lang") == "en"
    visit(page, checker, screenshots, "programme-en", check=False)

    # The region from the programme's summary, still in English.
    page.locator("section[aria-labelledby=summary] dd a", has_text="Kymenlaakso").first.click()
    assert urlsplit(page.url).path == "/doc/region/08"
    expect(page.locator("h1")).to_have_text("Kymenlaakso")
    expect(page.locator("#covering + ul")).to_contain_text("Kymenlaakso Regional Programme")
    visit(page, checker, screenshots, "region")

    # Search without the accents: Äänekoski (municipality 992, registry).
    page.get_by_label("Search by name").fill("aanekoski")
    page.get_by_role("button", name="Search").click()
    assert urlsplit(page.url).path == "/search"
    results = page.locator("section[aria-label=municipality] a")
    expect(results).to_have_text(["Äänekoski"])
    visit(page, checker, screenshots, "search")
    results.first.click()
    assert urlsplit(page.url).path == "/doc/municipality/992"
    expect(page.locator("h1")).to_have_text("Äänekoski")
    visit(page, checker, screenshots, "municipality")

    page.get_by_role("link", name="Ontology").first.click()
    assert urlsplit(page.url).path == "/ontology"
    expect(page.locator("#Programme h3")).to_contain_text("programme")
    visit(page, checker, screenshots, "ontology")

    page.get_by_role("link", name="suomeksi").click()
    expect(page.locator("#Programme h3")).to_contain_text("ohjelma")
    assert [u for u in requested if urlsplit(u).hostname != "127.0.0.1"] == []
    assert {p.name for p in screenshots.iterdir()} >= {
        "index.png",
        "programme.png",
        "region.png",
        "municipality.png",
        "ontology.png",
    }


def test_an_unknown_iri_shows_a_page_that_helps(
    page: Page, checker: Page, url: str, screenshots: Path
) -> None:
    response = page.goto(url + "/id/municipality/no-such-code")
    assert response is not None
    assert response.status == 404
    visit(page, checker, screenshots, "not-found")
    page.get_by_label("Hae nimellä").fill("perho")
    page.get_by_role("button", name="Haku").click()
    page.locator("section[aria-label=kunta] a", has_text="Perho").click()
    assert urlsplit(page.url).path == "/doc/municipality/584"


@pytest.mark.parametrize(
    "path",
    [
        "/doc/municipality/584",
        "/doc/region/08",
        "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025",
    ],
)
def test_long_addresses_wrap_instead_of_widening_the_page(
    browser: Browser, url: str, path: str
) -> None:
    # data/registry/municipalities.ttl cites GitHub addresses of over 100 characters; a page
    # that scrolls sideways hides half of each table from a reader with a narrow window.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 800, "height": 600})
    opened = context.new_page()
    opened.goto(url + path)
    widths = opened.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    context.close()
    assert widths[0] <= widths[1]


def test_a_pages_query_link_opens_the_query_about_it(browser: Browser, url: str) -> None:
    # The resource page links to /sparql#query=DESCRIBE <iri>; YASGUI makes a tab of it, which
    # must be the one shown, not the first of the example queries from queries/.
    context = browser.new_context()
    opened = context.new_page()
    opened.goto(url + "/doc/municipality/584")
    opened.locator('a[href^="/sparql#"]').click()
    # Until the script has run, the name yasgui is the element <main id="yasgui">.
    opened.wait_for_function("() => typeof yasgui.getTab === 'function' && yasgui.getTab()")
    shown = opened.evaluate("() => yasgui.getTab().getQuery()")
    context.close()
    assert shown == "DESCRIBE <https://w3id.org/aluekg/id/municipality/584>"
