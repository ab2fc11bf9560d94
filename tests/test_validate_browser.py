"""The /validate page in headless Chromium: upload a broken file, read its violations in the
table in Finnish and in English, download the report (issue 5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from aluekg.config import Settings
from tests.browser import chromium
from tests.sparql_service import live
from tests.test_http_validate import FIXTURES, app_with

WAIT_MS = 120_000
SH_CONFORMS = pyoxigraph.NamedNode("http://www.w3.org/ns/shacl#conforms")

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """A real uvicorn serving the validation router on a free loopback port."""
    with live(app_with(Settings())) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    # Each upload is validated against the whole repository; give a busy machine time.
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def upload(page: Page, live_url: str, name: str) -> None:
    page.goto(f"{live_url}/validate")
    page.set_input_files("#file", str(FIXTURES / name))
    page.click("#submit")
    expect(page.locator("#report")).to_be_visible(timeout=WAIT_MS)


def resource(page: Page, local: str) -> Locator:
    """The table's group of rows for one resource of the upload, by its IRI."""
    return page.locator("#results tbody.resource").filter(
        has=page.locator("code.focus", has_text=re.compile(rf"^{re.escape(ID + local)}$"))
    )


def test_a_broken_upload_shows_its_violations_in_finnish(page: Page, live_url: str) -> None:
    upload(page, live_url, "broken-programme.ttl")
    for local, messages in EXPECTED.items():
        group = resource(page, local)
        expect(group.locator("small.where")).to_have_text(
            re.compile(r"^broken-programme\.ttl:\d+$")
        )
        for fi, _ in messages:
            row = group.locator("tr.result", has_text=fi)
            expect(row).to_be_visible()
            expect(row.locator("td.Violation")).to_have_count(1)
    expect(page.locator("#verdict")).to_contain_text("Aineistossa on rikkeitä.")


def test_the_switch_shows_the_report_in_english(page: Page, live_url: str) -> None:
    upload(page, live_url, "broken-programme.ttl")
    page.click("label[for=lang-en]")
    for local, messages in EXPECTED.items():
        group = resource(page, local)
        for fi, en in messages:
            expect(group.get_by_text(en)).to_be_visible()
            expect(group.get_by_text(fi)).to_be_hidden()
    expect(page.locator("#verdict")).to_contain_text("The data has violations.")


def test_the_report_downloads_as_turtle(page: Page, live_url: str, tmp_path: Path) -> None:
    upload(page, live_url, "broken-programme.ttl")
    with page.expect_download() as download:
        page.click("#download-turtle")
    saved = tmp_path / "report.ttl"
    download.value.save_as(saved)
    graph = pyoxigraph.parse(path=saved, format=pyoxigraph.RdfFormat.TURTLE)
    assert {t.object for t in graph if t.predicate == SH_CONFORMS} == {pyoxigraph.Literal(False)}


def test_a_syntax_error_shows_its_line_and_column(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/validate")
    page.set_input_files("#file", str(FIXTURES / "syntax-error.ttl"))
    page.click("#submit")
    expect(page.locator("#error")).to_contain_text(
        "syntax-error.ttl: line 3, column 11", timeout=WAIT_MS
    )


def test_pasted_conforming_text_says_so(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/validate?lang=en")
    page.fill("#text", (FIXTURES / "conforming.ttl").read_text(encoding="utf-8"))
    page.click("#submit")
    expect(page.locator("#verdict")).to_contain_text("The data conforms.", timeout=WAIT_MS)
    # The existing data may have warnings of its own; the pasted resources have no results.
    for local in ("programme/esimerkkiohjelma", "programme/esimerkkiohjelma/theme/1"):
        expect(resource(page, local)).to_have_count(0)


# Written from broken-programme.ttl and the sh:message of each shape it breaks (P-01, P-07 on the
# programme; P-06 on its period, with the {?value} placeholder filled in): (Finnish, English).
ID = "https://w3id.org/aluekg/id/"
EXPECTED = {
    "programme/testiohjelma": [
        (
            "Anna ohjelmalle täsmälleen yksi suomenkielinen nimi",
            "Give the programme exactly one Finnish name",
        ),
        (
            "Anna ohjelman alue (dcterms:spatial) rekisterissä olevana alueena",
            "Give the programme's area (dcterms:spatial) as an area of the registry",
        ),
    ],
    "programme/testiohjelma/period": [
        ("Loppuvuosi 2024 on ennen alkuvuotta", "The end year 2024 is before the start year"),
    ],
}
