"""Pages for people over real HTTP (issue 8.2): the index, the search box (folded, prefix first,
grouped by type), the language of a page (?lang=, Accept-Language, fallback), and a resource page's
labels, links, referrers and format links. Expected names are read from data/ and ontology/.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html import unescape

import pytest

from tests.dataset_service import repository_service


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with repository_service() as address:
        yield address


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
    # Both are named "Perho", so each is told apart by its IRI.
    assert ("/doc/classification/kunta-2022/584", "Perho (id/classification/kunta-2022/584)") in (
        found
    )
    # Links to its formats and a query about it.
    for extension in ("ttl", "nt", "jsonld", "rdf"):
        assert (f"/doc/municipality/584.{extension}", extension) in found
    query = next(href for href, _ in found if href.startswith("/sparql#"))
    assert urllib.parse.parse_qs(query.split("#", 1)[1])["query"] == [
        "DESCRIBE <https://w3id.org/aluekg/id/municipality/584>"
    ]


def section(html: str, heading_id: str) -> str:
    """The text of the section headed by the element with this id, tags removed."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end])))


def test_a_programme_page_shows_its_structure_in_order(url: str) -> None:
    html = page(url + "/doc/programme/kymenlaakson-maakuntaohjelma-2022-2025?lang=en")
    summary = section(html, "summary")
    # data/programme/kymenlaakson-maakuntaohjelma-2022-2025.ttl
    assert "2022\u20132025" in summary  # the page joins start and end with an en dash
    assert "2021-11-29" in summary
    assert "Kymenlaakso" in summary
    structure = section(html, "structure")
    priorities = [
        "1. Innovative Kymenlaakso",
        "1.1. Renewing business and industry",
        "1.2. Accelerating smart specialisation",
        "1.3. Improving skills and education",
        "2. Sustainable Kymenlaakso",
        "2.1. Improving the region's accessibility",
        "3. Active Kymenlaakso",
        "3.3. Culture and sport",
    ]
    positions = [structure.index(text) for text in priorities]
    assert positions == sorted(positions)
    # The cross-cutting themes come after the priorities.
    assert structure.index("sustainable development") > positions[-1]
    assert structure.index("digitalisation") > structure.index("sustainable development")


def test_a_programme_page_shows_its_area_within_the_larger_areas(url: str) -> None:
    html = page(url + "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026")
    summary = section(html, "summary")
    # Veteli (924) is in sub-region 161 Kaustinen, in region 16 Keski-Pohjanmaa (registry).
    assert "Veteli → Kaustinen → Keski-Pohjanmaa" in summary
    # The vision's text, verbatim from the programme file.
    assert "Kaustisen seutu on muutoksissa menestyvä" in section(html, "structure")


def test_an_area_page_shows_codes_parents_children_links_and_programmes(url: str) -> None:
    html = page(url + "/doc/sub-region/161")
    years = section(html, "classification")
    # classifications-2022.ttl and -2025.ttl: 161 in region 16, with Perho (584) among its
    # municipalities in both years.
    assert years.count("Keski-Pohjanmaa (16)") == 2
    assert years.count("Perho (584)") == 2
    # The Kaustinen programme's area is five of 161's municipalities: it lies within 161.
    assert "Kaustisen seudun Elinvoimaohjelma 2022-2026" in section(html, "covering")


def test_an_area_page_links_its_registries_and_changes(url: str) -> None:
    html = page(url + "/doc/region/08")
    found = [href for href, _ in links(html)]
    # data/registry/links.ttl and koodistot.ttl for region 08.
    assert "http://www.wikidata.org/entity/Q5698" in found
    assert "http://uri.suomi.fi/codelist/jhs/maakunta_1_20220101/code/08" in found
    assert "http://www.yso.fi/onto/yso/p94243" in found
    # municipalities.ttl: Iitti moved from region 08 on 2021-01-01.
    assert "2021-01-01" in section(html, "changes")
    covering = section(html, "covering")
    assert "Kymenlaakson maakuntaohjelma 2022-2025" in covering


def test_a_merged_municipality_names_where_it_went(url: str) -> None:
    # municipalities.ttl: Pertunmaa (588) dcterms:isReplacedBy Mäntyharju (507).
    assert ("/doc/municipality/507", "Mäntyharju") in links(page(url + "/doc/municipality/588"))
    assert ("/doc/municipality/588", "Pertunmaa") in links(page(url + "/doc/municipality/507"))


def test_the_ontology_page_lists_terms_and_code_lists(url: str) -> None:
    html = page(url + "/ontology")
    assert heading(html) == "aluekg-ontologia: alueiden kehittämisohjelmat"
    # ontology/aluekg.ttl: alue:partOfProgramme, domain ProgrammeComponent, range Programme.
    start = html.index('id="partOfProgramme"')
    term = html[start : html.index("</article>", start)]
    assert "kuuluu ohjelmaan" in term
    assert 'href="/ontology#ProgrammeComponent"' in term
    assert 'href="/ontology#Programme"' in term
    # ontology/vocab/programme-type.ttl's concepts, linked to their pages.
    assert "/doc/vocab/programme-type/maakuntaohjelma" in [href for href, _ in links(html)]


def test_the_shapes_page_shows_each_named_shape_with_its_property_shapes(url: str) -> None:
    html = page(url + "/shapes")
    # shapes/programme.ttl: alush:ProgrammeShape targets alue:Programme; the prefLabel property
    # shape has an inline (blank-node) qualified value shape.
    start = html.index('id="ProgrammeShape"')
    shape = html[start : html.index("</section>", start)]
    assert 'href="/ontology#Programme"' in shape
    start = html.index('id="Programme-prefLabel"')
    assert 'class="nested"' in html[start : html.index("</section>", start)]


