"""Broken copies of a real programme file fail with exactly the expected results (issue 3).

Each case copies data/ and breaks the Kaustinen programme file in one way, then validates the
repository as `aluekg validate` does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aluekg.config import REPOSITORY, Settings
from aluekg.validation import pipeline

ALUSH = "https://w3id.org/aluekg/shapes#"
ID = "https://w3id.org/aluekg/id/"
FILE = Path("programme/kaustisen-seudun-elinvoimaohjelma-2022-2026.ttl")
PROGRAMME = ID + "programme/kaustisen-seudun-elinvoimaohjelma-2022-2026"
KYMENLAAKSO = "<programme/kymenlaakson-maakuntaohjelma-2022-2025>"
# The one warning the repository's data has: the smart-specialisation strategy's period is unknown.
KNOWN_WARNING = (
    ALUSH + "Programme-temporalRecommended",
    ID + "programme/kymenlaakson-alykkaan-erikoistumisen-strategia",
    "Warning",
)


def broken(old: str, new: str) -> tuple[str, str]:
    return old, new


CASES = [
    pytest.param(
        broken(
            'skos:prefLabel "Kaustisen seudun Elinvoimaohjelma 2022-2026"@fi ,', "skos:prefLabel"
        ),
        {(ALUSH + "Programme-prefLabel", PROGRAMME, "Violation")},
        id="no Finnish label",
    ),
    pytest.param(
        broken('dcat:endDate "2026"^^xsd:gYear', 'dcat:endDate "2020"^^xsd:gYear'),
        {
            (ALUSH + "PeriodOfTime-endYear", PROGRAMME + "/period", "Violation"),
            (ALUSH + "Programme-acceptedYear", PROGRAMME, "Warning"),
        },
        id="end year before start year",
    ),
    pytest.param(
        broken("dcterms:spatial <municipality/074> ,", "dcterms:spatial <municipality/999> ,"),
        {(ALUSH + "Programme-spatial", PROGRAMME, "Violation")},
        id="municipality code that does not exist",
    ),
    pytest.param(
        broken(
            "alue:order 1 ;\n    alue:partOfProgramme",
            f"alue:order 1 ;\n    alue:partOfProgramme {KYMENLAAKSO} ,",
        ),
        {
            (ALUSH + "ProgrammeComponent-partOfProgramme", PROGRAMME + "/theme/1", "Violation"),
            (ALUSH + "ProgrammeConcept-structure", PROGRAMME + "/theme/1", "Violation"),
        },
        id="a theme in two programmes",
    ),
    pytest.param(
        broken(
            "    dcterms:type <https://w3id.org/aluekg/vocab/programme-type/elinvoimaohjelma> ;",
            "    dcterms:type <https://w3id.org/aluekg/vocab/programme-type/elinvoimaohjelma> ;\n"
            "    owl:sameAs <https://www.wikidata.org/wiki/Q1009345> ;",
        ),
        {(ALUSH + "Link-sameAs", PROGRAMME, "Violation")},
        id="Wikidata page URL instead of an entity IRI",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_a_broken_programme_copy_fails_as_expected(
    edit: tuple[str, str], expected: set[tuple[str, str, str]], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    text = (data / FILE).read_text(encoding="utf-8")
    old, new = edit
    assert text.count(old) == 1, f"the edit must apply exactly once: {old!r}"
    text = text.replace(old, new)
    if "owl:sameAs" in new:
        text = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + text
    (data / FILE).write_text(text, encoding="utf-8")

    report = pipeline.validate_repository(Settings(data_dir=data))

    found = {(r.shape, r.focus, r.severity) for r in report.results}
    assert found - {KNOWN_WARNING} == expected
    assert not report.conforms
    for result in report.results:
        if result.focus.startswith(PROGRAMME):
            assert result.file is not None
            assert result.file.endswith(str(FILE)), "a result names the broken file"
