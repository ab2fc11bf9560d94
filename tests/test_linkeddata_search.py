"""The search index (aluekg.linkeddata.search) on a real in-memory store: folded matching, the
order of hits, the page language, and one index per data version (rebuilt when it changes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aluekg.linkeddata.search import Index, Indexes, fold
from aluekg.query.store import Store

ID = "https://w3id.org/aluekg/id/"
LABELS = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix alue: <https://w3id.org/aluekg/ontology#> .
<{ID}municipality/992> a alue:Municipality ;
    skos:prefLabel "Äänekoski"@fi , "Äänekoski"@sv .
<{ID}municipality/020> a alue:Municipality ; skos:prefLabel "Akaa"@fi .
<{ID}source/x> skos:prefLabel "Vanha Äänekosken selvitys"@fi .
<{ID}source/y> skos:prefLabel "Selvitys Keskiäänekoskesta"@fi .
<{ID}municipality/905> a alue:Municipality ;
    skos:prefLabel "Vaasa"@fi , "Vasa"@sv .
<https://example.org/elsewhere> skos:prefLabel "Äänekoski elsewhere"@fi .
"""


def store_of(tmp_path: Path, *texts: str) -> Store:
    store = Store()
    files = []
    for number, text in enumerate(texts):
        path = tmp_path / f"{number}.ttl"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    store.load(files, tmp_path)
    return store


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Äänekoski", "aanekoski"), ("ÄÄNEKOSKI", "aanekoski"), ("Kaskö", "kasko"), ("Öja", "oja")],
)
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_hits_come_whole_name_prefix_first_then_word_prefix_then_inside(tmp_path: Path) -> None:
    index = Index.build(store_of(tmp_path, LABELS))
    hits = [hit.iri for hit in index.search("AANEKOSK", "fi")]
    assert hits == [ID + "municipality/992", ID + "source/x", ID + "source/y"]


def test_only_resources_under_the_base_are_found(tmp_path: Path) -> None:
    index = Index.build(store_of(tmp_path, LABELS))
    assert "https://example.org/elsewhere" not in {h.iri for h in index.search("aane", "fi")}


def test_a_hit_shows_its_label_in_the_page_language_or_the_nearest(tmp_path: Path) -> None:
    index = Index.build(store_of(tmp_path, LABELS))
    (vasa,) = index.search("vasa", "sv")
    assert (vasa.label.value, vasa.label.lang) == ("Vasa", "sv")
    (vaasa,) = index.search("vaasa", "en")
    assert (vaasa.label.value, vaasa.label.lang) == ("Vaasa", "fi")
    assert vaasa.types == ("https://w3id.org/aluekg/ontology#Municipality",)


def test_an_empty_search_finds_nothing(tmp_path: Path) -> None:
    assert Index.build(store_of(tmp_path, LABELS)).search("  ", "fi") == []


def test_the_index_is_built_once_per_data_version(tmp_path: Path) -> None:
    store = store_of(tmp_path, LABELS)
    indexes = Indexes()
    first = indexes.get(store)
    assert indexes.get(store) is first
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        f'<{ID}municipality/999> <http://www.w3.org/2004/02/skos/core#prefLabel> "Uusikunta"@fi .',
        encoding="utf-8",
    )
    store.load([extra], tmp_path)
    second = indexes.get(store)
    assert second is not first
    assert [hit.iri for hit in second.search("uusi", "fi")] == [ID + "municipality/999"]
