"""Read the registry CSVs in data/registry/source/ into checked, zero-padded records."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aluekg.errors import DataError
from aluekg.registry.terms import KUNTA, MAAKUNTA, SEUTUKUNTA

# The geofi key of each classification year, and the NUTS version its nuts*_code columns hold.
KEY_FILE = "geofi_municipality_key_{year}.csv"
NUTS_VERSION = {2022: 2021, 2025: 2024}
YEARS = tuple(NUTS_VERSION)


@dataclass(frozen=True, order=True)
class Names:
    fi: str
    sv: str
    en: str


@dataclass(frozen=True, order=True)
class Unit:
    """A code of one level in one year: its names and the code of its direct parent."""

    code: str
    names: Names
    parent: str


@dataclass(frozen=True)
class Year:
    """One classification year as the geofi key gives it."""

    year: int
    nuts_version: int
    municipalities: dict[str, Unit]
    sub_regions: dict[str, Unit]
    regions: dict[str, Unit]
    nuts3_of: dict[str, str]  # municipality code → NUTS 3 code
    nuts: dict[str, Unit]  # NUTS 1/2/3 code → names and parent NUTS code ("" for NUTS 1)

    def units(self, level: str) -> dict[str, Unit]:
        """The codes of one level: KUNTA, SEUTUKUNTA or MAAKUNTA."""
        return {KUNTA: self.municipalities, SEUTUKUNTA: self.sub_regions, MAAKUNTA: self.regions}[
            level
        ]

    def region_nuts3(self, region: str) -> str:
        """The NUTS 3 code that holds most of the region's municipalities."""
        counts = Counter(
            self.nuts3_of[m.code]
            for m in self.municipalities.values()
            if self.sub_regions[m.parent].parent == region
        )
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]

    def region_of(self, municipality: str) -> str:
        return self.sub_regions[self.municipalities[municipality].parent].parent


@dataclass(frozen=True)
class Link:
    """A row of linking-identifiers.csv."""

    level: str
    code: str
    parent: str
    nuts3: tuple[str, str]  # NUTS 2021 and NUTS 2024 columns, as written ("FI1C3,FI1C4")
    iso3166_2: str
    wikidata_qid: str
    wikidata_sources: tuple[str, ...]  # "owner/repo path" items
    yso_place: str


@dataclass(frozen=True)
class Merger:
    municipality: str
    merged_into: str
    date: str  # ISO 8601


@dataclass(frozen=True)
class Move:
    """A row of municipality-moves.csv: a municipality that changed region and sub-region."""

    municipality: str
    date: str  # ISO 8601
    from_region: str
    from_sub_region: str
    to_region: str
    to_sub_region: str
    note_fi: str
    note_en: str
    sources: tuple[str, ...]  # "owner/repo path" items

    def notes(self) -> tuple[str, str]:
        return self.note_fi, self.note_en


@dataclass(frozen=True)
class Sources:
    years: dict[int, Year]
    iso3166_2: dict[str, str]  # region code → ISO 3166-2 code
    links: tuple[Link, ...]
    mergers: tuple[Merger, ...]
    moves: tuple[Move, ...]
    country_names: Names
    country_iso: str


def clean(text: str) -> str:
    """Collapse the stray spaces some geofi names carry ("Gustav Adolfs  ", "Ylivieska ")."""
    return " ".join(text.split())


def pad(code: str, width: int) -> str:
    if not code.isdigit() or len(code) > width:
        raise DataError(f"not a {width}-digit code: {code!r}")
    return code.zfill(width)


def rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as error:
        raise DataError(f"cannot read {path}: {error}") from error


def names(row: dict[str, str], prefix: str) -> Names:
    """The fi/sv/en names in the columns `{prefix}_name_*` (`name_*` without a prefix)."""
    key = f"{prefix}_name_" if prefix else "name_"
    fi = clean(row[key + "fi"])
    return Names(fi, clean(row[key + "sv"]), clean(row[key + "en"]) or fi)


def put(table: dict[str, Unit], unit: Unit, what: str) -> None:
    """Add a unit; the same code must always come with the same names and parent."""
    if table.setdefault(unit.code, unit) != unit:
        raise DataError(f"{what} {unit.code} is described in two ways: {table[unit.code]}, {unit}")


def read_year(source: Path, year: int) -> Year:
    municipalities: dict[str, Unit] = {}
    sub_regions: dict[str, Unit] = {}
    regions: dict[str, Unit] = {}
    nuts: dict[str, Unit] = {}
    nuts3_of: dict[str, str] = {}
    for row in rows(source / KEY_FILE.format(year=year)):
        kunta = pad(row["kunta"], 3)
        seutukunta = pad(row["seutukunta_code"], 3)
        maakunta = pad(row["maakunta_code"], 2)
        put(municipalities, Unit(kunta, names(row, "municipality"), seutukunta), "kunta")
        put(sub_regions, Unit(seutukunta, names(row, "seutukunta"), maakunta), "seutukunta")
        put(regions, Unit(maakunta, names(row, "maakunta"), ""), "maakunta")
        put(nuts, Unit(row["nuts1_code"], names(row, "nuts1"), ""), "NUTS")
        put(nuts, Unit(row["nuts2_code"], names(row, "nuts2"), row["nuts1_code"]), "NUTS")
        put(nuts, Unit(row["nuts3_code"], names(row, "nuts3"), row["nuts2_code"]), "NUTS")
        nuts3_of[kunta] = row["nuts3_code"]
    return Year(year, NUTS_VERSION[year], municipalities, sub_regions, regions, nuts3_of, nuts)


