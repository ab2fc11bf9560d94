"""`aluekg validate` output for maintainers (issue 5): results grouped by resource with label,
file and line, messages in Finnish or English, four input formats, report formats, colour only
on a terminal, and the exit codes."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CONTEXT = Path("tests/fixtures/validate/cli")
INPUT = Path("tests/fixtures/validate/cli-input")
ENV = {
    **os.environ,
    "ALUEKG_ONTOLOGY_DIR": str(CONTEXT / "ontology"),
    "ALUEKG_DATA_DIR": str(CONTEXT / "data"),
    "ALUEKG_SHAPES_DIR": str(CONTEXT / "shapes"),
}
SH_CONFORMS = pyoxigraph.NamedNode("http://www.w3.org/ns/shacl#conforms")


def aluekg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aluekg", "validate", *args],
        cwd=REPOSITORY,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# Written from cli/shapes/tiny.ttl and cli-input/broken.ttl: "late" (line 9) ends before it
# starts and names an area the data lacks; "nameless" (line 16) has a name with no language tag,
# so neither a Finnish nor an English one. Within a resource, violations come first, then by
# property (none before dcterms:spatial).
BROKEN_FI = f"""\
{INPUT}/broken.ttl:9: <https://example.org/plan/late> (Myöhäinen suunnitelma): -: \
Loppuvuosi 2022 on ennen alkuvuotta. [virhe; arvo: 2022]
{INPUT}/broken.ttl:9: <https://example.org/plan/late> (Myöhäinen suunnitelma): dcterms:spatial: \
Alueen pitää olla olemassa oleva alue. [virhe; arvo: <https://example.org/area/9>]
{INPUT}/broken.ttl:16: <https://example.org/plan/nameless> (Suunnitelma ilman kieltä): \
skos:prefLabel: Anna suunnitelmalle suomenkielinen nimi. [virhe]
{INPUT}/broken.ttl:16: <https://example.org/plan/nameless> (Suunnitelma ilman kieltä): \
skos:prefLabel: Lisää englanninkielinen nimi. [varoitus]
3 virhettä, 1 varoitus, 0 huomautusta
"""
BROKEN_EN = f"""\
{INPUT}/broken.ttl:9: <https://example.org/plan/late> (A late plan): -: \
The end year 2022 is before the start year. [violation; value: 2022]
{INPUT}/broken.ttl:9: <https://example.org/plan/late> (A late plan): dcterms:spatial: \
The area must be an existing area. [violation; value: <https://example.org/area/9>]
{INPUT}/broken.ttl:16: <https://example.org/plan/nameless> (Suunnitelma ilman kieltä): \
skos:prefLabel: Give the plan a Finnish name. [violation]
{INPUT}/broken.ttl:16: <https://example.org/plan/nameless> (Suunnitelma ilman kieltä): \
skos:prefLabel: Add an English name. [warning]
3 violations, 1 warning, 0 infos
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [pytest.param("fi", BROKEN_FI, id="fi"), pytest.param("en", BROKEN_EN, id="en")],
)
def test_each_result_is_a_line_grouped_by_resource_in_the_chosen_language(
    lang: str, expected: str
) -> None:
    done = aluekg("--lang", lang, str(INPUT / "broken.ttl"))
    assert (done.returncode, done.stdout, done.stderr) == (1, expected, "")


def test_conforming_data_exits_0() -> None:
    done = aluekg("--lang", "en", str(INPUT / "good.ttl"))
    assert (done.returncode, done.stdout) == (0, "0 violations, 0 warnings, 0 infos\n")


def test_a_syntax_error_exits_2_with_file_line_and_column() -> None:
    done = aluekg(str(INPUT / "syntax-error.ttl"))
    assert done.returncode == 2
    # Line 3 opens a string at column 11 that the file never closes.
    assert (
        done.stderr
        == f"Error: {INPUT}/syntax-error.ttl: line 3, column 11: Unexpected end of file\n"
    )


def test_a_literal_that_is_not_of_its_datatype_is_reported_without_a_traceback() -> None:
    # ill-typed/plan.ttl line 6 types "2022-13-45" as an xsd:date; rdflib logs that with a
    # traceback, which must not reach the user: the report says it, as its shape words it.
    folder = Path("tests/fixtures/validate/ill-typed")
    done = aluekg("--shapes", str(folder / "shapes.ttl"), str(folder / "plan.ttl"))
    expected = (
        f"{folder}/plan.ttl:6: <https://example.org/plan/odd>: dcterms:issued: "
        "The date of issue must be a date. [violation; value: 2022-13-45]\n"
        "1 violation, 0 warnings, 0 infos\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, expected, "")


def test_an_unknown_format_is_a_usage_error_exit_2() -> None:
    done = aluekg("--format", "xml", str(INPUT / "good.ttl"))
    assert done.returncode == 2
    assert "Invalid value for '--format'" in done.stderr


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("broken.nt", id="n-triples"),
        pytest.param("broken.rdf", id="rdf/xml"),
        pytest.param("broken.jsonld", id="json-ld"),
    ],
)
def test_every_input_format_gives_the_same_results(name: str) -> None:
    """The same triples as broken.ttl; each resource's line is one that names it."""
    done = aluekg("--lang", "en", str(INPUT / name))
    assert done.returncode == 1
    expected = BROKEN_EN.replace(f"{INPUT}/broken.ttl:9:", "@").replace(
        f"{INPUT}/broken.ttl:16:", "@"
    )
    where = re.compile(rf"^{re.escape(str(INPUT / name))}:(\d+):", re.MULTILINE)
    assert where.sub("@", done.stdout) == expected
    lines = (REPOSITORY / INPUT / name).read_text(encoding="utf-8").splitlines()
    for number, iri in zip(
        where.findall(done.stdout),
        ("https://example.org/plan/late",) * 2 + ("https://example.org/plan/nameless",) * 2,
        strict=True,
    ):
        assert iri in lines[int(number) - 1]


