"""Matching quality on a table of names written from the registry files, with precision and recall.

Each case names what a researcher's spreadsheet may hold and the entity it should reconcile to,
read from data/registry/source/ (geofi_municipality_key_2025.csv for names and codes,
linking-identifiers.csv for NUTS and Wikidata, municipality-mergers.csv for Pertunmaa) and from
data/organisation/ and data/programme/. `matched` says whether the service should be sure (a single
exact candidate: `match: true`) or only offer the entity first among its candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aluekg import serving
from aluekg.config import REPOSITORY, Settings
from aluekg.query.store import Store
from aluekg.reconcile import table
from aluekg.reconcile.matching import Matcher, Query
from aluekg.reconcile.protocol import Reconciler


@dataclass(frozen=True)
class Case:
    text: str
    expected: str | None  # the entity it should lead to (None: nothing in the graph)
    matched: bool  # whether that should be a certain match
    types: tuple[str, ...] = ()
    year: int | None = None
    region: str | None = None
    level: str | None = None


M, S, R = ("municipality",), ("sub-region",), ("region",)
CASES = [
    # Swedish names (municipality_name_sv).
    Case("Kaskö", "municipality/231", True),
    Case("Jakobstad", "municipality/598", True),
    Case("Nykarleby", "municipality/893", True),
    Case("Kristinestad", "municipality/287", True),
    Case("Esbo", "municipality/049", True),
    Case("Helsingfors", "municipality/091", True, M),
    Case("Åbo", "municipality/853", True, M),
    Case("Karleby", "municipality/272", True, M),
    Case("Kymmenedalen", "region/08", True),
    Case("Mellersta Österbotten", "region/16", True),
    # English names (maakunta_name_en).
    Case("Central Ostrobothnia", "region/16", True),
    Case("South Savo", "region/10", True),
    # Lower case, no accents, other word order, hyphens left out or spaced.
    Case("kasko", "municipality/231", True),
    Case("mantyharju", "municipality/507", True),
    Case("PAIJAT-HAME", "region/07", True),
    Case("pohjanmaa etela", "region/14", True),
    Case("Keski Pohjanmaa", "region/16", True),
    Case("keskipohjanmaa", "region/16", True),
    Case("nykarleby ", "municipality/893", True),
    # Typos: found, never certain.
    Case("Kaskinnen", "municipality/231", False),
    Case("Jakobstadt", "municipality/598", False),
    Case("Uusikaarlepyyy", "municipality/893", False),
    Case("Mäntyharu", "municipality/507", False),
    Case("Kymenlakso", "region/08", False, R),
    # A typo in a word's first letter that changes the order of the words once sorted.
    Case("Pohjois-avo", "region/11", False, R),
    # Statistics Finland codes, with and without leading zeros.
    Case("231", "municipality/231", True),
    Case("049", "municipality/049", True),
    Case("49", "municipality/049", True),
    Case("91", "municipality/091", True, M),
    Case("8", "region/08", True, R),
    Case("08", "region/08", True, R),
    Case("161", "sub-region/161", True, S),
    Case("81", "sub-region/081", True, S),
    # NUTS, Wikidata and koodistot identifiers (linking-identifiers.csv, koodistot.ttl).
    Case("FI1C7", "region/08", True),
    Case("fi1d5", "region/16", True),
    Case("Q5698", "region/08", True),
    Case("http://www.wikidata.org/entity/Q5696", "region/16", True),
    Case("http://uri.suomi.fi/codelist/jhs/kunta_1_20220101/code/236", "municipality/236", True),
    # Merged since 2020: Pertunmaa 588 joined Mäntyharju 507 on 2025-01-01.
    Case("Pertunmaa", "municipality/507", False),
    Case("588", "municipality/507", False),
    Case("Pertunmaa", "municipality/588", True, year=2024),
    Case("588", "municipality/588", True, year=2022),
    # A name shared by a municipality and its sub-region: certain only once the type is known.
    Case("Kaustinen", "municipality/236", True, M),
    Case("Kaustinen", "sub-region/161", True, S),
    Case("Kaustinen", "sub-region/161", True, level="seutukunta"),
    Case("Kouvola", "sub-region/081", True, S),
    Case("Vasa", "municipality/905", True, M),
    Case("Kokkola", "municipality/272", True, M, region="16"),
    # Organisations, programmes and their parts (data/organisation/, data/programme/).
    Case("Kymenlaakson liitto", "organisation/kymenlaakson-liitto", True),
    Case("Regional Council of Kymenlaakso", "organisation/kymenlaakson-liitto", True),
    Case(
        "Kymenlaakson maakuntaohjelma 2022-2025",
        "programme/kymenlaakson-maakuntaohjelma-2022-2025",
        True,
    ),
    Case(
        "Uusiutuvan energian ja biotalouden seutu",
        "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026/theme/1",
        True,
        ("programme-component",),
    ),
    # Nothing to find, or not to be decided: no match.
    Case("Kaustinen", None, False),
    Case("Vasa", None, False),
    Case("Oslo", None, False),
    Case("Tukholma", None, False),
    Case("Helsinki", None, False, region="08"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return table.matcher_for(Settings())


@dataclass
class Quality:
    """Precision and recall of the certain matches, and how often the right entity came first."""

    true_matches: int = 0
    false_matches: int = 0
    expected_matches: int = 0
    first: int = 0
    expected_entities: int = 0

    @property
    def precision(self) -> float:
        made = self.true_matches + self.false_matches
        return self.true_matches / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.true_matches / self.expected_matches if self.expected_matches else 1.0

    @property
    def first_rate(self) -> float:
        return self.first / self.expected_entities if self.expected_entities else 1.0

    def __str__(self) -> str:
        return (
            f"match precision {self.precision:.3f}, match recall {self.recall:.3f} "
            f"({self.true_matches}/{self.expected_matches}), right entity first "
            f"{self.first_rate:.3f} ({self.first}/{self.expected_entities}), "
            f"{len(CASES)} cases"
        )


def measure(matcher: Matcher) -> tuple[Quality, list[str]]:
    """The quality over CASES, and a line for each case the matcher got wrong."""
    quality = Quality()
    wrong = []
    for case in CASES:
        query = Query(case.text, case.types, 5, case.year, case.region, case.level)
        candidates = matcher.match(query)
        chosen = next((c.entity.id for c in candidates if c.match), None)
        top = candidates[0].entity.id if candidates else None
        if case.matched:
            quality.expected_matches += 1
        if chosen is not None:
            if case.matched and chosen == case.expected:
                quality.true_matches += 1
            else:
                quality.false_matches += 1
        if case.expected is not None:
            quality.expected_entities += 1
            quality.first += top == case.expected
        if chosen != (case.expected if case.matched else None) or (
            case.expected is not None and top != case.expected
        ):
            wrong.append(f"{case}: chose {chosen}, first {top}")
    return quality, wrong


def test_matching_quality(matcher: Matcher, capsys: pytest.CaptureFixture[str]) -> None:
    quality, wrong = measure(matcher)
    with capsys.disabled():
        print(f"\nreconciliation quality: {quality}")
    # Never a wrong certain match; the table's own cases all come out as written.
    assert quality.precision == 1.0, wrong
    assert quality.recall >= 0.95, wrong
    assert quality.first_rate >= 0.95, wrong


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.text}-{case.types}")
def test_each_case(matcher: Matcher, case: Case) -> None:
    candidates = matcher.match(Query(case.text, case.types, 5, case.year, case.region, case.level))
    chosen = [c.entity.id for c in candidates if c.match]
    assert chosen == ([case.expected] if case.matched else [])
    if case.expected is not None:
        assert candidates[0].entity.id == case.expected
    assert all(0 <= c.score <= 100 for c in candidates)


def test_a_merged_municipality_leads_to_its_successor_with_a_note(matcher: Matcher) -> None:
    first = matcher.match(Query("Pertunmaa"))[0]
    assert first.entity.id == "municipality/507"
    assert 0 < first.score < 100
    # The note is the graph's own history note on Pertunmaa (municipality-mergers.csv).
    assert first.description.startswith("Successor of Pertunmaa (588): Merged into the munic")


def test_the_year_reads_the_classification_of_that_year(matcher: Matcher) -> None:
    index = matcher.index
    assert index.classification_year(2024) == 2022
    assert index.classification_year(2025) == 2025
    assert index.classification_year(2030) == 2025
    # Iitti 142 moved to Päijät-Häme (07) in 2021 (municipality-moves.csv).
    iitti = index.get("municipality/142")
    assert iitti is not None
    region = index.ancestor(iitti, "region", 2022)
    assert region is not None
    assert region.id == "region/07"


def test_the_index_follows_the_data_version(tmp_path: Path) -> None:
    store = Store()
    store.load([REPOSITORY / "data" / "organisation" / "kymenlaakson-liitto.ttl"], REPOSITORY)
    reconciler = Reconciler()
    assert reconciler.matcher(store).match(Query("Kaustisen kunta")) == []
    # Another file changes the store's version, and the next request sees its names.
    store.load([REPOSITORY / "data" / "organisation" / "kaustisen-kunta.ttl"], REPOSITORY)
    found = reconciler.matcher(store).match(Query("Kaustisen kunta"))
    assert [c.entity.id for c in found if c.match] == ["organisation/kaustisen-kunta"]
    assert reconciler.version == store.version


def test_the_index_is_built_when_the_server_starts() -> None:
    built = serving.build(replace(Settings(), workers=0))
    try:
        with TestClient(built.app):
            assert built.app.state.reconciler.version == built.app.state.backend.version
    finally:
        built.close()


def test_a_fragment_of_a_longer_name_is_no_typo(matcher: Matcher) -> None:
    """A letter or a syllable inside longer names (Malax, Hankasalmi) misspells none of them:
    "x" finds nothing, and "Sal" finds Salo (734, a letter short) first, not Hankasalmi (077)."""
    assert matcher.match(Query("x")) == []
    assert matcher.match(Query("Sal", M))[0].entity.id == "municipality/734"


def test_a_short_limit_does_not_make_namesakes_certain(matcher: Matcher) -> None:
    """Kaustinen is a municipality (236) and a sub-region (161); asked for one candidate, the
    service shows one of them, but is no surer than when it shows both."""
    [shown] = matcher.match(Query("Kaustinen", limit=1))
    assert (shown.score, shown.match) == (100, False)


def test_only_short_texts_are_kept(matcher: Matcher) -> None:
    # A reconciliation request may carry a megabyte of text: such texts are matched, not kept.
    short, long = Query("Kaskö"), Query("Kaskö " + "Kaskinen " * 40)
    assert matcher.match(short) is matcher.match(short)
    assert matcher.match(long) is not matcher.match(long)
    assert matcher.match(long) == matcher.match(long)