CONTACT = "/doc/organisation/kaustisen-seutukunta/contact/petri-jylha"


def test_a_contact_is_named_by_its_vcard_name_on_every_page(url: str) -> None:
    # data/organisation/kaustisen-seutukunta.ttl: the contact has vcard:fn "Petri Jylhä" and no
    # skos:prefLabel; the Kaustinen programme names it as a dcat:contactPoint.
    assert heading(page(url + CONTACT)) == "Petri Jylhä"
    html = page(url + "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026")
    assert (CONTACT, "Petri Jylhä") in links(html[html.index('id="statements"') :])
    assert (CONTACT, "Petri Jylhä") in links(page(url + "/search?q=jylha"))


def test_a_programme_page_shows_what_influenced_it_and_what_it_guides(url: str) -> None:
    # data/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl: prov:wasInfluencedBy the
    # discussions, alue:guides the organisation Kaustisen seutukunta.
    html = page(url + "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026?lang=en")
    summary = section(html, "summary")
    assert "Influenced by discussions with businesses, municipalities, RDI actors" in summary
    assert "Guides Kaustisen seutukunta (sub-regional cooperation body" in summary


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("fi", "Petri Jylhä (kehittämisjohtaja)", id="fi"),
        pytest.param("en", "Petri Jylhä (development director)", id="en"),
    ],
)
def test_a_programme_page_gives_each_contact_its_title(url: str, lang: str, expected: str) -> None:
    # data/organisation/kaustisen-seutukunta.ttl: vcard:title "kehittämisjohtaja"@fi,
    # "development director"@en, as the programme's page names him.
    html = page(url + f"/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026?lang={lang}")
    # section() spaces out the tags: the title is in a span of its own (it has a language).
    assert expected in section(html, "summary").replace("( ", "(").replace(" )", ")")


@pytest.mark.parametrize(
    ("programme", "other"),
    [
        pytest.param(
            "kymenlaakson-maakuntaohjelma-2022-2025",
            "Kymenlaakso Smart Specialisation Strategy",
            id="the regional programme names the strategy",
        ),
        pytest.param(
            "kymenlaakson-alykkaan-erikoistumisen-strategia",
            "Kymenlaakso Regional Programme 2022\u20132025",
            id="the strategy names the regional programme",
        ),
    ],
)
def test_a_programme_page_names_what_came_of_the_same_preparation(
    url: str, programme: str, other: str
) -> None:
    # data/programme/kymenlaakson-alykkaan-erikoistumisen-strategia.ttl: the strategy was
    # updated "osana maakuntaohjelman valmistelua" (prov:wasGeneratedBy the programme's
    # preparation, data/programme/kymenlaakson-maakuntaohjelma-2022-2025.ttl).
    html = page(url + f"/doc/programme/{programme}?lang=en")
    assert f"From the same preparation {other}" in section(html, "summary")


def test_a_graph_page_lists_its_resources_and_no_empty_table(url: str) -> None:
    # data/programme/kymenlaakson-alykkaan-erikoistumisen-strategia.ttl describes the strategy,
    # its structure and three strengths; the graph itself has no statements of its own.
    html = page(url + "/graph/data/programme/kymenlaakson-alykkaan-erikoistumisen-strategia.ttl")
    assert 'id="statements"' not in html
    members = section(html, "members")
    for name in ("Kymenlaakson älykkään erikoistumisen strategia", "logistiikka", "digitalous"):
        assert name in members


def test_search_hits_with_the_same_name_are_told_apart(url: str) -> None:
    # data/registry/classifications-2022.ttl and -2025.ttl: Kaustinen is municipality 236 and
    # sub-region 161, each with a classification concept per year, all named "Kaustinen".
    found = links(page(url + "/search?q=kaustinen"))
    concepts = [text for href, text in found if href.startswith("/doc/classification/")]
    assert "Kaustinen (id/classification/kunta-2022/236)" in concepts
    assert "Kaustinen (id/classification/seutukunta-2025/161)" in concepts
    assert len(set(concepts)) == len(concepts)


def test_the_ontology_page_gives_each_definition_in_finnish_and_english(url: str) -> None:
    # ontology/aluekg.ttl: alue:CrossCuttingTheme's skos:definition in @fi and @en.
    html = page(url + "/ontology")
    start = html.index('id="CrossCuttingTheme"')
    term = unescape(html[start : html.index("</article>", start)])
    assert "Teema, joka koskee ohjelman kaikkia painopisteitä" in term
    assert "A theme that applies across all of a programme's priorities" in term


def test_a_programme_page_tells_how_it_was_prepared(url: str) -> None:
    # data/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl: the preparation's
    # description, who took part (the staff; the workshop's municipal staff and elected
    # officials) and what it drew on (the digital strategy among others), as the source says.
    html = page(url + "/doc/programme/kaustisen-seudun-elinvoimaohjelma-2022-2026?lang=en")
    summary = section(html, "summary")
    assert "The programme was updated to meet the challenges and opportunities" in summary
    for agent in ("staff of the sub-regional organisation", "municipal staff", "elected officials"):
        assert agent in summary.split("Prepared by and with", 1)[1]
    assert "Digital strategy of the Kaustinen sub-region" in summary.split("Drawn on", 1)[1]
