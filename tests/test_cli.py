"""`aluekg validate` as a maintainer runs it: the real command in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aluekg.config import Settings
from aluekg.validation import stamps

REPOSITORY = Path(__file__).resolve().parents[1]
CONTEXT = Path("tests/fixtures/validation")
INPUT = Path("tests/fixtures/validation-input")
PYSHACL = Path(sys.executable).parent / "pyshacl"


def aluekg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALUEKG_ONTOLOGY_DIR": str(CONTEXT / "ontology"),
        "ALUEKG_DATA_DIR": str(CONTEXT / "data"),
        "ALUEKG_SHAPES_DIR": str(CONTEXT / "shapes"),
    }
    return subprocess.run(
        [sys.executable, "-m", "aluekg", *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_conforming_data_exits_0_with_a_summary() -> None:
    done = aluekg("validate")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "0 violations, 0 warnings, 0 infos\n",
        "",
    )


def test_warnings_alone_exit_0() -> None:
    done = aluekg("validate", str(INPUT / "warning-only.ttl"))
    assert done.returncode == 0
    assert done.stdout.endswith("0 violations, 1 warning, 0 infos\n")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param(
            "en",
            f"{INPUT}/broken-years.ttl:6: <https://example.org/plan/new> (Uusi ohjelma): -: "
            "The end year is before the start year. [violation; value: 2022]\n"
            f"{INPUT}/broken-years.ttl:6: <https://example.org/plan/new> (Uusi ohjelma): "
            "skos:prefLabel: Add an English name. [warning]\n"
            "1 violation, 1 warning, 0 infos\n",
            id="en",
        ),
        pytest.param(
            "fi",
            f"{INPUT}/broken-years.ttl:6: <https://example.org/plan/new> (Uusi ohjelma): -: "
            "Loppuvuosi on ennen alkuvuotta. [virhe; arvo: 2022]\n"
            f"{INPUT}/broken-years.ttl:6: <https://example.org/plan/new> (Uusi ohjelma): "
            "skos:prefLabel: Lisää englanninkielinen nimi. [varoitus]\n"
            "1 virhe, 1 varoitus, 0 huomautusta\n",
            id="fi",
        ),
    ],
)
def test_violations_exit_1_with_one_line_each(lang: str, expected: str) -> None:
    done = aluekg("validate", "--lang", lang, str(INPUT / "broken-years.ttl"))
    assert (done.returncode, done.stdout) == (1, expected)


def test_a_syntax_error_exits_2_naming_file_line_and_column() -> None:
    done = aluekg("validate", str(INPUT / "syntax-error.ttl"))
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: {INPUT}/syntax-error.ttl: line 3, column 11: Unexpected end of file\n"
    )
    assert "Traceback" not in done.stderr


def test_json_output_parses_and_counts() -> None:
    done = aluekg("validate", "--format", "json", str(INPUT / "broken-years.ttl"))
    report = json.loads(done.stdout)
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 1, 1)


def test_turtle_output_is_the_shacl_report() -> None:
    done = aluekg("validate", "--format", "turtle", str(INPUT / "unknown-area.ttl"))
    assert done.returncode == 1
    assert "sh:conforms false" in done.stdout


def test_an_unknown_option_value_is_a_usage_error() -> None:
    done = aluekg("validate", "--lang", "sv")
    assert done.returncode == 2
    assert "Invalid value for '--lang'" in done.stderr


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("broken-years.ttl", id="subclass escapes without ontology"),
        pytest.param("unknown-area.ttl", id="subclass escapes, area unknown"),
        pytest.param("warning-only.ttl", id="warning only"),
    ],
)
def test_shapes_option_gives_pyshacls_own_verdict(name: str, tmp_path: Path) -> None:
    plan = tmp_path / name
    plan.write_text((REPOSITORY / INPUT / name).read_text().replace("RegionalPlan", "Plan"))
    shapes = str(CONTEXT / "shapes" / "tiny.ttl")
    ours = aluekg("validate", "--shapes", shapes, str(plan))
    theirs = subprocess.run(
        [str(PYSHACL), "-a", "-s", shapes, str(plan)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ours.returncode == theirs.returncode


def test_conforming_data_leaves_one_stamp_and_broken_data_none(stamp_dir: Path) -> None:
    assert aluekg("validate").returncode == 0
    assert len(list(stamp_dir.iterdir())) == 1
    assert aluekg("validate", str(INPUT / "broken-years.ttl")).returncode == 1
    assert len(list(stamp_dir.iterdir())) == 1, "only a whole conforming repository is stamped"


def test_the_fingerprint_changes_with_any_input(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPOSITORY / CONTEXT, root)
    settings = Settings(
        ontology_dir=root / "ontology", data_dir=root / "data", shapes_dir=root / "shapes"
    )
    seen = {stamps.fingerprint(settings)}
    for changed in ("ontology/tiny.ttl", "data/plans.ttl", "shapes/tiny.ttl"):
        with (root / changed).open("a") as file:
            file.write("\n# changed\n")
        seen.add(stamps.fingerprint(settings))
    seen.add(stamps.fingerprint(settings, [REPOSITORY / INPUT / "warning-only.ttl"]))
    assert len(seen) == 5


def test_shapes_whose_sparql_uses_the_files_prefixes_give_pyshacls_results(tmp_path: Path) -> None:
    """One shapes file of shapes/ alone, without shapes.ttl's sh:prefixes: its SPARQL resolves
    prefixes as the files declare them, as pyshacl's own command does (was a traceback)."""
    shapes = str(Path("shapes") / "programme.ttl")
    draft = str(Path("data") / "templates" / "programme.ttl")
    ours = aluekg("validate", "--shapes", shapes, "--format", "json", draft)
    theirs = subprocess.run(
        [str(PYSHACL), "-a", "-s", shapes, draft],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in ours.stderr
    assert ours.returncode == theirs.returncode == 1
    report = json.loads(ours.stdout)
    assert report["violations"] == theirs.stdout.count("Severity: sh:Violation") > 0
    assert report["warnings"] == theirs.stdout.count("Severity: sh:Warning")


def test_shapes_that_cannot_be_evaluated_are_an_error_naming_why(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;\n"
        '  sh:sparql [ sh:select "SELECT $this WHERE { $this nowhere:p ?o }" ] .\n'
    )
    done = aluekg("validate", "--shapes", str(shapes), str(shapes))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "Error: The shapes cannot be evaluated: Unknown namespace prefix : nowhere\n"
    )