def test_json_lists_each_result_with_its_line() -> None:
    done = aluekg("--format", "json", "--lang", "fi", str(INPUT / "broken.ttl"))
    report = json.loads(done.stdout)
    assert (report["conforms"], report["violations"], report["warnings"], report["infos"]) == (
        False,
        3,
        1,
        0,
    )
    assert [(r["focus"], r["line"], r["severity"]) for r in report["results"]] == [
        ("https://example.org/plan/late", 9, "Violation"),
        ("https://example.org/plan/late", 9, "Violation"),
        ("https://example.org/plan/nameless", 16, "Violation"),
        ("https://example.org/plan/nameless", 16, "Warning"),
    ]
    assert report["results"][0]["message"] == "Loppuvuosi 2022 on ennen alkuvuotta."


@pytest.mark.parametrize(
    ("output_format", "rdf_format"),
    [
        pytest.param("turtle", pyoxigraph.RdfFormat.TURTLE, id="turtle"),
        pytest.param("json-ld", pyoxigraph.RdfFormat.JSON_LD, id="json-ld"),
    ],
)
def test_the_shacl_report_comes_as_rdf(
    output_format: str, rdf_format: pyoxigraph.RdfFormat
) -> None:
    done = aluekg("--format", output_format, str(INPUT / "broken.ttl"))
    assert done.returncode == 1
    graph = pyoxigraph.parse(done.stdout.encode("utf-8"), format=rdf_format)
    assert {t.object for t in graph if t.predicate == SH_CONFORMS} == {pyoxigraph.Literal(False)}


def test_no_colour_when_the_output_is_not_a_terminal() -> None:
    assert "\x1b[" not in aluekg(str(INPUT / "broken.ttl")).stdout


def test_colour_on_a_terminal() -> None:
    """Run under a pseudo-terminal, as a maintainer's shell does: severities are coloured."""
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "aluekg", "validate", "--lang", "en", str(INPUT / "broken.ttl")],
        cwd=REPOSITORY,
        env=ENV,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
    ) as process:
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closes when the process exits (EIO on Linux)
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=60) == 1
    os.close(controller)
    assert b"\x1b[31mviolation\x1b[0m" in output
    assert b"\x1b[33mwarning\x1b[0m" in output