def read_link(row: dict[str, str]) -> Link:
    width = {"country": 0, "maakunta": 2, "seutukunta": 3, "kunta": 3}[row["level"]]
    return Link(
        level=row["level"],
        code=pad(row["code"], width) if width else row["code"],
        parent=row["parent_code"],
        nuts3=(row["nuts3_2021"], row["nuts3_2024"]),
        iso3166_2=row["iso3166_2"],
        wikidata_qid=row["wikidata_qid"],
        wikidata_sources=tuple(s.strip() for s in row["wikidata_source"].split(";") if s.strip()),
        yso_place=row["yso_place_uri"],
    )


def read_move(row: dict[str, str]) -> Move:
    return Move(
        municipality=pad(row["kunta"], 3),
        date=row["date"],
        from_region=pad(row["from_maakunta"], 2),
        from_sub_region=pad(row["from_seutukunta"], 3),
        to_region=pad(row["to_maakunta"], 2),
        to_sub_region=pad(row["to_seutukunta"], 3),
        note_fi=row["note_fi"],
        note_en=row["note_en"],
        sources=tuple(s.strip() for s in row["source"].split(";") if s.strip()),
    )


def read(source: Path) -> Sources:
    """Read every CSV the generator needs from `source` (data/registry/source/)."""
    years = {year: read_year(source, year) for year in YEARS}
    iso = {
        pad(r["maakunta_code"], 2): r["iso3166_2"] for r in rows(source / "iso3166-2-regions.csv")
    }
    link_rows = rows(source / "linking-identifiers.csv")
    links = tuple(read_link(row) for row in link_rows)
    country = next(row for row in link_rows if row["level"] == "country")
    mergers = tuple(
        Merger(pad(r["kunta"], 3), pad(r["merged_into"], 3), r["date"])
        for r in rows(source / "municipality-mergers.csv")
    )
    moves = tuple(read_move(row) for row in rows(source / "municipality-moves.csv"))
    check(years, iso, mergers)
    for link in links:
        check_link(years, iso, link)
    for move in moves:
        check_move(years[YEARS[0]], move)
    return Sources(years, iso, links, mergers, moves, names(country, ""), country["iso3166_2"])


def all_nuts3(year: Year, region: str) -> str:
    """The NUTS 3 codes of a region's municipalities as linking-identifiers.csv writes them."""
    codes = {year.nuts3_of[m] for m in year.municipalities if year.region_of(m) == region}
    return ",".join(sorted(codes))


def check_link(years: dict[int, Year], iso: dict[str, str], link: Link) -> None:
    """linking-identifiers.csv must agree with the geofi keys and the ISO table where they meet."""
    if link.level == "country":
        return
    old, new = years[YEARS[0]], years[YEARS[-1]]
    if link.level == "kunta":
        found = (old.nuts3_of[link.code], new.nuts3_of[link.code])
        parent = old.municipalities[link.code].parent
    elif link.level == "maakunta":
        found = (all_nuts3(old, link.code), all_nuts3(new, link.code))
        parent = ""
        if iso[link.code] != link.iso3166_2:
            raise DataError(f"ISO 3166-2 of region {link.code} differs between the two CSVs")
    else:
        found, parent = ("", ""), old.sub_regions[link.code].parent
    if (link.nuts3, link.parent) != (found, parent):
        raise DataError(f"linking-identifiers.csv row {link.code} disagrees with the geofi keys")


def check_move(year: Year, move: Move) -> None:
    """A move must end in the membership the oldest key gives (Iitti: 07 / 071 in 2022), start
    from a sub-region of its from-region in that key, be dated before the key's year and have a
    source; its notes must name the four codes, the Finnish one the date as d.m.yyyy."""
    where = f"municipality-moves.csv row {move.municipality}"
    try:
        day = date.fromisoformat(move.date)
        arrived = (year.municipalities[move.municipality].parent, year.region_of(move.municipality))
        left = (move.from_sub_region, year.sub_regions[move.from_sub_region].parent)
    except (KeyError, ValueError) as error:
        raise DataError(f"{where}: unknown code or date {error}") from error
    if arrived != (move.to_sub_region, move.to_region) or day >= date(year.year, 1, 1):
        raise DataError(f"{where} disagrees with the {year.year} key: {arrived}")
    if left[1] != move.from_region:
        raise DataError(f"{where}: sub-region {left[0]} is in region {left[1]} in {year.year}")
    if left == arrived or not move.sources:
        raise DataError(f"{where} moves nothing or has no source")
    codes = [
        f"({code})"
        for code in (move.from_region, move.from_sub_region, move.to_region, move.to_sub_region)
    ]
    finnish = f"{day.day}.{day.month}.{day.year}"
    if finnish not in move.note_fi or not all(c in n for c in codes for n in move.notes()):
        raise DataError(f"{where}: a note lacks the date or a code")


def check(years: dict[int, Year], iso: dict[str, str], mergers: tuple[Merger, ...]) -> None:
    """Fail early on what the generator relies on but the CSVs could break."""
    first, last = years[YEARS[0]], years[YEARS[-1]]
    gone = set(first.municipalities) - set(last.municipalities)
    merged = {m.municipality for m in mergers}
    if gone != merged or any(m.merged_into not in last.municipalities for m in mergers):
        raise DataError(
            f"municipalities gone by {last.year}: {sorted(gone)}; mergers: {sorted(merged)}"
        )
    if set(last.municipalities) - set(first.municipalities):
        raise DataError("new municipality codes are not modelled")
    for year in years.values():
        if set(year.regions) != set(iso):
            raise DataError(f"the ISO 3166-2 table does not cover the regions of {year.year}")
