"""`aluekg reconcile` as a researcher runs it, CSV in, CSV out: the real command in a subprocess
for the main run and a missing file, the same command in-process (click's runner) for the rest.

Expected values are read from data/registry/source/geofi_municipality_key_2025.csv (codes,
regions, NUTS 3), linking-identifiers.csv (Wikidata) and municipality-mergers.csv (Pertunmaa).
"""

from __future__ import annotations

import csv
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aluekg.cli import main

REPOSITORY = Path(__file__).resolve().parents[1]


def aluekg(*args: str) -> subprocess.CompletedProcess[str]:
    # The repository's own ontology/ and data/, whatever the caller's environment says.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALUEKG_") or "STAMP" in k}
    return subprocess.run(
        [sys.executable, "-m", "aluekg", "reconcile", *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process; the same result fields as a subprocess gives."""
    result = CliRunner().invoke(main, ["reconcile", *args])
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reconcile") / "places.csv"
    path.write_text(
        "id;kunta;note\n"
        "1;Kaskö;swedish\n"
        "2;Kaustinen;shared with its sub-region\n"
        "3;Pertunmaa;merged 2025\n"
        "4;Xyzzy;nothing\n"
        "5;49;a code\n"
        "6;;empty\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def reconciled(places: Path) -> subprocess.CompletedProcess[str]:
    return aluekg(str(places), "--column", "kunta", "--add", "code,region,nuts,wikidata")


def test_a_column_is_reconciled_and_columns_added(
    reconciled: subprocess.CompletedProcess[str],
) -> None:
    done = reconciled
    assert done.returncode == 0, done.stderr
    out = rows(done.stdout, ";")
    assert [row["id"] for row in out] == ["1", "2", "3", "4", "5", "6"]
    assert [row["aluekg_status"] for row in out] == [
        "matched",
        "ambiguous",
        "ambiguous",
        "unmatched",
        "matched",
        "unmatched",
    ]
    kasko = out[0]
    assert kasko["note"] == "swedish"
    assert kasko["aluekg_iri"] == "https://w3id.org/aluekg/id/municipality/231"
    assert kasko["aluekg_label"] == "Kaskinen"
    assert kasko["aluekg_score"] == "100"
    assert kasko["aluekg_code"] == "231"
    assert kasko["aluekg_region"] == "Pohjanmaa"
    assert kasko["aluekg_nuts"] == "FI19A"
    assert out[4]["aluekg_label"] == "Espoo"


def test_ambiguous_and_unmatched_rows_are_flagged_not_guessed(
    reconciled: subprocess.CompletedProcess[str],
) -> None:
    out = rows(reconciled.stdout, ";")
    for row in out[1:4]:
        assert row["aluekg_iri"] == ""
        assert row["aluekg_code"] == ""
    assert "municipality/236 Kaustinen (100)" in out[1]["aluekg_candidates"]
    assert "sub-region/161 Kaustinen (100)" in out[1]["aluekg_candidates"]
    assert out[2]["aluekg_candidates"].startswith("municipality/507 Mäntyharju")
    assert out[3]["aluekg_candidates"] == ""


def test_the_type_and_year_decide(places: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    done = run(
        str(places), "--column", "kunta", "--type", "municipality", "--year", "2024",
        "-o", str(output),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    out = rows(output.read_text(encoding="utf-8"), ";")
    assert out[1]["aluekg_iri"].endswith("/municipality/236")
    # In 2024 Pertunmaa still had its own code (588) in the classification then valid (2022).
    assert out[2]["aluekg_iri"].endswith("/municipality/588")


def test_the_summary_counts_each_status(
    places: Path, reconciled: subprocess.CompletedProcess[str]
) -> None:
    assert reconciled.stderr.strip().splitlines()[-1] == (
        f"{places}: 6 rows: 2 matched, 2 ambiguous, 2 unmatched"
    )


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        pytest.param(
            "a,b\n1,2\n",
            ["--column", "kunta"],
            "{path}: no column 'kunta'; its columns are 'a', 'b'",
            id="no-column",
        ),
        pytest.param("", ["--column", "kunta"], "{path}: the file is empty", id="empty"),
        pytest.param(
            "kunta\nKask\xf6\n".encode("latin-1"),
            ["--column", "kunta"],
            "{path}: not UTF-8 text",
            id="not-utf8",
        ),
        pytest.param(
            "kunta\nKotka\n",
            ["--column", "kunta", "--add", "population"],
            "--add: unknown column 'population'",
            id="bad-add",
        ),
        pytest.param(
            "kunta\nKotka\n",
            ["--column", "kunta", "--type", "city"],
            "--type: unknown 'city'",
            id="bad-type",
        ),
    ],
)
def test_errors_name_the_file_and_what_is_wrong(
    tmp_path: Path, content: str | bytes, args: list[str], message: str
) -> None:
    path = tmp_path / "in.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    done = run(str(path), *args)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: " + message.format(path=path))
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    done = aluekg(str(tmp_path / "nowhere.csv"), "--column", "kunta")
    assert done.returncode == 2
    assert done.stderr == f"Error: {tmp_path / 'nowhere.csv'}: no such file\n"


def test_a_progress_bar_shows_on_a_terminal(places: Path, tmp_path: Path) -> None:
    # Standard error on a pseudo-terminal, as when a researcher runs the command by hand.
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "aluekg", "reconcile", str(places), "--column", "kunta",
             "-o", str(tmp_path / "out.csv")],
            cwd=REPOSITORY,
            stderr=terminal,
            timeout=60,
            check=False,
        )  # fmt: skip
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0
    assert b"Reconciling" in shown
    assert b"6 rows: 2 matched, 2 ambiguous, 2 unmatched" in shown


def test_no_progress_bar_when_not_on_a_terminal(
    reconciled: subprocess.CompletedProcess[str],
) -> None:
    assert "Reconciling" not in reconciled.stderr
